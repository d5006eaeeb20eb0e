"""Direct quotations: altered_quote, fabricated_quote and attribution_change.

Each candidate quotation is split into its sentences (and the runs between its ellipses),
and each piece is looked up in the sources: verbatim first, as a contiguous run of the
sources' quoted words (a quote cut short, or joined across two source paragraphs, is
faithful); then verbatim in the narration (scare quotes of the source's own words); then
fuzzily among the quotes of the source sentences the alignment links to it, which may be
reworded heavily; then among all source quotes, which must share most of the words. Case,
curly/straight marks, apostrophes, dashes, punctuation, contractions, compounds ("re-trial")
and the writer's [bracketed] insertions are not changes; anything else inside the marks is,
and the word diff goes into ``details`` for the reports. A quotation with no counterpart is
fabricated. Headlines paraphrase inside quote marks by convention and are only checked for
invented quotations.

Speakers are compared person to person (a name, or a role: "the spokesman", "prosecutors").
They are read by this module's own rules and checked against the segmenter's reading; a
speaker reached through a pronoun or a follow-on paragraph counts only when both readings
agree. The candidate must name its speaker in the quotation's own sentence, and only two
speakers that cannot be one person make an attribution_change.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from unspin.findings.context import Context
from unspin.findings.quoted import (
    DocQuotes,
    Person,
    attributions,
    blank_editorial,
    content_stems,
    same_person,
    shift_person,
    stem_sets,
)
from unspin.lang.en import attribution as attr
from unspin.lang.en.people import (
    KIN_GENDER,
    POSSESSIVE_GENDER,
    ROLE_COMPATIBLE,
    SPEAKER_TITLES,
)
from unspin.lang.en.punctuation import QUOTE_CHARS
from unspin.lang.en.stop_words import QUOTE_STOP_WORDS
from unspin.text import Tok, ends_abbreviation, stem, tokenize
from unspin.types import Finding, Quote, Segmented

# --------------------------------------------------------------------------------------------
# words

_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…|\[\s*\.\.\.\s*\]")
_SENT_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def suspect_quote(text: str, opener: str) -> bool:
    """Whether a quotation looks mis-paired (an apostrophe taken for a quote mark, or a quote
    that closes and reopens inside): its words are then not safe to compare."""
    inner = re.sub(r"[\"”’']\s*\n+\s*[\"“‘']", " ", text)  # a speech running over paragraphs
    if opener in "'‘`":
        return bool(re.search(r"\w['’]\s+\S.*\s['‘`]\w", inner))
    return any(c in inner for c in "\"“”")


def pieces(text: str, base: int = 0) -> list[list[Tok]]:
    """A quotation's sentences, and the runs between its ellipses, each compared on its own:
    a rewrite may keep one sentence word for word and change, drop or invent the next."""
    cuts = [(m.start(), m.end()) for m in _ELLIPSIS.finditer(text)]
    for m in _SENT_END.finditer(text):
        if text[m.start()] == "." and (ends_abbreviation(text, m.start())
                                       or text[max(0, m.start() - 2):m.start()] == ".."):
            continue
        if not any(a <= m.start() < b for a, b in cuts):
            cuts.append((m.start() + 1, m.end()))
    out, pos = [], 0
    text = blank_editorial(text)
    for a, b in sorted(cuts) + [(len(text), len(text))]:
        if a < pos:
            continue
        toks = tokenize(text[pos:a], base + pos, "quote")
        if toks:
            out.append(toks)
        pos = b
    return out


def piece_stems(piece: list[Tok]) -> tuple[list[str], bool]:
    """The stems a piece is compared by: its content words, or all its words when it has few."""
    pc = content_stems(piece)
    return (pc, True) if len(pc) >= 3 else ([t.stem for t in piece], False)


def overlap(piece: list[Tok], target, stems: tuple[list[str], bool] | None = None) -> tuple[float, int]:
    """Share of the piece's content words (all its words when it has few) found in target."""
    every, cont = target if isinstance(target, tuple) else stem_sets(target)
    pc, by_content = stems or piece_stems(piece)
    tc = cont if by_content else every
    if not pc:
        return 0.0, 0
    shared = sum(1 for w in pc if w in tc)
    return shared / len(pc), shared


@dataclass
class Diff:
    """A word-level diff of a candidate quotation against the source words it renders."""

    ops: list[dict]
    src_lo: int  # source token range actually rendered
    src_hi: int
    matched: int  # candidate words equal to source words
    changed: bool


