"""Reading documents in every encoding people send, refusing what is not text, and
writing outputs atomically."""
import codecs
import errno
import os
import stat
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from mtcheck.errors import InputError, MtcheckError
from mtcheck.io import (
    OutputError,
    decode_bytes,
    read_text,
    read_waivers,
    strip_markdown,
    strip_markup,
    write_text_atomic,
)

FRENCH = "«\u00a0Un accord peut être trouvé\u00a0» – OTAN\n\nLe chef a parlé\u202f! Ça coûte 2,5\u00a0€.\n"
CYRILLIC_CJK = "Привет, мир. 你好，世界。\n"


# ----------------------------------------------------------------- encodings

@pytest.mark.parametrize(
    "data",
    [
        FRENCH.encode("utf-8"),
        codecs.BOM_UTF8 + FRENCH.encode("utf-8"),
        FRENCH.encode("utf-16"),  # with a BOM, native order
        codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"),
        FRENCH.encode("utf-16-le"),  # no BOM
        FRENCH.encode("utf-16-be"),  # no BOM
        FRENCH.encode("utf-32"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le", "utf16be", "utf32"],
)
def test_unicode_encodings_decode_to_the_same_text(data):
    assert decode_bytes(data) == FRENCH


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_in_scripts_with_few_nul_bytes(encoding):
    assert decode_bytes(CYRILLIC_CJK.encode(encoding)) == CYRILLIC_CJK


def test_cp1252_and_latin1_fallback():
    text = "Café à 5 €, « déjà » l’été — ça va.\n"
    assert decode_bytes(text.encode("cp1252")) == text
    latin1 = "Garçon, où est la Dépêche ?\n"
    assert decode_bytes(latin1.encode("latin-1")) == latin1


def test_windows_1251_cyrillic():
    text = "Переговоры между НАТО и Россией могут оставить вопросы без ответа. Встреча пройдёт в среду.\n"
    assert decode_bytes(text.encode("cp1251")) == text


def test_western_text_is_not_taken_for_cyrillic():
    text = "Élève à l’école, garçon français, déjà été là, où ça? Ôté, évité, créé, agréé.\n"
    assert decode_bytes(text.encode("cp1252")) == text


def test_utf8_with_pasted_cp1252_bytes_keeps_both():
    data = "Déjà vu, ".encode("utf-8") + "l’été à 5 €".encode("cp1252") + " — fin.".encode("utf-8")
    assert decode_bytes(data) == "Déjà vu, l’été à 5 € — fin."


def test_bytes_undefined_in_cp1252_still_decode():
    # 0x81 is undefined in CP1252; Latin-1 gives U+0081, which the encoding check reports.
    assert decode_bytes("Résumé ".encode("latin-1") + b"\x81 fin") == "Résumé \x81 fin"


def test_newlines_are_normalised_and_nbsp_kept():
    assert decode_bytes(b"a\r\nb\rc\n\xc2\xa0d") == "a\nb\nc\n\u00a0d"
    assert decode_bytes("un\r\ndeux\r\n".encode("utf-16")) == "un\ndeux\n"


def test_bom_is_stripped_but_inner_zero_width_no_break_space_kept():
    assert decode_bytes(codecs.BOM_UTF8 + "a\ufeffb".encode()) == "a\ufeffb"


def test_utf8_bom_with_invalid_body_falls_back():
    assert decode_bytes(codecs.BOM_UTF8 + "é".encode("latin-1")) == "é"


# ----------------------------------------------------------------- not text

@pytest.mark.parametrize(
    "data, words",
    [
        (bytes(range(256)) * 8, "binary"),
        (b"hello\x00world, this is text", "NUL"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\x7fELF\x02\x01\x01", "executable"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Bonjour.}", "RTF"),
        (bytes([1, 2, 3, 4, 5, 6, 65]) * 40, "control characters"),
    ],
)
def test_binary_data_is_refused_with_a_reason(data, words):
    with pytest.raises(InputError) as info:
        decode_bytes(data, "doc.bin")
    message = str(info.value)
    assert message.startswith("doc.bin: ")
    assert words in message
    assert "\n" not in message


def test_a_few_control_characters_are_kept():
    text = "Line one\x07 with a bell.\nSecond line\x1b[1m bold.\n" * 5
    assert decode_bytes(text.encode()) == text


# ----------------------------------------------------------------- files

def test_read_text_plain(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(FRENCH.replace("\n", "\r\n").encode("utf-16"))
    assert read_text(path) == FRENCH


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_folder(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        read_text(tmp_path)


def test_path_through_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "f" / "g.txt")


def test_unreadable_file(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Root reads any file whatever its mode; this process's memory file is a
        # regular file that fails with an I/O error when read from offset 0.
        with pytest.raises(InputError, match=r"^/proc/self/mem: cannot read \("):
            read_text("/proc/self/mem")
        return
    path = tmp_path / "secret.txt"
    path.write_text("text")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            read_text(path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_standard_input(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from mtcheck.io import read_text; sys.stdout.write(ascii(read_text('-')))"],
        input="Un\r\ndeux\u00a0!".encode("utf-16"),
        capture_output=True,
        check=True,
    )
    assert result.stdout.decode() == ascii("Un\ndeux\u00a0!")


def test_device_is_refused():
    with pytest.raises(InputError, match="not a regular file"):
        read_text("/dev/zero")


@pytest.mark.parametrize("content, words", [(b"", "empty"), (b"  \n\t\r\n \xc2\xa0\n", "only whitespace")])
def test_empty_and_blank_files(tmp_path, content, words):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_errors_are_mtcheck_errors_for_the_command_line():
    assert issubclass(InputError, MtcheckError)
    assert issubclass(OutputError, MtcheckError) and issubclass(OutputError, OSError)


# ----------------------------------------------------------------- markup

HTML = """<!DOCTYPE html><html><head><title>Page</title><style>p{color:red}</style>
<script>var x = "<p>not text</p>";</script></head>
<body><h1>Un titre</h1><p>Premier  paragraphe,
sur deux lignes&nbsp;: «&nbsp;oui&nbsp;».<br>Après le saut.</p>
<ul><li>Un</li><li>Deux &amp; trois</li></ul><div>Fin<span>.</span></div></body></html>"""


def test_strip_markup_gives_paragraphs():
    assert strip_markup(HTML) == (
        "Un titre\n\n"
        "Premier paragraphe, sur deux lignes\u00a0: «\u00a0oui\u00a0».\nAprès le saut.\n\n"
        "Un\n\nDeux & trois\n\nFin.\n"
    )


def test_strip_markup_keeps_preformatted_lines_and_line_breaks():
    html_text = "<p>a<br>b <br/> c</p><pre>x\n  y</pre><p>\n</p><div>t<br><br>u</div>"
    assert strip_markup(html_text) == "a\nb\nc\n\nx\n  y\n\nt\nu\n"


def test_strip_markup_survives_broken_html():
    assert "text" in strip_markup("<p>text <b>unclosed <i>tags</p></div></div><")


def test_read_text_strips_html_by_suffix_and_by_content(tmp_path):
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "page.txt").write_text(HTML, encoding="utf-8")
    assert read_text(tmp_path / "page.html") == strip_markup(HTML)
    assert read_text(tmp_path / "page.txt") == strip_markup(HTML)
    assert read_text(tmp_path / "page.html", markup="text") == HTML


def test_html_without_text_is_refused(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>x()</script></body></html>")
    with pytest.raises(InputError, match="no text left"):
        read_text(path)


MARKDOWN = """# Le titre #

Un **premier** paragraphe avec un [lien](https://example.org) et du `code`.

- un point
- un autre

1. premier
2. second

> Une citation.

Sous-titre
----------

| a | b |
|---|---|
| c | d |
"""


def test_strip_markdown():
    assert strip_markdown(MARKDOWN) == (
        "Le titre\n\n"
        "Un premier paragraphe avec un lien et du code.\n\n"
        "un point\nun autre\n\n"
        "1. premier\n2. second\n\n"
        "Une citation.\n\n"
        "Sous-titre\n\n"
        "a\nb\n\nc\nd\n"
    )


def test_read_text_strips_markdown_by_suffix(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert read_text(path) == strip_markdown(MARKDOWN)


# ----------------------------------------------------------------- waivers

def test_read_waivers(tmp_path):
    path = tmp_path / "waivers.txt"
    path.write_text("# reviewed 2024-05-01\nduplication:0123456789ab\n\n  casing:ba9876543210  # a name\n")
    assert read_waivers(path) == ["duplication:0123456789ab", "casing:ba9876543210"]
    path.write_text("")
    assert read_waivers(path) == []


# ----------------------------------------------------------------- writing

def test_write_text_atomic_replaces_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "out.json"
    write_text_atomic(path, "first")
    write_text_atomic(path, "second «\u00a0é\u00a0»")
    assert path.read_text(encoding="utf-8") == "second «\u00a0é\u00a0»"
    assert os.listdir(tmp_path) == ["out.json"]
    assert stat.S_IMODE(path.stat().st_mode) & 0o600 == 0o600


def test_write_text_atomic_keeps_permissions(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    path.chmod(0o640)
    write_text_atomic(path, "new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_write_into_missing_folder(tmp_path):
    with pytest.raises(OutputError) as info:
        write_text_atomic(tmp_path / "nowhere" / "out.json", "x")
    assert "does not exist" in str(info.value)
    assert info.value.errno == errno.ENOENT


def test_write_onto_a_folder(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_text_atomic(tmp_path, "x")


def test_write_into_read_only_folder(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Root ignores folder modes, but sysfs refuses new files even to root.
        if not os.path.isdir("/sys/fs"):
            pytest.skip("needs /sys")
        with pytest.raises(OutputError, match="not writable|read-only"):
            write_text_atomic("/sys/fs/mtcheck-report.json", "x")
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="not writable"):
            write_text_atomic(folder / "out.json", "x")
    finally:
        folder.chmod(0o700)


def test_full_disk_gives_a_clear_error():
    # /dev/full fails every write with ENOSPC. It is a device, so it is written in
    # place (renaming over it would replace the device node).
    if not os.path.exists("/dev/full") or not stat.S_ISCHR(os.stat("/dev/full").st_mode):
        pytest.skip("needs the /dev/full device")
    with pytest.raises(OutputError) as info:
        write_text_atomic("/dev/full", "x" * 100000)
    assert str(info.value) == "cannot write /dev/full: no space left on the disk"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_write_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_write_to_a_pipe(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_text_atomic(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


# ----------------------------------------------------------------- properties

@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_input_error(data):
    try:
        text = decode_bytes(data, "x")
    except InputError as exc:
        assert str(exc).startswith("x: ") and "\n" not in str(exc)
    else:
        assert "\r" not in text and "\x00" not in text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=500))
def test_unicode_text_round_trips_through_utf8_and_utf16(text):
    text = text.lstrip("\ufeff")
    for data in (text.encode("utf-8"), codecs.BOM_UTF8 + text.encode("utf-8"), text.encode("utf-16")):
        assert decode_bytes(data) == text
