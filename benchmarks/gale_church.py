"""Gale-Church (1993) length-based sentence alignment: the baseline every aligner is measured against.

It looks only at character lengths: a sentence and its translation have lengths in a roughly
constant ratio, with a variance that grows with the length. Each bead type (1-1, 1-0, 0-1, 2-1,
1-2, 2-2) has a prior probability, and a dynamic program picks the sequence of beads with the
lowest total cost, `-log P(delta | match) - log P(bead type)`.

This is an independent implementation from the paper's formulas, with the paper's constants.
The search is restricted to a band around the diagonal so long books stay tractable in pure Python.
"""
from __future__ import annotations

import math

# The paper's constants: target characters per source character, and the variance of that
# ratio per character.
CHARS_RATIO = 1.0
VARIANCE = 6.8

# Priors of each bead type (source sentences, target sentences), from the paper's Table 5.
BEAD_PRIORS = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
    (2, 2): 0.011,
}
_SQRT2 = math.sqrt(2.0)
_BEAD_LOG_PRIORS = {bead: math.log(p) for bead, p in BEAD_PRIORS.items()}

Link = tuple[tuple[int, ...], tuple[int, ...]]


def _log_two_tailed(z: float) -> float:
    """log P(|Z| >= z) for a standard normal Z, stable far into the tail."""
    tail = math.erfc(z / _SQRT2)
    if tail > 1e-300:
        return math.log(tail)
    # Asymptotic form of erfc, because the direct value underflows to zero.
    x = z / _SQRT2
    return -x * x - math.log(x * math.sqrt(math.pi))


def bead_cost(src_chars: int, tgt_chars: int, bead: tuple[int, int]) -> float:
    """The cost (negative log probability) of one bead with these character counts."""
    mean = (src_chars + tgt_chars / CHARS_RATIO) / 2.0
    if mean <= 0:
        # Two empty sides: nothing to tell, only the prior speaks.
        return -_BEAD_LOG_PRIORS[bead]
    delta = (src_chars * CHARS_RATIO - tgt_chars) / math.sqrt(mean * VARIANCE)
    return -(_log_two_tailed(abs(delta)) + _BEAD_LOG_PRIORS[bead])


def gale_church_align(
    src_sentences: list[str], tgt_sentences: list[str], band: int | None = None
) -> list[Link]:
    """Align two sentence lists by length alone; return links as (source ids, target ids).

    `band` limits the search to cells within that many sentences of the straight line from
    (0, 0) to (n, m); by default it is wide enough (at least 250 sentences, or a fifth of the
    document) that it only matters for books.
    """
    n, m = len(src_sentences), len(tgt_sentences)
    if n == 0 or m == 0:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    src_len = [len(s) for s in src_sentences]
    tgt_len = [len(t) for t in tgt_sentences]
    if band is None:
        band = max(250, max(n, m) // 5)
    band = max(band, abs(n - m) + 2)

    inf = float("inf")
    # cost[i] maps j -> (best cost to reach (i, j), bead used to get there).
    cost: list[dict[int, tuple[float, tuple[int, int]]]] = [dict() for _ in range(n + 1)]
    cost[0][0] = (0.0, (0, 0))
    for i in range(n + 1):
        centre = i * m / n
        lo = max(0, int(centre) - band)
        hi = min(m, int(centre) + band)
        row = cost[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, best_bead = inf, None
            for bead, log_prior in _BEAD_LOG_PRIORS.items():
                di, dj = bead
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0:
                    continue
                prev = cost[pi].get(pj)
                if prev is None:
                    continue
                s_chars = sum(src_len[pi:i])
                t_chars = sum(tgt_len[pj:j])
                c = prev[0] + bead_cost(s_chars, t_chars, bead)
                if c < best:
                    best, best_bead = c, bead
            if best_bead is not None:
                row[j] = (best, best_bead)

    if m not in cost[n]:
        raise ValueError("the band is too narrow to reach the end of both documents")
    links: list[Link] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj = cost[i][j][1]
        links.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    links.reverse()
    return links
