from guardline.duplication.lang import table

TABLE = table(
    identifiers=("name",),
    literals=("integer", "float"),
    strings=("string", "encapsed_string", "heredoc", "nowdoc"),
    imports=("namespace_use_declaration",),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("program", "compound_statement", "declaration_list", "case_statement", "default_statement",
                "colon_block"),
)
