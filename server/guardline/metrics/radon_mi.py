"""radon 6's maintainability index for Python (`maintainability_profile = "radon"`), from tree-sitter.

`radon mi` computes, per file, ``mi_compute(V, G, LLOC, C%)``:
- V: Halstead volume by radon's HalsteadVisitor: only BinOp, UnaryOp, BoolOp, AugAssign and Compare
  count, each operator by its AST class name (``Add``, ``USub``, ``NotIn``...) and each operand by
  value (a name's id, an attribute's attr, a constant's value; any other expression is a distinct
  operand). Operands are distinct per innermost enclosing ``def`` name; a ``def``'s decorators,
  parameters and annotations are not visited.
- G: radon's module total complexity (module code, top-level functions, top-level classes, where
  each method also adds 1; closures and classes nested in functions or classes are not counted).
- LLOC and comment share from radon.raw on stripped physical lines grouped into logical lines: a
  logical line with a ``:`` token counts 2 unless its last ``:`` ends it; comment share =
  (comment tokens + lines of docstring-like multi-line strings) / SLOC * 100.
Everything is read from the tree-sitter leaves and nodes; the walks use explicit stacks.
"""

from __future__ import annotations

import ast
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from tree_sitter import Node

from guardline.languages.python import SPEC as PYTHON
from guardline.metrics.profiles.radon import PYTHON as RADON
from guardline.model import FileMetrics, FunctionMetrics
from guardline.parsing import ParsedDocument

BINARY_NAMES = {"+": "Add", "-": "Sub", "*": "Mult", "@": "MatMult", "/": "Div", "%": "Mod",
                "**": "Pow", "<<": "LShift", ">>": "RShift", "|": "BitOr", "^": "BitXor",
                "&": "BitAnd", "//": "FloorDiv"}
UNARY_NAMES = {"-": "USub", "+": "UAdd", "~": "Invert"}
COMPARE_NAMES = {"<": "Lt", "<=": "LtE", "==": "Eq", "!=": "NotEq", ">=": "GtE", ">": "Gt",
                 "<>": "NotEq", "in": "In", "not in": "NotIn", "is": "Is", "is not": "IsNot"}
CONSTANTS = {"true": True, "false": False, "none": None, "ellipsis": Ellipsis}
NAME_TYPES = frozenset({"identifier", "keyword_identifier"})
NOT_OPERANDS = frozenset({"comment", "line_continuation"})
OPEN_BRACKETS = frozenset("([{")
CLOSE_BRACKETS = frozenset(")]}")

NUMBER_TYPES = frozenset({"integer", "float"})
WRAPPERS = frozenset({"parenthesized_expression", "type"})   # no ast node of their own
PATTERN_TYPES = frozenset({"case_pattern", "dict_pattern", "keyword_pattern", "complex_pattern",
                           "list_pattern", "tuple_pattern", "union_pattern", "as_pattern"})
HALSTEAD_TYPES = frozenset({"binary_operator", "unary_operator", "not_operator", "boolean_operator",
                            "augmented_assignment", "comparison_operator", "chevron", "union_type"}) | PATTERN_TYPES
DECISION_TYPES = frozenset(RADON.nodes) | PYTHON.bool_types | {"else_clause", "match_statement"}
SCOPE_TYPES = frozenset({"function_definition", "class_definition", "lambda", "decorated_definition"}) \
    | RADON.opaque

# CC scopes, as radon's ComplexityVisitor nests its visitors
MODULE, CLASS, FUNC, OFF = "module", "class", "func", "off"


@dataclass
class Halstead:
    """radon's operator and operand tallies (distinct operands are (context, value) pairs)."""

    operators: int = 0
    operands: int = 0
    operators_seen: set[str] = field(default_factory=set)
    operands_seen: set[tuple[str | None, object]] = field(default_factory=set)

    def add(self, names: list[str], keys: list[object], context: str | None) -> None:
        self.operators += len(names)
        self.operands += len(keys)
        self.operators_seen.update(names)
        self.operands_seen.update((context, key) for key in keys)

    @property
    def volume(self) -> float:
        vocabulary = len(self.operators_seen) + len(self.operands_seen)
        total = self.operators + self.operands
        return total * math.log2(vocabulary) if vocabulary else 0.0


@dataclass
class Chunk:
    """A group of physical lines radon.raw tokenizes together (one logical line, or a blank/comment)."""

    first_row: int
    last_row: int
    lloc: int = 0
    sloc: int = 0
    comments: int = 0
    multi: int = 0


