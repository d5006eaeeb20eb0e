"""Quotations of a document with their speakers: the index quotation matching reads.

A shared analysis (built once per document in ``findings.analysis``): each quotation's words
("quote" tokens of ``unspin.text``: contractions written out, light stems) in one stream, the
document's words, stem indexes over both, and the speaker of each quotation. Speakers are read
by the rules here and checked against the segmenter's reading; a speaker reached through a
pronoun or a follow-on paragraph counts only when both readings agree.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from unspin.lang.en import attribution as attr
from unspin.lang.en.grammar import NP_OPENERS, PASSIVE_BE, PERSONAL_POSSESSIVES
from unspin.lang.en.people import (
    GENDERED,
    OPPOSING_SIDES,
    PRONOUN_GENDER,
    ROLE_COMPATIBLE,
    SPEAKER_ROLES,
    SPEAKER_TITLES,
)
from unspin.lang.en.stop_words import QUOTE_STOP_WORDS
from unspin.text import Tok, tokenize
from unspin.types import Quote, Segmented


def content_stems(toks: list[Tok]) -> list[str]:
    """The stems of the content words of a stretch of quoted text."""
    return [t.stem for t in toks if t.norm not in QUOTE_STOP_WORDS]


_EDITORIAL = re.compile(r"\[[^\]]{0,80}\]|\((?:\S+\s*){1,4}\)")


def blank_editorial(text: str) -> str:
    """Blank the writer's insertions in a quotation: "[It is] a sorry state", "(Cross)"."""
    return _EDITORIAL.sub(lambda m: " " * len(m.group()), text)


def stem_sets(toks: list[Tok]) -> tuple[frozenset[str], frozenset[str]]:
    """(all word stems, content word stems) of a stretch of text."""
    return frozenset(t.stem for t in toks), frozenset(content_stems(toks))


@dataclass
class Person:
    """Who a quotation is given to: name words, role classes and grammatical gender if known."""

    text: str
    names: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    gender: str | None = None
    pronoun: bool = False
    start: int = -1
    end: int = -1
    how: str = "explicit"  # explicit | resolved (from a pronoun) | inherited (follow-on paragraph)

    @property
    def resolved(self) -> bool:
        return not self.pronoun and bool(self.names or self.roles)


def parse_person(text: str, start: int = -1, possessed: str | None = None) -> Person | None:
    """A Person from an attribution phrase ("Mrs Justice Smith", "The spokesman", "he")."""
    t = text.strip().rstrip(",")
    last = t.rsplit(None, 1)[-1] if t else ""
    if last.endswith(".") and len(last) > 3 and last[:-1].lower() not in SPEAKER_TITLES:
        t = t[:-1]  # "said Mr Browne." ends a sentence, "Mr." does not
    if not t:
        return None
    low = t.lower()
    if low in PRONOUN_GENDER:
        return Person(t, gender=PRONOUN_GENDER[low], pronoun=True, start=start, end=start + len(t))
    words = re.findall(r"[\w'’\-]+\.?", t)
    # "the Chinese foreign ministry's representative": a role; its capitalised words name an
    # organisation, not the speaker
    role_np = low.split()[0] in NP_OPENERS or bool(
        re.search(r"['’]s\s+[\w\-]+", t) and any(w.lower().strip(".") in SPEAKER_ROLES for w in words[-2:]))
    names: set[str] = set()
    roles: set[str] = set()
    gender = None
    for i, w in enumerate(words):
        lw = w.lower().rstrip(".")
        lw_plain = lw.replace("’", "'")
        if i == 0 and lw in attr.NOT_NAMES:
            continue
        if lw in NP_OPENERS or lw == "of":
            continue
        if lw in SPEAKER_TITLES or lw + "." in SPEAKER_TITLES:
            g = SPEAKER_TITLES.get(lw, SPEAKER_TITLES.get(lw + "."))
            gender = gender or g
            if lw in SPEAKER_ROLES:
                roles.add(SPEAKER_ROLES[lw])
            continue
        base = lw_plain[:-2] if lw_plain.endswith("'s") else lw_plain
        if base in SPEAKER_ROLES:
            roles.add(SPEAKER_ROLES[base])
            continue
        if base.endswith("s") and base[:-1] in SPEAKER_ROLES:
            roles.add(SPEAKER_ROLES[base[:-1]])
            continue
        if w[0].isupper() and not role_np:
            names.add(base)
    if possessed:
        r = SPEAKER_ROLES.get(possessed.lower().rstrip("s"), SPEAKER_ROLES.get(possessed.lower()))
        owner = t[:-2] if t.endswith(("'s", "’s")) else t
        return Person(f"{owner}'s {possessed}", roles=frozenset({r} if r else {"other"}), start=start,
                      end=start + len(t)) if r or possessed else None
    if not names and not roles:
        return None
    if "lawyer" in roles and low.split()[0] in PERSONAL_POSSESSIVES:
        roles.add("defence")  # "his barrister" acts for him, not for the prosecution
    if gender is None:
        gender = next((g for w, g in GENDERED.items() if w in low.split()), None)
    return Person(t, frozenset(names), frozenset(roles), gender, start=start, end=start + len(t))


