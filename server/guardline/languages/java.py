"""Java: tree-sitter-java node types for functions, decisions and cognitive increments.

Cognitive complexity follows SonarSource's Java analyzer: an enhanced `for` is a loop (S); lambdas,
anonymous classes and local classes raise nesting (N) and their increments count in the enclosing
method (each is also reported on its own); labelled `break`/`continue` are +1 flat.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import CogRule, LanguageSpec, S, Z, text_of, parent_of

FUNCTION_TYPES = frozenset({"method_declaration", "constructor_declaration",
                            "compact_constructor_declaration"})
LAMBDA_TYPES = frozenset({"lambda_expression"})
# Class *bodies* are the scopes: one nesting level for an anonymous or local class, and the name
# comes from the declaration that owns the body (none for `new T() { ... }`).
CLASS_BODY_TYPES = frozenset({"class_body", "interface_body", "enum_body", "annotation_type_body"})

CC_NODES = {
    "if_statement": "if",
    "ternary_expression": "ternary",
    "for_statement": "for",
    "enhanced_for_statement": "for-each",
    "while_statement": "while",
    "do_statement": "do-while",
    "catch_clause": "catch",
}

COG_RULES = {
    "if_statement": CogRule(S, "if", ("consequence",)),
    "ternary_expression": CogRule(S, "ternary", ("consequence", "alternative")),
    "switch_expression": CogRule(S, "switch", ("body",)),
    "for_statement": CogRule(S, "for", ("body",)),
    "enhanced_for_statement": CogRule(S, "for-each", ("body",)),
    "while_statement": CogRule(S, "while", ("body",)),
    "do_statement": CogRule(S, "do-while", ("body",)),
    "catch_clause": CogRule(S, "catch", ("body",)),
    "try_statement": CogRule(Z, "try"),
    "try_with_resources_statement": CogRule(Z, "try"),
    "finally_clause": CogRule(Z, "finally"),
}

OPERAND_TYPES = frozenset({
    "identifier", "type_identifier", "decimal_integer_literal", "hex_integer_literal",
    "octal_integer_literal", "binary_integer_literal", "decimal_floating_point_literal",
    "hex_floating_point_literal", "character_literal", "true", "false", "null_literal",
    "this", "super",
})

def is_default_label(node: Node) -> bool:
    """`default:` / `default ->` / `case null, default ->` are the switch's default."""
    return any(child.type == "default" for child in node.children)


def is_labelled_jump(node: Node) -> bool:
    """`break outer;` / `continue outer;`: +1 flat (a plain break/continue adds nothing)."""
    return node.type in ("break_statement", "continue_statement") and \
        any(child.type == "identifier" for child in node.named_children)


def class_body_name(node: Node, source: bytes) -> str | None:
    """A class body is named after its declaration (`class A`, `enum E`, enum constant `C { }`)."""
    owner = parent_of(node)
    if owner is None or owner.type == "object_creation_expression":
        return None
    name = owner.child_by_field_name("name")
    return text_of(name, source) if name is not None else None


def is_member(node: Node) -> bool:
    """A method already sits one level deeper through its class body: it adds no nesting itself."""
    return node.type in FUNCTION_TYPES


SPEC = LanguageSpec(
    name="java",
    function_types=FUNCTION_TYPES,
    lambda_types=LAMBDA_TYPES,
    class_types=CLASS_BODY_TYPES,
    class_name_of=class_body_name,
    name_from_parent={"variable_declarator": "name"},
    body_fields=("body",),   # lizard restarts the count at `{`: parameters are not the body
    comment_types=frozenset({"line_comment", "block_comment"}),
    string_types=frozenset({"string_literal"}),
    operand_types=OPERAND_TYPES,
    cc_nodes=CC_NODES,
    case_types=frozenset({"switch_label"}),
    is_default_case=is_default_label,
    bool_types=frozenset({"binary_expression"}),
    bool_operators=frozenset({"&&", "||"}),
    cog_rules=COG_RULES,
    if_types=frozenset({"if_statement"}),
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=False,
    not_types=frozenset({"unary_expression"}),
    jump_is_flat=is_labelled_jump,
    jump_types=frozenset({"break_statement", "continue_statement"}),
    nested_functions_in_parent=True,
    transparent_wrapper=is_member,
)
