"""The HTML report: one self-contained file a reviewer can open offline, print or mail.

Source and candidate sit side by side, one row per alignment link, so each candidate sentence
is read next to the source sentences it came from. Findings are highlighted at their exact
offsets inside the sentences and listed in a sticky panel; clicking one brings both of its spans
into view. CSS and JS are inlined (report.css, report.js next to this module) and a
Content-Security-Policy forbids every network fetch, so nothing leaves the machine.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import cache
from html import escape
from importlib import resources

from unspin.report.json_report import (
    FINDING_TYPES,
    SEVERITIES,
    TYPE_HELP,
    VERDICT_LABELS,
    coverage,
    finding_diff,
    finding_ids,
    summary,
    tool_version,
    type_label,
)
from unspin.types import SCHEMA_VERSION, Document, Finding, Report, Sentence

KIND_LABELS = {"verbatim": "verbatim", "near_verbatim": "near verbatim", "paraphrase": "paraphrase",
               "partial": "partial"}


def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


@cache
def _asset(name: str) -> str:
    return resources.files("unspin.report").joinpath(name).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------- rows

@dataclass
class Row:
    cand: list[int] = field(default_factory=list)  # candidate sentence indices, reading order
    src: list[int] = field(default_factory=list)  # source sentence indices (alignment order)
    links: list[int] = field(default_factory=list)  # link indices
    refs: list[int] = field(default_factory=list)  # source sentences already shown in an earlier row


def build_rows(n_src: int, n_cand: int, links) -> list[Row]:
    """Rows in candidate reading order; unlinked source sentences go next to their neighbours.

    Consecutive candidate sentences share a row when they share a link or a source sentence
    (an N:M link). A source sentence conveyed in two separate places appears in full once and
    as a reference in later rows.
    """
    cand_links: dict[int, list[int]] = {}
    for li, link in enumerate(links):
        for c in link.candidate:
            if 0 <= c < n_cand:
                cand_links.setdefault(c, []).append(li)
    rows: list[Row] = []
    cur: Row | None = None
    for c in range(n_cand):
        lis = cand_links.get(c, [])
        if not lis:
            rows.append(Row(cand=[c]))
            cur = None
            continue
        srcs = {s for li in lis for s in links[li].source if 0 <= s < n_src}
        if cur is not None and cur.cand and cur.cand[-1] == c - 1 and (set(lis) & set(cur.links)
                                                                       or srcs & set(cur.src)):
            cur.cand.append(c)
            cur.links += [li for li in lis if li not in cur.links]
            cur.src += sorted(srcs - set(cur.src))
            cur.src.sort()
        else:
            cur = Row(cand=[c], src=sorted(srcs), links=list(lis))
            rows.append(cur)
    # a source sentence is shown in full in the first row that holds it
    placed: dict[int, int] = {}
    for ri, row in enumerate(rows):
        keep = []
        for s in row.src:
            if s in placed:
                row.refs.append(s)
            else:
                placed[s] = ri
                keep.append(s)
        row.src = keep
    # unlinked source sentences: after the row of their predecessor, else before their
    # successor's; each goes into a list hanging off a linked row, so order is kept in O(n)
    after: dict[int, list[Row]] = {}
    before: dict[int, list[Row]] = {}
    tail: list[Row] = []
    host: dict[int, list[Row]] = {}  # source sentence -> the list it sits in (unlinked ones)
    for s in range(n_src):
        if s in placed:
            continue
        new = Row(src=[s])
        prev = next((p for p in range(s - 1, -1, -1) if p in placed or p in host), None)
        if prev is not None:
            where = host[prev] if prev in host else after.setdefault(placed[prev], [])
        else:
            nxt = next((q for q in range(s + 1, n_src) if q in placed), None)
            where = before.setdefault(placed[nxt], []) if nxt is not None else tail
        where.append(new)
        host[s] = where
    out: list[Row] = []
    for ri, row in enumerate(rows):
        out += before.get(ri, []) + [row] + after.get(ri, [])
    return out + tail


# ------------------------------------------------------------------------------------- marks

@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    fid: str
    kind: str
    side: str  # "c" candidate or "s" source


def _display_ranges(text: str, sentences: list[tuple[int, Sentence]]) -> dict[int, tuple[int, int]]:
    """key -> [a, b): each sentence also shows any text up to the next one, so text a segmenter
    skipped (a stray word) is still on screen and can carry its highlight."""
    order = sorted(sentences, key=lambda ks: (ks[1].start, ks[1].end))
    out = {}
    for i, (key, s) in enumerate(order):
        a = 0 if i == 0 else max(s.start, out[order[i - 1][0]][1])
        b = len(text) if i == len(order) - 1 else max(order[i + 1][1].start, s.end)
        b = max(min(b, len(text)), a)
        out[key] = (a, b)
    return out


def _render_text(text: str, a: int, b: int, marks: list[Mark], seen: set[tuple[str, str]]) -> str:
    """text[a:b] with <mark>s at exact offsets; overlapping marks are split so the HTML nests
    properly, and only a span's first piece carries its id. Whitespace around a sentence is kept
    (HTML collapses it at the edges of a block), so a span's pieces join back to its text."""
    here = [m for m in marks if m.start < b and m.end > a and m.end > m.start]
    if not here:
        return _e(text[a:b])
    cuts = sorted({a, b} | {max(a, m.start) for m in here} | {min(b, m.end) for m in here})
    out: list[str] = []
    stack: list[Mark] = []
    for x, y in zip(cuts, cuts[1:], strict=False):
        want = sorted((m for m in here if m.start <= x and m.end >= y),
                      key=lambda m: (m.start, -m.end, m.fid))
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep] == want[keep]:
            keep += 1
        for m in reversed(stack[keep:]):
            out.append(_close(m, x))
        stack = stack[:keep]
        for m in want[keep:]:
            out.append(_open(m, seen))
            stack.append(m)
        out.append(_e(text[x:y]))
    for m in reversed(stack):
        out.append(_close(m, b))
    return "".join(out)


