"""Cognitive complexity, C and C++: guardline against clang-tidy's readability-function-cognitive-complexity.

Runs clang-tidy (Threshold 0, so every function with a non-zero score is reported) on the cases in
bench/cognitive_cases/ (written for this comparison, not taken from any tool's tests) and compares each
function's score with guardline's; a function clang-tidy does not report scores 0. Prints the
agreement and every difference. Needs clang-tidy on PATH (Debian: `apt-get install clang-tidy-14`).

Usage: python bench/cognitive_clang_tidy.py [--clang-tidy clang-tidy-14] [FILE...]
"""

from __future__ import annotations

import argparse
import pathlib
import re
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "server"))

from guardline.metrics import compute_functions  # noqa: E402
from guardline.parsing import parse  # noqa: E402

CASES = pathlib.Path(__file__).resolve().parent / "cognitive_cases"
REPORTED = re.compile(r"function '([^']+)' has cognitive complexity of (\d+)")
CONFIG = ("{CheckOptions: [{key: readability-function-cognitive-complexity.Threshold, value: 0}, "
          "{key: readability-function-cognitive-complexity.DescribeBasicIncrements, value: false}]}")


def clang_tidy_scores(tool: str, path: pathlib.Path) -> dict[str, int]:
    standard = "-std=gnu11" if path.suffix == ".c" else "-std=c++17"
    proc = subprocess.run([tool, str(path), "-checks=-*,readability-function-cognitive-complexity",
                           f"-config={CONFIG}", "--", standard], capture_output=True, text=True, check=False)
    return {name: int(score) for name, score in REPORTED.findall(proc.stdout)}


def guardline_scores(path: pathlib.Path) -> dict[str, int]:
    """Named functions only: clang-tidy reports a lambda without a name ("lambda has ...")."""
    language = "c" if path.suffix == ".c" else "cpp"
    source = path.read_bytes()
    functions, _ = compute_functions(parse(source.decode("utf-8"), language), "guardline")
    scores: dict[str, int] = {}
    for fn in functions:
        if source[fn.start_byte:fn.start_byte + 1] != b"[":
            scores.setdefault(fn.name, fn.cognitive)
    return scores


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clang-tidy", default=shutil.which("clang-tidy") or shutil.which("clang-tidy-14"))
    parser.add_argument("files", nargs="*", type=pathlib.Path)
    args = parser.parse_args()
    if not args.clang_tidy:
        print("clang-tidy not found (Debian: apt-get install clang-tidy-14)", file=sys.stderr)
        return 2
    total = same = 0
    for path in args.files or sorted(CASES.glob("cases.*")):
        theirs, ours = clang_tidy_scores(args.clang_tidy, path), guardline_scores(path)
        for name, score in sorted(ours.items()):
            expected = theirs.get(name, 0)
            total += 1
            same += expected == score
            if expected != score:
                print(f"{path.name}: {name}: clang-tidy {expected}, guardline {score}")
    print(f"{same} / {total} functions identical ({100 * same / max(total, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