def _window(blocks, n_cand: int, n_src: int) -> tuple[int, int]:
    """The stretch of a long source statement a shorter quotation renders.

    Among runs of shared words, pick the span of consecutive runs whose shared words best
    outweigh the source words between them that the quotation has no counterpart for (a
    stray "I was" far from the rest is not part of it); the quotation's unshared words at
    either end map onto as many source words.
    """
    best = None
    for i in range(len(blocks)):
        matched = 0
        for j in range(i, len(blocks)):
            matched += blocks[j].size
            span_src = blocks[j].a + blocks[j].size - blocks[i].a
            span_cand = blocks[j].b + blocks[j].size - blocks[i].b
            excess = max(0, (span_src - matched) - (span_cand - matched))
            score = matched - 0.4 * excess
            if best is None or score > best[0] + 1e-9:
                best = (score, i, j)
    _, i, j = best
    lo = max(0, blocks[i].a - blocks[i].b)
    hi = min(n_src, blocks[j].a + blocks[j].size + (n_cand - blocks[j].b - blocks[j].size))
    return lo, hi


def diff_words(cand: list[Tok], src: list[Tok], cand_text: str, src_text: str) -> Diff:
    """Diff ``cand`` against the stretch of ``src`` it renders.

    Ops read source -> candidate: ``delete`` drops source words, ``insert`` adds candidate
    words. Source words beyond either end of the quotation are not changes: quoting part of
    a statement is faithful.
    """
    sn, cn = [t.norm for t in src], [t.norm for t in cand]
    sm = SequenceMatcher(None, sn, cn, autojunk=False)
    lo = 0
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if blocks and len(src) > 1.6 * len(cand) + 3:
        lo, hi = _window(blocks, len(cand), len(src))
        sm = SequenceMatcher(None, sn[lo:hi], cn, autojunk=False)
    codes = [list(c) for c in sm.get_opcodes()]
    for c in codes:
        c[1] += lo
        c[2] += lo
    while codes and codes[0][0] == "delete":
        codes.pop(0)
    while codes and codes[-1][0] == "delete":
        codes.pop()
    if not codes:
        return Diff([], 0, 0, 0, bool(cand))
    # where the source statement runs on past the quotation's edge, a replaced stretch there
    # covers no more source words than candidate words
    first, last = codes[0], codes[-1]
    if last[0] == "replace":
        # "retrial" against "re-trial": the window may have cut the compound in two
        joined = "".join(t.norm for t in cand[last[3]:last[4]])
        for k in range(last[1] + 1, min(len(src), last[1] + (last[4] - last[3]) + 3) + 1):
            if "".join(t.norm for t in src[last[1]:k]) == joined:
                last[0], last[2] = "equal", k
                break
    if first[0] == "replace" and first[1] > 0 and first[2] - first[1] > first[4] - first[3]:
        first[1] = first[2] - (first[4] - first[3])
    if last[0] == "replace" and last[2] < len(src) and last[2] - last[1] > last[4] - last[3]:
        last[2] = last[1] + (last[4] - last[3])

    def text_of(toks: list[Tok], lo: int, hi: int, text: str) -> str:
        if lo >= hi:
            return ""
        split = (lo > 0 and toks[lo - 1].start == toks[lo].start) or \
            (hi < len(toks) and toks[hi].start == toks[hi - 1].start)
        if split:  # part of an expanded contraction ("he's" -> he / is): show the words compared
            return " ".join(t.norm for t in toks[lo:hi])
        return text[toks[lo].start:toks[hi - 1].end]

    ops, matched = [], 0
    for tag, i1, i2, j1, j2 in codes:
        if tag == "replace" and "".join(t.norm for t in src[i1:i2]) == "".join(t.norm for t in cand[j1:j2]):
            tag = "equal"  # "re-trial" / "retrial", "half way" / "halfway"
        if tag == "equal":
            matched += j2 - j1
        ops.append({"op": tag, "source": text_of(src, i1, i2, src_text),
                    "candidate": text_of(cand, j1, j2, cand_text)})
    return Diff(ops, codes[0][1], codes[-1][2], matched, any(o["op"] != "equal" for o in ops))


def _variant(a: str, b: str) -> bool:
    """Two spellings or inflections of one word ("subjected" / "subject", "realise" / "realize")."""
    a, b = a.lower().replace("-", ""), b.lower().replace("-", "")
    if a == b or stem(a, "light") == stem(b, "light"):
        return True
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return k >= 5 and k >= min(len(a), len(b)) - 2


def change_weight(ops: list[dict]) -> str:
    """content (a word with meaning changed), function (only little words), or variant."""
    worst = "variant"
    for o in ops:
        if o["op"] not in ("replace", "insert", "delete"):
            continue
        st, ct = tokenize(o["source"], scheme="quote"), tokenize(o["candidate"], scheme="quote")
        if o["op"] == "replace" and len(st) == len(ct) and all(
                _variant(x.norm, y.norm) for x, y in zip(st, ct, strict=True)):
            continue
        if any(t.norm not in QUOTE_STOP_WORDS for t in st + ct):
            return "content"
        worst = "function"
    return worst


# --------------------------------------------------------------------------------------------
# matching a candidate quotation

# A piece of quotation the sources hold verbatim in more places than this is boilerplate or
# pasted text: whose words it is cannot be told (and following every holder would cost the
# product of the repeats on both sides).
MAX_HOLDERS = 64


