"""C: tree-sitter-c node types for functions, decisions and cognitive increments.

Cognitive complexity follows clang-tidy's readability-function-cognitive-complexity (written against
SonarSource's reference): `goto` is +1 flat, preprocessor conditionals add nothing, recursion adds
nothing. C++ (guardline.languages.cpp) extends these tables.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import ALL_FIELDS, CogRule, LanguageSpec, N, S, parent_of, text_of

# Wrappers around the declarator that names a function: `*f(...)`, `&f(...)`, `(f)(...)`.
DECLARATOR_WRAPPERS = frozenset({"pointer_declarator", "reference_declarator", "parenthesized_declarator",
                                 "attributed_declarator", "function_declarator"})
PREPROC_CONDITIONALS = frozenset({"preproc_if", "preproc_elif", "preproc_ifdef", "preproc_elifdef"})

CC_NODES = {
    "if_statement": "if",
    "conditional_expression": "ternary",
    "for_statement": "for",
    "while_statement": "while",
    "do_statement": "do-while",
}

# clang-tidy's readability-function-cognitive-complexity traverses a loop's header, a switch's
# condition and a ternary's condition with the nesting of their bodies (ALL_FIELDS); an if's condition
# stays at the if's level. A GNU statement expression `({ ... })` raises nesting like a block would.
COG_RULES = {
    "if_statement": CogRule(S, "if", ("consequence",)),
    "conditional_expression": CogRule(S, "ternary", (ALL_FIELDS,)),
    "switch_statement": CogRule(S, "switch", (ALL_FIELDS,)),
    "for_statement": CogRule(S, "for", (ALL_FIELDS,)),
    "while_statement": CogRule(S, "while", (ALL_FIELDS,)),
    "do_statement": CogRule(S, "do-while", (ALL_FIELDS,)),
    "parenthesized_expression": CogRule(N, "statement expression", (), ("compound_statement",)),
}

OPERAND_TYPES = frozenset({
    "identifier", "field_identifier", "type_identifier", "statement_identifier", "number_literal",
    "true", "false", "null", "system_lib_string",
})
# literals with inner tokens: one Halstead operand each
STRING_TYPES = frozenset({"string_literal", "concatenated_string", "char_literal"})

_STATEMENT_KEYWORDS = frozenset({b"if", b"for", b"while", b"switch", b"do", b"return", b"else", b"case"})


def function_declarator(node: Node) -> Node | None:
    """The innermost declarator naming a function definition (under pointers, references...)."""
    current = node.child_by_field_name("declarator")
    while current is not None and current.type in DECLARATOR_WRAPPERS:
        inner = current.child_by_field_name("declarator")
        if inner is None:   # reference_declarator and friends hold it without a field name
            inner = next((c for c in current.named_children if c.type not in ("type_qualifier",
                                                                               "attribute_specifier")), None)
        if inner is None or inner.id == current.id:
            break
        current = inner
    return current


def name_node(node: Node) -> Node | None:
    """The node that spells the function's own name (last part of `A::B::f`)."""
    if node.type != "function_definition":
        return None
    declarator = function_declarator(node)
    while declarator is not None and declarator.type == "qualified_identifier":
        declarator = declarator.child_by_field_name("name")
    return declarator


def qualifier(node: Node, source: bytes) -> str | None:
    """`Class::method` defined out of its class: `Class` (or `ns.Class`) prefixes the name."""
    declarator = function_declarator(node)
    parts: list[str] = []
    while declarator is not None and declarator.type == "qualified_identifier":
        scope = declarator.child_by_field_name("scope")
        if scope is not None:
            if scope.type == "template_type":
                scope = scope.child_by_field_name("name") or scope
            parts.append(text_of(scope, source))
        declarator = declarator.child_by_field_name("name")
    return ".".join(parts) if parts else None


def is_real_function(node: Node) -> bool:
    """Error recovery after a statement macro without `;` (`Py_END_ALLOW_THREADS if (x) {...}`)
    reads `if (...) {...}` as a function definition named `if`: that is no function."""
    if node.type != "function_definition":
        return True
    named = name_node(node)
    return named is None or named.type != "identifier" or named.text not in _STATEMENT_KEYWORDS


