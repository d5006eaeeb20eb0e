"""Ingest: turn what the user gave (an HTML page, a scraped page's text, a clean article) into a Document.

Everything downstream points at characters of ``Document.text``; the ``source_map`` keeps the
way back to the input, so a finding can always be shown where the user's file has it. Bad
input is refused here with a one-line ``UnspinError`` rather than failing somewhere later.

Three kinds of input are told apart by content (a file named .txt is HTML only when it is
plainly an HTML document):

- HTML: trafilatura extracts body and metadata (its defaults with comments off, the settings
  behind its published F1 0.958 on the Scrapinghub benchmark); its own baseline, then plain
  ``<p>`` text, are the fallbacks.
- The plain text of a scraped page: a clutter stripper finds the article among breadcrumbs,
  share counters, link lists, bios and comments (see "scraped page text" below).
- A clean plain article: it comes through unchanged, paragraph for paragraph.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import html as htmllib
import os
import re
import stat
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from unspin.lang.en import dates, page
from unspin.types import Document, Span, UnspinError

# English page-furniture words (unspin.lang.en.page), under the names this module reads them by
_ABOUT = page.ABOUT
_BIO_AFTER_NAME = page.BIO_AFTER_NAME
_BIO_LEAD = page.BIO_LEAD
_BIO_ROLE = page.BIO_ROLE
_BREADCRUMB = page.BREADCRUMB
_BYLINE = page.BYLINE_LINE
_COMMENTISH = page.COMMENTISH
_COMMENT_HEAD = page.COMMENT_HEAD
_COMMENT_META = page.COMMENT_META
_COOKIES = page.COOKIES
_COPYRIGHT = page.COPYRIGHT
_DATE_TOKEN = page.DATE_TOKEN
_DATE_WORDS = page.DATE_WORDS
_END_MARKER = page.END_MARKER
_FULL_DATE = page.FULL_DATE
_FURNITURE = page.FURNITURE
_LABEL = page.LABEL
_MONTH = dates.MONTH_PATTERN
_MORE_FROM = page.MORE_FROM
_READ_TIME = page.READ_TIME
_READ_WORD = page.READ_WORD
_RUN_ON_WORDS = page.RUN_ON_WORDS
_SAID = page.SAID
_TAG_LABEL = page.TAG_LABEL
_TIPLINE = page.TIPLINE
_WIDGET = page.WIDGET

MAX_BYTES = 5 * 1024 * 1024
"""Largest input accepted (5 MB): far above any article page, small enough to fail fast on a wrong file."""

MIN_ARTICLE_WORDS = 8
"""An HTML page must yield at least one paragraph this long to count as holding an article."""

Paragraph = list[tuple[str, int | None]]  # the lines of one paragraph, each with its input offset

# ---------------------------------------------------------------------------------------------
# reading and decoding

_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|ol|h[1-6]|table|tr|td|img|article|section|meta|link|"
                       r"script|title|header|footer|nav)\b[^<>]{0,2000}>", re.I)
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
# non-letters that real Western prose uses; anything else above ASCII hints at a wrong code page
_PROSE_SYMBOLS = set("\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00a0\u00a3\u20ac"
                     "\u00a9\u00b0\u00b7\u2022\u00ab\u00bb")


def _decode(data: bytes, name: str) -> str:
    """UTF-8 first (the common case, and unambiguous), then a declared charset, then detection."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise UnspinError(f"{name}: cannot decode the file as {enc}: {exc.reason}") from None
    if b"\x00" in data:
        enc = _bomless_utf16(data)
        if enc is not None:
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                raise UnspinError(f"{name}: looks like a binary file, not text or HTML") from None
        # A few stray NULs in otherwise plain text (scraped text has them) are controls like any
        # other; many NULs are a binary file's structure. Text with a stray NUL is taken only in
        # the encodings scraped text comes in: detection would find some code page for anything.
        if _too_many_controls(data.count(0), len(data)):
            raise UnspinError(f"{name}: looks like a binary file, not text or HTML")
        text = _utf8(data)
        if text is not None:
            return text
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        raise UnspinError(f"{name}: looks like a binary file, not text or HTML")
    text = _utf8(data)
    if text is not None:
        return text
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnspinError(f"{name}: cannot decode the file: it looks binary or uses an unknown encoding")
    text = str(best)
    # Single-byte Western text is the usual non-UTF-8 case, and on short texts charset-normalizer
    # can pick a sibling code page; cp1252 wins a tie when it decodes the bytes as cleanly.
    if best.encoding.startswith(("cp125", "iso8859", "latin", "mac")) and best.encoding != "cp1252":
        try:
            alt = data.decode("cp1252")
        except UnicodeDecodeError:
            alt = None
        if alt is not None and _oddness(alt) <= _oddness(text):
            text = alt
    return text


MIN_UTF8_SHARE = 0.95
"""Share of the non-ASCII sequences that must be valid UTF-8 for a file with a few bad bytes to be
read as UTF-8 (the bad bytes becoming U+FFFD) rather than in a legacy code page.

A legacy (cp1252, Latin-1) text almost never holds a valid UTF-8 sequence by chance (that needs
an accented capital followed by a symbol), so a file whose non-ASCII sequences are nearly all
valid UTF-8 is UTF-8 with a few damaged bytes; reading it as cp1252 would garble every accent.
"""


