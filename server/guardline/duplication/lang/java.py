from guardline.duplication.lang import table

TABLE = table(
    identifiers=("identifier", "type_identifier"),
    literals=("decimal_integer_literal", "hex_integer_literal", "octal_integer_literal",
              "binary_integer_literal", "decimal_floating_point_literal",
              "hex_floating_point_literal", "character_literal"),
    strings=("string_literal",),   # text blocks are string_literal nodes too
    comments=("line_comment", "block_comment"),
    imports=("import_declaration", "package_declaration"),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("program", "block", "class_body", "interface_body", "enum_body_declarations", "constructor_body",
                "switch_block_statement_group"),
)
