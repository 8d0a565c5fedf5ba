"""Several encoders as one ("usem3+e5"): each part's unit rows scaled by 1/sqrt(k), side by side.

The cosine of two combined rows is then the mean of the parts' cosines. On sentence
alignment (group vectors averaged) it helped on Text+Berg dev (strict F1: usem3 0.861, e5
0.871, both 0.889) but not on its test set (0.885, 0.899, 0.883), so it is an option, not
the default.
"""
from __future__ import annotations

import math

import numpy as np


class CombinedEncoder:
    """The concatenation of several encoders' normalised rows, itself normalised."""

    def __init__(self, parts):
        self.parts = list(parts)
        self.name = "+".join(p.name for p in self.parts)

    @property
    def dim(self) -> int:
        return sum(p.dim for p in self.parts)

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        scale = 1.0 / math.sqrt(len(self.parts))
        blocks = [np.asarray(p.encode(texts), dtype=np.float32) * scale for p in self.parts]
        return np.hstack(blocks).astype(np.float32, copy=False)
