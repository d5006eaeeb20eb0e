"""Shared test fixtures: the read-only ../shared material, skipped where absent."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared").resolve()
EXAMPLES = ROOT / "examples"


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "cases").is_dir():
        pytest.skip(f"shared material not found at {SHARED} (annotated cases and corpora live there)")
    return SHARED


@pytest.fixture(scope="session")
def case_findings():
    """(case name, expected.json, findings) for every derived seed/dev case, run once per session.

    Findings come from the real ingest, segment and align with the expected verdict, so the
    detector tests measure detection, not the verdict.
    """
    if not (SHARED / "cases").is_dir():
        pytest.skip(f"shared material not found at {SHARED} (annotated cases and corpora live there)")
    import json

    from unspin.align import align
    from unspin.embed import get_backend
    from unspin.findings import detect
    from unspin.ingest import load
    from unspin.segment import segment
    from unspin.types import Verdict

    out = []
    for case in [SHARED / "cases" / "seed", *sorted((SHARED / "cases" / "dev").glob("[0-9]*"))]:
        exp = json.loads((case / "expected.json").read_text())
        if not exp["verdict"]["derived"]:
            continue
        src, cand = segment(load(case / "source.txt")), segment(load(case / "candidate.txt"))
        al = align([src], cand, get_backend("auto"))
        out.append((case.name, exp, detect([src], cand, al, Verdict(exp["verdict"]["label"], 0.9, True))))
    return out