def _open(m: Mark, seen: set[tuple[str, str]]) -> str:
    first = (m.fid, m.side) not in seen
    seen.add((m.fid, m.side))
    ident = f' id="{m.fid}-{m.side}"' if first else ""
    side = "candidate" if m.side == "c" else "source"
    cls = f"f t-{m.kind} side-{m.side}" + ("" if first else " cont")
    return (f'<mark class="{cls}"{ident} data-finding="{m.fid}" data-side="{m.side}" '
            f'title="{m.fid} \u00b7 {_e(type_label(m.kind))} ({side})">')


def _close(m: Mark, at: int) -> str:
    label = (f'<span class="flabel t-{m.kind} side-{m.side}" data-finding="{m.fid}" data-label="{m.fid}" '
             'aria-hidden="true"></span>') if at >= m.end else ""
    return "</mark>" + label


# ------------------------------------------------------------------------------------- pieces

def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _doc_meta(doc: Document, role: str) -> str:
    bits = [b for b in (doc.site_name, doc.date, ", ".join(doc.authors) if doc.authors else None) if b]
    where = doc.url or doc.path
    meta = " \u00b7 ".join(_e(b) for b in bits)
    return (f'<div class="doc"><div class="doc-role">{_e(role)}</div>'
            f'<div class="doc-title">{_e(doc.title) if doc.title else "<em>untitled</em>"}</div>'
            + (f'<div class="doc-meta">{meta}</div>' if meta else "")
            + (f'<div class="doc-path">{_e(where)}</div>' if where else "") + "</div>")


def _bar(label: str, value: float, hint: str) -> str:
    v = max(0.0, min(1.0, float(value)))
    return (f'<div class="metric" title="{_e(hint)}"><div class="metric-top"><span>{_e(label)}</span>'
            f'<strong>{_pct(v)}</strong></div>'
            f'<div class="bar" role="img" aria-label="{_e(label)}: {_pct(v)}">'
            f'<span style="width:{v * 100:.1f}%"></span></div></div>')


