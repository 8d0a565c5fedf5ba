"""The seeded fault generator of the garbled-line benchmark (benchmarks/corrupt.py)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import corrupt  # noqa: E402

# A small news article and its translation, sentence by sentence; every sentence suits several
# fault kinds (numbers, names in both languages, clauses, quotes, accented letters).
PAIRS = [
    ("Floods hit the north of the country", "Des inondations frappent le nord du pays"),
    ("Heavy rain fell on Monday across the region, flooding 120 homes in the town of Tromsø.",
     "De fortes pluies sont tombées lundi dans toute la région, inondant 120 maisons dans la ville de Tromsø."),
    ("\"We have never seen anything like it,\" said mayor Ingrid Solberg, who visited the area.",
     "« Nous n'avons jamais rien vu de tel », a déclaré la maire Ingrid Solberg, qui s'est rendue sur place."),
    ("The government announced an emergency fund of 2.5 million euros for the families.",
     "Le gouvernement a annoncé un fonds d'urgence de 2,5 millions d'euros pour les familles."),
    ("Roads remained closed on Tuesday, and the railway line to Bergen was cut for the whole day.",
     "Les routes sont restées fermées mardi, et la ligne de chemin de fer vers Bergen a été coupée toute la journée."),
    ("Forecasters expect more rain later this week, according to the national weather service.",
     "Les prévisionnistes attendent d'autres pluies plus tard cette semaine, selon le service météorologique national."),
    ("Schools in the area will stay shut until Friday, the education office said.",
     "Les écoles de la zone resteront fermées jusqu'à vendredi, a indiqué le bureau de l'éducation."),
    ("Volunteers from Oslo arrived on Wednesday to help clear the streets.",
     "Des bénévoles venus d'Oslo sont arrivés mercredi pour aider à dégager les rues."),
]
POOLS = corrupt.Pools(
    french=["Le festival de musique a attiré plus de dix mille visiteurs ce week-end.",
            "Selon les organisateurs, la fréquentation a presque doublé, malgré la pluie tombée samedi."],
    third_language=[("de", "Die Regierung hat am Montag neue Regeln für den Verkehr beschlossen."),
                    ("ro", "Guvernul a anunțat luni noi reguli pentru traficul din oraș.")],
)


def one_fault(kind: str, seed: int = 7) -> corrupt.CorruptedDocument:
    doc = corrupt.corrupt_document("floods", PAIRS, [kind], POOLS, seed=seed)
    assert len(doc.faults) == 1, f"{kind} was not injected"
    return doc


def piece_texts(doc, pair):
    return [doc.target[a:b] for a, b, k in doc.tgt_pieces if k == pair]


def test_same_seed_same_documents_and_other_seed_other_documents():
    kinds = list(corrupt.KINDS)[:5]
    a = corrupt.corrupt_document("floods", PAIRS, kinds, POOLS, seed=3)
    b = corrupt.corrupt_document("floods", PAIRS, kinds, POOLS, seed=3)
    assert (a.target, a.faults, a.tgt_pieces) == (b.target, b.faults, b.tgt_pieces)
    others = {corrupt.corrupt_document("floods", PAIRS, kinds, POOLS, seed=s).target for s in range(4, 12)}
    assert len(others - {a.target}) >= 1


def test_schedule_is_seeded_balanced_and_without_repeats_in_a_document():
    sizes = [5, 12, 30, 8, 22, 40, 9, 16] * 6
    first = corrupt.schedule_kinds(sizes, seed=1)
    assert first == corrupt.schedule_kinds(sizes, seed=1)
    assert first != corrupt.schedule_kinds(sizes, seed=2)
    for kinds, n in zip(first, sizes):
        assert len(kinds) == len(set(kinds)) == max(1, min(5, n // 5))
    counts = {k: sum(k in kinds for kinds in first) for k in corrupt.DEFAULT_KINDS}
    assert max(counts.values()) - min(counts.values()) <= 2
    assert not any("added_clause" in kinds for kinds in first)  # measured on its own


def test_a_schedule_of_fewer_kinds_than_a_document_could_take_gives_each_kind_once():
    sizes = [5, 30, 40]
    assert corrupt.schedule_kinds(sizes, seed=1, kinds=("added_clause",)) == [["added_clause"]] * 3
    two = corrupt.schedule_kinds(sizes, seed=1, kinds=("added_clause", "dropped_clause"))
    assert [len(k) for k in two] == [1, 2, 2]
    assert all(sorted(k) == ["added_clause", "dropped_clause"] for k in two[1:])


def test_every_kind_maps_to_a_design_code():
    codes = {"duplication", "omission", "addition", "untranslated", "wrong_language",
             "number_mismatch", "entity_mismatch", "mistranslation", "truncation",
             "punctuation", "casing", "encoding"}
    assert set(corrupt.KIND_CODE.values()) <= codes
    assert set(corrupt.TOLERATED_CODES) == set(corrupt.KINDS)


@pytest.mark.parametrize("kind", corrupt.KINDS)
def test_the_rest_of_the_document_stays_human(kind):
    doc = one_fault(kind)
    fault = doc.faults[0]
    for k, (en, fr) in enumerate(PAIRS):
        assert doc.source[doc.src_spans[k][0]:doc.src_spans[k][1]] == en
        if k != fault.pair:
            assert piece_texts(doc, k) == [fr]


@pytest.mark.parametrize("kind", [k for k in corrupt.KINDS if k != "dropped_sentence"])
def test_the_recorded_span_lies_in_a_piece_of_the_recorded_pair(kind):
    doc = one_fault(kind)
    fault = doc.faults[0]
    a, b = fault.span
    assert doc.owners_of_target(a, b) == {fault.pair}
    assert any(pa <= a and b <= pb for pa, pb, k in doc.tgt_pieces if k == fault.pair)


def test_each_fault_is_what_it_says_at_the_place_it_records():
    def spanned(doc):
        f = doc.faults[0]
        return doc.target[f.span[0]:f.span[1]], PAIRS[f.pair]

    doc = one_fault("repeated_words")
    text, (_, fr) = spanned(doc)
    a = doc.faults[0].span[0]
    assert doc.target[a - 1 - len(text):a - 1] == text and text in fr

    doc = one_fault("repeated_line")
    k = doc.faults[0].pair
    assert piece_texts(doc, k) == [PAIRS[k][1]] * 2

    doc = one_fault("dropped_sentence")
    k = doc.faults[0].pair
    assert doc.faults[0].span is None and piece_texts(doc, k) == [] and PAIRS[k][1] not in doc.target

    doc = one_fault("dropped_clause")
    k, (a, b) = doc.faults[0].pair, doc.faults[0].span
    (piece,) = piece_texts(doc, k)
    assert a == b and len(piece) < len(PAIRS[k][1]) and piece[-1] == PAIRS[k][1][-1]

    text, _ = spanned(one_fault("added_sentence"))
    assert text in POOLS.french
    doc = one_fault("added_clause")
    text, (_, fr) = spanned(doc)
    (piece,) = piece_texts(doc, doc.faults[0].pair)
    # a clause of the pool sentence, between its commas, put in at a comma or before the stop
    assert text in (", la fréquentation a presque doublé", ", malgré la pluie tombée samedi")
    assert piece.replace(text, "", 1) == fr
    assert piece[piece.index(text) + len(text)] in ",."
    text, _ = spanned(one_fault("boilerplate"))
    assert text in corrupt.BOILERPLATE_FR

    text, (en, _) = spanned(one_fault("untranslated_sentence"))
    assert text == en
    text, (en, fr) = spanned(one_fault("untranslated_span"))
    assert en.endswith(text) and text not in fr and len(text.split()) >= 4

    text, _ = spanned(one_fault("third_language"))
    assert text in {t for _, t in POOLS.third_language}

    text, (en, fr) = spanned(one_fault("changed_number"))
    assert text[0].isdigit() and text not in fr

    text, (en, fr) = spanned(one_fault("changed_name"))
    assert text in corrupt.REPLACEMENT_NAMES and text not in en

    doc = one_fault("truncation")
    k, (a, b) = doc.faults[0].pair, doc.faults[0].span
    (piece,) = piece_texts(doc, k)
    assert a == b and PAIRS[k][1].startswith(piece) and len(piece) < 0.8 * len(PAIRS[k][1])
    assert doc.target[:a].endswith(piece)

    text, (_, fr) = spanned(one_fault("mojibake"))
    assert text == corrupt.mojibake(fr) and text != fr and "Ã" in text

    doc = one_fault("broken_quotes")
    k = doc.faults[0].pair
    (piece,) = piece_texts(doc, k)
    assert piece.count("«") != piece.count("»")


def test_mojibake_reads_utf8_bytes_as_cp1252():
    assert corrupt.mojibake("é à l'État") == "Ã© Ã\xa0 l'Ã‰tat"


def test_relayout_keeps_faults_on_the_same_text():
    kinds = ["repeated_words", "untranslated_span", "changed_number", "boilerplate"]
    doc = corrupt.corrupt_document("floods", PAIRS, kinds, POOLS, seed=5)
    lines = doc.relayout("\n")
    assert lines.target == "\n".join(lines.target_lines)
    for f1, f2 in zip(doc.faults, lines.faults):
        assert (f1.kind, f1.pair) == (f2.kind, f2.pair)
        assert doc.target[f1.span[0]:f1.span[1]] == lines.target[f2.span[0]:f2.span[1]]


def test_faults_are_spread_out():
    doc = corrupt.corrupt_document("floods", PAIRS, list(corrupt.KINDS), POOLS, seed=9)
    places = sorted(f.pair for f in doc.faults)
    assert all(b - a >= 2 for a, b in zip(places, places[1:]))


def test_every_kind_is_injected_into_the_newstest_documents(shared_data):
    import corrupted

    docs = corrupted.build_documents(seed=13, variants=2)
    assert len(docs) == 136
    for variant in (0, 1):  # every variant is dealt from all the kinds, not the first only
        assert {f.kind for d in docs if d.variant == variant for f in d.faults} == set(corrupt.DEFAULT_KINDS)
    docs = [d for d in docs if d.variant == 0]
    originals = corrupted.load_newstest()
    for d in docs:
        for f in d.faults:
            if f.span is not None:
                assert d.owners_of_target(*f.span) == {f.pair}
            if f.kind in ("dropped_clause", "duplicated_clause", "repeated_words"):
                # these faults must not also break the quotes (that is another fault)
                (piece,) = [d.target[a:b] for a, b, k in d.tgt_pieces if k == f.pair]
                before = originals[d.docid][f.pair][1]
                for mark in "«»\"“”":
                    assert piece.count(mark) == before.count(mark), (f, piece)


def test_added_clauses_are_measured_on_their_own(shared_data):
    import corrupted

    docs = corrupted.build_documents(seed=13, variants=1, kinds=("added_clause",))
    assert all(len(d.faults) == 1 and d.faults[0].kind == "added_clause" for d in docs)
    assert len(docs) == 68  # all of them: each has a sentence that takes a clause


def test_a_fault_that_removes_a_number_or_a_name_may_also_be_flagged_for_it():
    en, fr = PAIRS[1]  # "120 maisons dans la ville de Tromsø"
    assert corrupt._lost_codes(en, fr, []) == {"number_mismatch", "entity_mismatch"}
    assert corrupt._lost_codes(en, fr, [fr.replace("120", "12")]) == {"number_mismatch"}
    assert corrupt._lost_codes(en, fr, [fr, fr]) == frozenset()
    # and one that brings in a number or a name the source does not have
    assert corrupt._brought_codes(en, ", a dit Lefebvre") == {"entity_mismatch"}
    assert corrupt._brought_codes(en, ", pour 30 euros") == {"number_mismatch"}
    assert corrupt._brought_codes(en, ", dans la ville de Tromsø") == frozenset()
    for kind in corrupt.KINDS:
        fault = one_fault(kind).faults[0]
        assert fault.tolerated >= corrupt.TOLERATED_CODES[kind]
        assert fault.code not in fault.tolerated


def test_the_audited_errors_of_the_human_translation_count_both_ways():
    import corrupted
    from garble_eval import DocumentResult, PairResult, SegmentInfo

    doc = corrupt.corrupt_document("floods", PAIRS, [], POOLS, seed=7)  # no injected fault

    def result(flagged_pairs):
        pairs = []
        for k, (a, b) in enumerate(doc.src_spans):
            ta, tb, _ = doc.tgt_pieces[k]
            flags = [{"code": "number_mismatch", "severity": "major", "side": "tgt", "span": None,
                      "message": "changed"}] if k in flagged_pairs else []
            pairs.append(PairResult([SegmentInfo(a, b, doc.source[a:b])], [SegmentInfo(ta, tb, doc.target[ta:tb])],
                                    doc.source[a:b], doc.target[ta:tb], {}, flags))
        return DocumentResult(pairs)

    audit = {"floods": {1: {"number_mismatch": "slip"}, 3: {"number_mismatch": "dropped"}}}
    raw = corrupted.evaluate([doc], [result({1, 3})])
    assert (raw.per_code["number_mismatch"].tp, raw.per_code["number_mismatch"].fp) == (0, 2)
    # a flag on the slip is right, a flag on the dropped number counts neither way
    audited = corrupted.evaluate([doc], [result({1, 3})], audit=audit)
    counts = audited.per_code["number_mismatch"]
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 0)
    assert audited.per_kind["human_slip"].tp == 1 and audited.false_flags["major"] == 0
    # no flag on the slip is a miss
    missed = corrupted.evaluate([doc], [result(set())], audit=audit)
    assert (missed.per_code["number_mismatch"].tp, missed.per_code["number_mismatch"].fn) == (0, 1)
    assert "human_slip" in corrupted.render(audited, "test")
    assert "| number_mismatch | audited  | 1" in corrupted.render_audited(raw, audited, "test")


def test_every_newstest_pair_whose_numbers_or_near_spelled_names_differ_has_a_verdict(shared_data):
    import slip_audit

    verdicts = slip_audit.load_verdicts()
    found = slip_audit.candidates()
    assert found and all((c["docid"], int(c["seg_id"]), c["code"]) in verdicts for c in found)
    assert {(code, row["verdict"]) for (_, _, code), row in verdicts.items()} <= {
        ("number_mismatch", "slip"), ("number_mismatch", "dropped"), ("number_mismatch", "fine"),
        ("entity_mismatch", "variant"), ("entity_mismatch", "fine")}
    # the slip that started the audit: "1966" translated "1996"; a place spelled otherwise
    assert verdicts[("3093-cbsnews", 31, "number_mismatch")]["verdict"] == "slip"
    assert verdicts[("4241-cnn", 31, "entity_mismatch")]["verdict"] == "variant"
    # the plain rule for names: near spellings only, accents aside
    assert slip_audit.near_spellings("the Newtown massacre", "le massacre de Newton") == [("Newtown", "Newton")]
    assert slip_audit.near_spellings("Egypt and Syria", "l'Egypte et la Syrie") == [("Egypt", "Egypte"), ("Syria", "Syrie")]
    assert slip_audit.near_spellings("Égypte", "Egypte") == []


def test_the_error_list_shows_a_pair_flagged_in_every_variant_once_and_every_other_error():
    import corrupted
    from garble_eval import DocumentResult, PairResult, SegmentInfo

    def result(doc, pair, ratio):
        pairs = []
        for k, (a, b) in enumerate(doc.src_spans):
            ta, tb, _ = doc.tgt_pieces[k]
            flags = [{"code": "omission", "severity": "minor", "side": "src", "span": None,
                      "message": f"left out: the translation is {ratio}% shorter"}] if k == pair else []
            pairs.append(PairResult([SegmentInfo(a, b, doc.source[a:b])], [SegmentInfo(ta, tb, doc.target[ta:tb])],
                                    doc.source[a:b], doc.target[ta:tb], {}, flags))
        return DocumentResult(pairs)

    # ten variants of a document without faults: pair 1 falsely flagged in each (its ratio
    # moving a little), pair 2 in the last only
    docs = [corrupt.corrupt_document("floods", PAIRS, [], POOLS, seed=7) for _ in range(10)]
    for variant, doc in enumerate(docs):
        doc.variant = variant
    results = [result(doc, 1, 20 + variant) for variant, doc in enumerate(docs[:-1])] + [result(docs[-1], 2, 30)]
    text = corrupted.error_analysis(corrupted.evaluate(docs, results))
    assert "#### False positives: 10 (2 distinct)" in text
    assert text.count(PAIRS[1][1]) == 1 and "(in 9 variants)" in text
    assert PAIRS[2][1] in text
