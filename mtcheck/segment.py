"""Sentence segmentation: text in, `Segment`s with paragraph ids and exact offsets out.

A rule-based splitter, written for English and French and sensible elsewhere:

- Paragraphs are separated by blank lines. Inside a paragraph a line break ends a
  sentence when the next line is a list item, or when the line is clearly a line of
  its own (a title, a line in a one-sentence-per-line file) rather than a line
  wrapped at a fixed width.
- A sentence ends at `.`, `!`, `?`, `…` (and their CJK, Arabic, Devanagari, Armenian
  and Ethiopic forms), after any closing quotes or brackets (French `. »` with a
  non-breaking space included), when what follows looks like the start of a
  sentence: a capital, a digit, an opening quote, a dash, a letter of a script without
  case. CJK full stops need no space after them.
- A full stop does not end a sentence after a known abbreviation (M., Mme, Dr., e.g.,
  févr. before a lower-case word, No. before a number), after an initial (J. K.
  Rowling), after a list number ("1. Introduction" at the start of a line, "gravis :
  1. Annapurna" after a colon), or inside a number (2.5). After an acronym or an
  initial (U.S., J.-C.) it ends one only before a word that usually starts sentences
  ("The", "Il"); after a unit that follows a number ("8222 m.") before any capital.
- A full stop followed by a lower-case word ends a sentence only when that word is a
  pronoun, article or conjunction ("ajouté. il a dit"): machine translation writes
  such sentences, and the casing check needs them on their own.

`split_sentences` never raises: any string gives segments in order, non-overlapping,
non-empty, with `text[start:end] == segment.text`.
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple, Optional, Sequence

from mtcheck.models import Segment

# A sentence longer than this is cut at a space, so that one runaway line (a 2 MB
# paragraph without punctuation) cannot stall the encoder and aligner downstream.
MAX_SENTENCE_CHARS = 3000

# Sentence-final punctuation. Those in CJK_TERMINALS end a sentence with no space after.
TERMINALS = ".!?…‼⁇⁈⁉‽。！？｡．؟۔।॥։።᙮"
CJK_TERMINALS = set("。！？｡．")
STRONG = set("!?‼⁇⁈⁉‽！？؟")
# Marks that end a sentence whatever word precedes them.
_UNAMBIGUOUS = STRONG | set("।॥؟۔։።᙮…")
_TERMINAL_RE = re.compile("[" + re.escape(TERMINALS) + "]+")

# Closing quotes and brackets that may follow the final punctuation of a sentence.
CLOSERS = set("\"'”’»«›‹)]}」』）】〉》〕］｝“")
# Spaces French puts before a closing guillemet: space, no-break, narrow no-break, thin.
_FRENCH_SPACES = set(" \u00a0\u202f\u2009")
OPENERS = set("\"'“‘«»‹›„‚([{¿¡「『（【〈《〔［｛")
DASHES = set("-–—―•·*▪►‣⁃➡")
_OPENER_CHARS = "".join(sorted(OPENERS))
_WORD_CHAR_RE = re.compile(r"[^\W_]")

# Scripts written with no spaces between words or sentences.
_CJK_RE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")

# ----------------------------------------------------------------- abbreviations
# Never end a sentence: titles before a name and abbreviations that a number or a
# noun always follows.
_NEVER_COMMON = {
    # English
    "Mr", "Mrs", "Ms", "Mx", "Messrs", "Dr", "Drs", "Prof", "Profs", "Rev", "Hon", "Sr", "Sra",
    "Srta", "St", "Mt", "Ft", "Gen", "Col", "Lt", "Capt", "Cpt", "Sgt", "Maj", "Cmdr", "Adm",
    "Gov", "Sen", "Rep", "Supt", "Insp", "Fr", "Pres",
    "e.g", "i.e", "E.g", "I.e", "eg", "cf", "Cf", "vs", "viz", "approx", "Approx", "incl",
    "excl", "dept", "Dept", "fig", "Fig", "figs", "Figs", "eq", "Eq", "eqs", "Ch",
    "chap", "Chap", "Sec", "sect", "Sect", "Vol", "ref", "Ref",
    "refs", "resp", "cca", "ca", "c", "ibid", "Ibid", "op", "cit", "ff",
    # French
    "M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Mgr", "Mgrs", "Pr", "Dr", "Drs", "Ste",
    "env", "Env", "cf", "c.-à-d", "c-à-d", "càd", "p.ex", "P.ex", "av", "apr",
    "éd", "coll", "tél", "Tél", "qqch", "qqn", "bd", "Bd", "chap", "n°", "N°", "sq", "sqq",
    "hab",
    # German
    "Hr", "Hrn", "Frl", "z.B", "Z.B", "u.a", "U.a", "d.h", "D.h", "bzw", "vgl", "Vgl", "evtl",
    "ggf", "inkl", "zzgl", "bzgl", "sog", "u.U", "o.ä", "ca", "Abs", "Str", "geb", "gest",
    # Spanish, Italian, Portuguese, Dutch
    "Sres", "Dra", "Dña", "Lic", "Ing", "Arq", "Ud", "Uds", "Vd", "Vds", "p.ej", "aprox",
    "pág", "págs", "núm", "avda", "Avda", "Sig", "Sigg", "Dott", "Avv", "Egr", "Gent",
    "dhr", "Dhr", "mevr", "Mevr", "bijv", "Bijv", "o.a",
    # Russian
    "т.е", "т.к", "т.н", "им", "ул", "пр", "см", "стр", "рис", "тыс", "млн", "млрд", "руб",
    "ст", "проф", "акад", "д",
}
_NEVER_BY_LANG = {
    "fr": {"Me", "ex", "Ex", "cad"},
    "de": {"S", "Nr", "Art"},
    "it": {"es", "pag"},
}
# Followed by a number they never end a sentence; otherwise they are ordinary words.
_BEFORE_NUMBER = {
    "No", "no", "Nos", "nos", "Nr", "nr", "Nº", "nº", "p", "pp", "P", "S", "s", "art", "Art",
    "fig", "Fig", "vol", "Vol", "ch", "n", "N", "op", "Op", "pt", "Pt", "Sp", "para", "tel",
    "Tel", "pag", "núm", "Núm",
}
# May end a sentence: end one only before a capital (not before a number or a
# lower-case word). Months, "etc.", company suffixes.
_MAYBE = {
    "etc", "Etc", "al", "Inc", "Ltd", "Co", "Corp", "Bros", "Jr", "jr", "Esq", "ed", "eds",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
    "janv", "févr", "fév", "avr", "juil", "juill", "Juill", "sept", "oct", "nov", "déc", "Janv", "Févr", "Avr",
    "Juil", "Déc", "Cie", "cie", "Febr", "Okt", "Dez", "usw", "Jh", "ecc", "enz", "т.д", "т.п",
    "др", "гг", "вв", "min", "max",
}
_MAYBE_BY_LANG = {"es": {"ene", "feb", "abr", "ago", "sep", "dic"}}
# Units that end sentences after a number ("8222 m.") but look like initials or
# abbreviations elsewhere.
_UNITS = {
    "m", "km", "cm", "mm", "g", "kg", "mg", "t", "l", "ml", "h", "s", "min", "ft", "mi",
    "lb", "lbs", "oz", "ha", "m²", "km²", "km2", "m2", "°C", "°F", "м", "км", "кг", "г",
}
# German ordinals: "am 3. Oktober" is not the end of a sentence.
_GERMAN_MONTHS = {
    "Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember", "Jahrhundert", "Jahrhunderts", "Platz",
    "Mal", "Stock", "Klasse", "Liga", "Bundesliga", "Runde", "Spieltag", "Geburtstag",
}

# Words that usually begin a sentence (compared in lower case). After an acronym or an
# initial ("U.S.", "J.-C.", "C.") a capitalised one of these starts a new sentence; a
# lower-case one after an ordinary word does too ("a-t-il ajouté. il a dit").
STARTERS = {
    # English
    "the", "a", "an", "this", "that", "these", "those", "there", "it", "its", "he", "she",
    "they", "we", "i", "you", "his", "her", "their", "our", "my", "in", "on", "at", "for",
    "but", "and", "or", "so", "if", "when", "while", "after", "before", "as", "however",
    "then", "also", "yet", "although", "because", "since", "what", "who", "how", "why",
    "where", "some", "many", "most", "all", "no", "not", "it's", "i'm", "we're", "there's",
    "meanwhile", "still", "now", "today", "during", "with", "by", "from", "one", "both",
    # French
    "le", "la", "les", "l'", "l’", "un", "une", "des", "du", "ce", "cette", "ces", "cet",
    "il", "elle", "ils", "elles", "on", "nous", "vous", "je", "j'", "j’", "tu", "mais",
    "et", "ou", "donc", "or", "ni", "car", "en", "dans", "pour", "par", "avec", "sur",
    "selon", "après", "avant", "depuis", "pendant", "lorsque", "quand", "si", "c'est",
    "c’est", "cela", "ça", "leur", "leurs", "son", "sa", "ses", "mon", "ma", "mes", "notre",
    "nos", "votre", "vos", "qui", "que", "quoi", "où", "comment", "pourquoi", "aucun",
    "tout", "tous", "toutes", "toute", "plusieurs", "certains", "puis", "ainsi", "cependant",
    "toutefois", "enfin", "alors", "aujourd'hui", "aujourd’hui", "au", "aux", "d'après",
    "y", "c'", "d'", "j'", "l'", "n'", "qu'", "s'", "c’", "d’", "j’", "l’", "n’", "qu’", "s’",
    # German
    "der", "die", "das", "ein", "eine", "einer", "es", "er", "sie", "wir", "ich", "ihr",
    "im", "am", "auf", "aber", "und", "oder", "doch", "denn", "dann", "nach", "vor", "mit",
    "für", "bei", "seit", "als", "wenn", "dies", "diese", "dieser", "dieses", "auch",
    # Spanish, Italian, Portuguese, Dutch
    "el", "los", "las", "unos", "unas", "pero", "con", "para", "por", "este", "esta",
    "estos", "estas", "eso", "lo", "gli", "uno", "ma", "se", "questo", "questa", "o", "os",
    "as", "um", "uma", "mas", "com", "isso", "het", "een", "maar", "toen", "dit", "deze",
    "dat",
    # Russian
    "он", "она", "оно", "они", "мы", "я", "вы", "это", "но", "как", "что", "так", "этот",
    "эта", "эти", "его", "её", "их", "после", "однако",
}

_ACRONYM_RE = re.compile(r"^(?:[^\W\d_]{1,3}\.-?)+[^\W\d_]{1,3}$")
_NUMBER_RE = re.compile(r"^[\d.,:/\-]*\d$")
_ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
_LIST_MARKER_RE = re.compile(r"(?:[-*+•·–—▪►‣⁃]|\d{1,3}[.)]|[a-zA-Z][.)]|[IVXLC]{1,5}[.)]|\(\d{1,3}\)|\([a-z]\))\s")
_SPACE_RE = re.compile(r"\s*")
_BREAKABLE_WORD_RE = re.compile(r"[^ \t]*")
_WORD_END_RE = re.compile(r"[\s.,;:!?…)\]}»«\"”“]")


def split_sentences(text: str, lang: str = "en") -> list[Segment]:
    """Split a document into sentences.

    `lang` is an ISO 639-1 code; it selects language-specific abbreviations and
    otherwise changes nothing, so any code (or an unknown one) works. Paragraphs are
    separated by blank lines and numbered from 0 in `Segment.para`.
    """
    try:
        return _split_sentences(text, (lang or "").lower()[:2])
    except Exception:  # noqa: BLE001 - a splitter bug must not take the run down
        return _fallback_segments(text)


def split_lines(text: str) -> list[Segment]:
    """One segment per line, as sacrebleu reads files (`--presegmented`, `--aligned`).

    Every line is kept, empty ones included (their text is "" and start == end), except
    the empty string after a final newline. Offsets exclude leading and trailing white
    space; `para` is the line index.
    """
    segments: list[Segment] = []
    if not text:
        return segments
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    pos = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
        else:
            start = pos
        segments.append(Segment(index, stripped, index, start, start + len(stripped)))
        pos += len(line) + 1
    return segments


# ----------------------------------------------------------------- internals


def _split_sentences(text: str, lang: str) -> list[Segment]:
    never = _NEVER_COMMON | _NEVER_BY_LANG.get(lang, set())
    maybe = _MAYBE | _MAYBE_BY_LANG.get(lang, set())
    spans: list[tuple[int, int, int]] = []  # (start, end, paragraph)
    para = 0
    for p_start, p_end, lines in _paragraphs(text):
        line_starts = _line_breaks(text, lines)
        context = _Context(lang, never, maybe, line_starts | {p_start})
        starts = sorted(_punctuation_breaks(text, p_start, p_end, context) | line_starts)
        before = len(spans)
        bounds = [p_start] + starts + [p_end]
        for a, b in zip(bounds, bounds[1:]):
            for s, e in _cap_length(text, *_strip(text, a, b)):
                if e > s:
                    spans.append((s, e, para))
        if len(spans) > before:
            para += 1
    return [Segment(i, text[s:e], p, s, e) for i, (s, e, p) in enumerate(spans)]


def _paragraphs(text: str):
    """(start, end, lines) of each run of non-blank lines; lines are (start, end)."""
    lines: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if text[pos:end].strip():
            lines.append((pos, end))
        elif lines:
            yield lines[0][0], lines[-1][1], lines
            lines = []
        if nl < 0:
            break
        pos = nl + 1
    if lines:
        yield lines[0][0], lines[-1][1], lines


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _cap_length(text: str, a: int, b: int):
    """Cut an overlong span at spaces (or anywhere, if it has none) into pieces."""
    while b - a > MAX_SENTENCE_CHARS:
        cut = a + MAX_SENTENCE_CHARS
        space = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, cut)
        if space > a:
            cut = space
        yield _strip(text, a, cut)
        a, _ = _strip(text, cut, b)
    yield a, b


def _line_breaks(text: str, lines: list[tuple[int, int]]) -> set[int]:
    """Sentence starts at line breaks: list items, titles and lines of their own.

    A paragraph wrapped at a fixed width breaks a line only where the next word would
    not fit; a break before a word that would have fitted on the line (beside the
    widest line of the paragraph) is deliberate. Lines too short or too long to be
    wrapped text (a list of names, one sentence per line) always end where they end.
    """
    if len(lines) < 2:
        return set()
    lengths = [len(text[s:e].strip()) for s, e in lines]
    widest = max(lengths)
    starts = set()
    for i in range(1, len(lines)):
        s, e = _strip(text, *lines[i])
        head = text[s:min(e, s + 40)]
        # The word a wrapper would have had to move: no-break spaces do not break.
        first_word = _BREAKABLE_WORD_RE.match(head).group()
        prev_end = _strip(text, *lines[i - 1])[1]
        if (
            widest > 120
            or widest < 40
            or lengths[i - 1] + 1 + len(first_word) <= widest
            or (text[prev_end - 1] in ".:;!?…»\"”)" and _LIST_MARKER_RE.match(head[:12] + " "))
        ):
            starts.add(s)
    return starts


class _Context(NamedTuple):
    """What the rules need besides the text: the language's word lists and the
    positions where a line of the paragraph starts a sentence."""

    lang: str
    never: set
    maybe: set
    line_starts: set


def _punctuation_breaks(text: str, p_start: int, p_end: int, context: _Context) -> set[int]:
    starts = set()
    # Whether the sentence so far has a letter or digit (never cut off bare
    # punctuation such as a leading "..."), checked incrementally to stay linear.
    has_word = False
    scanned = p_start
    for match in _TERMINAL_RE.finditer(text, p_start, p_end):
        punct = match.group()
        end = match.end()
        # Walk over closing quotes and brackets: `."`, `.)`, `. »` (French spacing).
        closers = False
        while end < p_end:
            ch = text[end]
            if ch in CLOSERS:
                end += 1
                closers = True
            elif (
                ch in _FRENCH_SPACES
                and end + 1 < p_end
                and text[end + 1] in "»›"
                and (end + 2 >= p_end or text[end + 2].isspace() or text[end + 2] in CLOSERS)
            ):
                end += 2
                closers = True
            else:
                break
        if end >= p_end:
            break
        nxt = text[end]
        cjk_stop = punct[-1] in CJK_TERMINALS or (
            punct[-1] in STRONG and _CJK_RE.match(nxt) is not None
        )
        if not nxt.isspace():
            if not cjk_stop or (punct[-1] == "．" and nxt.isdigit()):
                continue
            if closers and "\u3040" <= nxt <= "\u309f":
                continue  # 「…。」と言った: a quoted sentence inside a Japanese one
            start = end
        else:
            start = _SPACE_RE.match(text, end, p_end).end()
            if start >= p_end:
                break
        if not has_word:
            has_word = _WORD_CHAR_RE.search(text, scanned, match.start()) is not None
            scanned = match.start()
        if not has_word:
            continue
        if cjk_stop or _ends_sentence(text, match.start(), punct, closers, start, p_end, context):
            starts.add(start)
            has_word = False
            scanned = start
    return starts


def _ends_sentence(text, punct_start, punct, closers, start, p_end, context: _Context) -> bool:
    lang, never, maybe = context.lang, context.never, context.maybe
    kind = _start_kind(text, start, p_end)
    if kind == "other":
        return False
    if closers or len(punct) > 1 or punct in _UNAMBIGUOUS:
        # "?", "!", an ellipsis, or a full stop inside a closing quote: the word
        # before does not matter, the start of the next one does.
        return kind == "upper" or kind == "digit"

    token = _previous_token(text, punct_start)
    core = token.lstrip(_OPENER_CHARS)
    if "'" in core or "’" in core:
        core = re.split("['’]", core)[-1]  # elision: "l'U.S." is "U.S."
    word = _next_word(text, start, p_end)
    if kind == "lower":
        # Only a pronoun, article or conjunction after an ordinary word ("ajouté. il").
        if len(word) < 2 or word.lower() not in STARTERS:
            return False
        if not core or core in never or core in maybe or core in _BEFORE_NUMBER:
            return False
        if "." in core or len(core) < 2 or not core[-1].isalpha():
            return False
        return True

    if not core:
        return True
    token_start = punct_start - len(token)
    if _NUMBER_RE.match(core) or _ROMAN_RE.match(core):
        if len(core) <= 3 and (token_start in context.line_starts or _after_sentence_end(text, token_start)):
            return False  # a list number: "1. Introduction", "erstiegen: 1. Annapurna"
        if lang == "de" and _NUMBER_RE.match(core) and len(core) <= 2 and word.rstrip(".,") in _GERMAN_MONTHS:
            return False
        if not _ROMAN_RE.match(core):
            return True
    if core in _UNITS and _after_number(text, token_start):
        return kind == "upper"  # "8222 m. Über", "à 300 km. Le": a unit, not an initial
    if core in never:
        return False
    if core in _BEFORE_NUMBER and kind == "digit":
        return False
    if core in maybe:
        return kind == "upper"
    if len(core) == 1 and core.isalpha() or _ACRONYM_RE.match(core):
        # An initial ("J. K. Rowling") or an acronym ("U.S.", "J.-C."): a new sentence
        # only before a word that usually starts one.
        if len(core) == 1 and token_start in context.line_starts:
            return False
        if len(word) == 1 and _is_initial_at(text, start, p_end):
            return False  # another initial follows: "G. O. Dyhrenfurth", "J. A. Smith"
        return word.lower() in STARTERS
    if core.lower() in never:
        return False
    return True


def _start_kind(text: str, i: int, p_end: int) -> str:
    """What the text at i starts with: "upper", "lower", "digit" or "other"."""
    for _ in range(4):
        if i >= p_end:
            return "other"
        ch = text[i]
        if ch in OPENERS:
            i += 1
            while i < p_end and text[i] in _FRENCH_SPACES:
                i += 1
            continue
        if ch.isupper() or ch.istitle():
            return "upper"
        if ch.islower():
            if i + 2 < p_end and text[i + 1] == ")" and text[i + 2].isspace():
                return "upper"  # a list item: "b) Les Alpes"
            return "lower"
        if ch.isdigit():
            return "digit"
        if ch.isalpha():
            return "upper"  # a script without case (CJK, Arabic, Hebrew, Devanagari, Thai)
        if ch in DASHES:
            return "upper"
        if ch in "#@$€£¥%&§+":
            return "digit"
        category = unicodedata.category(ch)
        if category == "So":
            return "upper"  # an emoji or a symbol opening a sentence
        return "other"
    return "other"


def _previous_token(text: str, punct_start: int) -> str:
    i = punct_start
    limit = max(0, punct_start - 40)
    while i > limit and not text[i - 1].isspace():
        i -= 1
    return text[i:punct_start]


def _next_word(text: str, start: int, p_end: int) -> str:
    i = start
    while i < p_end and i < start + 4 and text[i] in OPENERS:
        i += 1
    m = _WORD_END_RE.search(text, i, min(p_end, i + 40))
    word = text[i:m.start()] if m else text[i:min(p_end, i + 40)]
    word = word.rstrip("'’")
    for mark in "'’":
        if mark in word:
            # French elision: "L'empire", "C’est" start like "l'", "c’".
            word = word.split(mark, 1)[0] + mark
    return word


def _is_initial_at(text: str, i: int, p_end: int) -> bool:
    """True when a single letter and a full stop start at i, after any opening quotes."""
    while i < p_end and text[i] in OPENERS:
        i += 1
    return i + 1 < p_end and text[i].isalpha() and text[i + 1] == "."


def _after_sentence_end(text: str, i: int) -> bool:
    """True when the token at i follows the end of a sentence or a colon."""
    j = i - 1
    while j >= 0 and i - j < 8 and text[j].isspace():
        j -= 1
    if j < 0 or text[j] not in ".:;!?":
        return False
    if text[j] == ".":
        # "p. 91." and "No. 5." are a page and a number, not a list after a sentence.
        before = _previous_token(text, j).lstrip(_OPENER_CHARS)
        if len(before) <= 1 or before in _BEFORE_NUMBER or before in _NEVER_COMMON or before in _MAYBE:
            return False
    return True


def _after_number(text: str, i: int) -> bool:
    """True when the token at i follows a number ("8222 m")."""
    j = i - 1
    while j >= 0 and i - j < 4 and text[j] in " \u00a0\u202f\u2009":
        j -= 1
    return j >= 0 and j < i - 1 and text[j].isdigit()


def _fallback_segments(text: str) -> list[Segment]:
    """Lines as sentences: used only if the splitter meets input it cannot handle."""
    out = []
    try:
        for seg in split_lines(text):
            if seg.text:
                out.append(Segment(len(out), seg.text, len(out), seg.start, seg.end))
    except Exception:  # noqa: BLE001
        return []
    return out


def require_within_limit(segments: Sequence, limit: Optional[int], label: str) -> None:
    """Refuse, before any model runs, a side with more than `limit` sentences (None: the
    default `config.MAX_SENTENCES`; 0: no limit)."""
    from mtcheck import config
    from mtcheck.errors import InputError

    limit = config.MAX_SENTENCES if limit is None else limit
    if limit and len(segments) > limit:
        raise InputError(
            f"{label}: {len(segments):,} sentences, more than the limit of {limit:,} "
            "(--max-sentences N raises it, 0 removes it)"
        )
