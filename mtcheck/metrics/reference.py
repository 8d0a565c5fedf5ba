"""Reference-based scores with sacrebleu: BLEU, chrF++ and TER, per pair and per document.

Per pair: sacrebleu's sentence-level scores (BLEU with effective order, as
`sacrebleu.sentence_bleu` does). Per document: corpus-level scores over all pairs
with every reference, a 95% bootstrap confidence interval from sacrebleu's own
resampling (1,000 resamples, sacrebleu's fixed seed, 12345 unless SACREBLEU_SEED
says otherwise), and sacrebleu's signatures so that a number can be reproduced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from mtcheck.models import Pair

N_BOOTSTRAP = 1000
METRIC_NAMES = ("bleu", "chrf", "ter")


@dataclass
class ReferenceScores:
    """Document-level results of `score_pairs`."""

    document: dict[str, float] = field(default_factory=dict)
    confidence: dict[str, tuple[float, float]] = field(default_factory=dict)
    signature: str = ""


def _corpus_metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU(), "chrf": CHRF(word_order=2), "ter": TER()}


def _sentence_metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"bleu": BLEU(effective_order=True), "chrf": CHRF(word_order=2), "ter": TER()}


def _bootstrap_interval(metric, stats, n_samples: int) -> tuple[float, float]:
    """The 95% percentile interval of the corpus score over bootstrap resamples.

    Uses sacrebleu's resampling (same seed and indices as `--confidence`) and takes
    the same percentiles as its `estimate_ci`, but keeps both bounds instead of the
    half-width around the bootstrap mean.
    """
    try:
        from sacrebleu.significance import _bootstrap_resample

        seed, scores = _bootstrap_resample(stats, metric, n_samples)
        metric.n_bootstrap, metric.seed = n_samples, seed
        values = sorted(s.score for s in scores)
    except ImportError:  # pragma: no cover - a sacrebleu without the helper
        rng = np.random.default_rng(12345)
        idxs = rng.choice(len(stats), size=(n_samples, len(stats)), replace=True)
        arr = np.array(stats, dtype="float32")
        values = sorted(metric._compute_score_from_stats(arr[i].sum(0)).score for i in idxs)
    lower = n_samples // 40
    return float(values[lower]), float(values[n_samples - lower - 1])


def score_pairs(
    pairs: Sequence[Pair],
    references: Sequence[Sequence[str]],
    n_bootstrap: int = N_BOOTSTRAP,
) -> ReferenceScores:
    """Score each pair's target against its references and the whole document.

    `references[r][k]` is reference r's text for pair k. Sets `pair.scores["bleu"]`,
    `["chrf"]` (chrF++) and `["ter"]` (0-100; lower TER is better). A pair whose target
    and references are all empty has nothing to score and gets no reference scores;
    an empty target against a non-empty reference scores 0 BLEU/chrF and 100 TER.
    """
    references = [list(r) for r in references]
    if not references:
        return ReferenceScores()
    for r, refs in enumerate(references):
        if len(refs) != len(pairs):
            raise ValueError(f"reference {r} has {len(refs)} texts for {len(pairs)} pairs")

    scored = [
        k for k, p in enumerate(pairs)
        if (p.tgt or "").strip() or any((refs[k] or "").strip() for refs in references)
    ]
    sentence = _sentence_metrics()
    for k in scored:
        hyp = pairs[k].tgt or ""
        refs = [refs[k] or "" for refs in references]
        for name, metric in sentence.items():
            pairs[k].scores[name] = float(_sentence_score(name, metric, hyp, refs))

    result = ReferenceScores()
    corpus = _corpus_metrics()
    if not scored:
        # sacrebleu cannot sign a metric that has seen no references
        return result
    hyps = [pairs[k].tgt or "" for k in scored]
    ref_streams = [[refs[k] or "" for k in scored] for refs in references]
    names = []
    for name, metric in corpus.items():
        stats = metric._extract_corpus_statistics(hyps, ref_streams)
        score = metric._aggregate_and_compute(stats)
        names.append(score.name)
        result.document[name] = float(score.score)
        if n_bootstrap > 1:
            # one pair resamples to itself: the interval is the point
            low, high = _bootstrap_interval(metric, stats, n_bootstrap)
            # the percentile interval of a skewed statistic (BLEU on a few sentences)
            # can miss the point estimate; widen it to include the estimate
            result.confidence[name] = (min(low, score.score), max(high, score.score))
    result.signature = _signature(corpus, names)
    return result


def _signature(corpus: dict, names: list[str]) -> str:
    """sacrebleu's signatures of the three metrics, each led by the score's name
    (e.g. "BLEU|nrefs:1|bs:1000|seed:12345|case:mixed|...+chrF2++|...+TER|...")."""
    default_names = {"bleu": "BLEU", "chrf": "chrF2++", "ter": "TER"}
    parts = []
    for (key, metric), name in zip(corpus.items(), names):
        sig = metric.get_signature().format()
        parts.append(f"{name or default_names[key]}|{sig}")
    return "+".join(parts)


def _sentence_score(name: str, metric, hyp: str, refs: list[str]) -> float:
    """sacrebleu's sentence score, with the degenerate empty cases made explicit."""
    if not hyp.strip():
        # nothing translated: no overlap at all, and every reference word is an edit
        return 100.0 if name == "ter" else 0.0
    if not any(r.strip() for r in refs):
        # text with no reference: nothing in it is supported by the reference
        return 100.0 if name == "ter" else 0.0
    return metric.sentence_score(hyp, refs).score
