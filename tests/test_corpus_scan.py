"""Index and scan end to end on real articles: the annotated cases under bench/heldout*
(PA copy as the archive, materialised from ../shared; their spun rewrites and independent
same-story controls wrapped in web pages as the crawl, with awkward records among them), and
the bundled example where ../shared is absent."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from unspin.corpus import index as idx
from unspin.corpus.job import run_scan
from unspin.corpus.records import iter_paths, plan_partitions
from unspin.corpus.scan import ScanConfig
from unspin.types import UnspinError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> list[Path]:
    """The held-out cases with their PA source text filled in from ../shared."""
    if not (ROOT.parent / "shared" / "data" / "meter").is_dir():
        pytest.skip("../shared/data/meter not found (the held-out cases' sources live there)")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from heldout import materialise
    finally:
        sys.path.pop(0)
    dest = tmp_path_factory.mktemp("cases")
    out = []
    for i, d in enumerate(sorted(ROOT.glob("bench/heldout*/"))):
        if d.is_dir() and any(d.glob("*/meta.json")):
            out += materialise(dest / str(i), d)
    return out


def _page(title: str, body: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    nav = "".join(f"<li><a href='/n{i}'>Latest headline number {i}</a></li>" for i in range(8))
    return (f"<html><head><title>{title}</title></head><body><nav><ul>{nav}</ul></nav>"
            f"<article><h1>{title}</h1>{paras}</article><footer>Copyright 2024 Example News</footer>"
            "</body></html>").encode()


def _record(writer: WARCWriter, url: str, payload: bytes, status: str = "200 OK",
            ctype: str = "text/html; charset=utf-8") -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                  http_headers=http))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, cases):
    """(archive dir, crawl WARC, {url: (source id, derived?)}) built from the cases."""
    base = tmp_path_factory.mktemp("corpus")
    archive = base / "archive"
    archive.mkdir()
    truth = {}
    warc = base / "crawl.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i, case in enumerate(cases):
            src = case / "source.txt"
            sid = f"{case.parent.name}-{case.name}"
            (archive / f"{sid}{src.suffix}").write_bytes(src.read_bytes())
            exp = json.loads((case / "expected.json").read_text())
            url = f"https://copies{i % 3}.example/story/{i}"
            text = (case / "candidate.txt").read_text(encoding="utf-8")
            _record(writer, url, _page(f"Story {i}", text))
            truth[url] = (sid, bool(exp["verdict"]["derived"]))
        _record(writer, "https://copies0.example/missing", b"<html><body>Not found</body></html>",
                "404 Not Found")
        _record(writer, "https://copies0.example/logo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64,
                ctype="image/jpeg")
        german = ("Der Angeklagte wurde am Dienstag vor dem Landgericht zu einer Haftstrafe verurteilt, "
                  "weil er nach Ansicht der Richter mehrere Einbrüche in der Stadt begangen hatte. ") * 6
        _record(writer, "https://copies1.example/de", _page("Urteil", german))
    return archive, warc, truth


@pytest.fixture(scope="module")
def db(corpus, cases, tmp_path_factory):
    archive, _, _ = corpus
    path = tmp_path_factory.mktemp("db")
    stats = idx.add(path, iter_paths([str(archive)]))
    assert stats.added == len(cases) and not stats.errors
    return path


@pytest.fixture(scope="module")
def scanned(corpus, db, tmp_path_factory):
    _, warc, _ = corpus
    work = tmp_path_factory.mktemp("work")
    config = ScanConfig(db=str(db), audit="rules", keep_text=True, trace=True)
    return run_scan(plan_partitions([str(warc)]), config, work / "w", workers=1)


def test_index_is_incremental(corpus, cases, tmp_path):
    archive, _, _ = corpus
    first = idx.add(tmp_path, iter_paths([str(archive)]))
    again = idx.add(tmp_path, iter_paths([str(archive)]))
    assert (first.added, again.added, again.unchanged) == (len(cases), 0, len(cases))
    gen = idx.Index(tmp_path).generation
    one = sorted(archive.iterdir())[0]
    copy = tmp_path / "more"
    copy.mkdir()
    (copy / one.name).write_bytes(one.read_bytes() + b"\n\nThe editors added a closing paragraph.\n")
    changed = idx.add(tmp_path, iter_paths([str(copy)]))
    assert (changed.added, changed.replaced) == (0, 1)
    assert idx.Index(tmp_path).generation == gen + 1


def test_scan_finds_the_copies_and_only_them(corpus, scanned):
    _, _, truth = corpus
    reported = {(r["url"], r["source_id"]) for r in scanned.rows}
    derived = {u: s for u, (s, d) in truth.items() if d}
    found = sum((u, s) in reported for u, s in derived.items())
    assert found >= 0.9 * len(derived), f"{found}/{len(derived)} copies found"
    wrong = [(u, s) for u, s in reported if truth.get(u, (None,))[0] != s]
    assert not wrong, wrong
    controls = [u for u, (_, d) in truth.items() if not d and any(r == u for r, _ in reported)]
    assert len(controls) <= 1, controls


def test_scan_counts_what_it_skips(scanned):
    assert scanned.skipped.get("http_error") == 1
    assert scanned.skipped.get("not_html") == 1
    assert scanned.skipped.get("other_language") == 1


def test_rows_carry_location_and_evidence(corpus, scanned):
    _, warc, _ = corpus
    row = scanned.rows[0]
    assert row["warc_file"] == str(warc) and row["record_id"].startswith("<urn:uuid:")
    with open(warc, "rb") as fh:  # the offset points at the record's own gzip member
        fh.seek(row["warc_offset"])
        assert gzip.GzipFile(fileobj=fh).read(7) == b"WARC/1."
    assert len(row["content_sha256"]) == 64 and row["passages"] and row["verdict"] != "not_derived"
    assert "text" not in row and isinstance(row["findings"], dict)
    groups = {g["source_id"]: g for g in scanned.groups}
    assert groups[row["source_id"]]["copies"][0]["parent"] == row["source_id"]


def test_resume_gives_the_same_rows(corpus, db, scanned, tmp_path):
    _, warc, _ = corpus
    config = ScanConfig(db=str(db), audit="rules", keep_text=True, trace=True)
    parts = plan_partitions([str(warc)], 20_000)  # several byte ranges of the one file
    assert len(parts) > 2
    first = run_scan(parts, config, tmp_path / "w", workers=1)
    victim = sorted((tmp_path / "w" / "parts").glob("*.json"))[1]
    victim.unlink()
    again = run_scan(parts, config, tmp_path / "w", workers=1, resume=True)
    dump = lambda rows: [json.dumps(r, sort_keys=True) for r in rows]  # noqa: E731
    assert dump(again.rows) == dump(first.rows)
    pairs = lambda rows: {(r["url"], r["source_id"]) for r in rows}  # noqa: E731
    assert pairs(first.rows) == pairs(scanned.rows)
    with pytest.raises(UnspinError):
        run_scan(parts, config, tmp_path / "w", workers=1)  # a used work dir needs --resume


def test_cli_scan_writes_results_summary_and_evidence(corpus, db, tmp_path):
    _, warc, truth = corpus
    out = tmp_path / "res.jsonl"
    unspin = str(Path(sys.executable).parent / "unspin")
    proc = subprocess.run([unspin, "scan", str(warc), "--db", str(db), "--out", str(out), "--workers", "1",
                           "--evidence", str(tmp_path / "ev"), "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows and all(r["url"] in truth for r in rows)
    summary = list(csv.DictReader((tmp_path / "res.domains.csv").open()))
    assert sum(int(d["copies"]) for d in summary) == len(rows)
    assert json.loads((tmp_path / "res.provenance.json").read_text())["groups"]
    bundles = sorted((tmp_path / "ev").glob("*/*"))
    assert len(bundles) == len(rows)
    record = json.loads((bundles[0] / "record.json").read_text())
    assert record["page_sha256_check"] == record["content_sha256"]
    assert (bundles[0] / "report.html").read_text().startswith("<!DOCTYPE html>")
    again = subprocess.run([unspin, "scan", str(warc), "--db", str(db),
                            "--out", str(out), "--workers", "1", "--quiet"], capture_output=True, text=True)
    assert again.returncode == 2 and "exists" in again.stderr and again.stderr.count("\n") == 1


def test_cli_errors_are_one_line(tmp_path):
    unspin = str(Path(sys.executable).parent / "unspin")
    proc = subprocess.run([unspin, "scan", str(tmp_path / "none.warc.gz"), "--db", str(tmp_path / "nodb"),
                           "--out", str(tmp_path / "r.jsonl")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "index" in proc.stderr
    proc = subprocess.run([unspin, "index", str(tmp_path / "missing"), "--db", str(tmp_path / "db")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "no usable archive input" in proc.stderr


def test_scan_the_bundled_example(tmp_path):
    """Runs without ../shared: the example's source among other articles (the project's docs),
    its spun rewrite and the README in the crawl."""
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "cbs-story.html").write_bytes((EXAMPLES / "source.html").read_bytes())
    for doc in sorted((ROOT / "docs").glob("*.md")):
        (archive / f"{doc.stem}.txt").write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
    warc = tmp_path / "crawl.warc"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        _record(writer, "https://spin.example/a", _page("Spun", (EXAMPLES / "candidate.txt").read_text()))
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        _record(writer, "https://other.example/b", _page("Other", readme))
    db = tmp_path / "db"
    assert idx.add(db, iter_paths([str(archive)])).added >= 2
    res = run_scan(plan_partitions([str(warc)]), ScanConfig(db=str(db), keep_text=True), tmp_path / "w",
                   workers=1)
    spun = [r for r in res.rows if r["url"] == "https://spin.example/a"]
    assert [r["source_id"] for r in spun] == ["cbs-story"] and spun[0]["findings"]
    # the README quotes the docs, so it may be reported, but never as a copy of the story
    assert all(r["source_id"] != "cbs-story" for r in res.rows if r is not spun[0])


def test_two_dask_workers_give_the_same_rows(corpus, db, scanned, tmp_path):
    """The same rows whichever way the partitions were scheduled."""
    _, warc, _ = corpus
    config = ScanConfig(db=str(db), audit="rules", keep_text=True, trace=True)
    res = run_scan(plan_partitions([str(warc)], 20_000), config, tmp_path / "w", workers=2)
    dump = lambda rows: [json.dumps(r, sort_keys=True) for r in rows]  # noqa: E731
    one = run_scan(plan_partitions([str(warc)], 20_000), config, tmp_path / "w1", workers=1)
    assert dump(res.rows) == dump(one.rows)
    pairs = lambda rows: {(r["url"], r["source_id"]) for r in rows}  # noqa: E731
    assert pairs(res.rows) == pairs(scanned.rows)


def test_cli_names_unreadable_records(tmp_path):
    """A bad line in a JSONL crawl is counted and named; the good pages are still scanned."""
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "story.html").write_bytes((EXAMPLES / "source.html").read_bytes())
    crawl = tmp_path / "crawl.jsonl"
    page = _page("Spun", (EXAMPLES / "candidate.txt").read_text()).decode()
    crawl.write_text(json.dumps({"id": "p1", "url": "https://spin.example/a", "html": page}) + "\n"
                     + "{not json\n", encoding="utf-8")
    unspin = str(Path(sys.executable).parent / "unspin")
    assert subprocess.run([unspin, "index", str(archive), "--db", str(tmp_path / "db")],
                          capture_output=True).returncode == 0
    proc = subprocess.run([unspin, "scan", str(crawl), "--db", str(tmp_path / "db"), "--out",
                           str(tmp_path / "hits.jsonl"), "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "unreadable 1" in proc.stderr and "line 2" in proc.stderr
    rows = [json.loads(x) for x in (tmp_path / "hits.jsonl").read_text().splitlines()]
    assert [(r["url"], r["source_id"]) for r in rows] == [("https://spin.example/a", "story")]


def test_related_headlines_and_buttons_are_not_prose():
    from unspin.corpus.text import is_prose

    # blocks as page_blocks renders them from the shared crawl's pages
    assert is_prose("DAVID Copeland, 22, of Cove, Hants, was remanded in custody at the Old Bailey "
                    "yesterday on three murder charges after April's London nail bombings.")
    assert is_prose("He said: \"Either could have got out of the car if they had wanted to.\"")
    assert not is_prose("Opec May Have To Meet To Firm Prices - Analysts")
    assert not is_prose("Jennifer Aniston Surprises 2 Fans at Her Hairstylist's Salon and Talks Haircut")
    assert not is_prose("We use cookies to improve your experience. Accept")
    assert not is_prose("Read more: Trending stories you may have missed")
    assert not is_prose("Home News")


def test_prose_document_keeps_a_copy_and_drops_page_furniture():
    from unspin.corpus.scan import prose_document
    from unspin.corpus.text import words
    from unspin.corpus.types import Location, Page

    source = ("Two teenagers who could not bear to be apart killed themselves, an inquest heard "
              "yesterday. They were found dead in a car in Wakefield last March.")
    blocks = ["Two teenagers who could not bear to be apart killed themselves, an...",
              "Two teenagers who could not bear to be apart killed themselves, an inquest heard yesterday.",
              "Bell Resources To Issue Warrants On Bhp Gold Mines Today",
              "they were found dead in a car in Wakefield last March and the",  # a hard-wrapped line
              "Get the best stories in your inbox. Sign up"]
    page = Page(url="https://example.org/a", body=b"", kind="html", location=Location("crawl.warc"))
    doc = prose_document(page, blocks, set(words(source)))
    assert doc.text.split("\n\n") == [blocks[1], blocks[3]]
    with pytest.raises(UnspinError):
        prose_document(page, [blocks[2], blocks[4]], set(words(source)))


def test_window_screen_finds_a_passage_buried_in_a_long_page(corpus, db):
    """Two paragraphs of one article inside a page made of four other articles: the page's
    cosine with the article is diluted, its best 100-word window's is not."""
    from unspin.corpus.text import words

    archive, _, _ = corpus
    index = idx.Index(db)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(archive.iterdir())}
    target, *others = list(texts)[:5]
    passage = " ".join(texts[target].split()[40:150])
    page = words("\n\n".join([texts[o] for o in others[:2]] + [passage] + [texts[o] for o in others[2:]]))
    plain = {c.source_id: c.cosine for c in index.screen(page, top=len(texts), min_cosine=0.0)}
    windowed = {c.source_id: c.cosine for c in index.screen(page, top=len(texts), min_cosine=0.0, window=100)}
    assert windowed[target] > plain[target] + 0.1
    assert all(windowed[k] >= plain[k] - 1e-9 for k in plain)  # the whole page is one of the spans
    for window in (1, 2, 99, len(page) - 1):  # tiny windows and a last one anchored at the end
        assert index.screen(page, top=3, min_cosine=0.0, window=window)


