"""Verdict labels on the annotated cases, and the model file the package ships."""

from __future__ import annotations

import json

import pytest

from unspin.align import align, tokens
from unspin.embed import get_backend
from unspin.ingest import load
from unspin.segment import segment
from unspin.types import Document
from unspin.verdict import (
    CANDIDATE_INPUTS,
    INPUT_NAMES,
    LABELS,
    judge,
    load_model,
    model_inputs,
    rare_containment,
)


def _verdict(case):
    enc = get_backend("auto")
    a = align([segment(load(case / "source.txt"))], segment(load(case / "candidate.txt")), enc)
    return judge(a)


def test_model_file_matches_inputs():
    m = load_model()
    assert len(m["coef"]) == len(LABELS) and len(m["intercept"]) == len(LABELS)
    assert list(m["inputs"]) == list(INPUT_NAMES)
    assert all(len(row) == len(INPUT_NAMES) for row in m["coef"])
    assert len(m["mean"]) == len(m["scale"]) == len(INPUT_NAMES)


def test_seed_is_wholly_derived(shared):
    v = _verdict(shared / "cases" / "seed")
    assert v.label == "wholly_derived" and v.derived and v.score > 0.5
    assert v.evidence["verbatim"] < 0.1  # a spun rewrite: derived without copied runs
    assert set(v.evidence["probabilities"]) == set(LABELS)
    json.dumps(v.to_dict())


def _dev_cases(shared):
    out = []
    for d in sorted((shared / "cases" / "dev").iterdir()):
        if (d / "expected.json").is_file():
            out.append((d, json.loads((d / "expected.json").read_text(encoding="utf-8"))["verdict"]))
    return out


def test_dev_case_labels(shared):
    wrong = []
    for d, want in _dev_cases(shared):
        v = _verdict(d)
        if v.label != want["label"] or v.derived != want["derived"]:
            wrong.append(f"{d.name}: {v.label}, want {want['label']}")
    assert not wrong, wrong


def test_independent_text_on_another_subject_is_not_derived():
    enc = get_backend("auto")
    src = segment(Document.from_text(
        "The council approved a new budget for the city library on Monday evening. "
        "The plan adds two hundred thousand pounds for children's reading programmes."))
    cand = segment(Document.from_text(
        "Heavy rain flooded several streets in the harbour district overnight. "
        "Fire crews pumped water from a dozen homes and the coast road was closed until noon."))
    v = judge(align([src], cand, enc))
    assert v.label == "not_derived" and not v.derived and v.score < 0.5


def test_copy_is_wholly_derived():
    enc = get_backend("auto")
    text = ("The council approved a new budget for the city library on Monday evening. "
            "The plan adds two hundred thousand pounds for children's reading programmes. "
            "Opponents said the money should have gone to road repairs instead.")
    v = judge(align([segment(Document.from_text(text))], segment(Document.from_text(text)), enc))
    assert v.label == "wholly_derived" and v.evidence["verbatim"] > 0.95


def test_model_inputs_are_finite():
    f = {k: 0.0 for k in ("candidate_supported", "verbatim", "share_strong", "share_verbatim",
                          "share_near_verbatim", "share_partial", "share_unlinked", "containment_1",
                          "containment_3", "containment_5", "longest_run", "order", "mean_best",
                          "source_conveyed", "full_strong", "full_unlinked", "full_partial",
                          "unlinked_block", "candidate_words", "rare_containment", "passage_evidence",
                          "passage_candidate_share", "passage_source_share", "passage_strength")}
    assert len(model_inputs(f)) == len(INPUT_NAMES)
    assert len(model_inputs(f, list(CANDIDATE_INPUTS))) == len(CANDIDATE_INPUTS)


def test_rare_words_weigh_more_in_containment():
    """Sharing a rare word is stronger evidence of copy than sharing a common one."""
    src = tokens("The magistrate adjourned the hearing.")
    rare = rare_containment(src, tokens("A magistrate adjourned it."))
    common = rare_containment(src, tokens("The hearing was on the list."))
    assert 0.0 < common < rare < 1.0
    assert rare_containment(src, src) == 1.0 and rare_containment(src, []) == 0.0


@pytest.mark.parametrize("empty_side", ["source", "candidate"])
def test_empty_side_is_not_derived(empty_side):
    enc = get_backend("auto")
    full = segment(Document.from_text("The council approved a new budget for the city library."))
    empty = segment(Document(text="", paragraphs=[]))
    src, cand = (empty, full) if empty_side == "source" else (full, empty)
    v = judge(align([src], cand, enc))
    assert v.label == "not_derived" and v.score == 0.0


def test_passage_evidence_needed_rises_as_the_rest_of_the_page_nears_the_story():
    from unspin.verdict import STANDOUT_PASSAGE, STRONG_PASSAGE, needed_evidence

    unrelated = {"outside_similarity": 0.24, "passage_candidate_share": 0.05}
    related = {"outside_similarity": 0.45, "passage_candidate_share": 0.05}
    middle = {"outside_similarity": 0.325, "passage_candidate_share": 0.05}
    most = {"outside_similarity": 0.24, "passage_candidate_share": 0.8}
    assert needed_evidence(unrelated) == STANDOUT_PASSAGE
    assert needed_evidence(related) == STRONG_PASSAGE
    assert STANDOUT_PASSAGE < needed_evidence(middle) < STRONG_PASSAGE
    assert needed_evidence(most) == STRONG_PASSAGE  # a rewrite is judged on the whole text


def test_a_close_passage_in_unrelated_text_makes_a_page_derived():
    """Whatever the whole-text model says, the passage rule lifts the label to partially."""
    from unspin.verdict import decide

    base = {k: 0.0 for k in ("candidate_supported", "verbatim", "share_strong", "share_verbatim",
                             "share_near_verbatim", "share_partial", "share_unlinked", "containment_1",
                             "containment_3", "containment_5", "longest_run", "order", "mean_best",
                             "source_conveyed", "full_strong", "full_unlinked", "full_partial",
                             "unlinked_block", "rare_containment", "passage_strength", "source_followed",
                             "passage_source_share")}
    base["candidate_words"] = 4000
    page = {**base, "passage_evidence": 60.0, "passage_lifted": 70.0, "outside_similarity": 0.25,
            "passage_candidate_share": 0.03}
    label, score, by, _ = decide(page)
    assert (label, by) == ("partially_derived", "passage") and score > 0.5
    nothing = {**page, "passage_evidence": 0.0, "passage_lifted": 0.0}
    assert decide(nothing)[0] == "not_derived"
    same_story = {**page, "outside_similarity": 0.45}  # 60 narrative words are not enough there
    assert decide(same_story)[0] == "not_derived"
