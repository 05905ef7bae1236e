"""Go security rules (gosec-style checklist) and taint tables.

Sources: handler parameters of type ``*http.Request`` (net/http, gorilla/mux, chi), ``*gin.Context``,
``echo.Context`` and ``*fiber.Ctx``; ``os.Args``/``os.Getenv``/``os.Stdin`` for local-only kinds.
Fields of a request that the server itself decides (``r.Method``, ``r.Context()``) are not data.
"""

from __future__ import annotations

import re
from typing import Iterable

import tree_sitter

from guardline.parsing import ParsedDocument
from guardline.security.engine import (
    DocContext, Hit, LanguageSpec, Rule, TaintRule, all_of, any_of, arg_text_in,
    sql_built,
)
from guardline.security.rules.common import (
    secret_function, callee_matches, tainted, typed_parameters, unsanitised,
)
from guardline.security.prefilter import Captures

Node = tree_sitter.Node
GO = ("go",)
SHELLS = {"sh", "bash", "zsh", "/bin/sh", "/bin/bash", "/usr/bin/env", "cmd", "cmd.exe", "powershell"}
REQUEST_TYPES = re.compile(r"^(\*http\.Request|\*gin\.Context|echo\.Context|\*fiber\.Ctx|\*fasthttp\.RequestCtx|"
                           r"\*restful\.Request|\*iris\.Context|iris\.Context)$")
REQUEST_FACTS = frozenset({"Method", "Context", "Proto", "ProtoMajor", "ProtoMinor", "ContentLength", "TLS",
                           "RemoteAddr", "WithContext", "ParseForm", "ParseMultipartForm", "JSON", "String",
                           "Status", "AbortWithStatus", "Writer", "Response", "Set", "Next", "HTML", "Render"})
SQL_SANITISERS = frozenset({"Atoi", "ParseInt", "ParseUint", "ParseFloat", "ParseBool", "QuoteIdentifier",
                            "QuoteLiteral", "Itoa", "FormatInt"})
HTML_SANITISERS = frozenset({"EscapeString", "HTMLEscapeString", "JSEscapeString", "HTMLEscaper", "Atoi", "Itoa",
                             "ParseInt", "QueryEscape", "Sanitize"})
PATH_SANITISERS = frozenset({"Base", "Atoi", "ParseInt"})
LDAP_SANITISERS = frozenset({"EscapeFilter", "EscapeDN", "Atoi"})
ALL_SANITISERS = (SQL_SANITISERS | HTML_SANITISERS | PATH_SANITISERS | LDAP_SANITISERS
                  | frozenset({"PathEscape", "Quote", "Len", "len", "HasPrefix", "HasSuffix", "Contains", "EqualFold", "Count",
                               "Index", "LastIndex", "ContainsAny"}))
HTTP_FETCH = ("net/http.Get", "net/http.Post", "net/http.Head", "net/http.PostForm")


# ---------------------------------------------------------------- sources


def request_fact(ctx: DocContext, node: Node) -> str | None:
    """``r.Method`` / ``r.Context()``: a request parameter, but not attacker data."""
    if node.type != "selector_expression":
        return None
    field = node.child_by_field_name("field")
    return "" if field is not None and ctx.text(field) in REQUEST_FACTS else None


def _request_parameter(declaration: str, type_text: str) -> str | None:
    return type_text if REQUEST_TYPES.match(type_text.replace(" ", "")) else None


# ---------------------------------------------------------------- predicates


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
    method = hit.callee.rsplit(".", 1)[-1]
    if method in ("Raw", "Where", "Order", "Having", "Joins", "Group", "Select", "Exec") and _gorm_like(hit):
        return unsanitised(0, SQL_SANITISERS)(hit)
    if method in ("Get", "Select"):   # sqlx: (dest, query, args...)
        return sql_built(1)(hit) and unsanitised(1, SQL_SANITISERS)(hit)
    if method in ("Raw", "Where", "Order", "Having", "Joins", "Group"):
        return False
    return (sql_built(index)(hit) and unsanitised(index, SQL_SANITISERS)(hit)) or tainted(index)(hit)


