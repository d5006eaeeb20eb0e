"""unsupported_claim: invented sentences and novel clauses from the seed and dev cases, and the
seed's faithful sentences (ordinary paraphrase vocabulary) that must not fire."""

from __future__ import annotations

import pytest
from test_findings_facts import make_ctx

from unspin.findings import claims
from unspin.types import Finding, Span

OSTRICH_SOURCE = [
    "An animal welfare expert today told a court how he discovered a cattle truck was transporting a "
    "cargo of "
    "ostriches, two of them injured.",
    "Lorry driver Adrian Shaw, of Malvern, Worcestershire, and his employer, Edward Gilder, of Cheltenham, "
    "Gloucestershire, both deny two charges of animal cruelty under the Welfare of Animals (Transport) Act "
    "1997 and the Animal Health Act 1981.",
    "The defence said that the birds were injured as a result of “inter-ostrich activity”.",
]


def test_invented_sentence_without_a_link_is_flagged():
    cand = [OSTRICH_SOURCE[0], "Both men face an unlimited fine if they are convicted.", OSTRICH_SOURCE[2]]
    ctx = make_ctx(OSTRICH_SOURCE, cand, links=[((0,), (0,)), ((2,), (2,))])
    found = claims.detect(ctx)
    assert [f.candidate.text for f in found] == ["Both men face an unlimited fine if they are convicted."]
    assert found[0].type == "unsupported_claim" and found[0].source is None
    assert "unlimited" in found[0].details["unsupported_words"]


def test_invented_numbers_make_it_high():
    src = ["The vessel steamed through the night without anyone in control before finally running aground on "
           "Red Head, near the Scottish coastal town of Montrose, in December."]
    cand = [src[0], "It was the third time in two years that a vessel had run aground on that stretch "
        "of coast."]
    found = claims.detect(make_ctx(src, cand, links=[((0,), (0,))]))
    assert len(found) == 1 and found[0].severity == "high"


def test_novel_clause_inside_an_aligned_sentence():
    src = ["Among the most important results to come out of Wednesday's meeting near San Francisco was "
        "the two "
           "leaders agreeing that the U.S. and China would resume direct military-to-military "
           "communications."]
    cand = ["One of the key outcomes from the meeting held near San Francisco on Wednesday was the mutual "
            "understanding between the leaders of the United States and China that they are actively "
            "pursuing "
            "a “phase one” agreement on trade."]
    found = claims.detect(make_ctx(src, cand))
    assert len(found) == 1
    f = found[0]
    assert "actively pursuing a “phase one” agreement on trade" in f.candidate.text
    assert "Wednesday" not in f.candidate.text  # the clause, not the sentence
    assert f.severity == "high" and f.details["quoted_terms"] == ["phase one"]


def test_already_explained_sentences_are_skipped():
    cand = [OSTRICH_SOURCE[0], "“This was an accident waiting to happen, and these defendants knew it.”"]
    c = cand[1]
    start = len(cand[0]) + 2
    prior = Finding("fabricated_quote", "high", "Invented quotation.",
                    candidate=Span(start, start + len(c), c))
    ctx = make_ctx(OSTRICH_SOURCE, cand, links=[((0,), (0,))], found=[prior])
    assert claims.detect(ctx) == []


def test_headline_and_byline_are_not_claims():
    cand = ["Ostriches made their final journey in a cattle truck, a court has heard", OSTRICH_SOURCE[0],
            "Faris Tanyos"]
    ctx = make_ctx(OSTRICH_SOURCE, cand, links=[((0,), (1,))])
    assert claims.detect(ctx) == []


