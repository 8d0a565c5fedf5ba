"""The renderers: table, JSON, JSONL, CSV, HTML and the Jupyter views, on reports built
from the data model (tests/_reports.py) and on edge cases."""
from __future__ import annotations

import csv
import io
import json
import math
from html.parser import HTMLParser

import pandas as pd
import pytest

from _reports import HOSTILE, sample_report
from mtcheck.html_report import chart_svg, clip_span, highlight
from mtcheck.models import Flag, Link, Pair
from mtcheck.render import FORMATS, display_width, render, render_table
from mtcheck.report import DocumentInfo, Report


class _Text(HTMLParser):
    """The text a browser would show, and the tags it would build."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = [], []

    def handle_data(self, data):
        self.text.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _parse(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


def _empty_report() -> Report:
    return Report(pairs=[], source=DocumentInfo(None, "en", 0), target=DocumentInfo(None, "fr", 0))


# --- dispatch -----------------------------------------------------------------------------
def test_every_format_renders_and_unknown_format_is_refused():
    report = sample_report(hostile=True)
    for fmt in FORMATS:
        assert render(report, fmt).strip()
    with pytest.raises(ValueError, match="unknown format"):
        render(report, "yaml")


def test_every_format_handles_an_empty_report():
    for fmt in FORMATS:
        assert isinstance(render(_empty_report(), fmt), str)


# --- json and jsonl ---------------------------------------------------------------------------
def test_json_is_the_report_contract():
    report = sample_report()
    assert json.loads(render(report, "json")) == json.loads(report.to_json())


def test_jsonl_has_a_document_line_then_one_line_per_pair_in_strict_json():
    report = sample_report()
    lines = render(report, "jsonl").splitlines()
    assert len(lines) == 1 + len(report.aligned_pairs)

    def strict(text):
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))

    doc = strict(lines[0])
    assert doc["type"] == "document" and "pairs" not in doc
    assert doc["document"]["confidence"]["chrf"] == [58.9, 65.1]
    rows = [strict(line) for line in lines[1:]]
    assert [r["pair"] for r in rows] == list(range(len(report.aligned_pairs)))
    assert {r["type"] for r in rows} == {"pair"}
    assert rows[1]["scores"]["similarity"] is None  # NaN written as null
    assert rows[2]["flags"][0]["span"] == list(report.aligned_pairs[2].flags[0].span)
    assert rows[2]["tgt"] == report.aligned_pairs[2].tgt


# --- csv --------------------------------------------------------------------------------------
def test_csv_has_one_row_per_pair_with_scores_as_columns():
    report = sample_report(hostile=True)
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert len(rows) == len(report.aligned_pairs)
    for name in ("similarity", "quality", "length_ratio", "chrf", "bleu", "ter"):
        assert name in rows[0]
    assert float(rows[2]["similarity"]) == pytest.approx(0.78)
    assert rows[1]["similarity"] == ""  # NaN is an empty cell
    assert rows[2]["flags"] == "duplication:major; casing:minor"
    assert rows[2]["worst"] == "major" and rows[2]["n_flags"] == "2"
    assert rows[4]["tgt_ids"] == "" and rows[4]["src_ids"] == "3"
    assert rows[6]["tgt"] == HOSTILE  # texts round-trip exactly, quotes and all
    frame = pd.read_csv(io.StringIO(render(report, "csv")))
    assert frame["similarity"].dtype == float


def test_csv_ids_of_a_many_to_many_link_are_space_separated():
    pair = Pair(Link((3, 4), (5,), 0.7), "A. B.", "AB.", scores={"similarity": 0.5})
    report = Report([pair], DocumentInfo(None, "en", 5), DocumentInfo(None, "fr", 6))
    row = next(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert (row["src_ids"], row["tgt_ids"]) == ("3 4", "5")
    assert "ref" not in row


# --- the terminal table -------------------------------------------------------------------
def test_table_shows_pairs_flags_scores_with_confidence_and_signature():
    report = sample_report()
    text = render_table(report, color=False, width=140)
    assert "\x1b[" not in text
    assert "duplication" in text and "omission" in text
    assert "95% CI [58.9, 65.1]" in text  # chrF with its interval
    assert "lower is better" in text  # TER says its direction
    assert "Signature: " + report.signature in text
    assert "minor 3, major 3, critical 1" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("#"))
    assert "source" in header and "target" in header and "sim" in header
    rows = [line for line in lines if line[:3].strip().isdigit()]
    assert len(rows) == len(report.aligned_pairs)
    assert all(display_width(line) <= 140 for line in lines[: 3 + len(rows)])


def test_table_colours_only_when_asked():
    report = sample_report()
    assert "\x1b[31m" in render_table(report, color=True)
    assert "\x1b[" not in render_table(report, color=False)
    # Not a terminal (pytest captures stdout): no colour by default.
    assert "\x1b[" not in render(report, "table")


def test_table_colour_follows_no_color_and_force_color(monkeypatch):
    report = sample_report()
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in render(report, "table")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in render(report, "table")


def test_table_neutralises_terminal_escapes_in_document_text():
    evil = "Bonjour\x1b]0;pwned\x07 \x1b[2J tout le monde\r\nfin"
    pair = Pair(Link((0,), (0,), 0.9), "Hello everyone", evil,
                flags=[Flag("encoding", "major", "tgt", (7, 8), "control\x1b[31m character")])
    report = Report([pair], DocumentInfo(None, "en", 1), DocumentInfo("a\x1bb.txt", "fr", 1),
                    signature="sig\x1b[0m")
    text = render_table(report, color=False, width=200)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "\\x1b" in text


def test_table_aligns_wide_characters():
    pair = Pair(Link((0,), (0,), 0.9), "Tokyo is big", "東京は大きい都市です。" * 4, scores={"similarity": 0.9})
    report = Report([pair, pair], DocumentInfo(None, "en", 2), DocumentInfo(None, "ja", 2))
    lines = render_table(report, color=False, width=100).splitlines()
    rows = [line for line in lines if line[:3].strip().isdigit()]
    assert len({display_width(r) for r in rows}) == 1
    assert all(display_width(r) <= 100 for r in rows)


def test_table_shows_a_failed_gate():
    report = sample_report()
    report.gate = {"passed": False, "failures": [{"rule": "max_flags.critical", "message": "1 critical flag > 0"}]}
    text = render_table(report, color=False)
    assert "failed" in text and "1 critical flag > 0" in text


# --- span highlighting ----------------------------------------------------------------------
def _flag(span, code="punctuation", severity="minor", message="m"):
    return Flag(code, severity, "tgt", span, message)


def test_highlight_keeps_every_character_once_with_overlapping_and_wild_spans():
    text = "Il a dit <b>\"oui\"</b> & il est parti."
    flags = [_flag((0, 8), "duplication", "major"), _flag((3, 15), "casing"),
             _flag((-10, 2), "encoding", "critical"), _flag((30, 999)), _flag((5, 5)),
             _flag((9, 3)), _flag(None)]
    out = highlight(text, flags)
    parsed = _parse(out)
    assert "".join(parsed.text) == text
    marks = [attrs for tag, attrs in parsed.tags if tag == "mark"]
    assert {tag for tag, _ in parsed.tags} == {"mark"}  # the <b> in the text stays text
    assert len(marks) == 5  # cut at 0, 2, 3, 8, 15 and 30..end
    assert marks[0]["class"] == "flag sev-critical"  # worst of encoding+duplication
    assert json.loads(marks[0]["data-flags"]) == [["duplication", "major"], ["encoding", "critical"]]
    assert "casing (minor): m" in marks[2]["title"] and "duplication (major): m" in marks[2]["title"]


def test_clip_span():
    assert clip_span((2, 5), 10) == (2, 5)
    assert clip_span((-3, 50), 10) == (0, 10)
    assert clip_span((12, 20), 10) is None
    assert clip_span((4, 4), 10) is None
    assert clip_span((6, 2), 10) is None
    assert clip_span(None, 10) is None


def test_highlight_escapes_messages_inside_attributes():
    out = highlight("abc", [_flag((0, 3), message='"><script>x()</script>')])
    assert "<script>" not in out
    parsed = _parse(out)
    assert parsed.tags[0][1]["title"] == 'punctuation (minor): "><script>x()</script>'


# --- the HTML page and the Jupyter view -------------------------------------------------------
def test_html_page_escapes_every_text_and_shows_each_pair():
    report = sample_report(hostile=True)
    page = render(report, "html")
    parsed = _parse(page)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("script") == 1 and "img" not in tags
    assert not [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")]
    rows = [a for t, a in parsed.tags if t == "tr" and a.get("id", "").startswith("pair-")]
    assert len(rows) == len(report.aligned_pairs)
    shown = "".join(parsed.text)
    assert HOSTILE in shown  # the hostile text is displayed as text, exactly
    assert "<b>evil</b>.txt" in shown and "He said <b>nothing</b> & left." in shown
    assert report.signature in shown


def test_html_chart_marks_flagged_pairs_and_breaks_lines_at_missing_scores():
    report = sample_report()
    svg = chart_svg(report)
    parsed = _parse(svg)
    markers = [a for t, a in parsed.tags if t == "rect" and a.get("class") == "marker"]
    assert len(markers) == sum(1 for p in report.aligned_pairs if p.flags)
    # similarity exists for pairs 0, 2, 3 only: one line for 2-3, dots for all three
    lines = [a for t, a in parsed.tags if t == "polyline"]
    assert any(len(a["points"].split()) == 2 for a in lines)
    assert chart_svg(_empty_report()).startswith("<svg")


def test_repr_html_is_a_compact_escaped_table():
    report = sample_report(hostile=True)
    out = report._repr_html_()
    parsed = _parse(out)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "img" not in tags
    assert tags.count("tr") == len(report.aligned_pairs) + 1
    assert "mark" in tags
    assert HOSTILE in "".join(parsed.text)


def test_repr_html_shortens_long_reports():
    report = sample_report()
    report.aligned_pairs = report.aligned_pairs * 20
    out = report._repr_html_()
    assert out.count("<tr>") == 61 and "60 more pairs" in out


# --- DataFrames and plot ------------------------------------------------------------------
def test_dataframes_have_tidy_types():
    report = sample_report()
    pairs = report.pairs
    assert pairs.index.name == "pair"
    for name in ("align_score", "similarity", "quality", "chrf"):
        assert pd.api.types.is_float_dtype(pairs[name]), name
    assert isinstance(pairs["worst"].dtype, pd.CategoricalDtype)
    assert list(pairs["worst"].cat.categories) == ["none", "minor", "major", "critical"]
    assert math.isnan(pairs.loc[1, "similarity"])
    flags = report.flags
    assert pd.api.types.is_integer_dtype(flags["pair"])
    assert pd.api.types.is_integer_dtype(flags["start"]) and pd.api.types.is_integer_dtype(flags["end"])
    assert isinstance(flags["severity"].dtype, pd.CategoricalDtype)
    assert flags["severity"].cat.ordered
    assert (flags["severity"] >= "major").sum() == 4


def test_plot_draws_scores_and_flag_marks(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    report = sample_report()
    ax = report.plot()
    labels = [line.get_label() for line in ax.get_lines()]
    assert "similarity" in labels and "quality" in labels
    assert {"flag: major", "flag: critical", "flag: minor"} <= set(labels)
    ax.figure.savefig(tmp_path / "plot.png")
    assert (tmp_path / "plot.png").stat().st_size > 5_000


def test_report_writers(tmp_path):
    report = sample_report()
    html = report.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == html
    assert report.to_csv().splitlines()[0].startswith("pair,src_ids,tgt_ids")
    assert len(report.to_jsonl().splitlines()) == 1 + len(report.aligned_pairs)


# --- highlighting under arbitrary input -----------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_spans = st.one_of(st.none(), st.tuples(st.integers(-20, 80), st.integers(-20, 80)))
_texts = st.text(alphabet=st.sampled_from(list("ab <>&\"'=/é«» \u00a0\n")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(text=_texts, spans=st.lists(_spans, max_size=6),
       severities=st.lists(st.sampled_from(["minor", "major", "critical"]), min_size=6, max_size=6))
def test_highlight_never_loses_or_injects_text(text, spans, severities):
    flags = [Flag("code<x>", sev, "tgt", span, 'msg "<b>"') for span, sev in zip(spans, severities)]
    parsed = _parse(highlight(text, flags))
    assert "".join(parsed.text) == text
    assert {tag for tag, _ in parsed.tags} <= {"mark"}
    for _, attrs in parsed.tags:
        assert set(attrs) == {"class", "data-flags", "title"}
        assert json.loads(attrs["data-flags"])


def test_html_shows_the_gate_verdict_with_links_to_pairs():
    report = sample_report()
    report.gate = {"passed": False, "failures": [
        {"rule": "max_flags", "key": "major", "actual": 3, "limit": 0, "pair": 1,
         "message": '3 major flags <at most 0> "allowed"'}]}
    page = render(report, "html")
    parsed = _parse(page)
    shown = "".join(parsed.text)
    assert "gate failed: 1 rule broken" in shown
    assert '3 major flags <at most 0> "allowed"' in shown
    assert any(t == "a" and a.get("href") == "#pair-1" for t, a in parsed.tags)
    report.gate = {"passed": True, "failures": []}
    assert "gate passed" in "".join(_parse(render(report, "html")).text)


def test_repr_is_one_line_whatever_the_length():
    report = sample_report()
    report.aligned_pairs = report.aligned_pairs * 500
    text = repr(report)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<Report source.en.txt (en) -> target.fr.txt (fr): 3000 pairs, 3500 flags")


def test_flags_show_the_signature_that_waives_them():
    report = sample_report()
    pair = report.aligned_pairs[2]
    signature = pair.flags[0].signature(pair)
    assert f"waiver: {signature}" in render_table(report, color=False)
    page = render(report, "html")
    assert '<code class="sig" title="' in page and f">{signature}</code>" in page


@pytest.mark.parametrize("text, shown", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+33 1 23", "'+33 1 23"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"),
    ("\tcmd", "'\tcmd"),
    ("- Oui, dit-il.", "- Oui, dit-il."),  # a dialogue dash stays
    ("Prix : =5 €", "Prix : =5 €"),
])
def test_csv_cells_that_would_start_a_spreadsheet_formula_get_an_apostrophe(text, shown):
    # Documents are untrusted: a translation line must not run as a formula when the CSV is
    # opened in a spreadsheet. JSON keeps the text exact.
    pair = Pair(Link((0,), (0,), 0.9), "Price.", text, scores={"similarity": 0.5})
    report = Report([pair], DocumentInfo(None, "en", 1), DocumentInfo(None, "fr", 1))
    row = next(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert row["tgt"] == shown and row["src"] == "Price."
    assert json.loads(render(report, "json"))["pairs"][0]["tgt"] == text
    from mtcheck.batch import pairs_to_csv

    batch_row = {"doc": "=d", "pair": 0, "src_ids": [0], "tgt_ids": [0], "src": "Price.", "tgt": text,
                 "ref": None, "align_score": 0.9, "scores": {"similarity": 0.5}, "flags": []}
    table = next(csv.DictReader(io.StringIO(pairs_to_csv([batch_row]))))
    assert table["tgt"] == shown and table["doc"] == "'=d" and table["similarity"] == "0.5"
