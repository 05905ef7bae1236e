"""Git history by origin: SZZ-style bug density, 14-day churn, change-volume scatter.

Model (docs/report.md): a fix commit is a non-merge commit whose message matches FIX_PATTERN (or config
`report.fix_pattern`). For every commit C with parent P, `git diff -U0 P C` gives the old-side lines C
removed or modified; `git blame --porcelain -L` in P gives the commit that introduced each of them.
The origin of an introduced line is the origin of its introducing commit (author identity, then message
markers, as the origin layer classifies commits; otherwise human). Bug density = buggy lines introduced
by an origin / kLOC that origin added within the scanned commits. Churn = old-side lines removed or
rewritten less than 14 days after their introducing commit, per origin of that commit, over lines added.
Only the last `MAX_COMMITS` non-merge commits are scanned. The blame of each commit's old-side lines is
stored in `.guardline/report.sqlite` (history under a sha never changes), so a later report blames only
the commits it has not seen; origins are classified afresh each run (they depend on the config)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from guardline.origin.attribution import Settings
from guardline.origin.commits import classify_author, classify_message
from guardline.git import GitError, run_git
from guardline.origin.patterns import tool_display
from guardline.origin.records import CommitInfo
from guardline.report.linemap import LineMap, blame_range
from guardline.report.patchlog import COMMIT_MARK, CommitPatch
from guardline.report.units import Units, buckets
from guardline.stores import open_store

if TYPE_CHECKING:
    from guardline.config import Config
    from guardline.origin.agenttrace import AgentTraces
    from guardline.origin.records import LineNote

MAX_COMMITS = 500
CHURN_WINDOW = 14 * 86400
FIX_PATTERN = r"\b(fix(es|ed)?|bug|defect|hotfix)\b|(^|\s)#\d+\b"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
LOG_FORMAT = "%H%x00%P%x00%at%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e"
HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def git_text(root: str, args: list[str]) -> str:
    return run_git(args, root).decode("utf-8", "replace")


def read_commits(root: str, rev_args: list[str]) -> list[CommitInfo]:
    """Commits from `git log` (newest first) with the fields the origin classifiers read."""
    return _parse_commits(git_text(root, ["log", f"--format={LOG_FORMAT}", *rev_args]))


def _parse_commits(out: str) -> list[CommitInfo]:
    commits = []
    for record in out.split("\x1e"):
        parts = record.strip("\n").split("\x00")
        if len(parts) < 8:
            continue
        sha, parents, when, an, ae, cn, ce, body = parts[:8]
        commits.append(CommitInfo(sha=sha, parents=parents.split(), author_time=int(when or 0), author_name=an,
                                  author_email=ae, committer_name=cn, committer_email=ce, message=body))
    return commits


class CommitOrigins:
    """Origin of a commit (ai | human | bot), cached; unknown shas are read with `git log -1`."""

    def __init__(self, root: str, config: Config) -> None:
        self.root = root
        self.tables = Settings.from_config(config).tables
        self.infos: dict[str, CommitInfo] = {}
        self.cache: dict[str, tuple[str, str | None]] = {}
        self.origin_table: dict[str, str] = {}      # sha -> origin (``origins_of``)

    def add(self, infos: list[CommitInfo]) -> None:
        self.infos.update((i.sha, i) for i in infos)

    def prefetch(self, shas: set[str]) -> None:
        """Read the commits of ``shas`` not known yet with one `git log --no-walk --stdin` (instead of one
        `git log -1` each when ``info`` meets them); a failure leaves them to ``info``."""
        missing = sorted(sha for sha in shas if sha not in self.infos)
        if len(missing) < 2:
            return
        try:
            out = run_git(["log", "--no-walk=unsorted", "--stdin", f"--format={LOG_FORMAT}", "--"], self.root,
                          stdin="".join(f"{sha}\n" for sha in missing).encode()).decode("utf-8", "replace")
        except GitError:
            return
        self.add(_parse_commits(out))

    def info(self, sha: str) -> CommitInfo:
        if sha not in self.infos:
            found = read_commits(self.root, ["-1", sha, "--"])
            self.infos[sha] = found[0] if found else CommitInfo(sha=sha)
        return self.infos[sha]

    def origin(self, sha: str) -> str:
        return self.classified(sha)[0]

    def origins_of(self, shas: list[str]) -> list[str]:
        """``origin`` of each sha (the lines of a file: few distinct commits, looked up in C)."""
        table = self.origin_table
        try:
            return list(map(table.__getitem__, shas))
        except KeyError:
            self.prefetch(set(shas) - table.keys())
            for sha in set(shas) - table.keys():
                table[sha] = self.origin(sha)
            return list(map(table.__getitem__, shas))

    def classified(self, sha: str) -> tuple[str, str | None]:
        """(origin, tool display name or None) of a commit."""
        if sha not in self.cache:
            info = self.info(sha)
            record = classify_author(info, self.tables) or classify_message(info, self.tables)
            self.cache[sha] = (record.origin, tool_display(record.tool)) if record else ("human", None)
        return self.cache[sha]

    def buckets(self, sha: str) -> list[str]:
        return buckets(*self.classified(sha))


class LineShares:
    """Per-line AI share of a commit's added lines: per line, the commit's git-ai note (refs/notes/ai) if it
    has one, else an Agent Trace range recorded for that commit, else the commit's own origin."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.notes = _notes(root)
        self.traces = _traces(root)

    def share(self, info: CommitInfo, hunks: "Hunks", commit_origin: str) -> float:
        whole = 1.0 if commit_origin == "ai" else 0.0
        note = self._note(info.sha)
        if not hunks.added or (note is None and not self.traces):
            return whole
        ai = sum(self._line(note, info, path, n, commit_origin) == "ai"
                 for path, ranges in hunks.new.items() for start, count in ranges
                 for n in range(start, start + count))
        return round(ai / hunks.added, 3)

    def _line(self, note: LineNote | None, info: CommitInfo, path: str, line: int, commit_origin: str) -> str:
        if note is not None:
            rec = note.line_origin(path, line, info.sha)
            if rec is not None:       # a line the note does not cover is untracked: fall through
                return rec.origin
        record = self.traces.for_commit(path, line, info.sha, info.parents)
        return record.origin if record else commit_origin

    def _note(self, sha: str) -> LineNote | None:
        from guardline.origin.gitai import parse_note

        blobs = self.notes.get(sha)
        if not blobs:
            return None
        try:
            return parse_note(git_text(self.root, ["cat-file", "blob", blobs[0]]))
        except GitError:
            return None


