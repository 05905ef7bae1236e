"""OriginResolver: gathers facts with the git layer, decides with the pure attribution, caches.

Cache key: (path, HEAD, notes refs, content hash, Agent Trace file stamp, config). Memory first, then
SQLite at `<root>/.guardline/origin.sqlite`. A cached resolve reads refs from files and spawns no git
process. Blame is slow on big files: callers on a request path run resolve() in a worker thread.

After HEAD moved, a file's answer at the earlier HEAD (same key otherwise: same text, notes, traces,
attributes, config) is reused when no commit between the two HEADs touched the paths it depends on (its
own and the paths its blamed lines came from): its blame, the commits and notes it reads, the
Agent Trace ancestry of its commits and its path's replayed history are then the same. One
`git log --name-only OLD...NEW` per pair of HEADs says which paths were touched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import threading
from collections import OrderedDict

import guardline
from guardline.config import Config
from guardline.origin import gitlayer
from guardline.origin.agenttrace import TRACE_FILE, AgentTraces, NotedTraces, parse_trace_note, parse_traces
from guardline.origin.attribution import Facts, Settings, attribute, is_generated, split_lines
from guardline.origin.comments import syntax_for
from guardline.origin.commits import squash_entries
from guardline.origin.gitai import AuthorshipNote, NoteSet, parse_note
from guardline.origin.history import (History, Hunk, parse_history_patches, parse_patches, parse_raw_log,
                                      replaced_writers)
from guardline.origin.records import ZERO_SHA, BlameLine, CommitInfo, FileOrigin, LineNote, LineOrigin
from guardline.origin.store import OriginStore
from guardline.origin.whogitit import WhogititNote, parse_whogitit
from guardline.stamp import code_version

log = logging.getLogger("guardline.origin")

NOTE_NOT_REPO = "not a git repository: every line is 'unknown'"
NOTE_GIT_MISSING = "git not found: every line is 'unknown' (install git to see origins)"
NOTE_SHALLOW = "shallow clone: every line is 'unknown'; run `git fetch --unshallow`"
NOTE_OUTSIDE = "file outside the repository: every line is 'unknown'"
NOTE_UNTRACKED = "untracked file: not committed yet, lines are 'unknown'"
NOTE_NO_NOTES = "no git-ai notes: run `git fetch origin refs/notes/ai:refs/notes/ai`"
NOTES_REF = "refs/notes/ai"
REMOTE_NOTES_PREFIX = "refs/notes/ai-remote/"
# Other line-level stores in notes: Agent Trace records and whogitit, after git-ai's refs.
OTHER_NOTES_REFS = ("refs/notes/agent-trace", "refs/notes/whogitit")
MEMORY_ENTRIES = 256
# Human lines that may be AI lines a person changed (ai-modified), and the bounds of that look-up:
# the newest commits of the history read, and the commits of one path replayed.
MODIFIABLE_EVIDENCE = ("none", "git-ai", "whogitit", "agent-trace")
HISTORY_LIMIT = 50_000
MAX_PATH_COMMITS = 5_000
PATCHES_ONE_BY_ONE = 3       # files whose patches come from their own `git log -p`; then the whole history's
# ... unless the paths' own logs stay cheaper: in units of one commit of the whole history's log, a path's
# own log costs PATH_COMMIT_COST per commit (no delta cache across blobs: measured ~5x on the 2,000-commit
# bench repository) plus PATH_LOG_COST for the process; paths go one by one while their summed cost stays
# under WHOLE_LOG_SHARE of the whole history's (a run after a few new commits resolves few files again:
# their own logs, not the whole history)
PATH_COMMIT_COST = 5
PATH_LOG_COST = 10
WHOLE_LOG_SHARE = 0.5
# After HEAD moved, the files resolved again are mostly those the new commits touched: their patches come
# from one `git log -p --no-walk` of just those paths' commits (not the whole history) when they are few.
MAX_RECENT_PATHS = 500
# Part of every cache key: bump it whenever the attribution rules or texts change, so that results
# stored in .guardline/origin.sqlite by an older guardline are not reused.
ATTRIBUTION_VERSION = f"{guardline.__version__}/3"
_UNSET = object()


class OriginResolver:
    def __init__(self, root: str, config: Config) -> None:
        self.root = os.path.realpath(root)
        self.config = config
        self.settings = Settings.from_config(config)
        self.enabled = bool(config.get("origin.enabled", True))
        self._config_key = hashlib.sha1(json.dumps(config.get("origin", {}), sort_keys=True,
                                                   default=str).encode(), usedforsecurity=False).hexdigest()[:12]
        self._lock = threading.RLock()           # memory cache; never held while git runs
        self._notes_lock = threading.Lock()      # one `git notes list` per notes state, even when threaded
        self._repo_lock = threading.Lock()
        self._memory: OrderedDict[str, FileOrigin] = OrderedDict()
        self._commits: dict[str, CommitInfo] = {}
        self._notes: dict[str, LineNote | None] = {}      # blob sha -> parsed note
        self._descendants: dict[tuple[str, str], frozenset[str]] = {}   # (revision, HEAD) -> commits
        self._squashes: dict[tuple[str, tuple[str, ...]], dict[tuple[str, int], str]] = {}   # (squash sha, paths) -> line -> listed
        self._notes_index: tuple[str, dict[str, list[str]]] | None = None   # (refs state, commit -> note blobs)
        self._history_lock = threading.Lock()    # one history walk per HEAD, even when threaded
        self._history_cache: tuple[str | None, History | None] | None = None
        self._all_patches: tuple[History, dict[str, dict[str, dict[str, list[Hunk]]]]] | None = None
        self._paths_replayed = 0
        self._paths_cost = 0                     # PATH_LOG_COST units spent on paths' own logs at this HEAD
        self._recent_patches: tuple[History, frozenset[str], dict[str, dict[str, dict[str, list[Hunk]]]]] | None = None
        self._changed: dict[tuple[str, str], frozenset[str] | None] = {}   # (old HEAD, HEAD) -> touched paths
        self.reused = 0                          # files answered from an earlier HEAD's result (tests, bench)
        self.computed = 0                        # files resolved from git facts
        self._traces: tuple[tuple[int, int], AgentTraces] | None = None   # (.agent-trace stamp, parsed)
        self._repo: object = _UNSET
        self._repo_reason: str | None = None
        self._logged: set[str] = set()
        self.store = OriginStore(self.root, enabled=bool(config.get("origin.cache", True)))

    # --- public -------------------------------------------------------------------------------
    def resolve(self, path: str, text: str | None = None) -> FileOrigin:
        """Per-line origin of ``path``; ``text`` is the live buffer (blamed with `--contents -`)."""
        abspath = os.path.realpath(path if os.path.isabs(path) else os.path.join(self.root, path))
        live = text is not None
        if text is None:
            text = _read_file(abspath)
            if text is None:
                return FileOrigin([], [f"cannot read {path}"])
        return self._resolve(abspath, text, live)

    def generated_reason(self, path: str, head: str | None = None) -> str | None:
        """Why ``path`` is generated (header, configured glob, .gitattributes), or None."""
        abspath = os.path.realpath(path if os.path.isabs(path) else os.path.join(self.root, path))
        if head is None:
            head = _read_file(abspath, limit=4096) or ""
        repo = self._repo_info()
        rel = self._relpath(abspath, repo)
        reason = is_generated(rel or os.path.basename(abspath), head, globs=self.settings.generated_paths)
        if reason or repo is None or rel is None:
            return reason
        return self.generated_attributes([rel]).get(rel)

    def generated_attributes(self, relpaths: list[str]) -> dict[str, str]:
        """For the workspace scanner: repo-relative path -> reason, for linguist-generated/vendored
        paths (one `git check-attr` for all of them)."""
        repo = self._repo_info()
        if repo is None:
            return {}
        try:
            return gitlayer.generated_attributes(repo, relpaths)
        except gitlayer.GitError as exc:
            self._log_once(f"git check-attr failed: {exc}")
            return {}

    def close(self) -> None:
        self.store.close()

    # --- internals ----------------------------------------------------------------------------
    def _resolve(self, abspath: str, text: str, live: bool) -> FileOrigin:
        repo = self._repo_info()
        rel = self._relpath(abspath, repo)
        head = gitlayer.read_ref(repo, "HEAD") if repo else None
        notes_refs = self._notes_refs(repo) if repo else {}
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
        base = json.dumps([ATTRIBUTION_VERSION, code_version(), abspath, sorted(notes_refs.items()), digest, self._trace_stamp(),
                           self._attr_stamp(repo, rel), self._config_key, repo.shallow if repo else None,
                           self._repo_reason, self.enabled])
        key = json.dumps([head, base])
        with self._lock:
            cached = self._memory.get(key)
            if cached is not None:
                self._memory.move_to_end(key)
                return FileOrigin(list(cached.lines), list(cached.notes))
        # Not under the lock: a slow blame of one file must not hold up other files. Two threads may
        # compute the same key at once; both get the same answer.
        stored = self.store.get_file(key)
        if stored is not None:
            result, lasting = FileOrigin(*stored), True
        elif (earlier := self._earlier_result(repo, head, base)) is not None:
            result, lasting = FileOrigin(earlier[1], earlier[2]), True
            self.reused += 1
            self.store.put_file(key, result.lines, result.notes, base, head, earlier[0])
        else:
            result, lasting, deps = self._compute(abspath, rel, repo, text, live, notes_refs)
            self.computed += 1
            if lasting:
                self.store.put_file(key, result.lines, result.notes, base, head, deps if head else None)
        if lasting:     # a git failure (timeout, lock) is not remembered: the next resolve retries
            with self._lock:
                self._remember(key, result)
        return FileOrigin(list(result.lines), list(result.notes))

    def _earlier_result(self, repo: gitlayer.Repo | None, head: str | None,
                        base: str) -> tuple[list[str], list[LineOrigin], list[str]] | None:
        """(paths it depends on, lines, notes) of this file's result at an earlier HEAD that no commit
        between that HEAD and this one changed, or None."""
        if repo is None or head is None:
            return None
        for old_head, deps, lines, notes in self.store.get_earlier(base):
            if old_head == head:
                continue
            touched = self._changed_paths(repo, old_head, head)
            if touched is not None and touched.isdisjoint(deps):
                return deps, lines, notes
        return None

    def _changed_paths(self, repo: gitlayer.Repo, old: str, new: str) -> frozenset[str] | None:
        """Paths touched by the commits between two HEADs (either side), once per pair; None when git
        cannot tell (an earlier HEAD no longer in the repository)."""
        pair = (old, new)
        with self._history_lock:
            if pair in self._changed:
                return self._changed[pair]
        try:
            touched: frozenset[str] | None = frozenset(gitlayer.changed_paths(repo, old, new))
        except gitlayer.GitError as exc:
            self._log_once(f"cannot compare HEAD with an earlier one ({exc}): files are resolved again")
            touched = None
        with self._history_lock:
            self._changed[pair] = touched
        return touched

    def _compute(self, abspath: str, rel: str | None, repo: gitlayer.Repo | None, text: str, live: bool,
                 notes_refs: dict[str, str]) -> tuple[FileOrigin, bool, list[str] | None]:
        """The file's origins, whether the answer may be cached (False after a git failure), and the
        repository paths it depends on (None when it depends on more than paths)."""
        lines = split_lines(text)
        display = rel or os.path.relpath(abspath, self.root).replace(os.sep, "/")
        facts = Facts(path=display, lines=lines, syntax=syntax_for(abspath))
        notes: list[str] = []
        lasting = True
        if not self.enabled:
            facts.no_git_reason = "origin attribution disabled (origin.enabled = false)"
            return FileOrigin(attribute(facts, self.settings), notes), lasting, []
        facts.traces = self._agent_traces(repo)
        reason = self._no_history_reason(repo, rel)
        if reason or repo is None or rel is None:   # (no reason means both are set)
            facts.no_git_reason = reason
            notes.extend([reason] if reason else [])
        else:
            try:
                self._gather(facts, repo, rel, text, live, notes_refs, notes)
            except gitlayer.GitError as exc:
                facts.blame, facts.no_git_reason, lasting = None, f"git failed: {exc}", False
                notes.append(facts.no_git_reason)
        for note in notes:
            self._log_once(note)
        records = attribute(facts, self.settings)
        exact = True
        if lasting and facts.blame is not None:
            records, exact = self._ai_modified(facts, repo, rel, records)
        deps = sorted({display, *(b.orig_path for b in facts.blame or ())}) if exact else None
        return FileOrigin(records, notes), lasting, deps

    def _ai_modified(self, facts: Facts, repo: gitlayer.Repo | None, rel: str | None,
                     records: list[LineOrigin]) -> tuple[list[LineOrigin], bool]:
        """Human lines of a file that has AI lines, looked up in their path's replayed history
        (history.py): a line whose commit *changed* an AI-written line is `ai-modified`. The history
        comes from one `git log --raw` per HEAD for the whole repository and one `git log -p` of the
        path's own commits: no second blame, no second history walk per file. Also whether the answer
        holds at a later HEAD that did not touch the file's paths (not when the history read was cut)."""
        if repo is None or rel is None:
            return records, True
        candidates = _modifiable_lines(records)
        if not candidates or facts.blame is None:
            return records, True
        earlier, exact = self._replaced_lines(repo, facts.blame, candidates)
        if not earlier:
            return records, exact
        shas = sorted({b.commit for b in earlier.values()} - set(facts.commits))
        index = self._note_index(repo, self._notes_refs(repo))
        self._load_objects(repo, shas, [blob for s in shas for blob in index.get(s, ())])
        blame = list(facts.blame)
        for i, line in earlier.items():
            blame[i] = line
        before = dataclasses.replace(
            facts, blame=blame, commits={**facts.commits, **{s: self._commits[s] for s in shas if s in self._commits}},
            notes={**facts.notes, **{s: n for s in shas if s in index and (n := self._note_set(index[s]))}})
        return _mark_modified(records, attribute(before, self.settings), earlier), exact

    def _replaced_lines(self, repo: gitlayer.Repo, blame: list[BlameLine],
                        candidates: list[int]) -> tuple[dict[int, BlameLine], bool]:
        """Line index -> the earlier version of the line (who wrote the line its commit replaced), for
        the ``candidates`` whose commit changed a line rather than adding one; and whether the history
        was read whole (not cut at HISTORY_LIMIT, no git failure)."""
        history = self._history(repo)
        if history is None:
            return {}, False
        by_path: dict[str, list[int]] = {}
        for i in candidates:
            by_path.setdefault(blame[i].orig_path, []).append(i)
        earlier: dict[int, BlameLine] = {}
        exact = not history.truncated
        for path, indexes in sorted(by_path.items()):
            commits = history.commits_touching(path)
            if not commits or len(commits) > MAX_PATH_COMMITS:
                continue
            patches = self._patches(repo, history, path, commits)
            if patches is None:
                exact = False
                continue
            writers = replaced_writers(history, path, patches, {(blame[i].commit, blame[i].orig_line) for i in indexes})
            for i in indexes:
                writer = writers.get((blame[i].commit, blame[i].orig_line))
                if writer is not None and writer[0] != blame[i].commit:
                    earlier[i] = BlameLine(writer[0], writer[1], path)
        return earlier, exact

    def _patches(self, repo: gitlayer.Repo, history: History, path: str,
                 commits: list[str]) -> dict[str, dict[str, list[Hunk]]] | None:
        """``path``'s patches: from one `git log -p` of the path's own commits while those logs stay cheap
        (PATH_COMMIT_COST); then, when HEAD moved since the last results and the path is one the new
        commits touched, from one `git log -p --no-walk` of all those paths' commits; else from one
        streamed `git log -p` of the whole history (kept per HEAD), which costs about what a few files' own
        logs do. The three give the same hunks for the path. None after a git failure."""
        try:
            with self._history_lock:
                if self._all_patches is not None and self._all_patches[0] is history:
                    return self._all_patches[1].get(path, {})
                recent = self._recent_patches if self._recent_patches is not None and \
                    self._recent_patches[0] is history else None
                if recent is not None and path in recent[1]:
                    return recent[2].get(path, {})
                cost = PATH_COMMIT_COST * len(commits) + PATH_LOG_COST
                one_by_one = self._paths_replayed < PATCHES_ONE_BY_ONE or \
                    self._paths_cost + cost <= len(history.order) * WHOLE_LOG_SHARE
                self._paths_replayed += 1
                self._paths_cost += cost
                if not one_by_one:
                    if recent is None:
                        recent = self._recent_paths_patches(repo, history)
                        self._recent_patches = recent
                    if path in recent[1]:
                        return recent[2].get(path, {})
                    whole = parse_history_patches(gitlayer.history_patches(repo, HISTORY_LIMIT))
                    self._all_patches = (history, whole)
                    return whole.get(path, {})
            return parse_patches(gitlayer.path_patches(repo, commits, path))
        except gitlayer.GitError as exc:
            self._log_once(f"git log -p failed (no ai-modified lines): {exc}")
            return None

    def _recent_paths_patches(self, repo: gitlayer.Repo, history: History
                              ) -> tuple[History, frozenset[str], dict[str, dict[str, dict[str, list[Hunk]]]]]:
        """(history, paths, their patches) for the paths the commits since the HEAD of the latest stored
        results touched, when there are at most MAX_RECENT_PATHS; no paths otherwise. Called with
        _history_lock held."""
        head = gitlayer.read_ref(repo, "HEAD")
        old = self.store.latest_head(head) if head else None
        touched: frozenset[str] | None = None
        if head and old:
            touched = self._changed.get((old, head))
            if (old, head) not in self._changed:
                try:
                    touched = frozenset(gitlayer.changed_paths(repo, old, head))
                except gitlayer.GitError:
                    touched = None
                self._changed[(old, head)] = touched
        paths = sorted(p for p in touched or () if p in history.touched)
        if not paths or len(paths) > MAX_RECENT_PATHS:
            return history, frozenset(), {}
        commits = sorted({c for p in paths for c in history.touched[p]}, key=history.index.__getitem__)
        patches = parse_history_patches(gitlayer.paths_patches(repo, commits, paths).split(b"\n"))
        return history, frozenset(paths), patches

    def _history(self, repo: gitlayer.Repo) -> History | None:
        """The repository's commits and the paths each touched, once per HEAD (one `git log --raw`)."""
        head = gitlayer.read_ref(repo, "HEAD")
        with self._history_lock:
            if self._history_cache is None or self._history_cache[0] != head:
                try:
                    history: History | None = parse_raw_log(gitlayer.history_log(repo, HISTORY_LIMIT), HISTORY_LIMIT)
                except gitlayer.GitError as exc:
                    self._log_once(f"git log --raw failed (no ai-modified lines): {exc}")
                    history = None
                self._history_cache = (head, history)
                self._paths_replayed = self._paths_cost = 0     # a new HEAD starts with per-path patches again
            return self._history_cache[1]

    def _no_history_reason(self, repo: gitlayer.Repo | None, rel: str | None) -> str | None:
        if repo is None:
            return self._repo_reason
        if rel is None:
            return NOTE_OUTSIDE
        if repo.shallow:
            return NOTE_SHALLOW
        return None

    def _gather(self, facts: Facts, repo: gitlayer.Repo, rel: str, text: str, live: bool,
                notes_refs: dict[str, str], notes: list[str]) -> None:
        try:
            facts.blame = gitlayer.blame(repo, rel, text.encode("utf-8", "surrogatepass") if live else None)
        except gitlayer.GitError as exc:
            if not _untracked(str(exc)):
                raise
            facts.blame = [BlameLine(ZERO_SHA, i + 1, rel) for i in range(len(facts.lines))]
            notes.append(NOTE_UNTRACKED)
            return
        index = self._note_index(repo, notes_refs)
        if not notes_refs and gitlayer.has_remote(repo):
            notes.append(NOTE_NO_NOTES)
        shas = sorted({b.commit for b in facts.blame if b.commit != ZERO_SHA})
        self._load_objects(repo, shas, [blob for s in shas for blob in index.get(s, ())])
        carried = self._carried_notes(repo, shas, index)
        if carried:
            self._load_objects(repo, [], sorted({blob for blobs in carried.values() for blob in blobs}))
            index = {**index, **carried}
        facts.commits = {s: self._commits[s] for s in shas if s in self._commits}
        facts.notes = {s: n for s in shas if s in index and (n := self._note_set(index[s])) is not None}
        if facts.traces:
            facts.trace_ancestry = self._trace_ancestry(repo, facts)
        facts.squash_lines = self._squash_lines(repo, facts)
        if gitlayer.may_have_attributes(repo, rel):
            try:
                facts.generated_reason = gitlayer.generated_attributes(repo, [rel]).get(rel)
            except gitlayer.GitError as exc:
                notes.append(f"git check-attr failed: {exc}")

    def _note_set(self, blobs: list[str]) -> LineNote | None:
        notes = [n for b in blobs if (n := self._notes.get(b)) is not None]
        if len(notes) <= 1:
            return notes[0] if notes else None
        return NoteSet(notes)

    def _squash_lines(self, repo: gitlayer.Repo, facts: Facts) -> dict[str, dict[tuple[str, int], str]]:
        """For blamed `git merge --squash` commits whose listed commits still exist: (path, line in the
        squash commit) -> the listed commit that wrote it, from a blame of the branch tip (the squash
        commit's version of the file is the tip's). One blame per squash commit and path, in memory."""
        out: dict[str, dict[tuple[str, int], str]] = {}
        for sha, info in facts.commits.items():
            entries = squash_entries(info.message)
            if not entries:
                continue
            paths = sorted({b.orig_path for b in facts.blame or () if b.commit == sha})
            key = (sha, tuple(paths))
            if key not in self._squashes:
                try:
                    self._squashes[key] = gitlayer.listed_blame(repo, [e.sha for e in entries], paths)
                except gitlayer.GitError:
                    self._squashes[key] = {}
            if self._squashes[key]:
                out[sha] = self._squashes[key]
        return out

    def _carried_notes(self, repo: gitlayer.Repo, shas: list[str], index: dict[str, list[str]]) -> dict[str, list[str]]:
        """Notes of the commits a blamed commit was cherry-picked or rebased from: `(cherry picked
        from commit X)` in its message, or the same author, author time and subject as a noted commit
        and the same `git patch-id`. Blamed commit -> the note blobs it inherits."""
        unnoted = [s for s in shas if s not in index and s in self._commits]
        if not unnoted or not index:
            return {}
        carried: dict[str, list[str]] = {}
        for sha in unnoted:
            source = CHERRY_PICKED.search(self._commits[sha].message)
            if source and source.group(1) in index:
                carried[sha] = index[source.group(1)]
        remaining = [s for s in unnoted if s not in carried]
        if not remaining:
            return carried
        self._load_objects(repo, sorted(c for c in index if c not in self._commits), [])
        noted = {_identity(self._commits[c]): c for c in index if c in self._commits}
        pairs = {s: noted[_identity(self._commits[s])] for s in remaining if _identity(self._commits[s]) in noted}
        if pairs:
            try:
                ids = gitlayer.patch_ids(repo, sorted({*pairs, *pairs.values()}))
            except gitlayer.GitError:
                return carried
            carried.update({s: index[src] for s, src in pairs.items() if s in ids and ids[s] == ids.get(src)})
        return carried

    def _trace_ancestry(self, repo: gitlayer.Repo, facts: Facts) -> dict[str, frozenset[str]]:
        """Agent Trace revision -> the blamed commits that descend from it (the revision is HEAD at edit
        time; later commits may hold the lines). One `git rev-list --ancestry-path` per revision and
        HEAD, kept in memory."""
        head = gitlayer.read_ref(repo, "HEAD") or ""
        paths = {facts.path} | {b.orig_path for b in facts.blame or ()}
        revisions = {r.revision for p in paths for r in facts.traces.by_path.get(p, ()) if r.revision}
        out: dict[str, frozenset[str]] = {}
        for revision in sorted(revisions):
            key = (revision, head)
            if key not in self._descendants:
                try:
                    self._descendants[key] = gitlayer.descendants(repo, revision, head)
                except gitlayer.GitError:
                    self._descendants[key] = frozenset()
            out[revision] = self._descendants[key]
        return out

    def _load_objects(self, repo: gitlayer.Repo, shas: list[str], blobs: list[str]) -> None:
        """Commits and note blobs: memory, then SQLite, then one `git cat-file --batch` for the rest."""
        missing = [s for s in shas if s not in self._commits]
        if missing:
            self._commits.update(self.store.get_commits(missing))
        missing_blobs = [b for b in blobs if b not in self._notes]
        if missing_blobs:
            for sha, raw in self.store.get_blobs(missing_blobs).items():
                self._notes[sha] = parse_note_blob(raw.decode("utf-8", "replace"))
        need = [s for s in shas if s not in self._commits] + [b for b in blobs if b not in self._notes]
        if not need:
            return
        objects = gitlayer.cat_file(repo, need)
        fresh_commits, fresh_blobs = [], {}
        for sha in need:
            kind, raw = objects.get(sha, ("missing", b""))
            if kind == "commit":
                info = gitlayer.parse_commit(sha, raw)
                self._commits[sha] = info
                fresh_commits.append(info)
            elif kind == "blob":
                self._notes[sha] = parse_note_blob(raw.decode("utf-8", "replace"))
                fresh_blobs[sha] = raw
        self.store.put_commits(fresh_commits)
        self.store.put_blobs(fresh_blobs)

    def _note_index(self, repo: gitlayer.Repo, refs: dict[str, str]) -> dict[str, list[str]]:
        """annotated commit -> note blob; one `git notes list` per state of the notes refs."""
        if not refs:
            return {}
        state = json.dumps(sorted(refs.items()))
        with self._notes_lock:
            if self._notes_index is None or self._notes_index[0] != state:
                self._notes_index = (state, self._load_note_index(repo, refs, state))
            return self._notes_index[1]

    def _load_note_index(self, repo: gitlayer.Repo, refs: dict[str, str], state: str) -> dict[str, list[str]]:
        stored = self.store.get_notes_index(state)
        if stored is not None:
            return stored
        ordered = sorted(refs, key=_ref_rank)
        try:
            index = gitlayer.notes_index(repo, ordered)
        except gitlayer.GitError as exc:
            self._log_once(f"git notes list failed: {exc}")
            return {}
        self.store.put_notes_index(state, index)
        return index

    def _notes_refs(self, repo: gitlayer.Repo) -> dict[str, str]:
        """refs/notes/ai and every refs/notes/ai-remote/* together, -> sha (read from files)."""
        refs = gitlayer.list_refs(repo, REMOTE_NOTES_PREFIX)
        for ref in (NOTES_REF, *OTHER_NOTES_REFS):
            sha = gitlayer.read_ref(repo, ref)
            if sha:
                refs[ref] = sha
        return refs

    def _agent_traces(self, repo: gitlayer.Repo | None) -> AgentTraces:
        stamp = self._trace_stamp()
        if stamp is None:
            return AgentTraces()
        if self._traces is None or self._traces[0] != stamp:
            prefix = ""
            if repo is not None and self.root != repo.toplevel and _inside(self.root, repo.toplevel):
                prefix = os.path.relpath(self.root, repo.toplevel).replace(os.sep, "/") + "/"
            text = _read_file(os.path.join(self.root, TRACE_FILE)) or ""
            roots = [(self.root, prefix)] + ([(repo.toplevel, "")] if repo is not None else [])
            self._traces = (stamp, parse_traces(text, prefix, roots))
        return self._traces[1]

    def _trace_stamp(self) -> tuple[int, int] | None:
        try:
            st = os.stat(os.path.join(self.root, TRACE_FILE))
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    @staticmethod
    def _attr_stamp(repo: gitlayer.Repo | None, rel: str | None) -> list[tuple[int, int] | None] | None:
        """(mtime, size) of the files that change blame or attributes: `.git-blame-ignore-revs`,
        `.git/info/attributes` and every `.gitattributes` that can apply to the file (the root's and
        each folder's on its path)."""
        if repo is None:
            return None
        folders = (rel or "").split("/")[:-1]
        paths = [os.path.join(repo.toplevel, ".git-blame-ignore-revs"),
                 os.path.join(repo.common_dir, "info", "attributes")]
        paths += [os.path.join(repo.toplevel, *folders[:depth], ".gitattributes") for depth in range(len(folders) + 1)]
        stamps: list[tuple[int, int] | None] = []
        for path in paths:
            try:
                st = os.stat(path)
                stamps.append((st.st_mtime_ns, st.st_size))
            except OSError:
                stamps.append(None)
        return stamps

    def _repo_info(self) -> gitlayer.Repo | None:
        with self._repo_lock:
            if self._repo is None and self._repo_reason == NOTE_NOT_REPO and \
                    os.path.exists(os.path.join(self.root, ".git")):
                self._repo = _UNSET      # `git init` since the last look
            if self._repo is _UNSET:
                try:
                    repo = gitlayer.find_repo(self.root)
                    self._repo_reason = NOTE_NOT_REPO if repo is None else None
                except gitlayer.GitMissing:
                    repo, self._repo_reason = None, NOTE_GIT_MISSING
                except gitlayer.GitRefused as exc:
                    repo, self._repo_reason = None, f"{exc}; every line is 'unknown'"
                self._repo = repo
        return self._repo  # type: ignore[return-value]

    @staticmethod
    def _relpath(abspath: str, repo: gitlayer.Repo | None) -> str | None:
        if repo is None or not _inside(abspath, repo.toplevel):
            return None
        return os.path.relpath(abspath, repo.toplevel).replace(os.sep, "/")

    def _remember(self, key: str, result: FileOrigin) -> None:
        self._memory[key] = result
        while len(self._memory) > MEMORY_ENTRIES:
            self._memory.popitem(last=False)

    def _log_once(self, message: str) -> None:
        if message not in self._logged:
            self._logged.add(message)
            log.info("%s", message)


