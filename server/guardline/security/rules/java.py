"""Java security rules (Find Security Bugs-style checklist) and taint tables.

Sources: parameters of Servlet/Spring/JAX-RS handlers (``HttpServletRequest``, ``@RequestParam``,
``@PathVariable``, ``@RequestBody``, ...) and the request getters wherever they are called
(``getParameter``, ``getHeader``, ...). Class names are matched as written (no type resolution).
"""

from __future__ import annotations

import re

import tree_sitter

from guardline.security.engine import (
    DocContext, Hit, LanguageSpec, Predicate, Rule, TaintRule, all_of, any_of, arg_matches, arg_text_in,
    not_, sql_built,
)
from guardline.security.rules.common import (
    secret_function, callee_matches, file_has, or_tainted, tainted, scope_lacks, typed_parameters, unsanitised,
)

Node = tree_sitter.Node
JAVA = ("java",)
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "cmd", "cmd.exe", "powershell", "/usr/bin/env"}
XXE_GUARDS = (r"disallow-doctype-decl|external-general-entities|external-parameter-entities|load-external-dtd|"
              r"FEATURE_SECURE_PROCESSING|ACCESS_EXTERNAL_DTD|ACCESS_EXTERNAL_SCHEMA|SUPPORT_DTD|"
              r"IS_SUPPORTING_EXTERNAL_ENTITIES|setExpandEntityReferences\s*\(\s*false|"
              r"XMLConstants\.ACCESS_EXTERNAL|setXIncludeAware\s*\(\s*false\s*\)\s*;[^}]*setFeature")

# Request data: getters on a request object, by method name (the receiver is not resolved).
REQUEST_GETTERS = frozenset({
    "getParameter", "getParameterValues", "getParameterMap", "getParameterNames", "getHeader", "getHeaders",
    "getHeaderNames", "getQueryString", "getCookies", "getInputStream", "getReader", "getRequestURI",
    "getRequestURL", "getPathInfo", "getPathTranslated", "getRemoteUser", "getPart", "getParts",
    "getQueryParameters", "getPathParameters", "getFirst", "queryParam", "pathVariable", "formData",
    "getOriginalFilename"})
REQUEST_TYPES = re.compile(r"^(javax\.servlet\.http\.|jakarta\.servlet\.http\.)?(HttpServletRequest|ServletRequest|"
                           r"HttpServletRequestWrapper|ServerHttpRequest|ServerRequest|WebRequest|NativeWebRequest|"
                           r"MultipartFile|MultipartHttpServletRequest|HttpEntity<.*>|RequestEntity<.*>|"
                           r"MultiValueMap<.*>|UriInfo|HttpHeaders)$")
SOURCE_ANNOTATIONS = re.compile(r"@(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|MatrixVariable|"
                                r"ModelAttribute|RequestPart|QueryParam|PathParam|FormParam|HeaderParam|CookieParam|"
                                r"BeanParam|MatrixParam)\b")
# Request methods that return server-side facts, not attacker data: a request parameter is clean there.
REQUEST_FACTS = frozenset({"getContextPath", "getSession", "getMethod", "getLocale", "getLocales",
                           "getServletContext", "getRequestDispatcher", "isSecure", "getScheme", "getServerPort",
                           "getContentLength", "getAuthType", "getCharacterEncoding", "isUserInRole",
                           "getUserPrincipal", "getRemoteAddr", "getLocalPort", "getServletPath", "getAttribute",
                           "isRequestedSessionIdValid", "getDispatcherType", "getProtocol", "getContentType"})
LOCAL_SOURCES = frozenset({"System.getenv", "System.getProperty", "System.in", "args"})

SQL_SANITISERS = frozenset({"parseInt", "parseLong", "valueOf", "encodeForSQL", "escapeSql", "quote"})
COMMAND_SANITISERS = frozenset({"parseInt", "parseLong", "encodeForOS", "quote"})
LDAP_SANITISERS = frozenset({"encodeForLDAP", "encodeForDN", "escapeLDAPSearchFilter", "encode", "filterEncode",
                             "nameEncode", "escapeDn", "parseInt"})
XPATH_SANITISERS = frozenset({"encodeForXPath", "parseInt", "escapeXml"})
HTML_SANITISERS = frozenset({"encodeForHTML", "forHtml", "forHtmlContent", "forHtmlAttribute", "htmlEscape",
                             "escapeHtml", "escapeHtml4", "escapeXml", "sanitize", "encodeForJavaScript",
                             "forJavaScript", "escapeEcmaScript", "parseInt", "encodeForHTMLAttribute"})
PATH_SANITISERS = frozenset({"getName", "getFileName", "getBaseName", "normalizeFilename", "parseInt"})
URL_SANITISERS = frozenset({"parseInt"})
ALL_SANITISERS = (SQL_SANITISERS | COMMAND_SANITISERS | LDAP_SANITISERS | XPATH_SANITISERS | HTML_SANITISERS
                  | PATH_SANITISERS | frozenset({"hashCode", "size", "length", "isEmpty", "equals", "matches",
                                                 "contains", "startsWith", "booleanValue"}))


# ---------------------------------------------------------------- sources (taint hooks)


# Package of the classes sinks name, so fully qualified spellings (new java.io.File(..)) match too.
PACKAGES = {"File": "java.io", "FileInputStream": "java.io", "FileOutputStream": "java.io", "FileReader": "java.io",
            "FileWriter": "java.io", "RandomAccessFile": "java.io", "PrintWriter": "java.io",
            "ObjectInputStream": "java.io", "Paths": "java.nio.file", "Path": "java.nio.file",
            "Files": "java.nio.file", "URL": "java.net", "MessageDigest": "java.security", "Cipher": "javax.crypto",
            "KeyGenerator": "javax.crypto", "SecretKeyFactory": "javax.crypto", "Random": "java.util",
            "ProcessBuilder": "java.lang", "Cookie": "javax.servlet.http", "XMLDecoder": "java.beans",
            "DocumentBuilderFactory": "javax.xml.parsers", "SAXParserFactory": "javax.xml.parsers",
            "XMLInputFactory": "javax.xml.stream", "TransformerFactory": "javax.xml.transform",
            "SchemaFactory": "javax.xml.validation", "XMLReaderFactory": "org.xml.sax.helpers",
            "RedirectView": "org.springframework.web.servlet.view", "HttpGet": "org.apache.http.client.methods",
            "HttpPost": "org.apache.http.client.methods", "ThreadLocalRandom": "java.util.concurrent"}


