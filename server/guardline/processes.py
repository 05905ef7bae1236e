"""Worker pools for cold scans.

Never fork a process that runs threads (the language server does): a child forked while another
thread holds a lock (logging, imports, SQLite) can hang forever. Workers come from a fork server
started from a clean process instead; it preloads guardline so workers start fast. One exception:
the clone queries of a cold check fork the process holding the built index (duplication/results.py
``query_files``), only when it runs no other thread, so the children share the index copy-on-write.

The workspace is untrusted: a `pickle.py` or `multiprocessing.py` at its root must never be imported.
multiprocessing starts its helper processes as `python -c ...`, which puts the current folder first
on sys.path, so:
- children run with PYTHONSAFEPATH=1 (the `-P` flag: no current folder, no script folder on sys.path);
- ``safe_sys_path`` (safepath.py) drops '' and the workspace from sys.path, in the parent (guardline's `__main__`s,
  so spawned children inherit a clean path) and in each worker (``_init_worker``);
- each worker moves to a neutral working directory (``NEUTRAL_CWD``); tasks carry absolute paths.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from guardline.safepath import safe_sys_path

PRELOAD = ["guardline.scan", "guardline.duplication"]
NEUTRAL_CWD = os.path.abspath(os.sep)


# Cyclic garbage collection in a batch run (a cold scan allocates tens of millions of short-lived
# objects): the default thresholds (700, 10, 10) ran ~2,400 collections per cold check of the stdlib,
# ~1 s of CPU in one process, 0.7 s of it in the main process walking the results it accumulates
# (timed with gc.callbacks). These collect as often in total bytes but each generation 20x less often:
# 0.55 s and 0.18 s. Batch processes only: the language server keeps the defaults (shorter pauses).
BATCH_GC_THRESHOLDS = (20_000, 20, 20)


def batch_gc() -> None:
    """Garbage collection tuned for a batch process (the CLI's scans, the pool workers): what exists
    now (imported modules, the configuration) is never scanned again, and collections are rarer."""
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)


def _init_worker(blocked: tuple[str, ...]) -> None:
    safe_sys_path(blocked)
    os.chdir(NEUTRAL_CWD)
    batch_gc()


def _context() -> multiprocessing.context.BaseContext:
    # Inherited by the fork server, the resource tracker and spawned workers (all `python -c`).
    os.environ["PYTHONSAFEPATH"] = "1"
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def default_workers() -> int:
    """Worker processes of a cold scan: `GUARDLINE_JOBS` when set (guardline org gives each repository
    task its CPU share this way), else one per CPU."""
    try:
        jobs = int(os.environ.get("GUARDLINE_JOBS", "0"))
    except ValueError:
        jobs = 0
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def worker_pool(workers: int, workspace: str | None = None) -> ProcessPoolExecutor:
    """A pool whose workers never import from ``workspace`` or the current folder."""
    blocked = tuple(os.path.abspath(p) for p in (workspace, os.getcwd()) if p)
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker,
                               initargs=(blocked,))
