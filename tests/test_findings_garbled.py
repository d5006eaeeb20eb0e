"""garbled_text on real damage from the seed and dev candidates, and no flags on clean copy.

Literal strings are copied from the cases; the case tests read ../shared (skipped where
absent): every required garbled_text finding is found, and clean article bodies (the sources,
the nearly clean candidates) raise nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from unspin.findings import garbled
from unspin.findings.context import Context
from unspin.findings.garbled import is_non_word, scan, source_vocabulary
from unspin.types import Alignment, Coverage, Document, Verdict


def flags(text: str, known: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [(i.kind, text[i.start:i.end]) for i in scan(text, None, known)]


# --- non-words ------------------------------------------------------------------------------


def test_non_words():
    assert is_non_word("termmet")
    assert is_non_word("respectaformity")
    assert is_non_word("sexwith")  # a lost space
    for w in ("fentanyl", "counternarcotics", "ostriches", "inter-ostrich", "re-trial", "dishonourable",
              "curvaceous", "chipshop", "assetless", "depersonalised", "coastguard's"):
        assert not is_non_word(w), w
    assert not is_non_word("pawluk", known={"pawluk"})  # a word the source uses
    # one slip from a common word is a misspelling even where it splits into two short words
    assert is_non_word("compuster") and is_non_word("colission")
    for w in ("nailbomber", "hairdryer", "breathalysed"):
        assert not is_non_word(w), w


def test_non_word_span_reads_as_a_phrase():
    text = ("Birmingham Crown Court heard that the two men passed themselves off as \"master craftsmen\" and "
            "traded as Dr Guttering and Drips 'R' Us to lend themselves an air of respectaformity.")
    assert flags(text) == [("non_word", "to lend themselves an air of respectaformity.")]


def test_capitalised_and_quoted_rare_words_are_not_flagged():
    assert flags("Polish Chief Officer Jerzy Pawluk was in charge of the MV Roustel.") == []
    assert flags("He described other blacks as “groids”, short for “negroids”.") == []


# --- fragments ------------------------------------------------------------------------------


def test_fragments_on_their_own_line():
    text = ("Mr Taylor said the birds had been put at risk by “sharp protrusions” on the partition gates\n\n"
            "dividing the pens in the\n\n"
            "Mr Berlin, prosecuting, told the magistrates: “This was an accident waiting to happen.”\n\n"
            "In June, Biden also called\n\n"
            "individual businesses that comprise\n\n"
            "were working towards a “phase one” trade deal.\n\n"
            "The day following President Biden’s termmet with\n\n"
            "Faris Tanyos")
    got = flags(text)
    assert ("fragment", "dividing the pens in the") in got
    assert ("fragment", "In June, Biden also called") in got
    assert ("fragment", "individual businesses that comprise") in got
    assert ("fragment", "were working towards a “phase one” trade deal.") in got
    frag = [i for i in scan(text) if text[i.start:i.end].startswith("The day following")]
    assert frag and frag[0].terms == ["termmet"]
    # the long unfinished sentence before a fragment is not itself flagged, nor the byline
    assert len(got) == 5


def test_headings_bylines_and_notes_are_not_fragments():
    text = ("Ostriches made their final journey in a cattle truck, a court has heard\n\n"
            "By Phil Hazlewood, PA News\n\n"
            "SHOTGUN LADY OF MANOR JAILED FOR THREATENING BAILIFFS\n\n"
            "An animal welfare expert today told a court how he discovered a cattle truck.\n\n"
            "Reaction From Westminster\n\n"
            "(with pics)\n\n"
            "Date: 1999-07-16 18:05:12\n\n"
            "Mrs Owen replied: “I am very, very certain that the conversation happened.”\n\n"
            "Ends")
    assert flags(text) == []


# --- run-together sentences and stray words -------------------------------------------------


def test_run_together_sentences():
    text = ("One of the key outcomes was that they are actively pursuing a “phase one” agreement on "
            "trade.would resume direct military-to-military communications.")
    assert flags(text) == [("run_together",
                            "agreement on trade.would resume direct military-to-military communications.")]
    text = ("The vessel's six-strong crew had not yet left their bunks when it grounded in heavy "
            "seas.Pawluk, 42, was sentenced today.")
    assert flags(text)[0][0] == "run_together" and "seas.Pawluk" in flags(text)[0][1]


def test_abbreviations_initials_decimals_and_addresses_are_not_run_together():
    text = ("Secretary of State Antony Blinken told CBS News that the U.S. and China would talk. "
            "Mr. Biden met Xi at 3.30 p.m. on Wednesday, according to CBSNews.com and www.bbc.co.uk. "
            "Eagles' A.J. Brown spoke to Dr. Smith, of Langley, near Slough, Berks. He earns £4.5m a year. "
            "The report (see p. 4) was filed with the Ph.D. committee.")
    assert flags(text) == []


def test_stray_words_after_a_sentence():
    assert flags("According to a high-ranking official in the administration, the United States is "
                 "collaborating with China to pursue the goal of addressing the issue. up") == [
        ("stray_words", "addressing the issue. up")]
    assert flags('"The fact that you are the lady who lives in a manor house does not give you any '
                 'privileges," the judge said. indeed') == [("stray_words", "the judge said. indeed")]
    # an ellipsis, a question closing a quotation, an abbreviation: not stray words
    assert flags("He told the jury: 'I am just glad ... and very relieved.'") == []
    assert flags("'Are they beneath contempt?' mused Mr Browne.") == []
    assert flags("He lived in Leeds, West Yorks. who was a friend of the family, said.") == []


def test_stray_word_after_a_closing_quotation_mark():
    assert flags("“Where were you when the question is answered?” up") == [
        ("stray_words", "question is answered?” up")]
    assert flags("“Why did you do it?” asked Mr Browne.") == []
    assert flags("He was editor of the association's Holiday Which? magazine for ten years.") == []


def test_damage_the_source_already_has_is_not_the_rewrites():
    source = "He wanted the officers to look for for security reasons, in the years.In the end he left."
    candidate = "He asked the officers to look for for security reasons, in the years.In the end he went."
    assert flags(candidate) != []
    assert scan(candidate, None, frozenset(), None, [source]) == []


def test_doubled_little_words():
    assert flags("He told the the inquest at Stoke that he was sorry.") == [
        ("stray_words", "He told the the inquest at Stoke")]
    assert flags("What he had had was a warning.") == []  # "had had" is English
    assert [k for k, _ in flags("The neighbours said they had warned them them twice about the dog.")] == [
        "stray_words"]
    assert flags("She said that that was the end of the Baden Baden trip.") == []


# --- duplicated paragraphs ------------------------------------------------------------------


def test_duplicated_paragraph_reports_the_repeat():
    p = ("The judge also found that Playboy's claim that Miss McAndrew was the original model for Lara "
         "Croft was wrong, and that she was only the third of several models used since the game's launch.")
    text = f"Mr Hamer hit back.\n\n{p}\n\n{p}\n\nPlayboy was ordered to pay costs."
    got = scan(text)
    assert [(i.kind, i.start) for i in got] == [("duplicate", text.index(p, text.index(p) + 1))]


# --- detector and the cases -----------------------------------------------------------------


def _ctx(source: str, candidate: str, derived: bool = True) -> Context:
    from unspin.segment import segment

    src, cand = segment(Document.from_text(source)), segment(Document.from_text(candidate))
    al = Alignment([], Coverage(0.8, 0.8, 0.1), src.sentences, cand.sentences)
    return Context.build([src], cand, al, Verdict("wholly_derived" if derived else "not_derived",
                                                  0.9 if derived else 0.1, derived))


def test_detector_spans_point_into_the_candidate_and_respect_the_verdict():
    source = "Pawluk, 42, was today sentenced at Newcastle Crown Court."
    candidate = "It grounded in heavy seas.Pawluk, 42, was sentenced today at Newcastle Crown Court."
    fs = garbled.detect(_ctx(source, candidate))
    assert len(fs) == 1 and fs[0].type == "garbled_text" and fs[0].severity in ("low", "medium")
    assert candidate[fs[0].candidate.start:fs[0].candidate.end] == fs[0].candidate.text
    assert fs[0].details["kind"] == "run_together"
    assert garbled.detect(_ctx(source, candidate, derived=False)) == []


def _load_scorer(shared: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_cases", shared / "tools" / "score_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _case_dirs(shared: Path) -> list[Path]:
    dev = sorted(p.parent for p in (shared / "cases" / "dev").glob("*/expected.json"))
    return [shared / "cases" / "seed", *dev]


def test_cases_required_garbled_text_found(shared):
    from unspin.ingest import load

    sc = _load_scorer(shared)
    missed, extra = [], []
    for case in _case_dirs(shared):
        exp = json.loads((case / "expected.json").read_text())
        cand = load(case / "candidate.txt")
        known = source_vocabulary([load(case / "source.txt").text])
        issues = scan(cand.text, [(p.start, p.end) for p in cand.paragraphs], known, cand.title)
        spans = [cand.text[i.start:i.end] for i in issues]
        want = [e for e in exp["findings"] if "garbled_text" in {e["type"], *e.get("also_accept", [])}]
        for e in want:
            hit = any(sc.overlap(e["candidate_text"], s)[0] >= 0.5 for s in spans)
            if e["type"] == "garbled_text" and e["required"] and not hit:
                missed.append(f"{case.name}:{e['id']}")
        # every flag is one the annotators list (garbled or an inserted fragment)
        for s in spans:
            if not any(sc.overlap(e["candidate_text"], s)[0] >= 0.5 for e in want):
                extra.append(f"{case.name}:{s[:50]}")
    assert missed == []
    assert extra == []


def test_clean_bodies_raise_nothing(shared):
    """Every source body (PA copy, scraped pages after extraction), and the nearly clean dev
    candidates, have no garbling; the one typo in a source ("dfending") is a real non-word."""
    from unspin.ingest import load

    terms, other = [], []
    texts = [load(case / "source.txt") for case in _case_dirs(shared)]
    texts += [load(shared / "cases" / "dev" / n / "candidate.txt")
              for n in ("05-royal-daimler-drink-driver", "10-magistrate-asleep", "12-ba-fine-virgin")]
    for doc in texts:
        for i in scan(doc.text, [(p.start, p.end) for p in doc.paragraphs], frozenset(), doc.title):
            (terms.extend(i.terms) if i.kind == "non_word" else other.append(doc.text[i.start:i.end]))
    assert other == []
    assert set(terms) <= {"dfending"}


def test_source_subheads_are_not_fragments():
    """A short heading line the source itself has is the source's layout, not garbling."""
    from unspin.findings.garbled import scan

    source = "The council met on Tuesday.\n\nHow the project will be paid for\n\nThe grant covers half."
    candidate = "The council met on Tuesday.\n\nHow the project will be paid for\n\nHalf comes from a grant."
    assert scan(candidate, sources=[source]) == []
    assert scan(candidate.replace("paid for", "paid for the"), sources=[source])


