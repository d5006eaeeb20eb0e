"""Derivation verdict: is the candidate wholly, partially or not derived from the source(s)?

Features come from the alignment only (coverage, links by kind, word n-gram containment,
rarity-weighted word containment, longest shared run, source order). A small multinomial
logistic model fitted on the METER courts corpus (bench/meter.py --fit) weighs a compact
subset of them; its coefficients live in verdict_model.json and are evaluated with NumPy, so
scikit-learn is never imported at run time. METER's derived newspaper copy is verbatim-heavy,
while AI spinning keeps the content and order but few word runs, so the model is given
paraphrase-level features (supported share, mean best similarity) and the rewrite route
below decides when the candidate follows one source through in order.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

import numpy as np

from unspin.align import shared_runs, tokens
from unspin.passages import lift
from unspin.types import Alignment, Passage, Verdict

LABELS = ("not_derived", "partially_derived", "wholly_derived")
MODEL_FILE = "verdict_model.json"


def _ngrams(toks: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(toks[k:k + n]) for k in range(len(toks) - n + 1)}


def _containment(src: list[str], cand: list[str], n: int) -> float:
    """Share of the candidate's distinct word n-grams found in the source (Clough et al.)."""
    c = _ngrams(cand, n)
    return len(c & _ngrams(src, n)) / len(c) if c else 0.0


