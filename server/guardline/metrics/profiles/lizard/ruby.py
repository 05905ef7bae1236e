"""lizard 1.24's Ruby reader, replayed on the tree.

lizard's Ruby reader only knows `def` (and RSpec `it` blocks), counts `if elsif until for while
rescue ensure when and or && || ?` as tokens, and closes a function at the first `end` it cannot
match (`case`, `until` and `x = if ...` do not open a block for it). Its tokenizer reads heredocs,
`/regex/` after some characters and the rest of a %-literal it ends early as code.
"""

from __future__ import annotations

import re
from typing import Iterator

from tree_sitter import Node, TreeCursor

from guardline.languages.base import parent_of
from guardline.languages.ruby import BLOCKS
from guardline.metrics.profiles.base import LizardRules

LIZARD_OPENERS = frozenset({"begin", "do", "class", "module", "{", "#{"})
LIZARD_CLOSERS = frozenset({"end", "}"})
# method names that are block words for lizard: `range.end` closes its block, `x.begin` opens none
LIZARD_BLOCK_WORDS = frozenset({b"end", b"begin", b"do", b"class", b"module"})
OPAQUE = frozenset({"string", "regex", "delimited_symbol", "subshell", "string_array", "symbol_array",
                    "heredoc_body", "simple_symbol", "character", "comment", "heredoc_beginning"})


def _lizard_merge(node: Node, _inside_function: bool) -> bool:
    """lizard sees no function in a block, except an RSpec `it "..." do ... end` block."""
    if node.type not in BLOCKS:
        return False
    call = parent_of(node)
    method = call.child_by_field_name("method") if call is not None and call.type == "call" else None
    return not (call is not None and method is not None and method.text == b"it"
                and call.child_by_field_name("receiver") is None)


def _lizard_body_end(node: Node) -> int | None:
    """Byte offset where lizard's Ruby state machine closes a `def`: at the first `end` / `}` that
    closes nothing it opened. `begin do class module { #{` open; `if` / `unless` open only as the
    first token of a line (or after `;`), `while` / `for` too; `case` and `until` never do."""
    if node.type not in ("method", "singleton_method"):
        return None
    name = node.child_by_field_name("name")
    tokens = _lizard_tokens(node, name.id if name is not None else None)
    first = next(tokens, None)                       # the `def` keyword itself
    if first is None:
        return None
    reader = _DefReader(first[0].end_point[0], first[1])
    for leaf, kind in tokens:
        end = reader.feed(leaf, kind)
        if end is not None:
            return end
    return None


def _lizard_tokens(node: Node, name_id: int | None) -> Iterator[tuple[Node, str]]:
    """(leaf, kind) of the tokens lizard reads in node, in order: opaque nodes such as strings are
    single tokens, comments and empty nodes none, a block word used as a method name that word."""
    cursor = node.walk()
    while True:
        current = cursor.node
        if current is None:
            return
        kind = current.type
        if current.child_count and kind not in OPAQUE:
            cursor.goto_first_child()
            continue
        text = current.text or b""
        if kind == "identifier" and text in LIZARD_BLOCK_WORDS and current.id != name_id:
            kind = text.decode()    # `r.end`, `x.class`: the bare word for lizard's reader
        if kind not in ("comment", "heredoc_body") and current.end_byte > current.start_byte:
            yield current, kind
        if not _next_branch(cursor, node.id):
            return


def _next_branch(cursor: TreeCursor, root_id: int) -> bool:
    """Move the cursor to the next node after its subtree; False once the root's subtree is done."""
    while not cursor.goto_next_sibling():
        if not cursor.goto_parent():
            return False
        parent = cursor.node
        if parent is None or parent.id == root_id:
            return False
    return True


