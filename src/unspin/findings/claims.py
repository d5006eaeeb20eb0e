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

from unspin.findings.context import Context
from unspin.findings.values import content
from unspin.lang.en.grammar import CLAUSE_OPENERS
from unspin.text import Tok
from unspin.types import Finding, Sentence

WEAK_LINK = 0.45  # a candidate sentence linked no better than this stands on its own
CLAUSE_SIM = 0.38  # a clause this close to some source clause is a paraphrase of it
CLAUSE_SIM_QUOTED = 0.5  # ... unless it brings a quoted term the source never uses

_SKIP = {"garbled_text", "fabricated_quote"}
_EXPLAINED = {"altered_quote", "meaning_shift", "changed_fact", "attribution_change"}


def clauses(toks: list[Tok]) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence: split at punctuation and subordinators,
    pieces under three words joined to the next."""
    cuts = [0]
    for k, t in enumerate(toks):
        if t.text in (",", ";", ":", "(", ")") or (t.text == "-" and k and toks[k - 1].end < t.start):
            cuts.append(k + 1)
        elif t.norm in CLAUSE_OPENERS and k > 0:
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


def _severity(novel: list[Tok], quoted: list[str], toks: list[Tok], values) -> str:
    """High when what is new is a name, a number or a quoted term (``values``: those of ``toks``)."""
    if quoted:
        return "high"
    vals = {k for v in values for k in range(v.i, v.j)}
    ids = {id(t) for t in novel}
    for k, t in enumerate(toks):
        if id(t) in ids and (k in vals or (t.cap and k > 0 and toks[k - 1].text not in ('"', "(", ":"))):
            return "high"
    return "medium"


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    an = ctx.analysis
    sup = an.support
    sents = [cs for cs in ctx.cand_sentences if ctx.in_scope(cs.start, cs.end)
             and not ctx.flagged(cs.start, cs.end, _SKIP) and not _headline(ctx, cs)]
    sup.prime([t for cs in sents for t in an.cand_tokens[cs.index]])
    wholes: list[tuple] = []  # whole sentences to judge, then clauses, each with its text to embed
    parts: list[tuple] = []
    paired = {c for c, _ in an.gap_pairs}
    own = ctx.alignment.candidate_best
    for cs in sents:
        toks, values = an.cand_tokens[cs.index], an.cand_values[cs.index]
        ct = content(toks)
        if len(ct) < 3:
            continue
        links = ctx.cand_links.get(cs.index, [])
        best = max((link.similarity for link in links), default=0.0)
        if links and cs.index < len(own):
            best = min(best, own[cs.index])  # a sentence carried along by a split link stands alone
        novel = sup.unsupported(toks, values)
        if best < WEAK_LINK:
            if cs.index not in paired and len(novel) >= 2 and len(novel) >= 0.25 * len(ct):
                wholes.append((cs, toks, values, novel, _quoted_terms(toks, sup.words), best, cs.text))
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
            parts.append((cs, toks, values, nv, q, start, end, ctx.candidate_text[start:end]))
    sims = sup.clause_sims([w[-1] for w in wholes] + [p[-1] for p in parts])
    out: list[Finding] = []
    for (cs, toks, values, novel, quoted, best, _), sim in zip(wholes, sims[:len(wholes)], strict=True):
        conf = 0.9 if sim < 0.6 else 0.75 if sim < 0.75 else 0.6
        sev = _severity(novel, quoted, toks, values)
        if sim >= 0.75 and sev == "medium":
            sev = "low"
        out.append(Finding(
            type="unsupported_claim", severity=sev,
            explanation="Nothing in the source supports this sentence; it brings in "
                        + ", ".join(f"'{t.text}'" for t in novel[:4]) + ".",
            candidate=ctx.cand_span(cs.start, cs.end), confidence=conf,
            details={"candidate_sentence": cs.index, "unsupported_words": [t.text for t in novel],
                     "best_link": round(best, 3), "closest_source_clause": round(sim, 3)}))
    for (cs, toks, values, nv, q, start, end, _), sim in zip(parts, sims[len(wholes):], strict=True):
        if sup.enc is not None and sim >= (CLAUSE_SIM_QUOTED if q else CLAUSE_SIM):
            continue
        if any(f.candidate and f.candidate.start < end and start < f.candidate.end for f in out):
            continue
        out.append(Finding(
            type="unsupported_claim", severity=_severity(nv, q, toks, values),
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
