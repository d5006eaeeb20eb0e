#!/usr/bin/env python3
"""Memory and time of a scan's merge (rows, per-domain summary, provenance) as copies grow.

The merge runs on the client after every partition is done, so it must not need memory in
proportion to the copies found. This bench writes synthetic partition results (copies of
the shared scan set's archive articles, each with a few words changed, on 1,000-row
partitions), merges them in a fresh process per size and prints the peak resident memory
and the time. Figures vary with the machine's load.

usage: python bench/scan_merge.py [--sizes 2000,8000,32000] [--archive DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "data" / "scan" / "archive"
PER_PART = 1000

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from unspin.corpus.index import Index
from unspin.corpus.job import merge
parts = [Path(p) for p in json.loads(sys.argv[1])]
t = time.perf_counter()
res = merge(parts, Index(sys.argv[2]), Path(sys.argv[3]))
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - t, "copies": res.copies, "groups": len(res.groups),
                  "rss_mb": rss}))
"""


def synth_parts(index, ids: list[str], n: int, out: Path, seed: int = 13) -> list[Path]:
    """``n`` copies over PER_PART-row partitions: a random article, three words replaced."""
    rng = random.Random(seed)
    texts = {i: index.article(i).text.split() for i in ids}
    parts, rows = [], []
    for k in range(n):
        sid = rng.choice(ids)
        words = list(texts[sid][:400])
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(("reportedly", "allegedly", "sources", "claimed"))
        site = f"site{k % 97}.example"
        rows.append({"url": f"https://{site}/{k}", "source_id": sid, "domain": site, "warc_offset": k,
                     "date": f"2024-05-{1 + k % 28:02d}", "text": " ".join(words),
                     "verdict": "partially_derived", "score": 0.9, "passages": []})
        if len(rows) == PER_PART or k == n - 1:
            path = out / f"part-{len(parts):05d}.json"
            path.write_text(json.dumps({"result": {"rows": rows}}), encoding="utf-8")
            parts.append(path)
            rows = []
    return parts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000,8000,32000")
    ap.add_argument("--archive", default=str(ARCHIVE))
    a = ap.parse_args()
    if not Path(a.archive).is_dir():
        print(f"error: no archive at {a.archive}", file=sys.stderr)
        return 2
    from unspin.corpus import index as idx
    from unspin.corpus.records import iter_paths

    tmp = Path(tempfile.mkdtemp(prefix="unspin-merge-bench-"))
    db = tmp / "db"
    idx.add(db, iter_paths([a.archive]))
    index = idx.Index(db)
    ids = sorted(index.ids)
    print(f"archive: {len(ids)} articles; {PER_PART} copies per partition")
    print("  copies  groups  merge s  peak RSS MB")
    for n in (int(x) for x in a.sizes.split(",")):
        work = tmp / f"n{n}"
        work.mkdir()
        t = time.perf_counter()
        parts = synth_parts(index, ids, n, work)
        made = time.perf_counter() - t
        proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps([str(p) for p in parts]), str(db),
                               str(work / "out")], capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        r = json.loads(proc.stdout)
        print(f"  {r['copies']:6d}  {r['groups']:6d}  {r['seconds']:7.1f}  {r['rss_mb']:11.0f}"
              f"   (input written in {made:.1f} s)")
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
