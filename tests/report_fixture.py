"""A hand-made Report for renderer tests, built from real article text.

The paragraphs are copied from the seed case (/work/shared/cases/seed): a CBS News article and
an AI-spun rewrite of it. One candidate word was edited ("Wednesday" -> "Tuesday") so the
fixture also holds a changed fact; everything else is verbatim. Sentences, quotes, links and
findings are placed by searching the text, so every offset is exact by construction.
"""

from __future__ import annotations

from unspin.types import (
    Alignment,
    Coverage,
    Document,
    Finding,
    Link,
    Quote,
    Report,
    Segmented,
    Sentence,
    Span,
    Verdict,
)

# Each paragraph is a list of sentences; sentences are joined by one space, paragraphs by a
# blank line (Document.text convention).
SOURCE_PARAGRAPHS = [
    ["A day after President Biden met with Chinese President Xi Jinping in Northern California in an "
     "effort to ease growing tensions between the two superpowers, Secretary of State Antony Blinken told "
     "CBS News that China represents \"one of the most consequential relationships\" the U.S. has with any "
     "nation."],
    ["Among the most important results to come out of Wednesday's meeting near San Francisco was the two "
     "leaders agreeing that the U.S. and China would resume direct military-to-military communications."],
    ["\"Yesterday, we agreed that our militaries would start talking again, at the most senior levels, and "
     "at the operational level,\" Blinken told CBS News.",
     "\"And this is a very important way of trying to avoid a miscalculation, a mistake that could lead to "
     "a conflict.\""],
    ["\"Well look, he is,\" Mr. Biden said.",
     "\"I mean, he's a dictator in the sense that he is a guy who runs a country that is a communist "
     "country.\""],
    ["Cameras captured Blinken's uncomfortable response to Mr. Biden's remarks during Wednesday's news "
     "conference.",
     "A spokesperson for China's foreign ministry called the remarks \"wrong\" and \"irresponsible.\""],
]

CANDIDATE_PARAGRAPHS = [
    ["The day following President Biden\u2019s termmet with"],
    ["The secretary of state, Antony Blinken, stated in an interview with CBS News that Chinese President "
     "Xi Jinping visited Northern California in an attempt to alleviate increasing tensions between the two "
     "powerful nations.",
     "He also emphasized that the relationship between the U.S. and China is one of the most significant "
     "ones the U.S. has with any country."],
    ["were working towards a \u201cphase one\u201d trade deal."],
    ["One of the key outcomes from the meeting held near San Francisco on Wednesday was the mutual "
     "understanding between the leaders of the United States and China that they are actively pursuing a "
     "\u201cphase one\u201d agreement on trade.would resume direct military-to-military communications."],
    ["\u201cIt appears that he is,\u201d stated Mr. Biden.",
     "\u201cTo clarify, he holds the position of a dictator as the leader of a communist nation.\u201d"],
    ["During a news conference on Tuesday, cameras recorded Blinken\u2019s uneasy reaction to President "
     "Biden\u2019s statements.",
     "The Chinese foreign ministry\u2019s representative criticized the remarks as \u201cincorrect\u201d and "
     "\u201creckless.\u201d"],
]

SOURCE_TITLE = "Blinken calls U.S.-China relationship \"one of the most consequential\" in the world"
CANDIDATE_TITLE = ("Blinken describes the relationship between the United States and China as one of the "
                   "most significant in the world.")


def _segmented(paragraphs: list[list[str]], *, doc_index: int = 0, **meta) -> Segmented:
    text, paras, sentences = "", [], []
    for p_i, para in enumerate(paragraphs):
        if p_i:
            text += "\n\n"
        p_start = len(text)
        for s_i, sent in enumerate(para):
            if s_i:
                text += " "
            sentences.append(Sentence(index=len(sentences), start=len(text), end=len(text) + len(sent),
                                      text=sent, paragraph=p_i, doc=doc_index))
            text += sent
        paras.append(Span(p_start, len(text), text[p_start:]))
    doc = Document(text=text, paragraphs=paras, raw=text, input_format="text", **meta)
    quotes = []
    for s in sentences:
        quotes += _quotes_in(text, s, doc_index)
    return Segmented(doc=doc, sentences=sentences, quotes=quotes, doc_index=doc_index)


