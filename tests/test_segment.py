"""Segmentation: normalisation with offsets, sentences, quotations and their speakers.

Unit checks use short strings copied from the seed and dev cases; the rest read the cases
from ../shared (skipped where absent) and check every offset exactly.
"""

from __future__ import annotations

import glob
import time
from pathlib import Path

import pytest

from unspin.segment import canonical_speaker, segment, split_sentences
from unspin.types import Document, Span, UnspinError

# --- helpers --------------------------------------------------------------------------------


def _doc(text: str, paragraphs: list[tuple[int, int]] | None = None) -> Document:
    spans = [Span(a, b, text[a:b]) for a, b in paragraphs or []]
    return Document(text=text, paragraphs=spans)


def _sents(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def _case(shared: Path, rel: str) -> Document:
    return _doc((shared / "cases" / rel).read_text(encoding="utf-8"))


def _quote(seg, start: str):
    found = [q for q in seg.quotes if q.text.startswith(start)]
    assert found, f"no quote starting {start!r}"
    return found[0]


def _check_offsets(seg) -> None:
    text = seg.doc.text
    last_end = -1
    for i, s in enumerate(seg.sentences):
        assert s.index == i
        assert s.text == text[s.start:s.end] == s.text.strip() and s.text
        assert s.start >= last_end
        last_end = s.end
    for q in seg.quotes:
        assert q.text == text[q.start:q.end] and q.text == q.text.strip()
        sent = seg.sentences[q.sentence]
        assert sent.start <= q.start <= sent.end + 1
        if q.speaker_span is not None:
            sp = q.speaker_span
            assert sp.text == text[sp.start:sp.end]


# --- sentences ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "In his solo news conference following Wednesday's meeting, Mr. Biden for the second time "
    "this year referred to Xi as a \"dictator\" in response to a reporter's question.",
    "Blinken calls U.S.-China relationship \"one of the most consequential\" in the world",
    "\"In terms of actually making a difference in the lives of the American people, the number one "
    "killer of Americans aged 18-to-49 is fentanyl,\" Blinken said.",
    "George W. Bush met Gov. Smith and Sen. Jones on Jan. 5 in St. Louis.",
    "Mrs Thompson told the court: “I thought I was going to be shot ... I was scared for my life”.",
    "It rose 1.5 per cent to 1,000 p.a. at the U.N. Security Council.",
    "\"Why?\" Blinken asked.",
    "See CBSNews.com or www.bbc.co.uk/news, e.g. this one, or mail john.smith@cbs.com today.",
])
def test_no_split(text):
    assert _sents(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("Mr. Biden also said that Xi had agreed to cooperate. In recent years, the U.S. has been working.",
     ["Mr. Biden also said that Xi had agreed to cooperate.", "In recent years, the U.S. has been working."]),
    # a quote running over two sentences is two sentences; the quote is tracked separately
    ("\"Yesterday, we agreed,\" Blinken told CBS News. \"And this is a very important way.\"",
     ["\"Yesterday, we agreed,\" Blinken told CBS News.", "\"And this is a very important way.\""]),
    ("and then coming into the U.S. We now have an agreement with China.",
     ["and then coming into the U.S.", "We now have an agreement with China."]),
    # closing quote stays with its sentence
    ("He said: “It is over.” Then he left.", ["He said: “It is over.”", "Then he left."]),
    # spun run-togethers are split so a later stage can flag them
    ("that they are actively pursuing a “phase one” agreement on trade.would resume direct "
     "military-to-military communications.",
     ["that they are actively pursuing a “phase one” agreement on trade.",
      "would resume direct military-to-military communications."]),
    ("brandishing it and pointing it at the two bailiffs.You had the specific intention.",
     ["brandishing it and pointing it at the two bailiffs.", "You had the specific intention."]),
    ("He said no. Ask for No. 10 Downing Street.", ["He said no.", "Ask for No. 10 Downing Street."]),
    # lines without terminal punctuation are sentences of their own
    ("The day following President Biden’s termmet with\n\nThe secretary of state spoke.",
     ["The day following President Biden’s termmet with", "The secretary of state spoke."]),
    ("- In:\n- Antony Blinken\n- Fentanyl", ["- In:", "- Antony Blinken", "- Fentanyl"]),
])
def test_split(text, expected):
    assert _sents(text) == expected


