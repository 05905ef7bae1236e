"""Python security rules (Bandit's B1xx-B7xx catalog as the checklist) and taint tables."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from tree_sitter import Node

from guardline.parsing import ParsedDocument
from guardline.security.engine import (
    Hit, KeyedStore, LanguageSpec, ParamSource, Rule, TaintRule, all_of, any_of, arg_absent, arg_matches, arg_not_const, arg_text_in,
    file_imports, in_secret_context, kw_false, kw_true, not_, sql_built,
)
from guardline.security.prefilter import Captures
from guardline.security.rules.common import in_security_function
from guardline.security.secrets import looks_like_placeholder

PY = ("python",)

# ---------------------------------------------------------------- small Python-only predicates

PASSWORD_NAME = re.compile(r"(?i)(^|_)(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)(_|$)")
NOT_A_PASSWORD = re.compile(r"(?i)^(token|secret|password|pwd|passwd)[_ ]?(type|kind|name|field|key|url|"
                            r"path|file|prompt|label|header|endpoint|uri|param)?$|^[A-Z_]+$|^\w+://|\s")


def hardcoded_password(hit: Hit) -> bool:
    name = hit.text(hit.capture("name")).rsplit(".", 1)[-1]
    value = hit.ctx.string_value(hit.capture("value"))
    if not PASSWORD_NAME.search(name) or value is None:
        return False
    return len(value) >= 4 and not looks_like_placeholder(value) and not NOT_A_PASSWORD.search(value)


WEAK_HASHES = ("md5", "sha1", "md4", "md2", "sha", "ripemd160")


# string methods that test or take apart a text: the literal is compared with, not bound to
CHECK_METHODS = frozenset({"startswith", "endswith", "find", "rfind", "index", "count", "split", "partition",
                           "removeprefix", "removesuffix", "replace", "strip", "lstrip", "rstrip"})


def not_a_check(hit: Hit) -> bool:
    """The address literal is used, not tested: ``host == '0.0.0.0'`` and ``addr.startswith('0.0.0.0')``
    only look at an address someone else chose."""
    parent = hit.node.parent
    if parent is None or parent.type == "comparison_operator":
        return parent is None
    call = parent.parent if parent.type == "argument_list" else None
    function = call.child_by_field_name("function") if call is not None and call.type == "call" else None
    attribute = function.child_by_field_name("attribute") if function is not None and function.type == "attribute" else None
    return attribute is None or hit.text(attribute) not in CHECK_METHODS


def weak_hash_name(hit: Hit) -> bool:
    """hashlib.md5/sha1, or hashlib.new with a weak name (a literal or a constant it folds to)."""
    if not hit.callee.endswith(".new"):
        return True
    if arg_text_in(0, WEAK_HASHES)(hit):
        return True
    name = hit.arg(0) or hit.arg("name")
    value = flow_constant(hit, name)
    return isinstance(value, str) and value.lower().replace("-", "") in WEAK_HASHES


def flow_constant(hit: Hit, node: Node | None) -> Any:
    """The constant value ``node`` stands for (through one reaching assignment), or None."""
    from guardline.security.flow import NOT_CONSTANT, constant_value
    if node is None:
        return None
    if node.type == "identifier":
        values = hit.ctx.reaching_values(hit.ctx.scope_of(node), hit.text(node), node.start_byte) or []
        node = values[0] if len(values) == 1 else node
        keyed = hit.ctx.keyed_candidates(node)
        if keyed is not None and len(keyed) == 1:
            node = keyed[0]
    value = constant_value(hit.ctx, node)
    return None if value is NOT_CONSTANT else value


def html_response(hit: Hit) -> bool:
    """A response whose declared type is not HTML (text/plain, JSON) cannot carry XSS."""
    for name in ("mimetype", "content_type", "media_type"):
        node = hit.arg(name)
        if node is not None:
            value = hit.ctx.string_value(node)
            return value is None or "html" in value.lower()
    return True


def unsafe_yaml_loader(hit: Hit) -> bool:
    if hit.callee.endswith(("unsafe_load", "unsafe_load_all")):
        return True
    loader = hit.arg("Loader") or hit.arg(1)
    return loader is None or not hit.text(loader).endswith(("SafeLoader", "CSafeLoader", "BaseLoader"))


def permissive_mode(hit: Hit) -> bool:
    mode = hit.arg(1) or hit.arg("mode")
    if mode is None:
        return False
    text = hit.text(mode)
    if "S_IWOTH" in text or "S_IRWXO" in text:
        return True
    try:
        value = int(text.replace("_", ""), 0)
    except ValueError:
        return False
    return bool(value & 0o002) or bool(value & 0o020 and value & 0o010)


def unsafe_host_key_policy(hit: Hit) -> bool:
    arg = hit.arg(0)
    return arg is not None and re.search(r"AutoAddPolicy|WarningPolicy", hit.text(arg)) is not None


def autoescape_off(hit: Hit) -> bool:
    return arg_absent("autoescape")(hit) or kw_false("autoescape")(hit)


def shell_enabled(hit: Hit) -> bool:
    shell = hit.arg("shell")
    return shell is not None and hit.text(shell) not in ("False", "0", "None", "''", '""')





def in_view_function(hit: Hit) -> bool:
    """The return statement is in a Flask-style route handler and returns text: FastAPI/Starlette views
    and returned dicts/lists are serialised as JSON, so they are no HTML response."""
    value = hit.capture("value")
    if value is not None and value.type in ("dictionary", "list", "dictionary_comprehension", "list_comprehension"):
        return False
    if not hit.ctx.words & {b"flask", b"quart", b"bottle", b"django"} or hit.ctx.words & {b"fastapi", b"starlette"}:
        return False
    scope = hit.ctx.scope_of(hit.node)
    info = hit.ctx.function_info(scope) if scope >= 0 else None
    if info is None:
        return False
    if info.params and info.params[0][0] == "request" and b"django" in hit.ctx.words:
        return True
    return re.search(ROUTE_DECORATOR, flow_header(hit, info.node)) is not None


def flow_header(hit: Hit, fn: Node) -> str:
    from guardline.security.flow import function_header
    return function_header(hit.ctx, fn)


def cookie_insecure(hit: Hit) -> bool:
    """set_cookie without secure=True, or with httponly=False / samesite='None'."""
    secure = hit.arg("secure")
    if secure is None or hit.text(secure) in ("False", "0", "None"):
        return True
    httponly = hit.arg("httponly")
    if httponly is not None and hit.text(httponly) in ("False", "0", "None"):
        return True
    samesite = hit.arg("samesite")
    return samesite is not None and (hit.ctx.string_value(samesite) or hit.text(samesite)).lower() == "none"


def session_target(hit: Hit) -> bool:
    obj = hit.ctx.resolve(hit.text(hit.capture("obj")))
    return obj in ("flask.session", "session", "request.session", "self.request.session", "flask.g") \
        or obj.endswith(".session")


def entities_resolved(hit: Hit) -> bool:
    """lxml XMLParser(resolve_entities=True) (or no_network=False / huge_tree with entities on)."""
    resolve = hit.arg("resolve_entities")
    if resolve is not None:
        return hit.text(resolve) in ("True", "1")
    return False


def external_entities_feature(hit: Hit) -> bool:
    feature, value = hit.arg(0), hit.arg(1)
    if feature is None or value is None:
        return False
    return hit.text(feature).endswith(("feature_external_ges", "feature_external_pes", "external-general-entities",
                                       "external-parameter-entities\"", "external-general-entities\"")) \
        and hit.text(value) in ("True", "1")


def jwt_unverified(hit: Hit) -> bool:
    options = hit.arg("options")
    if options is not None and re.search(r"verify_signature['\"]\s*:\s*False", hit.text(options)):
        return True
    verify = hit.arg("verify")
    if verify is not None and hit.text(verify) == "False":
        return True
    algorithms = hit.arg("algorithms")
    return algorithms is not None and re.search(r"(?i)['\"]none['\"]", hit.text(algorithms)) is not None


def cors_any_origin(hit: Hit) -> bool:
    origins = hit.arg("origins")
    resources = hit.arg("resources")
    if origins is None and resources is None:
        return True  # flask_cors.CORS(app) allows every origin by default
    text = hit.text(origins) if origins is not None else hit.text(resources)
    return re.search(r"['\"]\*['\"]", text) is not None


INSECURE_SETTING = re.compile(
    r"(?:^|[.\['\"])(DEBUG|SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY|CSRF_COOKIE_HTTPONLY|"
    r"WTF_CSRF_ENABLED|CORS_ORIGIN_ALLOW_ALL|CORS_ALLOW_ALL_ORIGINS|debug|SECURE_SSL_REDIRECT|"
    r"REMEMBER_COOKIE_SECURE|REMEMBER_COOKIE_HTTPONLY)['\"]?\]?$")
SETTING_DANGER = {"DEBUG": "True", "debug": "True", "CORS_ORIGIN_ALLOW_ALL": "True", "CORS_ALLOW_ALL_ORIGINS": "True",
                  "SESSION_COOKIE_SECURE": "False", "CSRF_COOKIE_SECURE": "False", "SESSION_COOKIE_HTTPONLY": "False",
                  "CSRF_COOKIE_HTTPONLY": "__never__", "WTF_CSRF_ENABLED": "False", "SECURE_SSL_REDIRECT": "__never__",
                  "REMEMBER_COOKIE_SECURE": "False", "REMEMBER_COOKIE_HTTPONLY": "False"}
SETTING_GROUP = {"DEBUG": "debug", "debug": "debug", "CORS_ORIGIN_ALLOW_ALL": "cors", "CORS_ALLOW_ALL_ORIGINS": "cors",
                 "WTF_CSRF_ENABLED": "csrf"}


def setting_is(group: str) -> "Callable[[Hit], bool]":
    def check(hit: Hit) -> bool:
        match = INSECURE_SETTING.search(hit.text(hit.capture("name")))
        if match is None:
            return False
        name = match.group(1)
        return SETTING_GROUP.get(name, "cookie") == group and hit.text(hit.capture("value")) == SETTING_DANGER[name]
    return check


def argv_command(hit: Hit) -> bool:
    """subprocess without a shell: only a program chosen by the value, or `sh -c <value>`, is injection."""
    if shell_enabled(hit):
        return False
    first = hit.arg(0) or hit.arg("args")
    if first is None:
        return False
    if first.type != "list":
        return True
    items = first.named_children
    if not items:
        return False
    head = hit.ctx.string_value(items[0])
    if head is None:
        return True
    return head.rsplit("/", 1)[-1] in ("sh", "bash", "zsh", "dash", "cmd", "cmd.exe", "powershell") and \
        any(hit.ctx.string_value(item) in ("-c", "/c") for item in items[1:])

REQUESTS = tuple(f"{lib}.{verb}" for lib in ("requests", "httpx") for verb in
                 ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream"))
SUBPROCESS = tuple(f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "Popen"))
RANDOM = tuple(f"random.{name}" for name in ("random", "randint", "choice", "choices", "randrange",
                                             "getrandbits", "sample", "uniform", "randbytes", "shuffle"))
XML_STDLIB = tuple(
    [f"xml.etree.{mod}.{fn}" for mod in ("ElementTree", "cElementTree")
     for fn in ("parse", "iterparse", "fromstring", "XML", "XMLParser", "XMLPullParser", "fromstringlist")]
    + [f"xml.dom.{mod}.{fn}" for mod in ("minidom", "pulldom", "expatbuilder") for fn in ("parse", "parseString")]
    + [f"xml.sax.{fn}" for fn in ("parse", "parseString", "make_parser")]
    + ["xml.parsers.expat.ParserCreate", "xml.sax.expatreader.create_parser"])
XML_LXML = tuple(f"lxml.etree.{fn}" for fn in ("parse", "fromstring", "XML", "XMLParser", "iterparse",
                                               "RestrictedElement", "GlobalParserTLS", "getDefaultParser"))
WEAK_CIPHERS = tuple(
    [f"{pkg}.Cipher.{alg}.new" for pkg in ("Crypto", "Cryptodome") for alg in ("DES", "DES3", "ARC2", "ARC4",
                                                                              "Blowfish", "XOR", "CAST")]
    + [f"cryptography.hazmat.primitives.ciphers.algorithms.{alg}" for alg in
       ("ARC4", "TripleDES", "Blowfish", "IDEA", "CAST5", "SEED")]
    + ["cryptography.hazmat.primitives.ciphers.modes.ECB"])

SQL_CALLS = ("*.execute", "*.executemany", "*.executescript", "*.raw", "*.mogrify", "*.read_sql",
             "*.read_sql_query", "sqlalchemy.text")

# ---------------------------------------------------------------- rules

RULES: list[Rule] = [
    # compile() alone runs nothing: the exec/eval of its result is what this rule reports (on the stdlib
    # compile() added 180 findings, all tools and tests compiling their own input).
    Rule("py-eval", "eval/exec of a non-literal", "injection", "CWE-95",
         "Code built at run time executes whatever reaches it, including attacker input.",
         "Parse data with ast.literal_eval/json, or dispatch through a dict of allowed functions.",
         PY, calls=("eval", "exec", "builtins.eval", "builtins.exec"), when=arg_not_const(0),
         taint="code", bandit=("B102", "B307"), confidence="medium",
         positive=("def run(expr):\n    return eval(expr)\n",
                   "import builtins\nbuiltins.exec(source_code)\n",
                   "def f(name):\n    code = f'print({name})'\n    exec(code)\n"),
         negative=("eval('1 + 2')\n", "EXPR = '2 * 3'\nvalue = eval(EXPR)\n",
                   "import re\nre.compile(pattern)\n", "code = compile(source, path, 'exec')\n", "from ast import literal_eval\nliteral_eval(text)\n")),
    Rule("py-subprocess-shell", "subprocess call with shell=True", "command-injection", "CWE-78",
         "The command line is parsed by a shell, so any untrusted part can inject extra commands.",
         "Pass a list of arguments with shell=False (the default); quote with shlex.quote if a shell is needed.",
         PY, calls=SUBPROCESS, when=shell_enabled, taint="command", taint_args=(0, "args"),
         bandit=("B602",), confidence="high",
         positive=("import subprocess\nsubprocess.run(cmd, shell=True)\n",
                   "import subprocess as sp\nsp.Popen('ls ' + path, shell=True, cwd='/')\n",
                   "from subprocess import check_output as co\nout = co(f'grep {pattern} log', shell=True)\n"),
         negative=("import subprocess\nsubprocess.run(['ls', '-l', path], shell=False)\n",
                   "import subprocess\nsubprocess.run(['git', 'status'])\n",
                   "import subprocess\nsubprocess.call(args, shell=False)\n")),
    Rule("py-os-system", "command run through a shell (os.system/os.popen) with a non-literal", "command-injection",
         "CWE-78", "os.system and os.popen hand the string to /bin/sh, so untrusted parts inject commands.",
         "Use subprocess.run([...]) with an argument list.",
         PY, calls=("os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "popen2.popen2",
                    "popen2.popen3", "popen2.popen4", "popen2.Popen3", "popen2.Popen4", "commands.getoutput",
                    "commands.getstatusoutput", "subprocess.getoutput", "subprocess.getstatusoutput"),
         when=arg_not_const(0), taint="command", bandit=("B605",), confidence="medium",
         positive=("import os\nos.system('rm -rf ' + target)\n",
                   "from os import popen\nout = popen(f'ls {folder}').read()\n"),
         negative=("import os\nos.system('clear')\n", "import os\nCMD = 'uptime'\nos.popen(CMD)\n")),
    Rule("py-pickle-load", "deserialisation with pickle/marshal/shelve", "deserialization", "CWE-502",
         "Unpickling runs code chosen by whoever produced the bytes.",
         "Use json or another data-only format for anything that crosses a trust boundary.",
         PY, calls=tuple(f"{m}.{f}" for m in ("pickle", "cPickle", "_pickle", "dill")
                         for f in ("load", "loads", "Unpickler"))
         + ("shelve.open", "marshal.load", "marshal.loads", "jsonpickle.decode", "pandas.read_pickle"),
         when=arg_not_const(0), taint="deserialization", bandit=("B301", "B302"), confidence="medium",
         positive=("import pickle\nobj = pickle.loads(payload)\n",
                   "import marshal as m\ncode = m.load(fh)\n"),
         negative=("import json\nobj = json.loads(payload)\n", "import pickle\ndata = pickle.dumps(obj)\n")),
    Rule("py-yaml-load", "yaml.load without a safe loader", "deserialization", "CWE-502",
         "yaml.load with the default/full loader can construct arbitrary Python objects.",
         "Use yaml.safe_load or Loader=yaml.SafeLoader.",
         PY, calls=("yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"),
         when=unsafe_yaml_loader, taint="deserialization", bandit=("B506",), confidence="high",
         positive=("import yaml\nconfig = yaml.load(stream)\n",
                   "import yaml\nconfig = yaml.load(stream, Loader=yaml.Loader)\n"),
         negative=("import yaml\nconfig = yaml.safe_load(stream)\n",
                   "import yaml\nconfig = yaml.load(stream, Loader=yaml.SafeLoader)\n",
                   "from yaml import CSafeLoader\nimport yaml\nyaml.load(s, CSafeLoader)\n")),
    Rule("py-requests-verify-false", "HTTP request with TLS verification disabled", "insecure-transport",
         "CWE-295", "verify=False accepts any certificate, so a network attacker can read and alter traffic.",
         "Keep verify=True (default) or pass verify='/path/to/ca-bundle.pem'.",
         PY, calls=REQUESTS + ("httpx.Client", "httpx.AsyncClient"), when=kw_false("verify"),
         bandit=("B501",), confidence="high",
         positive=("import requests\nrequests.get(url, verify=False, timeout=5)\n",),
         negative=("import requests\nrequests.get(url, timeout=5)\n",
                   "import requests\nrequests.post(url, verify='/etc/ca.pem', timeout=5)\n")),
    Rule("py-requests-no-timeout", "HTTP request without a timeout", "dos", "CWE-400",
         "Without a timeout a slow or hostile server can hang the caller forever.",
         "Pass timeout=(connect, read) seconds.",
         PY, calls=tuple(c for c in REQUESTS if c.startswith("requests.")),
         when=any_of(arg_absent("timeout"), kw_false("timeout", ("None",))),   # timeout=None: none either
         bandit=("B113",), confidence="high", severity="warning", kind="reliability",
         positive=("import requests\nresp = requests.get('https://example.org')\n",
                   "import requests\nresp = requests.post(url, data=body, timeout=None)\n"),
         negative=("import requests\nresp = requests.get('https://example.org', timeout=10)\n",)),
    Rule("py-requests-url", "HTTP request to a URL", "ssrf", "CWE-918",
         "A request to a user-chosen URL lets attackers reach internal services.",
         "Allow-list hosts and schemes before fetching user-supplied URLs.",
         PY, calls=REQUESTS + ("urllib.request.urlopen", "urllib.request.Request", "urllib3.request"),
         tier="B", taint="ssrf"),
    Rule("py-ssl-unverified-context", "unverified SSL context", "insecure-transport", "CWE-295",
         "The context skips certificate and host name checks.",
         "Use ssl.create_default_context().",
         PY, calls=("ssl._create_unverified_context", "ssl._create_stdlib_context"), bandit=("B323",),
         confidence="high",
         positive=("import ssl\nctx = ssl._create_unverified_context()\n",),
         negative=("import ssl\nctx = ssl.create_default_context()\n",)),
    Rule("py-ssl-insecure-version", "obsolete SSL/TLS protocol version", "insecure-transport", "CWE-327",
         "SSLv2/SSLv3/TLS 1.0/1.1 have practical attacks.",
         "Use ssl.PROTOCOL_TLS_CLIENT with minimum_version = ssl.TLSVersion.TLSv1_2.",
         PY, needles=("PROTOCOL_", "_METHOD"),
         query='((attribute attribute: (identifier) @a) @hit (#match? @a "^(PROTOCOL_(SSLv2|SSLv3|TLSv1|'
                   'TLSv1_1)|SSLv2_METHOD|SSLv3_METHOD|TLSv1_METHOD|TLSv1_1_METHOD)$"))',
         bandit=("B502", "B503", "B504"), confidence="high",
         positive=("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n",),
         negative=("import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n",)),
    Rule("py-weak-hash", "MD5/SHA-1 used without usedforsecurity=False", "weak-cryptography", "CWE-328",
         "MD5 and SHA-1 collisions are practical; they must not protect passwords, signatures or tokens.",
         "Use hashlib.sha256 (or pass usedforsecurity=False for non-security checksums).",
         PY, calls=("hashlib.md5", "hashlib.sha1", "hashlib.new", "Crypto.Hash.MD5.new", "Crypto.Hash.SHA.new",
                    "Crypto.Hash.SHA1.new", "Crypto.Hash.MD4.new", "Crypto.Hash.MD2.new",
                    "cryptography.hazmat.primitives.hashes.MD5", "cryptography.hazmat.primitives.hashes.SHA1"),
         when=all_of(weak_hash_name, not_(kw_false("usedforsecurity"))), bandit=("B303", "B324"),
         confidence="medium",
         positive=("import hashlib\ndigest = hashlib.md5(password.encode()).hexdigest()\n",
                   "import hashlib\nh = hashlib.new('sha1', data)\n",
                   "from hashlib import sha1 as s\ns(data)\n"),
         negative=("import hashlib\nhashlib.md5(data, usedforsecurity=False)\n",
                   "import hashlib\nhashlib.sha256(data)\n", "import hashlib\nhashlib.new('sha256')\n")),
    Rule("py-weak-cipher", "weak cipher or ECB mode", "weak-cryptography", "CWE-327",
         "DES, 3DES, RC2/RC4, Blowfish and ECB mode do not protect confidentiality today.",
         "Use AES-GCM or ChaCha20-Poly1305 (cryptography's AESGCM/ChaCha20Poly1305).",
         PY, calls=WEAK_CIPHERS, bandit=("B304", "B305"), confidence="high",
         positive=("from Crypto.Cipher import DES\ncipher = DES.new(key, DES.MODE_ECB)\n",
                   "from cryptography.hazmat.primitives.ciphers import algorithms, modes\n"
                   "alg = algorithms.ARC4(key)\nm = modes.ECB()\n"),
         negative=("from cryptography.hazmat.primitives.ciphers import algorithms, modes\n"
                   "alg = algorithms.AES(key)\nm = modes.GCM(iv)\n",)),
    Rule("py-cipher-ecb", "AES in ECB mode", "weak-cryptography", "CWE-327",
         "ECB encrypts equal blocks to equal ciphertext, so patterns in the data show through it.",
         "Use an authenticated mode: AES.MODE_GCM (PyCryptodome) or cryptography's AESGCM.",
         PY, calls=tuple(f"{pkg}.Cipher.AES.new" for pkg in ("Crypto", "Cryptodome")),
         when=any_of(arg_matches(1, r"\bMODE_ECB$"), arg_matches("mode", r"\bMODE_ECB$")),
         bandit=("B305",), confidence="high",
         positive=("from Crypto.Cipher import AES\ncipher = AES.new(key, AES.MODE_ECB)\n",
                   "from Cryptodome.Cipher import AES\ncipher = AES.new(key, mode=AES.MODE_ECB)\n"),
         negative=("from Crypto.Cipher import AES\ncipher = AES.new(key, AES.MODE_GCM)\n",
                   "from Crypto.Cipher import AES\ncipher = AES.new(key, AES.MODE_GCM, nonce=nonce)\n")),
    Rule("py-insecure-random", "random module used for a secret", "weak-random", "CWE-330",
         "The random module is predictable; tokens, passwords and keys made with it can be guessed.",
         "Use the secrets module (secrets.token_urlsafe, secrets.choice).",
         PY, calls=RANDOM, when=in_security_function, bandit=("B311",), confidence="medium",
         positive=("import random\nreset_token = ''.join(random.choice(chars) for _ in range(20))\n",
                   "import random\ndef make_password():\n    return str(random.getrandbits(64))\n"),
         negative=("import random\ndelay = random.uniform(0.1, 0.5)\n",
                   "import secrets\ntoken = secrets.token_hex(16)\n")),
    Rule("py-tempfile-mktemp", "tempfile.mktemp (race condition)", "insecure-configuration", "CWE-377",
         "The name can be taken by another process between creation and use.",
         "Use tempfile.mkstemp() or NamedTemporaryFile().",
         PY, calls=("tempfile.mktemp", "os.tempnam", "os.tmpnam"), bandit=("B306", "B325"), confidence="high",
         positive=("import tempfile\npath = tempfile.mktemp(suffix='.txt')\n",),
         negative=("import tempfile\nfd, path = tempfile.mkstemp()\n",)),
    Rule("py-jinja2-autoescape", "Jinja2 environment without autoescape", "xss", "CWE-79",
         "Without autoescaping, variables rendered into HTML can inject scripts.",
         "Environment(autoescape=select_autoescape()) or autoescape=True.",
         PY, calls=("jinja2.Environment", "jinja2.Template"), when=autoescape_off, bandit=("B701",),
         confidence="medium",
         positive=("from jinja2 import Environment\nenv = Environment(loader=loader)\n",
                   "import jinja2\nenv = jinja2.Environment(autoescape=False)\n"),
         negative=("from jinja2 import Environment, select_autoescape\n"
                   "env = Environment(loader=loader, autoescape=select_autoescape())\n",
                   "import jinja2\nenv = jinja2.Environment(autoescape=True)\n")),
    Rule("py-flask-debug", "Flask app run with debug=True", "insecure-configuration", "CWE-489",
         "The Werkzeug debugger allows arbitrary code execution from the browser.",
         "Read debug from configuration and keep it off in production.",
         PY, calls=("*.run",), when=all_of(kw_true("debug"), file_imports("flask")), bandit=("B201",),
         confidence="high",
         positive=("from flask import Flask\napp = Flask(__name__)\napp.run(host='127.0.0.1', debug=True)\n",),
         negative=("from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)\n",
                   "import subprocess\nsubprocess.run(['ls'])\n")),
    Rule("py-bind-all-interfaces", "binding to all network interfaces (0.0.0.0)", "insecure-configuration",
         "CWE-605", "A service bound to 0.0.0.0 is reachable from every network the host is on.",
         "Bind to 127.0.0.1 or a configured address.",
         PY, needles=("0.0.0.0",),  # guardline: ignore[py-bind-all-interfaces] the rule's own needle
         query='((string (string_content) @v) @hit (#eq? @v "0.0.0.0"))', when=not_a_check, bandit=("B104",),
         confidence="medium",
         positive=("app.run(host='0.0.0.0')\n", "sock.bind(('0.0.0.0', 8080))\n"),
         negative=("sock.bind(('127.0.0.1', 8080))\n", "if host == '0.0.0.0':\n    warn()\n",
                   "public = addr.startswith('0.0.0.0')\n")),
    Rule("py-hardcoded-tmp", "hard-coded temporary directory", "insecure-configuration", "CWE-377",
         "Predictable paths in shared temp directories allow symlink and race attacks.",
         "Use tempfile.mkdtemp()/TemporaryDirectory().",
         PY, needles=("/tmp", "/dev/shm"),  # guardline: ignore[py-hardcoded-tmp] the rule's own needles
         query='((string (string_content) @v) @hit (#match? @v "^/(tmp|var/tmp|dev/shm)(/|$)"))',
         bandit=("B108",), confidence="medium",
         positive=("LOG = '/tmp/app.log'\n",), negative=("LOG = '/var/log/app.log'\n",)),
    Rule("py-sql-format", "SQL built with string formatting passed to execute", "injection", "CWE-89",
         "Values spliced into SQL text can change the query (SQL injection).",
         "Use parameters: cursor.execute('... WHERE id = %s', (value,)).",
         PY, calls=SQL_CALLS, when=sql_built(0), taint="sql", bandit=("B608",), confidence="medium",
         taint_needs_when=False,
         positive=("cur.execute('SELECT * FROM users WHERE name = ' + name)\n",
                   "def f(cur, uid):\n    sql = f'DELETE FROM users WHERE id = {uid}'\n    cur.execute(sql)\n",
                   "cur.execute('SELECT * FROM t WHERE a = %s' % a)\n",
                   "cur.execute('UPDATE t SET a = {} WHERE b = 1'.format(v))\n"),
         negative=("cur.execute('SELECT * FROM users WHERE name = %s', (name,))\n",
                   "TABLE = 'users'\ncur.execute('SELECT * FROM ' + TABLE)\n",
                   "def f(cur, ids):\n    marks = ','.join('?' * len(ids))\n"
                   "    cur.execute(f'SELECT * FROM t WHERE id IN ({marks})', ids)\n",
                   "cur.execute(query, params)\n")),
    # Off by default since issue 15: the stdlib parsers resolve no external entities (Python >= 3.7.1) and
    # lxml >= 5 resolves internal ones only, so flagging every parse was noise; py-xxe-* report the parsers
    # configured to resolve them. Kept (opt-in) for Bandit parity.
    Rule("py-xml-xxe", "XML parsed with a non-defused parser (Bandit B313-B320 parity; off by default)", "xxe",
         "CWE-611", "Untrusted XML can expand entities without bound; defusedxml refuses such documents.",
         "Parse untrusted XML with defusedxml (defusedxml.ElementTree.parse) or disable entities.",
         PY, calls=XML_STDLIB + XML_LXML, bandit=("B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"),
         confidence="low", default_enabled=False,
         positive=("import xml.etree.ElementTree as ET\ntree = ET.parse(upload)\n",
                   "from lxml import etree\ndoc = etree.fromstring(body)\n",
                   "from xml.dom import minidom\nminidom.parseString(data)\n"),
         negative=("import defusedxml.ElementTree as ET\ntree = ET.parse(upload)\n",)),
    Rule("py-tarfile-extractall", "tarfile.extractall without a filter", "path-traversal", "CWE-22",
         "Archive members with ../ or absolute names are written outside the target directory.",
         "Pass filter='data' (Python 3.12+) or validate each member's path.",
         PY, calls=("*.extractall",), when=all_of(arg_absent("filter"), file_imports("tarfile")),
         bandit=("B202",), confidence="medium",
         positive=("import tarfile\nwith tarfile.open(path) as tar:\n    tar.extractall(dest)\n",),
         negative=("import tarfile\nwith tarfile.open(path) as tar:\n    tar.extractall(dest, filter='data')\n",
                   "import zipfile\nzipfile.ZipFile(p).extractall(dest)\n")),
    Rule("py-hardcoded-password", "hard-coded password", "secrets", "CWE-259",
         "A password in source control is readable by everyone with the repository.",
         "Load it from the environment or a secret manager.",
         # PASSWORD_NAME needs one of these in the name (case-insensitive)
         PY, needles=("pas", "pwd", "token", "secret"), query="""
