"""Sentences, direct quotations and who said them, by rule (pure Python, no model).

Spun rewrites are caught sentence by sentence and quote by quote, so the split has to hold
up on news copy: titles (Mr., Gov.), U.S., initials, decimals, quotes that run over several
sentences and paragraphs (AP/PA convention: an unclosed paragraph continued by one that
opens a quote again), and the garbled run-togethers ("trade.would") that spinners leave.
Every offset is into ``Document.text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from unspin.ingest import soft_wrap
from unspin.lang.en import abbreviations, grammar, patterns, people, speech
from unspin.types import Document, Quote, Segmented, Sentence, Span, UnspinError

# English language data (unspin.lang.en), under the names this module reads it by
_MAYBE_FINAL = abbreviations.MAYBE_FINAL_ABBREVIATIONS
_NEEDS_NUMBER = abbreviations.NUMBER_ABBREVIATIONS
_NEVER_SPLIT_ACRONYMS = abbreviations.NEVER_SPLIT_ACRONYMS
_STATES = abbreviations.STATE_ABBREVIATIONS
_TITLES = abbreviations.NAME_ABBREVIATIONS
_TLDS = abbreviations.SENTENCE_TLDS
_FUNCTION = grammar.NAME_LINK_WORDS
_OPENERS = grammar.SENTENCE_OPENERS
_AFTER_STOP = patterns.SUBJECT_AFTER_STOP
_AND_END = patterns.AND_END
_ATTRIB_TAIL = patterns.ATTRIBUTION_TAIL
_BY = patterns.BY_AGENT
_COMPLEMENT = patterns.NP_COMPLEMENT
_ELISION = patterns.ELISION
_LEAD_DET = patterns.SPEAKER_NP_LEAD
_LEAD_PRON = patterns.LEAD_PRONOUN
_OF = patterns.OF_LINK
_PASSIVE = patterns.PASSIVE_BEFORE
_THE_ROLE = patterns.THE_ROLE
_TITLE_CASE = patterns.TITLE_CASE
_TRAILING_NOISE = patterns.SPEAKER_TRAILING_NOISE
_TRAILING_NP = patterns.TRAILING_NP
_CANON_DROP_EXTRA = people.CANONICAL_DROP_EXTRA
_FEMALE = people.FEMALE_WORDS
_MALE = people.MALE_WORDS
_PARTICLE = people.NAME_PARTICLE_PATTERN
_PRONOUNS = people.ATTRIBUTION_PRONOUNS
_ROLE_TITLES = people.ROLE_TITLE_WORDS
_STOP_CAPS = people.NOT_NAME_CAPS
_SUFFIX = people.NAME_SUFFIX_PATTERN
_TITLE = people.TITLE_PATTERN
_TITLE_WORDS = people.TITLE_ALTERNATION
_UNRESOLVABLE = people.UNRESOLVABLE_SUBJECTS
_INVERTIBLE = speech.INVERTIBLE_VERBS
_NAMING = speech.NAMING_VERBS
_PARTICIPLES = speech.SPEECH_PARTICIPLES
_VERBS = speech.ATTRIBUTION_VERBS


# --------------------------------------------------------------------------- paragraphs

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines of near-equal length that run on mid-sentence: a wrapped paragraph, not a list."""
    body = [ln.strip() for ln in lines[:-1]]
    if len(body) < 1 or any(not ln for ln in body):
        return False
    lengths = [len(ln) for ln in body]
    if min(lengths) < 40 or max(lengths) > 100 or max(lengths) - min(lengths) > 30:
        return False
    run_on = sum(1 for ln in body if ln[-1] not in '.!?:"”’')
    return run_on * 2 > len(body)


def _fallback_paragraphs(text: str) -> list[tuple[int, int]]:
    """Blank-line blocks; without blank lines every line is a paragraph (unless wrapped)."""
    if _BLANK_LINE.search(text):
        cuts = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)]
    else:
        lines = text.split("\n")
        if len(lines) > 2 and _hard_wrapped(lines):
            cuts = []
        else:
            cuts = [(m.start(), m.end()) for m in _NEWLINE.finditer(text)]
    spans = []
    pos = 0
    for a, b in [*cuts, (len(text), len(text))]:
        s, e = _strip_span(text, pos, a)
        if e > s:
            spans.append((s, e))
        pos = b
    return spans


