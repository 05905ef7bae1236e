"""The ``radon`` profile: radon 6's cyclomatic complexity (``radon cc``), Python only.

radon visits Python's AST: it counts what guardline counts plus `assert`, a loop's or try's `else`
and a match's cases; it does not look inside an assert or a decorator, knows no `except*` and treats
a lambda as part of the enclosing function. Agreement: tests/test_radon_differential.py (a sample)
and bench/radon_diff.py (the whole standard library). radon's maintainability index (MI profile
``radon``) is in guardline.metrics.radon_mi and reads these rules too.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages import python
from guardline.metrics.profiles.base import RadonRules


def is_except_star(node: Node) -> bool:
    return node.type == "except_clause" and any(c.type == "*" for c in node.children[:3])


def counts(node: Node) -> bool:
    """radon 6 does not know `try ... except*` (ast.TryStar): its handlers count nothing."""
    if is_except_star(node):
        return False
    return python.is_comprehension_if(node)


def is_catch_all_case(node: Node) -> bool:
    """radon subtracts one when any case's pattern is a bare name or `_` (a guard does not matter)."""
    return python.is_catch_all_case(node)


def extra_points(node: Node) -> int:
    """radon 6: a loop's or try's `else` adds 1; a match adds its cases minus one catch-all."""
    node_type = node.type
    if node_type == "else_clause":
        parent = node.parent
        if parent is not None and parent.type == "try_statement":
            return 0 if any(is_except_star(c) for c in parent.named_children) else 1
        return 1 if parent is not None and parent.type in ("for_statement", "while_statement") else 0
    if node_type == "match_statement":
        body = node.child_by_field_name("body")
        cases = [c for c in (body.named_children if body is not None else []) if c.type == "case_clause"]
        catch_all = any(is_catch_all_case(c) for c in cases)
        return max(0, len(cases) - catch_all)
    return 0


PYTHON = RadonRules(
    nodes={**python.SPEC.cc_nodes, "assert_statement": "assert"},
    filter=counts,
    extra=extra_points,
    opaque=frozenset({"assert_statement", "decorator"}),
)

# language -> radon's rules (radon reads Python only; its MI profile applies to these languages too)
RULES: dict[str, RadonRules] = {"python": PYTHON}
