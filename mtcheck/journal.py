"""Files that survive a kill: an append-only JSONL journal and whole-file atomic writes.

- `Journal.append` writes whole lines in one `write`, then `fsync`; when the write fails part-way
  (a full disk), the file is cut back to where the append began, so no half row is left.
- `read_jsonl` drops a last line cut short by a kill (no newline at its end), and with `repair`
  cuts the file back to its last whole line so that appends start clean.
- `write_atomic` writes a temporary file beside the target, fsyncs it, renames it over the
  target and fsyncs the folder: readers see the old file or the new one, never a mix.

Failures to write become `OutputError`, one line for the user (exit code 2).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Sequence, Union

from mtcheck.errors import OutputError  # noqa: F401  (re-exported for batch)
from mtcheck.io import output_error, write_bytes_atomic
from mtcheck.strict_json import dumps


# --- whole-line appends and atomic files ------------------------------------------------


class Journal:
    """An append-only JSONL file: each append is whole lines, one write, then fsync."""

    def __init__(self, path: Union[str, os.PathLike]):
        self.path = Path(path)
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise output_error(exc, self.path) from None

    def append(self, lines: Sequence[str]) -> None:
        if not lines:
            return
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        size = os.fstat(self._fd).st_size
        try:
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(28, "No space left on device")
            os.fsync(self._fd)
        except OSError as exc:
            # Leave no half row behind: cut the file back to where this append began.
            try:
                os.ftruncate(self._fd, size)
            except OSError:
                pass
            raise output_error(exc, self.path) from None

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_jsonl(path: Union[str, os.PathLike], repair: bool = False) -> list[dict]:
    """The whole rows of a JSONL file; a last line cut short (no newline, bad JSON) is dropped.

    With `repair`, the file is cut back to its last whole line, so that appends start clean.
    """
    path = Path(path)
    if not path.exists():
        return []
    raw = path.read_bytes()
    end = raw.rfind(b"\n") + 1
    rows = []
    for line in raw[:end].split(b"\n"):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue  # a damaged row is not a finished one
        if isinstance(row, dict):
            rows.append(row)
    if repair and end < len(raw):
        with open(path, "r+b") as handle:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
    return rows


def write_atomic(path: Union[str, os.PathLike], data: Union[str, bytes]) -> Path:
    """Write a whole file at once (see `mtcheck.io.write_bytes_atomic`) and return its path."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    write_bytes_atomic(path, data)
    return Path(path)


def write_lines_atomic(path: Path, rows: Iterable[dict]) -> None:
    write_atomic(path, "".join(dumps(row) + "\n" for row in rows))