class _DefReader:
    """lizard's block depth inside one `def`, fed token by token."""
    __slots__ = ("depth", "row", "previous", "pending_if")

    def __init__(self, row: int, previous: str):
        self.depth = 0
        self.row = row                # end row of the previous token
        self.previous = previous      # kind of the previous token
        self.pending_if = False       # `x = if c then`: lizard opens at `then`

    def feed(self, leaf: Node, kind: str) -> int | None:
        """The byte offset where the `def` ends if this token closes it, else None."""
        new_line = leaf.start_point[0] != self.row
        if kind in PERCENT_TYPES and (remainder := _percent_remainder(leaf)) is not None:
            end = self._read_as_code(leaf.start_byte, remainder)
            if end is not None:
                return end
        else:
            action = _BLOCK_ACTIONS.get(kind)
            if action is not None and action(self, new_line or self.previous == ";"):
                return leaf.end_byte
        if new_line and kind != "then":
            self.pending_if = self.pending_if and kind in _IF_WORDS
        self.row = leaf.end_point[0]
        self.previous = kind
        return None

    def _read_as_code(self, start_byte: int, remainder: tuple[int, bytes]) -> int | None:
        """The part of a %-literal after lizard's early close is code: its block words count."""
        offset, raw = remainder
        text = raw.decode("utf-8", "replace")
        for match in LIZARD_TOKEN.finditer(text):
            word = match.group()
            if word in _CODE_OPENERS:
                self.depth += 1
            elif word in _CODE_CLOSERS:
                self.depth -= 1
                if self.depth < 0:
                    return start_byte + offset + len(text[:match.end()].encode())
        return None

    # actions return True when the token closes the `def` itself
    def _open(self, _line_start: bool) -> bool:
        if self.previous != ".":      # `x.begin`, `x.class`: a method call, no block
            self.depth += 1
        return False

    def _open_at_line_start(self, line_start: bool) -> bool:
        if line_start:                # `x while c` is a modifier: no block
            self.depth += 1
        return False

    def _if(self, line_start: bool) -> bool:
        if line_start:
            self.depth += 1
        else:
            self.pending_if = True    # a modifier, or `x = if c then`: decided at `then`
        return False

    def _then(self, _line_start: bool) -> bool:
        if self.pending_if:
            self.depth += 1
        return False

    def _close(self, _line_start: bool) -> bool:
        self.depth -= 1
        return self.depth < 0


_IF_WORDS = frozenset({"if", "unless"})
_CODE_OPENERS = frozenset({"{", "do", "begin", "class", "module"})
_CODE_CLOSERS = frozenset({"}", "end"})
_BLOCK_ACTIONS = {
    **dict.fromkeys(LIZARD_OPENERS, _DefReader._open),
    "while": _DefReader._open_at_line_start, "for": _DefReader._open_at_line_start,
    "if": _DefReader._if, "unless": _DefReader._if,
    "then": _DefReader._then,
    **dict.fromkeys(LIZARD_CLOSERS, _DefReader._close),
}


LIZARD_WORDS = frozenset({"if", "elsif", "until", "for", "while", "rescue", "ensure", "when", "and", "or",
                          "||", "&&", "?"})
# lizard's Ruby tokenizer, reduced to what decides which condition tokens it sees in raw text
LIZARD_TOKEN = re.compile(r"#[^\n]*|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*?'|\w+:|\$\w+|\.+"
                          r"|:?@{0,2}\w+\??!?|\|\||&&|\S", re.S)
# lizard recognises `/re/` only after one of these characters (else it reads the regex as code)
REGEX_OPENERS = frozenset("=,({[?:!&|;")


def _lizard_words(text: bytes) -> int:
    return sum(1 for token in LIZARD_TOKEN.findall(text.decode("utf-8", "replace")) if token in LIZARD_WORDS)


# lizard's tokenizer ends a `%r{...}` / `%w(...)` literal at the first closing delimiter, even one
# of a nested `{7,12}` or `#{...}`: the rest of the literal is read as code.
PERCENT_CLOSER = {ord("{"): b"}", ord("("): b")", ord("["): b"]", ord("<"): b">"}
_PERCENT_HEAD = re.compile(rb"%[qQrwiI]?([{(\[<])")


def _percent_remainder(node: Node) -> tuple[int, bytes] | None:
    """(offset, text) of the part of a %-literal lizard reads as code, or None."""
    text = node.text or b""
    head = _PERCENT_HEAD.match(text)
    if head is None:
        return None
    closer = PERCENT_CLOSER[text[head.end() - 1]]
    at = head.end()
    while at < len(text):
        char = text[at:at + 1]
        if char == b"\\":
            at += 2
            continue
        if char == closer:
            return (at + 1, text[at + 1:]) if at + 1 < len(text) else None
        at += 1
    return None


def _previous_char(node: Node) -> str:
    """The last character of the token before ``node`` (lizard's regex-or-division test)."""
    current: Node | None = node
    while current is not None and current.prev_sibling is None:
        current = parent_of(current)
    previous = current.prev_sibling if current is not None else None
    if previous is None:
        return ""
    text = previous.text or b""
    return text.decode("utf-8", "replace").rstrip()[-1:]


