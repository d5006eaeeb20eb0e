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
import unicodedata
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from unspin.findings.context import Context
from unspin.lang.en import ROLES
from unspin.types import Finding, Quote, Segmented

# --------------------------------------------------------------------------------------------
# words

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…|\[\s*\.\.\.\s*\]")

_CONTRACTIONS = {
    "won't": ["will", "not"], "can't": ["can", "not"], "cannot": ["can", "not"],
    "shan't": ["shall", "not"], "ain't": ["is", "not"], "let's": ["let", "us"],
}
_SUFFIXES = {"n't": "not", "'re": "are", "'m": "am", "'ve": "have", "'ll": "will", "'d": "would"}
_S_PRONOUNS = frozenset(["he", "she", "it", "that", "there", "what", "who", "here", "where", "how"])

STOP = frozenset(str.split("""
a an the and or but if of to in on at by for from with as into onto about than then that this
these those there here it its is are was were be been being am has have had do does did not no
so such he she they we you i me him her them us his hers their our your my who whom whose
which what when where why how all any some each both would could should will shall may might
must can just very also well mean look oh er um ah
"""))


@dataclass(frozen=True)
class Tok:
    """One compared word: ``norm`` is what is compared, [start, end) the exact characters."""

    norm: str
    start: int
    end: int


def tokenize(text: str, base: int = 0) -> list[Tok]:
    """Words of ``text`` for comparison, contractions expanded, offsets shifted by ``base``."""
    out: list[Tok] = []
    text = text.replace("\u00a0", " ")
    for m in _WORD.finditer(text):
        raw = m.group()
        if not raw.isascii():
            raw = unicodedata.normalize("NFKC", raw)
        raw = raw.lower()
        s, e = base + m.start(), base + m.end()
        if "'" not in raw and "’" not in raw:
            if raw == "n" and text[m.start() - 1:m.start()] in ("'", "’"):
                raw = "and"  # rock 'n' roll
            out.append(Tok(raw, s, e))
            continue
        raw = raw.replace("’", "'")
        if raw in _CONTRACTIONS:
            out += [Tok(w, s, e) for w in _CONTRACTIONS[raw]]
            continue
        for suf, full in _SUFFIXES.items():
            if raw.endswith(suf) and len(raw) > len(suf):
                root = raw[: -len(suf)]
                if suf == "n't":
                    root = {"wo": "will", "ca": "can", "sha": "shall"}.get(root, root)
                out += [Tok(root, s, e), Tok(full, s, e)]
                break
        else:
            if raw.endswith("'s") and raw[:-2] in _S_PRONOUNS:
                out += [Tok(raw[:-2], s, e), Tok("is", s, e)]
            else:
                out.append(Tok(raw, s, e))
    return out


