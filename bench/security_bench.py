"""guardline's security rules next to bandit, dlint and semgrep (prints figures; not a test).

Usage: .venv/bin/python bench/security_bench.py [--corpus-only | --skip-corpus] [--stdlib PATH]
       [--save-bandit-json FILE | --bandit-json FILE]
(the peers come with ``pip install -e .[bench]``: bandit, dlint (a flake8 plugin), semgrep with the rule
packs the njsscan (Node.js) and mobsfscan (Java/Kotlin) wheels ship; semgrep runs with --metrics=off
and only those local rule files: no registry, no network.)

- the labelled corpus of tests/data/security/ (tests/test_security_corpus.py): recall per language and
  per category and the false-positive rate of safe lines, guardline next to each peer on the same
  files in one run. guardline counts only when the expected rule fires (and, second column, any security
  finding on the line); a peer counts when it reports anything on the line (it has no guardline ids);

- recall of Bandit's findings for every Bandit test id a guardline rule covers (mapping from the rule
  data: ``Rule.bandit``); misses are listed with the reason (predicate excluded by design, e.g. a
  literal command, vs. not recognised);
- a random sample of 30 guardline findings Bandit lacks, for hand judgement;
- wall time of both on the same file set in the same run (bandit single process, as it runs by default);
- per-file time of all rules on typical ~1,000-line files (parse and scan timed separately);
- the per-keystroke figure: ``scan_document`` on the 3,000-line Python and TypeScript files of
  bench/lsp_latency.py (median of 20 runs on one parsed document).

``--save-bandit-json`` keeps bandit's output and ``--bandit-json`` reuses it (bandit takes minutes and
does not change between two runs that compare guardline versions).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter, defaultdict

from guardline.config import Config
from guardline.parsing import UnanalysableFile, parse_bytes
from guardline.security.engine import all_rules_by_language, candidate_hits, compiled, scan_document
from guardline.security.secrets import scan_secrets

# Bandit tests deliberately not covered (with why), printed with the table.
NOT_COVERED = {
    "B101": "assert_used: rule py-assert-used exists but is off by default (spec: 35% of findings, noise)",
    "B110": "try_except_pass: code quality, not a security hotspot",
    "B112": "try_except_continue: code quality, not a security hotspot",
    "B403": "import pickle: imports are not hotspots; the load call is (py-pickle-load)",
    "B404": "import subprocess: imports are not hotspots",
    "B603": "subprocess without shell: safe form (list argv), by design",
    "B607": "partial executable path: low-value noise for libraries",
}


def bandit_mapping() -> dict[str, list[str]]:
    mapping: dict[str, list[str]] = defaultdict(list)
    for rule in all_rules_by_language().get("python", []):
        if not rule.default_enabled:
            continue
        for test_id in rule.bandit:
            mapping[test_id].append(rule.id)
    return dict(mapping)


def python_files(root: str) -> list[str]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "__pycache__", "dist-packages"))
        files.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return files


def run_bandit(root: str, saved: str | None = None, save_to: str | None = None) -> tuple[list[dict], float]:
    if saved:
        with open(saved, encoding="utf-8") as fh:
            data = json.load(fh)
        return data["results"], data["elapsed"]
    bandit = os.path.join(os.path.dirname(sys.executable), "bandit")
    started = time.perf_counter()
    proc = subprocess.run([bandit, "-r", "-q", "-f", "json", "-x", "site-packages,dist-packages", "--", root],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    results = json.loads(proc.stdout or "{}").get("results", [])
    if save_to:
        with open(save_to, "w", encoding="utf-8") as fh:
            json.dump({"results": results, "elapsed": elapsed}, fh)
    return results, elapsed


def run_guardline(files: list[str]) -> tuple[dict[str, list], dict[str, object], float]:
    config = Config()
    results: dict[str, list] = {}
    docs: dict[str, object] = {}
    started = time.perf_counter()
    for path in files:
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
            doc = parse_bytes(raw, "python")
        except (OSError, UnanalysableFile):
            continue
        results[path] = scan_document(doc, config) + scan_secrets(doc.text, path)
        docs[path] = doc
    return results, docs, time.perf_counter() - started


def _scan_one(path: str) -> int:
    try:
        with open(path, "rb") as fh:
            doc = parse_bytes(fh.read(), "python")
    except (OSError, UnanalysableFile):
        return 0
    return len(scan_document(doc, Config())) + len(scan_secrets(doc.text, path))


def run_guardline_pool(files: list[str]) -> float:
    """The CLI's cold scan uses a process pool (scan.py); same work, all cores."""
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        sum(pool.map(_scan_one, files, chunksize=16))
    return time.perf_counter() - started


