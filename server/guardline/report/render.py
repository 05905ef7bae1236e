"""Renderers for the report dict: text (terminal table), md, json, html (self-contained, inline SVG)."""

from __future__ import annotations

import html as _html
import json
from typing import Any

from guardline.report import charts

# (label, section, key, higher_is_better): one table line per metric, AI vs human.
METRICS = (
    ("avg cyclomatic / function", "snapshot", "avg_cyclomatic", False),
    ("avg cognitive / function", "snapshot", "avg_cognitive", False),
    ("avg maintainability index", "snapshot", "avg_maintainability", True),
    ("duplication % of code lines", "snapshot", "duplication_pct", False),
    ("security hotspots / kLOC", "snapshot", "security_per_kloc", False),
    ("technical debt (hours)", "snapshot", "debt_hours", False),
    ("line coverage %", "coverage", "line_pct", True),
    ("branch coverage %", "coverage", "branch_pct", True),
    ("bug density (buggy lines / kLOC added)", "history", "bug_density", False),
    ("churn % (rewritten within 14 days)", "history", "churn_pct", False),
    ("gate pass rate %", "gate", "pass_rate", True),
)
COUNTS = (("functions", "snapshot", "functions"), ("code lines", "snapshot", "code_lines"))


def _rows_of(report: dict[str, Any], section: str) -> dict[str, Any] | None:
    part = report.get(section)
    if not part or not part.get("rows"):
        return None
    return part["rows"]


def _delta(a: Any, h: Any) -> tuple[Any, Any]:
    if a is None or h is None:
        return None, None
    return round(a - h, 3), (round(100.0 * (a - h) / h, 1) if h else None)


def metric_table(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The uniform table every format prints: label, ai, human, delta abs/% and a note when missing."""
    table = []
    for label, section, key in COUNTS:
        rows = _rows_of(report, section) or {}
        table.append({"label": label, "ai": rows.get("ai", {}).get(key), "human": rows.get("human", {}).get(key),
                      "abs": None, "pct": None, "better": None, "note": ""})
    for label, section, key, higher in METRICS:
        rows = _rows_of(report, section)
        if rows is None:
            note = (report.get(section) or {}).get("note") or f"no {section} data"
            table.append({"label": label, "ai": None, "human": None, "abs": None, "pct": None,
                          "better": None, "note": note})
            continue
        a, h = rows.get("ai", {}).get(key), rows.get("human", {}).get(key)
        dabs, dpct = _delta(a, h)
        better = None if dabs is None or dabs == 0 else ((dabs > 0) == higher)
        table.append({"label": label, "ai": a, "human": h, "abs": dabs, "pct": dpct, "better": better,
                      "note": ""})
    return table


def evidence_lines(report: dict[str, Any]) -> list[str]:
    rows = report["snapshot"]["rows"]
    out = []
    for origin in ("ai", "human"):
        mix = rows[origin]["evidence_mix"]
        out.append(f"{origin}: evidence line-level {_pct(mix['line'])}, commit-level {_pct(mix['commit'])}, "
                   f"none {_pct(mix['none'])}")
    return out


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _fmt_delta(row: dict[str, Any]) -> str:
    if row["abs"] is None:
        return row["note"] or ""
    pct = "" if row["pct"] is None else f" ({row['pct']:+.1f}%)"
    return f"{row['abs']:+.2f}{pct}"


def _notes(report: dict[str, Any]) -> list[str]:
    notes = [f"caveat: {report['caveat']}"]
    notes += evidence_lines(report)
    tools = report["snapshot"].get("ai_tools") or []
    if tools:
        notes.append("AI code lines by tool: " + ", ".join(
            f"{t['tool_name'] or 'tool unknown'}{' (' + t['model'] + ')' if t['model'] else ''} {t['code_lines']}"
            for t in tools))
    other = report["snapshot"].get("other_origin_lines") or {}
    if other:
        notes.append("lines of other origins (not in the rows): "
                      + ", ".join(f"{k} {v}" for k, v in sorted(other.items())))
    for section in ("coverage", "history", "gate", "trend"):
        note = (report.get(section) or {}).get("summary")
        if note:
            notes.append(f"{section}: {note}")
    return notes


def render_text(report: dict[str, Any], tty: bool = False) -> str:
    table = metric_table(report)
    head = ("metric", "AI", "human", "delta AI-human")
    cells = [head] + [(r["label"], _fmt(r["ai"]), _fmt(r["human"]), _fmt_delta(r)) for r in table]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = [f"guardline report: {report['root']}  (code quality by origin)", ""]
    for index, cell in enumerate(cells):
        line = "  ".join(c.ljust(w) if i == 0 else c.rjust(w) if i < 3 else c for i, (c, w) in enumerate(zip(cell, widths)))
        if tty and index and table[index - 1]["better"] is not None:
            colour = "32" if table[index - 1]["better"] else "31"
            line = f"\x1b[{colour}m{line}\x1b[0m"
        elif tty and index == 0:
            line = f"\x1b[1m{line}\x1b[0m"
        lines.append(line.rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines += _notes(report)
    return "\n".join(lines) + "\n"


def render_md(report: dict[str, Any]) -> str:
    lines = [f"# guardline report: code quality by origin", "", f"Workspace: `{report['root']}`", "",
             "| metric | AI | human | delta AI-human |", "|---|---:|---:|---|"]
    for r in metric_table(report):
        lines.append(f"| {r['label']} | {_fmt(r['ai'])} | {_fmt(r['human'])} | {_fmt_delta(r)} |")
    lines.append("")
    lines += [f"- {n}" for n in _notes(report)]
    return "\n".join(lines) + "\n"


def render_json(report: dict[str, Any]) -> str:
    out = dict(report)
    out["table"] = metric_table(report)
    return json.dumps(out, indent=2, sort_keys=True, default=str) + "\n"


def render_html(report: dict[str, Any]) -> str:
    esc = _html.escape
    rows = []
    for r in metric_table(report):
        cls = "" if r["better"] is None else (" class=good" if r["better"] else " class=bad")
        rows.append(f"<tr{cls}><td>{esc(r['label'])}</td><td>{esc(_fmt(r['ai']))}</td>"
                    f"<td>{esc(_fmt(r['human']))}</td><td>{esc(_fmt_delta(r))}</td></tr>")
    notes = "".join(f"<li>{esc(n)}</li>" for n in _notes(report))
    figures = "".join(charts.all_charts(report))
    return (
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>guardline report</title><style>"
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}"
        "tr.good td:last-child{color:#1a7f37}tr.bad td:last-child{color:#cf222e}"
        "figure{display:inline-block;margin:1em}.ai{stroke:#8250df;fill:#8250df}.human{stroke:#0969da;fill:#0969da}"
        "</style></head><body>"
        f"<h1>Code quality by origin</h1><p>{esc(report['root'])}</p>"
        "<table id=quality><tr><th>metric</th><th>AI</th><th>human</th><th>delta AI-human</th></tr>"
        + "".join(rows) + f"</table><ul>{notes}</ul>{figures}</body></html>\n")


def render(report: dict[str, Any], fmt: str, tty: bool = False) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "md":
        return render_md(report)
    if fmt == "html":
        return render_html(report)
    return render_text(report, tty=tty)
