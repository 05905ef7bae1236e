"""SARIF 2.1.0 output for code-scanning UIs (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

from typing import Any, Iterable

from guardline import __version__
from guardline.fingerprints import assign_fingerprints
from guardline.model import FileResult, Finding, origin_fields
from guardline.notes import RunNote
from guardline.rules import DOCS_URL, RuleMeta, all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}


def _rule_descriptor(rule: RuleMeta) -> dict[str, Any]:
    tags = [rule.category] + list(rule.cwe)
    if rule.security_category:
        tags.append(rule.security_category)
    if rule.category == "security":
        tags.append("security")
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("_", "-").split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description or rule.title},
        "helpUri": rule.help_uri,
        "help": {"text": (rule.description + (" Fix: " + rule.fix if rule.fix else "")).strip() or rule.title},
        "defaultConfiguration": {"level": LEVELS.get(rule.default_severity, "warning")},
        "properties": {"tags": sorted(set(tags)), "precision": {"high": "high", "medium": "medium",
                                                                  "low": "low"}.get(rule.confidence, "medium")},
    }
    return descriptor


def _unknown_rule(rule_id: str, finding: Finding) -> RuleMeta:
    return RuleMeta(id=rule_id, title=rule_id, category=finding.category, default_severity=finding.severity,
                    description=f"guardline rule {rule_id}")


def _location(path: str, start_line: int, end_line: int, start_column: int | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(1, start_line), "endLine": max(start_line, end_line, 1)}
    if start_column is not None:
        region["startColumn"] = start_column + 1
    return {"physicalLocation": {"artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"}, "region": region}}


def _result(finding: Finding, path: str, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [_location(path, finding.start_line, finding.end_line)],
        "partialFingerprints": {"guardline/v1": finding.fingerprint},
        "properties": {"origin": finding.origin, "category": finding.category, "severity": finding.severity},
    }
    if finding.function:
        out["properties"]["function"] = finding.function
    if finding.cwe:
        out["properties"]["cwe"] = finding.cwe
    if finding.data.get("baseline"):
        out["baselineState"] = "unchanged"
    flow = (finding.data or {}).get("flow")
    if flow:
        out["codeFlows"] = [_code_flow(path, flow)]
    if finding.related:
        out["relatedLocations"] = [
            {**_location(loc.path, loc.start_line, loc.end_line), "id": i}
            for i, loc in enumerate(finding.related, start=1)
        ]
    return out


def _with_origin(out: dict[str, Any], finding: Finding, result: FileResult) -> dict[str, Any]:
    """The enclosing function's origin evidence (tool, model, evidence, confidence, commits) in the
    result's properties, as in `check --format json`."""
    fn = next((f for f in result.functions if f.qualified_name == finding.function and
               f.start_line <= finding.start_line <= f.end_line), None)
    if fn is not None and fn.origin_detail:
        out["properties"].update({k: v for k, v in origin_fields(fn.origin_detail).items() if v not in (None, [])})
        out["properties"]["ai_share"] = round(fn.ai_share, 3)
    return out


def _code_flow(path: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    """A taint finding's source -> steps -> sink as one SARIF threadFlow."""
    locations = []
    for step in steps:
        location = _location(path, step["start_line"], step["end_line"], step.get("start_column"))
        location["message"] = {"text": step.get("message", "")}
        locations.append({"location": location,
                          "kinds": [{"source": "source", "sink": "sink"}.get(step.get("role") or "", "pass-through")]})
    return {"threadFlows": [{"locations": locations}]}


def to_sarif(root: str, results: list[FileResult], notes: Iterable[RunNote] = ()) -> dict[str, Any]:
    assign_fingerprints(root, results)
    known = {rule.id: rule for rule in all_rules()}
    used: dict[str, RuleMeta] = {}
    for result in results:
        for finding in result.findings:
            used.setdefault(finding.rule, known.get(finding.rule) or _unknown_rule(finding.rule, finding))
    rules = [used[rule_id] for rule_id in sorted(used)]
    index = {rule.id: i for i, rule in enumerate(rules)}
    sarif_results = [_with_origin(_result(f, r.path, index[f.rule]), f, r) for r in results for f in r.findings]
    notifications = [{"level": "warning", "message": {"text": f"{r.path}: not analysed: {r.error}"}}
                     for r in results if r.error]
    notifications += [{"level": "warning" if note.level == "warning" else "note", "message": {"text": note.message},
                       "descriptor": {"id": note.code}} for note in notes]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "guardline", "version": __version__, "semanticVersion": __version__,
                            "informationUri": DOCS_URL.rsplit("/blob/", 1)[0],
                            "rules": [_rule_descriptor(rule) for rule in rules]}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + root.rstrip("/") + "/"}},
        "results": sarif_results,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notifications}]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
