"""C# security rules (ASP.NET Core / ASP.NET / ADO.NET / EF Core) and taint tables.

Sources: ``Request.Query/Form/Cookies/Headers/...`` (also through ``HttpContext``), parameters bound from
the request (``[FromQuery]``, ``[FromBody]``, ``[FromRoute]``, ``[FromForm]``, ``[FromHeader]``, and the
string parameters of public actions of ``*Controller`` classes), ``HttpRequest`` parameters.
"""

from __future__ import annotations

import re

import tree_sitter

from guardline.security.engine import (
    DocContext, Hit, LanguageSpec, Rule, TaintRule, all_of, any_of, arg_text_in, sql_built,
)
from guardline.security.rules.common import (
    secret_function, callee_matches, or_tainted, scope_lacks, tainted, unsanitised,
)

Node = tree_sitter.Node
CS = ("csharp",)
REQUEST_DATA = re.compile(r"^(this\.)?((HttpContext|context|ctx|_httpContextAccessor\.HttpContext|Context)\.)?Request\."
                          r"(Query|Form|Cookies|Headers|QueryString|Params|Path|PathBase|Body|RawUrl|Url|UserAgent|"
                          r"UrlReferrer|InputStream|ServerVariables|RouteValues|Host|Files)\b")
REQUEST_FACTS = re.compile(r"^(this\.)?((HttpContext|context|ctx)\.)?Request\.(Method|HttpMethod|Scheme|IsHttps|"
                           r"ContentLength|IsAuthenticated|IsSecureConnection|Protocol)$")
BINDING_ATTRIBUTES = re.compile(r"\[\s*(FromQuery|FromBody|FromRoute|FromForm|FromHeader|FromUri|Bind)\b")
REQUEST_TYPES = re.compile(r"^(HttpRequest|HttpRequestMessage|HttpRequestData|IFormFile|IFormCollection)$")
BOUND_TYPES = re.compile(r"^(string|string\[\]|int|long|Guid|IFormFile|List<string>|IEnumerable<string>|object|"
                         r"dynamic|JObject|JsonElement)\??$")
SQL_SANITISERS = frozenset({"Parse", "ToInt32", "ToInt64", "TryParse", "Escape"})
HTML_SANITISERS = frozenset({"HtmlEncode", "Encode", "HtmlAttributeEncode", "JavaScriptStringEncode", "UrlEncode",
                             "Sanitize", "GetSafeHtmlFragment", "Parse", "ToInt32"})
PATH_SANITISERS = frozenset({"GetFileName", "GetFileNameWithoutExtension", "Parse", "ToInt32"})
LDAP_SANITISERS = frozenset({"LdapFilterEncode", "EscapeLdapFilter", "Parse"})
XPATH_SANITISERS = frozenset({"Parse", "ToInt32", "EscapeXPath"})
ALL_SANITISERS = (SQL_SANITISERS | HTML_SANITISERS | PATH_SANITISERS | LDAP_SANITISERS | XPATH_SANITISERS
                  | frozenset({"IsLocalUrl", "Count", "Length", "Equals", "Contains", "StartsWith"}))


# ---------------------------------------------------------------- sources


def request_member(ctx: DocContext, node: Node) -> str | None:
    if node.type == "member_access_expression":
        text = ctx.text(node)
        if REQUEST_DATA.match(text):
            return text.split("[", 1)[0]
        if REQUEST_FACTS.match(text):
            return ""
        return None
    if node.type == "element_access_expression":
        target = node.named_children[0] if node.named_child_count else None
        if target is not None and ctx.text(target) in ("Request", "HttpContext.Request"):
            return "Request[]"
    return None


def bound_parameters(ctx: DocContext, function: Node) -> dict[str, str]:
    """Parameters filled from the request: binding attributes, request types, or any simple parameter of
    a public action in a ``*Controller`` class (MVC model binding reads them from the request)."""
    params = function.child_by_field_name("parameters")
    if params is None or function.type != "method_declaration":
        return {}
    action = _is_controller_action(ctx, function)
    out: dict[str, str] = {}
    for param in params.named_children:
        if param.type != "parameter":
            continue
        name = ctx.text(param.child_by_field_name("name"))
        type_text = ctx.text(param.child_by_field_name("type")).replace(" ", "")
        text = ctx.text(param)
        binding = BINDING_ATTRIBUTES.search(text)
        if binding:
            out[name] = binding.group(1)
        elif REQUEST_TYPES.match(type_text) or (action and BOUND_TYPES.match(type_text)):
            out[name] = "action parameter" if action else type_text
    return out


