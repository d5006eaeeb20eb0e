"""scripts/consistency_data.py: edits change the text, spans cover the change, labels, determinism, split."""

import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import consistency_data as cd  # noqa: E402

STORY = (
    "A deep-sea diver who broke his back in an accident under the North Sea has received £115,000 "
    "in an out-of-court settlement, it was revealed yesterday.\n"
    "Andrew Binney, 46, fractured his back in two places after a crane lowered a metal frame on top of him "
    "in Denmark.\n"
    '"I was wrong to trust the company," Mr Binney said.\n'
    "The company allegedly failed to check the frame, and profits rose by 12% in 1998.\n"
    "Judge Peter Rushbrooke said Mr Binney had not been to blame for the accident on Monday.\n"
    "Binney sued Rockwater in March 1996, and the firm denied that some workers were at risk.\n"
    "The hearing at Sheffield High Court was told that he will never work again, police said.\n"
)
OTHER = (
    "Shares in the retailer fell sharply on Tuesday after it warned that sales would decrease.\n"
    "The chairman, Michael Stone, said the board was confident of a recovery next year.\n"
)


def _article(text=STORY, group="meter:01.03.00/diver"):
    sents = cd.split_sentences(text)
    return cd.build_article(group, "meter", sents), sents


def _norm(s: str) -> str:
    return " ".join(s.split())


CONTRA = list(cd.CONTRADICTED_EDITS)
UNSUP = list(cd.UNSUPPORTED_EDITS)
SUPP = [k for k in cd.SUPPORTED_EDITS if k != "faithful:identity"]


def test_splitter_keeps_titles_and_quotes():
    sents = cd.split_sentences(STORY)
    assert len(sents) == 7
    assert sents[2].startswith('"I was wrong') and sents[2].endswith("said.")
    assert cd.split_sentences("Mr. Smith arrived. He left.") == ["Mr. Smith arrived.", "He left."]


@pytest.mark.parametrize("kind", CONTRA + UNSUP)
def test_each_edit_changes_text_and_span_covers_change(kind):
    art, sents = _article()
    applied = 0
    for i, s in enumerate(sents):
        premise = cd.premise_for(sents, i)
        for trial in range(5):
            res = cd.apply_edit(kind, s, art, random.Random(f"{kind}:{i}:{trial}"), premise)
            if res is None:
                continue
            hyp, span = res
            applied += 1
            assert hyp != s
            assert span is not None and 0 <= span[0] < span[1] <= len(hyp)
            # every changed character lies inside the span (an a/an fix or a space may sit next to it)
            pre = 0
            while pre < min(len(s), len(hyp)) and s[pre] == hyp[pre]:
                pre += 1
            suf = 0
            while suf < min(len(s), len(hyp)) - pre and s[-1 - suf] == hyp[-1 - suf]:
                suf += 1
            first_diff, last_diff = pre, len(hyp) - suf
            assert span[0] - 3 <= first_diff and last_diff <= span[1] + 3, (kind, s, hyp, span)
    assert applied, f"{kind} never applied to the test story"


@pytest.mark.parametrize("kind", SUPP)
def test_supported_rewrites_apply_and_change_text(kind):
    art, sents = _article()
    hyps = [cd.apply_edit(kind, s, art, random.Random(f"{kind}:{i}")) for i, s in enumerate(sents)]
    hyps = [h for h in hyps if h is not None]
    assert hyps, f"{kind} never applied"
    for hyp, span in hyps:
        assert span is None
        assert hyp not in sents
    assert cd.KIND_LABEL[kind] == "supported"


def test_specific_edits_are_right():
    art, sents = _article()
    quote = sents[2]
    hyp, _ = cd.faithful_indirect(quote, art, random.Random(0))
    assert hyp == "Mr Binney said he had been wrong to trust the company."
    hyp, _ = cd.faithful_speech_order(quote, art, random.Random(0))
    assert hyp == '"I was wrong to trust the company," said Mr Binney.'
    hyp, span = cd.edit_relation(sents[5], art, random.Random(0)) or (None, None)
    assert hyp is not None and hyp.startswith("Rockwater sued Binney")
    hyp, span = cd.edit_hedge(sents[3], art, random.Random(0))
    assert "allegedly" not in hyp and hyp[span[0] : span[1]] == "company failed"
    hyp, _ = cd.faithful_reorder(sents[6], art, random.Random(0))
    assert hyp.startswith("Police said the hearing at Sheffield High Court")
    hyp, _ = cd.faithful_shortened(sents[1], art, random.Random(1)) or (None, None)
    assert hyp is not None and len(hyp) < len(sents[1])
    # the speaker of a statement is swapped for another person of the article
    hyp, span = cd.edit_speaker(sents[4], art, random.Random(0))
    assert hyp[span[0] : span[1]] in ("Judge Binney", "Andrew Binney", "Binney")


