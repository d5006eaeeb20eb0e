"""Report renderers on a hand-made Report of real article text (tests/report_fixture.py)."""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser

import numpy as np
import pytest
from report_fixture import CANDIDATE_PARAGRAPHS, SOURCE_PARAGRAPHS, build_report, compare_or_skip, span

from unspin.report.html import build_rows, passage_views, render_html
from unspin.report.json_report import FINDING_TYPES, finding_diff, passages, to_json, word_diff
from unspin.report.terminal import render_terminal, trim
from unspin.types import SCHEMA_VERSION, Alignment, Coverage, Document, Finding, Link, Report, Verdict

# Real inputs for the passage map: a news story, an unrelated page, and a second story. The
# candidates paste a stretch of a story into the unrelated page, as a copy-and-paste site does.
ARTICLE = """Harbour authority approves dredging plan for the old fishing port

The Kellsworth harbour authority voted on Thursday to spend 4.2 million pounds dredging the old fishing \
port, ending a two-year dispute with the town's trawler owners over silt that has left the inner basin \
unusable at low tide.

Under the plan, contractors will remove about 90,000 cubic metres of sediment between March and \
September next year. The work will close the inner basin to all boats for six weeks in the spring, when \
the fleet is usually at sea.

"We have waited long enough for this, and every month of delay has cost the fleet money," said Moira \
Campbell, who chairs the Kellsworth Fishermen's Association. "Half of our boats cannot come in on a low \
tide, and some skippers have already moved to other ports."

The authority's chief executive, Daniel Okoro, said the sediment would be tested for contaminants before \
it is taken out to sea. He said the cost would be shared with the county council, which agreed in \
October to contribute 1.5 million pounds.

Environmental groups have asked for a survey of the seagrass beds at the mouth of the harbour before any \
dredging begins. The authority said a survey was already planned for January."""

OTHER = """Ten things to do on a rainy weekend in the city

When the weather turns, the city still has plenty to offer. We asked readers for their favourite indoor \
outings and collected the best suggestions below.

The covered market on Dock Street is open every Saturday and has more than sixty stalls selling cheese, \
bread, secondhand books and vinyl records. Arrive early if you want a seat at the noodle bar, which fills \
up quickly after eleven.

The science museum has a new gallery on the history of flight, with a restored biplane hanging from the \
ceiling and a simulator that lets visitors try landing a jet in a crosswind. Tickets for the simulator \
sell out by lunchtime.

For something quieter, the botanical glasshouses stay warm all year. The orchid collection is at its best \
in late winter, and the cafe by the palm house serves a good hot chocolate.

Families with younger children should try the climbing centre near the railway station, which runs \
beginner sessions every hour and rents shoes at the desk.

Finally, the independent cinema on Mill Lane shows double bills of classic films on Sunday afternoons. \
Members get a discount, and the bar stays open between screenings."""

SECOND = """Council backs new cycle lane on the seafront

The town council has approved a two-kilometre cycle lane along the Kellsworth seafront, separating bikes \
from traffic between the pier and the lifeboat station.

Work is due to start in April and should take about ten weeks, the council said. Parking on the seaward \
side of the road will be removed to make room for the lane.

Local businesses had objected to losing the parking spaces, but the council said a new car park behind \
the station would open before the summer."""

COPIED = "\n\n".join(ARTICLE.split("\n\n")[2:4])  # the plan and the fishermen's quote


def copied_passage_report() -> Report:
    """A real comparison: two paragraphs of ARTICLE pasted into the middle of OTHER."""
    other = OTHER.split("\n\n")
    candidate = "\n\n".join(other[:3] + [COPIED] + other[3:])
    return compare_or_skip(Document.from_text(ARTICLE), Document.from_text(candidate))


def two_source_passage_report() -> Report:
    """A real comparison with two sources: one paragraph of each pasted into OTHER."""
    compare_or_skip(Document.from_text(ARTICLE), Document.from_text(OTHER))  # skips while stages are missing
    from unspin import compare

    art, other, second = ARTICLE.split("\n\n"), OTHER.split("\n\n"), SECOND.split("\n\n")
    candidate = "\n\n".join(other[:2] + art[3:4] + other[2:4] + second[1:3] + other[4:])
    return compare(Document.from_text(ARTICLE), Document.from_text(candidate),
                   extra_sources=[Document.from_text(SECOND)])


