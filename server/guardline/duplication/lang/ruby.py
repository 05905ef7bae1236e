from guardline.duplication.lang import table

TABLE = table(
    identifiers=("identifier", "constant", "instance_variable", "class_variable", "global_variable"),
    literals=("integer", "float", "character", "simple_symbol", "hash_key_symbol"),
    strings=("string", "delimited_symbol", "heredoc_body", "string_array", "symbol_array", "regex"),
    # statement lists: a reported clone starts and ends with whole statements of one of them
    statements=("program", "body_statement", "then", "else", "block_body"),
)
