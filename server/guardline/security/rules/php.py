"""PHP security rules (basics: eval, shell commands, weak crypto, SQL concatenation, unserialize)."""

from __future__ import annotations

from guardline.security.engine import Hit, LanguageSpec, Rule, any_of, arg_matches, arg_not_const, \
    arg_text_in, sql_built

PHP = ("php",)


def shell_command(hit: Hit) -> bool:
    if hit.callee:
        return arg_not_const(0)(hit)
    return not hit.ctx.is_const(hit.node)


RULES: list[Rule] = [
    Rule("php-eval", "eval/assert/create_function of a non-literal", "injection", "CWE-95",
         "The string is executed as PHP code.", "Never build code at run time; use a dispatch table.",
         PHP, calls=("eval", "assert", "create_function"), when=arg_not_const(0), confidence="medium",
         positive=("<?php\neval($code);\n",), negative=("<?php\neval('return 1;');\n",)),
    Rule("php-command", "shell command built at run time", "command-injection", "CWE-78",
         "The command string is run by a shell, so untrusted parts inject commands.",
         "Use escapeshellarg() on every value, or proc_open with an argument array (PHP 7.4+).",
         PHP, calls=("system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec"),
         needles=("`",), query="(shell_command_expression) @hit", when=shell_command, confidence="medium",
         positive=("<?php\nsystem('ping -c 1 ' . $host);\n", "<?php\n$o = `ls $dir`;\n"),
         negative=("<?php\nsystem('uptime');\n",)),
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
    Rule("php-sql-concat", "SQL built by concatenation/interpolation", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use prepared statements: $pdo->prepare('... WHERE id = ?')->execute([$id]).",
         PHP, calls=("mysql_query", "mysqli_query", "pg_query", "sqlite_query", "*.query", "*.exec", "*.prepare",
                     "mysqli_multi_query"), when=any_of(sql_built(0), sql_built(1)), confidence="medium",
         positive=("<?php\n$r = $db->query(\"SELECT * FROM users WHERE id = $id\");\n",
                   "<?php\n$r = mysqli_query($conn, 'SELECT * FROM t WHERE a = ' . $_GET['a']);\n"),
         negative=("<?php\n$s = $pdo->prepare('SELECT * FROM users WHERE id = ?');\n",)),
    Rule("php-unserialize", "unserialize of a non-literal", "deserialization", "CWE-502",
         "unserialize instantiates objects named in the data (PHP object injection).",
         "Use json_decode, or unserialize($s, ['allowed_classes' => false]).",
         PHP, calls=("unserialize",), when=lambda hit: arg_not_const(0)(hit) and hit.arg(1) is None,
         confidence="medium",
         positive=("<?php\n$o = unserialize($_COOKIE['s']);\n",),
         negative=("<?php\n$o = json_decode($_COOKIE['s']);\n",
                   "<?php\n$o = unserialize($s, ['allowed_classes' => false]);\n")),
]

SPEC = LanguageSpec(
    languages=PHP,
    call_queries=("(function_call_expression function: (_) @callee arguments: (arguments) @args) @call",
                  "(member_call_expression object: (_) @obj name: (_) @name arguments: (arguments) @args) @call",
                  "(scoped_call_expression scope: (_) @obj name: (_) @name arguments: (arguments) @args) @call"),
    rules=RULES,
    assignment_queries=("(assignment_expression left: (variable_name) @lhs right: (_) @rhs)",
                        "(augmented_assignment_expression left: (variable_name) @lhs right: (_) @rhs)"),
    function_types=frozenset({"function_definition", "method_declaration", "anonymous_function", "arrow_function"}),
    const_leaves=frozenset({"string_content", "escape_sequence", "integer", "float", "boolean", "null", "comment",
                            "string_value"}),
    composites=frozenset({"string", "encapsed_string", "binary_expression", "parenthesized_expression"}),
    identifier_types=frozenset({"variable_name"}),
    string_types=frozenset({"string", "encapsed_string"}),
    arg_wrappers=frozenset({"argument"}),
    separators=("->", "::"),
)
