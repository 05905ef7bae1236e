"""whogitit notes (`refs/notes/whogitit`): per-line attribution JSON attached to a commit. Pure parsing.

whogitit records, per commit, `files[].path` and `files[].lines[]` with a 1-based `line_number` (in the
commit's version of the file) and a `source`: `AI` (written by the agent), `AIModified` (written by the
agent, then edited by a person), `Human`, `Original` (there before the session) or `Unknown`. The source
may be a string (`"AIModified"`), an object with a `type` (`{"type": "AI", "edit_id": ...}`) or an
externally tagged object (`{"AIModified": {"similarity": 0.8}}`); names are matched without case,
`_` or `-`. Ranges (`start_line`/`end_line` with a `source`) are read too. The model is
`session.model.id` (or `session.model` as a string); the tool `session.tool`/`session.agent`, else
Claude Code (whogitit records Claude Code sessions). `Original`/`Unknown` lines are untracked: the next
source decides them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from guardline.origin.patterns import normalize_tool
from guardline.origin.records import LineOrigin

SOURCE_ORIGIN = {"ai": "ai", "aimodified": "ai-modified", "human": "human"}


@dataclass
class WhogititNote:
    lines: dict[str, dict[int, str]] = field(default_factory=dict)   # path -> line -> normalised source
    tool: str | None = None
    model: str | None = None

    def line_origin(self, path: str, line: int, commit: str) -> LineOrigin | None:
        source = self.lines.get(path, {}).get(line)
        origin = SOURCE_ORIGIN.get(source or "")
        if origin is None:
            return None
        ai = origin != "human"
        detail = f"whogitit note on {commit[:8]}: {source}" + \
            (" (written by the agent, then changed by a person)" if origin == "ai-modified" else "")
        return LineOrigin(origin, self.tool if ai else None, self.model if ai else None, "whogitit", "line",
                          commit, "high" if origin != "ai-modified" else "medium", detail)


def parse_whogitit(text: str) -> WhogititNote | None:
    """A whogitit note, or None when ``text`` is not one (no `files` with per-line sources)."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None
    note = WhogititNote()
    for entry in data["files"]:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            _add_file(note, entry)
    if not any(note.lines.values()):
        return None
    note.model, note.tool = _session(data.get("session"))
    return note


def _add_file(note: WhogititNote, entry: dict[str, Any]) -> None:
    per_line = note.lines.setdefault(entry["path"].removeprefix("./"), {})
    for item in entry.get("lines") or entry.get("ranges") or ():
        if not isinstance(item, dict):
            continue
        source = _source(item.get("source", item.get("state")))
        if source is None:
            continue
        start = item.get("line_number", item.get("line", item.get("start_line")))
        end = item.get("end_line", start)
        if isinstance(start, int) and isinstance(end, int) and 0 < start <= end:
            for number in range(start, min(end, start + 100_000) + 1):
                per_line[number] = source


def _source(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("type") or (next(iter(value)) if len(value) == 1 else None)
    if not isinstance(value, str):
        return None
    return re.sub(r"[\s_-]", "", value).lower()


def _session(session: Any) -> tuple[str | None, str | None]:
    """(model, tool) of the session."""
    if not isinstance(session, dict):
        return None, "claude-code"
    model = session.get("model")
    if isinstance(model, dict):
        model = model.get("id") or model.get("name")
    tool = session.get("tool") or session.get("agent")
    if isinstance(tool, dict):
        tool = tool.get("name")
    return (model if isinstance(model, str) else None,
            normalize_tool(tool) if isinstance(tool, str) else "claude-code")