def attributions(narration: str, inverted: bool = True, passive: bool = True):
    """(match, subject start, Person) for each speech-verb attribution in ``narration``.

    A forward subject must not be the object of what comes before it: "staff who worked for
    Mrs Price had described her" is not Mrs Price speaking.
    """
    rxs = [attr.FORWARD] + ([attr.INVERTED] if inverted else []) + ([attr.PASSIVE] if passive else []) + \
        [attr.ACCORDING, attr.COLON]
    for rx in rxs:
        for m in rx.finditer(narration):
            if rx is attr.FORWARD:
                head = re.findall(r"[\w'’]+", m.group(0))
                if len(head) >= 2 and head[-2].lower() in PASSIVE_BE:
                    continue  # "Irving was described as": the passive subject is not the speaker
                last = re.findall(r"[\w'’]+$", narration[:m.start(1)].rstrip())
                if last and last[0].lower() in attr.OBJECT_BEFORE:
                    continue
            poss = None
            if rx in (attr.FORWARD, attr.PASSIVE) and m.group(2):
                poss = m.group(2).split()[-1]
            elif m.group(1).endswith(("'s", "’s")):
                nxt = re.match(r"\s+([a-z][\w\-]*)", narration[m.end(1):])
                poss = nxt.group(1) if nxt else None  # "Mr Paton's secretary"
            subj = m.group(1)
            opener = rx is attr.FORWARD and m.group(3) and " " not in subj and subj.lower().endswith("ing")
            p = None if opener else parse_person(subj, m.start(1), poss)  # "Concluding, Miss Harold said"
            if rx is attr.FORWARD and (p is None or not p.names) and m.group(3):
                # "Defending, Ivor Frank said": the role opens the clause, the name follows
                for seg in reversed(m.group(3).split(",")):
                    seg = seg.strip()
                    nm = re.match(rf"{attr.ROLE_NP}|{attr.NAME}", seg)
                    if nm and re.fullmatch(attr.AUX, seg[nm.end():]):  # "Mrs Ferrier had", "the Recorder"
                        q = parse_person(nm.group(), m.start(3) + m.group(3).rfind(seg))
                        if q is not None and (q.names or p is None):
                            p = replace(q, roles=q.roles | (p.roles if p else frozenset()))
                        break
            if p is not None:
                yield m, p


def find_attribution(narration: str, quote_pos: int) -> Person | None:
    """The speaker named in a sentence's narration (quotes blanked), nearest the quote."""
    best: tuple[int, Person] | None = None
    for m, p in attributions(narration):
        d = abs(m.start() - quote_pos) if m.start() >= quote_pos else abs(quote_pos - m.end())
        if best is None or d < best[0]:
            best = (d, p)
    return best[1] if best else None


def same_person(a: Person, b: Person, roles_of) -> bool | None:
    """True / False when the two can / cannot be one person; None when there is no telling."""
    if not (a.resolved and b.resolved):
        return None
    if a.gender and b.gender and a.gender != b.gender:
        return False
    if a.names and b.names:
        return bool(a.names & b.names)
    ra = a.roles | (roles_of(a) if a.names else frozenset())
    rb = b.roles | (roles_of(b) if b.names else frozenset())
    if not ra or not rb:
        return None
    if ra & rb:
        return True
    if (ra | rb) >= OPPOSING_SIDES and not (ra >= OPPOSING_SIDES or rb >= OPPOSING_SIDES):
        return False  # the two sides of a case are never one person
    if any(frozenset({x, y}) in ROLE_COMPATIBLE for x in ra for y in rb):
        return True
    if "other" in ra or "other" in rb:
        return False if (a.names or b.names) else None
    return False


