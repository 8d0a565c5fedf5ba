"""Reading documents and writing outputs.

Reading turns bytes into text: it detects the encoding (UTF-8 with or without a BOM,
UTF-32/UTF-16 with a BOM, UTF-16 without one, Windows-1251 when the bytes are plainly
Cyrillic, CP1252/Latin-1 as the last resort, byte by byte inside otherwise UTF-8 text),
normalises CRLF and CR to LF, strips a leading BOM and keeps every other character,
non-breaking spaces included, because sentence offsets point into this text.
Anything that is not a readable text document raises `InputError` with a one-line
message that names the file.

Writing is atomic (temporary file in the same folder, fsync, rename), so a reader
never sees a half-written report, and a crash leaves the previous file intact.
"""
from __future__ import annotations

import codecs
import errno
import html
import os
import re
import stat
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Union

from mtcheck.errors import InputError, OutputError

PathLike = Union[str, os.PathLike]

# Files larger than this are refused rather than read into memory whole.
MAX_INPUT_BYTES = 512 * 1024 * 1024

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
MARKUPS = ("auto", "text", "html", "markdown")


# --------------------------------------------------------------------------- reading


def read_text(path: PathLike, *, markup: str = "auto") -> str:
    """Read a document and return its text.

    `path` may be "-" for standard input. `markup` is "text" (as is), "html" (tags
    removed, blocks become paragraphs), "markdown" (syntax removed) or "auto": HTML
    for .html/.htm files or files that start like an HTML page, Markdown for .md
    files, plain text otherwise.

    Raises `InputError` for a missing file, a folder, an unreadable or binary file,
    and a file with no text.
    """
    if markup not in MARKUPS:
        raise InputError(f"unknown markup {markup!r}; expected one of {', '.join(MARKUPS)}")
    name = str(path)
    data = _read_bytes(path)
    text = decode_bytes(data, name)
    kind = _markup_kind(name, text) if markup == "auto" else markup
    if kind == "html":
        text = strip_markup(text)
    elif kind == "markdown":
        text = strip_markdown(text)
    if not text.strip():
        if not data:
            raise InputError(f"{name}: the file is empty")
        if kind in ("html", "markdown") and decode_bytes(data, name).strip():
            raise InputError(f"{name}: no text left once the {kind} markup is removed")
        raise InputError(f"{name}: the file contains only whitespace")
    return text


