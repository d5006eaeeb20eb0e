"""``changed_fact``: a number, amount, age, date, name or place that differs between a
candidate sentence and the source sentences it was rewritten from.

Embeddings cannot see facts (a sentence with 26 or 28 birds embeds the same), so this works
on tokens: every value is parsed into a canonical form ("five" == "5", "£4,330" != "£433",
"18-to-49" == "between 18 and 49"), compared with the linked source sentences, and a value
counts as changed only when the source sentence holds a different value of the same kind
that the candidate sentence dropped, and the candidate's value is nowhere in the source (a
restated figure is not a change). Swaps ("fined £500 ... pay £300" turned round) are found by
pairing each value with the words around it. Tokens, values and the source's vocabulary come
from the shared analysis (``Context.analysis``).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from unspin.findings.context import Context
from unspin.findings.values import (
    Value,
    abbrev_match,
    compatible_kinds,
    value_key,
)
from unspin.lang.en.dates import MONTHS
from unspin.lang.en.legal import CUSTODY as CUSTODY_WORDS
from unspin.lang.en.legal import NON_CUSTODY as NON_CUSTODY_WORDS
from unspin.lang.en.legal import NOT_JAILED
from unspin.lang.en.messages import VALUE_KIND_NAMES
from unspin.lang.en.numbers import CURRENCY_SIGNS, UNIT_SKIP
from unspin.lang.en.patterns import FROM_TO
from unspin.lang.en.people import KIN as KIN_GROUPS
from unspin.lang.en.speech import ADDRESS_VERBS, SPEECH_VERBS
from unspin.lang.en.stop_words import FUNCTION_WORDS
from unspin.text import Tok, fold, stem, stem_set
from unspin.types import Finding, Sentence

# ----------------------------------------------------------------------------------------------
# detection


def _window(toks: list[Tok], i: int, j: int, left: int = 3, right: int = 3) -> tuple[int, int]:
    """A few words either side of tokens [i, j), as document offsets."""
    a, b = i, j
    words = 0
    while a > 0 and words < left and toks[a - 1].text not in (".", ";", ":", '"', "(", ")"):
        a -= 1
        words += toks[a].is_word or toks[a].is_num
    words = 0
    while b < len(toks) and words < right and toks[b].text not in (".", ";", ":", '"', ",", "(", ")"):
        words += toks[b].is_word or toks[b].is_num
        b += 1
    while a < i and not (toks[a].is_word or toks[a].is_num or toks[a].text in CURRENCY_SIGNS):
        a += 1
    while b > j and not (toks[b - 1].is_word or toks[b - 1].is_num):
        b -= 1
    return toks[a].start, toks[b - 1].end


def _context(toks: list[Tok], v: Value, values: list[Value], reach: int = 5) -> dict[str, float]:
    """Content stems near a value, weighted 1/distance, not reaching past another value."""
    stops = sorted({x.i for x in values if x is not v} | {x.j - 1 for x in values if x is not v})
    lo = max([s for s in stops if s < v.i], default=-1)
    hi = min([s for s in stops if s >= v.j], default=len(toks))
    ctx: dict[str, float] = {}
    for d in range(1, reach + 1):
        for k in (v.i - d, v.j - 1 + d):
            if lo < k < hi and 0 <= k < len(toks):
                t = toks[k]
                if t.is_word and t.norm not in FUNCTION_WORDS:
                    ctx[t.stem] = max(ctx.get(t.stem, 0.0), 1.0 / d)
    return ctx


def _ctx_sim(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(min(a[k], b[k]) for k in a.keys() & b.keys())


@dataclass
class _Src:
    """A source sentence with its tokens and values (from the shared analysis)."""

    sent: Sentence
    toks: list[Tok]
    values: list[Value]
    names: list[int]


def _unit(toks: list[Tok], v: Value) -> str:
    """The word a number counts or measures: 'birds' in 'the 28 birds', 'year' in '65-year-old'."""
    k = v.j
    while k < len(toks) and toks[k].text == "-":
        k += 1
    if k < len(toks) and toks[k].is_word:
        return toks[k].stem
    return ""


def _magnitude_like(a: float, b: float) -> float:
    """How much two numbers look like a slip of each other: same digits, a factor of ten."""
    if a <= 0 or b <= 0:
        return 0.0
    da, db = re.sub(r"\D", "", f"{a:g}"), re.sub(r"\D", "", f"{b:g}")
    score = 0.0
    if sorted(da) == sorted(db):
        score += 1.0
    ratio = max(a, b) / min(a, b)
    if ratio < 3:
        score += 0.5
    if abs(ratio - 10) < 1e-9 or abs(ratio - 100) < 1e-9:
        score += 0.5
    return score


def _finding(ctx: Context, cs: Sentence, ctoks: list[Tok], cv_span: tuple[int, int], src: _Src,
             sv_span: tuple[int, int], what: str, old: str, new: str, confidence: float,
             kind: str) -> Finding:
    c0, c1 = _window(ctoks, *cv_span)
    s0, s1 = _window(src.toks, *sv_span)
    return Finding(
        type="changed_fact", severity="high",
        explanation=f"The {what} differs: the source says {old!s}, the candidate says {new!s}.",
        candidate=ctx.cand_span(c0, c1), source=ctx.src_span(src.sent.doc, s0, s1),
        source_doc=src.sent.doc, confidence=confidence,
        details={"kind": kind, "source_value": old, "candidate_value": new,
                 "candidate_sentence": cs.index, "source_sentence": src.sent.index})


def _fmt(v: Value, toks: list[Tok]) -> str:
    return " ".join(t.text for t in toks[v.i:v.j]).replace("£ ", "£").replace("$ ", "$")


def _values_facts(ctx: Context, cs: Sentence, ctoks: list[Tok], cvals: list[Value], srcs: list[_Src],
                  allsrc: list[_Src]) -> list[Finding]:
    out: list[Finding] = []
    used: set[tuple[int, int]] = set()
    src_vals = [(s, v) for s in srcs for v in s.values]
    cand_keys = {value_key(v) for v in cvals}
    for cv in cvals:
        if cv.kind == "ord":
            continue
        if any(cv.same(sv) for _, sv in src_vals):
            continue
        if ctx.analysis.value_counts.get(value_key(cv)):
            continue  # restated elsewhere in the source
        best, best_score = None, 0.0
        cctx = _context(ctoks, cv, cvals)
        cunit = _unit(ctoks, cv)
        for s, sv in src_vals:
            if (s.sent.index, sv.i) in used or value_key(sv) in cand_keys:
                continue
            if not compatible_kinds(cv.kind, sv.kind) or sv.kind == "ord":
                continue
            if cv.kind in ("month", "day") or sv.kind in ("month", "day"):
                if cv.kind != sv.kind:
                    continue
                score = 1.0 + _ctx_sim(cctx, _context(s.toks, sv, s.values))
            else:
                if (cv.kind == "money") != (sv.kind == "money") and cv.kind != "year":
                    continue
                if (cv.kind == "year" or sv.kind == "year") and cv.kind != sv.kind:
                    continue
                score = _ctx_sim(cctx, _context(s.toks, sv, s.values))
                sunit = _unit(s.toks, sv)
                if cunit and cunit == sunit:
                    score += 1.0
                score += 0.5 * _magnitude_like(float(cv.value), float(sv.value))
                if cv.kind == "money" and sv.kind == "money":
                    score += 0.5
            if score > best_score:
                best, best_score = (s, sv), score
        if best is None or best_score < 0.75:
            continue
        s, sv = best
        used.add((s.sent.index, sv.i))
        old, new = _fmt(sv, s.toks), _fmt(cv, ctoks)
        conf = min(0.97, 0.6 + 0.15 * best_score)
        out.append(_finding(ctx, cs, ctoks, (cv.i, cv.j), s, (sv.i, sv.j), VALUE_KIND_NAMES[cv.kind],
                            old, new, conf, cv.kind))
    out += _swaps(ctx, cs, ctoks, cvals, srcs)
    done = {(f.candidate.start, f.candidate.end) for f in out if f.candidate}
    for f in _repaired(ctx, cs, ctoks, cvals, srcs, allsrc):
        if not any(f.candidate.start < b and a < f.candidate.end for a, b in done):
            out.append(f)
    return out


_CLAUSE_PUNCT = frozenset([",", ";", ":", "(", ")", '"'])


def _head_context(toks: list[Tok], v: Value, values: list[Value], reach: int = 5) -> dict[str, float]:
    """Content stems near a figure inside its own clause: the words a figure belongs to. Unlike
    ``_context`` it does not reach over a comma (so in '£3,000 for X, £9,000 for Y' each amount
    keeps its own head) and a month is a word here, not a stop (the month of a year). Falls back
    to ``_context`` when the clause holds nothing else ('Smith, 45, of Leeds')."""
    stops = {k for x in values if x is not v and x.kind not in ("month", "day") for k in range(x.i, x.j)}
    out: dict[str, float] = {}
    j = v.j  # the figure's own compound ('-year-old', '-a-year') is its unit, not its head
    while j + 1 < len(toks) and toks[j].text == "-" and toks[j].start == toks[j - 1].end:
        j += 2
    for step in (-1, 1):
        k, d = (v.i - 1, 1) if step < 0 else (j, 1)
        while 0 <= k < len(toks) and d <= reach and k not in stops and toks[k].text not in _CLAUSE_PUNCT:
            t = toks[k]
            if t.is_word and t.norm not in FUNCTION_WORDS:
                out[t.stem] = max(out.get(t.stem, 0.0), 1.0 / d)
            if t.is_word or t.is_num:
                d += 1
            k += step
    return out or _context(toks, v, values, reach)


def _compound_unit(toks: list[Tok], v: Value) -> str:
    """What a figure counts or pays for, with an age's '-old' kept on (a 36-year-old is no
    six-year sentence) and a 'for'/'of' looked past ('£3,000 for stress', 'five counts of')."""
    unit = _unit(toks, v)
    if unit in UNIT_SKIP:
        k = v.j
        while k < len(toks) and k < v.j + 3 and toks[k].norm in UNIT_SKIP:
            k += 1
        ok = k < len(toks) and toks[k].is_word and toks[k].norm not in FUNCTION_WORDS
        return toks[k].stem if ok else ""
    k = v.j
    while k < len(toks) and (toks[k].text == "-" or toks[k].stem == unit) and k < v.j + 3:
        k += 1
    return unit + "-old" if unit and k < len(toks) and toks[k].norm == "old" else unit


def _has_unit(toks: list[Tok], v: Value) -> bool:
    unit = _unit(toks, v)
    return bool(unit) and unit not in FUNCTION_WORDS


def _month_before(toks: list[Tok], v: Value) -> str:
    return toks[v.i - 1].norm if v.kind == "year" and v.i > 0 and toks[v.i - 1].norm in MONTHS else ""


def _pair_score(ctoks: list[Tok], cv: Value, cctx: dict[str, float], stoks: list[Tok], sv: Value,
                sctx: dict[str, float]) -> float:
    """How surely two figures stand for the same thing: shared head words, the same unit
    ('year' in 'six-year'), the same month before a year."""
    score = _ctx_sim(cctx, sctx)
    unit = _compound_unit(ctoks, cv)
    if unit and unit not in FUNCTION_WORDS and not unit.endswith("-old") and \
            unit == _compound_unit(stoks, sv):
        score += 1.0  # an age's head is the person, not 'year-old'
    month = _month_before(ctoks, cv)
    if month and month == _month_before(stoks, sv):
        score += 1.0
    return score


def _kinds_match(a: Value, b: Value) -> bool:
    return compatible_kinds(a.kind, b.kind) and (a.kind == "money") == (b.kind == "money") and \
        (a.kind == "year") == (b.kind == "year")


def _repaired(ctx: Context, cs: Sentence, ctoks: list[Tok], cvals: list[Value],
              srcs: list[_Src], allsrc: list[_Src]) -> list[Finding]:
    """A figure the source does give, but to something else: paired by its head words, the
    candidate's figure matches a different figure of the linked source sentence far better than
    any place the source gives its own value ('a six-year fight' where the source has an
    eight-year fight and six months elsewhere; two amounts swapped in a list)."""
    out: list[Finding] = []
    figures = [v for v in cvals if v.kind in ("num", "money", "year")]
    if not figures:
        return out
    sctx_cache: dict[tuple[int, int, int], dict[str, float]] = {}

    def sctx(s: _Src, sv: Value) -> dict[str, float]:
        key = (s.sent.doc, s.sent.start, sv.i)
        if key not in sctx_cache:
            sctx_cache[key] = _head_context(s.toks, sv, s.values)
        return sctx_cache[key]

    cctxs = {cv.i: _head_context(ctoks, cv, cvals) for cv in figures}
    for cv in figures:
        cctx = cctxs[cv.i]
        best, best_diff = None, 0.0
        for s in srcs:
            for sv in s.values:
                if sv.value == cv.value or not _kinds_match(cv, sv):
                    continue
                sc = _pair_score(ctoks, cv, cctx, s.toks, sv, sctx(s, sv))
                if sc > best_diff:
                    best, best_diff = (s, sv), sc
        if best is None or best_diff < 1.0:
            continue
        s, sv = best
        if best_diff < 1.5 and len(cctx.keys() & sctx(s, sv).keys()) < 2:
            continue  # one shared word is not a head
        # the source figure is given by another figure of the candidate sentence: only a swap
        # (the candidate's own figure in the source sentence too) is a change then
        others = [cw for cw in figures if cw is not cv and cw.value == sv.value and _kinds_match(cw, sv)]
        if others and not any(
                xv.value == cv.value and _kinds_match(cv, xv)
                and _pair_score(ctoks, cw, cctxs[cw.i], s.toks, xv, sctx(s, xv))
                > _pair_score(ctoks, cw, cctxs[cw.i], s.toks, sv, sctx(s, sv))
                for xv in s.values for cw in others):
            continue
        cunit = _has_unit(ctoks, cv)
        # where the source gives the candidate's value with no unit ('the limit is 35'), the
        # candidate's unit may be the one it leaves out
        best_same = max((_pair_score(ctoks, cv, cctx, x.toks, xv, sctx(x, xv))
                         + (1.0 if cunit and not _has_unit(x.toks, xv) else 0.0)
                         for x in allsrc for xv in x.values if xv.value == cv.value and _kinds_match(cv, xv)),
                        default=0.0)
        if best_diff - best_same < 1.0:
            continue
        old, new = _fmt(sv, s.toks), _fmt(cv, ctoks)
        out.append(_finding(ctx, cs, ctoks, (cv.i, cv.j), s, (sv.i, sv.j), VALUE_KIND_NAMES[cv.kind],
                            old, new, min(0.9, 0.5 + 0.1 * best_diff), cv.kind))
    return out


def _swaps(ctx: Context, cs: Sentence, ctoks: list[Tok], cvals: list[Value],
           srcs: list[_Src]) -> list[Finding]:
    """Two values that both appear in the source sentence but with their roles exchanged."""
    out = []
    nums = [v for v in cvals if v.kind in ("num", "money")]
    for s in srcs:
        for a_i in range(len(nums)):
            for b_i in range(a_i + 1, len(nums)):
                a, b = nums[a_i], nums[b_i]
                if a.value == b.value:
                    continue
                sa = [v for v in s.values if v.same(a)]
                sb = [v for v in s.values if v.same(b)]
                if len(sa) != 1 or len(sb) != 1:
                    continue
                ca, cb = _context(ctoks, a, cvals), _context(ctoks, b, cvals)
                xa, xb = _context(s.toks, sa[0], s.values), _context(s.toks, sb[0], s.values)
                same = _ctx_sim(ca, xa) + _ctx_sim(cb, xb)
                swap = _ctx_sim(ca, xb) + _ctx_sim(cb, xa)
                if swap >= 1.0 and swap > 2 * same + 0.25:
                    i0, j0 = min(a.i, b.i), max(a.j, b.j)
                    si0, sj0 = min(sa[0].i, sb[0].i), max(sa[0].j, sb[0].j)
                    old = f"{_fmt(sa[0], s.toks)} and {_fmt(sb[0], s.toks)} in the other roles"
                    f = _finding(ctx, cs, ctoks, (i0, j0), s, (si0, sj0), "pairing of the figures",
                                 old, f"{_fmt(a, ctoks)} and {_fmt(b, ctoks)} swapped", 0.8, "swap")
                    f.explanation = (f"Two figures swap roles: the source pairs {_fmt(sa[0], s.toks)} and "
                                     f"{_fmt(sb[0], s.toks)} the other way round.")
                    out.append(f)
    return out


def _direction_swaps(ctx: Context, cs: Sentence, srcs: list[_Src]) -> list[Finding]:
    """'from Scotland to Teesside' told as 'from Teesside to Scotland'."""
    out = []
    ctext = fold(cs.text)
    for cm in FROM_TO.finditer(ctext):
        ca, cb = cm.group(1).strip().lower(), cm.group(2).strip().lower()
        for s in srcs:
            for sm in FROM_TO.finditer(fold(s.sent.text)):
                sa, sb = sm.group(1).strip().lower(), sm.group(2).strip().lower()
                if ca == sb and cb == sa and ca != cb:
                    out.append(Finding(
                        type="changed_fact", severity="high",
                        explanation=f"The direction is reversed: the source says from {sm.group(1).strip()} "
                                    f"to {sm.group(2).strip()}, the candidate from {cm.group(1).strip()} to "
                                    f"{cm.group(2).strip()}.",
                        candidate=ctx.cand_span(*_expand(cs, ctext, cm.start(), cm.end())),
                        source=ctx.src_span(s.sent.doc, *_expand(s.sent, fold(s.sent.text), sm.start(),
                                                                sm.end())),
                        source_doc=s.sent.doc, confidence=0.9,
                        details={"kind": "direction", "candidate_sentence": cs.index,
                                 "source_sentence": s.sent.index}))
    return out


def _expand(s: Sentence, text: str, a: int, b: int, words: int = 2) -> tuple[int, int]:
    """Grow a match by a couple of words on the left, trimmed of trailing space."""
    left = text[:a]
    m = re.search(rf"(?:[\w'£$.,-]+\s+){{0,{words}}}$", left)
    a2 = m.start() if m else a
    while b > a and text[b - 1].isspace():
        b -= 1
    return s.start + a2, s.start + b


def _name_changes(ctx: Context, cs: Sentence, ctoks: list[Tok], srcs: list[_Src],
                  src_words: set[str]) -> list[Finding]:
    """A capitalised name in the candidate sentence standing where the source sentence has a
    different one, the new name appearing nowhere in the source. Names that speak (the subject
    of 'said') are left to attribution_change."""
    out = []
    cnames = ctx.analysis.cand_names[cs.index]
    if not cnames:
        return out
    initials = _initials(ctoks, cnames, src_words)
    novel = [i for i in cnames if i not in initials and not ctx.analysis.names.known_name(ctoks[i].norm)]
    if not novel:
        return out
    cand_words = {t.norm for t in ctoks if t.is_word}
    cand_caps = {t.norm.replace(".", "") for t in ctoks if t.is_word and t.cap}
    for s in srcs:
        a = [t.stem for t in ctoks]
        b = [t.stem for t in s.toks]
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        snames = set(s.names)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op != "replace":
                continue
            cn = [i for i in range(i1, i2) if i in novel]
            sn = [j for j in range(j1, j2) if j in snames and s.toks[j].norm not in cand_words
                  and not any(abbrev_match(s.toks[j].norm, w, w not in cand_caps) for w in cand_words)]
            if not cn or not sn or i2 - i1 > 4 or j2 - j1 > 4:
                continue
            if _speaks(ctoks, cn[0]) or _speaks(s.toks, sn[0]):
                continue
            old = " ".join(s.toks[j].text for j in sn)
            new = " ".join(ctoks[i].text for i in cn)
            if old[:1].lower() == new[:1].lower() and \
                    difflib.SequenceMatcher(None, old.lower(), new.lower()).ratio() >= 0.75:
                continue  # a slip inside the same name ('Hitter's War'); 'Collins' for 'Hollins' is not
            out.append(_finding(ctx, cs, ctoks, (cn[0], cn[-1] + 1), s, (sn[0], sn[-1] + 1), "name",
                                old, new, 0.75, "name"))
    return out


# one word for each relation or sexed person noun, by stem, so 'dad' for 'father' is the same
# person and 'mother' for 'father' is not (lang.en.people.KIN)
KIN = {stem(w): group[0] for group in KIN_GROUPS for w in group}


def _kin_changes(ctx: Context, cs: Sentence, ctoks: list[Tok], srcs: list[_Src]) -> list[Finding]:
    """A relative or a person's sex swapped in an otherwise kept phrase: the source's word is
    gone from the candidate sentence and the candidate's word is not in the source one."""
    out = []
    ckin = {KIN[t.stem] for t in ctoks if t.is_word and t.stem in KIN}
    if not ckin:
        return out
    for s in srcs:
        skin = {KIN[t.stem] for t in s.toks if t.is_word and t.stem in KIN}
        new = ckin - skin
        if not new:
            continue
        sm = difflib.SequenceMatcher(None, [t.stem for t in ctoks], [t.stem for t in s.toks], autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op != "replace" or i2 - i1 > 3 or j2 - j1 > 3:
                continue
            ci = [i for i in range(i1, i2) if KIN.get(ctoks[i].stem) in new]
            sj = [j for j in range(j1, j2) if s.toks[j].stem in KIN and KIN[s.toks[j].stem] not in ckin]
            if not ci or not sj:
                continue
            # the words around the swap are kept: the same slot, not a new phrase
            if not (i1 and j1 and ctoks[i1 - 1].stem == s.toks[j1 - 1].stem):
                continue
            out.append(_finding(ctx, cs, ctoks, (ci[0], ci[0] + 1), s, (sj[0], sj[0] + 1), "person",
                                s.toks[sj[0]].text, ctoks[ci[0]].text, 0.8, "relative"))
    return out


# the kind of sentence passed: custody vs a penalty served outside, by stem
CUSTODY = stem_set(CUSTODY_WORDS)
NON_CUSTODY = stem_set(NON_CUSTODY_WORDS)


def _penalty_changes(ctx: Context, cs: Sentence, ctoks: list[Tok], srcs: list[_Src]) -> list[Finding]:
    """The candidate jails someone where its source sentence passes only a penalty served
    outside, with no custody in it at all."""
    ks = [k for k, t in enumerate(ctoks) if t.is_word and t.stem in CUSTODY]
    if not ks or any(t.stem in NON_CUSTODY for t in ctoks):
        return []
    k = ks[0]
    if any(t.norm in NOT_JAILED for t in ctoks[max(0, k - 4):k]):
        return []
    for s in srcs:
        sst = [j for j, t in enumerate(s.toks) if t.is_word and t.stem in NON_CUSTODY]
        if not sst or any(t.stem in CUSTODY for t in s.toks):
            continue
        f = _finding(ctx, cs, ctoks, (k, k + 1), s, (sst[0], sst[0] + 1), "sentence",
                     s.toks[sst[0]].text, ctoks[k].text, 0.75, "penalty")
        f.explanation = (f"The sentence passed differs: the source gives a penalty outside prison "
                         f"('{s.toks[sst[0]].text}'), the candidate says '{ctoks[k].text}'.")
        return [f]
    return []


def _initials(toks: list[Tok], names: list[int], words: set[str]) -> set[int]:
    """Tokens of a multi-word name whose acronym is among ``words``: 'United States' when the
    other side writes 'U.S.', 'Crown Prosecution Service' for 'CPS'."""
    out: set[int] = set()
    runs: list[list[int]] = []
    for i in names:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) >= 2 and "".join(toks[i].norm[0] for i in run) in words:
            out.update(run)
    return out


