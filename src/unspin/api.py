"""The Python API the CLI and everything else sit on.

``compare`` runs the pipeline once: ingest -> segment -> align -> passages -> verdict ->
findings.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from os import PathLike

from unspin.types import Document, Report, UnspinError

Input = str | bytes | PathLike | Document


def _load(item: Input) -> Document:
    from unspin.ingest import load

    return item if isinstance(item, Document) else load(item)


JUDGES = ("auto", "model", "rules")


def judge_model(judge: str, backend: str):
    """The consistency model for ``judge``: "model" requires it, "rules" never loads it, and
    "auto" uses it when it is installed, except with the lexical backend (the no-model mode)."""
    from unspin.consistency import ConsistencyModel, available

    if judge not in JUDGES:
        raise UnspinError(f"unknown judge {judge!r} (choose from {', '.join(JUDGES)})")
    if judge == "rules" or (judge == "auto" and backend == "lexical"):
        return None
    if judge == "auto" and not available():
        return None
    return ConsistencyModel.load()


def compare(source: Input, candidate: Input, *, extra_sources: Iterable[Input] = (),
            backend: str | None = None, judge: str = "auto") -> Report:
    """Compare ``candidate`` with ``source`` (and any ``extra_sources`` of the same story).

    ``judge`` picks what judges whether each reworded sentence still says what the source
    says: ``"model"`` (the shipped consistency model, with the rules), ``"rules"`` (the rules
    alone) or ``"auto"`` (the model when installed, but not with ``backend="lexical"``).
    Inputs are file paths (a ``str`` is always a path), or ``Document`` objects: to compare
    text held in memory, pass ``Document.from_text(text)``. Bad input raises ``UnspinError``.
    """
    from unspin.align import align
    from unspin.embed import get_backend
    from unspin.findings import detect
    from unspin.passages import find_passages
    from unspin.segment import segment
    from unspin.verdict import judge as judge_verdict

    if isinstance(extra_sources, str | bytes | PathLike | Document):  # one extra source, not its letters
        extra_sources = [extra_sources]
    timings: dict[str, float] = {}
    t = time.perf_counter()
    docs: list[Document] = []
    for item in [source, *extra_sources]:
        doc = _load(item)
        if not any(d.text == doc.text for d in docs):  # the same source twice adds nothing
            docs.append(doc)
    cand_doc = _load(candidate)
    timings["ingest"] = time.perf_counter() - t

    t = time.perf_counter()
    sources = [segment(d, doc_index=i) for i, d in enumerate(docs)]
    cand = segment(cand_doc)
    timings["segment"] = time.perf_counter() - t

    t = time.perf_counter()
    encoder = get_backend(backend or "auto")
    alignment = align(sources, cand, encoder)
    timings["align"] = time.perf_counter() - t

    t = time.perf_counter()
    passages = find_passages(alignment, sources, cand)
    timings["passages"] = time.perf_counter() - t

    t = time.perf_counter()
    verdict = judge_verdict(alignment, passages=passages)
    timings["verdict"] = time.perf_counter() - t

    t = time.perf_counter()
    model = judge_model(judge, encoder.name)
    notes: list[str] = []
    findings = detect(sources, cand, alignment, verdict, passages, model=model, notes=notes, encoder=encoder)
    timings["findings"] = time.perf_counter() - t
    return Report(sources=sources, candidate=cand, alignment=alignment, verdict=verdict,
                  findings=findings, passages=passages, timings=timings, backend=encoder.name,
                  judge="model" if model is not None else "rules", notes=notes)
