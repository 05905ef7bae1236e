"""The `guardline/origins` payload: AI-attributed line ranges split at the functions that exceed a
limit, so that only those functions are shaded strongly (a trivial function inside a large AI region
stays faint). Pure: no server state, no I/O.
"""

from __future__ import annotations

from typing import Any, Iterable

from guardline.lsp import features
from guardline.model import FileResult

Span = tuple[int, int, str]   # 0-based inclusive first/last line of an exceeding function, its name
LIMIT_CATEGORIES = ("complexity", "maintainability")


def exceeding_spans(result: FileResult | None) -> list[Span]:
    """Line spans of the functions with a metric finding over a limit, outermost first, no overlaps:
    a nested exceeding function inside an exceeding one is covered by the outer span already."""
    if result is None:
        return []
    spans: dict[tuple[int, int], str] = {}
    for finding in result.findings:
        if finding.severity not in features.EXCEEDING or finding.category not in LIMIT_CATEGORIES:
            continue
        fn = features.function_of(result, finding)
        if fn is not None:
            spans[(fn.start_line - 1, fn.end_line - 1)] = fn.qualified_name
    merged: list[Span] = []
    for (start, end), name in sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1])):
        if merged and start <= merged[-1][1]:
            continue   # nested in (or overlapping) the previous exceeding function
        merged.append((start, end, name))
    return merged


def split_range(rng: dict[str, Any], spans: Iterable[Span]) -> list[dict[str, Any]]:
    """One AI range cut at exceeding-function boundaries: the pieces inside such a function carry
    ``exceeds_limit: True`` and its ``function`` name, the rest ``False`` and ``None``."""
    start, end = rng["start_line"], rng["end_line"]
    pieces: list[dict[str, Any]] = []
    cursor = start
    for span_start, span_end, name in spans:
        if span_end < cursor or span_start > end:
            continue
        if span_start > cursor:
            pieces.append({**rng, "start_line": cursor, "end_line": span_start - 1,
                           "exceeds_limit": False, "function": None})
        piece_end = min(span_end, end)
        pieces.append({**rng, "start_line": max(cursor, span_start), "end_line": piece_end,
                       "exceeds_limit": True, "function": name})
        cursor = piece_end + 1
    if cursor <= end:
        pieces.append({**rng, "start_line": cursor, "end_line": end, "exceeds_limit": False, "function": None})
    return pieces


def origin_ranges(ai_ranges: Iterable[Any], result: FileResult | None) -> list[dict[str, Any]]:
    """The `ranges` of `guardline/origins` from origin.ai_ranges records and the current analysis."""
    spans = exceeding_spans(result)
    out: list[dict[str, Any]] = []
    for rng in ai_ranges:
        out.extend(split_range(_range_json(rng), spans))
    return out


def _range_json(rng: Any) -> dict[str, Any]:
    get = rng.get if isinstance(rng, dict) else (lambda key, default=None: getattr(rng, key, default))
    return {"start_line": int(get("start_line", 0)), "end_line": int(get("end_line", 0)),
            "origin": get("origin", "ai") or "ai", "tool": get("tool"), "model": get("model"),
            "evidence": features._jsonable(get("evidence")), "confidence": get("confidence")}
