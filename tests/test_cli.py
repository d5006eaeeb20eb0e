"""`unspin extract` as a user runs it: the installed console script, in a subprocess.

Every bad input must end in exactly one stderr line "unspin: error: ..." and exit code 2.
"""

from __future__ import annotations

import json

import pytest
from cli_helpers import bad_files, run
from conftest import EXAMPLES

from unspin.types import SCHEMA_VERSION


@pytest.mark.parametrize("kind", ["missing", "directory", "empty", "whitespace", "binary", "undecodable",
                                  "too large", "html without article"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_extract_bad_input_is_one_line_and_exit_2(tmp_path, kind, fmt):
    path = bad_files(tmp_path)[kind]
    proc = run("extract", str(path), "--format", fmt)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("unspin: error: ")
    assert str(path) in lines[0]
    assert "Traceback" not in proc.stderr


def test_extract_text_output():
    proc = run("extract", str(EXAMPLES / "source.html"))
    assert proc.returncode == 0, proc.stderr
    head, _, body = proc.stdout.partition("\n\n")
    assert "Title: Council approves $18.6 million repair of Hadley Street Bridge" in head
    assert "By: Elena Sorensen" in head
    assert "Date: 2025-10-15" in head
    assert body.startswith("The 63-year-old span")
    assert proc.stderr == ""


def test_extract_json_output():
    proc = run("extract", str(EXAMPLES / "source.html"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["input_format"] == "html"
    assert data["authors"] == ["Elena Sorensen"]
    for key in ("title", "date", "tags", "site_name", "url", "text", "paragraphs"):
        assert key in data
    for p in data["paragraphs"]:
        assert 0 <= p["start"] < p["end"] <= len(data["text"])
    assert data["text"][data["paragraphs"][-1]["start"]:].endswith("Eastgate Elementary School.")


def test_extract_plain_text(tmp_path):
    p = tmp_path / "article.txt"
    text = "The bridge reopened on Monday.\n\nDrivers said the detour had added twenty minutes."
    p.write_text(text + "\n")
    proc = run("extract", str(p), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["input_format"] == "text"
    assert data["text"] == text


def test_extract_unknown_format_is_a_usage_error(tmp_path):
    proc = run("extract", str(EXAMPLES / "source.html"), "--format", "yaml")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
