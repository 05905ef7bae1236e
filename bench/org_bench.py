"""guardline org: N generated repositories, analysed sequentially in one process, in a plain process
pool (no Ray: what parallelism alone gives this machine) and on the local Ray cluster, all cold (fresh
clone cache), then a warm Ray rerun (every result reused).

    python bench/org_bench.py [--repos 40] [--modules 0] [--rounds 3] [--work DIR]

``--modules M`` adds M more modules (20 functions each, one commit per module, every third one
Claude-written) to every repository: the demo alone is ~12 files, smaller than most real repositories,
so its per-repository fixed costs (Ray's start, git processes) weigh more than they would on real code.

Prints wall times (CPU is not: the raylet reaps its workers itself, so their CPU never reaches this
process's accounting), the sum of the tasks' own times, the Ray speed-up over sequential (target ≥ 0.8 × cores) and time per repository.
The repositories are `guardline demo` variants, each with a different number of extra AI commits."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

from _proctree import compile_guardline
from guardline.org.progress import Progress
from guardline.org.runner import ClusterOptions, run_on_ray, run_sequentially
from guardline.org.sources import collect_sources
from guardline.org.task import TaskOptions, analyse_repository

ENV = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1",
           GIT_AUTHOR_NAME="Hana Human", GIT_AUTHOR_EMAIL="hana@example.com",
           GIT_COMMITTER_NAME="Hana Human", GIT_COMMITTER_EMAIL="hana@example.com")


def module_text(index: int) -> str:
    return "".join(f"def step_{index}_{j}(rows, limit):\n    total = 0\n    for row in rows:\n"
                   f"        if row > limit and row % {j + 2}:\n            total += row\n"
                   f"        elif row < 0:\n            total -= {j}\n    return total\n\n\n" for j in range(20))


def add_modules(path: str, count: int) -> None:
    for k in range(count):
        with open(os.path.join(path, f"module_{k}.py"), "w", encoding="utf-8") as fh:
            fh.write(module_text(k))
        subprocess.run(["git", "add", "--", f"module_{k}.py"], cwd=path, check=True, env=ENV)
        trailer = "\n\nCo-Authored-By: Claude <noreply@anthropic.com>" if k % 3 == 0 else ""
        subprocess.run(["git", "commit", "-q", "-m", f"Add module {k}{trailer}"], cwd=path, check=True, env=ENV)


def make_repositories(work: str, count: int, modules: int = 0) -> list[str]:
    paths = []
    for i in range(count):
        path = os.path.join(work, f"repo-{i:02d}-m{modules}")
        if not os.path.isdir(path):
            subprocess.run([sys.executable, "-m", "guardline", "demo", path], check=True, capture_output=True)
            for k in range(i % 4):
                with open(os.path.join(path, f"extra_{k}.py"), "w", encoding="utf-8") as fh:
                    fh.write("".join(f"def extra_{k}_{j}(x):\n    return x + {j}\n\n\n" for j in range(5)))
                subprocess.run(["git", "add", "--", f"extra_{k}.py"], cwd=path, check=True, env=ENV)
                subprocess.run(["git", "commit", "-q", "-m",
                                f"Add extras {k}\n\nCo-Authored-By: Claude <noreply@anthropic.com>"],
                               cwd=path, check=True, env=ENV)
            add_modules(path, modules)
        paths.append(path)
    return paths


def run_in_process_pool(sources, cache_root: str, cores: int) -> list:
    """The same tasks in a plain process pool of ``cores`` workers, no Ray: what parallelism alone gives
    on this machine for this work (virtual cores sharing a host core or memory bandwidth keep it under
    ``cores``). Ray's speed-up is this minus its own costs."""
    options = TaskOptions(cache_root=cache_root, jobs=1)
    with ProcessPoolExecutor(max_workers=cores, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(analyse_repository, sources, [options] * len(sources)))


def timed(label: str, run) -> float:
    started = time.monotonic()
    outcomes = run()
    seconds = time.monotonic() - started
    ok = sum(o["status"] == "ok" for o in outcomes)
    cached = sum(bool(o.get("cached")) for o in outcomes)
    tasks = sum(o.get("seconds") or 0.0 for o in outcomes)     # each repository's own clone + report time
    print(f"{label:<28} {seconds:8.1f} s   {ok}/{len(outcomes)} ok, {cached} cached, the tasks' own time "
          f"{tasks:.1f} s, load {os.getloadavg()[0]:.1f}", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repos", type=int, default=40)
    parser.add_argument("--modules", type=int, default=0, help="extra 20-function modules per repository")
    parser.add_argument("--work", default=None)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved repetitions (medians printed)")
    args = parser.parse_args()
    # bytecode written once, as a wheel install has it (this shell may set PYTHONDONTWRITEBYTECODE): else
    # every Ray worker compiles guardline again while the sequential run compiles it once
    compile_guardline()
    work = args.work or tempfile.mkdtemp(prefix="guardline-org-bench-")
    paths = make_repositories(work, args.repos, args.modules)
    sources = collect_sources(paths, None, work)
    cores = os.cpu_count() or 1
    print(f"{len(sources)} repositories, {cores} cores, load {os.getloadavg()[0]:.1f}")
    quiet = Progress(len(sources), enabled=False)
    rounds = []
    for round_ in range(args.rounds):     # interleaved: this VM's speed drifts by a third between runs
        for cache in ("seq-cache", "pool-cache", "ray-cache"):
            shutil.rmtree(os.path.join(work, cache), ignore_errors=True)
        print(f"-- round {round_ + 1} of {args.rounds}")
        seq = timed("sequential, cold", lambda: run_sequentially(
            sources, TaskOptions(cache_root=os.path.join(work, "seq-cache"), jobs=1), quiet))
        pooled = timed(f"process pool of {cores}, cold", lambda: run_in_process_pool(
            sources, os.path.join(work, "pool-cache"), cores))
        ray_cold = timed("ray local, cold", lambda: run_on_ray(
            sources, TaskOptions(cache_root=os.path.join(work, "ray-cache")), ClusterOptions(),
            Progress(len(sources), enabled=False)))
        rounds.append((seq, pooled, ray_cold))
    ray_warm = timed("ray local, warm (rerun)", lambda: run_on_ray(
        sources, TaskOptions(cache_root=os.path.join(work, "ray-cache")), ClusterOptions(),
        Progress(len(sources), enabled=False)))
    ray_ratios = sorted(seq / ray for seq, _pool, ray in rounds)
    pool_ratios = sorted(seq / pool for seq, pool, _ray in rounds)
    print(f"speed-up ray/sequential: median {statistics.median(ray_ratios):.2f}x, rounds "
          f"{', '.join(f'{r:.2f}' for r in ray_ratios)} (target >= {0.8 * cores:.1f}x on {cores} cores); "
          f"a plain process pool: median {statistics.median(pool_ratios):.2f}x (what parallelism alone gives)")
    seq, _pool, ray_cold = rounds[-1]
    print(f"per repository (last round): sequential {seq / len(sources):.2f} s, ray {ray_cold / len(sources):.2f} s, "
          f"warm {ray_warm / len(sources):.2f} s")

if __name__ == "__main__":
    main()
