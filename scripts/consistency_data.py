"""Training data for unspin's sentence-pair consistency model (supported / contradicted / unsupported).

Usage::

    .venv/bin/python scripts/consistency_data.py --out build/consistency-data [--seed 13] [--max-news N]

Writes ``train.jsonl``, ``valid.jsonl`` and ``stats.json`` into ``--out``. Deterministic: the same
seed and the same input files give the same output byte for byte (string-seeded ``random.Random``
per sentence, sha256 for the split, sorted inputs; no network, no unspin import).

One JSON object a line::

    {"premise": str, "hypothesis": str, "label": "supported"|"contradicted"|"unsupported",
     "kind": str, "group": str, "span": [start, end] | null}

``kind`` is ``nli:<dataset>`` for the public NLI pairs, ``faithful:<how>`` for supported
rewrites of a news sentence and ``edit:<type>`` for contradicted or unsupported edits.
``span`` is the character span, in the hypothesis, of the words an edit changed or inserted
(null for NLI and supported pairs). When an edit only deletes words (a hedge such as
"allegedly", a "not"), the span covers the word before and the word after the deletion point,
which now stand next to each other.

``group`` is the unit of the train/valid split: ``meter:<story>`` (all PA copy and newspaper
articles of one METER story), ``pan13:<source-document>``, ``scan:<archive id>`` (archive files
are mapped to their METER story or PAN document through ``scan/provenance.jsonl``, so the same
text never lands on both sides) and ``nli:<sha1 of the premise>`` for NLI pairs. A news group is
held out when ``sha256(f"{seed}:{group}")`` falls in the lowest 10%; NLI valid pairs whose premise
also occurs in a train pair are dropped. Nothing of a held-out group is in train.

Sources and licences (see the README beside each):

* ``/work/shared/data/nli/*.jsonl``: SNLI via e-SNLI (MIT; SNLI CC BY-SA 4.0), SNLI
  counterfactuals/CAD (Apache-2.0), SICK (CC BY-NC-SA 3.0: research use, not a commercial
  model), ConjNLI (MIT), Climate-FEVER, HealthVer, COVID-Fact, GLUE RTE (no licence stated in
  the repos), FEVER-Symmetric (CC BY-SA 3.0 / Wikipedia), WiCE (ODC-BY 1.0; Wikipedia text
  CC BY-SA), MRPC (Microsoft Research licence). Mapping: entailment=supported,
  contradiction=contradicted, neutral=unsupported. Train uses the train splits, and the dev
  split of datasets with no train split (snli, healthver, fever_symmetric, wice); valid holds a
  sample (<= 2,000) of test splits, dev splits of datasets that have a train split, and
  climate_fever (test only). At most 8,000 train pairs per dataset; pairs over 120 words
  (premise + hypothesis) are dropped; pairs repeated across files are kept once. RTE and MRPC
  "neutral" means "not entailed" (it includes contradictions), COVID-Fact and FEVER-Symmetric
  have no neutral class and WiCE no contradiction class: weight or mask them when training.
* METER corpus, courts section (University of Sheffield, free for research use):
  ``meter/courts.jsonl`` (newspaper articles) and ``meter/courts-sources.jsonl`` (PA copy).
* PAN 2013 text-alignment training corpus, ``pan13/src/*.txt`` (Webis; research data, licence
  not stated; not to be shipped inside the package).
* The scan benchmark archive, ``scan/archive/*.txt`` (built from METER and PAN 2013 texts).
  The news data are research data: the generated files are for training a research model and
  must not be redistributed as a data set.

News pairs: for a source sentence S (6-60 words, prose-like), the premise is S with the
previous and next sentence of its document when they fit in about 80 words; the hypothesis is
S rewritten by rules (see ``SUPPORTED_EDITS``, ``CONTRADICTED_EDITS``, ``UNSUPPORTED_EDITS``;
word lists in ``scripts/consistency_lang.py``). Each sentence offers a few random applicable
edits; a seeded, per-kind water-filling sample then gives about 40% supported, 30%
contradicted and 30% unsupported pairs, with the kinds inside a label as even as their
availability allows. ``--max-news`` caps the news pairs in train (default 50,000); valid gets
the held-out groups' pairs, capped at a ninth of that.

Sentences are split with a small rule-based splitter here (not unspin.segment, so that the
data do not change when the segmenter does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import consistency_lang as L  # noqa: E402

SHARED = Path("/work/shared/data")
LABELS = ("supported", "contradicted", "unsupported")
LABEL_SHARE = {"supported": 0.4, "contradicted": 0.3, "unsupported": 0.3}
VALID_PERCENT = 10
NLI_CAP = 8000
NLI_VALID_CAP = 2000
MAX_PAIR_WORDS = 120
PREMISE_WORDS = 80
NLI_LABELS = {"entailment": "supported", "contradiction": "contradicted", "neutral": "unsupported"}
NLI_TRAIN_DEV = {"snli", "healthver", "fever_symmetric", "wice"}  # no train split: dev is used to train

Span = list[int]
EditResult = tuple[str, Span | None]

# ====================================================================== text utilities

_WS = re.compile(r"\s+")
_BOUND = re.compile(r"([.!?]+[\"”’')]*)(\s+)(?=[\"“‘'(]?[A-Z0-9£$])")
_TAIL_TOKEN = re.compile(r"([A-Za-z]+)$")
OPEN_Q = '"“'
CLOSE_Q = '"”'


def nwords(s: str) -> int:
    return len(s.split())


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain text; every line is a paragraph, a sentence never spans two."""
    out: list[str] = []
    for line in text.splitlines():
        para = _WS.sub(" ", line).strip()
        if not para:
            continue
        start = 0
        for m in _BOUND.finditer(para):
            tail = _TAIL_TOKEN.search(para[start : m.start(1)])
            tok = tail.group(1) if tail else ""
            if m.group(1) == "." and (tok.lower() in L.ABBREVIATIONS or (len(tok) == 1 and tok.isupper())):
                continue
            piece = para[start : m.end(1)].strip()
            if piece:
                out.append(piece)
            start = m.end()
        piece = para[start:].strip()
        if piece:
            out.append(piece)
    return out


def prose_like(s: str) -> bool:
    """A sentence worth editing: 6-60 words, ends like a sentence, mostly letters, not a heading."""
    n = nwords(s)
    if n < 6 or n > 60:
        return False
    if not re.search(r"[.!?][\"”’')]*$", s) or not re.match(r"[\"“‘(]?[A-Z0-9£$]", s):
        return False
    if "http" in s or "www." in s or "@" in s or "|" in s or "_" in s or ".;" in s:
        return False
    if re.search(r"\s[,.;:]|\(\s*\)|&#?\w+;|\.\.\.|\?\?|\s-\s*$", s):
        return False  # scraped text with links or markup removed
    letters = sum(c.isalpha() for c in s)
    if letters < 0.7 * len(s.replace(" ", "")):
        return False
    lower = sum(c.islower() for c in s)
    return lower >= 0.6 * letters


def context_ok(s: str) -> bool:
    return bool(re.search(r"[.!?][\"”’')]*$", s)) and any(c.islower() for c in s) and nwords(s) <= 60


def match_case(src: str, rep: str) -> str:
    if not rep:
        return rep
    if src.isupper() and len(src) > 1:
        return rep.upper()
    if src[:1].isupper():
        return rep[:1].upper() + rep[1:]
    return rep


def at_start(s: str, i: int) -> bool:
    return s[:i].strip(" \"“‘'(") == ""


def cap_first(s: str) -> str:
    for i, c in enumerate(s):
        if c.isalpha():
            return s[:i] + c.upper() + s[i + 1 :]
    return s


def decap(s: str, lower_vocab: frozenset[str]) -> str:
    """Lower-case the first word of s when it is not a name (moved into another sentence)."""
    m = re.match(r"([\"“‘(]*)([A-Za-z']+)", s)
    if not m:
        return s
    w = m.group(2)
    if w == "I" or not w[:1].isupper() or (w.isupper() and len(w) > 1):
        return s
    if w.lower() in L.LOWER_STARTERS or w.lower() in lower_vocab:
        return s[: m.start(2)] + w[0].lower() + w[1:] + s[m.end(2) :]
    return s


def replace(s: str, start: int, end: int, rep: str) -> EditResult:
    """s with s[start:end] replaced by rep (a/an fixed before it); span of rep in the result."""
    if rep == "":
        return delete(s, start, end)
    if at_start(s, start):
        rep = cap_first(rep)
    head = s[:start]
    m = re.search(r"(?<![\w'])([Aa]n?) $", head)
    if m:
        art = "an" if rep[:1].lower() in "aeiou" and not rep.lower().startswith(("one", "uni", "eu")) else "a"
        art = match_case(m.group(1), art)
        head = head[: m.start(1)] + art + " "
    hyp = head + rep + s[end:]
    return hyp, [len(head), len(head) + len(rep)]


