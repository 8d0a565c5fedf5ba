"""Part 1 of the garbled-line benchmark: human translations with injected faults.

The 68 newstest2014 documents written in English are split by a seeded shuffle into a tuning half
and a reported half. Each document gets a few faults (benchmarks/corrupt.py) in several seeded
variants; mtcheck checks every corrupted document and its flags are mapped back to the original
sentence pairs through character offsets. A pair is positive for a code when a fault of that code
was injected into it; scores are per code at pair level. A second count adds the numbers
and names the human translation itself gets wrong (benchmarks/human_slips.tsv, see
slip_audit.py).
"""
from __future__ import annotations

import csv
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import corrupt
import slip_audit
from garble_eval import (NEWSTEST, SEVERITIES, SHARED_DATA, Counts, DocumentResult, code_version,
                         describe_flags, fmt, progress, run_mtcheck, severity_at_least, span_to_document, table)

MLQE = SHARED_DATA / "qe" / "mlqe-pe" / "direct-assessments"

# The codes the issue sets targets for, and the targets.
TARGETS = {
    "duplication": 0.95, "omission": 0.95, "addition": 0.95, "untranslated": 0.95,
    "wrong_language": 0.95, "number_mismatch": 0.95, "encoding": 0.95,
    "entity_mismatch": 0.85, "truncation": 0.85,
}
CODES = ("duplication", "omission", "addition", "untranslated", "wrong_language",
         "number_mismatch", "entity_mismatch", "truncation", "encoding", "punctuation",
         "mistranslation", "casing")


def load_newstest(path: Path = NEWSTEST, orig_lang: str = "en") -> dict[str, list[tuple[str, str]]]:
    """Documents (docid -> [(en, fr), ...] in segment order) written in `orig_lang`."""
    docs: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}
        for row in reader:
            if row[col["orig_lang"]] != orig_lang:
                continue
            docs[row[col["docid"]]].append(
                (int(row[col["seg_id"]]), row[col["en"]].strip(), row[col["fr"]].strip()))
    return {d: [(en, fr) for _, en, fr in sorted(rows)] for d, rows in docs.items()}