def _gorm_like(hit: Hit) -> bool:
    return re.search(r'"gorm\.io/|"github\.com/jinzhu/gorm"|"github\.com/jmoiron/sqlx"', hit.ctx.doc.text) is not None


def response_writer(hit: Hit) -> bool:
    """The first argument (or the receiver, for w.Write) is the handler's http.ResponseWriter."""
    method = hit.callee.rsplit(".", 1)[-1]
    receiver_writes = method in ("Write", "WriteString") and "." in hit.callee and not hit.callee.startswith("io.")
    target = hit.callee.rsplit(".", 1)[0] if receiver_writes else hit.text(hit.arg(0))
    if receiver_writes and target.endswith(".Writer"):
        return True   # gin: c.Writer.WriteString(...)
    if not re.fullmatch(r"\w+", target or ""):
        return False
    return re.search(rf"\b{re.escape(target)}\s+http\.ResponseWriter\b", hit.ctx.doc.text) is not None


def text_template_file(hit: Hit) -> bool:
    return "text/template" in hit.ctx.aliases.values() and "html/template" not in hit.ctx.aliases.values()


def cookie_literal_insecure(hit: Hit) -> bool:
    body = hit.text(hit.capture("hit"))
    scope = _scope_text(hit)   # c.Secure = true later in the function also counts
    secure = re.search(r"\bSecure\s*:\s*true", body) or re.search(r"\.Secure\s*=\s*true", scope)
    http_only = re.search(r"\bHttpOnly\s*:\s*true", body) or re.search(r"\.HttpOnly\s*=\s*true", scope)
    return not (secure and http_only)


def _scope_text(hit: Hit) -> str:
    current = hit.node.parent
    while current is not None and current.type not in hit.ctx.spec.function_types:
        current = current.parent
    return hit.ctx.text(current) if current is not None else ""


def world_writable(mode_text: str) -> bool:
    try:
        mode = int(mode_text.replace("_", ""), 8 if re.fullmatch(r"0[0-7]+", mode_text) else 0)
    except ValueError:
        return False
    return bool(mode & 0o002)


def cors_header(hit: Hit) -> bool:
    return arg_text_in(0, ("Access-Control-Allow-Origin",))(hit) and arg_text_in(1, ("*",))(hit)


def math_rand_receiver(hit: Hit) -> bool:
    receiver = hit.callee.rsplit(".", 1)[0]
    if not re.fullmatch(r"\w+", receiver):
        return False
    return re.search(rf"\b{re.escape(receiver)}\s*:?=\s*rand\.New\(", hit.ctx.doc.text) is not None and \
        '"math/rand' in hit.ctx.doc.text


RAND_FUNCS = ("Int", "Intn", "Int31", "Int31n", "Int63", "Int63n", "Uint32", "Uint64", "Read", "Float64", "Perm",
              "IntN", "N", "Shuffle")

