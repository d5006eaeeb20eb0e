"""changed_fact on real sentence pairs from the seed and dev cases (copied as literals), plus
the value parser. A pair is linked by hand so the test does not depend on the aligner."""

from __future__ import annotations

import json

import pytest

from unspin.findings import facts
from unspin.findings.context import Context
from unspin.findings.values import extract_values
from unspin.text import tokenize
from unspin.types import Alignment, Coverage, Document, Link, Segmented, Sentence, Span, Verdict


def _segmented(sentences: list[str], doc_index: int = 0) -> Segmented:
    text = "\n\n".join(sentences)
    sents, paras, pos = [], [], 0
    for i, s in enumerate(sentences):
        sents.append(Sentence(i, pos, pos + len(s), s, i, doc_index))
        paras.append(Span(pos, pos + len(s), s))
        pos += len(s) + 2
    return Segmented(Document(text=text, paragraphs=paras), sents, [], doc_index)


def make_ctx(source: list[str], candidate: list[str], links: list[tuple[tuple, tuple]] | None = None,
             derived: bool = True, found=None, encoder=None) -> Context:
    """A Context over literal sentences; by default sentence i of each side is linked."""
    src, cand = _segmented(source), _segmented(candidate)
    if links is None:
        links = [((i,), (i,)) for i in range(min(len(source), len(candidate)))]
    ls = [Link(s, c, 0.8, "paraphrase") for s, c in links]
    cb = [0.8 if any(i in c for _, c in links) else 0.2 for i in range(len(candidate))]
    sb = [0.8 if any(i in s for s, _ in links) else 0.2 for i in range(len(source))]
    al = Alignment(ls, Coverage(0.8, 0.8, 0.1), src.sentences, cand.sentences, cb, sb)
    verdict = Verdict("wholly_derived" if derived else "not_derived", 0.9 if derived else 0.1, derived)
    ctx = Context.build([src], cand, al, verdict, encoder=encoder)
    if found:
        ctx.found.extend(found)
    return ctx


def values(text: str) -> list:
    return [v.value for v in extract_values(tokenize(text))]


def test_number_words_digits_and_money_normalise():
    assert values("two of the 26 birds") == [2.0, 26.0]
    assert values("five million gallons") == [5e6]
    assert values("take goods worth £4,330") == [4330.0]
    assert values("seize goods to the value of £433") == [433.0]
    assert values("chased for one-and-a-half miles") == [1.5]
    assert values("aged 18-to-49") == [18.0, 49.0]
    assert values("between the ages of 18 and 49") == [18.0, 49.0]
    assert values("in February last year") == ["february"]
    assert values("one of the most consequential relationships") == []  # a pronoun, not a count


