"""Forward blame for the trend: each line's introducing commit at every sample, from one `git log -p`.

`git blame SHA -- path` per file per sample costs one process and a history walk each (52 samples x
files). Instead the first-parent history is replayed once, oldest first, from a single streamed
`git log --first-parent --reverse -p -U0 -M` run: every analysable path keeps a list "line i -> commit",
each hunk replaces the old-side lines with the commit's sha, a rename moves the list. This is what
`git blame` computes for linear history (the same default diff, rename-following). Lines a first-parent
merge brings in (diff against its first parent) are blamed at the merge with `git blame -L`, so they keep
the side-branch commits that wrote them, as `git blame` does."""

from __future__ import annotations

import json
import re
import zlib
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
        self.base: str | None = None        # the replay starts after this commit (``resume``)

    def resume(self, sha: str, lines: dict[str, list[str]]) -> None:
        """Start from the map at first-parent commit ``sha`` (``LineMapStore``): only the commits after
        it are replayed. The caller checks that ``sha`` is on HEAD's first-parent chain."""
        self.base, self.lines = sha, lines

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
                                             "--format=%x01%H %P",
                                             f"{self.base}..HEAD" if self.base else "HEAD", "--"])

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


SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
LINEMAP_SCHEMA = "CREATE TABLE IF NOT EXISTS linemap (schema TEXT PRIMARY KEY, sha TEXT, data BLOB);"
LINEMAP_PROBE = "SELECT schema, sha, data FROM linemap LIMIT 0"
LINEMAP_VERSION = "linemap-1"


class LineMapStore:
    """The forward blame at the newest sample computed, in `.guardline/report-linemap.sqlite`: a later
    run replays only the commits after it (+20 commits: 20 patches, not the whole history). One row."""

    def __init__(self, root: str) -> None:
        from guardline.stores import open_store

        self.db = open_store(root, "report-linemap.sqlite", LINEMAP_SCHEMA, LINEMAP_PROBE, wal=False)

    def get(self) -> tuple[str, dict[str, list[str]]] | None:
        row = self.db.execute("SELECT sha, data FROM linemap WHERE schema=?", (LINEMAP_VERSION,)).fetchone()
        if row is None or not SHA.fullmatch(str(row[0])):
            return None
        try:
            doc = json.loads(zlib.decompress(row[1]))
            table = doc["commits"]
            lines = {str(path): [table[i] for i in rows] for path, rows in doc["paths"].items()}
        except (ValueError, KeyError, TypeError, IndexError, zlib.error):
            return None
        if not all(isinstance(sha, str) and SHA.fullmatch(sha) for sha in table):
            return None
        return row[0], lines

    def put(self, sha: str, lines: dict[str, list[str]]) -> None:
        index: dict[str, int] = {}
        paths = {path: [index.setdefault(c, len(index)) for c in commits] for path, commits in lines.items()}
        data = zlib.compress(json.dumps({"commits": list(index), "paths": paths}).encode(), 1)
        self.db.execute("INSERT OR REPLACE INTO linemap VALUES (?,?,?)", (LINEMAP_VERSION, sha, data))
        self.db.commit()

    def close(self) -> None:
        self.db.close()