@pytest.fixture
def report() -> Report:
    return build_report()


def _two_source_report() -> Report:
    """The fixture with a second source: the last source paragraph as a separate article."""
    import report_fixture as fx

    first = fx._segmented(SOURCE_PARAGRAPHS[:-1], title="Part one", path="a.txt")
    second = fx._segmented(SOURCE_PARAGRAPHS[-1:], doc_index=1, title="Part two", path="b.txt")
    cand = fx._segmented(CANDIDATE_PARAGRAPHS[-1:], title="Rewrite", path="c.txt")
    src_sents = first.sentences + second.sentences  # alignment indexes the concatenation
    n1 = len(first.sentences)
    links = [Link(source=(n1,), candidate=(0,), similarity=0.77, kind="paraphrase"),
             Link(source=(n1 + 1,), candidate=(1,), similarity=0.83, kind="near_verbatim")]
    al = Alignment(links=links, coverage=Coverage(0.3, 0.9, 0.0), source_sentences=src_sents,
                   candidate_sentences=list(cand.sentences))
    ct, st = cand.doc.text, second.doc.text
    findings = [Finding("altered_quote", "high", "Quoted words replaced.",
                        candidate=span(ct, "\u201cincorrect\u201d"), source=span(st, '"wrong"'),
                        source_doc=1),
                Finding("omission", "medium", "Dropped.", source=span(first.doc.text, "Well look, he is,"),
                        source_doc=0)]
    return Report(sources=[first, second], candidate=cand, alignment=al,
                  verdict=Verdict("partially_derived", 0.6, True, {}), findings=findings, backend="lexical")


# ----------------------------------------------------------------------------------- JSON

def test_json_round_trips_and_has_the_scorer_fields(report):
    data = to_json(report)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["tool"]["name"] == "unspin" and data["tool"]["backend"] == "model2vec"
    assert data["verdict"]["label"] == "wholly_derived"
    assert data["source"]["title"] == report.sources[0].doc.title
    assert data["source"]["text"] == report.sources[0].doc.text
    assert data["candidate"]["text"] == report.candidate.doc.text
    assert "sources" not in data  # only with several sources
    for f in data["findings"]:
        assert f["type"] in FINDING_TYPES
        assert f["candidate"] is None or isinstance(f["candidate"]["text"], str)
        assert f["source"] is None or isinstance(f["source"]["text"], str)
    assert [f["id"] for f in data["findings"]] == [f"F{i}" for i in range(1, len(report.findings) + 1)]
    assert data["summary"]["total"] == len(report.findings)
    assert sum(data["summary"]["by_severity"].values()) == len(report.findings)
    assert data["summary"]["by_type"]["altered_quote"] == 3 and data["summary"]["by_type"]["omission"] == 2
    assert set(data["coverage"]) >= {"source_conveyed", "candidate_supported", "verbatim"}
    assert data["alignment"][0] == {"source": [0], "candidate": [1, 2], "similarity": 0.71,
                                    "kind": "paraphrase", "lexical": 0.38, "semantic": 0.82}
    assert set(data["timings"]) == {"ingest", "segment", "align", "verdict", "findings"}


def test_json_spans_point_at_their_text(report):
    data = to_json(report)
    for side in ("source", "candidate"):
        doc = data[side]
        text = doc["text"]
        for item in doc["paragraphs"] + doc["sentences"] + doc["quotes"]:
            assert text[item["start"]:item["end"]] == item["text"]
        assert [s["index"] for s in doc["sentences"]] == list(range(len(doc["sentences"])))
    for f in data["findings"]:
        if f["candidate"]:
            c = f["candidate"]
            assert data["candidate"]["text"][c["start"]:c["end"]] == c["text"]
        if f["source"]:
            s = f["source"]
            assert data["source"]["text"][s["start"]:s["end"]] == s["text"]
    assert any(f["type"] == "omission" and f["candidate"] is None for f in data["findings"])


