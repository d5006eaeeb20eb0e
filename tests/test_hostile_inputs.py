"""Hostile inputs: each gives a correct result or one clear error line, quickly and in bounded memory.

Each test writes real files to tmp_path; CLI runs go through the installed console script with a
timeout, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from cli_helpers import unspin_script
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from test_robustness import one_error_line

import unspin
from unspin import cli
from unspin.ingest import (
    CONTACT,
    HtmlView,
    extract,
    extract_text,
    load,
    read_input,
    scrub_controls,
)
from unspin.types import Document, UnspinError

# Hypothesis keeps caches in ./.hypothesis: keep them out of the working tree
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "unspin-hypothesis"))

SOURCE = EXAMPLES / "source.html"
CANDIDATE = EXAMPLES / "candidate.txt"


def run(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([unspin_script(), *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


error_line = one_error_line


def _true_map(doc: Document) -> None:
    """Every source-map run is the input text it claims to be (controls as scrubbed)."""
    raw = scrub_controls(doc.raw)
    for body_start, input_start, length in doc.source_map:
        assert doc.text[body_start:body_start + length] == raw[input_start:input_start + length]
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text


def _elapsed(fn, *args) -> float:
    t = time.perf_counter()
    with contextlib.suppress(UnspinError):
        fn(*args)
    return time.perf_counter() - t


# --- 1. a 500,000-letter "word" ------------------------------------------------------------


def test_contact_pattern_is_linear_on_a_long_word():
    """The e-mail part of the contact pattern used to try every start inside a run of letters,
    each scanning to its end: 50,000 letters took about 20 s."""
    for unit in ("a", "1", "a.", "x-y", "\u00e9"):
        text = unit * (50_000 // len(unit))
        assert _elapsed(CONTACT.search, text) < 0.5, unit
    found = CONTACT.search("write to jane.doe+news@example.co.uk today")
    assert found.group() == "jane.doe+news@example.co.uk"
    assert CONTACT.search("a" * 1000 + "@example.com").group() == "a" * 1000 + "@example.com"


def test_html_view_is_linear_on_unclosed_tags():
    """Many "<" with no ">" after them: the tag pattern scanned to the end from each one."""
    for unit in ("<", "<a", "<!", "</", "<script"):
        assert _elapsed(HtmlView, unit * (60_000 // len(unit))) < 1.0, unit
    # the same reading as before: a "<" runs to the next ">", an open comment or script to the end
    assert HtmlView("<p>One <b>two</b></p> 3 < 4 <!-- x <p>gone</p>").text.split() == ["One", "two", "3",
                                                                                      "gone"]
    assert HtmlView("<p>Kept.</p> 3 < 4 <!-- open comment gone").text.split() == ["Kept.", "3", "<", "4"]
    assert HtmlView("<p>Kept.</p><script>var a = 1 > 0; never closed").text.strip() == "Kept."
    assert HtmlView("<p>a>b</p>c>d e").text.split() == ["a>b", "c>d", "e"]


def test_stripper_is_linear_on_many_short_run_on_lines():
    """Lines that each continue the one before summed their group's words per line (quadratic)."""
    assert _elapsed(extract_text, "a\n" * 40_000) < 4.0


