"""``unspin index`` and ``unspin scan``: the corpus commands, on top of ``corpus.job``.

An unusable input is named on one line and skipped; the others still run, and the exit code
is 1 when anything was skipped that way. Results are written whole or not at all and never
over an existing file without ``--force``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from pathlib import Path

import click

from unspin.types import UnspinError

MAX_NAMED = 20  # failures named one per line; all are counted


@contextlib.contextmanager
def _progress(label: str, total: int | None, quiet: bool):
    """A progress bar on a terminal's stderr; nothing when piped or quiet."""
    if quiet or not sys.stderr.isatty():
        yield lambda done, total=None: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(label, total=total)

        def update(done: int, total: int | None = None) -> None:
            bar.update(task, completed=done, total=total)
        yield update


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _plan(paths: list[str], target: int):
    """Partitions of every usable input; the unusable ones named and counted."""
    from unspin.cli import note
    from unspin.corpus.records import plan_partitions

    parts, bad = [], 0
    for p in paths:
        try:
            parts.extend(plan_partitions([p], target))
        except UnspinError as exc:
            note(f"skipped {p}: {exc}")
            bad += 1
    return parts, bad


@click.command("index")
@click.argument("archive", nargs=-1, required=True)
@click.option("--db", required=True, help="Index directory (created if missing; added to if present).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def index_command(archive: tuple[str, ...], db: str, quiet: bool) -> None:
    """Index ARCHIVE articles: folders of .txt/.html files (id = relative path without extension),
    JSONL files (id, text or html, title, url, date) or WARC files (id = URL). Running it again
    adds only new or changed articles."""
    from unspin.cli import note
    from unspin.corpus import index as idx
    from unspin.corpus.records import iter_records

    parts, bad = _plan(list(archive), 2**62)
    if not parts:
        raise UnspinError("no usable archive input")

    def records():
        for part in parts:
            yield from iter_records(part)

    with _progress("indexing", None, quiet) as tick:
        stats = idx.add(db, records(), progress=lambda n: tick(n))
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(stats.skipped.items())) or "none"
    note(f"index {db}: {stats.total} articles ({stats.added} added, {stats.replaced} replaced, "
         f"{stats.unchanged} unchanged); records skipped: {skipped}")
    for line in stats.errors[:10]:
        note(f"  {line}")
    if len(stats.errors) > 10:
        note(f"  ... and {len(stats.errors) - 10} more")
    if bad:
        sys.exit(1)


@click.command("scan")
@click.argument("crawl", nargs=-1, required=True)
@click.option("--db", required=True, help="Index directory built by `unspin index`.")
@click.option("--out", "out", required=True, help="Results: one JSON line per derived (page, article) pair.")
@click.option("--summary", help="Per-domain summary CSV [default: OUT with .domains.csv].")
@click.option("--provenance", "prov",
              help="Copy groups and chains as JSON [default: OUT with .provenance.json].")
@click.option("--evidence", help="Write a takedown bundle per copy into this directory.")
@click.option("--workers", type=click.IntRange(1, 256), help="Worker processes [default: one per core].")
@click.option("--scheduler", help="Address of an existing Dask scheduler (instead of a local cluster).")
@click.option("--work-dir", help="Partition results, for --resume [default: OUT.work].")
@click.option("--resume", is_flag=True, help="Finish an interrupted scan: only missing partitions run.")
@click.option("--audit", type=click.Choice(["rules", "model", "none"]), default="rules", show_default=True,
              help="Findings for each copy: the rules, the consistency model too, or none.")
@click.option("--backend", type=click.Choice(["auto", "model2vec", "lexical"]), default="auto",
              show_default=True)
@click.option("--min-score", type=click.FloatRange(0.5, 1.0), default=0.5, show_default=True,
              help="Report a copy only when its verdict's score reaches this: higher means fewer "
                   "false alarms and fewer copies found (docs/scan.md: the measured trade-off).")
@click.option("--partition-mb", type=click.IntRange(1, 1 << 20), default=64, show_default=True,
              help="WARC byte ranges of at most this size (smaller for a crawl under 16 of them).")
