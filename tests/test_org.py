"""guardline org: repository lists, cached clones, the Ray run, and the organisation merge.

The merge tests use small hand-made report documents whose expected figures are worked out in the
comments; the Ray tests run `guardline org` on real git repositories made here (demo variants with
different AI shares, plus a folder that is not a repository and a path that does not exist)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

from pathlib import Path

import pytest

from guardline.org import merge as org_merge
from guardline.org.progress import Progress
from guardline.org.sources import SourceError, collect_sources, default_name, parse_repos_file
from guardline.org.task import codeowners_team

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GUARDLINE = [sys.executable, "-m", "guardline"]
DAY = 86400


# --- repository lists -------------------------------------------------------------------------------
def test_default_names_come_from_the_location():
    assert default_name("https://example.invalid/acme/flask.git") == "flask"
    assert default_name("git@example.invalid:acme/cobra.git") == "cobra"
    assert default_name("/src/vscode-languageserver-node/") == "vscode-languageserver-node"


def test_repos_file_gives_teams_comments_and_relative_paths(tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text("# the platform repos\napi  platform\n./web, frontend  # comment\n\nhttps://h.invalid/x/tools.git\n")
    sources = parse_repos_file(str(listing))
    assert [(s.name, s.team) for s in sources] == [("api", "platform"), ("web", "frontend"), ("tools", "")]
    assert sources[0].location == str(tmp_path / "api"), "relative to the list's folder, not the cwd"
    assert sources[2].is_url and not sources[0].is_url


def test_repos_file_errors_name_the_line(tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text("api platform extra\n")
    with pytest.raises(SourceError, match=r"repos.txt:1: expected `LOCATION \[TEAM\]`, got 3 fields"):
        parse_repos_file(str(listing))
    listing.write_text("ext::sh -c touch% /tmp/pwned\n")
    with pytest.raises(SourceError, match="ext:: and fd:: run programs"):
        parse_repos_file(str(listing))


def test_duplicate_names_are_made_unique(tmp_path):
    sources = collect_sources([str(tmp_path / "a" / "api"), str(tmp_path / "b" / "api")], None, str(tmp_path))
    assert [s.name for s in sources] == ["api", "api-2"], "two outputs must not overwrite each other"


def test_codeowners_default_owner_is_the_team(tmp_path):
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text("# owners\n*       @acme/platform\n/docs/  @acme/docs\n")
    assert codeowners_team(str(tmp_path)) == "acme/platform"
    assert codeowners_team(str(tmp_path / "nowhere")) == ""


def test_progress_line_counts_failures():
    import io

    stream = io.StringIO()
    progress = Progress(3, stream)
    progress.done()
    progress.done(failed=True)
    assert "2/3 repositories · 1 failed" in stream.getvalue().splitlines()[-1]


# --- merge --------------------------------------------------------------------------------------------
def _row(key, scale, higher, cells, tools=None):
    """A report row; ``cells``: origin -> (num, den) (den 0 = no data)."""
    return {"key": key, "label": key, "unit": "u", "sample_unit": "functions", "scale": scale,
            "higher_is_better": higher,
            "origins": {o: {"value": (scale * n / d if d else None), "num": n, "den": d, "units": 1,
                            "sample": {"functions": d}} for o, (n, d) in cells.items()},
            "tools": {t: {"value": scale * n / d, "num": n, "den": d, "units": 1, "sample": {}}
                      for t, (n, d) in (tools or {}).items()}}


def _outcome(name, team, rows, samples=()):
    report = {"schema_version": "guardline-report/1", "rows": rows, "trend": {"samples": list(samples)},
              "evidence_mix": {}}
    return {"name": name, "team": team, "location": f"/src/{name}", "status": "ok", "report": report}


def test_merged_mean_weights_by_functions_never_averages_averages():
    # Repository a: 1 AI function of cyclomatic 10. Repository b: 99 AI functions summing to 99.
    # Average of averages would be (10 + 1) / 2 = 5.5; the organisation mean is 109 / 100 = 1.09.
    a = _outcome("a", "t", [_row("avg_cyclomatic", 1.0, False, {"ai": (10, 1), "human": (30, 10)})])
    b = _outcome("b", "t", [_row("avg_cyclomatic", 1.0, False, {"ai": (99, 99), "human": (20, 10)})])
    doc = org_merge.merge([a, b])
    ai = doc["rows"][0]["origins"]["ai"]
    assert (ai["value"], ai["num"], ai["den"]) == (1.09, 109, 100)
    assert doc["rows"][0]["origins"]["human"]["value"] == 2.5, "(30 + 20) / (10 + 10)"
    assert doc["rows"][0]["delta"]["abs"] == pytest.approx(-1.41)
    assert doc["rows"][0]["delta"]["verdict"] == "small sample", "2 repositories < MIN_REPOSITORIES"


def test_origin_without_data_is_no_data_not_zero():
    a = _outcome("a", "t", [_row("security_per_kloc", 1000.0, False, {"ai": (0, 0), "human": (3, 1500)})])
    row = org_merge.merge([a])["rows"][0]
    assert row["origins"]["ai"]["value"] is None and row["origins"]["ai"]["repositories"] == []
    assert row["origins"]["human"]["value"] == 2.0, "3 findings / 1.5 kLOC"
    assert row["delta"] == {"abs": None, "pct": None, "ci95": None, "verdict": "no data"}


def test_teams_tools_ranking_and_evidence():
    rows_x = [_row("debt_hours_per_sprint", 1.0, False, {"ai": (12.0, 4), "human": (4.0, 4)}),
              _row("security_per_kloc", 1000.0, False, {"ai": (1, 500), "human": (1, 1500)},
                   tools={"Claude Code": (1, 500)})]
    rows_y = [_row("debt_hours_per_sprint", 1.0, False, {"ai": (0, 0), "human": (2.0, 4)}),
              _row("security_per_kloc", 1000.0, False, {"ai": (0, 0), "human": (0, 2000)})]
    doc = org_merge.merge([_outcome("x", "platform", rows_x), _outcome("y", "", rows_y),
                           {"name": "z", "team": "platform", "location": "/nope", "status": "failed",
                            "error": "not a git repository: /nope"}])
    assert [t["team"] for t in doc["teams"]] == ["(no team)", "platform"]
    assert doc["tools"]["Claude Code"]["security_per_kloc"]["value"] == 2.0, "1 finding / 0.5 kLOC"
    assert [r["name"] for r in doc["ranking"]] == ["x", "y"], "y has no AI code: ranked after x, not as 0 h"
    assert doc["ranking"][0]["ai_debt_hours"] == 12.0 and doc["ranking"][1]["ai_debt_hours"] is None
    by_name = {r["name"]: r for r in doc["repositories"]}
    assert by_name["x"]["evidence"] == {"ai_evidence": True, "ai_share": 0.25, "evidence_mix": {}}, "500/2000 lines"
    assert by_name["y"]["evidence"]["ai_evidence"] is False and by_name["y"]["evidence"]["ai_share"] is None
    assert doc["failed"] == [{"name": "z", "location": "/nope", "error": "not a git repository: /nope"}]


def _sample(when, ai_functions, ai_cc, human_functions, human_cc):
    def part(n, cc):
        return {"functions": n, "code_lines": 10 * n, "sum_cyclomatic": cc, "sum_cognitive": 0,
                "sum_maintainability": 0, "duplicated_lines": 0, "security_findings": 0, "debt_minutes": 0}
    return {"time": when, "rows": {"ai": part(ai_functions, ai_cc), "human": part(human_functions, human_cc)}}


def test_trend_carries_each_repository_forward_and_has_no_ai_point_before_ai_code():
    week = 7 * DAY
    t0 = 1_700_000_000 - 1_700_000_000 % week       # a week boundary
    a = _outcome("a", "t", [], [_sample(t0 + DAY, 0, 0, 10, 20), _sample(t0 + week + DAY, 2, 10, 10, 20)])
    b = _outcome("b", "t", [], [_sample(t0 + 2 * DAY, 0, 0, 30, 30)])
    points = org_merge.merge_trend([a, b])
    assert len(points) == 2
    first, second = points
    assert first["ai"] is None, "no AI code anywhere in week 1: no AI point (never a 0)"
    assert first["human"]["avg_cyclomatic"] == 1.25, "(20 + 30) / (10 + 30)"
    # Week 2: a has its new sample; b has none that week and is carried forward (its code did not change).
    assert second["repositories"] == 2 and second["human"]["functions"] == 40
    assert second["ai"]["avg_cyclomatic"] == 5.0, "10 / 2"


def test_org_document_validates_against_the_shipped_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    schema = json.loads(files("guardline").joinpath("data/org.schema.json").read_text())
    a = _outcome("a", "t", [_row("avg_cyclomatic", 1.0, False, {"ai": (10, 1), "human": (30, 10)})],
                 [_sample(1_700_000_000, 1, 10, 10, 30)])
    jsonschema.validate(org_merge.merge([a]), schema)


# --- the command, end to end ------------------------------------------------------------------------------
def _git(repo, *args, when=None):
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Hana Human", GIT_AUTHOR_EMAIL="hana@example.com",
               GIT_COMMITTER_NAME="Hana Human", GIT_COMMITTER_EMAIL="hana@example.com")
    if when:
        env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


AI_TRAILER = "\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"


def _variant(root, name, extra_ai_files):
    """The demo repository plus ``extra_ai_files`` Claude-written modules: a different AI share each."""
    path = os.path.join(root, name)
    subprocess.run([*GUARDLINE, "demo", path], check=True, capture_output=True)
    last = int(_git(path, "log", "-1", "--format=%ct").strip())
    for i in range(extra_ai_files):
        body = "".join(f"def gen_{i}_{k}(x):\n    if x > {k}:\n        return x - {k}\n    return {k}\n\n\n"
                       for k in range(4))
        with open(os.path.join(path, f"gen_{i}.py"), "w", encoding="utf-8") as fh:
            fh.write(body)
        _git(path, "add", "--", f"gen_{i}.py")
        _git(path, "commit", "-q", "-m", f"Add generated helpers {i}{AI_TRAILER}", when=last + (i + 1) * DAY)
    return path


@pytest.fixture(scope="module")
def org_run(tmp_path_factory):
    pytest.importorskip("ray", reason="Ray is the org extra: pip install '.[org]' (make test installs it)")
    root = str(tmp_path_factory.mktemp("org"))
    repos = [_variant(root, name, extra) for name, extra in (("alpha", 0), ("beta", 1), ("gamma", 3))]
    os.mkdir(os.path.join(root, "plain-folder"))          # not a git repository
    # Modules planted in the folder guardline org is started from (Ray puts the driver's folder on its
    # workers' sys.path): none may be imported.
    for module in ("sqlite3", "pickle", "multiprocessing", "json", "plotly"):
        with open(os.path.join(root, f"{module}.py"), "w", encoding="utf-8") as fh:
            fh.write(f"open({os.path.join(root, 'PLANTED-RAN')!r}, 'a').write({module!r})\n")
    listing = os.path.join(root, "repos.txt")
    with open(listing, "w", encoding="utf-8") as fh:
        fh.write(f"{repos[0]} platform\n{repos[1]} platform\n{repos[2]} data\n{root}/plain-folder data\n"
                 f"{root}/does-not-exist\n")
    # a short cache folder: pytest's tmp path is too long for Ray's socket paths under it (107 bytes)
    out, cache = os.path.join(root, "out"), tempfile.mkdtemp(prefix="gl-org-")
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    script = os.path.join(os.path.dirname(sys.executable), "guardline")   # `python -m` would add the cwd itself
    command = [script, "org", "--repos", listing, "--output", "out"]
    before = _tmp_ray_sessions()
    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root)
    second = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root)
    yield {"root": root, "repos": repos, "out": out, "first": first, "second": second, "env": env,
           "tmp_ray_sessions_before": before, "tmp_ray_sessions_after": _tmp_ray_sessions()}
    shutil.rmtree(cache, ignore_errors=True)


def _tmp_ray_sessions():
    return sorted(os.listdir("/tmp/ray")) if os.path.isdir("/tmp/ray") else []


def _load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def test_no_module_planted_in_the_starting_folder_is_imported(org_run):
    assert not os.path.exists(os.path.join(org_run["root"], "PLANTED-RAN")), "a planted module ran in a worker"


def test_the_local_cluster_writes_its_session_under_the_cache_not_tmp_ray(org_run):
    """Ray's default temp folder is /tmp/ray; guardline writes nothing outside its own folders, so the
    local cluster's session (logs, sockets) is under the cache folder and no new session appeared in /tmp/ray."""
    ray_dir = os.path.join(org_run["env"]["XDG_CACHE_HOME"], "guardline", "org", "ray")
    assert [n for n in os.listdir(ray_dir) if n.startswith("session_2")], os.listdir(ray_dir)
    assert org_run["tmp_ray_sessions_after"] == org_run["tmp_ray_sessions_before"]


