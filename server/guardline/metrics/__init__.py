"""Per-function metrics from a parsed document: pure, no I/O."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from guardline.languages import get_spec
from guardline.metrics.engine import MetricsWalker, merged_increments
from guardline.metrics.profiles import PROFILE_NAMES
from guardline.metrics.profiles.radon import RULES as RADON_RULES
from guardline.metrics.maintainability import maintainability_index, nested_volumes, token_volume
from guardline.model import FileMetrics, FunctionMetrics
from guardline.parsing import ParsedDocument

CYCLOMATIC_PROFILES = PROFILE_NAMES


def compute_functions(doc: ParsedDocument, cyclomatic_profile: str = "guardline",
                      maintainability_profile: str = "guardline") -> tuple[list[FunctionMetrics], FileMetrics]:
    """Every function of the document with its metrics, in source order, and the file totals.

    ``doc.memo`` (a dict the caller keeps across versions of one file, e.g. the language server per
    open document) lets unchanged top-level functions be reused instead of walked again."""
    spec = get_spec(doc.language)
    walker = MetricsWalker(spec, doc.source, cyclomatic_profile, memo=doc.memo)
    states = walker.walk(doc.root)
    code_rows = walker.code_rows()
    walked = [state for state in states if state.volume is None]   # the others come from the memo
    for state, volume in zip(walked, nested_volumes(walker.tokens, [(s.hal_begin, s.hal_end) for s in walked])):
        state.volume = volume
    functions: list[FunctionMetrics] = []
    for state in states:
        fn = state.metrics
        fn.cyclomatic = state.cc
        fn.cognitive = state.cog
        fn.increments = merged_increments(state)
        fn.sloc = _rows_between(code_rows, fn.start_line - 1, fn.end_line - 1)
        assert state.volume is not None   # walked just above, or replayed from the memo
        fn.halstead_volume = state.volume
        fn.maintainability = maintainability_index(fn.halstead_volume, fn.cyclomatic, fn.sloc)
        functions.append(fn)
    functions.sort(key=lambda f: (f.start_line, f.start_byte))
    totals = _file_totals(doc, walker, functions, code_rows, maintainability_profile)
    return functions, totals


def _rows_between(rows: list[int], first: int, last: int) -> int:
    return bisect_right(rows, last) - bisect_left(rows, first)


def _file_totals(doc: ParsedDocument, walker: MetricsWalker, functions: list[FunctionMetrics],
                 code_rows: list[int], maintainability_profile: str) -> FileMetrics:
    sloc = len(code_rows)
    volume = token_volume(walker.tokens)
    # file CC: decision points anywhere (module level and every function) + 1
    cyclomatic = 1 + walker.module_cc + sum(f.cyclomatic - 1 for f in functions)
    totals = FileMetrics(sloc=sloc, cyclomatic_total=cyclomatic, halstead_volume=volume,
                         maintainability=maintainability_index(volume, cyclomatic, sloc))
    if maintainability_profile == "radon" and doc.language in RADON_RULES:
        from guardline.metrics.radon_mi import apply_radon_profile   # Python only: radon's MI
        apply_radon_profile(doc, functions, totals)
    return totals
