"""Go: tree-sitter-go node types for functions, decisions and cognitive increments.

Cognitive rules follow gocognit (Sonar's rules for Go): `switch`, type switch and `select` are one
S increment each, func literals nest and count in the enclosing function, labelled `break` /
`continue` and `goto` are +1 flat, and a parenthesised group starts a new boolean sequence.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import CogRule, LanguageSpec, S, Z, text_of, parent_of

FUNCTIONS = frozenset({"function_declaration", "method_declaration"})
LITERALS = frozenset({"func_literal"})
CASES = ("expression_case", "type_case", "communication_case", "default_case")
JUMPS = frozenset({"break_statement", "continue_statement"})


def _receiver_type(node: Node, source: bytes) -> str | None:
    """`func (r *List[T]) Push(...)` -> "List": the receiver's type without pointer and type arguments."""
    if node.type != "method_declaration":
        return None
    receiver = node.child_by_field_name("receiver")
    params = [c for c in receiver.named_children if c.type == "parameter_declaration"] if receiver else []
    if not params:
        return None
    current = params[0].child_by_field_name("type")
    while current is not None and current.type in ("pointer_type", "generic_type", "parenthesized_type"):
        inner = current.child_by_field_name("type")
        current = inner if inner is not None else (current.named_children[0] if current.named_children else None)
    return text_of(current, source) or None


def _assigned_name(node: Node, source: bytes) -> str | None:
    """`f := func() {...}`, `f = func...`, `var f = func...`: the name on the left at the same index."""
    if node.type not in LITERALS:
        return None
    values = parent_of(node)
    if values is None or values.type != "expression_list":
        return None
    holder = parent_of(values)
    if holder is None:
        return None
    if holder.type in ("short_var_declaration", "assignment_statement"):
        targets = holder.child_by_field_name("left")
        names = targets.named_children if targets is not None else []
    elif holder.type in ("var_spec", "const_spec"):
        names = holder.children_by_field_name("name")
    else:
        return None
    index = [c.id for c in values.named_children].index(node.id)
    return text_of(names[index], source) if index < len(names) else None


def _is_default_case(node: Node) -> bool:
    return node.type == "default_case"


def _is_flat_jump(node: Node) -> bool:
    """`goto L`, `break L`, `continue L`: +1 flat (plain break/continue add nothing)."""
    if node.type == "goto_statement":
        return True
    return node.type in JUMPS and any(c.type == "label_name" for c in node.named_children)


SPEC = LanguageSpec(
    name="go",
    function_types=FUNCTIONS,
    lambda_types=LITERALS,
    name_of=_assigned_name,
    qualifier_of=_receiver_type,
    body_fields=("body",),
    comment_types=frozenset({"comment"}),
    string_types=frozenset({"interpreted_string_literal", "raw_string_literal"}),
    operand_types=frozenset({"identifier", "field_identifier", "type_identifier", "package_identifier",
                             "label_name", "int_literal", "float_literal", "imaginary_literal",
                             "rune_literal", "true", "false", "nil", "iota", "blank_identifier"}),
    cc_nodes={"if_statement": "if", "for_statement": "for"},
    case_types=frozenset({"expression_case", "type_case", "communication_case", "default_case"}),
    is_default_case=_is_default_case,
    bool_types=frozenset({"binary_expression"}),
    bool_operators=frozenset({"&&", "||"}),
    cog_rules={
        "if_statement": CogRule(S, "if", ("consequence",)),
        "for_statement": CogRule(S, "for", ("body",)),
        "expression_switch_statement": CogRule(S, "switch", (), CASES),
        "type_switch_statement": CogRule(S, "type switch", (), CASES),
        "select_statement": CogRule(S, "select", (), CASES),
        "labeled_statement": CogRule(Z, "label"),
    },
    if_types=frozenset({"if_statement"}),
    alternative_field="alternative",
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=True,
    jump_is_flat=_is_flat_jump,
    jump_types=frozenset({"break_statement", "continue_statement", "goto_statement"}),
    nested_functions_in_parent=True,
    lambdas_nest=True,
)
