"""lizard 1.24's JavaScript reader (TypeScriptReader and its states), replayed on the tree.

lizard reads tokens, not a syntax tree: it counts condition words wherever they appear, reads
regexes it does not recognise as code, guesses arrow functions at a `(` and abandons them, and
closes a function where its nested readers return (an expression-bodied arrow at a new line, a
block body early at a `]` inside call arguments). Each rule below says which of these it replays;
the disagreements left are listed in docs/metrics/javascript-typescript.md. TypeScript and TSX:
guardline.metrics.profiles.lizard.typescript.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from tree_sitter import Node

from guardline.languages.base import first_leaf, leaf_after, leaf_before, parent_of
from guardline.languages.javascript import FUNCTION_TYPES, LAMBDA_TYPES
from guardline.metrics.profiles.base import LizardRules

_TRAILING_WORD = re.compile(rb"\w+$")

# lizard 1.24's condition tokens for JavaScript/TypeScript (TypeScriptReader): `?` is the ternary
# (and, being a plain token, also conditional types and mapped-type modifiers), `??` counts too.
LIZARD_TOKENS = frozenset({"if", "for", "while", "catch", "case", "&&", "||", "??", "?",
                           "&&=", "||=", "??="})   # read as `&&` `=` by its tokenizer
# lizard's tokenizer reads a template literal's `${...}` and a regex as single tokens.
LIZARD_OPAQUE = frozenset({"template_substitution", "regex"})
# Every default in a binding pattern (`(a = 1)`, `{b = 2}`) is one more path for lizard.
LIZARD_DEFAULT_TYPES = frozenset({"assignment_pattern", "object_assignment_pattern"})

# lizard matches condition words as plain tokens: `promise.catch(...)`, `{ if: 1 }` count too.
LIZARD_WORDS = frozenset({b"if", b"for", b"while", b"catch", b"case"})
LIZARD_WORD_TYPES = frozenset({"property_identifier", "identifier", "shorthand_property_identifier",
                               "shorthand_property_identifier_pattern", "statement_identifier"})


# lizard's tokenizer takes `/.../` for a regex only after one of these characters (and spaces);
# elsewhere (`return /^-?0/.test(x)`) it reads the regex text as code and counts its `?`.
_REGEX_OPENERS = frozenset(b"=,({[?:!&|;")
_CODE_TOKEN = re.compile(r"\w+\?(?![?.])|\?\?|\?\.(?!\d)|&&|\|\||\w+|\S")
_CODE_CONDITIONS = frozenset({"?", "&&", "||", "??", "if", "for", "while", "catch", "case"})


def _regex_read_as_code(regex: Node) -> int:
    """Conditions lizard counts in a regex it does not recognise as one."""
    prev = leaf_before(regex)
    if prev is None:
        return 0
    last = (prev.text or b"").rstrip()[-1:]
    if last and last[0] in _REGEX_OPENERS:
        return 0
    text = (regex.text or b"").decode("utf-8", "replace")
    return sum(1 for token in _CODE_TOKEN.findall(text) if token in _CODE_CONDITIONS)


def lizard_default(node: Node) -> int:
    """Defaults in binding patterns, condition words used as names, regexes read as code."""
    if node.type == "regex":
        return 0
    points = 0
    for child in node.children:
        if child.type == "regex":
            points += _regex_read_as_code(child)
    if points:
        return points
    if node.type in LIZARD_DEFAULT_TYPES:
        return 0 if in_abandoned_parens(node) or in_member_arrow_parameters(node) else 1
    if node.type in LIZARD_WORD_TYPES and node.child_count == 0 and node.text in LIZARD_WORDS:
        return 0 if in_abandoned_parens(node) else 1
    return 0


# ---- lizard's optimistic arrow functions
# At a `(` right after `name =` (variable, class field), after `key:` in an object literal or after
# `...` in one, lizard's reader starts a function, guessing an arrow `(params) => ...`. When the
# token after the matching `)` is not `=>` (nor `{`, `:`) it abandons that function and everything
# it counted: the conditions inside the parentheses and that next token (`(a || b) ? x : y` counts
# nothing). A `(` or `function` right after the opening one (`((a || b))`) abandons at once: those
# count.
_ASSIGN_TARGETS = {"variable_declarator": "name", "assignment_expression": "left",
                   "field_definition": "property", "public_field_definition": "name"}
_NAME_TARGETS = frozenset({"identifier", "property_identifier", "private_property_identifier"})
_KEEPS_FUNCTION = frozenset({b"=>", b"{", b":"})


def _is_optimistic_arrow(paren: Node) -> bool:
    """A parenthesized expression lizard first reads as the parameters of an arrow function."""
    if paren.child_count < 2 or first_leaf(paren.children[1]).type in ("(", "function"):
        return False    # `((a || b))`, `(function () {})`: lizard gives up the guess at once
    prev = leaf_before(paren)
    holder = parent_of(prev) if prev is not None else None
    if prev is None or holder is None or not _guesses_arrow_after(prev, holder):
        return False
    after = leaf_after(paren)
    return after is None or after.text not in _KEEPS_FUNCTION


def _guesses_arrow_after(prev: Node, holder: Node) -> bool:
    """`name = (`, `key: (`, `{...(`: tokens after which lizard takes a `(` for arrow parameters."""
    if prev.type == "=" and holder.type in _ASSIGN_TARGETS:
        target = holder.child_by_field_name(_ASSIGN_TARGETS[holder.type])
        return target is not None and target.type in _NAME_TARGETS
    if prev.type == ":" and holder.type == "pair":
        key = holder.child_by_field_name("key")
        return key is not None and key.type == "property_identifier"
    element_parent = parent_of(holder)
    return prev.type == "..." and holder.type == "spread_element" and element_parent is not None \
        and element_parent.type == "object"


# Inside an object literal or pattern, outside a `key: value`, `name(` is a method to lizard:
# `{ status = hasSubscribers() ? {} : undefined }` starts a method `hasSubscribers`, abandoned at
# the `?`: the call's conditions and that `?` count nowhere.
_TO_OBJECT_ELEMENT = frozenset({"binary_expression", "ternary_expression", "unary_expression",
                                "await_expression", "member_expression"})


def _is_optimistic_method(args: Node) -> bool:
    call = parent_of(args)
    if call is None or call.type != "call_expression" or call.child_by_field_name("arguments") != args:
        return False
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "identifier":
        return False
    current = call
    holder = parent_of(current)
    while holder is not None and holder.type in _TO_OBJECT_ELEMENT:
        current, holder = holder, parent_of(holder)
    if holder is None:
        return False
    if holder.type == "object_assignment_pattern" and holder.child_by_field_name("right") == current:
        element_parent = parent_of(holder)
    elif holder.type == "spread_element":
        element_parent = parent_of(holder)
    else:
        return False
    if element_parent is None or element_parent.type not in ("object", "object_pattern"):
        return False
    after = leaf_after(args)
    return after is None or after.text not in _KEEPS_FUNCTION


def _is_abandoned(group: Node) -> bool:
    if group.type == "parenthesized_expression":
        return _is_optimistic_arrow(group)
    return group.type == "arguments" and _is_optimistic_method(group)


def in_abandoned_parens(node: Node) -> bool:
    """Inside an optimistic arrow (or object method) lizard abandons, or the token right after its `)`."""
    before = leaf_before(node) if node.child_count == 0 else None
    group = parent_of(before) if before is not None and before.type == ")" else None
    if group is not None and _is_abandoned(group):
        return True
    parent = parent_of(node)
    while parent is not None and parent.type not in _WALK_STOP:
        if _is_abandoned(parent):
            return True
        parent = parent_of(parent)
    return False


# an abandoned `(...)` holds expressions only: the ancestor walk stops at a statement boundary
_WALK_STOP = frozenset({"statement_block", "program", "class_body", "expression_statement",
                        "lexical_declaration", "variable_declaration", "return_statement"})


def in_member_arrow_parameters(node: Node) -> bool:
    """`obj.f = (a = 1) => ...`: after `obj.f =` lizard reads the `(` as a call (the token before the
    `=` was a `.` member), so defaults in these parameters are no decisions for it."""
    parent = parent_of(node)
    while parent is not None and parent.type != "formal_parameters":
        if parent.type in FUNCTION_TYPES or parent.type in LAMBDA_TYPES:
            return False
        parent = parent_of(parent)
    arrow = parent_of(parent) if parent is not None else None
    holder = parent_of(arrow) if arrow is not None and arrow.type == "arrow_function" else None
    if holder is None or holder.type != "assignment_expression":
        return False
    left = holder.child_by_field_name("left")
    return left is not None and left.type == "member_expression" and \
        holder.child_by_field_name("right") == arrow


def lizard_token_counts(node: Node) -> bool:
    """JavaScript: the glued `word?` rule, and tokens lizard drops with an abandoned arrow."""
    return lizard_question_glued(node) and not in_abandoned_parens(node)


# Tokens lizard's TypeScriptStates handles before its "new line ends the statement" rule, so
# starting a line with them does not close an expression-bodied arrow function.
_NOT_ENDING = frozenset({b".", b"?.", b"static", b"async", b"new", b"if", b"switch",
                         b"for", b"while", b"catch", b"else", b"do", b"try", b"final", b"=>", b"=",
                         b"(", b"[", b"{", b"}", b")", b"]", b"declare", b"type", b"interface",
                         b"abstract"})
_OPENERS = frozenset({"(", "{", "["})
_CLOSERS = frozenset({")", "}", "]"})
_LEAF_LIKE = frozenset({"string", "template_string", "regex", "jsx_text"})


# ---- where lizard's nested readers close a block body early
# lizard reads a call's `(...)` (no `name =` before it, no `.` in the statement) with a "binding
# candidate" reader that also returns at any `]`. A subscript inside (`foo(a[0])`, `(x || [])`)
# opens no reader of its own, so its `]` returns the candidate early and the call's `)` then closes
# the reader around it: a function body ends there for lizard, its later conditions count outside.
_CONDITION_WORDS = frozenset({b"if", b"for", b"while", b"switch", b"catch"})
_NOT_OPERAND = frozenset({b"const", b"let", b"var", b"return", b"throw", b"yield", b"await"})
_HANDLED_FIRST = frozenset({b"static", b"async", b"new", b"?", b":", b".", b"?.", b"function", b"if",
                            b"switch", b"for", b"while", b"catch", b"else", b"do", b"try", b"final",
                            b"=>", b"=", b"(", b"[", b"{", b"}", b")"})
_OBJECT_TYPES = frozenset({"object", "object_pattern", "class_body"})


class _Reader:
    __slots__ = ("kind", "prev", "name", "last")

    def __init__(self, kind: str):
        self.kind = kind      # plain | candidate | object | params | computed
        self.prev = b""       # lizard's _prev_token (a `.` sticks until a new statement)
        self.name = b""       # function_name set by `name =`
        self.last = b""

    def saw(self, text: bytes) -> None:
        if self.prev not in (b".", b"new"):
            self.prev = text
        self.last = text


def _is_operand(text: bytes) -> bool:
    return bool(text) and (chr(text[0]).isalnum() or text[:1] in (b"_", b"$", b"#", b"'", b'"', b"`")) \
        and text not in _NOT_OPERAND


def _open_paren(top: _Reader, parent_type: str, arrow_params: bool) -> _Reader:
    if top.kind == "object":
        return _Reader("params" if parent_type == "formal_parameters" else "plain")
    if top.prev in (b".", b"new") or top.prev in _CONDITION_WORDS:
        return _Reader("plain")
    if parent_type == "formal_parameters" and not top.name:
        return _Reader("candidate" if arrow_params else "params")
    if top.name:
        if top.last == top.name or top.prev in (b"=", b"async", b">"):
            return _Reader("params")
        top.name = b""
        return _Reader("plain")
    return _Reader("candidate")


# Bodies larger than this replay nested functions as one balanced token: keeps deeply nested code
# linear (a nested function whose own body lizard ends early is then not seen from outside).
_INLINE_NESTED_MAX_BYTES = 20000


def _body_tokens(body: Node) -> Iterator[tuple[Node, str]]:
    """(leaf, parent type) in source order (parent types carried along: Node.parent is slow)."""
    skip_nested = body.end_byte - body.start_byte > _INLINE_NESTED_MAX_BYTES
    stack: list[tuple[Node, str]] = [(child, body.type) for child in reversed(body.children)]
    while stack:
        current, parent_type = stack.pop()
        kind = current.type
        if kind in ("comment", "html_comment"):
            continue
        if skip_nested and (kind in FUNCTION_TYPES or kind in LAMBDA_TYPES):
            yield current, "\0function"
            continue
        if current.child_count == 0 or kind in _LEAF_LIKE:
            yield current, parent_type
            continue
        # formal parameters of an arrow are read as a call's `(` by lizard (a binding candidate)
        child_parent = "arrow_parameters" if kind == "formal_parameters" and \
            parent_type == "arrow_function" else kind
        stack.extend((child, child_parent) for child in reversed(current.children))


class _BlockScanner:
    """lizard's stack of nested readers over the tokens of one `{}` function body."""
    __slots__ = ("stack", "row", "end")

    def __init__(self, row: int):
        self.stack = [_Reader("plain")]
        self.row = row        # last row seen: a token on a later row starts a new line
        self.end = 0          # end byte of the token that closed the outermost reader

    def run(self, tokens: Iterable[tuple[Node, str]]) -> bool:
        """Feed the tokens until the outermost reader closes (True) or they run out (False)."""
        stack = self.stack
        for leaf, parent_type in tokens:
            if parent_type == "\0function":
                stack[-1].saw(b"}")                   # a nested function replayed as one `{...}`
                self.row = leaf.end_point[0]
                continue
            text = leaf.text or b""
            top = stack[-1]
            new_line = leaf.start_point[0] > self.row
            self.row = leaf.end_point[0]
            if top.kind in _SKIPPING:
                self._skip(top, text)
                continue
            handler = _TOKEN_HANDLERS.get(text, _BlockScanner._other)
            if handler(self, top, text, leaf, parent_type, new_line):
                return True
        return False

    def _skip(self, top: _Reader, text: bytes) -> None:
        """Parameter lists and computed keys only balance their own brackets."""
        if top.kind == "computed":
            if text == b"]":
                self.stack.pop()
        elif text == b"(":
            self.stack.append(_Reader("params"))
        elif text == b")":
            self.stack.pop()

    def _member(self, top: _Reader, text: bytes, *_: object) -> bool:
        top.prev, top.last = b".", text
        return False

    def _open_paren(self, top: _Reader, text: bytes, _leaf: Node, parent_type: str, _new_line: bool) -> bool:
        arrow = parent_type == "arrow_parameters"
        self.stack.append(_open_paren(top, "formal_parameters" if arrow else parent_type, arrow))
        top.saw(text)
        return False

    def _open_bracket(self, top: _Reader, text: bytes, *_: object) -> bool:
        # a subscript `a[0]` (after an operand or a closing bracket) opens no reader
        if top.kind == "object":
            self.stack.append(_Reader("computed"))
        elif top.prev not in (b".", b")", b"]", b"}") and not _is_operand(top.prev):
            self.stack.append(_Reader("candidate"))
        top.saw(text)
        return False

    def _open_brace(self, top: _Reader, text: bytes, _leaf: Node, parent_type: str, _new_line: bool) -> bool:
        self.stack.append(_Reader("object" if parent_type in _OBJECT_TYPES else "plain"))
        top.saw(text)
        return False

    def _close_bracket(self, top: _Reader, text: bytes, *_: object) -> bool:
        # any `]` returns a binding candidate, even the `]` of a subscript inside it
        if top.kind == "candidate":
            self.stack.pop()
        else:
            top.saw(text)
        return False

    def _close(self, _top: _Reader, text: bytes, leaf: Node, *_: object) -> bool:
        stack = self.stack
        stack.pop()
        if not stack:
            self.end = leaf.end_byte
            return True
        if text == b")" and stack[-1].prev in _CONDITION_WORDS:
            stack[-1].prev = b""      # `if (...)` is over: what follows is a new statement
        return False

    def _other(self, top: _Reader, text: bytes, _leaf: Node, _parent_type: str, new_line: bool) -> bool:
        if text == b"=" and top.last and (chr(top.last[0]).isalpha() or top.last[:1] in (b"_", b"$", b"#")):
            top.name = top.last
        elif text == b"=>":
            top.name = b""
        elif (new_line and text not in _HANDLED_FIRST) or text == b";":
            top.name, top.prev = b"", b""    # a new statement
        top.saw(text)
        return False


