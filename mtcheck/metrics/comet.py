"""COMET scores with unbabel-comet (optional extra: pip install "mtcheck[comet]").

`--comet-model` names a checkpoint file (.ckpt), a model folder (holding hparams.yaml
and checkpoints/model.ckpt, as COMET's releases are laid out), or a hub name already
in the local Hugging Face cache. Models that read a reference (COMET-22, XCOMET) use
the pair's reference when there is one; reference-free models (CometKiwi) and
XCOMET without references score source and translation alone. Nothing is
downloaded: a missing package or missing weights give a one-line `ModelError`.
"""
from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path
from typing import Sequence

from mtcheck.errors import ModelError
from mtcheck.models import Pair

log = logging.getLogger(__name__)

# COMET model classes (hparams "class_identifier") that cannot score without a reference
NEEDS_REFERENCE = {"regression_metric", "ranking_metric"}
# classes that never read a reference
REFERENCE_FREE = {"referenceless_regression_metric"}


def _import_comet():
    try:
        import comet  # noqa: F401
        from comet import load_from_checkpoint
    except ImportError as exc:
        raise ModelError(
            f'COMET needs the optional extra: pip install "mtcheck[comet]" ({exc.__class__.__name__}: {exc})'
        ) from None
    return load_from_checkpoint


def resolve_checkpoint(name_or_path: str) -> Path:
    """The .ckpt file of a checkpoint path, a model folder or a locally cached hub name."""
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        for candidate in (path / "checkpoints" / "model.ckpt", *sorted(path.glob("checkpoints/*.ckpt"))):
            if candidate.is_file():
                return candidate
        raise ModelError(f"{path}: no checkpoints/model.ckpt in this COMET model folder")
    try:
        from comet import download_model

        return Path(download_model(name_or_path, local_files_only=True))
    except Exception:
        raise ModelError(
            f"COMET model {name_or_path!r} is not on this machine and nothing is downloaded at run time: "
            f"download it where there is network (python -c \"from comet import download_model; "
            f"print(download_model('{name_or_path}'))\") and pass that folder to --comet-model"
        ) from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


def _class_identifier(checkpoint: Path) -> str:
    try:
        hparams = checkpoint.parents[1] / "hparams.yaml"  # IndexError for a bare "model.ckpt"
        import yaml

        with open(hparams, encoding="utf-8") as handle:
            return str(yaml.safe_load(handle).get("class_identifier", ""))
    except Exception:
        return ""


def load_model(name_or_path: str):
    """The COMET model, on CPU unless a GPU is present; raises ModelError on any failure."""
    load_from_checkpoint = _import_comet()
    checkpoint = resolve_checkpoint(name_or_path)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            model = load_from_checkpoint(str(checkpoint), local_files_only=True)
    except Exception as exc:
        raise ModelError(f"cannot load COMET model {name_or_path}: {_first_line(exc)}") from None
    model.eval()
    return model, _class_identifier(checkpoint)


def score_pairs(pairs: Sequence[Pair], model_name_or_path: str, batch_size: int = 16) -> dict[str, float]:
    """Set `pair.scores["comet"]` for every pair and return the document's {"comet": mean}.

    Pairs with an empty source or translation are not given to the model and score
    0 (nothing was translated, or the text translates nothing); the document score is
    the mean over all pairs, so they lower it.
    """
    pairs = list(pairs)
    if not pairs:
        return {}
    model, kind = load_model(model_name_or_path)
    have_refs = any((p.ref or "").strip() for p in pairs)
    if kind in NEEDS_REFERENCE and not have_refs:
        raise ModelError(f"COMET model {model_name_or_path} needs a reference: pass --ref")
    use_refs = have_refs and kind not in REFERENCE_FREE
    scored = [k for k, p in enumerate(pairs) if p.src.strip() and p.tgt.strip()]
    samples = []
    for k in scored:
        sample = {"src": pairs[k].src, "mt": pairs[k].tgt}
        if use_refs:
            sample["ref"] = pairs[k].ref or ""
        samples.append(sample)
    values = [0.0] * len(pairs)
    if samples:
        try:
            import torch

            # Lightning prints progress and device notes; keep stdout for the report
            with contextlib.redirect_stdout(sys.stderr):
                output = model.predict(
                    samples,
                    batch_size=batch_size,
                    gpus=1 if torch.cuda.is_available() else 0,
                    progress_bar=False,
                )
        except Exception as exc:
            raise ModelError(f"COMET model {model_name_or_path} failed to score: {_first_line(exc)}") from None
        for k, value in zip(scored, output.scores):
            values[k] = float(value)
    for pair, value in zip(pairs, values):
        pair.scores["comet"] = value
    return {"comet": float(sum(values) / len(values))}
