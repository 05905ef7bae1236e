"""Edits as text: apply_patch envelopes (Codex, Cursor ApplyPatch), Claude Code structured patches,
string replacements undone, and the lines an edit wrote (a line diff of before and after). Pure.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

PATCH_HEADER = re.compile(r"^\*\*\* (Add|Update|Delete) File: (.+?)\s*$", re.MULTILINE)
MOVE_TO = "*** Move to: "
LINE = re.compile(r"[^\n]*\n|[^\n]+$")


@dataclass
class PatchFile:
    op: str                                     # Add | Update | Delete
    path: str
    move_to: str | None = None
    hunks: list[tuple[list[str], list[str]]] = field(default_factory=list)   # (old lines, new lines)


def patch_paths(text: str) -> list[str]:
    """Paths named by apply_patch headers (the file's path after a move)."""
    return [f.move_to or f.path for f in parse_apply_patch(text) if f.op != "Delete"]


def parse_apply_patch(text: str) -> list[PatchFile]:
    """The files of a `*** Begin Patch` ... `*** End Patch` envelope. Hunks are split at `@@` lines;
    each hunk's old side is its context and `-` lines, its new side context and `+` lines."""
    files: list[PatchFile] = []
    current: PatchFile | None = None
    old: list[str] = []
    new: list[str] = []

    def close_hunk() -> None:
        if current is not None and (old or new):
            current.hunks.append((list(old), list(new)))
        old.clear()
        new.clear()

    for line in text.splitlines():
        header = PATCH_HEADER.match(line)
        if header:
            close_hunk()
            current = PatchFile(header.group(1), header.group(2).strip())
            files.append(current)
        elif current is None or line.startswith("*** End Patch") or line.startswith("*** Begin Patch"):
            close_hunk()
        elif line.startswith(MOVE_TO):
            current.move_to = line[len(MOVE_TO):].strip()
        elif line.startswith("@@") or line == "*** End of File":
            close_hunk()
        elif line[:1] == "+":
            new.append(line[1:])
        elif line[:1] == "-":
            old.append(line[1:])
        elif line[:1] == " " or line == "":
            old.append(line[1:])
            new.append(line[1:])
    close_hunk()
    return files


def structured_patch_lines(hunks: object) -> list[int] | None:
    """1-based lines a Claude Code `structuredPatch` added: per hunk from `newStart`, ' ' and '+'
    advance, '+' is recorded, '-' does not advance. None when the value is not such a list."""
    if not isinstance(hunks, list):
        return None
    added: list[int] = []
    for hunk in hunks:
        if not isinstance(hunk, dict) or not isinstance(hunk.get("newStart"), int):
            return None
        line = hunk["newStart"]
        for raw in hunk.get("lines") or []:
            if not isinstance(raw, str):
                continue
            if raw.startswith("+"):
                added.append(line)
                line += 1
            elif raw.startswith(" "):
                line += 1
            # '-' lines and "\ No newline" markers do not exist in the new text
    return added


def undo_replacements(after: str, replacements: list[tuple[str, str, bool]]) -> str | None:
    """The text before a sequence of string replacements, undone last first; None when a
    replacement's new text is not found (the file changed since)."""
    text = after
    for old, new, replace_all in reversed(replacements):
        if not new:
            return None     # a pure deletion cannot be located in the result
        if new not in text:
            return None
        text = text.replace(new, old) if replace_all else _replace_last_safe(text, new, old)
    return text


def _replace_last_safe(text: str, new: str, old: str) -> str:
    """Undo one replacement: the first occurrence of ``new`` (as the reference implementation and
    the host's own "first match" semantics have it)."""
    return text.replace(new, old, 1)


def undo_patch(after: str, hunks: list[tuple[list[str], list[str]]]) -> str | None:
    """The text before an apply_patch Update, from the file after it: each hunk's new side is put
    back to its old side (last hunk first). None when a hunk's new side is not in the file."""
    lines = after.split("\n")
    for old, new in reversed(hunks):
        at = _find(lines, new)
        if at is None:
            return None
        lines[at:at + len(new)] = old
    return "\n".join(lines)


def _find(lines: list[str], block: list[str]) -> int | None:
    if not block:
        return None
    size = len(block)
    for start in range(len(lines) - size, -1, -1):
        if lines[start:start + size] == block:
            return start
    stripped = [b.rstrip() for b in block]
    for start in range(len(lines) - size, -1, -1):
        if [x.rstrip() for x in lines[start:start + size]] == stripped:
            return start
    return None


def changed_lines(before: str, after: str) -> list[int]:
    """1-based lines of ``after`` that the edit wrote (inserted or replaced), by a line diff of lines
    with their line ends (as git diffs: a line appended after the last one is the new one). The common
    head and tail are cut first: an edit is local, and the diff of what is left stays small."""
    a, b = _lines_with_ends(before), _lines_with_ends(after)
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    a, b = a[head:len(a) - tail], b[head:len(b) - tail]
    if not a or not b:
        return list(range(head + 1, head + len(b) + 1))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[int] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            out.extend(range(head + j1 + 1, head + j2 + 1))
    return out


def _lines_with_ends(text: str) -> list[str]:
    """Lines split at "\n" only (as line numbers count everywhere else), each with its "\n"."""
    return LINE.findall(text)


def to_ranges(lines: list[int]) -> list[tuple[int, int]]:
    """Sorted 1-based lines -> inclusive (start, end) runs."""
    ranges: list[tuple[int, int]] = []
    for line in sorted(set(lines)):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], line)
        else:
            ranges.append((line, line))
    return ranges