def _header(report: Report) -> str:
    v = report.verdict
    cov = coverage(report)
    summ = summary(report)
    label = VERDICT_LABELS.get(v.label, v.label)
    what = ("The candidate is derived from the source." if v.derived
            else "No sign that the candidate was derived from the source.")
    docs = "".join(_doc_meta(s.doc, "Source" if len(report.sources) == 1 else f"Source {i + 1}")
                   for i, s in enumerate(report.sources))
    docs += _doc_meta(report.candidate.doc, "Candidate")
    sev = "".join(f'<li class="sev sev-{s}"><strong>{summ["by_severity"].get(s, 0)}</strong> {s}</li>'
                  for s in SEVERITIES)
    return f"""<header class="top">
<div class="brand"><span class="logo" aria-hidden="true">u</span> unspin report</div>
<div class="summary-grid">
<section class="verdict v-{_e(v.label)}" aria-label="Verdict">
<div class="verdict-label">{_e(label)}</div>
<div class="verdict-score">score <strong>{v.score:.2f}</strong></div>
<p>{what}</p>
</section>
<section class="docs" aria-label="Documents">{docs}</section>
<section class="metrics" aria-label="Coverage">
{_bar("Source conveyed", cov["source_conveyed"], "share of source words the candidate conveys")}
{_bar("Candidate supported", cov["candidate_supported"], "share of candidate words the source supports")}
{_bar("Verbatim", cov["verbatim"], "share of candidate words inside long verbatim runs")}
<div class="metric-note">{cov["source_sentences_linked"]}/{cov["source_sentences"]} source and
{cov["candidate_sentences_linked"]}/{cov["candidate_sentences"]} candidate sentences linked</div>
</section>
<section class="counts" aria-label="Findings by severity">
<div class="count-total"><strong>{summ["total"]}</strong> finding{"" if summ["total"] == 1 else "s"}</div>
<ul>{sev}</ul>
</section>
</div>
</header>"""


def _legend(report: Report) -> str:
    summ = summary(report)
    items = []
    for t in FINDING_TYPES:
        n = summ["by_type"].get(t, 0)
        items.append(
            f'<li><button type="button" class="legend-item t-{t}{"" if n else " none"}" data-type="{t}" '
            f'aria-pressed="true" title="{_e(TYPE_HELP[t])}. Click to hide or show.">'
            f'<span class="swatch" aria-hidden="true"></span>{_e(type_label(t))}'
            f'<span class="n">{n}</span></button></li>')
    return ('<nav class="legend" aria-label="Finding types"><ul>' + "".join(items) + "</ul>"
            '<p class="legend-note">Highlights sit at the exact characters of each finding; '
            "source-side highlights show what the candidate changed or left out.</p></nav>")


def _quote_block(label: str, text: str, cls: str) -> str:
    return (f'<div class="q {cls}"><span class="q-label">{_e(label)}</span>'
            f'<blockquote>{_e(text)}</blockquote></div>')


def _diff_html(ops: list[tuple[str, str]]) -> str:
    out = []
    for op, text in ops:
        core = text.strip()
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        if not core or op == "equal":
            out.append(_e(text))
        elif op == "delete":
            out.append(f'{_e(lead)}<del title="in the source">{_e(core)}</del>{_e(trail)}')
        else:
            out.append(f'{_e(lead)}<ins title="in the candidate">{_e(core)}</ins>{_e(trail)}')
    return "".join(out).strip()


def _finding_card(fid: str, f: Finding, report: Report) -> str:
    several = len(report.sources) > 1
    parts = [
        f'<li class="finding t-{f.type} sev-{f.severity}" id="{fid}" data-finding="{fid}" '
        f'data-type="{f.type}">',
        '<div class="finding-head">',
        f'<button type="button" class="fid" data-finding="{fid}" aria-label="Show finding {fid} in the text">'
        f"{fid}</button>",
        f'<span class="ftype"><span class="swatch" aria-hidden="true"></span>{_e(type_label(f.type))}</span>',
        f'<span class="sev-badge sev-{f.severity}">{_e(f.severity)}</span>',
        f'<span class="conf" title="confidence">{f.confidence:.2f}</span>',
        "</div>",
        f'<p class="explanation">{_e(f.explanation)}</p>',
    ]
    if f.candidate is not None:
        parts.append(_quote_block("Candidate", f.candidate.text, "q-c"))
    if f.source is not None:
        label = "Missing from candidate" if f.type == "omission" else "Source"
        if several:
            label += f" ({f.source_doc + 1})"
        parts.append(_quote_block(label, f.source.text, "q-s"))
    elif f.type != "omission":
        parts.append('<p class="no-source">No counterpart in the source.</p>')
    ops = finding_diff(f)
    if ops and any(op != "equal" for op, _ in ops):
        parts.append(f'<div class="diff" aria-label="word changes, source to candidate">'
                     f"{_diff_html(ops)}</div>")
    parts.append("</li>")
    return "".join(parts)


