"""``unsupported_claim``, ``changed_fact`` and ``meaning_shift`` from the consistency model.

The rule detectors run first and name what they can explain precisely (the number that
changed, the quote that was reworded); this detector reports the candidate sentences the
model judges contradicted or not supported by their source context that no rule explained.
The finding's type comes from the word difference with the premise: a new number or name
makes it a changed fact, otherwise a contradiction is a meaning shift. Its span is the
stretch of new words (the word difference), or the sentence when the change is spread over
it; its severity comes from the model's probability.
"""

from __future__ import annotations

import re

from unspin.findings.context import Context
from unspin.findings.judgements import Judgement
from unspin.lang.en import MONTHS, NUMBER_WORDS, REPORTING_VERBS, ROLES, STOP_WORDS, TITLES
from unspin.types import MEANING_TYPES, Finding, Sentence

UNSUPPORTED = 0.95  # P(unsupported) at which a sentence is reported as an unsupported claim
CONTRADICTED = 0.9  # P(contradicted) at which it is reported as a changed fact or meaning shift
SPREAD = 0.6  # new words spanning more of the sentence than this: the span is the sentence
# a sentence a rule already reported as one of these is left to the rule, which says precisely
# what changed; garbled text is not among them (a garbled sentence can still make a false claim)
_CONTENT_TYPES = MEANING_TYPES

_WORD = re.compile(r"[A-Za-z0-9£$€%][\w'’\-.,%]*(?<![.,'’\-])")


def _key(word: str) -> str:
    w = word.lower().replace("’", "'")
    return w[:5] if w.isalpha() else w


def _words(text: str, base: int = 0) -> list[tuple[str, int, int]]:
    return [(m.group(0), base + m.start(), base + m.end()) for m in _WORD.finditer(text)]


def new_words(hypothesis: Sentence, premise: str) -> list[tuple[str, int, int]]:
    """Content words of ``hypothesis`` (with candidate offsets) that the premise lacks."""
    have = {_key(w) for w, _, _ in _words(premise)}
    return [(w, a, b) for w, a, b in _words(hypothesis.text, hypothesis.start)
            if w.lower() not in STOP_WORDS and _key(w) not in have]


def _is_number(word: str) -> bool:
    return any(c.isdigit() for c in word) or word.lower() in NUMBER_WORDS or word.lower() in MONTHS


def _is_name(word: str, start: int, sentence: Sentence) -> bool:
    return word[:1].isupper() and start > sentence.start and not word.isupper()


def _speaker_change(cs: Sentence, novel: list[tuple[str, int, int]]) -> tuple[int, int] | None:
    """Span from a new name or role to the reporting verb it is the subject of, if any."""
    words = _words(cs.text, cs.start)
    new = {(a, b) for w, a, b in novel
           if _is_name(w, a, cs) or w.lower() in ROLES or w.lower().rstrip("s") in ROLES}
    for i, (w, a, b) in enumerate(words):
        if w.lower() not in REPORTING_VERBS:
            continue
        before = words[max(0, i - 4):i]  # "Mr Trusty praised", "the judge noted"
        after = words[i + 1:i + 4]  # "..., said the judge"
        for region in (before, after):
            hit = [x for x in region if (x[1], x[2]) in new]
            if hit:
                k = words.index(hit[0])
                while k > 0 and (words[k - 1][0].lower().rstrip(".") in TITLES
                                 or _is_name(words[k - 1][0], words[k - 1][1], cs)):
                    k -= 1  # the whole name: "Mr Trusty", "Dr Anna Patel"
                return min(words[k][1], a), max(hit[-1][2], b)
    return None


def _severity(p: float) -> str:
    return "high" if p >= 0.95 else "medium" if p >= 0.9 else "low"


def _span(ctx: Context, cs: Sentence, novel: list[tuple[str, int, int]]) -> tuple[int, int]:
    """The stretch of new words, widened to whole words around it; the sentence when spread."""
    if not novel:
        return cs.start, cs.end
    a, b = novel[0][1], novel[-1][2]
    if b - a > SPREAD * (cs.end - cs.start):
        return cs.start, cs.end
    words = _words(cs.text, cs.start)
    idx = [i for i, (_, s, e) in enumerate(words) if a <= s and e <= b]
    lo, hi = max(0, idx[0] - 2), min(len(words), idx[-1] + 3)
    return words[lo][1], words[hi - 1][2]


def _finding(ctx: Context, cs: Sentence, j: Judgement) -> Finding | None:
    src = ctx.src_sentences
    premise_sents = [src[i] for i in j.premise]
    premise = " ".join(s.text for s in premise_sents)
    novel = new_words(cs, premise)
    linked = {s.index for s in ctx.source_for(cs.index)}
    core = [s for s in premise_sents if s.index in linked] or premise_sents  # not the neighbours
    source = ctx.src_span(core[0].doc, core[0].start, core[-1].end)
    details = {"candidate_sentence": cs.index, "new_words": [w for w, _, _ in novel],
               "p_supported": round(j.supported, 3), "p_contradicted": round(j.contradicted, 3),
               "p_unsupported": round(j.unsupported, 3), "judge": "consistency model"}
    if j.unsupported >= UNSUPPORTED and j.unsupported >= j.contradicted:
        start, end = _span(ctx, cs, novel)
        said = (", with " + ", ".join(f"'{w}'" for w, _, _ in novel[:4])) if novel else ""
        return Finding(
            type="unsupported_claim", severity=_severity(j.unsupported),
            explanation=f"The source passage does not support this{said} "
                        f"(model: {j.unsupported:.0%} not in the source).",
            candidate=ctx.cand_span(start, end), source=source, source_doc=premise_sents[0].doc,
            confidence=round(j.unsupported, 3), details=details)
    if j.contradicted < CONTRADICTED:
        return None
    facts = [x for x in novel if _is_number(x[0]) or _is_name(x[0], x[1], cs)]
    speaker = _speaker_change(cs, novel)
    if speaker is not None:
        return Finding(
            type="attribution_change", severity=_severity(j.contradicted),
            explanation="The source gives this to someone else: the speaker named here is not in "
                        f"the source passage (model: {j.contradicted:.0%} contradicted).",
            candidate=ctx.cand_span(*speaker), source=source, source_doc=premise_sents[0].doc,
            confidence=round(j.contradicted, 3), details=details)
    kind = "changed_fact" if facts else "meaning_shift"
    start, end = _span(ctx, cs, facts or novel)
    what = (" (" + ", ".join(f"'{w}'" for w, _, _ in (facts or novel)[:4]) + " not in the source)"
            if (facts or novel) else "")
    return Finding(
        type=kind, severity=_severity(j.contradicted),
        explanation=f"The source passage says otherwise{what} "
                    f"(model: {j.contradicted:.0%} contradicted).",
        candidate=ctx.cand_span(start, end), source=source, source_doc=premise_sents[0].doc,
        confidence=round(j.contradicted, 3), details=details)


def detect(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for i, j in sorted(ctx.judgements.items()):
        if not j.modelled:
            continue
        cs = ctx.cand_sentences[i]
        if any(f.candidate and f.candidate.start < cs.end and cs.start < f.candidate.end
               and f.type in _CONTENT_TYPES for f in ctx.found):
            continue
        f = _finding(ctx, cs, j)
        if f is not None:
            out.append(f)
    return out
