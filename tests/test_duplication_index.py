"""Clone index: exact / renamed / near-miss clones, nesting, imports, ignore regions, shadows, removal."""

from __future__ import annotations

import textwrap

import pytest

from guardline.config import Config
from guardline.duplication import CloneIndex, analyze_document, clone_findings, tokenize
from guardline.duplication.tokens import BLOCK_CLOSE, BLOCK_OPEN
from guardline.parsing import parse


def body(prefix: str = "v", n: int = 8, indent: str = "    ") -> str:
    """n distinct statements of ~12 tokens each, one per line."""
    return "\n".join(f"{indent}{prefix}{i} = compute({prefix}_in, {i}) + offset * {i + 1}"
                     for i in range(n))


def func(name: str, prefix: str = "v", n: int = 8) -> str:
    return f"def {name}({prefix}_in, offset):\n{body(prefix, n)}\n    return {prefix}0\n"


def toks(text: str, language: str = "python"):
    return tokenize(parse(text, language))


def make_index(config: Config | None = None, **files: str) -> CloneIndex:
    index = CloneIndex(None, config or Config())
    for name, text in files.items():
        index.add(f"/ws/{name}.py", toks(text))
    return index


def near_miss_config() -> Config:
    return Config().with_overrides({"duplication": {"near_miss": True}})


def test_exact_clone_across_files():
    shared = func("shared")
    index = make_index(a=shared, b="x = 1\n\n\n" + shared)
    clones = index.query("/ws/a.py")
    assert len(clones) == 1, "one shared function -> one clone pair"
    clone = clones[0]
    assert clone.kind == "exact"
    assert (clone.a.start_line, clone.a.end_line) == (1, 10), "whole function: def line to return line"
    assert (clone.b.path, clone.b.start_line, clone.b.end_line) == ("/ws/b.py", 4, 13), "shifted by 3 lines"
    assert clone.tokens >= 50


def test_clone_within_one_file():
    index = make_index(a=func("first") + "\n\n" + func("second").replace("second", "first"))
    clones = index.query("/ws/a.py")
    assert [(c.a.start_line, c.b.start_line) for c in clones] == [(1, 13)], \
        "the second copy starts after the first one's 10 lines and 2 blank lines; reported once, not mirrored"
    assert clones[0].b.path == "/ws/a.py"


def test_small_blocks_are_not_clones():
    index = make_index(a=func("f", n=2), b=func("f", n=2))
    assert index.query("/ws/a.py") == [], "~40 tokens is under the 50-token minimum"


def test_renamed_clone_needs_100_tokens_and_consistent_mapping():
    original = func("original", "v", n=10)
    renamed = func("renamed", "w", n=10)   # every identifier renamed one-to-one
    index = make_index(a=original, b=renamed)
    clones = index.query("/ws/a.py")
    assert [c.kind for c in clones] == ["renamed"], "consistent renaming of a 12-line, 130-token function"
    assert clones[0].lines == 12
    short = make_index(a=func("a", "v", n=5), b=func("b", "w", n=5))
    assert short.query("/ws/a.py") == [], "7 lines / ~75 tokens is below the renamed minimum (100, 10)"


def test_inconsistent_renaming_is_not_a_renamed_clone():
    original = func("f", "v", n=10)
    # the same shape but two different names both becoming one name: not a one-to-one renaming
    broken = original.replace("v_in", "same").replace("offset", "same")
    index = make_index(a=original, b=broken)
    assert [c.kind for c in index.query("/ws/a.py")] == [], \
        "v_in and offset both map to 'same': inconsistent, and no 50-token stretch is raw-equal"


def test_near_miss_with_gap():
    original = func("f", "v", n=10)
    lines = original.split("\n")
    lines[5] = lines[5].replace("+ offset", "- offset")   # one operator changed in the middle
    changed = "\n".join(lines)
    near = make_index(near_miss_config(), a=original, b=changed)
    clones = near.query("/ws/a.py")
    assert [c.kind for c in clones] == ["near-miss"], "one differing token bridged when near_miss is on"
    assert (clones[0].a.start_line, clones[0].a.end_line) == (1, 12)
    exact_only = make_index(a=original, b=changed)
    kinds = {c.kind for c in exact_only.query("/ws/a.py")}
    assert "near-miss" not in kinds, "near-miss merging is off by default"


