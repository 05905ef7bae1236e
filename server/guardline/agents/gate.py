"""The optional turn-end gate (Claude Code / Codex / VS Code `Stop`, Copilot `agentStop`, Cursor
`stop`, Gemini `AfterAgent`): when the agent wants to end its turn, the files it changed in the turn
are checked against the text they had before its first edit of the turn; findings over the AI
limits that the turn introduced keep the agent working.

Loop-safe: a stop that is itself a continuation caused by this gate (`stop_hook_active`, Cursor
`loop_count > 0`) counts a round; after ``rounds`` blocks in a row (`guardline hook --stop-rounds`,
default 3) the gate lets the turn end. A turn that ends (clean or given up) starts the next one with no files.
"""

from __future__ import annotations

import os
from typing import Any

from guardline.agents.edits import read_text
from guardline.agents.events import HookEvent
from guardline.agents.feedback import render_findings
from guardline.agents.hosts.base import Host
from guardline.agents.netnew import CloneSource, NewFinding, check_edit
from guardline.agents.patches import changed_lines
from guardline.agents.state import AgentState
from guardline.config import Config

DEFAULT_ROUNDS = 3


def note_session(state: AgentState, host: str, event: HookEvent, resolved: list[Any]) -> None:
    """Remember each file's text before the turn's first edit of it (the gate's baseline)."""
    if not event.session_id:
        return
    with state.lock():
        data = state.session(host, event.session_id)
        files = data.setdefault("files", {})
        changed = False
        for item in resolved:
            if item.rel not in files:
                files[item.rel] = item.before if item.before is not None else ""
                changed = True
        if changed:
            state.save_session(host, event.session_id, data)


def turn_end(state: AgentState, root: str, event: HookEvent, config: Config, module: Host,
             limit: int = DEFAULT_ROUNDS) -> str | None:
    if not event.session_id:
        return None
    with state.lock():
        data = state.session(module.NAME, event.session_id)
    rounds = int(data.get("rounds", 0)) if event.stop_hook_active else 0
    found = remaining(root, data.get("files") or {}, config) if rounds < limit else []
    with state.lock():
        data = state.session(module.NAME, event.session_id)
        if found:
            data["rounds"] = rounds + 1
        else:
            data["rounds"], data["files"] = 0, {}
        state.save_session(module.NAME, event.session_id, data)
    if not found:
        return None
    header = (f"guardline: the files changed in this turn still have {len(found)} finding"
              f"{'s' if len(found) != 1 else ''} over the limits for AI-written code (round {rounds + 1} of "
              f"{limit}); fix them before finishing:")
    return render_findings(found, module.LIMIT, root, header=header)


def remaining(root: str, files: dict[str, str], config: Config) -> list[NewFinding]:
    clones = CloneSource(root, config)
    found: list[NewFinding] = []
    for rel, baseline in sorted(files.items()):
        after = read_text(os.path.join(root, rel))
        if after is None:
            continue
        found += check_edit(root, rel, baseline, after, changed_lines(baseline, after), config, None, clones).new
    return found
