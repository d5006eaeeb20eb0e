"""``changed_fact``: a number, amount, age, date, name or place that differs between a
candidate sentence and the source sentences it was rewritten from.

Embeddings cannot see facts (a sentence with 26 or 28 birds embeds the same), so this works
on tokens: every value is parsed into a canonical form ("five" == "5", "£4,330" != "£433",
"18-to-49" == "between 18 and 49"), compared with the linked source sentences, and a value
counts as changed only when the source sentence holds a different value of the same kind
that the candidate sentence dropped, and the candidate's value is nowhere in the source (a
restated figure is not a change). Swaps ("fined £500 ... pay £300" turned round) are found by
pairing each value with the words around it. The token helpers here are shared by the other
content detectors of this family (shifts, claims, omissions).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unspin.findings.context import Context
from unspin.types import Finding, Sentence

# ----------------------------------------------------------------------------------------------
# tokens

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ",
                       "`": "'"})
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)*|[^\W\d_]+(?:['][^\W\d_]+)*|[£$€%]|\S", re.UNICODE)


@dataclass(frozen=True)
class Tok:
    text: str  # as written (quotes folded)
    norm: str  # lower case, possessive 's dropped
    stem: str
    start: int  # document offsets
    end: int
    is_word: bool = False
    is_num: bool = False
    cap: bool = False


def _tok(text: str, norm: str, stem_: str, start: int, end: int) -> Tok:
    c = text[:1]
    return Tok(text, norm, stem_, start, end, c.isalpha(), c.isdigit(), c.isupper())


def words_of(text: str) -> list[str]:
    """Lexicons are written as whitespace-separated words."""
    return text.split()


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_FOLD)


_IRREGULAR = {
    "was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "being": "be", "am": "be",
    "had": "have", "has": "have", "having": "have", "did": "do", "does": "do", "done": "do",
    "said": "say", "says": "say", "told": "tell", "found": "find", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "went": "go", "gone": "go", "ran": "run", "stole": "steal",
    "stolen": "steal", "made": "make", "paid": "pay", "left": "leave", "held": "hold", "led": "lead",
    "brought": "bring", "bought": "buy", "sold": "sell", "caught": "catch", "thought": "think",
    "knew": "know", "known": "know", "saw": "see", "seen": "see", "met": "meet", "won": "win",
    "lost": "lose", "began": "begin", "begun": "begin", "wrote": "write", "written": "write",
    "kept": "keep", "felt": "feel", "fell": "fall", "fallen": "fall", "drove": "drive",
    "driven": "drive", "spent": "spend", "sent": "send", "struck": "strike", "hit": "hit",
    "men": "man", "women": "woman", "children": "child", "people": "person", "lives": "life",
    "wives": "wife", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
    "better": "good", "best": "good", "worse": "bad", "worst": "bad", "dying": "die", "died": "die",
    "lying": "lie", "drank": "drink", "drunk": "drink", "ate": "eat", "eaten": "eat",
    "fled": "flee", "shot": "shoot", "rose": "rise", "risen": "rise", "grew": "grow", "sought": "seek",
}
_VOWELS = set("aeiouy")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, deterministic English stemmer: inflections and the common derivations off,
    so injured/injuries, agreed/agreeing and conviction/convicted meet."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if not w.isalpha() or len(w) <= 3:
        return w
    for suf, rep in (("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("iveness", "ive"),
                     ("fulness", "ful"), ("ousness", "ous"), ("ements", ""), ("ement", ""),
                     ("ments", ""), ("ment", ""), ("ations", "ate"), ("ation", "ate"),
                     ("itions", ""), ("ition", ""), ("ions", ""), ("ion", ""), ("ness", ""),
                     ("ingly", ""), ("edly", ""), ("ities", ""), ("ity", ""), ("ically", "ic"),
                     ("ily", "y"), ("ly", ""), ("ings", ""), ("ing", ""), ("ied", "y"), ("ies", "y"),
                     ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            if suf == "s" and w.endswith(("ss", "us", "is")):
                break
            if suf == "es" and not w.endswith(("ses", "xes", "zes", "ches", "shes")):
                w = w[:-1]
                break
            base = w[: len(w) - len(suf)] + rep
            if not any(c in _VOWELS for c in base):
                break
            w = base
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in _VOWELS:
        w = w[:-1]  # running -> run, stopped -> stop
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w.endswith("y"):
        w = w[:-1] + "i"
    return w


def tokenize(text: str, base: int = 0) -> list[Tok]:
    text = fold(text)
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group()
        norm = t.lower()
        if norm.endswith("'s") and len(norm) > 2:
            norm = norm[:-2]
        elif norm.endswith("s'") and len(norm) > 2:
            norm = norm[:-1]
        out.append(_tok(t, norm, stem(norm) if t[:1].isalpha() else norm, base + m.start(), base + m.end()))
    return out


@lru_cache(maxsize=4096)
def _tok_cached(text: str) -> tuple[Tok, ...]:
    return tuple(tokenize(text))


def sentence_tokens(s: Sentence) -> list[Tok]:
    """Tokens of a sentence with document offsets (cached; callers must not change the list)."""
    return _sentence_tokens(s.text, s.start)


@lru_cache(maxsize=8192)
def _sentence_tokens(text: str, start: int) -> list[Tok]:
    return [Tok(t.text, t.norm, t.stem, t.start + start, t.end + start, t.is_word, t.is_num, t.cap)
            for t in _tok_cached(text)]


FUNCTION_WORDS = frozenset(words_of("""
a an the and or but if of to in on at by for from with as into onto about than then that this
these those there here it its is are was were be been being am has have had do does did so such
he she they we you i me him her them us his hers their our your my who whom whose which what
when where why how also just would could should will shall can must may might up out over off
down said says say told mr mrs ms miss dr while after before during since until upon within
against among between through both either each other another any some all own same very too
again further once only still yet who've it's that's there's he's she's i'm we're they're i've
we've don't didn't isn't wasn't
"""))

NEGATORS = frozenset(words_of("""
not no never neither nor none nobody nothing nowhere without cannot n't
"""))


def content(toks: list[Tok]) -> list[Tok]:
    return [t for t in toks if (t.is_word and t.norm not in FUNCTION_WORDS and len(t.norm) > 1) or t.is_num]


# ----------------------------------------------------------------------------------------------
# values

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6,
           "bn": 1e9, "k": 1e3, "dozen": 12}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
             "hundredth": 100}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CURRENCY = {"£": "GBP", "$": "USD", "€": "EUR"}
_CURRENCY_WORDS = {"pounds": "GBP", "pound": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR",
                   "euro": "EUR", "pence": "GBP", "p": "GBP"}


@dataclass(frozen=True)
class Value:
    kind: str  # num, money, year, ord, month, day
    value: float | str
    i: int  # first token index in the token list
    j: int  # one past the last token
    start: int
    end: int

    def same(self, other: Value) -> bool:
        return self.value == other.value and _compatible(self.kind, other.kind)


def _compatible(a: str, b: str) -> bool:
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
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in _SCALES and seen and w not in ("m", "k", "bn"):
            if w == "hundred":
                current *= 100
            else:
                total += (current or 1) * _SCALES[w]
                current = 0
        elif w == "-" and seen and k + 1 < n and (toks[k + 1].norm in _UNITS or toks[k + 1].norm in ("and",)):
            k += 1
            continue
        elif w == "and" and seen and k + 1 < n:
            # two-and-a-half, one and a half, two hundred and fifty
            rest = [t.norm for t in toks[k + 1:k + 6] if t.norm != "-"]
            if rest[:2] == ["a", "half"]:
                current += 0.5
                k += 1
                while k < n and toks[k].norm in ("-", "a", "half"):
                    k += 1
                seen = True
                break
            if rest and (rest[0] in _UNITS or rest[0] in _TENS) and (current >= 100 or total):
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


_PREV_BLOCK_ONE = frozenset(words_of("""
the any no every each this that which someone anyone no-one
"""))


# 'the one year sentence': before a unit of time 'one' is a count even after 'the'
_TIME_UNITS = frozenset(words_of("year years month months week weeks day days hour hours minute minutes "
                                 "decade"))


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
            if k < n and toks[k].norm in _SCALES and toks[k].norm != "dozen":
                val *= _SCALES[toks[k].norm]
                k += 1
            if i > 0 and toks[i - 1].text in _CURRENCY:
                cur, start_i = _CURRENCY[toks[i - 1].text], i - 1
            elif k < n and toks[k].norm in _CURRENCY_WORDS and toks[k].norm != "p":
                cur = _CURRENCY_WORDS[toks[k].norm]
            nxt = toks[k].norm if k < n else ""
            if k < n and nxt in ("st", "nd", "rd", "th") and toks[k].start == toks[k - 1].end:
                out.append(Value("ord", val, start_i, k + 1, toks[start_i].start, toks[k].end))
                i = k + 1
                continue
            kind = "money" if cur else "num"
            if kind == "num" and "," not in raw and "." not in raw and 1900 <= val <= 2099 and len(raw) == 4:
                kind = "year"
            out.append(Value(kind, val, start_i, k, toks[start_i].start, toks[k - 1].end))
            i = k
            continue
        if w in _UNITS or w in _TENS or w == "a" and i + 1 < n and toks[i + 1].norm in ("dozen",):
            if w == "a":
                out.append(Value("num", 12.0, i, i + 2, t.start, toks[i + 1].end))
                i += 2
                continue
            parsed = _word_number(toks, i)
            if parsed:
                val, k = parsed
                if k < n and toks[k].norm in _SCALES and toks[k].norm not in ("m", "k", "bn", "hundred"):
                    val *= _SCALES[toks[k].norm]
                    k += 1
                if w == "one" and k == i + 1:
                    # 'one' is mostly a pronoun or determiner: only a count before a noun
                    nxt = toks[k].norm if k < n else ""
                    prev = toks[i - 1].norm if i > 0 else ""
                    if (nxt in ("of", "another", "", "who", "that", "which", ",", ".", "-") or
                            prev in _PREV_BLOCK_ONE or not (k < n and toks[k].is_word)) and \
                            not (nxt in _TIME_UNITS and prev not in ("no", "any", "every", "each")):
                        i = k
                        continue
                if k < n and toks[k].norm in _CURRENCY_WORDS and toks[k].norm != "p":
                    cur = _CURRENCY_WORDS[toks[k].norm]
                out.append(Value("money" if cur else "num", val, i, k, t.start, toks[k - 1].end))
                i = k
                continue
        if w in _ORDINALS and t.is_word:
            out.append(Value("ord", float(_ORDINALS[w]), i, i + 1, t.start, t.end))
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
    return prev in ("in", "last", "next", "of", "early", "late", "mid", "since", "until") or \
        (nxt is not None and nxt.is_num) or (i > 0 and toks[i - 1].is_num)


# ----------------------------------------------------------------------------------------------
# names

_TITLES = frozenset(words_of("""
mr mrs ms miss dr sir lord lady judge justice recorder president secretary prime minister chief
officer inspector sergeant constable detective professor rev reverend st saint king queen prince
princess duke duchess pc wpc ps dc dci di ds dsupt sgt insp supt det cllr councillor cpl lt col
gen capt maj brig adm pte gov sen rep hon
"""))
_NOT_NAMES = frozenset(MONTHS + DAYS) | frozenset(["i"])


def name_tokens(toks: list[Tok]) -> list[int]:
    """Indexes of capitalised tokens that are names, not sentence or quotation openers."""
    out = []
    for i, t in enumerate(toks):
        if not (t.is_word and t.cap) or t.norm in _NOT_NAMES:
            continue
        prev = toks[i - 1].text if i > 0 else ""
        if i == 0 or prev in ('"', "'", ":", "(", "-", ".", "?", "!"):
            continue
        if t.norm in FUNCTION_WORDS or t.norm in _TITLES:
            continue
        out.append(i)
    return out


# postal abbreviations news copy uses for places, where the short form is not a prefix
_PLACE_ABBREV = {"oxon": "oxfordshire", "hants": "hampshire", "herts": "hertfordshire",
                 "glos": "gloucestershire", "northants": "northamptonshire", "notts": "nottinghamshire",
                 "lancs": "lancashire", "leics": "leicestershire", "lincs": "lincolnshire",
                 "staffs": "staffordshire", "wilts": "wiltshire", "worcs": "worcestershire",
                 "beds": "bedfordshire", "bucks": "buckinghamshire", "cambs": "cambridgeshire",
                 "yorks": "yorkshire", "berks": "berkshire", "salop": "shropshire", "co": "county",
                 "calif": "california", "mass": "massachusetts", "penn": "pennsylvania"}


def _abbrev_match(a: str, b: str, strict: bool = False) -> bool:
    """'Berks' ~ 'Berkshire', 'Oxon' ~ 'Oxfordshire', 'U.S' ~ 'US'."""
    a, b = a.lower().replace(".", ""), b.lower().replace(".", "")
    if a == b or _PLACE_ABBREV.get(a) == b or _PLACE_ABBREV.get(b) == a:
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
    while a < i and not (toks[a].is_word or toks[a].is_num or toks[a].text in _CURRENCY):
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
    sent: Sentence
    toks: list[Tok]
    values: list[Value]


def _source_index(ctx: Context) -> tuple[list[_Src], dict[tuple[str, float | str], int], set[str]]:
    cached = getattr(ctx, "_facts_src", None)
    if cached is not None:
        return cached
    srcs = []
    everywhere: dict[tuple[str, float | str], int] = {}
    words: set[str] = set()
    for s in ctx.src_sentences:
        toks = sentence_tokens(s)
        vals = extract_values(toks)
        srcs.append(_Src(s, toks, vals))
        for v in vals:
            key = ("num" if v.kind in ("num", "money") else v.kind, v.value)
            everywhere[key] = everywhere.get(key, 0) + 1
        words.update(t.norm.replace(".", "") for t in toks if t.is_word)
        words.update(t.norm.replace(".", "") for t in toks if t.is_word)
    ctx._facts_src = (srcs, everywhere, words)  # type: ignore[attr-defined]
    return ctx._facts_src  # type: ignore[attr-defined]


def _key(v: Value) -> tuple[str, float | str]:
    return ("num" if v.kind in ("num", "money") else v.kind, v.value)


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


_KIND_WORD = {"num": "number", "money": "amount", "year": "year", "ord": "ordinal", "month": "month",
              "day": "day"}

SPEECH_VERBS = frozenset(words_of("""
say said says tell told add added adds claim claimed claims allege alleged insist insisted argue
argued state stated explain explained describe described accept accepted admit admitted deny
denied suggest suggested ask asked reply replied respond responded warn warned conclude
concluded find found rule ruled acknowledge acknowledged note noted maintain maintained continue
continued confirm confirmed announce announced believe believes believed
"""))


def _values_facts(ctx: Context, cs: Sentence, ctoks: list[Tok], cvals: list[Value], srcs: list[_Src],
                  everywhere: dict) -> list[Finding]:
    out: list[Finding] = []
    used: set[tuple[int, int]] = set()
    src_vals = [(s, v) for s in srcs for v in s.values]
    cand_keys = {_key(v) for v in cvals}
    for cv in cvals:
        if cv.kind == "ord":
            continue
        if any(cv.same(sv) for _, sv in src_vals):
            continue
        if everywhere.get(_key(cv)):
            continue  # restated elsewhere in the source
        best, best_score = None, 0.0
        cctx = _context(ctoks, cv, cvals)
        cunit = _unit(ctoks, cv)
        for s, sv in src_vals:
            if (s.sent.index, sv.i) in used or _key(sv) in cand_keys:
                continue
            if not _compatible(cv.kind, sv.kind) or sv.kind == "ord":
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
        out.append(_finding(ctx, cs, ctoks, (cv.i, cv.j), s, (sv.i, sv.j), _KIND_WORD[cv.kind], old, new,
                            conf, cv.kind))
    out += _swaps(ctx, cs, ctoks, cvals, srcs)
    done = {(f.candidate.start, f.candidate.end) for f in out if f.candidate}
    for f in _repaired(ctx, cs, ctoks, cvals, srcs):
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


_UNIT_SKIP = frozenset(words_of("for of in the a an his her their its"))


def _compound_unit(toks: list[Tok], v: Value) -> str:
    """What a figure counts or pays for, with an age's '-old' kept on (a 36-year-old is no
    six-year sentence) and a 'for'/'of' looked past ('£3,000 for stress', 'five counts of')."""
    unit = _unit(toks, v)
    if unit in _UNIT_SKIP:
        k = v.j
        while k < len(toks) and k < v.j + 3 and toks[k].norm in _UNIT_SKIP:
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
    return _compatible(a.kind, b.kind) and (a.kind == "money") == (b.kind == "money") and \
        (a.kind == "year") == (b.kind == "year")


def _repaired(ctx: Context, cs: Sentence, ctoks: list[Tok], cvals: list[Value],
              srcs: list[_Src]) -> list[Finding]:
    """A figure the source does give, but to something else: paired by its head words, the
    candidate's figure matches a different figure of the linked source sentence far better than
    any place the source gives its own value ('a six-year fight' where the source has an
    eight-year fight and six months elsewhere; two amounts swapped in a list)."""
    out: list[Finding] = []
    figures = [v for v in cvals if v.kind in ("num", "money", "year")]
    if not figures:
        return out
    allsrc = _source_index(ctx)[0]
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
        out.append(_finding(ctx, cs, ctoks, (cv.i, cv.j), s, (sv.i, sv.j), _KIND_WORD[cv.kind], old, new,
                            min(0.9, 0.5 + 0.1 * best_diff), cv.kind))
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


_FROM_TO = re.compile(r"\bfrom\s+((?:[A-Z][\w'.-]*\s?){1,4}?)\s*to\s+((?:[A-Z][\w'.-]*\s?){1,4})")


def _direction_swaps(ctx: Context, cs: Sentence, srcs: list[_Src]) -> list[Finding]:
    """'from Scotland to Teesside' told as 'from Teesside to Scotland'."""
    out = []
    ctext = fold(cs.text)
    for cm in _FROM_TO.finditer(ctext):
        ca, cb = cm.group(1).strip().lower(), cm.group(2).strip().lower()
        for s in srcs:
            for sm in _FROM_TO.finditer(fold(s.sent.text)):
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
    cnames = name_tokens(ctoks)
    if not cnames:
        return out
    initials = _initials(ctoks, cnames, src_words)
    novel = [i for i in cnames if i not in initials and not _known_name(ctx, ctoks[i].norm, src_words)]
    if not novel:
        return out
    cand_words = {t.norm for t in ctoks if t.is_word}
    cand_caps = {t.norm.replace(".", "") for t in ctoks if t.is_word and t.cap}
    for s in srcs:
        a = [t.stem for t in ctoks]
        b = [t.stem for t in s.toks]
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        snames = set(name_tokens(s.toks))
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op != "replace":
                continue
            cn = [i for i in range(i1, i2) if i in novel]
            sn = [j for j in range(j1, j2) if j in snames and s.toks[j].norm not in cand_words
                  and not any(_abbrev_match(s.toks[j].norm, w, w not in cand_caps) for w in cand_words)]
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


# family relations and sexed person nouns: one swapped for another names a different person
# ('his ailing mother' -> 'his ailing father'); the neutral words (parent, child, partner) are a
# generalisation, not a change, and are left out
_KIN_WORDS = """
mother:mum:mummy:mom:mam father:dad:daddy:pop son daughter brother sister husband wife boyfriend
girlfriend grandmother:grandma:granny:nan:nanny grandfather:grandpa:granddad:grandad grandson
granddaughter aunt:auntie uncle niece nephew stepfather stepmother stepson stepdaughter widow
widower fiance fiancee man woman boy girl
"""
# stem -> one word for each relation, so 'dad' for 'father' is the same person
KIN = {stem(w): ws.split(":")[0] for ws in _KIN_WORDS.split() for w in ws.split(":")}


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


# the kind of sentence passed: custody vs a penalty served outside ('given a conditional
# discharge' told as 'jailed for six months')
CUSTODY = frozenset(stem(w) for w in words_of("jail jailed imprison imprisoned imprisonment prison "
                                               "custodial"))
NON_CUSTODY = frozenset(stem(w) for w in words_of("""
discharge discharged probation fine fined community suspended suspend costs order
"""))
_NOT_JAILED = frozenset(words_of("""
spared spare avoid avoided escape escaped escapes walked not no never face faces faced facing risk
risked could would might may warned threat threatened without than instead
"""))


def _penalty_changes(ctx: Context, cs: Sentence, ctoks: list[Tok], srcs: list[_Src]) -> list[Finding]:
    """The candidate jails someone where its source sentence passes only a penalty served
    outside, with no custody in it at all."""
    ks = [k for k, t in enumerate(ctoks) if t.is_word and t.stem in CUSTODY]
    if not ks or any(t.stem in NON_CUSTODY for t in ctoks):
        return []
    k = ks[0]
    if any(t.norm in _NOT_JAILED for t in ctoks[max(0, k - 4):k]):
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


def _source_caps(ctx: Context) -> set[str]:
    """The source's capitalised words: the names a candidate's name may abbreviate."""
    caps = getattr(ctx, "_facts_caps", None)
    if caps is None:
        caps = {t.norm.replace(".", "") for x in _source_index(ctx)[0] for t in x.toks if t.is_word and t.cap}
        ctx._facts_caps = caps  # type: ignore[attr-defined]
    return caps


def _known_name(ctx: Context, norm: str, src_words: set[str]) -> bool:
    """Whether a source word with the same first letter is ``norm`` or a short or long form of
    it. Source words are grouped by first letter and each answer kept, once per comparison."""
    cache = getattr(ctx, "_facts_known", None)
    if cache is None or cache[0] is not src_words:
        by_first: dict[str, list[str]] = {}
        for w in src_words:
            by_first.setdefault(w[:1], []).append(w)
        cache = (src_words, by_first, {})
        ctx._facts_known = cache  # type: ignore[attr-defined]
    _, by_first, answers = cache
    if norm not in answers:
        src_caps = _source_caps(ctx)
        answers[norm] = any(_abbrev_match(norm, w, w not in src_caps) for w in by_first.get(norm[:1], ()))
    return answers[norm]


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


_ADDRESS_VERBS = frozenset(words_of("tell told tells ask asked asks warn warned urge urged assure assured"))


def _speaks(toks: list[Tok], i: int) -> bool:
    """The name at ``i`` is the one speaking ('Mr X said', 'said Mr X'), not the one spoken to
    ('he told Judge X'): only a speaker's change is an attribution matter."""
    after = any(toks[k].norm in SPEECH_VERBS for k in range(i + 1, min(len(toks), i + 5)))
    k = i - 1
    while k >= 0 and toks[k].is_word and toks[k].cap:
        k -= 1  # over the rest of the name and its title
    before = k >= 0 and toks[k].norm in SPEECH_VERBS and toks[k].norm not in _ADDRESS_VERBS
    return after or before


