"""`number_mismatch`: numbers, dates, times and amounts that differ between the two sides."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.encoding import readable
from mtcheck.checks.text import HTML_ENTITY
from mtcheck.models import Flag, Pair

# Languages that write 2.5 as "2,5" (comma decimal, dot or space for thousands).
COMMA_DECIMAL = {"fr", "de", "es", "it", "pt", "nl", "ru", "pl", "cs", "sk", "ro", "tr", "sv",
                 "da", "no", "nb", "fi", "et", "lv", "lt", "hu", "uk", "bg", "hr", "sl", "sr",
                 "el", "ca", "id", "vi"}

_NUMBER = re.compile(
    r"(?<![\d])(\d{1,3}(?:(?:[ \u00a0\u202f\u2009](?=\d{3}(?!\d))|[.,'’](?=\d{3}(?![\d])))\d{3})+"
    r"(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
)
_SUFFIX = re.compile(
    r"^(?:\s|\u00a0|\u202f)?(?P<unit>"
    r"millions?|milliards?|billions?|trillions?|mille|thousands?|k\b|bn\b|mn\b|m\b|md[s]?\b|"
    r"h\b|heures?|%|percent|per cent|pour\s?cent|p\.?\s?m\.?|a\.?\s?m\.?|"
    r"st\b|nd\b|rd\b|th\b|er\b|re\b|e\b|ème\b|eme\b|ᵉ|ᵉʳ)", re.I)
# "13h30", "13:30", "1.30 pm" and the French "15 h 30"
_TIME_TAIL = re.compile(r"^(?:[:.]|[\s\u00a0\u202f]?h[\s\u00a0\u202f]?)(\d{2})\b(?:\s?(?P<ampm>[ap])\.?\s?m\.?)?", re.I)
# Phone numbers and other codes written in pairs of digits ("08 11 00 06 95", "08.11.00.06.95"):
# one quantity, compared digit for digit, whatever the separator.
_DIGIT_PAIRS = re.compile(r"(?<![\d.,])\d{2}(?P<sep>[ .\-\u00a0])\d{2}(?:(?P=sep)\d{2}){2,}(?![\d])")
# Dates written with slashes ("9/11", "10/12/2013"): their day and month may be a month name
# on the other side.
_SLASH_DATE = re.compile(r"(?<![\d/.,])\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?(?![\d/])")

MULTIPLIERS = {
    "million": 1e6, "millions": 1e6, "mn": 1e6, "m": 1e6,
    "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9, "bn": 1e9,
    "billion": 1e9, "billions": 1e9, "trillion": 1e12, "trillions": 1e12,
    "mille": 1e3, "thousand": 1e3, "thousands": 1e3, "k": 1e3,
}

MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "dezember"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}
# "may" and "mars"/"mai" are also common words; a month needs a number next to it.
_MONTH_NEEDS_NUMBER = {"may", "march", "mars", "mai"}

# Written-out numbers. "one"/"un"/"une" are left out: they are articles and pronouns far
# more often than numbers. Written numbers only ever support a match, never raise a flag.
WRITTEN = {
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
           "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
           "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
           "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
           "million": 1e6, "billion": 1e9, "first": 1, "second": 2, "third": 3, "fourth": 4,
           "fifth": 5, "tenth": 10, "half": 0.5, "once": 1, "twice": 2, "one": 1, "quarter": 0.25},
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
           "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
           "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000, "douzaine": 12,
           "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
           "premier": 1, "première": 1, "deuxième": 2,
           "second": 2, "seconde": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
           "dixième": 10, "moitié": 0.5, "demi": 0.5, "un": 1, "une": 1, "fois": None, "quart": 0.25,
           "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, "soixante-dix": 70,
           "quatre-vingt": 80, "quatre-vingts": 80, "quatre-vingt-dix": 90, "mi": 0.5},
    "de": {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
           "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "hundert": 100,
           "tausend": 1000, "ein": 1, "eine": 1},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
           "nueve": 9, "diez": 10, "veinte": 20, "cien": 100, "mil": 1000, "uno": 1, "una": 1},
}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

# Units a translator converts (50 ft -> 15 m, 600 million pounds -> 272 millions de kg):
# name -> (dimension, factor to the base unit). Converted amounts match within UNIT_TOLERANCE.
UNITS = {
    "ft": ("length", 0.3048), "feet": ("length", 0.3048), "foot": ("length", 0.3048),
    "in": ("length", 0.0254), "inch": ("length", 0.0254), "inches": ("length", 0.0254),
    "yd": ("length", 0.9144), "yard": ("length", 0.9144), "yards": ("length", 0.9144),
    "mile": ("length", 1609.34), "miles": ("length", 1609.34), "mi": ("length", 1609.34),
    "m": ("length", 1.0), "metre": ("length", 1.0), "metres": ("length", 1.0), "meter": ("length", 1.0),
    "meters": ("length", 1.0), "mètre": ("length", 1.0), "mètres": ("length", 1.0),
    "km": ("length", 1000.0), "kilomètres": ("length", 1000.0), "kilometres": ("length", 1000.0),
    "kilometers": ("length", 1000.0), "cm": ("length", 0.01), "centimètres": ("length", 0.01),
    "mm": ("length", 0.001), "kilomètre": ("length", 1000.0), "centimètre": ("length", 0.01),
    "millimètres": ("length", 0.001), "millimètre": ("length", 0.001),
    # the French names of imperial units, which a translator may keep ("18 pouces"); not
    # "milles" (also "thousand") nor "livres" (also books and the currency)
    "pouce": ("length", 0.0254), "pouces": ("length", 0.0254), "pied": ("length", 0.3048),
    "pieds": ("length", 0.3048), "verge": ("length", 0.9144), "verges": ("length", 0.9144),
    "once": ("mass", 0.02835), "onces": ("mass", 0.02835), "pinte": ("volume", 0.000473),
    "pintes": ("volume", 0.000473),
    "lb": ("mass", 0.4536), "lbs": ("mass", 0.4536), "pound": ("mass", 0.4536), "pounds": ("mass", 0.4536),
    "oz": ("mass", 0.02835), "ounce": ("mass", 0.02835), "ounces": ("mass", 0.02835),
    "stone": ("mass", 6.35), "kg": ("mass", 1.0), "kilos": ("mass", 1.0), "kilogrammes": ("mass", 1.0),
    "kilograms": ("mass", 1.0), "g": ("mass", 0.001), "grammes": ("mass", 0.001), "grams": ("mass", 0.001),
    "tonnes": ("mass", 1000.0), "tonne": ("mass", 1000.0), "t": ("mass", 1000.0),
    "gallon": ("volume", 0.003785), "gallons": ("volume", 0.003785), "pint": ("volume", 0.000473),
    "pints": ("volume", 0.000473), "l": ("volume", 0.001), "litre": ("volume", 0.001),
    "litres": ("volume", 0.001), "liters": ("volume", 0.001), "cubic feet": ("volume", 0.0283168),
    "cubic foot": ("volume", 0.0283168), "cubic metres": ("volume", 1.0), "cubic meters": ("volume", 1.0),
    "mètres cubes": ("volume", 1.0), "m3": ("volume", 1.0), "m³": ("volume", 1.0),
    "barrels": ("volume", 0.159), "barils": ("volume", 0.159), "mph": ("speed", 1.609), "km/h": ("speed", 1.0),
    "acre": ("area", 0.4047), "acres": ("area", 0.4047), "ha": ("area", 1.0), "hectares": ("area", 1.0),
    "°f": ("temperature", None), "°c": ("temperature", 1.0), "fahrenheit": ("temperature", None),
    "celsius": ("temperature", 1.0),
}
# ("75 degrees Fahrenheit" / "24 degrés Celsius": the scale names the unit after "degrees")
_UNIT = re.compile(r"^[\s\u00a0\u202f]?(?:de\s|d')?(?:(?:degrees?|degrés?)[\s\u00a0\u202f]+)?(" + "|".join(
    sorted((re.escape(u) for u in UNITS), key=len, reverse=True)) + r")(?![\w/])", re.I)
UNIT_TOLERANCE = 0.12
# Converted temperatures match within a degree Celsius (75 °F is 23.9 °C, written "24").
TEMPERATURE_TOLERANCE = 1.0
# "-aine" words for round numbers ("une soixantaine de" for "about 60").
ROUGHLY = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
           "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
           "millier": 1000, "dizaines": 10, "centaines": 100, "milliers": 1000}
# Centuries in Roman numerals: "XXe siècle", "XXIème", "XIX^(e)" for "20th century". One
# letter counts only as I, V or X: "Le" and "Ce" are words.
_ROMAN = re.compile(r"\b(?:([IVXLC]{2,6})|([IVX]))(?:\^\()?(?:e|ème|ième|eme|ᵉ|er)\)?(?![^\W\d_])")
# Currencies, so that an amount the translator converted ("100 millions de dollars (75
# millions d'euros)") is not taken for a changed number.
CURRENCY_SYMBOLS = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
CURRENCY_WORDS = {
    "dollar": "dollar", "dollars": "dollar", "usd": "dollar", "cad": "dollar", "aud": "dollar",
    "euro": "euro", "euros": "euro", "eur": "euro", "pound": "pound", "pounds": "pound",
    "sterling": "pound", "livre": "pound", "livres": "pound", "gbp": "pound", "yen": "yen",
    "yens": "yen", "jpy": "yen", "franc": "franc", "francs": "franc", "chf": "franc",
    "yuan": "yuan", "yuans": "yuan", "rouble": "rouble", "roubles": "rouble", "ruble": "rouble",
    "rubles": "rouble", "rupee": "rupee", "rupees": "rupee", "roupie": "rupee", "roupies": "rupee",
}
_CURRENCY_AFTER = re.compile(
    r"^[\s\u00a0\u202f]*(?:(?:M|Md|Mds|G|k|bn|m)[\s\u00a0\u202f]?)?(?P<symbol>[$€£¥])|"
    r"^[\s\u00a0\u202f]*(?:de\s+|d['’]|of\s+)?(?:[A-Z]{1,2}\s+)?(?P<word>[^\W\d_]+)", re.I)
_CURRENCY_BEFORE = re.compile(r"(?:(?P<symbol>[$€£¥])|\b(?P<word>[A-Za-z]{3}))[\s\u00a0\u202f]?(?:[A-Z]{1,2})?$")
# Words that say a number is rounded ("about 2,000" for 1,950; "environ 2 000").
HEDGES = {"about", "around", "nearly", "almost", "some", "roughly", "approximately", "over", "under",
          "more than", "less than", "close to", "up to", "environ", "près de", "presque", "quelque",
          "plus de", "moins de", "autour de", "approximativement", "quasiment", "pratiquement",
          "à peu près", "jusqu'à", "jusqu’à", "ungefähr", "etwa", "fast", "unos", "casi", "alrededor de"}
_HEDGE_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(h) for h in HEDGES), key=len, reverse=True))
    + r")(?:\s+(?:d['’]|de\s+|the\s+|les\s+))?[\s\u00a0\u202f]*[$€£¥]?[\s\u00a0\u202f]*$", re.I)
_PERCENT_AFTER = re.compile(r"^[\s\u00a0\u202f]?(?:%|percent\b|per cent\b|pour\s?cent\b|prozent\b|por ciento\b)", re.I)
# A translation may round a number: within this share of it, with fewer significant digits.
ROUNDING = 0.05


@dataclass
class Quantity:
    """A number found in a text: its value, where it is, and whether it was written in digits."""

    value: float
    start: int
    end: int
    text: str
    digits: bool
    kind: str = "number"  # number, month, time
    base: float = 0.0  # the value before a multiplier ("2.5" of "2.5 million")
    dimension: str = ""  # length, mass, ... when a unit follows
    si: float = 0.0  # the amount in the base unit of its dimension
    date_part: bool = False  # a day or month of a date written with slashes ("9/11")
    day_part: str = ""  # "a" or "p" when the text says which half of the day a time is in
    hedged: bool = False  # said to be approximate ("about", "environ")
    percent: bool = False  # followed by "%", "percent", "pour cent"
    currency: str = ""  # dollar, euro, pound, ... when the amount has one
    decade: bool = False  # tens written out after "années" ("les années soixante": the 1960s)


def extract_quantities(text: str, lang: str) -> list[Quantity]:
    """Every number in `text`, read with the conventions of `lang`.

    Digits with thousands separators ("10 000", "10,000", "10.000") and decimal marks
    ("2,5" / "2.5"); multipliers ("2.5 million", "5 milliards", "$5bn"); ordinals ("12th",
    "1er"); percentages; clock times (13 h, 13h30, 1 pm, 1:30 p.m.) as 24-hour values;
    month names as month numbers; written-out numbers ("two", "deux", "vingt-deux").
    """
    out: list[Quantity] = []
    comma_decimal = lang in COMMA_DECIMAL
    # HTML entities ("&#x2019;", "&#174;") are characters, not numbers: blank them out,
    # keeping every offset
    text = HTML_ENTITY.sub(lambda m: " " * len(m.group()), text)
    taken: list[tuple[int, int]] = []
    codes = []
    for m in _DIGIT_PAIRS.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        out.append(Quantity(float(digits), m.start(), m.end(), m.group(), True, "code", float(digits)))
        codes.append((m.start(), m.end()))
    dates = [(m.start(), m.end()) for m in _SLASH_DATE.finditer(text)]
    for m in _NUMBER.finditer(text):
        if taken and m.start(1) < taken[-1][1]:
            continue  # inside a time or amount already read ("13h30")
        if any(a <= m.start(1) < b for a, b in codes):
            continue
        raw = m.group(1)
        # a digit glued to letters on the left is part of a code ("G20", "F-16"): keep as is
        value = _parse_number(raw, comma_decimal)
        if value is None:
            continue
        start, end = m.start(1), m.end(1)
        base = value
        kind = "number"
        rest = text[end:end + 20]
        time = _TIME_TAIL.match(rest) if re.fullmatch(r"\d{1,2}", raw) else None
        if time and int(raw) <= 24 and int(time.group(1)) < 60:
            hour = int(raw)
            if time.group("ampm"):
                hour = _twelve_hour(hour, time.group("ampm"))
            elif rest[0] == "." and not _TIME_WORDS.search(text[max(0, start - 30):start]):
                time = None
            if time:
                value = hour + int(time.group(1)) / 100
                end += time.end()
                kind = "time"
        clock = re.fullmatch(r"(\d{1,2})[.:](\d{2})", raw)
        ampm = re.match(r"^\s?([ap])\.?\s?m\b\.?", rest, re.I)
        day_part = (time.group("ampm") or "")[:1].lower() if kind == "time" and time else ""
        if kind == "number" and clock and ampm and int(clock.group(1)) <= 12 and int(clock.group(2)) < 60:
            value = base = _twelve_hour(int(clock.group(1)), ampm.group(1)) + int(clock.group(2)) / 100
            end += ampm.end()
            kind = "time"
            day_part = ampm.group(1).lower()
        if kind == "number":
            suffix = _SUFFIX.match(rest)
            if suffix:
                unit = suffix.group("unit").lower().replace(" ", "").replace(".", "")
                if unit in MULTIPLIERS:
                    # "5 m" is metres as often as millions: only "£5m", "5m" after a currency,
                    # or the French "147 M$" / "4,1 Md€"
                    after = text[end + suffix.end():end + suffix.end() + 1]
                    money = _currency_before(text, start) or after in "$€£¥" and after != ""
                    if unit in ("m", "md", "mds") and not money and not (
                            unit != "m" and suffix.group("unit")[0] == "M"):
                        pass
                    else:
                        value *= MULTIPLIERS[unit]
                        end += suffix.end()
                elif unit in ("pm", "am") and float(value).is_integer() and 1 <= value <= 12:
                    value = base = _twelve_hour(int(value), unit[0])
                    end += suffix.end()
                    kind = "time"
                    day_part = unit[0]
                elif unit in ("h", "heure", "heures") and value <= 24:
                    end += suffix.end()
                    kind = "time"
        # "6.30 that night", "7 in the evening", "6h30 le lendemain matin": the words after a
        # clock time say which half of the day it is in
        # (a number that is not yet a time must follow "at", "à", "vers"...: "2.50 this morning"
        # may be a price)
        clock_like = kind == "time" or _TIME_WORDS.search(text[max(0, start - 30):start]) and (
            (clock and int(clock.group(1)) <= 24 and int(clock.group(2)) < 60)
            or (re.fullmatch(r"\d{1,2}", raw) and 1 <= value <= 12))
        said = _DAY_PART.match(text[end:end + 40]) if clock_like and not day_part else None
        # ... or before a clock time ("hier soir à 11 heures", "tonight at 7:30")
        told_before = _DAY_PART_BEFORE.search(text[max(0, start - 40):start]) \
            if kind == "time" and not day_part and not said else None
        if said or told_before:
            day_part = "a" if (said or told_before).group("am") else "p"
            value = base = _on_24_hours(value, day_part)
            kind = "time"
            end += said.end() if said else 0
        quantity = Quantity(value, start, end, text[start:end], True, kind, base)
        quantity.date_part = any(a <= start < b for a, b in dates)
        quantity.day_part = day_part if kind == "time" else ""
        quantity.currency = _currency(text, start, end) if kind == "number" else ""
        quantity.hedged = bool(_HEDGE_BEFORE.search(text[max(0, start - 30):start]))
        quantity.percent = bool(_PERCENT_AFTER.match(text[end:end + 12]))
        # (the unit as a reader sees through mojibake: "mÃ¨tres cubes" are cubic metres)
        unit = _UNIT.match(readable(text[end:end + 30])[:20]) if kind == "number" else None
        if unit:
            dimension, factor = UNITS[unit.group(1).lower()]
            quantity.dimension = dimension
            if factor is None:  # Fahrenheit
                quantity.si = (value - 32) * 5 / 9
            else:
                quantity.si = value * factor
        out.append(quantity)
        taken.append((start, end))
    taken += codes
    for m in _ROMAN.finditer(text):
        value = _roman(m.group(1) or m.group(2))
        if value and not any(a <= m.start() < b for a, b in taken):
            out.append(Quantity(value, m.start(), m.end(), m.group(), False, "number", value))
    for m in _STANDALONE_ROMAN.finditer(text):
        # "CHAPITRE VII" for "CHAPTER 7", "Louis XIV"; a lone "I" is the English pronoun
        if m.group() == "I" and lang == "en" or any(a <= m.start() < b for a, b in taken):
            continue
        value = _roman(m.group())
        if value:
            out.append(Quantity(value, m.start(), m.end(), m.group(), False, "number", value))
    month_names = MONTHS.get(lang, [])
    written = WRITTEN.get(lang, {})
    cardinals: list[Quantity] = []
    for m in _WORD.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue  # "million" of "2.5 million" is already in the amount
        word = m.group().lower()
        # "sept." ends "Ils étaient sept." more often than it abbreviates "septembre"
        month = _month_number(word, month_names, text, m.end()) if word in month_names or word not in written else 0
        if month:
            if (word in _MONTH_NEEDS_NUMBER or word not in month_names) and not _number_near(text, m.start(), m.end()):
                continue
            out.append(Quantity(month, m.start(), m.end(), m.group(), False, "month", month))
            continue
        value = _written_value(word, written)
        # (a hyphenated ordinal is one number: "dix-neuvième" is 19, not the "dix" of "dix-mois")
        ordinal = _ordinal_value(word, written, lang) if value is None or "-" in word else None
        if ordinal is not None:
            value = ordinal
        # an ordinal ends a written compound as a cardinal would: "vingt et unième" 21
        if isinstance(value, (int, float)) and value >= 1 and float(value).is_integer():
            cardinals.append(Quantity(value, m.start(), m.end(), m.group(), False, "number", value))
        if value is None and lang == "fr":
            value = ROUGHLY.get(word)
        if value is not None:
            quantity = Quantity(value, m.start(), m.end(), m.group(), False, "number", value)
            quantity.decade = value in _DECADE_TENS and bool(_DECADE_BEFORE.search(text[max(0, m.start() - 12):m.start()]))
            out.append(quantity)
    compounds = _written_compounds(text, cardinals)
    out += compounds
    whole_numbers = compounds + [q for q in cardinals if not any(c.start <= q.start and q.end <= c.end for c in compounds)]
    out += _written_decimals(text, whole_numbers, lang)
    if lang == "fr":
        out += _written_times(text, whole_numbers)
    out.sort(key=lambda q: q.start)
    return out


# "les années soixante": a decade written as its tens, read like "'60s" (the 1960s).
_DECADE_TENS = {20, 30, 40, 50, 60, 70, 80, 90}
_DECADE_BEFORE = re.compile(r"\bannées\s+$", re.I)
# A valid Roman numeral standing alone, in capitals ("VII", "XIV", "CHAPITRE I").
_STANDALONE_ROMAN = re.compile(r"(?<![\w'’-])(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\w'’-])")
# What may join the words of one written number ("deux mille", "vingt et un",
# "two hundred and fifty", "dix-sept mille cinq cents").
_NUMBER_JOIN = re.compile(r"\s+|\s*-\s*")
_NUMBER_AND = re.compile(r"\s+(?:et|and)\s+")


def _written_compounds(text: str, cardinals: list["Quantity"]) -> list["Quantity"]:
    """Written numbers of several words read as one ("deux mille" 2000, "trois cent vingt"
    320, "two thousand five hundred" 2500), beside their words: each word alone still
    matches a digit the other side writes for it."""
    out = []
    group: list[Quantity] = []
    for q in cardinals + [None]:
        gap = text[group[-1].end:q.start] if q is not None and group else None
        # ("and" joins a smaller number after a ten or a hundred: "two and three" is two numbers)
        if gap is not None and (_NUMBER_JOIN.fullmatch(gap) or _NUMBER_AND.fullmatch(gap)
                                and group[-1].value >= 20 and q.value < group[-1].value):
            group.append(q)
            continue
        if len(group) >= 2:
            total = current = 0.0
            for part in group:
                if part.value >= 1000:
                    total += max(current, 1) * part.value
                    current = 0.0
                elif part.value == 100:
                    current = max(current, 1) * 100
                else:
                    current += part.value
            value = total + current
            first, last = group[0], group[-1]
            out.append(Quantity(value, first.start, last.end, text[first.start:last.end], False, "number", value))
        group = [q] if q is not None else []
    return out


# Decimals in words: "deux virgule cinq", "two point five"; "dix-huit milles cinq dixièmes",
# "treize noeuds quarante-trois centièmes" (the unit between the whole and the fraction);
# "deux mètres vingt-cinq centimètres" (the fraction in a smaller unit).
_DECIMAL_POINT = {"fr": re.compile(r"\s+virgule\s+"), "en": re.compile(r"\s+point\s+")}
_UNIT_BETWEEN = re.compile(r"\s+([^\W\d_]+)\s+(?:et\s+|and\s+)?")
_FRACTION_AFTER = re.compile(r"\s+(dixièmes?|centièmes?|millièmes?|tenths?|hundredths?|thousandths?)\b", re.I)
_FRACTION_DIVISOR = {"dixième": 10, "centième": 100, "millième": 1000, "tenth": 10, "hundredth": 100,
                     "thousandth": 1000}
_SUBUNIT_DIVISOR = {"centi": 100, "milli": 1000}


def _written_decimals(text: str, numbers: list["Quantity"], lang: str) -> list["Quantity"]:
    """Decimals written out in words (see _DECIMAL_POINT), each read as one number beside
    its parts: "dix-huit milles cinq dixièmes" is 18.5, as the source's "18.5 miles"."""
    out = []
    numbers = sorted(numbers, key=lambda q: q.start)
    for a, b in zip(numbers, numbers[1:]):
        if not (float(a.value).is_integer() and float(b.value).is_integer()):
            continue
        gap = text[a.end:b.start]
        point = _DECIMAL_POINT.get(lang)
        value = end = None
        if point is not None and point.fullmatch(gap):
            value, end = a.value + b.value / 10 ** len(str(int(b.value))), b.end
        unit = _UNIT_BETWEEN.fullmatch(gap)
        after = _FRACTION_AFTER.match(text, b.end)
        if value is None and unit and after:
            divisor = _FRACTION_DIVISOR[after.group(1).lower().rstrip("s")]
            if b.value < divisor:
                value, end = a.value + b.value / divisor, after.end()
        if value is None and unit:
            # "mètres ... centimètres", "meters ... centimeters"
            small = re.match(r"\s+([^\W\d_]+)", text[b.end:])
            whole = unit.group(1).lower().rstrip("s")
            part = small.group(1).lower().rstrip("s") if small else ""
            for prefix, divisor in _SUBUNIT_DIVISOR.items():
                if part == prefix + whole and len(whole) >= 3 and b.value < divisor:
                    value, end = a.value + b.value / divisor, b.end + small.end()
        if value is not None:
            out.append(Quantity(value, a.start, end, text[a.start:end], False, "number", value))
    return out


