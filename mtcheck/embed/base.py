"""The `Encoder` protocol every embedding backend follows."""
from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """A multilingual sentence encoder.

    `encode` returns one L2-normalised float32 row per text, shape (len(texts), dim).
    Loading the model happens on the first call, never on construction.
    """

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...
