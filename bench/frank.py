#!/usr/bin/env python3
"""FRANK (../shared/data/consistency/): does unspin see that a machine summary is unfaithful?

Each summary is compared with its article as the candidate; it is called inconsistent when the
report holds any finding of a meaning-changing type. Printed per dataset (cnndm, bbc) and
split: balanced accuracy (the mean of the recall on consistent and on inconsistent
summaries, as LLM-AggreFact reports it), the counts, and the findings by type.

    .venv/bin/python bench/frank.py [--limit N] [--workers K] [--split test|validation|all]
                                    [--cache FILE | --from-cache FILE] [--backend auto]
                                    [--judge auto|model|rules]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRANK = (ROOT.parent / "shared" / "data" / "consistency" / "frank.jsonl").resolve()
MEANING = {"changed_fact", "meaning_shift", "unsupported_claim", "attribution_change",
           "altered_quote", "fabricated_quote"}
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def single_thread() -> None:
    for var in THREAD_VARS:
        os.environ[var] = "1"


def run_one(task: tuple[dict, str, str]) -> dict:
    row, backend, judge = task
    from unspin import Document, compare
    from unspin.types import UnspinError

    t = time.perf_counter()
    try:
        rep = compare(Document.from_text(row["article"]), Document.from_text(row["summary"]), backend=backend,
                      judge=judge)
        types = Counter(f.type for f in rep.findings)
        label = rep.verdict.label
    except UnspinError as e:
        types, label = Counter(), f"error: {e}"
    return {"id": row["id"], "dataset": row["dataset"], "split": row["split"],
            "consistent": row["consistent"], "label": label, "types": dict(types),
            "flagged": any(types[k] for k in MEANING),
            "ms": round(1000 * (time.perf_counter() - t), 1)}


def balanced(rows: list[dict]) -> tuple[float, int, int, int, int]:
    pos = [r for r in rows if not r["consistent"]]
    neg = [r for r in rows if r["consistent"]]
    caught = sum(r["flagged"] for r in pos)
    false = sum(r["flagged"] for r in neg)
    rec_pos = caught / len(pos) if pos else 0.0
    rec_neg = (len(neg) - false) / len(neg) if neg else 0.0
    return 100 * (rec_pos + rec_neg) / 2, caught, len(pos), false, len(neg)


def summarise(results: list[dict]) -> None:
    print(f"FRANK: {len(results)} summaries; inconsistent = any finding of {', '.join(sorted(MEANING))}")
    for ds in ("cnndm", "bbc", None):
        for split in ("validation", "test", None):
            rows = [r for r in results
                    if (ds is None or r["dataset"] == ds) and (split is None or r["split"] == split)]
            if not rows:
                continue
            ba, caught, pos, false, neg = balanced(rows)
            print(f"  {ds or 'all':6s} {split or 'all':10s} balanced accuracy {ba:5.1f}  "
                  f"inconsistent caught {caught}/{pos}, consistent flagged {false}/{neg}")
    types = Counter()
    for r in results:
        types.update(r["types"])
    print("  findings: " + ", ".join(f"{k} {v}" for k, v in types.most_common()))
    labels = Counter(r["label"] for r in results)
    print("  verdicts: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))
    ms = sorted(r["ms"] for r in results)
    print(f"  median {ms[len(ms) // 2]:.0f} ms per summary")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="first N summaries of each dataset")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--split", default="all", choices=("all", "test", "validation"))
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--judge", default="auto", choices=("auto", "model", "rules"))
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--cache", help="write per-summary results (JSONL)")
    group.add_argument("--from-cache", help="recompute the figures from a --cache file")
    args = ap.parse_args()
    single_thread()
    if args.from_cache:
        lines = Path(args.from_cache).read_text(encoding="utf-8").splitlines()
        summarise([json.loads(line) for line in lines])
        return 0
    if not FRANK.is_file():
        print(f"skipped: FRANK not found at {FRANK}")
        return 0
    rows, seen = [], Counter()
    for line in FRANK.open(encoding="utf-8"):
        row = json.loads(line)
        if args.split != "all" and row["split"] != args.split:
            continue
        seen[row["dataset"]] += 1
        if args.limit and seen[row["dataset"]] > args.limit:
            continue
        rows.append(row)
    tasks = [(r, args.backend, args.judge) for r in rows]
    t = time.perf_counter()
    if args.workers > 1:
        with Pool(args.workers, initializer=single_thread) as pool:
            results = pool.map(run_one, tasks, chunksize=8)
    else:
        results = [run_one(task) for task in tasks]
    print(f"{len(results)} summaries in {time.perf_counter() - t:.0f} s")
    if args.cache:
        with open(args.cache, "w", encoding="utf-8") as fh:
            for r in results:
                fh.write(json.dumps(r) + "\n")
    summarise(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
