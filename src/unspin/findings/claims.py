"""``unsupported_claim``: candidate content that nothing in the source supports.

Two shapes: a whole candidate sentence the aligner could not tie to any source sentence
(an invented detail, background from elsewhere), and a clause inside an aligned sentence
that carries new content (the seed's "actively pursuing a 'phase one' agreement on trade",
which replaced what the meeting actually agreed). A paraphrase also uses new words, so new
words alone prove nothing: a clause is novel only when several of its content words are
unsupported (no stem match anywhere in the source, no close static-embedding neighbour) and
the clause as a whole is not close in meaning to any source clause. Sentences already
reported as garbled or as a fabricated quotation are left alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np

from unspin.align import single_blas_thread
from unspin.findings.context import Context
from unspin.findings.facts import (
    FUNCTION_WORDS,
    Tok,
    _abbrev_match,
    content,
    extract_values,
    sentence_tokens,
    words_of,
)
from unspin.types import Finding, Sentence

WEAK_LINK = 0.45  # a candidate sentence linked no better than this stands on its own
WORD_SIM = 0.5  # static-embedding cosine at which a source word supports a candidate word
CLAUSE_SIM = 0.38  # a clause this close to some source clause is a paraphrase of it
CLAUSE_SIM_QUOTED = 0.5  # ... unless it brings a quoted term the source never uses

_SPLIT_WORDS = frozenset(words_of("""
that which who whom because while although though whereas but and after before since until
unless if
"""))
_SKIP = {"garbled_text", "fabricated_quote"}
_EXPLAINED = {"altered_quote", "meaning_shift", "changed_fact", "attribution_change", "unsupported_claim"}


# ----------------------------------------------------------------------------------------------
# word support


def _encoder():
    """The static model when it is installed (per-word vectors); None otherwise."""
    try:
        from unspin.embed import get_backend

        enc = get_backend("auto")
    except Exception:  # a missing or broken model only costs the synonym check
        return None
    return enc if getattr(enc, "name", "") == "model2vec" else None


@dataclass
class Support:
    """What the source offers: stems, words, numbers, clause vectors, word vectors."""

    stems: set[str]
    words: set[str]
    values: set
    enc: object | None
    word_list: list[str]
    word_vecs: np.ndarray | None
    clause_vecs: np.ndarray | None
    _cache: dict
    _abbrev: dict[str, bool] = field(default_factory=dict)
    _by_first: dict[str, list[str]] | None = None

    @classmethod
    def of(cls, ctx: Context) -> Support:
        cached = getattr(ctx, "_support", None)
        if cached is not None:
            return cached
        toks = [t for s in ctx.src_sentences for t in sentence_tokens(s)]
        stems = {t.stem for t in toks}
        words = {t.norm.replace(".", "") for t in toks if t.is_word}
        values = {(v.kind if v.kind not in ("num", "money") else "num", v.value)
                  for s in ctx.src_sentences for v in extract_values(sentence_tokens(s))}
        enc = _encoder()
        word_list = sorted({t.norm for t in content(toks) if t.is_word})
        word_vecs = clause_vecs = None
        if enc is not None:
            word_vecs = enc.encode(word_list) if word_list else None
            clauses = [c for s in ctx.src_sentences for c in source_clauses(s.text)]
            clauses += [s.text for s in ctx.src_sentences]
            clause_vecs = enc.encode(clauses) if clauses else None
        sup = cls(stems, words, values, enc, word_list, word_vecs, clause_vecs, {})
        ctx._support = sup  # type: ignore[attr-defined]
        return sup

    def _abbreviates(self, norm: str) -> bool:
        """Whether a source word with the same first letter is ``norm`` or a short or long form
        of it; source words grouped by first letter once, each answer kept."""
        if self._by_first is None:
            self._by_first = {}
            for w in self.words:
                self._by_first.setdefault(w[:1], []).append(w)
        if norm not in self._abbrev:
            self._abbrev[norm] = any(_abbrev_match(norm, w) for w in self._by_first.get(norm[:1], ()))
        return self._abbrev[norm]

    def unsupported(self, toks: list[Tok]) -> list[Tok]:
        """Content tokens of ``toks`` that nothing in the source supports."""
        vals = {(v.kind if v.kind not in ("num", "money") else "num", v.value): v
                for v in extract_values(toks)}
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
            if t.cap and self._abbreviates(t.norm):
                continue
            pending.append(t)
        if pending and self.enc is not None and self.word_vecs is not None:
            need = [t.norm for t in pending if t.norm not in self._cache]
            if need:
                vecs = self.enc.encode(need)
                with single_blas_thread():
                    sims = (vecs @ self.word_vecs.T).max(axis=1)
                for w, s in zip(need, sims, strict=True):
                    self._cache[w] = float(s)
            pending = [t for t in pending if self._cache.get(t.norm, 0.0) < WORD_SIM]
        out += pending
        out.sort(key=lambda t: t.start)
        return out

    def prime(self, toks: list[Tok]) -> None:
        """Embed, in one batch, every candidate word a later ``unsupported`` call may ask about."""
        if self.enc is None or self.word_vecs is None:
            return
        need = sorted({t.norm for t in toks if t.is_word and t.norm not in self._cache
                       and t.stem not in self.stems and t.norm not in FUNCTION_WORDS})
        if need:
            vecs = self.enc.encode(need)
            with single_blas_thread():
                sims = (vecs @ self.word_vecs.T).max(axis=1)
            self._cache.update(zip(need, (float(x) for x in sims), strict=True))

    def clause_sims(self, texts: list[str]) -> list[float]:
        """Best cosine of each text with any source clause or sentence (0 without the model)."""
        if not texts or self.enc is None or self.clause_vecs is None:
            return [0.0] * len(texts)
        vecs = self.enc.encode(texts)
        with single_blas_thread():
            return [float(x) for x in (vecs @ self.clause_vecs.T).max(axis=1)]


_CLAUSE_RE = re.compile(r"[,;:()\"“”]|\s[-–—]\s|\b(?:and|but|while|which|who|that|because|after|before)\b")


def source_clauses(text: str) -> list[str]:
    return [p.strip() for p in _CLAUSE_RE.split(text) if len(p.split()) >= 3]


def clauses(toks: list[Tok]) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence: split at punctuation and subordinators,
    pieces under three words joined to the next."""
    cuts = [0]
    for k, t in enumerate(toks):
        if t.text in (",", ";", ":", "(", ")") or (t.text == "-" and k and toks[k - 1].end < t.start):
            cuts.append(k + 1)
        elif t.norm in _SPLIT_WORDS and k > 0:
            cuts.append(k)
    cuts.append(len(toks))
    ranges = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    out: list[tuple[int, int]] = []
    carry = None
    for a, b in ranges:
        if carry is not None:
            a, carry = carry, None
        if sum(1 for t in toks[a:b] if t.is_word or t.is_num) < 3:
            if out:  # "and China": the tail of the clause before
                out[-1] = (out[-1][0], b)
            else:
                carry = a
            continue
        out.append((a, b))
    if carry is not None:
        out.append((carry, len(toks)))
    return out


