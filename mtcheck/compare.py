"""Compare two runs over the same documents: score differences, their significance, flag changes.

BASE and NEW are each a batch's output folder (or its documents.jsonl), or a report JSON from
`mtcheck check --format json`.

- Scores: for a batch, each document is one unit and a run's score is the mean of its document
  scores; for a single report, each source sentence is one unit, scored by the pair that holds
  it. Significance is sacrebleu's paired bootstrap: the units are resampled with replacement
  (1,000 samples, fixed seed 12345, the same resamples for every metric), and the p-value is the
  share of resampled differences that, centred on their mean, are larger than the observed
  difference ((c + 1) / (samples + 1)). `flags` (flags per unit, lower is better) is compared
  the same way.
- Flags: matched by signature (code, side and the texts of the pair; see `Flag.signature`), so a
  flag on an unchanged sentence is the same flag in both runs, and a flag on a retranslated
  sentence is resolved and, if still there, introduced again.
- Regression: `--fail-on-regression` fails (exit 1) when a score with a direction is
  significantly worse (p < 0.05) or when major or critical flags increase. A `max_regression`
  table in `[tool.mtcheck.gate]` sets the tolerances instead, and applies even without the
  option: `{chrf = 1.0}` allows chrF++ to drop by up to one point (a larger drop fails only when
  significant), `{major = 0}` allows no net new major flag, `{"*" = 0.5}` applies to every score.
"""
from __future__ import annotations

import json
import math
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

import numpy as np

from mtcheck.errors import InputError
from mtcheck.models import SEVERITIES

N_SAMPLES = 1000
SEED = 12345  # sacrebleu's default
ALPHA = 0.05
FLAGS_METRIC = "flags"


# --- loading -----------------------------------------------------------------------------------


@dataclass
class RunDocument:
    id: str
    status: str
    scores: dict
    flag_counts: dict
    pairs: Optional[list]  # per-pair dicts, in order, when known
    error: Optional[str] = None


@dataclass
class Run:
    path: str
    kind: str  # "batch" or "report"
    documents: dict[str, RunDocument]


def load_run(path: Union[str, os.PathLike]) -> Run:
    """A batch folder, its documents.jsonl, or a report JSON, as a `Run`."""
    from mtcheck.batch import DOCUMENTS_FILE, PAIRS_FILE, read_jsonl

    path = Path(path)
    if path.is_dir():
        if not (path / DOCUMENTS_FILE).is_file():
            raise InputError(f"{path}: no {DOCUMENTS_FILE} here (is it a batch's output folder?)")
        path = path / DOCUMENTS_FILE
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    if path.suffix == ".jsonl":
        rows = read_jsonl(path)
        if not rows or not all("id" in r and "status" in r for r in rows):
            raise InputError(f"{path}: not a batch's {DOCUMENTS_FILE}")
        pairs: dict[str, list] = {}
        pairs_file = path.parent / PAIRS_FILE
        for row in read_jsonl(pairs_file):
            pairs.setdefault(row.get("doc"), []).append(row)
        docs = {}
        for row in rows:
            doc_id = str(row["id"])
            doc_pairs = sorted(pairs.get(doc_id, []), key=lambda r: r.get("pair", 0))
            docs[doc_id] = RunDocument(
                id=doc_id, status=row.get("status", "ok"), scores=dict(row.get("scores") or {}),
                flag_counts=dict(row.get("flags") or {}),
                pairs=doc_pairs if pairs_file.is_file() else None, error=row.get("error"),
            )
        return Run(str(path.parent), "batch", docs)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON report ({exc})") from None
    if not isinstance(data, dict) or "pairs" not in data or "document" not in data:
        raise InputError(f"{path}: not an mtcheck report (it needs 'pairs' and 'document')")
    document = data.get("document") or {}
    # One report against another: the same document whatever the files were called.
    doc = RunDocument(id="document", status="ok", scores=dict(document.get("scores") or {}),
                      flag_counts=dict(document.get("flags") or {}), pairs=list(data["pairs"]))
    return Run(str(path), "report", {"document": doc})


# --- statistics --------------------------------------------------------------------------------


