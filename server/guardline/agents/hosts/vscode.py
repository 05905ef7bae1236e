"""VS Code agent mode (Copilot Chat): `PostToolUse` with `sessionId`, `hookEventName`, `tool_name`
(`create_file`, `replace_string_in_file`, `insert_edit_into_file`, `apply_patch`, `editFiles`, ...),
`tool_input`, `tool_use_id`, `transcript_path`; `PreToolUse` snapshots; `Stop`. Feedback:
`hookSpecificOutput.additionalContext`. No model in the payload."""

from __future__ import annotations

from typing import Any

from guardline.agents.events import EDIT, IGNORE, PRE_EDIT, SESSION_START, STOP, HookEvent, first_text
from guardline.agents.hosts.base import HookOutput, event_of, feedback, payload_event
from guardline.agents.hosts.copilot import tool_files

NAME = "vscode"
TOOL = "github-copilot"
LIMIT = 9000
CLEAN = HookOutput()
EDIT_TOOLS = {"create_file", "replace_string_in_file", "multi_replace_string_in_file", "insert_edit_into_file",
              "apply_patch", "editFiles", "edit_file", "edit_notebook_file", "create_new_file", "delete_file",
              "rename_file"}
EVENTS = {"PostToolUse": EDIT, "PreToolUse": PRE_EDIT, "Stop": STOP, "SessionStart": SESSION_START}


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    name = event_of(payload, event_name, "hookEventName", "hook_event_name")
    tool = first_text(payload, "tool_name", "toolName")
    kind = EVENTS.get(name, IGNORE)
    if kind in (EDIT, PRE_EDIT) and tool not in EDIT_TOOLS:
        kind = IGNORE
    event = payload_event(NAME, kind, name, payload, tool, session=("sessionId", "session_id"),
                          tool_use=("tool_use_id", "toolUseId"), transcript=("transcript_path", "transcriptPath"),
                          model=False)
    if kind in (EDIT, PRE_EDIT):
        event.files = tool_files(payload.get("tool_input"))
    return event


def render(event: HookEvent, message: str | None) -> HookOutput:
    return feedback(event, message, clean=CLEAN, context_event="PostToolUse")
