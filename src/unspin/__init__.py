"""unspin: find rewritten copies of news articles and show what the rewrite changed."""

from unspin import ingest as _ingest  # noqa: F401  (installs Document.from_text)
from unspin.types import SCHEMA_VERSION, Document, UnspinError

__version__ = "0.1.0"
__all__ = ["compare", "extract", "Document", "SCHEMA_VERSION", "UnspinError", "__version__"]


def compare(source, candidate, *, extra_sources=(), backend=None, judge="auto"):
    """Compare a candidate with one or more sources; see ``unspin.api.compare``.

    Each input is a file path or a ``Document``; for text in memory use ``Document.from_text``.
    """
    from unspin.api import compare as _compare

    return _compare(source, candidate, extra_sources=extra_sources, backend=backend, judge=judge)


def extract(path):
    """Extract the article from a file (HTML, a scraped page's text or a clean article).

    For text already in memory, ``unspin.ingest.extract(text, "html" | "text")`` does the same.
    """
    from unspin.ingest import load

    return load(path)
