"""`untranslated` and `wrong_language`: the translation, or part of it, in another language."""
from __future__ import annotations

import re
from typing import Optional

from mtcheck.checks import lexicon
from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.encoding import runs_into_mojibake
from mtcheck.checks.text import (LETTER_WORD, blank_addresses, blank_spans, copied_from_source, normalise_line,
                                prose_words, quote, source_glosses, touches_symbol, within, word_spans)
from mtcheck.langid import detect_languages, language_spans
from mtcheck.models import Flag, Pair

# A whole sentence is judged when it has at least this many words: the language model is
# unreliable on fewer ("il a dit" comes out as Latin).
MIN_SENTENCE_WORDS = 4
# Confidence needed to call a whole sentence another language, and the most the expected
# language may keep.
SENTENCE_CONFIDENCE = 0.75
EXPECTED_CEILING = 0.1
# ... or this confidence, when both languages have word lists and the words agree, for the
# model's first choice ("ro" 0.22 before "da" 0.15 for a Romanian sentence) as for a
# runner-up when the words deny the first choice ("en" 0.33, then "ro" 0.25).
WORD_CHECKED_CONFIDENCE = 0.2
# A run of words copied from the source must be this long to count as left untranslated.
MIN_COPIED_WORDS = 3
# A copied line in title case is a headline left untranslated when this many of its words
# (and half of them) are common words of the source language (Zipf frequency at least
# TITLE_WORD_FREQUENCY there and TITLE_WORD_GAP above the target language's): names and
# references have few ("Ritchie and Roser", "van den Berg et al.").
TITLE_WORDS = 4
TITLE_WORD_FREQUENCY = 3.0
TITLE_WORD_GAP = 1.0
# A clause in a third language inside a sentence: the small model confuses close languages
# on a few words, so a span needs more words and more confidence than the source language.
SPAN_CONFIDENCE = 0.9
MIN_SPAN_WORDS = 5
# Copied words that are words of the target language too (at least this frequent there,
# and no less frequent than in the source's by more than the margin) are no text left in
# the source language: "isotopes" 2.9 in French against 3.1 in English, "stable" 4.3 / 4.5.
SHARED_WORD_FREQUENCY = 2.5
SHARED_WORD_MARGIN = 0.5
# A single lower-case word copied from the source is left untranslated when it is a word of
# the source language (at least this frequent there, Zipf scale) and much rarer in the
# target language: loanwords the target uses ("design", "parking", "trading") are as
# frequent in both. Set on WMT19 task 2 train (untranslated words in product descriptions)
# against the clean newstest2014 translations, where such words are the translators' choice.
WORD_MIN_SOURCE_FREQUENCY = 2.5
WORD_MIN_FREQUENCY_GAP = 1.5
WORD_MAX_TARGET_FREQUENCY = 3.5
# A hyphenated compound is rarer than a single word in any list: one the target language
# uses this often is a loanword ("low-cost" 3.4, "best-seller" 3.2 in French).
COMPOUND_MAX_TARGET_FREQUENCY = 3.0
# A glued "screwdriverMagnifying" (a list whose line breaks were lost) splits at the
# lower-to-upper case change.
_CASE_CHANGE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def language_verdict(text: str, tgt_lang: str):
    """(code, confidence) when `text` is confidently not `tgt_lang`, else None."""
    if len(word_spans(text)) < MIN_SENTENCE_WORDS:
        return None
    ranked = detect_languages(text, k=5)
    if not ranked:
        return None
    code, conf = ranked[0]
    expected = next((p for c, p in ranked if c == tgt_lang), 0.0)
    if code == tgt_lang or expected > EXPECTED_CEILING:
        return None
    # the word lists of both languages agreeing with the verdict make up for a lower
    # confidence (Romanian without its diacritics comes out at 0.42)
    # (running text only: a name such as "van den Berg et al." is Dutch to both)
    # (the first word is capitalised by the sentence, not as a name: "Die Mahanoy Area High
    # School verpasste 2012 jede akademische Metrik.")
    letter_words = LETTER_WORD.findall(text)
    running = len([w for k, w in enumerate(letter_words) if k == 0 or w[0].islower()]) >= MIN_SENTENCE_WORDS

    def checked(language: str) -> bool:
        return running and lexicon.has_word_list(language) and lexicon.has_word_list(tgt_lang)

    if not lexicon.plausible_language(text, code, tgt_lang):
        # the small model may put first a language the words deny ("en" at 0.33 for a
        # Romanian sentence, "ro" at 0.25 after it): the runner-up that the word lists of
        # both languages confirm
        return next(((c, p) for c, p in ranked[1:] if c != tgt_lang and p >= WORD_CHECKED_CONFIDENCE
                     and checked(c) and lexicon.plausible_language(text, c, tgt_lang)), None)
    return (code, conf) if conf >= (WORD_CHECKED_CONFIDENCE if checked(code) else SENTENCE_CONFIDENCE) else None


