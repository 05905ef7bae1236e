"""Threshold findings: metric values against per-origin limits.

This is the seam between metrics and origin: the metric code never looks at origin; here a function's
``origin`` (set by the origin layer, "unknown" until then) picks the AI or the human limits, and the
message says which limit applied and why.
"""

from __future__ import annotations

import math
from typing import Any

from guardline.config import Config
from guardline.model import Finding, FunctionMetrics
from guardline.rules import RuleMeta

RULES = [
    RuleMeta(
        id="cyclomatic", title="Cyclomatic complexity", category="complexity", default_severity="warning",
        description="1 + the decision points of a function (if, loops, cases, catches, && / ||). "
                    "High values mean many paths to test. AI-written functions get stricter limits.",
        fix="Split the function: extract branches into well-named helpers, replace flag arguments, "
            "use early returns or a lookup table instead of long if/elif chains."),
    RuleMeta(
        id="cognitive", title="Cognitive complexity", category="complexity", default_severity="warning",
        description="How hard a function is to read (SonarSource white paper v1.7): +1 per break in "
                    "linear flow, plus its nesting depth. AI-written functions get stricter limits.",
        fix="Flatten nesting with guard clauses, extract nested blocks into functions, and simplify "
            "boolean expressions."),
    RuleMeta(
        id="maintainability", title="Maintainability index", category="maintainability",
        default_severity="info",
        description="Visual Studio maintainability index (0-100) from Halstead volume, cyclomatic "
                    "complexity and lines of code. Lower is worse.",
        fix="Shorten the function and reduce its branching; long functions dominate this index."),
]

METRIC_LABELS = {"cyclomatic": "Cyclomatic complexity", "cognitive": "Cognitive complexity",
                 "maintainability": "Maintainability index"}
SEVERITY_ORDER = ("error", "warning", "info")   # the first limit crossed, from the most severe
LOWER_IS_WORSE = {"maintainability"}
EXCLUDED_ORIGINS = {"generated"}


def origin_bucket(origin: str) -> str:
    """Which limits apply: AI code has its own; human, bot and unknown code use the human ones."""
    return "ai" if origin == "ai" else "human"


def metric_value(fn: FunctionMetrics, metric: str) -> float:
    value: float = getattr(fn, metric)
    return value


def crossed(metric: str, value: float, limits: dict[str, Any]) -> tuple[str, float] | None:
    """The most severe (severity, limit) that ``value`` crosses, or None."""
    for severity in SEVERITY_ORDER:
        limit = limits.get(severity)
        if limit is None:
            continue
        if (value < limit) if metric in LOWER_IS_WORSE else (value > limit):
            return severity, limit
    return None


def why_limit(fn: FunctionMetrics) -> str:
    """Why this limit applied, in words: the origin and its evidence."""
    if fn.origin == "ai":
        detail = fn.origin_detail or {}
        tool = detail.get("tool") or "AI tool"
        parts = [f"AI-generated: {tool}"]
        commits = detail.get("commits")
        if commits:
            parts.append(f"{commits} commit{'s' if commits != 1 else ''}")
        return ", ".join(parts) + "; limit for AI code"
    if fn.origin == "human":
        return "human-written; limit for human code"
    if fn.origin == "bot":
        return "bot-written; limit for human code"
    return "no AI evidence; limit for human code"


def format_value(metric: str, value: float) -> str:
    return f"{value:.1f}" if metric == "maintainability" else str(int(value))


def evaluate_function(fn: FunctionMetrics, config: Config, path: str | None = None) -> list[Finding]:
    if fn.origin in EXCLUDED_ORIGINS:
        return []
    bucket = origin_bucket(fn.origin)
    findings: list[Finding] = []
    for metric in ("cyclomatic", "cognitive", "maintainability"):
        value = metric_value(fn, metric)
        hit = crossed(metric, value, config.limits(bucket, metric))
        if hit is None:
            continue
        severity, limit = hit
        op = "<" if metric in LOWER_IS_WORSE else ">"
        message = (f"{METRIC_LABELS[metric]} {format_value(metric, value)} {op} {format_value(metric, limit)} "
                   f"in '{fn.qualified_name}' ({why_limit(fn)})")
        findings.append(Finding(
            rule=metric, category="maintainability" if metric == "maintainability" else "complexity",
            severity=severity, start_line=fn.name_line or fn.start_line, end_line=fn.name_line or fn.start_line,
            start_column=fn.name_column, end_column=fn.name_end_column or None,
            message=message, origin=fn.origin, function=fn.qualified_name,
            data={"metric": metric, "value": round(value, 2), "limit": limit, "limits_for": bucket,
                  "function_start_line": fn.start_line, "function_end_line": fn.end_line,
                  "ai_share": round(fn.ai_share, 3)},
        ))
    return findings


def evaluate(functions: list[FunctionMetrics], config: Config) -> list[Finding]:
    """The threshold findings of ``functions``. Most functions cross no limit: they are passed over by
    three comparisons with the loosest limits of their bucket (the same answer as evaluate_function, at
    a tenth of its cost: a warm check of the stdlib evaluates 60,000 functions)."""
    quiet = {bucket: _quiet_bounds(config, bucket) for bucket in ("ai", "human")}
    findings: list[Finding] = []
    for fn in functions:
        most_cyclomatic, most_cognitive, least_maintainability = quiet[origin_bucket(fn.origin)]
        if fn.cyclomatic <= most_cyclomatic and fn.cognitive <= most_cognitive and \
                fn.maintainability >= least_maintainability:
            continue
        findings.extend(evaluate_function(fn, config))
    return findings


def _quiet_bounds(config: Config, bucket: str) -> tuple[float, float, float]:
    """Values that cross no limit of ``bucket``: cyclomatic and cognitive up to their lowest limit,
    maintainability from its highest (no limit: any value)."""
    def limits(metric: str) -> list[float]:
        given = config.limits(bucket, metric)
        return [given[severity] for severity in SEVERITY_ORDER if given.get(severity) is not None]

    return (min(limits("cyclomatic"), default=math.inf), min(limits("cognitive"), default=math.inf),
            max(limits("maintainability"), default=-math.inf))
