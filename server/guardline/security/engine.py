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
from typing import Any, Callable, Iterable, Literal, TypedDict

import tree_sitter

from guardline.languages import LANGUAGES, ts_language
from guardline.model import Finding
from guardline.parsing import ParsedDocument
from guardline.security import flow
from guardline.security.flow import KeyedStore, ParamSource, Trace
from guardline.security.prefilter import (
    Captures, merge_spans, name_words, ranged_matches, spans_of, top_level_spans, whole_words, word_set,
)

__all__ = ["KeyedStore", "ParamSource", "Trace"]  # re-exported for the rules modules

Node = tree_sitter.Node
Predicate = Callable[["Hit"], bool]
CallSite = tuple[Node, list[Node], dict[str, Node]]   # a call, its positional and keyword arguments

# language -> rules module under guardline.security.rules (the registry's ``security`` column)
RULE_MODULES: dict[str, str] = {row.name: row.security for row in LANGUAGES if row.security is not None}

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
    kind: str = "security"            # "reliability": not a vulnerability (not counted as a hotspot)
    # False: the taint check runs even when ``when`` rejects the hotspot (a tainted query text is
    # SQL injection however it was built; a shell=False list is not command injection, so True there)
    taint_needs_when: bool = True
    remote_only: bool = False         # this sink counts request sources only (not argv/env/stdin)
    drop_when_sanitised: bool = True  # no hotspot when the argument is request data cleaned on every path


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
    # `"?" * len(rows)`: a constant string repeated any number of times holds only its own characters
    string_repeat_types: frozenset[str] = frozenset()
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
    # ---- data-flow extension points (see guardline.security.flow for what each one means)
    param_sources: tuple[ParamSource, ...] = ()
    kind_sanitizers: dict[str, frozenset[str]] = field(default_factory=dict)   # sink kind -> cleaners
    # allow-list checks with early exit ({name} = variable): a pattern, or (pattern, sink kinds it cleans)
    guard_patterns: tuple[str | tuple[str, frozenset[str]], ...] = ()
    return_types: frozenset[str] = frozenset({"return_statement"})
    block_types: frozenset[str] = frozenset({"block", "statement_block", "compound_statement",
                                             "constructor_body", "body_statement"})
    if_types: frozenset[str] = frozenset({"if_statement"})            # condition/consequence/alternative
    # ternaries: type -> (condition, then, else), each a field name or a named-child index
    ternary_types: dict[str, tuple[str | int, str | int, str | int]] = field(default_factory=dict)
    loop_types: frozenset[str] = frozenset({
        "for_statement", "while_statement", "for_in_statement", "do_statement", "enhanced_for_statement",
        "except_clause", "catch_clause", "switch_case", "switch_default", "case_clause", "match_statement",
        "expression_case", "default_case", "switch_block_statement_group", "switch_section", "foreach_statement",
        "for_range_loop", "while", "until", "for", "case", "when", "rescue"})
    decorated_types: frozenset[str] = frozenset({"decorated_definition"})
    param_name_types: frozenset[str] = frozenset()   # extra node types naming a parameter (PHP variable_name)
    keyed_stores: tuple[KeyedStore, ...] = ()        # d['k'] = v, d.set('k', v): captures @obj @key @value
    keyed_reads: tuple[str, ...] = ()                # d['k'], d.get('k'): captures @obj @read (+ @key)
    container_methods: frozenset[str] = frozenset()  # obj.append(v) / push / add: v flows into obj
    # list methods replayed on a local list literal so a constant index read finds its element:
    # method -> "append" | "prepend" | "insert" (index, value) | "pop" (index, default last) |
    # "popleft" | "clear"; any other method call on the list stops the replay
    list_ops: dict[str, str] = field(default_factory=dict)
    list_types: frozenset[str] = frozenset({"list", "array"})   # list literal node types


# ---------------------------------------------------------------- compiled per language, cached

# How many query compilations this process has done (a language's first scan, a rule's first use): a
# scan that compiled measured the compilation, not the document (guardline.lsp.scheduler's budget).
_compilations = 0


def compilations() -> int:
    return _compilations


def _compiled_one() -> None:
    global _compilations
    _compilations += 1   # not atomic: two threads compiling at once may lose one, and that scan is timed


@dataclass
class CompiledLanguage:
    spec: LanguageSpec
    call_query: tree_sitter.Query | None
    import_query: tree_sitter.Query | None
    assign_query: tree_sitter.Query | None
    scope_query: tree_sitter.Query | None     # every function node, captured as @scope
    query_rules: list[Rule]       # rules with a query of their own, compiled on first use (rule_query)
    call_index: dict[str, list[Rule]]
    taint_by_kind: dict[str, TaintRule]
    call_tails: frozenset[str] = frozenset()   # last name segment of every indexed callee
    call_words: dict[str, frozenset[bytes]] = field(default_factory=dict)  # callee -> words it needs
    source_words: list[frozenset[bytes]] = field(default_factory=list)     # per taint source
    source_prefixes: frozenset[str] = frozenset()   # "os", "os.environ" for the source os.environ
    param_sources: tuple[flow._CompiledParamSource, ...] = ()   # compiled ParamSource rows
    store_query: tree_sitter.Query | None = None     # the keyed_stores patterns, one query
    read_query: tree_sitter.Query | None = None
    ts_lang: tree_sitter.Language | None = None
    _rule_query_cache: dict[str, tree_sitter.Query] = field(default_factory=dict)

    def rule_query(self, rule: Rule) -> tree_sitter.Query:
        """The rule's own query, compiled when a document first has its needles: compiling every rule
        of a language up front was most of a first analysis's security time (C# 0.2 s, TypeScript 60 ms),
        and most documents never need most rules. Two threads may both compile it once: harmless."""
        query = self._rule_query_cache.get(rule.id)
        if query is None:
            assert self.ts_lang is not None and rule.query
            query = self._rule_query_cache[rule.id] = tree_sitter.Query(self.ts_lang, rule.query)
            _compiled_one()
        return query


