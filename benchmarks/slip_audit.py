"""Numbers and names the human translations of newstest2014 en-fr already get wrong, audited by hand.

The corrupted benchmark (benchmarks/corrupted.py) counts a flag on a pair with no injected fault
as a false flag. A few of those pairs are not clean: the human translator wrote "1996" for the
source's "1966", "Newton" for "Newtown". To count such pairs fairly, this module lists every
newstest2014 pair that a plain rule, which knows nothing of mtcheck, makes a candidate, and
`human_slips.tsv` holds a person's verdict on each, read from the two sentences alone.

number_mismatch candidates: the digit strings of the two sides differ. Verdicts:

    slip     the translation states a different number for the same thing (a typo, a wrong
             year, a wrong time of day);
    dropped  a number that one side gives and the other leaves out (a year, a range's bound);
    fine     anything else: a unit converted, an amount rounded or written out, a date or time
             put another way, a different but faithful wording.

entity_mismatch candidates: a capitalised word of four letters or more on one side that the
other side lacks (accents aside) but spells nearly alike (same first letter, difflib ratio at
least 0.75). Verdicts:

    variant  the same name spelled otherwise, in no convention of the other language (a typo,
             a letter doubled or dropped, a different place): worth a reviewer's look;
    fine     the other language's usual form (Russia / Russie, Bashar / Bachar), a word of a
             name translated (Court / Cour), an inflection (Americans / Américains).

    python benchmarks/slip_audit.py            # candidates without a verdict, and the counts
    python benchmarks/slip_audit.py --all      # every candidate with its verdict

corrupted.py prints a second table beside the unchanged raw one, where each "slip" or "variant"
pair without an injected fault is a fault of the human translation for that code (kind
`human_slip`: a flag of the code there is a true positive, none a miss), and the code counts
neither way on "dropped" pairs and on audited pairs that also got an injected fault (as it does
for a fault that took a number or a name out). Slips the plain rules cannot see (a written-out
number changed, a name replaced by an unrelated one) are not in the list.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corrupt import _NUMBER, _digits  # noqa: E402
from garble_eval import NEWSTEST  # noqa: E402
from mtcheck.checks.text import fold  # noqa: E402  (a string helper: lower case, no accents)

VERDICTS = Path(__file__).resolve().parent / "human_slips.tsv"
COLUMNS = ("docid", "seg_id", "code", "verdict", "en_items", "fr_items", "why")
# The verdicts that make a pair a fault of the human translation for the code.
WRONG = {"slip", "variant"}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
NEAR_SPELLING = 0.75


def numbers(text: str) -> Counter:
    """The digit strings of a text, separators dropped ("1,000" and "1 000" are both "1000")."""
    return Counter(_digits(m.group(0)) for m in _NUMBER.finditer(text))


def near_spellings(en: str, fr: str) -> list[tuple[str, str]]:
    """(English word, French word) pairs: capitalised, four letters or more, each missing from
    the other side (accents aside), spelled nearly alike."""
    en_words, fr_words = _WORD.findall(en), _WORD.findall(fr)
    en_folded, fr_folded = {fold(w) for w in en_words}, {fold(w) for w in fr_words}
    out = set()
    for a in en_words:
        if not a[0].isupper() or len(a) < 4 or fold(a) in fr_folded:
            continue
        for b in fr_words:
            if not b[0].isupper() or len(b) < 4 or fold(b) in en_folded:
                continue
            fa, fb = fold(a), fold(b)
            if fa[0] == fb[0] and difflib.SequenceMatcher(None, fa, fb).ratio() >= NEAR_SPELLING:
                out.add((a, b))
    return sorted(out)


def candidates(path: Path = NEWSTEST) -> list[dict]:
    """Every pair of the newstest2014 en-fr file that either plain rule picks, once per code."""
    out = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            base = {"docid": row["docid"], "seg_id": row["seg_id"], "orig_lang": row["orig_lang"],
                    "en": row["en"].strip(), "fr": row["fr"].strip()}
            en, fr = numbers(row["en"]), numbers(row["fr"])
            if en != fr:
                out.append(dict(base, code="number_mismatch",
                                en_items=" ".join(sorted((en - fr).elements())),
                                fr_items=" ".join(sorted((fr - en).elements()))))
            names = near_spellings(row["en"], row["fr"])
            if names:
                out.append(dict(base, code="entity_mismatch", en_items=" ".join(sorted({a for a, _ in names})),
                                fr_items=" ".join(sorted({b for _, b in names}))))
    return out


def load_verdicts(path: Path = VERDICTS) -> dict[tuple[str, int, str], dict]:
    """(docid, seg_id, code) -> the verdict row."""
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {(r["docid"], int(r["seg_id"]), r["code"]): r for r in rows}


def defects_by_pair(path: Path = VERDICTS, newstest: Path = NEWSTEST) -> dict[str, dict[int, dict[str, str]]]:
    """docid -> {pair index: {code: verdict}} for every verdict but "fine", pairs numbered as
    corrupted.load_newstest numbers them (by seg_id order within the document)."""
    seg_ids: dict[str, list[int]] = {}
    with open(newstest, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            seg_ids.setdefault(row["docid"], []).append(int(row["seg_id"]))
    out: dict[str, dict[int, dict[str, str]]] = {}
    for (docid, seg, code), row in load_verdicts(path).items():
        if row["verdict"] != "fine":
            k = sorted(seg_ids[docid]).index(seg)
            out.setdefault(docid, {}).setdefault(k, {})[code] = row["verdict"]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="print every candidate with its verdict")
    args = parser.parse_args(argv)
    verdicts = load_verdicts()
    found = candidates()
    todo = 0
    tally: Counter = Counter()
    for c in found:
        row = verdicts.get((c["docid"], int(c["seg_id"]), c["code"]))
        verdict = row["verdict"] if row else "?"
        tally[(c["code"], c["orig_lang"], verdict)] += 1
        if row and not args.all:
            continue
        todo += 0 if row else 1
        print(f"{c['docid']}\t{c['seg_id']}\t{c['code']}\t{verdict}\t{c['en_items']}\t{c['fr_items']}"
              + (f"\t{row['why']}" if row else ""))
        print(f"  en: {c['en']}\n  fr: {c['fr']}")
    print(f"\n{len(found)} candidates; " + ", ".join(
        f"{code} {lang}-original {verdict}: {n}" for (code, lang, verdict), n in sorted(tally.items())))
    return 1 if todo else 0


if __name__ == "__main__":
    raise SystemExit(main())
