"""The metrics engine: one iterative walk over a parsed document computes, for every function,
cyclomatic complexity (one profile), cognitive complexity with its per-increment breakdown,
Halstead counts and source lines.

The walk uses a TreeCursor (so field names come for free) and an explicit stack, never Python
recursion: 5,000-deep nesting is fine. Everything language-specific comes from a LanguageSpec; what
counts for cyclomatic complexity in a profile (guardline, radon, lizard) from a Profile
(guardline.metrics.profiles).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from collections.abc import Iterable

from tree_sitter import Node, TreeCursor

from guardline.languages.base import (ALL_FIELDS, CogRule, F, H, LanguageSpec, N, S, Z, no_node, text_of,
                                     parent_of, visiting, walk_ancestors)
from guardline.metrics.maintainability import nested_volumes
from guardline.metrics.profiles import Profile, profile_for
from guardline.metrics.profiles.base import TokenView
from guardline.model import FunctionMetrics, Increment
from guardline.parsing import MAX_NESTED_SCOPES, MAX_TREE_DEPTH, NestingTooDeep

_ELSE_RULE = CogRule(H, "else")
_ELSE_IF_SUFFIX = "else if"


@dataclass(eq=False)
class FnState:
    """A function being measured."""

    metrics: FunctionMetrics
    node_id: int
    cc: int = 1
    cog: int = 0
    cog_increments: list[Increment] = field(default_factory=list)
    cc_increments: list[Increment] = field(default_factory=list)
    # Halstead: this function's tokens are MetricsWalker.tokens[hal_begin:hal_end] (document order
    # makes a function's tokens, nested functions included, one contiguous run)
    hal_begin: int = 0
    hal_end: int = 0
    memo: "MemoStart | None" = None    # set for a top-level function whose results are memoised
    sorted_increments: list[Increment] | None = None   # replayed from the memo: already merged
    volume: float | None = None                          # replayed from the memo: Halstead volume


# A walk context: what the children of a node belong to.
#   cc_owner: the innermost function whose cyclomatic count a decision raises (None at module level)
#   accs:     ((FnState, nesting), ...) every function whose cognitive score an increment raises
#   scope:    names for qualified names
class Ctx:
    __slots__ = ("cc_owner", "accs", "scope", "plain", "in_class")

    def __init__(self, cc_owner: "FnState | None", accs: tuple[tuple[FnState, int], ...],
                 scope: tuple[str, ...], in_class: bool = False):
        self.cc_owner = cc_owner
        self.accs = accs
        self.scope = scope
        # inside a class body (Python): a method there starts at nesting 0 for its enclosing functions
        self.in_class = in_class
        # The frame of a node with no role of its own: its children share this context (one
        # object per context, not one per node: most nodes are plain).
        self.plain = Frame(self, self)
        created = getattr(_WALK_CONTEXTS, "created", None)
        if created is not None:
            created.append(self)

    def nested(self, by: int = 1) -> "Ctx":
        if not by or not self.accs:
            return self
        return Ctx(self.cc_owner, tuple((fn, n + by) for fn, n in self.accs), self.scope, self.in_class)


# A context and its plain frame refer to each other: one reference cycle per context. The contexts a
# walk creates are listed here (per thread: the language server analyses in two) and cut from their
# frames when it ends, so they are freed at once instead of waiting for the cycle collector, whose
# collections of the thousands a keystroke leaves cost that keystroke 7-28 ms (bench/RESULTS.md).
_WALK_CONTEXTS = threading.local()


# How a node's children get their context: the default one, or a deeper one for nested fields.
class Frame:
    __slots__ = ("normal", "nested", "nested_fields", "nested_types", "is_if", "body_ctx", "body_fields",
                 "fn", "simple")

    def __init__(self, normal: Ctx, nested: Ctx, nested_fields: tuple[str, ...] = (),
                 nested_types: tuple[str, ...] = (), is_if: bool = False, body_ctx: Ctx | None = None,
                 body_fields: tuple[str | None, ...] = (), fn: FnState | None = None):
        if nested_fields == (ALL_FIELDS,) and not nested_types and not is_if:
            normal, nested_fields = nested, ()    # every child is nested: one context for all
        self.normal = normal
        self.nested = nested
        self.nested_fields = nested_fields
        self.nested_types = nested_types
        self.is_if = is_if
        self.body_ctx = body_ctx                # functions: the context of body fields
        self.body_fields = body_fields
        self.fn = fn                            # the function whose children these are
        # every child gets `normal`: the walk need not read field names
        self.simple = body_ctx is None and not is_if and not nested_fields and not nested_types

    def child_ctx(self, field_name: str | None, child_type: str) -> Ctx:
        if self.body_ctx is not None:
            return self.body_ctx if field_name in self.body_fields else self.normal
        if ALL_FIELDS in self.nested_fields:
            return self.nested
        if field_name in self.nested_fields or child_type in self.nested_types:
            return self.nested
        return self.normal


class MetricsWalker:
    def __init__(self, spec: LanguageSpec, source: bytes, profile: "str | Profile" = "guardline",
                 memo: "FunctionMemo | None" = None):
        self.spec = spec
        self.source = source
        if isinstance(profile, str):
            profile = profile_for(profile, spec)
        self.profile = profile
        self.cc_table = profile.cc_nodes
        self.cc_filter = profile.cc_filter
        self.use_bool_cc = profile.counts_booleans
        self.count_cases = profile.counts_cases
        self.opaque = profile.opaque
        self.cc_extra = profile.extra
        self.cc_tokens = profile.tokens
        self.token_filter = profile.token_filter
        self.view = profile.view(source) if profile.view is not None else None
        self.merge, self.body_end = profile.merge, profile.body_end
        if self.view is not None:
            self._bind_view(profile, self.view)
        self.plain_ok = profile.fast_path   # the compatibility profiles inspect every node
        self.special = special_types(spec) if self.plain_ok else frozenset()
        self.functions: list[FnState] = []
        self.consumed: set[int] = set()       # boolean nodes already counted in a sequence
        self.else_ifs: set[int] = set()       # if nodes in else-if position
        # Halstead keys of every token in document order: operand text (bytes) or operator type (str)
        self.tokens: list[bytes | str] = []
        self.comments: list[tuple[int, int]] = []     # byte spans: not code
        self.multiline: list[tuple[int, int]] = []    # (first, last) rows of tokens spanning rows
        self.module_cc = 0
        # lizard profile: (from byte, to byte, function, enclosing owner) spans lizard gives a function
        self.claims: list[tuple[int, int, FnState, FnState | _SplitOwner | None]] = []
        # per-document memo of top-level functions (the language server keeps one per open file)
        self.memo = memo if self.plain_ok else None
        self.memo_used: dict[tuple[object, ...], MemoEntry] = {}
        self._roles: dict[int, int] = {}      # kind id -> role (_walk_by_kind)

    def _bind_view(self, profile: Profile, view: TokenView) -> None:
        """The profile's view_* rules, bound to this document's token view, replace the plain ones."""
        view_extra, view_merge, view_body_end = profile.view_extra, profile.view_merge, profile.view_body_end
        if view_extra is not None:
            self.cc_extra = lambda node: view_extra(node, view)
        if view_merge is not None:
            self.merge = lambda node, inside: view_merge(node, inside, view)
        if view_body_end is not None:
            self.body_end = lambda node: view_body_end(node, view)

    # ---------------------------------------------------------------- walk
    def walk(self, root: Node) -> list[FnState]:
        """Visit every node once. The guardline profile takes ``_walk_by_kind`` (its fast path for nodes
        with no role); a compatibility profile inspects every node, so each goes through ``_special``."""
        created: list[Ctx] = []
        outer = getattr(_WALK_CONTEXTS, "created", None)
        _WALK_CONTEXTS.created = created
        try:
            return self._walk_by_kind(root) if self.plain_ok else self._walk_every_node(root)
        finally:
            _WALK_CONTEXTS.created = outer
            for ctx in created:     # no frame is used after the walk
                ctx.plain = _DETACHED

    def _walk_every_node(self, root: Node) -> list[FnState]:
        cursor = root.walk()
        root_ctx = Ctx(None, (), ())
        stack: list[Frame] = [root_ctx.plain]
        ancestors: list[Node] = []    # the nodes whose children the stack's frames are (parent_of)
        walk_ancestors(ancestors)
        try:
            while len(stack) <= MAX_TREE_DEPTH:
                node: Node = cursor.node  # type: ignore[assignment]  # tree-sitter: Optional, never None on a tree
                frame = stack[-1]
                visiting(node)
                child_frame = self._special(cursor, frame, node, node.type)
                if child_frame is not None:
                    stack.append(child_frame)
                    ancestors.append(node)
                    continue
                while not cursor.goto_next_sibling():
                    if not cursor.goto_parent():
                        self._prune_memo()
                        return self.functions
                    ancestors.pop()
                    done = stack.pop()
                    if done.fn is not None:
                        self._leave(done.fn)
            raise NestingTooDeep.tree()
        finally:
            walk_ancestors(None)

    def _walk_by_kind(self, root: Node) -> list[FnState]:
        """``walk`` for the guardline profile, with the same results, cheaper per node: a node's role
        is looked up once per kind id (an int: no type string per node), plain nodes under a frame
        that reads field names, strings without interpolation and comments are handled in the loop
        instead of through ``_special`` / ``_visit``, and a leaf's rows are only computed when its
        text holds a newline. Measured on the CPython stdlib: see docs/architecture.md (Speed).
        With a memo, the root's children go one by one (``_walk_top_level``)."""
        frame = Ctx(None, (), ()).plain
        ancestors: list[Node] = []    # the nodes whose children the stack's frames are (parent_of)
        walk_ancestors(ancestors)
        try:
            if self.memo is not None and self._top_level_memo_applies(root, frame):
                self._walk_top_level(root, frame, ancestors)
            else:
                self._walk_loop(root.walk(), frame, [frame], ancestors)
        finally:
            walk_ancestors(None)
        self._prune_memo()
        return self.functions

    def _walk_loop(self, cursor: TreeCursor, frame: Frame, stack: list[Frame], ancestors: list[Node]) -> None:
        """Walk the tree under ``cursor`` (its node and everything below it) in ``frame``."""
        roles = self._roles
        role_of = roles.get
        add_token = self.tokens.append
        source = self.source
        first_child, next_sibling = cursor.goto_first_child, cursor.goto_next_sibling
        alternative = self.spec.alternative_field
        while True:
            node: Node = cursor.node  # type: ignore[assignment]  # tree-sitter: Optional, never None on a tree
            kind = node.kind_id
            role = role_of(kind)
            if role is None:
                role = roles[kind] = self._role(node)
            child_frame = None
            if role >= _SPECIAL or not frame.simple:
                child_frame = self._by_kind_special(cursor, frame, node, role, alternative)
            elif first_child():
                child_frame = frame.normal.plain
            elif role == _OPERAND:
                add_token(source[node.start_byte:node.end_byte])
            elif node.end_byte > node.start_byte:
                add_token(node.type)
            if child_frame is not None:
                frame = child_frame
                stack.append(frame)
                ancestors.append(node)
                if len(stack) > MAX_TREE_DEPTH:
                    raise NestingTooDeep.tree()
            elif not next_sibling():
                above = self._climb(cursor, stack, ancestors)
                if above is None:
                    return
                frame = above

    # ---------------------------------------------------------------- top-level memo
    def _top_level_memo_applies(self, root: Node, frame: Frame) -> bool:
        """Whether the root's children can be walked (and memoised) one by one with the results of one
        walk: the root is a plain node with children, and no profile hook reads past a node."""
        role = self._roles.get(root.kind_id)
        if role is None:
            role = self._roles[root.kind_id] = self._role(root)
        return (role == _PLAIN and frame.simple and root.child_count > 0 and self.merge is None
                and self.body_end is None and self.cc_extra is None)

    def _walk_top_level(self, root: Node, frame: Frame, ancestors: list[Node]) -> None:
        """Each child of the root that spans lines is replayed from the memo when its text (and column)
        was walked at the top level before, else walked and memoised: a keystroke on a 3,000-line file
        walks one top-level definition, not a few hundred replays of unchanged ones."""
        ancestors.append(root)
        inner = frame.normal.plain
        for child in root.children:
            if not self._memoisable_child(child):
                self._walk_loop(child.walk(), inner, [frame, inner], ancestors)
                continue
            key = (_TOP_LEVEL, child.kind_id, child.start_point[1], self.source[child.start_byte:child.end_byte])
            entry = self.memo.get(key) if self.memo is not None else None
            if entry is not None:
                self._replay(entry, key, child)
                continue
            start = MemoStart(key, len(self.functions), len(self.comments), len(self.multiline),
                              self.module_cc, child.start_point[0], child.start_byte)
            tok0 = len(self.tokens)
            self._walk_loop(child.walk(), inner, [frame, inner], ancestors)
            self._remember_span(start, tok0)

    def _memoisable_child(self, child: Node) -> bool:
        """A child spanning lines, without syntax errors, and at most a quarter of the file: one that is
        most of it (a 3,000-line class) is what nearly every edit changes, and storing it again on each
        keystroke (all its functions and tokens) cost more than its replays saved (InputHandler.ts:
        keystroke p95 15 -> 40 ms)."""
        return (child.end_point[0] > child.start_point[0] and not child.has_error
                and 4 * (child.end_byte - child.start_byte) <= len(self.source))

    def _remember_span(self, start: MemoStart, tok0: int) -> None:
        """Memoise what the walk added since ``start`` (a top-level function or child of the root: all its
        functions, its tokens from ``tok0``, comments, multi-line tokens and module-level decisions)."""
        byte0, row0 = start.byte, start.row
        inner = self.functions[start.fn_index:]
        volumes = nested_volumes(self.tokens, [(state.hal_begin, state.hal_end) for state in inner])
        entry = MemoEntry(row0, tuple(_snapshot(state, byte0, tok0, volume) for state, volume in zip(inner, volumes)),
                          tuple(self.tokens[tok0:]),
                          tuple((a - byte0, b - byte0) for a, b in self.comments[start.comments:]),
                          tuple((a - row0, b - row0) for a, b in self.multiline[start.multiline:]),
                          self.module_cc - start.module_cc)
        if self.memo is not None:
            self.memo[start.key] = entry
        self.memo_used[start.key] = entry

    def _climb(self, cursor: TreeCursor, stack: list[Frame], ancestors: list[Node]) -> Frame | None:
        """Up until an ancestor has a next sibling, and to it, leaving frames (and functions) on
        the way; the frame of the new node's siblings, or None at the end of the tree."""
        while True:
            if not cursor.goto_parent():
                return None
            ancestors.pop()
            done = stack.pop()
            if done.fn is not None:
                self._leave(done.fn)
            if cursor.goto_next_sibling():
                return stack[-1]

    def _role(self, node: Node) -> int:
        node_type = node.type
        spec = self.spec
        if node_type in self.special:
            if node.is_named and node_type in spec.comment_types:
                return _COMMENT
            if node.is_named and node_type in spec.string_types:
                return _STRING
            return _SPECIAL
        return _OPERAND if node_type in spec.operand_types else _PLAIN

    def _by_kind_special(self, cursor: TreeCursor, frame: Frame, node: Node, role: int, alternative: str) -> Frame | None:
        """A node the loop does not finish itself: what ``_special`` does, with shortcuts for the
        commonest cases whose outcome is known from the role (same results as ``_special``)."""
        if not frame.is_if or (role < _SPECIAL and cursor.field_name != alternative):
            if role == _COMMENT:
                self.comments.append((node.start_byte, node.end_byte))
                return None
            if role == _STRING and not self._interpolated(cursor):
                start, end = node.start_byte, node.end_byte
                if self.source.find(b"\n", start, end) >= 0:
                    self._rows(node)
                self.tokens.append(self.source[start:end])
                return None
            if role < _SPECIAL:
                # a plain node under a frame that reads field names: its context is the field's
                ctx = frame.child_ctx(cursor.field_name, node.type)
                if cursor.goto_first_child():
                    return ctx.plain
                self._plain_leaf(node, role)
                return None
        node_type = node.type
        visiting(node)
        return self._special(cursor, frame, node, node_type)

    def _interpolated(self, cursor: TreeCursor) -> bool:
        """Does the string at the cursor have a named child of an interpolation type (walked)?"""
        if not cursor.goto_first_child():
            return False
        types = self.spec.interpolation_types
        found = False
        while True:
            child = cursor.node
            if child is not None and child.is_named and child.type in types:
                found = True
                break
            if not cursor.goto_next_sibling():
                break
        cursor.goto_parent()
        return found

    def _plain_leaf(self, node: Node, role: int) -> None:
        """``_leaf`` for a leaf with no role (guardline profile)."""
        start, end = node.start_byte, node.end_byte
        if self.source.find(b"\n", start, end) >= 0:
            self._rows(node)
        if role == _OPERAND:
            self.tokens.append(self.source[start:end])
        elif end > start:
            self.tokens.append(node.type)

    def _rows(self, node: Node) -> None:
        """Record a token spanning rows (its text holds a newline), as ``_leaf`` does."""
        first_row = node.start_point[0]
        last_row, last_column = node.end_point
        if last_column == 0 and last_row > first_row:
            last_row -= 1
        if last_row != first_row:
            self.multiline.append((first_row, last_row))

    def _special(self, cursor: TreeCursor, frame: Frame, node: Node, node_type: str) -> Frame | None:
        """A node with a role (or any node under a frame that reads field names): visit it, and
        return the frame to descend with, or None when its subtree is done (a leaf, a comment, a
        string, a function replayed from the memo)."""
        if frame.simple:
            ctx = frame.normal
            child_frame = self._visit(node, node_type, ctx)
        else:
            field_name = cursor.field_name
            ctx = frame.child_ctx(field_name, node_type)
            if frame.is_if and field_name == self.spec.alternative_field:
                child_frame = self._alternative(node, ctx, frame)
            else:
                child_frame = self._visit(node, node_type, ctx)
        if child_frame is _REPLAYED:
            return None
        if child_frame is not None and cursor.goto_first_child():
            return child_frame
        self._leaf(node, node_type, ctx)
        return None

    def _leave(self, fn: FnState) -> None:
        """A function's subtree is done: its tokens end here; memoise it when it is top-level."""
        fn.hal_end = len(self.tokens)
        if fn.memo is not None:
            self._remember(fn)

    def code_rows(self) -> list[int]:
        """0-based rows holding code: a non-blank character outside comments, or a row inside a
        token that spans rows (a blank line in a docstring is part of the string)."""
        text = self.source
        if self.comments:
            buffer = bytearray(text)
            for start, end in self.comments:
                buffer[start:end] = text[start:end].translate(_BLANK_EXCEPT_NEWLINE)
            text = bytes(buffer)
        rows = {row for row, line in enumerate(text.split(b"\n")) if line.strip()}
        for first, last in self.multiline:
            rows.update(range(first, last + 1))
        return sorted(rows)

    # ---------------------------------------------------------------- nodes
    def _visit(self, node: Node, node_type: str, ctx: Ctx) -> Frame | None:
        """Process one node; return the frame for its children, or None to not descend."""
        spec = self.spec
        if not node.is_named:
            return ctx.plain   # keywords and punctuation (`if`, `lambda`)
        if node_type in spec.comment_types:
            self.comments.append((node.start_byte, node.end_byte))
            return None
        if node_type in spec.string_types:
            # one Halstead operand; descend only into interpolations (f"{a if b else c}")
            if not any(c.type in spec.interpolation_types for c in node.named_children):
                return None
            self._leaf(node, node_type, ctx)
            return ctx.plain
        if (node_type in spec.function_types or node_type in spec.lambda_types) and \
                (spec.is_function is None or spec.is_function(node)):
            return self._enter_function(node, node_type, ctx)
        if node_type in spec.class_types:
            return self._enter_class(node, ctx)
        self._cyclomatic(node, node_type, ctx)
        if node_type in spec.bool_types:
            self._boolean(node, ctx)
        if spec.jump_is_flat(node):
            self._cog(ctx, node, "labelled jump", F)
        if node_type in self.opaque:
            # the profile's tool does not look inside (radon's visit_Assert, a lizard token)
            ctx = Ctx(_DISCARD, ctx.accs, ctx.scope)
        if node_type in spec.preprocessor_types:
            # `#if A && B`: the condition is not code, nothing in it counts (Halstead still does)
            skipped = Ctx(_DISCARD, (), ctx.scope)
            return Frame(ctx, skipped, ("condition",))
        rule = spec.cog_rules.get(node_type)
        if rule is None or (spec.cog_filter is not None and not spec.cog_filter(node)):
            return ctx.plain
        if node.id in self.else_ifs:
            rule = CogRule(H, _ELSE_IF_SUFFIX, rule.nested, rule.nested_types)
        return self._apply_rule(node, node_type, rule, ctx)

    def _apply_rule(self, node: Node, node_type: str, rule: CogRule, ctx: Ctx) -> Frame:
        kind = rule.kind
        if kind != Z and kind != N:
            self._cog(ctx, node, rule.construct, kind)
        is_if = node_type in self.spec.if_types or node_type in self.spec.else_if_types
        if kind == Z or kind == F:
            return Frame(ctx, ctx, is_if=is_if) if is_if else ctx.plain
        return Frame(ctx, ctx.nested(), rule.nested, rule.nested_types, is_if)

    def _alternative(self, node: Node, ctx: Ctx, parent: Frame) -> Frame | None:
        """The `alternative` branch of an if: else-if chains stay at the if's nesting level."""
        spec = self.spec
        node_type = node.type
        if node_type in spec.if_types:
            self.else_ifs.add(node.id)
            return self._visit(node, node_type, ctx)
        if node_type in spec.else_if_types:
            return self._visit(node, node_type, ctx)
        if node_type in spec.else_types:
            inner = _only_statement(node, spec)
            if inner is not None and inner.type in spec.if_types:
                self.else_ifs.add(inner.id)
                return ctx.plain
            self._cyclomatic(node, node_type, ctx)
            self._cog(ctx, node, "else", H)
            return Frame(ctx, ctx.nested(), (ALL_FIELDS,))
        # a bare block as the else branch (Java, Go, C#)
        self._cog(ctx, node, "else", H)
        nested = ctx.nested()
        return nested.plain

    def _enter_function(self, node: Node, node_type: str, ctx: Ctx) -> Frame:
        spec = self.spec
        key = self._memo_key(node, node_type, ctx) if self._memoisable(ctx) else None
        if key is not None:
            entry = self.memo.get(key) if self.memo is not None else None   # _memoisable: memo is set
            if entry is not None:
                self._replay(entry, key, node)
                return _REPLAYED
        fn = self._new_function(node, node_type, ctx)
        if key is not None:
            fn.memo = MemoStart(key, len(self.functions) - 1, len(self.comments), len(self.multiline),
                                self.module_cc, node.start_point[0], node.start_byte)
        is_lambda = node_type in spec.lambda_types
        alone = spec.scored_alone(node)
        parents = () if alone else self._parent_accs(node, is_lambda, ctx)
        # radon does not treat lambdas as functions: their decisions count in the enclosing one
        profile = self.profile
        cc_owner = ctx.cc_owner if (is_lambda and not profile.lambdas_are_functions) else fn
        if self.merge is not None and self.merge(node, ctx.cc_owner is not None):
            cc_owner = ctx.cc_owner
        elif self.body_end is not None:
            end_byte = self.body_end(node)
            if end_byte is not None and end_byte < node.end_byte:
                cc_owner = _SplitOwner(fn, ctx.cc_owner, end_byte)  # type: ignore[assignment]
            elif end_byte is not None and end_byte > node.end_byte:
                # lizard reads on past the body: the following tokens up to end_byte are this function's
                self.claims.append((node.end_byte, end_byte, fn, ctx.cc_owner))
        body = Ctx(cc_owner, parents + ((fn, 1 if alone else 0),), ctx.scope + (fn.metrics.name,))
        outside = Ctx(None, ctx.accs, ctx.scope)
        return Frame(outside, outside, body_ctx=body, body_fields=spec.body_fields, fn=fn)

    def _parent_accs(self, node: Node, is_lambda: bool, ctx: Ctx) -> tuple[tuple[FnState, int], ...]:
        """The enclosing functions a nested function's increments also count for, at their nesting."""
        spec = self.spec
        if not spec.nested_functions_in_parent:
            return ()
        if ctx.in_class:       # a method of a class inside a function: nesting 0 (Sonar's Python rule)
            return tuple((f, 0) for f, _ in ctx.accs)
        transparent = (is_lambda and not spec.lambdas_nest) or spec.transparent_wrapper(node)
        return ctx.nested(0 if transparent else 1).accs

    def _enter_class(self, node: Node, ctx: Ctx) -> Frame:
        spec = self.spec
        hook = spec.class_name_of
        name = hook(node, self.source) if hook else None
        if name is None:
            child = node.child_by_field_name("name")
            name = text_of(child, self.source) if child is not None else None
        scope = ctx.scope + (name,) if name else ctx.scope
        if len(scope) > MAX_NESTED_SCOPES:
            raise NestingTooDeep.scopes()
        if spec.class_resets_nesting:
            # nesting starts again at 0, but enclosing functions still count what the class holds
            inner = Ctx(None, tuple((fn, 0) for fn, _ in ctx.accs), scope, in_class=True)
        else:
            inner = Ctx(None, ctx.nested().accs, scope)
        return inner.plain

    def _new_function(self, node: Node, node_type: str, ctx: Ctx) -> FnState:
        if len(ctx.scope) >= MAX_NESTED_SCOPES:
            raise NestingTooDeep.scopes()
        name, name_node = self._function_name(node)
        qualifier = self.spec.qualifier_of(node, self.source) if self.spec.qualifier_of else None
        scope = ctx.scope + ((qualifier,) if qualifier else ())
        start_row = node.start_point[0]
        end_row = node.end_point[0]
        if node.end_point[1] == 0 and end_row > start_row:
            end_row -= 1
        anchor = name_node or node
        metrics = FunctionMetrics(
            name=name,
            qualified_name=".".join(scope + (name,)),
            start_line=start_row + 1,
            end_line=end_row + 1,
            start_byte=node.start_byte,
            end_byte=node.end_byte,
            name_line=anchor.start_point[0] + 1,
            name_column=anchor.start_point[1],
            name_end_column=anchor.end_point[1] if anchor.end_point[0] == anchor.start_point[0] else anchor.start_point[1] + 1,
        )
        fn = FnState(metrics=metrics, node_id=node.id)
        fn.hal_begin = fn.hal_end = len(self.tokens)
        self.functions.append(fn)
        return fn

    def _function_name(self, node: Node) -> tuple[str, Node | None]:
        spec = self.spec
        if spec.name_of is not None:
            name = spec.name_of(node, self.source)
            if name:
                return name, (spec.name_node_of(node) if spec.name_node_of else _name_node(node))
        child = node.child_by_field_name("name")
        if child is not None:
            return text_of(child, self.source), child
        parent = parent_of(node)
        if parent is not None and parent.type in spec.name_from_parent:
            target = parent.child_by_field_name(spec.name_from_parent[parent.type])
            if target is not None and target.id != node.id:
                return text_of(target, self.source).strip(), target
        return f"<lambda>@{node.start_point[0] + 1}", None

    # ---------------------------------------------------------------- memo
    def _memoisable(self, ctx: Ctx) -> bool:
        """Top-level functions (not inside another function's scores or a lambda's name)."""
        return self.memo is not None and not ctx.accs and ctx.cc_owner is None and \
            not any("<lambda>@" in part for part in ctx.scope)

    def _memo_key(self, node: Node, node_type: str, ctx: Ctx) -> tuple[object, ...]:
        """Everything a top-level function's results depend on: its text, where its first line
        starts (columns), its scope and its name (which may come from outside its text)."""
        name, _ = self._function_name(node)
        qualifier = self.spec.qualifier_of(node, self.source) if self.spec.qualifier_of else None
        return (node_type, node.start_point[1], ctx.scope, name, qualifier,
                self.source[node.start_byte:node.end_byte])

    def _remember(self, fn: FnState) -> None:
        assert fn.memo is not None
        self._remember_span(fn.memo, fn.hal_begin)   # its tokens run from hal_begin to the end (_leave)

    def _replay(self, entry: "MemoEntry", key: tuple[object, ...], node: Node) -> None:
        """Append a memoised function (and the functions nested in it) where it is now."""
        row0, byte0, tok0 = node.start_point[0], node.start_byte, len(self.tokens)
        if row0 != entry.row:
            # it moved: rebase once, so the next keystrokes find it in place
            entry = entry.moved_to(row0)
            if self.memo is not None:   # a replay comes from the memo
                self.memo[key] = entry
        self.memo_used[key] = entry
        self.functions.extend(_placed(snapshot, byte0, tok0) for snapshot in entry.functions)
        self.tokens.extend(entry.tokens)
        if entry.comments:
            self.comments.extend((a + byte0, b + byte0) for a, b in entry.comments)
        if entry.multiline:
            self.multiline.extend((a + row0, b + row0) for a, b in entry.multiline)
        self.module_cc += entry.module_cc

    def _prune_memo(self) -> None:
        """Keep the memo to what this version of the document uses (edits leave old entries)."""
        memo = self.memo
        if memo is not None and len(memo) > 2 * len(self.memo_used) + 16:
            memo.clear()
            memo.update(self.memo_used)

    # ---------------------------------------------------------------- cyclomatic
    def _cyclomatic(self, node: Node, node_type: str, ctx: Ctx) -> None:
        label = self.cc_table.get(node_type)
        points = 0
        spec = self.spec
        if label is not None:
            if self.cc_filter is None or self.cc_filter(node):
                points = 1
        elif node_type in spec.case_types and self.count_cases:
            if not spec.is_default_case(node):
                points, label = 1, "case"
        if self.cc_extra is not None:
            extra = self.cc_extra(node)
            if extra:
                points, label = points + extra, label or node_type
        if points:
            self._add_cc(ctx, node, label or node_type, points)

    def _add_cc(self, ctx: Ctx, node: Node, label: str, points: int) -> None:
        owner = _resolve(ctx.cc_owner, node.start_byte)
        if self.claims:
            owner = self._claimed(owner, node.start_byte)
        if owner is None:
            self.module_cc += points
            return
        owner.cc += points
        owner.cc_increments.append(Increment("cyclomatic", node.start_point[0] + 1, label, points, 0,
                                             node.start_point[1]))

    def _claimed(self, owner: FnState | None, at: int) -> FnState | None:
        for start, end, fn, outer in reversed(self.claims):
            if start <= at < end and _resolve(outer, at) is owner:
                return fn
        return owner

    # ---------------------------------------------------------------- booleans
    def _operator(self, node: Node) -> str | None:
        op = node.child_by_field_name("operator")
        if op is None:
            return None
        op_type = op.type
        return op_type if op_type in self.spec.bool_operators else None

    def _cog_operator(self, op: str | None) -> bool:
        ops = self.spec.cog_bool_operators
        return op is not None and (ops is None or op in ops)

    def _boolean(self, node: Node, ctx: Ctx) -> None:
        op = self._operator(node)
        if op is None:
            return
        if self.use_bool_cc:
            self._add_cc(ctx, node, op, 1)
        if node.id in self.consumed or not self._cog_operator(op):
            return
        if self.spec.continues_bool_run is not None:
            if not self.spec.continues_bool_run(node):
                self._cog(ctx, node, op, F)
            return
        operators = self._flatten_sequence(node)
        changes = 1 + sum(1 for a, b in zip(operators, operators[1:]) if a != b)
        self._cog(ctx, node, " ".join(_dedupe(operators)), F, amount=changes)

    def _flatten_sequence(self, top: Node) -> list[str]:
        """Operators of one boolean sequence in source order (parentheses transparent unless the
        language says they start a new sequence; negations always start a new one)."""
        spec = self.spec
        out: list[str] = []
        stack: list[Node | _OpMarker] = [top]
        while stack:
            node = stack.pop()
            if isinstance(node, _OpMarker):
                out.append(node.op)
                continue
            node_type = node.type
            if node_type in spec.bool_types and (node is top or self._cog_operator(self._operator(node))):
                op = self._operator(node)
                if op is None:
                    continue
                self.consumed.add(node.id)
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                # push right first so left is processed first; the operator sits between them
                if right is not None:
                    stack.append(right)
                stack.append(_OpMarker(op))
                if left is not None:
                    stack.append(left)
            elif node_type in spec.paren_types and not spec.parens_split_sequences:
                inner = [c for c in node.named_children if c.type not in spec.comment_types]
                if len(inner) == 1:
                    stack.append(inner[0])
        return out

    # ---------------------------------------------------------------- cognitive
    def _cog(self, ctx: Ctx, node: Node, construct: str, kind: str, amount: int = 1) -> None:
        line = node.start_point[0] + 1
        column = node.start_point[1]
        for fn, nesting in ctx.accs:
            points = amount + nesting if kind == S else amount
            fn.cog += points
            fn.cog_increments.append(Increment("cognitive", line, construct, points,
                                               nesting if kind == S else 0, column))

    # ---------------------------------------------------------------- leaves
    def _leaf(self, node: Node, node_type: str, ctx: Ctx) -> None:
        """A token the fast path did not take: a string, a comment, or any leaf in the profiles
        that inspect every token."""
        spec = self.spec
        if self.view is not None:
            self._view_tokens(node, node_type, ctx, self.view)
        if node_type in spec.comment_types:
            return
        if self.view is None and node_type in self.cc_tokens and (self.token_filter is None or self.token_filter(node)):
            self._add_cc(ctx, node, node_type, 1)
        first_row = node.start_point[0]
        last_row, last_column = node.end_point
        if last_column == 0 and last_row > first_row:
            last_row -= 1    # a token's closing newline (`#define X\n`) does not make the next row code
        if last_row != first_row:
            self.multiline.append((first_row, last_row))
        if node_type in spec.operand_types or node_type in spec.string_types:
            self.tokens.append(self.source[node.start_byte:node.end_byte])
        elif node.end_byte > node.start_byte:
            self.tokens.append(node_type)

    def _view_tokens(self, node: Node, node_type: str, ctx: Ctx, view: TokenView) -> None:
        """A profile with its tool's token view: a listed token counts where the tool starts a token, and
        the tool's conditions inside what the tree calls a string or comment count too (code to it)."""
        for text in view.conditions_inside(node.start_byte, node.end_byte):
            self._add_cc(ctx, node, text, 1)
        if node_type in self.cc_tokens and node_type not in self.spec.comment_types and view.sees(node) and \
                (self.token_filter is None or self.token_filter(node)):
            self._add_cc(ctx, node, node_type, 1)


