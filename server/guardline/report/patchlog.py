"""The file changes of commits, parsed from `git log -p -U0` output (each commit's record starts with
``COMMIT_MARK``, the ``%x01`` of ``--format=%x01%H...``). Shared by the forward blame of the trend
(report/linemap.py) and the per-commit hunks of history and gate (report/history.py)."""

from __future__ import annotations

import re

COMMIT_MARK = b"\x01"
HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class FileChange:
    __slots__ = ("old", "new", "hunks", "blob", "mode")

    def __init__(self) -> None:
        self.old: str | None = None
        self.new: str | None = None
        self.hunks: list[tuple[int, int, int, int]] = []
        self.blob: str | None = None        # new-side object id (full with `--full-index`)
        self.mode: str | None = None        # new-side mode (160000: a submodule, not a blob)


class CommitPatch:
    """The file changes of one commit, parsed from its -U0 patch (content lines are skipped by count)."""

    def __init__(self, sha: str, parents: list[str]) -> None:
        self.sha, self.parents = sha, parents
        self.files: list[FileChange] = []
        self.skip = 0          # content lines left in the current hunk

    def feed(self, raw: bytes) -> None:
        if self.skip and raw[:1] in (b"+", b"-"):
            self.skip -= 1
            return
        if raw.startswith(b"diff --git "):
            self.files.append(FileChange())
            self.skip = 0
        elif not self.files:
            return
        elif raw.startswith(b"--- "):
            self.files[-1].old = _path(raw[4:], b"a/")
        elif raw.startswith(b"+++ "):
            self.files[-1].new = _path(raw[4:], b"b/")
        elif raw.startswith(b"index "):
            self._index(raw)
        elif raw.startswith((b"new file mode ", b"new mode ")):
            self.files[-1].mode = raw.rsplit(b" ", 1)[1].decode("ascii", "replace")
        elif raw.startswith(b"rename from "):
            self.files[-1].old = _unquote(raw[12:])
        elif raw.startswith(b"rename to "):
            self.files[-1].new = _unquote(raw[10:])
        elif raw.startswith(b"@@"):
            self._hunk(raw)

    def _index(self, raw: bytes) -> None:
        """`index OLD..NEW[ MODE]` (MODE when it did not change)."""
        fields = raw[6:].decode("ascii", "replace").split()
        if fields and ".." in fields[0]:
            self.files[-1].blob = fields[0].split("..", 1)[1]
        if len(fields) > 1 and self.files[-1].mode is None:
            self.files[-1].mode = fields[1]

    def _hunk(self, raw: bytes) -> None:
        match = HUNK.match(raw)
        if not match:
            return
        old_count = int(match[2]) if match[2] is not None else 1
        new_count = int(match[4]) if match[4] is not None else 1
        self.files[-1].hunks.append((int(match[1]), old_count, int(match[3]), new_count))
        self.skip = old_count + new_count


def _path(raw: bytes, prefix: bytes) -> str | None:
    raw = raw.rstrip(b"\t")
    if raw == b"/dev/null":
        return None
    text = _unquote(raw)
    return text[len(prefix.decode()):] if text.startswith(prefix.decode()) else text


def _unquote(raw: bytes) -> str:
    """git quotes paths with unusual bytes ("a/\\303\\251.py"): undo the C-style escapes."""
    if not raw.startswith(b'"'):
        return raw.decode("utf-8", "replace")
    body = raw[1:-1] if raw.endswith(b'"') else raw[1:]
    return body.decode("unicode_escape").encode("latin-1").decode("utf-8", "replace")