def test_org_reports_failures_and_completes_the_others(org_run):
    first = org_run["first"]
    assert first.returncode == 1, f"1 = some repositories failed; stderr: {first.stderr[-2000:]}"
    assert "3 of 5 repositories analysed, 2 failed" in first.stdout
    doc = _load(os.path.join(org_run["out"], "org.json"))
    errors = {f["name"]: f["error"] for f in doc["failed"]}
    assert errors["plain-folder"].startswith("not a git repository:")
    assert errors["does-not-exist"].startswith("not a directory:")
    assert sorted(os.listdir(os.path.join(org_run["out"], "repos"))) == ["alpha.json", "beta.json", "gamma.json"]
    assert os.path.exists(os.path.join(org_run["out"], "org.html")) and os.path.exists(os.path.join(org_run["out"], "org.md"))


def test_per_repository_json_equals_guardline_report_in_each(org_run):
    for path in org_run["repos"]:
        name = os.path.basename(path)
        direct = subprocess.run([*GUARDLINE, "report", "--format", "json", path], capture_output=True, text=True,
                                check=True, env=org_run["env"]).stdout
        expected, got = json.loads(direct), _load(os.path.join(org_run["out"], "repos", f"{name}.json"))
        expected.pop("root"), got.pop("root")      # the org run analysed its cached clone of the repository
        assert got == expected, f"{name}: the org task must be exactly `guardline report --format json`"


