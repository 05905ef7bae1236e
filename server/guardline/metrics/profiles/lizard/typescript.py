"""lizard 1.24's TypeScript and TSX readers: JavaScript's rules (lizard.javascript) plus parameter
defaults with type annotations, generic functions lizard does not see, and TSX's tokenizer (no
`word?` token)."""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages import javascript as js_language
from guardline.languages.base import parent_of
from guardline.metrics.profiles.base import LizardRules
from guardline.metrics.profiles.lizard import javascript as js


def lizard_ts_extra(node: Node) -> int:
    """JavaScript's extras plus TypeScript parameter defaults (`(x: number = 0)`)."""
    if node.type in ("required_parameter", "optional_parameter"):
        if node.child_by_field_name("value") is None or js.in_member_arrow_parameters(node) or \
                in_generic_function(node):
            return 0
        return 1
    return 0 if in_generic_function(node) else js.lizard_default(node)


# `function f<T>(...) {`: lizard's .ts reader skips `<T>` and returns to its statement state, so it
# reads `(...)` as a call and the body as an object literal: f is no function for it, its conditions
# count nowhere (an `=>` in a parameter type opens an "(anonymous)" function of CCN 1 on that line).
_FUNCTION_KEYWORD_TYPES = frozenset({"function_declaration", "generator_function_declaration",
                                     "function_expression", "generator_function"})
_ALL_FUNCTIONS = js_language.FUNCTION_TYPES | js_language.LAMBDA_TYPES


def in_generic_function(node: Node) -> bool:
    """The innermost function around node is a `function name<T>(...)`."""
    parent = parent_of(node)
    while parent is not None and parent.type not in _ALL_FUNCTIONS:
        parent = parent_of(parent)
    if parent is None or parent.type not in _FUNCTION_KEYWORD_TYPES or \
            parent.child_by_field_name("type_parameters") is None:
        return False
    return not _in_namespace_body(parent)


def _in_namespace_body(function: Node) -> bool:
    """`namespace N { function f<T>() {} }`: lizard reads the namespace body as an object literal,
    where `name<T>(` is a method again (named "function"): its conditions count."""
    holder = parent_of(function)
    if holder is not None and holder.type == "export_statement":
        holder = parent_of(holder)
    block_owner = parent_of(holder) if holder is not None and holder.type == "statement_block" else None
    return block_owner is not None and block_owner.type in ("internal_module", "module")


def lizard_ts_token_counts(node: Node) -> bool:
    """JavaScript's token rules, and nothing counts in a generic `function f<T>()` (see above)."""
    return js.lizard_token_counts(node) and not in_generic_function(node)


def tsx_question_counts(node: Node) -> bool:
    """lizard's TSX tokenizer has no `word?` token: every `?` counts there (optional names too);
    tokens of an arrow function lizard guesses and abandons do not."""
    return not js.in_abandoned_parens(node)


def lizard_tsx_extra(node: Node) -> int:
    """The TSX tokenizer reads `<T>` as one token and keeps generic functions: no generic rule."""
    if node.type in ("required_parameter", "optional_parameter"):
        value = node.child_by_field_name("value")
        return 1 if value is not None and not js.in_member_arrow_parameters(node) else 0
    return js.lizard_default(node)


TYPESCRIPT = LizardRules(
    tokens=js.LIZARD_TOKENS,
    extra=lizard_ts_extra,
    token_filter=lizard_ts_token_counts,
    opaque=js.LIZARD_OPAQUE,
    body_end=js.lizard_arrow_end,
)
TSX = LizardRules(
    tokens=js.LIZARD_TOKENS,
    extra=lizard_tsx_extra,
    token_filter=tsx_question_counts,
    opaque=js.LIZARD_OPAQUE,
    body_end=js.lizard_arrow_end,
)

RULES = TYPESCRIPT
RULES_BY_NAME = {"typescript": TYPESCRIPT, "tsx": TSX}