def _covers(finding, line_range: list[int], rule_ids: list[str]) -> bool:  # noqa: ANN001
    rule = finding.data.get("sink_rule", finding.rule)
    if rule not in rule_ids:
        return False
    return any(finding.start_line <= line <= finding.end_line for line in line_range)


def miss_reason(doc, line: int, rule_ids: list[str]) -> str:  # noqa: ANN001
    for hit in candidate_hits(doc):
        if hit.rule.id in rule_ids and hit.node.start_point[0] + 1 <= line <= hit.node.end_point[0] + 1:
            return "recognised, predicate excluded it (by design: literal/safe form)"
    return "not recognised"


def typical_file_timing(files: list[str], docs: dict[str, object]) -> tuple[float, float, float, int]:
    """Medians (all rules, of which secrets, parse) in ms, and the number of files."""
    config = Config()
    candidates = [p for p in files if p in docs and 900 <= docs[p].line_count <= 1100][:25]
    scan_ms, secrets_ms, parse_ms = [], [], []
    for path in candidates:
        with open(path, "rb") as fh:
            raw = fh.read()
        for _ in range(3):
            t0 = time.perf_counter()
            doc = parse_bytes(raw, "python")
            t1 = time.perf_counter()
            scan_document(doc, config)
            t2 = time.perf_counter()
            scan_secrets(doc.text, path)
            t3 = time.perf_counter()
            parse_ms.append((t1 - t0) * 1000)
            scan_ms.append((t3 - t1) * 1000)
            secrets_ms.append((t3 - t2) * 1000)
    return statistics.median(scan_ms), statistics.median(secrets_ms), statistics.median(parse_ms), len(candidates)


def keystroke_timing() -> list[tuple[str, int, float]]:
    """(language, lines, median ms) of scan_document on lsp_latency.py's 3,000-line files."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from lsp_latency import PY_BLOCK, TS_BLOCK, make_text

    from guardline.parsing import parse

    config = Config()
    out = []
    for language, block in (("python", PY_BLOCK), ("typescript", TS_BLOCK)):
        doc = parse(make_text(block, 3000), language)
        scan_document(doc, config)  # compile the language's queries outside the timing
        runs = []
        for _ in range(20):
            started = time.perf_counter()
            scan_document(doc, config)
            runs.append((time.perf_counter() - started) * 1000)
        out.append((language, doc.line_count, statistics.median(runs)))
    return out


# ---------------------------------------------------------------- labelled corpus, side by side with peers

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "security")


def tool(name: str) -> str | None:
    """A peer's executable: next to this Python (the bench venv), else on PATH."""
    local = os.path.join(os.path.dirname(sys.executable), name)
    return local if os.path.exists(local) else shutil.which(name)


def package_dir(package: str) -> str | None:
    """Where an installed peer package lives (its rule files), without importing it here."""
    spec = importlib.util.find_spec(package)
    return os.path.dirname(spec.origin) if spec is not None and spec.origin else None


def _run_json(argv: list[str]) -> tuple[dict, float]:
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    try:
        return json.loads(proc.stdout or "{}"), elapsed
    except json.JSONDecodeError:
        return {}, elapsed


def bandit_lines(root: str) -> tuple[dict[str, set[int]], float] | None:
    exe = tool("bandit")
    if exe is None:
        return None
    data, elapsed = _run_json([exe, "-r", "-q", "-f", "json", "--", root])
    lines: dict[str, set[int]] = defaultdict(set)
    for result in data.get("results", []):
        lines[os.path.realpath(result["filename"])].add(result["line_number"])
    return lines, elapsed


