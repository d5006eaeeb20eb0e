"""Read crawl and archive inputs (WARC, folders of files, JSONL) into ``Page`` records, or ``Skip``s
that say why a record is not scanned, so nothing is dropped silently and nothing crashes a scan.

A scan is cut into coarse ``Partition``s planned from file sizes alone: a folder or JSONL file is
one partition, a big WARC file several byte ranges. A byte range holds the records whose offset lies
in it; the reader finds the first real record boundary at or after ``start`` itself, so every record
is read by exactly one partition without an index of the file. The same search resumes reading
after a corrupt record, so one bad gzip member does not lose the rest of a file.

No HTML is parsed here: records only.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import stat
import zlib
from collections.abc import Generator, Iterable, Iterator, Mapping

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.limitreader import LimitReader

from unspin.corpus.types import Location, Page, Partition, Skip
from unspin.types import UnspinError

__all__ = ["MAX_PAGE_BYTES", "iter_paths", "iter_records", "plan_partitions", "read_page"]

MAX_PAGE_BYTES = 5 * 2**20  # a bigger payload is not an article page; never hold more than this

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
FOLDER_KINDS = {".html": "html", ".htm": "html", ".txt": "text", ".text": "text"}
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")

# Files a site serves as text/plain for machines, not readers.
_MACHINE_FILES = frozenset({"robots.txt", "ads.txt", "app-ads.txt", "security.txt", "humans.txt",
                            "llms.txt", "sellers.json"})
# Leading bytes of binary formats often served with a wrong (text/html) Content-Type.
_BINARY_MAGIC = (
    (b"%PDF-", "PDF"), (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG", "PNG"), (b"GIF8", "GIF"),
    (b"RIFF", "RIFF (WebP/WAV/AVI)"), (b"PK\x03\x04", "ZIP/Office"), (b"BZh", "bzip2"),
    (b"\xfd7zXZ", "xz"), (b"7z\xbc\xaf", "7-Zip"), (b"Rar!", "RAR"), (b"(\xb5/\xfd", "zstd"),
    (b"OggS", "Ogg"), (b"ID3", "MP3"), (b"fLaC", "FLAC"), (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"), (b"\xd0\xcf\x11\xe0", "OLE (doc/xls)"), (b"%!PS", "PostScript"),
    (b"\x7fELF", "ELF"), (b"\x00asm", "WebAssembly"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM"), (b"\x00\x00\x01\x00", "ICO"),
)
_MAGIC_PREFIXES = tuple(magic for magic, _ in _BINARY_MAGIC)
_FEED_MARKERS = (b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:rdf")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Labels browsers decode as a superset (WHATWG Encoding): a page declared ISO-8859-1 with curly
# quotes in 0x80-0x9F means windows-1252, and a declared ASCII page likewise.
_CHARSET_ALIASES = {
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "iso88591", "iso_8859-1", "latin1", "latin-1", "l1",
                     "cp819", "ibm819", "us-ascii", "ascii", "ansi_x3.4-1968", "windows-1252",
                     "x-cp1252", "cp1252"), "cp1252"),
    "iso-8859-9": "cp1254", "latin5": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-kr": "cp949",
    "shift_jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "utf-7": None,
}
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_GZ_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SEARCH_BLOCK = 1 << 20
_DECODABLE = frozenset(BufferedReader.get_supported_decompressors()) - {"deflate_alt"}


_ONE_MEMBER = "a gzip member holds more than one record (fix: `warcio recompress IN OUT`)"


class _Broken(Exception):
    """A WARC record that cannot be trusted (truncated, no length): read on from the next one."""


# ---------------------------------------------------------------------------------------- plan


def _input_kind(path: str) -> str:
    """The reader a path needs (folder, jsonl or warc), else an UnspinError naming the path."""
    if os.path.isdir(path):
        return "folder"
    low = path.lower()
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    raise UnspinError(f"{path}: not a folder, a JSONL file (.jsonl) or a WARC file (.warc, .warc.gz)")


MIN_PARTITIONS = 16          # cut a small crawl at least this fine, so workers stay evenly loaded
MIN_PARTITION_BYTES = 16 * 2**10


def partition_bytes(paths: Iterable[str | os.PathLike], cap: int = 64 * 2**20) -> int:
    """Byte-range size for ``plan_partitions``: ``cap``, or smaller where the WARC input is too
    small to give MIN_PARTITIONS of it. Depends on the inputs alone (never on the workers), so
    a resumed scan plans the same partitions whatever runs it."""
    total = 0
    for raw in paths:
        path = os.fspath(raw)
        if path.lower().endswith(WARC_SUFFIXES) and os.path.isfile(path):
            total += os.path.getsize(path)
    return min(cap, max(MIN_PARTITION_BYTES, total // MIN_PARTITIONS))


def plan_partitions(paths: Iterable[str | os.PathLike], target_bytes: int = 64 * 2**20) -> list[Partition]:
    """Cut inputs into coarse partitions from their sizes alone (no reading), so planning a
    crawl of many files is instant; readers find the real record boundaries. Raises UnspinError
    for the first unusable path: call it per path to skip only that one."""
    if target_bytes <= 0:
        raise ValueError("target_bytes must be positive")
    out: list[Partition] = []
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.exists(path):
            raise UnspinError(f"{path}: no such file or folder")
        kind = _input_kind(path)
        if not os.access(path, os.R_OK | (os.X_OK if kind == "folder" else 0)):
            raise UnspinError(f"{path}: permission denied")
        if kind != "warc":
            out.append(Partition(path))
            continue
        size = os.path.getsize(path)
        n = max(1, math.ceil(size / target_bytes))
        if n == 1:
            out.append(Partition(path))
        else:
            # n equal ranges, not n - 1 full ones and a remainder: a tiny last range is a task
            # that costs a scheduling round and leaves the workers unevenly loaded
            step = math.ceil(size / n)
            out.extend(Partition(path, i * step, (i + 1) * step if i < n - 1 else None)
                       for i in range(n))
    return out


def iter_records(partition: Partition) -> Iterator[Page | Skip]:
    """Every record of ``partition`` in file order, as a Page or a Skip; damaged input gives
    Skip("unreadable") records, never an exception, so one bad file cannot stop a scan."""
    kind = _input_kind(partition.file)
    if kind == "folder":
        return _iter_folder(partition.file)
    if kind == "jsonl":
        return _iter_jsonl(partition.file)
    return _iter_warc(partition)


def iter_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Page | Skip]:
    """All records of ``paths`` in one process; plans at call time, so a bad path raises here
    and not halfway through the records of the good ones."""
    parts = plan_partitions(paths)
    return (rec for part in parts for rec in iter_records(part))


def read_page(row: Mapping) -> Page:
    """The page a scan result row points at (``warc_file``/``file``, ``warc_offset``, ``key``),
    read again from its source, so result rows need not carry page bodies. UnspinError when the
    source no longer holds that page."""
    file = row.get("warc_file") or row.get("file")
    if not file:
        raise UnspinError("a result row without a file")
    where = f"{file} at {row.get('key') or row.get('warc_offset')}"
    try:
        kind = _input_kind(file)
        rec: Page | Skip | None = None
        if kind == "warc":
            off = int(row["warc_offset"])
            rec = next(iter(_iter_warc(Partition(file, off, off + 1))), None)
            if rec is not None and rec.location.offset != off:
                rec = None
        elif kind == "folder":
            rel = str(row["key"])
            full = os.path.normpath(os.path.join(file, rel))
            if os.path.relpath(full, file).startswith(".."):
                raise UnspinError(f"{where}: the key leaves the folder")
            rec = _folder_item(file, rel, full)
        else:
            off = int(row["warc_offset"])
            with open(file, "rb") as fh:
                fh.seek(off)
                line = fh.readline(_LINE_LIMIT)
            rec = _jsonl_item(line, int(row["key"]), Location(file, off, len(line), key=str(row["key"])))
    except (OSError, KeyError, TypeError, ValueError) as e:
        raise UnspinError(f"{where}: cannot read the page again ({type(e).__name__})") from None
    if not isinstance(rec, Page):
        raise UnspinError(f"{where}: no page there now" + (f" ({rec.reason}: {rec.detail})" if rec else ""))
    rid = row.get("record_id")
    if rid and rec.location.record_id != rid:
        raise UnspinError(f"{where}: the record there is {rec.location.record_id}, not {rid}")
    return rec


# ------------------------------------------------------------------------------- body checks


def _charset(content_type: str | None, body: bytes, html: bool) -> str | None:
    """The charset to decode with: a byte-order mark, else the HTTP header, else a <meta> in the
    first 2 KB of HTML, as browsers do; None (decode as UTF-8) when none names a known codec."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    label = None
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            label = m.group(1)
    if label is None and html:
        m = _META_CHARSET.search(body, 0, 2048)
        if m:
            label = m.group(1).decode("ascii", "replace")
    if not label:
        return None
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    if label is None:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _head(body: bytes) -> bytes:
    return body[:1024].lstrip(b" \t\r\n\f\xef\xbb\xbf")


