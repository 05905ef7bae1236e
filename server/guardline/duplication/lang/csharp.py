from guardline.duplication.lang import table

TABLE = table(
    identifiers=("identifier",),
    literals=("integer_literal", "real_literal", "character_literal"),
    strings=("string_literal", "verbatim_string_literal", "raw_string_literal",
             "interpolated_string_expression"),
    imports=("using_directive",),
)
