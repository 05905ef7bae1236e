"""PHP: tree-sitter-php node types for functions, decisions and cognitive increments."""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import CogRule, H, LanguageSpec, N, S, Z

FUNCTION_TYPES = frozenset({"function_definition", "method_declaration"})
LAMBDA_TYPES = frozenset({"anonymous_function", "arrow_function"})
CLASS_TYPES = frozenset({"class_declaration", "interface_declaration", "trait_declaration",
                         "enum_declaration"})

CC_NODES = {
    "if_statement": "if",
    "else_if_clause": "elseif",
    "conditional_expression": "ternary",
    "for_statement": "for",
    "foreach_statement": "foreach",
    "while_statement": "while",
    "do_statement": "do-while",
    "catch_clause": "catch",
    "match_conditional_expression": "match arm",   # `default =>` is a match_default_expression
}

COG_RULES = {
    "if_statement": CogRule(S, "if", ("body",)),
    "else_if_clause": CogRule(H, "elseif", ("body",)),
    "conditional_expression": CogRule(S, "ternary", ("body", "alternative")),
    "switch_statement": CogRule(S, "switch", ("body",)),
    "match_expression": CogRule(N, "match", ("body",)),
    "for_statement": CogRule(S, "for", ("body",)),
    "foreach_statement": CogRule(S, "foreach", ("body",)),
    "while_statement": CogRule(S, "while", ("body",)),
    "do_statement": CogRule(S, "do-while", ("body",)),
    "catch_clause": CogRule(S, "catch", ("body",)),
    "try_statement": CogRule(Z, "try"),
    "finally_clause": CogRule(Z, "finally"),
}

def is_flat_jump(node: Node) -> bool:
    """`goto x`, `break 2`, `continue 2`: +1 flat (a plain break/continue adds nothing)."""
    if node.type == "goto_statement":
        return True
    return node.type in ("break_statement", "continue_statement") and node.named_child_count > 0


SPEC = LanguageSpec(
    name="php",
    function_types=FUNCTION_TYPES,
    lambda_types=LAMBDA_TYPES,
    class_types=CLASS_TYPES,
    name_from_parent={"assignment_expression": "left"},
    body_fields=("body", "parameters", "return_type"),
    comment_types=frozenset({"comment"}),
    # `$name` is one operand, like a literal
    string_types=frozenset({"string", "encapsed_string", "heredoc", "nowdoc", "variable_name", "text"}),
    operand_types=frozenset({"name", "integer", "float", "boolean", "null"}),
    cc_nodes=CC_NODES,
    case_types=frozenset({"case_statement"}),   # `default:` is a default_statement
    bool_types=frozenset({"binary_expression"}),
    bool_operators=frozenset({"&&", "||", "and", "or"}),
    cog_bool_operators=frozenset({"&&", "||"}),
    cog_rules=COG_RULES,
    if_types=frozenset({"if_statement"}),
    else_if_types=frozenset({"else_if_clause"}),
    else_types=frozenset({"else_clause"}),
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=False,
    not_types=frozenset({"unary_op_expression"}),
    jump_is_flat=is_flat_jump,
    jump_types=frozenset({"break_statement", "continue_statement", "goto_statement"}),
    nested_functions_in_parent=True,
)
