"""Compare the sentence-embedding backends on the annotated cases: quality and speed.

Pairs come from ../shared/cases (seed and dev):

- paraphrase: each sentence the annotators list as a faithful rendering
  (``faithful_candidate_sentences``) with the source sentence a monotone (order-keeping)
  alignment of the two articles on content-word overlap pairs it with; ``--dump`` writes them
  out for checking by eye;
- unrelated: a source sentence of another case; same-story: a source sentence of the same case
  at least two sentences away from the aligned one (what the aligner must actually reject);
- changed fact / meaning shift: the sentences holding an annotated ``changed_fact`` /
  ``meaning_shift`` finding (source side vs candidate side); synthetic changed fact: a
  paraphrase pair whose candidate gets one number replaced.

Each backend runs in a fresh subprocess (the minilm one in .venv-build, which has torch), so
import/load time and peak RSS are its own. Run from the repo: ``.venv/bin/python bench/embeddings.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "cases"
BUILD_PY = ROOT / ".venv-build" / "bin" / "python"
# backend name -> which interpreter runs it; "m2v-lib" is the model2vec package's own loader,
# measured to justify loading the files directly in unspin.embed
BACKENDS = {"lexical": "main", "model2vec": "main", "m2v-lib": "main", "minilm": "build"}

_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Sgt|Gen|Gov|Sen|Rep|Col|Lt|Capt|Prof|Rev|No|Jr|Sr|Inc|Ltd|Co|"
                     r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z])\.$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_STOP_LIST = """a an the and or but of to in on at by for from with as is are was were be been being
has have had that this it its he she they his her their him them i we you said told not no would
could will who which when after before than then there also had"""
_STOP = frozenset(_STOP_LIST.split())


# ----------------------------------------------------------------------------- pair building

def sentences(text: str) -> list[str]:
    """Paragraphs, then a conservative split after . ! ? (not after titles or initials)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for m in _BOUNDARY.finditer(para):
            head = para[start:m.start()].rstrip("\"'”’)")
            if _ABBREV.search(head):
                continue
            out.append(para[start:m.start()].strip())
            start = m.end()
        out.append(para[start:].strip())
    return [s for s in out if len(s) > 1]


def _content(s: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", s.lower().replace("’", "'"))
    return {w[:5] for w in words if w not in _STOP and len(w) > 1}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def monotone_alignment(src: list[str], cand: list[str], floor: float = 0.12) -> dict[int, int]:
    """candidate index -> source index, order-keeping, maximising summed (overlap - floor)."""
    sc, cc = [_content(s) for s in src], [_content(c) for c in cand]
    sim = np.array([[_jaccard(a, b) - floor for a in sc] for b in cc])  # (cand, src)
    n, m = sim.shape
    best = np.zeros((n + 1, m + 1))
    move = np.zeros((n + 1, m + 1), dtype=np.int8)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = (best[i - 1, j - 1] + sim[i - 1, j - 1], best[i - 1, j], best[i, j - 1])
            k = int(np.argmax(options))
            best[i, j], move[i, j] = options[k], k
    pairs: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        if move[i, j] == 0:
            if sim[i - 1, j - 1] > 0:
                pairs[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif move[i, j] == 1:
            i -= 1
        else:
            j -= 1
    return pairs


def _norm(s: str) -> str:
    return " ".join(s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())


def _find(sents: list[str], needle: str) -> int | None:
    n = _norm(needle)
    for i, s in enumerate(sents):
        if n in _norm(s) or (len(_norm(s)) > 20 and _norm(s) in n):
            return i
    return None


def _change_number(text: str, rng: random.Random) -> str | None:
    nums = list(re.finditer(r"\b\d[\d,.]*\b", text))
    if not nums:
        return None
    m = rng.choice(nums)
    digits = m.group().replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    new = value + rng.choice([1, 2, 3, 7]) if value < 100 else value * rng.choice([1.5, 2, 0.5])
    new_s = str(int(new)) if new == int(new) else f"{new:.1f}"
    return text[:m.start()] + new_s + text[m.end():]


Pairs = dict[str, list[tuple[str, str]]]


def build_pairs(seed: int = 7) -> tuple[Pairs, list[dict], list[tuple[list, list]]]:
    rng = random.Random(seed)
    case_dirs = [CASES / "seed", *sorted(p for p in (CASES / "dev").iterdir() if p.is_dir())]
    cases = []
    for d in case_dirs:
        exp = json.loads((d / "expected.json").read_text())
        src = sentences((d / "source.txt").read_text())
        cand = sentences((d / "candidate.txt").read_text())
        cases.append((d.name, src, cand, exp))

    pos: list[tuple[int, int, str]] = []  # (case, source index, candidate sentence)
    checks: list[dict] = []
    for ci, (name, src, cand, exp) in enumerate(cases):
        if not exp["verdict"]["derived"]:
            continue
        align = monotone_alignment(src, cand)
        for faithful in exp.get("faithful_candidate_sentences", []):
            j = _find(cand, faithful)
            i = align.get(j) if j is not None else None
            if i is None:
                checks.append({"case": name, "candidate": faithful, "source": None})
                continue
            pos.append((ci, i, faithful))
            checks.append({"case": name, "candidate": faithful, "source": src[i]})

    pairs: dict[str, list[tuple[str, str]]] = {k: [] for k in
                                                ("paraphrase", "unrelated", "same_story", "changed_fact",
                                                 "meaning_shift", "synthetic_fact")}
    for ci, i, cand_s in pos:
        src = cases[ci][1]
        pairs["paraphrase"].append((src[i], cand_s))
        for _ in range(3):
            other = rng.choice([k for k in range(len(cases)) if k != ci])
            pairs["unrelated"].append((rng.choice(cases[other][1]), cand_s))
        far = [k for k in range(len(src)) if abs(k - i) >= 2 and len(src[k]) > 30]
        for k in rng.sample(far, min(3, len(far))):
            pairs["same_story"].append((src[k], cand_s))
        changed = _change_number(cand_s, rng)
        if changed:
            pairs["synthetic_fact"].append((src[i], changed))
    for _name, src, cand, exp in cases:
        for f in exp["findings"]:
            if f["type"] not in ("changed_fact", "meaning_shift"):
                continue
            if not (f.get("source_text") and f.get("candidate_text")):
                continue
            i, j = _find(src, f["source_text"]), _find(cand, f["candidate_text"])
            if i is None or j is None:
                continue
            pairs[f["type"]].append((src[i], cand[j]))
    # the alignment-shaped view: every candidate sentence against every source sentence
    matrices = [(src, cand) for _, src, cand, _ in cases]
    top1 = [{"source": cases[ci][1], "candidate": c, "gold": i} for ci, i, c in pos]
    return pairs, top1, matrices


# ----------------------------------------------------------------------------- metrics

def _ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x))
    xs = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and xs[j + 1] == xs[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of a positive > score of a negative), ties count half (Mann-Whitney)."""
    if not len(pos) or not len(neg):
        return float("nan")
    r = _ranks(np.concatenate([pos, neg]))
    return float((r[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(_ranks(a), _ranks(b))[0, 1])


# ----------------------------------------------------------------------------- worker

WORKER = r"""
import json, resource, sys, time
t0 = time.perf_counter()
name, texts_path, out_path, mode = sys.argv[1:5]
if name == "m2v-lib":
    import numpy as np
    from model2vec import StaticModel
    from unspin.embed import model_dir
    _m = StaticModel.from_pretrained(str(model_dir()))
    class E:
        dim = _m.dim
        def encode(self, texts):
            return _m.encode(texts).astype(np.float32) if texts else np.zeros((0, _m.dim), np.float32)
    enc = E()
