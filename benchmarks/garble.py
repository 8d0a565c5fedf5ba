"""Garbled-line detection: how well mtcheck's checks find faulty lines, per flag code.

    python benchmarks/garble.py                      # all three parts
    python benchmarks/garble.py --part corrupted     # or wmt19, paracrawl
    python benchmarks/garble.py --quick              # a small subset of each, for a smoke run

1. corrupted: newstest2014 en-fr documents written in English, with faults injected at known
   places (benchmarks/corrupt.py); pair-level precision, recall and F1 per code on the held-out
   half of the documents, and false flags per 100 clean pairs by severity; then the codes whose
   counts change when the human translation's own number and name errors, audited by hand
   (benchmarks/slip_audit.py), count as faults too.
2. wmt19: WMT19 QE task 2 en-fr MQM spans; segment-level precision and recall per mapped
   category on dev and dev0 (settings chosen on train), beside a plain-rules baseline.
3. paracrawl: ParaCrawl v3 en-fr manual labels; wrong language and misaligned pairs.

Tables go to stdout. False negatives and false positives with their texts, taken from the tuning
splits only (so that improving the checks on them does not touch the reported numbers), go to
benchmarks/_work/garble_errors.md. mtcheck results are cached in benchmarks/_work/garble_cache/
and recomputed whenever a file of the mtcheck package changes.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from garble_eval import WORK, code_version, git_head  # noqa: E402

PARTS = ("corrupted", "wmt19", "paracrawl")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=PARTS + ("all",), default="all")
    parser.add_argument("--quick", action="store_true", help="a small subset of each part")
    parser.add_argument("--split", choices=("report", "tune", "frorig"), default="report",
                        help="which corrupted documents to score: the held-out half (default), the tuning "
                             "half, or the French-original documents (a second tuning set)")
    parser.add_argument("--variants", type=int, default=3,
                        help="corrupted variants of each document (different faults, same seed)")
    parser.add_argument("--first-variant", type=int, default=0,
                        help="skip the variants before this one: with a larger --variants, fresh faults "
                             "on the same documents (more tuning data without touching the held-out half)")
    parser.add_argument("--kinds", default=None,
                        help="corrupted part: the fault kinds to inject, comma-separated (default: every kind "
                             "but added_clause, which is measured on its own: --kinds added_clause)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--mode", choices=("text", "presegmented"), default="text",
                        help="corrupted documents as plain text (mtcheck splits and aligns) or one segment a line")
    parser.add_argument("--train-docs", type=int, default=100,
                        help="WMT19 train documents used for tuning (default 100; 0: all 1,000)")
    args = parser.parse_args(argv)
    kinds = _kinds(parser, args.kinds)

    parts = PARTS if args.part == "all" else (args.part,)
    WORK.mkdir(parents=True, exist_ok=True)
    header = (f"mtcheck garbled-line benchmark, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
              f"{platform.node() or 'host'} ({os.cpu_count()} CPUs, Python {platform.python_version()}), "
              f"mtcheck at {git_head()}, code hash {code_version()}"
              + (", QUICK subset" if args.quick else ""))
    print(header)
    print()
    for part in parts:
        started = time.perf_counter()
        if part == "corrupted":
            import corrupted

            reported, tuning, audited = corrupted.run(args.split, args.seed, args.variants, args.mode,
                                                        args.quick, first_variant=args.first_variant,
                                                        kinds=kinds)
            label = {"report": "held-out half", "tune": "tuning half",
                     "frorig": "French-original documents, tuning"}[args.split] + \
                f", seed {args.seed}, {_variant_label(args)}, {args.mode} mode" + \
                ("" if args.kinds is None else f", kinds {','.join(kinds)}")
            text = corrupted.render(reported, label) + "\n\n" + corrupted.render_audited(reported, audited, label)
            errors = corrupted.error_analysis(tuning)
        elif part == "wmt19":
            import wmt19_qe

            text, errors = wmt19_qe.run(args.quick, args.train_docs)
        else:
            import paracrawl

            text, errors = paracrawl.run(args.seed, args.quick)
        print(text)
        print(f"\n({part}: {time.perf_counter() - started:.0f} s)\n", flush=True)
        (WORK / f"garble_errors_{part}.md").write_text(f"{header}\n\n{errors}\n", encoding="utf-8")
        (WORK / f"garble_tables_{part}.md").write_text(f"{header}\n\n{text}\n", encoding="utf-8")
    _combine_errors()
    return 0


def _kinds(parser: argparse.ArgumentParser, listed) -> tuple:
    import corrupt

    if listed is None:
        return corrupt.DEFAULT_KINDS
    kinds = tuple(k.strip() for k in listed.split(",") if k.strip())
    unknown = [k for k in kinds if k not in corrupt.KINDS]
    if unknown or not kinds:
        parser.error(f"unknown fault kind(s) {', '.join(unknown) or '(none given)'}; "
                     f"known: {', '.join(corrupt.KINDS)}")
    return kinds


def _variant_label(args) -> str:
    if args.quick:
        return "1 variant"
    if args.first_variant:
        return f"variants {args.first_variant}-{args.variants - 1}"
    return f"{args.variants} variant(s)"


def _combine_errors() -> None:
    """benchmarks/_work/garble_errors.md: the latest error analysis of every part."""
    chunks = ["# Garbled-line benchmark: errors to learn from (tuning splits only)", ""]
    for part in PARTS:
        path = WORK / f"garble_errors_{part}.md"
        if path.is_file():
            chunks.append(path.read_text(encoding="utf-8"))
    (WORK / "garble_errors.md").write_text("\n".join(chunks), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