# A clock time in French words: "neuf heures et demie" 9:30, "une heure moins sept minutes"
# 0:53, "dix heures trente du matin" 10:30, "midi", "minuit".
_HOURS_AFTER = re.compile(r"\s+heures?\b", re.I)
_HALF_OR_QUARTER = re.compile(r"\s+(?:et\s+(?P<half>demie)|et\s+(?P<quarter>quart)|moins\s+le\s+(?P<to>quart))\b", re.I)
_MINUS = re.compile(r"\s+moins\s+", re.I)
_MINUTES_AFTER = re.compile(r"\s+minutes?\b", re.I)
_NOON = re.compile(r"(?<![\w-])(?:(?P<noon>midi)|(?P<midnight>minuit))(?![\w-])", re.I)  # not "après-midi"


def _written_times(text: str, numbers: list["Quantity"]) -> list["Quantity"]:
    """Clock times written in French words (see _HOURS_AFTER), as 24-hour values when the
    words say the half of the day ("du matin", "du soir")."""
    out = []
    by_start = {q.start: q for q in numbers}
    for q in numbers:
        hours = _HOURS_AFTER.match(text, q.end)
        if not hours or not float(q.value).is_integer() or not 0 <= q.value <= 24:
            continue
        hour, minutes, end = int(q.value), 0, hours.end()
        fraction = _HALF_OR_QUARTER.match(text, end)
        minus = _MINUS.match(text, end)
        if fraction:
            minutes = 30 if fraction.group("half") else 15 if fraction.group("quarter") else -15
            end = fraction.end()
        else:
            start = minus.end() if minus else re.match(r"\s*", text[end:]).end() + end
            other = by_start.get(start)
            if other is not None and float(other.value).is_integer() and 0 < other.value < 60:
                minutes = -int(other.value) if minus else int(other.value)
                end = other.end
                tail = _MINUTES_AFTER.match(text, end)
                end = tail.end() if tail else end
        if minutes < 0:
            hour, minutes = (hour - 1) % 24, 60 + minutes
        value = hour + minutes / 100
        said = _DAY_PART.match(text[end:end + 40])
        day_part = ""
        if said:
            day_part = "a" if said.group("am") else "p"
            value = _on_24_hours(value, day_part)
            end += said.end()
        quantity = Quantity(value, q.start, end, text[q.start:end], False, "time", value)
        quantity.day_part = day_part
        out.append(quantity)
    for m in _NOON.finditer(text):
        value = 12.0 if m.group("noon") else 0.0
        out.append(Quantity(value, m.start(), m.end(), m.group(), False, "time", value))
    return out


