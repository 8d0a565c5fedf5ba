"""`entity_mismatch`: names that differ between source and translation."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import AbstractSet, Optional

import numpy as np

from mtcheck.checks import lexicon
from mtcheck.checks.base import Check, CheckContext, computed_once
from mtcheck.checks.comparable import in_other_language, unrelated_sides
from mtcheck.checks.coverage import similarity_matrix
from mtcheck.checks.encoding import runs_into_mojibake
from mtcheck.checks.omission import added_sentence_spans
from mtcheck.checks.text import fold, multiset_overlap, segment_offsets, touches_symbol
from mtcheck.checks.wordforms import is_common_word, lower_case_preference
from mtcheck.models import Flag, Pair

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words capitalised by convention in the names of institutions and offices, which are
# translated, not copied ("Premier ministre", "la Chambre", "House", "Nations unies").
INSTITUTION_WORDS = {
    "premier", "président", "presidente", "parlement", "conseil", "cour", "chambre", "état", "états",
    "sénat", "gouvernement", "ministère", "ministre", "assemblée", "union", "nations", "unies",
    "république", "royaume", "uni", "commission", "sud", "nord", "est", "ouest", "nouvelle",
    "house", "senate", "court", "council", "parliament", "government", "minister", "ministry",
    "president", "prime", "state", "states", "united", "kingdom", "republic", "assembly",
    "commission", "department", "office", "north", "south", "east", "west", "new",
}
INSTITUTION_WORDS = {fold(word) for word in INSTITUTION_WORDS}
# Of those, the nouns that name a body: kept as they are with the rest of a name that a
# translation copies ("Federal Communications Commission"), where the words of places
# are translated even then ("Nord-Kivu" for "North Kivu").
BODIES = {fold(word) for word in {
    "commission", "council", "court", "department", "office", "house", "senate", "parliament", "assembly",
    "ministry", "government", "conseil", "cour", "chambre", "sénat", "parlement", "assemblée", "ministère",
    "gouvernement",
}}
# The body words a new name may stand in place of beside their translated neighbour ("La
# Helsinki électorale" for "The Electoral Commission"): those above, and "Union", which
# French keeps in its names too ("Union européenne").
BODIES_BESIDE_TRANSLATION = BODIES | {"union"}
# Capitalised words that are not names: days and months (English capitalises them), the
# pronoun I, honorifics, and the institution words above.
NOT_NAMES = {fold(word) for word in {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "i", "mr", "mrs", "ms", "dr", "m", "mme", "mlle",
    "st", "sir", "madame", "monsieur", "dieu", "god", "seigneur", "lord",
}} | INSTITUTION_WORDS
# Pairs less similar than this say different things (misaligned, or a loose rendering of
# a short line): their names are not compared. Set with the rules below on the tuning data.
UNRELATED_BELOW = 0.35
# Cross-lingual similarity of two single words above which one translates the other
# (Germany/Allemagne 0.96, NATO/OTAN 0.71, Mayor/Maire 0.59, Labor/travailliste 0.54;
# Stoltenberg/Johnson 0.18, Smith/Martin 0.44, Michael/maire 0.34).
TRANSLATED = 0.5
# A target word renders the source word it is closest to, or one about as close.
RIVAL_MARGIN = 0.05
# A new name in the translation must match no source word this well to count as new
# (stricter: replacement names match random words up to ~0.5).
NEW_NAME_TRANSLATED = 0.6
# A replaced name sits at about the same place in both sentences (share of the length).
SAME_PLACE = 0.35
# A lost source name and a new target name this close (single-word vectors) are one name
# translated (House/Chambre 0.55, SDGs/ODD 0.54), not one name replaced by another
# (Beaudoin/Lisbonne 0.34, Michael/Madrid 0.33, Clapper/Müller 0.20).
SAME_NAME_TRANSLATED = 0.5
# Spelling similarity (difflib ratio of transliteration keys) of two long names that are
# one name transliterated two ways (Anwar / Anouar 0.80); replaced names are far apart.
TRANSLITERATION = 0.75
# Two proper names this close (single-word vectors) are one name in two languages
# (Navy / Marine 0.63, Wales / Galles 0.67, London / Londres 0.94); unrelated names of
# people and places sit up to about 0.6 apart (Smith / Kowalski 0.60, Michael / Martin 0.54).
NAMES_TRANSLATED = 0.6
# A source name phrase and the target words from a near spelling of it on this close are
# one name translated (National Guard / Garde nationale 0.81, Champions League / Ligue
# des champions 0.79).
PHRASE_TRANSLATED = 0.75
# Two spellings with the same consonants this close are the two languages' names for one
# place (Japan/Japon 0.96, Bull/Bulle 0.89), not a renaming (Kiev/Kyiv 0.79).
SAME_WORD_TWO_LANGUAGES = 0.85
# A capitalised word at least this frequent in its language (Zipf scale, lexicon.py) and at
# least this much more probable in lower case (wordforms.py; names sit far below 0:
# Blair -7.7, Londres -15.7) is a common word used in a name (Dawn -0.2, Aube +2.1).
COMMON_WORD_FREQUENCY = 3.5
# Spelling similarity (difflib ratio, accents and case folded) from which a new name and a
# lost one are one name spelled two ways: a minor flag.
SPELLED_ALIKE = 0.6
COMMON_WORD_PREFERENCE = -1.0

# What joins two words of one name: a space, a hyphen, or the no-break space that French
# typesetting puts inside names ("New\u00a0York", "Shira\u00a0Scheindlin").
_NAME_GAPS = (" ", "-", "\u00a0")


# Words before a full stop that does not end a sentence ("M. Lisbonne", "Dr. Smith", "U.S. Travel").
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)*[A-Z]|Mr|Mrs|Ms|Dr|St|Mme|Mlle|Me|Pr|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Prof")


# Words that start sentences and are no names, for documents too short to show them in
# lower case.
_SENTENCE_STARTERS = {
    "these", "those", "this", "that", "what", "when", "where", "which", "while", "there",
    "their", "they", "then", "after", "before", "since", "although", "however", "because",
    "other", "some", "many", "most", "with", "from", "into", "about", "also", "even", "still",
    "such", "both", "each", "every", "instead", "meanwhile", "last", "next", "first", "here",
    "once", "until", "only", "just", "more", "much", "very", "over", "under", "among", "despite",
    "cette", "cela", "ceux", "celle", "mais", "dans", "pour", "avec", "selon", "après", "avant",
    "depuis", "alors", "quand", "lorsque", "comme", "aussi", "ainsi", "pourtant", "cependant",
    "entre", "parmi", "malgré", "leurs", "nous", "vous", "elles", "quelle", "quel", "quels",
    "leur", "notre", "votre", "your",
}
# What comes before a word capitalised anyway: a list mark or a line start (with a quote or
# a bracket), or an opening bracket or quote, where titles start. A straight quote opens
# only where it sticks to the word ('"Once'): '," Glading said' closes a quotation.
_OPENS_TITLE = re.compile(r'(?:(?:[;:•|]|^|\n)\s*[«"“„(]?\s*|[«“„(]\s*|(?:^|\s)")$')
_NOT_NAME_ENDINGS = ("ing", "ed", "ly", "ement", "ment", "tion", "ant", "ons", "ez", "é", "ée", "és", "ées", "ait",
                     "aient")


@dataclass
class Name:
    text: str
    start: int
    end: int
    compound: str = ""  # the hyphenated whole it belongs to ("États-Unis" for "Unis")


_COMPOUND = re.compile(r"[^\W\d_]+(?:[-.][^\W\d_]+)*\.?", re.UNICODE)


def _compound_at(text: str, start: int, end: int) -> str:
    for m in _COMPOUND.finditer(text, max(0, start - 40)):
        if m.start() <= start and end <= m.end():
            return m.group()
        if m.start() > start:
            break
    return text[start:end]


def names_in(pair: Pair, side: str, vocabulary: AbstractSet[str] = frozenset(),
             bodies: bool = False) -> list[Name]:
    """Capitalised words that do not start a sentence, and acronyms, with offsets in the pair text.

    "L'OTAN" gives OTAN, "Russie-OTAN" gives Russie and OTAN. A word starting a sentence
    counts when `vocabulary` (the words the document writes in lower case) lacks it:
    "Gazprom's Alexei Miller says" starts with a name, "The talks" does not. With
    `bodies`, only the words of BODIES ("Commission", "Senate") that pass the
    same tests are given.
    """
    text = pair.src if side == "src" else pair.tgt
    starts = {p.start for p in segment_offsets(pair, side)}
    first_words = set()
    for s in starts:
        m = _TOKEN.search(text, s)
        if m:
            first_words.add(m.start())
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        if not word[0].isupper() or len(word) < 2 or (
                fold(word) not in BODIES if bodies else fold(word) in NOT_NAMES):
            continue
        acronym = is_acronym(word)
        # where any word is capitalised: a sentence start, a capital after a full stop
        # inside a segment, the first word of a list item ("35oz; Green"), the first word
        # in brackets or quotes (a title: "(Notre avenir à tous, ...)")
        before = text[max(0, m.start() - 12):m.start()]
        stop = re.search(r"(\S*)[.!?]\s+[«\"“]?\s*$", before)
        capitalised_anyway = (
            m.start() in first_words
            or bool(stop and not _ABBREVIATION.fullmatch(stop.group(1)))
            or bool(_OPENS_TITLE.search(text[max(0, m.start() - 5):m.start()]))
        )
        # there it is a name only if the document never writes it in lower case and it
        # does not have the ending of a verb or an adverb ("Drawing on", "Clearly")
        if capitalised_anyway and not acronym and (
                not vocabulary or word.casefold() in vocabulary or len(word) < 4
                or word.casefold().endswith(_NOT_NAME_ENDINGS) or word.casefold() in _SENTENCE_STARTERS):
            continue
        out.append(Name(word, m.start(), m.end(), _compound_at(text, m.start(), m.end())))
    return out


def is_acronym(word: str) -> bool:
    """NATO, OTAN, SDGs: two or more capitals, at most one lower-case letter."""
    upper = sum(1 for c in word if c.isupper())
    return upper >= 2 and len(word) - upper <= 1


# name_relation compares every name of a pair with every word of the other side: the same
# words come back sentence after sentence
_fold_word = lru_cache(maxsize=100_000)(fold)


def _abbreviates(short: str, long_: str) -> bool:
    """"Assn" for "Association": a short word (Dept, Govt, Corp), the same first letter, the
    short one's letters in order in the long one ("Marie" is no abbreviation of "Marseille")."""
    if not 3 <= len(short) <= 4 or not short[0].isupper() or not long_[0].isupper():
        return False
    a, b = _fold_word(short), _fold_word(long_)
    if len(b) <= len(a) + 2 or a[0] != b[0]:
        return False
    it = iter(b[1:])
    return all(c in it for c in a[1:])


