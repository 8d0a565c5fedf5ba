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


class OutputError(MtcheckError, OSError):
    """An output file that cannot be written (missing or read-only folder, full disk).

    Also an `OSError`, so code that handles file errors generically still catches it.
    """

    def __str__(self) -> str:  # one plain line, without OSError's "[Errno n]" prefix
        return self.strerror or super().__str__()
