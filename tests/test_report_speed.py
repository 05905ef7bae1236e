"""Issue 16 speed work must not change a figure: each faster path is compared with the plain one."""

from __future__ import annotations

import os
import random

import pytest

from guardline.report import stats


def _units(rng: random.Random, count: int, mean: bool) -> list[tuple[float, float]]:
    if mean:        # per-function rows: den 1, float values (maintainability) and ints (complexity)
        return [(rng.choice([rng.randint(1, 12), round(rng.uniform(20, 100), 3)]), 1) for _ in range(count)]
    return [(rng.randint(0, 9), rng.randint(0, 400)) for _ in range(count)]      # per-file rates, den may be 0


@pytest.mark.parametrize("mean", [True, False])
@pytest.mark.parametrize("count", [1, 7, 1864])
def test_numpy_resamples_equal_the_python_ones(mean: bool, count: int, monkeypatch) -> None:
    np = pytest.importorskip("numpy")
    units = _units(random.Random(count), count, mean)
    python = stats._resampled_python(units, 1000.0, random.Random(5))
    vectorised = stats._resampled_numpy(np, units, 1000.0, random.Random(5))
    assert vectorised == python, "same draws and left-to-right sums: the same floats, not merely close ones"
    monkeypatch.setattr(stats, "NUMPY_BLOCK", 3 * count + 1)       # several blocks: the draws continue
    assert stats._resampled_numpy(np, units, 1000.0, random.Random(5)) == python


def test_interval_is_the_same_with_and_without_numpy(monkeypatch) -> None:
    pytest.importorskip("numpy")
    rng = random.Random(3)
    ai, human = _units(rng, 300, True), _units(rng, 500, True)
    with_numpy = stats.bootstrap_ci("avg_maintainability", ai, human)
    monkeypatch.setattr(stats, "_resampled_numpy", lambda _np, units, scale, r: stats._resampled_python(units, scale, r))
    assert stats.bootstrap_ci("avg_maintainability", ai, human) == with_numpy


# ---- git once per purpose: SZZ blames from one replay, gate files from the patch's index lines -------

def _history_repo(path: str) -> None:
    """A side branch merged with --no-ff, a rename with an edit, a deletion, a file without a final
    newline, a non-code file and a file rewritten on both sides of the merge."""
    from test_report import T0, _commit, _git

    _git(path, "init", "-q", "-b", "main")
    _commit(path, {"a.py": "a1\na2\na3\na4\n", "b.py": "b1\nb2\n", "README.md": "r1\nr2\n"}, "one", T0)
    _commit(path, {"a.py": "a1\nA2\na3\nnew\na4\n", "README.md": "r1\nR2\n"}, "two", T0 + 10)
    _git(path, "checkout", "-q", "-b", "side", when=T0 + 20)
    _commit(path, {"b.py": "b1\nside\nb2\n", "c.py": "c1\nc2"}, "side work", T0 + 30)
    _commit(path, {"c.py": "c1\nC2"}, "side fix", T0 + 35)
    _git(path, "checkout", "-q", "main", when=T0 + 40)
    _commit(path, {"a.py": "a0\na1\nA2\na3\nnew\na4\n"}, "three", T0 + 50)
    _git(path, "merge", "-q", "--no-ff", "-m", "merge side", "side", when=T0 + 60)
    _git(path, "mv", "a.py", "renamed.py", when=T0 + 70)
    with open(os.path.join(path, "renamed.py"), "w", encoding="utf-8") as fh:
        fh.write("a0\na1\nA2\nchanged\nnew\na4\ntail\n")
    _git(path, "rm", "-q", "b.py", when=T0 + 70)
    _git(path, "add", "--", "renamed.py", when=T0 + 70)
    _git(path, "commit", "-q", "-m", "rename and delete", when=T0 + 70)
    _commit(path, {"c.py": "c0\nc1\nC2\n", "renamed.py": "a0\nA1\nA2\nchanged\nnew\na4\ntail\n",
                   "README.md": "R1\nR2\n"}, "last", T0 + 80)


