"""Sentence alignment between the source(s) and a candidate.

Similarity mixes lexical evidence (idf-weighted shared content stems, shared character
4-grams, rapidfuzz ratio) with the encoder's cosine, because spun rewrites keep the meaning
while changing most words, and newspaper copy keeps the words; the cosine is damped where
almost no words are shared, since sentences on the same topic score high without being
the same statement. A Viterbi pass over the similarity matrix prefers source order (a bonus
for following the previous link, a cost for jumping far), so close calls go to the sentence
that keeps the story's order; neighbours are then joined where that explains more (merges
2:1, splits 1:2). Pair features are sparse joins and rapidfuzz's cdist: a pair of 1,000-word
articles aligns in about 20 ms with model2vec encoding included.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process, utils

from unspin.lang.en import morphology, punctuation, stop_words
from unspin.types import Alignment, Coverage, Link, Segmented, UnspinError

# Links below LINK_MIN are not made; the order bonus can pull a pair up to it.
LINK_MIN = 0.42
STRONG = 0.55  # below this a link is only "partial"
BONUS_NEXT = 0.08  # candidate follows the next source sentence
BONUS_NEAR = 0.05  # a short skip forward (an omission) or the same sentence again (a split)
LEX_FLOOR, LEX_SPAN = 0.05, 0.20  # lexical support below LEX_FLOOR + LEX_SPAN damps the cosine
SEM_LOW, SEM_HIGH = 0.30, 0.85  # cosine mapped to 0 and 1 when the encoder gives no cos_range
JUMP = 0.04  # cost of jumping elsewhere in the source (reordering), so far jumps need more evidence
MAX_PAIRS = 16_000_000  # sentence pairs (4,000 x 4,000, ~80,000 words a side): ~0.8 GB of pair matrices
# Fuzzy ratio costs about len(s) * len(c) per pair: past this many character cells in all
# (~3 s; 2,500 x 2,500 ordinary sentences need about 1.4e11) each text is cut to a prefix.
RATIO_CELLS = 1.5e11
VERBATIM_RUN = 6  # words: a shared run at least this long counts as verbatim copy
JOIN_CHUNK = 2_000_000  # matches per block of the sparse feature join (~110 MB of index arrays)
DENSE_SHARE, DENSE_MIN = 1 / 1024, 4096  # a feature matching this many pairs is counted densely
DENSE_MAX = 2048  # features counted densely at most (incidence matrices of rows x DENSE_MAX)

STOPWORDS = stop_words.ALIGN_STOP_WORDS

_WORD = re.compile(r"\w+(?:[.,'’]\w+)*", re.UNICODE)
_QUOTES = str.maketrans(punctuation.TOKEN_FOLD)
_SUFFIXES = morphology.ALIGN_SUFFIXES


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens with curly quotes folded; keeps 115,000 and U.S as one token."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return [t[:-2] if t.endswith("'s") else t.replace("'", "") for t in _WORD.findall(text)]


def stem(word: str) -> str:
    """A crude suffix stripper: enough to match said/saying, relationship/relationships."""
    if word.isdigit() or len(word) <= 4:
        return word
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            word = word[: -len(suf)]
            break
    if len(word) > 5 and word.endswith("e"):
        word = word[:-1]
    return word


def content_stems(toks: list[str]) -> list[str]:
    return [stem(t) for t in toks if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


def char_grams(toks: list[str], n: int = 4) -> set[str]:
    """Character n-grams of the space-joined tokens: matches inflected and misspelt words."""
    s = " " + " ".join(toks) + " "
    return {s[k:k + n] for k in range(len(s) - n + 1)}


@dataclass
class _Side:
    """Per-side features computed once: token lists, content-stem sets, char-gram sets."""

    texts: list[str]
    toks: list[list[str]]
    stems: list[set[str]]
    grams: list[set[str]]
    nwords: np.ndarray

    @classmethod
    def concat(cls, sides: list[_Side]) -> _Side:
        """The sides of several texts as one (every feature is per sentence)."""
        return cls([t for s in sides for t in s.texts], [t for s in sides for t in s.toks],
                   [t for s in sides for t in s.stems], [t for s in sides for t in s.grams],
                   np.concatenate([s.nwords for s in sides]) if sides else np.zeros(0, dtype=np.float32))

    @classmethod
    def build(cls, texts: list[str]) -> _Side:
        toks = [tokens(t) for t in texts]
        stems = [set(content_stems(t)) for t in toks]
        grams = [char_grams(t) for t in toks]
        return cls(texts, toks, stems, grams, np.array([max(len(t), 1) for t in toks], dtype=np.float32))


def _keys(sets: list[set[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(feature hash, row) pairs of a list of feature sets."""
    sizes = [len(f) for f in sets]
    keys = np.fromiter((hash(w) for f in sets for w in f), dtype=np.int64, count=sum(sizes))
    return keys, np.repeat(np.arange(len(sets)), sizes)


