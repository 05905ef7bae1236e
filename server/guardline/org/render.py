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


def _sample_text(cell: dict[str, Any]) -> str:
    sample = cell.get("sample") or {}
    parts = []
    if sample.get("functions"):
        parts.append(f"{int(sample['functions'])} fn")
    if sample.get("code_lines"):
        parts.append(f"{sample['code_lines'] / 1000:.1f} kLOC")
    repos = len(cell.get("repositories") or [])
    parts.append(f"{repos} repo{'s' if repos != 1 else ''}")
    return ", ".join(parts)


def row_table(rows: list[dict[str, Any]]) -> list[list[str]]:
    """Header + one line per row: label (unit), AI value (sample), human value (sample), delta."""
    table = [["metric", "AI", "human", "AI − human [95% CI]"]]
    for row in rows:
        cells = [row["origins"][o] for o in ("ai", "human")]
        table.append([f"{row.get('label') or row['key']} ({row.get('unit') or ''})",
                      *(f"{_fmt(c['value'])} ({_sample_text(c)})" for c in cells), _delta_text(row["delta"])])
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
