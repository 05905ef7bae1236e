"""The one place where every analysis runs on one parse of a file.

Two stages, so that the expensive one can be cached by content hash:
- ``analyze_text(doc, config)``: everything that depends only on the text (metrics, security
  hotspots). Pure: text in, result out.
- ``finish(...)``: what depends on where the text came from (origin records from git, computed off
  the hot path; clone findings from the workspace index) and on suppression comments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from guardline.config import Config
from guardline.languages import detect_language, get_spec
from guardline.metrics import compute_functions
from guardline.model import FileMetrics, FileResult, Finding, FunctionMetrics
from guardline.parsing import ParsedDocument, UnanalysableFile, check_nesting, parse_bytes
from guardline.thresholds import evaluate

if TYPE_CHECKING:
    from guardline.origin.records import FileOrigin

# origin, security and suppressions are imported where they are used: a process that never analyses
# (the agent hook recording an edit) does not pay for them at start-up (tests/test_agents_gate.py).

SUPPRESSION_MARKERS = ("guardline:", "noqa", "NOSONAR", "nosec")


@dataclass
class TextAnalysis:
    """Everything that depends only on the text: cacheable by content hash."""

    language: str
    lines: int
    functions: list[FunctionMetrics]
    totals: FileMetrics
    security: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    has_suppressions: bool = False


def compute_metrics(doc: ParsedDocument, config: Config) -> tuple[list[FunctionMetrics], FileMetrics]:
    return compute_functions(doc, config["cyclomatic_profile"], config["maintainability_profile"])


def language_file_note(doc: ParsedDocument) -> str | None:
    """A per-file note from the language tables (C# 14 extension blocks)."""
    hook = get_spec(doc.language).file_note
    return hook(doc.root, doc.source) if hook is not None else None


def analyze_text(doc: ParsedDocument, path: str, config: Config, *,
                 security: list[Finding] | None = None) -> TextAnalysis:
    """``security``: the document's security findings already at hand (the language server carries
    an expensive scan's findings through edits); else scanned here."""
    check_nesting(doc.root)
    functions, totals = compute_metrics(doc, config)
    notes = list(doc.notes)
    if doc.has_errors:
        notes.append("syntax errors: results cover what parses")
    language_note = language_file_note(doc)
    if language_note:
        notes.append(language_note)
    return TextAnalysis(language=doc.language, lines=doc.line_count, functions=functions, totals=totals,
                        security=security if security is not None else security_findings(doc, path, config),
                        notes=notes,
                        has_suppressions=any(marker in doc.text for marker in SUPPRESSION_MARKERS))


def finish(path: str, analysis: TextAnalysis, config: Config, *, doc: ParsedDocument | None = None,
           file_origin: FileOrigin | None = None, extra_findings: list[Finding] | None = None,
           lines: list[str] | None = None) -> FileResult:
    """Origin, thresholds and suppressions on top of a text analysis.

    ``doc`` is needed only when the text holds suppression comments (analysis.has_suppressions).
    The per-path ``[[overrides]]`` matching ``path`` set the limits and switch rules off."""
    config = config.for_path(path)
    result = FileResult(path=path, language=analysis.language, lines=analysis.lines,
                        functions=analysis.functions, totals=analysis.totals, notes=list(analysis.notes))
    if file_origin is not None:
        apply_origin(result.functions, file_origin, config, lines if lines is not None else
                     (doc.lines if doc is not None else []))
    findings = evaluate(result.functions, config)
    findings += origin_adjusted(analysis.security, result.functions, file_origin, config["ai_share"])
    findings += extra_findings or []
    if analysis.has_suppressions and doc is not None:
        findings = apply_suppressions(doc, findings, result.functions)
    findings = without_disabled_rules(findings, config)
    result.findings = sorted(findings, key=lambda f: (f.start_line, f.start_column, f.rule))
    return result


def without_disabled_rules(findings: list[Finding], config: Config) -> list[Finding]:
    """Drop the findings of rules switched off by ``disabled_rules`` (top level or a path override)."""
    disabled = config.get("disabled_rules") or ()
    return [f for f in findings if f.rule not in disabled] if disabled else findings


def analyze_document(doc: ParsedDocument, path: str, config: Config, *, file_origin: FileOrigin | None = None,
                     extra_findings: list[Finding] | None = None,
                     security: list[Finding] | None = None) -> FileResult:
    """Both stages on one parse (the language server's and the CLI's single-file path)."""
    try:
        analysis = analyze_text(doc, path, config, security=security)
    except UnanalysableFile as exc:   # nesting too deep (parsing.NestingTooDeep)
        return FileResult(path=path, language=doc.language, lines=doc.line_count, error=str(exc))
    return finish(path, analysis, config, doc=doc, file_origin=file_origin, extra_findings=extra_findings)


def apply_origin(functions: list[FunctionMetrics], file_origin: FileOrigin, config: Config, lines: list[str]) -> None:
    from guardline.origin.functions import apply_to_functions

    apply_to_functions(functions, file_origin, config["ai_share"], lines)


def origin_adjusted(findings: list[Finding], functions: list[FunctionMetrics], file_origin: FileOrigin | None,
                    ai_share: float = 0.5) -> list[Finding]:
    """Security hotspots in AI-written code are errors (product thresholds: AI, every hotspot).

    A finding inside a function takes the function's origin; one outside every function (module
    level: a hard-coded password in a config module) takes the origin of its own lines, by the same
    rule as a function (the AI share of its non-blank lines against ``ai_share``), as the report does."""
    out: list[Finding] = []
    for finding in findings:
        fn = _innermost(functions, finding.start_line)
        copy = Finding(**{name: getattr(finding, name) for name in Finding.__slots__})
        if fn is not None:
            copy.origin = fn.origin
            copy.function = copy.function or fn.qualified_name
        elif file_origin is not None:
            copy.origin = lines_origin(file_origin, finding.start_line, max(finding.end_line, finding.start_line),
                                       ai_share)
        if copy.origin == "ai" and copy.category == "security" and copy.severity == "warning":
            copy.severity = "error"
            copy.message += " (AI-generated code: every hotspot is an error)"
        out.append(copy)
    return out


def lines_origin(file_origin: FileOrigin, first: int, last: int, ai_share: float) -> str:
    """The origin of lines ``first``..``last`` (1-based): "ai" when at least ``ai_share`` of those
    with a record are AI-attributed, else their most common origin; "unknown" without records."""
    records = [rec for rec in (file_origin.line(n) for n in range(first, last + 1)) if rec is not None]
    if not records:
        return "unknown"
    origins = [rec.origin for rec in records]
    if "ai" in origins and origins.count("ai") / len(origins) >= ai_share:
        return "ai"
    others = [o for o in origins if o != "ai"] or origins
    return max(("human", "bot", "generated", "unknown"), key=others.count)


def _innermost(functions: list[FunctionMetrics], line: int) -> FunctionMetrics | None:
    best = None
    for fn in functions:
        if fn.start_line <= line <= fn.end_line and (best is None or fn.start_line >= best.start_line):
            best = fn
    return best


def security_findings(doc: ParsedDocument, path: str, config: Config) -> list[Finding]:
    if not config.get("security.enabled", True):
        return []
    from guardline.security import scan_document, scan_secrets

    findings = list(scan_document(doc, config))
    if config.get("security.secrets", True):
        findings += scan_secrets(doc.text, path)
    return findings


def apply_suppressions(doc: ParsedDocument, findings: list[Finding],
                       functions: list[FunctionMetrics]) -> list[Finding]:
    from guardline import suppressions

    parsed = suppressions.parse_suppressions(doc)
    spans = [(fn.start_line, fn.end_line) for fn in functions]
    kept, stale = suppressions.apply_suppressions(findings, parsed, spans)
    shown: list[Finding] = kept + stale
    return shown


def analyze_bytes(raw: bytes, path: str, config: Config, *, language: str | None = None,
                  file_origin: FileOrigin | None = None) -> FileResult:
    """Analyse file bytes; a file that cannot be analysed gets ``error`` and no exception."""
    language = language or detect_language(path, raw[:256])
    if language is None:
        return FileResult(path=path, language=None, error="unsupported language")
    try:
        doc = parse_bytes(raw, language, max_bytes=config["max_file_bytes"])
    except UnanalysableFile as exc:
        return FileResult(path=path, language=language, lines=raw.count(b"\n"), error=str(exc))
    return analyze_document(doc, path, config, file_origin=file_origin)
