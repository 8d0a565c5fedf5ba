"""Sentence splitting: the hard cases of English and French, other scripts, and properties
that must hold for any text at all."""
import pytest
from hypothesis import given, settings, strategies as st

from mtcheck import segment as segment_module
from mtcheck.segment import MAX_SENTENCE_CHARS, split_lines, split_sentences

NBSP = "\u00a0"
NNBSP = "\u202f"


def texts(text, lang):
    return [s.text for s in split_sentences(text, lang)]


# ----------------------------------------------------------------- French

@pytest.mark.parametrize("space", [" ", NBSP, NNBSP])
def test_french_guillemets_closing_a_sentence_before_a_capital(space):
    text = f"Il a dit{space}: «{space}Nous partons.{space}» Le lendemain, ils sont partis."
    assert texts(text, "fr") == [
        f"Il a dit{space}: «{space}Nous partons.{space}»",
        "Le lendemain, ils sont partis.",
    ]


@pytest.mark.parametrize("space", [NBSP, NNBSP])
def test_french_exclamation_inside_guillemets(space):
    text = f"Il cria{space}: «{space}Attention{space}!{space}» Puis il partit."
    assert texts(text, "fr") == [f"Il cria{space}: «{space}Attention{space}!{space}»", "Puis il partit."]


def test_french_question_in_quotes_followed_by_lower_case_is_one_sentence():
    assert texts("« Quoi ? » demanda-t-il. Personne ne répondit.", "fr") == [
        "« Quoi ? » demanda-t-il.",
        "Personne ne répondit.",
    ]


def test_french_straight_quotes_ending_a_sentence():
    text = 'Il a dit : "Nous sommes prêts." Le ministre a répondu.'
    assert texts(text, "fr") == ['Il a dit : "Nous sommes prêts."', "Le ministre a répondu."]


def test_french_quote_ending_with_question_mark():
    text = 'Elle demanda : "Pourquoi ?" Personne ne sut répondre.'
    assert texts(text, "fr") == ['Elle demanda : "Pourquoi ?"', "Personne ne sut répondre."]


def test_french_titles_and_abbreviations():
    text = "M. Dupont est arrivé. Mme Martin aussi. MM. Durand et Petit sont partis avec Me Leroy."
    assert texts(text, "fr") == [
        "M. Dupont est arrivé.",
        "Mme Martin aussi.",
        "MM. Durand et Petit sont partis avec Me Leroy.",
    ]


def test_french_dr_and_me_before_a_name():
    assert texts("Le Dr. Martin et Me. Bernard sont là. Ils parlent.", "fr") == [
        "Le Dr. Martin et Me. Bernard sont là.",
        "Ils parlent.",
    ]


def test_french_month_and_environ_abbreviations_and_decimal_comma():
    text = "Le 3 févr. à Paris, il faisait env. 2,5 degrés. C'est froid."
    assert texts(text, "fr") == ["Le 3 févr. à Paris, il faisait env. 2,5 degrés.", "C'est froid."]


def test_french_months_before_a_year_and_chapter_numbers():
    assert texts("Le 14 juill. 1789, la Bastille tombe. Voir chap. 3. Les résultats sont clairs.", "fr") == [
        "Le 14 juill. 1789, la Bastille tombe.",
        "Voir chap. 3.",
        "Les résultats sont clairs.",
    ]


def test_french_p_ex_and_etc():
    text = "Il y avait des fruits, p. ex. des pommes, etc. Le marché était plein."
    assert texts(text, "fr") == ["Il y avait des fruits, p. ex. des pommes, etc.", "Le marché était plein."]


def test_french_before_christ_then_new_sentence():
    assert texts("En 50 av. J.-C. Puis vint l'empire.", "fr") == ["En 50 av. J.-C.", "Puis vint l'empire."]


def test_stray_lower_case_reporting_clause_is_its_own_sentence():
    # Machine translation leaves "il a dit." after the real clause; the casing and
    # duplication checks need it apart.
    text = '"Je sais qu\'un accord peut être trouvé", a-t-il ajouté. il a dit.'
    assert texts(text, "fr") == ['"Je sais qu\'un accord peut être trouvé", a-t-il ajouté.', "il a dit."]