def dlint_lines(root: str) -> tuple[dict[str, set[int]], float] | None:
    exe = tool("flake8")
    if exe is None or package_dir("dlint") is None:
        return None
    started = time.perf_counter()
    proc = subprocess.run([exe, "--select=DUO", "--format=%(path)s\t%(row)d", "--", root],
                          capture_output=True, text=True, check=False)
    lines: dict[str, set[int]] = defaultdict(set)
    for row in proc.stdout.splitlines():
        path, _, line = row.rpartition("\t")
        if line.isdigit():
            lines[os.path.realpath(path)].add(int(line))
    return lines, time.perf_counter() - started


def semgrep_lines(root: str, packs: list[str]) -> tuple[dict[str, set[int]], float] | None:
    """semgrep OSS with local rule folders only (no registry, metrics off)."""
    exe = tool("semgrep")
    configs = [c for c in packs if c and os.path.isdir(c)]
    if exe is None or not configs:
        return None
    argv = [exe, "scan", "--json", "--metrics=off", "--disable-version-check", "--no-git-ignore", "--quiet"]
    for config in configs:
        argv += ["--config", config]
    data, elapsed = _run_json(argv + ["--", root])
    lines: dict[str, set[int]] = defaultdict(set)
    for result in data.get("results", []):
        lines[os.path.realpath(result["path"])].add(result["start"]["line"])
    return lines, elapsed


def guardline_corpus_findings(labels) -> list[tuple[str, int]]:  # noqa: ANN001
    from guardline.parsing import parse

    text = open(labels.path, encoding="utf-8").read()
    findings = scan_document(parse(text, labels.language), Config())
    findings += scan_secrets(text, os.path.relpath(labels.path, CORPUS))
    out = [(f.rule, f.start_line) for f in findings if f.category == "security"]
    return out + [(f.data["sink_rule"], f.start_line) for f in findings
                  if f.category == "security" and f.data.get("sink_rule")]


def corpus_comparison() -> None:
    from guardline.rules import all_rules
    from guardline.security.corpus import corpus_files, read_labels, score

    categories = {rule.id: rule.security_category or rule.category for rule in all_rules()}
    labelled = [lb for lb in (read_labels(p) for p in corpus_files(CORPUS)) if lb is not None]
    started = time.perf_counter()
    strict = score(labelled, guardline_corpus_findings, lambda r: categories.get(r, "?"))
    guard_time = time.perf_counter() - started
    columns = [("guardline", strict), ("guardline(any)", _any_line(labelled, categories))]
    timings = [f"guardline {guard_time:.1f} s"]
    semgrep_packs = [os.path.join(package_dir("njsscan") or "", "rules", "semantic_grep"),
                     os.path.join(package_dir("mobsfscan") or "", "rules", "semgrep")]
    with tempfile.TemporaryDirectory() as tmp:
        # a copy outside tests/: semgrep's default ignore list skips every path under a tests/ folder
        copy = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, copy)
        for name, run in (("bandit", lambda: bandit_lines(copy)), ("dlint", lambda: dlint_lines(copy)),
                          ("semgrep", lambda: semgrep_lines(copy, semgrep_packs))):
            found = run()
            if found is None:
                print(f"({name} not installed: pip install -e .[bench])")
                continue
            lines, elapsed = found
            timings.append(f"{name} {elapsed:.1f} s")
            by_original = {os.path.join(CORPUS, os.path.relpath(path, os.path.realpath(copy))): found_lines
                           for path, found_lines in lines.items()}
            columns.append((name, _peer_score(labelled, by_original, categories)))
    print_side_by_side(columns)
    print("corpus scan times: " + ", ".join(timings))
    print(f"guardline misses ({len(strict.misses)}): {strict.misses[:30]}")
    print(f"guardline false positives ({len(strict.false_positives)}): {strict.false_positives[:30]}")


def _peer_score(labelled, lines: dict[str, set[int]], categories: dict[str, str]):  # noqa: ANN001, ANN202
    """A peer hits an expected line when it reports anything on it (its ids are not guardline's)."""
    from guardline.security.corpus import score

    def findings(labels):  # noqa: ANN001, ANN202
        found = lines.get(labels.path, set()) or lines.get(os.path.realpath(labels.path), set())
        return [(rule, line) for line, rules in labels.expected.items() if line in found for rule in rules[:1]] + \
               [("*", line) for line in found if line not in labels.expected]
    return score(labelled, findings, lambda r: categories.get(r, "?"))