def _findings(report: Report) -> str:
    ids = finding_ids(report.findings)
    if not report.findings:
        msg = ("No findings." if report.verdict.derived
               else "No findings: changes are only reported for a candidate derived from the source.")
        body = f'<p class="empty-note">{_e(msg)}</p>'
    else:
        groups = []
        for sev in SEVERITIES:
            cards = [_finding_card(fid, f, report)
                     for fid, f in zip(ids, report.findings, strict=True) if f.severity == sev]
            if cards:
                groups.append(f'<h3 class="sev-head sev-{sev}">{sev.capitalize()} '
                              f"<span>{len(cards)}</span></h3>"
                              f'<ol class="finding-list">{"".join(cards)}</ol>')
        body = "".join(groups)
    return (f'<aside id="findings" class="findings" aria-label="Findings"><h2>Findings</h2>'
            f'<p class="hint">Select a finding to see it in both texts.</p>{body}</aside>')


def _compare(report: Report) -> str:
    al = report.alignment
    src_sents = list(al.source_sentences) or [s for seg in report.sources for s in seg.sentences]
    cand_sents = list(al.candidate_sentences) or list(report.candidate.sentences)
    links = [ln for ln in al.links
             if all(0 <= s < len(src_sents) for s in ln.source)
             and all(0 <= c < len(cand_sents) for c in ln.candidate)]
    rows = build_rows(len(src_sents), len(cand_sents), links)
    ids = finding_ids(report.findings)
    several = len(report.sources) > 1

    src_docs = {i: seg.doc for i, seg in enumerate(report.sources)}
    for seg in report.sources:
        src_docs.setdefault(seg.doc_index, seg.doc)
    cand_text = report.candidate.doc.text
    cand_marks = [Mark(f.candidate.start, f.candidate.end, fid, f.type, "c")
                  for fid, f in zip(ids, report.findings, strict=True) if f.candidate is not None]
    src_marks: dict[int, list[Mark]] = {}
    for fid, f in zip(ids, report.findings, strict=True):
        if f.source is not None:
            mark = Mark(f.source.start, f.source.end, fid, f.type, "s")
            src_marks.setdefault(f.source_doc, []).append(mark)

    c_ranges = _display_ranges(cand_text, list(enumerate(cand_sents)))
    s_ranges: dict[int, tuple[int, int]] = {}
    for d in {s.doc for s in src_sents}:
        doc = src_docs.get(d)
        if doc is not None:
            mine = [(i, s) for i, s in enumerate(src_sents) if s.doc == d]
            s_ranges.update(_display_ranges(doc.text, mine))
    first_in_para_c = _paragraph_starts(cand_sents)
    first_in_para_s = _paragraph_starts(src_sents)
    seen: set[tuple[str, str]] = set()

    def cand_html(c: int) -> str:
        a, b = c_ranges[c]
        body = _render_text(cand_text, a, b, cand_marks, seen)
        pcls = " pstart" if c in first_in_para_c else ""
        return f'<p class="sent{pcls}" id="c{c}" data-para="{cand_sents[c].paragraph + 1}">{body}</p>'

    def src_html(s: int) -> str:
        sent = src_sents[s]
        doc = src_docs.get(sent.doc)
        if doc is None or s not in s_ranges:
            body = _e(sent.text)
        else:
            a, b = s_ranges[s]
            body = _render_text(doc.text, a, b, src_marks.get(sent.doc, []), seen)
        tag = f'<span class="doc-tag">S{sent.doc + 1}</span> ' if several else ""
        pcls = " pstart" if s in first_in_para_s else ""
        return f'<p class="sent{pcls}" id="s{s}" data-para="{sent.paragraph + 1}">{tag}{body}</p>'

    def ref_html(s: int) -> str:
        text = " ".join(src_sents[s].text.split())
        short = text if len(text) <= 90 else text[:88].rsplit(" ", 1)[0] + " \u2026"
        return (f'<p class="sent ref"><a href="#s{s}" title="This source sentence also backs an earlier row">'
                f"\u2191 as above</a> {_e(short)}</p>")

    out = ['<main id="compare" class="compare" aria-label="Source and candidate, sentence by sentence">',
           '<div class="cols-head" aria-hidden="true"><div>Source</div><div class="g">link</div>'
           "<div>Candidate</div></div>"]
    if not report.verdict.derived:
        out.append('<p class="notice">The candidate does not appear to be derived from the source; '
                   "the rows below show whatever weak links were found.</p>")
    for row in rows:
        kind = "linked" if row.links else ("cand-only" if row.cand else "src-only")
        left = "".join(src_html(s) for s in row.src) + "".join(ref_html(s) for s in row.refs)
        right = "".join(cand_html(c) for c in row.cand)
        if row.links:
            best = max((links[li] for li in row.links), key=lambda ln: ln.similarity)
            detail = "; ".join(
                f"{KIND_LABELS.get(links[li].kind, links[li].kind)} {links[li].similarity:.2f} "
                f"(lexical {links[li].lexical:.2f}, semantic {links[li].semantic:.2f})" for li in row.links)
            gutter = (f'<span class="pill k-{_e(best.kind)}" title="{_e(detail)}">'
                      f"<strong>{best.similarity:.2f}</strong>"
                      f"<small>{_e(KIND_LABELS.get(best.kind, best.kind))}</small></span>")
        elif row.cand:
            gutter = ('<span class="pill k-none" title="no source sentence conveys this">'
                      "<small>no source</small></span>")
        else:
            gutter = ('<span class="pill k-drop" title="no candidate sentence conveys this">'
                      "<small>not in candidate</small></span>")
        out.append(f'<div class="row {kind}"><div class="cell src">{left}</div>'
                   f'<div class="gutter">{gutter}</div><div class="cell cand">{right}</div></div>')
    out.append("</main>")
    return "".join(out)