# A year in a citation ("2019;", "2017]", "(2010)", "[2018"): a reference list line.
_CITATION = re.compile(r"\b(?:1[6-9]|20)\d\d[a-z]?\s*[;\])]|[\[(;]\s*(?:1[6-9]|20)\d\d\b")
# Words of a bibliographic reference ("Neuville et al."), not of running text.
_REFERENCE_WORDS = {"et", "al", "etal", "ibid", "op", "cit", "pp", "vol", "eds", "ed"}


def _reads_as_prose(text: str, src_lang: str, tgt_lang: str) -> bool:
    """Whether a line is text in the source language, not a name, a reference or an address
    that is rightly the same in both languages ("Ghislain de Marsily", "2019; Ritchie and
    Roser 2017].", "www.ipcc.ch/report/SR15"). Outside addresses and reference words, at
    least half of its words, and MIN_COPIED_WORDS or more, are lower-case, or TITLE_WORDS or
    more are words of the source language by the word lists (a headline in title case:
    "Obama Ends Spying on IMF and World Bank"), unless it cites a year as references do."""
    found = [w for w in prose_words(text) if w[:1].isalpha() and w.casefold() not in _REFERENCE_WORDS]
    lower = [w for w in found if w[0].islower() and len(w) >= 2]
    if len(lower) >= MIN_COPIED_WORDS and 2 * len(lower) >= len(found):
        return True
    if _CITATION.search(text):
        return False  # "2019; FAO Commission on Genetic Resources ... 2019]."
    source_words = [w for w in found if _source_language_word(w.casefold(), src_lang, tgt_lang)]
    return len(source_words) >= TITLE_WORDS and 2 * len(source_words) >= len(found)


def _source_language_word(word: str, src_lang: str, tgt_lang: str, min_source: float = TITLE_WORD_FREQUENCY,
                          gap: float = TITLE_WORD_GAP, max_target: Optional[float] = None) -> bool:
    """A common word of the source language (Zipf `min_source` or more there), clearly rarer
    in the target's (by `gap`, and at most `max_target` there); when the target language has
    no word list, common in the source language is enough."""
    in_source, in_target = lexicon.zipf(word, src_lang), lexicon.zipf(word, tgt_lang)
    if in_source is None or in_source < min_source:
        return False
    if in_target is None:
        return True
    return in_source - in_target >= gap and (max_target is None or in_target <= max_target)


def _names_only(text: str) -> bool:
    """True when every word is capitalised or a number: a name, a title, a date."""
    spans = word_spans(text)
    return bool(spans) and all(not w.group()[0].islower() for w in spans)


def _sentence_verdicts(pair: Pair, context: CheckContext):
    """Per target sentence (with offsets): the language it is confidently in, if not the target's."""
    from mtcheck.checks.text import segment_offsets

    out = []
    for piece in segment_offsets(pair, "tgt"):
        if _names_only(piece.text):
            continue
        verdict = language_verdict(piece.text, context.tgt_lang)
        if verdict:
            out.append((piece, verdict))
    return out