def _shared(src_sets: list[set[str]], cand_sets: list[set[str]], weight=None) -> np.ndarray:
    """Shared feature mass of every (source, candidate) pair of feature sets.

    A sparse join (sort + searchsorted): memory follows the matches, not the features. The
    join is run over blocks of source rows of at most JOIN_CHUNK matches each, so a feature
    found in thousands of sentences on both sides (" the" in a long pair, or repeated text)
    cannot make it unbounded; each pair's sum is still made in the same order. Counting
    (``weight`` None), such common features (more than 1/DENSE_SHARE of all pairs) go
    through a dense incidence product instead, where BLAS can be held to one thread (whose
    threads otherwise stall on a busy machine): integer counts, so exact whatever the order.
    ``weight`` maps feature hashes to weights (idf).
    """
    ks, rs = _keys(src_sets)
    kc, rc = _keys(cand_sets)
    m, n = len(src_sets), len(cand_sets)
    out = np.zeros((m, n), dtype=np.float32)
    order = np.argsort(kc, kind="stable")
    kc, rc = kc[order], rc[order]
    left = np.searchsorted(kc, ks, "left")
    cnt = np.searchsorted(kc, ks, "right") - left
    if weight is None and len(ks) and blas_pinnable():
        _, inv, df = np.unique(ks, return_inverse=True, return_counts=True)
        pairs = df[inv] * cnt
        heavy = (pairs >= max(DENSE_MIN, m * n * DENSE_SHARE)) & (cnt > 0)
        if heavy.any():
            feats, first = np.unique(ks[heavy], return_index=True)
            if len(feats) > DENSE_MAX:  # the commonest only: the incidence matrices stay small
                feats = np.sort(feats[np.argsort(-pairs[heavy][first], kind="stable")[:DENSE_MAX]])
                heavy &= np.isin(ks, feats)
            a = np.zeros((m, len(feats)), dtype=np.float32)
            a[rs[heavy], np.searchsorted(feats, ks[heavy])] = 1.0
            in_c = np.isin(kc, feats)
            b = np.zeros((n, len(feats)), dtype=np.float32)
            b[rc[in_c], np.searchsorted(feats, kc[in_c])] = 1.0
            with single_blas_thread():
                out += a @ b.T
            del a, b
            cnt = np.where(heavy, 0, cnt)
    total = int(cnt.sum())
    if total == 0:
        return out
    w_all = None if weight is None else weight(ks)
    # entries are in source-row order: cut them into blocks of whole rows
    row_end = np.cumsum(np.bincount(rs, minlength=m))
    per_row = np.bincount(rs, weights=cnt, minlength=m)
    r0 = 0
    while r0 < m:
        acc = np.cumsum(per_row[r0:])
        r1 = r0 + max(1, int(np.searchsorted(acc, JOIN_CHUNK, "right")))
        e0 = int(row_end[r0 - 1]) if r0 else 0
        e1 = int(row_end[r1 - 1])
        c = cnt[e0:e1]
        sub = int(c.sum())
        if sub:
            src_rows = np.repeat(rs[e0:e1] - r0, c)
            offs = np.arange(sub) - np.repeat(np.cumsum(c) - c, c)
            cand_rows = rc[np.repeat(left[e0:e1], c) + offs]
            w = None if w_all is None else np.repeat(w_all[e0:e1], c)
            block = np.bincount(src_rows * n + cand_rows, weights=w, minlength=(r1 - r0) * n)
            out[r0:r1] += block.reshape(r1 - r0, n).astype(np.float32)
        r0 = r1
    return out


