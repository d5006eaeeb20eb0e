"""Output of ``unspin extract``: what ingest made of a file, so a user can check it before comparing.

The JSON field names match the ``source`` object of the comparison report, so tools that read
one read the other.
"""

from __future__ import annotations

import json

from unspin.types import SCHEMA_VERSION, Document


def render_text(doc: Document) -> str:
    """Header lines (only those ingest found), a blank line, then the body paragraphs."""
    head = []
    if doc.title:
        head.append(f"Title: {doc.title}")
    if doc.authors:
        head.append(f"By: {', '.join(doc.authors)}")
    if doc.date:
        head.append(f"Date: {doc.date}")
    if doc.tags:
        head.append(f"Tags: {', '.join(doc.tags)}")
    if doc.site_name:
        head.append(f"Site: {doc.site_name}")
    if doc.url:
        head.append(f"URL: {doc.url}")
    parts = ["\n".join(head)] if head else []
    parts.append(doc.text)
    return "\n\n".join(parts) + "\n"


def document_fields(doc: Document) -> dict:
    """The fields ``unspin extract`` and the report's ``source``/``candidate`` share, by one definition."""
    return {
        "title": doc.title,
        "authors": list(doc.authors),
        "date": doc.date,
        "tags": list(doc.tags),
        "site_name": doc.site_name,
        "url": doc.url,
        "path": doc.path,
        "input_format": doc.input_format,
        "text": doc.text,
    }


def to_dict(doc: Document) -> dict:
    return {"schema_version": SCHEMA_VERSION, **document_fields(doc),
            "paragraphs": [{"start": p.start, "end": p.end} for p in doc.paragraphs]}


def render_json(doc: Document) -> str:
    return json.dumps(to_dict(doc), ensure_ascii=False, indent=2) + "\n"
