"""Keep an untrusted workspace off sys.path (the effect of `python -P`, after the fact).

Imports only os and sys (already loaded at interpreter start), so calling it first thing in a
`__main__` happens before anything could be imported from the current folder.
"""

from __future__ import annotations

import os
import sys


def safe_sys_path(blocked: tuple[str, ...] = ()) -> None:
    """Remove '' and relative entries, the current folder and every folder in ``blocked`` from sys.path."""
    try:
        cwd = os.getcwd()
    except OSError:      # the current folder was deleted
        cwd = ""
    unsafe = {os.path.realpath(p) for p in (cwd, *blocked) if p}
    sys.path[:] = [p for p in sys.path if p and os.path.isabs(p) and os.path.realpath(p) not in unsafe]
