"""A small progress bar for batch runs: count, share, rate and time left, on stderr.

On a terminal the bar redraws in place; in a log (CI, a pipe) it prints a plain line now and
then instead, so that logs stay readable. It has no dependency beyond the standard library.
"""
from __future__ import annotations

import shutil
import sys
import time
from typing import Optional, TextIO


class ProgressBar:
    """Progress of `total` items, of which `initial` were already done before this run."""

    def __init__(self, total: int, initial: int = 0, label: str = "documents",
                 stream: Optional[TextIO] = None, enabled: bool = True,
                 log_every_s: float = 10.0):
        self.total = total
        self.done = initial
        self.initial = initial
        self.errors = 0
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.log_every_s = log_every_s
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._last_width = 0
        self._drawn_at = -1
        if self.enabled:
            self._draw(force=True)

    def update(self, n: int = 1, error: bool = False) -> None:
        self.done += n
        if error:
            self.errors += n
        if self.enabled:
            self._draw(force=self.done >= self.total)

    def close(self) -> None:
        if self.enabled:
            if self.interactive or self._drawn_at != self.done:
                self._draw(force=True)
            if self.interactive:
                self.stream.write("\n")
                self.stream.flush()
            self.enabled = False

    # --- drawing -----------------------------------------------------------------
    def rate(self) -> Optional[float]:
        """Items per second over this run (items done before it are not counted)."""
        elapsed = time.monotonic() - self.started
        checked = self.done - self.initial
        if checked <= 0 or elapsed <= 0:
            return None
        return checked / elapsed

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        rate = self.rate()
        left = self.total - self.done
        eta = _clock(left / rate) if rate and left > 0 else ("0:00" if left <= 0 else "?")
        rate_text = f"{rate * 60:.1f}/min" if rate else "?/min"
        errors = f", {self.errors} failed" if self.errors else ""
        counts = f"{self.done}/{self.total} {self.label}"
        tail = f" {share:4.0%} | {rate_text}, {eta} left, {_clock(time.monotonic() - self.started)} elapsed{errors}"
        width = shutil.get_terminal_size((100, 20)).columns if self.interactive else 0
        bar_width = max(10, min(30, width - len(counts) - len(tail) - 4)) if self.interactive else 20
        filled = int(round(share * bar_width))
        bar = "#" * filled + "-" * (bar_width - filled)
        return f"{counts} [{bar}]{tail}"

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.interactive:
            if not force and now - self._last_draw < 0.1:
                return
            text = self.line()
            pad = max(0, self._last_width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self._last_width = len(text)
        else:
            if not force and now - self._last_draw < self.log_every_s:
                return
            self.stream.write(self.line() + "\n")
        self._last_draw = now
        self._drawn_at = self.done
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
