from guardline.duplication.lang import table
from guardline.duplication.lang.javascript import IDENTIFIERS

TABLE = table(
    identifiers=IDENTIFIERS + ("type_identifier",),
    literals=("number",),
    strings=("string", "template_string", "regex"),
    comments=("comment", "html_comment"),
    imports=("import_statement",),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("program", "statement_block", "class_body", "switch_case", "switch_default"),
)