def _read_bytes(path: PathLike) -> bytes:
    name = str(path)
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except NotADirectoryError:
        raise InputError(f"{name}: no such file (a part of the path is not a folder)") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{name}: cannot read ({_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a folder, not a file")
    # Devices such as /dev/zero would never end; pipes (process substitution) are fine.
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise InputError(f"{name}: not a regular file")
    if info.st_size > MAX_INPUT_BYTES:
        raise InputError(
            f"{name}: too large ({info.st_size / 2**20:.0f} MiB; the limit is {MAX_INPUT_BYTES // 2**20} MiB)"
        )
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


# Leading bytes of common binary formats, so the message can say what the file is.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .odt file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable"),
    # RTF is text, but its control words would be checked as if they were prose.
    (b"{\\rtf", "an RTF document (save it as plain text)"),
)

# Controls that ordinary text contains: tab, newline, vertical tab, form feed, CR, escape.
_ALLOWED_CONTROLS = "\t\n\x0b\x0c\r\x1b"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")

# CP1252 for the bytes it defines, Latin-1 for the five it leaves undefined, so that
# any byte string decodes and printable characters come out as Windows writes them.
_CP1252_TABLE = {}
for _byte in range(0x80, 0xA0):
    try:
        _CP1252_TABLE[_byte] = bytes([_byte]).decode("cp1252")
    except UnicodeDecodeError:
        pass


def _legacy_byte(exc: UnicodeDecodeError):
    """Codec error handler: a byte that is not UTF-8 is read as CP1252 (Latin-1 if undefined).

    A UTF-8 file with a few Windows-1252 bytes pasted in (a common mix) keeps its
    UTF-8 text intact, and a file wholly in CP1252 or Latin-1 reads correctly too.
    """
    bad = exc.object[exc.start:exc.end]
    return bytes(bad).decode("latin-1").translate(_CP1252_TABLE), exc.end


codecs.register_error("mtcheck-legacy", _legacy_byte)


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """Decode a document's bytes to text, with LF newlines and no BOM.

    Raises `InputError` (naming `name`) when the bytes are not text.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: looks like {what}, not a text file")
    text = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not text")
    if text and _looks_binary(text):
        raise InputError(f"{name}: looks like a binary file (many control characters), not text")
    return text


def _decode(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        try:
            return data.decode("utf-32")
        except UnicodeDecodeError:
            pass  # FF FE 00 00 may also be UTF-16 LE starting with a NUL; fall through
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="mtcheck-legacy")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        enc = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = data[2:]
        try:
            return body.decode(enc)
        except UnicodeDecodeError:
            # A truncated final byte or a lone surrogate: keep the rest, mark the damage
            # with U+FFFD so that the encoding check can report it.
            return body.decode(enc, errors="replace")
    guess = _guess_utf16(data)
    if guess:
        return guess
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    cyrillic = _as_cp1251(data)
    if cyrillic is not None:
        return cyrillic
    return data.decode("utf-8", errors="mtcheck-legacy")


def _as_cp1251(data: bytes):
    """Russian, Ukrainian or Bulgarian text saved in Windows-1251, or None.

    In CP1252 text (French, German, Spanish) accented letters are a few per cent of
    the letters; in CP1251 text nearly every letter is a byte from 0xC0 up, which
    CP1252 would show as a wall of accented capitals.
    """
    sample = data[: 1 << 16]
    high = sum(1 for b in sample if b >= 0xC0)
    ascii_letters = sum(1 for b in sample if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    if high < 20 or high < 2 * ascii_letters:
        return None
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return None
    non_ascii = [ch for ch in text[: 1 << 16] if ord(ch) > 0x7F]
    cyr = sum(1 for ch in non_ascii if "\u0400" <= ch <= "\u04ff")
    return text if non_ascii and cyr >= 0.9 * len(non_ascii) else None


def _guess_utf16(data: bytes):
    """UTF-16 without a BOM, recognised by where its NUL bytes fall.

    Text in a Latin script has a NUL high byte in nearly every code unit: at odd
    offsets in little-endian, at even ones in big-endian. Other scripts have fewer
    NULs (spaces, digits, newlines), but they still fall on one side only. The guess
    is kept only if the bytes decode strictly and give clean text.
    """
    if len(data) < 2 or b"\x00" not in data:
        return None
    sample = data[: 1 << 16]
    if len(sample) % 2:
        sample = sample[:-1]
    half = len(sample) // 2
    if not half:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.02 * half:
        enc = "utf-16-le"
    elif even >= 0.3 * half and odd <= 0.02 * half:
        enc = "utf-16-be"
    elif (odd and not even) or (even and not odd):
        # Few NULs, all on one side: CJK or Cyrillic UTF-16 whose spaces and newlines
        # give the NULs. ASCII text with a stray NUL also fits, but it is valid UTF-8
        # and real UTF-16 almost never is.
        try:
            data.decode("utf-8")
            return None
        except UnicodeDecodeError:
            enc = "utf-16-le" if odd else "utf-16-be"
    else:
        return None
    body = data if len(data) % 2 == 0 else data[:-1]
    try:
        text = body.decode(enc)
    except UnicodeDecodeError:
        return None
    if "\x00" in text or _control_ratio(text) > 0.01:
        return None
    return text


def _looks_binary(text: str) -> bool:
    """Many control characters: a few are stray bytes in a real document, many are not text."""
    sample = text[: 1 << 20]
    count = len(_CONTROL_RE.findall(sample))
    return count / len(sample) > 0.3 or (count > 4 and count / len(sample) > 0.05)


def _control_ratio(text: str) -> float:
    sample = text[: 1 << 20]
    return len(_CONTROL_RE.findall(sample)) / max(1, len(sample))


def _markup_kind(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    head = text[:512].lstrip().lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return "html"
    return "text"


# --------------------------------------------------------------------------- markup

# Elements whose start or end begins a new paragraph.
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
}
# Elements whose content is not document text.
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object"}
_WS_RE = re.compile(r"[ \t\n\r\f\v]+")  # HTML white space; non-breaking spaces stay


_LINE_BREAK = object()  # a <br> inside a block, kept apart from the text around it


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list = []
        self._skip = 0
        self._pre = 0
        self._title: list[str] = []
        self._in_title = False

    def _flush(self) -> None:
        lines, line = [], []
        for piece in self._current + [_LINE_BREAK]:
            if piece is _LINE_BREAK:
                text = "".join(line)
                if not self._pre:
                    text = _WS_RE.sub(" ", text).strip(" \t\n\r\f\v")
                lines.append(text)
                line = []
            else:
                line.append(piece)
        joined = "\n".join(lines).strip("\n") if self._pre else "\n".join(x for x in lines if x)
        if joined.strip():
            self.paragraphs.append(joined)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
            return
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre += 1
        elif tag == "br":
            self._current.append(_LINE_BREAK)
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and not self._skip:
                self._current.append(alt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
            return
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data):
        if self._in_title:
            self._title.append(data)
        elif not self._skip:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def strip_markup(text: str) -> str:
    """Turn an HTML page into plain text: one paragraph per block, blank lines between.

    Scripts, styles and the <head> are dropped; entities are decoded; white space in a
    block collapses as a browser shows it; <br> becomes a line break. The page <title>
    is used only when the body has no text.
    """
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; never fail on odd markup
        parser._flush()
    paragraphs = parser.paragraphs
    if not paragraphs:
        title = _WS_RE.sub(" ", "".join(parser._title)).strip()
        return title
    return "\n\n".join(paragraphs) + "\n"


_MD_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}(?:\s+|$)")
_MD_HEADING_TAIL_RE = re.compile(r"\s+#+\s*$")
_MD_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_RULE_RE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_QUOTE_RE = re.compile(r"^\s{0,3}(>\s?)+")
_MD_BULLET_RE = re.compile(r"^(\s*)[-*+](\s+)")
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_REFLINK_RE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_LINKDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_MD_CODE_RE = re.compile(r"`+([^`]*)`+")
_MD_TAG_RE = re.compile(r"</?[A-Za-z][^>\n]*>")
_MD_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def strip_markdown(text: str) -> str:
    """Remove Markdown syntax and keep the prose.

    Headings lose their #, emphasis and code markers go, links keep their text,
    bullets go (numbered items keep their number), block quotes lose their >, table
    cells become lines; fenced code keeps its content without the fences. Every
    heading and list item stays on its own line, so the segmenter makes it a sentence.
    """
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _MD_FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        if _MD_RULE_RE.match(line) or _MD_LINKDEF_RE.match(line) or _MD_TABLE_SEP_RE.match(line):
            out.append("")
            continue
        if _MD_SETEXT_RE.match(line) and out and out[-1].strip():
            # The line above is a heading: keep it apart from what follows.
            out.append("")
            continue
        heading = _MD_HEADING_RE.match(line)
        if heading:
            line = _MD_HEADING_TAIL_RE.sub("", line[heading.end():])
            out.extend(["", line, ""])
            continue
        line = _MD_QUOTE_RE.sub("", line)
        line = _MD_BULLET_RE.sub(r"\1", line)
        if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.extend(c for c in cells if c)
            continue
        line = _MD_IMAGE_RE.sub(r"\1", line)
        line = _MD_LINK_RE.sub(r"\1", line)
        line = _MD_REFLINK_RE.sub(r"\1", line)
        line = _MD_CODE_RE.sub(r"\1", line)
        for _ in range(2):  # nested emphasis such as ***bold italic***
            line = _MD_EMPHASIS_RE.sub(r"\2", line)
        line = _MD_TAG_RE.sub("", line)
        line = html.unescape(line) if "&" in line else line
        out.append(line.rstrip())
    result = "\n".join(out)
    result = re.sub(r"\n{3,}", "\n\n", result).strip("\n")
    return result + "\n" if result else ""


# --------------------------------------------------------------------------- waivers


def read_waivers(path: PathLike) -> list[str]:
    """Flag signatures to ignore, one a line; `#` starts a comment, blank lines are skipped.

    An empty file is allowed (it waives nothing).
    """
    name = str(path)
    text = decode_bytes(_read_bytes(path), name)
    signatures = []
    for line in text.split("\n"):
        line = line.split("#", 1)[0].strip()
        if line:
            signatures.append(line)
    return signatures


# --------------------------------------------------------------------------- writing


def write_text_atomic(path: PathLike, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never half.

    The text goes to a temporary file in the same folder, is flushed to disk (fsync)
    and renamed over `path`. Raises `OutputError` (an `OSError` and an
    `MtcheckError`) with a one-line reason when the folder is missing or read-only or
    the disk is full; the temporary file is removed.
    """
    write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path: PathLike, data: bytes) -> None:
    """`write_text_atomic` for bytes."""
    target = Path(path)
    if target.is_symlink():
        # Write the file the link points to; renaming over the link would replace it.
        target = Path(os.path.realpath(target))
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(errno.EISDIR, f"cannot write {target}: it is a folder", str(target))
    if mode is not None and not stat.S_ISREG(mode):
        # A device or a pipe (/dev/stdout, a FIFO): renaming over it would replace the
        # device node itself, so write straight into it.
        try:
            with open(target, "wb") as handle:
                handle.write(data)
                handle.flush()
        except OSError as exc:
            raise output_error(exc, target) from None
        return
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _file_mode(target))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as exc:
        raise output_error(exc, target) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def output_error(exc: OSError, path: PathLike) -> OutputError:
    """The one-line `OutputError` for a failed write to `path`."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    return OutputError(exc.errno, f"cannot write {target}: {_write_reason(exc, folder)}", str(target))


def _write_reason(exc: OSError, folder: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the disk"
    if exc.errno == errno.EDQUOT:
        return "disk quota exceeded"
    if exc.errno in (errno.EROFS,):
        return f"the folder {folder} is on a read-only file system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"the folder {folder} is not writable"
    if exc.errno == errno.ENOENT:
        return f"the folder {folder} does not exist"
    if exc.errno == errno.ENOTDIR:
        return f"{folder} is not a folder"
    return _reason(exc)


def _file_mode(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual 0666 minus umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform lets a folder be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
