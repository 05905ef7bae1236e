"""Per-file clone results kept in .guardline/clones.sqlite: an unchanged workspace queries nothing,
edits re-query only what can change, and the incremental result always equals a from-scratch run.
Suppression comments apply to duplication findings like to every other finding."""

from __future__ import annotations

import os

import pytest

from guardline.workspace import Workspace as AnalysedWorkspace
from guardline.config import Config, load_config
from guardline.duplication import clone_rows
from guardline.duplication.index import CloneIndex


def func(name: str, seed: int, n: int = 8) -> str:
    lines = "\n".join(f"    v{i} = compute_{seed}(x, {i}) + offset * {i + seed}" for i in range(n))
    return f"def {name}(x, offset):\n{lines}\n    return v0\n"


def other(name: str, seed: int) -> str:
    """A function with a different token shape (no clone with ``func``)."""
    lines = "\n".join(f"    if x > {i}:\n        y.append([{i}, {seed}])" for i in range(6))
    return f"def {name}(x, y):\n{lines}\n    return y\n"


class Workspace:
    def __init__(self, root):
        self.root = str(root)
        self.tick = 1_700_000_000

    def write(self, name: str, text: str) -> None:
        path = os.path.join(self.root, name)
        with open(path, "w") as fh:
            fh.write(text)
        self.tick += 10   # distinct mtimes even on coarse file systems
        os.utime(path, (self.tick, self.tick))

    def remove(self, name: str) -> None:
        os.remove(os.path.join(self.root, name))

    def files(self) -> list[str]:
        return sorted(os.path.join(self.root, n) for n in os.listdir(self.root) if n.endswith(".py"))


def comparable(rows) -> dict:
    return {path: ([(c.kind, c.tokens, c.lines, c.a.path, c.a.start_line, c.a.end_line, c.a.start_column,
                     c.a.end_column, c.b.path, c.b.start_line, c.b.end_line, c.b.start_column, c.b.end_column,
                     c.a_span, c.b_span) for c in row.clones], row.dup_lines, row.code_lines)
            for path, row in rows.items()}


@pytest.fixture
def counted_queries(monkeypatch):
    calls: list[str] = []
    real = CloneIndex.query_candidates

    def counting(self, path):
        calls.append(os.path.basename(path))
        return real(self, path)

    monkeypatch.setattr(CloneIndex, "query_candidates", counting)
    return calls


def incremental_equals_scratch(ws: Workspace, config: Config) -> dict:
    incremental = comparable(clone_rows(ws.root, ws.files(), config, processes=1))
    scratch = comparable(clone_rows(ws.root, ws.files(), config, use_cache=False, processes=1))
    assert incremental == scratch, "the clones kept and refreshed after edits equal a from-scratch run"
    return incremental


def test_incremental_results_equal_a_full_recompute_after_edits(tmp_path, counted_queries):
    ws, config = Workspace(tmp_path), Config()
    ws.write("a.py", func("fa", 1) + other("ga", 1))
    ws.write("b.py", func("fb", 1))                       # clone of a.fa
    ws.write("c.py", other("gc", 2) + func("fc", 3))
    ws.write("d.py", func("fd", 3))                       # clone of c.fc
    ws.write("e.py", "def lone(q):\n    return q * 2\n")
    first = incremental_equals_scratch(ws, config)
    assert first[os.path.join(ws.root, "b.py")][0], "b.py has a clone (with a.py) to start with"

    ws.write("b.py", other("gb", 7))                      # b no longer matches a: a must be re-queried
    ws.write("e.py", "def lone(q):\n    return q * 3\n" + func("fe", 3))   # e now matches c and d
    after = incremental_equals_scratch(ws, config)
    assert not any(c[8].endswith("b.py") for c in after[os.path.join(ws.root, "a.py")][0]), \
        "a.py lost its clone with the edited b.py"
    assert any(c[8].endswith("e.py") for c in after[os.path.join(ws.root, "d.py")][0]), \
        "unchanged d.py gained a clone with the edited e.py"

    ws.remove("c.py")                                     # d and e had clones with c
    ws.write("f.py", func("ff", 1) + func("gf", 3))       # a new file matching a, d and e
    after = incremental_equals_scratch(ws, config)
    assert os.path.join(ws.root, "c.py") not in after, "the removed file has no row"
    assert not any(c[8].endswith("c.py") for row in after.values() for c in row[0]), "no clone points at c.py"


def test_unchanged_workspace_queries_nothing_and_an_edit_requeries_only_what_can_change(tmp_path, counted_queries):
    ws, config = Workspace(tmp_path), Config()
    ws.write("a.py", func("fa", 1))
    ws.write("b.py", func("fb", 1))
    ws.write("c.py", other("gc", 2))
    ws.write("d.py", other("gd", 5).replace("append", "extend"))
    clone_rows(ws.root, ws.files(), config, processes=1)
    assert sorted(counted_queries) == ["a.py", "b.py", "c.py", "d.py"], "first run: every file is queried"

    counted_queries.clear()
    warm = clone_rows(ws.root, ws.files(), config, processes=1)
    assert counted_queries == [], "unchanged workspace: the stored clones are used, no query at all"
    assert warm[os.path.join(ws.root, "a.py")].clones, "and they still hold a.py's clone with b.py"

    ws.write("a.py", func("fa", 1) + "\nX = 1\n")
    counted_queries.clear()
    clone_rows(ws.root, ws.files(), config, processes=1)
    assert sorted(counted_queries) == ["a.py", "b.py"], \
        "editing a.py re-queries a.py and b.py (its clone partner), not the unrelated c.py and d.py"


