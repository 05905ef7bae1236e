"""`guardline report` benchmark on a repository with a long, mixed AI/human history.

Builds (one `git fast-import` stream, seconds) a repository of >= 2,000 commits over ~14 months: Python and
JavaScript modules grown function by function, ~40 % of the commits AI-tagged the way the origin layer
reads them (Claude Code's `Co-Authored-By: Claude` trailer, the Copilot coding agent and Aider authors),
the rest by people; ~15 % are fix commits (`fix: ... (#N)`) that rewrite lines of earlier functions, and
AI commits sometimes copy an existing function (clones for the duplication figures). Then times
`guardline report --format json` as a subprocess:

  cold         empty .guardline/ (snapshot, SZZ history, every trend sample and gate verdict computed)
  warm         again, nothing new
  incremental  after ~20 new commits on top (stored samples and verdicts reused)

each next to `git log -p` of the same history timed in the same run (the floor of any history pass).
`--real PATH` clones an existing repository instead (cold and warm only). `--source DIR` grows a real
project's files (no history of their own, e.g. an sdist from PyPI: `pip download --no-deps --no-binary
:all: flask==3.1.0`, 83 Python files) to their real content over `--commits` generated commits.

and prints wall / CPU (children) seconds and the sample, commit and verdict counts of each run.

Usage: python bench/report_bench.py [--commits 2000] [--extra 20] [--keep DIR] [--real PATH] [--profile]
       [--profile-incremental] [--verify] [--save DIR] [--source DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from _proctree import become_subreaper, reap_all  # bench/_proctree.py

T0 = 1_672_560_000                  # 2023-01-01 08:00 UTC
SPAN_DAYS = 425                     # ~14 months of history
HUMANS = [("Alice Martin", "alice@example.com"), ("Bob Okafor", "bob@example.com"),
          ("Carol Nguyen", "carol@example.com"), ("Dave Kim", "dave@example.com")]
CLAUDE_TRAILER = ("\n\nGenerated with [Claude Code](https://claude.com/claude-code)\n\n"
                  "Co-Authored-By: Claude <noreply@anthropic.com>\n")
COPILOT = ("Copilot", "198982749+Copilot@users.noreply.github.com")
AIDER = ("Erin Park (aider)", "erin@example.com")
MODULES = 48                        # files; 1 in 4 is JavaScript


class Repo:
    """In-memory model of the tree: path -> list of function sources, rendered on each commit."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.files: dict[str, list[str]] = {}
        self.counter = 0

    def path(self) -> str:
        index = self.rng.randrange(MODULES)
        return f"src/pkg{index % 6}/mod{index}.js" if index % 4 == 3 else f"src/pkg{index % 6}/mod{index}.py"

    def new_function(self, path: str, ai: bool) -> str:
        self.counter += 1
        depth = self.rng.randint(1, 5 if ai else 3)
        return (js_function if path.endswith(".js") else py_function)(f"f{self.counter}", depth, self.rng)

    def text(self, path: str) -> str:
        head = "// module\n" if path.endswith(".js") else '"""Module."""\n'
        return head + "\n\n".join(self.files[path]) + "\n"


NAMES = ("items", "limit", "flag", "total", "values", "name", "cache", "row", "key", "result", "count", "node")
ATTRS = ("size", "parent", "price", "rows", "children", "label", "weight")
FUNCS = ("len", "max", "min", "sorted", "str", "helper", "compute", "lookup", "merge")
OPS = ("+", "-", "*", "%", "//")


