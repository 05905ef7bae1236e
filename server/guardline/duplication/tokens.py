"""Tokenisation for clone detection, from the tree-sitter tree already parsed.

Leaves are tokens; comments are dropped; a whole string literal is one token; import-like statements
and ``guardline: ignore-start`` … ``guardline: ignore-end`` regions are dropped; indentation languages
get synthetic block-open / block-close tokens. Each token carries a raw hash (its text) and a
normalised hash (identifiers -> ID, literals -> LIT, everything else = raw) plus its position.
A long string literal (a template, an embedded script, a heredoc: LONG_STRING_LINES lines or
LONG_STRING_BYTES bytes) keeps its raw hash as normalised hash: two different templates are different
code, never a "renamed clone" of each other (only identical ones match, as exact copies).

The statements of the language's statement lists are recorded as token ranges (``stmt_*``): a
reported clone is shrunk to whole statements (index.py), never starting or ending mid-expression.

The walk is iterative (TreeCursor + an explicit stack), so 5,000-deep nesting is fine.
"""

from __future__ import annotations

import functools
import hashlib
from bisect import bisect_left, bisect_right
from itertools import accumulate, compress, cycle
from operator import add, itemgetter, ne, sub
from functools import partial
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable
from zlib import crc32

from tree_sitter import Node, TreeCursor

from guardline.array_backend import numpy_enabled
from guardline.duplication.lang import table_for
from guardline.languages import ts_language
from guardline.parsing import MAX_TREE_DEPTH, NestingTooDeep, ParsedDocument, check_nesting

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Normalised values of the token classes. Raw hashes are CRC-32 of the token bytes: a collision
# between the raw texts of two tokens that line up is needed to misclassify, ~2**-32 per pair.
ID, LIT, BLOCK_OPEN, BLOCK_CLOSE = 1, 2, 3, 4

# Node actions of the walk (per kind id, from the language table).
# Order matters: actions <= _BLOCK_LIST are descended (bit flags: _BLOCK opens a block token, _LIST is a
# statement list); actions >= _IDENT are atomic tokens whose children are not visited.
_LEAF, _BLOCK, _LIST, _BLOCK_LIST, _COMMENT, _IMPORT, _IDENT, _LITERAL, _STRING = range(9)
_CLOSE = _BLOCK   # the walk's per-ancestor flags: _CLOSE (a block-close token is due) | _LIST
_ANONYMOUS = 15   # action values above this are the CRC of an anonymous kind's text

IGNORE_START = b"guardline: ignore-start"
IGNORE_END = b"guardline: ignore-end"
LONG_STRING_LINES = 3      # a string literal spanning this many lines or more is a template / script
LONG_STRING_BYTES = 200    # ... or one this long: its content counts in the normalised hash


