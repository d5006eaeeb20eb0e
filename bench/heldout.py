#!/usr/bin/env python3
"""Held-out annotated cases: score unspin on articles the detectors were never tuned on.

The cases in bench/heldout/ are built on Press Association court copy from the METER corpus
(stories not used by ../shared/cases/dev). The PA text is research-use material kept out of
this repository, so each case folder holds only our own files: meta.json (which METER story
and PA text(s)), candidate.txt (our spun rewrite), expected.json (the annotation) and, where
meta says ``"clutter": true``, clutter_before.txt / clutter_after.txt (made-up site chrome
that wraps the PA text as a scraped page would). This script materialises every case into a
temporary folder in the layout ../shared/tools/score_cases.py reads, checks that every
annotated span is an exact substring of its file (annotations that drift from the text
would silently score as misses), then runs the scorer.

    .venv/bin/python bench/heldout.py [CASES_DIR] [--check] [--keep DIR] [--cmd CMD] [EXTRA_ARGS...]

CASES_DIR (default bench/heldout) must come first, so that EXTRA_ARGS values are not taken for it.

EXTRA_ARGS (e.g. ``--backend lexical``) are appended to the unspin command.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "bench" / "heldout"
SHARED = (ROOT.parent / "shared").resolve()
SOURCES = SHARED / "data" / "meter" / "courts-sources.jsonl"
SCORER = SHARED / "tools" / "score_cases.py"
TYPES = {"altered_quote", "fabricated_quote", "unsupported_claim", "omission", "changed_fact",
         "attribution_change", "meaning_shift", "garbled_text"}
LABELS = {"wholly_derived", "partially_derived", "not_derived"}


class CaseError(Exception):
    pass


def load_sources() -> dict[str, dict[str, str]]:
    stories: dict[str, dict[str, str]] = {}
    with SOURCES.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            stories[row["story"]] = {s["id"]: s["text"] for s in row["sources"]}
    return stories


def source_text(case: Path, meta: dict, stories: dict[str, dict[str, str]]) -> tuple[str, str]:
    """(whole source.txt, PA body) the way the dev cases are built: the PA text verbatim
    (title line, byline and all), several texts of one story joined by a blank line, and
    clutter lines before and after it separated by a blank line."""
    texts = stories.get(meta["story"])
    if texts is None:
        raise CaseError(f"story {meta['story']!r} not in {SOURCES.name}")
    missing = [i for i in meta["source_ids"] if i not in texts]
    if missing:
        raise CaseError(f"source ids {missing} not in story {meta['story']!r}")
    body = "\n\n".join(texts[i] for i in meta["source_ids"])
    if not meta.get("clutter"):
        return body, body
    before = (case / "clutter_before.txt").read_text(encoding="utf-8").rstrip("\n")
    after = (case / "clutter_after.txt").read_text(encoding="utf-8").strip("\n") + "\n"
    return f"{before}\n\n{body}\n\n{after}", body


def check(case: Path, source: str, body: str, candidate: str, exp: dict) -> list[str]:
    """Every annotated span must sit in its file; returns the problems found."""
    problems = []
    verdict = exp.get("verdict", {})
    if verdict.get("label") not in LABELS:
        problems.append(f"verdict label {verdict.get('label')!r}")
    elif verdict.get("derived") != (verdict["label"] != "not_derived"):
        problems.append("verdict.derived disagrees with the label")
    ids = [f.get("id") for f in exp.get("findings", [])]
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate finding ids {ids}")
    for f in exp.get("findings", []):
        fid = f.get("id")
        if f.get("type") not in TYPES or any(t not in TYPES for t in f.get("also_accept", [])):
            problems.append(f"{fid}: unknown type {f.get('type')} / {f.get('also_accept')}")
        if not isinstance(f.get("required"), bool):
            problems.append(f"{fid}: required must be true or false")
        if f.get("type") == "omission" and not f.get("source_text"):
            problems.append(f"{fid}: an omission needs source_text")
        if f.get("type") != "omission" and not f.get("candidate_text"):
            problems.append(f"{fid}: needs candidate_text")
        if "candidate_text" in f and f["candidate_text"] not in candidate:
            problems.append(f"{fid}: candidate_text not in candidate.txt: {f['candidate_text']!r}")
        if "source_text" in f and f["source_text"] not in body:
            problems.append(f"{fid}: source_text not in the PA text: {f['source_text']!r}")
    for s in exp.get("faithful_candidate_sentences", []):
        if s not in candidate:
            problems.append(f"faithful sentence not in candidate.txt: {s!r}")
    art = exp.get("source_article")
    clutter = source != body
    if clutter != bool(art):
        problems.append("source_article must be given exactly when the source has clutter")
    if art:
        if art["title"] not in source:
            problems.append(f"title not in source.txt: {art['title']!r}")
        for key in ("body_starts_with", "body_ends_with"):
            if art[key] not in body:
                problems.append(f"{key} not in the PA body: {art[key]!r}")
        if not body.lstrip().split("\n\n")[-1].rstrip().endswith(art["body_ends_with"]):
            problems.append("body_ends_with is not the end of the PA body")
        for s in art.get("not_in_body", []):
            if s not in source or s in body:
                problems.append(f"not_in_body string must be in the clutter only: {s!r}")
    return problems


def materialise(dest: Path, cases_dir: Path = CASES) -> list[Path]:
    stories = load_sources()
    out, errors = [], []
    for case in sorted(p for p in cases_dir.iterdir() if (p / "meta.json").exists()):
        try:
            meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
            exp = json.loads((case / "expected.json").read_text(encoding="utf-8"))
            candidate = (case / "candidate.txt").read_text(encoding="utf-8")
            source, body = source_text(case, meta, stories)
        except (OSError, ValueError, KeyError, CaseError) as e:
            errors.append(f"{case.name}: {e}")
            continue
        errors += [f"{case.name}: {p}" for p in check(case, source, body, candidate, exp)]
        target = dest / case.name
        target.mkdir(parents=True, exist_ok=True)
        (target / "source.txt").write_text(source, encoding="utf-8")
        (target / "candidate.txt").write_text(candidate, encoding="utf-8")
        (target / "expected.json").write_text(json.dumps(exp, ensure_ascii=False, indent=1),
                                             encoding="utf-8")
        out.append(target)
    if errors:
        sys.exit("held-out cases are broken:\n  " + "\n  ".join(errors))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="materialise and check spans, do not score")
    ap.add_argument("--keep", type=Path, help="materialise into this folder and keep it")
    ap.add_argument("--cmd", default=f"{shlex.quote(str(ROOT / '.venv' / 'bin' / 'unspin'))} "
                    "compare {source} {candidate} --format json")
    argv = sys.argv[1:]
    cases_dir = Path(argv.pop(0)) if argv and not argv[0].startswith("-") else CASES
    args, extra = ap.parse_known_args(argv)
    if not SOURCES.exists() or not SCORER.exists():
        print(f"skipped: shared material not found at {SHARED} (METER sources and the scorer live there)")
        return
    cmd = " ".join([args.cmd, *map(shlex.quote, extra)])
    with tempfile.TemporaryDirectory(prefix="unspin-heldout-") as tmp:
        dest = args.keep or Path(tmp)
        cases = materialise(dest, cases_dir)
        print(f"{len(cases)} held-out cases materialised in {dest}; all annotated spans found")
        if args.check:
            return
        run = subprocess.run([sys.executable, str(SCORER), str(dest), "--cmd", cmd])
        sys.exit(run.returncode)


if __name__ == "__main__":
    main()
