"""TypeScript and TSX metrics: JavaScript's rules plus type-level syntax (hand-worked examples)."""

from metrics_helpers import functions, one


def test_typescript_functions_and_signatures():
    found = functions("""
    interface I { m(): void }                 // signature: no function
    declare function ext(): void;             // ambient: no function
    function over(a: string): void;           // overload signature: no function
    function over(a: any) {}
    abstract class Base {
      abstract run(): void;                   // abstract: no function
      private handler = (e: Event): void => {};
      constructor(public y: number = 1) {}
    }
    """, "typescript")
    assert set(found) == {"over", "Base.handler", "Base.constructor"}, set(found)


def test_typescript_types_add_no_decisions():
    fn = one("""
    function f<T>(a?: string, b: T | null = null): T extends string ? 1 : 2 {
      if (a) {}                 // +1 if; optional `?` and the conditional type add nothing
      return (a ?? b) as any;   // ?? 0
    }
    """, "typescript")
    assert fn.cyclomatic == 2
    assert fn.cognitive == 1


def test_typescript_cognitive_like_javascript():
    fn = one("""
    function f(xs: number[], a: boolean, b: boolean): number {
      for (const x of xs) {           // +1
        if (a && b || !a) {}          // +2 if (nesting 1), +2 (&& then ||)
      }
      return a ? 1 : 0;               // +1
    }
    """, "typescript")
    assert fn.cognitive == 1 + 2 + 2 + 1, fn.increments


def test_tsx_components_and_jsx_short_circuit():
    found = functions("""
    const List = ({ items }: { items: string[] }) => (
      <ul>{items.length > 0 && items.map(i => <li>{i}</li>)}</ul>   // && +1 cyclomatic and cognitive
    );
    """, "tsx")
    assert found["List"].cyclomatic == 2
    assert found["List"].cognitive == 1
    assert "List.<lambda>@3" in found   # qualified by the enclosing function


def test_lizard_typescript_and_tsx_question_tokens():
    code = """
    function f(a?: string, n: number = 0) {   // ts: `a?` is one token (0); default +1
      return a ? n : 0;                       // +1 ternary
    }
    """
    assert one(code, "typescript", "lizard").cyclomatic == 3
    # lizard's TSX tokenizer has no `word?` token: the optional `?` counts as well
    assert one(code, "tsx", "lizard").cyclomatic == 4
