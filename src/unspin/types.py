"""Typed objects that flow one way through the pipeline.

ingest -> Document; segment -> Segmented; align -> Alignment; verdict -> Verdict;
findings -> list[Finding]; report renders a Report. Every span is given as offsets into
the extracted body text of its document (``Document.text``), so a reviewer can always
point at the exact characters; ``Document.to_input`` maps them back to the input file.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal

import numpy as np

SCHEMA_VERSION = "1.2"


class UnspinError(Exception):
    """A problem with the user's input, reported as one line and a non-zero exit."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Document:
    """An article as extracted from what the user gave.

    ``text`` is the body: paragraphs joined by a blank line. ``source_map`` holds
    (body_start, input_start, length) runs, so any body character maps back to ``raw``. A
    mapped character may be the cleaned form of the input's: a stray control character
    becomes a space (or the punctuation it stood for), one for one, so offsets stay true.
    """

    text: str
    paragraphs: list[Span]
    raw: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    tags: list[str] = field(default_factory=list)
    site_name: str | None = None
    url: str | None = None
    path: str | None = None
    input_format: Literal["text", "html"] = "text"
    source_map: list[tuple[int, int, int]] = field(default_factory=list)

    def to_input(self, offset: int) -> int | None:
        """Input offset of body character ``offset``, or None where the body was rebuilt."""
        if not self.source_map:
            return None
        starts = [run[0] for run in self.source_map]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        body_start, input_start, length = self.source_map[i]
        if offset - body_start > length:
            return None
        return input_start + (offset - body_start)

    # A clean plain-text article held in memory: ``Document.from_text(text, **meta)``
    # (paragraphs are the blank-line separated blocks). The reader is ingest's, which installs
    # it on import (the package imports ingest): ingest builds Documents, so types must not
    # import it back.
    from_text: ClassVar[Callable[..., Document]]


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    doc: int = 0  # which source document, when several are compared at once


@dataclass(frozen=True)
class Quote:
    """A direct quotation: ``text`` is inside the marks; offsets are body offsets."""

    start: int
    end: int
    text: str
    sentence: int
    speaker: str | None = None
    speaker_span: Span | None = None
    doc: int = 0


@dataclass
class Segmented:
    doc: Document
    sentences: list[Sentence]
    quotes: list[Quote]
    doc_index: int = 0


LinkKind = Literal["verbatim", "near_verbatim", "paraphrase", "partial"]


@dataclass(frozen=True)
class Link:
    """Source sentences ``source`` convey candidate sentences ``candidate`` (N:M)."""

    source: tuple[int, ...]
    candidate: tuple[int, ...]
    similarity: float
    kind: LinkKind
    lexical: float = 0.0
    semantic: float = 0.0


@dataclass
class Coverage:
    source_conveyed: float  # share of source words conveyed by the candidate
    candidate_supported: float  # share of candidate words supported by the source
    verbatim: float  # share of candidate words inside long verbatim runs

    def to_dict(self) -> dict:
        return {
            "source_conveyed": round(self.source_conveyed, 4),
            "candidate_supported": round(self.candidate_supported, 4),
            "verbatim": round(self.verbatim, 4),
        }


@dataclass
class Alignment:
    """Links between the (concatenated) source sentences and the candidate sentences."""

    links: list[Link]
    coverage: Coverage
    source_sentences: list[Sentence]
    candidate_sentences: list[Sentence]
    # best similarity of every candidate / source sentence to anything on the other side
    candidate_best: list[float] = field(default_factory=list)
    source_best: list[float] = field(default_factory=list)
    # pair similarity, rows candidate sentences, columns source sentences (float32); what
    # passage finding clusters. None where nothing was aligned.
    similarity: np.ndarray | None = field(default=None, repr=False)
    longest_run: int = -1  # longest word run the texts share; -1 where not computed


PassageKind = Literal["verbatim", "near_verbatim", "paraphrase", "mixed"]


