"""garbled_text: the mechanical damage spinning tools leave in a candidate.

Non-words ("termmet"), fragments left on a line of their own ("In June, Biden also called"),
sentences run together with no space ("trade.would resume"), stray words after a sentence
("addressing the issue. up"), a little word written twice and repeated paragraphs. These
need no alignment, only the candidate text; the sources spare the names and rare words they
use, and damage they already have (their own typos were copied, not made by the rewrite).
The rules are plain string rules so a reviewer can see why each flag was raised; headings,
bylines, datelines, list items, abbreviations, initials, decimals and web addresses are not
flagged.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from unspin.findings.context import Context
from unspin.lang.en.abbreviations import TLDS, WORDLIKE_TLDS
from unspin.lang.en.grammar import TRANSITIVE_VERBS
from unspin.lang.en.morphology import AFFIX_PREFIXES, AFFIX_SUFFIXES, ALPHABET, PARTICIPLE_ENDINGS
from unspin.lang.en.patterns import CREDIT_LINE, DOUBLED
from unspin.lang.en.punctuation import CLOSERS, OPENERS, QUOTE_FOLD, TERMINAL
from unspin.lang.en.stop_words import DANGLING_WORDS
from unspin.text import ends_abbreviation, tokenize
from unspin.types import Document, Finding

_QUOTE_MAP = str.maketrans(QUOTE_FOLD)


_TOKEN = re.compile(r"\S+")
_LOWER_WORD = re.compile(r"(?<![\w'’\-.@/])[a-z]+(?:-[a-z]+)*(?:['’]s)?(?![\w'’\-@/]|\.\w)")


@dataclass
class Issue:
    """One piece of damage: character offsets into the scanned text and a reason."""

    start: int
    end: int
    kind: str  # non_word | fragment | run_together | stray_words | duplicate
    note: str
    terms: list[str] = field(default_factory=list)
    core: str = ""  # the damaged characters themselves, to look for in the source


@lru_cache(maxsize=20000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _is_known(word: str) -> bool:
    return _zipf(word) > 0.0


def _compound_ok(word: str) -> bool:
    """A closed compound of two common content words ("chipshop", "nailbomber") is a word."""
    for i in range(3, len(word) - 2):
        a, b = word[:i], word[i:]
        if a in DANGLING_WORDS or b in DANGLING_WORDS:
            continue  # "sexwith", "andits": a lost space, not a compound
        if a[-1] == b[0]:
            continue  # "termmet": real compounds rarely double the letter at the seam
        if _zipf(a) >= 3.0 and _zipf(b) >= 3.0:
            return True
    return False


def _affix_ok(word: str) -> bool:
    """A known stem with a productive prefix or suffix ("assetless", "depersonalised")."""
    for p in AFFIX_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 4:
            rest = word[len(p):]
            if _zipf(rest) >= 2.5 or _suffix_ok(rest):
                return True
    return _suffix_ok(word)


def _suffix_ok(word: str) -> bool:
    for s in AFFIX_SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 4:
            stem = word[: -len(s)]
            for cand in (stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else stem,
                         stem[:-1] if len(stem) > 4 and stem[-1] == stem[-2] else stem):
                if _zipf(cand) >= 2.5:
                    return True
    return False


def is_non_word(word: str, known: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a lower-case token is not an English word (and not one the source uses)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) < 4 or w in known:
        return False
    if "-" in w:
        return any(is_non_word(p, known) for p in w.split("-") if len(p) >= 4)
    if _is_known(w):
        return False
    if _affix_ok(w):
        return False
    return not _compound_ok(w) or _near_miss(w)


@lru_cache(maxsize=5000)
def _near_miss(word: str) -> bool:
    """One typing slip from a common word ("colision"): a misspelling, not a closed compound."""
    if len(word) < 6:
        return False
    edits = set()
    for i in range(len(word) + 1):
        a, b = word[:i], word[i:]
        if b:
            edits.add(a + b[1:])
            edits.update(a + c + b[1:] for c in ALPHABET)
        if len(b) > 1:
            edits.add(a + b[1] + b[0] + b[2:])
        edits.update(a + c + b for c in ALPHABET)
    edits.discard(word)
    # slips rarely hit the first letter; "milometer" is not a misspelt "kilometer"
    return any(len(e) >= 6 and e[0] == word[0] and _zipf(e) >= 3.5 for e in edits)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MAP).lower()
    return " ".join(re.findall(r"\w+", text))


def _words(text: str) -> list[str]:
    return [t.text for t in tokenize(text, scheme="letters")]


def _ends_terminal(para: str) -> bool:
    p = para.rstrip()
    while p and p[-1] in CLOSERS:
        if p[-1] in "\"”’'":
            return True  # a paragraph closing on a quotation mark closes a quotation
        p = p[:-1].rstrip()
    return bool(p) and p[-1] in TERMINAL


def _first_alpha(text: str) -> str:
    for ch in text:
        if ch.isalpha():
            return ch
        if ch.isdigit():
            return ""
    return ""


def _is_title_like(para: str) -> bool:
    """Headings, bylines, names, list items and datelines: not fragments."""
    p = para.strip()
    ws = _words(p)
    if not ws:
        return True
    if p.endswith(":") or _is_aside(p):
        return True
    letters = [c for c in p if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return True  # ALL CAPS heading
    if CREDIT_LINE.match(p) and len(ws) <= 12:
        return True
    if re.search(r"\d{1,4}[-/:.]\d{1,2}", p) and len(ws) <= 8:
        return True  # dateline / timestamp
    content = [w for w in ws if w.lower() not in DANGLING_WORDS]
    # a Title Case heading or a name
    return bool(content) and all(w[0].isupper() for w in content) and len(ws) <= 14


def _is_urlish(token: str) -> bool:
    """A web address or file name ("CBSNews.com", "report.pdf"), not "years.In the end"."""
    t = token.lower()
    if any(s in t for s in ("http", "www", "@", "/", "\\")):
        return True
    parts = re.split(r"[.]", token.strip(OPENERS + CLOSERS + ",;:!?"))
    last = re.sub(r"\W", "", parts[-1])
    if len(parts) < 2 or not last.islower() or last not in TLDS:
        return False
    return len(parts) > 2 or last not in WORDLIKE_TLDS


def _sentence_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Rough sentence spans inside one paragraph, for sizing evidence windows."""
    out, s = [], start
    for m in re.finditer(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(]?[A-Z0-9])", text[start:end]):
        e = start + m.end()
        if text[start + m.start()] == "." and ends_abbreviation(text, start + m.start()):
            continue
        out.append((s, e))
        s = e
        while s < end and text[s].isspace():
            s += 1
    if s < end:
        out.append((s, end))
    return out