@dataclass
class RadonFile:
    volume: float
    complexity: int
    chunks: list[Chunk]
    function_halstead: dict[int, Halstead]   # start_byte -> radon-style Halstead of its body
    function_complexity: dict[int, int]      # start_byte -> radon cc of the function

    @property
    def lloc(self) -> int:
        return sum(c.lloc for c in self.chunks)

    def maintainability(self) -> float:
        return mi_from_chunks(self.volume, self.complexity, self.chunks)


def radon_mi(volume: float, complexity: int, lloc: int, comment_percent: float) -> float:
    """radon.metrics.mi_compute: the comment term is 50 sin(sqrt(2.46 * radians(C%)))."""
    if volume <= 0 or lloc <= 0:
        return 100.0
    raw = (171 - 5.2 * math.log(volume) - 0.23 * complexity - 16.2 * math.log(lloc)
           + 50 * math.sin(math.sqrt(2.46 * math.radians(comment_percent))))
    return min(max(0.0, raw * 100 / 171.0), 100.0)


def mi_from_chunks(volume: float, complexity: int, chunks: list[Chunk]) -> float:
    sloc = sum(c.sloc for c in chunks)
    commented = sum(c.comments + c.multi for c in chunks)
    percent = commented / sloc * 100 if sloc else 0.0
    return radon_mi(volume, complexity, sum(c.lloc for c in chunks), percent)


def analyse(doc: ParsedDocument) -> RadonFile:
    walk = _Walk()
    walk.run(doc.root)
    return RadonFile(walk.halstead.volume, walk.complexity, chunks_from_tokens(walk.tokens, doc.text),
                     walk.fn_halstead, walk.fn_cc)


def apply_radon_profile(doc: ParsedDocument, functions: list[FunctionMetrics], totals: FileMetrics) -> None:
    """Replace guardline's MI by radon's: the file's `radon mi` value and, per function, radon's
    formula on that function's body (its Halstead, its radon cc, the LLOC/comments of its lines)."""
    result = analyse(doc)
    totals.maintainability = result.maintainability()
    totals.lloc = result.lloc
    totals.comment_lines = sum(c.comments + c.multi for c in result.chunks)
    firsts = [c.first_row for c in result.chunks]
    for fn in functions:
        hal = result.function_halstead.get(fn.start_byte, Halstead())
        cc = result.function_complexity.get(fn.start_byte, 1)
        # chunks overlapping the function's rows: from the one holding its first line to its last line
        lo = max(0, bisect_right(firsts, fn.start_line - 1) - 1)
        hi = bisect_right(firsts, fn.end_line - 1)
        fn.maintainability = mi_from_chunks(hal.volume, cc, result.chunks[lo:hi])


# ---------------------------------------------------------------- Halstead and total complexity

def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _number(text: str) -> object:
    digits = text.replace("_", "")
    lower = digits.lower()
    try:
        if lower.endswith("j"):
            return complex(digits)
        if lower.startswith(("0x", "0o", "0b")):
            return int(digits, 0)
        if "." in lower or "e" in lower:
            return float(digits)
        return int(digits)
    except ValueError:
        return object()


def _string_value(node: Node) -> object:
    """The constant a string literal evaluates to; an f-string is a JoinedStr (a distinct operand)."""
    start = node.children[0] if node.children else None
    if start is None or "f" in _text(start).lower():
        return object()
    try:
        return ast.literal_eval(_text(node))   # a single literal token: parsed, never executed
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return object()


def _concatenated_value(node: Node) -> object:
    parts = [_string_value(c) for c in node.children if c.type == "string"]
    texts = [p for p in parts if isinstance(p, str)]
    if parts and len(texts) == len(parts):
        return "".join(texts)
    data = [p for p in parts if isinstance(p, bytes)]
    if parts and len(data) == len(parts):
        return b"".join(data)
    return object()   # empty, mixed str and bytes, or a part that is no literal


def operand_key(node: Node) -> object:
    """What radon stores for an operand: Name.id, Attribute.attr, Constant.value, else the node."""
    while node.type in WRAPPERS:
        inner = [c for c in node.named_children if c.type not in NOT_OPERANDS]
        if len(inner) != 1:
            break
        node = inner[0]
    node_type = node.type
    if node_type in NAME_TYPES:
        return _text(node)
    if node_type == "attribute":
        return _text(node.child_by_field_name("attribute"))
    if node_type in ("integer", "float"):
        return _number(_text(node))
    if node_type == "string":
        return _string_value(node)
    if node_type == "concatenated_string":
        return _concatenated_value(node)
    if node_type in CONSTANTS:
        return CONSTANTS[node_type]
    return object()   # any other expression is its own ast node: always a new operand