def qualified(*names: str) -> tuple[str, ...]:
    """Each name, plus its fully qualified spelling when its class is in PACKAGES."""
    out = list(names)
    for name in names:
        cls = name.split(".", 1)[0]
        if cls in PACKAGES and not name.startswith("*"):
            out.append(f"{PACKAGES[cls]}.{name}")
    return tuple(dict.fromkeys(out))


def request_getter(ctx: DocContext, node: Node) -> str | None:
    """``req.getParameter("a")`` and friends are request data whatever the receiver's name."""
    if node.type != "method_invocation":
        return None
    name = node.child_by_field_name("name")
    method = ctx.text(name)
    if method in REQUEST_GETTERS:
        return f"request.{method}"
    if method in REQUEST_FACTS:
        return ""
    if method in ("getenv", "getProperty") and ctx.text(node.child_by_field_name("object")) == "System":
        return f"System.{method}"
    return None


def _request_parameter(declaration: str, type_text: str) -> str | None:
    annotation = SOURCE_ANNOTATIONS.search(declaration)
    if annotation:
        return annotation.group(0)
    if REQUEST_TYPES.match(type_text.replace(" ", "")):
        return type_text
    if type_text == "String[]" and declaration.rstrip().endswith(" args"):
        return "args"
    return None


# ---------------------------------------------------------------- small Java-only predicates


def algorithm_matches(pattern: str) -> Predicate:
    """The algorithm argument, or the value assigned to it (``props.getProperty("alg", "DES")``),
    names a weak algorithm in a string literal."""
    regex = re.compile(pattern)

    def check(hit: Hit) -> bool:
        node = hit.arg(0)
        if node is None:
            return False
        values = [node] + (hit.ctx.assigned_values(node) if node.type == "identifier" else [])
        for value in values:
            literal = hit.ctx.string_value(value)
            texts = [literal] if literal is not None else re.findall(r'"([^"]*)"', hit.text(value))
            if any(regex.search(text) for text in texts):
                return True
        return False
    return check


def runtime_exec(hit: Hit) -> bool:
    receiver_is_runtime = "getRuntime" in hit.callee or re.search(r"\bRuntime\b", hit.ctx.doc.text) is not None
    return receiver_is_runtime and unsanitised(0, COMMAND_SANITISERS)(hit)


def process_builder_built(hit: Hit) -> bool:
    if any(a.type == "binary_expression" and not hit.ctx.is_const(a) for a in hit.args):
        return True
    shell = hit.ctx.string_value(hit.arg(0))
    flag = hit.ctx.string_value(hit.arg(1))
    script = hit.arg(2)
    return shell in SHELLS and flag in ("-c", "/c") and script is not None and not hit.ctx.is_const(script)


def query_built(hit: Hit) -> bool:
    """SQL text with non-constant parts; JPQL/HQL ``createQuery`` text need not look like SQL."""
    method = hit.callee.rsplit(".", 1)[-1]
    if method in ("createQuery", "createNativeQuery", "createSQLQuery", "createTypedQuery"):
        return unsanitised(0, SQL_SANITISERS)(hit)
    return sql_built(0)(hit) and unsanitised(0, SQL_SANITISERS)(hit)


def ldap_search(hit: Hit) -> bool:
    return len(hit.args) >= 2 and unsanitised(1, LDAP_SANITISERS)(hit)


def xpath_expression(hit: Hit) -> bool:
    receiver = hit.callee.rsplit(".", 1)[0]
    return receiver not in ("Pattern", "java.util.regex.Pattern", "regex") and unsanitised(0, XPATH_SANITISERS)(hit)


def insecure_random_receiver(hit: Hit) -> bool:
    """``rnd.nextLong()`` where ``rnd`` is a ``java.util.Random`` (declared or assigned ``new Random``)."""
    receiver = hit.callee.rsplit(".", 1)[0]
    if receiver in ("ThreadLocalRandom.current()", "RandomStringUtils", "RandomUtils"):
        return True
    if not re.fullmatch(r"[\w.]+", receiver):
        return re.match(r"new ?(java\.util\.)?Random\(", receiver) is not None   # callee text has no spaces
    name = re.escape(receiver.rsplit(".", 1)[-1])
    text = hit.ctx.doc.text
    return re.search(rf"\b(java\.util\.)?Random\s+{name}\b|\b{name}\s*=\s*new\s+(java\.util\.)?Random\s*\(",
                     text) is not None


def verifier_accepts_all(hit: Hit) -> bool:
    arg = hit.arg(0)
    text = hit.text(arg)
    return bool(re.search(r"->\s*(\{\s*return\s+)?true\b|NoopHostnameVerifier|ALLOW_ALL|AllowAllHostnameVerifier",
                          text))


def session_receiver(hit: Hit) -> bool:
    return "session" in hit.callee.lower()


def writer_receiver(hit: Hit) -> bool:
    """``response.getWriter().print(..)`` or a variable assigned from ``getWriter()``/``getOutputStream()``."""
    receiver = hit.callee.rsplit(".", 1)[0]
    if "getWriter" in receiver or "getOutputStream" in receiver:
        return True
    name = re.escape(receiver)
    return re.fullmatch(r"\w+", receiver) is not None and re.search(
        rf"\b{name}\s*=\s*[\w.]*(getWriter|getOutputStream)\s*\(", hit.ctx.doc.text) is not None