@dataclass
class Match:
    kind: str  # exact | quote | narration | none
    doc: int = 0
    quote: int = -1  # source quote index (quote matches)
    toks: list[Tok] = field(default_factory=list)  # source words compared against
    diff: Diff | None = None
    score: float = 0.0
    # every (doc, quote) holding it verbatim, up to MAX_HOLDERS + 1
    alts: list[tuple[int, int]] = field(default_factory=list)


def _exact(piece: list[Tok], docs: list[DocQuotes], linked: set[tuple[int, int]]) -> Match | None:
    """Every verbatim occurrence of the piece among the sources' quoted words; linked ones first."""
    norms = [t.norm for t in piece]
    at = [dq.stream_runs(norms) for dq in docs]
    if not any(at):
        return None
    # the first occurrence inside a linked quote, else the first of all
    pick = None
    for d, qi in linked:
        if 0 <= d < len(docs) and 0 <= qi < len(docs[d].qrange) and at[d]:
            lo, hi = docs[d].qrange[qi]
            k = bisect.bisect_left(at[d], lo)
            if k < len(at[d]) and at[d][k] < hi and (pick is None or (d, at[d][k]) < pick):
                pick = (d, at[d][k])
    if pick is None:
        pick = next((d, pos[0]) for d, pos in enumerate(at) if pos)
    d, i = pick
    dq = docs[d]
    # every holder up to MAX_HOLDERS (+1 to tell that there are more)
    alts = []
    for od, pos in enumerate(at):
        for oi in pos[:MAX_HOLDERS + 1 - len(alts)]:
            alts.append((od, docs[od].owner[oi]))
    return Match("exact", d, dq.owner[i], dq.stream[i:i + len(piece)], score=1.0, alts=alts)


def _quote_window(dq: DocQuotes, qi: int, n: int) -> list[tuple[int, int]]:
    """Stream ranges to compare a piece of ``n`` words with: the quote, and it joined to its neighbours."""
    lo, hi = dq.qrange[qi]
    out = [(lo, hi)]
    if n > 0.8 * (hi - lo):
        if qi > 0:
            out.append((dq.qrange[qi - 1][0], hi))
        if qi + 1 < len(dq.qrange):
            out.append((lo, dq.qrange[qi + 1][1]))
    return out


def _best_diff(piece: list[Tok], cand_text: str, dq: DocQuotes, ranges) -> tuple[Diff, list[Tok]]:
    """The diff against the chosen quote, or against it joined to a neighbour when the piece
    clearly runs on into that one (several matched words more, and still covering the quote)."""
    best = None
    anchor = ranges[0]
    for lo, hi in ranges:
        toks = dq.stream[lo:hi]
        df = diff_words(piece, toks, cand_text, dq.text)
        added = sum(len(tokenize(o["candidate"], scheme="quote")) for o in df.ops if o["op"] != "equal")
        quality = df.matched - 0.5 * added
        if best is not None:
            covers = lo + df.src_lo < anchor[1] and lo + df.src_hi > anchor[0]
            if quality < best[0] + 2 or not covers:
                continue
        best = (quality, df, toks)
    assert best is not None
    return best[1], best[2]


def accept(piece: list[Tok], target: tuple[frozenset[str], frozenset[str], frozenset[str]], linked: bool,
           ranked: bool, stems: tuple[list[str], bool] | None = None) -> float | None:
    """How well a source quote can be the counterpart of a piece, or None if it cannot be.

    ``target`` is the quote's (stems, content stems, words). A quote in a source sentence the
    alignment links to this one needs little lexical support (the rewrite may reword it
    heavily); one elsewhere needs most of the words.
    """
    ov, shared = overlap(piece, target[:2], stems)
    if linked:
        if (ov >= 0.25 and shared >= 1) or (ranked and ((ov >= 0.15 and shared >= 2) or len(piece) <= 4)):
            return ov + 0.3 + (0.2 if ranked else 0.0)
        return None
    if len(piece) <= 4:
        return ov if shared >= 2 else None
    all_ov = sum(1 for t in piece if t.norm in target[2]) / len(piece)
    if shared >= 2 and (ov >= 0.5 or all_ov >= 0.6):
        return ov
    return None