def spec_for(language: str) -> LanguageSpec | None:
    module_name = RULE_MODULES.get(language)
    if module_name is None:
        return None
    spec: LanguageSpec = importlib.import_module(f"guardline.security.rules.{module_name}").SPEC
    return spec


@functools.cache
def compiled(language: str) -> CompiledLanguage | None:
    spec = spec_for(language)
    if spec is None:
        return None
    _compiled_one()
    ts_lang = ts_language(language)

    def query(patterns: Iterable[str]) -> tree_sitter.Query | None:
        text = "\n".join(patterns)
        return tree_sitter.Query(ts_lang, text) if text else None

    rules = [rule for rule in spec.rules if language in rule.languages]
    call_index = _call_index(rules)
    return CompiledLanguage(
        spec=spec, call_query=query(spec.call_queries), import_query=query(spec.import_queries),
        assign_query=query(spec.assignment_queries), scope_query=query(_scope_patterns(ts_lang, spec)),
        query_rules=[rule for rule in rules if rule.query], ts_lang=ts_lang,
        call_index=call_index, taint_by_kind={t.kind: t for t in spec.taint_rules},
        call_tails=frozenset(name.rsplit(".", 1)[-1] for name in call_index),
        call_words={name: name_words(name) for name in call_index},
        source_words=_source_words(spec),
        source_prefixes=_prefixes(spec.taint_sources),
        param_sources=tuple(row.compiled() for row in spec.param_sources),
        store_query=query(store.query for store in spec.keyed_stores),
        read_query=query(spec.keyed_reads))


