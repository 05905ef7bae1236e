"""Data-flow extension points of the security engine, as per-language data (used by every rules module).

A language table (``LanguageSpec`` in ``engine.py``) describes taint with these fields:

- ``taint_sources`` (resolved dotted names, e.g. ``flask.request.args``, ``$_GET``, ``params``) and
  ``taint_source_types`` (the node types whose text is looked up there): expressions that *are* sources.
- ``param_sources``: ``ParamSource`` rows saying when a function *parameter* is a source: by the
  parameter's name (Express ``req``), its text (type or annotation: ``HttpServletRequest req``,
  ``@RequestParam String id``, ``r *http.Request``, ``[FromQuery] string q``), the function's header
  (decorators/annotations/name: ``@app.route(...)``, ``@GetMapping``, ``export async function GET``), or
  the call the function is passed to as a callback (``app.get('/x', (req, res) => ...)``).
- ``sanitizers`` clean for every sink kind (``int``, ``parseInt``); ``kind_sanitizers`` clean only the
  kinds named (``{"command": {"shlex.quote"}, "xss": {"html.escape"}}``): an HTML escaper does not make
  SQL safe.
- ``guard_patterns``: regexes (``{name}`` = the variable) over the text between a variable's last
  assignment and its use; a match is an allow-list check with an early exit, so the value is clean
  (for every sink kind, or for the kinds of a ``(pattern, kinds)`` pair).
- ``return_types`` / ``block_types``: statements that return a value and the block node types, for the
  per-function summaries (which parameters reach the return value) and for "a later assignment
  replaces an earlier one".
- ``conditional_types``: ``if``-statement/ternary node types with their (condition, then, else) fields,
  so branches whose condition folds to a constant are pruned.
- ``keyed_stores``: how ``d['k'] = v`` / ``d.set('k', v)`` / ``cfg.set(section, 'k', v)`` store into a
  container by a constant key, and ``keyed_reads`` how ``d['k']`` / ``d.get('k')`` read it back.

A Tier A/B ``Rule`` can set ``kind="reliability"`` (not security: e.g. a request without a timeout) so
"security hotspots / kLOC" counts security only. A taint finding carries ``data["flow"]``: the source,
each assignment/call it went through and the sink (LSP ``relatedInformation``, SARIF ``codeFlows``).
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import tree_sitter

from guardline.parsing import ParsedDocument

Node = tree_sitter.Node


class DocContext(Protocol):
    """What these helpers read of the engine's per-document context (security/engine.py DocContext,
    which imports this module: a protocol here instead of an import back keeps the two acyclic)."""

    doc: ParsedDocument
    spec: Any                     # engine.LanguageSpec: the language's taint and syntax tables

    def text(self, node: Node | None) -> str: ...

    def active_param_sources(self) -> tuple[Any, ...]: ...

    def assigned_values(self, ident: Node, scope: int | None = None) -> list[Node]: ...

MAX_CALL_DEPTH = 3          # helper -> helper -> helper: callers/summaries followed at most this deep
MAX_CALLERS = 24            # call sites of one local function looked at
MAX_BODY_NODES = 20_000     # nodes walked per function body (returns, guards)


@dataclass(frozen=True)
class ParamSource:
    """When a parameter of a function carries request data. Every condition given must hold."""

    label: str                          # shown as the source: "Flask route parameter"
    name: str | None = None             # regex (fullmatch) on the parameter name
    text: str | None = None             # regex (search) on the parameter's text (type, annotations)
    function: str | None = None         # regex (search) on the function header (decorators, name, ...)
    callback_of: str | None = None      # regex (search) on the callee of the call the function is passed to
    with_param: str | None = None       # regex (fullmatch): another parameter of the function has this name
    exclude: str = r"self|cls|this|_|res|response|next|w"  # names never taken (receiver, response writer)
    not_text: str | None = None         # regex (search) on the parameter's text that rules it out
    needles: tuple[str, ...] = ()       # words one of which must occur in the file for this row to apply

    def compiled(self) -> "_CompiledParamSource":
        def rx(pattern: str | None) -> re.Pattern[str] | None:
            return re.compile(pattern) if pattern else None
        return _CompiledParamSource(self, rx(self.name), rx(self.text), rx(self.function), rx(self.callback_of),
                                    rx(self.with_param), re.compile(self.exclude), rx(self.not_text))


@dataclass(frozen=True)
class _CompiledParamSource:
    row: ParamSource
    name: re.Pattern[str] | None
    text: re.Pattern[str] | None
    function: re.Pattern[str] | None
    callback_of: re.Pattern[str] | None
    with_param: re.Pattern[str] | None
    exclude: re.Pattern[str]
    not_text: re.Pattern[str] | None


@dataclass(frozen=True)
class KeyedStore:
    """A store into a container by key: ``query`` captures @obj, @key and @value (and @call for method
    stores; its callee must end with one of ``methods``)."""

    query: str
    methods: tuple[str, ...] = ()


@dataclass
class Trace:
    """Where a tainted value came from: the source label and the nodes it went through (source first)."""

    source: str
    nodes: tuple[Node, ...] = ()

    def then(self, node: Node) -> "Trace":
        if self.nodes and self.nodes[-1].id == node.id:
            return self
        return Trace(self.source, self.nodes + (node,))


@dataclass
class FunctionInfo:
    """One local function: its node, parameters (name, node) and the bytes of its header."""

    node: Node
    name: str
    params: list[tuple[str, Node]]
    sources: dict[str, str] = field(default_factory=dict)   # parameter name -> source label


# ---------------------------------------------------------------- parameters


def parameters(ctx: "DocContext", fn: Node) -> list[tuple[str, Node]]:
    """(name, node) of each declared parameter of ``fn``, in order (receivers such as Go's excluded)."""
    holder = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if holder is None:
        return []
    if holder.type in ctx.spec.identifier_types:
        return [(ctx.text(holder), holder)]
    out: list[tuple[str, Node]] = []
    for param in holder.named_children:
        if param.type in ctx.spec.comment_types:
            continue
        for name_node in _param_names(ctx, param):
            out.append((ctx.text(name_node), param))
    return out


def _param_names(ctx: "DocContext", param: Node) -> list[Node]:
    if param.type in ctx.spec.identifier_types:
        return [param]
    named = param.children_by_field_name("name")
    if named:
        return [_first_identifier(ctx, node) or node for node in named]
    for field_name in ("pattern", "left", "declarator"):
        inner = param.child_by_field_name(field_name)
        if inner is not None:
            found = _first_identifier(ctx, inner)
            return [found] if found is not None else []
    found = _first_identifier(ctx, param)
    return [found] if found is not None else []


def _first_identifier(ctx: "DocContext", node: Node) -> Node | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ctx.spec.identifier_types or current.type in ctx.spec.param_name_types:
            return current
        stack.extend(reversed(current.named_children))
    return None


def function_header(ctx: "DocContext", fn: Node) -> str:
    """Decorators/annotations and the signature of ``fn`` (up to its body)."""
    body = fn.child_by_field_name("body")
    end = body.start_byte if body is not None else fn.end_byte
    start = fn.start_byte
    parent = fn.parent
    if parent is not None and parent.type in ctx.spec.decorated_types:
        start = parent.start_byte
    elif parent is not None and parent.type in ("export_statement",):
        start = parent.start_byte
    return ctx.doc.source[start:end].decode("utf-8", errors="replace")


def callback_callee(ctx: "DocContext", fn: Node) -> str | None:
    """The callee text when ``fn`` is passed directly as an argument of a call."""
    parent = fn.parent
    if parent is None or parent.type not in ("arguments", "argument_list", "argument"):
        return None
    call = parent.parent
    if call is None:
        return None
    callee = call.child_by_field_name("function") or call.child_by_field_name("name")
    return ctx.text(callee) if callee is not None else None


def source_params(ctx: "DocContext", fn: Node, params: list[tuple[str, Node]]) -> dict[str, str]:
    """Parameter name -> source label, for the parameters of ``fn`` that a ``ParamSource`` row names."""
    rows = ctx.active_param_sources()
    if not rows or not params:
        return {}
    facts = _FunctionFacts(ctx, fn, [name for name, _ in params])
    found: dict[str, str] = {}
    for row in rows:
        if not facts.admits(row):
            continue
        for name, node in params:
            if name not in found and _param_matches(ctx, row, name, node):
                found[name] = f"{row.row.label} `{name}`"
    return found


class _FunctionFacts:
    """The function-level facts a ``ParamSource`` row asks about, each computed on first use."""

    def __init__(self, ctx: "DocContext", fn: Node, names: list[str]):
        self.ctx, self.fn, self.names = ctx, fn, names
        self._header: str | None = None
        self._callee: str | None = None

    def admits(self, row: _CompiledParamSource) -> bool:
        if row.function is not None and not row.function.search(self.header()):
            return False
        if row.callback_of is not None and not row.callback_of.search(self.callee()):
            return False
        return row.with_param is None or any(row.with_param.fullmatch(n) for n in self.names)

    def header(self) -> str:
        if self._header is None:
            self._header = function_header(self.ctx, self.fn)
        return self._header

    def callee(self) -> str:
        if self._callee is None:
            self._callee = callback_callee(self.ctx, self.fn) or ""
        return self._callee


def _param_matches(ctx: "DocContext", row: _CompiledParamSource, name: str, node: Node) -> bool:
    if row.exclude.fullmatch(name) or (row.name is not None and not row.name.fullmatch(name)):
        return False
    if row.text is not None and not row.text.search(ctx.text(node)):
        return False
    return row.not_text is None or not row.not_text.search(ctx.text(node))


# ---------------------------------------------------------------- function bodies


def return_values(ctx: "DocContext", fn: Node) -> list[Node]:
    """The expressions ``fn`` returns (an expression-bodied arrow/lambda returns its body)."""
    body = fn.child_by_field_name("body")
    if body is None:
        return []
    if body.type not in ctx.spec.block_types:
        return [body]
    out: list[Node] = []
    stack = list(reversed(body.named_children))
    visited = 0
    while stack and visited < MAX_BODY_NODES:
        node = stack.pop()
        visited += 1
        if node.type in ctx.spec.function_types:
            continue
        if node.type in ctx.spec.return_types:
            out.extend(c for c in node.named_children if c.type not in ctx.spec.comment_types)
            continue
        stack.extend(reversed(node.named_children))
    return out


def guarded(ctx: "DocContext", name: str, start: int, end: int, kind: str | None = None) -> bool:
    """Whether an allow-list check with an early exit on ``name`` lies in source[start:end]. A guard is a
    pattern (cleans for every sink kind) or (pattern, kinds): ``startswith('/')`` stops an open redirect,
    not a path traversal."""
    patterns = ctx.spec.guard_patterns
    if not patterns or start >= end:
        return False
    text = ctx.doc.source[start:end].decode("utf-8", errors="replace")
    if name not in text or "if" not in text:
        return False
    for guard in patterns:
        pattern, kinds = (guard, None) if isinstance(guard, str) else guard
        if kinds is not None and kind not in kinds:
            continue
        if any(match.group("guarded") == name for match in _guard_regex(pattern).finditer(text)):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _guard_regex(pattern: str) -> re.Pattern[str]:
    """One compiled regex per guard, the variable as a group (compiling one per variable name cost
    seconds on the stdlib)."""
    return re.compile(pattern.replace("{name}", r"(?P<guarded>[\w.$]+)", 1))


# ---------------------------------------------------------------- constant conditions


_BINARY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "//": operator.floordiv, "%": operator.mod,
           "<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge, "==": operator.eq,
           "!=": operator.ne, "===": operator.eq, "!==": operator.ne, "/": operator.truediv}
