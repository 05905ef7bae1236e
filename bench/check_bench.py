"""Benchmark: `guardline check` on the CPython standard library against radon, lizard and complexipy.

Usage: python bench/check_bench.py [--corpus DIR] [--jobs N]
Copies the stdlib (without site-packages) to bench/corpora/stdlib once, then times, in one run:
guardline cold (empty cache), guardline warm (cache filled), `radon cc`, `lizard`, `complexipy`.
Prints wall time, peak RSS (of the process tree as reported by wait4) and the ratios the issue asks
for: cold <= 0.2x lizard, cold <= 2x complexipy, warm <= 0.1x cold.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import sysconfig
import time

HERE = pathlib.Path(__file__).resolve().parent
BIN = pathlib.Path(sys.executable).parent


def prepare_corpus(target: pathlib.Path) -> pathlib.Path:
    if target.exists():
        return target
    source = pathlib.Path(sysconfig.get_paths()["stdlib"])
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"),
                    symlinks=True)
    return target


def timed(cmd: list[str], cwd: pathlib.Path) -> tuple[float, float, float, int]:
    """(wall s, CPU s of the process tree, peak RSS MiB, exit code) of one command, output discarded.

    CPU time is reported too because it is stable on a loaded machine, where wall time is not."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


@contextlib.contextmanager
def metrics_only(corpus: pathlib.Path):
    """A config that turns security, secrets and duplication off, for the metrics-only rows."""
    config = corpus / "guardline.toml"
    config.write_text("[security]\nenabled = false\nsecrets = false\n\n[duplication]\nenabled = false\n")
    try:
        yield
    finally:
        config.write_text("# defaults\n")


def tool(name: str) -> str | None:
    path = BIN / name
    return str(path) if path.exists() else shutil.which(name)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(HERE / "corpora" / "stdlib"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    corpus = prepare_corpus(pathlib.Path(args.corpus))
    files = sum(1 for _ in corpus.rglob("*.py"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"corpus {corpus} ({files} .py files)")
    # an empty config file makes the corpus its own workspace root (otherwise the nearest ancestor with
    # a config or .git, e.g. this repository, would hold the cache and "cold" would not be cold)
    (corpus / "guardline.toml").write_text("# defaults\n")
    shutil.rmtree(corpus / ".guardline", ignore_errors=True)
    guardline = [tool("guardline"), "check", "--no-origin", "--allow-empty", "--format", "json",
                 "--jobs", str(args.jobs), "-o", os.devnull, "."]
    rows: dict[str, tuple[float, float, float, int]] = {}
    rows["guardline cold"] = timed(guardline, corpus)
    rows["guardline warm"] = timed(guardline, corpus)
    with metrics_only(corpus):
        shutil.rmtree(corpus / ".guardline", ignore_errors=True)
        rows["gl metrics cold"] = timed(guardline, corpus)
        rows["gl metrics warm"] = timed(guardline, corpus)
    # the floor of any tree-sitter based tool: reading and parsing every file, same process count
    rows["parse only"] = timed([sys.executable, str(HERE / "parse_floor.py"), "--jobs", str(args.jobs), "."],
                               corpus)
    peers = {
        "radon cc": [tool("radon"), "cc", "-j", "-O", os.devnull, "."],
        "lizard": [tool("lizard"), "-l", "python", "."],
        "complexipy": [tool("complexipy"), ".", "--quiet"] if tool("complexipy") else None,
    }
    for name, cmd in peers.items():
        if cmd is None or cmd[0] is None:
            print(f"{name}: not installed (pip install -e '.[bench]')")
            continue
        rows[name] = timed(cmd, corpus)
    print(f"load average before the run: {os.getloadavg()[0]:.1f}")
    print(f"{'tool':<16} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'exit':>5}")
    for name, (wall, cpu, rss, code) in rows.items():
        print(f"{name:<16} {wall:8.2f} {cpu:8.2f} {rss:9.0f} {code:5d}")
    cold = rows["guardline cold"][0]
    ratios = {"cold / lizard (target <= 0.2)": ("lizard", cold),
              "cold / complexipy (target <= 2)": ("complexipy", cold),
              "cold / radon cc": ("radon cc", cold)}
    for label, (peer, value) in ratios.items():
        if peer in rows:
            print(f"{label}: wall {value / rows[peer][0]:.3f}, CPU {rows['guardline cold'][1] / rows[peer][1]:.3f}")
    print(f"warm / cold (target <= 0.1): wall {rows['guardline warm'][0] / cold:.3f}, "
          f"CPU {rows['guardline warm'][1] / rows['guardline cold'][1]:.3f}")
    metrics_cold = rows["gl metrics cold"][0]
    for peer in ("lizard", "complexipy"):
        if peer in rows:
            print(f"metrics-only cold / {peer}: wall {metrics_cold / rows[peer][0]:.3f}")
    print(f"metrics-only warm / cold: wall {rows['gl metrics warm'][0] / metrics_cold:.3f}")
    if "complexipy" in rows:
        print(f"parse only / complexipy: wall {rows['parse only'][0] / rows['complexipy'][0]:.3f} "
              "(> 2 means the complexipy target is below the tree-sitter parse floor)")
    print("CPU s counts the main process and the children it waited for: pool workers started by "
          "the forkserver are not included, compare wall times")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