def test_merged_rows_equal_a_recomputation_from_per_function_numbers(org_run):
    totals = {"ai": [0, 0], "human": [0, 0]}        # origin -> [sum of cyclomatic, functions]
    for path in org_run["repos"]:
        check = json.loads(subprocess.run([*GUARDLINE, "check", "--format", "json", path], capture_output=True,
                                          text=True, env=org_run["env"]).stdout)
        for file in check["files"]:
            for fn in file["functions"]:
                if fn["origin"] in totals:
                    totals[fn["origin"]][0] += fn["cyclomatic"]
                    totals[fn["origin"]][1] += 1
    doc = _load(os.path.join(org_run["out"], "org.json"))
    row = next(r for r in doc["rows"] if r["key"] == "avg_cyclomatic")
    for origin, (cc, n) in totals.items():
        assert row["origins"][origin]["den"] == n
        assert row["origins"][origin]["value"] == round(cc / n, 3), f"{origin}: Σ cyclomatic / functions over all repos"
    assert row["origins"]["ai"]["den"] > 8, "gamma's 12 extra AI functions are counted"


def test_rerun_with_nothing_changed_reuses_every_result(org_run):
    second = org_run["second"]
    assert second.returncode == 1, second.stderr[-2000:]
    doc = _load(os.path.join(org_run["out"], "org.json"))
    cached = {r["name"]: r["cached"] for r in doc["repositories"] if r["status"] == "ok"}
    assert cached == {"alpha": True, "beta": True, "gamma": True}


