"""C and C++ security rules (flawfinder/CERT C checklist) and taint tables.

C++ spellings (``std::system``, ``std::printf``) resolve to the same rules. Sources: ``argv`` of
``main``, ``getenv`` and stdin readers (local-only kinds ignore them), ``recv``/``read`` from sockets,
whose buffers are tracked as assigned by the call.
"""

from __future__ import annotations

import re

import tree_sitter

from guardline.security.engine import SQL_TEXT, DocContext, Hit, LanguageSpec, Rule, TaintRule
from guardline.security.rules.common import secret_function

Node = tree_sitter.Node
C = ("c", "cpp")
SHELLS = {"sh", "/bin/sh", "bash", "/bin/bash", "/usr/bin/sh", "cmd.exe"}
# printf-family function -> index of its format argument
FORMAT_INDEX = {"printf": 0, "vprintf": 0, "wprintf": 0, "fprintf": 1, "vfprintf": 1, "fwprintf": 1,
                "sprintf": 1, "vsprintf": 1, "asprintf": 1, "vasprintf": 1, "dprintf": 1, "vdprintf": 1,
                "snprintf": 2, "vsnprintf": 2, "swprintf": 2, "syslog": 1, "vsyslog": 1, "err": 1, "errx": 1,
                "warn": 0, "warnx": 0, "printw": 0, "wprintw": 1, "mvprintw": 2, "_snprintf": 2, "StringCchPrintfA": 2}
READ_INTO_FIRST = ("fgets", "gets", "fgetws", "fread", "scanf_s", "cin.getline", "std.getline")
READ_INTO_SECOND = ("read", "recv", "recvfrom", "getline", "pread")
REMOTE_READERS = frozenset({"recv", "recvfrom"})
LOCAL_SOURCES = frozenset({"argv", "getenv", "secure_getenv", "fgets", "gets", "fread", "scanf", "read", "getline",
                           "fgetws", "cin", "std.cin", "std.getline", "pread", "getchar", "fgetc"})


def _with_std(names: tuple[str, ...]) -> tuple[str, ...]:
    return names + tuple(f"std.{name}" for name in names)


# ---------------------------------------------------------------- sources


def c_source(ctx: DocContext, node: Node) -> str | None:
    if node.type != "call_expression":
        return None
    name = ctx.normalise(ctx.text(node.child_by_field_name("function"))).removeprefix("std.")
    if name in ("getenv", "secure_getenv"):
        return name
    if name in REMOTE_READERS or name in READ_INTO_FIRST or name in READ_INTO_SECOND:
        return name
    if name in ("atoi", "atol", "strtol", "strtoul", "strtoll", "strtod", "atof", "isdigit", "strlen", "sizeof"):
        return ""
    return None


def main_arguments(ctx: DocContext, function: Node) -> dict[str, str]:
    declarator = function.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    if declarator is None or ctx.text(declarator.child_by_field_name("declarator")) not in ("main", "wmain"):
        return {}
    params = declarator.child_by_field_name("parameters")
    names = re.findall(r"(\w+)\s*(?:\[\s*\])?\s*(?:,|\)|$)", ctx.text(params)) if params is not None else []
    return {names[1]: "argv"} if len(names) >= 2 else {}


# ---------------------------------------------------------------- predicates


def literal_like(ctx: DocContext, node: Node | None) -> bool:
    """A string literal, a constant, a macro (ALL_CAPS) or a gettext-wrapped literal."""
    if node is None or ctx.is_const(node):
        return True
    text = ctx.text(node)
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", text):
        return True
    if node.type == "call_expression" and re.match(r"(_|N_|gettext|dgettext|ngettext|TEXT|L)\s*\(", text):
        arguments = node.child_by_field_name("arguments")
        return arguments is not None and all(ctx.is_const(a) or ctx.string_value(a) is not None
                                             for a in arguments.named_children)
    return False


def format_not_literal(hit: Hit) -> bool:
    name = hit.callee.removeprefix("std.")
    index = FORMAT_INDEX.get(name)
    if index is None:
        return False
    fmt = hit.arg(index)
    return fmt is not None and not literal_like(hit.ctx, fmt)


