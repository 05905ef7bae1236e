"""Per-language token tables for the duplication tokenizer (one module per language).

Each module exposes ``TABLE: TokenTable``. Node kinds are tree-sitter named node kinds:
- ``identifiers`` normalise to ID, ``literals`` (numbers, chars) to LIT;
- ``strings`` are taken whole as one LIT token (their children are not visited);
- ``comments`` are dropped (and read for ``guardline: ignore-start`` / ``ignore-end``);
- ``imports`` (import / include / using / package statements) are dropped with their subtree;
- ``blocks`` get synthetic block-open / block-close tokens (indentation languages only).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

# language name -> module in this package (TSX shares TypeScript's table)
TABLE_MODULES: dict[str, str] = {
    "python": "python", "javascript": "javascript", "typescript": "typescript", "tsx": "typescript",
    "go": "go", "java": "java", "rust": "rust", "c": "c", "cpp": "cpp", "csharp": "csharp",
    "ruby": "ruby", "php": "php",
}


@dataclass(frozen=True)
class TokenTable:
    identifiers: frozenset[str]
    literals: frozenset[str]
    strings: frozenset[str]
    comments: frozenset[str] = frozenset({"comment"})
    imports: frozenset[str] = frozenset()
    blocks: frozenset[str] = frozenset()


def table(*, identifiers: tuple[str, ...], literals: tuple[str, ...], strings: tuple[str, ...],
          comments: tuple[str, ...] = ("comment",), imports: tuple[str, ...] = (),
          blocks: tuple[str, ...] = ()) -> TokenTable:
    return TokenTable(frozenset(identifiers), frozenset(literals), frozenset(strings),
                      frozenset(comments), frozenset(imports), frozenset(blocks))


def table_for(language: str) -> TokenTable:
    module = importlib.import_module(f"{__name__}.{TABLE_MODULES[language]}")
    return module.TABLE
