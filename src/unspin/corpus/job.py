"""A whole scan: plan partitions, run them (in process or on Dask), merge, and write the
results, the per-domain summary, the provenance groups and the evidence bundles.

The merged output depends only on the inputs, the index and the options: partitions are
merged in plan order and rows sorted within a page, so a resumed or re-scheduled scan writes
the same file as an uninterrupted one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from unspin.corpus.index import Index
from unspin.corpus.scan import ScanConfig, scan_partition
from unspin.corpus.types import Partition
from unspin.types import UnspinError

SEVERITY_ORDER = {None: 0, "low": 1, "medium": 2, "high": 3}


@dataclass
class ScanResult:
    """What a scan found, with its counts. The rows (derived (page, article) pairs) and the
    provenance groups are in files (``results_path``, ``groups_path``), written one partition
    at a time: ``iter_rows`` streams them, ``rows`` and ``groups`` load them whole."""

    results_path: Path
    groups_path: Path
    copies: int
    copy_pages: int
    records: int
    pages: int
    screened_in: int
    pairs: int
    skipped: dict[str, int]
    seconds: dict[str, float]
    domains: list[dict] = field(default_factory=list)
    partitions: int = 0
    errors: list[str] = field(default_factory=list)

    def iter_rows(self) -> Iterator[dict]:
        with open(self.results_path, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)

    @cached_property
    def rows(self) -> list[dict]:
        return list(self.iter_rows())

    @cached_property
    def groups(self) -> list[dict]:
        return json.loads(self.groups_path.read_text(encoding="utf-8"))["groups"]


def fingerprint(index: Index, config: ScanConfig) -> str:
    """Identifies the index and every option that changes results: a resumed scan must match."""
    opts = {k: v for k, v in asdict(config).items() if k != "db"}
    return hashlib.sha1(json.dumps([index.fingerprint(), opts], sort_keys=True).encode()).hexdigest()[:16]


def run_scan(partitions: list[Partition], config: ScanConfig, work_dir: str | os.PathLike, *,
             workers: int | None = None, scheduler: str | None = None, resume: bool = False,
             progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Scan ``partitions`` (``records.plan_partitions`` of the crawl) against the index named
    in ``config``; ``workers=1`` runs in this process, otherwise on Dask. The merged rows and
    provenance groups are written to ``work_dir/MERGE_DIR`` (``RESULTS_NAME``, ``GROUPS_NAME``)."""
    from unspin.corpus.runner import run_partitions

    index = Index(config.db)  # fails early, with one line, on a missing or stale index
    if not partitions:
        raise UnspinError("nothing to scan: no input records")
    parts = run_partitions(scan_partition, partitions, config, work_dir, scheduler=scheduler,
                           workers=workers, resume=resume, progress=progress,
                           fingerprint=fingerprint(index, config), load=False)
    return merge(parts, index, Path(work_dir) / MERGE_DIR)


MERGE_DIR = ".merge"  # in the work dir: the merge's own files, remade by every merge
RESULTS_NAME = "results.jsonl"
GROUPS_NAME = "provenance.json"


def _sort_key(r: dict) -> tuple:
    return (r.get("warc_offset") or 0, r.get("key") or "", r["url"] or "", r["source_id"])


def _read_parts(parts: list[Path]) -> Iterator[dict]:
    """Each partition's result in plan order, one in memory at a time."""
    for path in parts:
        yield json.loads(path.read_text(encoding="utf-8"))["result"]


