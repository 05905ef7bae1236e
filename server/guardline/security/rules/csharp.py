"""C# security rules (basics: process start, weak crypto, SQL concatenation, BinaryFormatter)."""

from __future__ import annotations

from guardline.security.engine import LanguageSpec, Rule, arg_not_const, sql_built

CS = ("csharp",)

RULES: list[Rule] = [
    Rule("cs-process-start", "Process.Start with a non-literal command", "command-injection", "CWE-78",
         "Untrusted parts of the file name or arguments choose what runs.",
         "Start a fixed program and pass validated arguments via ProcessStartInfo.ArgumentList.",
         CS, calls=("Process.Start", "System.Diagnostics.Process.Start", "ProcessStartInfo"),
         when=arg_not_const(0), confidence="medium",
         positive=("class A { void F(string c) { Process.Start(\"cmd.exe\" + c); } }\n",),
         negative=("class A { void F() { Process.Start(\"notepad.exe\"); } }\n",)),
    Rule("cs-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use SHA256.Create().",
         CS, calls=("MD5.Create", "SHA1.Create", "MD5CryptoServiceProvider", "SHA1CryptoServiceProvider",
                    "SHA1Managed", "MD5.HashData", "SHA1.HashData"), confidence="medium",
         positive=("class A { void F() { var h = MD5.Create(); } }\n",),
         negative=("class A { void F() { var h = SHA256.Create(); } }\n",)),
    Rule("cs-weak-cipher", "DES/3DES/RC2 cipher or ECB mode", "weak-cryptography", "CWE-327",
         "DES, 3DES, RC2 and ECB mode do not protect confidentiality today.", "Use AesGcm.",
         CS, calls=("DES.Create", "TripleDES.Create", "RC2.Create", "DESCryptoServiceProvider",
                    "TripleDESCryptoServiceProvider", "RC2CryptoServiceProvider"),
         needles=("ECB",), query='((member_access_expression) @hit (#match? @hit "^(System\\\\.Security\\\\.Cryptography\\\\.)?CipherMode\\\\.ECB$"))',
         confidence="high",
         positive=("class A { void F() { var d = DES.Create(); } }\n",
                   "class A { void F(Aes a) { a.Mode = CipherMode.ECB; } }\n"),
         negative=("class A { void F(Aes a) { a.Mode = CipherMode.CBC; } }\n",)),
    Rule("cs-sql-concat", "SQL command text built by concatenation", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use SqlParameter placeholders (@id) and cmd.Parameters.AddWithValue.",
         CS, calls=("SqlCommand", "SqlDataAdapter", "OleDbCommand", "OdbcCommand", "MySqlCommand", "NpgsqlCommand",
                    "SqliteCommand", "*.ExecuteSqlRaw", "*.FromSqlRaw", "*.ExecuteSqlCommand", "*.SqlQuery"),
         when=sql_built(0), confidence="medium",
         positive=("class A { void F(string id, SqlConnection c) {\n"
                   "  var cmd = new SqlCommand(\"SELECT * FROM Users WHERE Id = \" + id, c); } }\n",
                   "class A { void F(string id) { var q = $\"DELETE FROM T WHERE Id = {id}\"; db.ExecuteSqlRaw(q); } }\n"),
         negative=("class A { void F(SqlConnection c) {\n"
                   "  var cmd = new SqlCommand(\"SELECT * FROM Users WHERE Id = @id\", c); } }\n",)),
    Rule("cs-insecure-deserialization", "BinaryFormatter-style deserialisation", "deserialization", "CWE-502",
         "These formatters instantiate any type named in the payload (remote code execution).",
         "Use System.Text.Json or DataContractSerializer with known types.",
         CS, calls=("BinaryFormatter", "NetDataContractSerializer", "LosFormatter", "SoapFormatter",
                    "ObjectStateFormatter"), confidence="high",
         positive=("class A { object F(Stream s) { return new BinaryFormatter().Deserialize(s); } }\n",),
         negative=("class A { object F(string s) { return JsonSerializer.Deserialize<T>(s); } }\n",)),
]

SPEC = LanguageSpec(
    languages=CS,
    call_queries=("(invocation_expression function: (_) @callee arguments: (argument_list) @args) @call",
                  "(object_creation_expression type: (_) @callee arguments: (argument_list) @args) @call"),
    rules=RULES,
    assignment_queries=("(variable_declarator (identifier) @lhs . (_) @rhs)",
                        "(assignment_expression left: (identifier) @lhs right: (_) @rhs)"),
    function_types=frozenset({"method_declaration", "constructor_declaration", "local_function_statement",
                              "lambda_expression", "anonymous_method_expression"}),
    const_leaves=frozenset({"string_literal_content", "escape_sequence", "verbatim_string_literal",
                            "raw_string_literal", "integer_literal", "real_literal", "boolean_literal", "null_literal",
                            "character_literal", "interpolation_brace", "interpolation_start", "comment",
                            "interpolated_verbatim_string_text", "string_content"}),
    composites=frozenset({"string_literal", "interpolated_string_expression", "interpolation", "binary_expression",
                          "parenthesized_expression"}),
    string_types=frozenset({"string_literal", "verbatim_string_literal"}),
    arg_wrappers=frozenset({"argument"}),
)