def load_pools(seed: int) -> corrupt.Pools:
    """French sentences from the French-original newstest documents (unrelated to any English
    original), and German (MLQE-PE en-de translations rated well) and Romanian (MLQE-PE ro-en
    sources) sentences for the third-language fault."""
    french = [fr for doc in load_newstest(orig_lang="fr").values() for _, fr in doc
              if 8 <= len(fr.split()) <= 35]
    third: list[tuple[str, str]] = []
    for lang, file, column, min_mean in (
        ("de", MLQE / "dev" / "en-de-dev" / "dev.ende.df.short.tsv", "translation", 80.0),
        ("ro", MLQE / "dev" / "ro-en-dev" / "dev.roen.df.short.tsv", "original", 0.0),
    ):
        if not file.is_file():
            continue
        with open(file, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                text = (row.get(column) or "").strip()
                try:
                    mean = float(row.get("mean") or 0)
                except ValueError:
                    mean = 0.0
                if 6 <= len(text.split()) <= 35 and mean >= min_mean:
                    third.append((lang, text))
    rng = random.Random(f"{seed}|pools")
    rng.shuffle(french)
    rng.shuffle(third)
    return corrupt.Pools(french=french[:600], third_language=third[:600])


def split_documents(docids: list[str], seed: int) -> dict[str, list[str]]:
    """A seeded half/half split: "tune" for developing the checks, "report" for the numbers."""
    order = sorted(docids)
    random.Random(f"{seed}|split").shuffle(order)
    half = len(order) // 2
    return {"tune": sorted(order[:half]), "report": sorted(order[half:])}


def build_documents(seed: int, variants: int, docids: Optional[list[str]] = None,
                    orig_lang: str = "en", first_variant: int = 0,
                    kinds: Sequence[str] = corrupt.DEFAULT_KINDS) -> list[corrupt.CorruptedDocument]:
    docs = load_newstest(orig_lang=orig_lang)
    pools = load_pools(seed)
    names = sorted(docs)
    out = []
    for variant in range(first_variant, variants):
        schedule = corrupt.schedule_kinds([len(docs[d]) for d in names], seed=seed + variant, kinds=kinds)
        for name, dealt in zip(names, schedule):
            if docids is not None and name not in docids:
                continue
            out.append(corrupt.corrupt_document(name, docs[name], dealt, pools, seed, variant))
    return out


@dataclass
class PairFlags:
    """The flags that landed on one original pair: (code, severity, message, mtcheck pair)."""

    flags: list[tuple[str, str, str, int]]


def flags_by_original_pair(doc: corrupt.CorruptedDocument, result: DocumentResult
                           ) -> dict[int, list[tuple[str, str, str, int]]]:
    """Map every flag of mtcheck's output to the original pairs it points at."""
    out: dict[int, list[tuple[str, str, str, int]]] = defaultdict(list)
    for index, pair in enumerate(result.pairs):
        for flag in pair.flags:
            side, span = flag.get("side"), flag.get("span")
            owners: set[int] = set()
            if side == "src" and pair.src:
                a, b = span_to_document(pair.src, span)
                owners = doc.owners_of_source(a, b)
            elif side == "tgt" and pair.tgt:
                a, b = span_to_document(pair.tgt, span)
                owners = doc.owners_of_target(a, b)
            if not owners:
                # A whole-pair flag (or a side that is empty): every original pair in the link.
                for s in pair.src:
                    owners |= doc.owners_of_source(s.start, s.end)
                for s in pair.tgt:
                    owners |= doc.owners_of_target(s.start, s.end)
            for k in owners:
                out[k].append((flag["code"], flag["severity"], flag.get("message", ""), index))
    return out


@dataclass(frozen=True)
class HumanSlip:
    """A number or a name the human translation already got wrong (benchmarks/human_slips.tsv),
    counted like an injected fault of its code in the audited table."""

    pair: int
    code: str
    kind: str = "human_slip"
    detail: str = "audited: the human translation gets it wrong"
    tolerated: frozenset = frozenset()


@dataclass
class Evaluation:
    per_code: dict[str, Counts]
    per_kind: dict[str, Counts]  # recall by fault kind (tp/fn only)
    clean_pairs: int
    false_flags: Counter  # severity -> count on clean pairs
    false_flags_by_code: Counter  # (code, severity) -> count on clean pairs
    errors: list[str]
    documents: int
    faults: int
    examples: dict  # code -> {"fn": [...], "fp": [...]}
    seconds: float


def evaluate(docs: list[corrupt.CorruptedDocument], results: list[DocumentResult],
             min_severity: str = "minor", audit: Optional[dict[str, dict[int, dict[str, str]]]] = None
             ) -> Evaluation:
    """Scores per code. With `audit` (slip_audit.defects_by_pair()), the human translation's
    own audited errors count too: a "slip" or a "variant" on a pair without an injected fault
    is a fault of its code; the code counts neither way on the other audited pairs."""
    per_code = {c: Counts() for c in CODES}
    per_kind = {k: Counts() for k in corrupt.KINDS + (("human_slip",) if audit else ())}
    false_flags: Counter = Counter()
    false_by_code: Counter = Counter()
    clean = 0
    errors = []
    examples: dict = defaultdict(lambda: {"fn": [], "fp": []})
    n_faults = 0
    seconds = 0.0
    for doc, result in zip(docs, results):
        seconds += result.seconds
        faulty = doc.faulty_pairs()
        n_faults += len(doc.faults)
        if result.error:
            errors.append(f"{doc.docid}#{doc.variant}: {result.error}")
        landed = flags_by_original_pair(doc, result) if not result.error else {}
        for k in range(doc.n_pairs):
            flags = [f for f in landed.get(k, []) if severity_at_least({"severity": f[1]}, min_severity)]
            flagged_codes = {f[0] for f in flags}
            faults = faulty.get(k, [])
            tolerated = set().union(*(f.tolerated for f in faults)) if faults else set()
            defects = (audit or {}).get(doc.docid, {}).get(k, {})
            wrong = [code for code, verdict in defects.items() if verdict in slip_audit.WRONG]
            if wrong and not faults:
                faults = [HumanSlip(k, code) for code in wrong]
            for code in defects:
                if code not in wrong or faulty.get(k):
                    tolerated.add(code)
                    flags = [f for f in flags if f[0] != code]
                    flagged_codes.discard(code)
            gold_codes = {f.code for f in faults}
            if not faults:
                clean += 1
                seen = set()
                for code, severity, message, index in flags:
                    if (code, severity, message, index) in seen:
                        continue
                    seen.add((code, severity, message, index))
                    false_flags[severity] += 1
                    false_by_code[(code, severity)] += 1
            for f in faults:
                hit = f.code in flagged_codes
                kc = per_kind[f.kind]
                if hit:
                    kc.tp += 1
                else:
                    kc.fn += 1
            for code in set(CODES) | gold_codes | flagged_codes:
                counts = per_code.setdefault(code, Counts())
                if code in gold_codes:
                    if code in flagged_codes:
                        counts.tp += 1
                    else:
                        counts.fn += 1
                        examples[code]["fn"].append(_example(doc, result, k, faults, landed.get(k, [])))
                elif code in flagged_codes and code not in tolerated:
                    counts.fp += 1
                    examples[code]["fp"].append(
                        _example(doc, result, k, faults, [f for f in flags if f[0] == code]))
    return Evaluation(per_code, per_kind, clean, false_flags, false_by_code, errors, len(docs),
                      n_faults, examples, seconds)


def _example(doc, result, k, faults, flags) -> dict:
    src = doc.source[doc.src_spans[k][0]:doc.src_spans[k][1]]
    tgt = " ¶ ".join(doc.target[a:b] for a, b, p in doc.tgt_pieces if p == k)
    return {
        "doc": f"{doc.docid}#{doc.variant}",
        "pair": k,
        "faults": [f"{f.kind} ({f.detail})" for f in faults],
        "src": src,
        "tgt": tgt,
        "flags": describe_flags([{"code": c, "severity": s, "message": m} for c, s, m, _ in flags]),
    }


def run(split: str, seed: int, variants: int, mode: str, quick: bool,
        first_variant: int = 0, kinds: Sequence[str] = corrupt.DEFAULT_KINDS
        ) -> tuple[Evaluation, Evaluation, Evaluation]:
    """Check the documents of `split` and of the tuning half; return (reported, tuning,
    reported with the audited errors of the human translation counted).

    `split` "frorig" is a third set, for tuning only: the 108 French-original documents
    (outside both halves) corrupted the same way; it is both reported and tuning."""
    if quick:
        first_variant = 0
    if split == "frorig":
        docs_fr = load_newstest(orig_lang="fr")
        ids = sorted(docs_fr)[:8] if quick else sorted(docs_fr)
        documents = build_documents(seed, 1 if quick else variants, ids, orig_lang="fr",
                                    first_variant=first_variant, kinds=kinds)
        if mode == "presegmented":
            documents = [d.relayout("\n") for d in documents]
        results = _check_all(documents, mode)
        ev = evaluate(documents, results)
        return ev, ev, evaluate(documents, results, audit=slip_audit.defects_by_pair())
    docs_all = load_newstest()
    halves = split_documents(list(docs_all), seed)
    if quick:
        variants = 1
        halves = {name: ids[:8] for name, ids in halves.items()}
    wanted = set(halves["tune"]) | set(halves[split])
    documents = build_documents(seed, variants, sorted(wanted), first_variant=first_variant, kinds=kinds)
    if mode == "presegmented":
        documents = [d.relayout("\n") for d in documents]
    results = _check_all(documents, mode)
    by_half = {}
    for name in {split, "tune"}:
        ids = set(halves[name])
        picked = [(d, r) for d, r in zip(documents, results) if d.docid in ids]
        by_half[name] = ([d for d, _ in picked], [r for _, r in picked])
    return (evaluate(*by_half[split]), evaluate(*by_half["tune"]),
            evaluate(*by_half[split], audit=slip_audit.defects_by_pair()))


def _check_all(documents: list[corrupt.CorruptedDocument], mode: str) -> list[DocumentResult]:
    """mtcheck on each document (already laid out one segment a line in presegmented mode)."""
    options = {"src_lang": "en", "tgt_lang": "fr"}
    if mode == "presegmented":
        options["presegmented"] = True
    version = code_version()
    results = []
    for i, doc in enumerate(documents, 1):
        results.append(run_mtcheck(doc.source, doc.target, options, version=version))
        progress(i, len(documents), "corrupted documents")
    return results


def render(ev: Evaluation, label: str) -> str:
    rows = []
    for code in CODES:
        c = ev.per_code.get(code, Counts())
        if not (c.tp or c.fp or c.fn):
            continue
        target = TARGETS.get(code)
        ok = "" if target is None else ("yes" if c.f1 >= target else "no")
        rows.append([code, c.tp + c.fn, c.tp, c.fp, c.fn, fmt(c.precision), fmt(c.recall),
                     fmt(c.f1), f"{target:.2f}" if target else "", ok])
    out = [table(["code", "gold pairs", "tp", "fp", "fn", "precision", "recall", "F1", "target", "met"],
                 rows, title=f"Corrupted newstest2014 en-fr ({label}): pair-level scores per code")]
    kind_rows = [[kind, corrupt.KIND_CODE.get(kind, "number or entity"), c.tp + c.fn, c.tp, fmt(c.recall)]
                 for kind, c in ev.per_kind.items() if c.tp + c.fn]
    out.append("")
    out.append(table(["fault kind", "expected code", "injected", "caught", "recall"], kind_rows,
                     title=f"Recall by fault kind ({label})"))
    per100 = {s: 100.0 * ev.false_flags[s] / ev.clean_pairs if ev.clean_pairs else float("nan")
              for s in SEVERITIES}
    major_up = per100["major"] + per100["critical"]
    out.append("")
    out.append(table(
        ["clean pairs", "minor", "major", "critical", "major or worse", "target (major or worse)", "met"],
        [[ev.clean_pairs, fmt(per100["minor"], 2), fmt(per100["major"], 2), fmt(per100["critical"], 2),
          fmt(major_up, 2), "<= 1.00", "yes" if major_up <= 1.0 else "no"]],
        title=f"False flags per 100 clean pairs, by severity ({label})"))
    top = sorted(((n, code, sev) for (code, sev), n in ev.false_flags_by_code.items()), reverse=True)
    if top:
        out.append("")
        out.append("False flags on clean pairs by code: " +
                   ", ".join(f"{code}/{sev} {n}" for n, code, sev in top[:12]))
    out.append("")
    out.append(f"{ev.documents} documents, {ev.faults} faults, {ev.clean_pairs} clean pairs, "
               f"{len(ev.errors)} documents failed, mtcheck time {ev.seconds:.0f} s (uncached runs)")
    for e in ev.errors[:5]:
        out.append(f"  failed: {e}")
    return "\n".join(out)


def render_audited(raw: Evaluation, audited: Evaluation, label: str) -> str:
    """The codes whose counts change when the human translation's own audited errors
    (benchmarks/human_slips.tsv) count, raw and audited side by side."""
    rows = []
    for code in CODES:
        before, after = raw.per_code.get(code, Counts()), audited.per_code.get(code, Counts())
        if (before.tp, before.fp, before.fn) == (after.tp, after.fp, after.fn):
            continue
        target = TARGETS.get(code)
        for name, c in (("raw", before), ("audited", after)):
            ok = "" if target is None else ("yes" if c.f1 >= target else "no")
            rows.append([code, name, c.tp + c.fn, c.tp, c.fp, c.fn, fmt(c.precision), fmt(c.recall),
                         fmt(c.f1), f"{target:.2f}" if target else "", ok])
    slip = audited.per_kind.get("human_slip", Counts())
    major = {name: 100.0 * (ev.false_flags["major"] + ev.false_flags["critical"]) / ev.clean_pairs
             if ev.clean_pairs else float("nan") for name, ev in (("raw", raw), ("audited", audited))}
    out = [table(["code", "counting", "gold pairs", "tp", "fp", "fn", "precision", "recall", "F1", "target", "met"],
                 rows, title=f"The same run counting the human translation's audited errors "
                             f"(benchmarks/human_slips.tsv) ({label})") if rows else
           f"The human translation's audited errors change no count ({label})."]
    out.append(f"Audited wrong numbers and names on pairs without an injected fault: {slip.tp + slip.fn} "
               f"(flagged {slip.tp}); major-or-worse false flags per 100 clean pairs: raw "
               f"{fmt(major['raw'], 2)}, audited {fmt(major['audited'], 2)}")
    return "\n".join(out)


def error_analysis(ev: Evaluation, per_list: int = 40) -> str:
    """Markdown: false negatives and false positives per code, with the texts.

    A clean pair's false flag comes back in every variant of its document: the same pair
    flagged the same way is listed once, with the number of variants, so that the list
    shows every distinct error (up to `per_list` per list), not the first few repeats."""
    out = ["## Corrupted newstest2014 (tuning half only)", "",
           "A false negative is a pair with an injected fault of that code and no flag of that code;",
           "a false positive is a flag of that code on a pair that has no such fault (codes that the",
           "fault kind tolerates excepted). Offsets were mapped back to the original sentence pairs.",
           "The same pair with the same faults and flags in several variants is listed once.",
           ""]
    out.append(render(ev, "tuning half"))
    out.append("")
    for code in CODES:
        ex = ev.examples.get(code)
        if not ex or not (ex["fn"] or ex["fp"]):
            continue
        out.append(f"### {code}")
        for kind, name in (("fn", "False negatives (missed)"), ("fp", "False positives")):
            items = ex[kind]
            if not items:
                continue
            groups = _distinct_errors(items)
            out.append(f"#### {name}: {len(items)} ({len(groups)} distinct)")
            for group in groups[:per_list]:
                item = group[0]
                seen_in = "" if len(group) == 1 else f" (in {len(group)} variants)"
                out.append(f"- {item['doc']} pair {item['pair']}{seen_in}; faults: {item['faults'] or 'none'}")
                out.append(f"  - src: {item['src']}")
                out.append(f"  - tgt: {item['tgt']}")
                out.append(f"  - flags on this pair: {item['flags'] or 'none'}")
            if len(groups) > per_list:
                out.append(f"- ... and {len(groups) - per_list} more distinct pairs")
            out.append("")
    return "\n".join(out)


def _distinct_errors(items: list[dict]) -> list[list[dict]]:
    """Error items grouped by what a reader compares: the pair's texts, its faults, and its
    flags with their numbers left out (a length ratio moves a little from variant to variant)."""
    groups: dict[tuple, list[dict]] = {}
    for item in items:
        flags = re.sub(r"\d+(?:[.,]\d+)?", "#", str(item["flags"]))
        key = (item["src"], item["tgt"], tuple(item["faults"]), flags)
        groups.setdefault(key, []).append(item)
    return list(groups.values())
