"""Reports built by hand from the data model, for testing the renderers on their own.

The texts come from the sample article; the flags are the ones its known defects should
raise, plus awkward cases (overlapping spans, spans out of range, whole-pair flags,
empty sides, hostile markup in the translation).
"""
from __future__ import annotations

from mtcheck.models import Flag, Link, Pair
from mtcheck.report import DocumentInfo, Report

HOSTILE = (
    "<script>window.__pwned = 1; alert(1)</script> Il a dit \" onmouseover=\"window.__pwned=2\" "
    "<img src=x onerror=\"window.__pwned=3\"> & 'fin'"
)


def _pair(src_ids, tgt_ids, src, tgt, scores=None, flags=(), ref=None, align=0.8):
    return Pair(link=Link(tuple(src_ids), tuple(tgt_ids), align), src=src, tgt=tgt, ref=ref,
                scores=dict(scores or {}), flags=list(flags))


def sample_report(with_ref: bool = True, hostile: bool = False) -> Report:
    title = "« Un accord peut être trouvé avec la Russie » – OTAN"
    said = ("« Je sais qu'un accord peut être trouvé avec la Russie », a-t-il ajouté. il a dit.")
    said_at = said.index("il a dit")
    quote = "Il se réjouissait « les pourparlers qui auront lieu cette semaine."
    pairs = [
        _pair([0], [0], "'Agreement can be found with Russia' – NATO", title,
              {"similarity": 0.91, "quality": 0.83, "length_ratio": 1.1, "chrf": 71.5},
              ref=title if with_ref else None),
        _pair([], [1], "", title, {"similarity": float("nan"), "quality": None, "length_ratio": None},
              [Flag("duplication", "major", "tgt", None, "this line repeats line 0 word for word")]),
        _pair([1], [2], "\"I know that an agreement can be found with Russia,\" he added.", said,
              {"similarity": 0.78, "quality": 0.52, "length_ratio": 1.3, "chrf": 48.0},
              [Flag("duplication", "major", "tgt", (said_at, said_at + 8),
                    "a second reporting clause repeats \"a-t-il ajouté\""),
               # Overlaps the previous span on purpose.
               Flag("casing", "minor", "tgt", (said_at, said_at + 2), "sentence starts in lower case")],
              ref=said.replace(" il a dit.", "") if with_ref else None),
        _pair([2], [3], "He welcomed 'the talks taking place this week'.", quote,
              {"similarity": 0.74, "quality": 0.61, "length_ratio": 1.2, "chrf": 55.2},
              [Flag("punctuation", "minor", "tgt", (quote.index("«"), quote.index("«") + 1),
                    "« is never closed"),
               # Out of range on both ends: must be clipped, not crash or spill.
               Flag("mistranslation", "minor", "tgt", (-5, 10_000), "meaning differs from the source")],
              ref=quote if with_ref else None),
        _pair([3], [], "Stoltenberg spoke on Monday in Brussels.", "",
              {"similarity": None},
              [Flag("omission", "critical", "src", None, "this source sentence has nothing opposite")]),
        _pair([], [4], "", "Abonnez-vous à notre chaîne Telegram pour plus d'actualités !",
              {"similarity": None},
              [Flag("addition", "major", "tgt", None, "boilerplate with no source")]),
    ]
    if hostile:
        pairs.append(_pair([4], [5], "He said <b>nothing</b> & left.", HOSTILE,
                           {"similarity": 0.4, "quality": 0.2, "length_ratio": 2.0},
                           [Flag("encoding", "critical", "tgt", (0, 8), "markup <script> in \"text\""),
                            Flag("untranslated", "minor", "tgt", (HOSTILE.index("\""), HOSTILE.index("\"") + 14),
                                 "<img src=x onerror=\"window.__pwned=4\">")],
                           ref=HOSTILE if with_ref else None))
    ref = DocumentInfo("samples/nato/reference.fr.txt", "fr", 5) if with_ref else None
    doc_scores = {"similarity": 0.81, "quality": 0.64, "length_ratio": 1.15}
    confidence = {}
    if with_ref:
        doc_scores.update({"bleu": 41.2, "chrf": 62.3, "ter": 45.0})
        confidence = {"chrf": (58.9, 65.1), "bleu": (36.0, 46.4)}
    return Report(
        pairs=pairs,
        source=DocumentInfo("samples/nato/source.en.txt", "en", 5),
        target=DocumentInfo("samples/nato/target.fr.txt" if not hostile else "<b>evil</b>.txt", "fr", 6),
        reference=ref,
        document_scores=doc_scores,
        confidence=confidence,
        signature="mtcheck:0.1.0|enc:usem3|src:en|tgt:fr" + ("|nrefs:1|tok:13a" if with_ref else ""),
        settings={"encoder": "usem3", "presegmented": False, "checks": "all", "waivers": ["<x>"]},
    )