def test_french_title_without_full_stop_is_a_sentence():
    text = f"«{NBSP}Un accord peut être trouvé avec la Russie{NBSP}» – OTAN\n\nLe chef du bloc a parlé. Il a souri."
    segs = split_sentences(text, "fr")
    assert [s.text for s in segs] == [
        f"«{NBSP}Un accord peut être trouvé avec la Russie{NBSP}» – OTAN",
        "Le chef du bloc a parlé.",
        "Il a souri.",
    ]
    assert [s.para for s in segs] == [0, 1, 1]


def test_french_ellipsis():
    assert texts("Il hésita… Puis il partit… sans un mot.", "fr") == ["Il hésita…", "Puis il partit… sans un mot."]


# ----------------------------------------------------------------- English

def test_english_titles_and_times():
    text = "Mr. Smith went to Washington. He met Dr. Jones at 5 p.m. The meeting was short."
    assert texts(text, "en") == [
        "Mr. Smith went to Washington.",
        "He met Dr. Jones at 5 p.m.",
        "The meeting was short.",
    ]


def test_english_initials_and_acronyms():
    text = "J. K. Rowling wrote it. The U.S. President spoke. She lives in the U.S. The end."
    assert texts(text, "en") == [
        "J. K. Rowling wrote it.",
        "The U.S. President spoke.",
        "She lives in the U.S.",
        "The end.",
    ]


def test_english_latin_abbreviations_numbers_and_months():
    text = "See e.g. the report, i.e. the final one. It was No. 5 on the list in Jan. 2020. Mrs. Lee agreed."
    assert texts(text, "en") == [
        "See e.g. the report, i.e. the final one.",
        "It was No. 5 on the list in Jan. 2020.",
        "Mrs. Lee agreed.",
    ]


def test_english_quotes_question_and_ellipsis():
    text = 'He said, "Stop." Then he left. Wait... What? Really?! Yes.'
    assert texts(text, "en") == ['He said, "Stop."', "Then he left.", "Wait...", "What?", "Really?!", "Yes."]


def test_english_quote_with_question_then_lower_case_attribution():
    assert texts('"Are you sure?" she asked. He nodded.', "en") == ['"Are you sure?" she asked.', "He nodded."]


def test_english_decimals():
    assert texts("The value is 2.5 percent. It rose by 3.14 points to 1,234.5.", "en") == [
        "The value is 2.5 percent.",
        "It rose by 3.14 points to 1,234.5.",
    ]


def test_english_company_suffix_and_etc():
    text = "Apple Inc. announced results. Sales rose, etc. The CEO spoke."
    assert texts(text, "en") == ["Apple Inc. announced results.", "Sales rose, etc.", "The CEO spoke."]


def test_sentence_ending_in_a_bracket():
    assert texts("It rose (see Table 2.) Then it fell.", "en") == ["It rose (see Table 2.)", "Then it fell."]


def test_heading_line_then_body_in_one_paragraph():
    assert texts("Title Without Stop\nThis is the body. It has two sentences.", "en") == [
        "Title Without Stop",
        "This is the body.",
        "It has two sentences.",
    ]


def test_numbered_and_bulleted_lists():
    text = "Steps:\n1. Open the box.\n2. Take out the device\n3) Plug it in\n- first bullet\n* second bullet"
    assert texts(text, "en") == [
        "Steps:",
        "1. Open the box.",
        "2. Take out the device",
        "3) Plug it in",
        "- first bullet",
        "* second bullet",
    ]


def test_inline_list_items():
    assert texts("Voir mars 1957. b) Les Alpes, p. 91. c) Le reste.", "fr") == [
        "Voir mars 1957.",
        "b) Les Alpes, p. 91.",
        "c) Le reste.",
    ]
    assert texts("Ont été gravis : 1. 1950 : Annapurna. 2. 1953 : Everest.", "fr") == [
        "Ont été gravis : 1. 1950 : Annapurna.",
        "2. 1953 : Everest.",
    ]


def test_units_after_numbers_end_sentences():
    assert texts("La cote est de 8222 m. Rien de nouveau. Il pèse 80 kg. Le reste à 19 h. 30 min.", "fr") == [
        "La cote est de 8222 m.",
        "Rien de nouveau.",
        "Il pèse 80 kg.",
        "Le reste à 19 h. 30 min.",
    ]


def test_runs_of_initials():
    assert texts("Par G. O. Dyhrenfurth. J. A. Smith came.", "en") == ["Par G. O. Dyhrenfurth.", "J. A. Smith came."]


