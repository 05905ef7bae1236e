"""Rust metric rules (docs/metrics/rust.md): hand-worked examples, each states its number and why."""

from __future__ import annotations

import textwrap

import pytest

from guardline.metrics import compute_functions
from guardline.parsing import parse


def metrics(code: str, profile: str = "guardline") -> dict:
    functions, _ = compute_functions(parse(textwrap.dedent(code), "rust"), profile)
    return {f.qualified_name: f for f in functions}


def one(code: str, profile: str = "guardline"):
    functions = metrics(code, profile)
    assert len(functions) == 1, list(functions)
    return next(iter(functions.values()))


# ---------------------------------------------------------------- functions and names
def test_fns_impl_and_trait_methods_and_closures_are_reported():
    fns = metrics("""\
        fn top() {}
        impl<T> Display for Stack<T> {
            fn fmt(&self) {
                let show = |x: i32| x + 1;
                items.iter().map(|i| i * 2);
            }
        }
        trait Shape {
            fn area(&self) -> f64;
            fn describe(&self) {}
        }
    """)
    # impl methods take the implementing type (not the trait); a trait's default method takes the
    # trait; a body-less signature is not a function; closures: `let` name or <lambda>@LINE, inside
    # the method's name (the impl type qualifies the method only)
    assert set(fns) == {"top", "Stack.fmt", "fmt.show", "fmt.<lambda>@5", "Shape.describe"}


# ---------------------------------------------------------------- cyclomatic (guardline)
def test_cyclomatic_if_if_let_else_if_loops_and_booleans():
    fn = one("""\
        fn f(a: bool, b: bool, o: Option<i32>) {
            if a && b || !a {}          // if, &&, ||
            else if let Some(x) = o {}  // else if (if let)
            else {}                     // 0
            while let Some(_) = o {}    // while let
            for i in 0..3 {}            // for
            loop { break; }             // loop
            while a {}                  // while
        }
    """)
    assert fn.cyclomatic == 9, "1 + if + && + || + else-if + while-let + for + loop + while"


def test_cyclomatic_match_arms_except_wildcard_and_no_question_mark():
    fn = one("""\
        fn f(x: i32) -> Result<(), E> {
            g()?;                     // `?`: 0
            match x {
                1 => {}               // +1
                2 | 3 => {}           // +1
                n if n > 9 => {}      // +1 (a guard is not a default)
                _ => {}               // default: 0
            }
            Ok(())
        }
    """)
    assert fn.cyclomatic == 4


def test_cyclomatic_closure_decisions_are_its_own():
    fns = metrics("""\
        fn f() {
            let check = |a: bool| if a { 1 } else { 2 };
        }
    """)
    assert fns["f"].cyclomatic == 1, "the closure's if is not f's"
    assert fns["f.check"].cyclomatic == 2


# ---------------------------------------------------------------- cognitive
def test_cognitive_if_let_else_if_else_and_nesting():
    fn = one("""\
        fn f(o: Option<i32>, a: bool) {
            if let Some(x) = o {        // +1
                while let Some(_) = o { // +2 (nesting 1)
                    if a {}             // +3 (nesting 2)
                }
            } else if a {               // +1 (H)
            } else {                    // +1 (H)
            }
        }
    """)
    assert fn.cognitive == 8


def test_cognitive_match_once_loop_and_question_mark():
    fn = one("""\
        fn f(x: i32) -> Result<i32, E> {
            match x {                 // +1 once for the whole match
                1 => if x > 0 {},     // +2 (arms are nested: nesting 1)
                2 => {}
                _ => {}
            }
            loop {                    // +1
                g()?;                 // `?`: 0
                break;                // plain break: 0
            }
            Ok(x)
        }
    """)
    assert fn.cognitive == 4


def test_cognitive_closure_nests_and_counts_in_the_enclosing_fn():
    fns = metrics("""\
        fn f(a: bool) {
            if a {                                   // f: +1
                let g = || if a { 1 } else { 2 };    // f: if +3 (if 1 + closure 1), else +1; g: +2
            }
        }
    """)
    assert fns["f"].cognitive == 5
    assert fns["f.g"].cognitive == 2


def test_cognitive_labelled_break_and_continue_are_flat():
    fn = one("""\
        fn f() {
            'outer: for i in 0..3 {      // +1
                for j in 0..3 {          // +2
                    break 'outer;        // +1
                    continue 'outer;     // +1
                    continue;            // 0
                }
            }
        }
    """)
    assert fn.cognitive == 5


