"""Language registry: detection by extension/shebang and lazy loading of per-language specs.

Per-language knowledge lives in one module per language (``guardline.languages.<name>``), each
exposing ``SPEC``. This module only maps names to modules and file names to languages.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import tree_sitter

# language name -> (grammar module, grammar function)
GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"),
}

# The module holding a language's tables (TSX shares TypeScript's, TypeScript extends JavaScript's).
SPEC_MODULES: dict[str, str] = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "typescript",
    "tsx": "typescript",
    "go": "go",
    "java": "java",
    "rust": "rust",
    "c": "c",
    "cpp": "cpp",
    "csharp": "csharp",
    "ruby": "ruby",
    "php": "php",
}

EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyi": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".java": "java",
    ".rs": "rust",
    ".c": "c", ".h": "c",
    ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".c++": "cpp", ".hpp": "cpp", ".hh": "cpp",
    ".hxx": "cpp", ".h++": "cpp", ".ipp": "cpp", ".inl": "cpp",
    ".cs": "csharp",
    ".rb": "ruby", ".rake": "ruby", ".gemspec": "ruby", ".ru": "ruby",
    ".php": "php", ".phtml": "php", ".php8": "php",
}

FILENAMES: dict[str, str] = {"Rakefile": "ruby", "Gemfile": "ruby", "Guardfile": "ruby"}

SHEBANG_INTERPRETERS: dict[str, str] = {
    "python": "python", "python3": "python", "python2": "python", "pypy": "python", "pypy3": "python",
    "node": "javascript", "nodejs": "javascript", "deno": "typescript", "bun": "javascript",
    "ts-node": "typescript", "tsx": "typescript",
    "ruby": "ruby", "php": "php",
}

# LSP languageId -> guardline language
LSP_LANGUAGE_IDS: dict[str, str] = {
    "python": "python", "javascript": "javascript", "javascriptreact": "javascript",
    "typescript": "typescript", "typescriptreact": "tsx", "go": "go", "java": "java",
    "rust": "rust", "c": "c", "cpp": "cpp", "csharp": "csharp", "ruby": "ruby", "php": "php",
}

# Comment syntax per language, used to write suppressions: (line comment prefix, block open, block close)
COMMENT_SYNTAX: dict[str, tuple[str, str, str]] = {
    "python": ("#", '"""', '"""'),
    "ruby": ("#", "=begin", "=end"),
}
DEFAULT_COMMENT = ("//", "/*", "*/")


def comment_syntax(language: str) -> tuple[str, str, str]:
    return COMMENT_SYNTAX.get(language, DEFAULT_COMMENT)


def supported_languages() -> list[str]:
    return list(GRAMMARS)


def detect_language(path: str, head: bytes | None = None) -> str | None:
    """The language of a file from its name, else from a shebang in ``head`` (first bytes)."""
    base = os.path.basename(path)
    if base in FILENAMES:
        return FILENAMES[base]
    ext = os.path.splitext(base)[1].lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    if head and head.startswith(b"#!"):
        return _language_from_shebang(head.split(b"\n", 1)[0])
    return None


def _language_from_shebang(line: bytes) -> str | None:
    words = line[2:].decode("latin-1").split()
    if words and os.path.basename(words[0]) == "env":
        words = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    if not words:
        return None
    program = os.path.basename(words[0])
    return SHEBANG_INTERPRETERS.get(program) or SHEBANG_INTERPRETERS.get(program.rstrip("0123456789."))


@functools.cache
def ts_language(name: str) -> tree_sitter.Language:
    """The compiled tree-sitter grammar for a language (loaded once per process)."""
    module_name, func = GRAMMARS[name]
    module = importlib.import_module(module_name)
    return tree_sitter.Language(getattr(module, func)())


@functools.cache
def get_spec(name: str) -> Any:
    """The per-language table module's ``SPEC`` object (metrics tables and more)."""
    module = importlib.import_module(f"guardline.languages.{SPEC_MODULES[name]}")
    spec = getattr(module, "SPEC_BY_NAME", {}).get(name)
    return spec if spec is not None else module.SPEC
