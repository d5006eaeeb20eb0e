"""Cheap page text and the word features screening compares, shared by index and screen.

Screening must cost far less than extraction (~18 ms a page), so it reads a page's visible
text with one lxml pass (~0.4 ms) instead of extracting the article: boilerplate only
dilutes the scores a little, and the full extraction runs for the few pages that pass.
"""

from __future__ import annotations

import re

import numpy as np

from unspin.lang.en import STOP_WORDS
from unspin.lang.en.punctuation import CLOSERS, OPENERS, TERMINAL

_WORD = re.compile(r"\w+")
# End tags of a document: pages glued after a first </html> are still rendered by browsers,
# but libxml2 drops what follows, so they are removed before parsing.
_DOC_END = re.compile(rb"</(?:html|body)\s*>", re.I)
SHINGLE = 5                    # words per shingle: long enough to be rare, short enough to survive edits
_MULT = np.uint64(0x9E3779B97F4A7C15)


_BLOCK = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
                    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
                    "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul", "title", "option"})
SWALLOWED = 2000  # characters of title text with markup in it: a <title> that never closed
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head", "title"})


class Block(str):
    """A block of page text, with ``path``: the block elements it sits in, outermost first
    (each numbered in page order), so blocks can be told to share a container."""

    path: tuple[int, ...]

    def __new__(cls, text: str, path: tuple[int, ...] = ()):
        self = super().__new__(cls, text)
        self.path = path
        return self


def page_blocks(body: bytes | str, swallowed: bool = False) -> list[str]:
    """The visible text of an HTML page, one ``Block`` per block element (scripts, styles and
    templates left out; the markup an unclosed <title> swallowed rendered too), each with the
    path of block elements it sits in; [] if unparsable. Iterative, so deep nesting costs no
    recursion."""
    import lxml.etree
    import lxml.html

    data = body.encode("utf-8", "replace") if isinstance(body, str) else body
    data = _DOC_END.sub(b"", data)
    if not data.strip():
        return []
    try:
        root = lxml.html.fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        return []
    if not isinstance(root.tag, str):  # a lone comment or CDATA section: nothing is shown
        return []
    out: list[tuple[str, tuple[int, ...]]] = []
    hidden = 0  # depth inside elements whose text is never shown
    stack: list[tuple[int, ...]] = [()]  # paths of the open block elements (numbered in page order)
    serial = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""  # comments and processing instructions: ""
        if event == "start":
            if tag in _SKIP:
                hidden += 1
            elif tag:
                if tag in _BLOCK:
                    out.append(("\n", ()))
                    serial += 1
                    stack.append((*stack[-1], serial))
                if el.text and not hidden:
                    out.append((el.text, stack[-1]))
        else:
            if tag in _SKIP:
                hidden -= 1
            elif tag in _BLOCK:
                out.append(("\n", ()))
                if len(stack) > 1:
                    stack.pop()
            elif tag in ("td", "th"):
                out.append((" ", ()))
            if el.tail and not hidden:
                out.append((el.tail, stack[-1]))
    blocks: list[str] = []
    parts: list[str] = []
    path: tuple[int, ...] | None = None
    for piece, where in out:
        for j, part in enumerate(piece.split("\n")):
            if j:
                line = " ".join("".join(parts).split())
                if line:
                    blocks.append(Block(line, path or ()))
                parts, path = [], None
            parts.append(part)
            if path is None and part.strip():
                path = where
    line = " ".join("".join(parts).split())
    if line:
        blocks.append(Block(line, path or ()))
    if not swallowed:
        for title in root.iter("title"):
            if len(title.text or "") > SWALLOWED and "<" in title.text:
                # A <title> never closed takes the rest of the page as its text (browsers do
                # the same): what it swallowed is the page, so render that instead.
                inner = page_blocks('<meta charset="utf-8">' + title.text, swallowed=True)
                top = serial + 1  # the title, numbered after every element of the page
                blocks += [Block(b, (top, *(top + n for n in b.path))) for b in inner]
                serial = top + max((max(b.path, default=0) for b in inner), default=0)
    return blocks


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(text.lower())


def content_words(tokens: list[str]) -> list[str]:
    """Tokens that carry content: not function words, not one character."""
    return [w for w in tokens if len(w) > 1 and w not in STOP_WORDS]


def english_share(tokens: list[str]) -> float:
    """Share of tokens that are English function words: about 0.4-0.5 in English prose,
    under 0.1 in German, French or Spanish text."""
    if not tokens:
        return 0.0
    return sum(w in STOP_WORDS for w in tokens) / len(tokens)


def shingle_hashes(ids: np.ndarray) -> np.ndarray:
    """64-bit hashes of the word ``SHINGLE``-grams of a sequence of word ids (ids < 0 are
    words the archive never uses, so grams holding one can match nothing and are dropped)."""
    ids = np.asarray(ids, dtype=np.int64)
    n = len(ids) - SHINGLE + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    bad = np.zeros(n, dtype=bool)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            part = ids[k:k + n]
            bad |= part < 0
            h = (h ^ part.astype(np.uint64)) * _MULT
    return np.unique(h[~bad])


def is_prose(block: str, min_words: int = 8, run_on: int = 20, title_share: float = 0.7) -> bool:
    """Whether a page block reads as running text rather than a headline, link or label.

    Article paragraphs are sentences: they end with sentence punctuation, or run long.
    Related-story lists, section labels and buttons are short, unpunctuated and Title Cased
    ("Klm Lowers Transatlantic Fares"); counting them as text dilutes a short copied article
    below what the verdict calls derived.
    """
    toks = block.split()
    if len(toks) < min_words:
        return False
    long_words = [t for t in toks if sum(ch.isalpha() for ch in t) >= 4]
    capitals = sum(t.lstrip(OPENERS)[:1].isupper() for t in long_words)
    if long_words and capitals >= title_share * len(long_words):
        return False
    end = block.rstrip().rstrip(CLOSERS)[-1:]
    return bool(end) and end in TERMINAL or len(toks) >= run_on