_SKIPPING = frozenset({"params", "computed"})
_Handler = Callable[[_BlockScanner, _Reader, bytes, Node, str, bool], bool]
_TOKEN_HANDLERS: dict[bytes, _Handler] = {
    b".": _BlockScanner._member, b"?.": _BlockScanner._member,
    b"(": _BlockScanner._open_paren, b"[": _BlockScanner._open_bracket, b"{": _BlockScanner._open_brace,
    b"]": _BlockScanner._close_bracket, b")": _BlockScanner._close, b"}": _BlockScanner._close,
}


def lizard_block_end(node: Node, body: Node) -> int | None:
    """Byte offset where lizard's readers close a function's `{}` body, when before its real end."""
    tokens = _body_tokens(body)
    next(tokens, None)                                # the body's own `{`
    scanner = _BlockScanner(body.start_point[0])
    if scanner.run(tokens) and scanner.end < node.end_byte:
        return scanner.end
    return None


def lizard_arrow_end(node: Node) -> int | None:
    """Where lizard closes an arrow function with an expression body. lizard does not know where the
    expression ends: it reads on, past the body if need be, until a token that starts a line outside
    any bracket (that token still belongs to the arrow), a `;`, a `function`, a closing bracket of
    the enclosing construct, or the end of a `{ ... }` block at that level. Block bodies: see
    lizard_block_end."""
    body = node.child_by_field_name("body")
    if body is not None and body.type in ("statement_block", "class_body"):
        return lizard_block_end(node, body) if body.type == "statement_block" else None
    if node.type != "arrow_function" or body is None:
        return None
    return _expression_end(body, _arrow_token_row(node, body))


