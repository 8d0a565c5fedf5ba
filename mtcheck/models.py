"""The data model shared by every stage of the flow (see DESIGN.md, "Data model")."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Optional

SEVERITIES = ("minor", "major", "critical")
SIDES = ("src", "tgt", "pair")


@dataclass(frozen=True)
class Segment:
    """A sentence and its character span [start, end) in the document text."""

    id: int
    text: str
    para: int
    start: int
    end: int


@dataclass(frozen=True)
class Link:
    """An alignment bead: source sentence ids opposite target sentence ids.

    An empty side means nothing opposite (an omission or an addition).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0


@dataclass
class Flag:
    """One problem found in a pair.

    `span` is [start, end) in the text of `side` within the pair (the joined
    `src` or `tgt` string), or None when the flag concerns the whole pair.
    """

    code: str
    severity: str
    side: str
    span: Optional[tuple[int, int]]
    message: str
    # Filled in by the check runner: which pair the flag belongs to and the text
    # it points at, so that the signature survives re-alignment of other pairs.
    evidence: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if self.side not in SIDES:
            raise ValueError(f"unknown side {self.side!r}")
        if self.span is not None:
            self.span = (int(self.span[0]), int(self.span[1]))

    def signature(self, pair: "Pair") -> str:
        """A stable id for waiving this flag once: code, side and the texts involved.

        It does not depend on sentence indices, so inserting a sentence elsewhere in
        the document does not invalidate a waiver.
        """
        text = pair.tgt if self.side != "src" else pair.src
        quoted = text[self.span[0]:self.span[1]] if self.span else ""
        key = "\x1f".join((self.code, self.side, pair.src, pair.tgt, quoted))
        return f"{self.code}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "side": self.side,
            "span": list(self.span) if self.span is not None else None,
            "message": self.message,
        }


@dataclass
class Pair:
    """An aligned link with its texts, scores and flags."""

    link: Link
    src: str
    tgt: str
    ref: Optional[str] = None
    src_segments: tuple[Segment, ...] = ()
    tgt_segments: tuple[Segment, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)

    @property
    def src_ids(self) -> list[int]:
        return list(self.link.src)

    @property
    def tgt_ids(self) -> list[int]:
        return list(self.link.tgt)

    @property
    def align_score(self) -> float:
        return float(self.link.score)

    def to_dict(self) -> dict:
        return {
            "src_ids": self.src_ids,
            "tgt_ids": self.tgt_ids,
            "src": self.src,
            "tgt": self.tgt,
            "ref": self.ref,
            "align_score": round(self.align_score, 6),
            "scores": {k: round_score(v) for k, v in self.scores.items()},
            "flags": [f.to_dict() for f in self.flags],
        }


def round_score(value):
    """Six decimals for floats; NaN and infinities become None so the JSON stays valid."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return round(value, 6)
    return value


def join_segments(segments) -> str:
    """The text of several sentences of one link, as the pair shows it."""
    return " ".join(s.text for s in segments)
