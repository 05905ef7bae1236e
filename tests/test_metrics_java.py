"""Java metrics: hand-worked examples for every rule of docs/metrics/java.md."""

import pytest

from guardline.metrics import compute_functions
from guardline.parsing import parse


def metrics(code: str, profile: str = "guardline") -> dict:
    functions, _ = compute_functions(parse(code, "java"), profile)
    return {f.qualified_name: f for f in functions}


def one(body: str, profile: str = "guardline"):
    return metrics("class A { void f(boolean a, boolean b, boolean c) {\n" + body + "\n} }", profile)["A.f"]


# (body, cyclomatic, cognitive, why)
CASES = [
    ("return;", 1, 0, "straight line: CC 1, cognitive 0"),
    ("if (a) {}", 2, 1, "if: +1 CC, S +1 at nesting 0"),
    ("if (a) {} else if (b) {} else {}", 3, 3, "if +1/+1, else if +1/H+1, else 0/H+1"),
    ("if (a) { if (b) {} }", 3, 3, "nested if: cognitive 1 + (1 + nesting 1)"),
    ("int x = a ? 1 : 2;", 2, 1, "ternary: +1 CC, S +1"),
    ("for (int i = 0; i < 3; i++) {}", 2, 1, "for loop"),
    ("for (int x : xs) {}", 2, 1, "enhanced for is a loop: +1 CC, S +1"),
    ("while (a) {}", 2, 1, "while"),
    ("do {} while (a);", 2, 1, "do-while: +1 CC, S +1"),
    ("switch (x) { case 1: case 2: y(); break; case 3: break; default: z(); }", 4, 1,
     "3 non-default case labels +3 CC; switch S +1 once"),
    ("int q = switch (x) { case 1, 2 -> 3; default -> 4; };", 2, 1,
     "switch expression: one non-default arm (+1 CC), switch S +1"),
    ("switch (x) { case 1: if (a) {} }", 3, 3, "case bodies nested: switch 1 + if (1 + 1)"),
    ("try { g(); } catch (IOException e) {} catch (Exception e) {} finally {}", 3, 2,
     "each catch +1 CC and S +1; try/finally 0"),
    ("try { if (a) {} } finally { if (b) {} }", 3, 2, "try and finally bodies do not nest"),
    ("boolean r = a && b && c;", 3, 1, "each && +1 CC; one sequence of like operators +1 cognitive"),
    ("boolean r = a && b || c && c;", 4, 3, "3 operators +3 CC; && || && = 3 sequences"),
    ("boolean r = a && !(b && c);", 3, 2, "a negation starts a new sequence"),
    ("boolean r = a && (b && c);", 3, 1, "parentheses are transparent in Java"),
    ("boolean r = a && (b || c);", 3, 2, "&& then || through the parentheses: 2"),
    ("outer: for (int x : xs) { for (int y : ys) { continue outer; } }", 3, 4,
     "two loops 1 + 2, labelled continue +1 flat"),
    ("for (int x : xs) { break; }", 2, 1, "a plain break adds nothing"),
    ("f(a, b, c);", 1, 0, "recursion adds nothing"),
    ("Object o = x != null ? x : y;", 2, 1, "ternary with != (no ?? in Java)"),
]


@pytest.mark.parametrize("body, cc, cog, why", CASES)
def test_rules(body, cc, cog, why):
    fn = one(body)
    assert (fn.cyclomatic, fn.cognitive) == (cc, cog), why


def test_lambda_counts_in_enclosing_method_and_alone():
    fns = metrics("class A { void f(boolean a) {\n Runnable r = () -> { if (a) {} };\n} }")
    # lambda N: its `if` is at nesting 1 inside f -> f cognitive 2; the lambda alone scores 1
    assert fns["A.f"].cognitive == 2, "lambda raises nesting and counts in the enclosing method"
    assert fns["A.f.r"].cognitive == 1, "the lambda is also reported on its own (named after its variable)"
    # cyclomatic: nested functions excluded from the parent
    assert fns["A.f"].cyclomatic == 1 and fns["A.f.r"].cyclomatic == 2