def test_json_cleans_numpy_and_nan_left_in_dicts(report):
    report.verdict.evidence = {"share": np.float32(0.5), "n": np.int64(3), "flags": (np.bool_(True),),
                               "bad": float("nan"), 7: "int key"}
    report.findings[0].details = {"scores": np.array([0.25, 0.5])}
    data = to_json(report)
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["verdict"]["evidence"] == {"share": 0.5, "n": 3, "flags": [True], "bad": None,
                                                       "7": "int key"}
    assert data["findings"][0]["details"] == {"scores": [0.25, 0.5]}


def test_json_several_sources():
    rep = _two_source_report()
    data = to_json(rep)
    json.dumps(data)
    assert len(data["sources"]) == 2 and data["source"] == data["sources"][0]
    n1 = len(rep.sources[0].sentences)
    # sentence indexes are positions in the concatenation the alignment links refer to
    assert [s["index"] for s in data["sources"][1]["sentences"]] == [n1, n1 + 1]
    assert data["alignment"][0]["source"] == [n1]
    f = data["findings"][0]
    assert f["source_doc"] == 1
    assert data["sources"][1]["text"][f["source"]["start"]:f["source"]["end"]] == f["source"]["text"]


def test_word_diff_keeps_spacing_and_ignores_quote_style():
    new = ("As the president stated yesterday, \u2018trust but verify,\u2019 and that is exactly what we "
           "are doing.")
    ops = word_diff("As the president said yesterday, 'trust but verify,' and that's what we're doing,", new)
    assert "".join(t for op, t in ops if op != "delete") == new
    changed = [(op, t.strip()) for op, t in ops if op != "equal"]
    assert ("delete", "said") in changed and ("insert", "stated") in changed
    assert not any("trust" in t for _, t in changed)  # curly vs straight quotes are not a change
    assert word_diff("Well look, he is,", "It appears that he is,") == [
        ("delete", "Well look,"), ("insert", " It appears that"), ("equal", " he is,")]


def test_finding_diff_sources(report):
    f1, f2 = report.findings[0], report.findings[1]
    assert finding_diff(f1)  # from the spans of an altered quote
    assert ("insert", " To clarify") in finding_diff(f2)  # from details quote texts
    given = Finding("altered_quote", "high", "x", details={"diff": [["=", "a "], ["-", "b"], ["+", "c"]]})
    assert finding_diff(given) == [("equal", "a "), ("delete", "b"), ("insert", "c")]
    # the quote detector's form: word-sliced texts per side; the op names do not matter
    detector = Finding("altered_quote", "high", "x", details={"diff": [
        {"op": "replace", "source": "Well look", "candidate": "It appears that"},
        {"op": "equal", "source": "he is", "candidate": "he is"},
        {"op": "ellipsis", "source": "", "candidate": "\u2026"},
        {"op": "insert", "source": "really", "candidate": ""}]})
    assert finding_diff(detector) == [("delete", "Well look"), ("insert", " It appears that"),
                                      ("equal", " he is"), ("equal", " \u2026"), ("delete", " really")]
    assert finding_diff(report.findings[2]) is None  # fabricated quote: nothing to diff against


# ----------------------------------------------------------------------------------- terminal

def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_terminal_plain_is_readable_text(report):
    out = render_terminal(report, color=False)
    assert "\x1b" not in out
    flat = _flat(out)
    for f in report.findings:
        side = f.candidate or f.source
        assert _flat(side.text) in flat, side.text
        assert _flat(f.explanation) in flat
    assert "WHOLLY DERIVED" in out and "score 0.93" in out
    assert "64% of the source conveyed" in flat
    assert flat.index("HIGH (6)") < flat.index("MEDIUM (4)") < flat.index("LOW (2)")
    assert "[-Well look,-] {+It appears that+} he is," in flat  # word diff of the altered quote
    assert max(len(line) for line in out.splitlines()) <= 100


def test_terminal_color_uses_ansi(report):
    out = render_terminal(report, color=True)
    assert "\x1b[" in out
    assert "It appears that he is," in out


def test_terminal_trims_long_spans_keeping_both_ends():
    long = " ".join(f"word{i}" for i in range(200))
    short = trim(long, 120)
    assert len(short) <= 125 and short.startswith("word0 ") and short.endswith("word199")
    assert "\u2026" in short