def merge(parts: list[Path], index: Index, out_dir: Path) -> ScanResult:
    """One result from the partitions' part files (``run_partitions(load=False)``), in plan
    order, in two passes that hold one partition at a time: the first counts, summarises the
    domains and spools what provenance needs into SQLite; after the provenance groups are
    traced article by article, the second writes the rows with their provenance.

    ``out_dir`` belongs to the merge: it is emptied first (a killed merge's spool and spilled
    counts must not add to this one's) and holds the results and groups files afterwards."""
    import sqlite3

    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    spool = out_dir / "merge.sqlite"
    db = sqlite3.connect(spool)
    try:
        db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE copies (sid TEXT, url TEXT, date TEXT, text TEXT);
            CREATE TABLE pages (page TEXT PRIMARY KEY);
            CREATE TABLE prov (url TEXT, sid TEXT, parent TEXT, size INTEGER, PRIMARY KEY (url, sid));
        """)
        skipped: Counter = Counter()
        seconds: Counter = Counter()
        domain_pages: Counter = Counter()
        totals = Counter()
        errors: list[str] = []
        domains = _Domains()
        copies = 0
        for res in _read_parts(parts):
            errors.extend(res.get("errors", []))
            skipped.update(res.get("skipped", {}))
            seconds.update(res.get("seconds", {}))
            domain_pages.update(res.get("domains", {}))
            for k in ("records", "pages", "screened_in", "pairs"):
                totals[k] += res.get(k, 0)
            for r in res["rows"]:  # every figure here is independent of row order
                copies += 1
                domains.add(r)
                # a page is its URL, or where it was read when it has none
                page = r.get("url") or json.dumps([r.get("file"), r.get("key")])
                db.execute("INSERT OR IGNORE INTO pages VALUES (?)", (page,))
                if r.get("url"):
                    db.execute("INSERT INTO copies VALUES (?, ?, ?, ?)",
                               (r["source_id"], r["url"], r.get("date"), r.get("text")))
        db.execute("CREATE INDEX copies_sid ON copies (sid)")
        db.execute("CREATE INDEX copies_url ON copies (url)")
        groups_path = out_dir / GROUPS_NAME
        _write_groups(db, index, groups_path, out_dir / "merge-spill")
        results_path = out_dir / RESULTS_NAME
        tmp = results_path.with_name(f".{RESULTS_NAME}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for res in _read_parts(parts):
                for r in sorted(res["rows"], key=_sort_key):
                    info = db.execute("SELECT parent, size FROM prov WHERE url = ? AND sid = ?",
                                      (r.get("url"), r["source_id"])).fetchone()
                    if info is not None:
                        r["provenance"] = {"parent": info[0], "group_size": info[1]}
                    r.pop("text", None)
                    fh.write(_json_line(r))
        os.replace(tmp, results_path)
        copy_pages = db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    finally:
        db.close()
        spool.unlink(missing_ok=True)
        shutil.rmtree(out_dir / "merge-spill", ignore_errors=True)
    return ScanResult(results_path=results_path, groups_path=groups_path, copies=copies,
                      copy_pages=copy_pages, records=totals["records"], pages=totals["pages"],
                      screened_in=totals["screened_in"], pairs=totals["pairs"], skipped=dict(skipped),
                      seconds={k: round(v, 3) for k, v in seconds.items()},
                      domains=domains.summary(domain_pages), partitions=len(parts), errors=errors)


def _write_groups(db, index: Index, path: Path, spill_dir: Path) -> None:
    """Copies of each archive article grouped, ordered, each with its likely parent, one
    article at a time, into ``path`` (``{"groups": [...]}``) and the spool's ``prov`` table.

    An alteration is text the original lacks; where a page was matched to several archive
    articles (wire copy of one story), text from the others is not an alteration of this one,
    or two papers that used the same second wire text would look copied from each other."""
    from unspin.corpus.provenance import copies_by_source, group_sources

    sids = [row[0] for row in db.execute("SELECT DISTINCT sid FROM copies ORDER BY sid")]

    def copies_of(sid: str):
        rows = db.execute("SELECT url, sid, date, text FROM copies WHERE sid = ? ORDER BY rowid", (sid,))
        found = copies_by_source({"url": u, "source_id": s, "date": d, "text": t} for u, s, d, t in rows)
        return list(found.get(sid, {}).values())

    def text_of(sid: str) -> str:
        related = {row[0] for row in db.execute(
            "SELECT DISTINCT b.sid FROM copies a JOIN copies b ON a.url = b.url WHERE a.sid = ?", (sid,))}
        # in a fixed order (the article first, then by id): set order changes with each process's
        # string hashing, and the 3-grams across two joined texts would change with it
        ordered = sorted(related | {sid}, key=lambda x: (x != sid, x))
        return "\n\n".join(index.article(x).text for x in ordered)

    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write('{\n "groups": [')
        first = True
        for g in group_sources(sids, copies_of, text_of, spill_dir=spill_dir):
            parents = {d.child: d for d in g.links}
            out = {
                "source_id": g.source_id, "original": g.original, "order": list(g.copies),
                "copies": [{"url": k, "parent": (parents[k].parent if k in parents else None) or g.source_id,
                            "reason": parents[k].reason if k in parents else "",
                            "score": round(parents[k].score, 4) if k in parents else None,
                            "shared_alterations": parents[k].shared_alterations if k in parents else 0,
                            "group_size": len(g.copies)} for k in g.copies],
            }
            db.executemany("INSERT OR REPLACE INTO prov VALUES (?, ?, ?, ?)",
                           [(c["url"], g.source_id, c["parent"], c["group_size"]) for c in out["copies"]])
            # the layout json.dumps({"groups": [...]}, indent=1) gives, one group at a time
            lines = json.dumps(out, indent=1, ensure_ascii=False).split("\n")
            body = "\n".join("  " + line for line in lines)
            fh.write(("\n" if first else ",\n") + body)
            first = False
        fh.write("]\n}\n" if first else "\n ]\n}\n")
    os.replace(tmp, path)


class _Domains:
    """Per domain: copies found, distinct articles copied, the worst finding, finding types."""

    def __init__(self) -> None:
        self.copies: Counter = Counter()
        self.articles: dict[str, set] = defaultdict(set)
        self.worst: dict[str, str | None] = {}
        self.kinds: dict[str, Counter] = defaultdict(Counter)

    def add(self, r: dict) -> None:
        d = r.get("domain") or "-"
        self.copies[d] += 1
        self.articles[d].add(r["source_id"])
        if SEVERITY_ORDER.get(r.get("worst"), 0) > SEVERITY_ORDER.get(self.worst.get(d), 0):
            self.worst[d] = r.get("worst")
        self.kinds[d].update(r.get("findings", {}))

    def summary(self, domain_pages: Counter) -> list[dict]:
        """Pages scanned, copies found, distinct articles copied, the worst finding."""
        out = []
        for d in sorted(set(domain_pages) | set(self.copies), key=lambda d: (-self.copies[d], d)):
            top = sorted(self.kinds[d].items(), key=lambda kv: (-kv[1], kv[0]))[:3]  # ties by name
            out.append({"domain": d, "pages": domain_pages.get(d, 0), "copies": self.copies[d],
                        "articles": len(self.articles[d]), "worst": self.worst.get(d),
                        "top_findings": "; ".join(f"{k} {n}" for k, n in top)})
        return out


def summary_csv(domains: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["domain", "pages", "copies", "articles", "worst", "top_findings"],
                       lineterminator="\n")
    w.writeheader()
    w.writerows(domains)
    return buf.getvalue()


def _json_line(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"


def jsonl(rows: list[dict]) -> str:
    return "".join(map(_json_line, rows))


def write_evidence(rows: Iterable[dict], index: Index, out_dir: str | os.PathLike, page_mode: str = "blocks",
                   progress: Callable[[int, int], None] | None = None, backend: str = "auto",
                   errors: list[str] | None = None, total: int | None = None) -> int:
    """For each copy a takedown bundle: the page as captured, the HTML report of the comparison
    the scan made (the same page text; the story's other versions too where the copy was found
    jointly), and where it was found with hashes (``record.json``). Existing bundles are kept;
    a row whose page cannot be read back is named in ``errors`` and the others still written."""
    from unspin.api import compare
    from unspin.corpus.records import read_page
    from unspin.corpus.scan import candidate_vocab, page_document
    from unspin.report.html import render_html

    base = Path(out_dir)
    base.mkdir(parents=True, exist_ok=True)
    written = 0
    if total is None and isinstance(rows, list):
        total = len(rows)
    for n, r in enumerate(rows, 1):
        if progress:
            progress(n, total or n)
        name = f"{r['content_sha256'][:16]}-{_safe(r['source_id'])}"
        target = base / _safe(r.get("domain") or "local") / name
        if target.exists():
            continue
        tmp = Path(tempfile.mkdtemp(prefix=".bundle-", dir=base))
        try:
            page = read_page(r)
            suffix = ".html" if page.kind == "html" else ".txt"
            (tmp / f"page{suffix}").write_bytes(page.body)
            vocab = candidate_vocab(index, r.get("compared") or [r["source_id"]])
            doc = page_document(page, page_mode, vocab)
            others = [index.article(s) for s in r.get("joint_sources", [])[1:]]
            report = compare(index.article(r["source_id"]), doc, extra_sources=others, backend=backend,
                             judge="rules")
            (tmp / "report.html").write_text(render_html(report), encoding="utf-8")
            record = {k: r.get(k) for k in ("url", "source_id", "verdict", "score", "date", "warc_file",
                                            "warc_offset", "warc_length", "record_id", "file", "key",
                                            "content_sha256", "findings", "joint_sources")}
            record["page_sha256_check"] = hashlib.sha256(page.body).hexdigest()
            record["source"] = index.meta(r["source_id"])
            (tmp / "record.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            written += 1
        except UnspinError as exc:
            if errors is not None:
                errors.append(f"{r.get('url')} / {r['source_id']}: {exc}")
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return written


def _safe(name: str) -> str:
    """A file-name-safe form of an id or domain."""
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return keep.strip(".")[:80] or "_"
