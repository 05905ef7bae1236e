"""OpenAI Codex CLI: `PostToolUse` for `apply_patch` (the patch envelope is in `tool_input.command`,
or `tool_input.patch`; Codex Desktop prefixes tool names with `functions.`), `Stop`. Every payload
carries `model`. Feedback: `decision: "block"` + `reason` (replaces the tool result, so the reason
says the patch was applied) and `hookSpecificOutput.additionalContext`."""

from __future__ import annotations

import json
import re
from typing import Any

from guardline.agents.events import EDIT, IGNORE, SESSION_START, STOP, FileEdit, HookEvent, as_dict, first_text, text
from guardline.agents.hosts.base import HookOutput, event_of, feedback, payload_event
from guardline.agents.events import patch_edits

NAME = "codex"
TOOL = "codex"
LIMIT = 9000
EDIT_TOOLS = {"apply_patch", "Edit", "Write"}
CLEAN = HookOutput()
RESPONSE_LINE = re.compile(r"^\s*([AMDRU])\s+(\S.*?)\s*$", re.MULTILINE)
APPLIED = "The patch was applied. "


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    name = event_of(payload, event_name, "hook_event_name")
    tool = (text(payload.get("tool_name")) or "").removeprefix("functions.")
    event = payload_event(NAME, IGNORE, name, payload, tool, session=("session_id", "thread_id"), turn=("turn_id",))
    if name == "PostToolUse" and tool in EDIT_TOOLS:
        event.kind = EDIT
        event.files = patch_files(payload.get("tool_input"), payload.get("tool_response"))
    elif name == "Stop":
        event.kind = STOP
    elif name == "SessionStart":
        event.kind = SESSION_START
    return event


def patch_files(tool_input: Any, response: Any) -> list[FileEdit]:
    patch = tool_input if isinstance(tool_input, str) else first_text(as_dict(tool_input), "command", "patch", "input")
    files = patch_edits(patch or "")
    if files:
        return files
    return [FileEdit(path) for path in response_paths(response)]    # no patch text: paths from the result


def response_paths(response: Any) -> list[str]:
    """`A|M|D|R|U <path>` lines of the apply_patch result (a string, JSON with `output`, or an object)."""
    if isinstance(response, str):
        try:
            decoded = json.loads(response)
            response = decoded if isinstance(decoded, dict) else response
        except ValueError:
            pass
    output = response if isinstance(response, str) else first_text(as_dict(response), "output", "stdout")
    return [m.group(2) for m in RESPONSE_LINE.finditer(output or "") if m.group(1) != "D"]


def render(event: HookEvent, message: str | None) -> HookOutput:
    return feedback(event, message, clean=CLEAN, context_event="PostToolUse",
                    also={"decision": "block", "reason": APPLIED + message} if message else None)
