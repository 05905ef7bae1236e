"""Ruby security rules (Rails / Sinatra / stdlib; Brakeman's checklist) and taint tables.

Sources: ``params``, ``cookies``, ``request.*`` (headers, body, query string, referer, ...);
``ARGV``/``ENV``/``gets`` for local-only kinds. ``to_i``/``to_f``/``Integer()``, the HTML, shell and SQL
escapers and ``File.basename`` make a value clean.
"""

from __future__ import annotations

import re

import tree_sitter

from guardline.security.engine import (
    DocContext, Hit, LanguageSpec, Rule, TaintRule, arg_matches, arg_not_const, sql_built,
)
from guardline.security.rules.common import (
    secret_function, tainted, unsanitised,
)

Node = tree_sitter.Node
RB = ("ruby",)
AR_SQL_METHODS = {"where", "find_by_sql", "order", "group", "having", "joins", "select", "pluck", "exists?",
                  "count_by_sql", "delete_all", "update_all", "from", "reorder", "not", "find_by", "lock",
                  "calculate", "sum", "minimum", "maximum", "average", "destroy_all", "rewhere"}
CLEAN_METHODS = frozenset({"to_i", "to_f", "to_r", "Integer", "Float", "html_escape", "h", "escape_html",
                           "escapeHTML", "sanitize", "strip_tags", "shellescape", "escape", "basename", "quote",
                           "sanitize_sql", "sanitize_sql_array", "sanitize_sql_like", "quote_table_name",
                           "length", "size", "count", "present?", "blank?", "nil?", "empty?", "include?",
                           "url_encode", "encode_www_form_component", "json_escape", "j", "escape_javascript",
                           "sanitize_filename", "id"})
REQUEST_DATA = frozenset({"headers", "body", "query_string", "referer", "referrer", "raw_post", "url", "fullpath",
                          "original_url", "path", "query_parameters", "request_parameters", "user_agent", "host",
                          "cookies", "params", "env", "path_info", "POST", "GET", "parameters", "form_data?"})
SHELL_SANITISERS = frozenset({"shellescape", "escape", "to_i", "Integer"})
SQL_SANITISERS = frozenset({"to_i", "to_f", "Integer", "quote", "sanitize_sql", "sanitize_sql_array",
                            "sanitize_sql_like", "quote_table_name", "connection.quote"})
HTML_SANITISERS = frozenset({"h", "html_escape", "escape_html", "escapeHTML", "sanitize", "strip_tags", "to_i",
                             "json_escape", "escape_javascript", "j"})


# ---------------------------------------------------------------- sources


def ruby_source(ctx: DocContext, node: Node) -> str | None:
    """``request.headers`` / ``request.body`` are request data; escapers and conversions are clean."""
    if node.type != "call":
        return None
    method = ctx.text(node.child_by_field_name("method"))
    if method in CLEAN_METHODS:
        return ""
    receiver = node.child_by_field_name("receiver")
    if receiver is not None and ctx.text(receiver) == "request":
        return f"request.{method}" if method in REQUEST_DATA else ""
    return None


# ---------------------------------------------------------------- predicates


def shell_command(hit: Hit) -> bool:
    """system("ls #{dir}") (one string: shell) or `ls #{dir}`; system("ls", dir) runs without a shell."""
    if hit.callee:
        first = 1 if hit.args and hit.args[0].type == "hash" else 0   # system(env, "cmd")
        return len(hit.args) == first + 1 and unsanitised(first, SHELL_SANITISERS)(hit)
    return not hit.ctx.is_const(hit.node)


def ruby_sql(hit: Hit) -> bool:
    arg = hit.arg(0)
    if arg is None or arg.type in ("hash", "pair", "simple_symbol", "array"):
        return False
    method = hit.callee.rsplit(".", 1)[-1]
    if not unsanitised(0, SQL_SANITISERS)(hit):
        return False
    if sql_built(0)(hit):
        return True
    if method not in AR_SQL_METHODS:
        return tainted(0)(hit) and method in ("execute", "exec_query", "select_all", "select_value", "select_rows")
    return (arg.type == "string" and not hit.ctx.is_const(arg)) or tainted(0)(hit)


