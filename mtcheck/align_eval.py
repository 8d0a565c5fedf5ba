"""Scoring sentence alignments against gold links: strict and lax precision, recall, F1.

The definitions follow Vecalign's scorer (itself after Sennrich and Volk's lax/strict
measures), so numbers are comparable with those published for Vecalign, Bertalign and
Bleualign on Text+Berg:

- precision is counted over the test links (empty-side links included): a test link is a
  strict hit when the identical link is in the gold; a lax hit when it is in the gold or
  one of its target sentences is linked in the gold to one of its source sentences;
- recall is the same count with gold and test swapped, ignoring links with an empty side;
- several documents are pooled by summing their counts before dividing.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Sequence, Union

from mtcheck.errors import InputError
from mtcheck.models import Link

_LINK_LINE = re.compile(r"^\s*\[([0-9,\s]*)\]\s*:\s*\[([0-9,\s]*)\]\s*(?::\s*(\S+))?\s*$")

LinkLike = Union[Link, tuple]


def parse_vecalign_line(line: str) -> Link:
    """One `[i, j]:[k]` line (an optional `:score` suffix, as Vecalign prints, is kept)."""
    match = _LINK_LINE.match(line)
    if not match:
        raise InputError(f"not an alignment line of the form [i]:[j, k]: {line.strip()[:80]!r}")
    src = tuple(int(x) for x in match.group(1).replace(",", " ").split())
    tgt = tuple(int(x) for x in match.group(2).replace(",", " ").split())
    score = float(match.group(3)) if match.group(3) else 1.0
    return Link(src, tgt, score)


def read_vecalign_links(path: Union[str, Path]) -> list[Link]:
    """Read a gold or test file in Vecalign's format, one link a line; blank lines skipped."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the alignment file ({exc.strerror or exc})") from None
    links = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            links.append(parse_vecalign_line(line))
        except InputError as exc:
            raise InputError(f"{path}:{number}: {exc}") from None
    return links


def _as_pairs(links: Iterable[LinkLike]) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Links as (src, tgt) tuples, dropping links empty on both sides."""
    out = set()
    for link in links:
        src, tgt = (link.src, link.tgt) if isinstance(link, Link) else (link[0], link[1])
        src, tgt = tuple(int(i) for i in src), tuple(int(j) for j in tgt)
        if src or tgt:
            out.add((src, tgt))
    return out


def _hits(reference, candidates) -> tuple[int, int, int]:
    """(candidates, strict hits, lax hits) of candidate links judged against reference links."""
    reference = _as_pairs(reference)
    candidates = _as_pairs(candidates)
    linked_tgt = defaultdict(set)
    for src, tgt in reference:
        for i in src:
            linked_tgt[i].update(tgt)
    strict = lax = 0
    for src, tgt in candidates:
        if (src, tgt) in reference:
            strict += 1
            lax += 1
        elif any(j in linked_tgt[i] for i in src for j in tgt):
            lax += 1
    return len(candidates), strict, lax


def alignment_counts(gold_links: Sequence[LinkLike], test_links: Sequence[LinkLike]) -> dict:
    """The raw counts for one document, so that several documents can be pooled."""
    def both_sides(links):
        return [l for l in _as_pairs(links) if l[0] and l[1]]

    p_total, p_strict, p_lax = _hits(gold_links, test_links)
    r_total, r_strict, r_lax = _hits(both_sides(test_links), both_sides(gold_links))
    return {
        "test": p_total, "test_strict": p_strict, "test_lax": p_lax,
        "gold": r_total, "gold_strict": r_strict, "gold_lax": r_lax,
    }


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores_from_counts(counts: dict) -> dict:
    """Precision, recall and F1, strict and lax, from (pooled) counts."""
    p_strict = _ratio(counts["test_strict"], counts["test"])
    p_lax = _ratio(counts["test_lax"], counts["test"])
    r_strict = _ratio(counts["gold_strict"], counts["gold"])
    r_lax = _ratio(counts["gold_lax"], counts["gold"])
    return {
        "precision_strict": p_strict, "recall_strict": r_strict, "f1_strict": _f1(p_strict, r_strict),
        "precision_lax": p_lax, "recall_lax": r_lax, "f1_lax": _f1(p_lax, r_lax),
    }


def score_alignment(gold_links: Sequence[LinkLike], test_links: Sequence[LinkLike]) -> dict:
    """Strict/lax precision, recall and F1 of one document's test links against the gold."""
    return scores_from_counts(alignment_counts(gold_links, test_links))


def score_alignments(gold_docs: Sequence[Sequence[LinkLike]], test_docs: Sequence[Sequence[LinkLike]]) -> dict:
    """Like `score_alignment` for several documents, pooling counts as Vecalign does."""
    if len(gold_docs) != len(test_docs):
        raise ValueError("as many gold documents as test documents are needed")
    total: dict = defaultdict(int)
    for gold, test in zip(gold_docs, test_docs):
        for key, value in alignment_counts(gold, test).items():
            total[key] += value
    return scores_from_counts(dict(total))


def empty_side_scores(gold_links: Sequence[LinkLike], test_links: Sequence[LinkLike]) -> dict:
    """Precision, recall and F1 of links with an empty side (omissions and additions)."""
    gold = {l for l in _as_pairs(gold_links) if not (l[0] and l[1])}
    test = {l for l in _as_pairs(test_links) if not (l[0] and l[1])}
    hit = len(gold & test)
    p, r = _ratio(hit, len(test)), _ratio(hit, len(gold))
    return {"precision": p, "recall": r, "f1": _f1(p, r), "gold": len(gold), "test": len(test)}
