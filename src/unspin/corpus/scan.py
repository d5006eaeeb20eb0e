"""Scan one partition of a crawl: read -> screen -> extract -> verify -> audit -> rows.

Each stage is cheaper than the next and runs on fewer pages: every page gets its visible
text read and screened (about 1 ms), only pages with candidates are extracted (about 18 ms)
and compared with each candidate (segment, align, passages, verdict), and only derived pairs
are audited for findings. Stage times and page counts are returned so the bench can say what
each stage costs and how much recall it loses.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from unspin.corpus.index import Candidate, Index
from unspin.corpus.text import english_share, page_text, words
from unspin.corpus.types import Page, Partition, Skip
from unspin.types import Document, Report, UnspinError

# Below this share of English function words a page is another language (English prose has
# about 0.4; the lowest derived page of the shared scan set 0.13, German or French pages < 0.1).
MIN_ENGLISH = 0.10
MIN_WORDS = 30  # fewer visible words than this is no article page


@dataclass(frozen=True)
class ScanConfig:
    """What every worker needs; small and picklable (each worker opens the index itself)."""

    db: str
    audit: str = "rules"        # "rules", "model" or "none": findings for the derived pairs
    backend: str = "auto"
    min_probability: float = 0.5  # P(derived) a verified pair needs to be reported
    top: int = 3
    min_cosine: float = 0.15
    min_shingles: int = 3
    keep_text: bool = False     # put the page's article text in each row (provenance, evidence)


@dataclass
class Tally:
    """Counts and stage times of one partition."""

    pages: int = 0
    records: int = 0
    skipped: Counter = field(default_factory=Counter)
    screened_in: int = 0
    pairs: int = 0
    derived: int = 0
    seconds: Counter = field(default_factory=Counter)


_STATE: dict[str, Index] = {}


def open_index(db: str) -> Index:
    """The index, loaded once per worker process (tasks of one scan share it)."""
    key = os.path.abspath(db)
    idx = _STATE.get(key)
    if idx is None:
        idx = _STATE[key] = Index(db)
    return idx


def extract_page(page: Page) -> Document:
    """The page's article, as ``unspin compare`` reads an HTML or text file."""
    from unspin.ingest import extract

    doc = extract(page.text(), page.kind, path=page.url or page.location.file, metadata=False)
    if page.url and not doc.url:
        doc.url = page.url
    return doc


def verify(index: Index, page_doc: Document, candidates: list[Candidate], backend: str = "auto"):
    """Compare the page with each candidate: (candidate, alignment, passages, verdict, segs)."""
    from unspin.align import align
    from unspin.embed import get_backend
    from unspin.passages import find_passages
    from unspin.segment import segment
    from unspin.verdict import judge

    encoder = get_backend(backend)
    cand = segment(page_doc)
    out = []
    for c in candidates:
        src = segment(index.article(c.source_id))
        alignment = align([src], cand, encoder)
        passages = find_passages(alignment, [src], cand)
        verdict = judge(alignment, passages=passages)
        out.append((c, alignment, passages, verdict, src, cand))
    return out


def audit(alignment, passages, verdict, src, cand, judge: str, backend: str) -> Report:
    """Findings for one derived pair, as ``unspin compare`` would report them."""
    from unspin.api import judge_model
    from unspin.embed import get_backend
    from unspin.findings import detect

    backend = get_backend(backend).name
    model = judge_model(judge, backend)
    notes: list[str] = []
    findings = detect([src], cand, alignment, verdict, passages, model=model, notes=notes)
    return Report(sources=[src], candidate=cand, alignment=alignment, verdict=verdict, findings=findings,
                  passages=passages, timings={}, backend=backend,
                  judge="model" if model is not None else "rules", notes=notes)


def _passage_rows(passages, src, cand) -> list[dict]:
    rows = []
    for p in passages:
        rows.append({"source": [p.source.start, p.source.end],
                     "candidate": [p.candidate.start, p.candidate.end],
                     "kind": p.kind, "words": len(p.candidate.text.split())})
    return rows


