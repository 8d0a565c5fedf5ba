"""Features of a (source, translation) pair for the learned quality estimate.

Computed with numpy only, the same way at training and at inference:
[u, v, |u - v|, u * v] from the two L2-normalised sentence vectors (the siamese
features of InferSent/SBERT-style models), then the cosine and a few length features.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

N_EXTRA = 6


def _lengths(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    chars = np.array([len(" ".join((t or "").split())) for t in texts], dtype=np.float64)
    words = np.array([len((t or "").split()) for t in texts], dtype=np.float64)
    return chars, words


def pair_features(
    u: np.ndarray, v: np.ndarray, src_texts: Sequence[str], tgt_texts: Sequence[str]
) -> np.ndarray:
    """One row per pair: 4 * dim vector features + cosine + 5 length features."""
    u = np.asarray(u, dtype=np.float32)
    v = np.asarray(v, dtype=np.float32)
    cos = np.sum(u * v, axis=1, keepdims=True)
    src_chars, src_words = _lengths(src_texts)
    tgt_chars, tgt_words = _lengths(tgt_texts)
    extra = np.stack(
        [
            cos[:, 0].astype(np.float64),
            np.log1p(src_chars),
            np.log1p(tgt_chars),
            np.log((tgt_chars + 1) / (src_chars + 1)),
            np.log1p(src_words),
            np.log1p(tgt_words),
        ],
        axis=1,
    ).astype(np.float32)
    return np.concatenate([u, v, np.abs(u - v), u * v, extra], axis=1)
