"""Inline SVG charts for the HTML report: bar per metric, trend lines, churn scatter. No network."""

from __future__ import annotations

import html
from typing import Any

W, H, PAD = 360, 200, 30
COLOURS = {"ai": "#8250df", "human": "#0969da"}


def _svg(title: str, body: str, kind: str) -> str:
    """One chart; ``kind`` (bars | trend | scatter | gate) lets readers and tests find it."""
    return (f'<figure class="chart" data-chart="{kind}"><figcaption>{html.escape(title)}</figcaption>'
            f'<svg role="img" aria-label="{html.escape(title)}" width="{W}" height="{H}" viewBox="0 0 {W} {H}">'
            f'<rect x="0" y="0" width="{W}" height="{H}" fill="#fafafa"/>{body}</svg></figure>')


def bars(title: str, values: dict[str, float | None], kind: str = "bars") -> str:
    """Two bars, AI and human."""
    top = max([v for v in values.values() if v] or [1.0])
    body, x = [], PAD
    for origin, value in values.items():
        height = 0 if not value else (H - 2 * PAD) * value / top
        shown = "-" if value is None else f"{value:.2f}"
        body.append(f'<rect class="mark bar" data-origin="{origin}" data-value="{shown}" x="{x}" '
                    f'y="{H - PAD - height:.1f}" width="80" height="{height:.1f}" '
                    f'fill="{COLOURS.get(origin, "#888")}"/>'
                    f'<text x="{x}" y="{H - 8}" font-size="11">{origin}: {shown}</text>')
        x += 140
    return _svg(title, "".join(body), kind)


def lines(title: str, series: dict[str, list[float | None]]) -> str:
    """One polyline per origin over sample index."""
    values = [v for s in series.values() for v in s if v is not None]
    if not values:
        return _svg(title, f'<text x="{PAD}" y="{H / 2}" font-size="12">no samples</text>', "trend")
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    count = max(len(s) for s in series.values())
    body = []
    for origin, points in series.items():
        coords = [(PAD + (W - 2 * PAD) * i / max(count - 1, 1), H - PAD - (H - 2 * PAD) * (v - low) / span)
                  for i, v in enumerate(points) if v is not None]
        if coords:
            colour = COLOURS.get(origin, "#888")
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(f'<polyline class="mark trend-line" data-origin="{origin}" fill="none" stroke-width="2" '
                        f'stroke="{colour}" points="{path}"/>')
            body += [f'<circle class="mark trend-point" data-origin="{origin}" cx="{x:.1f}" cy="{y:.1f}" r="2.5" '
                     f'fill="{colour}"/>' for x, y in coords]
    body.append(f'<text x="4" y="{PAD - 8}" font-size="10">{high:.2f}</text>'
                f'<text x="4" y="{H - 8}" font-size="10">{low:.2f}</text>')
    return _svg(title, "".join(body), "trend")


def share_colour(share: float) -> str:
    """Human blue (0.0) to AI purple (1.0), linear in the per-line AI share."""
    share = min(max(share, 0.0), 1.0)
    return f"rgb({int(9 + share * 121)},{int(105 - share * 25)},{int(218 + share * 5)})"


def scatter(title: str, points: list[dict[str, Any]]) -> str:
    """Change volume (x) vs rework/churn (y), colour from human blue to AI purple by per-line AI share."""
    if not points:
        return _svg(title, f'<text x="{PAD}" y="{H / 2}" font-size="12">no commits</text>', "scatter")
    max_x = max(p["changed"] for p in points) or 1
    max_y = max(p["churn"] for p in points) or 1
    body = []
    for p in points:
        x = PAD + (W - 2 * PAD) * p["changed"] / max_x
        y = H - PAD - (H - 2 * PAD) * p["churn"] / max_y
        share = p.get("ai_share", 0.0)
        body.append(f'<circle class="mark scatter-point" data-ai-share="{share:.2f}" cx="{x:.1f}" cy="{y:.1f}" '
                    f'r="4" fill="{share_colour(share)}" fill-opacity="0.8"/>')
    body.append(f'<text x="{PAD}" y="{H - 8}" font-size="10">lines changed (max {max_x}) - y: lines reworked '
                f'(max {max_y})</text>')
    return _svg(title, "".join(body), "scatter")


SNAPSHOT_BARS = (("avg cyclomatic", "avg_cyclomatic"), ("avg cognitive", "avg_cognitive"),
                 ("avg maintainability", "avg_maintainability"), ("debt hours", "debt_hours"))
TREND_LINES = (("trend: avg cyclomatic", "avg_cyclomatic"), ("trend: avg cognitive", "avg_cognitive"),
               ("trend: avg maintainability", "avg_maintainability"), ("trend: duplication %", "duplication_pct"),
               ("trend: technical debt (hours)", "debt_hours"))


def all_charts(report: dict[str, Any]) -> list[str]:
    rows = report["snapshot"]["rows"]
    out = [bars(label, {o: rows[o][key] for o in ("ai", "human")}) for label, key in SNAPSHOT_BARS]
    samples = (report.get("trend") or {}).get("samples") or []
    if samples:
        out += [lines(label, {o: [s["rows"].get(o, {}).get(key) for s in samples] for o in ("ai", "human")})
                for label, key in TREND_LINES]
    scatter_points = (report.get("history") or {}).get("scatter")
    if scatter_points is not None:
        out.append(scatter("change volume vs rework (colour: per-line AI share)", scatter_points))
    gate = (report.get("gate") or {}).get("rows")
    if gate:
        out.append(bars("gate pass rate %", {o: gate[o].get("pass_rate") for o in ("ai", "human")}, "gate"))
    return out