_MAX_CONST_TEXT = 200


def constant_value(ctx: "DocContext", node: Node | None, depth: int = 0) -> Any:
    """The value of a small constant expression (numbers, strings, booleans, arithmetic, comparisons,
    and identifiers whose only value is one), or ``NOT_CONSTANT``."""
    if node is None or depth > 6 or node.end_byte - node.start_byte > _MAX_CONST_TEXT:
        return NOT_CONSTANT
    kind = node.type
    if kind in ("parenthesized_expression",) and node.named_child_count == 1:
        return constant_value(ctx, node.named_children[0], depth + 1)
    if kind in ctx.spec.identifier_types:
        values = ctx.assigned_values(node)
        if len(values) != 1:
            return NOT_CONSTANT
        return constant_value(ctx, values[0], depth + 1)
    if node.named_child_count == 0 or kind in ctx.spec.string_types:
        return _literal(ctx.text(node))
    if node.named_child_count == 2 and kind in ("binary_operator", "binary_expression", "comparison_operator"):
        return _binary(ctx, node, depth)
    if kind in ("not_operator", "unary_operator", "unary_expression") and node.named_child_count == 1:
        return _unary(ctx, node, depth)
    return NOT_CONSTANT


def _unary(ctx: "DocContext", node: Node, depth: int) -> Any:
    value = constant_value(ctx, node.named_children[0], depth + 1)
    if value is NOT_CONSTANT:
        return NOT_CONSTANT
    op = ctx.text(node)[:1]
    if op == "-" and isinstance(value, (int, float)):
        return -value
    return (not value) if op in ("!", "n") else value


