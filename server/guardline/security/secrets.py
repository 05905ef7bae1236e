"""Tier C: secrets in any text file.

Pipeline: keyword pre-filter (cheap substring test on the lower-cased text) -> provider regexes ->
placeholder filters -> entropy gate for the generic ``key = "..."`` form. The secret is never
reported in full: messages and data carry ``mask(value)`` (first 4 characters + ``***``).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from typing import Iterator

from guardline.model import Finding

BASE64_ENTROPY = 4.5
HEX_ENTROPY = 3.0
HEX_CHARS = frozenset("0123456789abcdefABCDEF")

PLACEHOLDER_WORDS = ("changeme", "change_me", "change-me", "xxx", "example", "dummy", "placeholder", "your",
                     "your_", "your-", "yourkey", "redacted", "fake", "sample", "foobar", "notasecret",
                     "not_a_secret", "insert", "todo", "fixme", "secret_here", "replace", "password123")
PLACEHOLDER_MARKERS = ("${", "{{", "<", "%(", "%s", "$(", "***", "...", "process.env", "os.environ")
FIXTURE_PATH = re.compile(r"(?i)(^|[/\\])(tests?|spec|__tests__)[/\\](fixtures?|data|testdata)[/\\]|"
                          r"(^|[/\\])(testdata|fixtures?|__fixtures__)[/\\]|\.(example|sample|template)$")
# Test files by their own name (not a folder: a project's sources may sit under any folder): their
# hard-coded passwords are test doubles. Only the generic rules skip them; provider formats still count.
TEST_FILE = re.compile(r"(^|[/\\])(test_[^/\\]*\.py|[^/\\]*_test\.(py|go|rb)|[^/\\]*Tests?\.(java|cs|kt|php)|"
                       r"[^/\\]*\.(test|spec)\.[cm]?[jt]sx?|[^/\\]*_spec\.rb|conftest\.py)$")
SECRET_WORDS = re.compile(r"(?i)api[_-]?key|apikey|secret|token|passw(or)?d|passwd|pwd|passphrase|credential|"
                          r"private[_-]?key|access[_-]?key|auth[_-]?key|signing[_-]?key|master[_-]?key")
PASSWORD_WORDS = re.compile(r"(?i)passw(or)?d|passwd|pwd|passphrase")
# A name whose last part says what the value is about rather than being it (token_type, passwordLabel).
NOT_A_SECRET_NAME = re.compile(
    r"(?i)(type|kind|name|names|field|url|uri|path|file(name)?|dir|header|label|prompt|endpoint|param(eter)?s?|"
    r"len(gth)?|size|count|expir\w*|ttl|timeout|format|regex|pattern|policy|mode|alg(orithm)?|prefix|suffix|id|"
    r"hash|hashed|digest|env|var(iable)?|hint|placeholder|message|msg|error|text|title|desc(ription)?|template|"
    r"column|attr(ibute)?|prop(erty)?|class|selector|method|provider|version|route|scope|event|validator|encoder|"
    r"location|host|port|user(name)?|login|email|question|policy|rule|min|max|strength|generator|manager|service|"
    r"store|storage|cache|query|input|confirm(ation)?|reset|changed|required|enabled|valid(ator)?|length|info|"
    r"const|label|key_?name|prompt)$")
SETTER_CALL = re.compile(r"(?i)^(set|with|use|add)?_?(password|passwd|pwd|passphrase|secret|token|api_?key|"
                         r"access_?key|secret_?key|client_?secret|credentials?|auth_?token|private_?key)$")
FIELD_WORDS = frozenset({"password", "passwd", "secret", "token", "key", "pwd", "pass", "none", "null", "nil",
                         "undefined", "true", "false", "required", "optional", "string", "text", "hidden",
                         "bearer", "basic", "oauth", "jwt", "default", "empty", "unknown", "secret_key", "apikey",
                         "foo", "bar", "baz", "qux", "test", "testing"})


@dataclass(frozen=True)
class SecretRule:
    id: str
    title: str
    pattern: re.Pattern[str]
    keywords: tuple[str, ...]        # lower-case substrings, at least one must occur in the text
    group: int | tuple[int, ...] = 0  # regex group holding the secret value (first that matched)
    name_group: int | None = None    # generic rules: the group holding the variable/key name
    generic: bool = False            # apply the entropy gate
    multiline: bool = False          # matches span lines: scan the whole text, not keyword lines
    in_tests: bool = True            # reported in test files and fixtures (provider formats: a live key is live)
    why: str = "A credential committed to source control is readable by everyone with the repository."
    fix: str = "Revoke the credential, then load it from the environment or a secret manager."
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()


SECRET_RULES: tuple[SecretRule, ...] = (
    SecretRule("secret-aws-access-key", "AWS access key id",
               re.compile(r"\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16})\b"), ("akia", "asia", "agpa",
                                                                                          "aida", "aroa"), 1,
               positive=('aws_key = "AKIAQ3EGUMT5ZLKDXW7R"',),  # guardline: ignore[secret-aws-access-key] fake example
               negative=('aws_key = "AKIAIOSFODNN7EXAMPLE"', 'aws_key = os.environ["AWS_KEY"]')),
    SecretRule("secret-github-token", "GitHub token",
               re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b"),
               ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), 1,
               positive=('token: ghp_8dKq2LmZ0vXa9TbC4nR7sYwE1uF6hJ3gP5oQ',),  # guardline: ignore[secret-github-token] fake example
               negative=('token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'prefix = "ghp_"')),
    SecretRule("secret-slack-token", "Slack token",
               re.compile(r"\b(xox[abprs]-[0-9A-Za-z]{8,}-[0-9A-Za-z-]{8,})\b"), ("xox",), 1,
               positive=('SLACK = "xoxb-2851037461-9Kq3mZ7vT1wY5rLd8nB2"',),  # guardline: ignore[secret-slack-token] fake example
               negative=('SLACK = "xoxb-your-token-here"',)),
    SecretRule("secret-stripe-key", "Stripe live secret key",
               re.compile(r"\b((?:sk|rk)_live_[0-9A-Za-z]{20,99})\b"), ("sk_live_", "rk_live_"), 1,
               positive=('stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"',),  # guardline: ignore[secret-stripe-key] fake example
               negative=('stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"',)),  # guardline: ignore[secret-generic] fake example
    SecretRule("secret-google-api-key", "Google API key",
               re.compile(r"\b(AIza[0-9A-Za-z_\-]{35})(?![0-9A-Za-z_\-])"), ("aiza",), 1,
               positive=('const key = "AIzaSyD3kT9qLm2vX8rP0wZc5nB7yH1jF4gE6aQ";',),  # guardline: ignore[secret-google-api-key] fake example
               negative=('const key = "AIza" + suffix;',)),
    SecretRule("secret-private-key", "Private key block",
               re.compile(r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----"
                          r"\s*\n([A-Za-z0-9+/=\s:,-]{40,})"),
               ("private key",), 2, multiline=True,
               positive=("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2wqk9L1x8\n"
                         "-----END RSA PRIVATE KEY-----\n",),
               negative=('HEADER = "-----BEGIN PRIVATE KEY-----"',)),
    SecretRule("secret-jwt", "JSON Web Token",
               re.compile(r"\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})"), ("eyj",), 1,
               positive=('auth = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.'
                         'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"',),
               negative=('auth = "eyJhbGciOiJIUzI1NiJ9"',)),
    SecretRule("secret-provider-token", "Provider API token",
               re.compile(r"(https://hooks\.slack\.com/services/T[0-9A-Z]{6,12}/B[0-9A-Z]{6,12}/[0-9A-Za-z]{20,32}|"
                          r"\bSG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}\b|\bnpm_[0-9A-Za-z]{36}\b|"
                          r"\bglpat-[0-9A-Za-z_-]{20}\b|\bsk-(?:proj-|ant-(?:api\d\d-)?)?[0-9A-Za-z_-]{32,}\b|"
                          r"\bpypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}|"
                          r"\bAccountKey=[0-9A-Za-z+/]{86}==|\bdop_v1_[0-9a-f]{64}\b|"
                          r"\bshpat_[0-9a-fA-F]{32}\b|\bxapp-\d-[0-9A-Z]{9,}-\d+-[0-9a-f]{32,})"),
               # specific keywords only: a bare "sk" or "sg." (msg.) would make every other line a window
               ("hooks.slack.com", '"sg.', "'sg.", "=sg.", "npm_", "glpat-", "sk-", "pypi-", "accountkey=",
                "dop_v1_", "shpat_", "xapp-"), 1,
               positive=('SENDGRID = "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"',  # guardline: ignore[secret-provider-token] fake example
                         'hook = "https://hooks.slack.com/services/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"'),  # guardline: ignore[secret-provider-token] fake example
               negative=('url = "https://hooks.slack.com/services/"', 'prefix = "npm_"')),
    SecretRule("secret-connection-string", "Password in a connection string or URL",
               # key=value form: the match starts at the separator (a literal, so the scan is fast); the
               # connection-string keys before it are checked on the line (_is_connection_string)
               re.compile(r"""\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:/@"'<>{}$]*:([^\s:/@"'<>{}]{3,})@[\w.-]+|"""
                          r"""[;&]\s*(?i:password|pwd|passwd)\s*=\s*([^;&"'\s]{3,})"""),
               ("://", "password", "pwd", "passwd"), (1, 2),
               in_tests=False,
               positive=('DB = "postgres://app:Wint3rIsH3re@db.internal:5432/app"',  # guardline: ignore[secret-connection-string] fake example
                         'cs = "Server=db;Database=app;User Id=sa;Password=S3cure!Pass;"'),  # guardline: ignore[secret-connection-string] fake example
               negative=('DB = "postgres://app:${DB_PASSWORD}@db.internal/app"', 'cs = "Server=db;User Id=sa;Password=;"',
                         'url = "https://user:password@example.com"')),
    SecretRule("secret-signing-key", "Hard-coded signing/encryption key in a call",
               re.compile(r"""(?:\b(?:jwt|JWT|jsonwebtoken|Jwts?)\.(?:sign|encode|verify|decode)\s*\([^,;]*?,\s*b?["']([^"'\n]{3,})["']|"""
                          r"""createHmac\(\s*["'][\w-]+["']\s*,\s*["']([^"'\n]{3,})["']|"""
                          r"""\bSecretKeySpec\(\s*"([^"\n]{4,})"\s*\.getBytes|"""
                          r"""\bSignedString\(\s*\[\]byte\(\s*"([^"\n]{3,})"|"""
                          r"""\bhmac\.new\(\s*b?["']([^"'\n]{3,})["']|"""
                          r"""\bsignWith\([^,;]*,\s*"([^"\n]{3,})"|"""
                          r"""\b(?:secret|signingKey|secretOrKey|secretOrPrivateKey)\s*:\s*["']([^"'\n]{3,})["'](?=\s*[,}]))"""),
               ("jwt", "hmac", "secretkeyspec", "signedstring", "signwith", "secret:", "secret\":", "secret':",
                "signingkey", "secretor"),
               (1, 2, 3, 4, 5, 6, 7),
               in_tests=False,
               positive=("const t = jwt.sign({ id: user.id }, 'my-jwt-s3cret');",  # guardline: ignore[secret-signing-key] fake example
                         'return token.SignedString([]byte("my-signing-secret"))',  # guardline: ignore[secret-signing-key] fake example
                         'SecretKeySpec k = new SecretKeySpec("0123456789abcdef".getBytes(), "AES");'),  # guardline: ignore[secret-signing-key] fake example
               negative=("const t = jwt.sign({ id: user.id }, process.env.JWT_SECRET);",
                         'return token.SignedString([]byte(os.Getenv("JWT_SECRET")))')),
    SecretRule("secret-call-password", "Password passed as a literal argument",
               # a call name right after a quote is text in a string ("login(" in a list of names)
               re.compile(r"""(?<!["'])\b(?:getConnection|mysqli_connect|mysql_connect|mysqli|PDO|SqlCredential)\s*\(\s*"""
                          r"""(?:[^,()]+|[^,()]*\([^()]*\)[^,()]*)\s*,\s*[^,()]+\s*,\s*["']([^"'\s]{3,})["']\s*[,)]|"""
                          r"""(?<!["'])\b(?:NetworkCredential|PasswordAuthentication|UsernamePasswordCredentials|BasicAuth|"""
                          r"""with_basic_auth|HTTPBasicAuth|basic_auth|SetBasicAuth|login)\s*\(\s*[^,()]+\s*,\s*"""
                          r"""["']([^"'\s]{3,})["']\s*[,)]|"""
                          r"""["'](\w+):([^@"'\s:/]{3,})@tcp\("""),
               ("getconnection", "mysqli", "mysql_connect", "pdo(", "networkcredential(", "passwordauthentication(",
                "usernamepasswordcredentials(", "sqlcredential(", "basicauth(", "basic_auth(", "login(", "@tcp("),
               (1, 2, 4),
               in_tests=False,
               positive=('c = DriverManager.getConnection("jdbc:mysql://db/app", "root", "toor");',  # guardline: ignore[secret-call-password] fake example
                         'db, _ := sql.Open("mysql", "app:Wint3rIsH3re@tcp(db:3306)/app")',  # guardline: ignore[secret-call-password] fake example
                         "$pdo = new PDO('mysql:host=db;dbname=app', 'app', 'S3cret!');"),  # guardline: ignore[secret-call-password] fake example
               negative=('c = DriverManager.getConnection(url, user, password);',
                         "$c = mysqli_connect('db', 'shop', $password, 'shop');",
                         "$pdo = new PDO($dsn, $user, getenv('DB_PASSWORD'));")),
    SecretRule("secret-auth-header", "Hard-coded Authorization header",
               re.compile(r"""(?i)\bauthorization["']?\s*[:=,]\s*["'](?:bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{12,})["']"""),
               ("authorization",), 1,
               in_tests=False,
               positive=('headers = {"Authorization": "Bearer q8Zt3kP1vN7xR2mW9bL5"}',),  # guardline: ignore[secret-auth-header] fake example
               negative=('headers = {"Authorization": f"Bearer {token}"}', 'h.set("Authorization", "Bearer " + t)')),
    SecretRule("secret-generic", "Hard-coded credential",
               re.compile(r"""(?<![\w-])([\w.-]*(?i:api[_-]?key|apikey|secret|token|passw(?:or)?d|passwd|pwd|passphrase|"""
                          r"""auth[_-]?key|access[_-]?key|client[_-]?secret|private[_-]?key|credentials?|signing[_-]?key|"""
                          r"""encryption[_-]?key|master[_-]?key)[\w.-]*)"""
                          r"""(?:["']\s*(?::|=>|=|,|\]\s*=(?!=))|\s*(?:\[\s*\])?\s*(?::=|=>|=|:(?!:)|\()|"""
                          r"""(?:[ \t]*:[ \t]*[\w.<>\[\]?]+|[ \t]+[\w.<>\[\]*]+)[ \t]*:?=|[ \t]+(?=["']))"""
                          r"""\s*[@$]?(?:\[\]byte\(\s*|b(?=["']))?["']([^"'\n]{4,200})["']"""),
               ("key", "secret", "token", "passw", "pwd", "credential", "passphrase"), 2, name_group=1, generic=True,
               in_tests=False,
               positive=('API_KEY = "q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa"', 'db_password: "7f3a9c2e1b8d4f60a5e2c9b7"',  # guardline: ignore[secret-generic] fake example
                         'private static final String DB_PASSWORD = "Pr0d-Passw0rd!2024";',  # guardline: ignore[secret-generic] fake example
                         'ds.setPassword("Wint3r-Is-C0ming");', 'props.put("mail.smtp.password", "Tr0ub4dor&3");',  # guardline: ignore[secret-generic] fake example
                         'var apiToken string = "tok_9fK2mQ7xT4vB8nR1";',  # guardline: ignore[secret-generic] fake example
                         'var jwtSecret = []byte("my-signing-s3cret")'),  # guardline: ignore[secret-generic] fake example
               negative=('API_KEY = "changeme-changeme-changeme"', 'password = "${DB_PASSWORD}"',
                         'token = "aaaaaaaaaaaaaaaaaaaaaaaa"', 'secret = "<your-secret-here>"',
                         'PASSWORD_FIELD = "password"', 'TOKEN_HEADER = "X-Auth-Token"', 'password = os.getenv("PW")',
                         'token_type = "bearer"', 'passwordLabel = "Enter your password"',
                         'key_file = "/etc/ssl/private/server.key"', 'password = ""', 'if (password == "x") {}',
                         'apiKey: "api_key"', 'SECRET_NAME = "db-credentials"')),
)

