"""guardline report: per-origin figures on a throw-away git repository with known AI and human code."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess

import pytest

from guardline.config import load_config
from guardline.report import build_report, main, render, write_html
from guardline.workspace import Workspace

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DAY = 86400
T0 = 1_700_000_000
AI_MESSAGE = ("Add sign helpers\n\nGenerated with [Claude Code](https://claude.com/claude-code)\n\n"
              "Co-Authored-By: Claude <noreply@anthropic.com>\n")

HUMAN_PY = "def human_fn(x):\n    return x + 1\n"
# ai_fn: cyclomatic 3 (if + elif), ai_helper: cyclomatic 1  -> AI average 2.0
AI_PY = ("def ai_fn(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        return -1\n    return 0\n\n\n"
         "def ai_helper(y):\n    return y * 2\n")


def _git(repo: str, *args: str, when: int = T0, human: bool = True) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Hana Human", GIT_AUTHOR_EMAIL="hana@example.com",
               GIT_COMMITTER_NAME="Hana Human", GIT_COMMITTER_EMAIL="hana@example.com",
               GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def _commit(repo: str, files: dict[str, str], message: str, when: int) -> None:
    for name, text in files.items():
        with open(os.path.join(repo, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    _git(repo, "add", "--", *files, when=when)
    _git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("reportrepo"))
    _git(path, "init", "-q", "-b", "main")
    _commit(path, {"human.py": HUMAN_PY}, "Add human helper", T0)
    _commit(path, {"ai.py": AI_PY}, AI_MESSAGE, T0 + DAY)
    # Day 3, human fix of an AI-written line (line 3 of ai.py): SZZ blames the AI commit; within 14 days -> churn.
    _commit(path, {"ai.py": AI_PY.replace("return 1\n", "return 2\n", 1)}, "fix: wrong sign value (#12)",
            T0 + 3 * DAY)
    with open(os.path.join(path, "coverage.xml"), "w", encoding="utf-8") as fh:
        fh.write(COVERAGE_XML)
    return path


# ai.py lines 2 (branch 1/2) and 3 hit, 5 missed; human.py line 2 hit.
COVERAGE_XML = """<?xml version="1.0" ?>
<coverage><sources><source>.</source></sources><packages><package name="p"><classes>
<class filename="ai.py"><lines><line number="2" hits="4" branch="true" condition-coverage="50% (1/2)"/>
<line number="3" hits="2"/><line number="5" hits="0"/></lines></class>
<class filename="human.py"><lines><line number="2" hits="1"/></lines></class>
</classes></package></packages></coverage>
"""


@pytest.fixture(scope="module")
def report(repo) -> dict:
    return build_report(repo, load_config(repo), progress=lambda _m: None)


def test_snapshot_averages_by_origin(report):
    rows = report["snapshot"]["rows"]
    assert rows["ai"]["functions"] == 2, "ai.py holds two functions committed by Claude"
    assert rows["ai"]["avg_cyclomatic"] == 2.0, "ai_fn CC 3 (if, elif) + ai_helper CC 1 -> 2.0"
    assert rows["human"]["functions"] == 1
    assert rows["human"]["avg_cyclomatic"] == 1.0, "human_fn has no branch -> CC 1"
    assert report["snapshot"]["delta"]["avg_cyclomatic"] == {"abs": 1.0, "pct": 100.0}, "2.0 vs 1.0"


def test_evidence_mix_and_caveat(report):
    mix = report["snapshot"]["rows"]["ai"]["evidence_mix"]
    assert mix["commit"] > 0.5, "AI lines come from a commit message trailer: commit-level evidence"
    text = render(report, "text")
    assert "no AI evidence is not proof of human authorship" in text


def test_every_format_renders(report):
    doc = json.loads(render(report, "json"))
    cyclomatic = next(r for r in doc["rows"] if r["key"] == "avg_cyclomatic")
    assert cyclomatic["origins"]["ai"]["sample"]["functions"] == 2
    assert ("| avg cyclomatic complexity | per function | 2.00 (2 functions) | 1.00 (1 functions) | "
            "+1.00 (+100%) [+0.00, +2.00] | small sample |") in render(report, "md"), \
        "AI 2.0 over 2 functions vs human 1.0 over 1; resampling the 2 AI functions (CC 3 and 1) gives 1..3"
    page = render(report, "html")
    assert "Plotly.react" in page and '<table id="quality">' in page
    from guardline.report.html import CSP, plotly_js
    assert plotly_js() in page, "plotly.js is inlined from the plotly package, not loaded from a CDN"
    own = page.replace(plotly_js(), "")
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?://", own), "self-contained: no network loads"
    assert f'content="{CSP}"' in page and "default-src 'none'" in CSP, "the page itself forbids any network load"
    assert "\x1b[" not in render(report, "text", tty=False), "no ANSI colours when not a TTY"


def test_main_writes_output_and_write_html(repo, tmp_path):
    out = tmp_path / "r.md"
    args = argparse.Namespace(path=repo, format="md", since=None, output=str(out), no_trend=True, coverage=None)
    assert main(args) == 0 and out.read_text().startswith("# guardline report")
    path = write_html(repo, load_config(repo))
    assert path == os.path.join(repo, ".guardline", "report.html") and os.path.getsize(path) > 0


def test_bug_density_szz(report):
    rows = report["history"]["rows"]
    assert report["history"]["fix_commits"] == 1, "only 'fix: wrong sign value (#12)' matches the fix pattern"
    assert rows["ai"]["buggy_lines"] == 1, "the fix rewrites one line the AI commit introduced"
    assert rows["ai"]["lines_added"] == 10, "the AI commit adds ai.py's 10 lines"
    assert rows["ai"]["bug_density"] == 100.0, "1 buggy line / 0.010 kLOC added"
    assert rows["human"]["buggy_lines"] == 0 and rows["human"]["bug_density"] == 0.0


def test_churn_within_14_days(report):
    rows = report["history"]["rows"]
    assert rows["ai"]["churn_lines"] == 1, "the AI line is rewritten 2 days after it was written"
    assert rows["ai"]["churn_pct"] == 10.0, "1 of 10 AI lines added"
    assert rows["human"]["churn_lines"] == 0


def test_second_history_run_blames_nothing_again(repo, report, monkeypatch):
    """The old-side blame of each scanned commit is stored in .guardline/report.sqlite: a second run gives
    the same rows without one `git blame` (blame_range would fail the test if called)."""
    from guardline.report import history

    def no_blame(*_args, **_kwargs):
        raise AssertionError("git blame ran again for a stored commit")
    monkeypatch.setattr(history, "blame_range", no_blame)
    again = history.analyse(repo, load_config(repo))
    assert again["rows"] == report["history"]["rows"], "same bug density and churn from the stored blame"
    assert [c["churn"] for c in again["scatter"]] == [c["churn"] for c in report["history"]["scatter"]]


def test_partial_blame_is_not_stored(tmp_path):
    """A blame that returns fewer lines than the commit removed (a shallow clone's missing parent) is not
    stored, so a later run in the full clone blames the commit properly."""
    from guardline.origin.records import CommitInfo
    from guardline.report import history

    store = history.BlameStore(str(tmp_path))
    hunks = history.Hunks(old={"missing.py": [(1, 3)]})
    info = CommitInfo(sha="f" * 40, parents=["e" * 40])
    assert history.old_side_blame(str(tmp_path), info, hunks, store) == [], "not a repository: nothing blamed"
    assert store.get(info.sha) is None, "3 lines removed, 0 blamed: not stored"
    store.close()


def test_coverage_by_origin(report):
    cov = report["coverage"]
    assert cov["source"] == "coverage.xml"
    # ai.py line 3 was rewritten by the human fix, so AI keeps lines 2 (hit) and 5 (missed): 50 %.
    assert cov["rows"]["ai"]["line_pct"] == 50.0 and cov["rows"]["ai"]["branch_pct"] == 50.0
    # human: human.py line 2 (hit) + ai.py line 3 (hit, rewritten by the human fix): 100 %.
    assert cov["rows"]["human"]["line_pct"] == 100.0 and cov["rows"]["human"]["branch_pct"] is None


def test_no_coverage_row_says_so(tmp_path):
    from guardline.report import coverage
    assert coverage.by_origin(Workspace(str(tmp_path)), None) == {
        "note": "no coverage data (no Cobertura XML, lcov or coverage.py JSON found; see --coverage)"}


def test_gate_pass_rate_by_origin(report):
    gate = report["gate"]["rows"]
    assert gate["ai"]["commits"] == 1 and gate["human"]["commits"] == 2, "1 Claude commit, 2 human commits"
    assert gate["ai"]["pass_rate"] == 100.0 and gate["human"]["pass_rate"] == 100.0, "no function reaches error"


def test_trend_samples_and_second_run_reuses_them(repo, report):
    from guardline.report import trend

    samples = report["trend"]["samples"]
    assert samples and samples[-1]["rows"]["ai"]["avg_cyclomatic"] == 2.0, "HEAD sample matches the snapshot"
    assert samples[-1]["rows"]["human"]["avg_cyclomatic"] == 1.0
    again, _gate = trend.run(Workspace(repo, load_config(repo)))
    assert again["added"] == 0 and again["reused"] == len(samples), "stored in .guardline/report.sqlite"
    assert os.path.isfile(os.path.join(repo, ".guardline", "report.sqlite"))


def test_pick_samples_every_n_and_weekly():
    from guardline.report.trend import WEEK, pick_samples

    commits = [(f"c{i}", 10 * WEEK - i * DAY) for i in range(10)]   # newest first, one per day
    assert [s for s, _ in pick_samples(commits, 3, 52)] == ["c9", "c6", "c3", "c0"], "every 3rd, oldest first"
    weekly = pick_samples(commits, "weekly", 52)
    assert [s for s, _ in weekly] == ["c8", "c1", "c0"], "newest commit of each week: c0 (week 10), c1 (c1..c7 week 9), c8 (week 8)"


def test_lcov_parse(tmp_path):
    from guardline.report.coverage import parse_lcov

    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "lcov.info").write_text("SF:a.py\nDA:1,3\nDA:2,0\nBRDA:1,0,0,1\nBRDA:1,0,1,-\nend_of_record\n")
    cov = parse_lcov(str(tmp_path / "lcov.info"), str(tmp_path))["a.py"]
    assert cov.hits == {1: 3, 2: 0} and cov.branches == {1: (1, 2)}, "one of two branches taken ('-' = not run)"
