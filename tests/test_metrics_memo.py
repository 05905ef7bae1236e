"""The per-function memo (doc.memo) the language server keeps across versions of an open file:
results with the memo must be identical to a fresh measurement after any edit, and unchanged
top-level functions must actually be reused rather than walked again."""

from __future__ import annotations

import random

import pytest

from guardline.metrics import compute_functions
from guardline.metrics.engine import MetricsWalker
from guardline.languages import get_spec
from guardline.parsing import parse

PYTHON = '''import os


def top(a, b=1 if os.sep else 2):
    """Doc.

    Blank line above is part of the docstring."""
    if a and b:       # comment
        for x in a:
            if x:
                return [lambda y: y or x for _ in b]
    return None


class Service:
    def run(self, items):
        total = 0
        for item in items:
            try:
                total += item
            except TypeError:
                continue
        return total

    def check(self, value):
        return value is not None and value > 0 or False
'''

TYPESCRIPT = '''export function handler(request: Record<string, string>, retries = 3): number {
  let count = 0;
  for (const key of Object.keys(request)) {
    if (key && retries > 0) {
      count += [1, 2].map((x) => x > 1 ? x : 0).length;
    }
  }
  return count;
}

export class Service {
  run(items: number[]): number {
    return items.filter((i) => i > 0 || i < -10).reduce((a, b) => a + b, 0);
  }
}
'''

GO = '''package main

func Sum(xs []int) int {
	total := 0
	for _, x := range xs {
		if x > 0 && x < 100 {
			total += x
		}
	}
	return total
}

func Apply(f func(int) int, x int) int {
	g := func(y int) int { if y > 0 { return f(y) }; return 0 }
	return g(x)
}
'''


def signature(doc) -> tuple:
    functions, totals = compute_functions(doc)
    rows = [(f.qualified_name, f.start_line, f.end_line, f.start_byte, f.end_byte, f.name_line,
             f.name_column, f.cyclomatic, f.cognitive, f.sloc, round(f.halstead_volume, 6),
             round(f.maintainability, 6),
             [(i.metric, i.line, i.construct, i.amount, i.nesting, i.column) for i in f.increments])
            for f in functions]
    return rows, (totals.sloc, totals.cyclomatic_total, round(totals.halstead_volume, 6),
                  round(totals.maintainability, 6))


def random_edit(text: str, rnd: random.Random, language: str) -> str:
    lines = text.split("\n")
    row = rnd.randrange(len(lines))
    kind = rnd.choice(["append", "trim", "blank line", "condition", "delete line"])
    if kind == "append":
        lines[row] += " x"
    elif kind == "trim":
        lines[row] = lines[row][:-1]
    elif kind == "blank line":
        lines.insert(row, "")
    elif kind == "delete line" and len(lines) > 3:
        del lines[row]
    else:
        indent = lines[row][:len(lines[row]) - len(lines[row].lstrip())]
        statement = {"python": "if a and b: pass", "typescript": "if (a && b) { f(); }",
                     "go": "if a && b { f() }"}[language]
        lines.insert(row, indent + statement)
    return "\n".join(lines)


@pytest.mark.parametrize("language,text", [("python", PYTHON), ("typescript", TYPESCRIPT), ("go", GO)])
def test_results_with_the_memo_equal_a_fresh_measurement_after_random_edits(language, text):
    # 150 random edits (including ones that break the syntax and ones that shift every later
    # function by a row): every version measured with the memo must equal a measurement from scratch.
    rnd = random.Random(7)
    memo: dict = {}
    for _ in range(150):
        text = random_edit(text, rnd, language)
        with_memo = parse(text, language)
        with_memo.memo = memo
        assert signature(with_memo) == signature(parse(text, language))


def test_unchanged_top_level_functions_are_replayed_not_walked():
    # Editing the body of `Service.check` leaves `top` and `Service.run` unchanged: exactly those two
    # top-level functions (with the lambda nested in `top`) come from the memo; `check` is walked.
    memo: dict = {}
    spec = get_spec("python")
    first = parse(PYTHON, "python")
    MetricsWalker(spec, first.source, memo=memo).walk(first.root)
    functions = [key for key in memo if key[0] == "function_definition"]
    top_level = [key for key in memo if key[0] == ("top-level",)]
    assert len(functions) == 3, "top, Service.run, Service.check"
    assert top_level == [], "each of the two top-level children is over a quarter of the file"
    edited = parse(PYTHON.replace("value > 0", "value > 1"), "python")
    walker = MetricsWalker(spec, edited.source, memo=memo)
    states = walker.walk(edited.root)
    replayed = sorted(s.metrics.qualified_name for s in states if s.node_id == -1)
    assert replayed == ["Service.run", "top", "top.<lambda>@11"]


