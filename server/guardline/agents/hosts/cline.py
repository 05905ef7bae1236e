"""Cline: an executable `.clinerules/hooks/PostToolUse` (and `PreToolUse`) file gets
`{hookName, clineVersion, taskId, workspaceRoots, model{provider,slug}, postToolUse{toolName,
parameters, result, success}}`. Tools: `write_to_file` (`path`, `content`), `replace_in_file`
(`path`, `diff` of SEARCH/REPLACE blocks). Output (always printed): `{"cancel": false,
"contextModification": ...}`, added to the next API request."""

from __future__ import annotations

import re
from typing import Any

from guardline.agents.events import (EDIT, IGNORE, PRE_EDIT, FileEdit, HookEvent, as_dict, collect_paths, text)
from guardline.agents.hosts.base import HookOutput, event_of, json_output
from guardline.agents.hosts.copilot import tool_files

NAME = "cline"
TOOL = "cline"
LIMIT = 9000
CLEAN = json_output({"cancel": False})
EDIT_TOOLS = {"write_to_file", "replace_in_file", "apply_patch", "editor", "edit", "write", "new_rule"}
SEARCH_REPLACE = re.compile(r"^<{3,} SEARCH\r?\n(.*?)^={3,}\r?\n(.*?)^>{3,} REPLACE", re.MULTILINE | re.DOTALL)


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    name = event_of(payload, event_name, "hookName")
    section = as_dict(payload.get("postToolUse") or payload.get("preToolUse"))
    tool = text(section.get("toolName"))
    kind = {"PostToolUse": EDIT, "PreToolUse": PRE_EDIT}.get(name, IGNORE) if tool in EDIT_TOOLS else IGNORE
    roots = payload.get("workspaceRoots")
    model = as_dict(payload.get("model"))
    slug = text(model.get("slug"))
    event = HookEvent(NAME, kind, name, cwd=roots[0] if isinstance(roots, list) and roots and
                      isinstance(roots[0], str) else None, session_id=text(payload.get("taskId")),
                      tool_name=tool, tool_version=text(payload.get("clineVersion")),
                      model=(f"{model['provider']}/{slug}" if slug and isinstance(model.get("provider"), str)
                             and "/" not in slug else slug))
    if kind != IGNORE:
        params = as_dict(section.get("parameters"))
        event.files = tool_files(params)
        if len(event.files) == 1 and isinstance(params.get("diff"), str):
            event.files[0].replacements = [(m.group(1), m.group(2), False)
                                           for m in SEARCH_REPLACE.finditer(params["diff"])]
        if not event.files:
            event.files = [FileEdit(p) for p in collect_paths(params)]
    return event


def render(event: HookEvent, message: str | None) -> HookOutput:
    if not message:
        return CLEAN
    return json_output({"cancel": False, "contextModification": message})
