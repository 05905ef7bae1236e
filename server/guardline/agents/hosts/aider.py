"""Aider: `--lint-cmd "guardline hook aider"` runs once per edited file with its path (relative
to the repository root) as the argument; aider has usually committed the edit already (auto-commits),
so the edit is HEAD's change of the file, else the working tree's change. Feedback: `path:line:
message` lines and exit 1 (aider then asks the model to fix them); clean: exit 0, no output."""

from __future__ import annotations

from typing import Any

from guardline.agents.events import EDIT, FileEdit, HookEvent
from guardline.agents.hosts.base import HookOutput

NAME = "aider"
TOOL = "aider"
LIMIT = 9000
CLEAN = HookOutput()
COMMITTED = "committed"       # FileEdit marker: compare with the commit before HEAD when HEAD holds the file


def parse(payload: dict[str, Any], argv: list[str], event_name: str | None = None) -> HookEvent:
    return HookEvent(NAME, EDIT, "lint", files=[FileEdit(path) for path in argv])


def render(event: HookEvent, message: str | None) -> HookOutput:
    if not message:
        return CLEAN
    return HookOutput(message.rstrip("\n") + "\n", 1)
