"""Pure conversions from analysis results (FileResult) to LSP objects: diagnostics, code lenses,
hover markdown, code actions. No I/O, no server state: unit-testable on plain results.

Analysis lines are 1-based with UTF-8 byte columns; LSP wants 0-based lines and columns in the
negotiated encoding, computed here from the exact text that was analysed.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import unquote, urlparse

from lsprotocol import types as t

from guardline.lsp.documents import UTF16, byte_to_column
from guardline.model import FileResult, Finding, FunctionMetrics

SOURCE = "guardline"
SEVERITY = {"error": t.DiagnosticSeverity.Error, "warning": t.DiagnosticSeverity.Warning,
            "info": t.DiagnosticSeverity.Information, "hint": t.DiagnosticSeverity.Hint}
EXCEEDING = ("error", "warning", "info")    # severities that mean "a limit is exceeded"
LENS_MARKER = "⚠ "
METRIC_RULES = ("cyclomatic", "cognitive", "maintainability")   # metrics that take a ceiling suppression
MAX_LINE = 100   # the allow directive goes on its own line above the header rather than past this
CMD_EXPLAIN = "guardline.explain"
CMD_SHOW_DUPLICATES = "guardline.showDuplicates"
CMD_OPEN_REPORT = "guardline.openReport"
CMD_SUMMARY = "guardline.workspaceSummary"
DUPLICATE_RULE = "duplicate-code"
FILE_DUPLICATION_RULE = "file-duplication"
# shown as information in the editor: a file's duplication share is context, the clones are the news
EDITOR_SEVERITY = {FILE_DUPLICATION_RULE: t.DiagnosticSeverity.Information}


@dataclass
class Analysed:
    """One analysis result together with the text it was computed from (for column conversion)."""

    uri: str
    version: int
    language: str | None
    lines: list[str]
    result: FileResult
    root: str = ""

    def line(self, line0: int) -> str:
        return self.lines[line0] if 0 <= line0 < len(self.lines) else ""


# ---- positions ------------------------------------------------------------------------------
def position(an: Analysed, line1: int, byte_col: int | None, encoding: str = UTF16) -> t.Position:
    """LSP position of a 1-based line and UTF-8 byte column (None = end of line)."""
    line0 = max(line1 - 1, 0)
    text = an.line(line0).rstrip("\r")
    if byte_col is None:
        return t.Position(line=line0, character=byte_to_column(text, len(text.encode("utf-8", "surrogatepass")), encoding))
    return t.Position(line=line0, character=byte_to_column(text, byte_col, encoding))


def name_range(an: Analysed, fn: FunctionMetrics, encoding: str = UTF16) -> t.Range:
    line = fn.name_line or fn.start_line
    end_col = fn.name_end_column if fn.name_end_column > fn.name_column else None
    return t.Range(start=position(an, line, fn.name_column, encoding), end=position(an, line, end_col, encoding))


def finding_range(an: Analysed, finding: Finding, encoding: str = UTF16,
                  index: FunctionsByName | None = None) -> t.Range:
    fn = function_of(an.result, finding, index)
    if fn is not None and finding.category in ("complexity", "maintainability"):
        return name_range(an, fn, encoding)
    if finding.rule == DUPLICATE_RULE:
        return clone_range(an, finding, encoding)
    start = position(an, finding.start_line, finding.start_column, encoding)
    end = position(an, max(finding.end_line, finding.start_line), finding.end_column, encoding)
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return t.Range(start=start, end=end)


def clone_range(an: Analysed, finding: Finding, encoding: str = UTF16) -> t.Range:
    """A clone is marked on one short range, not squiggled over every line of the block: the header
    (name) of the first function the clone starts in or holds whole, else the clone's first line."""
    last = max(finding.end_line, finding.start_line)
    for fn in sorted(an.result.functions, key=lambda f: f.start_line):
        header = fn.name_line or fn.start_line
        if finding.start_line <= header <= last:
            return name_range(an, fn, encoding)
    start = position(an, finding.start_line, finding.start_column, encoding)
    return t.Range(start=start, end=position(an, finding.start_line, None, encoding))


FunctionsByName = dict[str, list[FunctionMetrics]]


def functions_by_name(result: FileResult) -> FunctionsByName:
    """The result's functions by qualified name, in result order (one pass for every finding)."""
    index: FunctionsByName = {}
    for fn in result.functions:
        index.setdefault(fn.qualified_name, []).append(fn)
    return index