@dataclass(slots=True)
class TokenStream:
    """The tokens of one document as parallel compact arrays (index = token position).

    Positions are byte offsets; ``lines`` holds each token's 1-based start line and ``line_starts``
    the byte offset of every line, from which columns and end lines are derived on demand.
    """

    language: str
    raw: array[int] = field(default_factory=lambda: array("I"))          # hash of the token text
    norm: array[int] = field(default_factory=lambda: array("I"))         # ID / LIT / raw
    starts: array[int] = field(default_factory=lambda: array("I"))       # start byte
    ends: array[int] = field(default_factory=lambda: array("I"))         # end byte (exclusive)
    lines: array[int] = field(default_factory=lambda: array("I"))        # 1-based start line
    line_starts: array[int] = field(default_factory=lambda: array("I"))  # byte offset of each line
    # Statements (named children of the language's statement lists), sorted by start: token range
    # [stmt_starts[i], stmt_ends[i]) and the ordinal of the statement list holding it (siblings share it).
    stmt_starts: array[int] = field(default_factory=lambda: array("I"))
    stmt_ends: array[int] = field(default_factory=lambda: array("I"))
    stmt_lists: array[int] = field(default_factory=lambda: array("I"))
    content_hash: str = ""
    # Derived on first use, not persisted: (positions, end lines) of the tokens ending on another line
    # than they start (multi-line strings, mostly), and the number of code lines.
    _multiline: tuple[array[int], array[int]] | None = None
    _code_lines: int = -1

    ARRAYS = ("raw", "norm", "starts", "ends", "lines", "line_starts")
    STATEMENT_ARRAYS = ("stmt_starts", "stmt_ends", "stmt_lists")   # kept by the clone store (store.py)

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

    def _multiline_tokens(self) -> tuple[array[int], array[int]]:
        if self._multiline is None:
            self._multiline = _multiline_numpy(self) if numpy_enabled() else _multiline_loop(self)
        return self._multiline

    def end_line(self, index: int) -> int:
        """1-based line of the last byte of token ``index``."""
        return bisect_right(self.line_starts, max(self.ends[index] - 1, 0))

    def column(self, offset: int, line: int) -> int:
        return offset - self.line_starts[line - 1]

    def to_bytes(self, *, statements: bool = False) -> list[bytes]:
        names = self.ARRAYS + self.STATEMENT_ARRAYS if statements else self.ARRAYS
        return [getattr(self, name).tobytes() for name in names]

    @classmethod
    def from_bytes(cls, language: str, blobs: list[bytes], content_hash: str = "") -> "TokenStream":
        """From ``to_bytes()`` (the statement arrays too when given: then ``len(blobs)`` is 9)."""
        stream = cls(language, content_hash=content_hash)
        for name, blob in zip(cls.ARRAYS + cls.STATEMENT_ARRAYS, blobs):
            getattr(stream, name).frombytes(blob)
        return stream


_minus_one = (-1).__add__


def _multiline_loop(stream: TokenStream) -> tuple[array[int], array[int]]:
    """(positions, end lines) of the tokens ending on another line than they start: a binary search per
    token (the plain definition; the language server's path)."""
    ends = array("I", map(partial(bisect_right, stream.line_starts), map(_minus_one, stream.ends)))
    positions = array("I", compress(range(len(ends)), map(ne, ends, stream.lines)))
    return positions, array("I", map(ends.__getitem__, positions))


def _multiline_numpy(stream: TokenStream) -> tuple[array[int], array[int]]:
    """``_multiline_loop`` with one ``searchsorted`` (an empty token's "last byte" is the byte before it,
    as there; a token at offset 0 has none: line 0 there, searchsorted of -1 here, the same 0)."""
    import numpy as np

    if not len(stream.ends):
        return array("I"), array("I")
    last = np.frombuffer(stream.ends, dtype=_UINT).astype(np.int64) - 1
    ends = np.searchsorted(np.frombuffer(stream.line_starts, dtype=_UINT), last, side="right")
    positions = np.flatnonzero(ends != np.frombuffer(stream.lines, dtype=_UINT))
    return _to_array(positions), _to_array(ends[positions])


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
        if name in tab.statements and actions.get(kind_id, _LEAF) <= _BLOCK:
            actions[kind_id] = actions.get(kind_id, _LEAF) | _LIST
    return actions, lengths


def tokenize(doc: ParsedDocument, memo: "TokenMemo | None" = None) -> TokenStream:
    """The clone-detection tokens of a parsed document; ``memo`` (kept across versions of a file) replays
    the tokens of statements seen before instead of walking them again: the same stream, cheaper."""
    stream = TokenStream(doc.language, content_hash=content_hash(doc.source))
    try:
        check_nesting(doc.root)
        _walk(doc, *_actions(doc.language), stream, memo)
        _long_strings_by_content(doc.source, stream)
    except NestingTooDeep:   # a file not analysed has no clones either
        stream = TokenStream(doc.language, content_hash=stream.content_hash)
    _add_lines(doc.source, stream)
    return stream


_UINT = f"u{array('I').itemsize}"   # numpy's dtype of an array('I')


def _newlines(source: bytes) -> "NDArray[Any]":
    import numpy as np
    return np.flatnonzero(np.frombuffer(source, dtype=np.uint8) == 10)


def _to_array(values: "NDArray[Any]") -> array[int]:
    return array("I", values.astype(_UINT).tobytes())


