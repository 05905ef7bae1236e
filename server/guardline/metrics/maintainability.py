"""Halstead volume and the maintainability index (Visual Studio variant, 0-100)."""

from __future__ import annotations

import math


def halstead_volume(operators: dict, operands: dict) -> float:
    """V = N * log2(n): N = all operator and operand occurrences, n = distinct ones."""
    distinct = len(operators) + len(operands)
    total = sum(operators.values()) + sum(operands.values())
    if distinct <= 1 or total == 0:
        return 0.0   # degenerate: log2(1) = 0
    return total * math.log2(distinct)


def token_volume(tokens: list) -> float:
    """Halstead volume of a token sequence whose keys keep operators (node type, str) and operands
    (text, bytes) apart: N = len(tokens), n = distinct keys."""
    distinct = len(set(tokens))
    if distinct <= 1 or not tokens:
        return 0.0
    return len(tokens) * math.log2(distinct)


def maintainability_index(volume: float, cyclomatic: int, sloc: int) -> float:
    """MI = max(0, (171 - 5.2 ln V - 0.23 G - 16.2 ln L) * 100 / 171), capped at 100.

    Degenerate cases are explicit: V <= 1 or L <= 1 contribute ln(1) = 0 (an empty or one-line
    function is as maintainable as it gets for that term)."""
    ln_volume = math.log(volume) if volume > 1 else 0.0
    ln_sloc = math.log(sloc) if sloc > 1 else 0.0
    raw = 171 - 5.2 * ln_volume - 0.23 * cyclomatic - 16.2 * ln_sloc
    return min(100.0, max(0.0, raw * 100 / 171))