def _quotes_in(text: str, s: Sentence, doc_index: int) -> list[Quote]:
    out, i = [], s.start
    while True:
        opens = [(text.find(q, i, s.end), q) for q in ('"', "\u201c")]
        opens = [(o, q) for o, q in opens if o >= 0]
        if not opens:
            return out
        o, q = min(opens)
        close = text.find('"' if q == '"' else "\u201d", o + 1, s.end)
        if close < 0:
            return out
        out.append(Quote(start=o + 1, end=close, text=text[o + 1:close], sentence=s.index, doc=doc_index))
        i = close + 1


def span(text: str, needle: str, after: int = 0) -> Span:
    """The exact span of ``needle`` in ``text``; fails loudly if the fixture text drifted."""
    start = text.index(needle, after)
    return Span(start, start + len(needle), needle)


def build_report(source_paragraphs=None, candidate_paragraphs=None, *, source_title=SOURCE_TITLE,
                 candidate_title=CANDIDATE_TITLE) -> Report:
    """The fixture report; pass other paragraphs (same shape) to test escaping and the like."""
    src = _segmented(source_paragraphs or SOURCE_PARAGRAPHS, title=source_title,
                     authors=["Faris Tanyos"], date="2023-11-16",
                     tags=["Antony Blinken", "Fentanyl", "China"], site_name="CBS News", path="source.txt")
    cand = _segmented(candidate_paragraphs or CANDIDATE_PARAGRAPHS, title=candidate_title,
                      path="candidate.txt")
    st, ct = src.doc.text, cand.doc.text
    # source sentences: 0 meeting, 1 results, 2-3 military quotes, 4-5 dictator quotes, 6-7 cameras/ministry
    # candidate sentences: 0 fragment, 1-2 interview, 3 fragment, 4 outcomes, 5-6 dictator, 7-8 cameras
    links = [
        Link(source=(0,), candidate=(1, 2), similarity=0.71, kind="paraphrase", lexical=0.38, semantic=0.82),
        Link(source=(1,), candidate=(4,), similarity=0.58, kind="partial", lexical=0.31, semantic=0.69),
        Link(source=(4,), candidate=(5,), similarity=0.64, kind="paraphrase", lexical=0.45, semantic=0.73),
        Link(source=(5,), candidate=(6,), similarity=0.69, kind="paraphrase", lexical=0.33, semantic=0.8),
        Link(source=(6,), candidate=(7,), similarity=0.77, kind="paraphrase", lexical=0.41, semantic=0.86),
        Link(source=(7,), candidate=(8,), similarity=0.83, kind="near_verbatim", lexical=0.6, semantic=0.9),
    ]
    alignment = Alignment(
        links=links,
        coverage=Coverage(source_conveyed=0.64, candidate_supported=0.78, verbatim=0.04),
        source_sentences=list(src.sentences),
        candidate_sentences=list(cand.sentences),
        candidate_best=[0.31, 0.71, 0.66, 0.22, 0.58, 0.64, 0.69, 0.77, 0.83],
        source_best=[0.71, 0.58, 0.35, 0.29, 0.64, 0.69, 0.77, 0.83],
    )
    verdict = Verdict(label="wholly_derived", score=0.93, derived=True,
                      evidence={"linked_candidate_share": 0.78, "order_kept": 1.0, "long_verbatim_runs": 0})
    findings = [
        Finding("altered_quote", "high", "Words inside the quotation marks differ from the source's quote.",
                candidate=span(ct, "It appears that he is,"), source=span(st, "Well look, he is,"),
                confidence=0.92),
        Finding("altered_quote", "high",
                "The quotation was reworded but is still presented as a direct quote.",
                candidate=span(ct, "To clarify, he holds the position of a dictator as the leader of a "
                                   "communist nation."),
                source=span(st, "I mean, he's a dictator in the sense that he is a guy who runs a country "
                                "that is a communist country."),
                confidence=0.88,
                details={"source_quote": "I mean, he's a dictator in the sense that he is a guy who runs a "
                                         "country that is a communist country.",
                         "candidate_quote": "To clarify, he holds the position of a dictator as the leader "
                                            "of a communist nation."}),
        Finding("fabricated_quote", "high",
                "The quoted words \u201cphase one\u201d appear nowhere in the source.",
                candidate=span(ct, "were working towards a \u201cphase one\u201d trade deal."),
                confidence=0.8),
        Finding("unsupported_claim", "high",
                "A \u2018phase one\u2019 trade agreement is not in the source; it replaces the "
                "meeting's actual outcome.",
                candidate=span(ct, "that they are actively pursuing a \u201cphase one\u201d agreement "
                                   "on trade"),
                source=span(st, "the two leaders agreeing that the U.S. and China would resume direct "
                                "military-to-military communications"),
                confidence=0.75),
        Finding("changed_fact", "high", "The day of the news conference changed: Wednesday became Tuesday.",
                candidate=span(ct, "Tuesday"), source=span(st, "Wednesday's news conference"),
                confidence=0.9, details={"source_value": "Wednesday", "candidate_value": "Tuesday"}),
        Finding("omission", "high",
                "Blinken's quote on resuming military talks is missing from the candidate.",
                source=span(st, "\"Yesterday, we agreed that our militaries would start talking again, at "
                                "the most senior levels, and at the operational level,\" Blinken told "
                                "CBS News."),
                confidence=0.85),
        Finding("attribution_change", "medium",
                "A narrated fact (Biden met Xi) becomes a claim attributed to Blinken.",
                candidate=span(ct, "stated in an interview with CBS News that Chinese President Xi Jinping "
                                   "visited Northern California"),
                source=span(st, "A day after President Biden met with Chinese President Xi Jinping in "
                                "Northern California"),
                confidence=0.7),
        Finding("altered_quote", "medium",
                "Quoted words of the Chinese foreign ministry replaced by other words.",
                candidate=span(ct, "\u201cincorrect\u201d and \u201creckless.\u201d"),
                source=span(st, "\"wrong\" and \"irresponsible.\""), confidence=0.9),
        Finding("garbled_text", "medium", "Two sentences run together; the second has no subject.",
                candidate=span(ct, "on trade.would resume direct military-to-military communications."),
                confidence=0.8),
        Finding("omission", "medium", "Blinken's quote on avoiding miscalculation is missing.",
                source=span(st, "\"And this is a very important way of trying to avoid a miscalculation, a "
                                "mistake that could lead to a conflict.\""),
                confidence=0.8),
        Finding("garbled_text", "low", "Sentence fragment with a non-word ('termmet').",
                candidate=span(ct, "The day following President Biden\u2019s termmet with"), confidence=0.95,
                details={"non_words": ["termmet"]}),
        Finding("meaning_shift", "low", "'most consequential' softened to 'most significant'.",
                candidate=span(ct, "one of the most significant ones"),
                source=span(st, "one of the most consequential relationships"), confidence=0.55),
    ]
    return Report(sources=[src], candidate=cand, alignment=alignment, verdict=verdict, findings=findings,
                  timings={"ingest": 0.012, "segment": 0.034, "align": 0.41, "verdict": 0.001,
                           "findings": 0.09},
                  backend="model2vec")


def compare_or_skip(source, candidate) -> Report:
    """A real ``unspin.compare`` report, or a pytest skip while a pipeline stage is not built yet."""
    import pytest

    missing = []
    for stage in ("ingest", "segment", "embed", "align", "verdict", "findings"):
        try:
            __import__(f"unspin.{stage}")
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("unspin"):
                raise
            missing.append(stage)
    if missing:
        pytest.skip(f"pipeline stages not built yet: {', '.join(missing)}")
    from unspin import compare

    return compare(source, candidate)
