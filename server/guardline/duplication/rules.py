"""Duplication rules and the findings of one file's clones."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable

from guardline.duplication.index import EXACT, Clone
from guardline.model import Finding, Location
from guardline.rules import RuleMeta

DUPLICATE_CODE = "duplicate-code"
FILE_DUPLICATION = "file-duplication"
MAX_FINDINGS_PER_FILE = 100

RULES: list[RuleMeta] = [
    RuleMeta(
        id=DUPLICATE_CODE,
        title="Duplicated block",
        category="duplication",
        default_severity="info",
        description=("A block of at least 50 tokens and 5 lines (exact copy) or 100 tokens and 10 lines "
                     "(copy with identifiers or literals renamed) also appears elsewhere in the workspace "
                     "or in the same file. Comments, whitespace and imports are ignored; a clone starts and "
                     "ends with whole statements; long string literals (templates, embedded scripts) count "
                     "by their content, so two different ones are not a renamed copy. Severity is "
                     "warning in AI-written code."),
        fix="Extract the shared code into one function or module and call it from both places.",
        tags=("clone",),
    ),
    RuleMeta(
        id=FILE_DUPLICATION,
        title="File duplication above limit",
        category="duplication",
        default_severity="warning",
        description="More than 5% of the file's code lines are inside duplicated blocks (configurable: "
                    "duplication.file_percent_warning).",
        fix="Remove the duplicated blocks listed for this file.",
        tags=("clone",),
    ),
]


@dataclass(slots=True)
class CloneRegion:
    """A region of the queried file that is duplicated, with every other place it appears."""

    location: Location
    tokens: int
    lines: int
    kind: str
    others: list[Location] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)


def clone_regions(clones: list[Clone]) -> list[CloneRegion]:
    """Group clone pairs by overlapping regions of the queried file (its side of each clone class)."""
    regions: list[CloneRegion] = []
    seen: dict[str, list[Location]] = {}   # the current region's other places, by path
    for clone in sorted(clones, key=lambda c: (c.a_span[0], -c.a_span[1])):
        current = regions[-1] if regions else None
        if current is not None and clone.a_span[0] < current.span[1]:
            _widen(current, clone)
        else:
            regions.append(CloneRegion(Location(clone.a.path, clone.a.start_line, clone.a.end_line,
                                                clone.a.start_column, clone.a.end_column),
                                       clone.tokens, clone.lines, clone.kind, [], clone.a_span))
            current = regions[-1]
            seen = {}
        same_path = seen.setdefault(clone.b.path, [])
        if not any(_same_place(clone.b, other) for other in same_path):
            current.others.append(clone.b)
            same_path.append(clone.b)
    return regions


def _widen(region: CloneRegion, clone: Clone) -> None:
    if clone.a_span[1] > region.span[1]:
        region.span = (region.span[0], clone.a_span[1])
        region.location.end_line = clone.a.end_line
        region.location.end_column = clone.a.end_column
        region.tokens = region.span[1] - region.span[0]
        region.lines = region.location.end_line - region.location.start_line + 1
    if clone.kind == EXACT:
        region.kind = EXACT


def _same_place(a: Location, b: Location) -> bool:
    return a.path == b.path and a.start_line < b.end_line + 1 and b.start_line < a.end_line + 1


def clone_findings(path: str, clones: list[Clone], file_percent: float, config: Any, root: str | None,
                   *, origin: Callable[[int, int], str] | None = None) -> list[Finding]:
    """One ``duplicate-code`` finding per duplicated region of ``path``, plus ``file-duplication``.

    ``origin(start_line, end_line)`` (optional) names the origin of a region; AI code gets warnings.
    """
    max_related = int(config.get("duplication.max_related", 20)) if config else 20
    limit = float(config.get("duplication.file_percent_warning", 5.0)) if config else 5.0
    findings = [_region_finding(region, root, max_related, origin)
                for region in clone_regions(clones)[:MAX_FINDINGS_PER_FILE]]
    if file_percent > limit:
        findings.append(Finding(
            rule=FILE_DUPLICATION, category="duplication", severity="warning", start_line=1, end_line=1,
            message=(f"File duplication {file_percent:.1f}% > {limit:g}% (share of this file's code lines "
                     f"inside duplicated blocks; {len(findings)} duplicated block(s))"),
            data={"percent": round(file_percent, 2), "limit": limit, "blocks": len(findings)}))
    return findings


def _region_finding(region: CloneRegion, root: str | None, max_related: int,
                    origin: Callable[[int, int], str] | None) -> Finding:
    loc = region.location
    who = origin(loc.start_line, loc.end_line) if origin else "unknown"
    first = region.others[0]
    more = len(region.others) - 1
    also = f"{display_path(first.path, root)}:{first.start_line}-{first.end_line}"
    if more:
        also += f" (+{more} more)"
    kind = "" if region.kind == EXACT else f" ({region.kind})"
    return Finding(
        rule=DUPLICATE_CODE, category="duplication", severity="warning" if who == "ai" else "info",
        start_line=loc.start_line, end_line=loc.end_line, start_column=loc.start_column,
        end_column=loc.end_column, origin=who,
        message=f"Duplicated block{kind}: {region.tokens} tokens, {region.lines} lines, also at {also}",
        data={"tokens": region.tokens, "lines": region.lines, "kind": region.kind,
              "copies": len(region.others) + 1},
        related=[Location(o.path, o.start_line, o.end_line, o.start_column, o.end_column)
                 for o in region.others[:max_related]])


def display_path(path: str, root: str | None) -> str:
    if root:
        rel = os.path.relpath(path, root)
        if not rel.startswith(".."):
            return rel
    return path