_ZIPF_MAX = 7.0  # Zipf of the commonest English words ("the" is 7.7)
_RARE_FLOOR = 0.5  # weight of the commonest words


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """wordfreq's English frequency table, loaded once (the garbled-text finder shares it)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en")


def rare_containment(src: list[str], cand: list[str]) -> float:
    """Share of the candidate's words found in the source, each weighted by its rarity.

    Two reporters at the same hearing share names, the quoted words and the common words;
    copy also shares the wire's less common wording. The weight is 7 minus the word's Zipf
    frequency in general English (wordfreq, not fitted on METER), so "the" counts 0.5 and a
    word wordfreq has never seen counts 7.
    """
    if not cand:
        return 0.0
    freq = _frequencies()
    in_src = set(src)
    weight: dict[str, float] = {}
    shared = total = 0.0
    for t in cand:
        w = weight.get(t)
        if w is None:
            f = freq.get(t, 0.0)
            zipf = math.log10(f) + 9.0 if f > 0 else 0.0
            w = weight[t] = max(_RARE_FLOOR, _ZIPF_MAX - zipf)
        total += w
        if t in in_src:
            shared += w
    return shared / total


def _order(alignment: Alignment) -> float:
    """Share of consecutive links (in candidate order) that move forward in the source.

    A rewrite keeps the story's order; an independent piece on the same event does not.
    Far backward jumps count against, small steps within one source document count for.
    """
    steps = [(lk.source[0], lk.source[-1]) for lk in sorted(alignment.links, key=lambda x: x.candidate[0])
             if lk.kind != "partial"]
    if len(steps) < 2:
        return 0.0
    src = alignment.source_sentences
    good = 0
    for (_, a_end), (b_start, _) in zip(steps, steps[1:], strict=False):
        same_doc = src[a_end].doc == src[b_start].doc
        if same_doc and 0 <= b_start - a_end <= 4 or b_start == a_end:
            good += 1
    return good / (len(steps) - 1)


_RANK = {"none": 0, "partial": 1, "paraphrase": 2, "near_verbatim": 3, "verbatim": 4}
_OPEN = tuple("\"'“‘(")
_CLOSE = tuple(".!?\"'”’)")


def well_formed(text: str) -> bool:
    """A full sentence: starts like one and ends with terminal punctuation.

    Headlines, bylines and the fragments a spinner leaves behind are neither evidence of
    copying nor of independent writing, so the shares below count full sentences only.
    """
    t = text.strip()
    if len(t.split()) < 4 or not t.endswith(_CLOSE):
        return False
    first = t.lstrip("".join(_OPEN))[:1]
    return first.isupper() or first.isdigit()


def _best_kinds(alignment: Alignment) -> list[str]:
    kind_of = ["none"] * len(alignment.candidate_sentences)
    for lk in alignment.links:
        for i in lk.candidate:
            if _RANK[lk.kind] > _RANK[kind_of[i]]:
                kind_of[i] = lk.kind
    return kind_of


def _unlinked_block(kinds: list[str], words: np.ndarray, full: list[bool]) -> float:
    """Largest run of consecutive full sentences the source does not support (share of words).

    Material from elsewhere comes in blocks (a background paragraph, a new ending); a
    spinner's insertions are scattered single sentences.
    """
    best = run = 0.0
    for k, w, ok in zip(kinds, words, full, strict=True):
        if not ok:
            continue
        run = run + w if k in ("none", "partial") else 0.0
        best = max(best, run)
    total = float(words[full].sum()) if any(full) else 0.0
    return best / total if total else 0.0


def _followed(alignment: Alignment) -> float:
    """Share of one source document's full sentences (by words) that the candidate conveys
    through a non-partial link, for the best-conveyed document: a rewrite works through
    its source; an article drawing on several wire versions is judged on the one it used most."""
    per_doc: dict[int, list[float]] = {}
    linked = {j for lk in alignment.links if lk.kind != "partial" for j in lk.source}
    for j, s in enumerate(alignment.source_sentences):
        if not well_formed(s.text):
            continue
        w = len(s.text.split())
        acc = per_doc.setdefault(s.doc, [0.0, 0.0])
        acc[0] += w * (j in linked)
        acc[1] += w
    return max((a / b for a, b in per_doc.values() if b), default=0.0)


def passage_figures(alignment: Alignment, passages: list[Passage],
                    cand_words: list[int], src_words: list[int]) -> dict[str, float]:
    """How much of each text the reused passages hold, and how strong the best one is.

    ``passage_evidence`` is the strongest passage's ``evidence``: its narrative words (outside
    quotes) counted by how closely they match; one long close passage is evidence of copying
    whatever else the page holds.
    """
    cand_total = sum(cand_words) or 1
    doc_words: dict[int, int] = {}
    for s, n in zip(alignment.source_sentences, src_words, strict=True):
        doc_words[s.doc] = doc_words.get(s.doc, 0) + n
    per_doc: dict[int, int] = {}
    for p in passages:
        per_doc[p.source_doc] = per_doc.get(p.source_doc, 0) + p.source_words
    evidence = max((p.evidence for p in passages), default=0.0)
    lifted = max((p.candidate_words * lift(p.strength) for p in passages), default=0.0)
    inside = {i for p in passages for i in range(p.candidate_sentences[0], p.candidate_sentences[1] + 1)}
    best = alignment.candidate_best or [0.0] * len(alignment.candidate_sentences)
    out_w = out_s = 0.0
    for i in range(len(alignment.candidate_sentences)):
        if i not in inside:
            w = cand_words[i]
            out_w += w
            out_s += w * best[i]
    return {
        "passage_count": len(passages),
        "passage_candidate_share": min(1.0, sum(p.candidate_words for p in passages) / cand_total),
        "passage_source_share": max((min(1.0, w / max(doc_words.get(d, 1), 1)) for d, w in per_doc.items()),
                                    default=0.0),
        "passage_evidence": evidence,
        "passage_lifted": lifted,
        "passage_strength": max((p.strength for p in passages), default=0.0),
        # how alike the rest of the candidate is to the source: near nothing where a copied
        # passage sits in unrelated text, moderate where the whole piece covers the same story
        "outside_similarity": out_s / out_w if out_w else 0.0,
    }


def features(alignment: Alignment, passages: list[Passage] | None = None) -> dict[str, float]:
    """Evidence figures for the verdict; also reported to the user."""
    cand = alignment.candidate_sentences
    src = alignment.source_sentences
    cand_toks = [tokens(s.text) for s in cand]
    src_sent_toks = [tokens(s.text) for s in src]
    src_toks = [t for toks in src_sent_toks for t in toks]
    flat_c = [t for toks in cand_toks for t in toks]
    words = np.array([max(len(t), 1) for t in cand_toks], dtype=float)
    total = float(words.sum()) or 1.0

    kind_of = _best_kinds(alignment)
    share = {k: float(words[[i for i, x in enumerate(kind_of) if x == k]].sum()) / total for k in _RANK}
    full = [well_formed(s.text) for s in cand]
    if not any(full):
        full = [True] * len(cand)
    wf_total = float(words[full].sum()) or 1.0
    wf_share = {k: float(sum(w for w, x, ok in zip(words, kind_of, full, strict=True) if ok and x == k))
                / wf_total for k in _RANK}

    longest = alignment.longest_run
    if longest < 0:  # an alignment made before the aligner recorded it
        runs = shared_runs(src_toks, flat_c)
        longest = int(runs.max()) if len(runs) else 0
    best = np.array(alignment.candidate_best or [0.0] * len(cand), dtype=float)
    linked_src = {j for lk in alignment.links if lk.kind != "partial" for j in lk.source}
    return {
        "source_conveyed": alignment.coverage.source_conveyed,
        "candidate_supported": alignment.coverage.candidate_supported,
        "verbatim": alignment.coverage.verbatim,
        "share_verbatim": share["verbatim"],
        "share_near_verbatim": share["near_verbatim"],
        "share_paraphrase": share["paraphrase"],
        "share_partial": share["partial"],
        "share_unlinked": share["none"],
        "share_strong": share["verbatim"] + share["near_verbatim"] + share["paraphrase"],
        "containment_1": _containment(src_toks, flat_c, 1),
        "containment_3": _containment(src_toks, flat_c, 3),
        "containment_5": _containment(src_toks, flat_c, 5),
        "rare_containment": rare_containment(src_toks, flat_c),
        "longest_run": longest,
        "full_strong": wf_share["verbatim"] + wf_share["near_verbatim"] + wf_share["paraphrase"],
        "full_unlinked": wf_share["none"],
        "full_partial": wf_share["partial"],
        "unlinked_block": _unlinked_block(kind_of, words, full),
        "order": _order(alignment),
        "source_followed": _followed(alignment),
        "mean_best": float((best * words).sum() / total) if len(best) else 0.0,
        "source_sentences_linked": len(linked_src) / max(len(src), 1),
        "candidate_words": int(total),
        **passage_figures(alignment, passages or [], [len(t) for t in cand_toks],
                          [len(t) for t in src_sent_toks]),
    }


# Every figure the model may be given, from ``features`` (logs where a figure is skewed).
CANDIDATE_INPUTS = {
    "candidate_supported": lambda f: f["candidate_supported"],
    "verbatim": lambda f: f["verbatim"],
    "share_strong": lambda f: f["share_strong"],
    "share_copy": lambda f: f["share_verbatim"] + f["share_near_verbatim"],
    "share_partial": lambda f: f["share_partial"],
    "share_unlinked": lambda f: f["share_unlinked"],
    "containment_1": lambda f: f["containment_1"],
    "containment_3": lambda f: f["containment_3"],
    "containment_5": lambda f: f["containment_5"],
    "rare_containment": lambda f: f["rare_containment"],
    "log_longest_run": lambda f: math.log1p(f["longest_run"]),
    "order": lambda f: f["order"],
    "mean_best": lambda f: f["mean_best"],
    "source_conveyed": lambda f: f["source_conveyed"],
    "full_strong": lambda f: f["full_strong"],
    "full_unlinked": lambda f: f["full_unlinked"],
    "full_partial": lambda f: f["full_partial"],
    "unlinked_block": lambda f: f["unlinked_block"],
    "log_candidate_words": lambda f: math.log1p(f["candidate_words"]),
    "log_passage_evidence": lambda f: math.log1p(f["passage_evidence"]),
    "passage_candidate_share": lambda f: f["passage_candidate_share"],
    "passage_source_share": lambda f: f["passage_source_share"],
    "passage_strength": lambda f: f["passage_strength"],
}
# The ones the shipped model uses. A compact set: the 18 alignment figures together scored
# lower on held-out METER folds than these six (they are strongly correlated), and the
# rarity-weighted containment is what tells a partly derived article from an independent
# report of the same hearing (bench/meter.py prints the figures).
INPUT_NAMES = ("rare_containment", "containment_3", "candidate_supported", "full_unlinked",
               "mean_best", "log_candidate_words")


def model_inputs(f: dict[str, float], names: tuple[str, ...] | list[str] = INPUT_NAMES) -> list[float]:
    return [CANDIDATE_INPUTS[n](f) for n in names]


# The rewrite route. METER's derived copy keeps the wire's words, so a model fitted there
# reads "few shared word runs" as "not derived"; an AI-spun rewrite changes the words but
# works through its source sentence by sentence, in order. When the candidate does that,
# the verdict follows the alignment, not the model. On METER itself the route fires on 64
# of 770 articles, 62 of them derived (bench/meter.py prints the figures).
FOLLOW_SOURCE = 0.6  # share of one source document's full sentences conveyed
FOLLOW_ORDER = 0.8  # share of consecutive links that keep the source's order
FOLLOW_STRONG = 0.7  # share of the candidate's full sentences strongly linked
WHOLLY_MAX_UNLINKED = 0.10  # more unsupported full-sentence text than this: partially derived


def rewrite_route(f: dict[str, float]) -> str | None:
    """The label when the candidate follows one source through, else None."""
    if (f["source_followed"] >= FOLLOW_SOURCE and f["order"] >= FOLLOW_ORDER
            and f["full_strong"] >= FOLLOW_STRONG):
        return "wholly_derived" if f["full_unlinked"] <= WHOLLY_MAX_UNLINKED else "partially_derived"
    return None


@lru_cache(maxsize=1)
def load_model() -> dict:
    """The fitted coefficients shipped in the package."""
    text = resources.files("unspin").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def probabilities(f: dict[str, float], model: dict | None = None) -> np.ndarray:
    """P(not, partially, wholly) from the stored multinomial logistic model."""
    model = model or load_model()
    x = np.array(model_inputs(f, model.get("inputs", INPUT_NAMES)), dtype=float)
    x = (x - np.array(model["mean"])) / np.array(model["scale"])
    z = np.array(model["coef"]) @ x + np.array(model["intercept"])
    z -= z.max()
    p = np.exp(z)
    return p / p.sum()


# Local evidence. One long, close passage is copying whatever else the page holds (PAN's
# pages embed a copied passage among other text); "wholly" needs most of the candidate to be
# the source's material.
STRONG_PASSAGE = 120.0  # passage_evidence that alone means derived, whatever surrounds it
# A passage standing out from unrelated text: less evidence is needed where the rest of the
# candidate is no more alike to the source than any page on another subject is.
STANDOUT_PASSAGE = 15.0
UNRELATED = 0.30  # outside_similarity at most this: the rest of the page is other material...
STANDOUT_SHARE = 0.5  # ...and there is more of the rest than of the passages
RELATED_SPAN = 0.05  # outside similarity over which the evidence needed rises to STRONG_PASSAGE
WHOLLY_MIN_SHARE = 0.5  # passages must hold at least this share of the candidate for "wholly"


def stands_out(f: dict[str, float]) -> bool:
    """The passages are the lesser part of a page whose rest is unrelated to the source."""
    return (f.get("outside_similarity", 1.0) <= UNRELATED
            and f.get("passage_candidate_share", 1.0) <= STANDOUT_SHARE)


def needed_evidence(f: dict[str, float]) -> float:
    """Narrative evidence a passage needs to make the candidate derived: STANDOUT_PASSAGE in
    a page of unrelated text, rising to STRONG_PASSAGE as the rest of the page comes closer
    to the source's story (RELATED_SPAN above UNRELATED)."""
    if f.get("passage_candidate_share", 1.0) > STANDOUT_SHARE:
        return STRONG_PASSAGE
    x = min(1.0, max(0.0, (f.get("outside_similarity", 1.0) - UNRELATED) / RELATED_SPAN))
    return STANDOUT_PASSAGE + (STRONG_PASSAGE - STANDOUT_PASSAGE) * x


