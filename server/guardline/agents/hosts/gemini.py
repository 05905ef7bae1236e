"""Gemini CLI: `AfterTool` for `write_file` / `replace` (`BeforeTool` snapshots), `AfterAgent`
(turn-end gate: `decision: "deny"` + `reason`). Feedback: `hookSpecificOutput.additionalContext`,
appended to the tool result. stdout must hold only JSON, so a clean run prints `{}`."""

from __future__ import annotations

from typing import Any

from guardline.agents.events import (EDIT, IGNORE, PRE_EDIT, SESSION_START, STOP, FileEdit, HookEvent, as_dict,
                                     first_text, text)
from guardline.agents.hosts.base import HookOutput, event_of, json_output

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
    event = HookEvent(NAME, kind, name, cwd=text(payload.get("cwd")), session_id=text(payload.get("session_id")),
                      tool_name=tool, transcript_path=text(payload.get("transcript_path")),
                      stop_hook_active=payload.get("stop_hook_active") is True)
    if kind in (EDIT, PRE_EDIT):
        data = as_dict(payload.get("tool_input"))
        path = first_text(data, "file_path", "absolute_path", "path")
        if path:
            edit = FileEdit(path)
            if tool in ("write_file", "WriteFile") and isinstance(data.get("content"), str):
                edit.after = data["content"]
            elif isinstance(data.get("new_string"), str):
                edit.replacements = [(text(data.get("old_string")) or "", data["new_string"],
                                      data.get("allow_multiple") is True)]
            event.files = [edit]
    return event


def render(event: HookEvent, message: str | None) -> HookOutput:
    if not message:
        return CLEAN
    if event.kind == STOP:
        return json_output({"decision": "deny", "reason": message})
    return json_output({"hookSpecificOutput": {"hookEventName": "AfterTool", "additionalContext": message}})
