"""Shared by the benches that time guardline beside its peers (not a bench itself: run_all skips it).

CPU of the whole process tree: orphaned descendants (a fork server's pool workers) are re-parented to a
subreaper and reaped there, so RUSAGE_CHILDREN counts them. Bytecode written once: with
PYTHONDONTWRITEBYTECODE set (agent shells, some CI images) an editable install compiles every module
again in each run, ~1-2 s of CPU the peers (installed with bytecode) never pay."""

from __future__ import annotations

import compileall
import ctypes
import os

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """This process reaps its orphaned descendants (Linux only; False elsewhere)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_all() -> None:
    """Wait for every remaining descendant (re-parented here by the subreaper flag)."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def compile_guardline() -> None:
    """Write guardline's bytecode once, as pip does when it installs a wheel."""
    import guardline

    compileall.compile_dir(os.path.dirname(guardline.__file__), quiet=1)
