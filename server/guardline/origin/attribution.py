"""The pure attribution: blame lines + commit metadata + notes + traces + text -> one record per line.

No subprocess, no file access: the git layer (`gitlayer.py`) gathers the facts, this module decides.
Sources run in the configured order (docs/origin.md); the first one with a record wins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pathspec

from guardline.config import Config, ConfigError
from guardline.origin import patterns as P
from guardline.origin.agenttrace import AgentTraces
from guardline.origin.commits import CommitTables, classify_author, classify_message
from guardline.origin.comments import CommentSyntax, code_before_comment, comment_lines, syntax_for
from guardline.origin.gitai import AuthorshipNote
from guardline.origin.records import ZERO_SHA, BlameLine, CommitInfo, LineOrigin

DEFAULT_ORDER = ("generated", "markers", "git-ai", "agent-trace", "author", "message", "file-header", "paths")


@dataclass
class Settings:
    order: tuple[str, ...] = DEFAULT_ORDER
    tables: CommitTables = field(default_factory=CommitTables)
    ai_paths: Sequence[str] = ()
    generated_paths: Sequence[str] = ()

    def __post_init__(self) -> None:
        self.ai_spec = _glob_spec(tuple(self.ai_paths))

    @classmethod
    def from_config(cls, config: Config) -> "Settings":
        """Settings from `config.origin`; unknown source names and bad regexes raise ConfigError."""
        get = config.get
        where = getattr(config, "source", None)
        order = tuple(get("origin.sources", DEFAULT_ORDER))
        unknown = [s for s in order if s not in DEFAULT_ORDER]
        if unknown:
            raise ConfigError(f"'origin.sources' has unknown sources {unknown}; known: {list(DEFAULT_ORDER)}",
                              path=where, key="origin.sources")
        try:
            tables = CommitTables.from_config(get("origin.extra_ai_emails", ()), get("origin.extra_bot_emails", ()),
                                              get("origin.extra_ai_trailers", ()))
        except re.error as exc:
            raise ConfigError(f"'origin.extra_ai_trailers' has an invalid regular expression: {exc}",
                              path=where, key="origin.extra_ai_trailers") from exc
        return cls(order=order, tables=tables, ai_paths=tuple(get("origin.ai_paths", ())),
                   generated_paths=tuple(get("origin.generated_paths", ())))


@dataclass
class Facts:
    """Everything known about one file, gathered by the git layer (or empty without git)."""

    path: str                                   # repo-relative, forward slashes
    lines: list[str]                            # the text analysed, one entry per line
    blame: list[BlameLine] | None = None        # None: no usable history (see no_git_reason)
    commits: dict[str, CommitInfo] = field(default_factory=dict)
    notes: dict[str, AuthorshipNote] = field(default_factory=dict)   # commit sha -> git-ai note
    traces: AgentTraces = field(default_factory=AgentTraces)
    generated_reason: str | None = None         # decided by the git layer (.gitattributes) or header
    no_git_reason: str | None = None
    syntax: CommentSyntax | None = None


@functools.lru_cache(maxsize=64)
def _glob_spec(globs: tuple[str, ...]) -> pathspec.PathSpec:
    """Gitignore-style globs (`**`, anchored `/`), compiled once per distinct list."""
    try:
        return pathspec.PathSpec.from_lines("gitignore", globs)
    except (KeyError, LookupError):      # older pathspec without the "gitignore" factory name
        return pathspec.PathSpec.from_lines("gitwildmatch", globs)


def split_lines(text: str) -> list[str]:
    """Lines as git counts them: a final newline does not start another line."""
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def is_generated(path: str, head: str, *, globs: Sequence[str] = ()) -> str | None:
    """Why the file is generated (e.g. "@generated header"), or None. ``head`` = start of the file."""
    head = head[:P.GENERATED_HEADER_BYTES]
    head = "\n".join(head.split("\n")[:P.GENERATED_HEADER_LINES])
    for regex, reason in P.GENERATED_HEADER_PATTERNS:
        if regex.search(head):
            return reason
    if _glob_spec((*P.DEFAULT_GENERATED_GLOBS, *globs)).match_file(path.replace("\\", "/")):
        return "generated file name"
    return None


def attribute(facts: Facts, settings: Settings) -> list[LineOrigin]:
    return _Attributor(facts, settings).run()


class _Attributor:
    def __init__(self, facts: Facts, settings: Settings) -> None:
        self.facts = facts
        self.settings = settings
        self.count = len(facts.lines)
        self._per_commit: dict[tuple[str, str], LineOrigin | None] = {}
        self.sources: dict[str, Callable[[int], LineOrigin | None]] = {
            "generated": self._generated, "markers": self._markers, "git-ai": self._git_ai,
            "agent-trace": self._agent_trace, "author": self._author, "message": self._message,
            "file-header": self._file_header, "paths": self._paths,
        }
        self._generated_rec = self._compute_generated()
        text = "\n".join(facts.lines)
        syntax = facts.syntax or syntax_for(facts.path)
        self._comments = comment_lines(text, syntax) if P.MARKER_HINT.search(text) else {}
        self._region = self._compute_regions()
        self._header = self._compute_file_header()
        self._path_rec = self._compute_paths()

    def run(self) -> list[LineOrigin]:
        order = [self.sources[name] for name in self.settings.order]
        out: list[LineOrigin] = []
        for index in range(self.count):
            rec = None
            for source in order:
                rec = source(index)
                if rec is not None:
                    break
            out.append(rec or self._fallback(index))
        return out

    # --- per-file sources -------------------------------------------------------------------
    def _compute_generated(self) -> LineOrigin | None:
        reason = self.facts.generated_reason
        if reason is None:
            head = "\n".join(self.facts.lines[:P.GENERATED_HEADER_LINES])
            reason = is_generated(self.facts.path, head, globs=self.settings.generated_paths)
        if reason is None:
            return None
        return LineOrigin("generated", None, None, "generated", "file", None, "high",
                          f"generated file: {reason}")

    def _compute_regions(self) -> dict[int, LineOrigin]:
        marked: dict[int, LineOrigin] = {}
        open_at: int | None = None
        open_attrs: dict[str, str] = {}
        for index in sorted(self._comments):
            comment = self._comments[index]
            if P.REGION_START.search(comment) and open_at is None:
                open_at, open_attrs = index, _region_attrs(comment)
            elif P.REGION_END.search(comment) and open_at is not None:
                self._mark(marked, open_at, index, open_attrs, "AI region marker")
                open_at = None
            elif P.REGION_LINE.search(comment) and code_before_comment(self.facts.lines[index], comment):
                self._mark(marked, index, index, _region_attrs(comment), "trailing @ai comment")
        if open_at is not None:
            self._mark(marked, open_at, self.count - 1, open_attrs, "AI region marker without an end marker")
        return marked

    def _mark(self, marked: dict[int, LineOrigin], first: int, last: int, attrs: dict[str, str],
              why: str) -> None:
        rec = LineOrigin("ai", P.normalize_tool(attrs.get("tool")), attrs.get("model"), "markers", "region",
                         None, "high", f"{why} (lines {first + 1}-{last + 1})")
        for index in range(first, last + 1):
            marked.setdefault(index, rec)

    def _compute_file_header(self) -> LineOrigin | None:
        for index in sorted(i for i in self._comments if i < P.FILE_HEADER_LINES):
            comment = self._comments[index]
            ai = P.FILE_HEADER_AI.search(comment)
            if ai:
                return LineOrigin("ai", None, None, "file-header", "file", None, "medium",
                                  f"file header marker '{ai.group(0)}' on line {index + 1}")
            if P.FILE_HEADER_HUMAN.search(comment):
                return LineOrigin("human", None, None, "file-header", "file", None, "medium",
                                  f"file header 'SPDX-AI-Disclosure: none' on line {index + 1}")
        return None

    def _compute_paths(self) -> LineOrigin | None:
        if self.settings.ai_paths and self.settings.ai_spec.match_file(self.facts.path):
            return LineOrigin("ai", None, None, "paths", "file", None, "medium",
                              "path matches origin.ai_paths in the configuration")
        return None

    # --- per-line sources -------------------------------------------------------------------
    def _blame(self, index: int) -> BlameLine | None:
        blame = self.facts.blame
        if blame is None or index >= len(blame):
            return None
        line = blame[index]
        return None if line.commit == ZERO_SHA else line

    def _generated(self, index: int) -> LineOrigin | None:
        return self._generated_rec

    def _markers(self, index: int) -> LineOrigin | None:
        return self._region.get(index)

    def _file_header(self, index: int) -> LineOrigin | None:
        return self._header

    def _paths(self, index: int) -> LineOrigin | None:
        return self._path_rec

    def _git_ai(self, index: int) -> LineOrigin | None:
        line = self._blame(index)
        note = self.facts.notes.get(line.commit) if line else None
        if note is None:
            return None
        return note.line_origin(line.orig_path, line.orig_line, line.commit)

    def _agent_trace(self, index: int) -> LineOrigin | None:
        traces = self.facts.traces
        if not traces:
            return None
        line = self._blame(index)
        if line is None:
            return traces.for_content(self.facts.path, self.facts.lines, index)
        info = self.facts.commits.get(line.commit)
        return traces.for_commit(line.orig_path, line.orig_line, line.commit, info.parents if info else [])

    def _author(self, index: int) -> LineOrigin | None:
        return self._commit_source(index, "author", classify_author)

    def _message(self, index: int) -> LineOrigin | None:
        return self._commit_source(index, "message", classify_message)

    def _commit_source(self, index: int, kind: str,
                       classify: Callable[[CommitInfo, CommitTables], LineOrigin | None]) -> LineOrigin | None:
        line = self._blame(index)
        if line is None:
            return None
        key = (kind, line.commit)
        if key not in self._per_commit:
            info = self.facts.commits.get(line.commit)
            self._per_commit[key] = classify(info, self.settings.tables) if info else None
        return self._per_commit[key]

    def _fallback(self, index: int) -> LineOrigin:
        if self.facts.blame is None:
            reason = self.facts.no_git_reason or "no git history"
            return _unknown(None, "no-git", reason)
        if index >= len(self.facts.blame):
            return _unknown(None, "uncommitted", "line not in the blamed text")
        line = self.facts.blame[index]
        if line.commit == ZERO_SHA:
            return _unknown(ZERO_SHA, "uncommitted", "uncommitted line with no origin record")
        key = ("fallback", line.commit)
        rec = self._per_commit.get(key)
        if rec is None:
            rec = self._per_commit[key] = LineOrigin(
                "human", None, None, "none", "commit", line.commit, "low",
                "no AI evidence in its commit, so it counts as human")
        return rec


def _unknown(commit: str | None, evidence: str, detail: str) -> LineOrigin:
    return LineOrigin("unknown", None, None, evidence, "line", commit, "low", detail)


def _region_attrs(comment: str) -> dict[str, str]:
    return {k.lower(): v for k, v in P.REGION_ATTRS.findall(comment)}
