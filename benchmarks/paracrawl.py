"""Part 3 of the garbled-line benchmark: ParaCrawl v3 en-fr manual validation.

2,000 web sentence pairs, each labelled by a person: V valid, E translation error, A misaligned
(the two sides do not say the same thing), L wrong language (78 of the 143 with the comment
"Encoding": mojibake made the annotators call the text unreadable), MT machine translated,
T tokenization, F free translation.

mtcheck checks the pairs as a user checks a corpus of pairs: line-aligned files (`--aligned`),
here in chunks of 50 lines. Mapping from labels to flags:
- L (all) <- a `wrong_language`, `untranslated` or `encoding` flag;
  L without the "Encoding" comment <- `wrong_language` or `untranslated`;
  L with "Encoding" <- `encoding`;
- A <- a `mistranslation`, `omission` or `addition` flag (the reference-free signs that the two
  sides say different things), and, as a second row, the `similarity` score below a threshold.
The pairs are split half/half by a seeded shuffle; the minimum severity (and the similarity
threshold) are chosen on the tuning half and the numbers reported on the other half.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from typing import Callable

from garble_eval import (SEVERITIES, SHARED_DATA, Counts, code_version, describe_flags, fmt,
                         progress,
                         run_mtcheck, severity_at_least, table)

PATH = SHARED_DATA / "pairs" / "paracrawl_en-fr" / "sorted.en-fr"
CHUNK = 50
OPTIONS = {"src_lang": "en", "tgt_lang": "fr", "aligned": True}


@dataclass
class LabelledPair:
    index: int
    src: str
    tgt: str
    label: str
    comment: str


def read_pairs() -> list[LabelledPair]:
    out = []
    with open(PATH, encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)):
            if len(row) < 8:
                continue
            out.append(LabelledPair(i, _one_line(row[2]), _one_line(row[3]), row[7].strip(),
                                    row[8].strip() if len(row) > 8 else ""))
    return out


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text or "."


def split_pairs(pairs: list[LabelledPair], seed: int) -> dict[str, list[LabelledPair]]:
    order = list(pairs)
    random.Random(f"{seed}|paracrawl").shuffle(order)
    half = len(order) // 2
    return {"tune": sorted(order[:half], key=lambda p: p.index),
            "report": sorted(order[half:], key=lambda p: p.index)}


def check_pairs(pairs: list[LabelledPair]) -> list[tuple[list[dict], dict]]:
    """(flags, scores) per pair, running mtcheck on chunks of line-aligned pairs."""
    version = code_version()
    out: list[tuple[list[dict], dict]] = []
    chunks = [pairs[i:i + CHUNK] for i in range(0, len(pairs), CHUNK)]
    failed = 0
    first_error = None
    for n, chunk in enumerate(chunks, 1):
        result = run_mtcheck("\n".join(p.src for p in chunk), "\n".join(p.tgt for p in chunk),
                             OPTIONS, version=version)
        if result.error or len(result.pairs) != len(chunk):
            failed += 1
            first_error = first_error or result.error or "pair count differs"
            out.extend(([], {}) for _ in chunk)
        else:
            out.extend((p.flags, p.scores) for p in result.pairs)
        progress(n, len(chunks), "ParaCrawl chunks", every=10)
    if failed:
        print(f"  ParaCrawl: mtcheck failed on {failed} chunks, e.g. {first_error}")
    return out


# row name -> (is gold positive, flag codes that count)
ROWS: dict[str, tuple[Callable[[LabelledPair], bool], set[str]]] = {
    "L (all) <- wrong_language|untranslated|encoding":
        (lambda p: p.label == "L", {"wrong_language", "untranslated", "encoding"}),
    "L (not Encoding) <- wrong_language|untranslated":
        (lambda p: p.label == "L" and p.comment != "Encoding", {"wrong_language", "untranslated"}),
    "L (Encoding) <- encoding":
        (lambda p: p.label == "L" and p.comment == "Encoding", {"encoding"}),
    "A <- mistranslation|omission|addition":
        (lambda p: p.label == "A", {"mistranslation", "omission", "addition"}),
}


def _count(pairs, outputs, is_gold, predict) -> Counts:
    c = Counts()
    for p, out in zip(pairs, outputs):
        g, pr = is_gold(p), predict(out)
        if g and pr:
            c.tp += 1
        elif g:
            c.fn += 1
        elif pr:
            c.fp += 1
    return c


def run(seed: int, quick: bool) -> tuple[str, str]:
    pairs = read_pairs()
    halves = split_pairs(pairs, seed)
    if quick:
        halves = {k: v[:300] for k, v in halves.items()}
    outputs = {k: check_pairs(v) for k, v in halves.items()}
    rows = []
    chosen = {}
    for name, (is_gold, codes) in ROWS.items():
        def predictor(sev, codes=codes):
            return lambda out: any(f["code"] in codes and severity_at_least(f, sev) for f in out[0])

        best = max(SEVERITIES, key=lambda s: (_f1(_count(halves["tune"], outputs["tune"], is_gold,
                                                           predictor(s))), -SEVERITIES.index(s)))
        chosen[name] = best
        c = _count(halves["report"], outputs["report"], is_gold, predictor(best))
        rows.append([name, f">= {best}", c.tp + c.fn, c.tp, c.fp, fmt(c.precision), fmt(c.recall), fmt(c.f1)])
    # The similarity score alone, thresholded (tuned on the tuning half), for misaligned pairs.
    is_a = ROWS["A <- mistranslation|omission|addition"][0]
    sims = [out[1].get("similarity") for out in outputs["tune"]]
    if any(s is not None for s in sims):
        grid = sorted({round(s, 2) for s in sims if s is not None})
        best_t = max(grid, key=lambda t: _f1(_count(
            halves["tune"], outputs["tune"], is_a,
            lambda out, t=t: out[1].get("similarity") is not None and out[1]["similarity"] < t)))
        c = _count(halves["report"], outputs["report"], is_a,
                   lambda out: out[1].get("similarity") is not None and out[1]["similarity"] < best_t)
        rows.append(["A <- similarity < t", f"t = {best_t:.2f}", c.tp + c.fn, c.tp, c.fp,
                     fmt(c.precision), fmt(c.recall), fmt(c.f1)])
    title = (f"ParaCrawl v3 en-fr manual labels, pair level (reported half: {len(halves['report'])} "
             f"pairs; severity and threshold chosen on the other {len(halves['tune'])})")
    text = table(["label <- mtcheck flags", "counting", "gold", "tp", "fp", "precision", "recall", "F1"],
                 rows, title=title)
    return text, error_analysis(halves["tune"], outputs["tune"], chosen)


def _f1(c: Counts) -> float:
    f = c.f1
    return f if f == f else -1.0


def error_analysis(pairs, outputs, chosen, per_list: int = 8) -> str:
    out = ["## ParaCrawl en-fr (tuning half only)", ""]
    for name, (is_gold, codes) in ROWS.items():
        sev = chosen[name]
        fns, fps = [], []
        for p, o in zip(pairs, outputs):
            hit = any(f["code"] in codes and severity_at_least(f, sev) for f in o[0])
            if is_gold(p) and not hit:
                fns.append((p, o))
            elif hit and not is_gold(p):
                fps.append((p, o))
        out.append(f"### {name} (counting >= {sev})")
        for items, label in ((fns, "False negatives"), (fps, "False positives")):
            if not items:
                continue
            out.append(f"#### {label}: {len(items)}")
            for p, o in items[:per_list]:
                shown = describe_flags(o[0])
                sim = o[1].get("similarity")
                out.append(f"- line {p.index}, label {p.label} {p.comment}".rstrip()
                           + (f", similarity {sim:.2f}" if sim is not None else ""))
                out.append(f"  - src: {p.src[:300]}")
                out.append(f"  - tgt: {p.tgt[:300]}")
                out.append(f"  - flags: {shown or 'none'}")
            out.append("")
    return "\n".join(out)
