"""The one registry of finding types (types.FINDING_KINDS) is what the docs and reports show."""

from __future__ import annotations

import re
from pathlib import Path

from unspin.report.html import stylesheet
from unspin.types import FINDING_KINDS, FindingType

DOC = Path(__file__).resolve().parents[1] / "docs" / "report-schema.md"


def doc_types() -> list[tuple[str, str]]:
    """(type, meaning) rows of the schema doc's "Finding types" table, in order."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("Finding types:"):].split("\n\n")[1]
    return [(m.group(1), m.group(2).strip()) for m in re.finditer(r"^\| `(\w+)` \| ([^|]+) \|", table, re.M)]


def test_schema_doc_lists_exactly_the_registry():
    assert [name for name, _ in doc_types()] == list(FINDING_KINDS)
    assert {name: meaning for name, meaning in doc_types()} == {
        k: v.description for k, v in FINDING_KINDS.items()}


def test_registry_matches_the_literal_type():
    assert tuple(FINDING_KINDS) == FindingType.__args__


def test_html_colours_and_toggles_come_from_the_registry():
    css = stylesheet()
    for k in FINDING_KINDS.values():
        assert f".t-{k.name} {{ --c: {k.colour}; --tint: {k.tint}; }}" in css
        for sel in (f".hide-{k.name} .t-{k.name}.finding", f".hide-{k.name} mark.t-{k.name}",
                    f".hide-{k.name} .flabel.t-{k.name}"):
            assert sel in css
    assert len(re.findall(r"^\.t-\w+ \{ --c:", css, re.M)) == len(FINDING_KINDS)  # no hand-kept list
