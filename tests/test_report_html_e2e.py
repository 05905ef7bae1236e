"""The HTML report of `guardline report` as a person sees it: rendered by headless Debian Chromium (driven
by playwright-core, both provisioned by tests/e2e/vscode/setup.sh under ~/.cache/guardline-e2e, the
Makefile's `vscode-deps` step) from the demo repository, whose history tags code as written with Claude
Code, Copilot and Aider next to human commits. Screenshots: artifacts/report-<width>-<scheme>.png (gitignored),
at 1920 and 1280 px, light and dark."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from guardline.config import load_config
from guardline.demo import create_demo
from guardline.report import write_html

REPO = Path(__file__).resolve().parents[1]
DRIVER = REPO / "tests" / "e2e" / "report" / "check_report.mjs"
SETUP = REPO / "tests" / "e2e" / "vscode" / "setup.sh"
E2E_HOME = Path(os.environ.get("GUARDLINE_E2E_HOME")
                or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "guardline-e2e")

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
              pytest.mark.skipif(shutil.which("node") is None,
                                 reason="node is not installed: playwright-core cannot drive Chromium")]


def _ensure_browser() -> None:
    """Chromium + playwright-core: already there after `make test`'s vscode-deps, else the same setup."""
    if (E2E_HOME / "driver" / "node_modules" / "playwright-core").is_dir() and shutil.which("chromium"):
        return
    if os.geteuid() != 0 and not shutil.which("chromium"):
        pytest.skip("Debian chromium is missing and apt-get needs root: the report e2e cannot be installed")
    proc = subprocess.run(["bash", str(SETUP)], cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"tests/e2e/vscode/setup.sh failed:\n{proc.stderr[-4000:]}"


VIEWS = ("1920:light", "1920:dark", "1280:light", "1280:dark")
SHOTS = REPO / "artifacts"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _ensure_browser()
    repo = create_demo(str(tmp_path_factory.mktemp("report-e2e") / "shop"))
    html_path = write_html(repo, load_config(repo))
    env = {**os.environ, "REPORT": html_path, "VIEWS": ",".join(VIEWS), "SCREENSHOT_DIR": str(SHOTS),
           "GUARDLINE_E2E_HOME": str(E2E_HOME)}
    proc = subprocess.run(["node", str(DRIVER)], cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
                          check=False)
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"driver printed no JSON (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    assert proc.returncode == 0 and "error" not in result, f"Chromium driver failed: {result.get('error')}"
    return result


def _views(page: dict[str, Any]) -> list[dict[str, Any]]:
    assert [f"{v['width']}:{v['scheme']}" for v in page["views"]] == list(VIEWS)
    return page["views"]


def _charts(view: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [c for c in view["charts"] if c["kind"] == kind]


def test_no_console_or_page_errors_and_no_network(page):
    assert page["console_errors"] == [], "the self-contained page logs no error (CSP violations included)"
    assert page["page_errors"] == [], "no uncaught exception"
    assert all(url.startswith("file://") for url in page["requests"]), \
        f"only the report file itself is loaded, nothing from the network: {page['requests']}"


def test_quality_table_rows_and_samples(page):
    table = _views(page)[0]["table"]
    assert table["headers"] == ["row", "unit", "AI", "human", "AI − human [95% CI]", "verdict"]
    labels = [row[0] for row in table["rows"]]
    assert labels == ["avg cyclomatic complexity", "avg cognitive complexity", "maintainability index", "duplication",
                      "security hotspots", "bug density (SZZ)", "branch test coverage", "line test coverage",
                      "technical debt added", "churn (rewritten within 14 days)", "first-try gate pass rate"]
    for row in table["rows"]:
        for cell in row[2:4]:
            assert re.fullmatch(r"-?\d+\.\d\d\n\d.+", cell), f"the demo fills every row, each value over its sample: {row}"


def test_light_and_dark_themes_follow_the_colour_scheme(page):
    backgrounds = {f"{v['width']}:{v['scheme']}": v["background"] for v in _views(page)}
    assert backgrounds["1920:light"] == "rgb(255, 255, 255)" and backgrounds["1920:dark"] == "rgb(13, 17, 23)"


def test_trend_charts_have_dated_axes_units_and_legends(page):
    for view in _views(page):
        trend = _charts(view, "trend")
        assert len(trend) == 6, "cyclomatic, cognitive, MI, duplication, security, debt level"
        for chart in trend:
            assert any(re.search(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d", t) for t in chart["xticks"]), \
                f"{chart['caption']}: a dated x axis, got {chart['xticks']}"
            assert chart["ytitle"] and chart["ytitle"][0], f"{chart['caption']}: a unit on the y axis"
            assert chart["legend"] == ["AI", "human"], f"{chart['caption']}: legend names both origins"
            assert chart["traces"] == 2 and chart["points"] >= 12, "two lines, a point per week with code"


def test_velocity_scatter_has_a_colour_scale(page):
    for view in _views(page):
        (scatter,) = _charts(view, "scatter")
        assert scatter["colorbar"] == 1 and scatter["colorbar_title"] == ["AI share"]
        assert scatter["points"] >= 12, "one point per week with commits: the demo spans 13 weeks"
        assert len(scatter["fills"]) >= 3, "weeks of different AI share get different colours"
        assert scatter["xtitle"] == ["velocity: changed lines per week"]


def test_gate_and_debt_charts(page):
    view = _views(page)[0]
    (gate,) = _charts(view, "gate")
    assert gate["legend"] == ["AI", "human"] and gate["points"] >= 6
    (debt,) = _charts(view, "debt")
    assert debt["legend"] == ["AI", "human"] and debt["points"] >= 6


def test_no_text_overflows_its_container(page):
    for view in _views(page):
        assert view["overflow"] == [], f"{view['width']}:{view['scheme']}: text wider than its box"
        assert view["chart_overflow"] == [], "every plot fits its card"
        assert view["page_width"] <= view["viewport"], "no horizontal scrolling"


def test_screenshots_saved(page):
    for view in _views(page):
        shot = Path(view["screenshot"])
        assert shot.stat().st_size > 50_000, f"a full-page PNG at {view['width']} px, {view['scheme']}"
    ignored = subprocess.run(["git", "check-ignore", "-q", "--", str(SHOTS / "report-1920-dark.png")], cwd=REPO,
                             check=False)
    assert ignored.returncode == 0, "artifacts/ is gitignored: the screenshots are never committed"
