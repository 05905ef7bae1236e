"""Renderers for the report: text (terminal table), md, json (report/document.py); html is report/html.py,
which uses the cell formatters here (``render`` in report/__init__.py picks the format).

Every format prints the same rows: per origin the value and its sample, the AI - human delta with its
95% interval and verdict, then the AI tools, the trend over the period and the notes."""

from __future__ import annotations

import json
from typing import Any

from guardline.report import stats
from guardline.report.document import document

HEAD = ("row", "unit", "AI", "human", "AI - human [95% CI]", "verdict")
GOOD, BAD = "32", "31"


def fmt_value(value: Any) -> str:
    return "no data" if value is None else f"{value:.2f}"


def fmt_sample(cell: dict[str, Any], row: dict[str, Any]) -> str:
    """The sample behind one value, in the row's own units."""
    s = cell["sample"]
    unit = row["sample_unit"]
    if unit == "functions":
        return f"{int(s.get('functions', 0))} functions"
    if unit == "commits":
        return f"{int(s.get('gate_commits', 0))} commits"
    if unit == "sprints":
        return f"{int(s.get('sprints', 0))} sprints"
    if "code_lines" in s:
        return f"{s['code_lines'] / 1000:.2f} kLOC, {int(s.get('files', 0))} files"
    if "lines_added" in s:
        return f"{s['lines_added'] / 1000:.2f} kLOC added, {int(s.get('history_files', 0))} files"
    if row["key"] == "branch_coverage_pct":
        return f"{int(s.get('branches', 0))} branches, {int(s.get('coverage_files', 0))} files"
    return f"{int(s.get('instrumented_lines', 0))} lines, {int(s.get('coverage_files', 0))} files"


def fmt_cell(cell: dict[str, Any], row: dict[str, Any]) -> str:
    if cell["value"] is None:
        return "no data"
    return f"{cell['value']:.2f} ({fmt_sample(cell, row)})"


def fmt_delta(row: dict[str, Any]) -> str:
    d = row["delta"]
    if d["abs"] is None:
        return "-"
    pct = "" if d["pct"] is None else f" ({d['pct']:+.0f}%)"
    ci = "" if d["ci95"] is None else f" [{d['ci95'][0]:+.2f}, {d['ci95'][1]:+.2f}]"
    return f"{d['abs']:+.2f}{pct}{ci}"


def fmt_verdict(row: dict[str, Any]) -> str:
    verdict: str = row["delta"]["verdict"]
    return {"better": "AI better", "worse": "AI worse"}.get(verdict, verdict)