# ----------------------------------------------------------------------------------------------


def _trim(toks: list[Tok], a: int, b: int) -> tuple[int, int]:
    while a < b and not (toks[a].is_word or toks[a].is_num or toks[a].text in "£$€“\""):
        a += 1
    while b > a and not (toks[b - 1].is_word or toks[b - 1].is_num or toks[b - 1].text in "”\""):
        b -= 1
    return a, b


def _headline(ctx: Context, s: Sentence) -> bool:
    """The candidate's own headline or byline: a short unpunctuated first line, or a bare name."""
    doc = ctx.candidate.doc
    text = s.text.strip()
    if doc.paragraphs and s.start >= doc.paragraphs[0].start and s.end <= doc.paragraphs[0].end \
            and len(text.split()) <= 20 and text[-1:] not in ".!?\"”’":
        return True
    words = text.split()
    return len(words) <= 4 and all(w[:1].isupper() for w in words) and text[-1:] not in ".!?"


def _quoted_terms(toks: list[Tok], src_words: set[str]) -> list[str]:
    """Quoted words the source never uses ('a "phase one" agreement')."""
    out = []
    open_at = None
    for k, t in enumerate(toks):
        if t.text == '"':
            if open_at is None:
                open_at = k
            else:
                inner = [x for x in toks[open_at + 1:k] if x.is_word]
                if 0 < len(inner) <= 4 and any(x.norm not in src_words for x in inner):
                    out.append(" ".join(x.text for x in inner))
                open_at = None
    return out


def _severity(novel: list[Tok], quoted: list[str], toks: list[Tok]) -> str:
    """High when what is new is a name, a number or a quoted term."""
    if quoted:
        return "high"
    vals = {k for v in extract_values(toks) for k in range(v.i, v.j)}
    ids = {id(t) for t in novel}
    for k, t in enumerate(toks):
        if id(t) in ids and (k in vals or (t.cap and k > 0 and toks[k - 1].text not in ('"', "(", ":"))):
            return "high"
    return "medium"


