"""Per-language token tables for the duplication tokenizer (one module per language).

Each module exposes ``TABLE: TokenTable``. Node kinds are tree-sitter named node kinds:
- ``identifiers`` normalise to ID, ``literals`` (numbers, chars) to LIT;
- ``strings`` are taken whole as one LIT token (their children are not visited);
- ``comments`` are dropped (and read for ``guardline: ignore-start`` / ``ignore-end``);
- ``imports`` (import / include / using / package statements) are dropped with their subtree;
- ``blocks`` get synthetic block-open / block-close tokens (indentation languages only);
- ``statements``: statement lists (module, block, class body ...): their named children are the
  statements a reported clone starts and ends with (clone boundaries are whole statements).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from guardline.languages import LANGUAGES

# language name -> module in this package (the registry's ``tokens`` column; TSX shares TypeScript's)
TABLE_MODULES: dict[str, str] = {row.name: row.tokens for row in LANGUAGES}


@dataclass(frozen=True)
class TokenTable:
    identifiers: frozenset[str]
    literals: frozenset[str]
    strings: frozenset[str]
    comments: frozenset[str] = frozenset({"comment"})
    imports: frozenset[str] = frozenset()
    blocks: frozenset[str] = frozenset()
    statements: frozenset[str] = frozenset()


def table(*, identifiers: tuple[str, ...], literals: tuple[str, ...], strings: tuple[str, ...],
          comments: tuple[str, ...] = ("comment",), imports: tuple[str, ...] = (),
          blocks: tuple[str, ...] = (), statements: tuple[str, ...] = ()) -> TokenTable:
    return TokenTable(frozenset(identifiers), frozenset(literals), frozenset(strings),
                      frozenset(comments), frozenset(imports), frozenset(blocks), frozenset(statements))


def table_for(language: str) -> TokenTable:
    module = importlib.import_module(f"{__name__}.{TABLE_MODULES[language]}")
    table: TokenTable = module.TABLE
    return table
