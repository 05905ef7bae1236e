"""Findings as text for the agent: one line per finding, `path:line: ...` (aider's and most agents'
format), factual, with what to act on: the value and the limit, the worst increments of a function
(from `explain`), the other place of a duplicated block, the CWE and the rule's fix hint. Capped
to the host's limit (at most MAX_FINDINGS findings; a last line says how many were left out)."""

from __future__ import annotations

import os

from guardline.agents.netnew import NewFinding
from guardline.model import FunctionMetrics
from guardline.thresholds import format_value

MAX_FINDINGS = 20
WORST_INCREMENTS = 3
HINT_CHARS = 160


def worst_increments(fn: FunctionMetrics | None, metric: str) -> str:
    if fn is None or metric not in ("cognitive", "cyclomatic"):
        return ""
    incs = sorted((i for i in fn.increments if i.metric == metric), key=lambda i: (-i.amount, i.line))
    parts = [f"line {i.line} +{i.amount} {i.construct}" + (f" (nesting {i.nesting})" if i.nesting else "")
             for i in incs[:WORST_INCREMENTS]]
    return "; worst: " + ", ".join(parts) if parts else ""


def _hint(rule: str) -> str:
    from guardline.rules import rule_by_id     # every rule module: only when there is something to say

    meta = rule_by_id(rule)
    if meta is None or not meta.fix:
        return ""
    fix = meta.fix if len(meta.fix) <= HINT_CHARS else meta.fix[:HINT_CHARS - 1].rstrip() + "…"
    return f" Fix: {fix}"


def describe(item: NewFinding, root: str | None = None) -> str:
    """One line for one finding: `path:line: what, value vs limit, where to act. Fix: hint`."""
    f = item.finding
    where = f"{item.path}:{f.start_line}"
    if f.category in ("complexity", "maintainability"):
        text = f"{where}: {_metric_text(item)}"
    elif f.category == "duplication":
        text = f"{where}: {_clone_text(item, root)}"
    else:
        cwe = f"{f.cwe} " if f.cwe else ""
        text = f"{where}: {cwe}{f.rule}: {_strip_suffix(f.message)}."
    return text + _hint(f.rule)


def _metric_text(item: NewFinding) -> str:
    f = item.finding
    metric = f.data.get("metric", f.rule)
    limit = f.data.get("limit")
    op = "<" if metric == "maintainability" else ">"
    shown_limit = format_value(metric, limit) if limit is not None else "?"
    was = f", was {format_value(metric, item.before)}" if item.before is not None else ", new function"
    return (f"{metric} {format_value(metric, f.data.get('value', 0))} {op} {shown_limit} (AI limit, {f.severity}) "
            f"in '{f.function}'{was}{worst_increments(item.function, metric)}.")


def _clone_text(item: NewFinding, root: str | None) -> str:
    f = item.finding
    also = ""
    if f.related:
        other = f.related[0]
        path = os.path.relpath(other.path, root) if root and os.path.isabs(other.path) else other.path
        also = f", also at {path}:{other.start_line}-{other.end_line}"
        if len(f.related) > 1:
            also += f" (+{len(f.related) - 1} more)"
    lines = f.data.get("lines", f.end_line - f.start_line + 1)
    return f"duplicated block of {lines} lines ({f.data.get('tokens', '?')} tokens){also}."


def _strip_suffix(message: str) -> str:
    return message.split(" (AI-generated code")[0].rstrip(".")


def render_findings(items: list[NewFinding], limit: int, root: str | None = None, *, header: str | None = None,
                    plain: bool = False) -> str | None:
    """The feedback text, or None when there is nothing to say. ``plain``: lines only (aider)."""
    if not items:
        return None
    files = sorted({i.path for i in items})
    head = header or (f"guardline: {len(items)} new finding{'s' if len(items) != 1 else ''} in "
                      f"{', '.join(files)} from this edit (limits for AI-written code):")
    lines = [] if plain else [head]
    used = len(head) + 1
    shown = 0
    for item in items[:MAX_FINDINGS]:
        line = describe(item, root)
        if limit and used + len(line) + 1 > limit - 80:
            break
        lines.append(line)
        used += len(line) + 1
        shown += 1
    if shown < len(items):
        lines.append(f"... and {len(items) - shown} more (run `guardline check {' '.join(files)}`).")
    return "\n".join(lines)
