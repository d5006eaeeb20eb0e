"""Scan one partition of a crawl: read -> screen -> extract -> verify -> audit -> rows.

Each stage is cheaper than the next and runs on fewer pages: every page gets its visible
text read and screened (about 1 ms), only pages with candidates are extracted (about 18 ms)
and compared with each candidate (segment, align, passages, verdict), and only derived pairs
are audited for findings. Stage times and page counts are returned so the bench can say what
each stage costs and how much recall it loses.
"""

from __future__ import annotations

import bisect
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from unspin.corpus.index import Candidate, Index
from unspin.corpus.text import content_words, english_share, is_prose, page_blocks, words
from unspin.corpus.types import Page, Partition, Skip
from unspin.types import Document, Report, UnspinError

# Below this share of English function words a page is another language (English prose has
# about 0.4; the lowest derived page of the shared scan set 0.13, German or French pages < 0.1).
MIN_ENGLISH = 0.10
MIN_WORDS = 30  # fewer visible words than this is no article page
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
# Candidates whose articles are this alike (TF-IDF cosine) are versions of one story, compared
# together; below it (90% of the archive's unrelated pairs are) each is judged alone.
STORY_COSINE = 0.15
MAX_VERSIONS = 8  # other versions of a story added to its joint comparison
JOINT_MIN = 0.2  # the best single score that makes a joint comparison worth running
MAX_ERRORS = 20  # unreadable records named per partition (all are counted)
TRIM_SHARE = 0.25  # content-word share with the candidates of the blocks where the article starts and ends
TRIM_WORDS = 120  # at most this much prose around them is page furniture, dropped
CONTAINER_SHARE = 0.8  # of the matched words: the block element that holds the copy
CONTAINER_MIN_BLOCKS = 2
MIN_PROSE_WORDS = 8  # a block this long is prose, not a link, a label or a one-line comment


@dataclass(frozen=True)
class ScanConfig:
    """What every worker needs; small and picklable (each worker opens the index itself)."""

    db: str
    audit: str = "rules"        # "rules", "model" or "none": findings for the derived pairs
    backend: str = "auto"
    # The verdict's score a derived pair needs to be reported (``--min-score``). 0.5 keeps every
    # derived verdict; docs/scan.md gives recall, precision and false alarms at higher settings.
    min_probability: float = 0.5
    alone_probability: float = 0.7  # ... alone, for a candidate also compared with its story's other versions
    top: int = 3
    # A page's best 100-word window against an article (``Index.screen``): on the shared scan
    # set 95% of copied pages' windows reach 0.23 with their source, 95% of other pages' best
    # stays under 0.19.
    min_cosine: float = 0.2
    window: int = 100
    min_shingles: int = 3
    keep_text: bool = False     # put the page's article text in each row (provenance, evidence)
    trace: bool = False         # also return every screened page's candidates and verdicts (bench)
    page: str = "blocks"        # what is compared: "blocks" (every prose block) or "article" (extracted)


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
    domains: Counter = field(default_factory=Counter)
    trace: list = field(default_factory=list)
    errors: list = field(default_factory=list)


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


def _matched(block: str, vocab: set[str]) -> tuple[int, int]:
    """(content words of the block found in the candidate articles, content words)."""
    cw = content_words(words(block))
    return sum(w in vocab for w in cw), len(cw)


def _echoes(m: tuple[int, int], share: float = 0.5) -> bool:
    """Whether ``share`` of a block's content words (``_matched``, at least 3) are the
    candidates' words."""
    return m[1] >= 3 and m[0] >= share * m[1]


def _drop_teasers(paras: list[str]) -> list[str]:
    """Without blocks that are a cut-off opening of another block ("A MOTHER yesterday won..."),
    found by binary search over the sorted blocks (a page may hold thousands)."""
    ordered = sorted(paras)
    out = []
    for block in paras:
        head = block.rstrip(".\u2026 ") if block.endswith(("...", "\u2026")) else None
        if head:
            k = bisect.bisect_right(ordered, head)
            # a longer block starting with the head (they sort together, right after it) that
            # goes on with more than the dots
            longer = False
            while k < len(ordered) and ordered[k].startswith(head):
                if ordered[k].rstrip(".\u2026 ") != head:
                    longer = True
                    break
                k += 1
            if longer:
                continue
        out.append(block)
    return out