def _window(text: str, pos: int, end: int, lo: int, hi: int, before: int = 6,
            after: int = 4) -> tuple[int, int]:
    """A span of a few whole words around [pos, end), kept inside [lo, hi)."""
    toks = [(m.start() + lo, m.end() + lo) for m in _TOKEN.finditer(text[lo:hi])]
    i0 = next((i for i, t in enumerate(toks) if t[1] > pos), len(toks) - 1)
    i1 = next((i for i, t in enumerate(toks) if t[1] >= end), len(toks) - 1)
    a = toks[max(0, i0 - before)][0]
    b = toks[min(len(toks) - 1, i1 + after)][1]
    return a, b


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def scan(text: str, paragraphs: list[tuple[int, int]] | None = None,
         known: set[str] | frozenset[str] = frozenset(), title: str | None = None,
         sources: list[str] = (), soft_breaks: set[int] | frozenset[int] = frozenset()) -> list[Issue]:
    """All garbling issues in ``text`` (offsets into it), one per damaged place.

    Damage the source itself has (its own typo "for for", a missing space) was copied, not
    made by the rewrite, and is left out. ``soft_breaks`` holds the starts of paragraphs that
    followed the one before after a single line break in the input: where a source runs on
    across such a break, the break is a line wrap, and the pieces it leaves are not fragments.
    """
    issues = _scan(text, paragraphs, known, title, soft_breaks, [_norm(src) for src in sources])
    if sources:
        flat = [" ".join(src.split()) for src in sources]
        # a line the source itself has on its own (a subhead) is the source's layout, not a fragment
        lines = {" ".join(line.split()) for src in sources for line in src.splitlines()}
        issues = [i for i in issues
                  if not (i.core and any(i.core in f for f in flat))
                  and not (i.kind == "fragment" and " ".join(text[i.start:i.end].split()) in lines)]
    return issues


