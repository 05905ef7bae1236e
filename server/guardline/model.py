"""Result objects of the analysis core. Plain dataclasses: no LSP, no I/O."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ORIGINS = ("ai", "human", "bot", "generated", "unknown")
SEVERITIES = ("error", "warning", "info", "hint")
CATEGORIES = ("complexity", "maintainability", "duplication", "security", "reliability")


class _Positional:
    """Pickled as (class, field values): a cold scan's worker processes send every file's functions,
    increments and findings back through a pipe, and the default pickling of a slotted dataclass (a
    dict of slot names per object, set back attribute by attribute) cost ~40% more CPU on both
    sides (bench/RESULTS.md, issue 21 session 6). Copies (``copy.copy``) keep their usual meaning:
    a new object sharing the field values. Subclasses list their fields in ``__slots__`` in
    ``__init__`` order, as ``dataclass(slots=True)`` writes it."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        cls = type(self)
        names: tuple[str, ...] = cls.__slots__
        return cls, tuple(getattr(self, name) for name in names)


@dataclass(slots=True)
class Increment(_Positional):
    """One contribution to a complexity score, for `explain` and hover."""

    metric: str          # "cognitive" | "cyclomatic"
    line: int            # 1-based
    construct: str       # e.g. "if", "elif", "&&", "except", "nested function"
    amount: int          # points added
    nesting: int = 0     # nesting level at which it was counted (cognitive)
    column: int = 0      # 0-based byte column


@dataclass(slots=True)
class FunctionMetrics(_Positional):
    name: str
    qualified_name: str
    start_line: int              # 1-based, inclusive
    end_line: int                # 1-based, inclusive
    start_byte: int = 0
    end_byte: int = 0
    name_line: int = 0           # 1-based line of the name (hover target)
    name_column: int = 0         # 0-based byte column of the name
    name_end_column: int = 0
    cyclomatic: int = 1
    cognitive: int = 0
    maintainability: float = 100.0
    halstead_volume: float = 0.0
    sloc: int = 0                # non-blank, non-comment lines
    increments: list[Increment] = field(default_factory=list)
    # Filled by the origin layer (issue: origin attribution); metric code never reads these.
    origin: str = "unknown"
    ai_share: float = 0.0
    origin_detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "qualified_name": self.qualified_name,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "cyclomatic": self.cyclomatic,
            "cognitive": self.cognitive,
            "maintainability": round(self.maintainability, 2),
            "halstead_volume": round(self.halstead_volume, 2),
            "sloc": self.sloc,
            "origin": self.origin,
            "ai_share": round(self.ai_share, 3),
            **origin_fields(self.origin_detail),
        }


ORIGIN_FIELDS = ("tool", "tool_id", "model", "evidence", "confidence", "commits", "ai_modified_share")


def origin_fields(detail: dict[str, Any]) -> dict[str, Any]:
    """A function's origin evidence for JSON and SARIF: tool (display name and id), model, evidence,
    confidence, the commits its lines come from (shas) and the share of AI lines a person changed."""
    if not detail:
        return {}
    out = {name: detail.get(name) for name in ORIGIN_FIELDS if name != "commits"}
    out["commits"] = list(detail.get("commit_shas", ()))
    return out


@dataclass(slots=True)
class Location(_Positional):
    path: str
    start_line: int
    end_line: int
    start_column: int = 0
    end_column: int = 0


@dataclass(slots=True)
class Finding(_Positional):
    rule: str                    # stable id, e.g. "GL-C001"
    category: str                # complexity|maintainability|duplication|security
    severity: str                # error|warning|info|hint
    start_line: int
    end_line: int
    message: str
    origin: str = "unknown"
    cwe: str | None = None
    start_column: int = 0        # 0-based byte column on start_line
    end_column: int | None = None
    function: str | None = None  # qualified name of the enclosing function, if any
    data: dict[str, Any] = field(default_factory=dict)
    related: list[Location] = field(default_factory=list)
    fingerprint: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start_line": self.start_line,
            "end_line": self.end_line,
            "message": self.message,
            "origin": self.origin,
        }
        if self.cwe:
            out["cwe"] = self.cwe
        if self.function:
            out["function"] = self.function
        if self.data:
            out["data"] = self.data
        if self.related:
            out["related"] = [asdict(loc) for loc in self.related]
        if self.fingerprint:
            out["fingerprint"] = self.fingerprint
        return out


@dataclass(slots=True)
class FileMetrics(_Positional):
    """Whole-file totals (module-level code counts here)."""

    sloc: int = 0
    lloc: int = 0
    comment_lines: int = 0
    cyclomatic_total: int = 0
    halstead_volume: float = 0.0
    maintainability: float = 100.0


@dataclass
class FileResult:
    path: str
    language: str | None
    lines: int = 0
    error: str | None = None
    functions: list[FunctionMetrics] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    totals: FileMetrics = field(default_factory=FileMetrics)
    notes: list[str] = field(default_factory=list)  # non-fatal: syntax errors recovered, bytes replaced

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "language": self.language,
            "lines": self.lines,
            "error": self.error,
            "notes": self.notes,
            "functions": [f.to_json() for f in self.functions],
            "findings": [f.to_json() for f in self.findings],
            "maintainability": round(self.totals.maintainability, 2),
            "sloc": self.totals.sloc,
        }
