"""PAN 2013 text alignment benchmark: derivation verdicts and reused passages (PlagDet).

Runs the real pipeline on every pair of ../shared/data/pan13 (the training half of the PAN@CLEF
2013 text-alignment corpus), the source document as the source and the whole suspicious
document as the candidate:

    unspin.compare(Document.from_text(src_text), Document.from_text(susp_text))

and prints

1. derived-vs-not per category (n, truly derived, called derived, 3-class labels), derived
   precision / recall / F1 over all pairs (a pair is positive iff pairs.jsonl says "derived")
   and the false-alarm rate on 01-no-plagiarism;
2. the same for a baseline rule: at least 10% of the source's distinct word 3-grams
   (lower-cased ``\\w+`` tokens) occur in the candidate;
3. PlagDet of ``report.passages`` against the truth cases (Potthast et al. 2010, as computed
   by the PAN evaluation script), overall and per category;
4. finding counts by type per category, and timing.

A text unspin refuses (``UnspinError``) counts as an error and as "not derived, no passages";
so does a crash (any other exception), counted separately with its message.

    .venv/bin/python bench/pan13.py [--limit N] [--workers K] [--category 02-no-obfuscation]
        [--backend auto] [--cache FILE | --from-cache FILE] [--json]

Every run, workers or not, sets OMP/OpenBLAS/MKL to one thread before NumPy is imported, so
one worker uses one core.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PAN = (ROOT.parent / "shared" / "data" / "pan13").resolve()
CATEGORIES = ("01-no-plagiarism", "02-no-obfuscation", "03-random-obfuscation",
              "04-translation-obfuscation", "05-summary-obfuscation")
NEGATIVE_CATEGORY = "01-no-plagiarism"
LABELS = ("wholly_derived", "partially_derived", "not_derived")
FINDING_TYPES = ("altered_quote", "fabricated_quote", "unsupported_claim", "omission", "changed_fact",
                 "attribution_change", "meaning_shift", "garbled_text")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
BASELINE_THRESHOLD = 0.10


# ---------------------------------------------------------------------------------------------
# PlagDet (Potthast, Stein, Barron-Cedeno, Rosso: An Evaluation Framework for Plagiarism
# Detection, COLING 2010), following the PAN evaluation script (perfmeasures.py, used from PAN
# 2009 to 2015): macro-averaged recall and precision over characters of both documents,
# granularity, and plagdet = F1 / log2(1 + granularity).

class Annotation(NamedTuple):
    """A case or a detection: characters [offset, offset + length) of both documents of a pair."""

    pair: str  # identifies the (suspicious, source) document pair
    this_offset: int
    this_length: int
    source_offset: int
    source_length: int


def _overlaps(a: Annotation, b: Annotation) -> bool:
    """b detects a (or a detects b): same pair, overlapping in the suspicious AND the source text."""
    return (a.pair == b.pair
            and b.this_offset + b.this_length > a.this_offset
            and b.this_offset < a.this_offset + a.this_length
            and b.source_offset + b.source_length > a.source_offset
            and b.source_offset < a.source_offset + a.source_length)


def _covered(start: int, length: int, ranges: list[tuple[int, int]]) -> int:
    """Characters of [start, start + length) inside the union of the (offset, length) ranges."""
    end = start + length
    clipped = sorted((max(start, o), min(end, o + n)) for o, n in ranges)
    total, reach = 0, start
    for a, b in clipped:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return total


def _unit_recall(unit: Annotation, others: list[Annotation]) -> float:
    """|unit ∩ (union of the others overlapping it)| / |unit|, characters of both documents."""
    hits = [o for o in others if _overlaps(unit, o)]
    if not hits:
        return 0.0
    got = (_covered(unit.this_offset, unit.this_length, [(o.this_offset, o.this_length) for o in hits])
           + _covered(unit.source_offset, unit.source_length,
                      [(o.source_offset, o.source_length) for o in hits]))
    return got / (unit.this_length + unit.source_length)


def _by_pair(annotations) -> dict[str, list[Annotation]]:
    index: dict[str, list[Annotation]] = defaultdict(list)
    for a in annotations:
        index[a.pair].append(a)
    return index


def macro_recall(cases: list[Annotation], detections: list[Annotation]) -> float:
    """Mean over cases of the share of the case's characters that detections detecting it cover.

    As in the PAN script: 1 when there are neither cases nor detections, 0 when only one is empty.
    Precision is the same function with the roles swapped.
    """
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    index = _by_pair(detections)
    return sum(_unit_recall(c, index.get(c.pair, [])) for c in cases) / len(cases)


def macro_precision(cases: list[Annotation], detections: list[Annotation]) -> float:
    return macro_recall(detections, cases)


def granularity(cases: list[Annotation], detections: list[Annotation]) -> float:
    """Mean number of detections per detected case (1 when nothing is detected)."""
    if not detections:
        return 1.0
    index = _by_pair(detections)
    per_case = [sum(_overlaps(c, d) for d in index.get(c.pair, [])) for c in cases]
    detected = sum(n > 0 for n in per_case)
    return sum(per_case) / detected if detected else 1.0


def plagdet_score(recall: float, precision: float, gran: float) -> float:
    if (recall == 0 and precision == 0) or recall < 0 or precision < 0 or gran < 1:
        return 0.0
    return (2 * recall * precision / (recall + precision)) / math.log2(1 + gran)


def plagdet(cases, detections) -> dict:
    """PlagDet and its parts for cases and detections given as Annotations (any iterables).

    Like the PAN script, which reads both from XML into sets, identical annotations count once;
    annotations without a single character (impossible to score) are left out.
    """
    cases = sorted({c for c in cases if c.this_length + c.source_length > 0})
    detections = sorted({d for d in detections if d.this_length + d.source_length > 0})
    rec, prec = macro_recall(cases, detections), macro_precision(cases, detections)
    gran = granularity(cases, detections)
    return {"plagdet": plagdet_score(rec, prec, gran), "precision": prec, "recall": rec,
            "granularity": gran, "cases": len(cases), "detections": len(detections)}


# ---------------------------------------------------------------------------------------------
# the baseline rule

_TOKEN = re.compile(r"\w+")


def _trigrams(text: str) -> set[tuple[str, ...]]:
    toks = _TOKEN.findall(text.lower())
    return {tuple(toks[i:i + 3]) for i in range(len(toks) - 2)}


def trigram_containment(source: str, candidate: str) -> float:
    """Share of the source's distinct word 3-grams that occur in the candidate."""
    src = _trigrams(source)
    return len(src & _trigrams(candidate)) / len(src) if src else 0.0


