"""Detector for this finding family (in progress)."""

from __future__ import annotations

from unspin.findings.context import Context
from unspin.types import Finding


def detect(ctx: Context) -> list[Finding]:
    return []
