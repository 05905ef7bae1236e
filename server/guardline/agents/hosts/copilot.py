"""GitHub Copilot CLI and cloud agent: `postToolUse` (camelCase payload: `sessionId`, `toolName`,
`toolArgs`, `toolResult`; no event name in the payload, so the installed command passes
`--event`), `agentStop`; the PascalCase `PostToolUse` dialect carries snake_case fields. Feedback:
`additionalContext`, appended to the tool result (10 KB). The model is not in the payload."""

from __future__ import annotations

import json
from typing import Any

from guardline.agents.events import (EDIT, IGNORE, PRE_EDIT, SESSION_START, STOP, FileEdit, HookEvent, as_dict,
                                     collect_paths, first_text, text)
from guardline.agents.hosts.base import HookOutput, event_of, json_output
from guardline.agents.events import patch_edits

NAME = "copilot"
TOOL = "github-copilot"
LIMIT = 9000
EDIT_TOOLS = {"edit", "create", "str_replace_editor", "apply_patch", "write", "Edit", "Write",
              "str_replace", "insert"}
CLEAN = json_output({})
EVENTS = {"postToolUse": EDIT, "preToolUse": PRE_EDIT, "agentStop": STOP, "Stop": STOP,
          "sessionStart": SESSION_START, "SessionStart": SESSION_START, "PostToolUse": EDIT, "PreToolUse": PRE_EDIT}
OLD_KEYS = ("old_str", "old_string", "oldString")
NEW_KEYS = ("new_str", "new_string", "newString")
CONTENT_KEYS = ("file_text", "content", "text")


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    tool = first_text(payload, "toolName", "tool_name")
    default = ("postToolUse" if "toolResult" in payload or "tool_result" in payload else "preToolUse") if tool else ""
    name = event_of(payload, event_name, "hookEventName", "hook_event_name") or default
    kind = EVENTS.get(name, IGNORE)
    if kind in (EDIT, PRE_EDIT) and tool not in EDIT_TOOLS:
        kind = IGNORE
    event = HookEvent(NAME, kind, name, cwd=first_text(payload, "cwd", "workspace_folder"),
                      session_id=first_text(payload, "sessionId", "session_id", "chat_session_id"),
                      tool_use_id=first_text(payload, "toolUseId", "tool_use_id"), tool_name=tool,
                      transcript_path=first_text(payload, "transcript_path", "transcriptPath"),
                      stop_hook_active=payload.get("stop_hook_active") is True or payload.get("stopHookActive") is True)
    if kind in (EDIT, PRE_EDIT):
        args = payload.get("toolArgs", payload.get("tool_input"))
        event.files = tool_files(args)
    return event


def tool_files(args: Any) -> list[FileEdit]:
    """Files of a tool call whose argument keys are not documented: apply_patch text, else every
    path found, with old/new strings or the whole content when the arguments hold them."""
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            args = {"input": args}
    data = as_dict(args)
    patch = first_text(data, "input", "patch", "command")
    if patch and "*** " in patch:
        return patch_edits(patch)
    paths = collect_paths(data)
    edits = [FileEdit(path) for path in paths]
    if len(edits) == 1:
        new, content = first_text(data, *NEW_KEYS), first_text(data, *CONTENT_KEYS)
        if new is not None:
            edits[0].replacements = [(first_text(data, *OLD_KEYS) or "", new, False)]
        elif content is not None and data.get("command") in (None, "create"):
            edits[0].after = content
    return edits


def render(event: HookEvent, message: str | None) -> HookOutput:
    if not message:
        return CLEAN
    if event.kind == STOP:
        return json_output({"decision": "block", "reason": message})
    out: dict[str, Any] = {"additionalContext": message}
    if event.event_name[:1].isupper():      # the VS Code-compatible dialect
        out["hookSpecificOutput"] = {"hookEventName": event.event_name, "additionalContext": message}
    return json_output(out)
