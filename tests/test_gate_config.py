"""The gate and its configuration on real throw-away git repositories: the baseline ratchet on metric
values, per-path overrides, config errors that name file, line and problem, `demo` on a non-empty
folder, and the text output listing AI-written code first across files."""

from __future__ import annotations

import json
import pathlib

import pytest

from test_review_gate import commit, git, guardline

STRICT_GATE = '[gate]\nfail_on = ["warning", "error"]\n'   # warnings fail too: every finding counts


def shaped(name: str, nested: int, flat: int) -> str:
    """A function of cognitive complexity nested*(nested+1)/2 + flat: ``nested`` ifs inside each
    other (+1, +2, ... by nesting) and ``flat`` ifs one after another at the top (+1 each)."""
    body = []
    for depth in range(nested):
        body.append("    " * (depth + 1) + f"if a > {depth}:")
    body.append("    " * (nested + 1) + "a -= 1")
    body += [f"    if a == {i}:\n        a += {i}" for i in range(flat)]
    return f"def {name}(a):\n" + "\n".join(body) + "\n    return a\n"


def cognitive_of(proc, path: str, function: str) -> int:
    data = json.loads(proc.stdout)
    file = next(f for f in data["files"] if f["path"] == path)
    return next(fn["cognitive"] for fn in file["functions"] if fn["name"] == function)


@pytest.fixture()
def repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".guardline.toml").write_text(STRICT_GATE)
    return repo


def baseline_values(repo: pathlib.Path) -> dict[str, float]:
    data = json.loads((repo / ".guardline-baseline.json").read_text())
    return {e["function"]: e.get("value") for e in data["findings"] if e["rule"] == "cognitive"}


# ----------------------------------------------------------------------------- ratchet
def test_baseline_ratchet_on_values(repo):
    (repo / "app.py").write_text(shaped("load", 5, 3))           # 15 + 3 = 18 > 15: a warning
    commit(repo, "initial")
    proc = guardline(repo, "check", "--no-origin", "--format", "json")
    assert cognitive_of(proc, "app.py", "load") == 18 and proc.returncode == 1, "fails before the baseline"
    assert guardline(repo, "baseline").returncode == 0
    assert baseline_values(repo) == {"load": 18}, "the baseline records the value, not just the finding"
    assert guardline(repo, "check", "--no-origin").returncode == 0, "known at the same value"

    (repo / "app.py").write_text(shaped("load", 6, 0))           # 21: worse than the recorded 18
    commit(repo, "worse")
    proc = guardline(repo, "check", "--no-origin", "--format", "json")
    assert proc.returncode == 1, "18 -> 21 is not 'known': a baselined function that got worse fails"
    data = json.loads(proc.stdout)
    assert (data["baseline"]["known"], data["baseline"]["new"], data["baseline"]["worse"]) == (0, 1, 1)
    message = next(f["message"] for f in data["files"][0]["findings"] if f["rule"] == "cognitive")
    assert "worse than the baseline's 18" in message

    (repo / "app.py").write_text(shaped("load", 5, 1))           # 16: better than recorded, still a warning
    commit(repo, "better")
    assert guardline(repo, "check", "--no-origin").returncode == 0, "an improvement passes"
    proc = guardline(repo, "baseline", "--ratchet")
    assert proc.returncode == 0 and "1 values lowered" in proc.stdout, proc.stdout + proc.stderr
    assert baseline_values(repo) == {"load": 16}, "the ratchet lowers the recorded value"

    (repo / "app.py").write_text(shaped("load", 5, 3))           # back to 18: now worse than 16
    commit(repo, "back to 18")
    assert guardline(repo, "check", "--no-origin").returncode == 1, "18 is worse than the ratcheted 16"
    (repo / "app.py").write_text(shaped("load", 5, 3) + "\n\n" + shaped("fresh", 5, 2))
    assert guardline(repo, "baseline", "--ratchet").returncode == 0
    assert baseline_values(repo) == {"load": 16}, "the ratchet never raises a value nor adds a finding"

    (repo / "app.py").write_text("def load(a):\n    return a\n")
    commit(repo, "fixed")
    assert guardline(repo, "baseline", "--ratchet").returncode == 0
    assert baseline_values(repo) == {}, "a fixed finding leaves the baseline"


def test_ratchet_needs_a_baseline(repo):
    (repo / "app.py").write_text(shaped("load", 5, 3))
    commit(repo, "initial")
    proc = guardline(repo, "baseline", "--ratchet")
    assert proc.returncode == 2 and "needs an existing baseline" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, "one line, no traceback"


def test_maintainability_ratchet_direction():
    from guardline.baseline import better, is_worse
    assert is_worse("cognitive", 18, 19) and not is_worse("cognitive", 18, 18)
    assert is_worse("maintainability", 15.0, 12.5), "a lower maintainability index is worse"
    assert better("maintainability", 15.0, 17.0) == 17.0 and better("cognitive", 18, 16) == 16
    assert not is_worse("cognitive", None, 40), "an old baseline without values: matched as before"


# ----------------------------------------------------------------------------- overrides
OVERRIDES = """\
[[overrides]]
paths = ["tests/**"]
disabled_rules = ["duplicate-code"]
[overrides.thresholds.human.cognitive]
warning = 30

[[overrides]]
paths = ["src/strict/**"]
[overrides.thresholds.human.cognitive]
error = 17
"""


