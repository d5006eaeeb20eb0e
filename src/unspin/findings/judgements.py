"""Shared stage: the consistency model's reading of every audited candidate sentence.

Run once, before the detectors, so that every detector can read the same judgement from
``Context.judgements`` instead of running the model again. A candidate sentence is judged
against the source sentences the aligner tied it to (the premise), in source order, with
their neighbours while the premise stays short (the model was trained on a sentence and its
neighbours, about 80 words); an unlinked sentence is judged against its most similar source
sentences, because the model is the better judge of whether those say the same thing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from unspin.findings.context import Context
from unspin.types import Sentence

PREMISE_WORDS = 60  # neighbours join the premise while it stays this short
UNLINKED_TOP = 2  # source sentences an unlinked candidate sentence is judged against
MIN_WORDS = 4  # shorter candidate sentences (bylines, labels) are not judged
WEAK_LINK = 0.5  # a sentence linked no better than this is also judged against other windows
SHORT_CANDIDATE = 8  # candidates of at most this many sentences (summaries): every sentence is
EXTRA_WINDOWS = 3  # ... judged against this many more windows around its most similar sentences
# Model calls per comparison (about 9 ms each on one core). The 39 annotated cases need at most
# 34 and a 3,000-word rewrite about 150; past the budget (very long texts) the most weakly linked
# sentences are judged first and the report says how many were left to the rules alone. 150 keeps
# the model's share of a 50,000-word comparison near 1.4 s (600 took 5.4 s of its 14).
MAX_PAIRS = 150
# Past this many candidate words the budget shrinks in proportion (never below MIN_PAIRS), so
# that on a very long text the model stays a small share of the time the rules already take.
BUDGET_WORDS = 10_000
MIN_PAIRS = 30


def budget(candidate_words: int) -> int:
    """Model comparisons allowed for a candidate of ``candidate_words`` words."""
    if candidate_words <= BUDGET_WORDS:
        return MAX_PAIRS
    return max(MIN_PAIRS, MAX_PAIRS * BUDGET_WORDS // candidate_words)

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Judgement:
    """P(supported), P(contradicted), P(unsupported) of one candidate sentence, and its premise."""

    sentence: int
    premise: tuple[int, ...]  # source sentence indices (alignment numbering), in order
    supported: float
    contradicted: float
    unsupported: float
    modelled: bool = True  # False: copied verbatim, supported without running the model

    @property
    def label(self) -> str:
        probs = {"supported": self.supported, "contradicted": self.contradicted,
                 "unsupported": self.unsupported}
        return max(probs, key=probs.__getitem__)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def _window(ctx: Context, linked: list[int]) -> tuple[int, ...]:
    """``linked`` (of the document most of them are in) with neighbours while short enough."""
    src = ctx.src_sentences
    doc = max({src[i].doc for i in linked}, key=lambda d: sum(src[i].doc == d for i in linked))
    chosen = [i for i in linked if src[i].doc == doc]
    words = sum(len(src[i].text.split()) for i in chosen)
    for j in (chosen[0] - 1, chosen[-1] + 1):
        if 0 <= j < len(src) and src[j].doc == doc and j not in chosen:
            n = len(src[j].text.split())
            if words + n <= PREMISE_WORDS:
                chosen.append(j)
                words += n
    return tuple(sorted(chosen))


def premises_for(ctx: Context, cs: Sentence) -> list[tuple[int, ...]]:
    """Windows of source sentences to judge ``cs`` against (alignment indices), best first.

    The first is the sentences the aligner linked ``cs`` to. A weakly linked or unlinked
    sentence, and every sentence of a short candidate (a summary fuses facts from across the
    article), is also judged against windows around its most similar source sentences; the
    window that supports it best is the one its judgement is read from.
    """
    src = ctx.src_sentences
    linked = sorted({s for link in ctx.cand_links.get(cs.index, []) for s in link.source})
    best = max((link.similarity for link in ctx.cand_links.get(cs.index, [])), default=0.0)
    sim = ctx.alignment.similarity
    extra = 0
    if len(ctx.cand_sentences) <= SHORT_CANDIDATE:
        extra = EXTRA_WINDOWS
    elif not linked or best < WEAK_LINK:
        extra = UNLINKED_TOP
    out: list[tuple[int, ...]] = [_window(ctx, linked)] if linked else []
    if extra and sim is not None and len(src):
        for i in np.argsort(-sim[cs.index])[:extra]:
            w = _window(ctx, [int(i)])
            if w not in out:
                out.append(w)
    return out


def _strength(ctx: Context, i: int) -> float:
    return max((link.similarity for link in ctx.cand_links.get(i, [])), default=0.0)


def judge(ctx: Context, model, notes: list[str] | None = None) -> dict[int, Judgement]:
    """Judgements for the candidate sentences in scope (none when not derived).

    At most ``budget(words)`` model calls: past that, weakly linked sentences go first and a line
    saying how many sentences were not judged is added to ``notes``.
    """
    if model is None or not ctx.derived:
        return {}
    src = ctx.src_sentences
    todo: list[tuple[Sentence, tuple[int, ...], str]] = []
    out: dict[int, Judgement] = {}
    for cs in ctx.cand_sentences:
        if len(cs.text.split()) < MIN_WORDS or not ctx.in_scope(cs.start, cs.end):
            continue
        windows = premises_for(ctx, cs)
        texts = [" ".join(src[i].text for i in w) for w in windows]
        copied = next((w for w, t in zip(windows, texts, strict=True) if _norm(cs.text) in _norm(t)), None)
        if copied is not None:
            out[cs.index] = Judgement(cs.index, copied, 1.0, 0.0, 0.0, modelled=False)
            continue
        todo += [(cs, w, t) for w, t in zip(windows, texts, strict=True)]
    limit = budget(len(ctx.candidate_text.split()))
    if len(todo) > limit:
        order = sorted({cs.index for cs, _, _ in todo}, key=lambda i: (_strength(ctx, i), i))
        keep: set[int] = set()
        used = 0
        per = Counter(cs.index for cs, _, _ in todo)
        for i in order:
            if used + per[i] > limit:
                break
            keep.add(i)
            used += per[i]
        if notes is not None:
            notes.append(f"the consistency model judged {len(keep)} of {len(order)} reworded candidate "
                         f"sentences (its budget of {limit} comparisons, weakest links first); "
                         "the rest were checked by the rules only")
        todo = [x for x in todo if x[0].index in keep]
    probs = model.predict([(premise, cs.text) for cs, _, premise in todo])
    for (cs, prem, _), p in zip(todo, probs, strict=True):
        old = out.get(cs.index)
        if old is None or p[0] > old.supported:
            out[cs.index] = Judgement(cs.index, prem, float(p[0]), float(p[1]), float(p[2]))
    return out