def _looks_html(head: bytes) -> bool:
    low = head[:256].lower()
    return low.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<title",
                           b"<?xml")) or b"<html" in low


def _not_a_page(body: bytes, charset: str | None) -> str | None:
    """Why a body with a text-like type is no page (binary bytes, JSON, a feed), else None."""
    head = _head(body)
    if head.startswith(_MAGIC_PREFIXES):
        return next(f"{name} bytes" for magic, name in _BINARY_MAGIC if head.startswith(magic))
    if head[4:8] == b"ftyp":
        return "MP4/ISO media bytes"
    if body.count(b"\x00", 0, 1024) > 8 and not (charset or "").startswith(("utf-16", "utf-32")):
        return "binary bytes (NUL)"
    if head[:1] in (b"{", b"["):
        try:
            json.loads(body)
            return "JSON body"
        except (ValueError, UnicodeDecodeError):
            pass
    if head.startswith(b"<?xml") and any(m in head.lower() for m in _FEED_MARKERS):
        return "XML feed or sitemap"
    return None


def _textual(data: bytes) -> bool:
    """Whether raw bytes read as text, not compressed noise (control bytes are rare in text)."""
    return not any(b < 9 or 13 < b < 32 and b != 27 for b in data[:512])


def _judge(body: bytes, html: bool, content_type: str | None) -> tuple[str | None, str, str | None]:
    """(skip reason or None, detail, charset) for a body that claims to be a page."""
    if len(body) > MAX_PAGE_BYTES:
        return "too_large", f"payload over {MAX_PAGE_BYTES} bytes", None
    if not body.strip():
        return "empty", "", None
    charset = _charset(content_type, body, html)
    why = _not_a_page(body, charset)
    if why:
        return "not_html", why, None
    return None, "", charset


