"""The language registry: one row per language, every per-language map derived from it, and the VS Code
extension's language list generated from it (``python -m guardline.docs_languages``)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from guardline import docs_languages
from guardline.languages import (COMMENT_SYNTAX, EXTENSIONS, FILENAMES, GRAMMARS, LANGUAGES, LSP_LANGUAGE_IDS,
                                 REGISTRY, SHEBANG_INTERPRETERS, SPEC_MODULES, comment_syntax, detect_language,
                                 get_spec, supported_languages)

VSCODE = Path(__file__).resolve().parents[1] / "editors" / "vscode"


def test_checked_in_vscode_language_list_equals_the_generated_one():
    for path, text in docs_languages.generated_files(str(VSCODE)).items():
        assert Path(path).read_text(encoding="utf-8") == text, \
            f"{path} is out of date: run `python -m guardline.docs_languages`"


def test_vscode_activates_on_every_lsp_id_of_the_registry():
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    ids = [language_id for row in LANGUAGES for language_id in row.lsp_ids]
    assert manifest["activationEvents"] == [f"onLanguage:{i}" for i in ids]
    assert len(ids) == 13, "python, js/jsx, ts/tsx, go, java, rust, c, cpp, csharp, ruby, php"


def test_generator_follows_the_registry_rows():
    """The generated text comes from the ids it is given (a new row shows up in both files)."""
    ts = docs_languages.languages_ts(["python", "kotlin"])
    assert "export const LANGUAGES = ['python', 'kotlin'] as const;" in ts
    manifest = docs_languages.package_json('{\n  "name": "x",\n  "activationEvents": [\n    "onLanguage:a"\n  ],\n'
                                           '  "main": "m"\n}\n', ["python", "kotlin"])
    assert json.loads(manifest) == {"name": "x", "activationEvents": ["onLanguage:python", "onLanguage:kotlin"],
                                    "main": "m"}
    with pytest.raises(ValueError):
        docs_languages.package_json("{}", ["python"])


def test_neovim_lists_are_generated_with_neovims_filetype_names():
    """Neovim names C# `cs` (its filetype, sent as the languageId): the Lua module and both README
    snippets list every language (the nvim-lspconfig snippet had missed C, C++, C#, Ruby and PHP), and
    the server maps `cs` to C#."""
    neovim = VSCODE.parent / "neovim"
    generated = docs_languages.generated_files(str(VSCODE))
    assert {str(neovim / "lua" / "guardline" / "init.lua"), str(neovim / "README.md")} <= set(generated)
    expected = docs_languages.neovim_filetypes()
    assert "cs" in expected and "csharp" not in expected and len(expected) == 13
    readme = (neovim / "README.md").read_text(encoding="utf-8")
    lists = docs_languages.FILETYPES.findall(readme)
    assert len(lists) == 2, "the 0.11 snippet and the nvim-lspconfig one"
    assert LSP_LANGUAGE_IDS["cs"] == "csharp" and LSP_LANGUAGE_IDS["csharp"] == "csharp"
    lua = docs_languages.lua_filetypes("local M = {}\nM.filetypes = { 'python' }\nreturn M\n", ["python", "cs"])
    assert "M.filetypes = { 'python', 'cs' }" in lua


def test_check_mode_reports_a_stale_file(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "package.json").write_text((VSCODE / "package.json").read_text(encoding="utf-8"))
    (tmp_path / "src" / "languages.ts").write_text("export const LANGUAGES = ['python'] as const;\n")
    assert docs_languages.main(["--dir", str(tmp_path), "--check"]) == 1, "a stale list fails the check"
    assert docs_languages.main(["--dir", str(tmp_path)]) == 0
    assert docs_languages.main(["--dir", str(tmp_path), "--check"]) == 0, "regenerated: up to date"


def test_every_map_is_derived_from_the_rows():
    assert supported_languages() == [row.name for row in LANGUAGES] == list(REGISTRY)
    for row in LANGUAGES:
        assert GRAMMARS[row.name] == row.grammar and SPEC_MODULES[row.name] == row.metrics
        assert COMMENT_SYNTAX[row.name] is row.comments
        for ext in row.extensions:
            assert EXTENSIONS[ext] == row.name and detect_language(f"src/a{ext}") == row.name
        for name in row.filenames:
            assert FILENAMES[name] == row.name and detect_language(f"x/{name}") == row.name
        for interpreter in row.shebangs:
            assert SHEBANG_INTERPRETERS[interpreter] == row.name
            assert detect_language("bin/tool", f"#!/usr/bin/env {interpreter}\n".encode()) == row.name
        for language_id in row.lsp_ids:
            assert LSP_LANGUAGE_IDS[language_id] == row.name


def test_every_row_names_modules_that_exist():
    for row in LANGUAGES:
        assert get_spec(row.name).name == row.name, f"{row.name}: the metrics spec of its own name"
        assert importlib.import_module(f"guardline.duplication.lang.{row.tokens}").TABLE is not None
        if row.security is not None:
            assert importlib.import_module(f"guardline.security.rules.{row.security}").SPEC is not None
        importlib.import_module(row.grammar[0])


def test_one_comment_syntax_per_language():
    """Suppression comments and origin markers read the same row: Python has no block comment (a
    docstring is a string), PHP also takes `#` line comments."""
    assert comment_syntax("python") == ("#", "", "")
    assert comment_syntax("ruby") == ("#", "=begin", "=end")
    assert comment_syntax("go") == ("//", "/*", "*/")
    assert comment_syntax("no-such-language") == ("//", "/*", "*/")
    assert COMMENT_SYNTAX["php"].line == ("//", "#")