def test_changed_thresholds_do_not_reuse_stored_clones(tmp_path):
    ws = Workspace(tmp_path)
    ws.write("a.py", func("fa", 1))
    ws.write("b.py", func("fb", 1))
    assert clone_rows(ws.root, ws.files(), Config(), processes=1)[os.path.join(ws.root, "a.py")].clones
    strict = Config(values={"duplication": {"min_tokens": 50, "min_lines": 40, "renamed_min_lines": 40}})
    rows = clone_rows(ws.root, ws.files(), strict, processes=1)
    assert not rows[os.path.join(ws.root, "a.py")].clones, "10-line copies are under a 40-line minimum"


def _dup_findings(root, rel_files):
    results = AnalysedWorkspace(str(root), load_config(str(root)), jobs=1, with_origin=False).analyse_all(rel_files)
    return {r.path: [f for f in r.findings if f.category == "duplication" or f.rule == "stale-suppression"]
            for r in results}


def test_duplication_findings_honour_suppression_comments(tmp_path):
    ws = Workspace(tmp_path)
    ws.write("a.py", "# guardline: ignore[duplicate-code]\n" + func("fa", 1))
    ws.write("b.py", func("fb", 1))
    ws.write("c.py", "def fc(x, offset):  # guardline: ignore[security-foo]\n" + func("fc", 1).split("\n", 1)[1])
    findings = _dup_findings(tmp_path, ["a.py", "b.py", "c.py"])
    assert [f.rule for f in findings["a.py"]] == ["file-duplication"], \
        "a.py: the comment-only directive covers the clone on the next line (and is not reported stale); " \
        "the file-level rule is another rule id"
    assert "duplicate-code" in [f.rule for f in findings["b.py"]], "b.py has no directive: its clone is reported"
    rules_c = [f.rule for f in findings["c.py"]]
    assert "duplicate-code" in rules_c and "stale-suppression" in rules_c, \
        "c.py: a directive for another rule suppresses nothing and stays stale"
    again = _dup_findings(tmp_path, ["a.py", "b.py", "c.py"])
    assert [f.rule for f in again["a.py"]] == ["file-duplication"], "the warm run (stored clones) honours it too"


def test_function_level_ignore_covers_a_clone_inside_the_function(tmp_path):
    ws = Workspace(tmp_path)
    body = func("fa", 1).split("\n", 1)[1]
    ws.write("a.py", "def fa(x, offset):  # guardline: ignore[duplicate-code, file-duplication]\n" + body)
    ws.write("b.py", func("fb", 1))
    findings = _dup_findings(tmp_path, ["a.py", "b.py"])
    assert findings["a.py"] == [], "a directive on the function's first line covers findings inside it"


def test_cold_check_parses_each_file_once(tmp_path, monkeypatch):
    import guardline.duplication.build as build_module
    parsed: list[str] = []
    real = build_module.parse_bytes
    monkeypatch.setattr(build_module, "parse_bytes", lambda raw, *a, **k: parsed.append(1) or real(raw, *a, **k))
    ws = Workspace(tmp_path)
    ws.write("a.py", func("fa", 1))
    ws.write("b.py", func("fb", 1))
    findings = _dup_findings(tmp_path, ["a.py", "b.py"])
    assert parsed == [], "the clone tokens come from the metrics scan's parse: the index build parses nothing"
    assert "duplicate-code" in [f.rule for f in findings["a.py"]], "and the clone is still found"
    ws.write("b.py", func("fb", 1) + "\nY = 2\n")
    assert "duplicate-code" in [f.rule for f in _dup_findings(tmp_path, ["a.py", "b.py"])["b.py"]], \
        "an edited file is tokenised by the scan too, and still matches"
    assert parsed == [], "no second parse after an edit either"


@pytest.mark.parametrize("near_miss", [False, True])
def test_random_edit_rounds_stay_equal_to_a_full_recompute(tmp_path, near_miss):
    """Deterministic random edits (seed 5) over files built from a few shared functions: after every
    round the refreshed snapshot equals a from-scratch run (also with near-miss merging on)."""
    import random
    rng = random.Random(5)
    ws = Workspace(tmp_path)
    config = Config().with_overrides({"duplication": {"near_miss": near_miss}})
    pieces = [func(f"f{i}", i % 3) for i in range(4)] + [other(f"g{i}", i % 2) for i in range(3)]
    names = [f"m{i}.py" for i in range(7)]
    for name in names[:5]:
        ws.write(name, "".join(rng.sample(pieces, 2)))
    incremental_equals_scratch(ws, config)
    for _ in range(5):
        for name in rng.sample(names, 2):
            if os.path.exists(os.path.join(ws.root, name)) and rng.random() < 0.3:
                ws.remove(name)
            else:
                ws.write(name, "".join(rng.sample(pieces, rng.randint(1, 3))) + f"\nROUND = {rng.random()}\n")
        incremental_equals_scratch(ws, config)
