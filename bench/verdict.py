#!/usr/bin/env python3
"""The derivation verdict across domains: METER courts, the PAN 2013 half, the spun cases.

Each domain's pairs are aligned once (cached in build/verdict-cache/ with --cache), then
passages and verdict inputs are recomputed from the cached alignments, so passage and
verdict changes are measured in seconds. Printed, for the shipped verdict (``judge``):

- METER courts: 3-class macro-F1, derived F1 (in-sample: the shipped model is fitted on
  courts; ``bench/meter.py`` gives the story-grouped 5-fold figures);
- PAN: derived precision / recall / F1, false alarms on the no-plagiarism pairs, per category;
- cases (seed, dev, bench/heldout*): verdicts right.

``--cross`` fits the model's inputs on one domain and tests on each other one, and ``--cv``
fits them on all domains together (grouped 5-fold): the experiments behind the shipped
design (a model fitted on METER for whole-document evidence, passage rules set on PAN for
local evidence; see README). The shipped model is refitted with ``bench/meter.py --fit``.

    .venv/bin/python bench/verdict.py [--cache] [--cross] [--cv] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared").resolve()
METER = SHARED / "data" / "meter"
PAN = SHARED / "data" / "pan13"
CASES = SHARED / "cases"
CACHE = ROOT / "build" / "verdict-cache"
LABEL_MAP = {"non_derived": "not_derived", "partially_derived": "partially_derived",
             "wholly_derived": "wholly_derived"}
sys.path.insert(0, str(ROOT / "bench"))


def _pair(enc, sources: list, cand) -> dict:
    from unspin.align import align
    from unspin.segment import segment

    segs = [segment(d, doc_index=i) for i, d in enumerate(sources)]
    c = segment(cand)
    return {"sources": segs, "candidate": c, "alignment": align(segs, c, enc)}


def collect_meter(enc, limit: int | None) -> list[dict]:
    from unspin.types import Document

    stories = {}
    for line in (METER / "courts-sources.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        stories[row["story"]] = [Document.from_text(s["text"]) for s in row["sources"]]
    out = []
    for k, line in enumerate((METER / "courts.jsonl").open(encoding="utf-8")):
        if limit and k >= limit:
            break
        row = json.loads(line)
        p = _pair(enc, stories[row["story"]], Document.from_text(row["candidate"]))
        out.append({"domain": "meter", "id": row["id"], "group": row["story"],
                    "label": LABEL_MAP[row["label"]], **p})
    return out


def collect_pan(enc, limit: int | None) -> list[dict]:
    """Whole suspicious documents as candidates. A pair with reuse is partially derived (the
    page holds other text), wholly where its cases cover most of the page."""
    from unspin.types import Document, UnspinError

    out = []
    seen: dict[str, int] = {}
    for line in (PAN / "pairs.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        seen[row["category"]] = seen.get(row["category"], 0) + 1
        if limit and seen[row["category"]] > limit:
            continue
        susp = (PAN / "susp" / row["susp"]).read_text(encoding="utf-8")
        src = (PAN / "src" / row["src"]).read_text(encoding="utf-8")
        label = "not_derived"
        if row["derived"]:
            covered = sum(c["this_length"] for c in row["cases"]) / max(len(susp), 1)
            label = "wholly_derived" if covered >= 0.8 else "partially_derived"
        try:
            p = _pair(enc, [Document.from_text(src)], Document.from_text(susp))
        except UnspinError as e:
            print(f"  pan {row['susp']} {row['src']}: {e}")
            continue
        out.append({"domain": "pan", "id": f"{row['susp']}-{row['src']}", "group": row["susp"],
                    "category": row["category"], "label": label, **p})
    return out


def collect_cases(enc) -> list[dict]:
    from heldout import materialise

    from unspin.ingest import load

    dirs = [CASES / "seed", *sorted(p for p in (CASES / "dev").iterdir() if p.is_dir())]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for hd in sorted(ROOT.glob("bench/heldout*/")):
            if hd.is_dir():
                dirs += materialise(Path(tmp) / hd.name, hd)
        for d in dirs:
            exp = json.loads((d / "expected.json").read_text(encoding="utf-8"))
            p = _pair(enc, [load(d / "source.txt")], load(d / "candidate.txt"))
            out.append({"domain": "cases", "id": f"{d.parent.name}/{d.name}", "group": d.name,
                        "label": exp["verdict"]["label"], **p})
    return out


def collect(domain: str, use_cache: bool, limit: int | None) -> list[dict]:
    from unspin.embed import get_backend

    path = CACHE / f"{domain}{'-' + str(limit) if limit else ''}.pkl"
    if use_cache and path.is_file():
        return pickle.loads(path.read_bytes())
    enc = get_backend("model2vec")
    t = time.perf_counter()
    rows = {"meter": lambda: collect_meter(enc, limit), "pan": lambda: collect_pan(enc, limit),
            "cases": lambda: collect_cases(enc)}[domain]()
    print(f"aligned {len(rows)} {domain} pairs in {time.perf_counter() - t:.0f} s")
    if use_cache:
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(rows))
    return rows


def add_features(rows: list[dict]) -> None:
    """Passages and verdict features from the cached alignments (current code)."""
    from unspin.passages import find_passages
    from unspin.verdict import features

    for r in rows:
        r["passages"] = find_passages(r["alignment"], r["sources"], r["candidate"])
        r["features"] = features(r["alignment"], r["passages"])


def design(rows: list[dict], names) -> tuple[np.ndarray, np.ndarray]:
    from unspin.verdict import LABELS, model_inputs

    x = np.array([model_inputs(r["features"], names) for r in rows], dtype=float)
    y = np.array([LABELS.index(r["label"]) for r in rows])
    return x, y


def scores(rows: list[dict], pred: list[str]) -> dict:
    """Macro-F1 over the classes present, derived P/R/F1, false-alarm rate."""
    from sklearn.metrics import f1_score

    y = [r["label"] for r in rows]
    labels = sorted(set(y))
    truth = np.array([t != "not_derived" for t in y])
    said = np.array([p != "not_derived" for p in pred])
    tp = int((truth & said).sum())
    prec = tp / max(int(said.sum()), 1)
    rec = tp / max(int(truth.sum()), 1)
    return {"n": len(rows), "macro_f1": f1_score(y, pred, labels=labels, average="macro"),
            "derived_p": prec, "derived_r": rec, "derived_f1": 2 * prec * rec / max(prec + rec, 1e-9),
            "false_alarm": int((~truth & said).sum()) / max(int((~truth).sum()), 1)}


def line(name: str, s: dict) -> str:
    return (f"{name:28s} n={s['n']:4d} macro-F1 {s['macro_f1']:.3f}  derived P {s['derived_p']:.3f} "
            f"R {s['derived_r']:.3f} F1 {s['derived_f1']:.3f}  false alarms {s['false_alarm']:.3f}")


def shipped(rows: list[dict], model: dict | None = None) -> list[str]:
    from unspin.verdict import decide

    return [decide(r["features"], model)[0] for r in rows]


def report_shipped(domains: dict[str, list[dict]], model: dict | None = None, title: str = "shipped") -> None:
    print(f"\n{title} verdict:")
    for name, rows in domains.items():
        pred = shipped(rows, model)
        print(line(name, scores(rows, pred)))
        if name == "pan":
            for cat in sorted({r["category"] for r in rows}):
                sub = [(r, p) for r, p in zip(rows, pred, strict=True) if r["category"] == cat]
                called = sum(p != "not_derived" for _, p in sub)
                pos = sum(r["label"] != "not_derived" for r, _ in sub)
                print(f"    {cat:28s} {called:3d}/{len(sub):3d} called derived ({pos} have reuse)")
        if name == "cases":
            for r, p in zip(rows, pred, strict=True):
                if p != r["label"]:
                    print(f"    wrong: {r['id']} {p} (want {r['label']})")


def cross(domains: dict[str, list[dict]], c: float) -> None:
    """Fit on one domain (or all but one), test on the others."""
    from unspin.verdict import INPUT_NAMES

    sys.path.insert(0, str(ROOT / "bench"))
    names = list(INPUT_NAMES)
    fit_on = {"meter": ["meter"], "pan": ["pan"], "meter+cases": ["meter", "cases"],
              "pan+cases": ["pan", "cases"], "meter+pan": ["meter", "pan"]}
    for label, train_names in fit_on.items():
        train = [r for n in train_names for r in domains.get(n, [])]
        if not train or len({r["label"] for r in train}) < 2:
            continue
        model = fit_model(train, names, c)
        for name, rows in domains.items():
            if name in train_names:
                continue
            print(line(f"fit {label} -> {name}", scores(rows, shipped(rows, model))))


def fit_model(rows: list[dict], names, c: float) -> dict:
    """Standardise, then multinomial logistic regression (balanced per domain and class)."""
    from sklearn.linear_model import LogisticRegression

    x, y = design(rows, names)
    dom = [r["domain"] for r in rows]
    # every (domain, class) cell weighs the same in all, so no corpus's size decides
    cells: dict[tuple[str, int], int] = {}
    for d, lab in zip(dom, y, strict=True):
        cells[(d, int(lab))] = cells.get((d, int(lab)), 0) + 1
    w = np.array([1.0 / cells[(d, int(lab))] for d, lab in zip(dom, y, strict=True)])
    w *= len(w) / w.sum()
    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit((x - mean) / scale, y, sample_weight=w)
    coef, icpt = lr.coef_, lr.intercept_
    if coef.shape[0] != 3:  # a domain without one of the classes: pad it out
        full_c, full_i = np.zeros((3, coef.shape[1])), np.full(3, -10.0)
        for k, cls in enumerate(lr.classes_ if coef.shape[0] > 1 else lr.classes_[1:]):
            full_c[cls], full_i[cls] = coef[k], icpt[k]
        coef, icpt = full_c, full_i
    return {"inputs": list(names), "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": coef.tolist(), "intercept": icpt.tolist(), "C": c}


def grouped_cv(domains: dict[str, list[dict]], c: float, seed: int = 0) -> None:
    """5-fold, grouped by story / suspicious document / case, all domains fitted together."""
    from sklearn.model_selection import GroupKFold

    from unspin.verdict import INPUT_NAMES

    rows = [r for rs in domains.values() for r in rs]
    groups = np.array([f"{r['domain']}:{r['group']}" for r in rows])
    pred = [""] * len(rows)
    for train, test in GroupKFold(5).split(rows, groups=groups):
        model = fit_model([rows[k] for k in train], list(INPUT_NAMES), c)
        out = shipped([rows[k] for k in test], model)
        for k, p in zip(test, out, strict=True):
            pred[k] = p
    print("\ngrouped 5-fold, fitted on all domains:")
    for name in domains:
        idx = [k for k, r in enumerate(rows) if r["domain"] == name]
        print(line(name, scores([rows[k] for k in idx], [pred[k] for k in idx])))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", action="store_true", help="reuse / write aligned pairs in build/verdict-cache")
    ap.add_argument("--cross", action="store_true", help="fit on one domain, test on the others")
    ap.add_argument("--cv", action="store_true", help="grouped 5-fold over all domains")
    ap.add_argument("--limit", type=int, help="pairs per domain (per PAN category), for quick runs")
    ap.add_argument("--domains", default="meter,pan,cases")
    ap.add_argument("-C", type=float, default=1.0)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    present = {"meter": (METER / "courts.jsonl").is_file(), "pan": (PAN / "pairs.jsonl").is_file(),
               "cases": (CASES / "seed").is_dir()}
    domains = {}
    for d in args.domains.split(","):
        if not present[d]:
            print(f"skipped {d}: data not found under {SHARED}")
            continue
        domains[d] = collect(d, args.cache, args.limit)
    t = time.perf_counter()
    for rows in domains.values():
        add_features(rows)
    n = sum(map(len, domains.values()))
    print(f"passages and features for {n} pairs in {time.perf_counter() - t:.1f} s")
    report_shipped(domains)
    if args.cross:
        print("\ncross-domain (fit on one, test on another):")
        cross(domains, args.C)
    if args.cv:
        grouped_cv(domains, args.C)
    return 0


if __name__ == "__main__":
    sys.exit(main())
