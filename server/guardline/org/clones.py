"""Cached clones for `guardline org`: one full clone per repository under the user cache directory.

A clone is made once and then updated with one `git fetch` (branches and every notes ref, so git-ai
notes `refs/notes/ai*`, Agent Trace and whogitit notes are there for attribution) and a detached
checkout of the remote's default branch. The clone is ours: it is reset and cleaned on every update
(its `.guardline/` caches are kept, so the report reuses them).

Git runs through the package's hardened runner (`guardline.git`, ``transport=True``): cloning and
fetching are the only git commands in guardline that use a transport, only for repositories a user
named, over local paths, https, ssh and git; `ext::` (runs a command) and `fd::` are always refused.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from guardline.git import Git, GitError
from guardline.org.sources import RepoSource

CLONE_TIMEOUT = 3600.0      # a first clone of a large history
FETCH_REFSPECS = ("+refs/heads/*:refs/remotes/origin/*", "+refs/notes/*:refs/notes/*")
DEFAULT_BRANCH_REFS = ("refs/remotes/origin/HEAD", "refs/remotes/origin/main", "refs/remotes/origin/master")


class CloneError(Exception):
    """The repository could not be cloned or updated; the message is what the user needs to know."""


@dataclass(frozen=True)
class Clone:
    path: str
    head: str
    shallow: bool
    notes_state: str          # `git for-each-ref refs/notes` output: notes can change without HEAD


def user_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "guardline")


def clone_path(cache_root: str, source: RepoSource) -> str:
    return os.path.join(cache_root, "repos", f"{source.name}-{source.key}")


def _git(args: list[str], cwd: str) -> str:
    try:
        return Git(cwd, timeout=CLONE_TIMEOUT, transport=True).run(args).decode("utf-8", "replace")
    except GitError as exc:
        raise CloneError(_first_line(str(exc))) from exc


def _first_line(message: str) -> str:
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    fatal = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
    return (fatal or lines or ["git failed"])[0]


def update_clone(source: RepoSource, cache_root: str) -> Clone:
    """Clone ``source`` (first run) or fetch it, then check out its default branch; return the clone."""
    if not source.is_url:
        _check_local(source.location)
    path = clone_path(cache_root, source)
    if not os.path.isdir(os.path.join(path, ".git")):
        _fresh_clone(source, path)
    _git(["fetch", "--quiet", "--prune", "--no-tags", "origin", *FETCH_REFSPECS], path)
    head = _default_branch_commit(path)
    _git(["checkout", "--quiet", "--force", "--detach", head], path)
    _git(["clean", "--quiet", "-f", "-d", "-x", "-e", ".guardline"], path)
    shallow = _git(["rev-parse", "--is-shallow-repository"], path).strip() == "true"
    notes = _git(["for-each-ref", "--format=%(objectname) %(refname)", "refs/notes"], path)
    return Clone(path, head, shallow, notes)


def _check_local(location: str) -> None:
    if not os.path.isdir(location):
        raise CloneError(f"not a directory: {location}")
    try:
        Git(location).run(["rev-parse", "--git-dir"])
    except GitError as exc:
        raise CloneError(f"not a git repository: {location}") from exc


def _fresh_clone(source: RepoSource, path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = path + ".partial"
    _remove_tree(partial)
    _git(["clone", "--quiet", "--no-checkout", "--no-recurse-submodules", "--", source.location, partial],
         os.path.dirname(path))
    os.replace(partial, path)     # a clone interrupted half-way is never mistaken for a finished one


def _default_branch_commit(path: str) -> str:
    for ref in DEFAULT_BRANCH_REFS:
        try:
            return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], path).strip()
        except CloneError:
            continue
    raise CloneError("the repository has no default branch (origin/HEAD, main or master)")


def _remove_tree(path: str) -> None:
    if os.path.lexists(path):
        shutil.rmtree(path, ignore_errors=True)