def _field(node: Node, name: str) -> Node:
    """A field the grammar always has (an error recovery inserts a MISSING node rather than leave it out)."""
    child = node.child_by_field_name(name)
    if child is None:
        raise ValueError(f"{node.type} at row {node.start_point[0] + 1} has no {name!r}")
    return child


def _operands(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type not in NOT_OPERANDS]


def _bool_values(node: Node, members: set[int]) -> list[Node]:
    """Flatten `a and b and c` into one BoolOp's values (parentheses stop the chain, as in ast)."""
    operator = _text(node.child_by_field_name("operator"))
    values: list[Node] = []
    stack: list[Node | None] = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        if current.type == "boolean_operator" and \
                _text(current.child_by_field_name("operator")) == operator:
            if current.id != node.id:
                members.add(current.id)
            stack.append(current.child_by_field_name("right"))
            stack.append(current.child_by_field_name("left"))
        else:
            values.append(current)
    return values


def halstead_event(node: Node, chain_members: set[int]) -> tuple[list[str], list[object]] | None:
    """(operator names, operand keys) radon records at this node, or None."""
    node_type = node.type
    if node_type == "binary_operator":
        op = BINARY_NAMES.get(_field(node, "operator").type, "BinOp")
        return [op], [operand_key(_field(node, "left")),
                      operand_key(_field(node, "right"))]
    if node_type == "unary_operator":
        op = UNARY_NAMES.get(_field(node, "operator").type, "UnaryOp")
        return [op], [operand_key(_field(node, "argument"))]
    if node_type == "not_operator":
        return ["Not"], [operand_key(_field(node, "argument"))]
    if node_type == "boolean_operator":
        if node.id in chain_members:
            return None
        op = "And" if _text(node.child_by_field_name("operator")) == "and" else "Or"
        return [op], [operand_key(v) for v in _bool_values(node, chain_members)]
    if node_type == "augmented_assignment":
        symbol = _field(node, "operator").type[:-1]
        return [BINARY_NAMES.get(symbol, "AugAssign")], [operand_key(_field(node, "left")),
                                                       operand_key(_field(node, "right"))]
    if node_type == "union_type":   # `list[str] | None` in an annotation: ast's BinOp(BitOr)
        sides = _operands(node)
        return ["BitOr"], [operand_key(side) for side in sides[:1] + sides[-1:]]
    if node_type == "chevron":   # tree-sitter's Python 2 `print >> f`: ast reads BinOp(RShift, print, f)
        target = _operands(node)
        return ["RShift"], ["print", operand_key(target[0]) if target else object()]
    if node_type == "comparison_operator":
        ops = [COMPARE_NAMES.get(c.type, c.type) for c in node.children if not c.is_named]
        return ops, [operand_key(c) for c in _operands(node)]
    return None


def pattern_events(node: Node) -> list[tuple[list[str], list[object]]]:
    """`case -1:` is UnaryOp(USub, 1) and `case 1 + 2j:` BinOp(Add, 1, 2j) in ast: radon counts them.

    tree-sitter keeps the sign as a bare `-` before the number in any pattern node."""
    children = node.children
    events: list[tuple[list[str], list[object]]] = []
    for index, child in enumerate(children[:-1]):
        after_number = index > 0 and children[index - 1].type in NUMBER_TYPES
        if child.type == "-" and children[index + 1].type in NUMBER_TYPES and not after_number:
            events.append((["USub"], [_number(_text(children[index + 1]))]))
    if node.type == "complex_pattern" and len(children) >= 3:
        left = object() if children[0].type == "-" else _number(_text(children[0]))
        events.append(([BINARY_NAMES.get(children[-2].type, "BinOp")], [left, _number(_text(children[-1]))]))
    return events


def radon_decisions(node: Node) -> int:
    """radon's decision points at this node (guardline's radon cyclomatic profile tables)."""
    node_type = node.type
    count = 0
    if node_type in RADON.nodes and (RADON.filter is None or RADON.filter(node)):
        count += 1
    if node_type in PYTHON.bool_types:
        count += 1   # radon: len(values) - 1 per BoolOp = one per `and`/`or`
    if RADON.extra is not None:
        count += RADON.extra(node)
    return count


@dataclass
class _State:
    context: str | None = None            # innermost def name: radon's operand context
    halstead_on: bool = True              # the file-level visitor sees this node
    fn_chain: tuple[int, ...] = ()        # functions whose radon Halstead includes this node
    scope: str = MODULE                   # radon ComplexityVisitor scope for the file total
    cc_on: bool = True                    # decisions here count (not in asserts/decorators/signatures)
    cc_owners: tuple[int, ...] = ()       # functions whose own cc includes this node


