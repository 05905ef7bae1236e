"""What the hook keeps between invocations, under `<root>/.guardline/agents/`:

- ``files/<key>.json``: per edited file, the text the last hook saw (the pre-edit snapshot of the next
  edit), and for the last edit its text before and the lines it wrote (so a second hook run for the
  same edit, e.g. Cursor's afterFileEdit then postToolUse, reuses them and records nothing twice);
- ``sessions/<key>.json``: per agent session, its model (Claude Code sends it only at SessionStart),
  the text of each file before the session's first edit (the turn-end gate's baseline) and the
  number of turn-end blocks in a row;
- ``seen/<key>``: tool calls already answered (the same call run by two hook files reports once).

Writes are atomic (temporary file + rename); read-modify-write sections hold ``lock`` (a lock file).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from typing import Any, Iterator

from guardline.cache import state_dir

try:
    import fcntl
except ImportError:     # Windows: no advisory locks; appends stay single writes
    fcntl = None  # type: ignore[assignment]

STATE_DIR = os.path.join(".guardline", "agents")


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


class AgentState:
    def __init__(self, root: str) -> None:
        self.root = root
        self.dir = os.path.join(root, STATE_DIR)

    # --- locking ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        state_dir(self.root)        # .guardline/ with its .gitignore
        os.makedirs(self.dir, exist_ok=True)
        fd = os.open(os.path.join(self.dir, "lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    # --- files --------------------------------------------------------------------------------
    def file_state(self, rel: str) -> dict[str, Any] | None:
        return self._read(self._path("files", rel))

    def save_file_state(self, rel: str, text: str, before: str | None = None, lines: list[int] | None = None,
                        pre_edit: bool = False) -> None:
        self._write(self._path("files", rel), {"path": rel, "hash": digest(text), "text": text, "before": before,
                                               "lines": lines, "pre_edit": pre_edit})

    # --- sessions -----------------------------------------------------------------------------
    def session(self, host: str, session_id: str | None) -> dict[str, Any]:
        if not session_id:
            return {}
        return self._read(self._path("sessions", f"{host}:{session_id}")) or {}

    def save_session(self, host: str, session_id: str | None, data: dict[str, Any]) -> None:
        if session_id:
            self._write(self._path("sessions", f"{host}:{session_id}"), data)

    # --- answered tool calls -----------------------------------------------------------------
    def first_answer(self, key: str | None) -> bool:
        """True the first time ``key`` is seen (atomic across processes: O_EXCL create)."""
        if not key:
            return True
        path = self._path("seen", key, suffix="")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            return False
        return True

    # --- helpers ------------------------------------------------------------------------------
    def _path(self, kind: str, key: str, suffix: str = ".json") -> str:
        return os.path.join(self.dir, kind, hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40] + suffix)

    @staticmethod
    def _read(path: str) -> dict[str, Any] | None:
        try:
            with open(path, encoding="utf-8") as fh:
                value = json.load(fh)
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    @staticmethod
    def _write(path: str, value: dict[str, Any]) -> None:
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