@lru_cache(maxsize=100_000)
def _translit(word: str) -> str:
    """A spelling key that merges usual transliteration variants (Sergueï/Sergey, Tchaïkovski/Tchaikovsky)."""
    w = _fold_word(word)
    for a, b in (("tch", "ch"), ("sch", "sh"), ("ch", "sh"), ("kh", "h"), ("ou", "u"), ("gue", "ge"),
                 ("gui", "gi"), ("ph", "f"), ("ck", "k"), ("y", "i"), ("w", "v"), ("j", "i")):
        w = w.replace(a, b)
    w = re.sub(r"(.)\1", r"\1", w)
    return w.rstrip("e") if len(w) > 4 else w


def _french_ending_stem(key: str) -> str:
    """A transliteration key without the final vowels that languages add to one stem."""
    return key.rstrip("aeiouy") or key


def _skeleton(word: str) -> str:
    return re.sub(r"[aeiouy]", "", _translit(word))


def _same_consonants(a: str, b: str) -> bool:
    """Short names with the same consonants, other vowels: another romanisation or an
    official renaming (Kiev / Kyiv). Longer ones with the same consonants are the two
    languages' spellings of one word (Parliament / Parlement, Hadrian / Hadrien)."""
    fa, fb = _fold_word(a), _fold_word(b)
    return a[:1].isupper() and b[:1].isupper() and 4 <= min(len(fa), len(fb)) and max(len(fa), len(fb)) <= 6 \
        and len(_skeleton(a)) >= 2 and _skeleton(a) == _skeleton(b)