def match_piece(piece: list[Tok], cand_text: str, docs: list[DocQuotes],
                linked: list[tuple[int, int]], ranked: tuple[int, int] | None = None) -> Match:
    """Where the sources have this piece of a quotation, and how it differs from them."""
    linked_set = set(linked)
    hit = _exact(piece, docs, linked_set)
    if hit:
        return hit
    options = []
    stems = piece_stems(piece)
    for d, dq in enumerate(docs):
        # a quote elsewhere must share two of the piece's words to be accepted: only those,
        # and the linked and ranked ones, are looked at (an index, not a scan of every quote)
        look = set(dq.quotes_sharing(stems[0], stems[1], 2))
        look.update(qi for dd, qi in linked_set if dd == d and 0 <= qi < len(dq.quotes))
        if ranked is not None and ranked[0] == d and 0 <= ranked[1] < len(dq.quotes):
            look.add(ranked[1])
        for qi in sorted(look):
            lo, hi = dq.qrange[qi]
            if hi <= lo:
                continue
            is_linked = (d, qi) in linked_set
            sc = accept(piece, dq.quote_sets(qi), is_linked, (d, qi) == ranked, stems)
            if sc is not None:
                options.append((sc, is_linked, d, qi))
    for sc, is_linked, d, qi in sorted(options, key=lambda x: -x[0]):
        dq = docs[d]
        df, toks = _best_diff(piece, cand_text, dq, _quote_window(dq, qi, len(piece)))
        if not is_linked and df.matched < 0.4 * len(piece):
            continue  # the shared words are scattered: not the same statement
        src = toks[df.src_lo:df.src_hi]
        owner = dq.owner[dq.first_stream_index(src[0])] if src else qi
        return Match("quote", d, owner, src, df, sc)
    return Match("none")


def match_narration(piece: list[Tok], cand_text: str, docs: list[DocQuotes],
                    min_overlap: float = 0.6, exact_only: bool = False) -> Match:
    """Quoted words the source has only as narration (reported speech, or the reporter's own)."""
    norms = [t.norm for t in piece]
    for d, dq in enumerate(docs):
        at = dq.word_runs(norms)
        if at:
            i = at[0]
            toks = dq.words[i:i + len(piece)]
            before = dq.text[max(0, toks[0].start - 3):toks[0].start].strip()
            after = dq.text[toks[-1].end:toks[-1].end + 3].strip(" .,;:!?")
            if before[-1:] in QUOTE_CHARS or after[:1] in QUOTE_CHARS:
                # quoted in the source too, with marks the segmenter did not pair up
                return Match("exact", d, -1, toks, score=1.0)
            return Match("narration", d, -1, toks, score=1.0)
    if exact_only:
        return Match("none")
    best = None
    stems = piece_stems(piece)
    for d, dq in enumerate(docs):
        words, sets_of = dq.sentence_words(), dq.sentence_sets()
        for si in dq.sentences_sharing(stems[0], stems[1], 3):  # only these can share 3 words
            toks, sets = words[si], sets_of[si]
            ov, shared = overlap(piece, sets, stems)
            if ov >= min_overlap and shared >= 3 and (best is None or ov > best[0]):
                best = (ov, d, toks)
    if best is None:
        return Match("none")
    ov, d, toks = best
    df = diff_words(piece, toks, cand_text, docs[d].text)
    return Match("narration", d, -1, toks[df.src_lo:df.src_hi], df, ov)


# --------------------------------------------------------------------------------------------
# the detector


def _title_like(text: str) -> bool:
    ws = re.findall(r"[^\W_]+", text)
    cw = [w for w in ws if w.lower() not in QUOTE_STOP_WORDS]
    return bool(cw) and all(w[0].isupper() or w[0].isdigit() for w in cw)


def _describe(ops: list[dict], limit: int = 3) -> str:
    parts = []
    for o in ops:
        if o["op"] == "replace":
            parts.append(f"“{o['source']}” became “{o['candidate']}”")
        elif o["op"] == "insert":
            parts.append(f"“{o['candidate']}” was added")
        elif o["op"] == "delete":
            parts.append(f"“{o['source']}” was dropped")
    more = len(parts) - limit
    s = "; ".join(parts[:limit])
    return s + (f" and {more} more change{'s' if more > 1 else ''}" if more > 0 else "")


class _Sentences:
    """Offsets -> alignment sentence indices, for candidate and source sides."""

    def __init__(self, ctx: Context):
        self.cand = sorted((s.start, s.end, i) for i, s in enumerate(ctx.cand_sentences))
        self.src: dict[int, list[tuple[int, int, int]]] = {}
        for i, s in enumerate(ctx.src_sentences):
            self.src.setdefault(s.doc, []).append((s.start, s.end, i))
        for v in self.src.values():
            v.sort()

    @staticmethod
    def _find(rows, pos):
        k = bisect.bisect_right(rows, (pos, float("inf"), 0)) - 1
        if k >= 0 and rows[k][0] <= pos < rows[k][1] + 1:
            return rows[k][2]
        return None

    def cand_index(self, pos: int) -> int | None:
        return self._find(self.cand, pos)

    def src_index(self, doc: int, pos: int) -> int | None:
        return self._find(self.src.get(doc, []), pos)


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    docs = ctx.analysis.source_quotes
    cdq = ctx.analysis.candidate_quotes
    sents = _Sentences(ctx)
    sent_quotes: dict[int, list[tuple[int, int]]] = {}  # alignment source sentence -> its quotes
    for d, dq in enumerate(docs):
        for qi, q in enumerate(dq.quotes):
            si = sents.src_index(d, q.start)
            if si is not None:
                sent_quotes.setdefault(si, []).append((d, qi))
    cand_sent_of = [sents.cand_index(q.start) for q in cdq.quotes]
    quotes_in = _quotes_in(cand_sent_of)

    findings: list[Finding] = []
    text = cdq.text
    head_end = _headline_end(ctx.candidate)
    for ci, q in enumerate(cdq.quotes):
        if not ctx.in_scope(q.start, q.end):
            continue
        if suspect_quote(text[q.start:q.end], text[q.start - 1:q.start] if q.start else ""):
            continue
        linked = _linked_quotes(ctx, cand_sent_of[ci], sents, sent_quotes)
        ranked = _ranked_counterpart(ctx, ci, cand_sent_of, sent_quotes, quotes_in)
        results = []
        for piece in pieces(text[q.start:q.end], q.start):
            m = match_piece(piece, text, docs, linked, ranked)
            if m.kind != "exact":
                # quoted words the source has verbatim in its narration
                nm = match_narration(piece, text, docs, exact_only=m.kind == "quote")
                if nm.kind != "none" and (m.kind == "none" or nm.score == 1.0):
                    m = nm
            results.append((piece, m))
        if results:
            findings += _quote_findings(ctx, q, ci, results, cdq, docs, headline=q.start < head_end)
    findings = _merge_neighbours(ctx, findings)
    return findings + _reported_speech(ctx, cdq, docs)