def _paragraphs(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    if not doc.paragraphs:
        return _fallback_paragraphs(text)
    spans = []
    for p in doc.paragraphs:
        if not (0 <= p.start <= p.end <= len(text)):
            raise UnspinError(f"paragraph span {p.start}-{p.end} lies outside the document text")
        s, e = _strip_span(text, p.start, p.end)
        if e > s:
            spans.append((s, e))
    spans.sort()
    return spans


# ---------------------------------------------------------------------------- sentences

# Abbreviations that precede a name or number and never end a sentence.
# Abbreviations that may also end a sentence: split only before a typical sentence opener.
# '"Why?" Blinken asked.' - an attribution after a quoted question is the same sentence

_TERMINAL = re.compile(r"(\.\.\.|…|\. \. \.|[.!?]+)([\"'”’»)\]]*)(?=\s)")
_RUN_TOGETHER = re.compile(r"(?<=[a-z])\.(?=[A-Za-z])")
_QUOTE_CHARS = "\"'“”‘’„‟«»`‚"
_START_OK = set(_QUOTE_CHARS) | set("([{£$€¥#@•-–—¿¡*")


def _left_token(p: str, i: int) -> str:
    """The word ending just before position ``i`` (a period), without opening punctuation."""
    j = i
    while j > 0 and not p[j - 1].isspace():
        j -= 1
    return p[j:i].lstrip("\"'“‘(«[`")


def _next_word(p: str, j: int) -> str:
    m = _NEXT_WORD.match(p, j, j + 40)
    return m.group(1) if m else ""


def _period_ends_sentence(tok: str, nxt_word: str) -> bool:
    low = tok.lower()
    opener = nxt_word in _OPENERS
    if not tok:
        return True
    if low in _TITLES:
        return False
    if _ACRONYM.fullmatch(tok):  # U.S  a.m  e.g
        return low not in _NEVER_SPLIT_ACRONYMS and opener
    if len(tok) == 1 and tok.isalpha():  # an initial: George W. Bush
        return opener
    if low in _MAYBE_FINAL or tok in _STATES:
        return opener
    if low in _NEEDS_NUMBER:
        return not nxt_word[:1].isdigit()
    return True


_TOKEN_REACH = 100


def _domain_like(p: str, i: int) -> bool:
    """Is the period at ``i`` inside a URL, e-mail address, file name or dotted acronym?

    A run of more than ``_TOKEN_REACH`` non-space characters on either side is not prose (a
    mangled URL, a long dotted string): the period is not a sentence end, and the scan stays
    bounded, so a 500,000-character run of "a.a.a" costs linear time, not quadratic.
    """
    a = i
    while a > 0 and not p[a - 1].isspace():
        a -= 1
        if i - a > _TOKEN_REACH:
            return True
    b = i
    while b < len(p) and not p[b].isspace():
        b += 1
        if b - i > _TOKEN_REACH:
            return True
    token = p[a:b].rstrip(".,;:!?)]\"'”’")
    if "@" in token or "/" in token or "www" in token.lower() or ":" in token:
        return True
    if token.count(".") > 1:
        return True
    right = _ALPHA.match(p, i + 1)
    k = i
    while k > 0 and p[k - 1].isascii() and p[k - 1].isalpha():
        k -= 1
    lw = p[k:i]
    if not right or not lw:
        return True
    rw = right.group()
    if rw.lower() in _TLDS or lw.lower() in _TITLES or lw.lower() in _MAYBE_FINAL:
        return True
    if rw[0].isupper():
        # "bailiffs.You": a capitalised word after a lowercase one; not "ASP.Net"-like
        return len(lw) < 2 or not (rw[1:].islower() and len(rw) >= 2)
    return len(rw) < 3


def _boundaries(p: str) -> list[tuple[int, int]]:
    """(end of one sentence, start of the next) positions inside paragraph text ``p``."""
    cuts: list[tuple[int, int]] = []
    n = len(p)
    for m in _TERMINAL.finditer(p):
        end = m.end()
        j = end
        while j < n and p[j].isspace():
            j += 1
        if j >= n:
            continue
        ch = p[j]
        if "\n" in p[end:j]:
            continue  # the newline rule below handles it
        if not (ch.isupper() or ch.isdigit() or ch in _START_OK):
            continue
        core, closers = m.group(1), m.group(2)
        if core in ("...", "…", ". . ."):
            if m.start() == 0 or p[m.start() - 1].isspace():
                continue  # " ... " marks words left out, mid-sentence
        elif "?" in core or "!" in core:
            if closers and _ATTRIB_TAIL.match(p, j):
                continue
        else:
            if closers and any(c in closers for c in _QUOTE_CHARS):
                a = _ATTRIB_TAIL.match(p, j)
                if a and (a.group("tail") in (".", ",", "") or a.end() >= n):
                    continue
            if not closers and not _period_ends_sentence(_left_token(p, m.start()),
                                                         _next_word(p, j)):
                continue
        cuts.append((end, j))
    for m in _RUN_TOGETHER.finditer(p):
        i = m.start()
        if not _domain_like(p, i):
            cuts.append((i + 1, i + 1))
    if "\n" in p and not _hard_wrapped(p.split("\n")):
        for m in _NEWLINE_WS.finditer(p):
            # a line break inside a sentence (no sentence end before it, and a lower-case word
            # or a dangling "of" / "the" / comma around it) is a wrap, not a sentence end
            line_start = p.rfind("\n", 0, m.start()) + 1
            line_end = p.find("\n", m.end())
            if not soft_wrap(p[line_start:m.start()], p[m.end():line_end if line_end >= 0 else len(p)]):
                cuts.append((m.start(), m.end()))
    cuts.sort()
    return cuts


# Limits that keep the worst input (5 MB, see ingest.MAX_BYTES) bounded in time and memory.
# A news sentence is rarely over 400 characters; text with no full stops would otherwise be
# one sentence of megabytes, whose character n-grams and fuzzy ratios cost gigabytes in align.
MAX_SENTENCE_CHARS = 1_000
# A long article has a few hundred sentences and 30,000 characters; these are books.
MAX_SENTENCES = 25_000
MAX_TEXT_CHARS = 1_000_000
_CLAUSE_BREAK = re.compile(r"[;:,)\]—–]\s")
_SENT_END_EST = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\n")


def _check_count(text: str) -> None:
    """Refuse a text with far too many sentences before splitting it, which is the slow part
    (a million "Yes." would take seconds): the count of sentence-ending marks and line
    breaks is an upper bound on the number of sentences, found in milliseconds."""
    if len(text) > MAX_TEXT_CHARS:
        raise UnspinError(f"text is too long to compare ({len(text):,} characters; the limit is "
                          f"{MAX_TEXT_CHARS:,}); split it into articles")
    est = len(_SENT_END_EST.findall(text)) + len(text) // MAX_SENTENCE_CHARS
    if est > MAX_SENTENCES:
        raise UnspinError(f"text has too many sentences to compare (about {est:,}; the limit is "
                          f"{MAX_SENTENCES:,}); split it into articles")


def _chunks(p: str, s: int, e: int) -> list[tuple[int, int]]:
    """An over-long sentence cut into pieces of at most MAX_SENTENCE_CHARS, at clause
    punctuation where there is some in the second half of the window, else between words."""
    out = []
    while e - s > MAX_SENTENCE_CHARS:
        lo, hi = s + MAX_SENTENCE_CHARS // 2, s + MAX_SENTENCE_CHARS
        cut = -1
        for m in _CLAUSE_BREAK.finditer(p, lo, hi):
            cut = m.start() + 1
        if cut < 0:
            sp = max(p.rfind(" ", lo, hi), p.rfind("\n", lo, hi), p.rfind("\t", lo, hi))
            cut = sp if sp > s else hi
        a, b = _strip_span(p, s, cut)
        if b > a:
            out.append((a, b))
        s = cut
    a, b = _strip_span(p, s, e)
    if b > a:
        out.append((a, b))
    return out


def _split_paragraph(text: str, ps: int, pe: int) -> list[tuple[int, int]]:
    p = text[ps:pe]
    pieces: list[tuple[int, int]] = []
    pos = 0
    for end, nxt in _boundaries(p):
        if end <= pos:
            pos = max(pos, nxt)
            continue
        pieces.append((pos, end))
        pos = nxt
    pieces.append((pos, len(p)))
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        s, e = _strip_span(p, a, b)
        if e <= s:
            continue
        # a stray closing mark or dash alone is not a sentence: keep it with its neighbour
        if out and not any(c.isalnum() for c in p[s:e]):
            out[-1] = (out[-1][0], e)
            continue
        if len(out) == 1 and not any(c.isalnum() for c in p[out[0][0]:out[0][1]]):
            out[0] = (out[0][0], e)
            continue
        out.append((s, e))
    if any(e - s > MAX_SENTENCE_CHARS for s, e in out):
        out = [c for s, e in out for c in _chunks(p, s, e)]
    return [(ps + s, ps + e) for s, e in out]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets into ``text``; paragraphs are blank-line blocks or lines."""
    if not isinstance(text, str):
        raise UnspinError("split_sentences expects text")
    _check_count(text)
    out: list[tuple[int, int]] = []
    for ps, pe in _fallback_paragraphs(text):
        out.extend(_split_paragraph(text, ps, pe))
    return out


# ------------------------------------------------------------------------------- quotes

_D_OPEN, _D_CLOSE, _S_OPEN = "“„‟«", "”»", "‘`‚"
_MARK = re.compile("[\"'“”‘’„‟«»`‚]")
_LEFT_CTX = set("([{—–-/") | set(_QUOTE_CHARS)
_RIGHT_CTX = set(".,;:!?)]}—–-/…") | set(_QUOTE_CHARS)


@dataclass
class _Q:
    mark: int  # opening mark (global offset)
    start: int  # inner span
    end: int
    close: int | None  # closing mark, None when the paragraph ended first
    para: int
    kind: str  # "d" or "s"
    chain: int = -1  # quotes of one utterance continued over paragraphs share a chain id


def _classify(p: str, i: int) -> str | None:
    """'open', 'close', 'either' or None (apostrophe / stray) for the mark at ``p[i]``."""
    c = p[i]
    prev = p[i - 1] if i > 0 else " "
    nxt = p[i + 1] if i + 1 < len(p) else " "
    left = prev.isspace() or prev in _LEFT_CTX
    right = nxt.isspace() or nxt in _RIGHT_CTX
    if c in _D_OPEN:
        return "close" if (right and not left) else "open"
    if c in _D_CLOSE:
        return "open" if (left and not right) else "close"
    if c == '"':
        if left and not right:
            return "open"
        if right and not left:
            return "close"
        return "either"
    # single marks
    if prev.isalnum() and nxt.isalnum():
        return None  # don't, O'Donnell, 90's
    if c == "`":
        return "open" if not nxt.isspace() else None
    if left and not right:
        if c == "’" or _ELISION.match(p, i + 1):
            return None  # ’90s, 'em, rock 'n' roll
        return "open"
    if right and not left:
        return None if c in _S_OPEN else "close"
    return None


def _scan_quotes(text: str, paras: list[tuple[int, int]]) -> list[_Q]:
    quotes: list[_Q] = []
    chain_id = 0
    carry: _Q | None = None  # a double quote left open at the end of the last paragraph
    for pi, (ps, pe) in enumerate(paras):
        p = text[ps:pe]
        marks = [(m.start(), _classify(p, m.start())) for m in _MARK.finditer(p)]
        marks = [(i, k) for i, k in marks if k]
        single_closes = [i for i, k in marks if k == "close" and p[i] in "'’"]
        stack: list[tuple[str, int]] = []  # (kind, mark index in p)
        continued = None
        if carry is not None:
            if marks and marks[0][0] == 0 and p[0] in "\"“„«" and marks[0][1] != "close":
                continued = carry
            carry = None
        for i, k in marks:
            c = p[i]
            if c in "\"“”„‟«»":
                has_d = any(kind == "d" for kind, _ in stack)
                if k == "open" or (k == "either" and not has_d):
                    stack.append(("d", i))
                    continue
                if not has_d:
                    continue  # stray closing mark
                while stack:
                    kind, oi = stack.pop()
                    if kind == "d":
                        break
                if not stack:
                    quotes.append(_Q(ps + oi, ps + oi + 1, ps + i, ps + i, pi, "d"))
                continue
            # single marks
            if k == "open":
                later = [j for j in single_closes if j > i + 1]
                if later and not (stack and stack[-1][0] == "s"):
                    stack.append(("s", i))
                continue
            if not (stack and stack[-1][0] == "s"):
                continue  # apostrophe: birds' / Magistrates'
            prev = p[i - 1]
            if prev in "sSzZ" or prev.isdigit():
                # "the boys' cage" inside a quote: a plural possessive if another closer follows
                rest = p[i + 1:i + 3]
                if len(rest) == 2 and rest[0] == " " and rest[1].islower() and any(
                        j > i for j in single_closes):
                    continue
            _, oi = stack.pop()
            if not stack:
                quotes.append(_Q(ps + oi, ps + oi + 1, ps + i, ps + i, pi, "s"))
        if stack and stack[0][0] == "d":
            oi = stack[0][1]
            q = _Q(ps + oi, ps + oi + 1, pe, None, pi, "d")
            quotes.append(q)
            carry = q
        if continued is not None:
            first = next((q for q in quotes if q.para == pi), None)
            if first is not None:
                if continued.chain < 0:
                    continued.chain = chain_id
                    chain_id += 1
                first.chain = continued.chain
    out = []
    for q in sorted(quotes, key=lambda q: q.start):
        q.start, q.end = _strip_span(text, q.start, q.end)
        if q.end > q.start and not (q.kind == "s" and q.end - q.start <= 2):  # Toys 'R' Us
            out.append(q)
    return out


# ----------------------------------------------------------------------------- speakers



def _trie_regex(words: list[str]) -> str:
    """One regex alternation shaped as a trie: Python's re tries a flat one word by word."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = []
        end = "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


_VERB_RE = re.compile(
    rf"\b{_trie_regex([v.replace('_', ' ') for v in _VERBS.split()])}\b"
)

_TITLE_SET = frozenset(_TITLE_WORDS.split("|"))
_STOP_SET = frozenset(_STOP_CAPS.split("|"))
_NAME_WORD = rf"(?!(?:{_TITLE_WORDS}|{_STOP_CAPS})\b)(?:[A-Z](?:\.|[\w'’-]*))"
_NAME = rf"(?:{_TITLE}\s+)*{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD})*(?:,?\s+{_SUFFIX})?"
_NAME_AT_END = re.compile(rf"(?<![\w'’.-]){_NAME}$")
_NAME_AT_START = re.compile(rf"^{_NAME}(?![\w'’])")
_TITLE_ONLY_AT_END = re.compile(rf"(?<![\w'’.-])(?:{_TITLE}\s+)*{_TITLE}$")
_CLAUSE_BREAK = re.compile(r"[\x01:;()\n—–>|›]| - ")


# precompiled: the per-call cache lookup of re.match(pattern) is measurable here
_NEWLINE = re.compile(r"\n")
_NEXT_WORD = re.compile(r"[\"'“‘(«\[`]*([\w'’]+)")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_NEWLINE_WS = re.compile(r"\s*\n\s*")
_ALPHA = re.compile(r"[A-Za-z]+")
_NONSPACE = re.compile(r"\S+")
_QUOTE_SOON = re.compile(r"(?:\s+[\w'’.]+){0,5}?\s*\x01")
_INTRO_COLON = re.compile(r"(?:\s+[\w'’.]+){0,6}?\s*[:,]\s*\x01")
_AFTER_QUOTE_OR_COMMA = re.compile(r"(?:\x01|,)[\s,.!?]*$")
_WORDS = re.compile(r"\w+")
_PUNCT_GAP = re.compile(r"[\s,.!?—–-]*")
_SENT_PUNCT = re.compile(r"[.;!?]")
_ENDS_CLOSED = re.compile(r"[.!?:\"”’]\s*$")
_POSS = re.compile(r"'s?$")
_CANON_TOK = re.compile(r"[\w'.-]+")
_TITLE_SP = re.compile(rf"{_TITLE}\s")


@dataclass
class _Subject:
    kind: str  # name | np | pron | it
    text: str
    start: int
    end: int
    titled: bool = False
    relative: bool = False  # "a judge who told him": a speaker here, no antecedent for pronouns


@dataclass
class _Anchor:
    verb: str
    start: int  # verb span
    end: int
    sent: int
    subject: _Subject | None
    intro_colon: bool  # opens the quote that follows: 'X said: "..."', 'X responded, "..."'
    inverted: bool = False
    speaker: str | None = None
    span: Span | None = None
    gender: str | None = None


def _gender(name: str) -> str | None:
    for w in _ALPHA.findall(name.lower()):
        if w in _MALE:
            return "m"
        if w in _FEMALE:
            return "f"
    return None


def _name_in(chunk: str, base: int, at_end: bool = True) -> _Subject | None:
    """A person's name at the end (or start) of ``chunk``; titles kept, openers dropped."""
    if at_end:
        tail = chunk[-120:]
        off = len(chunk) - len(tail)
        m = _NAME_AT_END.search(tail)
        if not m:
            m = _TITLE_ONLY_AT_END.search(tail)  # "the Judge", "President"
            if not m or not m.group()[:1].isupper():
                return None
    else:
        off = 0
        m = _NAME_AT_START.match(chunk)
        if not m:
            return None
    s, e = off + m.start(), off + m.end()
    words = list(_NONSPACE.finditer(chunk[s:e]))
    # "Prosecuting Robin Bowen": a capitalised gerund opening the clause is no name
    while len(words) > 1 and (words[0].group() in _STOP_SET or (
            words[0].group().endswith("ing") and s + words[0].start() == 0)):
        words.pop(0)
    s2 = s + words[0].start()
    text = chunk[s2:e].rstrip(",")
    titled = bool(_TITLE_SP.match(text))
    return _Subject("name", text, base + s2, base + s2 + len(text), titled)




def _chunk_subject(chunk: str, base: int) -> _Subject | None:
    """The subject a comma-delimited chunk ends with: a name, a pronoun or a description."""
    lead = len(chunk) - len(chunk.lstrip())
    c = chunk.strip()
    if not c:
        return None
    b = base + lead
    low = c.lower()
    words_ = low.split()
    if low in _PRONOUNS:
        return _Subject("pron", c, b, b + len(c))
    if words_[-1] in _UNRESOLVABLE:
        if words_[-1] == "who" and len(words_) > 1:
            # "jailed by a judge who told him": the noun phrase before "who"
            t = _TRAILING_NP.search(c[:-3].rstrip(" ,"))
            if t:
                return _Subject("np", t.group(), b + t.start(), b + t.end(), relative=True)
        return _Subject("it", c, b, b + len(c))
    if c.startswith(("of ", "from ", "aged ")) or c[0].isdigit():
        return None  # ", of Leeds," / ", 53,": an appositive, not the subject
    of = _OF.search(c)
    if of:
        # "Tim Brown of the Oxfordshire firm Brown and Pajak": the name before "of"
        pre = _name_in(c[:of.start()], b)
        if pre and not _TITLE_ONLY_AT_END.fullmatch(pre.text):
            return pre
    det = _LEAD_DET.match(c)
    if det:
        rest = c[det.end():].split()
        name = _name_in(c, b)
        if name and name.start > b:
            before = c[:name.start - b].split()
            if before and before[-1][0].islower() and before[-1] not in _FUNCTION:
                return name  # "His solicitor Tim Brown", "the company's manager Greg Holland"
        if any(w[0].islower() and w not in _FUNCTION for w in rest) and len(words_) <= 9:
            return _Subject("np", c, b, b + len(c))  # "A spokesperson for China's ministry"
        return name  # "the Environment Agency"
    name = _name_in(c, b)
    if name:
        return name
    if words_[-1] in ("he", "she", "they"):  # "Asked if she"
        s = b + len(c) - len(words_[-1])
        return _Subject("pron", c[-len(words_[-1]):], s, b + len(c))
    t = _TRAILING_NP.search(c)
    if t:
        return _Subject("np", t.group(), b + t.start(), b + len(c))
    return None


def _subject_before(m: str, sent_start: int, v: int, known: set[str]) -> _Subject | None:
    """The subject of the verb starting at ``v``, looking back within its clause."""
    region = m[sent_start:v]
    cut = 0
    for br in _CLAUSE_BREAK.finditer(region):
        cut = br.end()
    clause = region[cut:]
    base = sent_start + cut
    n = _TRAILING_NOISE.search(clause, max(0, len(clause) - 80))
    if n:
        clause = clause[:n.start()]
    if not clause.strip() or _PASSIVE.search(clause, max(0, len(clause) - 40)):
        return None
    if _AND_END.search(clause):
        # "X, the manager, apologised and said": the subject opens the clause
        return _leading_subject(clause.split(",")[0], base)
    parts: list[tuple[str, int]] = []
    pos = 0
    for piece in clause.split(","):
        parts.append((piece, base + pos))
        pos += len(piece) + 1
    while parts and not parts[-1][0].strip():
        parts.pop()
    if not parts:
        return None
    last, lbase = parts[-1]
    subj = _chunk_subject(last, lbase)
    # names earlier in the clause, nearest first: (name, follows an "of X" chunk, whole chunk)
    earlier: list[tuple[_Subject, bool, bool]] = []
    saw_of = False
    for piece, pbase in reversed(parts[:-1]):
        st = piece.strip()
        if not st:
            continue
        if st.startswith(("of ", "from ")):
            saw_of = True
            continue
        cand = _chunk_subject(piece, pbase)
        if cand and cand.kind == "name":
            whole = cand.start == pbase + len(piece) - len(piece.lstrip())
            earlier.append((cand, saw_of, whole))
            continue
        if cand is None and (st[0].islower() or st[0].isdigit()):
            continue  # ", prosecuting," ", 53,"
        break
    if subj is None or (subj.kind == "it" and subj.text.lower() == "who"):
        return earlier[0][0] if earlier else None  # "Mr Barry Berlin, prosecuting, said"
    if subj.kind == "np":
        for cand, _of, whole in earlier:
            if whole:
                return cand  # "Mr Holland, the company's operations manager, said"
        return subj
    if subj.kind == "name" and not subj.titled and canonical_speaker(subj.text) not in known:
        for cand, behind_of, _whole in earlier:
            if behind_of or cand.titled or canonical_speaker(cand.text) in known:
                return cand  # "Mrs Owen, of Meriden, West Midlands, told"
    return subj


def _subject_after(m: str, start: int, sent_end: int) -> _Subject | None:
    region = m[start:sent_end]
    cut = len(region)
    for stop in _AFTER_STOP.finditer(region):
        if stop.group() == ".":
            word = region[:stop.start()].rsplit(None, 1)[-1] if region[:stop.start()].strip() else ""
            if word.lower() in _TITLES or (len(word) == 1 and word.isupper()):
                continue  # "said Mr. Biden", "said George W. Bush"
        cut = stop.start()
        break
    chunk = region[:cut]
    lead = len(chunk) - len(chunk.lstrip())
    c = chunk.strip()
    if not c:
        return None
    b = start + lead
    low = c.lower()
    if low in _PRONOUNS:
        return _Subject("pron", c, b, b + len(c))
    if _LEAD_DET.match(c) and len(c.split()) <= 8:
        return _Subject("np", c, b, b + len(c))
    return _name_in(c, b, at_end=False)


def _leading_subject(chunk: str, base: int) -> _Subject | None:
    """The subject a clause opens with: "She brandished ... and called" -> She."""
    lead = len(chunk) - len(chunk.lstrip())
    c = chunk.strip()
    p = _LEAD_PRON.match(c)
    if p:
        return _Subject("pron", p.group(), base + lead, base + lead + p.end())
    return _name_in(c, base + lead, at_end=False)


def _find_anchors(m: str, sentences: list[tuple[int, int]], known: set[str]) -> list[_Anchor]:
    """Every attribution verb outside quotes, with its subject (not yet resolved)."""
    anchors: list[_Anchor] = []
    for si, (ss, se) in enumerate(sentences):
        seg = m[ss:se]
        verbs = list(_VERB_RE.finditer(seg))
        if not verbs:
            continue
        sent_anchors: list[_Anchor] = []
        for vm in verbs:
            v0, v1 = ss + vm.start(), ss + vm.end()
            verb = vm.group().lower()
            after = m[v1:se]
            if verb in _NAMING and not _QUOTE_SOON.match(after):
                continue  # "called police" is no attribution; 'called the remarks "wrong"' is
            intro_colon = bool(_INTRO_COLON.match(after))
            subj = None
            inverted = False
            before = m[ss:v0]
            by = _BY.match(after)
            if verb == "according to":
                subj = _subject_after(m, v1, se)
                inverted = True
            elif _PASSIVE.search(before, max(0, len(before) - 40)):
                # "was told by George Hamer", 'were branded "despicable" by a judge'
                if by:
                    subj = _subject_after(m, v1 + by.end(), se)
                    inverted = True
            elif verb in _PARTICIPLES:
                prior = next((a for a in reversed(sent_anchors) if a.subject), None)
                if prior:
                    subj = prior.subject
                else:
                    lead = (len(seg) - len(seg.lstrip()))
                    subj = _leading_subject(seg[lead:], ss + lead)
            elif _AFTER_QUOTE_OR_COMMA.search(before[-12:]) or not before.strip():
                # '"...," said the judge' / 'Not so, said X'
                subj = _subject_before(m, ss, v0, known)
                if verb in _INVERTIBLE and (subj is None or subj.kind == "it"):
                    subj = _subject_after(m, v1, se)
                    inverted = subj is not None
            else:
                subj = _subject_before(m, ss, v0, known)
            a = _Anchor(verb, v0, v1, si, subj, intro_colon, inverted)
            sent_anchors.append(a)
            if subj and subj.kind in ("name", "np"):
                known.add(canonical_speaker(subj.text))
        anchors.extend(sent_anchors)
    return anchors


# "the judge" after "Judge Griggs" / "Mr Justice Lloyd": the same person


def _resolve(anchors: list[_Anchor], text: str) -> None:
    """Give every anchor a speaker: names as written; pronouns, and "the judge" after Judge X,
    to the last fitting named speaker."""
    history: list[tuple[str, str | None]] = []
    genders: dict[str, str] = {}
    for a in anchors:
        s = a.subject
        if s is None or s.kind == "it":
            continue
        a.span = Span(s.start, s.end, text[s.start:s.end])
        if s.kind in ("name", "np"):
            canon = canonical_speaker(s.text)
            g = _gender(s.text)
            if g:  # "x": both seen under one surname, so the surname no longer tells
                genders[canon] = g if genders.get(canon, g) == g else "x"
            a.speaker, a.gender = s.text, g
            role = _THE_ROLE.fullmatch(s.text)
            titles = _ROLE_TITLES.get(role.group(1).lower()) if role else None
            if titles:
                for name, g2 in reversed(history):
                    if any(t in titles for t in _WORDS.findall(name.lower())[:-1]):
                        a.speaker, a.gender = name, g2
                        break
            if not s.relative:
                history.append((a.speaker, a.gender))
            continue
        want = _PRONOUNS.get(s.text.lower())
        for name, g in reversed(history):
            g = g or genders.get(canonical_speaker(name))
            if want is None or g in (None, "x", want):
                a.speaker, a.gender = name, g
                break




def _is_name_quote(t: str) -> bool:
    """'"CBS News Evening News"', '"Lady of the Manor"': a title or name, not speech."""
    return len(t.split()) <= 6 and bool(_TITLE_CASE.match(t)) and any(c.islower() for c in t)


def _pick_anchor(q: _Q, anchors: list[_Anchor], sent_of, m: str, in_sents=None) -> _Anchor | None:
    """The attribution of quote ``q`` among the verbs of the sentences it spans.

    ``in_sents(s0, s1)``, when given, lists the anchors of sentences s0..s1 in order (an index;
    by default every anchor is looked at)."""
    s0 = sent_of(q.mark)
    close = q.close if q.close is not None else q.end
    s1 = sent_of(close - 1 if q.close is None else close)
    near = in_sents(s0, s1) if in_sents is not None else anchors
    usable = [a for a in near if s0 <= a.sent <= s1 and a.subject and a.subject.kind != "it"]
    # strong: '"...," Blinken said' / '"...," said the judge', unless that verb opens the next
    # quote ('"...", she replied: "..."')
    after = [a for a in usable if a.start > close]
    if after:
        a = after[0]
        lo = a.start if a.inverted or a.subject.start < close else a.subject.start
        gap = m[close + 1:lo]
        if len(gap) <= 4 and _PUNCT_GAP.fullmatch(gap) and not a.intro_colon:
            return a
    before = [a for a in usable if a.end <= q.mark and a.sent == s0]
    if before:
        a = before[-1]
        between = m[a.end:q.mark].replace("\x01", " ")
        if not _SENT_PUNCT.search(between) and len(between.split()) <= 30:
            return a
    rest = [a for a in after if not a.intro_colon]
    if rest:
        return rest[0]
    return before[-1] if before else None


def _attribute(text: str, sents: list[tuple[int, int]], paras: list[tuple[int, int]],
               qs: list[_Q]) -> list[tuple[str | None, Span | None]]:
    # the frame: quoted words (and their marks) masked so verbs inside quotes don't count
    pieces = []
    pos = 0
    for q in qs:  # sorted by start; nested quotes are never emitted, so spans don't overlap
        stop = q.close + 1 if q.close is not None else q.end
        if q.mark >= pos:
            pieces.append(text[pos:q.mark])
            pieces.append("\x01" * (stop - q.mark))
            pos = stop
    pieces.append(text[pos:])
    m = "".join(pieces)
    known: set[str] = set()
    anchors = _find_anchors(m, sents, known)
    _resolve(anchors, text)
    starts = [s for s, _ in sents]

    def sent_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    # anchors come in text order, so those of a run of sentences are a slice of them
    anchor_sents = [a.sent for a in anchors]
    ordered = all(x <= y for x, y in zip(anchor_sents, anchor_sents[1:], strict=False))

    def in_sents(s0: int, s1: int) -> list[_Anchor]:
        if not ordered:
            return anchors
        return anchors[bisect.bisect_left(anchor_sents, s0):bisect.bisect_right(anchor_sents, s1)]

    sent_para = []
    pstarts = [p for p, _ in paras]
    for s, _ in sents:
        sent_para.append(max(0, bisect.bisect_right(pstarts, s) - 1))
    para_speaker: dict[int, tuple[str, Span]] = {}
    for a in anchors:
        if a.speaker:
            para_speaker[sent_para[a.sent]] = (a.speaker, a.span)

    result: list[tuple[str | None, Span | None]] = []
    own: list[bool] = []
    for q in qs:
        if _is_name_quote(text[q.start:q.end]):
            result.append((None, None))
            own.append(False)
            continue
        a = _pick_anchor(q, anchors, sent_of, m, in_sents)
        result.append((a.speaker, a.span) if a else (None, None))
        own.append(a is not None)

    # chains: quotes continued over paragraphs take the speaker of the nearest attributed part
    chains: dict[int, list[int]] = {}
    for i, q in enumerate(qs):
        if q.chain >= 0:
            chains.setdefault(q.chain, []).append(i)
    for members in chains.values():
        for k, i in enumerate(members):
            if result[i][0] is None:
                prev = [result[j] for j in members[:k] if result[j][0]]
                nxt = [result[j] for j in members[k + 1:] if result[j][0]]
                if prev or nxt:
                    result[i] = prev[-1] if prev else nxt[0]

    last_by_para: dict[int, tuple[str, Span]] = {}
    for i, q in enumerate(qs):
        if result[i][0] is not None:
            last_by_para[q.para] = result[i]  # type: ignore[assignment]
            continue
        if _is_name_quote(text[q.start:q.end]):
            continue
        # an earlier quote of the same paragraph
        if q.para in last_by_para:
            result[i] = last_by_para[q.para]
        else:
            s0 = sent_of(q.mark)
            prev_sent = [a for a in in_sents(s0 - 1, s0 - 1) if a.sent == s0 - 1 and a.speaker
                         and sent_para[a.sent] == q.para]
            ps, _pe = paras[q.para]
            if prev_sent:
                result[i] = (prev_sent[-1].speaker, prev_sent[-1].span)
            elif text[ps:q.mark].strip() == "" and q.para > 0:
                # a paragraph that opens with an unattributed quote: the previous speaker,
                # looking past a fragment paragraph left by a spinner
                for back in (q.para - 1, q.para - 2):
                    prev = last_by_para.get(back) or para_speaker.get(back)
                    if prev:
                        result[i] = prev
                        break
                    bs, be = paras[back] if back >= 0 else (0, 0)
                    if back < 0 or _ENDS_CLOSED.search(text[be - 3:be] if be >= 3 else text[bs:be]):
                        break
        if result[i][0] is not None:
            last_by_para[q.para] = result[i]  # type: ignore[assignment]
    return result


# --------------------------------------------------------------------------- public API

_CANON_DROP = frozenset(w.lower() for w in _TITLE_SET | _CANON_DROP_EXTRA)


def canonical_speaker(name: str | None) -> str:
    """Compare speakers: titles dropped, surname (or head noun) lowercased.

    "Mr Barry Berlin", "Mr Berlin" and "Berlin" give "berlin"; "A spokesperson for China's
    foreign ministry" gives "spokesperson"; "the judge" gives "judge".
    """
    if not name:
        return ""
    n = name.replace("’", "'").strip().strip(",.")
    n = _POSS.sub("", n)
    toks = _CANON_TOK.findall(n)
    if not toks:
        return ""
    if toks[-1][0].islower() or _LEAD_DET.match(n) and not toks[-1][0].isupper():
        # a description: its head noun, before any "for/of/at" complement
        head = _COMPLEMENT.split(n, maxsplit=1)[0]
        words_ = _CANON_TOK.findall(head)
        return _POSS.sub("", words_[-1].lower()) if words_ else ""
    kept = [t for t in toks if t.rstrip(".").lower() not in _CANON_DROP]
    if not kept:
        return toks[-1].rstrip(".").lower()
    return _POSS.sub("", kept[-1].rstrip(".").lower())


def segment(doc: Document, doc_index: int = 0) -> Segmented:
    """Sentences (never across paragraphs) and attributed direct quotations of ``doc``."""
    if not isinstance(doc, Document) or not isinstance(doc.text, str):
        raise UnspinError("segment expects a Document with text")
    text = doc.text
    _check_count(text)
    paras = _paragraphs(doc)
    spans: list[tuple[int, int]] = []
    sent_para: list[int] = []
    for pi, (ps, pe) in enumerate(paras):
        for s, e in _split_paragraph(text, ps, pe):
            spans.append((s, e))
            sent_para.append(pi)
    sentences = [Sentence(i, s, e, text[s:e], sent_para[i], doc_index)
                 for i, (s, e) in enumerate(spans)]
    qs = _scan_quotes(text, paras)
    speakers = _attribute(text, spans, paras, qs) if qs else []
    starts = [s for s, _ in spans]
    quotes = []
    for q, (speaker, span) in zip(qs, speakers, strict=True):
        si = max(0, bisect.bisect_right(starts, q.mark) - 1)
        quotes.append(Quote(q.start, q.end, text[q.start:q.end], si, speaker, span, doc_index))
    return Segmented(doc=doc, sentences=sentences, quotes=quotes, doc_index=doc_index)
