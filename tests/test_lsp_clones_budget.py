"""Duplication on the keystroke path (guardline.lsp.clones): previous findings move with the edits,
and a finding whose lines were edited is dropped rather than shown at a wrong place."""

from __future__ import annotations

from guardline.lsp.clones import carry, move_line, should_defer, CLONE_INLINE_BUDGET_MS
from guardline.lsp.documents import Document
from guardline.model import Finding, Location


def clone(start: int, end: int, related: list[Location]) -> Finding:
    return Finding(rule="GL-D001", category="duplication", severity="warning", start_line=start,
                   end_line=end, message="clone", related=related)


def test_move_line_shifts_below_an_edit_keeps_above_and_drops_inside():
    # an edit of rows 9..10 (0-based) that became rows 9..12: two lines inserted
    edits = [(9, 10, 12)]
    assert move_line(5, edits) == 5      # row 4: above the edit, unchanged
    assert move_line(12, edits) == 14    # row 11: below, moved down by two
    assert move_line(10, edits) is None  # row 9: touched


def test_carry_moves_findings_and_keeps_other_files_copies():
    other = Location("b.py", 3, 9)
    findings = [clone(20, 26, [other]), clone(2, 8, [other])]
    # a line inserted at row 10 (0-based): the first finding moves down one, the second stays
    moved = carry(findings, "a.py", [(10, 10, 11)])
    assert [(f.start_line, f.end_line) for f in moved] == [(21, 27), (2, 8)]
    assert moved[0].related == [other]   # the other file is not affected by this buffer's edits


def test_carry_drops_a_finding_whose_copy_in_this_file_moved():
    # the message names the copy's lines ("also at a.py:40-46"): once they move, only a new query
    # can say it right, so the finding waits for it
    findings = [clone(2, 8, [Location("a.py", 40, 46)])]
    assert carry(findings, "a.py", [(10, 10, 11)]) == []
    assert len(carry(findings, "a.py", [(60, 60, 61)])) == 1   # an edit below both copies: kept


def test_carry_drops_a_finding_whose_copy_in_this_file_was_edited_and_everything_on_full_replace():
    findings = [clone(2, 8, [Location("a.py", 40, 46)])]
    assert carry(findings, "a.py", [(42, 42, 42)]) == []    # row 42 lies in the copy at lines 40-46
    assert carry(findings, "a.py", None) == []               # whole text replaced: nothing is known


def test_a_document_records_line_edits_for_each_snapshot():
    doc = Document(uri="file:///a.py", path="a.py", language="python", version=1, text="a\nb\nc\n")

    class Range:
        def __init__(self, line, character, end_line, end_character):
            self.start = type("P", (), {"line": line, "character": character})()
            self.end = type("P", (), {"line": end_line, "character": end_character})()

    class Change:
        def __init__(self, rng, text):
            self.range, self.text = rng, text

    doc.apply_change(Change(Range(1, 0, 1, 0), "x\ny\n"))   # two lines inserted before row 1
    doc.snapshot()
    assert doc.snapshot_line_edits == [(1, 1, 3)]
    assert doc.line_edits == []


def test_only_an_expensive_previous_query_is_deferred():
    doc = Document(uri="file:///a.py", path="a.py", language="python", version=1, text="")
    assert not should_defer(doc, forced=False)           # never queried: query now
    doc.clone_findings, doc.clone_query_ms = [], CLONE_INLINE_BUDGET_MS + 1
    assert should_defer(doc, forced=False)
    assert not should_defer(doc, forced=True)            # the idle stage always queries
    doc.clone_query_ms = 1.0
    assert not should_defer(doc, forced=False)           # cheap queries stay on the keystroke path
