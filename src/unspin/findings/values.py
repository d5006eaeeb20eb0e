"""Values and names in tokens: the figures, dates and names the content detectors compare.

Every value is parsed into a canonical form ("five" == "5", "£4,330" != "£433", "18-to-49" ==
"between 18 and 49") so that a restated figure is not a change; names are the capitalised
words that are not sentence openers, titles or months. Shared analysis: computed once per
sentence in ``findings.analysis`` and read by several detectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unspin.lang.en.abbreviations import PLACE_ABBREVIATIONS
from unspin.lang.en.dates import DATE_CUES, DAYS, MONTHS
from unspin.lang.en.numbers import (
    CURRENCY_SIGNS,
    CURRENCY_WORDS,
    HALF,
    HALF_WORDS,
    ONE_NOT_COUNT_AFTER,
    ONE_NOT_COUNT_BEFORE,
    ONE_TIME_NOT_COUNT_AFTER,
    ORDINAL_SUFFIXES,
    ORDINALS,
    SCALE_ABBREVIATIONS,
    SCALES,
    TENS,
    TIME_UNITS,
    UNITS,
)
from unspin.lang.en.people import NAME_TITLES, NOT_NAMES
from unspin.lang.en.stop_words import FUNCTION_WORDS
from unspin.text import Tok


@dataclass(frozen=True)
class Value:
    kind: str  # num, money, year, ord, month, day
    value: float | str
    i: int  # first token index in the token list
    j: int  # one past the last token
    start: int
    end: int

    def same(self, other: Value) -> bool:
        return self.value == other.value and compatible_kinds(self.kind, other.kind)


def compatible_kinds(a: str, b: str) -> bool:
    """Whether values of kinds ``a`` and ``b`` can stand for one another (a number and an amount)."""
    if a == b:
        return True
    return {a, b} <= {"num", "money", "year"} and "year" not in {a, b}


def _word_number(toks: list[Tok], i: int) -> tuple[float, int] | None:
    """Parse a number written in words at ``toks[i]``: 'five', 'twenty-five', 'two-and-a-half',
    'five million'. Returns (value, next index)."""
    n = len(toks)
    total, current, k, seen = 0.0, 0.0, i, False
    while k < n:
        w = toks[k].norm
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES and seen and w not in SCALE_ABBREVIATIONS:
            if w == "hundred":
                current *= 100
            else:
                total += (current or 1) * SCALES[w]
                current = 0
        elif w == "-" and seen and k + 1 < n and (toks[k + 1].norm in UNITS or toks[k + 1].norm == "and"):
            k += 1
            continue
        elif w == "and" and seen and k + 1 < n:
            # two-and-a-half, one and a half, two hundred and fifty
            rest = [t.norm for t in toks[k + 1:k + 6] if t.norm != "-"]
            if rest[:2] == list(HALF):
                current += 0.5
                k += 1
                while k < n and toks[k].norm in HALF_WORDS:
                    k += 1
                seen = True
                break
            if rest and (rest[0] in UNITS or rest[0] in TENS) and (current >= 100 or total):
                k += 1
                continue
            break
        else:
            break
        seen = True
        k += 1
    if not seen:
        return None
    return total + current, k


def extract_values(toks: list[Tok]) -> list[Value]:
    """Numbers (with currency and scale), years, ordinals, months and days in ``toks``."""
    out: list[Value] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        w = t.norm
        start_i = i
        cur = None
        if t.is_num:
            raw = t.text
            if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw) or "," not in raw:
                try:
                    val = float(raw.replace(",", ""))
                except ValueError:
                    i += 1
                    continue
            else:
                i += 1
                continue
            k = i + 1
            if k < n and toks[k].norm in SCALES and toks[k].norm != "dozen":
                val *= SCALES[toks[k].norm]
                k += 1
            if i > 0 and toks[i - 1].text in CURRENCY_SIGNS:
                cur, start_i = CURRENCY_SIGNS[toks[i - 1].text], i - 1
            elif k < n and toks[k].norm in CURRENCY_WORDS and toks[k].norm != "p":
                cur = CURRENCY_WORDS[toks[k].norm]
            nxt = toks[k].norm if k < n else ""
            if k < n and nxt in ORDINAL_SUFFIXES and toks[k].start == toks[k - 1].end:
                out.append(Value("ord", val, start_i, k + 1, toks[start_i].start, toks[k].end))
                i = k + 1
                continue
            kind = "money" if cur else "num"
            if kind == "num" and "," not in raw and "." not in raw and 1900 <= val <= 2099 and len(raw) == 4:
                kind = "year"
            out.append(Value(kind, val, start_i, k, toks[start_i].start, toks[k - 1].end))
            i = k
            continue
        if w in UNITS or w in TENS or w == "a" and i + 1 < n and toks[i + 1].norm == "dozen":
            if w == "a":
                out.append(Value("num", 12.0, i, i + 2, t.start, toks[i + 1].end))
                i += 2
                continue
            parsed = _word_number(toks, i)
            if parsed:
                val, k = parsed
                scale = toks[k].norm if k < n else ""
                if scale in SCALES and scale not in SCALE_ABBREVIATIONS and scale != "hundred":
                    val *= SCALES[toks[k].norm]
                    k += 1
                if w == "one" and k == i + 1:
                    # 'one' is mostly a pronoun or determiner: only a count before a noun
                    nxt = toks[k].norm if k < n else ""
                    prev = toks[i - 1].norm if i > 0 else ""
                    if (nxt in ONE_NOT_COUNT_BEFORE or
                            prev in ONE_NOT_COUNT_AFTER or not (k < n and toks[k].is_word)) and \
                            not (nxt in TIME_UNITS and prev not in ONE_TIME_NOT_COUNT_AFTER):
                        i = k
                        continue
                if k < n and toks[k].norm in CURRENCY_WORDS and toks[k].norm != "p":
                    cur = CURRENCY_WORDS[toks[k].norm]
                out.append(Value("money" if cur else "num", val, i, k, t.start, toks[k - 1].end))
                i = k
                continue
        if w in ORDINALS and t.is_word:
            out.append(Value("ord", float(ORDINALS[w]), i, i + 1, t.start, t.end))
        elif w in MONTHS and t.cap and not (w == "may" and not _date_context(toks, i)) and \
                not (w == "march" and not _date_context(toks, i)):
            out.append(Value("month", w, i, i + 1, t.start, t.end))
        elif w in DAYS and t.cap:
            out.append(Value("day", w, i, i + 1, t.start, t.end))
        i += 1
    return out


def _date_context(toks: list[Tok], i: int) -> bool:
    """'May' and 'March' are months only next to a day number, a year or 'in'/'last'/'next'."""
    prev = toks[i - 1].norm if i > 0 else ""
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return prev in DATE_CUES or \
        (nxt is not None and nxt.is_num) or (i > 0 and toks[i - 1].is_num)


def name_tokens(toks: list[Tok]) -> list[int]:
    """Indexes of capitalised tokens that are names, not sentence or quotation openers."""
    out = []
    for i, t in enumerate(toks):
        if not (t.is_word and t.cap) or t.norm in NOT_NAMES:
            continue
        prev = toks[i - 1].text if i > 0 else ""
        if i == 0 or prev in ('"', "'", ":", "(", "-", ".", "?", "!"):
            continue
        if t.norm in FUNCTION_WORDS or t.norm in NAME_TITLES:
            continue
        out.append(i)
    return out


def abbrev_match(a: str, b: str, strict: bool = False) -> bool:
    """'Berks' ~ 'Berkshire', 'Oxon' ~ 'Oxfordshire', 'U.S' ~ 'US'."""
    a, b = a.lower().replace(".", ""), b.lower().replace(".", "")
    if a == b or PLACE_ABBREVIATIONS.get(a) == b or PLACE_ABBREVIATIONS.get(b) == a:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 2:
        return False
    return long_.startswith(short) or (len(short) <= 5 and long_[:2] == short[:2] and len(short) >= 3
                                       and short[-1] in long_ and (not strict or _subsequence(short, long_)))


def _subsequence(short: str, long_: str) -> bool:
    """An abbreviation keeps its letters in order ('Glos' in 'Gloucestershire'); 'Devon' is no
    short form of 'department'. Strict where the other word is a common word, not a name (a
    name's scanning slip, 'Lines' for 'Lincs', is still a match)."""
    it = iter(long_)
    return all(c in it for c in short)


def content(toks: list[Tok]) -> list[Tok]:
    """The content tokens: words that are not function words (nor single letters), and numbers."""
    return [t for t in toks if (t.is_word and t.norm not in FUNCTION_WORDS and len(t.norm) > 1) or t.is_num]


def value_key(v: Value) -> tuple[str, float | str]:
    """What a value is looked up by: a number and an amount of the same figure meet."""
    return ("num" if v.kind in ("num", "money") else v.kind, v.value)
