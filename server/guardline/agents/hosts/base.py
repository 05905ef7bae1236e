"""What every host module provides, and the output shape they return.

A host module defines: ``NAME`` (the argument of `guardline hook`), ``TOOL`` (the Agent Trace
`tool.name`), ``LIMIT`` (characters of feedback the host accepts), ``parse(payload, argv)`` ->
HookEvent, ``render(event, text)`` -> HookOutput (``text`` is None when there is nothing to say) and
``CLEAN`` (the output on success with nothing to say, also used when guardline fails open).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from guardline.agents.events import HookEvent

from guardline.agents.events import STOP, HookEvent, first_text, text


@dataclass(frozen=True)
class HookOutput:
    stdout: str = ""
    exit_code: int = 0


class Host(Protocol):
    """The host module interface above (each module in agents/hosts/ satisfies it; mypy checks)."""

    NAME: str
    TOOL: str
    LIMIT: int
    CLEAN: HookOutput

    def parse(self, payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent: ...

    def render(self, event: HookEvent, message: str | None) -> HookOutput: ...


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


def payload_event(host: str, kind: str, name: str, payload: dict[str, Any], tool: str | None, *,
                  session: tuple[str, ...] = ("session_id",), turn: tuple[str, ...] = (),
                  tool_use: tuple[str, ...] = ("tool_use_id",), transcript: tuple[str, ...] = ("transcript_path",),
                  model: bool = True) -> HookEvent:
    """The fields every host sends under one of a few names; an empty tuple: the host never sends it."""
    return HookEvent(host, kind, name, cwd=text(payload.get("cwd")), session_id=_first(payload, session),
                     turn_id=_first(payload, turn), tool_use_id=_first(payload, tool_use), tool_name=tool,
                     model=text(payload.get("model")) if model else None,
                     transcript_path=_first(payload, transcript),
                     stop_hook_active=payload.get("stop_hook_active") is True)


def _first(payload: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return first_text(payload, *keys) if keys else None


def feedback(event: HookEvent, message: str | None, *, clean: HookOutput, context_event: str,
             stop_decision: str = "block", also: dict[str, Any] | None = None) -> HookOutput:
    """The host's answer: ``clean`` when there is nothing to say, the turn-end decision on a stop, else
    the findings as ``additionalContext`` of ``context_event`` (plus ``also``, first)."""
    if not message:
        return clean
    if event.kind == STOP:
        return json_output({"decision": stop_decision, "reason": message})
    context = {"hookSpecificOutput": {"hookEventName": context_event, "additionalContext": message}}
    return json_output({**(also or {}), **context})
