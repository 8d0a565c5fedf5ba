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


def test_shipped_weights_load_and_predict_without_torch():
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from mtcheck.metrics import qe_model, qe_features\n"
        "m = qe_model.default_model()\n"
        "assert m is not None, 'no shipped weights'\n"
        "for enc in m.encoders:\n"
        "    dim = m.meta['encoders'][enc]['feature_dim']\n"
        "    rng = np.random.default_rng(0)\n"
        "    d = (dim - qe_features.N_EXTRA) // 4\n"
        "    u = rng.normal(size=(3, d)); u /= np.linalg.norm(u, axis=1, keepdims=True)\n"
        "    f = qe_features.pair_features(u, u, ['a b'] * 3, ['c d'] * 3)\n"
        "    assert f.shape[1] == dim\n"
        "    for pair in [('en', 'de'), ('xx', 'yy')]:\n"
        "        z = m.predict_z(enc, f, *pair)\n"
        "        assert np.all(np.isfinite(z))\n"
        "assert 'torch' not in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
    assert qe_model_size() < 5_000_000


def qe_model_size() -> int:
    from mtcheck.metrics.qe_model import DEFAULT_WEIGHTS

    return DEFAULT_WEIGHTS.stat().st_size


def test_training_is_reproducible_on_a_tiny_subset(shared_data, tmp_path):
    from mtcheck.metrics import qe_model, qe_training

    judgments = qe_training.load_training_judgments(shared_data / "qe", limit=40, seed=13)
    assert set(judgments) == {"en-de", "en-zh", "et-en", "ne-en", "ro-en", "ru-en", "si-en", "en-fr"}
    # two language pairs and one penalty keep the test quick; the code path is the full one
    judgments = {name: judgments[name] for name in ("en-de", "ro-en")}
    kwargs = dict(encoders=("usem3",), cache_dir=tmp_path / "cache", seed=13, alphas=(1000.0,))
    first = qe_training.train(judgments, **kwargs)
    second = qe_training.train(judgments, **kwargs)
    assert first[0].keys() == second[0].keys()
    for key in first[0]:
        np.testing.assert_array_equal(first[0][key], second[0][key])
    path = qe_training.save(*first, tmp_path / "w.npz")
    model = qe_model.QEModel.load(path)
    assert model.encoders == ["usem3"]
    assert model.model_key("usem3", "en", "de") == "en-de"
    assert model.model_key("usem3", "fr", "de") == "pooled"
    assert first[1]["encoders"]["usem3"]["models"] == ["en-de", "ro-en", "pooled"]
    enc = _usem3()
    rows = judgments["en-de"][:5]
    u = enc.encode([r.src for r in rows])
    v = enc.encode([r.tgt for r in rows])
    from mtcheck.metrics.qe_features import pair_features

    z = model.predict_z("usem3", pair_features(u, v, [r.src for r in rows], [r.tgt for r in rows]), "en", "de")
    assert z.shape == (5,) and np.all(np.isfinite(z))


def _usem3():
    from mtcheck.embed import get_encoder

    return get_encoder("usem3", cache=False)


def test_encoder_rule_follows_the_encoders_training_languages():
    from mtcheck.metrics import qe_model

    order = ("usem3", "e5")
    # usem3 knows English, French, German, Russian, Chinese: the cheap encoder scores them
    for pair in (("en", "fr"), ("en", "de"), ("ru", "en"), ("en", "zh-CN"), ("", "")):
        assert qe_model.encoder_for(*pair, order) == "usem3", pair
    # Estonian, Romanian, Sinhala, Nepali are not among usem3's languages
    for pair in (("et", "en"), ("ro", "en"), ("si", "en"), ("ne", "en"), ("en", "lv")):
        assert qe_model.encoder_for(*pair, order) == "e5", pair
    assert qe_model.encoder_for("et", "en", ("usem3",)) == "usem3"  # the only one there is


