"""Small helpers shared by the metric tests."""

from __future__ import annotations

import textwrap

from guardline.metrics import compute_functions
from guardline.model import FunctionMetrics
from guardline.parsing import parse


def functions(code: str, language: str, profile: str = "guardline") -> dict[str, FunctionMetrics]:
    """qualified name -> metrics for every function in ``code`` (dedented)."""
    found, _ = compute_functions(parse(textwrap.dedent(code), language), profile)
    return {fn.qualified_name: fn for fn in found}


def one(code: str, language: str, profile: str = "guardline") -> FunctionMetrics:
    found = functions(code, language, profile)
    assert len(found) >= 1, "no function found"
    return next(iter(found.values()))