def _add_lines(source: bytes, stream: TokenStream) -> None:
    """Fill ``line_starts`` and each token's start line (a binary search per token, in numpy)."""
    if not numpy_enabled():
        _add_lines_loop(source, stream)
        return
    import numpy as np
    line_starts = np.concatenate(([0], _newlines(source) + 1))
    stream.line_starts = _to_array(line_starts)
    stream.lines = _to_array(np.searchsorted(line_starts, np.frombuffer(stream.starts, dtype=_UINT), side="right"))


def _add_lines_loop(source: bytes, stream: TokenStream) -> None:
    """The plain definition of ``_add_lines`` (the tests compare both; the language server's path)."""
    # the byte after each newline: running sums of (line length + 1), in C (map, accumulate)
    starts = list(accumulate(map((1).__add__, map(len, source.split(b"\n")[:-1])), initial=0))
    stream.line_starts = array("I", starts)
    stream.lines = array("I", map(partial(bisect_right, starts), stream.starts))


def _walk(doc: ParsedDocument, actions: dict[int, int], lengths: dict[int, int], out: TokenStream,
          memo: "TokenMemo | None" = None) -> None:
    """Pre-order walk: inner nodes are descended (a block opens a block token), the others are tokens;
    the children of statement lists are recorded as statements (token ranges).

    The hot loop of clone detection (one pass per node, ~9M nodes on the CPython stdlib), so it is
    written for the interpreter: the kind -> action table is a list, the four values of each token go
    to one flat list (split into the arrays once, at the end), the flags of the innermost open ancestor
    are kept in a local; only the climb is a call (once per last child). With a ``memo``, a statement
    whose tokens it holds is replayed and not descended (its action becomes _IMPORT's: skipped)."""
    src = doc.source
    table = _table(actions)
    buf: list[int] = []   # raw hash, normalised hash, start byte, end byte of each token in turn
    cursor = doc.tree.walk()
    first_child, next_sibling = cursor.goto_first_child, cursor.goto_next_sibling
    statements = _Statements()
    visit = statements.visit
    flags: list[int] = [0]   # per open ancestor (after a root sentinel): _CLOSE | _LIST
    top = 0                  # flags[-1]
    ignoring = False
    enter = memo.begin() if memo is not None else _no_memo
    while True:
        node: Node = cursor.node  # type: ignore[assignment]  # tree-sitter types it Optional; a cursor on a tree is on a node
        action = table[node.kind_id]
        if top & _LIST:
            visit(len(buf) >> 2, node.is_named)
            action = enter(node, src, len(flags), buf, statements, action, ignoring)
        if action <= _BLOCK_LIST and first_child():   # cheaper than asking child_count first
            top = action and _enter(node, action, ignoring, buf, statements)
            flags.append(top)
            if len(flags) > MAX_TREE_DEPTH + 1:
                raise NestingTooDeep.tree()
            continue
        start, end = node.start_byte, node.end_byte
        if action == _COMMENT:
            ignoring = _ignore_state(src[start:end], ignoring, memo)
        elif end > start and not ignoring and (action > _ANONYMOUS or action >= _IDENT or action == _LEAF):
            # keyword / operator / punctuation: ``action`` is the CRC of its text (else the node is aliased)
            raw = action if action > _ANONYMOUS and end - start == lengths[action] else crc32(src[start:end])
            buf += (raw, _NORMALISED.get(action, raw), start, end)
        if next_sibling():
            continue
        if not _climb(cursor, flags, buf, statements, memo):
            _finish(buf, statements, memo, out)
            return
        top = flags[-1]


def _no_memo(node: Node, src: bytes, depth: int, buf: list[int], statements: "_Statements", action: int,
             ignoring: bool) -> int:
    """``TokenMemo.enter`` of a walk without a memo: every statement is walked."""
    return action


def _finish(buf: list[int], statements: "_Statements", memo: "TokenMemo | None", out: TokenStream) -> None:
    """The walk's tokens (with a memo's replayed pieces spliced in) and statements into ``out``."""
    statements.store(len(buf) >> 2, out)
    _split(compose(buf, memo.pieces) if memo is not None and memo.pieces else buf, out)