RULES: list[Rule] = [
    Rule("go-exec-shell", "exec.Command running a shell script built at run time", "command-injection", "CWE-78",
         "sh -c interprets its argument as a script, so untrusted parts inject commands.",
         "Run the program directly with separate arguments: exec.Command(\"git\", \"log\", branch).",
         GO, calls=("os/exec.Command", "os/exec.CommandContext"), when=shell_dash_c, taint="command",
         taint_args=("*",), confidence="high",
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
    Rule("go-tls-min-version", "TLS MinVersion below 1.2", "insecure-transport", "CWE-326",
         "SSL 3.0, TLS 1.0 and 1.1 have known weaknesses (POODLE, BEAST) and are deprecated (RFC 8996).",
         "Set MinVersion: tls.VersionTLS12 (or VersionTLS13).",
         GO, needles=("MinVersion",),
         query='((keyed_element (literal_element (identifier) @k) (literal_element (_) @v)) @hit'
               ' (#eq? @k "MinVersion") (#match? @v "VersionSSL30|VersionTLS10|VersionTLS11|0x030[012]"))\n'
               '((assignment_statement left: (expression_list (selector_expression field: (field_identifier) @k))'
               ' right: (expression_list (_) @v)) @hit (#eq? @k "MinVersion")'
               ' (#match? @v "VersionSSL30|VersionTLS10|VersionTLS11|0x030[012]"))',
         confidence="high",
         positive=('package m\nimport "crypto/tls"\nvar c = &tls.Config{MinVersion: tls.VersionTLS10}\n',),
         negative=('package m\nimport "crypto/tls"\nvar c = &tls.Config{MinVersion: tls.VersionTLS12}\n',)),
    Rule("go-insecure-random", "math/rand used for a secret", "weak-random", "CWE-338",
         "math/rand is predictable; tokens and keys made with it can be guessed.",
         "Use crypto/rand.",
         GO, calls=tuple(f"{pkg}.{fn}" for pkg in ("math/rand", "math/rand/v2") for fn in RAND_FUNCS)
         + tuple(f"*.{fn}" for fn in ("Intn", "Int63", "Int31", "Int", "Uint64", "Read", "IntN")),
         when=all_of(secret_function, any_of(callee_matches(r"^math/rand"), math_rand_receiver)),
         confidence="medium",
         positive=('package m\nimport "math/rand"\nfunc f() { token := rand.Int63(); _ = token }\n',
                   'package m\nimport "math/rand"\nfunc sessionID() string { return letters[rand.Intn(52)] }\n'),
         negative=('package m\nimport "math/rand"\nfunc f() { jitter := rand.Intn(100); _ = jitter }\n',
                   'package m\nimport "crypto/rand"\nfunc f(b []byte) { token, _ := rand.Read(b); _ = token }\n')),
    Rule("go-weak-key-size", "RSA key shorter than 2048 bits", "weak-cryptography", "CWE-326",
         "Keys under 2048 bits can be factored with today's resources.", "Use 2048 bits or more (3072 for new keys).",
         GO, calls=("crypto/rsa.GenerateKey", "crypto/rsa.GenerateMultiPrimeKey"),
         when=lambda hit: re.fullmatch(r"\d+", hit.text(hit.arg(-1))) is not None and int(hit.text(hit.arg(-1))) < 2048,
         confidence="high",
         positive=('package m\nimport ("crypto/rand"; "crypto/rsa")\nfunc f() { rsa.GenerateKey(rand.Reader, 1024) }\n',),
         negative=('package m\nimport ("crypto/rand"; "crypto/rsa")\nfunc f() { rsa.GenerateKey(rand.Reader, 4096) }\n',)),
    Rule("go-file-permissions", "file or directory created world-writable", "insecure-configuration", "CWE-732",
         "Any local user can modify a world-writable file (or plant files in the directory).",
         "Use 0600/0640 for files and 0750 for directories.",
         GO, calls=("os.WriteFile", "io/ioutil.WriteFile", "os.OpenFile", "os.Chmod", "os.Mkdir", "os.MkdirAll"),
         when=lambda hit: world_writable(hit.text(hit.arg(-1))), confidence="medium",
         positive=('package m\nimport "os"\nfunc f(b []byte) { os.WriteFile("/tmp/x", b, 0666) }\n',),
         negative=('package m\nimport "os"\nfunc f(b []byte) { os.WriteFile("/tmp/x", b, 0600) }\n',)),
    Rule("go-bind-all-interfaces", "server listening on every interface", "insecure-configuration", "CWE-1327",
         "0.0.0.0 exposes the service on every network the host is on, not only where it is meant to be reached.",
         "Bind to the interface the service is meant for (127.0.0.1 for local tools).",
         GO, calls=("net.Listen", "net/http.ListenAndServe", "net/http.ListenAndServeTLS"),
         when=lambda hit: (hit.ctx.string_value(hit.arg(1 if hit.callee == "net.Listen" else 0)) or "").startswith(
             "0.0.0.0"), confidence="low",
         positive=('package m\nimport "net"\nfunc f() { net.Listen("tcp", "0.0.0.0:8080") }\n',),
         negative=('package m\nimport "net"\nfunc f() { net.Listen("tcp", "127.0.0.1:8080") }\n',)),
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
         GO, calls=tuple(f"*.{m}" for m in ("Query", "QueryRow", "Exec", "Prepare", "QueryContext", "QueryRowContext",
                                            "ExecContext", "PrepareContext", "Queryx", "QueryRowx", "Select", "Get",
                                            "Raw", "Where", "Order", "Having", "Joins", "Group", "MustExec", "NamedExec")),
         when=go_sql, taint="sql", taint_args=(0, 1), confidence="medium",
         positive=('package m\nimport "fmt"\nfunc f(id string) { db.Query(fmt.Sprintf("SELECT * FROM t WHERE id = %s", id)) }\n',
                   'package m\nfunc f(id string) {\n\tq := "DELETE FROM t WHERE id = " + id\n\tdb.Exec(q)\n}\n'),
         negative=('package m\nfunc f(id string) { db.Query("SELECT * FROM t WHERE id = $1", id) }\n',)),
    Rule("go-text-template-html", "text/template rendering into an HTTP response", "xss", "CWE-79",
         "text/template does not escape HTML; values rendered into pages can inject scripts.",
         "Use html/template for anything served as HTML.",
         GO, calls=("*.Execute", "*.ExecuteTemplate"), when=all_of(text_template_file, response_writer),
         taint="xss", taint_args=("*",), confidence="medium",
         positive=('package m\nimport (\n\t"net/http"\n\t"text/template"\n)\n'
                   'func h(w http.ResponseWriter, r *http.Request) { tmpl.Execute(w, r.FormValue("q")) }\n',),
         negative=('package m\nimport (\n\t"net/http"\n\t"html/template"\n)\n'
                   'func h(w http.ResponseWriter, r *http.Request) { tmpl.Execute(w, r.FormValue("q")) }\n',
                   'package m\nimport (\n\t"os"\n\t"text/template"\n)\nfunc f() { tmpl.Execute(os.Stdout, data) }\n')),
    Rule("go-template-unescaped", "template.HTML/JS/URL conversion of a non-constant value", "xss", "CWE-79",
         "These conversions mark the value as safe, so html/template stops escaping it.",
         "Pass the plain string and let html/template escape it.",
         GO, calls=tuple(f"html/template.{t}" for t in ("HTML", "JS", "URL", "HTMLAttr", "CSS", "JSStr", "Srcset")),
         when=unsanitised(0, HTML_SANITISERS), taint="xss", confidence="medium",
         positive=('package m\nimport "html/template"\nfunc f(s string) template.HTML { return template.HTML(s) }\n',),
         negative=('package m\nimport "html/template"\nfunc f() template.HTML { return template.HTML("<b>hi</b>") }\n',
                   'package m\nimport "html/template"\nfunc f(s string) template.HTML {'
                   ' return template.HTML(template.HTMLEscapeString(s)) }\n')),
    Rule("go-cookie-insecure", "http.Cookie without Secure/HttpOnly", "insecure-cookie", "CWE-614",
         "A cookie without Secure travels over plain HTTP; without HttpOnly scripts can read it.",
         "Set Secure: true and HttpOnly: true (and SameSite) on session cookies.",
         GO, needles=("Cookie",),
         query='((composite_literal type: (qualified_type package: (package_identifier) @p name: (type_identifier) @t))'
               ' @hit (#eq? @p "http") (#eq? @t "Cookie"))',
         when=cookie_literal_insecure, confidence="medium",
         positive=('package m\nimport "net/http"\n'
                   'func f(w http.ResponseWriter) { http.SetCookie(w, &http.Cookie{Name: "sid", Value: v}) }\n',),
         negative=('package m\nimport "net/http"\nfunc f(w http.ResponseWriter) {\n'
                   '\thttp.SetCookie(w, &http.Cookie{Name: "sid", Value: v, Secure: true, HttpOnly: true})\n}\n',)),
    Rule("go-cors-any-origin", "CORS allows any origin", "insecure-configuration", "CWE-942",
         "Allowing every origin lets any site read responses meant for your users.",
         "List the trusted origins explicitly.",
         GO, calls=("*.Set", "*.Add"), when=lambda hit: cors_header(hit) if hit.callee else True,
         needles=("Origin",),
         query='((keyed_element (literal_element (identifier) @k) (literal_element (_) @v)) @hit'
               ' (#match? @k "^(AllowedOrigins|AllowOrigins)$") (#match? @v "\\"\\\\*\\""))\n'
               '((keyed_element (literal_element (identifier) @k) (literal_element (true))) @hit'
               ' (#eq? @k "AllowAllOrigins"))',
         confidence="medium",
         positive=('package m\nfunc f(w http.ResponseWriter) { w.Header().Set("Access-Control-Allow-Origin", "*") }\n',
                   'package m\nvar c = cors.Options{AllowedOrigins: []string{"*"}}\n'),
         negative=('package m\nfunc f(w http.ResponseWriter) {'
                   ' w.Header().Set("Access-Control-Allow-Origin", "https://app.example.org") }\n',)),
    Rule("go-ldap-filter", "LDAP search filter built at run time", "ldap-injection", "CWE-90",
         "Values spliced into an LDAP filter can change which entries match (LDAP injection).",
         "Escape values with ldap.EscapeFilter.",
         GO, calls=("*.NewSearchRequest",), when=unsanitised(6, LDAP_SANITISERS), taint="ldap", taint_args=(6,),
         confidence="medium",
         positive=('package m\nfunc f(u string) { ldap.NewSearchRequest("dc=x", 2, 0, 0, 0, false, "(uid="+u+")", nil, nil) }\n',),
         negative=('package m\nfunc f(u string) {'
                   ' ldap.NewSearchRequest("dc=x", 2, 0, 0, 0, false, "(uid="+ldap.EscapeFilter(u)+")", nil, nil) }\n',)),
    # Tier B sinks: reported only when request data reaches them.
    Rule("go-exec-sink", "program run with computed arguments", "command-injection", "CWE-78", "", "", GO,
         calls=("os/exec.Command", "os/exec.CommandContext", "syscall.Exec"), tier="B", taint="command",
         taint_args=("*",)),
    Rule("go-response-write-sink", "value written to the HTTP response", "xss", "CWE-79", "", "", GO,
         calls=("fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln", "io.WriteString", "*.Write", "*.WriteString"),
         when=response_writer, tier="B", taint="xss", taint_args=("*",)),
    Rule("go-gin-html-sink", "raw bytes written as an HTML response body", "xss", "CWE-79", "", "", GO,
         calls=("*.Data",), when=lambda hit: "text/html" in hit.text(hit.arg(1)), tier="B", taint="xss",
         taint_args=(2,)),
    Rule("go-echo-html-sink", "string sent as an HTML response (echo)", "xss", "CWE-79", "", "", GO,
         calls=("*.HTML", "*.HTMLBlob"), when=lambda hit: "labstack/echo" in hit.ctx.doc.text, tier="B", taint="xss",
         taint_args=(1,)),
    Rule("go-path-sink", "file opened by a path", "path-traversal", "CWE-22", "", "", GO,
         calls=("os.Open", "os.OpenFile", "os.ReadFile", "os.Create", "os.Remove", "os.RemoveAll", "os.WriteFile",
                "os.Mkdir", "os.MkdirAll", "io/ioutil.ReadFile", "io/ioutil.WriteFile", "path/filepath.Join",
                "path.Join", "*.File", "*.SendFile", "*.FileAttachment", "os.ReadDir", "io/ioutil.ReadDir",
                "os.Stat", "os.Rename", "os.Chmod"),
         tier="B", taint="path", taint_args=("*",)),
    Rule("go-serve-file-sink", "file served by a computed path", "path-traversal", "CWE-22", "", "", GO,
         calls=("net/http.ServeFile",), tier="B", taint="path", taint_args=(2,)),
    Rule("go-redirect-sink", "redirect to a computed location", "open-redirect", "CWE-601", "", "", GO,
         calls=("net/http.Redirect",), tier="B", taint="redirect", taint_args=(2,)),
    Rule("go-framework-redirect-sink", "redirect to a computed location (gin/echo)", "open-redirect", "CWE-601",
         "", "", GO, calls=("*.Redirect",), when=lambda hit: hit.callee != "net/http.Redirect", tier="B",
         taint="redirect", taint_args=(1,)),
    Rule("go-fetch-sink", "URL fetched by the server", "ssrf", "CWE-918", "", "", GO,
         calls=HTTP_FETCH, tier="B", taint="ssrf", taint_args=(0,)),
    Rule("go-client-fetch-sink", "URL fetched by an http.Client", "ssrf", "CWE-918", "", "", GO,
         calls=("*.Get", "*.Post", "*.Head", "*.PostForm"),
         when=callee_matches(r"(?i)(client|http\.DefaultClient)\.(Get|Post|Head|PostForm)$"), tier="B", taint="ssrf",
         taint_args=(0,)),
    Rule("go-new-request-sink", "request built for a computed URL", "ssrf", "CWE-918", "", "", GO,
         calls=("net/http.NewRequest",), tier="B", taint="ssrf", taint_args=(1,)),
    Rule("go-new-request-context-sink", "request built for a computed URL", "ssrf", "CWE-918", "", "", GO,
         calls=("net/http.NewRequestWithContext",), tier="B", taint="ssrf", taint_args=(2,)),
    Rule("go-session-sink", "value stored in the session", "trust-boundary", "CWE-501", "", "", GO,
         needles=("Values",),
         query='((assignment_statement left: (expression_list (index_expression operand: (selector_expression'
               ' field: (field_identifier) @f))) right: (expression_list (_) @v)) @hit (#eq? @f "Values"))',
         tier="B", taint="session", taint_args=("@v",)),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("go-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "Request data ends up in a command line.", "Run a fixed program; validate each argument.", GO,
              positive=('package m\nimport ("net/http"; "os/exec")\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\texec.Command("ping", "-c", "1", r.URL.Query().Get("host")).Run()\n}\n',),
              negative=('package m\nimport ("net/http"; "os/exec")\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\texec.Command("uptime").Run()\n}\n',)),
    TaintRule("go-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "Request data is spliced into SQL text.", "Use placeholders ($1, ?).", GO,
              positive=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tdb.Query("SELECT * FROM users WHERE name = \'" + r.FormValue("name") + "\'")\n}\n',),
              negative=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tdb.Query("SELECT * FROM users WHERE name = $1", r.FormValue("name"))\n}\n',)),
    TaintRule("go-tainted-xss", "xss", "cross-site scripting", "CWE-79", "xss",
              "Request data is written into an HTML response unescaped.",
              "Render with html/template, or html.EscapeString the value.", GO,
              positive=('package m\nimport ("fmt"; "net/http")\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tfmt.Fprintf(w, "<h1>Hello %s</h1>", r.URL.Query().Get("name"))\n}\n',),
              negative=('package m\nimport ("fmt"; "html"; "net/http")\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tfmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(r.URL.Query().Get("name")))\n}\n',),
              remote_only=True),
    TaintRule("go-tainted-path", "path", "path traversal", "CWE-22", "path-traversal",
              "Request data chooses which file is read or written.",
              "Keep the base name only (filepath.Base) and check the result stays under the root.", GO,
              positive=('package m\nimport ("net/http"; "os")\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tos.Open("/srv/files/" + r.URL.Query().Get("f"))\n}\n',),
              negative=('package m\nimport ("net/http"; "os"; "path/filepath")\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tos.Open("/srv/files/" + filepath.Base(r.URL.Query().Get("f")))\n}\n',),
              remote_only=True),
    TaintRule("go-tainted-redirect", "redirect", "open redirect", "CWE-601", "open-redirect",
              "Request data chooses where the user is redirected (phishing).",
              "Redirect only to relative paths or allow-listed hosts.", GO,
              positive=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\thttp.Redirect(w, r, r.FormValue("next"), http.StatusFound)\n}\n',),
              negative=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\thttp.Redirect(w, r, "/home", http.StatusFound)\n}\n',),
              remote_only=True),
    TaintRule("go-tainted-ssrf", "ssrf", "server-side request forgery", "CWE-918", "ssrf",
              "Request data chooses the URL the server fetches.", "Allow-list schemes and hosts before fetching.",
              GO,
              positive=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\thttp.Get(r.URL.Query().Get("url"))\n}\n',),
              negative=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\thttp.Get("https://api.example.org/health")\n}\n',),
              remote_only=True),
    TaintRule("go-tainted-ldap", "ldap", "LDAP injection", "CWE-90", "ldap-injection",
              "Request data is spliced into an LDAP filter.", "Escape it with ldap.EscapeFilter.", GO,
              positive=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tldap.NewSearchRequest("dc=x", 2, 0, 0, 0, false, "(uid="+r.FormValue("u")+")", nil, nil)\n}\n',),
              negative=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tldap.NewSearchRequest("dc=x", 2, 0, 0, 0, false, "(objectClass=person)", nil, nil)\n}\n',)),
    TaintRule("go-tainted-session", "session", "trust boundary violation", "CWE-501", "trust-boundary",
              "Unvalidated request data is stored in the session, where later code trusts it.",
              "Validate the value before storing it in the session.", GO,
              positive=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tsess.Values["user"] = r.FormValue("user")\n}\n',),
              negative=('package m\nimport "net/http"\nfunc h(w http.ResponseWriter, r *http.Request) {\n'
                        '\tsess.Values["visits"] = 1\n}\n',),
              remote_only=True),
]


