"""Reference-based scores: real sacrebleu numbers, confidence intervals, several references."""
from __future__ import annotations

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

from mtcheck.metrics import reference
from mtcheck.models import Link, Pair

HYPS = [
    "Le chat est assis sur le tapis.",
    "Il fait très beau aujourd'hui à Paris.",
    "Le ministre a annoncé une réforme des retraites mardi.",
    "Les négociations reprendront la semaine prochaine à Bruxelles.",
    "Cette phrase n'a aucun rapport.",
]
REF_A = [
    "Le chat est assis sur le tapis.",
    "Il fait beau aujourd'hui à Paris.",
    "Mardi, le ministre a annoncé une réforme des retraites.",
    "Les pourparlers reprendront la semaine prochaine à Bruxelles.",
    "Le rapport sera publié en juin.",
]
REF_B = [
    "Un chat est assis sur le tapis.",
    "Aujourd'hui, il fait très beau à Paris.",
    "Le ministre a présenté mardi une réforme des retraites.",
    "Les négociations reprennent la semaine prochaine à Bruxelles.",
    "Le rapport paraîtra en juin.",
]


def _pairs(hyps):
    return [Pair(Link((k,), (k,)), f"source {k}", h) for k, h in enumerate(hyps)]


def test_sentence_scores_are_sacrebleus():
    pairs = _pairs(HYPS)
    reference.score_pairs(pairs, [REF_A])
    for pair, ref in zip(pairs, REF_A):
        assert pair.scores["bleu"] == sacrebleu.sentence_bleu(pair.tgt, [ref]).score
        assert pair.scores["chrf"] == CHRF(word_order=2).sentence_score(pair.tgt, [ref]).score
        assert pair.scores["ter"] == TER().sentence_score(pair.tgt, [ref]).score
    assert pairs[0].scores["bleu"] == pytest.approx(100.0) and pairs[0].scores["ter"] == 0.0


def test_document_scores_with_two_references_are_sacrebleus():
    pairs = _pairs(HYPS)
    result = reference.score_pairs(pairs, [REF_A, REF_B])
    refs = [REF_A, REF_B]
    assert result.document["bleu"] == BLEU().corpus_score(HYPS, refs).score
    assert result.document["chrf"] == CHRF(word_order=2).corpus_score(HYPS, refs).score
    assert result.document["ter"] == TER().corpus_score(HYPS, refs).score
    # a second reference can only add matching n-grams
    one_ref = reference.score_pairs(_pairs(HYPS), [REF_A])
    assert result.document["bleu"] > one_ref.document["bleu"]
    for pair, a, b in zip(pairs, REF_A, REF_B):
        assert pair.scores["bleu"] == sacrebleu.sentence_bleu(pair.tgt, [a, b]).score


def test_signature_names_each_metric_and_its_settings():
    result = reference.score_pairs(_pairs(HYPS), [REF_A, REF_B])
    bleu = result.signature.split("+chrF")[0]
    assert result.signature.startswith("BLEU|nrefs:2|bs:1000|")
    assert "+chrF2++|nrefs:2|" in result.signature
    assert "+TER|nrefs:2|" in result.signature
    assert f"version:{sacrebleu.__version__}" in bleu


def test_confidence_intervals_contain_the_estimate_and_are_deterministic():
    first = reference.score_pairs(_pairs(HYPS), [REF_A])
    second = reference.score_pairs(_pairs(HYPS), [REF_A])
    assert first.confidence == second.confidence
    for name in reference.METRIC_NAMES:
        low, high = first.confidence[name]
        assert low <= first.document[name] <= high
        assert low < high  # five different sentences do not resample to one value


def test_confidence_matches_sacrebleus_own_bootstrap():
    """sacrebleu reports mean +- half-width of the same resamples; our bounds span the same width."""
    result = reference.score_pairs(_pairs(HYPS), [REF_A])
    score = BLEU().corpus_score(HYPS, [REF_A], n_bootstrap=1000)
    low, high = result.confidence["bleu"]
    if low < result.document["bleu"] < high:
        assert abs((high - low) / 2 - score._ci) < 1e-3


def test_empty_target_and_empty_reference_do_not_crash():
    hyps = ["Le chat est assis sur le tapis.", "", "Texte ajouté par le site."]
    refs = ["Le chat est assis sur le tapis.", "Une phrase omise.", ""]
    pairs = [
        Pair(Link((0,), (0,)), "The cat sits on the mat.", hyps[0]),
        Pair(Link((1,), ()), "A sentence left out.", hyps[1]),
        Pair(Link((), (2,)), "", hyps[2]),
    ]
    result = reference.score_pairs(pairs, [refs])
    assert pairs[1].scores == {"bleu": 0.0, "chrf": 0.0, "ter": 100.0}
    assert pairs[2].scores == {"bleu": 0.0, "chrf": 0.0, "ter": 100.0}
    assert result.document["bleu"] == BLEU().corpus_score(hyps, [refs]).score
    empty = reference.score_pairs([Pair(Link((0,), ()), "x", "")], [[""]])
    assert empty.document == {} and empty.confidence == {}