def receiver_not_const(hit: Hit) -> bool:
    receiver = hit.capture("obj")
    return receiver is not None and not hit.ctx.is_const(receiver) and \
        unsanitised("@obj", HTML_SANITISERS)(hit)


def cookie_insecure(hit: Hit) -> bool:
    value = hit.capture("v")
    if value is None:
        return False
    if value.type != "hash":
        return True
    text = hit.text(value)
    return not (re.search(r"\bsecure:\s*true|:secure\s*=>\s*true", text) and
                re.search(r"\bhttponly:\s*true|:httponly\s*=>\s*true", text))


def render_string(hit: Hit) -> bool:
    for key, value in hit.kwargs.items():
        if key.strip(":") in ("inline", "html") and not hit.ctx.is_const(value):
            return True
    return False


def dynamic_dispatch(hit: Hit) -> bool:
    method = hit.callee.rsplit(".", 1)[-1]
    if method == "constantize" or method == "safe_constantize":
        node = hit.capture("obj")
        return node is not None and not hit.ctx.is_const(node) and tainted("@obj")(hit)
    return arg_not_const(0)(hit) and tainted(0)(hit)


RULES: list[Rule] = [
    Rule("rb-eval", "eval of a non-literal", "injection", "CWE-95",
         "eval runs whatever string reaches it.", "Dispatch through an allow-list (public_send with a checked name).",
         RB, calls=("eval", "instance_eval", "class_eval", "module_eval", "Kernel.eval", "*.instance_eval",
                    "*.class_eval", "*.module_eval", "instance_exec", "binding.eval"), when=arg_not_const(0),
         taint="code", confidence="medium",
         positive=("def run(code)\n  eval(code)\nend\n",), negative=("eval('1 + 1')\n",)),
    Rule("rb-dynamic-dispatch", "send/constantize with request data", "injection", "CWE-470",
         "A request value chooses which method or class runs (unsafe reflection).",
         "Map the value through an allow-list of permitted names first.",
         RB, calls=("*.send", "*.public_send", "*.__send__", "send", "public_send", "*.constantize",
                    "*.safe_constantize", "Object.const_get", "*.const_get", "*.method", "*.try"),
         when=dynamic_dispatch, taint="code", taint_args=(0, "@obj"), confidence="medium",
         positive=("def show\n  @user.send(params[:action_name])\nend\n", "def show\n  params[:type].constantize.new\nend\n"),
         negative=("def show\n  @user.send(:name)\nend\n", "def show\n  'User'.constantize\nend\n")),
    Rule("rb-command", "shell command built at run time", "command-injection", "CWE-78",
         "A single command string is run by /bin/sh, so untrusted parts inject commands.",
         "Pass the program and arguments separately: system('ls', dir) or Open3.capture2('ls', dir).",
         RB, calls=("system", "exec", "spawn", "Kernel.system", "Kernel.exec", "IO.popen", "Open3.capture2",
                    "Open3.capture2e", "Open3.capture3", "Open3.popen3", "Open3.popen2", "Kernel.spawn",
                    "Process.spawn", "PTY.spawn"),
         needles=("`", "%x"), query="(subshell) @hit", when=shell_command, taint="command",
         taint_args=(0, 1, "@hit"), confidence="medium",
         positive=('def f(dir)\n  system("ls #{dir}")\nend\n', 'out = `grep #{pattern} log.txt`\n'),
         negative=('system("ls", dir)\n', 'out = `uptime`\n', 'system("ls #{Shellwords.escape(dir)}")\n')),
    Rule("rb-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use Digest::SHA256 (or bcrypt for passwords).",
         RB, calls=tuple(f"Digest.{alg}.{fn}" for alg in ("MD5", "SHA1") for fn in ("hexdigest", "digest", "new",
                                                                                  "base64digest", "file"))
         + ("OpenSSL.Digest.MD5.new", "OpenSSL.Digest.SHA1.new", "OpenSSL.Digest.new", "OpenSSL.Digest.digest",
            "OpenSSL.Digest.hexdigest"),
         when=lambda hit: not hit.callee.startswith("OpenSSL.Digest.") or hit.callee.count(".") > 2
         or arg_matches(0, r"(?i)^(md5|sha1|md4)$")(hit), confidence="medium",
         positive=("h = Digest::MD5.hexdigest(password)\n",), negative=("h = Digest::SHA256.hexdigest(data)\n",)),
    Rule("rb-weak-cipher", "DES/RC4/ECB cipher", "weak-cryptography", "CWE-327",
         "DES, RC4, Blowfish and ECB mode do not protect confidentiality today.", "Use aes-256-gcm.",
         RB, calls=("OpenSSL.Cipher.new", "OpenSSL.Cipher.Cipher.new"),
         when=arg_matches(0, r"(?i)(^des|rc4|rc2|^bf|blowfish|-ecb$)"), confidence="high",
         positive=("c = OpenSSL::Cipher.new('des-ede3-cbc')\n",), negative=("c = OpenSSL::Cipher.new('aes-256-gcm')\n",)),
    Rule("rb-sql-interpolation", "SQL built with string interpolation", "injection", "CWE-89",
         "Values interpolated into SQL fragments can change the query (SQL injection).",
         "Use placeholders: where('name = ?', name) or hash conditions.",
         RB, calls=tuple(f"*.{m}" for m in AR_SQL_METHODS) + ("*.execute", "*.exec_query", "*.select_all",
                                                              "*.select_value", "*.select_rows", "*.exec"),
         when=ruby_sql, taint="sql", confidence="medium",
         positive=('User.where("name = \'#{params[:name]}\'")\n',
                   'conn.execute("DELETE FROM users WHERE id = " + id)\n', 'User.order(params[:sort])\n'),
         negative=("User.where('name = ?', name)\n", "User.where(name: name)\n",
                   "User.where(name: params[:name])\n", "User.order(:created_at)\n")),
    Rule("rb-deserialization", "Marshal/YAML/JSON unsafe load", "deserialization", "CWE-502",
         "Loading untrusted Marshal/YAML data can instantiate arbitrary objects.",
         "Use JSON.parse or YAML.safe_load.",
         RB, calls=("Marshal.load", "Marshal.restore", "YAML.unsafe_load", "Psych.unsafe_load", "YAML.load",
                    "Psych.load", "YAML.load_documents", "JSON.load", "Oj.load", "YAML.load_file", "Psych.load_file"),
         when=lambda hit: arg_not_const(0)(hit) and not ("YAML" in hit.callee and "permitted_classes" in hit.kwargs),
         taint="deserialization", confidence="medium",
         positive=("obj = Marshal.load(data)\n", "cfg = YAML.load(params[:config])\n"),
         negative=("obj = JSON.parse(data)\n", "cfg = YAML.safe_load(data)\n")),
    Rule("rb-html-safe", "html_safe/raw of a non-constant value", "xss", "CWE-79",
         "html_safe and raw switch off Rails' escaping; request data in them injects scripts.",
         "Keep the default escaping, or sanitize(...) the value first.",
         RB, calls=("*.html_safe", "raw", "*.raw"),
         when=lambda hit: receiver_not_const(hit) if hit.callee.endswith("html_safe")
         else unsanitised(0, HTML_SANITISERS)(hit),
         taint="xss", taint_args=("@obj", 0), confidence="medium",
         positive=('def show\n  "<b>#{params[:name]}</b>".html_safe\nend\n', "def show\n  raw(@comment.body)\nend\n"),
         negative=('def show\n  "<b>static</b>".html_safe\nend\n', "def show\n  raw(sanitize(@comment.body))\nend\n")),
    Rule("rb-render-inline", "render inline:/html: with a run-time template", "injection", "CWE-1336",
         "render inline: compiles the string as ERB (code execution); html: sends it unescaped.",
         "Render a template file and pass the value as a local.",
         RB, calls=("render",), when=lambda hit: render_string(hit),
         taint="template", taint_args=("inline", "html"), confidence="medium",
         positive=('def show\n  render inline: "<p>#{params[:msg]}</p>"\nend\n',),
         negative=('def show\n  render inline: "<p>Hello</p>"\nend\n', "def show\n  render :show\nend\n")),
    Rule("rb-insecure-random", "rand used for a secret", "weak-random", "CWE-330",
         "Kernel#rand and Random are predictable; tokens made with them can be guessed.",
         "Use SecureRandom.hex / SecureRandom.urlsafe_base64.",
         RB, calls=("rand", "Kernel.rand", "Random.rand", "Random.new", "Random.new_seed", "*.sample", "*.shuffle"),
         when=lambda hit: secret_function(hit) and not hit.callee.startswith("SecureRandom"), confidence="medium",
         positive=("def reset_token\n  token = rand(10**20).to_s(36)\nend\n",),
         negative=("def reset_token\n  token = SecureRandom.hex(20)\nend\n", "def backoff\n  delay = rand(5)\nend\n")),
    Rule("rb-tls-verify-none", "TLS certificate verification disabled", "insecure-transport", "CWE-295",
         "VERIFY_NONE / verify: false accepts any certificate: a network attacker can read and alter traffic.",
         "Keep VERIFY_PEER (the default) and configure the CA bundle instead.",
         RB, needles=("VERIFY_NONE", "verify"),
         query='((scope_resolution name: (constant) @c) @hit (#eq? @c "VERIFY_NONE"))\n'
               '((pair key: (_) @k value: (false)) @hit (#match? @k "^:?(verify|verify_ssl|ssl_verify|'
               'verify_peer|ssl_verify_peer)$"))',
         confidence="high",
         positive=("http.verify_mode = OpenSSL::SSL::VERIFY_NONE\n", "conn = Faraday.new(url, ssl: { verify: false })\n"),
         negative=("http.verify_mode = OpenSSL::SSL::VERIFY_PEER\n",)),
    Rule("rb-cookie-insecure", "cookie set without secure/httponly", "insecure-cookie", "CWE-614",
         "A cookie without secure travels over plain HTTP; without httponly scripts can read it.",
         "cookies[:name] = { value: v, secure: true, httponly: true, same_site: :strict }.",
         RB, needles=("cookies",),
         query='((assignment left: (element_reference object: (identifier) @c) right: (_) @v) @hit'
               ' (#eq? @c "cookies"))',
         when=cookie_insecure, confidence="medium",
         positive=("cookies[:sid] = token\n", "cookies[:sid] = { value: token, httponly: true }\n"),
         negative=("cookies[:sid] = { value: token, secure: true, httponly: true }\n",)),
    Rule("rb-csrf-disabled", "CSRF protection disabled", "insecure-configuration", "CWE-352",
         "Without authenticity tokens another site can submit state-changing requests as the logged-in user.",
         "Keep protect_from_forgery with: :exception (skip it only for token-authenticated APIs).",
         RB, calls=("skip_before_action", "skip_forgery_protection", "protect_from_forgery"),
         needles=("allow_forgery_protection",),
         query='((assignment left: (call method: (identifier) @m) right: (false)) @hit'
               ' (#eq? @m "allow_forgery_protection"))',
         when=lambda hit: (hit.callee == "skip_forgery_protection" or
                           (hit.callee == "skip_before_action" and "verify_authenticity_token" in hit.text(hit.arg(0)))
                           or (hit.callee == "protect_from_forgery" and "null_session" not in
                               hit.text(hit.node) and "exception" not in hit.text(hit.node) and
                               "reset_session" not in hit.text(hit.node) and "false" in hit.text(hit.node)))
         if hit.callee else True,
         confidence="medium",
         positive=("class ApiController < ApplicationController\n  skip_before_action :verify_authenticity_token\nend\n",),
         negative=("class AppController < ActionController::Base\n  protect_from_forgery with: :exception\nend\n",)),
    Rule("rb-cors-any-origin", "CORS allows any origin", "insecure-configuration", "CWE-942",
         "Allowing every origin lets any site read responses meant for your users.",
         "List the trusted origins explicitly.",
         RB, calls=("origins",), when=lambda hit: any(hit.ctx.string_value(a) == "*" for a in hit.args),
         confidence="medium",
         positive=("allow do\n  origins '*'\n  resource '*', headers: :any\nend\n",),
         negative=("allow do\n  origins 'https://app.example.org'\nend\n",)),
    Rule("rb-xpath-injection", "XPath expression built at run time", "xpath-injection", "CWE-643",
         "Values spliced into an XPath expression can change which nodes it selects (XPath injection).",
         "Use XPath variables: doc.xpath('//user[@name=$n]', nil, n: name).",
         RB, calls=("*.xpath", "*.at_xpath", "REXML.XPath.first", "REXML.XPath.match", "REXML.XPath.each"),
         when=lambda hit: unsanitised(0 if not hit.callee.startswith("REXML") else 1)(hit),
         taint="xpath", taint_args=(0, 1), confidence="medium",
         positive=('doc.xpath("//user[@name=\'#{name}\']")\n',),
         negative=("doc.xpath('//user[@name=$n]', nil, n: name)\n",)),
    Rule("rb-ldap-injection", "LDAP filter built at run time", "ldap-injection", "CWE-90",
         "Values spliced into an LDAP filter can change which entries match (LDAP injection).",
         "Build filters with Net::LDAP::Filter.eq(attr, value), which escapes the value.",
         RB, calls=("Net.LDAP.Filter.construct", "Net.LDAP.Filter.from_rfc2254", "*.search"),
         when=lambda hit: unsanitised(0)(hit) if "Filter" in hit.callee else
         ((f := hit.kwargs.get("filter") or hit.kwargs.get("filter:")) is not None and f.type == "string"
          and not hit.ctx.is_const(f)),
         taint="ldap", taint_args=(0, "filter"), confidence="medium",
         positive=('f = Net::LDAP::Filter.construct("(uid=#{uid})")\n',),
         negative=('f = Net::LDAP::Filter.eq("uid", uid)\n',)),
    Rule("rb-xxe", "XML parsed with entity substitution/DTD loading", "xxe", "CWE-611",
         "NOENT/DTDLOAD make libxml resolve external entities (XXE: file disclosure, SSRF).",
         "Parse with the default options (no noent/dtdload).",
         RB, needles=("noent", "NOENT", "DTDLOAD", "dtdload", "default_substitute_entities"),
         query='((call method: (identifier) @m) @hit (#match? @m "^(noent|dtdload)$"))\n'
               '((scope_resolution name: (constant) @c) @hit (#match? @c "^(NOENT|DTDLOAD)$"))\n'
               '((assignment left: (call method: (identifier) @m) right: (true)) @hit'
               ' (#eq? @m "default_substitute_entities"))',
         confidence="high",
         positive=("doc = Nokogiri::XML(body) { |c| c.noent }\n",
                   "doc = Nokogiri::XML(body, nil, nil, Nokogiri::XML::ParseOptions::NOENT)\n"),
         negative=("doc = Nokogiri::XML(body)\n",)),
    # Tier B sinks
    Rule("rb-redirect-sink", "redirect to a computed location", "open-redirect", "CWE-601", "", "", RB,
         calls=("redirect_to", "redirect", "redirect_back"),
         when=lambda hit: "only_path" not in hit.text(hit.node) and hit.arg(0) is not None and
         not re.match(r"\w+_(path|url)\b", hit.text(hit.arg(0))), tier="B", taint="redirect", taint_args=(0,)),
    Rule("rb-path-sink", "file opened by a path", "path-traversal", "CWE-22", "", "", RB,
         calls=tuple(f"{cls}.{m}" for cls in ("File", "IO") for m in ("read", "open", "readlines", "write",
                                                                      "delete", "unlink", "binread", "foreach",
                                                                      "new", "exist?"))
         + ("send_file", "send_data", "File.join", "Pathname.new", "FileUtils.rm", "FileUtils.rm_rf", "open",
            "Kernel.open", "Dir.glob", "YAML.load_file", "render"),
         when=lambda hit: hit.callee != "render" or any(k in ("file", "file:", "template", "template:")
                                                         for k in hit.kwargs),
         tier="B", taint="path", taint_args=(0, "file", "template")),
    Rule("rb-fetch-sink", "URL fetched by the server", "ssrf", "CWE-918", "", "", RB,
         calls=("Net.HTTP.get", "Net.HTTP.get_response", "Net.HTTP.post", "Net.HTTP.post_form", "URI.open",
                "HTTParty.get", "HTTParty.post", "Faraday.get", "Faraday.post", "RestClient.get", "RestClient.post",
                "Excon.get", "HTTP.get", "Typhoeus.get", "Net.HTTP.start"),
         tier="B", taint="ssrf", taint_args=(0,)),
    Rule("rb-session-sink", "value stored in the session", "trust-boundary", "CWE-501", "", "", RB,
         needles=("session",),
         query='((assignment left: (element_reference object: (identifier) @s) right: (_) @v) @hit'
               ' (#eq? @s "session"))',
         tier="B", taint="session", taint_args=("@v",)),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("rb-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "Request data ends up in a shell command.", "Pass arguments separately or Shellwords.escape them.",
              RB,
              positive=('def ping\n  system("ping -c 1 #{params[:host]}")\nend\n',),
              negative=('def ping\n  system("ping", "-c", "1", params[:host])\nend\n',)),
    TaintRule("rb-tainted-code", "code", "code injection", "CWE-94", "injection",
              "Request data is evaluated as Ruby code or picks the method/class to run.",
              "Never evaluate request data; allow-list names.", RB,
              positive=("def calc\n  eval(params[:expr])\nend\n",), negative=("def calc\n  eval('1 + 1')\nend\n",)),
    TaintRule("rb-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "Request data is spliced into SQL text.", "Use placeholders or hash conditions.", RB,
              positive=('def index\n  User.where("name = \'#{params[:q]}\'")\nend\n',),
              negative=("def index\n  User.where('name = ?', params[:q])\nend\n",)),
    TaintRule("rb-tainted-xss", "xss", "cross-site scripting", "CWE-79", "xss",
              "Request data is marked html_safe or rendered raw.", "Keep Rails' escaping (or sanitize).", RB,
              positive=("def show\n  raw(params[:bio])\nend\n",),
              negative=("def show\n  raw(sanitize(params[:bio]))\nend\n",),
              remote_only=True),
    TaintRule("rb-tainted-template", "template", "server-side template injection", "CWE-1336", "injection",
              "Request data is compiled as an ERB template.", "Render fixed templates with locals.", RB,
              positive=('def show\n  render inline: params[:tpl]\nend\n',),
              negative=('def show\n  render :show, locals: { tpl: params[:tpl] }\nend\n',)),
    TaintRule("rb-tainted-path", "path", "path traversal", "CWE-22", "path-traversal",
              "Request data chooses which file is read or sent.", "Keep File.basename and check the directory.",
              RB,
              positive=("def download\n  send_file(\"/srv/files/#{params[:name]}\")\nend\n",),
              negative=("def download\n  send_file(\"/srv/files/#{File.basename(params[:name])}\")\nend\n",),
              remote_only=True),
    TaintRule("rb-tainted-redirect", "redirect", "open redirect", "CWE-601", "open-redirect",
              "Request data chooses where the user is redirected (phishing).",
              "Redirect to a path helper or pass only_path: true.", RB,
              positive=("def back\n  redirect_to params[:return_to]\nend\n",),
              negative=("def back\n  redirect_to root_path\nend\n",),
              remote_only=True),
    TaintRule("rb-tainted-ssrf", "ssrf", "server-side request forgery", "CWE-918", "ssrf",
              "Request data chooses the URL the server fetches.", "Allow-list schemes and hosts before fetching.",
              RB,
              positive=("def preview\n  Net::HTTP.get(URI(params[:url]))\nend\n",),
              negative=("def preview\n  Net::HTTP.get(URI('https://api.example.org/status'))\nend\n",),
              remote_only=True),
    TaintRule("rb-tainted-deserialization", "deserialization", "deserialisation of untrusted data", "CWE-502",
              "deserialization", "Request data is loaded with Marshal/YAML (object injection).",
              "Use JSON.parse or YAML.safe_load.", RB,
              positive=("def restore\n  Marshal.load(Base64.decode64(cookies[:state]))\nend\n",),
              negative=("def restore\n  JSON.parse(cookies[:state])\nend\n",)),
    TaintRule("rb-tainted-xpath", "xpath", "XPath injection", "CWE-643", "xpath-injection",
              "Request data is spliced into an XPath expression.", "Use XPath variables.", RB,
              positive=('def find\n  doc.xpath("//u[@id=\'#{params[:id]}\']")\nend\n',),
              negative=("def find\n  doc.xpath('//u[@id=$id]', nil, id: params[:id])\nend\n",)),
    TaintRule("rb-tainted-ldap", "ldap", "LDAP injection", "CWE-90", "ldap-injection",
              "Request data is spliced into an LDAP filter.", "Use Net::LDAP::Filter.eq.", RB,
              positive=('def find\n  Net::LDAP::Filter.construct("(uid=#{params[:uid]})")\nend\n',),
              negative=('def find\n  Net::LDAP::Filter.eq("uid", params[:uid])\nend\n',)),
    TaintRule("rb-tainted-session", "session", "trust boundary violation", "CWE-501", "trust-boundary",
              "Unvalidated request data is stored in the session, where later code trusts it.",
              "Validate the value before storing it in the session.", RB,
              positive=("def login\n  session[:role] = params[:role]\nend\n",),
              negative=("def login\n  session[:visits] = 1\nend\n",),
              remote_only=True),
]

