"""C# metrics: hand-worked examples for every rule of docs/metrics/csharp.md."""

import pytest

from guardline.metrics import compute_functions
from guardline.parsing import parse


def metrics(code: str, profile: str = "guardline") -> dict:
    functions, _ = compute_functions(parse(code, "csharp"), profile)
    return {f.qualified_name: f for f in functions}


def one(body: str, profile: str = "guardline"):
    return metrics("class A { void F(bool a, bool b, bool c) {\n" + body + "\n} }", profile)["A.F"]


# (body, cyclomatic, cognitive, why)
CASES = [
    ("return;", 1, 0, "straight line"),
    ("if (a) {} else if (b) {} else {}", 3, 3, "if +1/+1, else if +1/H+1, else 0/H+1"),
    ("if (a) { if (b) {} }", 3, 3, "nested if: 1 + (1 + nesting 1)"),
    ("var x = a ? 1 : 2;", 2, 1, "ternary"),
    ("for (int i = 0; i < 3; i++) {}", 2, 1, "for"),
    ("foreach (var x in xs) {}", 2, 1, "foreach is a loop"),
    ("while (a) {}", 2, 1, "while"),
    ("do {} while (a);", 2, 1, "do-while"),
    ("switch (x) { case 1: case 2: Y(); break; default: Z(); break; }", 3, 1,
     "two non-default case labels +2 CC; switch S +1 once"),
    ("var q = x switch { 1 => 2, 2 => 3, _ => 4 };", 3, 1,
     "switch expression: two non-discard arms +2 CC; S +1"),
    ("var q = x switch { 1 => a ? 1 : 2, _ => 4 };", 3, 3, "arms are nested: ternary 1 + nesting 1"),
    ("try { G(); } catch (IOException e) {} catch (Exception e) when (a) {} finally {}", 3, 2,
     "each catch +1/S+1; the `when` filter, try and finally add nothing"),
    ("goto end; end: return;", 1, 1, "goto: S at nesting 0 = +1 (no CC)"),
    ("if (a) { goto end; } end: return;", 2, 3, "goto nested in if: 1 + nesting 1 (Sonar quirk)"),
    ("var r = a && b || c;", 3, 2, "&& and || +1 CC each; two sequences"),
    ("var r = a && !(b && c);", 3, 2, "negation starts a new sequence"),
    ("var r = a && (b && c);", 3, 1, "parentheses are transparent"),
    ("var r = a || b && c || d;", 4, 2, "Sonar's C# analyser: (a || (b && c)) || d: the inner || +1 (left is no ||), "
                                       "&& +1, the outer || 0 (its left is ||); source order would say 3"),
    ("var r = a && b || c && d;", 4, 3, "(a && b) || (c && d): each operator's left operand differs: 3"),
    ("var r = (a || b) && (c || a);", 4, 3, "&& +1 (left is ||), each || +1"),
    ("var r = a || !(b || c);", 3, 2, "the negated || has a plain left operand b: +1"),
    ("var r = x is > 0 and < 9 or 20 or 30;", 4, 2, "((>0 and <9) or 20) or 30: the first or +1 (left is and), "
                                                   "and +1, the outer or 0"),
    ("var r = o is not null and not string;", 2, 1, "`not` is no operator of its own: one `and`"),
    ("var r = x ?? y; var s = x?.y; x ??= y;", 1, 0, "?? ?. ??= count nothing"),
    ("F(a, b, c);", 1, 0, "recursion adds nothing"),
    # issue 17: pattern combinators count like boolean operators (Sonar's C# analyser)
    ("if (o is int and > 0 or string) {}", 4, 3, "if +1 CC/+1; `and` +1 CC, `or` +1 CC; one sequence "
     "with one change of operator: +2"),
    ("if (o is > 0 and < 9 and not 5) {}", 4, 2, "`and` twice: +2 CC, one sequence +1; `not` adds nothing"),
    ("var r = o is null or string && a;", 3, 2, "the pattern's `or` and the `&&` are two sequences"),
]


@pytest.mark.parametrize("body, cc, cog, why", CASES)
def test_rules(body, cc, cog, why):
    fn = one(body)
    assert (fn.cyclomatic, fn.cognitive) == (cc, cog), why


def test_local_function_nests_and_counts_in_parent():
    fns = metrics("class A { void F(bool a) {\n int L(int z) { if (a) { return 1; } return z; }\n} }")
    assert fns["A.F"].cognitive == 2, "local function N: if at nesting 1 -> +2 in F"
    assert fns["A.F.L"].cognitive == 1 and fns["A.F.L"].cyclomatic == 2
    assert fns["A.F"].cyclomatic == 1, "CC of nested functions is their own"


