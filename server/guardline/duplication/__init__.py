"""Duplication: tokens from the tree-sitter tree, a winnowed k-gram clone index, clone findings.

Typical wiring::

    index = build_index(root, files, config, progress=..., cancelled=...)    # cold or warm start
    findings = analyze_document(index, doc, path, config, root)               # per file / keystroke
    index.clear_shadow(path)                                                  # buffer closed
    update_from_disk(index, path); save(index)                               # file saved (build.py)
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable

from guardline.duplication.classes import CloneClass, clone_classes
from guardline.duplication.build import ScanTokens, build_index, load, minified_reason, save, scan_tokens
from guardline.duplication.fingerprints import window_for
from guardline.duplication.index import (EXACT, MAX_POSTINGS, NEAR_MISS, RENAMED, Clone, CloneIndex, Thresholds,
                                         duplicated_lines)
from guardline.duplication.results import (FileClones, config_signature, directive_reader, load_snapshot, refresh,
                                           write_snapshot)
from guardline.duplication.store import CloneStore
from guardline.duplication.rules import RULES, CloneRegion, clone_findings, clone_regions
from guardline.duplication.tokens import TokenStream, tokenize
from guardline.model import FileResult, Finding, FunctionMetrics
from guardline.parsing import ParsedDocument

__all__ = [
    "Clone", "CloneClass", "CloneIndex", "clone_classes", "CloneRegion", "DuplicationSummary", "EXACT", "NEAR_MISS", "RENAMED", "RULES",
    "TokenStream", "analyze_document", "build_index", "clone_findings", "clone_regions", "load",
    "minified_reason", "save", "scan_tokens", "ScanTokens", "tokenize", "workspace_summary", "check_duplication", "clone_rows", "FileClones",
    "add_clone_findings", "index_rows",
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
                      progress: Callable[[int, int], None] | None = None,
                      prepared: dict[str, Any] | None = None) -> list[FileResult]:
    """The CLI's whole-workspace pass: build (or refresh) the index of ``files`` and add each file's
    duplication findings to its FileResult (matched by path, relative to ``root`` or absolute).

    Severity follows the origin of the enclosing function already set on the result (AI: warning);
    suppression comments apply as to every other finding. Per-file clones are kept in
    ``.guardline/clones.sqlite``: on an unchanged workspace nothing is read but that snapshot, after
    edits only the files whose clones can have changed are queried (results.py). ``prepared``: the
    ``build.Prepared`` tokens the scan computed from its own parse (``scan_tokens`` hook), by any key.
    With ``use_cache=False`` the index is built in a temporary directory and not kept.
    """
    if config is not None and not config.get("duplication.enabled", True):
        return results
    absolute = [os.path.normpath(os.path.join(root, f)) for f in files]   # discover_files: root-relative
    ready = {p.path: p for p in (prepared or {}).values()}   # keyed by root-relative path in the scan
    rows = clone_rows(root, absolute, config, use_cache=use_cache, processes=processes, progress=progress,
                      prepared=ready)
    return add_clone_findings(root, rows, results, config)


def add_clone_findings(root: str, rows: dict[str, FileClones], results: list[FileResult],
                       config: Any) -> list[FileResult]:
    """Add each file's clone findings (from ``rows``, by absolute path) to its FileResult: the second half
    of ``check_duplication``, also used by the language server's workspace scan so that its counts are
    the CLI's."""
    for result in results:
        row = rows.get(os.path.normpath(os.path.join(root, result.path)))
        if row is None or not row.clones:
            continue
        path = os.path.normpath(os.path.join(root, result.path))
        findings = clone_findings(path, row.clones, row.percent, config, root,
                                  origin=origin_from_functions(result.functions))
        findings = honour_suppressions(result, findings, row.directives)
        result.findings = sorted(result.findings + findings, key=lambda f: (f.start_line, f.start_column, f.rule))
    return results


