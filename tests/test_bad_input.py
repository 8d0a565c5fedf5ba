"""Bad input through the real command line: every odd file gives a correct report
(exit 0, valid JSON) or one clear line on stderr and exit code 2, never a traceback.

Each case runs `python -m mtcheck check` in a subprocess on files written here.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SOURCE_EN = (
    "Talks between NATO and Russia may leave some questions unanswered.\n\n"
    "Speaking in Brussels on Monday, Jens Stoltenberg said he welcomed the talks. "
    "He warned that the talks would not solve every problem.\n\n"
    "The meeting will take place on Wednesday in Geneva.\n"
)
TARGET_FR = (
    "Les pourparlers entre l'OTAN et la Russie pourraient laisser certaines questions sans réponse.\n\n"
    "S'exprimant lundi à Bruxelles, Jens Stoltenberg a déclaré qu'il se réjouissait des pourparlers. "
    "Il a averti que les pourparlers ne résoudraient pas tous les problèmes.\n\n"
    "La réunion aura lieu mercredi à Genève.\n"
)
TARGET_DE = (
    "Die Gespräche zwischen der NATO und Russland könnten einige Fragen offen lassen.\n\n"
    "Jens Stoltenberg sagte am Montag in Brüssel, er begrüße die Gespräche. "
    "Er warnte, dass die Gespräche nicht jedes Problem lösen würden.\n\n"
    "Das Treffen findet am Mittwoch in Genf statt.\n"
)
TARGET_AR = (
    "قد تترك المحادثات بين الناتو وروسيا بعض الأسئلة دون إجابة.\n\n"
    "وقال ينس ستولتنبرغ يوم الاثنين في بروكسل إنه يرحب بالمحادثات. "
    "وحذر من أن المحادثات لن تحل كل المشاكل.\n\n"
    "سيعقد الاجتماع يوم الأربعاء في جنيف.\n"
)
TARGET_HE = (
    "השיחות בין נאט\"ו לרוסיה עשויות להשאיר כמה שאלות ללא מענה.\n\n"
    "ינס סטולטנברג אמר ביום שני בבריסל שהוא מברך על השיחות. "
    "הוא הזהיר שהשיחות לא יפתרו כל בעיה.\n\n"
    "הפגישה תתקיים ביום רביעי בז'נבה.\n"
)
TARGET_ZH = (
    "北约与俄罗斯之间的会谈可能会留下一些未解答的问题。\n\n"
    "延斯·斯托尔滕贝格周一在布鲁塞尔表示，他欢迎这些会谈。他警告说，会谈不会解决所有问题。\n\n"
    "会议将于周三在日内瓦举行。\n"
)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """The environment of every run: a private embedding cache, no user config."""
    environment = dict(os.environ)
    environment["MTCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    environment["PYTHONPATH"] = str(ROOT) + os.pathsep + environment.get("PYTHONPATH", "")
    environment.pop("PYTHONWARNINGS", None)
    return environment


def run_check(env, *args, cwd=None, timeout=600, command="check"):
    return subprocess.run(
        [sys.executable, "-m", "mtcheck", command, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


def write(path: Path, content) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def assert_clean_error(result, *words):
    """Exit 2 and exactly one line on stderr that says what is wrong."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr, result.stdout[:500])
    errors = [line for line in result.stderr.splitlines() if line.startswith("mtcheck: error: ")]
    assert len(errors) == 1, result.stderr
    # Warnings may come before it; the error is the last thing said.
    assert result.stderr.strip().splitlines()[-1] == errors[0], result.stderr
    for word in words:
        assert word in errors[0], (word, errors[0])