def gap_pairs(ctx: Context) -> set[tuple[int, int]]:
    """(candidate sentence, source position) pairs the aligner left apart but that sit in the
    same gap between two links and say much the same (a heavy paraphrase, not an invention
    plus an omission)."""
    cached = getattr(ctx, "_gap_pairs", None)
    if cached is not None:
        return cached
    pairs: set[tuple[int, int]] = set()
    sup = Support.of(ctx)
    c2s = {c: [s for link in links for s in link.source] for c, links in ctx.cand_links.items()}
    linked_src = set(ctx.src_links)
    n_src, cands = len(ctx.src_sentences), ctx.cand_sentences
    if sup.enc is not None:
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
            cst = {t.stem for t in content(sentence_tokens(c))}
            for i, cos in zip(gap, vecs[1:] @ vecs[0], strict=True):
                sst = {t.stem for t in content(sentence_tokens(ctx.src_sentences[i]))}
                lex = len(cst & sst) / max(1, min(len(cst), len(sst)))
                if cos >= 0.6 and lex >= 0.15:
                    pairs.add((c.index, i))
    ctx._gap_pairs = pairs  # type: ignore[attr-defined]
    return pairs


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    sup = Support.of(ctx)
    sents = [cs for cs in ctx.cand_sentences if ctx.in_scope(cs.start, cs.end)
             and not ctx.flagged(cs.start, cs.end, _SKIP) and not _headline(ctx, cs)]
    sup.prime([t for cs in sents for t in sentence_tokens(cs)])
    wholes: list[tuple] = []  # whole sentences to judge, then clauses, each with its text to embed
    parts: list[tuple] = []
    paired = {c for c, _ in gap_pairs(ctx)}
    own = ctx.alignment.candidate_best
    for cs in sents:
        toks = sentence_tokens(cs)
        ct = content(toks)
        if len(ct) < 3:
            continue
        links = ctx.cand_links.get(cs.index, [])
        best = max((link.similarity for link in links), default=0.0)
        if links and cs.index < len(own):
            best = min(best, own[cs.index])  # a sentence carried along by a split link stands alone
        novel = sup.unsupported(toks)
        if best < WEAK_LINK:
            if cs.index not in paired and len(novel) >= 2 and len(novel) >= 0.25 * len(ct):
                wholes.append((cs, toks, novel, _quoted_terms(toks, sup.words), best, cs.text))
            continue
        if len(novel) < 2:
            continue
        novel_ids = {id(t) for t in novel}
        for a, b in clauses(toks):
            ctoks = toks[a:b]
            cn = content(ctoks)
            nv = [t for t in ctoks if id(t) in novel_ids]
            q = _quoted_terms(ctoks, sup.words)
            nwords = sum(1 for t in ctoks if t.is_word or t.is_num)
            if len(nv) < 2 or len(nv) < 0.4 * len(cn) or len(cn) < 3:
                continue
            if not q and (len(nv) < 3 or nwords < 5):
                continue  # a short idiom ("behind bars") is paraphrase more often than news
            if sup.enc is None and (len(nv) < 4 or not q):
                continue  # without the model, only the strongest cases
            a2, b2 = _trim(toks, a, b)
            if b2 <= a2:
                continue
            start, end = toks[a2].start, toks[b2 - 1].end
            if ctx.flagged(start, end, _EXPLAINED):
                continue
            parts.append((cs, toks, nv, q, start, end, ctx.candidate_text[start:end]))
    sims = sup.clause_sims([w[-1] for w in wholes] + [p[-1] for p in parts])
    out: list[Finding] = []
    for (cs, toks, novel, quoted, best, _), sim in zip(wholes, sims[:len(wholes)], strict=True):
        conf = 0.9 if sim < 0.6 else 0.75 if sim < 0.75 else 0.6
        sev = _severity(novel, quoted, toks)
        if sim >= 0.75 and sev == "medium":
            sev = "low"
        out.append(Finding(
            type="unsupported_claim", severity=sev,
            explanation="Nothing in the source supports this sentence; it brings in "
                        + ", ".join(f"'{t.text}'" for t in novel[:4]) + ".",
            candidate=ctx.cand_span(cs.start, cs.end), confidence=conf,
            details={"candidate_sentence": cs.index, "unsupported_words": [t.text for t in novel],
                     "best_link": round(best, 3), "closest_source_clause": round(sim, 3)}))
    for (cs, toks, nv, q, start, end, _), sim in zip(parts, sims[len(wholes):], strict=True):
        if sup.enc is not None and sim >= (CLAUSE_SIM_QUOTED if q else CLAUSE_SIM):
            continue
        if any(f.candidate and f.candidate.start < end and start < f.candidate.end for f in out):
            continue
        out.append(Finding(
            type="unsupported_claim", severity=_severity(nv, q, toks),
            explanation="This part of an otherwise aligned sentence has no support in the source: "
                        + ", ".join(f"'{t.text}'" for t in nv[:4]) + " appear nowhere in it"
                        + (f", nor does the quoted term '{q[0]}'" if q else "") + ".",
            candidate=ctx.cand_span(start, end),
            source=_linked_span(ctx, cs), source_doc=ctx.source_for(cs.index)[0].doc,
            confidence=0.7 if q else 0.6,
            details={"candidate_sentence": cs.index, "unsupported_words": [t.text for t in nv],
                     "quoted_terms": q, "closest_source_clause": round(sim, 3)}))
    out.sort(key=lambda f: f.candidate.start if f.candidate else 0)
    return out


def _linked_span(ctx: Context, cs: Sentence):
    src = ctx.source_for(cs.index)
    if not src:
        return None
    same = [s for s in src if s.doc == src[0].doc]
    return ctx.src_span(src[0].doc, same[0].start, same[-1].end)
