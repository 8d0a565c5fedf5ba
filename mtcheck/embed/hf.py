"""Any transformers encoder (`hf:NAME_OR_PATH`): mean pooling, L2-normalised, torch on CPU.

Works for LaBSE-like models and sentence-transformers checkpoints: when the checkpoint
declares CLS pooling (`1_Pooling/config.json`), CLS pooling is used instead of the mean.
Weights are never downloaded at run time by surprise: a local directory is read as is, a hub
name is looked up in the local Hugging Face cache only (MTCHECK_ALLOW_DOWNLOAD=1 lets
transformers fetch it); anything missing gives a `ModelError` that says how to get the model.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import numpy as np

from mtcheck.embed.base import encode_in_batches
from mtcheck.errors import ModelError


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _looks_like_path(name: str) -> bool:
    """A local directory rather than a hub id ("org/name" is both until the disk says so)."""
    return name.startswith(("/", ".", "~")) or Path(name).expanduser().exists()


def _downloads_allowed() -> bool:
    return os.environ.get("MTCHECK_ALLOW_DOWNLOAD", "0").strip().lower() in ("1", "true", "yes")


class HFEncoder:
    """A transformers AutoModel + AutoTokenizer, loaded on the first encode."""

    def __init__(self, name_or_path: str, batch_size: int = 32, max_length: int = 256):
        if not name_or_path:
            raise ModelError("hf: needs a model name or a local path, e.g. hf:sentence-transformers/LaBSE")
        self.model_id = name_or_path
        self.name = f"hf:{name_or_path}"
        self.batch_size = batch_size
        self.max_length = max_length
        self._dim: Optional[int] = None
        self._model = None
        self._tokenizer = None
        self._pooling = "mean"

    # -- loading -------------------------------------------------------------

    def _how_to_get(self) -> str:
        if _looks_like_path(self.model_id):
            return (
                "download the model where there is internet (e.g. `huggingface-cli download "
                "sentence-transformers/LaBSE --local-dir DIR`), copy DIR here and pass --encoder hf:DIR"
            )
        return (
            f"download it where there is internet (e.g. `huggingface-cli download {self.model_id} "
            f"--local-dir DIR`), copy DIR here and pass --encoder hf:DIR"
        )

    def _source(self) -> tuple[str, bool]:
        """(what to load, whether to stay off the network)."""
        if _looks_like_path(self.model_id):
            path = Path(self.model_id).expanduser()
            if not path.is_dir():
                raise ModelError(f"{self.name}: no model directory at {path}; {self._how_to_get()}")
            return str(path), True
        # A hub id is read from the local Hugging Face cache unless downloads are allowed.
        return self.model_id, not _downloads_allowed()

    def _load(self):
        if self._model is not None:
            return self._model, self._tokenizer
        try:
            import torch  # noqa: F401
            from transformers import AutoModel, AutoTokenizer
        except ImportError:
            raise ModelError(
                f"{self.name}: hub encoders need torch and transformers: pip install torch transformers"
            ) from None
        source, offline = self._source()
        try:
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=offline)
            model = AutoModel.from_pretrained(source, local_files_only=offline)
        except Exception as exc:  # transformers raises OSError, ValueError, EnvironmentError...
            raise ModelError(
                f"{self.name}: cannot load the model ({_first_line(exc)}); {self._how_to_get()}"
            ) from None
        model.eval()
        self._pooling = _declared_pooling(source)
        self._model, self._tokenizer = model, tokenizer
        self._dim = int(model.config.hidden_size)
        return model, tokenizer

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._load()
        return self._dim

    # -- encoding ------------------------------------------------------------

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text (mean of the token states, padding excluded)."""
        model, tokenizer = self._load()
        import torch

        def encode_batch(batch):
            inputs = tokenizer(
                batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
            )
            with torch.inference_mode():
                states = model(**inputs).last_hidden_state
            if self._pooling == "cls":
                pooled = states[:, 0]
            else:
                mask = inputs["attention_mask"].unsqueeze(-1).to(states.dtype)
                pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return pooled.float().cpu().numpy()

        return encode_in_batches(encode_batch, texts, self.dim, self.batch_size)


def _declared_pooling(source: str) -> str:
    """'cls' when a sentence-transformers checkpoint says so, else 'mean'."""
    config = Path(source) / "1_Pooling" / "config.json"
    try:
        declared = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "mean"
    if declared.get("pooling_mode_cls_token") and not declared.get("pooling_mode_mean_tokens"):
        return "cls"
    return "mean"
