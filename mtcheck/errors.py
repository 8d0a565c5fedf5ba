"""Errors that the command line turns into one line on stderr and exit code 2."""


class MtcheckError(Exception):
    """Base class for errors that are the user's input, not a bug."""

    exit_code = 2


class InputError(MtcheckError):
    """A file that is missing, unreadable, empty, binary or otherwise not a document."""


class ConfigError(MtcheckError):
    """A configuration or option value that makes no sense."""


class ModelError(MtcheckError):
    """A model that cannot be loaded (missing weights, missing extra)."""
