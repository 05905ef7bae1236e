"""Rule metadata shared by diagnostics, SARIF and docs/rules.md.

Every subsystem declares its rules as RuleMeta data; ``all_rules()`` gathers them. Rule ids are
stable: they appear in suppressions (``guardline: ignore[ID]``), baselines and SARIF.
"""

from __future__ import annotations

import functools
import importlib
import os
import pathlib
from dataclasses import dataclass, field

DOCS_URL = "https://github.com/guardline-dev/guardline/blob/main/docs/rules.md"   # the project's page
# The rules page ships in the package (a copy of docs/rules.md, kept equal by tests/test_rules_doc.py):
# help links resolve offline unless the config names a docs URL (key docs_url).
PACKAGED_RULES_PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "rules.md")
_docs_url = ""


def set_docs_url(url: str | None) -> None:
    """Where rule help links point: ``url`` (config key ``docs_url``) or, when empty, the packaged page.
    Set by the CLI and the language server when they load the config."""
    global _docs_url
    _docs_url = (url or "").rstrip("#")


def help_base() -> str:
    return _docs_url or _packaged_page_uri()


@functools.lru_cache(maxsize=1)
def _packaged_page_uri() -> str:
    """Computed once: every diagnostic of every publish links to it."""
    return pathlib.Path(PACKAGED_RULES_PAGE).as_uri()


@dataclass(frozen=True)
class RuleMeta:
    id: str                      # stable, kebab-case, e.g. "cognitive", "py-subprocess-shell"
    title: str
    category: str                # complexity|maintainability|duplication|security
    default_severity: str        # error|warning|info|hint
    description: str
    languages: tuple[str, ...] = ()   # empty = all
    cwe: tuple[str, ...] = ()    # e.g. ("CWE-78",)
    owasp: str | None = None
    security_category: str | None = None   # injection, secrets, weak-cryptography, ...
    confidence: str = "high"     # high|medium|low
    fix: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def help_uri(self) -> str:
        return f"{help_base()}#{self.id}"


# Modules that expose RULES: list[RuleMeta]. Missing modules are skipped (features land separately).
RULE_MODULES = ("guardline.thresholds", "guardline.duplication.rules", "guardline.security.catalog",
                "guardline.suppressions")


def all_rules() -> list[RuleMeta]:
    rules: list[RuleMeta] = []
    for name in RULE_MODULES:
        rules.extend(importlib.import_module(name).RULES)
    return rules


def rule_by_id(rule_id: str) -> RuleMeta | None:
    return _rules_by_id().get(rule_id)


@functools.lru_cache(maxsize=1)
def _rules_by_id() -> dict[str, RuleMeta]:
    """Rules are module data, fixed once imported: one dict instead of a scan per diagnostic."""
    by_id: dict[str, RuleMeta] = {}
    for rule in all_rules():
        by_id.setdefault(rule.id, rule)
    return by_id
