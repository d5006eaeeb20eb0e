"""Shared stage: what several detectors read about the two texts, computed once.

``Context.build`` runs ``analyse`` before any detector (for a derived candidate; the
detectors skip the rest), so every detector reads the same tokens, values, names, source
vocabulary and support from ``Context.analysis`` instead of computing and caching its own:

- tokens, values and names of every candidate and source sentence (``unspin.text``
  "content" scheme; ``findings.values``);
- the source's vocabulary: its words, its capitalised words, how often it gives each value,
  and which abbreviations of its names a word may be;
- ``Support``: what the source offers a candidate word or clause (stems, words, figures and,
  with an embedding model, word and clause vectors), for unsupported claims;
- ``gap_pairs``: candidate and source sentences the aligner left apart that say much the
  same, so neither is reported as an invention nor as an omission;
- ``source_quotes`` / ``candidate_quotes``: each document's quotations with their speakers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from unspin.align import single_blas_thread
from unspin.findings.quoted import DocQuotes
from unspin.findings.values import Value, abbrev_match, content, extract_values, name_tokens, value_key
from unspin.lang.en.patterns import CLAUSE_BREAK
from unspin.lang.en.stop_words import FUNCTION_WORDS
from unspin.text import Tok, tokenize
from unspin.types import Sentence

if TYPE_CHECKING:
    from unspin.findings.context import Context

WORD_SIM = 0.5  # static-embedding cosine at which a source word supports a candidate word


def source_clauses(text: str) -> list[str]:
    """The clauses of a source sentence (three words or more), each embedded on its own."""
    return [p.strip() for p in CLAUSE_BREAK.split(text) if len(p.split()) >= 3]


@dataclass
class Support:
    """What the source offers: stems, words, numbers, clause vectors, word vectors.

    ``enc`` is the pipeline's embedding model, None without one (the lexical backend): the
    synonym and paraphrase checks are then off.
    """

    stems: set[str]
    words: set[str]
    values: set
    enc: object | None
    word_list: list[str]
    word_vecs: np.ndarray | None
    clause_vecs: np.ndarray | None
    # candidate word -> best cosine with a source word, filled as words are asked about
    word_sims: dict[str, float] = field(default_factory=dict)
    names: Names | None = None

    @classmethod
    def build(cls, src_sentences: list[Sentence], src_tokens: list[list[Tok]], src_values: list[list[Value]],
              words: set[str], names: Names, enc) -> Support:
        toks = [t for ts in src_tokens for t in ts]
        stems = {t.stem for t in toks}
        values = {value_key(v) for vs in src_values for v in vs}
        word_list = sorted({t.norm for t in content(toks) if t.is_word})
        word_vecs = clause_vecs = None
        if enc is not None:
            word_vecs = enc.encode(word_list) if word_list else None
            clauses = [c for s in src_sentences for c in source_clauses(s.text)]
            clauses += [s.text for s in src_sentences]
            clause_vecs = enc.encode(clauses) if clauses else None
        return cls(stems, words, values, enc, word_list, word_vecs, clause_vecs, {}, names)

    def unsupported(self, toks: list[Tok], values: list[Value]) -> list[Tok]:
        """Content tokens of ``toks`` (whose values are ``values``) that nothing in the source supports."""
        vals = {value_key(v): v for v in values}
        num_toks = {k for v in vals.values() for k in range(v.i, v.j)}
        missing_vals = {k for key, v in vals.items() if key not in self.values for k in range(v.i, v.j)}
        out = []
        pending = []
        for k, t in enumerate(toks):
            if k in num_toks:
                if k in missing_vals and (t.is_num or t.is_word):
                    out.append(t)
                continue
            if not ((t.is_word and t.norm not in FUNCTION_WORDS and len(t.norm) > 1) or t.is_num):
                continue
            if t.stem in self.stems or t.norm.replace(".", "") in self.words:
                continue
            if t.cap and self.names is not None and self.names.abbreviates(t.norm):
                continue
            pending.append(t)
        if pending and self.enc is not None and self.word_vecs is not None:
            need = [t.norm for t in pending if t.norm not in self.word_sims]
            if need:
                vecs = self.enc.encode(need)
                with single_blas_thread():
                    sims = (vecs @ self.word_vecs.T).max(axis=1)
                for w, s in zip(need, sims, strict=True):
                    self.word_sims[w] = float(s)
            pending = [t for t in pending if self.word_sims.get(t.norm, 0.0) < WORD_SIM]
        out += pending
        out.sort(key=lambda t: t.start)
        return out

    def prime(self, toks: list[Tok]) -> None:
        """Embed, in one batch, every candidate word a later ``unsupported`` call may ask about."""
        if self.enc is None or self.word_vecs is None:
            return
        need = sorted({t.norm for t in toks if t.is_word and t.norm not in self.word_sims
                       and t.stem not in self.stems and t.norm not in FUNCTION_WORDS})
        if need:
            vecs = self.enc.encode(need)
            with single_blas_thread():
                sims = (vecs @ self.word_vecs.T).max(axis=1)
            self.word_sims.update(zip(need, (float(x) for x in sims), strict=True))

    def clause_sims(self, texts: list[str]) -> list[float]:
        """Best cosine of each text with any source clause or sentence (0 without the model)."""
        if not texts or self.enc is None or self.clause_vecs is None:
            return [0.0] * len(texts)
        vecs = self.enc.encode(texts)
        with single_blas_thread():
            return [float(x) for x in (vecs @ self.clause_vecs.T).max(axis=1)]


@dataclass
class Names:
    """Which source word a name may be a short or long form of ('Berks' for 'Berkshire').

    Source words are grouped by first letter once; each answer is kept.
    """

    words: set[str]  # the source's words, lower case, dots dropped
    caps: set[str]  # ... the capitalised ones
    by_first: dict[str, list[str]] = field(default_factory=dict)
    known: dict[str, bool] = field(default_factory=dict)
    short: dict[str, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for w in self.words:
            self.by_first.setdefault(w[:1], []).append(w)

    def known_name(self, norm: str) -> bool:
        """A source word is ``norm`` or a short or long form of it, read strictly against the
        source's common (uncapitalised) words: a changed name must be new to the source."""
        if norm not in self.known:
            self.known[norm] = any(abbrev_match(norm, w, w not in self.caps)
                                   for w in self.by_first.get(norm[:1], ()))
        return self.known[norm]

    def abbreviates(self, norm: str) -> bool:
        """A source word is ``norm`` or a short or long form of it: a capitalised word the source
        supports that way is not unsupported."""
        if norm not in self.short:
            self.short[norm] = any(abbrev_match(norm, w) for w in self.by_first.get(norm[:1], ()))
        return self.short[norm]


