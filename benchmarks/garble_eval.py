"""What the garbled-line benchmarks share: running mtcheck with a cache, counting hits, tables.

Results of mtcheck are cached per document under benchmarks/_work/garble_cache/, keyed by the
texts, the options and a hash of the mtcheck source code, so a rerun after a change to the checks
recomputes everything and a rerun without one is instant.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parents[1]
# Overridable so that a run can use an exported snapshot of one commit (see README).
SHARED_DATA = Path(os.environ.get("GARBLE_SHARED_DATA") or ROOT.parent / "shared" / "data")
# The human-translated news both the corrupted benchmark and the audit of its translations read.
NEWSTEST = SHARED_DATA / "parallel" / "newstest2014_en-fr" / "newstest2014_en-fr.tsv"
WORK = Path(os.environ.get("GARBLE_WORK") or ROOT / "benchmarks" / "_work")
CACHE = WORK / "garble_cache"

SEVERITY_RANK = {"minor": 1, "major": 2, "critical": 3}
SEVERITIES = ("minor", "major", "critical")


def code_version() -> str:
    """A hash of every Python file of the mtcheck package: any change to it invalidates caches."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "mtcheck").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def git_head() -> str:
    if os.environ.get("GARBLE_COMMIT"):
        return os.environ["GARBLE_COMMIT"]
    try:
        import subprocess

        out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cI"],
                             capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "mtcheck"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + (" (mtcheck/ has uncommitted changes)" if dirty else "")
    except Exception:  # noqa: BLE001 - a label only
        return "unknown"


@dataclass
class SegmentInfo:
    """A sentence of a checked document: its character span in the document text."""

    start: int
    end: int
    text: str


@dataclass
class PairResult:
    """One pair of mtcheck's output, reduced to what scoring needs."""

    src: list[SegmentInfo]
    tgt: list[SegmentInfo]
    src_text: str
    tgt_text: str
    scores: dict
    flags: list[dict]  # code, severity, side, span, message


@dataclass
class DocumentResult:
    pairs: list[PairResult] = field(default_factory=list)
    error: Optional[str] = None
    seconds: float = 0.0


def _segment_infos(segments) -> list[SegmentInfo]:
    return [SegmentInfo(int(s.start), int(s.end), s.text) for s in segments]


def run_mtcheck(source: str, target: str, options: dict, cache_key_extra: str = "",
                version: Optional[str] = None) -> DocumentResult:
    """mtcheck.check on one document, through the on-disk cache.

    Any exception is caught and recorded: a benchmark run must finish and show what failed.
    A check that fails on some pairs makes the document a failed one.
    """
    version = version or code_version()
    key = hashlib.sha1(
        json.dumps([version, source, target, options, cache_key_extra], ensure_ascii=False).encode()
    ).hexdigest()
    path = CACHE / key[:2] / f"{key}.json"
    if path.is_file():
        try:
            return _from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError):
            pass
    started = time.perf_counter()
    try:
        import mtcheck

        report = mtcheck.check(source, target, **options)
        if report.check_errors:
            # a check that failed flagged nothing on those pairs: scoring the document
            # would count its silence as "found nothing"
            raise RuntimeError("checks failed: " + ", ".join(
                f"{code} on {n} pairs" for code, n in sorted(report.check_errors.items())))
        result = DocumentResult(
            pairs=[
                PairResult(
                    src=_segment_infos(p.src_segments),
                    tgt=_segment_infos(p.tgt_segments),
                    src_text=p.src,
                    tgt_text=p.tgt,
                    scores={k: float(v) for k, v in p.scores.items()
                            if isinstance(v, (int, float))},
                    flags=[f.to_dict() for f in p.flags],
                )
                for p in report.aligned_pairs
            ]
        )
    except Exception as exc:  # noqa: BLE001 - recorded, shown in the tables
        result = DocumentResult(error=f"{type(exc).__name__}: {exc}")
        if os.environ.get("GARBLE_TRACEBACK"):
            traceback.print_exc()
    result.seconds = time.perf_counter() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    if result.error is None or os.environ.get("GARBLE_CACHE_ERRORS"):
        path.write_text(json.dumps(_to_json(result), ensure_ascii=False), encoding="utf-8")
    return result


def _to_json(result: DocumentResult) -> dict:
    return {
        "error": result.error,
        "seconds": result.seconds,
        "pairs": [
            {
                "src": [[s.start, s.end, s.text] for s in p.src],
                "tgt": [[s.start, s.end, s.text] for s in p.tgt],
                "src_text": p.src_text,
                "tgt_text": p.tgt_text,
                "scores": p.scores,
                "flags": p.flags,
            }
            for p in result.pairs
        ],
    }


def _from_json(data: dict) -> DocumentResult:
    return DocumentResult(
        error=data["error"],
        seconds=data.get("seconds", 0.0),
        pairs=[
            PairResult(
                src=[SegmentInfo(*s) for s in p["src"]],
                tgt=[SegmentInfo(*s) for s in p["tgt"]],
                src_text=p["src_text"],
                tgt_text=p["tgt_text"],
                scores=p["scores"],
                flags=p["flags"],
            )
            for p in data["pairs"]
        ],
    )


def span_to_document(segments: list[SegmentInfo], span) -> tuple[int, int]:
    """A span in the pair's joined text (sentences joined by one space) as document offsets.

    Without a span (or without segments), the whole extent of the segments.
    """
    if not segments:
        return (0, 0)
    if span is None:
        return (segments[0].start, segments[-1].end)
    start, end = int(span[0]), int(span[1])

    def locate(offset: int) -> int:
        pos = 0
        for seg in segments:
            length = len(seg.text)
            if offset <= pos + length:
                return seg.start + max(0, min(offset - pos, seg.end - seg.start))
            pos += length + 1
        return segments[-1].end

    a = locate(start)
    b = locate(max(start, end - 1)) + (1 if end > start else 0)
    return (a, max(a, b))


# ----------------------------------------------------------------------------------------------
# Counting


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        if p != p or r != r or p + r == 0:
            return 0.0 if (self.tp + self.fn) else float("nan")
        return 2 * p * r / (p + r)


def fmt(value: float, digits: int = 3) -> str:
    return "  -  " if value != value else f"{value:.{digits}f}"


def table(headers: list[str], rows: Iterable[list], title: str = "") -> str:
    """A plain aligned text table (also valid Markdown)."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    out = []
    if title:
        out.append(title)
        out.append("")
    out.append(line(headers))
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def progress(done: int, total: int, label: str, every: int = 20) -> None:
    if done == total or done % every == 0:
        print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)


def describe_flags(flags, most: int = 4, width: int = 200) -> list[str]:
    """Flags as short 'code/severity: message' lines for the error analysis."""
    out = [f"{f['code']}/{f['severity']}: {f.get('message', '')[:width]}" for f in flags[:most]]
    if len(flags) > most:
        out.append(f"... and {len(flags) - most} more")
    return out


def severity_at_least(flag: dict, minimum: str) -> bool:
    return SEVERITY_RANK.get(flag.get("severity"), 0) >= SEVERITY_RANK[minimum]