def test_sentences_never_cross_paragraphs():
    text = "First paragraph without a stop\n\nsecond one starts lowercase. Then more."
    seg = segment(_doc(text))
    assert [s.text for s in seg.sentences] == ["First paragraph without a stop",
                                               "second one starts lowercase.", "Then more."]
    assert [s.paragraph for s in seg.sentences] == [0, 1, 1]


def test_hard_wrapped_paragraph_is_not_split_at_line_ends():
    text = ("The court heard that the lorry was stopped between junctions six and\n"
            "seven of the northbound M6 at Perry Barr, Birmingham, on February 9,\n"
            "1998, for a routine vehicle check.\n\nNext paragraph.")
    assert _sents(text)[0].endswith("for a routine vehicle check.")
    assert len(_sents(text)) == 2


def test_explicit_paragraph_spans_are_used():
    text = "One. Two\nThree\n\nFour."
    seg = segment(_doc(text, [(0, 14), (16, 21)]))
    assert [(s.text, s.paragraph) for s in seg.sentences] == [
        ("One.", 0), ("Two", 0), ("Three", 0), ("Four.", 1)]


# --- quotations -----------------------------------------------------------------------------


def test_apostrophes_are_not_quotes():
    text = ("Birmingham Magistrates' Court heard the birds' heads were hurt in the 90's, O'Donnell said. "
            "Rock 'n' roll, he said. They don't.")
    assert segment(_doc(text)).quotes == []


def test_nested_single_quotes_belong_to_the_outer_quote():
    text = ("\"As the president said yesterday, 'trust but verify,' and that's what we're doing,\" "
            "Blinken said.")
    seg = segment(_doc(text))
    assert [q.text for q in seg.quotes] == [
        "As the president said yesterday, 'trust but verify,' and that's what we're doing,"]
    assert seg.quotes[0].speaker == "Blinken"


def test_single_quotes_as_primary_quotes_and_plural_possessive():
    text = "He added: 'The boys' cage was broken,' and left. PGA CHIEFS `LIKED TO SEE WOMEN', TRIBUNAL TOLD"
    seg = segment(_doc(text))
    assert [q.text for q in seg.quotes] == ["The boys' cage was broken,", "LIKED TO SEE WOMEN"]


def test_quote_continued_over_paragraphs_keeps_its_speaker():
    text = ("Judge Griggs said: “I understand that you are now somewhat critical.\n\n"
            "“The shotgun was a genuine firearm.\n\n"
            "“You had the specific intention of putting officers in danger.”\n\n"
            "He said there was a risk.")
    seg = segment(_doc(text))
    _check_offsets(seg)
    assert [q.text for q in seg.quotes] == [
        "I understand that you are now somewhat critical.", "The shotgun was a genuine firearm.",
        "You had the specific intention of putting officers in danger."]
    assert {q.speaker for q in seg.quotes} == {"Judge Griggs"}


def test_inverted_and_pronoun_attribution_with_gender():
    text = ("Mr Smith said: \"It's done.\" Ms Jones said she disagreed. \"No,\" she said. "
            "\"Yes,\" he said. “First part,” said Mr. Biden.")
    seg = segment(_doc(text))
    assert [(q.text, q.speaker) for q in seg.quotes] == [
        ("It's done.", "Mr Smith"), ("No,", "Ms Jones"), ("Yes,", "Mr Smith"), ("First part,", "Mr. Biden")]
    assert seg.quotes[1].speaker_span.text == "she"


def test_titles_and_names_are_not_speech():
    text = ("\"This is one of the most consequential relationships we have,\" Blinken told "
            "\"CBS News Evening News\" anchor Norah O'Donnell Thursday.")
    seg = segment(_doc(text))
    assert [(q.text, q.speaker) for q in seg.quotes] == [
        ("This is one of the most consequential relationships we have,", "Blinken"),
        ("CBS News Evening News", None)]


def test_canonical_speaker():
    assert canonical_speaker("Mr Barry Berlin") == canonical_speaker("Mr Berlin") == \
        canonical_speaker("Berlin") == "berlin"
    assert canonical_speaker("Mr. Biden") == canonical_speaker("President Biden") == "biden"
    assert canonical_speaker("Secretary of State Antony Blinken") == "blinken"
    assert canonical_speaker("Mrs Justice Smith") == "smith"
    assert canonical_speaker("Recorder Nicola Davies QC") == "davies"
    assert canonical_speaker("Nicholas O'Brien") == canonical_speaker("Mr O’Brien") == "o'brien"
    assert canonical_speaker("A spokesperson for China's foreign ministry") == "spokesperson"
    assert canonical_speaker("The Environment Agency spokesman") == "spokesman"
    assert canonical_speaker("the judge") == "judge"
    assert canonical_speaker(None) == canonical_speaker("") == ""


