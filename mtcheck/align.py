"""Sentence alignment: which source sentences translate which target sentences.

The aligner is a dynamic program over links of a source sentences opposite b target
sentences (1-0 and 0-1 for a sentence with nothing opposite; 1-1, 1-2, 2-1, 2-2, ... up to
`config.MAX_LINK_SIDE` a side), in the manner of Vecalign and Bertalign:

- a link's cost is the cosine dissimilarity of the two groups' embeddings divided by how
  dissimilar each group is, on average, to the other document (a margin: this is what keeps
  encoders with compressed cosines, such as e5, as sharp as the others), weighed by the
  link's size ((a+b)/2 to the power `size_power`), plus a length prior (the target group's
  length against the source group's, scaled by the document's ratio) and a small cost per
  merged sentence; a sentence left without a partner costs `skip`;
- groups of neighbouring sentences are embedded as one text (their joined sentences), which
  aligns merges better than averaging the single-sentence vectors (Text+Berg dev strict F1
  0.89 against 0.86). To spare most of that cost on clean documents, a first pass with
  averaged group vectors finds the hard places (merges, sentences left alone, weak 1-1
  links) and only groups touching them are embedded (`exact_scope="uncertain"`);
- a merged side whose first or last sentences are unlike the other side (as unlike as an
  unrelated sentence) and whose link is clearly closer without them gives them back as
  sentences with nothing opposite: the search prices one merge below several skips, and would
  otherwise fold a run of boilerplate into the neighbouring sentence's link (Text+Berg dev
  strict F1 0.891 -> 0.894, lax unchanged);
- the search is coarse-to-fine: both documents are halved (neighbouring vectors averaged)
  until the whole grid is small, aligned there, and each finer level searches only a band
  around the coarser path. Time and memory grow linearly with document length.

Every link gets a confidence `score` in [0, 1]: for a link with both sides, one minus its
normalised dissimilarity; for a sentence with nothing opposite, how unlike it is to every
sentence nearby on the other side.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from typing import Optional, Sequence

import numpy as np

from mtcheck import config
from mtcheck.embed.base import normalise_rows
from mtcheck.errors import ConfigError
from mtcheck.models import Link, Segment


@dataclass(frozen=True)
class AlignOptions:
    """Settings of the aligner; the defaults were chosen on Text+Berg dev (de-fr)."""

    max_side: int = config.MAX_LINK_SIDE  # most sentences on one side of a link
    max_total: int = config.MAX_LINK_SIDE + 1  # most sentences in a link, both sides together
    exact_groups: int = config.MAX_LINK_SIDE  # groups up to this size are embedded as one text
    exact_scope: str = "uncertain"  # embed those groups everywhere, or only near "uncertain" first-pass links
    uncertain_below: float = 0.5  # a first-pass 1-1 link scoring under this is uncertain
    debris_letters: int = 0  # a sentence with fewer letters than this is debris
    debris_skip: float = 0.2  # cost of leaving debris alone
    debris_merge: float = 0.5  # cost of folding debris into a link
    skip: float = 0.8  # cost of a sentence with nothing opposite (in normalised-dissimilarity units)
    merge: float = 0.1  # cost per sentence beyond one a side
    skip_isolation: float = 0.0  # skip gets cheaper by this much per unit of a sentence's isolation
    merge_isolation: float = 0.0  # cost per unit of isolation of each member of a merged group
    margin: str = "global"  # normalise by the mean over the other document, the neighbours, or "both"
    size_mode: str = "sum"  # a link's dissimilarity weighs (a*b) ("product") or (a+b)/2 ("sum")
    size_power: float = 1.5  # ... to this power
    length_weight: float = 0.3  # weight of the length prior
    length_smoothing: float = 15.0  # characters added to both lengths before their log-ratio
    trim_unlike: float = 1.0  # split off merged edge sentences at least this unlike the other side (0: never)
    trim_gain: float = 0.1  # ... when the link without them is at least this much less dissimilar
    band: int = 10  # half-width of the search band around the coarser path, in sentences
    full_cells: int = 300_000  # grids up to this many cells are searched whole


def _options(options: dict) -> AlignOptions:
    known = {f.name for f in fields(AlignOptions)}
    unknown = set(options) - known
    if unknown:
        raise ConfigError(
            f"unknown alignment option(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
        )
    opts = replace(AlignOptions(), **options)
    if opts.max_side < 1 or opts.max_total < 2 or opts.band < 1:
        raise ConfigError("max_side must be >= 1, max_total >= 2 and band >= 1")
    return opts


def link_types(max_side: int, max_total: int) -> list[tuple[int, int]]:
    """The (a, b) link shapes searched: 1-0, 0-1 and a-b with 1 <= a, b <= max_side, a + b <= max_total."""
    types = [(1, 0), (0, 1)]
    types += [
        (a, b) for a in range(1, max_side + 1) for b in range(1, max_side + 1) if a + b <= max_total
    ]
    return types


# -- one side of the grid ----------------------------------------------------------------


@dataclass
class _Side:
    """The vectors and lengths of every group of up to K neighbouring sentences of one document.

    Groups are indexed by where they end: `vectors[k, e]` is the group of k + 1 sentences
    e-k-1 .. e-1 (rows with e <= k are unused). `background[k, e]` is the group's mean
    cosine dissimilarity to the other document's sentences, the margin's denominator.
    """

    vectors: np.ndarray  # (K, n + 1, d) float32
    lengths: np.ndarray  # (K, n + 1) float64, characters
    background: np.ndarray  # (K, n + 1) float64
    # single-sentence vectors padded at both ends with the mean vector (whose dot product
    # with anything is its mean similarity to this side): row r is sentence r - 1
    padded: np.ndarray = None  # (n + 2, d)
    # sentences that are debris (page numbers, OCR noise: almost no letters), row e = sentence e - 1
    debris: np.ndarray = None  # (n + 1,) bool

    @property
    def n(self) -> int:
        return self.vectors.shape[1] - 1


def _group_lengths(lengths: np.ndarray, sizes: int) -> np.ndarray:
    n = len(lengths)
    cumulative = np.concatenate([[0.0], np.cumsum(lengths, dtype=np.float64)])
    out = np.zeros((sizes, n + 1))
    for k in range(sizes):
        a = k + 1
        if a <= n:
            out[k, a:] = cumulative[a:] - cumulative[:-a]
    return out


def _group_vectors(singles: np.ndarray, sizes: int, exact: Optional[dict]) -> np.ndarray:
    """End-indexed group vectors: exact ones where given, else the normalised sum of members."""
    n, d = singles.shape
    out = np.zeros((sizes, n + 1, d), dtype=np.float32)
    out[0, 1:] = singles
    cumulative = None
    for k in range(1, sizes):
        a = k + 1
        if a > n:
            break
        given = (exact or {}).get(a)
        if given is not None:
            given = np.asarray(given, dtype=np.float32)
            if given.shape != (n - a + 1, d):
                raise ValueError(f"groups of {a}: expected shape {(n - a + 1, d)}, got {given.shape}")
        if cumulative is None:
            cumulative = np.concatenate([np.zeros((1, d)), np.cumsum(singles, axis=0, dtype=np.float64)])
        out[k, a:] = normalise_rows(cumulative[a:] - cumulative[:-a])
        if given is not None:
            # rows left NaN were not embedded (see `uncertain_groups`): they keep the average
            known = ~np.isnan(given).any(axis=1)
            out[k, a:][known] = given[known]
    return out


def _build_sides(src, tgt, src_lengths, tgt_lengths, sizes_src, sizes_tgt, src_groups=None, tgt_groups=None,
                 src_debris=None, tgt_debris=None):
    s_vec = _group_vectors(src, sizes_src, src_groups)
    t_vec = _group_vectors(tgt, sizes_tgt, tgt_groups)
    # Mean dissimilarity to the other side = 1 - dot with the other side's centroid: the
    # expectation of Vecalign's random-sample normaliser, computed exactly and cheaply.
    s_bg = 1.0 - s_vec @ tgt.mean(axis=0) if len(tgt) else np.ones(s_vec.shape[:2])
    t_bg = 1.0 - t_vec @ src.mean(axis=0) if len(src) else np.ones(t_vec.shape[:2])
    return (
        _Side(s_vec, _group_lengths(src_lengths, sizes_src), np.maximum(s_bg, 1e-3), _padded(src),
              _row_flags(src_debris, len(src))),
        _Side(t_vec, _group_lengths(tgt_lengths, sizes_tgt), np.maximum(t_bg, 1e-3), _padded(tgt),
              _row_flags(tgt_debris, len(tgt))),
    )


def _row_flags(flags, n: int) -> np.ndarray:
    out = np.zeros(n + 1, dtype=bool)
    if flags is not None:
        out[1:] = np.asarray(flags, dtype=bool)
    return out


def debris_sentences(texts: Sequence[str], min_letters: int) -> np.ndarray:
    """True for sentences with fewer than `min_letters` letters: OCR noise, rules, page numbers."""
    return np.array([sum(ch.isalpha() for ch in t) < min_letters for t in texts], dtype=bool)


def _padded(singles: np.ndarray) -> np.ndarray:
    mean = singles.mean(axis=0, keepdims=True) if len(singles) else np.zeros((1, singles.shape[1]))
    return np.concatenate([mean, singles, mean]).astype(np.float32)


# -- the dynamic program -------------------------------------------------------------------


class _Grid:
    """What the search needs besides the two sides: costs per link shape and per sentence."""

    def __init__(self, S: _Side, T: _Side, lo, hi, types, ratio: float, opts: AlignOptions):
        ka, kb = S.vectors.shape[0], T.vectors.shape[0]
        self.opts, self.ratio = opts, ratio
        self.shape_cost = np.zeros((ka, kb))
        self.merge_cost = np.full((ka, kb), np.inf)  # inf: a shape that is not searched
        for a, b in types:
            if a and b:
                size = a * b if opts.size_mode == "product" else (a + b) / 2
                self.shape_cost[a - 1, b - 1] = size ** opts.size_power
                self.merge_cost[a - 1, b - 1] = opts.merge * (a + b - 2)
        # How unlike each sentence is to its best partner in the band (normalised
        # dissimilarity): high for OCR debris, page furniture and additions. Such a
        # sentence is cheap to leave alone and dear to merge into a group, where its
        # vector would barely move the group's.
        if opts.skip_isolation or opts.merge_isolation:
            iso_s, iso_t = _isolation(S, T, lo, hi)
        else:  # (weighed by 0 below: not worth a pass over the band)
            iso_s, iso_t = np.zeros(S.n + 1), np.zeros(T.n + 1)
        self.skip_s = np.maximum(opts.skip - opts.skip_isolation * iso_s, 0.02)
        self.skip_t = np.maximum(opts.skip - opts.skip_isolation * iso_t, 0.02)
        self.member_s = _group_sums(iso_s, ka) * opts.merge_isolation
        self.member_t = _group_sums(iso_t, kb) * opts.merge_isolation
        # Debris (a line of dots, a stray "f r") says nothing: leaving it alone is cheap, and
        # folding it into a neighbour's link, which its vector would hardly change, is dear.
        self.skip_s[S.debris] = np.minimum(self.skip_s[S.debris], opts.debris_skip)
        self.skip_t[T.debris] = np.minimum(self.skip_t[T.debris], opts.debris_skip)
        self.member_s += _group_sums(S.debris.astype(float), ka) * opts.debris_merge
        self.member_t += _group_sums(T.debris.astype(float), kb) * opts.debris_merge

    def link_costs(self, S: _Side, T: _Side, i: int, lo: int, hi: int) -> np.ndarray:
        """Costs of every a-b link ending at row i and columns lo..hi-1, shape (Ka, Kb, hi - lo)."""
        opts = self.opts
        ka = min(S.vectors.shape[0], i)
        sims = np.einsum("ad,bwd->abw", S.vectors[:ka, i], T.vectors[:, lo:hi], optimize=False)
        scale = 0.5 * (S.background[:ka, i, None, None] + T.background[None, :, lo:hi])
        if opts.margin != "global":
            local = 1.0 - self._neighbour_similarity(S, T, i, ka, lo, hi)
            scale = local if opts.margin == "local" else 0.5 * (scale + local)
            scale = np.maximum(scale, 0.02)
        dissim = (1.0 - sims) / scale
        smooth = opts.length_smoothing
        length_gap = np.abs(np.log(
            (T.lengths[None, :, lo:hi] + smooth) / (self.ratio * S.lengths[:ka, i, None, None] + smooth)
        ))
        return (
            dissim * self.shape_cost[:ka, :, None]
            + opts.length_weight * length_gap
            + self.merge_cost[:ka, :, None]
            + self.member_s[:ka, i, None, None]
            + self.member_t[None, :, lo:hi]
        )


    @staticmethod
    def _neighbour_similarity(S: _Side, T: _Side, i: int, ka: int, lo: int, hi: int) -> np.ndarray:
        """Mean similarity of each link's groups to the sentences just before and after the
        opposite group (Bertalign's margin): high when a neighbour could take the link's place."""
        kb = T.vectors.shape[0]
        # source groups ending at i against target sentences lo-kb .. hi (padded rows lo-kb .. hi+1)
        first = max(lo - kb, 0)
        rows = T.padded[first:hi + 1]
        src_vs_tgt = S.vectors[:ka, i] @ rows.T  # (ka, hi + 1 - first)
        columns = np.arange(lo, hi)
        out = np.empty((ka, kb, hi - lo))
        for b in range(1, kb + 1):
            before = src_vs_tgt[:, np.maximum(columns - b, 0) - first]  # padded row j-b = sentence before
            after = src_vs_tgt[:, columns + 1 - first]  # padded row j+1 = sentence after
            out[:, b - 1] = before + after
        # target groups against the source sentences before (row i-a) and after (row i+1)
        around = S.padded[[i - a for a in range(1, ka + 1)] + [i + 1]]  # (ka + 1, d)
        tgt_vs_src = np.einsum("bwd,rd->brw", T.vectors[:, lo:hi], around, optimize=False)
        out += np.transpose(tgt_vs_src[:, :ka], (1, 0, 2)) + tgt_vs_src[None, :, ka]
        return out / 4.0


def _isolation(S: _Side, T: _Side, lo, hi) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's smallest normalised dissimilarity to a single sentence in the band."""
    n, m = S.n, T.n
    iso_s = np.ones(n + 1)
    iso_t = np.ones(m + 1)
    for i in range(1, n + 1):
        l, h = max(int(lo[i]), 1), int(hi[i])
        if h <= l:
            continue
        sims = T.vectors[0, l:h] @ S.vectors[0, i]
        nd = (1.0 - sims) / (0.5 * (S.background[0, i] + T.background[0, l:h]))
        iso_s[i] = min(iso_s[i], float(nd.min()))
        np.minimum(iso_t[l:h], nd, out=iso_t[l:h])
    return np.clip(iso_s, 0.0, 1.5), np.clip(iso_t, 0.0, 1.5)


def _group_sums(values: np.ndarray, sizes: int) -> np.ndarray:
    """(sizes, n + 1): the sum of `values` over each group of 2+ sentences ending at e; 0 for singles."""
    n = len(values) - 1
    cumulative = np.concatenate([[0.0], np.cumsum(values[1:])])
    out = np.zeros((sizes, n + 1))
    for k in range(1, sizes):
        a = k + 1
        if a <= n:
            out[k, a:] = cumulative[a:] - cumulative[:-a]
    return out


def _search(S: _Side, T: _Side, lo: np.ndarray, hi: np.ndarray, types, ratio: float, opts: AlignOptions):
    """Cheapest monotone path through the band [lo[i], hi[i]) of each row; returns its steps."""
    n, m = S.n, T.n
    reach = max(max(a, b) for a, b in types)
    # Row i keeps its band at columns pad .. pad + hi[i] - lo[i] of `cost`, inf around it, so
    # that reading an earlier row at any shifted column is a plain slice (no bounds checks).
    pad = reach
    earlier = lo[np.maximum(np.arange(n + 1) - reach, 0)]
    total = pad + int((hi - earlier).max()) + 1
    cost = np.full((n + 1, total), np.inf)
    choice = np.full((n + 1, total), -1, dtype=np.int8)
    grid = _Grid(S, T, lo, hi, types, ratio, opts)
    both = [(t, a, b) for t, (a, b) in enumerate(types) if a and b]
    deletion = types.index((1, 0))
    insertion = types.index((0, 1))
    skip_chain = np.concatenate([[0.0], np.cumsum(grid.skip_t[1:])])  # skip_chain[j] = sum of skip_t[1..j]
    for i in range(n + 1):
        l, h = int(lo[i]), int(hi[i])
        best = np.full(h - l, np.inf)
        arg = np.full(h - l, -1, dtype=np.int8)
        if i == 0:
            if l == 0:
                best[0] = 0.0
        else:
            start = l - int(lo[i - 1]) + pad
            prev = cost[i - 1, start:start + h - l] + grid.skip_s[i]
            better = prev < best
            best[better], arg[better] = prev[better], deletion
            costs = grid.link_costs(S, T, i, l, h)
            for t, a, b in both:
                if a > i:
                    continue
                start = l - b - int(lo[i - a]) + pad
                cand = cost[i - a, start:start + h - l] + costs[a - 1, b - 1]
                better = cand < best
                best = np.where(better, cand, best)
                arg[better] = t
        # 0-1 links chain along the row: best[j] = min_k (best[k] + skips of k+1..j), a running minimum.
        chain = skip_chain[l:h]
        running = np.minimum.accumulate(best - chain) + chain
        inserted = running < best - 1e-9  # not a rounding error of best itself
        best[inserted], arg[inserted] = running[inserted], insertion
        cost[i, pad:pad + h - l] = best
        choice[i, pad:pad + h - l] = arg
    path = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(choice[i, j - lo[i] + pad])
        if t < 0:
            raise RuntimeError("alignment search found no path (band not connected)")
        a, b = types[t]
        path.append((a, b))
        i, j = i - a, j - b
    path.reverse()
    return path


# -- coarse to fine ------------------------------------------------------------------------


def _halve(vectors: np.ndarray, lengths: np.ndarray):
    """Average neighbouring pairs of vectors (a trailing odd one stays alone), sum their lengths."""
    n = len(vectors)
    even = n - n % 2
    pooled = vectors[0:even:2] + vectors[1:even:2]
    pooled_len = lengths[0:even:2] + lengths[1:even:2]
    if n % 2:
        pooled = np.concatenate([pooled, vectors[-1:]])
        pooled_len = np.concatenate([pooled_len, lengths[-1:]])
    return normalise_rows(pooled), pooled_len


def _band_from_path(path, factor_src: int, factor_tgt: int, n: int, m: int, band: int):
    """Rows' column ranges around a coarse path projected onto the finer grid."""
    low = np.full(n + 1, m, dtype=np.int64)
    high = np.zeros(n + 1, dtype=np.int64)
    i = j = 0
    for a, b in path:
        i0, j0 = min(i * factor_src, n), min(j * factor_tgt, m)
        i, j = i + a, j + b
        i1, j1 = min(i * factor_src, n), min(j * factor_tgt, m)
        low[i0:i1 + 1] = np.minimum(low[i0:i1 + 1], j0)
        high[i0:i1 + 1] = np.maximum(high[i0:i1 + 1], j1)
    # low and high are non-decreasing along rows (the path is monotone); widening by `band`
    # rows and columns is then a shift.
    rows = np.arange(n + 1)
    lo = low[np.maximum(rows - band, 0)] - band
    hi = high[np.minimum(rows + band, n)] + band + 1
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 1, m + 1)
    lo[0], hi[n] = 0, m + 1
    return lo, hi


