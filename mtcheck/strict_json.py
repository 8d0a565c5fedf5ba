"""Strict JSON lines: a score that is not a finite number (NaN, inf) is written as null.

Python's json writes NaN and Infinity, which JSON parsers in other languages refuse; every
JSON line mtcheck writes (the batch journal, JSONL reports, worker messages) goes through
`dumps`.
"""
from __future__ import annotations

import json
import math


def dumps(row: dict) -> str:
    """One JSON line; a score that is not a finite number (NaN, inf) is written as null."""
    return json.dumps(_finite(row), ensure_ascii=False, allow_nan=False, default=_json_default)


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _json_default(value):
    # numpy scalars and other number-likes reach the rows through scores
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else None