def test_numbered_heading_keeps_its_number():
    assert texts("1. Introduction\n\nThis paper is short.", "en") == ["1. Introduction", "This paper is short."]


def test_hard_wrapped_paragraph_is_joined():
    text = (
        "This paragraph is wrapped at a fixed width so that lines are of similar\n"
        "length and the sentence continues on the next line. Then it ends."
    )
    assert texts(text, "en") == [
        "This paragraph is wrapped at a fixed width so that lines are of similar\n"
        "length and the sentence continues on the next line.",
        "Then it ends.",
    ]


def test_wrapped_lines_starting_with_a_number_or_after_a_no_break_space():
    text = (
        # Wrapped at 76 columns: neither "71." nor "50 kilometres" fitted on the line above.
        "The artist died last Sunday at the age of seventy years, in the old house of\n"
        "71. His family said so. In Nevada, about fifty volunteers joined the test at\n"
        "50\u00a0kilometres from the city, and nobody minded the rain that day at all.\n"
    )
    assert texts(text, "en") == [
        "The artist died last Sunday at the age of seventy years, in the old house of\n71.",
        "His family said so.",
        "In Nevada, about fifty volunteers joined the test at\n50\u00a0kilometres from the city, "
        "and nobody minded the rain that day at all.",
    ]


def test_one_sentence_per_line_without_blank_lines():
    text = (
        "Gutenberg's printing press was a turning point in the history of the written word and of Europe\n"
        "It spread quickly across the continent during the fifteenth and sixteenth centuries and changed how people read.\n"
        "Short line\n"
    )
    assert len(split_sentences(text, "en")) == 3


def test_paragraph_ids_count_blank_line_separated_blocks():
    segs = split_sentences("One. Two.\n\n\n\nThree.\n \t\nFour.", "en")
    assert [(s.text, s.para) for s in segs] == [("One.", 0), ("Two.", 0), ("Three.", 1), ("Four.", 2)]
    assert [s.id for s in segs] == [0, 1, 2, 3]


# ----------------------------------------------------------------- other languages

def test_german_ordinals_and_abbreviations():
    text = "Am 3. Oktober feiern wir. Das ist z.B. gut. Er kam am 1. Mai. Dr. Weber bzw. Frau Roth kamen."
    assert texts(text, "de") == [
        "Am 3. Oktober feiern wir.",
        "Das ist z.B. gut.",
        "Er kam am 1. Mai.",
        "Dr. Weber bzw. Frau Roth kamen.",
    ]


def test_spanish_inverted_marks():
    assert texts("¿Qué tal? ¡Muy bien! El Sr. García llegó.", "es") == ["¿Qué tal?", "¡Muy bien!", "El Sr. García llegó."]


def test_russian():
    assert texts("В 2019 г. Он приехал в г. Москва. Это хорошо.", "ru") == [
        "В 2019 г.",
        "Он приехал в г. Москва.",
        "Это хорошо.",
    ]


def test_chinese_without_spaces():
    assert texts("你好。我是学生！你呢？好的", "zh") == ["你好。", "我是学生！", "你呢？", "好的"]


def test_japanese_quoted_sentence_inside_a_sentence():
    assert texts("「こんにちは。」と言った。元気です。", "ja") == ["「こんにちは。」と言った。", "元気です。"]


def test_arabic_and_hebrew():
    assert texts("مرحبا. كيف حالك؟ أنا بخير.", "ar") == ["مرحبا.", "كيف حالك؟", "أنا بخير."]
    assert texts("שלום. מה שלומך? טוב.", "he") == ["שלום.", "מה שלומך?", "טוב."]


def test_hindi_danda():
    assert texts("मैं घर जा रहा हूँ। तुम कहाँ हो?", "hi") == ["मैं घर जा रहा हूँ।", "तुम कहाँ हो?"]


def test_unknown_language_code_works():
    assert texts("One. Two.", "xx") == ["One.", "Two."]
    assert texts("One. Two.", "") == ["One.", "Two."]


# ----------------------------------------------------------------- robustness

def test_empty_and_whitespace_give_no_segments():
    assert split_sentences("", "en") == []
    assert split_sentences(" \n\t\n\u00a0", "fr") == []


def test_leading_ellipsis_is_not_cut_off():
    assert texts("... and then it ended. The end", "en") == ["... and then it ended.", "The end"]