def function_of(result: FileResult, finding: Finding, index: FunctionsByName | None = None) -> FunctionMetrics | None:
    if not finding.function:
        return None
    candidates = (index if index is not None else functions_by_name(result)).get(finding.function, [])
    for fn in candidates:
        if fn.start_line <= finding.start_line <= fn.end_line:
            return fn
    return candidates[0] if candidates else None


def innermost_function(result: FileResult, line1: int) -> FunctionMetrics | None:
    """The most nested function whose lines contain ``line1`` (1-based)."""
    best = None
    for fn in result.functions:
        if fn.start_line <= line1 <= fn.end_line:
            if best is None or (fn.end_line - fn.start_line) <= (best.end_line - best.start_line):
                best = fn
    return best


# ---- diagnostics ----------------------------------------------------------------------------
def rule_href(rule: str) -> str:
    try:
        from guardline.rules import help_base
        return _rule_href(rule, help_base())
    except Exception:   # a rule module that fails to import must not cost the diagnostics
        return f"https://github.com/guardline-dev/guardline/blob/main/docs/rules.md#{rule}"


@functools.lru_cache(maxsize=1024)
def _rule_href(rule: str, base: str) -> str:
    """Per rule and docs base (config key docs_url): the same for every diagnostic of every publish."""
    from guardline.rules import rule_by_id
    meta = rule_by_id(rule)
    return meta.help_uri if meta else f"{base}#{rule}"


def path_to_uri(path: str) -> str:
    return _path_to_uri(os.path.abspath(path))


@functools.lru_cache(maxsize=4096)
def _path_to_uri(path: str) -> str:
    """A clone's other copy is named in every publish of the file: converted once per path."""
    from pygls.uris import from_fs_path
    return from_fs_path(path) or path


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    if parsed.scheme not in ("file", ""):
        return uri
    return os.path.normpath(unquote(parsed.path))


def workspace_relative(path: str, root: str) -> str:
    """``path`` relative to the workspace root (forward slashes); unchanged when outside it."""
    if not os.path.isabs(path) or not root:
        return path.replace(os.sep, "/")
    rel = os.path.relpath(path, root)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def flow_information(an: Analysed, finding: Finding,
                     encoding: str = UTF16) -> list[t.DiagnosticRelatedInformation] | None:
    """A taint finding's source and the steps to its sink (``data["flow"]``), in this document."""
    steps = (finding.data or {}).get("flow") or []
    out = []
    for step in steps:
        if step.get("role") == "sink":
            continue  # the diagnostic itself is the sink
        start = position(an, step["start_line"], step.get("start_column"), encoding)
        end = position(an, step["end_line"], step.get("end_column"), encoding)  # None: to the end of the line
        out.append(t.DiagnosticRelatedInformation(location=t.Location(uri=an.uri, range=t.Range(start=start, end=end)),
                                                  message=step.get("message", "")))
    return out or None


def related_information(an: Analysed, finding: Finding) -> list[t.DiagnosticRelatedInformation] | None:
    if not finding.related:
        return flow_information(an, finding)
    out = []
    for loc in finding.related:
        path = loc.path if os.path.isabs(loc.path) else os.path.join(an.root or ".", loc.path)
        rng = t.Range(start=t.Position(line=max(loc.start_line - 1, 0), character=0),
                      end=t.Position(line=max(loc.end_line - 1, 0), character=0))
        where = f"{workspace_relative(loc.path, an.root)}:{loc.start_line}-{loc.end_line}"
        out.append(t.DiagnosticRelatedInformation(location=t.Location(uri=path_to_uri(path), range=rng),
                                                  message=f"other copy at {where}"))
    return out


def diagnostic(an: Analysed, finding: Finding, encoding: str = UTF16,
               index: FunctionsByName | None = None) -> t.Diagnostic:
    data: dict[str, Any] = {"rule": finding.rule, "category": finding.category, "origin": finding.origin}
    if finding.function:
        data["function"] = finding.function
    data.update(finding.data or {})
    tags = [t.DiagnosticTag.Unnecessary] if finding.rule.startswith("stale") else None
    return t.Diagnostic(
        range=finding_range(an, finding, encoding, index),
        message=finding.message,
        severity=EDITOR_SEVERITY.get(finding.rule) or SEVERITY.get(finding.severity, t.DiagnosticSeverity.Information),
        code=finding.rule,
        code_description=t.CodeDescription(href=rule_href(finding.rule)),
        source=SOURCE,
        data=_jsonable(data),
        tags=tags,
        related_information=related_information(an, finding),
    )


