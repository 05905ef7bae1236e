"""Truth rules of the report: ratio-of-sums values, the AI - human delta, its 95% bootstrap interval and the
verdict (no data | small sample | not significant | better | worse). Pure functions, no I/O.

Every row is a ratio of sums over *units* (functions, files, commits or sprints): value = scale x
sum(num) / sum(den). A mean over functions has den 1 per function; a per-kLOC rate has a file's findings
as num and its code lines as den (scale 1000). The interval resamples each origin's units with
replacement, independently, ``RESAMPLES`` times with a fixed seed per row (the same input always gives
the same interval), and takes the 2.5th and 97.5th percentiles of the resampled differences."""

from __future__ import annotations

import hashlib
import itertools
import json
import operator
import random
import sqlite3
import zlib
from array import array
from typing import Any, Sequence

RESAMPLES = 1000
CONFIDENCE = 0.95
SEED = 16
NUMPY_BLOCK = 1 << 21           # draws per numpy block (16 MB of float64): memory stays flat
# Below these many units on either side the delta is shown but marked "small sample", never coloured.
MIN_UNITS = {"functions": 30, "files": 10, "commits": 20, "sprints": 4}

Unit = tuple[float, float]          # (numerator, denominator) of one function / file / commit / sprint


def ratio(units: Sequence[Unit], scale: float = 1.0) -> float | None:
    """scale x sum(num) / sum(den), None when there is no denominator (no data, never 0.00)."""
    den = sum(d for _n, d in units)
    if den <= 0:
        return None
    return scale * sum(n for n, _d in units) / den


def _indices(rng: random.Random, count: int) -> list[int]:
    """``count`` uniform draws from range(count), generated and reduced in C (32-bit words modulo
    count: a bias below count / 2**32, far under the interval's own rounding)."""
    words = array("I", rng.randbytes(4 * count))
    return list(map(operator.mod, words, itertools.repeat(count)))


def _resampled_ratios(units: Sequence[Unit], scale: float, rng: random.Random) -> list[float | None]:
    """``RESAMPLES`` ratios of ``units`` resampled with replacement: numpy when it is installed, else
    pure Python; both make the same draws and the same sums, so the interval does not depend on it."""
    try:
        import numpy
    except ImportError:
        return _resampled_python(units, scale, rng)
    return _resampled_numpy(numpy, units, scale, rng)