def test_bad_input():
    with pytest.raises(UnspinError):
        segment("not a document")  # type: ignore[arg-type]
    with pytest.raises(UnspinError):
        segment(Document(text="short", paragraphs=[Span(0, 50, "short")]))
    assert segment(_doc("")).sentences == []


# --- the seed case --------------------------------------------------------------------------


def test_seed_source_quotes_and_speakers(shared):
    seg = segment(_case(shared, "seed/source.txt"))
    _check_offsets(seg)
    texts = [s.text for s in seg.sentences]
    assert ("\"Well look, he is,\" Mr. Biden said.") in texts
    assert any(t.startswith("In his solo news conference") and t.endswith("reporter's question.")
               for t in texts)
    assert _quote(seg, "Well look, he is,").speaker == "Mr. Biden"
    assert _quote(seg, "I mean, he's a dictator").speaker == "Mr. Biden"  # next sentence, same speaker
    assert _quote(seg, "This is one of the most consequential relationships we have,").speaker == "Blinken"
    assert _quote(seg, "One of the most consequential relationships between").speaker == "Blinken"
    assert _quote(seg, "Not car accidents").speaker == "Blinken"
    assert _quote(seg, "have been coming from China").speaker == "Blinken"  # "Precursors, Blinken said, ..."
    q = _quote(seg, "have been coming from China")
    assert q.text.endswith("engaged in this practice.")  # one quote over two sentences
    assert seg.sentences[q.sentence].text.startswith("The chemical precursors, Blinken said,")
    assert _quote(seg, "speaks for all of us.").speaker == "Blinken"  # "Blinken responded that ..."
    assert _quote(seg, "It's clear that we will continue").speaker == "Blinken"  # "Blinken continued"
    assert canonical_speaker(_quote(seg, "one of the most consequential relationships").speaker) == "blinken"
    spokes = "A spokesperson for China's foreign ministry"
    assert _quote(seg, "wrong").speaker == spokes
    assert _quote(seg, "irresponsible.").speaker == spokes
    assert _quote(seg, "CBS News Evening News").speaker is None
    assert not any(q.text.strip(",") == "trust but verify" for q in seg.quotes)


def test_seed_candidate(shared):
    seg = segment(_case(shared, "seed/candidate.txt"))
    _check_offsets(seg)
    texts = [s.text for s in seg.sentences]
    assert "would resume direct military-to-military communications." in texts
    assert any(t.endswith("a “phase one” agreement on trade.") for t in texts)
    assert "The day following President Biden’s termmet with" in texts
    assert _quote(seg, "It appears that he is,").speaker == "Mr. Biden"  # stated Mr. Biden
    assert _quote(seg, "To clarify").speaker == "Mr. Biden"
    assert _quote(seg, "As the president stated yesterday").speaker == "Blinken"
    assert _quote(seg, "incorrect").speaker == "The Chinese foreign ministry’s representative"


# --- dev cases ------------------------------------------------------------------------------


def test_dev01_court_reporting_and_multi_paragraph_quotes(shared):
    seg = segment(_case(shared, "dev/01-ostrich-cattle-truck/source.txt"))
    _check_offsets(seg)
    first = _quote(seg, "I was amazed to see a cattle truck")
    assert first.text.endswith("what he had on board.")  # to the end of its paragraph
    assert first.speaker == "Mr Taylor"  # Mr Taylor said: “...
    cont = _quote(seg, "The vehicle was not adapted")  # the paragraph that opens the quote again
    assert cont.speaker == "Mr Taylor" and seg.sentences[cont.sentence].paragraph == \
        seg.sentences[first.sentence].paragraph + 1
    gates = _quote(seg, "The partition gates")
    assert gates.speaker == "Mr Taylor" and gates.speaker_span.text == "he"  # he told the court
    assert _quote(seg, "sharp protrusions").speaker == "Mr Barry Berlin"  # Mr Barry Berlin, prosecuting, said
    assert _quote(seg, "I would have thought to transport").speaker == "Mr Taylor"  # attribution comes later
    # a follow-on paragraph with no attribution of its own
    assert _quote(seg, "I would have thought that the ventilation").speaker == "Mr Taylor"
    assert _quote(seg, "inter-ostrich activity").speaker == "The defence"
    assert canonical_speaker(_quote(seg, "classically indicative").speaker) == "defence"  # they said
    # PA's " _ " dashes are not sentence or quote boundaries
    assert any("26 birds _ destined for a slaughterhouse _ were covered in blood." in s.text
               for s in seg.sentences)