def diagnostics(an: Analysed, encoding: str = UTF16) -> list[t.Diagnostic]:
    index = functions_by_name(an.result)
    return [diagnostic(an, f, encoding, index) for f in an.result.findings]


class DiagnosticsCache:
    """One document's diagnostics as JSON, each kept by what it is computed from: a keystroke leaves
    most findings as they were (same rule, message, lines, columns, data, and same text on the lines
    their range is computed from), and those are not converted again. Findings whose range reads other
    lines (clones' related copies, taint flows) are converted every time. Only the entries of the last
    publish are kept."""

    def __init__(self, unstructure: Callable[[Any], Any]) -> None:
        self._unstructure = unstructure
        self._entries: dict[tuple[Any, ...], Any] = {}

    def payload(self, an: Analysed, encoding: str = UTF16) -> list[Any]:
        """``diagnostics(an, encoding)``, unstructured (the JSON-ready dicts of the notification)."""
        index = functions_by_name(an.result)
        context = (encoding, rule_href(""))   # the help links follow the config's docs_url
        kept: dict[tuple[Any, ...], Any] = {}
        out = []
        for finding in an.result.findings:
            key = _cache_key(an, finding, index, context)
            item = self._entries.get(key) if key is not None else None
            if item is None:
                item = self._unstructure(diagnostic(an, finding, encoding, index))
            if key is not None:
                kept[key] = item
            out.append(item)
        self._entries = kept
        return out


def _cache_key(an: Analysed, finding: Finding, index: FunctionsByName,
               context: tuple[str, str]) -> tuple[Any, ...] | None:
    """Everything ``diagnostic`` reads for ``finding``; None when it reads more than that."""
    if finding.related or (finding.data and "flow" in finding.data):
        return None
    try:
        data = json.dumps(finding.data, sort_keys=True) if finding.data else ""
    except (TypeError, ValueError):
        return None
    name: tuple[Any, ...] = ()
    fn = function_of(an.result, finding, index) if finding.category in ("complexity", "maintainability") else None
    if fn is not None:
        line = fn.name_line or fn.start_line
        name = (line, fn.name_column, fn.name_end_column, an.line(line - 1))
    end_line = max(finding.end_line, finding.start_line)
    return (finding.rule, finding.severity, finding.message, finding.category, finding.origin, finding.function,
            finding.start_line, end_line, finding.start_column, finding.end_column, data, name,
            an.line(finding.start_line - 1), an.line(end_line - 1), an.uri, context)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# ---- code lenses ----------------------------------------------------------------------------
def origin_suffix(fn: FunctionMetrics) -> str:
    if fn.origin == "unknown":
        return ""
    if fn.origin == "ai":
        tool = (fn.origin_detail or {}).get("tool")
        return f" · AI {round(fn.ai_share * 100)}%" + (f" · {tool}" if tool else "")
    return f" · {fn.origin}"


def exceeding_functions(result: FileResult) -> set[str]:
    return {f.function for f in result.findings if f.function and f.severity in EXCEEDING
            and f.category in ("complexity", "maintainability")}


def lens_title(fn: FunctionMetrics, exceeded: bool) -> str:
    title = f"CC {fn.cyclomatic} · Cog {fn.cognitive} · MI {round(fn.maintainability)}{origin_suffix(fn)}"
    return (LENS_MARKER + title) if exceeded else title


def code_lenses(an: Analysed) -> list[t.CodeLens]:
    exceeded = exceeding_functions(an.result)
    lenses = []
    for fn in an.result.functions:
        line0 = max((fn.name_line or fn.start_line) - 1, 0)
        rng = t.Range(start=t.Position(line=line0, character=0), end=t.Position(line=line0, character=0))
        command = t.Command(title=lens_title(fn, fn.qualified_name in exceeded), command=CMD_EXPLAIN,
                            arguments=[an.uri, line0])
        lenses.append(t.CodeLens(range=rng, command=command))
    return lenses


# ---- inlay hints ----------------------------------------------------------------------------
INLAY_MODES = ("off", "over-limit", "always")


