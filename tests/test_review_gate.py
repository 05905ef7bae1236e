"""Review mode (`check --base`), the quality gate, SARIF and the baseline ratchet, on real throw-away
git repositories built with git itself."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import textwrap

import jsonschema
import pytest

SCHEMA = json.loads((pathlib.Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

# cognitive 18: a warning for human code (> 15), an error for AI code (> 15 is the AI error limit)
TANGLED = textwrap.dedent("""\
    def tangled(a, b, c):
        for x in a:
            if x and b:
                for y in b:
                    if y or c:
                        while c:
                            c -= 1
                    else:
                        pass
        return a
    """)
# cognitive 26: an error for anyone (> 25)
WORSE = textwrap.dedent("""\
    def worse(a, b, c):
        for x in a:                       # +1
            if x and b:                   # +2, +1 and
                for y in b:               # +3
                    if y or c and b:      # +4, +2 (or, and)
                        while c:          # +5
                            if c:         # +6
                                c -= 1
                    else:                 # +1
                        pass
            elif a:                       # +1
                pass
        return a
    """)
SIMPLE = "def simple(a):\n    return a + 1\n"
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: pathlib.Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=env or ENV).stdout


def commit(repo: pathlib.Path, message: str, email: str = "dev@example.com", name: str = "Dev") -> None:
    git(repo, "add", "-A")
    env = {**ENV, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name,
           "GIT_COMMITTER_EMAIL": email}
    git(repo, "commit", "-q", "-m", message, env=env)


def guardline(repo: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guardline", *args], cwd=repo, capture_output=True, text=True,
                          timeout=180, env=ENV)


@pytest.fixture()
def repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "old.py").write_text(TANGLED.replace("tangled", "legacy"))
    (repo / "keep.py").write_text(SIMPLE)
    commit(repo, "initial")
    git(repo, "checkout", "-q", "-b", "feature")
    return repo


def findings(proc: subprocess.CompletedProcess) -> list[tuple[str, str, str]]:
    data = json.loads(proc.stdout)
    return [(f["path"], x["rule"], x["severity"]) for f in data["files"] for x in f["findings"]]


def test_base_selects_only_changed_functions(repo):
    (repo / "new.py").write_text(TANGLED)
    commit(repo, "add tangled")
    proc = guardline(repo, "check", "--base", "main", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [f["path"] for f in data["files"]] == ["new.py"], "old.py did not change on this branch"
    assert ("new.py", "cognitive", "warning") in findings(proc)


def test_base_includes_uncommitted_and_untracked_changes(repo):
    (repo / "keep.py").write_text(SIMPLE + "\n" + WORSE)
    (repo / "scratch.py").write_text(TANGLED)
    proc = guardline(repo, "check", "--base", "main", "--format", "json")
    assert proc.returncode == 1, "worse has cognitive 26 > 25: an error fails the gate"
    got = findings(proc)
    assert ("keep.py", "cognitive", "error") in got and ("scratch.py", "cognitive", "warning") in got
    data = json.loads(proc.stdout)
    keep = next(f for f in data["files"] if f["path"] == "keep.py")
    assert [fn["name"] for fn in keep["functions"]] == ["worse"], "the unchanged function is not selected"


def test_base_context_shows_unchanged_findings_as_hints(repo):
    (repo / "old.py").write_text((repo / "old.py").read_text() + "\n" + SIMPLE)
    commit(repo, "touch old.py outside legacy()")
    proc = guardline(repo, "check", "--base", "main", "--format", "json", "--context")
    assert ("old.py", "cognitive", "hint") in findings(proc), "legacy() is unchanged: context only"
    proc = guardline(repo, "check", "--base", "main", "--format", "json")
    assert findings(proc) == []


def test_base_follows_renames(repo):
    git(repo, "mv", "old.py", "renamed.py")
    commit(repo, "rename only")
    proc = guardline(repo, "check", "--base", "main", "--format", "json", "--allow-empty")
    assert findings(proc) == [], "a pure rename changes no function"


def test_base_with_deleted_file_and_detached_head(repo):
    (repo / "new.py").write_text(TANGLED)
    os.remove(repo / "keep.py")
    commit(repo, "add one, delete one")
    git(repo, "checkout", "-q", "--detach", "HEAD")
    proc = guardline(repo, "check", "--base", "main", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert [f["path"] for f in json.loads(proc.stdout)["files"]] == ["new.py"]


def test_missing_base_and_empty_selection_are_usage_errors(repo):
    proc = guardline(repo, "check", "--base", "nope")
    assert proc.returncode == 2 and "does not exist" in proc.stderr and "git fetch" in proc.stderr
    proc = guardline(repo, "check", "--base", "main")
    assert proc.returncode == 2 and "no analysable files changed since main" in proc.stderr
    assert guardline(repo, "check", "--base", "main", "--allow-empty").returncode == 0


def test_shallow_clone_without_merge_base_says_how_to_fix(repo, tmp_path):
    (repo / "a.py").write_text(SIMPLE)
    commit(repo, "second")
    (repo / "b.py").write_text(SIMPLE)
    commit(repo, "third")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{repo}", str(shallow)],
                   check=True, env=ENV)
    proc = guardline(shallow, "check", "--base", "origin/main")
    assert proc.returncode == 2 and "git fetch --unshallow" in proc.stderr


def test_ai_and_human_code_face_different_gates(repo):
    (repo / "human.py").write_text(TANGLED)
    commit(repo, "human change")
    assert guardline(repo, "check", "--base", "main").returncode == 0, "cognitive 18 is a warning for humans"
    (repo / "ai.py").write_text(TANGLED.replace("tangled", "generated_by_ai"))
    commit(repo, "Add parser\n\nGenerated with [Claude Code](https://claude.ai/code)\n\n"
                 "Co-Authored-By: Claude <noreply@anthropic.com>\n")
    proc = guardline(repo, "check", "--base", "main", "--format", "json")
    assert proc.returncode == 1, "the same code written by AI is an error (> 15 for AI code)"
    assert ("ai.py", "cognitive", "error") in findings(proc)
    text = guardline(repo, "check", "--base", "main").stdout
    assert text.index("ai.py") >= 0 and "[AI]" in text
    verbose = guardline(repo, "check", "-v", "--base", "main").stdout
    assert "origin generated_by_ai (line 1): AI 100% (Claude Code" in verbose, "-v says which evidence applied"


def test_sarif_output_is_valid_and_fingerprints_are_stable(repo):
    (repo / "new.py").write_text(TANGLED + "\n" + WORSE)
    proc = guardline(repo, "check", "--format", "sarif", "--no-origin")
    sarif = json.loads(proc.stdout)
    jsonschema.validate(sarif, SCHEMA)
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "cognitive" in rule_ids and all(r["helpUri"].endswith("#" + r["id"]) for r in run["tool"]["driver"]["rules"])
    before = {r["partialFingerprints"]["guardline/v1"] for r in run["results"]}
    assert all(r["properties"]["origin"] for r in run["results"])
    # an unrelated edit above shifts every line; fingerprints must not change
    (repo / "new.py").write_text("import os\n\n\n" + TANGLED + "\n" + WORSE)
    after_run = json.loads(guardline(repo, "check", "--format", "sarif", "--no-origin").stdout)["runs"][0]
    after = {r["partialFingerprints"]["guardline/v1"] for r in after_run["results"]}
    assert before == after


def test_baseline_round_trip(repo):
    (repo / "new.py").write_text(WORSE)
    proc = guardline(repo, "baseline")
    assert proc.returncode == 0, proc.stderr
    baseline = json.loads((repo / ".guardline-baseline.json").read_text())
    assert baseline["version"] == 1 and any(e["rule"] == "cognitive" for e in baseline["findings"])
    assert "line" not in json.dumps(baseline["findings"]).replace("start_line", ""), "no line numbers"
    assert guardline(repo, "check", "--no-origin").returncode == 0, "known findings do not fail the gate"
    # a new finding fails
    (repo / "more.py").write_text(WORSE.replace("worse", "worse_again"))
    proc = guardline(repo, "check", "--no-origin", "--format", "json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["baseline"]["new"] >= 1
    os.remove(repo / "more.py")
    # fixing an old one is reported as gone
    (repo / "new.py").write_text(SIMPLE)
    proc = guardline(repo, "check", "--no-origin", "--format", "json")
    gone = json.loads(proc.stdout)["baseline"]["gone"]
    assert any(e["path"] == "new.py" and e["rule"] == "cognitive" for e in gone)
