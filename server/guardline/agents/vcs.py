"""The git facts the agent layer needs, through the one hardened git runner (argument lists, `--`
before paths, no shell, the workspace's config cannot run programs)."""

from __future__ import annotations

import os

from guardline.origin import gitlayer


def repo(directory: str) -> gitlayer.Repo | None:
    try:
        return gitlayer.find_repo(directory)
    except gitlayer.GitError:
        return None


def head(repository: gitlayer.Repo | None) -> str | None:
    """HEAD's commit (read from the files under .git: no process), None before the first commit."""
    if repository is None:
        return None
    try:
        return gitlayer.read_ref(repository, "HEAD")
    except gitlayer.GitError:
        return None


def blob(repository: gitlayer.Repo | None, rev: str, rel: str) -> str | None:
    """The file at ``rev`` (None when absent). `cat-file blob` applies no textconv or filters."""
    if repository is None or not rev:
        return None
    try:
        raw = gitlayer.run_git(["cat-file", "blob", f"{rev}:{rel}"], repository.toplevel, check=False)
    except gitlayer.GitError:
        return None
    if not raw and not _exists(repository, rev, rel):
        return None
    return raw.decode("utf-8", "replace")


def _exists(repository: gitlayer.Repo, rev: str, rel: str) -> bool:
    try:
        gitlayer.run_git(["cat-file", "-e", f"{rev}:{rel}"], repository.toplevel)
    except gitlayer.GitError:
        return False
    return True


def changed_files(repository: gitlayer.Repo, base: str) -> list[str]:
    """Repository-relative paths that differ between ``base`` and the work tree, plus untracked files."""
    tracked = gitlayer.run_git(["diff", "--no-ext-diff", "--no-textconv", "--name-only", "-z", "--no-renames",
                                base, "--"], repository.toplevel)
    untracked = gitlayer.run_git(["ls-files", "--others", "--exclude-standard", "-z", "--"], repository.toplevel)
    names = [n for n in (tracked + untracked).decode("utf-8", "surrogateescape").split("\0") if n]
    return sorted({n for n in names if os.path.isfile(os.path.join(repository.toplevel, n))})


def resolve_rev(repository: gitlayer.Repo, rev: str) -> str | None:
    if rev.startswith("-"):
        return None
    try:
        out = gitlayer.run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                               repository.toplevel)
    except gitlayer.GitError:
        return None
    return out.decode().strip() or None
