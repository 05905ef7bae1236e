"""The report as one JSON document: `guardline report --format json`, schema
`guardline/data/report.schema.json` (version SCHEMA_VERSION; docs/report.md "JSON"). The HTML and
Markdown renderers read the same document."""

from __future__ import annotations

import time
from typing import Any

from guardline.report import stats
from guardline.report.rows import ROWS

SCHEMA_VERSION = "guardline-report/1"
SCHEMA_FILE = "report.schema.json"
SAMPLE_FIELDS = ("functions", "code_lines", "avg_cyclomatic", "avg_cognitive", "avg_maintainability",
                 "duplication_pct", "security_per_kloc", "debt_hours", "sum_cyclomatic", "sum_cognitive",
                 "sum_maintainability", "duplicated_lines", "security_findings", "debt_minutes")


def _date(when: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(when))


def _section(report: dict[str, Any], name: str, keep: tuple[str, ...]) -> dict[str, Any]:
    part = report.get(name) or {}
    out = {key: part[key] for key in keep if key in part}
    out["available"] = "note" not in part
    out["note"] = part.get("note") or part.get("summary") or ""
    return out


def _samples(trend: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"sha": s["sha"], "time": s["time"], "date": _date(s["time"]),
             "rows": {o: {k: (s["rows"].get(o) or {}).get(k) for k in SAMPLE_FIELDS} for o in ("ai", "human")}}
            for s in trend.get("samples") or []]


def _velocity(history: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(w, date=_date(w["week"])) for w in history.get("weeks") or []]


def _gate_weeks(gate: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(w, date=_date(w["week"])) for w in gate.get("weeks") or []]


def document(report: dict[str, Any]) -> dict[str, Any]:
    snap = report["snapshot"]
    trend = report.get("trend") or {}
    rows = snap.get("rows") or {}
    return {
        "schema_version": SCHEMA_VERSION,
        "root": report["root"],
        "since": report.get("since"),
        "caveat": report["caveat"],
        "notes": report.get("notes") or [],       # run notes (guardline/notes.py): said once
        "settings": {"confidence": stats.CONFIDENCE, "resamples": stats.RESAMPLES, "seed": stats.SEED,
                     "min_units": dict(stats.MIN_UNITS), "sprint_days": trend.get("sprint_days", 14),
                     "churn_window_days": 14},
        "rows": report.get("rows") or [],
        "evidence_mix": {o: (rows.get(o) or {}).get("evidence_mix") for o in ("ai", "human")},
        "other_origin_lines": snap.get("other_origin_lines") or {},
        "snapshot": {"ai_tools": snap.get("ai_tools") or []},
        "files": snap.get("files", 0),
        "sections": {
            "coverage": _section(report, "coverage", ("source",)),
            "history": _section(report, "history", ("commits_scanned", "cap", "fix_commits")),
            "gate": _section(report, "gate", ()),
            "trend": _section(report, "trend", ("reused", "added")),
        },
        "trend": {"samples": _samples(trend), "sprints": [
            {"start": _date(s["start"]), "end": _date(s["end"]), "added": s["added"], "has_code": s["has_code"]}
            for s in trend.get("sprints") or []]},
        "velocity": _velocity(report.get("history") or {}),
        "gate_weeks": _gate_weeks(report.get("gate") or {}),
    }


def row_keys() -> list[str]:
    return [row.key for row in ROWS]