@lru_cache(maxsize=50000)
def stem(word: str) -> str:
    """A crude stem, enough to see "tarnished" and "tarnish" as one content word."""
    w = word.replace("'", "")
    for suf in ("ing", "ed", "es", "s", "ly"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def content(toks: list[Tok]) -> list[str]:
    return [stem(t.norm) for t in toks if t.norm not in STOP]


QUOTE_CHARS = "\"'“”‘’`«»"
_SENT_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")


_EDITORIAL = re.compile(r"\[[^\]]{0,80}\]|\((?:\S+\s*){1,4}\)")


def blank_editorial(text: str) -> str:
    """Blank the writer's insertions in a quotation: "[It is] a sorry state", "(Cross)"."""
    return _EDITORIAL.sub(lambda m: " " * len(m.group()), text)


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
    from unspin.findings.garbled import _prev_token_is_abbrev

    cuts = [(m.start(), m.end()) for m in _ELLIPSIS.finditer(text)]
    for m in _SENT_END.finditer(text):
        if text[m.start()] == "." and (_prev_token_is_abbrev(text, m.start())
                                       or text[max(0, m.start() - 2):m.start()] == ".."):
            continue
        if not any(a <= m.start() < b for a, b in cuts):
            cuts.append((m.start() + 1, m.end()))
    out, pos = [], 0
    text = blank_editorial(text)
    for a, b in sorted(cuts) + [(len(text), len(text))]:
        if a < pos:
            continue
        toks = tokenize(text[pos:a], base + pos)
        if toks:
            out.append(toks)
        pos = b
    return out


def stem_sets(toks: list[Tok]) -> tuple[frozenset[str], frozenset[str]]:
    """(all word stems, content word stems) of a stretch of text."""
    return frozenset(stem(t.norm) for t in toks), frozenset(content(toks))


def piece_stems(piece: list[Tok]) -> tuple[list[str], bool]:
    """The stems a piece is compared by: its content words, or all its words when it has few."""
    pc = content(piece)
    return (pc, True) if len(pc) >= 3 else ([stem(t.norm) for t in piece], False)


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
    if a == b or stem(a) == stem(b):
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
        st, ct = tokenize(o["source"]), tokenize(o["candidate"])
        if o["op"] == "replace" and len(st) == len(ct) and all(
                _variant(x.norm, y.norm) for x, y in zip(st, ct, strict=True)):
            continue
        if any(t.norm not in STOP for t in st + ct):
            return "content"
        worst = "function"
    return worst


# --------------------------------------------------------------------------------------------
# speakers

_TITLES = {"mr": "m", "mr.": "m", "sir": "m", "lord": "m", "mrs": "f", "mrs.": "f", "ms": "f",
           "ms.": "f", "miss": "f", "lady": "f", "dame": "f", "dr": None, "dr.": None, "prof": None,
           "professor": None, "president": None, "senator": None, "sen": None, "rep": None,
           "gov": None, "governor": None, "secretary": None, "minister": None, "chancellor": None,
           "det": None, "insp": None, "sgt": None, "pc": None, "supt": None, "chief": None,
           "councillor": None, "cllr": None, "rev": None, "father": None, "qc": None, "mp": None}
# role word -> role class; classes are the parties of a story that cannot be one another
_ROLES = ROLES
# classes that may be one person: a lawyer prosecutes or defends
_ROLE_COMPAT = {frozenset({"lawyer", "prosecution"}), frozenset({"lawyer", "defence"}),
                frozenset({"official", "spokesperson"}), frozenset({"official", "government"}),
                frozenset({"official", "police"})}
_GENDERED = {"spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f", "mother": "f",
             "father": "m", "wife": "f", "husband": "m", "daughter": "f", "son": "m", "woman": "f",
             "man": "m", "policeman": "m", "policewoman": "f"}
_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "they": None, "i": None, "we": None}

_VERBS = (r"said|says|say|told|tells|added|adds|explained|insisted|replied|claimed|stated|argued|"
          r"continued|went on|warned|accepted|agreed|alleged|admitted|acknowledged|asked|"
          r"responded|remarked|noted|declared|concluded|commented|observed|recalled|urged|"
          r"maintained|retorted|conceded|emphasised|emphasized|stressed|announced|confirmed|"
          r"denied|suggested|wrote|described|believes|believed|hit back|put it|answered|"
          r"shouted|cried|mused|pleaded|testified|revealed|disclosed|reported|gave evidence")
_NAMEWORD = r"(?:[A-Z][\w'’\-]*\.?|de|van|von|da|di|du|le|la|al|bin)"
_NAME = rf"[A-Z][\w'’\-]*\.?(?:\s+{_NAMEWORD})*"
_ROLE_NP = (r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w'’\-]+\s+){0,4}?"
            r"(?i:" + "|".join(sorted(_ROLES, key=len, reverse=True)) + r")s?\b")
_PLURAL_ROLE = r"(?:Prosecutors|Lawyers|Police|Officials|Magistrates|Detectives|Officers)"
_SUBJ = rf"(?:{_ROLE_NP}|{_PLURAL_ROLE}|{_NAME}|[Hh]e|[Ss]he|[Tt]hey)"
_AUX = r"(?:\s+(?:himself|herself|themselves|had|has|have|also|then|later|allegedly|previously|" \
       r"again|once|yesterday|today|simply|quickly|repeatedly|further|flatly))*"
_ATTR_FWD = re.compile(rf"(?<![\w'’])({_SUBJ})((?:'s|’s)\s+[a-z]+)?"  # "Mr Paton's secretary"
                       rf"((?:\s*,[^,;:\"“”]{{1,90}}){{0,3}}),?{_AUX}\s+(?:{_VERBS})\b")
