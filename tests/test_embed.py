"""The embedding seam: unit rows, paraphrases above unrelated sentences, light import, fallbacks."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from unspin import embed
from unspin.embed import LexicalEncoder, get_backend, model_dir
from unspin.types import UnspinError

MODEL = model_dir()
needs_model = pytest.mark.skipif(
    not (MODEL / "model.safetensors").is_file(),
    reason=f"distilled model not found at {MODEL} (run `make models`, or set UNSPIN_MODEL_DIR)")

TEXTS = [
    "The court heard that the lorry was stopped for a routine vehicle check.",
    "Shares in the company fell 4.5% to 310p after the warning.",
    "“I was amazed,” he said.",
    "Ünïcode naïve café — 東京",
    "",
    "   ",
]

# (source sentence, its spun rewrite), both verbatim from ../shared/cases/seed; the unrelated
# sentences come from another case's article.
SEED_PAIRS = [
    ("The official also said that China is taking a number of steps intended to curtail supplies "
     "used to make the chemicals.",
     "Additionally, the official mentioned that China is implementing measures to reduce the "
     "availability of supplies used in producing the chemicals."),
    ("Cameras captured Blinken's uncomfortable response to Mr. Biden's remarks during Wednesday's "
     "news conference.",
     "During a news conference on Wednesday, cameras recorded Blinken’s uneasy reaction to President "
     "Biden’s statements."),
    ("In June, Biden also called his Chinese counterpart a dictator while speaking to supporters "
     "during a private fundraising event in Northern California.",
     "During a private fundraising event in Northern California, he referred to his Chinese "
     "counterpart as a dictator while addressing his supporters."),
]


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    monkeypatch.setattr(embed, "_cache", {})
    monkeypatch.setattr(embed, "_warned", False)


def backends() -> list:
    return [pytest.param("lexical"), pytest.param("model2vec", marks=needs_model)]


@pytest.mark.parametrize("name", backends())
def test_rows_are_unit_float32(name):
    enc = get_backend(name)
    vecs = enc.encode(TEXTS)
    assert vecs.dtype == np.float32 and vecs.shape == (len(TEXTS), enc.dim)
    norms = np.linalg.norm(vecs, axis=1)
    assert np.allclose(norms[:4], 1.0, atol=1e-5)
    assert np.allclose(norms[4:], 0.0)  # nothing to embed: a zero row, not NaN
    assert enc.encode([]).shape == (0, enc.dim)
    # a batch gives the same rows as one text at a time
    assert np.allclose(enc.encode(TEXTS[:2]), np.vstack([enc.encode([t]) for t in TEXTS[:2]]), atol=1e-6)


@pytest.mark.parametrize("name", backends())
def test_seed_paraphrase_beats_unrelated(name, shared):
    seed_src = (shared / "cases" / "seed" / "source.txt").read_text()
    seed_cand = (shared / "cases" / "seed" / "candidate.txt").read_text()
    other = (shared / "cases" / "dev" / "01-ostrich-cattle-truck" / "source.txt").read_text()
    unrelated = [p.strip() for p in other.split("\n\n") if len(p.strip()) > 80][:6]
    enc = get_backend(name)
    for src, cand in SEED_PAIRS:
        assert src in seed_src and cand in seed_cand
        s, c, *u = enc.encode([src, cand, *unrelated])
        para = float(s @ c)
        worst = max(float(s @ x) for x in u) + 0.05
        assert para > worst, (name, src, para, worst)


def test_lexical_is_the_same_in_every_process():
    """Hashing must not use Python's salted ``hash``: vectors are compared across runs."""
    code = ("import json, sys; from unspin.embed import LexicalEncoder; "
            "print(json.dumps(LexicalEncoder().encode(json.loads(sys.argv[1])).tolist()))")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(TEXTS[:3])], capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    assert np.allclose(np.array(json.loads(out), dtype=np.float32), LexicalEncoder().encode(TEXTS[:3]))


def test_lexical_sees_changed_numbers():
    a, b, c = LexicalEncoder().encode(["He was fined £500 in 1998.", "He was fined £500 in 1998.",
                                       "He was fined £800 in 1996."])
    assert float(a @ b) == pytest.approx(1.0) and float(a @ c) < 0.95


def test_import_is_light():
    code = "import sys, unspin.embed; print(sorted(m for m in ('torch', 'tokenizers', 'model2vec', " \
           "'sentence_transformers', 'safetensors') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@needs_model
def test_model2vec_matches_the_model2vec_package():
    model2vec = pytest.importorskip("model2vec")
    ref = model2vec.StaticModel.from_pretrained(str(MODEL)).encode(TEXTS[:4], max_length=None)
    assert np.allclose(get_backend("model2vec").encode(TEXTS[:4]), ref.astype(np.float32), atol=2e-3)


@needs_model
def test_auto_prefers_the_model_and_caches_it():
    enc = get_backend("auto")
    assert enc.name == "model2vec" and get_backend("model2vec") is enc


def test_auto_falls_back_to_lexical_with_one_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(embed.MODEL_ENV, str(tmp_path / "missing"))
    assert get_backend("auto").name == "lexical"
    assert get_backend().name == "lexical"
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "lexical" in err and len(err.strip().splitlines()) == 1


def test_model2vec_missing_or_broken_is_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv(embed.MODEL_ENV, str(tmp_path))
    with pytest.raises(UnspinError, match="make model"):
        get_backend("model2vec")
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(UnspinError, match="cannot load") as e:
        get_backend("model2vec")
    assert "\n" not in str(e.value)


def test_unknown_backend_and_missing_minilm():
    with pytest.raises(UnspinError, match="unknown embedding backend"):
        get_backend("bert")
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(UnspinError, match="minilm backend needs"):
            get_backend("minilm")
    else:
        pytest.skip("sentence-transformers is installed here; the missing-package path is not reachable")


def test_shipped_model_matches_its_build_record():
    """The committed model files are the ones `make models` wrote (hashes in build.json)."""
    import hashlib
    import json

    from unspin.embed import PACKAGE_MODEL

    info = json.loads((PACKAGE_MODEL / "build.json").read_text(encoding="utf-8"))
    for name, digest in info["files"].items():
        assert hashlib.sha256((PACKAGE_MODEL / name).read_bytes()).hexdigest() == digest, name
    assert get_backend("auto").name == "model2vec"
