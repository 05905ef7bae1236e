"""Suppression comments: ignore[...], bare ignore, function first line, ceilings, noqa, NOSONAR, nosec, stale."""

from __future__ import annotations

import textwrap

from guardline.model import Finding
from guardline.parsing import parse
from guardline.suppressions import STALE_RULE, apply_suppressions, parse_suppressions


def finding(rule: str, line: int, category: str = "security", **data) -> Finding:  # noqa: ANN003
    return Finding(rule=rule, category=category, severity="warning", start_line=line, end_line=line,
                   message=f"{rule} at {line}", data=dict(data))


def run(code: str, findings: list[Finding], spans=(), language: str = "python", **kw):  # noqa: ANN001, ANN003
    doc = parse(textwrap.dedent(code).lstrip("\n"), language)
    return apply_suppressions(findings, parse_suppressions(doc), list(spans), **kw)


def test_ignore_rule_on_the_line() -> None:
    kept, stale = run("eval(x)  # guardline: ignore[py-eval]\neval(y)\n",
                      [finding("py-eval", 1), finding("py-eval", 2)])
    assert [f.start_line for f in kept] == [2] and stale == [], "only line 1 is suppressed"


def test_ignore_list_and_bare_ignore() -> None:
    code = "a()  # guardline: ignore[py-eval, py-os-system]\nb()  # guardline: ignore\n"
    kept, stale = run(code, [finding("py-eval", 1), finding("py-os-system", 1), finding("cognitive", 2, "complexity")])
    assert kept == [] and stale == []


def test_ignore_other_rule_does_not_suppress_and_is_stale() -> None:
    kept, stale = run("eval(x)  # guardline: ignore[py-os-system]\n", [finding("py-eval", 1)])
    assert [f.rule for f in kept] == ["py-eval"]
    assert [s.rule for s in stale] == [STALE_RULE] and stale[0].severity == "hint"
    assert stale[0].category == "maintainability" and "py-os-system" in stale[0].message


def test_function_first_line_covers_the_body() -> None:
    code = """
        def handler(x):  # guardline: ignore[py-eval]
            y = 1
            return eval(x)
        eval(z)
    """
    kept, stale = run(code, [finding("py-eval", 3), finding("py-eval", 4)], spans=[(1, 3)])
    assert [f.start_line for f in kept] == [4], "line 3 is inside the function whose first line ignores py-eval"
    assert stale == []


def test_comment_only_line_above_applies_to_next_line() -> None:
    code = """
        # guardline: ignore[cognitive]
        def busy():
            pass
    """
    kept, _ = run(code, [finding("cognitive", 2, "complexity", value=30, limit=15)], spans=[(2, 3)])
    assert kept == []


def test_ceiling_suppresses_at_or_below_and_fires_above() -> None:
    code = "def f():  # guardline: allow cognitive<=25, cyclomatic<=12\n    pass\n"
    below = finding("cognitive", 1, "complexity", value=25, limit=15)
    above = finding("cognitive", 1, "complexity", value=26, limit=15)
    cyclo = finding("cyclomatic", 1, "complexity", value=13, limit=10)
    kept, stale = run(code, [below, above, cyclo], spans=[(1, 2)])
    assert kept == [above, cyclo], "25 <= 25 suppressed; 26 and cyclomatic 13 > 12 still fire"
    assert above.data["ceiling"] == 25 and "ceiling" in above.message
    assert stale == [], "a ceiling that still governs an exceeding finding is not stale"


def test_maintainability_floor() -> None:
    code = "def f():  # guardline: allow maintainability>=5\n    pass\n"
    ok = finding("maintainability", 1, "maintainability", value=7.5, limit=10)
    bad = finding("maintainability", 1, "maintainability", value=3.0, limit=10)
    kept, _ = run(code, [ok, bad], spans=[(1, 2)])
    assert kept == [bad], "MI 7.5 >= floor 5 is accepted; 3.0 below the floor fires"


def test_noqa_c901_only_cyclomatic() -> None:
    code = "def f():  # noqa: C901\n    pass\n"
    kept, _ = run(code, [finding("cyclomatic", 1, "complexity", value=20, limit=10),
                         finding("cognitive", 1, "complexity", value=20, limit=15)])
    assert [f.rule for f in kept] == ["cognitive"]


def test_nosonar_anything_on_that_line_only() -> None:
    code = "def f():  # NOSONAR\n    eval(x)\n"
    kept, _ = run(code, [finding("cognitive", 1, "complexity"), finding("py-eval", 2)], spans=[(1, 2)])
    assert [f.start_line for f in kept] == [2], "NOSONAR is line-scoped, not function-scoped"


def test_nosec_bare_and_with_bandit_id() -> None:
    code = """
        import subprocess
        subprocess.run(c, shell=True)  # nosec B602
        subprocess.run(c, shell=True)  # nosec B101
        os.system(c)  # nosec
    """
    kept, stale = run(code, [finding("py-subprocess-shell", 2), finding("py-subprocess-shell", 3),
                             finding("py-os-system", 4), finding("cognitive", 4, "complexity")])
    # B602 maps to py-subprocess-shell; B101 does not; bare nosec covers security findings only
    assert [(f.rule, f.start_line) for f in kept] == [("py-subprocess-shell", 3), ("cognitive", 4)]
    assert stale == [], "foreign (migration) directives are not reported stale by default"
    _, stale = run(code, [], stale_foreign=True)
    assert len(stale) == 3


def test_strings_are_not_comments() -> None:
    code = 's = "guardline: ignore"\neval(x)\n'
    kept, stale = run(code, [finding("py-eval", 1)])
    assert len(kept) == 1 and stale == [], "a directive inside a string literal does not count"


def test_other_languages_and_block_comments() -> None:
    code = "/* guardline: ignore[js-eval] */ eval(x);\nfoo(); // guardline: ignore[js-weak-hash]\n"
    kept, stale = run(code, [finding("js-eval", 1)], language="javascript")
    assert kept == [] and [s.start_line for s in stale] == [2]
    kept, _ = run("# guardline: ignore[rb-eval]\neval(x)\n", [finding("rb-eval", 2)], language="ruby")
    assert kept == []


def test_plain_text_fallback() -> None:
    suppressions = parse_suppressions("x = 1  # guardline: ignore[py-eval]\n")
    kept, _ = apply_suppressions([finding("py-eval", 1)], suppressions, [])
    assert kept == []