def _coarse_path(src, tgt, src_len, tgt_len, ratio, opts: AlignOptions):
    """The path at this resolution, searched coarse-to-fine with 1-0, 0-1, 1-1, 1-2, 2-1, 2-2 links."""
    n, m = len(src), len(tgt)
    types = link_types(2, 4)
    if (n + 1) * (m + 1) <= opts.full_cells or min(n, m) < 4:
        lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64)
    else:
        (cs, cs_len), (ct, ct_len) = _halve(src, src_len), _halve(tgt, tgt_len)
        lo, hi = _band_from_path(_coarse_path(cs, ct, cs_len, ct_len, ratio, opts), 2, 2, n, m, opts.band)
    S, T = _build_sides(src, tgt, src_len, tgt_len, 2, 2)
    return _search(S, T, lo, hi, types, ratio, opts)


# -- public API ----------------------------------------------------------------------------


def align_embeddings(
    src_vectors: np.ndarray,
    tgt_vectors: np.ndarray,
    src_lengths: Sequence[float],
    tgt_lengths: Sequence[float],
    *,
    src_groups: Optional[dict] = None,
    tgt_groups: Optional[dict] = None,
    src_texts: Optional[Sequence[str]] = None,
    tgt_texts: Optional[Sequence[str]] = None,
    **options,
) -> list[Link]:
    """Align two documents given their sentence vectors and lengths (in characters).

    `src_groups` / `tgt_groups`: optional {size: vectors} of groups of `size` neighbouring
    sentences embedded as one text, row s being sentences s .. s+size-1 (see `embed_groups`);
    sizes not given are the normalised sum of their sentences' vectors.
    `src_texts` / `tgt_texts`: optional, to recognise debris lines (see `debris_sentences`).
    Options: the fields of `AlignOptions`.
    """
    opts = _options(options)
    n, m = len(src_lengths), len(tgt_lengths)
    if n == 0 or m == 0:
        # nothing opposite: every sentence is an omission or an addition, for certain
        return [Link((i,), (), 1.0) for i in range(n)] + [Link((), (j,), 1.0) for j in range(m)]
    src = normalise_rows(np.asarray(src_vectors, dtype=np.float32).reshape(n, -1))
    tgt = normalise_rows(np.asarray(tgt_vectors, dtype=np.float32).reshape(m, -1))
    if len(src) != n or len(tgt) != m:
        raise ValueError("one vector and one length per sentence are needed on each side")
    src_len = np.asarray(src_lengths, dtype=np.float64)
    tgt_len = np.asarray(tgt_lengths, dtype=np.float64)
    ratio = float(max(tgt_len.sum(), 1.0) / max(src_len.sum(), 1.0))
    types = link_types(opts.max_side, opts.max_total)
    sizes = opts.max_side
    if (n + 1) * (m + 1) <= opts.full_cells:
        lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64)
    else:
        (cs, cs_len), (ct, ct_len) = _halve(src, src_len), _halve(tgt, tgt_len)
        coarse = _coarse_path(cs, ct, cs_len, ct_len, ratio, opts)
        lo, hi = _band_from_path(coarse, 2, 2, n, m, opts.band)
    S, T = _build_sides(
        src, tgt, src_len, tgt_len, sizes, sizes, src_groups, tgt_groups,
        None if src_texts is None or not opts.debris_letters else debris_sentences(src_texts, opts.debris_letters),
        None if tgt_texts is None or not opts.debris_letters else debris_sentences(tgt_texts, opts.debris_letters),
    )
    path = _search(S, T, lo, hi, types, ratio, opts)
    if opts.trim_unlike > 0:
        path = _trim_edges(path, S, T, opts.trim_unlike, opts.trim_gain)
    return _links_with_scores(path, S, T, opts)


