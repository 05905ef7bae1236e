"""Origin attribution benchmark: a 5,000-line file with >= 500 commits of history.

Builds the repository with one `git fast-import` stream (seconds, not minutes), attaches git-ai notes
to a fifth of the commits, then times OriginResolver.resolve():
  cold    fresh resolver, empty SQLite cache (blame + cat-file + notes list)
  sqlite  fresh resolver, warm SQLite cache (what a restarted server sees)
  cached  same resolver, same HEAD and text (memory hit)
  live    same resolver, editor buffer with an uncommitted edit (`--contents -`)
and counts the git processes spawned for each. Targets: cold <= 1.5 s, cached <= 20 ms, O(1) git
processes per file.

With `--files N` (issue 17): a repository of N files and `--commits` commits (default 5,000 for this
mode), each commit one hunk in one file, the authors and markers of AUTHORS (AI and human lines in the
same files, so the ai-modified look-up runs too). It times attributing all N files cold (empty
cache) against `git blame --porcelain -w -M` of the same files, and warm (new resolver, warm SQLite).
Targets: cold <= 1.5x git blame, warm <= 0.2 s per 100 files.

Usage: python bench/origin_bench.py [--lines 5000] [--commits 500] [--keep DIR]
       python bench/origin_bench.py --files 100 [--commits 5000] [--lines 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from guardline.config import Config
from guardline import git as git_runner
from guardline.origin import OriginResolver

AUTHORS = [
    ("Alice Martin", "alice@example.com", ""),
    ("Bob Okafor", "bob@example.com", ""),
    ("Carol Nguyen", "carol@example.com", "\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"),
    ("Copilot", "198982749+Copilot@users.noreply.github.com", ""),
    ("Dave Kim (aider)", "dave@example.com", ""),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", ""),
]
T0 = 1_700_000_000


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
    return env


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def edit(content: list[str], n: int, rng: random.Random, scatter: bool) -> None:
    """One commit's change. Default: one hunk of 3-15 consecutive lines (what commits look like);
    ``scatter``: 5-20 single lines all over the file (a worst case for blame -M)."""
    size = len(content)
    if scatter:
        for _ in range(rng.randint(5, 20)):
            i = rng.randrange(size)
            content[i] = f"value_{i} = compute({i}, 'rev {n}')"
        return
    start = rng.randrange(size - 16)
    for i in range(start, start + rng.randint(3, 15)):
        content[i] = f"value_{i} = compute({i}, 'rev {n}')"


def build_stream(lines: int, commits: int, seed: int = 7, scatter: bool = False) -> bytes:
    rng = random.Random(seed)
    content = [f"value_{i} = compute({i}, 'initial')" for i in range(lines)]
    out: list[bytes] = []
    for n in range(1, commits + 1):
        name, email, footer = AUTHORS[n % len(AUTHORS)]
        if n > 1:
            edit(content, n, rng, scatter)
        stamp = T0 + n * 3600
        text = ("\n".join(content) + "\n").encode()
        out.append(b"commit refs/heads/main\nmark :%d\n" % n)
        out.append(f"author {name} <{email}> {stamp} +0000\n".encode())
        out.append(f"committer {name} <{email}> {stamp} +0000\n".encode())
        out.append(_data(f"Change {n}{footer}".encode()))
        if n > 1:
            out.append(b"from :%d\n" % (n - 1))
        out.append(b"M 100644 inline big.py\n" + _data(text))
    out.append(_notes_commit(commits, lines, rng))
    return b"".join(out)


def _notes_commit(commits: int, lines: int, rng: random.Random) -> bytes:
    parts = [b"commit refs/notes/ai\n", f"committer Notes <n@example.com> {T0} +0000\n".encode(),
             _data(b"git-ai notes")]
    for n in range(5, commits + 1, 5):
        start = rng.randrange(1, lines - 50)
        meta = {"schema_version": "authorship/3.0.0", "base_commit_sha": "0" * 40,
                "sessions": {"s_0a1b2c": {"agent_id": {"tool": "claude", "id": f"s{n}", "model": "claude-sonnet-4-5"}}},
                "humans": {}, "prompts": {}}
        note = f"big.py\n  s_0a1b2c::t_{n:04x} {start}-{start + 40}\n---\n{json.dumps(meta)}"
        parts.append(b"N inline :%d\n" % n + _data(note.encode()))
    return b"".join(parts)


def build_multi_stream(files: int, lines: int, commits: int, seed: int = 11) -> bytes:
    """``commits`` commits over ``files`` files; each commit rewrites one hunk of one file."""
    rng = random.Random(seed)
    contents = [[f"value_{f}_{i} = compute({i}, 'initial')" for i in range(lines)] for f in range(files)]
    out: list[bytes] = []
    for n in range(1, commits + 1):
        name, email, footer = AUTHORS[n % len(AUTHORS)]
        out.append(b"commit refs/heads/main\nmark :%d\n" % n)
        stamp = T0 + n * 600
        out.append(f"author {name} <{email}> {stamp} +0000\ncommitter {name} <{email}> {stamp} +0000\n".encode())
        out.append(_data(f"Change {n}{footer}".encode()))
        if n > 1:
            out.append(b"from :%d\n" % (n - 1))
        touched = range(files) if n == 1 else [rng.randrange(files)]
        for f in touched:
            if n > 1:
                start = rng.randrange(lines - 12)
                for i in range(start, start + rng.randint(2, 10)):
                    contents[f][i] = f"value_{f}_{i} = compute({i}, 'rev {n}')"
            out.append(f"M 100644 inline src/mod_{f:03d}.py\n".encode() + _data(("\n".join(contents[f]) + "\n").encode()))
    return b"".join(out)


def build_repo(path: str, lines: int, commits: int, scatter: bool = False, files: int = 0) -> float:
    started = time.perf_counter()
    env = git_env()
    subprocess.run(["git", "init", "-q", "-b", "main", path], check=True, env=env)
    stream = build_multi_stream(files, lines, commits) if files else build_stream(lines, commits, scatter=scatter)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=stream, check=True, env=env)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=path, check=True, env=env)
    return time.perf_counter() - started


class ProcessCounter:
    """Wraps subprocess.run as seen by the git layer and records each git sub-command."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.seconds = 0.0
        self._real = subprocess.run

    def __enter__(self) -> "ProcessCounter":
        def counting(args, *a, **kw):
            rest = [x for i, x in enumerate(args[1:]) if x != "-c" and (i == 0 or args[i] != "-c")]
            self.calls.append(rest[0] if rest else "?")
            started = time.perf_counter()
            try:
                return self._real(args, *a, **kw)
            finally:
                self.seconds += time.perf_counter() - started
        git_runner.subprocess.run = counting  # type: ignore[assignment]
        return self

    def __exit__(self, *exc) -> None:
        git_runner.subprocess.run = self._real  # type: ignore[assignment]


