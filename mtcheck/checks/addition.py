"""`addition`: translation content with no source (boilerplate, hallucinated sentences)."""
from __future__ import annotations

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.coverage import translated_nearby, uncovered_stretches, window_pairs
from mtcheck.checks.duplication import duplication_flags, is_repeated_line
from mtcheck.checks.omission import lost_sentences, usual_length_ratio
from mtcheck.checks.text import copied_from_source, has_letters, quote, segment_offsets, words
from mtcheck.models import Flag, Pair

# A stretch of a target sentence (three or more overlapping 7-word windows) that matches
# nothing in the source above ADDED_STRETCH, in a translation longer than usual
# (LONG_RATIO of the document's ratio), is added. Translators add words for idioms and
# explanations, so this is only ever minor.
ADDED_STRETCH = 0.25
LONG_RATIO = 1.3
MIN_CLAUSE_WORDS = 4


class AdditionCheck(Check):
    """Translation content that translates nothing in the source.

    Catches: a target sentence aligned to nothing (an empty source side): site
    boilerplate ("Partagez cet article", newsletter requests, "*****" separators), a
    hallucinated sentence; a sentence of a several-sentence target side that matches
    nothing in the source; part of a sentence (about a dozen words or more) that no stretch of
    the source matches, when the translation is also longer than usual (minor: a
    translator's explanation looks the same).
    Not flagged here: a line repeating an earlier one, or a second translation of a
    source clause (both are `duplication`); a sentence copied from the source around (a
    reference or a name that the sentence splitter cut off on one side only).
    Misses: a few added words inside a clause (an adjective, an intensifier), an added
    sentence that the aligner merges with its neighbour and that happens to be on topic.
    Severity: major for a sentence with words, minor for a line with no words (a
    separator such as "*****") and for part of a sentence.
    """

    code = "addition"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.tgt:
            return []
        if not pair.src:
            if is_repeated_line(context, pair) is not None or self._is_second_translation(pair, context):
                return []
            if translated_nearby(context, pair.tgt, "tgt") or _in_source_nearby(context, pair.tgt):
                return []
            if not has_letters(pair.tgt, 2):
                return [Flag(self.code, "minor", "tgt", (0, len(pair.tgt)),
                             f'"{quote(pair.tgt)}" has no counterpart in the source.')]
            return [Flag(self.code, "major", "tgt", (0, len(pair.tgt)),
                         f'This sentence translates nothing in the source: "{quote(pair.tgt)}".')]
        flags = []
        duplicated = [f.span for f in duplication_flags(pair, context) if f.span]
        for piece in lost_sentences(pair, context, "tgt"):
            if any(s < piece.end and piece.start < e for s, e in duplicated):
                continue  # said twice: reported as duplication
            if _in_source_nearby(context, piece.text):
                continue
            flags.append(Flag(self.code, "major", "tgt", (piece.start, piece.end),
                              f'"{quote(piece.text)}" translates nothing in the source sentence.'))
        for piece in segment_offsets(pair, "tgt"):
            # a separator line ("*****") inside the target side, with none in the source
            if len(piece.text.strip()) >= 3 and not has_letters(piece.text) and piece.text.strip() not in pair.src:
                flags.append(Flag(self.code, "minor", "tgt", (piece.start, piece.end),
                                  f'"{quote(piece.text)}" has no counterpart in the source.'))
        if not flags:
            flags += self._added_clauses(pair, context)
        return flags

    def _is_second_translation(self, pair: Pair, context: CheckContext) -> bool:
        """Whether duplication already explains every clause of this sourceless pair."""
        flags = duplication_flags(pair, context)
        covered = sum(f.span[1] - f.span[0] for f in flags if f.span)
        letters = sum(1 for c in pair.tgt if c.isalpha())
        return bool(flags) and covered >= 0.6 * len(pair.tgt.strip()) and letters > 0

    def _added_clauses(self, pair: Pair, context: CheckContext) -> list[Flag]:
        ratio = len(pair.tgt) / max(1, len(pair.src))
        if ratio <= LONG_RATIO * usual_length_ratio(context) or len(words(pair.tgt)) < 2 * MIN_CLAUSE_WORDS:
            return []
        neighbours = [p.src for p in window_pairs(context) if p.src and p is not pair]
        flags = []
        for start, end, best in uncovered_stretches(context, pair.tgt, [pair.src], neighbours=neighbours, threshold=ADDED_STRETCH, min_windows=3):
            flags.append(Flag(self.code, "minor", "tgt", (start, end),
                              f'"{quote(pair.tgt[start:end])}" translates nothing in the source.'))
        return flags


def _in_source_nearby(context: CheckContext, text: str) -> bool:
    """Whether `text` is copied from the source of this pair or a neighbour: a reference or
    a name the sentence splitter cut off on one side only ("2017; Masson-Delmotte et al.")."""
    source = " ".join(p.src for p in window_pairs(context) if p.src)
    return len(words(text)) >= 2 and copied_from_source(source, text)
