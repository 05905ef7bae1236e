"""PHP security rules (superglobals, mysqli/PDO, shell, eval/include, unserialize, XSS, XXE, cookies)
and taint tables.

Sources: the request superglobals (``$_GET``, ``$_POST``, ``$_REQUEST``, ``$_COOKIE``, ``$_FILES``,
``$_SERVER``), ``php://input``, ``getallheaders()``, and Laravel/Symfony ``Request $request`` parameters.
Integer/float casts and ``intval`` make a value clean.
"""

from __future__ import annotations

import re

import tree_sitter

from guardline.security.engine import (
    DocContext, Hit, LanguageSpec, Rule, TaintRule, any_of, arg_matches, arg_not_const, arg_text_in,
    sql_built,
)
from guardline.security.rules.common import (
    secret_function, any_arg_text, tainted, typed_parameters, unsanitised,
)

Node = tree_sitter.Node
PHP = ("php",)
SUPERGLOBALS = frozenset({"$_GET", "$_POST", "$_REQUEST", "$_COOKIE", "$_FILES", "$_SERVER", "$HTTP_GET_VARS",
                          "$HTTP_POST_VARS", "$HTTP_COOKIE_VARS"})
REQUEST_TYPES = re.compile(r"^\??(Request|\\?Illuminate\\Http\\Request|ServerRequestInterface|"
                           r"\\?Symfony\\Component\\HttpFoundation\\Request|RequestInterface)$")
REQUEST_FACTS = frozenset({"user", "method", "isMethod", "ajax", "wantsJson", "session", "route", "validate",
                           "getMethod", "isSecure", "getScheme", "expectsJson", "hasFile", "has", "filled"})
SERVER_FACTS = frozenset({"DOCUMENT_ROOT", "SCRIPT_FILENAME", "REQUEST_METHOD", "SERVER_PORT", "HTTPS",
                          "REQUEST_TIME", "REQUEST_TIME_FLOAT", "SCRIPT_NAME", "SERVER_ADDR", "REMOTE_ADDR",
                          "SERVER_SOFTWARE", "SERVER_PROTOCOL", "GATEWAY_INTERFACE"})
CLEAN_CASTS = frozenset({"int", "integer", "float", "double", "bool", "boolean"})
SQL_SANITISERS = frozenset({"intval", "floatval", "mysqli_real_escape_string", "real_escape_string",
                            "pg_escape_string", "pg_escape_literal", "quote", "addslashes", "sqlite_escape_string",
                            "escape_string", "boolval", "count"})
COMMAND_SANITISERS = frozenset({"escapeshellarg", "escapeshellcmd", "intval"})
HTML_SANITISERS = frozenset({"htmlspecialchars", "htmlentities", "strip_tags", "intval", "e", "esc_html",
                             "esc_attr", "urlencode", "rawurlencode", "json_encode", "number_format", "count"})
PATH_SANITISERS = frozenset({"basename", "intval", "realpath"})
LDAP_SANITISERS = frozenset({"ldap_escape", "intval"})
ALL_SANITISERS = (SQL_SANITISERS | COMMAND_SANITISERS | HTML_SANITISERS | PATH_SANITISERS | LDAP_SANITISERS
                  | frozenset({"is_numeric", "in_array", "isset", "empty", "strlen", "ctype_digit", "ctype_alnum",
                               "preg_match", "password_verify", "hash_equals", "filter_var", "md5", "sha1", "hash",
                               "crc32", "password_hash"}))


# ---------------------------------------------------------------- sources


def php_source(ctx: DocContext, node: Node) -> str | None:
    kind = node.type
    if kind == "subscript_expression" and node.named_child_count == 2 and \
            ctx.text(node.named_children[0]) == "$_SERVER":
        return "" if ctx.string_value(node.named_children[1]) in SERVER_FACTS else "$_SERVER"
    if kind == "cast_expression":
        cast = node.child_by_field_name("type")
        return "" if cast is not None and ctx.text(cast).strip().lower() in CLEAN_CASTS else None
    if kind == "function_call_expression":
        return _call_source(ctx, node)
    if kind == "member_call_expression":
        return "" if ctx.text(node.child_by_field_name("name")) in REQUEST_FACTS and \
            ctx.text(node.child_by_field_name("object")) in ("$request", "$this->request") else None
    return None


