"""Line history without a second blame: who wrote the lines a commit replaced (for `ai-modified`).

Pure (no I/O). Two git outputs feed it (gitlayer.history_log and gitlayer.path_patches):
- one `git log --raw -m` of the whole history, once per HEAD and resolver: for every commit its
  parents and the paths it touched (with the new blob), so no per-file history walk is needed;
- per path, the `-w -U0` patches of exactly the commits that touched it (`git log --no-walk --stdin`).

The path's history is then replayed oldest first: each line carries (commit, line number in that
commit) of the commit that wrote it; a commit's hunk replaces old lines by new ones. A new line
*changed* an old line of its hunk when the two are similar (changed_lines); other new lines are the
commit's own (added, or a rewrite). A merge takes each line from the first parent that has it unchanged. What the caller
asks for: for a (commit, line) that blame gives a person, the writer of the line it replaced.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from difflib import SequenceMatcher
from dataclasses import dataclass, field
from typing import AbstractSet, Iterable

HEADER = b"\x00"
HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
INDEX = re.compile(rb"^index ([0-9a-f]{40})\.\.([0-9a-f]{40})")
ZERO_BLOB = "0" * 40

Writer = tuple[str, int]                     # (commit, 1-based line in that commit's version)
# old start, old count, new start, new count (unified diff), and for a hunk that replaces lines the
# old and the new lines' text (whitespace removed at both ends, at most TEXT_LIMIT characters)
Hunk = tuple[int, int, int, int, tuple[str, ...], tuple[str, ...]]
TEXT_LIMIT = 200
# A new line changed an old one when they are this similar (difflib ratio of the stripped texts); a
# hunk changes lines only when at least half of its old lines find such a new line, else it is a
# rewrite and its lines are the new writer's (as git's fuzzy --ignore-rev matching and whogitit's
# similarity score treat them).
SIMILAR = 0.6
MAX_PAIRINGS = 2_500        # old x new line comparisons per hunk; past that, position only


@dataclass
class History:
    """Commits reachable from HEAD, parents before children, and what each touched."""

    order: list[str] = field(default_factory=list)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    touched: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)   # path -> commit -> (status, blob)
    truncated: bool = False                  # the log stopped at its commit limit
    index: dict[str, int] = field(default_factory=dict)    # commit -> position in order
    merges: bool = False                     # any commit with two parents or more

    def commits_touching(self, path: str) -> list[str]:
        return sorted(self.touched.get(path, {}), key=self.index.__getitem__)


def parse_raw_log(out: bytes, limit: int) -> History:
    """`git log --topo-order --reverse -m --raw --no-renames --no-abbrev --format=%x00%H %P` output."""
    history = History()
    current = ""
    for raw in out.split(b"\n"):
        if raw.startswith(HEADER):
            fields = raw[1:].decode("ascii", "replace").split()
            if not fields:
                continue
            current = fields[0]
            if current not in history.parents:
                history.index[current] = len(history.order)
                history.order.append(current)
                history.parents[current] = tuple(fields[1:])
                history.merges = history.merges or len(fields) > 2
        elif raw.startswith(b":") and current:
            meta, _, path = raw.partition(b"\t")
            parts = meta.decode("ascii", "replace").split()
            if len(parts) >= 5:
                history.touched.setdefault(_unquote(path), {})[current] = (parts[4][:1], parts[3])
    history.truncated = len(history.order) >= limit
    return history


def parse_patches(out: bytes) -> dict[str, dict[str, list[Hunk]]]:
    """`git log -p -m -U0 --full-index --format=%x00%H` of one path: commit -> old blob -> hunks (a
    merge has one patch per parent it differs from; the old blob says which)."""
    merged: dict[str, dict[str, list[Hunk]]] = {}
    for by_commit in parse_history_patches(out.split(b"\n")).values():
        for commit, by_blob in by_commit.items():
            merged.setdefault(commit, {}).update(by_blob)
    return merged


def parse_history_patches(lines: Iterable[bytes]) -> dict[str, dict[str, dict[str, list[Hunk]]]]:
    """The patches of a whole `git log -p -m -U0 --full-index --format=%x00%H` (every path), read as
    git streams them: path -> commit -> old blob -> hunks. Content is kept only for hunks that replace
    lines (the rest is counted past)."""
    reader = _PatchReader()
    for raw in lines:
        reader.feed(raw)
    reader.close_hunk()
    return reader.out


class _PatchReader:
    def __init__(self) -> None:
        self.out: dict[str, dict[str, dict[str, list[Hunk]]]] = {}
        self.commit = self.old_blob = self.old_path = ""
        self.hunks: list[Hunk] | None = None
        self.header: tuple[int, int, int, int] | None = None
        self.old: list[str] = []
        self.new: list[str] = []
        self.content = 0             # lines of the current hunk still to read (-U0: removed + added)

    def feed(self, raw: bytes) -> None:
        if self.content:
            self._content(raw)
        elif raw.startswith(HEADER):
            self.commit, self.hunks = raw[1:].decode("ascii", "replace").strip(), None
        elif raw.startswith(b"diff --git "):
            self.hunks, self.old_blob, self.old_path = None, "", ""
        elif (index := INDEX.match(raw)) is not None:
            self.old_blob = index.group(1).decode()
        elif raw.startswith(b"--- ") and self.hunks is None:
            self.old_path = _diff_path(raw[4:], b"a/")
        elif raw.startswith(b"+++ ") and self.hunks is None and self.commit and self.old_blob:
            path = _diff_path(raw[4:], b"b/") or self.old_path
            self.hunks = self.out.setdefault(path, {}).setdefault(self.commit, {}).setdefault(self.old_blob, [])
        elif (hunk := HUNK.match(raw)) is not None and self.hunks is not None:
            a, k, b, m = hunk.groups()
            self.header = (int(a), 1 if k is None else int(k), int(b), 1 if m is None else int(m))
            self.content = self.header[1] + self.header[3]
            if not self.content:
                self.close_hunk()

    def _content(self, raw: bytes) -> None:
        sign = raw[:1]
        if sign not in (b"+", b"-"):
            return                   # `\ No newline at end of file`
        self.content -= 1
        header = self.header
        if header is not None and header[1] and header[3]:
            (self.old if sign == b"-" else self.new).append(
                raw[1:TEXT_LIMIT + 1].decode("utf-8", "replace").strip())
        if not self.content:
            self.close_hunk()

    def close_hunk(self) -> None:
        if self.header is not None and self.hunks is not None:
            self.hunks.append((*self.header, tuple(self.old), tuple(self.new)))
        self.header, self.old, self.new = None, [], []


def _diff_path(raw: bytes, prefix: bytes) -> str:
    """`b/src/x.py` or `"b/sp ace\\303\\251.py"` (git quotes unusual names) -> the path; '' for /dev/null."""
    text = raw.rstrip(b"\t")
    if text == b"/dev/null":
        return ""
    path = _unquote(text)
    return path[len(prefix):] if path.startswith(prefix.decode()) else ""


def _unquote(raw: bytes) -> str:
    """A path as git prints it: `"…"` with C escapes (`\\303\\251` for é) when core.quotePath applies."""
    if raw[:1] == b'"' and raw[-1:] == b'"':
        raw = raw[1:-1].decode("latin-1").encode("latin-1", "backslashreplace").decode("unicode_escape") \
            .encode("latin-1", "replace")
    return raw.decode("utf-8", "replace")


def replaced_writers(history: History, path: str, patches: dict[str, dict[str, list[Hunk]]],
                     wanted: set[Writer]) -> dict[Writer, Writer]:
    """For each wanted (commit, new line) a commit's hunk *changed* (paired with an old line): who wrote
    that old line. Empty when the path's history is incomplete (the log's commit limit) or does not
    add up (a patch that does not fit the replayed lines)."""
    return _Replay(history, path, patches, wanted).run()


class _Broken(Exception):
    """The path's history does not add up: no answer rather than a wrong one."""


