"""Claude Code: `PostToolUse` (Write, Edit, legacy MultiEdit), `SessionStart` (the only event with
the model), `Stop` (turn-end gate). Feedback: `hookSpecificOutput.additionalContext` (10,000 chars)."""

from __future__ import annotations

from typing import Any

from guardline.agents.events import (EDIT, IGNORE, PRE_EDIT, SESSION_START, STOP, FileEdit, HookEvent, as_dict,
                                     first_text, text)
from guardline.agents.hosts.base import HookOutput, event_of, feedback, payload_event
from guardline.agents.patches import structured_patch_lines

NAME = "claude"
TOOL = "claude-code"
LIMIT = 9000
EDIT_TOOLS = {"Write", "Edit", "MultiEdit", "NotebookEdit"}
CLEAN = HookOutput()


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    name = event_of(payload, event_name, "hook_event_name")
    tool = text(payload.get("tool_name"))
    event = payload_event(NAME, _kind(name, tool), name, payload, tool, turn=("prompt_id",))
    if event.kind in (EDIT, PRE_EDIT):
        edit = file_edit(tool or "", as_dict(payload.get("tool_input")), payload.get("tool_response"))
        event.files = [edit] if edit else []
    return event


def _kind(name: str, tool: str | None) -> str:
    if name == "SessionStart":
        return SESSION_START
    if name in ("Stop", "SubagentStop"):
        return STOP
    if tool in EDIT_TOOLS:
        return {"PostToolUse": EDIT, "PreToolUse": PRE_EDIT}.get(name, IGNORE)
    return IGNORE


def file_edit(tool: str, tool_input: dict[str, Any], response: Any) -> FileEdit | None:
    """One file's edit from the tool input and, when present, the tool's structured output
    (`originalFile`, `structuredPatch`; which versions send them is not documented)."""
    out = as_dict(response)
    path = first_text(tool_input, "file_path", "notebook_path") or first_text(out, "filePath")
    if not path:
        return None
    edit = FileEdit(path)
    if "originalFile" in out:
        original = out["originalFile"]
        edit.before = original if isinstance(original, str) else ("" if original is None else None)
    edit.added_lines = structured_patch_lines(out.get("structuredPatch"))
    if tool == "Write" and isinstance(tool_input.get("content"), str):
        edit.after = tool_input["content"]
    elif tool == "Edit":
        edit.replacements = _replacements([tool_input])
    elif tool == "MultiEdit":
        edit.replacements = _replacements(tool_input.get("edits") or [])
    return edit


def _replacements(items: list[Any]) -> list[tuple[str, str, bool]]:
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("new_string"), str):
            out.append((text(item.get("old_string")) or "", item["new_string"], item.get("replace_all") is True))
    return out


def render(event: HookEvent, message: str | None) -> HookOutput:
    return feedback(event, message, clean=CLEAN, context_event=event.event_name or "PostToolUse")
