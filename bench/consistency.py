#!/usr/bin/env python3
"""The shipped consistency model on its own held-out split, per edit type.

Reads the validation pairs that ``scripts/consistency_data.py`` writes (whole METER stories,
PAN documents and archive texts held out from training, plus NLI test pairs) and prints the
accuracy of the int8 model per label, per kind of edit and news vs NLI, with the speed.

    .venv/bin/python bench/consistency.py [--valid build/consistency-data/valid.jsonl] [--limit N]

With ``--cases DIR...`` it instead reads annotated cases and prints, per candidate sentence
type (faithful, or the expected finding type on it), the mean probabilities the detectors see.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from unspin.consistency import LABELS, ConsistencyModel  # noqa: E402


def valid_split(path: Path, limit: int | None) -> int:
    if not path.is_file():
        print(f"skipped: {path} not found (run scripts/consistency_data.py --out {path.parent})")
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if limit:
        rows = rows[:limit]
    model = ConsistencyModel.load()
    t = time.perf_counter()
    probs = model.predict([(r["premise"], r["hypothesis"]) for r in rows])
    dt = time.perf_counter() - t
    pred = [LABELS[i] for i in probs.argmax(1)]
    ok = [p == r["label"] or (r["kind"] in NOT_ENTAILED and r["label"] != "supported" and p != "supported")
          for p, r in zip(pred, rows, strict=True)]
    print(f"{len(rows)} held-out pairs, {1000 * dt / len(rows):.1f} ms per pair (1 thread)")
    binary = sum((p == "supported") == (r["label"] == "supported") for p, r in zip(pred, rows, strict=True))
    print(f"  accuracy {sum(ok) / len(ok):.3f}; supported vs not {binary / len(rows):.3f}")
    for name, sel in (("news", lambda r: not r["kind"].startswith("nli:")),
                      ("nli", lambda r: r["kind"].startswith("nli:"))):
        idx = [i for i, r in enumerate(rows) if sel(r)]
        if idx:
            print(f"  {name:5s} {sum(ok[i] for i in idx) / len(idx):.3f} ({len(idx)} pairs)")
    by_label: dict[str, list[bool]] = defaultdict(list)
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for o, r in zip(ok, rows, strict=True):
        by_label[r["label"]].append(o)
        by_kind[r["kind"]].append(o)
    recall = ", ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in sorted(by_label.items()))
    print(f"  recall per label: {recall}")
    print("  per kind:")
    for k, v in sorted(by_kind.items()):
        print(f"    {k:32s} {sum(v) / len(v):.3f}  (n={len(v)})")
    return 0


# RTE, MRPC and WiCE say only "entailed or not": any not-supported answer is right for them
NOT_ENTAILED = {"nli:mrpc", "nli:rte", "nli:wice"}


def cases(dirs: list[Path]) -> int:
    from unspin import compare

    model = ConsistencyModel.load()
    rows: dict[str, list] = defaultdict(list)
    for root in dirs:
        for case in sorted(p.parent for p in root.glob("**/expected.json")):
            if not (case / "source.txt").is_file():
                continue
            exp = json.loads((case / "expected.json").read_text(encoding="utf-8"))
            rep = compare(str(case / "source.txt"), str(case / "candidate.txt"), judge="rules")
            if not rep.verdict.derived:
                continue
            from unspin.findings import judgements
            from unspin.findings.context import Context

            ctx = Context.build(rep.sources, rep.candidate, rep.alignment, rep.verdict)
            text = rep.candidate.doc.text
            faithful = exp.get("faithful_candidate_sentences", [])
            for i, j in judgements.judge(ctx, model).items():
                cs = ctx.cand_sentences[i]
                kinds = {f["type"] for f in exp["findings"] if f.get("candidate_text")
                         and (k := text.find(f["candidate_text"])) >= 0 and k < cs.end
                         and k + len(f["candidate_text"]) > cs.start}
                key = "faithful" if any(x in cs.text or cs.text in x for x in faithful) else (
                    "+".join(sorted(kinds)) or "unannotated")
                rows[key].append((j.supported, j.contradicted, j.unsupported))
    print("candidate sentences by annotation: mean P(supported, contradicted, unsupported); share flagged")
    for key, ps in sorted(rows.items(), key=lambda kv: -len(kv[1])):
        n = len(ps)
        mean = [sum(p[k] for p in ps) / n for k in range(3)]
        flagged = sum(max(p[1], p[2]) >= 0.85 for p in ps) / n
        print(f"  {key:40s} n={n:4d}  {mean[0]:.2f} {mean[1]:.2f} {mean[2]:.2f}  flagged@0.85 {flagged:.2f}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--valid", type=Path, default=ROOT / "build" / "consistency-data" / "valid.jsonl")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--cases", type=Path, nargs="+")
    args = ap.parse_args()
    if args.cases:
        return cases(args.cases)
    return valid_split(args.valid, args.limit)


if __name__ == "__main__":
    sys.exit(main())