def _is_controller_action(ctx: DocContext, function: Node) -> bool:
    modifiers = " ".join(ctx.text(c) for c in function.children if c.type == "modifier")
    if "public" not in modifiers or "static" in modifiers:
        return False
    owner = function.parent.parent if function.parent is not None else None
    if owner is None or owner.type != "class_declaration":
        return False
    head = ctx.text(owner).split("{", 1)[0]
    return re.search(r"Controller\b|PageModel\b|\[ApiController\]", head) is not None


# ---------------------------------------------------------------- predicates


def command_text(hit: Hit) -> bool:
    first = hit.arg(0)
    if len(hit.args) == 1 and first is not None and first.type == "identifier" and all(
            "ProcessStartInfo" in hit.text(v) for v in hit.ctx.assigned_values(first)):
        return False   # Process.Start(psi): its FileName/Arguments assignments are the hotspots
    return unsanitised(0, frozenset())(hit) or (len(hit.args) > 1 and unsanitised(1, frozenset())(hit))


def sql_text(hit: Hit) -> bool:
    return sql_built(0)(hit) and unsanitised(0, SQL_SANITISERS)(hit)


def cs_sql(hit: Hit) -> bool:
    """ADO.NET commands and EF raw SQL: SQL-looking text with run-time parts, or any request data;
    Dapper-style ``Query``/``Execute`` (common names): SQL-looking text only."""
    if not hit.callee:   # cmd.CommandText = ...
        return sql_built("@v")(hit) or tainted("@v")(hit)
    if hit.callee.rsplit(".", 1)[-1] in SQL_CLASSES or "Sql" in hit.callee.rsplit(".", 1)[-1]:
        return or_tainted(sql_text, 0)(hit)
    return sql_text(hit)


def accepts_any_certificate(hit: Hit) -> bool:
    value = hit.text(hit.capture("v"))
    return re.search(r"=>\s*(\{\s*return\s+)?true\b|DangerousAcceptAnyServerCertificateValidator", value) is not None


def cookie_options_insecure(hit: Hit) -> bool:
    body = hit.text(hit.capture("hit"))
    return not (re.search(r"\bSecure\s*=\s*true", body) and re.search(r"\bHttpOnly\s*=\s*true", body))


def cookie_append_without_options(hit: Hit) -> bool:
    return "Cookies" in hit.callee and len(hit.args) == 2


def cors_any(hit: Hit) -> bool:
    method = hit.callee.rsplit(".", 1)[-1]
    if method == "AllowAnyOrigin":
        return True
    if method in ("Add", "Append", "TryAdd"):
        return arg_text_in(0, ("Access-Control-Allow-Origin",))(hit) and arg_text_in(1, ("*",))(hit)
    return any(hit.ctx.string_value(a) == "*" for a in hit.args)


def random_receiver(hit: Hit) -> bool:
    receiver = hit.callee.rsplit(".", 1)[0]
    if receiver == "Random.Shared" or re.match(r"new ?(System\.)?Random\(", receiver):   # no spaces in callees
        return True
    if not re.fullmatch(r"[\w.]+", receiver):
        return False
    name = re.escape(receiver.rsplit(".", 1)[-1])
    return re.search(rf"\bRandom\s+{name}\b|\b{name}\s*=\s*new\s+(System\.)?Random\s*\(", hit.ctx.doc.text) is not None


SQL_CLASSES = ("SqlCommand", "SqlDataAdapter", "OleDbCommand", "OdbcCommand", "MySqlCommand", "NpgsqlCommand",
               "SqliteCommand", "OracleCommand")

