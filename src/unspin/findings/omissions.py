"""``omission``: important source content the candidate does not convey.

A source sentence is a candidate omission when the aligner linked it to nothing and nothing
in the candidate comes close (its best similarity stays low, and no single candidate
sentence holds most of its content words). Bylines, headlines, datelines and sign-offs are
never reported. What is left is ranked by importance (the lead, direct quotations, numbers,
names, length) and capped, so a long partially derived candidate yields a short list of the
omissions that matter rather than every sentence it skipped.
"""

from __future__ import annotations

import math
import re

from unspin.findings.context import Context
from unspin.findings.values import Value, content
from unspin.lang.en.grammar import CONCESSIVES
from unspin.lang.en.legal import STATUS as STATUS_WORDS
from unspin.lang.en.messages import OMISSION_REASONS
from unspin.lang.en.patterns import BYLINE, SIGNOFF, WIRE_DATELINE
from unspin.text import Tok, stem_set
from unspin.types import Finding, Sentence

UNLINKED_BEST = 0.62  # an unlinked source sentence this similar to something may still be conveyed
LOCAL_COVER = 0.7  # share of its content words one candidate sentence must hold to convey it
CAP_SHARE = 0.2  # report at most this share of the source's sentences (at least MIN_CAP)
MAX_CAP = 25  # a reviewer reads a ranked list, not every sentence of a long source
MIN_CAP = 3

# where a defendant or the case now stands, by stem: matters more than its length says
STATUS = stem_set(STATUS_WORDS)


def trivial(s: Sentence) -> bool:
    """Lines that are not content: bylines, sign-offs, datelines, headlines and subheads."""
    text = s.text.strip()
    words = re.findall(r"[\w'’]+", text)
    if len(words) < 4 or BYLINE.match(text) or SIGNOFF.search(text):
        return True
    if len(words) <= 12 and text[-1] not in ".!?:;\"”’'…)" and text[0].isupper():
        return True  # a subhead or label: short, no sentence end
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return True  # an all-capitals headline or label
    return bool(WIRE_DATELINE.match(text))


def _lead_paragraph(ctx: Context, doc: int) -> int:
    """The first paragraph of a source that holds a real sentence."""
    for s in ctx.src_sentences:
        if s.doc == doc and not trivial(s):
            return s.paragraph
    return 0


def _importance(ctx: Context, s: Sentence, toks: list[Tok], values: list[Value], names: list[int],
                lead: int) -> tuple[float, list[str]]:
    why = []
    score = 0.0
    if s.paragraph == lead:
        score += 2.0
        why.append("lead")
    if any(q.doc == s.doc and s.start <= q.start < s.end for q in ctx.sources[s.doc].quotes) or \
            re.search(r"[\"“].{12,}", s.text):
        score += 1.0
        why.append("quote")
    if any(v.kind in ("num", "money", "year", "month") for v in values):
        score += 1.0
        why.append("numbers")
    if names:
        score += 0.5
        why.append("names")
    n = len(content(toks))
    score += min(n / 10.0, 1.5)
    if any(t.stem in STATUS for t in toks):
        score += 1.0
        why.append("status")
    return score, why


def _dropped_qualifier(toks, all_cand: set[str]) -> bool:
    """A sentence close to something in the candidate whose concessive clause ('although there
    has been a bigger one in England') the candidate nowhere conveys: the claim is kept, its
    limit dropped."""
    for k, t in enumerate(toks):
        if t.norm in CONCESSIVES and k >= 4:
            clause = {x.stem for x in content(toks[k + 1:]) if x.is_word}
            return len(clause) >= 3 and len(clause & all_cand) <= len(clause) / 3
    return False


def _local_cover(stems: set[str], cand_stems: list[set[str]], by_stem: dict[str, list[int]]) -> float:
    """The best share of ``stems`` one candidate sentence holds, counted through the stem index
    rather than by intersecting with every candidate sentence."""
    if not cand_stems:
        return 0.0
    counts: dict[int, int] = {}
    for w in stems:
        for i in by_stem.get(w, ()):
            counts[i] = counts.get(i, 0) + 1
    return max(counts.values(), default=0) / len(stems)


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    an = ctx.analysis
    cand_stems = [{t.stem for t in content(toks)} for toks in an.cand_tokens]
    all_cand = set().union(*cand_stems) if cand_stems else set()
    best = ctx.alignment.source_best
    paired = {s for _, s in an.gap_pairs}
    by_stem: dict[str, list[int]] = {}  # stem -> candidate sentences holding it
    for i, c in enumerate(cand_stems):
        for w in c:
            by_stem.setdefault(w, []).append(i)
    leads: dict[int, int] = {}
    found = []
    for pos, s in enumerate(ctx.src_sentences):
        if ctx.src_links.get(pos) or pos in paired or trivial(s):
            continue
        toks, values = an.src_tokens[pos], an.src_values[pos]
        if pos < len(best) and best[pos] >= UNLINKED_BEST:
            if _dropped_qualifier(toks, all_cand):
                if s.doc not in leads:
                    leads[s.doc] = _lead_paragraph(ctx, s.doc)
                score, why = _importance(ctx, s, toks, values, an.src_names[pos], leads[s.doc])
                found.append((score, pos, s, why + ["qualifier"], 0.5))
            continue
        ct = [t for t in content(toks) if t.is_word or t.is_num]
        if len(ct) < 3 and not (len(ct) == 2 and any(t.stem in STATUS for t in ct)):
            continue
        stems = {t.stem for t in ct}
        local = _local_cover(stems, cand_stems, by_stem)
        overall = len(stems & all_cand) / len(stems)
        if local >= LOCAL_COVER or (overall >= 0.75 and len(stems) < 6) or overall >= 0.9:
            continue
        if s.doc not in leads:
            leads[s.doc] = _lead_paragraph(ctx, s.doc)
        score, why = _importance(ctx, s, toks, values, an.src_names[pos], leads[s.doc])
        found.append((score, pos, s, why, local))
    n_src = sum(1 for s in ctx.src_sentences if not trivial(s))
    cap = min(MAX_CAP, max(MIN_CAP, math.ceil(CAP_SHARE * n_src)))
    found.sort(key=lambda x: -x[0])
    out = []
    # where the defendant now stands is short and ranks low, yet a reader needs it: over the cap
    keep = found[:cap] + [x for x in found[cap:] if "status" in x[3]][:1]
    for score, _pos, s, why, local in keep:
        sev = "high" if score >= 3.0 or "lead" in why else "medium" if score >= 1.8 else "low"
        kinds = [OMISSION_REASONS[w] for w in why if w in OMISSION_REASONS]
        explanation = "The candidate leaves out this source sentence" + (
            f" ({', '.join(kinds)})" if kinds else "") + "; nothing in it conveys the content."
        out.append(Finding(
            type="omission", severity=sev, explanation=explanation, candidate=None,
            source=ctx.src_span(s.doc, s.start, s.end), source_doc=s.doc,
            confidence=round(min(0.95, 0.55 + 0.1 * score - 0.3 * local), 3),
            details={"source_sentence": s.index, "importance": round(score, 2), "why": why,
                     "best_candidate_cover": round(local, 2)}))
    out.sort(key=lambda f: (f.source_doc, f.source.start if f.source else 0))
    return out