def test_dev01_candidate_attribution_is_as_written(shared):
    seg = segment(_case(shared, "dev/01-ostrich-cattle-truck/candidate.txt"))
    _check_offsets(seg)
    assert _quote(seg, "sharp protrusions").speaker == "Mr Taylor"  # the rewrite moved it from Berlin
    assert _quote(seg, "This was an accident waiting to happen").speaker == "Mr Berlin"
    assert _quote(seg, "classically indicative").speaker == "the defence"  # According to the defence


def test_dev02_straight_quotes_and_the_judge(shared):
    seg = segment(_case(shared, "dev/02-shotgun-lady-bailiffs/candidate.txt"))
    _check_offsets(seg)
    texts = [s.text for s in seg.sentences]
    assert any(t.endswith("pointing it at the two bailiffs.") for t in texts)
    assert "You had the specific intention of putting officers of the court in danger while they were " \
           "carrying out their duties.\"" in texts
    assert _quote(seg, "The bailiffs arriving").speaker == "Judge Jeremy Griggs"  # the spun attribution
    fact = _quote(seg, "The fact that you are the lady")
    assert fact.speaker == "Judge Griggs" and fact.speaker_span.text == "the judge"
    assert _quote(seg, "Remember you're an Amor.").speaker == "Mrs Amor"

    src = segment(_case(shared, "dev/02-shotgun-lady-bailiffs/source.txt"))
    assert _quote(src, "The bailiffs arriving").speaker == "Mr O'Brien"  # “...,” he said
    assert _quote(src, "I thought I was going to be shot").speaker == "Mrs Thompson"


def test_dev_speakers_named_with_roles(shared):
    seg = segment(_case(shared, "dev/10-magistrate-asleep/source.txt"))
    assert _quote(seg, "A magistrate fell asleep").speaker == "Tim Brown"  # His solicitor Tim Brown, of ...
    assert _quote(seg, "Giving evidence was a bad experience").speaker == "Mrs Sandy Strover"  # She said
    seg = segment(_case(shared, "dev/09-banker-thefts/source.txt"))
    assert _quote(seg, "He discovered that the firm").speaker == "Ivor Frank"
    assert _quote(seg, "a deliberate and systematic deception").speaker == "Recorder Nicola Davies QC"
    seg = segment(_case(shared, "dev/04-thames-water-sewage/source.txt"))
    assert _quote(seg, "This caused an estimated").speaker == "The Environment Agency spokesman"
    assert _quote(seg, "Some suffered from acute").speaker == "The spokesman"  # after "He said due to ..."
    seg = segment(_case(shared, "dev/07-lara-croft-playboy/source.txt"))
    assert _quote(seg, "TARNISHED").speaker is None
    assert _quote(seg, "squeaky-clean image").speaker == "George Hamer"  # had been told by George Hamer


def test_all_cases_offsets_and_counts(shared):
    paths = sorted(glob.glob(str(shared / "cases" / "seed" / "*.txt"))) + sorted(
        glob.glob(str(shared / "cases" / "dev" / "*" / "*.txt")))
    assert len(paths) >= 26
    total_quotes = attributed = 0
    for p in paths:
        seg = segment(_doc(Path(p).read_text(encoding="utf-8")), doc_index=3)
        _check_offsets(seg)
        assert all(s.doc == 3 for s in seg.sentences) and all(q.doc == 3 for q in seg.quotes)
        total_quotes += len(seg.quotes)
        attributed += sum(1 for q in seg.quotes if q.speaker)
    assert total_quotes > 200
    assert attributed / total_quotes > 0.75


def test_with_ingested_document(shared):
    ingest = pytest.importorskip("unspin.ingest")
    text = (shared / "cases" / "dev" / "01-ostrich-cattle-truck" / "source.txt").read_text(encoding="utf-8")
    doc = ingest.document_from_plain_text(text)
    seg = segment(doc)
    _check_offsets(seg)
    assert _quote(seg, "The vehicle was not adapted").speaker == "Mr Taylor"


def test_speed(shared):
    doc = _case(shared, "seed/source.txt")  # about 1,100 words with its page clutter
    segment(doc)
    best = min(_timed(lambda: segment(doc)) for _ in range(5))
    assert best < 0.05  # measured ~2-4 ms; generous for a loaded CI machine


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t
