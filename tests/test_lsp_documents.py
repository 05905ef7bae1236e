"""Unit tests of the server's document model: UTF-16 positions, incremental edits, tree-sitter edits."""

from __future__ import annotations

import random
from types import SimpleNamespace

from guardline.lsp.documents import (UTF8, UTF16, UTF32, Document, byte_to_column, char_to_column,
                                     column_to_char)
from guardline.parsing import parse


def change(sl, sc, el, ec, text):
    pos = SimpleNamespace
    return SimpleNamespace(range=SimpleNamespace(start=pos(line=sl, character=sc), end=pos(line=el, character=ec)),
                           text=text)


def test_utf16_columns_count_astral_chars_twice():
    line = "a😀b = 'é'"
    # "😀" is one Python char but two UTF-16 units: LSP column 3 is "b" (char index 2)
    assert column_to_char(line, 3, UTF16) == 2
    assert char_to_column(line, 2, UTF16) == 3
    assert char_to_column(line, 2, UTF32) == 2
    assert char_to_column(line, 2, UTF8) == 5  # 'a' + 4 bytes
    # tree-sitter byte column 5 (after the emoji) is UTF-16 column 3
    assert byte_to_column(line, 5, UTF16) == 3
    # a byte column inside the emoji rounds down rather than raising
    assert byte_to_column(line, 3, UTF16) == 1


def test_out_of_range_positions_clamp_instead_of_raising():
    doc = Document(uri="file:///x.py", path="/x.py", language="python", version=1, text="ab\ncd")
    assert doc.offset_at(99, 0) == 5, "line past the end clamps to the end of the text"
    assert doc.offset_at(0, 99) == 2, "column past the end of a line clamps to the line end"
    doc.apply_change(change(5, 0, 9, 0, "!"))
    assert doc.text == "ab\ncd!"


def test_incremental_changes_apply_utf16_ranges():
    doc = Document(uri="file:///x.py", path="/x.py", language="python", version=1, text="x = '😀'\ny = 2\n")
    # replace the closing quote after the emoji: UTF-16 column 7 (the emoji spans columns 5-6)
    doc.apply_change(change(0, 7, 0, 8, "\""))
    assert doc.text == "x = '😀\"\ny = 2\n"
    doc.apply_change(change(1, 0, 2, 0, ""))
    assert doc.text == "x = '😀\"\n"


def test_tree_edits_make_incremental_reparse_equal_a_fresh_parse():
    """Random edits (with multi-byte chars): the incrementally reparsed tree must be identical to a
    fresh parse of the final text, which proves byte offsets and points given to Tree.edit are right."""
    rng = random.Random(7)
    text = "def f(a):\n    if a:\n        return 'é😀'\n    return 0\n" * 5
    doc = Document(uri="file:///x.py", path="/x.py", language="python", version=1, text=text)
    doc.tree = parse(text, "python").tree
    doc.pending_edits = []
    pieces = ["x", "é", "😀", "\n", "    if b:\n        pass\n", "", "(", "'"]
    for step in range(60):
        lines = doc.text.split("\n")
        sl = rng.randrange(len(lines))
        el = min(len(lines) - 1, sl + rng.randrange(2))
        sc = rng.randrange(char_to_column(lines[sl], len(lines[sl])) + 1)
        ec = rng.randrange(char_to_column(lines[el], len(lines[el])) + 1)
        if (el, ec) < (sl, sc):
            sl, sc, el, ec = el, ec, sl, sc
        doc.apply_change(change(sl, sc, el, ec, rng.choice(pieces)))
        if step % 7 == 0:
            with doc.parse_lock:
                text_now, _, old = doc.snapshot()
                doc.tree = parse(text_now, "python", old_tree=old).tree
    with doc.parse_lock:
        text_now, _, old = doc.snapshot()
        incremental = parse(text_now, "python", old_tree=old).tree
    fresh = parse(doc.text, "python").tree
    assert str(incremental.root_node) == str(fresh.root_node)


def _shape(tree) -> list[tuple]:
    cursor, out = tree.walk(), []
    while True:
        node = cursor.node
        out.append((node.kind_id, node.start_byte, node.end_byte, node.start_point, node.end_point, cursor.field_id))
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


