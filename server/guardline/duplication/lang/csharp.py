from guardline.duplication.lang import table

TABLE = table(
    identifiers=("identifier",),
    literals=("integer_literal", "real_literal", "character_literal"),
    strings=("string_literal", "verbatim_string_literal", "raw_string_literal",
             "interpolated_string_expression"),
    imports=("using_directive",),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("compilation_unit", "block", "declaration_list", "switch_section"),
)
