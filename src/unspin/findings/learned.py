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

from unspin.findings.context import Context
from unspin.findings.judgements import Judgement
from unspin.lang.en import MONTHS, NUMBER_WORDS, REPORTING_VERBS, SPEAKER_ROLES, STOP_WORDS, TITLES
from unspin.text import Tok, tokenize
from unspin.types import MEANING_TYPES, Finding, Sentence

UNSUPPORTED = 0.95  # P(unsupported) at which a sentence is reported as an unsupported claim
CONTRADICTED = 0.9  # P(contradicted) at which it is reported as a changed fact or meaning shift
SPREAD = 0.6  # new words spanning more of the sentence than this: the span is the sentence
# a sentence a rule already reported as one of these is left to the rule, which says precisely
# what changed; garbled text is not among them (a garbled sentence can still make a false claim)
_CONTENT_TYPES = MEANING_TYPES

def _words(text: str, base: int = 0) -> list[Tok]:
    """Words with figures and compounds whole ("£4,330", "18-year-old"); stems are prefixes."""
    return tokenize(text, base, "span")


def new_words(hypothesis: Sentence, premise: str) -> list[Tok]:
    """Content words of ``hypothesis`` (with candidate offsets) that the premise lacks."""
    have = {t.stem for t in _words(premise)}
    return [t for t in _words(hypothesis.text, hypothesis.start)
            if t.norm not in STOP_WORDS and t.stem not in have]


def _is_number(word: str) -> bool:
    return any(c.isdigit() for c in word) or word.lower() in NUMBER_WORDS or word.lower() in MONTHS


def _is_name(word: str, start: int, sentence: Sentence) -> bool:
    return word[:1].isupper() and start > sentence.start and not word.isupper()


def _speaker_change(cs: Sentence, novel: list[Tok]) -> tuple[int, int] | None:
    """Span from a new name or role to the reporting verb it is the subject of, if any."""
    words = _words(cs.text, cs.start)
    new = {(t.start, t.end) for t in novel
           if _is_name(t.text, t.start, cs) or t.norm in SPEAKER_ROLES or t.norm.rstrip("s") in SPEAKER_ROLES}
    for i, t in enumerate(words):
        if t.norm not in REPORTING_VERBS:
            continue
        before = words[max(0, i - 4):i]  # "Mr Trusty praised", "the judge noted"
        after = words[i + 1:i + 4]  # "..., said the judge"
        for region in (before, after):
            hit = [x for x in region if (x.start, x.end) in new]
            if hit:
                k = words.index(hit[0])
                while k > 0 and (words[k - 1].norm.rstrip(".") in TITLES
                                 or _is_name(words[k - 1].text, words[k - 1].start, cs)):
                    k -= 1  # the whole name: "Mr Trusty", "Dr Anna Patel"
                return min(words[k].start, t.start), max(hit[-1].end, t.end)
    return None


def _severity(p: float) -> str:
    return "high" if p >= 0.95 else "medium" if p >= 0.9 else "low"


def _span(ctx: Context, cs: Sentence, novel: list[Tok]) -> tuple[int, int]:
    """The stretch of new words, widened to whole words around it; the sentence when spread."""
    if not novel:
        return cs.start, cs.end
    a, b = novel[0].start, novel[-1].end
    if b - a > SPREAD * (cs.end - cs.start):
        return cs.start, cs.end
    words = _words(cs.text, cs.start)
    idx = [i for i, t in enumerate(words) if a <= t.start and t.end <= b]
    lo, hi = max(0, idx[0] - 2), min(len(words), idx[-1] + 3)
    return words[lo].start, words[hi - 1].end


def _finding(ctx: Context, cs: Sentence, j: Judgement) -> Finding | None:
    src = ctx.src_sentences
    premise_sents = [src[i] for i in j.premise]
    premise = " ".join(s.text for s in premise_sents)
    novel = new_words(cs, premise)
    linked = {s.index for s in ctx.source_for(cs.index)}
    core = [s for s in premise_sents if s.index in linked] or premise_sents  # not the neighbours
    source = ctx.src_span(core[0].doc, core[0].start, core[-1].end)
    details = {"candidate_sentence": cs.index, "new_words": [t.text for t in novel],
               "p_supported": round(j.supported, 3), "p_contradicted": round(j.contradicted, 3),
               "p_unsupported": round(j.unsupported, 3), "judge": "consistency model"}
    if j.unsupported >= UNSUPPORTED and j.unsupported >= j.contradicted:
        start, end = _span(ctx, cs, novel)
        said = (", with " + ", ".join(f"'{t.text}'" for t in novel[:4])) if novel else ""
        return Finding(
            type="unsupported_claim", severity=_severity(j.unsupported),
            explanation=f"The source passage does not support this{said} "
                        f"(model: {j.unsupported:.0%} not in the source).",
            candidate=ctx.cand_span(start, end), source=source, source_doc=premise_sents[0].doc,
            confidence=round(j.unsupported, 3), details=details)
    if j.contradicted < CONTRADICTED:
        return None
    facts = [t for t in novel if _is_number(t.text) or _is_name(t.text, t.start, cs)]
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
    what = (" (" + ", ".join(f"'{t.text}'" for t in (facts or novel)[:4]) + " not in the source)"
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
