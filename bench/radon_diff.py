"""Differential test: guardline's `radon` cyclomatic profile vs `radon cc` on the CPython stdlib.

Usage: python bench/radon_diff.py [--limit N] [--show 40]
Prints the agreement rate over every function radon reports and lists every disagreement.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import sysconfig
import time
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "server"))

from radon.complexity import cc_visit  # noqa: E402

from guardline.metrics import compute_functions  # noqa: E402
from guardline.parsing import parse  # noqa: E402


def stdlib_files(limit: int | None = None) -> list[pathlib.Path]:
    root = pathlib.Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)
    return files[:limit] if limit else files


def radon_functions(code: str) -> dict[tuple[int, str], int]:
    """(line, name) -> complexity for every function, method and closure radon reports."""
    out: dict[tuple[int, str], int] = {}
    stack = list(cc_visit(code))
    while stack:
        block = stack.pop()
        if hasattr(block, "methods"):           # a class: its methods and inner classes
            stack.extend(block.methods)
            stack.extend(getattr(block, "inner_classes", []))
            continue
        out[(block.lineno, block.name)] = block.complexity
        stack.extend(block.closures)
    return out


def guardline_functions(code: str) -> dict[tuple[int, str], int]:
    functions, _ = compute_functions(parse(code, "python"), "radon")
    return {(f.start_line, f.name): f.cyclomatic for f in functions}


def compare(files: list[pathlib.Path]) -> tuple[int, int, list[str]]:
    total = same = 0
    diffs: list[str] = []
    for path in files:
        try:
            code = path.read_text(encoding="utf-8")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = radon_functions(code)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue   # radon cannot parse it (e.g. lib2to3 test data): nothing to compare
        ours = guardline_functions(code)
        for key, value in expected.items():
            total += 1
            got = ours.get(key)
            if got == value:
                same += 1
            else:
                diffs.append(f"{path}:{key[0]} {key[1]}: radon {value}, guardline {got}")
    return total, same, diffs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int)
    parser.add_argument("--show", type=int, default=1000)
    args = parser.parse_args()
    start = time.perf_counter()
    total, same, diffs = compare(stdlib_files(args.limit))
    rate = same / total if total else 0.0
    print(f"radon profile vs radon cc: {same}/{total} functions identical = {rate:.4%} "
          f"({time.perf_counter() - start:.1f} s)")
    for line in diffs[: args.show]:
        print("  " + line)
    return 0 if rate >= 0.995 else 1


if __name__ == "__main__":
    raise SystemExit(main())
