"""The shape of a language's metric tables.

A language module fills a ``LanguageSpec`` with data: which tree-sitter node types are functions,
decision points, cognitive increments, boolean operators, comments and literals. The few facts that
are not expressible as a node type (a `case` that is the default, a labelled `break`, a name that
comes from the assignment a lambda sits in) are small predicates in the same module.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Optional

from tree_sitter import Node

# Cognitive increment kinds (SonarSource white paper): S = +1 + nesting and nests its body,
# H = +1 and nests its body, F = +1 flat, N = nests only, Z = nothing (body not nested either).
S, H, F, N, Z = "S", "H", "F", "N", "Z"

ALL_FIELDS = "*"   # nest every child


@dataclass(frozen=True)
class CogRule:
    kind: str                               # S, H, F, N or Z
    construct: str                          # label shown in explain, e.g. "if", "catch"
    nested: tuple[str, ...] = (ALL_FIELDS,)  # field names whose subtrees are one level deeper
    # Child node types nested regardless of field (for grammars that give a body no field name).
    nested_types: tuple[str, ...] = ()


NodePredicate = Callable[[Node], bool]
NameHook = Callable[[Node, bytes], Optional[str]]


def no_node(_: Node) -> bool:
    return False


_no = no_node


def text_of(node: Node | None, source: bytes) -> str:
    if node is None:
        return ""
    return source[node.start_byte:node.end_byte].decode("utf-8", errors="replace")


_walk = threading.local()   # the running metrics walk's ancestors (see parent_of)


def parent_of(node: Node) -> Node | None:
    """``node.parent`` for the node the metrics walk is visiting or one of its near ancestors, taken
    from the walk's own stack: ``Node.parent`` re-descends from the root (O(depth)), which a hook
    called per node would make quadratic in a deeply nested file. Other nodes: ``node.parent``."""
    ancestors: list[Node] | None = getattr(_walk, "ancestors", None)
    if ancestors:
        if node == getattr(_walk, "current", None):
            return ancestors[-1]
        for index in range(len(ancestors) - 1, max(len(ancestors) - 8, 0), -1):
            if ancestors[index] == node:
                return ancestors[index - 1]
    return node.parent


def walk_ancestors(ancestors: list[Node] | None) -> None:
    """Set (a list the walk keeps: root first, the current node's parent last) or clear them."""
    _walk.ancestors = ancestors
    _walk.current = None


def visiting(node: Node) -> None:
    _walk.current = node


def first_leaf(node: Node) -> Node:
    while node.child_count:
        node = node.children[0]
    return node


def leaf_before(node: Node) -> Node | None:
    """The token just before ``node`` in the source (None at the start of the file)."""
    current: Node | None = node
    while current is not None and current.prev_sibling is None:
        current = parent_of(current)
    prev = current.prev_sibling if current is not None else None
    while prev is not None and prev.child_count:
        prev = prev.children[-1]
    return prev


def leaf_after(node: Node) -> Node | None:
    """The token just after ``node`` in the source (None at the end of the file)."""
    current: Node | None = node
    while current is not None and current.next_sibling is None:
        current = parent_of(current)
    following = current.next_sibling if current is not None else None
    return first_leaf(following) if following is not None else None


def field_name(node: Node, source: bytes, field_name_: str = "name") -> str | None:
    child = node.child_by_field_name(field_name_)
    return text_of(child, source) if child is not None else None


@dataclass
class LanguageSpec:
    name: str
    # --- functions and scopes
    function_types: frozenset[str]
    lambda_types: frozenset[str] = frozenset()       # anonymous unless named by their context
    class_types: frozenset[str] = frozenset()        # scopes that prefix qualified names
    name_of: NameHook | None = None                  # function name; default: the `name` field
    class_name_of: NameHook | None = None            # scope name; default: the `name` field
    qualifier_of: NameHook | None = None             # extra prefix (Go receiver type, Rust impl type)
    # Parent node type -> field holding the name an anonymous function is assigned to.
    name_from_parent: dict[str, str] = field(default_factory=dict)
    body_fields: tuple[str | None, ...] = ("body",)  # where a function's body starts (SLOC, decisions)
    # A node of function_types is a function only if this returns True (C#: a property is one only
    # with an expression body `int P => ...`; its accessors are functions of their own).
    is_function: NodePredicate | None = None
    # The node spelling a function's name (hover/lens anchor, name_line) when it is not the `name`
    # field (C: deep inside the declarator, often on the line after the return type).
    name_node_of: Callable[[Node], Optional[Node]] | None = None

    # --- tokens
    comment_types: frozenset[str] = frozenset({"comment"})
    string_types: frozenset[str] = frozenset()       # one Halstead operand each, children skipped
    interpolation_types: frozenset[str] = frozenset()  # inside strings: still walked for decisions
    operand_types: frozenset[str] = frozenset()      # identifiers and literals (leaves)

    # --- cyclomatic (profile "guardline"; radon and lizard: guardline.metrics.profiles)
    # node type -> construct label (+1 each)
    cc_nodes: dict[str, str] = field(default_factory=dict)
    case_types: frozenset[str] = frozenset()         # +1 unless is_default_case
    is_default_case: NodePredicate = _no
    bool_types: frozenset[str] = frozenset()         # binary nodes that may be && / ||
    bool_operators: frozenset[str] = frozenset()     # counted operator texts
    # operators of cognitive boolean sequences when fewer than bool_operators (PHP ignores `and`/`or`)
    cog_bool_operators: frozenset[str] | None = None
    # Optional per-node filter: a node in cc_nodes counts only if this returns True.
    cc_filter: Callable[[Node], bool] | None = None

    # --- cognitive
    cog_rules: dict[str, CogRule] = field(default_factory=dict)
    if_types: frozenset[str] = frozenset()           # if-like nodes with an `alternative` field
    else_if_types: frozenset[str] = frozenset()      # elif / elsif / else_if_clause nodes (H)
    else_types: frozenset[str] = frozenset()         # else wrappers (H unless they wrap an if)
    alternative_field: str = "alternative"
    paren_types: frozenset[str] = frozenset()        # parenthesised expressions
    parens_split_sequences: bool = False             # Python, Go: ( ) starts a new boolean sequence
    not_types: frozenset[str] = frozenset()          # negations: start a new boolean sequence
    # Instead of source-order sequences: a boolean operator node counts +1 unless this returns True
    # (C/C++, clang-tidy: it continues its nearest enclosing operator's run).
    continues_bool_run: NodePredicate | None = None
    is_not: NodePredicate | None = None              # for unary nodes where only `!` counts
    jump_is_flat: NodePredicate = _no                # labelled break/continue, goto: +1 flat
    # the node types jump_is_flat can say yes to (the engine asks only about these)
    jump_types: frozenset[str] = frozenset()
    # Nested functions: counted in the enclosing function's cognitive total (Python, Java, Go, ...)
    # or scored only on their own (JavaScript/TypeScript).
    nested_functions_in_parent: bool = True
    lambdas_nest: bool = True                        # Python: a lambda does not raise nesting
    class_resets_nesting: bool = False               # Python: a class body starts again at 0
    transparent_wrapper: NodePredicate = _no         # decorator wrapper def: no nesting
    preprocessor_types: frozenset[str] = frozenset()  # C/C++ #if: ignored
    # A node of cog_rules counts only if this returns True (C: GNU `a ?: b` is not a ternary).
    cog_filter: NodePredicate | None = None
    # Functions scored on their own even where nested functions count in the parent (C# static local
    # functions): not added to the enclosing function, their body starts one level deep.
    scored_alone: NodePredicate = _no
    # A note for the whole file from its tree, e.g. syntax guardline's grammar does not know yet.
    file_note: Callable[[Node, bytes], Optional[str]] | None = None
