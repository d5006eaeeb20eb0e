"""Helpers for tests that run the installed console script (shared by the CLI test modules)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from unspin.ingest import MAX_BYTES


def unspin_script() -> str:
    """The installed ``unspin`` console script; the test is skipped where it is not installed."""
    local = Path(sys.executable).parent / "unspin"
    found = str(local) if local.exists() else shutil.which("unspin")
    if not found:
        pytest.skip("the unspin console script is not installed (pip install -e .)")
    return found


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([unspin_script(), *args], capture_output=True, text=True, timeout=120)


def bad_files(tmp_path: Path) -> dict[str, Path]:
    """One real file (or path) per kind of bad input, written under ``tmp_path``."""
    d = tmp_path / "adir"
    d.mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\n\t \n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (tmp_path / "noise.bin").write_bytes(bytes((i * 7919) % 255 + 1 for i in range(4000)))
    with (tmp_path / "big.txt").open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    (tmp_path / "nav.html").write_text("<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav>"
                                       "</body></html>")
    return {
        "missing": tmp_path / "missing.txt",
        "directory": d,
        "empty": tmp_path / "empty.txt",
        "whitespace": tmp_path / "blank.txt",
        "binary": tmp_path / "image.png",
        "undecodable": tmp_path / "noise.bin",
        "too large": tmp_path / "big.txt",
        "html without article": tmp_path / "nav.html",
    }