[(assignment left: [(identifier) (attribute)] @name right: (string) @value)
 (keyword_argument name: (identifier) @name value: (string) @value)
 (default_parameter name: (identifier) @name value: (string) @value)
 (typed_default_parameter name: (identifier) @name value: (string) @value)
 (comparison_operator (identifier) @name (string) @value)] @hit""",
         when=hardcoded_password, bandit=("B105", "B106", "B107"), confidence="medium",
         # guardline: ignore[secret-generic] the rule's own examples (made-up passwords)
         positive=("db_password = 'Tr0ub4dor&3'\n", "connect(host='db', password='s3cr3t-pw')\n",
                   "def login(user, password='hunter22'):\n    pass\n"),  # guardline: ignore[secret-generic] ditto
         negative=("password = ''\n", "password = os.environ['DB_PASSWORD']\n",
                   "TOKEN_TYPE = 'bearer token'\n", "password = 'changeme'\n", "password_field = 'password'\n")),
    Rule("py-chmod-permissive", "world-writable file permissions", "insecure-configuration", "CWE-732",
         "Other users can modify the file.", "Use 0o600/0o644 (files) or 0o700/0o755 (directories).",
         PY, calls=("os.chmod", "os.fchmod", "os.lchmod"), when=permissive_mode, bandit=("B103",),
         confidence="high",
         positive=("import os\nos.chmod(path, 0o777)\n", "import os, stat\nos.chmod(p, stat.S_IWOTH)\n"),
         negative=("import os\nos.chmod(path, 0o600)\n",)),
    Rule("py-urlopen", "urlopen on a non-literal URL (file:// and custom schemes allowed)", "ssrf", "CWE-22",
         "urllib opens file:// and other schemes, so a user-supplied URL can read local files.",
         "Check the scheme is http/https (and the host is allowed) before opening.",
         PY, calls=("urllib.request.urlopen", "urllib.request.urlretrieve", "urllib.request.URLopener",
                    "urllib.request.FancyURLopener", "urllib.urlopen", "urllib.urlretrieve", "urllib2.urlopen",
                    "six.moves.urllib.request.urlopen"),
         when=arg_not_const(0), taint="ssrf", bandit=("B310",), confidence="low",
         positive=("from urllib.request import urlopen\ndata = urlopen(url).read()\n",),
         negative=("from urllib.request import urlopen\ndata = urlopen('https://example.org').read()\n",)),
    Rule("py-cleartext-protocol", "cleartext protocol (telnet/FTP)", "insecure-transport", "CWE-319",
         "Credentials and data travel unencrypted.", "Use SSH/SFTP or FTP_TLS.",
         PY, calls=("telnetlib.Telnet", "ftplib.FTP"), bandit=("B312", "B321"), confidence="high",
         positive=("import ftplib\nftp = ftplib.FTP('ftp.example.org')\n",),
         negative=("import ftplib\nftp = ftplib.FTP_TLS('ftp.example.org')\n",)),
    Rule("py-mark-safe", "HTML marked safe from a non-literal", "xss", "CWE-79",
         "Marking dynamic text safe disables escaping; injected markup runs in the browser.",
         "Escape with format_html()/escape() instead of mark_safe.",
         PY, calls=("django.utils.safestring.mark_safe", "django.utils.html.mark_safe", "markupsafe.Markup",
                    "flask.Markup", "jinja2.Markup"),
         when=arg_not_const(0), taint="xss", bandit=("B308", "B703"), confidence="medium",
         positive=("from django.utils.safestring import mark_safe\nhtml = mark_safe(user_bio)\n",),
         negative=("from django.utils.safestring import mark_safe\nhtml = mark_safe('<br>')\n",)),
    Rule("py-ssh-no-host-key-check", "SSH client accepts unknown host keys", "insecure-transport", "CWE-295",
         "AutoAddPolicy/WarningPolicy trust any server key, allowing man-in-the-middle attacks.",
         "Load known hosts and use RejectPolicy.",
         PY, calls=("*.set_missing_host_key_policy",), when=unsafe_host_key_policy, bandit=("B507",),
         confidence="high",
         positive=("import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n",),
         negative=("import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.RejectPolicy())\n",)),
    Rule("py-assert-used", "assert used for a run-time check (off by default)", "insecure-configuration",
         "CWE-703", "assert statements are removed under python -O, so the check silently disappears.",
         "Raise an exception explicitly.", PY, needles=("assert",), query="(assert_statement) @hit", bandit=("B101",),
         default_enabled=False, confidence="low", severity="warning",
         positive=("assert user.is_admin\n",), negative=("if not user.is_admin:\n    raise PermissionError\n",)),
    # ---- categories added by issue 15: XSS/redirect/trust boundary/LDAP/XPath sinks (taint), XXE that
    # really resolves entities, insecure cookies and settings, JWT without verification, TLS off
    Rule("py-view-response", "route handler returns request data as the response body", "xss", "CWE-79", "", "",
         PY, needles=("return",), query="(return_statement (_) @value) @hit", when=in_view_function,
         tier="B", taint="xss", taint_args=("@value",)),
    Rule("py-response-body", "HTTP response built from a value", "xss", "CWE-79", "", "", PY,
         calls=("flask.make_response", "flask.Response", "werkzeug.wrappers.Response", "django.http.HttpResponse",
                "starlette.responses.HTMLResponse", "fastapi.responses.HTMLResponse", "starlette.responses.Response",
                "fastapi.responses.Response", "django.http.StreamingHttpResponse"),
         when=html_response, tier="B", taint="xss", taint_args=(0, "content", "response")),
    Rule("py-redirect", "redirect to a URL", "open-redirect", "CWE-601", "", "", PY,
         calls=("flask.redirect", "werkzeug.utils.redirect", "django.shortcuts.redirect",
                "django.http.HttpResponseRedirect", "django.http.HttpResponsePermanentRedirect",
                "starlette.responses.RedirectResponse", "fastapi.responses.RedirectResponse"),
         tier="B", taint="redirect", taint_args=(0, "location", "url")),
    Rule("py-session-store", "value stored in the session", "trust-boundary", "CWE-501", "", "", PY,
         needles=("session",), query="(assignment left: (subscript value: (_) @obj subscript: (_) @key)"
                                      " right: (_) @value) @hit",
         when=session_target, tier="B", taint="trust", taint_args=("@value", "@key")),
    Rule("py-session-update", "values stored in the session", "trust-boundary", "CWE-501", "", "", PY,
         calls=("flask.session.update", "flask.session.setdefault", "session.update", "session.setdefault",
                "request.session.update", "request.session.setdefault", "flask.session.__setitem__"),
         tier="B", taint="trust", taint_args=("*",)),
    Rule("py-ldap3-search", "LDAP search filter (ldap3)", "ldap-injection", "CWE-90", "", "", PY,
         calls=("*.search",), when=file_imports("ldap3"), tier="B", taint="ldap", taint_args=(1, "search_filter")),
    Rule("py-ldap-search", "LDAP search filter (python-ldap)", "ldap-injection", "CWE-90", "", "", PY,
         calls=("*.search_s", "*.search_st", "*.search_ext", "*.search_ext_s", "*.search_async"),
         when=file_imports("ldap"), tier="B", taint="ldap", taint_args=(2, "filterstr")),
    Rule("py-xpath-query", "XPath expression evaluated", "xpath-injection", "CWE-643", "", "", PY,
         calls=("*.xpath", "lxml.etree.XPath", "lxml.etree.ETXPath", "*.find", "*.findall", "*.iterfind",
                "*.findtext", "elementpath.select", "elementpath.iter_select", "elementpath.Selector"),
         when=file_imports("lxml", "xml", "defusedxml", "elementpath"), tier="B", taint="xpath",
         taint_args=(0, "path", "_path")),
    Rule("py-xxe-resolve-entities", "XML parser that resolves external entities (XXE)", "xxe", "CWE-611",
         "A parser that resolves external entities reads local files or URLs named in the document.",
         "Keep resolve_entities=False (lxml) / feature_external_ges off, or parse with defusedxml.",
         PY, calls=("lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.etree.iterparse"),
         when=entities_resolved, confidence="high",
         positive=("from lxml import etree\nparser = etree.XMLParser(resolve_entities=True)\n",),
         negative=("from lxml import etree\nparser = etree.XMLParser(resolve_entities=False)\n",
                   "import defusedxml.ElementTree as ET\nET.fromstring(body)\n")),
    Rule("py-xxe-sax-external", "SAX parser with external entities turned on (XXE)", "xxe", "CWE-611",
         "feature_external_ges makes the SAX parser fetch external entities named in the document.",
         "Leave feature_external_ges / feature_external_pes off (the default).",
         PY, calls=("*.setFeature",), when=external_entities_feature, confidence="high",
         positive=("import xml.sax\nfrom xml.sax.handler import feature_external_ges\np = xml.sax.make_parser()\n"
                   "p.setFeature(feature_external_ges, True)\n",),
         negative=("import xml.sax\nfrom xml.sax.handler import feature_external_ges\np = xml.sax.make_parser()\n"
                   "p.setFeature(feature_external_ges, False)\n",)),
    Rule("py-insecure-cookie", "cookie set without Secure (or with HttpOnly off / SameSite=None)",
         "insecure-cookie", "CWE-614",
         "A cookie without Secure travels over plain HTTP; without HttpOnly scripts can read it.",
         "set_cookie(..., secure=True, httponly=True, samesite='Lax').",
         PY, calls=("*.set_cookie",), when=cookie_insecure, confidence="medium", extra_cwe=("CWE-1004",),
         positive=("resp.set_cookie('sid', sid)\n", "resp.set_cookie('sid', sid, secure=False, httponly=True)\n"),
         negative=("resp.set_cookie('sid', sid, secure=True, httponly=True, samesite='Lax')\n",)),
    Rule("py-cookie-setting-off", "session/CSRF cookie setting turned off", "insecure-cookie", "CWE-614",
         "Turning off SESSION_COOKIE_SECURE/HTTPONLY exposes the session cookie to the network or to scripts.",
         "Set SESSION_COOKIE_SECURE = True and SESSION_COOKIE_HTTPONLY = True.",
         PY, needles=("COOKIE_",), query="(assignment left: (_) @name right: [(true) (false)] @value) @hit",
         when=setting_is("cookie"), confidence="high",
         positive=("SESSION_COOKIE_SECURE = False\n", "app.config['SESSION_COOKIE_HTTPONLY'] = False\n"),
         negative=("SESSION_COOKIE_SECURE = True\n",)),
    Rule("py-debug-setting", "debug mode switched on in configuration", "insecure-configuration", "CWE-489",
         "Debug mode shows stack traces, settings and (Werkzeug) an interactive console to visitors.",
         "Read DEBUG from the environment and keep it False in production.",
         PY, needles=("debug",), query="(assignment left: (_) @name right: [(true) (false)] @value) @hit",
         when=setting_is("debug"), confidence="medium",
         positive=("DEBUG = True\n", "app.config['DEBUG'] = True\n", "app.debug = True\n"),
         negative=("DEBUG = False\n", "DEBUG = os.environ.get('DEBUG') == '1'\n")),
    Rule("py-csrf-disabled", "CSRF protection turned off", "insecure-configuration", "CWE-352",
         "Without CSRF tokens another site can submit forms as the logged-in user.",
         "Keep CSRF protection on; exempt only endpoints that do not use cookie authentication.",
         PY, needles=("csrf",), query="""