_LEAD_WORDS = 6


def _lead_speaker(dq: DocQuotes, start: int, end: int) -> Person | None:
    """The speaker of reported speech who opens a sentence ("His barrister said he had ...")."""
    nar = dq.narration(start, end)
    lead = [(m, p) for m, p in attributions(nar, inverted=False, passive=False)
            if len(re.findall(r"\S+", nar[:p.start])) < _LEAD_WORDS and p.start >= 0]
    if not lead:
        return None
    m, p = min(lead, key=lambda mp: mp[1].start)
    opener = nar[:p.start].strip()
    first = p.text.split()[0].lower() if p.text.split() else ""
    if first.endswith("ing") or first in attr.NOT_NAMES:
        return None  # "Sentencing Hobbs, ... the judge said": the object of an opening clause
    if opener and not (opener.endswith(",") or opener.split()[0].lower() in attr.LEAD_OPENERS):
        return None  # "Officers spotted Mr Stanley, who they said ...": not the sentence's speaker
    if attr.QUESTION.search(m.group(0)):
        return None  # a question put to someone is not a statement of the asker's
    return shift_person(p, start)


def _reported_speech(ctx: Context, cdq: DocQuotes, docs: list[DocQuotes]) -> list[Finding]:
    """attribution_change in reported speech: the same statement opened by another speaker.

    Only a one-to-one, close rendering counts, both sentences must open with their speaker, and
    the two must be people who cannot be one (a pronoun in the source is followed back only
    where this module and the segmenter agree on no one else in between).
    """
    out: list[Finding] = []
    for ci, cs in enumerate(ctx.cand_sentences):
        if cdq.long_quote_in(cs.start, cs.end):
            continue  # quotations are checked above, speaker by speaker
        links = [lk for lk in ctx.cand_links.get(ci, []) if len(lk.source) == 1 and len(lk.candidate) == 1]
        if len(links) != 1 or links[0].similarity < 0.6:
            continue
        who = _lead_speaker(cdq, cs.start, cs.end)
        if who is None or not who.resolved:
            continue
        ss = ctx.src_sentences[links[0].source[0]]
        dq = docs[ss.doc]
        if dq.long_quote_in(ss.start, ss.end):
            continue
        src_who = _lead_speaker(dq, ss.start, ss.end)
        if src_who is not None and src_who.pronoun:
            pron = src_who
            src_who = dq.antecedent(pron.start, pron, dq.speakers)
            if src_who is not None and src_who.gender is None:
                src_who = replace(src_who, gender=pron.gender)
        if src_who is None or not src_who.resolved:
            continue
        roles = lambda p, dq=dq: cdq.roles_of(p) | dq.roles_of(p)  # noqa: E731
        v = same_person(who, src_who, roles)
        if v is not False and _refined_same(who, src_who, cdq, docs) is not False:
            continue
        out.append(Finding(
            type="attribution_change",
            severity="high",
            explanation=(f"The candidate has {who.text} say this; in the source it is "
                         f"{src_who.text}'s statement."),
            candidate=ctx.cand_span(cs.start, cs.end),
            source=ctx.src_span(ss.doc, ss.start, ss.end),
            source_doc=ss.doc,
            confidence=0.7,
            details={"candidate_speaker": who.text, "source_speaker": src_who.text, "reported": True},
        ))
    return out


def _headline_end(seg: Segmented) -> int:
    """End of the candidate's headline paragraph (0 when it starts with body text)."""
    paras = seg.doc.paragraphs
    if not paras:
        return 0
    first = paras[0]
    t = seg.doc.text[first.start:first.end].strip()
    if seg.doc.title and t == seg.doc.title.strip():
        return first.end
    if len(t.split()) <= 25 and t and t.rstrip("\"'”’")[-1:] not in ".!?:":
        return first.end
    return 0


