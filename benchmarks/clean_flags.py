"""False flags on clean human translations, for tuning the checks' precision.

    python benchmarks/clean_flags.py                 # all 108 documents
    python benchmarks/clean_flags.py --code entity_mismatch --examples 40
    python benchmarks/clean_flags.py --set mersenne  # 23 scientific articles, another domain

The 108 newstest2014 en-fr documents written in French (their English side translated by people)
are faithful translations with no injected fault; every flag mtcheck raises on them is a false
flag, or a real slip of the human translators. They are not part of the corrupted benchmark's
reported half (benchmarks/corrupted.py uses only the English-original documents there), so
the checks may be tuned on them freely. The direction is still English -> French, as in the
corrupted benchmark.

`--set mersenne` checks the 23 MaTOS/MERSENNE scientific articles (parallel/mersenne_en-fr,
human translations between French and English, one sentence per line in each article) in the
same direction, one sentence per paragraph: a second domain for the same question.
`--set transread` checks the five TransRead novels (align/transread_en-fr: literary human
translations with gold sentence links), one line per gold link, line-aligned: a third.

Prints false flags per 100 pairs by code and severity; writes every flag with its pair to
benchmarks/_work/clean_flags.md for reading.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corrupted import load_newstest  # noqa: E402
from garble_eval import SHARED_DATA, WORK, code_version, progress, run_mtcheck, table  # noqa: E402
from mtcheck.align_eval import read_vecalign_links  # noqa: E402

MERSENNE = SHARED_DATA / "parallel" / "mersenne_en-fr" / "MERSENNE" / "auxiliary_files"
SETS = {
    "newstest": "French-original newstest2014 documents",
    "mersenne": "MERSENNE scientific articles",
    "transread": "TransRead novels (gold links, line-aligned)",
}
TRANSREAD = SHARED_DATA / "align" / "transread_en-fr"


def load_mersenne() -> dict[str, list[tuple[str, str]]]:
    """Articles (mersenneN -> [(en, fr), ...]): one article per line, sentences split by <sep>."""
    en = (MERSENNE / "MERSENNE_article_sep.en").read_text(encoding="utf-8").splitlines()
    fr = (MERSENNE / "MERSENNE_article_sep.fr").read_text(encoding="utf-8").splitlines()
    docs = {}
    for i, (en_line, fr_line) in enumerate(zip(en, fr)):
        en_sents = [s.strip() for s in en_line.split("<sep>")]
        fr_sents = [s.strip() for s in fr_line.split("<sep>")]
        if len(en_sents) == len(fr_sents):
            docs[f"mersenne{i:02d}"] = [(e, f) for e, f in zip(en_sents, fr_sents) if e and f]
    return docs



def _detokenize(text: str) -> str:
    """TransRead's tokenized sentences ("here , she said .") as running text."""
    text = re.sub(r" ([,.)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    text = re.sub(r"(\w) ?['’] (\w)", r"\1'\2", text)
    return re.sub(r"(\w) (n't|'s|'ll|'re|'ve|'d|'m)\b", r"\1\2", text)


def load_transread() -> dict[str, list[tuple[str, str]]]:
    """Books (name -> [(en, fr), ...]): one row per gold link with text on both sides, the
    link's sentences joined. Checked line-aligned, so the aligner plays no part."""
    docs = {}
    for gold in sorted(TRANSREAD.glob("*.enfr")):
        en = [_detokenize(s) for s in gold.with_suffix(".en").read_text(encoding="utf-8").splitlines()]
        fr = [_detokenize(s) for s in gold.with_suffix(".fr").read_text(encoding="utf-8").splitlines()]
        docs[gold.stem] = [(" ".join(en[i] for i in link.src), " ".join(fr[j] for j in link.tgt))
                           for link in read_vecalign_links(gold) if link.src and link.tgt]
    return docs


SEVERITIES = ("minor", "major", "critical")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", help="write only this code's flags to the examples file")
    parser.add_argument("--examples", type=int, default=1000, help="most examples written per code")
    parser.add_argument("--docs", type=int, default=0, help="first N documents only (0: all)")
    parser.add_argument("--set", choices=sorted(SETS), default="newstest", help="which clean documents")
    parser.add_argument("--check-option", action="append", default=[], metavar="NAME",
                        help="switch this boolean check option on (what it costs on clean text); repeatable")
    args = parser.parse_args(argv)

    loaders = {"newstest": lambda: load_newstest(orig_lang="fr"), "mersenne": load_mersenne,
               "transread": load_transread}
    docs = loaders[args.set]()
    ids = sorted(docs)[: args.docs or None]
    version = code_version()
    options = {"src_lang": "en", "tgt_lang": "fr"}
    if args.check_option:
        options["check_options"] = {name: True for name in args.check_option}
    separator = "\n\n"
    if args.set == "transread":
        options["aligned"] = True
        separator = "\n"
    counts: Counter = Counter()
    examples: dict[str, list[str]] = {}
    pairs = 0
    for i, docid in enumerate(ids, 1):
        rows = docs[docid]
        source = separator.join(en for en, _ in rows)
        target = separator.join(fr for _, fr in rows)
        result = run_mtcheck(source, target, options, version=version)
        progress(i, len(ids), "clean documents")
        if result.error:
            print(f"{docid}: {result.error}", file=sys.stderr)
            continue
        pairs += len(result.pairs)
        for k, pair in enumerate(result.pairs):
            for flag in pair.flags:
                counts[(flag["code"], flag["severity"])] += 1
                if args.code and flag["code"] != args.code:
                    continue
                bucket = examples.setdefault(flag["code"], [])
                if len(bucket) < args.examples:
                    bucket.append(
                        f"- {docid} pair {k} **{flag['severity']}**: {flag.get('message', '')}\n"
                        f"  - src: {pair.src_text}\n  - tgt: {pair.tgt_text}"
                    )
    codes = sorted({code for code, _ in counts}, key=lambda c: -sum(counts[(c, s)] for s in SEVERITIES))
    rows = []
    for code in codes:
        per = [counts[(code, s)] for s in SEVERITIES]
        rows.append([code, *per, f"{100 * (per[1] + per[2]) / max(pairs, 1):.2f}"])
    total = [sum(counts[(c, s)] for c in codes) for s in SEVERITIES]
    rows.append(["all", *total, f"{100 * (total[1] + total[2]) / max(pairs, 1):.2f}"])
    print(table(["code", "minor", "major", "critical", "major+ per 100 pairs"], rows,
                f"Flags on {pairs} clean pairs of {len(ids)} {SETS[args.set]}"
                + (f", check options {', '.join(args.check_option)} on" if args.check_option else "")))
    out = WORK / ("clean_flags.md" if args.set == "newstest" else f"clean_flags_{args.set}.md")
    if args.check_option:
        out = out.with_name(out.stem + "_" + "_".join(args.check_option) + ".md")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        handle.write(f"# Flags on clean pairs: {SETS[args.set]}\n\n{version}\n\n")
        for code in codes:
            handle.write(f"## {code}\n\n" + "\n".join(examples.get(code, [])) + "\n\n")
    print(f"examples: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
