"""The organisation report: per-repository report documents merged into one.

Every figure is a ratio of sums: the merged value of a row is scale x sum(numerators) / sum(denominators)
over the repositories (each repository's report carries both, per origin and per AI tool), so a
repository with 5,000 functions weighs 100 times one with 50: never an average of averages.
The AI - human interval resamples *repositories* (a cluster bootstrap): functions of one repository are
not independent draws of an organisation, so the interval is wider than pooling them would claim.
A repository with no AI evidence is listed as such: it says nothing about AI code, it is not "0% AI".
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any, Iterable

from guardline.report import stats

SCHEMA_VERSION = "guardline-org/1"
SCHEMA_FILE = "org.schema.json"
ORIGINS = ("ai", "human")
NO_TEAM = "(no team)"
# Below this many repositories with data on either side, an org-level delta is a "small sample".
MIN_REPOSITORIES = 5
CAVEAT = "no AI evidence is not proof of human authorship; repositories without AI evidence are listed apart"

Unit = tuple[float, float]


def merge(outcomes: list[dict[str, Any]], *, generated: float | None = None) -> dict[str, Any]:
    """The organisation document from per-repository outcomes ({name, team, status, report, ...})."""
    ok = [o for o in outcomes if o.get("status") == "ok" and isinstance(o.get("report"), dict)]
    row_defs = _row_definitions(o["report"] for o in ok)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(generated or time.time())),
        "caveat": CAVEAT,
        "settings": {"confidence": stats.CONFIDENCE, "resamples": stats.RESAMPLES,
                     "interval": "cluster bootstrap over repositories", "min_repositories": MIN_REPOSITORIES},
        "repositories": [_repository_entry(o, row_defs) for o in outcomes],
        "failed": [{"name": o["name"], "location": o.get("location"), "error": o.get("error")}
                   for o in outcomes if o.get("status") != "ok"],
        "rows": merge_rows(row_defs, ok),
        "teams": [{"team": team, "repositories": [o["name"] for o in members], "rows": merge_rows(row_defs, members)}
                  for team, members in _by_team(ok).items()],
        "tools": _tool_rows(row_defs, ok),
        "ranking": _ranking(ok),
        "trend": {team: merge_trend(members) for team, members in _by_team(ok).items()},
    }


def _row_definitions(reports: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Row metadata (key, label, unit, scale, direction) in report order, from the first report having it."""
    seen: dict[str, dict[str, Any]] = {}
    for report in reports:
        for row in report.get("rows") or []:
            if row.get("key") and row["key"] not in seen:
                seen[row["key"]] = {k: row.get(k) for k in ("key", "label", "unit", "sample_unit", "scale",
                                                             "higher_is_better", "numerator", "denominator")}
    return list(seen.values())


def _cell_of(report: dict[str, Any], key: str, bucket: str, name: str) -> dict[str, Any] | None:
    for row in report.get("rows") or []:
        if row.get("key") == key:
            cell = (row.get(bucket) or {}).get(name)
            return cell if isinstance(cell, dict) else None
    return None


def _units(members: list[dict[str, Any]], key: str, bucket: str, name: str) -> list[tuple[str, Unit, dict[str, Any]]]:
    """(repository, (num, den), sample) for each repository whose cell has a denominator."""
    out = []
    for outcome in members:
        cell = _cell_of(outcome["report"], key, bucket, name)
        if cell and (cell.get("den") or 0) > 0:
            out.append((outcome["name"], (float(cell.get("num") or 0.0), float(cell["den"])), cell.get("sample") or {}))
    return out


def _merged_cell(units: list[tuple[str, Unit, dict[str, Any]]], scale: float) -> dict[str, Any]:
    pairs = [u for _n, u, _s in units]
    value = stats.ratio(pairs, scale)
    sample: dict[str, float] = defaultdict(float)
    for _name, _unit, part in units:
        for field, amount in part.items():
            if isinstance(amount, (int, float)):
                sample[field] += amount
    return {"value": None if value is None else round(value, 3),
            "num": round(sum(n for n, _d in pairs), 3), "den": round(sum(d for _n, d in pairs), 3),
            "repositories": [name for name, _u, _s in units], "sample": {k: round(v, 3) for k, v in sample.items()}}