@dataclass
class Passage:
    """A maximal stretch of reuse: candidate text ``candidate`` carries source text ``source``.

    Spans are body offsets of their documents (``source`` in source document ``source_doc``);
    ``strength`` (0..1) is how closely the two stretches correspond; ``verbatim`` is the share
    of the candidate stretch's words inside word runs shared with the source stretch.
    ``source_sentences`` / ``candidate_sentences`` are the (global) sentence indices covered.
    """

    source: Span
    candidate: Span
    source_doc: int
    kind: PassageKind
    strength: float
    verbatim: float
    source_sentences: tuple[int, int]  # first, last (inclusive)
    candidate_sentences: tuple[int, int]
    source_words: int = 0
    candidate_words: int = 0
    # candidate words outside quotation marks, each counted by how closely its sentence
    # matches the source stretch: what the verdict weighs (reporters at one hearing share
    # the quotes, not the narrative)
    evidence: float = 0.0


Label = Literal["wholly_derived", "partially_derived", "not_derived"]


@dataclass
class Verdict:
    label: Label
    score: float  # probability-like, 0..1, that the candidate is derived
    derived: bool
    evidence: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"label": self.label, "derived": self.derived, "score": round(self.score, 4),
                "evidence": self.evidence}


FindingType = Literal[
    "altered_quote",
    "fabricated_quote",
    "unsupported_claim",
    "omission",
    "changed_fact",
    "attribution_change",
    "meaning_shift",
    "garbled_text",
]


@dataclass(frozen=True)
class FindingKind:
    """One finding type as every report and the docs present it (the single registry)."""

    name: str
    label: str  # title for people
    description: str  # one line: what it means
    style: str  # terminal (rich) colour
    changes_meaning: bool  # a content change a reader must know of (not omission or garbling)
    colour: str  # HTML report: the strong colour (labels, underlines)
    tint: str  # HTML report: the highlight behind the text


FINDING_KINDS: dict[str, FindingKind] = {k.name: k for k in (
    FindingKind("altered_quote", "Altered quote",
                "words inside quotation marks differ from the source's quote", "dark_orange", True,
                "#c2410c", "#ffe1c2"),
    FindingKind("fabricated_quote", "Fabricated quote",
                "a quotation the source does not contain", "red", True,
                "#b91c1c", "#fecdcd"),
    FindingKind("unsupported_claim", "Unsupported claim",
                "content the source does not support", "magenta", True,
                "#7e22ce", "#ecdcff"),
    FindingKind("omission", "Omission",
                "important source content missing from the candidate", "deep_sky_blue1", False,
                "#0369a1", "#cde9fb"),
    FindingKind("changed_fact", "Changed fact",
                "a number, date, amount, name or place differs", "hot_pink", True,
                "#be185d", "#fbd3e8"),
    FindingKind("attribution_change", "Attribution change",
                "a statement given to a different speaker or source", "cyan", True,
                "#0f766e", "#c6efe8"),
    FindingKind("meaning_shift", "Meaning shift",
                "negation, relation, hedging or intensity changed", "yellow", True,
                "#a16207", "#fbefa8"),
    FindingKind("garbled_text", "Garbled text",
                "non-words, fragments, run-together sentences, stray words, duplicated paragraphs",
                "grey62", False, "#475569", "#dfe4ec"),
)}
MEANING_TYPES = frozenset(k for k, v in FINDING_KINDS.items() if v.changes_meaning)
assert tuple(FINDING_KINDS) == FindingType.__args__  # the Literal and the registry agree

Severity = Literal["high", "medium", "low"]


@dataclass
class Finding:
    type: FindingType
    severity: Severity
    explanation: str
    candidate: Span | None = None
    source: Span | None = None
    source_doc: int = 0
    confidence: float = 1.0
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "severity": self.severity,
            "explanation": self.explanation,
            "confidence": round(self.confidence, 3),
            "candidate": self.candidate.to_dict() if self.candidate else None,
            "source": self.source.to_dict() if self.source else None,
            "source_doc": self.source_doc,
            "details": self.details,
        }


@dataclass
class Report:
    sources: list[Segmented]
    candidate: Segmented
    alignment: Alignment
    verdict: Verdict
    findings: list[Finding]
    passages: list[Passage] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    backend: str = ""
    judge: str = ""  # "model" when the consistency model judged the sentences, "rules" otherwise
    notes: list[str] = field(default_factory=list)  # how the audit was limited, for the reader
