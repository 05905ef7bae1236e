"""The report's truth rules on purpose-built repositories (docs/report.md "Truth rules"): no data is never
0.00, a delta needs both sides, small samples and insignificant differences are said so, trend points exist
only where the origin has code, module-level code counts by its lines' origin, --since narrows the rows."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess

import pytest

from guardline.config import load_config
from guardline.report import build_report, main, render

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DAY, WEEK = 86400, 7 * 86400
T0 = 1_788_739_200            # Monday 2026-09-07 00:00 UTC (weekly samples start on Mondays)
AI_MESSAGE = "Add {what}\n\nGenerated with [Claude Code](https://claude.com/claude-code)\n\n" \
             "Co-Authored-By: Claude <noreply@anthropic.com>\n"


def _git(repo: str, *args: str, when: int = T0) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Hana Human", GIT_AUTHOR_EMAIL="hana@example.com",
               GIT_COMMITTER_NAME="Hana Human", GIT_COMMITTER_EMAIL="hana@example.com",
               GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def _repo(tmp_path, name: str, commits: list[tuple[int, str, dict[str, str]]]) -> str:
    path = str(tmp_path / name)
    os.makedirs(path)
    _git(path, "init", "-q", "-b", "main")
    for when, message, files in commits:
        for rel, text in files.items():
            with open(os.path.join(path, rel), "w", encoding="utf-8") as fh:
                fh.write(text)
        _git(path, "add", "--", *files, when=when)
        _git(path, "commit", "-q", "-m", message, when=when)
    return path


def _functions(prefix: str, count: int, branches) -> str:
    """``count`` functions; function i has ``branches(i)`` ifs, so cyclomatic complexity 1 + branches(i)."""
    out = []
    for i in range(count):
        body = "".join(f"    if x == {k}:\n        return {k}\n" for k in range(branches(i)))
        out.append(f"def {prefix}_{i}(x):\n{body}    return x\n")
    return "\n\n".join(out)


def _report(repo: str, **kwargs) -> tuple[dict, dict, str]:
    report = build_report(repo, load_config(repo), progress=lambda _m: None, **kwargs)
    return report, json.loads(render(report, "json")), render(report, "text")


def _row(doc: dict, key: str) -> dict:
    return next(r for r in doc["rows"] if r["key"] == key)


def _text_row(text: str, label: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(label + "  "))
    return re.split(r"\s{2,}", line.strip())


EMPTY_SNAPSHOT_SAMPLE = {"functions": 0, "code_lines": 0, "files": 0}


def test_no_ai_code_every_ai_cell_says_no_data(tmp_path):
    repo = _repo(tmp_path, "noai", [
        (T0, "Add helpers", {"human.py": _functions("h", 2, lambda i: i)}),     # CC 1 and 2
        (T0 + WEEK, "Add more helpers", {"more.py": _functions("m", 1, lambda i: 0)}),
    ])
    _report_dict, doc, text = _report(repo)
    cyclomatic = _row(doc, "avg_cyclomatic")
    assert cyclomatic["origins"]["ai"] == {"value": None, "num": 0.0, "den": 0.0, "units": 0,
                                           "sample": EMPTY_SNAPSHOT_SAMPLE}, "no AI function: no data, not 0"
    assert cyclomatic["origins"]["human"]["value"] == pytest.approx(4 / 3, abs=1e-3), "(1 + 2 + 1) / 3 functions"
    assert cyclomatic["delta"] == {"abs": None, "pct": None, "ci95": None, "verdict": "no data"}
    assert _text_row(text, "avg cyclomatic complexity") == [
        "avg cyclomatic complexity", "per function", "no data", "1.33 (3 functions)", "-", "no data"]
    assert _text_row(text, "security hotspots") == [
        "security hotspots", "per kLOC", "no data", "0.00 (0.01 kLOC, 2 files)", "-", "no data"], \
        "human code without findings is a real 0.00; the AI side has no code"
    debt = _row(doc, "debt_hours_per_sprint")
    assert debt["origins"]["ai"]["value"] is None and debt["delta"]["verdict"] == "no data"
    assert cyclomatic["trend"]["ai"] is None, "no trend point for an origin that never had code"
    assert all(s["rows"]["ai"]["avg_cyclomatic"] is None and s["rows"]["ai"]["debt_hours"] is None
               for s in doc["trend"]["samples"]), "no AI point at 0 in any sample"
    assert "0.00 (0 functions)" not in text


def test_three_ai_functions_against_forty_human_is_a_small_sample(tmp_path):
    repo = _repo(tmp_path, "three", [
        (T0, "Add human code", {"human.py": _functions("h", 40, lambda i: 0)}),          # 40 x CC 1
        (T0 + DAY, AI_MESSAGE.format(what="three helpers"), {"ai.py": _functions("a", 3, lambda i: 1)}),  # 3 x CC 2
    ])
    _r, doc, text = _report(repo)
    cyclomatic = _row(doc, "avg_cyclomatic")
    assert cyclomatic["origins"]["ai"]["num"] == 6.0 and cyclomatic["origins"]["ai"]["den"] == 3.0
    assert cyclomatic["origins"]["human"]["num"] == 40.0 and cyclomatic["origins"]["human"]["den"] == 40.0
    assert cyclomatic["delta"] == {"abs": 1.0, "pct": 100.0, "ci95": [1.0, 1.0], "verdict": "small sample"}, \
        "3 AI functions < 30: the difference is shown with its interval, never called better or worse"
    assert _text_row(text, "avg cyclomatic complexity") == [
        "avg cyclomatic complexity", "per function", "2.00 (3 functions)", "1.00 (40 functions)",
        "+1.00 (+100%) [+1.00, +1.00]", "small sample"]
    assert cyclomatic["tools"]["Claude Code"]["den"] == 3.0, "the AI functions are split by their tool"


def test_significant_and_not_significant_differences(tmp_path):
    repo = _repo(tmp_path, "sig", [
        (T0, "Add human code", {"human.py": _functions("h", 30, lambda i: i % 2)}),        # CC 1,2,1,2...: 1.5
        (T0 + DAY, AI_MESSAGE.format(what="AI code"), {"ai.py": _functions("a", 30, lambda i: 2 + i % 2)}),  # 3,4: 3.5
    ])
    _r, doc, text = _report(repo)
    cyclomatic = _row(doc, "avg_cyclomatic")
    assert cyclomatic["delta"]["abs"] == 2.0
    low, high = cyclomatic["delta"]["ci95"]
    assert 1.5 < low <= 2.0 <= high < 2.5, f"30 vs 30 functions, every AI one 2 branches more: {low}..{high}"
    assert cyclomatic["delta"]["verdict"] == "worse", "interval above 0 and higher is worse"
    again = _report(repo)[1]
    assert _row(again, "avg_cyclomatic")["delta"]["ci95"] == [low, high], "a fixed seed: the same interval"
    mi = _row(doc, "avg_maintainability")
    assert mi["delta"]["verdict"] == "better" if mi["delta"]["ci95"][0] > 0 else mi["delta"]["verdict"] in (
        "worse", "not significant")
    duplication = _row(doc, "duplication_pct")
    assert duplication["delta"]["verdict"] == "small sample", "1 file per side < 10 files"


def test_equal_means_are_not_significant(tmp_path):
    repo = _repo(tmp_path, "nosig", [
        (T0, "Add human code", {"human.py": _functions("h", 30, lambda i: 2 * (i % 2))}),   # CC 1,3: mean 2
        (T0 + DAY, AI_MESSAGE.format(what="AI code"), {"ai.py": _functions("a", 30, lambda i: 2 * ((i + 1) % 2))}),
    ])
    cyclomatic = _row(_report(repo)[1], "avg_cyclomatic")
    assert cyclomatic["delta"]["abs"] == 0.0
    low, high = cyclomatic["delta"]["ci95"]
    assert low < 0 < high and cyclomatic["delta"]["verdict"] == "not significant"


MODULE_LEVEL = ('import sqlite3\n\npassword = "hunter2hunter2"\ncur = sqlite3.connect("x").cursor()\n'
                'name = input()\ncur.execute("SELECT * FROM users WHERE name = \'" + name + "\'")\n')


def test_ai_code_only_in_module_level_statements_is_counted(tmp_path):
    repo = _repo(tmp_path, "module", [
        (T0, "Add human helper", {"human.py": "def human_fn(x):\n    return x + 1\n"}),
        (T0 + DAY, AI_MESSAGE.format(what="setup script"), {"setup_db.py": MODULE_LEVEL}),
    ])
    report, doc, text = _report(repo)
    security = _row(doc, "security_per_kloc")
    # setup_db.py, no function at all: a hard-coded password on line 3 (py-hardcoded-password and
    # secret-generic) and SQL built from input on line 6; 5 non-blank lines -> 3 / 5 lines x 1000 = 600 / kLOC.
    assert security["origins"]["ai"] == {"value": 600.0, "num": 3.0, "den": 5.0, "units": 1,
                                         "sample": {"functions": 0, "code_lines": 5, "files": 1}}
    assert security["origins"]["human"]["value"] == 0.0
    assert _text_row(text, "security hotspots")[2] == "600.00 (0.01 kLOC, 1 files)"
    assert _row(doc, "avg_cyclomatic")["origins"]["ai"]["value"] is None, "no AI function: no data"
    assert report["snapshot"]["rows"]["ai"]["debt_hours"] > 0, "module-level findings carry AI debt"
    head = doc["trend"]["samples"][-1]["rows"]["ai"]
    assert head["security_findings"] == 3 and head["code_lines"] == 5, "the trend counts them too"


def test_ai_code_appearing_mid_history_starts_the_ai_trend_there(tmp_path):
    commits = [(T0 + w * WEEK, f"Human week {w}", {f"h{w}.py": _functions(f"h{w}", 1, lambda i: 0)}) for w in range(3)]
    commits.append((T0 + 3 * WEEK, AI_MESSAGE.format(what="AI code"), {"ai.py": _functions("a", 2, lambda i: 1)}))
    commits.append((T0 + 4 * WEEK, "Human week 4", {"h4.py": _functions("h4", 1, lambda i: 0)}))
    repo = _repo(tmp_path, "mid", commits)
    _r, doc, text = _report(repo)
    samples = doc["trend"]["samples"]
    assert [s["date"] for s in samples] == ["2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05"]
    assert [s["rows"]["ai"]["avg_cyclomatic"] for s in samples] == [None, None, None, 2.0, 2.0], \
        "no AI point before the AI commit's week"
    assert [s["rows"]["human"]["avg_cyclomatic"] for s in samples] == [1.0] * 5
    trend = _row(doc, "avg_cyclomatic")["trend"]
    assert trend["ai"] == {"from": "2026-09-28", "to": "2026-10-05", "first": 2.0, "last": 2.0, "change": 0.0,
                           "points": 2, "direction": "flat"}
    assert ("  avg cyclomatic complexity: AI flat +0.00 (2.00 -> 2.00, 2026-09-28 to 2026-10-05); "
            "human flat +0.00 (1.00 -> 1.00, 2026-09-07 to 2026-10-05)") in text.splitlines()

    # --since narrows every row: only the AI commit and week 4 are in the period.
    _r, narrow, _text = _report(repo, since="2026-09-28")
    assert _row(narrow, "avg_cyclomatic")["origins"]["ai"]["den"] == 2.0
    assert _row(narrow, "avg_cyclomatic")["origins"]["human"]["den"] == 1.0, "h4 only: h0..h2 predate --since"
    assert narrow["sections"]["history"]["commits_scanned"] == 2
    assert [s["date"] for s in narrow["trend"]["samples"]] == ["2026-09-28", "2026-10-05"]
    assert _row(narrow, "gate_pass_rate")["origins"]["human"]["den"] == 1.0, "one human commit in the period"


def test_since_is_validated(tmp_path, capsys):
    repo = _repo(tmp_path, "since", [(T0, "Add", {"a.py": "def a():\n    return 1\n"})])
    args = argparse.Namespace(path=repo, format="text", since="last tuesday-ish", output=None, no_trend=True,
                              coverage=None)
    assert main(args) == 2, "a usage error"
    assert capsys.readouterr().err.strip() == \
        "guardline report: --since: expected a date like 2026-09-14, got 'last tuesday-ish'"


def test_missing_coverage_file_is_a_usage_error(tmp_path, capsys):
    repo = _repo(tmp_path, "cov", [(T0, "Add", {"a.py": "def a():\n    return 1\n"})])
    args = argparse.Namespace(path=repo, format="text", since=None, output=None, no_trend=True,
                              coverage=str(tmp_path / "nope.xml"))
    assert main(args) == 2
    assert capsys.readouterr().err.startswith("guardline report: cannot read coverage report ")


def test_json_validates_against_the_shipped_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    schema = json.loads(resources.files("guardline").joinpath("data/report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    repo = _repo(tmp_path, "schema", [
        (T0, "Add human code", {"human.py": _functions("h", 3, lambda i: i)}),
        (T0 + WEEK, AI_MESSAGE.format(what="AI code"), {"ai.py": _functions("a", 2, lambda i: 1)}),
    ])
    doc = _report(repo)[1]
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    assert doc["schema_version"] == schema["properties"]["schema_version"]["const"] == "guardline-report/1"
    broken = dict(doc, rows=[dict(doc["rows"][0], delta={"abs": 1})])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


TAINTED_FN = ('def lookup(db):\n    name = input("customer: ")\n'
              '    return db.execute("SELECT * FROM c WHERE n = \'" + name + "\'").fetchall()\n')


def test_gate_pass_rate_counts_failing_and_passing_commits(tmp_path):
    repo = _repo(tmp_path, "gate", [
        (T0, "Add helper", {"human.py": "def human_fn(x):\n    return x + 1\n"}),              # passes
        (T0 + DAY, AI_MESSAGE.format(what="lookup"), {"ai.py": TAINTED_FN}),                   # SQL from input: error
        (T0 + 2 * DAY, AI_MESSAGE.format(what="helper"), {"ai2.py": "def ai_fn(y):\n    return y * 2\n"}),  # passes
        (T0 + 3 * DAY, "Add admin lookup", {"admin.py": TAINTED_FN.replace("lookup", "admin_lookup")}),  # error
    ])
    gate = _row(_report(repo)[1], "gate_pass_rate")
    assert gate["origins"]["ai"] == {"value": 50.0, "num": 1.0, "den": 2.0, "units": 2, "sample": {"gate_commits": 2}}
    assert gate["origins"]["human"] == {"value": 50.0, "num": 1.0, "den": 2.0, "units": 2,
                                        "sample": {"gate_commits": 2}}, "the tainted SQL fails the human commit too"
    assert gate["tools"] == {"Claude Code": gate["origins"]["ai"]}
    assert gate["delta"] == {"abs": 0.0, "pct": 0.0, "ci95": gate["delta"]["ci95"], "verdict": "small sample"}


def test_coverage_py_json_found_in_a_subfolder_counts_branches_by_origin(tmp_path):
    ai_code = "def pick(x):\n    if x:\n        return 1\n    return 2\n"
    repo = _repo(tmp_path, "covjson", [
        (T0, "Add human helper", {"human.py": "def keep(x):\n    if x:\n        return x\n    return 0\n"}),
        (T0 + DAY, AI_MESSAGE.format(what="pick"), {"ai.py": ai_code}),
    ])
    os.makedirs(os.path.join(repo, "reports"))
    # coverage.py `coverage json`: ai.py line 2 has arcs 2->3 (taken) and 2->4 (missed); human.py both taken.
    data = {"meta": {"version": "7.6.1", "branch_coverage": True}, "files": {
        "ai.py": {"executed_lines": [1, 2, 3], "missing_lines": [4], "executed_branches": [[2, 3]],
                  "missing_branches": [[2, 4]]},
        "human.py": {"executed_lines": [1, 2, 3, 4], "missing_lines": [], "executed_branches": [[2, 3], [2, 4]],
                     "missing_branches": []}}}
    with open(os.path.join(repo, "reports", "coverage.json"), "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    doc = _report(repo)[1]
    branch = _row(doc, "branch_coverage_pct")
    assert branch["origins"]["ai"] == {"value": 50.0, "num": 1.0, "den": 2.0, "units": 1,
                                       "sample": {"branches": 2, "instrumented_lines": 4, "coverage_files": 1}}
    assert branch["origins"]["human"]["value"] == 100.0
    assert _row(doc, "line_coverage_pct")["origins"]["ai"]["value"] == 75.0, "3 of 4 lines executed"
    assert doc["sections"]["coverage"]["note"] == "line/branch coverage from reports/coverage.json"


def test_progress_bar_redraws_in_place():
    import io

    from guardline.report.progress import Bar

    stream = io.StringIO()
    bar = Bar(stream)
    bar("trend: sample 3/12 (ab12cd34ef)")
    bar.done()
    assert stream.getvalue() == ("\r\x1b[2Kguardline report: [######------------------] trend: sample 3/12 "
                                 "(ab12cd34ef)\r\x1b[2K"), "3/12 of 24 cells, then the line is cleared"
