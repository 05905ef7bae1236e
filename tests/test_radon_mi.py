"""maintainability_profile = "radon": radon 6's `radon mi` reproduced from the tree-sitter parse.

Hand-worked examples state every input of radon's formula (Halstead volume V, total cyclomatic G,
LLOC L, comment percentage C) and the expected MI; radon itself (a dev dependency) is the oracle for
the differential test on a sample of the CPython standard library."""

from __future__ import annotations

import math
import pathlib
import sys
import sysconfig
import textwrap

import pytest

from guardline.config import ConfigError, load_config
from guardline.metrics import compute_functions
from guardline.metrics.radon_mi import analyse, radon_mi, raw_chunks
from guardline.parsing import parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "bench"))


def file_mi(code: str) -> float:
    _, totals = compute_functions(parse(code, "python"), "guardline", "radon")
    return totals.maintainability


def formula(volume: float, complexity: int, lloc: int, comment_percent: float) -> float:
    """radon.metrics.mi_compute written out independently."""
    raw = (171 - 5.2 * math.log(volume) - 0.23 * complexity - 16.2 * math.log(lloc)
           + 50 * math.sin(math.sqrt(2.46 * math.radians(comment_percent))))
    return min(100.0, max(0.0, raw * 100 / 171))


# (code, V, G, LLOC, C%, why) -- V = N * log2(n) over radon's operators and operands
HAND_WORKED = [
    ("x = a + b\n", 3 * math.log2(3), 1, 1, 0.0,
     "one BinOp: operator Add, operands a, b -> N = 3, n = 3"),
    ("x = a.b + b\n", 3 * math.log2(2), 1, 1, 0.0,
     "radon keys an attribute by its attr: `a.b` and `b` are the same operand -> n = 2"),
    ("y = True + 1\n", 3 * math.log2(2), 1, 1, 0.0,
     "constants compare by value and True == 1 -> one distinct operand"),
    ("def f():\n    return a + 1\n\n\ndef g():\n    return a + 1\n", 6 * math.log2(5), 1, 4, 0.0,
     "operands are distinct per enclosing def: (f, a), (f, 1), (g, a), (g, 1) + Add -> n = 5, N = 6"),
    ("x = a < b <= c\ny = a not in b\n", 8 * math.log2(6), 1, 2, 0.0,
     "Compare counts each op and len(ops) + 1 operands: N = (2 + 3) + (1 + 2) = 8; "
     "distinct Lt, LtE, NotIn and a, b, c -> n = 6"),
    ("d = {1: 2}\nx = a + b\n", 3 * math.log2(3), 1, 3, 0.0,
     "a line with a ':' that does not end it is 2 logical lines (radon.raw): LLOC = 2 + 1"),
    ('"""Module.\n\nMore.\n"""\nx = a + b\n', 3 * math.log2(3), 1, 2, 300.0,
     "a multi-line docstring: 3 non-empty lines count as comment, SLOC 1 -> C = 300%; LLOC 2"),
    ("class A:\n    def f(self):\n        return a + b\n\n    def g(self):\n        if a:\n            return 1\n",
     3 * math.log2(3), 4, 6, 0.0,
     "G = 1 + each method's full complexity (f: 1, g: 1 + if): 1 + 1 + 2"),
    ("def f():\n    def g():\n        if a:\n            return a + 1\n    return g\n",
     3 * math.log2(3), 1, 5, 0.0, "radon drops closures from the total: the inner `if` is not counted"),
    ("match x:\n    case -1:\n        pass\n    case 1+2j:\n        pass\n", 5 * math.log2(4), 3, 5, 0.0,
     "patterns are ast expressions: USub(1) and Add(1, 2j) -> N = 2 + 3, n = USub, Add, 1, 2j; "
     "G = 1 + two cases; LLOC: each `case ...:` and `match x:` 1, each `pass` 1"),
    ("@d(a + b)\nclass A(B - C):\n    x = f'{a * 2}'\n", 9 * math.log2(8), 1, 3, 0.0,
     "a class's decorators and bases are visited, and so are f-string expressions: "
     "Add(a, b), Sub(B, C), Mult(a, 2) -> N = 9; n = Add, Sub, Mult + a, b, B, C, 2 = 8; LLOC 3"),
]


@pytest.mark.parametrize("code, volume, complexity, lloc, comments, why", HAND_WORKED)
def test_hand_worked_file_mi(code, volume, complexity, lloc, comments, why):
    result = analyse(parse(code, "python"))
    assert result.volume == pytest.approx(volume), why
    assert result.complexity == complexity, why
    assert result.lloc == lloc, why
    expected = formula(volume, complexity, lloc, comments)
    assert file_mi(code) == pytest.approx(expected), why


def test_worked_number_for_a_single_addition():
    # V = 3 log2 3 = 4.755, G = 1, L = 1, C = 0: (171 - 5.2 ln 4.755 - 0.23) * 100 / 171 = 95.12
    assert file_mi("x = a + b\n") == pytest.approx(95.124, abs=1e-3)


