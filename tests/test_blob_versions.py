"""Successive versions of one file, as the report analyses them (report/blobs.py): the next version is
parsed reusing the previous tree (parsing.parse_after) and tokenized replaying the statements a
TokenMemo saw before. Both are shortcuts only: the tree and every token array must be exactly what a
fresh parse and a plain tokenize give, for edits anywhere, syntax errors and ignored regions."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import pytest

from guardline import array_backend as arrays
from guardline.duplication.tokens import TokenMemo, TokenStream, tokenize
from guardline.languages import detect_language
from guardline.parsing import parse, parse_after

STDLIB = Path(sysconfig.get_paths()["stdlib"])
DATA = Path(__file__).parent / "data" / "security"
SAMPLES = [STDLIB / "textwrap.py", STDLIB / "json" / "decoder.py"] + \
    [DATA / name for name in ("javascript/express.js", "go/config.go", "java/UserServlet.java",
                              "csharp/AccountController.cs", "php/account.php", "ruby/users_controller.rb",
                              "c/server.c")]
HASH_COMMENT = {"python", "ruby"}


def _comment(language: str, text: str) -> str:
    return ("# " if language in HASH_COMMENT else "// ") + text


def _versions(text: str, language: str, count: int = 10, seed: int = 7) -> list[str]:
    """``count`` versions of ``text``, each a random edit of the one before: lines deleted, copied,
    changed, an ignored region opened and closed, a line that breaks the syntax (and its repair)."""
    rng = random.Random(seed)
    lines = text.split("\n")
    out = [text]
    for step in range(count):
        i = rng.randrange(len(lines))
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        kind = step % 5
        if kind == 0:
            del lines[i:i + rng.randint(1, 3)]
        elif kind == 1:
            j = rng.randrange(len(lines))
            lines[j:j] = lines[i:i + rng.randint(1, 8)]
        elif kind == 2:
            lines[i] = lines[i].replace("(", "( ", 1) + " "
        elif kind == 3:
            lines[i:i] = [indent + _comment(language, "guardline: ignore-start")]
            end = min(len(lines), i + 6)
            lines[end:end] = [indent + _comment(language, "guardline: ignore-end")]
        else:
            lines[i:i] = [indent + "}) ] ( {"]
        out.append("\n".join(lines))
    return out


def _shape(doc) -> list[tuple]:
    cursor, out = doc.tree.walk(), []
    while True:
        node = cursor.node
        out.append((node.kind_id, node.start_byte, node.end_byte, node.start_point, node.end_point,
                    node.is_missing, cursor.field_id))
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


def _arrays(stream: TokenStream) -> dict[str, list[int]]:
    return {name: list(getattr(stream, name)) for name in TokenStream.ARRAYS + TokenStream.STATEMENT_ARRAYS}


@pytest.mark.parametrize("numpy", [True, False], ids=["numpy", "plain"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_each_version_is_parsed_and_tokenized_as_a_fresh_one(path, numpy):
    language = detect_language(str(path)) or ""
    memo, previous = TokenMemo(), None
    arrays.use_numpy(numpy)
    try:
        for number, text in enumerate(_versions(path.read_text(encoding="utf-8"), language)):
            fresh = parse(text, language)
            reused = parse_after(previous, text, language)
            assert _shape(reused) == _shape(fresh), f"version {number}: tree"
            assert reused.source == fresh.source and reused.text == fresh.text
            assert _arrays(tokenize(reused, memo)) == _arrays(tokenize(fresh)), f"version {number}: tokens"
            previous = reused
    finally:
        arrays.use_numpy(True)
    # the memo really replayed statements (the versions share most of them): else this tests nothing
    assert memo.hits >= 10


def test_the_previous_version_is_left_intact():
    """parse_after edits a copy of the earlier tree: the earlier document (kept by the report for
    suppressions) still describes its own text."""
    first = parse("def f(a):\n    return a\n", "python")
    before = _shape(first)
    parse_after(first, "x = 1\ndef f(a):\n    return a + 1\n", "python")
    assert _shape(first) == before


def test_a_statement_holding_an_ignored_region_is_not_replayed_as_unignored():
    """The same function text, once inside an ignored region and once outside: its tokens differ (none
    while ignored), so a memo must not hand the ignored (empty) or the plain version to the other."""
    body = "def f(items):\n" + "".join(f"    total = items[{n}] + items[{n + 1}] * {n}\n" for n in range(12))
    ignored = "# guardline: ignore-start\n" + body + "# guardline: ignore-end\n"
    memo = TokenMemo()
    for text in (body, ignored, body, ignored):
        doc = parse(text, "python")
        assert _arrays(tokenize(doc, memo)) == _arrays(tokenize(parse(text, "python")))
    assert memo.hits >= 1, "the plain version was replayed the second time"


def test_a_version_with_syntax_errors_is_parsed_afresh():
    """tree-sitter's error recovery in an incremental parse can differ from a fresh parse's: here the
    reused tree put the ERROR node elsewhere. A blob's analysis is cached and must not depend on which
    version was parsed before it, so versions with errors are parsed from scratch."""
    before, after = "if(c{s.te'\n}else e", "if(c{s.t{e'\n}else e"
    fresh = parse(after, "typescript")
    assert fresh.tree.root_node.has_error
    assert _shape(parse_after(parse(before, "typescript"), after, "typescript")) == _shape(fresh)


def test_an_edit_at_the_end_of_a_block_reparses_to_the_fresh_tree():
    """parse_after's edit reaches through the end of the edited line (so the incremental parse can reuse
    what follows, parsing.through_line_end): edits at line ends, on the last line, across lines and
    with multi-byte text still give exactly the fresh tree, points included."""
    block = "def f{n}(a):\n    t = 'é😀'\n    if a:\n        t += 1\n    return t\n\n\n"
    text = "".join(block.format(n=n) for n in range(6))
    previous = parse(text, "python")
    edits = [("return t\n", "return tx\n"), ("t += 1\n", "t += 12\n    t -= 1\n"), ("'é😀'", "'😀é'"),
             ("return t\n\n\n", "return t\n"), ("return t\n\n\n", "return t + 1\n\n\ndef g():\n    pass\n")]
    for old, new in edits:
        cut = text.rindex(old) if old.startswith("return t\n\n\n") else text.index(old)
        text = text[:cut] + new + text[cut + len(old):]
        reused = parse_after(previous, text, "python")
        assert not reused.tree.root_node.has_error
        assert _shape(reused) == _shape(parse(text, "python")), (old, new)
        previous = reused
    text = text.rstrip("\n")     # an edit on a last line without a newline
    previous = parse(text, "python")
    reused = parse_after(previous, text + "x", "python")
    assert _shape(reused) == _shape(parse(text + "x", "python"))
