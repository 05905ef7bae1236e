"""Trend samples with duplication % and technical-debt hours per origin, the stored-sample schema, and the
scatter's per-line AI share (git-ai notes), on a throw-away repository with known answers."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3

import pytest

from guardline.config import load_config
from guardline.report import build_report, render
from guardline.workspace import Workspace

from test_report import AI_MESSAGE, DAY, T0, _commit, _git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HUMAN_PY = "def human_fn(x):\n    return x + 1\n"
# 9 code lines, ~80 tokens, CC 2 (one loop), no threshold finding: above the clone minimum (50 tokens, 5 lines).
COPY_PY = ("def copy_fn(items, limit):\n    total = 0\n    values = []\n    names = {}\n    for item in items:\n"
           "        total = total + item.price * item.quantity - item.discount\n"
           "        values.append(item.price * 2 + item.quantity * 3)\n"
           "        names[item.name] = item.price + item.quantity + limit\n    return total, values, names\n")
NOTES_TXT = "ai one\nai two\nhuman three\nhuman four\n"
GIT_AI_NOTE = ("notes.txt\n  s_1a2b3c4d::t_00ff00ff 1-2\n  h_0a0b0c 3-4\n---\n"
               + json.dumps({"schema_version": "authorship/3.0.0",
                             "sessions": {"s_1a2b3c4d": {"agent_id": {"tool": "claude", "model": "x"}}},
                             "humans": {"h_0a0b0c": {"name": "Hana"}}, "prompts": {}}))


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("trendrepo"))
    _git(path, "init", "-q", "-b", "main")
    _commit(path, {"human.py": HUMAN_PY}, "Add human helper", T0)
    _commit(path, {"a.py": COPY_PY, "b.py": COPY_PY}, AI_MESSAGE, T0 + DAY)       # same week as T0
    # Week 2: a human commit of a text file whose git-ai note says lines 1-2 were AI, 3-4 typed by a person.
    _commit(path, {"notes.txt": NOTES_TXT}, "Add notes", T0 + 8 * DAY)
    _git(path, "notes", "--ref=ai", "add", "-m", GIT_AI_NOTE, "HEAD", when=T0 + 8 * DAY)
    return path


@pytest.fixture(scope="module")
def report(repo) -> dict:
    return build_report(repo, load_config(repo), progress=lambda _m: None)


def test_trend_sample_duplication_and_debt_per_origin(report):
    samples = report["trend"]["samples"]
    assert len(samples) == 2, "commits on T0, T0+1d (week 1) and T0+8d (week 2): one weekly sample each"
    ai, human = samples[-1]["rows"]["ai"], samples[-1]["rows"]["human"]
    assert ai["code_lines"] == 18 and human["code_lines"] == 2, "a.py + b.py 9 lines each, human.py 2"
    assert ai["duplication_pct"] == 100.0, "a.py and b.py are exact copies: every AI code line is in a clone"
    assert human["duplication_pct"] == 0.0, "human.py has no copy"
    # Two duplicate-code findings in AI functions: warning, 15 min each; file-duplication adds 0 minutes.
    assert ai["debt_hours"] == 0.5, "2 x 15 min = 0.5 h"
    assert human["debt_hours"] == 0.0, "no finding in human.py"


def test_head_sample_agrees_with_snapshot(report):
    """All evidence here is commit-level, so the blame-based HEAD sample and the snapshot must agree."""
    head, snap = report["trend"]["samples"][-1]["rows"], report["snapshot"]["rows"]
    for origin in ("ai", "human"):
        for key in ("functions", "code_lines", "avg_cyclomatic", "duplication_pct", "debt_hours"):
            assert head[origin][key] == snap[origin][key], f"{origin} {key}: trend HEAD sample == snapshot"


def test_old_schema_samples_are_recomputed(repo):
    """Rows stored under the previous schema key (no duplication/debt fields) are not reused."""
    from guardline.report import trend
    from guardline.scan import profile_key

    config = load_config(repo)
    head = _git(repo, "rev-parse", "HEAD").strip()
    db = sqlite3.connect(os.path.join(repo, ".guardline", "report.sqlite"))
    db.execute("DELETE FROM samples")
    db.execute("INSERT INTO samples VALUES (?,?,?)", (head, f"report-trend-1/{profile_key(config)}",
                                                      json.dumps({"ai": {"avg_cyclomatic": 99.0}})))
    db.commit()
    db.close()
    result, _gate = trend.run(Workspace(repo, config))
    assert result["reused"] == 0 and result["added"] == 2, "old-schema rows are ignored, both samples computed"
    assert result["samples"][-1]["rows"]["ai"]["duplication_pct"] == 100.0, "not the stale 99.0 row"
    again, _gate = trend.run(Workspace(repo, config))
    assert again["reused"] == 2 and again["added"] == 0, "the new rows are reused on the next run"


def test_scatter_uses_per_line_ai_share(report):
    by_sha = {p["origin"] + ":" + str(p["changed"]): p for p in report["history"]["scatter"]}
    assert by_sha["ai:18"]["ai_share"] == 1.0, "Claude commit without a note: every added line is AI"
    assert by_sha["human:2"]["ai_share"] == 0.0, "human commit without a note"
    assert by_sha["human:4"]["ai_share"] == 0.5, "git-ai note: 2 of the 4 added lines are AI"
    from guardline.report.history import week_start

    noted = by_sha["human:4"]
    week = next(w for w in json.loads(render(report, "json"))["velocity"] if w["week"] == week_start(noted["time"]))
    same_week = [p for p in report["history"]["scatter"] if week_start(p["time"]) == week["week"]]
    expected = sum(p["ai_share"] * p["added"] for p in same_week) / sum(p["added"] for p in same_week)
    assert week["ai_share"] == round(expected, 3) and 0.0 < week["ai_share"] < 1.0, \
        "the week's point is coloured by its added lines' AI share, the noted commit counting half"


def test_forward_line_map_equals_git_blame(tmp_path):
    """LineMap replays first-parent history (one `git log -p`) instead of `git blame` per file and sample;
    at every first-parent commit it must give exactly blame's introducing commits, across a side branch
    merged with --no-ff (lines keep their side-branch commit), a rename with an edit, a deletion and a
    file without a final newline."""
    from guardline.report.linemap import LineMap
    from guardline.report.trend import blame_commits, tree_files

    path = str(tmp_path)
    _git(path, "init", "-q", "-b", "main")
    _commit(path, {"a.py": "a1\na2\na3\na4\n", "b.py": "b1\nb2\n"}, "one", T0)
    _commit(path, {"a.py": "a1\nA2\na3\nnew\na4\n"}, "two", T0 + 10)
    _git(path, "checkout", "-q", "-b", "side", when=T0 + 20)
    _commit(path, {"b.py": "b1\nside\nb2\n", "c.py": "c1\nc2"}, "side work", T0 + 30)
    _git(path, "checkout", "-q", "main", when=T0 + 40)
    _commit(path, {"a.py": "a0\na1\nA2\na3\nnew\na4\n"}, "three", T0 + 50)
    _git(path, "merge", "-q", "--no-ff", "-m", "merge side", "side", when=T0 + 60)
    _git(path, "mv", "a.py", "renamed.py", when=T0 + 70)
    with open(os.path.join(path, "renamed.py"), "a", encoding="utf-8") as fh:
        fh.write("tail\n")
    _git(path, "rm", "-q", "b.py", when=T0 + 70)
    _git(path, "add", "--", "renamed.py", when=T0 + 70)
    _git(path, "commit", "-q", "-m", "rename and delete", when=T0 + 70)
    first_parent = _git(path, "rev-list", "--first-parent", "HEAD").split()
    checked = 0
    for sha, lines in LineMap(path).walk(set(first_parent)):
        for file, _blob in tree_files(path, sha):
            assert lines.get(file) == blame_commits(path, sha, file), f"{file} at {sha[:8]}: same as git blame"
            checked += 1
    assert checked == 2 + 2 + 2 + 3 + 2, "files per first-parent commit: one 2, two 2, three 2, merge 3, rename 2"
    side = _git(path, "rev-parse", "side").strip()
    merged = dict(LineMap(path).walk({first_parent[0]}))[first_parent[0]]
    assert merged["c.py"] == [side, side], "lines merged from the side branch keep the side commit, like blame"


def test_shared_run_cache_gives_the_same_samples(repo):
    """Samples computed oldest first with one RunCache (parsed blobs, incremental clone index) equal samples
    computed each from scratch: week 1 adds the clone pair, week 2 changes neither file nor partner."""
    from guardline.report.history import CommitOrigins
    from guardline.report.trend import RunCache, compute_sample

    config = load_config(repo)
    origins = CommitOrigins(repo, config)
    shas = _git(repo, "rev-list", "--reverse", "HEAD").split()
    cache = RunCache(repo, config)
    shared = [compute_sample(repo, sha, config, origins, cache=cache) for sha in shas]
    fresh = [compute_sample(repo, sha, config, origins) for sha in shas]
    assert shared == fresh, "the incremental clone index and parse cache change no figure"
    assert cache.clones.queries == 3, "human.py once, a.py and b.py once each; nothing re-queried afterwards"
    assert cache.figures.reused == 4, "human.py at week 1's second sample, all three files at week 2: not measured again"


def test_a_file_is_measured_again_when_its_line_commits_or_clones_change(tmp_path):
    """A file's figures are reused from the previous sample only when its blob, the introducing commits of
    its lines and its clones are all the same: c3 brings back c1's blob of a.py by an AI commit (same blob,
    other commits, other origin), c4 copies a.py to b.py (a.py's blob and commits unchanged, a clone more)."""
    from guardline.report.history import CommitOrigins
    from guardline.report.trend import RunCache, compute_sample

    path = str(tmp_path)
    _git(path, "init", "-q", "-b", "main")
    _commit(path, {"a.py": COPY_PY}, "Add copy_fn", T0)
    _commit(path, {"a.py": HUMAN_PY}, AI_MESSAGE, T0 + DAY)
    _commit(path, {"a.py": COPY_PY}, AI_MESSAGE, T0 + 2 * DAY)
    _commit(path, {"b.py": COPY_PY}, "Copy copy_fn", T0 + 3 * DAY)
    config = load_config(path)
    origins = CommitOrigins(path, config)
    c1, _c2, c3, c4 = _git(path, "rev-list", "--reverse", "HEAD").split()
    cache = RunCache(path, config)
    shared = [compute_sample(path, sha, config, origins, cache=cache) for sha in (c1, c3, c4)]
    fresh = [compute_sample(path, sha, config, origins) for sha in (c1, c3, c4)]
    assert shared == fresh, "no figure reused across a change of line origins or of clones"
    assert shared[1]["ai"]["functions"] == 1 and shared[2]["ai"]["duplicated_lines"] > 0
    assert cache.figures.reused == 0


def test_a_suppressed_file_duplication_finding_keeps_its_directive_used(tmp_path):
    """The sample leaves out a file's duplication % only where it changes no figure: a.py's
    `ignore[file-duplication]` matches its file-duplication finding (100% of its code is copied), so the
    directive is used and adds no stale-suppression debt. Debt: the two duplicated blocks, 7.5 min each."""
    from guardline.report.history import CommitOrigins
    from guardline.report.trend import compute_sample

    path = str(tmp_path)
    _git(path, "init", "-q", "-b", "main")
    _commit(path, {"a.py": "# guardline: ignore[file-duplication]\n" + COPY_PY, "b.py": COPY_PY}, "Add copies", T0)
    config = load_config(path)
    rows = compute_sample(path, _git(path, "rev-parse", "HEAD").strip(), config, CommitOrigins(path, config))
    assert rows["human"]["debt_minutes"] == 15.0


def test_a_new_run_parses_no_blob_seen_before(repo, monkeypatch):
    """Blob analyses are kept by content (the check cache, clone tokens in report-blobs.sqlite): a later run
    over the same history reads them back and never parses, with the same figures."""
    import guardline.parsing
    from guardline.report.history import CommitOrigins
    from guardline.report.trend import RunCache, compute_sample

    config = load_config(repo)
    origins = CommitOrigins(repo, config)
    shas = _git(repo, "rev-list", "--reverse", "HEAD").split()
    first = RunCache(repo, config)
    expected = [compute_sample(repo, sha, config, origins, cache=first) for sha in shas]
    first.close()

    def no_parse(*_args, **_kwargs):
        raise AssertionError("a blob analysed in an earlier run was parsed again")

    monkeypatch.setattr(guardline.parsing, "parse", no_parse)
    again = RunCache(repo, config)
    try:
        assert [compute_sample(repo, sha, config, origins, cache=again) for sha in shas] == expected
        assert again.blobs.analysed == 0, "every blob came from the stored analyses and tokens"
    finally:
        again.close()


def test_log_hunks_equal_per_commit_diffs(repo):
    """History reads every commit's hunks from one `git log -p -U0`; they must equal `git diff -U0` per
    commit (root commit against the empty tree)."""
    from guardline.report.history import EMPTY_TREE, diff_hunks, log_hunks, read_commits

    commits = read_commits(repo, ["--no-merges", "HEAD", "--"])
    patches = log_hunks(repo, ["--no-merges", "HEAD", "--"])
    assert len(patches) == len(commits) == 3
    for info in commits:
        expected = diff_hunks(repo, info.parents[0] if info.parents else EMPTY_TREE, info.sha)
        assert patches[info.sha] == expected, f"{info.sha[:8]}: same hunks as git diff"


def test_blob_analyses_in_worker_processes_equal_the_in_process_ones(tmp_path):
    """Many unseen blobs are analysed by a process pool (analysis JSON and clone tokens come back, not the
    tree): every function, finding and token must equal the in-process analysis of a copy of the repo."""
    from guardline.report.blobs import MIN_BLOBS_FOR_PROCESSES
    from guardline.report.trend import RunCache, tree_files

    one = tmp_path / "one"
    one.mkdir()
    _git(str(one), "init", "-q", "-b", "main")
    files = {f"m{i}.py": f"def f{i}(x):\n    if x > {i}:\n        return x\n    return eval(x)\n"
             for i in range(MIN_BLOBS_FOR_PROCESSES + 6)}
    _commit(str(one), files, "Add modules", T0)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    seen = []
    for root, workers in ((one, 2), (two, 1)):
        cache = RunCache(str(root), load_config(str(root)))
        listing = tree_files(str(root), "HEAD")
        cache.analyse(listing, workers=workers)
        assert cache.blobs.analysed == len(files), "every blob analysed once, in this run"
        seen.append({path: ([(f.name, f.cyclomatic, f.cognitive, round(f.maintainability, 6))
                             for f in cache.blobs.get(blob).functions],
                            [(g.rule, g.start_line) for g in cache.blobs.get(blob).security],
                            cache.blobs.clone_tokens(cache.blobs.get(blob)).to_bytes(statements=True))
                     for path, blob in listing})
        cache.close()
    assert seen[0] == seen[1], "statement arrays included: the clone search reads them (the pool's tokens had none)"
    assert seen[0]["m3.py"][2][6], "the functions' bodies are statement lists: statement arrays not empty"
    assert seen[0]["m3.py"][0] == [("f3", 2, 1, seen[0]["m3.py"][0][0][3])] and seen[0]["m3.py"][1], \
        "one if: cyclomatic 2, cognitive 1; eval() is a security finding"


def test_sample_groups_are_ready_in_order_and_equal_the_in_process_analysis(tmp_path):
    """The trend's samples are aggregated while the workers analyse the next ones
    (RunCache.analyse_groups): each group is yielded in order with all of its blobs analysed, and the
    versions of one path, spread over groups and analysed by the worker that had the earlier ones (its
    memos and incremental parse), equal a plain in-process analysis."""
    from guardline.report.blobs import MIN_BLOBS_FOR_PROCESSES
    from guardline.report.trend import RunCache, tree_files

    one = tmp_path / "one"
    one.mkdir()
    _git(str(one), "init", "-q", "-b", "main")
    count = MIN_BLOBS_FOR_PROCESSES + 4
    body = "".join(f"def g{n}(x):\n    if x > {n}:\n        return [x, {n}, x * {n}]\n    return x\n\n"
                   for n in range(6))
    for version in range(3):
        files = {f"m{i}.py": body.replace(f"> {i % 6}:", f"> {i % 6 + version}:") + f"M, V = {i}, {version}\n"
                 for i in range(count)}
        _commit(str(one), files, f"Version {version}", T0 + version * 86400)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    shas = _git(str(one), "rev-list", "--reverse", "HEAD").split()
    seen = []
    for root, workers in ((one, 2), (two, 1)):
        cache = RunCache(str(root), load_config(str(root)))
        groups = [tree_files(str(root), sha) for sha in shas]
        answers = {}
        for index in cache.analyse_groups(groups, workers=workers):
            assert all(blob in cache.blobs for _path, blob in groups[index]), f"group {index} ready"
            answers[index] = {path: ([(f.name, f.cyclomatic, f.start_line, f.end_line) for f in cache.blobs.get(blob).functions],
                                     cache.blobs.clone_tokens(cache.blobs.get(blob)).to_bytes(statements=True))
                              for path, blob in groups[index]}
        assert list(answers) == [0, 1, 2], "every group, in order"
        assert cache.blobs.analysed == 3 * count, "each version analysed once"
        seen.append(answers)
        cache.close()
    assert seen[0] == seen[1]
    assert seen[0][2]["m1.py"][0][1] == ("g1", 2, 6, 9), "the version's own functions"


def test_stored_clone_tokens_equal_fresh_ones(tmp_path):
    """A blob's clone tokens read back from .guardline/report-blobs.sqlite equal the tokenizer's, statement
    arrays included: a trend sample's clones must not depend on whether this run tokenized the blob or an
    earlier one did. Before: the store kept six of the nine arrays, so a +20-commits report's samples had
    other duplication figures than a cold report of the same history."""
    from guardline.duplication import tokenize
    from guardline.parsing import parse
    from guardline.report.blobs import TokenStore

    text = "def f(x):\n    if x:\n        y = 1\n        return y\n    return 0\n"
    fresh = tokenize(parse(text, "python"))
    assert len(fresh.stmt_starts) >= 4, "the body's statements are recorded"
    store = TokenStore(str(tmp_path))
    store.put("k", fresh)
    store.put_raw("k2", fresh.language, fresh.content_hash, fresh.to_bytes(statements=True))
    store.close()
    store = TokenStore(str(tmp_path))
    for key in ("k", "k2"):
        back = store.get(key)
        assert back.to_bytes(statements=True) == fresh.to_bytes(statements=True), key
        assert (back.language, back.content_hash) == (fresh.language, fresh.content_hash)
    store.close()


def test_snapshot_clone_tokens_are_shared_with_the_trend(tmp_path):
    """The snapshot's scan tokenizes the working tree for the clone index; those tokens are stored under
    the files' content keys, and they equal what the trend's HEAD sample would tokenize (statement arrays
    included), so the sample reads them instead of tokenizing the same files again."""
    from guardline.cache import content_key
    from guardline.duplication import tokenize
    from guardline.parsing import parse
    from guardline.report import build_snapshot
    from guardline.report.blobs import TokenStore
    from guardline.scan import profile_key
    from guardline.workspace import Workspace

    repo = str(tmp_path)
    _git(repo, "init", "-q", "-b", "main")
    files = {"a.py": "def f(x):\n    if x:\n        return 1\n    return 0\n", "b.js": "function g(y) {\n  return y + 1;\n}\n"}
    _commit(repo, files, "Add", T0)
    config = load_config(repo)
    build_snapshot(Workspace(repo, config))
    store = TokenStore(repo)
    for name, text in files.items():
        language = "python" if name.endswith(".py") else "javascript"
        stored = store.get(content_key(text.encode(), language, profile_key(config)))
        assert stored is not None, f"{name}: stored by the snapshot"
        assert stored.to_bytes(statements=True) == tokenize(parse(text, language)).to_bytes(statements=True)
    store.close()


def test_sample_function_copies_are_shallow_copies():
    """The trend's copy of a function (its origin set per sample) is what copy.copy makes: equal, a new
    object, the same field values (lists shared)."""
    import copy

    from guardline.model import FunctionMetrics, Increment
    from guardline.report.trend import _copy_function

    fn = FunctionMetrics("f", "C.f", 3, 9, cyclomatic=4, cognitive=2, maintainability=61.25,
                         increments=[Increment("cyclomatic", 4, "if", 1)], origin_detail={"tool": "x"})
    made = _copy_function(fn)
    assert made == copy.copy(fn) and made is not fn
    assert made.increments is fn.increments and made.origin_detail is fn.origin_detail
    made.origin = "ai"
    assert fn.origin == "unknown"