def test_different_nesting_in_python_is_not_a_clone():
    # Same leaves in the same order; only indentation differs, which the block tokens capture.
    nested = "def f(v_in, offset):\n    if offset:\n" + body("v", 5, "        ") + "\n" + body("w", 4) + "\n"
    flat = "def f(v_in, offset):\n    if offset:\n" + body("v", 5, "        ") + "\n" + body("w", 4, "        ") + "\n"
    index = make_index(a=nested, b=flat)
    clones = index.query("/ws/a.py")
    assert [(c.a.start_line, c.a.end_line, c.b.start_line, c.b.end_line) for c in clones] == [(3, 7, 3, 7)], \
        ("the tokens match from the def to the if's 5th statement, nothing past the dedent at line 8; whole "
         "statements in both copies are the if's 5 statements (b's if and def go on: not whole there)")
    a_tokens = index.tokens("/ws/a.py")
    assert BLOCK_OPEN in a_tokens.norm and BLOCK_CLOSE in a_tokens.norm
    same = make_index(a=nested, b=nested.replace("def f", "def g"))
    assert same.query("/ws/a.py"), "control: the same nesting is a clone"


def test_imports_are_not_tokens():
    imports = "\n".join(f"from package{i}.module import name{i}, other{i}" for i in range(20))
    index = make_index(a=imports + "\nx = 1\n", b=imports + "\ny = 2\n")
    assert index.query("/ws/a.py") == [], "import blocks are dropped, so 200 import tokens are no clone"
    assert set(index.tokens("/ws/a.py").lines) == {21}, "only the statement after the imports has tokens"


def test_ignore_start_end_region_is_dropped():
    shared = func("shared")
    ignored = "# guardline: ignore-start\n" + shared + "# guardline: ignore-end\nz = 3\n"
    index = make_index(a=shared, b=ignored)
    assert index.query("/ws/a.py") == [], "the copy in b is inside an ignore region"
    assert list(index.tokens("/ws/b.py").lines) == [13, 13, 13], "only 'z = 3' after the region remains"


def test_removal_and_reindexing():
    shared = func("shared")
    index = make_index(a=shared, b=shared)
    assert len(index.query("/ws/a.py")) == 1
    index.remove("/ws/b.py")
    assert index.query("/ws/a.py") == [], "b removed: its postings are gone"
    index.add("/ws/b.py", toks(func("other", "q", n=3)))
    assert index.query("/ws/a.py") == [], "b re-indexed with different content"
    index.add("/ws/b.py", toks(shared))
    assert len(index.query("/ws/a.py")) == 1, "b re-indexed with the shared function again"
    assert index.stats()["files"] == 2


def test_shadow_buffer_overrides_disk_version():
    shared = func("shared")
    index = make_index(a=shared, b=shared)
    index.set_shadow("/ws/b.py", toks("x = 1\n"))
    assert index.query("/ws/a.py") == [], "the open buffer of b no longer has the copy"
    assert index.query("/ws/b.py") == []
    index.clear_shadow("/ws/b.py")
    assert len(index.query("/ws/a.py")) == 1, "buffer closed: the disk version is back"
    index.set_shadow("/ws/c.py", toks(shared))
    assert {c.b.path for c in index.query("/ws/a.py")} == {"/ws/b.py", "/ws/c.py"}, \
        "an unsaved new buffer takes part too"


def test_hash_collision_and_repetitive_data_do_not_crash():
    rows = "\n".join(f"    ({i}, {i * 2}, {i * 3})," for i in range(400))
    table = f"TABLE = [\n{rows}\n]\n"
    index = make_index(a=table, b=table)
    clones = index.query("/ws/a.py")
    assert clones, "the duplicated data table is found"
    assert all(c.b.path == "/ws/b.py" or c.a.end_line < c.b.start_line for c in clones)


