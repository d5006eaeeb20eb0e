"""METER courts benchmark for the derivation verdict, and the annotated cases' verdicts.

Every figure is from held-out folds (stratified 5-fold, grouped by story, so no story's PA
copy is seen in training and testing): 3-class macro-F1 (best published 0.664, Clough et al.
2002), binary derived-vs-not F1 and ROC AUC, a confusion matrix. ``--fit`` refits the model
on all 770 articles and writes src/unspin/verdict_model.json (needs scikit-learn, a dev
dependency). Then the verdict of the shipped model on the seed and dev cases.

    .venv/bin/python bench/meter.py [--backend model2vec] [--fit] [--cache FILE] [--inputs a,b|all] [--cross]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared").resolve()
METER = SHARED / "data" / "meter"
CASES = SHARED / "cases"
sys.path.insert(0, str(ROOT / "bench"))
MODEL_PATH = ROOT / "src" / "unspin" / "verdict_model.json"
LABEL_MAP = {"non_derived": "not_derived", "partially_derived": "partially_derived",
             "wholly_derived": "wholly_derived"}


def collect(backend: str) -> list[dict]:
    """Align every courts article against all PA texts of its story; keep verdict features."""
    from unspin.align import align
    from unspin.embed import get_backend
    from unspin.segment import segment
    from unspin.types import Document

    enc = get_backend(backend)
    stories = {}
    for line in (METER / "courts-sources.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        stories[row["story"]] = [segment(Document.from_text(s["text"]), doc_index=i)
                                 for i, s in enumerate(row["sources"])]
    out = []
    t = time.perf_counter()
    for line in (METER / "courts.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        cand = segment(Document.from_text(row["candidate"]))
        a = align(stories[row["story"]], cand, enc)
        out.append({"id": row["id"], "story": row["story"], "label": LABEL_MAP[row["label"]],
                    "alignment": a, "sources": stories[row["story"]], "candidate": cand})
    print(f"aligned {len(out)} articles in {time.perf_counter() - t:.1f} s ({enc.name})")
    return out


def design(rows: list[dict], names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from unspin.passages import find_passages
    from unspin.verdict import LABELS, features, model_inputs

    for r in rows:  # a cache holding alignments gets the current passage and feature code
        passages = find_passages(r["alignment"], r["sources"], r["candidate"])
        r["features"] = features(r["alignment"], passages)
    x = np.array([model_inputs(r["features"], names) for r in rows], dtype=float)
    y = np.array([LABELS.index(r["label"]) for r in rows])
    groups = np.array([r["story"] for r in rows])
    return x, y, groups


def fit(x: np.ndarray, y: np.ndarray, c: float = 1.0) -> dict:
    """Standardise, then multinomial logistic regression; the JSON the package evaluates."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(0), x.std(0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    lr.fit((x - mean) / scale, y)
    return {"mean": mean.tolist(), "scale": scale.tolist(), "coef": lr.coef_.tolist(),
            "intercept": lr.intercept_.tolist()}