# --- hard line wraps ------------------------------------------------------------------------

WRAP_SOURCE = ("Certificate programs allow students to focus on a particular topic of interest through a "
               "five- to nine-course program of study. Students choosing certificate programs usually have "
               "either an Associate or Bachelor's degree and seek specific knowledge in one subject area.\n\n"
               "Depression Useful information and websites relating to depression. Eating Disorders "
               "Information and useful websites on anorexia, bulimia and other eating disorders.\n\n"
               "In June, Biden also called his Chinese counterpart a dictator while speaking to supporters.")
# the same sentences as a crawled page gives them: lines broken anywhere, no blank lines
WRAP_CANDIDATE = ("Admissions Home Apply Now\n"
                  "Certificate programs allow students to focus on a particular topic of interest through a\n"
                  "five- to nine-course program of study. Students choosing certificate programs usually "
                  "have either an\n"
                  "Associate or Bachelor's degree and seek specific knowledge in one subject\n"
                  "area.\n"
                  "Depression Useful information and websites relating to depression. Eating\n"
                  "Disorders Information and useful websites on\n"
                  "anorexia, bulimia\n"
                  "and other eating disorders.\n")


def test_a_wrapped_paragraph_shared_by_both_sides_is_not_garbled():
    """Line breaks inside a sentence both texts have are a wrap, not fragments left by a spinner."""
    assert garbled.detect(_ctx(WRAP_SOURCE, WRAP_CANDIDATE)) == []
    # "Eating" / "Disorders" is a break no rule of the line shapes can see; the source running
    # on across it shows it is a wrap ...
    doc = Document.from_text(WRAP_CANDIDATE)
    paragraphs = [(p.start, p.end) for p in doc.paragraphs]
    assert any(doc.text[a:b].endswith("depression. Eating") for a, b in paragraphs)
    assert scan(doc.text, paragraphs, sources=[WRAP_SOURCE], soft_breaks=garbled.soft_breaks(doc)) == []
    # ... which a source that stops there does not
    cut = WRAP_SOURCE.replace("Eating Disorders Information", "Sleep Disorders Information")
    got = scan(doc.text, paragraphs, sources=[cut], soft_breaks=garbled.soft_breaks(doc))
    assert [(i.kind, doc.text[i.start:i.end][-18:]) for i in got] == [("fragment", "depression. Eating")]