def test_emoji_and_control_characters():
    text = "Great news 🎉! The team won 🏆. Next\x07 match\x1b[0m soon."
    segs = split_sentences(text, "en")
    assert [s.text for s in segs] == ["Great news 🎉!", "The team won 🏆.", "Next\x07 match\x1b[0m soon."]


def test_overlong_sentence_is_cut_at_spaces():
    text = "word " * 5000
    segs = split_sentences(text, "en")
    assert len(segs) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in segs)
    assert all(not s.text.startswith(" ") and text[s.start:s.end] == s.text for s in segs)


def test_overlong_run_without_spaces_is_cut_anywhere():
    text = "x" * (MAX_SENTENCE_CHARS * 2 + 5)
    segs = split_sentences(text, "en")
    assert "".join(s.text for s in segs) == text


def test_single_two_megabyte_line():
    unit = "Le 3 févr., M. Dupont a payé 2,5 € 🎉 « oui » "
    text = unit * (2_000_000 // len(unit) + 1)
    segs = split_sentences(text, "fr")
    assert segs and all(len(s.text) <= MAX_SENTENCE_CHARS for s in segs)
    assert all(text[s.start:s.end] == s.text for s in segs)


def test_carriage_returns_are_white_space():
    segs = split_sentences("Title\r\n\r\nOne. Two.\r\nThree.\r\n", "en")
    assert [(s.text, s.para) for s in segs] == [("Title", 0), ("One.", 1), ("Two.", 1), ("Three.", 1)]


def test_many_sentences():
    text = " ".join(f"Sentence number {i} is here." for i in range(20000))
    segs = split_sentences(text, "en")
    assert len(segs) == 20000
    assert segs[-1].text == "Sentence number 19999 is here."


# ----------------------------------------------------------------- split_lines

def test_split_lines_keeps_empty_lines_and_offsets():
    text = "First line.\n\n  Indented  \nLast"
    segs = split_lines(text)
    assert [(s.id, s.text, s.para) for s in segs] == [(0, "First line.", 0), (1, "", 1), (2, "Indented", 2), (3, "Last", 3)]
    assert all(text[s.start:s.end] == s.text for s in segs)


def test_split_lines_final_newline_adds_no_line():
    assert len(split_lines("a\nb\n")) == 2
    assert len(split_lines("a\nb\n\n")) == 3
    assert split_lines("") == []


def test_split_lines_does_not_split_sentences():
    assert [s.text for s in split_lines("One. Two.\nThree.")] == ["One. Two.", "Three."]


# ----------------------------------------------------------------- properties

ALPHABET = st.sampled_from(
    list("abcXYZ éÉ019 .,;:!?…«»\"'“”‘’()[]-–—\n\n\t")
    + [NBSP, NNBSP, "M.", "Mme", "U.S.", "J.-C.", "e.g.", "2.5", "...", " . ", ". »", "。", "？", "你", "ש", "ا", "🎉", "\x00", "\x1b", "\u200b", "\ufeff", "\u2028", "\r"]
)
ANY_TEXT = st.one_of(st.text(), st.lists(ALPHABET, max_size=300).map("".join))


def _check_segments(text, segs):
    prev_end = 0
    for i, s in enumerate(segs):
        assert s.id == i
        assert s.text, "segments are never empty"
        assert text[s.start:s.end] == s.text
        assert s.start >= prev_end, "in order and not overlapping"
        assert not s.text[0].isspace() and not s.text[-1].isspace()
        prev_end = s.end
    assert [s.para for s in segs] == sorted(s.para for s in segs)
    # Nothing but white space is left out.
    covered = [False] * len(text)
    for s in segs:
        for k in range(s.start, s.end):
            covered[k] = True
    assert all(covered[k] or text[k].isspace() for k in range(len(text)))


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT, st.sampled_from(["en", "fr", "de", "zh", "ru", "xx"]))
def test_any_text_gives_ordered_exact_segments(text, lang):
    # The rules themselves, not the safety net that split_sentences wraps them in.
    _check_segments(text, segment_module._split_sentences(text, lang))
    _check_segments(text, split_sentences(text, lang))


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_split_lines_any_text(text):
    segs = split_lines(text)
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if not text:
        lines = []
    assert [s.text for s in segs] == [line.strip() for line in lines]
    assert all(text[s.start:s.end] == s.text for s in segs)
    assert [s.para for s in segs] == list(range(len(segs)))