# ---------------------------------------------------------------------------------------------
# one pair (runs in a worker; returns only small plain data)

def _single_thread() -> None:
    for var in THREAD_VARS:
        os.environ[var] = "1"


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # exactly: no newline translation


def _input_range(doc, start: int, end: int) -> tuple[int, int] | None:
    """Input-file range of body range [start, end): first and last mappable characters inside it."""
    first = next((x for x in map(doc.to_input, range(start, end)) if x is not None), None)
    last = next((x for x in map(doc.to_input, range(end - 1, start - 1, -1)) if x is not None), None)
    if first is None or last is None or last + 1 <= first:
        return None
    return first, last + 1


def run_pair(task: dict) -> dict:
    """Compare one pair; the verdict, passages as input-offset ranges, finding counts, time."""
    import unspin
    from unspin import Document

    susp = _read(PAN / "susp" / task["susp"])
    src = _read(PAN / "src" / task["src"])
    out = {"category": task["category"], "susp": task["susp"], "src": task["src"],
           "label": "not_derived", "score": 0.0, "derived": False, "passages": [], "unmapped": 0,
           "findings": {}, "error": None, "containment": round(trigram_containment(src, susp), 5)}
    t = time.perf_counter()
    try:
        rep = unspin.compare(Document.from_text(src), Document.from_text(susp), backend=task["backend"])
    except unspin.UnspinError as e:
        out["error"] = f"refused: {e}"
    except Exception as e:  # a crash is a bug to report, not a reason to lose the whole run
        out["error"] = f"crashed: {type(e).__name__}: {e}"
    else:
        out.update(label=rep.verdict.label, score=round(float(rep.verdict.score), 4),
                   derived=bool(rep.verdict.derived),
                   findings=dict(Counter(f.type for f in rep.findings)))
        cand_doc = rep.candidate.doc
        for p in getattr(rep, "passages", None) or []:
            c = _input_range(cand_doc, p.candidate.start, p.candidate.end)
            s = _input_range(rep.sources[p.source_doc].doc, p.source.start, p.source.end)
            if c is None or s is None:
                out["unmapped"] += 1
                continue
            out["passages"].append([c[0], c[1], s[0], s[1], p.kind, round(float(p.strength), 3)])
    out["ms"] = round((time.perf_counter() - t) * 1000, 1)
    return out


