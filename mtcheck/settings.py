"""User settings: `[tool.mtcheck]` in pyproject.toml, or a TOML file given with --config.

```toml
[tool.mtcheck]
encoder = "usem3"
disabled_checks = ["casing"]      # or checks = [...] to run only those
waivers = "mtcheck-waivers.txt"   # flag signatures to ignore, one a line (or a list)
max_sentences = 50000             # refuse bigger documents (0: no limit)

[tool.mtcheck.check_options]
untranslated_title_words = true   # product names and titles are translated here

[tool.mtcheck.gate]
min_scores = {chrf = 40.0, quality = 0.4}
max_flags = {critical = 0, major = 0}          # by severity or by code
max_flag_rate = {duplication = 2.0}            # per 100 pairs
max_failing_share = 0.0                        # of documents, in a batch
```
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from mtcheck.errors import ConfigError


@dataclass
class Settings:
    encoder: Optional[str] = None
    checks: Optional[list[str]] = None
    disabled_checks: list[str] = field(default_factory=list)
    waivers: list[str] = field(default_factory=list)
    gate_rules: dict = field(default_factory=dict)
    max_sentences: Optional[int] = None
    check_options: dict = field(default_factory=dict)
    source: Optional[str] = None  # the file the settings came from


def load_settings(path: Optional[str] = None, start: Optional[Path] = None) -> Settings:
    """Settings from `path`, or from the nearest pyproject.toml with a [tool.mtcheck] table."""
    if path:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"{path}: no such config file")
        table = _mtcheck_table(_read_toml(file), explicit=True)
        return _settings_from(table, file)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                table = _mtcheck_table(_read_toml(candidate), explicit=False)
            except ConfigError:
                return Settings()
            return _settings_from(table, candidate) if table else Settings()
    return Settings()


def _read_toml(file: Path) -> dict:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read ({exc.strerror})") from None


def _mtcheck_table(data: dict, explicit: bool) -> dict:
    """Accept [tool.mtcheck], [mtcheck], or (for an explicit file) top-level keys."""
    if "tool" in data and "mtcheck" in data["tool"]:
        return data["tool"]["mtcheck"]
    if "mtcheck" in data:
        return data["mtcheck"]
    return data if explicit else {}


def _settings_from(table: dict, file: Path) -> Settings:
    known = {"encoder", "checks", "disabled_checks", "waivers", "gate", "max_sentences", "check_options"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"{file}: unknown setting(s) {', '.join(sorted(unknown))}")
    waivers = table.get("waivers") or []
    if isinstance(waivers, str):
        from mtcheck.io import read_waivers

        waivers = read_waivers(file.parent / waivers)
    checks = table.get("checks")
    max_sentences = table.get("max_sentences")
    if max_sentences is not None and (
        isinstance(max_sentences, bool) or not isinstance(max_sentences, int) or max_sentences < 0
    ):
        raise ConfigError(f"{file}: max_sentences must be a whole number, 0 or more")
    from mtcheck.checks import check_options

    options = table.get("check_options") or {}
    if not isinstance(options, dict):
        raise ConfigError(f"{file}: check_options must be a table")
    return Settings(
        encoder=table.get("encoder"),
        checks=list(checks) if checks is not None else None,
        disabled_checks=list(table.get("disabled_checks") or []),
        waivers=list(waivers),
        gate_rules=dict(table.get("gate") or {}),
        max_sentences=max_sentences,
        check_options=check_options(options, f"{file}: check_options"),
        source=str(file),
    )


def first_given(*values):
    """The first value that is not None (a command-line option before its setting), or None."""
    return next((v for v in values if v is not None), None)
