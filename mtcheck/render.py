"""Turn a `Report` into the text people read: a terminal table, JSON, JSONL, CSV or HTML.

`render(report, fmt)` is the one entry point; the command line calls it for `--format`.
The formats for machines (json, jsonl, csv) carry every pair and every score; the table
is for a person at a terminal and shortens texts to fit its width.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import math
import os
import shutil
import sys
import textwrap
import unicodedata
from typing import Optional

from mtcheck.strict_json import dumps as json_line  # NaN and infinities become null
from mtcheck.models import SEVERITIES

FORMATS = ("table", "json", "jsonl", "csv", "html")

# Scores shown first, in this order; any other score follows alphabetically.
SCORE_ORDER = ("similarity", "quality", "length_ratio", "bleu", "chrf", "ter", "comet")
# Short column headings for the table.
SCORE_LABELS = {"similarity": "sim", "quality": "qual", "length_ratio": "len", "bleu": "BLEU",
                "chrf": "chrF", "ter": "TER", "comet": "COMET"}
# Scores the table may show as columns, most telling first (narrow terminals get fewer).
TABLE_SCORES = ("quality", "similarity", "chrf", "comet", "bleu", "ter", "length_ratio")
SEVERITY_MARK = {"minor": "·", "major": "!", "critical": "‼"}
_ANSI = {"minor": "\x1b[33m", "major": "\x1b[31m", "critical": "\x1b[1;37;41m",
         "dim": "\x1b[2m", "bold": "\x1b[1m", "green": "\x1b[32m", "reset": "\x1b[0m"}


def render(report, fmt: str, *, color: Optional[bool] = None, width: Optional[int] = None) -> str:
    """The report as text in `fmt` (one of FORMATS).

    `color`: ANSI colours in the table; by default only when stdout is a terminal and
    NO_COLOR is unset (FORCE_COLOR forces them). `width`: the table's width; by default
    the terminal's.
    """
    if fmt == "table":
        return render_table(report, color=color, width=width)
    if fmt == "json":
        return report.to_json()
    if fmt == "jsonl":
        return render_jsonl(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "html":
        from mtcheck.html_report import render_html

        return render_html(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


# --- helpers shared by the formats ------------------------------------------------------
def score_names(report) -> list[str]:
    """Every score name that appears in a pair or in the document, in a stable order."""
    seen: set[str] = set()
    for p in report.aligned_pairs:
        seen.update(p.scores)
    seen.update(report.document_scores)
    known = [name for name in SCORE_ORDER if name in seen]
    return known + sorted(seen - set(known))


def score_direction(name: str) -> str:
    """Which way is better, in words, from the scores' declarations in mtcheck.metrics."""
    from mtcheck.metrics import SCORES

    info = SCORES.get(name)
    if info is None:
        return ""
    if info.higher_is_better is None:
        return "best near the usual value"
    return "higher is better" if info.higher_is_better else "lower is better"


def worst_severity(flags) -> Optional[str]:
    """The most severe severity among `flags`, or None when there is none."""
    ranks = [SEVERITIES.index(f.severity) for f in flags]
    return SEVERITIES[max(ranks)] if ranks else None


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_score(value, name: str = "") -> str:
    """A score for people: two decimals on a 0-1 scale, one on a 0-100 scale."""
    if is_missing(value):
        return "-"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if name in ("bleu", "chrf", "ter") or abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