def clone_rows(root: str, files: list[str], config: Any, *, use_cache: bool = True,
               processes: int | None = None, progress: Callable[[int, int], None] | None = None,
               prepared: dict[str, Any] | None = None) -> dict[str, FileClones]:
    """Absolute path -> FileClones for every indexed file of ``files`` (absolute paths)."""
    thresholds = Thresholds.from_config(config)
    signature = config_signature(thresholds, MAX_POSTINGS)
    directives = directive_reader(root)
    if not use_cache:
        with tempfile.TemporaryDirectory() as scratch:
            index = build_index(scratch, files, config, processes=processes, progress=progress, prepared=prepared)
        return refresh(index, {}, None, directives)[0]
    k = window_for(thresholds.min_tokens)[0]
    store = CloneStore(root, k, thresholds.min_tokens)
    try:
        snapshot, saturated = load_snapshot(store, signature)
        if snapshot and snapshot_current(store, files, snapshot):
            return snapshot
    finally:
        store.close()
    index = build_index(root, files, config, processes=processes, progress=progress, prepared=prepared)
    return _rows_of(root, index, snapshot, saturated, signature, directives)


def index_rows(root: str, index: CloneIndex, config: Any) -> dict[str, FileClones]:
    """Absolute path -> FileClones of every file of an index ``build_index`` just built (no open buffers
    in it), through the stored snapshot like ``clone_rows``: the rows ``guardline check`` gets."""
    signature = config_signature(index.thresholds, MAX_POSTINGS)
    store = CloneStore(root, index.k, index.thresholds.min_tokens)
    try:
        snapshot, saturated = load_snapshot(store, signature)
    finally:
        store.close()
    return _rows_of(root, index, snapshot, saturated, signature, directive_reader(root))


def _rows_of(root: str, index: CloneIndex, snapshot: dict[str, FileClones], saturated: str | None,
             signature: str, directives: Callable[[str], list[list[Any]] | None]) -> dict[str, FileClones]:
    rows, requeried, removed, saturated_now = refresh(index, snapshot, saturated, directives)
    if index.complete:
        store = CloneStore(root, index.k, index.thresholds.min_tokens)
        try:
            write_snapshot(store, signature, saturated_now, rows, requeried, removed)
        finally:
            store.close()
    return rows


def snapshot_current(store: CloneStore, files: list[str], snapshot: dict[str, FileClones]) -> bool:
    """True when ``files`` are exactly the stored files, none changed on disk (same mtime and size) and
    the stored clones were computed for these contents."""
    records = store.files()
    if len(records) != len(files):
        return False
    for path in files:
        record = records.get(path)
        try:
            st = os.stat(path)
        except OSError:
            return False
        if record is None or record.mtime_ns != st.st_mtime_ns or record.size != st.st_size:
            return False
    indexed = {path: record.hash for path, record in records.items() if record.hash and not record.skipped}
    return indexed == {path: row.hash for path, row in snapshot.items()}


def honour_suppressions(result: FileResult, findings: list[Finding],
                        directives: list[list[Any]] | None) -> list[Finding]:
    """Drop the clone findings a suppression comment covers, and the stale-suppression hints the
    metrics pass gave for directives that turn out to suppress a clone finding."""
    if not directives or not findings:
        return findings
    from guardline import suppressions
    parsed = suppressions.Suppressions([
        suppressions.Directive(line, kind, text, tuple(rules), {k: (v[0], v[1]) for k, v in ceilings.items()},
                               comment_only, column)
        for line, kind, text, rules, ceilings, comment_only, column in directives])
    kept, _ = suppressions.apply_suppressions(findings, parsed, [(fn.start_line, fn.end_line) for fn in result.functions])
    used = {(d.line, d.column, d.text) for d in parsed.directives if d.used}
    if used:
        result.findings = [f for f in result.findings if not (
            f.rule == suppressions.STALE_RULE and (f.start_line, f.start_column, f.data.get("directive")) in used)]
    return kept


def origin_from_functions(functions: list[FunctionMetrics]) -> Callable[[int, int], str]:
    """origin(start_line, end_line): the origin of the innermost function holding the region's start."""
    def origin(start: int, end: int) -> str:
        best = None
        for fn in functions:
            if fn.start_line <= start <= fn.end_line and (best is None or fn.start_line >= best.start_line):
                best = fn
        return best.origin if best is not None else "unknown"
    return origin