# ---------------------------------------------------------------------------------------------
# figures

def _prf(rows: list[dict], called) -> dict:
    tp = sum(1 for r in rows if r["truth"] and called(r))
    fp = sum(1 for r in rows if not r["truth"] and called(r))
    fn = sum(1 for r in rows if r["truth"] and not called(r))
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    neg = [r for r in rows if r["category"] == NEGATIVE_CATEGORY]
    fa = sum(1 for r in neg if called(r)) / len(neg) if neg else None
    return {"precision": p, "recall": rc, "f1": f1, "tp": tp, "fp": fp, "fn": fn,
            "tn": len(rows) - tp - fp - fn, "false_alarm_01": fa}


def _pair_id(row: dict) -> str:
    return f"{row['susp']}|{row['src']}"


def summarise(rows: list[dict]) -> dict:
    """rows: per-pair results joined with their truth ("truth", "cases")."""
    def baseline(r):
        return r["containment"] >= BASELINE_THRESHOLD

    cats = [c for c in CATEGORIES if any(r["category"] == c for r in rows)]
    cats += sorted({r["category"] for r in rows} - set(cats))
    per_cat = {}
    cases_by_cat: dict[str, list[Annotation]] = defaultdict(list)
    dets_by_cat: dict[str, list[Annotation]] = defaultdict(list)
    for r in rows:
        pid = _pair_id(r)
        cases_by_cat[r["category"]] += [
            Annotation(pid, c["this_offset"], c["this_length"], c["source_offset"], c["source_length"])
            for c in r["cases"]]
        dets_by_cat[r["category"]] += [Annotation(pid, p[0], p[1] - p[0], p[2], p[3] - p[2])
                                       for p in r["passages"]]
    for cat in cats:
        sub = [r for r in rows if r["category"] == cat]
        per_cat[cat] = {
            "n": len(sub),
            "positives": sum(r["truth"] for r in sub),
            "called_derived": sum(r["derived"] for r in sub),
            "true_positives": sum(r["derived"] and r["truth"] for r in sub),
            "false_positives": sum(r["derived"] and not r["truth"] for r in sub),
            "baseline_called": sum(baseline(r) for r in sub),
            "labels": {lab: sum(r["label"] == lab for r in sub) for lab in LABELS},
            "errors": sum(r["error"] is not None for r in sub),
            "findings": dict(sum((Counter(r["findings"]) for r in sub), Counter())),
            "passages": sum(len(r["passages"]) for r in sub),
            "unmapped_passages": sum(r.get("unmapped", 0) for r in sub),
            "plagdet": plagdet(cases_by_cat[cat], dets_by_cat[cat]),
        }
    all_cases = [a for c in cats for a in cases_by_cat[c]]
    all_dets = [a for c in cats for a in dets_by_cat[c]]
    ms = [r["ms"] for r in rows]
    errors = [r for r in rows if r["error"]]
    return {
        "pairs": len(rows),
        "errors": {"refused": sum(r["error"].startswith("refused") for r in errors),
                   "crashed": sum(not r["error"].startswith("refused") for r in errors),
                   "examples": [f"{_pair_id(r)}: {r['error']}"[:300] for r in errors[:5]]},
        "categories": per_cat,
        "derived": _prf(rows, lambda r: r["derived"]),
        "baseline": {"rule": f"source word-3-gram containment >= {BASELINE_THRESHOLD}",
                     **_prf(rows, baseline)},
        "plagdet": plagdet(all_cases, all_dets),
        "timing": {"median_ms": statistics.median(ms) if ms else None,
                   "mean_ms": statistics.fmean(ms) if ms else None,
                   "sum_s": sum(ms) / 1000},
    }


