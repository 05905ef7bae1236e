"""The per-increment breakdown of a function's scores, as text (CLI) or markdown (hover, lens)."""

from __future__ import annotations

from guardline.model import FunctionMetrics


def function_at_line(functions: list[FunctionMetrics], line: int) -> FunctionMetrics | None:
    """The innermost function containing 1-based ``line``."""
    best: FunctionMetrics | None = None
    for fn in functions:
        if fn.start_line <= line <= fn.end_line:
            if best is None or (fn.end_line - fn.start_line) <= (best.end_line - best.start_line):
                best = fn
    return best


def _origin_line(fn: FunctionMetrics) -> str | None:
    if fn.origin == "unknown" and not fn.ai_share:
        return None
    detail = fn.origin_detail or {}
    tool = detail.get("tool")
    evidence = detail.get("evidence")
    text = f"origin: {fn.origin} (AI share {fn.ai_share:.0%}"
    if tool:
        text += f", {tool}"
    if evidence:
        text += f", evidence: {evidence}"
    return text + ")"


def format_text(fn: FunctionMetrics) -> str:
    lines = [f"{fn.qualified_name}  lines {fn.start_line}-{fn.end_line}",
             f"  cyclomatic {fn.cyclomatic} · cognitive {fn.cognitive} · maintainability "
             f"{fn.maintainability:.1f} · SLOC {fn.sloc} · Halstead volume {fn.halstead_volume:.0f}"]
    origin = _origin_line(fn)
    if origin:
        lines.append("  " + origin)
    for metric, base in (("cognitive", 0), ("cyclomatic", 1)):
        incs = [i for i in fn.increments if i.metric == metric]
        lines.append(f"  {metric} = {base} (base) + {sum(i.amount for i in incs)}:" if metric == "cyclomatic"
                     else f"  {metric} = {sum(i.amount for i in incs)}:")
        for inc in incs:
            nesting = f" (nesting {inc.nesting})" if inc.nesting else ""
            lines.append(f"    line {inc.line:>5}  +{inc.amount}  {inc.construct}{nesting}")
        if not incs:
            lines.append("    (no increments)")
    return "\n".join(lines)


def format_markdown(fn: FunctionMetrics) -> str:
    out = [f"**{fn.qualified_name}** — CC {fn.cyclomatic} · Cog {fn.cognitive} · MI {fn.maintainability:.0f}"]
    origin = _origin_line(fn)
    if origin:
        out.append("")
        out.append(origin)
    cog = [i for i in fn.increments if i.metric == "cognitive"]
    if cog:
        out += ["", "| line | construct | + | nesting |", "|---:|---|---:|---:|"]
        out += [f"| {i.line} | `{i.construct}` | {i.amount} | {i.nesting} |" for i in cog]
    else:
        out += ["", "No cognitive increments: the function reads straight through."]
    cc = [i for i in fn.increments if i.metric == "cyclomatic"]
    if cc:
        counts: dict[str, int] = {}
        for inc in cc:
            counts[inc.construct] = counts.get(inc.construct, 0) + inc.amount
        summary = ", ".join(f"`{k}` ×{v}" for k, v in counts.items())
        out += ["", f"Cyclomatic: 1 + {sum(counts.values())} decision points ({summary})"]
    return "\n".join(out)