@click.option("--force", is_flag=True, help="Overwrite existing output files.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary table.")
def scan_command(crawl: tuple[str, ...], db: str, out: str, summary: str | None, prov: str | None,
                 evidence: str | None, workers: int | None, scheduler: str | None, work_dir: str | None,
                 resume: bool, audit: str, backend: str, min_score: float, partition_mb: int, force: bool,
                 quiet: bool) -> None:
    """Scan CRAWL (WARC files, folders, JSONL) for copies of the indexed archive."""
    from unspin.cli import check_output, note, write_output
    from unspin.corpus.index import Index
    from unspin.corpus.job import MERGE_DIR, run_scan, summary_csv, write_evidence
    from unspin.corpus.records import partition_bytes
    from unspin.corpus.scan import ScanConfig

    stem = out[:-6] if out.endswith(".jsonl") else out
    summary = summary or f"{stem}.domains.csv"
    prov = prov or f"{stem}.provenance.json"
    inputs = [*crawl, db]
    for path in (out, summary, prov):
        check_output(path, inputs, force)
    index = Index(db)
    parts, bad = _plan(list(crawl), partition_bytes(crawl, partition_mb * 2**20))
    if not parts:
        raise UnspinError("nothing to scan: no usable crawl input")
    config = ScanConfig(db=os.path.abspath(db), audit=audit, backend=backend, keep_text=True,
                        min_probability=min_score)
    work = work_dir or f"{out}.work"
    own = Path(work, MERGE_DIR).resolve()  # remade by every merge: no output may live there
    for path in (out, summary, prov, evidence):
        if path and path != "-" and Path(path).resolve().is_relative_to(own):
            raise UnspinError(f"{path} is inside {own}, which the scan empties and rewrites")
    if workers is None and scheduler is None:
        workers = min(os.cpu_count() or 1, len(parts))
    with _progress("scanning", len(parts), quiet) as tick:
        result = run_scan(parts, config, work, workers=workers, scheduler=scheduler, resume=resume,
                          progress=tick)
    write_output("", out, inputs, force, machine=True, from_file=result.results_path)
    write_output(summary_csv(result.domains), summary, inputs, force, machine=True)
    write_output("", prov, inputs, force, machine=True, from_file=result.groups_path)
    if evidence:
        with _progress("evidence", result.copies, quiet) as tick:
            failed: list[str] = []
            n = write_evidence(result.iter_rows(), index, evidence, page_mode=config.page, progress=tick,
                               backend=backend, errors=failed, total=result.copies)
        note(f"{n} evidence bundles written to {evidence}"
             + (f"; {len(failed)} could not be made" if failed else ""))
        for line in failed[:MAX_NAMED]:
            note(f"no evidence bundle for {line}")
        if failed:
            bad += 1
    if not work_dir:
        shutil.rmtree(work, ignore_errors=True)
    _report(result, out, quiet)
    if bad:
        sys.exit(1)


def _report(result, out: str, quiet: bool) -> None:
    from unspin.cli import note

    skipped = ", ".join(f"{k} {v}" for k, v in sorted(result.skipped.items())) or "none"
    note(f"scanned {result.records} records in {result.partitions} partitions: {result.pages} pages "
         f"screened, {result.screened_in} verified ({result.pairs} pairs), {result.copies} copies on "
         f"{result.copy_pages} pages -> {out}; skipped: {skipped}")
    for line in result.errors[:10]:
        note(f"  {line}")
    if len(result.errors) > 10:
        note(f"  ... and {len(result.errors) - 10} more unreadable records")
    if quiet or not result.domains:
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="copies by domain", title_justify="left")
    for col in ("domain", "pages", "copies", "articles", "worst", "top findings"):
        table.add_column(col, justify="right" if col in ("pages", "copies", "articles") else "left")
    shown = [d for d in result.domains if d["copies"]][:15]
    for d in shown:
        table.add_row(d["domain"], str(d["pages"]), str(d["copies"]), str(d["articles"]), d["worst"] or "-",
                      d["top_findings"] or "-")
    if shown:
        Console(stderr=True).print(table)