CHERRY_PICKED = re.compile(r"^\(cherry picked from commit ([0-9a-f]{40})\)\s*$", re.MULTILINE)


def _identity(info: CommitInfo) -> tuple[str, int, str]:
    """What a rebase or cherry-pick keeps of a commit: author, author time, subject."""
    return info.author_email.lower(), info.author_time, info.message.split("\n", 1)[0].strip()


def notes_not_fetched(root: str) -> str | None:
    """The run note for a clone whose remote's git-ai notes were not fetched (git does not fetch
    refs/notes/* by default), or None. Reads .git files only: no git process."""
    try:
        repo = gitlayer.find_repo(root)
    except gitlayer.GitError:
        return None
    if repo is None or repo.shallow or not gitlayer.has_remote(repo):
        return None      # a shallow clone has its own note: unshallow first, notes help only then
    if gitlayer.list_refs(repo, REMOTE_NOTES_PREFIX) or any(gitlayer.read_ref(repo, r) for r in (NOTES_REF, *OTHER_NOTES_REFS)):
        return None
    return ("notes not fetched: no refs/notes/ai in this clone, so git-ai line records are not used; if the "
            "remote has them, run `git fetch origin refs/notes/ai:refs/notes/ai`")


def _modifiable_lines(records: list[LineOrigin]) -> list[int]:
    """Committed human lines of a file that has AI lines: those a person may have changed from AI code
    (inside an AI block, at its start or end, or rewriting a whole block)."""
    if not any(r.origin == "ai" for r in records):
        return []
    return [i for i, r in enumerate(records) if r.origin == "human" and r.evidence in MODIFIABLE_EVIDENCE
            and r.commit and r.commit != ZERO_SHA]


