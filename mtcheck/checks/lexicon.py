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
from functools import lru_cache
from typing import Optional

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def _supported(lang: str) -> bool:
    try:
        from wordfreq import available_languages

        return lang in available_languages()
    except Exception as exc:  # noqa: BLE001 - no lists: the lexicon stays silent
        log.debug("no word-frequency lists: %s", exc)
        return False


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str) -> Optional[float]:
    """The word's frequency in `lang` on the Zipf scale (0 when unseen), or None when unknown."""
    if not _supported(lang):
        return None
    from wordfreq import zipf_frequency

    try:
        return float(zipf_frequency(word, lang))
    except Exception as exc:  # noqa: BLE001 - a lookup never stops a check
        log.debug("frequency lookup failed for %r (%s): %s", word, lang, exc)
        return None