def special_types(spec: LanguageSpec) -> frozenset[str]:
    """Node types with a role in the guardline profile; every other node takes the fast path."""
    types = set(spec.comment_types | spec.string_types | spec.function_types | spec.lambda_types)
    types |= spec.class_types | spec.case_types | spec.bool_types | spec.preprocessor_types
    types |= set(spec.cc_nodes) | set(spec.cog_rules)
    if spec.jump_is_flat is not no_node:
        types |= spec.jump_types
    return frozenset(types)


# Roles of a node kind in the guardline profile's walk (_walk_by_kind); >= _SPECIAL: not finished in the loop
_PLAIN, _OPERAND, _SPECIAL, _STRING, _COMMENT = range(5)

_BLANK_EXCEPT_NEWLINE = bytes(10 if byte == 10 else 32 for byte in range(256))


# Decisions that a profile does not count anywhere go to this throwaway owner.
_DISCARD = FnState(metrics=FunctionMetrics("<discard>", "<discard>", 0, 0), node_id=-1)


@dataclass(frozen=True, slots=True)
class _SplitOwner:
    """lizard profile: decisions before end_byte belong to fn, later ones to the enclosing owner."""

    fn: FnState
    outer: "FnState | _SplitOwner | None"
    end_byte: int


def _resolve(owner: "FnState | _SplitOwner | None", at: int) -> FnState | None:
    while isinstance(owner, _SplitOwner):
        owner = owner.fn if at < owner.end_byte else owner.outer
    return owner