def test_org_without_ray_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    from guardline.cli import main

    monkeypatch.setitem(sys.modules, "ray", None)        # `import ray` raises ImportError
    assert main(["org", str(tmp_path), "--output", str(tmp_path / "out")]) == 2
    assert "pip install 'guardline[org]'" in capsys.readouterr().err


def test_org_merge_combines_report_files_without_ray(tmp_path, monkeypatch):
    from guardline.cli import main

    monkeypatch.setitem(sys.modules, "ray", None)
    rows = [_row("avg_cognitive", 1.0, False, {"ai": (30, 3), "human": (10, 10)})]
    for name in ("svc-a", "svc-b"):
        (tmp_path / f"{name}.json").write_text(json.dumps(_outcome(name, "", rows)["report"]))
    (tmp_path / "repos.txt").write_text("svc-a payments\nsvc-b payments\n")
    out = tmp_path / "out"
    assert main(["org", "merge", str(tmp_path / "svc-a.json"), str(tmp_path / "svc-b.json"),
                 "--repos", str(tmp_path / "repos.txt"), "--output", str(out)]) == 0
    doc = _load(out / "org.json")
    assert doc["rows"][0]["origins"]["ai"]["value"] == 10.0, "60 / 6"
    assert [t["team"] for t in doc["teams"]] == ["payments"]


