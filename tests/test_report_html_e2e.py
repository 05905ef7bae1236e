"""The HTML report of `guardline report` as a person sees it: rendered by headless Debian Chromium (driven
by playwright-core, both provisioned by tests/e2e/vscode/setup.sh under ~/.cache/guardline-e2e, the
Makefile's `vscode-deps` step) from the demo repository, whose history tags code as written with Claude
Code, Copilot and Aider next to human commits. Screenshot: artifacts/report.png (gitignored)."""

from __future__ import annotations

import json
import os
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
SCREENSHOT = REPO / "artifacts" / "report.png"
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


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    _ensure_browser()
    repo = create_demo(str(tmp_path_factory.mktemp("report-e2e") / "shop"))
    html_path = write_html(repo, load_config(repo))
    env = {**os.environ, "REPORT": html_path, "SCREENSHOT": str(SCREENSHOT), "GUARDLINE_E2E_HOME": str(E2E_HOME)}
    proc = subprocess.run(["node", str(DRIVER)], cwd=REPO, env=env, capture_output=True, text=True, timeout=180,
                          check=False)
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"driver printed no JSON (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    assert proc.returncode == 0 and "error" not in result, f"Chromium driver failed: {result.get('error')}"
    return result


def _charts(page: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [c for c in page["charts"] if c["kind"] == kind]


def test_no_console_or_page_errors_and_no_network(page):
    assert page["console_errors"] == [], "the self-contained page logs no error"
    assert page["page_errors"] == [], "no uncaught exception"
    assert all(url.startswith("file://") for url in page["requests"]), \
        f"only the report file itself is loaded, nothing from the network: {page['requests']}"


def test_quality_table_has_ai_human_delta_columns(page):
    table = page["table"]
    assert table is not None, "table#quality is rendered"
    assert table["headers"] == ["metric", "AI", "human", "delta AI-human"]
    labels = [row[0] for row in table["rows"]]
    for label in ("avg cyclomatic / function", "duplication % of code lines", "technical debt (hours)",
                  "bug density (buggy lines / kLOC added)", "gate pass rate %"):
        assert label in labels, f"the table has a '{label}' row"
    cyclomatic = table["rows"][labels.index("avg cyclomatic / function")]
    assert cyclomatic[1] != "-" and cyclomatic[2] != "-", "the demo has AI and human functions: both columns filled"


def test_snapshot_bars_are_drawn(page):
    bars = _charts(page, "bars")
    assert len(bars) == 4, "cyclomatic, cognitive, maintainability and debt bars"
    for chart in bars:
        assert chart["bars"] == 2 and chart["width"] > 0, f"{chart['caption']}: one AI and one human bar"
    cyclomatic = next(c for c in bars if c["caption"] == "avg cyclomatic")
    assert all(h > 0 for h in cyclomatic["bar_heights"]), "both origins have functions: visible bars"


def test_trend_lines_per_metric_and_origin(page):
    trend = {c["caption"]: c for c in _charts(page, "trend")}
    for caption in ("trend: avg cyclomatic", "trend: avg cognitive", "trend: avg maintainability",
                    "trend: duplication %", "trend: technical debt (hours)"):
        assert caption in trend, f"the page shows '{caption}'"
        assert trend[caption]["lines"] == 2, f"{caption}: one polyline for AI, one for human code"
    cyclomatic = trend["trend: avg cyclomatic"]
    assert cyclomatic["lines"] == 2, "one polyline for AI, one for human code"
    assert cyclomatic["line_points"] >= 4, "the demo's 8 weeks give several weekly samples per line"


def test_scatter_points_coloured_by_ai_share(page):
    (scatter,) = _charts(page, "scatter")
    assert scatter["scatter_points"] >= 10, "one point per non-merge commit of the demo history"
    assert 0.0 in scatter["shares"] and 1.0 in scatter["shares"], "human-only and AI-only commits exist"
    assert len(scatter["fills"]) >= 2, "points of different AI share get different colours"


def test_gate_pass_rate_bars(page):
    (gate,) = _charts(page, "gate")
    assert gate["bars"] == 2, "AI and human pass-rate bars"
    assert any(h > 0 for h in gate["bar_heights"]), "at least one origin passes the gate on some commit"


def test_screenshot_saved(page):
    assert page["screenshot"] == str(SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 10_000, "a full-page PNG of the report"
    ignored = subprocess.run(["git", "check-ignore", "-q", "--", str(SCREENSHOT)], cwd=REPO, check=False)
    assert ignored.returncode == 0, "artifacts/ is gitignored: the screenshot is never committed"