@pytest.mark.parametrize("kind", ["one letter", "random letters"])
def test_long_word_file_extracts_and_compares_in_seconds(tmp_path, kind):
    rng = random.Random(7)
    word = "a" * 500_000 if kind == "one letter" else "".join(rng.choices(string.ascii_letters, k=500_000))
    path = tmp_path / "word.txt"
    path.write_text(word)
    t = time.perf_counter()
    proc = run("extract", str(path), "--format", "json", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["text"] == word
    proc = run("compare", str(path), str(CANDIDATE), "--judge", "rules", "--backend", "lexical",
               "--format", "json", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"]["label"] == "not_derived"
    assert time.perf_counter() - t < 30


# --- 2. prose about tags in a .txt file ----------------------------------------------------

PROSE_ABOUT_TAGS = (
    "A web page is built from elements: text sits in <p> paragraphs, blocks are grouped in <div> "
    "containers, inline runs are marked with <span>, links use <a> and list items use <li> inside a "
    "<ul> list.\n\nOld pages used <b> and <i> for bold and italic text, which designers now avoid.\n")


def test_txt_with_tag_names_is_text(tmp_path):
    p = tmp_path / "article.txt"
    p.write_text(PROSE_ABOUT_TAGS)
    raw, kind = read_input(p)
    assert kind == "text"
    doc = load(p)
    assert doc.text == PROSE_ABOUT_TAGS.strip()
    bare = tmp_path / "article"  # no extension: sniffed, and prose closes no tags
    bare.write_text(PROSE_ABOUT_TAGS)
    assert read_input(bare)[1] == "text"
    html = tmp_path / "article.html"  # the extension says HTML: it stays HTML
    html.write_text(PROSE_ABOUT_TAGS)
    assert read_input(html)[1] == "html"


def test_html_documents_are_still_html_whatever_their_name(tmp_path):
    page = SOURCE.read_text(encoding="utf-8")
    for name, text in [("page.txt", page), ("page", page),
                       ("nodoctype.txt", page[page.index("<html"):]),
                       ("fragment", page[page.index("<body"):])]:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        assert read_input(p)[1] == "html", name
    structured = tmp_path / "junk-first.txt"
    structured.write_text("saved from the browser\n<html><head><title>T</title></head><body><p>The council "
                          "voted on Tuesday to repair the bridge at last.</p></body></html>")
    assert read_input(structured)[1] == "html"


# --- 3. a few invalid bytes in UTF-8 -------------------------------------------------------


def test_mostly_utf8_file_keeps_its_accents(tmp_path):
    text = ("Le caf\u00e9 de Zo\u00eb a ferm\u00e9. \u00ab C'est la fin \u00bb, a dit le maire, "
            "tr\u00e8s d\u00e9\u00e7u.\n")
    data = (text * 6).encode() + b"Un octet perdu: \xff ici.\n" + (text * 6).encode()
    p = tmp_path / "damaged.txt"
    p.write_bytes(data)
    raw, kind = read_input(p)
    assert kind == "text"
    assert raw.count("\ufffd") == 1
    assert raw == data.decode("utf-8", errors="replace")
    doc = load(p)
    assert "caf\u00e9" in doc.text and "\u00c3" not in doc.text
    at = doc.text.index("perdu")
    assert doc.raw[doc.to_input(at):doc.to_input(at) + 5] == "perdu"
    _true_map(doc)
    legacy = tmp_path / "legacy.txt"  # a cp1252 file is still read as cp1252
    legacy.write_bytes((text * 3).encode("cp1252"))
    assert read_input(legacy)[0] == text * 3


# --- 4. a text too long to compare ----------------------------------------------------------


def test_huge_text_is_refused_not_cut(tmp_path):
    """A 3.3 MB text of dated stories went through the clutter stripper, which kept one story."""
    story = CANDIDATE.read_text()
    text = "".join(f"Story {i}\nJanuary {i % 28 + 1}, 2024\n\n{story}\n" for i in range(800))
    assert len(text) > 3_000_000
    p = tmp_path / "dump.txt"
    p.write_text(text)
    with pytest.raises(UnspinError, match="too long") as info:
        load(p)
    assert str(p) in str(info.value)
    assert "too long" in error_line(run("extract", str(p), timeout=60))
    # below the limit nothing is lost
    small = tmp_path / "long.txt"
    small.write_text(story * 200)
    assert len(load(small).text) >= len((story * 200).strip()) - 10


# --- 5. nesting deeper than the parser's limit ----------------------------------------------


def test_deeply_nested_html_keeps_its_text(tmp_path):
    lead = "The council voted on Tuesday to repair the Hadley Street Bridge at a cost of millions."
    deep = "Deep inside the page, the mayor said the work would begin in the spring of next year."
    html = ("<!DOCTYPE html><html><head><title>Deep page</title></head><body><p>" + lead + "</p>"
            + "<div>" * 100_000 + "<p>" + deep + "</p>" + "</div>" * 100_000 + "</body></html>")
    p = tmp_path / "deep.html"
    p.write_text(html)
    t = time.perf_counter()
    doc = load(p)
    assert time.perf_counter() - t < 20
    assert lead in doc.text and deep in doc.text
    _true_map(doc)
    at = doc.text.index(deep)
    assert html[doc.to_input(at):doc.to_input(at) + len(deep)] == deep


def test_pages_of_bare_tags_are_refused_quickly(tmp_path):
    """Five megabytes of <br> took the parsers a minute and a gigabyte to find nothing."""
    p = tmp_path / "tags.html"
    p.write_text("<br>" * 250_000)
    t = time.perf_counter()
    with pytest.raises(UnspinError, match="too many HTML elements"):
        load(p)
    assert time.perf_counter() - t < 3


# --- 6. -o - -------------------------------------------------------------------------------


def test_dash_output_is_standard_output(tmp_path):
    proc = run("extract", str(CANDIDATE), "-o", "-", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["input_format"] == "text"
    assert not (tmp_path / "-").exists()


# --- 7. writing the output ------------------------------------------------------------------


def test_output_is_created_exclusively(tmp_path, monkeypatch, capsys):
    """Another run creates the file between the check and the write: this run must not overwrite."""
    out = tmp_path / "report.json"
    real = tempfile.mkstemp
    calls = []

    def racing_mkstemp(*args, **kw):
        calls.append(1)
        result = real(*args, **kw)
        if len(calls) == 2:  # after the early check, before the file is put in place
            out.write_text("the other run's report\n")
        return result

    monkeypatch.setattr(cli.tempfile, "mkstemp", racing_mkstemp)
    with pytest.raises(SystemExit) as exc:
        cli.write_output("this run's report\n", str(out), [], False)
    assert exc.value.code == 2
    assert "output file exists" in capsys.readouterr().err
    assert out.read_text() == "the other run's report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary left behind
    cli.write_output("forced\n", str(out), [], True)
    assert out.read_text() == "forced\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_two_runs_on_one_output_exactly_one_wins(tmp_path):
    out = tmp_path / "out.txt"
    procs = [subprocess.Popen([unspin_script(), "extract", str(SOURCE), "-o", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert sorted(rc for rc, _ in results) == [0, 2, 2], results
    assert all("output file exists" in err for rc, err in results if rc)
    assert out.read_text().startswith("Title:")


def test_temporary_name_is_unique_per_run(tmp_path):
    """A fixed temporary name (".out.txt.unspin-tmp") would collide between runs."""
    (tmp_path / ".out.txt.unspin-tmp").mkdir()
    cli.write_output("report\n", str(tmp_path / "out.txt"), [], False)
    assert (tmp_path / "out.txt").read_text() == "report\n"
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_output_copied_from_a_file(tmp_path, capsys):
    """A scan's results are copied from the file the merge wrote: to a new file (never over
    an existing one without --force), and to standard output, binary or text-only."""
    import contextlib
    import io

    src = tmp_path / "results.jsonl"
    src.write_text('{"url": "https://e.test/\u00e9"}\n', encoding="utf-8")
    out = tmp_path / "hits.jsonl"
    cli.write_output("", str(out), [], False, from_file=src)
    assert out.read_bytes() == src.read_bytes()
    with pytest.raises(SystemExit):
        cli.write_output("", str(out), [], False, from_file=src)
    assert "output file exists" in capsys.readouterr().err
    cli.write_output("", "-", [], False, from_file=src)
    assert capsys.readouterr().out == src.read_text(encoding="utf-8")
    text_only = io.StringIO()
    with contextlib.redirect_stdout(text_only):
        cli.write_output("", "-", [], False, from_file=src)
    assert text_only.getvalue() == src.read_text(encoding="utf-8")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_unusable_output_is_reported_before_any_work(tmp_path):
    """The output is checked first: a missing input is not even read (nor is a long comparison run)."""
    missing = str(tmp_path / "missing.txt")
    exists = tmp_path / "exists.json"
    exists.write_text("{}")
    adir = tmp_path / "adir"
    adir.mkdir()
    cases = [(str(tmp_path / "nodir" / "r.json"), "does not exist"), (str(exists), "--force"),
             (str(adir), "is a directory")]
    if Path("/sys").is_dir():
        try:
            fd, name = tempfile.mkstemp(dir="/sys")
        except OSError:
            cases.append(("/sys/unspin-report.json", "cannot write"))
        else:
            os.close(fd)
            os.unlink(name)
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        cases.append((str(locked / "r.json"), "cannot write"))
    for output, words in cases:
        line = error_line(run("compare", missing, missing, "-o", output))
        assert words in line and "missing.txt" not in line, line
        line = error_line(run("extract", missing, "-o", output))
        assert words in line, line
    assert exists.read_text() == "{}"


# --- 8. named pipes and devices -------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(UnspinError, match="named pipe"):
        load(fifo)
    assert "named pipe" in error_line(run("extract", str(fifo), timeout=30))
    assert "named pipe" in error_line(run("compare", str(SOURCE), str(fifo), timeout=60))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_devices_are_refused():
    for dev in ("/dev/zero", "/dev/null"):
        with pytest.raises(UnspinError, match="a device, not a regular file"):
            load(dev)
    assert "device" in error_line(run("extract", "/dev/zero", timeout=30))


# --- 9. symbolic link loops -----------------------------------------------------------------


def test_symlink_loop_is_named(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(UnspinError, match="symbolic link loop"):
        load(a)
    assert "symbolic link loop" in error_line(run("extract", str(a)))
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(UnspinError, match="no such file"):
        load(dangling)


# --- 10. PDF and other binary formats -------------------------------------------------------

_PDF_BODY = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nThe council met on Tuesday.\ntrailer\n%%EOF\n"


@pytest.mark.parametrize("name,data", [
    ("plain.pdf", _PDF_BODY),
    ("leading-newline.txt", b"\n\n" + _PDF_BODY),
    ("bom.txt", b"\xef\xbb\xbf" + _PDF_BODY),
    ("text-named.pdf", b"The council met on Tuesday and voted to repair the bridge.\n"),
])
def test_pdf_is_refused(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(UnspinError, match="PDF") as info:
        load(p)
    assert str(p) in str(info.value)
    assert "PDF" in error_line(run("extract", str(p)))


@pytest.mark.parametrize("data", [
    b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4,  # gzip
    b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4,
    b"GIF89a" + bytes(range(256)) * 4,
    b"\n  \x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # a signature after some whitespace
    b"PK\x03\x04" + b"word/document.xml" * 20,  # a .docx whose first bytes read as text
])
def test_other_binary_signatures_are_refused(tmp_path, data):
    p = tmp_path / "file.txt"
    p.write_bytes(data)
    with pytest.raises(UnspinError, match="binary file"):
        load(p)


# --- 11. the same source many times ---------------------------------------------------------


def test_duplicate_sources_are_ignored_with_a_note(tmp_path):
    copy = tmp_path / "copy.html"
    copy.write_bytes(SOURCE.read_bytes())
    extra = [a for _ in range(20) for a in ("--source", str(SOURCE))] + ["--source", str(copy)]
    args = ["compare", str(SOURCE), str(CANDIDATE), "--judge", "rules", "--format", "json"]
    once = run(*args, timeout=300)
    many = run(*args, *extra, timeout=300)
    assert once.returncode == 0 and many.returncode == 0, many.stderr
    notes = many.stderr.splitlines()
    assert len(notes) == 21 and all(n.startswith("unspin: ignoring duplicate source") for n in notes), notes
    assert f"{copy} (same text as {SOURCE})" in notes[-1]
    a, b = json.loads(once.stdout), json.loads(many.stdout)
    assert len(b["findings"]) == len(a["findings"])
    assert [f["type"] for f in b["findings"]].count("omission") == [f["type"] for f in a["findings"]].count(
        "omission")


# --- 12. invisible format characters inside words -------------------------------------------

INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"]


@pytest.mark.parametrize("ch", INVISIBLES)
def test_invisible_characters_do_not_split_words(tmp_path, ch):
    text = (f"President Bid{ch}en said on Tuesday that the Hadley Street Bridge would re{ch}open in May.\n\n"
            f"{ch}The council{ch} agreed {ch} to pay for the work.\n")
    p = tmp_path / "article.txt"
    p.write_text(text)
    doc = load(p)
    assert ch not in doc.text
    assert doc.text == ("President Biden said on Tuesday that the Hadley Street Bridge would reopen in "
                        "May.\n\nThe council agreed  to pay for the work.")
    _true_map(doc)
    at = doc.text.index("Biden")
    assert text[doc.to_input(at):doc.to_input(at) + 3] == "Bid"
    assert text[doc.to_input(at + 3):doc.to_input(at + 3) + 2] == "en"
    html = tmp_path / "article.html"
    html.write_text(f"<html><body><article><p>President Bid{ch}en said on Tuesday that the bridge would "
                    f"re&#{ord(ch)};open in May, and the council agreed.</p></article></body></html>")
    hdoc = load(html)
    assert "President Biden said" in hdoc.text and "reopen" in hdoc.text and ch not in hdoc.text
    _true_map(hdoc)
    assert hdoc.to_input(hdoc.text.index("President")) is not None


def test_invisible_characters_do_not_hide_findings(tmp_path):
    import re

    clean = CANDIDATE.read_text()
    dirty = re.sub(r"\b(\w{3})(\w{3,})", lambda m: m.group(1) + "\u200b" + m.group(2), clean, count=60)
    dirty = dirty.replace("Bridge", "Bri\u00addge").replace("council", "coun\u2060cil")
    assert dirty != clean
    p = tmp_path / "candidate.txt"
    p.write_text(dirty)
    a = unspin.compare(SOURCE, CANDIDATE, judge="rules")
    b = unspin.compare(SOURCE, p, judge="rules")
    assert [f.type for f in b.findings] == [f.type for f in a.findings]
    for f in b.findings:
        if f.candidate:
            assert b.candidate.doc.text[f.candidate.start:f.candidate.end] == f.candidate.text
    assert b.candidate.doc.text == a.candidate.doc.text


# --- property-based: ingest never crashes, spans stay true ----------------------------------

_ALPHABET = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(["\x00", "\x07", "\x19", "\x92", "\r", "\n", "\n\n", "\t", " ", "\u200b", "\u00ad",
                     "\ufeff", "\ufffd", "<", ">", "&", "&amp;", "&#8203;", "<p>", "</p>", "<div>", "<br>",
                     "<!--", "-->", "<script>", "@", ".", "Home > ", "By ", "\u00a9 2024", "Related"]),
)
_TEXTS = st.one_of(
    st.lists(_ALPHABET, max_size=200).map("".join),
    st.lists(st.sampled_from(["The council met on Tuesday.", "It voted to repair the bridge,",
                              "said the mayor", "\n", "\n\n", "<p>", "</p>", "\u200b", "a" * 3000, "x@y.z",
                              "+44 20 7946 0000"]), max_size=30).map(" ".join),
)
_FAST = settings(max_examples=60, deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow],
                 database=None)


def _paragraphs_true(doc: Document) -> None:
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text
    raw = scrub_controls(doc.raw)
    for body_start, input_start, length in doc.source_map:
        assert doc.text[body_start:body_start + length] == raw[input_start:input_start + length]


@_FAST
@given(text=_TEXTS)
def test_text_ingest_never_crashes(text):
    for kind in ("text", "html"):
        try:
            doc = extract(text, kind)
        except UnspinError as exc:
            assert "\n" not in str(exc)
            continue
        _paragraphs_true(doc)
    try:
        doc = Document.from_text(text)
    except UnspinError:
        return
    _paragraphs_true(doc)


@_FAST
@given(data=st.one_of(st.binary(max_size=600), _TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".html", "", ".md"]))
def test_file_ingest_never_crashes(data, suffix):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"input{suffix}"
        p.write_bytes(data)
        try:
            doc = load(p)
        except UnspinError as exc:
            assert "\n" not in str(exc)
            return
        _paragraphs_true(doc)


@settings(max_examples=30, deadline=timedelta(seconds=3), database=None)
@given(unit=st.text(st.sampled_from("a1.@<>&-/ \n\u200b\u00e9+:(\"'"), min_size=1, max_size=4))
def test_long_repetitions_stay_fast(unit):
    text = unit * (40_000 // len(unit))
    t = time.perf_counter()
    for kind in ("text", "html"):
        try:
            doc = extract(text, kind)
        except UnspinError:
            continue
        _paragraphs_true(doc)
    assert time.perf_counter() - t < 2.5, repr(unit)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_long_dotted_run_segments_in_linear_time():
    """A 100,000-character run of "a.a.a…" (the period check once scanned the whole run for each
    period: quadratic, about half an hour at 500,000 characters)."""
    from unspin.segment import segment

    t = time.perf_counter()
    seg = segment(Document.from_text("The report said so. " + "a." * 50_000 + " Then it ended."))
    assert seg.sentences and time.perf_counter() - t < 10


def test_api_drops_duplicate_sources():
    import unspin

    src = Document.from_text("The council approved the plan on Tuesday. Work starts in spring, "
                             "a spokesman said.")
    cand = Document.from_text("The council approved the plan on Tuesday. Work will start in spring.")
    once = unspin.compare(src, cand)
    many = unspin.compare(src, cand, extra_sources=[src] * 5)
    assert len(many.sources) == 1
    assert [f.type for f in many.findings] == [f.type for f in once.findings]
