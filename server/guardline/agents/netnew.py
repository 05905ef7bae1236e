"""Net-new findings of one edit: the file is analysed before and after the edit with the limits for
AI-written code (every function counts as AI: the hook only runs for agent edits), and a finding is
reported only when it touches what the edit wrote and is new or worse than before:

- complexity / maintainability: a function that contains an edited line, over a limit after the
  edit, and either absent before, not over that limit before, or with a worse value now;
- security: a hotspot on an edited line whose rule and line text did not occur as often before;
- duplication: a duplicated block overlapping the edited lines (against the workspace clone index
  in `.guardline/clones.sqlite`) that did not exist before with the same copies and size.

Uses the analysis core (pipeline, thresholds, duplication); re-implements none of it.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from guardline.config import Config
from guardline.languages import detect_language
from guardline.model import FileResult, Finding, FunctionMetrics
from guardline.parsing import ParsedDocument, UnanalysableFile, parse_bytes
from guardline.pipeline import analyze_text, finish
from guardline.thresholds import LOWER_IS_WORSE

REPORTED_SEVERITIES = ("error", "warning")
METRIC_CATEGORIES = ("complexity", "maintainability")


@dataclass
class NewFinding:
    path: str                                   # repository-relative
    finding: Finding
    before: float | None = None                 # the metric's value before the edit (None: new)
    function: FunctionMetrics | None = None


@dataclass
class Analysis:
    result: FileResult
    doc: ParsedDocument


@dataclass
class FileCheck:
    path: str
    new: list[NewFinding] = field(default_factory=list)
    after: Analysis | None = None


def analyse(text: str, rel: str, config: Config, tool: str | None = None, memo: dict[Any, Any] | None = None) -> Analysis | None:
    """The file's findings with every function treated as AI-written (AI limits, hotspots as errors).
    ``memo``: the metrics memo shared by the two versions of one file (unchanged functions are not
    measured twice)."""
    raw = text.encode("utf-8", "surrogatepass")
    language = detect_language(rel, raw[:256])
    if language is None:
        return None
    try:
        doc = parse_bytes(raw, language, max_bytes=config["max_file_bytes"])
    except UnanalysableFile:
        return None
    doc.memo = memo
    analysis = analyze_text(doc, rel, config)
    for fn in analysis.functions:
        fn.origin, fn.ai_share = "ai", 1.0
        fn.origin_detail = {"tool": tool or "AI agent", "evidence": "agent hook"}
    return Analysis(finish(rel, analysis, config, doc=doc), doc)


class CloneSource:
    """The workspace clone index, loaded on first use (only when an edit needs it) and only when a
    `guardline check` or the language server has built it: building it here would cost seconds."""

    def __init__(self, root: str, config: Config) -> None:
        self.root, self.config = root, config
        self._index: Any = None
        self._loaded = False

    def index(self) -> Any:
        if not self._loaded:
            self._loaded = True
            if self.config.get("duplication.enabled", True) and \
                    os.path.exists(os.path.join(self.root, ".guardline", "clones.sqlite")):
                from guardline.duplication import load
                self._index = load(self.root, self.config)
        return self._index

    def findings(self, rel: str, doc: ParsedDocument) -> list[Finding]:
        index = self.index()
        if index is None:
            return []
        from guardline.duplication import analyze_document
        path = os.path.join(self.root, rel)
        try:
            return analyze_document(index, doc, path, self.config, self.root, shadow=True, origin=lambda s, e: "ai")
        finally:
            index.clear_shadow(path)


def check_edit(root: str, rel: str, before: str | None, after: str, lines: list[int], config: Config,
               tool: str | None = None, clones: CloneSource | None = None) -> FileCheck:
    check = FileCheck(rel)
    memo: dict[Any, Any] = {}   # metrics.engine.FunctionMemo, shared by the before and after analyses
    now = analyse(after, rel, config, tool, memo)
    check.after = now
    if now is None or not lines:
        return check
    old = analyse(before, rel, config, tool, memo) if before else None
    changed = set(lines)
    check.new += _metric_news(rel, now.result, old.result if old else None, changed)
    check.new += _security_news(rel, now, old, changed)
    if clones is not None:
        check.new += _clone_news(rel, now, old, changed, clones)
    check.new.sort(key=lambda n: (n.finding.start_line, n.finding.rule))
    return check


def _touches(fn_start: int, fn_end: int, changed: set[int]) -> bool:
    return any(fn_start <= line <= fn_end for line in changed)


def _by_name(result: FileResult | None) -> dict[str, FunctionMetrics]:
    return {fn.qualified_name: fn for fn in result.functions} if result else {}


def _metric_news(rel: str, now: FileResult, old: FileResult | None, changed: set[int]) -> list[NewFinding]:
    before_fns = _by_name(old)
    before_hits = {(f.rule, f.function) for f in (old.findings if old else []) if f.category in METRIC_CATEGORIES}
    after_fns = _by_name(now)
    out: list[NewFinding] = []
    for finding in now.findings:
        if finding.category not in METRIC_CATEGORIES or finding.severity not in REPORTED_SEVERITIES:
            continue
        data = finding.data
        if not _touches(data.get("function_start_line", 0), data.get("function_end_line", -1), changed):
            continue
        metric, value = data.get("metric"), data.get("value")
        prev_fn = before_fns.get(finding.function or "")
        prev = round(getattr(prev_fn, metric), 2) if prev_fn is not None and metric else None
        if prev is not None and (finding.rule, finding.function) in before_hits and not _worse(metric, value, prev):
            continue    # already over the limit before, and the edit did not make it worse
        out.append(NewFinding(rel, finding, prev, after_fns.get(finding.function or "")))
    return out


def _worse(metric: str | None, value: Any, previous: float) -> bool:
    if not isinstance(value, (int, float)):
        return False
    return value < previous if metric in LOWER_IS_WORSE else value > previous


def _line_key(doc: ParsedDocument, finding: Finding) -> tuple[str, str]:
    lines = doc.lines
    text = lines[finding.start_line - 1].strip() if 0 < finding.start_line <= len(lines) else ""
    return finding.rule, text


def _security_news(rel: str, now: Analysis, old: Analysis | None, changed: set[int]) -> list[NewFinding]:
    def hotspots(analysis: Analysis) -> list[Finding]:
        return [f for f in analysis.result.findings if f.category == "security"]

    budget = Counter(_line_key(old.doc, f) for f in hotspots(old)) if old else Counter()
    out: list[NewFinding] = []
    for finding in hotspots(now):
        key = _line_key(now.doc, finding)
        if budget[key] > 0:         # the same hotspot on the same text existed before the edit
            budget[key] -= 1
            continue
        if finding.severity in REPORTED_SEVERITIES and finding.start_line in changed:
            out.append(NewFinding(rel, finding))
    return out


def _clone_news(rel: str, now: Analysis, old: Analysis | None, changed: set[int],
                clones: CloneSource) -> list[NewFinding]:
    fresh = [f for f in clones.findings(rel, now.doc) if f.rule == "duplicate-code"
             and f.severity in REPORTED_SEVERITIES and any(f.start_line <= n <= f.end_line for n in changed)]
    if not fresh:
        return []
    known = []
    if old is not None:
        known = [(frozenset(loc.path for loc in f.related), f.end_line - f.start_line)
                 for f in clones.findings(rel, old.doc) if f.rule == "duplicate-code"]
    out = []
    for finding in fresh:
        copies, size = frozenset(loc.path for loc in finding.related), finding.end_line - finding.start_line
        if any(copies <= paths and size <= old_size for paths, old_size in known):
            continue
        out.append(NewFinding(rel, finding))
    return out
