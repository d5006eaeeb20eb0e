"""What every detector reads, computed once: sentence pairs from the alignment, the shared
analysis of the texts (``findings.analysis``), the model's judgements and the findings so far."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from unspin.findings.analysis import Analysis, analyse
from unspin.types import Alignment, Finding, Link, Segmented, Sentence, Span, Verdict


@dataclass
class Context:
    sources: list[Segmented]
    candidate: Segmented
    alignment: Alignment
    verdict: Verdict
    # candidate sentence index -> links that include it; source sentence index -> links
    cand_links: dict[int, list[Link]] = field(default_factory=dict)
    src_links: dict[int, list[Link]] = field(default_factory=dict)
    # findings of the detectors that ran before: later ones skip what is already explained
    found: list[Finding] = field(default_factory=list)
    # candidate body ranges the audit covers (the reused passages of a page that holds other
    # material); None: the whole candidate
    scope: list[tuple[int, int]] | None = None
    # candidate sentence index -> the consistency model's judgement (findings.judgements);
    # empty when the model is off or not installed
    judgements: dict = field(default_factory=dict)
    # the shared analysis: tokens, values, names, source vocabulary and support, quotations
    # with speakers (findings.analysis); empty when the candidate is not derived
    analysis: Analysis = field(default_factory=Analysis)
    # ``found`` as arrays for ``flagged``: (length of found it was built from, starts, ends, types)
    _found_index: tuple = field(default=(0, None, None, None), repr=False)

    @classmethod
    def build(cls, sources, candidate, alignment, verdict, scope=None, encoder=None) -> Context:
        """The context of one comparison, with its shared analysis. ``encoder`` is the
        pipeline's embedding backend (None: the default one)."""
        ctx = cls(sources, candidate, alignment, verdict, scope=scope)
        for link in alignment.links:
            for c in link.candidate:
                ctx.cand_links.setdefault(c, []).append(link)
            for s in link.source:
                ctx.src_links.setdefault(s, []).append(link)
        ctx.analysis = analyse(ctx, encoder)
        return ctx

    def in_scope(self, start: int, end: int) -> bool:
        """Whether candidate span [start, end) lies in the audited part of the candidate."""
        return self.scope is None or any(a <= start and end <= b for a, b in self.scope)

    @property
    def derived(self) -> bool:
        return self.verdict.derived

    @property
    def src_sentences(self) -> list[Sentence]:
        return self.alignment.source_sentences

    @property
    def cand_sentences(self) -> list[Sentence]:
        return self.alignment.candidate_sentences

    def source_text(self, doc: int) -> str:
        return self.sources[doc].doc.text

    @property
    def candidate_text(self) -> str:
        return self.candidate.doc.text

    def cand_span(self, start: int, end: int) -> Span:
        return Span(start, end, self.candidate_text[start:end])

    def src_span(self, doc: int, start: int, end: int) -> Span:
        return Span(start, end, self.source_text(doc)[start:end])

    def source_for(self, cand_index: int) -> list[Sentence]:
        """Source sentences linked to candidate sentence ``cand_index``, in source order."""
        idx = sorted({s for link in self.cand_links.get(cand_index, []) for s in link.source})
        return [self.src_sentences[i] for i in idx]

    def flagged(self, start: int, end: int, types: set[str] | None = None) -> bool:
        """Whether a finding so far covers most of candidate span [start, end).

        Detectors ask this for every sentence while ``found`` grows; arrays rebuilt when it
        has changed keep a long text's audit from being quadratic."""
        n, starts, ends, masks = self._found_index
        if n != len(self.found) or starts is None:
            spans = [f for f in self.found if f.candidate is not None]
            starts = np.array([f.candidate.start for f in spans], dtype=np.int64)
            ends = np.array([f.candidate.end for f in spans], dtype=np.int64)
            masks = {None: [f.type for f in spans]}  # the types, and a mask per set of types asked
            self._found_index = (len(self.found), starts, ends, masks)
        if not len(starts):
            return False
        hit = np.minimum(end, ends) - np.maximum(start, starts) > 0.5 * (end - start)
        if types:
            key = frozenset(types)
            if key not in masks:
                masks[key] = np.array([t in key for t in masks[None]], dtype=bool)
            hit &= masks[key]
        return bool(hit.any())
