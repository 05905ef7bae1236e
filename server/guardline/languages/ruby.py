"""Ruby: tree-sitter-ruby node types for functions, decisions and cognitive increments.

Methods and singleton methods are named functions; blocks (`do ... end`, `{ }`), `-> { }` lambdas
and `lambda { }` / `proc { }` are anonymous functions (named by the assignment they sit in).
Cognitive rules follow Sonar's Ruby analyzer: `unless` like `if`, `until` like `while`, statement
modifiers (`x if c`) are S, `rescue` is S, blocks only raise nesting.

The lizard profile's Ruby reader is guardline.metrics.profiles.lizard.ruby.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import ALL_FIELDS, CogRule, H, LanguageSpec, S, Z, text_of, parent_of

BLOCKS = frozenset({"block", "do_block"})
CASE_ARMS = ("when", "in_clause", "else")
LAMBDA_CALLS = frozenset({b"lambda", b"proc"})


def _method_name(node: Node, source: bytes) -> str | None:
    """`def self.build` -> "self.build" (lizard's name too); blocks: the variable they are assigned to."""
    if node.type == "singleton_method":
        target = text_of(node.child_by_field_name("object"), source)
        return f"{target}.{text_of(node.child_by_field_name('name'), source)}"
    if node.type in BLOCKS:
        return _assigned_block_name(node, source)
    return None


def _assigned_block_name(node: Node, source: bytes) -> str | None:
    """`f = ->(x) { }`, `f = lambda { }`, `f = proc do ... end`: the assignment's left side."""
    holder = parent_of(node)
    if holder is None:
        return None
    if holder.type == "lambda":
        outer = parent_of(holder)
    elif holder.type == "call" and holder.child_by_field_name("receiver") is None and \
            (holder.child_by_field_name("method") or holder).text in LAMBDA_CALLS:
        outer = parent_of(holder)
    else:
        return None
    if outer is not None and outer.type == "assignment":
        return text_of(outer.child_by_field_name("left"), source).strip() or None
    return None


def _class_name(node: Node, source: bytes) -> str | None:
    return text_of(node.child_by_field_name("name"), source) or None


SPEC = LanguageSpec(
    name="ruby",
    function_types=frozenset({"method", "singleton_method"}),
    lambda_types=BLOCKS,
    class_types=frozenset({"class", "module", "singleton_class"}),
    name_of=_method_name,
    class_name_of=_class_name,
    # the name belongs to the method too: lizard counts `def self.for` / `def while` as a condition
    body_fields=("body", "parameters", "name"),
    comment_types=frozenset({"comment"}),
    string_types=frozenset({"string", "regex", "delimited_symbol", "subshell", "string_array",
                            "symbol_array", "heredoc_body", "character"}),
    interpolation_types=frozenset({"interpolation"}),
    operand_types=frozenset({"identifier", "constant", "instance_variable", "class_variable",
                             "global_variable", "integer", "float", "complex", "rational", "true",
                             "false", "nil", "self", "simple_symbol", "hash_key_symbol",
                             "heredoc_beginning"}),
    cc_nodes={
        "if": "if", "elsif": "elsif", "unless": "unless", "if_modifier": "if modifier",
        "unless_modifier": "unless modifier", "conditional": "ternary",
        "while": "while", "until": "until", "for": "for",
        "while_modifier": "while modifier", "until_modifier": "until modifier",
        "rescue": "rescue", "rescue_modifier": "rescue modifier",
    },
    # each `when` / `in` arm; a case's `else` is a separate node type and never counts
    case_types=frozenset({"when", "in_clause"}),
    bool_types=frozenset({"binary"}),
    bool_operators=frozenset({"and", "or", "&&", "||"}),
    cog_rules={
        "if": CogRule(S, "if", ("consequence",)),
        "unless": CogRule(S, "unless", ("consequence",)),
        "elsif": CogRule(H, "elsif", ("consequence",)),
        "if_modifier": CogRule(S, "if modifier", ("body",)),
        "unless_modifier": CogRule(S, "unless modifier", ("body",)),
        "conditional": CogRule(S, "ternary", (ALL_FIELDS,)),
        "while": CogRule(S, "while", ("body",)),
        "until": CogRule(S, "until", ("body",)),
        "for": CogRule(S, "for", ("body",)),
        "while_modifier": CogRule(S, "while modifier", ("body",)),
        "until_modifier": CogRule(S, "until modifier", ("body",)),
        "case": CogRule(S, "case", (), CASE_ARMS),
        "case_match": CogRule(S, "case", (), CASE_ARMS),
        "rescue": CogRule(S, "rescue", ("body",)),
        "rescue_modifier": CogRule(S, "rescue modifier", ("handler",)),
        "begin": CogRule(Z, "begin"),
        "ensure": CogRule(Z, "ensure"),
    },
    if_types=frozenset({"if", "unless"}),
    else_if_types=frozenset({"elsif"}),
    else_types=frozenset({"else"}),
    alternative_field="alternative",
    paren_types=frozenset({"parenthesized_statements"}),
    parens_split_sequences=False,
    nested_functions_in_parent=True,
    lambdas_nest=True,
)
