"""The HTML report in a real headless Chromium: it renders, its script runs, nothing is fetched.

Needs the Debian ``chromium`` package (/usr/bin/chromium). Skipped where it is missing, except
under CI (env CI set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES
from report_fixture import build_report, compare_or_skip

from unspin.report.html import render_html

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars"]

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing on CI: install the Debian 'chromium' package")
        pytest.skip(f"headless browser check needs {CHROMIUM} (Debian package 'chromium')")
    return CHROMIUM


def _run(browser: Path, tmp: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [str(browser), *FLAGS, f"--user-data-dir={profile}", *extra, url]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert run.returncode == 0, run.stderr[-2000:]
    return run


def screenshot(browser: Path, html_file: Path, png: Path, size=(1280, 2000)) -> bytes:
    _run(browser, png.parent, html_file.as_uri(), f"--screenshot={png}", f"--window-size={size[0]},{size[1]}")
    assert png.exists(), "chromium wrote no screenshot"
    return png.read_bytes()


def dump_dom(browser: Path, html_file: Path, tmp: Path, fragment: str = "") -> str:
    return _run(browser, tmp, html_file.as_uri() + fragment, "--dump-dom", "--window-size=1280,2000").stdout


def decode_png(data: bytes) -> tuple[int, int, np.ndarray]:
    """Width, height and RGB pixels (height x width x 3) of an 8-bit, non-interlaced PNG (what
    Chromium writes); filters 0-2 vectorised, 3-4 byte by byte."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=y * (stride + 1) + 1)
        if f == 0:
            cur = line.copy()
        elif f == 1:  # Sub: a running sum per channel
            run = np.cumsum(line.reshape(width, bpp), axis=0, dtype=np.uint64) % 256
            cur = run.astype(np.uint8).ravel()
        elif f == 2:  # Up
            cur = line + prev
        else:  # Average and Paeth depend on the pixel just decoded: byte by byte
            out, up = bytearray(line.tobytes()), prev.tobytes()
            for i in range(stride):
                a = out[i - bpp] if i >= bpp else 0
                b = up[i]
                if f == 3:
                    out[i] = (out[i] + (a + b) // 2) & 255
                else:
                    c = up[i - bpp] if i >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            cur = np.frombuffer(bytes(out), dtype=np.uint8)
        rows.append(cur)
        prev = cur
    return width, height, np.stack(rows).reshape(height, width, bpp)[:, :, :3]


def pixel_stats(pixels: np.ndarray) -> tuple[float, int]:
    """Share of non-white pixels and number of distinct colours."""
    ink = float((pixels.min(axis=2) < 235).mean())
    flat = pixels.reshape(-1, 3).astype(np.uint32)
    colours = len(np.unique(flat[:, 0] << 16 | flat[:, 1] << 8 | flat[:, 2]))
    return ink, colours


def _check_rendered(chromium: Path, html: str, tmp_path: Path, n_findings: int) -> None:
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    png = screenshot(chromium, page, tmp_path / "report.png")
    width, height, pixels = decode_png(png)
    assert (width, height) == (1280, 2000)
    ink, colours = pixel_stats(pixels)
    assert ink > 0.05, f"screenshot looks blank: {ink:.1%} non-white"
    assert colours > 200, f"screenshot has only {colours} colours"
    # the top band (verdict and coverage) is drawn, not only the page background
    top_ink, _ = pixel_stats(pixels[:260])
    assert top_ink > 0.03, f"header looks empty: {top_ink:.1%}"

    dom = dump_dom(chromium, page, tmp_path)
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert "js-ready" in body and "no-js" not in body, body  # the script ran (CSP hash matches)
    assert f'data-findings="{n_findings}"' in body, body
    assert f'data-located="{n_findings}"' in body, body  # every finding has its highlight
    assert len(re.findall(r'<li class="finding ', dom)) == n_findings


def test_fixture_report_renders_in_chromium(chromium, tmp_path):
    report = build_report()
    _check_rendered(chromium, render_html(report), tmp_path, len(report.findings))


def test_selecting_a_finding_by_url_fragment(chromium, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_html(build_report()), encoding="utf-8")
    dom = dump_dom(chromium, page, tmp_path, "#F6")
    assert re.search(r'<li class="finding [^"]*\bactive\b[^"]*" id="F6"', dom), "finding F6 not selected"
    assert re.search(r'<mark class="[^"]*\bactive\b[^"]*" id="F6-s"', dom), "F6's source span not marked"


def test_script_cannot_be_injected_through_article_text(chromium, tmp_path):
    from report_fixture import CANDIDATE_PARAGRAPHS

    evil = CANDIDATE_PARAGRAPHS + [["<script>document.body.setAttribute('data-pwned','1')</script> Text."]]
    page = tmp_path / "report.html"
    page.write_text(render_html(build_report(candidate_paragraphs=evil)), encoding="utf-8")
    dom = dump_dom(chromium, page, tmp_path)
    assert "data-pwned" not in re.search(r"<body[^>]*>", dom).group(0)


def test_real_comparison_renders_in_chromium(chromium, tmp_path):
    source, candidate = EXAMPLES / "source.html", EXAMPLES / "candidate.txt"
    if not (source.exists() and candidate.exists()):
        pytest.skip("examples/source.html and examples/candidate.txt are not in the repository yet")
    report = compare_or_skip(source, candidate)
    _check_rendered(chromium, render_html(report), tmp_path, len(report.findings))


def test_seed_case_renders_in_chromium(chromium, shared, tmp_path):
    report = compare_or_skip(shared / "cases/seed/source.txt", shared / "cases/seed/candidate.txt")
    _check_rendered(chromium, render_html(report), tmp_path, len(report.findings))
