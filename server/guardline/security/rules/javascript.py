"""JavaScript / TypeScript / TSX security rules and taint tables (one table, three grammars)."""

from __future__ import annotations

import re
from typing import Iterable

from tree_sitter import Node

from guardline.parsing import ParsedDocument
from guardline.security.engine import (
    Hit, KeyedStore, LanguageSpec, ParamSource, Rule, TaintRule, any_of, arg_matches, arg_not_const, arg_text_in,
    capture_not_const, file_imports, kw_true, sql_built,
)
from guardline.security.prefilter import Captures
from guardline.security.rules.common import in_security_function

JS = ("javascript", "typescript", "tsx")
JSX = ("javascript", "tsx")


def any_arg_not_const(hit: Hit) -> bool:
    return any(not hit.ctx.is_const(arg) for arg in hit.args)


def stringy_first_arg(hit: Hit) -> bool:
    """setTimeout("code") / setTimeout(`code ${x}`) / setTimeout("a" + b): code as a string; in
    TypeScript also a name declared `: string` in its function (a parameter, a let/const)."""
    arg = hit.arg(0)
    if arg is None:
        return False
    if arg.type in ("string", "template_string"):
        return True
    if arg.type == "identifier":
        return declared_as_string(hit, arg)
    return arg.type == "binary_expression" and any(c.type in ("string", "template_string") for c in arg.named_children)


def declared_as_string(hit: Hit, ident: Node) -> bool:
    """TypeScript: ``ident`` is declared `name: string` (or `name?: string`) in its function, else in
    the file when it is at module level."""
    if hit.ctx.doc.language not in ("typescript", "tsx"):
        return False
    scope = hit.ctx.scope_of(ident)
    info = hit.ctx.function_info(scope) if scope >= 0 else None
    where = info.node if info is not None else hit.ctx.doc.root
    pattern = rf"(?<![\w$.]){re.escape(hit.text(ident))}\s*\??\s*:\s*string\b"
    return re.search(pattern, hit.text(where)) is not None


def _option_text(hit: Hit, name: str) -> str | None:
    node = hit.arg(name)
    return hit.text(node) if node is not None else None


def cookie_insecure(hit: Hit) -> bool:
    """res.cookie(name, value[, options]) without secure: true, or with httpOnly: false / sameSite none."""
    if len(hit.args) < 2:
        return False
    options = hit.arg(2)
    if options is None or options.type != "object":
        return options is None
    secure = _option_text(hit, "secure")
    if secure is None or secure == "false":
        return True
    if _option_text(hit, "httpOnly") == "false":
        return True
    same_site = _option_text(hit, "sameSite") or ""
    return same_site.strip("'\"`").lower() == "none"


def cors_any(hit: Hit) -> bool:
    if not hit.args:
        return True  # cors() allows every origin
    origin = _option_text(hit, "origin")
    return origin is not None and (origin in ("true", "'*'", '"*"', "`*`"))


def header_any_origin(hit: Hit) -> bool:
    name, value = hit.arg(0), hit.arg(1)
    return name is not None and value is not None and \
        (hit.ctx.string_value(name) or "").lower() == "access-control-allow-origin" and hit.ctx.string_value(value) == "*"


def noent_true(hit: Hit) -> bool:
    return _option_text(hit, "noent") == "true"


def jwt_none_algorithm(hit: Hit) -> bool:
    algorithms = _option_text(hit, "algorithms") or ""
    return re.search(r"(?i)['\"`]none['\"`]", algorithms) is not None