def _fmt(x) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


def print_summary(s: dict) -> None:
    short = {"wholly_derived": "wholly", "partially_derived": "partly", "not_derived": "not"}
    print(f"PAN 2013 text alignment: {s['pairs']} pairs")
    e = s["errors"]
    print(f"errors: {e['refused']} refused by unspin (UnspinError), {e['crashed']} crashed; "
          "counted as not derived, no passages")
    for ex in e["examples"]:
        print(f"  {ex}")

    print("\n1. derived vs not (truth: pairs.jsonl 'derived')")
    print(f"{'category':28} {'n':>5} {'truly':>6} {'called':>7} {'TP':>5} {'FP':>5} "
          + " ".join(f"{short[lab]:>7}" for lab in LABELS) + f" {'errors':>7}")
    for cat, c in s["categories"].items():
        print(f"{cat:28} {c['n']:5d} {c['positives']:6d} {c['called_derived']:7d} "
              f"{c['true_positives']:5d} {c['false_positives']:5d} "
              + " ".join(f"{c['labels'][lab]:7d}" for lab in LABELS) + f" {c['errors']:7d}")
    d = s["derived"]
    print(f"unspin:   P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  "
          f"(TP {d['tp']}, FP {d['fp']}, FN {d['fn']}, TN {d['tn']}); "
          f"false alarms on 01: {_fmt(d['false_alarm_01'])}")

    b = s["baseline"]
    print(f"\n2. baseline ({b['rule']})")
    print("called per category: " + ", ".join(f"{cat[:2]} {c['baseline_called']}/{c['n']}"
                                              for cat, c in s["categories"].items()))
    print(f"baseline: P {b['precision']:.3f}  R {b['recall']:.3f}  F1 {b['f1']:.3f}  "
          f"(TP {b['tp']}, FP {b['fp']}, FN {b['fn']}, TN {b['tn']}); "
          f"false alarms on 01: {_fmt(b['false_alarm_01'])}")

    print("\n3. PlagDet of report.passages (character ranges in both documents)")
    print(f"{'category':28} {'plagdet':>8} {'prec':>7} {'recall':>7} {'gran':>6} {'cases':>6} "
          f"{'dets':>6} {'unmapped':>9}")
    rows = [(cat, c["plagdet"], c["unmapped_passages"]) for cat, c in s["categories"].items()]
    rows.append(("all", s["plagdet"], sum(c["unmapped_passages"] for c in s["categories"].values())))
    for cat, p, unmapped in rows:
        if cat == NEGATIVE_CATEGORY:  # no cases: only false detections to show
            print(f"{cat:28} {'':>8} {'':>7} {'':>7} {'':>6} {p['cases']:6d} {p['detections']:6d} "
                  f"{unmapped:9d}")
            continue
        print(f"{cat:28} {p['plagdet']:8.3f} {p['precision']:7.3f} {p['recall']:7.3f} "
              f"{p['granularity']:6.2f} {p['cases']:6d} {p['detections']:6d} {unmapped:9d}")
    if not s["plagdet"]["detections"]:
        print("(no passages reported: report.passages was empty on every pair)")

    print("\nfindings by type (total per category; per pair in the last column)")
    types = list(FINDING_TYPES)
    types += sorted({t for c in s["categories"].values() for t in c["findings"]} - set(types))
    print(f"{'category':28} " + " ".join(f"{t[:10]:>10}" for t in types) + f" {'per pair':>9}")
    for cat, c in s["categories"].items():
        total = sum(c["findings"].values())
        print(f"{cat:28} " + " ".join(f"{c['findings'].get(t, 0):10d}" for t in types)
              + f" {total / c['n'] if c['n'] else 0:9.1f}")

    t = s["timing"]
    print("\n4. timing")
    if "wall_s" in t:
        print(f"total {t['wall_s']:.1f} s wall ({t['workers']} worker(s)); ", end="")
    else:
        print("from cache: ", end="")
    print(f"sum of per-pair times {t['sum_s']:.1f} s; median {_fmt_ms(t['median_ms'])} per pair, "
          f"mean {_fmt_ms(t['mean_ms'])}")


