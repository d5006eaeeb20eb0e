"""The HTML report: one self-contained file a reviewer can open offline, print or mail.

Source and candidate sit side by side, one row per alignment link, so each candidate sentence
is read next to the source sentences it came from. Findings are highlighted at their exact
offsets inside the sentences and listed in a sticky panel; clicking one brings both of its spans
into view. Above them a passage map draws both documents to scale with the reused passages
as coloured blocks joined by ribbons, so where the source's material sits in the candidate (and
what lies outside it) shows at a glance; the passages also run as a margin band through the
texts. CSS and JS are inlined (report.css, report.js next to this module) and a
Content-Security-Policy forbids every network fetch, so nothing leaves the machine.
"""

from __future__ import annotations

import base64
import bisect
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
    passages,
    summary,
    tool_version,
    type_label,
)
from unspin.types import FINDING_KINDS, SCHEMA_VERSION, Document, Finding, Report, Sentence

KIND_LABELS = {"verbatim": "verbatim", "near_verbatim": "near verbatim", "paraphrase": "paraphrase",
               "partial": "partial"}
PASSAGE_KINDS = ("verbatim", "near_verbatim", "mixed", "paraphrase")
PASSAGE_LABELS = {"verbatim": "Verbatim", "near_verbatim": "Near verbatim", "mixed": "Mixed",
                  "paraphrase": "Paraphrase"}
PASSAGE_HELP = {"verbatim": "copied word for word", "near_verbatim": "copied with small edits",
                "mixed": "partly copied, partly reworded", "paraphrase": "reworded throughout"}


def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


@cache
def _asset(name: str) -> str:
    return resources.files("unspin.report").joinpath(name).read_text(encoding="utf-8")


_COLOURS_MARK = "types.FINDING_KINDS (--c the strong colour, --tint the highlight) */\n"
_TOGGLES_MARK = "/* @finding-type-toggles: the rules that hide one finding type, written by html.py */\n"


@cache
def stylesheet() -> str:
    """report.css with the per-type rules written in from the registry of finding types, so a
    type added to ``types.FINDING_KINDS`` gets its colours and its legend toggle here too."""
    css = _asset("report.css")
    kinds = list(FINDING_KINDS.values())
    colours = "".join(f".t-{k.name} {{ --c: {k.colour}; --tint: {k.tint}; }}\n" for k in kinds)
    toggles = "".join(
        ",\n".join(f".hide-{k.name} {sel.format(k.name)}" for k in kinds) + f" {{ {rule} }}\n"
        for sel, rule in ((".t-{}.finding", "display: none;"),
                          ("mark.t-{}", "background: none !important; box-shadow: none !important;"),
                          (".flabel.t-{}", "display: none;")))
    assert _COLOURS_MARK in css and _TOGGLES_MARK in css
    return css.replace(_COLOURS_MARK, _COLOURS_MARK + colours).replace(_TOGGLES_MARK, _TOGGLES_MARK + toggles)


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


# ------------------------------------------------------------------------------------- passages

@dataclass
class PassageView:
    """One reused passage as the HTML shows it: the JSON form plus shares of each text."""

    data: dict  # json_report.passages item: id, kind, strength, verbatim, source_doc, source, candidate
    candidate_share: float  # candidate words of the passage / candidate words
    source_share: float  # source words it carries / words of its source document
    cand_sents: list[int] = field(default_factory=list)  # candidate sentences it covers (ids c<i>)
    src_sents: list[int] = field(default_factory=list)  # source sentences it covers (ids s<i>)

    @property
    def pid(self) -> str:
        return self.data["id"]

    @property
    def kind(self) -> str:
        return self.data["kind"] if self.data["kind"] in PASSAGE_LABELS else "mixed"


def _covered(sents: list[tuple[int, Sentence]], start: int, end: int) -> list[int]:
    """Keys of the sentences overlapping [start, end); ``sents`` sorted by offset, disjoint."""
    ends = [s.end for _, s in sents]
    starts = [s.start for _, s in sents]
    lo, hi = bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)
    return [k for k, _ in sents[lo:hi]]


