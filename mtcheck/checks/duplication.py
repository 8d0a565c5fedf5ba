"""`duplication`: content the translation says twice."""
from __future__ import annotations

from typing import Optional

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.coverage import similarity_matrix, vectors_for, window_pairs
from mtcheck.checks.text import (
    Piece, clauses, normalise_line, quote, segment_offsets, word_spans, words,
)
from mtcheck.models import Flag, Pair

# Doubled words that are grammatical ("nous nous sommes", "vous vous êtes").
GRAMMATICAL_DOUBLES = {"nous", "vous", "ha", "bye", "très", "so", "very", "no", "non", "si"}

# Sub-sentence coverage: a target clause is a second translation of a source clause when
# it matches that clause at least SECOND_MATCH while another target clause matches it
# better, and joining the two does not match the source clause any better than the first
# alone (a clause split in two would).
SECOND_MATCH = 0.35
FIRST_MATCH = 0.5
JOIN_GAIN = 0.02
# Dropping the clause must not make the pair's translation match its source less well
# (by more than this): a clause that carries meaning of its own is not a second copy.
KEEP_LOSS = 0.0
# The first translation matches the source clause clearly better than the second.
FIRST_MARGIN = 0.15
# The first translation sits at most this many clauses before or after the second.
NEAR_CLAUSES = 3
# Two source clauses this similar are the source saying something twice itself.
SOURCE_REPEAT = 0.7
# Adjacent target clauses this similar (vectors or shared words) say the same thing twice.
NEAR_DUPLICATE = 0.8


