"""Scale: repeated text finishes with a result, and the indexes that replaced whole-document
scans answer exactly as the scans did (bench/scale.py has the timings and memory)."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

import unspin
from unspin import Document
from unspin.align import shared_runs, verbatim_mask

# A court story's paragraph: two sentences of quotation and narration with a named speaker.
PARAGRAPH = ("“I felt from the start that what you had done to me was so serious, I wanted this matter "
             "to be brought before a jury,” Mr Burstein told the court. He said the diary item had "
             "called him an aggressively self-righteous composer who organised hecklers.")
SENTENCE = "Mr Rushbrooke said The Times had offered to pay Mr Burstein's legal costs and a sum of £500."
ARTICLE = (
    "Composer Keith Burstein, seeking damages from The Times, told the High Court today that he did "
    "voice disapproval at the end of a concert.\n\n" + PARAGRAPH + "\n\n" + SENTENCE + "\n\n"
    "Justin Rushbrooke, representing the newspaper, asked whether he had heckled the performers. "
    "The hearing continues tomorrow."
)


def _compare(source: str, candidate: str):
    return unspin.compare(Document.from_text(source), Document.from_text(candidate), judge="rules")


@pytest.mark.parametrize("source, candidate", [
    ("\n\n".join([PARAGRAPH] * 300), ARTICLE),
    (ARTICLE, "\n\n".join([PARAGRAPH] * 300)),
    ("\n\n".join([PARAGRAPH] * 300), "\n\n".join([PARAGRAPH] * 300)),
    (ARTICLE, " ".join([SENTENCE] * 600)),
    (" ".join([SENTENCE] * 600), " ".join([SENTENCE] * 600)),
], ids=["paragraph-source", "paragraph-candidate", "paragraph-both", "sentence-candidate", "sentence-both"])
def test_repeated_text_finishes_with_a_result(source, candidate):
    """Text pasted hundreds of times, on either side or both: a verdict, and (where derived)
    passages and findings, without the joins growing with the product of the repeats."""
    rep = _compare(source, candidate)
    assert rep.verdict.label in ("wholly_derived", "partially_derived", "not_derived")
    assert len(rep.alignment.similarity) == len(rep.candidate.sentences)
    if source == candidate:
        assert rep.verdict.derived and rep.passages
        assert rep.alignment.coverage.verbatim > 0.95


def test_repeated_quotation_is_no_attribution_evidence():
    """A quotation given to another speaker is an attribution change; one the source repeats
    in more than MAX_HOLDERS places has too many holders to tell whose it is."""
    from unspin.findings.quotes import MAX_HOLDERS

    cand = PARAGRAPH.replace("Mr Burstein told", "Mrs Rushbrooke told").replace("He said", "She said")

    def quote_attributions(copies: int) -> list:
        rep = _compare("\n\n".join([PARAGRAPH] * copies), cand)
        return [f for f in rep.findings if f.type == "attribution_change" and "quote" in f.details]

    assert quote_attributions(1) and quote_attributions(2)
    assert not quote_attributions(MAX_HOLDERS + 5)


# ---------------------------------------------------------------------------------------------
# indexes against the scans they replace


def test_passage_run_index_matches_shared_runs():
    from unspin.passages import VERBATIM_RUN, RunIndex, flatten

    rng = random.Random(5)
    for _ in range(60):
        vocab = rng.choice([2, 4, 12])
        src = [[str(rng.randrange(vocab)) for _ in range(rng.randrange(0, 9))] for _ in range(12)]
        cand = [[str(rng.randrange(vocab)) for _ in range(rng.randrange(0, 9))] for _ in range(12)]
        cand[3] = src[2] + src[3]  # a copied stretch across a sentence break
        sf, so = flatten(src)
        cf, co = flatten(cand)
        for n in (VERBATIM_RUN, 8):
            index = RunIndex(cf, sf, n)
            for _ in range(20):
                c0, s0 = rng.randrange(12), rng.randrange(12)
                c1, s1 = rng.randrange(c0, 12), rng.randrange(s0, 12)
                c = [t for toks in cand[c0:c1 + 1] for t in toks]
                s = [t for toks in src[s0:s1 + 1] for t in toks]
                want = verbatim_mask(shared_runs(s, c), n)
                got = index.mask(co[c0], co[c1 + 1], so[s0], so[s1 + 1])
                assert np.array_equal(got, want)


TRICKY = ("Mr Smith-Jones and mrs O'Brien met SMITH. “Smith,” said Mrs. Smith; a-a-a a-a. "
          "His wife Kathy, Mrs Kathy-Ann and wife  Kathy. Sir  sir JOHN, mr johnson, Mr John-Paul. "
          "£500 to Ms Jane and MISS jane, his daughter,\tJane.")


@pytest.mark.parametrize("text", [TRICKY, TRICKY.replace("Smith.", "\u212aelvin Smith."),
                                  TRICKY.replace("said", "\u017faid"), TRICKY + " \u0130stanbul"])
def test_name_search_matches_regex_scan(text):
    from unspin.findings.quoted import DocQuotes

    dq = DocQuotes(None, text, [])  # only the text is read
    names = {w.lower() for w in re.findall(r"[\w'’\-]+", text)} | {"a-a", "kelvin", "said", "istanbul"}
    for name in sorted(names):
        want = [m.span() for m in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE)]
        assert [m.span() for m in dq.name_matches(name)] == want, name


def test_given_name_gender_matches_regex_scan():
    from types import SimpleNamespace

    from unspin.findings.quotes import given_gender
    from unspin.lang.en.people import KIN_GENDER, SPEAKER_TITLES

    def scan(person, docs):  # the per-person scan the prefix index replaced
        words = re.findall(r"[A-Z][\w'’\-]+", person.text)
        if len(words) < 2 or words[0].lower() in SPEAKER_TITLES:
            return None
        kin = "|".join(k for k, g in KIN_GENDER.items() if g)
        found = set()
        for dq in docs:
            for m in re.finditer(rf"\b(?:({kin}),?[ \t]+|(Mrs|Miss|Ms|Mr|Sir|Lady)\.?[ \t]+)"
                                 rf"{re.escape(words[0])}\b", dq.text, re.IGNORECASE):
                found.add(KIN_GENDER.get(m.group(1).lower()) if m.group(1)
                          else SPEAKER_TITLES[m.group(2).lower()])
        return found.pop() if len(found) == 1 else None

    docs = [SimpleNamespace(text=TRICKY), SimpleNamespace(text=ARTICLE)]
    for given in sorted(set(re.findall(r"[A-Z][\w'’\-]+", TRICKY + ARTICLE))):
        person = SimpleNamespace(text=f"{given} Smith")
        for pick in (docs[:1], docs):
            assert given_gender(person, pick) == scan(person, pick), given


def test_near_duplicate_paragraphs_match_full_comparison():
    from rapidfuzz import fuzz

    from unspin.findings.garbled import near_duplicate, note_seen

    rng = random.Random(11)
    words = str.split("the court heard that he had been jailed for six months after a trial")
    seen: list[str] = []
    lengths: list[tuple[int, str]] = []
    for _ in range(300):
        para = " ".join(rng.choice(words) for _ in range(rng.randrange(5, 30)))
        if seen and rng.random() < 0.3:  # a near copy of an earlier one
            base = rng.choice(seen)
            para = base[:-rng.randrange(1, 4)] if len(base) > 5 else base
        want = any(len(k) > 40 and fuzz.ratio(para, k) >= 95 for k in seen)
        assert near_duplicate(para, lengths) == want
        if para not in seen:
            seen.append(para)
            note_seen(lengths, para)
