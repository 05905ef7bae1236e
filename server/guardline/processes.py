"""Worker pools for cold scans.

Never fork a process that runs threads (the language server does): a child forked while another
thread holds a lock (logging, imports, SQLite) can hang forever. Workers come from a fork server
started from a clean process instead; it preloads guardline so workers start fast.
"""

from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

PRELOAD = ["guardline.scan", "guardline.duplication"]


def _context():
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def worker_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())
