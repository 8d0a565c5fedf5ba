"""The flow of DESIGN.md in one place: read, segment, embed, align, score, check, report."""
from __future__ import annotations

import os
from typing import Optional, Sequence, Union

from mtcheck import __version__
from mtcheck.errors import InputError
from mtcheck.models import Link, Pair, Segment, join_segments

PathLike = Union[str, os.PathLike]


def check_files(
    source: PathLike,
    target: PathLike,
    reference: Union[PathLike, Sequence[PathLike], None] = None,
    **options,
):
    """Read the files and check them; see `check` for the options."""
    from mtcheck.io import read_text

    references = _as_list(reference)
    return check(
        read_text(source),
        read_text(target),
        [read_text(r) for r in references] or None,
        paths={
            "source": str(source),
            "target": str(target),
            "reference": [str(r) for r in references],
        },
        **options,
    )


def check(
    source: str,
    target: str,
    reference: Union[str, Sequence[str], None] = None,
    *,
    src_lang: Optional[str] = None,
    tgt_lang: Optional[str] = None,
    presegmented: bool = False,
    aligned: bool = False,
    encoder: Optional[str] = None,
    checks: Optional[Sequence[str]] = None,
    disabled_checks: Sequence[str] = (),
    waivers: Sequence[str] = (),
    comet_model: Optional[str] = None,
    max_sentences: Optional[int] = None,
    check_options: Optional[dict] = None,
    paths: Optional[dict] = None,
):
    """Check a translation against its source (and optionally references).

    Returns a `Report`. Texts are strings; use `check_files` for paths.
    `presegmented`: one sentence per line. `aligned`: line i of each text is one pair,
    no splitting and no alignment (as sacrebleu reads its files). `max_sentences`: refuse a
    document with more sentences than this on any side (default `config.MAX_SENTENCES`; 0 for
    no limit). `check_options`: what the checks may be told (`mtcheck.checks.CHECK_OPTIONS`).
    """
    from mtcheck import config
    from mtcheck.checks import check_options as known_check_options
    from mtcheck.embed import get_encoder
    from mtcheck.langid import detect_document_language
    from mtcheck.report import DocumentInfo, Report

    references = _as_list(reference)
    paths = paths or {}
    options = known_check_options(check_options)
    for name, text in (("source", source), ("target", target)):
        if not text.strip():
            raise InputError(f"{paths.get(name, name)}: the {name} document is empty")
    for i, text in enumerate(references):
        if not text.strip():
            ref_paths = paths.get("reference") or []
            label = ref_paths[i] if i < len(ref_paths) else "reference"
            raise InputError(f"{label}: the reference document is empty")

    src_lang = src_lang or detect_document_language(source)
    tgt_lang = tgt_lang or detect_document_language(target)

    src_segments = _segment(source, src_lang, presegmented or aligned)
    tgt_segments = _segment(target, tgt_lang, presegmented or aligned)
    ref_segments = [_segment(r, tgt_lang, presegmented or aligned) for r in references]
    from mtcheck.segment import require_within_limit

    ref_paths = paths.get("reference") or []
    require_within_limit(src_segments, max_sentences, paths.get("source") or "source")
    require_within_limit(tgt_segments, max_sentences, paths.get("target") or "target")
    for i, segs in enumerate(ref_segments):
        require_within_limit(segs, max_sentences, ref_paths[i] if i < len(ref_paths) else "reference")

    encoder_name = encoder or config.DEFAULT_ENCODER
    enc = get_encoder(encoder_name)

    if aligned:
        _require_same_length(src_segments, tgt_segments, ref_segments, paths)
        links = [Link((i,), (i,), 1.0) for i in range(len(src_segments))]
    else:
        from mtcheck.align import align_segments

        links = align_segments(src_segments, tgt_segments, enc)

    pairs = [
        Pair(
            link=link,
            src=join_segments(src_segments[i] for i in link.src),
            tgt=join_segments(tgt_segments[j] for j in link.tgt),
            src_segments=tuple(src_segments[i] for i in link.src),
            tgt_segments=tuple(tgt_segments[j] for j in link.tgt),
        )
        for link in links
    ]

    pair_refs = [
        _reference_per_pair(pairs, src_segments, segs, enc, aligned) for segs in ref_segments
    ]
    if pair_refs:
        for k, pair in enumerate(pairs):
            pair.ref = pair_refs[0][k]

    from mtcheck.metrics import quality, reference as reference_metrics

    document_scores: dict[str, float] = {}
    document_scores.update(quality.score_pairs(pairs, enc, src_lang, tgt_lang))
    signature_parts = [f"mtcheck:{__version__}", f"enc:{enc.name}", f"src:{src_lang}", f"tgt:{tgt_lang}"]
    confidence = {}
    if pair_refs:
        ref_result = reference_metrics.score_pairs(pairs, pair_refs)
        document_scores.update(ref_result.document)
        confidence.update(ref_result.confidence)
        signature_parts.append(ref_result.signature)
    if comet_model:
        from mtcheck.metrics import comet

        document_scores.update(comet.score_pairs(pairs, comet_model))
        signature_parts.append(f"comet:{comet_model}")

    from mtcheck.checks import run_checks

    check_errors = run_checks(
        pairs,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        encoder=enc,
        enabled=checks,
        disabled=disabled_checks,
        waivers=waivers,
        options=options,
    )

    ref_paths = paths.get("reference") or []
    return Report(
        pairs=pairs,
        source=DocumentInfo(paths.get("source"), src_lang, len(src_segments)),
        target=DocumentInfo(paths.get("target"), tgt_lang, len(tgt_segments)),
        reference=(
            DocumentInfo(ref_paths[0] if ref_paths else None, tgt_lang, len(ref_segments[0]))
            if ref_segments
            else None
        ),
        document_scores=document_scores,
        confidence=confidence,
        signature="|".join(signature_parts),
        check_errors=check_errors,
        settings={
            "encoder": enc.name,
            "presegmented": presegmented,
            "aligned": aligned,
            "checks": list(checks) if checks else "all",
            "disabled_checks": list(disabled_checks),
            "references": len(references),
            **({"check_options": options} if options else {}),
        },
    )


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [value]
    return list(value)


def _segment(text: str, lang: str, one_per_line: bool) -> list[Segment]:
    from mtcheck.segment import split_lines, split_sentences

    return split_lines(text) if one_per_line else split_sentences(text, lang)


def _require_same_length(src, tgt, refs, paths) -> None:
    for name, segs in [("target", tgt)] + [(f"reference {i + 1}", r) for i, r in enumerate(refs)]:
        if len(segs) != len(src):
            raise InputError(
                f"--aligned needs the same number of lines: source has {len(src)}, {name} has {len(segs)}"
            )


def _reference_per_pair(pairs, src_segments, ref_segments, enc, aligned) -> list[str]:
    """For each pair, the reference sentences that translate its source sentences.

    The reference is aligned to the source the same way the translation is, and each
    pair gets the reference text of the links that share its source sentences.
    """
    if aligned:
        return [join_segments(ref_segments[i] for i in p.link.src) for p in pairs]
    from mtcheck.align import align_segments

    ref_links = align_segments(src_segments, ref_segments, enc)
    ref_by_src: dict[int, list[int]] = {}
    for link in ref_links:
        if link.src:
            # a reference sentence linked to several source sentences goes with the first
            ref_by_src.setdefault(link.src[0], []).extend(link.tgt)
    out = []
    for p in pairs:
        ids = sorted({j for i in p.link.src for j in ref_by_src.get(i, [])})
        out.append(join_segments(ref_segments[j] for j in ids))
    return out