def go_imports(captures: Captures, doc: ParsedDocument) -> Iterable[tuple[str, str]]:
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
        "(range_clause left: (expression_list (identifier) @lhs) right: (_) @rhs)",
    ),
    function_types=frozenset({"function_declaration", "method_declaration", "func_literal"}),
    const_leaves=frozenset({"interpreted_string_literal_content", "raw_string_literal_content", "escape_sequence",
                            "int_literal", "float_literal", "true", "false", "nil", "rune_literal", "comment"}),
    composites=frozenset({"interpreted_string_literal", "raw_string_literal", "binary_expression",
                          "parenthesized_expression"}),
    string_types=frozenset({"interpreted_string_literal", "raw_string_literal"}),
    taint_sources=frozenset({"os.Args", "os.Getenv", "os.LookupEnv", "os.Stdin", "os.Environ"}),
    taint_source_types=frozenset({"selector_expression"}),
    taint_words=frozenset({"Request", "gin", "echo", "fiber", "fasthttp", "restful", "iris"}),
    source_node=request_fact,
    parameter_sources=typed_parameters("parameters", "type", ("name",), _request_parameter),
    sanitizers=ALL_SANITISERS,
    taint_rules=TAINT_RULES,
    local_sources=frozenset({"os.Args", "os.Getenv", "os.LookupEnv", "os.Stdin", "os.Environ"}),
)
