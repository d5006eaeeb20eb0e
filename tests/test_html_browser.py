"""The HTML report in a real headless Chromium: it renders, its script runs, nothing is fetched.

Needs the Debian ``chromium`` package (/usr/bin/chromium). Skipped where it is missing, except
under CI (env CI set), where a missing browser is a failure. Clicks and key presses go through
the DevTools protocol on a pipe (``--remote-debugging-pipe``), so no extra package is needed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES
from report_fixture import build_report, compare_or_skip

from unspin.report.html import passage_views, render_html

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


class Page:
    """One headless Chromium tab driven over the DevTools protocol on a pipe: Chromium reads
    NUL-terminated JSON commands on fd 3 and answers on fd 4. Real mouse and key events, so the
    page's own script handles them as it would a reader's."""

    def __init__(self, browser: Path, size=(1280, 2000)):
        self.profile = tempfile.mkdtemp(prefix="unspin-cdp-")
        child_in, self._out = os.pipe()
        self._in, child_out = os.pipe()
        null = os.open(os.devnull, os.O_RDWR)
        actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1),
                   (os.POSIX_SPAWN_DUP2, null, 2), (os.POSIX_SPAWN_DUP2, child_in, 3),
                   (os.POSIX_SPAWN_DUP2, child_out, 4)]
        args = [str(browser), *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe",
                f"--window-size={size[0]},{size[1]}", "about:blank"]
        self.pid = os.posix_spawn(str(browser), args, os.environ, file_actions=actions)
        for fd in (child_in, child_out, null):
            os.close(fd)
        self._buf, self._id, self._events, self._session = b"", 0, [], None
        try:
            targets = self.call("Target.getTargets")["targetInfos"]
            tab = next(t for t in targets if t["type"] == "page")
            self._session = self.call("Target.attachToTarget", targetId=tab["targetId"],
                                      flatten=True)["sessionId"]
            self.call("Page.enable")
            self.call("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1],
                      deviceScaleFactor=1, mobile=False)
        except BaseException:
            self.close()
            raise

    def _message(self, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise ConnectionError("chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, timeout: float = 60, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if self._session and not method.startswith(("Target.", "Browser.")):
            msg["sessionId"] = self._session
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._message(timeout)
            if reply.get("id") == self._id:
                assert "error" not in reply, (method, reply["error"])
                return reply.get("result", {})
            self._events.append(reply)

    def open(self, url: str, timeout: float = 60) -> None:
        self._events.clear()
        self.call("Page.navigate", url=url)
        end = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self._events):
            self._events.append(self._message(max(0.01, end - time.monotonic())))

    def js(self, expression: str):
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in res, res["exceptionDetails"]
        return res["result"].get("value")

    def click(self, selector: str) -> None:
        """A left click in the middle of the element, as a mouse gives it."""
        x, y = self.js(f"(function () {{ var el = document.querySelector({json.dumps(selector)}); "
                       "el.scrollIntoView({block: 'center'}); var r = el.getBoundingClientRect(); "
                       "return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                      windowsVirtualKeyCode=13, **({"text": "\r"} if kind == "keyDown" else {}))

    def settle(self, seconds: float = 2.0) -> None:
        """Wait until smooth scrolling has stopped (and the highlight flash is over)."""
        end, last = time.monotonic() + seconds, None
        while time.monotonic() < end:
            time.sleep(0.2)
            now = self.js("window.scrollY")
            if now == last and time.monotonic() > end - seconds / 2:
                break
            last = now

    def screenshot(self, png: Path) -> bytes:
        data = base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])
        png.write_bytes(data)
        return data

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone
            self.call("Browser.close", timeout=10)
        for _ in range(50):
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            time.sleep(0.1)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self._in)
        os.close(self._out)
        shutil.rmtree(self.profile, ignore_errors=True)


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


# ----------------------------------------------------------------------------------- passage map

_ACTIVE = """(function () {
  function ids(sel) { return Array.prototype.map.call(document.querySelectorAll(sel),
    function (el) { return el.id || el.getAttribute("data-side") || el.tagName.toLowerCase(); }); }
  function shown(id) { var el = document.getElementById(id); if (!el) return false;
    var r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight; }
  var on = ids(".sent.p-on[id]");
  return {sents: on, blocks: ids(".pblock.p-on"), rows: ids("tr.p-on"),
          ribbons: document.querySelectorAll(".ribbon.p-on").length,
          shown: on.filter(shown), hash: location.hash, scroll: window.scrollY};
})()"""


def _passage_page(chromium: Path, report, tmp_path: Path) -> tuple[Page, Path]:
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    tab = Page(chromium, size=(1280, 900))
    tab.open(page.as_uri())
    return tab, page


def test_clicking_a_passage_block_highlights_both_sides(chromium, tmp_path):
    from test_report import copied_passage_report

    report = copied_passage_report()
    (view,) = passage_views(report)
    want_c = [f"c{i}" for i in view.cand_sents]
    want_s = [f"s{i}" for i in view.src_sents]
    tab, _ = _passage_page(chromium, report, tmp_path)
    try:
        assert "js-ready" in tab.js("document.body.className")
        assert tab.js("document.body.getAttribute('data-passages')") == "1"
        assert tab.js("document.querySelectorAll('.p-on').length") == 0
        tab.click('.pblock[data-passage="P1"][data-side="c"]')
        tab.settle()
        got = tab.js(_ACTIVE)
        assert sorted(got["sents"]) == sorted(want_c + want_s)  # both sides, and nothing else
        assert sorted(got["blocks"]) == ["c", "s"] and got["ribbons"] == 1 and len(got["rows"]) == 1
        assert got["hash"] == "#P1"
        # scrolled down to the text, with the passage's start in view on both sides
        assert got["scroll"] > 300
        assert want_c[0] in got["shown"] and want_s[0] in got["shown"], got
        data = tab.screenshot(tmp_path / "passage.png")
    finally:
        tab.close()
    width, height, pixels = decode_png(data)
    assert (width, height) == (1280, 900)
    ink, colours = pixel_stats(pixels)
    assert ink > 0.05 and colours > 200
    # the selected passage's margin bar (#166534, verbatim) is drawn on both text columns
    bar = np.all(np.abs(pixels.astype(int) - (0x16, 0x65, 0x34)) <= 6, axis=2)
    cols = np.flatnonzero(bar.sum(axis=0) > 40)
    assert len(cols) >= 6 and cols.max() - cols.min() > 300, cols


def test_passage_blocks_work_from_the_keyboard_with_several_sources(chromium, tmp_path):
    from test_report import two_source_passage_report

    report = two_source_passage_report()
    views = {v.pid: v for v in passage_views(report)}
    assert len(views) == 2
    tab, page = _passage_page(chromium, report, tmp_path)
    try:
        tab.click('.pblock[data-passage="P1"][data-side="s"]')
        tab.settle()
        assert sorted(tab.js(_ACTIVE)["sents"]) == sorted(
            [f"c{i}" for i in views["P1"].cand_sents] + [f"s{i}" for i in views["P1"].src_sents])
        # Tab-reachable: focus P2's source block (the second source document) and press Enter
        tab.js("document.querySelector('.pblock[data-passage=\"P2\"][data-side=\"s\"]').focus()")
        assert tab.js("document.activeElement.getAttribute('data-doc')") == "1"
        tab.press_enter()
        tab.settle()
        got = tab.js(_ACTIVE)
        assert sorted(got["sents"]) == sorted(
            [f"c{i}" for i in views["P2"].cand_sents] + [f"s{i}" for i in views["P2"].src_sents])
        assert got["hash"] == "#P2"
    finally:
        tab.close()
    # a link to #P2 opens with the passage selected
    dom = dump_dom(chromium, page, tmp_path, "#P2")
    assert re.search(r'<tr class="pk-\w+ p-on" data-passage="P2">', dom)