def _paragraph_starts(sents: list[Sentence]) -> set[int]:
    seen, out = set(), set()
    for i, s in sorted(enumerate(sents), key=lambda t: (t[1].doc, t[1].start)):
        if (s.doc, s.paragraph) not in seen:
            seen.add((s.doc, s.paragraph))
            out.add(i)
    return out


def _footer(report: Report) -> str:
    t = report.timings or {}
    nums = {k: v for k, v in t.items() if isinstance(v, int | float)}
    times = " \u00b7 ".join(f"{_e(k)} {v:.2f}s" for k, v in nums.items())
    total = f" (total {sum(nums.values()):.2f}s)" if nums else ""
    backend = f" \u00b7 embeddings: {_e(report.backend)}" if report.backend else ""
    return (f'<footer class="foot">Generated by unspin {_e(tool_version())}{backend} \u00b7 report schema '
            f"{_e(SCHEMA_VERSION)}" + (f"<br>{times}{total}" if times else "") + "</footer>")


def _title(report: Report) -> str:
    cand = report.candidate.doc.title or report.candidate.doc.path or "candidate"
    return f"unspin: {cand}"


def render_html(report: Report) -> str:
    """The whole report as one offline HTML page (inline CSS/JS, no external references)."""
    css = _asset("report.css")
    js = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="unspin {_e(tool_version())}">
<title>{_e(_title(report))}</title>
<style>
{css}</style>
</head>
<body class="no-js">
<a class="skip" href="#findings">Skip to findings</a>
{_header(report)}
{_legend(report)}
<div class="layout">
{_compare(report)}
{_findings(report)}
</div>
{_footer(report)}
<script>{js}</script>
</body>
</html>
"""
