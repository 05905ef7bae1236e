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
from guardline.origin.commits import (CommitTables, classify_author, classify_entry, classify_message, named_ai,
                                      squash_entries)
from guardline.origin.comments import CommentSyntax, code_before_comment, comment_lines, syntax_for
from guardline.origin.records import ZERO_SHA, BlameLine, CommitInfo, LineNote, LineOrigin

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
    notes: dict[str, LineNote] = field(default_factory=dict)   # commit sha -> its line-level note(s)
    traces: AgentTraces = field(default_factory=AgentTraces)
    # Agent Trace revision -> blamed commits descending from it (filled by the git layer)
    trace_ancestry: dict[str, frozenset[str]] = field(default_factory=dict)
    # `git merge --squash` commit -> {(path, line in it): the listed commit that wrote the line}, for
    # listed commits still in the repository (filled by the git layer)
    squash_lines: dict[str, dict[tuple[str, int], str]] = field(default_factory=dict)
    generated_reason: str | None = None         # decided by the git layer (.gitattributes) or header
    no_git_reason: str | None = None
    syntax: CommentSyntax | None = None


@functools.lru_cache(maxsize=64)
def _glob_spec(globs: tuple[str, ...]) -> pathspec.PathSpec[pathspec.Pattern]:
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
    """Why the file is generated (e.g. "@generated header"), or None. ``head`` = start of the file.

    Header banners count only in the leading comments or docblock; vendored folders (`vendor/`,
    `third_party/`) and minified content count as generated too."""
    head = head[:P.GENERATED_HEADER_BYTES]
    lines = head.split("\n")[:P.GENERATED_HEADER_LINES]
    leading = leading_comments(lines)
    for regex, reason in P.GENERATED_HEADER_PATTERNS:
        if regex.search(leading):
            return reason
    rel = path.replace("\\", "/")
    if _glob_spec((*P.DEFAULT_GENERATED_GLOBS, *globs)).match_file(rel):
        return "generated file name"
    if _glob_spec(tuple(P.VENDORED_GLOBS)).match_file(rel):
        return "vendored path"
    if looks_minified(lines):
        return "minified content"
    return None


_LINE_COMMENT = re.compile(r"^\s*(//|#|--|;|%|\*(?!/))")
_BLOCK_OPEN = (("/*", "*/"), ("<!--", "-->"), ('"""', '"""'), ("'''", "'''"), ("{-", "-}"), ("(*", "*)"),
               ("=begin", "=end"))
_PREAMBLE = re.compile(r"^\s*(<\?php|<\?xml|<\?=|[\'\"]use strict[\'\"];?|#!)", re.IGNORECASE)


def leading_comments(lines: Sequence[str]) -> str:
    """The text of the comments and docblock before the first line of code (a shebang, `<?php` or
    `'use strict'` may come first)."""
    out: list[str] = []
    closing: str | None = None
    for raw in lines:
        line = raw.strip()
        if closing is not None:
            out.append(line)
            if closing in line:
                closing = None
            continue
        if not line:
            continue
        opened = next(((o, c) for o, c in _BLOCK_OPEN if _strip_prefix(line).startswith(o)), None)
        if opened is not None:
            out.append(line)
            rest = _strip_prefix(line)[len(opened[0]):]
            if opened[1] not in rest:
                closing = opened[1]
            continue
        if _LINE_COMMENT.match(line):
            out.append(line)
            continue
        if _PREAMBLE.match(line):
            continue
        break
    return "\n".join(out)


def _strip_prefix(line: str) -> str:
    """`r\"\"\"doc` -> `\"\"\"doc` (string prefixes of a Python docstring)."""
    return line[1:] if line[:1] in "rRuUbB" and line[1:4] in ('"""', "'''") else line


