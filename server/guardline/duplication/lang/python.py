from guardline.duplication.lang import table

TABLE = table(
    identifiers=("identifier",),
    literals=("integer", "float"),
    strings=("string",),
    imports=("import_statement", "import_from_statement", "future_import_statement"),
    # Indentation-delimited: without synthetic block tokens, different nestings would collide.
    blocks=("block",),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("module", "block"),
)