def test_cognitive_boolean_sequences_parentheses_are_transparent():
    fns = metrics("""\
        fn mixed(a: bool, b: bool, c: bool, d: bool, e: bool, f: bool) -> bool { a && b && c || d || e && f }
        fn paren(a: bool, b: bool, c: bool) -> bool { a && (b && c) }
        fn neg(a: bool, b: bool, c: bool) -> bool { a && !(b && c) }
    """)
    assert fns["mixed"].cognitive == 3, "&& || &&: 1 + 2 changes"
    assert fns["paren"].cognitive == 1, "Rust: parentheses do not start a new sequence"
    assert fns["neg"].cognitive == 2, "a negation starts a new sequence"


# ---------------------------------------------------------------- lizard profile
@pytest.mark.parametrize("code, expected, why", [
    ("fn f(x: i32) { match x { 1 => {}, 2 => {}, _ => {} } }", 3, "lizard: every arm after the first"),
    ("fn f() -> R { g()?; h()?; Ok(()) }", 3, "lizard counts each `?`"),
    ("fn f() { loop {} }", 1, "lizard does not count `loop`"),
    ("fn f<T>(t: T) where T: Clone { }", 2, "lizard counts `where`, even in the signature"),
    ("fn f(o: Option<i32>) { let Some(x) = o else { return }; }", 2, "lizard counts let-else's else"),
    ("fn f(a: bool) { let g = |b: bool| if b {}; let h = || 1; }", 3,
     "closures are not lizard functions: their `if` and the `||` of an empty parameter list are f's"),
    ("fn f(a: bool) { if a {} else if a {} else {} }", 3, "if, if; a plain else is not counted"),
])
def test_lizard_profile(code, expected, why):
    fns = metrics(code, "lizard")
    assert fns["f"].cyclomatic == expected, why


# lizard's Rust tokenizer tries lifetimes (`'\w+\b`) before strings: `'0'` is the lifetime `'0` followed by a
# quote that opens a string running to the next quote. What that imagined string swallows lizard never sees.
IMAGINED_STRINGS = textwrap.dedent("""\
    fn is_hex(c: char) -> bool {
        ('0' <= c && c <= '9') || ('a' <= c && c <= 'f')
    }

    fn plain(a: i32) -> i32 {
        if a > 0 && a < 10 { 1 } else { 2 }
    }

    fn after(x: i32) -> i32 {
        // it's the last one: if this were code it would count
        if x > 1 { x } else { 0 }
    }
    """)


def test_lizard_profile_reads_char_literals_as_lizard_does():
    """`'0' <= c && c <= '9'`: the `&&` and `||` of is_hex sit inside imagined strings ('0 then
    `' <= c && c <= '`, 9 then `') || ('`, ...); the last one, opened by `'f'`'s closing quote, swallows
    plain() (its `fn` too, so lizard never sees that function) and ends at the apostrophe of "it's" in
    after()'s comment, whose `fn` was swallowed as well. From there lizard reads the rest of the comment
    as code (`if` +1) and then `if x > 1` (+1), all inside is_hex, whose braces it never saw close:
    is_hex = 1 + 2 = 3, as lizard 1.24 itself reports (lines 1-12, the only function it finds)."""
    fns = metrics(IMAGINED_STRINGS, "lizard")
    assert fns["is_hex"].cyclomatic == 3
    assert fns["plain"].cyclomatic == 1 and fns["after"].cyclomatic == 1, "their decisions are is_hex's"
    assert metrics(IMAGINED_STRINGS)["plain"].cyclomatic == 3, "the guardline profile reads the real code"


def test_lizard_profile_token_view_equals_lizards_tokenizer():
    """The profile's copy of lizard's Rust tokenizer starts its tokens where lizard's does, on this
    source and on every file of the Rust corpus on the machine (when lizard and the corpus are there)."""
    lizard_rust = pytest.importorskip("lizard_languages.rust", reason="lizard (dev dependency) is the oracle")
    from guardline.metrics.profiles.lizard.rust import _tokens

    import glob
    sources = [IMAGINED_STRINGS] + [open(path, encoding="utf-8", errors="replace").read()
                                    for path in sorted(glob.glob("/usr/share/cargo/registry/**/*.rs", recursive=True))[:40]]
    for text in sources:
        starts, offset = [], 0
        for token in lizard_rust.RustReader.generate_tokens(text):
            starts.append(offset)
            offset += len(token)
        assert [start for start, _ in _tokens(text)] == starts
