"""`guardline agents install|uninstall <host>`: write guardline's hooks and MCP server into a host's
configuration, or take them out again, without touching anything else in the file.

Per host, ``plan`` lists the files and what guardline owns in each: hook handlers (recognised by a
command running `guardline ... hook`), the `guardline` MCP server entry, a marked block in TOML /
YAML files, or a whole file guardline created (Cline hook scripts, `.github/hooks/guardline*.json`).
Installing twice changes nothing; uninstalling removes only those entries (and files left empty).
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import shlex
import stat
from dataclasses import dataclass
from typing import Any, Callable

SERVER = "guardline"
BLOCK_BEGIN = "# >>> guardline (managed by `guardline agents install`; remove with `guardline agents uninstall`)"
BLOCK_END = "# <<< guardline"
SCRIPT_MARK = "# guardline-hook"


class InstallError(Exception):
    """The file cannot be merged safely (not valid JSON, someone else's hook script): exit 2."""


@dataclass
class Change:
    path: str                                           # absolute
    install: Callable[[str | None], str | None]         # old text (None: no file) -> new text
    uninstall: Callable[[str | None], str | None]       # new text, or None to delete the file
    executable: bool = False


# ----------------------------------------------------------------------------- JSON helpers
def _load(text: str | None, path: str) -> dict[str, Any]:
    if text is None or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstallError(f"{path} is not plain JSON ({exc.msg} at line {exc.lineno}); "
                           f"add guardline by hand (see `guardline agents install --print`)") from exc
    if not isinstance(value, dict):
        raise InstallError(f"{path}: expected a JSON object")
    return value


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _ours(entry: Any) -> bool:
    """A hook handler guardline installed: its command runs `<...guardline...> hook`."""
    if not isinstance(entry, dict):
        return False
    for key in ("command", "bash", "powershell"):
        value = entry.get(key)
        if isinstance(value, str) and "guardline" in value and " hook " in f"{value} ":
            return True
    return False


def _has_ours(groups: list[Any]) -> bool:
    return any(_ours(h) for g in groups if isinstance(g, dict) for h in g.get("hooks") or [])


def _add_grouped(events: dict[str, tuple[str | None, dict[str, Any]]], data: dict[str, Any]) -> None:
    hooks = data.setdefault("hooks", {})
    for event, (matcher, handler) in events.items():
        groups = hooks.setdefault(event, [])
        if not _has_ours(groups):
            groups.append({**({"matcher": matcher} if matcher is not None else {}), "hooks": [handler]})


def _drop_from_group(group: Any) -> Any:
    if isinstance(group, dict) and isinstance(group.get("hooks"), list):
        group["hooks"] = [h for h in group["hooks"] if not _ours(h)]
    return group


def _remove_grouped(data: dict[str, Any]) -> None:
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return
    for event in [e for e in hooks if isinstance(hooks[e], list)]:
        groups = [_drop_from_group(g) for g in hooks[event]]
        hooks[event] = [g for g in groups if not (isinstance(g, dict) and g.get("hooks") == [])]
        if not hooks[event]:
            del hooks[event]
    if not hooks:
        del data["hooks"]


# (add, remove): two edits of a parsed JSON settings file, in place
JsonEdits = tuple[Callable[[dict[str, Any]], None], Callable[[dict[str, Any]], None]]


def grouped_hooks(events: dict[str, tuple[str | None, dict[str, Any]]]) -> JsonEdits:
    """Claude Code / Codex / Gemini shape: hooks.<event> = [{matcher?, hooks: [handler]}]."""
    return functools.partial(_add_grouped, events), _remove_grouped


def _add_flat(events: dict[str, dict[str, Any]], top: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in top.items():
        data.setdefault(key, value)
    hooks = data.setdefault("hooks", {})
    for event, handler in events.items():
        entries = hooks.setdefault(event, [])
        if not any(_ours(e) for e in entries):
            entries.append(handler)


def _remove_flat(top: dict[str, Any], data: dict[str, Any]) -> None:
    hooks = data.get("hooks")
    if not isinstance(hooks, dict):
        return
    for event in [e for e in hooks if isinstance(hooks[e], list)]:
        hooks[event] = [e for e in hooks[event] if not _ours(e)]
        if not hooks[event]:
            del hooks[event]
    if hooks:
        return
    del data["hooks"]
    for key in [k for k, v in top.items() if data.get(k) == v]:
        del data[key]


def flat_hooks(events: dict[str, dict[str, Any]], top: dict[str, Any] | None = None) -> JsonEdits:
    """Cursor / Copilot / VS Code / Windsurf shape: hooks.<event> = [handler]."""
    return functools.partial(_add_flat, events, top or {}), functools.partial(_remove_flat, top or {})


def _add_server(section: str, entry: dict[str, Any], data: dict[str, Any]) -> None:
    data.setdefault(section, {}).setdefault(SERVER, entry)


def _remove_server(section: str, data: dict[str, Any]) -> None:
    servers = data.get(section)
    if isinstance(servers, dict) and SERVER in servers:
        del servers[SERVER]
        if not servers:
            del data[section]


def mcp_entry(section: str, entry: dict[str, Any]) -> JsonEdits:
    return functools.partial(_add_server, section, entry), functools.partial(_remove_server, section)


def json_change(path: str, *parts: JsonEdits) -> Change:
    def install(text: str | None) -> str | None:
        data = _load(text, path)
        before = copy.deepcopy(data)
        for add, _ in parts:
            add(data)
        return text if data == before and text is not None else _dump(data)

    def uninstall(text: str | None) -> str | None:
        if text is None:
            return None
        data = _load(text, path)
        before = copy.deepcopy(data)
        for _, remove in parts:
            remove(data)
        if data == before:
            return text
        return _dump(data) if data else None
    return Change(path, install, uninstall)


# ----------------------------------------------------------------------------- text helpers
def block_change(path: str, body: str, conflict: re.Pattern[str] | None = None) -> Change:
    """A marked block appended to a TOML / YAML file (those keep their comments and layout)."""
    block = f"{BLOCK_BEGIN}\n{body.rstrip()}\n{BLOCK_END}\n"

    def install(text: str | None) -> str | None:
        text = text or ""
        if BLOCK_BEGIN in text:
            return text
        if conflict is not None and conflict.search(text):
            raise InstallError(f"{path} already sets {conflict.pattern.strip('^')}: add this by hand:\n{body}")
        return text + ("\n" if text and not text.endswith("\n") else "") + block

    return Change(path, install, _remove_block)


def _remove_block(text: str | None) -> str | None:
    """``text`` without guardline's marked block; None when nothing else is left (the file goes)."""
    if text is None or BLOCK_BEGIN not in text:
        return text
    start = text.index(BLOCK_BEGIN)
    end = text.find(BLOCK_END, start)
    end = len(text) if end < 0 else end + len(BLOCK_END)
    rest = (text[:start] + text[end:].lstrip("\n")).rstrip("\n")
    return rest + "\n" if rest.strip() else None


def script_change(path: str, command: str) -> Change:
    body = f"#!/bin/sh\n{SCRIPT_MARK}: written by `guardline agents install cline`\nexec {command}\n"

    def install(text: str | None) -> str | None:
        if text is not None and SCRIPT_MARK not in text:
            raise InstallError(f"{path} exists and is not guardline's: add `{command}` to it by hand")
        return body if text != body else text

    def uninstall(text: str | None) -> str | None:
        return None if text is not None and SCRIPT_MARK in text else text
    return Change(path, install, uninstall, executable=True)


# ----------------------------------------------------------------------------- hosts
def plan(host: str, root: str, *, user: bool = False, stop_gate: bool = False, mcp: bool = True,
         command: str = "guardline") -> list[Change]:
    builder = PLANS.get(host)
    if builder is None:
        raise InstallError(f"unknown host '{host}' (one of: {', '.join(sorted(PLANS))})")
    base = os.path.expanduser("~") if user else os.path.abspath(root)
    exe = command if command == "guardline" else shlex.quote(command)
    return builder(base, user, stop_gate, mcp, exe)


def _claude(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    cmd = f"{exe} hook claude"
    events: dict[str, tuple[str | None, dict[str, Any]]] = {
        "PostToolUse": ("Write|Edit|MultiEdit", {"type": "command", "command": cmd, "timeout": 60}),
        "SessionStart": (None, {"type": "command", "command": cmd, "timeout": 10})}
    if stop:
        events["Stop"] = (None, {"type": "command", "command": cmd, "timeout": 120})
    changes = [json_change(os.path.join(base, ".claude", "settings.json"), grouped_hooks(events))]
    if mcp:
        mcp_file = os.path.join(base, ".claude.json") if user else os.path.join(base, ".mcp.json")
        changes.append(json_change(mcp_file, mcp_entry("mcpServers", _stdio(exe, typed=True))))
    return changes


def _cursor(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    cmd = f"{exe} hook cursor"
    events = {"afterFileEdit": {"command": cmd, "timeout": 30},
              "postToolUse": {"command": cmd, "matcher": "Write|StrReplace|ApplyPatch|Edit|MultiEdit", "timeout": 60}}
    if stop:
        events["stop"] = {"command": cmd, "loop_limit": 3}
    changes = [json_change(os.path.join(base, ".cursor", "hooks.json"), flat_hooks(events, {"version": 1}))]
    if mcp:
        changes.append(json_change(os.path.join(base, ".cursor", "mcp.json"),
                                   mcp_entry("mcpServers", _stdio(exe, typed=True))))
    return changes


def _codex(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    cmd = f"{exe} hook codex"
    events: dict[str, tuple[str | None, dict[str, Any]]] = {
        "PostToolUse": ("^apply_patch$", {"type": "command", "command": cmd, "timeout": 60,
                                          "statusMessage": "guardline: checking the edit"})}
    if stop:
        events["Stop"] = (None, {"type": "command", "command": cmd, "timeout": 120})
    changes = [json_change(os.path.join(base, ".codex", "hooks.json"), grouped_hooks(events))]
    if mcp:
        body = f'[mcp_servers.guardline]\ncommand = {json.dumps(_argv0(exe))}\nargs = ["mcp"]\n'
        changes.append(block_change(os.path.join(base, ".codex", "config.toml"), body,
                                    re.compile(r"^\[mcp_servers\.guardline\]", re.MULTILINE)))
    return changes


def _gemini(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    cmd = f"{exe} hook gemini"
    events: dict[str, tuple[str | None, dict[str, Any]]] = {
        "AfterTool": ("write_file|replace", {"name": "guardline", "type": "command", "command": cmd,
                                             "timeout": 60000})}
    if stop:
        events["AfterAgent"] = (None, {"name": "guardline-turn-end", "type": "command", "command": cmd,
                                       "timeout": 120000})
    parts = [grouped_hooks(events)]
    if mcp:
        parts.append(mcp_entry("mcpServers", _stdio(exe, typed=False)))
    return [json_change(os.path.join(base, ".gemini", "settings.json"), *parts)]


def _copilot(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    def entry(event: str, **extra: Any) -> dict[str, Any]:
        cmd = f"{exe} hook copilot --event {event}"
        return {"type": "command", "bash": cmd, "powershell": cmd, **extra}
    events = {"postToolUse": entry("postToolUse", matcher="edit|create|str_replace_editor|apply_patch|write",
                                   timeoutSec=60)}
    if stop:
        events["agentStop"] = entry("agentStop", timeoutSec=120)
    folder = os.path.join(base, ".copilot", "hooks") if user else os.path.join(base, ".github", "hooks")
    changes = [json_change(os.path.join(folder, "guardline.json"), flat_hooks(events, {"version": 1}))]
    if mcp:
        mcp_file = os.path.join(base, ".copilot", "mcp-config.json") if user else os.path.join(base, ".mcp.json")
        changes.append(json_change(mcp_file, mcp_entry("mcpServers", _stdio(exe, typed=True))))
    return changes


def _vscode(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    cmd = f"{exe} hook vscode"
    events = {"PreToolUse": {"type": "command", "command": cmd, "timeout": 30},
              "PostToolUse": {"type": "command", "command": cmd, "timeout": 60}}
    if stop:
        events["Stop"] = {"type": "command", "command": cmd, "timeout": 120}
    folder = os.path.join(base, ".copilot", "hooks") if user else os.path.join(base, ".github", "hooks")
    changes = [json_change(os.path.join(folder, "guardline-vscode.json"), flat_hooks(events))]
    if mcp and not user:
        changes.append(json_change(os.path.join(base, ".vscode", "mcp.json"),
                                   mcp_entry("servers", _stdio(exe, typed=True))))
    return changes


def _cline(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    folder = os.path.join(base, "Documents", "Cline", "Hooks") if user else os.path.join(base, ".clinerules", "hooks")
    return [script_change(os.path.join(folder, event), f"{exe} hook cline") for event in ("PreToolUse", "PostToolUse")]


def _aider(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    body = f'lint-cmd:\n  - "{exe} hook aider"\nauto-lint: true\n'
    return [block_change(os.path.join(base, ".aider.conf.yml"), body, re.compile(r"^lint-cmd\s*:", re.MULTILINE))]


def _windsurf(base: str, user: bool, stop: bool, mcp: bool, exe: str) -> list[Change]:
    cmd = f"{exe} hook windsurf"
    events = {"pre_write_code": {"command": cmd, "show_output": False},
              "post_write_code": {"command": cmd, "show_output": False}}
    folder = os.path.join(base, ".codeium", "windsurf") if user else os.path.join(base, ".windsurf")
    changes = [json_change(os.path.join(folder, "hooks.json"), flat_hooks(events))]
    if mcp and user:
        changes.append(json_change(os.path.join(base, ".codeium", "windsurf", "mcp_config.json"),
                                   mcp_entry("mcpServers", _stdio(exe, typed=False))))
    return changes


def _argv0(exe: str) -> str:
    return shlex.split(exe)[0] if exe != "guardline" else exe


def _stdio(exe: str, typed: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "stdio"} if typed else {}
    entry.update(command=_argv0(exe), args=["mcp"])
    return entry


PLANS: dict[str, Callable[[str, bool, bool, bool, str], list[Change]]] = {
    "claude": _claude, "cursor": _cursor, "codex": _codex, "gemini": _gemini, "copilot": _copilot,
    "vscode": _vscode, "cline": _cline, "aider": _aider, "windsurf": _windsurf}


# ----------------------------------------------------------------------------- apply
def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InstallError(f"cannot read {path}: {exc}") from exc


def apply(changes: list[Change], action: str, dry_run: bool = False) -> list[tuple[str, str, str | None]]:
    """(path, what happened, new text) per file; nothing is written when ``dry_run``. All files
    are computed first, so a file that cannot be merged leaves every file untouched."""
    results = []
    for change in changes:
        old = _read(change.path)
        new = change.install(old) if action == "install" else change.uninstall(old)
        what = "unchanged" if new == old else ("removed" if new is None else ("created" if old is None else "updated"))
        results.append((change, what, new))
    if not dry_run:
        for change, what, new in results:
            _write(change, what, new)
    return [(c.path, what, new) for c, what, new in results]


def _write(change: Change, what: str, new: str | None) -> None:
    if what == "unchanged":
        return
    if new is None:
        os.unlink(change.path)
        return
    os.makedirs(os.path.dirname(change.path), exist_ok=True)
    tmp = change.path + ".guardline-tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(new)
    if change.executable:
        os.chmod(tmp, os.stat(tmp).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, change.path)


NOTES = {"codex": "Codex runs project hooks only after you review and trust them (`/hooks` in Codex).",
         "cline": "Enable hooks in Cline's settings (Settings > Features > Enable Hooks).",
         "gemini": "Gemini asks to trust new project hooks on the next start.",
         "windsurf": "Windsurf shows no hook output to Cascade: edits are recorded; use `guardline mcp` for findings."}


def run(args: Any) -> int:
    changes = plan(args.host, args.root, user=args.user, stop_gate=args.stop_gate, mcp=not args.no_mcp,
                   command=args.exe)
    results = apply(changes, args.action, dry_run=args.print_only)
    for path, what, new in results:
        if args.print_only:
            print(f"# {path} ({what if what != 'unchanged' else 'no change'})")
            print(new if new is not None else "(file removed)")
        else:
            print(f"{what}: {path}")
    if args.action == "install" and not args.print_only and args.host in NOTES:
        print(NOTES[args.host])
    return 0