def expr(rng: random.Random, depth: int, js: bool) -> str:
    """A random expression: names, literals, attributes, calls of 0-3 arguments, operators, subscripts.
    Random trees keep token shapes varied (as real code is), so clones are the deliberate copies."""
    roll = rng.random() if depth > 0 else rng.random() * 0.45
    if roll < 0.2:
        return rng.choice(NAMES)
    if roll < 0.3:
        return str(rng.randint(0, 999))
    if roll < 0.45:
        return f"{rng.choice(NAMES)}.{rng.choice(ATTRS)}"
    if roll < 0.65:
        args = ", ".join(expr(rng, depth - 1, js) for _ in range(rng.randint(0, 3)))
        return f"{rng.choice(FUNCS)}({args})"
    if roll < 0.85:
        return f"{expr(rng, depth - 1, js)} {rng.choice(OPS)} {expr(rng, depth - 1, js)}"
    if roll < 0.93:
        return f"{rng.choice(NAMES)}[{expr(rng, depth - 1, js)}]"
    return "[" + ", ".join(expr(rng, depth - 1, js) for _ in range(rng.randint(1, 3))) + "]"


def statement(rng: random.Random, js: bool) -> str:
    target = rng.choice(NAMES)
    roll = rng.random()
    if roll < 0.5:
        text = f"{target} = {expr(rng, 3, js)}"
    elif roll < 0.7:
        text = f"{target} {rng.choice(OPS[:3])}= {expr(rng, 2, js)}"
    elif roll < 0.85:
        text = f"{target}.{rng.choice(ATTRS)} = {expr(rng, 2, js)}"
    else:
        text = f"{rng.choice(FUNCS)}({expr(rng, 2, js)}, {expr(rng, 1, js)})"
    return text + (";" if js else "")


def _body(rng: random.Random, indent: str, js: bool) -> list[str]:
    return [indent + statement(rng, js) for _ in range(rng.randint(1, 4))]


def py_function(name: str, depth: int, rng: random.Random) -> str:
    lines = [f"def {name}(items, limit, flag, cache):"]
    indent = "    "
    lines += _body(rng, indent, False)
    for level in range(depth):
        head = rng.choice(("for", "if", "while"))
        if head == "for":
            lines.append(f"{indent}for {rng.choice(NAMES)} in {expr(rng, 1, False)}:")
        else:
            lines.append(f"{indent}{head} {expr(rng, 2, False)} > {expr(rng, 1, False)}:")
        indent += "    "
        lines += _body(rng, indent, False)
        if head == "while":
            lines.append(indent + "break")
    lines.append(f"    return {expr(rng, 2, False)}")
    return "\n".join(lines)


def js_function(name: str, depth: int, rng: random.Random) -> str:
    lines = [f"function {name}(items, limit, flag, cache) {{", "  let total = 0, name = '', values = [];"]
    indent = "  "
    lines += _body(rng, indent, True)
    for level in range(depth):
        if rng.random() < 0.5:
            lines.append(f"{indent}for (const {rng.choice(NAMES)}{level} of {expr(rng, 1, True)}) {{")
        else:
            lines.append(f"{indent}if ({expr(rng, 2, True)} > {expr(rng, 1, True)}) {{")
        indent += "  "
        lines += _body(rng, indent, True)
    for _ in range(depth):
        indent = indent[:-2]
        lines.append(f"{indent}}}")
    lines.append(f"  return {expr(rng, 2, True)};")
    lines.append("}")
    return "\n".join(lines)


def pick_author(rng: random.Random) -> tuple[str, str, str, bool]:
    """(name, email, message suffix, is_ai): 40 % AI, as the origin layer classifies commits."""
    roll = rng.random()
    if roll < 0.25:
        name, email = rng.choice(HUMANS)
        return name, email, CLAUDE_TRAILER, True
    if roll < 0.33:
        return COPILOT[0], COPILOT[1], "", True
    if roll < 0.40:
        return AIDER[0], AIDER[1], "", True
    name, email = rng.choice(HUMANS)
    return name, email, "", False