@lru_cache(maxsize=200_000)
def name_relation(a: str, b: str) -> str:
    """How two spellings relate: "same", "variant" (Kiev/Kyiv) or "different"."""
    fa, fb = _fold_word(a), _fold_word(b)
    if fa == fb:
        return "same"
    ta, tb = _translit(a), _translit(b)
    if ta == tb:
        return "same"
    # the target language's ending on the same stem (India / Inde, Syria / Syrie, Italy / Italie)
    if _french_ending_stem(ta) == _french_ending_stem(tb) and len(_french_ending_stem(ta)) >= 3:
        return "same"
    short, long_ = sorted((ta, tb), key=len)
    if _abbreviates(*sorted((a, b), key=len)):
        return "same"
    # inflection and elision: Putin/Putins, Genev/Geneva
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 3:
        return "same"
    # a transliteration (Anwar / Anouar, Mohammed / Mohamed): long names, the same start,
    # most letters in common once the spelling conventions are merged
    may_transliterate = min(len(ta), len(tb)) >= 5 and a[:1].isupper() and b[:1].isupper() and ta[0] == tb[0]
    # most word pairs compared are plainly different: the cheap upper bounds of the
    # letters-in-common ratio settle them before the exact (quadratic) one
    matcher = difflib.SequenceMatcher(None, ta, tb)
    needed = min(0.9, TRANSLITERATION) if may_transliterate else 0.9
    ratio = matcher.ratio() if matcher.real_quick_ratio() >= needed and matcher.quick_ratio() >= needed else 0.0
    if ratio >= 0.9:
        return "same"
    if _same_consonants(a, b):
        return "variant"
    if may_transliterate and ratio >= TRANSLITERATION:
        return "variant"
    return "different"


