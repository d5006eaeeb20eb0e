"""Words for the detectors: one token type, one tokenizer, one stemmer.

Every detector reads text as ``Tok`` values from ``tokenize`` and compares words by
``stem``. The detectors were tuned with four ways of cutting text into words and three ways
of stemming them; changing any would change what they report, so each survives as a named
``scheme`` of ``tokenize`` (and a ``how`` of ``stem``), documented where it is defined:

- ``"content"``: the content detectors (facts, shifts, claims, omissions): words, numbers
  ("2,450"), dotted acronyms ("U.S."), currency signs and each punctuation mark; typographic
  quotes and dashes folded; a possessive "'s" dropped from ``norm``; full stems.
- ``"quote"``: quotation matching: words only (letters and digits), contractions written
  out ("can't" gives "can" and "not" at the same offsets), light stems.
- ``"span"``: the consistency-model findings' word difference: figures, amounts and hyphenated
  compounds kept whole ("£4,330", "18-year-old"); the stem is the first five letters.
- ``"letters"``: garbled-text checks: runs of letters (apostrophes inside), as written.

English data (suffixes, irregular forms, contractions, the folding table) live in
``unspin.lang.en``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from unspin.lang.en.abbreviations import ABBREVIATIONS
from unspin.lang.en.morphology import (
    CONTRACTION_SUFFIXES,
    CONTRACTIONS,
    ES_PLURALS,
    IRREGULAR,
    KEEP_DOUBLE,
    LIGHT_SUFFIXES,
    NOT_PLURAL_S,
    NT_ROOTS,
    S_IS_WORDS,
    SUFFIXES,
    VOWELS,
)
from unspin.lang.en.punctuation import FOLD, OPENERS

Scheme = Literal["content", "quote", "span", "letters"]
StemHow = Literal["full", "light", "prefix"]


@dataclass(unsafe_hash=True, slots=True)  # not frozen: frozen __init__ is 5x slower, and a
class Tok:                                   # 50,000-word comparison makes ~350,000 tokens
    """One word (or mark) of a text.

    ``text`` is as written (quotes folded in the "content" scheme), ``norm`` what is compared,
    ``stem`` its stem, [start, end) the exact characters in the text tokenized (offsets shifted
    by the ``base`` given). A written-out contraction gives several tokens with one span.
    """

    text: str
    norm: str
    stem: str
    start: int
    end: int
    is_word: bool = False
    is_num: bool = False
    cap: bool = False


def _tok(text: str, norm: str, stem_: str, start: int, end: int) -> Tok:
    c = text[:1]
    return Tok(text, norm, stem_, start, end, c.isalpha(), c.isdigit(), c.isupper())


_FOLD = str.maketrans(FOLD)


def fold(text: str) -> str:
    """NFC, with typographic quotes, dashes and the no-break space folded to plain ones."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


# ---------------------------------------------------------------------------------- stemming

@lru_cache(maxsize=65536)
def _full_stem(word: str) -> str:
    w = word.lower()
    if w in IRREGULAR:
        return IRREGULAR[w]
    if not w.isalpha() or len(w) <= 3:
        return w
    for suf, rep in SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            if suf == "s" and w.endswith(NOT_PLURAL_S):
                break
            if suf == "es" and not w.endswith(ES_PLURALS):
                w = w[:-1]
                break
            base = w[: len(w) - len(suf)] + rep
            if not any(c in VOWELS for c in base):
                break
            w = base
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in KEEP_DOUBLE and w[-1] not in VOWELS:
        w = w[:-1]  # running -> run, stopped -> stop
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w.endswith("y"):
        w = w[:-1] + "i"
    return w


@lru_cache(maxsize=50000)
def _light_stem(word: str) -> str:
    w = word.replace("'", "")
    for suf in LIGHT_SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def _prefix_stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    return w[:5] if w.isalpha() else w


