"""The HTML dashboard: one self-contained page (plotly.js inlined from the plotly package, no network),
drawn from the report document (report/document.py).

Charts: one trend per row that the samples carry (dated x axis, unit on the y axis, AI and human lines,
points only where the origin has code), technical debt added per sprint, velocity (changed lines per
week) vs rework rate coloured by AI share with a colour bar, first-try gate pass rate per week by
origin. Light and dark: the page follows `prefers-color-scheme`, and in a VS Code webview the editor
theme (the body's vscode-light / vscode-dark / vscode-high-contrast class), also when it changes.
Colours: Okabe-Ito (AI vermillion, human blue) and the Cividis scale, both colour-blind safe."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import Any

from guardline.report.render import TOOL_COLUMNS, fmt_sample, fmt_verdict, notes, tool_table, trend_lines

COLOURS = {"ai": "#D55E00", "human": "#0072B2"}
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src data:")


@lru_cache(maxsize=1)
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    script: str = get_plotlyjs()   # plotly is untyped
    return script


def _trend_charts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    samples = doc["trend"]["samples"]
    fields = {"avg_cyclomatic": "avg_cyclomatic", "avg_cognitive": "avg_cognitive",
              "avg_maintainability": "avg_maintainability", "duplication_pct": "duplication_pct",
              "security_per_kloc": "security_per_kloc", "debt_hours_per_sprint": "debt_hours"}
    out = []
    for row in doc["rows"]:
        field = fields.get(row["key"])
        if field is None or not samples:
            continue
        unit = "hours of debt (level)" if field == "debt_hours" else row["unit"]
        title = "technical debt over time" if field == "debt_hours" else row["label"]
        out.append({"kind": "trend", "title": title, "y_title": unit, "series": [
            {"name": "AI" if o == "ai" else "human", "origin": o, "x": [s["date"] for s in samples],
             "y": [s["rows"][o].get(field) for s in samples],
             "n": [s["rows"][o].get("functions") or 0 for s in samples]} for o in ("ai", "human")]})
    return out


def _debt_chart(doc: dict[str, Any]) -> dict[str, Any] | None:
    sprints = doc["trend"]["sprints"]
    if not sprints:
        return None
    return {"kind": "debt", "title": f"technical debt added per sprint ({doc['settings']['sprint_days']} days)",
            "y_title": "hours added", "series": [
                {"name": "AI" if o == "ai" else "human", "origin": o, "x": [s["end"] for s in sprints],
                 "y": [s["added"][o] if s["has_code"][o] else None for s in sprints]} for o in ("ai", "human")]}


def _scatter_chart(doc: dict[str, Any]) -> dict[str, Any] | None:
    weeks = doc["velocity"]
    if not weeks:
        return None
    return {"kind": "scatter", "title": "velocity vs rework, one point per week",
            "x_title": "velocity: changed lines per week", "y_title": "rework, % of changed lines",
            "points": [{"x": w["changed"], "y": w["rework_pct"], "share": w["ai_share"], "date": w["date"],
                        "commits": w["commits"]} for w in weeks]}


def _gate_chart(doc: dict[str, Any]) -> dict[str, Any] | None:
    weeks = doc["gate_weeks"]
    if not weeks:
        return None
    return {"kind": "gate", "title": "first-try gate pass rate per week", "y_title": "% of commits passing",
            "series": [{"name": "AI" if o == "ai" else "human", "origin": o, "x": [w["date"] for w in weeks],
                        "y": [w[o]["pass_rate"] for w in weeks], "n": [w[o]["commits"] for w in weeks]}
                       for o in ("ai", "human")]}


def charts(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = _trend_charts(doc) + [_debt_chart(doc), _scatter_chart(doc), _gate_chart(doc)]
    return [c for c in found if c is not None]


def _table(doc: dict[str, Any]) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in ("row", "unit", "AI", "human", "AI − human [95% CI]", "verdict"))
    body = []
    for row in doc["rows"]:
        verdict = row["delta"]["verdict"]
        cls = {"better": "good", "worse": "bad"}.get(verdict, "neutral" if verdict != "no data" else "nodata")
        cells = "".join(_value_cell(row["origins"][o], row) for o in ("ai", "human"))
        body.append(f'<tr class="{cls}"><td>{esc(row["label"])}</td><td>{esc(row["unit"])}</td>{cells}'
                    f'{_delta_cell(row)}<td class="verdict">{esc(fmt_verdict(row))}</td></tr>')
    return f'<table id="quality"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _value_cell(cell: dict[str, Any], row: dict[str, Any]) -> str:
    """The value, and under it the sample it stands on."""
    if cell["value"] is None:
        return '<td class="value">no data</td>'
    return (f'<td class="value"><span class="num">{cell["value"]:.2f}</span>'
            f'<span class="sample">{html.escape(fmt_sample(cell, row))}</span></td>')


def _delta_cell(row: dict[str, Any]) -> str:
    d = row["delta"]
    if d["abs"] is None:
        return '<td class="value">-</td>'
    pct = "" if d["pct"] is None else f" ({d['pct']:+.0f}%)"
    ci = "" if d["ci95"] is None else f'<span class="sample">95% CI [{d["ci95"][0]:+.2f}, {d["ci95"][1]:+.2f}]</span>'
    return f'<td class="value"><span class="num">{d["abs"]:+.2f}{pct}</span>{ci}</td>'


def _tools(doc: dict[str, Any]) -> str:
    rows = tool_table(doc["rows"])
    if not rows:
        return ""
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in ("tool", *(t for t, _k, _w in TOOL_COLUMNS)))
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return (f'<h2>By AI tool</h2><table id="tools"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def figures_html(specs: list[dict[str, Any]]) -> str:
    return "".join(f'<figure class="chart" data-chart="{s["kind"]}"><figcaption>{html.escape(s["title"])}</figcaption>'
                   f'<div class="plot" id="chart-{i}"></div></figure>' for i, s in enumerate(specs))


def script_json(data: Any) -> str:
    """JSON safe inside <script>: no '</script>' or '<!--' can close or comment out the element."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(doc: dict[str, Any]) -> str:
    esc = html.escape
    specs = charts(doc)
    trend = "".join(f"<li>{esc(line.strip())}</li>" for line in trend_lines(doc)[1:])
    trend_head = esc(trend_lines(doc)[0]) if trend else ""
    note_items = "".join(f"<li>{esc(n)}</li>" for n in notes(doc))
    since = f" · since {esc(doc['since'])}" if doc["since"] else ""
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>guardline report</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Code quality by origin</h1><p class=root>{esc(doc['root'])}{since}</p>"
        f"<p class=caveat>{esc(doc['caveat'])}</p></header>"
        f"<main><section class=tables>{_table(doc)}{_tools(doc)}</section>"
        + (f"<section class=trend><h2>Trend</h2><p>{trend_head}</p><ul>{trend}</ul></section>" if trend else "")
        + f'<section class=charts>{figures_html(specs)}</section>'
        f"<section class=notes><h2>Notes</h2><ul>{note_items}</ul></section></main>"
        f'<script type="application/json" id="guardline-charts">{script_json(specs)}</script>'
        f"<script>{plotly_js()}</script><script>{SCRIPT}</script></body></html>\n")


