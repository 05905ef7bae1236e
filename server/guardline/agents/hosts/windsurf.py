"""Windsurf Cascade: `post_write_code` (`trajectory_id`, `execution_id`, `model_name`,
`tool_info{file_path, edits[{old_string, new_string}]}`), `pre_write_code` snapshots. Post hooks have
no documented channel back to Cascade: guardline records and prints nothing (findings are available
through the MCP server)."""

from __future__ import annotations

from typing import Any

from guardline.agents.events import EDIT, IGNORE, PRE_EDIT, FileEdit, HookEvent, as_dict, first_text, text
from guardline.agents.hosts.base import HookOutput

NAME = "windsurf"
TOOL = "windsurf"
LIMIT = 0
CLEAN = HookOutput()


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    name = event_name or text(payload.get("agent_action_name")) or ""
    info = as_dict(payload.get("tool_info"))
    kind = {"post_write_code": EDIT, "pre_write_code": PRE_EDIT}.get(name, IGNORE)
    model = text(payload.get("model_name"))
    event = HookEvent(NAME, kind, name, cwd=text(info.get("cwd")), session_id=text(payload.get("trajectory_id")),
                      tool_use_id=first_text(payload, "execution_id") or text(info.get("execution_id")),
                      model=None if model in (None, "Unknown") else model,
                      transcript_path=text(info.get("transcript_path")), feedback=False)
    path = text(info.get("file_path"))
    if kind != IGNORE and path:
        edit = FileEdit(path)
        for item in info.get("edits") or []:
            if isinstance(item, dict) and isinstance(item.get("new_string"), str):
                edit.replacements.append((text(item.get("old_string")) or "", item["new_string"], False))
        event.files = [edit]
    return event


def render(event: HookEvent, message: str | None) -> HookOutput:
    return CLEAN