def predict(model: dict, x: np.ndarray) -> np.ndarray:
    z = ((x - np.array(model["mean"])) / np.array(model["scale"])) @ np.array(model["coef"]).T
    z += np.array(model["intercept"])
    z -= z.max(1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(1, keepdims=True)


def with_route(rows: list[dict], probs: np.ndarray) -> np.ndarray:
    """Predicted class per article as ``judge`` gives it: the model's probabilities (here the
    held-out fold's), then the rewrite route and the passage rules (``verdict.decide``)."""
    from unspin.verdict import LABELS, decide

    fixed = {"mean": [0.0, 0.0, 0.0], "scale": [1.0, 1.0, 1.0], "inputs": ["source_conveyed"] * 3}
    pred = probs.argmax(1)
    for k, r in enumerate(rows):
        # decide() on a model that returns exactly this fold's log-probabilities
        model = {**fixed, "coef": np.zeros((3, 3)).tolist(), "intercept": np.log(probs[k] + 1e-12).tolist()}
        pred[k] = LABELS.index(decide(r["features"], model)[0])
    return pred


def held_out(x: np.ndarray, y: np.ndarray, groups: np.ndarray, c: float = 1.0, seed: int = 0) -> np.ndarray:
    from sklearn.model_selection import StratifiedGroupKFold

    probs = np.zeros((len(y), 3))
    for train, test in StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(x, y, groups):
        probs[test] = predict(fit(x[train], y[train], c), x[test])
    return probs


def report(y: np.ndarray, probs: np.ndarray, pred: np.ndarray) -> dict:
    from sklearn.metrics import confusion_matrix, f1_score, roc_auc_score

    from unspin.verdict import LABELS

    derived = (y > 0).astype(int)
    out = {
        "macro_f1": f1_score(y, pred, average="macro"),
        "per_class_f1": dict(zip(LABELS, f1_score(y, pred, average=None), strict=True)),
        "binary_f1": f1_score(derived, (pred > 0).astype(int)),
        "binary_auc": roc_auc_score(derived, probs[:, 1] + probs[:, 2]),
        "accuracy": float((pred == y).mean()),
        "confusion": confusion_matrix(y, pred, labels=[0, 1, 2]),
    }
    return out


def print_report(r: dict) -> None:
    from unspin.verdict import LABELS

    print(f"3-class macro-F1 (held-out): {r['macro_f1']:.3f}   (best published 0.664)")
    print("  per class: " + ", ".join(f"{k} {v:.3f}" for k, v in r["per_class_f1"].items()))
    print(f"accuracy: {r['accuracy']:.3f}")
    print(f"binary derived-vs-not F1: {r['binary_f1']:.3f}   ROC AUC: {r['binary_auc']:.3f}")
    print("confusion (rows true, columns predicted): " + " / ".join(LABELS))
    for lab, row in zip(LABELS, r["confusion"], strict=True):
        print(f"  {lab:18s} " + " ".join(f"{v:5d}" for v in row))


def check_cases(backend: str) -> int:
    """The shipped model's verdict on the seed and every dev case; returns how many are wrong."""
    from unspin.align import align
    from unspin.embed import get_backend
    from unspin.ingest import load
    from unspin.passages import find_passages
    from unspin.segment import segment
    from unspin.verdict import judge

    enc = get_backend(backend)
    dirs = [CASES / "seed", *sorted(p for p in (CASES / "dev").iterdir() if p.is_dir())]
    wrong = 0
    print("\ncases (shipped model):")
    for d in dirs:
        want = json.loads((d / "expected.json").read_text(encoding="utf-8"))["verdict"]["label"]
        srcs, cand = [segment(load(d / "source.txt"))], segment(load(d / "candidate.txt"))
        a = align(srcs, cand, enc)
        v = judge(a, passages=find_passages(a, srcs, cand))
        ok = v.label == want
        wrong += not ok
        p = v.evidence["probabilities"]
        print(f"  {'ok ' if ok else 'BAD'} {d.name:32s} {v.label:18s} (want {want:18s}) "
              f"p=[{p['not_derived']:.2f} {p['partially_derived']:.2f} {p['wholly_derived']:.2f}] "
              f"supported={v.evidence['candidate_supported']:.2f} verbatim={v.evidence['verbatim']:.2f}")
    print(f"cases right: {len(dirs) - wrong}/{len(dirs)}")
    return wrong


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default="model2vec")
    ap.add_argument("--fit", action="store_true", help="refit on all articles and write verdict_model.json")
    ap.add_argument("--cache", help="pickle of the alignments, reused when present (features are recomputed)")
    ap.add_argument("-C", type=float, default=0.3, help="inverse regularisation strength")
    ap.add_argument("--cross", action="store_true", help="the shipped verdict on PAN and the cases too")
    ap.add_argument("--inputs", help="comma-separated model inputs (verdict.CANDIDATE_INPUTS); "
                    "default verdict.INPUT_NAMES")
    args = ap.parse_args()
    from unspin.verdict import CANDIDATE_INPUTS, INPUT_NAMES

    names = args.inputs.split(",") if args.inputs else list(INPUT_NAMES)
    if args.inputs == "all":
        names = list(CANDIDATE_INPUTS)
    if not (METER / "courts.jsonl").is_file():
        print(f"skipped: METER data not found at {METER}")
        return 0
    cache = Path(args.cache) if args.cache else None
    if cache and cache.is_file():
        rows = pickle.loads(cache.read_bytes())
    else:
        rows = collect(args.backend)
        if cache:
            cache.write_bytes(pickle.dumps(rows))
    x, y, groups = design(rows, names)
    try:
        probs = np.mean([held_out(x, y, groups, args.C, seed) for seed in range(3)], axis=0)
    except ImportError:
        print("skipped METER cross-validation: scikit-learn (a dev dependency) is not installed")
        probs = None
    if probs is not None:
        print(f"METER courts: {len(y)} articles, {len(set(groups))} stories; "
              f"stratified 5-fold grouped by story, mean of 3 shuffles; inputs: {', '.join(names)}")
        from unspin.verdict import LABELS, decide, rewrite_route

        pred = with_route(rows, probs)
        print_report(report(y, probs, pred))
        fired = [LABELS.index(r["label"]) for r in rows if rewrite_route(r["features"]) is not None]
        by = [decide(r["features"])[2] for r in rows]
        print(f"passage rule (shipped model) decided {by.count('passage')} articles")
        print(f"rewrite route fired on {len(fired)} articles; true labels: "
              + ", ".join(f"{lab} {fired.count(k)}" for k, lab in enumerate(LABELS)))
        print(f"model alone (no route): macro-F1 {report(y, probs, probs.argmax(1))['macro_f1']:.3f}")
    if args.fit:
        model = fit(x, y, args.C)
        model = {"about": "multinomial logistic regression on METER courts (bench/meter.py --fit); "
                          "classes not/partially/wholly derived", "inputs": names,
                 "C": args.C, **model}
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    if args.cross:  # the shipped verdict on the other domains (bench/verdict.py has the details)
        import verdict as cross_domain

        domains = {d: cross_domain.collect(d, True, None) for d in ("pan", "cases")}
        for rows in domains.values():
            cross_domain.add_features(rows)
        cross_domain.report_shipped(domains, title="cross-domain: the shipped (courts-fitted)")
    if (CASES / "seed").is_dir():
        check_cases(args.backend)
    else:
        print(f"skipped cases: not found at {CASES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