def blas_pinnable() -> bool:
    """Whether ``single_blas_thread`` can hold BLAS to one thread (threadpoolctl installed)."""
    single_blas_thread()
    return _blas is not False


def single_blas_thread():
    """A context in which BLAS runs on one thread (threadpoolctl, when installed): matrix
    products of this size gain little from a second thread, and on a busy machine, or with
    a process per core, the extra threads only compete."""
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController

            _blas = ThreadpoolController()
        except Exception:  # not installed, or no BLAS it knows: run as configured
            _blas = False
    if _blas is False:
        return contextlib.nullcontext()
    return _blas.limit(limits=1, user_api="blas")


_blas = None


def _char_cosine(src_grams: list[set[str]], cand_grams: list[set[str]]) -> np.ndarray:
    """Cosine of binary character 4-gram sets, rows source, columns candidate."""
    shared = _shared(src_grams, cand_grams)
    ns = np.sqrt(np.array([max(len(g), 1) for g in src_grams], dtype=np.float32))
    nc = np.sqrt(np.array([max(len(g), 1) for g in cand_grams], dtype=np.float32))
    return shared / ns[:, None] / nc[None, :]


class _Idf:
    """Inverse document frequency of content stems over all sentences of both sides."""

    def __init__(self, src: _Side, cand: _Side) -> None:
        keys = np.concatenate([_keys(src.stems)[0], _keys(cand.stems)[0]])
        self.keys, df = np.unique(keys, return_counts=True)
        n = len(src.stems) + len(cand.stems)
        self.values = (np.log((n + 1) / (df + 1)) + 1.0).astype(np.float64)
        self.by_word: dict[str, float] = {}
        for side in (src, cand):
            for f in side.stems:
                for w in f:
                    if w not in self.by_word:
                        self.by_word[w] = float(self.values[np.searchsorted(self.keys, hash(w))])

    def __call__(self, keys: np.ndarray) -> np.ndarray:
        return self.values[np.searchsorted(self.keys, keys)]

    def mass(self, words: set[str]) -> float:
        return sum(self.by_word.get(w, 1.0) for w in words)


def semantic_range(encoder) -> tuple[float, float]:
    """Cosine mapped to 0 and to 1: a little inside the encoder's medians for unrelated and
    for paraphrase pairs (``cos_range``), so a typical paraphrase counts as full evidence."""
    lo, hi = getattr(encoder, "cos_range", None) or (0.36, 0.92)
    return lo - 0.1 * (hi - lo), hi - 0.12 * (hi - lo)


def _rescale_semantic(cos, rng=(SEM_LOW, SEM_HIGH)):
    """Map encoder cosine to 0..1 evidence (see ``semantic_range``)."""
    return np.clip((cos - rng[0]) / (rng[1] - rng[0]), 0.0, 1.0)


def _combine(lexical, semantic, ratio, rng=(SEM_LOW, SEM_HIGH)):
    """One similarity: semantic carries paraphrase, lexical confirms it and carries copy.

    Sentences on the same topic reach a high cosine with few shared words; the semantic part
    is damped while lexical support is that thin, so topic neighbours do not link.
    """
    sem = _rescale_semantic(semantic, rng) * np.clip((lexical - LEX_FLOOR) / LEX_SPAN, 0.25, 1.0)
    mixed = 0.55 * sem + 0.45 * lexical
    return np.maximum(mixed, np.maximum(lexical, ratio) * 0.9 + 0.1 * sem)


@dataclass
class _Matrices:
    """Pair matrices, rows candidate, columns source."""

    sim: np.ndarray
    cont_c: np.ndarray  # share of candidate content (idf-weighted) found in the source sentence
    cont_s: np.ndarray  # share of source content found in the candidate sentence


def _distinct(texts: list[str]) -> tuple[list[int], np.ndarray | None]:
    """First index of each distinct text, and each text's row among those (None: all distinct)."""
    row: dict[str, int] = {}
    firsts: list[int] = []
    inv = np.zeros(len(texts), dtype=np.int64)
    for i, t in enumerate(texts):
        k = row.get(t)
        if k is None:
            k = row[t] = len(firsts)
            firsts.append(i)
        inv[i] = k
    if len(firsts) == len(texts):
        return firsts, None
    return firsts, inv