def _any_line(labelled, categories):  # noqa: ANN001, ANN202
    """guardline counted like a peer: any security finding on an expected line is a hit."""
    lines = {os.path.realpath(lb.path): {line for _, line in guardline_corpus_findings(lb)} for lb in labelled}
    return _peer_score(labelled, lines, categories)


def print_side_by_side(columns: list) -> None:  # noqa: ANN001
    names = [name for name, _ in columns]
    print("\nlabelled corpus tests/data/security/: recall (hit/expected) per language and category, "
          "false positives (flagged/safe lines)")
    print(f"{'':<24}" + "".join(f"{name:>16}" for name in names))
    languages = sorted({lang for _, sc in columns for lang in sc.by_language})
    for lang in languages:
        print(f"{'recall ' + lang:<24}" + "".join(_cell(sc.by_language.get(lang), "recall") for _, sc in columns))
    for lang in languages:
        print(f"{'FP ' + lang:<24}" + "".join(_cell(sc.by_language.get(lang), "fp") for _, sc in columns))
    for cat in sorted({c for _, sc in columns for c in sc.by_category}):
        print(f"{cat:<24}" + "".join(_cell(sc.by_category.get(cat), "recall") for _, sc in columns))
    print(f"{'TOTAL recall':<24}" + "".join(_cell(sc.total, "recall") for _, sc in columns))
    print(f"{'TOTAL FP':<24}" + "".join(_cell(sc.total, "fp") for _, sc in columns))


