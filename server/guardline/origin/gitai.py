"""Source 2: git-ai authorship notes (`refs/notes/ai`, schema `authorship/3.x`). Pure parsing.

A note: an attestation section, a line exactly `---`, then JSON. Attestation lines: a file path at
column 0 (double-quoted when it has spaces), then indented entries `<key> <ranges>` with 1-based
inclusive ranges like `1-4,9`. Keys: `s_<hex>::t_<hex>` (a session -> AI), `h_<hex>` (observed human
typing), a bare 7-16 hex key (legacy prompt -> AI). Line numbers are those of the file in the commit.
Lines no range covers are untracked (no data): `line_origin` returns None for them.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

from guardline.origin.patterns import normalize_tool
from guardline.origin.records import LineNote, LineOrigin

SESSION_KEY = re.compile(r"^(s_[0-9a-f]+)::t_[0-9a-f]+$", re.IGNORECASE)
HUMAN_KEY = re.compile(r"^h_[0-9a-f]+$", re.IGNORECASE)
LEGACY_KEY = re.compile(r"^[0-9a-f]{7,16}$", re.IGNORECASE)
RANGE_ITEM = re.compile(r"^(\d+)(?:-(\d+))?$")


@dataclass
class FileAttestation:
    starts: list[int] = field(default_factory=list)    # sorted range starts
    ranges: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, key), same order

    def key_at(self, line: int) -> str | None:
        i = bisect.bisect_right(self.starts, line) - 1
        while i >= 0:   # ranges sorted by start; walk back in case an earlier one overlaps
            start, end, key = self.ranges[i]
            if start <= line <= end:
                return key
            i -= 1
        return None


@dataclass
class AuthorshipNote:
    files: dict[str, FileAttestation]
    meta: dict[str, Any]
    schema: str

    def line_origin(self, path: str, line: int, commit: str) -> LineOrigin | None:
        """The origin of ``line`` (1-based, in the commit's version of ``path``); None when no range
        covers it: git-ai calls such lines untracked (no data), so the next source decides."""
        attest = self.files.get(path)
        key = attest.key_at(line) if attest else None
        if key is None:
            return None
        return self._keyed(key, commit)

    def _keyed(self, key: str, commit: str) -> LineOrigin:
        session = SESSION_KEY.match(key)
        if session:
            agent = (self.meta.get("sessions") or {}).get(session.group(1), {}).get("agent_id") or {}
            return _ai(agent, commit, f"git-ai note on {commit[:8]}: session {session.group(1)}")
        if HUMAN_KEY.match(key):
            return LineOrigin("human", None, None, "git-ai", "line", commit, "high",
                              f"git-ai note on {commit[:8]}: typed by a person ({key})")
        agent = (self.meta.get("prompts") or {}).get(key, {}).get("agent_id") or {}
        return _ai(agent, commit, f"git-ai note on {commit[:8]}: prompt {key}")


@dataclass
class NoteSet:
    """The notes of one commit from several notes refs (`refs/notes/ai`, then each
    `refs/notes/ai-remote/*`), asked in that order: the first note covering a line decides."""

    notes: list[LineNote]

    def line_origin(self, path: str, line: int, commit: str) -> LineOrigin | None:
        for note in self.notes:
            rec = note.line_origin(path, line, commit)
            if rec is not None:
                return rec
        return None


def _ai(agent: dict[str, Any], commit: str, detail: str) -> LineOrigin:
    tool = normalize_tool(agent.get("tool")) if isinstance(agent, dict) else None
    model = agent.get("model") if isinstance(agent, dict) else None
    return LineOrigin("ai", tool, model or None, "git-ai", "line", commit, "high", detail)


def parse_note(text: str) -> AuthorshipNote | None:
    """Parse one note; None when it is not a git-ai authorship note."""
    lines = text.split("\n")
    try:
        sep = lines.index("---")
    except ValueError:
        return None
    try:
        meta = json.loads("\n".join(lines[sep + 1:]) or "{}")
    except json.JSONDecodeError:
        return None
    if not isinstance(meta, dict):
        return None
    schema = str(meta.get("schema_version", ""))
    if not schema.startswith("authorship/"):
        return None
    return AuthorshipNote(files=_parse_attestation(lines[:sep]), meta=meta, schema=schema)


def _parse_attestation(lines: list[str]) -> dict[str, FileAttestation]:
    files: dict[str, FileAttestation] = {}
    current: FileAttestation | None = None
    for raw in lines:
        if not raw.strip():
            continue
        if not raw[0].isspace():
            current = files.setdefault(_unquote(raw.rstrip()), FileAttestation())
            continue
        parts = raw.split()
        if current is None or len(parts) != 2:
            continue
        key, spec = parts
        if not (SESSION_KEY.match(key) or HUMAN_KEY.match(key) or LEGACY_KEY.match(key)):
            continue
        for start, end in _parse_ranges(spec):
            current.ranges.append((start, end, key))
    for attest in files.values():
        attest.ranges.sort()
        attest.starts = [r[0] for r in attest.ranges]
    return files


def _parse_ranges(spec: str) -> list[tuple[int, int]]:
    out = []
    for item in spec.split(","):
        m = RANGE_ITEM.match(item.strip())
        if m:
            start = int(m.group(1))
            out.append((start, int(m.group(2) or start)))
    return out


def _unquote(path: str) -> str:
    if len(path) >= 2 and path[0] == path[-1] == '"':
        inner = path[1:-1]
        try:
            unquoted: str = json.loads(f'"{inner}"')   # a JSON string literal decodes to a str
            return unquoted
        except json.JSONDecodeError:
            return inner
    return path
