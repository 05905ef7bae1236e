"""C and C++ security rules (basics: command execution, weak crypto, SQL built with sprintf)."""

from __future__ import annotations

from guardline.security.engine import SQL_TEXT, Hit, LanguageSpec, Rule, arg_not_const

C = ("c", "cpp")


def sprintf_sql(hit: Hit) -> bool:
    """sprintf(buf, "SELECT ... %s", value): SQL text formatted with run-time values."""
    fmt_index = 2 if hit.callee.endswith("snprintf") else 1
    fmt = hit.ctx.string_value(hit.arg(fmt_index))
    return fmt is not None and "%" in fmt and SQL_TEXT.search(fmt) is not None and len(hit.args) > fmt_index + 1


RULES: list[Rule] = [
    Rule("c-command-exec", "system/popen/exec with a non-literal command", "command-injection", "CWE-78",
         "system and popen pass the string to /bin/sh, so untrusted parts inject commands.",
         "Use execve/posix_spawn with a fixed program path and an argument vector.",
         C, calls=("system", "popen", "_popen", "_wpopen", "_wsystem", "std.system", "execl", "execlp", "execle",
                   "execv", "execvp", "execvpe", "WinExec", "ShellExecuteA", "ShellExecuteW"),
         when=arg_not_const(0), confidence="medium",
         positive=("void f(const char *cmd) { system(cmd); }\n",),
         negative=('void f(void) { system("clear"); }\n',)),
    Rule("c-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use SHA-256 (EVP_sha256).",
         C, calls=("MD5", "MD5_Init", "MD4", "MD4_Init", "SHA1", "SHA1_Init", "EVP_md5", "EVP_sha1", "EVP_md4",
                   "CC_MD5", "CC_SHA1"), confidence="medium",
         positive=("void f(const unsigned char *d, size_t n, unsigned char *o) { MD5(d, n, o); }\n",),
         negative=("void f(const unsigned char *d, size_t n, unsigned char *o) { SHA256(d, n, o); }\n",)),
    Rule("c-weak-cipher", "DES/RC4/Blowfish/ECB cipher", "weak-cryptography", "CWE-327",
         "DES, 3DES, RC4, Blowfish and ECB mode do not protect confidentiality today.",
         "Use AES-GCM (EVP_aes_256_gcm).",
         C, calls=("DES_set_key", "DES_set_key_checked", "DES_ecb_encrypt", "DES_ncbc_encrypt", "DES_ede3_cbc_encrypt",
                   "RC4", "RC4_set_key", "BF_set_key", "EVP_des_ecb", "EVP_des_cbc", "EVP_des_ede3_cbc",
                   "EVP_des_ede3", "EVP_rc4", "EVP_bf_cbc", "EVP_bf_ecb", "EVP_aes_128_ecb", "EVP_aes_192_ecb",
                   "EVP_aes_256_ecb"), confidence="high",
         positive=("void f(EVP_CIPHER_CTX *c, unsigned char *k) { EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), 0, k, 0); }\n",),
         negative=("void f(EVP_CIPHER_CTX *c, unsigned char *k, unsigned char *iv) {"
                   " EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), 0, k, iv); }\n",)),
    Rule("c-sql-format", "SQL text formatted with sprintf", "injection", "CWE-89",
         "Values formatted into SQL text can change the query (SQL injection).",
         "Use prepared statements with bound parameters (sqlite3_bind_*, mysql_stmt_bind_param).",
         C, calls=("sprintf", "snprintf", "asprintf", "swprintf", "std.sprintf", "std.snprintf"), when=sprintf_sql,
         confidence="medium",
         positive=('void f(char *b, const char *n) { sprintf(b, "SELECT * FROM users WHERE name = \'%s\'", n); }\n',),
         negative=('void f(char *b, const char *n) { sprintf(b, "Hello %s", n); }\n',)),
    Rule("c-gets", "gets() (unbounded read)", "insecure-configuration", "CWE-242",
         "gets cannot limit the input length: every call is a buffer overflow waiting to happen.",
         "Use fgets(buf, sizeof buf, stdin).",
         C, calls=("gets", "_getws"), confidence="high",
         positive=("void f(char *b) { gets(b); }\n",), negative=("void f(char *b) { fgets(b, 10, stdin); }\n",)),
]

SPEC = LanguageSpec(
    languages=C,
    call_queries=("(call_expression function: (_) @callee arguments: (argument_list) @args) @call",),
    rules=RULES,
    assignment_queries=("(init_declarator declarator: (identifier) @lhs value: (_) @rhs)",
                        "(init_declarator declarator: (pointer_declarator declarator: (identifier) @lhs) value: (_) @rhs)",
                        "(init_declarator declarator: (array_declarator declarator: (identifier) @lhs) value: (_) @rhs)",
                        "(assignment_expression left: (identifier) @lhs right: (_) @rhs)"),
    function_types=frozenset({"function_definition", "lambda_expression"}),
    const_leaves=frozenset({"string_content", "escape_sequence", "number_literal", "char_literal", "true", "false",
                            "null", "nullptr", "raw_string_literal", "comment"}),
    composites=frozenset({"string_literal", "concatenated_string", "parenthesized_expression", "binary_expression"}),
    string_types=frozenset({"string_literal"}),
    separators=("::", "->"),
)
