"""The same input and settings give byte-identical output, run after run, whatever the workers.

Only `run.json` (when the run started and ended, how fast it went) may differ between runs.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from _batch_docs import write_batch
from mtcheck.batch import check_batch

ROOT = Path(__file__).resolve().parents[1]
COMPARED = ("documents.jsonl", "pairs.jsonl", "summary.json", "pairs.csv")


@pytest.fixture(scope="module")
def manifest(tmp_path_factory, shared_data):
    return write_batch(tmp_path_factory.mktemp("docs"), 5, max_sentences=6)


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {name: (outdir / name).read_bytes() for name in COMPARED}


def test_batch_output_is_identical_across_runs_and_worker_counts(manifest, tmp_path):
    runs = {}
    for name, workers in (("one", 1), ("one-again", 1), ("two", 2), ("in-process", 0)):
        result = check_batch(manifest, tmp_path / name, workers=workers, progress=False, pairs_format="csv")
        assert result.summary["documents"]["ok"] == 5
        runs[name] = _outputs(tmp_path / name)
    first = runs.pop("one")
    assert first["pairs.jsonl"].count(b"\n") > 5
    for name, outputs in runs.items():
        for file in COMPARED:
            assert outputs[file] == first[file], f"{file} differs between 'one' and '{name}'"


def test_check_json_is_identical_across_runs(sample_dir):
    def check() -> bytes:
        proc = subprocess.run(
            [sys.executable, "-m", "mtcheck", "check", str(sample_dir / "source.en.txt"),
             str(sample_dir / "target.fr.txt"), "--ref", str(sample_dir / "reference.fr.txt"), "--format", "json"],
            capture_output=True, cwd=ROOT, timeout=600,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        return proc.stdout

    assert check() == check()
