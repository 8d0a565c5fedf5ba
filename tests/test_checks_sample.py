"""The checks on the sample article, through the whole flow (mtcheck.check_files).

samples/nato/target.fr.txt is a real machine translation with known defects: a stray
"il a dit" after "a-t-il ajouté.", the title twice, an unclosed «, and site boilerplate at
the end. Every defect must be flagged with the right code; the sentences that are fine
must carry no major or critical flag.
"""
import pytest

import mtcheck


def plain(text: str) -> str:
    """Non-breaking spaces as plain spaces: the sample uses them inside « »."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def report(sample_dir):
    return mtcheck.check_files(sample_dir / "source.en.txt", sample_dir / "target.fr.txt")


@pytest.fixture(scope="module")
def flags(report):
    out = []
    for pair in report.aligned_pairs:
        for flag in pair.flags:
            text = pair.src if flag.side == "src" else pair.tgt
            quoted = text[flag.span[0]:flag.span[1]] if flag.span else text
            out.append((flag.code, flag.severity, plain(quoted), plain(pair.tgt), flag.message))
    return out


TITLE = "« Un accord peut être trouvé avec la Russie » – OTAN"
BOILERPLATE = [
    "Vous aimer cet article ?", "Partagez-le avec un ami !", "*********************************",
    "Vous pouvez lire l’article original ici", "Votre soutien est essentiel",
    "À l’ère de la censure de masse", "Nous avons besoin de financements", "N’hésitez pas à regarder",
]


def test_the_stray_reporting_clause_is_a_duplication(flags):
    hits = [f for f in flags if f[0] == "duplication" and f[2].startswith("il a dit")]
    assert hits, "the stray 'il a dit' is not flagged as duplication"
    assert "a-t-il ajouté" in hits[0][4]


def test_the_repeated_title_is_a_duplication(flags):
    assert any(f[0] == "duplication" and f[2] == TITLE for f in flags)
    # once: the first title is the fine one, and the repeat is one defect, not two
    assert sum(1 for f in flags if f[0] == "duplication" and f[2] in TITLE) == 1


def test_the_unclosed_guillemet_is_punctuation(flags):
    assert any(f[0] == "punctuation" and f[2] == "«" and "se réjouissait « les pourparlers" in f[3]
               for f in flags)


def test_every_boilerplate_line_is_an_addition(flags):
    added = [f[2] for f in flags if f[0] == "addition"]
    for text in BOILERPLATE:
        assert any(a.startswith(text) for a in added), f"not flagged as addition: {text}"
    # both separator lines
    assert sum(1 for a in added if a.startswith("*****")) == 2


def test_fine_sentences_carry_no_major_flag(report):
    defects = ("il a dit", TITLE, "se réjouissait « les pourparlers", *BOILERPLATE)
    pairs = report.aligned_pairs
    for pair in pairs:
        if not pair.src or not pair.tgt:
            continue
        serious = [f for f in pair.flags if f.severity in ("major", "critical")]
        for flag in serious:
            text = pair.src if flag.side == "src" else pair.tgt
            quoted = plain(text[flag.span[0]:flag.span[1]]) if flag.span else plain(pair.tgt)
            assert any(d in quoted or quoted in d for d in defects), (flag.code, flag.message)


def test_every_check_ran_on_every_pair(report):
    # a check that raises is skipped on that pair: the tests above would not notice a
    # missing flag that the sample does not expect
    assert report.check_errors == {}