def looks_minified(lines: Sequence[str]) -> bool:
    """Long, dense lines: a bundle or minified file whatever its name."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return False
    long_lines = [line for line in filled if len(line) >= P.MINIFIED_MIN_LINE]
    if not long_lines or sum(map(len, filled)) / len(filled) < P.MINIFIED_MEAN_LINE:
        return False
    text = "".join(long_lines)
    spaces = sum(1 for ch in text if ch in " \t")
    return spaces / len(text) <= P.MINIFIED_MAX_SPACE_SHARE


def attribute(facts: Facts, settings: Settings) -> list[LineOrigin]:
    return _Attributor(facts, settings).run()


class _Attributor:
    def __init__(self, facts: Facts, settings: Settings) -> None:
        self.facts = facts
        self.settings = settings
        self.count = len(facts.lines)
        self._per_commit: dict[tuple[str, str], LineOrigin | None] = {}
        self._orig_index: dict[tuple[str, str, int], int] | None = None
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
            if reason is None and len(head) >= P.GENERATED_HEADER_BYTES and looks_minified(self.facts.lines[:50]):
                reason = "minified content"
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
        tool = attrs.get("tool")
        rec = LineOrigin("ai", tool if tool in P.TOOL_DISPLAY else P.normalize_tool(tool), attrs.get("model"),
                         "markers", "region",
                         None, "high", f"{why} (lines {first + 1}-{last + 1})")
        for index in range(first, last + 1):
            marked.setdefault(index, rec)

    def _compute_file_header(self) -> LineOrigin | None:
        """Source 6: the first header marker decides; the tool and model come from any header line
        naming them (`SPDX-AI-Model:`, `SPDX-AI-Tool:`, `@ai-generated by Claude`)."""
        header = sorted(i for i in self._comments if i < P.FILE_HEADER_LINES)
        for index in header:
            comment = self._comments[index]
            ai = P.FILE_HEADER_AI.search(comment) or P.FILE_HEADER_AI_NAMED.search(comment)
            if ai:
                tool, model = self._header_tool([self._comments[i] for i in header])
                return LineOrigin("ai", tool, model, "file-header", "file", None, "medium",
                                  f"file header marker '{ai.group(0).strip()}' on line {index + 1}")
            if P.FILE_HEADER_HUMAN.search(comment):
                return LineOrigin("human", None, None, "file-header", "file", None, "medium",
                                  f"file header 'SPDX-AI-Disclosure: none' on line {index + 1}")
        return None

    @staticmethod
    def _header_tool(comments: list[str]) -> tuple[str | None, str | None]:
        tool = model = None
        for comment in comments:
            named = P.FILE_HEADER_AI_NAMED.search(comment)
            if named:
                found = named_ai(named.group("value"))
                if named.group("kind").lower() == "model":
                    model = model or named.group("value")
                tool = tool or (found[0] if found else P.normalize_tool(named.group("value")))
                continue
            found = _named_in_marker(comment)
            if found and tool is None:
                tool, model = found[0], model or found[1]
        return tool, model

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
        if line is None or note is None:
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
        ancestry = self.facts.trace_ancestry
        rec = traces.for_commit(line.orig_path, line.orig_line, line.commit, info.parents if info else [],
                                is_ancestor=lambda revision, commit: commit in ancestry.get(revision, ()),
                                text_at=lambda start, end: self._commit_text(line, start, end))
        if rec is None:
            rec = traces.relocated(line.orig_path, self.facts.lines, index, line.commit,
                                   lambda revision: revision == line.commit or
                                   line.commit in ancestry.get(revision, ()))
        return rec

    def _commit_text(self, line: BlameLine, start: int, end: int) -> list[str] | None:
        """Lines start..end (1-based) of ``line``'s commit version of its file, when all of them are
        still in the text (blamed to that commit); None otherwise."""
        if self._orig_index is None:
            self._orig_index = {(b.commit, b.orig_path, b.orig_line): i for i, b in enumerate(self.facts.blame or ())}
        out = []
        for number in range(start, end + 1):
            index = self._orig_index.get((line.commit, line.orig_path, number))
            if index is None:
                return None
            out.append(self.facts.lines[index])
        return out

    def _author(self, index: int) -> LineOrigin | None:
        return self._commit_source(index, "author", classify_author)

    def _message(self, index: int) -> LineOrigin | None:
        line = self._blame(index)
        added = self.facts.squash_lines.get(line.commit) if line else None
        if line is not None and added:
            listed = added.get((line.orig_path, line.orig_line))
            if listed is not None:
                return self._listed_commit(line.commit, listed)
        return self._commit_source(index, "message", classify_message)

    def _listed_commit(self, squash: str, listed: str) -> LineOrigin | None:
        """A line of a `git merge --squash` commit that one listed commit added: that commit decides
        (its author and message), so a listed person's lines stay theirs."""
        key = ("listed", listed)
        if key not in self._per_commit:
            info = self.facts.commits.get(squash)
            entry = next((e for e in squash_entries(info.message) if listed.startswith(e.sha) or e.sha.startswith(listed)),
                         None) if info else None
            rec = classify_entry(entry, self.settings.tables) if entry else None
            if rec is not None and rec.origin == "ai":
                rec = LineOrigin("ai", rec.tool, rec.model, "message", "commit", squash, "medium",
                                 f"squash commit: the line comes from listed commit {listed[:8]}: {rec.detail}")
            elif rec is not None:
                rec = LineOrigin(rec.origin, rec.tool, rec.model, rec.evidence, "commit", squash, rec.confidence,
                                 f"squash commit: the line comes from listed commit {listed[:8]}: {rec.detail}")
            else:
                rec = LineOrigin("human", None, None, "message", "commit", squash, "low",
                                 f"squash commit: the line comes from listed commit {listed[:8]}, which carries no "
                                 "AI evidence")
            self._per_commit[key] = rec
        return self._per_commit[key]

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
    """`tool=... model=...` after a marker, else an agent the marker names: `BEGIN AI-GENERATED
    (Claude)`, `@ai-start by Copilot`."""
    attrs = {k.lower(): v for k, v in P.REGION_ATTRS.findall(comment)}
    if "tool" not in attrs:
        found = _named_in_marker(comment)
        if found:
            attrs["tool"] = found[0]
            if found[1] and "model" not in attrs:
                attrs["model"] = found[1]
    return attrs


def _named_in_marker(comment: str) -> tuple[str, str | None] | None:
    """The agent (and model) named after a marker word: `(Claude)`, `by GitHub Copilot`, `: Cursor`."""
    marker = P.REGION_START.search(comment) or P.FILE_HEADER_AI.search(comment)
    rest = comment[marker.end():] if marker else comment
    bracket = re.search(r"\(([^)]*)\)", rest)
    for candidate in ([bracket.group(1)] if bracket else []) + [rest]:
        found = named_ai(candidate)
        if found:
            return found
    return None

