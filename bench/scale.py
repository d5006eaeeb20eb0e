"""How unspin scales: long article pairs, repeated text, and two processes side by side.

Pairs of about 5k, 10k, 20k, 30k and 50k words on each side, built deterministically from the
METER courts data in ../shared: the source is the PA copy of consecutive stories, the
candidate the newspaper articles written from those stories (``--kind meter``, the default)
or a lightly edited copy of the source (``--kind edited``: every 7th sentence dropped, a word
changed in every 3rd). Each comparison runs ``unspin.compare(..., judge="rules")`` in a fresh
subprocess, so the peak RSS printed is that run's alone; the figures are the time per stage
(report.timings), the total, the peak RSS, and the growth exponent of time with words (the
least-squares slope of log time on log words).

Then repeated text, the inputs that exhaust memory when a join is unbounded: one paragraph
(two sentences of a PA text) repeated 1,000 times and one sentence repeated 2,400 times, as
the source, as the candidate and on both sides; the other side is that story's PA text or
newspaper article. A child past RSS_LIMIT_MB or TIMEOUT is killed and reported as such.
Then throughput of one process against two side by side on a 10k pair (warm comparisons).
Prints figures only; no pass or fail. Timings are noisy on a busy machine: compare runs made
under the same conditions.

    .venv/bin/python bench/scale.py [--sizes 5000,10000,20000,30000,50000] [--kind meter|edited|both]
                                    [--skip-sizes] [--skip-repeated] [--skip-parallel] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
METER = (ROOT.parent / "shared" / "data" / "meter").resolve()
SIZES = (5_000, 10_000, 20_000, 30_000, 50_000)
PARAGRAPH_TIMES, SENTENCE_TIMES = 1_000, 2_400
TIMEOUT = 600  # seconds per child run
RSS_LIMIT_MB = 6_000  # a child past this is killed (and reported)


def _words(text: str) -> int:
    return len(text.split())


def _stories() -> list[tuple[list[str], list[str]]]:
    """(PA texts, newspaper articles) per story, in the order of courts-sources.jsonl."""
    articles: dict[str, list[str]] = {}
    for line in (METER / "courts.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        articles.setdefault(row["story"], []).append(row["candidate"])
    out = []
    for line in (METER / "courts-sources.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        out.append(([s["text"] for s in row["sources"]], articles.get(row["story"], [])))
    return out


def _edit(text: str) -> str:
    """A light, deterministic rewrite: drop every 7th sentence, change a word in every 3rd."""
    sents = re.split(r"(?<=[.!?])\s+", text)
    out = []
    for k, s in enumerate(sents):
        if k % 7 == 6:
            continue
        if k % 3 == 1:
            s = re.sub(r"\b(the|a|was|has|said)\b", lambda m: {"the": "this", "a": "one", "was": "had been",
                                                              "has": "had", "said": "stated"}[m.group(1)],
                       s, count=1)
        out.append(s)
    return " ".join(out)


def build_pair(words: int, kind: str = "meter") -> tuple[str, str]:
    """Source and candidate of about ``words`` words each (whole articles, so a little over)."""
    src: list[str] = []
    cand: list[str] = []
    ns = nc = 0
    stories = _stories()
    k = 0
    while ns < words or nc < words:
        pa, papers = stories[k % len(stories)]
        k += 1
        if ns < words:
            src.extend(pa)
            ns += sum(map(_words, pa))
        if kind == "edited":
            if nc < words:
                cand.extend(_edit(t) for t in pa)
                nc += sum(_words(_edit(t)) for t in pa)
        else:
            for t in papers:
                if nc < words:
                    cand.append(t)
                    nc += _words(t)
    return "\n\n".join(src), "\n\n".join(cand)


def repeated_inputs() -> dict[str, tuple[str, str]]:
    """Named (source, candidate) pairs with one paragraph or one sentence repeated."""
    # the first paragraph of two sentences, of 30 words or more, in the PA copy; its story's
    # PA text and first newspaper article are the other side
    article, para = next((t, p) for texts, papers in _stories() if papers for t in texts
                         for p in t.split("\n\n")
                         if len(re.split(r"(?<=[.!?])\s+", p)) == 2 and _words(p) >= 30)
    paper = next(papers for texts, papers in _stories() if article in texts)[0]
    sentence = next(s for s in re.split(r"(?<=[.!?])\s+", article) if 15 <= _words(s) <= 30)
    rep_p = "\n\n".join([para] * PARAGRAPH_TIMES)
    rep_s = " ".join([sentence] * SENTENCE_TIMES)
    return {
        f"paragraph x{PARAGRAPH_TIMES} as source": (rep_p, paper),
        f"paragraph x{PARAGRAPH_TIMES} as candidate": (article, rep_p),
        f"paragraph x{PARAGRAPH_TIMES} both sides": (rep_p, rep_p),
        f"sentence x{SENTENCE_TIMES} as source": (rep_s, paper),
        f"sentence x{SENTENCE_TIMES} as candidate": (article, rep_s),
        f"sentence x{SENTENCE_TIMES} both sides": (rep_s, rep_s),
    }


# ------------------------------------------------------------------------------------------
# child side: one comparison, figures as one JSON line on stdout

def _child(spec: dict) -> int:
    if spec["what"] == "pair":
        source, candidate = build_pair(spec["words"], spec["kind"])
    else:
        source, candidate = repeated_inputs()[spec["name"]]
    import unspin
    from unspin import Document

    runs = spec.get("runs", 1)
    t0 = time.perf_counter()
    out = {}
    for _ in range(runs):
        t = time.perf_counter()
        try:
            rep = unspin.compare(Document.from_text(source), Document.from_text(candidate),
                                 judge=spec.get("judge", "rules"))
        except unspin.UnspinError as e:
            out = {"error": str(e)}
            break
        out = {"total": time.perf_counter() - t, "timings": rep.timings,
               "src_words": _words(source), "cand_words": _words(candidate),
               "src_sents": sum(len(s.sentences) for s in rep.sources),
               "cand_sents": len(rep.candidate.sentences), "verdict": rep.verdict.label,
               "passages": len(rep.passages), "findings": len(rep.findings)}
    out["wall"] = time.perf_counter() - t0
    print(json.dumps(out))
    return 0


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _watch(proc: subprocess.Popen, stop, killed: list[str]) -> None:
    """Kill the child past TIMEOUT or RSS_LIMIT_MB, so a run that would exhaust memory is
    reported rather than taking the machine down."""
    t = time.perf_counter()
    while not stop.wait(0.05):
        rss = _rss_mb(proc.pid)
        if rss > RSS_LIMIT_MB or time.perf_counter() - t > TIMEOUT:
            killed.append(f"killed after {time.perf_counter() - t:.1f} s at {rss:,.0f} MB RSS "
                          f"(limits {TIMEOUT} s, {RSS_LIMIT_MB:,} MB)")
            proc.kill()
            return


def _run_child(spec: dict) -> dict:
    """One comparison in a fresh subprocess, reaped with os.wait4 to read its own peak RSS."""
    import tempfile
    import threading

    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([sys.executable, __file__, "--child", json.dumps(spec)],
                                stdout=subprocess.PIPE, stderr=err, text=True)
        stop = threading.Event()
        killed: list[str] = []
        watch = threading.Thread(target=_watch, args=(proc, stop, killed), daemon=True)
        watch.start()
        t = time.perf_counter()
        out = proc.stdout.read() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        stop.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().strip()[-300:]
    try:
        res = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        res = {"error": killed[0] if killed else f"exit {proc.returncode}: {tail}"}
    res["process_wall"] = wall
    res["rss_mb"] = usage.ru_maxrss / 1024
    return res


def _stages(res: dict) -> str:
    return " ".join(f"{k} {v:.2f}" for k, v in res.get("timings", {}).items())


def _slope(xs: list[float], ys: list[float]) -> float:
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / \
        sum((a - mx) ** 2 for a in lx)


def sizes(kind: str, targets: list[int], judge: str = "rules") -> None:
    print(f"pairs ({kind}): time per stage in s, judge={judge}, one fresh process each")
    xs, ys = [], []
    for w in targets:
        res = _run_child({"what": "pair", "words": w, "kind": kind, "judge": judge})
        if "error" in res:
            print(f"  {w:>6,} words: {res['error'][:200]}  (peak RSS {res['rss_mb']:.0f} MB)")
            continue
        words = (res["src_words"] + res["cand_words"]) / 2
        print(f"  {w:>6,} words ({res['src_words']:,} + {res['cand_words']:,} words, "
              f"{res['src_sents']:,} x {res['cand_sents']:,} sentences): total {res['total']:.2f} s, "
              f"peak RSS {res['rss_mb']:.0f} MB; {_stages(res)}; verdict {res['verdict']}, "
              f"{res['passages']} passages, {res['findings']} findings")
        xs.append(words)
        ys.append(res["total"])
    if len(xs) >= 2:
        print(f"  growth exponent of time with words ({xs[0]:,.0f} to {xs[-1]:,.0f}): {_slope(xs, ys):.2f}")


def repeated() -> None:
    print("repeated text: judge=rules, one fresh process each")
    for name in repeated_inputs():
        res = _run_child({"what": "repeated", "name": name})
        if "error" in res:
            print(f"  {name}: {res['error'][:200]} (after {res['process_wall']:.1f} s, "
                  f"peak RSS {res['rss_mb']:.0f} MB)")
            continue
        print(f"  {name} ({res['src_sents']:,} x {res['cand_sents']:,} sentences): "
              f"total {res['total']:.2f} s, "
              f"peak RSS {res['rss_mb']:.0f} MB; {_stages(res)}; verdict {res['verdict']}, "
              f"{res['passages']} passages, {res['findings']} findings")


def parallel(words: int, runs: int) -> None:
    """Throughput of one process doing ``runs`` comparisons against two doing that many each
    at once (warm: the first comparison of each process, model loading included, is not counted)."""
    spec = {"what": "pair", "words": words, "kind": "meter", "runs": runs + 1}

    def launch():
        return subprocess.Popen([sys.executable, __file__, "--child", json.dumps(spec), "--warm"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def result(p) -> float:
        out, err = p.communicate(timeout=TIMEOUT)
        return float(json.loads(out.strip().splitlines()[-1])["warm_wall"])

    one = result(launch())
    procs = [launch(), launch()]
    two = [result(p) for p in procs]
    tp1 = runs / one
    tp2 = 2 * runs / max(two)
    print(f"throughput on a {words:,}-word pair ({runs} warm comparisons per process): one process "
          f"{tp1:.2f}/s ({one / runs:.2f} s each); two side by side {tp2:.2f}/s "
          f"({max(two) / runs:.2f} s each): {tp2 / tp1:.2f}x")


def _child_warm(spec: dict) -> int:
    source, candidate = build_pair(spec["words"], spec["kind"])
    import unspin
    from unspin import Document

    src, cand = Document.from_text(source), Document.from_text(candidate)
    unspin.compare(src, cand, judge="rules")
    t = time.perf_counter()
    for _ in range(spec["runs"] - 1):
        unspin.compare(src, cand, judge="rules")
    print(json.dumps({"warm_wall": time.perf_counter() - t}))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--kind", choices=("meter", "edited", "both"), default="meter")
    ap.add_argument("--skip-sizes", action="store_true")
    ap.add_argument("--skip-repeated", action="store_true")
    ap.add_argument("--skip-parallel", action="store_true")
    ap.add_argument("--runs", type=int, default=3, help="warm comparisons per process (throughput)")
    ap.add_argument("--judge", choices=("rules", "auto", "model"), default="rules",
                    help="the pairs' judge (auto: the consistency model, as `unspin compare` runs)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        spec = json.loads(args.child)
        return _child_warm(spec) if args.warm else _child(spec)
    if not (METER / "courts.jsonl").is_file():
        print(f"skipped: {METER} not found")
        return 0
    if not args.skip_sizes:
        for kind in (("meter", "edited") if args.kind == "both" else (args.kind,)):
            sizes(kind, [int(s) for s in args.sizes.split(",")], args.judge)
    if not args.skip_repeated:
        repeated()
    if not args.skip_parallel:
        parallel(10_000, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
