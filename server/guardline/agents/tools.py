"""The agent-facing checks behind the MCP tools, as plain functions on a workspace root (the MCP
layer only wraps them): net-new findings of the work tree's changes, one file's findings, a
function's increments, the copies of a region, and who wrote a line."""

from __future__ import annotations

import os
from typing import Any

from guardline.agents import vcs
from guardline.agents.edits import read_text, relative
from guardline.agents.feedback import describe
from guardline.agents.netnew import CloneSource, NewFinding, analyse, check_edit
from guardline.agents.patches import changed_lines, to_ranges
from guardline.config import Config, load_config
from guardline.explain import function_at_line


class ToolError(ValueError):
    """A bad argument (path outside the workspace, no such file, not a function): shown to the agent."""


def _file(root: str, path: str) -> tuple[str, str]:
    full = path if os.path.isabs(path) else os.path.join(root, path)
    rel = relative(full, root)
    if rel is None:
        raise ToolError(f"{path}: not a file inside the workspace {root}")
    text = read_text(full) if os.path.isfile(full) else None
    if text is None:
        raise ToolError(f"{path}: no such (text) file")
    return rel, text


def finding_json(item: NewFinding, root: str) -> dict[str, Any]:
    f = item.finding
    out: dict[str, Any] = {"path": item.path, "line": f.start_line, "end_line": f.end_line, "rule": f.rule,
                           "category": f.category, "severity": f.severity, "message": describe(item, root),
                           "function": f.function, "cwe": f.cwe, "value": f.data.get("value"),
                           "limit": f.data.get("limit"), "before": item.before,
                           "related": [{"path": _display(loc.path, root), "start_line": loc.start_line,
                                        "end_line": loc.end_line} for loc in f.related]}
    return out


def _display(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/") if os.path.isabs(path) else path


def check_changes(root: str, base: str = "HEAD", config: Config | None = None) -> dict[str, Any]:
    config = config or load_config(root)
    repository = vcs.repo(root)
    if repository is None:
        raise ToolError(f"{root} is not a git repository: nothing to compare with")
    rev = vcs.resolve_rev(repository, base or "HEAD")
    if rev is None:
        raise ToolError(f"unknown revision '{base}'")
    clones = CloneSource(repository.toplevel, config)
    files = []
    total = 0
    for rel in vcs.changed_files(repository, rev):
        after = read_text(os.path.join(repository.toplevel, rel))
        if after is None:
            continue
        before = vcs.blob(repository, rev, rel) or ""
        lines = changed_lines(before, after)
        check = check_edit(repository.toplevel, rel, before, after, lines, config, None, clones)
        if check.after is None:
            continue
        found = [finding_json(n, repository.toplevel) for n in check.new]
        total += len(found)
        files.append({"path": rel, "changed_lines": [list(r) for r in to_ranges(lines)], "findings": found})
    return {"base": base or "HEAD", "revision": rev, "files": files, "new_count": total}


def check_file(root: str, path: str, config: Config | None = None) -> dict[str, Any]:
    config = config or load_config(root)
    rel, text = _file(root, path)
    analysis = analyse(text, rel, config)
    if analysis is None:
        raise ToolError(f"{path}: not a language guardline analyses")
    lines = list(range(1, text.count("\n") + 2))
    check = check_edit(root, rel, None, text, lines, config, None, CloneSource(root, config))
    return {"path": rel, "language": analysis.result.language, "functions": len(analysis.result.functions),
            "findings": [finding_json(n, root) for n in check.new], "count": len(check.new)}


def explain(root: str, path: str, line: int, config: Config | None = None) -> dict[str, Any]:
    config = config or load_config(root)
    rel, text = _file(root, path)
    analysis = analyse(text, rel, config)
    if analysis is None:
        raise ToolError(f"{path}: not a language guardline analyses")
    fn = function_at_line(analysis.result.functions, line)
    if fn is None:
        raise ToolError(f"{path}:{line} is not inside a function")
    limits = {m: config.limits("ai", m) for m in ("cyclomatic", "cognitive", "maintainability")}
    return {"path": rel, "function": fn.qualified_name, "start_line": fn.start_line, "end_line": fn.end_line,
            "cyclomatic": fn.cyclomatic, "cognitive": fn.cognitive, "maintainability": round(fn.maintainability, 2),
            "sloc": fn.sloc, "ai_limits": limits,
            "increments": [{"metric": i.metric, "line": i.line, "kind": i.construct, "amount": i.amount,
                            "nesting": i.nesting} for i in fn.increments]}


def duplicates(root: str, path: str, start_line: int, end_line: int, config: Config | None = None) -> dict[str, Any]:
    config = config or load_config(root)
    rel, text = _file(root, path)
    analysis = analyse(text, rel, config)
    clones = CloneSource(root, config)
    if analysis is None or clones.index() is None:
        return {"path": rel, "indexed": clones.index() is not None, "copies": []}
    copies = []
    for f in clones.findings(rel, analysis.doc):
        if f.rule != "duplicate-code" or f.end_line < start_line or f.start_line > end_line:
            continue
        copies += [{"path": _display(loc.path, root), "start_line": loc.start_line, "end_line": loc.end_line,
                    "region_start": f.start_line, "region_end": f.end_line, "tokens": f.data.get("tokens"),
                    "kind": f.data.get("kind")} for loc in f.related]
    return {"path": rel, "indexed": True, "copies": copies}


def provenance(root: str, path: str, line: int, config: Config | None = None) -> dict[str, Any]:
    from guardline.origin import OriginResolver, explain_line
    from guardline.origin.patterns import tool_display

    config = config or load_config(root)
    rel, text = _file(root, path)
    resolver = OriginResolver(root, config)
    try:
        file_origin = resolver.resolve(os.path.join(root, rel), text)
    finally:
        resolver.close()
    record = file_origin.line(line)
    if record is None:
        raise ToolError(f"{path}:{line}: no such line (the file has {len(file_origin.lines)} lines)")
    return {"path": rel, "line": line, "origin": record.origin, "tool": record.tool,
            "tool_name": tool_display(record.tool), "model": record.model, "evidence": record.evidence,
            "granularity": record.granularity, "confidence": record.confidence,
            "commit": record.commit, "explanation": explain_line(file_origin, line), "notes": file_origin.notes}
