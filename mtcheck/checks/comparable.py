"""Whether a pair's names and numbers are worth comparing at all.

entity_mismatch and number_mismatch compare what the two sides name and count; on a pair
whose sides say different things altogether, or whose translation is in another language,
every name and number would differ. Those pairs are `mistranslation`, `untranslated` or
`wrong_language`, and both checks leave them alone.
"""
from __future__ import annotations

from mtcheck.checks.base import CheckContext
from mtcheck.models import Pair


def unrelated_sides(pair: Pair, below: float = 0.25) -> bool:
    """Whether the two sides say different things altogether (similarity under `below`):
    their names and numbers are then not worth comparing.

    The default sits under the mistranslation threshold (short titles score low when fine),
    where number_mismatch was tuned; entity_mismatch was tuned with 0.35 and passes it."""
    similarity = pair.scores.get("similarity")
    return isinstance(similarity, (int, float)) and similarity < below


def in_other_language(pair: Pair, context: CheckContext) -> bool:
    """Whether the translation is confidently in another language than the target's: its
    names and numbers are then no translation of the source's (`untranslated` or
    `wrong_language` report the pair)."""
    from mtcheck.checks.language import language_verdict

    key = ("language.other", context.index)
    if key not in context.cache:
        context.cache[key] = bool(pair.tgt and language_verdict(pair.tgt, context.tgt_lang))
    return context.cache[key]
