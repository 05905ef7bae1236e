"""Benchmark: `guardline check` on the CPython standard library against radon, lizard and complexipy.

Usage: python bench/check_bench.py [--corpus DIR] [--jobs N]
Copies the stdlib (without site-packages) to bench/corpora/stdlib once, then times, in one run:
guardline cold (empty cache), guardline warm (cache filled), the same metrics-only, the tree-sitter
parse floor (bench/parse_floor.py), `radon cc`, `lizard`, `complexipy`.
Prints wall time, CPU time of the whole process tree (this process is a child subreaper, so the pool
workers of a fork server, orphaned when it exits, are reaped and counted here), peak RSS, and the
ratios of issue 21: cold metrics-only <= 1.5x the parse floor, cold full check <= 3x, warm <= 0.05x
cold; and the older ones against lizard and complexipy.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import platform
import resource
import shutil
import subprocess
import sys
import sysconfig
import time

from _proctree import become_subreaper, compile_guardline, reap_all  # bench/_proctree.py

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
    reap_all()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    reap_all()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


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
    tree_cpu = become_subreaper()
    compile_guardline()
    load_before = os.getloadavg()[0]
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
    print(f"load average before the run: {load_before:.1f}, after: {os.getloadavg()[0]:.1f}")
    print(f"{'tool':<16} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'exit':>5}")
    for name, (wall, cpu, rss, code) in rows.items():
        print(f"{name:<16} {wall:8.2f} {cpu:8.2f} {rss:9.0f} {code:5d}")

    def ratio(a: str, b: str) -> str:
        if a not in rows or b not in rows:
            return "n/a"
        return f"wall {rows[a][0] / rows[b][0]:.3f}, CPU {rows[a][1] / rows[b][1]:.3f}"

    print(f"metrics-only cold / parse floor (target <= 1.5): {ratio('gl metrics cold', 'parse only')}")
    print(f"full cold / parse floor (target <= 3): {ratio('guardline cold', 'parse only')}")
    print(f"warm / cold (target <= 0.05): {ratio('guardline warm', 'guardline cold')}")
    print(f"metrics-only warm / cold: {ratio('gl metrics warm', 'gl metrics cold')}")
    for peer in ("lizard", "radon cc", "complexipy"):
        print(f"full cold / {peer}: {ratio('guardline cold', peer)}; metrics-only cold / {peer}: "
              f"{ratio('gl metrics cold', peer)}")
    print("CPU s: the whole process tree" + ("" if tree_cpu else " EXCEPT fork-server pool workers (no "
                                                                "subreaper on this platform): compare wall"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
