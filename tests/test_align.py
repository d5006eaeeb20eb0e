"""Alignment on real sentences: the seed pair, constructed merges and splits, coverage sanity."""

from __future__ import annotations

import pytest
from conftest import SHARED

from unspin.align import align, shared_runs, tokens, verbatim_mask
from unspin.embed import get_backend
from unspin.ingest import load
from unspin.segment import segment
from unspin.types import Document, UnspinError


@pytest.fixture(scope="module")
def encoder():
    return get_backend("auto")


def _seg(text: str, doc_index: int = 0):
    return segment(Document.from_text(text), doc_index=doc_index)


def _links_of(alignment, cand_index):
    return [lk for lk in alignment.links if cand_index in lk.candidate]


def _cand_index(alignment, needle):
    hits = [s.index for s in alignment.candidate_sentences if needle in s.text]
    assert hits, f"no candidate sentence contains {needle!r}"
    return hits[0]


@pytest.fixture(scope="module")
def seed_alignment(encoder):
    if not (SHARED / "cases").is_dir():
        pytest.skip(f"shared material not found at {SHARED} (annotated cases live there)")
    case = SHARED / "cases" / "seed"
    return align([segment(load(case / "source.txt"))], segment(load(case / "candidate.txt")), encoder)


def test_seed_paraphrase_links_to_its_source_sentence(seed_alignment):
    a = seed_alignment
    i = _cand_index(a, "He also emphasized that the relationship between the U.S. and China")
    links = _links_of(a, i)
    assert links, "the paraphrased sentence should be linked"
    src = " ".join(a.source_sentences[j].text for lk in links for j in lk.source)
    assert "the U.S. has with any nation" in src
    assert links[0].kind in ("paraphrase", "near_verbatim", "partial")


def test_seed_fabricated_phase_one_fragment_is_not_a_strong_link(seed_alignment):
    a = seed_alignment
    i = _cand_index(a, "were working towards a")
    assert all(lk.kind == "partial" for lk in _links_of(a, i))
    assert a.candidate_best[i] < 0.42


def test_seed_omitted_source_sentences_stay_unlinked(seed_alignment):
    a = seed_alignment
    linked = {j for lk in a.links for j in lk.source}
    omitted = [s.index for s in a.source_sentences if "our militaries would start talking again" in s.text]
    assert omitted and omitted[0] not in linked


def test_seed_links_mostly_in_source_order(seed_alignment):
    links = sorted(seed_alignment.links, key=lambda lk: lk.candidate[0])
    forward = sum(b.source[0] >= a.source[-1] for a, b in zip(links, links[1:], strict=False))
    assert forward >= 0.8 * (len(links) - 1)
    cov = seed_alignment.coverage
    assert cov.verbatim < 0.1 < 0.5 < cov.candidate_supported


SOURCE = (
    "The council approved a new budget for the city library on Monday evening. "
    "The plan adds two hundred thousand pounds for children's reading programmes. "
    "Opponents said the money should have gone to road repairs instead.\n\n"
    "The library will also open on Sundays from next spring, the council said. "
    "Staff unions have welcomed the extra hours but asked for more recruitment."
)


def test_two_source_sentences_merged_into_one(encoder):
    cand = (
        "On Monday evening councillors passed a fresh city library budget that puts an extra "
        "two hundred thousand pounds into reading programmes for children. "
        "Critics argued the cash belonged to road repairs. "
        "From next spring the library will open on Sundays as well, according to the council. "
        "Unions representing staff welcomed the longer hours but want more recruitment."
    )
    a = align([_seg(SOURCE)], _seg(cand), encoder)
    first = _links_of(a, 0)
    assert first and set(first[0].source) == {0, 1}, [(lk.source, lk.candidate) for lk in a.links]
    assert all(len(_links_of(a, i)) == 1 for i in range(len(a.candidate_sentences)))


def test_one_source_sentence_split_in_two(encoder):
    src = ("The company, which employs four hundred people at its factory in Leeds, said on Tuesday "
           "that it would close the site by the end of the year because demand for its boilers had fallen.")
    cand = ("The company employs four hundred people at its Leeds factory. "
            "On Tuesday it said the site would close by the end of the year because demand for its "
            "boilers had fallen.")
    a = align([_seg(src)], _seg(cand), encoder)
    assert len(a.links) == 1 and a.links[0].candidate == (0, 1) and a.links[0].source == (0,)


def test_inserted_sentence_stays_unlinked(encoder):
    cand = (
        "The council approved a new budget for the city library on Monday evening. "
        "The mayor's dog was seen chasing pigeons across the market square. "
        "The plan adds two hundred thousand pounds for children's reading programmes."
    )
    a = align([_seg(SOURCE)], _seg(cand), encoder)
    assert not _links_of(a, 1)
    assert [lk.kind for lk in _links_of(a, 0)] == ["verbatim"]


def test_text_against_itself(encoder):
    a = align([_seg(SOURCE)], _seg(SOURCE), encoder)
    cov = a.coverage
    assert cov.source_conveyed > 0.98 and cov.candidate_supported > 0.98 and cov.verbatim > 0.98
    assert all(lk.kind == "verbatim" and lk.source == lk.candidate for lk in a.links)
    assert len(a.links) == len(a.candidate_sentences)
    assert min(a.candidate_best) > 0.95 and min(a.source_best) > 0.95


def test_several_sources_keep_their_document(encoder):
    second = "Library staff will be consulted about the new Sunday rota before it starts."
    a = align([_seg(SOURCE, 0), _seg(second, 1)], _seg(second), encoder)
    assert a.source_sentences[-1].doc == 1
    assert a.links and a.links[0].source == (len(a.source_sentences) - 1,)


def test_empty_candidate(encoder):
    src = _seg(SOURCE)
    empty = segment(Document(text="", paragraphs=[]))
    a = align([src], empty, encoder)
    assert a.links == [] and a.coverage.candidate_supported == 0.0


def test_too_many_pairs_is_a_user_error(encoder, monkeypatch):
    import unspin.align

    monkeypatch.setattr(unspin.align, "MAX_PAIRS", 10)
    with pytest.raises(UnspinError, match="too long"):
        align([_seg(SOURCE)], _seg(SOURCE), encoder)


def test_shared_runs_and_verbatim_mask():
    src = tokens("the quick brown fox jumps over the lazy dog today")
    cand = tokens("a quick brown fox jumps over the lazy cat")
    runs = shared_runs(src, cand)
    assert runs.max() == 7
    assert verbatim_mask(runs).sum() == 7
