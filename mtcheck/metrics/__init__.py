"""Scores of pairs and documents: reference-free (`quality`), reference-based
(`reference`, sacrebleu) and COMET (`comet`, optional extra).

`SCORES` declares, for every score name a pair or document can carry, whether higher
is better and its range, so that reports, gates and plots read them the same way.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class ScoreInfo:
    """How to read a score: `higher_is_better` is None when the best value is in the
    middle (a length ratio); `range` is (low, high), infinite where unbounded."""

    higher_is_better: Optional[bool]
    range: tuple[float, float]
    description: str


INF = math.inf

SCORES: dict[str, ScoreInfo] = {
    "similarity": ScoreInfo(True, (-1.0, 1.0), "cosine of the source and target sentence vectors"),
    "length_ratio": ScoreInfo(
        None, (0.0, INF), "target characters / source characters; best near the pair's usual ratio"
    ),
    "length_deviation": ScoreInfo(
        False, (0.0, INF),
        "|log length ratio - usual log ratio of the language pair|, in standard deviations",
    ),
    "lang_confidence": ScoreInfo(True, (0.0, 1.0), "probability that the target is in the target language"),
    "quality": ScoreInfo(
        True, (0.0, 1.0),
        "learned reference-free estimate: the standard normal CDF of the predicted standardised "
        "human score (0.5 = an average machine translation of the training data)",
    ),
    "bleu": ScoreInfo(True, (0.0, 100.0), "sacrebleu BLEU"),
    "chrf": ScoreInfo(True, (0.0, 100.0), "sacrebleu chrF++ (word order 2)"),
    "ter": ScoreInfo(False, (0.0, INF), "sacrebleu TER (edits per reference word, x100)"),
    "comet": ScoreInfo(True, (-INF, INF), "unbabel-comet score (about 0-1 for recent models)"),
}


def higher_is_better(name: str) -> Optional[bool]:
    """The direction of a score, None when neither (or unknown)."""
    info = SCORES.get(name)
    return info.higher_is_better if info else None