def _on_24_hours(value: float, day_part: str) -> float:
    """A clock time of the given half of the day ("a" or "p") on the 24-hour clock: 7.30 in
    the evening is 19:30, "12.30 in the morning" is 0:30."""
    if day_part == "p" and value < 12:
        return value + 12
    if day_part == "a" and 12 <= value < 13:
        return value - 12
    return value


_TIME_WORDS = re.compile(r"\b(à|at|vers|around|dès|until|jusqu'à|avant|after|après|before|from|de)\s*$", re.I)
# The half of the day said in words after a time: "that night", "in the evening", "on Friday
# afternoon", "du soir", "ce soir-là", "le lendemain matin", "hier après-midi".
_HALF_OF_DAY = r"(?:(?P<am>morning|matin|matinée)|(?P<pm>night|evening|afternoon|tonight|soir|soirée|après-midi))"
_DAY_PART = re.compile(
    r"^[\s\u00a0\u202f]*(?:o'clock\s+)?"
    r"(?:(?:that|this|the same|every|tomorrow|last|yesterday|in the|at|on \w+|du|ce|cet|le|la|de la|dans la"
    r"|en|hier|demain|chaque)\s+|de l['’])?(?:lendemain\s+|même\s+)?" + _HALF_OF_DAY + r"\b(?:-là)?", re.I)