def test_forward_szz_blames_equal_git_blame(tmp_path):
    """SZZ asks, for every old-side line of every commit, which commit introduced it in the parent:
    one replay of history (``forward_blames``) must give what `git blame -L` per hunk gives, author
    times included, for every commit the replay covers; the side-branch commits it cannot cover are
    left to `git blame` (``old_side_blame`` falls back)."""
    from guardline.report.history import EMPTY_TREE, blame_range, forward_blames, log_hunks, read_commits

    path = str(tmp_path)
    _history_repo(path)
    commits = read_commits(path, ["--no-merges", "HEAD", "--"])
    patches = log_hunks(path, ["--no-merges", "HEAD", "--"])
    needed = {info.sha: patches[info.sha] for info in commits if patches[info.sha].old}
    forward = forward_blames(path, needed)
    by_sha = {info.sha: info for info in commits}
    side = {by_sha[s].sha for s in needed if by_sha[s].message.startswith("side")}
    assert set(forward) == set(needed) - side, "every first-parent commit with old-side lines is covered"
    assert side, "the side branch rewrote a line (c.py), which only git blame can attribute"
    for sha, blamed in forward.items():
        info = by_sha[sha]
        parent = info.parents[0] if info.parents else EMPTY_TREE
        expected = [found for file, ranges in needed[sha].old.items() for start, count in ranges
                    for found in blame_range(path, parent, file, start, count)]
        assert blamed == expected, f"{info.message.strip()}: same introducing commits and times as git blame"
    assert sum(len(b) for b in forward.values()) >= 8, "the rename, README and merge-side lines were checked"


def test_history_with_forward_blames_equals_history_with_git_blame(tmp_path, monkeypatch):
    """The history section (bug density, churn, scatter) is the same whichever way the lines are blamed."""
    from guardline.config import load_config
    from guardline.report import history

    path = str(tmp_path)
    _history_repo(path)
    config = load_config(path)
    monkeypatch.setattr(history, "FORWARD_MIN", 10_000)           # git blame -L for every commit
    expected = history.analyse(path, config)
    import shutil as _shutil
    _shutil.rmtree(os.path.join(path, ".guardline"), ignore_errors=True)
    monkeypatch.setattr(history, "FORWARD_MIN", 1)                # one replay, side-branch commits blamed
    calls = []
    real = history.blame_range
    monkeypatch.setattr(history, "blame_range", lambda *a: calls.append(a) or real(*a))
    again = history.analyse(path, config)
    assert again["rows"] == expected["rows"] and again["scatter"] == expected["scatter"]
    assert again["units"].of("churn_pct", "human") == expected["units"].of("churn_pct", "human")
    assert calls and all(a[2] == "c.py" for a in calls), "git blame only for the side branch's c.py fix"