# --------------------------------------------------------------------------------------- WARC


def _iter_warc(part: Partition) -> Iterator[Page | Skip]:
    path = part.file
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed below; a generator holds it open)
    except OSError as e:
        yield Skip("unreadable", Location(path, offset=part.start), detail=_os_detail(e))
        return
    with fh:
        try:
            gz = fh.read(2) == b"\x1f\x8b"
            size = os.fstat(fh.fileno()).st_size
            begin = part.start if part.start == 0 else _find_record(fh, part.start, part.end, gz)
            while begin is not None:
                failed_at = yield from _iter_from(fh, path, begin, part.end, size)
                if failed_at is None:
                    return
                begin = _find_record(fh, max(failed_at, begin) + 1, part.end, gz)
        except OSError as e:
            yield Skip("unreadable", Location(path, offset=part.start), detail=_os_detail(e))


def _iter_from(fh, path: str, begin: int, end: int | None,
               size: int) -> Generator[Page | Skip, None, int | None]:
    """Read records from the boundary ``begin`` until ``end``; return None at the end, or the
    offset of a record that broke, after yielding a Skip for it, so the caller reads on."""
    fh.seek(begin)
    it = ArchiveIterator(fh)
    while True:
        at = it.offset  # the next record's offset: the previous one was read to its end
        if end is not None and at >= end:
            return None
        try:
            record = next(it)
        except StopIteration:
            if at < size:  # warcio ends quietly where a gzip member or record is cut short
                yield Skip("unreadable", Location(path, offset=at),
                           detail=f"{size - at} bytes at the end are not a whole record (truncated file?)")
                return at
            return None
        except Exception as e:  # warcio raises many kinds on damaged bytes
            yield Skip("unreadable", Location(path, offset=at), detail=_warc_error(e))
            return at
        try:
            item = _record_item(record, it, path)
        except Exception as e:
            rid = record.rec_headers.get_header("WARC-Record-ID")
            yield Skip("unreadable", Location(path, offset=at, record_id=rid),
                       record.rec_headers.get_header("WARC-Target-URI"), _warc_error(e))
            return at
        yield item