def test_org_merge_refuses_a_file_that_is_not_a_report(tmp_path, capsys):
    from guardline.cli import main

    (tmp_path / "x.json").write_text("{\"files\": []}")
    assert main(["org", "merge", str(tmp_path / "x.json"), "--output", str(tmp_path / "out")]) == 2
    assert "not a guardline report" in capsys.readouterr().err


def test_a_clone_cannot_run_a_program_through_ext_transport(tmp_path):
    # Even past the repos-file check, the runner's transport mode leaves ext:: disallowed.
    from guardline.git import Git, GitError

    marker = tmp_path / "pwned"
    with pytest.raises(GitError):
        Git(str(tmp_path), transport=True).run(["clone", "--", f"ext::sh -c touch% {marker}", str(tmp_path / "c")])
    assert not marker.exists()


def test_a_rerun_with_every_result_cached_starts_no_ray(org_run, monkeypatch):
    """The fixture's second run cached every report: a third run fetches (nothing new), finds each report
    in its cache and must not start a Ray cluster at all (Ray's start is most of a warm run's time)."""
    from guardline.org import runner
    from guardline.org.progress import Progress
    from guardline.org.sources import collect_sources
    from guardline.org.task import TaskOptions

    class RayMustNotStart:
        def init(self, *args, **kwargs):
            raise AssertionError("Ray started although every report was cached")

    monkeypatch.setattr(runner, "import_ray", RayMustNotStart)
    sources = collect_sources(org_run["repos"], None, org_run["root"])
    cache_root = os.path.join(org_run["env"]["XDG_CACHE_HOME"], "guardline", "org")
    outcomes = runner.run_on_ray(sources, TaskOptions(cache_root=cache_root), runner.ClusterOptions(),
                                 Progress(len(sources), enabled=False))
    assert [(o["name"], o["status"], o["cached"]) for o in outcomes] == [
        ("alpha", "ok", True), ("beta", "ok", True), ("gamma", "ok", True)]


@pytest.fixture
def short_tmp():
    """A folder with a short path: pytest's tmp_path is too long for Ray's socket paths (107 bytes) under it."""
    path = tempfile.mkdtemp(prefix="gl-")
    yield Path(path)
    shutil.rmtree(path, ignore_errors=True)