_DAY_PART_BEFORE = re.compile(r"\b" + _HALF_OF_DAY + r"(?:-là)?,?\s+(?:at|à|vers|around|dès)\s*$", re.I)


def _twelve_hour(hour: int, ampm: str) -> int:
    ampm = ampm.lower()
    if ampm == "p" and hour < 12:
        return hour + 12
    if ampm == "a" and hour == 12:
        return 0
    return hour


def _currency(text: str, start: int, end: int) -> str:
    """The currency of the amount at [start, end): a symbol or a currency name right
    before or after it ("$5", "5 €", "5 millions de dollars", "CAD 1,800"), or ""."""
    after = _CURRENCY_AFTER.match(text[end:end + 30])
    if after:
        if after.group("symbol"):
            return CURRENCY_SYMBOLS[after.group("symbol")]
        name = CURRENCY_WORDS.get(after.group("word").casefold())
        if name:
            return name
    before = _CURRENCY_BEFORE.search(text[max(0, start - 6):start])
    if before:
        if before.group("symbol"):
            return CURRENCY_SYMBOLS[before.group("symbol")]
        return CURRENCY_WORDS.get(before.group("word").casefold(), "")
    return ""


def _currency_before(text: str, start: int) -> bool:
    return start > 0 and text[start - 1] in "$£€¥"