# --------------------------------------------------------------------------------------------
# per-document quote index


def _positions(toks: list[Tok]) -> dict[str, list[int]]:
    at: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        at.setdefault(t.norm, []).append(i)
    return at


def _runs_at(toks: list[Tok], at: dict[str, list[int]], norms: list[str]) -> list[int]:
    """Positions where ``norms`` runs in ``toks``, in order."""
    if not norms:
        return []
    n = len(norms)
    # anchored on the piece's rarest word, so "the" at its start does not visit every "the"
    r = min(range(n), key=lambda k: len(at.get(norms[k], ())))
    return [i for i in (j - r for j in at.get(norms[r], ())) if i >= 0 and i + n <= len(toks)
            and all(toks[i + k].norm == norms[k] for k in range(n))]


def _stem_index(sets) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """(stem -> rows whose first set holds it, stem -> rows whose second set holds it)."""
    every: dict[str, list[int]] = {}
    cont: dict[str, list[int]] = {}
    for row, (e, c) in enumerate(sets):
        for w in e:
            every.setdefault(w, []).append(row)
        for w in c:
            cont.setdefault(w, []).append(row)
    return every, cont


def _sharing(index: dict[str, list[int]], stems: list[str], least: int) -> list[int]:
    counts: dict[int, int] = {}
    for w in stems:
        for row in index.get(w, ()):
            counts[row] = counts.get(row, 0) + 1
    return sorted(row for row, c in counts.items() if c >= least)


_ASCII_LETTER = re.compile(r"[a-z]", re.IGNORECASE)
_ROLE_AFTER = re.compile(r"(?:'s|’s)?\s*,\s*([^,.;:“”\"]{1,70})[,.;:]")


