"""The terminal report: verdict first, then the findings a reviewer should read, worst first.

Rendered with rich into a string. Without colour the output is plain text (no ANSI codes) and
word diffs use ``[-deleted-]{+inserted+}`` markers, so it stays readable in files and pipes.
"""

from __future__ import annotations

import re
import shutil
from io import StringIO

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from unspin.report.json_report import (
    SEVERITIES,
    VERDICT_LABELS,
    coverage,
    finding_diff,
    finding_ids,
    summary,
    type_label,
)
from unspin.types import FINDING_KINDS, Finding, Report

MAX_SPAN = 280  # characters of a quoted span before the middle is elided

TYPE_STYLE = {k: v.style for k, v in FINDING_KINDS.items()}
SEVERITY_STYLE = {"high": "bold red", "medium": "bold yellow", "low": "bold blue"}
VERDICT_STYLE = {"wholly_derived": "bold white on red", "partially_derived": "bold black on yellow",
                 "not_derived": "bold white on green"}


def trim(text: str, limit: int = MAX_SPAN) -> str:
    """One line, with the middle elided when long: both ends carry the evidence."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    head = text[: limit * 2 // 3].rsplit(" ", 1)[0]
    tail = text[-(limit - len(head)):].split(" ", 1)[-1]
    return f"{head} \u2026 {tail}"


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _header(report: Report, color: bool) -> Panel:
    v = report.verdict
    cov = coverage(report)
    summ = summary(report)
    label = VERDICT_LABELS.get(v.label, v.label)
    verdict = Text()
    verdict.append(f" {label.upper()} ", style=VERDICT_STYLE.get(v.label, "bold") if color else "")
    verdict.append(f"  score {v.score:.2f}", style="bold")
    verdict.append("  (the candidate is derived from the source)" if v.derived
                   else "  (no sign the candidate was derived from the source)", style="dim")

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for i, seg in enumerate(report.sources):
        name = "Source" if len(report.sources) == 1 else f"Source {i + 1}"
        grid.add_row(name, _doc_line(seg.doc))
    grid.add_row("Candidate", _doc_line(report.candidate.doc))
    grid.add_row("Coverage", Text(
        f"{_pct(cov['source_conveyed'])} of the source conveyed, "
        f"{_pct(cov['candidate_supported'])} of the candidate supported by it, "
        f"{_pct(cov['verbatim'])} verbatim"))
    reason = v.evidence.get("reason")
    if reason:
        grid.add_row("Why", Text(reason))
    grid.add_row("Sentences", Text(
        f"{cov['source_sentences_linked']}/{cov['source_sentences']} source and "
        f"{cov['candidate_sentences_linked']}/{cov['candidate_sentences']} candidate sentences linked"))
    counts = Text()
    counts.append(f"{summ['total']}")
    if summ["total"]:
        counts.append(": ")
        parts = [(f"{summ['by_severity'][s]} {s}", SEVERITY_STYLE[s]) for s in SEVERITIES
                 if summ["by_severity"].get(s)]
        for j, (t, style) in enumerate(parts):
            counts.append(", " if j else "")
            counts.append(t, style=style if color else "")
        types = [f"{n} {type_label(t).lower()}" for t, n in summ["by_type"].items() if n]
        counts.append(" (" + ", ".join(types) + ")", style="dim")
    grid.add_row("Findings", counts)
    return Panel(Group(verdict, Text(), grid), title="unspin report", title_align="left",
                 border_style="dim" if color else "")


def _passages(report: Report, color: bool) -> Table:
    """One row per reused passage: where it sits in each text and how close it is."""
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold" if color else "")
    table.add_column("", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("strength", justify="right", no_wrap=True)
    table.add_column("candidate", no_wrap=True)
    table.add_column("source", no_wrap=True)
    table.add_column("starts")
    several = len(report.sources) > 1
    cand_words = max(sum(len(s.text.split()) for s in report.candidate.sentences), 1)
    for k, p in enumerate(report.passages, 1):
        src = f"source {p.source_doc + 1} " if several else ""
        table.add_row(
            f"P{k}", p.kind.replace("_", " "), f"{p.strength:.2f}",
            f"chars {p.candidate.start}-{p.candidate.end} ({p.candidate_words} words, "
            f"{_pct(p.candidate_words / cand_words)})",
            f"{src}chars {p.source.start}-{p.source.end}",
            Text(trim(p.candidate.text, 60), style="dim"))
    return table


def _doc_line(doc) -> Text:
    t = Text()
    t.append(trim(doc.title, 160) if doc.title else "(untitled)", style="italic")
    authors = ", ".join(doc.authors) if doc.authors else None
    meta = [m for m in (doc.site_name, doc.date, authors, doc.path) if m]
    if meta:
        t.append("  " + " \u00b7 ".join(meta), style="dim")
    return t


def _quoted(label: str, text: str, color: bool, style: str) -> Table:
    row = Table.grid(padding=(0, 1))
    row.add_column(width=10, no_wrap=True, style="dim")
    row.add_column()
    body = Text("\u00ab", style="dim")
    body.append(trim(text), style=style if color else "")
    body.append("\u00bb", style="dim")
    row.add_row(label, body)
    return row


def _diff_text(ops: list[tuple[str, str]], color: bool) -> Text:
    out = Text()
    for op, text in ops:
        text = re.sub(r"\s+", " ", text)
        lead = text[: len(text) - len(text.lstrip())]
        core = text.strip()
        out.append(lead)
        if not core:
            continue
        if op == "equal":
            out.append(core)
        elif op == "delete":
            out.append(core if color else f"[-{core}-]", style="red strike" if color else "")
        else:
            out.append(core if color else f"{{+{core}+}}", style="bold green" if color else "")
    return out


def _finding(fid: str, f: Finding, report: Report, color: bool) -> Group:
    head = Text()
    head.append(f"{fid:<4}", style="bold")
    head.append(type_label(f.type), style=f"bold {TYPE_STYLE.get(f.type, '')}" if color else "")
    head.append(f"  {f.severity}", style=SEVERITY_STYLE.get(f.severity, "") if color else "")
    head.append(f"  confidence {f.confidence:.2f}", style="dim")
    parts = [head, Padding(Text(f.explanation), (0, 0, 0, 4))]
    several = len(report.sources) > 1
    if f.candidate is not None:
        parts.append(Padding(_quoted("candidate", f.candidate.text, color, "bold"), (0, 0, 0, 4)))
    if f.source is not None:
        label = f"source {f.source_doc + 1}" if several else "source"
        parts.append(Padding(_quoted(label, f.source.text, color, ""), (0, 0, 0, 4)))
    ops = finding_diff(f)
    if ops and any(op != "equal" for op, _ in ops):
        row = Table.grid(padding=(0, 1))
        row.add_column(width=10, no_wrap=True, style="dim")
        row.add_column()
        row.add_row("words", _diff_text(ops, color))
        parts.append(Padding(row, (0, 0, 0, 4)))
    return Group(*parts, Text())


def render_terminal(report: Report, color: bool) -> str:
    """The report as text for a terminal; ``color=False`` gives plain text without ANSI codes."""
    width = min(shutil.get_terminal_size((100, 24)).columns, 140) if color else 100
    buf = StringIO()
    console = Console(file=buf, force_terminal=color, color_system="truecolor" if color else None,
                      no_color=not color, width=width, highlight=False, emoji=False, legacy_windows=False,
                      soft_wrap=False)
    console.print(_header(report, color))
    for note in report.notes:
        console.print(Text(f"Note: {note}.", style="dim" if color else ""))
    if report.passages:
        console.print(Rule(Text(f"REUSED PASSAGES ({len(report.passages)})", style="bold" if color else ""),
                           align="left", style="dim" if color else ""))
        console.print(_passages(report, color))
        console.print()
    ids = finding_ids(report.findings)
    if not report.findings:
        console.print(Text("No findings." if report.verdict.derived else
                           "No findings: changes are only reported for a derived candidate.", style="dim"))
    for sev in SEVERITIES:
        group = [(fid, f) for fid, f in zip(ids, report.findings, strict=True) if f.severity == sev]
        if not group:
            continue
        console.print(Rule(Text(f"{sev.upper()} ({len(group)})", style=SEVERITY_STYLE[sev] if color else ""),
                           align="left", style="dim" if color else ""))
        for fid, f in group:
            console.print(_finding(fid, f, report, color))
    text = buf.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip() + "\n"
