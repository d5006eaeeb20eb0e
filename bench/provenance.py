"""How well provenance.trace recovers who copied whom, on synthetic copy trees.

Trees are built reproducibly (seeded) from the archive articles of ../shared/data/scan: each
group takes one article (100+ words) and makes 2-6 copies, each from the article or from an
earlier copy (tree depth 1-3). A copy is its parent with edits at a rate r (each copy draws
r x U(0.5, 1.5)): each sentence dropped with p = r/2, each word substituted with p = 0.6r by
a word of the article's own vocabulary or deleted with p = 0.2r, and after each sentence one
from another article inserted with p = 0.3r. So a copy of a copy inherits its parent's
alterations. Dates follow the tree (a child 1-30 days after its parent).

Figures: parent accuracy (the predicted parent, a copy or the original, is the true one),
root accuracy (the chain reaches the right first-generation copy, the one made from the
original), copy-link precision / recall (links between copies only), groups fully right, and
the mean confidence; per variant: dates kept, input shuffled, undated, half undated, crawl
dates unrelated to the tree (with and without use_dates), "same spinner" (substitutions from
one fixed synonym table, so independent copies make some identical changes), extraction noise
(each page independently loses its first or last sentence or gains a foreign one) and 30% of
the copies not captured (truth: the nearest captured ancestor). Then the date-first order as
an ablation, the calibration of the confidence, accuracy against the edit rate, a sweep of
each threshold, and CPU time and accuracy on groups of 100 to 1000 copies.
Prints figures only; exit 0.

    .venv/bin/python bench/provenance.py [--groups 300] [--seed 7] [--skip-sweep]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from unspin.corpus import provenance  # noqa: E402
from unspin.corpus.provenance import Copy, trace  # noqa: E402

ARCHIVE = (ROOT.parent / "shared" / "data" / "scan" / "archive").resolve()
_SENT = re.compile(r"(?<=[.!?])\s+|\n+")


def load(min_words: int = 100) -> list[list[list[str]]]:
    """Archive articles as sentences of whitespace words, in file-name order."""
    out = []
    for path in sorted(ARCHIVE.glob("*.txt")):
        sents = [s.split() for s in _SENT.split(path.read_text(encoding="utf-8")) if s.strip()]
        if sum(map(len, sents)) >= min_words and len(sents) >= 4:
            out.append(sents)
    return out


def edit(sents, rate, rng, vocab, pool, thesaurus=None):
    """A copy of ``sents`` with sentence drops, word substitutions and deletions, insertions."""
    out = []
    for s in sents:
        if len(sents) > 3 and rng.random() < rate * 0.5:
            continue
        new = []
        for w in s:
            r = rng.random()
            if r < rate * 0.6:
                new.append(thesaurus.get(w, w) if thesaurus is not None else rng.choice(vocab))
            elif r >= rate * 0.8:
                new.append(w)
        if new:
            out.append(new)
        if rng.random() < rate * 0.3:
            out.append(list(rng.choice(pool)))
    return out or [list(sents[0])]


def make_group(arts, idx, rng, rate, *, spinner=False, noise=False, hide=0.0):
    """(source text, copies as (key, text, date), true parent per key) for one tree.

    ``noise``: each page's text (not what its children copy) independently loses its first
    or last sentence or gains a foreign one, as extraction does; ``hide``: share of copies
    not captured (a copy's true parent is then its nearest captured ancestor).
    """
    src = arts[idx]
    vocab = [w for s in src for w in s]
    pool = [s for k in rng.sample(range(len(arts)), 8) if k != idx for s in arts[k]]
    thesaurus = None
    if spinner:  # one fixed replacement per word type, like a spinning tool's synonym table
        types = sorted(set(vocab))
        trng = random.Random(len(types))
        thesaurus = {w: trng.choice(types) for w in types}
    n = rng.randint(2, 6)
    nodes = {None: (src, 0, datetime(2024, 1, 1) + timedelta(days=rng.randint(0, 300)))}
    parents, out, hidden = {}, [], set()
    for k in range(n):
        key = f"https://site{k}.example/{idx}"
        par = rng.choice([p for p, (_, depth, _) in nodes.items() if depth < 3])
        psents, pdepth, pdate = nodes[par]
        sents = edit(psents, rate * rng.uniform(0.5, 1.5), rng, vocab, pool, thesaurus)
        date = pdate + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 23))
        nodes[key] = (sents, pdepth + 1, date)
        parents[key] = par
        page = list(sents)
        if noise:
            r = rng.random()
            if r < 0.3 and len(page) > 2:
                page = page[1:]
            elif r < 0.6 and len(page) > 2:
                page = page[:-1]
            elif r < 0.8:
                page = [*page, list(rng.choice(pool))]
        if rng.random() < hide:
            hidden.add(key)
        else:
            out.append((key, " ".join(" ".join(s) for s in page), date))
    if not out:
        hidden.discard(key)
        out.append((key, " ".join(" ".join(s) for s in page), date))
    truth = {}
    for key, *_ in out:
        p = parents[key]
        while p in hidden:
            p = parents[p]
        truth[key] = p
    return " ".join(" ".join(s) for s in src), out, truth


def first_gen(parents: dict, key):
    while parents[key] is not None:
        key = parents[key]
    return key


def run(arts, groups, seed, rate, *, dates="tree", shuffle=False, use_dates=True, **make_opts):
    """Scores over ``groups`` seeded trees; ``dates``: tree | none | half | crawl."""
    rng = random.Random(seed)
    right = total = root_right = exact = 0
    pred_links = good_links = true_links = found_links = 0
    confs = []
    for g in range(groups):
        idx = rng.randrange(len(arts))
        src, copies, truth = make_group(arts, idx, rng, rate, **make_opts)
        drng = random.Random(seed * 1000 + g)
        if dates == "crawl":  # capture times unrelated to who copied whom
            copies = [(k, t, datetime(2024, 5, 1) + timedelta(hours=drng.randint(0, 24 * 30)))
                      for k, t, _ in copies]
        cs = []
        for k, t, d in copies:
            iso = d.isoformat() + "Z"
            if dates == "none" or (dates == "half" and drng.random() < 0.5):
                iso = None
            cs.append(Copy(k, t, iso))
        if shuffle:
            drng.shuffle(cs)
        res = trace(f"art-{idx}", src, cs, use_dates=use_dates)
        pred = {d.child: d.parent for d in res.links}
        ok_all = True
        for d in res.links:
            total += 1
            ok = pred[d.child] == truth[d.child]
            right += ok
            ok_all &= ok
            root_right += first_gen(pred, d.child) == first_gen(truth, d.child)
            confs.append((d.score, ok))
            if d.parent is not None:
                pred_links += 1
                good_links += ok
        for k, p in truth.items():
            if p is not None:
                true_links += 1
                found_links += pred[k] == p
        exact += ok_all
    return {
        "parent": right / total, "root": root_right / total,
        "link_p": good_links / pred_links if pred_links else float("nan"),
        "link_r": found_links / true_links if true_links else float("nan"),
        "exact": exact / groups, "conf": statistics.mean(c for c, _ in confs), "confs": confs,
        "copies": total,
    }


def row(name, m):
    print(f"{name:34s} {m['parent']:6.3f} {m['root']:6.3f} {m['link_p']:6.3f} {m['link_r']:6.3f}"
          f" {m['exact']:6.3f} {m['conf']:6.3f} {m['copies']:6d}")


HEADER = (f"{'':34s} {'parent':>6s} {'root':>6s} {'linkP':>6s} {'linkR':>6s} {'exact':>6s} {'conf':>6s}"
          f" {'copies':>6s}")


def timing(arts, n, reps=5, longest=True):
    """(seconds of CPU per trace() of an n-copy group, words of the article, parent accuracy):
    random trees of depth <= 3 at rate 0.10, undated and shuffled, on the ``reps`` longest
    articles, or on ``reps`` articles of median length."""
    rng = random.Random(n)
    by_len = sorted(range(len(arts)), key=lambda i: -sum(map(len, arts[i])))
    picked = by_len[:reps] if longest else by_len[len(by_len) // 2:len(by_len) // 2 + reps]
    times, words, right, total = [], [], 0, 0
    for idx in picked:
        src = arts[idx]
        vocab = [w for s in src for w in s]
        pool = [s for k in rng.sample(range(len(arts)), 8) if k != idx for s in arts[k]]
        nodes = {None: (src, 0)}
        truth, cs = {}, []
        for k in range(n):
            par = rng.choice([p for p, (_, dep) in nodes.items() if dep < 3])
            sents = edit(nodes[par][0], 0.1 * rng.uniform(0.5, 1.5), rng, vocab, pool)
            nodes[f"u{k}"] = (sents, nodes[par][1] + 1)
            truth[f"u{k}"] = par
            cs.append(Copy(f"u{k}", " ".join(" ".join(s) for s in sents), None))
        rng.shuffle(cs)
        src_text = " ".join(" ".join(s) for s in src)
        t0 = time.process_time()
        res = trace("x", src_text, cs)
        times.append(time.process_time() - t0)
        words.append(sum(map(len, src)))
        right += sum(d.parent == truth[d.child] for d in res.links)
        total += len(res.links)
    return statistics.median(times), statistics.median(words), right / total


def _date_first(profiles, use_dates):
    def key(p):
        if use_dates and p.when is not None:
            return (0, p.when.timestamp(), -len(p.kept), p.copy.key)
        return (1, 0.0, -len(p.kept), p.copy.key)
    return sorted(profiles, key=key)


def sweep(arts, groups, seed):
    """Each threshold varied around the chosen ones; figures on fresh seeds."""
    names = ("MIN_SHARED", "MIN_SHARE", "RESTORE_GATE", "MISS_WEIGHT", "RESTORE_WEIGHT")
    saved = {n: getattr(provenance, n) for n in names}
    grid = [{"MIN_SHARED": ms, "RESTORE_GATE": rg} for ms in (2, 3, 4, 6) for rg in (0.0, 0.2, 0.5, 1.0)]
    grid += [{"MIN_SHARE": sh} for sh in (0.0, 0.05, 0.1, 0.2)]
    grid += [{"MISS_WEIGHT": mw, "RESTORE_WEIGHT": rw} for mw in (0.0, 0.1, 0.5) for rw in (0.0, 0.1, 0.5)]
    print("\nthreshold sweep (others as chosen): parent accuracy at rates 0.01 / 0.03 / 0.10 / 0.30 (dated),"
          " with 30% not captured,\nwith extraction noise at 0.03; copy-link precision with the same spinner;"
          " accuracy undated")
    print(f"{'setting':40s} {'r.01':>6s} {'r.03':>6s} {'r.10':>6s} {'r.30':>6s} {'hidden':>6s} {'noise':>6s}"
          f" {'spinP':>6s} {'undat':>6s}")
    g = max(groups // 2, 20)
    for change in grid:
        for n in names:
            setattr(provenance, n, change.get(n, saved[n]))
        f = [run(arts, g, seed + 1, r)["parent"] for r in (0.01, 0.03, 0.10, 0.30)]
        f.append(run(arts, g, seed + 1, 0.10, hide=0.3)["parent"])
        f.append(run(arts, g, seed + 1, 0.03, noise=True)["parent"])
        f.append(run(arts, g, seed + 1, 0.10, spinner=True)["link_p"])
        f.append(run(arts, g, seed + 1, 0.10, dates="none", shuffle=True)["parent"])
        label = " ".join(f"{k}={v}" for k, v in change.items())
        print(f"{label:40s} " + " ".join(f"{x:6.3f}" for x in f), flush=True)
    for n in names:
        setattr(provenance, n, saved[n])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-sweep", action="store_true")
    a = ap.parse_args()
    if not ARCHIVE.is_dir():
        print(f"no archive at {ARCHIVE}; nothing to measure")
        return 0
    arts = load()
    G, S = a.groups, a.seed
    print(f"{len(arts)} archive articles of 100+ words; {G} groups per line, seed {S}")
    print(f"thresholds: MIN_SHARED={provenance.MIN_SHARED} MIN_SHARE={provenance.MIN_SHARE} "
          f"RESTORE_GATE={provenance.RESTORE_GATE} MISS_WEIGHT={provenance.MISS_WEIGHT} "
          f"RESTORE_WEIGHT={provenance.RESTORE_WEIGHT} LATE_RESTORE={provenance.LATE_RESTORE}\n")

    print("variants at edit rate 0.10\n" + HEADER)
    variants = [
        ("dates follow the tree", {}),
        ("dates follow the tree, shuffled", {"shuffle": True}),
        ("undated, shuffled", {"dates": "none", "shuffle": True}),
        ("half undated, shuffled", {"dates": "half", "shuffle": True}),
        ("crawl dates, use_dates=True", {"dates": "crawl", "shuffle": True}),
        ("crawl dates, use_dates=False", {"dates": "crawl", "shuffle": True, "use_dates": False}),
        ("same spinner, dates follow tree", {"spinner": True}),
        ("same spinner, undated", {"spinner": True, "dates": "none", "shuffle": True}),
        ("extraction noise, dated", {"noise": True}),
        ("extraction noise, undated", {"noise": True, "dates": "none", "shuffle": True}),
        ("30% not captured, dated", {"hide": 0.3}),
        ("30% not captured, undated", {"hide": 0.3, "dates": "none", "shuffle": True}),
    ]
    base = None
    for name, kw in variants:
        m = run(arts, G, S, 0.10, **kw)
        base = base or m
        row(name, m)

    print("\nablation: date-first order (dated copies by date, then undated ones, the first design)"
          " instead of\nthe copy keeping more of the original first\n" + HEADER)
    text_order = provenance._order
    provenance._order = _date_first
    try:
        for name, kw in variants[:5] + variants[6:7]:
            row(name, run(arts, G, S, 0.10, **kw))
    finally:
        provenance._order = text_order

    print("\nablation: a hard date veto (a copy dated after another is never its parent)\n" + HEADER)
    soft = provenance._dates_allow
    provenance._dates_allow = lambda p, c, restored: p.when is None or c.when is None or p.when <= c.when
    try:
        for name, kw in variants[:2] + variants[3:5] + variants[8:9]:
            row(name, run(arts, G, S, 0.10, **kw))
    finally:
        provenance._dates_allow = soft

    print("\nconfidence calibration (dates follow the tree, rate 0.10)")
    for lo, hi in ((0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 0.95), (0.95, 1.01)):
        b = [ok for c, ok in base["confs"] if lo <= c < hi]
        if b:
            print(f"  confidence {lo:.2f}-{min(hi, 1):.2f}: {len(b):5d} links,"
                  f" accuracy {sum(b) / len(b):.3f}")

    print("\nagainst the edit rate\n" + HEADER)
    for rate in (0.01, 0.03, 0.05, 0.10, 0.20, 0.30, 0.50):
        row(f"rate {rate:.2f} dated", run(arts, G, S, rate))
        row(f"rate {rate:.2f} undated, shuffled", run(arts, G, S, rate, dates="none", shuffle=True))

    if not a.skip_sweep:
        sweep(arts, G, S)

    print("\nlarge groups: CPU time per trace() (median of 5 groups) and parent accuracy, rate 0.10,"
          " undated, shuffled")
    for longest in (False, True):
        for n in (100, 300, 1000):
            t, w, acc = timing(arts, n, longest=longest)
            print(f"  {n:5d} copies of a {w:5.0f}-word article: {t * 1000:8.1f} ms"
                  f"   parent accuracy {acc:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
