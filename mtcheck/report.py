"""The `Report`: pairs, document scores, flag counts and the settings used."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from mtcheck import __version__
from mtcheck.models import SEVERITIES, Pair, round_score


@dataclass
class DocumentInfo:
    path: Optional[str]
    lang: str
    segments: int

    def to_dict(self) -> dict:
        return {"path": self.path, "lang": self.lang, "segments": self.segments}


@dataclass
class Report:
    """The result of checking one document.

    `aligned_pairs` is the list of `Pair` objects; `pairs` and `flags` are pandas
    DataFrames for exploring in Jupyter.
    """

    aligned_pairs: list[Pair]
    source: DocumentInfo
    target: DocumentInfo
    reference: Optional[DocumentInfo] = None
    document_scores: dict = field(default_factory=dict)
    confidence: dict = field(default_factory=dict)
    signature: str = ""
    settings: dict = field(default_factory=dict)
    gate: Optional[dict] = None
    # {check code: pairs it failed on}: those pairs were not checked for that problem
    check_errors: dict = field(default_factory=dict)

    def __init__(self, pairs, source, target, reference=None, document_scores=None,
                 confidence=None, signature="", settings=None, gate=None, check_errors=None):
        self.aligned_pairs = list(pairs)
        self.source = source
        self.target = target
        self.reference = reference
        self.document_scores = dict(document_scores or {})
        self.confidence = dict(confidence or {})
        self.signature = signature
        self.settings = dict(settings or {})
        self.gate = gate
        self.check_errors = dict(check_errors or {})

    # --- summaries -----------------------------------------------------------------
    def flag_counts(self) -> dict[str, int]:
        counts = Counter(f.code for p in self.aligned_pairs for f in p.flags)
        return dict(sorted(counts.items()))

    def check_error_lines(self) -> list[str]:
        """One sentence per check that failed somewhere: its silence there is no "nothing found"."""
        return [f"check {code} failed on {n} pair{'s' if n != 1 else ''}: those pairs were not checked for it"
                for code, n in sorted(self.check_errors.items())]

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(f.severity for p in self.aligned_pairs for f in p.flags)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    # --- DataFrames ------------------------------------------------------------------
    @property
    def pairs(self):
        """One row per aligned pair: ids, texts, scores (one column each) and flag summary."""
        import pandas as pd

        rows = []
        for k, p in enumerate(self.aligned_pairs):
            row = {
                "pair": k,
                "src_ids": p.src_ids,
                "tgt_ids": p.tgt_ids,
                "src": p.src,
                "tgt": p.tgt,
                "ref": p.ref,
                "align_score": p.align_score,
            }
            row.update(p.scores)
            row["flags"] = ",".join(sorted({f.code for f in p.flags}))
            row["worst"] = _worst(p)
            rows.append(row)
        df = pd.DataFrame(rows)
        if not df.empty:
            df["worst"] = pd.Categorical(df["worst"], categories=["none", *SEVERITIES], ordered=True)
            df = df.set_index("pair")
        return df

    @property
    def flags(self):
        """One row per flag, with the pair it belongs to and the flagged text."""
        import pandas as pd

        rows = []
        for k, p in enumerate(self.aligned_pairs):
            for f in p.flags:
                text = p.src if f.side == "src" else p.tgt
                rows.append({
                    "pair": k,
                    "code": f.code,
                    "severity": f.severity,
                    "side": f.side,
                    "start": f.span[0] if f.span else None,
                    "end": f.span[1] if f.span else None,
                    "text": text[f.span[0]:f.span[1]] if f.span else text,
                    "message": f.message,
                    "signature": f.signature(p),
                })
        df = pd.DataFrame(rows, columns=["pair", "code", "severity", "side", "start", "end",
                                         "text", "message", "signature"])
        df["severity"] = pd.Categorical(df["severity"], categories=list(SEVERITIES), ordered=True)
        df["start"] = df["start"].astype("Int64")
        df["end"] = df["end"].astype("Int64")
        return df

    # --- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "version": __version__,
            "signature": self.signature,
            "source": self.source.to_dict(),
            "target": self.target.to_dict(),
            "reference": self.reference.to_dict() if self.reference else None,
            "pairs": [p.to_dict() for p in self.aligned_pairs],
            "document": {
                "scores": {k: round_score(v) for k, v in self.document_scores.items()},
                "confidence": {k: [round_score(a), round_score(b)] for k, (a, b) in self.confidence.items()},
                "flags": self.flag_counts(),
                "severities": self.severity_counts(),
                "check_errors": dict(sorted(self.check_errors.items())),
            },
            "settings": self.settings,
            "gate": self.gate,
        }

    def to_json(self, indent: Optional[int] = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    # --- other views (mtcheck.render, mtcheck.html_report, mtcheck.notebook) ---------
    def render(self, fmt: str = "table", **options) -> str:
        """The report as text: table, json, jsonl, csv or html (see `mtcheck.render`)."""
        from mtcheck.render import render

        return render(self, fmt, **options)

    def to_html(self, path=None) -> str:
        """The self-contained HTML page; written to `path` when given."""
        return self._write(self.render("html"), path)

    def to_csv(self, path=None) -> str:
        """One CSV row per pair; written to `path` when given."""
        return self._write(self.render("csv"), path)

    def to_jsonl(self, path=None) -> str:
        """A document line then one JSON line per pair; written to `path` when given."""
        return self._write(self.render("jsonl"), path)

    def _write(self, text: str, path) -> str:
        if path is not None:
            from pathlib import Path

            Path(path).write_text(text, encoding="utf-8")
        return text

    def _repr_html_(self) -> str:
        from mtcheck.notebook import report_html

        return report_html(self)

    def __repr__(self) -> str:
        # One line, not every pair: a report of a long document is printed in a REPL.
        from mtcheck.notebook import report_summary

        return report_summary(self)

    def plot(self, ax=None, scores=("similarity", "quality")):
        """Scores along the document with flagged pairs marked (matplotlib Axes)."""
        from mtcheck.notebook import plot_report

        return plot_report(self, ax=ax, scores=scores)


def _worst(pair: Pair) -> str:
    worst = "none"
    for f in pair.flags:
        if worst == "none" or SEVERITIES.index(f.severity) > SEVERITIES.index(worst):
            worst = f.severity
    return worst
