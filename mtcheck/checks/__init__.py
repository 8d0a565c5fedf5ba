"""The checks: one module per family of problems, one small class per flag code.

`ALL_CHECKS` maps each code of DESIGN.md's table to its class; `run_checks` runs the
enabled ones on every pair of a document, in place.
"""
from __future__ import annotations

import logging
from typing import Iterable, Optional, Sequence

from mtcheck.checks.addition import AdditionCheck
from mtcheck.checks.base import Check, CheckContext
from mtcheck.checks.casing import CasingCheck
from mtcheck.checks.duplication import DuplicationCheck
from mtcheck.checks.encoding import EncodingCheck
from mtcheck.checks.entities import EntityMismatchCheck
from mtcheck.checks.language import UntranslatedCheck, WrongLanguageCheck
from mtcheck.checks.numbers import NumberMismatchCheck
from mtcheck.checks.omission import OmissionCheck
from mtcheck.checks.punctuation import PunctuationCheck
from mtcheck.checks.quality import MistranslationCheck
from mtcheck.checks.truncation import TruncationCheck
from mtcheck.errors import ConfigError
from mtcheck.models import Flag, Pair

log = logging.getLogger(__name__)

ALL_CHECKS: dict[str, type[Check]] = {
    cls.code: cls
    for cls in (
        DuplicationCheck,
        OmissionCheck,
        AdditionCheck,
        UntranslatedCheck,
        WrongLanguageCheck,
        NumberMismatchCheck,
        EntityMismatchCheck,
        MistranslationCheck,
        TruncationCheck,
        PunctuationCheck,
        CasingCheck,
        EncodingCheck,
    )
}

_SIDE_ORDER = {"src": 0, "pair": 1, "tgt": 2}

# Options that change what a check reports ([tool.mtcheck.check_options]): name -> (type, what it does).
CHECK_OPTIONS: dict[str, tuple[type, str]] = {
    "untranslated_title_words": (
        bool, "untranslated also flags capitalised common words of the source language copied into the "
              "translation (\"Swiss Army Knife\" left in English), for texts whose product names and "
              "titles are translated; off by default, as news keeps such names (\"Human Rights Watch\")"),
    "quality_major": (float, "mistranslation: the quality estimate below which a pair is major"),
    "quality_critical": (float, "mistranslation: the quality estimate below which a pair is critical"),
    "similarity_major": (float, "mistranslation: the cross-lingual similarity below which a pair is major"),
    "similarity_critical": (float, "mistranslation: the similarity below which a pair is critical"),
}


def check_options(options: Optional[dict], where: str = "check_options") -> dict:
    """`options` checked against CHECK_OPTIONS: an unknown name or a value of the wrong
    type is a ConfigError naming it (a float option takes an integer too)."""
    out = {}
    for name, value in (options or {}).items():
        if name not in CHECK_OPTIONS:
            raise ConfigError(f"{where}: unknown option {name!r} (known: {', '.join(sorted(CHECK_OPTIONS))})")
        kind = CHECK_OPTIONS[name][0]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise ConfigError(f"{where}: {name} must be {'true or false' if kind is bool else 'a number'}")
        out[name] = value
    return out


def select_checks(enabled: Optional[Iterable[str]] = None, disabled: Iterable[str] = ()) -> list[str]:
    """The codes to run: `enabled` (all when None) minus `disabled`, in registry order.

    An unknown code in either list is a ConfigError naming it and the known ones.
    """
    enabled = list(enabled) if enabled is not None else None
    disabled = list(disabled or ())
    unknown = [c for c in (enabled or []) + disabled if c not in ALL_CHECKS]
    if unknown:
        raise ConfigError(
            f"unknown check(s) {', '.join(sorted(set(unknown)))}; known: {', '.join(ALL_CHECKS)}"
        )
    chosen = set(enabled) if enabled is not None else set(ALL_CHECKS)
    return [code for code in ALL_CHECKS if code in chosen and code not in disabled]


