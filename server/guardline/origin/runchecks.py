"""Run notes about the repository that origin attribution depends on (guardline/notes.py, ``@run_check``):
no git, git refusing the repository, no repository, a shallow clone, git-ai notes not fetched.
Registered when guardline.origin is imported (its __init__ imports this module)."""

from __future__ import annotations

from typing import Any

from guardline.notes import INFO, RunNote, run_check
from guardline.origin.gitlayer import GitMissing, GitRefused, find_repo
from guardline.origin.resolver import notes_not_fetched

JUDGED_AS_HUMAN = "AI-written code is judged by the human limits"


@run_check
def repository_state(root: str, config: Any) -> list[RunNote]:
    """Without git history origin falls back to in-file markers and Agent Trace only: say why, once."""
    if not config.get("origin.enabled", True):
        return []
    try:
        repo = find_repo(root)
    except GitMissing:
        return [RunNote("git-missing", f"git not found on PATH: no commit history for origin, so {JUDGED_AS_HUMAN} "
                                       "unless in-file markers or .agent-trace say otherwise (install git)")]
    except GitRefused as exc:
        return [RunNote("git-refused", f"{exc}; until then there is no commit history for origin and "
                                       f"{JUDGED_AS_HUMAN}")]
    except Exception as exc:  # noqa: BLE001 - a check never breaks the run
        return [RunNote("git-failed", f"git failed ({exc}): no commit history for origin")]
    if repo is None:
        return [RunNote("not-a-repository", f"{root} is not in a git repository: no commit history for origin, so "
                                            f"{JUDGED_AS_HUMAN} unless in-file markers or .agent-trace say otherwise")]
    if repo.shallow:
        return [RunNote("shallow-clone", "shallow clone: lines older than the shallow boundary have no known origin "
                                         "(run `git fetch --unshallow`)")]
    return []


@run_check
def git_ai_notes(root: str, config: Any) -> list[RunNote]:
    """A clone with a remote but no notes refs: git does not fetch refs/notes/* by default, so git-ai's
    line records are missing even where the remote has them (issue 17)."""
    if not config.get("origin.enabled", True):
        return []
    try:
        message = notes_not_fetched(root)
    except Exception:  # noqa: BLE001 - a check never breaks the run
        return []
    return [RunNote("notes-not-fetched", message, INFO)] if message else []