def _linked_quotes(ctx: Context, cand_sent: int | None, sents: _Sentences,
                   sent_quotes) -> list[tuple[int, int]]:
    """Source quotes inside the source sentences the alignment links to this candidate sentence."""
    if cand_sent is None:
        return []
    out = []
    for s in ctx.source_for(cand_sent):
        out += sent_quotes.get(sents.src_index(s.doc, s.start), [])
    return list(dict.fromkeys(out))


def _quotes_in(cand_sent_of: list[int | None]) -> dict[int | None, list[int]]:
    """Candidate sentence -> the indices of the quotes in it."""
    out: dict[int | None, list[int]] = {}
    for i, s in enumerate(cand_sent_of):
        out.setdefault(s, []).append(i)
    return out


def _ranked_counterpart(ctx: Context, ci: int, cand_sent_of, sent_quotes, quotes_in=None):
    """The source quote at the same rank among the quotes of the best link's sentences."""
    cs = cand_sent_of[ci]
    links = ctx.cand_links.get(cs, []) if cs is not None else []
    if not links:
        return None
    link = max(links, key=lambda lk: lk.similarity)
    if quotes_in is None:  # candidate sentence -> its quotes
        quotes_in = _quotes_in(cand_sent_of)
    cand_q = sorted(i for s in set(link.candidate) for i in quotes_in.get(s, ()))
    src_q = [k for s in sorted(link.source) for k in sent_quotes.get(s, [])]
    if len(cand_q) != len(src_q) or ci not in cand_q:
        return None
    return src_q[cand_q.index(ci)]


def _words_in(text: str) -> int:
    return len(re.findall(r"\S+", text))


def _attr_span(dq: DocQuotes, q: Quote, who: Person, max_words: int = 38) -> tuple[int, int]:
    """The attribution and the start of the quotation: the sentence, or a cut of it when long."""
    a, b = dq.region(q)
    same_para = who.start >= 0 and dq.para_of(who.start) == dq.para_of(q.start)
    if same_para:
        a, b = min(a, who.start), max(b, who.end)
    if _words_in(dq.text[a:b]) <= max_words:
        return a, b
    if same_para and who.start < q.start:
        a = who.start
    else:
        a = q.start - 1 if q.start > 0 and dq.text[q.start - 1] in "\"'“‘" else q.start
    ends = [a + m.end() for m in re.finditer(r"\S+", dq.text[a:b])]
    return (a, ends[min(len(ends), 25) - 1]) if ends else (q.start, q.end)


def _quote_findings(ctx: Context, q: Quote, ci: int, results, cdq: DocQuotes,
                    docs: list[DocQuotes], headline: bool = False) -> list[Finding]:
    out: list[Finding] = []
    text = cdq.text
    qtext = text[q.start:q.end]
    kinds = {m.kind for _, m in results}
    n_words = sum(len(p) for p, _ in results)
    title_like = n_words <= 6 and _title_like(qtext)

    if kinds == {"none"}:
        short = n_words <= 3
        if title_like or (headline and short):
            return out  # a quoted name or title ("Blind Date"); a headline's scare quotes
        a, b = _fab_span(cdq, q, short)
        out.append(Finding(
            type="fabricated_quote",
            severity="medium" if short else "high",
            explanation=(f"The quoted words “{qtext.strip()}” appear nowhere in the source."
                         if short else "This quotation has no counterpart in the source: "
                         "no quote or sentence there says anything close to it."),
            candidate=ctx.cand_span(a, b),
            confidence=0.7 if short else 0.85,
            details={"quote": qtext},
        ))
        return out
    if headline:
        return out  # headlines paraphrase inside quote marks by convention

    attribution = None if title_like else _attribution(ctx, q, ci, results, cdq, docs, short=n_words < 4)
    altered = _altered(ctx, q, results, cdq, docs)
    if altered is not None and attribution is not None and altered.severity != "high":
        # the words moved to another speaker were only adapted ("your" -> "his"): one finding
        changed = [o for o in altered.details["diff"] if o["op"] in ("replace", "insert", "delete")]
        attribution.details["diff"] = altered.details["diff"]
        attribution.explanation = attribution.explanation[:-1] + (
            f"; inside the quotation marks {_describe(changed)}.")
        altered = None
    return [f for f in (altered, attribution) if f is not None]