else:
    import numpy as np
    from unspin.embed import get_backend
    enc = get_backend(name)
enc.encode(["Warm-up sentence."])
stats = {"load_s": time.perf_counter() - t0}
if mode == "full":
    texts = json.load(open(texts_path))
    vecs = enc.encode(texts)
    np.save(out_path + ".npy", vecs)
    size = 2000 if name != "minilm" else 256
    batch = (texts * (1 + size // max(1, len(texts))))[:size]
    best = 1e9
    for _ in range(3):
        t = time.perf_counter(); enc.encode(batch); best = min(best, time.perf_counter() - t)
    singles = []
    for s in texts[:40:2]:
        t = time.perf_counter(); enc.encode([s]); singles.append(time.perf_counter() - t)
    stats.update(sent_per_s=len(batch) / best, one_ms=1000 * float(np.median(singles)),
                 rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, dim=int(vecs.shape[1]))
json.dump(stats, open(out_path + "." + mode + ".json", "w"))
"""


def run_backend(name: str, texts_path: Path, out: Path, repeats: int = 3,
                model: str | None = None, label: str | None = None) -> dict | None:
    python = str(BUILD_PY) if BACKENDS[name] == "build" else sys.executable
    label = label or name
    if not Path(python).exists():
        print(f"[skip] {name}: {python} not found (make model creates it)", file=sys.stderr)
        return None
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), HF_HUB_OFFLINE="1")
    if model:
        env["UNSPIN_MODEL_DIR"] = model
    loads = []
    for mode in ["full"] + ["load"] * (repeats - 1):
        p = subprocess.run([python, "-c", WORKER, name, str(texts_path), str(out / label), mode], env=env,
                           capture_output=True, text=True)
        if p.returncode != 0:
            last = (p.stderr.strip().splitlines() or ["?"])[-1]
            print(f"[skip] {label}: {last}", file=sys.stderr)
            return None
        loads.append(json.loads((out / f"{label}.{mode}.json").read_text())["load_s"])
    stats = json.loads((out / f"{label}.full.json").read_text())
    stats["load_s"] = float(np.median(loads))
    stats["vectors"] = np.load(out / f"{label}.npy")
    return stats


# ----------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated subset")
    ap.add_argument("--variant", action="append", default=[], metavar="LABEL=DIR",
                    help="also run the model2vec backend on another distilled model (repeatable)")
    ap.add_argument("--dump", type=Path, help="write the paraphrase alignment here for checking")
    args = ap.parse_args(argv)
    if not (CASES / "dev").is_dir():
        print(f"shared cases not found at {CASES}", file=sys.stderr)
        return 1

    load0 = os.getloadavg()[0]
    pairs, top1, matrices = build_pairs()
    if args.dump:
        args.dump.write_text("\n\n".join(f"[{k}]\nS: {a}\nC: {b}" for k, v in pairs.items() for a, b in v))
    texts = sorted({t for v in pairs.values() for p in v for t in p}
                   | {t for src, cand in matrices for t in [*src, *cand]})
    index = {t: i for i, t in enumerate(texts)}
    print("pairs: " + ", ".join(f"{k} {len(v)}" for k, v in pairs.items())
          + f"; {len(texts)} distinct sentences; alignment matrices "
          + f"{sum(len(s) * len(c) for s, c in matrices)} cells", file=sys.stderr)

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tp = Path(tmp) / "texts.json"
        tp.write_text(json.dumps(texts))
        for name in args.backends.split(","):
            stats = run_backend(name, tp, Path(tmp))
            if stats:
                results[name] = stats
        for spec in args.variant:
            label, _, path = spec.partition("=")
            stats = run_backend("model2vec", tp, Path(tmp), model=path, label=label)
            if stats:
                results[label] = stats

    def cos(vecs: np.ndarray, kind: str) -> np.ndarray:
        return np.array([float(vecs[index[a]] @ vecs[index[b]]) for a, b in pairs[kind]])

    table = []
    for name, st in results.items():
        v = st["vectors"]
        para = cos(v, "paraphrase")
        hits = 0
        for item in top1:
            sims = v[[index[s] for s in item["source"]]] @ v[index[item["candidate"]]]
            hits += int(np.argmax(sims) == item["gold"])
        cells = np.concatenate([(v[[index[c] for c in cand]] @ v[[index[s] for s in src]].T).ravel()
                                for src, cand in matrices])
        st["cells"] = cells
        table.append({
            "backend": name, "dim": st["dim"],
            "para": float(np.median(para)), "unrel": float(np.median(cos(v, "unrelated"))),
            "auc_unrel": auc(para, cos(v, "unrelated")), "auc_story": auc(para, cos(v, "same_story")),
            "auc_fact": auc(para, cos(v, "changed_fact")), "auc_shift": auc(para, cos(v, "meaning_shift")),
            "auc_synth": auc(para, cos(v, "synthetic_fact")), "top1": hits / max(1, len(top1)),
            "load": st["load_s"], "sps": st["sent_per_s"], "one": st["one_ms"], "rss": st["rss_mb"],
        })
    ref = results.get("minilm", {}).get("cells")
    labelled = [p for v in pairs.values() for p in v]
    def pair_cos(vecs: np.ndarray) -> np.ndarray:
        return np.array([float(vecs[index[a]] @ vecs[index[b]]) for a, b in labelled])

    ref_pairs = pair_cos(results["minilm"]["vectors"]) if "minilm" in results else None
    for row in table:
        st = results[row["backend"]]
        row["rho"] = spearman(st["cells"], ref) if ref is not None else float("nan")
        mine = pair_cos(st["vectors"])
        row["rho_pairs"] = spearman(mine, ref_pairs) if ref_pairs is not None else float("nan")

    head = ("backend", "dim", "cos para", "cos unrel", "AUC unrel", "AUC story", "AUC fact", "AUC shift",
            "AUC synth", "top-1", "rho cells", "rho pairs", "load s", "sent/s", "1 sent ms", "RSS MB")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in table:
        print(f"| {r['backend']} | {r['dim']} | {r['para']:.3f} | {r['unrel']:.3f} | {r['auc_unrel']:.3f} | "
              f"{r['auc_story']:.3f} | {r['auc_fact']:.3f} | {r['auc_shift']:.3f} | {r['auc_synth']:.3f} | "
              f"{r['top1']:.3f} | {r['rho']:.3f} | {r['rho_pairs']:.3f} | {r['load']:.2f} | "
              f"{r['sps']:,.0f} | {r['one']:.2f} | {r['rss']:.0f} |")
    n = {k: len(v) for k, v in pairs.items()}
    print(f"\npairs: paraphrase {n['paraphrase']}, unrelated {n['unrelated']} (other case), same-story "
          f"{n['same_story']}, changed fact {n['changed_fact']}, meaning shift {n['meaning_shift']}, "
          f"synthetic number change {n['synthetic_fact']}; top-1: faithful candidate sentence's best "
          f"source sentence is the aligned one ({len(top1)}); rho cells / pairs: Spearman of cosines vs "
          f"MiniLM over all {len(results[table[0]['backend']]['cells']) if table else 0} source x candidate "
          f"sentence pairs of the 13 cases / over the {len(labelled)} labelled pairs above; "
          "load: import + load + first encode in a fresh process "
          "(median of 3); sent/s: batch of 2000 (MiniLM 256); RSS: peak of that process. "
          f"Load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end (2 cores; timings are "
          "best-of-3 but shared).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
