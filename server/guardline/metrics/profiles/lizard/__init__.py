"""The ``lizard`` profile: lizard 1.24's cyclomatic complexity, one module per language table.

Each module exposes ``RULES: LizardRules`` (and ``RULES_BY_NAME`` when it serves several languages:
TypeScript and TSX). The module of a language is named like its metrics table module
(the registry's ``metrics`` column). Agreement with lizard:
tests/test_lizard_*.py (samples) and bench/lizard_diff.py (full corpora), figures in bench/RESULTS.md.
"""

from __future__ import annotations

import functools
import importlib

from guardline.languages import language_row
from guardline.metrics.profiles.base import LizardRules


@functools.cache
def rules_for(language: str) -> LizardRules | None:
    """lizard's reader for a language, or None when the language has none here."""
    module_name = language_row(language).metrics
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{module_name}":
            return None
        raise
    rules: LizardRules = getattr(module, "RULES_BY_NAME", {}).get(language, module.RULES)
    return rules
