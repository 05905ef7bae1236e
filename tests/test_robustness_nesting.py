"""Deep nesting in every language: analysed, or refused with a clear per-file reason; never a hang,
never a RecursionError (tests/robustness_inputs.py builds the inputs).

The full matrix (11 languages x ifs/loops/lambdas/brackets x 5,000/50,000) with parse and analysis
seconds is bench/robustness_bench.py (figures in bench/RESULTS.md); here every cell at 5,000 and
brackets at 50,000 in every language (tree-sitter alone needs seconds to parse 50,000 nested ifs or
lambdas: those are in the bench), so the module stays fast. Before the
limits, 5,000 nested lambdas/closures hung the analysis for minutes in Go, Java, Rust, C++, C#, Ruby
and PHP (a tuple of every enclosing function copied per function, a `Node.parent` walk from the
root per function, qualified names holding every enclosing name), and 50,000 levels hung every
language.
"""

from __future__ import annotations

import pytest

from guardline.config import Config
from guardline.duplication.tokens import tokenize
from guardline.parsing import MAX_NESTED_SCOPES, MAX_TREE_DEPTH, parse
from guardline.pipeline import analyze_document
from robustness_inputs import CONSTRUCTS, LANGUAGES, nested_source

TREE_REFUSAL = f"nesting deeper than {MAX_TREE_DEPTH:,} syntax tree levels: not analysed"
SCOPE_REFUSAL = f"functions and classes nested more than {MAX_NESTED_SCOPES} deep: not analysed"

CASES_5000 = [(language, construct) for language in LANGUAGES for construct in CONSTRUCTS]
CASES_50000 = [(language, "brackets") for language in LANGUAGES]


def expected_at_5000(language: str, construct: str) -> tuple[str | None, ...]:
    """5,000 nested lambdas are 5,000 nested functions (C has none: its stand-in is nested blocks):
    refused, for the functions or (where a lambda is over 3 tree levels) for the tree depth, which
    the probe before the walk sees first; 5,000 ifs, loops or brackets are 5,000-15,000 tree
    levels, under MAX_TREE_DEPTH: analysed."""
    return (SCOPE_REFUSAL, TREE_REFUSAL) if construct == "lambdas" and language != "c" else (None,)


@pytest.mark.parametrize("language, construct", CASES_5000)
def test_5000_deep_nesting(language: str, construct: str) -> None:
    doc = parse(nested_source(language, construct, 5000), language)
    assert not doc.has_errors, "the input is valid code: the limit, not a parse error, decides"
    result = analyze_document(doc, "deep", Config())
    expected = expected_at_5000(language, construct)
    assert result.error in expected
    if expected == (None,):
        assert result.functions, "an analysed file reports its function"
        assert result.functions[0].name in ("f", "F"), "the outer function is found by its name"
    tokenize(doc)   # the clone tokenizer walks the same tree (bounded by the same limit)


@pytest.mark.parametrize("language, construct", CASES_50000)
def test_50000_deep_nesting_is_refused_cleanly(language: str, construct: str) -> None:
    doc = parse(nested_source(language, construct, 50_000), language)
    result = analyze_document(doc, "deep", Config())
    assert result.error == TREE_REFUSAL, "50,000 nested parentheses are 50,000 tree levels"
    assert result.functions == [] and result.findings == []
    stream = tokenize(doc)
    assert len(stream.raw) == 0, "a file too deep to analyse has no clone tokens either"


def test_a_refused_file_is_one_line_in_a_scan(tmp_path) -> None:
    """The CLI/report path (scan.analyze_item): the file is reported, not analysed, with its reason."""
    from guardline.scan import scan_files

    (tmp_path / "deep.rb").write_text(nested_source("ruby", "lambdas", 500))
    (tmp_path / "fine.rb").write_text("def ok(a)\n  a\nend\n")
    results = {r.path: r for r in scan_files(str(tmp_path), ["deep.rb", "fine.rb"], Config(), processes=1)}
    assert results["deep.rb"].error == SCOPE_REFUSAL
    assert results["fine.rb"].error is None and [f.name for f in results["fine.rb"].functions] == ["ok"]


def test_nested_volumes_equal_one_slice_per_function() -> None:
    """The one-pass Halstead volumes (small-to-large key sets) equal token_volume of each function's
    own slice, for random nested and disjoint spans in document order, empty ones included."""
    import random

    from guardline.metrics.maintainability import nested_volumes, token_volume

    rng = random.Random(13)
    for _ in range(200):
        tokens = [rng.choice(["a", "b", "c", b"x", b"y", "(", ")"]) for _ in range(rng.randrange(0, 60))]
        spans: list[tuple[int, int]] = []
        pending = [(0, len(tokens))]
        while pending and len(spans) < 12:   # carve nested spans out of random ranges, pre-order
            begin, end = pending.pop(0)
            a = rng.randint(begin, end)
            b = rng.randint(a, end)
            spans.append((a, b))
            pending += [(a, b), (b, end)]
        spans.sort(key=lambda span: (span[0], -span[1]))
        laminar = [s for i, s in enumerate(spans) if all(
            s[1] <= t[0] or t[1] <= s[0] or (t[0] <= s[0] and s[1] <= t[1]) or (s[0] <= t[0] and t[1] <= s[1])
            for t in spans[:i])]
        assert nested_volumes(tokens, laminar) == [token_volume(tokens[a:b]) for a, b in laminar]
