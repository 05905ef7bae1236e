"""The exact clones of a small fixed corpus, through the whole cold build (process pool, tokens,
k-gram hashing, winnowing, postings, the SQLite store) and a restart from the store.

The expected list was produced by the index before issue 21's clone-build speed work (k-gram hashing,
winnowing, lines and long strings moved to numpy; the tokeniser's walk reshaped) and must not change:
those changes are about speed only. The corpus is made to reach the parts a speed change could break:
- an exact copy across files (``a.py`` / ``b.py``);
- a renamed copy (``c.py``: every identifier renamed, >= 100 tokens over >= 10 lines);
- a repetitive data table whose k-grams repeat with a period of 2 tokens: every winnowing window
  has its minimum several times (the tie rule of robust winnowing) (``d.py`` / ``e.py``);
- a long multi-line template string, normalised by its content (``f.py`` / ``g.py``: same code,
  different templates: no clone; ``h.py``: the same template as ``f.py``: an exact clone);
- an intra-file repetition (``i.py``: one block three times);
- a JavaScript copy (``j.js`` / ``k.js``: braces, no indentation tokens).
"""

from __future__ import annotations

import os

from guardline.config import Config
from guardline.duplication import build_index, load
from guardline.duplication.build import IN_PROCESS_MAX_FILES


def _function(name: str, prefix: str) -> str:
    lines = [f"def {name}({prefix}_items, {prefix}_scale):", f"    {prefix}_total = 0"]
    for i in range(9):
        lines.append(f"    if {prefix}_items[{i}] > {prefix}_scale * {i + 1}:")
        lines.append(f"        {prefix}_total += {prefix}_items[{i}] - {i}")
    lines.append(f"    return {prefix}_total")
    return "\n".join(lines) + "\n"


def _templated(word: str) -> str:
    """~30 tokens of code, a 9-line template string, ~30 tokens of code: the code alone is below the
    50-token minimum on each side of the template."""
    body = "\n".join(f"    <p class='{word}'>{word} {i}</p>" for i in range(6))
    before = "context = dict(title=name, user=user, items=items, total=total, page=page, size=size, mode=mode)\n"
    after = "result = render(page_text, context, strict=True, escape=False, cache=None, debug=False, trim=True)\n"
    return f'{before}page_text = """<html>\n{body}\n</html>"""\n{after}'


def _js(name: str) -> str:
    cases = "\n".join(f"    if (input[{i}] > limit * {i + 1}) {{ total += input[{i}] - {i}; }}" for i in range(8))
    return f"function {name}(input, limit) {{\n  let total = 0;\n{cases}\n  return total;\n}}\n"


TABLE = "DATA = (\n" + "".join(f"    {i % 2}, {(i + 1) % 2}, {i % 2}, {(i + 1) % 2},\n" for i in range(40)) + ")\n"
BLOCK = "".join(f"    values.append(source[{i}] * weight + shift - {i})\n" for i in range(6))

CORPUS = {
    "a.py": "import os\n\n\n" + _function("summarise", "x"),
    "b.py": "X = 1\n\n\n" + _function("summarise", "x") + "\n\ndef other():\n    return 2\n",
    "c.py": "\n" + _function("aggregate", "y"),
    "d.py": TABLE,
    "e.py": "# the same table\n" + TABLE,
    "f.py": _templated("alpha"),
    "g.py": _templated("omega"),
    "h.py": "\n\n" + _templated("alpha"),
    "i.py": "def repeat(values, source, weight, shift):\n" + BLOCK * 3 + "    return values\n",
    "j.js": _js("summarise"),
    "k.js": "const unused = 1;\n" + _js("summarise"),
    # more files than build.IN_PROCESS_MAX_FILES, so that the build tokenises in the process pool
    **{f"filler{n}.py": f"def filler_{n}(value):\n    return value * {n} + {n * n}\n" for n in range(20)},
}

# (kind, tokens, lines, file, start line, end line, other file, its start line, end line), every clone
# pair as each file's query reports it, sorted.
# f.py / h.py share the template (the same content: one raw token) and the code around it; f.py / g.py
# share only ~30-token runs of code on each side of their different templates: below min_tokens, none.
# i.py: copies 1-2, 1-3 and 2-3 of the repeated block. d.py / e.py: the whole table.
EXPECTED: list[tuple[str, int, int, str, int, int, str, int, int]] = [
    ("exact", 63, 10, "f.py", 1, 10, "h.py", 3, 12),
    ("exact", 63, 10, "h.py", 3, 12, "f.py", 1, 10),
    ("exact", 90, 6, "i.py", 2, 7, "i.py", 8, 13),
    ("exact", 90, 6, "i.py", 2, 7, "i.py", 14, 19),
    ("exact", 90, 6, "i.py", 8, 13, "i.py", 14, 19),
    ("exact", 193, 12, "j.js", 1, 12, "k.js", 2, 13),
    ("exact", 193, 12, "k.js", 2, 13, "j.js", 1, 12),
    ("exact", 195, 21, "a.py", 4, 24, "b.py", 4, 24),
    ("exact", 195, 21, "b.py", 4, 24, "a.py", 4, 24),
    ("exact", 324, 42, "d.py", 1, 42, "e.py", 2, 43),
    ("exact", 324, 42, "e.py", 2, 43, "d.py", 1, 42),
    ("renamed", 195, 21, "a.py", 4, 24, "c.py", 2, 22),
    ("renamed", 195, 21, "b.py", 4, 24, "c.py", 2, 22),
    ("renamed", 195, 21, "c.py", 2, 22, "a.py", 4, 24),
    ("renamed", 195, 21, "c.py", 2, 22, "b.py", 4, 24),
]


def _clones(root: str, index) -> list[tuple[str, int, int, str, int, int, str, int, int]]:
    out = []
    for path in index.paths():
        for c in index.query(path):
            out.append((c.kind, c.tokens, c.lines, os.path.relpath(c.a.path, root), c.a.start_line, c.a.end_line,
                        os.path.relpath(c.b.path, root), c.b.start_line, c.b.end_line))
    return sorted(out)


def _write_corpus(root: str) -> list[str]:
    paths = []
    for name, text in CORPUS.items():
        path = os.path.join(root, name)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        paths.append(path)
    return paths


def test_frozen_corpus_clones_are_exactly_the_recorded_ones(tmp_path):
    root = str(tmp_path)
    files = _write_corpus(root)
    assert len(files) > IN_PROCESS_MAX_FILES
    pooled = build_index(root, files, Config(), processes=2)
    assert _clones(root, pooled) == EXPECTED
    restarted = load(root, Config())   # from clones.sqlite: the stored tokens and fingerprints
    assert _clones(root, restarted) == EXPECTED
