"""Python: tree-sitter-python node types for functions, decisions and cognitive increments."""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import ALL_FIELDS, CogRule, H, LanguageSpec, N, S, Z, parent_of

COMPREHENSIONS = frozenset({"list_comprehension", "set_comprehension", "dictionary_comprehension",
                            "generator_expression"})


def is_comprehension_if(node: Node) -> bool:
    """`if` clauses count only inside comprehensions (a `case x if y` guard is also an if_clause)."""
    if node.type != "if_clause":
        return True
    parent = parent_of(node)
    return parent is not None and parent.type in COMPREHENSIONS


def is_catch_all_case(node: Node) -> bool:
    """`case _:` and a bare capture `case x:` match everything: the default of a match."""
    patterns = [c for c in node.named_children if c.type == "case_pattern"]
    if len(patterns) != 1:
        return False
    inner = patterns[0].named_children
    if not inner:
        return True   # `_`
    return len(inner) == 1 and inner[0].type == "dotted_name" and inner[0].named_child_count == 1 \
        and "." not in (inner[0].text or b"").decode("utf-8", "replace")


def _is_decorator_wrapper(node: Node) -> bool:
    """A nested def that is the whole body of a decorator (`def deco(f): def wrapper(...): ...;
    return wrapper`) does not raise nesting (Sonar's Python rule)."""
    inner = node.parent if node.parent is not None and node.parent.type == "decorated_definition" else node
    block = inner.parent
    if block is None or block.type != "block" or block.parent is None or \
            block.parent.type != "function_definition":
        return False
    statements = [c for c in block.named_children if c.type != "comment"]
    if statements and statements[0].type == "expression_statement" and \
            statements[0].named_child_count == 1 and statements[0].named_children[0].type == "string":
        statements = statements[1:]   # docstring
    if len(statements) != 2 or statements[0].id != inner.id or statements[1].type != "return_statement":
        return False
    returned = statements[1].named_children
    name = node.child_by_field_name("name")
    return len(returned) == 1 and returned[0].type == "identifier" and name is not None \
        and returned[0].text == name.text


SPEC = LanguageSpec(
    name="python",
    function_types=frozenset({"function_definition"}),
    lambda_types=frozenset({"lambda"}),
    class_types=frozenset({"class_definition"}),
    name_from_parent={"assignment": "left"},
    body_fields=("body",),
    comment_types=frozenset({"comment"}),
    string_types=frozenset({"string", "concatenated_string"}),
    interpolation_types=frozenset({"interpolation", "string"}),
    operand_types=frozenset({"identifier", "integer", "float", "true", "false", "none", "ellipsis"}),
    cc_nodes={
        "if_statement": "if",
        "elif_clause": "elif",
        "conditional_expression": "ternary",
        "for_statement": "for",
        "while_statement": "while",
        "except_clause": "except",
        "for_in_clause": "comprehension for",
        "if_clause": "comprehension if",
    },
    cc_filter=is_comprehension_if,
    case_types=frozenset({"case_clause"}),
    is_default_case=is_catch_all_case,
    bool_types=frozenset({"boolean_operator"}),
    bool_operators=frozenset({"and", "or"}),
    cog_rules={
        "if_statement": CogRule(S, "if", ("consequence",)),
        "elif_clause": CogRule(H, "elif", ("consequence",)),
        "else_clause": CogRule(H, "else", ("body",)),
        "for_statement": CogRule(S, "for", ("body",)),
        "while_statement": CogRule(S, "while", ("body",)),
        "except_clause": CogRule(S, "except", (), ("block",)),
        "conditional_expression": CogRule(S, "ternary", (ALL_FIELDS,)),
        "try_statement": CogRule(Z, "try"),
        "finally_clause": CogRule(Z, "finally"),
        "match_statement": CogRule(N, "match", ("body",)),
    },
    if_types=frozenset({"if_statement"}),
    else_if_types=frozenset({"elif_clause"}),
    else_types=frozenset({"else_clause"}),
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=True,
    not_types=frozenset({"not_operator"}),
    nested_functions_in_parent=True,
    lambdas_nest=False,
    class_resets_nesting=True,
    transparent_wrapper=_is_decorator_wrapper,
)
