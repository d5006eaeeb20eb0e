"""Typed records the corpus stages pass one way: where a page came from, the page as
captured, why a record was skipped, and the coarse partitions a scan is cut into."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cached_property

# Why a record is not scanned; counted per scan, never silent.
SKIP_REASONS = {
    "not_response": "a WARC request, metadata, warcinfo or other non-response record",
    "revisit": "a WARC revisit record (no payload of its own)",
    "http_error": "an HTTP status other than 2xx",
    "redirect": "an HTTP redirect (3xx)",
    "not_html": "a payload that is not an HTML or text page (images, PDF, JSON, robots.txt ...)",
    "empty": "no body, or no text in it",
    "unreadable": "a record or file that could not be read or decoded",
    "too_large": "a payload over the size limit",
    "other_language": "a page whose text is not English",
    "no_article": "a page with no article text after extraction",
}


@dataclass(frozen=True)
class Location:
    """Where a record lives: ``file`` as given; for WARC the record's byte ``offset`` (of its
    gzip member for .warc.gz) and ``length``, and its WARC-Record-ID; for folders and JSONL
    ``key`` is the relative path or the line number."""

    file: str
    offset: int | None = None
    length: int | None = None
    record_id: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Page:
    """One captured page: ``body`` is the HTTP payload with transfer and content encodings
    undone (what a browser would parse), ``kind`` "html" or "text"."""

    url: str | None
    body: bytes
    kind: str
    location: Location
    content_type: str | None = None
    charset: str | None = None
    date: str | None = None
    id: str | None = None          # archive id (folder path / JSONL id); None for crawl pages
    title: str | None = None

    @cached_property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def text(self) -> str:
        """The body decoded with the declared charset, else UTF-8 with bad bytes replaced."""
        if self.charset:
            try:
                return self.body.decode(self.charset, errors="replace")
            except LookupError:
                pass
        return self.body.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Skip:
    """A record not scanned, and why (a key of ``SKIP_REASONS``)."""

    reason: str
    location: Location
    url: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Partition:
    """A coarse unit of work: records of ``file`` whose offset lies in [start, end); ``end``
    None means to the end of the file. Folders and JSONL files are one partition each."""

    file: str
    start: int = 0
    end: int | None = None

    def nbytes(self) -> int:
        """Bytes of input the partition covers (a folder: all its files'): what its work is
        estimated by when partitions are ordered for the workers."""
        path = self.file
        try:
            if os.path.isdir(path):
                return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path)
                           for f in files if os.path.isfile(os.path.join(d, f)))
            end = os.path.getsize(path) if self.end is None else self.end
        except OSError:
            return 0
        return max(0, end - self.start)

    @property
    def key(self) -> str:
        """A stable name for the partition's result file."""
        name = f"{os.path.abspath(self.file)}\0{self.start}\0{self.end}"
        return hashlib.sha1(name.encode()).hexdigest()[:16]
