"""Forward blame for the trend: each line's introducing commit at every sample, from one `git log -p`.

`git blame SHA -- path` per file per sample costs one process and a history walk each (52 samples x
files). Instead the first-parent history is replayed once, oldest first, from a single streamed
`git log --first-parent --reverse -p -U0 -M` run: every analysable path keeps a list "line i -> commit",
each hunk replaces the old-side lines with the commit's sha, a rename moves the list. This is what
`git blame` computes for linear history (the same default diff, rename-following). Lines a first-parent
merge brings in (diff against its first parent) are blamed at the merge with `git blame -L`, so they keep
the side-branch commits that wrote them, as `git blame` does."""

from __future__ import annotations

from typing import Callable, Iterator

from guardline.git import GitError, git_at, run_git
from guardline.languages import detect_language
from guardline.report.patchlog import COMMIT_MARK, CommitPatch as _Commit, FileChange as _FileChange


class LineMap:
    """path -> introducing commit of each line (index 0 = line 1), for analysable paths only."""

    def __init__(self, root: str, tracked: Callable[[str], bool] | None = None) -> None:
        self.root = root
        self.tracked = tracked or (lambda path: bool(detect_language(path)))
        self.lines: dict[str, list[str]] = {}

    def walk(self, wanted: set[str], observe: set[str] | None = None,
             before: Callable[["_Commit", dict[str, list[str]]], None] | None = None
             ) -> Iterator[tuple[str, dict[str, list[str]]]]:
        """Replay first-parent history to HEAD; yield (sha, current map) at each commit in ``wanted``;
        call ``before(commit, map)`` for each commit in ``observe`` before its changes are applied (the
        map is then its first parent's blame: what SZZ asks `git blame -L` for).

        The yielded map is live: read it before resuming the iterator."""
        left, watch = set(wanted), set(observe or ())
        commit = _Commit("", [])
        for raw in self._log():
            if raw.startswith(COMMIT_MARK):
                if commit.sha in watch and before is not None:
                    watch.discard(commit.sha)
                    before(commit, self.lines)
                self._finish(commit)
                if commit.sha in left:
                    left.discard(commit.sha)
                    yield commit.sha, self.lines
                if not left and not watch:
                    return
                fields = raw[1:].decode("ascii", "replace").split()
                commit = _Commit(fields[0], fields[1:])
            else:
                commit.feed(raw)
        if commit.sha in watch and before is not None:
            before(commit, self.lines)
        self._finish(commit)
        if commit.sha in left:
            yield commit.sha, self.lines

    def _log(self) -> Iterator[bytes]:
        # The caller may stop early (last wanted sample reached): closing the stream stops git.
        yield from git_at(self.root).stream(["log", "--root", "--first-parent", "--reverse",
                                             "--diff-merges=first-parent", "-p", "-U0", "-M", "--no-color",
                                             "--format=%x01%H %P", "HEAD", "--"])

    def _finish(self, commit: "_Commit") -> None:
        for change in commit.files:
            self._apply(commit, change)

    def _apply(self, commit: "_Commit", change: "_FileChange") -> None:
        old = self.lines.pop(change.old, []) if change.old else []
        if change.new is None or not self.tracked(change.new):
            return
        lines = list(old) if change.old != change.new else old
        for old_start, old_count, new_start, new_count in reversed(change.hunks):
            at = old_start if old_count == 0 else old_start - 1
            lines[at:at + old_count] = self._introduced(commit, change.new, new_start, new_count)
        self.lines[change.new] = lines

    def _introduced(self, commit: "_Commit", path: str, start: int, count: int) -> list[str]:
        if count == 0:
            return []
        if len(commit.parents) > 1:       # merge: the side branch wrote these lines; ask blame which commits
            found = [sha for sha, _when in blame_range(self.root, commit.sha, path, start, count)]
            if len(found) == count:
                return found
        return [commit.sha] * count


def blame_range(root: str, rev: str, path: str, start: int, count: int) -> list[tuple[str, int]]:
    """(introducing sha, author time) for each line of the range in ``rev``."""
    try:
        raw = run_git(["blame", "--porcelain", "-L", f"{start},+{count}", rev, "--", path], root).decode(
            "utf-8", "replace")
    except GitError:
        return []
    out, times, current = [], {}, None
    for line in raw.split("\n"):
        head = line.split(" ")
        if len(head[0]) == 40 and len(head) >= 3 and not line.startswith("\t"):
            current = head[0]
            out.append(current)
        elif line.startswith("author-time ") and current:
            times[current] = int(line.split(" ", 1)[1])
    return [(sha, times.get(sha, 0)) for sha in out]
