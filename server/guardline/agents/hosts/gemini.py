"""Gemini CLI: `AfterTool` for `write_file` / `replace` (`BeforeTool` snapshots), `AfterAgent`
(turn-end gate: `decision: "deny"` + `reason`). Feedback: `hookSpecificOutput.additionalContext`,
appended to the tool result. stdout must hold only JSON, so a clean run prints `{}`."""

from __future__ import annotations

from typing import Any

from guardline.agents.events import (EDIT, IGNORE, PRE_EDIT, SESSION_START, STOP, FileEdit, HookEvent, as_dict,
                                     first_text, text)
from guardline.agents.hosts.base import HookOutput, event_of, feedback, json_output, payload_event

NAME = "gemini"
TOOL = "gemini-cli"
LIMIT = 9000
EDIT_TOOLS = {"write_file", "replace", "WriteFile", "Edit", "edit"}
CLEAN = json_output({})
EVENTS = {"AfterTool": EDIT, "BeforeTool": PRE_EDIT, "AfterAgent": STOP, "SessionStart": SESSION_START}


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    name = event_of(payload, event_name, "hook_event_name")
    tool = text(payload.get("tool_name"))
    kind = EVENTS.get(name, IGNORE)
    if kind in (EDIT, PRE_EDIT) and tool not in EDIT_TOOLS:
        kind = IGNORE
    event = payload_event(NAME, kind, name, payload, tool, tool_use=(), model=False)
    if kind in (EDIT, PRE_EDIT):
        edit = _file_edit(tool, as_dict(payload.get("tool_input")))
        event.files = [edit] if edit else []
    return event


def _file_edit(tool: str | None, data: dict[str, Any]) -> FileEdit | None:
    path = first_text(data, "file_path", "absolute_path", "path")
    if not path:
        return None
    edit = FileEdit(path)
    if tool in ("write_file", "WriteFile") and isinstance(data.get("content"), str):
        edit.after = data["content"]
    elif isinstance(data.get("new_string"), str):
        edit.replacements = [(text(data.get("old_string")) or "", data["new_string"], data.get("allow_multiple") is True)]
    return edit


def render(event: HookEvent, message: str | None) -> HookOutput:
    return feedback(event, message, clean=CLEAN, context_event="AfterTool", stop_decision="deny")
