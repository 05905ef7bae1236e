"""Predicates and taint hooks shared by the rule tables of every language.

Nothing here knows a language: each table passes its own names (sanitisers, request types,
annotations). Walks are iterative and bounded, like the engine's.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Callable, Iterable, Iterator, Literal

import tree_sitter

from guardline.security.engine import _CALL_TYPES, SECRET_NAME, DocContext, Hit, Predicate

Node = tree_sitter.Node
MAX_CLEAN_NODES = 2_000
CALLEE_FIELDS = ("function", "name", "method")
# String builders whose result is clean when their arguments are: fmt.Sprintf("%d", n), String.format.
FORMAT_CALLS = frozenset({"Sprintf", "format", "Format", "concat", "join", "Join", "sprintf", "formatted"})


def callee_last(ctx: DocContext, call: Node) -> str:
    """The called function's own name: ``a.b.escape(x)`` -> ``escape`` (``::``/``->`` too)."""
    for field_name in CALLEE_FIELDS:
        callee = call.child_by_field_name(field_name)
        if callee is not None:
            return re.split(r"[.:>\s]+", ctx.text(callee))[-1]
    return ""


def clean_value(ctx: DocContext, node: Node | None, sanitisers: frozenset[str]) -> bool:
    """True when ``node`` is built only from constants and calls to ``sanitisers`` (through local
    assignments): such a value reaching a sink is not a hotspot."""
    if node is None:
        return True
    stack, seen = [node], 0
    while stack:
        seen += 1
        parts = _parts_left(ctx, stack.pop(), sanitisers)
        if parts is None or seen > MAX_CLEAN_NODES:
            return False
        stack.extend(parts)
    return True


def _parts_left(ctx: DocContext, current: Node, sanitisers: frozenset[str]) -> list[Node] | None:
    """What still decides whether ``current`` is clean ([] when it is), None when it is not."""
    hook = ctx.spec.source_node   # "" = known clean (a cast to int, request.getContextPath())
    if ctx.is_const(current) or (hook is not None and hook(ctx, current) == ""):
        return []
    if current.type in _CALL_TYPES:
        callee = callee_last(ctx, current)
        if callee in sanitisers:
            return []
        if callee in FORMAT_CALLS:
            arguments = current.child_by_field_name("arguments")
            return arguments.named_children if arguments is not None else []
    if current.type in ctx.spec.identifier_types:
        values = [v for v in ctx.assigned_values(current) if v.start_byte < current.start_byte]
        return values or None
    if current.type in ctx.spec.composites or current.type in ctx.spec.arg_wrappers:
        return current.named_children
    return None


def unsanitised(key: int | str = 0, sanitisers: Iterable[str] = ()) -> Predicate:
    """The argument exists and is neither constant nor wholly sanitised (``@name``: a capture)."""
    names = frozenset(sanitisers)

    def check(hit: Hit) -> bool:
        node = hit.capture(key[1:]) if isinstance(key, str) and key.startswith("@") else hit.arg(key)
        return node is not None and not clean_value(hit.ctx, node, names)
    return check


def enclosing_function(hit: Hit) -> Node | None:
    current = hit.node.parent
    while current is not None and current.type not in hit.ctx.spec.function_types:
        current = current.parent
    return current


def scope_text(hit: Hit) -> str:
    """The text of the function around the hit (the whole document at top level)."""
    function = enclosing_function(hit)
    return hit.ctx.text(function) if function is not None else hit.ctx.doc.text


def scope_lacks(pattern: str) -> Predicate:
    """No match of ``pattern`` in the function around the hit (or the file at top level)."""
    regex = re.compile(pattern)
    return lambda hit: regex.search(scope_text(hit)) is None


def scope_has(pattern: str) -> Predicate:
    regex = re.compile(pattern)
    return lambda hit: regex.search(scope_text(hit)) is not None


def file_has(pattern: str) -> Predicate:
    regex = re.compile(pattern)
    return lambda hit: regex.search(hit.ctx.doc.text) is not None


def callee_matches(pattern: str) -> Predicate:
    """The callee as written (receiver included) matches ``pattern``."""
    regex = re.compile(pattern)
    return lambda hit: regex.search(hit.callee) is not None


def any_arg_text(pattern: str) -> Predicate:
    regex = re.compile(pattern)
    return lambda hit: any(regex.search(hit.text(a)) for a in list(hit.args) + list(hit.kwargs.values()))


def typed_parameters(params_field: str, type_field: str, name_fields: tuple[str, ...],
                     source_type: Callable[[str, str], str | None]) -> Callable[[DocContext, Node], dict[str, str]]:
    """A ``parameter_sources`` hook: each parameter whose (declaration text, type text) ``source_type``
    names a source maps its name(s) to that source."""
    def hook(ctx: DocContext, function: Node) -> dict[str, str]:
        params = function.child_by_field_name(params_field)
        out: dict[str, str] = {}
        if params is None:
            return out
        for param in params.named_children:
            source = source_type(ctx.text(param), ctx.text(param.child_by_field_name(type_field)))
            if source is None:
                continue
            for name_field in name_fields:
                for child in param.children_by_field_name(name_field):
                    out[ctx.text(child).lstrip("&*")] = source
        return out
    return hook


