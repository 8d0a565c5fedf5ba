"""Embedding many sentences once: an on-disk cache of encoder vectors per text list.

Training and benchmarking the quality estimate embeds about 100,000 sentences, which
takes a long time on a small machine; each list is stored as one .npy file named by
the encoder and a hash of the texts, so a rerun costs nothing.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Sequence

import numpy as np


def texts_key(texts: Sequence[str]) -> str:
    digest = hashlib.sha1()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


def load_encoder(name: str):
    """The project's encoder by name (see mtcheck.embed)."""
    from mtcheck.embed import get_encoder

    return get_encoder(name)


def embed_cached(
    encoder_name: str,
    texts: Sequence[str],
    cache_dir: Path,
    encode: Callable[[list[str]], np.ndarray] | None = None,
    chunk: int = 512,
) -> np.ndarray:
    """L2-normalised vectors of `texts`, from the cache when present.

    Texts are embedded in chunks so that an interrupted run keeps what it did.
    """
    texts = list(texts)
    cache_dir = Path(cache_dir) / encoder_name.replace("/", "_").replace(":", "_")
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{texts_key(texts)}.npy"
    if path.exists():
        return np.load(path)
    if encode is None:
        encode = load_encoder(encoder_name).encode
    parts = []
    for start in range(0, len(texts), chunk):
        part_texts = texts[start:start + chunk]
        part_path = cache_dir / f"{texts_key(part_texts)}.part.npy"
        if part_path.exists():
            parts.append(np.load(part_path))
            continue
        vecs = np.asarray(encode(part_texts), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        vecs = vecs / np.maximum(norms, 1e-12)
        np.save(part_path, vecs)
        parts.append(vecs)
    out = np.concatenate(parts) if parts else np.zeros((0, 0), np.float32)
    np.save(path, out)
    for start in range(0, len(texts), chunk):
        (cache_dir / f"{texts_key(texts[start:start + chunk])}.part.npy").unlink(missing_ok=True)
    return out