def one(ctx: Context, kind: str = "changed_fact"):
    found = [f for f in facts.detect(ctx) if f.type == kind]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("src,cand,old,new", [
    ("Birmingham Magistrates' Court was told the routine vehicle check found two of the 26 birds _ destined "
     "for a slaughterhouse _ were covered in blood.",
     "During a routine vehicle inspection, two of the 28 birds – which were bound for an abattoir – "
     "were found "
     "to be covered in blood, Birmingham Magistrates’ Court was told.", "26", "28"),
    ("They had called at Wetherham Manor near Bodmin to seize goods to the value of £433 in court fines owed "
     "by her husband Richard Amor.",
     "The pair had gone to Wetherham Manor, near Bodmin, to take goods worth £4,330 to cover court "
     "fines owed "
     "by her husband, Richard Amor.", "£433", "£4,330"),
    ("Mrs Owen, who spent just three weeks in her £28,000-a-year post as training manager before being "
        "signed "
     "off sick by her doctor, claimed Mr Paton told her the PGA chief executive Sandy Jones and executive "
     "secretary David Wright “probably just liked to see their women in skirts”.",
     "Mrs Owen, who lasted only three weeks in her £32,000-a-year role as training manager before her GP "
     "signed her off sick, claimed Mr Paton had told her that PGA chief executive Sandy Jones and executive "
     "secretary David Wright “probably just liked to see their women in skirts”.", "£28,000", "£32,000"),
    ("An Environment Agency spokesman said Thames Water has had to buy eight of the homes as they are not "
     "fit to live in.",
     "A spokesman for the Environment Agency said Thames Water has had to buy six of the houses because they "
     "are no longer fit to live in.", "eight", "six"),
    ("Mr Bowen said Reidy jumped out of his car and was chased for one-and-a-half miles by 56-year-old John "
     "Horton who had witnessed the accident.",
     "According to Mr Bowen, Reidy leapt out of his car and was pursued for one-and-a-half miles by "
     "65-year-old John Horton, who had seen the crash.", "56", "65"),
    ("Deborah Price, 25, from Milton Keynes, Buckinghamshire, who is now a researcher on Cilla Black's Blind "
     "Date, also received a public apology over an article published in The Mirror in February last year "
     "concerning the show hosted by Vanessa Feltz.",
     "Deborah Price, 25, of Milton Keynes, Buckinghamshire, who now works as a researcher on Cilla Black’s "
     "Blind Date, was also given a public apology over an article that appeared in The Mirror in April last "
     "year about the show presented by Vanessa Feltz.", "February", "April"),
])
def test_changed_values_in_dev_pairs(src, cand, old, new):
    f = one(make_ctx([src], [cand]))
    assert f.severity == "high"
    assert new in f.candidate.text and old in f.source.text
    assert len(f.candidate.text.split()) <= 10  # a short phrase, not the sentence
    assert f.details["source_value"] == old and f.details["candidate_value"] == new


def test_swapped_amounts():
    f = one(make_ctx(["He was fined £500 and ordered to pay £300 in compensation."],
                     ["He was fined £300 and told to pay £500 compensation."]))
    assert f.details["kind"] == "swap"
    assert "£300" in f.candidate.text and "£500" in f.candidate.text


def test_reversed_direction():
    f = one(make_ctx(["The ship was had been heading from Scotland to Teesside when the incident happened "
                      "last December."],
                     ["The vessel had been sailing from Teesside to Scotland when the incident took place "
                      "last December."]))
    assert f.details["kind"] == "direction"
    assert "from Teesside to Scotland" in f.candidate.text


def test_faithful_rewordings_are_not_flagged():
    pairs = [
        # same figures reordered, ranges and written-out numbers
        ("Airport worker Reidy, of Langley, near Slough, Berks, was banned from driving for two years, fined "
         "£700 and ordered to pay £50 costs.",
         "Reidy, an airport worker from Langley, near Slough, Berkshire, was disqualified from driving "
         "for two "
         "years, fined £700 and told to pay £50 costs."),
        ("Mr Barry Berlin, prosecuting, said that the birds _ all 12 to 14-month-old mature yearlings _ "
            "were at "
         "risk because of “sharp protrusions” on the partition gates dividing the pens.",
         "Mr Berlin said the birds – all mature yearlings aged between 12 and 14 months – had been put "
         "at risk "
         "by “sharp protrusions” on the partition gates dividing the pens."),
        ("\"In terms of actually making a difference in the lives of the American people, the number one "
         "killer of Americans aged 18-to-49 is fentanyl,\" Blinken said.",
         "According to Blinken, the biggest threat to Americans between the ages of 18 and 49 is fentanyl."),
        ("Price, of Windmill Road, North Leigh, Oxon, was convicted of causing fear and provocation of "
            "violence "
         "in July following an alleged road-rage incident in Witney's Woolgate Centre car park.",
         "Price, of Windmill Road, North Leigh, Oxfordshire, was convicted in July of causing fear and "
         "provocation of violence after an alleged road rage incident in the car park of Witney's Woolgate "
         "Centre."),
        ("A day after President Biden met with Chinese President Xi Jinping in Northern California, "
            "Secretary "
         "of State Antony Blinken told CBS News that China represents \"one of the most consequential "
         "relationships\" the U.S. has with any nation.",
         "Blinken describes the relationship between the United States and China as one of the most "
         "significant in the world."),
    ]
    for src, cand in pairs:
        assert facts.detect(make_ctx([src], [cand])) == [], cand