def _speaks(toks: list[Tok], i: int) -> bool:
    """The name at ``i`` is the one speaking ('Mr X said', 'said Mr X'), not the one spoken to
    ('he told Judge X'): only a speaker's change is an attribution matter."""
    after = any(toks[k].norm in SPEECH_VERBS for k in range(i + 1, min(len(toks), i + 5)))
    k = i - 1
    while k >= 0 and toks[k].is_word and toks[k].cap:
        k -= 1  # over the rest of the name and its title
    before = k >= 0 and toks[k].norm in SPEECH_VERBS and toks[k].norm not in ADDRESS_VERBS
    return after or before


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    a = ctx.analysis
    srcs = [_Src(s, a.src_tokens[k], a.src_values[k], a.src_names[k])
            for k, s in enumerate(ctx.src_sentences)]
    pos, src_words = a.src_pos, a.source_words
    out: list[Finding] = []
    for cs in ctx.cand_sentences:
        linked = ctx.source_for(cs.index)
        if not linked:
            continue
        if ctx.flagged(cs.start, cs.end, {"garbled_text", "fabricated_quote"}):
            continue
        ctoks = a.cand_tokens[cs.index]
        cvals = a.cand_values[cs.index]
        lsrc = [srcs[pos[(s.doc, s.start)]] for s in linked]
        found = _values_facts(ctx, cs, ctoks, cvals, lsrc, srcs)
        found += _direction_swaps(ctx, cs, lsrc)
        found += _name_changes(ctx, cs, ctoks, lsrc, src_words)
        found += _kin_changes(ctx, cs, ctoks, lsrc)
        found += _penalty_changes(ctx, cs, ctoks, lsrc)
        for f in found:
            if f.candidate and not any(g.candidate and g.candidate.start < f.candidate.end and
                                       f.candidate.start < g.candidate.end for g in out):
                out.append(f)
    return out