STYLE = """
:root{--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--good:#1a7f37;--bad:#cf222e}
@media (prefers-color-scheme: dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;
--good:#3fb950;--bad:#f85149}}
body.vscode-light,body.vscode-dark,body.vscode-high-contrast{--bg:var(--vscode-editor-background);
--fg:var(--vscode-editor-foreground);--muted:var(--vscode-descriptionForeground);--line:var(--vscode-panel-border,#8884);
--card:var(--vscode-sideBar-background,transparent)}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.root{color:var(--muted);margin:0;overflow-wrap:anywhere}.caveat{margin:6px 0 0;color:var(--muted);font-style:italic}
table{border-collapse:collapse;width:100%;margin-top:12px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:6px 10px;text-align:right;vertical-align:top;overflow-wrap:anywhere}
th{font-weight:600;background:var(--card)}th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}
td.verdict{white-space:nowrap}td.value .num{display:block;white-space:nowrap}
td.value .sample{display:block;font-size:12px;color:var(--muted)}tr.good td.verdict{color:var(--good);font-weight:600}
tr.bad td.verdict{color:var(--bad);font-weight:600}tr.nodata td{color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px;margin-top:20px}
figure.chart{margin:0;padding:12px;border:1px solid var(--line);border-radius:8px;background:var(--card);min-width:0}
figcaption{font-weight:600;margin-bottom:4px;overflow-wrap:anywhere}.plot{width:100%;height:340px}
.trend ul,.notes ul{margin:4px 0;padding-left:20px}.trend li,.notes li{overflow-wrap:anywhere}
@media (max-width:1300px){.charts{grid-template-columns:repeat(auto-fill,minmax(480px,1fr))}}
"""