# Method names spelled like a condition word are still that token for lizard: `URI.for(x)` and
# `def self.for` count +1 (a hash key `for:` or a symbol `:for` is one other token).
LIZARD_NAME_WORDS = frozenset({b"if", b"elsif", b"until", b"for", b"while", b"rescue", b"ensure", b"when",
                               b"and", b"or"})
# Node types lizard reads as text (heredoc bodies, `/regex/`): the words of their text are counted by
# _lizard_extra; what tree-sitter finds in their interpolations must not count a second time.
LIZARD_TEXT_TYPES = frozenset({"heredoc_body", "regex"})
PERCENT_TYPES = frozenset({"string", "regex", "string_array", "symbol_array", "delimited_symbol", "subshell"})


_INTERPOLATION_REACH = 10  # ancestor levels searched for the enclosing `#{...}` (Node.parent is O(depth))
# statement containers: an interpolation is never above them (keeps the search short in deep code)
_STATEMENT_LEVEL = frozenset({"method", "singleton_method", "class", "module", "program", "body_statement",
                              "then", "else", "elsif", "if", "unless", "while", "until", "for", "case",
                              "when", "begin", "ensure", "rescue", "do"})


def _inside_lizard_text(node: Node) -> bool:
    """Inside a `#{...}` of text lizard reads as code (heredoc, `/regex/`, split %-literal)."""
    parent = parent_of(node)
    for _ in range(_INTERPOLATION_REACH):
        if parent is None or parent.type in _STATEMENT_LEVEL:
            return False
        if parent.type == "interpolation":
            return _is_read_as_text(parent_of(parent))
        parent = parent_of(parent)
    return False


def _is_read_as_text(literal: Node | None) -> bool:
    if literal is None:
        return False
    if literal.type == "heredoc_body":
        return True
    if literal.type == "regex" and (literal.text or b"").startswith(b"/"):
        return True
    return literal.type in PERCENT_TYPES and _percent_remainder(literal) is not None


def _lizard_token_counts(node: Node) -> bool:
    """A condition token inside a heredoc or `/regex/` interpolation: lizard reads `#{` there as the
    start of a comment (heredoc) or the regex as one token, so it does not count."""
    return not _inside_lizard_text(node)


def _lizard_extra(node: Node) -> int:
    """lizard reads a character literal `?a` as the ternary `?`; it tokenizes a heredoc's text as
    code, and a `/regex/` too unless punctuation precedes it (`when /a?/` counts the `?`).
    `$?` is `$` and a ternary `?` for its tokenizer; a method named `for` is the `for` token."""
    kind = node.type
    if kind == "identifier":
        return _name_word_points(node)
    if kind == "global_variable":
        return 1 if node.text == b"$?" and not _inside_lizard_text(node) else 0
    if not node.child_count:
        return 0
    points = 0
    for child in node.children:
        if child.type in _READ_AS_TEXT:
            points += _text_points(child)
    return points


def _name_word_points(node: Node) -> int:
    if node.text not in LIZARD_NAME_WORDS or _inside_lizard_text(node):
        return 0
    # `def for`: lizard counts the name before it opens the method (`def self.for`: after)
    parent = parent_of(node)
    is_def_name = parent is not None and parent.type == "method" and \
        parent.child_by_field_name("name") == node
    return 0 if is_def_name else 1


def _text_points(literal: Node) -> int:
    """Conditions lizard counts in a literal it reads (partly) as code."""
    kind = literal.type
    if kind == "character":
        return 0 if _inside_lizard_text(literal) else 1
    if kind in PERCENT_TYPES and (remainder := _percent_remainder(literal)) is not None:
        return _lizard_words(remainder[1])
    if kind == "heredoc_body":
        return _lizard_words(literal.text or b"")
    if kind == "regex" and (literal.text or b"").startswith(b"/") and \
            _previous_char(literal) not in REGEX_OPENERS:
        return _lizard_words(literal.text or b"")
    return 0


_READ_AS_TEXT = PERCENT_TYPES | {"character", "heredoc_body"}


RULES = LizardRules(
    tokens=frozenset({"if", "elsif", "until", "for", "while", "rescue", "ensure", "when",
                      "and", "or", "&&", "||", "&&=", "||=", "?"}),
    extra=_lizard_extra,
    token_filter=_lizard_token_counts,
    merge=_lizard_merge,
    body_end=_lizard_body_end,
)
