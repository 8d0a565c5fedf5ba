"""How long a translation usually is: characters per English character, per language.

A translation much shorter or longer than usual for its language pair hints at an
omission or an addition. The expected log ratio of a pair a->b is
log(chars[b]) - log(chars[a]); the deviation is measured in standard deviations of
that log ratio among translations that people judged good.

Measured (mean ratio of translations with a human score above average): en-de 1.08
(MLQE-PE) and 1.13 (TED MQM), en-fr 1.16 (WMT19 QE), en-zh 0.37, et-en 1.08,
ne-en 1.07, ro-en 0.96, ru-en 1.05, si-en 1.01; standard deviation of the log ratio
0.10-0.19 (0.27 for en-zh). The other languages' factors are rough typical values.
"""
from __future__ import annotations

import math

# characters of a translation per character of the English text
CHARS_PER_ENGLISH_CHAR = {
    "en": 1.0,
    # measured on the public QE data (see the module docstring)
    "de": 1.10, "fr": 1.16, "zh": 0.37, "et": 0.93, "ne": 0.94, "ro": 1.05,
    "ru": 0.96, "si": 0.99,
    # typical values
    "es": 1.12, "it": 1.10, "pt": 1.10, "nl": 1.10, "pl": 1.05, "cs": 0.95, "sk": 0.95,
    "uk": 0.97, "bg": 1.02, "el": 1.10, "sv": 1.00, "da": 1.00, "no": 1.00, "nb": 1.00,
    "fi": 1.02, "hu": 1.05, "tr": 1.00, "ar": 0.90, "he": 0.80, "fa": 0.95, "hi": 1.00,
    "ja": 0.45, "ko": 0.45, "th": 0.95, "vi": 1.10, "id": 1.12, "ms": 1.12, "ca": 1.12,
}

# spread of the log ratio for good translations; wider where characters are words
DEFAULT_LOG_SD = 0.17
LOG_SD = {"zh": 0.27, "ja": 0.27, "ko": 0.25}


def expected_log_ratio(src_lang: str, tgt_lang: str) -> tuple[float, float]:
    """(mean, standard deviation) of log(target chars / source chars) for the pair.

    Unknown languages count as English-like (ratio 1), with the default spread.
    """
    src = CHARS_PER_ENGLISH_CHAR.get(_base(src_lang), 1.0)
    tgt = CHARS_PER_ENGLISH_CHAR.get(_base(tgt_lang), 1.0)
    sd = max(LOG_SD.get(_base(src_lang), DEFAULT_LOG_SD), LOG_SD.get(_base(tgt_lang), DEFAULT_LOG_SD))
    return math.log(tgt) - math.log(src), sd


def length_ratio(src: str, tgt: str) -> float:
    """Target characters per source character (whitespace runs count once)."""
    return _chars(tgt) / max(_chars(src), 1)


def length_deviation(src: str, tgt: str, src_lang: str, tgt_lang: str) -> float:
    """How far the pair's length ratio is from the usual one, in standard deviations
    of the log ratio (0 = usual). One side empty gives a large deviation."""
    mean, sd = expected_log_ratio(src_lang, tgt_lang)
    # one character of smoothing keeps an empty side finite
    observed = math.log((_chars(tgt) + 1) / (_chars(src) + 1))
    return abs(observed - mean) / sd


def _chars(text: str) -> int:
    return len(" ".join((text or "").split()))


def _base(lang: str) -> str:
    return (lang or "").lower().replace("_", "-").split("-")[0]