RULES: list[Rule] = [
    Rule("js-eval", "eval of a non-literal", "injection", "CWE-95",
         "eval runs whatever string reaches it, including attacker input.",
         "Parse data with JSON.parse; dispatch through a map of allowed functions.",
         JS, calls=("eval", "window.eval", "globalThis.eval", "mathjs.eval", "mathjs.evaluate", "safe-eval",
                    "notevil", "static-eval"), when=arg_not_const(0), taint="code",
         confidence="medium",
         positive=("function run(expr) {\n  return eval(expr);\n}\n", "const v = eval(`(${body})`);\n"),
         negative=("const v = eval('1 + 2');\n", "const v = JSON.parse(body);\n")),
    Rule("js-new-function", "new Function from a non-literal", "injection", "CWE-95",
         "The Function constructor compiles its string argument like eval.",
         "Avoid building code at run time; use a lookup table of functions.",
         JS, calls=("Function", "window.Function"), when=any_arg_not_const, taint="code", taint_args=("*",),
         confidence="medium",
         positive=("const f = new Function('a', body);\n",),
         negative=("const f = new Function('a', 'return a * 2');\n",)),
    Rule("js-string-timer", "setTimeout/setInterval with a string", "injection", "CWE-95",
         "A string passed to a timer is evaluated like eval.", "Pass a function instead of a string.",
         JS, calls=("setTimeout", "setInterval", "window.setTimeout", "window.setInterval"),
         when=stringy_first_arg, taint="code", confidence="high",
         positive=("setTimeout('refresh(' + id + ')', 100);\n", "setInterval(`tick()`, 1000);\n"),
         negative=("setTimeout(() => refresh(id), 100);\n", "setInterval(tick, 1000);\n")),
    Rule("js-child-process-exec", "child_process.exec with a non-literal command", "command-injection", "CWE-78",
         "exec runs the string through /bin/sh, so untrusted parts inject commands.",
         "Use execFile/spawn with an argument array (no shell).",
         JS, calls=("child_process.exec", "child_process.execSync"), when=arg_not_const(0), taint="command",
         confidence="high",
         positive=("const cp = require('child_process');\ncp.exec('git log ' + branch, cb);\n",
                   "import { execSync } from 'node:child_process';\nexecSync(`rm -rf ${dir}`);\n",
                   "const { exec: run } = require('child_process');\nrun(cmd);\n"),
         negative=("const cp = require('child_process');\ncp.exec('git status', cb);\n",
                   "const { execFile } = require('child_process');\nexecFile('git', ['log', branch], cb);\n")),
    Rule("js-child-process-shell", "child_process spawn with shell: true", "command-injection", "CWE-78",
         "shell: true makes spawn/execFile parse the command line with a shell.",
         "Drop shell: true and pass arguments as an array.",
         JS, calls=("child_process.spawn", "child_process.spawnSync", "child_process.execFile",
                    "child_process.execFileSync"), when=kw_true("shell"), taint="command", confidence="high",
         positive=("const { spawn } = require('child_process');\nspawn(cmd, { shell: true });\n",),
         negative=("const { spawn } = require('child_process');\nspawn('ls', ['-l'], { cwd });\n",)),
    Rule("js-inner-html", "innerHTML/outerHTML set from a non-literal", "xss", "CWE-79",
         "Markup assigned to innerHTML is parsed and scripts in attributes run.",
         "Use textContent, or sanitise with DOMPurify.sanitize().",
         JS, needles=("innerHTML", "outerHTML"),
         query="((assignment_expression left: (member_expression property: (property_identifier) @p)"
                   " right: (_) @value) @hit (#match? @p \"^(innerHTML|outerHTML)$\"))\n"
                   "((augmented_assignment_expression left: (member_expression property: (property_identifier) @p)"
                   " right: (_) @value) @hit (#match? @p \"^(innerHTML|outerHTML)$\"))",
         when=capture_not_const("value"), taint="xss", taint_args=("@value",), confidence="medium",
         positive=("el.innerHTML = '<b>' + name + '</b>';\n", "node.outerHTML = html;\n"),
         negative=("el.innerHTML = '<b>static</b>';\n", "el.textContent = name;\n")),
    Rule("js-document-write", "document.write with a non-literal", "xss", "CWE-79",
         "document.write parses its argument as HTML.", "Build DOM nodes and set textContent.",
         JS, calls=("document.write", "document.writeln", "window.document.write"), when=arg_not_const(0),
         taint="xss", confidence="medium",
         positive=("document.write('<p>' + location.hash + '</p>');\n",),
         negative=("document.write('<p>hello</p>');\n",)),
    Rule("js-insert-adjacent-html", "insertAdjacentHTML with a non-literal", "xss", "CWE-79",
         "The HTML string is parsed and inserted; scripts in attributes run.",
         "Use insertAdjacentText or sanitise with DOMPurify.",
         JS, calls=("*.insertAdjacentHTML",), when=arg_not_const(1), taint="xss", taint_args=(1,),
         confidence="medium",
         positive=("list.insertAdjacentHTML('beforeend', `<li>${item}</li>`);\n",),
         negative=("list.insertAdjacentHTML('beforeend', '<li>done</li>');\n",)),
    Rule("js-react-dangerously-set-inner-html", "React dangerouslySetInnerHTML with dynamic HTML", "xss",
         "CWE-79", "React skips escaping for this prop; injected markup runs in the page.",
         "Render text as children, or sanitise with DOMPurify before passing __html.",
         JSX, needles=("dangerouslySetInnerHTML",),
         query="((jsx_attribute (property_identifier) @p (_) @value) @hit"
                    " (#eq? @p \"dangerouslySetInnerHTML\"))",
         when=capture_not_const("value"), taint="xss", taint_args=("@value",), confidence="medium",
         positive=("const C = ({ html }) => <div dangerouslySetInnerHTML={{ __html: html }} />;\n",),
         negative=("const C = () => <div dangerouslySetInnerHTML={{ __html: '<br/>' }} />;\n",
                   "const C = ({ text }) => <div>{text}</div>;\n")),
    Rule("js-weak-hash", "MD5/SHA-1 hash", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical; they must not protect passwords, signatures or tokens.",
         "Use sha256 (or bcrypt/scrypt/argon2 for passwords).",
         JS, calls=("crypto.createHash",), when=arg_text_in(0, ("md5", "sha1", "md4", "md2", "ripemd160")),
         confidence="medium",
         positive=("const crypto = require('crypto');\nconst h = crypto.createHash('md5').update(pw).digest('hex');\n",
                   "import { createHash } from 'node:crypto';\ncreateHash('sha1');\n"),
         negative=("const crypto = require('crypto');\ncrypto.createHash('sha256');\n",)),
    Rule("js-weak-cipher", "weak cipher or ECB mode", "weak-cryptography", "CWE-327",
         "DES, 3DES, RC2/RC4, Blowfish and ECB mode do not protect confidentiality today.",
         "Use aes-256-gcm with a random IV.",
         JS, calls=("crypto.createCipheriv", "crypto.createDecipheriv", "crypto.createCipher"),
         when=any_of(lambda hit: hit.callee.endswith("createCipher"),
                     arg_matches(0, r"(?i)(^des|rc4|rc2|blowfish|^bf-|-ecb$|^aes-\d+-ecb)")),
         confidence="high",
         positive=("const crypto = require('crypto');\ncrypto.createCipheriv('des-ede3', key, iv);\n",
                   "const crypto = require('crypto');\ncrypto.createCipheriv('aes-128-ecb', key, null);\n"),
         negative=("const crypto = require('crypto');\ncrypto.createCipheriv('aes-256-gcm', key, iv);\n",)),
    Rule("js-insecure-random", "Math.random used for a secret", "weak-random", "CWE-330",
         "Math.random is predictable; tokens and ids made with it can be guessed.",
         "Use crypto.randomBytes / crypto.randomUUID / crypto.getRandomValues.",
         JS, calls=("Math.random",), when=in_security_function, confidence="medium",
         positive=("const resetToken = Math.random().toString(36).slice(2);\n",
                   "function makeSessionId() {\n  return Math.random().toString(16);\n}\n"),
         negative=("const jitter = Math.random() * 100;\n",)),
    Rule("js-tls-reject-unauthorized", "TLS certificate checks disabled", "insecure-transport", "CWE-295",
         "rejectUnauthorized: false / NODE_TLS_REJECT_UNAUTHORIZED=0 accept any certificate.",
         "Keep certificate validation on; pass the CA with the `ca` option.",
         JS, needles=("rejectUnauthorized", "NODE_TLS_REJECT_UNAUTHORIZED"),
         query="((pair key: (_) @k value: (false) @hit) (#match? @k \"^[\\\"']?rejectUnauthorized[\\\"']?$\"))\n"
                   "((assignment_expression left: (member_expression property: (property_identifier) @p)) @hit"
                   " (#eq? @p \"NODE_TLS_REJECT_UNAUTHORIZED\"))",
         confidence="high",
         positive=("const agent = new https.Agent({ rejectUnauthorized: false });\n",
                   "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';\n"),
         negative=("const agent = new https.Agent({ rejectUnauthorized: true, ca });\n",)),
    Rule("js-sql-concat", "SQL built by concatenation passed to query", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use placeholders: db.query('... WHERE id = $1', [id]).",
         JS, calls=("*.query", "*.execute", "*.raw", "*.$queryRawUnsafe", "*.$executeRawUnsafe"),
         when=sql_built(0), taint="sql", confidence="medium", taint_needs_when=False,
         positive=("db.query('SELECT * FROM users WHERE id = ' + req.params.id);\n",
                   "const sql = `DELETE FROM t WHERE id = ${id}`;\nawait pool.execute(sql);\n"),
         negative=("db.query('SELECT * FROM users WHERE id = $1', [id]);\n",
                   "const TABLE = 'users';\ndb.query('SELECT * FROM ' + TABLE);\n")),
    Rule("js-vm-code", "vm module runs a non-literal script", "injection", "CWE-95",
         "The vm module is not a security sandbox: code run through it can reach the host process.",
         "Never run untrusted code in vm; use a separate process with no privileges.",
         JS, calls=("vm.runInNewContext", "vm.runInThisContext", "vm.runInContext", "vm.Script", "vm.compileFunction"),
         when=arg_not_const(0), taint="code", confidence="medium",
         positive=("const vm = require('vm');\nvm.runInNewContext(code, sandbox);\n",),
         negative=("const vm = require('vm');\nvm.runInNewContext('1 + 1', {});\n",)),
    Rule("js-insecure-cookie", "cookie set without secure (or with httpOnly: false / sameSite none)",
         "insecure-cookie", "CWE-614",
         "A cookie without Secure travels over plain HTTP; without HttpOnly scripts can read it.",
         "res.cookie(name, value, { secure: true, httpOnly: true, sameSite: 'lax' }).",
         JS, calls=("res.cookie", "response.cookie", "reply.setCookie", "ctx.cookies.set", "*.cookies.set"),
         when=cookie_insecure, confidence="medium", extra_cwe=("CWE-1004",),
         positive=("res.cookie('sid', sid);\n", "res.cookie('sid', sid, { secure: false, httpOnly: true });\n"),
         negative=("res.cookie('sid', sid, { secure: true, httpOnly: true, sameSite: 'lax' });\n",)),
    Rule("js-cookie-flag-off", "cookie option secure/httpOnly set to false", "insecure-cookie", "CWE-614",
         "Session cookies configured without Secure/HttpOnly leak over HTTP or to scripts.",
         "Set secure: true and httpOnly: true.",
         JS, needles=("secure", "httpOnly"),
         query="((pair key: (property_identifier) @k value: (false) @hit) (#match? @k \"^(secure|httpOnly)$\"))",
         confidence="medium",
         positive=("app.use(session({ secret: s, cookie: { secure: false } }));\n",),
         negative=("app.use(session({ secret: s, cookie: { secure: true, httpOnly: true } }));\n",)),
    Rule("js-cors-any-origin", "CORS allows every origin", "insecure-configuration", "CWE-942",
         "Any web site may call the API from the browser and read the responses.",
         "Pass cors({ origin: ['https://app.example.org'] }).",
         JS, calls=("cors",), when=cors_any, confidence="medium",
         positive=("const cors = require('cors');\napp.use(cors());\n",
                   "const cors = require('cors');\napp.use(cors({ origin: '*' }));\n"),
         negative=("const cors = require('cors');\napp.use(cors({ origin: 'https://app.example.org' }));\n",)),
    Rule("js-cors-header-any", "Access-Control-Allow-Origin: * set on a response", "insecure-configuration",
         "CWE-942", "Every origin may read the response.", "Echo only allow-listed origins.",
         JS, calls=("*.setHeader", "*.header", "*.set", "*.append"), when=header_any_origin, confidence="high",
         positive=("res.setHeader('Access-Control-Allow-Origin', '*');\n",),
         negative=("res.setHeader('Access-Control-Allow-Origin', 'https://app.example.org');\n",)),
    Rule("js-jwt-decode", "JWT decoded without verifying its signature", "jwt", "CWE-347",
         "jwt.decode does not check the signature: anyone can forge the claims it returns.",
         "Use jwt.verify(token, key, { algorithms: ['HS256'] }).",
         JS, calls=("jsonwebtoken.decode", "jwt-decode", "jwt-decode.jwtDecode", "jwt-decode.default"),
         confidence="medium",
         positive=("const jwt = require('jsonwebtoken');\nconst claims = jwt.decode(token);\n",),
         negative=("const jwt = require('jsonwebtoken');\nconst claims = jwt.verify(token, key, { algorithms: ['HS256'] });\n",)),
    Rule("js-jwt-none-algorithm", "JWT verified with the 'none' algorithm allowed", "jwt", "CWE-347",
         "Accepting alg 'none' accepts unsigned tokens.", "List only real algorithms (HS256, RS256, ...).",
         JS, calls=("jsonwebtoken.verify",), when=jwt_none_algorithm, confidence="high",
         positive=("const jwt = require('jsonwebtoken');\njwt.verify(t, k, { algorithms: ['none', 'HS256'] });\n",),
         negative=("const jwt = require('jsonwebtoken');\njwt.verify(t, k, { algorithms: ['HS256'] });\n",)),
    Rule("js-xxe-noent", "libxmljs parse with noent: true (XXE)", "xxe", "CWE-611",
         "noent substitutes external entities, so the document can read local files.",
         "Leave noent off (the default).",
         JS, calls=("libxmljs.parseXml", "libxmljs.parseXmlString", "libxmljs2.parseXml", "libxmljs2.parseXmlString"),
         when=noent_true, confidence="high",
         positive=("const libxmljs = require('libxmljs');\nlibxmljs.parseXml(body, { noent: true });\n",),
         negative=("const libxmljs = require('libxmljs');\nlibxmljs.parseXml(body, { noent: false });\n",)),
    Rule("js-unserialize", "node-serialize / funcster unserialize", "deserialization", "CWE-502",
         "These libraries revive functions from the data, so a crafted payload runs code.",
         "Use JSON.parse for untrusted data.",
         JS, calls=("node-serialize.unserialize", "serialize-to-js.deserialize", "funcster.deepDeserialize"),
         taint="deserialization", confidence="high",
         positive=("const serialize = require('node-serialize');\nserialize.unserialize(body);\n",),
         negative=("const data = JSON.parse(body);\n",)),
    Rule("js-redirect", "redirect to a URL", "open-redirect", "CWE-601", "", "", JS,
         calls=("res.redirect", "response.redirect", "ctx.redirect", "reply.redirect", "location.assign",
                "location.replace", "window.location.assign", "window.location.replace", "window.open",
                "next/navigation.redirect", "NextResponse.redirect"),
         tier="B", taint="redirect", taint_args=(0, -1)),
    Rule("js-location-assign", "location set from a value", "open-redirect", "CWE-601", "", "", JS,
         needles=("location",),
         query="((assignment_expression left: [(member_expression) (identifier)] @target right: (_) @value) @hit"
               " (#match? @target \"^(window\\.|document\\.)?location(\\.href)?$\"))",
         tier="B", taint="redirect", taint_args=("@value",)),
    Rule("js-session-store", "value stored in the session", "trust-boundary", "CWE-501", "", "", JS,
         needles=("session",),
         query="((assignment_expression left: (member_expression object: (_) @obj) right: (_) @value) @hit"
               " (#match? @obj \"(^|\\.)session$\"))",
         tier="B", taint="trust", taint_args=("@value",)),
    Rule("js-ldap-search", "LDAP search filter (ldapjs)", "ldap-injection", "CWE-90", "", "", JS,
         calls=("*.search",), when=file_imports("ldapjs"), tier="B", taint="ldap", taint_args=("filter", 1)),
    Rule("js-xpath-query", "XPath expression evaluated", "xpath-injection", "CWE-643", "", "", JS,
         calls=("xpath.select", "xpath.select1", "xpath.evaluate", "xpath.parse", "document.evaluate", "*.evaluate"),
         when=lambda hit: not hit.callee.endswith(".evaluate") or hit.callee == "document.evaluate"
         or file_imports("xpath")(hit), tier="B", taint="xpath"),
    Rule("js-angular-bypass-sanitizer", "Angular DomSanitizer bypass with a non-literal", "xss", "CWE-79",
         "bypassSecurityTrust* turns off Angular's sanitising for the value: injected markup or URLs run.",
         "Let Angular sanitise; bypass only constants or values sanitised with DOMPurify.",
         JS, calls=tuple(f"*.bypassSecurityTrust{kind}" for kind in ("Html", "Script", "Style", "Url", "ResourceUrl")),
         when=arg_not_const(0), taint="xss", confidence="medium",
         positive=("this.html = this.sanitizer.bypassSecurityTrustHtml(comment);\n",),
         negative=("this.html = this.sanitizer.bypassSecurityTrustHtml('<b>hi</b>');\n",)),
    Rule("js-jquery-html", "jQuery HTML insertion", "xss", "CWE-79", "", "", JS,
         calls=tuple(f"*.{m}" for m in ("html", "append", "prepend", "after", "before", "replaceWith", "wrap")),
         when=lambda hit: hit.callee.startswith(("$", "jQuery")) or file_imports("jquery")(hit),
         tier="B", taint="xss", taint_args=(0,)),
    Rule("js-regexp-injection", "regular expression built from a value", "dos", "CWE-1333", "", "", JS,
         calls=("RegExp",), tier="B", taint="regex", taint_args=(0,)),
    Rule("js-nosql-query", "MongoDB/Mongoose query object", "injection", "CWE-943", "", "", JS,
         calls=tuple(f"*.{m}" for m in ("find", "findOne", "findOneAndUpdate", "findOneAndDelete", "updateOne",
                                        "updateMany", "deleteOne", "deleteMany", "countDocuments", "where",
                                        "findById", "aggregate")),
         when=any_of(file_imports("mongoose", "mongodb", "marsdb", "monk", "mongojs", "mquery", "nedb"),
                     lambda hit: hit.arg(0) is not None and "$where" in hit.text(hit.arg(0))),
         tier="B", taint="nosql", taint_args=(0,)),
    Rule("js-property-injection", "object property chosen by a value", "injection", "CWE-1321", "", "", JS,
         # the key's usual spellings (a ranged query around every `] =` cost 90 ms on a 3,000-line file)
         needles=("[req.", "[request.", "[ctx.", "[key]", "[name]", "[prop]", "[field]", "[k]", "[attr]", "[path]",
                  "[property]", "[param]"),
         query="(assignment_expression left: (subscript_expression object: (_) @obj index: (_) @key) right: (_)) @hit",
         when=lambda hit: (key := hit.capture("key")) is not None and key.type not in ("number", "string"),
         tier="B", taint="prototype", taint_args=("@key",)),
    Rule("js-merge-pollution", "deep merge of a value into an object", "injection", "CWE-1321", "", "", JS,
         calls=("lodash.merge", "lodash.mergeWith", "lodash.defaultsDeep", "lodash.set", "lodash.setWith",
                "lodash.zipObjectDeep", "deepmerge", "merge", "mixin-deep", "set-value", "dot-prop.set"),
         tier="B", taint="prototype", taint_args=("*",)),
    Rule("js-post-message-any-origin", "postMessage to any origin ('*')", "insecure-configuration", "CWE-345",
         "A message sent with targetOrigin '*' can be read by whatever page the window shows.",
         "Pass the exact target origin.",
         JS, calls=("*.postMessage",), when=arg_text_in(1, ("*",)), confidence="medium",
         positive=("parent.postMessage(token, '*');\n",),
         negative=("parent.postMessage(token, 'https://app.example.org');\n",)),
    Rule("js-yaml-load", "js-yaml load (unsafe schema before js-yaml 4)", "deserialization", "CWE-502", "", "", JS,
         calls=("js-yaml.load", "yaml.load"), when=file_imports("js-yaml"), tier="B", taint="deserialization"),
    # Tier B-only sinks
    Rule("js-fs-path", "file system access by path", "path-traversal", "CWE-22", "", "", JS,
         calls=tuple(f"{mod}.{f}" for mod in ("fs", "fs/promises", "fs.promises", "fs-extra")
                     for f in ("readFile", "readFileSync", "writeFile", "writeFileSync", "appendFile", "appendFileSync",
                               "createReadStream", "createWriteStream", "unlink", "unlinkSync", "rm", "rmSync",
                               "readdir", "readdirSync", "open", "openSync", "stat", "statSync", "access",
                               "existsSync", "copyFile", "rename", "mkdir", "mkdirSync"))
         + ("*.sendFile", "*.download", "express.static", "send"),
         tier="B", taint="path", taint_args=(0,)),
    Rule("js-http-url", "HTTP request to a URL", "ssrf", "CWE-918", "", "", JS,
         calls=("fetch", "axios", "axios.get", "axios.post", "axios.put", "axios.patch", "axios.delete",
                "axios.head", "axios.request", "http.get", "https.get", "http.request", "https.request", "got",
                "got.get", "got.post", "needle", "needle.get", "superagent.get", "superagent.post", "node-fetch",
                "undici.request", "undici.fetch", "request.get", "request.post", "window.fetch"),
         tier="B", taint="ssrf"),
    Rule("js-response-write", "HTTP response body", "xss", "CWE-79", "", "", JS,
         calls=("res.send", "res.write", "res.end", "response.send", "response.write", "ctx.body", "reply.send",
                "res.status.send"),
         # an object or array is sent as JSON, not HTML
         when=lambda hit: (body := hit.arg(0)) is not None and body.type not in ("object", "array"),
         tier="B", taint="xss"),
    Rule("js-spawn-command", "process spawned", "command-injection", "CWE-78", "", "", JS,
         calls=("child_process.spawn", "child_process.spawnSync", "child_process.execFile",
                "child_process.execFileSync"), tier="B", taint="command"),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("js-tainted-regex", "regex", "regular expression injection (ReDoS)", "CWE-1333", "dos",
              "A request value is compiled as a regular expression: catastrophic backtracking stalls the server.",
              "Escape the value (lodash.escapeRegExp) or match it as plain text.", JS,
              positive=("app.get('/s', (req, res) => {\n  const re = new RegExp(req.query.q);\n});\n",),
              negative=("app.get('/s', (req, res) => {\n  const re = new RegExp('^[a-z]+$');\n});\n",), remote_only=True),
    TaintRule("js-tainted-nosql", "nosql", "NoSQL injection", "CWE-943", "injection",
              "A request value (possibly an object such as {$ne: null}) becomes part of a MongoDB query.",
              "Cast to String()/Number() or sanitise with mongo-sanitize.", JS,
              positive=("const mongoose = require('mongoose');\napp.post('/l', async (req, res) => {\n"
                        "  await User.findOne({ name: req.body.name });\n});\n",),
              negative=("const mongoose = require('mongoose');\napp.post('/l', async (req, res) => {\n"
                        "  await User.findOne({ name: String(req.body.name) });\n});\n",), remote_only=True),
    TaintRule("js-tainted-prototype", "prototype", "prototype pollution / remote property injection", "CWE-1321",
              "injection", "A request value chooses the property written (__proto__ pollutes every object).",
              "Use a Map, or reject __proto__/constructor/prototype keys.", JS,
              positive=("app.post('/p', (req, res) => {\n  settings[req.body.key] = req.body.value;\n});\n",),
              negative=("app.post('/p', (req, res) => {\n  settings.theme = req.body.value;\n});\n",), remote_only=True),
    TaintRule("js-tainted-redirect", "redirect", "open redirect", "CWE-601", "open-redirect",
              "A request/URL value chooses where the browser goes (phishing through a trusted domain).",
              "Redirect only to relative paths or allow-listed hosts.", JS,
              positive=("app.get('/go', (req, res) => {\n  res.redirect(req.query.next);\n});\n",),
              negative=("app.get('/go', (req, res) => {\n  res.redirect('/home');\n});\n",), remote_only=True),
    TaintRule("js-tainted-trust-boundary", "trust", "trust boundary violation", "CWE-501", "trust-boundary",
              "Unvalidated request data is stored in the session, where later code trusts it.",
              "Validate the value before storing it in the session.", JS,
              positive=("app.post('/l', (req, res) => {\n  req.session.user = req.body.user;\n});\n",),
              negative=("app.post('/l', (req, res) => {\n  req.session.visits = 1;\n});\n",), remote_only=True),
    TaintRule("js-tainted-ldap", "ldap", "LDAP injection", "CWE-90", "ldap-injection",
              "A request value is spliced into an LDAP filter.", "Escape filter values (ldap-escape).", JS,
              positive=("const ldap = require('ldapjs');\napp.get('/u', (req, res) => {\n"
                        "  client.search('o=x', { filter: '(uid=' + req.query.u + ')' }, cb);\n});\n",),
              negative=("const ldap = require('ldapjs');\napp.get('/u', (req, res) => {\n"
                        "  client.search('o=x', { filter: '(uid=admin)' }, cb);\n});\n",), remote_only=True),
    TaintRule("js-tainted-xpath", "xpath", "XPath injection", "CWE-643", "xpath-injection",
              "A request value is spliced into an XPath expression.", "Use XPath variables or escape the value.",
              JS,
              positive=("const xpath = require('xpath');\napp.get('/u', (req, res) => {\n"
                        "  xpath.select(\"//u[@n='\" + req.query.n + \"']\", doc);\n});\n",),
              negative=("const xpath = require('xpath');\napp.get('/u', (req, res) => {\n"
                        "  xpath.select(\"//u[@n='admin']\", doc);\n});\n",), remote_only=True),
    TaintRule("js-tainted-deserialization", "deserialization", "deserialisation of untrusted data", "CWE-502",
              "deserialization", "Request data is revived with functions: remote code execution.",
              "Use JSON.parse.", JS,
              positive=("const s = require('node-serialize');\napp.post('/x', (req, res) => {\n"
                        "  s.unserialize(req.body.state);\n});\n",),
              negative=("app.post('/x', (req, res) => {\n  JSON.parse(req.body.state);\n});\n",)),
    TaintRule("js-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "A request/argv/env value ends up in a command line.",
              "Use execFile/spawn with an argument array and validate the value.", JS,
              positive=("const { exec } = require('child_process');\napp.get('/ping', (req, res) => {\n"
                        "  exec('ping -c 1 ' + req.query.host);\n});\n",),
              negative=("const { exec } = require('child_process');\napp.get('/ping', (req, res) => {\n"
                        "  const n = parseInt(req.query.n, 10);\n  exec('seq ' + n);\n});\n",)),
    TaintRule("js-tainted-code", "code", "code injection", "CWE-95", "injection",
              "A request value is evaluated as JavaScript.", "Never evaluate input; parse it with JSON.parse.", JS,
              positive=("app.post('/calc', (req, res) => {\n  const expr = req.body.expr;\n  res.json(eval(expr));\n});\n",),
              negative=("app.post('/calc', (req, res) => {\n  const expr = '1 + 1';\n  res.json(eval(expr));\n});\n",)),
    TaintRule("js-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "A request value is spliced into SQL text.", "Use placeholders.", JS,
              positive=("app.get('/u', async (req, res) => {\n"
                        "  const rows = await db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);\n});\n",),
              negative=("app.get('/u', async (req, res) => {\n"
                        "  const rows = await db.query('SELECT * FROM users WHERE id = $1', [req.params.id]);\n});\n",)),
    TaintRule("js-tainted-xss", "xss", "cross-site scripting", "CWE-79", "xss",
              "A request/URL value is written as HTML.", "Escape it or set textContent.", JS,
              positive=("const q = location.hash.slice(1);\ndocument.getElementById('out').innerHTML = q;\n",
                        "app.get('/', (req, res) => {\n  res.send('<h1>' + req.query.name + '</h1>');\n});\n"),
              negative=("const q = location.hash.slice(1);\ndocument.getElementById('out').textContent = q;\n",
                        "app.get('/', (req, res) => {\n  res.send('<h1>' + escapeHtml(req.query.name) + '</h1>');\n});\n"),
              remote_only=True),
    TaintRule("js-tainted-path", "path", "path traversal", "CWE-22", "path-traversal",
              "A request value chooses which file is read or written.",
              "Resolve the path and check it stays under an allowed root.", JS,
              positive=("const fs = require('fs');\napp.get('/f', (req, res) => {\n"
                        "  fs.readFile('/data/' + req.query.name, (e, d) => res.send(d));\n});\n",),
              negative=("const fs = require('fs');\nconst path = require('path');\napp.get('/f', (req, res) => {\n"
                        "  fs.readFile('/data/' + path.basename(req.query.name), cb);\n});\n",),
              remote_only=True),
    TaintRule("js-tainted-ssrf", "ssrf", "server-side request forgery", "CWE-918", "ssrf",
              "A request value chooses the URL the server fetches.", "Allow-list hosts and schemes.", JS,
              positive=("app.get('/proxy', async (req, res) => {\n  const r = await fetch(req.query.url);\n});\n",),
              negative=("app.get('/proxy', async (req, res) => {\n  const r = await fetch('https://api.example.org');\n});\n",),
              remote_only=True),
]