def _notes(root: str) -> dict[str, list[str]]:
    """Annotated commit -> git-ai note blob (refs/notes/ai; none when the ref is absent)."""
    from guardline.origin.gitlayer import find_repo, notes_index
    from guardline.origin.resolver import NOTES_REF

    try:
        repo = find_repo(root)
        return notes_index(repo, [NOTES_REF]) if repo else {}
    except GitError:
        return {}


def _traces(root: str) -> AgentTraces:
    from guardline.origin.agenttrace import TRACE_FILE, parse_traces

    try:
        with open(os.path.join(root, TRACE_FILE), encoding="utf-8", errors="replace") as fh:
            return parse_traces(fh.read())
    except OSError:
        return parse_traces("")


@dataclass
class Hunks:
    """Per path: old-side (start, count) ranges that were removed/modified, and new-side added ranges."""

    old: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    new: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    added: int = 0
    deleted: int = 0
    # new path -> (blob sha, mode) of the files the commit added lines to; None: not read (`git diff`)
    blobs: dict[str, tuple[str, str]] | None = field(default=None, compare=False)


def diff_hunks(root: str, parent: str, sha: str) -> Hunks:
    raw = run_git(["diff", "-U0", "--no-color", "--no-renames", parent, sha, "--"], root)
    hunks, old_path, new_path = Hunks(), None, None
    for line in raw.split(b"\n"):
        if line.startswith(b"--- "):
            old_path = _diff_path(line[4:], b"a/")
        elif line.startswith(b"+++ "):
            new_path = _diff_path(line[4:], b"b/")
        elif line.startswith(b"@@"):
            _add_hunk(hunks, line, old_path, new_path)
    return hunks


def log_hunks(root: str, rev_args: list[str]) -> dict[str, Hunks]:
    """sha -> Hunks of every commit ``git log rev_args`` lists, from one `git log -p -U0` (not one
    `git diff` per commit); each commit against its first parent, root commits against the empty tree."""
    raw = run_git(["log", "--root", "-p", "-U0", "--no-renames", "--no-color", "--full-index",
                   "--format=%x01%H", *rev_args], root)
    out: dict[str, CommitPatch] = {}
    commit = None
    for line in raw.split(b"\n"):
        if line.startswith(COMMIT_MARK):
            commit = CommitPatch(line[1:].decode("ascii", "replace").strip(), [])
            out[commit.sha] = commit
        elif commit is not None:
            commit.feed(line)
    return {sha: _to_hunks(commit) for sha, commit in out.items()}