def _trim_edges(path, S: _Side, T: _Side, unlike: float, gain: float = 0.0):
    """Split off a run of sentences at the start or end of a merged side when each of them is
    unlike the other side (normalised dissimilarity of at least `unlike`: no closer than an
    unrelated sentence) and the link without them is less dissimilar by `gain` or more.

    The search prices a merge below several skips, so a run of additions next to a real
    sentence (site boilerplate after an article's last line, say) would otherwise be folded
    into that sentence's link."""

    def nd(u, bu, v, bv):
        return (1.0 - float(u @ v)) / (0.5 * (bu + bv))

    def cut(size, start, other, other_bg, side: _Side):
        """(how many, from the end?) to cut from the group of `size` sentences from `start`."""
        whole = nd(side.vectors[size - 1, start + size], side.background[size - 1, start + size], other, other_bg)
        for k in range(size - 1, 0, -1):  # the longest run first
            for at_end in (True, False):
                run = range(start + size - k + 1, start + size + 1) if at_end else range(start + 1, start + k + 1)
                if any(nd(side.vectors[0, e], side.background[0, e], other, other_bg) < unlike for e in run):
                    continue
                rest_end = start + size - k if at_end else start + size
                rest = nd(side.vectors[size - k - 1, rest_end], side.background[size - k - 1, rest_end], other, other_bg)
                if rest <= whole - gain:
                    return k, at_end
        return 0, True

    out = []
    i = j = 0
    for a, b in path:
        if a and b and b >= 2:
            k, at_end = cut(b, j, S.vectors[a - 1, i + a], S.background[a - 1, i + a], T)
            if k:
                steps = [(a, b - k)] + [(0, 1)] * k if at_end else [(0, 1)] * k + [(a, b - k)]
                out += steps
                i, j = i + a, j + b
                continue
        if a and b and a >= 2:
            k, at_end = cut(a, i, T.vectors[b - 1, j + b], T.background[b - 1, j + b], S)
            if k:
                steps = [(a - k, b)] + [(1, 0)] * k if at_end else [(1, 0)] * k + [(a - k, b)]
                out += steps
                i, j = i + a, j + b
                continue
        out.append((a, b))
        i, j = i + a, j + b
    return out


