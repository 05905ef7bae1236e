"""Python security rules (Bandit's B1xx-B7xx catalog as the checklist) and taint tables."""

from __future__ import annotations

import re
from typing import Iterable

from guardline.security.engine import (
    Hit, LanguageSpec, Rule, TaintRule, all_of, any_of, arg_absent, arg_not_const, arg_text_in,
    file_imports, in_secret_context, kw_false, kw_true, not_, sql_built,
)
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


def weak_hash_name(hit: Hit) -> bool:
    if hit.callee.endswith(".new"):
        return arg_text_in(0, ("md5", "sha1", "md4", "md2", "sha", "ripemd160"))(hit)
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
         taint="deserialization", bandit=("B301", "B302"), confidence="medium",
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
         PY, calls=tuple(c for c in REQUESTS if c.startswith("requests.")), when=arg_absent("timeout"),
         bandit=("B113",), confidence="high", severity="warning",
         positive=("import requests\nresp = requests.get('https://example.org')\n",),
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
    Rule("py-insecure-random", "random module used for a secret", "weak-cryptography", "CWE-330",
         "The random module is predictable; tokens, passwords and keys made with it can be guessed.",
         "Use the secrets module (secrets.token_urlsafe, secrets.choice).",
         PY, calls=RANDOM, when=in_secret_context(), bandit=("B311",), confidence="medium",
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
         query='((string (string_content) @v) @hit (#eq? @v "0.0.0.0"))', bandit=("B104",),
         confidence="medium",
         positive=("app.run(host='0.0.0.0')\n", "sock.bind(('0.0.0.0', 8080))\n"),
         negative=("sock.bind(('127.0.0.1', 8080))\n",)),
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
         positive=("cur.execute('SELECT * FROM users WHERE name = ' + name)\n",
                   "def f(cur, uid):\n    sql = f'DELETE FROM users WHERE id = {uid}'\n    cur.execute(sql)\n",
                   "cur.execute('SELECT * FROM t WHERE a = %s' % a)\n",
                   "cur.execute('UPDATE t SET a = {} WHERE b = 1'.format(v))\n"),
         negative=("cur.execute('SELECT * FROM users WHERE name = %s', (name,))\n",
                   "TABLE = 'users'\ncur.execute('SELECT * FROM ' + TABLE)\n",
                   "cur.execute(query, params)\n")),
    Rule("py-xml-xxe", "XML parsed with a parser open to XXE / entity expansion", "injection", "CWE-611",
         "Untrusted XML can expand entities without bound or (lxml) read local files.",
         "Parse untrusted XML with defusedxml (defusedxml.ElementTree.parse) or disable entities.",
         PY, calls=XML_STDLIB + XML_LXML, bandit=("B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"),
         confidence="low",
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
         positive=("db_password = 'Tr0ub4dor&3'\n", "connect(host='db', password='s3cr3t-pw')\n",
                   "def login(user, password='hunter22'):\n    pass\n"),
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
    # Tier B-only sinks: reported only when a source reaches them.
    Rule("py-open-path", "file opened by path", "path-traversal", "CWE-22", "", "", PY,
         calls=("open", "io.open", "codecs.open", "os.remove", "os.unlink", "shutil.rmtree", "flask.send_file",
                "pathlib.Path", "os.path.join"),
         tier="B", taint="path"),
    Rule("py-template-string", "template rendered from a string", "injection", "CWE-1336", "", "", PY,
         calls=("flask.render_template_string", "jinja2.Template", "mako.template.Template"), tier="B",
         taint="template"),
]

TAINT_RULES: list[TaintRule] = [
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
              "A request value is marked safe HTML.", "Escape it (format_html / escape).", PY,
              positive=("from django.utils.safestring import mark_safe\n\ndef view(request):\n"
                        "    return mark_safe(request.GET['q'])\n",),
              negative=("from django.utils.html import escape\nfrom django.utils.safestring import mark_safe\n\n"
                        "def view(request):\n    return mark_safe(escape(request.GET['q']))\n",),
              remote_only=True),
]

# ---------------------------------------------------------------- grammar tables


def python_imports(captures: dict, doc) -> Iterable[tuple[str, str]]:  # noqa: ANN001
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
               "POST", "body", "query_params", "path_params", "COOKIES", "META", "stream", "get_data")

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
                        "(augmented_assignment left: (identifier) @lhs right: (_) @rhs)"),
    function_types=frozenset({"function_definition", "lambda"}),
    const_leaves=frozenset({"integer", "float", "true", "false", "none", "string_start", "string_content",
                            "string_end", "escape_sequence", "type_conversion", "ellipsis", "comment"}),
    composites=frozenset({"string", "concatenated_string", "binary_operator", "parenthesized_expression",
                          "interpolation", "list", "tuple", "format_specifier", "unary_operator",
                          "conditional_expression", "expression_list"}),
    string_types=frozenset({"string", "concatenated_string"}),
    keyword_types={"keyword_argument": ("name", "value")},
    call_format_methods=frozenset({"format", "join", "strip", "lower", "upper", "replace"}),
    taint_sources=frozenset(
        [f"{base}.{attr}" for base in ("request", "flask.request", "self.request") for attr in WEB_SOURCES]
        + ["sys.argv", "os.environ", "os.getenv", "os.environb", "input", "builtins.input", "sys.stdin"]),
    taint_source_types=frozenset({"attribute", "identifier"}),
    sanitizers=frozenset({"shlex.quote", "quote", "int", "float", "bool", "len", "html.escape", "escape",
                          "markupsafe.escape", "os.path.basename", "basename", "secure_filename",
                          "quote_plus", "bleach.clean", "clean", "format_html", "literal_eval", "shlex.join",
                          "abs", "uuid.UUID", "isdigit", "hash"}),
    taint_rules=TAINT_RULES,
    local_sources=frozenset({"sys.argv", "os.environ", "os.getenv", "os.environb", "input", "builtins.input",
                             "sys.stdin"}),
)
