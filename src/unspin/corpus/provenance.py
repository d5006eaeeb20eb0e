"""Provenance: which copy of an archive article was made from which.

Copies of one article found in a crawl are often not made from the original: a site copies
a copy. A copy made from another copy repeats that copy's *alterations* (word 3-grams the
original does not have), so shared alterations point at the parent. The reverse evidence
points the other way: original text a copy still has and the candidate parent lost
(*restored* text) means the copy was not made from that parent, since a copy cannot restore
what its parent dropped. Everything here is pure: texts in, a tree of ``Derivation`` links
out; the archive article is always the root.

Cost is linear in the total number of alterations: shared counts come from an inverted index
whose posting lists hold at most ``POSTING_CAP`` copies, and only the ``TOP_K`` best
candidates of a copy are compared set against set.
"""

from __future__ import annotations

import heapq
import math
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from unspin.corpus.text import words
from unspin.lang.en.punctuation import QUOTATION
from unspin.types import UnspinError

# A copy's parent is another copy only when their evidence, the alterations they share minus
# RESTORE_GATE x the original 3-grams the copy has and that copy lost, is at least MIN_SHARED,
# and the shared ones are at least MIN_SHARE of the copy's own. Independent copies share a few
# by chance (the same sentence dropped gives 2; a spinning tool's synonym table many more),
# but each keeps original text the other changed, which a copy of a copy cannot.
MIN_SHARED = 3
MIN_SHARE = 0.05
RESTORE_GATE = 0.2
# Among eligible parents: score = shared - MISS_WEIGHT x parent alterations the copy lacks
# - RESTORE_WEIGHT x restored. Shared alterations dominate (a grandparent explains fewer of
# them than the parent); the penalties separate a parent from a sibling that shares the same
# inherited alterations, or a few more by coincidence, but adds its own changes the copy lacks
# (restored text is near proof: only extraction noise gives a true parent some).
MISS_WEIGHT = 0.1
RESTORE_WEIGHT = 0.5
# Dates are often crawl times (WARC-Date), not publication times, so a copy dated after the
# child is still its parent when the text says so plainly: the child restores at most
# max(1, LATE_RESTORE x lost) original 3-grams, where lost are those the parent has and the
# child dropped. With crawl dates a hard date veto measured 0.75 parent accuracy, this 0.997.
LATE_RESTORE = 0.1
TOP_K = 8  # candidates per copy compared set against set
POSTING_CAP = 32  # copies remembered per alteration: keeps a 300-copy star linear
COMMON_GROUPS = 3  # group(): an alteration seen in copies of this many articles is boilerplate
SPILL_BUCKETS = 16  # group_sources(): hash buckets of alteration 3-grams (4 bits of the hash per split)


@dataclass(frozen=True)
class Copy:
    """One copy of the archive article: ``key`` names it (the page URL), ``date`` is ISO
    (WARC-Date or the page's own) or None; an unparseable date counts as None."""

    key: str
    text: str
    date: str | None = None


@dataclass(frozen=True)
class Derivation:
    """``child`` was likely made from ``parent`` (None: from the archive article itself).

    ``score`` is a confidence in [0, 1]; ``shared_alterations`` of the child's
    ``child_alterations`` also occur in the parent; ``restored`` counts original 3-grams the
    child has and the parent lacks (high: a sibling via an uncaptured copy, or wrong dates).
    """

    child: str
    parent: str | None
    shared_alterations: int
    child_alterations: int
    score: float
    reason: str
    parent_alterations: int = 0
    restored: int = 0
    child_date: str | None = None
    parent_date: str | None = None

    @property
    def share(self) -> float:
        """Shared alterations as a share of the child's own."""
        return self.shared_alterations / self.child_alterations if self.child_alterations else 0.0