def inlay_hints(an: Analysed, first0: int, last0: int, mode: str = "over-limit", increments: bool = False,
                encoding: str = UTF16) -> list[t.InlayHint]:
    """``cog 18`` after the name of each function in lines ``first0``..``last0`` (``always``, or only
    ``over-limit``: those with a cognitive finding at warning level or above, as shown), and with
    ``increments`` a ``+N`` at the end of each line that adds cognitive points."""
    hints: list[t.InlayHint] = []
    over = {f.function for f in an.result.findings if f.rule == "cognitive" and f.severity in EXCEEDING}
    for fn in an.result.functions if mode != "off" else ():
        line0 = (fn.name_line or fn.start_line) - 1
        if first0 <= line0 <= last0 and (mode == "always" or fn.qualified_name in over):
            hints.append(t.InlayHint(position=name_range(an, fn, encoding).end, label=f"cog {fn.cognitive}",
                                     padding_left=True, tooltip=f"cognitive complexity of {fn.qualified_name}"))
    if increments:
        hints += _increment_hints(an, first0, last0, encoding)
    return sorted(hints, key=lambda h: (h.position.line, h.position.character))


def _increment_hints(an: Analysed, first0: int, last0: int, encoding: str) -> list[t.InlayHint]:
    per_line: dict[int, int] = {}
    seen: set[tuple[int, int, str]] = set()   # an outer function's list may repeat a nested one's
    for fn in an.result.functions:
        for inc in fn.increments:
            key = (inc.line, inc.column, inc.construct)
            if inc.metric == "cognitive" and first0 + 1 <= inc.line <= last0 + 1 and key not in seen:
                seen.add(key)
                per_line[inc.line] = per_line.get(inc.line, 0) + inc.amount
    return [t.InlayHint(position=position(an, line, None, encoding), label=f"+{amount}", padding_left=True)
            for line, amount in per_line.items() if amount]


# ---- hover / explain ------------------------------------------------------------------------
def hover_markdown(an: Analysed, fn: FunctionMetrics) -> str:
    """Hover: the metrics and origin first, then the increments table, then the function's findings
    (as a list, so long messages wrap instead of being cut in a table cell)."""
    explained = explain_markdown(fn, evidence=False)
    head, sep, table = explained.partition("\n\n| line")
    if not sep:
        head, sep, table = explained.partition("\n\nNo cognitive")
    evidence = origin_markdown(fn)
    parts = [head] + ([evidence] if evidence else []) + ([sep.lstrip("\n") + table] if sep else [])
    found = [f for f in an.result.findings if f.function == fn.qualified_name and f.rule != "stale-suppression"]
    if found:
        parts.append("**Findings**\n\n" + "\n".join(
            f"- {f.severity}: {f.message} (`{f.rule}`)" for f in sorted(found, key=lambda f: (f.start_line, f.rule))))
    return "\n\n".join(parts)


def explain_markdown(fn: FunctionMetrics, evidence: bool = True) -> str:
    """The per-increment breakdown (the core's explain module when present), plus origin evidence."""
    try:
        explain = importlib.import_module("guardline.explain")
        text: str = explain.format_markdown(fn)
    except (ImportError, AttributeError):
        text = _fallback_markdown(fn)
    detail = origin_markdown(fn) if evidence else ""
    return text + ("\n\n" + detail if detail else "")


def _fallback_markdown(fn: FunctionMetrics) -> str:
    rows = [f"**{fn.qualified_name}**: cyclomatic {fn.cyclomatic}, cognitive {fn.cognitive}, "
            f"maintainability {fn.maintainability:.0f}", "", "| line | metric | construct | + | nesting |",
            "|---|---|---|---|---|"]
    for inc in fn.increments:
        rows.append(f"| {inc.line} | {inc.metric} | `{inc.construct}` | +{inc.amount} | {inc.nesting} |")
    return "\n".join(rows)


def origin_markdown(fn: FunctionMetrics) -> str:
    if fn.origin == "unknown":
        return ""
    detail = fn.origin_detail or {}
    parts = [f"**Origin:** {fn.origin} ({round(fn.ai_share * 100)}% of lines AI-attributed)"]
    for key in ("tool", "model", "commits", "evidence", "confidence"):
        if detail.get(key):
            parts.append(f"- {key}: {_short(detail[key])}")
    return "\n".join(parts)


def _short(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in list(value)[:5])
    return str(value)


def hover_function(an: Analysed, line0: int, column: int, encoding: str = UTF16) -> FunctionMetrics | None:
    """The function whose name or signature (first lines up to the name) is under the position."""
    line1 = line0 + 1
    candidates = [fn for fn in an.result.functions if fn.start_line <= line1 <= max(fn.name_line, fn.start_line)]
    if not candidates:
        return None
    return min(candidates, key=lambda fn: fn.end_line - fn.start_line)


# ---- code actions ---------------------------------------------------------------------------
def findings_in(result: FileResult, first1: int, last1: int) -> Iterable[Finding]:
    return (f for f in result.findings if f.start_line <= last1 and max(f.end_line, f.start_line) >= first1)