def passage_views(report: Report) -> list[PassageView]:
    """The report's passages in JSON order (P1, P2, ...) with the sentences each one covers."""
    items = passages(report)
    if not items:
        return []
    from unspin.align import tokens  # the verdict's word count, so shares match its reason

    al = report.alignment
    src_sents = list(al.source_sentences) or [s for seg in report.sources for s in seg.sentences]
    cand_sents = list(al.candidate_sentences) or list(report.candidate.sentences)
    cand_words = sum(len(tokens(s.text)) for s in cand_sents) or 1
    doc_words: dict[int, int] = {}
    by_doc: dict[int, list[tuple[int, Sentence]]] = {}
    for i, s in enumerate(src_sents):
        doc_words[s.doc] = doc_words.get(s.doc, 0) + len(tokens(s.text))
        by_doc.setdefault(s.doc, []).append((i, s))
    for lst in by_doc.values():
        lst.sort(key=lambda ks: (ks[1].start, ks[1].end))
    cand_sorted = sorted(enumerate(cand_sents), key=lambda ks: (ks[1].start, ks[1].end))
    out = []
    for item in items:
        c, s, d = item["candidate"], item["source"], item["source_doc"]
        out.append(PassageView(
            data=item,
            candidate_share=min(1.0, c.get("words", 0) / cand_words),
            source_share=min(1.0, s.get("words", 0) / max(doc_words.get(d, 0), 1)),
            cand_sents=_covered(cand_sorted, c["start"], c["end"]),
            src_sents=_covered(by_doc.get(d, []), s["start"], s["end"])))
    return out


def _n(x: int) -> str:
    return f"{x:,}"


def _reason(report: Report) -> str:
    ev = report.verdict.evidence if isinstance(report.verdict.evidence, dict) else {}
    reason = ev.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return ""
    text = reason.strip()
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?":
        text += "."
    return f'<p class="pm-reason"><span class="pm-why">Why this verdict</span> {_e(text)}</p>'


def _alpha(strength: float) -> float:
    """Block opacity: strength 0.5 (what two texts on one subject score) and below is pale,
    1.0 (plain copy) is solid."""
    return round(0.4 + 0.6 * min(1.0, max(0.0, (float(strength) - 0.5) / 0.5)), 3)


def _passage_label(v: PassageView, several: bool) -> str:
    d = v.data
    c, s = d["candidate"], d["source"]
    src = f"source {d['source_doc'] + 1}" if several else "source"
    return (f"{v.pid}, {PASSAGE_LABELS[v.kind].lower()} ({PASSAGE_HELP[v.kind]}), "
            f"strength {d['strength']:.2f}: "
            f"candidate characters {_n(c['start'])} to {_n(c['end'])} ({_n(c.get('words', 0))} words, "
            f"{_pct(v.candidate_share)} of the candidate) carry {src} characters {_n(s['start'])} to "
            f"{_n(s['end'])} ({_n(s.get('words', 0))} words, {_pct(v.source_share)} of it)")


