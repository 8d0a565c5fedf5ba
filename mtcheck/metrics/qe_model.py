"""The learned reference-free quality estimate at inference: numpy only, no torch.

The weights (mtcheck/data/qe_weights.npz, written by `mtcheck train-qe`) hold, for each
encoder, one linear model per language pair seen in training and a pooled model for
the others, with the feature standardisation they were trained with. A model
predicts a standardised human score (z: 0 is an average machine translation of the
training data, +-1 one standard deviation); `quality` is its normal CDF, in [0, 1].
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from mtcheck.errors import ModelError

DEFAULT_WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "qe_weights.npz"
POOLED = "pooled"


class QEModel:
    """Linear models over `qe_features.pair_features`, per encoder and language pair."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict):
        self.arrays = arrays
        self.meta = meta

    @classmethod
    def load(cls, path: Path = DEFAULT_WEIGHTS) -> "QEModel":
        path = Path(path)
        if not path.exists():
            raise ModelError(f"quality-estimate weights not found: {path} (run mtcheck train-qe)")
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
        except Exception as exc:  # a truncated or foreign file
            raise ModelError(f"cannot read quality-estimate weights {path}: {exc}") from None
        meta = json.loads(str(arrays.pop("meta")))
        return cls(arrays, meta)

    @property
    def encoders(self) -> list[str]:
        return sorted(self.meta.get("encoders", {}))

    def model_key(self, encoder: str, src_lang: str, tgt_lang: str) -> str:
        """The language pair's own model when trained, else the pooled one."""
        pair = f"{_base(src_lang)}-{_base(tgt_lang)}"
        models = self.meta["encoders"][encoder]["models"]
        return pair if pair in models else POOLED

    def predict_z(
        self, encoder: str, features: np.ndarray, src_lang: str = "", tgt_lang: str = ""
    ) -> np.ndarray:
        """Standardised predicted human score for each row of `features`."""
        if encoder not in self.meta.get("encoders", {}):
            raise ModelError(f"no quality-estimate model for encoder {encoder!r}")
        key = self.model_key(encoder, src_lang, tgt_lang)
        x = (np.asarray(features, dtype=np.float64) - self.arrays[f"{encoder}/mean"]) / self.arrays[
            f"{encoder}/scale"
        ]
        return x @ self.arrays[f"{encoder}/{key}/w"] + float(self.arrays[f"{encoder}/{key}/b"])


def z_to_quality(z: np.ndarray) -> np.ndarray:
    """The standard normal CDF: a z-score as a 0-1 quality."""
    z = np.asarray(z, dtype=np.float64)
    return np.array([0.5 * (1.0 + math.erf(x / math.sqrt(2.0))) for x in z.ravel()]).reshape(z.shape)


@lru_cache(maxsize=4)
def _load_cached(path: str) -> QEModel:
    return QEModel.load(Path(path))


def default_model() -> Optional[QEModel]:
    """The shipped model, or None when the package has no weights."""
    if not DEFAULT_WEIGHTS.exists():
        return None
    return _load_cached(str(DEFAULT_WEIGHTS))


def _base(lang: str) -> str:
    return (lang or "").lower().replace("_", "-").split("-")[0]