class EntityMismatchCheck(Check):
    """A name in the source replaced by another name in the translation.

    Catches: a source name with no counterpart while the translation has, at about the
    same place, a proper name that nothing in the source accounts for (Stoltenberg ->
    Dupont, Michael Bloomberg -> Madrid Bloomberg), also when the new name is a common
    one or occurs elsewhere in the document: major. Words that name a body ("Commission",
    "Senate") count as names where the translation copies the rest of the name as it is
    ("Federal Communications Helsinki" for "Federal Communications Commission") or keeps
    the body word as French writes it too and puts a new name in its place beside its
    translated neighbour ("La Helsinki électorale" for "The Electoral Commission"), and so
    do capitalised words that are no name alone ("New", "Island") where the translation
    copies the rest of the name and puts a new name beside it ("Kowalski York" for "New
    York", "Shutter Lefebvre" for "Shutter Island"). A name spelled in another form that
    is not a usual translation (Kyiv / Kiev, Juillard / Julliard: a renaming or a slip):
    minor.
    Accounts for, and does not flag: transliteration and inflection (Sergueï / Sergey,
    Anouar / Anwar, Putins), and near spellings that each language's word lists know as
    its usual one (Qaida / Qaeda); exonyms and translated names (Allemagne / Germany, Inde / India, Garde
    nationale / National Guard: single-word and name-phrase cross-lingual similarity, or a
    French ending); names translated into common words ("Le Loup de Wall Street", "la
    Bourse", "la Toile": the capitalised word is a common word by the encoder's subword
    vocabulary, see wordforms.py); acronyms that abbreviate a name of the other side in
    any word order (PS / Socialist Party, RDC / Democratic Republic of Congo, Nouvelle-Galles
    du Sud / NSW, but not a name run into the spelled-out phrase: "Nouvelle-Galles du Sud Joe
    Dallas") or translate one (OTAN / NATO); names that change their form in
    translation (Russian / russe).
    Not checked: pairs whose sides say different things altogether (`mistranslation`
    reports them) or whose translation is in another language, and the names of a target
    sentence that translates nothing in the source (`addition` reports it).
    Misses: a name dropped or replaced by a pronoun (often the translator's choice), a
    replaced name at the start of a sentence (or as the first word in brackets or quotes,
    where titles start, when the document writes it in lower case too), names in lower
    case, a name swapped with another name of the same sentence, a name replaced by a common word, by an acronym
    or by a rare name that the vocabulary knows mostly in lower case, a name replaced by
    a near spelling (flagged minor at most).
    A source name made of common words (Golden Dawn, Quartet, All Saints) rendered by a
    common word of the target language (Aube dorée, Quatuor, Toussaint) is taken for a
    translation; rendered by a proper name (Londres for the City), it is a minor flag.
    A name rendered the same way in another pair of the document (the City / Londres twice)
    is the translator's rendering: a replaced name is local.
    False flags left: metonyms (l'Hexagone for France), names translated into common words
    that the word lists do not know, when they occur once.
    Severity: major for a replaced name, minor for a variant spelling (also one far from the
    usual transliterations: Seneca / Sénèque) or a name that may translate a source name
    made of common words. A variant spelling that the translation keeps throughout is
    flagged once, where it first appears, with how often it recurs.
    """

    code = "entity_mismatch"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        return entity_flags(pair, context)

    def _run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.src or not pair.tgt or unrelated_sides(pair, UNRELATED_BELOW) or in_other_language(pair, context):
            return []
        tgt_lower = lower_case_words(context, "tgt")
        src_names = names_in(pair, "src", lower_case_words(context, "src"))
        tgt_names = names_in(pair, "tgt", tgt_lower)
        if not src_names or not tgt_names:
            return []
        src_words = [m.group() for m in _TOKEN.finditer(pair.src)]
        tgt_words = [m.group() for m in _TOKEN.finditer(pair.tgt)]
        # "U.S." / "États-Unis": whole compounds are compared too
        src_compounds = sorted({m.group() for m in _COMPOUND.finditer(pair.src)} - set(src_words))
        tgt_compounds = sorted({m.group() for m in _COMPOUND.finditer(pair.tgt)} - set(tgt_words))
        flags: list[Flag] = []
        variants: set[str] = set()
        # (a target name that copies a source word is not a variant of another: Paris / Party)
        src_capitalised = {w for w in src_words if w[:1].isupper()}
        copied = {w for w in tgt_words if w[:1].isupper()
                  and any(name_relation(w, s) == "same" for s in src_capitalised)}
        # a word such as "Commission" is translated with its name ("Commission européenne"),
        # but copied with it where the translation keeps the rest of the name as it is
        # ("Federal Communications Commission"): there it must be copied too
        institutions = [s for s in names_in(pair, "src", lower_case_words(context, "src"), bodies=True)
                        if _rest_of_name_copied(pair, s, copied, every=True)]
        unmatched = [s for s in src_names + institutions
                     if "same" not in [name_relation(s.text, w) for w in tgt_words]]
        # (nor is a common word capitalised at a sentence start, which the document also
        # writes in lower case: Après / Paris)
        still = []
        for s in unmatched:
            relations = [name_relation(s.text, w) if w not in copied and w.casefold() not in tgt_lower
                         else "different" for w in tgt_words]
            if "variant" in relations:
                w = tgt_words[relations.index("variant")]
                variants.add(fold(w))
                pos = _find_word(pair.tgt, w)
                # (a spelling garbled by mojibake is the encoding check's to report)
                if touches_symbol(pair.tgt, pos, pos + len(w)) or runs_into_mojibake(pair.tgt, pos, pos + len(w)):
                    continue
                # a spelling the translation keeps throughout (Cunégonde for Cunegund in every
                # chapter) is noted once, where it first appears, with how often it recurs
                earlier, later = _spelled_so_around(context, s.text, w)
                if not earlier and self._variant_to_flag(pair, context, s, w):
                    again = f" The translation spells it so in {later} more sentence{'s' if later > 1 else ''}." \
                        if later else ""
                    flags.append(Flag(self.code, "minor", "tgt", (pos, pos + len(w)),
                                      f'"{w}" is spelled "{s.text}" in the source: check which form of the name '
                                      f'is wanted.{again}'))
                continue
            still.append(s)
        # target names that no source word spells alike, and that are proper names: a
        # capitalised common word starts a translated name ("la Bourse", "Garde nationale")
        # (two source words written as one are the same name: "El Dorado" / "Eldorado")
        joined = {fold(a + b) for a, b in zip(src_words, src_words[1:])}
        new = [t for t in tgt_names if fold(t.text) not in variants and len(t.text) >= 3
               and fold(t.text) not in joined
               and not any(name_relation(t.text, w) != "different" for w in src_words)
               and t.text.casefold() not in tgt_lower
               and not is_common_word(t.text)
               and not _abbreviation_explained(pair, t)
               and not runs_into_mojibake(pair.tgt, t.start, t.end)]
        # (a sentence that translates nothing in the source is addition's to report, names
        # and all: "Commentaires (12) - Réagir à cet article")
        if new:
            added = added_sentence_spans(pair, context)
            new = [t for t in new if not any(a <= t.start < b for a, b in added)]
        new_texts = {t.text for t in new}
        # source names that no other target word translates (Germany / Allemagne, Moscow /
        # Moscou). The candidate new names are left out here and weighed pair by pair below,
        # as two unrelated names are often as close in vector space as a name and its
        # translation; a target word that copies a source word renders that word, not another
        # one ("Barack Madrid" does not translate "Obama" with "Barack"); acronyms are often
        # spelled out or translated (NSW / Nouvelle-Galles du Sud).
        # a word of a name whose other words are copied as they are ("Baby Zone" kept in
        # English) is copied too, or replaced: a word translating it elsewhere in the
        # sentence ("bébés") does not account for it
        kept = [s for s in still if not is_acronym(s.text) and _rest_of_name_copied(pair, s, copied)]
        lost = kept + self._untranslated(
            context, [s for s in still if not is_acronym(s.text) and s not in kept],
            [w for w in tgt_words if w not in new_texts and w not in copied]
            + [c for c in tgt_compounds if not set(_TOKEN.findall(c)) & (new_texts | copied)],
            rivals=src_words)
        # a word the document also writes in lower case is a common word capitalised
        # ("Premier ministre", "la Chambre"), not a name, unless the rest of its name is
        # copied into the translation: a word of a name kept in the original language is a
        # name too ("Flight Centre", "Baby Zone")
        lost = [n for n in lost if n.text.casefold() not in lower_case_words(context, "src")
                or _rest_of_name_copied(pair, n, copied)]
        # a source name spelled out by a target acronym (Socialist Party / PS)
        # (not an acronym the source has too: "Sherbrooke Region School Board (CSRS)" keeps
        # CSRS beside the name, and CSRS in the translation renders that acronym)
        tgt_acronyms = [w for w in tgt_words if is_acronym(w) and w not in src_words]
        lost = [n for n in lost if not any(
            _initials_cover(a, _initials(_capitalised_run(pair.src, n.start, n.end)))
            and fold(n.text[0]).upper() in fold(a).upper() for a in tgt_acronyms)]
        # a new name between the very words that frame a source name ("Tehrik e Rossi
        # Pakistan" for "Tehrik e Taliban Pakistan") took its place, even when the source
        # name is rendered elsewhere in the sentence ("le mouvement des taliban")
        lost += [s for s in src_names if s not in lost and any(_same_frame(pair, s, t) for t in new)]
        # a new name right beside a word it shares with a source name, where the source has
        # another capitalised word on that side ("Kowalski York" for "New York"), took that
        # word's place (but a first name the source document gives elsewhere was added:
        # "John McCain" for "Senator McCain"; a title rendered before it is weighed below)
        beside = [(t, x) for t in new for x in _replaced_neighbours(pair, t, copied)
                  + _replaced_body_words(context, pair, t)]
        if beside:
            in_source_document = set().union(*(words for words, _ in _document_words(context)))
            beside = [x for t, x in beside if t.text not in in_source_document]
        beside = [x for i, x in enumerate(beside) if x not in lost and x not in beside[:i]]
        lost += beside
        if not lost or not new:
            return flags
        # a lost name and a new one that translate each other account for each other
        translated = self._translated_pairs(context, lost, new)
        lost = [s for s in lost if not any(s.text == a for a, _ in translated)]
        new = [t for t in new if not any(t.text == b for _, b in translated)]
        new = self._not_translating_source(context, new, src_words + src_compounds)
        for t in new:
            place = t.start / max(1, len(pair.tgt))
            # the place tells which lost name a new one stands for; with one of each, the
            # place does not matter (a short sentence reorders: '"No," Mr X replied' /
            # '« Non », a répondu M. Y')
            near = [s for s in lost if (len(lost) == len(new) == 1
                                        or abs(s.start / max(1, len(pair.src)) - place) <= SAME_PLACE)
                    and not (lower_case_preference(t.text) >= 0 and _flipped_around_anchor(pair, s, t))]
            # a title rendered right before a first name the translator added ("le sénateur
            # John McCain" for "Senator McCain") is no name replaced (a name is: "le président
            # Lisbonne" for "President Obama", however close "Obama" and "président")
            before = _TOKEN.findall(pair.tgt[:t.start])
            if near and before and before[-1].islower():
                near = [s for s in near if not _made_of_common_words(s.text, context.src_lang)
                        or self._untranslated(context, [s], [before[-1]], rivals=src_words)]
            if not near:
                continue
            # the translator renders this source name so elsewhere in the document too
            # (the City / Londres twice, Dormouse / Loir throughout): a rendering, where a
            # slip or a made-up name is local
            if _rendered_so_elsewhere(context, near, t.text):
                continue
            was = ", ".join(f'"{s.text}"' for s in near)
            # (a word of a name whose other words the translation copies as they are, a
            # body word among them, was to be copied too: "Federal Communications Helsinki",
            # "Shutter Lefebvre", "Kowalski York" replace it; no common word the translator
            # may render)
            copied_with_name = institutions + kept + beside
            common = all(_made_of_common_words(s.text, context.src_lang) and s not in copied_with_name
                         for s in near)
            if common and _made_of_common_words(t.text, context.tgt_lang):
                # a name made of common words is often translated (Golden Dawn / Aube dorée,
                # Quartet / Quatuor, All Saints / Toussaint): into a common word, that is
                # no replacement
                continue
            alike = [s for s in near if _spelled_alike(s.text, t.text)]
            if alike:
                # a spelling of its own, in another language's tradition (Seneca / Sénèque,
                # Egede / Heggede): worth a look, not a replaced name. (Spellings this far
                # apart may be two names each language knows well: Denver / Anvers.)
                flags.append(Flag(self.code, "minor", "tgt", (t.start, t.end),
                                  f'"{t.text}" is spelled "{alike[0].text}" in the source: check which form '
                                  f'of the name is wanted.'))
                continue
            if common:
                # ... into a name (the City / Londres), it may be one
                flags.append(Flag(self.code, "minor", "tgt", (t.start, t.end),
                                  f'The name "{t.text}" is not in the source, which has {was} here: '
                                  f'check that it translates {was}.'))
                continue
            flags.append(Flag(self.code, "major", "tgt", (t.start, t.end),
                              f'The name "{t.text}" is not in the source, which has {was} here.'))
        return flags

    def _variant_to_flag(self, pair: Pair, context: CheckContext, s: Name, w: str) -> bool:
        """Whether a near spelling of a source name is worth a note: not when it is the
        target language's word for it (Garde / Guard, Ligue des champions / Champions
        League, Japon / Japan), nor a title translated before a name (Maire / Mayor)."""
        if not w[0].isupper() or is_common_word(w) or _usual_in_each_language(s.text, w, context):
            return False
        title = _next_word(pair.src, s.end)[:1].isupper() and \
            _next_word(pair.tgt, _find_word(pair.tgt, w) + len(w))[:1].isupper()
        # an exonym is closer in vector space than a respelling (Kiev / Kyiv 0.79): the
        # bar is high for spellings with the same consonants, lower for other near
        # spellings (Frankfurt / Francfort 0.80, Edinburgh / Édimbourg 0.73; Anwar / Anouar 0.44)
        same_consonants = _same_consonants(s.text, w)
        if title or self._translation_of(context, s.text, w,
                                          SAME_WORD_TWO_LANGUAGES if same_consonants else NAMES_TRANSLATED):
            return False
        # another near spelling is worth a note only when nothing else in the translation
        # renders the name (Brussels / "les Bruxellois", "la Région bruxelloise")
        if not same_consonants:
            others = [x for x in _TOKEN.findall(pair.tgt) if x != w]
            if not self._untranslated(context, [s], others):
                return False
        return not self._phrase_translated(context, pair, s, _find_word(pair.tgt, w))

    def _phrase_translated(self, context: CheckContext, pair: Pair, s: Name, tgt_start: int) -> bool:
        """Whether the source name phrase around `s` ("Champions League", two capitalised
        words or more) is translated by the target words from `tgt_start` on ("Ligue des
        champions"): French keeps the capital on the first word only."""
        phrase = _capitalised_run(pair.src, s.start, s.end)
        if len(_initials(phrase)) < 2:
            return False
        words = list(_TOKEN.finditer(pair.tgt, tgt_start))[:4]
        candidates = [pair.tgt[words[0].start():w.end()] for w in words[1:]]
        sims = similarity_matrix(context, [phrase], candidates)
        return sims is not None and float(sims.max()) >= PHRASE_TRANSLATED

    @staticmethod
    def _translation_of(context: CheckContext, a: str, b: str,
                        threshold: float = SAME_WORD_TWO_LANGUAGES) -> bool:
        """Whether two spellings are one name in two languages (Japan/Japon 0.96), not a
        respelling (Kiev/Kyiv 0.79)."""
        sims = similarity_matrix(context, [a], [b])
        return sims is not None and float(sims[0, 0]) >= threshold

    def _translated_pairs(self, context: CheckContext, lost: list[Name], new: list[Name]) -> set:
        """(source name, target name) pairs whose single-word vectors say one translates the
        other; two proper names must be closer (Wales / Galles 0.67) than a common word and
        a name (House / Chambre 0.55), as unrelated names sit close (Smith / Kowalski 0.60)."""
        sims = similarity_matrix(context, [s.text for s in lost], [t.text for t in new])
        if sims is None:
            return set()
        out = set()
        for i, s in enumerate(lost):
            for j, t in enumerate(new):
                # (t is a proper name already; names that start alike are likely one name
                # shortened or adapted, Tassie / Tasmanie 0.52)
                both_names = not is_common_word(s.text) and fold(s.text)[:2] != fold(t.text)[:2]
                if float(sims[i, j]) < (NAMES_TRANSLATED if both_names else SAME_NAME_TRANSLATED):
                    continue
                if both_names and not _exonym(context, s.text, t.text):
                    continue
                out.add((s.text, t.text))
        return out

    def _not_translating_source(self, context: CheckContext, new: list[Name],
                                src_words: list[str]) -> list[Name]:
        """The new target names that no source word translates: a source name must be as close
        as a name and its exonym, another word as close as a word and its translation."""
        candidates = _content_words(src_words)
        if not new or not candidates:
            return new
        sims = _name_similarities(context, new, candidates)
        if sims is None:
            return new
        # a compound that shares its other parts with a source compound (Charles-de-Johansson /
        # Charles-de-Gaulle, al-Müller / al-Maliki) is close to it by those parts alone: there
        # the name is weighed on its own
        alone = similarity_matrix(context, [n.text for n in new], candidates)
        for k, n in enumerate(new):
            rest = set(_TOKEN.findall(n.compound or "")) - {n.text}
            for i, w in enumerate(candidates):
                if alone is not None and rest and rest & set(_TOKEN.findall(w)) and w != n.text:
                    sims[k, i] = alone[k, i]
        limits = np.array([NAMES_TRANSLATED if w[0].isupper() else NEW_NAME_TRANSLATED
                           for w in candidates])

        def translates(k: int, i: int) -> bool:
            w = candidates[i]
            return sims[k, i] >= limits[i] and (not w[0].isupper() or _exonym(context, w, new[k].text))
        return [n for k, n in enumerate(new) if not any(translates(k, i) for i in range(len(candidates)))]

    def _untranslated(self, context: CheckContext, names: list[Name], other_words: list[str],
                      threshold: float = TRANSLATED, rivals: Optional[list[str]] = None) -> list[Name]:
        """The names that no word of the other side translates.

        With `rivals` (the words of the names' own side), a word translates a name only if
        no rival is clearly closer to it: "italien" renders "Italian", not "Berlusconi"
        beside it, "texane" renders "Texan", not "Texas".
        """
        if not names:
            return []
        candidates = _content_words(other_words)
        sims = _name_similarities(context, names, candidates)
        if sims is None:
            return names
        if rivals:
            others = _content_words(rivals)
            rival_sims = similarity_matrix(context, others, candidates)
            if rival_sims is not None:
                for k, n in enumerate(names):
                    keep = [i for i, w in enumerate(others) if w != n.text]
                    if keep:
                        best_rival = rival_sims[keep].max(axis=0)
                        sims[k] = np.where(sims[k] >= best_rival - RIVAL_MARGIN, sims[k], 0.0)
        return [n for k, n in enumerate(names) if float(sims[k].max()) < threshold]