def test_small_top_level_children_are_memoised_whole_and_a_big_one_is_not():
    """The root's children spanning lines are memoised whole (functions, tokens, comments) when each is
    at most a quarter of the file; a child that is most of the file (one big class) is not: nearly
    every edit changes it, and storing it on every keystroke cost more than its replays saved."""
    spec = get_spec("python")
    small = "".join(f"def f{n}(a):\n    # note\n    return a and {n}\n\n" for n in range(8))
    memo: dict = {}
    first = parse(small, "python")
    MetricsWalker(spec, first.source, memo=memo).walk(first.root)
    assert len([key for key in memo if key[0] == ("top-level",)]) == 8
    edited = parse(small.replace("return a and 3", "return a or 3"), "python")
    walker = MetricsWalker(spec, edited.source, memo=memo)
    states = walker.walk(edited.root)
    assert [s.metrics.name for s in states if s.node_id != -1] == ["f3"], "only the edited child is walked"
    assert walker.comments and len(walker.comments) == 8, "the replayed children's comments came back"
    big = "class Big:\n" + "".join(f"    def m{n}(self):\n        return {n}\n" for n in range(8))
    memo = {}
    doc = parse(big + "x = 1\n", "python")
    MetricsWalker(spec, doc.source, memo=memo).walk(doc.root)
    assert [key for key in memo if key[0] == ("top-level",)] == []
    assert len(memo) == 8, "its methods are still memoised one by one"


def test_a_function_moved_down_by_a_line_is_replayed_with_shifted_lines():
    memo: dict = {}
    first = parse(PYTHON, "python")
    first.memo = memo
    before = {f.qualified_name: f for f in compute_functions(first)[0]}
    moved = parse("# new first line\n" + PYTHON, "python")
    moved.memo = memo
    after = {f.qualified_name.replace("@12", "@11"): f for f in compute_functions(moved)[0]}
    # every function is one line lower, its lambda renamed after its new line, metrics unchanged
    assert after["top"].start_line == before["top"].start_line + 1
    assert "top.<lambda>@12" in {f.qualified_name for f in compute_functions(moved)[0]}
    assert [i.line for i in after["Service.run"].increments] == \
        [i.line + 1 for i in before["Service.run"].increments]
    # for +1, except +2 (nested in the for; `try` itself adds nothing), plain continue +0
    assert after["Service.run"].cognitive == before["Service.run"].cognitive == 3


def test_the_memo_is_ignored_by_the_oracle_profiles():
    # radon and lizard profiles inspect every token and keep lizard's cross-function spans: no memo
    doc = parse(PYTHON, "python")
    doc.memo = {}
    compute_functions(doc, "radon")
    compute_functions(doc, "lizard")
    assert doc.memo == {}


@pytest.mark.parametrize("profile", ["guardline", "radon", "lizard"])
def test_a_walk_leaves_nothing_for_the_cycle_collector(profile):
    """A walk's contexts and frames refer to each other; they are cut apart when the walk ends, so they
    are freed at once. Left to the cycle collector, the thousands a keystroke leaves made a collection
    land on a keystroke every few dozen, at 7-28 ms each."""
    import gc
    text = "class A:\n    def m(self, x):\n        f = lambda y: y and x\n        return [f(i) for i in x if i]\n" * 20
    doc = parse(text, "python")
    doc.memo = {}
    gc.collect()
    gc.disable()
    try:
        compute_functions(doc, profile)
        compute_functions(doc, profile)     # the second replays from the memo
        assert gc.collect() == 0
    finally:
        gc.enable()


def _exact(doc) -> tuple:
    functions, totals = compute_functions(doc)
    return [(f.qualified_name, f.start_line, f.end_line, f.start_byte, f.end_byte, f.name_line, f.name_column,
             f.name_end_column, f.cyclomatic, f.cognitive, f.sloc, f.halstead_volume, f.maintainability,
             [(i.metric, i.line, i.construct, i.amount, i.nesting, i.column) for i in f.increments])
            for f in functions], (totals.sloc, totals.cyclomatic_total, totals.halstead_volume, totals.maintainability)


@pytest.mark.parametrize("path", __import__("test_blob_versions").SAMPLES, ids=lambda path: path.name)
def test_top_level_replays_equal_a_fresh_measurement_in_every_language(path):
    """The root's unchanged children replayed from the memo (with the functions, tokens, comments,
    multi-line tokens and module-level decisions they hold), in nine languages, over versions that
    delete, copy and change lines, open ignored regions and break the syntax: every float equal, not
    close, to a measurement from scratch."""
    from guardline.languages import detect_language
    from test_blob_versions import _versions
    language = detect_language(str(path)) or ""
    memo: dict = {}
    for text in _versions(path.read_text(encoding="utf-8"), language, count=15):
        doc = parse(text, language)
        doc.memo = memo
        assert _exact(doc) == _exact(parse(text, language))
    # the last version once more: its functions come from the memo (none walked) unless their
    # top-level child holds a syntax error (never memoised)
    states = MetricsWalker(get_spec(language), doc.source, memo=memo).walk(doc.root)
    walked = [s for s in states if s.node_id != -1]
    assert len(walked) < len(states)
    assert all(any(child.has_error and child.start_byte <= s.metrics.start_byte < child.end_byte
                   for child in doc.root.children) for s in walked)
