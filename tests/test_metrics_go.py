"""Go metric rules (docs/metrics/go.md): hand-worked examples, each states its number and why."""

from __future__ import annotations

import textwrap

import pytest

from guardline.metrics import compute_functions
from guardline.parsing import parse


def metrics(code: str, profile: str = "guardline") -> dict:
    functions, _ = compute_functions(parse("package m\n" + textwrap.dedent(code), "go"), profile)
    return {f.qualified_name: f for f in functions}


def one(code: str, profile: str = "guardline"):
    functions = metrics(code, profile)
    assert len(functions) == 1, list(functions)
    return next(iter(functions.values()))


# ---------------------------------------------------------------- functions and names
def test_functions_methods_and_literals_are_reported_with_qualified_names():
    fns = metrics("""
        func Top() {}
        func (s *Stack[T]) Push(v T) {
            f := func() {}
            var g = func() {}
            go func() {}()
            _, _ = f, g
        }
        func (Stack) Len() int { return 0 }
    """)
    # receiver type without pointer / type arguments prefixes a method; literals are nested in it,
    # named by `:=` / `var` assignment, else <lambda>@LINE (line 7 of the file: `go func`)
    assert set(fns) == {"Top", "Stack.Push", "Push.f", "Push.g", "Push.<lambda>@7", "Stack.Len"}
    assert fns["Stack.Push"].start_line == 4 and fns["Stack.Push"].end_line == 9  # after "package m" + blank


def test_literal_named_by_its_position_in_a_multi_assignment():
    fns = metrics("""
        func F() {
            a, b := 1, func() {}
            _, _ = a, b
        }
    """)
    assert "F.b" in fns, "the literal is the second value, so it takes the second name"


# ---------------------------------------------------------------- cyclomatic (guardline)
def test_cyclomatic_if_else_if_for_and_boolean_operators():
    fn = one("""
        func F(a, b, c bool) {
            if a && b || c {
            } else if b {
            } else {
            }
            for a {
            }
            for i := range []int{} { _ = i }
        }
    """)
    # 1 + if + && + || + else-if + for + for-range = 7 (else adds nothing)
    assert fn.cyclomatic == 7


def test_cyclomatic_counts_each_non_default_case_of_switch_type_switch_and_select():
    fn = one("""
        func F(x interface{}, c chan int) {
            switch x {
            case 1, 2:
            case 3:
            default:
            }
            switch v := x.(type) {
            case int:
            default:
                _ = v
            }
            select {
            case <-c:
            default:
            }
        }
    """)
    # 1 + 2 expression cases + 1 type case + 1 communication case = 5; the three defaults add 0
    assert fn.cyclomatic == 5


def test_cyclomatic_ignores_jumps_and_nested_literals():
    fn = metrics("""
        func F() {
        L:
            for {
                break L
                continue L
                goto L
            }
            g := func(a bool) { if a {} }
            _ = g
        }
    """)
    # 1 + for = 2: break/continue/goto add nothing, the literal's `if` is its own
    assert fn["F"].cyclomatic == 2
    assert fn["F.g"].cyclomatic == 2, "1 + its own if"


# ---------------------------------------------------------------- cognitive
def test_cognitive_if_else_if_else_and_nesting():
    fn = one("""
        func F(a, b bool) {
            if a {             // +1
                for b {        // +2 (nesting 1)
                    if a {     // +3 (nesting 2)
                    }
                }
            } else if b {      // +1 (H)
            } else {           // +1 (H)
            }
        }
    """)
    assert fn.cognitive == 8


def test_cognitive_switch_type_switch_and_select_count_once_and_nest_their_cases():
    fn = one("""
        func F(x interface{}, c chan int) {
            switch x {             // +1
            case 1:
                if true {}         // +2 (nesting 1)
            case 2:
            default:
            }
            switch x.(type) {      // +1
            case int:
            }
            select {               // +1
            case <-c:
            }
        }
    """)
    assert fn.cognitive == 5


def test_cognitive_func_literal_nests_and_counts_in_the_enclosing_function():
    fns = metrics("""
        func F(a bool) {
            if a {                      // F: +1
                g := func() {
                    if a {}             // F: +3 (if 1 + literal 1 = nesting 2); g: +1
                }
                _ = g
            }
        }
    """)
    assert fns["F"].cognitive == 4
    assert fns["F.g"].cognitive == 1, "the literal on its own starts at nesting 0"


def test_cognitive_labelled_jumps_and_goto_are_flat_plain_ones_free():
    fn = one("""
        func F() {
        Outer:
            for {                    // +1
                for {                // +2
                    break Outer      // +1
                    continue Outer   // +1
                    goto Outer       // +1
                    break            // 0
                    continue         // 0
                }
            }
        }
    """)
    assert fn.cognitive == 6


def test_cognitive_boolean_sequences_and_parentheses_start_a_new_one():
    fns = metrics("""
        func Mixed(a, b, c, d, e, f bool) bool { return a && b && c || d || e && f }
        func Paren(a, b, c bool) bool { return a && (b && c) }
        func Neg(a, b, c bool) bool { return a && !(b && c) }
        func Same(a, b, c bool) bool { return a || b || c }
    """)
    assert fns["Mixed"].cognitive == 3, "&& then || then &&: 1 + 2 changes"
    assert fns["Paren"].cognitive == 2, "Go: the parenthesised && is a sequence of its own"
    assert fns["Neg"].cognitive == 2, "a negation starts a new sequence"
    assert fns["Same"].cognitive == 1, "one sequence of like operators"


def test_cognitive_recursion_adds_nothing():
    fn = one("""
        func Fact(n int) int {
            if n < 2 { return 1 }   // +1
            return n * Fact(n-1)    // recursion: 0
        }
    """)
    assert fn.cognitive == 1


# ---------------------------------------------------------------- lizard profile
@pytest.mark.parametrize("code, expected, why", [
    ("func F(x int) { switch x { case 1: case 2: default: } }", 3, "lizard counts `case`, not `default`"),
    ("func F(a, b bool) { if a && b {} else if b {} }", 4, "if, &&, if"),
    ("func F() { for { } ; f := func(a bool) { if a {} }; _ = f }", 2,
     "for; the literal is a function of its own in lizard too"),
    ("func F() { while := 1; _ = while }", 3, "lizard counts each word `while` as a token"),
])
def test_lizard_profile_counts_lizard_tokens(code, expected, why):
    fns = metrics(code, "lizard")
    assert fns["F"].cyclomatic == expected, why
