"""Organisation report outputs: `org.json` (schema guardline/data/org.schema.json), `org.md`, `org.html`."""

from __future__ import annotations

import html
import json
from typing import Any

ORIGIN_LABEL = {"ai": "AI", "human": "human"}


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "no data"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _delta_text(delta: dict[str, Any]) -> str:
    if delta.get("abs") is None:
        return "no data"
    ci = delta.get("ci95")
    interval = f" [{ci[0]:+.2f}, {ci[1]:+.2f}]" if ci else ""
    return f"{delta['abs']:+.2f}{interval} {delta.get('verdict', '')}".strip()


def _sample_text(cell: dict[str, Any], row: dict[str, Any]) -> str:
    """The sample behind a value: functions and kLOC for code rows, else the row's own denominator."""
    sample = cell.get("sample") or {}
    if sample.get("functions") and row.get("sample_unit") == "functions":
        parts = [f"{int(sample['functions'])} fn", f"{sample.get('code_lines', 0) / 1000:.1f} kLOC"]
    elif cell.get("den"):
        parts = [f"{cell['den']:g} {row.get('denominator') or 'units'}"]
    else:
        parts = []
    repos = len(cell.get("repositories") or [])
    parts.append(f"{repos} repo{'s' if repos != 1 else ''}")
    return ", ".join(parts)


def row_table(rows: list[dict[str, Any]]) -> list[list[str]]:
    """Header + one line per row: label (unit), AI value (sample), human value (sample), delta."""
    table = [["metric", "AI", "human", "AI − human [95% CI]"]]
    for row in rows:
        cells = [row["origins"][o] for o in ("ai", "human")]
        table.append([f"{row.get('label') or row['key']} ({row.get('unit') or ''})",
                      *(f"{_fmt(c['value'])} ({_sample_text(c, row)})" for c in cells), _delta_text(row["delta"])])
    return table


def _md_table(table: list[list[str]]) -> str:
    head, *body = table
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in body]
    return "\n".join(lines)


def render_markdown(doc: dict[str, Any]) -> str:
    out = ["# Code quality by origin: organisation", "", f"_{doc['caveat']}_", "",
           _md_table(row_table(doc["rows"])), "", "## Repositories", "",
           _md_table(_repository_table(doc)), ""]
    for team in doc["teams"]:
        out += [f"## Team {team['team']}", "", f"Repositories: {', '.join(team['repositories'])}", "",
                _md_table(row_table(team["rows"])), ""]
    if doc["tools"]:
        out += ["## By AI tool", "", _md_table(_tool_table(doc)), ""]
    if doc["failed"]:
        out += ["## Failed", ""] + [f"- **{f['name']}** ({f['location']}): {f['error']}" for f in doc["failed"]] + [""]
    return "\n".join(out)


def _repository_table(doc: dict[str, Any]) -> list[list[str]]:
    debt = {r["name"]: r for r in doc["ranking"]}
    table = [["repository", "team", "AI share of lines", "AI debt (h)", "status"]]
    for repo in doc["repositories"]:
        if repo["status"] != "ok":
            table.append([repo["name"], repo["team"], "—", "—", f"failed: {repo.get('error')}"])
            continue
        evidence = repo.get("evidence") or {}
        share = evidence.get("ai_share")
        share_text = f"{100 * share:.1f}%" if share is not None else "no AI evidence"
        ranked = debt.get(repo["name"], {})
        table.append([repo["name"], repo["team"], share_text, _fmt(ranked.get("ai_debt_hours")),
                      "ok (cached)" if repo.get("cached") else "ok"])
    return table


def _tool_table(doc: dict[str, Any]) -> list[list[str]]:
    keys = [row["key"] for row in doc["rows"]]
    labels = {row["key"]: row.get("label") or row["key"] for row in doc["rows"]}
    table = [["tool", *(labels[k] for k in keys)]]
    for tool, cells in doc["tools"].items():
        table.append([tool, *(_fmt((cells.get(k) or {}).get("value")) for k in keys)])
    return table


def render_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def _html_table(table: list[list[str]], css_class: str) -> str:
    head, *body = table
    cells = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line) + "</tr>" for line in body)
    return f'<table class="{css_class}"><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table>'