SEED_FAITHFUL_PAIRS = [
    ("Cameras captured Blinken's uncomfortable response to Mr. Biden's remarks during Wednesday's news "
     "conference.",
     "During a news conference on Wednesday, cameras recorded Blinken’s uneasy reaction to President Biden’s "
     "statements."),
    ("The official also said that China is taking a number of steps intended to curtail supplies used "
        "to make "
     "the chemicals.",
     "Additionally, the official mentioned that China is implementing measures to reduce the availability of "
     "supplies used in producing the chemicals."),
    ("In his solo news conference following Wednesday's meeting, Mr. Biden for the second time this year "
     "referred to Xi as a \"dictator\" in response to a reporter's question.",
     "During his individual press briefing after the Wednesday gathering, Mr. Biden once again called Xi a "
     "“dictator” in reply to a journalist’s inquiry, marking the second instance this year."),
    ("The chemical precursors, Blinken said, \"have been coming from China, going to the Western Hemisphere, "
     "turned into fentanyl, and then coming into the U.S.",
     "According to Blinken, the substances used to create fentanyl have been sourced from China and then "
     "transported to the Western Hemisphere before being turned into the drug and entering the United "
     "States."),
    ("\"It's clear that we will continue to say things and continue to do things that China doesn't like, "
     "just as I assume that they will continue to do and say things that we don't like,\" Blinken continued.",
     "Blinken stated that it is evident that both China and the US will continue to express opinions "
     "and take "
     "actions that may not be favorable to the other."),
]


@pytest.mark.parametrize("src,cand", SEED_FAITHFUL_PAIRS)
def test_seed_faithful_paraphrases_are_not_claims(src, cand):
    assert claims.detect(make_ctx([src], [cand])) == []


def test_nothing_when_not_derived():
    ctx = make_ctx(OSTRICH_SOURCE, ["Both men face an unlimited fine if they are convicted."], links=[],
                   derived=False)
    assert claims.detect(ctx) == []


def test_cases_claims_recall_and_faithful(case_findings):
    """Required unsupported claims of seed and dev are found (as the claim or the earlier fabricated
    quote / garbled finding the scorer accepts), and no faithful sentence gets a claim."""

    missed, false = [], []
    for case_name, exp, found in case_findings:
        for e in exp["findings"]:
            if e["type"] != "unsupported_claim" or not e["required"]:
                continue
            ok = {e["type"], *e.get("also_accept", [])}
            words = set(e["candidate_text"].split())
            if not any(f.type in ok and f.candidate and len(words & set(f.candidate.text.split())) * 2 >= len(
                    words) for f in found):
                missed.append((case_name, e["id"]))
        for f in found:
            if f.type == "unsupported_claim":
                false += [(case_name, f.candidate.text) for s in exp.get("faithful_candidate_sentences", [])
                          if f.candidate.text in s or s in f.candidate.text]
    assert not false
    from unspin.embed import get_backend

    if get_backend("auto").name == "model2vec":
        assert not missed
    else:
        assert len(missed) <= 2, missed  # without the static model the clause check is stricter


class CountingEncoder:
    """The default model's vectors, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.texts = inner, "counting", 0

    def encode(self, texts):
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_claims_measure_support_with_the_pipeline_backend():
    """The backend the pipeline aligned with is the one word and clause support is read with:
    the lexical backend (no model) turns the synonym check off, any other is used as given."""
    from unspin.embed import get_backend

    cand = [OSTRICH_SOURCE[0], "Both men face an unlimited fine if they are convicted.", OSTRICH_SOURCE[2]]
    links = [((0,), (0,)), ((2,), (2,))]
    lexical = make_ctx(OSTRICH_SOURCE, cand, links=links, encoder=get_backend("lexical"))
    assert lexical.analysis.support.enc is None
    inner = get_backend("auto")
    if inner.name == "lexical":
        pytest.skip("no embedding model installed")
    enc = CountingEncoder(inner)
    ctx = make_ctx(OSTRICH_SOURCE, cand, links=links, encoder=enc)
    assert ctx.analysis.support.enc is enc
    before = enc.texts
    claims.detect(ctx)
    assert enc.texts > before  # the candidate's words were embedded with it