def _source_words(spec: LanguageSpec) -> list[frozenset[bytes]]:
    """Word sets of which one must be in a file for taint to be possible there (an empty set: always)."""
    words = [name_words(source) for source in sorted(spec.taint_sources | spec.taint_words)]
    words += [frozenset({needle.encode()}) for row in spec.param_sources for needle in row.needles]
    if any(not row.needles for row in spec.param_sources):
        words.append(frozenset())
    return words


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
    for rule in comp.query_rules:
        spans = _needle_spans(lowered, rule.needles) if wanted(rule) else []
        if spans:
            rule_spans.append((rule, comp.rule_query(rule), spans))
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
        self._taint_memo: dict[tuple[int, str | None, tuple[int, str] | None], Trace | None] = {}
        self._scope_nodes: dict[int, Node] = {}               # function start byte -> its node
        self._branch_memo: dict[int, str] = {}
        self._functions: dict[int, flow.FunctionInfo | None] = {}
        self._active_rows: tuple[flow._CompiledParamSource, ...] | None = None
        self._pseudo: tuple[int, str] | None = None           # summary mode: the one parameter source
        self._caller_stack: list[int] = []                    # functions whose callers/summary are being read
        self._call_site_memo: dict[str, list[CallSite]] = {}
        self._local_fn_memo: dict[str, list[Node]] = {}
        self._summary_memo: dict[tuple[int, tuple[int, str] | None, str | None], Trace | None] = {}
        self._store_memo: dict[tuple[int, str], list[tuple[str | None, Node, int]]] = {}

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
            nodes = [f for _, captures in cursor.matches(self.doc.root) for f in captures["scope"]]
            for fn in nodes:
                self._scope_nodes.setdefault(fn.start_byte, fn)
            spans = sorted((f.start_byte, f.end_byte) for f in nodes)
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
            known = taint_words_present(self.comp, words, self._source_alias_keys())
            if not known and scope != -1:
                # a parameter: route-handler rows, or tainted data passed in by a caller in this file
                known = taint_words_present(self.comp, self.words, self._source_alias_keys())
            self._taint_gate[scope] = known
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
        pairs: list[tuple[Node, Node]] = []
        for _, captures in ranged_matches(query, self.doc.root, spans):
            lefts, rights = captures.get("lhs"), captures.get("rhs")
            if lefts and rights and self.text(lefts[0]) == name:
                pairs.append((lefts[0], rights[0]))
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
                if node is not None and node.type in function_types:
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
            nodes = [f for _, captures in matches for f in captures["scope"]]
            for fn in nodes:
                self._scope_nodes.setdefault(fn.start_byte, fn)
            self._all_scopes = sorted({(f.start_byte, f.end_byte) for f in nodes})
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
        if kind in spec.ternary_types:
            return [n for n in self._live_branches(current)
                    if n.id != (_field_or_index(current, spec.ternary_types[kind][0]) or current).id]
        if kind in spec.string_repeat_types:
            repeated = self._repeated_string(current)
            if repeated is not None:
                return [repeated]
        if kind in spec.composites or kind in spec.arg_wrappers:
            return current.named_children
        if kind in spec.identifier_types:
            # the walk never enters a function, so every identifier is in the root's scope
            return [] if self._ident_const(current, depth, self.scope_of(root)) else None
        keyed = self.keyed_candidates(current)
        if keyed is not None:
            return keyed
        return [] if self._is_const_format_call(current, depth) else None

    def _repeated_string(self, node: Node) -> Node | None:
        """The string of ``STRING * count`` (either order); None for any other operation."""
        operator = node.child_by_field_name("operator")
        if operator is None or self.text(operator) != "*":
            return None
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        for string, count in ((left, right), (right, left)):
            if string is not None and count is not None and string.type in self.spec.string_types:
                return string
        return None

    def _ident_const(self, ident: Node, depth: int, scope: int) -> bool:
        if depth >= MAX_FOLD_DEPTH:
            return False
        values = self.reaching_values(scope, self.text(ident), ident.start_byte) if scope != -1 else None
        if not values:
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
    def is_tainted(self, node: Node | None, before: int, depth: int = 0, kind: str | None = None) -> str | None:
        """The source when ``node`` carries data from a taint source unsanitised (for sinks of ``kind``)."""
        trace = self.taint_trace(node, before, depth, kind)
        return trace.source if trace is not None else None

    def taint_trace(self, node: Node | None, before: int, depth: int = 0, kind: str | None = None) -> Trace | None:
        """Where the taint of ``node`` comes from (source first, then each step), or None.

        Identifiers are followed to the assignments in the same function that reach ``before`` (a later
        unconditional assignment replaces earlier ones; branches with a constant condition are pruned),
        parameters to the route-handler rules (``param_sources``) or to the call sites of their function
        in the same file, and calls of local functions through their summaries. Each assigned value is
        judged once per sink kind (memoised, cycle-safe), so chains stay linear.
        """
        spec = self.spec
        if node is None or depth > MAX_FOLD_DEPTH or not (
                spec.taint_sources or spec.source_node or spec.parameter_sources or self.comp.param_sources):
            return None
        # Scopes travel down with the walk (a function's children are in that function): asking the
        # tree per identifier would cost a descent from the root each time. None: the scope of ``node``.
        stack: list[tuple[Node, int | None]] = [(node, None)]
        visited = 0
        while stack and visited < MAX_WALK_NODES:
            current, scope = stack.pop()
            visited += 1
            found, inside = self._taint_at(current, scope, node, before, depth, kind)
            if found:
                return found
            if inside:
                inner = current.start_byte if current.type in self.spec.function_types else scope
                stack.extend((child, inner) for child in inside)
        return None

    def _taint_at(self, current: Node, scope: int | None, root: Node, before: int, depth: int,
                  kind: str | None) -> tuple[Trace | None, list[Node]]:
        """(the taint ``current`` itself carries, the children that still need a look)."""
        node_type = current.type
        if node_type in _CALL_TYPES:
            if self._is_sanitizer(current, kind):
                return None, []
            local = self._local_call_taint(current, depth, kind)
            if local is not None:
                return local
        if node_type in self.spec.identifier_types:
            scope = self.scope_of(root) if scope is None else scope
            return self._ident_tainted(current, before, depth, scope, kind), []
        source = self._source_at(current)
        if source is not None:
            return source
        if node_type in self.spec.ternary_types:
            return None, self._live_branches(current)
        if self.comp.read_query is not None and node_type in _READ_TYPES:
            keyed = self._keyed_read(current, depth, kind)
            if keyed is not None:
                return keyed
        return None, current.named_children

    def _source_at(self, current: Node) -> tuple[Trace | None, list[Node]] | None:
        """``current`` is a taint source (its trace, nothing inside to look at), known clean, or None."""
        if current.type in self.spec.taint_source_types:
            resolved = self.resolve(self.text(current))
            if resolved in self.spec.taint_sources:
                return Trace(resolved, (current,)), []
        if self.spec.source_node is not None:
            found = self.spec.source_node(self, current)
            if found is not None:   # "": known clean (``req.getContextPath()``), nothing inside counts
                return (Trace(found, (current,)) if found else None), []
        return None

    def _live_branches(self, node: Node) -> list[Node]:
        """The parts of a ternary that can be its value: one branch when the condition is constant."""
        cond, then, other = (_field_or_index(node, key) for key in self.spec.ternary_types[node.type])
        taken = flow.taken_branch(self, cond) if cond is not None else None
        if taken is None:
            return [n for n in (cond, then, other) if n is not None]
        chosen = then if taken else other
        return [chosen] if chosen is not None else []

    def _value_tainted(self, value: Node, depth: int, kind: str | None) -> Trace | None:
        key = (value.id, kind, self._pseudo)
        if key in self._taint_memo:
            return self._taint_memo[key]
        self._taint_memo[key] = None  # in progress: cycles are not tainted by themselves
        found = self.taint_trace(value, value.start_byte, depth + 1, kind)
        self._taint_memo[key] = found
        return found

    def _ident_tainted(self, ident: Node, before: int, depth: int, scope: int, kind: str | None) -> Trace | None:
        name = self.text(ident)
        values = self.reaching_values(scope, name, before, kind)
        if values is not None:
            for value in values:
                found = self._value_tainted(value, depth, kind)
                if found:
                    return found.then(value)
            return None
        if scope >= 0:
            param = self._param_taint(scope, name, before, depth, kind)
            if param is not False:
                return param
        resolved = self.resolve(name)
        if resolved in self.spec.taint_sources:
            return Trace(resolved, (ident,))
        return None

    def function_at(self, scope: int) -> Node | None:
        """The function node whose span starts at ``scope`` (a start byte from ``scope_of``)."""
        known = self._scope_nodes.get(scope)
        if known is not None:
            return known
        node: Node | None = self.doc.root.descendant_for_byte_range(scope, self._scope_ends.get(scope, scope))
        hops = 0
        while node is not None and node.type not in self.spec.function_types and hops < 8:
            node, hops = node.parent, hops + 1
        return node if node is not None and node.type in self.spec.function_types else None

    def reaching_values(self, scope: int, name: str, before: int, kind: str | None = None) -> list[Node] | None:
        """The values assigned to ``name`` in ``scope`` that can reach position ``before``, latest first
        (None: no assignment before it). Stops at the latest unconditional one; drops values in branches
        a constant condition never takes; an allow-list check with early exit after the last assignment
        leaves nothing tainted (an empty list)."""
        assigned = [v for v in self.assignments_to(scope, name) or [] if v.start_byte < before]
        stores = self._container_values(scope, name, before)
        if not assigned and not stores:
            return None
        reaching: list[Node] = []
        last_end = -1
        replaced_at = -1      # where the latest unconditional assignment replaced the whole value
        for value in reversed(assigned):
            status = self._branch_status(value, scope)
            if status == "dead":
                continue
            reaching.append(value)
            last_end = max(last_end, value.end_byte)
            if status == "always" and not _augments(value):
                replaced_at = value.start_byte
                break
        # values stored into the container (d['k'] = v, lst.append(v)) since it was last replaced
        reaching += [v for v in stores if v.start_byte > replaced_at]
        if last_end >= 0 and not _raw(kind) and flow.guarded(self, name, last_end, before, kind):
            return []
        return reaching

    def _branch_status(self, value: Node, scope: int) -> str:
        """"always" (the assignment runs whenever its function gets past it), "maybe", or "dead"
        (inside a branch whose constant condition is never true)."""
        memo = self._branch_memo.get(value.id)
        if memo is not None:
            return memo
        status = "always"
        child = value
        current = value.parent
        hops = 0
        while current is not None and hops < 64 and current.start_byte != scope:
            hops += 1
            if current.type in self.spec.function_types:
                break
            if current.type in self.spec.if_types or current.type in _ELIF_TYPES:
                branch = self._if_branch(current, child)
                if branch == "dead":
                    status = "dead"
                    break
                if branch == "maybe":
                    status = "maybe"
            elif current.type in self.spec.loop_types:
                status = "maybe"
            child = current
            current = current.parent
        self._branch_memo[value.id] = status
        return status

    def _if_branch(self, if_node: Node, child: Node) -> str:
        cond = if_node.child_by_field_name("condition")
        if cond is None or child.id == cond.id:
            return "always"
        taken = flow.taken_branch(self, cond)
        consequence = if_node.child_by_field_name("consequence") or if_node.child_by_field_name("body")
        in_then = consequence is not None and consequence.id == child.id
        if taken is None:
            return "maybe"
        if in_then:
            return "always" if taken else "dead"
        return "dead" if taken else ("always" if if_node.type not in _ELIF_TYPES else "maybe")

    # ---- parameters: route-handler sources, or the callers of a local function
    def scope_node(self, scope: int) -> Node | None:
        return self._scope_nodes.get(scope)

    def active_param_sources(self) -> tuple[flow._CompiledParamSource, ...]:
        if self._active_rows is None:
            self._active_rows = tuple(row for row in self.comp.param_sources
                                      if not row.row.needles or any(n.encode() in self.words for n in row.row.needles))
        return self._active_rows

    def function_info(self, scope: int) -> flow.FunctionInfo | None:
        info = self._functions.get(scope)
        if info is None and scope not in self._functions:
            fn = self.function_at(scope)
            if fn is not None:
                name_node = _function_name_node(fn)
                params = flow.parameters(self, fn)
                info = flow.FunctionInfo(fn, self.text(name_node) if name_node is not None else "", params)
                info.sources = flow.source_params(self, fn, params)
                if self.spec.parameter_sources is not None:  # a language's own hook (Java, Go, C#, ...)
                    for name, label in self.spec.parameter_sources(self, fn).items():
                        info.sources.setdefault(name, label)
            self._functions[scope] = info
        return info

    def _param_taint(self, scope: int, name: str, before: int, depth: int,
                     kind: str | None) -> Trace | None | Literal[False]:
        """False when ``name`` is no parameter of the function at ``scope``; else its taint (or None)."""
        info = self.function_info(scope)
        if info is None:
            return False
        index = next((i for i, (param, _) in enumerate(info.params) if param == name), None)
        if index is None:
            return False
        start = info.params[index][1].end_byte
        if not _raw(kind) and flow.guarded(self, name, start, before, kind):
            return None
        if self._pseudo is not None:
            return Trace("parameter", (info.params[index][1],)) if self._pseudo == (scope, name) else None
        label = info.sources.get(name)
        if label:
            return Trace(label, (info.params[index][1],))
        return self._caller_taint(info, index, depth, kind)

    def _caller_taint(self, info: flow.FunctionInfo, index: int, depth: int, kind: str | None) -> Trace | None:
        """Taint passed in by a call of this function elsewhere in the file (bounded, cycle-safe)."""
        if not info.name or len(self._caller_stack) >= flow.MAX_CALL_DEPTH or info.node.id in self._caller_stack:
            return None
        name, param_node = info.params[index][0], info.params[index][1]
        self._caller_stack.append(info.node.id)
        try:
            for call, args, kwargs in self.call_sites(info.name)[:flow.MAX_CALLERS]:
                arg = kwargs.get(name) or _positional(args, index - _receiver_shift(self, info, call))
                if arg is None or info.node.start_byte <= call.start_byte < info.node.end_byte:
                    continue
                found = self.taint_trace(arg, call.start_byte, depth + 1, kind)
                if found:
                    return found.then(call).then(param_node)
        finally:
            self._caller_stack.pop()
        return None

    def call_sites(self, name: str) -> list[CallSite]:
        """Calls of ``name`` (bare or as a method ``x.name``) in the document, with their arguments."""
        sites = self._call_site_memo.get(name)
        if sites is None:
            sites = []
            query = self.comp.call_query
            if query is not None:
                spans = whole_words(self.doc.source, spans_of(self.doc.source, [name.encode()]))
                for _, captures in ranged_matches(query, self.doc.root, spans):
                    callee = _callee_text(self, captures)
                    call = _first(captures, "call")
                    if call is not None and _local_callee_name(callee) == name:
                        args, kwargs = split_arguments(self, _first(captures, "args"))
                        sites.append((call, args, kwargs))
            self._call_site_memo[name] = sites
        return sites

    def local_functions(self, name: str) -> list[Node]:
        """Functions of the document named ``name``."""
        found = self._local_fn_memo.get(name)
        if found is None:
            found = self._local_fn_memo[name] = self._find_functions(name)
            for fn in found:
                self._scope_nodes.setdefault(fn.start_byte, fn)
                self._scope_ends[fn.start_byte] = max(fn.end_byte, self._scope_ends.get(fn.start_byte, 0))
        return found

    def _find_functions(self, name: str) -> list[Node]:
        query = self.comp.scope_query
        if query is None or not name:
            return []
        spans = whole_words(self.doc.source, spans_of(self.doc.source, [name.encode()]))
        found: dict[int, Node] = {}
        for _, captures in ranged_matches(query, self.doc.root, spans):
            for fn in captures.get("scope", []):
                name_node = _function_name_node(fn)
                if name_node is not None and self.text(name_node) == name:
                    found.setdefault(fn.id, fn)
        return sorted(found.values(), key=lambda fn: fn.start_byte)

    def _local_call_taint(self, call: Node, depth: int, kind: str | None) -> tuple[Trace | None, list[Node]] | None:
        """A call of a function defined in this file: tainted when a tainted argument reaches its return
        value, or when its return value is tainted by itself; None when the callee is not local."""
        callee = call.child_by_field_name("function") or call.child_by_field_name("name")
        if callee is None or depth >= MAX_FOLD_DEPTH - 2:
            return None
        name = _local_callee_name(self.text(callee))
        if not name or name in self.aliases:
            return None
        functions = self.local_functions(name)
        if len(functions) != 1 or len(self._caller_stack) >= flow.MAX_CALL_DEPTH:
            return None
        fn = functions[0]
        if fn.start_byte <= call.start_byte < fn.end_byte:
            return None  # recursion: no summary of a function inside itself
        info = self.function_info(fn.start_byte)
        if info is None:
            return None
        self._caller_stack.append(fn.id)
        try:
            found = self._summary_taint(info, call, depth, kind)
        finally:
            self._caller_stack.pop()
        return (found.then(call) if found else None), []

    def _summary_taint(self, info: flow.FunctionInfo, call: Node, depth: int, kind: str | None) -> Trace | None:
        """The return value's own taint, else the taint of an argument whose parameter reaches it."""
        fn = info.node
        own = self._returns_taint(fn, None, depth, kind)
        if own is not None:
            return own
        args, kwargs = split_arguments(self, call.child_by_field_name("arguments"))
        shift = _receiver_shift(self, info, call)
        for index, (param, _) in enumerate(info.params):
            arg = kwargs.get(param) or _positional(args, index - shift)
            if arg is None or not self._returns_taint(fn, (fn.start_byte, param), depth, kind):
                continue
            found = self.taint_trace(arg, call.start_byte, depth + 1, kind)
            if found:
                return found
        return None

    def _returns_taint(self, fn: Node, pseudo: tuple[int, str] | None, depth: int, kind: str | None) -> Trace | None:
        """Summary of ``fn``: the taint of its return values with the parameter ``pseudo`` as the only
        parameter source (None: real sources only; parameters are then untainted)."""
        key = (fn.id, pseudo, kind)
        if key in self._summary_memo:
            return self._summary_memo[key]
        self._summary_memo[key] = None
        saved = self._pseudo
        self._pseudo = pseudo if pseudo is not None else (fn.start_byte, "\0none")
        try:
            found = None
            for value in flow.return_values(self, fn):
                found = self.taint_trace(value, value.end_byte, depth + 1, kind)
                if found:
                    found = found.then(value)
                    break
        finally:
            self._pseudo = saved
        self._summary_memo[key] = found
        return found

    # ---- containers: values stored by key, read back by a constant key
    def _container_values(self, scope: int, name: str, before: int) -> list[Node]:
        return [value for _, value, pos in self._stores(scope, name) if pos < before]

    def _stores(self, scope: int, name: str) -> list[tuple[str | None, Node, int]]:
        """(constant key or None, stored value, position) of every store into ``name`` in ``scope``."""
        key = (scope, name)
        stores = self._store_memo.get(key)
        if stores is not None:
            return stores
        stores = []
        query = self.comp.store_query
        if query is not None and self.spec.keyed_stores:
            spans, _ = self._name_spans(scope, name)
            for _, captures in ranged_matches(query, self.doc.root, spans):
                obj, value = captures.get("obj"), captures.get("value")
                if not obj or not value or self.text(obj[0]) != name or self.scope_of(obj[0]) != scope:
                    continue
                if not self._store_method_ok(captures):
                    continue
                key_nodes = captures.get("key")
                const_key = self._const_key(key_nodes[-1]) if key_nodes else None
                stores.append((const_key, value[-1], obj[0].start_byte))
        stores.sort(key=lambda row: row[2])
        self._store_memo[key] = stores
        return stores

    def _store_method_ok(self, captures: Captures) -> bool:
        method = captures.get("method")
        if not method:
            return True
        text = self.text(method[0])
        return any(text in store.methods for store in self.spec.keyed_stores if store.methods)

    def _keyed_read(self, node: Node, depth: int, kind: str | None) -> tuple[Trace | None, list[Node]] | None:
        """``d['k']`` / ``cfg.get('s', 'k')`` on a local container whose stores all have constant keys:
        only the values stored under that key count. None: not such a read (walk on as usual)."""
        candidates = self.keyed_candidates(node)
        if candidates is None:
            return None
        for value in candidates:
            found = self._value_tainted(value, depth, kind)
            if found:
                return found.then(value), []
        return None, []

    def keyed_candidates(self, node: Node) -> list[Node] | None:
        """The values a constant-key read of a local container can return, None if it is no such read."""
        if self.comp.read_query is None or node.type not in _READ_TYPES:
            return None
        cursor = tree_sitter.QueryCursor(self.comp.read_query)
        cursor.set_byte_range(node.start_byte, node.start_byte + 1)
        obj: Node | None = None
        keys: set[str] = set()
        for _, captures in cursor.matches(node):
            read = _first(captures, "read")
            if read is None or read.id != node.id or not captures.get("obj"):
                continue
            obj = captures["obj"][0]
            keys |= {key for key in map(self._const_key, captures.get("key", [])) if key is not None}
        if obj is None or not keys:
            return None
        return self._candidates_by_key(obj, keys, node.start_byte)

    def _const_key(self, node: Node) -> str | None:
        if node.type in ("integer", "number", "int_literal", "property_identifier", "field_identifier"):
            return self.text(node)
        return self.string_value(node)

    def _candidates_by_key(self, obj: Node, keys: set[str], before: int) -> list[Node] | None:
        name = self.text(obj)
        scope, before = self._table_scope(obj, name, before)
        stores = [row for row in self._stores(scope, name) if row[2] < before]
        assigned = [v for v in self.assignments_to(scope, name) or [] if v.start_byte < before]
        if assigned and self.spec.list_ops and _is_list_base(self, assigned[-1]):
            return self._list_element(scope, name, assigned[-1], keys, before)
        if not assigned or any(k is None for k, _, _ in stores):
            return None
        return self._literal_and_stored(assigned[-1], stores, keys)

    def _literal_and_stored(self, literal_node: Node, stores: list[tuple[str | None, Node, int]],
                            keys: set[str]) -> list[Node] | None:
        """The values under ``keys`` in a table literal and the constant-key stores after it."""
        literal = self._literal_entries(literal_node)
        if literal is None:
            return None
        return [value for key, value in literal if key in keys] + [value for key, value, _ in stores if key in keys]

    def _table_scope(self, obj: Node, name: str, before: int) -> tuple[int, int]:
        """Where ``name`` is assigned: its function, or the module for a module-level table read inside a
        function (the whole module has run by then, so every module-level store counts)."""
        scope = self.scope_of(obj)
        if scope != -1 and self.assignments_to(scope, name) is None and not self._stores(scope, name):
            return -1, len(self.doc.source)
        return scope, before

    def _list_element(self, scope: int, name: str, base: Node, keys: set[str], before: int) -> list[Node] | None:
        """Replay append/pop/insert on a local list literal up to ``before`` and return the element at the
        constant index; None when the replay is not exact (a branch, a loop, another method, a store)."""
        index = _single_int(keys)
        if index is None or self._branch_status(base, scope) != "always":
            return None
        items = [] if base.type not in self.spec.list_types else \
            [c for c in base.named_children if c.type not in self.spec.comment_types]
        if any(key is not None and base.end_byte < pos < before for key, _, pos in self._stores(scope, name)):
            return None  # x[i] = v: not replayed
        for call, method, args in self._list_calls(scope, name, base.end_byte, before):
            if self._branch_status(call, scope) != "always" or not _replay(self, items, method, args):
                return None
        if not -len(items) <= index < len(items):
            return None
        return [items[index]]

    def _list_calls(self, scope: int, name: str, start: int, before: int) -> list[tuple[Node, str, list[Node]]]:
        """``name.method(args)`` calls in ``scope`` between ``start`` and ``before``, in order."""
        out = []
        for call, args, _ in self.call_sites_of_receiver(name):
            if start < call.start_byte < before and self.scope_of(call) == scope:
                callee = call.child_by_field_name("function") or call.child_by_field_name("name")
                method = self.text(callee).rsplit(".", 1)[-1] if callee is not None else ""
                out.append((call, self.spec.list_ops.get(method, "?"), args))
        return sorted(out, key=lambda row: row[0].start_byte)

    def call_sites_of_receiver(self, name: str) -> list[CallSite]:
        """Method calls on the variable ``name`` (``name.m(...)``) in the document."""
        key = "\0recv:" + name
        sites = self._call_site_memo.get(key)
        if sites is None:
            sites = []
            query = self.comp.call_query
            if query is not None:
                spans = whole_words(self.doc.source, spans_of(self.doc.source, [name.encode()]))
                for _, captures in ranged_matches(query, self.doc.root, spans):
                    callee = _callee_text(self, captures)
                    call = _first(captures, "call")
                    if call is not None and callee.rsplit(".", 1)[0] == name and "." in callee:
                        args, kwargs = split_arguments(self, _first(captures, "args"))
                        sites.append((call, args, kwargs))
            self._call_site_memo[key] = sites
        return sites

    def _literal_entries(self, value: Node) -> list[tuple[str | None, Node]] | None:
        """(key, value) of a dict/map literal, or [] for an empty container constructor; None otherwise."""
        text = self.text(value)
        if value.type in ("dictionary", "object"):
            entries: list[tuple[str | None, Node]] = []
            for pair in value.named_children:
                key, val = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                if key is None or val is None:
                    return None
                entries.append((self.string_value(key) or self.text(key), val))
            return entries
        if re.fullmatch(r"(\w+\.)*(dict|ConfigParser|RawConfigParser|defaultdict|OrderedDict|HashMap|Map|"
                        r"TreeMap|LinkedHashMap|Properties)(<[^>]*>)?\(\s*\)|new\s+\w+(<[^>]*>)?\(\s*\)", text):
            return []
        return None

    def _is_sanitizer(self, call: Node, kind: str | None = None) -> bool:
        if _raw(kind):
            return False
        callee = call.child_by_field_name("function") or call.child_by_field_name("name")
        if callee is None:
            return False
        resolved = self.resolve(self.text(callee))
        last = resolved.rsplit(".", 1)[-1]
        if resolved in self.spec.sanitizers or last in self.spec.sanitizers:
            return True
        cleaners = self.spec.kind_sanitizers.get(kind or "")
        return cleaners is not None and (resolved in cleaners or last in cleaners)

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


