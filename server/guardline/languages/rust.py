"""Rust: tree-sitter-rust node types for functions, decisions and cognitive increments.

Cognitive rules follow Sonar's Rust analyzer: `if let` / `while let` are an `if` / a loop, a
`match` is one S increment (its arms are nested), `loop` is a loop, closures nest and count in the
enclosing function, `?` adds nothing, labelled `break` / `continue` are +1 flat.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import CogRule, LanguageSpec, S, text_of, parent_of

JUMPS = frozenset({"break_expression", "continue_expression"})


def _impl_qualifier(node: Node, source: bytes) -> str | None:
    """A method's `impl` / `trait` (fn -> declaration_list -> impl_item). Not a class scope: lizard
    counts an impl's `for` / `where` inside a fn body as that fn's, so an impl must not hide them."""
    if node.type != "function_item":
        return None
    parent = parent_of(node)
    holder = parent_of(parent) if parent is not None and parent.type == "declaration_list" else None
    return _impl_name(holder, source) if holder is not None and holder.type in ("impl_item", "trait_item") else None


def _impl_name(node: Node, source: bytes) -> str | None:
    """`impl<T> Trait for Stack<T>` -> "Stack"; `trait Shape` -> "Shape"."""
    if node.type == "trait_item":
        return text_of(node.child_by_field_name("name"), source) or None
    current = node.child_by_field_name("type")
    while current is not None and current.type in ("generic_type", "reference_type", "pointer_type",
                                                   "scoped_type_identifier"):
        inner = current.child_by_field_name("type") or current.child_by_field_name("name")
        if inner is None:
            break
        current = inner
    return text_of(current, source) or None


def _is_wildcard_arm(node: Node) -> bool:
    """`_ => ...` (without a guard) is the default arm of a match."""
    pattern = node.child_by_field_name("pattern")
    if pattern is None:
        return False
    children = pattern.children
    return len(children) == 1 and children[0].type == "_"


def _is_flat_jump(node: Node) -> bool:
    """`break 'outer` / `continue 'outer`: +1 flat."""
    return node.type in JUMPS and any(c.type == "label" for c in node.children)


SPEC = LanguageSpec(
    name="rust",
    function_types=frozenset({"function_item"}),
    lambda_types=frozenset({"closure_expression"}),
    qualifier_of=_impl_qualifier,
    name_from_parent={"let_declaration": "pattern", "assignment_expression": "left"},
    # lizard opens a function at `fn`: a `where` clause or `?Sized` in the signature is the function's.
    # Nothing in a signature is a guardline decision, so this changes no other profile.
    body_fields=("body", "parameters", "return_type", "type_parameters", None),
    comment_types=frozenset({"line_comment", "block_comment"}),
    string_types=frozenset({"string_literal", "raw_string_literal", "char_literal"}),
    operand_types=frozenset({"identifier", "field_identifier", "type_identifier", "primitive_type",
                             "integer_literal", "float_literal", "boolean_literal", "self",
                             "shorthand_field_identifier", "lifetime", "metavariable", "crate", "super"}),
    cc_nodes={
        "if_expression": "if",
        "for_expression": "for",
        "while_expression": "while",
        "loop_expression": "loop",
    },
    case_types=frozenset({"match_arm"}),
    is_default_case=_is_wildcard_arm,
    bool_types=frozenset({"binary_expression"}),
    bool_operators=frozenset({"&&", "||"}),
    cog_rules={
        "if_expression": CogRule(S, "if", ("consequence",)),
        "for_expression": CogRule(S, "for", ("body",)),
        "while_expression": CogRule(S, "while", ("body",)),
        "loop_expression": CogRule(S, "loop", ("body",)),
        "match_expression": CogRule(S, "match", ("body",)),
    },
    if_types=frozenset({"if_expression"}),
    else_types=frozenset({"else_clause"}),
    alternative_field="alternative",
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=False,
    jump_is_flat=_is_flat_jump,
    jump_types=JUMPS,
    nested_functions_in_parent=True,
    lambdas_nest=True,
)
