"""The partition runner: results in order whatever runs them, nothing lost when a worker or
the whole run is killed, and a work dir never mixing two scans."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from corpus_runner_fns import FnConfig, env_probe, partitions, work

from unspin.corpus.runner import run_partitions
from unspin.types import UnspinError

TESTS = Path(__file__).resolve().parent


def calls(calls_dir: Path) -> list[str]:
    """Partition keys of every call made so far (one per marker file)."""
    return [name.split(".")[0] for name in os.listdir(calls_dir)]


@pytest.fixture
def setup(tmp_path):
    calls_dir = tmp_path / "calls"
    calls_dir.mkdir()
    return tmp_path, calls_dir


def reference(tmp_path: Path, n: int) -> list[dict]:
    """An uninterrupted in-process run, the result every other run must equal."""
    ref_calls = tmp_path / "ref-calls"
    ref_calls.mkdir(exist_ok=True)
    return run_partitions(work, partitions(tmp_path, n), FnConfig(str(ref_calls)), tmp_path / "ref",
                          workers=1)


def test_in_process_results_in_partition_order(setup):
    tmp_path, calls_dir = setup
    parts = partitions(tmp_path, 5)
    seen = []
    out = run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=1,
                         progress=lambda done, total: seen.append((done, total)))
    assert [(r["file"], r["start"], r["end"]) for r in out] == [(Path(p.file).name, p.start, p.end)
                                                                for p in parts]
    assert seen == [(i, 5) for i in range(6)]
    assert sorted(calls(calls_dir)) == sorted(p.key for p in parts)
    assert all(int(name.split(".")[1]) == os.getpid() for name in os.listdir(calls_dir))
    for p, r in zip(parts, out, strict=True):
        record = json.loads((tmp_path / "wd" / "parts" / f"{p.key}.json").read_text())
        assert record["result"] == r
        assert record["partition"] == {"file": p.file, "start": p.start, "end": p.end}
    manifest = json.loads((tmp_path / "wd" / "manifest.json").read_text())
    assert [m["key"] for m in manifest["partitions"]] == [p.key for p in parts]
    assert not list((tmp_path / "wd" / "parts").glob(".*"))       # no temp files left behind


def test_local_cluster_equals_in_process(setup):
    """On the cluster too: a failing partition keeps the others, resume computes only it."""
    tmp_path, calls_dir = setup
    expected = reference(tmp_path, 6)
    parts = partitions(tmp_path, 6)
    with pytest.raises(UnspinError, match=r"1 of 6 partitions failed .*ValueError: cannot read"):
        run_partitions(work, parts, FnConfig(str(calls_dir), fail_key=parts[4].key), tmp_path / "wd",
                       workers=2, fingerprint="v1")
    assert len(list((tmp_path / "wd" / "parts").glob("*.json"))) == 5
    seen = []
    out = run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=2, resume=True,
                         fingerprint="v1", progress=lambda done, total: seen.append(done))
    assert out == expected
    assert seen == [5, 6]
    assert len(calls(calls_dir)) == 7
    pids = {int(name.split(".")[1]) for name in os.listdir(calls_dir)}
    assert os.getpid() not in pids and 1 <= len(pids) <= 4


def test_cluster_starts_the_largest_partitions_first(setup):
    """Largest input first, so the last tasks handed out are short and no worker is left
    alone with a big one at the end (Partition.nbytes: the bytes a partition covers)."""
    from unspin.corpus.types import Partition

    tmp_path, calls_dir = setup
    sizes = [3, 9, 1, 7, 5, 2, 8, 4]
    parts = []
    for i, kb in enumerate(sizes):
        path = tmp_path / f"c{i}.warc.gz"
        path.write_bytes(b"x" * kb * 1024)
        parts.append(Partition(str(path)))
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.html").write_bytes(b"y" * 6 * 1024)
    parts.append(Partition(str(folder)))
    assert Partition(str(folder)).nbytes() == 6 * 1024
    assert Partition(parts[1].file, 1000, 5000).nbytes() == 4000
    assert Partition(parts[1].file, 1000).nbytes() == 9 * 1024 - 1000
    assert Partition(str(tmp_path / "gone.warc")).nbytes() == 0
    out = run_partitions(work, parts, FnConfig(str(calls_dir), sleep=0.3), tmp_path / "wd", workers=2)
    assert [r["file"] for r in out] == [Path(p.file).name for p in parts]      # still in plan order
    started = sorted(os.listdir(calls_dir), key=lambda n: os.stat(calls_dir / n).st_mtime_ns)
    size_of = {p.key: p.nbytes() for p in parts}
    order = [size_of[name.split(".")[0]] for name in started]
    # each single-threaded worker may hold a second task ready (Dask's worker-saturation), so
    # the exact start order interleaves by up to two places
    ranked = sorted(order, reverse=True)
    assert set(order[:2]) <= set(ranked[:4])           # the largest went first...
    assert order[-1] in ranked[-2:] and set(order[-2:]) <= set(ranked[-4:])   # ...the smallest last


@pytest.mark.filterwarnings("error::UserWarning")
def test_workers_have_blas_threads_pinned(setup, monkeypatch):
    """Even when the user's shell asks for more threads; the caller's environment is kept.
    Also: no warning (nor failure) when another cluster holds the default HTTP port 8787."""
    tmp_path, calls_dir = setup
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    with socket.socket() as sock:
        with contextlib.suppress(OSError):      # if it fails, someone else holds 8787 already
            sock.bind(("0.0.0.0", 8787))
            sock.listen()
        out = run_partitions(env_probe, partitions(tmp_path, 2), FnConfig(str(calls_dir)), tmp_path / "wd",
                             workers=2)
    for r in out:
        assert r["pid"] != os.getpid()
        assert r["env"] == {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        assert r["pools"] in ([], [1])
    assert os.environ["OMP_NUM_THREADS"] == "4" and os.environ["OPENBLAS_NUM_THREADS"] == "4"


def test_failed_partition_keeps_the_others_and_resume_computes_only_it(setup):
    tmp_path, calls_dir = setup
    parts = partitions(tmp_path, 5)
    bad = parts[2]
    failed = r"1 of 5 partitions failed .*ValueError: cannot read.*--resume"
    with pytest.raises(UnspinError, match=failed) as err:
        run_partitions(work, parts, FnConfig(str(calls_dir), fail_key=bad.key), tmp_path / "wd", workers=1,
                       fingerprint="index-v1")
    assert "\n" not in str(err.value)
    assert {p.name for p in (tmp_path / "wd" / "parts").glob("*.json")} == {f"{p.key}.json" for p in parts
                                                                            if p is not bad}
    before = calls(calls_dir)
    out = run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=1, resume=True,
                         fingerprint="index-v1")
    after = calls(calls_dir)
    assert len(after) - len(before) == 1 and after.count(bad.key) == 2
    assert out == reference(tmp_path, 5)


def test_resume_recomputes_a_damaged_part(setup):
    tmp_path, calls_dir = setup
    parts = partitions(tmp_path, 4)
    config = FnConfig(str(calls_dir))
    first = run_partitions(work, parts, config, tmp_path / "wd", workers=1)
    damaged = tmp_path / "wd" / "parts" / f"{parts[1].key}.json"
    damaged.write_text(damaged.read_text()[:40])
    (tmp_path / "wd" / "parts" / f".{parts[0].key}.json.123.abcd.tmp").write_text("{")   # a killed write
    seen = []
    again = run_partitions(work, parts, config, tmp_path / "wd", workers=1, resume=True,
                           progress=lambda done, total: seen.append(done))
    assert again == first
    assert seen == [3, 4]
    assert sorted(calls(calls_dir)) == sorted([p.key for p in parts] + [parts[1].key])
    assert not list((tmp_path / "wd" / "parts").glob(".*"))


def test_a_worker_killed_mid_scan(setup):
    """SIGKILL one worker as soon as a partition starts: the task reruns, nothing is lost."""
    tmp_path, calls_dir = setup
    killed: list[tuple[int, str]] = []
    stop = threading.Event()

    def killer():
        while not stop.is_set() and not killed:
            for name in os.listdir(calls_dir):
                ours = False
                key, pid = name.split(".")[0], int(name.split(".")[1])
                # only a worker process this test started, never the test process itself
                with contextlib.suppress(psutil.Error):
                    ours = pid != os.getpid() and psutil.Process(pid).ppid() == os.getpid()
                if ours:
                    os.kill(pid, signal.SIGKILL)
                    killed.append((pid, key))
                    break
            time.sleep(0.005)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        out = run_partitions(work, partitions(tmp_path, 6), FnConfig(str(calls_dir), sleep=0.5),
                             tmp_path / "wd", workers=2)
    finally:
        stop.set()
        thread.join()
    assert killed, "no worker was killed"
    pid, key = killed[0]
    assert calls(calls_dir).count(key) == 2            # started on the killed worker, rerun elsewhere
    assert out == reference(tmp_path, 6)


def test_the_whole_run_killed_then_resumed(setup):
    tmp_path, calls_dir = setup
    work_dir = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "corpus_runner_fns", str(work_dir), str(calls_dir), "6", "0.5"]
    log = tmp_path / "run.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not list((work_dir / "parts").glob("*.json")):
            assert proc.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "no part written within 60 s"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)          # the run, its nanny and its workers
        proc.wait()
        deadline = time.monotonic() + 10
        with contextlib.suppress(ProcessLookupError):   # until the orphaned workers are gone too
            while time.monotonic() < deadline:
                os.killpg(proc.pid, 0)
                time.sleep(0.01)
    done = {p.name.removesuffix(".json") for p in (work_dir / "parts").glob("*.json")}
    assert 1 <= len(done) < 6
    before = calls(calls_dir)
    out = run_partitions(work, partitions(tmp_path, 6), FnConfig(str(calls_dir), sleep=0.5), work_dir,
                         workers=1, resume=True)
    assert len(calls(calls_dir)) - len(before) == 6 - len(done)      # only the missing ones
    assert out == reference(tmp_path, 6)


def test_work_dir_with_results_needs_resume(setup):
    tmp_path, calls_dir = setup
    parts = partitions(tmp_path, 3)
    run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=1)
    with pytest.raises(UnspinError, match="already holds results.*--resume"):
        run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=1)
    # an existing but empty work dir is fine
    (tmp_path / "empty").mkdir()
    assert len(run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "empty", workers=1)) == 3


def test_resume_refuses_another_scan(setup):
    tmp_path, calls_dir = setup
    parts = partitions(tmp_path, 4)
    run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=1, fingerprint="a")
    with pytest.raises(UnspinError, match="other inputs.*new work dir"):
        run_partitions(work, parts[:3], FnConfig(str(calls_dir)), tmp_path / "wd", workers=1, resume=True,
                       fingerprint="a")
    with pytest.raises(UnspinError, match="another index or options.*new work dir"):
        run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=1, resume=True,
                       fingerprint="b")
    # the same scan in another order resumes, and returns the order asked for
    out = run_partitions(work, parts[::-1], FnConfig(str(calls_dir)), tmp_path / "wd", workers=1, resume=True,
                         fingerprint="a")
    assert [r["start"] for r in out] == [p.start for p in parts[::-1]]
    assert len(calls(calls_dir)) == 4


def test_resume_on_a_new_work_dir_starts_it(setup):
    tmp_path, calls_dir = setup
    out = run_partitions(work, partitions(tmp_path, 3), FnConfig(str(calls_dir)), tmp_path / "new", workers=1,
                         resume=True)
    assert len(out) == 3


def test_duplicate_partitions_and_bad_results(setup):
    tmp_path, calls_dir = setup
    parts = partitions(tmp_path, 3)
    with pytest.raises(UnspinError, match="listed twice"):
        run_partitions(work, [*parts, parts[0]], FnConfig(str(calls_dir)), tmp_path / "wd", workers=1)
    with pytest.raises(UnspinError, match="at least 1"):
        run_partitions(work, parts, FnConfig(str(calls_dir)), tmp_path / "wd", workers=0)
    with pytest.raises(UnspinError, match="3 of 3 partitions failed.*must return a dict"):
        run_partitions(_returns_list, parts, FnConfig(str(calls_dir)), tmp_path / "wd2", workers=1)


def _returns_list(partition, config):
    return [1, 2]


def test_an_existing_cluster(setup):
    """``scheduler=ADDRESS``: the same results, computed and written by that cluster's workers."""
    import logging

    from distributed import LocalCluster

    tmp_path, calls_dir = setup
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                      scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                      silence_logs=logging.CRITICAL) as cluster:
        out = run_partitions(work, partitions(tmp_path, 4), FnConfig(str(calls_dir)), tmp_path / "wd",
                             scheduler=cluster.scheduler_address)
    assert out == reference(tmp_path, 4)
    assert os.getpid() not in {int(name.split(".")[1]) for name in os.listdir(calls_dir)}
