"""Features of a (source, translation) pair for the learned quality estimate.

Computed with numpy only, the same way at training and at inference:
[u, v, |u - v|, u * v] from the two L2-normalised sentence vectors (the siamese
features of InferSent/SBERT-style models), then the cosine, length features and a
few surface signals that need no model and work in any language: numbers and
capitalised words carried over, character 3-gram overlap, words copied verbatim,
and repeated words (a sign of a degenerate translation).
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+", re.UNICODE)
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)

SURFACE_NAMES = (
    "cosine", "log_src_chars", "log_tgt_chars", "log_length_ratio", "log_src_words", "log_tgt_words",
    "number_f1", "capitalised_overlap", "char3_jaccard", "copied_word_rate",
    "tgt_repeated_words", "src_repeated_words", "punctuation_difference",
)
N_EXTRA = len(SURFACE_NAMES)


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[.,]", "", n) for n in _NUMBER.findall(text)}


def _f1(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return 2 * inter / (len(a) + len(b))


def _char3(text: str) -> set[str]:
    t = " ".join(text.lower().split())
    return {t[i:i + 3] for i in range(max(0, len(t) - 2))}


def _repeated(words: list[str]) -> float:
    if len(words) < 2:
        return 0.0
    return 1.0 - len(set(words)) / len(words)


def surface_features(src: str, tgt: str) -> list[float]:
    """The model-free signals of one pair, in SURFACE_NAMES order after the cosine."""
    src = src or ""
    tgt = tgt or ""
    src_chars = len(" ".join(src.split()))
    tgt_chars = len(" ".join(tgt.split()))
    src_words = _WORD.findall(src)
    tgt_words = _WORD.findall(tgt)
    caps_src = {w for w in src_words if w[:1].isupper()}
    caps_tgt = {w for w in tgt_words if w[:1].isupper()}
    c3s, c3t = _char3(src), _char3(tgt)
    jacc = len(c3s & c3t) / len(c3s | c3t) if (c3s or c3t) else 0.0
    src_lower = {w.lower() for w in src_words if len(w) > 1}
    copied = sum(1 for w in tgt_words if len(w) > 1 and w.lower() in src_lower) / max(1, len(tgt_words))
    punct = abs(len(_PUNCT.findall(src)) - len(_PUNCT.findall(tgt))) / (1 + len(_PUNCT.findall(src)))
    return [
        float(np.log1p(src_chars)),
        float(np.log1p(tgt_chars)),
        float(np.log((tgt_chars + 1) / (src_chars + 1))),
        float(np.log1p(len(src.split()))),
        float(np.log1p(len(tgt.split()))),
        _f1(_numbers(src), _numbers(tgt)),
        _f1(caps_src, caps_tgt),
        jacc,
        copied,
        _repeated([w.lower() for w in tgt_words]),
        _repeated([w.lower() for w in src_words]),
        punct,
    ]


def pair_features(
    u: np.ndarray, v: np.ndarray, src_texts: Sequence[str], tgt_texts: Sequence[str]
) -> np.ndarray:
    """One row per pair: 4 * dim vector features, then the SURFACE_NAMES columns."""
    u = np.asarray(u, dtype=np.float32)
    v = np.asarray(v, dtype=np.float32)
    cos = np.sum(u * v, axis=1, keepdims=True)
    surface = np.array(
        [surface_features(s, t) for s, t in zip(src_texts, tgt_texts)], dtype=np.float32
    ).reshape(len(u), N_EXTRA - 1)
    return np.concatenate([u, v, np.abs(u - v), u * v, cos, surface], axis=1)