def _resampled_numpy(np: Any, units: Sequence[Unit], scale: float, rng: random.Random) -> list[float | None]:
    """The resamples in blocks of about ``NUMPY_BLOCK`` draws. ``rng.randbytes(4n)`` consumes exactly n
    32-bit words, so the blocks draw what the per-resample calls of ``_resampled_python`` draw; the sums
    run left to right (``add.accumulate``, as ``sum()`` does; not numpy's pairwise sum), so every
    resampled value is the same float."""
    count = len(units)
    nums = np.array([float(n) for n, _d in units], dtype=np.float64)
    dens = np.array([float(d) for _n, d in units], dtype=np.float64)
    mean = bool((dens == 1.0).all())            # functions, commits, sprints: den is the count itself
    out: list[float | None] = []
    per_block = max(1, NUMPY_BLOCK // count)
    for first in range(0, RESAMPLES, per_block):
        rows = min(per_block, RESAMPLES - first)
        chosen = np.frombuffer(rng.randbytes(4 * count * rows), dtype="<u4").reshape(rows, count) % count
        num_sums = np.add.accumulate(nums[chosen], axis=1)[:, -1]
        if mean:
            out.extend(float(v) for v in scale * num_sums / count)
            continue
        den_sums = np.add.accumulate(dens[chosen], axis=1)[:, -1]
        out.extend(scale * float(n) / float(d) if d > 0 else None for n, d in zip(num_sums, den_sums))
    return out


def _resampled_python(units: Sequence[Unit], scale: float, rng: random.Random) -> list[float | None]:
    nums = [n for n, _d in units]
    dens = [d for _n, d in units]
    count = len(units)
    mean = all(d == 1.0 for d in dens)          # functions, commits, sprints: den is the count itself
    out: list[float | None] = []
    for _ in range(RESAMPLES):
        if mean:
            words = array("I", rng.randbytes(4 * count))
            out.append(scale * sum(map(nums.__getitem__, map(operator.mod, words, itertools.repeat(count)))) / count)
            continue
        chosen = _indices(rng, count)
        den = sum(map(dens.__getitem__, chosen))
        out.append(scale * sum(map(nums.__getitem__, chosen)) / den if den > 0 else None)
    return out


def bootstrap_ci(key: str, ai: Sequence[Unit], human: Sequence[Unit], scale: float = 1.0) -> list[float] | None:
    """95% percentile interval of ratio(ai) - ratio(human) under resampling of each side's units."""
    if not ai or not human or ratio(ai) is None or ratio(human) is None:
        return None
    rng = random.Random(SEED * 1_000_003 + zlib.crc32(key.encode()))
    diffs = sorted(a - h for a, h in zip(_resampled_ratios(ai, scale, rng), _resampled_ratios(human, scale, rng))
                   if a is not None and h is not None)
    if not diffs:
        return None
    tail = (1.0 - CONFIDENCE) / 2.0
    low = diffs[int(tail * (len(diffs) - 1))]
    high = diffs[int(round((1.0 - tail) * (len(diffs) - 1)))]
    return [round(low, 3), round(high, 3)]


def verdict(ai_value: float | None, human_value: float | None, ci: list[float] | None, units: dict[str, int],
            unit: str, higher_is_better: bool) -> str:
    """no data | small sample | not significant | better | worse (AI relative to human)."""
    if ai_value is None or human_value is None:
        return "no data"
    if min(units.get("ai", 0), units.get("human", 0)) < MIN_UNITS.get(unit, 0):
        return "small sample"
    if ci is None or ci[0] <= 0.0 <= ci[1]:
        return "not significant"
    ai_higher = ci[0] > 0.0
    return "better" if ai_higher == higher_is_better else "worse"


class IntervalCache:
    """Intervals already computed, by a digest of their exact input (row key, both sides' units, the
    resampling settings): a report over unchanged data never resamples again. SQLite in .guardline/."""

    VERSION = "ci-1"

    def __init__(self, path: str | None) -> None:
        self.db = None
        if path:
            try:
                self.db = sqlite3.connect(path)
                self.db.execute("CREATE TABLE IF NOT EXISTS intervals (digest TEXT PRIMARY KEY, ci TEXT)")
            except sqlite3.Error:
                self.db = None

    @staticmethod
    def digest(key: str, ai: Sequence[Unit], human: Sequence[Unit], scale: float) -> str:
        text = repr((IntervalCache.VERSION, RESAMPLES, SEED, CONFIDENCE, key, scale, list(ai), list(human)))
        return hashlib.sha256(text.encode()).hexdigest()

    def interval(self, key: str, ai: Sequence[Unit], human: Sequence[Unit], scale: float) -> list[float] | None:
        if self.db is None:
            return bootstrap_ci(key, ai, human, scale)
        digest = self.digest(key, ai, human, scale)
        row = self.db.execute("SELECT ci FROM intervals WHERE digest=?", (digest,)).fetchone()
        if row is not None:
            stored: list[float] = json.loads(row[0])
            return stored
        ci = bootstrap_ci(key, ai, human, scale)
        self.db.execute("INSERT OR REPLACE INTO intervals VALUES (?,?)", (digest, json.dumps(ci)))
        self.db.commit()
        return ci

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


NO_CACHE = IntervalCache(None)


def delta(key: str, ai: Sequence[Unit], human: Sequence[Unit], *, scale: float, unit: str,
          higher_is_better: bool, cache: IntervalCache = NO_CACHE) -> dict[str, Any]:
    """The delta block of one row: abs and % only when both sides have data, the interval, the verdict."""
    a, h = ratio(ai, scale), ratio(human, scale)
    if a is None or h is None:
        return {"abs": None, "pct": None, "ci95": None, "verdict": "no data"}
    ci = cache.interval(key, ai, human, scale)
    return {"abs": round(a - h, 3), "pct": round(100.0 * (a - h) / h, 1) if h else None, "ci95": ci,
            "verdict": verdict(a, h, ci, {"ai": len(ai), "human": len(human)}, unit, higher_is_better)}
