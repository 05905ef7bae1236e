"""TypeScript and TSX: JavaScript's tables plus the TypeScript node types.

Type-level syntax adds no decisions for guardline (a conditional type `A extends B ? C : D` is no
run-time branch), but lizard counts its `?` token like any other.
"""

from __future__ import annotations

from tree_sitter import Node

from guardline.languages import javascript as js
from guardline.languages.javascript import extend

# Interface members, overload signatures, `declare function` and abstract methods have no body:
# they are not functions.
NAME_FROM_PARENT = {**js.NAME_FROM_PARENT, "public_field_definition": "name"}
OPERAND_TYPES = js.OPERAND_TYPES | {"type_identifier", "predefined_type", "literal_type"}


def lizard_ts_extra(node: Node) -> int:
    """JavaScript's extras plus TypeScript parameter defaults (`(x: number = 0)`)."""
    if node.type in ("required_parameter", "optional_parameter"):
        return 1 if node.child_by_field_name("value") is not None else 0
    return js.lizard_default(node)


def tsx_question_counts(node: Node) -> bool:
    """lizard's TSX tokenizer has no `word?` token: every `?` counts there (optional names too);
    tokens of an arrow function lizard guesses and abandons do not."""
    return not js.in_abandoned_parens(node)


TYPESCRIPT = extend(
    js.SPEC,
    name="typescript",
    name_from_parent=NAME_FROM_PARENT,
    operand_types=OPERAND_TYPES,
    lizard_extra=lizard_ts_extra,
    class_types=js.CLASS_TYPES | {"abstract_class_declaration"},
)

TSX = extend(TYPESCRIPT, name="tsx", lizard_token_filter=tsx_question_counts)

SPEC = TYPESCRIPT
SPEC_BY_NAME = {"typescript": TYPESCRIPT, "tsx": TSX}