def test_labels_of_kinds():
    for k in CONTRA:
        assert cd.KIND_LABEL[k] == "contradicted"
    for k in UNSUP + ["edit:unrelated"]:
        assert cd.KIND_LABEL[k] == "unsupported"
    assert cd.KIND_LABEL["faithful:context"] == "supported"


def _fake_root(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "meter").mkdir(parents=True)
    (root / "pan13" / "src").mkdir(parents=True)
    rows = [
        {"story": f"01.0{i}.00/story{i}", "sources": [{"id": f"s{i}", "title": "", "text": STORY}]}
        for i in range(6)
    ]
    (root / "meter" / "courts-sources.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    for i in range(6):
        (root / "pan13" / "src" / f"source-document{i:05d}.txt").write_text(
            OTHER.replace("Tuesday", f"day {i}")
        )
    return root


def test_determinism_and_labels(tmp_path):
    root = _fake_root(tmp_path)
    outs = []
    for run in range(2):
        out = tmp_path / f"out{run}"
        assert cd.main(["--out", str(out), "--seed", "7", "--max-news", "200", "--data", str(root)]) == 0
        outs.append([(out / f).read_bytes() for f in ("train.jsonl", "valid.jsonl", "stats.json")])
        for line in (out / "train.jsonl").read_text().splitlines():
            row = json.loads(line)
            assert set(row) == {"premise", "hypothesis", "label", "kind", "group", "span"}
            assert row["label"] == cd.KIND_LABEL[row["kind"]]
            if row["label"] != "supported":
                assert row["span"] is not None
    assert outs[0] == outs[1]
    other = tmp_path / "other"
    cd.main(["--out", str(other), "--seed", "8", "--max-news", "200", "--data", str(root)])
    assert (other / "train.jsonl").read_bytes() != outs[0][0]


def test_heldout_groups_never_in_train():
    groups = [f"meter:story{i}" for i in range(500)] + [f"pan13:source-document{i:05d}" for i in range(500)]
    train, valid = cd.split_groups(groups, seed=13)
    assert not train & valid and train | valid == set(groups)
    assert 50 <= len(valid) <= 150  # about 10%
    assert cd.split_groups(groups, seed=13) == (train, valid)
    assert cd.split_groups(groups, seed=14)[1] != valid
    # the generator side: candidates from held-out groups only reach valid
    rows = [{"group": g, "valid": cd.is_valid_group(g, 13)} for g in groups]
    assert {r["group"] for r in rows if r["valid"]} == valid


def test_heldout_groups_do_not_leak_in_output(tmp_path):
    root = _fake_root(tmp_path)
    out = tmp_path / "o"
    # seed chosen so that both splits are non-empty for 12 groups
    for seed in range(1, 40):
        groups = [f"meter:01.0{i}.00/story{i}" for i in range(6)] + [
            f"pan13:source-document{i:05d}" for i in range(6)
        ]
        if cd.split_groups(groups, seed)[1]:
            break
    cd.main(["--out", str(out), "--seed", str(seed), "--max-news", "300", "--data", str(root)])
    train = [json.loads(x) for x in (out / "train.jsonl").read_text().splitlines()]
    valid = [json.loads(x) for x in (out / "valid.jsonl").read_text().splitlines()]
    assert train and valid
    assert not {r["group"] for r in train} & {r["group"] for r in valid}
    assert all(cd.is_valid_group(r["group"], seed) for r in valid)
    # unrelated sentences come from another group of the same split
    for r in train:
        if r["kind"] == "edit:unrelated":
            assert r["hypothesis"] not in STORY or r["group"].startswith("pan13")


def test_waterfill_respects_availability():
    take = cd.waterfill({"a": 5, "b": 100, "c": 100}, {}, 90)
    assert take == {"a": 5, "b": 43, "c": 42} or sum(take.values()) == 90 and take["a"] == 5
