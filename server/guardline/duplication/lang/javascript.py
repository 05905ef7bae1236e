from guardline.duplication.lang import table

IDENTIFIERS = ("identifier", "property_identifier", "shorthand_property_identifier",
               "shorthand_property_identifier_pattern", "private_property_identifier",
               "statement_identifier")

TABLE = table(
    identifiers=IDENTIFIERS,
    literals=("number",),
    strings=("string", "template_string", "regex"),
    comments=("comment", "html_comment"),
    imports=("import_statement",),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("program", "statement_block", "class_body", "switch_case", "switch_default"),
)
