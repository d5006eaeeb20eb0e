"""Provenance: who copied whom among the copies of one archive article."""

import random
import time

import pytest

from unspin.corpus.provenance import Copy, Derivation, Group, group, trace
from unspin.types import UnspinError

SOURCE = (
    "The regional water board approved a plan on Tuesday to replace ageing pipes under the old "
    "market district, where leaks have cut supply to hundreds of homes since the winter. "
    "Engineers estimate that one in five litres pumped into the network is lost before it "
    "reaches a tap. The work will start in the spring and is expected to last two years, with "
    "streets closed one block at a time to limit disruption for traders. "
    "Residents who spoke at the meeting welcomed the decision but asked for clearer notice of "
    "road closures and for compensation when shops lose custom. "
    "The board said it would publish a weekly schedule online and open a help line for "
    "businesses. Funding comes from a national infrastructure grant and a small rise in water "
    "charges, which opposition members called unfair on pensioners. "
    "A final vote on the charges is due next month, after a public consultation that closes at "
    "the end of the quarter. The chair of the board said the network had been neglected for "
    "decades and that further delay would only raise the eventual bill."
)


def swap(text: str, pairs: dict[str, str]) -> str:
    """Replace whole phrases, each once, failing loudly if one is missing (a broken fixture)."""
    for old, new in pairs.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


A_EDITS = {"approved a plan": "signed off a scheme", "ageing pipes": "crumbling mains",
           "welcomed the decision": "praised the move", "a small rise": "a modest increase"}
B_EDITS = {"two years": "around twenty four months", "clearer notice": "better warning",
           "neglected for decades": "ignored for generations"}
C_EDITS = {"replace ageing pipes": "renew old pipework", "one in five litres": "a fifth of the water",
           "opposition members": "rival councillors", "further delay": "any more waiting"}

A = swap(SOURCE, A_EDITS)
B = swap(A, B_EDITS)
C = swap(SOURCE, C_EDITS)


def parents(g: Group) -> dict[str, str | None]:
    return {d.child: d.parent for d in g.links}


def assert_tree(g: Group) -> None:
    """Every parent comes before its child in ``copies``, so no chain can loop."""
    pos = {k: i for i, k in enumerate(g.copies)}
    assert sorted(pos) == sorted(d.child for d in g.links)
    for d in g.links:
        assert d.parent is None or pos[d.parent] < pos[d.child], d
        assert 0.0 <= d.score <= 1.0
        assert g.lineage(d.child)[-1] == g.original


def test_chain_and_independent_copy():
    g = trace("art-1", SOURCE, [Copy("b", B, "2024-05-03"), Copy("c", C, "2024-05-02"),
                                Copy("a", A, "2024-05-01")])
    p = parents(g)
    assert p == {"a": None, "b": "a", "c": None}
    assert g.original == "art-1" and g.copies[0] == "a" and g.copies.index("a") < g.copies.index("b")
    link = g.link("b")
    assert link.shared_alterations >= 10 and link.child_alterations > link.shared_alterations
    assert link.restored == 0 and link.score > 0.7 and "repeats" in link.reason
    assert g.lineage("b") == ["b", "a", "art-1"]
    assert g.children(None) == ["a", "c"] and g.children("a") == ["b"]
    assert_tree(g)


def test_undated_and_shuffled_input_give_the_same_tree():
    # keys sort against the truth: the order must come from the text
    copies = [Copy("x", B, None), Copy("y", A, None), Copy("w", C, None)]
    for order in ([0, 1, 2], [2, 0, 1], [1, 2, 0]):
        g = trace("art-1", SOURCE, [copies[i] for i in order])
        assert parents(g) == {"y": None, "x": "y", "w": None}
        assert_tree(g)


def test_grandchild_takes_the_nearest_ancestor_and_sibling_takes_the_parent():
    d_text = swap(B, {"weekly schedule": "schedule every week", "help line": "phone service"})
    sib = swap(A, {"national infrastructure grant": "government building fund",
                   "public consultation": "open review"})
    g = trace("art-1", SOURCE, [Copy("a", A), Copy("b", B), Copy("d", d_text), Copy("s", sib)])
    assert parents(g) == {"a": None, "b": "a", "d": "b", "s": "a"}
    assert_tree(g)