def _links_with_scores(path, S: _Side, T: _Side, opts: AlignOptions, window: int = 3) -> list[Link]:
    """Turn path steps into links, each with a confidence in [0, 1]."""
    links = []
    i = j = 0
    n, m = S.n, T.n
    for a, b in path:
        src_ids = tuple(range(i, i + a))
        tgt_ids = tuple(range(j, j + b))
        if a and b:
            sim = float(S.vectors[a - 1, i + a] @ T.vectors[b - 1, j + b])
            scale = 0.5 * (S.background[a - 1, i + a] + T.background[b - 1, j + b])
            score = 1.0 - (1.0 - sim) / scale
        elif a:
            near = T.vectors[0, max(1, j - window + 1):min(m, j + window) + 1]
            score = _alone(S.vectors[0, i + 1], S.background[0, i + 1], near)
        else:
            near = S.vectors[0, max(1, i - window + 1):min(n, i + window) + 1]
            score = _alone(T.vectors[0, j + 1], T.background[0, j + 1], near)
        links.append(Link(src_ids, tgt_ids, float(min(1.0, max(0.0, score)))))
        i, j = i + a, j + b
    return links


def _alone(vector, background, nearby) -> float:
    """Confidence that a sentence has no partner: its smallest normalised dissimilarity nearby."""
    if len(nearby) == 0:
        return 1.0
    return float(((1.0 - nearby @ vector) / background).min())


