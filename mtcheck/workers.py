"""Worker processes for batch runs: each loads the models once and checks one document at a time.

The parent sends a worker one document, waits for its rows, and sends the next. A worker that
dies while checking (killed, out of memory, a crash in native code) is replaced, and its
document is tried once more before it is recorded as an error; a document whose check raises
becomes an error row in the worker itself. Workers ignore Ctrl-C (the parent decides), and on
Linux the kernel kills them when the parent dies, so no orphan goes on working.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_for
from typing import Optional, Sequence

from mtcheck.errors import MtcheckError
from mtcheck.strict_json import dumps
from mtcheck.manifest import BatchItem

# A document is tried this many times when the worker checking it dies, then recorded as an error.
MAX_ATTEMPTS = 2
# Workers run one document at a time; more threads each would only fight over the cores.
_WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "TOKENIZERS_PARALLELISM": "false"}


DEFAULT_CHECKER = "mtcheck.pipeline:check_files"


def check_item(item: BatchItem, options: dict, checker: str = DEFAULT_CHECKER) -> tuple[str, list[str]]:
    """Check one document; return its row for documents.jsonl and its pair rows, as JSON lines.

    `checker` names the function that checks a document ("module:function", called like
    `mtcheck.check_files` and returning a `Report`); it is a name, not a function, so that
    worker processes can import it. Never raises for a bad document: the reason becomes an
    error row.
    """
    try:
        check_files = _import_checker(checker)
        report = check_files(item.source, item.target, item.reference, **options)
        doc_row, pair_rows = _rows_from_report(item, report)
        return dumps(doc_row), [dumps(r) for r in pair_rows]
    except MtcheckError as exc:
        return dumps(error_row(item, str(exc))), []
    except MemoryError:
        return dumps(error_row(item, "out of memory while checking this document")), []
    except Exception as exc:  # a bug must not stop the other documents
        return dumps(error_row(item, f"internal error: {type(exc).__name__}: {exc}")), []


def _import_checker(name: str):
    import importlib

    module_name, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module_name), attribute or "check_files")


def _rows_from_report(item: BatchItem, report) -> tuple[dict, list[dict]]:
    data = report.to_dict()
    document = data["document"]
    doc_row = {
        "id": item.id,
        **item.paths(),
        "status": "ok",
        "langs": {"source": data["source"]["lang"], "target": data["target"]["lang"]},
        "segments": {"source": data["source"]["segments"], "target": data["target"]["segments"]},
        "pairs": len(data["pairs"]),
        "scores": document.get("scores", {}),
        "flags": document.get("flags", {}),
        "severities": document.get("severities", {}),
        "check_errors": document.get("check_errors", {}),
        "signature": data.get("signature", ""),
    }
    pair_rows = []
    for k, (pair, pair_dict) in enumerate(zip(report.aligned_pairs, data["pairs"])):
        for flag, flag_dict in zip(pair.flags, pair_dict["flags"]):
            flag_dict["signature"] = flag.signature(pair)
        pair_rows.append({"doc": item.id, "pair": k, **pair_dict})
    return doc_row, pair_rows


def error_row(item: BatchItem, reason: str) -> dict:
    reason = " ".join(str(reason).split()) or "unknown error"
    return {"id": item.id, **item.paths(), "status": "error", "error": reason}


def _worker_main(conn, options: dict, checker: str = DEFAULT_CHECKER) -> None:
    """A worker: models load once on its first document, then it checks what it is sent."""
    # Ctrl-C reaches the whole process group; the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _warn_once_per_message()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message is None:
            return
        index, item = message
        result = check_item(item, options, checker)
        try:
            conn.send((index, *result))
        except (BrokenPipeError, OSError):
            return


class _OncePerMessage(logging.Filter):
    """Lets each distinct message through once: a warning that holds for every document
    (a missing optional model, say) would otherwise be printed a thousand times."""

    def __init__(self):
        super().__init__()
        self.seen: set = set()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, record.getMessage())
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def _warn_once_per_message() -> None:
    root = logging.getLogger()
    if root.handlers:
        return  # someone configured logging on purpose; leave it be
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(_OncePerMessage())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker when the parent dies (even by SIGKILL),
    so that no orphan goes on checking a document nobody will record."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


# --- the pool ---------------------------------------------------------------------------


@dataclass
class _Slot:
    process: multiprocessing.Process
    conn: object
    task: Optional[int] = None
    started: float = 0.0  # time.monotonic() when `task` was sent


class WorkerPool:
    """Worker processes fed one document at a time; a worker that dies is replaced."""

    def __init__(self, size: int, options: dict, checker: str = DEFAULT_CHECKER,
                 timeout: Optional[float] = None):
        self.context = multiprocessing.get_context("spawn")
        self.options = options
        self.checker = checker
        self.timeout = timeout  # seconds one document may take; its worker is killed after that
        self.slots = [self._start() for _ in range(size)]

    def _start(self) -> _Slot:
        parent_conn, child_conn = self.context.Pipe()
        saved = {k: os.environ.get(k) for k in _WORKER_ENV}
        os.environ.update({k: os.environ.get(k) or v for k, v in _WORKER_ENV.items()})
        try:
            process = self.context.Process(
                target=_worker_main, args=(child_conn, self.options, self.checker), daemon=True,
                name="mtcheck-worker",
            )
            process.start()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        child_conn.close()
        return _Slot(process, parent_conn)

    def pids(self) -> list[int]:
        return [slot.process.pid for slot in self.slots]

    def run(self, tasks: Sequence[tuple[int, BatchItem]], on_result, on_death, on_timeout=None) -> None:
        """Check every task; `on_result(index, doc_line, pair_lines)` gets each result.

        `on_death(index, item, exitcode)` is called for a task whose worker died for the last time
        and must return its error result; `on_timeout(index, item)` likewise for a task that ran
        past `timeout` (its worker is killed and replaced; the task is not tried again, since a
        document that slow would most likely be slow again). A result that is already in when
        the deadline is noticed is kept: finished work is never thrown away.
        """
        queue = deque((index, item, 1) for index, item in tasks)
        attempts: dict[int, int] = {}
        items = {index: item for index, item in tasks}
        busy = 0
        while queue or busy:
            for slot in self.slots:
                if slot.task is None and queue:
                    index, item, attempt = queue.popleft()
                    attempts[index] = attempt
                    try:
                        slot.conn.send((index, item))
                    except (BrokenPipeError, OSError):
                        queue.appendleft((index, item, attempt))
                        self._replace(slot)
                        continue
                    slot.task = index
                    slot.started = time.monotonic()
                    busy += 1
            if not busy:
                continue
            watched = {}
            for slot in self.slots:
                if slot.task is not None:
                    watched[slot.conn] = slot
                    watched[slot.process.sentinel] = slot
            ready = wait_for(list(watched), timeout=self._next_deadline())
            handled = set()
            for handle in ready:
                slot = watched[handle]
                if id(slot) in handled:
                    continue
                handled.add(id(slot))
                index = slot.task
                result, closed = None, False
                if slot.conn.poll():
                    try:
                        result = slot.conn.recv()
                    except (EOFError, OSError):
                        closed = True
                if result is not None:
                    slot.task = None
                    busy -= 1
                    on_result(*result)
                    continue
                if not closed and slot.process.is_alive():
                    continue  # woken without a result or a death: wait again
                # The worker died while checking `index`.
                slot.process.join(timeout=5)
                exitcode = slot.process.exitcode
                slot.task = None
                busy -= 1
                self._replace(slot)
                if attempts[index] < MAX_ATTEMPTS:
                    queue.appendleft((index, items[index], attempts[index] + 1))
                else:
                    on_result(*on_death(index, items[index], exitcode))
            if self.timeout is not None:
                busy -= self._stop_overdue(items, on_result, on_timeout)

    def _next_deadline(self) -> Optional[float]:
        """Seconds until the busy worker that started first runs out of time (None: no limit)."""
        if self.timeout is None:
            return None
        starts = [slot.started for slot in self.slots if slot.task is not None]
        return max(0.0, min(starts) + self.timeout - time.monotonic()) if starts else None

    def _stop_overdue(self, items, on_result, on_timeout) -> int:
        """Kill and replace every worker past its time; report its task. Returns how many."""
        now = time.monotonic()
        stopped = 0
        for slot in self.slots:
            if slot.task is None or now - slot.started < self.timeout:
                continue
            index = slot.task
            if slot.conn.poll():  # the result came in just in time
                continue
            self._replace(slot)
            stopped += 1
            on_result(*on_timeout(index, items[index]))
        return stopped

    def _replace(self, slot: _Slot) -> None:
        try:
            slot.conn.close()
        except OSError:
            pass
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=5)
        fresh = self._start()
        slot.process, slot.conn, slot.task = fresh.process, fresh.conn, None

    def close(self, force: bool = False) -> None:
        for slot in self.slots:
            try:
                if force:
                    slot.process.kill()
                else:
                    slot.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for slot in self.slots:
            slot.process.join(timeout=None if not force else 5)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join(timeout=5)
            try:
                slot.conn.close()
            except OSError:
                pass
