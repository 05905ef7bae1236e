"""Tokeniser details, persisted index reuse after restart, skips, process-pool build, deep nesting."""

from __future__ import annotations

import os

import pytest

import guardline.duplication.build as build_module
from guardline.config import Config
from guardline.duplication import build_index, load, minified_reason, tokenize
from guardline.duplication.store import db_path
from guardline.duplication.tokens import ID, LIT
from guardline.parsing import parse


def func(name: str, n: int = 8) -> str:
    lines = "\n".join(f"    v{i} = compute(x, {i}) + offset * {i + 1}" for i in range(n))
    return f"def {name}(x, offset):\n{lines}\n    return v0\n"


def write(root, name: str, text: str) -> str:
    path = os.path.join(root, name)
    with open(path, "w") as fh:
        fh.write(text)
    return path


@pytest.fixture
def count_tokenize(monkeypatch):
    """Counts the files the build really tokenises (in-process builds only)."""
    calls: list[str] = []
    real = build_module.tokenize

    def counting(doc):
        calls.append(doc.language)
        return real(doc)

    monkeypatch.setattr(build_module, "tokenize", counting)
    return calls


def test_token_classes_and_whole_strings():
    stream = tokenize(parse('x = foo("a b c", 42)  # note\n', "python"))
    kinds = ["ID" if n == ID else "LIT" if n == LIT else "raw" for n in stream.norm]
    assert kinds == ["ID", "raw", "ID", "raw", "LIT", "raw", "LIT", "raw"], \
        "x = foo ( 'a b c' , 42 ): 8 tokens, the string whole, the comment dropped"


def test_string_is_one_token_and_comment_dropped():
    stream = tokenize(parse('x = f"a {b} c"  # note\n', "python"))
    assert list(stream.norm[:2]) == [ID, stream.raw[1]], "identifier normalised, '=' raw"
    assert stream.norm[2] == LIT and len(stream) == 3, "the f-string with its interpolation is one LIT token"


def test_go_and_c_imports_dropped():
    go = tokenize(parse('package main\n\nimport "fmt"\n\nfunc f() { fmt.Println(1) }\n', "go"))
    assert set(go.lines) == {5}, "package clause and import are not tokens"
    c = tokenize(parse('#include <stdio.h>\nint f(void) { return 1; }\n', "c"))
    assert set(c.lines) == {2}, "#include is not a token"


def test_deep_nesting_is_iterative():
    depth = 5000
    js = "function f(a) {" + "if (a) {" * depth + "a();" + "}" * depth + "}"
    stream = tokenize(parse(js, "javascript"))
    assert len(stream) == 6 * depth + 4 + 6 + 1, "if ( a ) { } per level, function header, a ( ) ;, closing }"
    py = "x = " + "[" * depth + "]" * depth + "\n"
    assert len(tokenize(parse(py, "python"))) == 2 * depth + 2


def test_persisted_index_reused_after_restart(tmp_path, count_tokenize):
    root = str(tmp_path)
    files = [write(root, f"m{i}.py", func(f"f{i}", n=6 + i)) for i in range(5)]
    write(root, "dup.py", func("f0", n=6))
    files.append(os.path.join(root, "dup.py"))
    first = build_index(root, files, Config(), processes=1)
    assert len(count_tokenize) == 6, "cold build tokenises every file"
    assert os.path.exists(db_path(root))
    assert first.query(files[0]), "m0 and dup are clones"

    count_tokenize.clear()
    write(root, "m3.py", "y = 2\n")
    os.utime(files[4], ns=(1, 1))            # touched, same content: found again by content hash
    progress: list[tuple[int, int]] = []
    second = build_index(root, files, Config(), processes=1, progress=lambda d, t: progress.append((d, t)))
    assert count_tokenize == ["python"], "after a restart only the changed m3.py is tokenised again"
    assert progress[0] == (4, 6) and progress[-1] == (6, 6), "4 reused up front, then the 2 re-read ones"
    assert second.query(files[0]) and len(second.tokens(files[3])) == 3
    assert second.stats()["files"] == 6

    reloaded = load(root, Config())
    assert reloaded.stats()["tokens"] == second.stats()["tokens"], "load() restores the saved index as is"

    third = build_index(root, files[:2], Config(), processes=1)
    assert third.stats()["files"] == 2 and load(root, Config()).stats()["files"] == 2, \
        "files no longer listed are dropped from the store"