def _number_near(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"\d", text[max(0, start - 6):start])) or bool(re.search(r"\d", text[end:end + 6]))


def _month_number(word: str, month_names: list[str], text: str, end: int) -> int:
    """1-12 for a month name, or its abbreviation with a full stop ("Oct.", "févr."); else 0."""
    if word in month_names:
        return month_names.index(word) + 1
    if len(word) >= 3 and text[end:end + 1] == ".":
        found = [i for i, name in enumerate(month_names) if name.startswith(word) and name != word]
        if len(found) == 1:
            return found[0] + 1
    return 0


def _ordinal_value(word: str, table: dict, lang: str):
    """The value of a written ordinal built on a cardinal: "treizième", "vingtième",
    "neuvième", "thirteenth", "twentieth", "twelfth"."""
    if lang == "fr" and word.endswith("ième") and len(word) > 5:
        stem = word[:-4]
        for candidate in (stem, stem + "e", stem[:-1] + "f", stem[:-1]):
            value = _written_value(candidate, table, whole=True)
            if isinstance(value, (int, float)) and value >= 1:
                return value
    if lang == "en" and word.endswith("th") and len(word) > 4:
        stem = word[:-2]
        candidates = [stem, stem + "e", stem + "t", stem[:-2] + "y" if stem.endswith("ie") else stem, stem[:-1] + "ve"]
        for candidate in candidates:
            value = _written_value(candidate, table, whole=True)
            if isinstance(value, (int, float)) and value >= 1:
                return value
    return None


def _written_value(word: str, table: dict, whole: bool = False):
    """The value of a written number, hyphenated compounds included ("vingt-deux"); a number
    leading a compound adjective counts alone ("six-month"), unless `whole` asks for the
    word as one number (an ordinal's stem: "dix-neuv" of "dix-neuvième" is not "dix")."""
    if word in table:
        return table[word]
    if "-" in word:
        parts = word.split("-")
        if parts[-3:] == ["and", "a", "half"] and isinstance(table.get(parts[0]), (int, float)):
            return table[parts[0]] + 0.5  # "eight-and-a-half"
        if parts[0] in table and parts[-1] not in table:
            return None if whole else table[parts[0]]  # "six-month", "two-year-old"
        values = [table.get(p) for p in parts if p not in ("et",)]
        if values and all(isinstance(v, (int, float)) for v in values):
            total = 0.0
            for v in values:
                total = total * v if v in (100, 1000) and total else total + v
            return total
    return None


def _parse_number(raw: str, comma_decimal: bool):
    text = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").replace("’", "'")
    text = text.replace(" ", "").replace("'", "")
    if "," in text and "." in text:
        # whichever comes last is the decimal mark
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        groups = text.split(",")
        thousands = all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3
        if comma_decimal and len(groups) == 2:
            text = text.replace(",", ".")
        elif thousands:
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif "." in text:
        groups = text.split(".")
        thousands = all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3
        if (comma_decimal and thousands) or len(groups) > 2:
            text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def _same(a: float, b: float) -> bool:
    # tight enough for a nine-digit phone number, loose enough for 1.2 * 1e9 in floats
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _article_one(q: Quantity) -> bool:
    """A written-out one ("un", "une", "premier", "a", "first"): often an article or a title
    ("le premier ministre") rather than a number."""
    return not q.digits and q.kind == "number" and q.value == 1


# The most characters between the parts of a date ("1 November", "May 21,").
DATE_GAP = 2


def _stands_for_article(q: Quantity, other: Quantity, own: list[Quantity]) -> bool:
    """Whether `other`, a written-out one, cannot stand for the "1" in digits `q`: it can for
    a count ("1 kWh" / "un kWh", "1 hour" / "une heure"), not for the day of a date ("1
    November" / "3er novembre ... le premier ministre")."""
    return q.digits and _article_one(other) and any(m.kind == "month" and _beside(m, q) for m in own)