# Short words that join the capitalised words of one name ("Republic of Congo",
# "Ligue des champions", "Nouvelle-Galles du Sud").
_NAME_JOINERS = {"of", "and", "the", "for", "de", "du", "des", "la", "le", "les", "et", "d", "l"}
_RUN = re.compile(r"[^\W\d_][\w&]*(?:['’]s)?", re.UNICODE)


def _content_words(words) -> list[str]:
    """The words worth comparing with a name: short function words ("la", "au") sit close to
    any name in vector space, so only words of 4 letters or more, and acronyms, count."""
    return sorted({w for w in words if len(w) >= 4 or (len(w) >= 2 and w.isupper())})


def _name_similarities(context: CheckContext, names: list, words: list[str]):
    """Similarity of each name, alone or as its whole compound ("U.S."), to each word: the
    higher of the two; None without vectors."""
    sims = similarity_matrix(context, [n.text for n in names], words)
    if sims is None:
        return None
    whole = similarity_matrix(context, [n.compound or n.text for n in names], words)
    return sims if whole is None else np.maximum(sims, whole)


def _spelled_alike(a: str, b: str) -> bool:
    """Two spellings close enough to be one name written in two traditions (Seneca /
    Sénèque 0.62, Egede / Heggede 0.83); replaced names are far apart (Beaudoin /
    Lisbonne 0.25, Michael / Madrid 0.31)."""
    return difflib.SequenceMatcher(None, fold(a), fold(b)).ratio() >= SPELLED_ALIKE


