"""`omission`: source content missing from the translation."""
from __future__ import annotations

from statistics import median

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.coverage import similarity_matrix, translated_nearby, uncovered_stretches, window_pairs
from mtcheck.checks.text import clauses, has_letters, quote, segment_offsets, words
from mtcheck.models import Flag, Pair

# A sentence of a several-sentence side whose similarity to the other side is below
# LOST_SENTENCE while the rest matches at least KEPT_REST is not translated there.
LOST_SENTENCE = 0.25
KEPT_REST = 0.5
# A sentence on the article's topic (up to TOPIC_ONLY) is not translated there either
# when the rest of its side matches the other side better without it (by DROP_GAIN) and
# much better than it does (by TOPIC_GAP).
TOPIC_ONLY = 0.6
DROP_GAIN = 0.03
TOPIC_GAP = 0.25
# Part of a source sentence is missing when a stretch of it (two or more overlapping
# 7-word windows) matches nothing in the translation above LOST_STRETCH, and the
# translation is shorter than usual (SHORT_RATIO of the document's usual length ratio).
LOST_STRETCH = 0.35
SHORT_RATIO = 0.85
SHORT_SENTENCE_WORDS = 20
LOST_SHORT_STRETCH = 0.3
# A neighbouring translation covers a stretch only on a near-exact match: an article's
# sentences repeat its topic ("the leisure business"), and a lost clause often has a
# cousin in the next sentence.
NEIGHBOUR_STRETCH = 0.7
MIN_CLAUSE_WORDS = 4


def usual_length_ratio(context: CheckContext) -> float:
    """The document's median target/source length ratio over pairs with both sides."""
    cached = context.cache.get("length.usual_ratio")
    if cached is not None:
        return cached
    ratios = [len(p.tgt) / len(p.src) for p in context.pairs if p.src and p.tgt and len(p.src) >= 20]
    value = median(ratios) if len(ratios) >= 3 else 1.1
    context.cache["length.usual_ratio"] = value
    return value


def lost_sentences(pair: Pair, context: CheckContext, side: str) -> list:
    """Sentences of `side` (when it has two or more) that the other side does not translate."""
    pieces = segment_offsets(pair, side)
    other = pair.tgt if side == "src" else pair.src
    if len(pieces) < 2 or not other:
        return []
    texts = [p.text for p in pieces]
    sims = similarity_matrix(context, texts, [other])
    if sims is None:
        return []
    # each sentence against the whole other side and against each of its sentences
    other_sentences = [p.text for p in segment_offsets(pair, "tgt" if side == "src" else "src")]
    each = similarity_matrix(context, texts, other_sentences)
    whole = similarity_matrix(context, [pair.src if side == "src" else pair.tgt], [other])
    lost = []
    for k, piece in enumerate(pieces):
        best = max(float(sims[k, 0]), float(each[k].max()) if each is not None else 0.0)
        if best >= TOPIC_ONLY or not has_letters(piece.text, 2):
            continue
        if translated_nearby(context, piece.text, side):
            continue
        # a fragment of names copied from the other side ("Travel Association." split off
        # by the sentence splitter) is not content of its own
        if set(w.casefold() for w in words(piece.text)) <= set(w.casefold() for w in words(other)):
            continue
        rest = " ".join(t for j, t in enumerate(texts) if j != k)
        rest_sim = similarity_matrix(context, [rest], [other])
        if rest_sim is None or whole is None:
            continue
        rest_sim, whole_sim = float(rest_sim[0, 0]), float(whole[0, 0])
        if best < LOST_SENTENCE and rest_sim >= KEPT_REST:
            lost.append(piece)
        # on the same topic but not translated: the rest matches clearly better alone
        elif rest_sim >= whole_sim + DROP_GAIN and rest_sim - best >= TOPIC_GAP:
            lost.append(piece)
    return lost


class OmissionCheck(Check):
    """Source content with nothing opposite in the translation.

    Catches: a source sentence aligned to nothing (an empty target side); a sentence of a
    several-sentence source side that matches nothing in the translation; part of a
    sentence (a stretch of about ten words or more, clause or not) that no stretch of the
    translation matches, when the translation is also shorter than the document's usual
    length ratio (sub-sentence coverage with word windows and the encoder).
    Misses: a dropped word or short phrase (a negation, an adjective), content moved to a
    neighbouring sentence by the translator (not an omission, and not flagged when the
    aligner sees it), clauses the encoder matches loosely to something else.
    Severity: major for a whole sentence or clause; minor for a source line without words
    (a separator, a number).
    """

    code = "omission"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.src:
            return []
        if not pair.tgt:
            if translated_nearby(context, pair.src, "src"):
                return []
            severity = "major" if has_letters(pair.src, 2) else "minor"
            return [Flag(self.code, severity, "src", (0, len(pair.src)),
                         f'This source sentence has no translation: "{quote(pair.src)}".')]
        flags = []
        for piece in lost_sentences(pair, context, "src"):
            flags.append(Flag(self.code, "major", "src", (piece.start, piece.end),
                              f'The source sentence "{quote(piece.text)}" is not translated.'))
        if not flags:
            flags += self._lost_clauses(pair, context)
        return flags

    def _lost_clauses(self, pair: Pair, context: CheckContext) -> list[Flag]:
        ratio = len(pair.tgt) / max(1, len(pair.src))
        if ratio >= SHORT_RATIO * usual_length_ratio(context) or len(words(pair.src)) < 2 * MIN_CLAUSE_WORDS:
            return []
        neighbours = [p.tgt for p in window_pairs(context) if p.tgt and p is not pair]
        flags = []
        # short sentences are read in smaller windows, so that a lost clause fills two
        # (smaller windows match less: a lower bar)
        size, step, bar = (5, 2, LOST_SHORT_STRETCH) if len(words(pair.src)) < SHORT_SENTENCE_WORDS \
            else (7, 3, LOST_STRETCH)
        for start, end, best in uncovered_stretches(context, pair.src, [pair.tgt], neighbours=neighbours,
                                                    threshold=bar, size=size, step=step,
                                                    neighbour_threshold=NEIGHBOUR_STRETCH):
            flags.append(Flag(self.code, "major", "src", (start, end),
                              f'"{quote(pair.src[start:end])}" is not translated: nothing in the translation says it.'))
        return flags
