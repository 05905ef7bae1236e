"""Clone shape on a real corpus: how many clones, how many lines they cover, how many start or end
inside a statement, and the tokenizer's CPU time (the statement ranges it records cost a little).

    python bench/clone_shape_bench.py [--root DIR] [--limit N] [--no-snap] [--no-long-strings]

Default corpus: the running Python's standard library (top-level *.py files). Prints one JSON object.
``--no-snap`` reports the token matches as they are (no shrinking to whole statements) and
``--no-long-strings`` normalises every string literal to LIT: the behaviour before issue 20, to compare.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import sysconfig
import time
from collections import Counter

from guardline.config import Config
from guardline.duplication import CloneIndex, tokenize
from guardline.duplication import index as index_module
from guardline.duplication import tokens as tokens_module
from guardline.parsing import UnanalysableFile, parse_bytes


def statement_edges(tokens) -> tuple[set[int], set[int]]:
    """Token positions where a statement starts / ends."""
    return set(tokens.stmt_starts), set(tokens.stmt_ends)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--limit", type=int, default=0, help="first N files only (0: all)")
    parser.add_argument("--no-snap", action="store_true")
    parser.add_argument("--no-long-strings", action="store_true")
    args = parser.parse_args()
    if args.no_snap:
        index_module.whole_statements = lambda tokens, start, end: (start, end)
        index_module.whole_statements_pair = lambda a, b, sa, sb, n: (sa, sb, n)
    if args.no_long_strings:
        tokens_module._long_strings_by_content = lambda src, stream: None
    files = sorted(glob.glob(os.path.join(args.root, "*.py")))
    files = files[:args.limit] if args.limit else files
    docs = {}
    for path in files:
        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            docs[path] = parse_bytes(raw, "python", max_bytes=10_000_000)
        except UnanalysableFile:
            continue
    best = float("inf")
    for _ in range(3):   # min of 3: the machine is shared
        start = time.process_time()
        streams = {path: tokenize(doc) for path, doc in docs.items()}
        best = min(best, time.process_time() - start)
    index = CloneIndex(None, Config())
    for path, tokens in streams.items():
        index.add(path, tokens)
    kinds: Counter[str] = Counter()
    inside = lines = 0
    for path in index.paths():
        stmt_starts, stmt_ends = statement_edges(index.tokens(path))
        for clone in index.query(path):
            kinds[clone.kind] += 1
            lines += clone.lines
            a0, a1 = clone.a_span
            if a0 not in stmt_starts or a1 not in stmt_ends:
                inside += 1
    print(json.dumps({"files": len(streams), "tokens": sum(map(len, streams.values())),
                      "tokenize_cpu_s": round(best, 3), "clone_pairs": dict(kinds), "clone_lines": lines,
                      "clones_not_on_statement_edges": inside, "load": os.getloadavg()[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