def _container(paras: list[str], match: list[tuple[int, int]]) -> list[int]:
    """Indexes of the blocks inside the deepest block element of the page that holds
    CONTAINER_SHARE of the words the candidates share with the page's blocks and at least
    CONTAINER_MIN_BLOCKS blocks: the article container a copy was set into, without the rest of
    a real page (its sidebars, other stories, notices). A single paragraph is never the
    container, so a passage is still judged against the document around it. Elements are
    counted by their serial number (unique in the page), so the cost is blocks x depth."""
    found: Counter = Counter()
    blocks: Counter = Counter()
    depth: dict[int, int] = {0: 0}
    total = 0
    for b, m in zip(paras, match, strict=True):
        path = (0, *getattr(b, "path", ()))  # 0: the page itself
        blocks.update(path)
        for k, node in enumerate(path):
            depth[node] = k
        if _echoes(m, TRIM_SHARE):
            total += m[0]
            for node in path:
                found[node] += m[0]
    if not total:
        return list(range(len(paras)))
    best = max((node for node, n in found.items() if n >= CONTAINER_SHARE * total
                and blocks[node] >= CONTAINER_MIN_BLOCKS), key=depth.__getitem__, default=0)
    # and, outside it, blocks that are mostly the candidates' words (a copy split around an ad)
    kept = [i for i, b in enumerate(paras)
            if best == 0 or best in getattr(b, "path", ()) or _echoes(match[i])]
    return kept or list(range(len(paras)))


def _trim(paras: list[str], match: list[tuple[int, int]]) -> list[str]:
    """Drop the page's prose before the first and after the last block that shares a quarter of
    its content words with the candidates, when that is at most TRIM_WORDS words: a site's
    notices and footers around a short article ("Boston.com does not share this information...")
    weigh against it as much as unsupported article text would. More prose than that around
    the match is the page's own content, which the passage route needs as context."""
    near = [_echoes(m, TRIM_SHARE) for m in match]
    if not any(near):
        return paras
    first, last = near.index(True), len(near) - near[::-1].index(True)
    cut = sum(len(b.split()) for b in paras[:first] + paras[last:])
    return paras[first:last] if cut <= TRIM_WORDS else paras


def prose_document(page: Page, blocks: list[str], vocab: set[str] | None = None) -> Document:
    """The page's prose blocks, in page order: every block of MIN_PROSE_WORDS words or more
    that reads as running text (``corpus.text.is_prose``), or whose words mostly occur in the
    candidate articles (``vocab``: a hard-wrapped or garbled line of a copy is kept); without
    teaser repeats, outside the element that holds the match (``_container``), and without
    short site prose around the matched text (``_trim``).

    A copy is often not the page's main article: spliced below another story, or inside a
    page shell whose own article an extractor picks, so all the prose is compared. Related
    headlines, labels, buttons and notices are left out because METER's wholly derived copies
    are often one to four sentences, which they would outweigh (figures: docs/scan.md).
    """
    paras = [b for b in blocks if len(b.split()) >= MIN_PROSE_WORDS
             and (is_prose(b) or (vocab is not None and _echoes(_matched(b, vocab))))]
    paras = _drop_teasers(paras)
    if vocab:
        match = [_matched(b, vocab) for b in paras]
        kept = _container(paras, match)
        paras = _trim([paras[i] for i in kept], [match[i] for i in kept])
    if not paras:
        raise UnspinError(f"{page.url or page.location.file}: no prose on the page")
    return Document.from_text("\n\n".join(paras), url=page.url, path=page.location.file)


def candidate_vocab(index: Index, source_ids: list[str]) -> set[str]:
    """The words of the archive articles a page was screened against (``prose_document``)."""
    vocab: set[str] = set()
    for sid in source_ids:
        vocab.update(index.article_words(sid))
    return vocab


def page_document(page: Page, mode: str = "blocks", vocab: set[str] | None = None) -> Document:
    """The text a scan compares for ``page`` (see ``ScanConfig.page``)."""
    if mode == "blocks" and page.kind == "html":
        return prose_document(page, page_blocks(page.body), vocab)
    return extract_page(page)


class Joint(NamedTuple):
    """A candidate's share of the joint comparison of its story group with the page."""

    verdict: object
    passages: list       # the joint comparison's passages that come from this candidate
    lead: bool           # has passages, or (none found) holds most of the joint links
    sources: list[str]   # every archive article compared together, this one first