class _NotConstant:
    def __repr__(self) -> str:
        return "NOT_CONSTANT"


NOT_CONSTANT: Any = _NotConstant()


def _literal(text: str) -> Any:
    lowered = text.strip()
    if lowered in ("true", "True"):
        return True
    if lowered in ("false", "False"):
        return False
    try:
        return ast.literal_eval(lowered)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return NOT_CONSTANT


def _binary(ctx: "DocContext", node: Node, depth: int) -> Any:
    left, right = node.named_children
    op_text = ctx.doc.source[left.end_byte:right.start_byte].decode("utf-8", errors="replace").strip()
    fn: Callable[[Any, Any], Any] | None = _BINARY.get(op_text)
    if fn is None:
        return NOT_CONSTANT
    a = constant_value(ctx, left, depth + 1)
    b = constant_value(ctx, right, depth + 1)
    if a is NOT_CONSTANT or b is NOT_CONSTANT:
        return NOT_CONSTANT
    try:
        return fn(a, b)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return NOT_CONSTANT


def taken_branch(ctx: "DocContext", cond_node: Node) -> bool | None:
    """True/False when the condition folds to a constant, None when it does not."""
    value = constant_value(ctx, cond_node)
    if value is NOT_CONSTANT:
        return None
    return bool(value)
