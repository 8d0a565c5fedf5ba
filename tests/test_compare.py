"""Comparing two runs: sacrebleu's paired bootstrap, flags introduced and resolved, regressions."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sacrebleu.significance import _compute_p_value

from mtcheck.cli import main
from mtcheck.compare import bootstrap_indices, compare_runs, find_regressions, flag_signature, paired_bootstrap
from mtcheck.errors import InputError
from mtcheck.models import Flag, Link, Pair


# --- the statistics --------------------------------------------------------------------------------


def test_p_value_is_sacrebleus_on_the_same_resamples():
    rng = np.random.default_rng(0)
    base = rng.normal(50, 10, 80)
    new = base + rng.normal(0.8, 3, 80)
    result = paired_bootstrap(base, new, n_samples=1000, seed=12345)
    # sacrebleu draws its resamples the same way: default_rng(seed).choice(n, (samples, n)).
    idx = np.random.default_rng(12345).choice(80, size=(1000, 80), replace=True)
    assert np.array_equal(idx, bootstrap_indices(80, 1000, 12345))
    diffs = np.abs(new[idx].mean(1) - base[idx].mean(1))
    expected = _compute_p_value(diffs - diffs.mean(), abs(new.mean() - base.mean()))
    assert result["p"] == pytest.approx(expected)
    assert result["delta"] == pytest.approx(new.mean() - base.mean())
    assert result["ci"][0] < result["delta"] < result["ci"][1]


def test_a_clear_shift_is_significant_and_noise_is_not():
    rng = np.random.default_rng(1)
    base = rng.normal(50, 10, 100)
    shifted = paired_bootstrap(base, base - 3 + rng.normal(0, 1, 100))
    assert shifted["p"] < 0.01 and shifted["ci"][1] < 0
    jitter = rng.normal(0, 1, 100)
    noise = paired_bootstrap(base, base + jitter - jitter.mean() + 0.02)
    assert noise["p"] > 0.05 and noise["ci"][0] < 0 < noise["ci"][1]
    assert paired_bootstrap(base, base)["p"] == 1.0
    assert paired_bootstrap(base, base + 1) == paired_bootstrap(base, base + 1)  # fixed seed


# --- runs on disk ------------------------------------------------------------------------------------


def _flag(code, severity="major", side="tgt", span=None, message="m"):
    return {"code": code, "severity": severity, "side": side, "span": span, "message": message}


def _batch(folder: Path, docs: dict) -> Path:
    """docs: id -> (chrf, [(src, tgt, [flags])]); writes documents.jsonl and pairs.jsonl."""
    folder.mkdir(parents=True)
    doc_rows, pair_rows = [], []
    for doc_id, (chrf, pairs) in docs.items():
        flags = {}
        for _, _, fl in pairs:
            for f in fl:
                flags[f["code"]] = flags.get(f["code"], 0) + 1
        doc_rows.append({"id": doc_id, "status": "ok", "pairs": len(pairs), "scores": {"chrf": chrf, "length_ratio": 1.0},
                         "flags": flags, "severities": {}})
        for k, (src, tgt, fl) in enumerate(pairs):
            pair_rows.append({"doc": doc_id, "pair": k, "src_ids": [k], "tgt_ids": [k], "src": src, "tgt": tgt,
                              "scores": {"chrf": chrf}, "flags": fl})
    (folder / "documents.jsonl").write_text("".join(json.dumps(r) + "\n" for r in doc_rows))
    (folder / "pairs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in pair_rows))
    return folder


def _docs(n, chrf_of, pairs_of):
    return {f"d{i}": (chrf_of(i), pairs_of(i)) for i in range(n)}


@pytest.fixture()
def runs(tmp_path):
    same = lambda i: [("One.", "Un.", []), (f"Two {i}.", f"Deux {i}.", [])]  # noqa: E731
    base = _batch(tmp_path / "base", _docs(30, lambda i: 50.0 + (i % 7), lambda i: [
        ("One.", "Un.", [_flag("casing", "minor")] if i == 0 else []),
        (f"Two {i}.", f"Deux {i} {i}.", [_flag("duplication")] if i < 3 else []),
    ]))
    better = _batch(tmp_path / "better", _docs(30, lambda i: 53.0 + (i % 7) + (i % 3) * 0.1, lambda i: [
        ("One.", "Un.", [_flag("casing", "minor")] if i == 0 else []),  # unchanged: the same flag
        (f"Two {i}.", f"Deux {i}.", [_flag("number_mismatch", "critical")] if i == 5 else []),
    ]))
    worse = _batch(tmp_path / "worse", _docs(30, lambda i: 47.0 + (i % 7) - (i % 3) * 0.1, same))
    return base, better, worse


def test_compare_batches_scores_and_flags(runs):
    base, better, _ = runs
    c = compare_runs(base, better)
    assert c.unit == "document" and len(c.documents) == 30
    chrf = c.metrics["chrf"]
    assert chrf["base"] == pytest.approx(52.8, abs=0.1) and chrf["delta"] == pytest.approx(3.1, abs=0.05)
    assert chrf["p"] < 0.05 and chrf["change"] == "better" and chrf["direction"] == "higher"
    assert c.metrics["length_ratio"]["change"] == "same"
    changes = c.flag_changes()
    # The casing flag on the unchanged pair is the same flag; the duplications went with their text.
    assert changes["resolved"] == {"total": 3, "severities": {"minor": 0, "major": 3, "critical": 0},
                                   "codes": {"duplication": 3}}
    assert changes["introduced"]["codes"] == {"number_mismatch": 1}
    assert c.introduced[0]["doc"] == "d5" and c.introduced[0]["text"] == "Deux 5." and c.introduced[0]["pair"] == 1
    assert find_regressions(c) == ["1 more critical flag(s) (1 introduced, 0 resolved)"]
    assert find_regressions(c, {"chrf": 1.0}) == []


def test_a_significant_drop_is_a_regression(runs):
    base, _, worse = runs
    c = compare_runs(base, worse)
    assert c.metrics["chrf"]["change"] == "worse"
    assert c.metrics["flags"]["change"] == "better"  # fewer flags per document
    regressions = find_regressions(c)
    assert len(regressions) == 1 and regressions[0].startswith("chrf worse: 52.8")
    assert find_regressions(c, {"chrf": 10.0}) == []  # a drop within the tolerance
    assert find_regressions(c, {"*": 1.0})[0].startswith("chrf worse by 3.1 (more than 1 allowed")
    assert find_regressions(c, {"major": 0}) == []  # only flags were asked about, and fewer there are


def test_compare_two_reports_by_source_sentence(tmp_path):
    def report(chrfs, flags):
        pairs = [{"src_ids": [i], "tgt_ids": [i], "src": f"S{i}.", "tgt": f"T{i}.", "ref": None, "align_score": 1.0,
                  "scores": {"chrf": c}, "flags": flags.get(i, [])} for i, c in enumerate(chrfs)]
        return {"version": "0", "signature": "", "source": {"path": "a"}, "target": {"path": "b"},
                "reference": None, "pairs": pairs, "document": {"scores": {"chrf": 50.0}, "flags": {}}}

    rng = np.random.default_rng(3)
    base_scores = list(rng.uniform(30, 70, 40))
    base = tmp_path / "base.json"
    base.write_text(json.dumps(report(base_scores, {2: [_flag("omission", side="src", span=[0, 2])]})))
    new = tmp_path / "new.json"
    new.write_text(json.dumps(report([s + 5 for s in base_scores], {})))
    c = compare_runs(base, new)
    assert c.unit == "source sentence" and c.metrics["chrf"]["units"] == 40
    assert c.metrics["chrf"]["delta"] == pytest.approx(5.0) and c.metrics["chrf"]["change"] == "better"
    assert [f["code"] for f in c.resolved] == ["omission"] and c.introduced == []


def test_signature_is_recomputed_like_flag_signature():
    pair = Pair(Link((0,), (0,)), "Hello there.", "Bonjour là.")
    flag = Flag("casing", "minor", "tgt", (0, 7), "m")
    as_dict = {"src_ids": [0], "tgt_ids": [0], "src": pair.src, "tgt": pair.tgt}
    assert flag_signature(flag.to_dict(), as_dict) == flag.signature(pair)
    assert flag_signature(dict(flag.to_dict(), signature="casing:abc"), as_dict) == "casing:abc"


def test_compare_refuses_runs_with_nothing_in_common(tmp_path):
    a = _batch(tmp_path / "a", {"x": (50.0, [("a", "b", [])])})
    b = _batch(tmp_path / "b", {"y": (50.0, [("a", "b", [])])})
    with pytest.raises(InputError, match="no successfully checked document in common"):
        compare_runs(a, b)


# --- the command ----------------------------------------------------------------------------------


def test_compare_command(runs, tmp_path, capsys, monkeypatch):
    base, better, worse = runs
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert main(["compare", str(base), str(worse)]) == 0  # reported, not judged
    out = capsys.readouterr().out
    assert "30 document(s) compared, unit: document; paired bootstrap, 1000 resamples, seed 12345" in out
    assert "worse" in out and "Flags: 0 introduced, 4 resolved (net -4)" in out
    assert main(["compare", str(base), str(worse), "--fail-on-regression"]) == 1
    assert "Regression: chrf worse" in capsys.readouterr().out
    assert main(["compare", str(base), str(better / "documents.jsonl"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metrics"]["chrf"]["change"] == "better" and data["flags"]["introduced"]["total"] == 1
    # A max_regression rule in pyproject.toml applies without the option.
    (tmp_path / "pyproject.toml").write_text("[tool.mtcheck.gate]\nmax_regression = {critical = 0}\n")
    assert main(["compare", str(base), str(better), "--format", "markdown"]) == 1
    assert "**Regression: 1 more critical flag(s)" in capsys.readouterr().out
    assert main(["compare", str(base), str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
