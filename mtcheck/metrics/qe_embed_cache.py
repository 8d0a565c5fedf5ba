"""Embedding many sentences once: an on-disk cache of encoder vectors.

Training and benchmarking the quality estimate embeds about 100,000 sentences, which
takes a long time on a small machine. Vectors are stored in blocks (`<hash>.npy`
with the block's texts in `<hash>.json`) under one folder per encoder; a request is
answered from any stored block that holds its texts, so a subset of a list that was
embedded before, or a rerun after an interruption, costs nothing.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

# vectors already read from disk, per cache folder: {text: vector}
_LOADED: dict[Path, dict[str, np.ndarray]] = {}
_SEEN_FILES: dict[Path, set[str]] = {}


def texts_key(texts: Sequence[str]) -> str:
    digest = hashlib.sha1()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


def load_encoder(name: str):
    """The project's encoder by name (see mtcheck.embed)."""
    from mtcheck.embed import get_encoder

    # vectors are cached here; the encoder's own per-text cache would store them twice
    return get_encoder(name, cache=False)


def _index(folder: Path) -> dict[str, np.ndarray]:
    """Every stored vector of the folder by its text (blocks read once per process)."""
    lookup = _LOADED.setdefault(folder, {})
    seen = _SEEN_FILES.setdefault(folder, set())
    for texts_file in sorted(folder.glob("*.json")):
        if texts_file.name in seen:
            continue
        vectors_file = texts_file.with_suffix(".npy")
        if not vectors_file.exists():
            continue
        texts = json.loads(texts_file.read_text(encoding="utf-8"))
        vectors = np.load(vectors_file)
        if len(texts) == len(vectors):
            for text, vector in zip(texts, vectors):
                lookup.setdefault(text, vector)
        seen.add(texts_file.name)
    return lookup


def _store(folder: Path, texts: list[str], vectors: np.ndarray) -> None:
    import io

    from mtcheck.io import write_bytes_atomic, write_text_atomic

    key = texts_key(texts)
    buffer = io.BytesIO()
    np.save(buffer, vectors)
    write_bytes_atomic(folder / f"{key}.npy", buffer.getvalue())
    # the texts file is written last: a block counts only once both are complete, and
    # atomic writes mean a run killed half-way leaves no cut file for the next to trip on
    write_text_atomic(folder / f"{key}.json", json.dumps(texts, ensure_ascii=False))


def embed_cached(
    encoder_name: str,
    texts: Sequence[str],
    cache_dir: Path,
    encode: Optional[Callable[[list[str]], np.ndarray]] = None,
    chunk: int = 512,
) -> np.ndarray:
    """L2-normalised float32 vectors of `texts`, one row per text, from the cache when
    present; the missing texts are embedded in blocks of `chunk` and stored."""
    texts = [str(t) for t in texts]
    folder = Path(cache_dir) / encoder_name.replace("/", "_").replace(":", "_")
    folder.mkdir(parents=True, exist_ok=True)
    lookup = _index(folder)
    missing = [t for t in dict.fromkeys(texts) if t not in lookup]
    if missing and encode is None:
        encode = load_encoder(encoder_name).encode
    for start in range(0, len(missing), chunk):
        block = missing[start:start + chunk]
        vectors = np.asarray(encode(block), dtype=np.float32)
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        _store(folder, block, vectors)
        for text, vector in zip(block, vectors):
            lookup[text] = vector
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([lookup[t] for t in texts]).astype(np.float32)