def _gaps(length: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches of [0, length) outside every span."""
    out, at = [], 0
    for a, b in sorted(spans):
        if a > at:
            out.append((at, a))
        at = max(at, b)
    if at < length:
        out.append((at, length))
    return out


def _passage_map(report: Report, views: list[PassageView]) -> str:
    """Both documents as bars drawn to one scale (characters of body text), passages as blocks
    joined source to candidate by ribbons; grey is text outside every passage."""
    several = len(report.sources) > 1
    cand_len = max(len(report.candidate.doc.text), 1)
    src_lens = [max(len(seg.doc.text), 1) for seg in report.sources] or [1]
    gap = 0.015 * max(cand_len, sum(src_lens)) if several else 0.0
    total = max(cand_len, sum(src_lens) + gap * (len(src_lens) - 1))
    offs, at = [], 0.0
    for n in src_lens:
        offs.append(at)
        at += n + gap

    def x(off: float, pos: int) -> float:
        return 100.0 * (off + pos) / total

    def place(off: float, a: int, b: int) -> tuple[float, float]:
        left = x(off, a)
        return left, max(x(off, b) - left, 0.3)

    def bar(off: float, length: int, label: str) -> str:
        return (f'<span class="pm-doc" style="left:{x(off, 0):.3f}%;width:{x(0, length):.3f}%" '
                f'title="{_e(label)}"></span>')

    def gap_labels(off: float, length: int, spans: list[tuple[int, int]], text: str) -> str:
        out = []
        for a, b in _gaps(length, spans):
            left, width = place(off, a, b)
            if width >= 9:
                out.append(f'<span class="pm-gap" style="left:{left:.3f}%;width:{width:.3f}%" '
                           f'aria-hidden="true">{_e(text)}</span>')
        return "".join(out)

    def block(v: PassageView, side: str, left: float, width: float) -> str:
        d = v.data
        span = d["candidate"] if side == "c" else d["source"]
        sents = v.cand_sents if side == "c" else v.src_sents
        href = f"#{side}{sents[0]}" if sents else "#compare"
        a = _alpha(d["strength"])
        ink = " dark" if a < 0.62 else ""
        doc_attr = f'data-doc="{d["source_doc"]}" ' if side == "s" else ""
        where = "candidate" if side == "c" else (f"source {d['source_doc'] + 1}" if several else "source")
        return (f'<a class="pblock pk-{v.kind}{ink}" href="{href}" data-passage="{v.pid}" data-side="{side}" '
                f'{doc_attr}data-start="{span["start"]}" '
                f'data-end="{span["end"]}" style="left:{left:.3f}%;width:{width:.3f}%;--a:{a}" '
                f'aria-label="{_e(_passage_label(v, several))}; show it in both texts" '
                f'title="{_e(v.pid)} \u00b7 {_e(PASSAGE_LABELS[v.kind])} \u00b7 strength {d["strength"]:.2f} '
                f'\u00b7 {where} characters {_n(span["start"])}\u2013{_n(span["end"])}">'
                f"<span>{_e(v.pid)}</span></a>")

    # source row: every source document, side by side
    src_blocks, src_bars, src_gaps, caps, ribbons, cand_blocks = [], [], [], [], [], []
    for i, seg in enumerate(report.sources):
        off, n = offs[i], src_lens[i]
        title = seg.doc.title or seg.doc.path or ""
        name = f"Source {i + 1}" if several else "Source"
        src_bars.append(bar(off, n, f"{name}: {_n(n)} characters"))
        mine = [(v.data["source"]["start"], v.data["source"]["end"])
                for v in views if v.data["source_doc"] == i]
        src_gaps.append(gap_labels(off, n, mine, "not reused"))
        if several:
            caps.append(f'<span class="pm-cap" style="left:{x(off, 0):.3f}%;width:{x(0, n):.3f}%" '
                        f'title="{_e(title)}"><b>S{i + 1}</b> {_e(title)}</span>')
    cand_spans = [(v.data["candidate"]["start"], v.data["candidate"]["end"]) for v in views]
    # weaker passages first, so the strongest is drawn on top
    for v in sorted(views, key=lambda v: v.data["strength"]):
        d = v.data
        doc = d["source_doc"]
        off = offs[doc] if 0 <= doc < len(offs) else 0.0
        sl, sw = place(off, d["source"]["start"], d["source"]["end"])
        cl, cw = place(0.0, d["candidate"]["start"], d["candidate"]["end"])
        src_blocks.append(block(v, "s", sl, sw))
        cand_blocks.append(block(v, "c", cl, cw))
        s0, s1, c0, c1 = sl, sl + sw, cl, cl + cw
        ribbons.append(
            f'<path class="ribbon pk-{v.kind}" data-passage="{v.pid}" style="--a:{_alpha(d["strength"])}" '
            f'd="M{s0:.3f} 0L{s1:.3f} 0C{s1:.3f} 20 {c1:.3f} 20 {c1:.3f} 40L{c0:.3f} 40'
            f'C{c0:.3f} 20 {s0:.3f} 20 {s0:.3f} 0Z"/>')

    cand_words = sum(v.data["candidate"].get("words", 0) for v in views)
    cand_share = min(1.0, sum(v.candidate_share for v in views))
    src_note = (f"{len(src_lens)} articles, {_n(sum(src_lens))} characters" if several
                else f"{_n(src_lens[0])} characters")
    per_doc: dict[int, float] = {}
    for v in views:
        per_doc[v.data["source_doc"]] = per_doc.get(v.data["source_doc"], 0.0) + v.source_share
    reused = max((min(1.0, s) for s in per_doc.values()), default=0.0)
    src_note += f" \u00b7 {_pct(reused)} reused" if not several else ""
    n = len(views)
    summary_label = (f"Passage map: {n} reused passage{'s hold' if n != 1 else ' holds'} "
                     f"{_pct(cand_share)} of the candidate ({_n(cand_words)} words); grey is other material")
    cand_len_note = f"{_n(cand_len)} characters \u00b7 {_pct(cand_share)} from the source"
    cand_bar = bar(0.0, cand_len, f"Candidate: {_n(cand_len)} characters")
    caps_html = f'<div class="pm-caps">{"".join(caps)}</div>' if caps else ""
    return f"""<div class="pm-map" role="group" aria-label="{_e(summary_label)}">
<div class="pm-label pm-l-s">{"Sources" if several else "Source"}<small>{_e(src_note)}</small></div>
<div class="pm-col">{caps_html}<div class="pm-track pm-src">\
{"".join(src_bars)}{"".join(src_gaps)}{"".join(src_blocks)}</div></div>
<div class="pm-label pm-mid" aria-hidden="true"></div>
<svg class="pm-ribbons" viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true" \
focusable="false">{"".join(ribbons)}</svg>
<div class="pm-label pm-l-c">Candidate<small>{_e(cand_len_note)}</small></div>
<div class="pm-col pm-c"><div class="pm-track pm-cand">{cand_bar}\
{gap_labels(0.0, cand_len, cand_spans, "other material")}{"".join(cand_blocks)}</div></div>
</div>"""


def _passage_key(views: list[PassageView]) -> str:
    present = {v.kind for v in views}
    items = [f'<li class="pk-{k}{"" if k in present else " absent"}"><span class="pm-sw" aria-hidden="true">'
             f"</span><b>{_e(PASSAGE_LABELS[k])}</b> {_e(PASSAGE_HELP[k])}</li>" for k in PASSAGE_KINDS]
    items.append('<li class="pm-other"><span class="pm-sw" aria-hidden="true"></span><b>Grey</b> other '
                 "material: text outside every passage</li>")
    items.append('<li class="pm-fade"><span class="pm-sw" aria-hidden="true"></span>paler: a weaker '
                 "match</li>")
    return ('<ul class="pm-key" aria-label="Key">' + "".join(items) + "</ul>"
            '<p class="pm-note">Bars are drawn to scale (characters of article text). Select a passage to '
            "see it in both texts; in the texts a passage runs as a coloured margin band.</p>")


def _passage_table(report: Report, views: list[PassageView]) -> str:
    several = len(report.sources) > 1
    rows = []
    for v in views:
        d = v.data
        c, s = d["candidate"], d["source"]
        first = v.cand_sents[0] if v.cand_sents else None
        href = f"#c{first}" if first is not None else "#compare"
        src_name = f'<span class="doc-tag">S{d["source_doc"] + 1}</span> ' if several else ""
        strength = max(0.0, min(1.0, float(d["strength"])))
        rows.append(
            f'<tr class="pk-{v.kind}" data-passage="{v.pid}">'
            f'<th scope="row"><a class="pid" href="{href}" data-passage="{v.pid}" '
            f'aria-label="Show passage {v.pid} in both texts">{v.pid}</a></th>'
            f'<td><span class="pm-sw" aria-hidden="true"></span>{_e(PASSAGE_LABELS[v.kind])}</td>'
            f'<td class="num"><span class="pm-strength" aria-hidden="true">'
            f'<span style="width:{strength * 100:.0f}%"></span></span>{d["strength"]:.2f}</td>'
            f'<td class="num">{_pct(d["verbatim"])}</td>'
            f'<td class="num"><b>{_n(c.get("words", 0))}</b> words \u00b7 {_pct(v.candidate_share)}'
            f'<small>chars {_n(c["start"])}\u2013{_n(c["end"])}</small></td>'
            f'<td class="num">{src_name}<b>{_n(s.get("words", 0))}</b> words \u00b7 {_pct(v.source_share)}'
            f'<small>chars {_n(s["start"])}\u2013{_n(s["end"])}</small></td></tr>')
    return ('<div class="pm-table-wrap"><table class="pm-table">'
            "<caption>Reused passages, in candidate order</caption><thead><tr>"
            '<th scope="col">Passage</th><th scope="col">Kind</th><th scope="col" class="num">Strength</th>'
            '<th scope="col" class="num" title="share of the candidate passage\'s words in runs copied '
            'from the source">Verbatim</th><th scope="col" class="num">Candidate: words \u00b7 share</th>'
            '<th scope="col" class="num">Source: words \u00b7 share</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _passages_section(report: Report, views: list[PassageView]) -> str:
    head = (f'<div class="pm-head"><h2 id="pm-title">Reused passages '
            f'<span class="pm-count">{len(views)}</span></h2>{_reason(report)}</div>')
    if not views:
        body = '<p class="pm-none">No reused passage found.</p>'
    else:
        body = _passage_map(report, views) + _passage_key(views) + _passage_table(report, views)
    return (f'<section id="passages" class="passages" aria-labelledby="pm-title">{head}{body}</section>')


def _compare(report: Report, views: list[PassageView]) -> str:
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

    c_pass: dict[int, list[PassageView]] = {}
    s_pass: dict[int, list[PassageView]] = {}
    for v in views:
        for c in v.cand_sents:
            c_pass.setdefault(c, []).append(v)
        for s in v.src_sents:
            s_pass.setdefault(s, []).append(v)

    def band(i: int, side: str) -> tuple[str, str, str]:
        """Class, attributes and start tags of a sentence inside passages (a margin band)."""
        vs = (c_pass if side == "c" else s_pass).get(i)
        if not vs:
            return "", "", ""
        tags = []
        for v in vs:
            if (v.cand_sents if side == "c" else v.src_sents)[0] == i:
                tags.append(f'<a class="ptag pk-{v.kind}" href="#passages" data-passage="{v.pid}" '
                            f'title="{_e(v.pid)}: {_e(PASSAGE_LABELS[v.kind].lower())} passage starts here" '
                            f'aria-label="Passage {v.pid} starts here: show it in both texts">{v.pid}</a>')
        return (f" in-p pk-{vs[0].kind}", f' data-passages="{" ".join(v.pid for v in vs)}"', "".join(tags))

    def cand_html(c: int) -> str:
        a, b = c_ranges[c]
        body = _render_text(cand_text, a, b, cand_marks, seen)
        pcls = " pstart" if c in first_in_para_c else ""
        bcls, battrs, tags = band(c, "c")
        return (f'<p class="sent{pcls}{bcls}" id="c{c}" data-para="{cand_sents[c].paragraph + 1}"{battrs}>'
                f"{tags}{body}</p>")

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
        bcls, battrs, tags = band(s, "s")
        return (f'<p class="sent{pcls}{bcls}" id="s{s}" data-para="{sent.paragraph + 1}"{battrs}>'
                f"{tags}{tag}{body}</p>")

    def ref_html(s: int) -> str:
        text = " ".join(src_sents[s].text.split())
        short = text if len(text) <= 90 else text[:88].rsplit(" ", 1)[0] + " \u2026"
        bcls, battrs, _ = band(s, "s")
        return (f'<p class="sent ref{bcls}"{battrs}><a href="#s{s}" '
                f'title="This source sentence also backs an earlier row">\u2191 as above</a> {_e(short)}</p>')

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
    css = stylesheet()
    js = _asset("report.js")
    views = passage_views(report)
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
{_passages_section(report, views)}
{_legend(report)}
<div class="layout">
{_compare(report, views)}
{_findings(report)}
</div>
{_footer(report)}
<script>{js}</script>
</body>
</html>
"""
