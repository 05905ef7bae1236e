"""Deep nesting: seconds to parse and to analyse each (language, construct, depth) of the robustness
matrix (tests/robustness_inputs.py), each case in its own process with a time limit.

    .venv/bin/python bench/robustness_bench.py [--depths 5000,50000] [--timeout 30] [--languages go,ruby]

Prints one row per case: parse seconds (tree-sitter alone), then the seconds of each analysis on that
parse: metrics+security (pipeline.analyze_text), duplication tokens, suppressions, origin functions;
and the note, if the file was not analysed. "TIMEOUT" = over the limit.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "server"))

from robustness_inputs import CONSTRUCTS, LANGUAGES, nested_source  # noqa: E402


def _case(language: str, construct: str, depth: int, out) -> None:
    from guardline.config import Config
    from guardline.parsing import parse
    from guardline.pipeline import analyze_document

    text = nested_source(language, construct, depth)
    row: dict = {"bytes": len(text)}
    start = time.perf_counter()
    doc = parse(text, language)
    row["parse"] = time.perf_counter() - start
    row["errors"] = doc.has_errors
    start = time.perf_counter()
    result = analyze_document(doc, "f", Config())
    row["analyse"] = time.perf_counter() - start
    row["functions"] = len(result.functions)
    row["error"] = result.error
    start = time.perf_counter()
    from guardline.duplication.tokens import tokenize
    tokenize(doc)
    row["tokens"] = time.perf_counter() - start
    start = time.perf_counter()
    from guardline.suppressions import parse_suppressions
    parse_suppressions(doc)
    row["suppressions"] = time.perf_counter() - start
    from guardline.origin.functions import apply_to_functions
    from guardline.origin.records import FileOrigin, LineOrigin
    record = LineOrigin("ai", "claude-code", None, "markers", "line", None, "high")
    file_origin = FileOrigin(lines=[record] * (text.count("\n") + 1))
    start = time.perf_counter()
    apply_to_functions(result.functions, file_origin, 0.5, doc.lines)
    row["origin"] = time.perf_counter() - start
    out.put(row)


def run(language: str, construct: str, depth: int, timeout: float) -> dict | None:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_case, args=(language, construct, depth, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None
    return queue.get() if not queue.empty() else {"crashed": proc.exitcode}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depths", default="5000,50000")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--constructs", default=",".join(CONSTRUCTS))
    args = parser.parse_args()
    for depth in [int(d) for d in args.depths.split(",")]:
        for language in args.languages.split(","):
            for construct in args.constructs.split(","):
                row = run(language, construct, depth, args.timeout)
                label = f"{language:10} {construct:8} {depth:6}"
                if row is None:
                    print(f"{label} TIMEOUT (> {args.timeout:.0f} s)", flush=True)
                else:
                    print(f"{label} {json.dumps(row, default=lambda v: round(v, 3))}", flush=True)


if __name__ == "__main__":
    main()
