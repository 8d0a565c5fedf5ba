"""Text helpers shared by the checks: words, clauses, sentence offsets, expected lengths."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from mtcheck.models import Pair

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# A word of letters only ("l'avion", "week-end"): no digits, no codes.
LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

# Where a sentence breaks into clauses: punctuation, quotes, dashes.
CLAUSE_CUT = re.compile(r"[,;:.!?…()\[\]«»\"“”„]|\s[—–-]\s")

# Quotation marks: they enclose words ("tough love"), not clauses; blanked (one space for
# one mark, offsets kept) where clauses of meaning are wanted.
QUOTE_MARKS = re.compile("[«»\"“”„]")

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


# A full stop that ends an abbreviation ("M.", "Mr.", "Dr.", "U.S."). A full stop after a
# number ends the sentence ("d'ici 2025. Il a dit."): one inside a number ("2.5") has a
# digit on both sides and is kept by the number rule.
_ABBREVIATION_STOP = re.compile(r"(?:\b[A-Z][a-z]{0,2}|\b[a-z])$")


# An HTML entity left in a text ("&#x2019;", "&amp;"): one character, written as several.
HTML_ENTITY = re.compile(r"&(?:#[xX]?[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
# An aside in round brackets, without brackets inside ("the DGSE (Directorate General for
# External Security)"): what translators may leave out on purpose.
BRACKETED_ASIDE = re.compile(r"\([^()]*\)")


def reading_length(text: str) -> int:
    """The length of `text` as a reader sees it: an HTML entity counts as the one character
    it stands for (web text keeps "here&#x2019;s" where its translation has "here's", and
    looks 12% longer than it is)."""
    if "&" not in text:
        return len(text)
    return len(text) - sum(len(m.group()) - 1 for m in HTML_ENTITY.finditer(text))


def clauses(text: str, min_words: int = 1) -> list[Piece]:
    """The clauses of `text`: stretches between clause punctuation, trimmed, with offsets.

    The full stop of an abbreviation ("M. Edis", "U.S.") and the marks inside a number
    ("2.5", "10,000") do not cut.
    """
    out: list[Piece] = []
    start = 0
    bounds = []
    glued_open = 0  # brackets opened as notation, not yet closed
    entity_ends = {m.end() - 1 for m in HTML_ENTITY.finditer(text)} if "&" in text else set()
    for m in CLAUSE_CUT.finditer(text):
        mark = m.group()
        if mark in ".," and m.end() < len(text) and text[m.end()].isdigit() and m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        if mark == "." and _ABBREVIATION_STOP.search(text[:m.start()]):
            continue
        if mark == ";" and m.start() in entity_ends:
            continue  # the end of an HTML entity ("here&#x2019;s")
        # a bracket glued to a word on its outer side is notation, not an aside, and so is
        # the one that closes it: "^([5])Ca", "Np(IV)", "f(x)"
        if mark in "([" and m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "^_(["):
            glued_open += 1
            continue
        if mark in ")]" and (glued_open or m.end() < len(text) and (text[m.end()].isalnum() or text[m.end()] in ")]")):
            glued_open = max(0, glued_open - 1)
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


# Web addresses and e-mail addresses: copied as they are, never words to translate.
ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|fr|gov|edu|int|eu|ch|uk|de|ly|io)(?:/\S*)?",
    re.I,
)

# A stretch in quotes or brackets, one level deep and within a sentence.
# (one pattern per kind of mark, so that quotes inside brackets are found too)
_BRACKETED = [re.compile(p) for p in (r"«[^«»\n]{1,200}»", r"“[^“”\n]{1,200}”", r"\"[^\"\n]{1,200}\"",
                                         r"\([^()\n]{1,200}\)", r"\[[^\[\]\n]{1,200}\]")]
# A clause this much made of the source's own words is the source's wording kept as is.
COPIED_SHARE = 0.6


def blank_addresses(text: str) -> str:
    """`text` with web and e-mail addresses blanked out, offsets unchanged."""
    return blank_spans(text, [m.span() for m in ADDRESS.finditer(text)])


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the characters of `spans` blanked out, offsets unchanged."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def prose_words(text: str) -> list[str]:
    """The words of `text` outside web and e-mail addresses."""
    return words(blank_addresses(text))


def _folded_words(text: str) -> set[str]:
    return {w.casefold() for w in words(text)}


def copied_from_source(src: str, text: str, source_words: Optional[set[str]] = None) -> bool:
    """Whether `text` is mostly the source's own words (compared case-blind);
    `source_words`, the source's folded words, when the caller has them already."""
    text_words = [w.casefold() for w in words(text)]
    if not src or not text_words:
        return False
    source_words = _folded_words(src) if source_words is None else source_words
    return sum(w in source_words for w in text_words) >= COPIED_SHARE * len(text_words)


def source_glosses(src: str, tgt: str) -> list[tuple[int, int]]:
    """Stretches of the translation in quotes or brackets that keep the source's wording:
    a quotation, a title or a gloss left in the original language on purpose ("voir la
    rubrique «download report»", "l'esprit critique (a critical mind)"), or one part of an
    aside of several ("(DTSS, distributed temperature and strain sensors en anglais)": the
    words that name the language are no wording of the translation's own)."""
    if not src:
        return []
    source_words = _folded_words(src)
    out = []
    for pattern in _BRACKETED:
        for m in pattern.finditer(tgt):
            inner = m.group()[1:-1]
            if _keeps_source_wording(src, source_words, inner):
                out.append((m.start(), m.end()))
                continue
            out += [(m.start() + 1 + part.start(), m.start() + 1 + part.end())
                    for part in re.finditer(r"[^,;]+", inner)
                    if _keeps_source_wording(src, source_words, part.group())]
    return out


# "en anglais", "in English": a gloss saying which language it is in
_LANGUAGE_NAMED = re.compile(
    r"\b(?:(?:en|in|from)\s+|de\s+l['’]\s*)(?:anglais|français|allemand|espagnol|italien|english|french|"
    r"german|spanish|italian)\b", re.I)


def _keeps_source_wording(src: str, source_words: set[str], text: str) -> bool:
    text = _LANGUAGE_NAMED.sub(" ", text)
    return copied_from_source(src, text, source_words) and _own_words_run(source_words, text) <= 1


def _own_words_run(source_words: set[str], text: str) -> int:
    """The longest run of words of `text` that the source lacks: a quotation that starts in
    the target language ("résolu à tenter to clarify the matter") is no gloss."""
    longest = current = 0
    for word in words(text):
        current = 0 if word.casefold() in source_words else current + 1
        longest = max(longest, current)
    return longest


def within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def touches_symbol(text: str, start: int, end: int) -> bool:
    """Whether the letters at [start, end) touch a symbol: UTF-8 read as CP1252 ("CongrÃ¨s",
    "tÃ©lÃ©phones"), no word of its own."""
    around = text[max(0, start - 1):start] + text[end:end + 1]
    return any(unicodedata.category(c)[0] == "S" for c in around)
