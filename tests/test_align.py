"""Alignment on real sentences: the seed pair, constructed merges and splits, coverage sanity."""

from __future__ import annotations

import numpy as np
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


def _runs_by_matches(src: list[str], cand: list[str]) -> list[int]:
    """The longest shared run ending at each candidate word, by dynamic programming over every
    matching position: the plain definition ``shared_runs`` must agree with."""
    out, prev = [], {}
    where: dict[str, list[int]] = {}
    for p, t in enumerate(src):
        where.setdefault(t, []).append(p)
    for t in cand:
        cur = {p: prev.get(p - 1, 0) + 1 for p in where.get(t, ())}
        out.append(max(cur.values(), default=0))
        prev = cur
    return out


def test_shared_runs_agrees_with_the_plain_definition():
    import random

    rng = random.Random(7)
    for _ in range(400):
        vocab = rng.choice([1, 2, 3, 6, 30])
        src = [str(rng.randrange(vocab)) for _ in range(rng.randrange(0, 50))]
        cand = [str(rng.randrange(vocab)) for _ in range(rng.randrange(0, 50))]
        if src and rng.random() < 0.4:  # plant a copied stretch
            a = rng.randrange(len(src))
            cand[5:5] = src[a:a + rng.randrange(1, 25)]
        assert shared_runs(src, cand).tolist() == _runs_by_matches(src, cand), (src, cand)


def test_shared_runs_is_linear_on_common_words():
    # "the" 20,000 times on each side: 400 million matching positions for a dynamic programme
    src = ["the", "a", "of"] * 20_000
    cand = ["the", "of", "a"] * 20_000
    runs = shared_runs(src, cand)
    assert runs.max() == 1 and len(runs) == 60_000
    assert shared_runs(src, src[1:]).max() == 59_999


def _dense_shared(src_sets, cand_sets, weight=None):
    out = np.zeros((len(src_sets), len(cand_sets)))
    for i, f in enumerate(src_sets):
        for j, g in enumerate(cand_sets):
            common = list(f & g)
            out[i, j] = len(common) if weight is None else float(
                weight(np.array([hash(w) for w in common], dtype=np.int64)).sum()) if common else 0.0
    return out


def test_feature_join_blocks_and_dense_counts_are_exact(monkeypatch):
    """The sparse join cut into blocks, and common features counted densely, give the same
    matrices as one join (counts exactly; idf mass to float32 rounding of the same sums)."""
    import random

    import unspin.align as al

    rng = random.Random(3)
    words = [f"w{k}" for k in range(40)]
    src = [set(rng.sample(words[: rng.choice([5, 40])], rng.randrange(0, 6))) for _ in range(60)]
    cand = [set(rng.sample(words, rng.randrange(0, 12))) for _ in range(50)] + [set(words)] * 5
    keys = np.array(sorted({hash(w) for w in words}), dtype=np.int64)
    values = np.linspace(1.0, 3.0, len(keys))

    def weight(k):
        return values[np.searchsorted(keys, k)]

    base_counts, base_mass = al._shared(src, cand), al._shared(src, cand, weight)
    assert np.array_equal(base_counts, _dense_shared(src, cand).astype(np.float32))
    assert np.allclose(base_mass, _dense_shared(src, cand, weight), rtol=1e-6)
    for chunk, dense_min, share, most in ((7, 10**12, 1.0, 2048), (10**9, 1, 1e-9, 2048),
                                          (50, 20, 0.01, 2048), (50, 1, 1e-9, 3)):
        monkeypatch.setattr(al, "JOIN_CHUNK", chunk)
        monkeypatch.setattr(al, "DENSE_MIN", dense_min)
        monkeypatch.setattr(al, "DENSE_SHARE", share)
        monkeypatch.setattr(al, "DENSE_MAX", most)
        assert np.array_equal(al._shared(src, cand), base_counts)
        assert np.array_equal(al._shared(src, cand, weight), base_mass)
    monkeypatch.setattr(al, "_blas", False)  # no threadpoolctl: no dense product either
    assert not al.blas_pinnable()
    assert np.array_equal(al._shared(src, cand), base_counts)


def test_repeated_sentences_score_as_their_first_copy(encoder, monkeypatch):
    """Pair scores of repeated sentences are computed once and spread: the same matrices as
    when every copy is scored on its own."""
    import unspin.align as al

    para = SOURCE.split("\n\n")
    src_text = "\n\n".join([para[0], para[1], para[0], para[0]])
    cand_text = "\n\n".join([para[1], para[0], para[1]])
    spread = align([_seg(src_text)], _seg(cand_text), encoder)
    monkeypatch.setattr(al, "_distinct", lambda texts: (list(range(len(texts))), None))
    each = align([_seg(src_text)], _seg(cand_text), encoder)
    assert np.array_equal(spread.similarity, each.similarity)
    assert spread.links == each.links and spread.coverage == each.coverage
