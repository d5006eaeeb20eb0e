"""unspin: find rewritten copies of news articles and show what the rewrite changed."""

from unspin.types import SCHEMA_VERSION, UnspinError

__version__ = "0.1.0"
__all__ = ["compare", "extract", "SCHEMA_VERSION", "UnspinError", "__version__"]


def compare(source, candidate, *, extra_sources=(), backend=None):
    """Compare a candidate with one or more sources; see ``unspin.api.compare``."""
    from unspin.api import compare as _compare

    return _compare(source, candidate, extra_sources=extra_sources, backend=backend)


def extract(path_or_text):
    """Extract the article from a file path, HTML or page text; see ``unspin.ingest.load``."""
    from unspin.ingest import load

    return load(path_or_text)