def stem(word: str, how: StemHow = "full") -> str:
    """The stem ``word`` is compared by.

    ``"full"`` (the content detectors): inflections and the common derivations off, so
    injured/injuries, agreed/agreeing and conviction/convicted meet; irregular forms mapped.
    ``"light"`` (quotation matching): only -ing, -ed, -es, -s and -ly off, apostrophes dropped,
    enough to see "tarnished" and "tarnish" as one word. ``"prefix"`` (the consistency-model
    findings): the first five letters of a lower-cased word, a figure kept whole.
    """
    if how == "full":
        return _full_stem(word)
    if how == "light":
        return _light_stem(word)
    return _prefix_stem(word)


def stem_set(words) -> frozenset[str]:
    """The full stems of a word list, for matching tokens by ``Tok.stem``."""
    return frozenset(_full_stem(w) for w in words)


# -------------------------------------------------------------------------------- tokenizing

_CONTENT = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)*|[^\W\d_]+(?:['][^\W\d_]+)*|[£$€%]|\S", re.UNICODE)
_QUOTE_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SPAN = re.compile(r"[A-Za-z0-9£$€%][\w'’\-.,%]*(?<![.,'’\-])")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def tokenize(text: str, base: int = 0, scheme: Scheme = "content") -> list[Tok]:
    """The tokens of ``text`` under ``scheme`` (see the module docstring), offsets + ``base``."""
    if scheme == "content":
        return _content_tokens(text, base)
    if scheme == "quote":
        return _quote_tokens(text, base)
    rx = _SPAN if scheme == "span" else _LETTERS
    out = []
    for m in rx.finditer(text):
        w = m.group()
        norm = w.lower()
        stem_ = _prefix_stem(w) if scheme == "span" else norm
        out.append(_tok(w, norm, stem_, base + m.start(), base + m.end()))
    return out


def _content_tokens(text: str, base: int) -> list[Tok]:
    text = fold(text)
    out = []
    for m in _CONTENT.finditer(text):
        t = m.group()
        norm = t.lower()
        if norm.endswith("'s") and len(norm) > 2:
            norm = norm[:-2]
        elif norm.endswith("s'") and len(norm) > 2:
            norm = norm[:-1]
        stem_ = _full_stem(norm) if t[:1].isalpha() else norm
        out.append(_tok(t, norm, stem_, base + m.start(), base + m.end()))
    return out


def _quote_tokens(text: str, base: int) -> list[Tok]:
    def word(written: str, norm: str, s: int, e: int) -> Tok:
        return _tok(written, norm, _light_stem(norm), s, e)

    out: list[Tok] = []
    text = text.replace("\u00a0", " ")
    for m in _QUOTE_WORD.finditer(text):
        written = raw = m.group()
        if not raw.isascii():
            raw = unicodedata.normalize("NFKC", raw)
        raw = raw.lower()
        s, e = base + m.start(), base + m.end()
        if "'" not in raw and "’" not in raw:
            if raw == "n" and text[m.start() - 1:m.start()] in ("'", "’"):
                raw = "and"  # rock 'n' roll
            out.append(word(written, raw, s, e))
            continue
        raw = raw.replace("’", "'")
        if raw in CONTRACTIONS:
            out += [word(written, w, s, e) for w in CONTRACTIONS[raw]]
            continue
        for suf, full in CONTRACTION_SUFFIXES.items():
            if raw.endswith(suf) and len(raw) > len(suf):
                root = raw[: -len(suf)]
                if suf == "n't":
                    root = NT_ROOTS.get(root, root)
                out += [word(written, root, s, e), word(written, full, s, e)]
                break
        else:
            if raw.endswith("'s") and raw[:-2] in S_IS_WORDS:
                out += [word(written, raw[:-2], s, e), word(written, "is", s, e)]
            else:
                out.append(word(written, raw, s, e))
    return out


def ends_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at ``dot`` ends an abbreviation, an initial or a decimal, not a sentence."""
    j = dot
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    tok = text[j:dot].lstrip(OPENERS)
    if not tok:
        return True
    if tok[-1].isdigit():
        return False  # "in 1998." ends a sentence
    core = tok.lower().rstrip(".")
    if "." in core:
        return True  # "U.S", "a.m", "e.g"
    if len(core) == 1:
        return True  # an initial
    return core in ABBREVIATIONS