_INV_VERBS = (r"said|says|added|adds|asked|replied|continued|stated|explained|insisted|argued|mused|"
              r"remarked|wrote|warned|declared|noted|observed|recalled|responded|retorted|concluded")
# "..., said Mr Browne." : the inverted speaker closes the clause ("asked Cobb:" names the addressee)
_ATTR_INV = re.compile(rf"\b(?:{_INV_VERBS})\s+({_ROLE_NP}|{_NAME})(?=\s*(?:[,.;!?—]|$))")
_ATTR_BY = re.compile(rf"\b(?:told|informed|warned|described|quoted)\s+by\s+({_SUBJ})((?:'s|’s)\s+[a-z]+)?")
_ATTR_ACC = re.compile(rf"\b[Aa]ccording to\s+({_SUBJ})")
# "The magistrate: “It's not for me ...”" (a quotation marked "—" in the narration)
_ATTR_COLON = re.compile(rf"(?:^|(?<=[.!?]\s))\s*({_ROLE_NP}|{_NAME})\s*:\s*—")
_SUBJECT = re.compile(rf"(?:^|[,;:]\s+|\b(?:and|but|then|when|while)\s+)({_NAME})\s+([a-z]+)")
_NOT_VERBS = frozenset(str.split("""of in on at for to from with by and or the a an who which that whose as
than into near"""))
_NOT_NAMES = frozenset(str.split("""the a an this that it in on at as when while after before during but and
if however also asked speaking jailing sentencing passing explaining pleading describing
appealing giving outside inside although despite yesterday today later earlier within without
among between under over through across against around behind beyond since until unless because
though whilst once"""))


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
    if last.endswith(".") and len(last) > 3 and last[:-1].lower() not in _TITLES:
        t = t[:-1]  # "said Mr Browne." ends a sentence, "Mr." does not
    if not t:
        return None
    low = t.lower()
    if low in _PRONOUNS:
        return Person(t, gender=_PRONOUNS[low], pronoun=True, start=start, end=start + len(t))
    words = re.findall(r"[\w'’\-]+\.?", t)
    # "the Chinese foreign ministry's representative": a role; its capitalised words name an
    # organisation, not the speaker
    role_np = low.split()[0] in ("the", "a", "an", "his", "her", "their", "its") or bool(
        re.search(r"['’]s\s+[\w\-]+", t) and any(w.lower().strip(".") in _ROLES for w in words[-2:]))
    names: set[str] = set()
    roles: set[str] = set()
    gender = None
    for i, w in enumerate(words):
        lw = w.lower().rstrip(".")
        lw_plain = lw.replace("’", "'")
        if i == 0 and lw in _NOT_NAMES:
            continue
        if lw in ("the", "a", "an", "his", "her", "their", "its", "of"):
            continue
        if lw in _TITLES or lw + "." in _TITLES:
            g = _TITLES.get(lw, _TITLES.get(lw + "."))
            gender = gender or g
            if lw in _ROLES:
                roles.add(_ROLES[lw])
            continue
        base = lw_plain[:-2] if lw_plain.endswith("'s") else lw_plain
        if base in _ROLES:
            roles.add(_ROLES[base])
            continue
        if base.endswith("s") and base[:-1] in _ROLES:
            roles.add(_ROLES[base[:-1]])
            continue
        if w[0].isupper() and not role_np:
            names.add(base)
    if possessed:
        r = _ROLES.get(possessed.lower().rstrip("s"), _ROLES.get(possessed.lower()))
        owner = t[:-2] if t.endswith(("'s", "’s")) else t
        return Person(f"{owner}'s {possessed}", roles=frozenset({r} if r else {"other"}), start=start,
                      end=start + len(t)) if r or possessed else None
    if not names and not roles:
        return None
    if "lawyer" in roles and low.split()[0] in ("his", "her", "their"):
        roles.add("defence")  # "his barrister" acts for him, not for the prosecution
    if gender is None:
        gender = next((g for w, g in _GENDERED.items() if w in low.split()), None)
    return Person(t, frozenset(names), frozenset(roles), gender, start=start, end=start + len(t))


