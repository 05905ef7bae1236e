"""Test coverage by origin from a Cobertura XML, lcov or coverage.py JSON report found in the workspace
(or given with `--coverage FILE`)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Callable

from guardline.report.units import Units, buckets
from guardline.workspace import Workspace

if TYPE_CHECKING:
    from guardline.config import Config
    from guardline.origin.records import FileOrigin, LineOrigin

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


def parse_coverage_json(path: str, root: str) -> dict[str, FileCoverage]:
    """coverage.py's `coverage json` output: files -> executed/missing lines and [from, to] branch arcs."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        data = json.load(fh)
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or "meta" not in data:
        raise ValueError("not a coverage.py JSON report")
    out: dict[str, FileCoverage] = {}
    for name, entry in files.items():
        cov = out.setdefault(_relative(str(name), [], root), FileCoverage())
        for number in entry.get("executed_lines", []):
            cov.hits[int(number)] = 1
        for number in entry.get("missing_lines", []):
            cov.hits.setdefault(int(number), 0)
        arcs: dict[int, list[int]] = {}
        for hit, key in ((1, "executed_branches"), (0, "missing_branches")):
            for arc in entry.get(key, []):
                pair = arcs.setdefault(int(arc[0]), [0, 0])
                pair[0] += hit
                pair[1] += 1
        cov.branches.update((line, (pair[0], pair[1])) for line, pair in arcs.items())
    return out


PARSERS = {"cobertura": parse_cobertura, "lcov": parse_lcov, "coverage.py json": parse_coverage_json}
NAMES = {"coverage.xml": "cobertura", "cobertura.xml": "cobertura", "cobertura-coverage.xml": "cobertura",
         "lcov.info": "lcov", "coverage.lcov": "lcov", "coverage.json": "coverage.py json"}
SKIP_DIRS = {".git", ".guardline", "node_modules", ".venv", "venv", ".tox", "__pycache__"}
MAX_DEPTH = 3


def find_reports(root: str) -> list[str]:
    """Coverage reports committed in the workspace (known file names, at most MAX_DEPTH folders deep),
    shallowest first."""
    found: list[tuple[int, str]] = []
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and depth < MAX_DEPTH and entry.name not in SKIP_DIRS:
                stack.append((entry.path, depth + 1))
            elif entry.name in NAMES and entry.is_file(follow_symlinks=False):
                found.append((depth, entry.path))
    return [path for _depth, path in sorted(found)]


def _kind(path: str) -> str:
    name = os.path.basename(path)
    if name in NAMES:
        return NAMES[name]
    if name.endswith(".json"):
        return "coverage.py json"
    return "lcov" if name.endswith((".info", ".lcov")) else "cobertura"


def load(root: str, explicit: str | None = None) -> tuple[str, dict[str, FileCoverage]] | None:
    """(report path relative to root, per-file coverage) of ``explicit`` or the first readable report
    found; an unreadable explicit file raises ValueError (the caller turns it into a usage error)."""
    candidates = [explicit] if explicit else find_reports(root)
    for path in candidates:
        try:
            if os.path.getsize(path) > MAX_BYTES:
                raise ValueError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB")
            files = PARSERS[_kind(path)](path, root)
        except (ET.ParseError, ValueError, OSError, KeyError, TypeError, IndexError) as exc:
            if explicit:
                raise ValueError(f"cannot read coverage report {path}: {exc}") from exc
            continue
        return os.path.relpath(path, root).replace(os.sep, "/"), files
    return None


def by_origin(workspace: Workspace, explicit: str | None = None,
              in_period: Callable[[LineOrigin | None], bool] | None = None) -> dict[str, Any]:
    root = workspace.root
    loaded = load(root, explicit)
    if loaded is None:
        return {"note": "no coverage data (no Cobertura XML, lcov or coverage.py JSON found; see --coverage)"}
    name, files = loaded
    resolver = workspace.origin_resolver
    counts = {o: [0, 0, 0, 0] for o in ("ai", "human")}   # lines hit, lines, branches hit, branches
    units = Units()
    for rel, cov in sorted(files.items()):
        file_origin = resolver.resolve(rel) if resolver and os.path.isfile(os.path.join(root, rel)) else None
        _count_file(counts, units, cov, file_origin, in_period or (lambda _rec: True))
    rows = {o: {"line_pct": _pct(c[0], c[1]), "branch_pct": _pct(c[2], c[3]), "lines": c[1], "branches": c[3]}
            for o, c in counts.items()}
    return {"rows": rows, "source": name, "units": units, "summary": f"line/branch coverage from {name}"}


def _count_file(counts: dict[str, list[int]], units: Units, cov: FileCoverage, file_origin: FileOrigin | None,
                keep: Callable[[LineOrigin | None], bool]) -> None:
    per_file: dict[str, list[int]] = {}
    for number, hits in cov.hits.items():
        rec = file_origin.line(number) if file_origin else None
        origin = rec.origin if rec else "unknown"
        c = counts.get(origin)
        if c is None or not keep(rec):
            continue
        branch = cov.branches.get(number, (0, 0))
        c[0] += hits > 0
        c[1] += 1
        c[2] += branch[0]
        c[3] += branch[1]
        for bucket in buckets(origin, rec.tool if rec else None):
            acc = per_file.setdefault(bucket, [0, 0, 0, 0])
            acc[0] += hits > 0
            acc[1] += 1
            acc[2] += branch[0]
            acc[3] += branch[1]
    for bucket, (hit, lines, covered, total) in per_file.items():
        units.add("line_coverage_pct", bucket, hit, lines)
        if total:
            units.add("branch_coverage_pct", bucket, covered, total)
        units.count(bucket, "coverage_files")
        units.count(bucket, "instrumented_lines", lines)
        units.count(bucket, "branches", total)


def _pct(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 2) if den else None
