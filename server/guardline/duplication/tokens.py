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
import re
from bisect import bisect_left, bisect_right
from itertools import compress
from operator import ne
from functools import partial
from array import array
from dataclasses import dataclass, field
from zlib import crc32

from guardline.duplication.lang import table_for
from guardline.languages import ts_language
from guardline.parsing import MAX_TREE_DEPTH, NestingTooDeep, ParsedDocument, check_nesting

# Normalised values of the token classes. Raw hashes are CRC-32 of the token bytes: a collision
# between the raw texts of two tokens that line up is needed to misclassify, ~2**-32 per pair.
ID, LIT, BLOCK_OPEN, BLOCK_CLOSE = 1, 2, 3, 4

# Node actions of the walk (per kind id, from the language table).
# Order matters: actions >= _IDENT are atomic tokens whose children are not visited.
_LEAF, _BLOCK, _COMMENT, _IMPORT, _IDENT, _LITERAL, _STRING = range(7)
_ANONYMOUS = 15   # action values above this are the CRC of an anonymous kind's text

IGNORE_START = b"guardline: ignore-start"
IGNORE_END = b"guardline: ignore-end"
_NEWLINE = re.compile(b"\n")


@dataclass(slots=True)
class TokenStream:
    """The tokens of one document as parallel compact arrays (index = token position).

    Positions are byte offsets; ``lines`` holds each token's 1-based start line and ``line_starts``
    the byte offset of every line, from which columns and end lines are derived on demand.
    """

    language: str
    raw: array = field(default_factory=lambda: array("I"))          # hash of the token text
    norm: array = field(default_factory=lambda: array("I"))         # ID / LIT / raw
    starts: array = field(default_factory=lambda: array("I"))       # start byte
    ends: array = field(default_factory=lambda: array("I"))         # end byte (exclusive)
    lines: array = field(default_factory=lambda: array("I"))        # 1-based start line
    line_starts: array = field(default_factory=lambda: array("I"))  # byte offset of each line
    content_hash: str = ""
    # Derived on first use, not persisted: (positions, end lines) of the tokens ending on another line
    # than they start (multi-line strings, mostly), and the number of code lines.
    _multiline: tuple[array, array] | None = None
    _code_lines: int = -1

    ARRAYS = ("raw", "norm", "starts", "ends", "lines", "line_starts")

    def __len__(self) -> int:
        return len(self.norm)

    @property
    def code_lines(self) -> int:
        """Lines holding a token (comments, blank lines and imports excluded)."""
        if self._code_lines < 0:
            lines = set(self.lines)
            lines.update(self._multiline_tokens()[1])
            self._code_lines = len(lines)
        return self._code_lines

    def span_code_lines(self, start: int, end: int) -> set[int]:
        """Code lines of tokens ``start`` .. ``end`` - 1 (the start and end line of each)."""
        lines = set(self.lines[start:end])
        positions, end_lines = self._multiline_tokens()
        lines.update(end_lines[bisect_left(positions, start):bisect_left(positions, end)])
        return lines

    def _multiline_tokens(self) -> tuple[array, array]:
        if self._multiline is None:
            ends = array("I", map(partial(bisect_right, self.line_starts), map(_minus_one, self.ends)))
            positions = array("I", compress(range(len(ends)), map(ne, ends, self.lines)))
            self._multiline = (positions, array("I", map(ends.__getitem__, positions)))
        return self._multiline

    def end_line(self, index: int) -> int:
        """1-based line of the last byte of token ``index``."""
        return bisect_right(self.line_starts, max(self.ends[index] - 1, 0))

    def column(self, offset: int, line: int) -> int:
        return offset - self.line_starts[line - 1]

    def to_bytes(self) -> list[bytes]:
        return [getattr(self, name).tobytes() for name in self.ARRAYS]

    @classmethod
    def from_bytes(cls, language: str, blobs: list[bytes], content_hash: str = "") -> "TokenStream":
        stream = cls(language, content_hash=content_hash)
        for name, blob in zip(cls.ARRAYS, blobs):
            getattr(stream, name).frombytes(blob)
        return stream


_minus_one = (-1).__add__


def content_hash(source: bytes) -> str:
    return hashlib.blake2b(source, digest_size=16).hexdigest()