def command_not_literal(hit: Hit) -> bool:
    name = hit.callee.removeprefix("std.")
    if not name.startswith("exec"):
        return not literal_like(hit.ctx, hit.arg(0))
    if not literal_like(hit.ctx, hit.arg(0)):
        return True
    # execl("/bin/sh", "sh", "-c", script, NULL): the script is interpreted by a shell
    values = [hit.ctx.string_value(a) for a in hit.args]
    if "-c" in values and (values[0] in SHELLS or (values[0] or "").rsplit("/", 1)[-1] in SHELLS):
        script = hit.arg(values.index("-c") + 1)
        return script is not None and not literal_like(hit.ctx, script)
    return False


def sprintf_sql(hit: Hit) -> bool:
    """sprintf(buf, "SELECT ... %s", value): SQL text formatted with run-time values."""
    fmt_index = 2 if hit.callee.endswith("snprintf") else 1
    fmt = hit.ctx.string_value(hit.arg(fmt_index))
    return fmt is not None and "%" in fmt and SQL_TEXT.search(fmt) is not None and len(hit.args) > fmt_index + 1


def unbounded_copy(hit: Hit) -> bool:
    """strcpy/strcat from a non-constant source; sprintf with %s of non-constant values."""
    name = hit.callee.removeprefix("std.")
    if name in ("sprintf", "vsprintf", "swprintf_unbounded"):
        fmt = hit.ctx.string_value(hit.arg(1))
        return fmt is not None and re.search(r"%[-+ #0]*s", fmt) is not None and \
            any(not literal_like(hit.ctx, a) for a in hit.args[2:])
    source = hit.arg(1)
    return source is not None and not literal_like(hit.ctx, source)


def scanf_unbounded(hit: Hit) -> bool:
    """%s / %[ without a field width reads an unbounded word into a fixed buffer."""
    name = hit.callee.removeprefix("std.")
    index = {"scanf": 0, "fscanf": 1, "sscanf": 1, "wscanf": 0, "vscanf": 0, "vsscanf": 1, "vfscanf": 1}.get(name)
    fmt = hit.ctx.string_value(hit.arg(index)) if index is not None else None
    return fmt is not None and re.search(r"%(?!\d)l?(s|\[)", fmt) is not None


def verify_none(hit: Hit) -> bool:
    name = hit.callee
    if name.endswith("set_verify"):
        return "SSL_VERIFY_NONE" in hit.text(hit.arg(1)) or hit.text(hit.arg(1)) == "0"
    option = hit.text(hit.arg(1))
    return option in ("CURLOPT_SSL_VERIFYPEER", "CURLOPT_SSL_VERIFYHOST", "CURLOPT_PROXY_SSL_VERIFYPEER") and \
        re.fullmatch(r"0[lL]?|FALSE|false", hit.text(hit.arg(2)).strip()) is not None


EXEC_FAMILY = ("system", "popen", "_popen", "_wpopen", "_wsystem", "execl", "execlp", "execle", "execv", "execvp",
               "execvpe", "WinExec", "ShellExecuteA", "ShellExecuteW", "CreateProcessA")