def change(repo: Repo, ai: bool, number: int) -> tuple[dict[str, str], str]:
    """One commit's edits: fix (rewrite lines of an old function), copy (AI clone) or new functions."""
    rng = repo.rng
    paths = [p for p in repo.files if repo.files[p]]
    roll = rng.random()
    if paths and roll < 0.15:
        path = rng.choice(paths)
        funcs = repo.files[path]
        i = rng.randrange(len(funcs))
        lines = funcs[i].split("\n")
        j = rng.randrange(1, len(lines) - 1)
        lines[j] = lines[j].replace("total", "total_fixed", 1) if "total_fixed" not in lines[j] \
            else lines[j].replace("total_fixed", "total", 1)
        funcs[i] = "\n".join(lines)
        return {path: repo.text(path)}, f"fix: wrong total in {path.rsplit('/', 1)[1]} (#{number})"
    if paths and ai and roll < 0.25:
        source = rng.choice(paths)
        target = repo.path()
        if source.rsplit(".", 1)[1] == target.rsplit(".", 1)[1]:
            body = rng.choice(repo.files[source])
            repo.counter += 1
            copied = body.replace(body.split("(", 1)[0].split()[-1], f"f{repo.counter}", 1)
            repo.files.setdefault(target, []).append(copied)
            return {target: repo.text(target)}, f"Reuse totals in {target.rsplit('/', 1)[1]}"
    edits = {}
    for _ in range(rng.randint(1, 3)):
        path = repo.path()
        repo.files.setdefault(path, []).append(repo.new_function(path, ai))
        edits[path] = repo.text(path)
    return edits, f"Add helpers to {', '.join(sorted(p.rsplit('/', 1)[1] for p in edits))}"


