"""C#: tree-sitter-c-sharp node types for functions, decisions and cognitive increments.

Cognitive complexity follows SonarSource's C# analyzer: `goto` (also `goto case` / `goto default`)
is +1 plus nesting (a Sonar quirk: it does not nest anything); lambdas, anonymous methods and local
functions raise nesting (N) and count in the enclosing member; `??` and `?.` add nothing.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import CogRule, LanguageSpec, S, Z, text_of, parent_of

FUNCTION_TYPES = frozenset({
    "method_declaration", "constructor_declaration", "destructor_declaration", "operator_declaration",
    "conversion_operator_declaration", "accessor_declaration", "local_function_statement",
    # only with an expression body (`int P => x;`, `int this[int i] => a[i];`), see is_member_function
    "property_declaration", "indexer_declaration",
})
LAMBDA_TYPES = frozenset({"lambda_expression", "anonymous_method_expression"})
# A C# 14 `extension(T x) { ... }` block parses as a constructor named `extension`: a scope, not a
# function (see is_member_function).
CLASS_TYPES = frozenset({"class_declaration", "struct_declaration", "record_declaration",
                         "interface_declaration", "constructor_declaration"})
ACCESSOR_OWNERS = frozenset({"property_declaration", "indexer_declaration", "event_declaration"})

CC_NODES = {
    "if_statement": "if",
    "conditional_expression": "ternary",
    "for_statement": "for",
    "foreach_statement": "foreach",
    "while_statement": "while",
    "do_statement": "do-while",
    "catch_clause": "catch",
}

COG_RULES = {
    "if_statement": CogRule(S, "if", ("consequence",)),
    "conditional_expression": CogRule(S, "ternary", ("consequence", "alternative")),
    "switch_statement": CogRule(S, "switch", ("body",)),
    "switch_expression": CogRule(S, "switch expression", (), ("switch_expression_arm",)),
    "for_statement": CogRule(S, "for", ("body",)),
    "foreach_statement": CogRule(S, "foreach", ("body",)),
    "while_statement": CogRule(S, "while", ("body",)),
    "do_statement": CogRule(S, "do-while", ("body",)),
    "catch_clause": CogRule(S, "catch", ("body",)),
    "goto_statement": CogRule(S, "goto", ()),
    "try_statement": CogRule(Z, "try"),
    "finally_clause": CogRule(Z, "finally"),
}

OPERAND_TYPES = frozenset({
    "identifier", "integer_literal", "real_literal", "character_literal", "boolean_literal",
    "null_literal", "this", "base", "verbatim_string_literal", "raw_string_literal", "implicit_parameter",
})

def is_extension_block(node: Node) -> bool:
    """`extension(string s) { ... }` (C# 14): tree-sitter-c-sharp reads it as a constructor named
    `extension` without modifiers inside a class of another name."""
    if node.type != "constructor_declaration" or any(c.type == "modifier" for c in node.children):
        return False
    name = node.child_by_field_name("name")
    if name is None or name.text != b"extension":
        return False
    parent = parent_of(node)
    owner = parent_of(parent) if parent is not None else None
    owner_name = owner.child_by_field_name("name") if owner is not None else None
    return owner_name is None or owner_name.text != b"extension"


def extension_block_note(root: Node, source: bytes) -> str | None:
    """C# 14 extension blocks: their methods are measured, other members may not parse."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "constructor_declaration" and is_extension_block(node):
            return ("C# 14 extension blocks: methods inside them are measured; properties and operators "
                    "inside them are not parsed yet (grammar predates C# 14)")
        if node.type in ("compilation_unit", "namespace_declaration", "file_scoped_namespace_declaration",
                         "declaration_list", "class_declaration", "struct_declaration"):
            stack.extend(node.named_children)
    return None


def is_static_local_function(node: Node) -> bool:
    """`static int Helper(...)` inside a method: Sonar's C# analyser scores it on its own."""
    return node.type == "local_function_statement" and \
        any(c.type == "modifier" and c.text == b"static" for c in node.children)


def is_member_function(node: Node) -> bool:
    """Accessors count when they have a body; properties and indexers when expression-bodied; an
    extension block is a scope."""
    node_type = node.type
    if node_type == "constructor_declaration":
        return not is_extension_block(node)
    if node_type == "accessor_declaration":
        return node.child_by_field_name("body") is not None
    if node_type in ("property_declaration", "indexer_declaration"):
        value = node.child_by_field_name("value")
        return value is not None and value.type == "arrow_expression_clause"
    return True


def member_name(node: Node, source: bytes) -> str | None:
    """Names the tree does not give directly: `~A`, `operator +`, `this`, `P.get`."""
    node_type = node.type
    name = node.child_by_field_name("name")
    if node_type == "destructor_declaration" and name is not None:
        return "~" + text_of(name, source)
    if node_type == "operator_declaration":
        operator = node.child_by_field_name("operator")
        return "operator " + text_of(operator, source) if operator is not None else "operator"
    if node_type == "conversion_operator_declaration":
        target = node.child_by_field_name("type")
        return "operator " + text_of(target, source) if target is not None else "operator"
    if node_type == "indexer_declaration":
        return "this"
    if node_type == "accessor_declaration":
        keyword = text_of(name, source) if name is not None else "accessor"
        parent = parent_of(node)
        owner = parent_of(parent) if parent is not None else None
        if owner is not None and owner.type in ACCESSOR_OWNERS:
            owner_name = owner.child_by_field_name("name")
            prefix = text_of(owner_name, source) if owner_name is not None else "this"
            return f"{prefix}.{keyword}"
        return keyword
    return None


def is_default_section(node: Node) -> bool:
    """`default:` sections; tree-sitter gives every `case` label its own switch_section."""
    return any(child.type == "default" for child in node.children) and \
        not any(child.type == "case" for child in node.children)


def is_discard_arm(node: Node) -> bool:
    """`_ => ...` is the switch expression's default; `_ when c => ...` still decides."""
    named = [child for child in node.named_children if child.type != "comment"]
    return bool(named) and named[0].type == "discard" and \
        not any(child.type == "when_clause" for child in named)


def is_default_case(node: Node) -> bool:
    return is_default_section(node) if node.type == "switch_section" else is_discard_arm(node)


_PARENS = frozenset({"parenthesized_expression", "parenthesized_pattern"})
_MAX_CHAIN = 64


def _logical_kind(node: Node | None) -> str | None:
    """`&&`, `||`, `and_pattern` or `or_pattern`; None for anything else."""
    if node is None:
        return None
    if node.type in ("and_pattern", "or_pattern"):
        return node.type
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        if operator is not None and operator.type in ("&&", "||"):
            return operator.type
    return None


def _unwrapped(node: Node | None) -> Node | None:
    while node is not None and node.type in _PARENS:
        inner = [c for c in node.named_children if c.type != "comment"]
        node = inner[0] if len(inner) == 1 else None
    return node


def _right_of_same_kind(node: Node, kind: str | None) -> Node | None:
    """The same-kind operator whose right operand (parentheses removed) ``node`` is, or None."""
    child, parent = node, parent_of(node)
    while parent is not None and parent.type in _PARENS:
        child, parent = parent, parent_of(parent)
    if parent is None or _logical_kind(parent) != kind or parent.child_by_field_name("right") != child:
        return None
    return parent


def continues_bool_run(node: Node) -> bool:
    """Sonar's C# analyser: an `&&`/`||` (or pattern `and`/`or`) adds +1 unless its left operand,
    parentheses removed, is the same operator; and a same-kind right operand of a counted operator is
    skipped. So `a || b && c || d` is 2 (the AST is `(a || (b && c)) || d`), not 3 as in source order,
    while `a && !(b && c)` is 2 (the negation hides the inner one)."""
    kind = _logical_kind(node)
    if _logical_kind(_unwrapped(node.child_by_field_name("left"))) == kind:
        return True
    links = 0       # skipped when the chain of same-kind right operands above it has odd length
    current: Node | None = node
    while links < _MAX_CHAIN and current is not None:
        current = _right_of_same_kind(current, kind)
        links += current is not None
    return links % 2 == 1


SPEC = LanguageSpec(
    name="csharp",
    function_types=FUNCTION_TYPES,
    lambda_types=LAMBDA_TYPES,
    class_types=CLASS_TYPES,
    is_function=is_member_function,
    name_of=member_name,
    name_from_parent={"variable_declarator": "name"},
    # `value`: expression-bodied property; None: an anonymous method's block has no field name
    body_fields=("body", "value", None),
    comment_types=frozenset({"comment"}),
    # literals with inner tokens: one Halstead operand each (interpolations are still walked)
    string_types=frozenset({"string_literal", "interpolated_string_expression", "verbatim_string_literal",
                            "raw_string_literal", "character_literal", "boolean_literal"}),
    interpolation_types=frozenset({"interpolation"}),
    operand_types=OPERAND_TYPES,
    cc_nodes=CC_NODES,
    case_types=frozenset({"switch_section", "switch_expression_arm"}),
    is_default_case=is_default_case,
    # pattern combinators `and` / `or` count like `&&` / `||` (Sonar's C# analyser); `not` is a negation
    bool_types=frozenset({"binary_expression", "and_pattern", "or_pattern"}),
    bool_operators=frozenset({"&&", "||", "and", "or"}),
    cog_rules=COG_RULES,
    if_types=frozenset({"if_statement"}),
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=False,
    not_types=frozenset({"prefix_unary_expression"}),
    continues_bool_run=continues_bool_run,
    nested_functions_in_parent=True,
    scored_alone=is_static_local_function,
    file_note=extension_block_note,
)