def group_texts(texts: Sequence[str], size: int) -> list[str]:
    """The texts of every group of `size` neighbouring sentences, row s = sentences s .. s+size-1."""
    return [" ".join(texts[s:s + size]) for s in range(len(texts) - size + 1)]


def embed_groups(texts: Sequence[str], encoder, sizes: Sequence[int]) -> dict:
    """{size: vectors} of the joined groups of each size (sizes of 1 or past the end skipped)."""
    wanted = [s for s in sizes if 2 <= s <= len(texts)]
    batch = [t for s in wanted for t in group_texts(texts, s)]
    vectors = encoder.encode(batch) if batch else np.zeros((0, 1), dtype=np.float32)
    out, start = {}, 0
    for s in wanted:
        count = len(texts) - s + 1
        out[s] = vectors[start:start + count]
        start += count
    return out


def _resolve_encoder(encoder):
    if encoder is None or isinstance(encoder, str):
        from mtcheck.embed import get_encoder

        return get_encoder(encoder)
    return encoder


def uncertain_groups(links: Sequence[Link], n: int, m: int, threshold: float):
    """Which sentences are near a link that a first pass found hard: a merge, a sentence left
    alone, or a 1-1 link scoring under `threshold`. Only groups touching them are worth
    embedding as one text; elsewhere the first pass's 1-1 links stand."""
    src_mark = np.zeros(n, dtype=bool)
    tgt_mark = np.zeros(m, dtype=bool)
    hard = [k for k, l in enumerate(links) if len(l.src) != 1 or len(l.tgt) != 1 or l.score < threshold]
    for k in hard:
        for l in links[max(k - 1, 0):k + 2]:
            src_mark[list(l.src)] = True
            tgt_mark[list(l.tgt)] = True
    return src_mark, tgt_mark