@dataclass(frozen=True)
class Group:
    """The copies of one archive article as a tree rooted at ``original`` (the source id);
    ``copies`` (and ``links``) put every parent before its children, otherwise the earliest
    dated first."""

    source_id: str
    copies: list[str]
    links: list[Derivation]
    original: str

    def link(self, key: str) -> Derivation:
        for d in self.links:
            if d.child == key:
                return d
        raise KeyError(key)

    def parent(self, key: str) -> str | None:
        return self.link(key).parent

    def lineage(self, key: str) -> list[str]:
        """``key``, its parent, ... up to the original (the source id last)."""
        parents = {d.child: d.parent for d in self.links}
        out = [key]
        while (p := parents[out[-1]]) is not None:
            out.append(p)
        return [*out, self.original]

    def children(self, key: str | None) -> list[str]:
        """Copies made from ``key`` (None: straight from the original), in order."""
        return [d.child for d in self.links if d.parent == key]


@dataclass
class _Profile:
    copy: Copy
    when: datetime | None
    digest: int  # the token sequence, for identical copies
    alt: set[int]  # 3-grams absent from the original
    kept: set[int]  # 3-grams of the original still present


def _grams(tokens: list[str]) -> set[int]:
    """Word 3-grams, hashed (sets of ints compare several times faster than sets of tuples;
    a 64-bit collision in a group is negligible). A substituted word makes 3 new ones, a
    deletion or a dropped sentence 2: rare enough that copies sharing several did not make
    them independently."""
    return set(map(hash, zip(tokens, tokens[1:], tokens[2:], strict=False)))


def _when(date: str | None) -> datetime | None:
    """ISO date or date-time; naive ones read as UTC so that both kinds compare."""
    if not date or not isinstance(date, str):
        return None
    try:
        d = datetime.fromisoformat(date.strip())
    except ValueError:
        return None
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d


def _profile(copy: Copy, source: set[int]) -> _Profile:
    if not isinstance(getattr(copy, "key", None), str) or not isinstance(getattr(copy, "text", None), str):
        raise UnspinError("provenance: each copy needs a str key and a str text")
    tokens = words(copy.text)
    grams = _grams(tokens)
    # Quoted words are someone's words: two reporters at one hearing quote them alike without
    # copying each other (on the shared scan set, independent copies linked as copies of copies:
    # 42 -> 19 of 629 once quotations do not count as alterations; synthetic trees 0.997 -> 0.996)
    said: set[int] = set()
    for m in QUOTATION.finditer(copy.text):
        said |= _grams(words(m.group()))
    return _Profile(copy, _when(copy.date), hash(tuple(tokens)), grams - source - said, grams & source)


def _order(profiles: list[_Profile], use_dates: bool) -> list[_Profile]:
    """The copy keeping more of the original first, then the earlier date, then the key.

    A copy cannot keep more of the original than the copy it was made from, so this order
    puts every parent before its children whatever the dates say, undated copies included;
    dates break ties (identical copies). Ordering by date first (dated copies, then undated
    ones) measured worse in bench/provenance.py: parent accuracy 0.79 against 0.997 with half
    the copies undated, 0.57 against 0.997 with crawl dates unrelated to who copied whom.
    """

    def key(p: _Profile):
        t = p.when.timestamp() if use_dates and p.when is not None else math.inf
        return (-len(p.kept), t, p.copy.key)

    return sorted(profiles, key=key)


def _day(p: _Profile) -> str:
    return p.copy.date if p.copy.date else "undated"


def _trace(source_id: str, profiles: list[_Profile], use_dates: bool) -> Group:
    ordered = _order(profiles, use_dates)
    postings: dict[int, list[int]] = defaultdict(list)
    first_with: dict[int, int] = {}  # token-sequence digest -> first copy index
    links: list[Derivation] = []
    for i, c in enumerate(ordered):
        links.append(_choose(c, ordered, postings, first_with, use_dates))
        if c.digest in first_with:
            continue  # a later identical copy adds no evidence, only ties
        first_with[c.digest] = i
        for g in c.alt:
            holders = postings[g]
            if len(holders) < POSTING_CAP:
                holders.append(i)
    keys = _earliest_first(ordered, links, use_dates)
    rank = {k: r for r, k in enumerate(keys)}
    return Group(source_id, keys, sorted(links, key=lambda d: rank[d.child]), source_id)


