"""lizard 1.24's Java reader (JavaReader on CLikeReader's conditions), replayed on the tree."""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import parent_of
from guardline.languages.java import LAMBDA_TYPES
from guardline.metrics.profiles.base import LizardRules

# lizard 1.24 (CLikeReader conditions, used by JavaReader): `if for while catch case && || ?`.
LIZARD_TOKENS = frozenset({"if", "for", "while", "catch", "case", "&&", "||", "?"})


def lizard_merges(node: Node, inside_function: bool) -> bool:
    """lizard's Java reader does not see lambdas: their tokens count in the enclosing method."""
    return node.type in LAMBDA_TYPES


def lizard_question(node: Node) -> bool:
    """A generic wildcard `<?>`, `<? extends T>` is one token for lizard's tokenizer (no condition)
    when the angle brackets hold no nested `<...>`."""
    parent = parent_of(node)
    if node.type != "?" or parent is None or parent.type != "wildcard":
        return True
    arguments = parent_of(parent)
    if arguments is None or arguments.type != "type_arguments":
        return True
    return any(child.type in ("generic_type", "type_arguments") or _has_generic(child)
               for child in arguments.named_children)


def _has_generic(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "type_arguments":
            return True
        stack.extend(current.named_children)
    return False


RULES = LizardRules(
    tokens=LIZARD_TOKENS,
    token_filter=lizard_question,
    merge=lizard_merges,
)
