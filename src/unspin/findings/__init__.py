"""Findings: what the rewrite changed, each with evidence spans on both sides.

Each detector module has one job and exposes ``detect(ctx) -> list[Finding]``; this module
builds the shared ``Context`` once, runs the detectors, drops duplicates and orders the
result by severity, then by position in the candidate.
"""

from __future__ import annotations

from unspin.findings.context import Context
from unspin.types import Alignment, Finding, Segmented, Verdict

SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


def _detectors():
    from unspin.findings import claims, facts, garbled, omissions, quotes, shifts

    return [garbled, quotes, facts, shifts, claims, omissions]


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


def detect(sources: list[Segmented], candidate: Segmented, alignment: Alignment,
           verdict: Verdict) -> list[Finding]:
    """All findings for one comparison; none when the candidate is not derived."""
    ctx = Context.build(sources, candidate, alignment, verdict)
    found = ctx.found
    for module in _detectors():
        for f in module.detect(ctx):
            if not any(_overlaps(f, g) for g in found):
                found.append(f)
    found.sort(key=lambda f: (SEVERITY_RANK[f.severity],
                              f.candidate.start if f.candidate else 10**9,
                              f.source.start if f.source else 0))
    return found