def _earliest_first(ordered: list[_Profile], links: list[Derivation], use_dates: bool) -> list[str]:
    """Parents before children; among copies free to come next, the earliest date first,
    then the one keeping more of the original (a heap-driven topological sort)."""
    index = {p.copy.key: i for i, p in enumerate(ordered)}
    kids: dict[int | None, list[int]] = defaultdict(list)
    for i, d in enumerate(links):
        kids[None if d.parent is None else index[d.parent]].append(i)

    def key(i: int) -> tuple[float, int, int]:
        p = ordered[i]
        return (p.when.timestamp() if use_dates and p.when is not None else math.inf, -len(p.kept), i)

    heap = [key(i) for i in kids[None]]
    heapq.heapify(heap)
    out = []
    while heap:
        i = heapq.heappop(heap)[2]
        out.append(ordered[i].copy.key)
        for k in kids[i]:
            heapq.heappush(heap, key(k))
    return out


def _dates_allow(p: _Profile, c: _Profile, restored: int) -> bool:
    """May ``p`` be the parent of ``c``? Not when dated after it, unless the text says so
    plainly (see LATE_RESTORE)."""
    if p.when is None or c.when is None or p.when <= c.when:
        return True
    return restored <= max(1, LATE_RESTORE * len(p.kept - c.kept))


class _Candidate(NamedTuple):
    score: float
    shared: int
    neg_index: int  # the earlier copy wins a tie
    restored: int


