"""`encoding`: text damaged by a wrong character encoding."""
from __future__ import annotations

import difflib
import re

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.text import quote
from mtcheck.models import Flag, Pair

# C0 and C1 control characters other than tab and newline, and stray zero-width/BOM marks
# inside a sentence: invisible in most editors, they break tools downstream.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
REPLACEMENT = "\ufffd"
# UTF-8 read as CP1252/Latin-1, for text ftfy leaves alone (too short, or mixed with good
# text): "Ã©" for "é", "Ã " for "à", "â€™" for "’", "Â«" for "«".
MOJIBAKE = re.compile(
    "Ã[\u00a0-\u00bf\u0080-\u009f€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
    "|â€[\u0080-\u00bf™œ”“˜¦¢¡ž\u009d]"
    "|Â[\u00a0-\u00bf]"
)


def runs_into_mojibake(text: str, start: int, end: int) -> bool:
    """Whether the text at [start, end) overlaps UTF-8 read as CP1252 ("MarineÂ", the "Â"
    before a no-break space): other checks leave such letters to this one."""
    return any(m.start() < end and start < m.end() for m in MOJIBAKE.finditer(text))


def readable(text: str) -> str:
    """The text as a reader sees through its mojibake ("systÃ¨me" read as "système"), for
    the encoder: sentence vectors of garbled words match nothing, so the semantic checks
    would report a garbled line's words as left out or added on top of this check's flag.
    Text without mojibake is returned as it is."""
    return _repaired(text) if MOJIBAKE.search(text) else text


class EncodingCheck(Check):
    """Mojibake, replacement characters and control characters in the translation.

    Catches: UTF-8 read as Latin-1/CP1252 ("Ã©tÃ©" for "été", "Â«"), found by ftfy's
    repair changing the text; U+FFFD replacement characters (bytes lost on decoding);
    control characters (one that the repair turns back into a letter or a dash is part of
    the garbled text's flag, not a second one). The source is checked too, so a damaged
    source is reported on its own side and the same damage copied into the translation is
    not blamed on it.
    Misses: a wrong but valid character (e.g. "é" typed as "è"), text decoded with the
    wrong single-byte code page that ftfy cannot recognise.
    Severity: major for mojibake and replacement characters in the translation (words
    become unreadable), minor for control characters alone and for damage in the source.
    """

    code = "encoding"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        flags = []
        for side, text in (("tgt", pair.tgt), ("src", pair.src)):
            if text:
                found = self._check_text(side, text)
                if side == "src":
                    # the source's own damage: worth knowing, not the translation's fault
                    for flag in found:
                        flag.severity = "minor"
                flags.extend(found)
        return flags

    def _check_text(self, side: str, text: str) -> list[Flag]:
        flags = []
        fixed = _repaired(text)
        span = None
        if fixed != text:
            span = _changed_span(text, fixed)
            if span is not None:
                bad = text[span[0]:span[1]]
                good = _repaired_part(text, fixed, span)
                flags.append(Flag(
                    self.code, "major", side, span,
                    f'Garbled characters "{quote(bad, 40)}" (an encoding error): it should read "{quote(good, 40)}".',
                ))
        pos = text.find(REPLACEMENT)
        if pos >= 0 and not flags:
            end = pos + 1
            while end < len(text) and text[end] == REPLACEMENT:
                end += 1
            flags.append(Flag(
                self.code, "major", side, (pos, end),
                "Replacement character (�): characters were lost when the text was decoded.",
            ))
        # a control character that the repair turns back into a letter or a dash ("\x96" for
        # "–", CP1252 read as Latin-1) is the garbled text's, already reported
        repaired = len(CONTROL.findall(fixed)) < len(CONTROL.findall(text))
        m = next((m for m in CONTROL.finditer(text)
                  if not (repaired and span is not None and span[0] <= m.start() < span[1])), None)
        if m:
            flags.append(Flag(
                self.code, "minor", side, (m.start(), m.end()),
                f"Invisible control character U+{ord(m.group()):04X} in the text.",
            ))
        return flags


def _repaired(text: str) -> str:
    """The text with its mojibake repaired: by ftfy as a whole, else word by word."""
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return _repair_pieces(text) if fixed == text and MOJIBAKE.search(text) else fixed


def _repair_pieces(text: str) -> str:
    """Repair word by word the words that look like mojibake (when ftfy refuses the whole)."""
    import ftfy

    def fix(match: re.Match) -> str:
        word = match.group()
        if not MOJIBAKE.search(word):
            return word
        try:
            return word.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return ftfy.fix_encoding(word)

    return re.sub(r"\S+(?:[\u00a0]\S*)?", fix, text)


def _changed_span(text: str, fixed: str):
    matcher = difflib.SequenceMatcher(None, text, fixed, autojunk=False)
    changed = [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
    if not changed:
        return None
    start = min(i1 for i1, _ in changed)
    end = max(i2 for _, i2 in changed)
    if end <= start:
        end = min(len(text), start + 1)
    # widen to whole words so the message quotes something readable
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return (start, end)


def _repaired_part(text: str, fixed: str, span) -> str:
    prefix = text[: span[0]]
    suffix = text[span[1]:]
    if fixed.startswith(prefix) and fixed.endswith(suffix):
        return fixed[len(prefix): len(fixed) - len(suffix)]
    return fixed