class DuplicationCheck(Check):
    """Content said twice in the translation.

    Catches:
    - repeated words and phrases, verbatim and adjacent ("de la de la"), unless the source
      repeats them too or the double is grammatical ("nous nous");
    - a sentence that repeats an earlier sentence of the translation (a repeated title)
      while the source does not repeat it;
    - two adjacent clauses that say the same thing in other words (shared words or very
      close clause vectors) where the source has one;
    - a source clause translated twice in other words ("a-t-il ajouté. il a dit" for one
      "he added"), found by sub-sentence coverage: the later clause's best source clause is
      already translated by another target clause, and adding it covers nothing more.
    Misses: a repetition far apart within a long paragraph, a second translation that
    also drifts in meaning (that looks like an addition), repeated single words that are
    grammatical in the target language but not in our list.
    Severity: major, except one repeated word (minor).
    """

    code = "duplication"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.tgt:
            return []
        flags: list[Flag] = []
        flags += self._repeated_lines(pair, context)
        flags += self._repeated_words(pair)
        flags += self._near_duplicate_clauses(pair, context, flags)
        flags += self._second_translations(pair, context, flags)
        return flags

    # -- a line repeated ------------------------------------------------------------------
    def _repeated_lines(self, pair: Pair, context: CheckContext) -> list[Flag]:
        repeats = repeated_target_lines(context)
        flags = []
        for piece, seg in zip(segment_offsets(pair, "tgt"), pair.tgt_segments or ()):
            earlier = repeats.get(seg.id)
            if earlier is None:
                continue
            flags.append(Flag(
                self.code, "major", "tgt", (piece.start, piece.end),
                f'This sentence repeats sentence {earlier + 1} ("{quote(piece.text)}"): the source says it once.',
            ))
        return flags

    # -- verbatim repeats -----------------------------------------------------------------
    def _repeated_words(self, pair: Pair) -> list[Flag]:
        src_repeats = {tuple(r[2]) for r in adjacent_repeats(pair.src)} if pair.src else set()
        flags = []
        for start, end, chunk in adjacent_repeats(pair.tgt):
            if tuple(chunk) in src_repeats or (len(chunk) == 1 and chunk[0] in GRAMMATICAL_DOUBLES):
                continue
            if src_repeats and len(chunk) == 1:
                continue
            text = pair.tgt[start:end]
            flags.append(Flag(
                self.code, "minor" if len(chunk) == 1 else "major", "tgt", (start, end),
                f'"{text}" is repeated: the words appear twice in a row.',
            ))
        return flags

    # -- the same clause twice in other words, side by side -------------------------------
    def _near_duplicate_clauses(self, pair: Pair, context: CheckContext, already) -> list[Flag]:
        tgt_clauses = [c for c in clauses(pair.tgt) if len(words(c.text)) >= 3]
        if len(tgt_clauses) < 2:
            return []
        src_clauses = [c.text for c in clauses(pair.src) if len(words(c.text)) >= 3] if pair.src else []
        src_best = _max_adjacent_similarity(context, src_clauses)
        texts = [c.text for c in tgt_clauses]
        matrix = similarity_matrix(context, texts, texts)
        flags = []
        for k in range(1, len(tgt_clauses)):
            a, b = tgt_clauses[k - 1], tgt_clauses[k]
            score = word_overlap(a.text, b.text)
            if matrix is not None:
                score = max(score, float(matrix[k - 1, k]))
            if score < NEAR_DUPLICATE or src_best >= score - 0.1:
                continue
            if _overlaps(already, b):
                continue
            flags.append(Flag(
                self.code, "major", "tgt", (b.start, b.end),
                f'The clause "{quote(b.text)}" repeats "{quote(a.text)}" in other words: the source says it once.',
            ))
        return flags

    # -- a source clause translated twice (sub-sentence coverage) -------------------------
    def _second_translations(self, pair: Pair, context: CheckContext, already) -> list[Flag]:
        own = [c for c in clauses(pair.tgt) if len(words(c.text)) >= 2]
        if not own:
            return []
        window = window_pairs(context)
        src_clauses = [c.text for p in window if p.src for c in clauses(p.src)]
        tgt_clauses = [c.text for p in window if p.tgt for c in clauses(p.tgt)]
        if not src_clauses or len(tgt_clauses) < 2:
            return []
        cross = similarity_matrix(context, tgt_clauses, src_clauses)
        src_self = similarity_matrix(context, src_clauses, src_clauses)
        if cross is None or src_self is None:
            return []
        # where this pair's clauses sit among the window's target clauses
        offset = 0
        for p in window:
            if p is pair:
                break
            if p.tgt:
                offset += len(clauses(p.tgt))
        own_all = clauses(pair.tgt)
        flags = []
        for local, piece in enumerate(own_all):
            if len(words(piece.text)) < 2 or _overlaps(already, piece):
                continue
            row = offset + local
            found = self._first_translation(context, pair, piece, row, cross, src_self, tgt_clauses, src_clauses)
            if found is None:
                continue
            k, other = found
            flags.append(Flag(
                self.code, "major", "tgt", (piece.start, piece.end),
                f'The clause "{quote(piece.text)}" repeats "{quote(tgt_clauses[other])}": the source says it once '
                f'("{quote(src_clauses[k])}").',
            ))
        return flags

    @staticmethod
    def _first_translation(context, pair, piece, row, cross, src_self, tgt_clauses, src_clauses):
        """(source clause, other target clause) when `piece` translates a source clause that
        another target clause close by already translates better, or None.

        The likeliest source clauses are tried in turn: a short reporting clause ("Il a
        dit") may match a neighbouring "He said the..." a little better than its own.
        """
        order = [int(k) for k in cross[row].argsort()[::-1][:3]]
        for k in order:
            sigma = float(cross[row, k])
            if sigma < SECOND_MATCH:
                break
            column = cross[:, k].copy()
            column[row] = -1.0
            other = int(column.argmax())
            sigma_other = float(column[other])
            # the other clause translates this source clause well, better than this one
            # (or as well, and earlier), and sits close by
            if sigma_other < FIRST_MATCH or sigma_other < sigma + FIRST_MARGIN:
                continue
            if abs(other - row) > NEAR_CLAUSES:
                continue
            # this clause is not the best translation of another source clause
            if any(int(cross[:, j].argmax()) == row and cross[row, j] >= FIRST_MATCH
                   for j in range(cross.shape[1]) if j != k):
                return None
            # the source does not say it twice itself
            if any(src_self[k, j] >= SOURCE_REPEAT for j in range(len(src_clauses)) if j != k):
                continue
            first, second = tgt_clauses[other], piece.text
            joined = vectors_for(context, [f"{first} {second}"] if other < row else [f"{second} {first}"])
            src_vec = vectors_for(context, [src_clauses[k]])
            if joined is None or src_vec is None:
                return None
            if float(joined[0] @ src_vec[0]) - sigma_other > JOIN_GAIN:
                continue
            if pair.src and not _redundant_in_pair(context, pair, piece):
                return None
            return k, other
        return None


