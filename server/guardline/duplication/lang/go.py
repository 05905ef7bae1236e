from guardline.duplication.lang import table

TABLE = table(
    identifiers=("identifier", "field_identifier", "type_identifier", "package_identifier",
                 "label_name"),
    literals=("int_literal", "float_literal", "imaginary_literal", "rune_literal"),
    strings=("interpreted_string_literal", "raw_string_literal"),
    imports=("import_declaration", "package_clause"),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("source_file", "statement_list"),
)