class _OpMarker:
    """Placeholder on the flattening stack for an operator between two operands."""

    __slots__ = ("op", "type")

    def __init__(self, op: str):
        self.op = op
        self.type = "\0op"


def _dedupe(ops: list[str]) -> list[str]:
    out: list[str] = []
    for op in ops:
        if not out or out[-1] != op:
            out.append(op)
    return out


def _only_statement(node: Node, spec: LanguageSpec) -> Node | None:
    """The single non-comment named child of an else wrapper (to spot `else if`)."""
    body = node.child_by_field_name("body")
    if body is not None and body.type in spec.if_types:
        return body
    children = [c for c in node.named_children if c.type not in spec.comment_types]
    return children[0] if len(children) == 1 else None


def _name_node(node: Node) -> Node | None:
    return node.child_by_field_name("name")


FunctionMemo = dict[tuple[object, ...], "MemoEntry"]   # memo key -> entry; owned by the caller, reused across versions


@dataclass(frozen=True, slots=True)
class MemoStart:
    """Where a memoisable function's results start in the walker's lists."""

    key: tuple[object, ...]
    fn_index: int
    comments: int
    multiline: int
    module_cc: int
    row: int
    byte: int


@dataclass(frozen=True, slots=True)
class FnSnapshot:
    """A finished function at the entry's row; bytes and tokens relative to its top-level function."""

    metrics: FunctionMetrics
    cc: int
    cog: int
    increments: tuple[Increment, ...]    # merged and sorted, as compute_functions wants them
    hal_begin: int
    hal_end: int
    volume: float

    def moved(self, rows: int) -> "FnSnapshot":
        return FnSnapshot(_shift_metrics(self.metrics, rows, 0), self.cc, self.cog,
                          tuple(_shift_increments(self.increments, rows)), self.hal_begin, self.hal_end,
                          self.volume)