@functools.cache
def _actions(language: str) -> tuple[dict[int, int], dict[int, int]]:
    """kind id -> walk action for the named kinds the language table mentions, and for anonymous
    kinds (keywords, operators, punctuation: always leaves, text = kind name) the CRC of their text,
    so the walk neither asks for their children nor slices their text."""
    tab = table_for(language)
    by_name = [(tab.identifiers, _IDENT), (tab.literals, _LITERAL), (tab.strings, _STRING),
               (tab.comments, _COMMENT), (tab.imports, _IMPORT), (tab.blocks, _BLOCK)]
    lang = ts_language(language)
    actions: dict[int, int] = {}
    lengths: dict[int, int] = {}   # CRC of an anonymous kind -> byte length of its text
    for kind_id in range(lang.node_kind_count):
        name = lang.node_kind_for_id(kind_id)
        if not lang.node_kind_is_named(kind_id):
            # multi-word kinds ("is not", "not in") are nodes with the words as children: walk them
            if name and lang.node_kind_is_visible(kind_id) and " " not in name:
                h = crc32(name.encode())
                if h > _ANONYMOUS and lengths.get(h, len(name.encode())) == len(name.encode()):
                    actions[kind_id] = h
                    lengths[h] = len(name.encode())
            continue
        for names, action in by_name:
            if name in names:
                actions[kind_id] = action
    return actions, lengths


def tokenize(doc: ParsedDocument) -> TokenStream:
    """The clone-detection tokens of a parsed document."""
    stream = TokenStream(doc.language, content_hash=content_hash(doc.source))
    try:
        check_nesting(doc.root)
        _walk(doc, *_actions(doc.language), stream)
    except NestingTooDeep:   # a file not analysed has no clones either
        stream = TokenStream(doc.language, content_hash=stream.content_hash)
    _add_lines(doc.source, stream)
    return stream


def _add_lines(source: bytes, stream: TokenStream) -> None:
    """Fill ``line_starts`` and each token's start line (bisect in C over the byte offsets)."""
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(source))
    stream.line_starts = array("I", starts)
    stream.lines = array("I", map(partial(bisect_right, starts), stream.starts))


def _walk(doc: ParsedDocument, actions: dict[int, int], lengths: dict[int, int], out: TokenStream) -> None:
    """Pre-order walk: inner nodes are descended (a block opens a block token), the others are tokens."""
    src = doc.source
    emit = _emitter(out)
    raw_add, norm_add, start_add, end_add = out.raw.append, out.norm.append, out.starts.append, out.ends.append
    get_action = actions.get
    cursor = doc.tree.walk()
    closes: list[bool] = []   # per open ancestor: does leaving it emit a block-close token?
    ignoring = False
    while True:
        node = cursor.node
        action = get_action(node.kind_id, _LEAF)
        if action <= _BLOCK and cursor.goto_first_child():   # cheaper than asking child_count first
            closes.append(action == _BLOCK and _open_block(node, ignoring, emit))
            if len(closes) > MAX_TREE_DEPTH:
                raise NestingTooDeep.tree()
            continue
        start, end = node.start_byte, node.end_byte
        if action > _ANONYMOUS:   # keyword / operator / punctuation: ``action`` is the CRC of its text
            if end > start and not ignoring:
                raw = action if end - start == lengths[action] else crc32(src[start:end])   # (or aliased)
                raw_add(raw), norm_add(raw), start_add(start), end_add(end)
        elif action == _COMMENT:
            ignoring = _ignore_state(src[start:end], ignoring)
        elif end > start and not ignoring and (action >= _IDENT or action == _LEAF):
            raw = crc32(src[start:end])
            raw_add(raw), norm_add(_NORMALISED.get(action, raw)), start_add(start), end_add(end)
        if not cursor.goto_next_sibling() and not _climb(cursor, closes, emit):
            return


_NORMALISED = {_IDENT: ID, _LITERAL: LIT, _STRING: LIT}   # other tokens: normalised hash = raw hash


def _emitter(out: TokenStream):
    raw_add, norm_add, start_add, end_add = out.raw.append, out.norm.append, out.starts.append, out.ends.append

    def emit(raw: int, norm: int, start: int, end: int) -> None:
        raw_add(raw), norm_add(norm), start_add(start), end_add(end)
    return emit


def _open_block(node, ignoring: bool, emit) -> bool:
    """Emit the block-open token of an indented block; True when its block-close is due."""
    if ignoring:
        return False
    emit(BLOCK_OPEN, BLOCK_OPEN, node.start_byte, node.start_byte)
    return True


def _climb(cursor, closes: list[bool], emit) -> bool:
    """Up (closing blocks) until an ancestor has a next sibling, and to it. False at the end of the tree."""
    while True:
        if not cursor.goto_parent():
            return False
        if closes.pop():
            end = cursor.node.end_byte
            emit(BLOCK_CLOSE, BLOCK_CLOSE, end, end)
        if cursor.goto_next_sibling():
            return True


def _ignore_state(comment: bytes, ignoring: bool) -> bool:
    if b"guardline:" not in comment:
        return ignoring
    if IGNORE_START in comment:
        return True
    if IGNORE_END in comment:
        return False
    return ignoring
