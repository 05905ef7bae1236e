"""Security rule engine: rules are data (tree-sitter queries + small predicates over captures).

Per language the queries are compiled once per process (cached): a generic "call" query whose callee
is resolved through import aliases and looked up in a dict of call rules, one query per rule that is
not a call (attribute assignments, keyed elements, strings), and the import and assignment queries
used for alias resolution, constant folding and taint.

Per document nothing walks the whole tree (a full query pass alone costs milliseconds on a 3,000-line
file, the budget of the per-keystroke path): the words of the text decide which rules can fire at all
(``prefilter``), and each query runs only around the positions of those words. Assignments are indexed
per name, on the first question about that name; predicates only look at the few nodes a match captured.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import tree_sitter

from guardline.languages import ts_language
from guardline.model import Finding
from guardline.parsing import ParsedDocument
from guardline.security.prefilter import (
    Captures, merge_spans, name_words, ranged_matches, spans_of, top_level_spans, whole_words, word_set,
)

Node = tree_sitter.Node
Predicate = Callable[["Hit"], bool]

# language -> rules module under guardline.security.rules
RULE_MODULES: dict[str, str] = {
    "python": "python", "javascript": "javascript", "typescript": "javascript", "tsx": "javascript",
    "go": "go", "java": "java", "c": "c", "cpp": "c", "csharp": "csharp", "ruby": "ruby", "php": "php",
}

# Names whose values are secrets: random values assigned to them must come from a CSPRNG.
SECRET_NAME = re.compile(r"(?i)(token|secret|passw|pwd|nonce|salt|otp|api_?key|session|csrf|auth|"
                         r"credential|private_?key|signature|_key\b|^key$)")
MAX_FOLD_DEPTH = 12          # identifier -> assignment -> identifier chains followed
MAX_WALK_NODES = 100_000     # nodes visited per constant/taint question (bounds pathological inputs)
# Occurrences of names whose assignments are indexed by ranged queries; past this, one pass over the
# whole document is cheaper (common names such as ``self`` occur thousands of times).
RANGED_ASSIGNMENT_BUDGET = 200


@dataclass(frozen=True)
class Rule:
    """One security rule. Call rules list ``calls``; other rules give a tree-sitter ``query``."""

    id: str
    title: str
    category: str                     # injection, command-injection, xss, weak-cryptography, ...
    cwe: str                          # primary CWE, "CWE-78" form
    why: str                          # why it matters, one sentence, ends the message
    fix: str
    languages: tuple[str, ...]
    calls: tuple[str, ...] = ()       # "subprocess.run" (resolved), "*.execute" (any receiver)
    query: str | None = None          # pattern; capture @hit marks the location (else first capture)
    # The query can only match where one of these occurs (case-insensitive) inside the pattern's root
    # node: the query runs only around them, and not at all when none occurs. Empty: whole file.
    needles: tuple[str, ...] = ()
    when: Predicate | None = None
    severity: str = "warning"
    confidence: str = "medium"
    taint: str | None = None          # taint kind: the Tier B rule "<prefix>-tainted-<kind>"
    taint_args: tuple[int | str, ...] = (0,)
    tier: str = "A"                   # "A" hotspot; "B" = only reported when tainted
    bandit: tuple[str, ...] = ()      # Bandit test ids this rule covers (nosec B602, bench)
    default_enabled: bool = True
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    extra_cwe: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaintRule:
    """A Tier B vulnerability kind (error): a source reaches a sink of this kind unsanitised."""

    id: str
    kind: str
    title: str
    cwe: str
    category: str
    why: str
    fix: str
    languages: tuple[str, ...]
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    # Path, URL and HTML sinks fed from argv/env/stdin are a CLI doing its job, not a vulnerability:
    # such kinds only count sources that come from a remote request.
    remote_only: bool = False


@dataclass
class LanguageSpec:
    """How one grammar spells calls, imports, assignments and constants, plus its rules."""

    languages: tuple[str, ...]
    call_queries: tuple[str, ...]                  # captures @call @callee and optional @args
    rules: list[Rule]
    import_queries: tuple[str, ...] = ()          # captures consumed by ``imports``
    imports: Callable[[dict[str, list[Node]], ParsedDocument], Iterable[tuple[str, str]]] | None = None
    assignment_queries: tuple[str, ...] = ()      # captures @lhs @rhs
    function_types: frozenset[str] = frozenset()
    const_leaves: frozenset[str] = frozenset()
    composites: frozenset[str] = frozenset()      # const iff all named children are const
    identifier_types: frozenset[str] = frozenset({"identifier"})
    string_types: frozenset[str] = frozenset()
    arg_wrappers: frozenset[str] = frozenset()    # e.g. C#/PHP "argument" around each argument
    keyword_types: dict[str, tuple[str, str]] = field(default_factory=dict)  # type -> (name field, value field)
    object_kwargs: tuple[str, str, str] | None = None  # JS: (object type, pair type, key field)
    comment_types: frozenset[str] = frozenset({"comment"})
    call_format_methods: frozenset[str] = frozenset()  # "str.format"-style builders on constants
    taint_sources: frozenset[str] = frozenset()  # resolved dotted names
    taint_source_types: frozenset[str] = frozenset()
    sanitizers: frozenset[str] = frozenset()      # resolved callee names (or last segment)
    taint_rules: list[TaintRule] = field(default_factory=list)
    local_sources: frozenset[str] = frozenset()   # argv/env/stdin: ignored by remote_only kinds
    separators: tuple[str, ...] = ()              # "->", "::" normalised to "."
    # Words inside every node an import query matches (or, with import_needs_statement, inside its
    # top-level statement: Go's import_spec lacks the `import` keyword): the import query runs only
    # around them. Empty: over the whole file.
    import_needles: tuple[str, ...] = ()
    import_needs_statement: bool = False
    # Framework sources that are not dotted names (defaults: none). ``source_node`` names the source a
    # node is by itself (Java ``req.getParameter(..)``, C# ``[FromQuery]``-free ``Request.Query``), or
    # None; ``parameter_sources`` maps a function node to its parameters that carry request data (Spring
    # ``@RequestParam``, Go ``*http.Request``), by name; ``source_node`` returning "" marks a node clean
    # (``req.getContextPath()`` on a request parameter). ``taint_words``: any one of them in a function
    # makes taint possible there (the words of ``taint_sources`` do already).
    source_node: Callable[["DocContext", Node], str | None] | None = None
    parameter_sources: Callable[["DocContext", Node], dict[str, str]] | None = None
    taint_words: frozenset[str] = frozenset()


# ---------------------------------------------------------------- compiled per language, cached


@dataclass
class CompiledLanguage:
    spec: LanguageSpec
    call_query: tree_sitter.Query | None
    import_query: tree_sitter.Query | None
    assign_query: tree_sitter.Query | None
    scope_query: tree_sitter.Query | None     # every function node, captured as @scope
    rule_queries: list[tuple[Rule, tree_sitter.Query]]
    call_index: dict[str, list[Rule]]
    taint_by_kind: dict[str, TaintRule]
    call_tails: frozenset[str] = frozenset()   # last name segment of every indexed callee
    call_words: dict[str, frozenset[bytes]] = field(default_factory=dict)  # callee -> words it needs
    source_words: list[frozenset[bytes]] = field(default_factory=list)     # per taint source
    source_prefixes: frozenset[str] = frozenset()   # "os", "os.environ" for the source os.environ


def spec_for(language: str) -> LanguageSpec | None:
    module_name = RULE_MODULES.get(language)
    if module_name is None:
        return None
    try:
        module = importlib.import_module(f"guardline.security.rules.{module_name}")
    except ModuleNotFoundError as exc:  # a language whose table has not landed yet
        if exc.name == f"guardline.security.rules.{module_name}":
            return None
        raise
    return module.SPEC


@functools.cache
def compiled(language: str) -> CompiledLanguage | None:
    spec = spec_for(language)
    if spec is None:
        return None
    ts_lang = ts_language(language)

    def query(patterns: Iterable[str]) -> tree_sitter.Query | None:
        text = "\n".join(patterns)
        return tree_sitter.Query(ts_lang, text) if text else None

    rules = [rule for rule in spec.rules if language in rule.languages]
    call_index = _call_index(rules)
    return CompiledLanguage(
        spec=spec, call_query=query(spec.call_queries), import_query=query(spec.import_queries),
        assign_query=query(spec.assignment_queries), scope_query=query(_scope_patterns(ts_lang, spec)),
        rule_queries=[(rule, tree_sitter.Query(ts_lang, rule.query)) for rule in rules if rule.query],
        call_index=call_index, taint_by_kind={t.kind: t for t in spec.taint_rules},
        call_tails=frozenset(name.rsplit(".", 1)[-1] for name in call_index),
        call_words={name: name_words(name) for name in call_index},
        source_words=[name_words(source) for source in sorted(spec.taint_sources | spec.taint_words)],
        source_prefixes=_prefixes(spec.taint_sources))


def _call_index(rules: list[Rule]) -> dict[str, list[Rule]]:
    """Callee name -> the rules that name it, in rule order."""
    index: dict[str, list[Rule]] = {}
    for rule in rules:
        for name in rule.calls:
            index.setdefault(name, []).append(rule)
    return index


def _scope_patterns(ts_lang: tree_sitter.Language, spec: LanguageSpec) -> list[str]:
    """One pattern capturing every function as @scope, with only the kinds this grammar has
    (TypeScript and JavaScript differ slightly)."""
    kinds = sorted(kind for kind in spec.function_types if ts_lang.id_for_node_kind(kind, True))
    return ["[" + " ".join(f"({kind})" for kind in kinds) + "] @scope"] if kinds else []


def _prefixes(names: Iterable[str]) -> frozenset[str]:
    """Every dotted prefix: ``os.environ`` -> {os, os.environ}."""
    return frozenset(name.rsplit(".", cut)[0] for name in names for cut in range(name.count(".") + 1))


# ---------------------------------------------------------------- per-document plan: what can fire, where


@dataclass
class ScanPlan:
    """The callee names and query rules whose words occur in the document (all others cannot fire)."""

    call_names: list[str]
    rule_spans: list[tuple[Rule, tree_sitter.Query, list[tuple[int, int]]]]
    words: set[bytes] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not self.call_names and not self.rule_spans


def plan_scan(doc: ParsedDocument, comp: CompiledLanguage, enabled: Callable[[str], bool] | None = None,
              *, findings_only: bool = False) -> ScanPlan:
    """``enabled`` drops disabled rules; ``findings_only`` also drops Tier B sinks when no taint source
    can be spelled with the document's words (they would match but never report)."""
    words = word_set(doc.source)
    taint_possible = taint_words_present(comp, words)

    def wanted(rule: Rule) -> bool:
        if enabled is not None and not enabled(rule.id):
            return False
        return not (findings_only and rule.tier == "B" and not taint_possible)

    call_names = [name for name, needed in comp.call_words.items()
                  if needed <= words and any(wanted(rule) for rule in comp.call_index[name])]
    lowered = doc.source.lower()
    rule_spans = []
    for rule, query in comp.rule_queries:
        spans = _needle_spans(lowered, rule.needles) if wanted(rule) else []
        if spans:
            rule_spans.append((rule, query, spans))
    return ScanPlan(call_names, rule_spans, words)


