"""How much of the source each part of the translation covers, and the reverse.

Sentence vectors cannot tell a sentence with a clause said twice from the right one
(cosine 0.99+), but clause vectors can: a target clause whose best source clause is
already translated by another target clause says something twice; a target clause
that matches no source clause is added; a source clause that matches no target clause
is missing. The clauses of the whole document are embedded in one batch, once, and
cached on the check context, each read through its mojibake as a reader would (the
garbled letters are encoding's to report). `removal_gains` is the drop-one test: how
much better a text matches its translation with one stretch taken out (a stretch the
translation leaves out gains; one it translates loses).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from mtcheck.checks.base import CheckContext
from mtcheck.checks.encoding import readable
from mtcheck.checks.text import Piece, clauses, segment_offsets, words
from mtcheck.models import Pair

log = logging.getLogger(__name__)


@dataclass
class SideParts:
    """The clauses and sentences of one side of one pair, with offsets in the pair text."""

    clauses: list[Piece]
    sentences: list[Piece]


def pair_parts(pair: Pair, side: str) -> SideParts:
    text = pair.src if side == "src" else pair.tgt
    return SideParts(clauses=clauses(text), sentences=segment_offsets(pair, side))


def document_vectors(context: CheckContext) -> Optional[dict[str, np.ndarray]]:
    """Vectors for every clause and sentence of the document, keyed by text; None without an encoder."""
    if context.encoder is None:
        return None
    cached = context.cache.get("coverage.vectors")
    if cached is not None:
        return cached
    texts: set[str] = set()
    for pair in context.pairs:
        for side in ("src", "tgt"):
            parts = pair_parts(pair, side)
            texts.update(p.text for p in parts.clauses)
            texts.update(p.text for p in parts.sentences)
            text = pair.src if side == "src" else pair.tgt
            if text:
                texts.add(text)
    ordered = sorted(t for t in texts if t.strip())
    vectors: dict[str, np.ndarray] = {}
    try:
        if ordered:
            vectors = dict(zip(ordered, _unit_vectors(context, ordered)))
    except Exception as exc:  # no vectors: the semantic checks stay silent
        log.debug("encoding the document's clauses failed: %s", exc)
        vectors = {}
    context.cache["coverage.vectors"] = vectors
    return vectors


def _unit_vectors(context: CheckContext, texts: list[str]) -> np.ndarray:
    """The encoder's vectors for `texts`, read through their mojibake, scaled to length 1."""
    matrix = np.asarray(context.encoder.encode([readable(t) for t in texts]), dtype=np.float32)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def vectors_for(context: CheckContext, texts: list[str]) -> Optional[np.ndarray]:
    """Vectors for `texts`, from the document cache or encoded now (and cached)."""
    known = document_vectors(context)
    if known is None:
        return None
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        try:
            known.update(zip(missing, _unit_vectors(context, missing)))
        except Exception as exc:
            log.debug("encoding failed: %s", exc)
            return None
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    return np.stack([known[t] for t in texts])


def similarity_matrix(context: CheckContext, left: list[str], right: list[str]) -> Optional[np.ndarray]:
    """Cosine similarities, shape (len(left), len(right)); None without an encoder."""
    if not left or not right:
        return None
    a = vectors_for(context, left)
    b = vectors_for(context, right)
    if a is None or b is None:
        return None
    return a @ b.T


def window_pairs(context: CheckContext, radius: int = 1) -> list[Pair]:
    """The pair being checked and its neighbours: alignment may put a clause one pair off."""
    lo = max(0, context.index - radius)
    hi = min(len(context.pairs), context.index + radius + 1)
    return context.pairs[lo:hi]


def content_words(text: str) -> int:
    return len(words(text))


# A sentence whose translation sits in a neighbouring pair matches it at least this well
# (true pairs ~0.8, different sentences of one article ~0.2-0.5).
TRANSLATED_NEARBY = 0.6
# ... and better than it matches its own pair by this much.
NEARBY_MARGIN = 0.05


def translated_nearby(context: CheckContext, text: str, side: str, radius: int = 2) -> bool:
    """Whether a sentence of `side` has its translation in a neighbouring pair.

    The aligner sometimes leaves a sentence alone (1-0) next to its translation alone
    (0-1), or puts it in the next link: that is an alignment slip, not an omission or an
    addition. A neighbouring sentence counts only if it matches `text` well and better
    than it matches its own pair (sentences of one article share their topic).
    """
    other = "tgt" if side == "src" else "src"
    candidates, own = [], []
    lo = max(0, context.index - radius)
    hi = min(len(context.pairs), context.index + radius + 1)
    for k in range(lo, hi):
        if k == context.index:
            continue
        neighbour = context.pairs[k]
        own_text = neighbour.src if other == "tgt" else neighbour.tgt
        for piece in segment_offsets(neighbour, other):
            if piece.text.strip():
                candidates.append(piece.text)
                own.append(own_text)
    if not candidates or not text.strip():
        return False
    sims = similarity_matrix(context, [text], candidates)
    if sims is None:
        return False
    for j, candidate in enumerate(candidates):
        sim = float(sims[0, j])
        if sim < TRANSLATED_NEARBY:
            continue
        own_sim = 0.0
        if own[j].strip():
            m = similarity_matrix(context, [candidate], [own[j]])
            own_sim = float(m[0, 0]) if m is not None else 0.0
        if sim >= own_sim + NEARBY_MARGIN:
            return True
    return False