def decide(f: dict[str, float], model: dict | None = None) -> tuple[str, float, str, np.ndarray]:
    """(label, score, what decided it, model probabilities) from the verdict features."""
    p = probabilities(f, model)
    label = LABELS[int(p.argmax())]
    score = float(p[1] + p[2])
    by = "model"
    route = rewrite_route(f)
    if route is not None:
        label, by = route, "rewrite_route"
        score = max(score, 0.5 + 0.5 * min(f["source_followed"], f["full_strong"]))
    ev, lifted = f.get("passage_evidence", 0.0), f.get("passage_lifted", 0.0)
    if label == "not_derived" and (ev >= needed_evidence(f) or lifted >= STANDOUT_PASSAGE and stands_out(f)):
        label, by = "partially_derived", "passage"
        score = max(score, 0.5 + 0.5 * min(1.0, max(ev, lifted) / STRONG_PASSAGE))
    if label == "wholly_derived" and f.get("passage_candidate_share", 1.0) < WHOLLY_MIN_SHARE \
            and route is None:
        label = "partially_derived"
    return label, score, by, p


def _reason(label: str, by: str, f: dict[str, float]) -> str:
    """One sentence a reader can check against the passage list."""
    n = int(f.get("passage_count", 0))
    share_c = round(100 * f.get("passage_candidate_share", 0.0))
    share_s = round(100 * f.get("passage_source_share", 0.0))
    if n:
        held = (f"{n} reused passage{'s hold' if n != 1 else ' holds'} {share_c}% of the candidate "
                f"and carr{'y' if n != 1 else 'ies'} {share_s}% of the source")
    else:
        held = "no reused passage found"
    how = {"model": "the whole-text figures (shared wording, supported share)",
           "rewrite_route": "the candidate following the source sentence by sentence, in order",
           "passage": "a close passage of the source's narrative in the candidate"}[by]
    return f"{held}; decided by {how}"


def judge(alignment: Alignment, model: dict | None = None, passages: list[Passage] | None = None) -> Verdict:
    """Label, probability that the candidate is derived, and the evidence behind it."""
    f = features(alignment, passages)
    if not alignment.candidate_sentences or not alignment.source_sentences:
        return Verdict("not_derived", 0.0, False, {**f, "reason": "empty text"})
    label, score, by, p = decide(f, model)
    links_by_kind: dict[str, int] = {}
    for lk in alignment.links:
        links_by_kind[lk.kind] = links_by_kind.get(lk.kind, 0) + 1
    evidence = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in f.items()}
    evidence["links_by_kind"] = links_by_kind
    evidence["probabilities"] = {lab: round(float(q), 4) for lab, q in zip(LABELS, p, strict=True)}
    evidence["decided_by"] = by
    evidence["reason"] = _reason(label, by, f)
    return Verdict(label=label, score=score, derived=label != "not_derived", evidence=evidence)