RULES: list[Rule] = [
    Rule("cs-process-start", "Process.Start with a non-literal command", "command-injection", "CWE-78",
         "Untrusted parts of the file name or arguments choose what runs.",
         "Start a fixed program and pass validated arguments via ProcessStartInfo.ArgumentList.",
         CS, calls=("Process.Start", "System.Diagnostics.Process.Start", "ProcessStartInfo"),
         needles=("Arguments", "FileName"),
         query='((assignment_expression left: (member_access_expression name: (identifier) @n) right: (_) @v) @hit'
               ' (#match? @n "^(Arguments|FileName)$"))',
         when=lambda hit: command_text(hit) if hit.callee else unsanitised("@v")(hit),
         taint="command", taint_args=("*", "@v"), confidence="medium",
         positive=("class A { void F(string c) { Process.Start(\"cmd.exe\" + c); } }\n",
                   "class A { void F(ProcessStartInfo p, string h) { p.Arguments = \"/c ping \" + h; } }\n"),
         negative=("class A { void F() { Process.Start(\"notepad.exe\"); } }\n",)),
    Rule("cs-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use SHA256.Create().",
         CS, calls=("MD5.Create", "SHA1.Create", "MD5CryptoServiceProvider", "SHA1CryptoServiceProvider",
                    "SHA1Managed", "MD5.HashData", "SHA1.HashData", "HashAlgorithm.Create", "HMACMD5", "HMACSHA1"),
         when=lambda hit: not hit.callee.endswith("HashAlgorithm.Create") or
         arg_text_in(0, ("MD5", "SHA1", "SHA", "System.Security.Cryptography.MD5"))(hit), confidence="medium",
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
         CS, calls=SQL_CLASSES + ("*.ExecuteSqlRaw", "*.FromSqlRaw", "*.ExecuteSqlCommand", "*.SqlQuery",
                                  "*.ExecuteSqlRawAsync", "*.SqlQueryRaw", "*.Query", "*.QueryAsync", "*.Execute",
                                  "*.ExecuteAsync", "*.QueryFirst", "*.QueryFirstOrDefault", "*.QuerySingle",
                                  "*.ExecuteScalar"),
         needles=("CommandText",),
         query='((assignment_expression left: (member_access_expression name: (identifier) @n) right: (_) @v) @hit'
               ' (#eq? @n "CommandText"))',
         when=lambda hit: cs_sql(hit),
         taint="sql", taint_args=(0, "@v"), confidence="medium",
         positive=("class A { void F(string id, SqlConnection c) {\n"
                   "  var cmd = new SqlCommand(\"SELECT * FROM Users WHERE Id = \" + id, c); } }\n",
                   "class A { void F(string id) { var q = $\"DELETE FROM T WHERE Id = {id}\"; db.ExecuteSqlRaw(q); } }\n",
                   "class A { void F(SqlCommand cmd, string n) { cmd.CommandText = \"SELECT * FROM T WHERE N = '\" + n + \"'\"; } }\n"),
         negative=("class A { void F(SqlConnection c) {\n"
                   "  var cmd = new SqlCommand(\"SELECT * FROM Users WHERE Id = @id\", c); } }\n",)),
    Rule("cs-insecure-deserialization", "BinaryFormatter-style deserialisation", "deserialization", "CWE-502",
         "These formatters instantiate any type named in the payload (remote code execution).",
         "Use System.Text.Json or DataContractSerializer with known types.",
         CS, calls=("BinaryFormatter", "NetDataContractSerializer", "LosFormatter", "SoapFormatter",
                    "ObjectStateFormatter"),
         needles=("TypeNameHandling",),
         query='((member_access_expression expression: (identifier) @t name: (identifier) @v) @hit'
               ' (#eq? @t "TypeNameHandling") (#match? @v "^(All|Objects|Auto|Arrays)$"))',
         confidence="high",
         positive=("class A { object F(Stream s) { return new BinaryFormatter().Deserialize(s); } }\n",
                   "class A { object F(string s) { return JsonConvert.DeserializeObject(s,"
                   " new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All }); } }\n"),
         negative=("class A { object F(string s) { return JsonSerializer.Deserialize<T>(s); } }\n",
                   "class A { object F(string s) { return JsonConvert.DeserializeObject(s,"
                   " new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None }); } }\n")),
    Rule("cs-xxe", "XML parser resolving DTDs/external entities", "xxe", "CWE-611",
         "DtdProcessing.Parse or an XmlUrlResolver lets a document read local files or reach internal hosts (XXE).",
         "Keep DtdProcessing.Prohibit (the default) and XmlResolver = null.",
         CS, needles=("DtdProcessing", "XmlUrlResolver", "ProhibitDtd"),
         query='((member_access_expression expression: (identifier) @t name: (identifier) @v) @hit'
               ' (#eq? @t "DtdProcessing") (#eq? @v "Parse"))\n'
               '((object_creation_expression type: (identifier) @t) @hit (#eq? @t "XmlUrlResolver"))\n'
               '((assignment_expression left: (_) @l right: (boolean_literal) @v) @hit'
               ' (#match? @l "ProhibitDtd$") (#eq? @v "false"))',
         confidence="high",
         positive=("class A { void F() { var s = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse }; } }\n",
                   "class A { void F(XmlDocument d) { d.XmlResolver = new XmlUrlResolver(); } }\n"),
         negative=("class A { void F() { var s = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }; } }\n",)),
    Rule("cs-insecure-random", "System.Random used for a secret", "weak-random", "CWE-330",
         "System.Random is predictable; tokens and keys made with it can be guessed.",
         "Use RandomNumberGenerator (System.Security.Cryptography).",
         CS, calls=("*.Next", "*.NextBytes", "*.NextDouble", "*.NextInt64"),
         when=all_of(secret_function, random_receiver),
         confidence="medium",
         positive=("class A { string F() { var token = new Random().Next(); return token.ToString(); } }\n",),
         negative=("class A { int F() { var delay = new Random().Next(100); return delay; } }\n",)),
    Rule("cs-cert-validation-disabled", "certificate validation callback that accepts everything",
         "insecure-transport", "CWE-295",
         "A callback returning true accepts any certificate: a network attacker can read and alter traffic.",
         "Remove the callback (the default validation is correct) or pin the expected certificate.",
         CS, needles=("ValidationCallback", "DangerousAcceptAnyServerCertificateValidator"),
         query='((assignment_expression left: (_) @l right: (_) @v) @hit'
               ' (#match? @l "(ServerCertificateValidationCallback|ServerCertificateCustomValidationCallback|'
               'RemoteCertificateValidationCallback)$"))',
         when=accepts_any_certificate, confidence="high",
         positive=("class A { void F() { ServicePointManager.ServerCertificateValidationCallback = (s, c, ch, e) => true; } }\n",
                   "class A { void F(HttpClientHandler h) { h.ServerCertificateCustomValidationCallback ="
                   " HttpClientHandler.DangerousAcceptAnyServerCertificateValidator; } }\n"),
         negative=("class A { void F(HttpClientHandler h) { h.ServerCertificateCustomValidationCallback ="
                   " (m, c, ch, e) => e == SslPolicyErrors.None; } }\n",)),
    Rule("cs-cookie-insecure", "cookie without Secure/HttpOnly", "insecure-cookie", "CWE-614",
         "A cookie without Secure travels over plain HTTP; without HttpOnly scripts can read it.",
         "Pass new CookieOptions { Secure = true, HttpOnly = true, SameSite = SameSiteMode.Strict }.",
         CS, calls=("*.Append", "HttpCookie"), needles=("CookieOptions",),
         query='((object_creation_expression type: (identifier) @t) @hit (#eq? @t "CookieOptions"))',
         when=lambda hit: (cookie_append_without_options(hit) if hit.callee.endswith("Append") else
                           any_of(scope_lacks(r"\.Secure\s*=\s*true"), scope_lacks(r"\.HttpOnly\s*=\s*true"))(hit))
         if hit.callee else cookie_options_insecure(hit),
         confidence="medium",
         positive=("class A { void F(string v) { Response.Cookies.Append(\"sid\", v); } }\n",
                   "class A { void F(string v) { Response.Cookies.Append(\"sid\", v, new CookieOptions { Secure = false }); } }\n"),
         negative=("class A { void F(string v) { Response.Cookies.Append(\"sid\", v,"
                   " new CookieOptions { Secure = true, HttpOnly = true }); } }\n",)),
    Rule("cs-cors-any-origin", "CORS allows any origin", "insecure-configuration", "CWE-942",
         "Allowing every origin lets any site read responses meant for your users.",
         "List the trusted origins with WithOrigins(...).",
         CS, calls=("*.AllowAnyOrigin", "*.WithOrigins", "*.Add", "*.Append", "*.TryAdd"), when=cors_any,
         confidence="medium",
         positive=("class S { void F(CorsPolicyBuilder p) { p.AllowAnyOrigin().AllowAnyHeader(); } }\n",),
         negative=("class S { void F(CorsPolicyBuilder p) { p.WithOrigins(\"https://app.example.org\"); } }\n",)),
    Rule("cs-ldap-injection", "LDAP search filter built at run time", "ldap-injection", "CWE-90",
         "Values spliced into an LDAP filter can change which entries match (LDAP injection).",
         "Escape the value for LDAP filters (RFC 4515) before building the filter.",
         CS, calls=("DirectorySearcher",), needles=("Filter",),
         query='((assignment_expression left: (member_access_expression name: (identifier) @n) right: (_) @v) @hit'
               ' (#eq? @n "Filter"))',
         when=lambda hit: unsanitised(0, LDAP_SANITISERS)(hit) if hit.callee else
         (unsanitised("@v", LDAP_SANITISERS)(hit) and "(" in hit.text(hit.capture("v"))),
         taint="ldap", taint_args=(0, "@v"), confidence="medium",
         positive=("class A { void F(DirectorySearcher s, string u) { s.Filter = \"(uid=\" + u + \")\"; } }\n",),
         negative=("class A { void F(DirectorySearcher s) { s.Filter = \"(objectClass=user)\"; } }\n",)),
    Rule("cs-xpath-injection", "XPath expression built at run time", "xpath-injection", "CWE-643",
         "Values spliced into an XPath expression can change which nodes it selects (XPath injection).",
         "Use XsltArgumentList variables or validate the value against an allow-list.",
         CS, calls=("*.SelectNodes", "*.SelectSingleNode", "*.Evaluate", "*.Compile", "*.XPathSelectElements",
                    "*.XPathSelectElement", "*.XPathEvaluate"),
         when=lambda hit: not hit.callee.startswith("Regex") and unsanitised(0, XPATH_SANITISERS)(hit),
         taint="xpath", confidence="medium",
         positive=("class A { void F(XmlDocument d, string u) { d.SelectNodes(\"//user[@name='\" + u + \"']\"); } }\n",),
         negative=("class A { void F(XmlDocument d) { d.SelectNodes(\"//user[@active='true']\"); } }\n",)),
    Rule("cs-script-eval", "C# script evaluated from a non-literal", "injection", "CWE-94",
         "The string is compiled and run as code.", "Never evaluate input; use a fixed set of operations.",
         CS, calls=("CSharpScript.EvaluateAsync", "CSharpScript.RunAsync", "CSharpScript.Create"),
         when=unsanitised(0), taint="code", confidence="medium",
         positive=("class A { void F(string code) { CSharpScript.EvaluateAsync(code); } }\n",),
         negative=("class A { void F() { CSharpScript.EvaluateAsync(\"1 + 2\"); } }\n",)),
    # Tier B sinks
    Rule("cs-redirect-sink", "redirect to a computed location", "open-redirect", "CWE-601", "", "", CS,
         calls=("Redirect", "*.Redirect", "RedirectPermanent", "*.RedirectPermanent", "RedirectResult"),
         tier="B", taint="redirect"),
    Rule("cs-html-sink", "value written as raw HTML", "xss", "CWE-79", "", "", CS,
         calls=("*.Write", "HtmlString", "*.Raw", "MvcHtmlString.Create", "*.WriteAsync"),
         when=lambda hit: not hit.callee.startswith(("Console", "File", "writer", "sw", "_logger", "Debug", "Trace",
                                                      "stream", "Log")),
         tier="B", taint="xss"),
    Rule("cs-content-html-sink", "value returned as an HTML response", "xss", "CWE-79", "", "", CS,
         calls=("Content",), when=lambda hit: "html" in hit.text(hit.arg(1)).lower(), tier="B", taint="xss"),
    Rule("cs-path-sink", "file opened by a path", "path-traversal", "CWE-22", "", "", CS,
         calls=tuple(f"{cls}.{m}" for cls in ("File", "System.IO.File") for m in ("ReadAllText", "ReadAllBytes", "ReadAllLines", "Open", "OpenRead",
                                          "OpenWrite", "WriteAllText", "WriteAllBytes", "Delete", "Copy", "Move",
                                          "Exists", "Create", "AppendAllText", "ReadLines"))
         + ("FileStream", "StreamReader", "StreamWriter", "Path.Combine", "PhysicalFile", "*.PhysicalFile",
            "FileInfo", "Directory.Delete", "Directory.GetFiles"),
         tier="B", taint="path", taint_args=("*",)),
    Rule("cs-fetch-sink", "URL fetched by the server", "ssrf", "CWE-918", "", "", CS,
         calls=("*.GetAsync", "*.GetStringAsync", "*.GetStreamAsync", "*.PostAsync", "*.GetByteArrayAsync",
                "WebRequest.Create", "HttpWebRequest.Create", "*.DownloadString", "*.DownloadData", "*.OpenRead"),
         when=lambda hit: not hit.callee.startswith("File."), tier="B", taint="ssrf"),
    Rule("cs-request-message-sink", "request built for a computed URL", "ssrf", "CWE-918", "", "", CS,
         calls=("HttpRequestMessage",), tier="B", taint="ssrf", taint_args=(1,)),
    Rule("cs-session-sink", "value stored in the session", "trust-boundary", "CWE-501", "", "", CS,
         calls=("*.SetString", "*.SetInt32", "*.Set"), when=lambda hit: "Session" in hit.callee,
         needles=("Session",),
         query='((assignment_expression left: (element_access_expression expression: (_) @s) right: (_) @v) @hit'
               ' (#match? @s "Session$"))',
         tier="B", taint="session", taint_args=(1, "@v")),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("cs-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "Request data ends up in a command line.", "Start a fixed program; validate each argument.", CS,
              positive=("class A { void F() { Process.Start(\"ping\", \"-n 1 \" + Request.Query[\"host\"]); } }\n",),
              negative=("class A { void F() { Process.Start(\"ping\", \"-n 1 localhost\"); } }\n",)),
    TaintRule("cs-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "Request data is spliced into SQL text.", "Use SqlParameter placeholders.", CS,
              positive=("class A { void F([FromQuery] string name, SqlConnection c) {\n"
                        "  new SqlCommand(\"SELECT * FROM Users WHERE Name = '\" + name + \"'\", c); } }\n",),
              negative=("class A { void F([FromQuery] string name, SqlConnection c) {\n"
                        "  new SqlCommand(\"SELECT * FROM Users WHERE Name = @name\", c); } }\n",)),
    TaintRule("cs-tainted-xss", "xss", "cross-site scripting", "CWE-79", "xss",
              "Request data is written into an HTML response unescaped.", "HtmlEncode it (or let Razor encode it).",
              CS,
              positive=("class A { void F() { Response.Write(\"<p>\" + Request.QueryString[\"q\"] + \"</p>\"); } }\n",),
              negative=("class A { void F() { Response.Write(\"<p>\" + HttpUtility.HtmlEncode(Request.QueryString[\"q\"])"
                        " + \"</p>\"); } }\n",),
              remote_only=True),
    TaintRule("cs-tainted-path", "path", "path traversal", "CWE-22", "path-traversal",
              "Request data chooses which file is read or written.",
              "Keep Path.GetFileName(...) and check the full path stays under the root.", CS,
              positive=("class A { string F([FromQuery] string f) { return File.ReadAllText(\"/srv/\" + f); } }\n",),
              negative=("class A { string F([FromQuery] string f) { return File.ReadAllText(\"/srv/\" + Path.GetFileName(f)); } }\n",),
              remote_only=True),
    TaintRule("cs-tainted-redirect", "redirect", "open redirect", "CWE-601", "open-redirect",
              "Request data chooses where the user is redirected (phishing).",
              "Use LocalRedirect(...) or check Url.IsLocalUrl(...) first.", CS,
              positive=("class HomeController : Controller { public IActionResult Go(string returnUrl) {"
                        " return Redirect(returnUrl); } }\n",),
              negative=("class HomeController : Controller { public IActionResult Go(string returnUrl) {"
                        " return LocalRedirect(returnUrl); } }\n",),
              remote_only=True),
    TaintRule("cs-tainted-ssrf", "ssrf", "server-side request forgery", "CWE-918", "ssrf",
              "Request data chooses the URL the server fetches.", "Allow-list schemes and hosts before fetching.",
              CS,
              positive=("class A { async Task F([FromQuery] string url, HttpClient c) { await c.GetStringAsync(url); } }\n",),
              negative=("class A { async Task F(HttpClient c) { await c.GetStringAsync(\"https://api.example.org\"); } }\n",),
              remote_only=True),
    TaintRule("cs-tainted-ldap", "ldap", "LDAP injection", "CWE-90", "ldap-injection",
              "Request data is spliced into an LDAP filter.", "Escape it for LDAP filters.", CS,
              positive=("class A { void F([FromQuery] string u) { new DirectorySearcher(\"(uid=\" + u + \")\"); } }\n",),
              negative=("class A { void F([FromQuery] string u) { new DirectorySearcher(\"(objectClass=user)\"); } }\n",)),
    TaintRule("cs-tainted-xpath", "xpath", "XPath injection", "CWE-643", "xpath-injection",
              "Request data is spliced into an XPath expression.", "Validate it against an allow-list.", CS,
              positive=("class A { void F(XmlDocument d) { d.SelectSingleNode(\"//u[@id='\" + Request.Query[\"id\"] + \"']\"); } }\n",),
              negative=("class A { void F(XmlDocument d) { d.SelectSingleNode(\"//u[@id='1']\"); } }\n",)),
    TaintRule("cs-tainted-session", "session", "trust boundary violation", "CWE-501", "trust-boundary",
              "Unvalidated request data is stored in the session, where later code trusts it.",
              "Validate the value before storing it in the session.", CS,
              positive=("class A { void F() { HttpContext.Session.SetString(\"user\", Request.Form[\"user\"]); } }\n",),
              negative=("class A { void F() { HttpContext.Session.SetString(\"theme\", \"dark\"); } }\n",),
              remote_only=True),
    TaintRule("cs-tainted-code", "code", "code injection", "CWE-94", "injection",
              "Request data is compiled and run as code.", "Never evaluate request data.", CS,
              positive=("class A { void F([FromBody] string code) { CSharpScript.EvaluateAsync(code); } }\n",),
              negative=("class A { void F() { CSharpScript.EvaluateAsync(\"1 + 2\"); } }\n",)),
]

