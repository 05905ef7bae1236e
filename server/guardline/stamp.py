"""guardline's code version: its release number and a digest of its own modules.

Every store of results computed by guardline's code (the analysis cache, origin results, the clone
store, the report's warm cache, guardline org's per-repository reports) is keyed by it: an upgrade, or
an install from another commit that kept the version number, never reads results an older code
computed (they may hold a rule's old finding). Sizes and modification times, not contents: one stat
per module, computed once per process."""

from __future__ import annotations

import functools
import hashlib
import os

from guardline import __version__


@functools.cache
def code_version() -> str:
    import guardline

    return f"{__version__}+{modules_digest(os.path.dirname(os.path.abspath(guardline.__file__)))}"


def modules_digest(package: str) -> str:
    """A digest of the path, size and modification time of every .py file under ``package``."""
    digest = hashlib.blake2b(digest_size=8)
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                st = os.stat(path)
                digest.update(f"{os.path.relpath(path, package)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return digest.hexdigest()