def html_concatenation(hit: Hit) -> bool:
    """A returned string concatenation that builds HTML markup from non-constant parts."""
    node = hit.capture("hit")
    return node is not None and re.search(r'"[^"]*<\s*/?[a-zA-Z]', hit.text(node)) is not None \
        and not hit.ctx.is_const(node)


def redirect_view(hit: Hit) -> bool:
    value = hit.capture("hit")
    return value is not None and not hit.ctx.is_const(value)


def cors_any_origin(hit: Hit) -> bool:
    method = hit.callee.rsplit(".", 1)[-1]
    if method in ("setHeader", "addHeader"):
        return arg_text_in(0, ("Access-Control-Allow-Origin",))(hit) and arg_text_in(1, ("*",))(hit)
    return any('"*"' in hit.text(a) for a in hit.args)


def headers_disabled(hit: Hit) -> bool:
    """``http.headers().disable()``, ``.frameOptions().disable()``, ``headers(h -> h.disable())``."""
    method = hit.callee.rsplit(".", 1)[-1]
    if method == "disable":
        return re.search(r"\b(headers|frameOptions)\s*\(\s*\)\s*$", hit.callee.rsplit(".", 1)[0]) is not None
    return any(re.search(r"->\s*\w+\.disable\(\)|::disable|frameOptions\(\s*\w+\s*->\s*\w+\.disable", hit.text(a))
               for a in hit.args)


def cross_origin_any(hit: Hit) -> bool:
    arguments = hit.capture("a")
    if arguments is None:
        return True
    text = hit.text(arguments)
    return '"*"' in text or not re.search(r"\b(origins|value|originPatterns)\s*=|^\(\s*\"", text)


def cookie_flag_false(hit: Hit) -> bool:
    return arg_text_in(0, ("false",))(hit)


def csrf_disabled(hit: Hit) -> bool:
    """``http.csrf().disable()`` and ``http.csrf(c -> c.disable())`` / ``csrf(AbstractHttpConfigurer::disable)``."""
    method = hit.callee.rsplit(".", 1)[-1]
    if method == "disable":
        return re.search(r"\bcsrf\s*\(\s*\)\s*$", hit.callee.rsplit(".", 1)[0]) is not None
    return any(re.search(r"disable", hit.text(a)) for a in hit.args)


# ---------------------------------------------------------------- rules

SQL_METHODS = ("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch", "prepareStatement",
               "prepareCall", "createQuery", "createNativeQuery", "createSQLQuery", "queryForList",
               "queryForObject", "queryForMap", "queryForRowSet", "query", "update", "batchUpdate", "nativeQuery")