def _altered(ctx: Context, q: Quote, results, cdq: DocQuotes, docs: list[DocQuotes]) -> Finding | None:
    """altered_quote: the words inside the marks differ from the source's, or are its narration."""
    text = cdq.text

    def diff_of(p, m) -> list[dict]:
        if m.diff is not None:
            return m.diff.ops
        if m.kind == "none":
            return [{"op": "insert", "source": "", "candidate": text[p[0].start:p[-1].end]}]
        return [{"op": "equal", "source": docs[m.doc].text[m.toks[0].start:m.toks[-1].end],
                 "candidate": text[p[0].start:p[-1].end]}]

    changed = [(p, m) for p, m in results if m.kind == "none" or (m.diff is not None and m.diff.changed)]
    narrated = [(p, m) for p, m in results if m.kind == "narration" and len(p) >= 5]
    if not (changed or narrated):
        return None
    ops: list[dict] = []
    for i, (p, m) in enumerate(results):
        if i and _ELLIPSIS.search(text[results[i - 1][0][-1].end:p[0].start]):
            ops.append({"op": "ellipsis", "source": "", "candidate": "…"})
        ops += diff_of(p, m)
    ref = next((m for _, m in changed + narrated if m.toks), None) or \
        next((m for _, m in results if m.toks), None)
    doc = ref.doc if ref else 0
    src_toks = [t for _, m in changed + narrated if m.doc == doc for t in m.toks] or \
        [t for _, m in results if m.doc == doc for t in m.toks]  # a sentence added among kept ones
    only_narration = all(m.kind in ("narration", "none") for _, m in results)
    changed_ops = [o for o in ops if o["op"] in ("replace", "insert", "delete")]
    if changed_ops and only_narration:
        expl = ("The source has these words only as narration, not as a quotation, and the "
                f"candidate's quotation changes them: {_describe(changed_ops)}.")
    elif changed_ops:
        expl = f"The words inside the quotation marks differ from the source's: {_describe(changed_ops)}."
    else:
        expl = "The source says this in its own narration; the candidate presents it as a direct quotation."
    a, b = _changed_extent(cdq, q, results)
    weight = change_weight(ops) if changed_ops else "function"
    return Finding(
        type="altered_quote",
        severity={"content": "high", "function": "medium", "variant": "low"}[weight],
        explanation=expl,
        candidate=ctx.cand_span(a, b),
        source=ctx.src_span(doc, min(t.start for t in src_toks), max(t.end for t in src_toks))
        if src_toks else None,
        source_doc=doc,
        confidence=0.7 if only_narration else 0.9,
        details={"diff": ops, "quote": text[q.start:q.end], "source_is_narration": only_narration},
    )


def _attribution(ctx: Context, q: Quote, ci: int, results, cdq: DocQuotes,
                 docs: list[DocQuotes], short: bool = False) -> Finding | None:
    """attribution_change when the source's speaker of these words cannot be the candidate's.

    A short quoted phrase is often a scare quote whose speaker is loose, so it counts only
    when both sides name the speaker in the quotation's own sentence.
    """
    who = cdq.speakers[ci] if ci < len(cdq.speakers) else None
    # the candidate must name its speaker in the quotation's own sentence
    if who is None or not who.resolved or who.how != "explicit" or (short and not who.names):
        return None
    m = next((m for _, m in results if m.kind in ("exact", "quote") and m.quote >= 0), None)
    if m is None:
        return None
    holders = m.alts or [(m.doc, m.quote)]
    if len(holders) > MAX_HOLDERS:
        return None  # words the sources repeat everywhere (boilerplate, pasted text): no telling
    verdicts = []
    for d, qi in holders:
        dq = docs[d]
        src_who = dq.speakers[qi]
        if src_who is None or not src_who.resolved:
            return None  # an unresolved speaker is no evidence
        if short and (src_who.how != "explicit" or not src_who.names):
            return None
        verdicts.append(same_person(who, src_who, lambda p, dq=dq: cdq.roles_of(p) | dq.roles_of(p)))
    if verdicts[0] is not False and len(holders) == 1:
        d, qi = holders[0]
        if _refined_same(who, docs[d].speakers[qi], cdq, docs) is False:
            verdicts = [False]
    if any(v is not False for v in verdicts):
        return None
    d, qi = holders[0]
    dq = docs[d]
    src_who = dq.speakers[qi]
    a, b = _attr_span(cdq, q, who)
    sa, sb = _attr_span(dq, dq.quotes[qi], src_who)
    return Finding(
        type="attribution_change",
        severity="high",
        explanation=(f"The candidate gives these quoted words to {who.text}; "
                     f"the source gives them to {src_who.text}."),
        candidate=ctx.cand_span(a, b),
        source=ctx.src_span(d, sa, sb),
        source_doc=d,
        confidence=0.8,
        details={"candidate_speaker": who.text, "source_speaker": src_who.text,
                 "quote": cdq.text[q.start:q.end]},
    )


@lru_cache(maxsize=16)
def given_prefixes(text: str) -> tuple[tuple[int, int, str | None, str | None], ...]:
    """Every "his wife " / "Mrs " that can introduce a given name in ``text``: (start, end,
    kin word, title). Found once per text, rather than one scan of it per person."""
    return tuple((m.start(), m.end(), m.group(1), m.group(2)) for m in attr.GIVEN_PREFIX.finditer(text))


