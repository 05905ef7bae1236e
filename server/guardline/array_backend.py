"""Whether clone tokens and fingerprints are computed with numpy or with plain Python loops.

numpy (the default) is for bulk work: the CLI's scans, the report, worker processes. The language
server turns it off (``use_numpy(False)`` at start): it tokenises and hashes one open document at a
time, when typing pauses, where the loops cost a few milliseconds, while numpy would stay in the
server's memory all day (+11 MB RSS). Its workspace scan runs in worker processes, which start fresh
and keep numpy. Both paths give the same arrays (tests/test_duplication_arrays.py)."""

from __future__ import annotations

_numpy = True


def use_numpy(enabled: bool) -> None:
    global _numpy
    _numpy = enabled


def numpy_enabled() -> bool:
    return _numpy