def paired_bootstrap(base: np.ndarray, new: np.ndarray, n_samples: int = N_SAMPLES,
                     seed: int = SEED, indices: Optional[np.ndarray] = None) -> dict:
    """Paired bootstrap over units, as sacrebleu's `paired-bs`; the system score is the mean.

    Returns the means, the difference, its 95% interval and the p-value of the difference.
    """
    base = np.asarray(base, dtype=float)
    new = np.asarray(new, dtype=float)
    n = len(base)
    if n == 0 or len(new) != n:
        raise ValueError("paired_bootstrap needs two arrays of the same, non-zero length")
    if indices is None:
        indices = bootstrap_indices(n, n_samples, seed)
    base_means = base[indices].mean(axis=1)
    new_means = new[indices].mean(axis=1)
    real = float(new.mean() - base.mean())
    sample_diffs = np.abs(new_means - base_means)
    stats = sample_diffs - sample_diffs.mean()
    c = int(np.sum(stats > abs(real)))
    # sacrebleu's formula gives 1/(samples+1) for two identical runs; no difference is no evidence.
    p = 1.0 if real == 0 else (c + 1) / (len(stats) + 1)
    deltas = new_means - base_means
    low, high = np.percentile(deltas, [2.5, 97.5])
    return {"base": float(base.mean()), "new": float(new.mean()), "delta": real,
            "ci": [float(low), float(high)], "p": float(p), "units": n}


def bootstrap_indices(n: int, n_samples: int = N_SAMPLES, seed: int = SEED) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.choice(n, size=(n_samples, n), replace=True)


# --- the comparison ------------------------------------------------------------------------------


@dataclass
class Comparison:
    base: str
    new: str
    unit: str  # "document" or "source sentence"
    documents: list[str]  # compared, in order
    only_base: list[str]
    only_new: list[str]
    failed: list[str]  # failed in either run
    metrics: dict[str, dict]
    introduced: list[dict]
    resolved: list[dict]
    n_samples: int = N_SAMPLES
    seed: int = SEED
    regressions: list[str] = field(default_factory=list)

    def flag_changes(self) -> dict:
        """Introduced and resolved flags counted by severity and by code."""
        out = {}
        for name, flags in (("introduced", self.introduced), ("resolved", self.resolved)):
            out[name] = {
                "total": len(flags),
                "severities": {s: sum(1 for f in flags if f["severity"] == s) for s in SEVERITIES},
                "codes": dict(sorted(Counter(f["code"] for f in flags).items())),
            }
        return out

    def to_dict(self) -> dict:
        return {
            "base": self.base, "new": self.new, "unit": self.unit,
            "documents": len(self.documents), "only_base": self.only_base, "only_new": self.only_new,
            "failed": self.failed,
            "bootstrap": {"samples": self.n_samples, "seed": self.seed},
            "metrics": self.metrics,
            "flags": self.flag_changes(),
            "introduced": self.introduced, "resolved": self.resolved,
            "regressions": self.regressions, "regressed": bool(self.regressions),
        }


def compare_runs(base, new, n_samples: int = N_SAMPLES, seed: int = SEED) -> Comparison:
    """Compare two runs (paths or `Run`s) over the documents they share."""
    from mtcheck.config import SCORE_DIRECTIONS

    base_run = base if isinstance(base, Run) else load_run(base)
    new_run = new if isinstance(new, Run) else load_run(new)
    if base_run.kind != new_run.kind:
        raise InputError("compare two batches or two reports, not one of each")
    only_base = [d for d in base_run.documents if d not in new_run.documents]
    only_new = [d for d in new_run.documents if d not in base_run.documents]
    shared = [d for d in base_run.documents if d in new_run.documents]
    failed = [d for d in shared if base_run.documents[d].status != "ok" or new_run.documents[d].status != "ok"]
    compared = [d for d in shared if d not in failed]
    if not compared:
        raise InputError("the two runs have no successfully checked document in common")

    if base_run.kind == "report":
        unit = "source sentence"
        base_units = _sentence_units(base_run.documents["document"])
        new_units = _sentence_units(new_run.documents["document"])
        keys = [k for k in base_units if k in new_units]
        base_values = [base_units[k] for k in keys]
        new_values = [new_units[k] for k in keys]
    else:
        unit = "document"
        base_values = [_document_unit(base_run.documents[d]) for d in compared]
        new_values = [_document_unit(new_run.documents[d]) for d in compared]
    metrics = {}
    if base_values:
        indices = bootstrap_indices(len(base_values), n_samples, seed)
        names: dict[str, None] = {}
        for values in base_values:
            for name in values:
                names.setdefault(name, None)
        for name in names:
            if name == FLAGS_METRIC:
                continue
            pairs = [(b.get(name), n.get(name)) for b, n in zip(base_values, new_values)]
            if not all(_is_number(b) and _is_number(n) for b, n in pairs):
                continue  # a score only some units have cannot be compared pairwise
            result = paired_bootstrap(np.array([b for b, _ in pairs]), np.array([n for _, n in pairs]),
                                      n_samples, seed, indices)
            metrics[name] = _with_direction(result, SCORE_DIRECTIONS.get(name))
        flags_b = np.array([b.get(FLAGS_METRIC, 0) for b in base_values], dtype=float)
        flags_n = np.array([n.get(FLAGS_METRIC, 0) for n in new_values], dtype=float)
        metrics[FLAGS_METRIC] = _with_direction(paired_bootstrap(flags_b, flags_n, n_samples, seed, indices), False)

    introduced, resolved = [], []
    for doc_id in compared:
        a, b = _flag_multiset(base_run.documents[doc_id]), _flag_multiset(new_run.documents[doc_id])
        for key, n in (b - a).items():
            introduced.extend([_flag_info(doc_id, key, new_run.documents[doc_id])] * n)
        for key, n in (a - b).items():
            resolved.extend([_flag_info(doc_id, key, base_run.documents[doc_id])] * n)
    return Comparison(base=base_run.path, new=new_run.path, unit=unit, documents=compared,
                      only_base=only_base, only_new=only_new, failed=failed, metrics=metrics,
                      introduced=introduced, resolved=resolved, n_samples=n_samples, seed=seed)