def detect(ctx: Context) -> list[Finding]:
    if not ctx.derived:
        return []
    srcs, everywhere, src_words = _source_index(ctx)
    pos = {(x.sent.doc, x.sent.start): k for k, x in enumerate(srcs)}
    out: list[Finding] = []
    for cs in ctx.cand_sentences:
        linked = ctx.source_for(cs.index)
        if not linked:
            continue
        if ctx.flagged(cs.start, cs.end, {"garbled_text", "fabricated_quote"}):
            continue
        ctoks = sentence_tokens(cs)
        cvals = extract_values(ctoks)
        lsrc = [srcs[pos[(s.doc, s.start)]] for s in linked]
        found = _values_facts(ctx, cs, ctoks, cvals, lsrc, everywhere)
        found += _direction_swaps(ctx, cs, lsrc)
        found += _name_changes(ctx, cs, ctoks, lsrc, src_words)
        found += _kin_changes(ctx, cs, ctoks, lsrc)
        found += _penalty_changes(ctx, cs, ctoks, lsrc)
        for f in found:
            if f.candidate and not ctx.flagged(f.candidate.start, f.candidate.end, {"changed_fact"}) and \
                    not any(g.candidate and g.candidate.start < f.candidate.end and f.candidate.start <
                            g.candidate.end for g in out):
                out.append(f)
    return out
