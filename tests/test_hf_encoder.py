"""`hf:PATH` encoders, with a tiny random BERT built and saved locally (nothing downloaded)."""
from __future__ import annotations

import numpy as np
import pytest

from mtcheck.embed import get_encoder
from mtcheck.errors import ModelError

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

WORDS = "the a cat dog sat on mat le la chat chien assis sur tapis is est".split()


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tiny-bert")
    vocab = directory / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS) + "\n")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=len(WORDS) + 5, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64,
    )
    model = transformers.BertModel(config)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def test_local_model_encodes_unit_rows_deterministically(tiny_bert):
    enc = get_encoder(f"hf:{tiny_bert}", cache=False)
    assert enc.name == f"hf:{tiny_bert}"
    texts = ["the cat sat on the mat", "le chat est assis sur le tapis", "dog", ""]
    first = enc.encode(texts)
    assert enc.dim == 32
    assert first.shape == (4, 32) and first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(enc.encode(texts), first)
    # padding must not change a sentence's vector: alone or in a batch with longer ones
    np.testing.assert_allclose(enc.encode(["dog"])[0], first[2], atol=1e-5)
    assert not np.allclose(first[0], first[2])


def test_cached_hf_encoder_matches_the_model(tiny_bert, tmp_path, monkeypatch):
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path))
    cached = get_encoder(f"hf:{tiny_bert}", cache=True)
    bare = get_encoder(f"hf:{tiny_bert}", cache=False)
    texts = ["the dog sat", "le chien"]
    np.testing.assert_allclose(cached.encode(texts), bare.encode(texts), atol=1e-6)
    np.testing.assert_allclose(cached.encode(texts), bare.encode(texts), atol=1e-6)


def test_missing_path_is_a_one_line_model_error(tmp_path):
    enc = get_encoder(f"hf:{tmp_path / 'no-model-here'}", cache=False)
    with pytest.raises(ModelError) as info:
        enc.encode(["anything"])
    message = str(info.value)
    assert "\n" not in message and "no-model-here" in message and "download" in message


def test_directory_without_weights_is_a_one_line_model_error(tmp_path):
    (tmp_path / "empty-model").mkdir()
    enc = get_encoder(f"hf:{tmp_path / 'empty-model'}", cache=False)
    with pytest.raises(ModelError) as info:
        enc.encode(["anything"])
    assert "\n" not in str(info.value) and "--encoder hf:" in str(info.value)
