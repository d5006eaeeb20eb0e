"""The archive index: articles in SQLite, screening structures beside them.

``DIR/index.sqlite`` keeps every article as given (body, kind, hashes, metadata) and its
extracted text; ``DIR/screen.npz`` holds what screening reads: the archive's vocabulary,
TF-IDF postings per word (paraphrase keeps the names, numbers and rare words) and the sorted
hashes of every word 5-gram (verbatim and near-verbatim reuse). Adding articles is
incremental: an unchanged id and body is skipped, a changed one replaced, and the screening
structures are rebuilt from the stored texts when anything changed.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.corpus.text import content_words, shingle_hashes, words
from unspin.corpus.types import Page, Skip
from unspin.types import Document, UnspinError

DB_NAME = "index.sqlite"
SCREEN_NAME = "screen.npz"
FORMAT = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL,
    text TEXT NOT NULL, title TEXT, url TEXT, date TEXT, words INTEGER NOT NULL,
    file TEXT, added TEXT DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class IndexStats:
    """What one ``add`` did, so the CLI can say it and nothing is dropped silently."""

    added: int
    replaced: int
    unchanged: int
    skipped: dict[str, int]
    errors: list[str]
    total: int


@dataclass(frozen=True)
class Candidate:
    """An archive article a page may copy: TF-IDF cosine and shared 5-gram count."""

    source_id: str
    cosine: float
    shingles: int


def _connect(db_dir: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db_dir / DB_NAME)
    con.executescript(_SCHEMA)
    return con


def extract_article(body: bytes, kind: str, name: str) -> Document:
    """The article text of an archive record, as ``unspin compare`` would read the file."""
    from unspin.ingest import extract

    raw = body.decode("utf-8", errors="replace")
    return extract(raw, kind, path=name)


def add(db_dir: str | os.PathLike, records: Iterable[Page | Skip],
        progress: Callable[[int], None] | None = None) -> IndexStats:
    """Add archive ``records`` to the index in ``db_dir`` (created if missing)."""
    path = Path(db_dir)
    if path.exists() and not path.is_dir():
        raise UnspinError(f"{db_dir}: not a directory")
    path.mkdir(parents=True, exist_ok=True)
    con = _connect(path)
    known = dict(con.execute("SELECT id, sha256 FROM articles"))
    added = replaced = unchanged = 0
    skipped: dict[str, int] = {}
    errors: list[str] = []
    seen: set[str] = set()
    try:
        for n, rec in enumerate(records, 1):
            if progress:
                progress(n)
            if isinstance(rec, Skip):
                skipped[rec.reason] = skipped.get(rec.reason, 0) + 1
                if rec.reason == "unreadable":
                    errors.append(f"{rec.location.file}: {rec.detail or 'unreadable'}")
                continue
            art_id = rec.id if rec.id is not None else rec.url
            if not art_id:
                skipped["unreadable"] = skipped.get("unreadable", 0) + 1
                errors.append(f"{rec.location.file}: a record without an id or URL")
                continue
            if art_id in seen:
                errors.append(f"{rec.location.file}: id {art_id!r} given twice; the first is kept")
                continue
            seen.add(art_id)
            sha = rec.content_sha256
            if known.get(art_id) == sha:
                unchanged += 1
                continue
            try:
                doc = extract_article(rec.body, rec.kind, art_id)
            except UnspinError as exc:
                skipped["no_article"] = skipped.get("no_article", 0) + 1
                errors.append(f"{art_id}: {exc}")
                continue
            con.execute("INSERT OR REPLACE INTO articles (id, sha256, kind, body, text, title, url, date, "
                        "words, file) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (art_id, sha, rec.kind, rec.body, doc.text, rec.title or doc.title,
                         rec.url or doc.url, rec.date or doc.date, len(words(doc.text)),
                         rec.location.file))
            if art_id in known:
                replaced += 1
            else:
                added += 1
        con.commit()
        total = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        stale = not (path / SCREEN_NAME).exists() or _generation(con) != _screen_generation(path)
        if added or replaced or stale:
            gen = _generation(con) + 1 if (added or replaced) else _generation(con)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(gen),))
            con.commit()
            _build_screen(con, path, gen)
    finally:
        con.close()
    return IndexStats(added, replaced, unchanged, skipped, errors, total)


def _generation(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def _screen_generation(path: Path) -> int | None:
    try:
        with np.load(path / SCREEN_NAME) as z:
            return int(z["generation"])
    except (OSError, KeyError, ValueError):
        return None


def _build_screen(con: sqlite3.Connection, path: Path, generation: int) -> None:
    """Rebuild the screening structures from every stored article text."""
    ids: list[str] = []
    vocab: dict[str, int] = {}
    doc_tokens: list[np.ndarray] = []
    for art_id, text in con.execute("SELECT id, text FROM articles ORDER BY id"):
        ids.append(art_id)
        toks = words(text)
        doc_tokens.append(np.fromiter((vocab.setdefault(w, len(vocab)) for w in toks),
                                      dtype=np.int64, count=len(toks)))
    n_docs = len(ids)
    words_list = sorted(vocab, key=vocab.__getitem__)
    content = np.zeros(len(words_list), dtype=bool)
    content[[vocab[w] for w in content_words(words_list)]] = True

    # TF-IDF postings: (1 + log tf) * idf, each document's vector of unit length.
    term_doc: list[np.ndarray] = []
    term_ids: list[np.ndarray] = []
    term_tf: list[np.ndarray] = []
    for d, toks in enumerate(doc_tokens):
        toks = toks[content[toks]]
        uniq, tf = np.unique(toks, return_counts=True)
        term_ids.append(uniq)
        term_tf.append(tf)
        term_doc.append(np.full(len(uniq), d, dtype=np.int32))
    t_all = np.concatenate(term_ids) if term_ids else np.empty(0, np.int64)
    d_all = np.concatenate(term_doc) if term_doc else np.empty(0, np.int32)
    tf_all = np.concatenate(term_tf) if term_tf else np.empty(0, np.int64)
    df = np.bincount(t_all, minlength=len(words_list))
    idf = (np.log((n_docs + 1) / (df + 1)) + 1).astype(np.float32)
    idf[~content] = 0.0
    w_all = (1 + np.log(tf_all)) * idf[t_all]
    norms = np.sqrt(np.bincount(d_all, weights=w_all * w_all, minlength=n_docs))
    w_all = (w_all / np.where(norms > 0, norms, 1)[d_all]).astype(np.float32)
    order = np.lexsort((d_all, t_all))
    post_doc, post_w = d_all[order], w_all[order]
    term_ptr = np.zeros(len(words_list) + 1, dtype=np.int64)
    np.cumsum(df, out=term_ptr[1:])

    # 5-gram hashes, sorted, with the document of each.
    sh_keys, sh_docs = [], []
    for d, toks in enumerate(doc_tokens):
        h = shingle_hashes(toks)
        sh_keys.append(h)
        sh_docs.append(np.full(len(h), d, dtype=np.int32))
    keys = np.concatenate(sh_keys) if sh_keys else np.empty(0, np.uint64)
    kdocs = np.concatenate(sh_docs) if sh_docs else np.empty(0, np.int32)
    order = np.argsort(keys, kind="stable")

    fd, tmp = tempfile.mkstemp(dir=path, prefix=".screen-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, format=FORMAT, generation=generation, ids=np.array(ids, dtype=object).astype(str),
                     vocab=np.array(words_list, dtype=str), idf=idf, term_ptr=term_ptr,
                     post_doc=post_doc, post_w=post_w, sh_keys=keys[order], sh_docs=kdocs[order])
        os.replace(tmp, path / SCREEN_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Index:
    """A read-only view of an index directory, loaded once per process for screening."""

    def __init__(self, db_dir: str | os.PathLike):
        path = Path(db_dir)
        if not (path / DB_NAME).is_file() or not (path / SCREEN_NAME).is_file():
            raise UnspinError(f"{db_dir}: no unspin index here (build one with `unspin index ARCHIVE "
                              f"--db {db_dir}`)")
        self.path = path
        try:
            with np.load(path / SCREEN_NAME) as z:
                if int(z["format"]) != FORMAT:
                    raise UnspinError(f"{db_dir}: index format {int(z['format'])}, this unspin reads "
                                      f"{FORMAT}: rebuild it")
                self.generation = int(z["generation"])
                self.ids: list[str] = [str(x) for x in z["ids"]]
                self.vocab: dict[str, int] = {str(w): i for i, w in enumerate(z["vocab"])}
                self.idf = z["idf"]
                self.term_ptr = z["term_ptr"]
                self.post_doc = z["post_doc"]
                self.post_w = z["post_w"]
                self.sh_keys = z["sh_keys"]
                self.sh_docs = z["sh_docs"]
        except (OSError, KeyError, ValueError) as exc:
            raise UnspinError(f"{db_dir}: the screening index is unreadable ({exc}); rebuild it") from None
        self._con: sqlite3.Connection | None = None
        self._docs: dict[str, Document] = {}
        self._vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._words: dict[str, list[str]] = {}
        self._versions: dict[tuple, list[tuple[str, float]]] = {}

    def fingerprint(self) -> str:
        """Changes whenever the archive does: results of scans against it are not mixed."""
        return hashlib.sha1(f"{FORMAT}:{self.generation}:{len(self.ids)}".encode()).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.ids)

    def screen(self, tokens: list[str], top: int = 5, min_cosine: float = 0.12,
               min_shingles: int = 3, window: int = 0) -> list[Candidate]:
        """Archive articles ``tokens`` (a page's words) may copy: the ``top`` by TF-IDF cosine
        at ``min_cosine`` or more, and the ``top`` by shared 5-grams at ``min_shingles`` or more.

        With ``window`` (words), an article's cosine is the best of the whole page's and of
        every window of the page (half-overlapping): a passage reused in a long page of other
        text scores as the passage, not diluted by the page.
        """
        n = len(self.ids)
        if not tokens or not n:
            return []
        get = self.vocab.get
        ids = np.fromiter((get(w, -1) for w in tokens), dtype=np.int64, count=len(tokens))
        spans = [(0, len(ids))]
        if window and len(ids) > window:
            step = max(1, window // 2)
            starts = list(range(0, len(ids) - window, step)) + [len(ids) - window]
            spans += [(a, a + window) for a in starts]
        cos = self._cosines(ids, spans)
        shared = np.zeros(n, dtype=np.int64)
        hashes = shingle_hashes(ids)
        if len(hashes) and len(self.sh_keys):
            lo = np.searchsorted(self.sh_keys, hashes, side="left")
            hi = np.searchsorted(self.sh_keys, hashes, side="right")
            lens = hi - lo
            if lens.sum():
                idx = np.repeat(hi - lens.cumsum(), lens) + np.arange(lens.sum())
                shared = np.bincount(self.sh_docs[idx], minlength=n)
        picked: dict[int, None] = {}
        for d in np.argsort(-cos, kind="stable")[:top]:
            if cos[d] >= min_cosine:
                picked[int(d)] = None
        for d in np.argsort(-shared, kind="stable")[:top]:
            if shared[d] >= min_shingles:
                picked[int(d)] = None
        return [Candidate(self.ids[d], float(cos[d]), int(shared[d])) for d in picked]

    def _vector(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unit TF-IDF vector of a word-id sequence (ids < 0 unknown): (term ids, weights)."""
        terms, tf = np.unique(ids[ids >= 0], return_counts=True)
        keep = self.idf[terms] > 0
        terms, tf = terms[keep], tf[keep]
        w = (1 + np.log(tf)) * self.idf[terms]
        norm = np.sqrt((w * w).sum())
        return terms, (w / norm if norm > 0 else w)

    def _cosines(self, ids: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
        """Per archive article, the best TF-IDF cosine of any span of ``ids`` (word ids). Each
        span's sums are over the articles its postings touch only, so memory and time follow
        the postings, not the archive's size."""
        best = np.zeros(len(self.ids))
        for a, b in spans:
            terms, w = self._vector(ids[a:b])
            if not len(terms):
                continue
            starts, ends = self.term_ptr[terms], self.term_ptr[terms + 1]
            lens = ends - starts
            if not lens.sum():
                continue
            idx = np.repeat(ends - lens.cumsum(), lens) + np.arange(lens.sum())
            docs, inverse = np.unique(self.post_doc[idx], return_inverse=True)
            sums = np.bincount(inverse, weights=self.post_w[idx] * np.repeat(w, lens))
            best[docs] = np.maximum(best[docs], sums)
        return best

    def related(self, a: str, b: str) -> float:
        """TF-IDF cosine of two archive articles (exact and symmetric; vectors cached)."""
        (ta, wa), (tb, wb) = self._article_vector(a), self._article_vector(b)
        _, ia, ib = np.intersect1d(ta, tb, assume_unique=True, return_indices=True)
        return float((wa[ia] * wb[ib]).sum())

    def article_words(self, source_id: str) -> list[str]:
        """The archive article's word tokens (``corpus.text.words``), cached with the article."""
        toks = self._words.get(source_id)
        if toks is None:
            toks = words(self.article(source_id).text)
            if len(self._words) > 4096:
                self._words.clear()
            self._words[source_id] = toks
        return toks

    def versions(self, source_id: str, min_cosine: float, limit: int) -> list[tuple[str, float]]:
        """Other archive articles at least ``min_cosine`` alike to ``source_id`` (other versions
        of its story), best first, at most ``limit``; cached per article."""
        key = (source_id, min_cosine, limit)
        found = self._versions.get(key)
        if found is None:
            near = self.screen(self.article_words(source_id), top=limit + 1, min_cosine=min_cosine,
                               min_shingles=1 << 62)
            found = [(c.source_id, c.cosine) for c in near if c.source_id != source_id][:limit]
            if len(self._versions) > 4096:
                self._versions.clear()
            self._versions[key] = found
        return found

    def _article_vector(self, source_id: str) -> tuple[np.ndarray, np.ndarray]:
        vec = self._vectors.get(source_id)
        if vec is None:
            get = self.vocab.get
            toks = self.article_words(source_id)
            vec = self._vector(np.fromiter((get(w, -1) for w in toks), dtype=np.int64, count=len(toks)))
            if len(self._vectors) > 4096:
                self._vectors.clear()
            self._vectors[source_id] = vec
        return vec

    def _db(self) -> sqlite3.Connection:
        if self._con is None:
            self._con = sqlite3.connect(f"file:{self.path / DB_NAME}?mode=ro", uri=True,
                                        check_same_thread=False)
        return self._con

    def article(self, source_id: str) -> Document:
        """The archive article as a Document (extracted once per process)."""
        doc = self._docs.get(source_id)
        if doc is None:
            row = self._db().execute("SELECT body, kind, title, url, date FROM articles WHERE id = ?",
                                     (source_id,)).fetchone()
            if row is None:
                raise UnspinError(f"no article {source_id!r} in the index")
            doc = extract_article(row[0], row[1], source_id)
            if len(self._docs) > 4096:
                self._docs.clear()
            self._docs[source_id] = doc
        return doc

    def meta(self, source_id: str) -> dict:
        row = self._db().execute("SELECT title, url, date, sha256 FROM articles WHERE id = ?",
                                 (source_id,)).fetchone()
        return {} if row is None else dict(zip(("title", "url", "date", "sha256"), row, strict=True))

