"""The JSON report: the machine-readable contract (documented in docs/report-schema.md).

Also home to the small helpers every renderer shares (finding ids, type labels, word diffs),
so the terminal and HTML views name and order things exactly as the JSON does.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from unspin.lang.en.punctuation import QUOTE_FOLD
from unspin.report.extract import document_fields
from unspin.types import FINDING_KINDS, SCHEMA_VERSION, Finding, Report, Segmented, Sentence

FINDING_TYPES = tuple(FINDING_KINDS)
SEVERITIES = ("high", "medium", "low")

TYPE_LABELS = {k: v.label for k, v in FINDING_KINDS.items()}
TYPE_HELP = {k: v.description for k, v in FINDING_KINDS.items()}
VERDICT_LABELS = {
    "wholly_derived": "Wholly derived",
    "partially_derived": "Partially derived",
    "not_derived": "Not derived",
}


def type_label(kind: str) -> str:
    return TYPE_LABELS.get(kind, kind.replace("_", " ").capitalize())


def finding_ids(findings: list[Finding]) -> list[str]:
    """Ids follow the report's finding order, so F1 is the same finding in every format."""
    return [f"F{i}" for i in range(1, len(findings) + 1)]


def tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("unspin")
    except Exception:  # not installed (running from a source tree)
        from unspin import __version__

        return __version__


# ----------------------------------------------------------------------------------- word diff

_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")
_FOLD = str.maketrans(QUOTE_FOLD)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(token, display) pairs; display keeps the whitespace before the token, so joining the
    displays of a run gives back the original text."""
    out, prev = [], 0
    for m in _TOKEN.finditer(text):
        out.append((m.group(), text[prev:m.end()]))
        prev = m.end()
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs turning ``old`` into ``new``; op is equal, delete or insert.

    Words are compared case- and quote-style-insensitively, so curly vs straight quotes are
    not reported as changes; the text keeps each side's own spelling and spacing (a run's
    text starts with the whitespace that preceded it).
    """
    a, b = _tokens(old), _tokens(new)
    fa = [t.translate(_FOLD).lower() for t, _ in a]
    fb = [t.translate(_FOLD).lower() for t, _ in b]
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, fa, fb, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("equal", "".join(d for _, d in b[j1:j2])))
        else:
            if i2 > i1:
                ops.append(("delete", "".join(d for _, d in a[i1:i2])))
            if j2 > j1:
                ins = "".join(d for _, d in b[j1:j2])
                if i2 > i1 and (ins[:1].isalnum() or ins[:1] in "\"'\u201c\u2018(") \
                        and not ops[-1][1][-1:].isspace():
                    ins = " " + ins  # keep a replaced word apart from its replacement
                ops.append(("insert", ins))
    return ops


def finding_diff(finding: Finding) -> list[tuple[str, str]] | None:
    """The word-level diff to show for a finding, or None.

    Taken from ``details["diff"]`` when the detector supplied one, else computed from
    ``details`` quote texts, else (altered quotes only) from the two spans. A supplied diff is
    a list of {"op", "source", "candidate"} dicts (the quote detector's form; op names are
    ignored, the two texts say what changed), {"op", "text"} dicts or (op, text) pairs.
    """
    d = finding.details or {}
    raw = d.get("diff")
    if isinstance(raw, list) and raw:
        return _given_diff(raw)
    for old_key, new_key in (("source_quote", "candidate_quote"), ("source_text", "candidate_text")):
        old, new = d.get(old_key), d.get(new_key)
        if isinstance(old, str) and isinstance(new, str):
            return word_diff(old, new)
    if finding.type == "altered_quote" and finding.source and finding.candidate:
        return word_diff(finding.source.text, finding.candidate.text)
    return None


_NO_SPACE_BEFORE = tuple(",.;:!?)\u2019\u201d'\"")


def _given_diff(raw: list) -> list[tuple[str, str]] | None:
    runs: list[tuple[str, str]] = []
    sliced = False  # texts cut at word boundaries, without their spacing
    for item in raw:
        if isinstance(item, dict) and ("source" in item or "candidate" in item):
            sliced = True
            src, cand = item.get("source") or "", item.get("candidate") or ""
            if not isinstance(src, str) or not isinstance(cand, str):
                return None
            if item.get("op") in ("equal", "ellipsis"):
                runs.append(("equal", cand or src))
                continue
            if src:
                runs.append(("delete", src))
            if cand:
                runs.append(("insert", cand))
            continue
        if isinstance(item, dict):
            op, text = item.get("op"), item.get("text")
        elif isinstance(item, list | tuple) and len(item) == 2:
            op, text = item
        else:
            return None
        op = {"replace": "insert", "+": "insert", "-": "delete", "=": "equal", " ": "equal"}.get(op, op)
        if op not in ("equal", "delete", "insert") or not isinstance(text, str):
            return None
        runs.append((op, text))
    if not sliced:
        return runs
    out: list[tuple[str, str]] = []
    for op, text in runs:
        if out and text and not text[0].isspace() and not out[-1][1][-1:].isspace() \
                and not text.startswith(_NO_SPACE_BEFORE):
            text = " " + text
        out.append((op, text))
    return out