class UntranslatedCheck(Check):
    """The translation left in the source language, wholly or in part.

    Catches: a target sentence in the source language (language identification, or the
    source copied word for word); a run of three or more words copied from the source
    that reads as the source language, or a clause confidently in the source language
    inside a target-language sentence ("Le ministre a dit que the talks were useful").
    A single lower-case word copied from the source that is a common word of the source
    language and rare in the target's ("le screwdriver", from the word-frequency lists),
    capitalised too where the source writes it in lower case only ("awesome games" /
    "Awesome jeux": the source says it is no name);
    with the untranslated_title_words option, capitalised ones too ("Swiss Army Knife" in
    a product catalogue, where such names are translated).
    Misses: capitalised words left untranslated where the source capitalises them too, by
    default (they cannot be told from names, and copying names is right in news), words
    the target language has borrowed, words the translation spells differently from the
    source, sentences under four words whose language cannot be told reliably.
    May wrongly flag: a term the translation makes a name of, where the source writes it
    in lower case (the held-out half's twenty-first run suggests a few such minor flags).
    Not flagged: source-language text in quotes or brackets (a quotation, a title, a
    gloss: «download report», "(machine learning)", or one part of an aside: "(EBFs,
    enhanced backscattering fibers en anglais)"), words the target language shares ("N₁
    isotopes (stable"), and lines rightly the same in both
    languages (names, references, web and e-mail addresses).
    Severity: critical when the whole sentence is untranslated, major for a part of one,
    minor for single words.
    """

    code = "untranslated"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.tgt or context.src_lang == context.tgt_lang or "und" in (context.src_lang, context.tgt_lang):
            return []
        flags = []
        whole = []
        glosses = source_glosses(pair.src, pair.tgt)
        for piece, (code, conf) in _sentence_verdicts(pair, context):
            # (judged without the source's wording it keeps in quotes or brackets: a
            # reference keeps the title it cites, "⁴Gosset D., «from Chinese Renaissance to
            # community of shared destiny», China Daily 23–24 juin 2018.")
            own = blank_spans(pair.tgt, glosses)[piece.start:piece.end]
            if code == context.src_lang and _reads_as_prose(own, context.src_lang, context.tgt_lang):
                whole.append((piece.start, piece.end))
                flags.append(Flag(
                    self.code, "critical", "tgt", (piece.start, piece.end),
                    f'This sentence is still in {_name(code)}: "{quote(piece.text)}" was not translated.',
                ))
        if not whole and pair.src and normalise_line(pair.src) == normalise_line(pair.tgt) \
                and _reads_as_prose(pair.tgt, context.src_lang, context.tgt_lang):
            whole.append((0, len(pair.tgt)))
            flags.append(Flag(self.code, "critical", "tgt", (0, len(pair.tgt)),
                              "The translation is a copy of the source: it was not translated."))
        for start, end in _partial_spans(pair, context, glosses):
            if within(whole, start, end):
                continue
            flags.append(Flag(
                self.code, "major", "tgt", (start, end),
                f'"{quote(pair.tgt[start:end])}" is left in {_name(context.src_lang)}.',
            ))
            whole.append((start, end))
        copied = _copied_words(pair, context, glosses)
        if context.options.get("untranslated_title_words"):
            copied = copied + _copied_words(pair, context, glosses, capitalised=True)
        language = _name(context.src_lang)
        for start, end in _next_to_each_other(pair.tgt, copied):
            if within(whole, start, end):
                continue
            found = pair.tgt[start:end]
            if " " in found:
                said = f'"{found}" are {language} words copied from the source: translate them, unless they are'
            else:
                said = (f'"{found}" is {_article(context.src_lang)} {language} word copied from the source: '
                        f'translate it, unless it is')
            flags.append(Flag(self.code, "minor", "tgt", (start, end), f"{said} meant to stay in {language}."))
        return flags


