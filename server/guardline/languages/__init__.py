"""Language registry: one row per language, every per-language map derived from it.

A row names the language's grammar, how files are recognised (extensions, file names, shebang
interpreters), its LSP / editor language ids, its comment syntax and the modules holding its tables:
metrics (``guardline.languages.<metrics>``, exposing ``SPEC``), duplication tokens
(``guardline.duplication.lang.<tokens>``), security rules (``guardline.security.rules.<security>``)
and the lizard profile (``guardline.metrics.profiles.lizard.<metrics>``). The editor language lists
are generated from the rows (``python -m guardline.docs_languages``).
"""

from __future__ import annotations

import functools
import importlib
import os
from dataclasses import dataclass
from typing import Any

import tree_sitter


@dataclass(frozen=True)
class CommentSyntax:
    """How comments and strings are spelled (origin markers, suppressions)."""

    line: tuple[str, ...] = ("//",)
    block: tuple[tuple[str, str], ...] = (("/*", "*/"),)
    strings: tuple[str, ...] = ('"', "'")          # longest first; "'" and '"' end at the line end
    raw_multiline: tuple[str, ...] = ()            # delimiters spanning lines (``` ` ```, triple quotes)


C_LIKE = CommentSyntax()
BACKTICK = CommentSyntax(raw_multiline=("`",))


@dataclass(frozen=True)
class LanguageRow:
    name: str
    grammar: tuple[str, str]          # (Python module, function returning the grammar)
    extensions: tuple[str, ...]       # lower-case, with the dot
    lsp_ids: tuple[str, ...]          # LSP languageIds (= VS Code language ids) analysed as this language
    comments: CommentSyntax
    metrics: str                      # module under guardline.languages (and metrics.profiles.lizard)
    tokens: str                       # module under guardline.duplication.lang
    security: str | None              # module under guardline.security.rules (None: no rules yet)
    filenames: tuple[str, ...] = ()   # exact file names (no extension)
    shebangs: tuple[str, ...] = ()    # interpreter names after `#!` (a trailing version is ignored)
    vim_filetypes: tuple[str, ...] | None = None   # Neovim filetypes where they differ from lsp_ids

    @property
    def filetypes(self) -> tuple[str, ...]:
        """The Neovim filetypes of this language (Neovim sends them as the LSP languageId)."""
        return self.vim_filetypes if self.vim_filetypes is not None else self.lsp_ids


LANGUAGES: tuple[LanguageRow, ...] = (
    LanguageRow("python", ("tree_sitter_python", "language"), (".py", ".pyi", ".pyw"), ("python",),
                CommentSyntax(line=("#",), block=(), raw_multiline=('"""', "'''")),
                metrics="python", tokens="python", security="python",
                shebangs=("python", "python3", "python2", "pypy", "pypy3")),
    LanguageRow("javascript", ("tree_sitter_javascript", "language"), (".js", ".mjs", ".cjs", ".jsx"),
                ("javascript", "javascriptreact"), BACKTICK,
                metrics="javascript", tokens="javascript", security="javascript",
                shebangs=("node", "nodejs", "bun")),
    LanguageRow("typescript", ("tree_sitter_typescript", "language_typescript"), (".ts", ".mts", ".cts"),
                ("typescript",), BACKTICK, metrics="typescript", tokens="typescript", security="javascript",
                shebangs=("deno", "ts-node", "tsx")),
    LanguageRow("tsx", ("tree_sitter_typescript", "language_tsx"), (".tsx",), ("typescriptreact",), BACKTICK,
                metrics="typescript", tokens="typescript", security="javascript"),
    LanguageRow("go", ("tree_sitter_go", "language"), (".go",), ("go",), BACKTICK,
                metrics="go", tokens="go", security="go"),
    LanguageRow("java", ("tree_sitter_java", "language"), (".java",), ("java",),
                CommentSyntax(raw_multiline=('"""',)), metrics="java", tokens="java", security="java"),
    LanguageRow("rust", ("tree_sitter_rust", "language"), (".rs",), ("rust",), CommentSyntax(strings=('"',)),
                metrics="rust", tokens="rust", security=None),
    LanguageRow("c", ("tree_sitter_c", "language"), (".c", ".h"), ("c",), C_LIKE,
                metrics="c", tokens="c", security="c"),
    LanguageRow("cpp", ("tree_sitter_cpp", "language"),
                (".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp", ".inl"), ("cpp",), C_LIKE,
                metrics="cpp", tokens="cpp", security="c"),
    LanguageRow("csharp", ("tree_sitter_c_sharp", "language"), (".cs",), ("csharp",), C_LIKE,
                metrics="csharp", tokens="csharp", security="csharp", vim_filetypes=("cs",)),
    LanguageRow("ruby", ("tree_sitter_ruby", "language"), (".rb", ".rake", ".gemspec", ".ru"), ("ruby",),
                CommentSyntax(line=("#",), block=(("=begin", "=end"),)),
                metrics="ruby", tokens="ruby", security="ruby",
                filenames=("Rakefile", "Gemfile", "Guardfile"), shebangs=("ruby",)),
    LanguageRow("php", ("tree_sitter_php", "language_php"), (".php", ".phtml", ".php8"), ("php",),
                CommentSyntax(line=("//", "#")), metrics="php", tokens="php", security="php",
                shebangs=("php",)),
)

REGISTRY: dict[str, LanguageRow] = {row.name: row for row in LANGUAGES}


def _by_key(keys: str) -> dict[str, str]:
    """``{key: language}`` for every key in the rows' ``keys`` column (the first row wins)."""
    out: dict[str, str] = {}
    for row in LANGUAGES:
        for key in getattr(row, keys):
            out.setdefault(key, row.name)
    return out


# ---- derived maps (read-only views of the rows)
GRAMMARS: dict[str, tuple[str, str]] = {row.name: row.grammar for row in LANGUAGES}
SPEC_MODULES: dict[str, str] = {row.name: row.metrics for row in LANGUAGES}
EXTENSIONS: dict[str, str] = _by_key("extensions")
FILENAMES: dict[str, str] = _by_key("filenames")
SHEBANG_INTERPRETERS: dict[str, str] = _by_key("shebangs")
LSP_LANGUAGE_IDS: dict[str, str] = {**_by_key("lsp_ids"), **_by_key("filetypes")}   # Neovim sends filetypes
COMMENT_SYNTAX: dict[str, CommentSyntax] = {row.name: row.comments for row in LANGUAGES}
DEFAULT_COMMENT = ("//", "/*", "*/")


def language_row(name: str) -> LanguageRow:
    """The registry row of a language (KeyError for a language guardline does not know)."""
    return REGISTRY[name]


def comment_syntax(language: str) -> tuple[str, str, str]:
    """(line comment prefix, block open, block close) for writing a suppression; block "" when the
    language has no block comment (Python); unknown languages: C's."""
    row = REGISTRY.get(language)
    if row is None:
        return DEFAULT_COMMENT
    block_open, block_close = row.comments.block[0] if row.comments.block else ("", "")
    return row.comments.line[0], block_open, block_close


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