def taint_words_present(comp: CompiledLanguage, words: set[bytes], alias_keys: frozenset[bytes] = frozenset()) -> bool:
    """Whether some taint source can be spelled in a text with these words: all words of the source, or
    an alias of (a prefix of) a source (``from os import environ as E``; ``alias_keys``)."""
    return any(needed <= words for needed in comp.source_words) or not alias_keys.isdisjoint(words)


def _needle_spans(lowered: bytes, needles: tuple[str, ...]) -> list[tuple[int, int]]:
    if not needles:
        return [(0, len(lowered))]
    return merge_spans(spans_of(lowered, [needle.lower().encode() for needle in needles]))


# ---------------------------------------------------------------- per-document analysis context


class DocContext:
    """Aliases, assignments, constant folding and taint for one document."""

    def __init__(self, doc: ParsedDocument, comp: CompiledLanguage, words: set[bytes] | None = None):
        self.doc = doc
        self.comp = comp
        self.spec = comp.spec
        self.words = word_set(doc.source) if words is None else words
        self._scope_ends: dict[int, int] = {}      # function start byte -> its end (largest such function)
        self._all_scopes: list[tuple[int, int]] | None = None   # every function span, once a full pass ran
        self._outermost: list[tuple[int, int]] | None = None    # functions not nested in another
        self._taint_gate: dict[int, bool] = {}
        self._alias_keys: frozenset[bytes] | None = None       # aliases of (prefixes of) taint sources
        self.aliases: dict[str, str] = {}
        self.assignments: dict[tuple[int, str], list[Node]] = {}
        self._indexed_names: set[tuple[int, str]] = set()   # (scope, name) pairs in ``assignments``
        self._recorded: set[tuple[int, int, int]] = set()    # assignments recorded, by position
        self._all_indexed = False
        self._ranged_budget = RANGED_ASSIGNMENT_BUDGET
        self._scope_memo: dict[tuple[int, int], int] = {}
        self._const_memo: dict[int, bool] = {}
        self._taint_memo: dict[int, str | None] = {}
        self._param_memo: dict[int, dict[str, str]] = {}

    # text helpers
    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.doc.source[node.start_byte:node.end_byte].decode("utf-8", errors="replace")

    def normalise(self, text: str) -> str:
        for sep in self.spec.separators:
            text = text.replace(sep, ".")
        return re.sub(r"\s+", "", text) if (" " in text or "\n" in text or "\t" in text) else text

    def resolve(self, dotted: str) -> str:
        """``sp.run`` -> ``subprocess.run`` when ``import subprocess as sp`` (longest alias prefix)."""
        dotted = self.normalise(dotted)
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return dotted
        return f"{target}.{rest}" if rest else target

    def string_value(self, node: Node | None) -> str | None:
        """The value of a plain string literal (no interpolation), else None."""
        if node is None or node.type not in self.spec.string_types:
            return None
        if any(c.type in self.spec.composites and c.type not in self.spec.string_types for c in node.named_children):
            return None
        raw = self.text(node)
        return _strip_quotes(raw)

    # scopes and assignments
    def scope_of(self, node: Node) -> int:
        """Start byte of the innermost function around ``node`` (-1 = module).

        A function that starts where the node starts counts only when it is larger than the node (a
        function is not its own scope; an arrow function is the scope of its first parameter).
        """
        span = (node.start_byte, node.end_byte)
        scope = self._scope_memo.get(span)
        if scope is None:
            scope = self._scope_memo[span] = self._innermost_function(*span)
        return scope

    def _innermost_function(self, position: int, end: int) -> int:
        # Functions are found by a query restricted to one byte, not by parent hops: Node.parent
        # re-descends from the root, so a parent walk in a 5,000-deep tree would be quadratic.
        query = self.comp.scope_query
        if query is None:
            return -1
        if self._all_scopes is not None:
            spans = self._all_scopes[:bisect.bisect_right(self._all_scopes, (position, len(self.doc.source) + 1))]
        else:
            cursor = tree_sitter.QueryCursor(query)
            cursor.set_byte_range(position, position + 1)
            spans = sorted((f.start_byte, f.end_byte) for _, captures in cursor.matches(self.doc.root)
                       for f in captures["scope"])
        around = (span for span in reversed(spans)
                  if span[0] < position < span[1] or (span[0] == position and span[1] > end))
        start, stop = next(around, (-1, -1))
        if start == -1:
            return -1
        self._scope_ends[start] = max(stop, self._scope_ends.get(start, stop))
        return start

    def taint_possible(self, node: Node) -> bool:
        """Whether a taint source can occur in the function around ``node`` (its words decide)."""
        scope = self.scope_of(node)
        known = self._taint_gate.get(scope)
        if known is None:
            source = self.doc.source
            words = self.words if scope == -1 else word_set(source[scope:self._scope_ends[scope]])
            known = self._taint_gate[scope] = taint_words_present(self.comp, words, self._source_alias_keys())
        return known

    def _source_alias_keys(self) -> frozenset[bytes]:
        if self._alias_keys is None:
            prefixes = self.comp.source_prefixes
            self._alias_keys = frozenset(alias.encode() for alias, target in self.aliases.items() if target in prefixes)
        return self._alias_keys

    def record_assignment(self, lhs: Node, rhs: Node) -> None:
        key = (self.scope_of(lhs), self.text(lhs))
        self.assignments.setdefault(key, []).append(rhs)

    def assignments_to(self, scope: int, name: str) -> list[Node] | None:
        """The values assigned to ``name`` directly in ``scope`` (document order), None when never."""
        if not self._all_indexed and (scope, name) not in self._indexed_names:
            self._index_assignments(scope, name)
        return self.assignments.get((scope, name))

    def _index_assignments(self, scope: int, name: str) -> None:
        """Assignments to one name: the query runs only where the name's text occurs (its left side),
        inside the function asked about (taint stays within one function), or anywhere for the
        module scope. Every pass covers whole scopes, so each list is complete and in order when
        first filled; _record_once keeps later passes from repeating an assignment."""
        query = self.comp.assign_query
        if query is None or not name:
            self._indexed_names.add((scope, name))
            return
        spans, whole_document = self._name_spans(scope, name)
        if whole_document:
            self._ranged_budget -= len(spans)
            if self._ranged_budget < 0:
                self._index_all_assignments(query)
                return
        self._indexed_names.add((scope, name))
        pairs = []
        for _, captures in ranged_matches(query, self.doc.root, spans):
            lhs, rhs = captures.get("lhs"), captures.get("rhs")
            if lhs and rhs and self.text(lhs[0]) == name:
                pairs.append((lhs[0], rhs[0]))
        for lhs, rhs in sorted(pairs, key=lambda pair: (pair[0].start_byte, pair[0].end_byte)):
            self._record_once(lhs, rhs)

    def _name_spans(self, scope: int, name: str) -> tuple[list[tuple[int, int]], bool]:
        """Where ``name`` occurs in ``scope`` (a function's bytes, or the whole document for the
        module scope, minus function bodies when it occurs often); and whether that is the whole
        document."""
        lo, hi = (scope, self._scope_ends[scope]) if scope >= 0 and scope in self._scope_ends \
            else (0, len(self.doc.source))
        needle = name.encode("utf-8", errors="replace")
        spans = [(lo + a, lo + b) for a, b in spans_of(self.doc.source[lo:hi], [needle])]
        if scope == -1 and len(spans) > RANGED_ASSIGNMENT_BUDGET // 4:
            spans = self._outside_functions(spans)   # module scope: occurrences in functions cannot be
        return spans, lo == 0 and hi == len(self.doc.source)

    def _outside_functions(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The spans that lie in no function (one pass over the functions, kept for scope_of too)."""
        outermost = self._outermost_functions()
        starts = [start for start, _ in outermost]
        kept = []
        for start, end in spans:
            index = bisect.bisect_right(starts, start) - 1
            if index < 0 or start >= outermost[index][1]:
                kept.append((start, end))
        return kept

    def _outermost_functions(self) -> list[tuple[int, int]]:
        """Spans of the functions not nested in another, in order: a walk that never enters a
        function visits only module and class level code (a scope query would visit every node)."""
        if self._outermost is None:
            function_types = self.spec.function_types
            self._outermost = []
            cursor = self.doc.root.walk()
            while True:
                node = cursor.node
                if node.type in function_types:
                    self._outermost.append((node.start_byte, node.end_byte))
                elif cursor.goto_first_child():
                    continue
                while not cursor.goto_next_sibling():
                    if not cursor.goto_parent():
                        return self._outermost
        return self._outermost

    def _index_all_assignments(self, query: tree_sitter.Query) -> None:
        """One pass over the document for every assignment not recorded yet (and one for every function)."""
        self._all_indexed = True
        if self.comp.scope_query is not None:
            matches = tree_sitter.QueryCursor(self.comp.scope_query).matches(self.doc.root)
            self._all_scopes = sorted({(f.start_byte, f.end_byte) for _, captures in matches for f in captures["scope"]})
        for _, captures in tree_sitter.QueryCursor(query).matches(self.doc.root):
            lhs, rhs = captures.get("lhs"), captures.get("rhs")
            if lhs and rhs:
                self._record_once(lhs[0], rhs[0])

    def _record_once(self, lhs: Node, rhs: Node) -> None:
        key = (lhs.start_byte, lhs.end_byte, rhs.start_byte)
        if key not in self._recorded:
            self._recorded.add(key)
            self.record_assignment(lhs, rhs)

    def assigned_values(self, ident: Node, scope: int | None = None) -> list[Node]:
        """Values assigned to ``ident`` in its function, else at module level; ``scope`` when known."""
        name = self.text(ident)
        scope = self.scope_of(ident) if scope is None else scope
        values = self.assignments_to(scope, name)
        if values is None and scope != -1:
            values = self.assignments_to(-1, name)
        return values or []

    # constant folding
    def is_const(self, node: Node | None, depth: int = 0) -> bool:
        """True when ``node`` is built only from literals (through simple assignments and strings)."""
        if node is None:
            return True
        memo = self._const_memo.get(node.id)
        if memo is not None:
            return memo
        self._const_memo[node.id] = False  # in progress: a cycle (x = x + "a") is not constant
        result = self._is_const_walk(node, depth)
        self._const_memo[node.id] = result
        return result

    def _is_const_walk(self, node: Node, depth: int) -> bool:
        stack = [node]
        visited = 0
        while stack:
            visited += 1
            if visited > MAX_WALK_NODES:
                return False
            parts = self._parts_to_check(stack.pop(), node, depth)
            if parts is None:
                return False
            stack.extend(parts)
        return True

    def _parts_to_check(self, current: Node, root: Node, depth: int) -> list[Node] | None:
        """What is left to check for ``current`` to be constant ([] if it is), None if it is not."""
        spec = self.spec
        kind = current.type
        if kind in spec.const_leaves:
            return []
        if kind in spec.composites or kind in spec.arg_wrappers:
            return current.named_children
        if kind in spec.identifier_types:
            # the walk never enters a function, so every identifier is in the root's scope
            return [] if self._ident_const(current, depth, self.scope_of(root)) else None
        return [] if self._is_const_format_call(current, depth) else None

    def _ident_const(self, ident: Node, depth: int, scope: int) -> bool:
        if depth >= MAX_FOLD_DEPTH:
            return False
        values = self.assigned_values(ident, scope)
        if not values:
            return False
        return all(v.id != ident.id and self.is_const(v, depth + 1) for v in values)

    def _is_const_format_call(self, node: Node, depth: int) -> bool:
        """``"a{}".format(CONST)`` / ``"%s" % CONST``-style builders over constants are constant."""
        if not self.spec.call_format_methods or node.type not in _CALL_TYPES:
            return False
        callee = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if callee is None or callee.type not in ("attribute", "member_expression"):
            return False
        obj = callee.child_by_field_name("object")
        attr = callee.child_by_field_name("attribute") or callee.child_by_field_name("property")
        if self.text(attr) not in self.spec.call_format_methods:
            return False
        return self.is_const(obj, depth + 1) and all(self.is_const(a, depth + 1) for a in
                                                     (args.named_children if args else []))

    # taint
    def is_tainted(self, node: Node | None, before: int, depth: int = 0) -> str | None:
        """The source when ``node`` carries data from a taint source unsanitised, else None.

        Identifiers are followed to their assignments in the same function that precede ``before``;
        each assigned value is judged once (memoised, cycle-safe), so chains stay linear.
        """
        spec = self.spec
        if node is None or depth > MAX_FOLD_DEPTH or not (
                spec.taint_sources or spec.source_node or spec.parameter_sources):
            return None
        # Scopes travel down with the walk (a function's children are in that function): asking the
        # tree per identifier would cost a descent from the root each time. None: the scope of ``node``.
        stack: list[tuple[Node, int | None]] = [(node, None)]
        visited = 0
        while stack and visited < MAX_WALK_NODES:
            current, scope = stack.pop()
            visited += 1
            found, look_inside = self._taint_at(current, scope, node, before, depth)
            if found:
                return found
            if look_inside:
                inner = current.start_byte if current.type in self.spec.function_types else scope
                stack.extend((child, inner) for child in current.named_children)
        return None

    def _taint_at(self, current: Node, scope: int | None, root: Node, before: int,
                  depth: int) -> tuple[str | None, bool]:
        """(the source ``current`` itself carries, whether its children still need a look)."""
        kind = current.type
        if kind in _CALL_TYPES and self._is_sanitizer(current):
            return None, False
        if kind in self.spec.identifier_types:
            scope = self.scope_of(root) if scope is None else scope
            return self._ident_tainted(current, before, depth, scope), False
        if kind in self.spec.taint_source_types:
            resolved = self.resolve(self.text(current))
            if resolved in self.spec.taint_sources:
                return resolved, False
        if self.spec.source_node is not None:
            found = self.spec.source_node(self, current)
            if found is not None:   # "": known clean (``req.getContextPath()``), nothing inside counts
                return found or None, False
        return None, True

    def _value_tainted(self, value: Node, depth: int) -> str | None:
        if value.id in self._taint_memo:
            return self._taint_memo[value.id]
        self._taint_memo[value.id] = None  # in progress: cycles are not tainted by themselves
        found = self.is_tainted(value, value.start_byte, depth + 1)
        self._taint_memo[value.id] = found
        return found

    def _ident_tainted(self, ident: Node, before: int, depth: int, scope: int) -> str | None:
        values = [v for v in self.assignments_to(scope, self.text(ident)) or [] if v.start_byte < before]
        if values:
            for value in values:
                found = self._value_tainted(value, depth)
                if found:
                    return found
            return None
        resolved = self.resolve(self.text(ident))
        if resolved in self.spec.taint_sources:
            return resolved
        return self._parameter_source(scope, self.text(ident))

    def _parameter_source(self, scope: int, name: str) -> str | None:
        """The source a parameter of the function at ``scope`` carries (``parameter_sources``), if any."""
        hook = self.spec.parameter_sources
        if hook is None or scope < 0 or scope not in self._scope_ends:
            return None
        params = self._param_memo.get(scope)
        if params is None:
            function = self.function_at(scope)
            params = self._param_memo[scope] = hook(self, function) if function is not None else {}
        return params.get(name)

    def function_at(self, scope: int) -> Node | None:
        """The function node whose span starts at ``scope`` (a start byte from ``scope_of``)."""
        node: Node | None = self.doc.root.descendant_for_byte_range(scope, self._scope_ends.get(scope, scope))
        hops = 0
        while node is not None and node.type not in self.spec.function_types and hops < 8:
            node, hops = node.parent, hops + 1
        return node if node is not None and node.type in self.spec.function_types else None

    def _is_sanitizer(self, call: Node) -> bool:
        callee = call.child_by_field_name("function") or call.child_by_field_name("name")
        if callee is None:
            return False
        resolved = self.resolve(self.text(callee))
        last = resolved.rsplit(".", 1)[-1]
        return resolved in self.spec.sanitizers or last in self.spec.sanitizers

    # secret context: is the value stored in / returned by something named like a secret?
    def in_secret_context(self, node: Node) -> bool:
        current: Node | None = node
        hops = 0
        while current is not None and hops < 12:
            for field_name in ("left", "name", "key", "declarator"):
                named = current.child_by_field_name(field_name)
                if named is not None and named.id != node.id and SECRET_NAME.search(self.text(named)[:80]):
                    return True
            if current.type in self.spec.function_types:
                return False
            current = current.parent
            hops += 1
        return False


_CALL_TYPES = frozenset({"call", "call_expression", "invocation_expression", "method_invocation",
                         "function_call_expression", "member_call_expression", "new_expression"})


def _strip_quotes(raw: str) -> str:
    raw = raw.strip()
    for prefix in ("@", "$"):
        raw = raw.removeprefix(prefix)
    raw = raw.lstrip("rRbBuUfF")
    for quote in ('"""', "'''", '"', "'", "`"):
        if raw.startswith(quote) and raw.endswith(quote) and len(raw) >= 2 * len(quote):
            return raw[len(quote):-len(quote)]
    return raw


# ---------------------------------------------------------------- matches and predicates


@dataclass
class Hit:
    """What a predicate sees: the captures of one match, the call's arguments, the document context."""

    ctx: DocContext
    rule: Rule
    node: Node                                  # reported location
    captures: dict[str, list[Node]]
    callee: str = ""                            # resolved callee name for call rules
    args: list[Node] = field(default_factory=list)
    kwargs: dict[str, Node] = field(default_factory=dict)

    def capture(self, name: str) -> Node | None:
        nodes = self.captures.get(name)
        return nodes[0] if nodes else None

    def text(self, node: Node | None) -> str:
        return self.ctx.text(node)

    def arg(self, key: int | str) -> Node | None:
        if isinstance(key, str):
            return self.kwargs.get(key)
        return self.args[key] if -len(self.args) <= key < len(self.args) else None


def split_arguments(ctx: DocContext, args_node: Node | None) -> tuple[list[Node], dict[str, Node]]:
    spec = ctx.spec
    positional: list[Node] = []
    keywords: dict[str, Node] = {}
    if args_node is None:
        return positional, keywords
    for child in args_node.named_children:
        if child.type in spec.comment_types:
            continue
        child = _unwrap_argument(spec, child)
        if child.type in spec.keyword_types:
            _keyword_argument(ctx, child, keywords)
            continue
        if spec.object_kwargs and child.type == spec.object_kwargs[0]:
            _object_pairs(ctx, child, keywords)
        positional.append(child)
    return positional, keywords


def _unwrap_argument(spec: LanguageSpec, child: Node) -> Node:
    """C#/PHP wrap each argument in an ``argument`` node."""
    if child.type in spec.arg_wrappers and child.named_child_count == 1:
        return child.named_children[0]
    return child


def _keyword_argument(ctx: DocContext, child: Node, out: dict[str, Node]) -> None:
    name_field, value_field = ctx.spec.keyword_types[child.type]
    key = child.child_by_field_name(name_field)
    value = child.child_by_field_name(value_field)
    if key is not None and value is not None:
        out[ctx.text(key)] = value


def _object_pairs(ctx: DocContext, obj: Node, out: dict[str, Node]) -> None:
    _, pair_type, key_field = ctx.spec.object_kwargs or ("", "", "")
    for pair in obj.named_children:
        if pair.type == pair_type:
            key = pair.child_by_field_name(key_field)
            value = pair.child_by_field_name("value")
            if key is not None and value is not None:
                out.setdefault(_strip_quotes(ctx.text(key)), value)


# ---------------------------------------------------------------- scanning


def scan_document(doc: ParsedDocument, config: Any = None) -> list[Finding]:
    """All Tier A hotspots and Tier B taint vulnerabilities of one parsed document."""
    if config is not None and not _config_get(config, "security.enabled", True):
        return []
    comp = compiled(doc.language)
    if comp is None:
        return []
    enabled = _rule_filter(comp.spec, config)
    findings: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for hit in candidate_hits(doc, comp, enabled, findings_only=True):
        if not enabled(hit.rule.id):
            continue
        finding = _evaluate(hit, enabled)
        if finding is None:
            continue
        key = (finding.rule, finding.start_line, finding.start_column)
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    findings.sort(key=lambda f: (f.start_line, f.start_column, f.rule))
    return findings


def candidate_hits(doc: ParsedDocument, comp: CompiledLanguage | None = None,
                   enabled: Callable[[str], bool] | None = None, *, findings_only: bool = False) -> list[Hit]:
    """Every rule match before its predicate runs, in document order; used by scan and by bench diagnostics.

    ``enabled`` (rule id -> bool) lets the text pre-filter drop disabled rules before any query runs;
    ``findings_only`` also drops matches that cannot become findings (see ``plan_scan``).
    """
    comp = comp or compiled(doc.language)
    if comp is None:
        return []
    plan = plan_scan(doc, comp, enabled, findings_only=findings_only)
    if plan.empty:
        return []
    ctx = DocContext(doc, comp, plan.words)
    ctx.aliases.update(_document_aliases(doc, comp))
    hits = _all_call_hits(ctx, plan.call_names)
    for rule, query, spans in plan.rule_spans:
        hits.extend(_query_rule_hits(ctx, rule, query, spans))
    hits.sort(key=lambda hit: (hit.node.start_byte, hit.node.end_byte))
    return hits


def _document_aliases(doc: ParsedDocument, comp: CompiledLanguage) -> list[tuple[str, str]]:
    """(alias, imported name) pairs in document order (a later import of the same alias wins)."""
    spec = comp.spec
    if comp.import_query is None or spec.imports is None:
        return []
    if spec.import_needles:
        # whole words only: `required` in a comment inside a class must not make the whole class a span
        found = whole_words(doc.source, spans_of(doc.source, [n.encode() for n in spec.import_needles]))
        # the word itself suffices where the matched node contains it: widening `import gzip` inside a
        # method to the whole class made one import query cost 1.9 ms on tarfile.py
        spans = top_level_spans(doc.root, found) if spec.import_needs_statement else found
    else:
        spans = [(0, len(doc.source))]
    matches = ranged_matches(comp.import_query, doc.root, spans)
    matches.sort(key=lambda match: _first_start(match[1]))
    return [pair for _, captures in matches for pair in spec.imports(captures, doc)]


def _first_start(captures: Captures) -> tuple[int, int]:
    return min((node.start_byte, node.end_byte) for nodes in captures.values() for node in nodes)


def _all_call_hits(ctx: DocContext, call_names: list[str]) -> list[Hit]:
    query = ctx.comp.call_query
    if query is None or not call_names:
        return []
    needles = {name.rsplit(".", 1)[-1] for name in call_names} | _relevant_aliases(ctx.aliases, call_names)
    spans = whole_words(ctx.doc.source, spans_of(ctx.doc.source, [needle.encode() for needle in needles]))
    hits: list[Hit] = []
    for _, captures in ranged_matches(query, ctx.doc.root, spans):
        hits.extend(_call_hits(ctx, captures))
    return hits


def _relevant_aliases(aliases: dict[str, str], call_names: list[str]) -> set[str]:
    """Aliases through which a call can resolve to one of ``call_names`` without naming its last part:
    ``from os import system as run_it`` -> ``run_it``, ``import subprocess as sp`` -> ``sp``."""
    exact = [name for name in call_names if not name.startswith("*.")]
    any_receiver = {name[2:] for name in call_names if name.startswith("*.")}
    relevant = set()
    for alias, target in aliases.items():
        if alias == target:
            continue  # the call spells the name itself: its last part is a needle already
        if target.rsplit(".", 1)[-1] in any_receiver or any(
                name == target or name.startswith(target + ".") for name in exact):
            relevant.add(alias)
    return relevant


def _query_rule_hits(ctx: DocContext, rule: Rule, query: tree_sitter.Query,
                     spans: list[tuple[int, int]]) -> list[Hit]:
    hits = (_rule_hit(ctx, rule, captures) for _, captures in ranged_matches(query, ctx.doc.root, spans))
    return [hit for hit in hits if hit is not None]


def _call_hits(ctx: DocContext, captures: dict[str, list[Node]]) -> list[Hit]:
    call_node = (captures.get("call") or [None])[0]
    callee_text = _callee_text(ctx, captures)
    if call_node is None or not callee_text:
        return []
    # cheap reject before alias resolution: most calls name no rule's function and use no alias
    tail = callee_text.rsplit(".", 1)[-1].rsplit(">", 1)[-1].rsplit(":", 1)[-1].strip()
    if tail not in ctx.comp.call_tails and callee_text.split(".", 1)[0].strip() not in ctx.aliases:
        return []
    resolved = ctx.resolve(callee_text)
    index = ctx.comp.call_index
    last = resolved.rsplit(".", 1)[-1]
    rules = index.get(resolved, []) + (index.get(f"*.{last}", []) if "." in resolved else [])
    if not rules:
        return []
    args, kwargs = split_arguments(ctx, (captures.get("args") or [None])[0])
    return [Hit(ctx, rule, call_node, captures, resolved, args, kwargs) for rule in rules]


def _callee_text(ctx: DocContext, captures: dict[str, list[Node]]) -> str:
    """``@callee`` text, or ``@obj.@name`` for grammars that split receiver and method (Java, Ruby, PHP)."""
    callee = captures.get("callee")
    if callee:
        return ctx.text(callee[0])
    name = captures.get("name")
    if not name:
        return ""
    obj = captures.get("obj")
    return f"{ctx.text(obj[0])}.{ctx.text(name[0])}" if obj else ctx.text(name[0])


def _rule_hit(ctx: DocContext, rule: Rule, captures: dict[str, list[Node]]) -> Hit | None:
    node = (captures.get("hit") or next(iter(captures.values()), [None]))[0]
    if node is None:
        return None
    return Hit(ctx, rule, node, captures)


def _evaluate(hit: Hit, enabled: Callable[[str], bool]) -> Finding | None:
    rule = hit.rule
    if rule.when is not None and not rule.when(hit):
        return None
    source = _taint_source(hit) if rule.taint else None
    if source:
        taint_rule = hit.ctx.comp.taint_by_kind.get(rule.taint or "")
        if taint_rule is not None and taint_rule.remote_only and source in hit.ctx.spec.local_sources:
            taint_rule = None
        if taint_rule is not None and enabled(taint_rule.id):
            return _taint_finding(hit, taint_rule, source)
    if rule.tier == "B":
        return None
    return _hotspot_finding(hit)


def _taint_source(hit: Hit) -> str | None:
    for key in hit.rule.taint_args:
        for node in _taint_arguments(hit, key):
            found = _tainted_argument(hit, node)
            if found:
                return found
    return None


def _taint_arguments(hit: Hit, key: int | str) -> list[Node | None]:
    """``"*"``: every argument; ``"@name"``: a capture; else one positional or keyword argument."""
    if key == "*":
        return list(hit.args) + list(hit.kwargs.values())
    if isinstance(key, str) and key.startswith("@"):
        return [hit.capture(key[1:])]
    return [hit.arg(key)]


def _tainted_argument(hit: Hit, node: Node | None) -> str | None:
    ctx = hit.ctx
    if node is None or not ctx.taint_possible(node) or ctx.is_const(node):
        return None
    return ctx.is_tainted(node, hit.node.start_byte)


def _snippet(hit: Hit) -> str:
    text = hit.ctx.text(hit.node).split("\n", 1)[0].strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _location(node: Node) -> dict[str, int]:
    return {"start_line": node.start_point[0] + 1, "end_line": node.end_point[0] + 1,
            "start_column": node.start_point[1],
            "end_column": node.end_point[1] if node.start_point[0] == node.end_point[0] else None}


def _hotspot_finding(hit: Hit) -> Finding:
    rule = hit.rule
    snippet = "" if rule.category == "secrets" else f" `{_snippet(hit)}`"
    message = f"Security hotspot: {rule.title}{snippet}. {rule.why} ({rule.cwe}; fix: {rule.fix})"
    return Finding(rule=rule.id, category="security", severity=rule.severity, message=message,
                   cwe=rule.cwe, function=_function_name(hit), **_location(hit.node),
                   data={"tier": "A", "security_category": rule.category, "confidence": rule.confidence,
                         "cwe": rule.cwe, "fix": rule.fix})


def _taint_finding(hit: Hit, taint_rule: TaintRule, source: str) -> Finding:
    message = (f"Vulnerability: {taint_rule.title}: `{source}` reaches `{_snippet(hit)}` without a "
               f"sanitizer. {taint_rule.why} ({taint_rule.cwe}; fix: {taint_rule.fix})")
    return Finding(rule=taint_rule.id, category="security", severity="error", message=message,
                   cwe=taint_rule.cwe, function=_function_name(hit), **_location(hit.node),
                   data={"tier": "B", "security_category": taint_rule.category, "confidence": "high",
                         "cwe": taint_rule.cwe, "fix": taint_rule.fix, "source": source,
                         "sink_rule": hit.rule.id})


def _function_name(hit: Hit) -> str | None:
    names: list[str] = []
    current = hit.node.parent
    while current is not None:
        if current.type in hit.ctx.spec.function_types or current.type.startswith("class"):
            name = current.child_by_field_name("name")
            if name is not None:
                names.append(hit.ctx.text(name))
        current = current.parent
    return ".".join(reversed(names)) or None


def _config_get(config: Any, key: str, default: Any) -> Any:
    getter = getattr(config, "get", None)
    return getter(key, default) if getter else default


def _rule_filter(spec: LanguageSpec, config: Any) -> Callable[[str], bool]:
    disabled = set(_config_get(config, "security.disabled_rules", []) or []) if config is not None else set()
    opted_in = set(_config_get(config, "security.enabled_rules", []) or []) if config is not None else set()
    off_by_default = {r.id for r in spec.rules if not r.default_enabled}

    def enabled(rule_id: str) -> bool:
        if rule_id in disabled:
            return False
        return rule_id not in off_by_default or rule_id in opted_in

    return enabled


# ---------------------------------------------------------------- predicate building blocks (data)


def arg_not_const(key: int | str = 0) -> Predicate:
    """The argument exists and is not built only from literals."""
    return lambda hit: (node := hit.arg(key)) is not None and not hit.ctx.is_const(node)


def arg_present(key: int | str) -> Predicate:
    return lambda hit: hit.arg(key) is not None


def arg_absent(key: int | str) -> Predicate:
    return lambda hit: hit.arg(key) is None


def arg_text_in(key: int | str, values: Iterable[str], *, casefold: bool = True) -> Predicate:
    """The argument's literal value (or bare text) is one of ``values``."""
    wanted = {v.lower() for v in values} if casefold else set(values)

    def check(hit: Hit) -> bool:
        node = hit.arg(key)
        if node is None:
            return False
        value = hit.ctx.string_value(node)
        text = value if value is not None else hit.text(node)
        return (text.lower() if casefold else text) in wanted
    return check


def arg_matches(key: int | str, pattern: str) -> Predicate:
    regex = re.compile(pattern)

    def check(hit: Hit) -> bool:
        node = hit.arg(key)
        if node is None:
            return False
        value = hit.ctx.string_value(node)
        return bool(regex.search(value if value is not None else hit.text(node)))
    return check


def kw_true(name: str, truthy: Iterable[str] = ("True", "true", "1")) -> Predicate:
    values = set(truthy)
    return lambda hit: (node := hit.kwargs.get(name)) is not None and hit.text(node) in values


def kw_false(name: str, falsy: Iterable[str] = ("False", "false", "0", "None", "nil", "null")) -> Predicate:
    values = set(falsy)
    return lambda hit: (node := hit.kwargs.get(name)) is not None and hit.text(node) in values


def capture_text_in(name: str, values: Iterable[str]) -> Predicate:
    wanted = set(values)
    return lambda hit: hit.text(hit.capture(name)) in wanted


def capture_not_const(name: str) -> Predicate:
    return lambda hit: (node := hit.capture(name)) is not None and not hit.ctx.is_const(node)


SQL_TEXT = re.compile(r"(?is)\b(select\b.+\bfrom|insert\s+into|update\b.+\bset\b|delete\s+from|"
                      r"create\s+table|drop\s+table|alter\s+table|replace\s+into|merge\s+into)\b")


def sql_built(key: int | str = 0) -> Predicate:
    """The argument is SQL text built from non-constant parts (directly or via a local variable)."""
    def check(hit: Hit) -> bool:
        node = hit.arg(key) if not (isinstance(key, str) and key.startswith("@")) else hit.capture(key[1:])
        if node is None or hit.ctx.is_const(node):
            return False
        candidates = [node]
        if node.type in hit.ctx.spec.identifier_types:
            candidates = hit.ctx.assigned_values(node)
        return any(c.type not in hit.ctx.spec.identifier_types and not hit.ctx.is_const(c)
                   and SQL_TEXT.search(hit.text(c)) for c in candidates)
    return check


def in_secret_context() -> Predicate:
    return lambda hit: hit.ctx.in_secret_context(hit.node)


def file_imports(*modules: str) -> Predicate:
    wanted = set(modules)
    return lambda hit: any(t.split(".")[0] in wanted or t in wanted for t in hit.ctx.aliases.values())


def file_lacks(pattern: str) -> Predicate:
    regex = re.compile(pattern)
    return lambda hit: regex.search(hit.ctx.doc.text) is None


def all_of(*preds: Predicate) -> Predicate:
    return lambda hit: all(p(hit) for p in preds)


def any_of(*preds: Predicate) -> Predicate:
    return lambda hit: any(p(hit) for p in preds)


def not_(pred: Predicate) -> Predicate:
    return lambda hit: not pred(hit)


def all_rules_by_language() -> dict[str, list[Rule]]:
    out: dict[str, list[Rule]] = {}
    for language in RULE_MODULES:
        spec = spec_for(language)
        if spec is not None:
            out[language] = [r for r in spec.rules if language in r.languages]
    return out
