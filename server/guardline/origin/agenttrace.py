"""Source 3: Agent Trace records (`.agent-trace/traces.jsonl` at the workspace root). Pure parsing.

Each JSON line: `vcs.revision` (HEAD at edit time), `tool.name`, `files[].path`,
`files[].conversations[].ranges[{start_line, end_line, content_hash?, contributor?}]`, contributor
`type` human|ai|mixed|unknown (`mixed` -> ai, low confidence). A record whose revision equals the
blamed commit is high confidence; one equal to that commit's parent is medium.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from guardline.origin.patterns import normalize_tool
from guardline.origin.records import LineOrigin

TRACE_FILE = ".agent-trace/traces.jsonl"
CONTRIBUTOR_ORIGIN = {"ai": ("ai", None), "mixed": ("ai", "low"), "human": ("human", None)}


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

    def __bool__(self) -> bool:
        return bool(self.by_path)

    def for_commit(self, path: str, line: int, commit: str, parents: list[str]) -> LineOrigin | None:
        """Record for a committed line (``line`` 1-based in that commit's version of ``path``)."""
        best: LineOrigin | None = None
        for rng in self.by_path.get(path, ()):
            if not (rng.start <= line <= rng.end) or rng.kind not in CONTRIBUTOR_ORIGIN:
                continue
            if rng.revision and rng.revision == commit:
                return _record(rng, commit, "high", "equals the blamed commit")
            if best is None and rng.revision and rng.revision in parents:
                best = _record(rng, commit, "medium", "is the parent of the blamed commit")
        return best

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


def parse_traces(text: str, repo_prefix: str = "") -> AgentTraces:
    """Parse JSONL; ``repo_prefix`` is the workspace root relative to the repo root (paths in records
    are relative to the workspace root, lookups use repo-relative paths)."""
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
            _add_record(traces, record, repo_prefix)
    return traces


def _add_record(traces: AgentTraces, record: dict[str, Any], prefix: str) -> None:
    vcs = record.get("vcs") if isinstance(record.get("vcs"), dict) else {}
    revision = vcs.get("revision") if isinstance(vcs.get("revision"), str) else None
    tool_info = record.get("tool") if isinstance(record.get("tool"), dict) else {}
    tool = normalize_tool(tool_info.get("name"))
    for entry in _dicts(record.get("files")):
        path = str(entry.get("path") or "").removeprefix("./")
        if not path:
            continue
        key = f"{prefix}{path}" if prefix else path
        for conv in _dicts(entry.get("conversations")):
            default = conv.get("contributor") if isinstance(conv.get("contributor"), dict) else {}
            for rng in _dicts(conv.get("ranges")):
                contributor = rng.get("contributor") if isinstance(rng.get("contributor"), dict) else default
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


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
