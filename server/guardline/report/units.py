"""Per-unit observations behind every report row: metric key -> bucket -> [(num, den)], plus sample counts.

A bucket is an origin ("ai", "human") or an AI tool ("tool:Claude Code"); a unit is one function, file,
commit or sprint (report/stats.py resamples them for the interval). Sections (snapshot, coverage,
history, gate, sprint debt) fill one collector each; report/rows.py turns them into rows."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

ORIGINS = ("ai", "human")
_UNSAFE = re.compile(r"[^A-Za-z0-9 ._+()/-]")


@lru_cache(maxsize=256)
def tool_bucket(tool: str | None) -> str | None:
    """'tool:<name>' for a named AI tool (names come from commit metadata: only plain characters kept)."""
    if not tool:
        return None
    from guardline.origin.patterns import tool_display

    name = _UNSAFE.sub("", str(tool_display(tool))).strip()[:40]
    return f"tool:{name}" if name else None


def buckets(origin: str | None, tool: str | None) -> list[str]:
    """The buckets one observation counts in: its origin, and its tool when AI."""
    if origin not in ORIGINS:
        return []
    extra = tool_bucket(tool) if origin == "ai" else None
    return [origin, extra] if extra else [origin]


class Units:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
        self.samples: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, key: str, bucket: str, num: float, den: float) -> None:
        self.data[key][bucket].append((float(num), float(den)))

    def count(self, bucket: str, name: str, amount: int = 1) -> None:
        self.samples[bucket][name] += amount

    def of(self, key: str, bucket: str) -> list[tuple[float, float]]:
        return self.data.get(key, {}).get(bucket, [])

    def tools(self) -> list[str]:
        found = {b for per in self.data.values() for b in per if b.startswith("tool:")}
        return sorted(found | {b for b in self.samples if b.startswith("tool:")})
