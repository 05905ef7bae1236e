"""TypeScript and TSX: JavaScript's tables plus the TypeScript node types.

Type-level syntax adds no decisions for guardline (a conditional type `A extends B ? C : D` is no
run-time branch); the lizard profile counts its `?` token like lizard does
(guardline.metrics.profiles.lizard.typescript).
"""

from __future__ import annotations

from guardline.languages import javascript as js
from guardline.languages.javascript import extend

# Interface members, overload signatures, `declare function` and abstract methods have no body:
# they are not functions.
# (a class field is a public_field_definition in this grammar, not JavaScript's field_definition)
NAME_FROM_PARENT = {**{parent: name for parent, name in js.NAME_FROM_PARENT.items() if parent != "field_definition"},
                    "public_field_definition": "name"}
OPERAND_TYPES = js.OPERAND_TYPES | {"type_identifier", "predefined_type", "literal_type"}

TYPESCRIPT = extend(
    js.SPEC,
    name="typescript",
    name_from_parent=NAME_FROM_PARENT,
    operand_types=OPERAND_TYPES,
    class_types=js.CLASS_TYPES | {"abstract_class_declaration"},
)
# TSX has TypeScript's tables (its grammar adds JSX); lizard's TSX reader differs (profiles/lizard)
TSX = extend(TYPESCRIPT, name="tsx")

SPEC = TYPESCRIPT
SPEC_BY_NAME = {"typescript": TYPESCRIPT, "tsx": TSX}