def test_gate_files_from_the_patch_equal_ls_tree(tmp_path):
    """The gate's changed files come from the patch's `index` lines (`--full-index`) instead of one
    `git ls-tree` per commit: same paths and blobs, a submodule, a symlink, a large file and a file with
    only deletions included as ls-tree + hunks would treat them."""
    from test_report import T0, _commit, _git
    from guardline.report.history import Hunks, log_hunks, read_commits
    from guardline.report import trend

    path = str(tmp_path)
    _history_repo(path)
    with open(os.path.join(path, "big.py"), "w", encoding="utf-8") as fh:
        fh.write("x = 1\n" * (trend.MAX_BLOB // 6 + 10))                  # over MAX_BLOB: never analysed
    os.symlink("c.py", os.path.join(path, "link.py"))
    _commit(path, {"big.py": open(os.path.join(path, "big.py")).read(), "c.py": "c0\n"}, "big", T0 + 90)
    _git(path, "add", "--", "link.py", when=T0 + 95)
    sub = _git(path, "rev-parse", "HEAD").strip()
    _git(path, "update-index", "--add", "--cacheinfo", f"160000,{sub},vendor.py", when=T0 + 95)
    _git(path, "commit", "-q", "-m", "link and submodule", when=T0 + 95)
    commits = read_commits(path, ["--no-merges", "HEAD", "--"])
    patches = log_hunks(path, ["--no-merges", "HEAD", "--"])
    compared = 0
    for info in commits:
        hunks = patches[info.sha]
        plain = Hunks(old=hunks.old, new=hunks.new, added=hunks.added, deleted=hunks.deleted)  # no blobs
        assert trend.changed_files(path, info.sha, hunks) == trend.changed_files(path, info.sha, plain), \
            info.message
        compared += bool(hunks.new)
    last = trend.changed_files(path, commits[0].sha, patches[commits[0].sha])
    assert "link.py" in last and "vendor.py" not in last, "a symlink is a blob (ls-tree lists it), a submodule not"
    assert "big.py" not in trend.changed_files(path, commits[1].sha, patches[commits[1].sha]), "over MAX_BLOB"
    assert compared >= 8


# ---- warm: the whole report from .guardline when nothing it reads has changed -----------------------

def _age_files(path: str, seconds: float = 60.0) -> None:
    """Files just written are "racy" (a later edit in the same tick keeps the time stamp): a report
    over them is not stored. Tests date them back, as files of any real checkout are."""
    import time as _time

    past = _time.time() - seconds
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d not in (".git", ".guardline")]
        for name in files:
            os.utime(os.path.join(folder, name), (past, past))


def _small_repo(path: str) -> None:
    from test_report import AI_MESSAGE, DAY, T0, _commit, _git

    _git(path, "init", "-q", "-b", "main")
    _commit(path, {"human.py": "def human_fn(x):\n    return x + 1\n"}, "Add human helper", T0)
    _commit(path, {"ai.py": "def ai_fn(x):\n    if x:\n        return eval(x)\n    return 0\n"}, AI_MESSAGE, T0 + DAY)
    _age_files(path)


def test_warm_report_renders_exactly_as_the_computed_one(tmp_path, monkeypatch):
    from guardline.config import load_config
    from guardline import report as report_pkg
    from guardline.report import build_report, render

    path = str(tmp_path)
    _small_repo(path)
    config = load_config(path)
    fresh = build_report(path, config, progress=lambda _m: None)
    monkeypatch.setattr(report_pkg, "_compute", lambda *a, **k: (_ for _ in ()).throw(AssertionError("recomputed")))
    messages: list[str] = []
    warm = build_report(path, load_config(path), progress=messages.append)
    assert messages == ["nothing changed since the last report: read from .guardline/"]
    for fmt in ("text", "md", "json", "html"):
        assert render(warm, fmt) == render(fresh, fmt), f"{fmt}: the stored report renders the same bytes"
    assert render(warm, "text", tty=True) == render(fresh, "text", tty=True)


@pytest.mark.parametrize("change", ["edit", "commit", "config", "argument", "new file", "coverage"])
def test_warm_report_is_recomputed_when_an_input_changes(tmp_path, change):
    """Each input of the report is in the key: an edited file, a new commit, the configuration, an
    argument, a new analysable file and a coverage report each make the next run compute again."""
    from test_report import DAY, T0, _commit, _git
    from guardline.config import load_config
    from guardline.report import build_report

    path = str(tmp_path)
    _small_repo(path)
    build_report(path, load_config(path), progress=lambda _m: None)
    since = None
    if change == "edit":
        with open(os.path.join(path, "human.py"), "a", encoding="utf-8") as fh:
            fh.write("\n\ndef more(y):\n    return y\n")
    elif change == "commit":
        _commit(path, {"human.py": "def human_fn(x):\n    return x + 2\n"}, "Tweak", T0 + 2 * DAY)
    elif change == "config":
        with open(os.path.join(path, ".guardline.toml"), "w", encoding="utf-8") as fh:
            fh.write("[report]\nsprint_days = 7\n")
    elif change == "argument":
        since = "2020-01-01"
    elif change == "new file":
        with open(os.path.join(path, "extra.py"), "w", encoding="utf-8") as fh:
            fh.write("def extra():\n    return 1\n")
    else:
        with open(os.path.join(path, "coverage.json"), "w", encoding="utf-8") as fh:
            fh.write('{"files": {}}')
    _age_files(path)
    messages: list[str] = []
    build_report(path, load_config(path), since=since, progress=messages.append)
    assert "snapshot: analysing the working tree" in messages, f"{change}: computed again, not read back"


def test_a_report_over_just_modified_files_is_not_stored(tmp_path):
    from guardline.config import load_config
    from guardline.report import build_report

    path = str(tmp_path)
    _small_repo(path)
    _age_files(path, seconds=-30.0)           # a stamp "now or later": it cannot be trusted yet
    build_report(path, load_config(path), progress=lambda _m: None)
    messages: list[str] = []
    build_report(path, load_config(path), progress=messages.append)
    assert "snapshot: analysing the working tree" in messages, "nothing stored, so computed again"


# ---- the forward blame resumed from the stored map of the newest sample ----------------------------

def test_line_map_resumed_from_a_stored_commit_equals_a_full_replay(tmp_path):
    """A run after new commits replays only those: the map stored at an older first-parent commit, resumed,
    must give at every later first-parent commit what a replay from the root gives (across a merge, a
    rename and a deletion)."""
    from test_report import _git
    from guardline.report.linemap import LineMap, LineMapStore

    path = str(tmp_path)
    _history_repo(path)
    chain = _git(path, "rev-list", "--first-parent", "--reverse", "HEAD").split()
    full = {sha: {p: list(c) for p, c in lines.items()} for sha, lines in LineMap(path).walk(set(chain))}
    for base in chain[:-1]:
        store = LineMapStore(path)
        store.put(base, full[base])
        store.close()
        store = LineMapStore(path)
        sha, lines = store.get()
        store.close()
        assert sha == base and lines == full[base], "stored and read back unchanged"
        resumed = LineMap(path)
        resumed.resume(sha, lines)
        later = chain[chain.index(base) + 1:]
        got = {s: {p: list(c) for p, c in m.items()} for s, m in resumed.walk(set(later))}
        assert got == {s: full[s] for s in later}, f"resumed at {base[:8]}: the same map at every later commit"


def test_trend_after_new_commits_equals_a_trend_from_scratch(tmp_path, monkeypatch):
    """End to end: samples computed with the resumed forward blame equal those of a run without any store."""
    from test_report import DAY, T0, _commit
    from guardline.config import load_config
    from guardline.report import build_report

    path = str(tmp_path)
    _history_repo(path)
    build_report(path, load_config(path), progress=lambda _m: None)
    _commit(path, {"c.py": "c0\nc1\nC2\nnew\n", "d.py": "def d(x):\n    return x\n"}, "week two", T0 + 9 * DAY)
    _commit(path, {"d.py": "def d(x):\n    if x:\n        return 1\n    return x\n"}, "week three", T0 + 16 * DAY)
    _age_files(path)
    from guardline.report.linemap import LineMap

    resumed: list[str] = []
    real_resume = LineMap.resume
    monkeypatch.setattr(LineMap, "resume", lambda self, sha, lines: resumed.append(sha) or real_resume(self, sha, lines))
    again = build_report(path, load_config(path), progress=lambda _m: None)
    assert len(resumed) == 1, "the second run resumed from the map stored by the first"
    import shutil as _shutil
    _shutil.rmtree(os.path.join(path, ".guardline"))
    fresh = build_report(path, load_config(path), progress=lambda _m: None)
    assert again["trend"]["added"] == 2 and len(again["trend"]["samples"]) == 3, "two new weekly samples"
    assert again["trend"]["samples"] == fresh["trend"]["samples"]


def test_history_reads_older_blamed_commits_in_one_git_log(tmp_path, monkeypatch):
    """The commits SZZ blames that are older than the scanned ones are read with one `git log
    --no-walk --stdin` (was: one `git log -1` each), and the history section is the same."""
    from guardline.config import load_config
    from guardline.report import history

    path = str(tmp_path)
    _history_repo(path)
    config = load_config(path)
    singles: list[list[str]] = []
    real = history.git_text
    monkeypatch.setattr(history, "git_text", lambda root, args: singles.append(args) or real(root, args))
    monkeypatch.setattr(history.CommitOrigins, "prefetch", lambda self, shas: None)     # the old way
    expected = history.analyse(path, config, max_commits=2)
    one_by_one = [a for a in singles if a[0] == "log" and "-1" in a]
    assert len(one_by_one) >= 2, "the fixture blames at least two commits older than the last two"
    import shutil as _shutil
    _shutil.rmtree(os.path.join(path, ".guardline"), ignore_errors=True)
    monkeypatch.undo()
    singles.clear()
    monkeypatch.setattr(history, "git_text", lambda root, args: singles.append(args) or real(root, args))
    again = history.analyse(path, config, max_commits=2)
    assert [a for a in singles if a[0] == "log" and "-1" in a] == [], "all of them came from the one batched log"
    assert again["rows"] == expected["rows"] and again["scatter"] == expected["scatter"]
