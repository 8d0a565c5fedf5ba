"""`punctuation`: unbalanced quotes and brackets, doubled punctuation."""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.text import segment_offsets
from mtcheck.models import Flag, Pair

PAIRS = {"«": "»", "“": "”", "„": "”", "(": ")", "[": "]"}
CLOSING = {"»": "«", "”": "“", ")": "(", "]": "["}
# Marks that open a quotation at the start of a paragraph (a straight " included).
QUOTE_OPENERS = ("«", "“", '"', "„")
# UTF-8 punctuation (– “ ” ’, E2 80 xx) read as CP1252 starts with these two characters.
MOJIBAKE_LEAD = "â€"

# The same mark twice (",," "!!" ";;"), or a full stop doubled but not an ellipsis.
DOUBLED = re.compile(r"([,;:!?])\s*\1|(?<!\.)\.\s*\.(?!\.)|[,;:]\s*\.(?!\.)|\.\s*,")
# ... but ".," after an abbreviation of up to four letters is no double ("etc.,", "Inc.,").
ABBREVIATION_BEFORE = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,4}$")


class PunctuationCheck(Check):
    """Unbalanced « » “ ” " ( ) [ ] and doubled punctuation in the translation.

    Quotes are matched over the whole paragraph, because a quotation often runs over
    several sentences (« ... . ... . ... »): only a mark left open at the end of the
    paragraph, or a closer with no opener, is flagged, on the pair that holds it. A
    quotation may run on into the next paragraph, reopened at its start (« ... ¶ « ... »),
    from a paragraph whose source quotes (or runs on a quotation) or that opens with a
    quote: a stray « in a paragraph of reported speech stays flagged when the next one
    opens a quotation of its own.
    Straight double quotes are counted: an odd number in a paragraph leaves the last one
    unmatched. Marks unbalanced the same way in the source paragraph are not flagged.
    Doubled punctuation (",," ". ." ";.") is flagged when the source has none (".," after
    an abbreviation, "etc.,", is no double). Marks that are bytes of mojibake ("â€“" for
    "–", "Ã»" for "û") are the encoding check's.
    A source paragraph that leaves a single quote open ('Well! ... ¶ ... fall!') allows
    one open quote in its translation.
    Misses: a quote closed in the wrong place, single quotes in the translation, paragraphs
    the aligner split across pairs in another order. In a quotation that runs over several
    paragraphs, a mark left open is reported where the quotation opens, which may be a
    paragraph before the one at fault.
    Severity: minor (the text reads, but looks careless).
    """

    code = "punctuation"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.tgt:
            return []
        problems = _unbalanced_marks(context)
        flags = []
        for piece, seg in zip(segment_offsets(pair, "tgt"), pair.tgt_segments or ()):
            for pos, mark in problems.get(seg.id, []):
                start = piece.start + pos
                if mark in CLOSING:
                    message = f'The closing {mark} has no opening {CLOSING[mark]} before it.'
                elif mark == '"':
                    message = 'This quotation mark " is never closed (odd number of " in the paragraph).'
                else:
                    message = f'The {mark} opened here is never closed with {PAIRS[mark]}.'
                flags.append(Flag(self.code, "minor", "tgt", (start, start + 1), message))
        if not pair.tgt_segments:
            for pos, mark in _unmatched(pair.tgt):
                if _unmatched_in(pair.src, mark):
                    continue
                flags.append(Flag(self.code, "minor", "tgt", (pos, pos + 1),
                                  f"Unbalanced {mark} in the translation."))
        src_doubles = len(DOUBLED.findall(pair.src))
        for m in DOUBLED.finditer(pair.tgt):
            if src_doubles:
                break
            if m.group().startswith(".") and m.group().endswith(",") \
                    and ABBREVIATION_BEFORE.search(pair.tgt, 0, m.start()):
                continue
            flags.append(Flag(self.code, "minor", "tgt", (m.start(), m.end()),
                              f'Doubled punctuation "{m.group()}".'))
        return flags