def _pair_matrices(src: _Side, cand: _Side, es: np.ndarray, ec: np.ndarray, idf: _Idf,
                   rng: tuple[float, float]) -> _Matrices:
    """Similarity and content shares of every sentence pair.

    The lexical parts depend on the two texts alone, so they are computed once per pair of
    distinct texts and spread over repeats (a paragraph pasted 1,000 times costs one); the
    encoder's cosine is a product over all rows as it is.
    """
    us, inv_s = _distinct(src.texts)
    uc, inv_c = _distinct(cand.texts)
    s_stems, c_stems = [src.stems[i] for i in us], [cand.stems[i] for i in uc]
    overlap = _shared(s_stems, c_stems, idf)  # idf mass shared, rows source, cols candidate
    mass_s = np.array([idf.mass(f) for f in s_stems], dtype=np.float32)[:, None]
    mass_c = np.array([idf.mass(f) for f in c_stems], dtype=np.float32)[None, :]
    cont_s = overlap / np.maximum(mass_s, 1e-6)
    cont_c = overlap / np.maximum(mass_c, 1e-6)
    dice = 2 * overlap / np.maximum(mass_s + mass_c, 1e-6)
    del overlap
    chars = _char_cosine([src.grams[i] for i in us], [cand.grams[i] for i in uc])
    lexical = np.clip(0.5 * dice + 0.5 * chars, 0.0, 1.0)
    del chars
    st, ct = src.texts, cand.texts
    cells = float(sum(map(len, st))) * float(sum(map(len, ct)))
    cap = None
    if cells > RATIO_CELLS:  # only on pathological inputs (long unpunctuated runs)
        cap = max(100, int((RATIO_CELLS / max(len(st) * len(ct), 1)) ** 0.5))
    st, ct = [st[i][:cap] for i in us], [ct[i][:cap] for i in uc]
    ratio = process.cdist(st, ct, scorer=fuzz.ratio, processor=utils.default_process,
                          dtype=np.uint8, workers=1).astype(np.float32) / 100.0
    # A shared run of short function words is not evidence; damp ratio unless content agrees.
    ratio = np.where(dice > 0.3, ratio, ratio * 0.6)
    del dice
    if inv_s is not None or inv_c is not None:  # spread over the repeats
        rows = slice(None) if inv_s is None else inv_s
        cols = slice(None) if inv_c is None else inv_c
        lexical, ratio = lexical[rows][:, cols], ratio[rows][:, cols]
        cont_s, cont_c = cont_s[rows][:, cols], cont_c[rows][:, cols]
    if es.size and ec.size:
        with single_blas_thread():
            semantic = (es @ ec.T).astype(np.float32)
    else:
        semantic = np.zeros_like(lexical)
    sim = _combine(lexical, semantic, ratio, rng)
    del lexical, semantic, ratio
    return _Matrices(sim.T.copy(), cont_c.T.copy(), cont_s.T.copy())


def _viterbi(sim: np.ndarray) -> list[int]:
    """Best source index (or -1) per candidate sentence, with a bonus for keeping source order.

    The state is the position after the last linked source sentence, so an inserted
    (unlinked) candidate sentence does not break the run.
    """
    n, m = sim.shape
    if n == 0 or m == 0:
        return [-1] * n
    gain = sim - LINK_MIN
    score = np.full(m + 1, -1e9)
    score[0] = 0.0
    back_prev = np.zeros((n, m + 1), dtype=np.int32)
    back_link = np.zeros((n, m + 1), dtype=bool)
    pos = np.arange(m + 1)
    for i in range(n):
        best = score.max()
        arg_best = int(score.argmax())
        # candidate source j, landing in position p = j + 1; from previous position q
        # the first link may land anywhere; later far jumps pay JUMP
        jump_val, jump_arg = (best - JUMP, arg_best) if best - JUMP > score[0] else (score[0], 0)
        from_any = np.full(m, jump_val)
        from_any_arg = np.full(m, jump_arg)
        cand_vals = [(from_any, from_any_arg)]
        nxt = score[:m] + BONUS_NEXT  # q = j  -> next sentence
        cand_vals.append((nxt, pos[:m]))
        same = score[1:] + BONUS_NEAR  # q = j + 1 -> same sentence (split)
        cand_vals.append((same, pos[1:]))
        for skip in (1, 2):  # q = j - skip -> skipped `skip` sentences
            v = np.full(m, -1e9)
            a = np.zeros(m, dtype=np.int64)
            v[skip:] = score[: m - skip] + BONUS_NEAR
            a[skip:] = pos[: m - skip]
            cand_vals.append((v, a))
        vals = np.stack([c[0] for c in cand_vals])
        args = np.stack([c[1] for c in cand_vals])
        k = vals.argmax(0)
        link_val = vals[k, np.arange(m)] + gain[i]
        link_arg = args[k, np.arange(m)]
        new = score.copy()  # no link: stay
        back_prev[i] = pos
        better = link_val > new[1:]
        new[1:] = np.where(better, link_val, new[1:])
        back_prev[i, 1:] = np.where(better, link_arg, pos[1:])
        back_link[i, 1:] = better
        score = new
    p = int(score.argmax())
    out = [-1] * n
    for i in range(n - 1, -1, -1):
        if back_link[i, p]:
            out[i] = p - 1
        p = int(back_prev[i, p])
    return out


