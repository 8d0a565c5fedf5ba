"""`punctuation`: unbalanced quotes and brackets, doubled punctuation."""
from __future__ import annotations

import re
from collections import Counter

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.text import segment_offsets
from mtcheck.models import Flag, Pair

PAIRS = {"«": "»", "“": "”", "(": ")", "[": "]"}
CLOSING = {v: k for k, v in PAIRS.items()}
NAMES = {"«": "«", "“": "“", "(": "(", "[": "[", '"': '"'}

# The same mark twice (",," "!!" ";;"), or a full stop doubled but not an ellipsis.
DOUBLED = re.compile(r"([,;:!?])\s*\1|(?<!\.)\.\s*\.(?!\.)|[,;:]\s*\.(?!\.)|\.\s*,")


class PunctuationCheck(Check):
    """Unbalanced « » “ ” " ( ) [ ] and doubled punctuation in the translation.

    Quotes are matched over the whole paragraph, because a quotation often runs over
    several sentences (« ... . ... . ... »): only a mark left open at the end of the
    paragraph, or a closer with no opener, is flagged, on the pair that holds it.
    Straight double quotes are counted: an odd number in a paragraph leaves the last one
    unmatched. Marks unbalanced the same way in the source paragraph are not flagged.
    Doubled punctuation (",," ". ." ";.") is flagged when the source has none.
    Misses: a quote closed in the wrong place, apostrophes used as quotes, paragraphs
    the aligner split across pairs in another order.
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
    # a translation that keeps them is faithful
    src_unmatched: dict[int, Counter] = {}
    for para, segs in src_paragraphs.items():
        text = " ".join(s.text for s in sorted(segs, key=lambda s: s.id))
        src_unmatched[para] = Counter(_family(mark) for _, mark in _unmatched(text))
    result: dict[int, list[tuple[int, str]]] = {}
    for para, segs in tgt_paragraphs.items():
        allowance = Counter()
        for src_para in linked.get(para, ()):
            allowance.update(src_unmatched.get(src_para, Counter()))
        segs = sorted(segs, key=lambda s: s.id)
        text, owners = "", []
        for seg in segs:
            if text:
                text += " "
            owners.append((len(text), seg))
            text += seg.text
        for pos, mark in _unmatched(text):
            family = _family(mark)
            if allowance[family] > 0:
                allowance[family] -= 1
                continue
            start, seg = max((o for o in owners if o[0] <= pos), key=lambda o: o[0])
            result.setdefault(seg.id, []).append((pos - start, mark))
    context.cache["punctuation.unbalanced"] = result
    return result


def _family(mark: str) -> str:
    """Quotes of any style are one family: a translation may turn " into « »."""
    if mark in "«»“”\"":
        return "quote"
    return CLOSING.get(mark, mark)


def _unmatched(text: str) -> list[tuple[int, str]]:
    """Positions of marks without a partner, scanning left to right with a stack."""
    stack: list[tuple[int, str]] = []
    out: list[tuple[int, str]] = []
    straight: list[int] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((i, ch))
        elif ch in CLOSING:
            opener = CLOSING[ch]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][1] == opener:
                    del stack[k]
                    break
            else:
                # “ ” are also used the German way („ ... “): a lone ” after “ is fine
                out.append((i, ch))
        elif ch == '"':
            straight.append(i)
    out.extend(stack)
    if len(straight) % 2 == 1:
        out.append((straight[-1], '"'))
    return sorted(out)


def _unmatched_in(text: str, mark: str) -> bool:
    return any(_family(m) == _family(mark) for _, m in _unmatched(text))