def table_cells(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [(r["label"], r["unit"], fmt_cell(r["origins"]["ai"], r), fmt_cell(r["origins"]["human"], r),
             fmt_delta(r), fmt_verdict(r)) for r in rows]


TOOL_COLUMNS = (("functions", "avg_cyclomatic", "functions"), ("kLOC", "security_per_kloc", "kloc"),
                ("cyclomatic", "avg_cyclomatic", "value"), ("cognitive", "avg_cognitive", "value"),
                ("MI", "avg_maintainability", "value"), ("dup %", "duplication_pct", "value"),
                ("sec/kLOC", "security_per_kloc", "value"), ("bugs/kLOC", "bug_density", "value"),
                ("churn %", "churn_pct", "value"), ("gate %", "gate_pass_rate", "value"))


def tool_table(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """One line per AI tool named by the evidence: its sample and values (no interval: a split)."""
    by_key = {r["key"]: r for r in rows}
    tools = sorted({t for r in rows for t in r["tools"]})
    out = []
    for tool in tools:
        cells = [tool]
        for _title, key, what in TOOL_COLUMNS:
            cell = by_key[key]["tools"].get(tool)
            if cell is None:
                cells.append("-")
            elif what == "functions":
                cells.append(str(int(cell["sample"].get("functions", 0))))
            elif what == "kloc":
                cells.append(f"{cell['sample'].get('code_lines', 0) / 1000:.2f}")
            else:
                cells.append(fmt_value(cell["value"]))
        out.append(tuple(cells))
    return out


def trend_lines(doc: dict[str, Any]) -> list[str]:
    """Direction and change over the period, per row and origin, from the first to the last sample
    where the origin has code."""
    samples = doc["trend"]["samples"]
    if not samples:
        return []
    out = [f"trend over {len(samples)} samples, {samples[0]['date']} to {samples[-1]['date']} "
           "(first to last sample where the origin has code):"]
    arrow = {"up": "up", "down": "down", "flat": "flat"}
    for row in doc["rows"]:
        if not row["trend"]:
            continue
        parts = []
        for origin in ("ai", "human"):
            t = row["trend"].get(origin)
            label = "AI" if origin == "ai" else "human"
            if t is None:
                parts.append(f"{label} no data")
            else:
                parts.append(f"{label} {arrow[t['direction']]} {t['change']:+.2f} "
                             f"({t['first']:.2f} -> {t['last']:.2f}, {t['from']} to {t['to']})")
        out.append(f"  {row['label']}: " + "; ".join(parts))
    return out


def notes(doc: dict[str, Any]) -> list[str]:
    out = [f"{note['level']}: {note['message']}" for note in doc.get("notes") or ()]   # run notes first
    out.append(f"caveat: {doc['caveat']}")
    for origin in ("ai", "human"):
        mix = doc["evidence_mix"].get(origin) or {}
        out.append(f"{origin} evidence: line-level {_pct(mix.get('line'))}, commit-level {_pct(mix.get('commit'))}, "
                   f"none {_pct(mix.get('none'))}")
    tools = doc["snapshot"]["ai_tools"]
    if tools:
        out.append("AI code lines by tool: " + ", ".join(
            f"{t['tool_name'] or 'tool unknown'}{' (' + t['model'] + ')' if t['model'] else ''} {t['code_lines']}"
            for t in tools))
    other = dict(doc["other_origin_lines"])
    modified = other.pop("ai-modified", 0)
    if modified:
        out.append(f"AI-written lines changed by a person since (ai-modified, counted in the AI row): {modified}")
    if other:
        out.append("lines of other origins (not in the rows): "
                   + ", ".join(f"{k} {v}" for k, v in sorted(other.items())))
    m = doc["settings"]["min_units"]
    out.append(f"interval: {int(100 * stats.CONFIDENCE)}% bootstrap of AI - human ({stats.RESAMPLES} resamples of "
               f"functions, files, commits or sprints); 'small sample' under {m['functions']} functions, "
               f"{m['files']} files, {m['commits']} commits or {m['sprints']} sprints on a side; "
               "'not significant' when the interval contains 0")
    for name, section in doc["sections"].items():
        if section["note"]:
            out.append(f"{name}: {section['note']}")
    return out


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}%"


def _aligned(cells: list[tuple[str, ...]], head: tuple[str, ...]) -> list[str]:
    widths = [max(len(c[i]) for c in [head, *cells]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths)).rstrip() for cell in cells]
    return lines


def render_text(report: dict[str, Any], tty: bool = False) -> str:
    doc = document(report)
    since = f"; since {doc['since']}" if doc["since"] else ""
    lines = [f"guardline report: {doc['root']}  (code quality by origin{since})", ""]
    table = _aligned(table_cells(doc["rows"]), HEAD)
    for index, line in enumerate(table):
        if tty and index >= 2:
            verdict = doc["rows"][index - 2]["delta"]["verdict"]
            colour = GOOD if verdict == "better" else BAD if verdict == "worse" else None
            line = f"\x1b[{colour}m{line}\x1b[0m" if colour else line
        elif tty and index == 0:
            line = f"\x1b[1m{line}\x1b[0m"
        lines.append(line)
    tools = tool_table(doc["rows"])
    if tools:
        lines += ["", "by AI tool (where the evidence names one):"]
        lines += _aligned(tools, ("tool", *(title for title, _k, _w in TOOL_COLUMNS)))
    trend = trend_lines(doc)
    if trend:
        lines += [""] + trend
    lines += [""] + notes(doc)
    return "\n".join(lines) + "\n"


def _md_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render_md(report: dict[str, Any]) -> str:
    doc = document(report)
    lines = ["# guardline report: code quality by origin", "", f"Workspace: `{doc['root']}`"
             + (f", since {doc['since']}" if doc["since"] else ""), "",
             _md_row(HEAD), "|" + "---|" * len(HEAD)]
    lines += [_md_row(cells) for cells in table_cells(doc["rows"])]
    tools = tool_table(doc["rows"])
    if tools:
        head = ("tool", *(title for title, _k, _w in TOOL_COLUMNS))
        lines += ["", "## By AI tool", "", _md_row(head), "|" + "---|" * len(head)]
        lines += [_md_row(cells) for cells in tools]
    trend = trend_lines(doc)
    if trend:
        lines += ["", "## Trend", "", trend[0], ""] + [f"- {line.strip()}" for line in trend[1:]]
    lines += ["", "## Notes", ""] + [f"- {n}" for n in notes(doc)]
    return "\n".join(lines) + "\n"


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(document(report), indent=2, sort_keys=True) + "\n"
