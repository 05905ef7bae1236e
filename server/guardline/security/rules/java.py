"""Java security rules (Find Security Bugs-style checklist). Class names are matched as written."""

from __future__ import annotations

import re

from guardline.security.engine import (
    Hit, LanguageSpec, Rule, any_of, arg_matches, arg_not_const, arg_text_in, file_lacks, in_secret_context,
    sql_built,
)

JAVA = ("java",)
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "cmd", "cmd.exe", "powershell"}
XXE_GUARDS = (r"setFeature\s*\(|FEATURE_SECURE_PROCESSING|ACCESS_EXTERNAL_DTD|ACCESS_EXTERNAL_SCHEMA|"
              r"SUPPORT_DTD|disallow-doctype-decl|setExpandEntityReferences\s*\(\s*false")


def runtime_exec(hit: Hit) -> bool:
    receiver_is_runtime = "getRuntime" in hit.callee or re.search(r"\bRuntime\b", hit.ctx.doc.text) is not None
    return receiver_is_runtime and arg_not_const(0)(hit)


def process_builder_built(hit: Hit) -> bool:
    if any(a.type == "binary_expression" and not hit.ctx.is_const(a) for a in hit.args):
        return True
    shell = hit.ctx.string_value(hit.arg(0))
    flag = hit.ctx.string_value(hit.arg(1))
    script = hit.arg(2)
    return shell in SHELLS and flag in ("-c", "/c") and script is not None and not hit.ctx.is_const(script)