def _unbalanced_marks(context: CheckContext) -> dict[int, list[tuple[int, str]]]:
    """For each target sentence id, the unmatched marks in it: (offset in sentence, mark).

    Computed once per document: target sentences grouped by paragraph, in order.
    """
    cached = context.cache.get("punctuation.unbalanced")
    if cached is not None:
        return cached
    tgt_paragraphs: dict[int, list] = {}
    src_paragraphs: dict[int, list] = {}
    linked: dict[int, set[int]] = {}  # target paragraph -> source paragraphs aligned to it
    seen_tgt, seen_src = set(), set()
    for pair in context.pairs:
        src_paras = {seg.para for seg in pair.src_segments}
        for seg in pair.tgt_segments:
            linked.setdefault(seg.para, set()).update(src_paras)
            if seg.id not in seen_tgt:
                seen_tgt.add(seg.id)
                tgt_paragraphs.setdefault(seg.para, []).append(seg)
        for seg in pair.src_segments:
            if seg.id not in seen_src:
                seen_src.add(seg.id)
                src_paragraphs.setdefault(seg.para, []).append(seg)
    # marks unbalanced in the source paragraph are the author's, not the translator's:
    # a translation that keeps them is faithful (an opening mark excuses an opening one, a
    # closing mark a closing one: 'We really need this."' does not excuse "On a « vraiment")
    src_unmatched: dict[int, Counter] = {}
    for para, segs in src_paragraphs.items():
        text = " ".join(s.text for s in sorted(segs, key=lambda s: s.id))
        src_unmatched[para] = Counter((_family(mark), _direction(text, pos))
                                      for pos, mark in _unmatched(text, single_quotes=True))
    # target paragraphs whose source quotes something, or follows a paragraph that leaves a
    # quotation open ('Ah! that accounts for it,' said the Hatter. ' ¶ He won't stand
    # beating.): only there may a quotation run on (paragraph ids count up in reading order)
    quoting = {para for para, src_paras in linked.items()
               if any(_quotes_something(src_paragraphs.get(p, ())) or _left_open(src_unmatched.get(p - 1, Counter()))
                      for p in src_paras)}
    result: dict[int, list[tuple[int, str]]] = {}
    for group in _quotation_groups(tgt_paragraphs, quoting):
        allowance = Counter()
        for para in group:
            for src_para in linked.get(para, ()):
                allowance.update(src_unmatched.get(src_para, Counter()))
        text, owners = "", []
        for k, para in enumerate(group):
            for seg in sorted(tgt_paragraphs[para], key=lambda s: s.id):
                if text:
                    text += " "
                owners.append((len(text), seg))
                piece = seg.text
                if k > 0 and seg is min(tgt_paragraphs[para], key=lambda s: s.id):
                    # the « that reopens a quotation at the start of each paragraph
                    lead = len(piece) - len(piece.lstrip())
                    piece = piece[:lead] + " " + piece[lead + 1:]
                text += piece
        for pos, mark in _unmatched(text):
            excuse = _excuse(allowance, _family(mark), _direction(text, pos))
            if excuse is not None:
                allowance[excuse] -= 1
                continue
            start, seg = max((o for o in owners if o[0] <= pos), key=lambda o: o[0])
            result.setdefault(seg.id, []).append((pos - start, mark))
    context.cache["punctuation.unbalanced"] = result
    return result


def _quotation_groups(paragraphs: dict[int, list], quoting: set[int]) -> list[list[int]]:
    """Paragraph ids in order, grouped where a quotation runs on: French and English both
    leave a quotation open at the end of a paragraph and reopen it at the start of the next
    (« ... ¶ « ... »). A quotation runs on only from a paragraph that quotes: one in
    `quoting` (its source quotes, or runs on a quotation), or one that opens with a
    quotation mark itself. A « left open in any other paragraph is a stray mark, whatever
    quotation the next paragraph opens ("les chefs d'État « européens devaient être
    honnêtes" before « Nous ... »)."""
    texts = {para: [s.text for s in sorted(segs, key=lambda s: s.id)] for para, segs in paragraphs.items()}
    first_mark = {para: (found[0].lstrip()[:1] if found else "") for para, found in texts.items()}
    groups: list[list[int]] = []
    for para in sorted(paragraphs):
        before = groups[-1][-1] if groups else None
        running = before is not None and (before in quoting or first_mark[before] in QUOTE_OPENERS)
        if running and first_mark[para] in QUOTE_OPENERS:
            previous = " ".join(t for p in groups[-1] for t in texts[p])
            # reopened with the mark that opened it: a paragraph opening with " after a
            # stray « starts a quotation of its own
            if first_mark[para] in {m for _, m in _unmatched(previous)}:
                groups[-1].append(para)
                continue
        groups.append([para])
    return groups


def _direction(text: str, pos: int) -> str:
    """Whether the mark at `pos` opens ("open") or closes ("close") a quotation or a bracket;
    "" where it cannot be told (a straight quote with spaces on both sides, as tokenised
    text writes them: '" Il me semble, " dit-elle')."""
    mark = text[pos]
    if mark in PAIRS:
        return "open"
    if mark in CLOSING:
        return "close"
    before, after = text[pos - 1:pos], text[pos + 1:pos + 2]
    if (not before or before.isspace() or before in "([{—–-«“") and after.isalnum():
        return "open"
    if before and not before.isspace() and (not after or after.isspace() or after in ".,;:!?)]»”…"):
        return "close"
    return ""


