from guardline.duplication.lang import table
from guardline.duplication.lang.javascript import IDENTIFIERS

TABLE = table(
    identifiers=IDENTIFIERS + ("type_identifier",),
    literals=("number",),
    strings=("string", "template_string", "regex"),
    comments=("comment", "html_comment"),
    imports=("import_statement",),
)
