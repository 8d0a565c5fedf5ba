"""The encoder registry, the bundled encoders and the on-disk embedding cache."""
from __future__ import annotations

import hashlib
import multiprocessing

import numpy as np
import pytest

from mtcheck.embed import get_encoder, known_encoders
from mtcheck.embed.cache import CachedEncoder, cache_file, text_key
from mtcheck.errors import ConfigError

PAIRS = [
    ("The committee approved the budget on Tuesday.", "Le comité a approuvé le budget mardi."),
    ("It is raining heavily in the mountains.", "Il pleut fortement dans les montagnes."),
    ("My sister plays the violin.", "Ma sœur joue du violon."),
]


class HashEncoder:
    """A deterministic stand-in model (the cache is under test, not the model)."""

    name = "hash-test"
    dim = 8

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        rows = []
        for t in texts:
            digest = hashlib.sha256(t.encode()).digest()[: self.dim]
            row = np.frombuffer(digest, dtype=np.uint8).astype(np.float32) + 1.0
            rows.append(row / np.linalg.norm(row))
        return np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ConfigError) as info:
        get_encoder("no-such-model")
    message = str(info.value)
    assert "usem3" in message and "e5" in message and "hf:" in message
    assert "\n" not in message
    assert set(known_encoders()) >= {"usem3", "e5"}


def test_same_name_same_object_and_nothing_loaded():
    first = get_encoder("usem3")
    assert get_encoder("usem3") is first
    assert get_encoder("USE") is first  # an alias
    assert get_encoder(None).name == get_encoder("usem3").name  # the default
    assert get_encoder("e5") is not first
    fresh = get_encoder("hf:/definitely/not/loaded")
    assert fresh.name == "hf:/definitely/not/loaded"  # constructing does not touch the disk


@pytest.mark.parametrize("name,dim", [("usem3", 512), ("e5", 384)])
def test_bundled_encoders_give_unit_rows_that_match_translations(name, dim):
    enc = get_encoder(name, cache=False)
    assert enc.name == name and enc.dim == dim
    src = enc.encode([s for s, _ in PAIRS])
    tgt = enc.encode([t for _, t in PAIRS])
    assert src.shape == (3, dim) and src.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(src, axis=1), 1.0, atol=1e-5)
    sims = src @ tgt.T
    # each sentence is closest to its own translation, by a margin
    assert list(sims.argmax(axis=1)) == [0, 1, 2]
    assert np.all(np.diag(sims) > sims.max(axis=1, initial=-1, where=~np.eye(3, dtype=bool)) + 0.02)
    assert enc.encode([]).shape == (0, dim)
    # batching sorts by length internally; order must come back as given
    again = enc.encode([t for _, t in PAIRS][::-1])
    np.testing.assert_allclose(again[::-1], tgt, atol=1e-5)


def test_cache_serves_known_texts_without_the_model(tmp_path):
    inner = HashEncoder()
    cached = CachedEncoder(inner, directory=tmp_path)
    first = cached.encode(["a", "b", "a"])
    assert inner.calls == [["a", "b"]]  # duplicates embedded once
    second = CachedEncoder(HashEncoder(), directory=tmp_path)  # a new process, same disk
    again = second.encode(["b", "a", "c"])
    assert second.inner.calls == [["c"]]
    np.testing.assert_array_equal(again[:2], first[[1, 0]])
    assert cache_file("hash-test", tmp_path).exists()
    assert text_key("a") != text_key("b")


@pytest.mark.parametrize("name", ["usem3", "e5"])
def test_a_heading_in_capitals_is_read_as_ordinary_text(name):
    enc = get_encoder(name, cache=False)
    shouted, plain = enc.encode(["UNE BALEINE D'ESPÈCE INCONNUE", "Une baleine d'espèce inconnue"])
    np.testing.assert_allclose(shouted, plain, atol=1e-6)
    # mixed case, and capitals too few to tell, are read as written
    mixed = enc.encode(["CHAPTER I Down the Rabbit-Hole", "Chapter i down the rabbit-hole", "NASA", "Nasa"])
    assert float(mixed[0] @ mixed[1]) < 0.999 and float(mixed[2] @ mixed[3]) < 0.999


def test_a_heading_in_capitals_keeps_its_roman_numerals_but_not_its_elided_articles():
    from mtcheck.embed.base import reading_form

    assert reading_form("CHAPITRE III . LE CHÂTEAU") == "Chapitre III . le château"
    assert reading_form("UNE BALEINE D'ESPÈCE INCONNUE") == "Une baleine d'espèce inconnue"
    assert reading_form("L’HOMME QUI RIT, CHAPITRE V") == "L’homme qui rit, chapitre V"
    assert reading_form("Chapter 3: How It Began") == "Chapter 3: How It Began"


def test_the_cache_keeps_a_heading_in_capitals_under_the_text_the_encoder_reads(tmp_path):
    inner = HashEncoder()
    cached = CachedEncoder(inner, directory=tmp_path)
    cached.encode(["UNE BALEINE D'ESPÈCE INCONNUE", "Une baleine d'espèce inconnue"])
    assert inner.calls == [["Une baleine d'espèce inconnue"]]


def test_cache_directory_and_switch_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MTCHECK_CACHE_DIR", str(tmp_path))
    cached = CachedEncoder(HashEncoder())
    cached.encode(["x"])
    assert cached.path.parent == tmp_path / "embeddings" and cached.path.exists()
    monkeypatch.setenv("MTCHECK_CACHE", "0")
    assert not isinstance(get_encoder("usem3"), CachedEncoder)
    monkeypatch.setenv("MTCHECK_CACHE", "1")
    assert isinstance(get_encoder("usem3"), CachedEncoder)
    assert not isinstance(get_encoder("usem3", cache=False), CachedEncoder)


def _fill(directory: str, offset: int) -> None:
    enc = CachedEncoder(HashEncoder(), directory=directory)
    for k in range(20):
        # overlapping texts between processes, written in many small transactions
        enc.encode([f"text {offset + k + n}" for n in range(10)])


def test_cache_survives_several_writers_at_once(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_fill, args=(str(tmp_path), 5 * w)) for w in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    texts = [f"text {k}" for k in range(5 * 2 + 20 + 10 - 1)]
    reader = CachedEncoder(HashEncoder(), directory=tmp_path)
    vectors = reader.encode(texts)
    assert reader.inner.calls == []  # every text was stored, none corrupted
    np.testing.assert_array_equal(vectors, HashEncoder().encode(texts))


def test_combined_encoder_averages_the_parts_cosines():
    combined = get_encoder("usem3+e5", cache=False)
    assert combined.name == "usem3+e5" and combined.dim == 512 + 384
    assert get_encoder("use+e5", cache=False) is combined
    texts = [PAIRS[0][0], PAIRS[0][1]]
    rows = combined.encode(texts)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    parts = [get_encoder(name, cache=False).encode(texts) for name in ("usem3", "e5")]
    expected = np.mean([p[0] @ p[1] for p in parts])
    assert rows[0] @ rows[1] == pytest.approx(expected, abs=1e-5)
    with pytest.raises(ConfigError):
        get_encoder("usem3+no-such-model")


def test_a_plus_sign_in_an_hf_path_belongs_to_the_path():
    # "hf:models/a+b" is one local model, not a combination of "hf:models/a" and "b";
    # nothing loads until it encodes, so the path need not exist here.
    from mtcheck.embed import get_encoder

    for cache in (True, False):
        assert get_encoder("hf:models/a+b", cache=cache).name == "hf:models/a+b"
