"""The git facts the agent layer needs, through the one hardened git runner (`guardline.git`:
argument lists, `--` before paths, no shell, no network, the workspace's config cannot run programs).
Kept apart from the origin package so that a hook does not import it (a third of its start-up)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from guardline.git import GitError, run_git


@dataclass(frozen=True)
class Repo:
    toplevel: str


def repo(directory: str) -> Repo | None:
    try:
        out = run_git(["rev-parse", "--show-toplevel"], directory)
    except GitError:
        return None
    top = out.decode("utf-8", "surrogateescape").strip()
    return Repo(os.path.realpath(top)) if top else None


def head(repository: Repo | None) -> str | None:
    """HEAD's commit, None before the first commit."""
    if repository is None:
        return None
    try:
        out = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], repository.toplevel, check=False)
    except GitError:
        return None
    sha = out.decode().strip()
    return sha if len(sha) == 40 else None


def blob(repository: Repo | None, rev: str, rel: str) -> str | None:
    """The file at ``rev`` (None when absent). `cat-file blob` applies no textconv or filters."""
    if repository is None or not rev:
        return None
    try:
        raw = run_git(["cat-file", "blob", f"{rev}:{rel}"], repository.toplevel, check=False)
    except GitError:
        return None
    if not raw and not _exists(repository, rev, rel):
        return None
    return raw.decode("utf-8", "replace")


def _exists(repository: Repo, rev: str, rel: str) -> bool:
    try:
        run_git(["cat-file", "-e", f"{rev}:{rel}"], repository.toplevel)
    except GitError:
        return False
    return True


def changed_files(repository: Repo, base: str) -> list[str]:
    """Repository-relative paths that differ between ``base`` and the work tree, plus untracked files."""
    tracked = run_git(["diff", "--no-ext-diff", "--no-textconv", "--name-only", "-z", "--no-renames", base, "--"],
                      repository.toplevel)
    untracked = run_git(["ls-files", "--others", "--exclude-standard", "-z", "--"], repository.toplevel)
    names = [n for n in (tracked + untracked).decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted({n for n in names if os.path.isfile(os.path.join(repository.toplevel, n))})


def resolve_rev(repository: Repo, rev: str) -> str | None:
    if rev.startswith("-"):
        return None
    try:
        out = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                      repository.toplevel, check=False)
    except GitError:
        return None
    return out.decode().strip() or None