def tainted(*keys: int | str) -> Predicate:
    """Some argument (``"*"``: any, ``"@name"``: a capture) carries request data: a Tier A shape test
    (SQL-looking text, a shell) must not hide a proven flow."""
    def check(hit: Hit) -> bool:
        ctx = hit.ctx
        for key in keys:
            nodes = (list(hit.args) + list(hit.kwargs.values()) if key == "*" else
                     [hit.capture(key[1:])] if isinstance(key, str) and key.startswith("@") else [hit.arg(key)])
            for node in nodes:
                if node is not None and ctx.taint_possible(node) and not ctx.is_const(node) \
                        and ctx.is_tainted(node, hit.node.start_byte):
                    return True
        return False
    return check


def or_tainted(shape: Predicate, *keys: int | str) -> Predicate:
    return lambda hit: shape(hit) or tainted(*keys)(hit)


SECRET_CODE_NAME = re.compile(r"(?i)(reset|verif\w*|confirm\w*|invite|invitation|activation|otp|mfa|2fa|one_?time)"
                              r"[_-]?(code|pin|link|id)|\bpin\b|api_?key|nonce|salt|otp|^(tok|sid|pw|iv|sess_?id)$")
TARGET_FIELDS = ("left", "name", "key", "declarator")


def secret_context(hit: Hit) -> bool:
    """The value is stored in (or returned by a function) named like a secret. The nearest plain name
    decides: ``delay = rand(1, 5)`` inside ``new_token()`` is a delay, not the token; an element
    (``b[i] = ...``) defers to the names around it."""
    return _nearest_name_says(hit) is True


def _nearest_name_says(hit: Hit) -> bool | None:
    """True/False when the nearest assigned or declared name is (not) secret-like; None when there is
    none, or only a neutral one (``rand``, ``value``, ``buf``) that says nothing about its use."""
    ctx, node = hit.ctx, hit.node
    current, hops = node.parent, 0
    while current is not None and hops < 12:
        for named in _target_names(ctx, current, node):
            verdict = _name_says(ctx.text(named)[:80])
            if verdict is not _UNDECIDED:
                return verdict
        if current.type in ctx.spec.function_types:
            return None
        current, hops = current.parent, hops + 1
    return None


class _Verdict(enum.Enum):
    UNDECIDED = enum.auto()   # the name says nothing either way: look further out


_UNDECIDED = _Verdict.UNDECIDED


def _target_names(ctx: DocContext, current: Node, node: Node) -> Iterator[Node]:
    """The names ``current`` assigns or declares, not the part that holds ``node`` itself."""
    for field_name in TARGET_FIELDS:
        named = current.child_by_field_name(field_name)
        if named is None or named.start_byte <= node.start_byte < named.end_byte or (
                field_name == "name" and not _declares(ctx, current)):
            continue   # `name` of a call or member access is the method, not a target
        yield named


def _name_says(text: str) -> bool | None | Literal[_Verdict.UNDECIDED]:
    """True: a secret-like name; False: a plain other name; None: a neutral one; else undecided."""
    if SECRET_NAME.search(text) or SECRET_CODE_NAME.search(text):
        return True
    if re.fullmatch(r"[$@]?[\w.]+", text.strip()):
        return None if NEUTRAL_NAME.fullmatch(text.strip().lstrip("$@").rsplit(".", 1)[-1]) else False
    return _UNDECIDED


NEUTRAL_NAME = re.compile(r"(?i)rand\w*|rnd|r|random\w*|value|val|v|num\w*|n|x|result|res|tmp|temp|bytes|b|"
                          r"buf\w*|s|str|string|data|out|output|i|j|k|gen|generator|seed|number|bits|chars|text")


def _declares(ctx: DocContext, node: Node) -> bool:
    return node.type in ctx.spec.function_types or node.type.endswith(
        ("declarator", "declaration", "definition", "parameter", "method", "spec", "pair", "assignment"))


SECRET_WORK = re.compile(r"(?i)token|secret|passw|nonce|salt|\botp|session|cookie|csrf|remember|api_?key|"
                         r"credential|reset|verification|captcha|\bauth|signature|private_?key|activation")


def secret_function(hit: Hit) -> bool:
    """The function around the hit handles secrets (a token, password, session id, ... is named in
    it): a predictable random number there is a guessable secret, whatever variable it lands in
    first. Falls back to the nearest-name test at top level."""
    if any(SECRET_NAME.search(hit.text(a)) for a in hit.args if a.type in hit.ctx.spec.identifier_types):
        return True   # rand.Read(key), random.nextBytes(salt): the buffer filled is the secret
    verdict = _nearest_name_says(hit)
    if verdict is not None:
        return verdict
    function = enclosing_function(hit)
    return function is not None and SECRET_WORK.search(hit.ctx.text(function)) is not None


# Words that make a function a security context for random numbers (tokens, cookies, sessions, keys).
SECURITY_WORDS = re.compile(r"(?i)token|secret|passw|nonce|salt|\botp|csrf|session|cookie|api_?key|credential|"
                            r"signature|remember|captcha|reset_?(code|link|key)")


def in_security_function(hit: Hit) -> bool:
    """The random value is named like a secret, or its function handles sessions/cookies/tokens."""
    if hit.ctx.in_secret_context(hit.node):
        return True
    scope = hit.ctx.scope_of(hit.node)
    if scope < 0:
        return False
    end = hit.ctx._scope_ends.get(scope, scope)
    return SECURITY_WORDS.search(hit.ctx.doc.source[scope:end].decode("utf-8", "replace")) is not None
