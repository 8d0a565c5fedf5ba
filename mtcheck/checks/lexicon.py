"""How common a word is in a language, from the word-frequency lists of `wordfreq`.

The lists (Zipf scale: 3 is once per million words, 6 once per thousand) ship inside the
wordfreq wheel and are read lazily on first use, per language (about 0.3 s). They tell a
word of the source language copied into the translation ("screwdriver" in French text)
from a word both languages use ("design", "parking"): the first is far more frequent in
the source language than in the target's.

Without wordfreq, or for a language it has no list for, every lookup gives None and the
checks that use it fall silent rather than guess.
"""
from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from typing import Optional

from mtcheck.checks.text import LETTER_WORD

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def has_word_list(lang: str) -> bool:
    """Whether word frequencies are known for `lang`."""
    try:
        from wordfreq import available_languages

        return lang in available_languages()
    except Exception as exc:  # noqa: BLE001 - no lists: the lexicon stays silent
        log.debug("no word-frequency lists: %s", exc)
        return False


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str) -> Optional[float]:
    """The word's frequency in `lang` on the Zipf scale (0 when unseen), or None when unknown."""
    if not has_word_list(lang):
        return None
    from wordfreq import zipf_frequency

    try:
        return float(zipf_frequency(word, lang))
    except Exception as exc:  # noqa: BLE001 - a lookup never stops a check
        log.debug("frequency lookup failed for %r (%s): %s", word, lang, exc)
        return None


@lru_cache(maxsize=64)
def grammar_words(lang: str, count: int) -> frozenset[str]:
    """The `count` most common words of `lang` ("the", "this", "with", "from"): grammar, no
    content of their own. Empty where no list is known."""
    if not has_word_list(lang):
        return frozenset()
    from wordfreq import top_n_list

    try:
        return frozenset(top_n_list(lang, count))
    except Exception as exc:  # noqa: BLE001 - a lookup never stops a check
        log.debug("no list of common words for %s: %s", lang, exc)
        return frozenset()


# Languages written in another script than the Latin alphabet: a verdict for one of them on
# Latin letters (or the reverse) is the small language model misreading a few words.
_NON_LATIN = {"ar", "bg", "bn", "el", "fa", "he", "hi", "ja", "ko", "mk", "ru", "ta", "th",
              "uk", "ur", "zh", "hy", "ka", "am", "ne", "si", "sr", "kk", "ky", "mn", "be"}


# Average Zipf frequency of a text's words in a language above which the text is in that
# language (running English scores about 5.5 in English, 2 to 3 in other languages).
EXPECTED_LANGUAGE_WORDS = 4.5


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("LATIN" in unicodedata.name(c, "") for c in letters) / len(letters)


def plausible_language(text: str, code: str, expected: str) -> bool:
    """Whether `text` can be in language `code` rather than `expected`, by its letters and
    its words: a Russian verdict needs Cyrillic ("carbonis «charbon de bois»" is not
    Russian); the words must be, on average, more frequent in `code` than in `expected`
    ("It is a classic mistake to separate the issue of power reactors" is not Spanish).
    Languages without word lists are judged by their letters alone."""
    latin = _latin_share(text)
    if (code in _NON_LATIN and latin > 0.5) or (code not in _NON_LATIN and latin < 0.5):
        return False
    tokens = [w.casefold() for w in LETTER_WORD.findall(text)]
    if not tokens or not has_word_list(expected):
        return True
    in_expected = sum(zipf(w, expected) for w in tokens) / len(tokens)
    if not has_word_list(code):
        # no list for the verdict's language: words this common in the expected one say it
        # is the expected language ("I'm sure I shan't be able!" read as Limburgish)
        return in_expected < EXPECTED_LANGUAGE_WORDS
    in_code = sum(zipf(w, code) for w in tokens) / len(tokens)
    return in_code > in_expected