def _rendered_so_elsewhere(context: CheckContext, lost: list[Name], new: str) -> bool:
    """Whether another pair of the document has one of the `lost` source names in its source,
    the `new` name in its translation, and not the lost name itself there."""
    return any(earlier or later for earlier, later in (_spelled_so_around(context, s.text, new) for s in lost))


def _exonym(context: CheckContext, src_name: str, tgt_name: str) -> bool:
    """Whether two names close in vector space can be one place or person in two languages:
    each language then writes it its own way (Wales / Galles, London / Londres). Two places of
    one kind sit as close (York / Toronto 0.60), but French writes "York" more often than
    "Toronto". Names that start alike are one name adapted (Tassie / Tasmanie); where the word
    lists do not know each spelling in its own language (no lists, or a rare name, "Thefirst" /
    "Lepremier"), the vectors are taken at their word."""
    if fold(src_name)[:2] == fold(tgt_name)[:2]:
        return True
    if not lexicon.zipf(src_name.casefold(), context.src_lang) or not lexicon.zipf(tgt_name.casefold(),
                                                                                    context.tgt_lang):
        return True
    return _usual_in_each_language(src_name, tgt_name, context)


def _usual_in_each_language(src_name: str, tgt_name: str, context: CheckContext) -> bool:
    """Whether each language writes the name its own way: the word lists know the source
    spelling as more usual than the target's in the source language, and the target spelling
    as more usual than the source's in the target language (Qaeda / Qaida, Sergey / Sergueï).
    For spellings this close that is a convention, not a slip; Kyiv / Kiev (Kiev more usual
    in English too) and Juillard / Julliard are still worth a note."""
    a, b = src_name.casefold(), tgt_name.casefold()
    in_src = (lexicon.zipf(a, context.src_lang), lexicon.zipf(b, context.src_lang))
    in_tgt = (lexicon.zipf(b, context.tgt_lang), lexicon.zipf(a, context.tgt_lang))
    if None in in_src or None in in_tgt:
        return False
    return in_src[0] > in_src[1] and in_tgt[0] > in_tgt[1]