def test_findings_message_related_and_file_percent():
    shared = func("shared")
    files = {"a": shared + "\n" + func("own", "o", n=2), "b": shared, "c": shared, "d": shared}
    index = make_index(**files)
    clones = index.query("/ws/a.py")
    percent = index.file_percent("/ws/a.py", clones)
    assert percent == pytest.approx(100 * 10 / 14), "10 of a.py's 14 code lines are duplicated"
    findings = clone_findings("/ws/a.py", clones, percent, Config(), "/ws")
    dup = [f for f in findings if f.rule == "duplicate-code"]
    assert len(dup) == 1, "one finding per duplicated region, not per pair"
    assert dup[0].severity == "info"
    assert dup[0].message.startswith("Duplicated block: ")
    assert dup[0].message.endswith("tokens, 10 lines, also at b.py:1-10 (+2 more)")
    assert [r.path for r in dup[0].related] == ["/ws/b.py", "/ws/c.py", "/ws/d.py"]
    assert (dup[0].start_line, dup[0].end_line) == (1, 10)
    file_level = [f for f in findings if f.rule == "file-duplication"]
    assert [f.severity for f in file_level] == ["warning"], "71% > 5%"
    ai = clone_findings("/ws/a.py", clones, percent, Config(), "/ws", origin=lambda s, e: "ai")
    assert ai[0].severity == "warning", "duplicated AI code is a warning (product.md)"


def test_analyze_document_uses_shadow_and_respects_enabled():
    shared = func("shared")
    index = make_index(a=shared)
    doc = parse(shared, "python")
    findings = analyze_document(index, doc, "/ws/new.py", Config(), "/ws")
    assert [f.rule for f in findings] == ["duplicate-code", "file-duplication"], "new buffer duplicates a.py"
    assert "/ws/new.py" in index
    off = Config().with_overrides({"duplication": {"enabled": False}})
    assert analyze_document(index, doc, "/ws/new.py", off, "/ws") == []


def test_clones_in_other_languages():
    js = textwrap.dedent("""
        function total(items, rate) {
          // comments are not tokens
          let sum = 0;
          for (const item of items) {
            sum += item.price * rate + item.tax * (rate - 1);
            if (item.discount > 0) { sum -= item.discount * rate; }
          }
          return { sum: sum, count: items.length, rate: rate };
        }
        """)
    index = CloneIndex(None, Config())
    index.add("/ws/a.js", toks(js, "javascript"))
    index.add("/ws/b.js", toks("import x from 'y';\n" + js.replace("// comments are not tokens", "/* other */"),
                                "javascript"))
    clones = index.query("/ws/a.js")
    assert [c.kind for c in clones] == ["exact"], "comments differ, code is the same"


def test_workspace_clone_classes_and_summary():
    from guardline.duplication import clone_classes, workspace_summary
    shared = func("shared")
    index = make_index(a=shared, b=shared, c=shared + "\n" + func("other", "o", n=9), d=func("solo", "s", n=3))
    classes = clone_classes(index)
    assert len(classes) == 1, "three copies of one function form one class"
    assert sorted(loc.path for loc in classes[0].locations) == ["/ws/a.py", "/ws/b.py", "/ws/c.py"]
    summary = workspace_summary(index)
    assert summary.duplicated_lines == 30, "10 duplicated lines in each of a, b and c"
    assert summary.file_percent("/ws/a.py") == 100.0 and summary.file_percent("/ws/d.py") == 0.0


def test_literal_tables_of_the_same_shape_are_not_renamed_clones():
    bytes_table = "DATA = (\n" + "\n".join(f"    b'\\x{i:02x}{i:02x}', b'{i}'," for i in range(40)) + "\n)\n"
    text_table = "names = (\n" + "\n".join(f"    'n{i}', 'label {i}'," for i in range(40)) + "\n)\n"
    index = make_index(a=bytes_table, b=text_table)
    assert index.query("/ws/a.py") == [], "same shape (LIT , LIT ,) but data, not renamed code"


