"""Run every benchmark script in bench/ (what `make bench` does) and say which ran.

    python bench/run_all.py [--full] [--only NAME ...] [--timeout S] [--list]

By default each script runs with a quick sample option (a few files, edits or commits: minutes in all,
not hours); ``--full`` runs each with its own defaults (the figures in bench/RESULTS.md). Every
``bench/*.py`` script is run: one with no entry in QUICK runs with its defaults and is flagged. Output
of each goes to bench/out/<name>.log; the summary prints status, wall and CPU time (user+sys of the
script's process tree: stable on a loaded machine, unlike wall time) and the load average. Exit code 1
when a script failed or timed out, 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "out"
STDLIB = pathlib.Path(sysconfig.get_paths()["stdlib"])
# stdlib packages copied into a scratch folder for the benches that analyse a workspace (they write
# .guardline/ into it, so never the interpreter's own folder)
SAMPLE_PACKAGES = ("json", "email", "http", "logging")
SKIP_EXIT = 77     # a script exits with this when a peer or corpus it needs is missing


def quick_args(sample: pathlib.Path) -> dict[str, list[str]]:
    """Script -> arguments of a quick run (each script's own CLI; see its --help)."""
    return {
        "check_bench.py": ["--corpus", str(sample / "check"), "--jobs", "2"],
        "duplication_bench.py": ["--files", "100", "--show", "5"],
        "hook_bench.py": ["--lines", "1000", "--runs", "3"],
        "lizard_diff.py": ["python", str(STDLIB / "json"), "--show", "10"],
        "lsp_latency.py": ["--edits", "20", "--files", "10"],
        "lsp_soak.py": ["--edits", "400", "--every", "200", "--warmup", "100"],
        "org_bench.py": ["--repos", "2", "--work", str(sample / "org")],
        "origin_bench.py": ["--lines", "1000", "--commits", "50", "--repeat", "1"],
        "parse_floor.py": ["--jobs", "2", str(sample / "parse")],
        "radon_diff.py": ["--limit", "60", "--show", "10"],
        "radon_mi_diff.py": ["--limit", "60"],
        "report_bench.py": ["--commits", "100", "--extra", "5"],
        "robustness_bench.py": ["--depths", "5000", "--languages", "python,javascript"],
        "security_bench.py": ["--corpus-only"],
    }


# the arguments a script cannot run without, also in --full mode (its defaults need them)
REQUIRED_FULL = {"lizard_diff.py": ["python", str(STDLIB)], "parse_floor.py": [str(STDLIB)]}


@dataclass
class Outcome:
    name: str
    status: str        # ran | failed (exit N) | timed out | skipped
    wall: float = 0.0
    cpu: float = 0.0
    note: str = ""


def bench_scripts() -> list[str]:
    return sorted(p.name for p in HERE.glob("*.py")
                  if p.name != pathlib.Path(__file__).name and not p.name.startswith("_"))  # _x.py: shared code


def prepare_sample(root: pathlib.Path) -> None:
    for folder in ("check", "parse"):
        for package in SAMPLE_PACKAGES:
            source = STDLIB / package
            if source.is_dir():
                shutil.copytree(source, root / folder / package,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "test", "tests"))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_one(name: str, args: list[str], timeout: float, note: str) -> Outcome:
    log = OUT / f"{name.removesuffix('.py')}.log"
    cpu0, start = children_cpu(), time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        out.write(f"$ {sys.executable} bench/{name} {' '.join(args)}\n")
        out.flush()
        # its own process group: a timeout ends the script and every process it started (servers, Ray)
        proc = subprocess.Popen([sys.executable, str(HERE / name), *args], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=HERE.parent, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return Outcome(name, "timed out", time.perf_counter() - start, children_cpu() - cpu0, note)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu0
    if proc.returncode == 0:
        return Outcome(name, "ran", wall, cpu, note)
    status = "skipped" if proc.returncode == SKIP_EXIT else f"failed (exit {proc.returncode})"
    return Outcome(name, status, wall, cpu, note or f"see {log.relative_to(HERE.parent)}")


def plan(names: list[str], full: bool, sample: pathlib.Path) -> list[tuple[str, list[str], str]]:
    quick = quick_args(sample)
    out = []
    for name in names:
        if full:
            out.append((name, REQUIRED_FULL.get(name, []), ""))
        elif name in quick:
            out.append((name, quick[name], ""))
        else:
            out.append((name, REQUIRED_FULL.get(name, []), "no quick option known: its defaults"))
    return out


def report(outcomes: list[Outcome]) -> None:
    print(f"\n{'script':<24}{'status':<20}{'wall s':>9}{'cpu s':>9}  note")
    for o in outcomes:
        print(f"{o.name:<24}{o.status:<20}{o.wall:9.1f}{o.cpu:9.1f}  {o.note}")
    ran = [o.name for o in outcomes if o.status == "ran"]
    print(f"ran {len(ran)} of {len(outcomes)}: {', '.join(ran) or 'none'}; logs in bench/out/; "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="each script with its own defaults (slow)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these scripts only (e.g. radon_diff)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per script")
    parser.add_argument("--list", action="store_true", help="print the scripts and their arguments, run nothing")
    args = parser.parse_args(argv)
    names = bench_scripts()
    if args.only:
        wanted = {n if n.endswith(".py") else f"{n}.py" for n in args.only}
        unknown = sorted(wanted - set(names))
        if unknown:
            print(f"error: no such bench script: {', '.join(unknown)}", file=sys.stderr)
            return 2
        names = [n for n in names if n in wanted]
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guardline-bench-") as scratch:
        sample = pathlib.Path(scratch)
        steps = plan(names, args.full, sample)
        if args.list:
            for name, script_args, note in steps:
                print(f"{name} {' '.join(script_args)}" + (f"   ({note})" if note else ""))
            return 0
        prepare_sample(sample)
        outcomes = []
        for name, script_args, note in steps:
            print(f"running {name} {' '.join(script_args)}", flush=True)
            outcomes.append(run_one(name, script_args, args.timeout, note))
    report(outcomes)
    return 1 if any(o.status.startswith(("failed", "timed")) for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
