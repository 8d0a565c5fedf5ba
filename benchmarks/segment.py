"""Sentence splitting measured on newstest2014 en-fr (../shared/data/parallel).

Each document is rebuilt as running text: its first segment (the headline) as a
paragraph of its own, the other segments joined by single spaces. The splitter must
find the segment ends again.

- recall: share of gold segment ends found. Only ends that punctuation marks (the
  segment ends in . ! ? … or a closing quote or bracket after one) are counted: a
  segment with no final punctuation joined to the next by a space cannot be found.
- extra: splits inside a gold segment, per 100 segments. Newstest segments sometimes
  hold two sentences, so an extra split is not always wrong; `--show` prints them.

Documents with an even index are the development half (look at its errors);
the odd half is the test half (report it). Run:

    python benchmarks/segment.py [--half dev|test] [--show N] [--pysbd PATH]

`--pysbd PATH` also measures pysbd installed under PATH (pip install --target PATH pysbd).
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.segment import split_sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "parallel" / "newstest2014_en-fr" / "newstest2014_en-fr.tsv"
FINAL = tuple(".!?…") + ('."', '?"', '!"', ".”", "?”", "!”", ". »", ".\u00a0»", "?\u00a0»", "!\u00a0»", ".)", ".'", ".’")


def load_documents():
    docs = defaultdict(lambda: {"en": [], "fr": []})
    with open(DATA, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            docs[row["docid"]]["en"].append(row["en"].strip())
            docs[row["docid"]]["fr"].append(row["fr"].strip())
    return list(docs.values())


def build(segments):
    """Running text and, for each gold segment end, its offset and whether punctuation marks it."""
    text = segments[0]
    ends = [(len(text), True)]  # the headline is its own paragraph
    for seg in segments[1:]:
        text += ("\n\n" if len(ends) == 1 else " ") + seg
        ends.append((len(text), seg.rstrip().endswith(FINAL)))
    return text, ends


def evaluate(split, docs, lang, show=0):
    found = counted = extra = segments = 0
    shown = 0
    start = time.perf_counter()
    for doc in docs:
        text, ends = build(doc[lang])
        predicted = split(text, lang)
        pred_ends = set(predicted)
        gold_ends = {end for end, _ in ends}
        for end, marked in ends[:-1]:
            if marked:
                counted += 1
                found += end in pred_ends
                if end not in pred_ends and shown < show:
                    shown += 1
                    print(f"  missed [{lang}]: ...{text[max(0, end - 60):end]} | {text[end:end + 40]}...")
        for end in pred_ends - gold_ends:
            extra += 1
            if shown < show:
                shown += 1
                print(f"  extra  [{lang}]: ...{text[max(0, end - 60):end]} | {text[end:end + 40].strip()}...")
        segments += len(ends)
    seconds = time.perf_counter() - start
    return {
        "recall": found / max(1, counted),
        "extra_per_100": 100 * extra / max(1, segments),
        "segments": segments,
        "seconds": seconds,
    }


def mtcheck_split(text, lang):
    return [s.end for s in split_sentences(text, lang)]


def pysbd_split(path):
    sys.path.insert(0, path)
    import pysbd

    segmenters = {}

    def split(text, lang):
        if lang not in segmenters:
            segmenters[lang] = pysbd.Segmenter(language=lang, clean=False, char_span=True)
        return [span.end - (len(span.sent) - len(span.sent.rstrip())) for span in segmenters[lang].segment(text)]

    return split


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("dev", "test"), default="test")
    parser.add_argument("--show", type=int, default=0, help="print this many errors per language")
    parser.add_argument("--pysbd", help="folder where pysbd is installed, to compare")
    args = parser.parse_args(argv)
    docs = load_documents()
    docs = docs[0::2] if args.half == "dev" else docs[1::2]
    splitters = {"mtcheck": mtcheck_split}
    if args.pysbd:
        splitters["pysbd"] = pysbd_split(args.pysbd)
    print(f"newstest2014 en-fr, {args.half} half: {len(docs)} documents")
    print("| splitter | lang | recall | extra splits / 100 segments | segments | seconds |")
    print("|---|---|---|---|---|---|")
    for name, split in splitters.items():
        for lang in ("en", "fr"):
            r = evaluate(split, docs, lang, show=args.show if name == "mtcheck" else 0)
            print(f"| {name} | {lang} | {r['recall']:.3f} | {r['extra_per_100']:.1f} | {r['segments']} | {r['seconds']:.2f} |")


if __name__ == "__main__":
    main()
