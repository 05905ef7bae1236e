"""Tokenisation for clone detection, from the tree-sitter tree already parsed.

Leaves are tokens; comments are dropped; a whole string literal is one token; import-like statements
and ``guardline: ignore-start`` … ``guardline: ignore-end`` regions are dropped; indentation languages
get synthetic block-open / block-close tokens. Each token carries a raw hash (its text) and a
normalised hash (identifiers -> ID, literals -> LIT, everything else = raw) plus its position.

The walk is iterative (TreeCursor + an explicit stack), so 5,000-deep nesting is fine.
"""

from __future__ import annotations

import functools
import hashlib
from array import array
from dataclasses import dataclass, field
from zlib import crc32

from guardline.duplication.lang import table_for
from guardline.languages import ts_language
from guardline.parsing import ParsedDocument

# Normalised values of the token classes. Raw hashes are CRC-32 of the token bytes: a collision
# between the raw texts of two tokens that line up is needed to misclassify, ~2**-32 per pair.
ID, LIT, BLOCK_OPEN, BLOCK_CLOSE = 1, 2, 3, 4

# Node actions of the walk (per kind id, from the language table).
# Order matters: actions >= _IDENT are atomic tokens whose children are not visited.
_LEAF, _BLOCK, _COMMENT, _IMPORT, _IDENT, _LITERAL, _STRING = range(7)

IGNORE_START = b"guardline: ignore-start"
IGNORE_END = b"guardline: ignore-end"


@dataclass(slots=True)
class TokenStream:
    """The tokens of one document as parallel compact arrays (index = token position)."""

    language: str
    raw: array = field(default_factory=lambda: array("I"))        # hash of the token text
    norm: array = field(default_factory=lambda: array("I"))       # ID / LIT / raw
    lines: array = field(default_factory=lambda: array("I"))      # 1-based start line
    cols: array = field(default_factory=lambda: array("I"))       # 0-based start byte column
    end_lines: array = field(default_factory=lambda: array("I"))  # 1-based end line
    end_cols: array = field(default_factory=lambda: array("I"))   # 0-based end byte column
    content_hash: str = ""

    ARRAYS = ("raw", "norm", "lines", "cols", "end_lines", "end_cols")

    def __len__(self) -> int:
        return len(self.norm)

    @property
    def code_lines(self) -> int:
        """Lines holding the start or end of a token (comments, blank lines and imports excluded)."""
        return len(set(self.lines) | set(self.end_lines))

    def span_code_lines(self, start: int, end: int) -> set[int]:
        """Code lines of tokens ``start`` .. ``end`` - 1."""
        return set(self.lines[start:end]) | set(self.end_lines[start:end])

    def to_bytes(self) -> list[bytes]:
        return [getattr(self, name).tobytes() for name in self.ARRAYS]

    @classmethod
    def from_bytes(cls, language: str, blobs: list[bytes], content_hash: str = "") -> "TokenStream":
        stream = cls(language, content_hash=content_hash)
        for name, blob in zip(cls.ARRAYS, blobs):
            getattr(stream, name).frombytes(blob)
        return stream


def content_hash(source: bytes) -> str:
    return hashlib.blake2b(source, digest_size=16).hexdigest()


@functools.cache
def _actions(language: str) -> dict[int, int]:
    """kind id -> walk action, for every named kind the language table mentions."""
    tab = table_for(language)
    by_name = [(tab.identifiers, _IDENT), (tab.literals, _LITERAL), (tab.strings, _STRING),
               (tab.comments, _COMMENT), (tab.imports, _IMPORT), (tab.blocks, _BLOCK)]
    lang = ts_language(language)
    actions: dict[int, int] = {}
    for kind_id in range(lang.node_kind_count):
        if not lang.node_kind_is_named(kind_id):
            continue
        name = lang.node_kind_for_id(kind_id)
        for names, action in by_name:
            if name in names:
                actions[kind_id] = action
    return actions


def tokenize(doc: ParsedDocument) -> TokenStream:
    """The clone-detection tokens of a parsed document."""
    stream = TokenStream(doc.language, content_hash=content_hash(doc.source))
    _walk(doc, _actions(doc.language), stream)
    return stream


def _walk(doc: ParsedDocument, actions: dict[int, int], out: TokenStream) -> None:  # noqa: C901 - hot loop
    src = doc.source
    raw_add, norm_add = out.raw.append, out.norm.append
    line_add, col_add = out.lines.append, out.cols.append
    eline_add, ecol_add = out.end_lines.append, out.end_cols.append
    get_action = actions.get
    cursor = doc.tree.walk()
    block_stack: list[bool] = []   # per open ancestor: did it emit a block-open token?
    ignoring = False
    while True:
        node = cursor.node
        action = get_action(node.kind_id, _LEAF)
        if action == _COMMENT:
            text = src[node.start_byte:node.end_byte]
            if b"guardline:" in text:
                if IGNORE_START in text:
                    ignoring = True
                elif IGNORE_END in text:
                    ignoring = False
        elif action == _IMPORT:
            pass
        elif action >= _IDENT or (action == _LEAF and node.child_count == 0):
            start, end = node.start_byte, node.end_byte
            if end > start and not ignoring:
                h = crc32(src[start:end])
                raw_add(h)
                norm_add(h if action == _LEAF else ID if action == _IDENT else LIT)
                row, col = node.start_point
                erow, ecol = node.end_point
                line_add(row + 1)
                col_add(col)
                eline_add(erow + 1)
                ecol_add(ecol)
        elif cursor.goto_first_child():
            opened = action == _BLOCK and not ignoring
            if opened:
                row, col = node.start_point
                for add, value in ((raw_add, BLOCK_OPEN), (norm_add, BLOCK_OPEN), (line_add, row + 1),
                                   (col_add, col), (eline_add, row + 1), (ecol_add, col)):
                    add(value)
            block_stack.append(opened)
            continue
        # advance to the next node: next sibling, else climb (closing blocks) until one has a sibling
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            if block_stack.pop():
                erow, ecol = cursor.node.end_point
                for add, value in ((raw_add, BLOCK_CLOSE), (norm_add, BLOCK_CLOSE), (line_add, erow + 1),
                                   (col_add, ecol), (eline_add, erow + 1), (ecol_add, ecol)):
                    add(value)
