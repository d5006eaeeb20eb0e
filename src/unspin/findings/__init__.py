"""Findings: what the rewrite changed, each with evidence spans on both sides.

Each detector module has one job and exposes ``detect(ctx) -> list[Finding]``; no detector
imports another. This module builds the shared ``Context`` once (with the shared analysis,
``findings.analysis``, and the consistency model's judgements, ``findings.judgements``), runs
the detectors, drops duplicates and orders the result by severity, then by position in the
candidate.
"""

from __future__ import annotations

from unspin.findings import judgements
from unspin.findings.context import Context
from unspin.types import Alignment, Finding, Passage, Segmented, Verdict

SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


def _detectors():
    from unspin.findings import claims, facts, garbled, learned, omissions, quotes, shifts

    return [garbled, quotes, facts, shifts, claims, learned, omissions]


def _overlaps(a: Finding, b: Finding) -> bool:
    """Same type and overlapping spans on the side that carries the finding."""
    if a.type != b.type:
        return False
    sa, sb = (a.candidate, b.candidate) if a.candidate and b.candidate else (a.source, b.source)
    if sa is None or sb is None:
        return False
    if a.candidate is None and a.source_doc != b.source_doc:
        return False
    return sa.start < sb.end and sb.start < sa.end


SCOPE_SHARE = 0.5  # passages hold less of the candidate than this: the rest is other material


def in_passages(f: Finding, passages: list[Passage]) -> bool:
    """Whether a finding sits in the reused material: its candidate span inside a passage's
    candidate stretch, or (an omission, with no candidate span) its source span between the
    first and last source character the passages of that document carry, so only source
    material the reuse skips in the middle counts as left out."""
    if f.candidate is not None:
        return any(p.candidate.start <= f.candidate.start and f.candidate.end <= p.candidate.end
                   for p in passages)
    spans = [p.source for p in passages if p.source_doc == f.source_doc]
    if f.source is None or not spans:
        return False
    return min(s.start for s in spans) <= f.source.start and f.source.end <= max(s.end for s in spans)


def _other_material(candidate: Segmented, passages: list[Passage]) -> bool:
    """The passages are the lesser part of the candidate: a page holding a copy among other text."""
    total = sum(s.end - s.start for s in candidate.sentences) or 1
    return sum(p.candidate.end - p.candidate.start for p in passages) < SCOPE_SHARE * total


def detect(sources: list[Segmented], candidate: Segmented, alignment: Alignment,
           verdict: Verdict, passages: list[Passage] | None = None, model=None,
           notes: list[str] | None = None, encoder=None) -> list[Finding]:
    """All findings for one comparison; none when the candidate is not derived.

    ``model`` is the consistency model (``unspin.consistency.ConsistencyModel``) or None: the
    rule detectors then work alone. ``encoder`` is the embedding backend the pipeline aligned
    with (None: the default one); the detectors that compare meaning use it too. Lines a
    reader should see about how the audit was done (a budget reached) are appended to
    ``notes``. Where the reused passages are only part of a page that holds other material,
    only what lies in them is reported: the rest of the page is not a change to the source.
    Where they are most of the candidate (a rewrite with additions), the additions are
    findings too.
    """
    scoped = verdict.label == "partially_derived" and bool(passages) and _other_material(candidate, passages)
    scope = [(p.candidate.start, p.candidate.end) for p in passages] if scoped and passages else None
    ctx = Context.build(sources, candidate, alignment, verdict, scope=scope, encoder=encoder)
    ctx.judgements = judgements.judge(ctx, model, notes)
    found = ctx.found
    for module in _detectors():
        for f in module.detect(ctx):
            if not any(_overlaps(f, g) for g in found):
                found.append(f)
    if scoped and passages:  # detectors skip most of what is out of scope; this is the guarantee
        found[:] = [f for f in found if in_passages(f, passages)]
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity],
                              f.candidate.start if f.candidate else 10**9,
                              f.source.start if f.source else 0))
    return found
