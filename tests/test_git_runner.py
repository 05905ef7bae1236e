"""The one hardened git runner (guardline/git.py): nothing in the package starts a process around it,
and the runner itself disables what a repository could make git run."""

from __future__ import annotations

import ast
import os
import pathlib
import subprocess

import pytest

import guardline
from guardline import git as gitmod
from guardline.git import Git, GitError, driver_overrides, git_executable

PACKAGE = pathlib.Path(guardline.__file__).parent
RUNNER = PACKAGE / "git.py"
# Modules whose import alone means "I start processes myself".
PROCESS_MODULES = {"subprocess", "asyncio.subprocess", "pty", "popen2", "commands"}
# Calls that start a program, per module (multiprocessing pools are fine: processes.py). asyncio.run is
# not one of them: the owner matters.
PROCESS_CALLS = {
    "subprocess": {"run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"},
    "os": {"system", "popen", "execv", "execve", "execl", "execle", "execlp", "execlpe", "execvp", "execvpe",
           "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "posix_spawn",
           "posix_spawnp", "startfile"},
    "asyncio": {"create_subprocess_exec", "create_subprocess_shell"},
    "pty": {"spawn", "fork"},
}


def _bypasses(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name in PROCESS_MODULES]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module in PROCESS_MODULES:
                found.append((node.lineno, f"from {module} import ..."))
            elif module in PROCESS_CALLS:
                found += [(node.lineno, f"from {module} import {a.name}") for a in node.names
                          if a.name in PROCESS_CALLS[module] or a.name == "subprocess"]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and node.func.attr in PROCESS_CALLS.get(owner.id, ()):
                found.append((node.lineno, f"{owner.id}.{node.func.attr}(...)"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            found.append((node.lineno, "__import__(...)"))
    return found


def test_no_process_is_started_outside_the_git_runner():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == RUNNER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offenders += [f"{path.relative_to(PACKAGE)}:{line}: {what}" for line, what in _bypasses(tree)]
    assert offenders == [], "every process goes through guardline/git.py:\n" + "\n".join(offenders)


@pytest.mark.parametrize("source, expected", [
    ("import subprocess\n", ["import subprocess"]),
    ("from subprocess import run as r\n", ["from subprocess import ..."]),
    ("import os\nos.system('x')\n", ["os.system(...)"]),
    ("from os import popen\n", ["from os import popen"]),
    ("import asyncio\nasyncio.create_subprocess_exec('git')\n", ["asyncio.create_subprocess_exec(...)"]),
    ("import os\nos.posix_spawn('/bin/sh', [], {})\n", ["os.posix_spawn(...)"]),
    ("m = __import__('subprocess')\n", ["__import__(...)"]),
    ("import os\nos.path.join('a')\nimport multiprocessing\n", []),
    ("import asyncio\nasyncio.run(main())\n", []),
])
def test_the_scan_recognises_each_way_to_start_a_process(source, expected):
    """The scan above is only as good as its patterns: each bypass form is caught, harmless code is not."""
    assert [what for _line, what in _bypasses(ast.parse(source))] == expected


def test_argv_carries_every_override(tmp_path):
    argv = Git(str(tmp_path)).argv(["log", "-p", "HEAD", "--"])
    joined = " ".join(argv)
    for setting in ("core.fsmonitor=false", f"core.hooksPath={os.devnull}", "core.pager=cat", "diff.external=",
                    "protocol.allow=never", "core.sshCommand="):
        assert f"-c {setting}" in joined, setting
    assert argv[argv.index("log") + 1:argv.index("log") + 3] == ["--no-ext-diff", "--no-textconv"]
    blame = Git(str(tmp_path)).argv(["blame", "--porcelain", "--", "a.py"])
    assert blame[blame.index("blame") + 1] == "--no-textconv"


@pytest.mark.parametrize("command", ["fetch", "pull", "push", "clone", "ls-remote", "submodule", "remote",
                                     "daemon", "upload-pack", "send-email", "-c"])
def test_network_and_unknown_commands_are_refused(tmp_path, command):
    with pytest.raises(GitError, match="does not run"):
        Git(str(tmp_path)).run([command, "origin"])


def test_driver_overrides_cover_every_named_filter_and_diff_driver():
    listing = (b"filter.lfs.clean\ngit-lfs clean\0filter.lfs.smudge\ngit-lfs smudge\0"
               b"filter.a=b.c.process\nevil\0diff.pdf.textconv\npdftotext\0diff.pdf.cachetextconv\ntrue\0"
               b"diff.ext.command\nrun-me\0diff.color\nauto\0")
    assert driver_overrides(listing) == [
        ("filter.lfs.clean", ""), ("filter.lfs.smudge", ""), ("filter.lfs.process", ""), ("filter.lfs.required", "false"),
        ("filter.a=b.c.clean", ""), ("filter.a=b.c.smudge", ""), ("filter.a=b.c.process", ""),
        ("filter.a=b.c.required", "false"),
        ("diff.pdf.textconv", ""), ("diff.pdf.command", ""), ("diff.ext.textconv", ""), ("diff.ext.command", ""),
    ], "a name with dots or '=' is kept whole; `diff.color` (no driver name) is not a driver"


def test_git_is_found_only_in_absolute_path_entries(tmp_path, monkeypatch):
    planted = tmp_path / "git"
    planted.write_text("#!/bin/sh\nexit 0\n")
    planted.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    real = git_executable()
    monkeypatch.setenv("PATH", os.pathsep.join([".", "", os.path.dirname(real or "/usr/bin/git")]))
    assert git_executable() == real, "a relative or empty PATH entry would run the workspace's own `git`"


# What guardline asks git in a repository (review, editor review, origin, report), each through the runner.
GUARDLINE_QUERIES = (
    (["diff", "--unified=0", "--no-color", "--find-renames", "main", "--"], None),
    (["diff", "-U0", "--no-color", "main", "HEAD", "--"], None),
    (["diff", "--cached", "-M", "--name-status", "-z", "main", "--"], None),
    (["ls-files", "--others", "--exclude-standard", "-z"], None),
    (["ls-files", "-m", "--"], None),
    (["blame", "--porcelain", "-w", "-M", "--", "a.py"], None),
    (["blame", "--porcelain", "-w", "-M", "--contents", "-", "--", "a.py"], b"a = 3\n"),
    (["log", "--root", "-p", "-U0", "-M", "--format=%x01%H %P", "HEAD", "--"], None),
    (["cat-file", "--batch"], b"HEAD:a.py\n"),
)
# One hostile setting per case; "{evil}" is the marker-writing program.
HOSTILE = {
    "fsmonitor": {"core.fsmonitor": "{evil}"},
    "clean filter": {"filter.evil.clean": "{evil}"},
    "smudge filter": {"filter.evil.smudge": "{evil}", "diff.evil.textconv": "cat"},
    "process filter": {"filter.evil.process": "{evil}", "filter.evil.required": "true"},
    "textconv": {"diff.evil.textconv": "{evil}"},
    "diff driver command": {"diff.evil.command": "{evil}"},
    "diff.external": {"diff.external": "{evil}"},
}


def _plain(repo: pathlib.Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The test's own git: no hardening at all (what guardline used to do in review.py)."""
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, check=False)


def _armed_repo(tmp_path: pathlib.Path, settings: dict[str, str]) -> tuple[pathlib.Path, pathlib.Path]:
    repo, marker, evil = tmp_path / "r", tmp_path / "ran", tmp_path / "evil.sh"
    evil.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\nif [ -f \"$1\" ]; then cat \"$1\"; else cat; fi\n")
    evil.chmod(0o755)
    repo.mkdir()
    _plain(repo, "init", "-q", "-b", "main")
    (repo / ".gitattributes").write_text("*.py filter=evil diff=evil\n")
    for text in ("a = 1\n", "a = 2\n"):
        (repo / "a.py").write_text(text)
        _plain(repo, "add", "a.py", ".gitattributes")
        _plain(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", text)
    _plain(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    for key, value in settings.items():
        _plain(repo, "config", key, value.format(evil=evil))
    (repo / "a.py").write_text("a = 3\n")         # a work-tree change: git would clean it to compare
    (repo / "b.py").write_text("b = 1\n")         # untracked
    return repo, marker


@pytest.mark.parametrize("case", list(HOSTILE))
def test_no_repository_program_runs_for_any_query_guardline_makes(tmp_path, case):
    repo, marker = _armed_repo(tmp_path, HOSTILE[case])
    for args, stdin in GUARDLINE_QUERIES:
        _plain(repo, *args, stdin=stdin)
    assert marker.exists(), f"the {case} case is armed: plain git runs it for one of these queries"
    marker.unlink()
    runner = Git(str(repo))
    for args, stdin in GUARDLINE_QUERIES:
        runner.run(args, stdin=stdin)          # and every query still succeeds
    list(runner.stream(GUARDLINE_QUERIES[7][0]))
    assert not marker.exists(), marker.read_text() if marker.exists() else ""


def test_stream_stops_git_when_the_reader_stops(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    lines = Git(str(tmp_path)).stream(["version"])
    assert next(lines).startswith(b"git version")
    lines.close()       # must not hang or raise


def test_git_missing_is_its_own_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(gitmod.GitMissing):
        Git(str(tmp_path)).run(["version"])


def test_transport_commands_need_transport_mode_and_keep_the_overrides(tmp_path):
    # guardline org clones and fetches repositories a user named; nothing else may, and ext:: stays off.
    with pytest.raises(GitError, match="does not run"):
        Git(str(tmp_path)).argv(["fetch", "origin"])
    argv = Git(str(tmp_path), transport=True).argv(["fetch", "origin"])
    joined = " ".join(argv)
    for setting in ("core.fsmonitor=false", f"core.hooksPath={os.devnull}", "diff.external=",
                    "protocol.allow=never", "protocol.file.allow=always", "protocol.https.allow=always"):
        assert f"-c {setting}" in joined, setting
    assert "protocol.ext.allow" not in joined, "ext:: falls under protocol.allow=never"
    with pytest.raises(GitError, match="does not run"):
        Git(str(tmp_path), transport=True).argv(["push", "origin"])