[(assignment left: (_) @name right: [(true) (false)] @value) @hit
 (decorator [(identifier) (attribute)] @deco) @hit]""",
         when=any_of(setting_is("csrf"), lambda hit: hit.text(hit.capture("deco")).endswith("csrf_exempt")),
         confidence="medium",
         positive=("WTF_CSRF_ENABLED = False\n", "@csrf_exempt\ndef view(request):\n    pass\n"),
         negative=("WTF_CSRF_ENABLED = True\n", "@csrf_protect\ndef view(request):\n    pass\n")),
    Rule("py-cors-any-origin", "CORS allows every origin", "insecure-configuration", "CWE-942",
         "Any web site may read responses with the user's credentials or call the API from the browser.",
         "List the allowed origins explicitly.",
         PY, calls=("flask_cors.CORS", "flask_cors.cross_origin"), when=cors_any_origin, confidence="medium",
         positive=("from flask_cors import CORS\nCORS(app)\n", "from flask_cors import CORS\nCORS(app, origins='*')\n"),
         negative=("from flask_cors import CORS\nCORS(app, origins=['https://app.example.org'])\n",)),
    Rule("py-cors-setting", "CORS setting allows every origin", "insecure-configuration", "CWE-942",
         "CORS_ALLOW_ALL_ORIGINS lets any web site call the API from the browser.", "List allowed origins.",
         PY, needles=("CORS_",), query="(assignment left: (_) @name right: [(true) (false)] @value) @hit",
         when=setting_is("cors"), confidence="high",
         positive=("CORS_ALLOW_ALL_ORIGINS = True\n",), negative=("CORS_ALLOW_ALL_ORIGINS = False\n",)),
    Rule("py-cors-header-any", "Access-Control-Allow-Origin: * set on a response", "insecure-configuration",
         "CWE-942", "Every origin may read the response.", "Echo only allow-listed origins.",
         PY, needles=("Access-Control-Allow-Origin",),
         query='((assignment left: (subscript subscript: (string (string_content) @h)) right: (string (string_content) @v))'
               ' @hit (#match? @h "^[Aa]ccess-[Cc]ontrol-[Aa]llow-[Oo]rigin$") (#eq? @v "*"))',
         confidence="high",
         positive=("resp.headers['Access-Control-Allow-Origin'] = '*'\n",),
         negative=("resp.headers['Access-Control-Allow-Origin'] = 'https://app.example.org'\n",)),
    Rule("py-jwt-no-verify", "JWT decoded without verifying its signature", "jwt", "CWE-347",
         "An unverified token can be forged by anyone: its claims (user, roles) are attacker-chosen.",
         "Pass the key and algorithms=['HS256'/'RS256'] and keep signature verification on.",
         PY, calls=("jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode"), when=jwt_unverified, confidence="high",
         positive=("import jwt\nclaims = jwt.decode(token, options={'verify_signature': False})\n",
                   "import jwt\nclaims = jwt.decode(token, key, algorithms=['none'])\n"),
         negative=("import jwt\nclaims = jwt.decode(token, key, algorithms=['HS256'])\n",)),
    Rule("py-tls-no-verify", "TLS certificate or host name checks turned off", "insecure-transport", "CWE-295",
         "Without certificate and host name checks anyone on the network can impersonate the server.",
         "Keep ssl.CERT_REQUIRED and check_hostname = True (ssl.create_default_context()).",
         PY, needles=("CERT_NONE", "check_hostname"), query="""