def is_full_ternary(node: Node) -> bool:
    """GNU `a ?: b` (no middle operand) is a fallback value like `??`, not a branch: it adds nothing to
    cyclomatic or cognitive complexity (clang-tidy counts only ConditionalOperator, not GNU's
    BinaryConditionalOperator). The lizard profile still counts its `?` token, as lizard does."""
    return node.type != "conditional_expression" or node.child_by_field_name("consequence") is not None


def function_name(node: Node, source: bytes) -> str | None:
    if node.type != "function_definition":
        return None   # a lambda: named after its variable or `<lambda>@LINE`
    named = name_node(node)
    if named is None:
        return None
    if named.type == "template_function":
        named = named.child_by_field_name("name") or named
    if named.type == "operator_cast":
        return _conversion_name(named, source)
    return " ".join(text_of(named, source).split())


def _conversion_name(node: Node, source: bytes) -> str:
    """`operator bool() const` -> `operator bool`; `operator char*()` -> `operator char*`: the text
    before the parameter list."""
    end = node.end_byte
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "parameter_list":
            end = min(end, current.start_byte)
        stack.extend(current.children)
    return " ".join(source[node.start_byte:end].decode("utf-8", "replace").split())


# A boolean operator's run is looked for up to these: a call's arguments start afresh (clang-tidy's
# TraverseCallExpr), a statement or declaration ends the expression.
_RUN_STOPS = frozenset({"call_expression", "lambda_expression", "compound_statement", "expression_statement",
                        "declaration", "init_declarator", "return_statement", "condition_clause",
                        "parenthesized_declarator", "field_declaration", "function_definition"})
_LOGICAL = {"&&": "&&", "||": "||", "and": "&&", "or": "||"}


def continues_bool_run(node: Node) -> bool:
    """clang-tidy's sequences of binary logical operators: an `&&`/`||` adds +1 unless its nearest
    enclosing logical operator (through parentheses, `!`, casts, other operators; not through a
    call's arguments) is the same one. So `a || b && c || d` is 2 (`||` +1, `&&` +1: the AST is
    `(a || (b && c)) || d`), not 3 as in source order, and `a && !(b && c)` is 1."""
    op = _LOGICAL.get(_operator_type(node) or "")
    parent = parent_of(node)
    for _ in range(_MAX_RUN_DEPTH):
        if parent is None or parent.type in _RUN_STOPS or parent.type.endswith("_statement"):
            return False
        if parent.type == "binary_expression":
            outer = _LOGICAL.get(_operator_type(parent) or "")
            if outer is not None:
                return outer == op
        parent = parent_of(parent)
    return False


_MAX_RUN_DEPTH = 64


def _operator_type(node: Node) -> str | None:
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else None


def is_default_case(node: Node) -> bool:
    return node.child_by_field_name("value") is None


def is_goto(node: Node) -> bool:
    return node.type == "goto_statement"


SPEC = LanguageSpec(
    name="c",
    function_types=frozenset({"function_definition"}),
    name_of=function_name,
    is_function=is_real_function,
    name_node_of=name_node,
    qualifier_of=qualifier,
    body_fields=("body",),   # lizard restarts the count at `{`: parameters are not the body
    comment_types=frozenset({"comment"}),
    string_types=STRING_TYPES,
    operand_types=OPERAND_TYPES,
    cc_nodes=CC_NODES,
    cc_filter=is_full_ternary,
    cog_filter=is_full_ternary,
    case_types=frozenset({"case_statement"}),
    is_default_case=is_default_case,
    bool_types=frozenset({"binary_expression"}),
    bool_operators=frozenset({"&&", "||"}),
    cog_rules=COG_RULES,
    if_types=frozenset({"if_statement"}),
    else_types=frozenset({"else_clause"}),
    paren_types=frozenset({"parenthesized_expression"}),
    parens_split_sequences=False,
    not_types=frozenset({"unary_expression"}),
    continues_bool_run=continues_bool_run,
    jump_is_flat=is_goto,
    jump_types=frozenset({"break_statement", "continue_statement", "goto_statement"}),
    nested_functions_in_parent=True,
    preprocessor_types=PREPROC_CONDITIONALS,
)