def _climb(cursor: TreeCursor, flags: list[int], buf: list[int], statements: "_Statements",
           memo: "TokenMemo | None" = None) -> bool:
    """Up (closing blocks and statement lists) until an ancestor has a next sibling, and to it; False at
    the root."""
    parent, next_sibling = cursor.goto_parent, cursor.goto_next_sibling
    while parent():
        left = flags.pop()
        if left & _LIST:   # its last statement ends before the block-close token
            statements.close(len(buf) >> 2)
        if left & _CLOSE:
            end = cursor.node.end_byte  # type: ignore[union-attr]  # tree-sitter: Optional, never None on a tree
            buf += (BLOCK_CLOSE, BLOCK_CLOSE, end, end)
        if memo is not None and memo.marks and memo.marks[-1][0] == len(flags):
            memo.leave(buf, statements)
        if next_sibling():
            return True
    return False


_KIND_IDS = 1 << 16   # tree-sitter symbols are 16-bit (the ERROR node is 65535)
_tables: dict[int, tuple[dict[int, int], list[int]]] = {}   # id(actions) -> (actions, as a list)


def _table(actions: dict[int, int]) -> list[int]:
    """``actions`` as a list indexed by kind id (_LEAF where absent); cached per actions dict (one per
    language, from ``_actions``)."""
    cached = _tables.get(id(actions))
    if cached is not None and cached[0] is actions:
        return cached[1]
    table = [_LEAF] * _KIND_IDS
    for kind_id, action in actions.items():
        table[kind_id] = action
    if len(_tables) < 64:
        _tables[id(actions)] = (actions, table)
    return table


def _split(buf: "list[int] | array[int]", out: TokenStream) -> None:
    """The flat (raw, norm, start, end) list into the stream's four arrays."""
    flat = buf if isinstance(buf, array) else array("I", buf)
    out.raw, out.norm, out.starts, out.ends = flat[0::4], flat[1::4], flat[2::4], flat[3::4]


_NORMALISED = {_IDENT: ID, _LITERAL: LIT, _STRING: LIT}   # other tokens: normalised hash = raw hash


def _long_strings_by_content(src: bytes, stream: TokenStream) -> None:
    """A long literal is a template / embedded script / heredoc rather than a message: its content is
    what it does, so its normalised hash is its raw hash (numbers and chars are never this long).
    In numpy: the newlines inside each literal counted by binary search over the newline offsets."""
    if not numpy_enabled():
        _long_strings_loop(src, stream)
        return
    import numpy as np
    norm = np.frombuffer(stream.norm, dtype=_UINT)
    literals = np.flatnonzero(norm == LIT)
    if not len(literals):
        return
    first = np.frombuffer(stream.starts, dtype=_UINT)[literals].astype(np.int64)
    last = np.frombuffer(stream.ends, dtype=_UINT)[literals].astype(np.int64)
    newlines = _newlines(src)
    inner = np.searchsorted(newlines, last) - np.searchsorted(newlines, first)   # newlines in [start, end)
    long = literals[((last - first) >= LONG_STRING_BYTES) | (inner >= LONG_STRING_LINES - 1)]
    if len(long):
        updated = norm.copy()
        updated[long] = np.frombuffer(stream.raw, dtype=_UINT)[long]
        del norm   # the view pins the array's buffer
        stream.norm = _to_array(updated)


def _long_strings_loop(src: bytes, stream: TokenStream) -> None:
    """The plain definition of ``_long_strings_by_content`` (the tests compare both)."""
    norm, raw, starts, ends = stream.norm, stream.raw, stream.starts, stream.ends
    for i in compress(range(len(norm)), map(LIT.__eq__, norm)):
        start, end = starts[i], ends[i]
        if end - start >= LONG_STRING_BYTES or src.count(b"\n", start, end) >= LONG_STRING_LINES - 1:
            norm[i] = raw[i]


def _enter(node: Node, action: int, ignoring: bool, buf: list[int], statements: "_Statements") -> int:
    """Entering a block or a statement list: emit the block-open token of an indented block (unless
    ignored) and start the list's statements; the node's flags (_CLOSE: its block-close is due)."""
    flags = action & _LIST
    if flags:
        statements.open()
    if action & _BLOCK and not ignoring:
        start = node.start_byte
        buf += (BLOCK_OPEN, BLOCK_OPEN, start, start)
        flags |= _CLOSE
    return flags


