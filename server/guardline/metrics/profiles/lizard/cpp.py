"""lizard 1.24's C++ reader: C's rules (lizard.c), plus what its brace-block reading of a body means
for lambdas, local classes and constructor initializer lists."""

from __future__ import annotations

import dataclasses

from tree_sitter import Node

from guardline.metrics.profiles.lizard import c


def lizard_merges(node: Node, inside_function: bool) -> bool:
    """lizard reads a function body as one brace block: lambdas and local-class methods inside it
    are no functions for lizard and their tokens count in the enclosing function."""
    return inside_function


RULES = dataclasses.replace(
    c.RULES,
    tokens=c.LIZARD_TOKENS | {"catch"},
    # lizard resets its count at the body's `{`: a constructor's initializer list counts nothing
    opaque=frozenset({"field_initializer_list"}),
    merge=lizard_merges,
)