def _to_hunks(commit: CommitPatch) -> Hunks:
    blobs: dict[str, tuple[str, str]] = {}
    hunks = Hunks(blobs=blobs)
    for change in commit.files:
        if change.new and change.blob and any(new_count for *_old, new_count in change.hunks):
            blobs[change.new] = (change.blob, change.mode or "")
        for old_start, old_count, new_start, new_count in change.hunks:
            if old_count and change.old:
                hunks.old.setdefault(change.old, []).append((old_start, old_count))
                hunks.deleted += old_count
            if new_count and change.new:
                hunks.new.setdefault(change.new, []).append((new_start, new_count))
                hunks.added += new_count
    return hunks


def _diff_path(raw: bytes, prefix: bytes) -> str | None:
    raw = raw.rstrip(b"\t")
    if raw == b"/dev/null":
        return None
    return raw[len(prefix):].decode("utf-8", "replace") if raw.startswith(prefix) else raw.decode("utf-8", "replace")


def _add_hunk(hunks: Hunks, line: bytes, old_path: str | None, new_path: str | None) -> None:
    match = HUNK.match(line)
    if not match:
        return
    old_start, old_count = int(match[1]), int(match[2] if match[2] is not None else 1)
    new_start, new_count = int(match[3]), int(match[4] if match[4] is not None else 1)
    if old_count and old_path:
        hunks.old.setdefault(old_path, []).append((old_start, old_count))
        hunks.deleted += old_count
    if new_count and new_path:
        hunks.new.setdefault(new_path, []).append((new_start, new_count))
        hunks.added += new_count


# .guardline/report.sqlite: stored SZZ blames (here) and trend samples and gate verdicts (trend.py).
REPORT_SCHEMA = """
CREATE TABLE IF NOT EXISTS szz_blame (sha TEXT, schema TEXT, data TEXT, PRIMARY KEY (sha, schema));
CREATE TABLE IF NOT EXISTS samples (sha TEXT, profile TEXT, data TEXT, PRIMARY KEY (sha, profile));
CREATE TABLE IF NOT EXISTS gates (sha TEXT, profile TEXT, origin TEXT, passed INTEGER, PRIMARY KEY (sha, profile));
"""
REPORT_PROBE = ("SELECT b.sha, b.schema, b.data, s.sha, s.profile, s.data, g.sha, g.profile, g.origin, g.passed "
                "FROM szz_blame b, samples s, gates g LIMIT 0")


class BlameStore:
    """sha -> [(introducing sha, author time)] of the lines the commit removed or modified, in SQLite."""

    SCHEMA = "szz-blame-1"

    def __init__(self, root: str) -> None:
        self.db = open_store(root, "report.sqlite", REPORT_SCHEMA, REPORT_PROBE, wal=False)

    def get(self, sha: str) -> list[tuple[str, int]] | None:
        row = self.db.execute("SELECT data FROM szz_blame WHERE sha=? AND schema=?", (sha, self.SCHEMA)).fetchone()
        return [(blamed, when) for blamed, when in json.loads(row[0])] if row else None

    def put(self, sha: str, blamed: list[tuple[str, int]]) -> None:
        self.db.execute("INSERT OR REPLACE INTO szz_blame VALUES (?,?,?)", (sha, self.SCHEMA, json.dumps(blamed)))

    def close(self) -> None:
        self.db.commit()
        self.db.close()


FORWARD_MIN = 30       # commits to blame from which one replay of history beats a `git blame -L` per hunk


