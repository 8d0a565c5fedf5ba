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
the odd half is the test half (report it).

`--set textberg` measures German and French instead, on the Text+Berg alignment set
(../shared/data/align/textberg_de-fr: OCR'd yearbooks, one tokenized sentence per line;
the tokens are rejoined by rough rules). Its gold is noisy (a closing » often starts
the next line, abbreviations such as "Nov. | 1956" are cut), so read its figures as a
floor. `dev` is its dev file, `test` its seven test files. Run:

    python benchmarks/segment.py [--set newstest|textberg] [--half dev|test] [--wrap N] [--show N] [--pysbd PATH]

`--wrap N` hard-wraps each paragraph at N columns first (as plain-text e-mail and
README files are), to see that line breaks inside a sentence do not split it.

`--pysbd PATH` also measures pysbd installed under PATH (pip install --target PATH pysbd).
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import textwrap
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.segment import split_sentences  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DATA = SHARED / "parallel" / "newstest2014_en-fr" / "newstest2014_en-fr.tsv"
TEXTBERG = SHARED / "align" / "textberg_de-fr"
FINAL = tuple(".!?…") + ('."', '?"', '!"', ".”", "?”", "!”", ". »", ".\u00a0»", "?\u00a0»", "!\u00a0»", ".)", ".'", ".’")


def load_documents():
    docs = defaultdict(lambda: {"en": [], "fr": []})
    with open(DATA, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            docs[row["docid"]]["en"].append(row["en"].strip())
            docs[row["docid"]]["fr"].append(row["fr"].strip())
    return list(docs.values())


def load_textberg(half):
    """Each Text+Berg file as one document, its sentences detokenized."""
    names = ["dev"] if half == "dev" else [f"test{i}" for i in range(7)]
    docs = []
    for name in names:
        doc = {}
        for lang in ("de", "fr"):
            lines = (TEXTBERG / f"{name}.{lang}").read_text(encoding="utf-8").split("\n")
            doc[lang] = [_detokenize(line, lang) for line in lines if line.strip()]
        docs.append(doc)
    return docs


def _detokenize(line, lang):
    line = re.sub(r" ([,.)\]])", r"\1", line)
    line = re.sub(r"([(\[]) ", r"\1", line)
    line = re.sub(r"(\w') ", r"\1", line)
    if lang != "fr":  # French keeps its space before ? ! : ;
        line = re.sub(r" ([?!:;])", r"\1", line)
    return line.strip()


def build(segments, headline=True, wrap=0):
    """Running text and, for each gold segment end, its offset and whether punctuation marks it."""
    text = segments[0]
    ends = [(len(text), headline or text.rstrip().endswith(FINAL))]
    for seg in segments[1:]:
        text += ("\n\n" if len(ends) == 1 and headline else " ") + seg
        ends.append((len(text), seg.rstrip().endswith(FINAL)))
    if wrap:
        # Only single spaces become line breaks, so every offset stays where it was.
        wrapped = "\n\n".join(
            textwrap.fill(p, wrap, break_long_words=False, break_on_hyphens=False) for p in text.split("\n\n")
        )
        if len(wrapped) == len(text):
            text = wrapped
    return text, ends


def evaluate(split, docs, lang, show=0, headline=True, wrap=0):
    found = counted = extra = segments = 0
    shown = 0
    start = time.perf_counter()
    for doc in docs:
        text, ends = build(doc[lang], headline, wrap)
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
    parser.add_argument("--set", choices=("newstest", "textberg"), default="newstest")
    parser.add_argument("--half", choices=("dev", "test"), default="test")
    parser.add_argument("--show", type=int, default=0, help="print this many errors per language")
    parser.add_argument("--wrap", type=int, default=0, help="hard-wrap paragraphs at this width first")
    parser.add_argument("--pysbd", help="folder where pysbd is installed, to compare")
    args = parser.parse_args(argv)
    if args.set == "textberg":
        docs, langs = load_textberg(args.half), ("de", "fr")
        title = f"Text+Berg de-fr, {args.half}"
    else:
        docs, langs = load_documents(), ("en", "fr")
        docs = docs[0::2] if args.half == "dev" else docs[1::2]
        title = f"newstest2014 en-fr, {args.half} half"
    splitters = {"mtcheck": mtcheck_split}
    if args.pysbd:
        splitters["pysbd"] = pysbd_split(args.pysbd)
    print(f"{title}{f', wrapped at {args.wrap} columns' if args.wrap else ''}: {len(docs)} documents")
    print("| splitter | lang | recall | extra splits / 100 segments | segments | seconds |")
    print("|---|---|---|---|---|---|")
    for name, split in splitters.items():
        for lang in langs:
            r = evaluate(split, docs, lang, show=args.show if name == "mtcheck" else 0,
                         headline=args.set == "newstest", wrap=args.wrap)
            print(f"| {name} | {lang} | {r['recall']:.3f} | {r['extra_per_100']:.1f} | {r['segments']} | {r['seconds']:.2f} |")


if __name__ == "__main__":
    main()