def test_terminal_markup_in_text_is_not_interpreted(report):
    extra = [["[bold red]not markup[/] and [link=x]y"]]
    rep = build_report(candidate_paragraphs=CANDIDATE_PARAGRAPHS + extra)
    rep.findings[0].candidate = span(rep.candidate.doc.text, "[bold red]not markup[/]")
    out = render_terminal(rep, color=False)
    assert "[bold red]not markup[/]" in out


# ----------------------------------------------------------------------------------- HTML

class _Marks(HTMLParser):
    """Text inside <mark data-finding> elements, per (finding, side), nested marks included."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str] | None] = []
        self.text: dict[tuple[str, str], str] = {}
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "mark":
            key = (a.get("data-finding"), a.get("data-side"))
            self.stack.append(key)
            self.text.setdefault(key, "")

    def handle_endtag(self, tag):
        if tag == "mark":
            self.stack.pop()

    def handle_data(self, data):
        for key in self.stack:
            self.text[key] += data


def _parse(html: str) -> _Marks:
    p = _Marks()
    p.feed(html)
    p.close()
    return p


def test_html_is_self_contained(report):
    html = render_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert "http://" not in html and "https://" not in html
    low = html.lower()
    assert "<script src" not in low and "<link" not in low and "@import" not in low and "url(" not in low
    assert low.count("<script") == 1 and low.count("<style") == 1
    assert "content-security-policy" in low and "default-src 'none'" in html
    tags = _parse(html).tags
    for tag, attrs in tags:
        for name in ("src", "href"):
            assert not attrs.get(name) or attrs[name].startswith("#"), (tag, attrs)


def test_html_has_one_mark_per_finding_span_at_exact_text(report):
    html = render_html(report)
    p = _parse(html)
    for i, f in enumerate(report.findings, 1):
        for side, sp in (("c", f.candidate), ("s", f.source)):
            if sp is None:
                assert (f"F{i}", side) not in p.text
                continue
            assert p.ids.count(f"F{i}-{side}") == 1
            assert p.text[(f"F{i}", side)] == sp.text
    assert len(set(p.ids)) == len(p.ids)  # ids are unique


def test_html_layout_and_findings_list(report):
    html = render_html(report)
    p = _parse(html)
    cards = [a for t, a in p.tags if t == "li" and "finding" in a.get("class", "").split()]
    assert [a["id"] for a in cards] == [f"F{i}" for i in range(1, len(report.findings) + 1)]
    rows = [a["class"] for t, a in p.tags if t == "div" and a.get("class", "").startswith("row ")]
    assert rows.count("row src-only") == 2 and rows.count("row cand-only") == 2
    assert [a["id"] for t, a in p.tags if t == "p" and a.get("id", "").startswith("c")] == \
        [f"c{i}" for i in range(len(report.candidate.sentences))]  # candidate reading order
    assert "Wholly derived" in html and "64%" in html
    for t in FINDING_TYPES:
        assert f'data-type="{t}"' in html  # legend entry per type
    assert "<del" in html and "<ins" in html  # word diff of an altered quote


def test_html_escapes_article_text():
    evil_src = SOURCE_PARAGRAPHS + [["<script>alert('source')</script> The minister said \"no\" & left."]]
    evil_cand = CANDIDATE_PARAGRAPHS + [["</p><img src=x onerror=alert(1)> <b>bold</b> claim."]]
    rep = build_report(evil_src, evil_cand, source_title="<script>alert('t')</script>",
                       candidate_title='"><svg onload=alert(2)>')
    rep.findings = [Finding("garbled_text", "low", "<i>explanation</i>",
                            candidate=span(rep.candidate.doc.text, "<img src=x onerror=alert(1)>"))]
    html = render_html(rep)
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;source&#x27;)&lt;/script&gt;" in html
    assert "<img" not in html and "<svg" not in html and "<b>" not in html and "<i>explanation" not in html
    assert html.lower().count("<script") == 1
    p = _parse(html)
    assert p.text[("F1", "c")] == "<img src=x onerror=alert(1)>"  # parsed back, text is intact


def test_html_overlapping_spans_nest_properly(report):
    # F4 (unsupported claim) and F9 (garbled) overlap on "on trade": F9 is split, but its text is whole
    html = render_html(report)
    p = _parse(html)  # HTMLParser would misattribute text if tags were crossed
    assert p.text[("F4", "c")].endswith("agreement on trade")
    assert p.text[("F9", "c")] == "on trade.would resume direct military-to-military communications."
    assert html.count('data-finding="F9" data-side="c"') == 2


def test_html_several_sources_and_not_derived():
    rep = _two_source_report()
    html = render_html(rep)
    p = _parse(html)
    assert p.text[("F1", "s")] == '"wrong"' and p.text[("F2", "s")] == "Well look, he is,"
    assert "S2</span>" in html
    empty = Report(sources=rep.sources, candidate=rep.candidate,
                   alignment=Alignment([], Coverage(0, 0, 0), rep.alignment.source_sentences,
                                       rep.alignment.candidate_sentences),
                   verdict=Verdict("not_derived", 0.05, False), findings=[])
    html = render_html(empty)
    assert "Not derived" in html and "No findings" in html
    assert "No findings" in render_terminal(empty, color=False)
    assert to_json(empty)["summary"]["total"] == 0


def test_rows_follow_candidate_order_and_place_unlinked_source_near_neighbours():
    L = Link
    links = [L((0,), (0,), 0.9, "verbatim"), L((2,), (1,), 0.8, "paraphrase"),
             L((3, 4), (2, 3), 0.7, "paraphrase"),  # N:M: one row
             L((2,), (5,), 0.6, "partial")]  # source 2 again, further down: a reference
    rows = build_rows(7, 6, links)
    shape = [(r.src, r.cand, r.refs) for r in rows]
    assert shape == [([0], [0], []), ([1], [], []), ([2], [1], []), ([3, 4], [2, 3], []), ([5], [], []),
                     ([6], [], []), ([], [4], []), ([], [5], [2])]
    # nothing linked: candidate rows, then source rows
    assert [(r.src, r.cand) for r in build_rows(2, 1, [])] == [([], [0]), ([0], []), ([1], [])]
    # an unlinked first source sentence goes before its successor's row
    rows = build_rows(2, 1, [L((1,), (0,), 0.9, "verbatim")])
    assert [(r.src, r.cand) for r in rows] == [([0], []), ([1], [0])]


# ----------------------------------------------------------------------------------- real reports

def test_real_reports_render_consistently(shared):
    """All three renderers on real pipeline output for every annotated case: offsets, marks and
    printed spans agree with the documents."""
    cases = sorted(p.parent for p in (shared / "cases").glob("**/expected.json"))
    checked = 0
    for folder in cases:
        rep = compare_or_skip(folder / "source.txt", folder / "candidate.txt")
        data = json.loads(json.dumps(to_json(rep)))
        for doc in data.get("sources", [data["source"]]) + [data["candidate"]]:
            for item in doc["paragraphs"] + doc["sentences"] + doc["quotes"]:
                assert doc["text"][item["start"]:item["end"]] == item["text"], folder.name
        p = _parse(render_html(rep))
        plain = _flat(render_terminal(rep, color=False))
        for i, f in enumerate(rep.findings, 1):
            for side, sp in (("c", f.candidate), ("s", f.source)):
                if sp is not None and sp.text.strip():
                    assert p.text[(f"F{i}", side)] == sp.text, (folder.name, f"F{i}", side)
                    checked += 1
            shown = f.candidate or f.source
            if shown is not None and len(shown.text) < 200:
                assert _flat(shown.text).strip() in plain, (folder.name, f"F{i}")
        assert len(set(p.ids)) == len(p.ids), folder.name
    assert cases


# ----------------------------------------------------------------------------------- passage map

def _passage_blocks(p: _Marks) -> dict[tuple[str, str], dict]:
    """Map blocks by (passage id, side)."""
    out = {}
    for tag, a in p.tags:
        if tag == "a" and "pblock" in a.get("class", "").split():
            key = (a["data-passage"], a["data-side"])
            assert key not in out, key
            out[key] = a
    return out


def _page_body(html: str) -> str:
    """The page's markup without its inline stylesheet and script."""
    return html.split("<body", 1)[1].split("<script>", 1)[0]