def _spelled_so_around(context: CheckContext, name: str, variant: str) -> tuple[bool, int]:
    """(whether a pair before this one, how many pairs after it) have `name` in the source
    and `variant` in the translation, without the name itself there."""
    earlier, later = False, 0
    for k, (src_words, tgt_words) in enumerate(_document_words(context)):
        if k != context.index and name in src_words and variant in tgt_words and name not in tgt_words:
            if k < context.index:
                earlier = True
            else:
                later += 1
    return earlier, later


def _made_of_common_words(word: str, lang: str) -> bool:
    """A capitalised word that is also a common word of `lang` (Dawn, Quartet, Aube): frequent
    in the language's word lists and no less probable in lower case by the subword
    vocabulary. Surnames and places (Blair, Londres, Lefebvre) are one or the other only."""
    frequency = lexicon.zipf(word.casefold(), lang)
    return frequency is not None and frequency >= COMMON_WORD_FREQUENCY \
        and lower_case_preference(word) >= COMMON_WORD_PREFERENCE


def _capitalised_run(text: str, start: int, end: int) -> str:
    """The name phrase around the word at [start, end): the neighbouring capitalised words,
    joined by spaces, hyphens or short joining words ("Democratic Republic of Congo")."""
    a, b = _capitalised_run_span(text, start, end)
    return text[a:b]


