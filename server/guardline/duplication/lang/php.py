from guardline.duplication.lang import table

TABLE = table(
    identifiers=("name",),
    literals=("integer", "float"),
    strings=("string", "encapsed_string", "heredoc", "nowdoc"),
    imports=("namespace_use_declaration",),
)