def scan_page(page: Page, index: Index, config: ScanConfig, tally: Tally) -> list[dict]:
    """Result rows for one page (none when it copies nothing)."""
    t = time.perf_counter()
    text = page_text(page.body) if page.kind == "html" else page.text()
    toks = words(text)
    tally.seconds["text"] += time.perf_counter() - t
    if len(toks) < MIN_WORDS:
        tally.skipped["empty"] += 1
        return []
    if english_share(toks) < MIN_ENGLISH:
        tally.skipped["other_language"] += 1
        return []
    tally.pages += 1
    t = time.perf_counter()
    cands = index.screen(toks, top=config.top, min_cosine=config.min_cosine, min_shingles=config.min_shingles)
    tally.seconds["screen"] += time.perf_counter() - t
    if not cands:
        return []
    tally.screened_in += 1
    t = time.perf_counter()
    try:
        doc = extract_page(page)
    except UnspinError:
        tally.skipped["no_article"] += 1
        tally.seconds["extract"] += time.perf_counter() - t
        return []
    tally.seconds["extract"] += time.perf_counter() - t
    t = time.perf_counter()
    try:
        checked = verify(index, doc, cands, config.backend)
    except UnspinError:
        tally.skipped["no_article"] += 1
        checked = []
    tally.pairs += len(checked)
    tally.seconds["verify"] += time.perf_counter() - t
    rows = []
    for c, alignment, passages, verdict, src, cand in checked:
        p_derived = 1.0 - float(verdict.evidence.get("probabilities", {}).get("not_derived", 1.0))
        if not verdict.derived or p_derived < config.min_probability:
            continue
        tally.derived += 1
        row = {
            "url": page.url, "source_id": c.source_id, "verdict": verdict.label,
            "score": round(float(verdict.score), 4), "p_derived": round(p_derived, 4),
            "screen": {"cosine": round(c.cosine, 4), "shingles": c.shingles},
            "warc_file": page.location.file if page.location.record_id else None,
            "warc_offset": page.location.offset, "warc_length": page.location.length,
            "record_id": page.location.record_id, "file": page.location.file, "key": page.location.key,
            "content_sha256": page.content_sha256, "date": page.date or doc.date,
            "page_date": doc.date, "domain": urlsplit(page.url).hostname if page.url else None,
            "title": doc.title, "passages": _passage_rows(passages, src, cand),
        }
        if config.audit != "none":
            t = time.perf_counter()
            report = audit(alignment, passages, verdict, src, cand, config.audit, config.backend)
            tally.seconds["audit"] += time.perf_counter() - t
            counts = Counter(f.type for f in report.findings)
            row["findings"] = dict(sorted(counts.items()))
            row["worst"] = max((f.severity for f in report.findings), default=None)
        if config.keep_text:
            row["text"] = doc.text
        rows.append(row)
    return rows


def scan_partition(partition: Partition, config: ScanConfig) -> dict:
    """Scan every record of ``partition``: the rows and the tally, JSON-ready."""
    from unspin.corpus.records import iter_records

    index = open_index(config.db)
    tally = Tally()
    rows: list[dict] = []
    t = time.perf_counter()
    it = iter_records(partition)
    while True:
        t0 = time.perf_counter()
        rec = next(it, None)
        tally.seconds["read"] += time.perf_counter() - t0
        if rec is None:
            break
        tally.records += 1
        if isinstance(rec, Skip):
            tally.skipped[rec.reason] += 1
            continue
        rows.extend(scan_page(rec, index, config, tally))
    tally.seconds["total"] = time.perf_counter() - t
    return {"partition": {"file": partition.file, "start": partition.start, "end": partition.end},
            "rows": rows, "records": tally.records, "pages": tally.pages, "screened_in": tally.screened_in,
            "pairs": tally.pairs, "derived": tally.derived, "skipped": dict(tally.skipped),
            "seconds": {k: round(v, 4) for k, v in tally.seconds.items()}}