def _capitalised_run_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where `_capitalised_run` is in `text`."""
    words = list(_RUN.finditer(text))
    k = next((i for i, w in enumerate(words) if w.start() <= start < w.end()), None)
    if k is None:
        return start, end
    lo = hi = k

    def joined(a: int, b: int) -> bool:
        gap = text[words[a].end():words[b].start()]
        return gap in _NAME_GAPS or gap in ("'", "’")

    def capital(i: int) -> bool:
        return words[i].group()[0].isupper()

    while True:
        if lo > 0 and joined(lo - 1, lo) and capital(lo - 1):
            lo -= 1
        elif lo > 1 and joined(lo - 2, lo - 1) and joined(lo - 1, lo) and capital(lo - 2) \
                and words[lo - 1].group().casefold() in _NAME_JOINERS:
            lo -= 2
        else:
            break
    while True:
        if hi + 1 < len(words) and joined(hi, hi + 1) and capital(hi + 1):
            hi += 1
        elif hi + 2 < len(words) and joined(hi, hi + 1) and joined(hi + 1, hi + 2) and capital(hi + 2) \
                and words[hi + 1].group().casefold() in _NAME_JOINERS:
            hi += 2
        else:
            break
    return words[lo].start(), words[hi].end()


def entity_flags(pair: Pair, context: CheckContext) -> list[Flag]:
    """The entity_mismatch check's flags on this pair, computed once per pair: addition asks
    too (a clause that renders its source with a replaced name is no added clause)."""
    return computed_once(context, "entity_mismatch.flags", pair, lambda: EntityMismatchCheck()._run(pair, context))


def _abbreviation_explained(pair: Pair, t: Name) -> bool:
    """Whether a target name is an acronym (the translator's abbreviation of a name, PS /
    Socialist Party, RDC / Democratic Republic of Congo, or a translated acronym, OTAN /
    NATO), or a word of a target name phrase whose initials spell a source acronym that the
    translation does not copy, in any order (Nouvelle-Galles du Sud / NSW)."""
    if is_acronym(t.text):
        return True
    acronyms = [w for w in _TOKEN.findall(pair.src) if is_acronym(w) and w not in pair.tgt]
    if not acronyms:
        return False
    # the capitalised words of the phrase around it; some stretch of them holding it must
    # spell the acronym with at most one word to spare (the letter the translation changed:
    # "Nouvelle-Galles du Sud" / NSW), so a name run into the phrase ("Nouvelle-Galles du
    # Sud Joe Dallas", where the source has "NSW … Joe Tripodi") is not explained by it
    a, b = _capitalised_run_span(pair.tgt, t.start, t.end)
    capitals = [m for m in _TOKEN.finditer(pair.tgt, a, b) if m.group()[0].isupper()]
    k = next((i for i, m in enumerate(capitals) if m.start() <= t.start < m.end()), None)
    if k is None:
        return False
    for lo in range(k + 1):
        for hi in range(k, len(capitals)):
            initials = "".join(m.group()[0] for m in capitals[lo:hi + 1])
            if len(initials) < 2:
                continue
            for w in acronyms:
                letters = [c for c in fold(w).upper() if c.isalpha()]
                spare = len(initials) - multiset_overlap(letters, fold(initials).upper())
                if _initials_cover(w, initials) and spare <= 1:
                    return True
    return False


def _rest_of_name_copied(pair: Pair, name: Name, copied: set, every: bool = False) -> bool:
    """Whether another capitalised word of the source name phrase around `name` is copied
    into the translation as it is; with `every`, whether all of them are (one at least).
    Words such as "Commission" do not count."""
    run = _capitalised_run(pair.src, name.start, name.end)
    others = [w for w in _TOKEN.findall(run) if w != name.text and w[0].isupper()
              and fold(w) not in NOT_NAMES]
    if every:
        return bool(others) and all(w in copied for w in others)
    return any(w in copied for w in others)


def _initials(phrase: str) -> str:
    """The initials of the capitalised words of a name phrase ("Republic of Congo": "RC")."""
    return "".join(w[0] for w in _TOKEN.findall(phrase) if w[0].isupper())


def _initials_cover(acronym: str, initials: str) -> bool:
    """Whether the capitals of an acronym are initials of a name phrase, in any order
    (adjectives change places in translation): all of them for two letters, all but one
    for three or more (NVA / New Flemish Alliance: "V" stands for the Dutch "Vlaamse")."""
    letters = [c for c in fold(acronym).upper() if c.isalpha()]
    if len(letters) < 2:
        return False
    found = multiset_overlap(letters, fold(initials).upper())
    return found >= len(letters) - (1 if len(letters) >= 3 else 0)


def _neighbour_words(text: str, name: Name) -> tuple[str, str]:
    """The words just before and just after a name, folded."""
    before = _TOKEN.findall(text[:name.start])
    after = _TOKEN.findall(text[name.end:])
    return (fold(before[-1]) if before else "", fold(after[0]) if after else "")


def _flipped_around_anchor(pair: Pair, s: Name, t: Name) -> bool:
    """A two-word name translated with its words swapped ("United Nations" / "Nations Unies"):
    the word that stayed is after the lost one in the source and before the new one in the
    translation, or the reverse. A replaced first name keeps its place ("Michael Bloomberg" /
    "Madrid Bloomberg")."""
    s_before, s_after = _neighbour_words(pair.src, s)
    t_before, t_after = _neighbour_words(pair.tgt, t)
    if s_after and s_after == t_before and s_after[0:1].isalpha():
        return True
    if s_before and s_before == t_after and s_before[0:1].isalpha():
        return True
    return False


def _same_frame(pair: Pair, s: Name, t: Name) -> bool:
    """Whether a source name and a target name have the same word before them and the same
    word after them."""
    s_before, s_after = _neighbour_words(pair.src, s)
    t_before, t_after = _neighbour_words(pair.tgt, t)
    return bool(s_before and s_after) and (s_before, s_after) == (t_before, t_after) and fold(s.text) != fold(t.text)


# Words before a name that are no part of it ("Mr Obama" / "M. Barack Obama").
_HONORIFICS = {"mr", "mrs", "ms", "dr", "m", "mme", "mlle", "st", "sir", "lord", "madame", "monsieur"}


def _replaced_neighbours(pair: Pair, t: Name, copied: set) -> list[Name]:
    """Source words that the new target name `t` may stand in place of: `t` is right before
    (after) a word copied from the source, and the source has another capitalised word right
    before (after) that word, joined to it as words of one name are (`_NAME_GAPS`), that the
    translation lacks."""
    out = []
    tgt_folded = {fold(w) for w in _TOKEN.findall(pair.tgt)}
    for step in (1, -1):  # t before the shared word, or after it
        if step == 1:
            m = _TOKEN.search(pair.tgt, t.end)
            gap = pair.tgt[t.end:m.start()] if m else ""
        else:
            ms = list(_TOKEN.finditer(pair.tgt, 0, t.start))
            m = ms[-1] if ms else None
            gap = pair.tgt[m.end():t.start] if m else ""
        if not m or m.group() not in copied or gap not in _NAME_GAPS:
            continue
        shared = m.group()
        for y in re.finditer(rf"(?<!\w){re.escape(shared)}(?!\w)", pair.src):
            if step == 1:
                xs = list(_TOKEN.finditer(pair.src, 0, y.start()))
                x = xs[-1] if xs else None
                x_gap = pair.src[x.end():y.start()] if x else ""
            else:
                x = _TOKEN.search(pair.src, y.end())
                x_gap = pair.src[y.end():x.start()] if x else ""
            if not x or x_gap not in _NAME_GAPS or not x.group()[0].isupper():
                continue
            word = x.group()
            if fold(word) in _HONORIFICS or fold(word) == fold(t.text) or fold(word) in tgt_folded:
                continue
            out.append(Name(word, x.start(), x.end(), _compound_at(pair.src, x.start(), x.end())))
    return out


def _replaced_body_words(context: CheckContext, pair: Pair, t: Name) -> list[Name]:
    """Words that name a body, kept in French as they are ("Commission", "Union"), that the
    new target name `t` stands in place of: `t` is right before a word that translates the
    word beside the body word in the source ("La Helsinki électorale" for "The Electoral
    Commission", "l'Chicago européenne" for "the European Union"), and the translation
    lacks the body word."""
    m = _TOKEN.search(pair.tgt, t.end)
    if not m or pair.tgt[t.end:m.start()] not in _NAME_GAPS or not m.group().islower() or len(m.group()) < 4:
        return []
    tgt_folded = {fold(w) for w in _TOKEN.findall(pair.tgt)}
    tokens = list(_TOKEN.finditer(pair.src))
    bodies = [(i, x) for i, x in enumerate(tokens) if x.group()[0].isupper()
              and fold(x.group()) in BODIES_BESIDE_TRANSLATION and fold(x.group()) not in tgt_folded]
    if not bodies:
        return []
    out = []
    for i, x in bodies:
        beside = [tokens[j] for j in (i - 1, i + 1) if 0 <= j < len(tokens) and tokens[j].group()[0].isupper()
                  and pair.src[min(x.end(), tokens[j].end()):max(x.start(), tokens[j].start())] in _NAME_GAPS]
        sims = similarity_matrix(context, [y.group() for y in beside], [m.group()])
        if sims is not None and float(sims.max()) >= TRANSLATED:
            out.append(Name(x.group(), x.start(), x.end(), _compound_at(pair.src, x.start(), x.end())))
    return out


def _document_words(context: CheckContext) -> list[tuple[set[str], set[str]]]:
    """The words of each pair of the document, (source, translation): read once per document."""
    key = "entities.words_by_pair"
    if key not in context.cache:
        context.cache[key] = [(set(_TOKEN.findall(p.src or "")), set(_TOKEN.findall(p.tgt or "")))
                              for p in context.pairs]
    return context.cache[key]


def lower_case_words(context: CheckContext, side: str) -> set[str]:
    """Every word that the document writes in lower case somewhere, on one side."""
    key = ("entities.lower", side)
    if key not in context.cache:
        column = 0 if side == "src" else 1
        context.cache[key] = {w for words in _document_words(context) for w in words[column] if w.islower()}
    return context.cache[key]


def _next_word(text: str, end: int) -> str:
    m = _TOKEN.search(text, end)
    return m.group() if m else ""


def _find_word(text: str, word: str) -> int:
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    return m.start() if m else max(0, text.find(word))
