"""Sentence-pair consistency: is a candidate sentence supported, contradicted or not in the source?

The aligner says *which* source sentences a candidate sentence came from; this model says
whether the candidate still *says the same thing*. It is a MiniLM-L6 cross-encoder
([CLS] premise [SEP] hypothesis [SEP]) fine-tuned by ``scripts/train_consistency.py`` and
shipped as an int8 ONNX file in ``unspin/models/consistency/`` (see
``docs/consistency-model-card.md``). At run time it needs only onnxruntime, tokenizers and
NumPy: torch exists only in the build environment.

- ``predict`` gives calibrated probabilities (temperature scaling fitted on held-out pairs) in
  the order of ``LABELS``.
- ``attribute`` deletes one hypothesis word at a time (occlusion) and measures how much
  P(supported) rises without it: the words that carry a changed number or an invented clause
  score highest. It costs one batch of (words + 1) pairs, so call it only for flagged pairs.

``encode_pairs`` is also what the trainer uses, so training and run time see identical inputs.
"""

from __future__ import annotations

import json
import re
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from unspin.types import UnspinError

LABELS = ("supported", "contradicted", "unsupported")
MODEL_ENV = "UNSPIN_CONSISTENCY_DIR"
# Words for attribution: numbers keep their inner dots and commas ("2.3", "45,000") and a
# trailing %, so a changed figure is one unit; hyphenated and apostrophised words stay whole.
_WORD = re.compile(r"\w+(?:[.,'’\-]\w+)*%?")


def encode_pairs(
    tokenizer: Any, pairs: list[tuple[str, str]], max_length: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids, attention mask and token type ids for ``pairs``, padded to the longest pair.

    Truncation is done here rather than by ``tokenizers`` so that it is explicit and identical
    in training and at run time: the premise (context) is cut first, from its end, because the
    hypothesis is the sentence being judged; only a hypothesis longer than half the budget is
    cut too, so the premise always keeps at least half of it.
    """
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if not pairs:
        empty = np.zeros((0, 0), dtype=np.int64)
        return empty, empty, empty
    prem = tokenizer.encode_batch([p for p, _ in pairs], add_special_tokens=False)
    hyp = tokenizer.encode_batch([h for _, h in pairs], add_special_tokens=False)
    budget = max_length - 3
    rows: list[tuple[list[int], int]] = []
    for pe, he in zip(prem, hyp, strict=True):
        p, h = pe.ids, he.ids
        if len(p) + len(h) > budget:
            keep_p = max(budget - len(h), min(len(p), budget // 2))
            p, h = p[:keep_p], h[: budget - keep_p]
        rows.append(([cls_id, *p, sep_id, *h, sep_id], len(p) + 2))
    width = max(len(ids) for ids, _ in rows)
    input_ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    types = np.zeros_like(input_ids)
    for i, (ids, first) in enumerate(rows):
        input_ids[i, : len(ids)] = ids
        mask[i, : len(ids)] = 1
        types[i, first : len(ids)] = 1
    return input_ids, mask, types


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature`` in float64 (stable for large logits)."""
    z = logits.astype(np.float64) / temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def words(text: str) -> list[tuple[int, int]]:
    """Character spans of the words ``attribute`` occludes one at a time."""
    return [m.span() for m in _WORD.finditer(text)]


def available() -> bool:
    """Whether onnxruntime and the shipped model files are installed (without loading them)."""
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None:
        return False
    base = resources.files("unspin") / "models" / "consistency"
    return all((base / name).is_file() for name in ("model.onnx", "tokenizer.json", "config.json"))


class ConsistencyModel:
    """The int8 ONNX cross-encoder with its tokenizer and calibration (load with ``load()``)."""

    _cache: dict[str, ConsistencyModel] = {}
    _lock = threading.Lock()

    def __init__(self, model_bytes: bytes, tokenizer_json: str, config: dict[str, Any]) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if tuple(config.get("labels", ())) != LABELS:
            raise UnspinError(f"consistency model labels {config.get('labels')} are not {LABELS}")
        self.config = config
        self.max_length = int(config["max_length"])
        self.temperature = float(config.get("temperature", 1.0))
        self.tokenizer = Tokenizer.from_str(tokenizer_json)
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        # One thread: unspin runs beside other work on small machines, and batches are small.
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(model_bytes, opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}

    @classmethod
    def load(cls, directory: str | Path | None = None) -> ConsistencyModel:
        """The shipped model (or the one in ``directory``), loaded once per process.

        Files are read through importlib.resources so the model also loads from a wheel or zip;
        a missing file gives an UnspinError that says how to build it, not a bare OSError.
        """
        key = str(directory) if directory is not None else "<package>"
        with cls._lock:
            if key not in cls._cache:
                base = (
                    Path(directory)
                    if directory is not None
                    else resources.files("unspin") / "models" / "consistency"
                )
                try:
                    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
                    tokenizer_json = (base / "tokenizer.json").read_text(encoding="utf-8")
                    model_bytes = (base / "model.onnx").read_bytes()
                except (OSError, ValueError) as exc:
                    raise UnspinError(
                        f"consistency model missing or unreadable in {base} ({exc}); "
                        "rebuild it with `make models`"
                    ) from exc
                cls._cache[key] = cls(model_bytes, tokenizer_json, config)
            return cls._cache[key]

    def logits(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> np.ndarray:
        """Raw (uncalibrated) logits, shape (n, 3).

        Pairs are tokenised ``batch_size`` at a time but the graph runs one pair per call, unpadded:
        the int8 graph quantises its activations with one scale per tensor, so in a padded batch a
        pair's probabilities would shift with its batch-mates (by up to 0.15 on valid pairs). One
        pair per call is deterministic and, on one thread, faster than batching (no padding work).
        """
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        for start in range(0, len(pairs), batch_size):
            chunk = pairs[start : start + batch_size]
            ids, mask, types = encode_pairs(self.tokenizer, chunk, self.max_length)
            for i in range(len(chunk)):
                n = int(mask[i].sum())
                feed = {
                    "input_ids": ids[i : i + 1, :n],
                    "attention_mask": mask[i : i + 1, :n],
                    "token_type_ids": types[i : i + 1, :n],
                }
                feed = {k: v for k, v in feed.items() if k in self._inputs}
                out[start + i] = self.session.run(None, feed)[0][0]
        return out

    def predict(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> np.ndarray:
        """P(supported), P(contradicted), P(unsupported) for each (premise, hypothesis) pair.

        Temperature-scaled, so that a probability of 0.8 is right about 80% of the time on the
        held-out pairs the temperature was fitted on.
        """
        if not pairs:
            return np.zeros((0, len(LABELS)))
        return softmax(self.logits(pairs, batch_size), self.temperature)

    def attribute(self, premise: str, hypothesis: str) -> list[tuple[int, int, float]]:
        """(start, end, score) for each hypothesis word: how much deleting it raises P(supported).

        A positive score means the word makes the pair look less supported (a changed number,
        a swapped name, an invented clause); the score is the rise in P(supported) when the word
        is removed. Occlusion needs no gradients, so it works on the int8 ONNX model; it costs
        one batch of (words + 1) pairs, about 10 ms each.
        """
        spans = words(hypothesis)
        if not spans:
            return []
        variants = [hypothesis] + [
            re.sub(r"\s{2,}", " ", hypothesis[:s] + hypothesis[e:]).strip() for s, e in spans
        ]
        probs = self.predict([(premise, v) for v in variants], batch_size=len(variants))
        base = probs[0, 0]
        return [(s, e, float(probs[i + 1, 0] - base)) for i, (s, e) in enumerate(spans)]