# --- HTML: the same page style and charting (plotly.js inlined, offline) as the repository dashboard ---
TREND_CHARTS = (("avg_cognitive", "avg cognitive complexity", "per function"),
                ("avg_cyclomatic", "avg cyclomatic complexity", "per function"),
                ("avg_maintainability", "maintainability index", "0-100"),
                ("duplication_pct", "duplication", "% code lines"),
                ("security_per_kloc", "security hotspots", "per kLOC"))


def _trend_spec(points: list[dict[str, Any]], field: str, title: str, unit: str) -> dict[str, Any]:
    return {"kind": "trend", "title": title, "y_title": unit, "series": [
        {"name": ORIGIN_LABEL[o], "origin": o, "x": [p["date"] for p in points],
         "y": [(p[o] or {}).get(field) if p.get(o) else None for p in points],
         "n": [(p[o] or {}).get("functions", 0) if p.get(o) else 0 for p in points]} for o in ("ai", "human")]}


def chart_specs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Per team: one trend chart per metric (AI and human lines, points only where the origin has code)."""
    specs = []
    for team, points in doc["trend"].items():
        if not points:
            continue
        for field, title, unit in TREND_CHARTS:
            specs.append(_trend_spec(points, field, f"{team}: {title}", unit))
    return specs


def render_html(doc: dict[str, Any]) -> str:
    from guardline.report.html import CSP, SCRIPT, STYLE, figures_html, plotly_js, script_json

    esc = html.escape
    specs = chart_specs(doc)
    teams = "".join(f"<h3>{esc(t['team'])} <span class=muted>({esc(', '.join(t['repositories']))})</span></h3>"
                    + _html_table(row_table(t["rows"]), "team") for t in doc["teams"])
    tools = (f"<h2>By AI tool</h2>{_html_table(_tool_table(doc), 'tools')}" if doc["tools"] else "")
    failed = "".join(f"<li><b>{esc(f['name'])}</b> ({esc(str(f['location']))}): {esc(str(f['error']))}</li>"
                     for f in doc["failed"])
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>guardline organisation report</title><style>{STYLE}{ORG_STYLE}</style></head><body>"
        f"<header><h1>Code quality by origin: organisation</h1>"
        f"<p class=root>{len(doc['repositories'])} repositories · generated {esc(doc['generated'])}</p>"
        f"<p class=caveat>{esc(doc['caveat'])}</p></header><main>"
        f"<section class=tables>{_html_table(row_table(doc['rows']), 'org')}"
        f"<h2>Repositories, by AI-attributed technical debt</h2>{_html_table(_ranking_table(doc), 'ranking')}"
        f"<h2>Teams</h2>{teams}{tools}</section>"
        f"<section class=charts>{figures_html(specs)}</section>"
        + (f"<section class=notes><h2>Failed</h2><ul>{failed}</ul></section>" if failed else "")
        + f"</main><script type=\"application/json\" id=\"guardline-charts\">{script_json(specs)}</script>"
        f"<script>{plotly_js()}</script><script>{SCRIPT}</script></body></html>\n")


ORG_STYLE = ("h3{font-size:14px;margin:16px 0 0}.muted{color:var(--muted);font-weight:400}"
             # value columns right-aligned (the report's table has two text columns, these one)
             "table.org td:nth-child(2),table.team td:nth-child(2),table.tools td:nth-child(2),"
             "table.org th:nth-child(2),table.team th:nth-child(2),table.tools th:nth-child(2){text-align:right}"
             "table.tools th{overflow-wrap:normal;word-break:normal;hyphens:auto}")


def _ranking_table(doc: dict[str, Any]) -> list[list[str]]:
    evidence = {r["name"]: (r.get("evidence") or {}) for r in doc["repositories"]}
    table = [["repository", "team", "AI debt added (h)", "human debt added (h)", "AI share of lines"]]
    for entry in doc["ranking"]:
        share = evidence.get(entry["name"], {}).get("ai_share")
        table.append([entry["name"], entry["team"], _fmt(entry["ai_debt_hours"]), _fmt(entry["human_debt_hours"]),
                      f"{100 * share:.1f}%" if share is not None else "no AI evidence"])
    return table
