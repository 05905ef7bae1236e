"""JavaScript metrics: hand-worked examples for every rule of docs/metrics/javascript-typescript.md."""

from metrics_helpers import functions, one

LANG = "javascript"


def test_function_kinds_and_names():
    code = """
    function decl() {}
    function* gen() {}
    const arrow = () => 1;
    const expr = function () {};
    obj.prop = function () {};
    class Box {
      constructor() {}
      get size() { return 1 }
      set size(v) {}
      static make() {}
      field = () => 2;
    }
    const o = { m() {}, k: () => 3 };
    [1].map(x => x);
    """
    names = set(functions(code, LANG))
    # anonymous functions take their variable/property/field name; methods are Class.method;
    # an unassigned arrow is <lambda>@LINE
    assert {"decl", "gen", "arrow", "expr", "obj.prop", "Box.constructor", "Box.size", "Box.make",
            "Box.field", "m", "k", "<lambda>@15"} <= names, names


def test_cyclomatic_every_decision():
    fn = one("""
    function f(a, b, xs) {
      if (a) {}                 // +1 if
      else if (b) {}            // +1 else if
      else {}                   // else: 0
      const t = a ? 1 : 2;      // +1 ternary
      for (let i = 0; i < 1; i++) {}   // +1 for
      for (const k in xs) {}    // +1 for-in
      for (const v of xs) {}    // +1 for-of
      while (a) {}              // +1 while
      do {} while (b);          // +1 do-while
      switch (a) { case 1: break; case 2: break; default: }  // +2 cases, default 0
      try {} catch (e) {} finally {}   // +1 catch; try/finally 0
      return a && b || c;       // +2 (one per && / ||)
    }
    """, LANG)
    assert fn.cyclomatic == 1 + 13, fn.increments


def test_cyclomatic_ignores_nullish_optional_chaining_and_logical_assignment():
    fn = one("""
    function f(a, b) {
      a ??= b; a ||= b; a &&= b;   // logical assignments: 0
      return a?.b ?? b;            // ?. and ??: 0
    }
    """, LANG)
    assert fn.cyclomatic == 1


def test_nested_function_excluded_from_parent():
    found = functions("""
    function outer(a) {
      if (a) {}                    // +1 for outer
      const inner = () => a && a;  // +1 for inner only
    }
    """, LANG)
    assert found["outer"].cyclomatic == 2
    assert found["outer.inner"].cyclomatic == 2


def test_cognitive_structures_and_nesting():
    fn = one("""
    function f(a, b, xs) {
      if (a) {                      // +1 (nesting 0)
        for (const x of xs) {       // +2 (nesting 1)
          while (b) {}              // +3 (nesting 2)
        }
      } else if (b) {               // +1 else if (H)
      } else {                      // +1 else (H)
      }
      try {                         // try: 0, no nesting
        if (a) {}                   // +1 (nesting 0)
      } catch (e) {                 // +1 catch (nesting 0)
        if (b) {}                   // +2 (nesting 1)
      } finally {}
      return a ? 1 : 2;             // +1 ternary
    }
    """, LANG)
    assert fn.cognitive == 1 + 2 + 3 + 1 + 1 + 1 + 1 + 2 + 1, fn.increments


def test_cognitive_switch_once_with_nested_cases():
    fn = one("""
    function f(a) {
      switch (a) {          // +1 switch (once)
        case 1:
          if (a) {}         // +2 (nesting 1 inside the switch)
          break;            // plain break: 0
        case 2:
        default:
      }
    }
    """, LANG)
    assert fn.cognitive == 3, fn.increments


def test_cognitive_boolean_sequences():
    fn = one("""
    function f(a, b, c, d, e, g) {
      return a && b && c || d || e && g;   // && || && : 3
    }
    """, LANG)
    assert fn.cognitive == 3
    fn = one("""
    function f(a, b, c) {
      return a && !(b && c) && (a || b) ?? c;  // a && ... && (parens skipped) => "&& ||" is 2,
    }                                          // !(b && c) starts a new one: +1; ?? 0 => 3
    """, LANG)
    assert fn.cognitive == 3, fn.increments


def test_cognitive_labelled_jumps_flat():
    fn = one("""
    function f(xs) {
      outer: for (const x of xs) {   // +1 loop
        for (const y of xs) {        // +2 loop (nesting 1)
          if (y) continue outer;     // +3 if (nesting 2), +1 labelled continue
          if (x) break;              // +3 if, plain break 0
        }
      }
    }
    """, LANG)
    assert fn.cognitive == 1 + 2 + 3 + 1 + 3, fn.increments


def test_cognitive_each_function_on_its_own():
    found = functions("""
    function outer(a) {
      if (a) {                        // outer: +1
        const inner = (b) => {
          if (b) {}                   // inner: +1 (nesting starts at 0), not added to outer
        };
      }
    }
    """, LANG)
    assert found["outer"].cognitive == 1
    assert found["outer.inner"].cognitive == 1


def test_cognitive_jsx_short_circuit_counts():
    fn = one("""
    function View(p) {
      return <div>{p.show && <span/>}{p.a || p.b}</div>;   // two sequences: +1 +1
    }
    """, LANG)
    assert fn.cognitive == 2


def test_lizard_profile_token_rules():
    fn = one("""
    function f(a, b = 1, {c = 2} = {}) {   // lizard: +1 per default (b, c, and the object default)
      if (a) {}                            // +1 if
      return a ?? b ? `${a ? 1 : 2}` : 0;  // +1 ??, +1 ?, the template's ${...} is opaque
    }
    """, LANG, "lizard")
    assert fn.cyclomatic == 1 + 3 + 1 + 2, fn.increments


def test_lizard_profile_arrow_ends_at_new_line():
    found = functions("""
    function outer(a) {
      const g = (x) =>
        x && a;      // lizard closes g at the line break: the && counts in outer
    }
    """, LANG, "lizard")
    assert found["outer.g"].cyclomatic == 1
    assert found["outer"].cyclomatic == 2


def test_deep_nesting_does_not_recurse():
    code = "function f(a) {" + "if (a) {" * 3000 + "}" * 3000 + "}"
    fn = one(code, LANG)
    assert fn.cyclomatic == 3001