class TokenMemo:
    """Statement tokens by statement text, kept across versions of a file (the report's blob versions: most
    statements of one version recur unchanged in the next).

    A statement (a child of a statement list with at least UNIT_NODES nodes, error-free) is keyed by its
    kind, node count and text; its tokens are stored relative to its start byte, with the statements of its
    inner lists (token ranges relative to its first token, list ordinals relative to its first list). Such
    a statement's tokens depend only on its own tree, except through ``guardline: ignore-start/end``
    comments: a statement walked while ignoring, or holding one, is not stored. At most MAX_OPEN
    statements are recorded at once (the outer ones: an inner one is stored only within a stored outer one),
    so a cold file copies each token at most MAX_OPEN times.

    A replayed statement's tokens are not copied into the walk's buffer: they are kept as a piece (buffer
    position, stored tokens, shift) and spliced in once at the end (``compose``; in numpy when enabled)."""

    UNIT_NODES = 32
    MAX_OPEN = 3
    MAX_TOKENS = 2_000_000      # then start afresh (~32 MB of token arrays)

    __slots__ = ("units", "marks", "pieces", "tokens", "hits")

    def __init__(self) -> None:
        self.units: dict[tuple[int, int, int, int], tuple[array[int], list[tuple[int, int, int]], int]] = {}
        # open statements: [depth, key, start byte, buffer length, pieces, first token, found statements,
        # lists, spoiled]
        self.marks: list[list[Any]] = []
        self.pieces: list[tuple[int, array[int], int]] = []   # (buffer length, relative tokens, start byte)
        self.tokens = 0
        self.hits = 0

    def begin(self) -> Callable[[Node, bytes, int, list[int], "_Statements", int, bool], int]:
        """A walk starts: its ``enter``."""
        self.marks.clear()      # a walk that raised (nesting too deep) left its open statements
        self.pieces = []
        return self.enter

    def enter(self, node: Node, src: bytes, depth: int, buf: list[int], statements: "_Statements",
              action: int, ignoring: bool) -> int:
        """The walk reaches statement ``node`` (``action``: its walk action): replay it (returns _IMPORT:
        not descended), or start recording it (returns ``action``)."""
        if action > _BLOCK_LIST or ignoring or node.descendant_count < self.UNIT_NODES or node.has_error:
            return action
        start = node.start_byte
        key = (node.kind_id, node.descendant_count, node.end_byte - start, hash(src[start:node.end_byte]))
        unit = self.units.get(key)
        if unit is not None:
            flat, inner, lists = unit
            at = (len(buf) >> 2) + statements.base
            self.pieces.append((len(buf), flat, start))
            base = statements.lists
            statements.found += [(first + at, last + at, ordinal + base) for first, last, ordinal in inner]
            statements.lists += lists
            statements.base += len(flat) >> 2
            self.hits += 1
            return _IMPORT
        if len(self.marks) < self.MAX_OPEN:
            self.marks.append([depth, key, start, len(buf), len(self.pieces), (len(buf) >> 2) + statements.base,
                               len(statements.found), statements.lists, False])
        return action

    def leave(self, buf: list[int], statements: "_Statements") -> None:
        """The walk left the innermost recorded statement: store its tokens (unless spoiled)."""
        _depth, key, start, buf_at, piece_at, at, found, lists, spoiled = self.marks.pop()
        if spoiled:
            return
        flat = compose(buf, self.pieces, buf_at, piece_at, -start)
        inner = [(first - at, last - at, ordinal - lists) for first, last, ordinal in statements.found[found:]]
        if self.tokens + len(flat) // 4 > self.MAX_TOKENS:
            self.units.clear()
            self.tokens = 0
        self.units[key] = (flat, inner, statements.lists - lists)
        self.tokens += len(flat) // 4

    def spoil(self) -> None:
        for mark in self.marks:
            mark[8] = True