@dataclass
class Analysis:
    """The shared analysis of one comparison (empty for a candidate that is not derived).

    Sentence lists follow the alignment's numbering: ``cand_tokens[i]`` belongs to
    ``Context.cand_sentences[i]``, ``src_tokens[k]`` to ``Context.src_sentences[k]``. Token
    lists are shared: callers must not change them.
    """

    cand_tokens: list[list[Tok]] = field(default_factory=list)
    src_tokens: list[list[Tok]] = field(default_factory=list)
    cand_values: list[list[Value]] = field(default_factory=list)
    src_values: list[list[Value]] = field(default_factory=list)
    # token indexes of the names in each sentence (``values.name_tokens``)
    cand_names: list[list[int]] = field(default_factory=list)
    src_names: list[list[int]] = field(default_factory=list)
    # (doc, start) of a source sentence -> its position in Context.src_sentences
    src_pos: dict[tuple[int, int], int] = field(default_factory=dict)
    # how many times the source gives each value (by ``value_key``): a restated figure
    value_counts: dict[tuple[str, float | str], int] = field(default_factory=dict)
    # the source's words and capitalised words, and which of them a name may abbreviate
    names: Names = field(default_factory=lambda: Names(set(), set()))
    # what the source offers a candidate word or clause (None when not derived)
    support: Support | None = None
    # (candidate sentence, source position) pairs the aligner left apart that say much the same
    gap_pairs: set[tuple[int, int]] = field(default_factory=set)
    # each source document's and the candidate's quotations with their speakers
    source_quotes: list[DocQuotes] = field(default_factory=list)
    candidate_quotes: DocQuotes | None = None

    def source_tokens(self, s: Sentence) -> list[Tok]:
        """The tokens of source sentence ``s`` (found by document and offset)."""
        return self.src_tokens[self.src_pos[(s.doc, s.start)]]

    @property
    def source_words(self) -> set[str]:
        """Every source word, lower case, dots dropped ("U.S." is "us")."""
        return self.names.words


