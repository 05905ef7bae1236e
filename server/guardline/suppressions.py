"""Suppression comments for every finding (complexity, duplication, security).

Forms (in comments only; with a ParsedDocument the tree's comment nodes are used, so strings that
merely contain the words never count):
- ``guardline: ignore[RULE]``, ``guardline: ignore[RULE1,RULE2]``, bare ``guardline: ignore``;
- ``guardline: allow cognitive<=25`` (also ``cyclomatic<=N``, ``maintainability>=N``): a ceiling; the
  finding still fires when the value is above it (the message then names the ceiling);
- migration forms: ``noqa: C901`` (cyclomatic only), ``NOSONAR`` (anything on that line),
  ``nosec`` / ``nosec B602`` (security; Bandit ids or guardline rule ids).

Scope: a directive applies to findings starting on its line, to findings inside a function whose
first line carries it, and (for a comment-only line) to the line just below it.
Directives that suppress nothing are reported as ``stale-suppression`` hints (for the migration
forms only when ``stale_foreign=True``: other tools may still need them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from guardline.model import Finding
from guardline.rules import RuleMeta

STALE_RULE = "stale-suppression"
CEILING_METRICS = {"cyclomatic": "<=", "cognitive": "<=", "maintainability": ">="}

_IGNORE = re.compile(r"guardline:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)
_ALLOW = re.compile(r"guardline:\s*allow\s+((?:[a-z_]+\s*(?:<=|>=)\s*\d+(?:\.\d+)?\s*,?\s*)+)", re.IGNORECASE)
_CEILING = re.compile(r"([a-z_]+)\s*(<=|>=)\s*(\d+(?:\.\d+)?)", re.IGNORECASE)
_NOQA = re.compile(r"\bnoqa\s*:\s*([A-Z0-9, ]+)", re.IGNORECASE)
_NOSONAR = re.compile(r"\bNOSONAR\b")
_RULE_ID = re.compile(r"B\d{3}|[a-z]+(?:-[a-z0-9]+)+")
_NOSEC = re.compile(r"\bnosec\b(?:[:\s]+((?:[A-Za-z][\w-]*\d*\s*,?\s*)+))?")

RULES: list[RuleMeta] = [
    RuleMeta(id=STALE_RULE, title="Suppression that no longer suppresses anything", category="maintainability",
             default_severity="hint",
             description="A `guardline: ignore[...]`, `guardline: allow ...`, `noqa: C901`, `NOSONAR` or `nosec` "
                         "comment that matched no finding in this analysis. Stale suppressions hide future "
                         "problems on that line.",
             fix="Delete the comment (or the rule id that no longer fires).", tags=("suppression",)),
]


@dataclass
class Directive:
    line: int                         # 1-based line the directive text is on
    kind: str                         # ignore | allow | noqa | nosonar | nosec
    text: str                         # the directive as written, for messages
    rules: tuple[str, ...] = ()       # empty = every rule (bare ignore, NOSONAR, bare nosec)
    ceilings: dict[str, tuple[str, float]] = field(default_factory=dict)
    comment_only: bool = False        # the comment is alone on its line (applies to the next line too)
    column: int = 0
    used: bool = False

    @property
    def ours(self) -> bool:
        return self.kind in ("ignore", "allow")


@dataclass
class Suppressions:
    directives: list[Directive] = field(default_factory=list)

    def on_line(self, line: int) -> list[Directive]:
        return [d for d in self.directives if d.line == line or (d.comment_only and d.line == line - 1)]


# ---------------------------------------------------------------- parsing


def parse_suppressions(doc: Any, language: str | None = None) -> Suppressions:
    """Directives of a ParsedDocument (comment nodes) or, as a fallback, of plain text (every line)."""
    if isinstance(doc, str):
        return Suppressions(_directives_from_lines(doc.split("\n")))
    directives: list[Directive] = []
    lines = doc.text.split("\n")
    for node in _comment_nodes(doc):
        row, column = node.start_point
        text = doc.node_text(node)
        for offset, piece in enumerate(text.split("\n")):
            line_index = row + offset
            line_text = lines[line_index] if line_index < len(lines) else ""
            col = column if offset == 0 else 0
            comment_only = not line_text[:_char_col(line_text, col)].strip() if offset == 0 else True
            directives.extend(_parse_comment(piece, line_index + 1, comment_only, col))
    directives.sort(key=lambda d: (d.line, d.column))
    return Suppressions(directives)


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _comment_nodes(doc: Any) -> list[Any]:
    import tree_sitter

    query = _comment_query(doc.language)
    if query is None:
        return []
    captures = tree_sitter.QueryCursor(query).captures(doc.root)
    return sorted(captures.get("c", []), key=lambda n: n.start_byte)


_QUERIES: dict[str, Any] = {}


def _comment_query(language: str) -> Any:
    """One query per language for every comment node kind its grammar has (comment, line_comment, ...)."""
    if language in _QUERIES:
        return _QUERIES[language]
    import tree_sitter

    from guardline.languages import ts_language

    ts_lang = ts_language(language)
    kinds = sorted({kind for i in range(ts_lang.node_kind_count)
                    if ts_lang.node_kind_is_named(i) and ts_lang.node_kind_is_visible(i)
                    and (kind := ts_lang.node_kind_for_id(i)) is not None and kind.endswith("comment")})
    query = tree_sitter.Query(ts_lang, "[" + " ".join(f"({k})" for k in kinds) + "] @c") if kinds else None
    _QUERIES[language] = query
    return query


_COMMENT_START = re.compile(r"(#|//|/\*|--|<!--|;)")


def _directives_from_lines(lines: list[str]) -> list[Directive]:
    out: list[Directive] = []
    for index, line in enumerate(lines):
        match = _COMMENT_START.search(line)
        if match is None:
            continue
        comment_only = not line[:match.start()].strip()
        out.extend(_parse_comment(line[match.start():], index + 1, comment_only, match.start()))
    return out


def _parse_comment(text: str, line: int, comment_only: bool, column: int) -> list[Directive]:
    found: list[Directive] = []
    for match in _IGNORE.finditer(text):
        rules = tuple(r.strip() for r in (match.group(1) or "").split(",") if r.strip())
        found.append(Directive(line, "ignore", match.group(0), rules, comment_only=comment_only, column=column))
    for match in _ALLOW.finditer(text):
        ceilings = {m.group(1).lower(): (m.group(2), float(m.group(3))) for m in _CEILING.finditer(match.group(1))
                    if m.group(1).lower() in CEILING_METRICS}
        if ceilings:
            found.append(Directive(line, "allow", match.group(0).strip(), tuple(ceilings), ceilings,
                                   comment_only=comment_only, column=column))
    noqa = _NOQA.search(text)
    if noqa and "C901" in noqa.group(1).upper():
        found.append(Directive(line, "noqa", noqa.group(0).strip(), ("cyclomatic",), comment_only=False,
                               column=column))
    if _NOSONAR.search(text):
        found.append(Directive(line, "nosonar", "NOSONAR", (), column=column))
    nosec = _NOSEC.search(text)
    if nosec:
        ids = tuple(i for i in re.split(r"[,\s]+", nosec.group(1) or "") if _RULE_ID.fullmatch(i))
        found.append(Directive(line, "nosec", nosec.group(0).strip(), ids, column=column))
    return found


# ---------------------------------------------------------------- applying


def apply_suppressions(findings: Iterable[Finding], suppressions: Suppressions,
                       function_spans: Iterable[tuple[int, int]] = (), *,
                       stale_foreign: bool = False) -> tuple[list[Finding], list[Finding]]:
    """(kept findings, stale-suppression findings). ``function_spans`` are (start_line, end_line)."""
    spans = sorted(function_spans)
    by_line: dict[int, list[Directive]] = {}
    for directive in suppressions.directives:
        by_line.setdefault(directive.line, []).append(directive)
        if directive.comment_only and directive.kind in ("ignore", "allow"):
            by_line.setdefault(directive.line + 1, []).append(directive)
    kept: list[Finding] = []
    for finding in findings:
        candidates = _candidates(finding, by_line, spans)
        if not _suppressed(finding, candidates):
            kept.append(finding)
    stale = [_stale_finding(d) for d in suppressions.directives if not d.used and (d.ours or stale_foreign)]
    return kept, stale


def _candidates(finding: Finding, by_line: dict[int, list[Directive]],
                spans: list[tuple[int, int]]) -> list[Directive]:
    lines = {finding.start_line}
    lines.update(start for start, end in spans if start <= finding.start_line <= end)
    out: list[Directive] = []
    for line in sorted(lines):
        for directive in by_line.get(line, []):
            line_scoped = not directive.ours  # NOSONAR / nosec / noqa only cover their own line
            if line_scoped and directive.line != finding.start_line:
                continue
            if directive not in out:
                out.append(directive)
    return out


def _suppressed(finding: Finding, candidates: list[Directive]) -> bool:
    suppressed = False
    for directive in candidates:
        if directive.kind == "allow":
            suppressed = _apply_ceiling(finding, directive) or suppressed
        elif _matches(finding, directive):
            directive.used = True
            suppressed = True
    return suppressed


def _matches(finding: Finding, directive: Directive) -> bool:
    if directive.kind == "ignore":
        return not directive.rules or finding.rule in directive.rules
    if directive.kind == "noqa":
        return finding.rule == "cyclomatic"
    if directive.kind == "nosonar":
        return True
    if directive.kind == "nosec":
        if finding.category != "security":
            return False
        return not directive.rules or finding.rule in directive.rules or bool(
            set(directive.rules) & set(_bandit_ids(finding.rule)))
    return False


def _apply_ceiling(finding: Finding, directive: Directive) -> bool:
    """True when the ceiling covers the value; above it the finding stays and names the ceiling."""
    if finding.rule not in directive.ceilings:
        return False
    directive.used = True  # the ceiling still governs this function even when exceeded
    op, bound = directive.ceilings[finding.rule]
    value = finding.data.get("value")
    if value is None:
        return False
    within: bool = value <= bound if op == "<=" else value >= bound
    if not within:
        finding.data["ceiling"] = bound
        finding.message += f" (above the allowed ceiling `{directive.text}`)"
    return within


def _bandit_ids(rule_id: str) -> tuple[str, ...]:
    from guardline.security.catalog import RULES as SECURITY_RULES

    for meta in SECURITY_RULES:
        if meta.id == rule_id:
            return tuple(t for t in meta.tags if re.fullmatch(r"B\d{3}", t))
    return ()


def _stale_finding(directive: Directive) -> Finding:
    what = f"`{directive.text}`"
    return Finding(rule=STALE_RULE, category="maintainability", severity="hint", start_line=directive.line,
                   end_line=directive.line, start_column=directive.column,
                   message=f"Stale suppression {what}: it matched no finding in this analysis; remove it so it "
                           f"cannot hide a future problem.",
                   data={"directive": directive.text, "kind": directive.kind, "rules": list(directive.rules)})