@pytest.mark.parametrize("code, why", [
    ("", "an empty file: V = 0 -> radon returns 100"),
    ("def f(x=a + b):\n    pass\n", "a def's defaults are not visited: V = 0 -> 100"),
    ("@deco(a + b)\ndef f():\n    pass\n", "a def's decorators are not visited: V = 0 -> 100"),
    ("# why\nx = a + b  # sum\n", "2 comments over SLOC 1 = 200%: +10.5 pushes MI over the 100 cap"),
])
def test_degenerate_and_capped_files_score_100(code, why):
    assert file_mi(code) == 100.0, why


def test_comment_and_blank_lines_are_not_logical_lines():
    code = "# a\n\nif x:  # b\n    y = 1; z = 2\n"
    chunks = raw_chunks(parse(code, "python").root, code)
    # `if x:` ends with its ':' -> 1; `y = 1; z = 2` -> 2; the comment and the blank line -> 0
    assert sum(c.lloc for c in chunks) == 3
    assert sum(c.sloc for c in chunks) == 2, "the comment-only and blank lines are not SLOC"
    assert sum(c.comments for c in chunks) == 2, "every comment token counts, inline ones too"


def test_bracketed_lines_are_one_logical_line():
    code = "x = [\n    1,  # one\n\n    2,\n]\n"
    chunks = raw_chunks(parse(code, "python").root, code)
    assert sum(c.lloc for c in chunks) == 1, "one statement across brackets"
    assert sum(c.sloc for c in chunks) == 4, "its non-empty physical lines are SLOC, the comment one too"


def test_backslash_continuation_joins_lines_even_without_a_tree_sitter_node():
    code = 'X = b"a" + \\\nb"""\\\n\nxx\n"""\n'
    chunks = raw_chunks(parse(code, "python").root, code)
    # one logical line over rows 1-5: the triple-quoted string is part of the statement, not a
    # docstring, so its non-empty lines are SLOC (4: the blank row inside is not), multi stays 0
    assert [(c.lloc, c.sloc, c.multi) for c in chunks if c.lloc] == [(1, 4, 0)]


def test_python2_print_chevron_is_a_right_shift():
    # tree-sitter reads `print >> f, "m"` as a Python 2 print statement; ast (and radon) see
    # BinOp(RShift, print, f): N = 3, n = 3 -> V = 3 log2 3
    assert analyse(parse('print >> f, "m"\n', "python")).volume == pytest.approx(3 * math.log2(3))


def test_union_annotation_is_a_bit_or():
    # tree-sitter gives `list[str] | None` in an annotation a union_type node; ast has
    # BinOp(BitOr, Subscript, None): operands a new node and None -> N = 3, n = 3
    assert analyse(parse("x: list[str] | None = None\n", "python")).volume == pytest.approx(3 * math.log2(3))


def test_per_function_mi_uses_radons_formula_on_the_function():
    code = "def f(a, b):\n    # add\n    return a + b\n"
    found, _ = compute_functions(parse(code, "python"), "guardline", "radon")
    # body: Add over (f, a), (f, b): V = 3 log2 3; cc 1; LLOC 2 (def line + return);
    # one comment over SLOC 2 = 50%
    assert found[0].maintainability == pytest.approx(formula(3 * math.log2(3), 1, 2, 50.0))


def test_other_languages_keep_guardlines_formula():
    code = "function f(a, b) {\n  return a + b;\n}\n"
    plain = compute_functions(parse(code, "javascript"), "guardline", "guardline")
    radon = compute_functions(parse(code, "javascript"), "guardline", "radon")
    assert radon[1].maintainability == plain[1].maintainability, "radon's MI profile is Python only"
    assert [f.maintainability for f in radon[0]] == [f.maintainability for f in plain[0]]


def test_deep_nesting_does_not_recurse():
    code = "x = " + " + ".join(["a"] * 5000) + "\n"
    # 4999 Adds, 5000 operands but only `a` and the nested BinOps' node objects are distinct
    assert 0.0 <= file_mi(code) <= 100.0


def test_config_accepts_radon_and_names_the_key_otherwise(tmp_path):
    (tmp_path / "guardline.toml").write_text('maintainability_profile = "radon"\n')
    assert load_config(str(tmp_path))["maintainability_profile"] == "radon"
    (tmp_path / "guardline.toml").write_text('maintainability_profile = "sonar"\n')
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path))
    assert info.value.key == "maintainability_profile"


def test_radon_mi_formula_matches_radon():
    from radon.metrics import mi_compute
    for args in [(100.0, 5, 20, 10.0), (5000.0, 40, 300, 0.0), (1.5, 1, 1, 150.0)]:
        assert radon_mi(*args) == pytest.approx(mi_compute(*args))


def test_stdlib_sample_within_half_a_point_of_radon():
    """Every 15th file of the running Python's stdlib: file MI within ±0.5 of `radon mi` for ≥ 99%."""
    pytest.importorskip("radon")
    from radon_mi_diff import compare, stdlib_files
    assert pathlib.Path(sysconfig.get_paths()["stdlib"]).is_dir()
    total, close, diffs = compare(stdlib_files(step=15))
    assert total >= 100, "the sample covers about 120 files"
    assert close / total >= 0.99, "\n".join(diffs)


def test_hand_worked_values_agree_with_radon():
    from radon.metrics import mi_visit
    for code, *_ in HAND_WORKED:
        assert file_mi(code) == pytest.approx(mi_visit(textwrap.dedent(code), True), abs=1e-9), code
