"""The data a cyclomatic profile is made of (see guardline.metrics.profiles)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable, Mapping

from tree_sitter import Node

from guardline.languages.base import LanguageSpec, NodePredicate

PROFILE_NAMES = ("guardline", "radon", "lizard")


@dataclass(frozen=True)
class Profile:
    """How one profile scores one language's cyclomatic complexity."""

    name: str
    cc_nodes: Mapping[str, str]                 # node type -> construct label, +1 each
    cc_filter: NodePredicate | None = None      # a node of cc_nodes counts only if this is True
    counts_cases: bool = False                  # LanguageSpec.case_types count (+1 unless default)
    counts_booleans: bool = True                # each && / || (LanguageSpec.bool_types) counts +1
    # False: every node is inspected (token rules, extras): no fast path, no per-document memo
    fast_path: bool = False
    lambdas_are_functions: bool = True          # radon: a lambda's decisions are the enclosing one's
    opaque: frozenset[str] = frozenset()        # nothing inside these nodes counts
    extra: Callable[[Node], int] | None = None  # extra points for a node
    tokens: frozenset[str] = frozenset()        # leaf token types counted +1 each
    token_filter: NodePredicate | None = None   # a listed token counts only if this is True
    # (function node, inside another function) -> True when the profile's tool sees no function
    # there and counts its tokens in the enclosing function
    merge: Callable[[Node, bool], bool] | None = None
    # function node -> byte offset where the tool closes the function (before its end: later
    # tokens count in the enclosing one; after it: the following tokens are this function's)
    body_end: Callable[[Node], int | None] | None = None
    # source -> the tool's own token view of it, for a tool whose tokenizer reads some code as one
    # string (lizard's Rust lifetimes): a counted token must start one of the tool's tokens, and
    # view_extra replaces extra (it sees the view)
    view: "Callable[[bytes], TokenView] | None" = None
    view_extra: "Callable[[Node, TokenView], int] | None" = None
    view_merge: "Callable[[Node, bool, TokenView], bool] | None" = None       # replaces merge
    view_body_end: "Callable[[Node, TokenView], int | None] | None" = None    # replaces body_end


class TokenView:
    """Where a tool's tokenizer starts its tokens in one document (byte offsets), and its braces."""

    def __init__(self, starts: frozenset[int], braces: list[tuple[int, str]],
                 conditions: list[tuple[int, str]] | None = None) -> None:
        self.starts = starts
        self.braces = braces                      # (offset, "{" or "}") of the tool's brace tokens, in order
        self._brace_index = {offset: index for index, (offset, _) in enumerate(braces)}
        # (offset, text) of the tool's condition tokens, in order: those inside a string or comment of the
        # tree are code to the tool (its imagined string ended there) and count
        self.conditions = conditions or []
        self._condition_offsets = [offset for offset, _ in self.conditions]

    def conditions_inside(self, start: int, end: int) -> list[str]:
        """The tool's condition tokens that start strictly inside ``start``..``end``."""
        first = bisect.bisect_right(self._condition_offsets, start)
        last = bisect.bisect_left(self._condition_offsets, end)
        return [text for _, text in self.conditions[first:last]]

    def sees(self, node: Node) -> bool:
        """Whether the tool reads a token where ``node`` starts (not inside one of its strings)."""
        return node.start_byte in self.starts

    def block_end(self, opening: int, default: int) -> int:
        """The offset after the `}` that closes the tool's `{` at ``opening`` (``default``: never closed)."""
        depth = 0
        for offset, brace in self.braces[self._brace_index[opening]:]:
            depth += 1 if brace == "{" else -1
            if depth == 0:
                return offset + 1
        return default


@dataclass(frozen=True)
class LizardRules:
    """One language's lizard reader, as data and small predicates (profiles/lizard/<module>.py)."""

    tokens: frozenset[str] = frozenset()        # condition tokens, by leaf type (= token text)
    extra: Callable[[Node], int] | None = None  # extra points for a named node (JS defaults)
    token_filter: NodePredicate | None = None   # a listed token counts only if this is True
    opaque: frozenset[str] = frozenset()        # lizard reads these as one token: nothing inside counts
    merge: Callable[[Node, bool], bool] | None = None
    body_end: Callable[[Node], int | None] | None = None
    view: Callable[[bytes], TokenView] | None = None      # lizard's own tokens (Profile.view)
    view_extra: Callable[[Node, TokenView], int] | None = None
    view_merge: Callable[[Node, bool, TokenView], bool] | None = None
    view_body_end: Callable[[Node, TokenView], int | None] | None = None


@dataclass(frozen=True)
class RadonRules:
    """radon 6's cc visitor for one language (only Python has one: profiles/radon.py)."""

    nodes: Mapping[str, str]
    filter: NodePredicate | None = None         # replaces the language's cc_filter
    extra: Callable[[Node], int] | None = None  # extra points for a node (loop else, match)
    opaque: frozenset[str] = frozenset()        # radon does not look inside (assert)


def guardline_profile(spec: LanguageSpec) -> Profile:
    return Profile("guardline", spec.cc_nodes, spec.cc_filter, counts_cases=True, fast_path=True)


def radon_profile(spec: LanguageSpec, rules: RadonRules | None) -> Profile:
    """Without radon rules for the language only its boolean operators count (as radon's profile
    always did for the other languages)."""
    if rules is None:
        return Profile("radon", {}, spec.cc_filter, lambdas_are_functions=False)
    return Profile("radon", rules.nodes, rules.filter or spec.cc_filter, lambdas_are_functions=False,
                   opaque=rules.opaque, extra=rules.extra)


def lizard_profile(rules: LizardRules | None) -> Profile:
    rules = rules or LizardRules()
    return Profile("lizard", {}, counts_booleans=False, opaque=rules.opaque, extra=rules.extra,
                   tokens=rules.tokens, token_filter=rules.token_filter, merge=rules.merge,
                   body_end=rules.body_end, view=rules.view, view_extra=rules.view_extra,
                   view_merge=rules.view_merge, view_body_end=rules.view_body_end)


