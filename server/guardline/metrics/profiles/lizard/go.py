"""lizard 1.24's Go reader (GoReader), replayed on the tree."""

from __future__ import annotations

from tree_sitter import Node

from guardline.metrics.profiles.base import LizardRules


def _lizard_extra(node: Node) -> int:
    """lizard counts the words `while` and `catch` wherever they appear (in Go they are identifiers)."""
    return 1 if node.type == "identifier" and node.text in (b"while", b"catch") else 0


RULES = LizardRules(
    # lizard's Go reader: its default condition tokens (`if for while catch case && || ?`)
    tokens=frozenset({"if", "for", "case", "&&", "||"}),
    extra=_lizard_extra,
)
