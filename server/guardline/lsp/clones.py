"""Duplication on the keystroke path, within budget.

A clone query of one buffer against the workspace index usually takes a millisecond or two, and runs
with every analysis. On some files it does not (a file of many near-identical blocks: every k-gram
has a hundred hits): when the last query of a document cost more than CLONE_INLINE_BUDGET_MS, the
keystroke analysis carries the previous query's findings instead, moved along with the edits made
since (a finding whose lines an edit touched is dropped, never shown at a wrong place), and a full
query runs once typing pauses (CLONE_IDLE_MS), publishing the same version again with fresh clones.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from guardline.model import Finding, Location

# GUARDLINE_CLONE_BUDGET_MS: for tests (0 defers every query after the first one)
CLONE_INLINE_BUDGET_MS = float(os.environ.get("GUARDLINE_CLONE_BUDGET_MS", "20"))
CLONE_IDLE_MS = 600

LineEdit = tuple[int, int, int]   # (first row, old last row, new last row), 0-based


def move_line(line: int, edits: list[LineEdit]) -> int | None:
    """A 1-based line after the edits, or None when an edit touched it."""
    moved = move_span(line, line, edits)
    return None if moved is None else moved[0]


def move_span(start: int, end: int, edits: list[LineEdit]) -> tuple[int, int] | None:
    """1-based lines start..end after the edits, or None when an edit touched any of them."""
    first_row, last_row = start - 1, end - 1
    for first, old_last, new_last in edits:
        if last_row < first:
            continue
        if first_row > old_last:
            first_row += new_last - old_last
            last_row += new_last - old_last
            continue
        return None
    return first_row + 1, last_row + 1


def _moved_location(location: Location, path: str, edits: list[LineEdit]) -> Location | None:
    """The other copy after the edits; None when it was edited, or moved (the finding's message
    names its lines: the next full query will say where it is)."""
    if os.path.abspath(location.path) != path:
        return location   # another file: its own buffer or disk state is not affected by these edits
    moved = move_span(location.start_line, location.end_line, edits)
    if moved != (location.start_line, location.end_line):
        return None
    return location


def carry(findings: list[Finding], path: str, edits: list[LineEdit] | None) -> list[Finding]:
    """The findings that survive the edits, at their new lines (none when the text was replaced)."""
    if edits is None:
        return []
    if not edits:
        return list(findings)
    path = os.path.abspath(path)
    kept: list[Finding] = []
    for finding in findings:
        moved = move_span(finding.start_line, finding.end_line, edits)
        moved_related = [_moved_location(loc, path, edits) for loc in finding.related]
        related = [loc for loc in moved_related if loc is not None]
        if moved is None or len(related) != len(moved_related):
            continue
        kept.append(replace(finding, start_line=moved[0], end_line=moved[1], related=related))
    return kept


def should_defer(document: Any, forced: bool) -> bool:
    """Carry the previous findings instead of querying, when querying is known to be expensive."""
    return (not forced and document.clone_findings is not None
            and document.clone_query_ms > CLONE_INLINE_BUDGET_MS)
