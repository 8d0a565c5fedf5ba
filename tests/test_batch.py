"""Batch scoring: manifests, the crash-safe JSONL journal, resume, and whole runs on real articles."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _batch_docs import read_rows, write_batch
from mtcheck.batch import (
    Journal,
    _load_finished,
    check_batch,
    format_summary,
    pairs_to_csv,
    read_jsonl,
    summarize,
    write_atomic,
)
from mtcheck.cli import main
from mtcheck.errors import InputError
from mtcheck.manifest import BatchItem, collect_items, items_from_folders, read_manifest

ROOT = Path(__file__).resolve().parents[1]


# --- manifests -------------------------------------------------------------------------------


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Text.\n", encoding="utf-8")


@pytest.mark.parametrize("kind", ["csv", "tsv", "jsonl"])
def test_manifest_formats_resolve_paths_against_their_folder(tmp_path, kind):
    _touch(tmp_path, "a/s1.txt", "a/t1.txt", "a/r1.txt", "a/s2.txt", "a/t2.txt")
    if kind == "jsonl":
        text = ('{"id": "one", "source": "a/s1.txt", "target": "a/t1.txt", "reference": "a/r1.txt"}\n'
                '\n{"source": "a/s2.txt", "target": "a/t2.txt"}\n')
    else:
        sep = "," if kind == "csv" else "\t"
        text = sep.join(["id", "source", "target", "reference"]) + "\n"
        text += sep.join(["one", "a/s1.txt", "a/t1.txt", "a/r1.txt"]) + "\n"
        text += sep.join(["", "a/s2.txt", "a/t2.txt", ""]) + "\n"
    manifest = tmp_path / f"m.{kind}"
    manifest.write_text(text, encoding="utf-8")
    items = read_manifest(manifest)
    base = tmp_path.resolve()
    assert items == [
        BatchItem("one", str(base / "a/s1.txt"), str(base / "a/t1.txt"), str(base / "a/r1.txt")),
        BatchItem("a/t2.txt", str(base / "a/s2.txt"), str(base / "a/t2.txt"), None),
    ]


def test_manifest_without_suffix_is_sniffed(tmp_path):
    _touch(tmp_path, "s.txt", "t.txt")
    manifest = tmp_path / "list"
    manifest.write_text("source\ttarget\ns.txt\tt.txt\n", encoding="utf-8")
    assert [i.id for i in read_manifest(manifest)] == ["t.txt"]


@pytest.mark.parametrize("path", ["../outside.txt", "a/../../outside.txt", "/etc/passwd"])
def test_manifest_paths_cannot_escape_its_folder(tmp_path, path):
    inner = tmp_path / "inner"
    _touch(inner, "s.txt")
    _touch(tmp_path, "outside.txt")
    manifest = inner / "m.jsonl"
    manifest.write_text(json.dumps({"source": "s.txt", "target": path}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="outside the manifest's folder"):
        read_manifest(manifest)
    # Allowed on request, and then the path is used as written.
    items = read_manifest(manifest, allow_outside=True)
    assert os.path.realpath(items[0].target) == os.path.realpath(inner / path)


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    inner = tmp_path / "inner"
    _touch(inner, "s.txt")
    _touch(tmp_path, "secret.txt")
    (inner / "link.txt").symlink_to(tmp_path / "secret.txt")
    manifest = inner / "m.csv"
    manifest.write_text("source,target\ns.txt,link.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match="outside"):
        read_manifest(manifest)


@pytest.mark.parametrize("text, message", [
    ("", "names no document"),
    ("source,text\na,b\n", "must name the columns source and target"),
    ("source,target\na.txt\n", "1 fields where the header has 2"),
    ('{"source": "a.txt", "target": "b.txt"}\n{"source": \n', ":2: not a JSON object"),
    ('["a.txt", "b.txt"]\n', "must be a JSON object"),
    ('{"source": "a.txt"}\n', "no target path"),
    ('{"id": "x", "source": "a.txt", "target": "b.txt"}\n{"id": "x", "source": "a.txt", "target": "c.txt"}\n',
     "appears more than once"),
    ('{"source": {"$ne": 1}, "target": "b.txt"}\n', "must be a string"),
])
def test_bad_manifests_are_input_errors(tmp_path, text, message):
    suffix = ".jsonl" if text.startswith(("{", "[")) else ".csv"
    manifest = tmp_path / f"m{suffix}"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("$", r"\$")):
        read_manifest(manifest)


def test_manifest_missing_or_not_utf8(tmp_path):
    with pytest.raises(InputError, match="no such manifest"):
        read_manifest(tmp_path / "nope.csv")
    bad = tmp_path / "m.csv"
    bad.write_bytes(b"source,target\n\xff\xfe,\x80\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_manifest(bad)


def test_folders_are_matched_by_file_name(tmp_path):
    _touch(tmp_path, "src/a.txt", "src/sub/b.txt", "tgt/a.txt", "tgt/sub/b.txt", "ref/a.txt", "ref/sub/b.txt",
           "src/.hidden", "tgt/.hidden")
    items = items_from_folders(tmp_path / "src", tmp_path / "tgt", tmp_path / "ref")
    assert [i.id for i in items] == ["a.txt", "sub/b.txt"]
    assert items[1].reference == str(tmp_path / "ref" / "sub/b.txt")
    assert collect_items([tmp_path / "src", tmp_path / "tgt"])[0].reference is None


def test_folders_that_do_not_match_are_refused(tmp_path):
    _touch(tmp_path, "src/a.txt", "src/b.txt", "tgt/a.txt", "ref/c.txt")
    with pytest.raises(InputError, match="no counterpart, e.g. b.txt"):
        items_from_folders(tmp_path / "src", tmp_path / "tgt")
    with pytest.raises(InputError, match="no reference"):
        items_from_folders(tmp_path / "src", tmp_path / "tgt", tmp_path / "ref")
    with pytest.raises(InputError, match="a folder alone is not a batch"):
        collect_items([tmp_path / "src"])
    with pytest.raises(InputError, match="not a folder"):
        collect_items([tmp_path / "src", tmp_path / "src" / "a.txt"])


# --- the journal -------------------------------------------------------------------------------


def test_journal_appends_whole_lines_and_reading_drops_a_cut_line(tmp_path):
    path = tmp_path / "rows.jsonl"
    with Journal(path) as journal:
        journal.append(['{"id": "a"}', '{"id": "b"}'])
        journal.append([])
        journal.append(['{"id": "c"}'])
    assert path.read_text() == '{"id": "a"}\n{"id": "b"}\n{"id": "c"}\n'
    with open(path, "ab") as handle:  # what a kill in the middle of a write would leave
        handle.write(b'{"id": "d", "sco')
    assert [r["id"] for r in read_jsonl(path)] == ["a", "b", "c"]
    assert path.read_bytes().endswith(b'"sco')  # reading alone changes nothing
    read_jsonl(path, repair=True)
    assert path.read_text() == '{"id": "a"}\n{"id": "b"}\n{"id": "c"}\n'


def test_journal_on_a_full_disk_leaves_no_half_row(tmp_path):
    path = tmp_path / "full.jsonl"
    path.symlink_to("/dev/full")
    journal = Journal(path)
    with pytest.raises(Exception, match="(?i)no space left"):
        journal.append(['{"id": "a"}'])
    journal.close()


def test_rows_write_non_finite_scores_as_null():
    import numpy as np

    from mtcheck.journal import dumps

    row = {"scores": {"a": float("nan"), "b": float("inf"), "c": np.float32(0.5), "d": 1.25}, "ids": [1, 2]}
    assert json.loads(dumps(row)) == {"scores": {"a": None, "b": None, "c": 0.5, "d": 1.25}, "ids": [1, 2]}


def test_write_atomic_replaces_the_whole_file(tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old")
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_resume_drops_pairs_of_unfinished_documents_and_cut_lines(tmp_path):
    docs = tmp_path / "documents.jsonl"
    pairs = tmp_path / "pairs.jsonl"
    docs.write_text(
        '{"id": "a", "status": "ok", "pairs": 1}\n'
        '{"id": "b", "status": "error", "error": "empty"}\n'
        '{"id": "a", "status": "ok", "pairs": 1}\n'  # a duplicate must count once
        '{"id": "c", "status": "o'
    )
    pairs.write_text(
        '{"doc": "a", "pair": 0}\n'
        '{"doc": "c", "pair": 0}\n'  # c has no finished row: its pairs will be written again
        '{"doc": "a", "pair": 0}\n'
        '{"doc": "c", "pa'
    )
    batch = [BatchItem(x, "s", "t") for x in "abc"]
    finished = _load_finished(tmp_path, batch)
    assert sorted(finished) == ["a", "b"]
    assert [r["id"] for r in read_rows(docs)] == ["a", "b"]
    assert read_rows(pairs) == [{"doc": "a", "pair": 0}]


# --- summaries -----------------------------------------------------------------------------------


ROWS = [
    {"id": "a", "status": "ok", "pairs": 10, "scores": {"chrf": 60.0, "ter": 40.0, "length_ratio": 1.1},
     "flags": {"omission": 1}, "severities": {"minor": 0, "major": 1, "critical": 0}},
    {"id": "b", "status": "ok", "pairs": 30, "scores": {"chrf": 40.0, "ter": 70.0, "length_ratio": 1.3},
     "flags": {"omission": 2, "casing": 1}, "severities": {"minor": 1, "major": 1, "critical": 1}},
    {"id": "c", "status": "error", "error": "the target document is empty"},
]


def test_summary_counts_and_worst_scores_follow_the_score_direction():
    summary = summarize(ROWS)
    assert summary["documents"] == {"total": 3, "ok": 2, "error": 1}
    assert summary["pairs"] == 40
    assert summary["flags"] == {"casing": 1, "omission": 3}
    assert summary["severities"] == {"minor": 1, "major": 2, "critical": 1}
    assert summary["scores"]["chrf"] == {"mean": 50.0, "documents": 2, "worst": 40.0, "worst_id": "b",
                                         "direction": "higher"}
    assert summary["scores"]["ter"]["worst"] == 70.0  # lower is better for TER
    assert "worst" not in summary["scores"]["length_ratio"]  # no direction, no worst
    assert summary["errors"] == [{"id": "c", "error": "the target document is empty"}]
    text = format_summary(summary)
    assert "Documents         3  (2 ok, 1 failed)" in text
    assert "omission" in text and "7.50" in text  # 3 per 40 pairs
    assert "c: the target document is empty" in text
    assert summary["check_errors"] == {} and "Checks that failed" not in text


def test_summary_adds_up_the_checks_that_failed():
    rows = [dict(ROWS[0], check_errors={"duplication": 2}),
            dict(ROWS[1], check_errors={"duplication": 1, "casing": 4})]
    summary = summarize(rows)
    assert summary["check_errors"] == {"casing": 4, "duplication": 3}
    text = format_summary(summary)
    assert "Checks that failed" in text and "duplication" in text.split("Checks that failed")[1]


def test_pairs_csv_has_a_column_per_score():
    rows = [{"doc": "a", "pair": 0, "src_ids": [0, 1], "tgt_ids": [0], "src": "Hi, you.", "tgt": "Salut",
             "ref": None, "align_score": 0.9, "scores": {"similarity": 0.8},
             "flags": [{"code": "omission", "severity": "major", "side": "src", "span": [4, 8], "message": "m"}]},
            {"doc": "a", "pair": 1, "src_ids": [], "tgt_ids": [1], "src": "", "tgt": "Ajout", "ref": None,
             "align_score": 0.0, "scores": {"chrf": 12.5}, "flags": []}]
    import csv
    import io

    table = list(csv.DictReader(io.StringIO(pairs_to_csv(rows))))
    assert table[0]["src_ids"] == "0 1" and table[0]["flags"] == "omission/major"
    assert table[0]["worst"] == "major" and table[1]["worst"] == "none"
    assert table[0]["similarity"] == "0.8" and table[1]["chrf"] == "12.5" and table[0]["chrf"] == ""


# --- whole runs, with the real pipeline ---------------------------------------------------------------


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory, shared_data):
    folder = tmp_path_factory.mktemp("batch")
    manifest = write_batch(folder, 4, max_sentences=4)
    # A document that cannot be checked: its translation is empty.
    (folder / "docs" / "empty.fr.txt").write_text("  \n", encoding="utf-8")
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "empty", "source": "docs/0000.en.txt", "target": "docs/empty.fr.txt"}) + "\n")
    return manifest


@pytest.fixture(scope="module")
def small_run(small_batch, tmp_path_factory):
    outdir = tmp_path_factory.mktemp("out") / "run"
    result = check_batch(small_batch, outdir, workers=2, progress=False, pairs_format="csv")
    return result


def test_batch_writes_a_row_per_document_and_an_error_row(small_run, small_batch):
    rows = read_rows(small_run.outdir / "documents.jsonl")
    manifest_ids = [json.loads(line)["id"] for line in small_batch.read_text().splitlines()]
    assert [r["id"] for r in rows] == manifest_ids  # manifest order once finished
    ok = [r for r in rows if r["status"] == "ok"]
    assert len(ok) == 4
    for row in ok:
        assert set(row) >= {"id", "source", "target", "reference", "status", "scores", "flags", "severities", "pairs"}
        assert row["pairs"] > 0 and "similarity" in row["scores"]
    error = rows[-1]
    assert error["status"] == "error" and "empty" in error["error"] and error["target"].endswith("empty.fr.txt")
    assert small_run.summary["documents"] == {"total": 5, "ok": 4, "error": 1}


def test_batch_pairs_belong_to_their_documents(small_run):
    pairs = read_rows(small_run.outdir / "pairs.jsonl")
    docs = {r["id"]: r for r in read_rows(small_run.outdir / "documents.jsonl")}
    by_doc = {}
    for row in pairs:
        by_doc.setdefault(row["doc"], []).append(row["pair"])
        for flag in row["flags"]:
            assert flag["signature"].startswith(flag["code"] + ":")
    assert set(by_doc) == {d for d, r in docs.items() if r["status"] == "ok"}
    for doc_id, indices in by_doc.items():
        assert indices == list(range(docs[doc_id]["pairs"]))
    csv_text = (small_run.outdir / "pairs.csv").read_text(encoding="utf-8")
    assert csv_text.count("\n") >= len(pairs) + 1
    assert small_run.pairs.shape[0] == len(pairs)
    assert list(small_run.documents["id"])[-1] == "empty"


def test_resume_of_a_finished_batch_checks_nothing(small_run, small_batch):
    before = (small_run.outdir / "documents.jsonl").read_bytes()
    again = check_batch(small_batch, small_run.outdir, resume=True, progress=False, pairs_format="csv")
    assert again.checked == 0
    assert (small_run.outdir / "documents.jsonl").read_bytes() == before
    with pytest.raises(InputError, match="--resume"):
        check_batch(small_batch, small_run.outdir, progress=False)


def test_batch_command_reads_folders_and_prints_progress_and_summary(tmp_path, shared_data):
    manifest = write_batch(tmp_path, 2, max_sentences=3)
    src, tgt = tmp_path / "src", tmp_path / "tgt"
    src.mkdir()
    tgt.mkdir()
    for item in read_manifest(manifest):
        name = Path(item.target).name.replace(".fr", "")
        Path(item.source).rename(src / name)
        Path(item.target).rename(tgt / name)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "mtcheck", "batch", str(src), str(tgt), "-o", str(out), "--workers", "1",
         "--pairs-format", "parquet"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "2/2 documents" in proc.stderr and "/min" in proc.stderr
    assert "Documents         2  (2 ok, 0 failed)" in proc.stdout
    assert [r["id"] for r in read_rows(out / "documents.jsonl")] == ["0000.txt", "0001.txt"]
    import pandas as pd

    table = pd.read_parquet(out / "pairs.parquet")
    assert set(table["doc"]) == {"0000.txt", "0001.txt"}
    run = json.loads((out / "run.json").read_text())
    assert run["workers"] == 1 and run["checked"] == 2


def test_batch_command_refuses_paths_outside_the_manifest(tmp_path, capsys):
    inner = tmp_path / "inner"
    _touch(inner, "s.txt")
    _touch(tmp_path, "t.txt")
    manifest = inner / "m.csv"
    manifest.write_text("source,target\ns.txt,../t.txt\n", encoding="utf-8")
    code = main(["batch", str(manifest), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "outside the manifest's folder" in err
    assert not (tmp_path / "out").exists()


def test_python_api_accepts_tuples(tmp_path, shared_data):
    manifest = write_batch(tmp_path, 1, max_sentences=3)
    item = read_manifest(manifest)[0]
    result = check_batch([(item.source, item.target)], tmp_path / "out", workers=0, progress=False)
    assert result.summary["documents"]["ok"] == 1
    assert result.documents.loc[0, "id"] == item.target


def test_batch_gate_overwrite_and_junit(tmp_path, capsys, monkeypatch, shared_data):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    manifest = write_batch(tmp_path, 2, max_sentences=3)
    out, junit = tmp_path / "out", tmp_path / "gate.xml"
    strict = tmp_path / "strict.toml"
    strict.write_text("[tool.mtcheck.gate]\nmin_scores = {similarity = 2.0}\n")  # cannot hold
    args = ["batch", str(manifest), "-o", str(out), "--workers", "0", "--no-progress"]
    assert main(args + ["--gate", "--config", str(strict), "--junit", str(junit)]) == 1
    assert "gate: FAILED (0 of 2 documents pass)" in capsys.readouterr().out
    assert 'type="min_scores.similarity"' in junit.read_text()
    assert main(args) == 2  # the folder holds results
    assert "add --resume" in capsys.readouterr().err
    lenient = tmp_path / "lenient.toml"
    lenient.write_text("[tool.mtcheck.gate]\nmax_failing_share = 1.0\n")
    assert main(args + ["--overwrite", "--gate", "--config", str(lenient)]) == 0
    assert len(read_rows(out / "documents.jsonl")) == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[tool.mtcheck.gate]\nmin_score = 1\n")
    assert main(args + ["--overwrite", "--gate", "--config", str(bad)]) == 2


def test_documents_over_the_sentence_limit_are_error_rows_and_the_batch_goes_on(small_batch, tmp_path):
    # Every document of small_batch has more than one sentence a side, so a limit of 1 refuses
    # each of them before any model runs, as an error row that says why.
    result = check_batch(small_batch, tmp_path / "run", workers=1, progress=False, max_sentences=1)
    rows = read_rows(result.outdir / "documents.jsonl")
    assert [r["status"] for r in rows] == ["error"] * 5
    assert all("limit of 1" in r["error"] for r in rows[:4]), rows
    assert result.summary["documents"] == {"total": 5, "ok": 0, "error": 5}
