"""omission: unlinked, unconveyed source sentences, ranked and capped; never bylines or sign-offs."""

from __future__ import annotations

from test_findings_facts import make_ctx

from unspin.findings import omissions

SEED_SOURCE = [
    "By Faris Tanyos, CBS News",
    "Among the most important results to come out of Wednesday's meeting near San Francisco was the two "
    "leaders agreeing that the U.S. and China would resume direct military-to-military communications.",
    "\"Yesterday, we agreed that our militaries would start talking again, at the most senior levels, and at "
    "the operational level,\" Blinken told CBS News.",
    "\"And this is a very important way of trying to avoid a miscalculation, a mistake that could lead to a "
    "conflict.\"",
    "Mr. Biden also said that Xi had agreed to cooperate with the U.S. on tackling the opioid crisis through "
    "counternarcotics efforts.",
    "In recent years, the U.S. has been working to halt the flow of precursor chemicals used to make "
    "fentanyl "
    "that are illegally trafficked to the U.S. from China.",
    "mfl",
]
SEED_CAND = [
    "One of the key outcomes from the meeting held near San Francisco on Wednesday was the mutual "
    "understanding between the leaders that they would resume direct military-to-military communications.",
    "The United States has been combating the opioid crisis by implementing measures to prevent the illegal "
    "trafficking of precursor chemicals used to produce fentanyl from China.",
]


def test_seed_omissions_found_and_trivia_skipped():
    ctx = make_ctx(SEED_SOURCE, SEED_CAND, links=[((1,), (0,)), ((5,), (1,))])
    found = omissions.detect(ctx)
    texts = [f.source.text for f in found]
    assert texts == SEED_SOURCE[2:5]
    for f in found:
        assert f.type == "omission" and f.candidate is None
        assert f.severity in ("high", "medium", "low")
        assert f.details["importance"] > 0


def test_conveyed_elsewhere_is_not_an_omission():
    src = ["Mr Bowen said: “Mr Horton pursued him for one-and-a-half miles before catching up with him and "
           "taking hold of his arm.", "He let him go and the defendant ran off.”"]
    cand = ["Mr Bowen told the court that Mr Horton chased him for one-and-a-half miles before catching up "
            "with him and grabbing his arm, but let him go after the defendant ran off."]
    assert omissions.detect(make_ctx(src, cand, links=[((0,), (0,))])) == []


def test_cap_keeps_the_most_important():
    src = [f"Sentence number {w} tells readers about the council meeting held in the town hall on Monday."
           for w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                     "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                     "nineteen", "twenty")]
    src.append("\"We will appeal against the £4 million fine,\" said Dale Moss, the airline's director "
        "for sales.")
    found = omissions.detect(make_ctx(src, ["An unrelated line about the weather today."], links=[]))
    assert len(found) == 5  # a fifth of the source's sentences, at least three
    assert any("£4 million" in f.source.text for f in found)


def test_nothing_when_not_derived():
    assert omissions.detect(make_ctx(SEED_SOURCE, SEED_CAND, links=[], derived=False)) == []


def test_required_omissions_in_cases(case_findings):

    missed, total, reported = [], 0, 0
    for case_name, exp, found in case_findings:
        found = [f for f in found if f.type == "omission"]
        reported += len(found)
        for e in exp["findings"]:
            if e["type"] == "omission" and e["required"]:
                total += 1
                if not any(e["source_text"][:40] in f.source.text for f in found):
                    missed.append((case_name, e["id"]))
    assert len(missed) <= total // 8, missed
    assert reported <= 2 * total


def test_subheads_are_trivial_but_short_sentences_are_not():
    from unspin.findings.omissions import trivial
    from unspin.types import Sentence

    assert trivial(Sentence(0, 0, 27, "Two council members opposed", 0))
    assert not trivial(Sentence(0, 0, 34, "Two council members opposed it all.", 0))


def test_short_custody_line_is_an_omission_even_over_the_cap():
    src = [f"Witness number {w} told the jury about the council meeting held in the town hall on Monday."
           for w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")]
    src.append("He was remanded in custody.")
    found = omissions.detect(make_ctx(src, ["An unrelated line about the weather today."], links=[]))
    assert any(f.source.text == "He was remanded in custody." for f in found)
    assert len(found) == 4  # the cap of three, and the custody line over it


def test_short_line_without_status_is_not_reported():
    src = ["The trial at Leeds Crown Court of a man accused of stealing a car from a garage continues.",
           "He was upset."]
    cand = ["The trial at Leeds Crown Court of a man accused of stealing a car from a garage continues."]
    found = omissions.detect(make_ctx(src, cand, links=[((0,), (0,))]))
    assert found == []


def test_conveyed_custody_line_is_not_an_omission():
    src = ["The man, 34, admitted theft at Leeds Crown Court today.", "He was remanded in custody."]
    cand = ["The man, 34, admitted theft at Leeds Crown Court today and was remanded in custody."]
    assert omissions.detect(make_ctx(src, cand, links=[((0,), (0,))])) == []


def _qualifier_ctx(src_sentence: str, cand: list[str]):
    src = ["The total includes the biggest award ever made by a Scottish tribunal for unfair dismissal.",
           src_sentence]
    ctx = make_ctx(src, cand, links=[((0,), (0,))])
    ctx.alignment.source_best[1] = 0.66  # close to the candidate's sentence, yet unlinked
    return ctx


def test_dropped_qualifier_is_an_omission():
    s = ("She added: the award was the biggest in a Scottish tribunal, although a Welsh panel once made a "
         "larger payment.")
    found = omissions.detect(_qualifier_ctx(s, [
        "The total included the largest award ever made by a Scottish tribunal for unfair dismissal."]))
    assert [f.source.text for f in found] == [s]
    assert "qualifier" in found[0].details["why"]


def test_conveyed_qualifier_is_not_an_omission():
    s = ("She added: the award was the biggest in a Scottish tribunal, although a Welsh panel once made a "
         "larger payment.")
    found = omissions.detect(_qualifier_ctx(s, [
        "The total included the largest award ever made by a Scottish tribunal for unfair dismissal, "
        "although a Welsh panel once made a larger payment."]))
    assert found == []