def forward_blames(root: str, needed: dict[str, "Hunks"]) -> dict[str, list[tuple[str, int]]]:
    """sha -> (introducing sha, author time) of each old-side line of ``needed`` (the order of
    ``old_side_blame``), from one replay of first-parent history (report/linemap.py: what `git blame`
    computes for linear history, merges blamed at the merge). Commits off the first-parent chain, or
    whose lines the replay does not have, are left out: ``old_side_blame`` blames those with git."""
    found: dict[str, list[str]] = {}

    def before(commit: CommitPatch, lines: dict[str, list[str]]) -> None:
        out: list[str] = []
        for path, ranges in needed[commit.sha].old.items():
            have = lines.get(path)
            for start, count in ranges:
                if have is None or start < 1 or start - 1 + count > len(have):
                    return
                out.extend(have[start - 1:start - 1 + count])
        found[commit.sha] = out

    for _ in LineMap(root, tracked=lambda _path: True).walk(set(), observe=set(needed), before=before):
        pass
    if not found:
        return {}
    times = _author_times(root)
    return {sha: [(blamed, times.get(blamed, 0)) for blamed in lines] for sha, lines in found.items()}


def _author_times(root: str) -> dict[str, int]:
    """Author time of every commit reachable from HEAD (one `git log`): blame's `author-time`."""
    out = {}
    for line in git_text(root, ["log", "--format=%H %at", "HEAD", "--"]).splitlines():
        sha, _, when = line.partition(" ")
        if when.isdigit():
            out[sha] = int(when)
    return out


def old_side_blame(root: str, info: CommitInfo, hunks: "Hunks", store: BlameStore,
                   forward: dict[str, list[tuple[str, int]]] | None = None) -> list[tuple[str, int, str]]:
    """(introducing sha, author time, old path) of every line ``info`` removed or modified; the blame is
    stored per commit (complete blames only, so the stored lines line up with the hunks' paths).
    ``forward``: blames from ``forward_blames``, used when complete; else `git blame -L` per hunk."""
    paths = [path for path, ranges in hunks.old.items() for _start, count in ranges for _ in range(count)]
    blamed = store.get(info.sha)
    if blamed is None and forward is not None:
        blamed = forward.get(info.sha)
        if blamed is not None and len(blamed) == len(paths):
            store.put(info.sha, blamed)
    if blamed is not None and len(blamed) == len(paths):
        return [(sha, when, path) for (sha, when), path in zip(blamed, paths)]
    parent = info.parents[0] if info.parents else EMPTY_TREE
    out = [(sha, when, path) for path, ranges in hunks.old.items() for start, count in ranges
           for sha, when in blame_range(root, parent, path, start, count)]
    if len(out) == len(paths):
        store.put(info.sha, [(sha, when) for sha, when, _path in out])  # not partial (a shallow clone, say)
    return out


@dataclass
class OriginHistory:
    added: Counter[str] = field(default_factory=Counter)   # bucket -> lines
    buggy: Counter[str] = field(default_factory=Counter)
    churn: Counter[str] = field(default_factory=Counter)
    fixes: int = 0
    # bucket -> path -> [lines added, buggy lines introduced, churned lines introduced]
    files: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def file(self, bucket: str, path: str) -> list[int]:
        return self.files.setdefault(bucket, {}).setdefault(path, [0, 0, 0])


def analyse(root: str, config: Config, *, since: str | None = None, progress: Callable[[str], None] = lambda m: None,
            max_commits: int = MAX_COMMITS) -> dict[str, Any]:
    origins = CommitOrigins(root, config)
    rev = ["--no-merges", f"--max-count={max_commits}", "HEAD"] + ([f"--since={since}"] if since else [])
    commits = read_commits(root, rev + ["--"])
    origins.add(commits)
    fix_re = re.compile(config.get("report.fix_pattern", "") or FIX_PATTERN, re.IGNORECASE)
    totals, scatter, shares = OriginHistory(), [], LineShares(root)
    patches = log_hunks(root, rev + ["--"])
    store = BlameStore(root)
    try:
        forward = _forward(root, commits, patches, store, progress)
        blames = []
        for index, info in enumerate(commits):
            if index and index % 50 == 0:
                progress(f"history: {index}/{len(commits)} commits")
            hunks = patches.get(info.sha)
            if hunks is None:
                hunks = diff_hunks(root, info.parents[0] if info.parents else EMPTY_TREE, info.sha)
            blames.append((info, hunks, old_side_blame(root, info, hunks, store, forward)))
        origins.prefetch({sha for _info, _hunks, blamed in blames for sha, _when, _path in blamed})
        for info, hunks, blamed in blames:
            point = _commit(info, hunks, blamed, origins, totals, bool(fix_re.search(info.message)), shares)
            point["time"] = info.author_time
            scatter.append(point)
    finally:
        store.close()
    return _summary(totals, scatter, len(commits), max_commits)


