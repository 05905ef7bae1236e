from guardline.duplication.lang import table
from guardline.duplication.lang.c import IDENTIFIERS

TABLE = table(
    identifiers=IDENTIFIERS + ("namespace_identifier",),
    literals=("number_literal", "char_literal", "user_defined_literal"),
    strings=("string_literal", "raw_string_literal", "system_lib_string"),
    imports=("preproc_include", "using_declaration"),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("translation_unit", "compound_statement", "case_statement", "preproc_if", "preproc_ifdef",
                "preproc_else", "field_declaration_list", "declaration_list"),
)
