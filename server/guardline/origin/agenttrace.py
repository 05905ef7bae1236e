"""Source 3: Agent Trace records (`.agent-trace/traces.jsonl` at the workspace root). Pure parsing.

Each JSON line: `vcs.revision` (HEAD at edit time), `tool.name`, `files[].path`,
`files[].conversations[].ranges[{start_line, end_line, content_hash?, contributor?}]`, contributor
`type` human|ai|mixed|unknown (`mixed` -> ai, low confidence). A record whose revision equals the
blamed commit is high confidence; one equal to an ancestor of it (the parent, or any commit the
blamed one descends from: the revision is HEAD at edit time) is medium. Paths may be relative to the
workspace root, `./`-prefixed or absolute. A range's content hash relocates it when the lines moved
before the commit, and matches uncommitted lines.

Reading API (stable; the agent hooks of issue 18 and the resolver use it):
    traces = parse_traces(text, repo_prefix, roots=[(abs_root, prefix), ...])
    traces.for_commit(path, line, commit, parents, is_ancestor=None)  # committed line
    traces.relocated(path, lines, index, commit, accept)              # committed line, moved range
    traces.for_content(path, lines, index)                            # uncommitted line
    hash_matches(expected, lines)
Paths given to these are repo-relative with forward slashes; lines are 1-based, indexes 0-based.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from guardline.origin.patterns import normalize_tool
from guardline.origin.records import LineOrigin

TRACE_FILE = ".agent-trace/traces.jsonl"
CONTRIBUTOR_ORIGIN = {"ai": ("ai", None), "mixed": ("ai", "low"), "human": ("human", None)}
RELOCATE_REACH = 400       # lines around the recorded place searched for a moved range


@dataclass(frozen=True, slots=True)
class TraceRange:
    path: str
    start: int
    end: int
    kind: str                  # human | ai | mixed | unknown
    tool: str | None
    model: str | None
    revision: str | None
    content_hash: str | None


@dataclass
class AgentTraces:
    by_path: dict[str, list[TraceRange]] = field(default_factory=dict)
    _moved: dict[TraceRange, int | None] = field(default_factory=dict, repr=False)
    _moved_lines: Sequence[str] | None = field(default=None, repr=False)

    def __bool__(self) -> bool:
        return bool(self.by_path)

    def for_commit(self, path: str, line: int, commit: str, parents: list[str],
                   is_ancestor: Callable[[str, str], bool] | None = None,
                   text_at: Callable[[int, int], list[str] | None] | None = None) -> LineOrigin | None:
        """Record for a committed line (``line`` 1-based in that commit's version of ``path``):
        revision == commit (high), else the parent, else the latest record at any ancestor (medium).
        ``text_at(start, end)`` gives the commit's lines start..end when known: a range whose content
        hash does not match them moved away (see `relocated`)."""
        parent: LineOrigin | None = None
        ancestor: LineOrigin | None = None
        for rng in self.by_path.get(path, ()):
            if not (rng.start <= line <= rng.end) or rng.kind not in CONTRIBUTOR_ORIGIN or not rng.revision:
                continue
            if not _hash_allows(rng, text_at, near=rng.revision == commit or rng.revision in parents):
                continue
            if rng.revision == commit:
                return _record(rng, commit, "high", "equals the blamed commit")
            if rng.revision in parents:
                parent = parent or _record(rng, commit, "medium", "is the parent of the blamed commit")
            elif is_ancestor is not None and is_ancestor(rng.revision, commit):
                ancestor = _record(rng, commit, "medium", "is an ancestor of the blamed commit")
        return parent or ancestor

    def relocated(self, path: str, lines: Sequence[str], index: int, commit: str,
                  accept: Callable[[str], bool]) -> LineOrigin | None:
        """Record for a committed line (0-based ``index`` in ``lines``) inside a range whose content
        hash matches the text somewhere else than recorded: the lines moved before the commit.
        ``accept(revision)`` says whether the record's revision may describe ``commit``."""
        for rng in self.by_path.get(path, ()):
            if not rng.content_hash or rng.kind not in CONTRIBUTOR_ORIGIN or not rng.revision or \
                    not accept(rng.revision):
                continue
            start = self._moved_start(rng, lines)
            if start is not None and start <= index < start + (rng.end - rng.start + 1):
                return _record(rng, commit, "medium", "matches by content hash (the lines moved)")
        return None

    def _moved_start(self, rng: TraceRange, lines: Sequence[str]) -> int | None:
        """0-based first line of the window matching ``rng``'s hash nearest its recorded place."""
        if self._moved_lines is not lines:      # a new text: forget the places found in the last one
            self._moved_lines, self._moved = lines, {}
        if rng not in self._moved:
            self._moved[rng] = _nearest_match(rng, lines)
        return self._moved[rng]

    def for_content(self, path: str, lines: list[str], index: int) -> LineOrigin | None:
        """Record for an uncommitted line (0-based ``index``) whose range content hash matches."""
        for rng in self.by_path.get(path, ()):
            if not rng.content_hash or rng.kind not in CONTRIBUTOR_ORIGIN:
                continue
            size = rng.end - rng.start + 1
            for first in _windows_containing(index, size, len(lines), rng.start - 1):
                if hash_matches(rng.content_hash, lines[first:first + size]):
                    return _record(rng, None, "medium", "content hash matches the live text")
        return None


def _hash_allows(rng: TraceRange, text_at: Callable[[int, int], list[str] | None] | None, near: bool) -> bool:
    """Whether a range may describe the committed lines at its recorded place: its content hash
    matches them; when they cannot be read (not all in one commit), only a record of that commit or
    its parent counts (an older record there was overwritten by a later commit)."""
    if not rng.content_hash or text_at is None:
        return True
    text = text_at(rng.start, rng.end)
    if text is None:
        return near
    return hash_matches(rng.content_hash, text)


def _nearest_match(rng: TraceRange, lines: Sequence[str]) -> int | None:
    size = rng.end - rng.start + 1
    recorded = rng.start - 1
    for offset in range(RELOCATE_REACH + 1):
        for first in (recorded - offset, recorded + offset) if offset else (recorded,):
            if 0 <= first <= len(lines) - size and hash_matches(rng.content_hash or "", list(lines[first:first + size])):
                return first
    return None


def _windows_containing(index: int, size: int, total: int, preferred: int) -> list[int]:
    """Start indexes of windows of ``size`` lines that include ``index``, the recorded place first."""
    starts = [s for s in range(max(0, index - size + 1), min(index, total - size) + 1)]
    if preferred in starts:
        starts.remove(preferred)
        starts.insert(0, preferred)
    return starts[:64]


def _record(rng: TraceRange, commit: str | None, confidence: str, why: str) -> LineOrigin:
    origin, forced = CONTRIBUTOR_ORIGIN[rng.kind]
    rev = (rng.revision or "")[:8]
    detail = f"Agent Trace record ({rng.kind}) for {rng.path}:{rng.start}-{rng.end}, revision {rev} {why}"
    return LineOrigin(origin, rng.tool if origin == "ai" else None, rng.model if origin == "ai" else None,
                      "agent-trace", "line", commit, forced or confidence, detail)


def hash_matches(expected: str, lines: list[str]) -> bool:
    """Compare a recorded content hash (`sha256:<hex>`, `sha1:`, `md5:` or bare hex) with lines."""
    algo, _, digest = expected.partition(":")
    if not digest:
        algo, digest = "sha256", expected
    algo = algo.lower().replace("-", "")
    if algo not in ("sha256", "sha1", "md5"):
        return False
    data = "\n".join(lines).encode("utf-8")
    return hashlib.new(algo, data).hexdigest() == digest.lower() or \
        hashlib.new(algo, data + b"\n").hexdigest() == digest.lower()


@dataclass
class NotedTraces:
    """Agent Trace records kept in a git note on the commit they describe (`refs/notes/agent-trace`):
    positions are the commit's, so a covering range is high confidence whatever its revision."""

    traces: AgentTraces

    def line_origin(self, path: str, line: int, commit: str) -> LineOrigin | None:
        for rng in reversed(self.traces.by_path.get(path, ())):      # the latest record first
            if rng.start <= line <= rng.end and rng.kind in CONTRIBUTOR_ORIGIN:
                return _record(rng, commit, "high", "is in the commit's refs/notes/agent-trace note")
        return None


def parse_trace_note(text: str) -> NotedTraces | None:
    """A note holding one Agent Trace record (possibly pretty-printed), a JSON list of them or JSON
    lines; None when it holds none."""
    try:
        whole = json.loads(text)
    except (json.JSONDecodeError, ValueError):
        whole = None
    if isinstance(whole, (dict, list)):
        records = whole if isinstance(whole, list) else [whole]
        text = "\n".join(json.dumps(r) for r in records if isinstance(r, dict) and "files" in r)
    traces = parse_traces(text)
    return NotedTraces(traces) if traces else None


def parse_traces(text: str, repo_prefix: str = "", roots: Sequence[tuple[str, str]] = ()) -> AgentTraces:
    """Parse JSONL; ``repo_prefix`` is the workspace root relative to the repo root (paths in records
    are relative to the workspace root, lookups use repo-relative paths). ``roots`` lists
    (absolute folder, its repo-relative prefix) pairs for absolute paths in records (the workspace
    root and the repository root); absolute paths outside them are ignored."""
    traces = AgentTraces()
    for raw in text.splitlines():
        raw = raw.strip()
        if not raw:
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            _add_record(traces, record, repo_prefix, roots)
    return traces


def record_path(path: str, prefix: str, roots: Sequence[tuple[str, str]] = ()) -> str | None:
    """A record's path as a repo-relative key: `./a.py`, `a.py` (workspace-relative) or an absolute
    path inside one of ``roots``; None when it points elsewhere."""
    path = path.replace("\\", "/")
    if path.startswith("/") or (len(path) > 2 and path[1] == ":" and path[2] == "/"):
        for root, root_prefix in sorted(roots, key=lambda r: len(r[0]), reverse=True):
            root = root.replace("\\", "/").rstrip("/")
            if path.startswith(root + "/"):
                return root_prefix + posixpath.normpath(path[len(root) + 1:])
        return None
    path = posixpath.normpath(path)
    if path.startswith("../") or path == ".":
        return None
    return f"{prefix}{path}" if prefix else path


def _add_record(traces: AgentTraces, record: dict[str, Any], prefix: str,
                roots: Sequence[tuple[str, str]] = ()) -> None:
    vcs = _dict_at(record, "vcs")
    revision = vcs.get("revision") if isinstance(vcs.get("revision"), str) else None
    tool_info = _dict_at(record, "tool")
    tool = normalize_tool(tool_info.get("name"))
    for entry in _dicts(record.get("files")):
        path = str(entry.get("path") or "")
        key = record_path(path, prefix, roots) if path else None
        if not key:
            continue
        for conv in _dicts(entry.get("conversations")):
            default = _dict_at(conv, "contributor")
            for rng in _dicts(conv.get("ranges")):
                contributor = rng["contributor"] if isinstance(rng.get("contributor"), dict) else default
                item = _range(key, rng, contributor, tool, revision)
                if item:
                    traces.by_path.setdefault(key, []).append(item)


def _range(path: str, rng: dict[str, Any], contributor: dict[str, Any], tool: str | None,
           revision: str | None) -> TraceRange | None:
    start, end = rng.get("start_line"), rng.get("end_line")
    if not isinstance(start, int) or not isinstance(end, int) or end < start:
        return None
    kind = str(contributor.get("type", "unknown")).lower()
    model = contributor.get("model_id") or contributor.get("model")
    return TraceRange(path, start, end, kind, tool, model if isinstance(model, str) else None, revision,
                      rng.get("content_hash") if isinstance(rng.get("content_hash"), str) else None)


def _dict_at(record: dict[str, Any], key: str) -> dict[str, Any]:
    """``record[key]`` when it is an object, else an empty one (a trace file is untrusted JSON)."""
    value = record.get(key)
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