def _fmt_ms(x) -> str:
    return "n/a" if x is None else f"{x:.0f} ms"


# ---------------------------------------------------------------------------------------------

def load_pairs(category: str | None, limit: int | None) -> list[dict]:
    pairs, seen = [], Counter()
    with (PAN / "pairs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if category and row["category"] != category:
                continue
            if limit is not None and seen[row["category"]] >= limit:
                continue
            seen[row["category"]] += 1
            pairs.append(row)
    return pairs


def _run(tasks: list[dict], workers: int, cache: Path | None, quiet: bool) -> list[dict]:
    out: list[dict] = []
    fh = cache.open("w", encoding="utf-8") if cache else None
    t0 = time.perf_counter()
    try:
        if workers <= 1:
            results = map(run_pair, tasks)
            pool = None
        else:
            import multiprocessing

            pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_single_thread)
            results = pool.imap_unordered(run_pair, tasks, chunksize=1)
        for i, res in enumerate(results, 1):
            out.append(res)
            if fh:
                fh.write(json.dumps(res, ensure_ascii=False) + "\n")
                fh.flush()
            if not quiet and (i % 25 == 0 or i == len(tasks)):
                print(f"  {i}/{len(tasks)} pairs, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        if pool:
            pool.close()
            pool.join()
    finally:
        if fh:
            fh.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, help="only the first N pairs of each category")
    ap.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--category", choices=CATEGORIES, help="only this category")
    ap.add_argument("--backend", default=None, help="embedding backend (default: unspin's auto)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--cache", type=Path, help="write per-pair results to this JSONL file")
    src.add_argument("--from-cache", type=Path, help="recompute the figures from a --cache file")
    ap.add_argument("--json", action="store_true", help="print a machine-readable summary only")
    args = ap.parse_args()
    if not (PAN / "pairs.jsonl").is_file():
        print(f"skipped: PAN 2013 corpus not found at {PAN}")
        return 0
    pairs = load_pairs(args.category, args.limit)
    truth = {_pair_id(p): p for p in pairs}
    missing = 0
    if args.from_cache:
        cached = {}
        with args.from_cache.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    cached[_pair_id(row)] = row
        results = [cached[k] for k in truth if k in cached]
        missing = len(truth) - len(results)
        wall = None
    else:
        _single_thread()  # before anything imports NumPy: one worker, one core
        tasks = [{"category": p["category"], "susp": p["susp"], "src": p["src"], "backend": args.backend}
                 for p in pairs]
        t = time.perf_counter()
        results = _run(tasks, args.workers, args.cache, args.json)
        wall = time.perf_counter() - t
    rows = []
    for r in results:
        p = truth[_pair_id(r)]
        rows.append({**r, "category": p["category"], "truth": bool(p["derived"]), "cases": p["cases"]})
    order = {k: i for i, k in enumerate(truth)}
    rows.sort(key=lambda r: order[_pair_id(r)])
    summary = summarise(rows)
    if wall is not None:
        summary["timing"].update(wall_s=wall, workers=args.workers)
    if missing:
        summary["missing_from_cache"] = missing
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        if missing:
            print(f"note: {missing} selected pairs are not in {args.from_cache}; left out")
        print_summary(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