def _union(side_stems: list[set[str]], idx: tuple[int, ...]) -> set[str]:
    out: set[str] = set()
    for i in idx:
        out |= side_stems[i]
    return out


class _Scorer:
    """Scores arbitrary groups of sentences (for merges and splits) with the same recipe."""

    def __init__(self, src: _Side, cand: _Side, es: np.ndarray, ec: np.ndarray, idf: _Idf,
                 rng: tuple[float, float]):
        self.src, self.cand, self.es, self.ec, self.idf, self.rng = src, cand, es, ec, idf, rng

    def _emb(self, e: np.ndarray, side: _Side, idx: tuple[int, ...]) -> np.ndarray:
        if len(idx) == 1:
            return e[idx[0]]
        v = sum(e[i] * np.sqrt(side.nwords[i]) for i in idx)
        return v / max(float(np.linalg.norm(v)), 1e-9)

    def score(self, s_idx: tuple[int, ...], c_idx: tuple[int, ...]) -> dict[str, float]:
        ws = _union(self.src.stems, s_idx)
        wc = _union(self.cand.stems, c_idx)
        shared = self.idf.mass(ws & wc)
        ms, mc = self.idf.mass(ws), self.idf.mass(wc)
        dice = 2 * shared / max(ms + mc, 1e-6)
        st = " ".join(self.src.texts[i] for i in s_idx)
        ct = " ".join(self.cand.texts[i] for i in c_idx)
        gs = set().union(*(self.src.grams[i] for i in s_idx))
        gc = set().union(*(self.cand.grams[i] for i in c_idx))
        chars = len(gs & gc) / max(float(np.sqrt(len(gs) * len(gc))), 1.0)
        lexical = min(1.0, 0.5 * dice + 0.5 * chars)
        ratio = fuzz.ratio(st, ct, processor=utils.default_process) / 100.0
        if dice <= 0.3:
            ratio *= 0.6
        semantic = float(self._emb(self.es, self.src, s_idx) @ self._emb(self.ec, self.cand, c_idx)) \
            if self.es.size else 0.0
        sim = float(_combine(lexical, semantic, ratio, self.rng))
        return {"sim": sim, "lexical": lexical, "semantic": semantic, "ratio": ratio,
                "cont_s": shared / max(ms, 1e-6), "cont_c": shared / max(mc, 1e-6),
                "len_s": float(sum(self.src.nwords[i] for i in s_idx)),
                "len_c": float(sum(self.cand.nwords[i] for i in c_idx))}


def _kind(sc: dict[str, float]) -> str:
    if sc["ratio"] >= 0.95:
        return "verbatim"
    if sc["ratio"] >= 0.8 or (sc["lexical"] >= 0.8 and sc["cont_s"] >= 0.8 and sc["cont_c"] >= 0.8):
        return "near_verbatim"
    if sc["sim"] < STRONG:
        return "partial"
    # one side is much longer and only part of it is matched: only part is conveyed
    short, long_ = sorted((sc["len_s"], sc["len_c"]))
    if short / max(long_, 1.0) < 0.45 and min(sc["cont_s"], sc["cont_c"]) < 0.35:
        return "partial"
    return "paraphrase"