def delete(s: str, start: int, end: int) -> EditResult:
    """Delete s[start:end] and one adjacent space; span = word before + word after the cut."""
    if end < len(s) and s[end] == " ":
        end += 1
    elif start > 0 and s[start - 1] == " ":
        start -= 1
    hyp = s[:start] + s[end:]
    cut = start
    if at_start(hyp, cut):
        hyp = hyp[:cut] + cap_first(hyp[cut:])
    left = re.search(r"[\w'’£$%.,-]*\s*$", hyp[:cut])
    right = re.match(r"\s*[\w'’£$%-]*", hyp[cut:])
    a = left.start() if left else cut
    b = cut + (right.end() if right else 0)
    while a < b and hyp[a] in " ,.":
        a += 1
    while b > a and hyp[b - 1] in " ,.":
        b -= 1
    if a >= b:
        return hyp, None
    return hyp, [a, b]


_PHRASE_CACHE: dict[str, re.Pattern[str]] = {}


def phrase_re(phrase: str) -> re.Pattern[str]:
    pat = _PHRASE_CACHE.get(phrase)
    if pat is None:
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        pat = re.compile(r"(?<![\w'’-])" + body + r"(?![\w'’-])", re.IGNORECASE)
        _PHRASE_CACHE[phrase] = pat
    return pat


def word_before(s: str, i: int) -> str:
    m = re.search(r"([\w'’-]+)\W*$", s[:i])
    return m.group(1).lower() if m else ""


def word_after(s: str, i: int) -> str:
    m = re.match(r"\W*?([\w'’-]+|-)", s[i:])
    return m.group(1).lower() if m else ""


def find_phrases(
    s: str,
    pairs: Iterable[tuple[str, str]],
    block_before: dict[str, tuple[str, ...]] | None = None,
    block_after: dict[str, tuple[str, ...]] | None = None,
    need_before: dict[str, tuple[str, ...]] | None = None,
    need_after: dict[str, str] | None = None,
) -> list[tuple[int, int, str]]:
    """Whole-word matches of each phrase, as (start, end, replacement in the matched case).

    A lower-case phrase matched with a capital letter away from the sentence start is a name
    ("North Yorkshire", "May") and is skipped.
    """
    out: list[tuple[int, int, str]] = []
    for phrase, rep in pairs:
        for m in phrase_re(phrase).finditer(s):
            text = m.group(0)
            if text[:1].isupper() and phrase[:1].islower() and not at_start(s, m.start()):
                continue
            before, after = word_before(s, m.start()), word_after(s, m.end())
            if block_before and before in block_before.get(phrase, ()):
                continue
            if block_after and after in block_after.get(phrase, ()):
                continue
            if need_before and phrase in need_before and before not in need_before[phrase]:
                continue
            if need_after and phrase in need_after and not re.match(need_after[phrase], s[m.end() :], re.I):
                continue
            out.append((m.start(), m.end(), match_case(text, rep)))
    return out


# ====================================================================== article context