def test_a_sibling_sharing_one_change_by_chance_is_not_the_parent():
    # b and c both come from a; both happened to make one same change; c keeps original text
    # that b changed, which a copy of b could not
    same = {"supply": "water"}
    b = swap(swap(A, same), B_EDITS)
    c = swap(swap(A, same), {"market district": "trading quarter", "compensation": "payment",
                             "weekly schedule": "timetable each week", "final vote": "deciding ballot",
                             "infrastructure grant": "building fund", "eventual bill": "cost in the end"})
    g = trace("art-1", SOURCE, [Copy("a", A), Copy("b", b), Copy("c", c)])
    assert parents(g) == {"a": None, "b": "a", "c": "a"}
    assert g.link("c").shared_alterations < 22  # b shares more, but c restores b's changes


def test_identical_copies_and_verbatim_copy():
    g = trace("art-1", SOURCE, [Copy("late", A, "2024-06-01"), Copy("early", A, "2024-05-01"),
                                Copy("verbatim", SOURCE, "2024-04-01")])
    assert g.parent("early") is None
    late = g.link("late")
    assert late.parent == "early" and late.reason.startswith("identical") and late.score == 0.8
    verbatim = g.link("verbatim")
    assert verbatim.parent is None and verbatim.child_alterations == 0
    assert_tree(g)


def test_a_wrong_date_does_not_overrule_plain_text():
    # crawl dates: the copy of a copy captured before its parent
    g = trace("art-1", SOURCE, [Copy("a", A, "2024-05-09T10:00:00Z"), Copy("b", B, "2024-05-02")])
    assert parents(g) == {"a": None, "b": "a"}
    assert parents(trace("art-1", SOURCE, [Copy("a", A, "2024-05-09"), Copy("b", B, "2024-05-02")],
                         use_dates=False)) == {"a": None, "b": "a"}


def test_copies_sharing_a_spinner_s_changes_but_each_keeping_original_text_are_independent():
    # one synonym table, applied by two sites to overlapping parts of the original
    table = {"approved": "endorsed", "ageing": "aged", "leaks": "drips", "homes": "houses",
             "estimate": "reckon", "lost": "wasted", "streets": "roads", "welcomed": "hailed",
             "publish": "post", "opposition": "rival", "decades": "generations", "delay": "waiting"}
    words = SOURCE.split()
    first = [table.get(w, w) if i % 2 == 0 else w for i, w in enumerate(words)]
    second = [table.get(w, w) if i % 3 == 0 else w for i, w in enumerate(words)]
    one, two = " ".join(first), " ".join(second)
    g = trace("art-1", SOURCE, [Copy("one", one, "2024-05-01"), Copy("two", two, "2024-05-02")])
    assert parents(g) == {"one": None, "two": None}, g.links


def test_random_trees_never_loop_and_are_mostly_right():
    rng = random.Random(3)
    words = SOURCE.split()
    right = total = 0
    for _ in range(40):
        texts, truth = {None: words}, {}
        for _ in range(rng.randint(2, 8)):
            par = rng.choice(list(texts))
            new = [rng.choice(words) if rng.random() < 0.08 else w for w in texts[par]
                   if rng.random() > 0.02]
            key = f"{rng.getrandbits(32):08x}"  # random names: key order tells nothing
            texts[key], truth[key] = new, par
        dates = [None, "2024-05-01", "2024-05-01T12:00:00+02:00", "not a date"]
        copies = [Copy(k, " ".join(texts[k]), rng.choice(dates)) for k in truth]
        rng.shuffle(copies)
        g = trace("s", SOURCE, copies)
        assert_tree(g)
        right += sum(parents(g)[k] == p for k, p in truth.items())
        total += len(truth)
    assert right / total > 0.9


def test_300_copies_run_under_a_second():
    rng = random.Random(5)
    words = SOURCE.split()
    texts = [words]
    copies = []
    for k in range(300):
        par = rng.choice(texts[:1] + texts[-50:])
        new = [rng.choice(words) if rng.random() < 0.05 else w for w in par]
        texts.append(new)
        copies.append(Copy(f"https://site{k}.example/a", " ".join(new), None))
    long_source = " ".join([SOURCE] * 3)
    copies = [Copy(c.key, " ".join([c.text] * 3), c.date) for c in copies]
    t0 = time.process_time()
    g = trace("s", long_source, copies)
    assert time.process_time() - t0 < 1.0
    assert len(g.links) == 300
    assert_tree(g)