def _conveyed(sc: dict[str, float], kind: str) -> tuple[float, float]:
    """Share of the source / candidate words of a link that the other side carries."""
    if kind in ("verbatim", "near_verbatim"):
        return max(sc["cont_s"], sc["ratio"]), max(sc["cont_c"], sc["ratio"])
    strength = float(np.clip((sc["sim"] - LINK_MIN) / (0.75 - LINK_MIN), 0.0, 1.0))
    ls, lc = sc["len_s"], sc["len_c"]
    # a short sentence cannot convey all of a long one, whatever the cosine says
    len_s = min(1.0, lc / max(ls, 1.0) * 1.25)
    len_c = min(1.0, ls / max(lc, 1.0) * 1.25)
    return (max(sc["cont_s"], strength * len_s), max(sc["cont_c"], strength * len_c))


def shared_runs(src_tokens: list[str], cand_tokens: list[str]) -> np.ndarray:
    """For every candidate word, the length of the longest shared word run ending there.

    That is the longest suffix of the candidate up to that word which occurs anywhere in the
    source: a suffix automaton of the source answers it in time linear in both lengths, where
    a dynamic programme over matching positions grows with the product of the counts of
    common words ("the" 2,000 times on each side of a long pair: 4 million matches).
    """
    out = np.zeros(len(cand_tokens), dtype=np.int32)
    if not src_tokens or not cand_tokens:
        return out
    nxt, link, length = _suffix_automaton(src_tokens)
    v = cur = 0
    for k, t in enumerate(cand_tokens):
        go = nxt[v].get(t)
        if go is None:
            while v and t not in nxt[v]:
                v = link[v]
            go = nxt[v].get(t)
            if go is None:  # v is the root: the word is not in the source
                cur = 0
                continue
            cur = length[v]
        v = go
        cur += 1
        out[k] = cur
    return out


def _suffix_automaton(seq: list[str]) -> tuple[list[dict[str, int]], list[int], list[int]]:
    """Transitions, suffix links and longest lengths of the suffix automaton of ``seq``
    (at most 2 * len(seq) states; the root is 0, its link -1)."""
    nxt: list[dict[str, int]] = [{}]
    link = [-1]
    length = [0]
    last = 0
    for t in seq:
        cur = len(length)
        nxt.append({})
        length.append(length[last] + 1)
        link.append(0)
        p = last
        while p != -1 and t not in nxt[p]:
            nxt[p][t] = cur
            p = link[p]
        if p != -1:
            q = nxt[p][t]
            if length[p] + 1 == length[q]:
                link[cur] = q
            else:
                clone = len(length)
                nxt.append(dict(nxt[q]))
                length.append(length[p] + 1)
                link.append(link[q])
                while p != -1 and nxt[p].get(t) == q:
                    nxt[p][t] = clone
                    p = link[p]
                link[q] = link[cur] = clone
        last = cur
    return nxt, link, length


def verbatim_mask(runs: np.ndarray, min_run: int = VERBATIM_RUN) -> np.ndarray:
    """Candidate words inside a shared run of at least ``min_run`` words."""
    mask = np.zeros(len(runs), dtype=bool)
    for k in np.nonzero(runs >= min_run)[0]:
        mask[k - runs[k] + 1 : k + 1] = True
    return mask


def _doc_tokens(side: _Side) -> list[str]:
    return [t for toks in side.toks for t in toks]


_PREPARED: dict[tuple, tuple[_Side, np.ndarray]] = {}
_PREPARED_MAX = 64
_PREPARED_SENTENCES = 1_000


def _prepared(texts: list[str], encoder) -> tuple[_Side, np.ndarray]:
    """One side's features and embeddings, kept for the last few texts: a crawl scan compares
    one page with several archive articles, and one article with many pages."""
    key = (getattr(encoder, "name", None), id(encoder), tuple(texts))
    hit = _PREPARED.get(key)
    if hit is not None:
        return hit
    side = _Side.build(texts)
    if texts and encoder is not None:
        emb = np.asarray(encoder.encode(texts), dtype=np.float32)
    else:
        emb = np.zeros((len(texts), 0), dtype=np.float32)
    if len(texts) <= _PREPARED_SENTENCES:  # a huge document is compared once, not kept
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.pop(next(iter(_PREPARED)))
        _PREPARED[key] = (side, emb)
    return side, emb


