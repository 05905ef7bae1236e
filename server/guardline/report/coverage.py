"""Test coverage by origin from `coverage.xml` (Cobertura) or `lcov.info` / `coverage.lcov` at the root."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

COBERTURA = ("coverage.xml",)
LCOV = ("lcov.info", "coverage.lcov")
MAX_BYTES = 64 * 1024 * 1024


class FileCoverage:
    """Per line: hits, and (covered, total) branches when the report has them."""

    def __init__(self) -> None:
        self.hits: dict[int, int] = {}
        self.branches: dict[int, tuple[int, int]] = {}


def parse_cobertura(path: str, root: str) -> dict[str, FileCoverage]:
    tree = ET.parse(path)
    sources = [s.text.strip() for s in tree.iter("source") if s.text and s.text.strip()]
    out: dict[str, FileCoverage] = defaultdict(FileCoverage)
    for cls in tree.iter("class"):
        rel = _relative(cls.get("filename", ""), sources, root)
        for line in cls.iter("line"):
            number, hits = int(line.get("number", 0)), int(float(line.get("hits", 0)))
            cov = out[rel]
            cov.hits[number] = max(cov.hits.get(number, 0), hits)
            cond = line.get("condition-coverage", "")
            if line.get("branch") == "true" and "(" in cond:
                covered, total = cond.split("(")[1].rstrip(")").split("/")
                cov.branches[number] = (int(covered), int(total))
    return dict(out)


def parse_lcov(path: str, root: str) -> dict[str, FileCoverage]:
    out: dict[str, FileCoverage] = {}
    current: FileCoverage | None = None
    branch: dict[int, list[int]] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            tag, _, value = line.strip().partition(":")
            if tag == "SF":
                current, branch = out.setdefault(_relative(value, [], root), FileCoverage()), {}
            elif tag == "DA" and current is not None:
                number, hits = value.split(",")[:2]
                current.hits[int(number)] = int(float(hits))
            elif tag == "BRDA" and current is not None:
                parts = value.split(",")
                pair = branch.setdefault(int(parts[0]), [0, 0])
                pair[0] += parts[3] not in ("-", "0")
                pair[1] += 1
                current.branches[int(parts[0])] = (pair[0], pair[1])
    return out


def _relative(name: str, sources: list[str], root: str) -> str:
    """Workspace-relative path of a report's file name (absolute, root-relative or source-relative)."""
    candidates = [name] + [os.path.join(s, name) for s in sources]
    for cand in candidates:
        full = cand if os.path.isabs(cand) else os.path.join(root, cand)
        if os.path.isfile(full):
            return os.path.relpath(os.path.realpath(full), os.path.realpath(root)).replace(os.sep, "/")
    return name.replace(os.sep, "/")


def load(root: str) -> tuple[str, dict[str, FileCoverage]] | None:
    for names, parser in ((COBERTURA, parse_cobertura), (LCOV, parse_lcov)):
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path) and os.path.getsize(path) <= MAX_BYTES:
                try:
                    return name, parser(path, root)
                except (ET.ParseError, ValueError, OSError):
                    continue
    return None


def by_origin(root: str, config) -> dict[str, Any]:
    loaded = load(root)
    if loaded is None:
        return {"note": "no coverage data"}
    name, files = loaded
    from guardline.scan import origin_resolver

    resolver = origin_resolver(root, config)
    counts = {o: [0, 0, 0, 0] for o in ("ai", "human")}   # lines hit, lines, branches hit, branches
    for rel, cov in files.items():
        file_origin = resolver.resolve(rel) if resolver and os.path.isfile(os.path.join(root, rel)) else None
        _count_file(counts, cov, file_origin)
    rows = {o: {"line_pct": _pct(c[0], c[1]), "branch_pct": _pct(c[2], c[3]), "lines": c[1], "branches": c[3]}
            for o, c in counts.items()}
    return {"rows": rows, "source": name, "summary": f"line/branch coverage from {name}"}


def _count_file(counts: dict[str, list[int]], cov: FileCoverage, file_origin) -> None:
    for number, hits in cov.hits.items():
        rec = file_origin.line(number) if file_origin else None
        c = counts.get(rec.origin if rec else "unknown")
        if c is None:
            continue
        c[0] += hits > 0
        c[1] += 1
        if number in cov.branches:
            c[2] += cov.branches[number][0]
            c[3] += cov.branches[number][1]


def _pct(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None