class _Replay:
    def __init__(self, history: History, path: str, patches: dict[str, dict[str, list[Hunk]]],
                 wanted: set[Writer]) -> None:
        self.history = history
        self.patches = patches
        self.wanted = wanted
        self.asked = {c for c, _ in wanted}
        self.seen = history.touched.get(path, {})
        self.commits = history.commits_touching(path)
        self.latest = _latest_touch(history, self.seen)
        self.blobs = {c: self.seen[c][1] for c in self.commits}
        self.states: dict[str, list[Writer] | None] = {}
        self.found: dict[Writer, Writer] = {}

    def run(self) -> dict[Writer, Writer]:
        refs: dict[str, int] = {}            # state -> commits still to replay on top of it
        for commit in self.commits:
            for base in _base_commits(self.history, self.latest, commit):
                refs[base] = refs.get(base, 0) + 1
        try:
            for commit in self.commits:
                self.states[commit] = self._step(commit)
                for base in _base_commits(self.history, self.latest, commit):
                    refs[base] -= 1
                    if refs[base] == 0:
                        self.states.pop(base, None)
        except _Broken:
            return {}
        return self.found

    def _step(self, commit: str) -> list[Writer] | None:
        """The path's lines after ``commit`` (None: deleted there)."""
        status = self.seen[commit][0]
        parents = self.history.parents[commit]
        bases = [(b, self.states.get(b)) for p in parents if (b := self.latest.get(p)) is not None]
        if status == "D":
            return None
        if not bases:
            if status != "A" and (self.history.truncated or parents):
                raise _Broken          # history cut off before the path's start: unknown writers
            state = _apply([], self.patches.get(commit, {}).get(ZERO_BLOB, []), commit, None)
        elif len(parents) == 1:
            state = self._single_parent(commit, *bases[0])
        else:
            state = _merge(bases, self.patches.get(commit, {}), self.blobs, commit)
        if state is None:
            raise _Broken
        return state

    def _single_parent(self, commit: str, base_commit: str, base: list[Writer] | None) -> list[Writer] | None:
        pairs: dict[Writer, Writer] | None = {} if commit in self.asked else None
        old = self.blobs.get(base_commit, ZERO_BLOB) if base is not None else ZERO_BLOB
        state = _apply(base or [], _one_patch(self.patches.get(commit, {}), old), commit, pairs, self.wanted)
        if pairs:
            self.found.update({key: pairs[key] for key in pairs.keys() & self.wanted})
        return state


