"""Hand-worked examples for every Python rule of docs/metrics.md.

Each test names the increments that make up the expected number."""

from __future__ import annotations

import pytest

from metrics_helpers import functions, one


# ----------------------------------------------------------------------------- cyclomatic (guardline)
@pytest.mark.parametrize("code, expected, why", [
    ("def f():\n    return 1\n", 1, "no decisions: base 1"),
    ("def f(a):\n    if a:\n        pass\n    elif b:\n        pass\n    else:\n        pass\n", 3,
     "1 + if + elif; else does not count"),
    ("def f(a):\n    return 1 if a else 2\n", 2, "1 + ternary"),
    ("def f(a):\n    for x in a:\n        pass\n    else:\n        pass\n    while a:\n        pass\n", 3,
     "1 + for + while; loop else does not count"),
    ("def f():\n    try:\n        pass\n    except A:\n        pass\n    except B:\n        pass\n"
     "    else:\n        pass\n    finally:\n        pass\n", 3, "1 + two excepts; try/else/finally do not count"),
    ("def f(a, b, c):\n    return a and b or c\n", 3, "1 + and + or"),
    ("def f(a, b, c):\n    return a and b and c\n", 3, "one per operator occurrence: 1 + 2"),
    ("def f(a):\n    return [x for x in a if x if x > 1]\n", 4, "1 + comprehension for + 2 ifs"),
    ("def f(a):\n    with a:\n        assert a\n", 1, "with and assert do not count"),
    ("def f(a):\n    match a:\n        case 1:\n            pass\n        case 2:\n            pass\n"
     "        case _:\n            pass\n", 3, "1 + two cases; the wildcard is the default"),
    ("def f(a=1 if x else 2):\n    pass\n", 1, "default parameters do not count"),
    ("def f(a):\n    g = lambda: a if a else 0\n    return g\n", 1, "the lambda has its own score"),
])
def test_cyclomatic_guardline(code, expected, why):
    assert one(code, "python").cyclomatic == expected, why


def test_nested_function_excluded_from_parent_cyclomatic():
    found = functions("""
        def outer(a):
            if a:                # outer: +1
                pass
            def inner(b):
                if b and a:      # inner: +1 if, +1 and
                    pass
            return inner
    """, "python")
    assert found["outer"].cyclomatic == 2, "1 + if; inner's decisions are its own"
    assert found["outer.inner"].cyclomatic == 3, "1 + if + and"


# ----------------------------------------------------------------------------- cyclomatic (radon)
@pytest.mark.parametrize("code, expected, why", [
    ("def f(a):\n    for x in a:\n        pass\n    else:\n        pass\n", 3, "radon: for + its else"),
    ("def f():\n    try:\n        pass\n    except A:\n        pass\n    else:\n        pass\n", 3,
     "radon: handler + try-else"),
    ("def f(a):\n    assert a and b\n", 2, "radon: assert +1, its boolean not visited"),
    ("def f(a):\n    g = lambda: 1 if a else 2\n", 2, "radon: lambda decisions belong to the function"),
    ("def f(a):\n    match a:\n        case 1: pass\n        case x: pass\n", 2,
     "radon: cases minus one catch-all (a bare capture)"),
])
def test_cyclomatic_radon_profile(code, expected, why):
    assert one(code, "python", "radon").cyclomatic == expected, why


# ----------------------------------------------------------------------------- cognitive
def test_cognitive_white_paper_style_example():
    fn = one("""
        def sum_of_primes(maximum):
            total = 0
            for i in range(1, maximum):      # +1 (nesting 0)
                for j in range(2, i):        # +2 (nesting 1)
                    if i % j == 0:           # +3 (nesting 2)
                        break
                total += i
            return total
    """, "python")
    assert fn.cognitive == 6


def test_cognitive_if_elif_else_and_booleans():
    fn = one("""
        def f(a, b, c, d):
            if a and b or c:     # if +1, `and or` sequence +2
                pass
            elif d:              # elif +1 (no nesting penalty)
                pass
            else:                # else +1
                pass
    """, "python")
    assert fn.cognitive == 5


def test_cognitive_boolean_sequences_parentheses_and_not():
    # a and b and c: one sequence = +1; a and (b or c): parentheses start a new sequence in Python:
    # +1 (and) +1 (or) = 2; not (a or b) and c: +1 (and) +1 (or, inside not) = 2
    assert one("def f(a,b,c):\n    return a and b and c\n", "python").cognitive == 1
    assert one("def f(a,b,c):\n    return a and (b or c)\n", "python").cognitive == 2
    assert one("def f(a,b,c):\n    return not (a or b) and c\n", "python").cognitive == 2
    # a and b or c and d: and | or | and = 3 changes-counted operators
    assert one("def f(a,b,c,d):\n    return a and b or c and d\n", "python").cognitive == 3


def test_cognitive_try_with_do_not_nest_except_does():
    fn = one("""
        def f(a):
            try:                  # 0
                with a:           # 0, does not nest
                    if a:         # +1 (nesting 0)
                        pass
            except ValueError:    # +1 (nesting 0)
                if a:             # +2 (nesting 1)
                    pass
            else:                 # try-else: +1 (H)
                pass
            finally:              # 0
                pass
    """, "python")
    assert fn.cognitive == 5


