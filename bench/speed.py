"""Speed of one comparison of a ~1,000-word article pair (examples/ source and rewrite).

Prints the median warm time of ``unspin.compare`` and of each stage (report.timings), the
median warm time of ``align`` alone (encoding included), the cold command-line time from
start to JSON report (median of 5 subprocesses) and the child's peak memory. Then the
content-farm shape: the rewrite inside a ~5,000-word page of other articles (METER court
stories from ../shared, when present), and how time grows with the page's length.

    .venv/bin/python bench/speed.py [--backend auto] [--runs 20]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _pair() -> tuple[Path, Path] | None:
    src = next((p for p in (EXAMPLES / "source.html", EXAMPLES / "source.txt") if p.is_file()), None)
    cand = EXAMPLES / "candidate.txt"
    return (src, cand) if src and cand.is_file() else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--cold", type=int, default=5)
    args = ap.parse_args()
    pair = _pair()
    if pair is None:
        print(f"skipped: no source/candidate pair in {EXAMPLES}")
        return 0
    src, cand = pair

    from unspin.align import align
    from unspin.api import compare
    from unspin.embed import get_backend
    from unspin.ingest import load
    from unspin.segment import segment

    report = compare(src, cand, backend=args.backend)  # warm-up: model load, caches
    words = [len(s.doc.text.split()) for s in (*report.sources, report.candidate)]
    print(f"pair: {src.name} ({words[0]} words, {len(report.sources[0].sentences)} sentences) vs "
          f"{cand.name} ({words[1]} words, {len(report.candidate.sentences)} sentences); "
          f"backend {report.backend}")

    totals, stages = [], {}
    for _ in range(args.runs):
        t = time.perf_counter()
        r = compare(src, cand, backend=args.backend)
        totals.append(time.perf_counter() - t)
        for k, v in r.timings.items():
            stages.setdefault(k, []).append(v)
    print(f"warm compare: median {1000 * statistics.median(totals):.1f} ms over {args.runs} runs")
    for k, v in stages.items():
        print(f"  {k:9s} {1000 * statistics.median(v):7.1f} ms")

    enc = get_backend(args.backend)
    sources = [segment(load(src))]
    candidate = segment(load(cand))
    align(sources, candidate, enc)
    al = []
    for _ in range(args.runs):
        t = time.perf_counter()
        align(sources, candidate, enc)
        al.append(time.perf_counter() - t)
    print(f"warm align alone (encoding included): median {1000 * statistics.median(al):.1f} ms")

    padded(src, cand, args)

    unspin = Path(sys.executable).with_name("unspin")
    cmd = ([str(unspin)] if unspin.is_file() else [sys.executable, "-m", "unspin.cli"])
    cmd += ["compare", str(src), str(cand), "--format", "json", "--backend", args.backend]
    cold = []
    for _ in range(args.cold):
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        cold.append(time.perf_counter() - t)
        if done.returncode != 0:
            print(f"CLI failed ({done.returncode}): {done.stderr.strip()[:300]}")
            return 1
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"cold CLI (start to JSON report): median {statistics.median(cold):.2f} s over {args.cold} runs "
          f"(min {min(cold):.2f}, max {max(cold):.2f})")
    print(f"peak memory of the CLI process: {peak_kb / 1024:.0f} MB")
    return 0


METER = ROOT.parent / "shared" / "data" / "meter" / "courts.jsonl"


def padded(src: Path, cand: Path, args) -> None:
    """The rewrite embedded in a page of other articles: warm compare for pages of ~2,500,
    ~5,000 and ~10,000 words (cost should grow about linearly with the page)."""
    import json

    from unspin.api import compare
    from unspin.types import Document

    if not METER.is_file():
        print(f"skipped padded page: {METER} not found")
        return
    others = [json.loads(line)["candidate"] for line in METER.open(encoding="utf-8")]
    rewrite = cand.read_text(encoding="utf-8")
    source = compare(src, cand, backend=args.backend).sources[0].doc
    for target in (2_500, 5_000, 10_000):
        before, after, words, k = [], [], len(rewrite.split()), 0
        while words < target:
            text = others[k % len(others)]
            (before if k % 2 == 0 else after).append(text)
            words += len(text.split())
            k += 1
        page = Document.from_text("\n\n".join([*before, rewrite, *after]))
        times = []
        for _ in range(max(3, args.runs // 4)):
            t = time.perf_counter()
            r = compare(source, page, backend=args.backend)
            times.append(time.perf_counter() - t)
        stages = ", ".join(f"{k} {1000 * v:.0f}" for k, v in r.timings.items())
        print(f"padded page of {words:,} words ({len(r.candidate.sentences)} sentences): warm compare median "
              f"{1000 * statistics.median(times):.0f} ms ({stages} ms); verdict {r.verdict.label}, "
              f"{len(r.passages)} passages, {len(r.findings)} findings")


if __name__ == "__main__":
    sys.exit(main())