def _base_commits(history: History, latest: dict[str, str], commit: str) -> set[str]:
    return {b for p in history.parents[commit] if (b := latest.get(p)) is not None}


def _latest_touch(history: History, seen: dict[str, tuple[str, str]]) -> dict[str, str]:
    """commit -> the latest commit at or before it (first parents) that touched the path. In a history
    without merges, only for the parents of the path's commits (a binary search each)."""
    if not history.merges:
        touching = sorted(history.index[c] for c in seen if c in history.index)
        wanted = {p for c in seen for p in history.parents.get(c, ())} | set(seen)
        found = {}
        for commit in wanted:
            at = bisect_right(touching, history.index.get(commit, -1)) - 1
            if commit in history.index and at >= 0:
                found[commit] = history.order[touching[at]]
        return found
    latest: dict[str, str] = {}
    for commit in history.order:
        if commit in seen:
            latest[commit] = commit
        else:
            parents = history.parents[commit]
            if parents and parents[0] in latest:
                latest[commit] = latest[parents[0]]
    return latest


def _one_patch(by_blob: dict[str, list[Hunk]], old: str) -> list[Hunk]:
    if old in by_blob:
        return by_blob[old]
    return next(iter(by_blob.values()), [])


def _apply(base: list[Writer], hunks: list[Hunk], commit: str, pairs: dict[Writer, Writer] | None,
           wanted: AbstractSet[Writer] = frozenset()) -> list[Writer] | None:
    """The lines after ``commit``'s hunks; new lines are (commit, line). ``pairs`` receives new line ->
    writer of the old line it changed (see changed_lines), for hunks holding a ``wanted`` line. None
    when a hunk does not fit ``base``."""
    out: list[Writer] = []
    pos = 0
    for old_start, old_count, new_start, new_count, old_text, new_text in sorted(hunks):
        start = old_start - 1 if old_count else old_start
        if start < pos or start + old_count > len(base):
            return None
        out.extend(base[pos:start])
        if new_count and len(out) != new_start - 1:
            return None
        out.extend((commit, new_start + t) for t in range(new_count))
        if pairs is not None and old_count and new_count and \
                any((commit, line) in wanted for line in range(new_start, new_start + new_count)):
            for new_index, old_index in changed_lines(old_text, new_text):
                pairs[(commit, new_start + new_index)] = base[start + old_index]
        pos = start + old_count
    out.extend(base[pos:])
    return out


def changed_lines(old: tuple[str, ...], new: tuple[str, ...]) -> list[tuple[int, int]]:
    """(new index, old index) of the new lines of a hunk that *changed* an old line: in order, each new
    line with the next old line when similar, else its most similar later old line (difflib ratio >=
    SIMILAR). Empty when fewer than half of the old lines are matched: the hunk rewrote them."""
    if len(old) * len(new) > MAX_PAIRINGS:
        candidates = [(t, t) for t in range(min(len(old), len(new))) if _ratio(old[t], new[t], SIMILAR) >= SIMILAR]
    else:
        candidates = []
        first = 0
        for t, line in enumerate(new):
            at = _most_similar(old, first, line)
            if at >= 0:
                candidates.append((t, at))
                first = at + 1
    return candidates if 2 * len(candidates) >= len(old) else []


def _most_similar(old: tuple[str, ...], first: int, line: str) -> int:
    """Index of the old line from ``first`` on most similar to ``line`` (at least SIMILAR), or -1. The
    next old line in order is taken at once when similar enough (an edit in place, the usual case)."""
    if first < len(old) and _ratio(old[first], line, SIMILAR) >= SIMILAR:
        return first
    best, at = SIMILAR, -1
    for o in range(first + 1, len(old)):
        score = _ratio(old[o], line, best)
        if score >= best and (at < 0 or score > best):
            best, at = score, o
    return at


def _ratio(a: str, b: str, floor: float) -> float:
    """difflib's ratio, or 0 when its cheap upper bounds already say it is below ``floor``."""
    if a == b:
        return 1.0
    if 2.0 * min(len(a), len(b)) < floor * (len(a) + len(b)):
        return 0.0           # difflib's real_quick_ratio, without building a matcher
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def _merge(bases: list[tuple[str, list[Writer] | None]], by_blob: dict[str, list[Hunk]], blobs: dict[str, str],
           commit: str) -> list[Writer] | None:
    """A merge's lines: each from the first parent where it is unchanged, else written by the merge."""
    versions = []
    for base_commit, state in bases:
        if state is None:
            continue
        hunks = by_blob.get(blobs.get(base_commit, ""), [])
        applied = _apply(state, hunks, commit, None)
        if applied is not None:
            versions.append(applied)
    if not versions:
        return None
    merged = list(versions[0])
    for i, writer in enumerate(merged):
        if writer[0] == commit:
            merged[i] = next((v[i] for v in versions[1:] if i < len(v) and v[i][0] != commit), writer)
    return merged