_OBJECT_BEFORE = frozenset(str.split("""for of to by with from against about on in at into onto upon than
like between among toward towards told asked informed thanked accused urged called named saw heard met
visited sued attacked blamed praised criticised criticized described"""))
_QUESTION = re.compile(r"\b(?:asked|questioned|put it to|pressed)\b")


def attributions(narration: str, inverted: bool = True, passive: bool = True):
    """(match, subject start, Person) for each speech-verb attribution in ``narration``.

    A forward subject must not be the object of what comes before it: "staff who worked for
    Mrs Price had described her" is not Mrs Price speaking.
    """
    rxs = [_ATTR_FWD] + ([_ATTR_INV] if inverted else []) + ([_ATTR_BY] if passive else []) + \
        [_ATTR_ACC, _ATTR_COLON]
    for rx in rxs:
        for m in rx.finditer(narration):
            if rx is _ATTR_FWD:
                head = re.findall(r"[\w'’]+", m.group(0))
                if len(head) >= 2 and head[-2].lower() in ("was", "were", "been", "being", "is", "are", "be"):
                    continue  # "Irving was described as": the passive subject is not the speaker
                last = re.findall(r"[\w'’]+$", narration[:m.start(1)].rstrip())
                if last and last[0].lower() in _OBJECT_BEFORE:
                    continue
            poss = None
            if rx in (_ATTR_FWD, _ATTR_BY) and m.group(2):
                poss = m.group(2).split()[-1]
            elif m.group(1).endswith(("'s", "’s")):
                nxt = re.match(r"\s+([a-z][\w\-]*)", narration[m.end(1):])
                poss = nxt.group(1) if nxt else None  # "Mr Paton's secretary"
            subj = m.group(1)
            opener = rx is _ATTR_FWD and m.group(3) and " " not in subj and subj.lower().endswith("ing")
            p = None if opener else parse_person(subj, m.start(1), poss)  # "Concluding, Miss Harold said"
            if rx is _ATTR_FWD and (p is None or not p.names) and m.group(3):
                # "Defending, Ivor Frank said": the role opens the clause, the name follows
                for seg in reversed(m.group(3).split(",")):
                    seg = seg.strip()
                    nm = re.match(rf"{_ROLE_NP}|{_NAME}", seg)
                    if nm and re.fullmatch(_AUX, seg[nm.end():]):  # "Mrs Ferrier had", "the Recorder"
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
    if {"defence", "prosecution"} <= (ra | rb) and not ({"defence", "prosecution"} <= ra or
                                                      {"defence", "prosecution"} <= rb):
        return False  # the two sides of a case are never one person
    if any(frozenset({x, y}) in _ROLE_COMPAT for x in ra for y in rb):
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
            toks = tokenize(blank_editorial(text[q.start:q.end]), q.start)
            dq.qrange.append((len(dq.stream), len(dq.stream) + len(toks)))
            dq.stream += toks
            dq.owner += [i] * len(toks)
        dq.words = tokenize(text)
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
        if sp.text.strip().lower() in _PRONOUNS:
            return replace(p, how="resolved")
        if not (a <= sp.start < b):
            return replace(p, how="inherited")
        return p

    def _own(self, q: Quote) -> Person | None:
        a, b = self.region(q)
        return _shift(find_attribution(self.narration(a, b), q.start - a), a)

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
                p = self._antecedent(p.start, p, mine)
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
        if found is None or _QUESTION.search(found[1].group(0)):
            return None  # after "X asked Y ...", the next quotation is Y's answer
        return replace(found[2], start=a + found[2].start, end=a + found[2].end, how="inherited")

    def _opens_paragraph(self, q: Quote) -> bool:
        pi = self.para_of(q.start)
        if pi < 0:
            return False
        return not self.text[self.para_starts[pi]:q.start].strip(" \"'“‘\n")

    def _antecedent(self, pos: int, pron: Person, known: list[Person | None]) -> Person | None:
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
            for m in _SUBJECT.finditer(nar):
                p = parse_person(m.group(1), s.start + m.start(1))
                if p is not None and p.names and m.group(2).lower() not in _NOT_VERBS:
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
            for m in re.finditer(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Judge|Sir|Lady|Lord|Prof|Det|Pc|Sgt)\.?\s+"
                                 r"((?:[A-Z][\w'’\-]+\s+)*[A-Z][\w'’\-]+)", self.text):
                people |= {w.lower() for w in m.group(1).split()}
            self._people = frozenset(people)
        return self._people

    def _name_matches(self, name: str) -> list[re.Match]:
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
            for m in self._name_matches(name):
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
                    if lw in _ROLES:
                        roles.add(_ROLES[lw])
        self.role_cache[key] = frozenset(roles)
        return self.role_cache[key]