def run_checks(
    pairs: Sequence[Pair],
    *,
    src_lang: str,
    tgt_lang: str,
    encoder=None,
    enabled: Optional[Iterable[str]] = None,
    disabled: Iterable[str] = (),
    waivers: Iterable[str] = (),
    options: Optional[dict] = None,
) -> dict[str, int]:
    """Run every enabled check on every pair, appending Flags to `pair.flags`.

    Flags whose signature is in `waivers` are dropped; each pair's flags end sorted by
    side and span. A check that fails on a pair gives no flag there: one odd sentence
    never stops the report. But its silence must not read as "nothing found": the
    failures are returned ({code: pairs it failed on}, for the report to show) and
    logged as a warning once per check, with the first error.
    """
    from mtcheck.langid import detect_language

    codes = select_checks(enabled, disabled)
    waived = {w.strip() for w in waivers if w and w.strip()}
    checks = [ALL_CHECKS[code]() for code in codes]
    context = CheckContext(
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        pairs=list(pairs),
        encoder=encoder,
        detect_language=detect_language,
        options=dict(options or {}),
    )
    failed: dict[str, int] = {}
    first_error: dict[str, str] = {}
    for index, pair in enumerate(pairs):
        context.index = index
        found: list[Flag] = []
        for check in checks:
            try:
                flags = check.run(pair, context) or []
            except Exception as exc:  # checks never stop the report
                failed[check.code] = failed.get(check.code, 0) + 1
                if check.code not in first_error:
                    first_error[check.code] = f"pair {index}: {type(exc).__name__}: {exc}"
                    log.debug("check %s failed on pair %d", check.code, index, exc_info=True)
                continue
            for flag in flags:
                if flag.code != check.code:
                    flag.code = check.code
                found.append(flag)
        for flag in found:
            text = pair.src if flag.side == "src" else pair.tgt
            flag.evidence = text[flag.span[0]:flag.span[1]] if flag.span else ""
            if flag.signature(pair) not in waived:
                pair.flags.append(flag)
        pair.flags.sort(key=_flag_order)
    for code, count in failed.items():
        log.warning("check %s failed on %d of %d pairs and flags nothing there (first: %s)",
                    code, count, len(pairs), first_error[code])
    return failed


def pairs_from_sentences(
    src: Sequence[str], tgt: Sequence[str], links: Optional[Sequence[tuple]] = None
) -> list[Pair]:
    """Pairs built from lists of sentences, one paragraph per sentence.

    `links` are (source ids, target ids) tuples; by default sentence i faces sentence i
    (the lists must then have the same length). Handy for checking aligned sentence
    lists without the rest of the flow.
    """
    from mtcheck.models import Link, Segment, join_segments

    def segments(sentences):
        out, pos = [], 0
        for i, text in enumerate(sentences):
            out.append(Segment(i, text, i, pos, pos + len(text)))
            pos += len(text) + 2
        return out

    src_segments, tgt_segments = segments(src), segments(tgt)
    if links is None:
        if len(src) != len(tgt):
            raise ConfigError("without links, the two lists need the same length")
        links = [((i,), (i,)) for i in range(len(src))]
    pairs = []
    for s_ids, t_ids in links:
        s_segs = tuple(src_segments[i] for i in s_ids)
        t_segs = tuple(tgt_segments[j] for j in t_ids)
        pairs.append(Pair(Link(tuple(s_ids), tuple(t_ids), 1.0), join_segments(s_segs),
                          join_segments(t_segs), src_segments=s_segs, tgt_segments=t_segs))
    return pairs


def _flag_order(flag: Flag):
    start, end = flag.span if flag.span is not None else (-1, -1)
    return (_SIDE_ORDER.get(flag.side, 1), start, end, flag.code)


__all__ = ["ALL_CHECKS", "Check", "CheckContext", "pairs_from_sentences", "run_checks", "select_checks"]