def _record_item(record, it: ArchiveIterator, path: str) -> Page | Skip:
    """The Page or Skip for one record; reads it to its end (bounded memory) and checks that
    the file did not end inside it."""
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI")
    if not (headers.get_header("Content-Length") or "").strip().isdigit():
        raise _Broken("record without a valid Content-Length")
    rtype = record.rec_type
    body = ctype = None
    detail = ""
    if rtype == "response":
        reason, detail, body, ctype = _response_payload(record, url)
    elif rtype == "revisit":
        reason = "revisit"
    else:
        reason, detail = "not_response", rtype or "no WARC-Type"
    length = it.get_record_length()  # reads the rest of the record
    raw = record.raw_stream
    dec = it.reader.decompressor if it.reader is not None else None
    if (isinstance(raw, LimitReader) and raw.limit > 0) or (dec is not None and not dec.eof):
        raise _Broken("truncated record (the file or its gzip member ends inside it)")
    if dec is not None and it.next_line:  # the next record came out of the same gzip member
        raise _Broken(_ONE_MEMBER)
    loc = Location(path, it.get_record_offset(), length, headers.get_header("WARC-Record-ID"))
    if reason is not None:
        return Skip(reason, loc, url, detail)
    mime = ctype.split(";", 1)[0].strip().lower() if ctype else ""
    # text/plain or untyped bodies that are markup are parsed as HTML
    html = mime in HTML_TYPES or _looks_html(_head(body))
    reason, detail, charset = _judge(body, html, ctype)
    if reason is not None:
        return Skip(reason, loc, url, detail)
    return Page(url, body, "html" if html else "text", loc, ctype, charset, headers.get_header("WARC-Date"))


def _response_payload(record, url: str | None):
    """(skip reason or None, detail, body, Content-Type) of a response record; the body is read
    only for 2xx text-like payloads, at most MAX_PAGE_BYTES + 1 bytes of it."""
    hh = record.http_headers
    if hh is None:
        return "not_html", f"no HTTP headers ({record.content_type})", None, None
    status = hh.get_statuscode()
    code = int(status) if status.isdigit() else 0
    if 300 <= code < 400:
        return "redirect", f"HTTP {code}", None, None
    if not 200 <= code < 300:
        return "http_error", f"HTTP {status or '(no status)'}", None, None
    ctype = hh.get_header("Content-Type")
    mime = ctype.split(";", 1)[0].strip().lower() if ctype else ""
    if mime and mime not in HTML_TYPES and mime not in TEXT_TYPES:
        return "not_html", mime, None, ctype
    if url:
        name = url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1].lower()
        if name in _MACHINE_FILES:
            return "not_html", name, None, ctype
    enc = (hh.get_header("Content-Encoding") or "").strip().lower()
    enc = {"": None, "identity": None, "none": None, "x-gzip": "gzip"}.get(enc, enc)
    chunked = "chunked" in (hh.get_header("Transfer-Encoding") or "").lower()
    if enc is not None and enc not in _DECODABLE:
        stream = ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream
        body = stream.read(MAX_PAGE_BYTES + 1)
        if not _textual(body):  # often the payload was stored decoded with the header kept
            return "unreadable", f"Content-Encoding {enc!r} not supported", None, ctype
    elif chunked:
        body = ChunkedDataReader(record.raw_stream, decomp_type=enc).read(MAX_PAGE_BYTES + 1)
    elif enc:
        body = BufferedReader(record.raw_stream, decomp_type=enc).read(MAX_PAGE_BYTES + 1)
    else:
        body = record.raw_stream.read(MAX_PAGE_BYTES + 1)
    if body.startswith(_GZ_MAGIC) and len(body) <= MAX_PAGE_BYTES:  # gzip with no Content-Encoding
        try:
            body = zlib.decompressobj(31).decompress(body, MAX_PAGE_BYTES + 1)
        except zlib.error:
            return "not_html", "gzip bytes", None, ctype
    return None, "", body, ctype


