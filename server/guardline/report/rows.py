"""The report's rows (docs/report.md "Rows"): each a ratio of sums over units, per origin and AI tool,
with the raw numerator and denominator (an org-level merge sums those, never averages averages), the
sample, the delta with its 95% bootstrap interval and verdict (report/stats.py), and the trend over the
period where the trend samples carry the row."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from guardline.report import stats
from guardline.report.units import ORIGINS, Units


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    unit: str               # what the value is measured in, for people ("per function", "% code lines")
    sample_unit: str        # what the interval resamples: functions | files | commits | sprints
    scale: float            # value = scale x sum(num) / sum(den)
    higher_is_better: bool
    section: str            # snapshot | coverage | history | gate | sprints
    num: str                # what the numerator sums, for the JSON
    den: str                # what the denominator sums
    trend_key: str | None = None    # field of the trend samples that draws this row over time


ROWS = (
    Row("avg_cyclomatic", "avg cyclomatic complexity", "per function", "functions", 1.0, False, "snapshot",
        "sum of cyclomatic complexity", "functions", "avg_cyclomatic"),
    Row("avg_cognitive", "avg cognitive complexity", "per function", "functions", 1.0, False, "snapshot",
        "sum of cognitive complexity", "functions", "avg_cognitive"),
    Row("avg_maintainability", "maintainability index", "0-100", "functions", 1.0, True,
        "snapshot", "sum of maintainability index", "functions", "avg_maintainability"),
    Row("duplication_pct", "duplication", "% code lines", "files", 100.0, False, "snapshot",
        "code lines inside a duplicate-code finding", "code lines", "duplication_pct"),
    Row("security_per_kloc", "security hotspots", "per kLOC", "files", 1000.0, False, "snapshot",
        "security findings", "code lines", "security_per_kloc"),
    Row("bug_density", "bug density (SZZ)", "per kLOC added", "files", 1000.0, False, "history",
        "lines later removed or modified by fix commits", "lines added"),
    Row("branch_coverage_pct", "branch test coverage", "% branches", "files", 100.0, True, "coverage",
        "covered branches", "branches"),
    Row("line_coverage_pct", "line test coverage", "% lines", "files", 100.0, True, "coverage",
        "covered lines", "instrumented lines"),
    Row("debt_hours_per_sprint", "technical debt added", "h / sprint", "sprints", 1.0, False, "sprints",
        "debt hours added over the sprints", "sprints", "debt_hours"),
    Row("churn_pct", "churn (rewritten within 14 days)", "% lines added", "files", 100.0, False, "history",
        "lines removed or rewritten within the churn window", "lines added"),
    Row("gate_pass_rate", "first-try gate pass rate", "% commits", "commits", 100.0, True, "gate",
        "commits whose changed functions carry no error", "commits"),
)
SAMPLE_FIELDS = {
    "snapshot": ("functions", "code_lines", "files"),
    "coverage": ("branches", "instrumented_lines", "coverage_files"),
    "history": ("lines_added", "history_files"),
    "gate": ("gate_commits",),
    "sprints": ("sprints",),
}


def _cell(units: list[tuple[float, float]], row: Row, sample: dict[str, Any]) -> dict[str, Any]:
    value = stats.ratio(units, row.scale)
    return {"value": None if value is None else round(value, 3),
            "num": round(sum(n for n, _d in units), 3), "den": round(sum(d for _n, d in units), 3),
            "units": len(units), "sample": sample}


def _sample(collector: Units, bucket: str, row: Row) -> dict[str, Any]:
    counts: Mapping[str, int] = collector.samples.get(bucket, {})
    return {name: round(counts.get(name, 0), 3) for name in SAMPLE_FIELDS[row.section]}


def build_rows(sections: dict[str, Units | None], notes: dict[str, str], trend: list[dict[str, Any]],
               cache: stats.IntervalCache = stats.NO_CACHE) -> list[dict[str, Any]]:
    """One entry per row. ``sections``: section -> its Units (None when missing; ``notes`` says why)."""
    out = []
    for row in ROWS:
        collector = sections.get(row.section)
        entry: dict[str, Any] = {
            "key": row.key, "label": row.label, "unit": row.unit, "sample_unit": row.sample_unit,
            "scale": row.scale, "higher_is_better": row.higher_is_better, "numerator": row.num,
            "denominator": row.den, "note": notes.get(row.section, "") if collector is None else "",
        }
        collector = collector or Units()
        entry["origins"] = {o: _cell(collector.of(row.key, o), row, _sample(collector, o, row)) for o in ORIGINS}
        entry["tools"] = {b.split(":", 1)[1]: _cell(collector.of(row.key, b), row, _sample(collector, b, row))
                          for b in collector.tools() if collector.of(row.key, b)}
        entry["delta"] = stats.delta(row.key, collector.of(row.key, "ai"), collector.of(row.key, "human"),
                                     scale=row.scale, unit=row.sample_unit, higher_is_better=row.higher_is_better,
                                     cache=cache)
        entry["trend"] = trend_change(trend, row.trend_key) if row.trend_key else None
        out.append(entry)
    return out


def trend_change(samples: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """Per origin: first and last sample where the origin has a value, change and direction."""
    if not samples:
        return None
    out: dict[str, Any] = {}
    for origin in ORIGINS:
        values = [(s["time"], (s["rows"].get(origin) or {}).get(key)) for s in samples]
        points: list[tuple[int, float]] = [(t, v) for t, v in values if v is not None]
        if not points:
            out[origin] = None
            continue
        (t0, first), (t1, last) = points[0], points[-1]
        change = round(last - first, 3)
        out[origin] = {"from": _date(t0), "to": _date(t1), "first": round(first, 3), "last": round(last, 3),
                       "change": change, "points": len(points),
                       "direction": "up" if change > 0 else "down" if change < 0 else "flat"}
    return out


def _date(when: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(when))


def sprint_units(sprints: list[dict[str, Any]]) -> Units:
    """Debt added per sprint, one unit per full sprint in which the origin had code."""
    units = Units()
    for sprint in sprints:
        for origin in ORIGINS:
            if sprint["has_code"][origin]:
                units.add("debt_hours_per_sprint", origin, sprint["added"][origin], 1)
                units.count(origin, "sprints")
    return units