def _with_direction(result: dict, higher_better: Optional[bool]) -> dict:
    result = {k: (round(v, 6) if isinstance(v, float) else [round(x, 6) for x in v] if isinstance(v, list) else v)
              for k, v in result.items()}
    if higher_better is None:
        result["direction"], result["change"] = None, "changed" if result["p"] < ALPHA else "same"
        return result
    result["direction"] = "higher" if higher_better else "lower"
    if result["delta"] == 0 or result["p"] >= ALPHA:
        result["change"] = "same"
    else:
        better = (result["delta"] > 0) == higher_better
        result["change"] = "better" if better else "worse"
    return result


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _document_unit(doc: RunDocument) -> dict:
    values = {k: v for k, v in doc.scores.items() if _is_number(v)}
    values[FLAGS_METRIC] = float(sum(doc.flag_counts.values()))
    return values


def _sentence_units(doc: RunDocument) -> dict[int, dict]:
    """Each source sentence's scores, from the pair that holds it."""
    units = {}
    for pair in doc.pairs or []:
        values = {k: v for k, v in (pair.get("scores") or {}).items() if _is_number(v)}
        values[FLAGS_METRIC] = float(len(pair.get("flags") or []))
        for i in pair.get("src_ids") or []:
            units[int(i)] = values
    return units


def flag_signature(flag: dict, pair: dict) -> str:
    """The flag's signature, as the batch stores it or recomputed like `Flag.signature`."""
    if flag.get("signature"):
        return flag["signature"]
    from mtcheck.models import Flag, Link, Pair

    span = flag.get("span")
    rebuilt = Flag(flag["code"], flag["severity"], flag["side"], tuple(span) if span else None, flag.get("message", ""))
    holder = Pair(link=Link(tuple(pair.get("src_ids") or ()), tuple(pair.get("tgt_ids") or ())),
                  src=pair.get("src") or "", tgt=pair.get("tgt") or "")
    return rebuilt.signature(holder)


def _flag_multiset(doc: RunDocument) -> Counter:
    if doc.pairs is None:
        # Without per-pair rows only the counts can be told apart.
        return Counter({(code, None, k): 1 for code, n in doc.flag_counts.items() for k in range(n)})
    out: Counter = Counter()
    for pair in doc.pairs:
        for flag in pair.get("flags") or []:
            out[(flag["code"], flag["severity"], flag_signature(flag, pair))] += 1
    return out


def _flag_info(doc_id: str, key: tuple, doc: RunDocument) -> dict:
    code, severity, signature = key
    info = {"doc": doc_id, "code": code, "severity": severity or "unknown", "signature": signature,
            "pair": None, "text": None, "message": None}
    for k, pair in enumerate(doc.pairs or []):
        for flag in pair.get("flags") or []:
            if flag["code"] == code and flag_signature(flag, pair) == signature:
                text = pair.get("src") if flag.get("side") == "src" else pair.get("tgt")
                info.update(pair=pair.get("pair", k), text=(text or "")[:200], message=flag.get("message"))
                return info
    return info


# --- regression ------------------------------------------------------------------------------------