def test_saturated_fingerprints_still_find_exact_copies():
    # The same normalised shape in many files saturates its fingerprints (cap 2 here); exact copies are
    # then matched through the raw k-gram postings, renamed ones through nothing (boilerplate).
    index = CloneIndex(None, Config(), max_postings=2)
    for name, prefix in [("a", "v"), ("b", "w"), ("c", "x"), ("d", "y")]:
        index.add(f"/ws/{name}.py", toks(func("f", prefix, n=10)))
    index.add("/ws/copy.py", toks(func("f", "v", n=10)))
    assert index.stats()["saturated"] > 0
    clones = index.query("/ws/a.py")
    assert [(c.kind, c.b.path) for c in clones] == [("exact", "/ws/copy.py")], \
        "the exact copy is found; the renamed shapes (b, c, d) are boilerplate past the cap"
    index.remove("/ws/copy.py")
    assert index.query("/ws/a.py") == [], "removal also clears the raw postings"


def test_three_adjacent_copies_in_one_file_give_three_pairs_once_each():
    copy = func("same")
    index = make_index(a=copy + copy + copy)   # back to back: copies 10 lines apart
    pairs = [(c.a.start_line, c.b.start_line) for c in index.query("/ws/a.py")]
    assert pairs == [(1, 11), (1, 21), (11, 21)], "each pair of copies once, none overlapping, no repeats"


@pytest.mark.parametrize("edit, what", [
    (lambda line: line.replace("+ offset", "+ extra + offset"), "two tokens inserted"),
    (lambda line: line.replace(" + offset * 6", ""), "four tokens deleted"),
])
def test_near_miss_across_an_insertion_or_deletion(edit, what):
    original = func("f", "v", n=10)
    lines = original.split("\n")
    lines[6] = edit(lines[6])   # `v5 = compute(v_in, 5) + offset * 6` in the middle of the function
    changed = "\n".join(lines)
    clones = make_index(near_miss_config(), a=original, b=changed).query("/ws/a.py")
    assert [c.kind for c in clones] == ["near-miss"], f"{what}: the runs on adjacent diagonals are merged"
    assert (clones[0].a.start_line, clones[0].a.end_line) == (1, 12), "the whole function, both sides"
    assert (clones[0].b.start_line, clones[0].b.end_line) == (1, 12)
    assert clones[0].a_span[1] - clones[0].a_span[0] != clones[0].b_span[1] - clones[0].b_span[0], \
        "the two copies have different token counts"
    exact_only = make_index(a=original, b=changed).query("/ws/a.py")
    assert "near-miss" not in {c.kind for c in exact_only}, "near-miss merging is off by default"


def test_near_miss_does_not_merge_unrelated_code_after_a_long_insertion():
    original = func("f", "v", n=10)
    lines = original.split("\n")
    lines[6] += "\n    w = [1, 2, 3, 4, 5, 6, 7, 8, 9]"   # 20 tokens: more than a gap may hold
    clones = make_index(near_miss_config(), a=original, b="\n".join(lines)).query("/ws/a.py")
    assert [c.kind for c in clones] == ["exact", "exact"], \
        "a 20-token insertion is not bridged (at most 8 tokens per gap): the two exact halves stay apart"


def test_repetitive_rows_are_matched_with_their_real_copy():
    def rows(names):
        return "\n".join(f"    self.assertEqual({n}, {i})" for i, n in enumerate(names))
    xs, ys = [f"x{i}" for i in range(10)], [f"y{i}" for i in range(6)]
    a = f"def test_a(self):\n{rows(xs)}\n"
    b = f"def test_b(self):\n{rows(ys)}\n{rows(xs)}\n"   # same-shaped rows first, then the copy
    clones = [c for c in make_index(a=a, b=b).query("/ws/a.py") if c.kind == "exact"]
    assert [(c.a.start_line, c.a.end_line, c.b.start_line, c.b.end_line) for c in clones] == [(2, 11, 8, 17)], \
        "the 10 rows of a.py are found at lines 8-17 of b.py, although the y-rows match them first after " \
        "normalisation (a run on a shifted diagonal must not hide the token-for-token copy)"
