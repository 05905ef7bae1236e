"""`guardline check` and `guardline explain` end to end, through the real console entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import jsonschema
import pytest

from guardline.cli import __file__ as CLI_FILE

CHECK_SCHEMA = json.loads(open(os.path.join(os.path.dirname(CLI_FILE), "data", "check-result.schema.json")).read())

COMPLEX = textwrap.dedent("""\
    def tangled(a, b, c):
        for x in a:                      # +1
            if x and b:                  # +2 (nesting 1), +1 `and`
                for y in b:              # +3 (nesting 2)
                    if y or c:           # +4 (nesting 3), +1 `or`
                        while c:         # +5 (nesting 4)
                            c -= 1
                    else:                # +1
                        pass
        return a
    """)   # cognitive 18 > 15 (human warning limit), < 25 (human error limit)

SIMPLE = "def simple(a):\n    return a + 1\n"


def guardline(*args: str, cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guardline", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "complex.py").write_text(COMPLEX)
    (tmp_path / "pkg" / "simple.py").write_text(SIMPLE)
    (tmp_path / "notes.txt").write_text("not code")
    return tmp_path


def test_check_json_contract(project):
    proc = guardline("check", "--format", "json", "--no-origin", ".", cwd=str(project))
    assert proc.returncode == 0, proc.stderr   # warnings only: the default gate fails on errors
    data = json.loads(proc.stdout)
    assert (data["tool"], data["schema"]) == ("guardline", 2), "schema 2: the summary names what it counts"
    jsonschema.validate(data, CHECK_SCHEMA)
    assert data["root"] == str(project)
    paths = [f["path"] for f in data["files"]]
    assert paths == ["pkg/complex.py", "pkg/simple.py"], "sorted, relative, forward slashes; .txt skipped"
    complex_file = data["files"][0]
    assert complex_file["language"] == "python" and complex_file["lines"] == 10 and complex_file["error"] is None
    fn = complex_file["functions"][0]
    for key in ("name", "qualified_name", "start_line", "end_line", "cyclomatic", "cognitive",
                "maintainability", "origin", "ai_share"):
        assert key in fn
    assert (fn["name"], fn["start_line"], fn["end_line"]) == ("tangled", 1, 10)
    assert fn["cognitive"] == 18 and fn["cyclomatic"] == 8, "1 + for + if + and + for + if + or + while"
    finding = next(f for f in complex_file["findings"] if f["rule"] == "cognitive")
    assert finding["severity"] == "warning" and finding["category"] == "complexity"
    assert "18 > 15" in finding["message"] and "limit for human code" in finding["message"]
    assert data["summary"]["gate"] == "pass" and data["summary"]["files"] == 2
    # one cognitive warning and (cyclomatic 8 <= 10) nothing else: findings and files counted apart
    assert data["summary"]["findings_by_severity"] == {"error": 0, "warning": 1, "info": 0, "hint": 0}
    assert (data["summary"]["files_with_findings"], data["summary"]["files_not_analysed"]) == (1, 0)
    assert data["summary"]["findings_failing_gate"] == 0, "a warning does not fail the default gate"


def test_check_json_schema_ships_in_the_package():
    import importlib.resources
    shipped = importlib.resources.files("guardline") / "data" / "check-result.schema.json"
    assert json.loads(shipped.read_text())["properties"]["schema"]["const"] == 2


def test_check_gate_fails_on_error_level_findings(project):
    (project / ".guardline.toml").write_text("[thresholds.human.cognitive]\nerror = 17\n")
    proc = guardline("check", "--no-origin", ".", cwd=str(project))
    assert proc.returncode == 1, "cognitive 18 > configured error limit 17 fails the gate"
    assert "gate FAIL" in proc.stdout


def test_check_unknown_config_key_is_a_usage_error(project):
    (project / "guardline.toml").write_text("[duplication]\nmin_tokenz = 3\n")
    proc = guardline("check", ".", cwd=str(project))
    assert proc.returncode == 2
    assert "guardline.toml" in proc.stderr and "duplication.min_tokenz" in proc.stderr


def test_check_bad_value_names_key_and_file(project):
    (project / "pyproject.toml").write_text('[tool.guardline]\ncyclomatic_profile = "mccabe"\n')
    proc = guardline("check", ".", cwd=str(project))
    assert proc.returncode == 2
    assert "pyproject.toml" in proc.stderr and "cyclomatic_profile" in proc.stderr


def test_check_never_succeeds_on_nothing(tmp_path):
    (tmp_path / "readme.md").write_text("# nothing to analyse\n")
    proc = guardline("check", ".", cwd=str(tmp_path))
    assert proc.returncode == 2 and "no analysable files" in proc.stderr
    proc = guardline("check", "--allow-empty", ".", cwd=str(tmp_path))
    assert proc.returncode == 0


def test_check_missing_path_is_usage_error(tmp_path):
    proc = guardline("check", "does-not-exist", cwd=str(tmp_path))
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_check_honours_gitignore_and_exclude(project):
    (project / ".gitignore").write_text("pkg/simple.py\n")
    (project / "guardline.toml").write_text('exclude = ["pkg/complex.py"]\n')
    (project / "other.py").write_text(SIMPLE)
    proc = guardline("check", "--format", "json", "--no-origin", ".", cwd=str(project))
    assert [f["path"] for f in json.loads(proc.stdout)["files"]] == ["other.py"]


def test_bad_files_are_reported_and_the_run_continues(project):
    (project / "binary.py").write_bytes(b"\x00\x01\x02def f(): pass")
    (project / "latin1.py").write_bytes(b"# caf\xe9\ndef g(a):\n    return a or 1\n")
    (project / "broken.py").write_text("def h(a):\n    if a\n        return 1\ndef ok(b):\n    return b and 1\n")
    (project / "guardline.toml").write_text("max_file_bytes = 1000\n")
    (project / "huge.py").write_text("x = 1\n" * 1000)
    (project / "empty.py").write_text("")
    proc = guardline("check", "--format", "json", "--no-origin", ".", cwd=str(project))
    files = {f["path"]: f for f in json.loads(proc.stdout)["files"]}
    assert files["binary.py"]["error"] == "binary file (NUL bytes)"
    assert "over the 1,000-byte limit" in files["huge.py"]["error"]
    assert [f["name"] for f in files["latin1.py"]["functions"]] == ["g"], "invalid UTF-8 replaced, still analysed"
    assert any("invalid UTF-8" in n for n in files["latin1.py"]["notes"])
    assert "ok" in [f["name"] for f in files["broken.py"]["functions"]], "what parses is still reported"
    assert files["empty.py"]["functions"] == [] and files["empty.py"]["error"] is None


def test_warm_rescan_uses_the_cache(project):
    guardline("check", "--no-origin", ".", cwd=str(project))
    assert (project / ".guardline" / "metrics.sqlite").exists()
    assert (project / ".guardline" / ".gitignore").read_text().strip().endswith("*"), "cache never committed"
    first = guardline("check", "--format", "json", "--no-origin", ".", cwd=str(project)).stdout
    second = guardline("check", "--format", "json", "--no-origin", ".", cwd=str(project)).stdout
    assert json.loads(first) == json.loads(second), "cached results are identical to fresh ones"


def test_explain_prints_each_increment(project):
    proc = guardline("explain", "pkg/complex.py:5", cwd=str(project))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "tangled" in out and "cognitive = 18" in out
    assert "line     6  +5  while (nesting 4)" in out


def test_explain_line_outside_function(project):
    proc = guardline("explain", "pkg/complex.py:99", cwd=str(project))
    assert proc.returncode == 2 and "not inside a function" in proc.stderr


def test_deep_nesting_does_not_recurse(tmp_path):
    depth = 5000
    code = "function f(x){" + "if(x){" * depth + "}" * depth + "}\n"
    (tmp_path / "deep.js").write_text(code)
    proc = guardline("check", "--format", "json", "--no-origin", ".", cwd=str(tmp_path))
    fn = json.loads(proc.stdout)["files"][0]["functions"][0]
    # cognitive = sum over nesting levels 0..4999 of (1 + level) = 5000 * 5001 / 2
    assert fn["cognitive"] == depth * (depth + 1) // 2
    assert fn["cyclomatic"] == depth + 1