def test_group_ignores_boilerplate_shared_across_articles():
    plug = " Sign up to our newsletter for the latest local news delivered every morning."
    edited = swap(SOURCE, {"Tuesday": "Wednesday", "traders": "shopkeepers"})
    other1 = "Police closed the coastal road after a landslide blocked both lanes near the harbour."
    other2 = "The city library will extend its opening hours during the exam season this summer."
    rows = [
        {"url": "u1", "source_id": "w", "date": "2024-05-01", "text": SOURCE + plug},
        {"url": "u2", "source_id": "w", "date": "2024-05-02", "text": edited + plug},
        {"url": "u3", "source_id": "p", "date": "2024-05-02", "text": "Breaking. " + other1 + plug},
        {"url": "u4", "source_id": "l", "date": "2024-05-02", "text": "Update. " + other2 + plug},
        {"url": "u2", "source_id": "w", "date": "2024-05-09", "text": "a later capture"},
    ]
    sources = {"w": SOURCE, "p": other1, "l": other2}
    groups = {g.source_id: g for g in group(rows, sources)}
    assert sorted(groups) == ["l", "p", "w"]
    assert parents(groups["w"]) == {"u1": None, "u2": None}
    # alone, the shared plug looks like inheritance
    alone = trace("w", SOURCE, [Copy("u1", SOURCE + plug, "2024-05-01"),
                                Copy("u2", edited + plug, "2024-05-02")])
    assert alone.parent("u2") == "u1"


def test_group_sources_spilling_to_disk_gives_the_same_groups(tmp_path, monkeypatch):
    """Past KEEP_PROFILES copies the profiles are recomputed, past SPILL_GRAMS the boilerplate
    count goes through hash buckets on disk: the groups must not change."""
    import unspin.corpus.provenance as prov

    plug = " Sign up to our newsletter for the latest local news delivered every morning."
    topics = [("harbour", "Monday"), ("library", "Friday"), ("bridge", "Sunday")]
    others = {f"o{i}": f"Story number {i} about the {w} was filed late on {d} by the desk."
              for i, (w, d) in enumerate(topics)}
    days = ["Monday", "Wednesday", "Friday"]
    rows = [{"url": f"w{i}", "source_id": "w", "date": f"2024-05-0{i + 1}",
             "text": swap(SOURCE, {"Tuesday": days[i]}) + plug} for i in range(3)]
    rows += [{"url": f"{k}-{j}", "source_id": k, "date": "2024-05-02", "text": f"Note {j}. " + t + plug}
             for k, t in others.items() for j in range(2)]
    sources = {"w": SOURCE, **others}
    expected = group(rows, sources)
    by_source = prov.copies_by_source(rows)
    monkeypatch.setattr(prov, "KEEP_PROFILES", 2)
    monkeypatch.setattr(prov, "SPILL_GRAMS", 5)
    got = list(prov.group_sources(sorted(by_source), lambda s: list(by_source[s].values()),
                                  sources.__getitem__, spill_dir=tmp_path / "spill"))
    assert got == expected
    assert (tmp_path / "spill").is_dir()                           # it did spill...
    assert not list((tmp_path / "spill").glob("*.bin"))          # ...and removed the buckets once counted
    # a killed run's buckets left in the spill dir are not counted again
    import numpy as np

    alts = set()
    for sid, copies in by_source.items():
        source = prov._grams(prov.words(sources[sid]))
        for c in copies.values():
            alts |= prov._profile(c, source).alt
    stale = np.array(sorted(alts) * 3, dtype=np.int64)
    stale.tofile(tmp_path / "spill" / "grams-00.bin")
    again = list(prov.group_sources(sorted(by_source), lambda s: list(by_source[s].values()),
                                    sources.__getitem__, spill_dir=tmp_path / "spill"))
    assert again == expected
    monkeypatch.setattr(prov, "SPILL_GRAMS", 10**9)
    assert group(rows, sources) == expected