@dataclass
class Checked:
    """One candidate compared with the page: alone, and (``joint``) with the other versions
    of its story among the page's candidates."""

    candidate: Candidate
    alignment: object
    passages: list
    verdict: object
    source: object
    page: object
    joint: Joint | None = None

    def reported(self, min_score: float, alone_score: float) -> tuple[object, list] | None:
        """(verdict, passages) that make this candidate a copy, or None.

        A candidate compared jointly with other versions of its story (as METER judges a
        newspaper article against all the wire copy of its story) is reported when that joint
        comparison is derived and it leads it (``Joint.lead``), or when it alone is derived
        with a score of ``alone_score``; any other candidate when alone it scores ``min_score``.
        """
        v = self.verdict
        alone = v.derived and v.score >= (min_score if self.joint is None else max(min_score, alone_score))
        j = self.joint
        if j is not None and j.verdict.derived and j.verdict.score >= min_score and j.lead \
                and (not alone or j.verdict.score > v.score):
            return j.verdict, j.passages
        return (v, self.passages) if alone else None


def story_groups(index: Index, candidates: list[Candidate]) -> list[list[int]]:
    """Candidates linked (transitively) by article-to-article cosine >= STORY_COSINE."""
    parent = list(range(len(candidates)))

    def find(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if index.related(candidates[i].source_id, candidates[j].source_id) >= STORY_COSINE:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for k in range(len(candidates)):
        groups.setdefault(find(k), []).append(k)
    return list(groups.values())


def _other_versions(index: Index, screened: list[str], members: list[str]) -> list[str]:
    """Archive versions of the group's story the screen did not return (up to MAX_VERSIONS, the
    most alike first): the joint comparison judges the page against the story's wire copy as a
    whole, as METER does, not only against the versions the page's words happened to rank."""
    found: dict[str, float] = {}
    for sid in members:
        for other, cos in index.versions(sid, STORY_COSINE, MAX_VERSIONS):
            if other not in screened and cos > found.get(other, 0.0):
                found[other] = cos
    return sorted(found, key=lambda k: (-found[k], k))[:MAX_VERSIONS]


def verify(index: Index, page_doc: Document, candidates: list[Candidate], backend: str = "auto",
           joint: bool = True, alone_score: float = 0.7) -> list[Checked]:
    """Compare the page with each candidate, and (``joint``) each story group of candidates,
    with the story's other archive versions, together, when that can change what is reported:
    some member alone shows reuse (score >= JOINT_MIN; on the shared scan set no page below it
    was derived jointly) and not every member is already reported alone (``alone_score``)."""
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
        out.append(Checked(c, alignment, passages, judge(alignment, passages=passages), src, cand))
    if not joint:
        return out
    appended: set[str] = set()
    for group in story_groups(index, candidates):
        members = [out[k] for k in group]
        scores = [x.verdict.score for x in members]
        settled = all(x.verdict.derived and x.verdict.score >= alone_score for x in members)
        if max(scores) < JOINT_MIN or settled:
            continue
        ids = [x.candidate.source_id for x in members]
        extra = _other_versions(index, [c.source_id for c in candidates], ids)
        if len(group) + len(extra) < 2:
            continue
        srcs = [segment(index.article(x.candidate.source_id), doc_index=i) for i, x in enumerate(members)]
        srcs += [segment(index.article(e), doc_index=len(members) + k) for k, e in enumerate(extra)]
        alignment = align(srcs, cand, encoder)
        passages = find_passages(alignment, srcs, cand)
        verdict = judge(alignment, passages=passages)
        doc_of = [s.doc for s in alignment.source_sentences]
        links = Counter(doc_of[lk.source[0]] for lk in alignment.links if lk.source)
        top = max(links.values(), default=0)
        for i, item in enumerate(members):
            mine = [p for p in passages if p.source_doc == i]
            lead = bool(mine) or (not passages and top > 0 and links[i] == top)
            item.joint = Joint(verdict, mine, lead, [ids[i], *ids[:i], *ids[i + 1:], *extra])
        if verdict.derived and not any(x.joint.lead for x in members):
            # the reused passages are all from versions the screen did not return: report those
            # (once: two groups of the page may share a version)
            for k, e in enumerate(extra):
                mine = [p for p in passages if p.source_doc == len(members) + k]
                if mine and e not in appended:
                    appended.add(e)
                    src = segment(index.article(e))
                    single = align([src], cand, encoder)
                    found = find_passages(single, [src], cand)
                    share = Joint(verdict, mine, True, [e, *ids, *(x for x in extra if x != e)])
                    out.append(Checked(Candidate(e, 0.0, 0), single, found, judge(single, passages=found),
                                       src, cand, share))
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
                     "kind": p.kind, "strength": round(p.strength, 4), "verbatim": round(p.verbatim, 4),
                     "words": len(p.candidate.text.split())})
    return rows


def _domain(url: str | None) -> str:
    try:
        return (urlsplit(url).hostname or "-") if url else "-"
    except ValueError:
        return "-"


