"""Duplication benchmark on the CPython stdlib, in one run with jscpd 5 (the Rust one, `pip install jscpd`).

Prints: jscpd 5 wall / peak RSS / clones; guardline cold index build (process pool) wall and peak RSS
(whole process tree), warm restart (persisted index, nothing changed), single-file query p50/p95 over
500 files, recall of jscpd's exact clones (found when a guardline clone pair covers >= 70% of the lines
of both fragments) and 30 random guardline clones for a precision hand-check. With ``--check`` also the
whole ``guardline check`` on a copy of the corpus: cold, warm (nothing changed), and after editing one
file (the per-file clone results kept in .guardline/ are refreshed incrementally). With ``--dump FILE``
every clone pair (kind, size, both locations and token spans) and every clone class of the index goes
to FILE as sorted JSON lines: two dumps (e.g. before and after a speed change, the guardline under test
picked with PYTHONPATH=<tree>/server) must be byte-identical (`cmp A B`).

    .venv/bin/python bench/duplication_bench.py [--files N] [--show 30] [--jobs N] [--check] [--dump FILE]
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
import sysconfig
import tempfile
import threading
import time

from _proctree import become_subreaper, compile_guardline, reap_all  # bench/_proctree.py

HERE = os.path.dirname(os.path.abspath(__file__))
JSCPD = os.path.join(os.path.dirname(sys.executable), "jscpd")


def stdlib_files(limit: int | None = None) -> tuple[str, list[str]]:
    root = sysconfig.get_paths()["stdlib"]
    files: list[str] = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "site-packages")
        files += [os.path.join(directory, n) for n in sorted(names) if n.endswith(".py")]
    return root, files[:limit] if limit else files


class TreeRss:
    """Samples the summed RSS of a process and all its descendants (/proc), keeping the peak."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid, self.interval, self.peak, self.peak_main = pid, interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = _tree_rss(self.pid)
            self.peak = max(self.peak, sum(rss.values()))
            self.peak_main = max(self.peak_main, rss.get(self.pid, 0))
            time.sleep(self.interval)