def test_typing_at_line_ends_reparses_to_the_fresh_tree_points_included():
    """Each tree edit reaches through the end of its line (parsing.through_line_end, so that typing at
    the end of a Python block's last line does not reparse the rest of the file): typing and deleting
    at line ends, Enter, multi-byte text, CRLF lines and a last line without a newline all reparse to
    exactly the fresh tree, every node's bytes and points included."""
    block = "def f{n}(a):\n    t = 'é😀'\n    if a:\n        t += 1\n    return t\n\n"
    for newline in ("\n", "\r\n"):
        text = "".join(block.format(n=n) for n in range(4)).replace("\n", newline) + "z = 1"
        doc = Document(uri="file:///x.py", path="/x.py", language="python", version=1, text=text)
        doc.tree = parse(text, "python").tree
        doc.pending_edits = []
        ends = [n for n, line in enumerate(doc.text.split("\n")) if line.rstrip("\r").endswith(("t", "1", "'"))]
        for step, line in enumerate(ends):
            column = char_to_column(doc.line_text(line).rstrip("\r"), len(doc.line_text(line).rstrip("\r")))
            doc.apply_change(change(line, column, line, column, ["x", "é", "\n    pass", "😀"][step % 4]))
            if step % 3 == 0:
                doc.apply_change(change(line, column, line, column + 1, ""))
            with doc.parse_lock:
                text_now, _, old = doc.snapshot()
                doc.tree = parse(text_now, "python", old_tree=old).tree
            assert _shape(doc.tree) == _shape(parse(doc.text, "python").tree), (newline, line)


def test_full_text_change_discards_the_tree():
    doc = Document(uri="file:///x.py", path="/x.py", language="python", version=1, text="x = 1\n")
    doc.tree = parse(doc.text, "python").tree
    doc.pending_edits = []
    doc.apply_change(SimpleNamespace(text="y = 2\n"))
    with doc.parse_lock:
        text, _, old = doc.snapshot()
    assert text == "y = 2\n" and old is None, "a full replacement cannot be applied incrementally"


def test_line_starts_are_the_offsets_after_each_newline():
    """Line i starts one past the i-th "\\n" (CRLF lines keep their "\\r" at the end, as before): the
    summed line lengths equal the positions a regex finds, for every edge case."""
    import re
    for text in ("", "a", "a\n", "\n\n", "ab\ncd", "x\r\ny\r\n", "é😀\nz\n\n"):
        doc = Document(uri="file:///t.py", path="/t.py", language="python", version=1, text=text)
        expected = [0] + [m.end() for m in re.finditer("\n", text)]
        assert doc.line_starts() == expected, repr(text)


def test_line_starts_kept_across_edits_equal_a_fresh_count():
    """Edits within one line shift the later line starts instead of recounting the text; after any
    mix of edits (within a line, across lines, adding and removing line ends, astral chars) the kept
    starts must equal those of a document opened on the resulting text."""
    rng = random.Random(7)
    doc = Document(uri="file:///x.py", path="/x.py", language="python", version=1,
                   text="".join(f"line {i} = 'é😀'\n" for i in range(40)))
    for _ in range(400):
        lines = doc.text.split("\n")
        line = rng.randrange(len(lines))
        col = rng.randrange(len(lines[line]) + 1)
        if rng.random() < 0.8:   # a keystroke: insert or delete within the line
            end_col = min(col + rng.choice((0, 0, 1, 2)), len(lines[line]))
            doc.apply_change(change(line, col, line, end_col, rng.choice(("x", "", "yy", "😀"))))
        else:                    # across lines, or adding a line end
            end_line = min(line + rng.choice((0, 1, 2)), len(lines) - 1)
            doc.apply_change(change(line, col, end_line, 0, rng.choice(("\n", "a\nb", ""))))
        doc.line_starts()
        fresh = Document(uri="file:///y.py", path="/y.py", language="python", version=1, text=doc.text)
        assert doc.line_starts() == fresh.line_starts()
