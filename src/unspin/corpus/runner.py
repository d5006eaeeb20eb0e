"""Run one function over coarse partitions, in-process or on Dask, so that no finished
partition is ever lost.

Each partition's result is written by the task itself (inside the worker), atomically, to
``work_dir/parts/<partition.key>.json``: a killed worker loses only the partition it was
running (the scheduler reruns it elsewhere), and a killed run loses only the partitions in
flight (``resume=True`` computes just those). Results are returned in the order the
partitions were given, read back from the JSON written, so the merged output does not
depend on scheduling, on the number of workers or on how often the run was resumed.

``fn(partition, config)`` must be a top-level importable function (workers import it by
name; a test module or script works because spawned workers inherit ``sys.path``) and
``config`` a small picklable object. Heavy state (the index) is loaded by each worker once
and cached in a module global, keyed by what identifies it, never shipped with each task::

    _STATE: dict[str, Index] = {}

    def scan_partition(partition: Partition, config: ScanConfig) -> dict:
        index = _STATE.get(config.index_path)
        if index is None:
            index = _STATE[config.index_path] = Index.open(config.index_path)
        ...
        return {"rows": rows, "skipped": skipped, "timings": timings, "pages": n}

On an existing cluster (``scheduler=ADDRESS``) the workers must have ``unspin`` and the
module of ``fn`` installed, and ``work_dir`` should be on a filesystem they share with the
client (if it is not, the client writes each part file itself from the returned result).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import logging
import os
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from unspin.corpus.types import Partition
from unspin.types import UnspinError

MANIFEST_FORMAT = "unspin-partitions/1"
# Times a task may be running on a worker that dies before the scan gives up on it: a
# partition that kills every worker it touches (out of memory, a crash in a C library) must
# fail the run instead of looping, but one unlucky kill must not.
ALLOWED_FAILURES = 3
# BLAS / OpenMP pools sized to the machine in every worker would oversubscribe the cores
# (one single-threaded worker per core already uses them all).
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

_pinned_in_worker = False


def run_partitions(
    fn: Callable[[Partition, Any], dict],
    partitions: list[Partition],
    config: Any,
    work_dir: str | Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    resume: bool = False,
    progress: Callable[[int, int], None] | None = None,
    fingerprint: str | None = None,
    load: bool = True,
) -> list[dict] | list[Path]:
    """Run ``fn(partition, config)`` over every partition and return the results in the
    order given (``load=False``: the paths of their part files, each holding
    ``{"key", "partition", "fingerprint", "result"}``, so a caller can read one at a time).

    ``workers=1`` without a scheduler runs in a plain loop in this process (no Dask: the
    fastest for small jobs); otherwise a local cluster of ``workers`` (default: one per core)
    single-threaded worker processes, or the cluster at ``scheduler`` (``workers`` ignored).
    ``fingerprint`` names what the results depend on besides the partitions (index,
    options); by default a hash of ``fn``'s name and ``repr(config)``. A work dir only ever
    holds one scan: ``resume=True`` requires the same partitions and fingerprint, and
    without it a work dir holding results is refused. ``progress(done, total)`` is called
    as partitions finish (first with those resumed).

    A partition whose ``fn`` raises does not stop the others; the run then raises one
    ``UnspinError`` and the finished parts stay for ``resume``.
    """
    work_dir = Path(os.path.abspath(work_dir))   # workers may run in another directory
    if workers is not None and workers < 1:
        raise UnspinError(f"the number of workers must be at least 1, not {workers}")
    if fingerprint is None:
        # the name only, not the module: a script's fn is __main__.fn there, mod.fn elsewhere
        what = f"{getattr(fn, '__qualname__', fn)}\0{config!r}"
        fingerprint = hashlib.sha256(what.encode()).hexdigest()[:16]
    keys = [p.key for p in partitions]
    if len(set(keys)) != len(keys):
        dup = next(p for i, p in enumerate(partitions) if p.key in keys[:i])
        raise UnspinError(f"partition {_describe(dup)} is listed twice")
    parts_dir = work_dir / "parts"
    _claim_work_dir(work_dir, partitions, fingerprint, resume)

    done: set[str] = set()   # part files written and checked; their texts are not kept in memory
    if resume:
        for stale in glob.glob(str(parts_dir / ".*.tmp")):   # left by a run killed mid-write
            with contextlib.suppress(OSError):
                os.unlink(stale)
        for p in partitions:
            if _read_part(parts_dir / f"{p.key}.json", p.key, fingerprint) is not None:
                done.add(p.key)
    todo = [p for p in partitions if p.key not in done]
    total = len(partitions)
    if progress:
        progress(total - len(todo), total)

    failures: list[tuple[Partition, BaseException]] = []
    if todo:
        if scheduler is None and workers == 1:
            _run_local(fn, todo, config, parts_dir, fingerprint, done, failures, progress, total)
        else:
            _run_dask(fn, todo, config, parts_dir, fingerprint, done, failures, progress, total,
                      scheduler=scheduler, workers=workers)
    if failures:
        part, exc = failures[0]
        msg = f"{type(exc).__name__}: {exc}"
        if type(exc).__name__ == "KilledWorker":
            msg = f"its worker died {ALLOWED_FAILURES} times (out of memory?)"
        raise UnspinError(
            " ".join(f"{len(failures)} of {total} partitions failed (first: {_describe(part)}: {msg}); "
                     f"the {len(done)} finished are kept in {work_dir}: fix the cause and rerun "
                     "with --resume".split()))
    paths = [parts_dir / f"{k}.json" for k in keys]
    if not load:
        return paths
    return [json.loads(path.read_text(encoding="utf-8"))["result"] for path in paths]


def _describe(p: Partition) -> str:
    if p.start == 0 and p.end is None:
        return p.file
    return f"{p.file} [{p.start}, {'end' if p.end is None else p.end})"


def _claim_work_dir(work_dir: Path, partitions: list[Partition], fingerprint: str, resume: bool) -> None:
    """Refuse to mix two scans' results in one work dir, then record this scan's manifest."""
    manifest_path = work_dir / "manifest.json"
    parts_dir = work_dir / "parts"
    has_parts = parts_dir.is_dir() and any(parts_dir.glob("*.json"))
    if manifest_path.exists() or has_parts:
        if not resume:
            raise UnspinError(f"work dir {work_dir} already holds results of a scan: pass --resume to "
                              "finish it, or choose another work dir")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            old_keys = {p["key"] for p in manifest["partitions"]}
            old_fingerprint = manifest["fingerprint"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UnspinError(f"work dir {work_dir} has no readable manifest.json ({type(exc).__name__}): "
                              "use a new work dir") from None
        if old_fingerprint != fingerprint:
            raise UnspinError(f"work dir {work_dir} holds a scan made with another index or options: "
                              "use a new work dir or drop --resume")
        if old_keys != {p.key for p in partitions}:
            raise UnspinError(f"work dir {work_dir} holds a scan of other inputs ({len(old_keys)} "
                              f"partitions, now {len(partitions)}): use a new work dir or drop --resume")
        return
    try:
        parts_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnspinError(f"cannot create work dir {work_dir}: {exc.strerror or exc}") from None
    manifest = {
        "format": MANIFEST_FORMAT,
        "fingerprint": fingerprint,
        "partitions": [{"file": p.file, "start": p.start, "end": p.end, "key": p.key} for p in partitions],
    }
    _write_atomic(manifest_path, json.dumps(manifest, indent=1))


def _read_part(path: Path, key: str, fingerprint: str) -> str | None:
    """The part's text if it is a complete result of this scan, else None (recompute it)."""
    try:
        text = path.read_text(encoding="utf-8")
        record = json.loads(text)
    except (OSError, ValueError):
        return None
    if (not isinstance(record, dict) or record.get("key") != key or record.get("fingerprint") != fingerprint
            or not isinstance(record.get("result"), dict)):
        return None
    return text


