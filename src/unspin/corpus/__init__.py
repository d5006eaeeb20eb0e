"""Corpus scale: find the copies of an archive in a crawl.

The pipeline per crawl page runs one way: ``records`` (read WARC / folders / JSONL into
``Page`` objects or counted ``Skip`` reasons) -> ``screen`` (cheap page text, screened
against the ``index`` of the archive) -> verification with the compare pipeline (passages
and verdict) -> audit of the derived pairs -> one result row per derived (page, article)
pair. ``runner`` spreads coarse partitions (a WARC file or a byte range of one) over Dask
workers and writes each partition's results atomically so a scan can resume;
``provenance`` groups the copies of one article and orders them into chains.
"""
