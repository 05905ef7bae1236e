"""JavaScript: tree-sitter-javascript node types for functions, decisions and cognitive increments.

TypeScript and TSX (guardline.languages.typescript) extend these tables with their own node types.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tree_sitter import Node

from guardline.languages.base import CogRule, LanguageSpec, S, Z

FUNCTION_TYPES = frozenset({"function_declaration", "generator_function_declaration", "method_definition"})
LAMBDA_TYPES = frozenset({"function_expression", "function", "generator_function", "arrow_function"})
CLASS_TYPES = frozenset({"class_declaration", "class"})

# An anonymous function takes the name of what it is assigned to: `const f = () => {}`,
# `obj.f = function () {}`, `{ f: () => {} }`, class field `f = () => {}`.
NAME_FROM_PARENT = {
    "variable_declarator": "name",
    "assignment_expression": "left",
    "augmented_assignment_expression": "left",
    "pair": "key",
    "field_definition": "property",
    "assignment_pattern": "left",   # default value of a parameter or destructuring
}

CC_NODES = {
    "if_statement": "if",
    "ternary_expression": "ternary",
    "for_statement": "for",
    "for_in_statement": "for-in/of",
    "while_statement": "while",
    "do_statement": "do-while",
    "catch_clause": "catch",
}

COG_RULES = {
    "if_statement": CogRule(S, "if", ("consequence",)),
    "ternary_expression": CogRule(S, "ternary", ("consequence", "alternative")),
    "switch_statement": CogRule(S, "switch", ("body",)),
    "for_statement": CogRule(S, "for", ("body",)),
    "for_in_statement": CogRule(S, "for-in/of", ("body",)),
    "while_statement": CogRule(S, "while", ("body",)),
    "do_statement": CogRule(S, "do-while", ("body",)),
    "catch_clause": CogRule(S, "catch", ("body",)),
    "try_statement": CogRule(Z, "try"),
    "finally_clause": CogRule(Z, "finally"),
}

OPERAND_TYPES = frozenset({
    "identifier", "property_identifier", "shorthand_property_identifier",
    "shorthand_property_identifier_pattern", "private_property_identifier", "statement_identifier",
    "number", "true", "false", "null", "undefined", "this", "super", "jsx_text", "hash_bang_line",
})

def is_labelled_jump(node: Node) -> bool:
    """`break outer` / `continue outer`: +1 flat (a plain break/continue adds nothing)."""
    return node.type in ("break_statement", "continue_statement") and \
        node.child_by_field_name("label") is not None


SPEC = LanguageSpec(
    name="javascript",
    function_types=FUNCTION_TYPES,
    lambda_types=LAMBDA_TYPES,
    class_types=CLASS_TYPES,
    name_from_parent=NAME_FROM_PARENT,
    # parameters belong to the function too (their defaults are decisions lizard counts there)
    body_fields=("body", "parameters", "parameter", "return_type"),
    comment_types=frozenset({"comment", "html_comment"}),
    string_types=frozenset({"string", "template_string", "regex"}),
    interpolation_types=frozenset({"template_substitution"}),
    operand_types=OPERAND_TYPES,
    cc_nodes=CC_NODES,
    case_types=frozenset({"switch_case"}),   # `default:` is a switch_default node
    bool_types=frozenset({"binary_expression"}),
    bool_operators=frozenset({"&&", "||"}),
    cog_rules=COG_RULES,
    if_types=frozenset({"if_statement"}),
    else_types=frozenset({"else_clause"}),
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=False,
    not_types=frozenset({"unary_expression"}),
    jump_is_flat=is_labelled_jump,
    jump_types=frozenset({"break_statement", "continue_statement"}),
    nested_functions_in_parent=False,
)


def extend(spec: LanguageSpec, **changes: Any) -> LanguageSpec:
    """A copy of a spec with some tables replaced (TypeScript builds on JavaScript)."""
    return dataclasses.replace(spec, **changes)
