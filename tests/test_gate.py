"""The gate: rules, verdicts, JUnit XML, GitHub annotations, the Markdown summary and exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mtcheck.cli import main
from mtcheck.errors import ConfigError
from mtcheck.gate import (
    github_annotations,
    judge_batch,
    judge_report,
    judge_results,
    junit_xml,
    markdown_summary,
    parse_rules,
    result_from_row,
    rules_with_flags,
)

ROOT = Path(__file__).resolve().parents[1]


def _pair(src, tgt, scores=None, flags=()):
    return {"src_ids": [0], "tgt_ids": [0], "src": src, "tgt": tgt, "ref": None, "align_score": 0.9,
            "scores": scores or {}, "flags": [
                {"code": c, "severity": s, "side": "tgt", "span": None, "message": m} for c, s, m in flags]}


def _report(target_path=None, scores=None, pairs=()):
    pairs = list(pairs)
    flags, severities = {}, {"minor": 0, "major": 0, "critical": 0}
    for pair in pairs:
        for f in pair["flags"]:
            flags[f["code"]] = flags.get(f["code"], 0) + 1
            severities[f["severity"]] += 1
    return {"version": "0", "signature": "s", "source": {"path": None, "lang": "en", "segments": len(pairs)},
            "target": {"path": target_path, "lang": "fr", "segments": len(pairs)}, "reference": None,
            "pairs": pairs, "document": {"scores": scores or {}, "flags": flags, "severities": severities},
            "gate": None}


CLEAN = _report(scores={"chrf": 61.0, "quality": 0.8}, pairs=[_pair("Hello.", "Bonjour.", {"chrf": 61.0})])
FLAGGED = _report(scores={"chrf": 35.5, "quality": 0.3}, pairs=[
    _pair("One.", "Un.", {"chrf": 70.0}),
    _pair("Two.", "Deux deux.", {"chrf": 20.0}, [("duplication", "major", "said twice")]),
    _pair("Three.", "Trois.", {"chrf": 50.0}, [("casing", "minor", "lower case"), ("casing", "minor", "again")]),
])


# --- rules -------------------------------------------------------------------------------------


def test_no_rule_means_the_default_gate():
    rules = parse_rules({})
    assert rules.max_flags == {"critical": 0, "major": 0} and rules.min_scores == {}
    assert judge_report(CLEAN, {}).passed
    verdict = judge_report(FLAGGED, None)
    assert not verdict.passed
    assert [(f.rule, f.key, f.actual, f.limit) for f in verdict.failures] == [("max_flags", "major", 1, 0)]
    assert verdict.to_dict()["passed"] is False and verdict.to_dict()["failures"][0]["rule"] == "max_flags"


def test_configured_rules_replace_the_default():
    rules = {"min_scores": {"chrf": 40}, "max_flags": {"casing": 1}, "max_flag_rate": {"all": 50.0}}
    failures = {(f.rule, f.key): f for f in judge_report(FLAGGED, rules).failures}
    assert set(failures) == {("min_scores", "chrf"), ("max_flags", "casing"), ("max_flag_rate", "all")}
    assert failures[("min_scores", "chrf")].actual == 35.5 and failures[("min_scores", "chrf")].pair == 1
    assert "35.5 is below the minimum 40" in failures[("min_scores", "chrf")].message
    assert failures[("max_flags", "casing")].actual == 2 and failures[("max_flags", "casing")].pair == 2
    assert failures[("max_flag_rate", "all")].actual == 100.0  # 3 flags in 3 pairs
    assert judge_report(FLAGGED, {"max_flags": {"major": 1}, "max_flag_rate": {"casing": 70}}).passed


def test_a_missing_score_breaks_its_rule():
    verdict = judge_report(CLEAN, {"min_scores": {"comet": 0.5}})
    assert not verdict.passed and "comet is missing" in verdict.failures[0].message


def test_a_flag_rule_whose_check_failed_cannot_be_verified():
    broken = json.loads(json.dumps(CLEAN))
    broken["document"]["check_errors"] = {"duplication": 2}
    # the default gate counts every severity: a check that flagged nothing on 2 pairs leaves
    # "no major flag" unproven
    verdict = judge_report(broken, None)
    assert not verdict.passed
    assert {(f.rule, f.key) for f in verdict.failures} == {("max_flags", "major"), ("max_flags", "critical")}
    assert "duplication on 2 pairs" in verdict.failures[0].message and "cannot be verified" in verdict.failures[0].message
    # a rule on another check, or on scores only, still holds
    assert judge_report(broken, {"max_flags": {"casing": 0}, "min_scores": {"chrf": 40}}).passed
    assert not judge_report(broken, {"max_flag_rate": {"duplication": 5.0}}).passed
    # the same from a batch row
    row = {"id": "a", "status": "ok", "pairs": 1, "flags": {}, "severities": {}, "check_errors": {"omission": 1}}
    assert not judge_results([result_from_row(row)], {"max_flags": {"omission": 0}}).passed


def test_lower_is_better_scores_have_maximums():
    report = _report(scores={"ter": 72.0}, pairs=[_pair("a", "b", {"ter": 72.0})])
    assert not judge_report(report, {"max_scores": {"ter": 60}}).passed
    table = rules_with_flags({}, ["ter=80", "chrf=30"], ["duplication=0", "casing=2.5%"])
    assert table["max_scores"] == {"ter": 80.0} and table["min_scores"] == {"chrf": 30.0}
    assert table["max_flags"] == {"critical": 0, "major": 0, "duplication": 0.0}
    assert table["max_flag_rate"] == {"casing": 2.5}


@pytest.mark.parametrize("rules, message", [
    ({"min_score": {"chrf": 1}}, "unknown gate rule"),
    ({"max_flags": {"majr": 0}}, "neither a severity"),
    ({"min_scores": {"chrf": "high"}}, "not a number"),
    ({"min_scores": 40}, "must be a table"),
    ({"max_failing_share": 2}, "from 0 to 1"),
])
def test_bad_rules_are_config_errors(rules, message):
    with pytest.raises(ConfigError, match=message):
        parse_rules(rules)


# --- batches --------------------------------------------------------------------------------------


ROWS = [
    {"id": "good", "target": "t/good.txt", "status": "ok", "pairs": 20, "scores": {"chrf": 60.0},
     "flags": {"casing": 1}, "severities": {"minor": 1, "major": 0, "critical": 0}},
    {"id": "bad", "target": "t/bad.txt", "status": "ok", "pairs": 10, "scores": {"chrf": 30.0},
     "flags": {"omission": 1}, "severities": {"minor": 0, "major": 0, "critical": 1}},
    {"id": "broken", "target": "t/broken.txt", "status": "error", "error": "the target document is empty"},
    {"id": "fine", "target": "t/fine.txt", "status": "ok", "pairs": 5, "scores": {"chrf": 50.0},
     "flags": {}, "severities": {"minor": 0, "major": 0, "critical": 0}},
]


def test_batch_verdict_and_the_failing_share():
    results = [result_from_row(r) for r in ROWS]
    verdict = judge_results(results, {})
    assert [v.name for v in verdict.failing] == ["bad", "broken"]
    assert not verdict.passed
    assert verdict.failures[0].rule == "max_failing_share" and verdict.failures[0].actual == 0.5
    assert "2 of 4 documents fail (50.0%" in verdict.failures[0].message
    assert judge_results(results, {"max_flags": {"critical": 0}, "max_failing_share": 0.5}).passed
    assert not judge_results(results, {"max_flags": {"critical": 0}, "max_failing_share": 0.49}).passed


def test_junit_has_a_case_per_document_and_a_failure_per_broken_rule():
    verdict = judge_results([result_from_row(r) for r in ROWS], {"min_scores": {"chrf": 40}})
    root = ET.fromstring(junit_xml(verdict))
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"good", "bad", "broken", "fine", "batch: share of failing documents"}
    assert cases["good"].find("failure") is None
    failure = cases["bad"].find("failure")
    assert failure.get("type") == "min_scores.chrf"
    assert "30 is below the minimum 40" in failure.get("message")
    assert "value 30, limit 40" in failure.text
    assert cases["broken"].find("error").get("message") == "the target document is empty"
    assert cases["good"].get("file") == "t/good.txt"
    assert suite.get("tests") == "5" and suite.get("failures") == "2" and suite.get("errors") == "1"


def test_junit_escapes_document_text():
    row = dict(ROWS[1], id='<doc & "x">\x01')
    text = junit_xml(judge_results([result_from_row(row)], {}))
    root = ET.fromstring(text)  # well-formed despite markup and a control character
    assert root.find("testsuite/testcase").get("name") == '<doc & "x"> '
    assert "<doc &" not in text


def test_github_annotations_point_at_the_flagged_line(tmp_path):
    target = tmp_path / "target.fr.txt"
    target.write_text("Un.\n\nDeux deux.\n\nTrois.\n", encoding="utf-8")
    report = dict(FLAGGED, target={"path": str(target), "lang": "fr", "segments": 3})
    lines = github_annotations(judge_report(report, {"max_flags": {"major": 0}, "min_scores": {"chrf": 40}}))
    assert len(lines) == 2
    flags = next(line for line in lines if "max_flags" in line)
    assert flags.startswith(f"::error file={target},line=3,")  # "Deux deux." is on line 3
    assert "title=mtcheck max_flags.major::1 major flag (at most 0 allowed); first: duplication (major): said twice" in flags
    scores = next(line for line in lines if "min_scores" in line)
    assert ",line=3," in scores  # the worst chrF pair is the same one


def test_annotation_text_is_escaped():
    row = dict(ROWS[2], error="50% done\nthen: failed, badly")
    (line,) = github_annotations(judge_results([result_from_row(row)], {"max_failing_share": 1}))
    assert line.endswith("::50%25 done%0Athen: failed, badly")
    assert "title=mtcheck%3A document not checked" in line


def test_markdown_summary_names_documents_and_rules():
    verdict = judge_results([result_from_row(r) for r in ROWS], {"min_scores": {"chrf": 40}})
    text = markdown_summary(verdict, verdict.rules)
    assert text.startswith("## mtcheck gate: FAILED")
    assert "2 of 4 documents pass." in text
    assert "| bad | min_scores.chrf | 30 | 40 |" in text
    assert "| broken | not checked |" in text
    assert "`chrf >= 40`" in text


# --- the command ---------------------------------------------------------------------------------


def _write(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_gate_command_exit_codes_and_outputs(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: the default gate
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    clean, flagged = _write(tmp_path / "clean.json", CLEAN), _write(tmp_path / "flagged.json", FLAGGED)
    assert main(["gate", str(clean)]) == 0
    assert "gate: passed (1 of 1 documents pass)" in capsys.readouterr().out
    junit, summary = tmp_path / "reports" / "gate.xml", tmp_path / "summary.md"
    assert main(["gate", str(flagged), "--junit", str(junit), "--summary", str(summary), "--github"]) == 1
    out = capsys.readouterr().out
    assert "::error" in out and "gate: FAILED" in out
    assert ET.parse(junit).getroot().find("testsuite/testcase/failure").get("type") == "max_flags.major"
    assert "## mtcheck gate: FAILED" in summary.read_text()
    assert main(["gate", str(flagged), "--max-flags", "major=1"]) == 0
    assert main(["gate", str(clean), "--min", "chrf=70"]) == 1
    capsys.readouterr()


def test_gate_command_on_a_batch_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = tmp_path / "run"
    out.mkdir()
    (out / "documents.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    assert main(["gate", str(out)]) == 1
    printed = capsys.readouterr().out
    assert printed.count("::error") == 3  # bad, broken, and the batch's failing share
    assert summary.read_text().startswith("earlier step\n## mtcheck gate: FAILED")
    assert main(["gate", str(out / "documents.jsonl"), "--max-flags", "critical=1", "--config",
                 str(_toml(tmp_path, "[tool.mtcheck.gate]\nmax_failing_share = 0.25\n"))]) == 0


def _toml(folder: Path, text: str) -> Path:
    path = folder / "gate.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("setup, message", [
    (lambda d: d / "missing.json", "no such file"),
    (lambda d: _write(d / "x.json", {"not": "a report"}), "not an mtcheck report"),
    (lambda d: (d / "bad.json").write_text("{oops") and d / "bad.json", "not a JSON report"),
    (lambda d: d, "no documents.jsonl here"),
])
def test_gate_command_bad_input_is_exit_2(tmp_path, capsys, monkeypatch, setup, message):
    monkeypatch.chdir(tmp_path)
    assert main(["gate", str(setup(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_gate_command_bad_rules_are_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = _write(tmp_path / "r.json", CLEAN)
    assert main(["gate", str(report), "--min", "chrf"]) == 2
    assert main(["gate", str(report), "--config", str(_toml(tmp_path, "[tool.mtcheck.gate]\nmax_flag = {major = 0}\n"))]) == 2
    err = capsys.readouterr().err
    assert "--min wants NAME=VALUE" in err and "unknown gate rule(s) max_flag" in err


def test_pyproject_gate_passes_a_clean_translation_and_fails_the_sample(tmp_path, sample_dir):
    """End to end with the real pipeline: the clean reference passes, the sample's MT fails."""
    (tmp_path / "pyproject.toml").write_text(
        "[tool.mtcheck.gate]\nmax_flags = {critical = 0, major = 0, duplication = 0}\n", encoding="utf-8")

    def gate(target: str, junit: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mtcheck", "check", str(sample_dir / "source.en.txt"), str(sample_dir / target),
             "--gate", "--junit", str(junit), "--format", "json"],
            capture_output=True, text=True, cwd=tmp_path, timeout=600,
        )

    clean = gate("reference.fr.txt", tmp_path / "clean.xml")
    flagged = gate("target.fr.txt", tmp_path / "flagged.xml")
    assert flagged.returncode == 1, flagged.stderr
    failures = ET.parse(tmp_path / "flagged.xml").getroot().findall("testsuite/testcase/failure")
    assert "max_flags.duplication" in {f.get("type") for f in failures}
    assert json.loads(flagged.stdout)["gate"]["passed"] is False
    assert clean.returncode == 0, (clean.stderr, json.loads(clean.stdout)["gate"])
    assert ET.parse(tmp_path / "clean.xml").getroot().find("testsuite/testcase/failure") is None