def _forward(root: str, commits: list[CommitInfo], patches: dict[str, Hunks], store: BlameStore,
             progress: Callable[[str], None]) -> dict[str, list[tuple[str, int]]] | None:
    """Blames of the commits not stored yet, by one replay of history when there are many of them."""
    needed = {info.sha: patches[info.sha] for info in commits
              if info.sha in patches and patches[info.sha].old and store.get(info.sha) is None}
    if len(needed) < FORWARD_MIN:
        return None
    progress(f"history: replaying history for {len(needed)} commits")
    return forward_blames(root, needed)


def _commit(info: CommitInfo, hunks: Hunks, blamed: list[tuple[str, int, str]], origins: CommitOrigins,
            totals: OriginHistory, is_fix: bool, shares: LineShares) -> dict[str, Any]:
    origin = origins.origin(info.sha)
    totals.added[origin] += hunks.added
    totals.fixes += is_fix
    for bucket in origins.buckets(info.sha):
        for path, ranges in hunks.new.items():
            totals.file(bucket, path)[0] += sum(count for _start, count in ranges)
    reworked = 0
    for sha, when, path in blamed:
        line_origin = origins.origin(sha)
        young = info.author_time - when < CHURN_WINDOW
        totals.buggy[line_origin] += is_fix
        totals.churn[line_origin] += young
        reworked += young
        for bucket in origins.buckets(sha):
            acc = totals.file(bucket, path)
            acc[1] += is_fix
            acc[2] += young
    return {"sha": info.sha[:12], "changed": hunks.added + hunks.deleted, "churn": reworked,
            "added": hunks.added, "ai_share": shares.share(info, hunks, origin), "origin": origin}


def history_units(totals: OriginHistory) -> Units:
    """Per-file units of bug density and churn: a file counts for a bucket when that bucket added lines
    to it in the scanned commits (lines introduced before the range have no denominator)."""
    units = Units()
    for bucket, files in totals.files.items():
        for path in sorted(files):
            added, buggy, churned = files[path]
            if added or buggy or churned:
                units.add("bug_density", bucket, buggy, added)
                units.add("churn_pct", bucket, churned, added)
                units.count(bucket, "history_files")
                units.count(bucket, "lines_added", added)
    return units


def weekly(scatter: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Velocity (changed lines per week) vs rework rate, with the week's per-line AI share."""
    weeks: dict[int, list[float]] = {}
    for point in scatter:
        week = week_start(point.get("time", 0))
        acc = weeks.setdefault(week, [0, 0, 0.0, 0, 0])
        acc[0] += point["changed"]
        acc[1] += point["churn"]
        acc[2] += point["ai_share"] * point.get("added", 0)
        acc[3] += point.get("added", 0)
        acc[4] += 1
    out = []
    for week in sorted(weeks):
        changed, reworked, ai_lines, added, commits = weeks[week]
        out.append({"week": week, "changed": int(changed), "reworked": int(reworked), "commits": int(commits),
                    "rework_pct": round(100.0 * reworked / changed, 2) if changed else 0.0,
                    "ai_share": round(ai_lines / added, 3) if added else 0.0})
    return out


def week_start(when: int) -> int:
    """Monday 00:00 UTC of the week holding ``when`` (1970-01-01 was a Thursday)."""
    return (when + 3 * 86400) // (7 * 86400) * (7 * 86400) - 3 * 86400


def _summary(totals: OriginHistory, scatter: list[dict[str, Any]], scanned: int, cap: int) -> dict[str, Any]:
    rows = {}
    for origin in ("ai", "human"):
        added = totals.added[origin]
        rows[origin] = {
            "lines_added": added, "buggy_lines": totals.buggy[origin], "churn_lines": totals.churn[origin],
            "bug_density": round(1000.0 * totals.buggy[origin] / added, 3) if added else None,
            "churn_pct": round(100.0 * totals.churn[origin] / added, 2) if added else None,
        }
    capped = " (capped)" if scanned >= cap else ""
    return {"rows": rows, "scatter": scatter, "weeks": weekly(scatter), "units": history_units(totals),
            "commits_scanned": scanned, "cap": cap, "fix_commits": totals.fixes,
            "summary": f"SZZ over the last {scanned} non-merge commits{capped}, cap {cap}; "
                       f"{totals.fixes} fix commits; churn window 14 days"}