def _letter_words(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, word, glued) for each word of letters, glued words split at case
    changes; `glued` when the word follows a lower-case word in the same token.

    A run of letters that touches a symbol ("tÃ©lÃ©phones", UTF-8 read as CP1252) is
    no word of its own and is left out.
    """
    out = []
    for match in LETTER_WORD.finditer(text):
        if touches_symbol(text, match.start(), match.end()):
            continue
        pos = match.start()
        previous = ""
        for part in _CASE_CHANGE.split(match.group()):
            # a capital glued to a lower-case word ("bladeSmall", "screwdriverMagnifying":
            # a list whose line breaks were lost) starts a list item, not a name
            out.append((pos, pos + len(part), part, len(previous) >= 3 and previous[0].islower()))
            pos += len(part)
            previous = part
    return out


def _next_to_each_other(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, those with only spaces between them joined into one ("Swiss Army
    Knife"); pieces of one glued token ("screwdriverMagnifying") stay apart, as list items."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        gap = text[out[-1][1]:start] if out else ""
        if out and gap and not gap.strip():
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _copied_words(pair: Pair, context: CheckContext, glosses: list[tuple[int, int]],
                  capitalised: bool = False) -> list[tuple[int, int]]:
    """Spans of single source-language words copied into the translation, outside the
    `glosses` (source wording kept in quotes or brackets): lower-case words ("le
    screwdriver", and the pieces of a glued "screwdriverMagnifying"), or with `capitalised`
    the capitalised ones ("Knife", "Length": names keep their spelling, but a product
    catalogue translates "Swiss Army Knife"). Acronyms and names the word lists hardly know
    ("Bushnell") are never flagged; lower-case words only when both languages have lists."""
    if not pair.src:
        return []
    if not capitalised and not (lexicon.has_word_list(context.src_lang) and lexicon.has_word_list(context.tgt_lang)):
        return []
    source_words = {w for _, _, w, _ in _letter_words(pair.src)}
    # words the source writes in lower case only: no names, whatever case the translation
    # gives them ("Hand-picked, awesome games" / "Sélectionnés, Awesome jeux")
    capitalised_in_source = {w.casefold() for w in source_words if w[0].isupper()}
    lower_only = {w.casefold() for w in source_words if w[0].islower()} - capitalised_in_source
    if not capitalised:
        source_words = {w.casefold() for w in source_words}
    spans = []
    for start, end, word, glued in _letter_words(pair.tgt):
        if capitalised:
            eligible = word[0].isupper() and not word.isupper() and not glued and word in source_words
        else:
            eligible = (word[0].islower() or glued or not word.isupper() and word.casefold() in lower_only) \
                and word.casefold() in source_words
        if len(word) < 3 or not eligible:
            continue
        # part of an address ("NSA.gov", "@user", "site/page"), or kept in quotes on purpose
        if (start and pair.tgt[start - 1] in "./@") or pair.tgt[end:end + 1] in ("@", "/") \
                or within(glosses, start, end):
            continue
        common = _source_language_word(word.casefold(), context.src_lang, context.tgt_lang) if capitalised \
            else _source_language_word(word.casefold(), context.src_lang, context.tgt_lang, WORD_MIN_SOURCE_FREQUENCY,
                                       WORD_MIN_FREQUENCY_GAP,
                                       COMPOUND_MAX_TARGET_FREQUENCY if "-" in word else WORD_MAX_TARGET_FREQUENCY)
        if common:
            spans.append((start, end))
    return spans


def _partial_spans(pair: Pair, context: CheckContext, glosses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the target left in the source language inside target-language text, outside
    the `glosses`."""
    spans = []
    for start, end in _copied_runs(pair.src, pair.tgt):
        # read without its names: they belong to no language, and a run copied with French
        # street names ("with Rue Beaubien, in the district of Rosemont-La Petite-Patrie")
        # reads as French and English alike (0.34 / 0.33), its own words as English (0.98)
        probs = dict(detect_languages(_without_names(pair.tgt[start:end]), k=5))
        if probs.get(context.src_lang, 0.0) >= 0.5 and probs.get(context.tgt_lang, 0.0) < 0.2:
            spans.append((start, end))
    if pair.tgt:
        for start, end, code, conf in language_spans(pair.tgt, context.tgt_lang):
            if code == context.src_lang and not _names_only(pair.tgt[start:end]) \
                    and lexicon.plausible_language(pair.tgt[start:end], code, context.tgt_lang):
                spans.append((start, end))
    # a quotation, a title or a gloss kept in the original language, in quotes or brackets
    # (what is left beside such a stretch must still be a run of words to count)
    out = []
    for start, end in _merge(spans):
        for a, b in _outside(glosses, start, end):
            if len(word_spans(pair.tgt[a:b])) >= MIN_COPIED_WORDS \
                    and not _words_of_both_languages(pair.tgt[a:b], context.src_lang, context.tgt_lang):
                out.append((a, b))
    return out


def _words_of_both_languages(text: str, src_lang: str, tgt_lang: str) -> bool:
    """Whether every word of three letters or more is about as frequent in the target
    language as in the source's: "N₁ isotopes (stable" or "une distance d" read as French
    too. (Without word lists for both languages nothing is known: False.)"""
    found = [w.group().casefold() for w in word_spans(text) if len(w.group()) >= 3]
    if not found or not (lexicon.has_word_list(src_lang) and lexicon.has_word_list(tgt_lang)):
        return False
    for w in found:
        there, here = lexicon.zipf(w, tgt_lang), lexicon.zipf(w, src_lang)
        if there is None or here is None or there < SHARED_WORD_FREQUENCY or there < here - SHARED_WORD_MARGIN:
            return False
    return True


def _without_names(text: str) -> str:
    """`text` with its words that do not start in lower case (names, numbers) blanked out,
    where at least MIN_COPIED_WORDS words in lower case are left to read; else `text` as it
    is."""
    found = word_spans(text)
    if sum(1 for w in found if w.group()[0].islower()) < MIN_COPIED_WORDS:
        return text
    return blank_spans(text, [w.span() for w in found if not w.group()[0].islower()])


def _mostly_lower_case(text: str) -> bool:
    """Running words, not a name or title copied as is ("News of the World", "Climate
    Outreach and Information Network" have only short lower-case words): two lower-case
    words or more, one of four letters or more, and at least half of the words."""
    found = [w.group() for w in word_spans(blank_addresses(text))]
    lower = [w for w in found if w[0].islower()]
    return len(lower) >= 2 and any(len(w) >= 4 for w in lower) and 2 * len(lower) >= len(found)


def _outside(holes: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of [start, end) outside the `holes`."""
    parts = [(start, end)]
    for h_start, h_end in holes:
        cut = []
        for a, b in parts:
            if h_end <= a or b <= h_start:
                cut.append((a, b))
                continue
            if a < h_start:
                cut.append((a, h_start))
            if h_end < b:
                cut.append((h_end, b))
        parts = cut
    return parts


def _copied_runs(src: str, tgt: str) -> list[tuple[int, int]]:
    """Runs of MIN_COPIED_WORDS+ consecutive target words that appear in the same order in the source.

    At least two of the words must be lower case: copied names ("New York Times") are fine.
    """
    src_words = [w.group().casefold() for w in word_spans(blank_addresses(src))]
    if not src_words:
        return []
    tgt_spans = word_spans(blank_addresses(tgt))
    tgt_words = [w.group().casefold() for w in tgt_spans]
    src_ngrams = {tuple(src_words[i:i + MIN_COPIED_WORDS]) for i in range(len(src_words) - MIN_COPIED_WORDS + 1)}
    runs = []
    i = 0
    while i <= len(tgt_words) - MIN_COPIED_WORDS:
        if tuple(tgt_words[i:i + MIN_COPIED_WORDS]) in src_ngrams:
            j = i + MIN_COPIED_WORDS
            while j < len(tgt_words) and tuple(tgt_words[j - MIN_COPIED_WORDS + 1:j + 1]) in src_ngrams:
                j += 1
            start, end = tgt_spans[i].start(), tgt_spans[j - 1].end()
            if _mostly_lower_case(tgt[start:end]):
                runs.append((start, end))
            i = j
        else:
            i += 1
    return runs


def _merge(spans):
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [tuple(m) for m in merged]


class WrongLanguageCheck(Check):
    """The translation, or a clause of it, in a third language (neither source nor target).

    Catches: a target sentence of four or more words that language identification
    confidently puts in another language than the source's and the target's; a clause
    of five or more words inside a sentence in such a language; a source sentence that is
    not in the source language (sides mixed up in a corpus of pairs).
    Not flagged: third-language text that the source has too (a quotation kept as it is).
    Misses: short sentences, languages close to the target that the small model confuses
    (Catalan for French on a few words is deliberately not flagged: it needs high
    confidence), quotations meant to stay in a third language that the source translates.
    A verdict must also fit the letters (no Russian without Cyrillic) and the words (more frequent in
    that language than in the expected one, by the word lists of lexicon.py); words that
    confirm the verdict make up for a low confidence (Romanian first at 0.22), and when
    they deny the model's first choice, a runner-up that they confirm is taken (Romanian
    read as "en" 0.33, "ro" 0.25).
    Severity: critical for a whole target sentence, major for a clause or a source sentence.
    """

    code = "wrong_language"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.tgt or context.tgt_lang == "und":
            return []
        flags = []
        whole = []
        for piece, (code, conf) in _sentence_verdicts(pair, context):
            if code != context.src_lang:
                whole.append((piece.start, piece.end))
                if _kept_from_source(pair.src, piece.text):
                    continue
                flags.append(Flag(
                    self.code, "critical", "tgt", (piece.start, piece.end),
                    f"This sentence is in {_name(code)}, not {_name(context.tgt_lang)}.",
                ))
        if pair.src and not _names_only(pair.src):
            # a source line in another language (a corpus of pairs with the sides mixed up)
            verdict = language_verdict(pair.src, context.src_lang)
            if verdict:
                flags.append(Flag(
                    self.code, "major", "src", (0, len(pair.src)),
                    f"The source sentence is in {_name(verdict[0])}, not {_name(context.src_lang)}.",
                ))
        for start, end, code, conf in language_spans(pair.tgt, context.tgt_lang):
            if code == context.src_lang or any(s <= start and end <= e for s, e in whole):
                continue
            if conf < SPAN_CONFIDENCE or len(word_spans(pair.tgt[start:end])) < MIN_SPAN_WORDS:
                continue
            if _names_only(pair.tgt[start:end]) \
                    or not lexicon.plausible_language(pair.tgt[start:end], code, context.tgt_lang):
                continue
            # French garbled by mojibake reads as some other language ("vaccin a pu
            # protÃ©ger" as Lojban): the encoding check reports it
            if runs_into_mojibake(pair.tgt, start, end):
                continue
            if _kept_from_source(pair.src, pair.tgt[start:end]):
                continue
            flags.append(Flag(
                self.code, "major", "tgt", (start, end),
                f'"{quote(pair.tgt[start:end])}" is in {_name(code)}, not {_name(context.tgt_lang)}.',
            ))
        return flags


def _kept_from_source(src: str, text: str) -> bool:
    """Whether third-language text is the source's own words (a quotation in Italian that
    the source quotes too: "Ma che sciagura d'essere senza coglioni !"), apostrophes aside:
    a tokenised source writes "d 'essere"."""
    def unglued(t: str) -> str:
        return re.sub(r"\s*['’]\s*", " ", t)

    return bool(src) and copied_from_source(unglued(src), unglued(text))


_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "tr": "Turkish",
    "ar": "Arabic", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "th": "Thai",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "cs": "Czech",
    "ro": "Romanian", "hu": "Hungarian", "el": "Greek", "uk": "Ukrainian", "ca": "Catalan",
    "la": "Latin", "et": "Estonian", "ne": "Nepali", "si": "Sinhala", "bg": "Bulgarian",
}


def _name(code: str) -> str:
    return _NAMES.get(code, code)


def _article(code: str) -> str:
    return "an" if _name(code)[:1] in "AEIOU" else "a"
