"""Partition functions for tests/test_corpus_runner.py, in a plain module (not the test
module) so Dask worker processes import them by name: spawned workers inherit the parent's
``sys.path``, which holds tests/ under pytest. ``python -m corpus_runner_fns`` runs a scan
for the test that kills a whole run."""

from __future__ import annotations

import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from unspin.corpus.types import Partition


@dataclass(frozen=True)
class FnConfig:
    calls_dir: str            # every call leaves a marker "<key>.<pid>.<uuid>" here when it starts
    sleep: float = 0.0        # seconds per partition, so a test can kill something mid-task
    spin: int = 0             # pure-Python loop iterations per partition (CPU-bound cost)
    fail_key: str | None = None


def work(partition: Partition, config: FnConfig) -> dict:
    """A deterministic result per partition, whatever process computes it."""
    Path(config.calls_dir, f"{partition.key}.{os.getpid()}.{uuid.uuid4().hex[:8]}").touch()
    if config.fail_key == partition.key:
        raise ValueError(f"cannot read {Path(partition.file).name}")
    if config.sleep:
        time.sleep(config.sleep)
    acc = 0
    for i in range(config.spin):
        acc = (acc * 31 + i) % 1_000_003
    name = Path(partition.file).name
    rows = [{"url": f"https://example.org/{name}/{partition.start}/{i}", "score": round(0.1 * i, 3)}
            for i in range(3)]
    return {"rows": rows, "skipped": {"not_html": partition.start % 7}, "pages": 3, "acc": acc,
            "file": name, "start": partition.start, "end": partition.end}


def env_probe(partition: Partition, config: FnConfig) -> dict:
    """What a worker process sees: thread variables and the BLAS pools' sizes."""
    import numpy  # noqa: F401  (load OpenBLAS as the scan would)
    from threadpoolctl import threadpool_info

    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    return {"pid": os.getpid(), "env": {k: os.environ.get(k) for k in names},
            "pools": sorted({d["num_threads"] for d in threadpool_info()})}


def partitions(root: str | Path, n: int) -> list[Partition]:
    """``n`` partitions: whole files and byte ranges of one file (the files need not exist)."""
    root = Path(root)
    out = [Partition(str(root / f"crawl-{i}.warc.gz")) for i in range(n // 2)]
    big = str(root / "big.warc.gz")
    cuts = [0, *range(1000, 1000 * (n - len(out)), 1000), None]
    out += [Partition(big, cuts[i], cuts[i + 1]) for i in range(n - len(out))]
    return out


def main(argv: list[str]) -> None:
    from unspin.corpus.runner import run_partitions

    work_dir, calls_dir, n, sleep = argv[0], argv[1], int(argv[2]), float(argv[3])
    root = Path(work_dir).parent
    run_partitions(work, partitions(root, n), FnConfig(calls_dir, sleep=sleep), work_dir, workers=2)


if __name__ == "__main__":
    main(sys.argv[1:])