def _find_record(fh, start: int, end: int | None, gz: bool) -> int | None:
    """The offset of the first WARC record at or after ``start`` (before ``end``), or None.

    Searches for a gzip member header that decodes to "WARC/" (.warc.gz) or a "WARC/1." line
    whose Content-Length leads to the next record (.warc); false matches are passed over."""
    magic = _GZ_MAGIC if gz else _WARC_MAGIC
    verify = _is_gz_record if gz else _is_plain_record
    pos = start
    while end is None or pos < end:
        block = _SEARCH_BLOCK if end is None else min(_SEARCH_BLOCK, end - pos)
        fh.seek(pos)
        data = fh.read(block + len(magic) - 1)
        i = data.find(magic)
        while 0 <= i < block:
            cand = pos + i
            if end is not None and cand >= end:
                return None
            if verify(fh, cand):
                return cand
            i = data.find(magic, i + 1)
        if len(data) < block + len(magic) - 1:
            return None
        pos += block
    return None


def _is_gz_record(fh, pos: int) -> bool:
    fh.seek(pos)
    d = zlib.decompressobj(31)
    out = b""
    for _ in range(64):  # at most 1 MB of input to see the first bytes
        chunk = fh.read(16384)
        if not chunk:
            break
        try:
            out += d.decompress(d.unconsumed_tail + chunk, 16)
        except zlib.error:
            return False
        if len(out) >= 8 or d.eof:
            break
    return out.startswith(b"WARC/")


_PLAIN_HEAD = re.compile(rb"WARC/1\.\d\r?\n")
_PLAIN_LENGTH = re.compile(rb"(?im)^content-length:[ \t]*(\d+)[ \t]*\r?$")


def _is_plain_record(fh, pos: int) -> bool:
    if pos > 0:
        fh.seek(pos - 1)
        if fh.read(1) != b"\n":
            return False
    fh.seek(pos)
    data = fh.read(65536)
    if not _PLAIN_HEAD.match(data):
        return False
    stop = data.find(b"\r\n\r\n")
    if stop < 0:
        return False
    header = data[:stop + 2]
    m = _PLAIN_LENGTH.search(header)
    if not m or not re.search(rb"(?im)^warc-type:", header):
        return False
    fh.seek(pos + stop + 4 + int(m.group(1)))
    after = fh.read(16)
    return not after.strip() or after.lstrip(b"\r\n").startswith(b"WARC/")


def _warc_error(e: Exception) -> str:
    if isinstance(e, _Broken):
        return str(e)
    msg = " ".join(str(e).split())
    if "non-chunked gzip" in msg:
        return _ONE_MEMBER
    return f"{type(e).__name__}: {msg}"[:200]


def _os_detail(e: OSError) -> str:
    return e.strerror or type(e).__name__


# ------------------------------------------------------------------------------ folder, JSONL


