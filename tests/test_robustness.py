"""Bad input never gives a traceback; every valid input, however odd, gives a report.

CLI runs go through the installed console script (as a user runs it); the rest uses the API
in-process to keep the suite quick.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from cli_helpers import bad_files, run, unspin_script
from conftest import EXAMPLES

import unspin
from unspin import Document, UnspinError
from unspin.cli import write_output
from unspin.ingest import read_input
from unspin.report.html import render_html
from unspin.report.json_report import to_json
from unspin.report.terminal import render_terminal

SOURCE = EXAMPLES / "source.html"
CANDIDATE = EXAMPLES / "candidate.txt"
UNRELATED = ("The recipe calls for two cups of flour and a pinch of salt. Bake the loaf at 200 degrees for "
             "forty minutes. Let it cool on a rack before slicing. Serve it warm with butter and jam.\n")


def one_error_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("unspin: error: ")
    return lines[0]


@pytest.mark.parametrize("kind", ["missing", "directory", "empty", "whitespace", "binary", "too large",
                                  "html without article"])
def test_compare_bad_input_either_side(tmp_path, kind):
    bad = bad_files(tmp_path)[kind]
    proc = run("compare", str(SOURCE), str(bad), "--format", "json")
    assert str(bad) in one_error_line(proc)
    assert proc.stdout == ""
    for args, extra in (((bad, CANDIDATE), ()), ((SOURCE, CANDIDATE), (bad,))):  # the same check, in-process
        with pytest.raises(UnspinError, match=re.escape(str(bad))):
            unspin.compare(*args, extra_sources=extra)


@pytest.mark.parametrize("args", [
    ("compare", str(SOURCE)),
    ("compare", str(SOURCE), str(CANDIDATE), "--format", "yaml"),
    ("nosuchcommand",),
    ("compare", str(SOURCE), str(CANDIDATE), "--source"),
])
def test_usage_errors_are_one_line(args):
    one_error_line(run(*args))


def test_a_name_with_a_newline_stays_on_one_line(tmp_path):
    line = one_error_line(run("compare", str(SOURCE), str(tmp_path / "no\nsuch.txt")))
    assert "no\\nsuch.txt" in line


def test_closed_and_full_stdout():
    closed = subprocess.run(f"'{unspin_script()}' extract '{SOURCE}' >&-", shell=True, capture_output=True,
                            text=True, timeout=120)
    assert "standard output is closed" in one_error_line(closed)
    if Path("/dev/full").exists():
        with open("/dev/full", "w") as full:
            proc = subprocess.run([unspin_script(), "extract", str(SOURCE)], stdout=full,
                                  stderr=subprocess.PIPE, text=True, timeout=120)
        assert "No space left" in one_error_line(proc)


def test_piped_into_head_is_quiet():
    proc = subprocess.Popen([unspin_script(), "compare", str(SOURCE), str(CANDIDATE), "--format", "html"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(20)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "Exception" not in err
    assert proc.returncode in (0, 1)


def test_non_utf8_terminal():
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    base = [unspin_script(), "compare", str(SOURCE), str(CANDIDATE)]
    term = subprocess.run(base, capture_output=True, env=env, timeout=120)
    assert term.returncode == 0, term.stderr
    assert b"WHOLLY DERIVED" in term.stdout and b"+- unspin report" in term.stdout
    js = subprocess.run([*base, "--format", "json"], capture_output=True, env=env, timeout=120)
    assert js.returncode == 0, js.stderr
    data = json.loads(js.stdout.decode("utf-8"))  # JSON (and HTML) are always UTF-8, whatever the terminal
    assert data["verdict"]["label"] == "wholly_derived"


def test_report_is_never_written_over_an_input(tmp_path):
    cand = tmp_path / "cand.txt"
    cand.write_text(CANDIDATE.read_text())
    os.link(cand, tmp_path / "hard.txt")
    proc = run("compare", str(SOURCE), str(cand), "-o", str(tmp_path / "hard.txt"), "--force")
    assert "over an input file" in one_error_line(proc)
    assert cand.read_text() == CANDIDATE.read_text()


def _write_error(capsys, *args, **kw) -> str:
    with pytest.raises(SystemExit) as exc:
        write_output("report\n", *args, **kw)
    assert exc.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("unspin: error: ")
    return lines[0]


def test_output_rules(tmp_path, capsys):
    inp = tmp_path / "in.txt"
    inp.write_text("x")
    out = tmp_path / "r.html"
    assert "input file" in _write_error(capsys, str(tmp_path / "." / "in.txt"), [str(inp)], True)
    assert "does not exist" in _write_error(capsys, str(tmp_path / "nodir" / "r.html"), [str(inp)], False)
    assert "is a directory" in _write_error(capsys, str(tmp_path), [str(inp)], True)
    assert "empty" in _write_error(capsys, "", [str(inp)], False)
    write_output("first\n", str(out), [str(inp)], False)
    assert "--force" in _write_error(capsys, str(out), [str(inp)], False)
    write_output("second\n", str(out), [str(inp)], True)
    assert out.read_text() == "second\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "r.html"]  # no temporary left behind
    write_output("gone\n", os.devnull, [str(inp)], False)  # a device is written to, never replaced
    assert Path(os.devnull).is_char_device()


def test_encodings_are_read(tmp_path):
    text = "Le café de Zoë a fermé. « C'est la fin », a dit le maire, très déçu.\n"
    for enc in ("utf-16", "utf-16-le", "utf-16-be", "latin-1", "utf-8-sig"):
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(text.encode(enc))
        assert read_input(p) == (text.lstrip("\ufeff"), "text"), enc


def _all_formats(report) -> None:
    assert render_terminal(report, color=False).strip()
    json.dumps(to_json(report))
    assert render_html(report).startswith("<!DOCTYPE html>")


ODD_CANDIDATES = {
    "one sentence": "The council voted on Tuesday to repair the Hadley Street Bridge.",
    "only punctuation": "... !!! ???\n\n---",
    "only quotes": '"Yes."\n\n"No."\n\n\u201cMaybe so,\u201d \u201cI think.\u201d',
    "unbalanced quotes": ('The mayor said "we will fix the bridge. Nobody doubted it.\n\n'
                          '\u201cOpen quote never closes, and the council agreed "this is final.'),
    "unrelated": UNRELATED,
}


@pytest.mark.parametrize("kind", list(ODD_CANDIDATES))
def test_odd_but_valid_pairs_give_reports_both_ways(kind):
    odd = Document.from_text(ODD_CANDIDATES[kind])
    for report in (unspin.compare(SOURCE, odd), unspin.compare(odd, SOURCE)):
        assert report.verdict.label in ("wholly_derived", "partially_derived", "not_derived")
        _all_formats(report)


def test_identical_pair_is_wholly_derived():
    report = unspin.compare(CANDIDATE, CANDIDATE)
    assert report.verdict.label == "wholly_derived"
    assert report.alignment.coverage.source_conveyed > 0.99
    _all_formats(report)
    twice = unspin.compare(CANDIDATE, CANDIDATE, extra_sources=[CANDIDATE])  # the same source given twice
    assert twice.verdict.label == "wholly_derived"
    _all_formats(twice)


def test_text_api():
    """Strings are paths; text in memory goes through Document.from_text."""
    text = CANDIDATE.read_text()
    report = unspin.compare(Document.from_text(text), Document.from_text(text.split("\n\n", 3)[2]))
    assert report.verdict.derived
    with pytest.raises(UnspinError, match="Document.from_text"):
        unspin.compare(text, CANDIDATE)
    with pytest.raises(UnspinError, match="Document.from_text"):
        unspin.compare("x" * 5000, CANDIDATE)
    with pytest.raises(UnspinError, match="empty"):
        Document.from_text("  \n\n ")
    with pytest.raises(TypeError, match="file path or a Document"):
        unspin.compare(None, CANDIDATE)
    one_extra = unspin.compare(SOURCE, CANDIDATE, extra_sources=str(CANDIDATE))  # one path, not its letters
    assert len(one_extra.sources) == 2


def test_unpunctuated_text_is_cut_into_bounded_sentences():
    """A run with no full stops becomes pieces of at most MAX_SENTENCE_CHARS, not one sentence
    whose n-grams and fuzzy ratios would cost gigabytes in align."""
    from unspin.segment import MAX_SENTENCE_CHARS, segment
    from unspin.types import Document

    phrase = ("the council said that members would review the budget later, and the mayor "
              "agreed that the plan needed more work before any vote")
    words = phrase.split()
    text = " ".join(words[i % len(words)] for i in range(30_000))
    seg = segment(Document.from_text(text))
    assert len(seg.sentences) > 100
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in seg.sentences)
    assert all(text[s.start:s.end] == s.text for s in seg.sentences)


@pytest.mark.parametrize("text", ["Yes. " * 100_000, "word " * 250_000])
def test_huge_texts_are_refused_quickly(text):
    """Too many sentences or characters: one-line error before the slow sentence split."""
    import time

    from unspin.segment import segment
    from unspin.types import Document, UnspinError

    t = time.perf_counter()
    with pytest.raises(UnspinError, match="split it into articles"):
        segment(Document.from_text(text))
    assert time.perf_counter() - t < 1.0


def test_stray_control_characters_are_text_not_binary(tmp_path):
    """Scraped text with a NUL, a bell and an escape in it compares like the clean text, and the
    JSON report's input offsets count characters of the file as given, controls included."""
    text = CANDIDATE.read_text()
    first = text.index("\n\n")
    dirty = text[:first] + "\x00" + text[first:].replace(" the ", " the\x07 ", 3) + "\x1b\n"
    cand = tmp_path / "scraped.txt"
    cand.write_bytes(dirty.encode("utf-8"))
    proc = run("compare", str(SOURCE), str(cand), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["verdict"]["label"] == "wholly_derived"
    clean = unspin.compare(SOURCE, CANDIDATE)
    assert len(data["findings"]) == len(clean.findings)
    spans = [p["candidate"] for p in data["passages"] if "input_start" in p["candidate"]]
    assert spans
    for span in spans:
        body, given = " ".join(span["text"].split()), dirty[span["input_start"]:span["input_end"]]
        assert " ".join(given.replace("\x07", " ").replace("\x00", " ").split()) == body
