"""Open documents: text kept in sync with INCREMENTAL changes, tree-sitter edits, position encodings.

LSP positions count columns in the negotiated encoding (UTF-16 code units unless the client offers
UTF-8 or UTF-32); tree-sitter counts UTF-8 bytes. Everything converting between the two lives here.
Lines end at "\\n", "\\r\\n" and a lone "\\r" (the LSP specification's line ends; the parse sees a
lone CR as LF, see parsing.normalise_text); a CRLF line's "\\r" stays part of the line text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import tree_sitter

from guardline.parsing import normalise_text, through_line_end

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Lone surrogates (possible from JSON escapes) become U+FFFD: same UTF-8 length (3 bytes) and
    same UTF-16 length (1 unit), so every position stays valid, and no encoder downstream can fail."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def utf8(text: str) -> bytes:
    """The bytes tree-sitter sees (lone surrogates from JSON escapes pass through, never raise)."""
    return text.encode("utf-8", "surrogatepass")


def _units(ch: str, encoding: str) -> int:
    if encoding == UTF16:
        return 2 if ord(ch) > 0xFFFF else 1
    if encoding == UTF8:
        return len(utf8(ch))
    return 1


def column_to_char(line_text: str, column: int, encoding: str = UTF16) -> int:
    """Char index in ``line_text`` of an LSP column (clamped to the line)."""
    if column <= 0:
        return 0
    if encoding == UTF32 or line_text.isascii():
        return min(column, len(line_text))
    count = 0
    for index, ch in enumerate(line_text):
        if count >= column:
            return index
        count += _units(ch, encoding)
    return len(line_text)


def char_to_column(line_text: str, char_index: int, encoding: str = UTF16) -> int:
    """LSP column of a char index in ``line_text``."""
    prefix = line_text[:max(char_index, 0)]
    if encoding == UTF32 or prefix.isascii():
        return len(prefix)
    if encoding == UTF8:
        return len(utf8(prefix))
    return len(prefix) + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def byte_to_column(line_text: str, byte_col: int, encoding: str = UTF16) -> int:
    """LSP column of a tree-sitter (UTF-8 byte) column on ``line_text``."""
    if byte_col <= 0:
        return 0
    if line_text.isascii():
        return min(byte_col, len(line_text))
    if encoding == UTF8:
        return min(byte_col, len(utf8(line_text)))
    raw = utf8(line_text)[:byte_col]
    try:
        prefix = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:  # byte column inside a multi-byte char: round down
        prefix = raw.decode("utf-8", "ignore")
    return char_to_column(prefix, len(prefix), encoding)


@dataclass
class Document:
    """One open document. ``text``/``version`` change on the message loop; parsing happens in a
    worker holding ``parse_lock``. ``pending_edits`` are the tree-sitter edits since the text the
    stored ``tree`` was parsed from; None means "no usable tree: parse from scratch"."""

    uri: str
    path: str
    language: str | None
    version: int
    text: str
    encoding: str = UTF16
    track_edits: bool = True          # False for oversized documents (no tree kept)
    frozen: bool = False              # oversized: incremental changes are not applied (never analysed)
    tree: tree_sitter.Tree | None = None
    pending_edits: list[dict[str, Any]] | None = None
    parse_lock: threading.Lock = field(default_factory=threading.Lock)
    state_lock: threading.Lock = field(default_factory=threading.Lock)
    _line_starts: list[int] | None = None
    # per-function metric results kept across versions (guardline.metrics.compute_functions)
    metrics_memo: dict[Any, Any] = field(default_factory=dict)   # metrics.engine.FunctionMemo, opaque here
    # Line edits (first row, old last row, new last row) since the last snapshot; None: the whole
    # text was replaced. `snapshot()` moves them to `snapshot_line_edits` for the analysis worker.
    line_edits: list[tuple[int, int, int]] | None = field(default_factory=list)
    snapshot_line_edits: list[tuple[int, int, int]] | None = None
    # Duplication findings of the last full clone query, moved along with later edits (see
    # guardline.lsp.clones), and what that query cost: expensive queries leave the keystroke path.
    clone_findings: list[Any] | None = None
    clone_query_ms: float = 0.0
    # Security findings (hotspots, taint, secrets) of the last scan, moved along with later edits the
    # same way, the config they were found with and what the scan cost: an expensive scan leaves the
    # keystroke path too (guardline.lsp.scheduler.SECURITY_INLINE_BUDGET_MS).
    security_findings: list[Any] | None = None
    security_config: Any = None
    security_scan_ms: float = 0.0
    analysis_ms: float = 0.0          # the rest of the last analysis (metrics, thresholds): the keystroke budget

    # ---- positions -------------------------------------------------------------------------
    def line_starts(self) -> list[int]:
        if self._line_starts is None:   # each line's length + 1, summed in C (a regex pass costs 3x)
            lengths = map(len, normalise_text(self.text).split("\n"))
            self._line_starts = list(accumulate(map((1).__add__, lengths), initial=0))[:-1]
        return self._line_starts

    def line_text(self, line: int) -> str:
        starts = self.line_starts()
        if line < 0 or line >= len(starts):
            return ""
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(self.text)
        return self.text[starts[line]:end]

    def offset_at(self, line: int, column: int) -> int:
        """Char offset of an LSP position, clamped into the text (bad positions never raise)."""
        starts = self.line_starts()
        if line < 0:
            return 0
        if line >= len(starts):
            return len(self.text)
        return starts[line] + column_to_char(self.line_text(line), column, self.encoding)

    # ---- changes ---------------------------------------------------------------------------
    def apply_change(self, change: Any) -> None:
        """Apply one TextDocumentContentChangeEvent (ranged = incremental, else full text)."""
        rng = getattr(change, "range", None)
        if rng is not None and self.frozen:
            return
        if rng is None:
            self._replace_text(clean_text(change.text))
            return
        start = self.offset_at(rng.start.line, rng.start.character)
        end = max(start, self.offset_at(rng.end.line, rng.end.character))
        new_text = clean_text(change.text)
        if self._touches_cr(start, end, new_text):
            # a CR inserted, removed or joined to an LF changes how many line ends there are in ways
            # the edit's points cannot say: parse this version from scratch
            self._replace_text(self.text[:start] + new_text + self.text[end:])
            return
        edit = self._tree_edit(start, end, new_text) if self.track_edits else None
        starts = self.line_starts()
        first_row, old_last_row = _row_of(starts, start), _row_of(starts, end)
        with self.state_lock:
            self.text = self.text[:start] + new_text + self.text[end:]
            self._line_starts = _shifted(starts, first_row, old_last_row, new_text, end - start)
            if edit is not None and self.pending_edits is not None:
                self.pending_edits.append(edit)
            if self.line_edits is not None:
                self.line_edits.append((first_row, old_last_row, first_row + new_text.count("\n")))

    def _replace_text(self, text: str) -> None:
        with self.state_lock:
            self.text = text
            self._line_starts = None
            self.pending_edits = None
            self.line_edits = None

    def _touches_cr(self, start: int, end: int, new_text: str) -> bool:
        text = self.text
        return "\r" in new_text or "\r" in text[max(start - 1, 0):end]

    def _point(self, offset: int) -> tuple[int, int]:
        starts = self.line_starts()
        row = _row_of(starts, offset)
        return row, len(utf8(self.text[starts[row]:offset]))

    def _tree_edit(self, start: int, end: int, new_text: str) -> dict[str, Any]:
        """The tree edit of replacing text[start:end] by ``new_text``, reaching on through the end of
        the line (parsing.through_line_end: the incremental parse then reuses what follows)."""
        start_byte = len(utf8(self.text[:start]))
        line_rest = self.text[end:end + through_line_end(self.text, end, len(self.text) - end)]
        rest_bytes = len(utf8(line_rest))
        old_end_byte = start_byte + len(utf8(self.text[start:end])) + rest_bytes
        new_bytes = utf8(new_text)
        start_point, old_end_point = self._point(start), self._point(end + len(line_rest))
        newlines = new_text.count("\n")
        if line_rest:     # it ends with a newline: the edit ends where a line starts, rows moved
            new_end_point = (old_end_point[0] + newlines - self.text.count("\n", start, end), 0)
        elif newlines:
            new_end_point = (start_point[0] + newlines, len(utf8(new_text[new_text.rindex("\n") + 1:])))
        else:
            new_end_point = (start_point[0], start_point[1] + len(new_bytes))
        return {"start_byte": start_byte, "old_end_byte": old_end_byte,
                "new_end_byte": start_byte + len(new_bytes) + rest_bytes, "start_point": start_point,
                "old_end_point": old_end_point, "new_end_point": new_end_point}

    def snapshot(self) -> tuple[str, int, tree_sitter.Tree | None]:
        """(text, version, old tree with every pending edit applied) for an incremental reparse.

        Call with ``parse_lock`` held: the stored tree is edited in place."""
        with self.state_lock:
            text, version, edits = self.text, self.version, self.pending_edits
            self.pending_edits = []
            self.snapshot_line_edits, self.line_edits = self.line_edits, []
        tree = self.tree if edits is not None else None
        if tree is not None:
            for edit in edits or ():
                tree.edit(**edit)
        return text, version, tree


def _shifted(starts: list[int], first_row: int, old_last_row: int, new_text: str, removed: int) -> list[int] | None:
    """The line starts after an edit within one line that adds no line end (most keystrokes): the
    later lines move by the length change, without a pass over the text. None: recompute them."""
    if first_row != old_last_row or "\n" in new_text:
        return None
    delta = len(new_text) - removed
    if delta:
        starts[first_row + 1:] = [start + delta for start in starts[first_row + 1:]]
    return starts


def _row_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
