#!/usr/bin/env python3
"""Crawl-scan benchmark on ../shared/data/scan (an archive, 4 WARC files, gold matches).

Builds the index, scans the crawl in this process (one core) and with 2 Dask workers, and
prints: index build time; recall and precision per kind of copy and the hard-negative rate
(the shared scorer's own lines); the recall each stage keeps (screen -> verify); pages per
second per core for each stage (read, text+screen, extract, verify, audit); and the 1 -> 2
worker speed-up. Figures vary with the machine's load: run it on an idle machine.

usage: python bench/scan.py [BENCH_DIR] [--workers-only] [--audit rules|none|model] [--skip-dask]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "scan"
SCORER = ROOT.parent / "shared" / "tools" / "scan_eval.py"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", nargs="?", default=str(DEFAULT))
    ap.add_argument("--audit", default="rules", choices=["rules", "none", "model"])
    ap.add_argument("--skip-dask", action="store_true", help="only the in-process (one core) scan")
    ap.add_argument("--keep", help="write the results here (JSONL) instead of a temporary file")
    ap.add_argument("--page", default="blocks", choices=["blocks", "article"],
                    help="compare every prose block of a page, or its extracted article")
    a = ap.parse_args()
    bench = Path(a.bench)
    if not (bench / "gold.jsonl").is_file():
        print(f"error: no scan benchmark at {bench}", file=sys.stderr)
        return 2

    from unspin.corpus import index as idx
    from unspin.corpus.job import jsonl, run_scan
    from unspin.corpus.records import iter_paths, partition_bytes, plan_partitions
    from unspin.corpus.scan import ScanConfig

    tmp = Path(tempfile.mkdtemp(prefix="unspin-scan-bench-"))
    db = tmp / "db"
    t = time.perf_counter()
    stats = idx.add(db, iter_paths([str(bench / "archive")]))
    print(f"index: {stats.total} articles in {time.perf_counter() - t:.1f} s "
          f"({os.path.getsize(db / idx.DB_NAME) / 2**20:.1f} MB SQLite, "
          f"{os.path.getsize(db / idx.SCREEN_NAME) / 2**20:.1f} MB screening arrays)")

    crawl = sorted(str(p) for p in (bench / "crawl").glob("*.warc*"))
    parts = plan_partitions(crawl, partition_bytes(crawl))
    config = ScanConfig(db=str(db), audit=a.audit, trace=True, keep_text=True, page=a.page)
    t = time.perf_counter()
    res = run_scan(parts, config, tmp / "work1", workers=1)
    one = time.perf_counter() - t
    out = Path(a.keep) if a.keep else tmp / "results.jsonl"
    out.write_text(jsonl(res.rows), encoding="utf-8")

    print(f"\nscan, one process: {res.records} records, {res.pages} pages screened, "
          f"{res.screened_in} verified ({res.pairs} pairs), {len(res.rows)} copies reported; {one:.1f} s = "
          f"{res.records / one:.1f} records/s on one core")
    print(f"skipped: {dict(sorted(res.skipped.items()))}")
    sec = res.seconds
    n_pages = res.records
    print("stage cost (seconds; pages per second of that stage alone, over the pages it sees):")
    stage_pages = {"read": res.records, "text": res.pages + res.skipped.get("other_language", 0),
                   "screen": res.pages, "extract": res.screened_in, "verify": res.screened_in,
                   "audit": len(res.rows)}
    for stage in ("read", "text", "screen", "extract", "verify", "audit"):
        s = sec.get(stage, 0.0)
        n = stage_pages[stage]
        rate = f"{n / s:8.1f}/s" if s > 0 else "       -"
        per = 1000 * s / max(n_pages, 1)
        print(f"  {stage:8s} {s:7.2f} s  {n:5d} pages {rate}   {per:6.2f} ms per crawl page")
    read_to_verdict = sum(sec.get(k, 0.0) for k in ("read", "text", "screen", "extract", "verify"))
    print(f"read to verdict: {n_pages / read_to_verdict:.1f} pages/s per core (audit excluded); "
          f"with audit {n_pages / max(sum(sec.get(k, 0.0) for k in stage_pages), 1e-9):.1f}")

    # recall each stage keeps
    gold = load(bench / "gold.jsonl")
    accept = collections.defaultdict(set)
    for g in gold:
        accept[g["url"]].add(g["source_id"])
        accept[g["url"]].update(g.get("also_source_ids", []))
    traces = {}
    for r in run_traces(tmp / "work1"):
        traces[r["url"]] = r
    kinds = collections.Counter()
    screened = collections.Counter()
    verified = collections.Counter()
    for g in gold:
        k = f"{g['origin']}/{g['label']}"
        ok = {g["source_id"], *g.get("also_source_ids", [])}
        kinds[k] += 1
        tr = traces.get(g["url"])
        if tr and ok & set(tr["screened"]):
            screened[k] += 1
            if any(tr["verdicts"].get(s, ["not_derived"])[0] != "not_derived" for s in ok):
                verified[k] += 1
    print("\nrecall kept per stage (gold rows):     screen   verify")
    for k in sorted(kinds):
        print(f"  {k:35s} {screened[k] / kinds[k]:7.3f}  {verified[k] / kinds[k]:7.3f}   (of {kinds[k]})")
    tot = sum(kinds.values())
    kept_s, kept_v = sum(screened.values()) / tot, sum(verified.values()) / tot
    print(f"  {'all':35s} {kept_s:7.3f}  {kept_v:7.3f}   (of {tot})")

    if SCORER.is_file():
        print("\nshared scorer (scan_eval.py):")
        proc = subprocess.run([sys.executable, str(SCORER), str(bench), str(out)], capture_output=True,
                              text=True)
        print(proc.stdout.rstrip())
    recall_by_wrapping(bench, res.rows, gold)
    false_reports(bench, res.rows, accept)
    operating_points(bench, res.rows, tmp)

    if not a.skip_dask:
        t = time.perf_counter()
        res2 = run_scan(parts, config, tmp / "work2", workers=2)
        two = time.perf_counter() - t
        same = jsonl(res2.rows) == jsonl(res.rows)
        print(f"\n2 Dask workers: {two:.1f} s vs {one:.1f} s in one process: {one / two:.2f}x "
              f"(cluster start included); results identical: {same}")
    if not a.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def recall_by_wrapping(bench: Path, rows: list[dict], gold: list[dict]) -> None:
    """Recall of the gold rows by how the page was built (synthetic template or a real page's
    shell, whose own navigation, notices and other stories stay around the copy)."""
    if not (bench / "provenance.jsonl").is_file():
        return
    wrap = {p["url"]: p.get("wrap", "?") for p in load(bench / "provenance.jsonl") if "url" in p}
    found = {(r["url"], r["source_id"]) for r in rows}
    total, hit = collections.Counter(), collections.Counter()
    for g in gold:
        k = f"{g['origin']}/{wrap.get(g['url'], '?')}"
        total[k] += 1
        hit[k] += any((g["url"], s) in found for s in (g["source_id"], *g.get("also_source_ids", [])))
    print("recall by page wrapping:")
    for k in sorted(total):
        print(f"  {k:35s} {hit[k] / total[k]:.3f} ({hit[k]}/{total[k]})")


def false_reports(bench: Path, rows: list[dict], accept: dict) -> None:
    """What the false reports are: a page of the gold paired with another archive article (and
    how many of those share near-verbatim text with it: reuse the gold does not list), a hard
    negative, or another page, by the page's origin."""
    negatives = {n["url"]: n["kind"] for n in load(bench / "negatives.jsonl")}
    origin = {}
    if (bench / "provenance.jsonl").is_file():
        origin = {p["url"]: p.get("origin", "?") for p in load(bench / "provenance.jsonl") if "url" in p}
    kinds = collections.Counter()
    close = collections.Counter()
    for r in rows:
        if r["source_id"] in accept.get(r["url"], ()):
            continue
        if r["url"] in accept:
            k = f"gold page of {origin.get(r['url'], '?')}, another archive article"
            close[k] += any(p["strength"] >= 0.9 and p["words"] >= 30 for p in r.get("passages", []))
        elif r["url"] in negatives:
            k = f"hard negative ({negatives[r['url']]})"
        else:
            k = f"other page ({origin.get(r['url'], '?')})"
        kinds[k] += 1
    print("false reports by kind (pairs):")
    for k, n in kinds.most_common():
        extra = f"   ({close[k]} share a passage of 30+ words at strength >= 0.9)" if k in close else ""
        print(f"  {k:55s} {n:4d}{extra}")


