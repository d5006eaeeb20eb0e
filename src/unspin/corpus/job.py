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
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from unspin.corpus.index import Index
from unspin.corpus.scan import ScanConfig, scan_partition
from unspin.corpus.types import Partition
from unspin.types import UnspinError

SEVERITY_ORDER = {None: 0, "low": 1, "medium": 2, "high": 3}


@dataclass
class ScanResult:
    """What a scan found, with its counts; ``rows`` are the derived (page, article) pairs."""

    rows: list[dict]
    records: int
    pages: int
    screened_in: int
    pairs: int
    skipped: dict[str, int]
    seconds: dict[str, float]
    domains: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    partitions: int = 0
    errors: list[str] = field(default_factory=list)


def fingerprint(index: Index, config: ScanConfig) -> str:
    """Identifies the index and every option that changes results: a resumed scan must match."""
    opts = {k: v for k, v in asdict(config).items() if k != "db"}
    return hashlib.sha1(json.dumps([index.fingerprint(), opts], sort_keys=True).encode()).hexdigest()[:16]


def run_scan(partitions: list[Partition], config: ScanConfig, work_dir: str | os.PathLike, *,
             workers: int | None = None, scheduler: str | None = None, resume: bool = False,
             progress: Callable[[int, int], None] | None = None) -> ScanResult:
    """Scan ``partitions`` (``records.plan_partitions`` of the crawl) against the index named
    in ``config``; ``workers=1`` runs in this process, otherwise on Dask."""
    from unspin.corpus.runner import run_partitions

    index = Index(config.db)  # fails early, with one line, on a missing or stale index
    if not partitions:
        raise UnspinError("nothing to scan: no input records")
    results = run_partitions(scan_partition, partitions, config, work_dir, scheduler=scheduler,
                             workers=workers, resume=resume, progress=progress,
                             fingerprint=fingerprint(index, config))
    return merge(results, index, len(partitions))


def merge(results: list[dict], index: Index, n_partitions: int) -> ScanResult:
    """One result from the partition results, in plan order."""
    rows: list[dict] = []
    skipped: Counter = Counter()
    seconds: Counter = Counter()
    domain_pages: Counter = Counter()
    totals = Counter()
    errors: list[str] = []
    for res in results:
        errors.extend(res.get("errors", []))
        rows.extend(sorted(res["rows"], key=lambda r: (r.get("warc_offset") or 0, r.get("key") or "",
                                                       r["url"] or "", r["source_id"])))
        skipped.update(res.get("skipped", {}))
        seconds.update(res.get("seconds", {}))
        domain_pages.update(res.get("domains", {}))
        for k in ("records", "pages", "screened_in", "pairs"):
            totals[k] += res.get(k, 0)
    groups = provenance_groups(rows, index)
    by_copy = {(m["url"], g["source_id"]): m for g in groups for m in g["copies"]}
    for r in rows:
        info = by_copy.get((r["url"], r["source_id"]))
        if info is not None:
            r["provenance"] = {"parent": info["parent"], "group_size": info["group_size"]}
        r.pop("text", None)
    return ScanResult(rows=rows, records=totals["records"], pages=totals["pages"],
                      screened_in=totals["screened_in"], pairs=totals["pairs"], skipped=dict(skipped),
                      seconds={k: round(v, 3) for k, v in seconds.items()},
                      domains=domain_summary(rows, domain_pages), groups=groups, partitions=n_partitions,
                      errors=errors)


def provenance_groups(rows: list[dict], index: Index) -> list[dict]:
    """Copies of one archive article grouped, ordered, each with its likely parent."""
    from unspin.corpus.provenance import group

    usable = [r for r in rows if r.get("url")]
    # An alteration is text the original lacks; where a page was matched to several archive
    # articles (wire copy of one story), text from the others is not an alteration of this one,
    # or two papers that used the same second wire text would look copied from each other.
    on_page: dict[str, set[str]] = defaultdict(set)
    for r in usable:
        on_page[r["url"]].add(r["source_id"])
    related: dict[str, set[str]] = defaultdict(set)
    for ids in on_page.values():
        for sid in ids:
            related[sid] |= ids
    # in a fixed order (the article first, then by id): set order changes with each process's
    # string hashing, and the 3-grams across two joined texts would change with it
    sources = {sid: "\n\n".join(index.article(x).text
                                for x in sorted(related[sid], key=lambda x: (x != sid, x)))
               for sid in related}
    out = []
    for g in group(usable, sources):
        parents = {d.child: d for d in g.links}
        out.append({
            "source_id": g.source_id, "original": g.original, "order": list(g.copies),
            "copies": [{"url": k, "parent": (parents[k].parent if k in parents else None) or g.source_id,
                        "reason": parents[k].reason if k in parents else "",
                        "score": round(parents[k].score, 4) if k in parents else None,
                        "shared_alterations": parents[k].shared_alterations if k in parents else 0,
                        "group_size": len(g.copies)} for k in g.copies],
        })
    return out


def domain_summary(rows: list[dict], domain_pages: Counter) -> list[dict]:
    """Per domain: pages scanned, copies found, distinct articles copied, the worst finding."""
    copies: Counter = Counter()
    articles: dict[str, set] = defaultdict(set)
    worst: dict[str, str | None] = {}
    kinds: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        d = r.get("domain") or "-"
        copies[d] += 1
        articles[d].add(r["source_id"])
        if SEVERITY_ORDER.get(r.get("worst"), 0) > SEVERITY_ORDER.get(worst.get(d), 0):
            worst[d] = r.get("worst")
        kinds[d].update(r.get("findings", {}))
    out = []
    for d in sorted(set(domain_pages) | set(copies), key=lambda d: (-copies[d], d)):
        out.append({"domain": d, "pages": domain_pages.get(d, 0), "copies": copies[d],
                    "articles": len(articles[d]), "worst": worst.get(d),
                    "top_findings": "; ".join(f"{k} {n}" for k, n in kinds[d].most_common(3))})
    return out


def summary_csv(domains: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["domain", "pages", "copies", "articles", "worst", "top_findings"],
                       lineterminator="\n")
    w.writeheader()
    w.writerows(domains)
    return buf.getvalue()


def provenance_groups_json(groups: list[dict]) -> str:
    return json.dumps({"groups": groups}, indent=1, ensure_ascii=False) + "\n"


def jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def write_evidence(rows: list[dict], index: Index, out_dir: str | os.PathLike, page_mode: str = "blocks",
                   progress: Callable[[int, int], None] | None = None, backend: str = "auto",
                   errors: list[str] | None = None) -> int:
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
    for n, r in enumerate(rows, 1):
        if progress:
            progress(n, len(rows))
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
