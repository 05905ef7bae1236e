"""lizard 1.24's C and C++ readers (CLikeReader, CppReader), replayed on the tree."""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages.base import leaf_after
from guardline.metrics.profiles.base import LizardRules

# lizard 1.24 (CLikeReader): `if for while catch case && || ?`, plus `#if`, `#ifdef` and `#elif`
# lines (its preprocess step adds one condition each). `#ifndef` and `#else` do not count.
# (`catch` is a token of the C++ grammar only: lizard.cpp adds it)
LIZARD_TOKENS = frozenset({"if", "for", "while", "case", "&&", "||", "?", "#if", "#ifdef", "#elif"})
# The tokens after a `&&` up to the first of these decide lizard's rvalue-reference rule.
_RVALUE_STOPS = frozenset({";", "{", "}", ")"})
_ASSIGN = frozenset({"=", "%="})   # lizard's tokenizer has no `%=`: it reads `%` then `=`
_RECOVERED_NAMES = frozenset({"identifier", "type_identifier", "field_identifier", "statement_identifier"})
_LIZARD_KEYWORDS = frozenset({b"if", b"for", b"while", b"catch", b"case"})


def lizard_counts_token(node: Node) -> bool:
    """lizard's rvalue-reference rule: a `&&` followed by `=` before any of `; { } )` is read as
    `auto&& x = y`, not a condition (lizard subtracts it again, also in `a && (b = c)`)."""
    return node.type != "&&" or not _assignment_follows(node)


def lizard_keyword_identifier(node: Node) -> int:
    """tree-sitter's error recovery around an unknown statement macro (`MACRO for (...)` read as a
    declaration) turns a keyword into an identifier; lizard still sees the keyword token."""
    if node.type in _RECOVERED_NAMES and node.end_byte - node.start_byte <= 5 and \
            node.text in _LIZARD_KEYWORDS:
        return 1
    return 0


def _assignment_follows(node: Node) -> bool:
    leaf = leaf_after(node)
    while leaf is not None:
        leaf_type = leaf.type
        if leaf_type in _ASSIGN:
            return True
        if leaf_type in _RVALUE_STOPS:
            return False
        leaf = leaf_after(leaf)
    return False


RULES = LizardRules(
    tokens=LIZARD_TOKENS,
    token_filter=lizard_counts_token,
    extra=lizard_keyword_identifier,
)
