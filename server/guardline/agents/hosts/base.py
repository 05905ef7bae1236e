"""What every host module provides, and the output shape they return.

A host module defines: ``NAME`` (the argument of `guardline hook`), ``TOOL`` (the Agent Trace
`tool.name`), ``LIMIT`` (characters of feedback the host accepts), ``parse(payload, argv)`` ->
HookEvent, ``render(event, text)`` -> HookOutput (``text`` is None when there is nothing to say) and
``CLEAN`` (the output on success with nothing to say, also used when guardline fails open).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HookOutput:
    stdout: str = ""
    exit_code: int = 0


def json_output(value: dict[str, Any]) -> HookOutput:
    return HookOutput(json.dumps(value, ensure_ascii=False) + "\n", 0)


def event_of(payload: dict[str, Any], override: str | None, *keys: str) -> str:
    if override:
        return override
    for key in keys:
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return ""