def _cell(tally, what: str) -> str:  # noqa: ANN001
    if tally is None:
        return f"{'-':>16}"
    if what == "recall":
        return f"{f'{tally.hit}/{tally.expected} {tally.recall:.0%}':>16}"
    return f"{f'{tally.false_positive}/{tally.safe} {tally.fp_rate:.0%}':>16}"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-only", action="store_true", help="only the labelled corpus table")
    parser.add_argument("--skip-corpus", action="store_true", help="only the stdlib comparison with bandit")
    parser.add_argument("--stdlib", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--bandit-json", help="reuse bandit results saved by --save-bandit-json")
    parser.add_argument("--save-bandit-json", help="save bandit's results (and time) to this file")
    return parser.parse_args()


def print_mapping(mapping: dict[str, list[str]], bandit_results: list[dict]) -> None:
    print("\nmapping (Bandit test -> guardline rules):")
    for test_id in sorted(mapping):
        print(f"  {test_id}: {', '.join(mapping[test_id])}")
    for test_id, why in sorted(NOT_COVERED.items()):
        print(f"  {test_id}: not covered - {why}")
    per_test = Counter(r["test_id"] for r in bandit_results)
    print(f"\nbandit findings: {len(bandit_results)} total; by test: {dict(per_test.most_common())}")


def match_bandit(bandit_results: list[dict], guard_results: dict[str, list],
                 mapping: dict[str, list[str]]) -> tuple[Counter, Counter, dict[str, list[dict]]]:
    """(bandit findings per covered test, those guardline also reports, the misses per test)."""
    covered, matched, misses = Counter(), Counter(), defaultdict(list)
    for result in bandit_results:
        test_id = result["test_id"]
        if test_id not in mapping:
            continue
        path = os.path.realpath(result["filename"])
        covered[test_id] += 1
        line_range = result.get("line_range") or [result["line_number"]]
        if any(_covers(f, line_range, mapping[test_id]) for f in guard_results.get(path, [])):
            matched[test_id] += 1
        else:
            misses[test_id].append(result)
    return covered, matched, misses


def print_recall(covered: Counter, matched: Counter, misses: dict[str, list[dict]], docs: dict,
                 mapping: dict[str, list[str]]) -> None:
    """Recall per test and overall; each miss gets its ``_reason``."""
    by_design = 0
    print("\nrecall per covered Bandit test (matched / bandit findings):")
    for test_id in sorted(covered):
        reasons = Counter()
        for miss in misses[test_id]:
            path = os.path.realpath(miss["filename"])
            reason = miss_reason(docs[path], miss["line_number"], mapping[test_id]) if path in docs else "unparsed"
            miss["_reason"] = reason
            reasons[reason] += 1
        by_design += sum(n for r, n in reasons.items() if r.startswith("recognised"))
        print(f"  {test_id}: {matched[test_id]}/{covered[test_id]} = {matched[test_id] / covered[test_id]:.0%}"
              f"   misses: {dict(reasons)}")
    total_cov, total_hit = sum(covered.values()), sum(matched.values())
    if total_cov:
        print(f"\nrecall overall: {total_hit}/{total_cov} = {total_hit / total_cov:.1%}")
        print(f"recall counting by-design exclusions as intended: {(total_hit + by_design)}/{total_cov} = "
              f"{(total_hit + by_design) / total_cov:.1%} (target >= 90%)")


def print_misses(misses: dict[str, list[dict]], root: str) -> None:
    print("\nmisses (not recognised first, then by design):")
    all_misses = [m for ms in misses.values() for m in ms]
    all_misses.sort(key=lambda m: (m["_reason"] != "not recognised", m["test_id"], m["filename"], m["line_number"]))
    for miss in all_misses[:80]:
        code = " ".join(miss.get("code", "").split())[:90]
        rel = os.path.relpath(miss["filename"], root)
        print(f"  [{miss['_reason'][:14]}] {miss['test_id']} {rel}:{miss['line_number']}  {code}")
    if len(all_misses) > 80:
        print(f"  ... {len(all_misses) - 80} more")


def print_extras(bandit_results: list[dict], guard_results: dict[str, list], docs: dict, root: str,
                 sample: int) -> None:
    bandit_lines = {(os.path.realpath(r["filename"]), ln) for r in bandit_results
                    for ln in (r.get("line_range") or [r["line_number"]])}
    extra = [(p, f) for p, fs in guard_results.items() for f in fs
             if not any((p, ln) in bandit_lines for ln in range(f.start_line, f.end_line + 1))]
    print(f"\nguardline findings: {sum(len(v) for v in guard_results.values())}; by rule: "
          f"{dict(Counter(f.rule for fs in guard_results.values() for f in fs).most_common())}")
    print(f"guardline findings bandit lacks: {len(extra)}; random sample of {sample} for hand judgement:")
    for path, finding in random.Random(7).sample(extra, min(sample, len(extra))):
        line = docs[path].lines[finding.start_line - 1].strip()[:90] if path in docs else ""
        print(f"  {finding.rule} {os.path.relpath(path, root)}:{finding.start_line}  {line}")


def print_timings(files: list[str], docs: dict) -> None:
    scan_ms, secrets_ms, parse_ms, n = typical_file_timing(files, docs)
    print(f"\nper-file time on typical ~1,000-line files ({n} files, median of 3 runs each): "
          f"all rules {scan_ms:.1f} ms (target < 20 ms; secrets alone {secrets_ms:.1f} ms), "
          f"parse {parse_ms:.1f} ms (shared with metrics)")
    for language, lines, median in keystroke_timing():
        print(f"per keystroke: scan_document on the {lines}-line {language} file of lsp_latency.py: "
              f"median {median:.2f} ms of 20 runs (target <= 4 ms)")


def main() -> int:
    args = parse_args()
    if not args.skip_corpus:
        corpus_comparison()
    if args.corpus_only:
        return 0
    root = os.path.realpath(args.stdlib)
    files = python_files(root)
    compiled("python")  # compile once, outside the timed loop (as in the server)
    print(f"corpus: {root} ({len(files)} .py files, site-packages excluded)")

    bandit_results, bandit_time = run_bandit(root, args.bandit_json, args.save_bandit_json)
    guard_results, docs, guard_time = run_guardline(files)
    pool_time = run_guardline_pool(files)
    print(f"\nwall time: bandit {bandit_time:.1f} s (one process), guardline {guard_time:.1f} s one process "
          f"(ratio {guard_time / bandit_time:.3f}), {pool_time:.1f} s with a {os.cpu_count()}-process pool "
          f"(ratio {pool_time / bandit_time:.3f}); target <= 0.1. guardline times include parsing.")

    mapping = bandit_mapping()
    print_mapping(mapping, bandit_results)
    covered, matched, misses = match_bandit(bandit_results, guard_results, mapping)
    print_recall(covered, matched, misses, docs, mapping)
    print_misses(misses, root)
    print_extras(bandit_results, guard_results, docs, root, args.sample)
    print_timings(files, docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
