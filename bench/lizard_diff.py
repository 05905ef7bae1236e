"""Differential test: guardline's `lizard` cyclomatic profile vs lizard 1.24 on real code.

Usage: python bench/lizard_diff.py LANGUAGE PATH... [--limit N] [--show N]
PATH may be a directory (searched for the language's extensions) or a .zip (e.g. the JDK's src.zip).
Functions are matched by (start line, name); prints the agreement rate over functions both tools
report and lists every disagreement. Importable: `compare_sources(language, [(name, code)])`.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import zipfile
from dataclasses import dataclass, field

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "server"))

import lizard  # noqa: E402

from guardline.languages import EXTENSIONS  # noqa: E402
from guardline.metrics import compute_functions  # noqa: E402
from guardline.parsing import parse  # noqa: E402

# the file name lizard sees decides its language reader
LIZARD_SUFFIX = {"python": ".py", "javascript": ".js", "typescript": ".ts", "tsx": ".tsx", "go": ".go",
                 "java": ".java", "rust": ".rs", "c": ".c", "cpp": ".cpp", "csharp": ".cs",
                 "ruby": ".rb", "php": ".php"}


@dataclass
class Comparison:
    total: int = 0
    same: int = 0
    only_lizard: int = 0
    lizard_failed: int = 0    # files lizard itself crashes on (skipped)
    diffs: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.same / self.total if self.total else 0.0


def lizard_functions(language: str, name: str, code: str) -> dict[int, tuple[str, int]]:
    info = lizard.analyze_file.analyze_source_code(f"x{LIZARD_SUFFIX[language]}", code)
    return {f.start_line: (f.name, f.cyclomatic_complexity) for f in info.function_list}


def guardline_functions(language: str, code: str) -> dict[int, list[tuple[str, int]]]:
    functions, _ = compute_functions(parse(code, language), "lizard")
    out: dict[int, list[tuple[str, int]]] = {}
    for fn in functions:
        out.setdefault(fn.start_line, []).append((fn.qualified_name, fn.cyclomatic))
        # lizard starts a function at its name token: after annotations, attributes, `static int\n`
        if fn.name_line and fn.name_line != fn.start_line:
            out.setdefault(fn.name_line, []).append((fn.qualified_name, fn.cyclomatic))
    return out


def compare_sources(language: str, sources: list[tuple[str, str]]) -> Comparison:
    result = Comparison()
    for name, code in sources:
        try:
            theirs = lizard_functions(language, name, code)
        except Exception:  # lizard's own reader crashes on some valid files: nothing to compare
            result.lizard_failed += 1
            continue
        ours = guardline_functions(language, code)
        for line, (lz_name, lz_ccn) in theirs.items():
            candidates = ours.get(line)
            if not candidates:
                result.only_lizard += 1
                continue
            result.total += 1
            values = [ccn for _, ccn in candidates]
            if lz_ccn in values:
                result.same += 1
            else:
                result.diffs.append(f"{name}:{line} {lz_name}: lizard {lz_ccn}, guardline {values}")
    return result


def iter_sources(language: str, paths: list[str], limit: int | None) -> list[tuple[str, str]]:
    exts = {ext for ext, lang in EXTENSIONS.items() if lang == language}
    out: list[tuple[str, str]] = []
    for raw in paths:
        path = pathlib.Path(raw)
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in sorted(archive.namelist()):
                    if pathlib.PurePath(member).suffix in exts:
                        out.append((f"{path.name}!{member}", archive.read(member).decode("utf-8", "replace")))
                        if limit and len(out) >= limit:
                            return out
            continue
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix in exts and p.is_file())
        for file in files:
            out.append((str(file), file.read_text(encoding="utf-8", errors="replace")))
            if limit and len(out) >= limit:
                return out
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("language")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--show", type=int, default=200)
    args = parser.parse_args()
    result = compare_sources(args.language, iter_sources(args.language, args.paths, args.limit))
    print(f"{args.language}: lizard profile vs lizard {lizard.version if hasattr(lizard, 'version') else ''}: "
          f"{result.same}/{result.total} functions identical = {result.rate:.2%} "
          f"({result.only_lizard} lizard functions without a guardline function on that line, "
          f"{result.lizard_failed} files lizard failed on)")
    for line in result.diffs[: args.show]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