def given_gender(p: Person, dqs: list[DocQuotes]) -> str | None:
    """Gender of a person's given name where a text introduces it ("his wife Kathy", "Mrs Jane Doe")."""
    words = re.findall(r"[A-Z][\w'’\-]+", p.text)
    if len(words) < 2 or words[0].lower() in SPEAKER_TITLES:
        return None
    given = re.compile(rf"{re.escape(words[0])}\b", re.IGNORECASE)
    found = set()
    for dq in dqs:
        # the matches of "(kin|title) given" as one scan would find them: left to right, each
        # resuming after the previous one's end
        resume = 0
        for start, end, kin, title in given_prefixes(dq.text):
            if start < resume:
                continue
            m = given.match(dq.text, end)
            if m:
                found.add(KIN_GENDER.get(kin.lower()) if kin else SPEAKER_TITLES[title.lower()])
                resume = m.end()
    return found.pop() if len(found) == 1 else None


def _refined_same(who: Person, src_who: Person, cdq: DocQuotes, docs: list[DocQuotes]) -> bool | None:
    """Second look where names or roles alone cannot tell: gender of a given name, or "his barrister".

    Two people sharing a surname differ when the texts give the one's first name a gender the
    other's title contradicts (a husband and "his wife Kathy"). A possessed role ("his barrister",
    "her solicitor") is someone other than the named man or woman it belongs to, unless the texts
    give that person the role.
    """
    all_docs = [cdq, *docs]
    ga = who.gender or given_gender(who, all_docs)
    gb = src_who.gender or given_gender(src_who, all_docs)
    if ga and gb and ga != gb:
        return False
    for a, b in ((who, src_who), (src_who, who)):
        first = a.text.split()[0].lower() if a.text.split() else ""
        if first in POSSESSIVE_GENDER and a.roles and not a.names and b.names and not b.roles:
            g = b.gender or given_gender(b, all_docs)
            known = set().union(*(dq.roles_of(b) for dq in all_docs))
            if g == POSSESSIVE_GENDER[first] and not (known & a.roles) and not any(
                    frozenset({x, y}) in ROLE_COMPATIBLE for x in known for y in a.roles):
                return False
    return None


def _merge_neighbours(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """Quotations side by side in one sentence ("“incorrect” and “reckless”") make one finding."""
    out: list[Finding] = []
    text = ctx.candidate_text
    for f in sorted(findings, key=lambda f: (f.type, f.candidate.start if f.candidate else 0)):
        prev = out[-1] if out else None
        if (prev is not None and prev.type == f.type and f.type in ("altered_quote", "fabricated_quote")
                and prev.candidate and f.candidate and prev.source_doc == f.source_doc
                and 0 <= f.candidate.start - prev.candidate.end <= 12
                and not re.search(r"[.!?]\s", text[prev.candidate.end:f.candidate.start])):
            prev.candidate = ctx.cand_span(prev.candidate.start, max(prev.candidate.end, f.candidate.end))
            if prev.source and f.source:
                prev.source = ctx.src_span(prev.source_doc, min(prev.source.start, f.source.start),
                                           max(prev.source.end, f.source.end))
            if "diff" in prev.details and "diff" in f.details:
                prev.details["diff"] = prev.details["diff"] + [
                    {"op": "gap", "source": "", "candidate": ""}] + f.details["diff"]
                changed = [o for o in prev.details["diff"] if o["op"] in ("replace", "insert", "delete")]
                prev.explanation = ("The words inside the quotation marks differ from the source's: "
                                    f"{_describe(changed)}.")
            if f.type == "fabricated_quote":
                prev.explanation = (f"The quoted words “{prev.candidate.text.strip()}” appear nowhere "
                                    "in the source.")
            if SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[prev.severity]:
                prev.severity = f.severity
            continue
        out.append(f)
    return out


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _fab_span(cdq: DocQuotes, q: Quote, short: bool) -> tuple[int, int]:
    """A fabricated quotation itself; a short one with a few words around it so it reads."""
    if not short:
        return q.start, q.end
    lo, hi = cdq.region(q)
    before = [m.start() for m in re.finditer(r"\S+", cdq.text[lo:q.start])][-5:]
    after = [m.end() for m in re.finditer(r"\S+", cdq.text[q.end:hi])][:4]
    return (lo + before[0] if before else q.start), (q.end + after[-1] if after else q.end)


def _changed_extent(cdq: DocQuotes, q: Quote, results) -> tuple[int, int]:
    """The sentences of the quotation that hold the changes."""
    changed = [p for p, m in results if m.kind == "none" or (m.diff is not None and m.diff.changed)]
    if not changed:
        return q.start, q.end
    text = cdq.text
    a, b = changed[0][0].start, changed[-1][-1].end
    # take in the sentence's closing punctuation, up to the closing quotation mark
    while b < q.end and not text[b].isspace() and text[b] not in "\"'”’":
        b += 1
    if a <= q.start + 1:
        a = q.start
    return a, b