def test_ray_starts_without_usage_statistics_and_with_a_safe_sys_path(monkeypatch, short_tmp):
    """Ray reports usage statistics over the network unless told not to (guardline never talks to a
    network on its own), and the local raylet's workers inherit PYTHONSAFEPATH (no current folder on
    sys.path); both only for the start: the environment is restored after."""
    from guardline.org import runner

    monkeypatch.delenv("RAY_USAGE_STATS_ENABLED", raising=False)
    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)
    seen = {}

    class FakeRay:
        def init(self, **kwargs):
            seen.update(kwargs, usage=os.environ.get("RAY_USAGE_STATS_ENABLED"),
                        safe=os.environ.get("PYTHONSAFEPATH"))

    runner._start(FakeRay(), runner.ClusterOptions(num_cpus=2), str(short_tmp))
    assert (seen["usage"], seen["safe"], seen["num_cpus"]) == ("0", "1", 2)
    assert seen["_temp_dir"] == str(short_tmp / "ray"), "the local cluster's sessions live in guardline's cache"
    assert "RAY_USAGE_STATS_ENABLED" not in os.environ and "PYTHONSAFEPATH" not in os.environ
    seen.clear()
    runner._start(FakeRay(), runner.ClusterOptions(address="ray://head:10001"), str(short_tmp))
    assert seen["address"] == "ray://head:10001" and seen["runtime_env"] == {"env_vars": {"PYTHONSAFEPATH": "1"}}
    assert "_temp_dir" not in seen, "an existing cluster keeps its own temp folder"


def test_ray_temp_dir_keeps_live_sessions_and_falls_back_for_long_paths(short_tmp, monkeypatch):
    """Earlier runs' sessions are removed when their driver (the pid ending the name) has ended; a live one
    (this process) stays. A cache folder too long for Ray's 107-byte socket paths falls back to
    $XDG_RUNTIME_DIR, else to a private folder in the temp folder; when even that is too long, the error
    names --cache-dir."""
    from guardline.org import runner

    ray_dir = short_tmp / "ray"
    dead, live = ray_dir / "session_2026-01-01_00-00-00_000001_999999999", ray_dir / f"session_x_{os.getpid()}"
    for folder in (dead, live):
        (folder / "logs").mkdir(parents=True)
    (ray_dir / "session_latest").symlink_to(dead)
    assert runner.ray_temp_dir(str(short_tmp)) == str(ray_dir)
    assert sorted(p.name for p in ray_dir.iterdir()) == [live.name], "dead session and its dangling link removed"
    long_root = str(short_tmp / ("x" * 60))
    short = str(short_tmp / "r")
    os.mkdir(short)
    monkeypatch.setenv("XDG_RUNTIME_DIR", short)
    assert runner.ray_temp_dir(long_root) == os.path.join(short, "guardline-ray")
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(runner.tempfile, "gettempdir", lambda: short)
    assert runner.ray_temp_dir(long_root) == os.path.join(short, f"guardline-ray-{os.getuid()}")
    monkeypatch.setattr(runner.tempfile, "gettempdir", lambda: long_root)
    with pytest.raises(RuntimeError, match="--cache-dir"):
        runner.ray_temp_dir(long_root)



def test_stopping_the_local_cluster_kills_its_monitor_first_and_leaves_no_process(short_tmp):
    """ray.shutdown() gives each of the local cluster's processes a second to exit after SIGTERM; the
    autoscaler monitor never does, so every run waited a second for it (then Ray killed it). guardline
    kills it first; after the stop, no process of the cluster is left running."""
    ray = pytest.importorskip("ray", reason="Ray is the org extra: pip install '.[org]' (make test installs it)")
    from guardline.org import runner

    cluster = runner._Cluster(ray, runner.ClusterOptions(num_cpus=1), str(short_tmp))
    cluster.window(lambda payload, options: payload, runner.TaskOptions(cache_root=str(short_tmp)),
                   runner.Progress(0, enabled=False))     # starts the cluster, as a first task does
    node = ray._private.worker._global_node
    processes = [info.process for infos in node.all_processes.values() for info in infos]
    monitor = node.all_processes["monitor"][0].process
    assert monitor.poll() is None, "the local cluster runs an autoscaler monitor"
    seen = {}

    class ShutdownSeen:     # the ray module, its shutdown observed
        def __getattr__(self, name):
            return getattr(ray, name)

        def shutdown(self):
            seen["monitor when shutdown starts"] = monitor.poll()
            ray.shutdown()

    cluster.ray = ShutdownSeen()
    cluster.stop()
    assert seen == {"monitor when shutdown starts": -9}, "killed before shutdown (Ray would wait a second)"
    assert [p.pid for p in processes if p.poll() is None] == [], "every process of the cluster has ended"