_ELIF_TYPES = frozenset({"elif_clause"})
_READ_TYPES = frozenset({"subscript", "subscript_expression", "index_expression", "element_access_expression"}) | _CALL_TYPES


def _is_list_base(ctx: "DocContext", value: Node) -> bool:
    return value.type in ctx.spec.list_types or re.fullmatch(r"(list|Array)\(\s*\)|new\s+(Array|ArrayList|LinkedList)"
                                                             r"(<[^>]*>)?\(\s*\)", ctx.text(value)) is not None


def _single_int(keys: set[str]) -> int | None:
    ints = []
    for key in keys:
        try:
            ints.append(int(key))
        except (TypeError, ValueError):
            continue
    return ints[0] if len(ints) == 1 else None


def _replay(ctx: "DocContext", items: list[Node], op: str, args: list[Node]) -> bool:
    """Apply one list operation with constant indices to ``items``; False when it cannot be replayed."""
    if op in ("pop", "insert"):
        return _replay_at(ctx, items, op, args)
    if op in ("append", "prepend") and len(args) == 1:
        items.insert(len(items) if op == "append" else 0, args[0])
    elif op == "popleft" and not args and items:
        items.pop(0)
    elif op == "clear" and not args:
        items.clear()
    else:
        return False
    return True


def _replay_at(ctx: "DocContext", items: list[Node], op: str, args: list[Node]) -> bool:
    """``pop([i])`` / ``insert(i, v)`` at a constant position."""
    position = _const_int(ctx, args[0]) if args else (len(items) - 1 if op == "pop" else None)
    if position is None:
        return False
    if op == "pop":
        if len(args) > 1 or not -len(items) <= position < len(items):
            return False
        items.pop(position)
        return True
    if len(args) != 2:
        return False
    items.insert(position, args[1])
    return True


