"""Cursor: `afterFileEdit` / `afterTabFileEdit` (the edit's strings, no output read: record only),
`postToolUse` (feedback: `additional_context`), `stop` (`followup_message`, capped by `loop_limit`).
Cursor also runs Claude Code hook files (PascalCase events, Claude tool names): those payloads carry
`cursor_version`, come here, and get both the Cursor and the Claude-style output keys."""

from __future__ import annotations

import json
from typing import Any

from guardline.agents.events import (EDIT, IGNORE, PRE_EDIT, SESSION_START, STOP, FileEdit, HookEvent, as_dict,
                                     first_text, text)
from guardline.agents.hosts.base import HookOutput, event_of, json_output
from guardline.agents.events import patch_edits

NAME = "cursor"
TOOL = "cursor"
LIMIT = 9000
EDIT_TOOLS = {"Write", "Edit", "StrReplace", "ApplyPatch", "MultiEdit", "Delete", "MultiStrReplace"}
CLEAN = json_output({})


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    name = event_of(payload, event_name, "hook_event_name")
    key = name[:1].lower() + name[1:]
    tool = text(payload.get("tool_name"))
    roots = payload.get("workspace_roots")
    cwd = text(payload.get("cwd")) or (roots[0] if isinstance(roots, list) and roots and
                                        isinstance(roots[0], str) else None)
    event = HookEvent(NAME, IGNORE, name, cwd=cwd,
                      session_id=first_text(payload, "conversation_id", "session_id"),
                      turn_id=text(payload.get("generation_id")), tool_use_id=text(payload.get("tool_use_id")),
                      tool_name=tool, model=first_text(payload, "model_id", "model"),
                      tool_version=text(payload.get("cursor_version")),
                      transcript_path=text(payload.get("transcript_path")))
    if key in ("afterFileEdit", "afterTabFileEdit"):
        event.kind, event.feedback = EDIT, False
        event.files = [_string_edits(payload)] if text(payload.get("file_path")) else []
        if key == "afterTabFileEdit":
            event.files = [_tab_edit(payload)]
    elif key in ("postToolUse", "preToolUse") and tool in EDIT_TOOLS:
        event.kind = EDIT if key == "postToolUse" else PRE_EDIT
        event.files = tool_files(tool or "", payload.get("tool_input"))
    elif key == "stop":
        event.kind = STOP
        loops = payload.get("loop_count")
        event.stop_hook_active = isinstance(loops, int) and loops > 0
    elif key == "sessionStart":
        event.kind = SESSION_START
    return event


def _string_edits(payload: dict[str, Any]) -> FileEdit:
    edit = FileEdit(payload["file_path"])
    for item in payload.get("edits") or []:
        if isinstance(item, dict) and isinstance(item.get("new_string"), str):
            edit.replacements.append((text(item.get("old_string")) or "", item["new_string"], False))
    return edit


def _tab_edit(payload: dict[str, Any]) -> FileEdit:
    """Tab edits carry the exact range they wrote."""
    edit = FileEdit(str(payload.get("file_path") or ""))
    lines: list[int] = []
    for item in payload.get("edits") or []:
        rng = as_dict(as_dict(item).get("range"))
        start, end = rng.get("start_line_number"), rng.get("end_line_number")
        new = text(as_dict(item).get("new_string")) or ""
        if isinstance(start, int) and start >= 1:
            last = start + max(new.count("\n"), 0) if new else (end if isinstance(end, int) else start)
            lines.extend(range(start, max(start, last) + 1))
    edit.added_lines = lines or None
    return edit


def tool_files(tool: str, tool_input: Any) -> list[FileEdit]:
    """Write / StrReplace take a path (`file_path`, `path` or `filePath`); ApplyPatch a patch text."""
    if isinstance(tool_input, str):
        try:
            tool_input = json.loads(tool_input)
        except ValueError:
            tool_input = {"patch": tool_input}
    data = as_dict(tool_input)
    patch = first_text(data, "patch", "input", "command")
    if tool == "ApplyPatch" and patch and "*** " in patch:
        return patch_edits(patch)
    path = first_text(data, "file_path", "path", "filePath", "target_file")
    if not path:
        return []
    edit = FileEdit(path, deleted=tool == "Delete")
    old = first_text(data, "old_string", "old_str")
    new = first_text(data, "new_string", "new_str")
    if new is not None:
        edit.replacements = [(old or "", new, data.get("replace_all") is True)]
    return [edit]


def render(event: HookEvent, message: str | None) -> HookOutput:
    if not message or not event.feedback:
        return CLEAN
    claude_style = event.event_name[:1].isupper()
    if event.kind == STOP:
        out: dict[str, Any] = {"followup_message": message}
        if claude_style:
            out.update(decision="block", reason=message)
        return json_output(out)
    out = {"additional_context": message}
    if claude_style:
        out["hookSpecificOutput"] = {"hookEventName": event.event_name, "additionalContext": message}
    return json_output(out)