def test_restated_number_is_not_a_change():
    # the candidate's "six" is the source's own figure from another sentence
    ctx = make_ctx(["Judge Orde sentenced Pawluk to 12 months in prison but ordered that only the first "
        "six be "
                    "spent in custody.", "A drunken seaman was today jailed for six months."],
                   ["A drunken seaman was jailed for six months today.",
                    "Judge Orde sentenced Pawluk to 12 months in prison but ordered that only the first "
                    "six be "
                    "spent in custody."], links=[((1,), (0,)), ((0,), (1,))])
    assert facts.detect(ctx) == []


def test_nothing_when_not_derived():
    ctx = make_ctx(["He was fined £500."], ["He was fined £300."], derived=False)
    assert facts.detect(ctx) == []


def test_dev_cases_changed_facts(shared):
    """Every required changed_fact of the dev cases, through the real segmenter and aligner."""
    from unspin.align import align
    from unspin.embed import get_backend
    from unspin.findings import detect
    from unspin.ingest import load
    from unspin.segment import segment

    missed = []
    for case in sorted((shared / "cases" / "dev").glob("[0-9]*")):
        exp = json.loads((case / "expected.json").read_text())
        want = [f for f in exp["findings"] if f["type"] == "changed_fact" and f["required"]]
        if not want:
            continue
        src = segment(load(case / "source.txt"))
        cand = segment(load(case / "candidate.txt"))
        al = align([src], cand, get_backend("auto"))
        got = [f for f in detect([src], cand, al, Verdict("wholly_derived", 0.9, True))
               if f.type == "changed_fact"]
        for w in want:
            if not any(set(w["candidate_text"].split()) & set(f.candidate.text.split()) for f in got):
                missed.append((case.name, w["id"]))
    assert not missed


# ----------------------------------------------------------------------------------------------
# figures paired with their head words; names spoken to


def test_figure_restated_elsewhere_with_another_unit_is_still_a_change():
    ctx = make_ctx(["She spent three months in hospital after the fall.",
                    "The ruling ended a four-year dispute with the landlord."],
                   ["The ruling ended a three-year dispute with the landlord."], links=[((1,), (0,))])
    f = one(ctx)
    assert "three" in f.candidate.text and "four" in f.source.text


def test_amounts_swapped_in_a_list_with_a_repeated_amount():
    ctx = make_ctx(["She was awarded £2,000 for anxiety, £2,000 for lost wages and £7,000 for pain and "
                    "suffering."],
                   ["She was awarded £2,000 for anxiety, £7,000 for lost wages and £2,000 for pain and "
                    "suffering."])
    found = [f for f in facts.detect(ctx) if f.type == "changed_fact"]
    assert found and any("7,000" in f.candidate.text and "lost wages" in f.candidate.text for f in found)


def test_year_after_the_same_month_is_paired():
    ctx = make_ctx(["The firm was founded in 2002.", "The permit, granted in June 2003, was later revoked."],
                   ["The permit, granted in June 2002, was later revoked."], links=[((1,), (0,))])
    f = one(ctx)
    assert "2002" in f.candidate.text and "2003" in f.source.text


@pytest.mark.parametrize("src,cand", [
    # an age and a term share 'year' but not a head
    (["Smith, 36, is already serving a six-year sentence for fraud."],
     ["The 36-year-old is already serving a six-year term for fraud."]),
    # the source gives the figure without its unit
    (["He had 90 micrograms in his breath; the legal limit is 35."],
     ["He had 90 micrograms in his breath, where the legal limit is 35 micrograms."]),
    # figures reordered, each kept with its head
    (["He was fined £200 for speeding and £150 for having no insurance."],
     ["For having no insurance he was fined £150, and £200 for speeding."]),
])
def test_figures_kept_with_their_heads_are_not_changes(src, cand):
    assert [f for f in facts.detect(make_ctx(src, cand)) if f.type == "changed_fact"] == []