def test_joint_comparison_only_among_versions_of_one_story(corpus, db):
    from unspin.corpus.index import Candidate
    from unspin.corpus.scan import STORY_COSINE, story_groups

    index = idx.Index(db)
    ids = index.ids
    assert index.related(ids[0], ids[0]) > 0.99
    assert all(abs(index.related(a, b) - index.related(b, a)) < 1e-9 for a in ids[:6] for b in ids[:6])
    for a in ids[:6]:  # other versions of an article's story: alike, best first, never itself
        found = index.versions(a, 0.05, 3)
        assert len(found) <= 3 and a not in [v for v, _ in found]
        assert [c for _, c in found] == sorted((c for _, c in found), reverse=True)
        assert all(c >= 0.05 and abs(c - index.related(a, v)) < 1e-6 for v, c in found)
    cands = [Candidate(i, 0.5, 0) for i in ids[:6]]
    groups = story_groups(index, cands)
    assert sorted(k for g in groups for k in g) == list(range(6))
    for g in groups:  # members of different groups are not alike
        others = [k for k in range(6) if k not in g]
        assert all(index.related(ids[a], ids[b]) < STORY_COSINE for a in g for b in others)


@pytest.fixture(scope="module")
def crawl4(cases, tmp_path_factory) -> list[Path]:
    """Four WARC files (one partition each), each holding every case's page under its own URLs."""
    base = tmp_path_factory.mktemp("crawl4")
    files = []
    for k in range(4):
        path = base / f"crawl-{k}.warc.gz"
        with path.open("wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for i, case in enumerate(cases):
                text = (case / "candidate.txt").read_text(encoding="utf-8")
                _record(writer, f"https://copies{k}.example/story/{i}", _page(f"Story {i}", text))
        files.append(path)
    return files


def _dask_workers(pid: int) -> list:
    """The Dask worker processes under the scan process ``pid`` (not the scan itself, not the
    multiprocessing helpers that start them)."""
    import psutil

    out = []
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                cmd = " ".join(child.cmdline())
                if "multiprocessing" in cmd and "resource_tracker" not in cmd and "forkserver" not in cmd:
                    out.append(child)
    return out


def test_cli_scan_survives_a_killed_worker_and_a_killed_run(db, crawl4, tmp_path):
    """The real scan on 2 Dask workers: one worker SIGKILLed mid-scan, and separately the whole
    run killed then resumed; both results files equal an uninterrupted run's, byte for byte."""
    import psutil

    unspin = str(Path(sys.executable).parent / "unspin")
    cmd = [unspin, "scan", *map(str, crawl4), "--db", str(db), "--audit", "rules", "--quiet"]
    ref = tmp_path / "ref.jsonl"
    done = subprocess.run([*cmd, "--out", str(ref), "--workers", "1"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert ref.read_text().count("\n") >= 4

    def start(out: Path) -> tuple[subprocess.Popen, Path]:
        proc = subprocess.Popen([*cmd, "--out", str(out), "--workers", "2"], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return proc, Path(f"{out}.work") / "parts"

    def first_part(proc: subprocess.Popen, parts: Path) -> None:
        deadline = time.monotonic() + 120
        while not (parts.is_dir() and any(parts.glob("*.json"))):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "no partition finished within 120 s"
            time.sleep(0.01)

    # 1. one worker killed while partitions are still running: its task reruns elsewhere
    out = tmp_path / "worker-killed.jsonl"
    proc, parts = start(out)
    try:
        first_part(proc, parts)
        assert not out.exists()  # still scanning
        victims = _dask_workers(proc.pid)
        assert len(victims) == 2, [" ".join(v.cmdline()) for v in victims]
        victims[0].kill()
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert out.read_bytes() == ref.read_bytes()
    assert same_side_files(out, ref)

    # 2. the whole run killed after its first partition, then resumed in one process
    out = tmp_path / "run-killed.jsonl"
    proc, parts = start(out)
    try:
        first_part(proc, parts)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        with contextlib.suppress(psutil.NoSuchProcess, ProcessLookupError):
            while time.monotonic() < deadline:
                os.killpg(proc.pid, 0)
                time.sleep(0.01)
    total = len(json.loads((parts.parent / "manifest.json").read_text())["partitions"])
    assert 1 <= len(list(parts.glob("*.json"))) < total and not out.exists()
    done = subprocess.run([*cmd, "--out", str(out), "--workers", "1", "--resume"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == ref.read_bytes()
    assert same_side_files(out, ref)


def same_side_files(out: Path, ref: Path) -> bool:
    """The provenance groups and the per-domain summary are the same files too (each run is
    a new process, with its own string hashing)."""
    side = (".provenance.json", ".domains.csv")
    return all(Path(str(out)[:-6] + s).read_bytes() == Path(str(ref)[:-6] + s).read_bytes() for s in side)


def test_short_site_prose_around_the_match_is_dropped_long_content_kept():
    from unspin.corpus.scan import prose_document
    from unspin.corpus.text import words
    from unspin.corpus.types import Location, Page

    source = ("A man whose wife's body was found in their swimming pool was remanded in custody "
              "yesterday accused of murdering her. Colin Harrold, 34, appeared at Spalding.")
    article = ["A man whose wife's body was found in their pool was remanded in custody yesterday.",
               "Colin Harrold, 34, was handcuffed for the hearing at Spalding, Lincolnshire."]
    notice = ("All rights reserved. The information contained in this report may not be published, "
              "broadcast or redistributed without the prior written authority of the agency.")
    other = " ".join(["Shares in the mining group rose sharply after it reported a record quarter."] * 12)
    page = Page(url="https://example.org/a", body=b"", kind="html", location=Location("crawl.warc"))
    vocab = set(words(source))
    assert prose_document(page, [notice, *article, notice], vocab).text.split("\n\n") == article
    kept = prose_document(page, [other, *article, notice], vocab).text.split("\n\n")
    assert kept == [other, *article, notice]  # 150+ words around the match: the page's own content


def test_teasers_go_but_a_repeated_paragraph_stays():
    from unspin.corpus.scan import prose_document
    from unspin.corpus.types import Location, Page

    full = "A MOTHER yesterday won a landmark legal battle for her mentally handicapped daughter."
    echo = "He said the decision would be appealed within the month, and then..."
    page = Page(url="https://example.org/a", body=b"", kind="html", location=Location("crawl.warc"))
    teaser = "A MOTHER yesterday won a landmark legal battle for her..."
    doc = prose_document(page, [teaser, full, echo, echo])
    assert doc.text.split("\n\n") == [full, echo, echo]
    cut = "A MOTHER yesterday won a landmark legal battle for her ment..."  # cut mid-word, 10 times
    assert prose_document(page, [cut] * 10 + [full]).text == full


def test_the_copy_is_judged_inside_its_article_container():
    """A copy set into a real page: the sidebar's stories are left out, while a passage inside
    a long document keeps the document around it (a paragraph alone is never the container)."""
    from unspin.corpus.scan import prose_document
    from unspin.corpus.text import page_blocks, words
    from unspin.corpus.types import Location, Page

    source = ("A man whose wife's body was found in their swimming pool was remanded in custody "
              "yesterday accused of murdering her. Colin Harrold, 34, appeared at Spalding.")
    copy = ["A man whose wife's body was found in their pool was remanded in custody yesterday.",
            "Colin Harrold, 34, was handcuffed for the hearing at Spalding, Lincolnshire."]
    side = [f"Shares in mining group number {i} rose sharply after it reported a record quarter of "
            "sales across its overseas operations, analysts said on Friday." for i in range(6)]
    html = ("<html><body><div class='main'><article>" + "".join(f"<p>{p}</p>" for p in copy)
            + "</article></div><aside>" + "".join(f"<p>{p}</p>" for p in side) + "</aside></body></html>")
    page = Page(url="https://example.org/a", body=html.encode(), kind="html", location=Location("c.warc"))
    vocab = set(words(source))
    assert prose_document(page, page_blocks(page.body), vocab).text.split("\n\n") == copy
    doc = ("<html><body><article>" + "".join(f"<p>{p}</p>" for p in side[:3]) + f"<p>{copy[0]}</p>"
           + "".join(f"<p>{p}</p>" for p in side[3:]) + "</article></body></html>")
    page = Page(url="https://example.org/b", body=doc.encode(), kind="html", location=Location("c.warc"))
    assert len(prose_document(page, page_blocks(page.body), vocab).text.split("\n\n")) == 7


def test_a_copy_split_around_an_ad_keeps_its_tail():
    from unspin.corpus.scan import prose_document
    from unspin.corpus.text import page_blocks, words
    from unspin.corpus.types import Location, Page

    source = ("A man whose wife's body was found in their swimming pool was remanded in custody "
              "yesterday accused of murdering her. Colin Harrold, 34, was handcuffed for the hearing at "
              "Spalding, Lincolnshire. Wife Diane, 36, died last month at their home near the town. "
              "Police divers searched the pool and the garden for three days before the arrest. "
              "His friend Darren Lake, 30, is accused of the murder too.")
    head = ["A man whose wife's body was found in their pool was remanded in custody yesterday.",
            "Colin Harrold, 34, was handcuffed for the hearing at Spalding, Lincolnshire.",
            "Wife Diane, 36, died last month at their home near the town, the court heard.",
            "Police divers searched the pool and the garden for three days before the arrest."]
    tail = "His friend Darren Lake, 30, is accused of the murder too."
    ad = "Advertisement: Save twenty percent on garden furniture this weekend only, while stocks last."
    html = ("<html><body><div class='body'>" + "".join(f"<p>{p}</p>" for p in head)
            + f"</div><div class='ad'><p>{ad}</p></div><div class='more'><p>{tail}</p></div></body></html>")
    page = Page(url="https://example.org/a", body=html.encode(), kind="html", location=Location("c.warc"))
    kept = prose_document(page, page_blocks(page.body), set(words(source))).text.split("\n\n")
    assert kept == [*head, tail]


def test_min_score_applies_to_every_route_to_a_report():
    """``--min-score``: a pair is reported only on a verdict scoring at least that, whether it
    was judged alone or jointly with its story's other versions."""
    from unspin.corpus.index import Candidate
    from unspin.corpus.scan import Checked, Joint
    from unspin.types import Verdict

    def verdict(score):
        return Verdict("partially_derived", score, True, {})

    def checked(alone, joint=None):
        j = None if joint is None else Joint(verdict(joint), ["p"], True, ["a", "b"])
        return Checked(Candidate("a", 0.5, 4), None, ["own"], verdict(alone), None, None, j)

    assert checked(0.6).reported(0.5, 0.7)[1] == ["own"]
    assert checked(0.6).reported(0.65, 0.7) is None
    assert checked(0.75, joint=0.6).reported(0.5, 0.7)[1] == ["own"]      # alone beats the joint
    assert checked(0.6, joint=0.8).reported(0.5, 0.7)[1] == ["p"]
    assert checked(0.6, joint=0.8).reported(0.85, 0.7) is None
    assert checked(0.8, joint=0.6).reported(0.85, 0.7) is None            # alone, under min-score
    assert checked(0.9, joint=0.6).reported(0.85, 0.7)[1] == ["own"]
    unspin = str(Path(sys.executable).parent / "unspin")
    proc = subprocess.run([unspin, "scan", "x.warc", "--db", "d", "--out", "o.jsonl", "--min-score", "0.3"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "--min-score" in proc.stderr and proc.stderr.count("\n") <= 1


def test_cli_work_dir_keeps_the_user_s_files_and_owns_only_its_merge_dir(corpus, db, tmp_path):
    """The merge writes into WORK/.merge, which it empties first (a killed merge's leftovers
    must not count again); files of the user's in the work dir are never touched."""
    _, warc, _ = corpus
    work = tmp_path / "w"
    work.mkdir()
    (work / "results.jsonl").write_text("my notes\n")
    (work / "provenance.json").write_text('{"mine": true}\n')
    (work / ".merge").mkdir()
    (work / ".merge" / "merge-spill").mkdir()
    (work / ".merge" / "merge-spill" / "grams-00.bin").write_bytes(b"\1" * 64)   # a killed merge's
    unspin = str(Path(sys.executable).parent / "unspin")
    base = [unspin, "scan", str(warc), "--db", str(db), "--workers", "1", "--quiet", "--audit", "none"]
    proc = subprocess.run([*base, "--out", str(tmp_path / "hits.jsonl"), "--work-dir", str(work)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (work / "results.jsonl").read_text() == "my notes\n"
    assert (work / "provenance.json").read_text() == '{"mine": true}\n'
    assert not (work / ".merge" / "merge-spill").exists()
    rows = (tmp_path / "hits.jsonl").read_text()
    assert rows and rows == (work / ".merge" / "results.jsonl").read_text()
    inside = subprocess.run([*base, "--out", str(work / ".merge" / "x.jsonl"), "--work-dir", str(work),
                             "--resume"], capture_output=True, text=True)
    assert inside.returncode != 0 and "empties and rewrites" in inside.stderr
    assert inside.stderr.count("\n") == 1
