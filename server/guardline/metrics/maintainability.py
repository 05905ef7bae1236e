"""Halstead volume and the maintainability index (Visual Studio variant, 0-100)."""

from __future__ import annotations

import math
from collections.abc import Sequence

# a Halstead token: an operator is its node type (str), an operand its source text (bytes)
Token = str | bytes

def halstead_volume(operators: dict[Token, int], operands: dict[Token, int]) -> float:
    """V = N * log2(n): N = all operator and operand occurrences, n = distinct ones."""
    distinct = len(operators) + len(operands)
    total = sum(operators.values()) + sum(operands.values())
    if distinct <= 1 or total == 0:
        return 0.0   # degenerate: log2(1) = 0
    return total * math.log2(distinct)


def token_volume(tokens: Sequence[Token]) -> float:
    """Halstead volume of a token sequence whose keys keep operators (node type, str) and operands
    (text, bytes) apart: N = len(tokens), n = distinct keys."""
    distinct = len(set(tokens))
    if distinct <= 1 or not tokens:
        return 0.0
    return len(tokens) * math.log2(distinct)


def nested_volumes(tokens: Sequence[Token], spans: list[tuple[int, int]]) -> list[float]:
    """token_volume(tokens[begin:end]) for every span, in one pass: ``spans`` (functions, in order of
    their start) nest or are disjoint. A function's distinct keys are its own tokens plus the sets
    of the functions inside it, the largest reused (small to large): 5,000 nested lambdas cost
    O(tokens), where a slice per function cost O(tokens x depth)."""
    count = len(spans)
    children: list[list[int]] = [[] for _ in range(count)]
    open_spans: list[int] = []
    for index, (begin, end) in enumerate(spans):
        while open_spans and not (spans[open_spans[-1]][0] <= begin and end <= spans[open_spans[-1]][1]):
            open_spans.pop()
        if open_spans:
            children[open_spans[-1]].append(index)
        open_spans.append(index)
    sets: list[set[Token] | None] = [None] * count
    volumes = [0.0] * count
    for index in range(count - 1, -1, -1):    # children come after their parent: done first
        distinct = _merged_keys(tokens, spans, index, children[index], sets)
        sets[index] = distinct
        total = spans[index][1] - spans[index][0]
        volumes[index] = total * math.log2(len(distinct)) if len(distinct) > 1 and total else 0.0
    return volumes


def _merged_keys(tokens: Sequence[Token], spans: list[tuple[int, int]], index: int, kids: list[int],
                 sets: list[set[Token] | None]) -> set[Token]:
    """The distinct keys of function ``index``; its children's sets (done already) are merged in and dropped."""
    begin, end = spans[index]
    if not kids:
        return set(tokens[begin:end])
    done = {kid: _done(sets, kid) for kid in kids}
    biggest = max(kids, key=lambda kid: len(done[kid]))
    distinct = done[biggest]
    position = begin
    for kid in kids:
        if kid != biggest:
            distinct |= done[kid]
        sets[kid] = None
        distinct.update(tokens[position:spans[kid][0]])
        position = spans[kid][1]
    distinct.update(tokens[position:end])
    return distinct


def _done(sets: list[set[Token] | None], kid: int) -> set[Token]:
    keys = sets[kid]
    assert keys is not None   # a child comes after its parent in ``spans``: merged before the parent
    return keys


def maintainability_index(volume: float, cyclomatic: int, sloc: int) -> float:
    """MI = max(0, (171 - 5.2 ln V - 0.23 G - 16.2 ln L) * 100 / 171), capped at 100.

    Degenerate cases are explicit: V <= 1 or L <= 1 contribute ln(1) = 0 (an empty or one-line
    function is as maintainable as it gets for that term)."""
    ln_volume = math.log(volume) if volume > 1 else 0.0
    ln_sloc = math.log(sloc) if sloc > 1 else 0.0
    raw = 171 - 5.2 * ln_volume - 0.23 * cyclomatic - 16.2 * ln_sloc
    return min(100.0, max(0.0, raw * 100 / 171))
