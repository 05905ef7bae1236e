"""The host-neutral shape of one agent hook invocation, and small helpers the host parsers share.

Every host module turns its payload into a ``HookEvent``: which host, which kind of event (an edit,
a snapshot before an edit, the end of a turn, the start of a session), the identifiers the host gives
(session, turn, tool use, model, transcript) and the edited files. A ``FileEdit`` carries what the
payload says about one file: its path, and optionally the text before the edit, the text after it,
string replacements that can be undone to recover the text before, or the added lines directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from guardline.agents.patches import parse_apply_patch, patch_paths

EDIT, PRE_EDIT, STOP, SESSION_START, IGNORE = "edit", "pre-edit", "stop", "session-start", "ignore"


@dataclass
class FileEdit:
    path: str                                   # as the payload gives it (absolute or relative)
    before: str | None = None                   # text before the edit, when the payload carries it
    after: str | None = None                    # text after the edit (else read from disk)
    replacements: list[tuple[str, str, bool]] = field(default_factory=list)   # (old, new, replace_all)
    added_lines: list[int] | None = None        # 1-based lines the edit wrote, when the payload says
    deleted: bool = False
    patch_hunks: list[tuple[list[str], list[str]]] = field(default_factory=list)  # (old lines, new lines)


@dataclass
class HookEvent:
    host: str                                   # claude | cursor | codex | gemini | copilot | vscode | ...
    kind: str                                   # EDIT | PRE_EDIT | STOP | SESSION_START | IGNORE
    event_name: str = ""
    cwd: str | None = None
    session_id: str | None = None
    turn_id: str | None = None
    tool_use_id: str | None = None
    tool_name: str | None = None
    model: str | None = None
    tool_version: str | None = None
    transcript_path: str | None = None
    stop_hook_active: bool = False
    files: list[FileEdit] = field(default_factory=list)
    feedback: bool = True                       # False: the host reads no output (record only)

    def dedupe_key(self) -> str | None:
        """Identifies one tool call, so that the same call seen by two hook files reports once."""
        if not self.tool_use_id:
            return None
        return f"{self.session_id or ''}/{self.tool_use_id}"


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def first_text(mapping: Any, *keys: str) -> str | None:
    """The first string value among ``keys`` of a dict (payload keys vary between versions)."""
    if not isinstance(mapping, dict):
        return None
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


PATH_KEYS = ("file_path", "filePath", "filepath", "path", "fsPath", "fspath", "target_file", "uri")
PATH_LIST_KEYS = ("files", "file_paths", "filepaths", "filePaths", "paths")


def collect_paths(value: Any, limit: int = 200) -> list[str]:
    """Every file path named in a tool input of unknown shape (Copilot, VS Code, Cline): the usual
    keys, lists of paths, `file://` URIs and apply_patch headers. Walks iteratively."""
    found: list[str] = []
    stack = [value]
    while stack and len(found) < limit:
        item = stack.pop()
        if isinstance(item, dict):
            found += _paths_in(item)
            stack += [v for k, v in item.items() if isinstance(v, (dict, list)) and k not in PATH_LIST_KEYS]
            stack += [v for v in item.values() if isinstance(v, str) and "*** " in v]
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            found += patch_paths(item)
    out: list[str] = []
    for path in (p.removeprefix("file://") for p in found):
        if path and path not in out:
            out.append(path)
    return out


def _paths_in(item: dict[str, Any]) -> list[str]:
    found = [item[key] for key in PATH_KEYS if isinstance(item.get(key), str)]
    for key in PATH_LIST_KEYS:
        if isinstance(item.get(key), list):
            found += [v for v in item[key] if isinstance(v, str)]
    return found


def normalize_model(model: str | None) -> str | None:
    """models.dev `provider/model` form (Agent Trace `model_id`): known prefixes get their provider."""
    if not model or not isinstance(model, str) or model.lower() in ("unknown", "default", "auto"):
        return None
    model = model.strip()[:250]
    if "/" in model:
        return model
    low = model.lower()
    for prefixes, provider in ((("claude",), "anthropic"), (("gpt-", "o1", "o3", "o4", "codex"), "openai"),
                               (("gemini",), "google"), (("grok",), "xai"), (("composer",), "cursor")):
        if low.startswith(prefixes):
            return f"{provider}/{model}"
    return model


def absolute(path: str, base: str | None) -> str:
    if os.path.isabs(path):
        return os.path.normpath(path)
    return os.path.normpath(os.path.join(base or os.getcwd(), path))


def patch_edits(text: str) -> list[FileEdit]:
    """The FileEdits of an apply_patch envelope (agents/patches.py parses it): an added file was empty
    before, a deleted one is gone."""
    return [FileEdit(f.move_to or f.path, patch_hunks=f.hunks, before="" if f.op == "Add" else None,
                     deleted=f.op == "Delete") for f in parse_apply_patch(text)]