def _utf8(data: bytes) -> str | None:
    """The bytes as UTF-8 when they are, or mostly are (bad bytes replaced); None otherwise."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _mostly_utf8(data)


def _mostly_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8 with its invalid bytes replaced, if they are a small minority."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= 0:
        return None
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    good = non_ascii - bad
    return text if good >= MIN_UTF8_SHARE * (good + bad) else None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: mostly-Latin text puts a zero in every other byte."""
    sample = data[:4096 - 4096 % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd >= 0.5 and zeros_even <= 0.02:
        return "utf-16-le"
    if zeros_even >= 0.5 and zeros_odd <= 0.02:
        return "utf-16-be"
    return None


def _oddness(text: str) -> int:
    return sum(1 for ch in text if ord(ch) >= 0x80 and not ch.isalpha() and ch not in _PROSE_SYMBOLS)


MAX_CONTROL_SHARE = 0.05
"""Share of control characters (C0 other than whitespace, DEL, C1, U+FFFD) above which a file is binary.

Scraped text carries a few strays: a NUL, a bell, an apostrophe that lost its high byte
("it\x19s"). The worst real text seen (PAN 2013 web pages) has 1.2% of them (8 in 640
characters), while binary data read as text has about 10% (27 of the 256 byte values are C0
controls, and binary formats are rich in NULs and low bytes). 5% lies between the two, and
the first few controls are always allowed so that a short text with one or two strays loads.
"""
_CONTROL_ALLOWANCE = 8

_BINARY_MAGIC = (b"%PDF-", b"\x89PNG\r\n", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*",
                 b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b\x08", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c",
                 b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x7fELF")
"""Signatures of binary formats someone may pass by mistake (PDF, images, archives, office files)."""


def _is_control(ch: str) -> bool:
    o = ord(ch)
    return (o < 32 and ch not in "\t\n\r\f\v") or 0x7F <= o < 0xA0 or ch == "\ufffd"


def _too_many_controls(controls: int, size: int) -> bool:
    return controls > max(_CONTROL_ALLOWANCE, MAX_CONTROL_SHARE * size)


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    return _too_many_controls(sum(1 for ch in sample if _is_control(ch)), len(sample))


def _control_table() -> dict[int, str]:
    table = {i: " " for i in [*range(32), 0x7F] if chr(i) not in "\t\n\r\f\v"}
    # UTF-16 punctuation that lost its high byte 0x20 on the way ("it\x19s", "2005\x132006")
    table.update({0x13: "\u2013", 0x14: "\u2014", 0x18: "\u2018", 0x19: "\u2019", 0x1C: "\u201c",
                  0x1D: "\u201d"})
    for i in range(0x80, 0xA0):  # C1 controls are cp1252 punctuation read as Latin-1 ("\x92" = ’)
        try:
            table[i] = bytes([i]).decode("cp1252")
        except UnicodeDecodeError:
            table[i] = " "
    return table


_CONTROLS = _control_table()


def scrub_controls(text: str) -> str:
    """``text`` with its stray control characters replaced, one character for one.

    A control that stands for lost punctuation gets that punctuation back (see
    ``_control_table``); any other (NUL, bell, escape, DEL) becomes a space. Lengths stay equal,
    so offsets into the result are offsets into ``text``: the body is built from the scrubbed
    text, and ``Document.raw`` keeps the input as decoded, controls and all.
    """
    return text.translate(_CONTROLS)


_TEXT_SUFFIXES = {".txt", ".text"}
_HTML_STRUCTURE = re.compile(r"<(html|head|body)\b[^<>]{0,2000}>", re.I)
_HTML_STRUCTURE_END = re.compile(r"</(?:html|head|body)\s*>", re.I)


def _html_structure(head: str) -> bool:
    """A page's skeleton: two of <html>, <head>, <body> opened, and one of them closed."""
    opened = {m.group(1).lower() for m in _HTML_STRUCTURE.finditer(head)}
    return len(opened) >= 2 and _HTML_STRUCTURE_END.search(head) is not None


def _is_html(text: str, suffix: str) -> bool:
    """Decide by content: a document start tag, or enough markup; the extension breaks ties.

    A file named as text (.txt) is text unless it is plainly an HTML document: prose about
    markup ("wrap it in <b> or <span>") must not be parsed as a page and lose its words.
    """
    head = text[:65536]
    if _HTML_START.match(head):
        return True
    if suffix in _TEXT_SUFFIXES:
        return _html_structure(head)
    if _html_structure(head):
        return True
    tags = _HTML_TAG.findall(head)
    if suffix in _HTML_SUFFIXES and tags:
        return True
    closing = sum(1 for t in tags if t.startswith("</"))
    if len(tags) >= 5 and closing >= 2:  # a fragment of markup closes what it opens; prose does not
        lines = max(1, head.count("\n"))
        return len(tags) / lines >= 0.2 or sum(map(len, tags)) / len(head) >= 0.02
    return False


def _display_name(path: str) -> str:
    """A file name fit for a one-line message: no line breaks, long names cut in the middle."""
    name = path.replace("\r", "\\r").replace("\n", "\\n").replace("\x00", "\\0")
    return name if len(name) <= 120 else f"{name[:70]}...{name[-30:]}"


def _not_regular(mode: int) -> str | None:
    """What a file that is not a regular file is (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _stat_error(name: str, path: str, exc: OSError) -> UnspinError:
    if exc.errno == errno.ELOOP:
        return UnspinError(f"{name}: symbolic link loop (too many levels of symbolic links)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UnspinError(f"{name}: permission denied")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG, errno.EINVAL, None):
        hint = ""
        if "\n" in path or len(path) > 255:
            hint = " (this looks like text, not a path: pass Document.from_text(text) to compare text)"
        return UnspinError(f"{name}: no such file{hint}")
    return UnspinError(f"{name}: cannot read the file ({exc.strerror or exc})")


def _check_kind(name: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise UnspinError(f"{name}: is a directory, not a file")
    what = _not_regular(mode)
    if what is not None:
        raise UnspinError(f"{name}: is {what}, not a regular file")


def _read_bytes(path: str, name: str) -> bytes:
    """The file's bytes: only a regular file of at most MAX_BYTES is opened and read.

    A named pipe with no writer would block ``open`` for ever and a device like /dev/zero never
    ends, so the file's kind is checked before it is opened, and again on the open descriptor
    (opened non-blocking, in case the path changed in between).
    """
    if "\x00" in path:
        raise UnspinError(f"{name}: no such file")
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _stat_error(name, path, exc) from None
    _check_kind(name, st.st_mode)
    if st.st_size > MAX_BYTES:
        raise UnspinError(f"{name}: file is too large ({st.st_size / 2**20:.1f} MB; the limit is "
                          f"{MAX_BYTES / 2**20:.0f} MB)")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _stat_error(name, path, exc) from None
    try:
        _check_kind(name, os.fstat(fd).st_mode)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise UnspinError(f"{name}: permission denied") from None
    except OSError as exc:
        raise UnspinError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:  # the file grew after stat()
        raise UnspinError(f"{name}: file is too large (the limit is {MAX_BYTES / 2**20:.0f} MB)")
    return data


_LEAD_JUNK = b" \t\r\n\f\v\x00"


def _check_binary(data: bytes, name: str, suffix: str) -> None:
    """Refuse PDF and other binary formats by signature (after any BOM and leading whitespace)."""
    head = data[:1024]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip(_LEAD_JUNK)
    if head.startswith(b"%PDF") or suffix == ".pdf":
        raise UnspinError(f"{name}: looks like a PDF file (a binary file, not text or HTML); save the "
                          "article as text or HTML first")
    if data.startswith(_BINARY_MAGIC) or head.startswith(_BINARY_MAGIC):
        raise UnspinError(f"{name}: looks like a binary file, not text or HTML")


def read_input(path: str | PathLike) -> tuple[str, str]:
    """Read a file and tell HTML from text: returns ``(text, "html" | "text")``."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str | PathLike):
        raise TypeError(f"expected a file path or a Document, not {type(path).__name__}")
    spath = os.fspath(path)
    if isinstance(spath, bytes):
        spath = os.fsdecode(spath)
    name = _display_name(spath)
    suffix = Path(spath).suffix.lower() if "\x00" not in spath else ""
    data = _read_bytes(spath, name)
    if not data.strip():
        raise UnspinError(f"{name}: file is empty")
    _check_binary(data, name, suffix)
    text = _decode(data, name)
    if _looks_binary(text):
        raise UnspinError(f"{name}: looks like a binary file, not text or HTML")
    if not text.strip():
        raise UnspinError(f"{name}: file is empty")
    return text, ("html" if _is_html(text, suffix) else "text")


def load(path: str | PathLike) -> Document:
    """Read ``path`` (HTML, a scraped page's text, or a clean article) into a Document."""
    raw, kind = read_input(path)
    return extract(raw, kind, path=str(path))


def extract(raw: str, kind: str, path: str | None = None, metadata: bool = True) -> Document:
    """Extract the article from ``raw``; ``kind`` is "html" or "text" (see ``read_input``).
    ``metadata=False`` skips the page's title, authors, date and tags (about 40% of the time
    of an HTML page), for a crawl scan that takes the date from the capture."""
    name = _display_name(path) if path else "input"
    if not raw or not raw.strip():
        raise UnspinError(f"{name}: input is empty")
    if kind == "html":
        return _extract_html(raw, name, path, metadata)
    if kind == "text":
        doc = extract_text(raw, name)
        doc.path = path
        return doc
    raise ValueError(f"unknown input kind: {kind!r}")


# ---------------------------------------------------------------------------------------------
# building documents


INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Format characters that show nothing: soft hyphen, zero-width space, non-joiner and joiner, word
joiner, zero-width no-break space. Inside a word ("Bid\u200ben") they would split it for
matching, so the body leaves them out; the source map skips them, so every body character still
maps to the input character it is."""
_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def drop_invisible(text: str) -> str:
    """``text`` without its invisible format characters (see ``INVISIBLE``)."""
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def _visible_pieces(line: str, at: int | None) -> list[tuple[str, int | None]]:
    """The pieces of ``line`` (at input offset ``at``) between its invisible characters, with their
    input offsets, trimmed of the whitespace the removal leaves at either end."""
    if not _INVISIBLE.search(line):
        return [(line, at)]
    pieces = [(t, None if at is None else at + o) for t, o in _visible_pieces_raw(line, 0)]
    while pieces and not pieces[0][0].strip():
        pieces.pop(0)
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if pieces:
        first, first_at = pieces[0]
        cut = len(first) - len(first.lstrip())
        pieces[0] = (first[cut:], None if first_at is None else first_at + cut)
        last, last_at = pieces[-1]
        pieces[-1] = (last.rstrip(), last_at)
    return pieces


def _visible_pieces_raw(text: str, at: int) -> list[tuple[str, int]]:
    """The pieces of ``text`` (at input offset ``at``) between its invisible characters."""
    out, pos = [], 0
    for m in _INVISIBLE.finditer(f"{text}\u200b"):  # the sentinel closes the last piece
        if m.start() > pos:
            out.append((text[pos:m.start()], at + pos))
        pos = m.end()
    return out


def _build(paragraphs: list[Paragraph], raw: str, **meta) -> Document:
    """Join paragraphs into a Document: blank line between paragraphs, newline between their lines.

    Invisible format characters are left out of the body (see ``INVISIBLE``); the source map
    runs skip them, so it stays true.
    """
    parts: list[str] = []
    bounds: list[tuple[int, int]] = []
    runs: list[tuple[int, int, int]] = []
    pos = 0
    for para in paragraphs:
        lines = [pieces for line, at in para if (pieces := _visible_pieces(line, at))]
        if not lines:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        start = pos
        for j, pieces in enumerate(lines):
            if j:
                parts.append("\n")
                pos += 1
            for piece, at in pieces:
                if at is not None and piece:
                    runs.append((pos, at, len(piece)))
                parts.append(piece)
                pos += len(piece)
        bounds.append((start, pos))
    text = "".join(parts)
    spans = [Span(a, b, text[a:b]) for a, b in bounds]
    for key in ("title", "site_name"):
        if meta.get(key):
            meta[key] = drop_invisible(meta[key])
    for key in ("authors", "tags"):
        if meta.get(key):
            meta[key] = [drop_invisible(v) for v in meta[key]]
    return Document(text=text, paragraphs=spans, raw=raw, source_map=runs, **meta)


def document_from_plain_text(text: str, **meta) -> Document:
    """A clean plain article: paragraphs are blank-line blocks; without blank lines, each line is
    one, except that a line continuing a hard-wrapped sentence joins the line before it."""
    if not text or not text.strip():
        raise UnspinError(f"{_display_name(meta.get('path') or 'text')}: input is empty")
    lines = _lines(scrub_controls(text))
    any_blank = any(ln.blank_before for ln in lines[1:])
    width = None if any_blank else _wrap_width(lines)
    paragraphs: list[Paragraph] = []
    for i, ln in enumerate(lines):
        if any_blank:
            new = not paragraphs or ln.blank_before
        else:
            new = not paragraphs or not _continues(lines[i - 1], ln, width)
        if new:
            paragraphs.append([])
        paragraphs[-1].append((ln.text, ln.start))
    meta.setdefault("input_format", "text")
    doc = _build(paragraphs, text, **meta)
    if not doc.paragraphs:  # nothing but invisible characters
        raise UnspinError(f"{_display_name(meta.get('path') or 'text')}: input is empty")
    return doc


# ---------------------------------------------------------------------------------------------
# lines of a plain text

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_END_PUNCT = re.compile(r"""[.!?\u2026\u3002\uff01\uff1f:;]['"\u2019\u201d\u00bb)\]*]*$""")
_SENT_PUNCT = re.compile(r"""[.!?\u3002\uff01\uff1f]['"\u2019\u201d)\]]*(?:\s|$)""")
_BULLET = re.compile(r"^(?:[-*\u2022\u00b7\u25aa\u25cf\u2023\u203a\u00bb>]|\d{1,2}[.)])\s+")


@dataclass
class _Line:
    start: int
    end: int
    text: str
    blank_before: bool = False
    words: int = 0
    size: float = 0.0  # length in words, counting East Asian characters at two a word
    end_punct: bool = False
    sentences: int = 0
    bullet: bool = False


_RUN_ON_TAIL = re.compile(r"(?:[,(/&\u2013\u2014]|\s[-+])$")
_LEADING_OPENERS = "\"'\u2018\u201c([\u00ab"


def _wrap_width(lines: list[_Line]) -> int | None:
    """The column a text was hard-wrapped at, if its lines show one.

    Lines filled up to a fixed width (a mail, a plain-text export, a corpus file) end within a
    word's length of the longest line; most lines of such a text do. Texts whose lines are
    whole paragraphs are far more ragged, and longer.
    """
    lengths = [len(ln.text) for ln in lines]
    if len(lengths) < 4:
        return None
    width = max(lengths)
    if not 30 <= width <= 150:
        return None
    full = sum(1 for n in lengths if n >= width - 15)
    return width if full >= 3 and full * 2 >= len(lengths) else None


def soft_wrap(before: str, after: str) -> bool:
    """Whether a line break between lines ``before`` and ``after`` falls inside a sentence.

    It does when ``before`` has no sentence end and ``after`` is no list item, and either
    ``after`` starts in lower case or ``before`` stops on a word or mark that no sentence
    stops on ("of", "the", a comma). Segmentation uses the same rule, so a sentence wrapped
    over lines stays one sentence.
    """
    before, after = before.strip(), after.strip()
    if not before or not after or _END_PUNCT.search(before) or _BULLET.match(after):
        return False
    return _lower_start(after) or _run_on(before)


def _continues(prev: _Line, ln: _Line, width: int | None = None) -> bool:
    """Whether ``ln`` carries on the sentence of ``prev``: the break between them is a soft wrap
    (see ``soft_wrap``), or the text is wrapped at ``width`` and the first word of ``ln``
    would not have fitted on ``prev``."""
    if ln.blank_before or ln.bullet or prev.end_punct:
        return False
    if soft_wrap(prev.text, ln.text):
        return True
    return width is not None and len(prev.text) + 1 + len(ln.text.split(None, 1)[0]) > width


def _lower_start(text: str) -> bool:
    return text.lstrip(_LEADING_OPENERS)[:1].islower()


def _run_on(text: str) -> bool:
    """Whether a line stops on a word or mark that no sentence stops on ("of", "the", a comma)."""
    return text.rsplit(None, 1)[-1].lower() in _RUN_ON_WORDS or _RUN_ON_TAIL.search(text) is not None


def _lines(raw: str) -> list[_Line]:
    """Non-blank lines, stripped, with their input offsets; CR, LF and CRLF all end a line."""
    out: list[_Line] = []
    prev_end = 0
    for m in re.finditer(r"[^\r\n]+", raw):
        seg = m.group()
        stripped = seg.strip()
        if not stripped:
            continue
        start = m.start() + len(seg) - len(seg.lstrip())
        gap = raw[prev_end:start]
        breaks = gap.count("\n") + gap.count("\r") - gap.count("\r\n")
        ln = _Line(start, start + len(stripped), stripped, blank_before=bool(out) and breaks >= 2)
        ln.words = len(_WORD.findall(stripped))
        ln.size = ln.words + len(_CJK.findall(stripped)) / 2.0
        ln.end_punct = bool(_END_PUNCT.search(stripped))
        ln.sentences = len(_SENT_PUNCT.findall(stripped))
        ln.bullet = bool(_BULLET.match(stripped))
        out.append(ln)
        prev_end = ln.end
    return out


# ---------------------------------------------------------------------------------------------
# scraped page text: strip the site's clutter around the article
#
# The page is cut into units (lines, a hard-wrapped line joined to the one it continues). Each
# unit is classified (prose, short sentence, heading, list item, short nav line, or clutter such
# as a breadcrumb, date line, share bar, counter, tag list, author bio) and scored by how much it
# looks like running prose. Section markers (Related, Most read, Comments, a date line ...) cut
# the page into sections; in each, the best-scoring contiguous stretch (maximum subarray, with
# long non-prose runs costing more per line) is a candidate, and the best candidate is the
# article, with threads of comments discounted. Clutter inside it is dropped. All cues are
# shapes (length, sentence punctuation, list shape, position, repetition) and the generic
# vocabulary of page furniture (share, related, copyright), never words of a particular site.

_SEP = re.compile(r"\s(?:>|\u203a|\u00bb|/|\|)\s")
_COUNTER = re.compile(r"\(\s*(?!(?:19|20)\d\d\s*\))\d[\d.,]*\s*[kKmM]?\s*\)")  # "(17446)", not "(2024)"
_NUMBER = re.compile(r"(?<![\w.])\d[\d.,]*[kKmM]?(?![\w])")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NAME = r"(?:[A-Z][\w'\u2019.-]*\s+){1,3}[A-Z][\w'\u2019-]+"
_LONE_NAME = re.compile(r"^[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019.-]*){1,3}$")
_BIO = re.compile(rf"^{_BIO_LEAD}?({_NAME})" + _BIO_AFTER_NAME)
_BIO_NAME = re.compile(rf"^{_BIO_LEAD}({_NAME})", re.I)
_QUOTE_MARKS = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
_PURE_NUMBER = re.compile(r"[\d.,]+[kKmM]?")

# clutter that never occurs in a clean article: one such line is enough to call the text a page
# (an address starts where a run of address characters starts: trying every position inside a
# long run, each scanning to its end, would take quadratic time on a 500,000-letter "word")
CONTACT = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|\b0\d{3}\s?\d{3}\s?\d{3,4}\b|\+\d[\d\s]{8,}\d")
_STRONG_CLUTTER = {"copyright", "breadcrumb", "tags", "date", "counter", "cookies", "reading-time"}
_WEIGHT = {"clutter": -8.0, "bullet": -3.0, "heading": -2.0, "short": -1.5}


@dataclass
class _Unit:
    lines: list[_Line]
    text: str
    size: float
    words: int
    end_punct: bool
    sentences: int
    bullet: bool
    kind: str = ""  # prose / sentence / heading / bullet / short / clutter
    why: str = ""  # the kind of clutter, or "teaser"


def _units(lines: list[_Line]) -> list[_Unit]:
    """Lines, with a hard-wrapped line joined to the one it continues (see ``_continues``)."""
    groups: list[list[_Line]] = []
    group_words = 0  # words in groups[-1], kept as a running sum (a sum per line is quadratic)
    width = _wrap_width(lines)
    for ln in lines:
        # a short line on its own (a menu item, a label) is page furniture more often than the
        # start of a wrapped sentence
        prev = groups[-1][-1] if groups else None
        if prev and _continues(prev, ln, width) and (
                group_words >= 5 or _run_on(prev.text) and _lower_start(ln.text)):
            groups[-1].append(ln)
            group_words += ln.words
        else:
            groups.append([ln])
            group_words = ln.words
    units = []
    for g in groups:
        units.append(_Unit(g, " ".join(ln.text for ln in g), sum(ln.size for ln in g),
                           sum(ln.words for ln in g), g[-1].end_punct, sum(ln.sentences for ln in g),
                           g[0].bullet))
    for u in units:
        _classify(u)
    return units


def _is_date_line(u: _Unit) -> bool:
    if u.words > 12 or not (_FULL_DATE.search(u.text) or _CLOCK.search(u.text)):
        return False
    rest = _DATE_WORDS.sub(" ", _DATE_TOKEN.sub(" ", u.text))
    return len(_WORD.findall(rest)) <= 1


def _bio_name(u: _Unit) -> str | None:
    """The person an author-bio line is about, if the line is one."""
    if not 10 <= u.words <= 90 or _QUOTE_MARKS.search(u.text) or _SAID.search(u.text):
        return None
    m = _BIO.match(u.text)
    if not m or not _BIO_ROLE.search(u.text):
        return None
    return m.group(1).strip()


def _clutter_kind(u: _Unit) -> str:
    t, size = u.text, u.size
    rules = [
        ("copyright", lambda: size <= 40 and _COPYRIGHT.search(t)),
        ("breadcrumb", lambda: _BREADCRUMB.match(t) or (size <= 30 and not u.end_punct
                                                        and len(_SEP.findall(t)) >= 2)),
        ("tags", lambda: _TAG_LABEL.match(t)),
        ("label", lambda: size <= 14 and _LABEL.match(t)),
        ("date", lambda: _is_date_line(u)),
        ("counter", lambda: (size <= 10 and _COUNTER.search(t))
         or (size <= 16 and len(_NUMBER.findall(t)) >= 2 and _WIDGET.search(t))),
        ("share", lambda: (size <= 14 and u.sentences <= 1 and len(_WIDGET.findall(t)) >= 2)
         or (size <= 3 and not u.end_punct and _WIDGET.search(t))),
        ("cookies", lambda: size <= 120 and _COOKIES.search(t)),
        ("furniture", lambda: size <= 6 and _FURNITURE.match(t)),
        ("reading-time", lambda: size <= 8 and _READ_TIME.search(t) and _READ_WORD.search(t)),
        ("bio", lambda: _bio_name(u) or (size <= 30 and _ABOUT.match(t))),
        # a tip-line appeal ("Got a story? Ring the newsdesk on 0800 ..."), not a police appeal
        ("tipline", lambda: size <= 40 and CONTACT.search(t) is not None and _TIPLINE.search(t) is not None),
        # a site's bracketed remark on the copy it reposts ("[Reproduced with thanks ...]")
        ("note", lambda: size <= 30 and re.fullmatch(r"\[[^\[\]]+\]", t.strip()) is not None),
    ]
    for kind, test in rules:
        if test():
            return kind
    return ""


def _classify(u: _Unit) -> None:
    clutter = _clutter_kind(u)
    if clutter:
        u.kind, u.why = "clutter", clutter
    elif u.size >= 25 or (u.size >= 10 and (u.end_punct or u.sentences >= 1)):
        u.kind = "prose"
    elif u.bullet:
        u.kind = "bullet"
    elif u.end_punct and u.words >= 3:
        u.kind = "sentence"
    else:
        u.kind = "heading" if u.size >= 3 else "short"


def _score(u: _Unit) -> float:
    if u.kind == "prose":
        return u.size
    if u.kind == "sentence":
        return 0.5 * u.size
    return _WEIGHT[u.kind]


def _gap_scores(scores: list[float], growth: float = 0.25) -> list[float]:
    """Make long runs of non-prose cost more per line: a nav menu is a wall, a caption a step."""
    out, k = [], 0
    for s in scores:
        if s <= 0:
            out.append(s * (1 + growth * k))
            k += 1
        else:
            out.append(s)
            k = 0
    return out


def _best_region(scores: list[float]) -> tuple[int, int]:
    """Maximum-sum contiguous stretch (Kadane); (start, end) with end exclusive."""
    best, best_span = float("-inf"), (0, 0)
    run, run_start = 0.0, 0
    for i, s in enumerate(_gap_scores(scores)):
        if run <= 0:
            run, run_start = s, i
        else:
            run += s
        if run > best:
            best, best_span = run, (run_start, i + 1)
    return best_span


def _mark_teasers(units: list[_Unit]) -> None:
    """Runs of same-length excerpts (a list of story teasers) are not an article."""
    groups: list[list[int]] = []
    for i, u in enumerate(units):
        if u.kind != "prose":
            continue
        if groups and i - groups[-1][-1] <= 3:
            groups[-1].append(i)
        else:
            groups.append([i])
    for g in groups:
        start = 0
        while start < len(g):
            end = start + 1
            while end < len(g):
                window = g[start:end + 1]
                words = [units[i].size for i in window]
                chars = [len(units[i].text) for i in window]
                if max(words) > 1.15 * min(words) and max(chars) > 1.1 * min(chars):
                    break
                end += 1
            window = g[start:end]
            alternating = all(i == 0 or units[i - 1].kind != "prose" for i in window)
            if len(window) >= 6 or (len(window) >= 4 and alternating):
                for i in window:
                    units[i].kind, units[i].why = "heading", "teaser"
            start = end


def _is_section_marker(units: list[_Unit], i: int) -> bool:
    u = units[i]
    marker = ((u.size <= 10 and (_END_MARKER.match(u.text) or _MORE_FROM.match(u.text)))
              or (u.size <= 16 and _COMMENT_HEAD.match(u.text))
              or (u.why == "date" and _FULL_DATE.search(u.text) and not u.text.startswith("("))
              or u.why == "tags")
    if not marker:
        return False

    def widget(j: int) -> bool:  # "Comments" in a row of share buttons is a button, not a heading
        if not 0 <= j < len(units):
            return False
        v = units[j]
        return (v.why == "share" and not _COMMENTISH.search(v.text)) or bool(_PURE_NUMBER.fullmatch(v.text))

    return not widget(i - 1) and not widget(i + 1)


def _article_region(units: list[_Unit]) -> tuple[int, int]:
    """The best prose stretch that crosses no section marker.

    Sections that read as a comment thread (opened by a comments marker and holding reply
    headers or timestamps) are discounted: a lively thread can outweigh a short article but
    is never the article.
    """
    scores = [_score(u) for u in units]
    cuts = [0, *(i for i in range(1, len(units)) if _is_section_marker(units, i)), len(units)]
    best, best_span = float("-inf"), (0, 0)
    in_comments = False
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        if hi <= lo:
            continue
        a, b = _best_region(scores[lo:hi])
        a, b = a + lo, b + lo
        value = sum(_gap_scores(scores[a:b]))
        opener = units[lo].text if lo else ""
        heads = sum(1 for u in units[lo:hi] if _COMMENT_HEAD.match(u.text))
        meta = sum(1 for u in units[lo + 1:hi]
                   if u.size <= 16 and (_COMMENT_HEAD.match(u.text) or _COMMENT_META.search(u.text)))
        if _COMMENT_HEAD.match(opener) or heads >= 3:
            in_comments = True
        elif opener and _COMMENTISH.search(opener):
            in_comments = in_comments or meta >= 2
        elif opener:
            in_comments = False
        if in_comments:
            value *= 0.1
        if value > best:
            best, best_span = value, (a, b)
    return best_span


def _has_clutter(units: list[_Unit]) -> bool:
    """Does the text carry page furniture at all? A clean article must come through untouched."""
    kinds = [u.why for u in units if u.kind == "clutter"]
    if any(k in _STRONG_CLUTTER for k in kinds) or len(kinds) >= 2:
        return True
    last_prose = max((i for i, u in enumerate(units) if u.kind == "prose"), default=-1)
    if any(u.why == "bio" for u in units[last_prose:]):  # a bio after the last paragraph
        return True
    run = 0
    for u in units:  # a long run of short lines: a menu or a list of links
        if u.kind in ("bullet", "heading", "short") and not u.end_punct:
            run += 1
            if run >= 5:
                return True
        else:
            run = 0
    return False


def _norm_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _contains_words(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return 0 < n <= len(hay) and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def _authors_from_byline(text: str) -> list[str]:
    """"By Jane Roe and John Doe, Agency" -> ["Jane Roe", "John Doe"]."""
    m = _BYLINE.match(text.strip())
    if not m or len(_WORD.findall(m.group(1))) > 12:
        return []
    who = re.split(r"\s*[,|\u2022\u00b7\u2013\u2014(]\s*|\s+-\s+", m.group(1))[0]
    names = [n.strip(" .:;") for n in re.split(r"\s+(?:and|&)\s+", who)]
    return [n for n in names if n and 1 <= len(n.split()) <= 5 and not _FULL_DATE.search(n)]


def _iso_date(text: str) -> str | None:
    m = _ISO_DATE.search(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else None
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    m = re.search(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b", text, re.I)
    if m:
        month, day, year = m.group(1), m.group(2), m.group(3)
    else:
        m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+((?:19|20)\d{{2}})\b", text, re.I)
        if not m:
            return None
        day, month, year = m.group(1), m.group(2), m.group(3)
    if not 1 <= int(day) <= 31:
        return None
    return f"{int(year):04d}-{months.index(month[:3].lower()) + 1:02d}-{int(day):02d}"


def _find_title(units: list[_Unit], a: int) -> int | None:
    """The heading nearest the body that the page repeats (page title, breadcrumb); else the nearest."""
    cands = [i for i in range(a - 1, max(-1, a - 16), -1)
             if units[i].kind in ("heading", "sentence", "short", "prose") and 2 <= units[i].size <= 40
             and not _BYLINE.match(units[i].text)]
    for i in cands:
        w = _norm_words(units[i].text)
        for j in range(a):
            other = _norm_words(units[j].text)
            if j != i and len(w) >= 2 and len(other) > len(w) and _contains_words(other, w):
                return i
    close = [i for i in cands if i >= a - 8 and units[i].size >= 3 and units[i].kind != "prose"]
    return close[0] if close else None


def _find_tags(units: list[_Unit], a: int, b: int) -> list[str]:
    """A "Tags: a, b" line, or a "- In:" line followed by a bulleted list, outside the body."""
    for k, u in enumerate(units):
        m = _TAG_LABEL.match(u.text)
        if not m or a <= k < b:
            continue
        rest = m.group(1).strip()
        if rest:
            tags = [t.strip(" -*\u2022#") for t in re.split(r"\s*[|,;\u00b7]\s*", rest)]
        else:
            tags = []
            for v in units[k + 1:k + 30]:
                if not v.bullet or v.end_punct:
                    break
                tags.append(_BULLET.sub("", v.text).strip())
        tags = [t for t in tags if t and len(t.split()) <= 6]
        if tags:
            return tags
    return []


def _metadata(units: list[_Unit], a: int, b: int) -> tuple[dict, int | None]:
    """Title, byline, date, tags and site name from the units around the body ``units[a:b]``."""
    meta: dict = {"title": None, "authors": [], "date": None, "tags": _find_tags(units, a, b),
                  "site_name": None}
    title_i = _find_title(units, a)
    if title_i is not None:
        meta["title"] = units[title_i].text
    for u in [*units[max(0, a - 15):a], *units[a:b]]:
        names = _authors_from_byline(u.text)
        if names:
            meta["authors"] = names
            break
    if not meta["authors"]:
        for u in units[b:]:
            if u.why == "bio":
                m = _BIO_NAME.match(u.text)
                name = _bio_name(u) or (m.group(1) if m else None)
                if name:
                    meta["authors"] = [name]
                    break
    if not meta["authors"] and b < len(units) and _LONE_NAME.match(units[b].text):
        meta["authors"] = [units[b].text]
    for u in units:
        if u.why in ("date", "label"):
            meta["date"] = _iso_date(u.text)
            if meta["date"]:
                break
    for i, u in enumerate(units[:min(a, 6)]):
        if i != title_i and u.kind in ("short", "heading") and u.size <= 8 and not _BYLINE.match(u.text):
            meta["site_name"] = re.split(r"\s+[|\u2014\u2013\u00b7-]\s+", u.text)[0].strip()
            break
    return meta, title_i


def extract_text(raw: str, name: str = "input") -> Document:
    """The article in a plain text: unchanged if it is clean, else stripped of the page's clutter.

    A text longer than a comparison accepts is refused here, before the stripper, which would
    otherwise keep one article's worth of a huge text and silently drop the rest.
    """
    from unspin.segment import MAX_TEXT_CHARS

    if len(raw) > MAX_TEXT_CHARS:
        raise UnspinError(f"{name}: text is too long ({len(raw):,} characters; the limit is "
                          f"{MAX_TEXT_CHARS:,}); split it into articles")
    units = _units(_lines(scrub_controls(raw)))
    if not _has_clutter(units):
        doc = document_from_plain_text(raw)
        for u in units[:4]:
            doc.authors = [drop_invisible(a) for a in _authors_from_byline(u.text)]
            if doc.authors:
                break
        return doc
    _mark_teasers(units)
    a, b = _article_region(units)
    while a < b and units[a].kind not in ("prose", "sentence"):
        a += 1
    while b > a and units[b - 1].kind not in ("prose", "sentence"):
        b -= 1
    meta, title_i = _metadata(units, a, b)
    title_words = _norm_words(meta["title"] or "")
    body = [u for u in units[a:b] if u.kind != "clutter"
            and not (u.size <= 12 and _authors_from_byline(u.text))
            and not (title_words and _norm_words(u.text) == title_words)]
    if not body:  # nothing reads as an article: better the whole text than nothing
        return document_from_plain_text(raw)
    paragraphs = [[(ln.text, ln.start) for ln in u.lines] for u in body]
    doc = _build(paragraphs, raw, input_format="text", **meta)
    return doc if doc.paragraphs else document_from_plain_text(raw)


# ---------------------------------------------------------------------------------------------
# HTML

_INLINE_TAGS = frozenset(
    ["a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
     "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
     "wbr"])
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|noscript|template|svg|head)\b[^>]*>.*?(?:</\1\s*>|\Z)|"
    r"<!?/?([A-Za-z][\w:-]*)?[^>]*>|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?|(\s+)|"
    r"[^<&\s]+(?: [^<&\s]+)*|[<&]", re.S)  # words joined by single spaces form one exact piece
# After the last ">" no tag can close, so there the tag alternatives are left out: tried at each
# of many "<" with no ">" after them, each would scan to the end of the input (quadratic time).
_HTML_TOKEN_TAIL = re.compile(
    r"<!--.*?(?:-->|\Z)|(?!)()()|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?|(\s+)|"
    r"[^<&\s]+(?: [^<&\s]+)*|[<&]", re.S)  # the same groups: 1 and 2 never match, 3 is whitespace


def _html_tokens(raw: str):
    """``(token, start, script_name, tag_name, whitespace)`` for each token of ``raw`` (see
    ``_HTML_TOKEN``), in linear time."""
    last = raw.rfind(">") + 1
    pos = 0
    for m in _HTML_TOKEN.finditer(raw, 0, last):
        tok = m.group()
        if m.end() == last and last < len(raw) and (
                (tok.startswith("<!--") and not tok.endswith("-->"))
                or (m.group(1) and not re.search(rf"</{m.group(1)}\s*>\Z", tok))):
            # a comment or script left open runs to the end of the input, past the last ">"
            yield raw[m.start():], m.start(), m.group(1), m.group(2), m.group(3)
            return
        yield tok, m.start(), m.group(1), m.group(2), m.group(3)
        pos = m.end()
    for m in _HTML_TOKEN_TAIL.finditer(raw, pos):
        yield m.group(), m.start(), None, None, m.group(3)


class HtmlView:
    """The visible text of an HTML page with whitespace collapsed, and where each piece came from.

    Tags vanish (block tags leave a space), entities are decoded, script/style bodies are
    skipped and invisible format characters (see ``INVISIBLE``) dropped, so extracted paragraphs
    can be found in it and mapped back to input offsets. ``breaks`` are the view offsets of block
    tags, where a flat reading of the page starts a new paragraph.
    """

    def __init__(self, raw: str) -> None:
        parts: list[str] = []
        self.pieces: list[tuple[int, int, int, bool]] = []  # (view_start, raw_start, length, exact)
        self.breaks: list[int] = []
        pos = 0
        last_space = True

        def add(text: str, raw_start: int, exact: bool) -> None:
            nonlocal pos, last_space
            if last_space and text[:1] == " ":  # a space left by a dropped invisible character
                text, raw_start = text[1:], raw_start + 1
            if not text:
                return
            parts.append(text)
            self.pieces.append((pos, raw_start, len(text), exact))
            pos += len(text)
            last_space = text[-1] == " "

        for tok, at, script, name, space in _html_tokens(raw):
            if tok[0] == "<" and len(tok) > 1:
                block = script or tok.startswith("<!") or (name or "").lower() not in _INLINE_TAGS
                if block and not last_space:
                    add(" ", at, False)
                if script or (name and name.lower() not in _INLINE_TAGS):
                    self.breaks.append(pos)
            elif space is not None:  # whitespace
                if not last_space:
                    add(" ", at, tok[0] == " ")
            elif tok[0] == "&" and len(tok) > 1:
                text = htmllib.unescape(tok)
                if text == tok:
                    add(tok, at, True)
                elif text.isspace():
                    if not last_space:
                        add(" ", at, False)
                else:
                    text = drop_invisible(text)
                    if text:
                        add(text, at, False)
            elif _INVISIBLE.search(tok):
                for piece, piece_at in _visible_pieces_raw(tok, at):
                    add(piece, piece_at, True)
            else:
                add(tok, at, True)
        self.text = "".join(parts)
        self.starts = [p[0] for p in self.pieces]

    def runs(self, view_start: int, length: int, body_start: int) -> list[tuple[int, int, int]]:
        """Source-map runs for view text [view_start, view_start+length) placed at body_start."""
        out: list[tuple[int, int, int]] = []
        i = max(0, bisect.bisect_right(self.starts, view_start) - 1)
        end = view_start + length
        while i < len(self.pieces) and self.pieces[i][0] < end:
            vs, rs, n, exact = self.pieces[i]
            i += 1
            if not exact or vs + n <= view_start:
                continue
            a, b = max(vs, view_start), min(vs + n, end)
            run = (body_start + a - view_start, rs + a - vs, b - a)
            if out and out[-1][0] + out[-1][2] == run[0] and out[-1][1] + out[-1][2] == run[1]:
                out[-1] = (out[-1][0], out[-1][1], out[-1][2] + run[2])
            else:
                out.append(run)
        return out


def _locate(view: HtmlView, para: str, body_start: int,
            cursor: int) -> tuple[list[tuple[int, int, int]], int]:
    """Runs mapping paragraph ``para`` (at body_start) into the input, and the view offset after it.

    Paragraphs are searched in reading order; one not found whole is mapped sentence by
    sentence, and whatever cannot be found stays unmapped.
    """
    at = view.text.find(para, cursor)
    if at < 0:
        at = view.text.find(para)
    if at >= 0:
        return view.runs(at, len(para), body_start), max(cursor, at + len(para))
    out: list[tuple[int, int, int]] = []
    for m in re.finditer(r"[^.!?]+[.!?]*['\"\u2019\u201d)]*", para):
        chunk = m.group().strip()
        if len(chunk) < 12:
            continue
        offset = m.start() + len(m.group()) - len(m.group().lstrip())
        if chunk.startswith("- "):
            chunk, offset = chunk[2:], offset + 2
        found = view.text.find(chunk, cursor)
        if found < 0:
            found = view.text.find(chunk)
        if found >= 0:
            out.extend(view.runs(found, len(chunk), body_start + offset))
            cursor = max(cursor, found + len(chunk))
    return out, cursor


def _split_list(value) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value] if value else []
    out: list[str] = []
    for item in items:
        for part in re.split(r"\s*[,;|]\s*", str(item)):
            if part.strip() and part.strip().lower() not in {p.lower() for p in out}:
                out.append(part.strip())
    return out


def _paragraphs_from_lxml(raw: str) -> list[str]:
    """Last resort: the text of every <p> that reads like a sentence."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(raw)
    except Exception:  # lxml raises several parser error types on broken input
        return []
    for bad in root.xpath("//script|//style|//noscript|//nav|//footer|//header|//aside|//form"):
        bad.drop_tree()
    paras = []
    for p in root.iter("p"):
        text = " ".join(p.text_content().split())
        if len(_WORD.findall(text)) >= MIN_ARTICLE_WORDS and _SENT_PUNCT.search(text + " "):
            paras.append(text)
    return paras


def _has_article(paragraphs: list[str]) -> bool:
    return any(len(_WORD.findall(p)) >= MIN_ARTICLE_WORDS for p in paragraphs)


def _drop_title(paragraphs: list[str], title: str | None) -> list[str]:
    """Remove the headline (and a kicker line above it) from the top of the body: it is metadata."""
    words = _norm_words(title or "")
    if not words:
        return paragraphs
    for i, p in enumerate(paragraphs[:4]):
        if _norm_words(p) == words:
            lead = paragraphs[:i]
            if not any(_has_article([q]) or _SENT_PUNCT.search(q + " ") for q in lead):
                lead = []  # a kicker ("Infrastructure") above the headline goes with it
            return lead + paragraphs[i + 1:]
    return paragraphs


def _too_deep(raw: str) -> bool:
    """Whether libxml2 gives up on the page's nesting (it stops at 256 levels, so trafilatura and
    lxml see only the part of the page above the limit and silently lose the rest)."""
    if raw.count("<") < 256:  # fewer tags than the limit: nothing to check
        return False
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(collect_ids=False, encoding="utf-8")
    with contextlib.suppress(Exception):  # lxml raises several parser error types on broken input
        lxml.html.document_fromstring(raw.encode("utf-8", errors="replace"), parser=parser)
    limit = lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT
    return any(e.type == limit or "Excessive depth" in e.message for e in parser.error_log)


def _flat_paragraphs(view: HtmlView) -> list[str]:
    """The page's visible text cut at its block tags: every non-empty block a paragraph."""
    out: list[str] = []
    prev = 0
    for b in [*view.breaks, len(view.text)]:
        if b > prev:
            para = " ".join(view.text[prev:b].split())
            if para:
                out.append(para)
            prev = b
    return out


MAX_HTML_ELEMENTS = 200_000
"""Most start tags an HTML input may hold. A long article page has a few thousand; the parse
trees behind extraction cost about 1 KB and 50 microseconds per element, so five megabytes of
bare tags (a million elements) would take a minute and a gigabyte to find nothing."""
_START_TAG = re.compile(r"<[A-Za-z]")


_DOC_END = re.compile(r"</(?:html|body)\s*>", re.I)


def _blank_early_ends(text: str) -> str:
    """Blank ``</body>`` and ``</html>`` tags that have markup after them: pages glued after a
    first document are shown by browsers, but the parser would drop everything after its end."""
    first = _DOC_END.search(text)
    if first is None or not _DOC_END.sub("", text[first.end():]).strip():
        return text
    return _DOC_END.sub(lambda m: " " * len(m.group()), text)


def _extract_html(raw: str, name: str, path: str | None, metadata: bool = True) -> Document:
    import trafilatura

    elements = len(_START_TAG.findall(raw))
    if elements > MAX_HTML_ELEMENTS:
        raise UnspinError(f"{name}: too many HTML elements for an article page ({elements:,}; the limit is "
                          f"{MAX_HTML_ELEMENTS:,})")
    text_in = _blank_early_ends(scrub_controls(raw))  # same length as raw: offsets stay input offsets
    meta: dict = {}
    paragraphs: list[str] = []
    try:
        result = trafilatura.bare_extraction(text_in, include_comments=False, with_metadata=metadata)
    except Exception:  # trafilatura can fail on pathological markup; the fallbacks below still apply
        result = None
    if result is not None:
        paragraphs = [p for p in (result.text or "").split("\n") if p.strip()]
        tags = _split_list(result.tags)
        seen = {t.lower() for t in tags}
        meta = {
            "title": (result.title or "").strip() or None,
            "authors": [a.strip() for a in re.split(r"\s*;\s*", result.author or "") if a.strip()],
            "date": result.date or None,
            "tags": tags + [c for c in _split_list(result.categories) if c.lower() not in seen],
            "site_name": (result.sitename or "").strip() or None,
            "url": result.url or None,
        }
    for key in ("title", "site_name"):
        if meta.get(key):
            meta[key] = drop_invisible(meta[key]).strip() or None
    for key in ("authors", "tags"):
        if meta.get(key):
            meta[key] = [v for v in (drop_invisible(v).strip() for v in meta[key]) if v]
    view = None
    if _too_deep(text_in):
        # The parser stopped at its nesting limit, so everything extracted from its tree lacks
        # the text nested deeper: read the page flat instead, every block a paragraph.
        view = HtmlView(text_in)
        paragraphs = _flat_paragraphs(view)
    elif not _has_article(paragraphs):
        try:
            text = trafilatura.baseline(text_in)[1]
        except Exception:  # as above
            text = ""
        paragraphs = [p for p in text.split("\n") if p.strip()]
        if not any(_SENT_PUNCT.search(p + " ") for p in paragraphs
                   if len(_WORD.findall(p)) >= MIN_ARTICLE_WORDS):
            paragraphs = _paragraphs_from_lxml(text_in)
    paragraphs = [q for q in (" ".join(drop_invisible(p).split()) for p in paragraphs) if q]
    paragraphs = _drop_title(paragraphs, meta.get("title"))
    if not _has_article(paragraphs):
        raise UnspinError(f"{name}: no article text found in the HTML")
    if view is None:
        view = HtmlView(text_in)
    parts: list[str] = []
    spans: list[Span] = []
    runs: list[tuple[int, int, int]] = []
    pos, cursor = 0, 0
    for p in paragraphs:
        if parts:
            parts.append("\n\n")
            pos += 2
        found, cursor = _locate(view, p, pos, cursor)
        runs.extend(found)
        spans.append(Span(pos, pos + len(p), p))
        parts.append(p)
        pos += len(p)
    return Document(text="".join(parts), paragraphs=spans, raw=raw, path=path, input_format="html",
                    source_map=runs, **meta)


Document.from_text = staticmethod(document_from_plain_text)  # see Document.from_text