def scan_page(page: Page, index: Index, config: ScanConfig, tally: Tally) -> list[dict]:
    """Result rows for one page (none when it copies nothing)."""
    t = time.perf_counter()
    blocks = page_blocks(page.body) if page.kind == "html" else page.text().splitlines()
    toks = words("\n".join(blocks))
    tally.seconds["text"] += time.perf_counter() - t
    if len(toks) < MIN_WORDS:
        tally.skipped["empty"] += 1
        return []
    if english_share(toks) < MIN_ENGLISH:
        tally.skipped["other_language"] += 1
        return []
    tally.pages += 1
    tally.domains[_domain(page.url)] += 1
    t = time.perf_counter()
    cands = index.screen(toks, top=config.top, min_cosine=config.min_cosine, min_shingles=config.min_shingles,
                         window=config.window)
    tally.seconds["screen"] += time.perf_counter() - t
    if not cands:
        return []
    tally.screened_in += 1
    t = time.perf_counter()
    try:
        vocab = candidate_vocab(index, [c.source_id for c in cands])
        doc = prose_document(page, blocks, vocab) if config.page == "blocks" and page.kind == "html" \
            else extract_page(page)
    except UnspinError:
        tally.skipped["no_article"] += 1
        tally.seconds["extract"] += time.perf_counter() - t
        return []
    tally.seconds["extract"] += time.perf_counter() - t
    t = time.perf_counter()
    try:
        checked = verify(index, doc, cands, config.backend,
                         alone_score=max(config.min_probability, config.alone_probability))
    except UnspinError:
        tally.skipped["no_article"] += 1
        checked = []
    tally.pairs += len(checked)
    tally.seconds["verify"] += time.perf_counter() - t
    if config.trace:
        tally.trace.append({"url": page.url, "screened": [c.source_id for c in cands],
                            "verdicts": {x.candidate.source_id: [x.verdict.label, round(x.verdict.score, 4)]
                                         for x in checked}})
    rows = []
    for x in checked:
        hit = x.reported(config.min_probability, config.alone_probability)
        if hit is None:
            continue
        verdict, passages = hit
        c, alignment, src, cand = x.candidate, x.alignment, x.source, x.page
        tally.derived += 1
        row = {
            "url": page.url, "source_id": c.source_id, "verdict": verdict.label,
            "score": round(float(verdict.score), 4), "decided_by": verdict.evidence.get("decided_by"),
            # None: not returned by the screen, reached as another version of a screened story
            "screen": {"cosine": round(c.cosine, 4), "shingles": c.shingles} if c in cands else None,
            "compared": [k.source_id for k in cands],
            "warc_file": page.location.file if page.location.record_id else None,
            "warc_offset": page.location.offset, "warc_length": page.location.length,
            "record_id": page.location.record_id, "file": page.location.file, "key": page.location.key,
            "content_sha256": page.content_sha256, "date": page.date or doc.date,
            "page_date": doc.date, "domain": _domain(page.url),
            "title": doc.title, "passages": _passage_rows(passages, src, cand),
            "joint": verdict is not x.verdict,
            **({"joint_sources": x.joint.sources} if verdict is not x.verdict else {}),
        }
        if config.audit != "none":
            t = time.perf_counter()
            report = audit(alignment, x.passages, verdict, src, cand, config.audit, config.backend)
            tally.seconds["audit"] += time.perf_counter() - t
            counts = Counter(f.type for f in report.findings)
            row["findings"] = dict(sorted(counts.items()))
            row["worst"] = max((f.severity for f in report.findings), key=SEVERITY_RANK.get, default=None)
        if config.keep_text:  # the copied stretch only, for provenance: not the page around it
            row["text"] = "\n".join(cand.doc.text[p.candidate.start:p.candidate.end] for p in passages)
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
            if rec.reason in ("unreadable", "too_large") and len(tally.errors) < MAX_ERRORS:
                where = rec.location.key or rec.location.offset
                tally.errors.append(f"{rec.location.file} [{where}]: {rec.reason}"
                                    + (f": {rec.detail}" if rec.detail else ""))
            continue
        rows.extend(scan_page(rec, index, config, tally))
    tally.seconds["total"] = time.perf_counter() - t
    return {"partition": {"file": partition.file, "start": partition.start, "end": partition.end},
            "rows": rows, "records": tally.records, "pages": tally.pages, "screened_in": tally.screened_in,
            "pairs": tally.pairs, "derived": tally.derived, "skipped": dict(tally.skipped),
            "domains": dict(tally.domains), "trace": tally.trace, "errors": tally.errors,
            "seconds": {k: round(v, 4) for k, v in tally.seconds.items()}}
