"""The HTML report: one self-contained page with no network access.

The page shows aligned pairs side by side, highlights each flag at its span (the
message appears on hover), filters pairs by flag code and severity, charts the scores
along the document, and ends with the signature and settings.

Safety: every piece of document text, and anything else that comes from the report
(paths, messages, settings), goes through `html.escape(..., quote=True)`, inside
element content and attributes alike. The script is static and carries no data (the
data lives in escaped `data-` attributes), and a Content-Security-Policy allows only
that script, by hash: even a mistake in escaping could not run injected code, and the
page can fetch nothing.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
from html import escape
from typing import Iterable, Optional

from mtcheck.models import SEVERITIES

# Series drawn in the chart: (score name, label, divisor to bring it to 0-1, colour).
CHART_SERIES = (
    ("similarity", "similarity", 1.0, "#2563eb"),
    ("quality", "quality", 1.0, "#9333ea"),
    ("chrf", "chrF/100", 100.0, "#059669"),
    ("comet", "COMET", 1.0, "#d97706"),
)
SEVERITY_COLOURS = {"minor": "#ca8a04", "major": "#ea580c", "critical": "#dc2626"}


def esc(value) -> str:
    """Escape anything for HTML content or a quoted attribute."""
    return escape(str(value), quote=True)


# --- span highlighting --------------------------------------------------------------------
def clip_span(span, length: int) -> Optional[tuple[int, int]]:
    """`span` clipped to [0, length]; None when nothing of it is left."""
    if span is None:
        return None
    try:
        start, end = int(span[0]), int(span[1])
    except (TypeError, ValueError, IndexError):
        return None
    start, end = max(0, min(length, start)), max(0, min(length, end))
    return (start, end) if start < end else None


def _flag_title(flags) -> str:
    return "\n".join(f"{f.code} ({f.severity}): {f.message}" for f in flags)


def _flag_data(flags) -> str:
    """The flags of an element as a JSON list of [code, severity] for the filter script."""
    return json.dumps([[f.code, f.severity] for f in flags], ensure_ascii=False)


def highlight(text: str, flags: Iterable) -> str:
    """`text` escaped, with each flag's span wrapped in a `<mark>`.

    Spans are clipped to the text and may overlap: the text is cut at every span
    boundary and each piece is marked with all the flags that cover it (coloured by the
    worst of them), so marks never nest and every character appears exactly once.
    """
    text = text or ""
    spans = []
    for f in flags:
        clipped = clip_span(f.span, len(text))
        if clipped:
            spans.append((clipped[0], clipped[1], f))
    if not spans:
        return esc(text)
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [f for s, e, f in spans if s <= a and b <= e]
        chunk = esc(text[a:b])
        if covering:
            worst = max(covering, key=lambda f: SEVERITIES.index(f.severity)).severity
            parts.append(
                f'<mark class="flag sev-{worst}" data-flags="{esc(_flag_data(covering))}" '
                f'title="{esc(_flag_title(covering))}">{chunk}</mark>'
            )
        else:
            parts.append(chunk)
    return "".join(parts)


def side_flags(pair, side: str) -> tuple[list, list]:
    """The flags of `pair` on `side`: (with a usable span, for the whole text)."""
    text = pair.src if side == "src" else pair.tgt
    spanned, whole = [], []
    for f in pair.flags:
        if f.side != side:
            continue
        (spanned if clip_span(f.span, len(text)) else whole).append(f)
    return spanned, whole


def worst(flags) -> Optional[str]:
    ranks = [SEVERITIES.index(f.severity) for f in flags]
    return SEVERITIES[max(ranks)] if ranks else None


def _number(value) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


# --- the chart ------------------------------------------------------------------------------
def chart_svg(report, width: int = 960, height: int = 240) -> str:
    """An inline SVG line chart of the pair scores along the document, flags marked below."""
    pairs = report.aligned_pairs
    n = len(pairs)
    series = [(name, label, div, colour) for name, label, div, colour in CHART_SERIES
              if any(_number(p.scores.get(name)) is not None for p in pairs)]
    left, right, top, strip = 44, 12, 12, 30
    plot_h = height - top - strip - 34
    plot_w = width - left - right
    values = [_number(p.scores.get(name)) / div for name, _, div, _ in series for p in pairs
              if _number(p.scores.get(name)) is not None]
    lo = min([0.0] + values)
    hi = max([1.0] + values)

    def x(k):
        return left + (plot_w * k / (n - 1) if n > 1 else plot_w / 2)

    def y(v):
        return top + plot_h * (hi - v) / (hi - lo)

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="scores along the document" xmlns="http://www.w3.org/2000/svg">']
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>')
    step = max(1, _nice_step(n))
    for k in range(0, n, step):
        out.append(f'<text class="tick" x="{x(k):.1f}" y="{top + plot_h + strip + 16}" '
                   f'text-anchor="middle">{k}</text>')
    for name, label, div, colour in series:
        points = [(_number(p.scores.get(name)), k) for k, p in enumerate(pairs)]
        run: list[str] = []
        for v, k in points + [(None, n)]:
            if v is None:
                if len(run) > 1:
                    out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6" '
                               f'points="{" ".join(run)}"/>')
                run = []
                continue
            run.append(f"{x(k):.1f},{y(v / div):.1f}")
        if n <= 300:
            for v, k in points:
                if v is not None:
                    out.append(f'<circle cx="{x(k):.1f}" cy="{y(v / div):.1f}" r="2.4" fill="{colour}">'
                               f'<title>pair {k}: {esc(label)} {v:.3f}</title></circle>')
    strip_y = top + plot_h + 10
    bar_w = max(2.0, min(10.0, plot_w / max(n, 1) * 0.8))
    for k, p in enumerate(pairs):
        sev = worst(p.flags)
        if not sev:
            continue
        out.append(
            f'<a href="#pair-{k}"><rect class="marker" data-flags="{esc(_flag_data(p.flags))}" '
            f'x="{x(k) - bar_w / 2:.1f}" y="{strip_y}" width="{bar_w:.1f}" height="{strip - 10}" '
            f'fill="{SEVERITY_COLOURS[sev]}"><title>pair {k}\n{esc(_flag_title(p.flags))}</title></rect></a>'
        )
    out.append(f'<text class="tick" x="{left - 6}" y="{strip_y + 12}" text-anchor="end">flags</text>')
    legend_x = left
    for _, label, _, colour in series:
        out.append(f'<rect x="{legend_x}" y="{height - 10}" width="10" height="3" fill="{colour}"/>'
                   f'<text class="tick" x="{legend_x + 14}" y="{height - 6}">{esc(label)}</text>')
        legend_x += 14 + 8 * len(label) + 16
    out.append("</svg>")
    return "".join(out)


def _nice_step(n: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if n / step <= 16:
            return step
    return max(1, n // 16)


# --- the page -------------------------------------------------------------------------------
# Scores shown in each row; the others (and the alignment score) fold under "more".
ROW_SCORES = ("similarity", "quality", "chrf", "bleu", "ter", "comet")


def _scores_cell(pair, names) -> str:
    from mtcheck.render import format_score

    def row(name, value):
        return f'<tr><th>{esc(name)}</th><td>{esc(format_score(value, name))}</td></tr>'

    shown = [n for n in names if n in ROW_SCORES and _number(pair.scores.get(n)) is not None]
    folded = [n for n in names if n not in ROW_SCORES and _number(pair.scores.get(n)) is not None]
    main = "".join(row(n, pair.scores[n]) for n in shown)
    more = row("align", pair.align_score) + "".join(row(n, pair.scores[n]) for n in folded)
    return (f'<table class="scores">{main}</table>'
            f'<details><summary>more</summary><table class="scores">{more}</table></details>')


def _text_cell(pair, side: str) -> str:
    text = pair.src if side == "src" else pair.tgt
    spanned, whole = side_flags(pair, side)
    attrs = ""
    if whole:
        attrs = (f' class="whole sev-{worst(whole)}" data-flags="{esc(_flag_data(whole))}" '
                 f'title="{esc(_flag_title(whole))}"')
    body = highlight(text, spanned) if text else '<span class="empty">nothing opposite</span>'
    return f"<td{attrs}><div class=\"text\">{body}</div></td>"


def _flags_cell(pair) -> str:
    if not pair.flags:
        return '<td class="flags"></td>'
    items = []
    for f in sorted(pair.flags, key=lambda f: -SEVERITIES.index(f.severity)):
        items.append(
            f'<li class="sev-{f.severity}" data-flags="{esc(_flag_data([f]))}">'
            f'<span class="badge sev-{f.severity}">{esc(f.code)}</span> '
            f'<span class="sev">{f.severity} · {esc(f.side)}</span>'
            f'<div class="msg">{esc(f.message)}</div>'
            f'<code class="sig" title="{_WAIVE_HINT}">{esc(f.signature(pair))}</code></li>'
        )
    return f'<td class="flags"><ul>{"".join(items)}</ul></td>'


_WAIVE_HINT = "to ignore this flag from now on, put this line in a file given to --waivers"


def _pair_row(k: int, pair, names, with_ref: bool) -> str:
    sev = worst(pair.flags)
    cls = f' class="flagged sev-{sev}"' if sev else ""
    ids = (f'<div class="ids">src {esc(" ".join(map(str, pair.src_ids)) or "–")}<br>'
           f'tgt {esc(" ".join(map(str, pair.tgt_ids)) or "–")}</div>')
    cells = [f'<td class="num"><a href="#pair-{k}">{k}</a>{ids}</td>',
             _text_cell(pair, "src"), _text_cell(pair, "tgt")]
    if with_ref:
        cells.append(f'<td><div class="text ref">{esc(pair.ref or "")}</div></td>')
    cells += [f"<td>{_scores_cell(pair, names)}</td>", _flags_cell(pair)]
    return (f'<tr id="pair-{k}"{cls} data-flags="{esc(_flag_data(pair.flags))}">'
            f'{"".join(cells)}</tr>')


def _doc_label(info, role: str) -> str:
    if info is None:
        return ""
    path = info.path or "(text)"
    return (f'<div><span class="role">{role}</span> <code>{esc(path)}</code> '
            f'<span class="muted">{esc(info.lang)}, {int(info.segments)} sentences</span></div>')


def _document_scores(report) -> str:
    from mtcheck.render import format_score, score_direction, score_names

    if not report.document_scores:
        return '<p class="muted">No document scores.</p>'
    rows = []
    for name in score_names(report):
        if name not in report.document_scores:
            continue
        ci = ""
        if name in report.confidence:
            lo, hi = report.confidence[name]
            ci = f"[{esc(format_score(lo, name))}, {esc(format_score(hi, name))}]"
        direction = score_direction(name)
        arrow = _ARROWS.get(direction, "")
        rows.append(f'<tr><th>{esc(name)} <span class="dir" title="{esc(direction)}">{arrow}</span></th>'
                    f'<td class="num">{esc(format_score(report.document_scores[name], name))}</td>'
                    f'<td class="muted ci">{ci}</td></tr>')
    return ('<table class="doc"><thead><tr><th>score</th><th>value</th><th>95% CI</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            '<p class="muted legend">↑ higher is better, ↓ lower is better, ≈ best near the usual value</p>')


_ARROWS = {"higher is better": "↑", "lower is better": "↓", "best near the usual value": "≈"}


def _filters(report) -> str:
    counts = report.flag_counts()
    severities = report.severity_counts()
    code_boxes = "".join(
        f'<label><input type="checkbox" data-filter="code" value="{esc(code)}" checked> '
        f'{esc(code)} <span class="muted">{n}</span></label>'
        for code, n in counts.items()
    ) or '<span class="muted">no flags</span>'
    sev_boxes = "".join(
        f'<label class="sev-{s}"><input type="checkbox" data-filter="severity" value="{s}" checked> '
        f'{s} <span class="muted">{severities.get(s, 0)}</span></label>'
        for s in SEVERITIES
    )
    return (
        '<section class="filters" id="filters">'
        f'<fieldset><legend>Flag code</legend>{code_boxes}</fieldset>'
        f'<fieldset><legend>Severity</legend>{sev_boxes}</fieldset>'
        '<fieldset><legend>Pairs</legend><label><input type="checkbox" id="show-clean" checked> '
        'pairs without flags</label> <button type="button" id="all-on">all</button> '
        '<button type="button" id="all-off">none</button></fieldset>'
        '<fieldset><legend>Find</legend><input type="search" id="search" placeholder="text" size="14"> '
        '<button type="button" id="prev-flag" title="previous flagged pair (key p)">&larr; flag</button> '
        '<button type="button" id="next-flag" title="next flagged pair (key n)">flag &rarr;</button>'
        '</fieldset><p class="muted" id="shown"></p></section>'
    )


def _settings(report) -> str:
    from mtcheck import __version__

    rows = [f"<tr><th>mtcheck</th><td><code>{esc(__version__)}</code></td></tr>",
            f"<tr><th>signature</th><td><code>{esc(report.signature)}</code></td></tr>"]
    for key, value in report.settings.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        rows.append(f"<tr><th>{esc(key)}</th><td><code>{esc(shown)}</code></td></tr>")
    gate = ""
    if report.gate is not None:
        gate = f'<h2 id="gate">Gate</h2>{_gate_summary(report.gate)}<ul>{_gate_failures(report.gate)}</ul>'
    return f'{gate}<h2>Signature and settings</h2><table class="settings">{"".join(rows)}</table>'


def _gate_summary(gate: dict) -> str:
    passed = bool(gate.get("passed"))
    n = len(gate.get("failures") or [])
    text = "gate passed" if passed else f"gate failed: {n} rule{'s' if n != 1 else ''} broken"
    return f'<p class="{"ok" if passed else "bad"}">{text}</p>'


def _gate_failures(gate: dict) -> str:
    items = []
    for failure in gate.get("failures") or []:
        if not isinstance(failure, dict):
            items.append(f"<li>{esc(failure)}</li>")
            continue
        text = esc(failure.get("message") or json.dumps(failure, ensure_ascii=False))
        pair = failure.get("pair")
        if isinstance(pair, int) and not isinstance(pair, bool):
            text += f' (<a href="#pair-{pair}">pair {pair}</a>)'
        rule = f' <span class="muted">{esc(failure["rule"])}</span>' if failure.get("rule") else ""
        items.append(f"<li>{text}{rule}</li>")
    if gate.get("error"):
        items.append(f"<li>{esc(gate['error'])}</li>")
    return "".join(items)


def render_html(report, title: Optional[str] = None) -> str:
    """The whole report as one self-contained HTML page."""
    from mtcheck.render import score_names

    names = score_names(report)
    with_ref = any(p.ref for p in report.aligned_pairs)
    n_flags = sum(len(p.flags) for p in report.aligned_pairs)
    title = title or f"mtcheck: {report.target.path or 'translation'}"
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'")
    head_cells = ["#", "source", "target"] + (["reference"] if with_ref else []) + ["scores", "flags"]
    rows = "".join(_pair_row(k, p, names, with_ref) for k, p in enumerate(report.aligned_pairs))
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        "<header><h1>mtcheck report</h1>",
        _doc_label(report.source, "source"), _doc_label(report.target, "target"),
        _doc_label(report.reference, "reference"),
        f'<p class="summary"><b>{len(report.aligned_pairs)}</b> pairs, <b>{n_flags}</b> flags</p>',
        "".join(f'<p class="summary">{esc(line)}</p>' for line in report.check_error_lines()),
        f'<a href="#gate">{_gate_summary(report.gate)}</a>' if report.gate is not None else "",
        "</header>",
        '<section class="top"><div><h2>Document scores</h2>', _document_scores(report), "</div>",
        '<div class="chart-box"><h2>Scores along the document</h2>', chart_svg(report), "</div></section>",
        _filters(report),
        '<table class="pairs"><thead><tr>',
        "".join(f"<th>{h}</th>" for h in head_cells),
        f"</tr></thead><tbody>{rows}</tbody></table>",
        f'<footer>{_settings(report)}</footer>',
        f"<script>{_SCRIPT}</script></body></html>\n",
    ])


_CSS = """
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--minor:#ca8a04;--major:#ea580c;--critical:#dc2626}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1500px;padding:16px 24px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:16px;margin:16px 0 6px}
code{font-size:12px;word-break:break-all}.muted{color:var(--muted)}.role{display:inline-block;width:76px;color:var(--muted)}
.top{display:grid;grid-template-columns:minmax(380px,1fr) 2.6fr;gap:24px;align-items:start}
.chart{width:100%;height:auto}.chart .grid{stroke:var(--line)}.chart .tick{font-size:11px;fill:var(--muted)}
.filters{position:sticky;top:0;background:var(--bg);z-index:2;border-bottom:1px solid var(--line);padding:6px 0;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.filters fieldset{border:1px solid var(--line);border-radius:6px;padding:4px 10px;margin:0}.filters label{margin-right:10px;white-space:nowrap}
.filters p{margin:0 8px}
table{border-collapse:collapse}table.doc td.ci{white-space:nowrap}table.doc .dir{color:var(--muted);font-weight:normal;cursor:help}.legend{font-size:12px}table.doc th,table.doc td,table.settings th,table.settings td{text-align:left;padding:2px 10px 2px 0}
table.pairs{width:100%;table-layout:fixed;margin-top:8px}
table.pairs th{background:#f9fafb;text-align:left;padding:6px;border-bottom:2px solid var(--line)}
table.pairs th:nth-child(1){width:56px}table.pairs th:nth-last-child(2){width:150px}table.pairs th:last-child{width:260px}
table.pairs>tbody>tr>td{vertical-align:top;padding:6px;border-bottom:1px solid var(--line)}
table.pairs tr.flagged td:first-child{border-left:4px solid var(--line)}
tr.sev-minor td:first-child{border-left-color:var(--minor)!important}tr.sev-major td:first-child{border-left-color:var(--major)!important}
tr.sev-critical td:first-child{border-left-color:var(--critical)!important}
table.pairs>tbody>tr.current>td{background:#eff6ff}
.text{white-space:pre-wrap;overflow-wrap:anywhere}.ref{color:#374151;font-style:italic}.ids{font-size:11px;color:var(--muted)}
.empty{color:var(--muted);font-style:italic}
td.whole{outline:2px dashed var(--major);outline-offset:-3px}td.whole.sev-minor{outline-color:var(--minor)}td.whole.sev-critical{outline-color:var(--critical)}
mark.flag{border-radius:3px;padding:0 1px;cursor:help}
mark.sev-minor{background:#fef3c7;box-shadow:inset 0 -2px var(--minor)}mark.sev-major{background:#fed7aa;box-shadow:inset 0 -2px var(--major)}
mark.sev-critical{background:#fecaca;box-shadow:inset 0 -2px var(--critical)}
mark.muted{background:none;box-shadow:none}td.whole.muted{outline:none}
table.scores{width:100%;font-size:12px}details summary{font-size:11px;color:var(--muted);cursor:pointer}
table.pairs table.scores th{background:none;border:0}table.scores th{font-weight:normal;color:var(--muted);padding:0 8px 0 0;text-align:left;overflow:hidden;text-overflow:ellipsis}table.scores td{text-align:right;font-variant-numeric:tabular-nums;padding:0}
td.flags ul{list-style:none;margin:0;padding:0}td.flags li{margin-bottom:6px}td.flags li.muted{opacity:.35}
.badge{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-size:12px;font-weight:600}
.badge.sev-minor{background:var(--minor)}.badge.sev-major{background:var(--major)}.badge.sev-critical{background:var(--critical)}
.sev{font-size:11px;color:var(--muted)}.msg{font-size:12px}code.sig{font-size:10px;color:var(--muted);cursor:help;user-select:all}
label.sev-minor{color:var(--minor)}label.sev-major{color:var(--major)}label.sev-critical{color:var(--critical)}
.ok{color:#059669;font-weight:600}.bad{color:var(--critical);font-weight:600}
footer{margin-top:24px;border-top:1px solid var(--line)}
@media (max-width:900px){.top{grid-template-columns:1fr}}
@media (prefers-color-scheme:dark){:root{--fg:#e5e7eb;--muted:#9ca3af;--line:#374151;--bg:#111827}
table.pairs th{background:#1f2937}mark.flag{color:#111827}.ref{color:#d1d5db}
table.pairs>tbody>tr.current>td{background:#1e3a5f}a{color:#93c5fd}}
""".strip()

# Static: no data from the report ever goes into the script (CSP allows it by hash).
_SCRIPT = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var showClean = document.getElementById("show-clean");
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.pairs > tbody > tr"));
  var marked = Array.prototype.slice.call(document.querySelectorAll(
    "mark.flag, td.whole, td.flags li, rect.marker"));
  var shown = document.getElementById("shown");
  function parse(el) {
    try { return JSON.parse(el.getAttribute("data-flags") || "[]"); } catch (e) { return []; }
  }
  function active() {
    var on = {code: {}, severity: {}};
    boxes.forEach(function (b) { on[b.getAttribute("data-filter")][b.value] = b.checked; });
    return on;
  }
  function anyActive(flags, on) {
    return flags.some(function (f) { return on.code[f[0]] && on.severity[f[1]]; });
  }
  var search = document.getElementById("search");
  var texts = rows.map(function (row) {
    return Array.prototype.map.call(row.querySelectorAll(".text"), function (el) {
      return el.textContent;
    }).join(" ").toLowerCase();
  });
  function apply() {
    var on = active(), visible = 0, query = search.value.trim().toLowerCase();
    rows.forEach(function (row, i) {
      var flags = parse(row);
      var show = flags.length ? anyActive(flags, on) : showClean.checked;
      if (query && texts[i].indexOf(query) < 0) { show = false; }
      row.hidden = !show;
      if (show) { visible += 1; }
    });
    marked.forEach(function (el) {
      var off = !anyActive(parse(el), on);
      el.classList.toggle("muted", off);
      if (el.tagName.toLowerCase() === "rect") { el.style.opacity = off ? "0.15" : ""; }
    });
    shown.textContent = "showing " + visible + " of " + rows.length + " pairs";
  }
  function setAll(value) {
    boxes.forEach(function (b) { b.checked = value; });
    showClean.checked = value;
    search.value = "";
    apply();
  }
  var current = -1;
  function go(step) {
    var flagged = rows.filter(function (row) { return !row.hidden && parse(row).length; });
    if (!flagged.length) { return; }
    var at = flagged.indexOf(rows[current]);
    var next = flagged[(at + step + flagged.length) % flagged.length];
    if (at < 0 && step < 0) { next = flagged[flagged.length - 1]; }
    if (at < 0 && step > 0) { next = flagged[0]; }
    if (rows[current]) { rows[current].classList.remove("current"); }
    current = rows.indexOf(next);
    next.classList.add("current");
    next.scrollIntoView({block: "center"});
  }
  document.getElementById("next-flag").addEventListener("click", function () { go(1); });
  document.getElementById("prev-flag").addEventListener("click", function () { go(-1); });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || /input|textarea|select/i.test(e.target.tagName)) { return; }
    if (e.key === "n") { go(1); } else if (e.key === "p") { go(-1); }
  });
  boxes.concat([showClean]).forEach(function (b) { b.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  document.getElementById("all-on").addEventListener("click", function () { setAll(true); });
  document.getElementById("all-off").addEventListener("click", function () { setAll(false); });
  document.documentElement.setAttribute("data-ready", "1");
  apply();
})();
""".strip()