def _call_source(ctx: DocContext, node: Node) -> str | None:
    """`getallheaders()`, `request()` and `file_get_contents('php://input')` read the request."""
    name = ctx.text(node.child_by_field_name("function"))
    if name in ("getallheaders", "apache_request_headers", "request"):
        return f"{name}()"
    if name == "file_get_contents" and "php://input" in ctx.text(node.child_by_field_name("arguments")):
        return "php://input"
    return None


def _request_parameter(declaration: str, type_text: str) -> str | None:
    return type_text if type_text and REQUEST_TYPES.match(type_text.replace(" ", "")) else None


# ---------------------------------------------------------------- predicates


def shell_command(hit: Hit) -> bool:
    if hit.callee:
        return unsanitised(0, COMMAND_SANITISERS)(hit)
    return not hit.ctx.is_const(hit.node)


def php_sql(hit: Hit) -> bool:
    if hit.callee.rsplit(".", 1)[-1] in ("query", "exec", "prepare") and "." in hit.callee:
        return (sql_built(0)(hit) and unsanitised(0, SQL_SANITISERS)(hit)) or \
            (tainted(0)(hit) and not _xpath_text(hit, 0))
    return any((sql_built(i)(hit) and unsanitised(i, SQL_SANITISERS)(hit)) or tainted(i)(hit) for i in (0, 1))


def _xpath_text(hit: Hit, index: int) -> bool:
    return re.search(r"""^["']\.?/|\[@""", hit.text(hit.arg(index))) is not None


def xpath_query(hit: Hit) -> bool:
    return "DOMXPath" in hit.ctx.doc.text and _xpath_text(hit, 0) and unsanitised(0, frozenset({"intval"}))(hit)


def header_location(hit: Hit) -> bool:
    return arg_matches(0, r"(?i)^['\"]?\s*location\s*:")(hit)


def cookie_insecure(hit: Hit) -> bool:
    """setcookie(name, value, expire, path, domain, secure, httponly) or the options-array form."""
    third = hit.arg(2)
    if third is not None and third.type == "array_creation_expression":
        text = hit.text(third).lower()
        return not (re.search(r"['\"]secure['\"]\s*=>\s*true", text) and
                    re.search(r"['\"]httponly['\"]\s*=>\s*true", text))
    secure, http_only = hit.arg(5), hit.arg(6)
    return secure is None or http_only is None or hit.text(secure).lower() in ("false", "0") or \
        hit.text(http_only).lower() in ("false", "0")


def cors_any(hit: Hit) -> bool:
    return arg_matches(0, r"(?i)^\s*access-control-allow-origin\s*:\s*\*\s*$")(hit)


def xxe_flags(hit: Hit) -> bool:
    if hit.callee == "libxml_disable_entity_loader":
        return arg_text_in(0, ("false", "0"))(hit)
    return any_arg_text(r"LIBXML_NOENT|LIBXML_DTDLOAD|LIBXML_DTDATTR")(hit)


