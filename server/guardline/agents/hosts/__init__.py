"""One module per host: payload parser, feedback renderer, limits. ``HOSTS`` maps the argument of
`guardline hook <host>` to its module; ``detect`` trusts the payload over that argument, because
Cursor, VS Code and the Copilot CLI also run the hook files of Claude Code."""

from __future__ import annotations

from typing import Any

from guardline.agents.hosts import aider, claude, cline, codex, copilot, cursor, gemini, vscode, windsurf
from guardline.agents.hosts.base import Host

HOSTS: dict[str, Host] = {m.NAME: m for m in (claude, cursor, codex, gemini, copilot, vscode, cline, aider,
                                                    windsurf)}
ALIASES = {"claude-code": "claude", "gemini-cli": "gemini", "copilot-cli": "copilot", "github-copilot": "copilot",
           "vscode-copilot": "vscode"}
GEMINI_EVENTS = {"AfterTool", "BeforeTool", "AfterAgent", "BeforeAgent", "AfterModel", "BeforeModel"}


def host_named(name: str) -> Host | None:
    return HOSTS.get(ALIASES.get(name, name))


# Payload keys that only one host sends, first match wins (agents.md 12.1).
KEY_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cursor", ("cursor_version",)), ("cursor", ("conversation_id",)),
    ("windsurf", ("agent_action_name",)), ("windsurf", ("trajectory_id",)),
    ("cline", ("hookName", "clineVersion")),
    ("codex", ("turn_id", "model", "session_id")),
    ("copilot", ("toolName",)), ("copilot", ("toolArgs",)), ("copilot", ("tool_result",)),
    ("vscode", ("extensionId",)), ("vscode", ("sessionId", "hookEventName")),
)
TRANSCRIPT_RULES = (("cursor", "/.cursor/"), ("vscode", "github copilot"), ("vscode", "github.copilot"))


def detect(payload: dict[str, Any], named: str) -> str:
    """The host that actually sent ``payload``, else the one named on the command line."""
    named = ALIASES.get(named, named)
    if named == "aider":
        return named
    for host, keys in KEY_RULES:
        if all(key in payload for key in keys):
            return host
    transcript = str(payload.get("transcript_path") or payload.get("transcriptPath") or "").lower()
    for host, marker in TRANSCRIPT_RULES:
        if marker in transcript:
            return host
    if payload.get("hook_event_name") in GEMINI_EVENTS:
        return "gemini"
    return named if named in HOSTS else "claude"