SCRIPT = r"""
(function () {
  const specs = JSON.parse(document.getElementById('guardline-charts').textContent);
  const COLOURS = {ai: '#D55E00', human: '#0072B2'};
  const DARK_COLOURS = {ai: '#F0883E', human: '#56B4E9'};
  function isDark() {
    const c = document.body.classList;
    if (c.contains('vscode-dark') || c.contains('vscode-high-contrast')) return true;
    if (c.contains('vscode-light') || c.contains('vscode-high-contrast-light')) return false;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  }
  function layout(spec, dark) {
    const fg = getComputedStyle(document.body).color;
    const grid = dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.10)';
    const axis = (title, extra) => Object.assign({title: {text: title}, gridcolor: grid, zerolinecolor: grid,
      linecolor: grid, automargin: true}, extra || {});
    const base = {paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)', font: {color: fg, size: 12},
      margin: {l: 56, r: 16, t: 8, b: 48}, hovermode: 'closest',
      legend: {orientation: 'h', x: 0, y: 1.12, bgcolor: 'rgba(0,0,0,0)'}};
    if (spec.kind === 'scatter') {
      base.xaxis = axis(spec.x_title, {rangemode: 'tozero'});
      base.yaxis = axis(spec.y_title, {rangemode: 'tozero', ticksuffix: '%'});
      base.margin.r = 16;
    } else {
      base.xaxis = axis('date', {type: 'date', tickformat: '%b %d\n%Y'});
      base.yaxis = axis(spec.y_title, spec.kind === 'gate' ? {range: [0, 105]} : {rangemode: 'tozero'});
    }
    return base;
  }
  function traces(spec, dark) {
    const palette = dark ? DARK_COLOURS : COLOURS;
    if (spec.kind === 'scatter') {
      const p = spec.points;
      return [{type: 'scatter', mode: 'markers', name: 'week', x: p.map(q => q.x), y: p.map(q => q.y),
        customdata: p.map(q => [q.date, q.share, q.commits]),
        hovertemplate: 'week of %{customdata[0]}<br>%{x} changed lines, %{y:.1f}% rework<br>' +
          'AI share %{customdata[1]:.0%} of %{customdata[2]} commits<extra></extra>',
        marker: {size: 11, color: p.map(q => q.share), cmin: 0, cmax: 1, colorscale: 'Cividis',
          line: {width: 1, color: dark ? '#e6edf3' : '#1f2328'},
          colorbar: {title: {text: 'AI share'}, tickformat: '.0%', thickness: 12, len: 0.9, outlinewidth: 0}}}];
    }
    return spec.series.map(s => ({type: spec.kind === 'debt' ? 'bar' : 'scatter',
      mode: 'lines+markers', connectgaps: false, name: s.name, x: s.x, y: s.y,
      customdata: (s.n || s.x.map(() => null)),
      hovertemplate: s.name + ' %{x|%Y-%m-%d}: %{y:.2f}' + (s.n ? (spec.kind === 'gate' ? ' (%{customdata} commits)'
        : ' (%{customdata} functions)') : '') + '<extra></extra>',
      line: {color: palette[s.origin], width: 2, dash: s.origin === 'ai' ? 'solid' : 'dot'},
      marker: {color: palette[s.origin], size: 7, symbol: s.origin === 'ai' ? 'circle' : 'square'}}));
  }
  function draw() {
    const dark = isDark();
    specs.forEach((spec, i) => Plotly.react('chart-' + i, traces(spec, dark), layout(spec, dark),
      {displaylogo: false, responsive: true, modeBarButtonsToRemove: ['select2d', 'lasso2d']}));
  }
  draw();
  if (window.matchMedia) window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', draw);
  new MutationObserver(draw).observe(document.body, {attributes: true, attributeFilter: ['class']});
})();
"""