def test_size_limit_and_minified_files_are_skipped_with_a_message(tmp_path):
    root = str(tmp_path)
    big = write(root, "big.py", "x = 1\n" * 400)
    minified = write(root, "app.min.js", "var a=1;" * 2000)
    config = Config().with_overrides({"duplication": {"max_file_bytes": 1000}})
    index = build_index(root, [big], config, processes=1)
    assert "over the 1,000-byte limit" in index.skipped[big], index.skipped
    index = build_index(root, [minified], Config(), processes=1)
    assert index.skipped[minified].startswith("looks minified"), index.skipped
    assert minified_reason(b"x = 1\n" * 1000) is None, "ordinary short lines are not minified"
    reopened = build_index(root, [minified], Config(), processes=1)
    assert minified in reopened.skipped, "the skip is persisted too"


def test_process_pool_build_matches_in_process_build(tmp_path):
    root = str(tmp_path)
    files = [write(root, f"m{i}.py", func(f"f{i % 10}", n=5 + i % 7)) for i in range(40)]
    pooled = build_index(root, files, Config(), processes=2)
    os.remove(db_path(root))
    serial = build_index(root, files, Config(), processes=1)
    assert pooled.stats() == serial.stats()
    assert [len(pooled.query(f)) for f in files] == [len(serial.query(f)) for f in files]


def test_cancelled_build_is_partial_and_not_saved(tmp_path):
    root = str(tmp_path)
    files = [write(root, f"m{i}.py", func(f"f{i}")) for i in range(40)]
    index = build_index(root, files, Config(), processes=1, cancelled=lambda: True)
    assert index.complete is False and len(index) < 40
    assert load(root, Config()).stats()["files"] == 0, "nothing saved from a cancelled build"


def test_check_duplication_adds_findings_to_results(tmp_path):
    from guardline.duplication import check_duplication
    from guardline.model import FileResult, FunctionMetrics
    root = str(tmp_path)
    write(root, "a.py", func("f"))
    write(root, "b.py", func("f"))
    ai_function = FunctionMetrics(name="f", qualified_name="f", start_line=1, end_line=10, origin="ai")
    results = [FileResult(path="a.py", language="python", functions=[ai_function]),
               FileResult(path="b.py", language="python")]
    check_duplication(root, ["a.py", "b.py"], results, Config(), use_cache=False, processes=1)
    assert [(f.rule, f.severity) for f in results[0].findings] == \
        [("duplicate-code", "warning"), ("file-duplication", "warning")], "a.py's copy is AI-written"
    assert [(f.rule, f.severity) for f in results[1].findings] == \
        [("duplicate-code", "info"), ("file-duplication", "warning")]
    assert not os.path.exists(os.path.join(root, ".guardline")), "use_cache=False writes nothing"


SNIPPETS = {
    # language: (source with a comment and an import-like line, lines expected to hold tokens)
    "javascript": ("import a from 'a';\n// c\nconst x = f(1, 'two');\n", {3}),
    "typescript": ("import { a } from 'a';\n/* c */\nlet x: T = f(1);\n", {3}),
    "tsx": ("import a from 'a';\n// c\nconst x = <div>{f(1)}</div>;\n", {3}),
    "go": ("package p\nimport \"fmt\"\n// c\nvar x = f(1)\n", {4}),
    "java": ("package p;\nimport a.B;\n// c\nclass A { int x = 1; }\n", {4}),
    "rust": ("use std::io;\n// c\nfn f() -> i32 { 1 }\n", {3}),
    "c": ("#include <a.h>\n/* c */\nint x = 1;\n", {3}),
    "cpp": ("#include <a>\nusing std::string;\n// c\nint x = 1;\n", {4}),
    "csharp": ("using System;\n// c\nclass A { int x = 1; }\n", {3}),
    "ruby": ("# c\nx = f(1, 'two')\n", {2}),
    "php": ("<?php\nuse A\\B;\n// c\n$x = f(1);\n", {1, 4}),
}


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_every_language_drops_comments_and_imports(language):
    source, lines = SNIPPETS[language]
    stream = tokenize(parse(source, language))
    assert set(stream.lines) == lines, f"{language}: only code lines hold tokens (PHP's '<?php' tag is one)"
    assert LIT in stream.norm and ID in stream.norm, "literals and identifiers normalised"