def _mark_modified(records: list[LineOrigin], then: list[LineOrigin], earlier: dict[int, BlameLine]) -> list[LineOrigin]:
    """Lines whose earlier version was AI-written become ai-modified."""
    out = list(records)
    for i, before in earlier.items():
        rec = then[i]
        if rec.origin == "ai":
            out[i] = LineOrigin("ai-modified", rec.tool, rec.model, rec.evidence, rec.granularity, records[i].commit,
                                "medium", f"written by AI in {before.commit[:8]} ({rec.detail}), changed by a person "
                                          f"in {str(records[i].commit)[:8]}")
    return out


def _ref_rank(ref: str) -> tuple[int, str]:
    """refs/notes/ai, then refs/notes/ai-remote/*, then Agent Trace and whogitit notes."""
    if ref == NOTES_REF:
        return 0, ref
    if ref.startswith(REMOTE_NOTES_PREFIX):
        return 1, ref
    return 2 + (OTHER_NOTES_REFS.index(ref) if ref in OTHER_NOTES_REFS else len(OTHER_NOTES_REFS)), ref


def parse_note_blob(text: str) -> "AuthorshipNote | NotedTraces | WhogititNote | None":
    """Any note a store keeps: git-ai authorship, whogitit JSON, or Agent Trace records."""
    return parse_note(text) or parse_whogitit(text) or parse_trace_note(text)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _untracked(stderr: str) -> bool:
    return "no such path" in stderr or "no such ref" in stderr or "bad revision 'HEAD'" in stderr


def _read_file(path: str, limit: int | None = None) -> str | None:
    try:
        with open(path, "rb") as fh:
            raw = fh.read() if limit is None else fh.read(limit)
    except OSError:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", "replace")
