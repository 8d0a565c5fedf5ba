"""How a `Report` shows itself in Jupyter: a compact HTML table and a matplotlib chart.

matplotlib is imported only when a chart is drawn, so importing mtcheck stays light.
"""
from __future__ import annotations

from mtcheck.html_report import ROW_SCORES, SEVERITY_COLOURS, _number, esc, highlight, side_flags, worst
from mtcheck.render import format_score, score_names

# Scores shown in the compact table, at most this many.
_TABLE_SCORES = 4

_CSS = """
.mtcheck-report{font-size:13px}.mtcheck-report table{border-collapse:collapse}
.mtcheck-report th,.mtcheck-report td{padding:3px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
.mtcheck-report td.t{max-width:38em;white-space:pre-wrap;overflow-wrap:anywhere}
.mtcheck-report td.n{text-align:right;font-variant-numeric:tabular-nums}
.mtcheck-report mark{border-radius:3px;padding:0 1px}
.mtcheck-report mark.sev-minor{background:#fef3c7}.mtcheck-report mark.sev-major{background:#fed7aa}
.mtcheck-report mark.sev-critical{background:#fecaca}
.mtcheck-report .b{display:inline-block;border-radius:9px;padding:0 7px;color:#fff;font-size:11px;margin:1px}
.mtcheck-report .b.sev-minor{background:#ca8a04}.mtcheck-report .b.sev-major{background:#ea580c}
.mtcheck-report .b.sev-critical{background:#dc2626}.mtcheck-report .m{color:#6b7280}
.mtcheck-report .s{font-size:11px;word-break:break-all}
""".strip()


def report_html(report, max_rows: int = 60) -> str:
    """A compact, styled table of the pairs (flags highlighted at their spans) and a
    one-line summary; used by `Report._repr_html_`. Every text is escaped."""
    carried = {n for p in report.aligned_pairs for n, v in p.scores.items() if _number(v) is not None}
    names = [n for n in ROW_SCORES if n in carried][:_TABLE_SCORES]
    pairs = report.aligned_pairs
    n_flags = sum(len(p.flags) for p in pairs)
    counts = ", ".join(f"{esc(code)} {n}" for code, n in report.flag_counts().items()) or "no flags"
    doc_scores = ", ".join(
        f"{esc(name)} {esc(format_score(report.document_scores[name], name))}"
        for name in score_names(report) if name in report.document_scores
    )
    head = ["#", "source", "target", *[esc(n) for n in names], "flags"]
    rows = []
    for k, p in enumerate(pairs[:max_rows]):
        cells = [f'<td class="n">{k}</td>']
        for side, text in (("src", p.src), ("tgt", p.tgt)):
            spanned, whole = side_flags(p, side)
            body = highlight(text, spanned) if text else '<span class="m">—</span>'
            title = f' title="{esc(chr(10).join(f.message for f in whole))}"' if whole else ""
            cells.append(f'<td class="t"{title}>{body}</td>')
        cells += [f'<td class="n">{esc(format_score(p.scores.get(n), n))}</td>' for n in names]
        badges = "".join(
            f'<span class="b sev-{f.severity}" title="{esc(f.severity)}: {esc(f.message)}">{esc(f.code)}</span>'
            for f in p.flags
        )
        cells.append(f"<td>{badges}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    more = ""
    if len(pairs) > max_rows:
        more = (f'<p class="m">{len(pairs) - max_rows} more pairs: see <code>report.pairs</code> '
                f"or <code>report.to_html()</code>.</p>")
    return (
        f'<div class="mtcheck-report"><style>{_CSS}</style>'
        f"<p><b>{len(pairs)}</b> pairs, <b>{n_flags}</b> flags ({counts})"
        f'{"; " + doc_scores if doc_scores else ""}<br><span class="m s">{esc(report.signature)}</span></p>'
        + "".join(f'<p>{esc(line)}</p>' for line in report.check_error_lines()) +
        f"<table><thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{more}</div>"
    )


def plot_report(report, ax=None, scores=("similarity", "quality")):
    """Scores along the document with flagged pairs marked; returns the matplotlib Axes.

    Scores on a 0-100 scale (chrF, BLEU) are divided by 100 so they share the axis.
    Flagged pairs are marked by a vertical line coloured by their worst severity.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.2))
    pairs = report.aligned_pairs
    xs = list(range(len(pairs)))
    available = set(score_names(report))
    for name in scores:
        if name not in available:
            continue
        div = 100.0 if name in ("chrf", "bleu", "ter") else 1.0
        values = [_number(p.scores.get(name)) for p in pairs]
        ys = [v / div if v is not None else float("nan") for v in values]
        label = f"{name}/100" if div != 1.0 else name
        ax.plot(xs, ys, marker="o", markersize=3, linewidth=1.2, label=label)
    seen = set()
    for k, p in enumerate(pairs):
        sev = worst(p.flags)
        if not sev:
            continue
        label = f"flag: {sev}" if sev not in seen else None
        seen.add(sev)
        ax.axvline(k, color=SEVERITY_COLOURS[sev], alpha=0.35, linewidth=2, label=label)
    ax.set_xlabel("pair")
    ax.set_ylabel("score")
    ax.set_xlim(-0.5, max(len(pairs) - 0.5, 0.5))
    ax.set_title("Scores along the document")
    if ax.get_legend_handles_labels()[0]:
        # Beside the plot, where it hides no point.
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
        ax.figure.tight_layout()
    return ax


def report_summary(report) -> str:
    """A one-line description of a report: documents, pairs, flags by severity, key scores."""
    import os

    def name(info):
        return os.path.basename(info.path) if info and info.path else "(text)"

    severities = ", ".join(f"{n} {s}" for s, n in report.severity_counts().items() if n)
    n_flags = sum(len(p.flags) for p in report.aligned_pairs)
    scores = ", ".join(
        f"{k} {format_score(report.document_scores[k], k)}"
        for k in score_names(report) if k in report.document_scores and k in ROW_SCORES
    )
    return (f"<Report {name(report.source)} ({report.source.lang}) -> {name(report.target)} "
            f"({report.target.lang}): {len(report.aligned_pairs)} pairs, {n_flags} flags"
            f"{' (' + severities + ')' if severities else ''}{'; ' + scores if scores else ''}>")