def _write_atomic(path: Path, text: str) -> None:
    """Write, fsync and rename into place: a reader sees the old file or the whole new one."""
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):   # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def run_one(fn: Callable[[Partition, Any], dict], partition: Partition, key: str, config: Any,
            parts_dir: str, fingerprint: str, pin_threads: bool = False) -> str:
    """The task: compute one partition and write its part file where it ran, so the result
    survives the client; returns the part file's text. ``key`` comes from the client: a
    worker's working directory may differ, and ``Partition.key`` hashes the absolute path."""
    global _pinned_in_worker
    if pin_threads and not _pinned_in_worker:
        # Belt and braces for clusters we did not start: limit pools already loaded.
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=1)
        _pinned_in_worker = True
    result = fn(partition, config)
    if not isinstance(result, dict):
        raise TypeError(f"the partition function must return a dict, not {type(result).__name__}")
    record = {
        "key": key,
        "partition": {"file": partition.file, "start": partition.start, "end": partition.end},
        "fingerprint": fingerprint,
        "result": result,
    }
    text = json.dumps(record, ensure_ascii=False)
    os.makedirs(parts_dir, exist_ok=True)
    _write_atomic(Path(parts_dir) / f"{key}.json", text)
    return text


def _run_local(fn, todo, config, parts_dir, fingerprint, done, failures, progress, total) -> None:
    for p in todo:
        try:
            run_one(fn, p, p.key, config, str(parts_dir), fingerprint)
            done.add(p.key)
        except Exception as exc:   # keep going: the other partitions' parts are worth keeping
            failures.append((p, exc))
        if progress:
            progress(len(done) + len(failures), total)