RULES: list[Rule] = [
    Rule("java-runtime-exec", "Runtime.exec with a non-literal command", "command-injection", "CWE-78",
         "The command string is split and run; untrusted parts choose the program and its arguments.",
         "Use ProcessBuilder with a fixed program and validated, separate arguments.",
         JAVA, calls=qualified("*.exec",), when=runtime_exec, taint="command", taint_args=("*",), confidence="medium",
         positive=("class A { void f(String h) throws Exception { Runtime.getRuntime().exec(\"ping \" + h); } }\n",),
         negative=("class A { void f() throws Exception { Runtime.getRuntime().exec(\"uptime\"); } }\n",)),
    Rule("java-process-builder", "ProcessBuilder with a command built by concatenation", "command-injection",
         "CWE-78", "A command line built from strings lets untrusted parts inject arguments or commands.",
         "Pass the program and each argument separately; never through sh -c.",
         JAVA, calls=qualified("ProcessBuilder", "java.lang.ProcessBuilder", "*.command"), when=or_tainted(process_builder_built, "*"),
         taint="command", taint_args=("*",), confidence="medium",
         positive=("class A { void f(String d) { new ProcessBuilder(\"sh\", \"-c\", \"ls \" + d).start(); } }\n",),
         negative=("class A { void f(String d) { new ProcessBuilder(\"ls\", d).start(); } }\n",)),
    Rule("java-weak-hash", "MessageDigest MD5/SHA-1", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use SHA-256 (or bcrypt/PBKDF2 for passwords).",
         JAVA, calls=qualified("MessageDigest.getInstance", "java.security.MessageDigest.getInstance",
                      "DigestUtils.md5", "DigestUtils.md5Hex", "DigestUtils.sha1", "DigestUtils.sha1Hex",
                      "DigestUtils.shaHex", "DigestUtils.getMd5Digest", "DigestUtils.getSha1Digest",
                      "Hashing.md5", "Hashing.sha1"),
         when=any_of(lambda hit: "DigestUtils" in hit.callee or "Hashing" in hit.callee,
                     algorithm_matches(r"(?i)^(md5|sha-?1|md2|md4|sha)$")),
         confidence="medium",
         positive=("class A { byte[] f(byte[] b) throws Exception { return MessageDigest.getInstance(\"MD5\").digest(b); } }\n",),
         negative=("class A { byte[] f(byte[] b) throws Exception { return MessageDigest.getInstance(\"SHA-256\").digest(b); } }\n",)),
    Rule("java-weak-cipher", "Cipher with DES/RC4/ECB", "weak-cryptography", "CWE-327",
         "DES, 3DES, RC2/RC4, Blowfish and ECB mode (the default for \"AES\") do not protect confidentiality.",
         "Use Cipher.getInstance(\"AES/GCM/NoPadding\").",
         JAVA, calls=qualified("Cipher.getInstance", "javax.crypto.Cipher.getInstance", "KeyGenerator.getInstance",
                      "SecretKeyFactory.getInstance"),
         when=algorithm_matches(r"(?i)^(des|desede|tripledes|rc2|rc4|arcfour|blowfish)\b|/ecb/|^aes$"),
         confidence="high",
         positive=("class A { void f() throws Exception { Cipher c = Cipher.getInstance(\"DES/CBC/PKCS5Padding\"); } }\n",
                   "class A { void f() throws Exception { Cipher c = Cipher.getInstance(\"AES\"); } }\n"),
         negative=("class A { void f() throws Exception { Cipher c = Cipher.getInstance(\"AES/GCM/NoPadding\"); } }\n",)),
    Rule("java-insecure-random", "java.util.Random used for a secret", "weak-random", "CWE-330",
         "java.util.Random is predictable; tokens and keys made with it can be guessed.",
         "Use java.security.SecureRandom.",
         JAVA, calls=qualified("Math.random", "*.nextInt", "*.nextLong", "*.nextBytes",
                      "*.nextDouble", "*.nextFloat", "*.nextGaussian", "*.ints", "*.longs",
                      "RandomStringUtils.random", "RandomStringUtils.randomAlphanumeric",
                      "RandomStringUtils.randomAlphabetic", "RandomStringUtils.randomNumeric"),
         when=all_of(secret_function, any_of(lambda hit: hit.callee == "Math.random",
                                                 insecure_random_receiver)),
         confidence="medium",
         positive=("class A { String f() { long token = new Random().nextLong(); return \"\" + token; } }\n",
                   "class A { Random r = new Random();\n  String sessionId() { return Long.toHexString(r.nextLong()); } }\n"),
         negative=("class A { int f() { int jitter = new Random().nextInt(10); return jitter; } }\n",
                   "class A { SecureRandom r = new SecureRandom();\n  String token() { return Long.toHexString(r.nextLong()); } }\n")),
    Rule("java-sql-concat", "SQL built by concatenation passed to execute", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use PreparedStatement with ? placeholders (JPA: setParameter).",
         JAVA, calls=tuple(f"*.{m}" for m in SQL_METHODS), when=any_of(query_built, all_of(not_(callee_matches(r"\.(query|update|batchUpdate)$")), tainted(0))), taint="sql", confidence="medium",
         positive=("class A { void f(Statement st, String id) throws Exception {\n"
                   "  st.executeQuery(\"SELECT * FROM users WHERE id = '\" + id + \"'\"); } }\n",
                   "class A { List f(EntityManager em, String n) {\n"
                   "  return em.createQuery(\"from User u where u.name = '\" + n + \"'\").getResultList(); } }\n"),
         negative=("class A { void f(Connection c, String id) throws Exception {\n"
                   "  PreparedStatement p = c.prepareStatement(\"SELECT * FROM users WHERE id = ?\"); } }\n",
                   "class A { void f(Statement st, String id) throws Exception {\n"
                   "  st.executeQuery(\"SELECT * FROM users WHERE id = \" + Integer.parseInt(id)); } }\n")),
    Rule("java-ldap-injection", "LDAP search filter built at run time", "ldap-injection", "CWE-90",
         "Values spliced into an LDAP filter can change which entries match (LDAP injection).",
         "Encode values with an LDAP filter encoder (e.g. LdapEncoder.filterEncode) or use a parameterised "
         "filter (search(base, \"(uid={0})\", new Object[]{uid}, controls)).",
         JAVA, calls=qualified("*.search",), when=all_of(file_has(r"DirContext|LdapContext|LdapTemplate|javax\.naming|"
                                                         r"LDAPConnection|ldap"), ldap_search),
         taint="ldap", taint_args=(1,), confidence="medium",
         positive=("class A { void f(DirContext ctx, String user) throws Exception {\n"
                   "  ctx.search(\"ou=people\", \"(uid=\" + user + \")\", new SearchControls()); } }\n",),
         negative=("class A { void f(DirContext ctx, String user) throws Exception {\n"
                   "  ctx.search(\"ou=people\", \"(uid={0})\", new Object[]{user}, new SearchControls()); } }\n",)),
    Rule("java-xpath-injection", "XPath expression built at run time", "xpath-injection", "CWE-643",
         "Values spliced into an XPath expression can change which nodes it selects (XPath injection).",
         "Use an XPathVariableResolver and $variables instead of concatenation.",
         JAVA, calls=qualified("*.compile", "*.evaluate", "*.selectNodes", "*.selectSingleNode"),
         when=all_of(file_has(r"XPath|xpath"), xpath_expression), taint="xpath", confidence="medium",
         positive=("class A { Object f(XPath xp, Document d, String u) throws Exception {\n"
                   "  return xp.evaluate(\"//user[@name='\" + u + \"']\", d, XPathConstants.NODE); } }\n",),
         negative=("class A { Object f(XPath xp, Document d) throws Exception {\n"
                   "  return xp.evaluate(\"//user[@name=$name]\", d, XPathConstants.NODE); } }\n",)),
    Rule("java-object-input-stream", "Java deserialisation (ObjectInputStream/XMLDecoder)", "deserialization",
         "CWE-502", "readObject on untrusted bytes can run gadget chains (remote code execution).",
         "Use a data format (JSON) or an ObjectInputFilter allow-list.",
         JAVA, calls=qualified("ObjectInputStream", "java.io.ObjectInputStream", "XMLDecoder", "java.beans.XMLDecoder",
                               "SerializationUtils.deserialize"),
         when=scope_lacks(r"setObjectInputFilter|ValidatingObjectInputStream|\.accept\("), taint="deserialization",
         taint_args=("*",), confidence="medium",
         positive=("class A { Object f(InputStream in) throws Exception { return new ObjectInputStream(in).readObject(); } }\n",),
         negative=("class A { Object f(InputStream in) throws Exception { return new DataInputStream(in).readInt(); } }\n",
                   "class A { Object f(InputStream in) throws Exception { ObjectInputStream o = new ObjectInputStream(in);\n"
                   "  o.setObjectInputFilter(ObjectInputFilter.Config.createFilter(\"com.acme.*;!*\")); return o.readObject(); } }\n")),
    Rule("java-unsafe-deserialization-library", "XStream/Jackson default typing/SnakeYAML unsafe load",
         "deserialization", "CWE-502",
         "Polymorphic deserialisation instantiates classes named in the data (remote code execution).",
         "Jackson: drop enableDefaultTyping (use @JsonTypeInfo with an allow-list validator); XStream: "
         "allowTypes(...); SnakeYAML: new Yaml(new SafeConstructor(new LoaderOptions())).",
         JAVA, calls=qualified("*.enableDefaultTyping", "*.activateDefaultTyping", "*.fromXML", "*.load", "*.loadAs",
                      "*.loadAll"),
         when=any_of(callee_matches(r"enableDefaultTyping$"),
                     all_of(callee_matches(r"activateDefaultTyping$"), lambda hit: "LaissezFaire" in hit.text(hit.arg(0))),
                     all_of(callee_matches(r"fromXML$"), file_has(r"\bXStream\b"),
                            scope_lacks(r"allowTypes|addPermission|setupDefaultSecurity")),
                     all_of(callee_matches(r"\.load(As|All)?$"), file_has(r"\bnew\s+Yaml\s*\(\s*\)"),
                            lambda hit: not re.search(r"(?i)properties|loader|class", hit.callee.rsplit(".", 1)[0]))),
         taint="deserialization", taint_args=("*",), confidence="medium",
         positive=("class A { void f(ObjectMapper m) { m.enableDefaultTyping(); } }\n",
                   "class A { Object f(String x) { XStream xs = new XStream(); return xs.fromXML(x); } }\n"),
         negative=("class A { Object f(String x) { XStream xs = new XStream(); xs.allowTypes(new Class[]{Point.class});"
                   " return xs.fromXML(x); } }\n",)),
    Rule("java-xxe", "XML parser factory without secure features", "xxe", "CWE-611",
         "By default these factories resolve external entities (XXE: file disclosure, SSRF).",
         "Set disallow-doctype-decl / FEATURE_SECURE_PROCESSING, or XMLConstants.ACCESS_EXTERNAL_DTD to \"\".",
         JAVA, calls=qualified("DocumentBuilderFactory.newInstance", "SAXParserFactory.newInstance",
                      "XMLInputFactory.newInstance", "XMLInputFactory.newFactory", "TransformerFactory.newInstance",
                      "SchemaFactory.newInstance", "XMLReaderFactory.createXMLReader", "SAXReader", "SAXBuilder",
                      "DocumentBuilderFactory.newDefaultInstance", "SAXParserFactory.newDefaultInstance"),
         when=scope_lacks(XXE_GUARDS), confidence="medium",
         positive=("class A { void f() throws Exception { DocumentBuilderFactory f = DocumentBuilderFactory.newInstance(); } }\n",),
         negative=("class A { void f() throws Exception { DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\n"
                   "  f.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true); } }\n",)),
    Rule("java-trust-all-certificates", "TrustManager that accepts every certificate", "insecure-transport", "CWE-295",
         "An empty checkServerTrusted accepts any certificate: a network attacker can read and alter traffic.",
         "Use the platform TrustManager (or pin the expected certificate); never an empty check.",
         JAVA, needles=("checkServerTrusted", "checkClientTrusted"),
         query='((method_declaration name: (identifier) @n body: (block) @b) @hit'
               ' (#match? @n "^check(Server|Client)Trusted$"))',
         when=lambda hit: not [c for c in hit.captures["b"][0].named_children   # @b: always captured
                               if c.type not in ("line_comment", "block_comment")],
         confidence="high",
         positive=("class T implements X509TrustManager {\n"
                   "  public void checkServerTrusted(X509Certificate[] c, String a) {}\n}\n",),
         negative=("class T implements X509TrustManager {\n  public void checkServerTrusted(X509Certificate[] c, String a)"
                   " throws CertificateException { delegate.checkServerTrusted(c, a); }\n}\n",)),
    Rule("java-hostname-verifier-all", "HostnameVerifier that accepts every host", "insecure-transport", "CWE-297",
         "A verifier that always returns true lets any certificate holder impersonate the server.",
         "Keep the default HostnameVerifier.",
         JAVA, calls=qualified("*.setHostnameVerifier", "*.setDefaultHostnameVerifier", "*.setSSLHostnameVerifier",
                      "*.hostnameVerifier"),
         needles=("verify",),
         query='((method_declaration name: (identifier) @n body: (block . (return_statement (true)) .)) @hit'
               ' (#eq? @n "verify"))',
         when=lambda hit: hit.capture("n") is not None or verifier_accepts_all(hit), confidence="high",
         positive=("class V implements HostnameVerifier {\n  public boolean verify(String h, SSLSession s) { return true; }\n}\n",
                   "class A { void f(HttpsURLConnection c) { c.setHostnameVerifier((h, s) -> true); } }\n"),
         negative=("class V implements HostnameVerifier {\n  public boolean verify(String h, SSLSession s) {"
                   " return h.equals(\"api.example.org\"); }\n}\n",)),
    Rule("java-cookie-insecure", "Cookie without Secure/HttpOnly", "insecure-cookie", "CWE-614",
         "A cookie without Secure travels over plain HTTP; without HttpOnly scripts can read it.",
         "Call cookie.setSecure(true) and cookie.setHttpOnly(true) (or set them in the session config).",
         JAVA, calls=qualified("Cookie", "javax.servlet.http.Cookie", "jakarta.servlet.http.Cookie", "*.setSecure",
                      "*.setHttpOnly", "*.secure", "*.httpOnly"),
         when=any_of(all_of(callee_matches(r"(^|\.)Cookie$"),
                            any_of(scope_lacks(r"setSecure\s*\(\s*true"), scope_lacks(r"setHttpOnly\s*\(\s*true"))),
                     all_of(callee_matches(r"\.(setSecure|setHttpOnly|secure|httpOnly)$"), cookie_flag_false)),
         confidence="medium",
         positive=("class A { void f(HttpServletResponse r, String v) { Cookie c = new Cookie(\"sid\", v);"
                   " r.addCookie(c); } }\n",),
         negative=("class A { void f(HttpServletResponse r, String v) { Cookie c = new Cookie(\"sid\", v);\n"
                   "  c.setSecure(true); c.setHttpOnly(true); r.addCookie(c); } }\n",)),
    Rule("java-spring-csrf-disabled", "Spring Security CSRF protection disabled", "insecure-configuration",
         "CWE-352", "Without CSRF tokens another site can submit state-changing requests as the logged-in user.",
         "Keep CSRF protection on for browser-facing endpoints (disable it only for stateless token APIs).",
         JAVA, calls=qualified("*.disable", "*.csrf"), when=csrf_disabled, confidence="medium",
         positive=("class S { void c(HttpSecurity http) throws Exception { http.csrf().disable(); } }\n",
                   "class S { void c(HttpSecurity http) throws Exception { http.csrf(c -> c.disable()); } }\n"),
         negative=("class S { void c(HttpSecurity http) throws Exception { http.csrf(Customizer.withDefaults()); } }\n",)),
    Rule("java-spring-headers-disabled", "Spring Security response headers disabled", "insecure-configuration",
         "CWE-1021", "Without X-Frame-Options/CSP/HSTS headers pages can be framed (clickjacking) and downgraded.",
         "Keep the default headers; relax one directive (frameOptions().sameOrigin()) instead of disabling them.",
         JAVA, calls=("*.disable", "*.headers", "*.frameOptions"), when=headers_disabled, confidence="medium",
         positive=("class S { void c(HttpSecurity http) throws Exception { http.headers().frameOptions().disable(); } }\n",
                   "class S { void c(HttpSecurity http) throws Exception { http.headers(h -> h.disable()); } }\n"),
         negative=("class S { void c(HttpSecurity http) throws Exception { http.headers().frameOptions().sameOrigin(); } }\n",)),
    Rule("java-cors-any-origin", "CORS allows any origin", "insecure-configuration", "CWE-942",
         "Allowing every origin lets any site read responses meant for your users.",
         "List the trusted origins explicitly.",
         JAVA, calls=qualified("*.allowedOrigins", "*.addAllowedOrigin", "*.setAllowedOrigins", "*.allowedOriginPatterns",
                      "*.setHeader", "*.addHeader"), needles=("CrossOrigin",),
         # @CrossOrigin without origins allows every origin (Spring's default)
         query='[((marker_annotation name: (identifier) @n) @hit (#eq? @n "CrossOrigin"))'
               ' ((annotation name: (identifier) @n arguments: (annotation_argument_list) @a) @hit'
               ' (#eq? @n "CrossOrigin"))]',
         when=lambda hit: cors_any_origin(hit) if hit.callee else cross_origin_any(hit), confidence="medium",
         positive=("class C { void f(CorsRegistry r) { r.addMapping(\"/**\").allowedOrigins(\"*\"); } }\n",
                   "class C { void f(HttpServletResponse r) { r.setHeader(\"Access-Control-Allow-Origin\", \"*\"); } }\n",
                   "@CrossOrigin\n@RestController\nclass C { }\n"),
         negative=("class C { void f(CorsRegistry r) { r.addMapping(\"/**\").allowedOrigins(\"https://app.example.org\"); } }\n",
                   "@CrossOrigin(origins = \"https://app.example.org\")\n@RestController\nclass C { }\n")),
    Rule("java-weak-tls", "SSLContext for SSL 3.0 / TLS 1.0 / 1.1", "insecure-transport", "CWE-326",
         "SSL 3.0, TLS 1.0 and 1.1 have known weaknesses and are deprecated (RFC 8996).",
         "Use SSLContext.getInstance(\"TLSv1.3\") (or \"TLS\" with the JDK defaults).",
         JAVA, calls=qualified("SSLContext.getInstance", "javax.net.ssl.SSLContext.getInstance"),
         when=arg_text_in(0, ("SSL", "SSLv2", "SSLv3", "TLSv1", "TLSv1.1")), confidence="high",
         positive=("class A { void f() throws Exception { SSLContext c = SSLContext.getInstance(\"SSLv3\"); } }\n",),
         negative=("class A { void f() throws Exception { SSLContext c = SSLContext.getInstance(\"TLSv1.3\"); } }\n",)),
    Rule("java-weak-key-size", "RSA/DSA/DH key shorter than 2048 bits", "weak-cryptography", "CWE-326",
         "Keys under 2048 bits can be factored with today's resources.", "Use 2048 bits or more (3072 for new keys).",
         JAVA, calls=("*.initialize",), when=lambda hit: "KeyPairGenerator" in hit.ctx.doc.text and
         re.fullmatch(r"\d+", hit.text(hit.arg(0))) is not None and int(hit.text(hit.arg(0))) < 2048,
         confidence="medium",
         positive=("class A { void f() throws Exception { KeyPairGenerator g = KeyPairGenerator.getInstance(\"RSA\");"
                   " g.initialize(1024); } }\n",),
         negative=("class A { void f() throws Exception { KeyPairGenerator g = KeyPairGenerator.getInstance(\"RSA\");"
                   " g.initialize(3072); } }\n",)),
    # Tier B sinks: reported only when request data reaches them.
    Rule("java-path-sink", "file opened by a path", "path-traversal", "CWE-22", "", "", JAVA,
         calls=qualified("File", "java.io.File", "FileInputStream", "FileOutputStream", "FileReader", "FileWriter",
                "RandomAccessFile", "Paths.get", "Path.of", "*.resolve", "Files.readAllBytes", "Files.readString",
                "Files.newInputStream", "Files.delete", "Files.write", "Files.lines", "Files.newBufferedReader",
                "Files.copy", "Files.newOutputStream", "Files.readAllLines",
                "FileSystemResource", "PrintWriter"),
         tier="B", taint="path", taint_args=("*",)),
    Rule("java-redirect-sink", "redirect to a computed location", "open-redirect", "CWE-601", "", "", JAVA,
         calls=qualified("*.sendRedirect", "RedirectView", "*.setLocation", "*.location"), tier="B", taint="redirect",
         taint_args=(0,)),
    Rule("java-redirect-header-sink", "Location header set", "open-redirect", "CWE-601", "", "", JAVA,
         calls=qualified("*.setHeader", "*.addHeader"), when=arg_text_in(0, ("Location",)), tier="B", taint="redirect",
         taint_args=(1,)),
    Rule("java-redirect-view-sink", "Spring \"redirect:\" view name", "open-redirect", "CWE-601", "", "", JAVA,
         needles=("redirect:",),
         query='((binary_expression left: (string_literal) @p) @hit (#match? @p "^\\"(redirect|forward):"))',
         when=redirect_view, tier="B", taint="redirect", taint_args=("@hit",)),
    Rule("java-session-sink", "value stored in the session", "trust-boundary", "CWE-501", "", "", JAVA,
         calls=qualified("*.setAttribute", "*.putValue"), when=session_receiver, tier="B", taint="session",
         taint_args=(1, 0)),
    Rule("java-response-writer-sink", "value written to the HTTP response", "xss", "CWE-79", "", "", JAVA,
         calls=qualified("*.print", "*.println", "*.write", "*.printf", "*.format", "*.append"), when=writer_receiver,
         tier="B", taint="xss", taint_args=("*",)),
    Rule("java-html-return-sink", "HTML markup built with concatenation and returned", "xss", "CWE-79", "", "",
         JAVA, needles=("return",), query="(return_statement (binary_expression) @hit)", when=html_concatenation,
         tier="B", taint="xss", taint_args=("@hit",)),
    Rule("java-url-sink", "URL fetched by the server", "ssrf", "CWE-918", "", "", JAVA,
         calls=qualified("URL", "java.net.URL", "*.getForObject", "*.getForEntity", "*.postForObject",
                "*.exchange", "*.uri", "HttpGet", "HttpPost", "*.newBuilder", "Jsoup.connect", "WebClient.create",
                "*.url"),
         when=lambda hit: not hit.callee.endswith(".url") or re.search(r"okhttp|Request\.Builder", hit.ctx.doc.text)
         is not None, tier="B", taint="ssrf", taint_args=(0,)),
    Rule("java-script-eval-sink", "script or expression evaluated", "injection", "CWE-94", "", "", JAVA,
         calls=qualified("*.parseExpression", "*.eval"),
         when=lambda hit: re.search(r"ScriptEngine|ExpressionParser|Expression", hit.ctx.doc.text) is not None,
         tier="B", taint="code", taint_args=(0,)),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("java-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "Request data ends up in a command line.", "Run a fixed program with validated, separate arguments.",
              JAVA,
              positive=("class A { void f(HttpServletRequest req) throws Exception {\n"
                        "  String host = req.getParameter(\"host\");\n"
                        "  Runtime.getRuntime().exec(\"ping -c 1 \" + host); } }\n",),
              negative=("class A { void f(HttpServletRequest req) throws Exception {\n"
                        "  int n = Integer.parseInt(req.getParameter(\"n\"));\n"
                        "  Runtime.getRuntime().exec(\"seq \" + n); } }\n",)),
    TaintRule("java-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "Request data is spliced into SQL/JPQL text.", "Use PreparedStatement placeholders.", JAVA,
              positive=("class A { @GetMapping(\"/u\") List f(@RequestParam String name, JdbcTemplate db) {\n"
                        "  return db.queryForList(\"SELECT * FROM users WHERE name = '\" + name + \"'\"); } }\n",),
              negative=("class A { @GetMapping(\"/u\") List f(@RequestParam String name, JdbcTemplate db) {\n"
                        "  return db.queryForList(\"SELECT * FROM users WHERE name = ?\", name); } }\n",)),
    TaintRule("java-tainted-ldap", "ldap", "LDAP injection", "CWE-90", "ldap-injection",
              "Request data is spliced into an LDAP filter.", "Encode it with an LDAP filter encoder.", JAVA,
              positive=("class A { void f(HttpServletRequest r, DirContext ctx) throws Exception {\n"
                        "  ctx.search(\"ou=people\", \"(uid=\" + r.getParameter(\"u\") + \")\", new SearchControls()); } }\n",),
              negative=("class A { void f(HttpServletRequest r, DirContext ctx) throws Exception {\n"
                        "  ctx.search(\"ou=people\", \"(uid=\" + Encode.encodeForLDAP(r.getParameter(\"u\")) + \")\","
                        " new SearchControls()); } }\n",)),
    TaintRule("java-tainted-xpath", "xpath", "XPath injection", "CWE-643", "xpath-injection",
              "Request data is spliced into an XPath expression.", "Bind it as an XPath variable.", JAVA,
              positive=("class A { Object f(HttpServletRequest r, XPath xp, Document d) throws Exception {\n"
                        "  return xp.compile(\"//user[@id='\" + r.getParameter(\"id\") + \"']\").evaluate(d); } }\n",),
              negative=("class A { Object f(HttpServletRequest r, XPath xp, Document d) throws Exception {\n"
                        "  return xp.compile(\"//user[@id=$id]\").evaluate(d); } }\n",)),
    TaintRule("java-tainted-path", "path", "path traversal", "CWE-22", "path-traversal",
              "Request data chooses which file is read or written.",
              "Keep the file name only (FilenameUtils.getName) and check the resolved path stays under the root.",
              JAVA,
              positive=("class A { void f(HttpServletRequest r) throws Exception {\n"
                        "  File f = new File(\"/srv/files/\", r.getParameter(\"name\")); } }\n",),
              negative=("class A { void f(HttpServletRequest r) throws Exception {\n"
                        "  File f = new File(\"/srv/files/\", FilenameUtils.getName(r.getParameter(\"name\"))); } }\n",),
              remote_only=True),
    TaintRule("java-tainted-ssrf", "ssrf", "server-side request forgery", "CWE-918", "ssrf",
              "Request data chooses the URL the server fetches.", "Allow-list schemes and hosts before fetching.",
              JAVA,
              positive=("class A { void f(@RequestParam String url) throws Exception {\n"
                        "  new URL(url).openStream(); } }\n",),
              negative=("class A { void f(@RequestParam String url) throws Exception {\n"
                        "  new URL(\"https://api.example.org/status\").openStream(); } }\n",),
              remote_only=True),
    TaintRule("java-tainted-xss", "xss", "cross-site scripting", "CWE-79", "xss",
              "Request data is written into an HTML response unescaped.",
              "Encode it for HTML (OWASP Encoder Encode.forHtml, Spring HtmlUtils.htmlEscape).", JAVA,
              positive=("class A { void f(HttpServletRequest req, HttpServletResponse resp) throws Exception {\n"
                        "  resp.getWriter().println(\"Hello \" + req.getParameter(\"name\")); } }\n",),
              negative=("class A { void f(HttpServletRequest req, HttpServletResponse resp) throws Exception {\n"
                        "  resp.getWriter().println(\"Hello \" + Encode.forHtml(req.getParameter(\"name\"))); } }\n",),
              remote_only=True),
    TaintRule("java-tainted-redirect", "redirect", "open redirect", "CWE-601", "open-redirect",
              "Request data chooses where the user is redirected (phishing).",
              "Redirect only to relative paths or allow-listed hosts.", JAVA,
              positive=("class A { void f(HttpServletRequest req, HttpServletResponse resp) throws Exception {\n"
                        "  resp.sendRedirect(req.getParameter(\"next\")); } }\n",),
              negative=("class A { void f(HttpServletRequest req, HttpServletResponse resp) throws Exception {\n"
                        "  resp.sendRedirect(\"/home\"); } }\n",),
              remote_only=True),
    TaintRule("java-tainted-session", "session", "trust boundary violation", "CWE-501", "trust-boundary",
              "Unvalidated request data is stored in the session, where later code trusts it.",
              "Validate the value before storing it in the session.", JAVA,
              positive=("class A { void f(HttpServletRequest req) {\n"
                        "  req.getSession().setAttribute(\"user\", req.getParameter(\"user\")); } }\n",),
              negative=("class A { void f(HttpServletRequest req) {\n"
                        "  req.getSession().setAttribute(\"visits\", 1); } }\n",),
              remote_only=True),
    TaintRule("java-tainted-deserialization", "deserialization", "deserialisation of untrusted data", "CWE-502",
              "deserialization", "Request bytes are deserialised: remote code execution.",
              "Use a data format (JSON) with fixed types.", JAVA,
              positive=("class A { Object f(HttpServletRequest req) throws Exception {\n"
                        "  return new ObjectInputStream(req.getInputStream()).readObject(); } }\n",),
              negative=("class A { Object f(HttpServletRequest req) throws Exception {\n"
                        "  return new ObjectMapper().readValue(req.getInputStream(), Order.class); } }\n",)),
    TaintRule("java-tainted-code", "code", "code injection", "CWE-94", "injection",
              "Request data is evaluated as a script or expression.", "Never evaluate request data.", JAVA,
              positive=("class A { Object f(@RequestParam String expr, ExpressionParser p) {\n"
                        "  return p.parseExpression(expr).getValue(); } }\n",),
              negative=("class A { Object f(@RequestParam String expr, ExpressionParser p) {\n"
                        "  return p.parseExpression(\"1 + 1\").getValue(); } }\n",)),
]