def test_only_pairs_outside_the_first_encoders_languages_train_the_second():
    from mtcheck.metrics import qe_training

    names = ["en-de", "en-zh", "et-en", "ne-en", "ro-en", "ru-en", "si-en", "en-fr"]
    assert qe_training.pairs_for_encoder("usem3", names, ("usem3", "e5")) == names
    assert qe_training.pairs_for_encoder("e5", names, ("usem3", "e5")) == ["et-en", "ne-en", "ro-en", "si-en"]


def test_shipped_weights_pick_e5_only_where_usem3_lacks_a_language():
    from mtcheck.metrics import qe_model

    model = qe_model.default_model()
    assert model.encoders_for("en", "fr")[0] == "usem3"
    assert model.encoders_for("en", "de")[0] == "usem3"
    if "e5" in model.encoders:
        assert model.encoders_for("ro", "en") == ["e5", "usem3"]
        assert model.combination("ro", "en")[0] == "e5"
        assert model.combination("en", "fr") == ["usem3"]
        assert model.model_key("e5", "ro", "en") == "ro-en"
        assert model.model_key("e5", "lv", "en") == "pooled"


def test_en_fr_quality_uses_the_documents_vectors_alone(encoder, monkeypatch):
    """The common case costs one batch of the document's encoder: no second encoder."""
    import mtcheck.embed as embed

    def no_other_encoder(name, *args, **kwargs):
        raise AssertionError(f"a second encoder was loaded: {name}")

    monkeypatch.setattr(embed, "get_encoder", no_other_encoder)
    pairs = [_pair(0, SRC, GOOD), _pair(1, SRC, UNRELATED)]
    quality.score_pairs(pairs, encoder, "en", "fr")
    assert pairs[0].scores["quality"] > pairs[1].scores["quality"]


def test_romanian_is_scored_with_e5(encoder):
    from mtcheck.metrics import qe_model

    assert "e5" in qe_model.default_model().encoders  # the shipped weights choose e5 for ro
    src = "Guvernul a anunțat marți că reforma pensiilor va fi amânată."
    good = "The government announced on Tuesday that the pension reform would be postponed."
    bad = "Potatoes grow best in light, well-drained soil."
    pairs = [_pair(0, src, good), _pair(1, src, bad)]
    quality.score_pairs(pairs, encoder, "ro", "en")
    assert pairs[0].scores["quality"] > pairs[1].scores["quality"]


def test_combination_is_chosen_on_leave_one_out_predictions():
    from mtcheck.metrics import qe_training
    from mtcheck.metrics.qe_data import Judgment

    rng = np.random.default_rng(0)
    rows = [Judgment(f"s{k}", f"t{k}", float(y), "ro-en") for k, y in enumerate(rng.normal(size=200))]
    y = qe_training.common_scale("ro-en", [r.score for r in rows])
    noise = rng.normal(size=(2, 200))
    loo = {"usem3": {"ro-en": y + 2.0 * noise[0]}, "e5": {"ro-en": (y + 2.0 * noise[1])[:100]}}
    used = {"usem3": {"ro-en": rows}, "e5": {"ro-en": rows[:100]}}
    choice, scores = qe_training.choose_combinations(["usem3", "e5"], loo, used, ["usem3", "e5"])
    # two equally good predictors with independent errors: their mean is better than either
    assert choice == {"ro-en": ["e5", "usem3"]}
    assert scores["ro-en"]["e5+usem3"] > max(scores["ro-en"]["e5"], scores["ro-en"]["usem3"])
    # a good e5 and a useless first encoder: e5 alone
    loo["e5"]["ro-en"] = (y + 0.3 * noise[1])[:100]
    loo["usem3"]["ro-en"] = 3.0 * rng.normal(size=200)
    choice, _ = qe_training.choose_combinations(["usem3", "e5"], loo, used, ["usem3", "e5"])
    assert choice == {"ro-en": ["e5"]}