def report_of(result) -> dict:
    """Exit 0 and a JSON report that follows the contract."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, (result.returncode, result.stderr)
    report = json.loads(result.stdout)
    for key in ("version", "signature", "source", "target", "pairs", "document"):
        assert key in report
    for pair in report["pairs"]:
        assert isinstance(pair["src"], str) and isinstance(pair["tgt"], str)
        for flag in pair["flags"]:
            assert flag["code"] and flag["severity"] in ("minor", "major", "critical")
            text = pair["src"] if flag["side"] == "src" else pair["tgt"]
            if flag["span"] is not None and flag["side"] != "pair":
                start, end = flag["span"]
                assert 0 <= start <= end <= len(text), (flag, text)
    # Every sentence appears exactly once, in order, on each side.
    for side, count in (("src_ids", report["source"]["segments"]), ("tgt_ids", report["target"]["segments"])):
        ids = [i for pair in report["pairs"] for i in pair[side]]
        assert ids == list(range(count)), side
    return report


def flag_codes(report) -> set:
    return {flag["code"] for pair in report["pairs"] for flag in pair["flags"]}


@pytest.fixture
def source(tmp_path):
    return write(tmp_path / "source.en.txt", SOURCE_EN)


@pytest.fixture
def target(tmp_path):
    return write(tmp_path / "target.fr.txt", TARGET_FR)


# ----------------------------------------------------------------- unreadable input

def test_missing_file(env, tmp_path, target):
    result = run_check(env, tmp_path / "missing.txt", target, "--format", "json")
    assert_clean_error(result, "missing.txt", "no such file")


def test_folder(env, tmp_path, source):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run_check(env, source, folder, "--format", "json")
    assert_clean_error(result, str(folder), "folder")


def test_unreadable_file(env, tmp_path, target):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Root reads any file whatever its mode; a process's own memory file exists and
        # is a regular file, but reading it from offset 0 fails with an I/O error.
        unreadable = Path("/proc/self/mem")
        result = run_check(env, unreadable, target, "--format", "json")
        assert_clean_error(result, str(unreadable), "cannot read")
    else:
        unreadable = write(tmp_path / "secret.txt", SOURCE_EN)
        unreadable.chmod(0)
        result = run_check(env, unreadable, target, "--format", "json")
        assert_clean_error(result, "secret.txt", "permission denied")


@pytest.mark.parametrize("content, words", [(b"", "empty"), (b" \n\n\t \r\n\xc2\xa0\n", "whitespace")])
@pytest.mark.parametrize("side", ["source", "target"])
def test_empty_and_whitespace_only(env, tmp_path, source, target, content, words, side):
    blank = write(tmp_path / "blank.txt", content)
    args = (blank, target) if side == "source" else (source, blank)
    assert_clean_error(run_check(env, *args, "--format", "json"), "blank.txt", words)


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 16,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"PK\x03\x04\x14\x00\x06\x00" + bytes(100),
        b"Some text\x00\x00\x00\x01\x02 then binary" * 10,
    ],
    ids=["random", "png", "zip-docx", "nul-bytes"],
)
def test_binary_file(env, tmp_path, source, content):
    binary = write(tmp_path / "target.bin", content)
    assert_clean_error(run_check(env, source, binary, "--format", "json"), "target.bin", "not")


def test_missing_reference(env, tmp_path, source, target):
    result = run_check(env, source, target, "--ref", tmp_path / "ref.txt", "--format", "json")
    assert_clean_error(result, "ref.txt")


def test_broken_symlink(env, tmp_path, source):
    link = tmp_path / "target.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert_clean_error(run_check(env, source, link, "--format", "json"), "target.txt", "no such file")


def test_missing_waivers_file(env, tmp_path, source, target):
    result = run_check(env, source, target, "--waivers", tmp_path / "waivers.txt", "--format", "json")
    assert_clean_error(result, "waivers.txt", "no such file")


def test_empty_reference(env, tmp_path, source, target):
    ref = write(tmp_path / "ref.txt", "\n\n")
    assert_clean_error(run_check(env, source, target, "--ref", ref, "--format", "json"), "ref.txt")


def test_source_from_standard_input(env, target):
    result = subprocess.run(
        [sys.executable, "-m", "mtcheck", "check", "-", str(target), "--format", "json"],
        input=SOURCE_EN.encode("utf-16"),
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    result = subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())
    report = report_of(result)
    assert report["source"]["segments"] == 4


def test_aligned_files_of_different_lengths(env, tmp_path):
    src = write(tmp_path / "s.txt", "One.\nTwo.\nThree.\n")
    tgt = write(tmp_path / "t.txt", "Un.\nDeux.\n")
    assert_clean_error(run_check(env, src, tgt, "--aligned", "--format", "json"), "3", "2")


# ----------------------------------------------------------------- encodings and newlines

def test_utf16_and_latin1_without_bom(env, tmp_path):
    src = write(tmp_path / "s.txt", SOURCE_EN.encode("utf-16-le"))
    tgt = write(tmp_path / "t.txt", TARGET_FR.encode("latin-1"))
    report = report_of(run_check(env, src, tgt, "--format", "json"))
    assert report["source"]["segments"] == 4 and report["target"]["segments"] == 4
    joined = " ".join(p["tgt"] for p in report["pairs"])
    assert "réponse" in joined and "Genève" in joined
    assert "Talks between NATO" in " ".join(p["src"] for p in report["pairs"])


def test_utf16_big_endian_without_bom_and_cp1252(env, tmp_path):
    src = write(tmp_path / "s.txt", SOURCE_EN.encode("utf-16-be"))
    tgt = write(tmp_path / "t.txt", TARGET_FR.replace("l'OTAN", "l’OTAN").encode("cp1252"))
    report = report_of(run_check(env, src, tgt, "--format", "json"))
    assert "l’OTAN" in report["pairs"][0]["tgt"]


def test_byte_order_marks(env, tmp_path):
    src = write(tmp_path / "s.txt", b"\xef\xbb\xbf" + SOURCE_EN.encode())
    tgt = write(tmp_path / "t.txt", TARGET_FR.encode("utf-16"))
    report = report_of(run_check(env, src, tgt, "--format", "json"))
    assert not report["pairs"][0]["src"].startswith("\ufeff")
    assert not report["pairs"][0]["tgt"].startswith("\ufeff")
    assert "encoding" not in flag_codes(report)


def test_crlf(env, tmp_path):
    src = write(tmp_path / "s.txt", SOURCE_EN.replace("\n", "\r\n").encode())
    tgt = write(tmp_path / "t.txt", TARGET_FR.replace("\n", "\r").encode())
    report = report_of(run_check(env, src, tgt, "--format", "json"))
    assert report["source"]["segments"] == 4 and report["target"]["segments"] == 4
    assert not any("\r" in p["src"] or "\r" in p["tgt"] for p in report["pairs"])


def test_crlf_presegmented(env, tmp_path):
    src = write(tmp_path / "s.txt", "One sentence.\r\nAnother one.\r\n")
    tgt = write(tmp_path / "t.txt", "Une phrase.\r\nUne autre.\r\n")
    report = report_of(run_check(env, src, tgt, "--aligned", "--format", "json"))
    assert [p["tgt"] for p in report["pairs"]] == ["Une phrase.", "Une autre."]


# ----------------------------------------------------------------- size

def test_single_two_megabyte_line(env, tmp_path, source):
    words = "la réunion aura lieu mercredi à Genève sans conclusion claire "
    line = (words * (2_000_000 // len(words) + 1))[:2_000_000]
    tgt = write(tmp_path / "long.txt", line)
    assert tgt.stat().st_size >= 2_000_000
    report = report_of(run_check(env, source, tgt, "--src-lang", "en", "--tgt-lang", "fr", "--format", "json"))
    assert report["target"]["segments"] >= 1


def _many_sentences(tmp_path, count):
    # Varied sentences, so that the aligner cannot lean on repetition.
    src_lines, tgt_lines = [], []
    for i in range(count):
        src_lines.append(f"Report {i} says that {i % 97} ships left port {i % 13} on day {i % 31}.")
        tgt_lines.append(f"Le rapport {i} indique que {i % 97} navires ont quitté le port {i % 13} le jour {i % 31}.")
    src = write(tmp_path / "s.txt", " ".join(src_lines))
    tgt = write(tmp_path / "t.txt", " ".join(tgt_lines))
    return src, tgt


def test_one_hundred_thousand_sentences_read_and_split(tmp_path):
    # The reading and splitting stages on their own, in-process: fast enough for every run.
    from mtcheck.io import read_text
    from mtcheck.segment import split_sentences

    src, tgt = _many_sentences(tmp_path, 100_000)
    assert len(split_sentences(read_text(src), "en")) == 100_000
    segments = split_sentences(read_text(tgt), "fr")
    assert len(segments) == 100_000
    i = 99_999
    assert segments[-1].text == f"Le rapport {i} indique que {i % 97} navires ont quitté le port {i % 13} le jour {i % 31}."


def test_one_hundred_thousand_sentences_are_refused_in_one_line_before_any_model_runs(env, tmp_path):
    # Over the default limit of 50,000 sentences a side: one clear line and exit 2, at once
    # (no encoder is loaded, so the embedding cache stays empty), for `check` and `align`.
    src, tgt = _many_sentences(tmp_path, 100_000)
    cache = Path(env["MTCHECK_CACHE_DIR"]) / "limit"
    limited = dict(env, MTCHECK_CACHE_DIR=str(cache))
    result = run_check(limited, src, tgt, "--src-lang", "en", "--tgt-lang", "fr", "--format", "json")
    assert_clean_error(result, "100,000 sentences", "50,000", "--max-sentences")
    assert str(src) in result.stderr and result.stdout == ""
    aligned = run_check(limited, src, tgt, "--src-lang", "en", "--tgt-lang", "fr", command="align")
    assert_clean_error(aligned, "100,000 sentences", "50,000")
    assert not cache.exists() or not any(cache.rglob("*.sqlite*"))


def test_the_sentence_limit_comes_from_the_option_or_the_config(env, tmp_path, source, target):
    # SOURCE_EN has 4 sentences: a limit of 3 refuses it, 4 and 0 (no limit) let it through.
    assert_clean_error(run_check(env, source, target, "--max-sentences", "3"), "4 sentences", "limit of 3")
    report_of(run_check(env, source, target, "--max-sentences", "4", "--format", "json"))
    config = write(tmp_path / "mtcheck.toml", "max_sentences = 3\n")
    assert_clean_error(run_check(env, source, target, "--config", config), "limit of 3")
    report_of(run_check(env, source, target, "--config", config, "--max-sentences", "0", "--format", "json"))
    assert_clean_error(run_check(env, source, target, "--max-sentences", "-1"), "--max-sentences")
    bad = write(tmp_path / "bad.toml", "max_sentences = \"many\"\n")
    assert_clean_error(run_check(env, source, target, "--config", bad), "max_sentences")


def test_check_options_come_from_the_config_and_bad_ones_are_one_line(env, tmp_path):
    source = write(tmp_path / "catalogue.en.txt", "The Swiss Army Knife comes in a gift box with a lanyard.\n")
    target = write(tmp_path / "catalogue.fr.txt", "Le Swiss Army Knife est livré dans un coffret avec un cordon.\n")
    args = ("--src-lang", "en", "--tgt-lang", "fr", "--format", "json")

    def untranslated(report):
        return [f["message"] for p in report["pairs"] for f in p["flags"] if f["code"] == "untranslated"]

    assert untranslated(report_of(run_check(env, source, target, *args))) == []
    config = write(tmp_path / "catalogue.toml", "[check_options]\nuntranslated_title_words = true\n")
    report = report_of(run_check(env, source, target, *args, "--config", config))
    assert [m.split(" are ")[0] for m in untranslated(report)] == ['"Swiss Army Knife"']
    assert report["settings"]["check_options"] == {"untranslated_title_words": True}
    unknown = write(tmp_path / "unknown.toml", "[check_options]\ntitle_words = true\n")
    assert_clean_error(run_check(env, source, target, "--config", unknown), "unknown option 'title_words'")
    wrong = write(tmp_path / "wrong.toml", "[check_options]\nuntranslated_title_words = \"yes\"\n")
    assert_clean_error(run_check(env, source, target, "--config", wrong), "true or false")


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("MTCHECK_SLOW_TESTS"),
    reason="the whole flow on these 100,000 all-alike sentences takes hours on 2 cores; set MTCHECK_SLOW_TESTS=1",
)
def test_one_hundred_thousand_sentences_with_the_limit_removed(env, tmp_path):
    src, tgt = _many_sentences(tmp_path, 100_000)
    report = report_of(
        run_check(env, src, tgt, "--src-lang", "en", "--tgt-lang", "fr", "--format", "json",
                  "--max-sentences", "0", timeout=6 * 3600)
    )
    assert report["source"]["segments"] == 100_000
    assert report["target"]["segments"] == 100_000
    # The documents are translations sentence by sentence: nearly every link is one-to-one.
    one_to_one = sum(len(p["src_ids"]) == 1 and len(p["tgt_ids"]) == 1 for p in report["pairs"])
    assert one_to_one >= 0.98 * 100_000


# ----------------------------------------------------------------- markup

def test_html_input(env, tmp_path, source):
    paragraphs = "".join(f"<p>{p}</p>\n" for p in TARGET_FR.strip().split("\n\n"))
    page = (
        "<!DOCTYPE html><html><head><title>Article</title><style>p { margin: 0 }</style>"
        "<script>window.x = '<p>pas du texte</p>';</script></head>"
        f"<body><article>{paragraphs}</article></body></html>"
    )
    tgt = write(tmp_path / "target.html", page.replace("l'OTAN", "l&#39;OTAN"))
    report = report_of(run_check(env, source, tgt, "--format", "json"))
    text = " ".join(p["tgt"] for p in report["pairs"])
    assert "<" not in text and "&#39;" not in text and "pas du texte" not in text
    assert report["target"]["segments"] == 4


def test_markdown_input(env, tmp_path):
    src = write(tmp_path / "s.md", "# Talks in Geneva\n\n" + SOURCE_EN.replace("Monday", "**Monday**"))
    tgt = write(tmp_path / "t.md", "# Pourparlers à Genève\n\n" + TARGET_FR.replace("lundi", "**lundi**"))
    report = report_of(run_check(env, src, tgt, "--format", "json"))
    text = " ".join(p["src"] + p["tgt"] for p in report["pairs"])
    assert "#" not in text and "**" not in text
    assert report["source"]["segments"] == 5 and report["target"]["segments"] == 5


# ----------------------------------------------------------------- languages

def test_source_and_translation_in_the_same_language(env, tmp_path, source):
    # The "translation" is English while French was asked for: left untranslated.
    tgt = write(tmp_path / "t.txt", SOURCE_EN.replace("Monday", "Tuesday"))
    report = report_of(run_check(env, source, tgt, "--src-lang", "en", "--tgt-lang", "fr", "--format", "json"))
    assert "untranslated" in flag_codes(report)


def test_identical_files(env, source):
    report = report_of(run_check(env, source, source, "--format", "json"))
    assert all(p["src"] == p["tgt"] for p in report["pairs"])


def test_identical_files_with_languages_given(env, source):
    report = report_of(run_check(env, source, source, "--src-lang", "en", "--tgt-lang", "fr", "--format", "json"))
    assert "untranslated" in flag_codes(report)


def test_translation_in_a_third_language(env, tmp_path, source):
    tgt = write(tmp_path / "t.txt", TARGET_DE)
    report = report_of(run_check(env, source, tgt, "--src-lang", "en", "--tgt-lang", "fr", "--format", "json"))
    assert "wrong_language" in flag_codes(report)


@pytest.mark.parametrize("text, lang", [(TARGET_AR, "ar"), (TARGET_HE, "he")], ids=["arabic", "hebrew"])
def test_right_to_left(env, tmp_path, source, text, lang):
    tgt = write(tmp_path / "t.txt", text)
    report = report_of(run_check(env, source, tgt, "--format", "json"))
    assert report["target"]["segments"] == 4
    assert report["target"]["lang"] == lang


def test_cjk(env, tmp_path, source):
    tgt = write(tmp_path / "t.txt", TARGET_ZH)
    report = report_of(run_check(env, source, tgt, "--format", "json"))
    assert report["target"]["segments"] == 4
    assert report["target"]["lang"] == "zh"


def test_emoji(env, tmp_path):
    src = write(tmp_path / "s.txt", "Great news 🎉! The team won the cup 🏆. See you soon 👋\n")
    tgt = write(tmp_path / "t.txt", "Bonne nouvelle 🎉 ! L'équipe a gagné la coupe 🏆. À bientôt 👋\n")
    report = report_of(run_check(env, src, tgt, "--format", "json"))
    assert "🏆" in " ".join(p["tgt"] for p in report["pairs"])


def test_control_characters(env, tmp_path, source):
    tgt = write(tmp_path / "t.txt", TARGET_FR.replace("OTAN", "OT\x07AN").replace("Genève", "Gen\x1b[1mève\x08"))
    report = report_of(run_check(env, source, tgt, "--format", "json"))
    assert "encoding" in flag_codes(report)


def test_every_output_format_on_odd_input(env, tmp_path):
    src = write(tmp_path / "s.txt", "Émoji 🎉 and «quotes». Zero\u200bwidth. RTL שלום.\n")
    tgt = write(tmp_path / "t.txt", "Émoji 🎉 et « guillemets ». Zéro\u200blargeur. RTL שלום.\n")
    for fmt in ("table", "jsonl", "csv", "html"):
        result = run_check(env, src, tgt, "--format", fmt)
        assert "Traceback" not in result.stderr, (fmt, result.stderr)
        assert result.returncode == 0, (fmt, result.stderr)
        assert result.stdout.strip(), fmt


def test_output_into_a_missing_folder(env, tmp_path, source, target):
    result = run_check(env, source, target, "--format", "json", "-o", tmp_path / "nowhere" / "report.json")
    assert_clean_error(result, "nowhere")
