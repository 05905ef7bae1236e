"""Hostile repositories: guardline never runs a program the repository configures and never imports a
module planted in it (docs/architecture.md, "Rules of the house").

One real git repository (built in tmp_path with git itself, then armed): every program git could run
for it is a script that writes a marker file named after itself — core.fsmonitor, clean/smudge/process
filters and a textconv/diff command via .gitattributes, diff.external, hooks (core.hooksPath and
.git/hooks), core.pager and pager.*, core.sshCommand (with an ssh remote), gpg with log.showSignature,
credential.helper — and the workspace root holds `pickle.py`, `multiprocessing.py`, `sitecustomize.py`,
`usercustomize.py` and a `.pth` that write markers when imported. Each guardline command runs there the
way a user runs it (the `guardline` console script, the workspace as current folder) and no marker may
exist afterwards. The tree has a work-tree edit and an untracked file (so git would filter and diff),
more than scan.MIN_FILES_FOR_PROCESSES files (so worker processes start) and a feature branch (--base).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_asyncio  # noqa: F401  (the asyncio plugin drives the server test)
from lsprotocol import types as t

import test_lsp_support
from origin_helpers import GIT, Repo, git_env
from test_lsp_support import COMPLEX_PY, open_doc, running_server

GUARDLINE = str(Path(sys.executable).with_name("guardline"))
FILES = 26      # > scan.MIN_FILES_FOR_PROCESSES (24): worker processes start
CLAUDE = "Add feature\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n"
HOOKS = ("pre-commit", "post-commit", "commit-msg", "prepare-commit-msg", "post-checkout", "post-merge",
         "pre-push", "post-rewrite", "reference-transaction", "fsmonitor-watchman", "post-index-change")
PLANTED_MODULES = ("pickle", "multiprocessing", "sitecustomize", "usercustomize", "json", "sqlite3")


def _program(bin_dir: Path, markers: Path, name: str) -> str:
    """A script that records that it ran (its name, its arguments) and passes stdin through."""
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\necho \"$@\" >> '{markers / name}'\n"
                    "if [ -f \"$1\" ]; then cat \"$1\"; else cat; fi\n")
    path.chmod(0o755)
    return str(path)


def _plant_modules(root: Path, markers: Path) -> None:
    for name in PLANTED_MODULES:
        (root / f"{name}.py").write_text(f"open({str(markers / ('import-' + name))!r}, 'a').write('imported')\n")
    (root / "evil.pth").write_text(f"import os; open({str(markers / 'pth')!r}, 'a').write('ran')\n")


def _arm(repo: Repo, tmp: Path, markers: Path) -> None:
    """Every program the repository config can name, each a marker-writing script."""
    bin_dir = tmp / "hostile-bin"
    bin_dir.mkdir()
    hooks = tmp / "hostile-hooks"
    hooks.mkdir()
    for hook in HOOKS:
        _program(hooks, markers, f"hook-{hook}")
        shutil.copy(hooks / f"hook-{hook}", repo.path / ".git" / "hooks" / hook)
        os.rename(hooks / f"hook-{hook}", hooks / hook)
    settings = {
        "core.fsmonitor": _program(bin_dir, markers, "fsmonitor"),
        "filter.evil.clean": _program(bin_dir, markers, "clean"),
        "filter.evil.smudge": _program(bin_dir, markers, "smudge"),
        "filter.evil.process": _program(bin_dir, markers, "process"),
        "filter.evil.required": "true",
        "diff.evil.textconv": _program(bin_dir, markers, "textconv"),
        "diff.evil.command": _program(bin_dir, markers, "diff-command"),
        "diff.external": _program(bin_dir, markers, "diff-external"),
        "core.hooksPath": str(hooks),
        "core.pager": _program(bin_dir, markers, "pager"),
        "pager.log": _program(bin_dir, markers, "pager-log"),
        "pager.diff": _program(bin_dir, markers, "pager-diff"),
        "pager.blame": _program(bin_dir, markers, "pager-blame"),
        "core.sshCommand": _program(bin_dir, markers, "ssh"),
        "remote.origin.url": "ssh://git@example.invalid/shop.git",
        "gpg.program": _program(bin_dir, markers, "gpg"),
        "log.showSignature": "true",
        "credential.helper": _program(bin_dir, markers, "credential"),
        "core.askPass": _program(bin_dir, markers, "askpass"),
    }
    for key, value in settings.items():
        repo.git("config", key, value)


def _function(i: int) -> str:
    return f"def f{i}(a, b):\n    if a and b:\n        return a\n    return b\n"


@pytest.fixture(params=["programs", "modules"])
def hostile(tmp_path: Path, request) -> tuple[Path, Path]:
    """(workspace, markers folder): a repository on a feature branch with AI-written changes, armed with
    the git programs or with the planted modules (apart, so a crash from one cannot hide the other)."""
    markers = tmp_path / "markers"
    markers.mkdir()
    repo = Repo(tmp_path / "ws")
    files = {f"pkg/m{i}.py": _function(i) for i in range(FILES)}
    repo.commit({".gitattributes": "* filter=evil diff=evil\n", "app.py": COMPLEX_PY, **files}, "Initial")
    repo.git("checkout", "-q", "-b", "feature")
    changed = {rel: text + "\n\n" + _function(i + FILES) for i, (rel, text) in enumerate(files.items())}
    # every file changes on the branch: `check --base` analyses more than MIN_FILES_FOR_PROCESSES files too
    repo.commit({"app.py": COMPLEX_PY + "\n\n" + COMPLEX_PY.replace("tangled", "tangled2"), **changed}, CLAUDE)
    repo.write("pkg/m0.py", _function(0) + "\n\n" + _function(100))     # a work-tree edit (on top of the branch)
    repo.write("new.py", _function(200))                                # untracked
    if request.param in ("programs", "both"):
        _arm(repo, tmp_path, markers)
    if request.param in ("modules", "both"):
        _plant_modules(repo.path, markers)
    return repo.path, markers


def ran(markers: Path) -> dict[str, str]:
    return {p.name: p.read_text(errors="replace")[:200] for p in sorted(markers.iterdir())}


def guardline(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The installed `guardline` script, the way a user runs it inside the repository."""
    return subprocess.run([GUARDLINE, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, check=False)


COMMANDS = {
    "check": ["check", ".", "--jobs", "2", "--format", "json"],
    "check --base": ["check", ".", "--base", "main", "--jobs", "2", "--format", "json"],
    "report": ["report", ".", "--format", "json"],
    "baseline": ["baseline", "."],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_runs_no_repository_program_and_imports_no_planted_module(hostile, command):
    root, markers = hostile
    proc = guardline(root, *COMMANDS[command])
    assert sorted(ran(markers)) == [], f"`guardline {command}` ran repository programs / planted modules"
    assert proc.returncode in (0, 1), f"the run completes (0 pass, 1 gate failed): {proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    if command.startswith("check"):
        files = {f["path"] for f in json.loads(proc.stdout)["files"]}
        assert "app.py" in files, "the analysis itself still happened"


@pytest.mark.parametrize("hostile", ["programs"], indirect=True)
def test_demo_ignores_a_git_planted_in_the_current_folder(hostile, tmp_path):
    """A `git` in the workspace and a PATH with an empty entry (the current folder): the demo (and every
    other command) must use the real git, found in an absolute PATH entry."""
    root, markers = hostile
    _program(root, markers, "git")
    proc = guardline(root, "demo", str(tmp_path / "demo"), env={"PATH": ":" + os.environ.get("PATH", "")})
    assert sorted(ran(markers)) == [], "the planted ./git (or a hook) ran"
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "demo" / ".git").is_dir()
    check = guardline(root, "check", ".", "--jobs", "2", env={"PATH": ":" + os.environ.get("PATH", "")})
    assert ran(markers) == {} and check.returncode in (0, 1), check.stderr


@pytest.mark.parametrize("hostile", ["both"], indirect=True)
@pytest.mark.asyncio
async def test_language_server_in_review_mode_runs_nothing_from_the_repository(hostile, monkeypatch):
    root, markers = hostile
    monkeypatch.setattr(test_lsp_support, "SERVER_CMD", [GUARDLINE, "serve"])   # as the editors start it
    options = {"debounce_ms": 0, "review": {"base": "main"}}
    async with running_server(root, init_options=options) as (client, rec):
        uri = open_doc(client, root / "app.py", (root / "app.py").read_text())
        params = await rec.wait_for(lambda: next((p for p in rec.for_uri(uri) if p.diagnostics and all(
            "review" in (d.data or {}) for d in p.diagnostics)), None), timeout=60)
        assert any(d.severity == t.DiagnosticSeverity.Error for d in params.diagnostics), \
            "tangled2 was added on the branch: review mode keeps its error"
        await rec.wait_for(lambda: any(getattr(s, "partial", True) is False and getattr(s, "files", 0) > FILES
                                       for s in rec.summaries), timeout=120)     # the workspace scan ended
        await asyncio.sleep(0.5)     # origin of the open file, clone index: let the background settle
    assert sorted(ran(markers)) == [], "the server ran repository programs / planted modules"


@pytest.mark.parametrize("hostile", ["programs"], indirect=True)
def test_the_hostile_repository_is_armed(hostile):
    """The fixture is not a dud: plain git in it (no guardline hardening) runs the repository's programs."""
    root, markers = hostile
    subprocess.run([GIT, "diff", "HEAD", "--"], cwd=root, env=git_env(), capture_output=True, check=False)
    subprocess.run([GIT, "log", "-p", "-1", "--"], cwd=root, env=git_env(), capture_output=True, check=False)
    found = ran(markers)
    assert {"fsmonitor", "process"} <= set(found), found