RULES: list[Rule] = [
    Rule("c-command-exec", "system/popen/exec with a non-literal command", "command-injection", "CWE-78",
         "system and popen pass the string to /bin/sh, so untrusted parts inject commands.",
         "Use execve/posix_spawn with a fixed program path and an argument vector.",
         C, calls=_with_std(EXEC_FAMILY), when=command_not_literal, taint="command", taint_args=("*",),
         confidence="medium",
         positive=("void f(const char *cmd) { system(cmd); }\n",
                   'void f(const char *s) { execl("/bin/sh", "sh", "-c", s, (char *)0); }\n'),
         negative=('void f(void) { system("clear"); }\n', 'void f(char *d) { execl("/bin/ls", "ls", d, (char *)0); }\n')),
    Rule("c-format-string", "printf-family call with a non-literal format", "injection", "CWE-134",
         "A format string from data lets %n/%s read and write memory (format string attack).",
         "Use a literal format: printf(\"%s\", msg).",
         C, calls=_with_std(tuple(FORMAT_INDEX)), when=format_not_literal, taint="format", taint_args=("*",),
         confidence="high",
         positive=("void f(const char *msg) { printf(msg); }\n",
                   "void f(const char *m) { syslog(LOG_ERR, m); }\n"),
         negative=('void f(const char *msg) { printf("%s", msg); }\n',
                   'void f(int n) { printf(FMT_COUNT, n); }\n')),
    Rule("c-buffer-overflow", "unbounded string copy (strcpy/strcat/sprintf %s)", "buffer-overflow", "CWE-120",
         "The copy does not know the destination size: a longer source overflows the buffer.",
         "Use snprintf(dst, sizeof dst, ...) or strlcpy/strlcat (or std::string).",
         C, calls=_with_std(("strcpy", "strcat", "wcscpy", "wcscat", "lstrcpyA", "lstrcatA", "StrCpy", "StrCat",
                             "sprintf", "vsprintf", "_mbscpy", "stpcpy")),
         when=unbounded_copy, taint="overflow", taint_args=(1, 2, 3), confidence="medium",
         positive=("void f(char *s) { char b[16]; strcpy(b, s); }\n",
                   'void f(char *n) { char b[32]; sprintf(b, "Hello %s", n); }\n'),
         negative=('void f(void) { char b[16]; strcpy(b, "ok"); }\n',
                   'void f(char *n) { char b[32]; snprintf(b, sizeof b, "Hello %s", n); }\n')),
    Rule("c-scanf-unbounded", "scanf %s without a field width", "buffer-overflow", "CWE-120",
         "%s reads a whole word whatever the buffer size: long input overflows it.",
         "Give a width (%31s for a 32-byte buffer) or read with fgets.",
         C, calls=_with_std(("scanf", "fscanf", "sscanf", "wscanf", "vscanf", "vsscanf", "vfscanf")),
         when=scanf_unbounded, confidence="high",
         positive=('void f(void) { char b[32]; scanf("%s", b); }\n',),
         negative=('void f(void) { char b[32]; scanf("%31s", b); }\n', 'void f(int *n) { scanf("%d", n); }\n')),
    Rule("c-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use SHA-256 (EVP_sha256).",
         C, calls=("MD5", "MD5_Init", "MD4", "MD4_Init", "SHA1", "SHA1_Init", "EVP_md5", "EVP_sha1", "EVP_md4",
                   "CC_MD5", "CC_SHA1", "MD5_Update", "SHA1_Update"), confidence="medium",
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
         C, calls=("sprintf", "snprintf", "asprintf", "swprintf", "std.sprintf", "std.snprintf", "sqlite3_mprintf"),
         when=sprintf_sql, taint="sql", taint_args=("*",), confidence="medium",
         positive=('void f(char *b, const char *n) { sprintf(b, "SELECT * FROM users WHERE name = \'%s\'", n); }\n',),
         negative=('void f(char *b, const char *n) { sprintf(b, "Hello %s", n); }\n',)),
    Rule("c-gets", "gets() (unbounded read)", "buffer-overflow", "CWE-242",
         "gets cannot limit the input length: every call is a buffer overflow waiting to happen.",
         "Use fgets(buf, sizeof buf, stdin).",
         C, calls=("gets", "_getws", "std.gets"), confidence="high",
         positive=("void f(char *b) { gets(b); }\n",), negative=("void f(char *b) { fgets(b, 10, stdin); }\n",)),
    Rule("c-insecure-random", "rand()/random() used for a secret", "weak-random", "CWE-338",
         "rand and random are predictable; keys, tokens and nonces made with them can be guessed.",
         "Use getrandom(2)/arc4random_buf or RAND_bytes.",
         C, calls=_with_std(("rand", "random", "drand48", "lrand48", "mrand48", "rand_r")), when=secret_function,
         confidence="medium",
         positive=("unsigned f(void) { unsigned session_token = rand(); return session_token; }\n",),
         negative=("int f(void) { int jitter = rand() % 100; return jitter; }\n",)),
    Rule("c-tls-verify-none", "TLS peer verification disabled", "insecure-transport", "CWE-295",
         "Without peer verification any certificate is accepted: a network attacker can read and alter traffic.",
         "Use SSL_VERIFY_PEER (and check the host name); keep CURLOPT_SSL_VERIFYPEER/VERIFYHOST on.",
         C, calls=("SSL_CTX_set_verify", "SSL_set_verify", "curl_easy_setopt"), when=verify_none, confidence="high",
         positive=("void f(SSL_CTX *c) { SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL); }\n",
                   "void f(CURL *c) { curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L); }\n"),
         negative=("void f(SSL_CTX *c) { SSL_CTX_set_verify(c, SSL_VERIFY_PEER, NULL); }\n",
                   "void f(CURL *c) { curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L); }\n")),
    Rule("c-insecure-temp-file", "predictable temporary file name (tmpnam/mktemp)", "insecure-configuration",
         "CWE-377", "Another process can create the file between the name being chosen and it being opened.",
         "Use mkstemp (or tmpfile) which creates the file atomically.",
         C, calls=_with_std(("tmpnam", "tempnam", "mktemp", "_mktemp", "tmpnam_r", "_tempnam")), confidence="high",
         positive=("void f(void) { char *n = tmpnam(NULL); }\n",),
         negative=('void f(void) { char t[] = "/tmp/xXXXXXX"; int fd = mkstemp(t); }\n',)),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("c-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "Input read from a socket (or argv/env for a setuid program) ends up in a shell command.",
              "Exec a fixed program with an argument vector; never a shell.", C,
              positive=("void f(int s) { char b[64]; recv(s, b, sizeof b, 0); system(b); }\n",),
              negative=('void f(int s) { char b[64]; recv(s, b, sizeof b, 0); system("uptime"); }\n',)),
    TaintRule("c-tainted-format", "format", "format string from input", "CWE-134", "injection",
              "Input is used as a printf format.", "Print it with a literal \"%s\" format.", C,
              positive=("void f(int s) { char b[64]; recv(s, b, sizeof b, 0); printf(b); }\n",),
              negative=('void f(int s) { char b[64]; recv(s, b, sizeof b, 0); printf("%s", b); }\n',)),
    TaintRule("c-tainted-overflow", "overflow", "buffer overflow from input", "CWE-120", "buffer-overflow",
              "Input of any length is copied into a fixed buffer.", "Bound the copy by the destination size.", C,
              positive=("void f(int s) { char b[64], d[8]; recv(s, b, sizeof b, 0); strcpy(d, b); }\n",),
              negative=("void f(int s) { char b[64], d[8]; recv(s, b, sizeof b, 0); snprintf(d, sizeof d, \"%s\", b); }\n",)),
    TaintRule("c-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "Input is formatted into SQL text.", "Bind parameters (sqlite3_bind_text).", C,
              positive=("void f(int s, char *q) { char b[64]; recv(s, b, sizeof b, 0);"
                        " sprintf(q, \"SELECT * FROM t WHERE n = '%s'\", b); }\n",),
              negative=("void f(char *q) { sprintf(q, \"SELECT * FROM t WHERE n = '%s'\", \"x\"); }\n",)),
]

