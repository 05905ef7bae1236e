from guardline.duplication.lang import table

IDENTIFIERS = ("identifier", "field_identifier", "type_identifier", "statement_identifier")

TABLE = table(
    identifiers=IDENTIFIERS,
    literals=("number_literal", "char_literal"),
    strings=("string_literal", "system_lib_string"),
    imports=("preproc_include",),
)