[(assignment left: (attribute attribute: (identifier) @a) right: (_) @value) @hit
 (keyword_argument name: (identifier) @a value: (_) @value) @hit]""",
         when=lambda hit: (hit.text(hit.capture("a")) in ("verify_mode", "cert_reqs") and
                           hit.text(hit.capture("value")).endswith("CERT_NONE")) or
         (hit.text(hit.capture("a")) == "check_hostname" and hit.text(hit.capture("value")) == "False"),
         confidence="high",
         positive=("import ssl\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE\n",
                   "import ssl\ns = ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)\n"),
         negative=("import ssl\nctx.verify_mode = ssl.CERT_REQUIRED\n",)),
    Rule("py-regex-compile", "regular expression compiled from a value", "dos", "CWE-1333", "", "", PY,
         calls=tuple(f"re.{fn}" for fn in ("compile", "match", "search", "fullmatch", "findall", "finditer", "sub",
                                           "subn", "split")),
         tier="B", taint="regex", taint_args=(0, "pattern")),
    Rule("py-subprocess-argv", "process started from a value (no shell)", "command-injection", "CWE-78", "", "",
         PY, calls=SUBPROCESS + tuple(f"os.{fn}" for fn in ("execl", "execlp", "execv", "execvp", "execve",
                                                             "spawnl", "spawnlp", "spawnv", "spawnvp", "posix_spawn")),
         when=argv_command, tier="B", taint="command", taint_args=(0, "args"), remote_only=True),
    # Tier B-only sinks: reported only when a source reaches them.
    Rule("py-open-path", "file opened by path", "path-traversal", "CWE-22", "", "", PY,
         calls=("open", "io.open", "codecs.open", "os.remove", "os.unlink", "shutil.rmtree", "flask.send_file",
                "pathlib.Path", "os.path.join", "os.open", "io.FileIO", "shutil.copy", "shutil.copyfile",
                "shutil.move", "os.rename", "os.replace", "os.listdir", "os.makedirs", "os.mkdir", "os.rmdir",
                "os.scandir", "os.stat", "aiofiles.open", "django.http.FileResponse", "starlette.responses.FileResponse",
                "fastapi.responses.FileResponse", "tarfile.open", "zipfile.ZipFile"),
         tier="B", taint="path", taint_args=("*",)),
    Rule("py-template-string", "template rendered from a string", "injection", "CWE-1336", "", "", PY,
         calls=("flask.render_template_string", "jinja2.Template", "mako.template.Template"), tier="B",
         taint="template"),
]

TAINT_RULES: list[TaintRule] = [
    TaintRule("py-tainted-regex", "regex", "regular expression injection (ReDoS)", "CWE-1333", "dos",
              "A request value is compiled as a regular expression: catastrophic backtracking stalls the worker.",
              "Escape it with re.escape() or match it as plain text.", PY,
              positive=("import re\nfrom flask import request\n\ndef find():\n"
                        "    return re.search(request.args['q'], 'text')\n",),
              negative=("import re\nfrom flask import request\n\ndef find():\n"
                        "    return re.search(re.escape(request.args['q']), 'text')\n",),
              remote_only=True),
    TaintRule("py-tainted-redirect", "redirect", "open redirect", "CWE-601", "open-redirect",
              "A request value chooses where the user is redirected (phishing through a trusted domain).",
              "Redirect only to relative paths or allow-listed hosts (url_has_allowed_host_and_scheme).", PY,
              positive=("from flask import request, redirect\n\ndef go():\n    return redirect(request.args['next'])\n",),
              negative=("from flask import redirect, url_for\n\ndef go():\n    return redirect(url_for('home'))\n",),
              remote_only=True),
    TaintRule("py-tainted-trust-boundary", "trust", "trust boundary violation", "CWE-501", "trust-boundary",
              "Unvalidated request data is stored in the session, where later code trusts it.",
              "Validate the value (allow-list, type) before it crosses into the session.", PY,
              positive=("from flask import request, session\n\ndef login():\n"
                        "    session['user'] = request.form['user']\n",),
              negative=("from flask import request, session\n\ndef login():\n    session['visits'] = 1\n",),
              remote_only=True),
    TaintRule("py-tainted-ldap", "ldap", "LDAP injection", "CWE-90", "ldap-injection",
              "A request value is spliced into an LDAP filter, changing which entries match.",
              "Escape with ldap3.utils.conv.escape_filter_chars / ldap.filter.escape_filter_chars.", PY,
              positive=("import ldap3\nfrom flask import request\n\ndef find(conn):\n"
                        "    conn.search('dc=example,dc=org', '(uid=' + request.args['u'] + ')')\n",),
              negative=("import ldap3\nfrom ldap3.utils.conv import escape_filter_chars\nfrom flask import request\n\n"
                        "def find(conn):\n    u = escape_filter_chars(request.args['u'])\n"
                        "    conn.search('dc=example,dc=org', '(uid=' + u + ')')\n",),
              remote_only=True),
    TaintRule("py-tainted-xpath", "xpath", "XPath injection", "CWE-643", "xpath-injection",
              "A request value is spliced into an XPath expression.",
              "Pass values as XPath variables (tree.xpath('//u[@n=$n]', n=value)).", PY,
              positive=("from lxml import etree\nfrom flask import request\n\ndef find(tree):\n"
                        "    return tree.xpath(\"//user[@name='\" + request.args['n'] + \"']\")\n",),
              negative=("from lxml import etree\nfrom flask import request\n\ndef find(tree):\n"
                        "    return tree.xpath('//user[@name=$n]', n=request.args['n'])\n",),
              remote_only=True),
    TaintRule("py-tainted-command", "command", "command injection", "CWE-78", "command-injection",
              "A request/argv/env value ends up in a shell command line.",
              "Pass an argument list without a shell, or shlex.quote() each value.", PY,
              positive=("import os\nfrom flask import request\n\ndef ping():\n    host = request.args.get('host')\n"
                        "    os.system('ping -c 1 ' + host)\n",
                        "import subprocess, sys\n\ndef main():\n    subprocess.run('ls ' + sys.argv[1], shell=True)\n"),
              negative=("import os, shlex\nfrom flask import request\n\ndef ping():\n"
                        "    host = shlex.quote(request.args.get('host'))\n    os.system('ping -c 1 ' + host)\n",
                        "import os\n\ndef clean():\n    cmd = 'rm -rf ' + '/tmp/cache'\n    os.system(cmd)\n")),
    TaintRule("py-tainted-code", "code", "code injection", "CWE-95", "injection",
              "A request/argv/env value is executed as Python code.",
              "Never evaluate input; parse it (json, ast.literal_eval).", PY,
              positive=("def calc():\n    expr = input('> ')\n    print(eval(expr))\n",),
              negative=("def calc():\n    expr = '1+1'\n    print(eval(expr))\n",)),
    TaintRule("py-tainted-sql", "sql", "SQL injection", "CWE-89", "injection",
              "A request value is spliced into SQL text.", "Use query parameters.", PY,
              positive=("from flask import request\n\ndef find(cur):\n    name = request.form['name']\n"
                        "    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n",),
              negative=("from flask import request\n\ndef find(cur):\n    name = request.form['name']\n"
                        "    cur.execute('SELECT * FROM users WHERE name = %s', (name,))\n",)),
    TaintRule("py-tainted-path", "path", "path traversal", "CWE-22", "path-traversal",
              "A request value chooses which file is read or written.",
              "Resolve the path and check it stays under an allowed root (or use secure_filename).", PY,
              positive=("from flask import request\n\ndef download():\n    name = request.args['file']\n"
                        "    return open('/srv/files/' + name).read()\n",),
              negative=("from flask import request\nfrom werkzeug.utils import secure_filename\n\ndef download():\n"
                        "    name = secure_filename(request.args['file'])\n    return open('/srv/files/' + name).read()\n",),
              remote_only=True),
    TaintRule("py-tainted-ssrf", "ssrf", "server-side request forgery", "CWE-918", "ssrf",
              "A request value chooses the URL the server fetches.",
              "Allow-list schemes and hosts before fetching.", PY,
              positive=("import requests\nfrom flask import request\n\ndef proxy():\n"
                        "    return requests.get(request.args['url'], timeout=5).text\n",),
              negative=("import requests\n\ndef health():\n    return requests.get('https://example.org', timeout=5)\n",),
              remote_only=True),
    TaintRule("py-tainted-deserialization", "deserialization", "deserialisation of untrusted data", "CWE-502",
              "deserialization", "Request data is unpickled/unmarshalled: remote code execution.",
              "Use json for untrusted data.", PY,
              positive=("import pickle\nfrom flask import request\n\ndef load():\n    return pickle.loads(request.data)\n",),
              negative=("import json\nfrom flask import request\n\ndef load():\n    return json.loads(request.data)\n",)),
    TaintRule("py-tainted-template", "template", "server-side template injection", "CWE-1336", "injection",
              "A request value is compiled as a template (code execution in the template engine).",
              "Render fixed templates and pass the value as a variable.", PY,
              positive=("from flask import request, render_template_string\n\ndef hello():\n"
                        "    return render_template_string('Hello ' + request.args['name'])\n",),
              negative=("from flask import request, render_template_string\n\ndef hello():\n"
                        "    return render_template_string('Hello {{ n }}', n=request.args['name'])\n",)),
    TaintRule("py-tainted-xss", "xss", "cross-site scripting", "CWE-79", "xss",
              "A request value reaches an HTML response or is marked safe HTML.",
              "Escape it (html.escape / format_html) or render a template with autoescaping.", PY,
              positive=("from django.utils.safestring import mark_safe\n\ndef view(request):\n"
                        "    return mark_safe(request.GET['q'])\n",),
              negative=("from django.utils.html import escape\nfrom django.utils.safestring import mark_safe\n\n"
                        "def view(request):\n    return mark_safe(escape(request.GET['q']))\n",),
              remote_only=True),
]

# ---------------------------------------------------------------- grammar tables


def python_imports(captures: Captures, doc: ParsedDocument) -> Iterable[tuple[str, str]]:
    text = doc.node_text
    module = captures.get("mod")
    alias = captures.get("alias")
    source = captures.get("from")
    name = captures.get("name")
    if source and name:
        qualified = f"{text(source[0])}.{text(name[0])}"
        yield (text(alias[0]) if alias else text(name[0]).split(".")[-1]), qualified
    elif module:
        dotted = text(module[0])
        if alias:
            yield text(alias[0]), dotted
        else:
            head = dotted.split(".")[0]
            yield head, head


WEB_SOURCES = ("args", "form", "values", "json", "get_json", "data", "cookies", "headers", "files", "GET",
               "POST", "body", "query_params", "path_params", "COOKIES", "META", "stream", "get_data", "FILES",
               "query_string", "url", "full_path", "referrer", "view_args", "environ", "user_agent", "form_data",
               "query", "match_info", "content", "raw_body", "authorization")

# Route handlers: every parameter of a decorated Flask/FastAPI/Starlette/Sanic view comes from the
# request (path, query or body); a Django view's arguments after `request` come from the URL.
ROUTE_DECORATOR = r"@[\w.]*\b(route|get|post|put|patch|delete|head|options|api_route|websocket|api_view)\s*\("
PARAM_SOURCES = (
    ParamSource("route parameter", function=ROUTE_DECORATOR, needles=("route", "app", "router", "bp", "blueprint",
                                                                        "api_view", "websocket"),
                exclude=r"self|cls|request|req|db|session|background_tasks|response|current_user|user|settings",
                not_text=r"Depends\(|Session\b|BackgroundTasks|Request\b|Response\b"),
    ParamSource("Django view argument", with_param="request", needles=("django",),
                exclude=r"self|cls|request|args|kwargs|_"),
)
KIND_SANITIZERS = {
    "command": frozenset({"shlex.quote", "pipes.quote", "quote", "shlex.join"}),
    "xss": frozenset({"html.escape", "escape", "markupsafe.escape", "bleach.clean", "clean", "format_html",
                      "conditional_escape", "strip_tags", "xml.sax.saxutils.escape", "cgi.escape", "jsonify",
                      "redirect", "render_template", "render", "url_for", "JsonResponse", "abort", "send_file",
                      "send_from_directory", "quote_plus", "urllib.parse.quote", "json.dumps",
                      # results of other sinks are not the request value itself (reported by their own rule)
                      "check_output", "getoutput", "system", "popen", "execute", "executemany", "fetchone",
                      "fetchall", "fetchmany", "search", "search_s", "xpath", "findall", "find", "findtext",
                      "loads", "load", "eval", "exec", "urlopen", "open", "read", "exists", "isfile",
                      "fromstring", "parse", "parseString", "XML", "iterparse", "render_template_string",
                      "safe_load", "read_text", "read_bytes", "readlines", "readline",
                      # a response object built from the value is reported where it is built
                      "make_response", "Response", "HttpResponse", "HTMLResponse", "StreamingHttpResponse"}),
    "path": frozenset({"os.path.basename", "basename", "secure_filename", "werkzeug.utils.secure_filename"}),
    "ldap": frozenset({"escape_filter_chars", "ldap3.utils.conv.escape_filter_chars", "ldap.filter.escape_filter_chars",
                       "escape_rdn", "ldap.dn.escape_dn_chars", "escape_dn_chars", "filter_format"}),
    "xpath": frozenset(),
    "redirect": frozenset({"url_for", "url_has_allowed_host_and_scheme", "is_safe_url"}),
    "ssrf": frozenset(),
    "regex": frozenset({"re.escape", "escape"}),
    "sql": frozenset({"escape_string", "sqlalchemy.bindparam", "bindparam", "quote_identifier"}),
}
# An allow-list / format check on the variable followed by an early exit cleans it.
_EXIT = r"[ \t]*(#[^\n]*)?\n?[ \t]*(return|raise|abort|continue)\b"
GUARDS = (
    (r"if\s+['\"]\.\.['\"]\s+in\s+{name}\s*:" + _EXIT, frozenset({"path"})),
    (r"if\s+not\s+[^\n]*(realpath|abspath|resolve)\([^\n]*\b{name}\b[^\n]*\)[^\n]*\.(startswith|is_relative_to)\("
     r"[^\n]*:" + _EXIT, frozenset({"path"})),
    (r"if\s+[^\n]*urlparse\(\s*{name}\s*\)\.(netloc|hostname|scheme)[^\n]*:" + _EXIT, frozenset({"redirect", "ssrf"})),
    (r"if\s+not\s+{name}\.startswith\(\s*['\"]/['\"]\s*\)[^\n]*:" + _EXIT, frozenset({"redirect"})),
    r"if\s+{name}\s+not\s+in\s+[^:\n]+:" + _EXIT,
    r"if\s+not\s+re\.(fullmatch|match)\([^\n]*\b{name}\b[^\n]*\)\s*:" + _EXIT,
    r"if\s+not\s+{name}\.(isdigit|isalnum|isalpha|isdecimal|isnumeric|isidentifier)\(\)\s*:" + _EXIT,
    r"if\s+not\s+[\w.]*(url_has_allowed_host_and_scheme|is_safe_url)\([^\n]*\b{name}\b[^\n]*\)\s*:" + _EXIT,
)

SPEC = LanguageSpec(
    languages=PY,
    call_queries=("(call function: (_) @callee arguments: (argument_list) @args) @call",),
    rules=RULES,
    import_queries=(
        "(import_statement name: (dotted_name) @mod)",
        "(import_statement name: (aliased_import name: (dotted_name) @mod alias: (identifier) @alias))",
        "(import_from_statement module_name: (dotted_name) @from name: (dotted_name) @name)",
        "(import_from_statement module_name: (dotted_name) @from"
        " name: (aliased_import name: (dotted_name) @name alias: (identifier) @alias))",
    ),
    imports=python_imports,
    import_needles=("import",),
    assignment_queries=("(assignment left: (identifier) @lhs right: (_) @rhs)",
                        "(augmented_assignment left: (identifier) @lhs right: (_) @rhs)",
                        "(for_statement left: (identifier) @lhs right: (_) @rhs)",
                        "(named_expression name: (identifier) @lhs value: (_) @rhs)"),
    function_types=frozenset({"function_definition", "lambda"}),
    const_leaves=frozenset({"integer", "float", "true", "false", "none", "string_start", "string_content",
                            "string_end", "escape_sequence", "type_conversion", "ellipsis", "comment"}),
    composites=frozenset({"string", "concatenated_string", "binary_operator", "parenthesized_expression",
                          "interpolation", "list", "tuple", "format_specifier", "unary_operator",
                          "conditional_expression", "expression_list"}),
    string_types=frozenset({"string", "concatenated_string"}),
    keyword_types={"keyword_argument": ("name", "value")},
    call_format_methods=frozenset({"format", "join", "strip", "lower", "upper", "replace"}),
    string_repeat_types=frozenset({"binary_operator"}),
    taint_sources=frozenset(
        [f"{base}.{attr}" for base in ("request", "flask.request", "self.request") for attr in WEB_SOURCES]
        + ["sys.argv", "os.environ", "os.getenv", "os.environb", "input", "builtins.input", "sys.stdin"]),
    taint_source_types=frozenset({"attribute", "identifier"}),
    # clean for every sink kind (a number, a length, a hash); the per-kind ones are in KIND_SANITIZERS
    sanitizers=frozenset({"int", "float", "bool", "len", "literal_eval", "abs", "uuid.UUID", "isdigit", "hash",
                          "hexdigest", "digest", "count", "isinstance", "startswith", "endswith"}),
    taint_rules=TAINT_RULES,
    param_sources=PARAM_SOURCES,
    kind_sanitizers=KIND_SANITIZERS,
    guard_patterns=GUARDS,
    ternary_types={"conditional_expression": (1, 0, 2)},
    list_ops={"append": "append", "appendleft": "prepend", "insert": "insert", "pop": "pop", "popleft": "popleft",
              "clear": "clear"},
    keyed_stores=(
        KeyedStore("(assignment left: (subscript value: (identifier) @obj subscript: (_) @key) right: (_) @value)"),
        KeyedStore("(call function: (attribute object: (identifier) @obj attribute: (identifier) @method)"
                   " arguments: (argument_list (_) @key . (_) @value .))", methods=("set", "setdefault", "__setitem__")),
        KeyedStore("(call function: (attribute object: (identifier) @obj attribute: (identifier) @method)"
                   " arguments: (argument_list . (_) @value .))", methods=("append", "add", "extend", "appendleft",
                                                                          "update")),
    ),
    keyed_reads=(
        "(subscript value: (identifier) @obj subscript: (_) @key) @read",
        "((call function: (attribute object: (identifier) @obj attribute: (identifier) @m)"
        " arguments: (argument_list (_) @key)) @read (#match? @m \"^(get|getint|getfloat|getboolean)$\"))",
    ),
    local_sources=frozenset({"sys.argv", "os.environ", "os.getenv", "os.environb", "input", "builtins.input",
                             "sys.stdin"}),
)