def ceiling(finding: Finding, fn: FunctionMetrics) -> str | None:
    """``cognitive<=18`` / ``maintainability>=12``: the current value as the allowed ceiling."""
    metric = finding.data.get("metric") or finding.rule
    if metric not in METRIC_RULES:
        return None
    value = finding.data.get("value", getattr(fn, metric, None))
    if value is None:
        return None
    return f"{metric}>={int(value)}" if metric == "maintainability" else f"{metric}<={int(value)}"


def suppression_comment(finding: Finding, fn: FunctionMetrics, comment_prefix: str,
                        others: Iterable[Finding] = ()) -> str | None:
    """One ``allow`` directive for ``finding`` and the function's other metric findings (``others``)."""
    ceilings = [c for c in dict.fromkeys(ceiling(f, fn) for f in (finding, *others)) if c]
    if ceiling(finding, fn) is None or not ceilings:
        return None
    return f"{comment_prefix} guardline: allow {', '.join(sorted(ceilings))}"


def suppression_action(an: Analysed, finding: Finding, comment_prefix: str,
                       encoding: str = UTF16) -> t.CodeAction | None:
    fn = function_of(an.result, finding)
    if fn is None:
        return None
    others = [f for f in an.result.findings if f is not finding and f.function == fn.qualified_name]
    comment = suppression_comment(finding, fn, comment_prefix, others)
    if comment is None:
        return None
    line1 = fn.name_line or fn.start_line
    header = an.line(line1 - 1).rstrip("\r")
    if len(header.rstrip()) + 2 + len(comment) <= MAX_LINE:
        end = position(an, line1, None, encoding)
        edit = t.TextEdit(range=t.Range(start=end, end=end), new_text=f"  {comment}")
    else:   # a comment alone on the line above applies to the header line below it
        indent = header[:len(header) - len(header.lstrip())]
        start = t.Position(line=line1 - 1, character=0)
        edit = t.TextEdit(range=t.Range(start=start, end=start), new_text=f"{indent}{comment}\n")
    return t.CodeAction(
        title=f"guardline: allow {comment.split('allow ', 1)[1]} for {fn.name}",
        kind=t.CodeActionKind.QuickFix,
        edit=t.WorkspaceEdit(changes={an.uri: [edit]}),
    )


def code_actions(an: Analysed, first0: int, last0: int, comment_prefix: str, *, report_available: bool,
                 encoding: str = UTF16) -> list[t.CodeAction]:
    actions: list[t.CodeAction] = []
    seen_titles: set[str] = set()
    for finding in findings_in(an.result, first0 + 1, last0 + 1):
        for action in (suppression_action(an, finding, comment_prefix, encoding), show_copies_action(an, finding)):
            if action is not None and action.title not in seen_titles:
                seen_titles.add(action.title)
                actions.append(action)
    fn = innermost_function(an.result, first0 + 1)
    if fn is not None:
        line0 = max((fn.name_line or fn.start_line) - 1, 0)
        actions.append(t.CodeAction(title=f"guardline: explain {fn.name}", kind=t.CodeActionKind.Empty,
                                    command=t.Command(title="Explain this function", command=CMD_EXPLAIN,
                                                      arguments=[an.uri, line0])))
    if report_available:
        actions.append(t.CodeAction(title="guardline: open the quality report", kind=t.CodeActionKind.Empty,
                                    command=t.Command(title="Open report", command=CMD_OPEN_REPORT, arguments=[])))
    return actions


def show_copies_action(an: Analysed, finding: Finding) -> t.CodeAction | None:
    if finding.category != "duplication" or not finding.related:
        return None
    return t.CodeAction(title=f"guardline: show all copies ({len(finding.related) + 1})",
                        kind=t.CodeActionKind.Empty,
                        command=t.Command(title="Show all copies", command=CMD_SHOW_DUPLICATES,
                                          arguments=[an.uri, finding.start_line - 1]))


def duplicate_locations(an: Analysed, line0: int) -> list[dict[str, Any]]:
    """The other copies of the clone region(s) covering ``line0``, as {"uri", "range"} dicts."""
    out = []
    for finding in findings_in(an.result, line0 + 1, line0 + 1):
        if finding.category != "duplication":
            continue
        for info in related_information(an, finding) or []:
            rng = info.location.range
            out.append({"uri": info.location.uri,
                        "range": {"start": {"line": rng.start.line, "character": 0},
                                  "end": {"line": rng.end.line, "character": 0}}})
    return out
