"""Faults in batch runs, for real: processes killed and interrupted, full and read-only disks.

Each run is `python -m mtcheck batch` in a subprocess over real news articles. After every
fault, `--resume` must finish the batch with every document exactly once, no half-written
row, and the documents finished before the fault kept as they were (not checked again).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _batch_docs import read_rows, write_batch
from mtcheck.manifest import read_manifest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600


def _default_sigint() -> None:
    # A test run started as a background job of a non-interactive shell ("bash .ci/run &",
    # nohup) ignores SIGINT, and a child inherits that: the batch would never see the
    # Ctrl-C the tests send. A terminal's job gets the default, which is what is tested.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(manifest: Path, outdir: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mtcheck", "batch", str(manifest), "-o", str(outdir), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        start_new_session=True,  # its own process group, as a shell job would be
        preexec_fn=_default_sigint,
    )


def _finished_rows(outdir: Path) -> int:
    path = outdir / "documents.jsonl"
    if not path.exists():
        return 0
    return path.read_bytes().count(b"\n")


def _kill_whole_run_after(manifest, outdir, rows: int, workers: int) -> None:
    """Start a batch, SIGKILL its whole process group once `rows` documents are finished."""
    proc = _start(manifest, outdir, "--workers", str(workers), "--no-progress")
    try:
        _wait_for_rows(proc, outdir, rows)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()


def _wait_for_rows(proc: subprocess.Popen, outdir: Path, count: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while _finished_rows(outdir) < count:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the batch ended before {count} documents were finished: {err[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the batch made no progress")
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in brackets and may hold spaces; the parent pid follows it.
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def _workers(pid: int) -> list[int]:
    """The batch's worker processes (children running mtcheck's worker, not the resource tracker)."""
    workers = []
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.spawn" in cmdline or b"spawn_main" in cmdline:
            workers.append(child)
    return workers


def _resume(manifest: Path, outdir: Path, *extra: str, workers: str = "2") -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "mtcheck", "batch", str(manifest), "-o", str(outdir), "--resume",
         "--workers", workers, "--no-progress", *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def _assert_complete(manifest: Path, outdir: Path, kept: list[dict]) -> list[dict]:
    """Every document exactly once and ok, pairs once each, and `kept` rows unchanged."""
    ids = [item.id for item in read_manifest(manifest)]
    rows = read_rows(outdir / "documents.jsonl")  # fails on a half-written line
    assert [r["id"] for r in rows] == ids
    assert all(r["status"] == "ok" for r in rows), [r for r in rows if r["status"] != "ok"]
    pairs = read_rows(outdir / "pairs.jsonl")
    keys = [(p["doc"], p["pair"]) for p in pairs]
    assert len(keys) == len(set(keys))
    assert len(pairs) == sum(r["pairs"] for r in rows)
    by_id = {r["id"]: r for r in rows}
    for row in kept:
        assert by_id[row["id"]] == row
    return rows


@pytest.fixture()
def batch(tmp_path, shared_data):
    return write_batch(tmp_path, 12, max_sentences=8)


def test_a_worker_killed_with_sigkill_is_replaced_and_its_document_checked_again(batch, tmp_path):
    outdir = tmp_path / "out"
    proc = _start(batch, outdir, "--workers", "2", "--no-progress")
    try:
        _wait_for_rows(proc, outdir, 2)
        workers = _workers(proc.pid)
        assert workers, "no worker process found"
        os.kill(workers[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    _assert_complete(batch, outdir, kept=[])
    assert json.loads((outdir / "run.json").read_text())["checked"] == 12


def test_a_document_past_its_time_is_stopped_and_recorded_and_the_batch_goes_on(tmp_path, shared_data):
    # A twentieth of a second is less than a fresh worker needs to read, split and embed a
    # document with a model it has yet to load (half a second was not always), so documents
    # run out of time: each must become an error row that says so, its worker killed and
    # replaced, and the batch must end normally. With time enough, the same batch is fine.
    manifest = write_batch(tmp_path, 3, max_sentences=4)
    outdir = tmp_path / "out"
    proc = _start(manifest, outdir, "--workers", "2", "--no-progress", "--doc-timeout", "0.05")
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    rows = read_rows(outdir / "documents.jsonl")
    assert [r["id"] for r in rows] == [item.id for item in read_manifest(manifest)]
    # (a result that comes in while the parent is busy past a deadline is kept, not thrown
    # away: finished work is never lost. So at least the first two, sent at once to fresh
    # workers, must time out, and every row that is not ok must say why.)
    timed_out = [r for r in rows if r["status"] == "error" and "--doc-timeout" in r["error"]]
    assert len(timed_out) >= 2, [(r["id"], r["status"], r.get("error")) for r in rows]
    assert all(r["status"] == "ok" or r in timed_out for r in rows), rows
    pairs = read_rows(outdir / "pairs.jsonl")
    assert {p["doc"] for p in pairs} == {r["id"] for r in rows if r["status"] == "ok"}
    # A plain --resume keeps the error rows; --retry-errors checks those documents again.
    _resume(manifest, outdir, workers="1")  # (asserts exit 0)
    assert [r["status"] for r in read_rows(outdir / "documents.jsonl")] == [r["status"] for r in rows]
    _resume(manifest, outdir, "--doc-timeout", "300", "--retry-errors", workers="1")
    _assert_complete(manifest, outdir, kept=[])
    assert json.loads((outdir / "run.json").read_text())["checked"] == len(timed_out)


def test_a_bad_doc_timeout_is_a_one_line_error(tmp_path, shared_data):
    manifest = write_batch(tmp_path, 1, max_sentences=2)
    for value, workers in (("0", "1"), ("nan", "1"), ("soon", "1"), ("5", "0")):
        proc = _start(manifest, tmp_path / f"out-{value}-{workers}", "--workers", workers, "--doc-timeout", value)
        out, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 2 and "Traceback" not in err, err
        assert len(err.strip().splitlines()) == 1 and "timeout" in err, err
    proc = _start(manifest, tmp_path / "out-retry", "--retry-errors")
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 2 and len(err.strip().splitlines()) == 1 and "--resume" in err, err


# Documents in the interrupted run: on a fast machine two workers finished all of 12 in the
# moment between the fourth row and the signal, leaving the resume nothing to do.
INTERRUPTED_DOCUMENTS = 24


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "sigkill"])
def test_an_interrupted_run_resumes_with_every_document_once(tmp_path, shared_data, how):
    batch = write_batch(tmp_path, INTERRUPTED_DOCUMENTS, max_sentences=8)
    outdir = tmp_path / "out"
    proc = _start(batch, outdir, "--workers", "2")
    try:
        # (the workers are read from /proc before the fourth row, not between it and the
        # signal: the scan takes time in which more documents finish)
        _wait_for_rows(proc, outdir, 1)
        workers = _workers(proc.pid)
        _wait_for_rows(proc, outdir, 4)
        os.killpg(proc.pid, how)  # Ctrl-C, or the whole job killed
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    if how == signal.SIGINT:
        assert proc.returncode == 130, err
        lines = err.strip().splitlines()
        assert lines[-1] == "mtcheck: interrupted"
        assert "documents are finished in" in lines[-2] and "--resume" in lines[-2]
        assert "Traceback" not in err
    else:
        assert proc.returncode == -signal.SIGKILL
    time.sleep(0.5)
    for pid in workers:  # no worker outlives the run
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    before = read_rows(outdir / "documents.jsonl")
    assert 4 <= len(before) < INTERRUPTED_DOCUMENTS
    _resume(batch, outdir)
    _assert_complete(batch, outdir, kept=before)
    run = json.loads((outdir / "run.json").read_text())
    assert run["resumed"] == len(before) and run["checked"] == INTERRUPTED_DOCUMENTS - len(before)


def test_a_half_written_row_is_dropped_on_resume(batch, tmp_path):
    outdir = tmp_path / "out"
    _kill_whole_run_after(batch, outdir, rows=2, workers=1)
    before = read_rows(outdir / "documents.jsonl")
    # What a kill in the middle of a write leaves: part of a row for a document not yet done,
    # and pair rows written for it before its document row.
    next_item = read_manifest(batch)[len(before)]
    with open(outdir / "pairs.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"doc": next_item.id, "pair": 0, "src": "x"}) + "\n")
    with open(outdir / "documents.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": next_item.id, "status": "ok", "pairs": 99})[:30])
    _resume(batch, outdir, workers="1")
    rows = _assert_complete(batch, outdir, kept=before)
    assert {r["id"]: r for r in rows}[next_item.id]["pairs"] != 99


def test_a_full_disk_is_a_one_line_error(tmp_path, shared_data):
    manifest = write_batch(tmp_path, 2, max_sentences=3)
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "pairs.jsonl").symlink_to("/dev/full")  # every write there fails with ENOSPC
    proc = subprocess.run(
        [sys.executable, "-m", "mtcheck", "batch", str(manifest), "-o", str(outdir), "--workers", "1",
         "--no-progress"],
        capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
    )
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("mtcheck:")]
    assert errors == [f"mtcheck: error: cannot write {outdir / 'pairs.jsonl'}: no space left on the disk"]
    assert "Traceback" not in proc.stderr
    assert read_rows(outdir / "documents.jsonl") == []


def _mount_tmpfs(where: Path, options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                            capture_output=True, text=True)
    return result.returncode == 0


def test_a_small_disk_filling_up_is_a_one_line_error(tmp_path, shared_data):
    manifest = write_batch(tmp_path, 6, max_sentences=10)
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "size=12k"):
        pytest.skip("mounting a small tmpfs needs root and mount (the /dev/full test covers ENOSPC)")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mtcheck", "batch", str(manifest), "-o", str(disk / "out"), "--workers", "1",
             "--no-progress"],
            capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
        )
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert lines[-1].startswith("mtcheck: error: cannot write") and "no space left" in lines[-1]
        assert "Traceback" not in proc.stderr
        read_rows(disk / "out" / "documents.jsonl")  # whole rows only
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_read_only_output_folder_is_a_one_line_error(tmp_path, shared_data):
    manifest = write_batch(tmp_path, 1, max_sentences=3)
    folder = tmp_path / "ro"
    if os.geteuid() == 0:
        # chmod does not stop root: use a read-only mount instead.
        if not _mount_tmpfs(folder, "ro,size=64k"):
            pytest.skip("running as root without permission to mount a read-only tmpfs")
    else:
        folder.mkdir()
        folder.chmod(0o500)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mtcheck", "batch", str(manifest), "-o", str(folder / "out"), "--no-progress"],
            capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
        )
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"mtcheck: error: cannot write {folder / 'out'}"), proc.stderr
        assert "read-only" in lines[0] or "not writable" in lines[0]
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(folder)], check=False)
        else:
            folder.chmod(0o700)


def test_manifest_rows_stay_data(tmp_path, shared_data):
    """Ids and paths that look like code or markup are kept as text, never run."""
    manifest = write_batch(tmp_path, 1, max_sentences=3)
    row = json.loads(manifest.read_text())
    marker = tmp_path / "pwned"
    row["id"] = f"$(touch {marker}); `touch {marker}` <script>alert(1)</script> {{{{7*7}}}}"
    manifest.write_text(json.dumps(row) + "\n", encoding="utf-8")
    outdir = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "mtcheck", "batch", str(manifest), "-o", str(outdir), "--workers", "1", "--no-progress"],
        capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    assert read_rows(outdir / "documents.jsonl")[0]["id"] == row["id"]


@pytest.mark.skipif(not os.environ.get("MTCHECK_SLOW_TESTS"),
                    reason="200 articles take minutes; set MTCHECK_SLOW_TESTS=1 (or run benchmarks/load.py kill-resume)")
def test_200_articles_killed_half_way_and_resumed(tmp_path, shared_data):
    manifest = write_batch(tmp_path, 200)
    outdir = tmp_path / "out"
    _kill_whole_run_after(manifest, outdir, rows=100, workers=2)
    before = read_rows(outdir / "documents.jsonl")
    _resume(manifest, outdir)
    _assert_complete(manifest, outdir, kept=before)
    assert json.loads((outdir / "run.json").read_text())["resumed"] == len(before)
