"""lizard 1.24's PHP reader (PHPReader), replayed on the tree."""

from __future__ import annotations

from tree_sitter import Node

from guardline.metrics.profiles.base import LizardRules

# lizard 1.24's PHPReader condition tokens; `??`, `?->` and a glued `?:` are other tokens for it.
LIZARD_TOKENS = frozenset({"if", "elseif", "for", "foreach", "while", "catch", "match", "&&", "||",
                           "case", "?"})
# lizard matches words, so a method or function called `match` (`$router->match()`) counts too.
LIZARD_WORDS = frozenset(t.encode() for t in LIZARD_TOKENS if t.isalpha())


def lizard_token_counts(node: Node) -> bool:
    """lizard compares token text case-sensitively (`IF` is no condition for it) and reads a `?`
    written right before `:` as the `?:` operator, which it does not count."""
    if node.type == "?":
        after = node.next_sibling
        return after is None or after.type != ":" or after.start_byte != node.end_byte
    return node.text == node.type.encode()


def lizard_name_words(node: Node) -> int:
    return 1 if node.type == "name" and node.text in LIZARD_WORDS else 0


def lizard_merges(node: Node, inside_function: bool) -> bool:
    """lizard's PHP reader skips `fn` arrow functions, and inside a function body it only counts
    braces: closures and nested functions there are part of the enclosing function."""
    return node.type == "arrow_function" or inside_function


RULES = LizardRules(
    tokens=LIZARD_TOKENS,
    token_filter=lizard_token_counts,
    extra=lizard_name_words,
    merge=lizard_merges,
)