def _tree_rss(root_pid: int) -> dict[int, int]:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(name)] = int(fields[1])
        rss[int(name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree = {root_pid}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                changed = True
    return {pid: rss.get(pid, 0) for pid in tree}


CPU_USED: dict[str, float] = {}


def run_measured(cmd: list[str]) -> tuple[float, int, int, str]:
    """(wall s, peak tree RSS bytes, peak main-process RSS bytes, stdout) of a command; its CPU
    seconds (user + sys, whole process tree) go to CPU_USED["last"]."""
    reap_all()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeRss(proc.pid) as sampler:
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    reap_all()   # the fork server's orphaned pool workers (this process is their subreaper)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_USED["last"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, sampler.peak, sampler.peak_main, out


def load_average() -> str:
    return "load average %.1f %.1f %.1f" % os.getloadavg()


# ----- the guardline side, run in fresh subprocesses --------------------------------------------
def guardline_phase(args: argparse.Namespace) -> None:
    from guardline.config import Config
    from guardline.duplication import build_index
    _, files = stdlib_files(args.files)
    start = time.perf_counter()
    index = build_index(args.workspace, files, Config(), processes=args.jobs)
    out: dict = {"build_s": time.perf_counter() - start, "stats": index.stats(),
                 "skipped": dict(list(index.skipped.items())[:5])}
    if args.phase == "warm":
        out.update(query_figures(index, files, args))
        if args.jscpd_report:
            with open(args.jscpd_report) as fh:
                out["missed_detail"] = miss_categories(index, json.load(fh), out["clones"], args.base)
        if args.dump:
            dump_clones(index, args.dump)
    print(json.dumps(out))


def dump_clones(index, path: str) -> None:
    """Every clone pair and clone class of ``index``, one sorted JSON line each (paths as indexed)."""
    from guardline.duplication import clone_classes

    def loc(l) -> list:
        return [l.path, l.start_line, l.end_line, l.start_column, l.end_column]

    pairs = sorted(json.dumps(["pair", c.kind, c.tokens, c.lines, loc(c.a), loc(c.b), c.a_span, c.b_span])
                   for p in index.paths() for c in index.query(p))
    classes = sorted(json.dumps(["class", c.kind, c.tokens, [loc(l) for l in c.locations]])
                     for c in clone_classes(index))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(pairs + classes) + "\n")


def miss_categories(index, report: dict, clones: dict[str, list], base: str) -> dict:
    """Split jscpd clones guardline missed: fragments with < 50 guardline tokens (the copy is mostly in
    docstrings / comments / imports, which guardline takes whole or drops) vs the rest."""
    from bisect import bisect_left, bisect_right
    found, total, missed = recall(report, clones, base)

    def tokens_in(name: str, span: tuple[int, int]) -> int:
        stream = index.tokens(os.path.join(base, name))
        if stream is None:
            return 0
        return bisect_right(stream.lines, span[1]) - bisect_left(stream.lines, span[0])

    def raw_tokens(name: str, span: tuple[int, int]) -> list[int]:
        stream = index.tokens(os.path.join(base, name))
        if stream is None:
            return []
        lo, hi = bisect_left(stream.lines, span[0]), bisect_right(stream.lines, span[1])
        return list(stream.raw[lo:hi])

    few = [m for m in missed if min(tokens_in(m[0], m[1]), tokens_in(m[2], m[3])) < 50]
    rest = [m for m in missed if m not in few]
    # The misses guardline should have found: the fragments share >= 50 identical guardline tokens.
    shared = [m for m in rest if _longest_common_run(raw_tokens(m[0], m[1]), raw_tokens(m[2], m[3])) >= 50]
    partial = [m for m in shared if _overlapping_pair(clones, os.path.join(base, m[0]), tuple(m[1]),
                                                      os.path.join(base, m[2]), tuple(m[3]))]
    return {"found": found, "total": total, "few_tokens": len(few), "eligible_missed": len(rest),
            "shared_50_missed": len(shared), "shared_partial": len(partial), "shared_examples": shared[:10],
            "eligible_missed_in_encodings": sum(1 for m in rest if "encodings/" in m[0] + m[2]),
            "examples": rest[:10]}


def query_figures(index, files: list[str], args: argparse.Namespace) -> dict:
    rng = random.Random(5)
    sample = rng.sample(files, min(500, len(files)))
    times, cpu = [], []
    for path in sample:
        start, start_cpu = time.perf_counter(), time.process_time()
        index.query(path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    cpu.sort()
    all_clones = {}
    total_clones = 0
    start = time.perf_counter()
    for path in files:
        clones = index.query(path)
        total_clones += len(clones)
        all_clones[path] = [(c.kind, c.tokens, c.a.path, c.a.start_line, c.a.end_line, c.b.path,
                             c.b.start_line, c.b.end_line) for c in clones]
    all_s = time.perf_counter() - start
    return {"query_p50_ms": times[len(times) // 2], "query_p95_ms": times[int(len(times) * 0.95)],
            "query_cpu_p50_ms": cpu[len(cpu) // 2], "query_cpu_p95_ms": cpu[int(len(cpu) * 0.95)],
            "query_max_ms": times[-1], "query_all_s": all_s, "clone_pairs": total_clones,
            "clones": all_clones}


# ----- recall and precision sample -----------------------------------------------------------------
def covered(frag: tuple[int, int], region: tuple[int, int]) -> float:
    overlap = min(frag[1], region[1]) - max(frag[0], region[0]) + 1
    return max(overlap, 0) / (frag[1] - frag[0] + 1)


def recall(jscpd_report: dict, clones: dict[str, list], base: str) -> tuple[int, int, list]:
    found, missed = 0, []
    for dup in jscpd_report["duplicates"]:
        first = os.path.join(base, dup["firstFile"]["name"])
        second = os.path.join(base, dup["secondFile"]["name"])
        f1 = (dup["firstFile"]["startLoc"]["line"], dup["firstFile"]["endLoc"]["line"])
        f2 = (dup["secondFile"]["startLoc"]["line"], dup["secondFile"]["endLoc"]["line"])
        if _pair_found(clones, first, f1, second, f2) or _pair_found(clones, second, f2, first, f1):
            found += 1
        else:
            missed.append((dup["firstFile"]["name"], f1, dup["secondFile"]["name"], f2, dup["tokens"]))
    return found, len(jscpd_report["duplicates"]), missed


def _pair_found(clones: dict[str, list], a: str, fa: tuple[int, int], b: str, fb: tuple[int, int]) -> bool:
    for kind, tokens, _, a1, a2, bpath, b1, b2 in clones.get(a, []):
        if bpath == b and covered(fa, (a1, a2)) >= 0.7 and covered(fb, (b1, b2)) >= 0.7:
            return True
    return False


def _overlapping_pair(clones: dict[str, list], a: str, fa: tuple[int, int], b: str, fb: tuple[int, int]) -> bool:
    """Some guardline clone pair overlaps both fragments, just under the 70% coverage."""
    for first, f1, second, f2 in ((a, fa, b, fb), (b, fb, a, fa)):
        for _, _, _, a1, a2, bpath, b1, b2 in clones.get(first, []):
            if bpath == second and covered(f1, (a1, a2)) > 0 and covered(f2, (b1, b2)) > 0:
                return True
    return False


def _longest_common_run(a: list[int], b: list[int]) -> int:
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def show_sample(clones: dict[str, list], n: int, base: str) -> None:
    pairs = [c for lst in clones.values() for c in lst]
    rng = random.Random(30)
    for kind, tokens, a, a1, a2, b, b1, b2 in rng.sample(pairs, min(n, len(pairs))):
        print(f"\n--- {kind} {tokens} tokens: {os.path.relpath(a, base)}:{a1}-{a2}  ==  "
              f"{os.path.relpath(b, base)}:{b1}-{b2}")
        la, lb = _lines(a, a1, a2), _lines(b, b1, b2)
        for x, y in list(zip(la, lb))[:6]:
            print(f"  {x[:70]:70} | {y[:70]}")
        if len(la) > 6:
            print(f"  ... {len(la) - 6} more lines")


def _lines(path: str, start: int, end: int) -> list[str]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return [line.rstrip("\n") for line in fh.readlines()[start - 1:end]]


def check_figures(base: str, scratch: str) -> None:
    """Wall and CPU of `guardline check` on a copy of the corpus (its own workspace root)."""
    workspace = os.path.join(scratch, "check")
    shutil.copytree(base, workspace, ignore=shutil.ignore_patterns("site-packages", "__pycache__"))
    os.makedirs(os.path.join(workspace, ".git"))   # the workspace root for find_workspace_root
    cmd = [sys.executable, "-m", "guardline", "check", "--no-origin", "--allow-empty", "--format", "json",
           "-o", os.devnull, "."]
    figures = {}
    for label in ("cold", "warm", "warm again"):
        figures[label] = _timed_check(cmd, workspace)
    with open(os.path.join(workspace, "textwrap.py"), "a") as fh:
        fh.write("\n\ndef _bench_edit(x):\n    return x + 1\n")
    figures["one file edited"] = _timed_check(cmd, workspace)
    for label, (wall, cpu) in figures.items():
        print(f"guardline check, {label}: wall {wall:.2f} s, CPU (main process) {cpu:.2f} s "
              f"= {wall / figures['cold'][0]:.3f}x cold wall; {load_average()}")


def _timed_check(cmd: list[str], cwd: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"guardline check failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=None, help="only the first N stdlib files")
    parser.add_argument("--show", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--check", action="store_true", help="also time `guardline check` cold / warm / edited")
    parser.add_argument("--dump", help="write every clone pair and class of the stdlib index to this file")
    parser.add_argument("--phase", choices=["cold", "warm"], help=argparse.SUPPRESS)
    parser.add_argument("--workspace", help=argparse.SUPPRESS)
    parser.add_argument("--jscpd-report", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        guardline_phase(args)
        return
    tree_cpu = become_subreaper()
    compile_guardline()
    base, files = stdlib_files(args.files)
    print(f"CPU s: whole process tree{'' if tree_cpu else ' except fork-server pool workers (no subreaper)'}")
    print(f"corpus: {base} ({len(files)} .py files, site-packages excluded), {os.cpu_count()} cores")
    import guardline
    print(f"guardline under test: {os.path.dirname(guardline.__file__)}")
    with tempfile.TemporaryDirectory() as scratch:
        jscpd_out = os.path.join(scratch, "jscpd")
        cmd = [JSCPD, "-f", "python", "-i", "**/site-packages/**", "-r", "json", "-o", jscpd_out, base]
        print(f"before jscpd: {load_average()} (other work on this machine inflates wall times)")
        wall, peak, _, _ = run_measured(cmd)
        jscpd_cpu = CPU_USED["last"]
        with open(os.path.join(jscpd_out, "jscpd-report.json")) as fh:
            report = json.load(fh)
        stats = report["statistics"]["total"]
        print(f"jscpd 5:   wall {wall:.2f} s, peak RSS {peak / 2**20:.0f} MB, {stats['clones']} clones, "
              f"{stats['duplicatedLines']} duplicated lines of {stats['lines']} ({stats['percentage']:.2f}%), "
              f"CPU {jscpd_cpu:.1f} s")
        workspace = os.path.join(scratch, "ws")
        os.makedirs(workspace)
        me = [sys.executable, os.path.abspath(__file__), "--workspace", workspace]
        if args.files:
            me += ["--files", str(args.files)]
        if args.jobs:
            me += ["--jobs", str(args.jobs)]
        cold_wall, cold_peak, cold_main, out = run_measured(me + ["--phase", "cold"])
        cold = json.loads(out)
        cold_cpu = CPU_USED["last"]
        print(f"guardline cold build: wall {cold_wall:.2f} s (process incl. start-up; build_index "
              f"{cold['build_s']:.2f} s) = {cold_wall / wall:.2f}x jscpd, peak RSS {cold_peak / 2**20:.0f} MB "
              f"(tree), main process {cold_main / 2**20:.0f} MB; CPU {cold_cpu:.1f} s = {cold_cpu / jscpd_cpu:.2f}x "
              f"jscpd's; {cold['stats']}; {load_average()}")
        dump = ["--dump", os.path.abspath(args.dump)] if args.dump else []
        warm_wall, warm_peak, _, out = run_measured(me + ["--phase", "warm", "--base", base, "--jscpd-report",
                                                          os.path.join(jscpd_out, "jscpd-report.json"), *dump])
        warm = json.loads(out)
        print(f"guardline warm restart: build_index {warm['build_s']:.2f} s (process wall incl. queries "
              f"{warm_wall:.2f} s), peak RSS {warm_peak / 2**20:.0f} MB")
        print(f"single-file query over 500 files: p50 {warm['query_p50_ms']:.2f} ms, p95 "
              f"{warm['query_p95_ms']:.2f} ms, max {warm['query_max_ms']:.1f} ms (CPU time p50 "
              f"{warm['query_cpu_p50_ms']:.2f} ms, p95 {warm['query_cpu_p95_ms']:.2f} ms); all {len(files)} files "
              f"{warm['query_all_s']:.2f} s, {warm['clone_pairs']} clone pairs")
        clones = warm["clones"]
        found, total, missed = recall(report, clones, base)
        print(f"recall of jscpd's exact clones: {found}/{total} = {100 * found / max(total, 1):.1f}%")
        detail = warm["missed_detail"]
        eligible = total - detail["few_tokens"]
        print(f"  missed with < 50 guardline tokens in a fragment (copy mostly inside docstrings, comments or "
              f"imports, which guardline takes as one token or drops): {detail['few_tokens']}")
        print(f"  recall over the {eligible} jscpd clones with >= 50 guardline tokens in both fragments: "
              f"{found}/{eligible} = {100 * found / max(eligible, 1):.1f}% ({detail['eligible_missed_in_encodings']} "
              f"of the {detail['eligible_missed']} misses are generated codec tables in encodings/)")
        print(f"  of those misses, fragments sharing >= 50 identical guardline tokens (should be found): "
              f"{detail['shared_50_missed']}, of which {detail['shared_partial']} are reported by guardline with "
              f"< 70% line coverage (boundaries differ: docstring lines, a nesting change)")
        for item in detail["shared_examples"]:
            print("  missed (shared run >= 50):", item)
        for item in detail["examples"][:5]:
            print("  missed (example):", item)
        kinds: dict[str, int] = {}
        for lst in clones.values():
            for c in lst:
                kinds[c[0]] = kinds.get(c[0], 0) + 1
        print(f"guardline clone pairs by kind: {kinds}")
        print(f"\n{args.show} random guardline clones (precision hand-check):")
        show_sample(clones, args.show, base)
        if args.check:
            print()
            check_figures(base, scratch)


if __name__ == "__main__":
    main()