def _beside(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities are written next to each other, in either order ("1 November",
    "May 21"): at most DATE_GAP characters apart."""
    gap = b.start - a.end if a.end <= b.start else a.start - b.end
    return 0 <= gap <= DATE_GAP


def _matches(q: Quantity, others: list[Quantity], same_kind: bool) -> int:
    """Index of a quantity in `others` equal to `q`, or -1.

    With `same_kind`, a time only matches a time (so "13 janvier à 13 h" pairs the two
    13s right); without it, "1 pm" may match a plain "13" or "1" on the other side.
    """
    for i, o in enumerate(others):
        if q.kind == "code" or o.kind == "code":
            if q.kind == o.kind and q.value == o.value:
                return i
            continue
        if (q.kind == "month") != (o.kind == "month"):
            # "9/11" / "11 septembre": the month of a date written with slashes
            if not same_kind and (q.date_part or o.date_part) and _same(q.value, o.value):
                return i
            continue
        if same_kind and q.kind != o.kind:
            continue
        if _same(q.value, o.value) or (q.digits and q.text == o.text):
            return i
        if not same_kind and _loosely_same(q, o):
            return i
        if not same_kind and _fraction_as_percent(q, o):
            return i
        if not same_kind and (q.kind == "time" or o.kind == "time"):
            # "1 pm" may be a plain "13" or "1" on the other side, but not a time that the
            # other side puts in the other half of the day ("19 heures" / "7 in the morning")
            if _same(q.value % 12, o.value % 12) and float(q.value).is_integer() and float(o.value).is_integer() \
                    and not _other_half_of_day(q, o):
                return i
    return -1


def _fraction_as_percent(q: Quantity, o: Quantity) -> bool:
    """"half" / "50 %", "un quart" / "25 percent": a written fraction and a percentage."""
    for fraction, percent in ((q, o), (o, q)):
        if percent.percent and not fraction.digits and 0 < fraction.value < 1 \
                and abs(fraction.value * 100 - percent.value) <= 0.5:
            return True
    return False


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, c in enumerate(text):
        v = values[c]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total if 0 < total <= 300 else 0


def _same_unit(q: Quantity, o: Quantity) -> bool:
    """Whether two amounts are in the same unit (inches and "pouces")."""
    if not (q.dimension and q.dimension == o.dimension and q.value and o.value and q.si and o.si):
        return False
    a, b = q.si / q.value, o.si / o.value
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b))


def _decimals(value: float) -> int:
    """How many decimals the value is written with (45.72 -> 2, 46.0 -> 0)."""
    text = f"{abs(value):.6f}".rstrip("0")
    return len(text.split(".")[1])


def _within_rounding(a: float, b: float) -> bool:
    """Whether the less precise of two values is the other rounded (46 / 45.72, not 16 / 18)."""
    da, db = _decimals(a), _decimals(b)
    if da == db:
        return False
    return abs(a - b) <= 0.5 * 10 ** -min(da, db) + 1e-9


def _loosely_same(q: Quantity, o: Quantity, years: bool = True) -> bool:
    """Equal up to a multiplier said once for two numbers ("de 4,2 à 4,1 Md$"), or (with
    `years`) a year abbreviated ("Q1/15" for 2015)."""
    if q.kind == "month" or o.kind == "month":
        return False
    # converted amounts match within UNIT_TOLERANCE; two amounts in one unit are no
    # conversion of each other ("16 pouces" is not "18 inches", whatever "46 cm" beside it):
    # they differ by no more than the rounding of the less precise ("45,72 cm" / "46 cm")
    if q.dimension and q.dimension == o.dimension:
        if _same_unit(q, o):
            return _within_rounding(q.value, o.value)
        scale = max(abs(q.si), abs(o.si), 1e-9)
        # a temperature is rounded to the degree, whatever its size (32 °F is 0 °C)
        tolerance = TEMPERATURE_TOLERANCE if q.dimension == "temperature" else UNIT_TOLERANCE * scale
        if abs(q.si - o.si) <= tolerance:
            return True
    if (q.base != q.value or o.base != o.value) and _same(q.base, o.base):
        return True
    # a year abbreviated is written in digits ("'15", "Q1/15"): "un" is no year 2001; a
    # decade may be written out ("les années soixante" for "the 1960s")
    if not years:
        return False
    for a, b in ((q.value, o.value), (o.value, q.value)):
        if (q.digits or q.decade) and (o.digits or o.decade) and float(a).is_integer() and 0 <= a < 100 \
                and b in (1900 + a, 2000 + a):
            return True
    return False


def unmatched(src: list[Quantity], tgt: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """The quantities of each side with no equal on the other.

    Digits are matched first and like with like, then across kinds, then written-out
    numbers, so that a written "two" never takes the place of a "2" that has its match.
    """
    src_left = list(src)
    tgt_left = list(tgt)
    for digits_only, same_kind in ((True, True), (True, False), (False, False)):
        if not same_kind and digits_only:
            _pair_rounded_in_one_unit(src_left, tgt_left)
        for q in list(src_left):
            if digits_only and not q.digits:
                continue
            pool = [o for o in tgt_left if o.digits] if digits_only else \
                [o for o in tgt_left if not _stands_for_article(q, o, src)]
            k = _matches(q, pool, same_kind)
            if k >= 0:
                tgt_left.remove(pool[k])
                src_left.remove(q)
    # two amounts left over in the same unit, one on each side, differ ("16 pouces" for
    # "18 inches"): neither is excused below as a conversion of another amount around it
    # ("46 cm")
    clashes = [(q, o) for q in src_left for o in tgt_left if _same_unit(q, o)]
    clashing = {id(q) for q, _ in clashes} | {id(o) for _, o in clashes}
    # a value said twice on one side and once on the other is not a mismatch
    # (or converted: "130mph (210km/h)" / "210 km/h"; "50ft from top and bottom" / "15 m du
    # sommet et 15 m du sol"). A year abbreviated is no value said twice: the "14" of "March
    # 14, 2014" left over against "10 mars 2014" is the day, not the year again
    # A number written the same way on both sides is no mismatch either, read as it may be
    # by each language's conventions ("15,042" copied into the translation, in an English
    # tail left untranslated, is 15.042 to French eyes)
    src_left = [q for q in src_left if id(q) in clashing or not any(
        (_same(q.value, o.value) and q.kind == o.kind) or _loosely_same(q, o, years=False)
        or _written_alike(q, o) for o in tgt if not _stands_for_article(q, o, src))]
    tgt_left = [q for q in tgt_left if id(q) in clashing or not any(
        (_same(q.value, o.value) and q.kind == o.kind) or _loosely_same(q, o, years=False)
        or _written_alike(q, o) for o in src if not _stands_for_article(q, o, tgt))]
    src_matched = [q for q in src if q not in src_left]
    tgt_matched = [q for q in tgt if q not in tgt_left]
    src_left = [q for q in src_left if not any(_same(q.value, o.value) and q.kind == o.kind for o in src_matched)]
    tgt_left = [q for q in tgt_left if not any(_same(q.value, o.value) and q.kind == o.kind for o in tgt_matched)]
    # "2h45" for "2 hours 45 minutes": a clock time on one side, its hour and minutes apart
    # on the other
    src_left = [q for q in src_left if not any(_clock_part(q, o) for o in tgt)]
    tgt_left = [q for q in tgt_left if not any(_clock_part(q, o) for o in src)]
    # an amount converted into a currency that the other side never names, beside the
    # amount it converts ("$100 million (75 millions d'euros)")
    src_left = [q for q in src_left if not _conversion(q, src, tgt)]
    tgt_left = [q for q in tgt_left if not _conversion(q, tgt, src)]
    # the same digits punctuated otherwise ("SR1.5" / "SR1. 5", "2.3 d" / "2, 3 j"), but not
    # a clock time put in the other half of the day ("6h30 le lendemain matin" for "6.30
    # that night")
    halves = {id(x) for q in src_left for o in tgt_left if _other_half_of_day(q, o) for x in (q, o)}
    src_digits = [q for q in src_left if q.digits and id(q) not in halves]
    tgt_digits = [q for q in tgt_left if q.digits and id(q) not in halves]
    # (compared over the whole sentence too: "3,7-dimethylocta-1,6-dien-3-ol" / "3, 7-dimethylocta-1,
    # 6-dien-3-ol" splits "3,7" into a 3 that matches the last 3 and a 7 left over)
    if src_digits and tgt_digits and (_digit_string(src_digits) == _digit_string(tgt_digits)
                                      or _digit_string(src) == _digit_string(tgt)):
        src_left = [q for q in src_left if not q.digits or id(q) in halves]
        tgt_left = [q for q in tgt_left if not q.digits or id(q) in halves]
    # a number rounded ("environ 2 000" for "about 1,950", "1,5 milliard" for "1.46 billion")
    for q in list(tgt_left):
        for o in src_left:
            if _rounded(o, q):
                tgt_left.remove(q)
                src_left.remove(o)
                break
    return src_left, tgt_left


def _written_alike(q: Quantity, o: Quantity) -> bool:
    """Whether two numbers in digits are written the same, with a separator inside ("15,042",
    "2.5"): then one is a copy of the other, whatever the two languages make of it."""
    return q.digits and o.digits and q.text == o.text and bool(re.search(r"\d[.,]\d", q.text))


def _other_half_of_day(q: Quantity, o: Quantity) -> bool:
    """Whether two clock times read alike on a 12-hour dial but differ, one of them said to
    be in the morning or the evening ("6h30 le lendemain matin" / "6.30 that night")."""
    return q.kind == o.kind == "time" and bool(q.day_part or o.day_part) \
        and _same(q.value % 12, o.value % 12) and not _same(q.value, o.value)


def _pair_rounded_in_one_unit(src_left: list[Quantity], tgt_left: list[Quantity]) -> None:
    """Match amounts in one unit that differ by rounding ("46 cm" / "45,72 cm") before any
    conversion does: else "45,72 cm" converts "18 inches" and leaves "46 cm" to pass for a
    conversion of a changed "16 pouces"."""
    for q in list(src_left):
        for o in tgt_left:
            if q.digits and o.digits and _same_unit(q, o) and _within_rounding(q.value, o.value):
                src_left.remove(q)
                tgt_left.remove(o)
                break


def _digit_string(quantities: list[Quantity]) -> str:
    return "".join(re.sub(r"\D", "", q.text) for q in sorted(quantities, key=lambda q: q.start) if q.digits)


def _clock_part(q: Quantity, clock: Quantity) -> bool:
    """Whether `q` is the hour or the minutes of the clock time `clock` ("45" of "2h45")."""
    if clock.kind != "time" or q.kind == "time" or not q.digits:
        return False
    hour = int(clock.value)
    minutes = round((clock.value - hour) * 100)
    return bool(minutes) and (_same(q.value, minutes) or _same(q.value, hour))


def _conversion(q: Quantity, own: list[Quantity], other: list[Quantity]) -> bool:
    """Whether `q` is an amount in a currency that `other` never names, while `own` has an
    amount in a currency that `other` does name (the amount it converts)."""
    if not q.currency:
        return False
    named = {o.currency for o in other if o.currency}
    if q.currency in named or not named:
        return False
    return any(o is not q and o.currency in named for o in own)


def _significant_digits(value: float) -> int:
    """1950 -> 3, 2000 -> 1, 1.46 -> 3, 1.5 -> 2."""
    text = f"{abs(value):.6f}".rstrip("0").rstrip(".")
    digits = text.replace(".", "").lstrip("0")
    return len(digits if "." in text else digits.rstrip("0"))


def _rounded(source: Quantity, target: Quantity) -> bool:
    """Whether `target` is `source` rounded: within ROUNDING of it, with fewer significant
    digits, and either fewer digits written (so a single changed digit never passes) or
    said to be approximate ("environ", "about") on either side."""
    if not (source.digits and target.digits) or source.kind != target.kind or source.kind != "number":
        return False
    if source.value == 0 or abs(target.value - source.value) > ROUNDING * abs(source.value):
        return False
    if _significant_digits(target.value) >= _significant_digits(source.value):
        return False
    written = sum(c.isdigit() for c in target.text) < sum(c.isdigit() for c in source.text)
    return written or source.hedged or target.hedged


class NumberMismatchCheck(Check):
    """Numbers, dates, times and amounts that differ between source and translation.

    Reads each side with its language's conventions: "2,5" in French is 2.5 in English,
    "10 000" is "10,000", "12 janvier" is "January 12", "13 h" is "1 pm", "4,5 %" is
    "4.5 percent", "2,5 milliards" is "2.5 billion", written-out numbers ("two" / "deux")
    match digits.
    Written numbers of several words count as one ("deux mille" / 2,000, "trois cent vingt"
    / 320), written ordinals too ("vingt et unième" / 21st, "dix-neuvième" / 19th), and
    decimals ("dix-huit milles cinq dixièmes" / 18.5 miles, "six mètres soixante-dix
    centimètres" / 6.7 meters, "deux virgule cinq" / 2.5) and French clock times ("une
    heure moins sept minutes du matin" / 12:53 a.m., "neuf heures et demie", "midi"); a decade
    written as its tens matches the years ("les années soixante" / the 1960s), and Roman
    numerals standing alone count as numbers ("CHAPITRE VII" / "CHAPTER 7").
    Amounts converted between units (50 ft / 15 m, 600 million pounds / 272 millions de kg)
    match within 12%, temperatures (°F / °C, "75 degrees Fahrenheit" / "24 degrés Celsius")
    within a degree, two amounts in one unit only up to rounding ("16 pouces" is not "18
    inches", "45,72 cm" is "46 cm"); "une soixantaine" matches 60 and "XXe siècle"
    the 20th century.
    Catches: a number in digits changed, added or dropped; a month changed; a clock time
    put in the other half of the day ("6h30 le lendemain matin" for "6.30 that night", "à
    7 heures" for "at 7 in the evening", "1 h" for "1 pm": French clocks run to 24), the
    half of the day read from the words after or before the time ("7 heures du soir",
    "hier soir à 11 heures").
    Conventions that are not mismatches: phone numbers in pairs of digits ("08 11 00 06 95" /
    "08.11.00.06.95", compared digit for digit); dates with slashes ("9/11" / "11
    septembre"); "15 h 30" / "3:30 pm", "2h45" / "2 hours 45 minutes"; an amount the
    translator converted into a currency the other side never names ("$100 million (75
    millions d'euros)"); a number rounded, when fewer digits are written ("1,5 milliard"
    for "1.46 billion") or either side says it is approximate ("environ 2 000" for "about
    1,950"); the same digits punctuated otherwise ("SR1. 5") or written alike and read
    otherwise ("15,042" left in an English tail); a written number broken by mojibake on
    the translation side.
    Not checked: pairs whose sides say different things altogether (`mistranslation`
    reports them) or whose translation is in another language.
    Left to other checks: numbers of a source sentence or clause that the translation
    leaves out (`omission`) or of a cut end (`truncation`), numbers of an added sentence
    (`addition`) or of a repeated line (`duplication`).
    Misses: a changed amount in a currency the other side never names, numbers
    written out on both sides that differ (written-out numbers only confirm a match: "one"
    and "un" are too often articles to be trusted), a number changed within rounding
    ("environ 1 950" for "about 1,960").
    Severity: major when a number in digits differs (one side has a number the other does
    not, and the reverse); minor when a number in digits is only missing, or only added
    and an amount or a year (a clock time or a small count only the translation has is
    a word of the source written in digits: "le 20h", "15 jours" for "a fortnight").
    """

    code = "number_mismatch"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.src or not pair.tgt:
            return []
        from mtcheck.checks.comparable import in_other_language, unrelated_sides
        from mtcheck.checks.omission import added_sentence_spans

        if unrelated_sides(pair) or in_other_language(pair, context):
            return []
        src = extract_quantities(pair.src, context.src_lang)
        tgt = _quantities_said_once(pair.tgt, context.tgt_lang)
        if not any(q.digits or q.kind == "month" for q in src + tgt):
            return []  # before the dearer look for repeated and added sentences below
        # numbers of an added sentence answer nothing in the source; those of a repeated
        # line may (the aligner may give the source either copy) but are never added
        added = added_sentence_spans(pair, context)
        repeated = _repeated_spans(pair, context)
        tgt = [q for q in tgt if not any(a <= q.start < b for a, b in added)]
        if not any(q.digits or q.kind == "month" for q in src + tgt):
            return []
        src_left, tgt_left = unmatched(src, tgt)
        tgt_left = [q for q in tgt_left if not any(a <= q.start < b for a, b in repeated)]
        if src_left:
            src_left = _still_unmatched_after_repair(src_left, src, pair.tgt, context.tgt_lang)
        # a year given or left out with a date that both sides have ("les 1er et 8 janvier
        # 2014" for "on January 1st and 8th")
        # (only when the other side has no year of its own left over: "janvier 2014" for
        # "January 2013" is a changed year)
        if not any(_year_like(q) for q in tgt_left):
            src_left = [q for q in src_left if not _year_of_shared_date(q, src, tgt)]
        if not any(_year_like(q) for q in src_left):
            tgt_left = [q for q in tgt_left if not _year_of_shared_date(q, tgt, src)]
        # written-out numbers never raise a flag themselves; months only when changed
        months_changed = any(q.kind == "month" for q in src_left) and any(q.kind == "month" for q in tgt_left)
        # ... or lost from a date whose day the translation keeps ("May 21, 2003" -> "peut 21,2003")
        # (a month left in the source's words, "on 27 May" left in English, is still there)
        month_lost = not any(q.kind == "month" for q in tgt) and any(
            q.kind == "month" and _day_of(q, src, tgt)
            and not re.search(rf"(?<!\w){re.escape(q.text)}(?!\w)", pair.tgt, re.I) for q in src_left)
        src_left = [q for q in src_left if q.digits or ((months_changed or month_lost) and q.kind == "month")]
        tgt_left = [q for q in tgt_left if q.digits or (months_changed and q.kind == "month")]
        flags = []
        if src_left and tgt_left:
            for q in tgt_left:
                others = ", ".join(f'"{s.text}"' for s in src_left)
                flags.append(Flag(self.code, "major", "tgt", (q.start, q.end),
                                  f'"{q.text}" does not match the source, which has {others} here.'))
            return flags
        # a number inside a name or code ("33T", "G8", "MH370") where the other side has no
        # code at all is part of a name said otherwise ("LPs", "the group of eight"), not a
        # number added or lost
        if not _CODE.search(pair.tgt):
            src_left = [q for q in src_left if not _in_a_code(pair.src, q)]
        if not _CODE.search(pair.src):
            tgt_left = [q for q in tgt_left if not _in_a_code(pair.tgt, q)]
        for q in tgt_left:
            if _context_a_translator_adds(q) and not _in_a_code(pair.tgt, q):
                continue
            flags.append(Flag(self.code, "minor", "tgt", (q.start, q.end),
                              f'"{q.text}" is not in the source.'))
        if src_left and _is_truncated(pair, context):
            return flags  # the numbers went with the end of the sentence: that is truncation
        # numbers that went with a source sentence or clause left out: that is omission
        if src_left:
            left_out = _left_out_spans(pair, context)
            src_left = [q for q in src_left if not any(a <= q.start < b for a, b in left_out)]
        for q in src_left:
            flags.append(Flag(self.code, "minor", "src", (q.start, q.end),
                              f'The source\'s "{q.text}" is missing from the translation.'))
        return flags


# A letter glued before a digit or a capital glued after one ("4x4", "G8", "33T").
_CODE = re.compile(r"[^\W\d_]\d|\d[A-Z]")


def _in_a_code(text: str, q: Quantity) -> bool:
    """Whether the digits of `q` are glued to a letter before them ("G8", "MH370") or to a
    capital after them ("33T", "3D")."""
    if not q.digits:
        return False
    before = text[q.start - 1] if q.start > 0 else ""
    after = text[q.end] if q.end < len(text) else ""
    return before.isalpha() or (after.isalpha() and after.isupper())


# Whole numbers up to this, without a unit, a currency or a percent sign, are counts and
# days a translator writes for a word ("15 jours" for "a fortnight", "n°1" for "primary").
SMALL_COUNT = 31


def _context_a_translator_adds(q: Quantity) -> bool:
    """A number only the translation has that translators write for a word of the source:
    a clock time ("le 20h" for "the evening news"), a small count or day ("15 jours" for "a
    fortnight", "n°1" for "primary"). Amounts (a currency, a unit, a percentage, a decimal,
    a large number) and years are still reported: a year no source word gives is how a
    date made up by the system shows."""
    if q.kind == "time":
        return True
    if _year_like(q):
        return False
    plain = not (q.currency or q.dimension or q.percent) and q.base in (0.0, q.value)
    return plain and float(q.value).is_integer() and 0 <= q.value <= SMALL_COUNT


def _day_of(month: Quantity, own: list[Quantity], other: list[Quantity]) -> bool:
    """Whether a day number sits right beside the month ("May 21", "21 mai") and the other
    side has that number too: the date is there, its month is not."""
    return any(q.digits and q.kind == "number" and 1 <= q.value <= 31 and _beside(q, month)
               and any(o.digits and _same(o.value, q.value) for o in other) for q in own)


def _year_like(q: Quantity) -> bool:
    return q.digits and q.kind == "number" and float(q.value).is_integer() and 1000 <= q.value <= 2100


def _year_of_shared_date(q: Quantity, own: list[Quantity], other: list[Quantity]) -> bool:
    """Whether `q` is a year written right after a month name whose month the other side
    also names, without a year ("les 1er et 8 janvier 2014" for "January 1st and 8th")."""
    if not _year_like(q):
        return False
    months = {o.value for o in other if o.kind == "month" and not _year_after(o, other)}
    return any(m.kind == "month" and m.value in months and 0 <= q.start - m.end <= 2 for m in own)


def _year_after(month: Quantity, quantities: list[Quantity]) -> bool:
    return any(_year_like(q) and 0 <= q.start - month.end <= 2 for q in quantities)


def _still_unmatched_after_repair(left: list[Quantity], src: list[Quantity], tgt_text: str,
                                  lang: str) -> list[Quantity]:
    """The source quantities of `left` that a translation garbled by mojibake ("deuxiÃ¨me"
    for "deuxième") does not have once repaired: the encoding check reports the garbling,
    and a written number or month it broke is not missing."""
    try:
        import ftfy

        repaired = ftfy.fix_encoding(tgt_text)
    except Exception:  # noqa: BLE001 - no repair, no change
        return left
    if repaired == tgt_text:
        return left
    still, _ = unmatched(src, extract_quantities(repaired, lang))
    starts = {q.start for q in still}
    return [q for q in left if q.start in starts]


def _is_truncated(pair: Pair, context: CheckContext) -> bool:
    from mtcheck.checks.truncation import truncation_flags

    try:
        return bool(truncation_flags(pair, context))
    except Exception:  # noqa: BLE001 - a hint only
        return False


def _quantities_said_once(text: str, lang: str) -> list[Quantity]:
    """The quantities of a text read with each stutter said once: "16 millions millions de
    kg" is 16 million kilograms, and duplication reports the repeated word. Offsets are the
    text's own."""
    from mtcheck.checks.duplication import adjacent_repeats

    repeats = adjacent_repeats(text)
    if not repeats:
        return extract_quantities(text, lang)
    kept: list[int] = []  # the text's offset of each character kept
    pos = 0
    for start, end, _ in repeats:
        cut = start
        while cut > pos and text[cut - 1].isspace():
            cut -= 1  # the space before the second copy goes with it
        kept.extend(range(pos, cut))
        pos = max(pos, end)
    kept.extend(range(pos, len(text)))
    once = "".join(text[i] for i in kept)
    return [replace(q, start=kept[q.start], end=kept[q.end - 1] + 1)
            for q in extract_quantities(once, lang) if q.end > q.start]


def _repeated_spans(pair: Pair, context: CheckContext) -> list[tuple[int, int]]:
    """Target sentences that repeat a line, or are repeated (reported as duplication, not here).

    Both copies: the aligner may put the earlier copy with the sentence before the one it
    translates, and the later copy, which duplication reports, where it belongs."""
    from mtcheck.checks.duplication import repeated_target_lines
    from mtcheck.checks.text import segment_offsets

    repeats = repeated_target_lines(context)
    copies = set(repeats) | set(repeats.values())
    return [(piece.start, piece.end) for piece, seg in zip(segment_offsets(pair, "tgt"), pair.tgt_segments)
            if seg.id in copies]


def _left_out_spans(pair: Pair, context: CheckContext) -> list[tuple[int, int]]:
    """Source sentences and stretches the translation leaves out (reported as omission)."""
    from mtcheck.checks.omission import left_out_stretches, lost_sentences

    spans = [(piece.start, piece.end) for piece in lost_sentences(pair, context, "src")]
    return spans + [(stretch.start, stretch.end) for stretch, _ in left_out_stretches(pair, context)]
