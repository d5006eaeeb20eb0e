"""The record reader: every WARC record, folder file and JSONL line becomes a Page or a Skip with
the right reason, damaged input never raises, and byte-range partitions of a file together read
exactly what one whole-file pass reads."""

from __future__ import annotations

import collections
import gzip
import io
import json
import os
import random
import zlib
from pathlib import Path

import pytest
from conftest import SHARED
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from unspin.corpus.records import MAX_PAGE_BYTES, iter_paths, iter_records, plan_partitions
from unspin.corpus.types import SKIP_REASONS, Page, Partition, Skip
from unspin.types import UnspinError

SCAN = SHARED / "data" / "scan"
CRAWL = sorted((SCAN / "crawl").glob("*.warc.gz"))


@pytest.fixture(scope="module")
def crawl_records():
    """One pass over the shared crawl (about half a second), shared by the tests below."""
    if not CRAWL:
        pytest.skip(f"shared scan benchmark not found at {SCAN}")
    return list(iter_paths([str(p) for p in CRAWL]))


def outcome(r: Page | Skip) -> str:
    return r.kind if isinstance(r, Page) else r.reason


def key(r: Page | Skip) -> tuple:
    loc = r.location
    return (outcome(r), r.url, loc.file, loc.offset, loc.length, loc.record_id,
            r.body if isinstance(r, Page) else r.detail)


# ------------------------------------------------------------------------ synthetic WARC files