def _redundant_in_pair(context: CheckContext, pair: Pair, piece: Piece) -> bool:
    """Whether the pair's translation matches its source as well without `piece`."""
    without = (pair.tgt[:piece.start] + pair.tgt[piece.end:]).strip(" ,;:.")
    if not without:
        return False
    vectors = vectors_for(context, [pair.src, pair.tgt, without])
    if vectors is None:
        return False
    with_it = float(vectors[0] @ vectors[1])
    without_it = float(vectors[0] @ vectors[2])
    return without_it >= with_it - KEEP_LOSS


def adjacent_repeats(text: str, max_n: int = 4) -> list[tuple[int, int, list[str]]]:
    """Word sequences repeated immediately: (start, end of the second copy, the words)."""
    spans = word_spans(text)
    tokens = [w.group().casefold() for w in spans]
    out = []
    i = 0
    while i < len(tokens):
        found = False
        for n in range(max_n, 0, -1):
            if i + 2 * n > len(tokens):
                continue
            first, second = tokens[i:i + n], tokens[i + n:i + 2 * n]
            if first != second or not any(any(c.isalpha() for c in t) for t in first):
                continue
            # only what is separated by spaces alone is a stutter ("de la de la"), not a list
            gap = text[spans[i + n - 1].end():spans[i + n].start()]
            if gap.strip():
                continue
            out.append((spans[i + n].start(), spans[i + 2 * n - 1].end(), first))
            i += 2 * n
            found = True
            break
        if not found:
            i += 1
    return out


def word_overlap(a: str, b: str) -> float:
    """Share of the shorter clause's content words (four letters or more) found in the
    other, as a multiset; 0 when the clauses differ much in length or have few such words.

    Short function words ("à la", "de") repeat in any two clauses of a language.
    """
    all_a = [w.casefold() for w in words(a)]
    all_b = [w.casefold() for w in words(b)]
    if 3 <= min(len(all_a), len(all_b)) and max(len(all_a), len(all_b)) <= 6:
        # short clauses ("Si on fait ça, si on réalisé ça"): every word counts, and one
        # word in four may differ
        wa, wb = all_a, all_b
        shrink = 0.0625
    else:
        wa = [w for w in all_a if len(w) >= 4]
        wb = [w for w in all_b if len(w) >= 4]
        shrink = 0.0
    short, long_ = sorted((wa, wb), key=len)
    if len(short) < 3 or len(long_) > 1.6 * len(short):
        return 0.0
    pool = list(long_)
    hit = 0
    for w in short:
        if w in pool:
            pool.remove(w)
            hit += 1
    return hit / len(short) + shrink


def _max_adjacent_similarity(context: CheckContext, texts: list[str]) -> float:
    if len(texts) < 2:
        return 0.0
    matrix = similarity_matrix(context, texts, texts)
    best = 0.0
    for k in range(1, len(texts)):
        score = word_overlap(texts[k - 1], texts[k])
        if matrix is not None:
            score = max(score, float(matrix[k - 1, k]))
        best = max(best, score)
    return best


def _overlaps(flags: list[Flag], piece: Piece) -> bool:
    return any(f.span and f.span[0] < piece.end and piece.start < f.span[1] for f in flags)


def repeated_target_lines(context: CheckContext) -> dict[int, int]:
    """Target sentence id -> id of the earlier identical sentence, where the source does not repeat.

    Lines of fewer than three words ("Oui.", "*****") are not counted: short lines repeat
    naturally. Computed once per document.
    """
    cached = context.cache.get("duplication.repeated_lines")
    if cached is not None:
        return cached
    first_seen: dict[str, int] = {}
    src_seen: set[str] = set()
    result: dict[int, int] = {}
    for pair in context.pairs:
        src_repeat = False
        for seg in pair.src_segments:
            key = normalise_line(seg.text)
            if key in src_seen and len(key.split()) >= 3:
                src_repeat = True
            src_seen.add(key)
        for seg in pair.tgt_segments:
            key = normalise_line(seg.text)
            if len(key.split()) < 3:
                continue
            if key in first_seen and not src_repeat:
                result[seg.id] = first_seen[key]
            first_seen.setdefault(key, seg.id)
    context.cache["duplication.repeated_lines"] = result
    return result


def is_repeated_line(context: CheckContext, pair: Pair) -> Optional[int]:
    """The id of the earlier sentence that the pair's target repeats, if every sentence does."""
    repeats = repeated_target_lines(context)
    ids = [seg.id for seg in pair.tgt_segments]
    if ids and all(i in repeats for i in ids):
        return repeats[ids[0]]
    return None