SPEC = LanguageSpec(
    languages=CS,
    call_queries=("(invocation_expression function: (_) @callee arguments: (argument_list) @args) @call",
                  "(object_creation_expression type: (_) @callee arguments: (argument_list) @args) @call"),
    rules=RULES,
    assignment_queries=("(variable_declarator (identifier) @lhs . (_) @rhs)",
                        "(assignment_expression left: (identifier) @lhs right: (_) @rhs)",
                        "(foreach_statement left: (identifier) @lhs right: (_) @rhs)",
                        "(expression_statement (invocation_expression function: (member_access_expression"
                        " expression: (identifier) @lhs name: (identifier) @m) arguments: (argument_list) @rhs)"
                        " (#match? @m \"^(Append|AppendFormat|Add|AddRange|Insert|Push|Enqueue)$\"))"),
    function_types=frozenset({"method_declaration", "constructor_declaration", "local_function_statement",
                              "lambda_expression", "anonymous_method_expression"}),
    const_leaves=frozenset({"string_literal_content", "escape_sequence", "verbatim_string_literal",
                            "raw_string_literal", "integer_literal", "real_literal", "boolean_literal", "null_literal",
                            "character_literal", "interpolation_brace", "interpolation_start", "comment",
                            "string_content"}),
    composites=frozenset({"string_literal", "interpolated_string_expression", "interpolation", "binary_expression",
                          "parenthesized_expression", "conditional_expression"}),
    string_types=frozenset({"string_literal", "verbatim_string_literal"}),
    arg_wrappers=frozenset({"argument"}),
    taint_words=frozenset({"Request", "FromQuery", "FromBody", "FromRoute", "FromForm", "FromHeader", "Controller",
                           "HttpRequest", "PageModel", "FromUri",
                           "public"}),   # controller actions: the class, not the method, names Controller
    source_node=request_member,
    parameter_sources=bound_parameters,
    sanitizers=ALL_SANITISERS,
    taint_rules=TAINT_RULES,
)