def test_bad_input_is_one_line_error():
    with pytest.raises(UnspinError):
        trace("s", SOURCE, [Copy("x", A), Copy("x", B)])
    with pytest.raises(UnspinError):
        trace("s", None, [Copy("x", A)])  # type: ignore[arg-type]
    with pytest.raises(UnspinError):
        trace("s", SOURCE, [Copy("x", None)])  # type: ignore[arg-type]
    with pytest.raises(UnspinError):
        group([{"url": "u", "source_id": "missing", "text": A}], {})
    with pytest.raises(UnspinError):
        group([{"url": "u", "text": A}], {"s": SOURCE})
    assert trace("s", SOURCE, []).links == []
    assert isinstance(trace("s", "", [Copy("x", A)]).links[0], Derivation)


def test_shared_archive_chains(shared):
    """Chains built from real archive articles: each copy of a copy finds its parent."""
    arts = sorted((shared / "data" / "scan" / "archive").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in arts]
    texts = [t for t in texts if len(t.split()) >= 150][:30]
    rng = random.Random(11)
    right = total = 0
    for src in texts:
        words = src.split()
        a = [rng.choice(words) if rng.random() < 0.05 else w for w in words]
        b = [rng.choice(words) if rng.random() < 0.05 else w for w in a]
        c = [rng.choice(words) if rng.random() < 0.05 else w for w in words]
        g = trace("s", src, [Copy("c", " ".join(c)), Copy("b", " ".join(b)), Copy("a", " ".join(a))])
        assert_tree(g)
        right += parents(g) == {"a": None, "b": "a", "c": None}
        total += 1
    assert right / total >= 0.95


def test_two_reporters_quoting_the_same_words_are_independent():
    """Copies that both add the same quotation (said at the hearing, not in the archive text)
    but reword the narrative differently were not made from each other; a copy that repeats
    a copy's narrative changes was, even when it also keeps that copy's quotation."""
    words = ('"We have waited far too long for this and the people of the market district deserve '
             'better than leaking pipes."')
    said_a = A.replace(" The board said", f" The chair told the meeting: {words} The board said", 1)
    said_c = C.replace(" The board said", f" {words[:-2]}\", its chairman added. The board said", 1)
    said_b = B.replace(" The board said", f" The chair told the meeting: {words} The board said", 1)
    g = trace("art-1", SOURCE, [Copy("a", said_a, "2024-05-01"), Copy("c", said_c, "2024-05-02")])
    assert parents(g) == {"a": None, "c": None}
    g = trace("art-1", SOURCE, [Copy("a", said_a, "2024-05-01"), Copy("b", said_b, "2024-05-03")])
    assert parents(g) == {"a": None, "b": "a"}


DETERMINISM = r'''
import json, sys, tempfile
from pathlib import Path
from types import SimpleNamespace
from unspin.corpus.job import merge

texts = {"s": "The council met on Monday to set the budget for the coming year in full.",
         "b": "Officials said the plan would cost more than expected this year and next.",
         "c": "Opponents argued the money should go to schools instead of the new roads."}
index = SimpleNamespace(article=lambda k: SimpleNamespace(text=texts[k]))
copy = ("The council met on Monday to set its budget. Opponents argued the money should go "
        "to roads. Officials said the plan would cost more than expected this year and next. "
        "Opponents argued the money should go to schools instead.")
rows = [{"url": f"https://e.test/{i}", "source_id": sid, "date": f"2024-05-0{i}", "text": copy}
        for i in (1, 2) for sid in ("s", "b", "c")]
work = Path(tempfile.mkdtemp())
part = work / "part.json"
part.write_text(json.dumps({"result": {"rows": rows}}))
res = merge([part], index, work / "out")
print(res.groups_path.read_text() + res.results_path.read_text())
'''


def test_provenance_output_does_not_depend_on_string_hashing():
    """Python salts str hashes per process; a page's other sources were once joined in set
    order, so the provenance file of a resumed scan could differ from the first run's."""
    import os
    import subprocess
    import sys

    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", DETERMINISM], capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        outs.add(proc.stdout)
    assert len(outs) == 1