def word_windows(text: str, size: int, step: int) -> list[Piece]:
    """Overlapping windows of `size` words every `step` words, with offsets; the last one
    ends on the last word. A text of `size` words or fewer is one window."""
    from mtcheck.checks.text import word_spans

    spans = word_spans(text)
    if not spans:
        return []
    if len(spans) <= size:
        return [Piece(spans[0].start(), spans[-1].end(), text[spans[0].start():spans[-1].end()])]
    starts = list(range(0, len(spans) - size + 1, step))
    if starts[-1] != len(spans) - size:
        starts.append(len(spans) - size)
    out = []
    for i in starts:
        a, b = spans[i].start(), spans[i + size - 1].end()
        out.append(Piece(a, b, text[a:b]))
    return out


# Taking a stretch out leaves the clause mark before it with nothing after it ("Europe, ."
# once the clause after the comma is out, "X, , Z"), or a mark first in the sentence: the
# cut text drops it, to read as the sentence a translator who left the stretch out wrote.
_MARK_AT_START = re.compile(r"^(?:[,;:]|[—–-](?=\s))\s*")
_MARK_AT_END = re.compile(r"\s*(?:[,;:]|(?<=\s)[—–-])$")
_NEXT_IS_MARK = re.compile(r"^(?:[,;:.!?…]|[—–-](?=\s))")


def text_without(text: str, start: int, end: int) -> str:
    """`text` with [start, end) taken out, spaces closed and dangling clause marks dropped."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if not before:
        after = _MARK_AT_START.sub("", after)
    elif not after or _NEXT_IS_MARK.match(after):
        before = _MARK_AT_END.sub("", before)
    joint = "" if after[:1] in ",." else " "
    return " ".join((before + joint + after).split())


def removal_gains(context: CheckContext, text: str, other: str, spans: Sequence[tuple[int, int]]
                  ) -> Optional[np.ndarray]:
    """For each [start, end) span of `text`: how much better `text` without it matches `other`.

    The drop-one test: when `other` translates all of `text` but one stretch, taking that
    stretch out of `text` raises the similarity (positive gain); taking out a stretch that
    `other` does translate lowers it. None without an encoder.
    """
    if not spans or not text.strip() or not other.strip():
        return None
    cut = [text_without(text, a, b) for a, b in spans]
    sims = similarity_matrix(context, [text] + cut, [other])
    if sims is None:
        return None
    return sims[1:, 0] - sims[0, 0]


def uncovered_stretches(
    context: CheckContext, text: str, others: list[str], *, threshold: float, min_windows: int = 2,
    size: int = 7, step: int = 3, neighbours: Sequence[str] = (), neighbour_threshold: float = 0.55,
) -> list[tuple[int, int, float]]:
    """Stretches of `text` that nothing in `others` translates: (start, end, best similarity).

    `text` is cut into word windows, and so is every text of `others` (a little larger,
    denser). A run of at least `min_windows` consecutive windows whose best match is below
    `threshold` is a stretch with nothing opposite (true matches of 7-word windows score
    about 0.5-0.85, unrelated ones 0.1-0.35). Texts in `neighbours` (the sentences around,
    where a translator may have moved a phrase) cover a window only above the stricter
    `neighbour_threshold`: an article's sentences share words and topics.
    """
    windows = word_windows(text, size, step)
    if len(windows) < min_windows:
        return []
    targets = [w.text for other in others for w in word_windows(other, size + 1, 2)]
    sims = similarity_matrix(context, [w.text for w in windows], targets)
    if sims is None:
        return []
    best = sims.max(axis=1)
    near = [w.text for other in neighbours for w in word_windows(other, size + 1, 2)]
    if near:
        near_sims = similarity_matrix(context, [w.text for w in windows], near)
        if near_sims is not None:
            # a neighbour's match counts as much as an own match of the same strength
            # relative to its threshold
            best = np.maximum(best, near_sims.max(axis=1) - (neighbour_threshold - threshold))
    out = []
    run: list[int] = []
    for k in list(range(len(windows))) + [None]:
        if k is not None and float(best[k]) < threshold:
            run.append(k)
            continue
        if len(run) >= min_windows:
            out.append((windows[run[0]].start, windows[run[-1]].end, float(best[run].max())))
        run = []
    return out
