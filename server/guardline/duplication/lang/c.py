from guardline.duplication.lang import table

IDENTIFIERS = ("identifier", "field_identifier", "type_identifier", "statement_identifier")

TABLE = table(
    identifiers=IDENTIFIERS,
    literals=("number_literal", "char_literal"),
    strings=("string_literal", "system_lib_string"),
    imports=("preproc_include",),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("translation_unit", "compound_statement", "case_statement", "preproc_if", "preproc_ifdef",
                "preproc_else", "field_declaration_list", "declaration_list"),
)