@dataclass
class DocQuotes:
    """One document's quotations, resolved speakers and the quoted-words stream."""

    seg: Segmented
    text: str
    quotes: list[Quote]
    stream: list[Tok] = field(default_factory=list)  # all quoted words in order
    owner: list[int] = field(default_factory=list)  # stream position -> quote index
    qrange: list[tuple[int, int]] = field(default_factory=list)  # quote index -> stream range
    words: list[Tok] = field(default_factory=list)  # every word of the document
    para_starts: list[int] = field(default_factory=list)
    role_cache: dict[str, frozenset[str]] = field(default_factory=dict)
    _sent_words: list[list[Tok]] | None = None
    _qsets: dict | None = None
    _people: frozenset[str] | None = None
    _narration: str | None = None
    _sent_ends: list[int] | None = None
    _speakers: list | None = None
    # built on first use: word -> positions in the quoted-words stream and in ``words``, stem ->
    # quotes and sentences holding it, token -> first stream position, long quotes' starts
    _stream_at: dict[str, list[int]] | None = None
    _words_at: dict[str, list[int]] | None = None
    _qindex: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None
    _sindex: tuple[dict[str, list[int]], dict[str, list[int]]] | None = None
    _first_at: dict[Tok, int] | None = None
    _long_starts: list[int] | None = None
    _quote_starts: list[int] | None = None
    _runs_memo: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    _sent_starts: list[int] | None = None
    _lower: str | None = None  # the text lower-cased when it is ASCII, else ""

    @property
    def speakers(self) -> list[Person | None]:
        """Resolved speakers, read on first use (a candidate with no attributed quotes needs none)."""
        if self._speakers is None:
            self._speakers = self._resolve()
        return self._speakers
    _ssets: list | None = None

    @classmethod
    def build(cls, seg: Segmented) -> DocQuotes:
        text = seg.doc.text
        dq = cls(seg, text, sorted(seg.quotes, key=lambda q: q.start))
        dq.para_starts = [p.start for p in seg.doc.paragraphs] or [0]
        for i, q in enumerate(dq.quotes):
            toks = tokenize(blank_editorial(text[q.start:q.end]), q.start, "quote")
            dq.qrange.append((len(dq.stream), len(dq.stream) + len(toks)))
            dq.stream += toks
            dq.owner += [i] * len(toks)
        dq.words = tokenize(text, scheme="quote")
        return dq

    def quote_sets(self, qi: int) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        if self._qsets is None:
            self._qsets = {}
        if qi not in self._qsets:
            lo, hi = self.qrange[qi]
            toks = self.stream[lo:hi]
            self._qsets[qi] = (*stem_sets(toks), frozenset(t.norm for t in toks))
        return self._qsets[qi]

    def stream_runs(self, norms: list[str]) -> list[int]:
        """Every stream position where ``norms`` occurs as a contiguous run, in order (kept:
        a rewrite quotes the same words more than once)."""
        if self._stream_at is None:
            self._stream_at = _positions(self.stream)
        key = tuple(norms)
        if key not in self._runs_memo:
            self._runs_memo[key] = _runs_at(self.stream, self._stream_at, norms)
        return self._runs_memo[key]

    def word_runs(self, norms: list[str]) -> list[int]:
        """Every position in ``words`` where ``norms`` occurs as a contiguous run, in order."""
        if self._words_at is None:
            self._words_at = _positions(self.words)
        return _runs_at(self.words, self._words_at, norms)

    def first_stream_index(self, tok: Tok) -> int:
        """``self.stream.index(tok)`` from a table built once."""
        if self._first_at is None:
            self._first_at = {}
            for i, t in enumerate(self.stream):
                self._first_at.setdefault(t, i)
        return self._first_at[tok]

    def quotes_sharing(self, stems: list[str], by_content: bool, least: int) -> list[int]:
        """Quotes whose stem set (content stems when ``by_content``) holds at least ``least``
        of ``stems`` (counted with repeats, as ``overlap`` counts), in quote order."""
        if self._qindex is None:
            self._qindex = _stem_index([self.quote_sets(qi)[:2] for qi in range(len(self.quotes))])
        return _sharing(self._qindex[1 if by_content else 0], stems, least)

    def sentences_sharing(self, stems: list[str], by_content: bool, least: int) -> list[int]:
        """As ``quotes_sharing``, for the sentences of ``sentence_sets``."""
        if self._sindex is None:
            self._sindex = _stem_index(self.sentence_sets())
        return _sharing(self._sindex[1 if by_content else 0], stems, least)

    def long_quote_in(self, start: int, end: int) -> bool:
        """Whether a quotation of at least 4 words starts in [start, end)."""
        if self._long_starts is None:
            self._long_starts = sorted(q.start for q in self.quotes if len(q.text.split()) >= 4)
        k = bisect.bisect_left(self._long_starts, start)
        return k < len(self._long_starts) and self._long_starts[k] < end

    def sentence_sets(self) -> list[tuple[frozenset[str], frozenset[str]]]:
        if self._ssets is None:
            self._ssets = [stem_sets(toks) for toks in self.sentence_words()]
        return self._ssets

    def sentence_words(self) -> list[list[Tok]]:
        if self._sent_words is None:
            starts = [t.start for t in self.words]
            cut = bisect.bisect_left
            self._sent_words = [self.words[cut(starts, s.start):cut(starts, s.end)]
                                for s in self.seg.sentences]
        return self._sent_words

    def para_of(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def narration(self, start: int, end: int) -> str:
        """Text of [start, end) with every quotation blanked (same length, offsets kept)."""
        if self._narration is None:
            chars = list(self.text)
            for q in self.quotes:
                a, b = max(q.start - 1, 0), min(q.end + 1, len(chars))
                chars[a:b] = " " * (b - a)
                if a < b:
                    chars[a] = "—"  # a quotation breaks a run of capitalised words
            self._narration = "".join(chars)
        return self._narration[start:end]

    def _from_segment(self, q: Quote) -> Person | None:
        """The segmenter's speaker, marked by how it got there."""
        if not q.speaker:
            return None
        sp = q.speaker_span
        p = parse_person(q.speaker, sp.start if sp else -1)
        if p is None or sp is None:
            return p and replace(p, how="inherited")
        a, b = self.region(q)
        p = replace(p, start=sp.start, end=sp.end)
        if sp.text.strip().lower() in PRONOUN_GENDER:
            return replace(p, how="resolved")
        if not (a <= sp.start < b):
            return replace(p, how="inherited")
        return p

    def _own(self, q: Quote) -> Person | None:
        a, b = self.region(q)
        return shift_person(find_attribution(self.narration(a, b), q.start - a), a)

    def region(self, q: Quote) -> tuple[int, int]:
        """The sentences a quotation touches: where its attribution is written."""
        sents = self.seg.sentences
        if self._sent_ends is None:
            self._sent_ends = [s.end for s in sents]
        i = bisect.bisect_left(self._sent_ends, q.start)  # first sentence ending at or after it
        touched = []
        while i < len(sents) and sents[i].start <= q.end:
            touched.append(sents[i])
            i += 1
        if not touched:
            return q.start, q.end
        return min(s.start for s in touched), max(s.end for s in touched)

    def _resolve(self) -> list[Person | None]:
        """Speakers read by this module, checked against the segmenter's reading.

        Where the two cannot be one person, the speaker is unknown: an attribution finding
        must not rest on a misreading of either.
        """
        mine: list[Person | None] = []
        for i, q in enumerate(self.quotes):
            p = self._own(q)
            if p is None and i > 0 and mine[i - 1] is not None:
                # a follow-on paragraph of the same speech carries no attribution of its own,
                # nor does a second quotation in a sentence whose first one has it
                prev = self.quotes[i - 1]
                follow_on = self.para_of(q.start) - self.para_of(prev.start) <= 1 and self._opens_paragraph(q)
                if follow_on or self.region(q) == self.region(prev):
                    p = replace(mine[i - 1], how="inherited")
            if p is None and self._opens_paragraph(q):
                p = self._previous_paragraph_speaker(q)
            if p is not None and p.pronoun:
                p = self.antecedent(p.start, p, mine)
            mine.append(p)
        out: list[Person | None] = []
        for q, own in zip(self.quotes, mine, strict=True):
            seg = self._from_segment(q)
            if own is None or (seg is not None and same_person(own, seg, self.roles_of) is False):
                out.append(None)
            elif own.how != "explicit" and (seg is None or not same_person(own, seg, self.roles_of)):
                out.append(None)  # a pronoun or a follow-on paragraph: both readings must agree
            elif seg is not None and seg.names and not own.names and same_person(own, seg, self.roles_of):
                out.append(replace(seg, start=own.start, end=own.end, how=own.how))
            else:
                out.append(own)
        return out

    def _previous_paragraph_speaker(self, q: Quote) -> Person | None:
        """A quotation opening a paragraph right after "..., he said." continues that speaker."""
        pi = self.para_of(q.start)
        if pi <= 0:
            return None
        paras = self.seg.doc.paragraphs
        a, b = paras[pi - 1].start, paras[pi - 1].end
        nar = self.narration(a, b)
        found = None
        for m, p in attributions(nar, passive=False):
            if found is None or m.start() > found[0]:
                found = (m.start(), m, p)
        if found is None or attr.QUESTION.search(found[1].group(0)):
            return None  # after "X asked Y ...", the next quotation is Y's answer
        return replace(found[2], start=a + found[2].start, end=a + found[2].end, how="inherited")

    def _opens_paragraph(self, q: Quote) -> bool:
        pi = self.para_of(q.start)
        if pi < 0:
            return False
        return not self.text[self.para_starts[pi]:q.start].strip(" \"'“‘\n")

    def antecedent(self, pos: int, pron: Person, known: list[Person | None]) -> Person | None:
        """The nearest speaker before ``pos`` a pronoun can stand for."""
        sents = self._sentences_before(pos)[-4:]
        if not sents:
            return None
        mentions: list[tuple[int, Person]] = []
        if self._quote_starts is None:
            self._quote_starts = [q.start for q in self.quotes]  # sorted: quotes are in text order
        first = bisect.bisect_left(self._quote_starts, sents[0].start)
        for qi in range(first, bisect.bisect_left(self._quote_starts, pos)):
            q = self.quotes[qi]
            if sents[0].start <= q.start < pos and qi < len(known) and known[qi] is not None \
                    and known[qi].resolved:
                mentions.append((q.start, known[qi]))
        for s in sents:
            nar = self.narration(s.start, min(s.end, pos))
            for m, p in attributions(nar, passive=False):
                if p.resolved:
                    mentions.append((s.start + m.start(), p))
            # the subject of a clause is what "he" most likely points back to, said or not
            for m in attr.CLAUSE_SUBJECT.finditer(nar):
                p = parse_person(m.group(1), s.start + m.start(1))
                if p is not None and p.names and m.group(2).lower() not in attr.NOT_VERBS:
                    mentions.append((s.start + m.start(1), p))
        mentions.sort(key=lambda x: x[0])
        pick: tuple[int, Person] | None = None
        for where, p in reversed(mentions):
            if pron.gender and p.gender and p.gender != pron.gender:
                continue
            if pron.text.lower() == "they" and p.names:
                continue
            if pron.gender and not p.gender:
                # "she" after "Ms Evans said Guscott told police": prefer the speaker whose
                # gender is known to fit, nearest first
                pick = pick or (where, p)
                continue
            pick = (where, p)
            break
        if pick is None:
            return None
        at, p = pick
        # someone else named between the antecedent and the pronoun makes it a guess
        between = self.narration(at, pos)
        others = {w.lower() for w in re.findall(r"[A-Z][\w'’\-]+", between)} & self.person_names()
        if others - p.names:
            return None
        # the pronoun's gender is not passed on: it would make this guess look like evidence
        return Person(p.text, p.names, p.roles, p.gender, start=pron.start, end=pron.end, how="resolved")

    def _sentences_before(self, pos: int) -> list:
        """The sentences that start before ``pos``, in order."""
        if self._sent_starts is None:
            starts = [s.start for s in self.seg.sentences]
            ordered = all(a <= b for a, b in zip(starts, starts[1:], strict=False))
            self._sent_starts = starts if ordered else []
        if not self._sent_starts and self.seg.sentences:  # not in text order: look at each
            return [s for s in self.seg.sentences if s.start < pos]
        return self.seg.sentences[:bisect.bisect_left(self._sent_starts, pos)]

    def person_names(self) -> frozenset[str]:
        """Name words of the people this document has speak or titles (Mr, Judge ...)."""
        if self._people is None:
            people: set[str] = set()
            for s in self.seg.sentences:
                for _, p in attributions(self.narration(s.start, s.end), passive=False):
                    people |= p.names
            for m in attr.TITLED_NAME.finditer(self.text):
                people |= {w.lower() for w in m.group(1).split()}
            self._people = frozenset(people)
        return self._people

    def name_matches(self, name: str) -> list[re.Match]:
        """``re.finditer(rf"\b{name}\b", text, re.IGNORECASE)``, found faster for an ASCII
        name: the regex is tried only where the lower-cased text has the name, each match
        resuming after the last as finditer does. That finds them all when lower-casing keeps
        the text's length and no other character of it matches an ASCII letter regardless of
        case (the Kelvin sign, the long s, dotted and dotless i); otherwise the plain scan."""
        rx = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        if self._lower is None:
            low = self.text.lower()
            odd = any(_ASCII_LETTER.fullmatch(c) for c in set(self.text) if not c.isascii())
            self._lower = low if len(low) == len(self.text) and not odd else ""
        if not (name and name.isascii() and self._lower):
            return list(rx.finditer(self.text))
        out: list[re.Match] = []
        end = 0
        k = self._lower.find(name)
        while k >= 0:
            if k >= end:
                m = rx.match(self.text, k)
                if m:
                    out.append(m)
                    end = m.end()
            k = self._lower.find(name, k + 1)
        return out

    def roles_of(self, person: Person) -> frozenset[str]:
        """Roles a named person is given anywhere in this document ("Greg Holland, the ... manager")."""
        key = "|".join(sorted(person.names))
        if key in self.role_cache:
            return self.role_cache[key]
        roles: set[str] = set()
        for name in person.names:
            for m in self.name_matches(name):
                if not self.text[m.start()].isupper():
                    continue
                after = _ROLE_AFTER.match(self.text, m.end())
                before = self.text[max(0, m.start() - 60):m.start()]
                before = re.split(r"[.;:!?\"“”]", before)[-1]
                bw = re.findall(r"[\w'’\-]+", before)[-5:]
                ws = re.findall(r"[\w'’\-]+", after.group(1)) if after else []
                for w in ws + bw:
                    lw = w.lower().replace("’", "'")
                    if lw.endswith("'s"):
                        continue  # "Mr Paton's secretary": a role of someone else
                    if lw in SPEAKER_ROLES:
                        roles.add(SPEAKER_ROLES[lw])
        self.role_cache[key] = frozenset(roles)
        return self.role_cache[key]


def shift_person(p: Person | None, base: int) -> Person | None:
    """``p`` with its offsets moved by ``base`` (found in a slice of the text)."""
    return None if p is None else replace(p, start=p.start + base, end=p.end + base)
