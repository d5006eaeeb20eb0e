"""The consistency model's judgements (findings.judgements) and the findings made from them
(findings.learned): premise windows, type from the word difference, deference to the rules,
and the ``judge`` switch of compare. A stub model with fixed probabilities tests the logic; the
shipped model is exercised on pairs whose answer is not in doubt."""

from __future__ import annotations

import numpy as np
import pytest
from test_findings_facts import make_ctx

from unspin import Document, compare
from unspin.findings import judgements, learned
from unspin.types import Finding, Span, UnspinError

SOURCE = [
    "Mr Sturt paid tribute to the crew who tried to resuscitate Miss Moreno.",
    "The coroner recorded a verdict of accidental death at the inquest in Dover on Tuesday.",
    "Miss Moreno, 32, had been swimming for nine hours when she got into difficulty.",
]


class Stub:
    """Returns the same probabilities for every pair and records what it was asked."""

    def __init__(self, probs):
        self.probs = np.asarray(probs, dtype=float)
        self.pairs = []

    def predict(self, pairs):
        self.pairs += pairs
        return np.tile(self.probs, (len(pairs), 1))


def run(cand, probs, found=None, links=None):
    ctx = make_ctx(SOURCE, cand, links=links, found=found)
    ctx.alignment.similarity = np.eye(len(cand), len(SOURCE))
    model = Stub(probs)
    ctx.judgements = judgements.judge(ctx, model)
    return learned.detect(ctx), model, ctx


def test_contradicted_sentence_with_a_new_number_is_a_changed_fact():
    cand = [SOURCE[0], SOURCE[1],
            "Miss Moreno, 32, had been swimming for eleven hours when she got into difficulty."]
    found, _, _ = run(cand, [0.02, 0.95, 0.03])
    assert [f.type for f in found] == ["changed_fact"]
    assert "eleven" in found[0].candidate.text and found[0].details["new_words"] == ["eleven"]
    assert found[0].source.text.startswith("Miss Moreno, 32")


def test_new_speaker_of_a_reporting_verb_is_an_attribution_change():
    cand = ["Mr Trusty praised the crew who had tried to revive Miss Moreno.", SOURCE[1], SOURCE[2]]
    found, _, _ = run(cand, [0.05, 0.9, 0.05])
    assert [f.type for f in found] == ["attribution_change"]
    assert found[0].candidate.text == "Mr Trusty praised"


def test_contradiction_without_a_new_fact_is_a_meaning_shift():
    cand = [SOURCE[0], "The coroner recorded an open verdict at the inquest in Dover on Tuesday.", SOURCE[2]]
    found, _, _ = run(cand, [0.05, 0.9, 0.05])
    assert [f.type for f in found] == ["meaning_shift"]
    assert "open" in found[0].candidate.text


def test_unsupported_sentence_is_an_unsupported_claim_and_weak_ones_are_not_reported():
    cand = [SOURCE[0], SOURCE[1], "Her family plan to set up a charity to fund lifeboats in her name."]
    found, _, _ = run(cand, [0.02, 0.03, 0.95], links=[((0,), (0,)), ((1,), (1,))])
    assert [f.type for f in found] == ["unsupported_claim"]
    assert found[0].candidate.text.startswith("Her family")
    assert run(cand, [0.3, 0.3, 0.4], links=[((0,), (0,)), ((1,), (1,))])[0] == []


def test_verbatim_copies_are_not_sent_to_the_model_and_rules_keep_their_sentences():
    cand = [SOURCE[0], "The coroner recorded an open verdict at the inquest in Dover on Tuesday.", SOURCE[2]]
    rule = Finding("meaning_shift", "high", "rule", candidate=Span(0, 5, "x"))
    sent = make_ctx(SOURCE, cand).cand_sentences[1]
    rule.candidate = Span(sent.start, sent.end, sent.text)
    found, model, ctx = run(cand, [0.05, 0.9, 0.05], found=[rule])
    assert found == []  # the rule already explains sentence 1
    assert {h for _, h in model.pairs} == {cand[1]}  # sentences 0 and 2 are copies
    assert not ctx.judgements[0].modelled and ctx.judgements[0].supported == 1.0


def test_unlinked_sentence_is_judged_against_its_most_similar_source_sentences():
    cand = ["Mr Sturt thanked the crew.", "The swimmer was 32 and had been in the water nine hours."]
    ctx = make_ctx(SOURCE, cand, links=[((0,), (0,))])
    ctx.alignment.similarity = np.array([[0.9, 0.1, 0.2], [0.1, 0.2, 0.8]])
    windows = judgements.premises_for(ctx, ctx.cand_sentences[1])
    assert 2 in windows[0] and 0 not in windows[0]  # its most similar sentence, then others


def test_judge_switch(tmp_path):
    src, cand = tmp_path / "s.txt", tmp_path / "c.txt"
    src.write_text(" ".join(SOURCE) + "\n")
    cand.write_text(" ".join(SOURCE[:2]) + " Miss Moreno, 32, had been swimming for two hours.\n")
    assert compare(str(src), str(cand), judge="rules").judge == "rules"
    assert compare(str(src), str(cand), backend="lexical").judge == "rules"
    with pytest.raises(UnspinError, match="unknown judge"):
        compare(str(src), str(cand), judge="oracle")


def test_shipped_model_flags_an_inserted_claim_in_a_real_pair():
    from unspin.consistency import available

    assert available()  # shipped in the package
    source = Document.from_text(
        "The city council approved plans for 45 new homes on the former Hartley factory site on Tuesday.\n\n"
        "Work is expected to start next spring, a council spokesman said.\n\n"
        "The site has been empty since the factory closed in 2009.")
    cand = Document.from_text(
        "Plans for 45 new homes on the old Hartley factory site were approved by the city council "
        "on Tuesday.\n\n"
        "Work is expected to begin next spring, a council spokesman said.\n\n"
        "The developer has promised that half of the homes will be sold to first-time buyers at a "
        "discount.\n\n"
        "The site has been empty since the factory closed in 2009.")
    rep = compare(source, cand, judge="model")
    assert rep.judge == "model"
    claims = [f for f in rep.findings if f.type == "unsupported_claim"]
    assert any("first-time buyers" in f.candidate.text for f in claims)
    assert not any(f.candidate and "approved by the city council" in f.candidate.text for f in rep.findings)


def test_budget_judges_weak_links_first_and_says_so(monkeypatch):
    cand = [f"Sentence number {w} about the inquest in Dover went on for a while." for w in
            ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")]
    ctx = make_ctx(SOURCE, cand, links=[((0,), (i,)) for i in range(10)])
    for i, link in enumerate(ctx.alignment.links):
        object.__setattr__(link, "similarity", 0.9 - 0.05 * i)  # later sentences, weaker links
    monkeypatch.setattr(judgements, "MAX_PAIRS", 4)
    notes: list[str] = []
    got = judgements.judge(ctx, Stub([0.9, 0.05, 0.05]), notes)
    assert len(got) == 4 and sorted(got) == [6, 7, 8, 9]  # the weakest links
    assert len(notes) == 1 and "judged 4 of 10" in notes[0]
