"""The alignment benchmark's own parts: the Gale-Church baseline, data loading and scoring."""
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import align as bench  # noqa: E402
from gale_church import bead_cost, gale_church_align  # noqa: E402
from peers import ladder_to_links  # noqa: E402


def test_gale_church_pairs_sentences_of_matching_length():
    src = ["a" * 40, "b" * 100, "c" * 20]
    tgt = ["x" * 42, "y" * 97, "z" * 22]
    assert gale_church_align(src, tgt) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_gale_church_merges_two_short_sentences_opposite_one_long():
    src = ["a" * 60, "b" * 50, "c" * 50, "d" * 80]
    tgt = ["w" * 62, "x" * 101, "z" * 79]
    assert gale_church_align(src, tgt) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_gale_church_covers_every_sentence_once_in_order():
    src = [("word " * n).strip() for n in (3, 17, 8, 25, 4, 9, 12)]
    tgt = [("mot " * n).strip() for n in (4, 16, 2, 7, 26, 10, 3, 11)]
    links = gale_church_align(src, tgt)
    assert [i for s, _ in links for i in s] == list(range(len(src)))
    assert [j for _, t in links for j in t] == list(range(len(tgt)))


def test_gale_church_handles_an_empty_side():
    assert gale_church_align(["one"], []) == [((0,), ())]


def test_bead_cost_prefers_equal_lengths():
    assert bead_cost(100, 100, (1, 1)) < bead_cost(100, 160, (1, 1))
    assert bead_cost(30, 30, (1, 1)) < bead_cost(30, 30, (2, 2))


def test_hunalign_ladder_becomes_links():
    rungs = [(0, 0), (1, 2), (2, 3), (2, 4), (4, 5)]
    assert ladder_to_links(rungs, 4, 5) == [
        ((0,), (0, 1)), ((1,), (2,)), ((), (3,)), ((2, 3), (4,)),
    ]


def test_offsets_keep_documents_apart():
    docs = [bench.Document("a", ["s"] * 2, ["t"] * 3, []), bench.Document("b", ["s"], ["t"], [])]
    links = bench.offset_links([[((0, 1), (0, 1, 2))], [((0,), (0,))]], docs)
    assert links == [((0, 1), (0, 1, 2)), ((2,), (3,))]


def test_empty_side_sentences_count_sentence_by_sentence():
    gold = [((0,), (0,)), ((1, 2), ()), ((), (1,))]
    test = [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    out = bench.empty_side_sentences(gold, test)
    assert out["precision"] == 1.0
    assert out["recall"] == pytest.approx(1 / 3)


def test_score_run_on_a_tiny_document():
    doc = bench.Document("tiny", ["a", "b", "c"], ["x", "y"], [((0,), (0,)), ((1, 2), (1,))])
    run = {"links": [[[[0], [0]], [[1], [1]], [[2], []]]]}
    scores = bench.score_run(run, [doc])
    assert scores["precision_strict"] == pytest.approx(1 / 3)
    assert scores["recall_strict"] == pytest.approx(1 / 2)
    assert scores["f1_lax"] == pytest.approx(2 * (2 / 3) * 1 / (2 / 3 + 1))
    assert scores["by_type"] == {"1-1": (1, 1), "2-1": (0, 1)}


def test_gale_church_on_textberg_matches_its_published_level(shared_data):
    """The baseline reproduces the published 0.68 / 0.80 within a point or two."""
    docs = bench.load_textberg("test")
    run = {"links": [gale_church_align(d.src, d.tgt) for d in docs]}
    scores = bench.score_run(run, docs)
    assert 0.65 <= scores["f1_strict"] <= 0.71
    assert 0.77 <= scores["f1_lax"] <= 0.83


def test_scaling_document_keeps_exact_gold(shared_data):
    doc = bench.scaling_document(1000)
    assert 990 <= len(doc.src) <= 1000
    covered = sorted(i for s, _ in doc.gold for i in s)
    assert covered == sorted(set(covered))
    assert max(covered) < len(doc.src)
    assert max(j for _, t in doc.gold for j in t) < len(doc.tgt)


def test_confusions_say_what_became_of_a_missed_link():
    gold = [((0, 1), (0,)), ((2,), (1,)), ((), (2,))]
    test = [((0,), (0,)), ((1,), ()), ((2,), (1, 2))]
    out = bench.confusions(gold, test)
    assert out == {"gold 2-1 -> 1-1 + 1-0": 1, "gold 1-1 -> 1-2": 1, "gold 0-1 -> 1-2": 1}
