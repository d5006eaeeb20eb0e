"""Reused passages: maximal stretches of the candidate that carry a stretch of a source.

The sentence alignment says which sentence renders which; a user (and PAN's text-alignment
measure) asks a coarser question: which part of this page is the article's material, and
which part of the article does it carry? The recipe follows the PAN 2014 winner
(Sanchez-Perez, Sidorov and Gelbukh): *seeds* are sentence pairs that are alike (the
aligner's pair similarity) or share a run of words (word 5-grams, so a verbatim fragment
inside an otherwise rewritten sentence counts); seeds close to each other in both texts
are *clustered* into passages, bridging small gaps; a cluster that is too weak as a whole is
split again with a smaller gap; passages are *extended* by neighbouring sentences that are
still alike, and *filtered* by length and strength, keeping the stronger of two that claim
the same candidate text. Everything is linear in the number of sentences and seeds: each
candidate sentence keeps a few seeds, and a 5-gram seen too often in the source
(boilerplate, repeated text) seeds nothing.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from unspin.align import VERBATIM_RUN, tokens
from unspin.lang.en.stop_words import ALIGN_STOP_WORDS as STOPWORDS
from unspin.types import Alignment, Passage, Segmented, Span

SEED_SIM = 0.65  # a sentence pair at least this alike seeds a passage
SEEDS_PER_SENTENCE = 3  # the best few source sentences per candidate sentence
NGRAM = 5  # shared word n-grams seed verbatim fragments
NGRAM_MAX_OCC = 8  # an n-gram the source repeats more often than this is boilerplate
GAP_CAND, GAP_SRC = 3, 6  # sentences between seeds of one passage (a summary skips source)
EXTEND_SIM = 0.40  # a neighbouring sentence this alike to the passage's source joins it
VALID = 0.60  # weakest mean similarity of a passage's candidate sentences to its source
SINGLE_SIM = 0.75  # a passage of one sentence pair must be this alike...
SINGLE_WORDS = 12  # ...and this long, or share a verbatim run of RUN_ALONE words
RUN_ALONE = 8
# A passage that is not mostly copied words must carry this much evidence: candidate words,
# each counted by how far the passage's strength clears that of same-topic text (LIFT_FLOOR,
# about what two pages on one subject score) towards plain copy (LIFT_FULL).
MIN_EVIDENCE = 12.0
COPIED = 0.5  # verbatim share from which a passage is copy, kept on its shared run alone
LIFT_FLOOR, LIFT_FULL = 0.5, 0.85
QUOTE_MAX = 800  # characters: a longer "quotation" is a stray or unbalanced mark in page text
SUMMARY_COPY = 0.9  # a region this copied is not part of a summary: never merged across the source


def lift(strength: float) -> float:
    """0 at same-topic strength, 1 at plain copy."""
    return min(1.0, max(0.0, (strength - LIFT_FLOOR) / (LIFT_FULL - LIFT_FLOOR)))


@dataclass
class _Seed:
    cand: int
    src: int
    doc: int
    weight: float


def _sentence_words(sentences) -> list[list[str]]:
    return [tokens(s.text) for s in sentences]


def _ngram_pairs(cand_toks: list[list[str]], src_toks: list[list[str]]) -> dict[tuple[int, int], int]:
    """Shared word 5-grams per (candidate sentence, source sentence), n-grams spanning a
    sentence break counted for the sentence they start in. Stop-word-only n-grams ("one of
    the most") and n-grams the source repeats are ignored."""
    where: dict[tuple[str, ...], list[int]] = {}
    flat_s = [(t, j) for j, toks in enumerate(src_toks) for t in toks]
    for p in range(len(flat_s) - NGRAM + 1):
        gram = tuple(t for t, _ in flat_s[p:p + NGRAM])
        occ = where.setdefault(gram, [])
        if len(occ) <= NGRAM_MAX_OCC:
            occ.append(flat_s[p][1])
    flat_c = [(t, i) for i, toks in enumerate(cand_toks) for t in toks]
    out: dict[tuple[int, int], int] = {}
    for p in range(len(flat_c) - NGRAM + 1):
        gram = tuple(t for t, _ in flat_c[p:p + NGRAM])
        occ = where.get(gram)
        if not occ or len(occ) > NGRAM_MAX_OCC or all(t in STOPWORDS for t in gram):
            continue
        i = flat_c[p][1]
        for j in set(occ):
            out[(i, j)] = out.get((i, j), 0) + 1
    return out


def _seeds(sim: np.ndarray, grams: dict[tuple[int, int], int], alignment: Alignment) -> list[_Seed]:
    n, m = sim.shape
    weight: dict[tuple[int, int], float] = {}
    k = min(SEEDS_PER_SENTENCE, m)
    top = np.argpartition(-sim, k - 1, axis=1)[:, :k] if k else np.zeros((n, 0), dtype=int)
    for i in range(n):
        for j in top[i]:
            if sim[i, j] >= SEED_SIM:
                weight[(i, int(j))] = float(sim[i, j])
    for (i, j), count in grams.items():
        # two shared 5-grams are a 6-word run: copy whatever the sentences' similarity says
        if count >= 2:
            weight[(i, j)] = max(weight.get((i, j), 0.0), min(1.0, 0.5 + 0.05 * count), float(sim[i, j]))
    for lk in alignment.links:
        if lk.kind == "partial":
            continue
        for i in lk.candidate:
            for j in lk.source:
                weight[(i, j)] = max(weight.get((i, j), 0.0), float(sim[i, j]), lk.similarity)
    docs = [s.doc for s in alignment.source_sentences]
    return sorted((_Seed(i, j, docs[j], w) for (i, j), w in weight.items()), key=lambda s: (s.cand, s.src))


def _cluster(seeds: list[_Seed], gap_c: int, gap_s: int) -> list[list[_Seed]]:
    """Connected groups of seeds within ``gap_c`` candidate and ``gap_s`` source sentences
    of each other (same source document). Seeds are sorted by candidate sentence, so each
    looks back over a bounded window."""
    parent = list(range(len(seeds)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    lo = 0
    for b, sb in enumerate(seeds):
        while seeds[lo].cand < sb.cand - gap_c - 1:
            lo += 1
        for a in range(max(lo, b - 64), b):
            sa = seeds[a]
            if sa.doc == sb.doc and sb.cand - sa.cand <= gap_c + 1 and abs(sb.src - sa.src) <= gap_s + 1:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[rb] = ra
    groups: dict[int, list[_Seed]] = {}
    for a, s in enumerate(seeds):
        groups.setdefault(find(a), []).append(s)
    return list(groups.values())


@dataclass
class _Region:
    c0: int
    c1: int
    s0: int
    s1: int
    doc: int
    seeds: list[_Seed]


class _Finder:
    def __init__(self, alignment: Alignment, sources: list[Segmented], candidate: Segmented) -> None:
        self.al = alignment
        self.sources = sources
        self.candidate = candidate
        self.sim = alignment.similarity
        self.cand_toks = _sentence_words(alignment.candidate_sentences)
        self.src_toks = _sentence_words(alignment.source_sentences)
        self.cw = np.array([max(len(t), 1) for t in self.cand_toks], dtype=float)
        self.sw = np.array([max(len(t), 1) for t in self.src_toks], dtype=float)
        self.docs = [s.doc for s in alignment.source_sentences]
        self.narrative = self._narrative_share(candidate)
        self.cand_flat, self.cand_off = flatten(self.cand_toks)
        self.src_flat, self.src_off = flatten(self.src_toks)
        self._runs: dict[int, RunIndex] = {}
        self._copied: dict[tuple[int, int, int, int], float] = {}
        self._alike_rows: dict[int, list[int]] = {}
        self._alike_cols: dict[int, list[int]] = {}
        # per source sentence, the first and last sentence of the run of its document
        self._doc_first = list(range(len(self.docs)))
        for j in range(1, len(self.docs)):
            if self.docs[j - 1] == self.docs[j]:
                self._doc_first[j] = self._doc_first[j - 1]
        self._doc_last = list(range(len(self.docs)))
        for j in range(len(self.docs) - 2, -1, -1):
            if self.docs[j + 1] == self.docs[j]:
                self._doc_last[j] = self._doc_last[j + 1]

    def _narrative_share(self, candidate: Segmented) -> np.ndarray:
        """Per candidate sentence, the share of its characters outside quotation marks."""
        sents = self.al.candidate_sentences
        inside = np.zeros(len(sents), dtype=float)
        starts = [s.start for s in sents]
        for q in candidate.quotes:
            if q.end - q.start > QUOTE_MAX:
                continue  # an unbalanced mark, not a quotation
            k = max(0, int(np.searchsorted(starts, q.start, "right")) - 1)
            while k < len(sents) and sents[k].start < q.end:
                s = sents[k]
                inside[k] += max(0, min(q.end, s.end) - max(q.start, s.start))
                k += 1
        length = np.array([max(s.end - s.start, 1) for s in sents], dtype=float)
        return np.clip(1.0 - inside / length, 0.0, 1.0)

    def evidence(self, r: _Region) -> float:
        """Candidate words outside quotes, each counted by how closely its sentence matches
        the region's source stretch (``lift``)."""
        lifted = np.clip((self.support(r) - LIFT_FLOOR) / (LIFT_FULL - LIFT_FLOOR), 0.0, 1.0)
        return float((self.cw[r.c0:r.c1 + 1] * self.narrative[r.c0:r.c1 + 1] * lifted).sum())

    def support(self, r: _Region) -> np.ndarray:
        """Per candidate sentence of a region, how well the region's source stretch backs it:
        its best similarity there, or the weight of a seed it holds (a verbatim fragment in a
        long sentence backs the sentence however unlike the rest of it is)."""
        best = self.sim[r.c0:r.c1 + 1, r.s0:r.s1 + 1].max(1).astype(float)
        for s in r.seeds:
            if r.c0 <= s.cand <= r.c1:
                best[s.cand - r.c0] = max(best[s.cand - r.c0], s.weight)
        return best

    def strength(self, r: _Region) -> float:
        """Word-weighted mean support of the region's candidate sentences."""
        w = self.cw[r.c0:r.c1 + 1]
        return float((self.support(r) * w).sum() / w.sum())

    def region(self, seeds: list[_Seed]) -> _Region:
        return _Region(min(s.cand for s in seeds), max(s.cand for s in seeds),
                       min(s.src for s in seeds), max(s.src for s in seeds), seeds[0].doc, seeds)

    def valid_regions(self, seeds: list[_Seed], gap_c: int, gap_s: int) -> list[_Region]:
        """Clusters that hold as a whole; a weak one is split again with smaller gaps."""
        out = []
        for group in _cluster(seeds, gap_c, gap_s):
            r = self.region(group)
            if self.strength(r) >= VALID or (gap_c == 0 and gap_s == 0):
                out.append(r)
            else:
                out.extend(self.valid_regions(group, max(gap_c - 1, 0), max(gap_s // 2, 0)))
        return out

    def merge_near(self, regions: list[_Region]) -> list[_Region]:
        """Join regions of one source document that sit next to each other in the candidate,
        wherever they are in the source: a summary packs sentences from all over its source
        into a few lines of its own, in its own order."""
        out: list[_Region] = []
        for r in sorted(regions, key=lambda r: r.c0):
            prev = next((q for q in reversed(out) if q.doc == r.doc), None)
            if prev is not None and r.c0 - prev.c1 <= GAP_CAND + 1 \
                    and self.copied(prev) < SUMMARY_COPY and self.copied(r) < SUMMARY_COPY:
                joined = _Region(prev.c0, max(prev.c1, r.c1), min(prev.s0, r.s0), max(prev.s1, r.s1),
                                 r.doc, prev.seeds + r.seeds)
                if self.strength(joined) >= VALID:
                    out[out.index(prev)] = joined
                    continue
            out.append(r)
        return out

    def extend(self, r: _Region) -> None:
        """Take in neighbouring candidate sentences (and source sentences) that are still
        alike to the other side's stretch: an obfuscated edge sentence a seed missed."""
        n, m = self.sim.shape
        if self.docs[r.s0] == r.doc and self.docs[r.s1] == r.doc:
            doc_lo, doc_hi = self._doc_first[r.s0], self._doc_last[r.s1]
        else:
            doc_lo = next(j for j in range(r.s0, -1, -1) if j == 0 or self.docs[j - 1] != r.doc)
            doc_hi = next(j for j in range(r.s1, m) if j == m - 1 or self.docs[j + 1] != r.doc)
        # "some pair in this row (column) stretch is alike": the alike pairs of each row and
        # column, found once, answer it by bisection (a region growing over a whole copied
        # page would otherwise rescan its full height at every step)
        changed = True
        while changed:
            changed = False
            lo, hi = max(doc_lo, r.s0 - 1), min(doc_hi, r.s1 + 1)
            if r.c0 > 0 and _any_in(self._alike(r.c0 - 1, True), lo, hi):
                r.c0 -= 1
                changed = True
            if r.c1 < n - 1 and _any_in(self._alike(r.c1 + 1, True), lo, hi):
                r.c1 += 1
                changed = True
            if r.s0 > doc_lo and _any_in(self._alike(r.s0 - 1, False), r.c0, r.c1):
                r.s0 -= 1
                changed = True
            if r.s1 < doc_hi and _any_in(self._alike(r.s1 + 1, False), r.c0, r.c1):
                r.s1 += 1
                changed = True

    def _alike(self, k: int, row: bool) -> list[int]:
        """Columns of candidate sentence ``k`` (rows of source sentence ``k`` when not ``row``)
        whose similarity reaches EXTEND_SIM, ascending."""
        cache = self._alike_rows if row else self._alike_cols
        if k not in cache:
            line = self.sim[k] if row else self.sim[:, k]
            cache[k] = np.flatnonzero(line >= EXTEND_SIM).tolist()
        return cache[k]

    def keep(self, r: _Region) -> bool:
        """Length and strength filter: a match of one candidate sentence must be long and
        close, or share a long verbatim run, to be called a reused passage (two pages on one
        subject share single sentences that say much the same)."""
        if r.c1 > r.c0:
            return len({s.cand for s in r.seeds}) >= 2 or self._has_run(r, RUN_ALONE)
        close = self.strength(r) >= SINGLE_SIM and self.cw[r.c0] >= SINGLE_WORDS
        return close or self._has_run(r, RUN_ALONE)

    def _index(self, n: int) -> RunIndex:
        if n not in self._runs:
            self._runs[n] = RunIndex(self.cand_flat, self.src_flat, n)
        return self._runs[n]

    def _spans(self, r: _Region) -> tuple[int, int, int, int]:
        """The region's candidate and source words as ranges of the flat word lists."""
        return (self.cand_off[r.c0], self.cand_off[r.c1 + 1], self.src_off[r.s0], self.src_off[r.s1 + 1])

    def copied(self, r: _Region) -> float:
        """Share of the region's candidate words in word runs shared with its source stretch
        (runs of at least VERBATIM_RUN words, as ``verbatim_mask`` counts them)."""
        key = (r.c0, r.c1, r.s0, r.s1)
        if key not in self._copied:
            a, b, p, q = self._spans(r)
            self._copied[key] = float(self._index(VERBATIM_RUN).mask(a, b, p, q).mean()) if b > a else 0.0
        return self._copied[key]

    def _has_run(self, r: _Region, n: int) -> bool:
        """Whether the region's candidate words share a run of ``n`` words with its source stretch."""
        return self._index(n).mask(*self._spans(r)).any()

    def passage(self, r: _Region) -> Passage:
        cs, ss = self.al.candidate_sentences, self.al.source_sentences
        verb = self.copied(r)
        strength = self.strength(r)
        if verb >= 0.9:
            kind = "verbatim"
        elif verb >= 0.6:
            kind = "near_verbatim"
        elif verb < 0.25:
            kind = "paraphrase"
        else:
            kind = "mixed"
        doc_text = self.sources[r.doc].doc.text
        cand_text = self.candidate.doc.text
        a, b = cs[r.c0].start, cs[r.c1].end
        sa, sb = ss[r.s0].start, ss[r.s1].end
        # source words the candidate stretch actually conveys (a summary spans more source)
        block = self.sim[r.c0:r.c1 + 1, r.s0:r.s1 + 1]
        conveyed = block.max(0) >= EXTEND_SIM
        src_words = int(self.sw[r.s0:r.s1 + 1][conveyed].sum())
        return Passage(source=Span(sa, sb, doc_text[sa:sb]), candidate=Span(a, b, cand_text[a:b]),
                       source_doc=r.doc, kind=kind, strength=round(min(1.0, max(strength, verb)), 4),
                       verbatim=round(verb, 4), source_sentences=(r.s0, r.s1),
                       candidate_sentences=(r.c0, r.c1), source_words=src_words,
                       candidate_words=int(self.cw[r.c0:r.c1 + 1].sum()),
                       evidence=round(self.evidence(r), 2))


def _any_in(sorted_idx: list[int], lo: int, hi: int) -> bool:
    """Whether some index of ``sorted_idx`` lies in [lo, hi]."""
    k = bisect.bisect_left(sorted_idx, lo)
    return k < len(sorted_idx) and sorted_idx[k] <= hi


def flatten(toks: list[list[str]]) -> tuple[list[str], list[int]]:
    """All words in order, and where each sentence's words start (one more: the end)."""
    flat: list[str] = []
    off = [0]
    for t in toks:
        flat += t
        off.append(len(flat))
    return flat, off


class RunIndex:
    """Which candidate words, of any candidate stretch, lie in a run of at least n words
    shared with any source stretch: a word does when an n-word window around it occurs in the
    source stretch. Word n-grams are numbered once; each question is then a lookup of the
    candidate stretch's windows among the numbers of the source stretch's, not a join."""

    def __init__(self, cand: list[str], src: list[str], n: int) -> None:
        self.n = n
        ids: dict[tuple[str, ...], int] = {}
        ns, nc = max(len(src) - n + 1, 0), max(len(cand) - n + 1, 0)
        self.src = np.fromiter((ids.setdefault(tuple(src[j:j + n]), len(ids)) for j in range(ns)),
                               dtype=np.int64, count=ns)
        self.cand = np.fromiter((ids.get(tuple(cand[i:i + n]), -1) for i in range(nc)),
                                dtype=np.int64, count=nc)
        self.kinds = len(ids)

    def mask(self, a: int, b: int, p: int, q: int) -> np.ndarray:
        """Candidate words [a, b) inside a run of n words or more shared with source words [p, q)."""
        n = self.n
        out = np.zeros(max(b - a, 0), dtype=bool)
        if b - a < n or q - p < n:
            return out
        present = np.zeros(self.kinds + 1, dtype=bool)  # the last slot stands for "nowhere" (-1)
        present[self.src[p:q - n + 1]] = True
        hit = np.flatnonzero(present[self.cand[a:b - n + 1]])
        if len(hit):
            edges = np.zeros(b - a + 1, dtype=np.int64)  # each hit covers [k, k + n)
            np.add.at(edges, hit, 1)
            np.add.at(edges, hit + n, -1)
            out = np.cumsum(edges[:-1]) > 0
        return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)


def find_passages(alignment: Alignment, sources: list[Segmented], candidate: Segmented) -> list[Passage]:
    """Reused passages, in candidate order; none where nothing was aligned."""
    sim = alignment.similarity
    if sim is None or sim.size == 0:
        return []
    f = _Finder(alignment, sources, candidate)
    grams = _ngram_pairs(f.cand_toks, f.src_toks)
    seeds = _seeds(sim, grams, alignment)
    if not seeds:
        return []
    regions = f.merge_near(f.valid_regions(seeds, GAP_CAND, GAP_SRC))
    for r in regions:
        f.extend(r)
    regions = [r for r in regions if f.keep(r)]
    # the stronger of two passages claiming the same candidate sentences keeps them
    scored = sorted(regions, key=lambda r: -f.strength(r) * f.cw[r.c0:r.c1 + 1].sum())
    kept: list[_Region] = []
    for r in scored:
        clash = [k for k in kept if _overlap((r.c0, r.c1), (k.c0, k.c1))]
        for k in clash:  # trim r to the part no stronger passage holds
            if k.c0 <= r.c0 and k.c1 >= r.c1:
                r.c1 = r.c0 - 1
                break
            if k.c0 <= r.c0 <= k.c1:
                r.c0 = k.c1 + 1
            elif k.c0 <= r.c1 <= k.c1:
                r.c1 = k.c0 - 1
        if r.c1 < r.c0:
            continue
        trimmed = [s for s in r.seeds if r.c0 <= s.cand <= r.c1]
        if len(trimmed) < len(r.seeds) and trimmed:
            r.s0, r.s1 = min(s.src for s in trimmed), max(s.src for s in trimmed)
        r.seeds = trimmed
        if r.seeds and f.keep(r):
            kept.append(r)
    out = [f.passage(r) for r in sorted(kept, key=lambda r: r.c0)]
    return [p for p in out if p.verbatim >= COPIED or p.candidate_words * lift(p.strength) >= MIN_EVIDENCE]