def test_name_of_the_person_spoken_to_is_a_fact():
    ctx = make_ctx(["Her counsel told Judge Mary Hollins that the defendant had no previous convictions."],
                   ["Her counsel told Judge Mary Collins that the defendant had no previous convictions."])
    f = one(ctx)
    assert "Collins" in f.candidate.text and "Hollins" in f.source.text


def test_name_of_the_speaker_is_left_to_attribution():
    ctx = make_ctx(["Mr Hollins said the defendant had no previous convictions."],
                   ["Mr Collins said the defendant had no previous convictions."])
    assert [f for f in facts.detect(ctx) if f.type == "changed_fact"] == []


def test_one_before_a_unit_of_time_is_a_count():
    assert values("suspended the one year jail sentence") == [1.0]
    assert values("the one thing he wanted") == []


def test_shorter_sentence_in_months_is_a_change():
    f = one(make_ctx(["The judge suspended for two years the one year prison term he was imposing."],
                     ["The judge suspended for two years the 18-month prison term he was imposing."]))
    assert "18" in f.candidate.text and "one" in f.source.text


@pytest.mark.parametrize("src,cand,new", [
    ("She wanted the cash to visit her sick brother in Leeds.",
     "She wanted the cash to visit her sick sister in Leeds.", "sister"),
    ("The boy was taken to hospital by his grandmother after the fall.",
     "The boy was taken to hospital by his grandfather after the fall.", "grandfather"),
])
def test_relative_swapped(src, cand, new):
    f = one(make_ctx([src], [cand]))
    assert f.candidate.text.count(new) == 1 and f.details["kind"] == "relative"


@pytest.mark.parametrize("src,cand", [
    ("She wanted the cash to visit her sick father in Leeds.",
     "She wanted the cash to visit her sick dad in Leeds."),  # the same person, another word
    ("She wanted the cash to visit her sick mother in Leeds.",
     "She wanted the cash to visit her sick parent in Leeds."),  # generalised, not changed
])
def test_relative_kept_or_generalised(src, cand):
    assert [f for f in facts.detect(make_ctx([src], [cand])) if f.type == "changed_fact"] == []


def test_county_swapped_next_to_common_words():
    src = ["The buyer later complained to Norfolk County Council's trading standards department."]
    cand = ["The buyer then complained to Suffolk County Council's trading standards department."]
    f = one(make_ctx(src, cand))
    assert "Suffolk" in f.candidate.text and "Norfolk" in f.source.text


def test_misspelt_name_is_not_a_change():
    src = ["He is the author of Hitler's War, published in 1977."]
    cand = ["He is the author of Hitter's War, published in 1977."]
    assert [f for f in facts.detect(make_ctx(src, cand)) if f.type == "changed_fact"] == []


def test_penalty_outside_prison_told_as_jail():
    src = ["He was later convicted of theft, given a conditional discharge and ordered to pay £300 costs."]
    cand = ["He was later convicted of theft and was jailed for three months."]
    f = one(make_ctx(src, cand))
    assert "jailed" in f.candidate.text and f.details["kind"] == "penalty"


@pytest.mark.parametrize("cand", [
    "He was later convicted of theft but was spared jail and given a conditional discharge.",
    "He was later convicted of theft and walked free with a conditional discharge.",
    "He was later convicted of theft and avoided jail.",
])
def test_penalty_kept(cand):
    src = ["He was later convicted of theft, given a conditional discharge and ordered to pay £300 costs."]
    assert [f for f in facts.detect(make_ctx(src, [cand])) if f.type == "changed_fact"] == []