def test_anonymous_class_method_nests_once_and_counts_in_method():
    fns = metrics("class A { void f(boolean a) {\n new Thread() { public void run() { if (a) {} } };\n} }")
    assert fns["A.f"].cognitive == 2, "anonymous class N: the if is at nesting 1 -> +2"
    assert fns["A.f.run"].cognitive == 1, "the anonymous method alone: +1"


def test_local_class_method():
    fns = metrics("class A { void f(boolean a) {\n class L { void g() { while (a) {} } }\n} }")
    assert fns["A.f"].cognitive == 2, "local class N: while at nesting 1 -> +2 in f"
    assert fns["A.f.L.g"].cognitive == 1


def test_functions_and_names():
    code = """class A {
  A() {}
  void m() { Runnable r = () -> {}; call(() -> 1); }
  enum E { X { void g() {} } }
  record R(int x) { R { } }
  interface I { default void d() {} }
}"""
    names = set(metrics(code))
    assert {"A.A", "A.m", "A.m.r", "A.m.<lambda>@3", "A.E.X.g", "A.R.R", "A.I.d"} <= names, names


def test_increments_explain_each_point():
    fn = one("if (a) {\n  while (b) {}\n}")
    cog = [(i.construct, i.amount, i.nesting) for i in fn.increments if i.metric == "cognitive"]
    assert cog == [("if", 1, 0), ("while", 2, 1)], "while inside if: +1 plus nesting 1"


def test_lizard_profile_token_rules():
    # lizard counts if, for, while, catch, case (default excluded by being another keyword), &&, ||, ?
    fn = one("if (a && b) {} for (int x : xs) {} do {} while (c);\n"
             "switch (x) { case 1: break; default: }\nint y = a ? 1 : 2; java.util.List<?> l;", "lizard")
    # if, &&, for, while, case, ? = 6 -> 7; the generic wildcard <?> is not a condition for lizard
    assert fn.cyclomatic == 7


def test_lizard_profile_lambdas_merge_into_method():
    fns = metrics("class A { void f(boolean a) { Runnable r = () -> { if (a) {} }; } }", "lizard")
    assert fns["A.f"].cyclomatic == 2, "lizard does not see Java lambdas: their if counts in f"


def test_deep_nesting_does_not_recurse():
    code = "class A { void f() {" + "if (a) {" * 5000 + "}" * 5000 + "} }"
    fn = metrics(code)["A.f"]
    assert fn.cyclomatic == 5001, "5000 ifs + 1, walked iteratively"


WHITE_PAPER = """class W {
  int sumOfPrimes(int max) {
    int total = 0;
    OUT: for (int i = 1; i <= max; ++i) {   // +1
      for (int j = 2; j < i; ++j) {         // +2 (nesting 1)
        if (i % j == 0) {                   // +3 (nesting 2)
          continue OUT;                     // +1
        }
      }
      total += i;
    }
    return total;
  }
  String getWords(int number) {
    switch (number) {                       // +1
      case 1: return "one";
      case 2: return "a couple";
      case 3: return "a few";
      default: return "lots";
    }
  }
  void myMethod() {
    try {
      if (condition1) {                     // +1
        for (int i = 0; i < 10; i++) {      // +2 (nesting 1)
          while (condition2) { }            // +3 (nesting 2)
        }
      }
    } catch (ExcepType1 | ExcepType2 e) {   // +1
      if (condition2) { }                   // +2 (nesting 1)
    }
  }
  void myMethod2() {
    Runnable r = () -> {                    // +0, nesting 1
      if (condition1) { }                   // +2 (nesting 1)
    };
  }
}"""


@pytest.mark.parametrize("name, cognitive, cyclomatic", [
    ("W.sumOfPrimes", 7, 4),   # white paper: 7; CC: 1 + for + for + if
    ("W.getWords", 1, 4),      # white paper: 1; CC: 1 + three non-default cases
    ("W.myMethod", 9, 6),      # white paper: 9; CC: 1 + if + for + while + catch + if
    ("W.myMethod2", 2, 1),     # white paper: 2; the lambda's if is the lambda's own decision
])
def test_white_paper_examples(name, cognitive, cyclomatic):
    fn = metrics(WHITE_PAPER)[name]
    assert (fn.cognitive, fn.cyclomatic) == (cognitive, cyclomatic), "SonarSource white paper v1.7 examples"