def _fragment(doc: ParsedDocument, node: Node) -> str:
    return doc.node_text(node).strip("'\"`").removeprefix("node:")


def js_imports(captures: Captures, doc: ParsedDocument) -> Iterable[tuple[str, str]]:
    module = _fragment(doc, captures["mod"][0]) if captures.get("mod") else None
    if not module:
        return
    if captures.get("alias"):
        yield doc.node_text(captures["alias"][0]), module
    for pattern in captures.get("pattern", []):
        yield from _destructured_require(doc, pattern, module)
    for clause in captures.get("clause", []):
        yield from _import_clause(doc, clause, module)


def _destructured_require(doc: ParsedDocument, pattern: Node, module: str) -> Iterable[tuple[str, str]]:
    """``const { exec, spawn: run } = require('child_process')``."""
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            name = doc.node_text(child)
            yield name, f"{module}.{name}"
        elif child.type == "pair_pattern":
            key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
            if key is not None and value is not None and value.type == "identifier":
                yield doc.node_text(value), f"{module}.{doc.node_text(key)}"


def _import_clause(doc: ParsedDocument, clause: Node, module: str) -> Iterable[tuple[str, str]]:
    """``import x, * as ns, { a, b as c } from 'module'``."""
    for child in clause.named_children:
        if child.type == "identifier":
            yield doc.node_text(child), module
        elif child.type == "namespace_import":
            yield from ((doc.node_text(ident), module) for ident in child.named_children)
        elif child.type == "named_imports":
            yield from _named_imports(doc, child, module)


