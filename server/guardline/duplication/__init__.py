"""Duplication: tokens from the tree-sitter tree, a winnowed k-gram clone index, clone findings.

Typical wiring::

    index = build_index(root, files, config, progress=..., cancelled=...)    # cold or warm start
    findings = analyze_document(index, doc, path, config, root)               # per file / keystroke
    index.clear_shadow(path)                                                  # buffer closed
    index.update_from_disk(path); index.save()                               # file saved
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from guardline.duplication.build import build_index, load, minified_reason, save
from guardline.duplication.index import EXACT, NEAR_MISS, RENAMED, Clone, CloneIndex, duplicated_lines
from guardline.duplication.rules import RULES, CloneRegion, clone_findings, clone_regions
from guardline.duplication.tokens import TokenStream, tokenize
from guardline.model import Finding
from guardline.parsing import ParsedDocument

__all__ = [
    "Clone", "CloneIndex", "CloneRegion", "DuplicationSummary", "EXACT", "NEAR_MISS", "RENAMED", "RULES",
    "TokenStream", "analyze_document", "build_index", "clone_findings", "clone_regions", "load",
    "minified_reason", "save", "tokenize", "workspace_summary",
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