def merge_rows(row_defs: list[dict[str, Any]], members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for meta in row_defs:
        scale = float(meta.get("scale") or 1.0)
        per_origin = {o: _units(members, meta["key"], "origins", o) for o in ORIGINS}
        entry = dict(meta)
        entry["origins"] = {o: _merged_cell(per_origin[o], scale) for o in ORIGINS}
        entry["delta"] = org_delta(meta, per_origin["ai"], per_origin["human"])
        rows.append(entry)
    return rows


def org_delta(meta: dict[str, Any], ai: list[tuple[str, Unit, dict[str, Any]]], human: list[tuple[str, Unit, dict[str, Any]]]
              ) -> dict[str, Any]:
    """AI - human over the organisation, with the cluster-bootstrap interval and the verdict."""
    scale = float(meta.get("scale") or 1.0)
    ai_units, human_units = [u for _n, u, _s in ai], [u for _n, u, _s in human]
    a, h = stats.ratio(ai_units, scale), stats.ratio(human_units, scale)
    if a is None or h is None:
        return {"abs": None, "pct": None, "ci95": None, "verdict": "no data"}
    ci = stats.bootstrap_ci(f"org:{meta['key']}", ai_units, human_units, scale)
    if min(len(ai_units), len(human_units)) < MIN_REPOSITORIES:
        verdict = "small sample"
    elif ci is None or ci[0] <= 0.0 <= ci[1]:
        verdict = "not significant"
    else:
        verdict = "better" if (ci[0] > 0.0) == bool(meta.get("higher_is_better")) else "worse"
    return {"abs": round(a - h, 3), "pct": round(100.0 * (a - h) / h, 1) if h else None, "ci95": ci,
            "verdict": verdict}


def _by_team(members: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    teams: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for outcome in members:
        teams[outcome.get("team") or NO_TEAM].append(outcome)
    return dict(sorted(teams.items()))


def _tool_rows(row_defs: list[dict[str, Any]], members: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per AI tool (as the evidence names it), each row merged over the repositories that have that tool."""
    names = sorted({tool for o in members for row in o["report"].get("rows") or [] for tool in (row.get("tools") or {})})
    out: dict[str, dict[str, Any]] = {}
    for tool in names:
        out[tool] = {meta["key"]: _merged_cell(_units(members, meta["key"], "tools", tool), float(meta.get("scale") or 1.0))
                     for meta in row_defs}
    return out


def _origin_value(report: dict[str, Any], key: str, origin: str) -> float | None:
    cell = _cell_of(report, key, "origins", origin)
    return cell.get("value") if cell else None


def _ranking(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Repositories by AI-attributed technical debt (hours), largest first; no AI code ranks last."""
    ranked = []
    for outcome in members:
        debt = _debt_hours(outcome["report"], "ai")
        ranked.append({"name": outcome["name"], "team": outcome.get("team") or NO_TEAM, "ai_debt_hours": debt,
                       "human_debt_hours": _debt_hours(outcome["report"], "human"),
                       "ai_share": ai_share(outcome["report"])})
    return sorted(ranked, key=lambda r: (r["ai_debt_hours"] is None, -(r["ai_debt_hours"] or 0.0), r["name"]))


def _debt_hours(report: dict[str, Any], origin: str) -> float | None:
    """Debt added over the scanned sprints (hours), the numerator of the debt-per-sprint row."""
    cell = _cell_of(report, "debt_hours_per_sprint", "origins", origin)
    if not cell or not cell.get("den"):
        return None
    return round(float(cell.get("num") or 0.0), 2)


def ai_share(report: dict[str, Any]) -> float | None:
    """Share of attributed code lines that are AI; None when there is no AI evidence at all."""
    lines = {o: _code_lines(report, o) for o in ORIGINS}
    if not lines["ai"]:
        return None
    total = lines["ai"] + lines["human"]
    return round(lines["ai"] / total, 3) if total else None


def _code_lines(report: dict[str, Any], origin: str) -> float:
    cell = _cell_of(report, "security_per_kloc", "origins", origin)     # denominator: code lines
    return float(cell.get("den") or 0.0) if cell else 0.0


def _repository_entry(outcome: dict[str, Any], row_defs: list[dict[str, Any]]) -> dict[str, Any]:
    entry = {k: outcome.get(k) for k in ("name", "location", "team", "status", "error", "head", "cached", "seconds",
                                           "shallow")}
    entry["team"] = entry["team"] or NO_TEAM
    report = outcome.get("report")
    if outcome.get("status") != "ok" or not isinstance(report, dict):
        return entry
    share = ai_share(report)
    entry["evidence"] = {"ai_evidence": share is not None, "ai_share": share,
                         "evidence_mix": report.get("evidence_mix") or {}}
    entry["values"] = {meta["key"]: {o: _origin_value(report, meta["key"], o) for o in ORIGINS} for meta in row_defs}
    return entry


# --- trend -----------------------------------------------------------------------------------------
TREND_FIELDS = {   # field -> (numerator sum, denominator sum, scale)
    "avg_cyclomatic": ("sum_cyclomatic", "functions", 1.0),
    "avg_cognitive": ("sum_cognitive", "functions", 1.0),
    "avg_maintainability": ("sum_maintainability", "functions", 1.0),
    "duplication_pct": ("duplicated_lines", "code_lines", 100.0),
    "security_per_kloc": ("security_findings", "code_lines", 1000.0),
}
WEEK = 7 * 86400


def merge_trend(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Weekly points: each repository contributes its newest sample at or before the week's end (its code
    did not change in between), sums are added, ratios taken. A point per origin only where it has code."""
    series = [sorted(((s["time"], s) for s in (o["report"].get("trend") or {}).get("samples") or []),
                     key=lambda p: p[0]) for o in members]
    times = sorted({t for samples in series for t, _s in samples})
    if not times:
        return []
    weeks = range(times[0] - times[0] % WEEK + WEEK - 1, times[-1] + WEEK, WEEK)
    points = []
    for week_end in weeks:
        current = [_latest(samples, week_end) for samples in series]
        point = _trend_point([s for s in current if s is not None], week_end)
        if point is not None:
            points.append(point)
    return points


def _latest(samples: list[tuple[int, dict[str, Any]]], when: int) -> dict[str, Any] | None:
    chosen = None
    for time_, sample in samples:
        if time_ > when:
            break
        chosen = sample
    return chosen


def _trend_point(samples: list[dict[str, Any]], week_end: int) -> dict[str, Any] | None:
    point: dict[str, Any] = {"date": time.strftime("%Y-%m-%d", time.gmtime(week_end)), "repositories": len(samples)}
    has_any = False
    for origin in ORIGINS:
        sums: dict[str, float] = defaultdict(float)
        for sample in samples:
            for field, amount in ((sample.get("rows") or {}).get(origin) or {}).items():
                if isinstance(amount, (int, float)):
                    sums[field] += amount
        if not sums.get("functions") and not sums.get("code_lines"):
            point[origin] = None          # no code of this origin yet: no point, never a 0
            continue
        has_any = True
        point[origin] = {field: (round(scale * sums[num] / sums[den], 3) if sums.get(den) else None)
                         for field, (num, den, scale) in TREND_FIELDS.items()}
        point[origin].update(functions=int(sums.get("functions", 0)), code_lines=int(sums.get("code_lines", 0)),
                             debt_hours=round(sums.get("debt_minutes", 0.0) / 60.0, 2))
    return point if has_any else None