def test_html_passage_map_has_each_passage_at_its_offsets():
    rep = copied_passage_report()
    data = passages(rep)
    assert [(d["id"], d["kind"]) for d in data] == [("P1", "verbatim")]
    d = data[0]
    assert d["candidate"]["text"] == COPIED and d["source"]["text"] == COPIED
    html = render_html(rep)
    p = _parse(html)
    blocks = _passage_blocks(p)
    assert set(blocks) == {("P1", "c"), ("P1", "s")}
    for side, key in (("c", "candidate"), ("s", "source")):
        a = blocks[("P1", side)]
        start, end = int(a["data-start"]), int(a["data-end"])
        assert (start, end) == (d[key]["start"], d[key]["end"])
        doc = rep.candidate.doc if side == "c" else rep.sources[0].doc
        assert doc.text[start:end] == COPIED
        assert a["href"].startswith(f"#{side}")  # without script: a link to the passage in the text
        assert "P1" in a["aria-label"] and "verbatim" in a["aria-label"]
    assert blocks[("P1", "s")]["data-doc"] == "0"
    # the copy sits inside unrelated text: grey "other material" on both sides of it
    assert html.count('class="pm-gap"') >= 2 and "other material" in html
    assert html.count('<path class="ribbon') == 1
    # table row: id, kind, words and share of each text
    rows = [a for t, a in p.tags if t == "tr" and "data-passage" in a]
    assert [a["data-passage"] for a in rows] == ["P1"]
    row = re.search(r'<tr class="pk-verbatim" data-passage="P1">.*?</tr>', html).group(0)
    view = passage_views(rep)[0]
    assert f"<b>{d['candidate']['words']}</b> words \u00b7 {round(100 * view.candidate_share)}%" in row
    assert f"<b>{d['source']['words']}</b> words \u00b7 {round(100 * view.source_share)}%" in row
    assert "Verbatim" in row and f"{d['strength']:.2f}" in row
    # the verdict's reason, as a sentence
    reason = rep.verdict.evidence["reason"]
    assert escape(_flat(reason[0].upper() + reason[1:])) in _flat(html)
    # the passage runs through the side-by-side text as a band on both sides, tagged where it starts
    banded = [a["id"] for t, a in p.tags if t == "p" and "P1" in a.get("data-passages", "").split()
              and a.get("id")]
    cand = [s for s in banded if s.startswith("c")]
    src = [s for s in banded if s.startswith("s")]
    assert cand == [f"c{i}" for i in view.cand_sents] and src == [f"s{i}" for i in view.src_sents]
    covered = "".join(rep.alignment.candidate_sentences[i].text for i in view.cand_sents)
    assert covered.replace(" ", "") == COPIED.replace(" ", "").replace("\n", "")
    assert html.count('class="ptag pk-verbatim"') == 2
    assert "No reused passage found." not in html
    assert len(set(p.ids)) == len(p.ids)