def _embed_marked_groups(texts, encoder, sizes, mark, dim) -> dict:
    """{size: vectors} with the groups that touch a marked sentence embedded, NaN elsewhere."""
    wanted = []
    for size in sizes:
        for start in range(len(texts) - size + 1):
            if mark[start:start + size].any():
                wanted.append((size, start))
    vectors = encoder.encode([" ".join(texts[s:s + a]) for a, s in wanted]) if wanted else None
    out = {a: np.full((len(texts) - a + 1, dim), np.nan, dtype=np.float32) for a in sizes if a <= len(texts)}
    for k, (a, s) in enumerate(wanted):
        out[a][s] = vectors[k]
    return out


def align_texts(src_texts: Sequence[str], tgt_texts: Sequence[str], encoder=None, **options) -> list[Link]:
    """Align two lists of sentences (strings) with `encoder` (an Encoder, a name, or the default)."""
    opts = _options(options)
    src_texts, tgt_texts = list(src_texts), list(tgt_texts)
    src_len, tgt_len = [len(t) for t in src_texts], [len(t) for t in tgt_texts]
    if not src_texts or not tgt_texts:
        return align_embeddings(None, None, src_len, tgt_len, **options)
    enc = _resolve_encoder(encoder)
    src_vectors = enc.encode(src_texts)
    tgt_vectors = enc.encode(tgt_texts)
    sizes = [a for a in range(2, min(opts.exact_groups, opts.max_side) + 1)]
    if not sizes:
        return align_embeddings(src_vectors, tgt_vectors, src_len, tgt_len, src_texts=src_texts,
                                tgt_texts=tgt_texts, **options)
    if opts.exact_scope == "all":
        src_groups = embed_groups(src_texts, enc, sizes)
        tgt_groups = embed_groups(tgt_texts, enc, sizes)
    else:
        first = align_embeddings(src_vectors, tgt_vectors, src_len, tgt_len, src_texts=src_texts,
                                 tgt_texts=tgt_texts, **{**options, "exact_groups": 1})
        src_mark, tgt_mark = uncertain_groups(
            first, len(src_texts), len(tgt_texts), opts.uncertain_below
        )
        src_groups = _embed_marked_groups(src_texts, enc, sizes, src_mark, src_vectors.shape[1])
        tgt_groups = _embed_marked_groups(tgt_texts, enc, sizes, tgt_mark, tgt_vectors.shape[1])
    return align_embeddings(
        src_vectors, tgt_vectors, src_len, tgt_len, src_groups=src_groups, tgt_groups=tgt_groups,
        src_texts=src_texts, tgt_texts=tgt_texts, **options
    )