def align(sources: list[Segmented], candidate: Segmented, encoder) -> Alignment:
    """Links from the concatenated source sentences to the candidate sentences, and coverage."""
    src_sents = [s for seg in sources for s in seg.sentences]
    cand_sents = list(candidate.sentences)
    if len(src_sents) * len(cand_sents) > MAX_PAIRS:
        raise UnspinError(f"texts too long to compare: {len(src_sents)} source x {len(cand_sents)} candidate "
                          f"sentences (at most {MAX_PAIRS:,} pairs); split them into articles")
    if len(sources) == 1:
        src, es = _prepared([s.text for s in src_sents], encoder)
    else:  # each source's features are its sentences' own: reuse them when it was seen alone
        parts = [_prepared([s.text for s in seg.sentences], encoder) for seg in sources]
        src = _Side.concat([p[0] for p in parts])
        es = np.concatenate([p[1] for p in parts]) if parts else np.zeros((0, 0), dtype=np.float32)
    cand, ec = _prepared([s.text for s in cand_sents], encoder)
    n, m = len(cand_sents), len(src_sents)
    if n == 0 or m == 0:
        return Alignment([], Coverage(0.0, 0.0, 0.0), src_sents, cand_sents,
                         [0.0] * n, [0.0] * m)

    idf = _Idf(src, cand)
    rng = semantic_range(encoder)
    mats = _pair_matrices(src, cand, es, ec, idf, rng)
    choice = _viterbi(mats.sim)
    scorer = _Scorer(src, cand, es, ec, idf, rng)

    groups = _group(choice, mats, scorer, n, m)
    links: list[Link] = []
    src_conv = np.zeros(m, dtype=np.float32)
    cand_sup = np.zeros(n, dtype=np.float32)
    for s_idx, c_idx in groups:
        sc = scorer.score(s_idx, c_idx)
        if sc["sim"] < LINK_MIN - BONUS_NEXT - 1e-6:
            continue
        kind = _kind(sc)
        conv_s, conv_c = _conveyed(sc, kind)
        for j in s_idx:
            # each source sentence of a merge is conveyed about as well as its own overlap says
            own = float(mats.sim[c_idx, j].max())
            share = conv_s if len(s_idx) == 1 else max(
                float(mats.cont_s[c_idx, j].max()), conv_s * min(1.0, own / STRONG))
            src_conv[j] = max(src_conv[j], min(1.0, share))
        for i in c_idx:
            own = float(mats.sim[i, s_idx].max())
            share = conv_c if len(c_idx) == 1 else max(
                float(mats.cont_c[i, s_idx].max()), conv_c * min(1.0, own / STRONG))
            cand_sup[i] = max(cand_sup[i], min(1.0, share))
        links.append(Link(source=s_idx, candidate=c_idx, similarity=round(sc["sim"], 4), kind=kind,
                          lexical=round(sc["lexical"], 4), semantic=round(sc["semantic"], 4)))
    links.sort(key=lambda lk: (lk.candidate[0], lk.source[0]))

    runs = shared_runs(_doc_tokens(src), _doc_tokens(cand))
    verb = verbatim_mask(runs)
    coverage = Coverage(
        source_conveyed=float((src_conv * src.nwords).sum() / max(src.nwords.sum(), 1.0)),
        candidate_supported=float((cand_sup * cand.nwords).sum() / max(cand.nwords.sum(), 1.0)),
        verbatim=float(verb.mean()) if len(verb) else 0.0,
    )
    return Alignment(
        links=links,
        coverage=coverage,
        source_sentences=src_sents,
        candidate_sentences=cand_sents,
        candidate_best=[round(float(x), 4) for x in mats.sim.max(1)],
        source_best=[round(float(x), 4) for x in mats.sim.max(0)],
        similarity=mats.sim,
        longest_run=int(runs.max()) if len(runs) else 0,
    )


