"""Reused passages and the verdict's local evidence on real article text.

The bundled example's source article is the material; it is copied verbatim, or the
example's spun rewrite is used, inside pages of unrelated news written for these tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import unspin
from unspin import Document
from unspin.report.json_report import to_json

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Other news, on other subjects: the padding a content farm puts around a scraped story.
OTHER = [
    "The regional orchestra announced on Monday that its winter season will open with a "
    "programme of Sibelius and Nielsen, conducted by its new music director, who arrived from "
    "Helsinki in September. Ticket sales for the season are up by a fifth on last year.",
    "A family-run bakery in the harbour district has won a national award for its sourdough, "
    "beating more than 400 entries. The owners said they would spend the prize money on a "
    "second oven and an apprentice.",
    "Forecasters expect heavy rain across the western valleys over the weekend, with up to "
    "60 millimetres possible on high ground. Drivers were urged to check for road closures "
    "before setting out, and the ferry operator warned of cancellations on Saturday.",
    "The university's robotics team took second place at an international competition in "
    "Osaka, where its machine sorted recycled plastics faster than any other entry. The team "
    "of eleven students built the robot in six months on a budget of 9,000 dollars.",
    "Volunteers planted 2,300 native trees along the old railway path on Sunday, the largest "
    "single planting in the county's history. Organisers hope the corridor will link two "
    "patches of woodland that have been cut off from each other for decades.",
    "Shares in the shipping group fell sharply after it warned that profits for the year would "
    "be lower than expected, blaming higher fuel prices and weaker demand in Asia. Analysts said "
    "the warning had been widely anticipated.",
]


@pytest.fixture(scope="module")
def article() -> str:
    return unspin.compare(EXAMPLES / "source.html", EXAMPLES / "candidate.txt").sources[0].doc.text


def _page(middle: str, before: int = 3, after: int = 3) -> str:
    return "\n\n".join(OTHER[:before] + [middle] + OTHER[len(OTHER) - after:])


def test_verbatim_copy_in_a_page_of_other_news(article):
    paras = article.split("\n\n")
    copied = "\n\n".join(paras[2:6])
    page = _page(copied)
    rep = unspin.compare(Document.from_text(article), Document.from_text(page))
    assert rep.verdict.derived
    assert len(rep.passages) == 1
    p = rep.passages[0]
    assert p.kind == "verbatim"
    # the passage covers the copied text in the candidate, and nothing of the padding
    start = rep.candidate.doc.text.index(copied[:40])
    assert abs(p.candidate.start - start) <= 2
    assert abs(p.candidate.end - (start + len(copied))) <= 2
    assert p.candidate.text.strip() == copied.strip()
    # and the right stretch of the source
    assert p.source.text.strip() == copied.strip()
    assert rep.sources[0].doc.text[p.source.start:p.source.end] == p.source.text
    # findings only inside the passage: the padding is not an unsupported claim
    for f in rep.findings:
        if f.candidate is not None:
            assert p.candidate.start <= f.candidate.start and f.candidate.end <= p.candidate.end
    assert "passage" in rep.verdict.evidence["reason"]


def test_unrelated_news_has_no_passage(article):
    rep = unspin.compare(Document.from_text(article), Document.from_text("\n\n".join(OTHER)))
    assert rep.passages == []
    assert not rep.verdict.derived
    assert rep.findings == []


def test_spun_rewrite_is_one_reworded_passage():
    rep = unspin.compare(EXAMPLES / "source.html", EXAMPLES / "candidate.txt")
    assert rep.verdict.label == "wholly_derived"
    words = sum(p.candidate_words for p in rep.passages)
    total = sum(len(s.text.split()) for s in rep.candidate.sentences)
    assert words >= 0.8 * total
    assert max(p.candidate_words for p in rep.passages) >= 0.5 * total
    assert "verbatim" not in {p.kind for p in rep.passages}


def test_spun_rewrite_padded_with_other_news_is_partly_derived():
    rewrite = (EXAMPLES / "candidate.txt").read_text(encoding="utf-8")
    page = _page(rewrite, 3, 3) + "\n\n" + "\n\n".join(OTHER * 2)
    rep = unspin.compare(EXAMPLES / "source.html", Document.from_text(page))
    assert rep.verdict.label == "partially_derived"
    start = rep.candidate.doc.text.index(rewrite.strip()[:40])
    end = start + len(rewrite.strip())
    main = max(rep.passages, key=lambda p: p.candidate_words)
    # from the first sentence after the rewrite's headline to its last
    assert main.candidate.start <= start + 200 and main.candidate.end >= end - 10
    # the planted changes are still found inside the passage; nothing outside it
    types = {f.type for f in rep.findings}
    assert {"changed_fact", "altered_quote"} <= types
    assert all(f.candidate is None or start <= f.candidate.start < end for f in rep.findings)


def test_json_passages_point_into_the_input(article, tmp_path):
    paras = article.split("\n\n")
    copied = "\n\n".join(paras[3:6])
    page = "  Site menu | Home | News\n\n" + _page(copied, 2, 2)
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    src = tmp_path / "source.txt"
    src.write_text(article, encoding="utf-8")
    data = to_json(unspin.compare(src, path))
    assert data["schema_version"] == "1.2"
    assert len(data["passages"]) == 1
    p = data["passages"][0]
    assert p["id"] == "P1" and p["kind"] == "verbatim"
    raw = path.read_text(encoding="utf-8")
    assert raw[p["candidate"]["input_start"]:p["candidate"]["input_end"]].strip() == copied.strip()
    assert article[p["source"]["input_start"]:p["source"]["input_end"]].strip() == copied.strip()
    json.dumps(data)


def test_several_sources_name_the_one_used(article):
    paras = article.split("\n\n")
    other_source = Document.from_text("\n\n".join(OTHER[3:]))
    page = _page("\n\n".join(paras[2:5]), 2, 0)
    rep = unspin.compare(other_source, Document.from_text(page), extra_sources=[Document.from_text(article)])
    assert rep.passages
    assert {p.source_doc for p in rep.passages} == {1}


def test_a_shared_sentence_of_common_topic_is_not_a_passage(article):
    """Two pages on one subject share a stock phrase, not a passage."""
    stock = "The city council met on Tuesday night to vote on the budget."
    page = "\n\n".join(OTHER[:3] + [stock] + OTHER[3:])
    rep = unspin.compare(Document.from_text(article), Document.from_text(page))
    assert rep.passages == []
    assert not rep.verdict.derived