def test_html_passage_map_with_several_sources():
    rep = two_source_passage_report()
    data = passages(rep)
    assert sorted(d["source_doc"] for d in data) == [0, 1]
    p = _parse(render_html(rep))
    blocks = _passage_blocks(p)
    for d in data:
        a = blocks[(d["id"], "s")]
        assert a["data-doc"] == str(d["source_doc"])
        start, end = int(a["data-start"]), int(a["data-end"])
        assert rep.sources[d["source_doc"]].doc.text[start:end] == d["source"]["text"]
        c = blocks[(d["id"], "c")]
        assert rep.candidate.doc.text[int(c["data-start"]):int(c["data-end"])] == d["candidate"]["text"]
    caps = [a for t, a in p.tags if t == "span" and a.get("class") == "pm-cap"]
    assert len(caps) == 2  # one caption per source document


def test_html_without_passages_says_so(report):
    assert not report.passages
    page = _page_body(render_html(report))
    assert "No reused passage found." in page
    assert "pm-map" not in page and "pblock" not in page and "data-passages" not in page
    # a real comparison of unrelated texts: no passage, and the verdict's reason is shown
    rep = compare_or_skip(Document.from_text(ARTICLE), Document.from_text(OTHER))
    assert rep.passages == [] and rep.verdict.label == "not_derived"
    page = _page_body(render_html(rep))
    assert "No reused passage found." in page and "pblock" not in page
    assert "No reused passage found; decided by" in page
