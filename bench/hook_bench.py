"""Agent hook latency: `guardline hook claude` for a Claude Code `Edit` that adds one function to a
3,000-line Python file (no structuredPatch, so the hook diffs), in a git repository.

  cold     a new process on a fresh copy of the workspace (no `.guardline/` state, no clone index)
  warm     a new process per edit on the same workspace (state and clone index present): what an
           agent waits for on every edit
  inproc   run_hook() called in this process (no interpreter start-up, modules imported): the
           hook's own work

Wall and CPU time (user + system of the hook process and its git children) per case.

Every edit adds a differently named function, so none is a repeat. Prints p50/p95 per case.
Usage: python bench/hook_bench.py [--lines 3000] [--runs 15]
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

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(os.path.dirname(HERE), "server")
sys.path.insert(0, SERVER)

FUNCTION = '''def handler_{i}(request, options=None):
    """Handle one request of kind {i}."""
    result = []
    for item in request.items:
        if item.kind == {i} and options:
            result.append(item.value * {i})
        elif item.kind > {i}:
            result.append(item.value)
        else:
            continue
    total = sum(result)
    if total > 100:
        return total - {i}
    return total


'''


STATEMENTS = [
    "{a} = {b} + {n}", "{a} = [{b} for {b} in {c} if {b} > {n}]", "if {a} > {n}:\n    {b} = {a} - {n}",
    "for {a} in range({n}):\n    {b} += {a}", "{a} = {{'{b}': {n}, '{c}': {b}}}", "{a}.append({b} * {n})",
    "while {a} < {n}:\n    {a} += 1", "try:\n    {a} = int({b})\nexcept ValueError:\n    {a} = {n}",
    "{a} = sorted({b}, key=len)", "if not {a}:\n    return {n}", "{a} = '{b}'.join({c})",
    "with open({a}) as {b}:\n    {c} = {b}.read()", "{a} = {b} if {c} else {n}", "{a}, {b} = {b}, {a}",
    "assert {a} is not None", "{a} = max({b}, {n})", "{a} = {b}.get('{c}', {n})", "del {a}[{n}]",
]
WORDS = ["user", "item", "count", "total", "name", "path", "rows", "value", "cache", "limit", "key", "data",
         "result", "index", "buffer", "entry", "record", "offset", "size", "token", "node", "parent", "child"]


def make_source(lines: int, seed: int = 18) -> str:
    """Functions of random statements, names and literals (seeded): like real code, not a file of
    copies of one function (which would make every function a clone of every other)."""
    rng = random.Random(seed)
    parts, count, i = [], 0, 0
    while count < lines:
        body = []
        for _ in range(rng.randint(4, 12)):
            a, b, c = (rng.choice(WORDS) + str(rng.randint(0, 99)) for _ in range(3))
            stmt = rng.choice(STATEMENTS).format(a=a, b=b, c=c, n=rng.randint(0, 999))
            body += ["    " + line for line in stmt.split("\n")]
        block = f"def {rng.choice(WORDS)}_{i}({rng.choice(WORDS)}, {rng.choice(WORDS)}_x=None):\n" + \
            "\n".join(body) + f"\n    return {rng.randint(0, 9)}\n\n\n"
        parts.append(block)
        count += block.count("\n")
        i += 1
    return "".join(parts)


def git(cwd: str, *args: str) -> None:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def make_repo(base: str, lines: int) -> str:
    repo = os.path.join(base, "repo")
    os.makedirs(os.path.join(repo, "src"))
    with open(os.path.join(repo, "src", "big.py"), "w") as fh:
        fh.write(make_source(lines))
    git(repo, "init", "-q")
    git(repo, "-c", "user.name=P", "-c", "user.email=p@example.com", "add", ".")
    git(repo, "-c", "user.name=P", "-c", "user.email=p@example.com", "commit", "-qm", "big file")
    return repo


def edit(repo: str, n: int) -> bytes:
    """Append one new function to the file on disk and return the hook payload for that edit."""
    path = os.path.join(repo, "src", "big.py")
    with open(path) as fh:
        text = fh.read()
    anchor = text.rstrip("\n").rsplit("\n", 1)[-1] + "\n"
    new = anchor + "\n\n" + FUNCTION.format(i=10_000 + n).rstrip("\n") + "\n"
    with open(path, "w") as fh:
        fh.write(text[: len(text) - len(anchor)] + new if text.endswith(anchor) else text + new)
    payload = {"session_id": "bench", "cwd": repo, "hook_event_name": "PostToolUse", "tool_name": "Edit",
               "tool_input": {"file_path": path, "old_string": anchor, "new_string": new},
               "tool_response": {"filePath": path}, "tool_use_id": f"toolu_{n}"}
    return json.dumps(payload).encode()


CPU: dict[str, list[float]] = {}


def run_process(repo: str, payload: bytes, case: str = "") -> float:
    """Wall time of one hook process; its CPU time (user + system, the hook and its git children)
    goes to CPU[case]: on a loaded machine CPU time is the stable figure."""
    env = dict(os.environ, PYTHONPATH=SERVER)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "guardline", "hook", "claude"], cwd=repo, input=payload,
                          capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr.decode())
    CPU.setdefault(case, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(name: str, values: list[float]) -> None:
    line = (f"{name:7} n={len(values):3}  wall p50 {pct(values, 0.5) * 1000:6.0f} ms  p95 "
            f"{pct(values, 0.95) * 1000:6.0f} ms")
    cpu = CPU.get(name)
    if cpu:
        line += f"   CPU p50 {pct(cpu, 0.5) * 1000:6.0f} ms  p95 {pct(cpu, 0.95) * 1000:6.0f} ms"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; file {args.lines} lines")
    with tempfile.TemporaryDirectory() as scratch:
        template = make_repo(os.path.join(scratch, "template"), args.lines)
        cold = []
        for n in range(args.runs):
            copy = os.path.join(scratch, f"cold{n}")
            shutil.copytree(template, copy)
            cold.append(run_process(copy, edit(copy, n), "cold"))
            shutil.rmtree(copy)
        report("cold", cold)
        repo = os.path.join(scratch, "warm")
        shutil.copytree(template, repo)
        subprocess.run([sys.executable, "-m", "guardline", "check", "--no-origin", repo], capture_output=True,
                       env=dict(os.environ, PYTHONPATH=SERVER))      # builds .guardline/clones.sqlite
        run_process(repo, edit(repo, 0))
        warm = [run_process(repo, edit(repo, n), "warm") for n in range(1, args.runs + 1)]
        report("warm", warm)
        from guardline.agents.hook import HookOptions, run_hook
        inproc = []
        for n in range(args.runs + 1, 2 * args.runs + 1):
            payload = edit(repo, n)
            start, cpu = time.perf_counter(), time.process_time()
            run_hook(HookOptions("claude", cwd=repo), payload)
            inproc.append(time.perf_counter() - start)
            CPU.setdefault("inproc", []).append(time.process_time() - cpu)
        report("inproc", inproc)


if __name__ == "__main__":
    main()