def test_per_path_overrides(repo):
    (repo / ".guardline.toml").write_text(OVERRIDES)
    for rel in ("src/app.py", "tests/test_app.py", "src/strict/core.py"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(shaped("load", 5, 3))              # cognitive 18 in all three
    commit(repo, "three copies")
    proc = guardline(repo, "check", "--no-origin", "--format", "json")
    data = json.loads(proc.stdout)
    got = {(f["path"], x["rule"]): x["severity"] for f in data["files"] for x in f["findings"]}
    assert got[("src/app.py", "cognitive")] == "warning", "global limits: 18 > 15 is a warning"
    assert ("tests/test_app.py", "cognitive") not in got, "tests/**: warning limit 30"
    assert got[("src/strict/core.py", "cognitive")] == "error", "src/strict/**: error limit 17"
    assert ("src/app.py", "duplicate-code") in got, "three identical functions are clones"
    assert ("tests/test_app.py", "duplicate-code") not in got, "duplicate-code is off under tests/**"
    assert proc.returncode == 1 and data["summary"]["findings_failing_gate"] >= 1
    verbose = guardline(repo, "check", "--no-origin", "-v").stdout
    assert "override #1 (tests/**): human.cognitive.warning=30; disabled duplicate-code" in verbose
    assert "override #2 (src/strict/**): human.cognitive.error=17" in verbose


def test_overrides_apply_to_absolute_editor_paths(repo):
    from guardline.config import load_config
    (repo / ".guardline.toml").write_text(OVERRIDES)
    config = load_config(str(repo))
    editor_path = str(repo / "src" / "strict" / "core.py")       # the language server's paths are absolute
    assert config.for_path(editor_path).limits("human", "cognitive")["error"] == 17
    assert config.for_path(str(repo / "src" / "app.py")) is config, "no override: the same config"


# ----------------------------------------------------------------------------- config errors
BROKEN = {
    # file name -> (text, line of the problem, words of the problem)
    "pyproject.toml": ('[project]\nname = "x"\n\n[tool.guardline\nexclude = []\n', 4, "invalid TOML"),
    "guardline.toml": ('exclude = []\n\n[duplication]\nmin_tokenz = 3\n', 4, "unknown key 'duplication.min_tokenz'"),
    ".guardline.toml": ('[thresholds.ai.cognitive]\nwarning = "high"\n', 2,
                        "'thresholds.ai.cognitive.warning' must be a non-negative number"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_malformed_config_file_is_one_line_error(repo, name):
    text, line, problem = BROKEN[name]
    (repo / ".guardline.toml").unlink()
    (repo / name).write_text(text)
    (repo / "app.py").write_text("def f():\n    return 1\n")
    proc = guardline(repo, "check", "--no-origin")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"one line, no traceback: {proc.stderr}"
    assert f"{repo / name}:{line}: " in lines[0] and problem in lines[0], lines[0]


def test_invalid_pyproject_without_our_table_is_not_silently_ignored(repo):
    (repo / ".guardline.toml").unlink()
    (repo / "pyproject.toml").write_text('[project]\nname = "x\n')
    (repo / "app.py").write_text("def f():\n    return 1\n")
    proc = guardline(repo, "check", "--no-origin")
    assert proc.returncode == 2 and "pyproject.toml:2: invalid TOML" in proc.stderr


@pytest.mark.parametrize("text, problem", [
    ('[[overrides]]\ndisabled_rules = ["cognitive"]\n', "'overrides[1].paths' must be a non-empty list"),
    ('[[overrides]]\npaths = ["a/**"]\ndisabled_rules = ["cognitve"]\n', "unknown rule ids ['cognitve']"),
    ('[[overrides]]\npaths = ["a/**"]\nlimit = 3\n', "unknown key 'overrides[1].limit'"),
    ('[[overrides]]\npaths = ["a/**"]\n[overrides.thresholds.ai.cognitive]\nwarn = 3\n', "unknown severity"),
])
def test_malformed_overrides(repo, text, problem):
    (repo / ".guardline.toml").write_text(text)
    (repo / "app.py").write_text("def f():\n    return 1\n")
    proc = guardline(repo, "check", "--no-origin")
    assert proc.returncode == 2 and problem in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- demo, text order
def test_demo_refuses_a_non_empty_folder(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.md").write_text("my notes\n")
    for args in (("demo", str(target)), ("demo", "--force", str(target))):
        proc = guardline(tmp_path, *args)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert (target / "notes.md").read_text() == "my notes\n", "the user's folder is left alone"


def test_text_lists_ai_written_findings_first_across_files(repo):
    (repo / ".guardline.toml").write_text('[origin]\nai_paths = ["z_ai/**"]\n')
    (repo / "a_human.py").write_text(shaped("human_fn", 5, 3))   # 18: warning for human code
    (repo / "z_ai").mkdir()
    (repo / "z_ai" / "gen.py").write_text(shaped("ai_fn", 5, 4))  # 19: error for AI code (> 15)
    commit(repo, "two files")
    text = guardline(repo, "check").stdout
    headers = [line for line in text.splitlines() if not line.startswith(" ")]
    assert headers[:4] == ["AI-written code (AI limits):", "z_ai/gen.py", "Other code:", "a_human.py"], \
        f"z_ai/gen.py sorts last but its AI finding is listed first:\n{text}"