def _expression_end(body: Node, prev_row: int) -> int | None:
    depth = 0     # brackets opened since the body started (subscripts open none for lizard)
    for leaf in _leaves_from(body):
        if depth == 0:
            end = _top_level_end(leaf, prev_row)
            if end is not None:
                return end
        prev_row = leaf.end_point[0]
        if leaf.type in _OPENERS and not _is_subscript_bracket(leaf):
            depth += 1
        elif leaf.type in _CLOSERS and not _is_subscript_bracket(leaf):
            depth = max(0, depth - 1)
    return None


def _top_level_end(leaf: Node, prev_row: int) -> int | None:
    """Where the arrow ends if this token, outside any bracket of the body, ends it."""
    text = leaf.text or b""
    if text in (b";", b"function") or (leaf.type in _CLOSERS and not _is_subscript_bracket(leaf)):
        return leaf.start_byte
    if leaf.start_point[0] > prev_row and text not in _NOT_ENDING and not _is_ternary_colon(leaf):
        return leaf.end_byte
    block = parent_of(leaf) if text == b"{" else None
    return block.end_byte if block is not None else None


def _is_ternary_colon(leaf: Node) -> bool:
    parent = parent_of(leaf) if leaf.text == b":" else None
    return parent is not None and parent.type == "ternary_expression"