ALL_KEYWORDS = tuple({kw for rule in SECRET_RULES for kw in rule.keywords})


def _containing_order(keywords: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """(keyword, a shorter keyword inside it or None), shortest first: a text without "passw" has no
    "password" either, so the longer one need not be searched for (14 of the 62 keywords)."""
    ordered = sorted(set(keywords), key=lambda kw: (len(kw), kw))
    return tuple((kw, next((inner for inner in ordered if len(inner) < len(kw) and inner in kw), None))
                 for kw in ordered)


KEYWORD_ORDER = _containing_order(ALL_KEYWORDS)


def present_keywords(lowered: str) -> frozenset[str]:
    """The keywords that occur in ``lowered`` (same set as testing each one)."""
    present: set[str] = set()
    for keyword, inner in KEYWORD_ORDER:
        if (inner is None or inner in present) and keyword in lowered:
            present.add(keyword)
    return frozenset(present)


def mask(value: str) -> str:
    """First 4 characters and ``***``: enough to recognise the credential, not to use it."""
    return value[:4] + "***"


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    total = len(text)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


def looks_like_placeholder(value: str) -> bool:
    """Values that are obviously not real secrets: markers, template syntax, repeated characters."""
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS) or any(m in value for m in PLACEHOLDER_MARKERS):
        return True
    stripped = lowered.strip("-_=.* ")
    return len(set(stripped)) <= 2