@dataclass(frozen=True, slots=True)
class MemoEntry:
    row: int                            # 0-based row of the top-level function the snapshots are at
    functions: tuple[FnSnapshot, ...]
    tokens: tuple[str | bytes, ...]                # Halstead keys (metrics/maintainability.py Token)
    comments: tuple[tuple[int, int], ...]
    multiline: tuple[tuple[int, int], ...]
    module_cc: int

    def moved_to(self, row: int) -> "MemoEntry":
        rows = row - self.row
        return MemoEntry(row, tuple(snapshot.moved(rows) for snapshot in self.functions), self.tokens,
                         self.comments, self.multiline, self.module_cc)


_ANONYMOUS_NAME = re.compile(r"<lambda>@(\d+)")


def _shift_name(name: str, rows: int) -> str:
    """Anonymous functions are named after their line (`<lambda>@12`): shift that too."""
    if not rows or "<lambda>@" not in name:
        return name
    return _ANONYMOUS_NAME.sub(lambda match: f"<lambda>@{int(match.group(1)) + rows}", name)


def _shift_metrics(metrics: FunctionMetrics, rows: int, nbytes: int) -> FunctionMetrics:
    """A fresh copy (callers add origin data to theirs) moved by rows and bytes."""
    # positional (name, qualified name, lines, bytes, name position): a third of the keyword call's cost
    return FunctionMetrics(
        _shift_name(metrics.name, rows), _shift_name(metrics.qualified_name, rows),
        metrics.start_line + rows, metrics.end_line + rows, metrics.start_byte + nbytes, metrics.end_byte + nbytes,
        metrics.name_line + rows, metrics.name_column, metrics.name_end_column)


