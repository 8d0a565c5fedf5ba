"""Batch scoring: check many documents in parallel worker processes, with nothing lost.

Output, in OUTDIR:

- `documents.jsonl`: one JSON object per finished document (`id`, the paths, `status` `ok` or
  `error`, the document scores and flag counts, or the error), appended as each finishes.
- `pairs.jsonl`: one JSON object per aligned pair, each with its document's `id` in `doc`;
  `pairs.csv` or `pairs.parquet` as well with `pairs_format`.
- `summary.json`: documents, pairs, flags by code and severity, document scores (mean, worst).
- `run.json`: when and how the run went (timestamps, workers, rate); the only file that differs
  between two runs over the same input.

Why it survives faults:

- Only the parent process writes. Each append is whole lines in one `write`, then `fsync`; a
  document's pairs are written before its row in `documents.jsonl`, so that row is the commit
  mark: a document without it is not finished and is checked again on `--resume`, and pair rows
  left behind by an unfinished document are dropped then.
- A line cut short by a kill has no newline at its end; reading drops it, and `--resume` cuts
  the file back to the last whole line before appending.
- A worker that dies (killed, out of memory) is replaced; its document is tried once more and
  then recorded as an error. A document whose check raises becomes an error row; the rest go on.
- When every document is finished, both files are rewritten in manifest order (temporary file,
  fsync, rename), so that the same input gives the same bytes whatever the number of workers.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from mtcheck.errors import InputError, MtcheckError
from mtcheck.journal import (  # noqa: F401 - part of this module's API
    Journal,
    OutputError,
    dumps,
    output_error,
    read_jsonl,
    write_atomic,
    write_lines_atomic,
)
from mtcheck.manifest import BatchItem, collect_items, read_manifest
from mtcheck.models import SEVERITIES
from mtcheck.workers import DEFAULT_CHECKER, MAX_ATTEMPTS, WorkerPool, check_item, error_row  # noqa: F401

DOCUMENTS_FILE = "documents.jsonl"
PAIRS_FILE = "pairs.jsonl"
SUMMARY_FILE = "summary.json"
RUN_FILE = "run.json"
PAIRS_FORMATS = ("jsonl", "csv", "parquet")


# --- the batch ----------------------------------------------------------------------------


@dataclass
class BatchResult:
    """What a batch run left in `outdir`, with its summary."""

    outdir: Path
    summary: dict
    checked: int  # documents checked in this run (not counting those resumed)

    @property
    def documents(self):
        """documents.jsonl as a pandas DataFrame (scores and flag counts flattened)."""
        import pandas as pd

        rows = read_jsonl(self.outdir / DOCUMENTS_FILE)
        return pd.json_normalize(rows, sep=".") if rows else pd.DataFrame()

    @property
    def pairs(self):
        """pairs.jsonl as a pandas DataFrame, one row per aligned pair."""
        import pandas as pd

        rows = read_jsonl(self.outdir / PAIRS_FILE)
        if not rows:
            return pd.DataFrame()
        df = pd.json_normalize(rows, sep=".", max_level=1)
        return df

    @property
    def passed(self) -> bool:
        return self.summary["documents"]["error"] == 0

    def __repr__(self) -> str:
        docs = self.summary["documents"]
        return (f"BatchResult({str(self.outdir)!r}: {docs['ok']} ok, {docs['error']} failed, "
                f"{self.summary['pairs']} pairs)")


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def as_items(items, allow_outside: bool = False) -> list[BatchItem]:
    """Accept a manifest path, BatchItems, (source, target[, reference]) tuples or dicts."""
    if isinstance(items, (str, os.PathLike)):
        return read_manifest(items, allow_outside=allow_outside)
    out = []
    for k, entry in enumerate(items):
        if isinstance(entry, BatchItem):
            out.append(entry)
        elif isinstance(entry, dict):
            if "source" not in entry or "target" not in entry:
                raise InputError(f"item {k}: needs source and target")
            out.append(BatchItem(
                id=str(entry.get("id") or entry["target"]), source=str(entry["source"]),
                target=str(entry["target"]),
                reference=str(entry["reference"]) if entry.get("reference") else None,
            ))
        else:
            parts = list(entry)
            if len(parts) not in (2, 3):
                raise InputError(f"item {k}: give (source, target) or (source, target, reference)")
            out.append(BatchItem(id=str(parts[1]), source=str(parts[0]), target=str(parts[1]),
                                 reference=str(parts[2]) if len(parts) == 3 and parts[2] else None))
    ids = Counter(item.id for item in out)
    duplicated = [i for i, n in ids.items() if n > 1]
    if duplicated:
        raise InputError(f"the id {duplicated[0]!r} appears more than once")
    if not out:
        raise InputError("the batch names no document")
    return out


def check_batch(
    items,
    outdir: Union[str, os.PathLike],
    *,
    workers: Optional[int] = None,
    resume: bool = False,
    pairs_format: str = "jsonl",
    progress: bool = True,
    allow_outside: bool = False,
    overwrite: bool = False,
    checker: str = DEFAULT_CHECKER,
    doc_timeout: Optional[float] = None,
    retry_errors: bool = False,
    **options,
) -> BatchResult:
    """Check many documents; results go to `outdir` (see the module docstring).

    `items`: a manifest path, or a list of `BatchItem`, dicts with `source`, `target`,
    `reference`, `id`, or `(source, target[, reference])` tuples. `workers`: processes
    (default: one per core; 0 checks in this process, without the protection of separate
    workers). `resume`: skip documents already finished in `outdir`; `overwrite`: discard
    them and start afresh (without either, a folder holding results is refused). Other keyword
    arguments go to `mtcheck.check_files` (encoder, src_lang, tgt_lang, checks, ...).
    `checker`: another document checker, as "module:function" (see `check_item`).
    `doc_timeout`: seconds one document may take in a worker (its first document includes
    loading the models); a document past it becomes an error row and its worker is replaced.
    `retry_errors` (with `resume`): check the documents recorded as errors again.
    """
    if pairs_format not in PAIRS_FORMATS:
        raise InputError(f"unknown pairs format {pairs_format!r} (choose {', '.join(PAIRS_FORMATS)})")
    if pairs_format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError("--pairs-format parquet needs pyarrow (pip install mtcheck[parquet])") from None
    batch = as_items(items, allow_outside=allow_outside)
    if resume and overwrite:
        raise InputError("--resume and --overwrite exclude each other")
    if retry_errors and not resume:
        raise InputError("--retry-errors goes with --resume")
    outdir = Path(outdir)
    _prepare_outdir(outdir, resume, overwrite)
    started_wall = time.time()
    started = time.monotonic()

    finished = _load_finished(outdir, batch, retry_errors) if resume else {}
    todo = [(k, item) for k, item in enumerate(batch) if item.id not in finished]
    workers = default_workers() if workers is None else int(workers)
    if workers < 0:
        raise InputError("--workers must be 0 or more")
    workers = min(workers, len(todo)) if todo else 0
    if doc_timeout is not None:
        if not doc_timeout > 0:
            raise InputError("--doc-timeout must be a number of seconds above 0")
        if workers == 0 and todo:
            raise InputError("--doc-timeout needs worker processes (--workers 1 or more)")

    from mtcheck.progress import ProgressBar

    bar = ProgressBar(total=len(batch), initial=len(finished), enabled=progress)
    bar.errors = sum(1 for row in finished.values() if row.get("status") != "ok")
    documents = Journal(outdir / DOCUMENTS_FILE)
    pairs = Journal(outdir / PAIRS_FILE)

    def on_result(index: int, doc_line: str, pair_lines: list[str]) -> None:
        # The pairs first: the document row is the mark that the document is finished.
        pairs.append(pair_lines)
        documents.append([doc_line])
        bar.update(error=json.loads(doc_line).get("status") != "ok")

    def on_death(index: int, item: BatchItem, exitcode) -> tuple:
        how = f"killed by signal {-exitcode}" if exitcode and exitcode < 0 else f"exit code {exitcode}"
        reason = f"the worker checking this document died ({how}) {MAX_ATTEMPTS} times"
        return index, dumps(error_row(item, reason)), []

    def on_timeout(index: int, item: BatchItem) -> tuple:
        reason = f"not finished within {doc_timeout:g} s (--doc-timeout); the check was stopped"
        return index, dumps(error_row(item, reason)), []

    try:
        if workers == 0:
            for index, item in todo:
                on_result(index, *check_item(item, options, checker))
        else:
            pool = WorkerPool(workers, options, checker, timeout=doc_timeout)
            clean = False
            try:
                pool.run(todo, on_result, on_death, on_timeout)
                clean = True
            finally:
                pool.close(force=not clean)
    finally:
        documents.close()
        pairs.close()
        bar.close()

    summary = finish_outdir(outdir, batch, pairs_format)
    elapsed = time.monotonic() - started
    write_atomic(outdir / RUN_FILE, json.dumps({
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started_wall)),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "elapsed_s": round(elapsed, 3),
        "workers": workers,
        "documents": len(batch),
        "resumed": len(finished),
        "checked": len(todo),
        "documents_per_minute": round(len(todo) / elapsed * 60, 2) if elapsed > 0 and todo else None,
    }, indent=2) + "\n")
    return BatchResult(outdir=outdir, summary=summary, checked=len(todo))


def _prepare_outdir(outdir: Path, resume: bool, overwrite: bool = False) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir}: exists and is not a folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, outdir) from None
    docs = outdir / DOCUMENTS_FILE
    if not resume:
        if docs.exists() and docs.stat().st_size > 0 and not overwrite:
            raise InputError(
                f"{outdir} already holds the results of a batch; add --resume to finish it, "
                "--overwrite to start afresh, or choose another folder"
            )
        # A fresh run starts from empty files (a pairs file left without documents is stale).
        for name in (SUMMARY_FILE, RUN_FILE, "pairs.csv", "pairs.parquet"):
            try:
                (outdir / name).unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise output_error(exc, outdir / name) from None
        for name in (DOCUMENTS_FILE, PAIRS_FILE):
            try:
                with open(outdir / name, "wb"):
                    pass
            except OSError as exc:
                raise output_error(exc, outdir / name) from None


def _load_finished(outdir: Path, batch: list[BatchItem], retry_errors: bool = False) -> dict[str, dict]:
    """The documents already finished in `outdir`; cleans what a kill left behind.

    With `retry_errors`, error rows are dropped (atomically), so their documents count as not
    finished and are checked again."""
    docs_path, pairs_path = outdir / DOCUMENTS_FILE, outdir / PAIRS_FILE
    doc_rows = read_jsonl(docs_path)
    finished: dict[str, dict] = {}
    kept_docs = []
    for row in doc_rows:
        doc_id = row.get("id")
        if not isinstance(doc_id, str) or doc_id in finished or row.get("status") not in ("ok", "error"):
            continue
        if retry_errors and row.get("status") == "error":
            continue
        finished[doc_id] = row
        kept_docs.append(row)
    raw_docs = docs_path.read_bytes() if docs_path.exists() else b""
    if len(kept_docs) != len(doc_rows) or not raw_docs.endswith(b"\n") and raw_docs:
        write_lines_atomic(docs_path, kept_docs)
    # Pair rows count only for finished documents, once each.
    pair_rows = read_jsonl(pairs_path)
    seen = set()
    kept_pairs = []
    for row in pair_rows:
        key = (row.get("doc"), row.get("pair"))
        status = finished.get(row.get("doc"), {}).get("status")
        if status == "ok" and key not in seen:
            seen.add(key)
            kept_pairs.append(row)
    raw_pairs = pairs_path.read_bytes() if pairs_path.exists() else b""
    if len(kept_pairs) != len(pair_rows) or (raw_pairs and not raw_pairs.endswith(b"\n")):
        write_lines_atomic(pairs_path, kept_pairs)
    return finished


def finish_outdir(outdir: Path, batch: list[BatchItem], pairs_format: str = "jsonl") -> dict:
    """When every document is finished: rewrite the files in manifest order, write the summary."""
    doc_rows = read_jsonl(outdir / DOCUMENTS_FILE)
    pair_rows = read_jsonl(outdir / PAIRS_FILE)
    order = {item.id: k for k, item in enumerate(batch)}
    by_id: dict[str, dict] = {}
    for row in doc_rows:
        by_id.setdefault(row.get("id"), row)
    missing = [item.id for item in batch if item.id not in by_id]
    if missing:
        raise MtcheckError(f"{len(missing)} document(s) were not finished, e.g. {missing[0]}; run again with --resume")
    extra = [row for doc_id, row in by_id.items() if doc_id not in order]
    canonical_docs = [by_id[item.id] for item in batch] + extra
    position = {row["id"]: k for k, row in enumerate(canonical_docs)}
    ok_ids = {row["id"] for row in canonical_docs if row.get("status") == "ok"}
    unique_pairs = {}
    for row in pair_rows:
        key = (row.get("doc"), row.get("pair"))
        if row.get("doc") in ok_ids and key not in unique_pairs:
            unique_pairs[key] = row
    canonical_pairs = sorted(unique_pairs.values(), key=lambda r: (position[r["doc"]], r.get("pair", 0)))
    write_lines_atomic(outdir / DOCUMENTS_FILE, canonical_docs)
    write_lines_atomic(outdir / PAIRS_FILE, canonical_pairs)
    if pairs_format == "csv":
        write_atomic(outdir / "pairs.csv", pairs_to_csv(canonical_pairs))
    elif pairs_format == "parquet":
        _write_parquet(outdir / "pairs.parquet", canonical_pairs)
    summary = summarize([by_id[item.id] for item in batch])
    write_atomic(outdir / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    return summary


# --- per-pair tables -------------------------------------------------------------------------


def _flat_pair(row: dict, score_names: list[str]) -> dict:
    flags = row.get("flags") or []
    worst = "none"
    for flag in flags:
        if worst == "none" or SEVERITIES.index(flag["severity"]) > SEVERITIES.index(worst):
            worst = flag["severity"]
    flat = {
        "doc": row.get("doc"),
        "pair": row.get("pair"),
        "src_ids": " ".join(str(i) for i in row.get("src_ids", [])),
        "tgt_ids": " ".join(str(i) for i in row.get("tgt_ids", [])),
        "src": row.get("src", ""),
        "tgt": row.get("tgt", ""),
        "ref": row.get("ref"),
        "align_score": row.get("align_score"),
    }
    scores = row.get("scores") or {}
    for name in score_names:
        flat[name] = scores.get(name)
    flat["flags"] = ";".join(f"{f['code']}/{f['severity']}" for f in flags)
    flat["worst"] = worst
    flat["flag_details"] = json.dumps(flags, ensure_ascii=False) if flags else ""
    return flat


def _score_names(rows: list[dict]) -> list[str]:
    names: dict[str, None] = {}
    for row in rows:
        for name in row.get("scores") or {}:
            names.setdefault(name, None)
    return list(names)


def pairs_to_csv(rows: list[dict]) -> str:
    import csv
    import io

    names = _score_names(rows)
    buffer = io.StringIO()
    columns = ["doc", "pair", "src_ids", "tgt_ids", "src", "tgt", "ref", "align_score", *names,
               "flags", "worst", "flag_details"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    from mtcheck.render import spreadsheet_text

    for row in rows:
        flat = _flat_pair(row, names)
        writer.writerow({k: spreadsheet_text(v) for k, v in flat.items()})
    return buffer.getvalue()


def _write_parquet(path: Path, rows: list[dict]) -> None:
    import io

    import pandas as pd

    names = _score_names(rows)
    df = pd.DataFrame([_flat_pair(r, names) for r in rows])
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    write_atomic(path, buffer.getvalue())


# --- summary ---------------------------------------------------------------------------------


def summarize(doc_rows: list[dict]) -> dict:
    """Documents, pairs, flags by code and severity, document scores (mean and worst)."""
    from mtcheck.config import SCORE_DIRECTIONS

    ok = [r for r in doc_rows if r.get("status") == "ok"]
    failed = [r for r in doc_rows if r.get("status") != "ok"]
    flags: Counter = Counter()
    severities: Counter = Counter()
    check_errors: Counter = Counter()  # {check code: pairs it failed on, all documents}
    for row in ok:
        flags.update(row.get("flags") or {})
        severities.update(row.get("severities") or {})
        check_errors.update(row.get("check_errors") or {})
    scores: dict[str, dict] = {}
    names: dict[str, None] = {}
    for row in ok:
        for name in row.get("scores") or {}:
            names.setdefault(name, None)
    for name in names:
        values = [(r["scores"][name], r["id"]) for r in ok
                  if isinstance(r.get("scores", {}).get(name), (int, float))]
        if not values:
            continue
        higher_better = SCORE_DIRECTIONS.get(name)
        entry = {"mean": round(sum(v for v, _ in values) / len(values), 6), "documents": len(values)}
        if higher_better is not None:
            value, doc_id = (min if higher_better else max)(values, key=lambda x: x[0])
            entry.update({"worst": value, "worst_id": doc_id,
                          "direction": "higher" if higher_better else "lower"})
        scores[name] = entry
    return {
        "documents": {"total": len(doc_rows), "ok": len(ok), "error": len(failed)},
        "pairs": sum(int(r.get("pairs") or 0) for r in ok),
        "flags": dict(sorted(flags.items())),
        "severities": {s: severities.get(s, 0) for s in SEVERITIES},
        "scores": scores,
        "errors": [{"id": r.get("id"), "error": r.get("error")} for r in failed],
        "check_errors": dict(sorted(check_errors.items())),
    }


def format_summary(summary: dict, outdir: Optional[Path] = None) -> str:
    """The summary as a plain-text table for the terminal."""
    docs = summary["documents"]
    lines = []
    if outdir is not None:
        lines.append(f"Results in {outdir}")
    lines.append(f"Documents  {docs['total']:>8}  ({docs['ok']} ok, {docs['error']} failed)")
    lines.append(f"Pairs      {summary['pairs']:>8}")
    per100 = (lambda n: f"{100 * n / summary['pairs']:.2f}") if summary["pairs"] else (lambda n: "-")
    lines.append("")
    lines.append(f"{'Flags':<20}{'count':>8}{'per 100 pairs':>15}")
    for severity in reversed(SEVERITIES):
        n = summary["severities"].get(severity, 0)
        lines.append(f"  {severity:<18}{n:>8}{per100(n):>15}")
    for code, n in sorted(summary["flags"].items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {code:<18}{n:>8}{per100(n):>15}")
    if summary["scores"]:
        lines.append("")
        lines.append(f"{'Document scores':<20}{'mean':>10}{'worst':>10}  worst document")
        for name, entry in summary["scores"].items():
            worst = f"{entry['worst']:.4g}" if "worst" in entry else "-"
            lines.append(f"  {name:<18}{entry['mean']:>10.4g}{worst:>10}  {entry.get('worst_id', '')}")
    if summary.get("check_errors"):
        lines.append("")
        lines.append("Checks that failed (those pairs were not checked for it):")
        for code, n in summary["check_errors"].items():
            lines.append(f"  {code:<18}{n:>8} pairs")
    if summary["errors"]:
        lines.append("")
        lines.append(f"Failed documents ({len(summary['errors'])}):")
        for err in summary["errors"][:20]:
            lines.append(f"  {err['id']}: {err['error']}")
        if len(summary["errors"]) > 20:
            lines.append(f"  ... and {len(summary['errors']) - 20} more (see documents.jsonl)")
    return "\n".join(lines) + "\n"


# --- command line --------------------------------------------------------------------------


def run_batch(args) -> int:
    """`mtcheck batch`: exit 0 when the batch ran to its end (failed documents are error rows),
    2 on bad input or output that cannot be written, 130 when interrupted."""
    from mtcheck.settings import first_given, load_settings

    settings = load_settings(getattr(args, "config", None))
    if getattr(args, "gate", False) or getattr(args, "junit", None):
        from mtcheck.gate import parse_rules

        parse_rules(settings.gate_rules)  # bad rules are found before hours of work, not after
    items = collect_items(args.inputs, allow_outside=args.allow_outside)
    options = {
        "encoder": args.encoder or settings.encoder,
        "src_lang": args.src_lang,
        "tgt_lang": args.tgt_lang,
        "checks": settings.checks,
        "disabled_checks": settings.disabled_checks,
        "waivers": settings.waivers,
        "max_sentences": first_given(getattr(args, "max_sentences", None), settings.max_sentences),
        "check_options": settings.check_options,
    }
    options = {k: v for k, v in options.items() if v not in (None, [], (), {})}
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise KeyboardInterrupt

    if previous in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, on_term)
    try:
        result = check_batch(
            items, args.output, workers=args.workers, resume=args.resume,
            doc_timeout=getattr(args, "doc_timeout", None),
            retry_errors=getattr(args, "retry_errors", False),
            overwrite=getattr(args, "overwrite", False),
            pairs_format=args.pairs_format, progress=not args.no_progress, **options,
        )
    except KeyboardInterrupt:
        done = len(read_jsonl(Path(args.output) / DOCUMENTS_FILE))
        print(f"mtcheck: {done} of {len(items)} documents are finished in {args.output}; "
              "run the same command with --resume to check the rest", file=sys.stderr)
        raise
    finally:
        if previous in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.stdout.write(format_summary(result.summary, result.outdir))
    if getattr(args, "gate", False) or getattr(args, "junit", None):
        from mtcheck.gate import report_verdict

        passed = report_verdict(result.outdir, settings.gate_rules, junit=args.junit)
        if getattr(args, "gate", False) and not passed:
            return 1
    # Documents that failed are recorded as error rows; judging them is the gate's job.
    return 0
