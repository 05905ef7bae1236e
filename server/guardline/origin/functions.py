"""Using per-line origins: function origin and AI share, AI ranges for editors, explanations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from guardline.origin.patterns import tool_display
from guardline.origin.records import AI_ORIGINS, ZERO_SHA, FileOrigin, LineOrigin

NON_AI_PREFERENCE = ("human", "bot", "generated", "unknown")   # tie-break order for the majority
LEVEL_OF_GRANULARITY = {"line": "line", "region": "line", "commit": "commit", "file": "file"}


def apply_to_functions(functions: Iterable[Any], file_origin: FileOrigin, ai_share: float,
                       lines: list[str]) -> None:
    """Set ``origin``, ``ai_share`` and ``origin_detail`` on each FunctionMetrics.

    ``ai_share`` = share of the function's non-blank lines attributed to AI; the function is "ai" when
    that share is at least the threshold ``ai_share``, otherwise its majority non-AI origin.
    """
    for function in functions:
        records = _function_records(function.start_line, function.end_line, file_origin, lines)
        if not records:
            function.origin, function.ai_share, function.origin_detail = "unknown", 0.0, {}
            continue
        counts = Counter(rec.origin for rec in records)
        ai_lines = counts["ai"] + counts["ai-modified"]     # AI lines a person changed still count as AI
        share = ai_lines / len(records)
        function.ai_share = share
        if ai_lines and share >= ai_share:
            function.origin = "ai"
        else:
            function.origin = max(NON_AI_PREFERENCE, key=lambda o: (counts[o], -NON_AI_PREFERENCE.index(o)))
        chosen = [r for r in records if r.origin in (AI_ORIGINS if function.origin == "ai" else (function.origin,))]
        function.origin_detail = _detail(chosen, records, counts)


def _function_records(start: int, end: int, file_origin: FileOrigin, lines: list[str]) -> list[LineOrigin]:
    out = []
    for number in range(max(1, start), end + 1):
        if number - 1 < len(lines) and not lines[number - 1].strip():
            continue
        rec = file_origin.line(number)
        if rec is not None:
            out.append(rec)
    return out


def _most_common(values: Iterable[Any]) -> Any:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _detail(chosen: list[LineOrigin], records: list[LineOrigin], counts: Counter[str]) -> dict[str, Any]:
    ai = [r for r in records if r.origin in AI_ORIGINS]
    basis = ai or chosen
    commits = {r.commit for r in basis if r.commit and r.commit != ZERO_SHA}
    tool = _most_common(r.tool for r in basis)
    return {
        "tool": tool_display(tool),
        "tool_id": tool,
        "model": _most_common(r.model for r in basis),
        "evidence": _most_common(r.evidence for r in basis),
        "commits": len(commits),
        "commit_shas": sorted(commits),
        "confidence": _most_common(r.confidence for r in basis),
        "lines": {origin: n for origin, n in counts.items()},
        "evidence_levels": evidence_levels(records),
        # share of the function's lines written by an AI and changed by a person since
        "ai_modified_share": round(counts["ai-modified"] / len(records), 3) if records else 0.0,
    }


def describe_function_origin(function: Any) -> str:
    """One line for `check -v`, code lenses and hovers, from a function after apply_to_functions, e.g.
    "AI 75% (Claude Code, model claude-opus-4-5; 2 commits; evidence: message, medium confidence)"."""
    detail = function.origin_detail or {}
    share = f"{round(function.ai_share * 100)}%"
    if function.origin != "ai":
        label = {"human": "human-written", "bot": "bot-written", "generated": "generated"}.get(
            function.origin, "origin unknown")
        return f"{label} (AI {share})" if function.ai_share else label
    who = ", ".join(x for x in (detail.get("tool"), f"model {detail['model']}" if detail.get("model") else None)
                    if x)
    commits = detail.get("commits", 0)
    parts = [who or "tool unknown"]
    if commits:
        parts.append(f"{commits} commit{'s' if commits != 1 else ''}")
    parts.append(f"evidence: {detail.get('evidence')}, {detail.get('confidence')} confidence")
    if detail.get("ai_modified_share"):
        parts.append(f"{round(detail['ai_modified_share'] * 100)}% of the lines changed by a person since")
    return f"AI {share} ({'; '.join(parts)})"


def evidence_levels(records: Iterable[LineOrigin]) -> dict[str, int]:
    """Lines with line-, commit-, file-level or no evidence: reports show this next to origin figures,
    because "no AI evidence" is not proof of human authorship."""
    levels = Counter(_evidence_level(r) for r in records)
    return {level: levels.get(level, 0) for level in ("line", "commit", "file", "none")}


def _evidence_level(rec: LineOrigin) -> str:
    """How fine the evidence is: reports show line- vs commit-level vs none next to origin figures."""
    if rec.evidence in ("none", "no-git", "uncommitted"):
        return "none"
    return LEVEL_OF_GRANULARITY.get(rec.granularity, "none")


def ai_ranges(file_origin: FileOrigin) -> list[dict[str, Any]]:
    """Merged AI line ranges, 0-based inclusive (payload of the `guardline/origins` request)."""
    ranges: list[dict[str, Any]] = []
    previous: LineOrigin | None = None
    for index, rec in enumerate(file_origin.lines):
        if rec.origin not in AI_ORIGINS:
            previous = None
            continue
        if previous is not None and _same_range(previous, rec):
            ranges[-1]["end_line"] = index
        else:
            ranges.append({"start_line": index, "end_line": index, "origin": rec.origin,
                           "tool": tool_display(rec.tool), "tool_id": rec.tool, "model": rec.model,
                           "evidence": rec.evidence, "confidence": rec.confidence, "exceeds_limit": False})
        previous = rec
    return ranges


def _same_range(a: LineOrigin, b: LineOrigin) -> bool:
    return (a.origin, a.tool, a.model, a.evidence, a.confidence) == (b.origin, b.tool, b.model, b.evidence,
                                                                     b.confidence)


SOURCE_NAMES = {
    "generated": "the generated-file check (source 0)", "markers": "a region marker in a comment (source 1)",
    "git-ai": "a git-ai authorship note (source 2)", "agent-trace": "an Agent Trace record (source 3)",
    "author": "the commit author identity (source 4)", "message": "a commit message marker (source 5)",
    "file-header": "a file header marker (source 6)", "paths": "a configured ai_paths glob (source 7)",
    "whogitit": "a whogitit note (source 2)", "ai-modified": "a second blame past the person's change",
}
FALLBACK_EVIDENCE = ("none", "uncommitted", "no-git")


def explain_line(file_origin: FileOrigin, line: int) -> str:
    """Which source decided the origin of 1-based ``line`` and why, in one or two sentences."""
    rec = file_origin.line(line)
    if rec is None:
        return f"line {line}: no origin record (the file has {len(file_origin.lines)} lines)"
    who = {"ai": "AI", "ai-modified": "AI, changed by a person since"}.get(rec.origin, rec.origin)
    extras = ", ".join(x for x in (tool_display(rec.tool), f"model {rec.model}" if rec.model else None) if x)
    head = f"line {line}: {who}" + (f" ({extras})" if extras else "")
    commit = f" in commit {rec.commit[:8]}" if rec.commit and rec.commit != ZERO_SHA else ""
    if rec.evidence in FALLBACK_EVIDENCE:
        text = f"{head}: no source had a record{commit} (source 8): {rec.detail}. Confidence {rec.confidence}."
        if rec.origin == "human":
            text += " No AI evidence is not proof of human authorship."
        return text
    source = SOURCE_NAMES.get(rec.evidence, rec.evidence)
    return (f"{head}, decided by {source}{commit}: {rec.detail}. "
            f"Confidence {rec.confidence}, {rec.granularity}-level evidence.")