# --- JSONL and CSV ----------------------------------------------------------------------
def render_jsonl(report) -> str:
    """One JSON object a line: first the document (`"type": "document"`), then each pair.

    The document line is `to_dict()` without its pairs; each pair line is the pair's
    JSON object from the contract plus `"type": "pair"` and its 0-based index `"pair"`.
    """
    doc = report.to_dict()
    doc.pop("pairs", None)
    lines = [json_line({"type": "document", **doc})]
    for k, p in enumerate(report.aligned_pairs):
        lines.append(json_line({"type": "pair", "pair": k, **p.to_dict()}))
    return "\n".join(lines) + "\n"


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (OWASP's
# "CSV injection"); "-" only when no space follows, so that dialogue dashes ("- Oui.") stay as
# they are.
_FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def spreadsheet_text(text):
    """A text cell that a spreadsheet shows as text: a leading apostrophe where the cell would
    otherwise start a formula. Documents are untrusted; JSON and Parquet keep texts exact."""
    if not isinstance(text, str) or not text:
        return text
    if text.startswith(_FORMULA_STARTS) or (text[0] == "-" and len(text) > 1 and not text[1].isspace()):
        return "'" + text
    return text


def render_csv(report) -> str:
    """One row per pair: ids, texts, one column per score and the flags summarised.

    Ids are joined with spaces ("3 4" for a 2-1 link); `flags` is `code:severity` items
    joined with "; ", `messages` the flag messages joined with " | ". A text that would start
    a spreadsheet formula gets a leading apostrophe (`spreadsheet_text`); the JSON formats
    keep every text exact.
    """
    names = score_names(report)
    has_ref = report.reference is not None or any(p.ref is not None for p in report.aligned_pairs)
    header = ["pair", "src_ids", "tgt_ids", "src", "tgt"] + (["ref"] if has_ref else [])
    header += ["align_score", *names, "n_flags", "worst", "flags", "messages"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for k, p in enumerate(report.aligned_pairs):
        row = [k, " ".join(map(str, p.src_ids)), " ".join(map(str, p.tgt_ids)),
               spreadsheet_text(p.src), spreadsheet_text(p.tgt)]
        if has_ref:
            row.append(spreadsheet_text(p.ref) if p.ref is not None else "")
        row.append(round(p.align_score, 6))
        for name in names:
            value = p.scores.get(name)
            row.append("" if is_missing(value) else (round(value, 6) if isinstance(value, float) else value))
        row += [
            len(p.flags),
            worst_severity(p.flags) or "",
            "; ".join(f"{f.code}:{f.severity}" for f in p.flags),
            spreadsheet_text(" | ".join(f.message for f in p.flags)),
        ]
        writer.writerow(row)
    return buf.getvalue()


# --- the terminal table -----------------------------------------------------------------
def render_table(report, *, color: Optional[bool] = None, width: Optional[int] = None) -> str:
    """A table for people at a terminal: one row per pair, then flags, document scores
    with confidence intervals, flag counts, the gate's verdict and the signature."""
    if color is None:
        color = _color_wanted()
    if width is None:
        width = shutil.get_terminal_size((120, 24)).columns
    width = max(width, 60)
    paint = _Painter(color)
    out = [_headline(report, paint, width), ""]
    out += _pairs_section(report, paint, width)
    out += _flags_section(report, paint, width)
    out += _scores_section(report, paint)
    out += _counts_section(report, paint)
    out += _gate_section(report, paint, width)
    out += ["", paint("dim", f"Signature: {_clean(report.signature)}")]
    return "\n".join(out) + "\n"


def _pairs_section(report, paint, width: int) -> list[str]:
    """One row per pair; the two texts share the width the fixed columns leave."""
    idx_w = max(1, len(str(max(len(report.aligned_pairs) - 1, 0))))
    ids = [(_ids(p.src_ids), _ids(p.tgt_ids)) for p in report.aligned_pairs]
    src_ids_w = max([3] + [len(a) for a, _ in ids])
    tgt_ids_w = max([3] + [len(b) for _, b in ids])
    flags_w = 22
    # Score columns for the scores pairs carry (document-only scores go below the table),
    # as many as leave the texts readable, most telling first.
    carried = [n for n in TABLE_SCORES if any(not is_missing(p.scores.get(n)) for p in report.aligned_pairs)]
    names: list[str] = []
    for name in carried:
        if len(names) == 5 or (names and _text_width(width, idx_w, src_ids_w, tgt_ids_w, flags_w,
                                                     names + [name]) < 26):
            break
        names.append(name)
    names.sort(key=SCORE_ORDER.index)
    score_w = [_score_width(n) for n in names]
    text_w = _text_width(width, idx_w, src_ids_w, tgt_ids_w, flags_w, names)

    head = [_pad("#", idx_w, right=True), _pad("src", src_ids_w), _pad("tgt", tgt_ids_w),
            _pad("source", text_w), _pad("target", text_w)]
    head += [_pad(SCORE_LABELS[n], w, right=True) for n, w in zip(names, score_w)]
    head.append("flags")
    out = [paint("bold", "  ".join(head))]
    for k, p in enumerate(report.aligned_pairs):
        cells = [_pad(str(k), idx_w, right=True), _pad(ids[k][0], src_ids_w), _pad(ids[k][1], tgt_ids_w),
                 _pad(_fit(p.src, text_w) if p.src else "—", text_w),
                 _pad(_fit(p.tgt, text_w) if p.tgt else "—", text_w)]
        cells += [_pad(format_score(p.scores.get(n), n), w, right=True) for n, w in zip(names, score_w)]
        line = "  ".join(cells)
        worst = worst_severity(p.flags)
        if worst:
            codes = sorted({f.code for f in p.flags})
            line += "  " + paint(worst, f"{SEVERITY_MARK[worst]} {_fit(','.join(codes), flags_w)}")
        out.append(line.rstrip())
    return out


def _flags_section(report, paint, width: int) -> list[str]:
    """Every flag with its message (wrapped, not cut: it is what the reader needs), the
    text it points at, and the signature that waives it."""
    flagged = [(k, p, f) for k, p in enumerate(report.aligned_pairs) for f in p.flags]
    if not flagged:
        return []
    out = ["", paint("bold", f"Flags ({len(flagged)})")]
    for k, p, f in flagged:
        quoted = _quoted(p, f)
        text = f"{_pad(f.severity, 8)} {_pad(f.code, 16)} pair {k} {f.side}: {_clean(f.message)}"
        if quoted:
            text += f" [{_fit(quoted, 40)}]"
        lines = textwrap.wrap(text, width=width - 2, subsequent_indent=" " * 27) or [""]
        out += ["  " + paint(f.severity, line) for line in lines]
        out.append(" " * 29 + paint("dim", f"waiver: {f.signature(p)}"))
    return out


def _scores_section(report, paint) -> list[str]:
    out = ["", paint("bold", "Document scores")]
    names = [n for n in score_names(report) if n in report.document_scores]
    if not names:
        return out + ["  (none)"]
    name_w = max(len(n) for n in names)
    for name in names:
        line = f"  {_pad(name, name_w)}  {format_score(report.document_scores[name], name):>7}"
        if name in report.confidence:
            lo, hi = report.confidence[name]
            line += f"  95% CI [{format_score(lo, name)}, {format_score(hi, name)}]"
        direction = score_direction(name)
        if direction:
            line += paint("dim", f"  ({direction})")
        out.append(line)
    return out


def _counts_section(report, paint) -> list[str]:
    out = ["", paint("bold", "Flag counts")]
    counts = report.flag_counts()
    # a check that failed found nothing where it failed: "no flags" alone would overstate
    out += ["  " + paint("major", line) for line in report.check_error_lines()]
    if not counts:
        return out + ["  " + paint("green", "no flags")]
    severities = report.severity_counts()
    out.append("  " + ", ".join(f"{code} {n}" for code, n in counts.items()))
    out.append("  " + ", ".join(paint(s, f"{s} {n}") if n else f"{s} {n}" for s, n in severities.items()))
    return out


def _gate_section(report, paint, width: int) -> list[str]:
    if not report.gate:
        return []
    out = ["", paint("bold", "Gate")]
    if report.gate.get("passed"):
        return out + ["  " + paint("green", "passed")]
    out.append("  " + paint("critical", "failed"))
    for failure in report.gate.get("failures") or []:
        out += textwrap.wrap(_clean(_failure_text(failure)), width=width,
                             initial_indent="  - ", subsequent_indent="    ")
    if report.gate.get("error"):
        out.append("  - " + _clean(report.gate["error"]))
    return out


def _score_width(name: str) -> int:
    return max(len(SCORE_LABELS[name]), 5)


def _text_width(width, idx_w, src_ids_w, tgt_ids_w, flags_w, names) -> int:
    """Columns left for each of the two texts once the fixed columns are placed."""
    # Two spaces between columns, and the severity mark before the flags.
    fixed = idx_w + src_ids_w + tgt_ids_w + sum(map(_score_width, names)) + 2 + flags_w + 2 * (5 + len(names))
    return max(12, (width - fixed) // 2)


def _headline(report, paint, width: int) -> str:
    def side(info):
        name = os.path.basename(info.path) if info.path else "(text)"
        return f"{_clean(name)} ({info.lang}, {info.segments} sentences)"

    text = f"{side(report.source)} → {side(report.target)}"
    if report.reference:
        text += f", reference {side(report.reference)}"
    count = f"  {len(report.aligned_pairs)} pairs"
    return paint("bold", _fit(text, width - len(count))) + count


def _failure_text(failure) -> str:
    if isinstance(failure, dict):
        return failure.get("message") or json.dumps(failure, ensure_ascii=False)
    return str(failure)


def _quoted(pair, flag) -> str:
    if flag.span is None:
        return ""
    text = pair.src if flag.side == "src" else pair.tgt
    start, end = max(0, flag.span[0]), min(len(text), flag.span[1])
    return text[start:end] if start < end else ""


def _ids(ids) -> str:
    if not ids:
        return "-"
    if len(ids) > 2 and ids == list(range(ids[0], ids[-1] + 1)):
        return f"{ids[0]}-{ids[-1]}"
    return ",".join(map(str, ids))


def _clean(text: str) -> str:
    """Text safe to print on a terminal: control characters (escape sequences included)
    shown as visible escapes, line breaks and tabs as spaces."""
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\r\t\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d\u200c":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal (wide CJK characters count twice)."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def _fit(text: str, width: int) -> str:
    """`text` cleaned and cut to `width` columns, with an ellipsis when cut."""
    # Only the start can be shown: clean no more than that (documents may be long).
    text = " ".join(_clean(str(text)[: 4 * width + 16]).split())
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def _color_wanted() -> bool:
    """Colour for a terminal, unless NO_COLOR is set; FORCE_COLOR asks for it anyway
    (both as https://no-color.org and CI systems use them)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _stdout_is_tty()


def _stdout_is_tty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class _Painter:
    """Wraps text in ANSI colours, or leaves it alone when colour is off."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        if not self.enabled or style not in _ANSI:
            return text
        return f"{_ANSI[style]}{text}{_ANSI['reset']}"
