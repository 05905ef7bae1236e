"""The gate never flips silently: when origin has no git history (git missing, not a repository, git
refusing the repository, a shallow clone) every output says so once — check text, JSON `notes`, SARIF
`toolExecutionNotifications`, report (text and JSON), baseline (stderr). guardline/notes.py."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from origin_helpers import Repo

from guardline.cli import main
from guardline.notes import RunNote, RunNotes, gather, run_check, CHECKS

FILE = "def f(a):\n    return a\n"
CLAUDE = "Add f\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n"


def _no_git_path(tmp_path: Path) -> str:
    """A PATH with python's folder but no git (the tools guardline needs besides git)."""
    empty = tmp_path / "no-git-bin"
    empty.mkdir(exist_ok=True)
    return str(empty)


def workspace(tmp_path: Path, kind: str) -> Path:
    if kind == "not-a-repository":
        root = tmp_path / "plain"
        root.mkdir()
        (root / "a.py").write_text(FILE)
        return root
    repo = Repo(tmp_path / "repo")
    repo.commit({"a.py": FILE}, CLAUDE)
    repo.commit({"b.py": FILE}, "Add b")
    if kind == "shallow-clone":
        clone = tmp_path / "shallow"
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True,
                       capture_output=True)
        return clone
    if kind == "git-refused":
        os.chown(repo.path, 54321, 54321)     # owned by someone else: git's safe.directory check refuses it
    return repo.path


CASES = {
    "git-missing": ("git not found on PATH", "repo"),
    "not-a-repository": ("is not in a git repository", "not-a-repository"),
    "git-refused": ("dubious ownership", "git-refused"),
    "shallow-clone": ("git fetch --unshallow", "shallow-clone"),
}


@pytest.fixture(params=list(CASES))
def case(request, tmp_path, monkeypatch):
    code = request.param
    if code == "git-refused" and os.geteuid() != 0:
        pytest.skip("needs root to give the repository another owner")
    text, kind = CASES[code]
    root = workspace(tmp_path, kind)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)     # no safe.directory='*' from the user's config
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    if code == "git-missing":
        monkeypatch.setenv("PATH", _no_git_path(tmp_path))
    return code, text, root


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_each_output_says_it_once(case, capsys, tmp_path):
    code, text, root = case
    status, out, _err = run(capsys, "check", str(root), "--no-cache")
    assert status in (0, 1)
    assert out.count(text) == 1, f"text output: one `{code}` line\n{out}"
    assert out.splitlines()[-1].startswith("1 files") or "files" in out.splitlines()[-1], "the summary stays last"

    _status, out, _err = run(capsys, "check", str(root), "--no-cache", "--format", "json")
    notes = json.loads(out)["notes"]
    assert [n["code"] for n in notes] == [code] and text in notes[0]["message"], notes

    _status, out, _err = run(capsys, "check", str(root), "--no-cache", "--format", "sarif")
    [invocation] = json.loads(out)["runs"][0]["invocations"]
    said = [n for n in invocation["toolExecutionNotifications"] if n.get("descriptor", {}).get("id") == code]
    assert len(said) == 1 and text in said[0]["message"]["text"] and said[0]["level"] == "warning"

    _status, out, _err = run(capsys, "report", str(root), "--format", "json", "--no-trend")
    assert [n["code"] for n in json.loads(out)["notes"]] == [code]
    _status, out, _err = run(capsys, "report", str(root), "--no-trend")
    assert out.count(text) == 1, out

    _status, out, err = run(capsys, "baseline", str(root), "-o", str(tmp_path / "b.json"))
    assert err.count(text) == 1, err


def test_no_note_in_a_full_clone(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    root = workspace(tmp_path, "repo")
    _status, out, _err = run(capsys, "check", str(root), "--no-cache", "--format", "json")
    assert "notes" not in json.loads(out), "nothing to say: no notes field"
    _status, out, _err = run(capsys, "check", str(root), "--no-cache", "--no-origin", "--format", "json")
    assert "notes" not in json.loads(out)


def test_notes_are_said_once_and_checks_can_be_added(tmp_path, monkeypatch):
    notes = RunNotes()
    notes.add("shallow-clone", "first")
    notes.add("shallow-clone", "second")
    assert notes.to_json() == [{"code": "shallow-clone", "level": "warning", "message": "first"}]

    @run_check
    def extra(root, config):
        return [RunNote("notes-not-fetched", f"notes not fetched in {os.path.basename(root)}")]

    try:
        from guardline.config import Config
        found = gather(str(tmp_path), Config().with_overrides({"origin": {"enabled": False}}), RunNotes())
        assert found.codes() == ["notes-not-fetched"], "a registered check runs; origin checks respect origin.enabled"
    finally:
        CHECKS.remove(extra)