RULES: list[Rule] = [
    Rule("php-eval", "eval/assert/create_function of a non-literal", "injection", "CWE-95",
         "The string is executed as PHP code.", "Never build code at run time; use a dispatch table.",
         PHP, calls=("eval", "assert", "create_function"), when=arg_not_const(0), taint="code", confidence="medium",
         positive=("<?php\neval($code);\n",), negative=("<?php\neval('return 1;');\n",)),
    Rule("php-include", "include/require of a run-time path", "injection", "CWE-98",
         "A path chosen at run time can include another local file, or a remote one (remote file inclusion).",
         "Map the requested name to a fixed list of files.",
         PHP, needles=("include", "require"),
         query="[(include_expression (_) @p) (include_once_expression (_) @p) (require_expression (_) @p)"
               " (require_once_expression (_) @p)] @hit",
         when=lambda hit: not hit.ctx.is_const(hit.capture("p")) and not re.fullmatch(
             r"(__DIR__|dirname\(__FILE__\))\s*\.\s*['\"][^'\"]*['\"]", hit.text(hit.capture("p"))),
         taint="code", taint_args=("@p",), confidence="medium",
         positive=("<?php\ninclude $_GET['page'] . '.php';\n",),
         negative=("<?php\ninclude __DIR__ . '/header.php';\n", "<?php\nrequire_once 'config.php';\n")),
    Rule("php-command", "shell command built at run time", "command-injection", "CWE-78",
         "The command string is run by a shell, so untrusted parts inject commands.",
         "Use escapeshellarg() on every value, or proc_open with an argument array (PHP 7.4+).",
         PHP, calls=("system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec"),
         needles=("`",), query="(shell_command_expression) @hit", when=shell_command, taint="command",
         taint_args=(0, "@hit"), confidence="medium",
         positive=("<?php\nsystem('ping -c 1 ' . $host);\n", "<?php\n$o = `ls $dir`;\n"),
         negative=("<?php\nsystem('uptime');\n", "<?php\nsystem('ping -c 1 ' . escapeshellarg($host));\n")),
    Rule("php-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical; never use them for passwords.",
         "Use password_hash() for passwords and hash('sha256', ...) otherwise.",
         PHP, calls=("md5", "sha1", "hash"),
         when=any_of(lambda hit: hit.callee in ("md5", "sha1"), arg_text_in(0, ("md5", "sha1", "md4", "md2"))),
         confidence="low",
         positive=("<?php\n$h = md5($password);\n", "<?php\n$h = hash('sha1', $data);\n"),
         negative=("<?php\n$h = hash('sha256', $data);\n", "<?php\n$h = password_hash($pw, PASSWORD_DEFAULT);\n")),
    Rule("php-weak-cipher", "mcrypt or DES/RC4/ECB cipher", "weak-cryptography", "CWE-327",
         "mcrypt is unmaintained; DES, RC4, Blowfish and ECB mode do not protect confidentiality.",
         "Use openssl_encrypt with aes-256-gcm or sodium_crypto_secretbox.",
         PHP, calls=("mcrypt_encrypt", "mcrypt_decrypt", "mcrypt_module_open", "openssl_encrypt", "openssl_decrypt"),
         when=any_of(lambda hit: hit.callee.startswith("mcrypt"),
                     arg_matches(1, r"(?i)(^des|rc4|rc2|^bf|blowfish|-ecb$)")),
         confidence="high",
         positive=("<?php\n$c = openssl_encrypt($d, 'des-ede3', $k);\n",),
         negative=("<?php\n$c = openssl_encrypt($d, 'aes-256-gcm', $k, 0, $iv, $tag);\n",)),
    Rule("php-insecure-random", "rand/mt_rand/uniqid used for a secret", "weak-random", "CWE-330",
         "rand, mt_rand, lcg_value and uniqid are predictable; tokens made with them can be guessed.",
         "Use random_bytes() or random_int().",
         PHP, calls=("rand", "mt_rand", "uniqid", "lcg_value", "str_shuffle", "array_rand", "mt_srand"),
         when=secret_function, confidence="medium",
         positive=("<?php\n$token = md5(mt_rand());\n", "<?php\n$resetToken = rand(100000, 999999);\n"),
         negative=("<?php\n$token = bin2hex(random_bytes(32));\n", "<?php\n$delay = rand(1, 5);\n")),
    Rule("php-sql-concat", "SQL built by concatenation/interpolation", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use prepared statements: $pdo->prepare('... WHERE id = ?')->execute([$id]).",
         PHP, calls=("mysql_query", "mysqli_query", "pg_query", "sqlite_query", "*.query", "*.exec", "*.prepare",
                     "mysqli_multi_query", "mysqli_prepare", "pg_prepare", "*.raw", "DB.select", "DB.statement",
                     "*.whereRaw", "*.selectRaw", "*.orderByRaw"),
         when=php_sql, taint="sql", taint_args=(0, 1), confidence="medium",
         positive=("<?php\n$r = $db->query(\"SELECT * FROM users WHERE id = $id\");\n",
                   "<?php\n$r = mysqli_query($conn, 'SELECT * FROM t WHERE a = ' . $_GET['a']);\n"),
         negative=("<?php\n$s = $pdo->prepare('SELECT * FROM users WHERE id = ?');\n",
                   "<?php\n$r = mysqli_query($conn, 'SELECT * FROM t WHERE a = ' . intval($_GET['a']));\n")),
    Rule("php-unserialize", "unserialize of a non-literal", "deserialization", "CWE-502",
         "unserialize instantiates objects named in the data (PHP object injection).",
         "Use json_decode, or unserialize($s, ['allowed_classes' => false]).",
         PHP, calls=("unserialize",), when=lambda hit: arg_not_const(0)(hit) and hit.arg(1) is None,
         taint="deserialization", confidence="medium",
         positive=("<?php\n$o = unserialize($_COOKIE['s']);\n",),
         negative=("<?php\n$o = json_decode($_COOKIE['s']);\n",
                   "<?php\n$o = unserialize($s, ['allowed_classes' => false]);\n")),
    Rule("php-xxe", "XML parsed with external entities enabled", "xxe", "CWE-611",
         "LIBXML_NOENT/LIBXML_DTDLOAD make libxml resolve external entities (XXE: file disclosure, SSRF).",
         "Parse without LIBXML_NOENT/LIBXML_DTDLOAD.",
         PHP, calls=("simplexml_load_string", "simplexml_load_file", "*.loadXML", "*.load", "*.loadHTML",
                     "libxml_disable_entity_loader", "SimpleXMLElement", "xml_parse"),
         when=xxe_flags, confidence="high",
         positive=("<?php\n$x = simplexml_load_string($body, 'SimpleXMLElement', LIBXML_NOENT);\n",
                   "<?php\n$d = new DOMDocument();\n$d->loadXML($body, LIBXML_NOENT | LIBXML_DTDLOAD);\n"),
         negative=("<?php\n$x = simplexml_load_string($body);\n",)),
    Rule("php-cookie-insecure", "setcookie without secure/httponly", "insecure-cookie", "CWE-614",
         "A cookie without the secure flag travels over plain HTTP; without httponly scripts can read it.",
         "setcookie($name, $value, ['secure' => true, 'httponly' => true, 'samesite' => 'Strict']).",
         PHP, calls=("setcookie", "setrawcookie"), when=cookie_insecure, confidence="medium",
         positive=("<?php\nsetcookie('sid', $sid);\n", "<?php\nsetcookie('sid', $sid, 0, '/', '', false, true);\n"),
         negative=("<?php\nsetcookie('sid', $sid, ['secure' => true, 'httponly' => true]);\n",
                   "<?php\nsetcookie('sid', $sid, 0, '/', '', true, true);\n")),
    Rule("php-cors-any-origin", "CORS allows any origin", "insecure-configuration", "CWE-942",
         "Allowing every origin lets any site read responses meant for your users.",
         "Send Access-Control-Allow-Origin only for trusted origins.",
         PHP, calls=("header",), when=cors_any, confidence="medium",
         positive=("<?php\nheader('Access-Control-Allow-Origin: *');\n",),
         negative=("<?php\nheader('Access-Control-Allow-Origin: https://app.example.org');\n",)),
    Rule("php-ldap-injection", "LDAP search filter built at run time", "ldap-injection", "CWE-90",
         "Values spliced into an LDAP filter can change which entries match (LDAP injection).",
         "Escape values with ldap_escape($v, '', LDAP_ESCAPE_FILTER).",
         PHP, calls=("ldap_search", "ldap_list", "ldap_read"), when=unsanitised(2, LDAP_SANITISERS),
         taint="ldap", taint_args=(2,), confidence="medium",
         positive=("<?php\n$r = ldap_search($c, 'dc=acme', '(uid=' . $user . ')');\n",),
         negative=("<?php\n$r = ldap_search($c, 'dc=acme', '(uid=' . ldap_escape($user, '', LDAP_ESCAPE_FILTER) . ')');\n",)),
    Rule("php-xpath-injection", "XPath expression built at run time", "xpath-injection", "CWE-643",
         "Values spliced into an XPath expression can change which nodes it selects (XPath injection).",
         "Validate the value against an allow-list (XPath 1.0 has no variables in DOMXPath).",
         PHP, calls=("*.query", "*.evaluate"), when=xpath_query, taint="xpath", confidence="medium",
         positive=("<?php\n$x = new DOMXPath($d);\n$n = $x->query(\"//user[@name='\" . $name . \"']\");\n",),
         negative=("<?php\n$x = new DOMXPath($d);\n$n = $x->query(\"//user[@active='1']\");\n",)),
    # Tier B sinks
    Rule("php-echo-sink", "value echoed into the page", "xss", "CWE-79", "", "", PHP,
         needles=("echo", "print"), query="[(echo_statement) (print_intrinsic)] @hit",
         tier="B", taint="xss", taint_args=("@hit",)),
    Rule("php-printf-sink", "value printed into the page", "xss", "CWE-79", "", "", PHP,
         calls=("printf", "vprintf", "print_r"), tier="B", taint="xss", taint_args=("*",)),
    Rule("php-redirect-sink", "Location header from a computed value", "open-redirect", "CWE-601", "", "", PHP,
         calls=("header", "*.redirect", "redirect", "wp_redirect"),
         when=lambda hit: hit.callee != "header" or header_location(hit), tier="B", taint="redirect"),
    Rule("php-path-sink", "file opened by a path", "path-traversal", "CWE-22", "", "", PHP,
         calls=("file_get_contents", "fopen", "readfile", "file", "unlink", "file_put_contents",
                "fpassthru", "copy", "rename", "opendir", "scandir", "move_uploaded_file", "*.download"),
         when=lambda hit: not re.match(r"""^["']https?://""", hit.text(hit.arg(0))), tier="B", taint="path",
         taint_args=(0,)),
    Rule("php-fetch-sink", "URL fetched by the server", "ssrf", "CWE-918", "", "", PHP,
         calls=("curl_init", "curl_setopt", "file_get_contents", "fsockopen", "get_headers"),
         when=lambda hit: hit.callee != "curl_setopt" or "CURLOPT_URL" in hit.text(hit.arg(1)),
         tier="B", taint="ssrf", taint_args=(0, 2)),
    Rule("php-session-sink", "value stored in the session", "trust-boundary", "CWE-501", "", "", PHP,
         needles=("$_SESSION",),
         query='((assignment_expression left: (subscript_expression (variable_name) @s) right: (_) @v) @hit'
               ' (#eq? @s "$_SESSION"))',
         tier="B", taint="session", taint_args=("@v",)),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("php-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "Request data ends up in a shell command.", "escapeshellarg() every value.", PHP,
              positive=("<?php\nsystem('ping -c 1 ' . $_GET['host']);\n",),
              negative=("<?php\nsystem('ping -c 1 ' . escapeshellarg($_GET['host']));\n",)),
    TaintRule("php-tainted-code", "code", "code injection", "CWE-94", "injection",
              "Request data is executed or included as PHP code.", "Never evaluate or include request data.", PHP,
              positive=("<?php\neval($_POST['code']);\n",), negative=("<?php\neval('return 1;');\n",)),
    TaintRule("php-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "Request data is spliced into SQL text.", "Use prepared statements.", PHP,
              positive=("<?php\n$id = $_GET['id'];\n$r = $pdo->query(\"SELECT * FROM t WHERE id = $id\");\n",),
              negative=("<?php\n$id = (int)$_GET['id'];\n$r = $pdo->query(\"SELECT * FROM t WHERE id = $id\");\n",)),
    TaintRule("php-tainted-xss", "xss", "cross-site scripting", "CWE-79", "xss",
              "Request data is echoed into the page unescaped.", "htmlspecialchars($v, ENT_QUOTES, 'UTF-8').", PHP,
              positive=("<?php\necho 'Hello ' . $_GET['name'];\n",),
              negative=("<?php\necho 'Hello ' . htmlspecialchars($_GET['name'], ENT_QUOTES, 'UTF-8');\n",),
              remote_only=True),
    TaintRule("php-tainted-path", "path", "path traversal", "CWE-22", "path-traversal",
              "Request data chooses which file is read or written.", "Keep basename() and check the directory.",
              PHP,
              positive=("<?php\nreadfile('/srv/files/' . $_GET['f']);\n",),
              negative=("<?php\nreadfile('/srv/files/' . basename($_GET['f']));\n",),
              remote_only=True),
    TaintRule("php-tainted-redirect", "redirect", "open redirect", "CWE-601", "open-redirect",
              "Request data chooses where the user is redirected (phishing).",
              "Redirect only to relative paths or allow-listed hosts.", PHP,
              positive=("<?php\nheader('Location: ' . $_GET['next']);\n",),
              negative=("<?php\nheader('Location: /home');\n",),
              remote_only=True),
    TaintRule("php-tainted-ssrf", "ssrf", "server-side request forgery", "CWE-918", "ssrf",
              "Request data chooses the URL the server fetches.", "Allow-list schemes and hosts before fetching.",
              PHP,
              positive=("<?php\n$ch = curl_init($_GET['url']);\n",),
              negative=("<?php\n$ch = curl_init('https://api.example.org/status');\n",),
              remote_only=True),
    TaintRule("php-tainted-deserialization", "deserialization", "deserialisation of untrusted data", "CWE-502",
              "deserialization", "Request data is unserialised (PHP object injection).", "Use json_decode.", PHP,
              positive=("<?php\n$o = unserialize($_COOKIE['cart']);\n",),
              negative=("<?php\n$o = json_decode($_COOKIE['cart'], true);\n",)),
    TaintRule("php-tainted-ldap", "ldap", "LDAP injection", "CWE-90", "ldap-injection",
              "Request data is spliced into an LDAP filter.", "ldap_escape() it.", PHP,
              positive=("<?php\nldap_search($c, 'dc=acme', '(uid=' . $_POST['u'] . ')');\n",),
              negative=("<?php\nldap_search($c, 'dc=acme', '(objectClass=person)');\n",)),
    TaintRule("php-tainted-xpath", "xpath", "XPath injection", "CWE-643", "xpath-injection",
              "Request data is spliced into an XPath expression.", "Validate it against an allow-list.", PHP,
              positive=("<?php\n$x = new DOMXPath($d);\n$x->query(\"//u[@id='\" . $_GET['id'] . \"']\");\n",),
              negative=("<?php\n$x = new DOMXPath($d);\n$x->query(\"//u[@id='\" . intval($_GET['id']) . \"']\");\n",)),
    TaintRule("php-tainted-session", "session", "trust boundary violation", "CWE-501", "trust-boundary",
              "Unvalidated request data is stored in the session, where later code trusts it.",
              "Validate the value before storing it in the session.", PHP,
              positive=("<?php\n$_SESSION['user'] = $_POST['user'];\n",),
              negative=("<?php\n$_SESSION['visits'] = 1;\n",),
              remote_only=True),
]