def data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def stream(repo: Repo, count: int, start: int, first_time: int, step: float, parent: str | None) -> bytes:
    out = []
    for n in range(count):
        name, email, suffix, ai = pick_author(repo.rng)
        edits, message = change(repo, ai, start + n)
        when = int(first_time + n * step + repo.rng.randint(0, int(step // 2)))
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
        out.append(data(message + suffix))
        if n == 0 and parent:
            out.append(f"from {parent}\n".encode())
        for path, text in edits.items():
            out.append(f"M 100644 inline {path}\n".encode() + data(text))
        out.append(b"\n")
    return b"".join(out)


class SourceRepo:
    """A real project's files (``--source DIR``, e.g. flask's sdist: 83 Python files) grown to their real
    content over a generated history: each "add" commit reveals the next top-level chunk of one file,
    "tweak" commits change a revealed line and later "fix" commits restore it (so HEAD is the real code
    and the fixes have lines to blame). Authors as ``pick_author`` (~40 % AI)."""

    def __init__(self, source: str, rng: random.Random) -> None:
        self.rng = rng
        self.chunks: dict[str, list[str]] = {}
        for folder, dirs, files in os.walk(source):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding="utf-8") as fh:
                        text = fh.read()
                except (OSError, UnicodeDecodeError):
                    continue
                if 0 < len(text) <= 200_000:
                    self.chunks[os.path.relpath(path, source).replace(os.sep, "/")] = _chunks(text)
        self.revealed = {path: 0 for path in self.chunks}
        self.tweaks: dict[str, dict[int, str]] = {path: {} for path in self.chunks}
        self.lines: dict[str, list[str]] = {path: [] for path in self.chunks}

    def pending_chunks(self) -> int:
        return sum(len(c) - self.revealed[p] for p, c in self.chunks.items())

    def render(self, path: str) -> str:
        return "".join(self.lines[path])

    def add(self) -> tuple[str, str]:
        open_paths = [p for p in self.chunks if self.revealed[p] < len(self.chunks[p])]
        started = [p for p in open_paths if self.revealed[p]]
        path = self.rng.choice(started if started and self.rng.random() < 0.7 else open_paths)
        chunk = self.chunks[path][self.revealed[path]]
        self.revealed[path] += 1
        self.lines[path].extend(chunk.splitlines(keepends=True))
        return path, f"Add {chunk.strip().splitlines()[0][:50] if chunk.strip() else 'lines'} to {path.rsplit('/', 1)[-1]}"

    def tweak(self) -> tuple[str, str] | None:
        choices = [p for p in self.chunks if self.lines[p] and len(self.tweaks[p]) < 3]
        if not choices:
            return None
        path = self.rng.choice(choices)
        lines = self.lines[path]
        i = self.rng.randrange(len(lines))
        if i in self.tweaks[path] or not lines[i].strip() or lines[i].rstrip("\n").endswith("\\"):
            return None
        self.tweaks[path][i] = lines[i]
        body = lines[i].rstrip("\n")
        lines[i] = body + ("  # draft\n" if path.endswith(".py") else " (draft)\n")
        return path, f"Rework {path.rsplit('/', 1)[-1]}"

    def fix(self, number: int) -> tuple[str, str] | None:
        choices = [p for p in self.chunks if self.tweaks[p]]
        if not choices:
            return None
        path = self.rng.choice(choices)
        i = self.rng.choice(sorted(self.tweaks[path]))
        self.lines[path][i] = self.tweaks[path].pop(i)
        return path, f"fix: wrong line in {path.rsplit('/', 1)[-1]} (#{number})"


def _chunks(text: str) -> list[str]:
    """Top-level pieces of a file: a new piece starts at a column-0 line after a blank line."""
    out, current, blank = [], [], False
    for line in text.splitlines(keepends=True):
        if current and blank and line[:1] not in ("", " ", "\t", "\n", ")", "]", "}"):
            out.append("".join(current))
            current = []
        current.append(line)
        blank = not line.strip()
    if current:
        out.append("".join(current))
    return out


def source_stream(repo: SourceRepo, count: int, start: int, first_time: int, step: float,
                  parent: str | None, finish: bool) -> bytes:
    """``count`` commits; with ``finish`` every chunk is revealed and every tweak fixed by the last one."""
    out = []
    for n in range(count):
        left = count - n
        pending = repo.pending_chunks() + sum(len(t) for t in repo.tweaks.values()) if finish else 0
        roll = repo.rng.random()
        change = None
        if finish and pending >= left:
            change = repo.add() if repo.pending_chunks() else repo.fix(start + n)
        elif roll < 0.18:
            change = repo.fix(start + n)
        elif roll < 0.40:
            change = repo.tweak()
        if change is None:
            change = repo.add() if repo.pending_chunks() else (repo.tweak() or repo.fix(start + n))
        if change is None:
            continue
        path, message = change
        name, email, suffix, _ai = pick_author(repo.rng)
        when = int(first_time + n * step + repo.rng.randint(0, int(step // 2)))
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
        out.append(data(message + suffix))
        if n == 0 and parent:
            out.append(f"from {parent}\n".encode())
        out.append(f"M 100644 inline {path}\n".encode() + data(repo.render(path)))
        out.append(b"\n")
    return b"".join(out)


def build_from_source(root: str, source: str, commits: int, seed: int = 7) -> SourceRepo:
    git(root, "init", "-q", "-b", "main")
    repo = SourceRepo(source, random.Random(seed))
    span = 5 * 365
    git(root, "fast-import", "--quiet",
        stdin=source_stream(repo, commits, 1, T0 - span * 86400 + SPAN_DAYS * 86400, span * 86400 / commits, None, True))
    git(root, "checkout", "-q", "-f", "main")
    return repo


def extend_source(root: str, repo: SourceRepo, extra: int, start: int) -> None:
    last = int(git(root, "log", "-1", "--format=%ct", "main").strip())
    head = git(root, "rev-parse", "main").strip()
    git(root, "fast-import", "--quiet", stdin=source_stream(repo, extra, start, last + 3600, 3 * 3600, head, False))
    git(root, "reset", "-q", "--hard", "main")


def git(root: str, *args: str, stdin: bytes | None = None) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=root, input=stdin, env=env, check=True,
                          capture_output=True).stdout.decode()


def build(root: str, commits: int, seed: int = 7) -> Repo:
    git(root, "init", "-q", "-b", "main")
    repo = Repo(random.Random(seed))
    git(root, "fast-import", "--quiet", stdin=stream(repo, commits, 1, T0, SPAN_DAYS * 86400 / commits, None))
    git(root, "checkout", "-q", "-f", "main")
    return repo


def extend(root: str, repo: Repo, extra: int, start: int) -> None:
    last = int(git(root, "log", "-1", "--format=%ct", "main").strip())
    head = git(root, "rev-parse", "main").strip()
    git(root, "fast-import", "--quiet", stdin=stream(repo, extra, start, last + 3600, 3 * 3600, head))
    git(root, "reset", "-q", "--hard", "main")      # the bench's own throw-away repository


SAVE: dict[str, str | None] = {"dir": None}       # --save DIR: each run's JSON output kept there
def timed_report(root: str, profile: str | None, name: str = "run", keep_doc: bool = False) -> dict:
    reap_all()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    argv = [sys.executable]
    if profile:
        argv += ["-m", "cProfile", "-o", profile]
    argv += ["-m", "guardline", "report", "--format", "json", root]
    # bytecode as an installed package has it (this environment sets PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(argv, capture_output=True, check=True, env=env)
    wall = time.perf_counter() - start
    reap_all()                     # the pool workers, orphaned when the fork server exited
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    doc = json.loads(proc.stdout)
    if SAVE["dir"]:
        with open(os.path.join(SAVE["dir"], f"{name}.json"), "wb") as fh:
            fh.write(proc.stdout)
    rows = {r["key"]: r for r in doc["rows"]}
    sections = doc["sections"]
    return ({"doc": doc} if keep_doc else {}) | {"wall_s": round(wall, 2), "load": round(os.getloadavg()[0], 1),
            "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2),
            "samples": len(doc["trend"]["samples"]), "samples_computed": sections["trend"].get("added"),
            "samples_reused": sections["trend"].get("reused"),
            "history_commits": sections["history"].get("commits_scanned"),
            "gate_commits": sum(c["den"] for c in rows["gate_pass_rate"]["origins"].values()),
            "files": doc["files"],
            "ai_functions": rows["avg_cyclomatic"]["origins"]["ai"]["den"],
            "human_functions": rows["avg_cyclomatic"]["origins"]["human"]["den"]}


def git_log_p(root: str) -> tuple[float, float]:
    """(wall, CPU) seconds of `git log -p` over the same history: the floor any history pass is compared with."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(["git", "-C", root, "log", "-p", "--no-color", "HEAD"], stdout=sink, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return time.perf_counter() - start, cpu


def _ratios(run: dict, floor: tuple[float, float]) -> str:
    return (f"  git log -p {floor[0]:.2f} s wall, {floor[1]:.2f} s CPU; ratio wall {run['wall_s'] / floor[0]:.2f}x, "
            f"CPU {run['cpu_s'] / max(floor[1], 0.01):.2f}x")


def clone_real(source: str, root: str) -> None:
    subprocess.run(["git", "clone", "-q", "--no-local", source, root], check=True)


def same_as_cold(root: str, incremental: dict) -> str:
    """A cold report of a copy of ``root`` (empty .guardline/) compared with the incremental run's JSON,
    the root and the trend's reuse counts aside: what an incremental run reuses must not change a figure."""
    copy = root.rstrip("/") + "-cold-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(".guardline"))
    try:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cold = json.loads(subprocess.run([sys.executable, "-m", "guardline", "report", "--format", "json", copy],
                                         capture_output=True, check=True, env=env).stdout)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    for doc in (cold, incremental):
        doc.pop("root", None)
        for field in ("added", "reused", "note"):
            doc.get("sections", {}).get("trend", {}).pop(field, None)
    return "identical to a cold report of the same history" if cold == incremental else \
        "DIFFERS from a cold report of the same history"


def run_all(root: str, extend_by, profile_incremental: str | None = None, verify: bool = False) -> None:
    """cold, warm (nothing new), +N commits: each with `git log -p` of the same history in the same run
    (``profile_incremental``: the +N run under cProfile, written there; its CPU includes the profiler)."""
    floor = git_log_p(root)
    cold = timed_report(root, None, "cold")
    print("cold        " + json.dumps(cold) + _ratios(cold, floor), flush=True)
    floor = git_log_p(root)
    warm = timed_report(root, None, "warm")
    print("warm        " + json.dumps(warm) + _ratios(warm, floor), flush=True)
    if extend_by is not None:
        extend_by()
        floor = git_log_p(root)
        inc = timed_report(root, profile_incremental, "incremental", keep_doc=verify)
        doc = inc.pop("doc", None)
        print("incremental " + json.dumps(inc) + _ratios(inc, floor), flush=True)
        if verify:
            print("incremental report: " + same_as_cold(root, doc), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--extra", type=int, default=20)
    parser.add_argument("--keep", help="build the repository in this directory and keep it")
    parser.add_argument("--real", help="instead of generating one, clone this repository (its own history)")
    parser.add_argument("--profile", action="store_true", help="cProfile a cold run (bench/out/report.prof)")
    parser.add_argument("--verify", action="store_true",
                        help="compare the +N commits report with a cold report of a copy (not timed)")
    parser.add_argument("--profile-incremental", action="store_true",
                        help="cProfile the +N commits run (bench/out/report-incremental.prof)")
    parser.add_argument("--source", help="grow this folder's real files (e.g. flask's sdist) over a generated history")
    parser.add_argument("--save", help="keep each run's JSON output in this directory (cold.json, warm.json, ...)")
    args = parser.parse_args()
    if not become_subreaper():
        print("CPU: the report process and its children, WITHOUT the fork server's pool workers (no subreaper)")
    if args.save:
        os.makedirs(args.save, exist_ok=True)
        SAVE["dir"] = args.save
    root = args.keep or tempfile.mkdtemp(prefix="guardline-report-bench-")
    os.makedirs(root, exist_ok=True)
    try:
        start = time.perf_counter()
        source = None
        if args.real:
            clone_real(args.real, root)
            repo = None
        elif args.source:
            source = build_from_source(root, args.source, args.commits)
            repo = None
        else:
            repo = build(root, args.commits)
        count = int(git(root, "rev-list", "--count", "HEAD").strip())
        first, last = git(root, "log", "--reverse", "--format=%as", "HEAD").split()[0], \
            git(root, "log", "-1", "--format=%as", "HEAD").strip()
        ai = sum(1 for body in git(root, "log", "--format=%an%x00%B%x1e", "HEAD").split("\x1e")
                 if "Co-Authored-By: Claude" in body or body.strip().startswith(("Copilot", "Erin Park (aider)")))
        files = len(git(root, "ls-files").split())
        print(f"repository: {count} commits ({ai} AI-tagged) from {first} to {last}, "
              f"{files} files, ready in {time.perf_counter() - start:.1f} s")
        if args.profile:
            os.makedirs(os.path.join(os.path.dirname(__file__), "out"), exist_ok=True)
            profile = os.path.join(os.path.dirname(__file__), "out", "report.prof")
            print("profiled cold " + json.dumps(timed_report(root, profile)))
            shutil.rmtree(os.path.join(root, ".guardline"), ignore_errors=True)
        extend_by = None if repo is None else (lambda: extend(root, repo, args.extra, args.commits + 1))
        if source is not None:
            extend_by = lambda: extend_source(root, source, args.extra, args.commits + 1)  # noqa: E731
        profile_inc = None
        if args.profile_incremental:
            os.makedirs(os.path.join(os.path.dirname(__file__), "out"), exist_ok=True)
            profile_inc = os.path.join(os.path.dirname(__file__), "out", "report-incremental.prof")
        run_all(root, extend_by, profile_inc, args.verify)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
