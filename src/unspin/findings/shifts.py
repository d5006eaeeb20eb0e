"""``meaning_shift`` and narrated ``attribution_change`` on aligned sentence pairs.

A spun sentence can keep every fact and still say something else: a negation flipped
("had turned off" -> "failed to go off"), a hedge added or dropped ("probably", "arguable"),
intensity turned ("large" -> "modest", "some" -> "many"), an outcome inverted ("acquitted"
-> "convicted", "denied" -> "conceded"), agent and patient swapped ("scared by X" -> "scared
X"), scope widened ("all of us" -> "all Americans"), or the statement handed to someone else
("Mr Berlin, prosecuting, said" -> "Mr Taylor said"). Each check compares small, general
English lexicons across the candidate sentence and its linked source sentences; the reasons
found in one candidate clause are reported together as one finding.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from unspin.findings.context import Context
from unspin.lang.en import modality, negation, speech
from unspin.lang.en.antonyms import ANTONYMS
from unspin.lang.en.grammar import (
    ARTICLES,
    BE_FORMS,
    CONTRASTS,
    COORDINATORS,
    COPULAS,
    LINKERS,
    NOUN_MARKERS,
    NP_OPENERS,
    OF_PREPOSITIONS,
    ONLY,
    SPEAKER_FILLERS,
)
from unspin.lang.en.modality import (
    CAN,
    CERTAIN_ADJ,
    CERTAIN_ADV,
    COPULA_OR_DEGREE,
    DOWNTONERS,
    FORCE,
    FREQUENCY,
    HEDGE_VERB_COMPLEMENTS,
    HEDGE_VERBS,
    HEDGES,
    INTENSIFIERS,
    KNOWN_AS,
    LEAVE,
    LITTLE_MORE,
    MODAL_HEDGES,
    NOT_HEDGE_LIKELY_AFTER,
    OBJECT_OPENERS,
    OPEN_MODALS,
    OUSTED,
    PASSIVE_HEDGE_VERBS,
    POSSIBLE,
    REFUSAL_OBJECTS,
    REFUSE,
    REPORTING_HEDGES,
    SETTLED,
    SETTLED_BEFORE,
    STEP_DOWN,
    UNABLE,
    WILL,
    WILL_NOT,
)
from unspin.lang.en.morphology import NEGATIVE_PREFIXES
from unspin.lang.en.negation import (
    LIMIT_AFTER,
    LIMITING_NEGATORS,
    LITOTES_AFTER_NOT,
    NEGATOR_FORMS,
    NEGATORS,
    NOT_DENYING_AFTER_NO,
    NOT_DENYING_AFTER_NOT,
    NOT_QUASI_AFTER,
    QUASI_NEGATORS,
    SCARCELY,
    SCARCELY_ANY,
    UN_ADJECTIVES,
)
from unspin.lang.en.numbers import (
    ALL_OF,
    APPROXIMATORS,
    BOUND_NUMBER_WORDS,
    LOWER_BOUNDS,
    QUANTIFIER_IDIOM_BEFORE,
    QUANTIFIER_IDIOM_HEADS,
    QUANTIFIERS,
    SOME_OF,
    UPPER_BOUNDS,
)
from unspin.lang.en.patterns import ALL_OF_US, OWN, POSSESSOR
from unspin.lang.en.people import (
    CAPITALISED_ROLES,
    HEARING_BODIES,
    NAME_PHRASE_OPENERS,
    NARRATION_DISTINCT_ROLES,
    NARRATION_ROLE_COMPATIBLE,
    NARRATION_ROLES,
    ORG_NOUNS,
    ORGANISATION_VOICES,
    PERSON_NOUNS,
    PRONOUNS,
    SPEAKER_NAME_TITLES,
    SPEAKS_FOR,
    SUBJECT_PRONOUN_GENDER,
    SUBJECT_PRONOUNS,
    TITLE_GENDER,
)
from unspin.lang.en.stop_words import FUNCTION_WORDS
from unspin.text import Tok, fold, stem, stem_set, tokenize
from unspin.types import Finding, Sentence

# ----------------------------------------------------------------------------------------------
# lexicons (lang.en; stems are compared where a list is matched by stem)

IMPLICIT_NEG = stem_set(negation.IMPLICIT_NEGATORS)  # verbs and adjectives that deny what follows
ABSTRACT = stem_set(negation.ABSTRACT_NOUNS)  # what a quasi-negative quantity denies
BIG, SMALL = stem_set(modality.BIG), stem_set(modality.SMALL)
PARTIAL, TOTAL = stem_set(modality.PARTIAL), stem_set(modality.TOTAL)
TENTATIVE, DECIDED = stem_set(modality.TENTATIVE), stem_set(modality.DECIDED)
SUPPOSE, CLAIM, KNOW = stem_set(modality.SUPPOSE), stem_set(modality.CLAIM), stem_set(modality.KNOW)
SAY_VERBS = stem_set(speech.SAY_VERBS)
_ACCUSE = stem_set(speech.ACCUSE)
_QUESTION = stem_set(speech.QUESTION)


def _pairs() -> list[tuple[frozenset[str], frozenset[str]]]:
    """The antonym pairs as stem sets (a multiword side is the set of its stems), once each."""
    out: dict[tuple[str, str], None] = {}
    for a, b in ANTONYMS:
        sa = frozenset(stem(w) for w in a.split("-")) if "-" in a else frozenset([stem(a)])
        sb = frozenset(stem(w) for w in b.split("-")) if "-" in b else frozenset([stem(b)])
        key = tuple(sorted([" ".join(sorted(sa)), " ".join(sorted(sb))]))
        out[key] = None  # type: ignore[index]
    return [(frozenset(k[0].split()), frozenset(k[1].split())) for k in out]


ANTONYM_PAIRS = _pairs()


# ----------------------------------------------------------------------------------------------
# helpers

@dataclass
class _Reason:
    kind: str  # negation, hedge_added, hedge_removed, intensity, relation, voice, scope
    cand_tok: int | None  # index into the candidate tokens where it shows, if it does
    text: str
    weight: float
    high: bool = False


@dataclass
class _Pair:
    cs: Sentence
    ctoks: list[Tok]
    src: list[Sentence]
    stoks: list[Tok]
    reasons: list[_Reason] = field(default_factory=list)
    neighbours: list[list[Tok]] | None = None


def _words(toks: list[Tok]) -> list[Tok]:
    return [t for t in toks if t.is_word]


def _neg_count(toks: list[Tok]) -> tuple[int, list[int]]:
    idx = []
    words = [t.norm for t in toks]
    for k, t in enumerate(toks):
        w = t.norm
        if w in NEGATORS or w.endswith("n't") or t.stem in IMPLICIT_NEG:
            if w == "nor" and "neither" in words:
                continue
            nxt = next((x.norm for x in toks[k + 1:k + 3] if x.is_word), "")
            if w == "not" and nxt in NOT_DENYING_AFTER_NOT:
                continue  # "not only", "not yet": no denial
            if w == "no" and k + 1 < len(toks) and toks[k + 1].norm in NOT_DENYING_AFTER_NO:
                continue
            if _restricts(toks, k):
                continue  # "nothing but chips", "no more than", "none other than": a limit
            idx.append(k)
        elif w.startswith("un") and len(w) > 5 and _is_negated_adj(w):
            idx.append(k)
    idx = sorted(set(idx) | set(_quasi_negations(toks)))
    return len(idx), idx


def _restricts(toks: list[Tok], k: int) -> bool:
    """'nothing but', 'no more than', 'none other than', 'not only': the word limits or stresses
    what follows; it denies nothing."""
    w = toks[k].norm
    if w not in LIMITING_NEGATORS:
        return False
    nxt = [t.norm for t in toks[k + 1:k + 3]]
    if not nxt or nxt[0] not in LIMIT_AFTER:
        return False
    need = LIMIT_AFTER[nxt[0]]
    return need == ("",) or (len(nxt) > 1 and nxt[1] in need)


def _quasi_negations(toks: list[Tok]) -> list[int]:
    out = []
    for k, t in enumerate(toks):
        if t.norm in QUASI_NEGATORS and not (k and toks[k - 1].norm in NOT_QUASI_AFTER):
            nxt = [x for x in toks[k + 1:k + 3] if x.is_word]
            if nxt and (nxt[0].stem in ABSTRACT or len(nxt) > 1 and nxt[1].stem in ABSTRACT):
                out.append(k)
        elif t.norm in SCARCELY and k + 1 < len(toks) and \
                toks[k + 1].norm in SCARCELY_ANY:
            out.append(k)
    return out


def _is_negated_adj(w: str) -> bool:
    return w[2:] in UN_ADJECTIVES


def _has_stem(toks: list[Tok], stems: frozenset[str]) -> list[int]:
    """Indexes where a word with one of ``stems`` (or the whole multiword stem set) starts."""
    if len(stems) == 1:
        (s,) = tuple(stems)
        return [k for k, t in enumerate(toks) if t.stem == s]
    seq = [t.stem for t in toks]
    out = []
    for k in range(len(seq)):
        window = set(seq[k:k + len(stems) + 1])
        if stems <= window and seq[k] in stems:
            out.append(k)
    return out


# ----------------------------------------------------------------------------------------------
# checks on one pair


def _negated_forms(toks: list[Tok]) -> set[str]:
    """Base words that a side negates by prefix: 'insufficient' -> 'sufficient'."""
    out = set()
    for t in toks:
        for pre in NEGATIVE_PREFIXES:
            if t.norm.startswith(pre) and len(t.norm) > len(pre) + 3:
                out.add(stem(t.norm[len(pre):]))
    return out


def _negation_explained(toks: list[Tok], k: int, other: list[Tok]) -> bool:
    """'not sufficient' ~ 'insufficient', 'not able' ~ 'unable', 'not yet left' ~ 'still in'."""
    after = {t.stem for t in toks[k + 1:k + 4] if t.is_word}
    if after & _negated_forms(other):
        return True
    if toks[k].norm.startswith("un") and _is_negated_adj(toks[k].norm):
        base = stem(toks[k].norm[2:])
        for j, t in enumerate(other):
            if t.stem == base and _negated(other, j):
                return True
    if toks[k].norm == "not" and k + 1 < len(toks) and toks[k + 1].norm == "yet":
        return "still" in {t.norm for t in other}
    return False


def _neighbour_negates(p: _Pair) -> bool:
    """The negation sits in a source sentence next to the linked ones that the candidate merged
    in ('The vehicle was not adapted in any way. One would expect ...')."""
    if p.neighbours is None:
        return False
    cst = {t.stem for t in p.ctoks if t.is_word and t.norm not in FUNCTION_WORDS}
    for toks in p.neighbours:
        n, _ = _neg_count(toks)
        if n and len(cst & {t.stem for t in toks if t.is_word and t.norm not in FUNCTION_WORDS}) >= 2:
            return True
    return False


def _check_negation(p: _Pair) -> None:
    cn, cidx = _neg_count(p.ctoks)
    sn, sidx = _neg_count(p.stoks)
    if (cn == 0) == (sn == 0):
        return
    if cn and not sn:
        k = cidx[0]
        if _negation_explained(p.ctoks, k, p.stoks) or _neighbour_negates(p) or not _rewrites_source(p, k):
            return
        p.reasons.append(_Reason("negation", k, f"the candidate adds a negation ('{p.ctoks[k].text}') "
                                 "the source sentence does not have", 1.0, True))
    else:
        k = sidx[0]
        if _negation_explained(p.stoks, k, p.ctoks):
            return
        if k + 1 < len(p.stoks) and p.stoks[k + 1].norm in LITOTES_AFTER_NOT:
            return  # litotes: "not exactly a secret" ~ "clear"
        kept = _negated_head_kept(p, k)
        if kept is not None:
            p.reasons.append(_Reason("negation", kept, f"the source says '{p.stoks[k].text} "
                                     f"{p.stoks[_head_after(p.stoks, k)].text}'; the candidate drops the "
                                     "negation", 1.0, True))
            return
        p.reasons.append(_Reason("negation", None, f"the source's negation ('{p.stoks[k].text}') is "
                                 "dropped", 0.8, True))


def _head_after(toks: list[Tok], k: int) -> int:
    """The content word a negator denies: 'not disappointed', 'not be allowed', 'never seen'."""
    for j in range(k + 1, min(len(toks), k + 4)):
        t = toks[j]
        if not t.is_word or t.text in _CLAUSE_STOP:
            break
        if t.norm not in FUNCTION_WORDS and t.norm not in COPULAS and t.norm not in INTENSIFIERS:
            return j
    return k


def _negated_head_kept(p: _Pair, k: int) -> int | None:
    """Candidate index of the word the source negated, now said without the negation ('was not
    disappointed' -> 'was bitterly disappointed'), else None."""
    w = p.stoks[k].norm
    if not (w in NEGATORS or w.endswith("n't")):
        return None  # 'unhappy', 'failed', 'little risk' carry their own head
    h = _head_after(p.stoks, k)
    if h == k:
        return None
    target = p.stoks[h].stem
    if any(t.stem == target and j != h and not _negated(p.stoks, j) for j, t in enumerate(p.stoks)):
        return None  # the source also says it without the negation
    sm = difflib.SequenceMatcher(None, [t.stem for t in p.ctoks], [t.stem for t in p.stoks], autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        if size >= 2 and b <= h < b + size and not b <= k < b + size:
            j = a + (h - b)
            if not _negated(p.ctoks, j):
                return j
    return None


def _hedges(toks: list[Tok]) -> list[int]:
    out = []
    for k, t in enumerate(toks):
        w = t.norm
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        if w in HEDGES and not _is_month_may(toks, k):
            if w == "likely" and k and toks[k - 1].norm in NOT_HEDGE_LIKELY_AFTER:
                continue
            out.append(k)
        elif w in HEDGE_VERBS:
            prev = toks[k - 1].norm if k else ""
            if w in PASSIVE_HEDGE_VERBS:
                if prev in BE_FORMS:
                    out.append(k)  # "it is thought", "was said to have": a hedge
            elif nxt in HEDGE_VERB_COMPLEMENTS or t.stem == "seem":
                out.append(k)  # "it appears that", "seemed to", "seemed the only answer"
    return out


def _attributed(toks: list[Tok]) -> bool:
    """A statement given as someone's: said, according to, accused of, charged with."""
    return any(t.stem in SAY_VERBS or t.stem in _ACCUSE or t.norm == "according" for t in toks)


def _clause_content(toks: list[Tok], k: int) -> set[str]:
    """Content stems of the clause around ``toks[k]`` (between punctuation marks)."""
    def stop(i: int) -> bool:
        t = toks[i]
        if t.text == "-":
            return i > 0 and toks[i - 1].end < t.start
        return t.text in _CLAUSE_STOP or t.text == "."

    a, b = k, k + 1
    while a > 0 and not stop(a - 1):
        a -= 1
    while b < len(toks) and not stop(b):
        b += 1
    return {t.stem for t in toks[a:b] if t.is_word and t.norm not in FUNCTION_WORDS and t.norm not in HEDGES
            and t.norm not in NEGATORS and t.stem not in IMPLICIT_NEG and t.norm not in QUASI_NEGATORS
            and t.norm not in LINKERS and t.stem not in SAY_VERBS and t.norm not in REFUSE}


def _rewrites_source(p: _Pair, k: int) -> bool:
    """The candidate clause at ``k`` restates linked source content (not material from elsewhere,
    which is a claim, not a shift)."""
    words = _clause_content(p.ctoks, k)
    if not words:
        return False
    return len(words & {t.stem for t in p.stoks}) >= 0.4 * len(words)


def _kept_in_candidate(p: _Pair, k: int) -> bool:
    """What the source hedged is still in the candidate: the words it hedges reappear."""
    after = []
    for t in p.stoks[k + 1:k + 8]:
        if t.text in _CLAUSE_STOP or t.text in (".", "?", "!"):
            break  # the hedge's scope ends with its clause
        if t.is_word and t.norm not in FUNCTION_WORDS and t.norm not in HEDGES:
            after.append(t.stem)
    return bool(set(after[:3]) & {t.stem for t in p.ctoks})


def _check_hedges(p: _Pair) -> None:
    ch = _hedges(p.ctoks)
    sh = _hedges(p.stoks)
    # "was said to have" ~ "allegedly" ~ an attribution: a reported claim either way
    c_reports = any(p.ctoks[k].norm in REPORTING_HEDGES for k in ch) or _attributed(p.ctoks)
    s_reports = any(p.stoks[k].norm in REPORTING_HEDGES for k in sh) or _attributed(p.stoks)
    if c_reports:
        sh = [k for k in sh if p.stoks[k].norm not in REPORTING_HEDGES]
    if s_reports:
        ch = [k for k in ch if p.ctoks[k].norm not in REPORTING_HEDGES]
    if any(t.norm in APPROXIMATORS for t in p.stoks):
        ch = [k for k in ch if p.ctoks[k].norm not in APPROXIMATORS]
    if any(t.norm in APPROXIMATORS for t in p.ctoks):
        sh = [k for k in sh if p.stoks[k].norm not in APPROXIMATORS]
    cst = {p.ctoks[k].stem for k in ch}
    sst = {p.stoks[k].stem for k in sh}
    if len(ch) > len(sh):
        new = [k for k in ch if p.ctoks[k].stem not in sst and _rewrites_source(p, k)]
        if new:
            k = new[0]
            weight = 0.6 if p.ctoks[k].norm in MODAL_HEDGES else 1.0
            sure = [j for j in _certainty(p.stoks) if p.stoks[j].norm not in {t.norm for t in p.ctoks}]
            if sure:  # 'it was perfectly plain her motive was' -> 'her motive may have been'
                weight = 1.0
            p.reasons.append(_Reason("hedge_added", k, f"the candidate hedges ('{p.ctoks[k].text}') where "
                                     "the source is categorical", weight))
    elif len(sh) > len(ch):
        gone = [k for k in sh if p.stoks[k].stem not in cst and _kept_in_candidate(p, k)]
        if gone and not any(t.norm in OPEN_MODALS for t in p.ctoks):
            k = gone[0]
            weight = 0.6 if p.stoks[k].norm in MODAL_HEDGES else 1.0
            p.reasons.append(_Reason("hedge_removed", None, f"the source's hedge ('{p.stoks[k].text}') is "
                                     "dropped, so the candidate states it as certain", weight))


def _is_month_may(toks: list[Tok], k: int) -> bool:
    return toks[k].norm == "may" and toks[k].cap and k > 0


def _check_intensity(p: _Pair) -> None:
    cst = {t.stem for t in p.ctoks}
    sst = {t.stem for t in p.stoks}
    # size and degree adjectives turned round
    cb = [k for k, t in enumerate(p.ctoks) if t.stem in BIG]
    csml = [k for k, t in enumerate(p.ctoks) if t.stem in SMALL and not _little_more(p.ctoks, k)]
    sb = [t for t in p.stoks if t.stem in BIG]
    ssml = [k for k, t in enumerate(p.stoks) if t.stem in SMALL and not _little_more(p.stoks, k)]
    if sb and csml and not cb and not ssml:
        k = csml[0]
        p.reasons.append(_Reason("intensity", k, f"'{sb[0].text}' in the source becomes "
                                 f"'{p.ctoks[k].text}'", 1.0))
    elif ssml and cb and not csml and not sb:
        k = cb[0]
        p.reasons.append(_Reason("intensity", k, f"'{p.stoks[ssml[0]].text}' in the source becomes "
                                 f"'{p.ctoks[k].text}'", 1.0))
    # quantifiers
    cq = _quants(p.ctoks)
    sq = _quants(p.stoks)
    if cq and sq:
        k, lvl = cq[0]
        slv = [x for _, x in sq]
        if all(abs(lvl - x) >= 1 for x in slv) and p.ctoks[k].norm not in {t.norm for t in p.stoks}:
            s_word = p.stoks[sq[0][0]].text
            p.reasons.append(_Reason("intensity", k, f"'{s_word}' in the source becomes "
                                     f"'{p.ctoks[k].text}'", 0.9))
    # intensifier dropped next to a changed word, or added
    ci = [k for k, t in enumerate(p.ctoks) if t.norm in INTENSIFIERS]
    si = [k for k, t in enumerate(p.stoks) if t.norm in INTENSIFIERS]
    cd = [k for k, t in enumerate(p.ctoks) if t.norm in DOWNTONERS]
    sd = [k for k, t in enumerate(p.stoks) if t.norm in DOWNTONERS]
    if si and not ci and not sd and (cd or not (cst >= sst)):
        w = p.stoks[si[0]].text
        if cd:
            p.reasons.append(_Reason("intensity", cd[0], f"'{w}' in the source is toned down to "
                                     f"'{p.ctoks[cd[0]].text}'", 0.9))
        else:
            p.reasons.append(_Reason("intensity", None, f"the source's '{w}' is dropped", 0.4))
    elif cd and not sd and not ci:
        p.reasons.append(_Reason("intensity", cd[0], f"the candidate tones the statement down with "
                                 f"'{p.ctoks[cd[0]].text}'", 0.5))


def _check_degree(p: _Pair) -> None:
    """How often, how much of it, how settled: 'occasional' -> 'regularly', 'blame split' ->
    'full responsibility', 'considering whether to' -> 'has decided to'."""
    sw = {t.norm for t in p.stoks}
    cst = {t.stem for t in p.ctoks}
    sst = {t.stem for t in p.stoks}
    cf = [(k, FREQUENCY[t.norm]) for k, t in enumerate(p.ctoks) if t.norm in FREQUENCY and t.norm != "never"]
    sf = [(k, FREQUENCY[t.norm]) for k, t in enumerate(p.stoks) if t.norm in FREQUENCY and t.norm != "never"]
    new = [(k, lvl) for k, lvl in cf if p.ctoks[k].norm not in sw]
    if new:
        k, lvl = new[0]
        if sf and all(abs(lvl - x) >= 2 for _, x in sf):  # both say how often: no other anchor needed
            p.reasons.append(_Reason("intensity", k, f"'{p.stoks[sf[0][0]].text}' in the source becomes "
                                     f"'{p.ctoks[k].text}'", 1.0))
            return
        # a frequency added where the source gives none is too often a fair reading ('frequented'
        # -> 'often visited', 'day-to-day' -> 'daily') to count on its own
    ct = [k for k, t in enumerate(p.ctoks) if t.stem in TOTAL and t.stem not in sst]
    sp = [k for k, t in enumerate(p.stoks) if t.stem in PARTIAL and t.norm != "some"]
    if ct and sp and not any(t.stem in TOTAL for t in p.stoks) and _rewrites_source(p, ct[0]):
        p.reasons.append(_Reason("intensity", ct[0], f"'{p.stoks[sp[0]].text}' in the source becomes "
                                 f"'{p.ctoks[ct[0]].text}'", 1.0, True))
        return
    for a, b, kind in ((TENTATIVE, DECIDED, "hedge_removed"), (DECIDED, TENTATIVE, "hedge_added")):
        sk = [k for k, t in enumerate(p.stoks) if t.stem in a and not _negated(p.stoks, k)]
        ck = [k for k, t in enumerate(p.ctoks)
              if t.stem in b and t.stem not in sst and not _negated(p.ctoks, k)]
        if sk and ck and not (cst & a) and _rewrites_source(p, ck[0]):
            p.reasons.append(_Reason(kind, ck[0], f"'{p.stoks[sk[0]].text}' in the source becomes "
                                     f"'{p.ctoks[ck[0]].text}'", 1.0))
            return


def _certainty(toks: list[Tok]) -> list[int]:
    """Words that give the statement as certain, not denied ('not clear' is doubt)."""
    out = []
    for k, t in enumerate(toks):
        adv = t.norm in CERTAIN_ADV or (t.norm == "doubt" and k and toks[k - 1].norm == "no")
        adj = t.norm in CERTAIN_ADJ and k and toks[k - 1].norm in COPULA_OR_DEGREE
        if adv or adj and not _negated(toks, k):
            out.append(k)
    return out


def _check_epistemic(p: _Pair) -> None:
    """'had suspected X might be' -> 'had known X was' and back: belief turned into knowledge."""
    def find(toks: list[Tok], lex: frozenset[str]) -> list[int]:
        return [k for k, t in enumerate(toks) if t.stem in lex and not _negated(toks, k)
                and not (t.norm == "known" and k + 1 < len(toks) and toks[k + 1].norm in KNOWN_AS)]

    sup_s, sup_c = find(p.stoks, SUPPOSE | CLAIM), find(p.ctoks, SUPPOSE | CLAIM)
    know_s, know_c = find(p.stoks, KNOW), find(p.ctoks, KNOW)
    if sup_s and know_c and not sup_c and not know_s and _rewrites_source(p, know_c[0]):
        k = know_c[0]
        p.reasons.append(_Reason("hedge_removed", k, f"'{p.stoks[sup_s[0]].text}' in the source becomes "
                                 f"'{p.ctoks[k].text}', a belief or claim given as knowledge", 1.0))
    sup_c = [k for k in sup_c if p.ctoks[k].stem not in CLAIM]
    if know_s and sup_c and not know_c and not sup_s and _rewrites_source(p, sup_c[0]):
        k = sup_c[0]
        p.reasons.append(_Reason("hedge_added", k, f"'{p.stoks[know_s[0]].text}' in the source becomes "
                                 f"'{p.ctoks[k].text}', knowledge given as a suspicion", 1.0))


# bounds on a figure: 'no more than 40' (a ceiling) vs 'at least 40' (a floor), longest first
_BOUNDS = sorted([(tuple(b.split()), "upper") for b in UPPER_BOUNDS]
                 + [(tuple(b.split()), "lower") for b in LOWER_BOUNDS], key=lambda x: -len(x[0]))


_BOUNDS_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _b in _BOUNDS:
    _BOUNDS_BY_FIRST.setdefault(_b[0][0], []).append(_b)


def _bounds(toks: list[Tok]) -> list[tuple[int, str, str]]:
    """(index, 'upper'/'lower', the figure) for each bound phrase followed by a figure."""
    out = []
    k = 0
    norms = [t.norm for t in toks]
    while k < len(toks):
        for words, kind in _BOUNDS_BY_FIRST.get(norms[k], ()):  # longest first, as in _BOUNDS
            if tuple(norms[k:k + len(words)]) == words:
                end = k + len(words)
                for t in toks[end:end + 5]:
                    if t.is_num or t.norm in BOUND_NUMBER_WORDS:
                        out.append((k, kind, t.norm))
                        break
                    if t.text in (".", ";", ",", ":"):
                        break  # the bound's figure sits in its own phrase
                k = end - 1
                break
        k += 1
    return out


def _check_bounds(p: _Pair) -> None:
    sb = _bounds(p.stoks)
    for k, kind, num in _bounds(p.ctoks):
        same = [x for x in sb if x[2] == num]
        if same and all(x[1] != kind for x in same):
            j = same[0][0]
            stext = " ".join(t.text for t in p.stoks[j:j + 3])
            ctext = " ".join(t.text for t in p.ctoks[k:k + 2])
            what = "a floor" if kind == "lower" else "a ceiling"
            p.reasons.append(_Reason("bound", k, f"the source's bound ('{stext}') becomes {what} "
                                     f"('{ctext} {num}')", 1.0, True))
            return


def _leaving(toks: list[Tok]) -> list[int]:
    """Leaving a post: 'retired', 'resigned', 'quit', 'stepped down' (not leaving a room)."""
    return [k for k, t in enumerate(toks) if t.norm in LEAVE or t.norm in STEP_DOWN
            and k + 1 < len(toks) and toks[k + 1].norm == "down"]


def _check_forced(p: _Pair) -> None:
    """'retired on grounds of ill-health' -> 'was forced to resign' (and back)."""
    def forced(toks: list[Tok]) -> list[int]:
        out = []
        for k, t in enumerate(toks):
            if t.norm in OUSTED and not _negated(toks, k) and not (k + 1 < len(toks) and
                                                                  toks[k + 1].norm in OBJECT_OPENERS):
                out.append(k)  # 'was sacked', not 'dismissed the appeal'
            elif t.norm in FORCE and any(k < j <= k + 4 for j in _leaving(toks)) and not _negated(toks, k):
                out.append(k)  # 'forced to resign', 'pushed into retirement'
        return out

    leave_s, leave_c = _leaving(p.stoks), _leaving(p.ctoks)
    fs, fc = forced(p.stoks), forced(p.ctoks)
    if fc and not fs and leave_s and _rewrites_source(p, fc[0]):
        k = fc[0]
        p.reasons.append(_Reason("relation", k, f"the source says '{p.stoks[leave_s[0]].text}'; the "
                                 f"candidate says '{p.ctoks[k].text}', leaving made involuntary", 1.0, True))
    elif fs and not fc and leave_c and not leave_s and _rewrites_source(p, leave_c[0]):
        k = leave_c[0]
        p.reasons.append(_Reason("relation", k, f"the source says '{p.stoks[fs[0]].text}'; the candidate "
                                 f"says '{p.ctoks[k].text}', as if by choice", 1.0, True))


def _inability(toks: list[Tok]) -> list[int]:
    out = []
    for k, t in enumerate(toks):
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        if t.norm in UNABLE or \
                (t.norm in CAN and nxt == "not") or (t.norm == "not" and nxt == "able"):
            out.append(k)
    return out


def _refusal(toks: list[Tok]) -> list[int]:
    out = []
    for k, t in enumerate(toks):
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        near = {x.norm for x in toks[max(0, k - 2):k]}  # 'never refused', not 'could not X and refused'
        refuses = t.norm in REFUSE and nxt in REFUSAL_OBJECTS and not near & NEGATOR_FORMS
        if refuses or t.norm in WILL_NOT or (t.norm in WILL and nxt == "not"):
            out.append(k)
    return out


def _check_refusal(p: _Pair) -> None:
    """'could not account for' -> 'refused to explain': not able becomes not willing."""
    rs, rc = _refusal(p.stoks), _refusal(p.ctoks)
    ins, inc = _inability(p.stoks), _inability(p.ctoks)
    if rc and not rs and ins and _rewrites_source(p, rc[0]):
        k = rc[0]
        said = " ".join(t.text for t in p.stoks[ins[0]:ins[0] + 2])
        p.reasons.append(_Reason("relation", k, f"the source says '{said}'; the candidate says "
                                 f"'{p.ctoks[k].text}', inability made refusal", 1.0, True))
    elif rs and not rc and inc and len(inc) > len(ins) and _rewrites_source(p, inc[0]):
        k = inc[0]
        p.reasons.append(_Reason("relation", k, f"the source says '{p.stoks[rs[0]].text}'; the candidate "
                                 f"says '{p.ctoks[k].text}', refusal made inability", 1.0, True))


def _little_more(toks: list[Tok], k: int) -> bool:
    """'little more than' is a quantity, not a size."""
    return toks[k].norm == "little" and k + 1 < len(toks) and toks[k + 1].norm in LITTLE_MORE


def _quants(toks: list[Tok]) -> list[tuple[int, int]]:
    out = []
    for k, t in enumerate(toks):
        w = t.norm
        if w not in QUANTIFIERS:
            continue
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        prev = toks[k - 1].norm if k else ""
        if w == "number" and not (prev == "a" and nxt == "of"):
            continue
        if w in QUANTIFIER_IDIOM_HEADS and prev in QUANTIFIER_IDIOM_BEFORE:
            continue  # "at all", "the most", "for some time"
        if w == "most" and nxt and toks[k + 1].is_word and nxt != "of" and not nxt.endswith("s"):
            continue  # "most important": a superlative
        if w == "few" and prev == "a":
            out.append((k, 1))
            continue
        out.append((k, QUANTIFIERS[w]))
    return out


_PAIRS_BY_STEM: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = {}
for _a, _b in ANTONYM_PAIRS:
    for _s in _a | _b:
        _PAIRS_BY_STEM.setdefault(_s, []).append((_a, _b))


def _check_antonyms(p: _Pair) -> None:
    cst = {t.stem for t in p.ctoks}
    sst = {t.stem for t in p.stoks}
    pairs = {pair for s in cst - sst for pair in _PAIRS_BY_STEM.get(s, ())}
    for a, b in sorted(pairs, key=lambda ab: ANTONYM_PAIRS.index(ab)):
        for x, y in ((a, b), (b, a)):
            if x <= sst and y <= cst and not (y <= sst) and (not (x <= cst) or _object_moved(p, x, y)):
                idx = _has_stem(p.ctoks, y)
                sx = _has_stem(p.stoks, x)
                if not idx or not sx or _negated(p.ctoks, idx[0]) or _negated(p.stoks, sx[0]):
                    continue
                k = idx[0]
                sw = p.stoks[sx[0]].text if sx else " ".join(sorted(x))
                p.reasons.append(_Reason("relation", k, f"'{sw}' in the source becomes the opposite, "
                                         f"'{p.ctoks[k].text}'", 1.0, True))
                return


def _object(toks: list[Tok], k: int, n: int = 3) -> list[str]:
    """The first content stems after ``toks[k]`` in its clause: what a verb is about."""
    out = []
    for t in toks[k + 1:k + 12]:
        if t.text in _CLAUSE_STOP or t.text in (".", "?", "!") or t.norm in COORDINATORS:
            break
        if t.is_word and t.norm not in FUNCTION_WORDS and not t.is_num:
            out.append(t.stem)
            if len(out) == n:
                break
    return out


def _object_moved(p: _Pair, x: frozenset[str], y: frozenset[str]) -> bool:
    """Both words are in the candidate, but what the source's word governs now follows the
    opposite one: 'denies three counts of obtaining X' -> 'admits obtaining X but denies the
    rest'."""
    if len(x) != 1 or len(y) != 1:
        return False
    sobj = {w for k in _has_stem(p.stoks, x) for w in _object(p.stoks, k, 6)}
    for k in _has_stem(p.ctoks, y):
        cobj = _object(p.ctoks, k)
        if len(cobj) >= 2 and len(set(cobj) & sobj) >= 2:
            xs = _has_stem(p.ctoks, x)
            kept = [_object(p.ctoks, j) for j in xs]
            # the source's word must stand in a clause of its own ('admits X but denies the
            # rest'), not inside the object ('lost the damages he won')
            apart = all(any(t.norm in CONTRASTS or t.text in (",", ";")
                            for t in p.ctoks[min(j, k) + 1:max(j, k)]) for j in xs)
            if apart and not any(len(set(o) & set(cobj)) >= 2 for o in kept):
                return True
    return False


def _negated(toks: list[Tok], k: int) -> bool:
    """A negator before ``toks[k]`` in its clause: 'not able', 'neither side had been able'."""
    j = k - 1
    while j >= 0 and k - j <= 6 and toks[j].text not in _CLAUSE_STOP and toks[j].text not in (".", "?", "!"):
        t = toks[j]
        if (t.norm in NEGATORS or t.norm.endswith("n't")) and not _restricts(toks, j):
            return True
        j -= 1
    return False


def _check_voice(p: _Pair) -> None:
    """Agent and patient swapped: 'scared by Mr Horton' -> 'scared Mr Horton' and back."""
    def by_agents(toks: list[Tok]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for k in range(len(toks) - 2):
            if toks[k].is_word and toks[k + 1].norm == "by" and toks[k].norm not in FUNCTION_WORDS:
                out.setdefault(toks[k].stem, set()).update(_np_heads(toks, k + 2))
        return out

    def objects(toks: list[Tok]) -> dict[str, tuple[int, set[str]]]:
        out: dict[str, tuple[int, set[str]]] = {}
        for k in range(len(toks) - 1):
            if toks[k].is_word and toks[k].norm not in FUNCTION_WORDS and toks[k + 1].norm != "by":
                heads = _np_heads(toks, k + 1)
                if heads:
                    out.setdefault(toks[k].stem, (k, set()))[1].update(heads)
        return out

    s_by, c_by = by_agents(p.stoks), by_agents(p.ctoks)
    c_obj, s_obj = objects(p.ctoks), objects(p.stoks)
    for v, agents in s_by.items():
        if v in c_obj and agents & c_obj[v][1] and not (v in c_by and agents & c_by[v]):
            k = c_obj[v][0]
            who = sorted(agents & c_obj[v][1])[0].title()
            p.reasons.append(_Reason("voice", k, f"in the source {who} is the one who did the "
                                     f"'{p.ctoks[k].text}'; the candidate makes {who} the one it was "
                                     "done to", 1.0, True))
            return
    for v, agents in c_by.items():
        if v in s_obj and agents & s_obj[v][1] and not (v in s_by and agents & s_by[v]):
            k = next((i for i, t in enumerate(p.ctoks) if t.stem == v), None)
            who = sorted(agents & s_obj[v][1])[0].title()
            p.reasons.append(_Reason("voice", k, f"in the source {who} is the one the "
                                     f"'{p.ctoks[k].text if k is not None else v}' was done to; the "
                                     f"candidate makes {who} the one who did it", 1.0, True))
            return


def _np_heads(toks: list[Tok], k: int) -> set[str]:
    """Capitalised name words of a noun phrase starting at ``k`` (after optional titles)."""
    heads: set[str] = set()
    while k < len(toks) and toks[k].norm in NAME_PHRASE_OPENERS:
        k += 1
    while k < len(toks) and toks[k].is_word and toks[k].cap and toks[k].norm not in FUNCTION_WORDS:
        heads.add(toks[k].norm)
        k += 1
    return heads


def _group_after(toks: list[Tok], k: int) -> str:
    """The noun of 'one of the alleged victims': the first content stem after 'of'."""
    if k + 1 >= len(toks) or toks[k + 1].norm != "of":
        return ""
    head = ""
    for t in toks[k + 2:k + 7]:
        if not t.is_word or t.norm in FUNCTION_WORDS:
            if head:
                break
            continue
        head = t.stem
    return head


def _check_scope(p: _Pair) -> None:
    """'all of us' widened to 'all Americans' (or a group named where the source had a pronoun);
    'at least one of the victims' widened to 'both of the victims'."""
    some = {_group_after(p.stoks, k) for k, t in enumerate(p.stoks) if t.norm in SOME_OF} - {""}
    csome = {_group_after(p.ctoks, k) for k, t in enumerate(p.ctoks) if t.norm in SOME_OF} - {""}
    sall = {_group_after(p.stoks, k) for k, t in enumerate(p.stoks) if t.norm in ALL_OF} - {""}
    for k, t in enumerate(p.ctoks):
        if t.norm in ALL_OF:
            g = _group_after(p.ctoks, k)
            if g and g in some and g not in csome and g not in sall:
                p.reasons.append(_Reason("scope", k, f"the source speaks of some of the {g}s; the candidate "
                                         f"says '{t.text} of' them", 1.0))
                return
    stext = " ".join(t.norm for t in p.stoks)
    if not ALL_OF_US.search(stext):
        return
    for k, t in enumerate(p.ctoks[:-1]):
        nxt = p.ctoks[k + 1]
        if t.norm == "all" and nxt.is_word and nxt.norm not in FUNCTION_WORDS and nxt.norm != "of" \
                and nxt.stem not in {x.stem for x in p.stoks}:
            p.reasons.append(_Reason("scope", k, f"'all of us' in the source becomes 'all {nxt.text}'", 0.9))
            return


# ----------------------------------------------------------------------------------------------
# attribution of narrated statements


@dataclass(frozen=True)
class Speaker:
    key: str  # surname or role word, lower case
    kind: str  # name, role, pronoun
    gender: str | None = None
    tok: int = -1  # token index of the key word


def _speaker_at(toks: list[Tok], k: int) -> Speaker | None:
    """The speaker of the attribution verb at ``toks[k]``: 'Mr Barry Berlin, prosecuting, said',
    'told by Mr Paton's secretary', '..., Mr Hamer added', 'said the judge', 'According to X'."""
    # passive agent: "told by X"
    if k + 1 < len(toks) and toks[k + 1].norm == "by":
        return _np_speaker(toks, k + 2, forward=True)
    # left subject, skipping one parenthetical ", role," and adverbs
    j = k - 1
    while j >= 0 and toks[j].is_word and toks[j].norm.endswith("ly") and toks[j].norm not in ONLY \
            and not (toks[j].cap and j > 0):  # an adverb, not 'Mr Kelly'
        j -= 1
    while j >= 0 and toks[j].norm in SPEAKER_FILLERS:
        j -= 1
    if j >= 0 and toks[j].text == ",":
        # ", prosecuting, said" or ", counsel for X, said": step back over one parenthetical
        m = j - 1
        while m >= 0 and toks[m].text != "," and j - m < 8:
            m -= 1
        if m >= 0 and toks[m].text == "," and all(t.text[:1].islower() or t.cap for t in toks[m + 1:j]):
            inner = [t for t in toks[m + 1:j] if t.is_word]
            if inner and all(not t.cap for t in inner[:1]) and inner[0].norm in NARRATION_ROLES:
                j = m - 1
        else:
            return None
    if j < 0:
        return None
    return _np_speaker(toks, j, forward=False)


def _np_speaker(toks: list[Tok], j: int, forward: bool) -> Speaker | None:
    """Name or role whose last word is at ``j`` (forward=False) or that starts at ``j``."""
    if forward:
        k = j
        while k < len(toks) and toks[k].norm in NP_OPENERS:
            k += 1
        run: list[int] = []
        while k < len(toks) and toks[k].is_word and (toks[k].cap or toks[k].norm in NARRATION_ROLES):
            run.append(k)
            if toks[k].text.lower().endswith("'s") and k + 1 < len(toks) and toks[k + 1].is_word:
                # "Mr Paton's secretary": the speaker is the secretary
                k += 1
                run = [k]
                break
            k += 1
        if not run:
            if k < len(toks) and toks[k].is_word and toks[k].norm in NARRATION_ROLES:
                return Speaker(toks[k].norm, "role", None, k)
            return None
        return _mk_speaker(toks, run)
    t = toks[j]
    if t.norm in PRONOUNS and not t.cap or t.norm in SUBJECT_PRONOUNS:
        g = SUBJECT_PRONOUN_GENDER.get(t.norm)
        return Speaker(t.norm, "pronoun", g, j)
    if t.norm in NARRATION_ROLES and not t.cap:
        return Speaker(t.norm, "role", None, j)
    if t.norm in ORG_NOUNS and not t.cap:
        return Speaker(t.norm, "org", None, j)
    if not (t.is_word and t.cap):
        return None
    run = [j]
    while run[0] - 1 >= 0 and toks[run[0] - 1].is_word and toks[run[0] - 1].cap:
        run.insert(0, run[0] - 1)
    # "his supervisor at Rockwater told", "a spokesman for the firm said": the noun speaks
    h = run[0] - 1
    while h >= 0 and toks[h].norm in ARTICLES:
        h -= 1
    if h >= 1 and toks[h].norm in OF_PREPOSITIONS and not toks[h - 1].cap:
        head = toks[h - 1].norm
        if head in NARRATION_ROLES or head in PERSON_NOUNS:
            return Speaker(head, "role", None, h - 1)
    return _mk_speaker(toks, run)


def _mk_speaker(toks: list[Tok], run: list[int]) -> Speaker | None:
    words = [toks[i] for i in run]
    gender = next((TITLE_GENDER[w.norm] for w in words if w.norm in TITLE_GENDER), None)
    names = [i for i in run if toks[i].norm not in SPEAKER_NAME_TITLES
             and toks[i].norm not in NARRATION_ROLES]
    if not names:
        roles = [i for i in run if toks[i].norm in NARRATION_ROLES]
        if roles:
            return Speaker(toks[roles[-1]].norm, "role", gender, roles[-1])
        return None
    last = names[-1]
    if toks[last].norm in FUNCTION_WORDS:
        return None
    if not toks[last].cap:  # a description: "his secretary"
        if toks[last].norm in NARRATION_ROLES or toks[last].norm in PERSON_NOUNS:
            return Speaker(toks[last].norm, "role", gender, last)
        return None
    return Speaker(toks[last].norm, "name", gender, last)


def _speakers(toks: list[Tok]) -> list[Speaker]:
    out = []
    for k, t in enumerate(toks):
        if t.stem not in SAY_VERBS or not t.is_word:
            continue
        prev = toks[k - 1] if k else None
        if prev is not None and (prev.norm in NOUN_MARKERS
                                 or prev.text.lower().endswith("'s")):
            continue  # a noun: "the claim", "Playboy's claim"
        if t.norm == "heard":
            continue  # "the court heard": no speaker
        sp = _speaker_at(toks, k)
        if sp is not None and sp.key not in HEARING_BODIES:
            out.append(sp)
    # "According to X"
    for k in range(len(toks) - 2):
        if toks[k].norm == "according" and toks[k + 1].norm == "to":
            sp = _np_speaker(toks, k + 2, forward=True)
            if sp:
                out.append(sp)
    return out


class _Roles:
    """Which role words each name is given in the texts ('George Hamer, counsel for ...')."""

    def __init__(self, token_lists: list[list[Tok]]) -> None:
        self.roles: dict[str, set[str]] = {}
        # words that are names: capitalised inside a sentence, or right after a title
        self.proper: set[str] = set()
        for toks in token_lists:
            for k, t in enumerate(toks):
                if t.is_word and t.cap and k > 0 and (toks[k - 1].is_word or toks[k - 1].text == ","):
                    self.proper.add(t.norm)
        self.near: dict[str, set[str]] = {}
        for toks in token_lists:
            for k, t in enumerate(toks):
                if not (t.is_word and t.cap) or t.norm in SPEAKER_NAME_TITLES or t.norm in FUNCTION_WORDS:
                    continue
                if t.text.lower().endswith("'s"):
                    continue  # "Mr Paton's secretary" says nothing about Mr Paton's role
                self.near.setdefault(t.norm, set()).update(
                    x.norm for x in toks[max(0, k - 5):k + 6] if x.is_word and not x.cap)
                for d in range(-4, 6):
                    m = k + d
                    if d == 0 or not 0 <= m < len(toks):
                        continue
                    w = toks[m].norm
                    if w in NARRATION_ROLES or (toks[m].cap and w in CAPITALISED_ROLES):
                        between = toks[min(k, m) + 1:max(k, m)]
                        if any(b.is_word and b.cap and b.norm not in SPEAKER_NAME_TITLES
                               and b.norm not in NARRATION_ROLES for b in between) \
                                and not all(b.is_word and b.cap for b in between):
                            continue  # another name in between, not one name's forenames
                        if any(b.text.lower().endswith("'s") for b in between):
                            continue
                        self.roles.setdefault(t.norm, set()).add(NARRATION_ROLES.get(w, "judge"))

    def compatible(self, a: Speaker, b: Speaker) -> bool | None:
        """True same speaker, False different, None cannot tell."""
        if a.kind == "pronoun" or b.kind == "pronoun":
            return None
        if "org" in (a.kind, b.kind):
            org, other = (a, b) if a.kind == "org" else (b, a)
            if other.kind == "org":
                return True if org.key == other.key else None
            if other.kind == "role" and other.key not in SPEAKS_FOR and \
                    NARRATION_ROLES.get(other.key) not in ORGANISATION_VOICES:
                return False  # a supervisor, a witness: not the company's own voice
            return None
        if a.kind == b.kind == "name":
            return a.key == b.key and not (a.gender and b.gender and a.gender != b.gender)
        if a.kind == b.kind == "role":
            ca, cb = NARRATION_ROLES.get(a.key), NARRATION_ROLES.get(b.key)
            return ca == cb or frozenset((ca, cb)) in NARRATION_ROLE_COMPATIBLE or a.key == b.key
        name, role = (a, b) if a.kind == "name" else (b, a)
        rc = NARRATION_ROLES.get(role.key)
        if rc is None:  # a description the lexicon does not know: is the name ever given it?
            return role.key in self.near.get(name.key, set())
        have = self.roles.get(name.key, set())
        if not have:
            return False if rc in NARRATION_DISTINCT_ROLES else None
        return rc in have or any(frozenset((rc, h)) in NARRATION_ROLE_COMPATIBLE for h in have)


def _quote_speaker(ctx: Context, s: Sentence) -> Speaker | None:
    for q in ctx.sources[s.doc].quotes:
        if s.start <= q.start < s.end and q.speaker:
            toks = [t for t in _tok_text(q.speaker) if t.is_word]
            if not toks:
                continue
            sp = _mk_speaker(toks, list(range(len(toks))))
            if sp is None and toks[-1].norm in NARRATION_ROLES:
                return Speaker(toks[-1].norm, "role")
            if sp is not None and sp.kind == "name" and toks[-1].norm in NARRATION_ROLES:
                return sp
            if sp is None:
                head = toks[-1].norm
                return Speaker(head, "role" if head in NARRATION_ROLES else "name")
            return sp
    return None


def _tok_text(text: str) -> list[Tok]:
    return tokenize(text)


def _source_speakers(ctx: Context, srcs: list[Sentence], cache: dict) -> list[Speaker]:
    out = []
    for s in srcs:
        key = (s.doc, s.start)
        if key not in cache:
            toks = ctx.analysis.source_tokens(s)
            sp = [x for x in _speakers(toks) if x.kind != "pronoun"]
            pron = [x for x in _speakers(toks) if x.kind == "pronoun"]
            if not sp:
                q = _quote_speaker(ctx, s)
                if q is not None:
                    sp = [q]
            if not sp and pron:
                prev = _previous_speaker(ctx, s, pron[0].gender)
                if prev is not None:
                    sp = [prev]
            cache[key] = sp
        out += cache[key]
    return out


def _previous_speaker(ctx: Context, s: Sentence, gender: str | None) -> Speaker | None:
    """The last named speaker before ``s`` in its document, of the pronoun's gender."""
    sents = [x for x in ctx.src_sentences if x.doc == s.doc and x.start < s.start]
    for prev in reversed(sents[-4:]):
        toks = ctx.analysis.source_tokens(prev)
        cands = [x for x in _speakers(toks) if x.kind != "pronoun"]
        if not cands:
            q = _quote_speaker(ctx, prev)
            cands = [q] if q else []
        for sp in reversed(cands):
            if gender is None or sp.gender in (None, gender):
                return sp
    return None


def _continued_speaker(ctx: Context, p: _Pair, csp: list[Speaker]) -> list[Speaker]:
    """Reported speech that runs on without a verb of its own ('But she was now ashamed ...'
    after 'Mr X, defending, said ...'), rewritten as the person talked about speaking ('Y told
    the court she was ...'): the statement is still the earlier speaker's. Only when the
    candidate's speaker is followed by the pronoun the source sentence uses for that person."""
    c = csp[0]
    after = [t.norm for t in p.ctoks[c.tok + 1:c.tok + 6] if t.is_word]
    pron = next((w for w in after if w in SUBJECT_PRONOUN_GENDER), None)
    if pron is None or pron not in {t.norm for t in p.stoks[:6]}:
        return []
    first = p.src[0]
    sents = [x for x in ctx.src_sentences if x.doc == first.doc and x.start < first.start]
    gender = None
    for prev in reversed(sents[-6:]):
        toks = ctx.analysis.source_tokens(prev)
        found = _speakers(toks)
        named = [x for x in found if x.kind != "pronoun"]
        if not named:
            q = _quote_speaker(ctx, prev)
            named = [q] if q is not None and q.kind != "pronoun" else []
        named = [x for x in named if gender is None or x.gender in (None, gender)]
        if named:
            return [named[-1]]
        pro = [x for x in found if x.kind == "pronoun" and x.gender]
        if pro and gender is None:
            gender = pro[-1].gender
            if gender == SUBJECT_PRONOUN_GENDER[pron]:
                return []  # the earlier speaker is the person talked about
    return []


def _src_range(src: list[Sentence]) -> tuple[int, int, int]:
    """(doc, start, end) over the linked source sentences of the first source document."""
    same = [s for s in src if s.doc == src[0].doc]
    return src[0].doc, same[0].start, same[-1].end


def _attribution(ctx: Context, p: _Pair, roles: _Roles, cache: dict) -> Finding | None:
    if any(t.stem in _QUESTION for t in p.ctoks) or any(t.stem in _QUESTION for t in p.stoks):
        return None  # an exchange: who asked and who answered is not one speaker
    csp = [x for x in _speakers(p.ctoks) if x.kind != "pronoun"]
    if not csp:
        return None
    ssp = _source_speakers(ctx, p.src, cache)
    if not ssp:
        ssp = _continued_speaker(ctx, p, csp)
    if not ssp:
        return None
    csp = [c for c in csp if c.kind != "name" or c.key in roles.proper]
    ssp = [s for s in ssp if s.kind != "name" or s.key in roles.proper]
    if not csp or not ssp:
        return None
    verdicts = [[roles.compatible(c, s) for s in ssp] for c in csp]
    # every candidate speaker must clash with every source speaker
    if not all(all(v is False for v in row) for row in verdicts):
        return None
    c = csp[0]
    a, b = _clause(p.ctoks, c.tok, c.tok + 1)
    src_doc, sa, sb = _src_range(p.src)
    who_src = ssp[0].key.title() if ssp[0].kind == "name" else f"the {ssp[0].key}"
    who_c = c.key.title() if c.kind == "name" else f"the {c.key}"
    return Finding(
        type="attribution_change", severity="medium",
        explanation=f"The candidate gives this to {who_c}; in the source it comes from {who_src}.",
        candidate=ctx.cand_span(a, b), source=ctx.src_span(src_doc, sa, sb), source_doc=src_doc,
        confidence=0.75,
        details={"candidate_speaker": c.key, "source_speaker": ssp[0].key,
                 "candidate_sentence": p.cs.index, "source_sentences": [s.index for s in p.src]})


def _own(ctx: Context, p: _Pair) -> Finding | None:
    """'its own internal investigation' where the source has 'an internal investigation at
    the court': the candidate hands the act to the sentence's subject."""
    ctext = fold(p.cs.text)
    stext = fold(" ".join(s.text for s in p.src))
    if " own " in f" {stext.lower()} ":
        return None
    for m in OWN.finditer(ctext):
        noun = m.group(2).split()
        if re.search(POSSESSOR + re.escape(noun[-1]), stext, re.I):
            continue  # 'in their defence' already names the owner: 'own' only stresses it
        if any(re.search(rf"\b{re.escape(w)}", stext, re.I) for w in noun if len(w) > 3):
            a, b = p.cs.start + m.start(), p.cs.start + m.end()
            toks = p.ctoks
            i = next(k for k, t in enumerate(toks) if t.start >= a)
            j = max(k for k, t in enumerate(toks) if t.end <= b) + 1
            ca, cb = _clause(toks, i, j)
            return Finding(
                type="attribution_change", severity="medium",
                explanation=f"The candidate says '{m.group(0)}', making the sentence's subject the one "
                            "responsible; the source does not say so.",
                candidate=ctx.cand_span(ca, cb), source=ctx.src_span(*_src_range(p.src)),
                source_doc=p.src[0].doc, confidence=0.6,
                details={"candidate_sentence": p.cs.index, "source_sentences": [s.index for s in p.src]})
    return None


# ----------------------------------------------------------------------------------------------
# spans

_CLAUSE_STOP = frozenset([",", ";", ":", "(", ")", '"', "-"])


def _clause(toks: list[Tok], i: int, j: int, min_words: int = 5) -> tuple[int, int]:
    """Document offsets of the clause holding tokens [i, j): between commas, semicolons or
    quotation marks, grown to its neighbour when it is only a few words."""
    def stop(k: int, right: bool = False) -> bool:
        t = toks[k]
        if t.text == "-":  # a dash between spaces, not a hyphen inside a word
            return k > 0 and toks[k - 1].end < t.start
        return t.text in _CLAUSE_STOP or (right and t.text in (".", "?", "!"))

    a, b = i, j
    while a > 0 and not stop(a - 1):
        a -= 1
    while b < len(toks) and not stop(b, True):
        b += 1
    words = sum(1 for t in toks[a:b] if t.is_word)
    while words < min_words and (a > 0 or b < len(toks)):
        if a > 0:
            a -= 1
            while a > 0 and not stop(a - 1):
                a -= 1
        if b < len(toks):
            b += 1
            while b < len(toks) and not stop(b, True):
                b += 1
        words = sum(1 for t in toks[a:b] if t.is_word)
    while a < b and not (toks[a].is_word or toks[a].is_num or toks[a].text in "£$€"):
        a += 1
    while b > a and not (toks[b - 1].is_word or toks[b - 1].is_num or toks[b - 1].text in ('"', "'")):
        b -= 1
    if b > a and toks[b - 1].text in ('"', "'") and \
            not any(t.text == toks[b - 1].text for t in toks[a:b - 1]):
        b -= 1
    return toks[a].start, toks[b - 1].end


# ----------------------------------------------------------------------------------------------


def _definite(toks: list[Tok]) -> list[int]:
    """A settled future: 'is set to begin', 'is due to', 'will'."""
    out = []
    for k, t in enumerate(toks):
        nxt = toks[k + 1].norm if k + 1 < len(toks) else ""
        prev = toks[k - 1].norm if k else ""
        settled = t.norm in SETTLED and nxt == "to" and (prev in COPULAS or prev in SETTLED_BEFORE)
        if settled or t.norm == "will":
            out.append(k)
    return out


def _check_schedule(p: _Pair) -> None:
    """A fixed plan turned into a possibility: 'is set to begin on' -> 'could begin'."""
    sd = _definite(p.stoks)
    if not sd or _definite(p.ctoks):
        return
    for k, t in enumerate(p.ctoks):
        if t.norm in POSSIBLE and not _is_month_may(p.ctoks, k) and \
                not any(x.norm in POSSIBLE for x in p.stoks):
            nxt = p.ctoks[k + 1] if k + 1 < len(p.ctoks) else None
            after = {p.stoks[j + 2].stem for j in sd if j + 2 < len(p.stoks)} | \
                {p.stoks[j + 1].stem for j in sd if p.stoks[j].norm == "will" and j + 1 < len(p.stoks)}
            if nxt is not None and nxt.stem in after and not _negated(p.ctoks, k):
                p.reasons.append(_Reason("hedge_added", k, f"the source gives it as settled "
                                         f"('{p.stoks[sd[0]].text}'); the candidate says '{t.text}'", 1.0))
                return


_CHECKS = (_check_negation, _check_hedges, _check_intensity, _check_degree, _check_antonyms, _check_voice,
           _check_scope, _check_epistemic, _check_bounds, _check_forced, _check_refusal, _check_schedule)
_SKIP = {"garbled_text", "fabricated_quote"}


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    an = ctx.analysis
    out: list[Finding] = []
    roles = None
    speaker_cache: dict = {}
    for cs in ctx.cand_sentences:
        links = ctx.cand_links.get(cs.index, [])
        src = ctx.source_for(cs.index)
        if not src or not ctx.in_scope(cs.start, cs.end):  # src: the links' sources
            continue
        if max(link.similarity for link in links) < 0.5:
            continue  # too loose a pair to read a shift off
        if ctx.flagged(cs.start, cs.end, _SKIP):
            continue
        ctoks = an.cand_tokens[cs.index]
        stoks: list[Tok] = []
        for s in src:
            stoks += an.source_tokens(s)
        p = _Pair(cs, ctoks, src, stoks)
        p.neighbours = _neighbours(ctx, src)
        for check in _CHECKS:
            check(p)
        f = _shift_finding(ctx, p)
        if f is not None:
            out.append(f)
        if roles is None:
            roles = _Roles(an.src_tokens + an.cand_tokens)
        cbest = ctx.alignment.candidate_best
        own_best = cbest[cs.index] if cs.index < len(cbest) else 1.0
        if not ctx.flagged(cs.start, cs.end, {"attribution_change"}) and own_best >= 0.6 and \
                max(link.similarity for link in links) >= 0.6:
            g = _attribution(ctx, p, roles, speaker_cache) or _own(ctx, p)
            if g is not None:
                out.append(g)
    return out


def _neighbours(ctx: Context, src: list[Sentence]) -> list[list[Tok]]:
    """Tokens of the source sentences next to the linked ones, in the same document."""
    pos = ctx.analysis.src_pos
    have = {pos[(s.doc, s.start)] for s in src}
    out = []
    for k in sorted({k + d for k in have for d in (-1, 1)} - have):
        if 0 <= k < len(ctx.src_sentences) and ctx.src_sentences[k].doc == src[0].doc:
            out.append(ctx.analysis.src_tokens[k])
    return out


def _shift_finding(ctx: Context, p: _Pair) -> Finding | None:
    if not p.reasons:
        return None
    score = sum(r.weight for r in p.reasons)
    if max(r.weight for r in p.reasons) < 0.9 and score < 1.5:
        return None
    anchor = next((r for r in sorted(p.reasons, key=lambda r: -r.weight) if r.cand_tok is not None), None)
    if anchor is not None:
        a, b = _clause(p.ctoks, anchor.cand_tok, anchor.cand_tok + 1)
    else:
        a, b = p.cs.start, p.cs.end
    if ctx.flagged(a, b, {"altered_quote", "changed_fact"}):
        return None
    high = any(r.high for r in p.reasons)
    main = max(p.reasons, key=lambda r: r.weight)
    others = [r.text for r in p.reasons if r is not main]
    explanation = main.text[0].upper() + main.text[1:]
    if others:
        explanation += "; " + "; ".join(others[:2])
    explanation += "."
    return Finding(
        type="meaning_shift", severity="high" if high else "medium", explanation=explanation,
        candidate=ctx.cand_span(a, b),
        source=ctx.src_span(*_src_range(p.src)), source_doc=p.src[0].doc,
        confidence=min(0.95, 0.5 + 0.25 * score),
        details={"reasons": [r.kind for r in p.reasons], "candidate_sentence": p.cs.index,
                 "source_sentences": [s.index for s in p.src]})
