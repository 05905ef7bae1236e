"""Differential test: guardline's `radon` maintainability profile vs `radon mi` on the CPython stdlib.

Usage: python bench/radon_mi_diff.py [--step N] [--limit N] [--tolerance 0.5]
Prints the share of files whose file-level MI is within the tolerance of `radon mi -s` (multi=True,
radon's CLI default) and lists every file outside it with both values. Skips RADON_TOO_SLOW (radon
itself needs hours there).
"""

from __future__ import annotations

import argparse
import multiprocessing
import pathlib
import sys
import sysconfig
import time
import warnings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "server"))

from radon.metrics import mi_visit  # noqa: E402

from guardline.metrics import compute_functions  # noqa: E402
from guardline.parsing import parse  # noqa: E402


def stdlib_files(step: int = 1, limit: int | None = None) -> list[pathlib.Path]:
    root = pathlib.Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)[::step]
    return files[:limit] if limit else files


def radon_value(code: str) -> float | None:
    """`radon mi` for the file, or None when radon cannot read it (it reports an error instead)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return mi_visit(code, True)
    except (SyntaxError, ValueError, TypeError):
        return None


def guardline_value(code: str) -> float:
    _, totals = compute_functions(parse(code, "python"), "guardline", "radon")
    return totals.maintainability


# radon.raw re-tokenizes a growing buffer for every line of a bracketed expression: on this file's
# single 15,606-line dict literal it runs for hours (guardline takes well under a second).
RADON_TOO_SLOW = ("pydoc_data/topics.py",)


def compare_one(path: pathlib.Path) -> tuple[float, float] | None:
    """(guardline, radon) file MI, or None when radon cannot read the file."""
    try:
        code = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    expected = radon_value(code)
    if expected is None:
        return None   # e.g. lib2to3 test data radon cannot parse: nothing to compare
    return guardline_value(code), expected


def compare(files: list[pathlib.Path], tolerance: float = 0.5, jobs: int = 1,
            echo: bool = False) -> tuple[int, int, list[str]]:
    """(files compared, files within tolerance, one line per file outside it)."""
    files = [p for p in files if not p.as_posix().endswith(RADON_TOO_SLOW)]
    total = close = 0
    diffs: list[str] = []
    largest = 0.0
    if jobs > 1:
        with multiprocessing.Pool(jobs) as pool:
            results = list(pool.imap(compare_one, files, chunksize=4))
    else:
        results = [compare_one(p) for p in files]
    for path, result in zip(files, results):
        if result is None:
            continue
        got, expected = result
        total += 1
        if abs(got - expected) <= tolerance:
            close += 1
            largest = max(largest, abs(got - expected))
        else:
            diffs.append(f"{path}: guardline {got:.2f} radon {expected:.2f} (diff {got - expected:+.2f})")
            if echo:
                print(diffs[-1], flush=True)
    if echo:
        print(f"largest difference among the files within tolerance: {largest:.6f}")
    return total, close, diffs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", type=int, default=1, help="every Nth stdlib file")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tolerance", type=float, default=0.5)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (radon is the slow side)")
    args = parser.parse_args()
    files = stdlib_files(args.step, args.limit)
    started = time.perf_counter()
    total, close, diffs = compare(files, args.tolerance, args.jobs, echo=True)
    elapsed = time.perf_counter() - started
    share = close / total * 100 if total else 0.0
    print(f"files compared: {total}; within ±{args.tolerance}: {close} = {share:.2f}%; "
          f"outside: {len(diffs)}; {elapsed:.1f} s")


if __name__ == "__main__":
    main()