def align_segments(src: Sequence[Segment], tgt: Sequence[Segment], encoder=None, **options) -> list[Link]:
    """Align two documents' sentences; links cover every sentence of both sides once, in order."""
    return align_texts([s.text for s in src], [t.text for t in tgt], encoder, **options)


def align_files(
    source_path,
    target_path,
    presegmented: bool = False,
    encoder=None,
    src_lang: Optional[str] = None,
    tgt_lang: Optional[str] = None,
    max_sentences: Optional[int] = None,
    **options,
):
    """Read, split and align two files; returns (links, source segments, target segments).

    `max_sentences` refuses a side with more sentences (default `config.MAX_SENTENCES`; 0: none)."""
    from mtcheck.io import read_text

    source, target = read_text(source_path), read_text(target_path)
    if presegmented:
        from mtcheck.segment import split_lines

        src_segments, tgt_segments = split_lines(source), split_lines(target)
    else:
        from mtcheck.segment import split_sentences

        src_lang = src_lang or _detect(source)
        tgt_lang = tgt_lang or _detect(target)
        src_segments = split_sentences(source, src_lang)
        tgt_segments = split_sentences(target, tgt_lang)
    from mtcheck.segment import require_within_limit

    require_within_limit(src_segments, max_sentences, str(source_path))
    require_within_limit(tgt_segments, max_sentences, str(target_path))
    links = align_segments(src_segments, tgt_segments, encoder, **options)
    return links, src_segments, tgt_segments


