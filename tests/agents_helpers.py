"""Helpers for the agent hook tests: a repository with one committed file holding a function that is
already over the AI limits (`bad`), the edits the simulated agents make, and a runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guardline.agents.hook import HookOptions, run_hook
from guardline.agents.hosts.base import HookOutput
from origin_helpers import Repo

# `bad`: cognitive 15 (if nested five deep: 1+2+3+4+5) > the AI warning limit 10, committed by a person.
BASE = """def bad(x):
    if x > 1:
        if x > 2:
            if x > 3:
                if x > 4:
                    if x > 5:
                        return 1
    return 0


def ok(y):
    return y + 1
"""
OK_TAIL = "def ok(y):\n    return y + 1\n"
# `worse`: cognitive 1 (for) + 2 (if) + 3 (while) + 4 (if) + 2 (and, or) + 1 (else) = 13 > 10: one new finding.
WORSE = """def worse(v):
    for a in v:
        if a:
            while a > 0:
                if a % 2 and a % 3 or a % 5:
                    a -= 1
                else:
                    a -= 2
    return v
"""
NEW_TAIL = OK_TAIL + "\n\n" + WORSE
AFTER_NEW = BASE.replace(OK_TAIL, NEW_TAIL)
WORSE_LINES = (13, 23)            # the two blank lines and the 9 lines of `worse`
WORSE_DEF_LINE = 15
# A harmless edit of the bad function: same complexity, one line changed (line 7).
HARMLESS_OLD, HARMLESS_NEW = "                        return 1", "                        return 2"
AFTER_HARMLESS = BASE.replace(HARMLESS_OLD, HARMLESS_NEW)


def make_repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit({"src/app.py": BASE}, "add app")
    return repo


def run(repo: Repo, host: str, payload: dict[str, Any] | None, *, files: list[str] | None = None,
        event: str | None = None, model: str | None = None) -> HookOutput:
    stdin = json.dumps(payload).encode() if payload is not None else b""
    return run_hook(HookOptions(host, files or [], event, model, cwd=str(repo.path)), stdin)


def records(repo: Repo) -> list[dict[str, Any]]:
    path = repo.path / ".agent-trace" / "traces.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def ranges_of(record: dict[str, Any], path: str = "src/app.py") -> list[tuple[int, int]]:
    for entry in record["files"]:
        if entry["path"] == path:
            return [(r["start_line"], r["end_line"]) for c in entry["conversations"] for r in c["ranges"]]
    return []


def model_of(record: dict[str, Any]) -> str | None:
    return record["files"][0]["conversations"][0]["contributor"].get("model_id")