def compose(buf: list[int], pieces: list[tuple[int, array[int], int]], buf_at: int = 0, piece_at: int = 0,
            shift: int = 0) -> array[int]:
    """The flat (raw, norm, start, end) tokens of ``buf[buf_at:]`` with the replayed ``pieces[piece_at:]``
    spliced in at their buffer positions, byte positions moved by ``shift``."""
    if numpy_enabled() and len(buf) - buf_at + sum(len(piece[1]) for piece in pieces[piece_at:]) > 4096:
        return _compose_numpy(buf, pieces, buf_at, piece_at, shift)
    out = array("I")
    pos = buf_at
    for at, flat, start in pieces[piece_at:]:
        out.extend(_shifted(buf[pos:at], shift))
        out.extend(_shifted(flat, start + shift))
        pos = at
    out.extend(_shifted(buf[pos:], shift))
    return out


def _shifted(flat: "list[int] | array[int]", shift: int) -> Iterable[int]:
    """Flat (raw, norm, start, end) tokens with their byte positions moved by ``shift``."""
    return map(add, flat, cycle((0, 0, shift, shift))) if shift else flat


def _compose_numpy(buf: list[int], pieces: list[tuple[int, array[int], int]], buf_at: int, piece_at: int,
                   shift: int) -> array[int]:
    """``compose`` with one numpy addition: the pieces are concatenated as they are (array concatenation,
    in C) and each token's shift is repeated from the per-piece shifts."""
    import numpy as np

    joined = array("I")
    shifts: list[int] = []
    counts: list[int] = []
    pos = buf_at
    for at, flat, start in pieces[piece_at:]:
        joined.extend(buf[pos:at])
        joined += flat
        shifts += (shift, start + shift)
        counts += ((at - pos) >> 2, len(flat) >> 2)
        pos = at
    joined.extend(buf[pos:])
    shifts.append(shift)
    counts.append((len(buf) - pos) >> 2)
    tokens = np.frombuffer(joined, dtype=_UINT).astype(np.int64).reshape(-1, 4)
    per_token = np.repeat(np.array(shifts, dtype=np.int64), counts)
    tokens[:, 2:] += per_token[:, None]
    return _to_array(tokens.reshape(-1))


class _Statements:
    """The statements of the open statement lists while the walk goes: a statement is a named child of
    a list, from its first token to the next child of the list (or the list's end). Token positions given
    to it count the walk's buffer; ``base`` adds the tokens replayed from a TokenMemo (not in the buffer)."""

    __slots__ = ("pending", "found", "lists", "base")

    def __init__(self) -> None:
        self.pending: list[list[int]] = []   # per open list: [its ordinal, start of the current statement or -1]
        self.found: list[tuple[int, int, int]] = []
        self.lists = 0
        self.base = 0

    def open(self) -> None:
        self.pending.append([self.lists, -1])
        self.lists += 1

    def visit(self, at: int, named: bool) -> None:
        """A child of the innermost open list starts at token ``at``: the previous one ends there."""
        at += self.base
        top = self.pending[-1]
        if at > top[1] >= 0:   # comments and imports hold no tokens: not statements
            self.found.append((top[1], at, top[0]))
        top[1] = at if named else -1

    def close(self, at: int) -> None:
        at += self.base
        ordinal, start = self.pending.pop()
        if at > start >= 0:
            self.found.append((start, at, ordinal))

    def store(self, at: int, out: TokenStream) -> None:
        while self.pending:   # the root list (and any list the walk ended inside)
            self.close(at)
        # by start, then the longer first: two stable sorts on C keys (a lambda key cost a call each)
        found = sorted(sorted(self.found, key=itemgetter(1), reverse=True), key=itemgetter(0))
        out.stmt_starts = array("I", [s[0] for s in found])
        out.stmt_ends = array("I", [s[1] for s in found])
        out.stmt_lists = array("I", [s[2] for s in found])


def _ignore_state(comment: bytes, ignoring: bool, memo: "TokenMemo | None" = None) -> bool:
    """Whether the tokens after ``comment`` are ignored; a change spoils the statements ``memo`` is
    recording (their tokens then depend on what precedes them)."""
    if b"guardline:" not in comment:
        return ignoring
    state = True if IGNORE_START in comment else False if IGNORE_END in comment else ignoring
    if state != ignoring and memo is not None:
        memo.spoil()
    return state
