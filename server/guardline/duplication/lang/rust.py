from guardline.duplication.lang import table

TABLE = table(
    identifiers=("identifier", "field_identifier", "type_identifier", "shorthand_field_identifier"),
    literals=("integer_literal", "float_literal", "char_literal"),
    strings=("string_literal", "raw_string_literal"),
    comments=("line_comment", "block_comment"),
    imports=("use_declaration", "extern_crate_declaration"),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("source_file", "block", "declaration_list", "match_block"),
)