CPU_MEDIANS: dict[int, tuple[float, float]] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(fn, repeat: int) -> tuple[float, list[str], object, float]:
    """Median wall time, git sub-commands of the last run, its result, median time inside git.
    Also records median CPU seconds (git children, this process) in CPU_MEDIANS: on a loaded machine
    CPU time is the figure that does not depend on what else runs."""
    times, in_git, calls, result, git_cpu, own_cpu = [], [], [], None, [], []
    for _ in range(repeat):
        with ProcessCounter() as counter:
            child0, own0 = _children_cpu(), time.process_time()
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
            git_cpu.append(_children_cpu() - child0)
            own_cpu.append(time.process_time() - own0)
        calls = counter.calls
        in_git.append(counter.seconds)
    CPU_MEDIANS[id(fn)] = (statistics.median(git_cpu), statistics.median(own_cpu))
    return statistics.median(times), calls, result, statistics.median(in_git)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="build the repository here and keep it")
    parser.add_argument("--scatter", action="store_true",
                        help="worst case: each commit edits 5-20 lines scattered over the file")
    parser.add_argument("--files", type=int, default=0, help="many-file mode: this many files (issue 17)")
    args = parser.parse_args()
    if args.files:
        return multi(args)
    base = args.keep or tempfile.mkdtemp(prefix="guardline-origin-bench-")
    repo = os.path.join(base, "repo")
    try:
        build_s = build_repo(repo, args.lines, args.commits, args.scatter)
        count = subprocess.run(["git", "rev-list", "--count", "main"], cwd=repo, capture_output=True, text=True,
                               env=git_env(), check=True).stdout.strip()
        shape = "scattered single-line edits" if args.scatter else "one hunk per commit"
        print(f"repository: {args.lines} lines, {count} commits ({shape}), built with fast-import in "
              f"{build_s:.2f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        for flags in (["-w", "-M"], ["-w"]):
            def raw_blame(flags=flags):
                subprocess.run(["git", "blame", "--porcelain", *flags, "--", "big.py"], cwd=repo,
                               capture_output=True, check=True)
            raw_s, *_ = timed(raw_blame, args.repeat)
            print(f"raw git blame --porcelain {' '.join(flags)}: {raw_s * 1000:.0f} ms wall, "
                  f"{CPU_MEDIANS[id(raw_blame)][0] * 1000:.0f} ms CPU")
        report(repo, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def multi(args: argparse.Namespace) -> int:
    commits = args.commits if args.commits != 500 else 5000
    lines = args.lines if args.lines != 5000 else 200
    base = args.keep or tempfile.mkdtemp(prefix="guardline-origin-bench-")
    repo = os.path.join(base, "repo")
    try:
        build_s = build_repo(repo, lines, commits, files=args.files)
        rels = [f"src/mod_{f:03d}.py" for f in range(args.files)]
        print(f"repository: {args.files} files x {lines} lines, {commits} commits (one hunk each), built in "
              f"{build_s:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

        def raw_blame():
            for rel in rels:
                subprocess.run(["git", "blame", "--porcelain", "-w", "-M", "--", rel], cwd=repo, capture_output=True,
                               check=True, env=git_env())

        def cold():
            shutil.rmtree(os.path.join(repo, ".guardline"), ignore_errors=True)
            resolver = OriginResolver(repo, Config())
            return [resolver.resolve(rel) for rel in rels]

        def warm():
            resolver = OriginResolver(repo, Config())
            return [resolver.resolve(rel) for rel in rels]

        blame_s, *_ = timed(raw_blame, args.repeat)
        cold_s, cold_calls, results, _ = timed(cold, args.repeat)
        warm_s, warm_calls, _, _ = timed(warm, args.repeat)
        counts: dict[str, int] = {}
        for result in results:
            for origin, n in result.counts().items():
                counts[origin] = counts.get(origin, 0) + n
        per100 = warm_s * 100 / len(rels)
        print(f"origins: {counts}")
        print(f"git blame -w -M of the {len(rels)} files: {blame_s:.2f} s wall, "
              f"{CPU_MEDIANS[id(raw_blame)][0]:.2f} s git CPU")
        print(f"cold attribution: {cold_s:.2f} s wall ({cold_s / blame_s:.2f}x git blame; target <= 1.5x), "
              f"{CPU_MEDIANS[id(cold)][0]:.2f} s git CPU + {CPU_MEDIANS[id(cold)][1]:.2f} s Python; "
              f"{len(cold_calls)} git processes ({', '.join(sorted(set(cold_calls)))})")
        warm_cpu = sum(CPU_MEDIANS[id(warm)])
        print(f"warm (new resolver, warm SQLite): {warm_s * 1000:.0f} ms wall, {warm_cpu * 1000:.0f} ms CPU for "
              f"{len(rels)} files = {per100 * 1000:.0f} ms wall / {warm_cpu * 100 / len(rels) * 1000:.0f} ms CPU per "
              f"100 files (target <= 200 ms); {len(warm_calls)} git processes")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def report(repo: str, repeat: int) -> None:
    config = Config()

    def cold():
        shutil.rmtree(os.path.join(repo, ".guardline"), ignore_errors=True)
        return OriginResolver(repo, config).resolve("big.py")

    def sqlite():
        return OriginResolver(repo, config).resolve("big.py")

    warm = OriginResolver(repo, config)
    warm.resolve("big.py")

    def cached():
        return warm.resolve("big.py")

    with open(os.path.join(repo, "big.py"), encoding="utf-8") as fh:
        text = fh.read()
    edits = iter(range(10**6))

    def live_edit():
        return warm.resolve("big.py", text=f"# edit {next(edits)}\n" + text)

    cold_s, cold_calls, result, cold_git = timed(cold, repeat)
    sqlite_s, sqlite_calls, _, sqlite_git = timed(sqlite, repeat)
    cached_s, cached_calls, _, cached_git = timed(cached, repeat * 20)
    live_s, live_calls, live, live_git = timed(live_edit, repeat)
    counts = result.counts()
    print(f"origins: {counts} (notes: {result.notes})")
    print(f"live buffer: first line {live.lines[0].origin}/{live.lines[0].evidence}")
    rows = [("cold (empty cache)", cold, cold_s, cold_git, cold_calls, "<= 1500 ms"),
            ("sqlite (new resolver)", sqlite, sqlite_s, sqlite_git, sqlite_calls, ""),
            ("cached (memory)", cached, cached_s, cached_git, cached_calls, "<= 20 ms"),
            ("live buffer (--contents -)", live_edit, live_s, live_git, live_calls, "")]
    print(f"{'case':28} {'wall ms':>8} {'in git':>8} {'python':>8} {'git CPU':>8} {'py CPU':>8}"
          f"  git processes / target")
    for name, fn, seconds, in_git, calls, target in rows:
        git_cpu, own_cpu = CPU_MEDIANS[id(fn)]
        print(f"{name:28} {seconds * 1000:8.1f} {in_git * 1000:8.1f} {(seconds - in_git) * 1000:8.1f} "
              f"{git_cpu * 1000:8.1f} {own_cpu * 1000:8.1f}  {len(calls)} ({'+'.join(calls) or '-'})  {target}")


if __name__ == "__main__":
    sys.exit(main())