def test_cognitive_loop_else_is_hybrid():
    fn = one("""
        def f(a):
            for x in a:           # +1
                pass
            else:                 # +1 (H)
                if x:             # +2 (nesting 1: inside the else)
                    pass
    """, "python")
    assert fn.cognitive == 4


def test_cognitive_match_nests_its_cases_without_increment():
    fn = one("""
        def f(a):
            match a:              # 0
                case 1:
                    if a:         # +2 (case bodies are nested one level)
                        pass
                case _:
                    pass
    """, "python")
    assert fn.cognitive == 2


def test_cognitive_ternary_and_comprehension():
    fn = one("""
        def f(a):
            x = [i for i in a if i]      # comprehensions add 0
            return 1 if x else 2         # ternary +1
    """, "python")
    assert fn.cognitive == 1


def test_cognitive_lambda_adds_nothing_and_does_not_nest():
    found = functions("""
        def f(a):
            g = lambda q: 1 if q else 2     # ternary +1 at nesting 0 (lambda does not nest)
            return g
    """, "python")
    assert found["f"].cognitive == 1
    assert found["f.g"].cognitive == 1, "the lambda is also reported on its own"


def test_cognitive_nested_def_counts_in_outer_with_nesting():
    found = functions("""
        def outer(a):
            def inner(b):
                if b:            # inner: +1; outer: +2 (nested def raises nesting)
                    pass
            if a:                # outer: +1
                pass
            return inner
    """, "python")
    assert found["outer.inner"].cognitive == 1
    assert found["outer"].cognitive == 3


def test_cognitive_decorator_wrapper_does_not_nest():
    found = functions("""
        def deco(fn):
            @functools.wraps(fn)
            def wrapper(*args):
                if args:           # +1 in wrapper and +1 in deco: a decorator's wrapper adds no nesting
                    pass
                return fn(*args)
            return wrapper
    """, "python")
    assert found["deco.wrapper"].cognitive == 1
    assert found["deco"].cognitive == 1


def test_cognitive_class_body_resets_nesting():
    """Sonar's Python analyser: a class body starts again at nesting 0 and a method directly in it is
    at level 0, but its increments still count toward the enclosing function (issue 17 changed this
    from 'not added'): factory = 1 (if a) + 1 (if b, nesting 0) = 2; m alone = 1."""
    found = functions("""
        def factory(a):
            if a:                        # +1
                class Local:
                    def m(self, b):
                        if b:            # +1 for m and +1 for factory (nesting reset to 0)
                            pass
                return Local
    """, "python")
    assert found["factory"].cognitive == 2
    assert found["factory.Local.m"].cognitive == 1


def test_cognitive_methods_of_a_local_class_count_in_the_outer_function():
    """outer = for +1, m's while +1 (level 0 in the class), its nested if +2, n's if +1 = 5;
    m alone = 3, n alone = 1 (Sonar's Python analyser, issue 17)."""
    found = functions("""
        def outer(xs):
            for x in xs:                 # +1
                pass
            class Helper:
                def m(self, a):
                    while a:             # +1 (nesting 0)
                        if a > 1:        # +2 (nesting 1)
                            a -= 1
                def n(self):
                    if self:             # +1
                        return 1
            return Helper
    """, "python")
    assert (found["outer"].cognitive, found["outer.Helper.m"].cognitive, found["outer.Helper.n"].cognitive) == \
        (5, 3, 1)


def test_cognitive_recursion_adds_nothing():
    assert one("def f(n):\n    return f(n - 1)\n", "python").cognitive == 0


# ----------------------------------------------------------------------------- functions and names
def test_function_names_lines_and_methods():
    found = functions("""
        class Shop:
            def buy(self):
                pass

            async def refund(self):
                pass

        double = lambda x: x * 2
        apply(lambda y: y)
    """, "python")
    assert set(found) == {"Shop.buy", "Shop.refund", "double", "<lambda>@10"}
    assert (found["Shop.buy"].start_line, found["Shop.buy"].end_line) == (3, 4)


def test_increments_are_listed_for_explain():
    fn = one("def f(a):\n    if a:\n        for x in a:\n            pass\n", "python")
    cognitive = [(i.line, i.construct, i.amount, i.nesting) for i in fn.increments if i.metric == "cognitive"]
    assert cognitive == [(2, "if", 1, 0), (3, "for", 2, 1)]


# ----------------------------------------------------------------------------- maintainability
def test_maintainability_index_degenerate_and_typical():
    from guardline.metrics.maintainability import maintainability_index

    # empty function: the log terms are guarded to 0, leaving (171 - 0.23*1) * 100/171 = 99.87
    assert maintainability_index(0.0, 1, 0) == pytest.approx(99.865, abs=0.001)
    # V=1000, G=10, L=50: (171 - 5.2*6.908 - 0.23*10 - 16.2*3.912) * 100/171 = 69.41 * 100/171 = 40.59
    assert maintainability_index(1000.0, 10, 50) == pytest.approx(40.59, abs=0.01)
    assert maintainability_index(1e12, 500, 100000) == 0.0, "clamped at 0"


def test_sloc_skips_blank_and_comment_lines():
    fn = one("def f(a):\n\n    # a comment\n    x = 1\n    return x\n", "python")
    assert fn.sloc == 3, "def line, assignment, return"
