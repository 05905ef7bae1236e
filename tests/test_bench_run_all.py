"""bench/run_all.py (`make bench`): runs every bench script that exists, with a quick option, and says
which ran."""

from __future__ import annotations

import pathlib
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import run_all  # noqa: E402


def scripts() -> set[str]:
    # _name.py holds code the benches share (bench/_proctree.py): not a bench of its own
    return {p.name for p in BENCH.glob("*.py") if not p.name.startswith("_")} - {"run_all.py"}


def test_every_bench_script_is_planned_and_no_quick_entry_is_stale(tmp_path):
    planned = {name for name, _args, _note in run_all.plan(run_all.bench_scripts(), False, tmp_path)}
    assert planned == scripts(), "each bench/*.py runs (a new script too, with its defaults)"
    stale = set(run_all.quick_args(tmp_path)) - scripts()
    assert not stale, f"quick arguments for scripts that no longer exist: {stale}"


def test_a_script_without_a_quick_entry_runs_with_its_defaults_and_is_flagged(tmp_path):
    (name, args, note), = run_all.plan(["new_bench.py"], False, tmp_path)
    assert (name, args) == ("new_bench.py", []) and "defaults" in note


def test_runs_a_bench_and_reports_it(tmp_path):
    result = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--only", "parse_floor"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ran 1 of 1: parse_floor.py" in result.stdout
    assert "files," in (BENCH / "out" / "parse_floor.log").read_text(), "the script's own output is logged"


def test_unknown_script_is_a_usage_error():
    result = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--only", "no_such_bench"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no such bench script" in result.stderr