def operating_points(bench: Path, rows: list[dict], tmp: Path) -> None:
    """The shared scorer's figures when only rows scoring at least t are kept: what
    ``unspin scan --min-score t`` trades. Computed from this run's rows; a real run at t can
    report slightly more (a story's joint comparison also runs where its members' own scores
    were settled below t)."""
    from unspin.corpus.job import jsonl

    if not SCORER.is_file():
        return
    print("operating points (rows with score >= t; the shared scorer's figures):")
    print("     t   recall  wholly  partially  precision  same-story  hard negatives")
    for t in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9):
        path = tmp / f"min-score-{t}.jsonl"
        path.write_text(jsonl([r for r in rows if r["score"] >= t]), encoding="utf-8")
        out = subprocess.run([sys.executable, str(SCORER), str(bench), str(path)], capture_output=True,
                             text=True).stdout
        fig = {}
        for line in out.splitlines():
            parts = line.split()
            if line.startswith("scan recall="):
                fig.update(kv.split("=") for kv in parts[1:])
                fig["recall"] = parts[1].split("=")[1]
            elif parts and parts[0] in ("label=wholly_derived", "label=partially_derived",
                                        "meter/same_story_non_derived"):
                fig[parts[0]] = parts[1]
        print(f"  {t:4.2f}   {fig.get('recall', '-'):6s}  {fig.get('label=wholly_derived', '-'):6s}  "
              f"{fig.get('label=partially_derived', '-'):9s}  {fig.get('precision', '-'):9s}  "
              f"{fig.get('meter/same_story_non_derived', '-'):10s}  {fig.get('hardneg_fp', '-')}")


def run_traces(work: Path):
    for part in sorted((work / "parts").glob("*.json")):
        data = json.loads(part.read_text(encoding="utf-8"))
        result = data.get("result", data)
        yield from result.get("trace", [])


if __name__ == "__main__":
    sys.exit(main())
