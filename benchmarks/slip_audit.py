"""Numbers the human translations of newstest2014 en-fr already get wrong, audited by hand.

The corrupted benchmark (benchmarks/corrupted.py) counts a flag on a pair with no injected fault
as a false flag. A few of those pairs are not clean: the human translator wrote "1996" for the
source's "1966". To count such pairs fairly, this module lists every newstest2014 pair whose
digit strings differ between the two sides (a plain rule that knows nothing of mtcheck), and
`human_slips.tsv` holds a person's verdict on each, read from the two sentences alone:

    slip     the translation states a different number for the same thing (a typo, a wrong
             year, a wrong time of day);
    dropped  a number that one side gives and the other leaves out (a year, a range's bound);
    fine     anything else: a unit converted, an amount rounded or written out, a date or time
             put another way, a different but faithful wording.

    python benchmarks/slip_audit.py            # candidates without a verdict, and the counts
    python benchmarks/slip_audit.py --all      # every candidate with its verdict

corrupted.py prints a second table beside the unchanged raw one, where each "slip" pair without
an injected fault is a number_mismatch fault of the human translation (kind `human_slip`: a flag
there is a true positive, no flag a miss), and number_mismatch counts neither way on "dropped"
pairs and on audited pairs that also got an injected fault (as it does for a fault that took a
number out). Slips the plain rule cannot see (a written-out number changed) are not in the list.
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corrupt import _NUMBER, _digits  # noqa: E402
from garble_eval import SHARED_DATA  # noqa: E402

NEWSTEST = SHARED_DATA / "parallel" / "newstest2014_en-fr" / "newstest2014_en-fr.tsv"

VERDICTS = Path(__file__).resolve().parent / "human_slips.tsv"
COLUMNS = ("docid", "seg_id", "verdict", "en_numbers", "fr_numbers", "why")


def numbers(text: str) -> Counter:
    """The digit strings of a text, separators dropped ("1,000" and "1 000" are both "1000")."""
    return Counter(_digits(m.group(0)) for m in _NUMBER.finditer(text))


def candidates(path: Path = NEWSTEST) -> list[dict]:
    """Every pair of the newstest2014 en-fr file whose two sides' digit strings differ."""
    out = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            en, fr = numbers(row["en"]), numbers(row["fr"])
            if en != fr:
                out.append({"docid": row["docid"], "seg_id": row["seg_id"], "orig_lang": row["orig_lang"],
                            "en": row["en"].strip(), "fr": row["fr"].strip(),
                            "en_numbers": " ".join(sorted((en - fr).elements())),
                            "fr_numbers": " ".join(sorted((fr - en).elements()))})
    return out


def load_verdicts(path: Path = VERDICTS) -> dict[tuple[str, int], dict]:
    """(docid, seg_id) -> the verdict row."""
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {(r["docid"], int(r["seg_id"])): r for r in rows}


def defects_by_pair(path: Path = VERDICTS, newstest: Path = NEWSTEST) -> dict[str, dict[int, str]]:
    """docid -> {pair index: "slip" or "dropped"}, pairs numbered as corrupted.load_newstest
    numbers them (by seg_id order within the document)."""
    defects = {key: row["verdict"] for key, row in load_verdicts(path).items() if row["verdict"] != "fine"}
    seg_ids: dict[str, list[int]] = {}
    with open(newstest, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            seg_ids.setdefault(row["docid"], []).append(int(row["seg_id"]))
    out: dict[str, dict[int, str]] = {}
    for (docid, seg), verdict in defects.items():
        out.setdefault(docid, {})[sorted(seg_ids[docid]).index(seg)] = verdict
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
        row = verdicts.get((c["docid"], int(c["seg_id"])))
        verdict = row["verdict"] if row else "?"
        tally[(c["orig_lang"], verdict)] += 1
        if row and not args.all:
            continue
        todo += 0 if row else 1
        print(f"{c['docid']}\t{c['seg_id']}\t{verdict}\t{c['en_numbers']}\t{c['fr_numbers']}"
              + (f"\t{row['why']}" if row else ""))
        print(f"  en: {c['en']}\n  fr: {c['fr']}")
    print(f"\n{len(found)} candidate pairs; " + ", ".join(
        f"{lang}-original {verdict}: {n}" for (lang, verdict), n in sorted(tally.items())))
    return 1 if todo else 0


if __name__ == "__main__":
    raise SystemExit(main())