def find_regressions(comparison: Comparison, max_regression: Optional[dict] = None) -> list[str]:
    """What got worse beyond the tolerances (see the module docstring); empty when nothing did."""
    out = []
    changes = comparison.flag_changes()
    if not max_regression:
        for name, m in comparison.metrics.items():
            if m.get("change") == "worse":
                out.append(f"{name} worse: {_fmt(m['base'])} -> {_fmt(m['new'])} "
                           f"({m['delta']:+.4g}, p={m['p']:.3f})")
        for severity in ("critical", "major"):
            net = changes["introduced"]["severities"][severity] - changes["resolved"]["severities"][severity]
            if net > 0:
                out.append(f"{net} more {severity} flag(s) ({changes['introduced']['severities'][severity]} "
                           f"introduced, {changes['resolved']['severities'][severity]} resolved)")
        return out
    tolerances = dict(max_regression)
    star = tolerances.pop("*", None)
    score_limits = {name: tolerances.get(name, star) for name in comparison.metrics if name != FLAGS_METRIC}
    score_limits = {k: v for k, v in score_limits.items() if v is not None}
    for name, limit in score_limits.items():
        m = comparison.metrics.get(name)
        if not m or m.get("direction") is None:
            continue
        worsening = -m["delta"] if m["direction"] == "higher" else m["delta"]
        if worsening > limit and m["p"] < ALPHA:
            out.append(f"{name} worse by {worsening:.4g} (more than {_fmt(limit)} allowed; p={m['p']:.3f})")
    for key, limit in tolerances.items():
        if key in comparison.metrics and key != FLAGS_METRIC:
            continue
        if key in SEVERITIES:
            net = changes["introduced"]["severities"][key] - changes["resolved"]["severities"][key]
        elif key in (FLAGS_METRIC, "all"):
            net = changes["introduced"]["total"] - changes["resolved"]["total"]
        else:
            net = changes["introduced"]["codes"].get(key, 0) - changes["resolved"]["codes"].get(key, 0)
        if net > limit:
            out.append(f"{net} more {key} flag(s) than before (at most {_fmt(limit)} allowed)")
    return out


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


# --- output ------------------------------------------------------------------------------------------


def format_table(c: Comparison, markdown: bool = False) -> str:
    lines = []
    head = (f"{len(c.documents)} document(s) compared, unit: {c.unit}; paired bootstrap, "
            f"{c.n_samples} resamples, seed {c.seed}")
    rows = [("metric", "base", "new", "delta", "95% CI", "p", "change")]
    for name, m in c.metrics.items():
        rows.append((name, _fmt(m["base"]), _fmt(m["new"]), f"{m['delta']:+.4g}",
                     f"[{m['ci'][0]:+.3g}, {m['ci'][1]:+.3g}]", f"{m['p']:.3f}", m["change"]))
    changes = c.flag_changes()
    intro, res = changes["introduced"], changes["resolved"]
    flag_line = (f"Flags: {intro['total']} introduced, {res['total']} resolved "
                 f"(net {intro['total'] - res['total']:+d})")
    by_sev = ", ".join(f"{s} +{intro['severities'][s]}/-{res['severities'][s]}" for s in reversed(SEVERITIES))
    codes = sorted(set(intro["codes"]) | set(res["codes"]))
    by_code = ", ".join(f"{k} +{intro['codes'].get(k, 0)}/-{res['codes'].get(k, 0)}" for k in codes)
    verdict = ("Regression: " + "; ".join(c.regressions)) if c.regressions else "No regression."
    if markdown:
        lines += ["## mtcheck compare", "", head, ""]
        lines.append("| " + " | ".join(rows[0]) + " |")
        lines.append("|" + "---|" * len(rows[0]))
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        lines += ["", flag_line + ".", "", f"By severity: {by_sev}."]
        if by_code:
            lines.append(f"By code: {by_code}.")
        lines += ["", f"**{verdict}**" if c.regressions else verdict]
    else:
        lines.append(head)
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            lines.append("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))))
        lines += ["", flag_line, f"  by severity: {by_sev}"]
        if by_code:
            lines.append(f"  by code: {by_code}")
        for title, flags in (("introduced", c.introduced), ("resolved", c.resolved)):
            for f in flags[:5]:
                text = " ".join((f["text"] or "").split())
                text = text if len(text) <= 60 else text[:59] + "…"
                lines.append(f"  {title}: {f['doc']} pair {f['pair']}: {f['code']} ({f['severity']}) \"{text}\"")
        lines += ["", verdict]
    for label, ids in (("only in base", c.only_base), ("only in new", c.only_new), ("failed in a run", c.failed)):
        if ids:
            lines.append(f"{len(ids)} document(s) {label}, not compared: {', '.join(ids[:5])}"
                         + (" ..." if len(ids) > 5 else ""))
    return "\n".join(lines) + "\n"


def run_compare_command(args) -> int:
    """`mtcheck compare BASE NEW`: exit 1 on a regression (when asked or configured), 2 on bad input."""
    from mtcheck.gate import parse_rules
    from mtcheck.settings import load_settings

    settings = load_settings(getattr(args, "config", None))
    tolerances = parse_rules(settings.gate_rules).max_regression if settings.gate_rules else {}
    comparison = compare_runs(args.base, args.new)
    if tolerances or args.fail_on_regression:
        comparison.regressions = find_regressions(comparison, tolerances or None)
    if args.format == "json":
        sys.stdout.write(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_table(comparison, markdown=args.format == "markdown"))
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path and args.format != "markdown":
        try:
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(format_table(comparison, markdown=True))
        except OSError:
            pass  # the job page is a nicety; the verdict is the exit code
    return 1 if comparison.regressions else 0
