"""Per-origin quality snapshot at HEAD: averages, duplication, security density, debt, evidence mix.

Pure aggregation over FileResult + FileOrigin; no git, no I/O."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from guardline.model import FileResult, Finding, FunctionMetrics
from guardline.origin.functions import _evidence_level
from guardline.origin.records import FileOrigin, LineOrigin
from guardline.report.units import Units, buckets

Keep = Callable[[LineOrigin | None], bool]     # --since: is this line in the period?
ToolLines = Counter[tuple[str | None, str | None]]   # (tool, model) -> AI code lines

ROW_ORIGINS = ("ai", "human")
CAVEAT = "no AI evidence is not proof of human authorship"

# Technical-debt model: minutes to remediate one finding = category base x severity factor,
# unless the rule has its own entry. Documented in docs/report.md.
CATEGORY_MINUTES = {"complexity": 30, "maintainability": 20, "duplication": 15, "security": 45, "reliability": 20}
SEVERITY_FACTOR = {"error": 2.0, "warning": 1.0, "info": 0.5, "hint": 0.25}
RULE_MINUTES: dict[str, float] = {"file-duplication": 0.0}   # summary of duplicate-code findings: not extra work


def remediation_minutes(rule: str, category: str, severity: str) -> float:
    if rule in RULE_MINUTES:
        return RULE_MINUTES[rule]
    return CATEGORY_MINUTES.get(category, 20) * SEVERITY_FACTOR.get(severity, 1.0)


@dataclass
class OriginTotals:
    """Accumulators for one origin; `row()` turns them into the reported figures."""

    functions: int = 0
    cyclomatic: float = 0.0
    cognitive: float = 0.0
    maintainability: float = 0.0
    code_lines: int = 0
    duplicated_lines: int = 0
    security_findings: int = 0
    debt_minutes: float = 0.0
    evidence: Counter[str] = field(default_factory=Counter)

    def row(self) -> dict[str, Any]:
        n = self.functions
        kloc = self.code_lines / 1000.0
        ev_total = sum(self.evidence.values())
        return {
            "functions": n,
            "code_lines": self.code_lines,
            "avg_cyclomatic": _ratio(self.cyclomatic, n),
            "avg_cognitive": _ratio(self.cognitive, n),
            "avg_maintainability": _ratio(self.maintainability, n),
            "duplication_pct": _ratio(100.0 * self.duplicated_lines, self.code_lines),
            "security_per_kloc": _ratio(self.security_findings, kloc),
            "security_findings": self.security_findings,
            "debt_hours": round(self.debt_minutes / 60.0, 2) if self.code_lines else None,
            "evidence_mix": {
                "line": _ratio(self.evidence["line"], ev_total),
                "commit": _ratio(self.evidence["commit"] + self.evidence["file"], ev_total),
                "none": _ratio(self.evidence["none"], ev_total),
            },
        }


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 3) if den else None


def is_code_line(text: str) -> bool:
    """Non-blank line: the unit of "code lines" (kLOC) across the report."""
    return bool(text.strip())


def snapshot(results: Iterable[FileResult], origins: dict[str, FileOrigin],
             texts: dict[str, list[str]], in_period: Callable[[LineOrigin | None], bool] | None = None
             ) -> dict[str, Any]:
    """Rows per origin plus their delta. ``origins``/``texts`` are keyed by FileResult.path.

    ``units`` holds the per-function and per-file observations (report/units.py) the rows and their
    intervals come from; ``in_period`` (``--since``) keeps only lines introduced in the period."""
    totals = {name: OriginTotals() for name in ROW_ORIGINS}
    other_lines: Counter[str] = Counter()
    units = Units()
    tools: ToolLines = Counter()
    keep = in_period or _keep_all
    for result in results:
        _add_file(totals, other_lines, units, result, origins.get(result.path), texts.get(result.path, []), keep,
                  tools)
    rows = {name: t.row() for name, t in totals.items()}
    return {"rows": rows, "delta": delta(rows["ai"], rows["human"]),
            "other_origin_lines": dict(other_lines), "ai_tools": ai_tools(tools), "caveat": CAVEAT, "units": units}


def ai_tools(tools: ToolLines) -> list[dict[str, Any]]:
    """AI code lines per (tool, model), most lines first: which agents wrote the AI row."""
    from guardline.origin.patterns import tool_display
    return [{"tool": tool, "tool_name": tool_display(tool), "model": model, "code_lines": count}
            for (tool, model), count in sorted(tools.items(), key=lambda item: (-item[1], str(item[0])))]


def _line_origin(file_origin: FileOrigin | None, line: int) -> LineOrigin | None:
    return file_origin.line(line) if file_origin else None


def add_function_totals(totals: dict[str, OriginTotals], functions: Iterable[FunctionMetrics]) -> None:
    """Per-origin sums of the function metrics (the report's averages), shared with the trend."""
    for fn in functions:
        t = totals.get(fn.origin)
        if t is not None:
            t.functions += 1
            t.cyclomatic += fn.cyclomatic
            t.cognitive += fn.cognitive
            t.maintainability += fn.maintainability


def function_buckets(fn: FunctionMetrics) -> list[str]:
    return buckets(fn.origin, (fn.origin_detail or {}).get("tool"))


def _keep_all(_rec: LineOrigin | None) -> bool:
    return True


def _function_in_period(fn: FunctionMetrics, file_origin: FileOrigin | None, keep: Keep) -> bool:
    if keep is _keep_all:
        return True
    records = [_line_origin(file_origin, n) for n in range(fn.start_line, fn.end_line + 1)]
    inside = sum(1 for rec in records if keep(rec))
    return 2 * inside >= len(records)


def _add_functions(totals: dict[str, OriginTotals], units: Units, functions: list[FunctionMetrics],
                   file_origin: FileOrigin | None, keep: Keep) -> None:
    chosen = [fn for fn in functions if _function_in_period(fn, file_origin, keep)]
    add_function_totals(totals, chosen)
    for fn in chosen:
        for bucket in function_buckets(fn):
            units.add("avg_cyclomatic", bucket, fn.cyclomatic, 1)
            units.add("avg_cognitive", bucket, fn.cognitive, 1)
            units.add("avg_maintainability", bucket, fn.maintainability, 1)
            units.count(bucket, "functions")


def finding_origin(finding: Finding, file_origin: FileOrigin | None) -> tuple[str, str | None]:
    """A finding's (origin, tool): its function's origin, else (module-level code) its first line's."""
    rec = _line_origin(file_origin, finding.start_line)
    if finding.origin in ROW_ORIGINS:
        return finding.origin, rec.tool if rec is not None and rec.origin == finding.origin else None
    return (rec.origin, rec.tool) if rec is not None else ("unknown", None)


def _add_file(totals: dict[str, OriginTotals], other: Counter[str], units: Units, result: FileResult,
              file_origin: FileOrigin | None, lines: list[str], keep: Keep, tools: ToolLines | None = None) -> None:
    _add_functions(totals, units, result.functions, file_origin, keep)
    per_file: dict[str, list[float]] = {}             # bucket -> [code lines, duplicated, security, debt min]
    _add_lines(totals, other, per_file, duplicated_lines(result.findings), file_origin, lines, keep, tools)
    _add_findings(totals, per_file, result.findings, file_origin, keep)
    for bucket, (code, dup, security, _minutes) in per_file.items():
        if code:
            units.add("duplication_pct", bucket, dup, code)
            units.add("security_per_kloc", bucket, security, code)
            units.count(bucket, "files")
            units.count(bucket, "code_lines", int(code))   # a count of lines (the list also holds minutes)


def _file_acc(per_file: dict[str, list[float]], bucket: str) -> list[float]:
    return per_file.setdefault(bucket, [0, 0, 0, 0.0])


def _add_lines(totals: dict[str, OriginTotals], other: Counter[str], per_file: dict[str, list[float]],
               duplicated: set[int], file_origin: FileOrigin | None, lines: list[str], keep: Keep,
               tools: ToolLines | None) -> None:
    """Code lines per origin (and AI tool), with their duplicated share and evidence level."""
    for number, text in enumerate(lines, start=1):
        rec = _line_origin(file_origin, number)
        if not is_code_line(text) or not keep(rec):
            continue
        origin = rec.origin if rec else "unknown"
        if origin == "ai-modified":      # AI lines a person changed: in the AI row, and counted apart
            other[origin] += 1
            origin = "ai"
        t = totals.get(origin)
        if t is None:
            other[origin] += 1
            continue
        t.code_lines += 1
        if origin == "ai" and tools is not None and rec is not None:   # "ai" comes from a record
            tools[(rec.tool, rec.model)] += 1
        t.duplicated_lines += number in duplicated
        t.evidence[_evidence_level(rec) if rec else "none"] += 1
        for bucket in buckets(origin, rec.tool if rec else None):
            acc = _file_acc(per_file, bucket)
            acc[0] += 1
            acc[1] += number in duplicated


def _add_findings(totals: dict[str, OriginTotals], per_file: dict[str, list[float]], findings: list[Finding],
                  file_origin: FileOrigin | None, keep: Keep) -> None:
    """Security findings and remediation minutes per finding origin (module-level: its own lines')."""
    for finding in findings:
        origin, tool = finding_origin(finding, file_origin)
        t = totals.get(origin)
        if t is None or not keep(_line_origin(file_origin, finding.start_line)):
            continue
        minutes = remediation_minutes(finding.rule, finding.category, finding.severity)
        t.security_findings += finding.category == "security"
        t.debt_minutes += minutes
        for bucket in buckets(origin, tool):
            acc = _file_acc(per_file, bucket)
            acc[2] += finding.category == "security"
            acc[3] += minutes


def duplicated_lines(findings: Iterable[Finding]) -> set[int]:
    """Lines inside a `duplicate-code` finding's range (the duplication % numerator)."""
    lines: set[int] = set()
    for finding in findings:
        if finding.rule == "duplicate-code":
            lines.update(range(finding.start_line, finding.end_line + 1))
    return lines


DELTA_KEYS = ("avg_cyclomatic", "avg_cognitive", "avg_maintainability", "duplication_pct",
              "security_per_kloc", "debt_hours")


def delta(ai: dict[str, Any], human: dict[str, Any], keys: Iterable[str] = DELTA_KEYS) -> dict[str, Any]:
    """AI minus human, absolute and relative to human (None when either side is missing or human is 0)."""
    out: dict[str, Any] = {}
    for key in keys:
        a, h = ai.get(key), human.get(key)
        if a is None or h is None:
            out[key] = {"abs": None, "pct": None}
            continue
        out[key] = {"abs": round(a - h, 3), "pct": round(100.0 * (a - h) / h, 1) if h else None}
    return out
