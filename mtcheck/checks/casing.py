"""`casing`: sentences that start in lower case, and shouting."""
from __future__ import annotations

import re

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.language import language_verdict
from mtcheck.checks.text import LETTER, quote, segment_offsets
from mtcheck.models import Flag, Pair

# A lower-case word after a full stop inside a sentence ("ajouté. il a dit"). Not after "!"
# or "?": an exclamation or a question inside a sentence goes on in lower case in both
# languages ("Oh ! que je voudrais…", "Nous ! dites-vous", "Des vers ? oh ! je puis…").
LOWER_AFTER_STOP = re.compile(r"(?<=[.])[\s\u00a0]+([^\W\d_][\w'’-]*)")
# Words before a full stop that are abbreviations, after which lower case is normal.
ABBREVIATION = re.compile(r"(?:\b\w{1,3}|etc|env|cf|vol|chap|art|p|pp|av|apr|févr|janv|sept|oct|nov|déc|approx)\.$", re.I)
CAPS_WORD = re.compile(r"[^\W\d_]+")


class CasingCheck(Check):
    """A translated sentence that starts in lower case, and text in capitals (shouting).

    Catches: a sentence (or a sentence-like piece after a full stop inside one segment,
    "a-t-il ajouté. il a dit") starting with a lower-case letter while the source
    sentence starts with a capital; four or more words in capitals in a row (two of them
    long) when the source has no such run.
    Not flagged: lower case after "!" or "?" (an exclamation or a question inside a
    sentence, "Oh ! que je voudrais…"); the first word of a sentence in another language
    (wrong_language or untranslated report the sentence: its case says nothing more).
    Misses: wrong capitals inside a sentence (titles, nationality adjectives), casing of
    names; brand names spelled in lower case on purpose ("iPhone", "eBay") are left alone.
    Severity: minor.
    """

    code = "casing"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.tgt or not pair.src:
            return []
        flags = []
        src_starts_upper = _starts_upper(pair.src)
        if src_starts_upper:
            for piece in segment_offsets(pair, "tgt"):
                first = _first_word(piece.text)
                if first and _is_lower_start(first[1]) and not _after_a_quantity(piece.text[:first[0]]) \
                        and not language_verdict(piece.text, context.tgt_lang):
                    start = piece.start + first[0]
                    flags.append(Flag(
                        self.code, "minor", "tgt", (start, start + len(first[1])),
                        f'The sentence starts with "{first[1]}" in lower case; the source sentence starts with a capital.',
                    ))
            for m in LOWER_AFTER_STOP.finditer(pair.tgt):
                word = m.group(1)
                before = pair.tgt[: m.start()].rstrip()
                if not _is_lower_start(word) or ABBREVIATION.search(before):
                    continue
                # only when the source has no lower case after a stop itself (abbreviations)
                if any(_is_lower_start(s.group(1)) for s in LOWER_AFTER_STOP.finditer(pair.src)):
                    continue
                span = (m.start(1), m.end(1))
                if any(f.span == span for f in flags):
                    continue
                flags.append(Flag(
                    self.code, "minor", "tgt", span,
                    f'"{word}" starts a new sentence after a full stop but is in lower case.',
                ))
        shout = _shouting_run(pair.tgt)
        if shout and not _shouting_run(pair.src):
            flags.append(Flag(
                self.code, "minor", "tgt", shout,
                f'"{quote(pair.tgt[shout[0]:shout[1]], 40)}" is in capitals while the source is not.',
            ))
        return flags


def _first_word(text: str):
    m = re.search(r"[^\W\d_][\w'’-]*", text)
    if not m:
        return None
    # a sentence starting with a bullet, a list number or a quote mark then a word still counts
    return (m.start(), m.group())


def _after_a_quantity(lead: str) -> bool:
    """Whether the text before a sentence's first word is a number that the word goes with
    ("2 600 opérations"), not a list number ("1. le", "2) la")."""
    lead = lead.strip()
    return any(c.isdigit() for c in lead) and not lead.endswith((".", ")"))


def _is_lower_start(word: str) -> bool:
    if not word or not word[0].islower():
        return False
    # iPhone, eBay, pH: a deliberate lower-case start with a capital inside
    return not any(c.isupper() for c in word[1:])


def _starts_upper(text: str) -> bool:
    m = LETTER.search(text)
    return bool(m) and m.group().isupper()


def _shouting_run(text: str):
    """The span of the first run of four or more words in capitals (two of them long), or None."""
    run: list[re.Match] = []
    for m in list(CAPS_WORD.finditer(text)) + [None]:
        if m is not None and m.group().isupper():
            run.append(m)  # a single capital ("C'ÉTAIT", "L'OTAN") continues the run
            continue
        long_words = sum(1 for w in run if len(w.group()) >= 4)
        if sum(1 for w in run if len(w.group()) >= 2) >= 4 and long_words >= 2:
            return (run[0].start(), run[-1].end())
        run = []
    return None