def _const_int(ctx: "DocContext", node: Node) -> int | None:
    value = flow.constant_value(ctx, node)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


RAW = "raw:"   # kind prefix: follow the flow through sanitisers and guards (was it request data at all?)


def _raw(kind: str | None) -> bool:
    return kind is not None and kind.startswith(RAW)


def _augments(value: Node) -> bool:
    """``x += v``: the value adds to the earlier ones instead of replacing them."""
    parent = value.parent
    return parent is not None and ("augmented" in parent.type or "compound" in parent.type)


def _field_or_index(node: Node, key: str | int) -> Node | None:
    if isinstance(key, int):
        children = node.named_children
        return children[key] if -len(children) <= key < len(children) else None
    return node.child_by_field_name(key)


def _positional(args: list[Node], index: int) -> Node | None:
    return args[index] if 0 <= index < len(args) else None


def _receiver_shift(ctx: "DocContext", info: flow.FunctionInfo, call: Node) -> int:
    """1 when the function's first parameter is the receiver (Python ``self``/``cls``) and the call
    passes it implicitly (``self.helper(x)``)."""
    if info.params and info.params[0][0] in ("self", "cls"):
        return 1
    return 0


_RECEIVERS = ("self.", "this.", "cls.", "$this->", "this->", "static::", "self::")