@contextlib.contextmanager
def _threads_pinned_env() -> Iterator[None]:
    """Set the BLAS/OpenMP thread variables to 1 in this process while workers are spawned.

    The nanny copies its environment into each worker before the interpreter starts (the
    only time OpenBLAS reads it); ``distributed.nanny.pre-spawn-environ`` alone loses to a
    value already in the user's shell, and ``LocalCluster(env=...)`` is applied after numpy
    is loaded. The nanny re-applies the values when it restarts a killed worker, so the
    caller's values are restored only on exit.
    """
    saved = {k: os.environ.get(k) for k in THREAD_ENV}
    os.environ.update({k: "1" for k in THREAD_ENV})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while the workers are spawned: the disposition survives exec, so the
    workers ignore it from their first line. Ctrl-C in a terminal reaches the whole process
    group; it must stop only this process, which then closes the cluster itself, instead of
    every worker (and a half-started cluster) dying with a traceback. Costs a Ctrl-C pressed
    during the ~1 s start."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def dask_setup(worker: Any) -> None:
    """Worker preload: the same for a worker its nanny restarts after a crash, which is
    spawned while this process handles SIGINT again."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_dask(fn, todo, config, parts_dir, fingerprint, done, failures, progress, total, *,
              scheduler, workers) -> None:
    import dask
    from distributed import Client, LocalCluster, as_completed

    cluster = client = None
    finished = False
    with _threads_pinned_env():
        try:
            if scheduler is not None:
                try:
                    client = Client(scheduler, timeout="10s")
                except (OSError, TimeoutError, ValueError) as exc:
                    raise UnspinError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            else:
                n = max(1, min(workers or os.cpu_count() or 1, len(todo)))
                with dask.config.set({
                    "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                    "distributed.nanny.pre-spawn-environ": {k: "1" for k in THREAD_ENV},
                }), _sigint_ignored():
                    # dashboard_address=None turns the dashboard off, but the scheduler's HTTP
                    # server (health, metrics) still binds :8787 on every interface and warns
                    # when another cluster holds it: a free loopback port instead.
                    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.CRITICAL,
                                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                           preload=[__name__])
                client = Client(cluster)
            futures = {}
            # Largest first (by input bytes): the last tasks to start are the short ones, so
            # no worker is left computing one big partition while the others idle.
            ranked = sorted(todo, key=Partition.nbytes, reverse=True)
            for rank, p in enumerate(ranked):
                fut = client.submit(run_one, fn, p, p.key, config, str(parts_dir), fingerprint, True,
                                    pure=False, priority=len(ranked) - rank)
                futures[fut] = p
            for fut in as_completed(futures):
                p = futures.pop(fut)
                try:
                    text = fut.result()
                except Exception as exc:
                    failures.append((p, exc))
                else:
                    done.add(p.key)
                    path = Path(parts_dir) / f"{p.key}.json"
                    if _read_part(path, p.key, fingerprint) is None:   # workers on another filesystem
                        path.parent.mkdir(parents=True, exist_ok=True)
                        _write_atomic(path, text)
                fut.release()
                if progress:
                    progress(total - len(futures), total)
            finished = True
        finally:
            # On KeyboardInterrupt too: the parts written so far stay for --resume.
            if client is not None:
                with contextlib.suppress(Exception):
                    client.close(timeout=10)
            if cluster is not None:
                if not finished:
                    with contextlib.suppress(Exception):
                        cluster.sync(_stop_workers_now, list(cluster.workers.values()))
                with contextlib.suppress(Exception):
                    cluster.close(timeout=10)


async def _stop_workers_now(nannies: list) -> None:
    """Interrupted: stop workers in the middle of their partitions rather than wait (5 s by
    default, or the whole partition) for them; what they were computing is recomputed on
    --resume, and part files are written atomically so none is left half-written."""
    import asyncio

    await asyncio.gather(*(n.close(timeout=0.5, reason="unspin-interrupted") for n in nannies),
                         return_exceptions=True)