def _choose(c: _Profile, ordered: list[_Profile], postings: dict[int, list[int]],
            first_with: dict[int, int], use_dates: bool) -> Derivation:
    """The parent of ``c`` among the copies before it (all in ``postings``) or the original;
    parents always come earlier in the order, so the links form a tree."""
    key, n_alt = c.copy.key, len(c.alt)
    if not c.alt and not c.kept:
        return Derivation(key, None, 0, 0, 0.0, "no text to compare (under three words)",
                          child_date=c.copy.date)
    if not c.alt:
        return Derivation(key, None, 0, 0, 0.7,
                          "no alterations: all its text is in the original (or in any verbatim copy)",
                          child_date=c.copy.date)
    if c.digest in first_with:
        p = ordered[first_with[c.digest]]
        strict = c.when is not None and p.when is not None and p.when < c.when
        return Derivation(key, p.copy.key, n_alt, n_alt, 0.8 if strict else 0.5,
                          f"identical to {p.copy.key} ({_day(p)}), which comes first",
                          parent_alterations=n_alt, child_date=c.copy.date, parent_date=p.copy.date)
    counts = Counter(chain.from_iterable(postings.get(g, ()) for g in c.alt))
    cands = []
    for j, _ in heapq.nlargest(TOP_K, counts.items(), key=lambda kv: (kv[1], -kv[0])):
        p = ordered[j]
        shared = len(c.alt & p.alt)
        restored = len(c.kept - p.kept)
        if use_dates and not _dates_allow(p, c, restored):
            continue
        score = shared - MISS_WEIGHT * (len(p.alt) - shared) - RESTORE_WEIGHT * restored
        cands.append(_Candidate(score, shared, -j, restored))
    eligible = sorted((x for x in cands if x.shared - RESTORE_GATE * x.restored >= MIN_SHARED
                       and x.shared >= MIN_SHARE * n_alt), reverse=True)
    if not eligible:
        top = max((x.shared for x in cands), default=0)
        strength = min(1.0, top / max(MIN_SHARED, 1), top / max(MIN_SHARE * n_alt, 1e-9))
        near = f"; at most {top} shared with another copy" if top else ""
        return Derivation(key, None, top, n_alt, round(0.95 - 0.45 * strength, 3),
                          f"its {n_alt} alterations are its own{near}", child_date=c.copy.date)
    best = eligible[0]
    runner_up = max(eligible[1].score, 0.0) if len(eligible) > 1 else 0.0
    p = ordered[-best.neg_index]
    lost = len(p.kept - c.kept)  # original text the parent has and the child dropped: expected
    evidence = 1 - math.exp(-best.shared / 5)
    margin = min(1.0, max(0.0, (best.score - runner_up) / max(best.score, 1.0)))
    direction = 1.0 if best.restored + lost == 0 else lost / (best.restored + lost)
    conf = evidence * (0.5 + 0.5 * margin) * (0.4 + 0.6 * direction)
    reason = (f"repeats {best.shared} of its {n_alt} alterations ({best.shared / n_alt:.0%}) from"
              f" {p.copy.key} ({_day(p)} -> {_day(c)})")
    if best.restored > max(2, lost // 4):
        reason += (f"; but keeps {best.restored} original 3-grams that copy lost: perhaps both come"
                   " from a copy not captured")
    return Derivation(key, p.copy.key, best.shared, n_alt, round(conf, 3), reason,
                      parent_alterations=len(p.alt), restored=best.restored,
                      child_date=c.copy.date, parent_date=p.copy.date)


def trace(source_id: str, source_text: str, copies: list[Copy], *, use_dates: bool = True) -> Group:
    """Order the copies of one archive article and give each its likely parent.

    With ``use_dates`` False (dates known to be crawl times, not publication times) the order
    comes from the text alone: the copy keeping more of the original comes first.
    """
    if not isinstance(source_text, str):
        raise UnspinError(f"provenance: the text of archive article {source_id!r} must be a string")
    if not isinstance(copies, list | tuple):
        raise UnspinError("provenance: copies must be a list of Copy")
    keys = [getattr(c, "key", None) for c in copies]
    if len(set(keys)) != len(keys):
        raise UnspinError(f"provenance: copies of {source_id!r} must have distinct keys")
    source = _grams(words(source_text))
    return _trace(source_id, [_profile(c, source) for c in copies], use_dates)


def copies_by_source(rows: Iterable[Mapping]) -> dict[str, dict[str, Copy]]:
    """Scan result rows ``{url, source_id, date, text}`` as copies per archive article; a URL
    found twice for one article keeps its earliest dated row."""
    by_source: dict[str, dict[str, Copy]] = {}
    for row in rows:
        try:
            url, sid, text = row["url"], row["source_id"], row["text"]
        except (KeyError, TypeError) as e:
            raise UnspinError(f"provenance: a scan row lacks {e}; rows need url, source_id, text") from None
        copy = Copy(str(url), text if isinstance(text, str) else "", row.get("date"))
        seen = by_source.setdefault(str(sid), {})
        old = seen.get(copy.key)
        if old is None or (_when(copy.date) or datetime.max.replace(tzinfo=UTC)) < (
                _when(old.date) or datetime.max.replace(tzinfo=UTC)):
            seen[copy.key] = copy
    return by_source


def group(rows: Iterable[Mapping], sources: Mapping[str, str], *, use_dates: bool = True) -> list[Group]:
    """Trace every archive article's copies from scan result rows ``{url, source_id, date,
    text}``; ``sources`` maps a source id to its text. A URL found twice for one article keeps
    its earliest dated row. Alterations seen in copies of ``COMMON_GROUPS`` or more different
    articles are site boilerplate ("Share this article"), not inheritance, and are ignored.
    """
    by_source = copies_by_source(rows)

    def text_of(sid: str) -> str:
        if sid not in sources or not isinstance(sources[sid], str):
            raise UnspinError(f"provenance: no text for archive article {sid!r}")
        return sources[sid]

    return list(group_sources(sorted(by_source), lambda sid: list(by_source[sid].values()), text_of,
                              use_dates=use_dates))


KEEP_PROFILES = 2_000  # group_sources: up to this many copies (~30 KB each), profiles are kept between passes
SPILL_GRAMS = 4_000_000  # ...and up to this many alteration 3-grams are counted in memory


def group_sources(sids: Iterable[str], copies_of: Callable[[str], list[Copy]], text_of: Callable[[str], str],
                  *, use_dates: bool = True, spill_dir: str | os.PathLike | None = None) -> Iterator[Group]:
    """``group`` one archive article at a time, in the order of ``sids``, for a scan whose
    copies do not fit in memory together: ``copies_of(sid)`` and ``text_of(sid)`` fetch them.

    Two passes. The first finds the boilerplate alterations (seen in copies of COMMON_GROUPS
    or more articles) by counting each article's distinct alteration 3-grams: in memory up to
    SPILL_GRAMS of them, beyond that in hash buckets under ``spill_dir`` counted one bucket at
    a time. The second traces each article's copies without them; its profiles are recomputed
    unless the scan has at most KEEP_PROFILES copies, whose profiles the first pass kept.
    """
    import numpy as np

    sids = list(sids)
    kept: dict[str, list[_Profile]] | None = {}
    n_copies = 0
    chunks: list[np.ndarray] = []
    held = 0
    buckets: list[Path] = []

    def profiles(sid: str) -> list[_Profile]:
        source = _grams(words(text_of(sid)))
        return [_profile(c, source) for c in copies_of(sid)]

    def spill() -> None:
        nonlocal held
        if spill_dir is None or not chunks:
            return
        if not buckets:
            Path(spill_dir).mkdir(parents=True, exist_ok=True)
            buckets.extend(Path(spill_dir, f"grams-{k:02d}.bin") for k in range(SPILL_BUCKETS))
            for path in buckets:  # empty, whatever an earlier run left there
                path.write_bytes(b"")
        allg = np.concatenate(chunks)
        for k, path in enumerate(buckets):
            with open(path, "ab") as fh:
                allg[(allg & (SPILL_BUCKETS - 1)) == k].tofile(fh)
        chunks.clear()
        held = 0

    for sid in sids:
        ps = profiles(sid)
        n_copies += len(ps)
        if kept is not None:
            if n_copies <= KEEP_PROFILES:
                kept[sid] = ps
            else:
                kept = None
        alt = set().union(*(p.alt for p in ps))
        if alt:
            chunks.append(np.fromiter(alt, dtype=np.int64, count=len(alt)))
            held += len(alt)
            if held > SPILL_GRAMS:
                spill()
    common: set[int] = set()
    if buckets:
        spill()
        for path in buckets:
            _count_spilled(path, 0, common)
    elif chunks:
        _count(np.concatenate(chunks), common)
    chunks.clear()
    for sid in sids:
        ps = kept[sid] if kept is not None else profiles(sid)
        if common:
            for p in ps:
                p.alt -= common
        yield _trace(sid, ps, use_dates)


def _count(grams, common: set[int]) -> None:
    """Add to ``common`` the 3-grams found at least COMMON_GROUPS times in ``grams``."""
    import numpy as np

    values, counts = np.unique(grams, return_counts=True)
    common.update(values[counts >= COMMON_GROUPS].tolist())


def _count_spilled(path: Path, level: int, common: set[int]) -> None:
    """Count one bucket file of spilled 3-grams, then delete it. A bucket over SPILL_GRAMS is
    split again, SPILL_GRAMS at a time, by the next 4 bits of the hash, so no count holds more
    than SPILL_GRAMS 3-grams however many copies a scan found (equal values cannot be split:
    after 15 levels the rest is counted as is)."""
    import numpy as np

    if path.stat().st_size <= 8 * SPILL_GRAMS or level >= 15:
        _count(np.fromfile(path, dtype=np.int64), common)
        path.unlink()
        return
    subs = [path.with_name(f"{path.stem}-{k:02d}.bin") for k in range(SPILL_BUCKETS)]
    for sub in subs:
        sub.write_bytes(b"")
    shift = 4 * (level + 1)
    with open(path, "rb") as src:
        while True:
            chunk = np.fromfile(src, dtype=np.int64, count=SPILL_GRAMS)
            if not len(chunk):
                break
            keys = (chunk >> shift) & (SPILL_BUCKETS - 1)
            for k, sub in enumerate(subs):
                with open(sub, "ab") as fh:
                    chunk[keys == k].tofile(fh)
    path.unlink()
    for sub in subs:
        _count_spilled(sub, level + 1, common)