RULES: list[Rule] = [
    Rule("java-runtime-exec", "Runtime.exec with a non-literal command", "command-injection", "CWE-78",
         "The command string is split and run; untrusted parts choose the program and its arguments.",
         "Use ProcessBuilder with a fixed program and validated, separate arguments.",
         JAVA, calls=("*.exec",), when=runtime_exec, confidence="medium",
         positive=("class A { void f(String h) throws Exception { Runtime.getRuntime().exec(\"ping \" + h); } }\n",),
         negative=("class A { void f() throws Exception { Runtime.getRuntime().exec(\"uptime\"); } }\n",)),
    Rule("java-process-builder", "ProcessBuilder with a command built by concatenation", "command-injection",
         "CWE-78", "A command line built from strings lets untrusted parts inject arguments or commands.",
         "Pass the program and each argument separately; never through sh -c.",
         JAVA, calls=("ProcessBuilder", "java.lang.ProcessBuilder"), when=process_builder_built, confidence="medium",
         positive=("class A { void f(String d) { new ProcessBuilder(\"sh\", \"-c\", \"ls \" + d).start(); } }\n",),
         negative=("class A { void f(String d) { new ProcessBuilder(\"ls\", d).start(); } }\n",)),
    Rule("java-weak-hash", "MessageDigest MD5/SHA-1", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical.", "Use SHA-256 (or bcrypt/PBKDF2 for passwords).",
         JAVA, calls=("MessageDigest.getInstance", "java.security.MessageDigest.getInstance",
                      "DigestUtils.md5", "DigestUtils.md5Hex", "DigestUtils.sha1", "DigestUtils.sha1Hex",
                      "DigestUtils.shaHex"),
         when=any_of(lambda hit: "DigestUtils" in hit.callee,
                     arg_text_in(0, ("md5", "sha-1", "sha1", "md2", "md4", "sha"))),
         confidence="medium",
         positive=("class A { byte[] f(byte[] b) throws Exception { return MessageDigest.getInstance(\"MD5\").digest(b); } }\n",),
         negative=("class A { byte[] f(byte[] b) throws Exception { return MessageDigest.getInstance(\"SHA-256\").digest(b); } }\n",)),
    Rule("java-weak-cipher", "Cipher with DES/RC4/ECB", "weak-cryptography", "CWE-327",
         "DES, 3DES, RC2/RC4, Blowfish and ECB mode (the default for \"AES\") do not protect confidentiality.",
         "Use Cipher.getInstance(\"AES/GCM/NoPadding\").",
         JAVA, calls=("Cipher.getInstance", "javax.crypto.Cipher.getInstance"),
         when=arg_matches(0, r"(?i)^(des|desede|tripledes|rc2|rc4|arcfour|blowfish)|/ecb/|^aes$"),
         confidence="high",
         positive=("class A { void f() throws Exception { Cipher c = Cipher.getInstance(\"DES/CBC/PKCS5Padding\"); } }\n",
                   "class A { void f() throws Exception { Cipher c = Cipher.getInstance(\"AES\"); } }\n"),
         negative=("class A { void f() throws Exception { Cipher c = Cipher.getInstance(\"AES/GCM/NoPadding\"); } }\n",)),
    Rule("java-insecure-random", "java.util.Random used for a secret", "weak-cryptography", "CWE-330",
         "java.util.Random is predictable; tokens and keys made with it can be guessed.",
         "Use java.security.SecureRandom.",
         JAVA, calls=("Random", "java.util.Random", "Math.random"), when=in_secret_context(), confidence="medium",
         positive=("class A { String f() { long token = new Random().nextLong(); return \"\" + token; } }\n",),
         negative=("class A { int f() { int jitter = new Random().nextInt(10); return jitter; } }\n",)),
    Rule("java-sql-concat", "SQL built by concatenation passed to execute", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use PreparedStatement with ? placeholders.",
         JAVA, calls=tuple(f"*.{m}" for m in ("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
                                              "addBatch", "prepareStatement", "prepareCall", "createQuery",
                                              "createNativeQuery", "queryForList", "queryForObject")),
         when=sql_built(0), confidence="medium",
         positive=("class A { void f(Statement st, String id) throws Exception {\n"
                   "  st.executeQuery(\"SELECT * FROM users WHERE id = '\" + id + \"'\"); } }\n",),
         negative=("class A { void f(Connection c, String id) throws Exception {\n"
                   "  PreparedStatement p = c.prepareStatement(\"SELECT * FROM users WHERE id = ?\"); } }\n",)),
    Rule("java-object-input-stream", "Java deserialisation (ObjectInputStream/XMLDecoder)", "deserialization",
         "CWE-502", "readObject on untrusted bytes can run gadget chains (remote code execution).",
         "Use a data format (JSON) or an ObjectInputFilter allow-list.",
         JAVA, calls=("ObjectInputStream", "java.io.ObjectInputStream", "XMLDecoder", "java.beans.XMLDecoder"),
         confidence="medium",
         positive=("class A { Object f(InputStream in) throws Exception { return new ObjectInputStream(in).readObject(); } }\n",),
         negative=("class A { Object f(InputStream in) throws Exception { return new DataInputStream(in).readInt(); } }\n",)),
    Rule("java-xxe", "XML parser factory without secure features", "injection", "CWE-611",
         "By default these factories resolve external entities (XXE: file disclosure, SSRF).",
         "Set disallow-doctype-decl / FEATURE_SECURE_PROCESSING, or XMLConstants.ACCESS_EXTERNAL_DTD to \"\".",
         JAVA, calls=("DocumentBuilderFactory.newInstance", "SAXParserFactory.newInstance",
                      "XMLInputFactory.newInstance", "XMLInputFactory.newFactory", "TransformerFactory.newInstance",
                      "SchemaFactory.newInstance", "XMLReaderFactory.createXMLReader", "SAXReader", "SAXBuilder"),
         when=file_lacks(XXE_GUARDS), confidence="medium",
         positive=("class A { void f() throws Exception { DocumentBuilderFactory f = DocumentBuilderFactory.newInstance(); } }\n",),
         negative=("class A { void f() throws Exception { DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();\n"
                   "  f.setFeature(\"http://apache.org/xml/features/disallow-doctype-decl\", true); } }\n",)),
]

SPEC = LanguageSpec(
    languages=JAVA,
    call_queries=("(method_invocation object: (_) @obj name: (identifier) @name arguments: (argument_list) @args) @call",
                  "(method_invocation !object name: (identifier) @name arguments: (argument_list) @args) @call",
                  "(object_creation_expression type: (_) @callee arguments: (argument_list) @args) @call"),
    rules=RULES,
    assignment_queries=("(variable_declarator name: (identifier) @lhs value: (_) @rhs)",
                        "(assignment_expression left: (identifier) @lhs right: (_) @rhs)"),
    function_types=frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
    const_leaves=frozenset({"string_fragment", "escape_sequence", "decimal_integer_literal", "hex_integer_literal",
                            "true", "false", "null_literal", "character_literal", "multiline_string_fragment",
                            "text_block", "line_comment", "block_comment", "decimal_floating_point_literal"}),
    composites=frozenset({"string_literal", "binary_expression", "parenthesized_expression"}),
    string_types=frozenset({"string_literal"}),
    comment_types=frozenset({"line_comment", "block_comment"}),
)
