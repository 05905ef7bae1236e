"""Go security rules (gosec-style checklist)."""

from __future__ import annotations

from typing import Iterable

from guardline.security.engine import (
    Hit, LanguageSpec, Rule, all_of, arg_text_in, file_imports, in_secret_context, sql_built,
)

GO = ("go",)
SHELLS = {"sh", "bash", "zsh", "/bin/sh", "/bin/bash", "/usr/bin/env", "cmd", "cmd.exe", "powershell"}


def shell_dash_c(hit: Hit) -> bool:
    """exec.Command("sh", "-c", <non-literal>): the script is interpreted by a shell."""
    first = 1 if hit.callee.endswith("CommandContext") else 0
    shell = hit.ctx.string_value(hit.arg(first))
    flag = hit.ctx.string_value(hit.arg(first + 1))
    script = hit.arg(first + 2)
    return shell in SHELLS and flag in ("-c", "/c", "/C", "-Command") and script is not None \
        and not hit.ctx.is_const(script)


def go_sql(hit: Hit) -> bool:
    index = 1 if hit.callee.endswith("Context") else 0
    return sql_built(index)(hit)


RULES: list[Rule] = [
    Rule("go-exec-shell", "exec.Command running a shell script built at run time", "command-injection", "CWE-78",
         "sh -c interprets its argument as a script, so untrusted parts inject commands.",
         "Run the program directly with separate arguments: exec.Command(\"git\", \"log\", branch).",
         GO, calls=("os/exec.Command", "os/exec.CommandContext"), when=shell_dash_c, confidence="high",
         positive=('package m\nimport "os/exec"\nfunc f(dir string) { exec.Command("sh", "-c", "ls "+dir).Run() }\n',),
         negative=('package m\nimport "os/exec"\nfunc f(dir string) { exec.Command("ls", dir).Run() }\n',
                   'package m\nimport "os/exec"\nfunc f() { exec.Command("sh", "-c", "uptime").Run() }\n')),
    Rule("go-tls-insecure-skip-verify", "TLS InsecureSkipVerify: true", "insecure-transport", "CWE-295",
         "The client accepts any certificate, so a network attacker can read and alter traffic.",
         "Remove InsecureSkipVerify; add the CA to RootCAs instead.",
         GO, needles=("InsecureSkipVerify",),
         query='((keyed_element (literal_element (identifier) @k) (literal_element (true))) @hit'
                   ' (#eq? @k "InsecureSkipVerify"))\n'
                   '((assignment_statement left: (expression_list (selector_expression field: (field_identifier) @k))'
                   ' right: (expression_list (true))) @hit (#eq? @k "InsecureSkipVerify"))',
         confidence="high",
         positive=('package m\nimport "crypto/tls"\nvar c = &tls.Config{InsecureSkipVerify: true}\n',
                   'package m\nfunc f(c *tls.Config) { c.InsecureSkipVerify = true }\n'),
         negative=('package m\nimport "crypto/tls"\nvar c = &tls.Config{InsecureSkipVerify: false}\n',)),
    Rule("go-insecure-random", "math/rand used for a secret", "weak-cryptography", "CWE-338",
         "math/rand is predictable; tokens and keys made with it can be guessed.",
         "Use crypto/rand.",
         GO, calls=tuple(f"{pkg}.{fn}" for pkg in ("math/rand", "math/rand/v2") for fn in
                         ("Int", "Intn", "Int31", "Int31n", "Int63", "Int63n", "Uint32", "Uint64", "Read",
                          "Float64", "Perm", "IntN", "N")),
         when=in_secret_context(), confidence="medium",
         positive=('package m\nimport "math/rand"\nfunc f() { token := rand.Int63(); _ = token }\n',),
         negative=('package m\nimport "math/rand"\nfunc f() { jitter := rand.Intn(100); _ = jitter }\n',
                   'package m\nimport "crypto/rand"\nfunc f(b []byte) { token, _ := rand.Read(b); _ = token }\n')),
    Rule("go-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use crypto/sha256.",
         GO, calls=("crypto/md5.New", "crypto/md5.Sum", "crypto/sha1.New", "crypto/sha1.Sum"), confidence="medium",
         positive=('package m\nimport "crypto/md5"\nfunc f(b []byte) { _ = md5.Sum(b) }\n',),
         negative=('package m\nimport "crypto/sha256"\nfunc f(b []byte) { _ = sha256.Sum256(b) }\n',)),
    Rule("go-weak-cipher", "DES/3DES/RC4 cipher", "weak-cryptography", "CWE-327",
         "DES, 3DES and RC4 do not protect confidentiality today.", "Use crypto/aes with GCM.",
         GO, calls=("crypto/des.NewCipher", "crypto/des.NewTripleDESCipher", "crypto/rc4.NewCipher"),
         confidence="high",
         positive=('package m\nimport "crypto/des"\nfunc f(k []byte) { des.NewCipher(k) }\n',),
         negative=('package m\nimport "crypto/aes"\nfunc f(k []byte) { aes.NewCipher(k) }\n',)),
    Rule("go-sql-sprintf", "SQL built with fmt.Sprintf/concatenation passed to Query/Exec", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use placeholders: db.Query(\"... WHERE id = $1\", id).",
         GO, calls=tuple(f"*.{m}" for m in ("Query", "QueryRow", "Exec", "Prepare", "QueryContext",
                                            "QueryRowContext", "ExecContext", "PrepareContext")),
         when=go_sql, confidence="medium",
         positive=('package m\nimport "fmt"\nfunc f(id string) { db.Query(fmt.Sprintf("SELECT * FROM t WHERE id = %s", id)) }\n',
                   'package m\nfunc f(id string) {\n\tq := "DELETE FROM t WHERE id = " + id\n\tdb.Exec(q)\n}\n'),
         negative=('package m\nfunc f(id string) { db.Query("SELECT * FROM t WHERE id = $1", id) }\n',)),
    Rule("go-text-template-html", "text/template used in an HTTP handler file", "xss", "CWE-79",
         "text/template does not escape HTML; values rendered into pages can inject scripts.",
         "Use html/template for anything served as HTML.",
         GO, needles=('"text/template"',),
         query='((import_spec path: (interpreted_string_literal) @p) @hit (#eq? @p "\\"text/template\\""))',
         when=file_imports("net/http"), confidence="medium",
         positive=('package m\nimport (\n\t"net/http"\n\t"text/template"\n)\n',),
         negative=('package m\nimport (\n\t"net/http"\n\t"html/template"\n)\n',
                   'package m\nimport "text/template"\n')),
]


def go_imports(captures: dict, doc) -> Iterable[tuple[str, str]]:  # noqa: ANN001
    path = doc.node_text(captures["mod"][0]).strip('"`') if captures.get("mod") else ""
    if not path:
        return
    alias = captures.get("alias")
    name = doc.node_text(alias[0]) if alias else path.rstrip("/").split("/")[-1]
    if name in ("v2", "v3") and "/" in path:
        name = path.split("/")[-2]
    if name not in ("_", "."):
        yield name, path


SPEC = LanguageSpec(
    languages=GO,
    call_queries=("(call_expression function: (_) @callee arguments: (argument_list) @args) @call",),
    rules=RULES,
    import_queries=("(import_spec name: (package_identifier) @alias path: (_) @mod)",
                    "(import_spec !name path: (_) @mod)"),
    imports=go_imports,
    import_needles=("import",),
    import_needs_statement=True,
    assignment_queries=(
        "(short_var_declaration left: (expression_list . (identifier) @lhs) right: (expression_list . (_) @rhs))",
        "(assignment_statement left: (expression_list . (identifier) @lhs) right: (expression_list . (_) @rhs))",
        "(var_spec name: (identifier) @lhs value: (expression_list . (_) @rhs))",
        "(const_spec name: (identifier) @lhs value: (expression_list . (_) @rhs))",
    ),
    function_types=frozenset({"function_declaration", "method_declaration", "func_literal"}),
    const_leaves=frozenset({"interpreted_string_literal_content", "raw_string_literal_content", "escape_sequence",
                            "int_literal", "float_literal", "true", "false", "nil", "rune_literal", "comment"}),
    composites=frozenset({"interpreted_string_literal", "raw_string_literal", "binary_expression",
                          "parenthesized_expression"}),
    string_types=frozenset({"interpreted_string_literal", "raw_string_literal"}),
)
