"""Duplication: tokens from the tree-sitter tree, a winnowed k-gram clone index, clone findings.

Typical wiring::

    index = build_index(root, files, config, progress=..., cancelled=...)    # cold or warm start
    findings = analyze_document(index, doc, path, config, root)               # per file / keystroke
    index.clear_shadow(path)                                                  # buffer closed
    index.update_from_disk(path); index.save()                               # file saved
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable

from guardline.duplication.classes import CloneClass, clone_classes
from guardline.duplication.build import build_index, load, minified_reason, save
from guardline.duplication.index import EXACT, NEAR_MISS, RENAMED, Clone, CloneIndex, duplicated_lines
from guardline.duplication.rules import RULES, CloneRegion, clone_findings, clone_regions
from guardline.duplication.tokens import TokenStream, tokenize
from guardline.model import FileResult, Finding, FunctionMetrics
from guardline.parsing import ParsedDocument

__all__ = [
    "Clone", "CloneClass", "CloneIndex", "clone_classes", "CloneRegion", "DuplicationSummary", "EXACT", "NEAR_MISS", "RENAMED", "RULES",
    "TokenStream", "analyze_document", "build_index", "clone_findings", "clone_regions", "load",
    "minified_reason", "save", "tokenize", "workspace_summary", "check_duplication",
]


def analyze_document(index: CloneIndex, doc: ParsedDocument, path: str, config: Any, root: str | None,
                     *, shadow: bool = True, origin: Callable[[int, int], str] | None = None) -> list[Finding]:
    """Duplication findings of one document.

    With ``shadow`` (editor buffers) the document becomes the shadow version of ``path`` unless the
    index already holds this exact content; without it (CLI on disk files) the indexed version is
    used as is, or the document is added when the path is not indexed yet.
    """
    if config is not None and not config.get("duplication.enabled", True):
        return []
    current = index.tokens(path)
    content = None if current is None else current.content_hash
    tokens = tokenize(doc) if current is None or shadow else None
    if tokens is not None and tokens.content_hash != content:
        if shadow:
            index.set_shadow(path, tokens)
        else:
            index.add(path, tokens)
    clones = index.query(path)
    return clone_findings(index.key(path), clones, index.file_percent(path, clones), config, root,
                          origin=origin)


@dataclass(slots=True)
class DuplicationSummary:
    """Workspace duplication: per file (duplicated code lines, code lines) and the total share."""

    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    duplicated_lines: int = 0
    code_lines: int = 0
    clones: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.duplicated_lines / self.code_lines if self.code_lines else 0.0

    def file_percent(self, path: str) -> float:
        dup, total = self.files.get(path, (0, 0))
        return 100.0 * dup / total if total else 0.0


def workspace_summary(index: CloneIndex, *, progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> DuplicationSummary:
    """Query every indexed file: the workspace duplication % (lines in clones / code lines)."""
    summary = DuplicationSummary()
    paths = index.paths()
    for done, path in enumerate(paths, 1):
        if cancelled and cancelled():
            break
        tokens = index.tokens(path)
        if tokens is None:
            continue
        clones = index.query(path)
        dup = len(duplicated_lines(tokens, clones))
        summary.files[path] = (dup, tokens.code_lines)
        summary.duplicated_lines += dup
        summary.code_lines += tokens.code_lines
        summary.clones += len(clones)
        if progress and (done % 50 == 0 or done == len(paths)):
            progress(done, len(paths))
    return summary


def check_duplication(root: str, files: list[str], results: list[FileResult], config: Any, *,
                      use_cache: bool = True, processes: int | None = None,
                      progress: Callable[[int, int], None] | None = None) -> list[FileResult]:
    """The CLI's whole-workspace pass: build (or refresh) the index of ``files`` and add each file's
    duplication findings to its FileResult (matched by path, relative to ``root`` or absolute).

    Severity follows the origin of the enclosing function already set on the result (AI: warning).
    With ``use_cache=False`` the index is built in a temporary directory and not kept.
    """
    if config is not None and not config.get("duplication.enabled", True):
        return results
    absolute = [os.path.join(root, f) for f in files]   # scan.discover_files gives root-relative paths
    if use_cache:
        index = build_index(root, absolute, config, processes=processes, progress=progress)
    else:
        with tempfile.TemporaryDirectory() as scratch:
            index = build_index(scratch, absolute, config, processes=processes, progress=progress)
    for result in results:
        path = os.path.join(root, result.path)
        if path not in index:
            continue
        clones = index.query(path)
        if clones:
            result.findings.extend(clone_findings(index.key(path), clones, index.file_percent(path, clones),
                                                  config, root, origin=origin_from_functions(result.functions)))
    return results


def origin_from_functions(functions: list[FunctionMetrics]) -> Callable[[int, int], str]:
    """origin(start_line, end_line): the origin of the innermost function holding the region's start."""
    def origin(start: int, end: int) -> str:
        best = None
        for fn in functions:
            if fn.start_line <= start <= fn.end_line and (best is None or fn.start_line >= best.start_line):
                best = fn
        return best.origin if best is not None else "unknown"
    return origin