SPEC = LanguageSpec(
    languages=JAVA,
    call_queries=("(method_invocation object: (_) @obj name: (identifier) @name arguments: (argument_list) @args) @call",
                  "(method_invocation !object name: (identifier) @name arguments: (argument_list) @args) @call",
                  "(object_creation_expression type: (_) @callee arguments: (argument_list) @args) @call"),
    rules=RULES,
    assignment_queries=("(variable_declarator name: (identifier) @lhs value: (_) @rhs)",
                        "(assignment_expression left: (identifier) @lhs right: (_) @rhs)",
                        "(enhanced_for_statement name: (identifier) @lhs value: (_) @rhs)",
                        # builders and collections: sb.append(x) / list.add(x) / map.put(k, x) carry x
                        "(expression_statement (method_invocation object: (identifier) @lhs"
                        " name: (identifier) @m arguments: (argument_list) @rhs)"
                        " (#match? @m \"^(append|add|addAll|put|putAll|insert|push|offer|addFirst|addLast|set)$\"))"),
    function_types=frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
    const_leaves=frozenset({"string_fragment", "escape_sequence", "decimal_integer_literal", "hex_integer_literal",
                            "true", "false", "null_literal", "character_literal", "multiline_string_fragment",
                            "line_comment", "block_comment", "decimal_floating_point_literal"}),
    composites=frozenset({"string_literal", "binary_expression", "parenthesized_expression", "ternary_expression"}),
    string_types=frozenset({"string_literal"}),
    comment_types=frozenset({"line_comment", "block_comment"}),
    taint_words=frozenset({"HttpServletRequest", "ServletRequest", "getParameter", "getHeader", "getQueryString",
                           "getCookies", "getInputStream", "getReader", "RequestParam", "PathVariable",
                           "RequestBody", "RequestHeader", "CookieValue", "ModelAttribute", "RequestPart",
                           "QueryParam", "PathParam", "FormParam", "HeaderParam", "ServerRequest", "MultipartFile",
                           "getRequestURI", "getPathInfo", "getParameterValues", "getParameterMap", "queryParam",
                           "getenv", "HttpEntity", "RequestEntity", "getPart"}),
    source_node=request_getter,
    parameter_sources=typed_parameters("parameters", "type", ("name",), _request_parameter),
    sanitizers=ALL_SANITISERS,
    taint_rules=TAINT_RULES,
    local_sources=LOCAL_SOURCES,
)