def _named_imports(doc: ParsedDocument, named: Node, module: str) -> Iterable[tuple[str, str]]:
    """``{ a, b as c }``: each local name -> module.imported_name."""
    for spec in named.named_children:
        name = spec.child_by_field_name("name")
        alias = spec.child_by_field_name("alias") or name
        if name is not None and alias is not None:
            yield doc.node_text(alias), f"{module}.{doc.node_text(name)}"


_REQUIRE = "value: (call_expression function: (identifier) @req arguments: (arguments (string) @mod))"
_WEB = ("req", "request", "ctx", "ctx.request")
SPEC = LanguageSpec(
    languages=JS,
    call_queries=("(call_expression function: (_) @callee arguments: (arguments) @args) @call",
                  "(new_expression constructor: (_) @callee arguments: (arguments) @args) @call"),
    rules=RULES,
    import_queries=(
        f"((variable_declarator name: (identifier) @alias {_REQUIRE}) (#eq? @req \"require\"))",
        f"((variable_declarator name: (object_pattern) @pattern {_REQUIRE}) (#eq? @req \"require\"))",
        "(import_statement (import_clause) @clause source: (string) @mod)",
    ),
    imports=js_imports,
    import_needles=("require", "import"),
    assignment_queries=("(variable_declarator name: (identifier) @lhs value: (_) @rhs)",
                        "(for_in_statement left: (identifier) @lhs right: (_) @rhs)",
                        "(assignment_expression left: (identifier) @lhs right: (_) @rhs)",
                        "(augmented_assignment_expression left: (identifier) @lhs right: (_) @rhs)"),
    function_types=frozenset({"function_declaration", "function_expression", "arrow_function",
                              "method_definition", "generator_function_declaration", "function"}),
    const_leaves=frozenset({"number", "true", "false", "null", "undefined", "string_fragment", "escape_sequence",
                            "comment", "regex", "property_identifier", "shorthand_property_identifier"}),
    composites=frozenset({"string", "template_string", "template_substitution", "binary_expression",
                          "parenthesized_expression", "array", "ternary_expression", "object", "pair",
                          "jsx_expression", "unary_expression"}),
    string_types=frozenset({"string", "template_string"}),
    object_kwargs=("object", "pair", "key"),
    call_format_methods=frozenset({"join", "trim", "toLowerCase", "toUpperCase", "concat"}),
    taint_sources=frozenset(
        [f"{base}.{attr}" for base in _WEB for attr in ("query", "body", "params", "headers", "cookies", "url",
                                                        "originalUrl", "path")]
        + ["process.argv", "process.env", "location.search", "location.hash", "location.href",
           "window.location.search", "window.location.hash", "window.location.href", "document.location.href",
           "document.location.hash", "document.cookie", "document.URL", "document.referrer", "window.name",
           "prompt"]),
    taint_source_types=frozenset({"member_expression", "identifier"}),
    # clean for every kind (numbers, booleans); the per-kind cleaners are in kind_sanitizers
    sanitizers=frozenset({"parseInt", "parseFloat", "Number", "Boolean", "isValid", "Math.floor", "Math.round",
                          "Math.abs", "Math.min", "Math.max", "isInteger", "Number.isInteger", "length"}),
    taint_rules=TAINT_RULES,
    param_sources=(
        # `req`/`request` is the incoming request when the function also takes the response (Express,
        # Node http, Next.js pages API) or is passed to a route method; library code names fetch
        # Request objects the same way
        # (needles: words the other conditions need, so a file without them skips the Tier B sinks)
        ParamSource("request parameter", name=r"req|request", with_param=r"res|response|reply|resp|h|next",
                    needles=("res", "response", "reply", "resp", "h", "next"), exclude=r"res|response"),
        ParamSource("route handler request", name=r"req|request|ctx",
                    callback_of=r"\.(get|post|put|patch|delete|del|all|use|route|head|options|handle)$",
                    needles=("get", "post", "put", "patch", "delete", "del", "all", "use", "route", "head",
                             "options", "handle"), exclude=r"res|response"),
        ParamSource("typed request parameter", needles=("Request", "NextRequest", "NextApiRequest", "FastifyRequest"),
                    text=r":\s*(express\.)?(Request|NextRequest|NextApiRequest|FastifyRequest)\b",
                    function=r"export\s+(default\s+)?(async\s+)?function|\b(app|router|server|fastify)\.",
                    exclude=r"res|response"),
        ParamSource("NestJS request parameter", text=r"@(Query|Body|Param|Headers|Req|Request|Cookies)\s*\(",
                    needles=("Query", "Body", "Param", "Headers", "Req", "Cookies")),
        ParamSource("Next.js route handler argument", needles=("GET", "POST", "PUT", "PATCH", "DELETE"),
                    function=r"export\s+(async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b"),
    ),
    kind_sanitizers={
        "xss": frozenset({"escape", "escapeHtml", "escapeHTML", "escape-html", "sanitize-html", "xss-filters.inHTMLData",
                          "dompurify.sanitize", "isomorphic-dompurify.sanitize", "lodash.escape", "he.encode", "sanitize", "DOMPurify.sanitize", "validator.escape",
                          "he.encode", "he.escape", "xss", "filterXSS", "encodeForHTML", "sanitizeHtml", "encodeURIComponent",
                          "encodeURI", "JSON.stringify", "json", "render", "redirect", "sendFile", "readFileSync",
                          "readFile", "execSync", "query", "exec", "eval", "spawnSync", "parseXml", "select"}),
        "command": frozenset({"quote", "shellescape", "shell-quote.quote", "shellEscape"}),
        "path": frozenset({"basename", "path.basename", "sanitize-filename", "sanitizeFilename"}),
        "ldap": frozenset({"ldap-escape.filter", "escapeFilter", "ldapEscape"}),
        "ssrf": frozenset(),
        "redirect": frozenset({"encodeURIComponent"}),
        "regex": frozenset({"escapeRegExp", "lodash.escapeRegExp", "escape-string-regexp", "escapeStringRegexp",
                            "_.escapeRegExp", "RegExp.escape"}),
        "nosql": frozenset({"String", "mongo-sanitize", "sanitize", "ObjectId", "Types.ObjectId", "toString",
                            "mongoose.Types.ObjectId", "escape"}),
        "prototype": frozenset({"String"}),
        "sql": frozenset({"escape", "mysql.escape", "pg-format", "format", "escapeId", "sqlstring.escape"}),
    },
    guard_patterns=(
        r"if\s*\(\s*!\s*[\w.$]+\.(includes|has)\(\s*{name}\s*\)\s*\)\s*\{?\s*(return|throw)\b",
        r"if\s*\(\s*!\s*/[^\n]+/[a-z]*\.test\(\s*{name}\s*\)\s*\)\s*\{?\s*(return|throw)\b",
        r"if\s*\(\s*!\s*[\w.$]+\.test\(\s*{name}\s*\)\s*\)\s*\{?\s*(return|throw)\b",
    ),
    ternary_types={"ternary_expression": ("condition", "consequence", "alternative")},
    list_ops={"push": "append", "unshift": "prepend", "shift": "popleft"},
    param_name_types=frozenset({"shorthand_property_identifier_pattern"}),
    keyed_stores=(
        KeyedStore("(assignment_expression left: (subscript_expression object: (identifier) @obj index: (_) @key)"
                   " right: (_) @value)"),
        KeyedStore("(assignment_expression left: (member_expression object: (identifier) @obj"
                   " property: (property_identifier) @key) right: (_) @value)"),
        KeyedStore("(call_expression function: (member_expression object: (identifier) @obj property:"
                   " (property_identifier) @method) arguments: (arguments (_) @key . (_) @value .))", methods=("set",)),
        KeyedStore("(call_expression function: (member_expression object: (identifier) @obj property:"
                   " (property_identifier) @method) arguments: (arguments . (_) @value .))",
                   methods=("push", "unshift", "add")),
    ),
    keyed_reads=(
        "(subscript_expression object: (identifier) @obj index: (_) @key) @read",
        "((call_expression function: (member_expression object: (identifier) @obj property: (property_identifier) @m)"
        " arguments: (arguments . (_) @key .)) @read (#eq? @m \"get\"))",
    ),
    local_sources=frozenset({"process.argv", "process.env", "prompt"}),
)
