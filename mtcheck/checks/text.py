"""Text helpers shared by the checks: words, clauses, sentence offsets, expected lengths."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from mtcheck.models import Pair

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)

# Where a sentence breaks into clauses: punctuation, quotes, dashes.
CLAUSE_CUT = re.compile(r"[,;:.!?…()\[\]«»\"“”„]|\s[—–-]\s")

# Characters that end a sentence, possibly followed by closing quotes or brackets.
FINAL_PUNCT = ".!?…"
CLOSERS = "»\"”’)]'"


@dataclass(frozen=True)
class Piece:
    """A stretch of a pair's text: [start, end) and the text itself."""

    start: int
    end: int
    text: str


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_spans(text: str) -> list[re.Match]:
    return list(WORD.finditer(text))


def has_letters(text: str, minimum: int = 1) -> bool:
    return len(LETTER.findall(text)) >= minimum


def fold(text: str) -> str:
    """Lower case without accents, for comparing names and repeated lines."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_line(text: str) -> str:
    """A sentence reduced to its words, for spotting the same line twice."""
    return " ".join(w.casefold() for w in words(text))


# A full stop that ends an abbreviation ("M.", "Mr.", "Dr.", "U.S.") or sits in a number.
_ABBREVIATION_STOP = re.compile(r"(?:\b[A-Z][a-z]{0,2}|\b[a-z]|\d)$")


def clauses(text: str, min_words: int = 1) -> list[Piece]:
    """The clauses of `text`: stretches between clause punctuation, trimmed, with offsets.

    The full stop of an abbreviation ("M. Edis", "U.S.") and the marks inside a number
    ("2.5", "10,000") do not cut.
    """
    out: list[Piece] = []
    start = 0
    bounds = []
    for m in CLAUSE_CUT.finditer(text):
        mark = m.group()
        if mark in ".," and m.end() < len(text) and text[m.end()].isdigit() and m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        if mark == "." and _ABBREVIATION_STOP.search(text[:m.start()]):
            continue
        bounds.append((m.start(), m.end()))
    bounds.append((len(text), len(text)))
    for cut_start, cut_end in bounds:
        piece = text[start:cut_start]
        stripped = piece.strip()
        if stripped and len(words(stripped)) >= min_words:
            offset = start + (len(piece) - len(piece.lstrip()))
            out.append(Piece(offset, offset + len(stripped), stripped))
        start = cut_end
    return out


def segment_offsets(pair: Pair, side: str) -> list[Piece]:
    """Each sentence of one side of the pair with its offsets in the joined pair text.

    The pair text is the sentences joined by one space (models.join_segments).
    """
    segments = pair.src_segments if side == "src" else pair.tgt_segments
    text = pair.src if side == "src" else pair.tgt
    if not segments:
        return [Piece(0, len(text), text)] if text else []
    out = []
    pos = 0
    for seg in segments:
        found = text.find(seg.text, pos)
        if found < 0:
            found = pos
        out.append(Piece(found, found + len(seg.text), seg.text))
        pos = found + len(seg.text)
    return out


def ends_with_final_punct(text: str) -> bool:
    stripped = text.rstrip().rstrip(CLOSERS + " \u00a0\u202f")
    return bool(stripped) and stripped[-1] in FINAL_PUNCT


def quote(text: str, limit: int = 60) -> str:
    """A short quotation of `text` for a message."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def multiset_overlap(a, b) -> int:
    """How many items of `a` find a partner in `b`, each item of `b` used once."""
    return sum((Counter(a) & Counter(b)).values())
