"""`duplication`: content the translation says twice."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from mtcheck.checks import lexicon
from mtcheck.checks.base import Check, CheckContext, computed_once
from mtcheck.checks.comparable import in_other_language
from mtcheck.checks.coverage import similarity_matrix, vectors_for, window_pairs, word_windows
from mtcheck.checks.encoding import runs_into_mojibake
from mtcheck.checks.text import (
    CLOSERS, FINAL_PUNCT, QUOTE_MARKS, Piece, clauses, copied_from_source, multiset_overlap, normalise_line, quote,
    segment_offsets, word_spans, words,
)
from mtcheck.models import Flag, Pair

# Doubled words that are grammatical ("nous nous sommes", "vous vous êtes").
GRAMMATICAL_DOUBLES = {"nous", "vous", "ha", "bye", "très", "so", "very", "no", "non", "si"}
# "de plus en plus en", "peu à peu à", "more and more and": one of these words doubled around
# a link word (an idiom) with the link word again after it read as "plus en" twice, but say
# nothing twice ("mais en mais en" does).
REDUPLICATION_LINKS = {"en", "à", "par", "pour", "après", "sur", "and", "by", "to", "after", "upon"}
REDUPLICATED = {"plus", "moins", "mieux", "peu", "petit", "pas", "mot", "face", "côte", "bout", "jour",
                "heure", "un", "une", "coup", "more", "less", "day", "step", "one", "side", "bit",
                "little", "time", "year", "hand", "back", "over", "again", "round", "through"}

# Sub-sentence coverage: a target clause is a second translation of a source clause when
# it matches that clause at least SECOND_MATCH while another target clause matches it
# better, and joining the two does not match the source clause any better than the first
# alone (a clause split in two would).
SECOND_MATCH = 0.35
FIRST_MATCH = 0.5
JOIN_GAIN = 0.02
# Dropping the clause must not make the pair's translation match its source less well
# (by more than this): a clause that carries meaning of its own is not a second copy.
KEEP_LOSS = 0.0
# The first translation matches the source clause clearly better than the second.
FIRST_MARGIN = 0.15
# The first translation sits at most this many clauses before or after the second (a
# short sentence of its own may repeat any earlier clause of its pair).
NEAR_CLAUSES = 3
# A target clause that matches a source clause this well, while no other target clause
# translates that source clause, is its translation (free but faithful), not a repeat.
FREE_MATCH = 0.25
# A short sentence (a stray "Il a dit") that matches no whole source clause repeats part of
# one when it matches a two-word stretch of it this well (true word pairs ~0.5-0.7,
# unrelated ones under 0.35).
PART_MATCH = 0.45
# A reporting clause with the subject after the verb ("a-t-il ajouté", "dit-elle") is a
# second attribution when it matches no source clause this well (such clauses that render
# the source's "he said" score 0.4 to 0.9; an added "a-t-il ajouté" under 0.3), or only ones
# that an earlier clause renders better, while every source clause has another target clause
# matching it at least ATTRIBUTION_COVERED. On the 56 such clauses of the clean newstest2014
# translations: none.
INVERTED_REPORTING = {
    "fr": re.compile(r"^(?:\w+-t-(?:il|elle|ils|elles|on)(?:\s+\w+)?|\w+-(?:il|elle|ils|elles))$", re.IGNORECASE),
}
ATTRIBUTION_TRANSLATES = 0.35
ATTRIBUTION_COVERED = 0.5
# A stretch of merged source clauses renders one of them only if it matches the target
# clause this much better than its other clauses alone do.
MERGE_GAIN = 0.05
# How much more frequent (Zipf) in the source language than in the target's a copied word
# must be to be source wording rather than a name.
GLOSS_WORD_MARGIN = 1.0
# A part of a source clause holds a word of PART_WORD_LETTERS letters or more that is not
# among the GRAMMAR_WORDS most common of the source language (English: "this", "that",
# "with", "from"; "said" is the 99th); a text of PART_WORD_TEXT words or fewer may match
# one such word alone.
PART_WORD_LETTERS = 4
PART_WORD_TEXT = 3
GRAMMAR_WORDS = 50
# A sentence of its own this short ("Il a dit." after "..., a déclaré X lors d'une
# conférence de presse.") may repeat part of a clause; it is also compared with the
# neighbouring pairs, since the aligner puts such a stray sentence with either side.
SHORT_SENTENCE_WORDS = 5
# A clause inside a sentence repeats its twin only if it says much the same (paraphrases
# of one clause score 0.6-0.9; clauses that split one source clause between them 0.0-0.4).
TWIN_MATCH = 0.6
# Twins this close need not differ in how well they match the source clause (FIRST_MARGIN):
# the later may even match it better by up to LATER_MARGIN (so may a short sentence after
# its first translation), and the translation may match its source a little less well
# without it (CLOSE_KEEP_LOSS: "président de BITMi, chef de BITMi" loses 0.008).
CLOSE_TWINS = 0.65
CLOSE_TWIN_WORDS = 3
LATER_MARGIN = 0.1
CLOSE_KEEP_LOSS = 0.02
# Two source clauses this similar are the source saying something twice itself.
SOURCE_REPEAT = 0.7
# Adjacent target clauses this similar (vectors or shared words) say the same thing twice.
NEAR_DUPLICATE = 0.8
# From this close, they do when their own words render the same source words and the
# second adds nothing to how well the pair matches (synonyms swapped in: 0.7 to 0.8).
NEAR_DUPLICATE_REDUNDANT = 0.7
# Cross-lingual similarity of two single words above which one translates the other
# (gazeux/gaseous, consomment/consume): look-alike clauses whose own words render two
# different source words are a list, not a repeat.
ITEM_TRANSLATED = 0.5
ITEM_MARGIN = 0.1
ITEM_SYNONYM = 0.5


class DuplicationCheck(Check):
    """Content said twice in the translation.

    Catches:
    - repeated words and phrases, verbatim and adjacent ("de la de la"), unless the source
      repeats them too (adjacent, or apart where the translation's word order brought them
      together: "Kettler Bell Red Metal Bell" / "Kettler Bell Bell métal rouge"), the double
      is grammatical ("nous nous"), or a one-letter word changes case ("H x l x L");
    - a sentence that repeats an earlier sentence of the translation (a repeated title)
      while the source does not repeat it;
    - two adjacent clauses that say the same thing in other words (shared words or very
      close clause vectors) where the source has one; a little less close, where the words
      each has and the other lacks render the same source words and the translation
      matches its source as well without the second ("il a fait un merveilleux travail, il
      a réalisé un merveilleux emploi");
    - a source clause translated twice in other words ("a-t-il ajouté. il a dit" for one
      "he added"), found by sub-sentence coverage within the pair: the later clause's best
      source clause (or, for a short sentence of its own, the source clause holding the
      words it matches best) is already translated by another clause of the pair, adding
      it covers nothing more, and a clause inside a sentence also says what that other
      clause says;
    - a short stray sentence ("Il a dit.") whose first translation the aligner left in the
      neighbouring pair, or alone in a pair of its own;
    - a second reporting clause in the inverted form ("…, a déclaré la FAA, a-t-il
      ajouté.", "…», a-t-elle expliqué, a-t-elle ajouté."): it renders no source clause
      that an earlier clause does not render better, while the rest of the pair renders every
      source clause (French only: the form is a grammatical one, not a list of verbs).
    Not flagged: a clause that translates a source clause nothing else translates, however
    freely ("It's relaxed, it's cool" / "C'est bon enfant, c'est cool"), and a clause that
    carries part of a source clause split in two ("à terme", "pour leurs proches"); a
    clause beside its own negation ("s'il la trouve ; s'il ne la trouve pas", "mais qu'il le
    soit, ou qu'il ne le soit pas"); alike clauses where the source has alike clauses too,
    its quotation marks aside, or says a short clause twice word for word ("A Jesuit! a
    Jesuit!"); the
    "Â" that mojibake writes before no-break spaces (`encoding`); clauses of a translation
    in a third language, which are compared for verbatim repeats only (`wrong_language`).
    Misses: a repetition far apart within a long paragraph, a second translation that
    also drifts in meaning (that looks like an addition), a paraphrased clause inside a
    sentence that shares little wording with its twin, repeated single words that are
    grammatical in the target language but not in our list.
    Severity: major, except one repeated word (minor).
    """

    code = "duplication"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        return duplication_flags(pair, context)

    def _run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.tgt:
            return []
        flags: list[Flag] = []
        flags += self._repeated_lines(pair, context)
        flags += self._repeated_words(pair)
        # Clause vectors of a translation in a third language (Romanian for French) say
        # little about which source clause each part renders: its clauses look like
        # repeats of each other. `wrong_language` reports such a line.
        if in_other_language(pair, context):
            return flags
        flags += self._near_duplicate_clauses(pair, context, flags)
        flags += self._second_translations(pair, context, flags)
        flags += self._second_attributions(pair, context, flags)
        return flags

    # -- a line repeated ------------------------------------------------------------------
    def _repeated_lines(self, pair: Pair, context: CheckContext) -> list[Flag]:
        repeats = repeated_target_lines(context)
        flags = []
        for piece, seg in zip(segment_offsets(pair, "tgt"), pair.tgt_segments or ()):
            earlier = repeats.get(seg.id)
            if earlier is None:
                continue
            flags.append(Flag(
                self.code, "major", "tgt", (piece.start, piece.end),
                f'This sentence repeats sentence {earlier + 1} ("{quote(piece.text)}"): the source says it once.',
            ))
        return flags

    # -- verbatim repeats -----------------------------------------------------------------
    def _repeated_words(self, pair: Pair) -> list[Flag]:
        src_repeats = {tuple(r[2]) for r in adjacent_repeats(pair.src)} if pair.src else set()
        src_tokens: list[str] = []  # read only where the translation repeats words
        flags = []
        for start, end, chunk in adjacent_repeats(pair.tgt):
            # words the source has twice too, apart, that the translation's word order
            # brought together ("Kettler Bell Red Metal Bell" / "Kettler Bell Bell métal rouge")
            if pair.src and not src_tokens:
                src_tokens = [w.casefold() for w in words(pair.src)]
            if _occurrences(src_tokens, chunk) >= 2:
                continue
            # "Â" before each no-break space of UTF-8 read as CP1252 ("invisible.Â Â»") is
            # the same letter twice, no word: `encoding` reports it
            if runs_into_mojibake(pair.tgt, start, end):
                continue
            if tuple(chunk) in src_repeats or (len(chunk) == 1 and chunk[0] in GRAMMATICAL_DOUBLES):
                continue
            if src_repeats and len(chunk) == 1:
                continue
            if len(chunk) == 2 and chunk[1] in REDUPLICATION_LINKS and chunk[0] in REDUPLICATED:
                continue
            text = pair.tgt[start:end]
            flags.append(Flag(
                self.code, "minor" if len(chunk) == 1 else "major", "tgt", (start, end),
                f'"{text}" is repeated: the words appear twice in a row.',
            ))
        return flags

    # -- the same clause twice in other words, side by side -------------------------------
    def _near_duplicate_clauses(self, pair: Pair, context: CheckContext, already) -> list[Flag]:
        tgt_clauses = [c for c in clauses(pair.tgt) if len(words(c.text)) >= 3]
        if len(tgt_clauses) < 2:
            return []
        texts = [c.text for c in tgt_clauses]
        matrix = similarity_matrix(context, texts, texts)
        flags = []
        src_best = None  # read only for look-alike clauses: it encodes clauses of its own
        for k in range(1, len(tgt_clauses)):
            a, b = tgt_clauses[k - 1], tgt_clauses[k]
            score = word_overlap(a.text, b.text)
            if matrix is not None:
                score = max(score, float(matrix[k - 1, k]))
            # (a little less alike, the second says the same when its own words render the
            # source words that the first's render, and the translation matches its source
            # as well without it: "il a fait un merveilleux travail, il a réalisé un
            # merveilleux emploi", 0.79; "ni des Abares, ni des Juifs" lists two peoples)
            if score < NEAR_DUPLICATE and not (
                    score >= NEAR_DUPLICATE_REDUNDANT and pair.src
                    and _renders_the_same_source_words(context, pair.src, a.text, b.text)
                    and _redundant_in_pair(context, pair, b)):
                continue
            if src_best is None:
                # the source's own clauses, quotes blanked: "sometimes a "contextualised"
                # international law, sometimes an "internationalised" national law" says two
                # alike things too
                src_clauses = [c.text for c in clauses(QUOTE_MARKS.sub(" ", pair.src))
                               if len(words(c.text)) >= 3] if pair.src else []
                src_best = _max_adjacent_similarity(context, src_clauses)
            if src_best >= score - 0.1 or _source_repeats_itself(pair.src):
                continue
            if _overlaps(already, b) or _source_gloss(context, pair.src, a.text) \
                    or _source_gloss(context, pair.src, b.text):
                continue
            if pair.src and _parallel_items(context, pair.src, a.text, b.text):
                continue
            if _negation_of(a.text, b.text):
                continue  # a thing and its opposite ("s'il la trouve ; s'il ne la trouve pas")
            flags.append(Flag(
                self.code, "major", "tgt", (b.start, b.end),
                f'The clause "{quote(b.text)}" repeats "{quote(a.text)}" in other words: the source says it once.',
            ))
        return flags

    # -- a source clause translated twice (sub-sentence coverage) -------------------------
    def _second_translations(self, pair: Pair, context: CheckContext, already) -> list[Flag]:
        own_all = clauses(pair.tgt)
        if not any(len(words(c.text)) >= 2 for c in own_all):
            return []
        # A repeat is within what the source says once: a clause is compared with this
        # pair's own clauses only (a clause of the next sentence that happens to match
        # says nothing about this one). A short sentence at the edge of the pair (or a
        # pair with no source) may sit next to its first translation in the neighbouring
        # pair: the aligner puts a stray "Il a dit." with either sentence.
        own = _own_clause_tables(context, pair)
        window: list = []  # built once, when a piece needs it
        flags = []
        for local, piece in enumerate(own_all):
            if len(words(piece.text)) < 2 or _overlaps(already, piece):
                continue
            short = _is_short_sentence(pair.tgt, piece)
            at_edge = local == 0 or local == len(own_all) - 1
            if not pair.src:
                choices = ["window"]
            else:
                choices = ["own", "window"] if short and at_edge else ["own"]
            found = tables = None
            for choice in choices:
                if choice == "window" and not window:
                    window.append(_ClauseTables.build(context, window_pairs(context), pair))
                tables = own if choice == "own" else window[0]
                if tables is not None:
                    found = self._first_translation(context, pair, piece, tables.offset + local, tables.cross,
                                                    tables.src_self, tables.tgt_clauses, tables.src_clauses, short,
                                                    whole_pair=choice == "own")
                if found is not None:
                    break
            if found is None:
                continue
            k, other = found
            if _source_gloss(context, pair.src, piece.text) \
                    or _source_gloss(context, pair.src, tables.tgt_clauses[other]):
                continue
            if _negation_of(piece.text, tables.tgt_clauses[other]):
                continue  # a thing and its opposite
            flags.append(Flag(
                self.code, "major", "tgt", (piece.start, piece.end),
                f'The clause "{quote(piece.text)}" repeats "{quote(tables.tgt_clauses[other])}": the source says '
                f'it once ("{quote(tables.src_clauses[k])}").',
            ))
        return flags

    def _second_attributions(self, pair: Pair, context: CheckContext, already) -> list[Flag]:
        """A reporting clause in the inverted form ("…, a-t-il ajouté.") that translates
        nothing in the source that an earlier clause does not render better, while the rest of
        the translation renders every source clause:
        the words are attributed a second time. A reporting clause of the translation is
        compared with the source by its vector like any clause; the inverted form only says
        that it is one (a translator's "a-t-il ajouté" for "he said" renders the source's
        "he said", which nothing else renders)."""
        pattern = INVERTED_REPORTING.get(context.tgt_lang)
        if pattern is None or not pair.src:
            return []
        own = clauses(pair.tgt)
        candidates = [row for row, piece in enumerate(own)
                      if pattern.match(piece.text) and not _overlaps(already, piece)]
        tables = _own_clause_tables(context, pair) if candidates else None
        if tables is None:
            return []
        cross = tables.cross
        # every source clause of two words or more ("he said"; a one-word list item such as
        # "e-readers" matches poorly wherever it is) must have its rendering elsewhere
        wanted = [k for k, text in enumerate(tables.src_clauses) if len(words(text)) >= 2]
        flags = []
        for row in candidates:
            piece = own[row]
            others = [j for j in range(len(tables.tgt_clauses)) if j != row]
            # what it renders of the source, an earlier clause renders better ("…», a-t-elle
            # expliqué, a-t-elle ajouté." for "…," she said.: 0.59 and 0.40)
            earlier = [j for j in others if j < row]
            rendered = [k for k in range(cross.shape[1]) if float(cross[row, k]) >= ATTRIBUTION_TRANSLATES]
            if any(not earlier or float(cross[earlier, k].max()) < max(ATTRIBUTION_COVERED, float(cross[row, k]))
                   for k in rendered):
                continue
            if not others or not wanted or not all(
                    _rendered_by_others(context, cross, tables.src_clauses, tables.tgt_clauses, k, others,
                                       ATTRIBUTION_COVERED) for k in wanted):
                continue
            flags.append(Flag(
                self.code, "major", "tgt", (piece.start, piece.end),
                f'The reporting clause "{quote(piece.text)}" attributes the words a second time: it translates '
                f'nothing in the source, and the rest of the sentence renders all of it.',
            ))
        return flags

    @staticmethod
    def _first_translation(context, pair, piece, row, cross, src_self, tgt_clauses, src_clauses, short_sentence,
                           whole_pair=False):
        """(source clause, other target clause) when `piece` translates a source clause that
        another target clause close by already translates better, or None.

        The likeliest source clauses are tried in turn: a short reporting clause ("Il a
        dit") may match a neighbouring "He said the..." a little better than its own. A
        short sentence of its own that matches no whole source clause may still repeat part
        of one (a second "Il a dit." after "a déclaré X lors d'une conférence de presse."):
        the part of the source it matches best decides its clause. A clause inside a
        sentence must also say what its twin says (TWIN_MATCH): one that matches a
        stretch of a source clause is how translators split and reorder ("à terme",
        "pour leurs proches"), and clause vectors alone cannot tell the two apart.
        """
        order = [int(k) for k in cross[row].argsort()[::-1][:3]]
        candidates = [(k, float(cross[row, k])) for k in order if float(cross[row, k]) >= SECOND_MATCH]
        if not candidates and short_sentence:
            candidates = [(k, float(cross[row, k])) for k in _source_parts(context, piece.text, src_clauses)]
        usable = [len(words(t)) >= 2 for t in tgt_clauses]
        for k, sigma in candidates:
            column = cross[:, k].copy()
            column[row] = -1.0
            for j, ok in enumerate(usable):
                if not ok:
                    column[j] = -1.0  # a one-word scrap between quotes is no translation of a clause
            other = int(column.argmax())
            sigma_other = float(column[other])
            # the other clause translates this source clause well and sits close by
            if sigma_other < FIRST_MATCH:
                continue
            # a stray sentence repeats what came before it; within its own pair, however long
            # the quotation in between ('Prof X said: "…, …, …." He said.')
            if short_sentence and pair.src and other > row:
                continue
            if abs(other - row) > NEAR_CLAUSES and not (short_sentence and whole_pair):
                continue
            twin = None
            if not short_sentence:
                twins = similarity_matrix(context, [piece.text], [tgt_clauses[other]])
                if twins is None or float(twins[0, 0]) < TWIN_MATCH:
                    continue
                twin = float(twins[0, 0])
            # ... clearly better than this one, unless the two clauses are close paraphrases
            # of each other ("la plus importante au monde" / "la plus majeure au planète" both
            # render "the largest in the world", about as well) and more than a list item of
            # two words ("les quadrupèdes, les quadrumanes"), or this one is a short sentence
            # after it ("…, a-t-il déclaré. Il a dit."): the repeat is then the later of the
            # two, even when it matches the source a little better ("a expliqué Joseph
            # Hanlon, a précisé Joseph Hanlon")
            close = twin is not None and twin >= CLOSE_TWINS and len(words(piece.text)) >= CLOSE_TWIN_WORDS \
                and other < row
            later = close or (short_sentence and other < row)
            if sigma_other < sigma + (-LATER_MARGIN if later else FIRST_MARGIN):
                continue
            # this clause is not the best translation of another source clause
            if any(int(cross[:, j].argmax()) == row and cross[row, j] >= FIRST_MATCH
                   for j in range(cross.shape[1]) if j != k):
                return None
            # nor the only translation of one that nothing else translates ("It's relaxed,
            # it's cool" / "C'est bon enfant, c'est cool")
            if _translates_a_free_clause(cross, row, k, src_clauses):
                return None
            # this clause renders no other source clause in part: "mises au point par Biot"
            # is half of "developed by Biot on the basis of…", split in two by the translator
            elsewhere = any(float(cross[row, j]) >= SECOND_MATCH for j in range(cross.shape[1]) if j != k)
            # where this clause renders the source clause about as well as the other or
            # better, that is a must, and the other must be free to be its first
            # translation: one that is the best rendering of another source clause
            # translates that one ("c'est-à-dire que la part du budget…" beside "elle touche
            # donc…"). Else this clause is a rendering of its own, no repeat of anything.
            if sigma_other < sigma + FIRST_MARGIN and (elsewhere or any(
                    int(cross[:, j].argmax()) == other and cross[other, j] >= FIRST_MATCH
                    for j in range(cross.shape[1]) if j != k)):
                return None
            # the source does not say it twice itself
            if any(src_self[k, j] >= SOURCE_REPEAT for j in range(len(src_clauses)) if j != k):
                continue
            first, second = tgt_clauses[other], piece.text
            joined = vectors_for(context, [f"{first} {second}"] if other < row else [f"{second} {first}"])
            src_vec = vectors_for(context, [src_clauses[k]])
            if joined is None or src_vec is None:
                return None
            # (a stray sentence of a few words is no half of a split clause: "a ajouté M.
            # Edis. Il a dit." matches "Mr Edis said" better joined, by the word "said")
            stray = short_sentence and len(words(piece.text)) <= PART_WORD_TEXT
            if float(joined[0] @ src_vec[0]) - sigma_other > JOIN_GAIN and not stray:
                continue
            keep_loss = CLOSE_KEEP_LOSS if close and not elsewhere else KEEP_LOSS
            if pair.src and not _redundant_in_pair(context, pair, piece, keep_loss):
                return None
            return k, other
        return None


def duplication_flags(pair: Pair, context: CheckContext) -> list[Flag]:
    """The duplication check's flags on this pair, computed once per pair: addition asks too
    (what is said twice is duplication, not an addition)."""
    return computed_once(context, "duplication.flags", pair, lambda: DuplicationCheck()._run(pair, context))


@dataclass
class _ClauseTables:
    """The clauses of some pairs and their similarities: target x source, source x source.

    `offset` is where the checked pair's first clause sits among `tgt_clauses`.
    """

    src_clauses: list[str]
    tgt_clauses: list[str]
    offset: int
    cross: object
    src_self: object

    @classmethod
    def build(cls, context: CheckContext, pairs: list[Pair], pair: Pair) -> Optional["_ClauseTables"]:
        src_clauses = [c.text for p in pairs if p.src for c in clauses(p.src)]
        tgt_clauses = [c.text for p in pairs if p.tgt for c in clauses(p.tgt)]
        if not src_clauses or len(tgt_clauses) < 2:
            return None
        offset = 0
        for p in pairs:
            if p is pair:
                break
            if p.tgt:
                offset += len(clauses(p.tgt))
        cross = similarity_matrix(context, tgt_clauses, src_clauses)
        src_self = similarity_matrix(context, src_clauses, src_clauses)
        if cross is None or src_self is None:
            return None
        return cls(src_clauses, tgt_clauses, offset, cross, src_self)


def _own_clause_tables(context: CheckContext, pair: Pair) -> Optional[_ClauseTables]:
    """The clause tables of the pair alone (None without a source), built once per pair:
    the second-translation and second-attribution tests both read them."""
    key = ("duplication.own_tables", context.index)
    cached = context.cache.get(key)
    if cached is None or cached[0] is not pair:
        tables = _ClauseTables.build(context, [pair], pair) if pair.src else None
        cached = context.cache[key] = (pair, tables)
    return cached[1]


def _words_of_their_own(a: str, b: str) -> tuple[list[str], list[str]]:
    """The words (four letters or more, folded to lower case) that clause `a` has and `b`
    lacks, and those `b` has and `a` lacks: what tells two look-alike clauses apart."""
    a_words, b_words = set(words(a.casefold())), set(words(b.casefold()))
    return (sorted(w for w in a_words - b_words if len(w) >= 4),
            sorted(w for w in b_words - a_words if len(w) >= 4))


def _parallel_items(context: CheckContext, src: str, a: str, b: str) -> bool:
    """Whether two look-alike clauses are items the source lists too ("ni à l'état gazeux,
    ni à l'état liquide" for "neither in the gaseous state nor in the liquid state"): the
    words only one of them has render two different source words."""
    a_only, b_only = _words_of_their_own(a, b)
    source = sorted({w for w in words(src.casefold()) if len(w) >= 4})
    if not a_only or not b_only or len(source) < 2:
        return False
    matrix = similarity_matrix(context, a_only + b_only, source)
    if matrix is None:
        return False
    # words swapped for synonyms (enfants / jeunes 0.64, grand / vaste 0.51) make a repeat;
    # items of a list differ more (gazeux / liquide 0.40, produisent / consomment 0.47)
    between = similarity_matrix(context, a_only, b_only)
    if between is not None and float(between.max(axis=1).min()) >= ITEM_SYNONYM:
        return False
    # every word of either that the other lacks renders some source word ("mais" and
    # "cependant" render "but", too short to count, and fail)
    if matrix.max(axis=1).min() < ITEM_TRANSLATED:
        return False
    a_best = matrix[:len(a_only)].max(axis=0)
    b_best = matrix[len(a_only):].max(axis=0)
    a_word, b_word = int(a_best.argmax()), int(b_best.argmax())
    # each renders its own source word, which the other clause's words do not render
    return (a_word != b_word and a_best[a_word] - b_best[a_word] >= ITEM_MARGIN
            and b_best[b_word] - a_best[b_word] >= ITEM_MARGIN)


def _renders_the_same_source_words(context: CheckContext, src: str, a: str, b: str) -> bool:
    """Whether the words that clause `b` has and clause `a` lacks render the very source
    words that the words `a` has and `b` lacks render ("réalisé un merveilleux emploi" for
    "fait un merveilleux travail": did, job), or `b` has no word of its own; each word
    counts for the source word it is closest to. Items of a list render a source word
    each ("ni des Abares, ni des Juifs": Abares, Jews)."""
    a_only, b_only = _words_of_their_own(a, b)
    if not b_only:
        return True
    # ("job": a short source word may be the one rendered)
    source = sorted({w for w in words(src.casefold()) if len(w) >= 3})
    if not a_only or not source:
        return False
    matrix = similarity_matrix(context, a_only + b_only, source)
    if matrix is None:
        return False
    rendered = matrix.argmax(axis=1)
    return set(rendered[len(a_only):].tolist()) == set(rendered[:len(a_only)].tolist())


# Words that turn a clause into its opposite: two clauses that differ by these words alone
# say two things, not one thing twice.
_NEGATIONS = {"ne", "pas", "jamais", "not", "never"}
# A word that links a clause to the one before says nothing of its own: "mais qu'il le soit,
# ou qu'il ne le soit pas" is still a thing and its opposite.
_LINK_WORDS = {"et", "ou", "mais", "ni", "and", "or", "but", "nor"}


def _negation_of(a: str, b: str) -> bool:
    """Whether one clause is the other negated ("s'il la trouve" / "s'il ne la trouve pas")."""
    def tokens(text: str) -> Counter:
        out: list[str] = []
        for w in words(text.casefold().replace("’", "'")):
            if w.startswith("n'"):
                out += ["ne", w[2:]]
            elif w.endswith("n't"):
                out += [w[:-3], "not"]
            else:
                out.append(w)
        if out and out[0] in _LINK_WORDS:
            out = out[1:]
        return Counter(out)

    ta, tb = tokens(a), tokens(b)
    differ = (ta - tb) + (tb - ta)
    return bool(differ) and set(differ) <= _NEGATIONS


def _source_repeats_itself(src: str) -> bool:
    """Whether the source says one short clause twice, word for word ("A Jesuit! a Jesuit!"):
    a translation that repeats a clause there renders the repetition (such two-word clauses
    are too short for the clause vectors that compare longer ones)."""
    parts = [tuple(w.casefold() for w in words(c.text)) for c in clauses(QUOTE_MARKS.sub(" ", src))]
    parts = [p for p in parts if len(p) >= 2]
    return any(a == b for a, b in zip(parts, parts[1:]))


def _source_gloss(context: CheckContext, src: str, clause: str) -> bool:
    """A clause made of the source's own words is the source term kept beside its
    translation ("l'apprentissage automatique («machine learning»)", "le VAD (Vapor Axial
    Deposition, dépôt axial en phase vapeur)"), not a second one. Names copied into a
    translation ("a déclaré Vanessa de Sousa") are no source wording: two of the copied
    words must be more frequent in the source language than in the target's, when the word
    lists know both."""
    source_words = {w.casefold() for w in words(src)}
    if len(words(clause)) < 2 or not copied_from_source(src, clause, source_words):
        return False
    copied = {w.casefold() for w in words(clause)} & source_words
    known = [(w, lexicon.zipf(w, context.src_lang), lexicon.zipf(w, context.tgt_lang)) for w in copied]
    if any(a is None or b is None for _, a, b in known):
        return True
    # ... and one of them clearly so, a word of three letters or more: names are about as
    # frequent in both lists ("Thomson Reuters" +0.4, "Joseph Hanlon" +0.0 and +0.4), source
    # words much more ("learning" +1.6, "deposition" +1.8)
    return sum(a > b for _, a, b in known) >= 2 and any(
        a - b >= GLOSS_WORD_MARGIN and len(w) >= 3 for w, a, b in known)


def _is_short_sentence(text: str, piece: Piece) -> bool:
    """Whether `piece` is a whole sentence of at most SHORT_SENTENCE_WORDS words: nothing
    but a sentence end before it and nothing but final punctuation after it (up to the
    next sentence)."""
    if len(words(piece.text)) > SHORT_SENTENCE_WORDS:
        return False
    before = text[:piece.start].rstrip().rstrip(CLOSERS).rstrip()  # "… novembre. » Il a dit."
    after = text[piece.end:].lstrip()
    starts = not before or before[-1] in FINAL_PUNCT
    ends = not after or after[0] in FINAL_PUNCT
    return starts and ends


def _translates_a_free_clause(cross, row: int, k: int, src_clauses: list[str]) -> bool:
    """Whether target clause `row` matches a source clause other than `k` (at least
    FREE_MATCH) that no other target clause translates well (FIRST_MATCH). (Not merged
    with its neighbours as `_rendered_by_others` does: a stretch of source clauses merged
    matches some clause of a long sentence well by the neighbours' words alone.)"""
    for j in range(cross.shape[1]):
        if j == k or len(words(src_clauses[j])) < 2:
            continue
        column = cross[:, j].copy()
        mine = float(column[row])
        column[row] = -1.0
        if mine >= FREE_MATCH and float(column.max()) < FIRST_MATCH:
            return True
    return False


def _rendered_by_others(context: CheckContext, cross, src_clauses: list[str], tgt_clauses: list[str], j: int,
                       rows: list[int], threshold: float) -> bool:
    """Whether one of the target clauses `rows` renders source clause `j` (at least
    `threshold`), alone or merged with one or two source clauses next to it: translators
    merge clauses ("a dit le nouveau directeur général Ross McEwan à la presse" for "new
    director general, Ross McEwan, said to the press"). The merged stretch must match that target
    clause better than its other clauses do alone (by MERGE_GAIN): else the neighbour alone
    makes the match (a long quotation beside "he said")."""
    if not rows:
        return False
    if float(cross[rows, j].max()) >= threshold:
        return True
    n = len(src_clauses)
    spans = [(a, b) for a, b in ((j - 1, j), (j, j + 1), (j - 2, j), (j, j + 2), (j - 1, j + 1))
             if a >= 0 and b < n]
    if not spans:
        return False
    joined = [" ".join(src_clauses[a:b + 1]) for a, b in spans]
    sims = similarity_matrix(context, [tgt_clauses[i] for i in rows], joined)
    if sims is None:
        return False
    for r, i in enumerate(rows):
        for c, (a, b) in enumerate(spans):
            alone = max(float(cross[i, m]) for m in range(a, b + 1) if m != j)
            if float(sims[r, c]) >= threshold and float(sims[r, c]) >= alone + MERGE_GAIN:
                return True
    return False


def _source_parts(context: CheckContext, text: str, src_clauses: list[str]) -> list[int]:
    """The source clauses holding a two-word stretch with a content word (PART_WORD_LETTERS
    letters or more, no grammar word) that `text` matches at least PART_MATCH, best first
    (at most three); for a `text` of PART_WORD_TEXT words or fewer, a single lower-case
    content word too: a second "Il a dit." matches the source's one word "said" (0.55),
    not "said people" (0.35); a capitalised word is part of a name ("Human Rights" / "Tous
    droits réservés")."""
    single = len(words(text)) <= PART_WORD_TEXT
    grammar = lexicon.grammar_words(context.src_lang, GRAMMAR_WORDS)

    def content(word: str) -> bool:
        return len(word) >= PART_WORD_LETTERS and word.casefold() not in grammar

    spans, owners = [], []
    for k, clause in enumerate(src_clauses):
        # short words and grammar words ("It is", "of the", "let this") are no content to
        # repeat: "Il a dit" matches "It is" (0.65) better than "said" (0.55), and "Partagez
        # cet article" matches "this" (0.44) by its determiner
        windows = [w for w in word_windows(clause, 2, 1) if any(content(t) for t in words(w.text))]
        windows += [w for w in word_windows(clause, 1, 1) if single and content(w.text) and w.text.islower()]
        for window in windows:
            spans.append(window.text)
            owners.append(k)
    if not spans:
        return []
    sims = similarity_matrix(context, [text], spans)
    if sims is None:
        return []
    out: list[int] = []
    for j in sims[0].argsort()[::-1]:
        if float(sims[0, j]) < PART_MATCH or len(out) == 3:
            break
        if owners[j] not in out:
            out.append(owners[j])
    return out


def _redundant_in_pair(context: CheckContext, pair: Pair, piece: Piece, loss: float = KEEP_LOSS) -> bool:
    """Whether the pair's translation matches its source as well without `piece` (less well
    by at most `loss`)."""
    without = _drop_piece(pair.tgt, piece)
    if not without.strip(" ,;:."):
        return False
    vectors = vectors_for(context, [pair.src, pair.tgt, without])
    if vectors is None:
        return False
    with_it = float(vectors[0] @ vectors[1])
    without_it = float(vectors[0] @ vectors[2])
    return without_it >= with_it - loss


def _drop_piece(text: str, piece: Piece) -> str:
    """`text` without `piece`, its punctuation tidied as a writer would leave it: the
    sentence keeps its own final mark ("urbain. Il a dit." -> "urbain."), and no comma is
    left dangling before it ("ajouté, a-t-il déclaré." -> "ajouté.")."""
    joined = text[:piece.start].rstrip() + " " + text[piece.end:].lstrip()
    joined = re.sub(r"\s*[,;:]\s*(?=[.!?…]|$)", "", joined.strip())
    joined = re.sub(r"([.!?…])(?:\s*[.,;:])+", r"\1", joined)
    joined = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", joined)
    return joined.strip(" ,;:")


def adjacent_repeats(text: str, max_n: int = 4) -> list[tuple[int, int, list[str]]]:
    """Word sequences repeated immediately: (start, end of the second copy, the words)."""
    spans = word_spans(text)
    tokens = [w.group().casefold() for w in spans]
    out = []
    i = 0
    while i < len(tokens):
        found = False
        for n in range(max_n, 0, -1):
            if i + 2 * n > len(tokens):
                continue
            first, second = tokens[i:i + n], tokens[i + n:i + 2 * n]
            if first != second or not any(any(c.isalpha() for c in t) for t in first):
                continue
            # only what is separated by spaces alone is a stutter ("de la de la"), not a list,
            # and the two copies are written alike ("tartre (du tartre du vin" is not one)
            gap = text[spans[i + n - 1].end():spans[i + n].start()]
            if gap.strip():
                continue
            first_copy = text[spans[i].start():spans[i + n - 1].end()]
            second_copy = text[spans[i + n].start():spans[i + 2 * n - 1].end()]
            if first_copy.casefold() != second_copy.casefold():
                continue
            # a one-letter word is a symbol, and its case says which: "H x l x L" (hauteur,
            # largeur, longueur) repeats nothing
            if first_copy != second_copy and any(len(t) == 1 for t in first):
                continue
            out.append((spans[i + n].start(), spans[i + 2 * n - 1].end(), first))
            # (after a single doubled word look again from the next one: "nous nous efforçons
            # nous efforçons" holds "nous nous", which is French, and a stutter after it)
            i += 2 * n if n > 1 else 1
            found = True
            break
        if not found:
            i += 1
    return out


def _occurrences(tokens: list[str], chunk: list[str]) -> int:
    """How often the word sequence `chunk` occurs in `tokens` (both casefolded)."""
    n = len(chunk)
    return sum(1 for i in range(len(tokens) - n + 1) if tokens[i:i + n] == chunk)


def word_overlap(a: str, b: str) -> float:
    """Share of the shorter clause's content words (four letters or more) found in the
    other, as a multiset; 0 when the clauses differ much in length or have few such words.

    Short function words ("à la", "de") repeat in any two clauses of a language.
    """
    all_a = [w.casefold() for w in words(a)]
    all_b = [w.casefold() for w in words(b)]
    if 3 <= min(len(all_a), len(all_b)) and max(len(all_a), len(all_b)) <= 6:
        # short clauses ("Si on fait ça, si on réalisé ça"): every word counts, and one
        # word in four may differ
        wa, wb = all_a, all_b
        shrink = 0.0625
    else:
        wa = [w for w in all_a if len(w) >= 4]
        wb = [w for w in all_b if len(w) >= 4]
        shrink = 0.0
    short, long_ = sorted((wa, wb), key=len)
    if len(short) < 3 or len(long_) > 1.6 * len(short):
        return 0.0
    return multiset_overlap(short, long_) / len(short) + shrink


def _max_adjacent_similarity(context: CheckContext, texts: list[str]) -> float:
    if len(texts) < 2:
        return 0.0
    matrix = similarity_matrix(context, texts, texts)
    best = 0.0
    for k in range(1, len(texts)):
        score = word_overlap(texts[k - 1], texts[k])
        if matrix is not None:
            score = max(score, float(matrix[k - 1, k]))
        best = max(best, score)
    return best


def _overlaps(flags: list[Flag], piece: Piece) -> bool:
    return any(f.span and f.span[0] < piece.end and piece.start < f.span[1] for f in flags)


def repeated_target_lines(context: CheckContext) -> dict[int, int]:
    """Target sentence id -> id of the earlier identical sentence, where the source does not repeat.

    Lines of fewer than three words ("Oui.", "*****") are not counted: short lines repeat
    naturally. Computed once per document.
    """
    cached = context.cache.get("duplication.repeated_lines")
    if cached is not None:
        return cached
    first_seen: dict[str, int] = {}
    src_seen: set[str] = set()
    result: dict[int, int] = {}
    # a line the same in both languages (a reference, "2010; Campoy et al.") may repeat as
    # often as the source repeats it, wherever the aligner put the source's copies
    in_source = Counter(normalise_line(seg.text) for pair in context.pairs for seg in pair.src_segments)
    in_target: Counter = Counter()
    for pair in context.pairs:
        src_repeat = False
        own_source = set()
        for seg in pair.src_segments:
            key = normalise_line(seg.text)
            if key in src_seen and len(key.split()) >= 3:
                src_repeat = True
            src_seen.add(key)
            own_source.add(key)
        for seg in pair.tgt_segments:
            key = normalise_line(seg.text)
            if len(key.split()) < 3:
                continue
            in_target[key] += 1
            # ... and a line that copies its own source is the source's line, however the
            # source's other copies are written ("2011; Jump etal." after "Jump et al.")
            if key in own_source:
                first_seen.setdefault(key, seg.id)
                continue
            if key in first_seen and not src_repeat and in_target[key] > in_source[key]:
                result[seg.id] = first_seen[key]
            first_seen.setdefault(key, seg.id)
    context.cache["duplication.repeated_lines"] = result
    return result


def is_repeated_line(context: CheckContext, pair: Pair) -> Optional[int]:
    """The id of the earlier sentence that the pair's target repeats, if every sentence does."""
    repeats = repeated_target_lines(context)
    ids = [seg.id for seg in pair.tgt_segments]
    if ids and all(i in repeats for i in ids):
        return repeats[ids[0]]
    return None