def _runs_on_in_source(text: str, left: tuple[int, int], right: tuple[int, int],
                       source_norms: list[str]) -> bool:
    """Whether a source has the last words of ``left`` running straight on into the first of ``right``."""
    a = _norm(text[left[0]:left[1]]).split()[-3:]
    b = _norm(text[right[0]:right[1]]).split()[:2]  # few: a reused passage may end soon after
    if not a or not b or len(a) + len(b) < 4:
        return False
    joint = f" {' '.join(a + b)} "
    return any(joint in f" {src} " for src in source_norms)


def _scan(text: str, paragraphs: list[tuple[int, int]] | None, known, title: str | None,
          soft_breaks: set[int] | frozenset[int] = frozenset(), source_norms: list[str] = ()) -> list[Issue]:
    if paragraphs is None:
        paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text)]
    paragraphs = [_trim(text, a, b) for a, b in paragraphs]
    paragraphs = [(a, b) for a, b in paragraphs if b > a]
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    lengths: list[tuple[int, str]] = []  # (length, text) of the long ones in seen, sorted
    if title:
        seen[_norm(title)] = -1
        note_seen(lengths, _norm(title))
    last = len(paragraphs) - 1
    for pi, (pa, pb) in enumerate(paragraphs):
        para = text[pa:pb]
        ws = _words(para)
        norm = _norm(para)
        # duplicated paragraph
        if len(ws) >= 6 and norm in seen:
            issues.append(Issue(pa, pb, "duplicate", "repeats an earlier paragraph word for word"))
            continue
        if len(ws) >= 10 and near_duplicate(norm, lengths):
            issues.append(Issue(pa, pb, "duplicate", "repeats an earlier paragraph almost word for word"))
            continue
        if norm not in seen:
            seen[norm] = pi
            note_seen(lengths, norm)
        issues.extend(_doubled(text, pa, pb))
        frag = _fragment(para, pi, last, ws)
        if frag and soft_breaks and source_norms:
            # a hard-wrapped line of a sentence the source has whole: each open end of the
            # piece must be a soft break that the source's words run on across
            lower_start = _first_alpha(para).islower()
            start_ok = not lower_start or (pa in soft_breaks and pi > 0 and _runs_on_in_source(
                text, paragraphs[pi - 1], (pa, pb), source_norms))
            end_ok = _ends_terminal(para) or (pi < last and paragraphs[pi + 1][0] in soft_breaks
                                              and _runs_on_in_source(text, (pa, pb), paragraphs[pi + 1],
                                                                     source_norms))
            if start_ok and end_ok:
                frag = None
        if frag:
            issues.append(Issue(pa, pb, "fragment", frag))
        issues.extend(_run_together(text, pa, pb))
        issues.extend(_stray(text, pa, pb))
        for m in _LOWER_WORD.finditer(para):
            w = m.group()
            before, after = para[m.start() - 1:m.start()], para[m.end():m.end() + 1]
            if before and before in "\"'“‘" and after and after in "\"'”’":
                continue  # a word quoted as said ("groids"): slang, not garbling
            if is_non_word(w, known):
                bad = [p for p in w.split("-") if is_non_word(p, known)] or [w]
                s, e = pa + m.start(), pa + m.end()
                sb = next(((a, b) for a, b in _sentence_bounds(text, pa, pb) if a <= s < b), (pa, pb))
                a, b = _window(text, s, e, sb[0], sb[1], before=6, after=3)
                issues.append(Issue(a, b, "non_word", f"'{bad[0]}' is not an English word", terms=bad))
    return _merge(text, issues)


def _is_aside(para: str) -> bool:
    """An editor's note "(with pics)", a list item "b. that ..." or a bullet."""
    p = para.strip()
    return bool(p) and ((p[0] in "([" and p[-1] in ")]") or p[0] in "-•*–—|#>"
                        or re.match(r"[a-z0-9]{1,2}[.)]\s", p) is not None)


def _first(item: tuple[int, str]) -> int:
    return item[0]


def note_seen(lengths: list[tuple[int, str]], norm: str) -> None:
    if len(norm) > 40:
        bisect.insort(lengths, (len(norm), norm))


def near_duplicate(norm: str, lengths: list[tuple[int, str]]) -> bool:
    """Whether an earlier paragraph of over 40 characters (``lengths``: (length, text), sorted)
    is at least 95% alike. Only those of about the same length are compared: the ratio is at
    most 1 - |a - b| / (a + b), under 95 once the lengths differ by more than 6% of their sum."""
    from rapidfuzz import fuzz

    n = len(norm)
    lo = bisect.bisect_left(lengths, math.floor(n * 0.94 / 1.06) - 1, key=_first)
    hi = bisect.bisect_right(lengths, math.ceil(n * 1.06 / 0.94) + 1, key=_first)
    return any(fuzz.ratio(norm, k) >= 95 for _, k in lengths[lo:hi])


