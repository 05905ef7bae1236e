"""Plain records of the origin subsystem. No I/O."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

# "ai-modified": written by an AI, later changed by a person; counted as AI for limits, shown apart.
ORIGINS = ("ai", "ai-modified", "human", "bot", "generated", "unknown")
AI_ORIGINS = ("ai", "ai-modified")
GRANULARITIES = ("line", "region", "commit", "file")
CONFIDENCES = ("high", "medium", "low")
ZERO_SHA = "0" * 40


@dataclass(frozen=True, slots=True)
class LineOrigin:
    """Who wrote one line, and how sure we are. Frozen: records are shared between lines."""

    origin: str                  # ai | ai-modified | human | bot | generated | unknown
    tool: str | None             # tool id, e.g. "claude-code"; see patterns.tool_display
    model: str | None
    evidence: str                # the source that decided: generated, markers, git-ai, agent-trace,
                                 # author, message, file-header, paths, none, uncommitted, no-git
    granularity: str             # line | region | commit | file
    commit: str | None           # blamed sha (None without git; ZERO_SHA when uncommitted)
    confidence: str              # high | medium | low
    detail: str = ""             # why, in words (for `check -v` and hover)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FileOrigin:
    lines: list[LineOrigin] = field(default_factory=list)   # index 0 = line 1
    notes: list[str] = field(default_factory=list)

    def line(self, number: int) -> LineOrigin | None:
        """The record of 1-based line ``number``, or None past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return None

    def counts(self) -> dict[str, int]:
        out = {name: 0 for name in ORIGINS}
        for rec in self.lines:
            out[rec.origin] = out.get(rec.origin, 0) + 1
        return out


@dataclass(slots=True)
class BlameLine:
    """One line of `git blame --porcelain`: the commit and where the line was in that commit."""

    commit: str
    orig_line: int               # 1-based line number in the commit's version of the file
    orig_path: str               # repo-relative path in that commit (renames followed by -M)
    boundary: bool = False


@dataclass(slots=True)
class CommitInfo:
    sha: str
    author_name: str = ""
    author_email: str = ""
    committer_name: str = ""
    committer_email: str = ""
    author_time: int = 0
    parents: list[str] = field(default_factory=list)
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"sha": self.sha, "author_name": self.author_name, "author_email": self.author_email,
                "committer_name": self.committer_name, "committer_email": self.committer_email,
                "author_time": self.author_time, "parents": list(self.parents), "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CommitInfo":
        return cls(**data)


class LineNote(Protocol):
    """A line-level note of one commit (git-ai authorship, whogitit, Agent Trace records, or a set of
    them from several notes refs): the origin it gives a line the commit wrote, or None."""

    def line_origin(self, path: str, line: int, commit: str) -> LineOrigin | None: ...
