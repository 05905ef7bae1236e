"""The floor of a tree-sitter based analysis: read and parse every .py file under a folder, nothing
else, with N processes. bench/check_bench.py times it next to guardline and its peers.

Usage: python bench/parse_floor.py [--jobs N] FOLDER
"""

from __future__ import annotations

import argparse
import multiprocessing
import pathlib

import tree_sitter_python
from tree_sitter import Language, Parser


def parse_all(paths: list[str]) -> int:
    parser = Parser(Language(tree_sitter_python.language()))
    nodes = 0
    for path in paths:
        nodes += parser.parse(pathlib.Path(path).read_bytes()).root_node.descendant_count
    return nodes


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--jobs", type=int, default=2)
    args.add_argument("folder")
    ns = args.parse_args()
    files = sorted(str(p) for p in pathlib.Path(ns.folder).rglob("*.py") if p.is_file())
    chunks = [files[i::ns.jobs] for i in range(ns.jobs)]
    with multiprocessing.Pool(ns.jobs) as pool:
        nodes = sum(pool.map(parse_all, chunks))
    print(f"{len(files)} files, {nodes} nodes")


if __name__ == "__main__":
    main()
