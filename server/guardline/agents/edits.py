"""Each edited file's text before and after the edit, and the lines the edit wrote.

The text after is the file on disk (what the agent left). The text before, in order of preference:
the payload's own copy (Claude Code `originalFile`), a pre-edit snapshot taken by a pre-tool hook,
the payload's string replacements or patch hunks undone, the text the previous hook saw (kept in
`.guardline/agents/`), the file at HEAD, else empty (a new file). The written lines come from the
payload when it states them (Claude Code `structuredPatch`, Cursor Tab ranges), else from a line
diff of before and after.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from guardline.agents import vcs
from guardline.agents.events import FileEdit, HookEvent, absolute
from guardline.agents.patches import changed_lines, to_ranges, undo_patch, undo_replacements
from guardline.agents.state import AgentState, digest

SKIPPED_DIRS = (".git", ".guardline", ".agent-trace")
MAX_BYTES = 4_000_000


@dataclass
class Resolved:
    rel: str
    before: str | None
    after: str
    lines: list[int]
    reused: bool = False          # this exact file state was handled by an earlier hook run
    ranges: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ranges = to_ranges(self.lines)


def relative(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` with forward slashes; None outside it or in guardline's own dirs."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not (real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)):
        return None
    rel = os.path.relpath(real, real_root).replace(os.sep, "/")
    if rel == "." or rel.split("/")[0] in SKIPPED_DIRS:
        return None
    return rel


def read_text(path: str) -> str | None:
    try:
        if os.path.getsize(path) > MAX_BYTES:
            return None
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    if b"\0" in raw[:8192]:
        return None      # binary
    return raw.decode("utf-8", "surrogateescape")


def resolve(state: AgentState, root: str, repository: Any, event: HookEvent, edit: FileEdit,
            aider: bool = False) -> Resolved | None:
    path = absolute(edit.path, event.cwd or root)
    rel = relative(path, root)
    if rel is None or edit.deleted:
        return None
    after = read_text(path) if os.path.isfile(path) else edit.after
    if after is None:
        return None
    prior = state.file_state(rel)
    if prior and prior.get("hash") == digest(after) and not prior.get("pre_edit") and \
            isinstance(prior.get("lines"), list):
        return Resolved(rel, prior.get("before"), after, list(prior["lines"]), reused=True)
    before = _before(edit, after, prior, repository, rel, aider)
    lines = _valid_lines(edit.added_lines, after)      # positions in the text after the edit
    if lines is None:
        lines = changed_lines(before, after)
    return Resolved(rel, before, after, lines)


def _before(edit: FileEdit, after: str, prior: dict[str, Any] | None, repository: Any, rel: str,
            aider: bool) -> str:
    if edit.before is not None:
        return edit.before
    if aider:
        return _aider_before(after, prior, repository, rel)
    prior_text = _prior_text(prior)
    if prior and prior.get("pre_edit") and prior_text is not None:
        return prior_text
    undone = None
    if edit.replacements:
        undone = undo_replacements(after, edit.replacements)
    elif edit.patch_hunks:
        undone = undo_patch(after, edit.patch_hunks)
    if undone is not None:
        return undone
    if prior_text is not None:
        return prior_text
    return vcs.blob(repository, "HEAD", rel) or ""


def _aider_before(after: str, prior: dict[str, Any] | None, repository: Any, rel: str) -> str:
    """Aider has usually committed the edit before it lints: then the edit is HEAD's change."""
    at_head = vcs.blob(repository, "HEAD", rel)
    if at_head is not None and at_head == after:
        return vcs.blob(repository, "HEAD^", rel) or ""
    prior_text = _prior_text(prior)
    if prior_text is not None:
        return prior_text
    return at_head or ""


def _prior_text(prior: dict[str, Any] | None) -> str | None:
    """The file's text an earlier hook call recorded, when it recorded one."""
    text = prior.get("text") if prior else None
    return text if isinstance(text, str) else None


def _valid_lines(lines: list[int] | None, after: str) -> list[int] | None:
    if lines is None:
        return None
    count = after.count("\n") + (0 if after.endswith("\n") else 1)
    return lines if all(1 <= n <= count for n in lines) else None


def already_recorded(state: AgentState, item: Resolved) -> bool:
    """Under the state lock: was this exact file state recorded by another run meanwhile?"""
    if item.reused:
        return True
    prior = state.file_state(item.rel)
    return bool(prior and prior.get("hash") == digest(item.after) and not prior.get("pre_edit"))


def snapshot(state: AgentState, root: str, event: HookEvent) -> None:
    """Pre-edit event: keep each file's current text as the next edit's "before"."""
    for edit in event.files:
        path = absolute(edit.path, event.cwd or root)
        rel = relative(path, root)
        if rel is None:
            continue
        text = read_text(path) if os.path.isfile(path) else ""
        if text is None:
            continue
        prior = state.file_state(rel)
        if prior and prior.get("hash") == digest(text):
            continue      # the last hook saw this text already
        with state.lock():
            state.save_file_state(rel, text, pre_edit=True)
