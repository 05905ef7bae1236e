"""Ruby security rules (basics: eval, shell commands, weak crypto, SQL interpolation, Marshal)."""

from __future__ import annotations

from guardline.security.engine import Hit, LanguageSpec, Rule, arg_matches, arg_not_const, sql_built

RB = ("ruby",)
AR_SQL_METHODS = {"where", "find_by_sql", "order", "group", "having", "joins", "select", "pluck", "exists?",
                  "count_by_sql", "delete_all", "update_all", "from"}


def shell_command(hit: Hit) -> bool:
    """system("ls #{dir}") (one string: shell) or `ls #{dir}`; system("ls", dir) runs without a shell."""
    if hit.callee:
        return len(hit.args) == 1 and not hit.ctx.is_const(hit.args[0])
    return not hit.ctx.is_const(hit.node)


def ruby_sql(hit: Hit) -> bool:
    if sql_built(0)(hit):
        return True
    arg = hit.arg(0)
    method = hit.callee.rsplit(".", 1)[-1]
    return method in AR_SQL_METHODS and arg is not None and arg.type == "string" and not hit.ctx.is_const(arg)


RULES: list[Rule] = [
    Rule("rb-eval", "eval of a non-literal", "injection", "CWE-95",
         "eval runs whatever string reaches it.", "Dispatch through an allow-list (public_send with a checked name).",
         RB, calls=("eval", "instance_eval", "class_eval", "module_eval", "Kernel.eval", "*.instance_eval",
                    "*.class_eval", "*.module_eval"), when=arg_not_const(0), confidence="medium",
         positive=("def run(code)\n  eval(code)\nend\n",), negative=("eval('1 + 1')\n",)),
    Rule("rb-command", "shell command built at run time", "command-injection", "CWE-78",
         "A single command string is run by /bin/sh, so untrusted parts inject commands.",
         "Pass the program and arguments separately: system('ls', dir) or Open3.capture2('ls', dir).",
         RB, calls=("system", "exec", "spawn", "Kernel.system", "Kernel.exec", "IO.popen", "Open3.capture2",
                    "Open3.capture2e", "Open3.capture3", "Open3.popen3", "Open3.popen2"),
         needles=("`", "%x"), query="(subshell) @hit", when=shell_command, confidence="medium",
         positive=('def f(dir)\n  system("ls #{dir}")\nend\n', 'out = `grep #{pattern} log.txt`\n'),
         negative=('system("ls", dir)\n', 'out = `uptime`\n')),
    Rule("rb-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use Digest::SHA256 (or bcrypt for passwords).",
         RB, calls=tuple(f"Digest.{alg}.{fn}" for alg in ("MD5", "SHA1") for fn in ("hexdigest", "digest", "new",
                                                                                  "base64digest", "file"))
         + ("OpenSSL.Digest.MD5.new", "OpenSSL.Digest.SHA1.new"), confidence="medium",
         positive=("h = Digest::MD5.hexdigest(password)\n",), negative=("h = Digest::SHA256.hexdigest(data)\n",)),
    Rule("rb-weak-cipher", "DES/RC4/ECB cipher", "weak-cryptography", "CWE-327",
         "DES, RC4, Blowfish and ECB mode do not protect confidentiality today.", "Use aes-256-gcm.",
         RB, calls=("OpenSSL.Cipher.new", "OpenSSL.Cipher.Cipher.new"),
         when=arg_matches(0, r"(?i)(^des|rc4|rc2|^bf|blowfish|-ecb$)"), confidence="high",
         positive=("c = OpenSSL::Cipher.new('des-ede3-cbc')\n",), negative=("c = OpenSSL::Cipher.new('aes-256-gcm')\n",)),
    Rule("rb-sql-interpolation", "SQL built with string interpolation", "injection", "CWE-89",
         "Values interpolated into SQL fragments can change the query (SQL injection).",
         "Use placeholders: where('name = ?', name) or hash conditions.",
         RB, calls=tuple(f"*.{m}" for m in AR_SQL_METHODS) + ("*.execute", "*.exec_query", "*.select_all"),
         when=ruby_sql, confidence="medium",
         positive=('User.where("name = \'#{params[:name]}\'")\n',
                   'conn.execute("DELETE FROM users WHERE id = " + id)\n'),
         negative=("User.where('name = ?', name)\n", "User.where(name: name)\n")),
    Rule("rb-deserialization", "Marshal/YAML unsafe load", "deserialization", "CWE-502",
         "Loading untrusted Marshal/YAML data can instantiate arbitrary objects.",
         "Use JSON.parse or YAML.safe_load.",
         RB, calls=("Marshal.load", "Marshal.restore", "YAML.unsafe_load", "Psych.unsafe_load"), confidence="medium",
         positive=("obj = Marshal.load(data)\n",), negative=("obj = JSON.parse(data)\n",)),
]

SPEC = LanguageSpec(
    languages=RB,
    call_queries=("(call receiver: (_) @obj method: (_) @name arguments: (argument_list) @args) @call",
                  "(call !receiver method: (_) @name arguments: (argument_list) @args) @call",
                  "(call receiver: (_) @obj method: (_) @name !arguments) @call"),
    rules=RULES,
    assignment_queries=("(assignment left: (identifier) @lhs right: (_) @rhs)",
                        "(operator_assignment left: (identifier) @lhs right: (_) @rhs)"),
    function_types=frozenset({"method", "singleton_method", "lambda", "block", "do_block"}),
    const_leaves=frozenset({"string_content", "escape_sequence", "integer", "float", "true", "false", "nil",
                            "simple_symbol", "comment"}),
    composites=frozenset({"string", "subshell", "interpolation", "binary", "parenthesized_statements", "array"}),
    string_types=frozenset({"string"}),
    separators=("::",),
)