SPEC = LanguageSpec(
    languages=RB,
    call_queries=("(call receiver: (_) @obj method: (_) @name arguments: (argument_list) @args) @call",
                  "(call !receiver method: (_) @name arguments: (argument_list) @args) @call",
                  "(call receiver: (_) @obj method: (_) @name !arguments) @call"),
    rules=RULES,
    assignment_queries=("(assignment left: (identifier) @lhs right: (_) @rhs)",
                        "(operator_assignment left: (identifier) @lhs right: (_) @rhs)",
                        "(assignment left: (instance_variable) @lhs right: (_) @rhs)"),
    function_types=frozenset({"method", "singleton_method", "lambda", "block", "do_block"}),
    const_leaves=frozenset({"string_content", "escape_sequence", "integer", "float", "true", "false", "nil",
                            "simple_symbol", "comment"}),
    composites=frozenset({"string", "subshell", "interpolation", "binary", "parenthesized_statements", "array"}),
    identifier_types=frozenset({"identifier", "instance_variable"}),
    string_types=frozenset({"string"}),
    keyword_types={"pair": ("key", "value")},
    separators=("::",),
    taint_sources=frozenset({"params", "cookies", "request.params", "ARGV", "ENV", "gets", "STDIN", "$stdin"}),
    taint_source_types=frozenset({"identifier", "constant", "global_variable"}),
    taint_words=frozenset({"params", "cookies", "request", "ARGV", "ENV", "gets", "STDIN", "stdin"}),
    source_node=ruby_source,
    taint_rules=TAINT_RULES,
    local_sources=frozenset({"ARGV", "ENV", "gets", "STDIN", "$stdin"}),
)
