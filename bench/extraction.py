#!/usr/bin/env python3
"""Article-extraction benchmark on the Scrapinghub set (181 news pages, MIT licence).

Scores unspin's ingest with the benchmark's own metric: tokens are ``\\w+`` runs, each text
becomes a multiset of word 4-grams (shingles), precision and recall are computed per page
(normalised so long pages weigh no more than short ones) and averaged over pages, and F1 is
taken from the two averages. Published figures with that metric: trafilatura 2.0 F1 0.958,
whole page as plain text 0.665.

Rows:
  (a) html        the HTML through ``ingest.extract(kind="html")`` (trafilatura + fallbacks)
  (b) text        the whole page rendered as plain text (clutter included), through the
                  plain-text clutter stripper, as when a user pastes a page's text
  (c) whole page  that plain text unchanged (the floor)
  (d) line filter keep lines of 10+ words with sentence punctuation (a naive stripper)

usage: python bench/extraction.py [DATA_DIR] [--limit N] [--worst K]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from unspin.ingest import extract  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction" / "scrapinghub"
TOKEN = re.compile(r"\w+")


# --- the benchmark's metric ---------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter:
    toks = TOKEN.findall(text or "")
    if len(toks) < n:
        return Counter([tuple(toks)] if toks else [])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def page_counts(truth: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over shingle multisets, normalised to sum to 1."""
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(tp: float, other: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == other == 0:
        return 0.0
    return tp / (tp + other)


def f1_precision_recall(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    precision = statistics.mean(_ratio(tp, fp, fp, fn) for tp, fp, fn in rows if tp + fp > 0)
    recall = statistics.mean(_ratio(tp, fn, fp, fn) for tp, fp, fn in rows if tp + fn > 0)
    return 2 * precision * recall / (precision + recall), precision, recall


# --- a page as plain text -----------------------------------------------------------------

BLOCK = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
         "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
         "pre", "section", "table", "tr", "ul", "title", "option"}
SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "head"}


def page_text(html: str) -> str:
    """The whole page as a browser user would copy it: its title, then the body text, block
    elements on lines of their own, table cells side by side."""
    import lxml.html

    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP or not tag:
            if el.tail:
                out.append(el.tail)
            return
        if tag in BLOCK:
            out.append("\n")
        if el.text:
            out.append(el.text)
        for child in el:
            walk(child)
        if tag in BLOCK:
            out.append("\n")
        elif tag in ("td", "th"):
            out.append(" ")
        if el.tail:
            out.append(el.tail)

    title = root.find(".//title")
    if title is not None and title.text:
        out.append(title.text + "\n")
    body = root.find("body")
    walk(body if body is not None else root)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def line_filter(text: str) -> str:
    return "\n".join(line for line in text.split("\n")
                     if len(TOKEN.findall(line)) >= 10 and re.search(r"[.!?]['\"\u201d\u2019)]*(\s|$)", line))


# --- run ----------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, help="only the first N pages")
    ap.add_argument("--worst", type=int, default=0, help="list the K worst pages of (b)")
    args = ap.parse_args()
    truth_file = args.data / "ground-truth.json"
    if not truth_file.exists():
        print(f"skipped: benchmark data not found at {args.data} (needs ground-truth.json and html/)")
        return 0
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit] if args.limit else sorted(truth)
    rows: dict[str, list] = {"html": [], "text": [], "page": [], "filter": []}
    seconds = {"html": 0.0, "text": 0.0, "render": 0.0}
    mapped = body_chars = 0
    worst = []
    for key in keys:
        with gzip.open(args.data / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as fh:
            html = fh.read()
        gold = truth[key].get("articleBody", "")

        t = time.perf_counter()
        doc = extract(html, "html")
        seconds["html"] += time.perf_counter() - t
        rows["html"].append(page_counts(gold, doc.text))
        mapped += sum(n for _, _, n in doc.source_map)
        body_chars += len(doc.text) - 2 * max(0, len(doc.paragraphs) - 1)

        t = time.perf_counter()
        whole = page_text(html)
        seconds["render"] += time.perf_counter() - t
        t = time.perf_counter()
        stripped = extract(whole, "text").text
        seconds["text"] += time.perf_counter() - t
        rows["text"].append(page_counts(gold, stripped))
        rows["page"].append(page_counts(gold, whole))
        rows["filter"].append(page_counts(gold, line_filter(whole)))
        worst.append((rows["text"][-1][0], key))

    n = len(keys)
    print(f"Scrapinghub article-extraction benchmark: {n} pages, metric = word 4-gram shingles, "
          "per-page P/R averaged, F1 of the averages")
    print(f"{'':28} {'F1':>6} {'P':>6} {'R':>6}")
    labels = [("html", "(a) HTML -> ingest"), ("text", "(b) page text -> stripper"),
              ("page", "(c) whole page as text"), ("filter", "(d) naive line filter")]
    for name, label in labels:
        f1, p, r = f1_precision_recall(rows[name])
        print(f"{label:28} {f1:6.3f} {p:6.3f} {r:6.3f}")
    ms = {k: 1000 * v / n for k, v in seconds.items()}
    print(f"timing per page: HTML ingest {ms['html']:.0f} ms, plain-text stripper {ms['text']:.1f} ms "
          f"(rendering the page to text {ms['render']:.0f} ms)")
    print(f"HTML source map: {mapped / max(1, body_chars):.1%} of body characters map back to the input")
    if args.worst:
        print("worst pages for (b) (share of shingles matched):")
        for score, key in sorted(worst)[: args.worst]:
            print(f"  {score:.2f} {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