def passes_entropy_gate(value: str) -> bool:
    if all(ch in HEX_CHARS for ch in value):
        return shannon_entropy(value) >= HEX_ENTROPY
    return shannon_entropy(value) >= BASE64_ENTROPY


def scan_secrets(text: str, path: str = "") -> list[Finding]:
    """Secrets in one text file (any language, config or data). Values are masked in findings."""
    lowered = text.lower()
    found = KeywordIndex(lowered)
    if not found.present:
        return []
    normalised = path.replace("\\", "/")
    fixture = bool(FIXTURE_PATH.search(normalised) or TEST_FILE.search(normalised))
    taken: dict[int, tuple[SecretRule, str]] = {}   # value offset -> first rule that reported it
    aligned = len(lowered) == len(text)   # lower() can lengthen a few characters ('İ'): offsets differ
    for rule in SECRET_RULES:
        if found.present.isdisjoint(rule.keywords):
            continue
        for start, value, name in _rule_matches(rule, text, lowered, aligned, found):
            before = _before_separator(text, start) if rule.id == "secret-connection-string" else None
            if start not in taken and _is_reportable(rule, value, fixture, name, before):
                taken[start] = (rule, value)
    if not taken:
        return []
    line_starts = _line_starts(text)   # only now: most files have no finding
    findings = [_finding(rule, value, start, line_starts, text) for start, (rule, value) in taken.items()]
    findings.sort(key=lambda f: (f.start_line, f.start_column))
    return findings


