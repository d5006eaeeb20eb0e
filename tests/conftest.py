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