SPEC = LanguageSpec(
    languages=PHP,
    call_queries=("(function_call_expression function: (_) @callee arguments: (arguments) @args) @call",
                  "(member_call_expression object: (_) @obj name: (_) @name arguments: (arguments) @args) @call",
                  "(scoped_call_expression scope: (_) @obj name: (_) @name arguments: (arguments) @args) @call",
                  "(object_creation_expression (name) @callee (arguments) @args) @call"),
    rules=RULES,
    assignment_queries=("(assignment_expression left: (variable_name) @lhs right: (_) @rhs)",
                        "(augmented_assignment_expression left: (variable_name) @lhs right: (_) @rhs)"),
    function_types=frozenset({"function_definition", "method_declaration", "anonymous_function", "arrow_function"}),
    const_leaves=frozenset({"string_content", "escape_sequence", "integer", "float", "boolean", "null", "comment"}),
    composites=frozenset({"string", "encapsed_string", "binary_expression", "parenthesized_expression",
                          "conditional_expression", "shell_command_expression"}),
    identifier_types=frozenset({"variable_name"}),
    string_types=frozenset({"string", "encapsed_string"}),
    arg_wrappers=frozenset({"argument"}),
    separators=("->", "::"),
    taint_sources=SUPERGLOBALS,
    taint_words=frozenset({"_GET", "_POST", "_REQUEST", "_COOKIE", "_FILES", "_SERVER", "getallheaders", "Request",
                           "input", "request"}),
    source_node=php_source,
    parameter_sources=typed_parameters("parameters", "type", ("name",), _request_parameter),
    sanitizers=ALL_SANITISERS,
    taint_rules=TAINT_RULES,
    local_sources=frozenset({"$argv"}),
)
