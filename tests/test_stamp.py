"""Stores of computed results are keyed by guardline's code version (guardline/stamp.py), so a changed
installation never reads results an older code computed: an install from another commit that kept the
version number used to read the analysis cache of the old rules (a stale finding stayed until the file
changed)."""

from __future__ import annotations

import os

from guardline import cache, stamp
from guardline.config import Config
from guardline.workspace import Workspace


def test_the_modules_digest_follows_a_module_changed_in_place(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "sub" / "b.py").write_text("y = 2\n")
    (package / "notes.txt").write_text("not code\n")
    before = stamp.modules_digest(str(package))
    assert stamp.modules_digest(str(package)) == before, "stable while nothing changes"
    (package / "notes.txt").write_text("still not code, longer\n")
    assert stamp.modules_digest(str(package)) == before, "only modules count"
    os.utime(package / "sub" / "b.py", ns=(1, 1))
    assert stamp.modules_digest(str(package)) != before, "a module touched (same size): another digest"


def test_the_analysis_cache_key_holds_the_code_version(monkeypatch):
    key = cache.content_key(b"def f(x):\n    return x\n", "python", "guardline")
    monkeypatch.setattr(cache, "code_version", lambda: "0.0.0+another")
    assert cache.content_key(b"def f(x):\n    return x\n", "python", "guardline") != key
    assert stamp.code_version().startswith(stamp.__version__ + "+"), "release number and digest"


def test_a_check_after_a_code_change_analyses_again(tmp_path, monkeypatch):
    """The cache a check wrote is read by the next check of the same code, and is a miss for another
    code version: every file is analysed again."""
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(f"def {name[0]}(x):\n    if x:\n        return 1\n    return 2\n")
    hits: list[int] = []
    real = cache.MetricsCache.get_many

    def counted(self, keys):
        found = real(self, keys)
        hits.append(len(found))
        return found

    monkeypatch.setattr(cache.MetricsCache, "get_many", counted)

    def check() -> int:
        hits.clear()
        workspace = Workspace(str(tmp_path), Config(), with_origin=False)
        workspace.check(workspace.discover())
        return sum(hits)

    assert check() == 0, "cold"
    assert check() == 2, "warm: both files from the cache"
    monkeypatch.setattr(cache, "code_version", lambda: "0.0.0+another")
    assert check() == 0, "another code version: nothing read"