def _local_callee_name(callee: str) -> str | None:
    """The function name when ``callee`` can only be a function of this file (``f``, ``self.f``)."""
    for receiver in _RECEIVERS:
        if callee.startswith(receiver):
            callee = callee[len(receiver):]
            break
    return callee if callee.isidentifier() else None


def _function_name_node(fn: Node) -> Node | None:
    """The name of a function: its own name field, or the variable/property it is assigned to."""
    name = fn.child_by_field_name("name")
    if name is not None:
        return name
    parent = fn.parent
    if parent is None:
        return None
    for field_name in ("name", "left", "key"):
        named = parent.child_by_field_name(field_name)
        if named is not None and named.id != fn.id:
            return named
    return None


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
    findings = _outermost_flows(findings)
    findings.sort(key=lambda f: (f.start_line, f.start_column, f.rule))
    return findings


def _span(finding: Finding) -> tuple[tuple[int, int], tuple[int, int]]:
    return (finding.start_line, finding.start_column), (finding.end_line, finding.end_column or 0)


def _outermost_flows(findings: list[Finding]) -> list[Finding]:
    """One vulnerability per flow: when a tainted value reaches two sinks of one rule nested in each
    other (`send_file(os.path.join(root, name))`), only the outer call, the one that uses the value, is
    reported; the inner one is a step of its flow. Hotspots (no flow) are all kept."""
    flows: dict[tuple[str, Any], list[Finding]] = {}
    for finding in findings:
        if finding.data.get("tier") == "B":
            flows.setdefault((finding.rule, finding.data.get("source")), []).append(finding)
    inner = {id(a) for group in flows.values() for a in group if any(_inside(a, b) for b in group)}
    return [f for f in findings if id(f) not in inner] if inner else findings


