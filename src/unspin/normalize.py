"""Text normalisation for matching, with a map back to the original characters.

Rewrites swap curly for straight quotes, en dashes for hyphens and PA's " _ " for a dash;
none of that is a change of content, so every stage compares normalised text. Findings
must still point at the user's exact characters, hence ``normalize_with_map``.
"""

from __future__ import annotations

import re
import unicodedata


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())

# One character in, one character out, so offsets survive the substitution.
_QUOTES = {c: "'" for c in "‘’‚‛′`´ʼʻ"}
_QUOTES.update({c: '"' for c in "“”„‟«»″〝〞"})
_DASHES = {c: "-" for c in "‐‑‒–—―−⁃﹘﹣－"}
_ONE_TO_ONE = {**_QUOTES, **_DASHES}
_SWAP = re.compile("[" + re.escape("".join(_ONE_TO_ONE)) + "]")

# A base character with the combining marks that follow it: NFKC composes them together.
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_PIECE = re.compile(
    rf"[\x00-\x7f]+(?![{_COMBINING}])|.[{_COMBINING}]+|[\x00-\x7f]+|.", re.DOTALL
)
_OTHER_SPACE = re.compile(r"[^\S ]")
_SPACE_RUN = re.compile(r"  +")
_PA_DASH = re.compile(r"(?<= )_(?= )")


def _swap(m: re.Match) -> str:
    return _ONE_TO_ONE[m.group()]


def normalize_with_map(text: str, lower: bool = False) -> tuple[str, list[int]]:
    """Normalised ``text`` and, for each of its characters, the index it came from.

    NFKC, curly quotes and apostrophes to straight, every dash (and PA's spaced "_") to
    "-", whitespace runs to one space, stripped; optionally lowercased. A span [i, j) of
    the result covers ``text[offsets[i]:offsets[j - 1] + 1]``; see ``original_span``.
    """
    if not isinstance(text, str):
        raise TypeError("normalize_with_map expects a str")
    if text.isascii():
        s1, o1 = text, list(range(len(text)))
    else:
        parts: list[str] = []
        o1 = []
        for m in _PIECE.finditer(text):
            piece = m.group()
            start = m.start()
            if piece.isascii():
                parts.append(piece)
                o1.extend(range(start, start + len(piece)))
            else:
                out = unicodedata.normalize("NFKC", piece)
                parts.append(out)
                o1.extend([start] * len(out))
        s1 = _SWAP.sub(_swap, "".join(parts))
    # every whitespace character to a space (one for one), then runs of spaces to one
    s1 = _PA_DASH.sub("-", _OTHER_SPACE.sub(" ", s1))
    out_parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPACE_RUN.finditer(s1):
        a, b = m.span()
        out_parts.append(s1[pos:a + 1])
        offsets.extend(o1[pos:a + 1])
        pos = b
    out_parts.append(s1[pos:])
    offsets.extend(o1[pos:])
    norm = "".join(out_parts)
    # strip the ends
    lead = len(norm) - len(norm.lstrip(" "))
    norm = norm.strip(" ")
    offsets = offsets[lead:lead + len(norm)]

    if lower:
        low = norm.lower()
        if len(low) == len(norm):
            norm = low
        else:  # a few characters (e.g. "İ") lowercase to two
            chars: list[str] = []
            new_offsets: list[int] = []
            for ch, off in zip(norm, offsets, strict=True):
                lc = ch.lower()
                chars.append(lc)
                new_offsets.extend([off] * len(lc))
            norm, offsets = "".join(chars), new_offsets
    return norm, offsets


def normalize(text: str, lower: bool = False) -> str:
    """Text as compared: same rules as ``normalize_with_map``, without the map."""
    return normalize_with_map(text, lower)[0]


def original_span(offsets: list[int], text: str, start: int, end: int) -> tuple[int, int]:
    """Map the normalised span [start, end) back to [start, end) offsets into ``text``."""
    if not 0 <= start < end <= len(offsets):
        raise ValueError("span outside the normalised text")
    # a normalised character can stand for a base character and its combining marks
    j = offsets[end - 1] + 1
    while j < len(text) and unicodedata.combining(text[j]):
        j += 1
    return offsets[start], j


# Words: letters/digits with inner apostrophes (that's, O'Donnell), numbers with inner
# separators (2,450 / 1.5), dotted acronyms (U.S.). Hyphens split, so "18-to-49" gives
# 18 / to / 49 and compares with "18 and 49".
_W = rf"(?:[^\W_][{_COMBINING}]*)"
_WORD = re.compile(
    rf"(?:[^\W\d_]\.){{2,}}(?![^\W_])"  # U.S. / e.g.
    r"|\d+(?:[.,]\d+)+"  # 2,450  1.5
    rf"|{_W}+(?:['’]{_W}+)*"  # that's  O'Donnell  90's  café
)


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Every word as (start, end, exact text)."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def words(text: str, lower: bool = True) -> list[str]:
    """Word tokens for comparison: straight apostrophes, optionally lowercased."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        if not w.isascii():
            w = unicodedata.normalize("NFKC", w).replace("’", "'")
        out.append(w.lower() if lower else w)
    return out


STOPWORDS = _wordset("""a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it it's its itself just me more most my myself no nor not of off on once only or
    other our ours ourselves out over own same she should so some such than that that's the
    their theirs them themselves then there these they this those through to too under until
    up upon very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says say told tell according mr mrs ms miss dr""")


def content_words(text: str) -> list[str]:
    """Lowercased words minus function words (and the attribution verbs every article has)."""
    return [w for w in words(text) if w not in STOPWORDS]