def sentence_tokens(s: Sentence) -> list[Tok]:
    """The "content" tokens of a sentence, with document offsets."""
    return tokenize(s.text, s.start)


def analyse(ctx: Context, encoder=None) -> Analysis:
    """The shared analysis for ``ctx`` (see the module docstring); empty when not derived.

    ``encoder`` is the pipeline's embedding backend; None takes the default one, as a
    caller with no pipeline (a test, a bench) would.
    """
    if not ctx.derived:
        return Analysis()
    src, cand = ctx.src_sentences, ctx.cand_sentences
    a = Analysis()
    a.cand_tokens = [sentence_tokens(s) for s in cand]
    a.src_tokens = [sentence_tokens(s) for s in src]
    a.cand_values = [extract_values(t) for t in a.cand_tokens]
    a.src_values = [extract_values(t) for t in a.src_tokens]
    a.cand_names = [name_tokens(t) for t in a.cand_tokens]
    a.src_names = [name_tokens(t) for t in a.src_tokens]
    a.src_pos = {(s.doc, s.start): k for k, s in enumerate(src)}
    for vals in a.src_values:
        for v in vals:
            key = value_key(v)
            a.value_counts[key] = a.value_counts.get(key, 0) + 1
    words = {t.norm.replace(".", "") for toks in a.src_tokens for t in toks if t.is_word}
    caps = {t.norm.replace(".", "") for toks in a.src_tokens for t in toks if t.is_word and t.cap}
    a.names = Names(words, caps)
    a.support = Support.build(src, a.src_tokens, a.src_values, words, a.names, _embedding(encoder))
    a.gap_pairs = _gap_pairs(ctx, a)
    a.source_quotes = [DocQuotes.build(s) for s in ctx.sources]
    a.candidate_quotes = DocQuotes.build(ctx.candidate)
    return a


def _embedding(encoder):
    """The encoder word and clause support is measured with: the pipeline's, or the default
    backend for a caller that passed none; None for the lexical backend (no model: the
    synonym and paraphrase checks are off) or when no model loads."""
    if encoder is None:
        try:
            from unspin.embed import get_backend

            encoder = get_backend("auto")
        except Exception:  # a missing or broken model only costs the synonym check
            return None
    return None if getattr(encoder, "name", "lexical") == "lexical" else encoder


def _gap_pairs(ctx: Context, a: Analysis) -> set[tuple[int, int]]:
    """(candidate sentence, source position) pairs the aligner left apart but that sit in the
    same gap between two links and say much the same (a heavy paraphrase, not an invention
    plus an omission)."""
    pairs: set[tuple[int, int]] = set()
    sup = a.support
    c2s = {c: [s for link in links for s in link.source] for c, links in ctx.cand_links.items()}
    linked_src = set(ctx.src_links)
    n_src, cands = len(ctx.src_sentences), ctx.cand_sentences
    if sup is not None and sup.enc is not None:
        # per candidate sentence, the last source position linked before it and the first after
        before, after = [-1] * (len(cands) + 1), [n_src] * (len(cands) + 1)
        for j in range(len(cands)):
            before[j + 1] = max(before[j], max(c2s[j])) if c2s.get(j) else before[j]
        for j in range(len(cands) - 1, -1, -1):
            after[j] = min(after[j + 1], min(c2s[j])) if c2s.get(j) else after[j + 1]
        unlinked = [i for i in range(n_src) if i not in linked_src]
        for c in cands:
            if c.index in c2s:
                continue
            prev, nxt = before[c.index], after[c.index + 1]
            lo, hi = bisect.bisect_right(unlinked, prev), bisect.bisect_left(unlinked, nxt)
            if not 0 < hi - lo <= 6:
                continue
            gap = unlinked[lo:hi]
            vecs = sup.enc.encode([c.text] + [ctx.src_sentences[i].text for i in gap])
            cst = {t.stem for t in content(a.cand_tokens[c.index])}
            for i, cos in zip(gap, vecs[1:] @ vecs[0], strict=True):
                sst = {t.stem for t in content(a.src_tokens[i])}
                lex = len(cst & sst) / max(1, min(len(cst), len(sst)))
                if cos >= 0.6 and lex >= 0.15:
                    pairs.add((c.index, i))
    return pairs