def _leaves_from(node: Node) -> Iterator[Node]:
    """The leaves of node, then those of everything after it in the file."""
    yield from _leaves(node)
    current: Node | None = node
    while current is not None:
        sibling = current.next_sibling
        while sibling is not None:
            yield from _leaves(sibling)
            sibling = sibling.next_sibling
        current = parent_of(current)


def _arrow_token_row(node: Node, body: Node) -> int:
    prev = body.prev_sibling
    return prev.end_point[0] if prev is not None else node.start_point[0]


def _is_subscript_bracket(leaf: Node) -> bool:
    """`a[i]` does not open a nested reader in lizard; an array literal `[a, b]` does."""
    parent = parent_of(leaf) if leaf.type in ("[", "]") else None
    return parent is not None and parent.type in ("subscript_expression", "computed_property_name")


def _leaves(node: Node) -> Iterator[Node]:
    """Leaf tokens of a subtree in source order (strings, templates, regexes as one token)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("comment", "html_comment"):
            continue
        if current.child_count == 0 or current.type in _LEAF_LIKE:
            yield current
            continue
        stack.extend(reversed(current.children))


def lizard_question_glued(node: Node) -> bool:
    """lizard's JS/TS tokenizer reads `word?` as one token (optional names), so a `?` written right
    after an identifier or number (`a?b:c`, `x?: T`) is no condition for it."""
    if node.type != "?":
        return True
    before = _leaf_before(node)
    if before is None or before.end_byte != node.start_byte:
        return True
    word = _TRAILING_WORD.search(before.text or b"")
    if word is None:
        return True
    # `$x?` and `#x?` are read as `$x` / `#x` then `?`: the `?` stays a condition
    return word.start() > 0 and (before.text or b"")[word.start() - 1:word.start()] in (b"$", b"#")


def _leaf_before(node: Node) -> Node | None:
    prev = node.prev_sibling
    while prev is not None and prev.child_count:
        prev = prev.children[-1]
    return prev


RULES = LizardRules(
    tokens=LIZARD_TOKENS,
    extra=lizard_default,
    token_filter=lizard_token_counts,
    opaque=LIZARD_OPAQUE,
    body_end=lizard_arrow_end,
)
