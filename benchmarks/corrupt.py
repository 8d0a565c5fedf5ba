"""A seeded generator of faulty translations with known gold.

It takes a document that a person translated sentence by sentence (a list of English/French
sentence pairs, as newstest2014 gives them) and injects faults of every kind a reviewer looks for
at chosen pairs, keeping the rest of the translation human. Every fault records the original pair
it belongs to, the flag code a checker should raise for it, and where it sits in the corrupted
target document, so that a checker's flags can be scored pair by pair.

The same documents, pools, kinds and seed always give the same corrupted documents.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

# What kind of fault, and which flag code a checker should raise for it.
KIND_CODE = {
    "duplicated_clause": "duplication",
    "repeated_words": "duplication",
    "repeated_line": "duplication",
    "dropped_sentence": "omission",
    "dropped_clause": "omission",
    "added_sentence": "addition",
    "boilerplate": "addition",
    "added_clause": "addition",
    "untranslated_sentence": "untranslated",
    "untranslated_span": "untranslated",
    "third_language": "wrong_language",
    "changed_number": "number_mismatch",
    "changed_name": "entity_mismatch",
    "truncation": "truncation",
    "mojibake": "encoding",
    "broken_quotes": "punctuation",
}
KINDS = tuple(KIND_CODE)
# The kinds the benchmark deals by default: every kind but added_clause, which came later and
# is measured on its own (`garble.py --kinds added_clause`), so that adding it did not redraw
# every fault of the default tables, the held-out half's included.
DEFAULT_KINDS = tuple(k for k in KINDS if k != "added_clause")

# Other codes that a careful reviewer could fairly give the same fault (and, through
# Fault.also_fair, number_mismatch / entity_mismatch when the fault took out a number or a name
# of the source). A flag with one of these codes on the faulty pair is neither a hit nor a false
# alarm: a truncated sentence has also lost content (omission), a sentence in a third language
# unrelated to the source also adds and drops content, and so on. The list is short on purpose: a wrong category is still an error.
TOLERATED_CODES = {
    "duplicated_clause": {"addition", "mistranslation"},
    "repeated_words": set(),
    "repeated_line": {"addition"},
    "dropped_sentence": set(),
    "dropped_clause": {"mistranslation"},
    "added_sentence": {"mistranslation"},
    "boilerplate": {"mistranslation"},
    "added_clause": {"mistranslation"},
    "untranslated_sentence": {"mistranslation"},
    "untranslated_span": {"mistranslation", "punctuation"},  # English quotes may close French ones
    "third_language": {"mistranslation", "omission", "addition"},
    "changed_number": {"mistranslation"},
    "changed_name": {"mistranslation"},
    "truncation": {"omission", "punctuation", "mistranslation"},
    "mojibake": {"mistranslation"},
    "broken_quotes": set(),
}

# Site text that is no part of an article (written for this benchmark, in the style of French
# news sites).
BOILERPLATE_FR = (
    "Partagez cet article",
    "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin.",
    "Lire aussi : les dix informations à retenir de la semaine",
    "Suivez-nous sur Facebook et Twitter.",
    "Cet article vous a plu ? Partagez-le avec vos amis !",
    "Tous droits réservés.",
    "Publicité",
    "Cliquez ici pour lire la suite de l'article.",
    "Pour soutenir notre rédaction, abonnez-vous dès 1 euro le premier mois.",
    "Inscrivez-vous gratuitement pour recevoir nos alertes.",
    "Retrouvez tous nos articles dans la rubrique International.",
    "Commentaires (12) - Réagir à cet article",
    "Vous souhaitez nous signaler une erreur ? Écrivez-nous.",
    "Téléchargez notre application pour ne rien manquer de l'actualité.",
)

# Word and phrase swaps that say the same thing in other words: used to repeat a clause
# paraphrased, as machine translation does when it translates a source clause twice.
PARAPHRASES_FR = {
    "a déclaré": "a affirmé", "a dit": "a indiqué", "a affirmé": "a déclaré",
    "a annoncé": "a fait savoir", "a expliqué": "a précisé", "a indiqué": "a dit",
    "selon": "d'après", "mais": "cependant", "aussi": "également", "également": "aussi",
    "très": "fort", "beaucoup": "énormément", "pays": "nation", "ville": "cité",
    "gens": "personnes", "personnes": "individus", "entreprise": "société",
    "société": "entreprise", "problème": "difficulté", "problèmes": "difficultés",
    "important": "majeur", "importante": "majeure", "nouveau": "récent", "nouvelle": "récente",
    "nouvelles": "récentes", "nouveaux": "récents", "grand": "vaste", "grande": "vaste",
    "voiture": "automobile", "voitures": "automobiles", "travail": "emploi",
    "enfants": "jeunes", "argent": "fonds", "aujourd'hui": "ce jour",
    "maintenant": "désormais", "seulement": "uniquement", "environ": "près de",
    "gouvernement": "exécutif", "président": "chef", "plusieurs": "divers",
    "rapidement": "vite", "déjà": "dès à présent", "souvent": "fréquemment",
    "toujours": "sans cesse", "pendant": "durant", "depuis": "dès", "avant": "auparavant",
    "après": "ensuite", "faire": "réaliser", "fait": "réalisé", "peut": "est en mesure de",
    "doit": "est tenu de", "veut": "souhaite", "pense": "estime", "croit": "pense",
    "sont": "se trouvent", "était": "se trouvait", "ont": "possèdent",
    "hommes": "individus", "femmes": "dames", "homme": "individu", "femme": "dame",
    "année": "an", "années": "ans", "semaine": "sept jours", "mois": "mois-ci",
    "question": "sujet", "questions": "sujets", "décision": "choix", "moment": "instant",
    "monde": "planète", "vie": "existence", "partie": "part", "cas": "situation",
}

# Reporting clauses for the "he said twice" kind of duplication.
_REPORTING = re.compile(
    r"\b(a-t-il|a-t-elle|ont-ils|ont-elles|a|ont)\s+"
    r"(dit|déclaré|ajouté|expliqué|indiqué|précisé|affirmé|souligné|estimé|annoncé|"
    r"poursuivi|confié|assuré|répondu|expliqué|reconnu)\b"
)

# Names a changed name is replaced with (people and places, in several languages).
REPLACEMENT_NAMES = (
    "Dupont", "Martin", "Lefebvre", "Schmidt", "García", "Rossi", "Kowalski", "Johansson",
    "Müller", "Petrov", "Tanaka", "Okafor", "Lyon", "Marseille", "Berlin", "Madrid",
    "Toronto", "Chicago", "Manchester", "Anvers", "Genève", "Lisbonne", "Helsinki", "Dallas",
)

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]{2,}(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?\b")
_QUOTES = re.compile("[«»\"“”„]")
_FINAL_PUNCT = re.compile(r"[\s.!?…:;,»\"”]*$")


@dataclass(frozen=True)
class Fault:
    """One injected fault.

    `pair` is the index of the original sentence pair the fault belongs to (an inserted
    sentence belongs to the pair it follows). `span` is [start, end) in the corrupted target
    document: the faulty text, or an empty span where text was removed; None for a dropped
    sentence, which leaves no trace in the target.
    """

    kind: str
    pair: int
    span: Optional[tuple[int, int]]
    detail: str
    # Codes that are also right for this fault because it removed a number or a name that the
    # source has (a dropped clause with "147 million" in it is also a number mismatch).
    also_fair: frozenset = frozenset()

    @property
    def tolerated(self) -> set[str]:
        return (set(TOLERATED_CODES[self.kind]) | set(self.also_fair)) - {self.code}

    @property
    def code(self) -> str:
        return KIND_CODE[self.kind]


@dataclass
class CorruptedDocument:
    """A source document, its corrupted translation, and where everything is.

    `source` has one original English segment per paragraph; `src_spans[k]` is where pair k's
    source sits. `target` has one paragraph per target piece; `tgt_pieces` lists
    (start, end, pair) for each, pair being the original pair that piece belongs to.
    `source_lines`/`target_lines` are the same texts one segment per line, for presegmented runs.
    """

    docid: str
    variant: int
    source: str
    target: str
    src_spans: list[tuple[int, int]]
    tgt_pieces: list[tuple[int, int, int]]
    faults: list[Fault]
    source_lines: list[str] = field(default_factory=list)
    target_lines: list[str] = field(default_factory=list)

    @property
    def n_pairs(self) -> int:
        return len(self.src_spans)

    def faulty_pairs(self) -> dict[int, list[Fault]]:
        out: dict[int, list[Fault]] = {}
        for f in self.faults:
            out.setdefault(f.pair, []).append(f)
        return out

    def relayout(self, sep: str) -> "CorruptedDocument":
        """The same document with another paragraph separator (one segment per line: "\n")."""
        pieces_by_pair: dict[int, list[str]] = {}
        for (a, b, k), text in zip(self.tgt_pieces, self.target_lines):
            pieces_by_pair.setdefault(k, []).append(text)
        local = {}
        for f in self.faults:
            if f.span is None:
                local[f.pair] = (f.kind, None, f.detail, f.also_fair)
                continue
            own = [(i, a) for i, (a, b, k) in enumerate(self.tgt_pieces) if k == f.pair]
            first = own[0][0]
            i, a = [(i, a) for i, a in own if a <= f.span[0]][-1]
            local[f.pair] = (f.kind, (i - first, f.span[0] - a, f.span[1] - a), f.detail, f.also_fair)
        pairs = [(self.source_lines[k], "") for k in range(self.n_pairs)]
        pieces = [pieces_by_pair.get(k, []) for k in range(self.n_pairs)]
        return _assemble(self.docid, self.variant, pairs, pieces, local, sep=sep)

    def owners_of_target(self, start: int, end: int) -> set[int]:
        """The original pairs whose target pieces overlap [start, end) (at least one char)."""
        end = max(end, start + 1)
        hit = {p for a, b, p in self.tgt_pieces if a < end and start < b}
        if hit:
            return hit
        # Between pieces (a separator): the piece that starts at or before the offset.
        before = [p for a, b, p in self.tgt_pieces if a <= start]
        return {before[-1]} if before else ({self.tgt_pieces[0][2]} if self.tgt_pieces else set())

    def owners_of_source(self, start: int, end: int) -> set[int]:
        end = max(end, start + 1)
        hit = {k for k, (a, b) in enumerate(self.src_spans) if a < end and start < b}
        if hit:
            return hit
        before = [k for k, (a, b) in enumerate(self.src_spans) if a <= start]
        return {before[-1]} if before else {0}


@dataclass
class Pools:
    """Text from elsewhere that faults insert: unrelated French sentences and third-language
    sentences (lang, text)."""

    french: Sequence[str]
    third_language: Sequence[tuple[str, str]]


# ----------------------------------------------------------------------------------------------
# One function per kind: given the pair's texts, return (new pieces, spans inside them) or None
# when the kind does not apply to this pair. A piece list replaces the pair's one target piece;
# spans are (piece index, start, end) inside the new pieces.

_Edit = tuple[list[str], Optional[tuple[int, int, int]], str]


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _repeated_words(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    words = _words(fr)
    if len(words) < 5:
        return None
    n = rng.choice((1, 2))
    i = rng.randrange(1, len(words) - n)
    chunk = fr[words[i].start():words[i + n - 1].end()]
    if _QUOTES.search(chunk) or "\n" in chunk:
        n, chunk = 1, words[i].group(0)
    cut = words[i + n - 1].end()
    new = fr[:cut] + " " + chunk + fr[cut:]
    return [new], (0, cut + 1, cut + 1 + len(chunk)), f"repeated {chunk!r}"


def _paraphrase(clause: str) -> Optional[str]:
    """The clause with at least one word or phrase swapped for a synonym, or None."""
    out, changed = clause, 0
    for phrase, other in sorted(PARAPHRASES_FR.items(), key=lambda kv: -len(kv[0])):
        pattern = re.compile(rf"(?<![\w'’-]){re.escape(phrase)}(?![\w'’-])")
        if pattern.search(out):
            out = pattern.sub(other, out, count=1)
            changed += 1
    return out if changed and out != clause else None


def _duplicated_clause(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    body = _FINAL_PUNCT.sub("", fr)
    end = len(body)
    reporting = list(_REPORTING.finditer(fr))
    if reporting and rng.random() < 0.6:
        found = reporting[-1]
        pronoun = "elle" if "elle" in found.group(1) else "il"
        verb = "ajouté" if found.group(2) != "ajouté" else "déclaré"
        if rng.random() < 0.5:
            added = f", a-t-{pronoun} {verb}"
            new = fr[:end] + added + fr[end:]
            return [new], (0, end, end + len(added)), f"second reporting clause {added!r}"
        added = f" {pronoun.capitalize()} a dit."
        new = fr.rstrip() + added
        start = len(fr.rstrip())
        return [new], (0, start, start + len(added)), f"second reporting clause {added!r}"
    # Repeat a clause in other words, right after itself.
    clauses = [m for m in re.finditer(r"[^,;:]+", body)]
    candidates = []
    for m in clauses:
        text = m.group(0).strip()
        # a clause with a quotation mark would unbalance the quotes: another fault
        if 3 <= len(_words(text)) <= 12 and not _QUOTES.search(text):
            para = _paraphrase(text)
            if para:
                candidates.append((m, para))
    if not candidates:
        return None
    m, para = rng.choice(candidates)
    cut = m.end()
    added = ", " + para
    new = fr[:cut] + added + fr[cut:]
    return [new], (0, cut, cut + len(added)), f"clause repeated as {para!r}"


def _repeated_line(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    if len(_words(fr)) < 3:
        return None
    return [fr, fr], (1, 0, len(fr)), "line repeated"


def _dropped_sentence(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    if len(_words(en)) < 5:
        return None
    return [], None, f"dropped {fr!r}"


def _dropped_clause(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    body_end = len(_FINAL_PUNCT.sub("", fr))
    total = len(_words(fr))
    options = []
    for m in re.finditer(r",\s*([^,;:]+)", fr[:body_end]):
        n = len(_words(m.group(1)))
        # dropping a quotation mark with the clause would also unbalance the quotes
        if n >= 4 and n >= 0.2 * total and total - n >= 5 and not _QUOTES.search(m.group(0)):
            options.append(m)
    if not options:
        return None
    m = rng.choice(options)
    new = fr[:m.start()] + fr[m.end():]
    return [new], (0, m.start(), m.start()), f"dropped clause {m.group(0)!r}"


def _added_sentence(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    extra = rng.choice(list(pools.french))
    return [fr, extra], (1, 0, len(extra)), f"added {extra!r}"


def _added_clause(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    """A clause of another article's sentence put into this one, at a comma or before its
    final stop: the hallucinated part-sentence that machine translation adds."""
    if len(_words(fr)) < 6:
        return None
    body_end = len(_FINAL_PUNCT.sub("", fr))
    cuts = [m.start() for m in re.finditer(",", fr[:body_end])] + [body_end]
    donors = list(pools.french)
    for _ in range(20):
        donor = rng.choice(donors)
        # clauses between a comma and a comma or the final stop: they start the way a clause
        # inside a sentence does (not with the capital of a sentence start), end where a
        # clause ends, and carry no quotation mark or bracket
        donor_end = len(_FINAL_PUNCT.sub("", donor))
        parts = list(re.finditer(r"[^,;:.!?«»\"“”()]+", donor))[1:]
        parts = [m.group(0).strip() for m in parts if donor[m.start() - 1] == ","
                 and (m.end() >= donor_end or donor[m.end()] == ",")]
        parts = [p for p in parts if 4 <= len(_words(p)) <= 12 and not p[:1].isupper()]
        if parts:
            break
    else:
        return None
    clause = rng.choice(parts)
    cut = rng.choice(cuts)
    added = ", " + clause
    new = fr[:cut] + added + fr[cut:]
    return [new], (0, cut, cut + len(added)), f"added clause {added!r}"


def _boilerplate(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    extra = rng.choice(BOILERPLATE_FR)
    return [fr, extra], (1, 0, len(extra)), f"boilerplate {extra!r}"


def _untranslated_sentence(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    if len(_words(en)) < 4:
        return None
    return [en], (0, 0, len(en)), "source sentence left in English"


def _untranslated_span(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    fw, ew = _words(fr), _words(en)
    if len(fw) < 8 or len(ew) < 8:
        return None
    share = rng.uniform(0.35, 0.6)
    i, j = round(share * len(fw)), round(share * len(ew))
    # the French may keep an English name ("l'Association of Professional ..."): start the English
    # after any words the two already share, or the splice repeats a word (another fault)
    while j < len(ew) and i > 0 and ew[j].group(0).lower() == fw[i - 1].group(0).lower():
        j += 1
    if len(ew) - j < 4 or i < 3:
        return None
    head = fr[:fw[i].start()].rstrip()
    tail = en[ew[j].start():]
    new = head + " " + tail
    return [new], (0, len(head) + 1, len(new)), f"English tail {tail!r}"


def _third_language(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    n = len(_words(fr))
    if n < 4:
        return None
    sample = rng.sample(list(pools.third_language), min(25, len(pools.third_language)))
    lang, text = min(sample, key=lambda lt: (abs(len(_words(lt[1])) - n), lt[1]))
    return [text], (0, 0, len(text)), f"{lang}: {text!r}"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _changed_number(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    en_numbers = {_digits(m.group(0)) for m in _NUMBER.finditer(en)}
    options = [m for m in _NUMBER.finditer(fr) if _digits(m.group(0)) in en_numbers]
    if not options:
        return None
    m = rng.choice(options)
    number = m.group(0)
    positions = [k for k, c in enumerate(number) if c.isdigit()]
    # Change the last digit of short numbers and years (the usual slip), any digit otherwise.
    k = positions[-1] if len(positions) <= 4 or rng.random() < 0.5 else rng.choice(positions[1:])
    choices = [d for d in "0123456789" if d != number[k] and not (k == positions[0] and d == "0")]
    new_number = number[:k] + rng.choice(choices) + number[k + 1:]
    new = fr[:m.start()] + new_number + fr[m.end():]
    return [new], (0, m.start(), m.start() + len(new_number)), f"{number} -> {new_number}"


def _changed_name(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    first = _words(fr)[:1]
    start_of_sentence = first[0].start() if first else -1
    options = []
    for m in _NAME.finditer(fr):
        name = m.group(0)
        if m.start() == start_of_sentence or fr.count(name) != 1:
            continue
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", en):
            options.append(m)
    if not options:
        return None
    m = rng.choice(options)
    others = [n for n in REPLACEMENT_NAMES if n not in fr and n not in en]
    other = rng.choice(others)
    new = fr[:m.start()] + other + fr[m.end():]
    return [new], (0, m.start(), m.start() + len(other)), f"{m.group(0)} -> {other}"


def _truncation(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    words = _words(fr)
    if len(words) < 8:
        return None
    share = rng.uniform(0.4, 0.7)
    i = max(3, min(len(words) - 3, round(share * len(words))))
    new = fr[:words[i].start()].rstrip(" ,;:-\u00a0\u202f«\"")
    return [new], (0, len(new), len(new)), f"cut after {new[-30:]!r}"


def mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-1252 (bytes cp1252 leaves undefined read as Latin-1)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def _mojibake(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    if all(ord(c) < 128 for c in fr):
        return None
    new = mojibake(fr)
    return [new], (0, 0, len(new)), "UTF-8 read as CP1252"


def _broken_quotes(en: str, fr: str, rng: random.Random, pools: Pools) -> Optional[_Edit]:
    close = fr.rfind("»")
    if "«" in fr and close > fr.find("«"):
        start = close
        while start > 0 and fr[start - 1] in " \u00a0\u202f":
            start -= 1
        new = fr[:start] + fr[close + 1:]
        return [new], (0, start, start), "closing » removed"
    words = _words(fr)
    if len(words) < 6:
        return None
    w = words[rng.randrange(1, len(words) - 3)]
    new = fr[:w.start()] + "«\u00a0" + fr[w.start():]
    return [new], (0, w.start(), w.start() + 2), "unmatched « inserted"


_EDITS = {
    "duplicated_clause": _duplicated_clause,
    "repeated_words": _repeated_words,
    "repeated_line": _repeated_line,
    "dropped_sentence": _dropped_sentence,
    "dropped_clause": _dropped_clause,
    "added_sentence": _added_sentence,
    "boilerplate": _boilerplate,
    "added_clause": _added_clause,
    "untranslated_sentence": _untranslated_sentence,
    "untranslated_span": _untranslated_span,
    "third_language": _third_language,
    "changed_number": _changed_number,
    "changed_name": _changed_name,
    "truncation": _truncation,
    "mojibake": _mojibake,
    "broken_quotes": _broken_quotes,
}


def corrupt_document(
    docid: str,
    pairs: Sequence[tuple[str, str]],
    kinds: Sequence[str],
    pools: Pools,
    seed: int,
    variant: int = 0,
    min_gap: int = 2,
) -> CorruptedDocument:
    """Inject one fault of each of `kinds` (in order) at pairs at least `min_gap` apart.

    A kind that fits no free pair is skipped. Faulty pairs are chosen at random among those the
    kind applies to; the result depends only on the arguments.
    """
    rng = random.Random(f"{seed}|{docid}|{variant}")
    n = len(pairs)
    pieces: list[list[str]] = [[fr] for _, fr in pairs]
    local: dict[int, tuple[str, Optional[tuple[int, int, int]], str]] = {}
    used: list[int] = []
    for kind in kinds:
        order = list(range(n))
        rng.shuffle(order)
        if kind == "boilerplate" and rng.random() < 0.5:
            order = [n - 1] + [k for k in order if k != n - 1]  # site text usually ends a page
        for k in order:
            if any(abs(k - u) < min_gap for u in used):
                continue
            en, fr = pairs[k]
            edit = _EDITS[kind](en, fr, rng, pools)
            if edit is None:
                continue
            new_pieces, span, detail = edit
            pieces[k] = new_pieces
            fair = _lost_codes(en, fr, new_pieces)
            if kind == "added_clause":
                fair |= _brought_codes(en, new_pieces[span[0]][span[1]:span[2]])
            local[k] = (kind, span, detail, fair)
            used.append(k)
            break
    return _assemble(docid, variant, pairs, pieces, local)


def _lost_codes(en: str, fr: str, new_pieces: list[str]) -> frozenset:
    """number_mismatch / entity_mismatch when the fault took out a number / a name of the source."""
    kept = " ".join(new_pieces)
    codes = set()
    for m in _NUMBER.finditer(fr):
        digits = _digits(m.group(0))
        if digits in _digits_set(en) and digits not in _digits_set(kept):
            codes.add("number_mismatch")
    for m in _NAME.finditer(fr):
        name = m.group(0)
        if name in en and name not in kept:
            codes.add("entity_mismatch")
    return frozenset(codes)


def _brought_codes(en: str, added: str) -> frozenset:
    """number_mismatch / entity_mismatch when added text brought a number / a name that the
    source does not have ("…, 12 000 personnes selon Dupont" is fairly flagged as both)."""
    codes = set()
    if _digits_set(added) - _digits_set(en):
        codes.add("number_mismatch")
    if any(m.group(0) not in en for m in _NAME.finditer(added)):
        codes.add("entity_mismatch")
    return frozenset(codes)


def _digits_set(text: str) -> set[str]:
    return {_digits(m.group(0)) for m in _NUMBER.finditer(text)}


def _assemble(docid, variant, pairs, pieces, local, sep: str = "\n\n") -> CorruptedDocument:
    source_parts, src_spans, pos = [], [], 0
    for en, _ in pairs:
        src_spans.append((pos, pos + len(en)))
        source_parts.append(en)
        pos += len(en) + len(sep)
    target_parts, tgt_pieces, faults, pos = [], [], [], 0
    for k, plist in enumerate(pieces):
        starts = []
        for text in plist:
            starts.append(pos)
            tgt_pieces.append((pos, pos + len(text), k))
            target_parts.append(text)
            pos += len(text) + len(sep)
        if k in local:
            kind, span, detail, *rest = local[k]
            doc_span = None if span is None else (starts[span[0]] + span[1], starts[span[0]] + span[2])
            faults.append(Fault(kind, k, doc_span, detail, rest[0] if rest else frozenset()))
    return CorruptedDocument(
        docid=docid,
        variant=variant,
        source=sep.join(source_parts),
        target=sep.join(target_parts),
        src_spans=src_spans,
        tgt_pieces=tgt_pieces,
        faults=faults,
        source_lines=list(source_parts),
        target_lines=list(target_parts),
    )


def schedule_kinds(n_pairs_per_document: Sequence[int], seed: int, per_pairs: int = 5,
                   most: int = 5, kinds: Sequence[str] = DEFAULT_KINDS) -> list[list[str]]:
    """Which of `kinds` each document gets: about one fault per `per_pairs` pairs (at least
    one, at most `most`, never one kind twice), kinds dealt round-robin from a seeded shuffle so
    that every kind is used about equally often."""
    rng = random.Random(f"{seed}|schedule")
    deck: list[str] = []
    out = []
    for n in n_pairs_per_document:
        count = max(1, min(most, len(kinds), n // per_pairs))
        dealt: list[str] = []
        while len(dealt) < count:
            fresh = [k for k in deck if k not in dealt]
            if not fresh:
                refill = list(kinds)
                rng.shuffle(refill)
                deck = refill + deck
                continue
            kind = fresh[-1]
            deck.remove(kind)
            dealt.append(kind)
        out.append(dealt)
    return out