# ----------------------------------------------------------------------------------- to_json

def _clean(value: Any) -> Any:
    """Plain JSON values only: detectors may leave numpy scalars, tuples or NaN in dicts."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    item = getattr(value, "item", None)  # numpy scalar
    if callable(item):
        try:
            return _clean(item())
        except (TypeError, ValueError):
            pass
    tolist = getattr(value, "tolist", None)  # numpy array
    if callable(tolist):
        return _clean(tolist())
    if hasattr(value, "to_dict"):
        return _clean(value.to_dict())
    return str(value)


def _global_index(report: Report) -> dict[tuple[int, int, int], int]:
    """(doc, start, end) -> position in the alignment's concatenated source sentence list."""
    return {(s.doc, s.start, s.end): i for i, s in enumerate(report.alignment.source_sentences)}


def _sentence(s: Sentence, index: int) -> dict:
    return {"index": index, "start": s.start, "end": s.end, "text": s.text, "paragraph": s.paragraph}


def _document(seg: Segmented, index_of=None) -> dict:
    doc = seg.doc
    sentences = []
    for s in seg.sentences:
        idx = index_of.get((s.doc, s.start, s.end), s.index) if index_of is not None else s.index
        sentences.append(_sentence(s, idx))
    return {
        **document_fields(doc),
        "paragraphs": [p.to_dict() for p in doc.paragraphs],
        "sentences": sentences,
        "quotes": [
            {"start": q.start, "end": q.end, "text": q.text, "speaker": q.speaker,
             "speaker_span": q.speaker_span.to_dict() if q.speaker_span else None,
             "sentence": q.sentence}
            for q in seg.quotes
        ],
    }


def summary(report: Report) -> dict:
    by_type = dict.fromkeys(FINDING_TYPES, 0)
    by_severity = dict.fromkeys(SEVERITIES, 0)
    for f in report.findings:
        by_type[f.type] = by_type.get(f.type, 0) + 1
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    return {"total": len(report.findings), "by_type": by_type, "by_severity": by_severity}


def coverage(report: Report) -> dict:
    al = report.alignment
    linked_src = {i for link in al.links for i in link.source}
    linked_cand = {i for link in al.links for i in link.candidate}
    return {
        **al.coverage.to_dict(),
        "source_sentences": len(al.source_sentences),
        "candidate_sentences": len(al.candidate_sentences),
        "source_sentences_linked": len(linked_src),
        "candidate_sentences_linked": len(linked_cand),
    }


def _input_range(seg: Segmented, start: int, end: int) -> dict:
    """Offsets of body span [start, end) in the input text as decoded (plain-text input only:
    HTML bodies are rebuilt from markup, so their characters have no single input offset)."""
    doc = seg.doc
    if doc.input_format != "text" or end <= start:
        return {}
    a, b = doc.to_input(start), doc.to_input(end - 1)
    if a is None or b is None:
        return {}
    return {"input_start": a, "input_end": b + 1}


def passages(report: Report) -> list[dict]:
    """The reused passages, each with spans on both sides (and input offsets for text input)."""
    out = []
    for k, p in enumerate(report.passages, 1):
        src = report.sources[p.source_doc] if p.source_doc < len(report.sources) else None
        out.append({
            "id": f"P{k}",
            "kind": p.kind,
            "strength": round(float(p.strength), 4),
            "verbatim": round(float(p.verbatim), 4),
            "source_doc": p.source_doc,
            "source": {**p.source.to_dict(),
                       **(_input_range(src, p.source.start, p.source.end) if src else {}),
                       "words": p.source_words},
            "candidate": {**p.candidate.to_dict(),
                          **_input_range(report.candidate, p.candidate.start, p.candidate.end),
                          "words": p.candidate_words},
            "source_sentences": list(p.source_sentences),
            "candidate_sentences": list(p.candidate_sentences),
        })
    return out


def to_json(report: Report) -> dict:
    """The report as plain JSON-ready data (``json.dumps`` works on it as is)."""
    index_of = _global_index(report)
    sources = [_document(s, index_of) for s in report.sources]
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "unspin", "version": tool_version(), "backend": report.backend or None,
                 "judge": report.judge or None},
        "verdict": _clean(report.verdict.to_dict()),
        "coverage": _clean(coverage(report)),
        "source": sources[0] if sources else None,
    }
    if len(sources) > 1:
        out["sources"] = sources
    out["candidate"] = _document(report.candidate)
    out["alignment"] = [
        {"source": list(link.source), "candidate": list(link.candidate),
         "similarity": round(float(link.similarity), 4), "kind": link.kind,
         "lexical": round(float(link.lexical), 4), "semantic": round(float(link.semantic), 4)}
        for link in report.alignment.links
    ]
    out["passages"] = passages(report)
    out["findings"] = [
        {"id": fid, **_clean(f.to_dict())} for fid, f in zip(finding_ids(report.findings), report.findings,
                                                             strict=True)
    ]
    out["summary"] = summary(report)
    if report.notes:
        out["notes"] = list(report.notes)
    out["timings"] = _clean({k: round(float(v), 4) if isinstance(v, int | float) else v
                             for k, v in report.timings.items()})
    return _clean(out)