def test_a_fragment_the_source_does_not_continue_is_still_flagged():
    """A piece of a sentence whose rest is gone (the spinner's damage) is flagged on its own line,
    as it is between blank lines."""
    for sep in ("\n", "\n\n"):
        candidate = sep.join(["The summit ended on Thursday.", "In June, Biden also called",
                              "Cameras captured Blinken's uncomfortable response."])
        fs = garbled.detect(_ctx(WRAP_SOURCE, candidate))
        got = [(f.details["kind"], f.candidate.text) for f in fs]
        assert got == [("fragment", "In June, Biden also called")], sep


def test_verbatim_pan_passages_raise_no_garbled_text(shared):
    """PAN 2013 verbatim reuse (02-no-obfuscation): the pages are wrapped at random places, and
    no wrap inside a copied passage is reported as garbled text."""
    import json

    import unspin

    pan = shared / "data" / "pan13"
    if not (pan / "pairs.jsonl").exists():
        import pytest

        pytest.skip("PAN 2013 data not found")
    pairs = [json.loads(line) for line in (pan / "pairs.jsonl").read_text().splitlines()]
    pairs = [p for p in pairs if p["category"] == "02-no-obfuscation"][:8]
    inside = []
    for p in pairs:
        src = (pan / "src" / p["src"]).read_text(encoding="utf-8")
        susp = (pan / "susp" / p["susp"]).read_text(encoding="utf-8")
        report = unspin.compare(Document.from_text(src), Document.from_text(susp))
        doc = report.candidate.doc
        for f in report.findings:
            if f.type != "garbled_text":
                continue
            a, b = doc.to_input(f.candidate.start), doc.to_input(f.candidate.end - 1)
            if any(c["this_offset"] <= a and b < c["this_offset"] + c["this_length"] for c in p["cases"]):
                inside.append((p["susp"], f.candidate.text[:60]))
    assert inside == []
