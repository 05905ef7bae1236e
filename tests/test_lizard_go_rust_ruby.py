"""Differential test of the `lizard` cyclomatic profile against lizard 1.24 itself for Go, Rust and Ruby.

The corpora are real code installed on the machine (never vendored): git's contrib Go client and
Debian's `golang-github-pkg-errors-dev`, Debian's `librust-regex-syntax-dev` (under
/usr/share/cargo/registry) and the Ruby standard library of `libruby3.1` (pulled in by `ruby`).
`make system-deps` installs them. The full-corpus figures come from bench/lizard_diff.py and are
in docs/metrics/{go,rust,ruby}.md; here a sample is checked against FLOORS.
"""

from __future__ import annotations

import glob
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

lizard = pytest.importorskip("lizard", reason="lizard (dev dependency) is the oracle")
from lizard_diff import compare_sources  # noqa: E402

# The spec's target is 99% for every language. Go and Ruby meet it (Ruby sample: 1441/1455 = 99.04%);
# Rust too since the lizard profile replays lizard's tokenizer (char literals read as lifetimes, see
# docs/metrics/rust.md): 98.7% before, 99.8% on regex-syntax after.
FLOORS = {"go": 0.99, "rust": 0.99, "ruby": 0.99}

CORPORA = {
    "go": (["/usr/share/doc/git/contrib/persistent-https/*.go",
            "/usr/share/gocode/src/github.com/pkg/errors/*.go"],
           "Debian packages git and golang-github-pkg-errors-dev"),
    "rust": (["/usr/share/cargo/registry/regex-syntax-*/src/**/*.rs"], "Debian package librust-regex-syntax-dev"),
    "ruby": (["/usr/lib/ruby/3.*/*.rb"], "Debian package ruby (libruby3.1: the Ruby standard library)"),
}


def _sources(patterns: list[str]) -> list[tuple[str, str]]:
    files = sorted({p for pattern in patterns for p in glob.glob(pattern, recursive=True)})
    return [(f, pathlib.Path(f).read_text(encoding="utf-8", errors="replace")) for f in files]


@pytest.mark.parametrize("language", sorted(CORPORA))
def test_lizard_profile_agrees_with_lizard_on_real_code(language):
    patterns, package = CORPORA[language]
    sources = _sources(patterns)
    if not sources:
        pytest.skip(f"no {language} corpus: install {package} (make system-deps)")
    result = compare_sources(language, sources)
    assert result.total >= 30, f"sample too small to mean anything: {result.total} functions"
    # every lizard function must be found by guardline on the same line (same function set)
    assert result.only_lizard <= result.total * 0.02, result.only_lizard
    floor = FLOORS[language]
    assert result.rate >= floor, (
        f"{language}: {result.same}/{result.total} identical = {result.rate:.2%} < {floor:.1%}; "
        "first differences:\n" + "\n".join(result.diffs[:20]))


SNIPPETS = {
    "go": """package m
func (s *S) F(a, b bool, x int) {
    if a && b || !a { }
    for i := 0; i < 3; i++ { }
    switch x { case 1: case 2: default: }
    g := func() { if a {} }
    _ = g
}
""",
    "rust": """impl S {
    fn f(&self, x: i32, o: Option<i32>) -> R {
        if x > 0 && x < 9 { } else if x == 3 { } else { }
        match x { 1 => {}, 2 if x > 1 => {}, _ => {} }
        let c = |y: i32| if y > 0 { 1 } else { 2 };
        while let Some(_) = o { }
        let Some(z) = o else { return Err(()) };
        g()?;
        Ok(())
    }
}
""",
    "ruby": """class A
  def f(a, b)
    if a && b
      g
    elsif a or b
      h
    end
    items.each do |i|
      next if i
    end
    x = a ? 1 : 2
    begin
      k
    rescue => e
      l
    end
    a ||= 3
  end
end
""",
}


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_lizard_profile_matches_lizard_on_every_rule_snippet(language):
    result = compare_sources(language, [(f"snippet.{language}", SNIPPETS[language])])
    assert result.total >= 1 and result.same == result.total, result.diffs


def _ruby_ccn(code: str) -> tuple[int, int]:
    """(lizard's CCN, guardline lizard-profile CCN) of the one method `f`-like function in code."""
    from metrics_helpers import functions
    theirs = lizard.analyze_file.analyze_source_code("x.rb", code).function_list
    ours = [fn for fn in functions(code, "ruby", "lizard").values() if fn.start_line == 1]
    return theirs[0].cyclomatic_complexity, ours[0].cyclomatic


# (code, expected CCN of the method on line 1, why): lizard 1.24.3 Ruby tokenizer/reader rules.
RUBY_TOKEN_CASES = [
    ("def f(a)\n  URI.for(a)\nend\n", 2, "a method named `for` is still the `for` token: +1"),
    ("def self.for(a)\n  a\nend\n", 2, "`def self.for`: the name comes after lizard opened the method: +1"),
    ("def for(a)\n  a\nend\n", 1, "`def for`: lizard counts the name before it opens the method"),
    ("def f\n  status = $?\nend\n", 2, "`$?` is `$` and a ternary `?` for lizard's tokenizer"),
    ("def f(a, b)\n  puts <<~EOS\n    value: #{a || b}\n  EOS\nend\n", 1,
     "heredoc text is read as code, where `#{` starts a comment: the `||` does not count"),
    ("def f(x)\n  x =~ /#{a || b}/\nend\n", 1,
     "a regex after `=~` is read as code, `#` starts a comment: the `||` does not count"),
    ("def f(x)\n  md = %r{(a{7,12})}.match(x)\n  y if x\nend\n", 1,
     "`%r{` ends at the first `}` (of `{7,12}`); the following `}` closes the method for lizard, "
     "so the later `if` is outside it"),
    ("def f(r)\n  last = r.end\n  y if r\nend\n", 1,
     "`r.end` is an `end` token: it closes the method for lizard, the later `if` is outside it"),
]


@pytest.mark.parametrize("code, expected, why", RUBY_TOKEN_CASES)
def test_ruby_lizard_tokenizer_rules(code, expected, why):
    theirs, ours = _ruby_ccn(code)
    assert theirs == expected, f"lizard itself changed: {why}"
    assert ours == expected, why