def _doubled(text: str, pa: int, pb: int) -> list[Issue]:
    """A little word written twice ("the the"), which no edit meant."""
    out = []
    for m in DOUBLED.finditer(text, pa, pb):
        a, b = _window(text, pa + (m.start() - pa), m.end(), pa, pb, before=3, after=3)
        out.append(Issue(a, b, "stray_words", f"'{m.group(1) or m.group(2)}' written twice", core=m.group(0)))
    return out


def _fragment(para: str, index: int, last: int, ws: list[str]) -> str | None:
    """Why a whole paragraph is a broken-off piece of a sentence, or None."""
    if not ws or _is_aside(para):
        return None
    first = _first_alpha(para)
    lower_start = first.islower() and not para.lstrip().startswith(("...", "…"))
    if _ends_terminal(para):
        if lower_start and len(ws) <= 25:
            return "a paragraph that starts in the middle of a sentence"
        return None
    if not lower_start:
        if index == 0:
            return None  # the headline
        if index == last and len(ws) <= 3:
            return None  # a sign-off ("Ends") or a byline name
        if _is_title_like(para):
            return None
    elif index == last and len(ws) == 1 and len(ws[0]) <= 4:
        return None  # a desk code ("mfl")
    if ws[-1].lower() in DANGLING_WORDS:
        return f"a paragraph that breaks off after '{ws[-1]}'"
    if len(ws) <= 15:
        if lower_start:
            return "a short paragraph that starts mid-sentence and has no sentence end"
        # a sentence-case subhead ("What happens next") has no comma and no verb at its end
        if "," in para or ws[-1].endswith(PARTICIPLE_ENDINGS) or ws[-1].lower() in TRANSITIVE_VERBS:
            return "a short paragraph with no sentence end, not a heading"
    return None


def _run_together(text: str, pa: int, pb: int) -> list[Issue]:
    out = []
    for m in re.finditer(r"(?<=[a-z)\]])([.!?])([\"'”’]?)(?=[A-Za-z“\"‘])", text[pa:pb]):
        dot = pa + m.start(1)
        j = dot
        while j > pa and not text[j - 1].isspace():
            j -= 1
        k = dot + 1
        while k < pb and not text[k].isspace():
            k += 1
        token = text[j:k]
        left = re.sub(r"^\W+", "", text[j:dot])
        right_m = re.match(r"[\"'”’“‘]?([A-Za-z]+)", text[dot + 1:k])
        right = right_m.group(1) if right_m else ""
        if len(right) < 2 or not re.search(r"[a-z]{2}$", left) or _is_urlish(token):
            continue
        if m.group(1) == "." and ends_abbreviation(text, dot):
            continue
        if "." in left or (right.isupper() and len(right) > 1 and right not in ("I",)):
            continue  # "Ph.D", "ASP.NET"
        if not (right[0].isupper() or _is_known(right.lower())):
            continue
        sb = _sentence_bounds(text, pa, pb)
        # evidence: a few words before the joint through the end of the run-on sentence
        a, _ = _window(text, dot, dot + 1, pa, pb, before=2, after=0)
        end = next((e for s, e in sb if e > dot + 1 and s > dot), None) or pb
        end = min(end, _window(text, dot, k, pa, pb, before=0, after=14)[1])
        out.append(Issue(a, end, "run_together",
                         f"two sentences run together with no space at '{text[j:k].strip(OPENERS)}'",
                         core=text[j:k].strip(OPENERS + CLOSERS + ",;:")))
    return out