def test_language_tables_name_real_node_kinds():
    from guardline.duplication.lang import TABLE_MODULES, table_for
    from guardline.languages import ts_language
    for language in TABLE_MODULES:
        grammar = ts_language(language)
        named = {grammar.node_kind_for_id(i) for i in range(grammar.node_kind_count)
                 if grammar.node_kind_is_named(i)}
        table = table_for(language)
        for group in ("identifiers", "literals", "strings", "comments", "imports", "blocks", "statements"):
            unknown = set(getattr(table, group)) - named
            assert not unknown, f"{language}.{group}: {unknown} are not node kinds of the grammar"


def test_build_index_accepts_root_relative_paths(tmp_path, monkeypatch):
    root = str(tmp_path)
    write(root, "a.py", func("f"))
    write(root, "b.py", func("f"))
    monkeypatch.chdir("/")
    index = build_index(root, ["a.py", "b.py"], Config(), processes=1)
    assert index.stats()["files"] == 2, "paths from scan.discover_files are relative to the root, not the cwd"
    assert index.query(os.path.join(root, "a.py"))


def test_hashes_from_the_scan_serve_the_first_query_then_are_released(tmp_path, monkeypatch):
    """The cold check tokenises in the scan (ScanTokens keeps every k-gram hash), builds the index from
    that and queries each file once: the query reuses the hashes instead of hashing the file again,
    finds the same clones, and drops them (a later query hashes afresh, like a stored file's)."""
    import guardline.duplication.index as index_module
    from guardline.duplication import ScanTokens
    root = str(tmp_path)
    names = [f"m{i}.py" for i in range(6)]
    paths = [write(root, name, func(f"f{i % 2}", n=12)) for i, name in enumerate(names)]
    reference = build_index(root, names, Config(), processes=1)
    expected = [[c.to_json() for c in reference.query(path)] for path in paths]
    assert all(expected), "the files are copies of two functions: every file has clones"
    os.remove(db_path(root))
    hook = ScanTokens(root, frozenset(names), 1 << 20, 50, 25)
    prepared = {}
    for name, path in zip(names, paths):
        with open(path, "rb") as fh:
            raw = fh.read()
        prepared[path] = hook(name, raw, parse(raw.decode(), "python"))
    assert all(p.hashes is not None and len(p.hashes) == len(p.tokens) - 25 + 1 for p in prepared.values())
    index = build_index(root, names, Config(), processes=1, prepared=prepared)
    hashed: list[int] = []
    real = index_module.kgram_hashes
    monkeypatch.setattr(index_module, "kgram_hashes", lambda norm, k: hashed.append(len(norm)) or real(norm, k))
    first = [[c.to_json() for c in index.query(path)] for path in paths]
    assert first == expected, "reused hashes find exactly the clones a fresh hashing finds"
    assert hashed == [], "the first query of each file used the scan's hashes"
    again = [[c.to_json() for c in index.query(path)] for path in paths]
    assert again == expected and len(hashed) == len(paths), "released after one query: hashed afresh"


def test_numpy_lines_and_long_strings_equal_their_loops():
    """_add_lines and _long_strings_by_content (numpy) against their plain definitions on a file with
    multi-line and long strings, a CRLF line, a last line without a newline and a file without tokens:
    the same start lines, line offsets and normalised hashes (long strings keep their raw hash)."""
    import copy
    from guardline.duplication import tokens as tokens_module
    long_line = "x" * 250
    sources = [
        'a = "short"\nb = """one\ntwo\nthree"""\nc = "%s"\r\nd = """x\ny"""\ne = 1' % long_line,
        "# only a comment\n",
        "",
    ]
    for source in sources:
        doc = parse(source, "python")
        stream = tokens_module.TokenStream("python")
        tokens_module._walk(doc, *tokens_module._actions("python"), stream)
        fast, plain = copy.deepcopy(stream), copy.deepcopy(stream)
        tokens_module._long_strings_by_content(doc.source, fast)
        tokens_module._long_strings_loop(doc.source, plain)
        tokens_module._add_lines(doc.source, fast)
        tokens_module._add_lines_loop(doc.source, plain)
        assert fast.to_bytes() == plain.to_bytes(), source
    stream = tokenize(parse(sources[0], "python"))
    # five literals; the 3-line and the 250-byte strings are normalised by content (their raw hash), so
    # three stay LIT: "short", the 2-line string and 1
    assert list(stream.norm).count(LIT) == 3