def _shift(p: Person | None, base: int) -> Person | None:
    return None if p is None else replace(p, start=p.start + base, end=p.end + base)


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
        added = sum(len(tokenize(o["candidate"])) for o in df.ops if o["op"] != "equal")
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
    cw = [w for w in ws if w.lower() not in STOP]
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
    docs = [DocQuotes.build(s) for s in ctx.sources]
    cdq = DocQuotes.build(ctx.candidate)
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
_LEAD_OPENERS = frozenset(["in", "at", "during", "under", "on", "later", "earlier", "yesterday", "today",
                           "and", "but", "however", "giving"])


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
    if first.endswith("ing") or first in _NOT_NAMES:
        return None  # "Sentencing Hobbs, ... the judge said": the object of an opening clause
    if opener and not (opener.endswith(",") or opener.split()[0].lower() in _LEAD_OPENERS):
        return None  # "Officers spotted Mr Stanley, who they said ...": not the sentence's speaker
    if _QUESTION.search(m.group(0)):
        return None  # a question put to someone is not a statement of the asker's
    return _shift(p, start)


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
            src_who = dq._antecedent(pron.start, pron, dq.speakers)
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


_KIN_GENDER = {**_GENDERED, "sister": "f", "brother": "m", "girlfriend": "f", "boyfriend": "m",
               "widow": "f", "widower": "m", "fiancee": "f", "fiance": "m", "partner": None}
_POSSESSIVE_GENDER = {"his": "m", "her": "f"}


_GIVEN_PREFIX = re.compile(rf"\b(?:({'|'.join(k for k, g in _KIN_GENDER.items() if g)}),?[ \t]+|"
                           r"(Mrs|Miss|Ms|Mr|Sir|Lady)\.?[ \t]+)", re.IGNORECASE)


@lru_cache(maxsize=16)
def _given_prefixes(text: str) -> tuple[tuple[int, int, str | None, str | None], ...]:
    """Every "his wife " / "Mrs " that can introduce a given name in ``text``: (start, end,
    kin word, title). Found once per text, rather than one scan of it per person."""
    return tuple((m.start(), m.end(), m.group(1), m.group(2)) for m in _GIVEN_PREFIX.finditer(text))


def _given_gender(p: Person, dqs: list[DocQuotes]) -> str | None:
    """Gender of a person's given name where a text introduces it ("his wife Kathy", "Mrs Jane Doe")."""
    words = re.findall(r"[A-Z][\w'’\-]+", p.text)
    if len(words) < 2 or words[0].lower() in _TITLES:
        return None
    given = re.compile(rf"{re.escape(words[0])}\b", re.IGNORECASE)
    found = set()
    for dq in dqs:
        # the matches of "(kin|title) given" as one scan would find them: left to right, each
        # resuming after the previous one's end
        resume = 0
        for start, end, kin, title in _given_prefixes(dq.text):
            if start < resume:
                continue
            m = given.match(dq.text, end)
            if m:
                found.add(_KIN_GENDER.get(kin.lower()) if kin else _TITLES[title.lower()])
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
    ga = who.gender or _given_gender(who, all_docs)
    gb = src_who.gender or _given_gender(src_who, all_docs)
    if ga and gb and ga != gb:
        return False
    for a, b in ((who, src_who), (src_who, who)):
        first = a.text.split()[0].lower() if a.text.split() else ""
        if first in _POSSESSIVE_GENDER and a.roles and not a.names and b.names and not b.roles:
            g = b.gender or _given_gender(b, all_docs)
            known = set().union(*(dq.roles_of(b) for dq in all_docs))
            if g == _POSSESSIVE_GENDER[first] and not (known & a.roles) and not any(
                    frozenset({x, y}) in _ROLE_COMPAT for x in known for y in a.roles):
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