class _Walk:
    def __init__(self) -> None:
        self.halstead = Halstead()
        self.complexity = 1
        self.fn_halstead: dict[int, Halstead] = {}
        self.fn_cc: dict[int, int] = {}
        self.chain_members: set[int] = set()
        self.tokens: list[tuple[int, int, str]] = []

    def run(self, root: Node) -> None:
        """One pre-order pass: Halstead events, decisions, and the raw tokens in source order."""
        stack: list[tuple[Node, _State]] = [(root, _State())]
        tokens = self.tokens
        string_end = -1
        while stack:
            node, state = stack.pop()
            node_type = node.type
            if node.start_byte >= string_end:   # leaves inside a string literal are not tokens
                if node_type == "string":
                    string_end = node.end_byte
                    tokens.append((node.start_point[0], node.end_point[0], node_type))
                elif node.child_count == 0 and node.end_byte > node.start_byte:
                    tokens.append((node.start_point[0], node.end_point[0], node_type))
            if node_type in HALSTEAD_TYPES or (state.cc_on and node_type in DECISION_TYPES):
                self._count(node, state)
            if node_type in SCOPE_TYPES:
                stack.extend(reversed(self._children(node, state)))
            elif node.child_count:
                stack.extend((child, state) for child in reversed(node.children))

    def _count(self, node: Node, state: _State) -> None:
        if node.type in PATTERN_TYPES:
            events = pattern_events(node)
        else:
            event = halstead_event(node, self.chain_members)
            events = [event] if event is not None else []
        for names, keys in events:
            for target in ([self.halstead] if state.halstead_on else []) + \
                    [self.fn_halstead[f] for f in state.fn_chain]:
                target.add(names, keys, state.context)
        if state.cc_on:
            decisions = radon_decisions(node)
            if decisions:
                if state.scope != OFF:
                    self.complexity += decisions
                for owner in state.cc_owners:
                    self.fn_cc[owner] += decisions

    def _children(self, node: Node, state: _State) -> list[tuple[Node, _State]]:
        node_type = node.type
        if node_type == "function_definition":
            return self._function_children(node, state)
        if node_type == "class_definition":
            return self._class_children(node, state)
        if node_type == "lambda":
            self.fn_halstead[node.start_byte] = Halstead()
            self.fn_cc[node.start_byte] = 1
            inner = _State(state.context, state.halstead_on, state.fn_chain + (node.start_byte,),
                           state.scope, state.cc_on, state.cc_owners + (node.start_byte,))
            return [(c, inner) for c in node.children]
        if node_type == "decorated_definition":
            definition = node.child_by_field_name("definition")
            is_class = definition is not None and definition.type == "class_definition"
            decorator_state = _State(state.context, state.halstead_on and is_class,
                                     state.fn_chain if is_class else (), OFF, False, ())
            return [(c, state if c.type != "decorator" else decorator_state) for c in node.children]
        if node_type in RADON.opaque:   # radon's visit_Assert does not look inside for cc
            inner = _State(state.context, state.halstead_on, state.fn_chain, state.scope, False, state.cc_owners)
            return [(c, inner) for c in node.children]
        return [(c, state) for c in node.children]

    def _function_children(self, node: Node, state: _State) -> list[tuple[Node, _State]]:
        key = node.start_byte
        self.fn_halstead[key] = Halstead()
        self.fn_cc[key] = 1
        if state.scope == CLASS and state.cc_on:
            self.complexity += 1   # a method adds its full complexity (1 + decisions) to the class
        body_scope = FUNC if state.scope in (MODULE, CLASS) else OFF
        body_state = _State(_text(node.child_by_field_name("name")), state.halstead_on,
                            state.fn_chain + (key,), body_scope, True, (key,))
        signature = _State(state.context, False, (), OFF, False, ())
        body = node.child_by_field_name("body")
        return [(c, body_state if body is not None and c.id == body.id else signature)
                for c in node.children]

    def _class_children(self, node: Node, state: _State) -> list[tuple[Node, _State]]:
        body_scope = CLASS if state.scope == MODULE else OFF
        body_state = _State(state.context, state.halstead_on, state.fn_chain, body_scope, True, ())
        header = _State(state.context, state.halstead_on, state.fn_chain, OFF, False, ())
        body = node.child_by_field_name("body")
        return [(c, body_state if body is not None and c.id == body.id else header) for c in node.children]


# ---------------------------------------------------------------- radon.raw: LLOC, SLOC, comments