def _group(choice: list[int], mats: _Matrices, scorer: _Scorer, n: int, m: int
           ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Turn per-sentence choices into N:M groups: joins runs of candidates on one source
    sentence (splits), then adds a neighbouring source sentence where joining explains more
    of the candidate (merges)."""
    groups: list[list[list[int]]] = []  # [[source idx...], [candidate idx...]]
    for i, j in enumerate(choice):
        if j < 0:
            continue
        if groups and groups[-1][0] == [j] and groups[-1][1][-1] == i - 1:
            groups[-1][1].append(i)
        else:
            groups.append([[j], [i]])
    # a sentence that only reached its source sentence through the order bonus, in a split
    # that explains no more with it than without it, is an insertion: leave it unlinked
    for g in groups:
        s_idx, c_idx = g
        if len(c_idx) < 2:
            continue
        for i in sorted(c_idx, key=lambda k: mats.sim[k, s_idx[0]]):
            if len(c_idx) < 2 or mats.sim[i, s_idx[0]] >= LINK_MIN:
                continue
            rest = tuple(k for k in c_idx if k != i)
            if scorer.score(tuple(s_idx), rest)["sim"] >= scorer.score(tuple(s_idx), tuple(c_idx))["sim"]:
                c_idx.remove(i)
    # sources claimed by some link, with the best similarity each got
    claimed = np.full(m, -1.0)
    for s_idx, c_idx in groups:
        for j in s_idx:
            claimed[j] = max(claimed[j], float(mats.sim[c_idx, j].max()))
    # a candidate sentence next to a link that continues the same source sentence (a split):
    # join it where that explains more of the source. It may leave a weak link of its own
    # when the source sentence of that link is conveyed elsewhere too.
    owner = {i: g for g in groups for i in g[1]}
    src_links = {}
    for g in groups:
        for j in g[0]:
            src_links[j] = src_links.get(j, 0) + 1
    for g in groups:
        s_idx, c_idx = g
        if len(s_idx) != 1 or len(c_idx) != 1:
            continue
        base = scorer.score(tuple(s_idx), tuple(c_idx))
        for nb in (c_idx[0] + 1, c_idx[0] - 1):
            if not (0 <= nb < n):
                continue
            other = owner.get(nb)
            if other is not None:
                if other is g or len(other[1]) != 1 or len(other[0]) != 1:
                    continue
                if mats.sim[nb, other[0][0]] >= STRONG + 0.05 or src_links[other[0][0]] < 2:
                    continue
            # the neighbour's own words must come from that source sentence: an inserted
            # sentence next to a link must not ride along
            if mats.cont_c[nb, s_idx[0]] < 0.3 or mats.sim[nb, s_idx[0]] < LINK_MIN - 0.12:
                continue
            joined = scorer.score(tuple(s_idx), tuple(sorted(c_idx + [nb])))
            if joined["sim"] > base["sim"] + 0.02 and joined["cont_s"] > base["cont_s"] + 0.05:
                if other is not None:
                    src_links[other[0][0]] -= 1
                    other[1].clear()
                c_idx[:] = sorted(c_idx + [nb])
                owner[nb] = g
                break
    groups = [g for g in groups if g[1]]
    # merges: a candidate sentence that also carries the neighbouring source sentence
    for g in groups:
        s_idx, c_idx = g
        if len(s_idx) != 1:
            continue
        j = s_idx[0]
        base = scorer.score(tuple(s_idx), tuple(c_idx))
        best = None
        for nb in (j + 1, j - 1):
            if not (0 <= nb < m):
                continue
            own = float(mats.sim[c_idx, nb].max())
            if own < LINK_MIN - 0.1 or float(mats.cont_s[c_idx, nb].max()) < 0.25:
                continue
            if claimed[nb] > own:  # another candidate sentence conveys it better
                continue
            joined = scorer.score(tuple(sorted([j, nb])), tuple(c_idx))
            gain_c = joined["cont_c"] - base["cont_c"]
            if (joined["sim"] > base["sim"] - 0.01 and gain_c > 0.12
                    and (best is None or joined["sim"] > best[0])):
                best = (joined["sim"], nb)
        if best is not None:
            s_idx[:] = sorted([j, best[1]])
            claimed[best[1]] = max(claimed[best[1]], best[0])
    return [(tuple(s), tuple(c)) for s, c in groups]
