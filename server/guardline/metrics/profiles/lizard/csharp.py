"""lizard 1.24's C# reader (CSharpReader), replayed on the tree."""

from __future__ import annotations

import re

from tree_sitter import Node

from guardline.languages.base import parent_of
from guardline.languages.csharp import LAMBDA_TYPES
from guardline.metrics.profiles.base import LizardRules

_LIZARD_INLINE = LAMBDA_TYPES | {"local_function_statement"}
# lizard 1.24 (CSharpReader): `if for while catch case && || ? ??`; `?.`, `int?` and `??=` hold a
# `?` / `??` token too. `foreach` and switch-expression arms are not counted.
LIZARD_TOKENS = frozenset({"if", "for", "while", "catch", "case", "&&", "||", "?", "??", "??=",
                           "#if", "#elif"})
# lizard's tokenizer reads `<...>` holding a `?` and only words, spaces, commas and dots as one token.
_LIZARD_GENERIC_TOKEN = re.compile(rb"<[\w\s,.?]*\?[\w\s,.?]*>")
# lizard resets the count when it reaches the body: a constructor initializer is not counted; and
# it reads an interpolated string `$"...{x?.y}..."` as string tokens: nothing inside counts.
LIZARD_OPAQUE = frozenset({"constructor_initializer", "interpolation"})


def lizard_question(node: Node) -> bool:
    """A nullable `?` inside a simple generic argument list (`Dictionary<string, object?>`) is part
    of one `<...>` token for lizard: no condition."""
    parent = parent_of(node)
    if node.type != "?" or parent is None or parent.type != "nullable_type":
        return True
    arguments = parent_of(parent)
    if arguments is None or arguments.type != "type_argument_list":
        return True
    return _LIZARD_GENERIC_TOKEN.fullmatch(arguments.text or b"") is None


def lizard_merges(node: Node, inside_function: bool) -> bool:
    """lizard reads a method body as one brace block: lambdas, anonymous methods and local
    functions inside it are not functions for lizard, their tokens count in the method."""
    return inside_function and node.type in _LIZARD_INLINE


RULES = LizardRules(
    tokens=LIZARD_TOKENS,
    merge=lizard_merges,
    token_filter=lizard_question,
    opaque=LIZARD_OPAQUE,
)