def _raw_tokens(root: Node) -> list[tuple[int, int, str]]:
    """(start_row, end_row, kind) of every token in source order; a string literal is one token."""
    tokens: list[tuple[int, int, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        node_type = node.type
        if node_type == "string" or node.child_count == 0:
            if node.end_byte > node.start_byte:
                tokens.append((node.start_point[0], node.end_point[0], node_type))
            continue
        stack.extend(reversed(node.children))
    return tokens


def _continued_rows(tokens: list[tuple[int, int, str]], row_count: int) -> list[bool]:
    """Rows that radon's tokenizer cannot end: open brackets, backslashes, multi-line strings."""
    continued = [False] * (row_count + 1)
    depth = 0
    previous_end = 0
    for start, end, kind in tokens:
        if depth > 0:
            for row in range(previous_end, start):
                continued[row] = True
        if kind == "line_continuation":
            continued[start] = True
            end = start
        for row in range(start, end):
            continued[row] = True
        if kind in OPEN_BRACKETS:
            depth += 1
        elif kind in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        previous_end = end
    return continued


def _mark_backslashes(tokens: list[tuple[int, int, str]], lines: list[str], continued: list[bool]) -> None:
    """A row ending in `\\` continues (tree-sitter does not always keep a line_continuation node),
    unless the backslash ends a comment."""
    last_kind: dict[int, str] = {}
    for start, _, kind in tokens:
        last_kind[start] = kind
    for row, line in enumerate(lines):
        if line.rstrip().endswith("\\") and last_kind.get(row) != "comment":
            continued[row] = True


def _non_empty(line: str) -> int:
    """radon reads `source.splitlines()` stripped: a form feed or other separator splits a row."""
    return sum(1 for piece in line.splitlines() if piece.strip())


def _logical_lines(kinds: list[str]) -> int:
    """radon.raw._logical: per `;`-part, 2 with a `:` unless the last `:` ends it, else 1."""
    parts: list[list[str]] = [[]]
    for kind in kinds:
        if kind == ";":
            parts.append([])
        else:
            parts[-1].append(kind)
    lloc = 0
    for index, part in enumerate(parts):
        length = len(part) + (1 if index == len(parts) - 1 else 0)   # + ENDMARKER on the last part
        colons = [i for i, kind in enumerate(part) if kind == ":"]
        if colons:
            lloc += 2 - (colons[-1] == length - 2)
        elif part:
            lloc += 1
    return lloc


def raw_chunks(root: Node, text: str) -> list[Chunk]:
    """Group rows as radon.raw.analyze does and count its LLOC, SLOC, comments and multi per group."""
    return chunks_from_tokens(_raw_tokens(root), text)


def chunks_from_tokens(tokens: list[tuple[int, int, str]], text: str) -> list[Chunk]:
    lines = text.split("\n")
    continued = _continued_rows(tokens, len(lines))
    _mark_backslashes(tokens, lines, continued)
    chunks: list[Chunk] = []
    row_chunk: list[int] = []
    for row in range(len(lines)):
        if row == 0 or not continued[row - 1]:
            chunks.append(Chunk(row, row))
        chunks[-1].last_row = row
        row_chunk.append(len(chunks) - 1)
    grouped: list[list[tuple[int, int, str]]] = [[] for _ in chunks]
    for token in tokens:
        if token[2] != "line_continuation" and token[0] < len(row_chunk):
            grouped[row_chunk[token[0]]].append(token)
    non_empty = _non_empty_rows(text, lines)
    for chunk, chunk_tokens in zip(chunks, grouped):
        _fill_chunk(chunk, chunk_tokens, non_empty)
    return chunks


def _non_empty_rows(text: str, lines: list[str]) -> list[int]:
    """Per row, the non-empty lines radon sees; only rows holding other separators need splitlines."""
    if len(text.splitlines()) == len(lines) - (1 if text.endswith("\n") or not text else 0):
        return [1 if line.strip() else 0 for line in lines]
    return [_non_empty(line) for line in lines]


def _fill_chunk(chunk: Chunk, tokens: list[tuple[int, int, str]], non_empty_rows: list[int]) -> None:
    kinds = [kind for _, _, kind in tokens]
    chunk.comments = kinds.count("comment")
    code = [kind for kind in kinds if kind != "comment"] if chunk.comments else kinds
    non_empty = sum(non_empty_rows[chunk.first_row:chunk.last_row + 1])
    if kinds == ["comment"]:
        pass                                        # a comment line: single_comments
    elif kinds == ["string"]:
        start, end, _ = tokens[0]
        if end > start:
            chunk.multi = non_empty                 # a docstring-like multi-line string
    else:
        chunk.sloc = non_empty
    chunk.lloc = _logical_lines(code)