_NAME_TOK = r"(?:Mac|Mc|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_TITLES = sorted(set(L.MALE_TITLES + L.FEMALE_TITLES + L.OTHER_TITLES), key=len, reverse=True)
_TITLED_RE = re.compile(
    r"\b("
    + "|".join(re.escape(t) for t in _TITLES)
    + r")\.? ("
    + _NAME_TOK
    + r"(?: "
    + _NAME_TOK
    + r"){0,2})"
)
_GIVEN_RE = re.compile(r"\b([A-Z][a-z]+) (" + _NAME_TOK + r"(?: " + _NAME_TOK + r")?)\b")
_AGE_NAME_RE = re.compile(r"\b(" + _NAME_TOK + r"(?: " + _NAME_TOK + r"){1,2}), (\d{1,2}),")
_NOT_NAME = frozenset(L.MONTHS + L.WEEKDAYS) | {
    "Street",
    "Road",
    "Court",
    "Crown",
    "Lane",
    "Avenue",
    "Police",
    "Council",
    "Hospital",
    "House",
    "Square",
    "Park",
    "Station",
    "Hall",
    "High",
    "Church",
    "College",
    "School",
    "University",
    "Magistrates",
    "Prison",
    "Centre",
    "Airport",
    "Bridge",
    "Club",
    "Ltd",
    "Limited",
    "Group",
    "Party",
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "But",
    "And",
    "In",
    "On",
    "At",
    "For",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    form: str  # titled | full | surname | place | role
    title: str = ""
    surname: str = ""


@dataclass
class Person:
    full: str  # given + surname, or "" when only a titled form was seen
    surname: str
    gender: str  # m | f | ""
    titles: set[str] = field(default_factory=set)


@dataclass
class Article:
    group: str
    corpus: str
    sentences: list[str]
    persons: dict[str, Person] = field(default_factory=dict)  # by surname
    places: list[str] = field(default_factory=list)
    lower_vocab: frozenset[str] = frozenset()
    newsy: bool = True  # news prose (METER, or a text that reports what people said)


def gender_of(title: str, given: str) -> str:
    if title in L.MALE_TITLES or given in L.MALE_GIVEN:
        return "m"
    if title in L.FEMALE_TITLES or given in L.FEMALE_GIVEN:
        return "f"
    return ""


def build_article(group: str, corpus: str, sentences: list[str]) -> Article:
    art = Article(group, corpus, sentences)
    text = "\n".join(sentences)
    persons: dict[str, Person] = {}

    def add(full: str, surname: str, gender: str, title: str = "") -> None:
        if surname in _NOT_NAME or len(surname) < 2:
            return
        p = persons.setdefault(surname, Person("", surname, ""))
        if full and not p.full:
            p.full = full
        if gender and not p.gender:
            p.gender = gender
        if title:
            p.titles.add(title)

    for m in _TITLED_RE.finditer(text):
        toks = m.group(2).split()
        if toks[-1] in _NOT_NAME:
            continue
        given = toks[0] if len(toks) > 1 else ""
        add(" ".join(toks) if len(toks) > 1 else "", toks[-1], gender_of(m.group(1), given), m.group(1))
    for m in _GIVEN_RE.finditer(text):
        given, rest = m.group(1), m.group(2).split()
        if given in L.MALE_GIVEN or given in L.FEMALE_GIVEN:
            if rest[-1] in _NOT_NAME or rest[0] in _NOT_NAME:
                continue
            add(given + " " + " ".join(rest), rest[-1], gender_of("", given))
    for m in _AGE_NAME_RE.finditer(text):
        toks = m.group(1).split()
        if toks[0] in _NOT_NAME or toks[-1] in _NOT_NAME or toks[0] in L.PLACES:
            continue
        add(m.group(1), toks[-1], gender_of("", toks[0]))
    vocab = {w.lower() for w in re.findall(r"\b[a-z][a-z']+\b", text)}
    art.persons = {
        k: v for k, v in persons.items() if k.lower() not in vocab and k.lower() not in L.NUMBER_WORDS
    }
    places = []
    for p in L.PLACES:
        if re.search(r"\b" + re.escape(p) + r"\b", text):
            places.append(p)
    art.places = places
    art.newsy = corpus == "meter" or len(re.findall(r"\b(?:said|told|according to)\b", text)) >= 3
    art.lower_vocab = frozenset(w for w in re.findall(r"\b[a-z][a-z']+\b", text))
    return art


def person_mentions(s: str, art: Article) -> list[Mention]:
    """Mentions in s of the article's people: "Mr Binney", "Andrew Binney", "Binney"."""
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _TITLED_RE.finditer(s):
        sur = m.group(2).split()[-1]
        if sur in art.persons:
            out.append(Mention(m.start(), m.end(), m.group(0), "titled", m.group(1), sur))
            taken.append((m.start(), m.end()))
    for sur, p in art.persons.items():
        if p.full:
            for m in re.finditer(r"\b" + re.escape(p.full) + r"\b", s):
                if free(m.start(), m.end()):
                    out.append(Mention(m.start(), m.end(), m.group(0), "full", "", sur))
                    taken.append((m.start(), m.end()))
    for sur in art.persons:
        for m in re.finditer(r"(?<![\w'-])" + re.escape(sur) + r"(?![\w-])", s):
            ends_ok = s[m.end() : m.end() + 2] in ("'s", "’s") or s[m.end() : m.end() + 1] in " ,.;:"
            if free(m.start(), m.end()) and not re.search(r"[A-Z][a-z]+ $", s[: m.start()]) and ends_ok:
                out.append(Mention(m.start(), m.end(), m.group(0), "surname", "", sur))
                taken.append((m.start(), m.end()))
    out.sort(key=lambda x: x.start)
    return out


def place_mentions(s: str, art: Article) -> list[Mention]:
    out = []
    for p in art.places:
        for m in re.finditer(r"(?<![\w-])" + re.escape(p) + r"(?![\w-])", s):
            if word_after(s, m.end()) in (
                "crown",
                "magistrates",
                "city",
                "county",
                "police",
                "council",
                "united",
            ) or re.match(r" [A-Z]", s[m.end() :]):
                continue  # part of a longer name: "Manchester Ship Canal"
            out.append(Mention(m.start(), m.end(), p, "place"))
    return out


_REPORT_ALT = "|".join(L.REPORTING_VERBS)
_SAY_ALT = "|".join(v for v in L.REPORTING_VERBS if v not in ("told", "asked", "warned", "replied"))
_ROLE_ALT = "|".join(re.escape(r) for r in sorted(L.ROLE_SWAPS, key=len, reverse=True))


def speaker_mentions(s: str, art: Article) -> list[Mention]:
    """People or roles that say something in s: 'X said', 'said X', 'according to X'."""
    out = []
    for mt in person_mentions(s, art):
        after = s[mt.end :]
        before = s[: mt.start]
        if (
            re.match(r"(?:, [^,\"“”]{1,60},)? (?:" + _REPORT_ALT + r")\b", after)
            or re.search(r"\b(?:" + _SAY_ALT + r") $", before)
            or re.search(r"\baccording to $", before, re.IGNORECASE)
        ):
            out.append(mt)
    for m in re.finditer(r"(?<![\w-])(" + _ROLE_ALT + r")(?![\w-])", s, re.IGNORECASE):
        role = m.group(1)
        if role[:1].isupper() and not at_start(s, m.start()):
            continue
        after, before = s[m.end() :], s[: m.start()]
        if re.match(r" (?:" + _REPORT_ALT + r")\b", after) or re.search(
            r"(?:[,\"”] (?:" + _SAY_ALT + r")|according to) $", before
        ):
            out.append(Mention(m.start(), m.end(), role, "role"))
    return out


# ====================================================================== contradicted edits

_NUM_RE = re.compile(r"(?<![\w.,/£$€-])([£$€])?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(m|bn|k)?(?!\w|[.,]\d)")
_YEAR_RE = re.compile(r"(?<![\w.,/£$€-])(19[0-9]\d|20[0-2]\d)(?!\w|[.,]\d|%)")


def _new_number(n: int, rng: random.Random, age: bool) -> int:
    if age:
        m = n + rng.choice([-11, -7, -5, -4, -3, 3, 4, 5, 7, 12])
        return m if m > 0 else n + 6
    if n < 10:
        choices = [x for x in range(max(1, n - 3), n + 5) if x != n]
        return rng.choice(choices)
    z = 0
    while n % (10 ** (z + 1)) == 0 and 10 ** (z + 1) <= n:
        z += 1
    z = min(z, len(str(n)) - 1)
    f = rng.choice([0.5, 0.6, 0.75, 1.25, 1.5, 2, 3])
    unit = 10**z
    m = int(round(n * f / unit)) * unit
    if m == n or m <= 0:
        m = n + unit * rng.choice([1, 2, 3])
    return m


def edit_number(s: str, art: Article, rng: random.Random) -> EditResult | None:
    cands = []
    for m in _NUM_RE.finditer(s):
        cur, digits, dec, suf = m.group(1), m.group(2), m.group(3), m.group(4)
        if not cur and not dec and _YEAR_RE.fullmatch(digits):
            continue
        if re.search(r"\b(?:No|no|number|Room|room|section|Section|page|Article)\.? $", s[: m.start()]):
            continue
        if re.match(r"\s?(?:am|pm|a\.m|p\.m)\b", s[m.end() :]) or re.match(r"[.:]\d\d", s[m.end() :]):
            continue  # a time: a date edit
        if re.match(r"\s?[-–/]\s?\d", s[m.end() :]) or re.search(r"\d\s?[-–/]\s?$", s[: m.start()]):
            continue  # a range, score or fraction
        cands.append(("num", m))
    words = [(w, w) for w in L.NUMBER_WORDS]
    for st, en, _ in find_phrases(s, words):
        cands.append(("word", (st, en)))
    if not cands:
        return None
    kind, m = rng.choice(cands)
    if kind == "word":
        st, en = m
        w = s[st:en].lower()
        i = L.NUMBER_WORDS.index(w)
        opts = [x for j, x in enumerate(L.NUMBER_WORDS) if j != i and abs(j - i) <= 3]
        return replace(s, st, en, match_case(s[st:en], rng.choice(opts)))
    cur, digits, dec, suf = m.group(1) or "", m.group(2), m.group(3) or "", m.group(4) or ""
    n = int(digits.replace(",", ""))
    age = (
        bool(re.search(r"[A-Za-z], $", s[: m.start()]) and s[m.end() : m.end() + 1] == ",")
        or s[m.end() : m.end() + 9] == "-year-old"
    )
    if dec:
        v = float(digits.replace(",", "") + dec)
        f = rng.choice([0.5, 0.7, 1.3, 1.6, 2.0])
        places = len(dec) - 1
        nv = round(v * f, places)
        if nv == v:
            nv = v + 10**-places
        txt = f"{nv:,.{places}f}" if "," in digits else f"{nv:.{places}f}"
    else:
        nn = _new_number(n, rng, age)
        txt = f"{nn:,}" if ("," in digits or (n >= 10000 and nn >= 10000 and "," in digits)) else str(nn)
    if (
        re.match(r"\s?(?:%|per ?cent)", s[m.end() :])
        and not dec
        and n <= 100
        and int(txt.replace(",", "")) > 100
    ):
        txt = str(max(1, n // 2)) if n > 1 else "3"
    new = cur + txt + suf
    if new == m.group(0):
        return None
    return replace(s, m.start(), m.end(), new)


_MONTH_ALT = "|".join(L.MONTHS)
_WEEKDAY_ALT = "|".join(L.WEEKDAYS)


def edit_date(s: str, art: Article, rng: random.Random) -> EditResult | None:
    cands: list[tuple[int, int, str]] = []
    for m in re.finditer(r"\b(" + _WEEKDAY_ALT + r")\b", s):
        cands.append((m.start(), m.end(), rng.choice([d for d in L.WEEKDAYS if d != m.group(1)])))
    for m in re.finditer(r"\b(" + _MONTH_ALT + r")\b", s):
        mo = m.group(1)
        if at_start(s, m.start()):
            continue
        if mo in ("May", "March") and not (
            re.match(r" \d", s[m.end() :])
            or re.search(
                r"(?:\d|\b(?:in|of|last|next|since|until|early|late|this|from|by)) $", s[: m.start()]
            )
        ):
            continue
        cands.append((m.start(), m.end(), rng.choice([x for x in L.MONTHS if x != mo])))
    for m in _YEAR_RE.finditer(s):
        y = int(m.group(1))
        if re.search(r"[£$€]$", s[: m.start()]):
            continue
        cands.append((m.start(), m.end(), str(y + rng.choice([-6, -4, -3, -2, -1, 1, 2, 3]))))
    for m in re.finditer(r"\b(\d{1,2})(st|nd|rd|th)? (?=" + _MONTH_ALT + r")", s):
        d = int(m.group(1))
        nd = rng.choice([x for x in range(1, 29) if x != d])
        suf = m.group(2) or ""
        if suf:
            suf = "th" if 10 <= nd % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(nd % 10, "th")
        cands.append((m.start(), m.end() - 1, f"{nd}{suf}"))
    for m in re.finditer(r"\b(?:" + _MONTH_ALT + r") (\d{1,2})\b(?!,\d)", s):
        d = int(m.group(1))
        if d <= 31:
            cands.append((m.start(1), m.end(1), str(rng.choice([x for x in range(1, 29) if x != d]))))
    for m in re.finditer(r"\b(\d{1,2})(?:[.:](\d\d))?\s?(am|pm)\b", s):
        h = int(m.group(1))
        if 1 <= h <= 12:
            nh = rng.choice([x for x in range(1, 13) if x != h])
            cands.append((m.start(1), m.end(1), str(nh)))
    for m in re.finditer(
        r"\b(?:" + _WEEKDAY_ALT + r"|yesterday|Yesterday|this|that|tomorrow) (morning|afternoon|evening)\b", s
    ):
        cands.append((m.start(1), m.end(1), rng.choice([d for d in L.DAYPARTS if d != m.group(1)])))
    swaps = {
        "last week": "last month",
        "last month": "last week",
        "next week": "next month",
        "next month": "next week",
        "last year": "two years ago",
        "next year": "in two years",
    }
    for st, en, rep in find_phrases(s, swaps.items()):
        if word_before(s, st) not in ("the", "this", "of"):
            cands.append((st, en, rep))
    if not cands:
        return None
    st, en, rep = rng.choice(cands)
    return replace(s, st, en, rep)


def _other_person(
    art: Article, mt: Mention, rng: random.Random, need_full: bool, s: str = ""
) -> Person | None:
    """Another person of the article, preferably one the sentence does not name already."""
    others = [
        p
        for sur, p in sorted(art.persons.items())
        if sur != mt.surname and sur not in mt.text and mt.surname not in p.full and (p.full or not need_full)
    ]
    fresh = [p for p in others if p.surname not in s]
    if fresh:
        return rng.choice(fresh)
    return rng.choice(others) if others else None


def _swap_person(s: str, art: Article, mt: Mention, rng: random.Random) -> EditResult | None:
    if mt.form == "titled":
        p = _other_person(art, mt, rng, False, s)
        if p is None:
            return None
        return replace(s, mt.start, mt.end, f"{mt.title} {p.surname}")
    if mt.form == "full":
        p = _other_person(art, mt, rng, True, s)
        if p is None:
            return None
        return replace(s, mt.start, mt.end, p.full)
    p = _other_person(art, mt, rng, False, s)
    if p is None:
        return None
    return replace(s, mt.start, mt.end, p.surname)


def edit_entity(s: str, art: Article, rng: random.Random) -> EditResult | None:
    speakers = {(m.start, m.end) for m in speaker_mentions(s, art)}
    cands: list[Mention] = [m for m in person_mentions(s, art) if (m.start, m.end) not in speakers]
    cands += place_mentions(s, art)
    rng.shuffle(cands)
    for mt in cands:
        if mt.form == "place":
            group = next(g for g in L.PLACE_GROUPS.values() if mt.text in g)
            others = [p for p in art.places if p in group and p != mt.text and p not in s]
            if not others:
                others = [p for p in group if p not in s and p != mt.text]
            if not others:
                continue
            res = replace(s, mt.start, mt.end, rng.choice(others))
        else:
            res = _swap_person(s, art, mt, rng)
        if res:
            return res
    return None


def edit_speaker(s: str, art: Article, rng: random.Random) -> EditResult | None:
    cands = speaker_mentions(s, art)
    rng.shuffle(cands)
    for mt in cands:
        if mt.form == "role":
            opts = L.ROLE_SWAPS[mt.text.lower()]
            opts = [o for o in opts if o not in s.lower()]
            if not opts:
                continue
            return replace(s, mt.start, mt.end, match_case(mt.text, rng.choice(opts)))
        res = _swap_person(s, art, mt, rng)
        if res:
            return res
    return None


_NEG_WINDOW = re.compile(
    r"\b(?:no|not|nobody|none|never|nothing|neither|nor|cannot|without|hardly|if|whether|since|when|"
    r"while|until|unless|ever|once|before|after)\b|n't"
)
_AUX_NEXT_BAD = {
    "some",
    "being",
    "only",
    "always",
    "ever",
    "about",
    "so",
    "too",
    "not",
    "never",
    "to",
    "also",
    "no",
    "a",
    "an",
    "the",
    "just",
    "already",
    "n't",
    "still",
}


def edit_negation(s: str, art: Article, rng: random.Random) -> EditResult | None:
    if s.rstrip("\"”’' ").endswith("?"):
        return None
    cands: list[tuple[int, int, str]] = []
    for m in re.finditer(r"\b(" + "|".join(L.NEG_AUX) + r") ([A-Za-z]+)", s):
        aux, nxt = m.group(1), m.group(2)
        before = word_before(s, m.start())
        if nxt.lower() in _AUX_NEXT_BAD or before in (
            "if",
            "whether",
            "than",
            "as",
            "his",
            "her",
            "the",
            "a",
            "own",
        ):
            continue
        if aux in ("has", "have", "had") and not (nxt.endswith("ed") or nxt in L.PARTICIPLE_IRREGULAR):
            continue
        if aux in ("is", "was", "were", "are") and nxt[:1].isupper():
            continue
        if aux in ("will", "may", "might", "can") and before in ("his", "her", "the", "a", "free", "own"):
            continue
        window = " ".join(re.split(r"[,;:\"“”]", s[: m.start()])[-1].lower().split()[-7:])
        if _NEG_WINDOW.search(window):
            continue  # a double negative, or a clause whose truth the sentence does not assert
        rep = "cannot" if aux == "can" else aux + " not"
        cands.append((m.start(1), m.end(1), rep))
    for m in re.finditer(r"\b(" + "|".join(L.NEG_AUX) + r") (not|never) ", s):
        cands.append((m.end(1), m.end(2), ""))
    for st, en, rep in find_phrases(s, L.NEG_CONTRACTIONS.items()):
        cands.append((st, en, rep))
    for st, en, rep in find_phrases(s, L.NEG_LEXICAL):
        cands.append((st, en, rep))
    if not cands:
        return None
    st, en, rep = rng.choice(cands)
    if rep == "":
        return delete(s, st + 1 if s[st] == " " else st, en)
    return replace(s, st, en, rep)


def _phrase_edit(pairs, **kw) -> Callable[[str, Article, random.Random], EditResult | None]:
    def edit(s: str, art: Article, rng: random.Random) -> EditResult | None:
        cands = find_phrases(s, pairs, **kw)
        if not cands:
            return None
        st, en, rep = rng.choice(cands)
        if rep.lower() == s[st:en].lower():
            return None
        return replace(s, st, en, rep)

    return edit


edit_antonym = _phrase_edit(
    L.ANTONYMS,
    block_before=L.ANTONYM_BLOCK_BEFORE,
    block_after=L.ANTONYM_BLOCK_AFTER,
    need_before=L.ANTONYM_NEED_BEFORE,
    need_after=L.ANTONYM_NEED_AFTER,
)


def edit_hedge(s: str, art: Article, rng: random.Random) -> EditResult | None:
    cands = find_phrases(s, L.HEDGES, need_before=L.HEDGE_NEED_BEFORE)
    modal, other = [], []
    for c in cands:
        if s[c[0] : c[1]].lower() not in ("may", "might", "will"):
            other.append(c)
            continue
        window = " ".join(s[: c[0]].lower().split()[-6:])
        if word_before(s, c[0]) in ("the", "his", "her", "a", "own", "free") or re.match(
            r"\s+(?:have|not|never|be thought|also)\b", s[c[1] :]
        ):
            continue
        if re.search(
            r"\b(?:hope|hoped|hopes|hopefully|if|when|unless|whether|until|once|you|i|we)\b", window
        ):
            continue
        if s[c[0] : c[1]].lower() == "will" and re.search(r"\byou\b", s, re.I):
            continue
        modal.append(c)
    if other:
        cands = other
    elif modal and rng.random() < 0.4:
        cands = modal
    else:
        return None
    st, en, rep = rng.choice(cands)
    return replace(s, st, en, rep)


def edit_intensity(s: str, art: Article, rng: random.Random) -> EditResult | None:
    cands = [
        c
        for c in find_phrases(s, L.INTENSITY, need_after=L.INTENSITY_NEED_AFTER)
        if not (s[c[0] : c[1]].lower() == "some" and re.search(r"\bothers\b", s[c[1] :]))
        and not (
            s[c[0] : c[1]].lower() == "some" and re.match(r" (?:\d|[a-z]+ (?:of|years|miles))", s[c[1] :])
        )
        and not (s[c[0] : c[1]].lower() == "most" and word_before(s, c[0]) in ("the", "a"))
    ]
    if not cands:
        return None
    st, en, rep = rng.choice(cands)
    return replace(s, st, en, rep)


# a proper-noun phrase ("Rockwater", "Leeds City Council") or "the" + one noun ("the company")
_NP_RE = re.compile(
    r"(?<![\w'-])(?:[A-Z][a-z][\w&-]*(?: (?:of |& )?[A-Z][\w&-]*){0,3}|[Tt]he [a-z]{3,})(?![\w'’-])"
)
_SUBJ_PRON = {"he": "him", "she": "her", "they": "them", "we": "us", "i": "me"}
_OBJ_PRON = {v: k for k, v in _SUBJ_PRON.items()}


def edit_relation(s: str, art: Article, rng: random.Random) -> EditResult | None:
    verbs = "|".join(sorted(set(L.RELATION_VERBS)))
    cands: list[tuple[int, int, str]] = []
    for m in re.finditer(r"\b(he|she|they|we|I|He|She|They|We) (" + verbs + r") (him|her|them|us|me)\b", s):
        subj, verb, obj = m.group(1), m.group(2), m.group(3)
        if subj.lower() == _OBJ_PRON[obj] or (obj == "her" and re.match(r" [a-z]", s[m.end() :])):
            continue  # "she told her" or possessive "her husband"
        new_subj = _OBJ_PRON[obj]
        new_subj = "I" if new_subj == "i" else new_subj
        new_obj = _SUBJ_PRON[subj.lower()]
        text = f"{match_case(subj, new_subj) if subj != 'I' else cap_first(new_subj)} {verb} {new_obj}"
        if not at_start(s, m.start()):
            text = (new_subj if new_subj == "I" else new_subj.lower()) + text[len(new_subj) :]
        cands.append((m.start(), m.end(), text))
    ments = person_mentions(s, art)
    taken = [(m.start, m.end) for m in ments]
    for m in _NP_RE.finditer(s):
        if any(not (m.end() <= x or m.start() >= y) for x, y in taken):
            continue
        first = m.group(0).split()[0]
        if first in _NOT_NAME and first != "The" or first.lower() in L.LOWER_STARTERS and first != "The":
            continue
        if (
            first[0].isupper()
            and first != "The"
            and at_start(s, m.start())
            and first.lower() in art.lower_vocab
        ):
            continue
        if any(t in _NOT_NAME for t in m.group(0).split()[1:]) or m.group(0).split()[-1] in L.PLACES:
            continue
        ments.append(Mention(m.start(), m.end(), m.group(0), "np", "", m.group(0)))
    for a in ments:
        for b in ments:
            if b.start <= a.end or a.surname == b.surname or (a.form == "np" and b.form == "np"):
                continue
            mid = s[a.end : b.start]
            if (a.form == "np" or b.form == "np") and re.search(r"\btold\b", mid):
                continue
            if re.fullmatch(r" (?:" + verbs + r") ", mid) or re.fullmatch(
                r" (?:was|were) (?:" + verbs + r") by ", mid
            ):
                if s[b.end : b.end + 2] in ("'s", "’s") or s[b.end : b.end + 3] in (" of",):
                    continue
                moved = decap(a.text, art.lower_vocab) if at_start(s, a.start) else a.text
                cands.append((a.start, b.end, b.text + mid + moved))
    if not cands:
        return None
    st, en, rep = rng.choice(cands)
    if rep == s[st:en]:
        return None
    return replace(s, st, en, rep)


# ====================================================================== supported rewrites


def faithful_identity(s: str, art: Article, rng: random.Random) -> EditResult | None:
    return s, None


def faithful_synonym(s: str, art: Article, rng: random.Random) -> EditResult | None:
    cands = find_phrases(s, L.SYNONYMS, block_after=L.SYNONYM_BLOCK_AFTER, need_after=L.SYNONYM_NEED_AFTER)
    cands = [
        c
        for c in cands
        if not (s[c[0] : c[1]].lower() in ("tried to", "attempted to") and "was" in s[: c[0]][-6:])
    ]
    if not cands:
        return None
    rng.shuffle(cands)
    chosen: list[tuple[int, int, str]] = []
    for c in cands:
        if all(c[1] <= d[0] or c[0] >= d[1] for d in chosen):
            chosen.append(c)
        if len(chosen) == 2:
            break
    out = s
    for st, en, rep in sorted(chosen, reverse=True):
        out = replace(out, st, en, rep)[0]
    return (out, None) if out != s else None


def _speaker_gender(spk: str, art: Article) -> str:
    low = spk.lower()
    if low == "he":
        return "m"
    if low == "she":
        return "f"
    toks = spk.split()
    if toks and toks[-1] in art.persons:
        p = art.persons[toks[-1]]
        g = gender_of(" ".join(toks[:-1]), toks[0]) if len(toks) > 1 else ""
        return g or p.gender
    return ""


_SPK = (
    r"(he|she|He|She|(?:(?:"
    + "|".join(re.escape(t) for t in _TITLES)
    + r")\.? )?"
    + _NAME_TOK
    + r"(?: "
    + _NAME_TOK
    + r")?)"
)


_MODALS = frozenset(["would", "could", "should", "might", "must", "may", "will", "can", "shall"])


def faithful_indirect(s: str, art: Article, rng: random.Random) -> EditResult | None:
    """A direct quote as reported speech: '"I was wrong," he said.' -> 'He said he had been wrong.'"""
    pats = [
        r"^[\"“]([^\"“”]+?)[,.]?[\"”],? " + _SPK + r" (said|added)\.$",
        r"^[\"“]([^\"“”]+?)[,.]?[\"”],? (said|added) " + _SPK + r"\.$",
        r"^" + _SPK + r" (said|added):? [\"“]([^\"“”]+?)[.]?[\"”]$",
    ]
    for k, pat in enumerate(pats):
        m = re.match(pat, s)
        if not m:
            continue
        if k == 0:
            q, spk, verb = m.group(1), m.group(2), m.group(3)
        elif k == 1:
            q, verb, spk = m.group(1), m.group(2), m.group(3)
        else:
            spk, verb, q = m.group(1), m.group(2), m.group(3)
        if spk.lower() not in ("he", "she") and spk.split()[-1] not in art.persons:
            return None
        g = _speaker_gender(spk, art)
        if (
            not g
            or nwords(q) > 30
            or re.search(r"[?!:;()]|\b(?:you|your|yours|yourself)\b", q, re.IGNORECASE)
        ):
            return None
        if not re.match(r"[A-Z]", q):
            return None
        qwords = [w.lower().replace("’", "'") for w in re.findall(r"[A-Za-z]+(?:['’][a-z]+)?", q)]
        if any(w in L.INDIRECT_BLOCK for w in qwords):
            return None
        for w1, w2 in zip(qwords, qwords[1:], strict=False):
            if w1 in ("i", "we") and w2 not in L.AFTER_I_OK and not w2.endswith("ed"):
                return None  # "I stress" would need "he stressed"
        prons = L.GENDER_PRONOUNS[g]

        def sub(mw: re.Match[str], prons: dict[str, str] = prons) -> str:
            w = mw.group(0)
            key = w.lower().replace("’", "'")
            prev = word_before(mw.string, mw.start())
            nxt = word_after(mw.string, mw.end())
            if key in ("have", "has") and (prev in _MODALS or prev == "to"):
                return w
            if key in ("was", "were") and nxt in ("being", "going", "about"):
                return w
            if key in ("will", "can", "may", "is", "are", "am") and prev in _MODALS:
                return w
            rep = L.BACKSHIFT.get(key) or L.INDIRECT_PRONOUNS.get(key)
            if rep is None:
                return w
            return rep.format(**prons)

        body = re.sub(r"[A-Za-z]+(?:['’][a-z]+)?", sub, q.rstrip(" ,."))
        body = decap(body, art.lower_vocab)
        speaker = cap_first(spk) if spk.lower() in ("he", "she") else spk
        verb = "added" if verb == "added" else "said"
        out = f"{speaker} {verb} {body}."
        return (out, None) if out != s else None
    return None


def faithful_speech_order(s: str, art: Article, rng: random.Random) -> EditResult | None:
    """'"...," Mr Smith said.' <-> '"...," said Mr Smith.' (names and roles only)."""
    m = re.search(r"([\"”],? )" + _SPK + r" (said|added)([.])$", s)
    if m and m.group(2).lower() not in ("he", "she"):
        return s[: m.start()] + f"{m.group(1)}{m.group(3)} {m.group(2)}{m.group(4)}" + s[m.end() :], None
    m = re.search(r"([\"”],? )(said|added) " + _SPK + r"([.])$", s)
    if m and m.group(3).lower() not in ("he", "she"):
        return s[: m.start()] + f"{m.group(1)}{m.group(3)} {m.group(2)}{m.group(4)}" + s[m.end() :], None
    return None


_FRONT_ADV = (
    r"(Yesterday|Last night|Last week|Last month|Last year|Later|Earlier|Earlier this year|At the weekend|"
    r"On (?:" + _WEEKDAY_ALT + r")|In (?:" + _MONTH_ALT + r")(?: \d{4})?|In \d{4}|Today|This week)"
)


def faithful_reorder(s: str, art: Article, rng: random.Random) -> EditResult | None:
    """Clause order changed: trailing attribution fronted, or a fronted time phrase moved to the end."""
    m = re.match(
        r"^([^\"“”]{20,}?), ((?:police|the police|"
        + _ROLE_ALT
        + r"|"
        + _SPK[1:-1]
        + r")) (said|added|claimed)\.$",
        s,
    )
    if m and m.group(2).lower() not in ("he", "she"):
        main = decap(m.group(1), art.lower_vocab)
        return f"{cap_first(m.group(2))} {m.group(3)} {main}.", None
    m = re.match(r"^" + _FRONT_ADV + r", ([^\"“”]+)\.$", s)
    if m and nwords(m.group(2)) <= 25 and not re.search(r", [^,]+ (?:" + _REPORT_ALT + r")$", m.group(2)):
        adv = m.group(1)
        adv = adv[0].lower() + adv[1:]
        rest = cap_first(m.group(2))
        return f"{rest} {adv}.", None
    return None


def faithful_shortened(s: str, art: Article, rng: random.Random) -> EditResult | None:
    """A clause dropped: an age, a non-restrictive relative clause, a time phrase, a trailing clause."""
    cands: list[tuple[int, int]] = []
    for m in re.finditer(r"(?<=[A-Za-z]), \d{1,2},(?= [a-z])", s):
        if word_after(s, m.end()) not in ("a", "an", "the", "from", "of", "and", "who", "both", "all"):
            cands.append((m.start(), m.end()))
    for m in re.finditer(r", (?:who|which|whose) [^,\"“”;]{3,80},(?= [a-z])", s):
        cands.append((m.start(), m.end()))
    m = re.match(_FRONT_ADV + r", ", s)
    if m:
        cands.append((0, m.end()))
    m = re.search(
        r", (?:but|although|though|while|adding that|after|before|because|as well as) [^\"“”]+(?=\.$)", s
    )
    if m and not re.search(r"\bnot (?:just|only|merely|simply)\b|\b(?:if|unless|until)\b", s[: m.start()]):
        cands.append((m.start(), m.end()))
    if not cands:
        return None
    st, en = rng.choice(cands)
    out = s[:st] + s[en:]
    if st == 0:
        out = cap_first(out)
    else:
        out = (
            out[:st] + ("" if out[st : st + 1] in ".," else " " if out[st : st + 1] != " " else "") + out[st:]
        )
        out = re.sub(r"\s+", " ", out).replace(" ,", ",").replace(" .", ".")
    if nwords(out) < 5 or out == s:
        return None
    return out, None


def faithful_rounded(s: str, art: Article, rng: random.Random) -> EditResult | None:
    """A number made a weaker true claim: "£115,000" -> "more than £100,000", "46 men" -> "over 40 men"."""
    cands = []
    for m in _NUM_RE.finditer(s):
        cur, digits, dec, suf = m.group(1) or "", m.group(2), m.group(3), m.group(4) or ""
        if dec or (not cur and _YEAR_RE.fullmatch(digits)):
            continue
        n = int(digits.replace(",", ""))
        if n < 20 or re.search(
            r"(?:[A-Za-z], |\d\s?[-–/]\s?|\b(?:than|about|over|under|nearly|almost|around|some|No|number) )$",
            s[: m.start()],
        ):
            continue
        after = s[m.end() :]
        if not re.match(r"(?:%| per ?cent| [a-z]+)", after) and not cur:
            continue
        if re.match(r"\s?[-–/]\s?\d|-| years? old| year-old|-year", after) or digits.startswith("0"):
            continue
        if re.search(
            r"(?:\b(?:only|just|aged|age|the|a|an|his|her|their|its|on|at|of|or|and|to)|['’]s|"
            + _MONTH_ALT
            + r") $",
            s[: m.start()],
        ):
            continue
        unit = 10 ** (len(str(n)) - 1)
        low = (n // unit) * unit
        if low == n:
            continue
        txt = f"{low:,}" if "," in digits else str(low)
        cands.append((m.start(), m.end(), f"{rng.choice(['more than', 'over'])} {cur}{txt}{suf}"))
    if not cands:
        return None
    st, en, rep = rng.choice(cands)
    return replace(s, st, en, rep)[0], None


def faithful_mixed(s: str, art: Article, rng: random.Random) -> EditResult | None:
    """Two rewrites in a row: a clause dropped or moved, then synonyms (or the reverse)."""
    first = [faithful_shortened, faithful_reorder, faithful_speech_order, faithful_indirect, faithful_rounded]
    rng.shuffle(first)
    for fn in first:
        res = fn(s, art, rng)
        if res is None:
            continue
        res2 = faithful_synonym(res[0], art, rng) or faithful_rounded(res[0], art, rng)
        if res2 is not None:
            return res2[0], None
    return None


# ====================================================================== unsupported edits


def _fill(tpl: str, premise: str, rng: random.Random) -> str | None:
    def invented_name() -> str:
        for _ in range(10):
            name = f"{rng.choice(L.INVENTED_GIVEN)} {rng.choice(L.INVENTED_SURNAMES)}"
            if name.split()[1] not in premise:
                return name
        return "Gareth Pemberton"

    places = [p for p in L.PLACES if p not in premise]
    orgs = [o for o in L.INVENTED_ORGS if o.split()[-1] not in premise]
    if not orgs:
        return None
    amount = rng.choice(
        [
            f"£{rng.randint(2, 9)}m",
            f"£{rng.randint(11, 95)},000",
            f"£{rng.randint(2, 40)}0,000",
            f"£{rng.randint(2, 9)}.{rng.randint(1, 9)}m",
        ]
    )
    vals = {
        "n": str(rng.randint(2, 12)),
        "big": str(rng.choice([150, 200, 300, 400, 500, 1200, 2000])),
        "money": amount,
        "name": invented_name(),
        "org": rng.choice(orgs),
        "place": rng.choice(places),
        "occ": rng.choice(L.OCCUPATIONS),
        "age": str(rng.randint(19, 71)),
        "day": rng.choice(L.WEEKDAYS),
        "ord": rng.choice(L.ORDINALS),
        "month": rng.choice(L.MONTHS),
    }
    out = tpl.format(**vals)
    if out.strip(" ,.") and out.strip(" ,.").lower() in premise.lower():
        return None
    for v in ("money", "n", "big", "age"):
        if "{" + v + "}" in tpl and re.search(r"(?<![\d,.])" + re.escape(vals[v]) + r"(?![\d,])", premise):
            return None
    return out


def _split_end(s: str) -> tuple[str, str]:
    m = re.search(r"[.!?][\"”’')]*$", s)
    return (s[: m.start()], s[m.start() :]) if m else (s, "")


def edit_inserted_fact(s: str, art: Article, rng: random.Random, premise: str = "") -> EditResult | None:
    if not art.newsy:
        return None  # invented news facts appended to recipes or adverts are too easy to spot
    premise = premise or s
    choice = rng.random()
    if choice < 0.35:
        ments = [
            m for m in person_mentions(s, art) if m.form in ("full", "titled") and s[m.end : m.end + 1] == " "
        ]
        if ments:
            mt = rng.choice(ments)
            ins = _fill(rng.choice(L.APPOSITIVES), premise, rng)
            if ins:
                hyp = s[: mt.end] + ins + s[mt.end :]
                return hyp, [mt.end + 2, mt.end + len(ins) - 1]
    body, end = _split_end(s)
    plain = not re.search(r"[\"“”‘’']|\b(?:you|your|I|we|our)\b", s)
    if choice < 0.7 and end.startswith(".") and plain:
        ins = _fill(rng.choice(L.INSERTED_CLAUSES), premise, rng)
        if ins:
            return body + ins + end, [len(body) + 2, len(body) + len(ins)]
    ins = _fill(rng.choice(L.INSERTED_SENTENCES), premise, rng)
    if not ins:
        return None
    return s + " " + ins, [len(s) + 1, len(s) + 1 + len(ins)]


def edit_consequence(s: str, art: Article, rng: random.Random, premise: str = "") -> EditResult | None:
    if not art.newsy:
        return None
    ins = _fill(rng.choice(L.CONSEQUENCES), premise or s, rng)
    if not ins:
        return None
    return s + " " + ins, [len(s) + 1, len(s) + 1 + len(ins)]


SUPPORTED_EDITS: dict[str, Callable[..., EditResult | None]] = {
    "faithful:identity": faithful_identity,
    "faithful:synonym": faithful_synonym,
    "faithful:indirect_speech": faithful_indirect,
    "faithful:speech_order": faithful_speech_order,
    "faithful:reorder": faithful_reorder,
    "faithful:shortened": faithful_shortened,
    "faithful:rounded_number": faithful_rounded,
    "faithful:mixed": faithful_mixed,
}
CONTRADICTED_EDITS: dict[str, Callable[..., EditResult | None]] = {
    "edit:number": edit_number,
    "edit:date": edit_date,
    "edit:entity": edit_entity,
    "edit:speaker": edit_speaker,
    "edit:negation": edit_negation,
    "edit:antonym": edit_antonym,
    "edit:hedge": edit_hedge,
    "edit:intensity": edit_intensity,
    "edit:relation": edit_relation,
}
UNSUPPORTED_EDITS: dict[str, Callable[..., EditResult | None]] = {
    "edit:inserted_fact": edit_inserted_fact,
    "edit:consequence": edit_consequence,
}
# kinds made outside the edit functions: faithful:context (a neighbouring sentence of the
# premise, verbatim) and edit:unrelated (a topic-related sentence of another group)
KIND_LABEL: dict[str, str] = {k: "supported" for k in SUPPORTED_EDITS} | {
    k: "contradicted" for k in CONTRADICTED_EDITS
}
KIND_LABEL |= {k: "unsupported" for k in UNSUPPORTED_EDITS}
KIND_LABEL |= {"faithful:context": "supported", "edit:unrelated": "unsupported"}
# pairs built on a newspaper's own rewrite of a PA sentence (see ``paraphrase_candidates``):
# the rewrite itself is supported, the rewrite with an edit applied keeps the edit's label
PARA = "+para"
KIND_LABEL |= {"faithful:paraphrase": "supported"}
KIND_LABEL |= {
    k + PARA: lab for k, lab in list(KIND_LABEL.items()) if k.startswith("edit:") and k != "edit:unrelated"
}
# relative weights inside a label when sampling (identity and context pairs are easy)
KIND_WEIGHT: dict[str, float] = {
    "faithful:identity": 0.5,
    "faithful:context": 0.5,
    "edit:unrelated": 1.5,
    "edit:inserted_fact": 1.5,
    # real human paraphrases are what the model meets at run time: weigh them up
    "faithful:paraphrase": 4.0,
}


def apply_edit(kind: str, s: str, art: Article, rng: random.Random, premise: str = "") -> EditResult | None:
    """Run one edit; None when it does not apply or would not change the text."""
    base = kind.removesuffix(PARA)
    fn = SUPPORTED_EDITS.get(base) or CONTRADICTED_EDITS.get(base) or UNSUPPORTED_EDITS.get(base)
    if fn is None:
        raise KeyError(kind)
    res = fn(s, art, rng, premise) if base in UNSUPPORTED_EDITS else fn(s, art, rng)
    if res is None:
        return None
    hyp, span = res
    hyp = _WS.sub(" ", hyp).strip()
    if kind != "faithful:identity" and hyp == s:
        return None
    if KIND_LABEL[kind] != "supported":
        if span is None or not (0 <= span[0] < span[1] <= len(hyp)):
            return None
        if premise and hyp in premise:
            return None
    return hyp, span


# ====================================================================== split and sampling


def is_valid_group(group: str, seed: int, percent: int = VALID_PERCENT) -> bool:
    h = int(hashlib.sha256(f"{seed}:{group}".encode()).hexdigest()[:12], 16)
    return h % 100 < percent


def split_groups(groups: Iterable[str], seed: int) -> tuple[set[str], set[str]]:
    train, valid = set(), set()
    for g in groups:
        (valid if is_valid_group(g, seed) else train).add(g)
    return train, valid


def waterfill(avail: dict[str, int], weights: dict[str, float], total: int) -> dict[str, int]:
    """Split ``total`` over kinds in proportion to weight, none above what is available."""
    take = dict.fromkeys(avail, 0)
    open_kinds = {k for k, v in avail.items() if v > 0}
    left = min(total, sum(avail.values()))
    while left > 0 and open_kinds:
        wsum = sum(weights.get(k, 1.0) for k in open_kinds)
        progressed = 0
        for k in sorted(open_kinds):
            share = max(1, int(left * weights.get(k, 1.0) / wsum))
            add = min(share, avail[k] - take[k], left - progressed)
            take[k] += add
            progressed += add
        left -= progressed
        open_kinds = {k for k in open_kinds if take[k] < avail[k]}
        if progressed == 0:
            break
    return take


def balance(cands: list[dict], cap: int, rng: random.Random) -> list[dict]:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for c in cands:
        by_kind[c["kind"]].append(c)
    label_avail = Counter(KIND_LABEL[c["kind"]] for c in cands)
    # largest total the 40/30/30 shares allow, then the cap
    total = min([cap] + [int(label_avail[lab] / LABEL_SHARE[lab]) for lab in LABELS])
    out: list[dict] = []
    for lab in LABELS:
        kinds = {k: len(v) for k, v in by_kind.items() if KIND_LABEL[k] == lab}
        take = waterfill(kinds, KIND_WEIGHT, int(round(total * LABEL_SHARE[lab])))
        for k in sorted(take):
            pool = by_kind[k]
            out.extend(rng.sample(pool, take[k]))
    return out


# ====================================================================== news documents


_CTRL_MAP = {0x18: "'", 0x19: "'", 0x1C: '"', 0x1D: '"', 0x13: "-", 0x14: "-"}
_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Stray control characters of scraped text: mis-decoded quotes and dashes mapped, the rest spaces."""
    return _CTRL_RE.sub(lambda m: _CTRL_MAP.get(ord(m.group(0)), " "), text)


def read_news(root: Path) -> list[tuple[str, str, str]]:
    """(group, corpus, text) for every news document, in a fixed order."""
    docs: list[tuple[str, str, str]] = []
    sources = root / "meter" / "courts-sources.jsonl"
    if sources.exists():
        for line in sources.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for src in row["sources"]:
                docs.append((f"meter:{row['story']}", "meter", src["text"]))
    cands = root / "meter" / "courts.jsonl"
    if cands.exists():
        for line in cands.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            docs.append((f"meter:{row['story']}", "meter", row["candidate"]))
    for p in sorted((root / "pan13" / "src").glob("*.txt")):
        docs.append((f"pan13:{p.stem}", "pan13", p.read_text(encoding="utf-8", errors="replace")))
    prov: dict[str, str] = {}
    pfile = root / "scan" / "provenance.jsonl"
    if pfile.exists():
        for line in pfile.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "archive_id" not in row:
                continue
            frm = row.get("from", "")
            if row.get("origin") == "meter" and frm.startswith("meter/courts/PA/"):
                parts = frm.split("/")
                prov[row["archive_id"]] = f"meter:{parts[3]}/{parts[4]}"
            elif row.get("origin") == "pan13":
                prov[row["archive_id"]] = f"pan13:{Path(frm).stem}"
    for p in sorted((root / "scan" / "archive").glob("*.txt")):
        group = prov.get(p.stem, f"scan:{p.stem}")
        docs.append((group, group.split(":")[0], p.read_text(encoding="utf-8", errors="replace")))
    return [(g, c, clean_text(t)) for g, c, t in docs]


def premise_for(sents: list[str], i: int) -> str:
    parts = [sents[i]]
    n = nwords(sents[i])
    if i > 0 and context_ok(sents[i - 1]) and n + nwords(sents[i - 1]) <= PREMISE_WORDS:
        parts.insert(0, sents[i - 1])
        n += nwords(sents[i - 1])
    if i + 1 < len(sents) and context_ok(sents[i + 1]) and n + nwords(sents[i + 1]) <= PREMISE_WORDS:
        parts.append(sents[i + 1])
    return " ".join(parts)


def content_words(s: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]{4,}", s.lower()) if w not in L.STOPWORDS)


MAX_SENTS_PER_DOC = 80
PER_SENTENCE = {"supported": 4, "contradicted": 3, "unsupported": 2}


def news_candidates(docs: list[tuple[str, str, str]], seed: int, max_docs: int | None) -> list[dict]:
    """Every sentence's few random applicable edits, as pair dicts (premise included)."""
    seen: set[str] = set()
    out: list[dict] = []
    pool: dict[tuple[str, bool], list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
    if max_docs is not None:
        order = sorted(range(len(docs)), key=lambda i: hashlib.sha256(f"{seed}:doc:{i}".encode()).hexdigest())
        keep = set(order[:max_docs])
        docs = [d for i, d in enumerate(docs) if i in keep]
    for di, (group, corpus, text) in enumerate(docs):
        sents = split_sentences(text)
        art = build_article(group, corpus, sents)
        valid = is_valid_group(group, seed)
        idx = [i for i, s in enumerate(sents) if prose_like(s)]
        drng = random.Random(f"{seed}:{group}:{di}")
        if len(idx) > MAX_SENTS_PER_DOC:
            idx = sorted(drng.sample(idx, MAX_SENTS_PER_DOC))
        for i in idx:
            s = sents[i]
            key = _WS.sub(" ", s.lower())
            if key in seen:
                continue
            seen.add(key)
            rng = random.Random(f"{seed}:{group}:{key}")
            premise = premise_for(sents, i)
            base = {"premise": premise, "group": group, "corpus": corpus, "valid": valid}
            pool[(corpus, valid)].append((group, s, content_words(s)))
            for lab, edits in (
                ("supported", SUPPORTED_EDITS),
                ("contradicted", CONTRADICTED_EDITS),
                ("unsupported", UNSUPPORTED_EDITS),
            ):
                kinds = list(edits)
                rng.shuffle(kinds)
                got = 0
                for kind in kinds:
                    if got >= PER_SENTENCE[lab]:
                        break
                    if kind == "faithful:identity" and rng.random() < 0.7:
                        continue
                    res = apply_edit(kind, s, art, rng, premise)
                    if res is None:
                        continue
                    out.append(base | {"hypothesis": res[0], "label": lab, "kind": kind, "span": res[1]})
                    got += 1
            ctx = [
                sents[j]
                for j in (i - 1, i + 1)
                if 0 <= j < len(sents) and sents[j] in premise and prose_like(sents[j])
            ]
            if ctx and rng.random() < 0.3:
                out.append(
                    base
                    | {
                        "hypothesis": rng.choice(ctx),
                        "label": "supported",
                        "kind": "faithful:context",
                        "span": None,
                    }
                )
            out.append(
                base
                | {
                    "hypothesis": None,
                    "label": "unsupported",
                    "kind": "edit:unrelated",
                    "span": None,
                    "_words": content_words(s),
                    "_s": s,
                }
            )
    # unrelated sentences: the most topic-related of 40 random sentences from other groups
    for c in out:
        if c["kind"] != "edit:unrelated":
            continue
        rng = random.Random(f"{seed}:unrelated:{c['group']}:{c['_s']}")
        cands = pool[(c["corpus"], c["valid"])] or []
        best, best_score = None, -1.0
        for _ in range(40 if cands else 0):
            g, s2, w2 = cands[rng.randrange(len(cands))]
            if g == c["group"] or s2 in c["premise"]:
                continue
            score = len(w2 & c["_words"]) / (1 + len(w2 | c["_words"])) + rng.random() * 1e-6
            if score > best_score:
                best, best_score = s2, score
        if best is not None:
            c["hypothesis"] = best
            c["span"] = [0, len(best)]
        del c["_words"], c["_s"]
    return [c for c in out if c["hypothesis"] is not None]


_NUM = re.compile(r"\d[\d,.]*")
_CAP = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+")
PARA_MIN_CONTAIN = 0.7  # share of the rewrite's content words found in the PA sentence(s)
PARA_PER_SENTENCE = 2  # edits applied to each kept rewrite


def _contain(h: frozenset[str], s: frozenset[str]) -> float:
    return len(h & s) / len(h) if h else 0.0


def read_meter_rewrites(root: Path) -> list[tuple[str, list[str], list[str]]]:
    """(group, PA sentences, newspaper sentences) for every derived METER newspaper article."""
    src_file, cand_file = root / "meter" / "courts-sources.jsonl", root / "meter" / "courts.jsonl"
    if not (src_file.exists() and cand_file.exists()):
        return []
    pa: dict[str, list[str]] = {}
    for line in src_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        pa[row["story"]] = [x for src in row["sources"] for x in split_sentences(clean_text(src["text"]))]
    out = []
    for line in cand_file.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["label"] == "non_derived" or row["story"] not in pa:
            continue
        out.append((f"meter:{row['story']}", pa[row["story"]], split_sentences(clean_text(row["candidate"]))))
    return out


def paraphrase_candidates(root: Path, seed: int) -> list[dict]:
    """Supported pairs from real rewrites, and the same rewrites with an edit applied.

    A METER newspaper sentence is paired with the PA sentence (or two consecutive PA
    sentences) holding most of its content words; it is kept as a faithful paraphrase only when
    at least 70% of its content words are there, it is not a verbatim copy, and every number
    and mid-sentence capitalised word in it occurs in the premise (so most real changes of fact
    are filtered out; some changed wording remains, which is label noise). The synthetic edits
    are then applied to the *rewrite*, so the model learns that a paraphrase with a changed
    number or negation is contradicted while the paraphrase alone is supported: the spun copies
    unspin audits are exactly that.
    """
    out: list[dict] = []
    seen: set[str] = set()
    for group, pa, news in read_meter_rewrites(root):
        valid = is_valid_group(group, seed)
        art = build_article(group, "meter", pa + news)
        pa_words = [content_words(x) for x in pa]
        for h in news:
            key = _WS.sub(" ", h.lower())
            if key in seen or not prose_like(h):
                continue
            seen.add(key)
            hw = content_words(h)
            if len(hw) < 4:
                continue
            best, best_i, best_two = 0.0, -1, False
            for i, sw in enumerate(pa_words):
                c1 = _contain(hw, sw)
                c2 = _contain(hw, sw | pa_words[i + 1]) if i + 1 < len(pa) else 0.0
                if c1 > best or (c2 > best + 0.15 and c2 > best):
                    best, best_i, best_two = (c1, i, False) if c1 >= c2 - 0.15 else (c2, i, True)
            if best < PARA_MIN_CONTAIN or best_i < 0:
                continue
            linked = pa[best_i : best_i + (2 if best_two else 1)]
            if _WS.sub(" ", h.lower()) in {_WS.sub(" ", x.lower()) for x in linked}:
                continue
            premise = " ".join(linked) if best_two else premise_for(pa, best_i)
            low = premise.lower()
            if any(n.rstrip(",.") not in premise for n in _NUM.findall(h)):
                continue
            if any(w.lower() not in low for w in _CAP.findall(h)):
                continue
            base = {"premise": premise, "group": group, "corpus": "meter", "valid": valid}
            faithful = {"hypothesis": h, "label": "supported", "kind": "faithful:paraphrase", "span": None}
            out.append(base | faithful)
            rng = random.Random(f"{seed}:para:{group}:{key}")
            kinds = [k + PARA for k in (*CONTRADICTED_EDITS, *UNSUPPORTED_EDITS)]
            rng.shuffle(kinds)
            got = 0
            for kind in kinds:
                if got >= PARA_PER_SENTENCE:
                    break
                res = apply_edit(kind, h, art, rng, premise)
                if res is None:
                    continue
                edit = {"hypothesis": res[0], "label": KIND_LABEL[kind], "kind": kind, "span": res[1]}
                out.append(base | edit)
                got += 1
    return out


# ====================================================================== NLI


def read_nli(root: Path, seed: int, exclude: frozenset[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    files = sorted(f for f in (root / "nli").glob("*.jsonl") if f.name.split(".")[0] not in exclude)
    has_train = {f.name.split(".")[0] for f in files if f.name.split(".")[1] == "train"}
    seen: set[tuple[str, str]] = set()
    train_by: dict[str, list[dict]] = defaultdict(list)
    valid_by: dict[str, list[dict]] = defaultdict(list)
    for f in files:
        dataset, split = f.name.split(".")[:2]
        to_train = split == "train" or (
            split == "dev" and dataset in NLI_TRAIN_DEV and dataset not in has_train
        )
        for line in f.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            p, h = row["premise"].strip(), row["hypothesis"].strip()
            if (p, h) in seen or row["label"] not in NLI_LABELS:
                continue
            seen.add((p, h))
            if nwords(p) + nwords(h) > MAX_PAIR_WORDS:
                continue
            group = "nli:" + hashlib.sha1(_WS.sub(" ", p.lower()).encode()).hexdigest()[:16]
            pair = {
                "premise": p,
                "hypothesis": h,
                "label": NLI_LABELS[row["label"]],
                "kind": f"nli:{dataset}",
                "group": group,
                "span": None,
            }
            (train_by if to_train else valid_by)[dataset].append(pair)
    rng = random.Random(f"{seed}:nli")
    train: list[dict] = []
    for ds in sorted(train_by):
        rows = train_by[ds]
        train.extend(rng.sample(rows, NLI_CAP) if len(rows) > NLI_CAP else rows)
    train_groups = {r["group"] for r in train}
    valid_pools = {
        ds: [r for r in rows if r["group"] not in train_groups] for ds, rows in sorted(valid_by.items())
    }
    take = waterfill({ds: len(v) for ds, v in valid_pools.items()}, {}, NLI_VALID_CAP)
    valid: list[dict] = []
    for ds in sorted(take):
        valid.extend(rng.sample(valid_pools[ds], take[ds]))
    return train, valid


# ====================================================================== main

FIELDS = ("premise", "hypothesis", "label", "kind", "group", "span")


def build(
    root: Path, seed: int, max_news: int, max_docs: int | None = None, exclude: frozenset[str] = frozenset()
) -> dict[str, list[dict]]:
    nli_train, nli_valid = read_nli(root, seed, exclude) if (root / "nli").exists() else ([], [])
    cands = news_candidates(read_news(root), seed, max_docs)
    if max_docs is None:
        cands += paraphrase_candidates(root, seed)
    rng = random.Random(f"{seed}:balance")
    news_train = balance([c for c in cands if not c["valid"]], max_news, rng)
    news_valid = balance([c for c in cands if c["valid"]], max(1, max_news // 9), rng)
    train = [{k: r[k] for k in FIELDS} for r in nli_train + news_train]
    valid = [{k: r[k] for k in FIELDS} for r in nli_valid + news_valid]
    valid_groups = {r["group"] for r in valid}
    train = [r for r in train if r["group"] not in valid_groups]
    rng.shuffle(train)
    rng.shuffle(valid)
    return {"train": train, "valid": valid}


def stats_of(data: dict[str, list[dict]], args: dict) -> dict:
    out: dict = {"args": args, "label_share_target_news": LABEL_SHARE}
    for split, rows in data.items():
        news = [r for r in rows if not r["kind"].startswith("nli:")]
        out[split] = {
            "pairs": len(rows),
            "news_pairs": len(news),
            "groups": len({r["group"] for r in rows}),
            "labels": dict(sorted(Counter(r["label"] for r in rows).items())),
            "news_labels": dict(sorted(Counter(r["label"] for r in news).items())),
            "kinds": dict(sorted(Counter(r["kind"] for r in rows).items())),
            "news_sources": dict(sorted(Counter(r["group"].split(":")[0] for r in news).items())),
        }
    return out


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-news", type=int, default=50000, help="news pairs in train (default 50,000)")
    ap.add_argument(
        "--max-docs", type=int, default=None, help="read only this many news documents (quick runs)"
    )
    ap.add_argument(
        "--exclude-nli",
        default="",
        help="comma-separated NLI datasets to leave out (e.g. sick,mrpc for a model free of "
        "non-commercial or research-only NLI licences)",
    )
    ap.add_argument("--data", type=Path, default=SHARED, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    t0 = time.monotonic()
    data = build(a.data, a.seed, a.max_news, a.max_docs, frozenset(a.exclude_nli.split(",")) - {""})
    a.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(a.out / "train.jsonl", data["train"])
    write_jsonl(a.out / "valid.jsonl", data["valid"])
    args = {"seed": a.seed, "max_news": a.max_news, "max_docs": a.max_docs, "exclude_nli": a.exclude_nli}
    (a.out / "stats.json").write_text(json.dumps(stats_of(data, args), indent=2) + "\n", encoding="utf-8")
    print(
        f"train {len(data['train'])}, valid {len(data['valid'])} pairs in {time.monotonic() - t0:.0f}s "
        f"-> {a.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