def _inside(inner: Finding, outer: Finding) -> bool:
    """``inner``'s range lies within ``outer``'s, and they differ."""
    (inner_start, inner_end), (outer_start, outer_end) = _span(inner), _span(outer)
    return outer_start <= inner_start and inner_end <= outer_end and (inner_start, inner_end) != (outer_start, outer_end)


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
    call_node = _first(captures, "call")
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
    args, kwargs = split_arguments(ctx, _first(captures, "args"))
    return [Hit(ctx, rule, call_node, captures, resolved, args, kwargs) for rule in rules]


def _first(captures: dict[str, list[Node]], name: str) -> Node | None:
    """The first node captured as ``@name``, if any."""
    nodes = captures.get(name)
    return nodes[0] if nodes else None


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
    passes = rule.when is None or rule.when(hit)
    if not passes and (rule.taint_needs_when or not rule.taint):
        return None
    trace = _taint_source(hit) if rule.taint else None
    taint_rule = _reportable_taint_rule(hit, trace, enabled) if trace else None
    if taint_rule is not None and trace is not None:
        return _taint_finding(hit, taint_rule, trace)
    if rule.tier == "B" or not passes:
        return None
    if rule.taint and rule.drop_when_sanitised and _sanitised_request_value(hit):
        return None
    return _hotspot_finding(hit)


