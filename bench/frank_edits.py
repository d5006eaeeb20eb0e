#!/usr/bin/env python3
"""Edited summaries: FRANK's consistent summaries, each also with one small edit made.

A proxy for the kind of benchmark unspin's consistency checks are held to (faithful summaries
beside copies carrying one edit: an entity swapped, an antonym, a negation, an inserted fact).
Each summary FRANK's annotators judged consistent with its article is compared with the
article as is, and again with one edit of ``scripts/consistency_data.py`` applied to one of
its sentences (seeded). Printed: balanced accuracy (faithful kept clean, edited flagged by any
meaning-changing finding), per edit type. The edits come from the same generator as the
model's training data, so this is optimistic about the model; FRANK itself is never trained on.

    .venv/bin/python bench/frank_edits.py [--limit N] [--judge auto|model|rules] [--workers K]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRANK = (ROOT.parent / "shared" / "data" / "consistency" / "frank.jsonl").resolve()
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
from frank import MEANING, single_thread  # noqa: E402  (same measure as bench/frank.py)

EDITS = ("edit:entity", "edit:number", "edit:negation", "edit:antonym", "edit:inserted_fact")


def edited(row: dict, seed: int) -> tuple[str, str] | None:
    """(edit kind, edited summary): one edit on one sentence, the first kind that applies."""
    import consistency_data as D

    sents = D.split_sentences(row["summary"])
    art = D.build_article(f"frank:{row['id']}", "meter", D.split_sentences(row["article"]) + sents)
    rng = random.Random(f"{seed}:{row['id']}")
    kinds = list(EDITS)
    rng.shuffle(kinds)
    order = list(range(len(sents)))
    rng.shuffle(order)
    for kind in kinds:
        for i in order:
            res = D.apply_edit(kind, sents[i], art, rng, row["article"][:2000])
            if res is not None:
                return kind, " ".join(sents[:i] + [res[0]] + sents[i + 1:])
    return None


def run_one(task: tuple[dict, str, str, str]) -> dict:
    row, text, kind, judge = task
    from unspin import Document, compare
    from unspin.types import UnspinError

    try:
        rep = compare(Document.from_text(row["article"]), Document.from_text(text), judge=judge)
        flagged = any(f.type in MEANING for f in rep.findings)
        label = rep.verdict.label
    except UnspinError as e:
        flagged, label = False, f"error: {e}"
    return {"id": row["id"], "dataset": row["dataset"], "kind": kind, "flagged": flagged, "label": label}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--judge", default="auto", choices=("auto", "model", "rules"))
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    single_thread()
    if not FRANK.is_file():
        print(f"skipped: FRANK not found at {FRANK}")
        return 0
    rows = [json.loads(line) for line in FRANK.open(encoding="utf-8")]
    rows = [r for r in rows if r["consistent"]][: args.limit]
    tasks = []
    for r in rows:
        e = edited(r, args.seed)
        if e is None:
            continue
        tasks += [(r, r["summary"], "faithful", args.judge), (r, e[1], e[0], args.judge)]
    t = time.perf_counter()
    if args.workers > 1:
        with Pool(args.workers, initializer=single_thread) as pool:
            res = pool.map(run_one, tasks, chunksize=8)
    else:
        res = [run_one(x) for x in tasks]
    print(f"{len(tasks) // 2} consistent FRANK summaries, each also edited; {time.perf_counter() - t:.0f} s")
    for ds in ("cnndm", "bbc", None):
        sel = [x for x in res if ds is None or x["dataset"] == ds]
        fa = [x for x in sel if x["kind"] == "faithful"]
        ed = [x for x in sel if x["kind"] != "faithful"]
        if not fa or not ed:
            continue
        caught = sum(x["flagged"] for x in ed) / len(ed)
        clean = 1 - sum(x["flagged"] for x in fa) / len(fa)
        by: dict[str, list[bool]] = defaultdict(list)
        for x in ed:
            by[x["kind"]].append(x["flagged"])
        per = ", ".join(f"{k.split(':')[1]} {sum(v) / len(v):.2f}" for k, v in sorted(by.items()))
        nd = sum(x["label"] == "not_derived" for x in sel) / len(sel)
        print(f"  {ds or 'all':6s} balanced accuracy {50 * (caught + clean):5.1f}  "
              f"edited caught {caught:.2f}, faithful flagged {1 - clean:.2f}; "
              f"caught per edit: {per}; not derived {nd:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