def _excuse(allowance: Counter, family: str, direction: str) -> Optional[tuple[str, str]]:
    """The source's unmatched mark (family, direction) that excuses a translation's mark of
    `family` going `direction` ("" where either cannot be told), or None."""
    keys = [(family, direction), (family, "")] if direction else [k for k in allowance if k[0] == family]
    return next((k for k in keys if allowance[k] > 0), None)


def _left_open(unmatched: Counter) -> bool:
    """Whether a source paragraph's unmatched marks leave a quotation open at its end."""
    return any(count and family == "quote" and direction != "close" for (family, direction), count in unmatched.items())


def _quotes_something(segs) -> bool:
    """Whether source sentences `segs` hold a quotation mark (single quotes used as such
    included, apostrophes not)."""
    text = " ".join(s.text for s in segs)
    return any(ch in "«»“”„\"" for ch in text) or bool(_quoting_singles(text))


def _family(mark: str) -> str:
    """Quotes of any style are one family: a translation may turn " or ' into « »."""
    if mark in "«»“”„\"'‘’":
        return "quote"
    return CLOSING.get(mark, mark)


# A single quote used as a quotation mark: not between two letters (an apostrophe, "don't",
# "l'homme"), nor after an "s" that ends a word (a possessive, "the dogs' bowls").
_SINGLE_QUOTE = re.compile(r"(?<![\w])['‘’]|['‘’](?![\w])")
_APOSTROPHE_AFTER_S = re.compile(r"(?<=[sS])['’](?![\w])")
# A contraction split from its word by tokenised text ("wouldn 't", "it 's").
_SPLIT_CONTRACTION = re.compile(r"['’](?:t|s|ll|re|ve|d|m)\b", re.I)


def _unmatched(text: str, single_quotes: bool = False) -> list[tuple[int, str]]:
    """Positions of marks without a partner, scanning left to right with a stack.

    ” closes “ or „, and “ closes „ (the German and Romanian way: „ ... “). With
    `single_quotes`, single quotes used as quotation marks ('Well!' thought Alice) are
    counted too, an odd number leaving the last one unmatched: read so in the source only,
    where they tell that a quotation runs on beyond the paragraph (apostrophes make them
    too unsure to flag in a translation).
    """
    stack: list[tuple[int, str]] = []
    out: list[tuple[int, str]] = []
    straight: list[int] = []
    if single_quotes:
        singles = _quoting_singles(text)
        if len(singles) % 2 == 1:
            out.append((singles[-1], "'"))
    for i, ch in enumerate(text):
        if text[max(0, i - 2):i] == MOJIBAKE_LEAD or _letter_byte(text, i):
            continue  # a byte of a dash, a quote or a letter read as CP1252: encoding's to report
        if ch == "“" and stack and stack[-1][1] == "„":
            stack.pop()
        elif ch in PAIRS:
            stack.append((i, ch))
        elif ch in CLOSING:
            openers = ("“", "„") if ch == "”" else (CLOSING[ch],)
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][1] in openers:
                    del stack[k]
                    break
            else:
                out.append((i, ch))
        elif ch == '"':
            straight.append(i)
    out.extend(stack)
    if len(straight) % 2 == 1:
        out.append((straight[-1], '"'))
    return sorted(out)


def _quoting_singles(text: str) -> list[int]:
    """Positions of the single quotes of `text` used as quotation marks: not an apostrophe
    inside a word, after a plural's "s" or of a contraction split from its word."""
    return [m.start() for m in _SINGLE_QUOTE.finditer(text)
            if not _APOSTROPHE_AFTER_S.match(text, m.start()) and not _SPLIT_CONTRACTION.match(text, m.start())]


def _letter_byte(text: str, i: int) -> bool:
    """Whether the mark at `i` is the second byte of a UTF-8 letter read as CP1252: "û" is
    "Ã»", "ë" is "Ã«", "œ" is "Å“". ("Â«" is a « itself, and stays a quote.)"""
    if i == 0 or not "\u00c2" <= text[i - 1] <= "\u00df":
        return False
    try:
        return (text[i - 1] + text[i]).encode("cp1252").decode("utf-8").isalpha()
    except UnicodeError:
        return False


def _unmatched_in(text: str, mark: str) -> bool:
    return any(_family(m) == _family(mark) for _, m in _unmatched(text, single_quotes=True))
