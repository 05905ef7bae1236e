"""`guardline hook <host>`: one agent hook invocation, from payload to the host's output.

1. Parse the payload with the host module the payload belongs to (hosts.detect).
2. Work out each edited file's text before and after the edit and the lines the edit wrote
   (edits.resolve: from the payload, else a snapshot guardline kept, else HEAD).
3. Record the written lines as an Agent Trace record (unless this exact file state was recorded
   already, e.g. by a second hook file running for the same edit).
4. Compute the net-new findings with the AI limits and return them through the host's channel.

Fails open: any error is logged to `.guardline/hook.log` and the host gets its clean output.
Never touches the network; git only through the hardened runner.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any

from guardline.agents import edits, gate, models, vcs
from guardline.agents.events import EDIT, PRE_EDIT, SESSION_START, STOP, HookEvent, absolute, normalize_model
from guardline.agents.feedback import render_findings
from guardline.agents.hosts import HOSTS, detect, host_named
from guardline.agents.hosts.base import HookOutput, Host
from guardline.agents.netnew import CloneSource, NewFinding, check_edit
from guardline.agents.state import AgentState
from guardline.agents.trace import WrittenFile, append_record, build_record
from guardline.config import Config, ConfigError, load_config

LOG_FILE = os.path.join(".guardline", "hook.log")
MAX_PAYLOAD = 64 * 1024 * 1024


@dataclass
class HookOptions:
    host: str
    files: list[str] = field(default_factory=list)      # aider: the edited file(s)
    event: str | None = None                             # when the payload does not name its event
    model: str | None = None                             # when the host does not send it (aider)
    cwd: str | None = None
    stop_rounds: int = gate.DEFAULT_ROUNDS               # turn-end gate: blocks in a row at most


def run_hook(options: HookOptions, stdin: bytes) -> HookOutput:
    """Never raises: on failure the host gets its clean output and the error goes to hook.log."""
    named = host_named(options.host)
    if named is None:
        raise ValueError(f"unknown host '{options.host}' (one of: {', '.join(sorted(HOSTS))})")
    root = options.cwd or os.getcwd()
    module = named
    try:
        payload = parse_payload(stdin) if named.NAME != "aider" else {}
        module = HOSTS[detect(payload, named.NAME)]
        event = module.parse(payload, options.files, options.event)
        root = workspace_root(event, options)
        return _handle(module, event, root, options)
    except Exception as exc:     # fail open: a broken guardline must never block the agent
        log_failure(root, options.host, exc)
        return module.CLEAN


def parse_payload(stdin: bytes) -> dict[str, Any]:
    if len(stdin) > MAX_PAYLOAD:
        raise ValueError("hook payload larger than 64 MiB")
    text = stdin.decode("utf-8", "replace").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = json.loads(_escape_controls(text))    # Windsurf sends raw control characters in strings
    if not isinstance(value, dict):
        raise ValueError("hook payload is not a JSON object")
    return value


def _escape_controls(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 and c not in "\n\r\t" else c for c in text) \
        .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def workspace_root(event: HookEvent, options: HookOptions) -> str:
    """The repository holding the edited files (else the payload's cwd, else the process's)."""
    base = event.cwd or options.cwd or os.getcwd()
    probe = base
    if event.files:
        first = absolute(event.files[0].path, base)
        probe = os.path.dirname(first)
        while probe and not os.path.isdir(probe):
            probe = os.path.dirname(probe)
    repository = vcs.repo(probe or base)
    return repository.toplevel if repository is not None else os.path.realpath(base)


def _handle(module: Host, event: HookEvent, root: str, options: HookOptions) -> HookOutput:
    state = AgentState(root)
    if event.kind == SESSION_START:
        models.remember(state, event)
        return module.CLEAN
    if event.kind == PRE_EDIT:
        edits.snapshot(state, root, event)
        return module.CLEAN
    config = _config(root)
    if event.kind == STOP:
        message = gate.turn_end(state, root, event, config, module, options.stop_rounds)
        return module.render(event, message)
    if event.kind != EDIT:
        return module.CLEAN
    event.model = event.model or options.model
    message = handle_edit(module, event, root, state, config)
    if event.feedback and message and not state.first_answer(_answer_key(module, event)):
        return module.CLEAN        # the same tool call was answered by another hook file already
    return module.render(event, message)


def _answer_key(module: Host, event: HookEvent) -> str | None:
    key = event.dedupe_key()
    return f"{module.NAME}/{key}" if key else None


def _config(root: str) -> Config:
    try:
        return load_config(root)
    except ConfigError as exc:
        log_failure(root, "config", exc)
        return Config()


def handle_edit(module: Host, event: HookEvent, root: str, state: AgentState, config: Config) -> str | None:
    repository = vcs.repo(root)
    resolved = [r for r in (edits.resolve(state, root, repository, event, f, aider=module.NAME == "aider")
                            for f in event.files) if r is not None]
    if not resolved:
        return None
    model = normalize_model(event.model or models.lookup(state, event))
    record_edits(module, event, root, state, repository, resolved, model)
    tool = _tool_label(module)
    clones = CloneSource(root, config)
    found: list[NewFinding] = []
    for item in resolved:
        check = check_edit(root, item.rel, item.before, item.after, item.lines, config, tool, clones)
        found += check.new
    gate.note_session(state, module.NAME, event, resolved)
    if not event.feedback:
        return None
    return render_findings(found, module.LIMIT, root, plain=module.NAME == "aider")


def record_edits(module: Host, event: HookEvent, root: str, state: AgentState, repository: Any,
                 resolved: list[edits.Resolved], model: str | None) -> dict[str, Any] | None:
    """One Agent Trace record for the files of this event that were not recorded yet; the state of
    each file is saved under the same lock, so two hooks for one edit record it once."""
    with state.lock():
        fresh = [r for r in resolved if not edits.already_recorded(state, r)]
        written = [WrittenFile(r.rel, r.ranges, r.after) for r in fresh if r.ranges]
        record = None
        if written:
            record = build_record(tool=module.TOOL, tool_version=event.tool_version, revision=vcs.head(repository),
                                  files=written, model_id=model, session_id=event.session_id,
                                  transcript=event.transcript_path,
                                  metadata={"host": module.NAME, "event": event.event_name,
                                            "session_id": event.session_id, "turn_id": event.turn_id,
                                            "tool_use_id": event.tool_use_id, "tool_name": event.tool_name,
                                            "profile": "ai"})
            append_record(root, record)
        for item in fresh:
            state.save_file_state(item.rel, item.after, item.before, item.lines)
    return record


def _tool_label(module: Host) -> str:
    return module.TOOL


def log_failure(root: str, where: str, exc: BaseException) -> None:
    """Append one entry to `<root>/.guardline/hook.log` (or stderr when even that fails)."""
    stamp = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    entry = f"{stamp} {where}: {type(exc).__name__}: {exc}\n" + "".join(
        "    " + line for line in traceback.format_exception(exc)[-6:])
    try:
        path = os.path.join(root, LOG_FILE)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(entry)
    except OSError:
        sys.stderr.write(entry)