def _iter_folder(root: str) -> Iterator[Page | Skip]:
    """Files under ``root`` sorted by relative path (hidden ones left out, each directory
    entered once, so symlink loops end)."""
    entries: list[tuple[str, str | None, str]] = []  # (relative path, full path or None, error)
    seen: set[tuple[int, int]] = set()
    try:
        st = os.stat(root)
        seen.add((st.st_dev, st.st_ino))
    except OSError as e:
        yield Skip("unreadable", Location(root), detail=_os_detail(e))
        return

    def on_error(e: OSError) -> None:
        rel = os.path.relpath(e.filename or root, root).replace(os.sep, "/")
        entries.append((rel, None, _os_detail(e)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            try:
                st = os.stat(os.path.join(dirpath, d))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                keep.append(d)
        dirnames[:] = keep
        for name in filenames:
            if not name.startswith("."):
                full = os.path.join(dirpath, name)
                entries.append((os.path.relpath(full, root).replace(os.sep, "/"), full, ""))
    entries.sort(key=lambda e: e[0])
    for rel, full, error in entries:
        if full is None:
            yield Skip("unreadable", Location(root, key=rel), detail=f"{rel}: {error}")
        else:
            yield _folder_item(root, rel, full)


def _folder_item(root: str, rel: str, full: str) -> Page | Skip:
    loc = Location(root, key=rel)
    stem, suffix = os.path.splitext(rel)
    kind = FOLDER_KINDS.get(suffix.lower())
    if kind is None:
        return Skip("not_html", loc, detail=f"{rel}: not a .txt, .text, .html or .htm file")
    try:
        st = os.stat(full)
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read forever
            return Skip("unreadable", loc, detail=f"{rel}: not a regular file")
        if st.st_size > MAX_PAGE_BYTES:
            return Skip("too_large", loc, detail=f"{rel}: {st.st_size} bytes")
        with open(full, "rb") as f:
            body = f.read(MAX_PAGE_BYTES + 1)
    except OSError as e:
        return Skip("unreadable", loc, detail=f"{rel}: {_os_detail(e)}")
    reason, detail, charset = _judge(body, kind == "html", None)
    if reason is not None:
        return Skip(reason, loc, detail=f"{rel}: {detail}" if detail else rel)
    return Page(None, body, kind, loc, None, charset, id=stem)


_LINE_LIMIT = 4 * MAX_PAGE_BYTES  # JSON escapes can grow a 5 MB text up to ~4x


def _iter_jsonl(path: str) -> Iterator[Page | Skip]:
    """One record per line: a bad line is a Skip naming its line number, the rest still read."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed below; a generator holds it open)
    except OSError as e:
        yield Skip("unreadable", Location(path), detail=_os_detail(e))
        return
    with fh:
        offset = 0
        lineno = 0
        while True:
            try:
                line = fh.readline(_LINE_LIMIT)
            except OSError as e:
                yield Skip("unreadable", Location(path, offset=offset, key=str(lineno + 1)),
                           detail=f"line {lineno + 1}: {_os_detail(e)}")
                return
            if not line:
                return
            lineno += 1
            start = offset
            offset += len(line)
            loc = Location(path, offset=start, length=len(line), key=str(lineno))
            if len(line) >= _LINE_LIMIT and not line.endswith(b"\n"):
                while (more := fh.readline(_LINE_LIMIT)) and not more.endswith(b"\n"):
                    offset += len(more)
                offset += len(more)
                yield Skip("too_large", Location(path, offset=start, length=offset - start, key=str(lineno)),
                           detail=f"line {lineno}: over {_LINE_LIMIT} bytes")
                continue
            if not line.strip():
                continue
            yield _jsonl_item(line, lineno, loc)


def _jsonl_item(line: bytes, lineno: int, loc: Location) -> Page | Skip:
    try:
        obj = json.loads(line)
    except (ValueError, UnicodeDecodeError) as e:
        return Skip("unreadable", loc, detail=f"line {lineno}: not JSON ({type(e).__name__})")
    if not isinstance(obj, dict):
        return Skip("unreadable", loc, detail=f"line {lineno}: not a JSON object")
    rid = obj.get("id")
    if rid is None or isinstance(rid, dict | list | bool) or rid == "":
        return Skip("unreadable", loc, detail=f"line {lineno}: no usable id")
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        content, kind = text, "text"
    elif isinstance(html, str) and html.strip():
        content, kind = html, "html"
    elif isinstance(text, str) or isinstance(html, str):
        return Skip("empty", loc, obj.get("url") if isinstance(obj.get("url"), str) else None,
                    f"line {lineno}: id {rid}")
    else:
        return Skip("unreadable", loc, detail=f"line {lineno}: neither text nor html")
    body = content.encode("utf-8", errors="replace")  # lone surrogates from \ud800 escapes
    if len(body) > MAX_PAGE_BYTES:
        return Skip("too_large", loc, detail=f"line {lineno}: id {rid}")

    def opt(name: str) -> str | None:
        v = obj.get(name)
        return v if isinstance(v, str) and v.strip() else None

    return Page(opt("url"), body, kind, loc, None, "utf-8", opt("date"), str(rid), opt("title"))