class KeywordIndex:
    """The keywords present in a lower-cased text, and their positions on first request: rules share
    keywords ("key", "secret", "passw"), and each is searched for once per text."""

    def __init__(self, lowered: str):
        self.lowered = lowered
        self.present = present_keywords(lowered)
        self._positions: dict[str, list[int]] = {}

    def positions(self, keyword: str) -> list[int]:
        if keyword not in self.present:
            return []
        found = self._positions.get(keyword)
        if found is None:
            found = self._positions[keyword] = _positions(self.lowered, keyword)
        return found


def _rule_matches(rule: SecretRule, text: str, lowered: str, aligned: bool,
                  index: KeywordIndex | None = None) -> Iterator[tuple[int, str, str]]:
    """(offset, value, name) of each match of the rule, searched only in its keyword windows."""
    for lo, hi in _keyword_windows(rule, lowered, aligned, index or KeywordIndex(lowered)):
        if rule.generic and text.find('"', lo, hi) == -1 and text.find("'", lo, hi) == -1:
            continue   # the generic form needs a quoted value: most keyword lines have none
        yield from _window_hits(rule, text, lowered if aligned else "", lo, hi)


def _window_hits(rule: SecretRule, text: str, lowered: str, lo: int, hi: int) -> Iterator[tuple[int, str, str]]:
    """(offset, value, name) of the rule's matches in one keyword window."""
    for match in _window_matches(rule, text, lowered, lo, hi):
        group = _matched_group(match, rule.group)
        name = _name_with_form(match, rule.name_group, text) if rule.name_group else ""
        if group is not None and name is not None:
            yield match.start(group), match.group(group), name


NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def _window_matches(rule: SecretRule, text: str, lowered: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The rule's matches in text[lo:hi]. A generic (name = value) match starts at the name around one
    of its keywords, so the regex is tried only there (``match``) instead of at every position of the
    window (``finditer`` retried the greedy name pattern on every word: 60% of the secrets time)."""
    if not rule.name_group or not lowered:
        yield from rule.pattern.finditer(text, lo, hi)
        return
    starts = set()
    for keyword in rule.keywords:
        at = lowered.find(keyword, lo, hi)
        while at != -1:
            start = at
            while start > lo and text[start - 1] in NAME_CHARS:
                start -= 1
            starts.add(start)
            at = lowered.find(keyword, at + 1, hi)
    end = lo
    for start in sorted(starts):
        if start < end:
            continue   # inside the previous match
        match = rule.pattern.match(text, start, hi)
        if match is not None:
            end = match.end()
            yield match


def _name_with_form(match: re.Match[str], group: int, text: str) -> str | None:
    """The name of a generic match, or None when its form is not an assignment: ``"name", "value"``
    counts only as the first two arguments of a call (``put("password", "...")``), and ``name("...")``
    only for setters (``setPassword("...")``), not for lookups (``getSecret("db-password")``)."""
    name = match.group(group)
    between = text[match.end(group):match.start(2)].replace("[]byte(", "")   # Go: x = []byte("...")
    if not between.strip(" \t\"'@$"):   # NAME "value": only a C/C++ macro definition
        line_start = text.rfind("\n", 0, match.start(group)) + 1
        return name if re.match(r"\s*#\s*define\s", text[line_start:match.start(group)]) else None
    before = text[max(0, match.start(group) - 40):match.start(group)]
    if re.search(r"\w:?:$", before):   # not Ruby's :password symbol
        return None   # AWS::Route53::KeySigningKey, Foo::Token: a type path, not a variable
    if "," in between and not re.search(r"(?i)(put|set\w*|add|setenv|putenv|setdefault|define|store|with\w*)\s*\(\s*[\"']$",
                                        before):
        return None   # ("name", "value") counts only as the arguments of a setter: put("password", "...")
    if "," in between:
        return name if name in (name.lower(), name.upper()) else None   # a key, not HTTPPasswordMgr
    if "(" in between and not SETTER_CALL.match(name.rsplit(".", 1)[-1]):
        return None
    return name


def _before_separator(text: str, value_start: int) -> str | None:
    """The line up to and including the ``;``/``&`` before ``password=`` (None for the URL form)."""
    line_start = text.rfind("\n", 0, value_start) + 1
    head = text[line_start:value_start]
    found = re.search(r"[;&]\s*(?i:password|pwd|passwd)\s*=\s*$", head)
    return head[:found.start() + 1] if found else None


def _matched_group(match: re.Match[str], groups: int | tuple[int, ...]) -> int | None:
    for group in (groups,) if isinstance(groups, int) else groups:
        if match.group(group) is not None:
            return group
    return None


def _keyword_windows(rule: SecretRule, lowered: str, aligned: bool, index: KeywordIndex) -> list[tuple[int, int]]:
    """Where a match of the rule can be: the line of each keyword occurrence and the two non-blank
    lines after it (`password =` on one line, its value on the next), merged. Every match holds one
    of its rule's keywords, so the regex (the costly part: the generic one tries every word of the
    text) runs on a few lines instead of the whole file. A rule whose matches span lines by design
    scans everything."""
    if rule.multiline or not aligned:
        return [(0, len(lowered))] if not index.present.isdisjoint(rule.keywords) else []
    occurrences = sorted(at for keyword in rule.keywords for at in index.positions(keyword))
    windows: list[tuple[int, int]] = []
    line_seen = -1
    for at in occurrences:
        lo = lowered.rfind("\n", 0, at) + 1
        if lo == line_seen:
            continue   # another keyword on the same line: same window
        line_seen, hi = lo, _window_end(lowered, at)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


def _positions(text: str, needle: str) -> list[int]:
    found = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _window_end(lowered: str, at: int, following: int = 2) -> int:
    """The end (after its newline) of the line holding ``at`` plus its next ``following`` non-blank
    lines (blank lines between them included): `password` / `=` / `"value"` may each sit on a line
    of its own."""
    end = lowered.find("\n", at)
    while end != -1 and following:
        start, end = end + 1, lowered.find("\n", end + 1)
        if lowered[start:end if end != -1 else len(lowered)].strip():
            following -= 1
    return len(lowered) if end == -1 else end + 1


CONNECTION_KEYS = re.compile(r"(?i)(user\s?id|uid|user(name)?|server|host|data\s?source|database|initial\s?catalog|"
                             r"address)\s*=[^\"'\n]*[;&]\s*$")


def _is_reportable(rule: SecretRule, value: str, fixture: bool, name: str = "",
                   line_before: str | None = None) -> bool:
    compact = re.sub(r"\s+", "", value)
    if looks_like_placeholder(compact) or (fixture and not rule.in_tests):
        return False
    if rule.generic:
        return (passes_entropy_gate(compact) if not name else credential_value(name, value))
    if rule.id == "secret-connection-string" and line_before is not None and not CONNECTION_KEYS.search(line_before):
        return False
    if rule.id in ("secret-connection-string", "secret-call-password"):
        return compact.lower() not in FIELD_WORDS and not compact.startswith(("%", "{", "$"))
    return True


def credential_value(name: str, value: str) -> bool:
    """Whether ``value``, assigned to ``name``, looks like a real credential rather than a field name,
    label, path, template or placeholder (the name says it is a secret; the value must agree)."""
    last = re.split(r"[.\[\]'\"]", name.strip("'\""))[-1] or name
    if not SECRET_WORDS.search(last):
        return False   # Token.String, secret.path: the secret word names an owner, not this value
    if NOT_A_SECRET_NAME.search(last) and not SECRET_WORDS.search(last[-10:]):
        return False
    if _names_something_else(value, last):
        return False
    if PASSWORD_WORDS.search(last):
        return len(value) >= 4          # weak passwords ("root", "admin1") are the worst kind
    if re.search(r"(?i)secret", last) and not re.search(r"(?i)secret_?(key_?)?(id|arn|name|ref)$", last):
        return len(value) >= 6          # signing secrets ("mysecretkey") are often dictionary-like
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    return len(value) >= 8 and shannon_entropy(value) >= 3.0 and (classes >= 2 or len(value) >= 20)


MESSAGE_WORDS = re.compile(r"(?i)\b(required|invalid|enter|must|please|your|wrong|incorrect|error|is|the|not|"
                           r"field|missing|match|confirm|forgot|reset|new|old|current|show|hide|min|max)\b")


def _short_phrase_secret(value: str, name: str) -> bool:
    """A short phrase of two to four plain words given to a secret-named setting (a session secret
    set to two dictionary words) is the secret; a sentence (``'Password is required'``) is a message."""
    return re.search(r"(?i)secret|passphrase", name) is not None and \
        re.fullmatch(r"[a-z]+( [a-z]+){1,3}", value) is not None and not MESSAGE_WORDS.search(value)


NON_SECRET_VALUES = (
    re.compile(r"%[sd]|\{\w*\}|#\{|\$\{|^\$\w+$|^%\w+%$"),      # a format string, template or variable
    re.compile(r"_*(?=[A-Za-z]*[a-z])(?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Za-z]+"),   # a class name (annotation)
    re.compile(r"(?i).*\.(pem|key|crt|cer|p12|pfx|jks|json|ya?ml|txt|env|properties)"),  # the key's file
)


def _names_something_else(value: str, name: str) -> bool:
    """A message, URL, path, template, class name, key file, or a header/field/setting name."""
    if re.search(r"\s", value) and not _short_phrase_secret(value, name):
        return True
    if "://" in value or value.startswith(("/", "./", "~/", "../")):
        return True
    lowered = value.lower()
    if lowered in FIELD_WORDS or value.count("\\x") >= 2:
        return True
    compact_value, compact_name = re.sub(r"[^a-z0-9]", "", lowered), re.sub(r"[^a-z0-9]", "", name.lower())
    if (compact_value in compact_name and SECRET_WORDS.search(compact_value)) or \
            (len(compact_name) >= 5 and compact_name in compact_value):
        return True   # the value restates the name: PASSWORD_PARAM = "password", SN_Token = "Token"
    if NON_SECRET_VALUES[0].search(value) or any(p.fullmatch(value) for p in NON_SECRET_VALUES[1:]):
        return True
    return _names_a_setting(value)


def _names_a_setting(value: str) -> bool:
    """Words joined by separators name a header, field or setting (X-Auth-Token, access_token,
    db.password); with a version number and a secret word, a format ("blob-tokens-1", "api-key-v2")."""
    if re.fullmatch(r"[A-Za-z]+([_.-][A-Za-z]+)+", value):
        return True
    return re.fullmatch(r"[A-Za-z]+([_.-][A-Za-z]+)+[_.-]v?\d{1,3}", value) is not None and \
        SECRET_WORDS.search(value) is not None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _finding(rule: SecretRule, value: str, offset: int, line_starts: list[int], text: str) -> Finding:
    line_index = bisect.bisect_right(line_starts, offset) - 1
    column = len(text[line_starts[line_index]:offset].encode("utf-8"))  # columns are 0-based bytes
    masked = mask(value.strip())
    message = (f"Security hotspot: {rule.title} `{masked}` in source. {rule.why} (CWE-798; fix: {rule.fix})")
    return Finding(rule=rule.id, category="security", severity="warning", start_line=line_index + 1,
                   end_line=line_index + 1, start_column=column, message=message, cwe="CWE-798",
                   data={"tier": "C", "security_category": "secrets", "masked": masked, "confidence": "high"
                         if not rule.generic else "medium", "cwe": "CWE-798", "fix": rule.fix})