def _detect(text: str) -> Optional[str]:
    try:
        from mtcheck.langid import detect_document_language
    except ImportError:
        return None
    try:
        return detect_document_language(text)
    except Exception:  # a language guess only tunes sentence splitting; never fail on it
        return None


# -- output --------------------------------------------------------------------------------


def _ids(ids) -> str:
    return "[" + ", ".join(str(i) for i in ids) + "]"


def format_links(links: Sequence[Link], fmt: str = "vecalign", src_segments=None, tgt_segments=None) -> str:
    """Links as text: "vecalign" (`[i]:[j, k]` a line), "tsv" or "json" (with the sentences' texts)."""
    def text(segments, ids):
        if segments is None:
            return ""
        return " ".join(_segment_text(segments[k]) for k in ids)

    if fmt == "vecalign":
        return "".join(f"{_ids(l.src)}:{_ids(l.tgt)}\n" for l in links)
    if fmt == "tsv":
        rows = ["src_ids\ttgt_ids\tscore\tsrc\ttgt"]
        for l in links:
            rows.append("\t".join([
                ",".join(map(str, l.src)), ",".join(map(str, l.tgt)), f"{l.score:.4f}",
                _tsv_cell(text(src_segments, l.src)), _tsv_cell(text(tgt_segments, l.tgt)),
            ]))
        return "\n".join(rows) + "\n"
    if fmt == "json":
        return json.dumps(
            [
                {"src_ids": list(l.src), "tgt_ids": list(l.tgt), "score": round(float(l.score), 6),
                 "src": text(src_segments, l.src), "tgt": text(tgt_segments, l.tgt)}
                for l in links
            ],
            ensure_ascii=False, indent=1,
        ) + "\n"
    raise ConfigError(f"unknown alignment format {fmt!r}; known: vecalign, tsv, json")


def _segment_text(segment) -> str:
    return segment.text if isinstance(segment, Segment) else str(segment)


def _tsv_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
