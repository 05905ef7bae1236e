"""C++: C's tables plus classes, namespaces-qualified definitions, lambdas, range-for, try/catch.

Cognitive complexity (clang-tidy's readability-function-cognitive-complexity): lambdas and methods of
local classes raise nesting (N) and count in the enclosing function; each is also reported alone.
"""

from __future__ import annotations

import dataclasses

from tree_sitter import Node

from guardline.languages import c
from guardline.languages.base import ALL_FIELDS, CogRule, S, Z, text_of, parent_of

CLASS_TYPES = frozenset({"class_specifier", "struct_specifier", "union_specifier"})


def class_name(node: Node, source: bytes) -> str | None:
    name = node.child_by_field_name("name")
    if name is None:
        return None
    if name.type == "template_type":
        name = name.child_by_field_name("name") or name
    return text_of(name, source)


def is_member(node: Node) -> bool:
    """A method of a (local) class is already one level deeper through its class: no extra nesting."""
    parent = parent_of(node)
    while parent is not None and parent.type == "template_declaration":
        parent = parent_of(parent)
    return node.type == "function_definition" and parent is not None and \
        parent.type == "field_declaration_list"


SPEC = dataclasses.replace(
    c.SPEC,
    name="cpp",
    lambda_types=frozenset({"lambda_expression"}),
    class_types=CLASS_TYPES,
    class_name_of=class_name,
    name_from_parent={"init_declarator": "declarator"},
    operand_types=c.OPERAND_TYPES | {"namespace_identifier", "nullptr", "this"},
    string_types=c.STRING_TYPES | {"raw_string_literal", "user_defined_literal"},
    cc_nodes=c.CC_NODES | {"for_range_loop": "for-range", "catch_clause": "catch"},
    cog_rules=c.COG_RULES | {
        "for_range_loop": CogRule(S, "for-range", (ALL_FIELDS,)),
        "catch_clause": CogRule(S, "catch", ("body",)),
        "try_statement": CogRule(Z, "try"),
    },
    bool_operators=frozenset({"&&", "||", "and", "or"}),
    # a constructor's initializer list (no field name) belongs to the constructor
    body_fields=("body", None),
    transparent_wrapper=is_member,
)