def _sanitised_request_value(hit: Hit) -> bool:
    """The hotspot's argument is request data that every path cleans for this sink kind (a sanitiser, an
    allow-list check with early exit): the flow is proven safe, so the hotspot is dropped like a constant.
    (The taint check already found no unsanitised flow; here the flow is followed through sanitisers.)"""
    ctx = hit.ctx
    parts = [node for key in hit.rule.taint_args for node in _taint_arguments(hit, key)
             if node is not None and not ctx.is_const(node)]
    raw = RAW + (hit.rule.taint or "")
    return bool(parts) and all(ctx.taint_possible(node) and ctx.taint_trace(node, hit.node.start_byte, kind=raw)
                               for node in parts)


def _reportable_taint_rule(hit: Hit, trace: Trace, enabled: Callable[[str], bool]) -> TaintRule | None:
    """The Tier B rule for this sink's kind, unless it is off or counts remote sources only."""
    rule = hit.rule
    taint_rule = hit.ctx.comp.taint_by_kind.get(rule.taint or "")
    if taint_rule is None or not enabled(taint_rule.id):
        return None
    if (taint_rule.remote_only or rule.remote_only) and trace.source in hit.ctx.spec.local_sources:
        return None
    return taint_rule


def _taint_source(hit: Hit) -> Trace | None:
    for key in hit.rule.taint_args:
        for node in _taint_arguments(hit, key):
            found = _tainted_argument(hit, node)
            if found:
                return found
    return None


def _taint_arguments(hit: Hit, key: int | str) -> list[Node | None]:
    """``"*"``: every argument; ``"@name"``: a capture; else one positional or keyword argument."""
    if key == "*":
        return [*hit.args, *hit.kwargs.values()]
    if isinstance(key, str) and key.startswith("@"):
        return [hit.capture(key[1:])]
    return [hit.arg(key)]


def _tainted_argument(hit: Hit, node: Node | None) -> Trace | None:
    ctx = hit.ctx
    if node is None or not ctx.taint_possible(node) or ctx.is_const(node):
        return None
    return ctx.taint_trace(node, hit.node.start_byte, kind=hit.rule.taint)


def _snippet(hit: Hit) -> str:
    text = hit.ctx.text(hit.node).split("\n", 1)[0].strip()
    return text if len(text) <= 60 else text[:57] + "..."


class _Span(TypedDict):
    start_line: int
    end_line: int
    start_column: int
    end_column: int | None


def _location(node: Node) -> _Span:
    return {"start_line": node.start_point[0] + 1, "end_line": node.end_point[0] + 1,
            "start_column": node.start_point[1],
            "end_column": node.end_point[1] if node.start_point[0] == node.end_point[0] else None}


def _hotspot_finding(hit: Hit) -> Finding:
    rule = hit.rule
    snippet = "" if rule.category == "secrets" else f" `{_snippet(hit)}`"
    message = f"Security hotspot: {rule.title}{snippet}. {rule.why} ({rule.cwe}; fix: {rule.fix})"
    return Finding(rule=rule.id, category=rule.kind, severity=rule.severity, message=message,
                   cwe=rule.cwe, function=_function_name(hit), **_location(hit.node),
                   data={"tier": "A", "security_category": rule.category, "confidence": rule.confidence,
                         "cwe": rule.cwe, "fix": rule.fix})


def _taint_finding(hit: Hit, taint_rule: TaintRule, trace: Trace) -> Finding:
    source = trace.source
    message = (f"Vulnerability: {taint_rule.title}: `{source}` reaches `{_snippet(hit)}` without a "
               f"sanitizer. {taint_rule.why} ({taint_rule.cwe}; fix: {taint_rule.fix})")
    return Finding(rule=taint_rule.id, category="security", severity="error", message=message,
                   cwe=taint_rule.cwe, function=_function_name(hit), **_location(hit.node),
                   data={"tier": "B", "security_category": taint_rule.category, "confidence": "high",
                         "cwe": taint_rule.cwe, "fix": taint_rule.fix, "source": source,
                         "sink_rule": hit.rule.id, "flow": _flow_steps(hit, trace)})


MAX_FLOW_STEPS = 12


def _flow_steps(hit: Hit, trace: Trace) -> list[dict[str, Any]]:
    """The source, each assignment/call the value went through, and the sink, as locations with a
    label (LSP relatedInformation, SARIF codeFlows)."""
    nodes = list(trace.nodes)
    if len(nodes) > MAX_FLOW_STEPS:
        nodes = nodes[:1] + nodes[-(MAX_FLOW_STEPS - 1):]
    steps: list[dict[str, Any]] = []
    for index, node in enumerate(nodes):
        role = "source" if index == 0 else "step"
        text = hit.ctx.text(node).split("\n", 1)[0].strip()[:60]
        label = f"source: {trace.source}" if role == "source" else f"through `{text}`"
        steps.append({"role": role, "message": label, **_location(node)})
    steps.append({"role": "sink", "message": f"sink: `{_snippet(hit)}`", **_location(hit.node)})
    return steps


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