SPEC = LanguageSpec(
    languages=C,
    call_queries=("(call_expression function: (_) @callee arguments: (argument_list) @args) @call",),
    rules=RULES,
    assignment_queries=("(init_declarator declarator: (identifier) @lhs value: (_) @rhs)",
                        "(init_declarator declarator: (pointer_declarator declarator: (identifier) @lhs) value: (_) @rhs)",
                        "(init_declarator declarator: (array_declarator declarator: (identifier) @lhs) value: (_) @rhs)",
                        "(assignment_expression left: (identifier) @lhs right: (_) @rhs)",
                        # readers fill their buffer argument: fgets(buf, ...), recv(sock, buf, ...)
                        "((call_expression function: (identifier) @f arguments: (argument_list . (identifier) @lhs))"
                        " @rhs (#match? @f \"^(fgets|gets|fgetws|fread|strcpy|strcat|strncpy|strncat|memcpy|"
                        "sprintf|snprintf)$\"))",
                        "((call_expression function: (identifier) @f arguments: (argument_list . (_) . (identifier)"
                        " @lhs)) @rhs (#match? @f \"^(read|recv|recvfrom|pread)$\"))",
                        "((binary_expression left: (_) @src right: (identifier) @lhs) @rhs (#match? @src \"cin$\"))"),
    function_types=frozenset({"function_definition", "lambda_expression"}),
    const_leaves=frozenset({"string_content", "escape_sequence", "number_literal", "char_literal", "true", "false",
                            "null", "nullptr", "raw_string_literal", "comment"}),
    composites=frozenset({"string_literal", "concatenated_string", "parenthesized_expression", "binary_expression"}),
    string_types=frozenset({"string_literal"}),
    separators=("::", "->"),
    taint_sources=frozenset({"getenv", "cin", "std.cin"}),
    taint_source_types=frozenset({"qualified_identifier"}),
    taint_words=frozenset({"argv", "getenv", "recv", "recvfrom", "read", "fgets", "gets", "scanf", "getline",
                           "fread", "cin"}),
    source_node=c_source,
    parameter_sources=main_arguments,
    sanitizers=frozenset({"atoi", "atol", "strtol", "strtoul", "atof", "strtod", "strlen", "sizeof", "isdigit"}),
    taint_rules=TAINT_RULES,
    local_sources=LOCAL_SOURCES,
)