def http(status: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    head = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def chunked(body: bytes, size: int = 7) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def write_warc(path: Path, records: list[tuple[str, str, bytes]], gz: bool) -> Path:
    """Write (WARC-Type, URL, block) records; HTTP blocks are parsed by warcio as a crawler's."""
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for rtype, url, block in records:
            if rtype == "warcinfo":
                w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
            elif rtype in ("metadata", "resource"):
                w.write_record(w.create_warc_record(url, rtype, payload=io.BytesIO(block),
                                                    warc_content_type="text/html"))
            else:
                w.write_record(w.create_warc_record(url, rtype, payload=io.BytesIO(block)))
    return path


PAGE = (b"<!doctype html><html><head><title>T</title></head>"
        b"<body><p>A story about the harbour.</p></body></html>")
HTML = [("Content-Type", "text/html; charset=utf-8")]
LATIN = "<html><body><p>Caf\u00e9 cr\u00e8me \u201cquoted\u201d</p></body></html>".encode("cp1252")
CYRILLIC = '<html><head><meta charset="windows-1251"></head><body><p>Привет</p></body>'.encode("cp1251")
random.seed(7)
NOISE = bytes(random.randrange(256) for _ in range(600))

# (WARC-Type, URL, block, expected outcome)
CASES = [
    ("warcinfo", "", b"", "not_response"),
    ("request", "http://a.test/1", b"GET /1 HTTP/1.1\r\nHost: a.test\r\n\r\n", "not_response"),
    ("response", "http://a.test/1", http("200 OK", HTML, PAGE), "html"),
    ("metadata", "http://a.test/1", b"outlink: http://b.test/", "not_response"),
    ("resource", "http://a.test/file.html", PAGE, "not_response"),
    ("revisit", "http://a.test/1", b"HTTP/1.1 200 OK\r\n\r\n", "revisit"),
    ("response", "http://a.test/plain", http("200 OK", [("Content-Type", "text/plain")], b"Plain news text."),
     "text"),
    ("response", "http://a.test/untyped", http("200 OK", [], PAGE), "html"),
    ("response", "http://a.test/xhtml", http("200 OK", [("Content-Type", "application/xhtml+xml")], PAGE),
     "html"),
    ("response", "http://a.test/markup-as-plain", http("200 OK", [("Content-Type", "text/plain")], PAGE),
     "html"),
    ("response", "http://a.test/robots.txt",
     http("200 OK", [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /\n"), "not_html"),
    ("response", "http://a.test/moved", http("301 Moved Permanently", [("Location", "/x")], b""), "redirect"),
    ("response", "http://a.test/found", http("302 Found", HTML, PAGE), "redirect"),
    ("response", "http://a.test/missing", http("404 Not Found", HTML, PAGE), "http_error"),
    ("response", "http://a.test/down", http("503 Service Unavailable", HTML, PAGE), "http_error"),
    ("response", "http://a.test/img.png", http("200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n"),
     "not_html"),
    ("response", "http://a.test/pdf-as-html", http("200 OK", HTML, b"%PDF-1.4\n1 0 obj<<>>endobj\n"),
     "not_html"),
    ("response", "http://a.test/jpeg-as-html", http("200 OK", HTML, b"\xff\xd8\xff\xe0\x00\x10JFIF" + NOISE),
     "not_html"),
    ("response", "http://a.test/json-as-plain",
     http("200 OK", [("Content-Type", "text/plain")], b'{"items": [1, 2]}'), "not_html"),
    ("response", "http://a.test/api", http("200 OK", [("Content-Type", "application/json")], b"{}"),
     "not_html"),
    ("response", "http://a.test/empty", http("200 OK", HTML, b""), "empty"),
    ("response", "http://a.test/blank", http("200 OK", HTML, b" \r\n\t \n"), "empty"),
    ("response", "http://a.test/no-content", http("204 No Content", [], b""), "empty"),
    ("response", "http://a.test/gzip",
     http("200 OK", [*HTML, ("Content-Encoding", "gzip")], gzip.compress(PAGE)), "html"),
    ("response", "http://a.test/deflate",
     http("200 OK", [*HTML, ("Content-Encoding", "deflate")], zlib.compress(PAGE)), "html"),
    ("response", "http://a.test/gzip-undeclared", http("200 OK", HTML, gzip.compress(PAGE)), "html"),
    ("response", "http://a.test/chunked",
     http("200 OK", [*HTML, ("Transfer-Encoding", "chunked")], chunked(PAGE)), "html"),
    ("response", "http://a.test/chunked-caps",
     http("200 OK", [*HTML, ("Transfer-Encoding", "Chunked")], chunked(PAGE)), "html"),
    ("response", "http://a.test/chunked-gzip",
     http("200 OK", [*HTML, ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
          chunked(gzip.compress(PAGE), 13)), "html"),
    ("response", "http://a.test/zstd-noise", http("200 OK", [*HTML, ("Content-Encoding", "zstd")], NOISE),
     "unreadable"),
    ("response", "http://a.test/zstd-stored-decoded",
     http("200 OK", [*HTML, ("Content-Encoding", "zstd")], PAGE), "html"),
    ("response", "http://a.test/latin",
     http("200 OK", [("Content-Type", "text/html; charset=ISO-8859-1")], LATIN), "html"),
    ("response", "http://a.test/cyrillic", http("200 OK", [("Content-Type", "text/html")], CYRILLIC), "html"),
    ("response", "http://a.test/late-meta",
     http("200 OK", [("Content-Type", "text/html")], b"<html>" + b" " * 2100 + b'<meta charset="koi8-r">x'),
     "html"),
    ("response", "http://a.test/huge", http("200 OK", HTML, b"<p>" + b"x" * MAX_PAGE_BYTES), "too_large"),
    ("response", "http://a.test/big", http("200 OK", HTML, b"<p>" + b"y" * (MAX_PAGE_BYTES - 3)), "html"),
]


@pytest.fixture(scope="module", params=[True, False], ids=["warc.gz", "warc"])
def synthetic(request, tmp_path_factory):
    """Every kind of record once, gzipped per record and plain."""
    gz = request.param
    path = tmp_path_factory.mktemp("warc") / ("kinds.warc.gz" if gz else "kinds.warc")
    write_warc(path, [c[:3] for c in CASES], gz)
    return path


def test_every_record_kind_maps_to_its_page_or_skip(synthetic):
    recs = list(iter_records(Partition(str(synthetic))))
    assert [outcome(r) for r in recs] == [c[3] for c in CASES]
    assert [r.url for r in recs][1:] == [c[1] for c in CASES][1:]
    assert all(r.reason in SKIP_REASONS for r in recs if isinstance(r, Skip))
    pages = {r.url: r for r in recs if isinstance(r, Page)}
    # transfer and content encodings are undone: every encoded variant is the page itself
    for name in ("gzip", "deflate", "gzip-undeclared", "chunked", "chunked-caps", "chunked-gzip",
                 "zstd-stored-decoded", "untyped", "markup-as-plain"):
        assert pages[f"http://a.test/{name}"].body == PAGE, name
    assert pages["http://a.test/plain"].body == b"Plain news text."
    assert pages["http://a.test/1"].charset == "utf-8"
    assert pages["http://a.test/1"].date and pages["http://a.test/1"].date.startswith("20")


def test_charsets_decode_as_browsers_do(synthetic):
    pages = {r.url: r for r in iter_records(Partition(str(synthetic))) if isinstance(r, Page)}
    # ISO-8859-1 declared in the header; curly quotes in 0x80-0x9F are windows-1252, as browsers read them
    assert "Café crème “quoted”" in pages["http://a.test/latin"].text()
    assert "Привет" in pages["http://a.test/cyrillic"].text()  # <meta charset> only
    assert pages["http://a.test/late-meta"].charset is None  # a <meta> past the first 2 KB is ignored
    assert pages["http://a.test/plain"].charset is None


def test_locations_are_warcio_offsets_and_ids(synthetic):
    """Offsets and lengths are those a WARC index (CDX) would record, so a record can be fetched
    back by byte range for the evidence bundle."""
    recs = list(iter_records(Partition(str(synthetic))))
    want = []
    with open(synthetic, "rb") as fh:
        it = ArchiveIterator(fh)
        for rec in it:
            rid = rec.rec_headers.get_header("WARC-Record-ID")
            want.append((it.get_record_offset(), it.get_record_length(), rid))
    assert [(r.location.offset, r.location.length, r.location.record_id) for r in recs] == want
    assert all(r.location.file == str(synthetic) for r in recs)
    with open(synthetic, "rb") as fh:  # the record at an offset is the one reported
        for r in recs[2:6]:
            fh.seek(r.location.offset)
            data = fh.read(r.location.length)
            head = gzip.decompress(data) if synthetic.suffix == ".gz" else data
            assert r.location.record_id.encode() in head[:600]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_byte_ranges_read_each_record_exactly_once(tmp_path, gz):
    """Many tiny ranges (most cutting records in the middle, some inside gzip members) read the
    same records as one pass; false matches (a WARC header quoted in a page, gzip magic inside
    stored binary) are passed over."""
    quoted = b"<pre>\nWARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n</pre>"
    fake_member = NOISE[:100] + gzip.compress(b"not a WARC record") + NOISE[100:]
    records = [c[:3] for c in CASES if c[1] not in ("http://a.test/huge", "http://a.test/big")]
    records += [("response", "http://a.test/quoted", http("200 OK", HTML, quoted)),
                ("response", "http://a.test/blob",
                 http("200 OK", [("Content-Type", "image/gif")], fake_member))]
    path = write_warc(tmp_path / ("r.warc.gz" if gz else "r.warc"), records * 3, gz)
    whole = [key(r) for r in iter_records(Partition(str(path)))]
    assert len(whole) == len(records) * 3
    for target in (97, 1000, 4096):
        parts = plan_partitions([str(path)], target)
        assert len(parts) == -(-path.stat().st_size // target)
        got = []
        for part in parts:
            recs = list(iter_records(part))
            assert all(part.start <= r.location.offset < (part.end or 1 << 62) for r in recs)
            got += [key(r) for r in recs]
        assert got == whole, target
    for cut in {r[3] for r in whole[::7]} | {whole[-1][3] + 1}:  # ranges ending exactly at a record
        halves = [Partition(str(path), 0, cut), Partition(str(path), cut)]
        assert [key(r) for part in halves for r in iter_records(part)] == whole, cut


def test_shared_crawl_split_equals_whole_pass(crawl_records):
    """The bench's file split at 1 MB: no record lost, none read twice, same order."""
    path = str(CRAWL[0])
    whole = [key(r) for r in crawl_records if r.location.file == path]
    parts = plan_partitions([path], 2**20)
    assert len(parts) == -(-os.path.getsize(path) // 2**20) > 1
    split = [key(r) for part in parts for r in iter_records(part)]
    assert split == whole
    assert len(set(split)) == len(split)


# ---------------------------------------------------------------------------- damaged input


def five_pages(tmp_path: Path, gz: bool = True) -> tuple[Path, bytes, list[Page]]:
    bodies = [PAGE.replace(b"harbour", b"harbour %d" % i) * 20 for i in range(5)]
    records = [("response", f"http://t.test/{i}", http("200 OK", HTML, b)) for i, b in enumerate(bodies)]
    path = write_warc(tmp_path / ("p.warc.gz" if gz else "p.warc"), records, gz)
    pages = list(iter_records(Partition(str(path))))
    assert [outcome(p) for p in pages] == ["html"] * 5
    return path, path.read_bytes(), pages


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_truncated_file_ends_with_one_unreadable_skip(tmp_path, gz):
    path, data, pages = five_pages(tmp_path, gz)
    offsets = [p.location.offset for p in pages]
    for cut, whole_pages in [((offsets[2] + offsets[3]) // 2, 2), (offsets[3] + 3, 3), (len(data) - 5, 4),
                             (40, 0)]:
        path.write_bytes(data[:cut])
        recs = list(iter_records(Partition(str(path))))
        assert [r.body for r in recs[:-1]] == [p.body for p in pages[:whole_pages]], cut
        last = recs[-1]
        assert isinstance(last, Skip) and last.reason == "unreadable", (cut, last)
        assert last.location.offset == offsets[whole_pages]


def test_corrupt_gzip_member_loses_only_its_record(tmp_path):
    path, data, pages = five_pages(tmp_path)
    bad = bytearray(data)
    mid = (pages[2].location.offset + pages[3].location.offset) // 2
    bad[mid:mid + 8] = b"\x00" * 8
    path.write_bytes(bytes(bad))
    recs = list(iter_records(Partition(str(path))))
    assert [outcome(r) for r in recs] == ["html", "html", "unreadable", "html", "html"]
    assert [r.body for r in recs if isinstance(r, Page)] == [pages[i].body for i in (0, 1, 3, 4)]
    assert recs[2].location.offset == pages[2].location.offset


def test_garbage_and_single_member_gzip_are_skipped_not_raised(tmp_path):
    path, data, pages = five_pages(tmp_path, gz=False)
    one = tmp_path / "one.warc.gz"  # a whole-file gzip, not one member per record
    one.write_bytes(gzip.compress(data))
    recs = list(iter_records(Partition(str(one))))
    assert [outcome(r) for r in recs] == ["unreadable"]
    assert "warcio recompress" in recs[-1].detail
    junk = tmp_path / "junk.warc"
    junk.write_bytes(NOISE)
    assert [outcome(r) for r in iter_records(Partition(str(junk)))] == ["unreadable"]
    gone = Partition(str(tmp_path / "gone.warc.gz"))
    assert [outcome(r) for r in iter_records(gone)] == ["unreadable"]


# -------------------------------------------------------------------------------- shared crawl


def test_shared_crawl_counts(crawl_records):
    """4,500 HTML pages (README) plus the awkward non-pages, each counted under its reason."""
    pages = [r for r in crawl_records if isinstance(r, Page)]
    skips = collections.Counter(r.reason for r in crawl_records if isinstance(r, Skip))
    assert len(pages) == 4500
    assert {p.kind for p in pages} == {"html"}
    assert len({p.url for p in pages}) == 4500
    assert skips == {"not_response": 8, "not_html": 4, "http_error": 2, "redirect": 1, "empty": 1,
                     "revisit": 1}
    assert all(p.location.record_id and p.date for p in pages)


def test_shared_awkward_records(crawl_records):
    by_url = collections.defaultdict(list)
    for i, r in enumerate(crawl_records):
        by_url[r.url].append((i, r))
    awkward = [json.loads(line) for line in (SCAN / "awkward.jsonl").read_text().splitlines() if line.strip()]
    assert len(awkward) == 17
    simple = {"application/json": "not_html", "robots.txt": "not_html", "application/pdf": "not_html",
              "image/jpeg": "not_html", "HTTP 500": "http_error", "HTTP 404": "http_error",
              "HTTP 301": "redirect", "empty body": "empty"}
    for row in awkward:
        what, recs = row["what"], by_url[row["url"]]
        got = [outcome(r) for _, r in recs]
        hit = next((v for k, v in simple.items() if k in what), None)  # first match: a 301 has an empty body
        if hit:
            assert got == [hit], (what, got)
        elif "ISO-8859-1" in what:
            (page,) = [r for _, r in recs]
            assert got == ["html"] and page.charset in ("cp1252", "latin-1", "iso8859-1")
            with pytest.raises(UnicodeDecodeError):
                page.body.decode("utf-8")
            assert page.text() == page.body.decode("latin-1") and "\ufffd" not in page.text()
        elif "Content-Encoding: gzip" in what or "chunked" in what:
            (page,) = [r for _, r in recs]
            assert got == ["html"]
            assert page.body.lstrip()[:1] == b"<" and page.body.rstrip().endswith(b"</html>")
        elif "request record" in what:
            assert got == ["not_response", "html"] and recs[0][1].detail == "request"
        elif "metadata record" in what:
            assert got == ["html", "not_response"] and recs[1][1].detail == "metadata"
        elif "revisit record" in what:
            assert got == ["html", "revisit"]
            assert recs[0][1].location.file == recs[1][1].location.file
        else:
            pytest.fail(f"awkward kind not covered: {what}")


# ------------------------------------------------------------------------------- folder, JSONL


def test_folder_ids_order_and_skips(tmp_path):
    root = tmp_path / "archive"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text("Second article.\n")
    (root / "a.html").write_bytes(LATIN.replace(b"<html>", b'<html><meta charset="iso-8859-1">'))
    (root / "sub" / "c.HTM").write_bytes(PAGE)
    (root / "sub" / "deep" / "d.v2.text").write_text("Dotted name.\n")
    (root / "sub" / "photo.png").write_bytes(b"\x89PNG\r\n")
    (root / "sub" / "fake.html").write_bytes(b"%PDF-1.4 not a page")
    (root / "empty.txt").write_text("  \n")
    (root / ".hidden.txt").write_text("never read")
    (root / ".git" / "notes.txt").write_text("never read")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "broken.txt").symlink_to(root / "nowhere.txt")
    recs = list(iter_records(Partition(str(root))))
    assert [(r.location.key, outcome(r)) for r in recs] == [
        ("a.html", "html"), ("b.txt", "text"), ("broken.txt", "unreadable"), ("empty.txt", "empty"),
        ("sub/c.HTM", "html"), ("sub/deep/d.v2.text", "text"), ("sub/fake.html", "not_html"),
        ("sub/photo.png", "not_html"),
    ]
    pages = {r.id: r for r in recs if isinstance(r, Page)}
    assert set(pages) == {"a", "b", "sub/c", "sub/deep/d.v2"}
    assert pages["b"].body == b"Second article.\n" and pages["b"].url is None
    assert "Café crème “quoted”" in pages["a"].text()
    assert all(r.location.file == str(root) for r in recs)


def test_jsonl_records_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "art-1", "text": "Héllo wörld.", "title": "T1", "url": "https://p.test/1",
                    "date": "2024-05-01"}),
        "",
        json.dumps({"id": 7, "html": "<p>Markup</p>"}),
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "x", "title": "neither"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "blank", "text": "  "}),
        json.dumps({"id": "both", "text": "Plain wins.", "html": "<p>x</p>"}),
    ]
    path = tmp_path / "arch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recs = list(iter_records(Partition(str(path))))
    assert [(r.location.key, outcome(r)) for r in recs] == [
        ("1", "text"), ("3", "html"), ("4", "unreadable"), ("5", "unreadable"), ("6", "unreadable"),
        ("7", "unreadable"), ("8", "empty"), ("9", "text")]
    first, second = recs[0], recs[1]
    assert (first.id, first.title, first.url, first.date) == ("art-1", "T1", "https://p.test/1", "2024-05-01")
    assert first.body == "Héllo wörld.".encode() and first.text() == "Héllo wörld."
    assert second.id == "7" and second.body == b"<p>Markup</p>"
    assert [r.detail.split(":")[0] for r in recs[2:6]] == ["line 4", "line 5", "line 6", "line 7"]
    data = path.read_bytes()  # offsets point at the line
    assert data[first.location.offset:].startswith(b'{"id": "art-1"')
    assert data[second.location.offset:second.location.offset + second.location.length].strip() == \
        lines[2].encode()


# -------------------------------------------------------------------------------------- plan


def test_plan_partitions(tmp_path):
    path, data, _ = five_pages(tmp_path)
    folder = tmp_path / "f"
    folder.mkdir()
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("")
    size = len(data)
    assert plan_partitions([str(path), folder, str(jsonl)]) == [
        Partition(str(path)), Partition(str(folder)), Partition(str(jsonl))]
    parts = plan_partitions([str(path)], target_bytes=size // 3)
    assert len(parts) == -(-size // (size // 3))
    assert parts[0].start == 0 and parts[-1].end is None
    assert all(a.end == b.start for a, b in zip(parts, parts[1:], strict=False))
    # equal ranges, no small remainder (a task that would finish the scan with one worker busy)
    assert max(p.nbytes() for p in parts) - min(p.nbytes() for p in parts) <= len(parts)
    assert sum(p.nbytes() for p in parts) == size
    for bad, msg in [(tmp_path / "nope.warc.gz", "no such"), (jsonl.with_suffix(".csv"), "no such")]:
        with pytest.raises(UnspinError, match=msg):
            plan_partitions([str(bad)])
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n")
    with pytest.raises(UnspinError, match="not a folder, a JSONL file"):
        plan_partitions([str(path), str(other)])
    with pytest.raises(UnspinError):
        list(iter_paths([str(other)]))
    assert [outcome(r) for r in iter_paths([str(path)])] == ["html"] * 5


def test_read_page_reads_a_result_row_back(synthetic, tmp_path):
    """Evidence bundles re-read the page a result row names; a row that no longer matches its
    source is an error, never a different page."""
    from unspin.corpus.records import read_page

    pages = [r for r in iter_records(Partition(str(synthetic))) if isinstance(r, Page)]
    for page in pages[1:4] + pages[-1:]:
        loc = page.location
        row = {"warc_file": loc.file, "warc_offset": loc.offset, "record_id": loc.record_id, "file": loc.file}
        assert read_page(row) == page
    loc, other = pages[2].location, pages[3].location
    with pytest.raises(UnspinError, match="not"):
        read_page({"warc_file": loc.file, "warc_offset": loc.offset, "record_id": other.record_id})
    with pytest.raises(UnspinError):
        read_page({"warc_file": loc.file, "warc_offset": loc.offset + 1})
    root = tmp_path / "arch"
    (root / "s").mkdir(parents=True)
    (root / "s" / "a.txt").write_text("An article.\n")
    (folder_page,) = iter_records(Partition(str(root)))
    assert read_page({"file": str(root), "key": "s/a.txt"}) == folder_page
    with pytest.raises(UnspinError, match="leaves the folder"):
        read_page({"file": str(root), "key": "../x.txt"})
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"id": 1, "text": "one"}\n{"id": 2, "text": "two"}\n')
    second = list(iter_records(Partition(str(jsonl))))[1]
    row = {"file": str(jsonl), "warc_offset": second.location.offset, "key": second.location.key}
    assert read_page(row) == second


def test_partition_size_gives_a_small_crawl_enough_partitions(tmp_path):
    from unspin.corpus.records import MIN_PARTITION_BYTES, MIN_PARTITIONS, partition_bytes

    path, data, _ = five_pages(tmp_path)
    notes = tmp_path / "notes.csv"
    notes.write_text("a,b\n")
    assert partition_bytes([str(path), str(notes), str(tmp_path)], cap=64 << 20) == MIN_PARTITION_BYTES
    big = [str(path)] * (MIN_PARTITIONS * 4)   # as if the crawl were 64x this file
    assert partition_bytes(big, cap=64 << 20) == max(MIN_PARTITION_BYTES, len(data) * 4)
    assert partition_bytes(big, cap=1000) == 1000


def test_a_title_that_never_closed_does_not_hide_the_page():
    """Real crawled HTML: a <title> without its end tag swallows the page into the title."""
    from unspin.corpus.text import page_blocks

    story = "<p>A motorist who crashed into the official car was banned from the roads for two years.</p>"
    html = ("<html><head><meta charset='utf-8'><title>Crossings closed - Ne(OAS_version >= 11)\n"
            + "<script>document.write('x');</script>" * 80 + "<div class='story'><h1>Driver banned</h1>"
            + story + "<p>Fined \u00a3700 \u2013 and he ran off.</p></div></body></html>").encode()
    blocks = page_blocks(html)
    assert "Driver banned" in blocks and "Fined \u00a3700 \u2013 and he ran off." in blocks
    assert not any("document.write" in b for b in blocks)


def test_hostile_markup_renders_as_no_text():
    from unspin.corpus.text import page_blocks

    for body in (b"<body><![CDATA[", b"<!-- only a comment -->", b"<?xml version='1.0'?>", b"\x00\xff<",
                 b"<title>" + b"<p>x</p>" * 5000):
        assert isinstance(page_blocks(body), list)
    assert page_blocks(b"<body><![CDATA[") == []