def _stray(text: str, pa: int, pb: int) -> list[Issue]:
    """A sentence that starts in lower case after a full stop: stray words or a lost capital."""
    out = []
    for m in re.finditer(r"([.?!])([\"'”’)]*)(\s+)([a-z][a-z'’]*)", text[pa:pb]):
        dot = pa + m.start(1)
        if text[max(pa, dot - 1)] in ".…" or text[dot + 1:dot + 2] == ".":
            continue  # an ellipsis
        if m.group(1) == "." and ends_abbreviation(text, dot):
            continue
        wstart = pa + m.start(4)
        rest = text[wstart:pb]
        nxt = re.search(r"[.!?](?=[\"'”’)]*(\s|$))", rest)
        seg_end = wstart + (nxt.end() if nxt else len(rest))
        seg_words = _words(text[wstart:seg_end])
        if (m.group(2) or m.group(1) != ".") and (nxt or len(seg_words) > 3):
            continue  # a quotation closing before its attribution ("?' he asked."), "Which? magazine"
        a, _ = _window(text, dot, dot + 1, pa, pb, before=2, after=0)
        core = " ".join(text[max(pa, dot - 12):wstart + len(m.group(4))].split()[-2:])
        if len(seg_words) <= 3:
            out.append(Issue(a, seg_end, "stray_words",
                             f"stray word{'s' if len(seg_words) > 1 else ''} "
                             f"'{' '.join(seg_words)}' after the end of a sentence", core=core))
        elif m.group(1) == ".":
            _, b = _window(text, wstart, wstart + 1, pa, pb, before=0, after=5)
            out.append(Issue(a, min(b, seg_end), "stray_words",
                             "a sentence that starts in lower case right after a full stop", core=core))
    return out


def _merge(text: str, issues: list[Issue]) -> list[Issue]:
    """One issue per damaged place: overlapping issues merge, the wider span wins."""
    issues.sort(key=lambda i: (i.start, -(i.end - i.start)))
    out: list[Issue] = []
    for it in issues:
        if out and it.start < out[-1].end:
            prev = out[-1]
            if it.kind != prev.kind and it.note not in prev.note:
                prev.note = f"{prev.note}; {it.note}"
            prev.terms += [t for t in it.terms if t not in prev.terms]
            prev.end = max(prev.end, it.end)
            continue
        out.append(it)
    return out


SEVERITY = {"non_word": "medium", "fragment": "medium", "run_together": "low", "stray_words": "low",
            "duplicate": "low"}
CONFIDENCE = {"non_word": 0.8, "fragment": 0.75, "run_together": 0.9, "stray_words": 0.75,
              "duplicate": 0.95}


def soft_breaks(doc: Document) -> frozenset[int]:
    """Body starts of the paragraphs that follow the one before after one line break in the input.

    Without blank lines a plain text gives a paragraph per line; a break that is only a newline
    (no blank line, no markup) may be a hard wrap the text came with rather than a paragraph
    the writer made.
    """
    out = set()
    starts = [run[0] for run in doc.source_map]  # Document.to_input's lookup, built once

    def to_input(offset: int) -> int | None:  # as Document.to_input
        if not doc.source_map:
            return None
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        body_start, input_start, length = doc.source_map[i]
        if offset - body_start > length:
            return None
        return input_start + (offset - body_start)

    for p, q in zip(doc.paragraphs, doc.paragraphs[1:], strict=False):
        a, b = to_input(p.end - 1), to_input(q.start)
        if a is None or b is None or not a < b <= len(doc.raw):
            continue
        gap = doc.raw[a + 1:b]
        if not gap.strip() and gap.count("\n") + gap.count("\r") - gap.count("\r\n") == 1:
            out.add(q.start)
    return frozenset(out)


def source_vocabulary(texts: list[str]) -> frozenset[str]:
    """Lower-cased words of the sources: a rare word the source uses is not garbling."""
    vocab: set[str] = set()
    for t in texts:
        for tok in tokenize(t, scheme="letters"):
            vocab.update(w.lower() for w in re.split("['’]", tok.text))  # "don't": "don", "t"
    return frozenset(vocab)


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    doc = ctx.candidate.doc
    known = source_vocabulary([s.doc.text for s in ctx.sources] + [s.doc.title or "" for s in ctx.sources])
    paragraphs = [(p.start, p.end) for p in doc.paragraphs] or None
    findings = []
    for it in scan(doc.text, paragraphs, known, title=doc.title, sources=[s.doc.text for s in ctx.sources],
                   soft_breaks=soft_breaks(doc)):
        sentence = it.note[0].upper() + it.note[1:]
        findings.append(Finding(
            type="garbled_text",
            severity=SEVERITY[it.kind],  # type: ignore[arg-type]
            explanation=f"Garbled text: {sentence}.",
            candidate=ctx.cand_span(it.start, it.end),
            confidence=CONFIDENCE[it.kind],
            details={"kind": it.kind, "terms": it.terms},
        ))
    return findings
