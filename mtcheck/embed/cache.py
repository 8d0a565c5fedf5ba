"""An on-disk cache of sentence embeddings, keyed by model name and text hash.

One SQLite file per model under `mtcheck.config.cache_dir()/embeddings/` (the environment
variable MTCHECK_CACHE_DIR moves it; MTCHECK_CACHE=0 turns caching off). SQLite is used
rather than one file per vector because a long document has tens of thousands of sentences
and their groups: a single indexed file reads them in a few queries, and its transactions
make writes atomic, so several processes (`mtcheck batch --workers N`) can fill the same
cache at once without corrupting it or each other's rows.

The cache never changes a result: a failure to open or write it (read-only disk, locked
file) only costs speed, with one warning.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import warnings
from pathlib import Path
from typing import Optional

import numpy as np

from mtcheck.embed.base import reading_form

_LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...), below SQLite's variable limit


def cache_enabled() -> bool:
    """False when the environment says MTCHECK_CACHE=0 (or false/no/off)."""
    return os.environ.get("MTCHECK_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def text_key(text: str) -> str:
    """The cache key of one text: the SHA-1 of its UTF-8 bytes."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_file(model_name: str, directory: Optional[Path] = None) -> Path:
    """Where the vectors of `model_name` are kept; the name is made safe for a file name."""
    from mtcheck.config import cache_dir

    base = Path(directory) if directory is not None else cache_dir() / "embeddings"
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("_")[-60:] or "model"
    digest = hashlib.sha1(model_name.encode("utf-8")).hexdigest()[:10]
    return base / f"{readable}-{digest}.sqlite"


class CachedEncoder:
    """Wraps an encoder so that each text is embedded once per model, across runs."""

    def __init__(self, inner, directory: Optional[Path] = None):
        self.inner = inner
        self.name = inner.name
        self._directory = directory
        self._connection: Optional[sqlite3.Connection] = None
        self._pid: Optional[int] = None
        self._broken = False

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def path(self) -> Path:
        return cache_file(self.name, self._directory)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, from the cache where known and from the model otherwise."""
        # keyed by what the encoder reads: a vector kept for a text in capitals before it was
        # read in lower case must not be found again
        texts = [reading_form(str(t)) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        known = self._lookup(set(keys))
        missing = {}
        for key, text in zip(keys, texts):
            if key not in known and key not in missing:
                missing[key] = text
        if missing:
            vectors = np.asarray(self.inner.encode(list(missing.values())), dtype=np.float32)
            fresh = dict(zip(missing.keys(), vectors))
            self._store(fresh)
            known.update(fresh)
        return np.stack([known[k] for k in keys]).astype(np.float32, copy=False)

    # -- storage -------------------------------------------------------------

    def _connect(self, create: bool = True) -> Optional[sqlite3.Connection]:
        if self._broken:
            return None
        if not create and self._connection is None and not self.path.exists():
            return None  # nothing stored yet: do not create a file before the model has worked
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        try:
            path = self.path
            path.parent.mkdir(parents=True, exist_ok=True)
            # A generous timeout: other processes may hold the write lock for a batch.
            connection = sqlite3.connect(str(path), timeout=60.0, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError:
                pass  # some file systems refuse WAL; the default journal is still atomic
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)
            return None
        self._connection, self._pid = connection, os.getpid()
        return connection

    def _lookup(self, keys: set[str]) -> dict[str, np.ndarray]:
        connection = self._connect(create=False)
        found: dict[str, np.ndarray] = {}
        if connection is None or not keys:
            return found
        width = self.dim * 4
        key_list = list(keys)
        try:
            for start in range(0, len(key_list), _LOOKUP_CHUNK):
                chunk = key_list[start:start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, blob in rows:
                    if len(blob) == width:  # a row of another width is stale: embed again
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as exc:
            self._give_up(exc)
        return found

    def _store(self, vectors: dict[str, np.ndarray]) -> None:
        connection = self._connect()
        if connection is None:
            return
        rows = [(k, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()]
        try:
            with connection:  # one transaction: all rows or none
                connection.execute("BEGIN IMMEDIATE")
                connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(exc)

    def _give_up(self, exc: Exception) -> None:
        self._broken = True
        warnings.warn(f"embedding cache disabled for {self.name}: {exc}", RuntimeWarning, stacklevel=3)