def test_static_local_function_is_scored_on_its_own():
    """Sonar C#: a static local function is not added to its parent; its body starts at nesting 1.
    F = if +1, K's if at nesting 1 +2 = 3; L = its if at nesting 1 = 2; K = 1 (issue 17)."""
    fns = metrics("class A { int F(int a) {\n if (a > 0) {}\n"
                  " static int L(int x) { if (x > 0) { return 1; } return 0; }\n"
                  " int K(int x) { if (x > 0) { return 1; } return 0; }\n return L(a) + K(a);\n} }")
    assert (fns["A.F"].cognitive, fns["A.F.L"].cognitive, fns["A.F.K"].cognitive) == (3, 2, 1)
    assert fns["A.F"].cyclomatic == 2 and fns["A.F.L"].cyclomatic == 2


def test_csharp14_extension_block_methods_and_note():
    """A C# 14 `extension(string s) { ... }` block is a scope: its methods are functions of their own
    and the file gets a note (the grammar does not know the rest of the syntax). Before issue 17 the
    block was a constructor named `extension` that swallowed its methods' scores."""
    from guardline.config import Config
    from guardline.pipeline import analyze_bytes
    code = ("public static class E {\n  extension(string s) {\n"
            "    public bool IsEmpty() { if (s == null) { return true; } return s.Length == 0; }\n  }\n}\n")
    fns = metrics(code)
    assert set(fns) == {"E.extension.IsEmpty"}
    assert (fns["E.extension.IsEmpty"].cognitive, fns["E.extension.IsEmpty"].cyclomatic) == (1, 2)
    result = analyze_bytes(code.encode(), "E.cs", Config())
    assert any("C# 14 extension blocks" in note for note in result.notes), result.notes


def test_lambdas_and_anonymous_methods():
    fns = metrics("class A { void F(bool a) {\n Func<int,int> r = y => a ? y : 0;\n"
                  " Action d = delegate(int z) { if (a) {} };\n} }")
    assert fns["A.F"].cognitive == 4, "two N functions, each with one S at nesting 1: 2 + 2"
    assert fns["A.F.r"].cyclomatic == 2 and fns["A.F.d"].cyclomatic == 2


def test_members_and_names():
    code = """class A {
  int P { get { return a ? 1 : 2; } set { x = value; } }
  int Auto { get; set; }
  int Q => a ? 1 : 2;
  int this[int i] => a[i];
  event EventHandler E { add {} remove {} }
  A() {}
  ~A() {}
  public static A operator +(A a, A b) => a;
  public static implicit operator int(A a) => 1;
}"""
    fns = metrics(code)
    assert set(fns) == {"A.P.get", "A.P.set", "A.Q", "A.this", "A.E.add", "A.E.remove", "A.A", "A.~A",
                        "A.operator +", "A.operator int"}, "auto-accessors without a body are no functions"
    assert fns["A.P.get"].cyclomatic == 2 and fns["A.Q"].cyclomatic == 2, "accessor / expression body"


def test_lizard_profile_token_rules():
    # lizard: if for while catch case && || ? ?? ; foreach and switch-expression arms are not counted,
    # `?.`, `int?` and `??=` carry a `?` / `??` token
    fn = one("if (a && b) {} foreach (var x in xs) {} var q = x switch { 1 => 2, _ => 3 };\n"
             "var r = x ?? y; var s = x?.y; int? n = null; x ??= y;", "lizard")
    assert fn.cyclomatic == 7, "if, &&, ??, ?., int?, ??= = 6 -> 7"


def test_lizard_profile_merges_lambdas_and_local_functions():
    fns = metrics("class A { void F(bool a) { int L() { if (a) {} return 1; } Func<int> g = () => a ? 1 : 2; } }",
                  "lizard")
    assert fns["A.F"].cyclomatic == 3, "lizard reads the body as one block: if and ? count in F"


def test_deep_nesting_does_not_recurse():
    fn = metrics("class A { void F() {" + "if (a) {" * 5000 + "}" * 5000 + "} }")["A.F"]
    assert fn.cyclomatic == 5001, "5000 ifs + 1, walked iteratively"


def test_lizard_profile_reader_quirks():
    code = """class A {
  A(object o) : base(o is null ? 1 : 2) {
#if DEBUG
    var d = new Dictionary<string, object?>();
#endif
    Log($"value {o?.ToString()}");
  }
}"""
    fn = metrics(code, "lizard")["A.A"]
    # the initializer's `?` is before the body (lizard resets there), `object?` sits in one `<...>` token,
    # the interpolation is inside a string token; only `#if` counts -> 2
    assert fn.cyclomatic == 2
    assert metrics(code)["A.A"].cyclomatic == 2, "guardline profile: the initializer's ternary is the constructor's"


def test_halstead_literals_are_single_operands():
    with_literals = metrics("class A { void F() { var c = 'a'; var t = true; } }")["A.F"]
    with_names = metrics("class A { void F() { var c = x; var t = y; } }")["A.F"]
    assert with_literals.halstead_volume == with_names.halstead_volume, "'a' and true are one operand each"
