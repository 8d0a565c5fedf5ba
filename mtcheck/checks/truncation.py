"""`truncation`: the translation stops part-way."""
from __future__ import annotations

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.omission import usual_length_ratio
from mtcheck.checks.text import ends_with_final_punct, quote, words
from mtcheck.models import Flag, Pair

# Words a finished sentence does not end on: articles, prepositions, conjunctions.
DANGLING = {
    "fr": {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "à", "et", "ou",
           "mais", "que", "qu", "qui", "dont", "pour", "par", "sur", "dans", "avec", "sans", "en",
           "ce", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos",
           "mon", "ma", "mes", "ne", "se", "si", "comme", "entre", "vers", "chez", "lors", "car",
           "donc", "dès", "depuis", "contre", "selon", "afin", "plus", "très", "est", "sont", "a", "ont"},
    "en": {"the", "a", "an", "of", "to", "and", "or", "but", "that", "which", "who", "for", "by",
           "on", "in", "with", "without", "from", "at", "as", "into", "this", "these", "those", "its",
           "their", "his", "her", "our", "your", "my", "is", "are", "was", "were", "be", "than", "if"},
    "de": {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "und", "oder", "aber",
           "dass", "von", "zu", "mit", "für", "auf", "in", "im", "an", "am", "aus", "bei"},
    "es": {"el", "la", "los", "las", "un", "una", "de", "del", "y", "o", "que", "en", "con", "por",
           "para", "a", "al", "su", "sus"},
}
# Below this share of the usual length, a translation that also lost its final
# punctuation is truncated.
SHORT_SHARE = 0.8
# Below this share, it is truncated even if it ends on a full word.
VERY_SHORT_SHARE = 0.55
MIN_SOURCE_WORDS = 6


class TruncationCheck(Check):
    """A translation that stops before the end of its source sentence.

    Catches: a translation that ends without final punctuation while its source has it,
    and that is also much shorter than the document's usual length ratio or ends on a
    word no finished sentence ends on ("de", "the", "et"); a translation ending in "..."
    where the source does not.
    Misses: a cut at a clause boundary that keeps punctuation and a normal length, short
    sentences (under six source words), titles and list items (no final punctuation on
    either side).
    Severity: major.
    """

    code = "truncation"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.src or not pair.tgt or len(words(pair.src)) < MIN_SOURCE_WORDS:
            return []
        tgt = pair.tgt.rstrip()
        end = len(tgt)
        last_words = words(tgt)
        if not last_words:
            return []
        expected = usual_length_ratio(context) * len(pair.src)
        share = len(tgt) / max(1.0, expected)
        if tgt.endswith(("...", "…")) and not pair.src.rstrip().endswith(("...", "…")) and share < 0.9:
            return [Flag(self.code, "major", "tgt", (max(0, end - 3), end),
                         "The translation trails off with an ellipsis where the source sentence goes on.")]
        if not ends_with_final_punct(pair.src) or ends_with_final_punct(tgt):
            return []
        last = last_words[-1].casefold().split("'")[-1].split("’")[-1]
        dangling = last in DANGLING.get(context.tgt_lang, set()) or last_words[-1].casefold() in DANGLING.get(context.tgt_lang, set())
        if share < VERY_SHORT_SHARE or (share < SHORT_SHARE) or dangling and share < 1.0:
            word_start = tgt.rfind(last_words[-1])
            span = (max(0, word_start), end)
            why = f'ends on "{last_words[-1]}"' if dangling else "has no final punctuation"
            return [Flag(self.code, "major", "tgt", span,
                         f'The translation stops part-way: it {why} and is about {round(100 * share)}% '
                         f'of the expected length; the end of the source ("{quote(pair.src[-50:], 50)}") is missing.')]
        return []