def _shift_increments(increments: Iterable[Increment], rows: int) -> list[Increment]:
    return [Increment(inc.metric, inc.line + rows, inc.construct, inc.amount, inc.nesting, inc.column)
            for inc in increments]


def merged_increments(state: FnState) -> list[Increment]:
    if state.sorted_increments is not None:
        return state.sorted_increments
    return sorted(state.cog_increments + state.cc_increments,
                  key=lambda inc: (inc.line, inc.column, inc.metric))


def _snapshot(state: FnState, byte0: int, tok0: int, volume: float) -> FnSnapshot:
    return FnSnapshot(_shift_metrics(state.metrics, 0, -byte0), state.cc, state.cog,
                      tuple(merged_increments(state)), state.hal_begin - tok0, state.hal_end - tok0, volume)


def _placed(snapshot: FnSnapshot, byte0: int, tok0: int) -> FnState:
    # Increment objects are shared between versions: nothing mutates them
    # positional, in FnState's field order: metrics, node id, cc, cog, cog and cc increments (unused
    # once sorted_increments is set), Halstead span, memo, sorted increments, volume
    return FnState(_shift_metrics(snapshot.metrics, 0, byte0), -1, snapshot.cc, snapshot.cog, [], [],
                   snapshot.hal_begin + tok0, snapshot.hal_end + tok0, None, list(snapshot.increments),
                   snapshot.volume)


# a function replayed from the memo: the walk neither descends into it nor reads it as a token
_REPLAYED = Ctx(None, (), ()).plain
# what a context's plain frame is once its walk has ended (never walked with)
_TOP_LEVEL = ("top-level",)     # first item of a top-level child's memo key (function keys start with a type)
_DETACHED = Ctx(None, (), ()).plain
