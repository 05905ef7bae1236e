"""Which model wrote an edit, when the edit's payload does not say: Claude Code sends the model only
at `SessionStart` (kept per session), else the last `message.model` of the session transcript
(JSONL, read from its end; the transcript is the host's own file, only read)."""

from __future__ import annotations

import json
import os

from guardline.agents.events import HookEvent
from guardline.agents.state import AgentState

TAIL_BYTES = 512 * 1024


def remember(state: AgentState, event: HookEvent) -> None:
    if not event.model or not event.session_id:
        return
    with state.lock():
        data = state.session(event.host, event.session_id)
        data["model"] = event.model
        state.save_session(event.host, event.session_id, data)


def lookup(state: AgentState, event: HookEvent) -> str | None:
    model = state.session(event.host, event.session_id).get("model")
    if isinstance(model, str) and model:
        return model
    return transcript_model(event.transcript_path)


def transcript_model(path: str | None) -> str | None:
    if not path or not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.path.getsize(path) - TAIL_BYTES))
            tail = fh.read().decode("utf-8", "replace")
    except OSError:
        return None
    for line in reversed(tail.splitlines()):
        model = _entry_model(line) if '"model"' in line else None
        if model:
            return model
    return None


def _entry_model(line: str) -> str | None:
    """The model of one transcript line (``message.model`` or ``model``); not placeholders like ``<synthetic>``."""
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    message = entry.get("message")
    model = (message.get("model") if isinstance(message, dict) else None) or entry.get("model")
    return model if isinstance(model, str) and model and not model.startswith("<") else None
