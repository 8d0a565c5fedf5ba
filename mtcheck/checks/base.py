"""What every check is: a small class with a stable code and `run(pair, context)`."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from mtcheck.models import Flag, Pair


@dataclass
class CheckContext:
    """What a check may look at beyond its own pair.

    `pairs` is the whole document in order and `index` the position of the pair being
    checked, so that document-level checks (a repeated line, boilerplate at the end)
    can look at neighbours. `encoder` and `detect_language` are shared, lazily loaded
    resources; checks must not load models of their own at import time.
    """

    src_lang: str
    tgt_lang: str
    pairs: list[Pair] = field(default_factory=list)
    index: int = 0
    encoder: Any = None
    detect_language: Optional[Callable[[str], tuple[str, float]]] = None
    options: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)


class Check:
    """Base class: subclasses set `code` and implement `run`.

    `run` never raises on odd input: a check that cannot decide returns no flag.
    """

    code: str = ""

    def run(self, pair: Pair, context: CheckContext) -> list[Flag]:  # pragma: no cover
        raise NotImplementedError


def computed_once(context: CheckContext, name: str, pair: Pair, compute: Callable[[], list]) -> list:
    """The findings `compute()` gives on the pair being checked (flags, or the stretches a
    check weighs), computed once per pair: a check that weighs another's findings (addition
    asks duplication, number_mismatch asks truncation and omission, truncation asks
    omission) shares the run the runner makes of it. Each caller gets copies, since the
    runner fills in the flags it keeps."""
    key = (name, context.index)
    cached = context.cache.get(key)
    if cached is None or cached[0] is not pair:
        cached = context.cache[key] = (pair, compute())
    return [copy.copy(flag) for flag in cached[1]]
