"""Baseline / ratchet: `guardline baseline` records today's findings with their metric values; `check`
then fails only on new ones and on baselined ones whose value got worse (cognitive 18 -> 40 is not
"known"), and reports recorded ones that are gone, so the baseline can shrink.
`guardline baseline --ratchet` rewrites the file keeping only recorded findings still present, each at
the better of its recorded and current value: it lowers values, never raises them or adds findings.

The file (`.guardline-baseline.json`) is meant to be committed: stable order, fingerprints instead of
line numbers, one entry per line of JSON so diffs stay readable.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from guardline.errors import UsageError
from guardline.fingerprints import assign_fingerprints
from guardline.model import FileResult, Finding

BASELINE_FILE = ".guardline-baseline.json"


@dataclass
class BaselineState:
    path: str
    known: int = 0                       # findings matched by the baseline (not failing)
    new: int = 0                         # findings not in the baseline
    worse: int = 0                       # baselined findings whose value got worse (counted in new)
    gone: list[dict[str, Any]] = field(default_factory=list)   # baseline entries no longer found

    def summary(self) -> str:
        worse = f" ({self.worse} worse than recorded)" if self.worse else ""
        return (f"baseline: {self.known} known, {self.new} new{worse}, {len(self.gone)} fixed since the "
                "baseline")

    def to_json(self) -> dict[str, Any]:
        return {"file": self.path, "known": self.known, "new": self.new, "worse": self.worse,
                "gone": self.gone}


def finding_value(finding: Finding) -> float | None:
    """The measured value a baseline records (metric findings; clone size in lines), else None."""
    value = finding.data.get("value")
    if value is None and finding.rule == "duplicate-code":
        value = finding.data.get("lines")
    elif value is None and finding.rule == "file-duplication":
        value = finding.data.get("percent")
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def lower_is_worse(rule: str) -> bool:
    return rule == "maintainability"


def is_worse(rule: str, recorded: Any, current: float | None) -> bool:
    """True when ``current`` is worse than the ``recorded`` value (no recorded value: never worse)."""
    if current is None or not isinstance(recorded, (int, float)) or isinstance(recorded, bool):
        return False
    return current < recorded if lower_is_worse(rule) else current > recorded


def better(rule: str, recorded: Any, current: float | None) -> Any:
    """The better of two values: what the ratchet keeps."""
    if current is None or not isinstance(recorded, (int, float)) or isinstance(recorded, bool):
        return recorded
    return max(recorded, current) if lower_is_worse(rule) else min(recorded, current)


def entries(results: list[FileResult]) -> list[dict[str, Any]]:
    out = []
    for result in results:
        for finding in result.findings:
            entry: dict[str, Any] = {"fingerprint": finding.fingerprint, "rule": finding.rule, "path": result.path,
                     "function": finding.function or "", "severity": finding.severity,
                     "message": finding.message}
            value = finding_value(finding)
            if value is not None:
                entry["value"] = value
            out.append(entry)
    return sorted(out, key=lambda e: (e["path"], e["rule"], e["function"], e["fingerprint"]))


def dump(items: list[dict[str, Any]]) -> str:
    body = ",\n".join("    " + json.dumps(item, sort_keys=True) for item in items)
    return '{\n  "version": 1,\n  "findings": [\n' + body + ("\n" if items else "") + "  ]\n}\n"


def load(path: str) -> list[dict[str, Any]]:
    """The recorded findings; ValueError naming the file (and line or entry) when it is not a baseline."""
    from guardline.files import read_regular

    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})") from exc
    except RecursionError as exc:
        raise ValueError(f"{path}: nested too deeply to be a guardline baseline") from exc
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("findings"), list):
        raise ValueError(f"{path}: not a guardline baseline (version 1)")
    for number, entry in enumerate(data["findings"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ValueError(f"{path}: findings[{number}]: not a finding (an object with a 'fingerprint' string)")
    findings: list[dict[str, Any]] = data["findings"]
    return findings


def apply_baseline(root: str, results: list[FileResult], path: str | None = None) -> BaselineState:
    """Mark findings present in the baseline (``data["baseline"] = True``: they do not fail the gate)."""
    path = path or os.path.join(root, BASELINE_FILE)
    try:
        recorded = load(path)
    except (OSError, ValueError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot use baseline: {exc}") from exc
    assign_fingerprints(root, results)
    remaining = {e["fingerprint"]: e for e in recorded}
    analysed = {r.path for r in results}
    state = BaselineState(path=path)
    for result in results:
        for finding in result.findings:
            entry = remaining.pop(finding.fingerprint, None)
            if entry is not None and is_worse(finding.rule, entry.get("value"), finding_value(finding)):
                finding.data = {**finding.data, "baseline_value": entry["value"]}
                finding.message += f" (worse than the baseline's {entry['value']})"
                state.worse += 1
                entry = None
            if entry is not None:
                finding.data = {**finding.data, "baseline": True}
                state.known += 1
            else:
                state.new += 1
    state.gone = [e for e in remaining.values() if e.get("path") in analysed]
    return state


def recorded_for_ratchet(path: str) -> list[dict[str, Any]]:
    """The baseline `--ratchet` rewrites; UsageError when it is missing or unreadable."""
    try:
        return load(path)
    except FileNotFoundError as exc:
        raise UsageError(f"--ratchet needs an existing baseline: {path} not found (run `guardline baseline`)") from exc
    except (OSError, ValueError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot use baseline: {exc}") from exc


def ratchet(recorded: list[dict[str, Any]], current: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Recorded entries still found, each at the better of its two values; nothing new is added and
    no value is raised (a finding that got worse keeps its recorded value and keeps failing)."""
    now = {e["fingerprint"]: e for e in current}
    kept: list[dict[str, Any]] = []
    lowered = 0
    for entry in recorded:
        found = now.get(entry.get("fingerprint"))
        if found is None:
            continue                     # fixed: the baseline shrinks
        value = better(entry.get("rule", ""), entry.get("value"), found.get("value"))
        if "value" in entry and value != entry["value"]:
            lowered += 1
            kept.append({**entry, "value": value, "severity": found["severity"], "message": found["message"]})
        else:
            kept.append(entry)
    return sorted(kept, key=lambda e: (str(e.get("path")), str(e.get("rule")), str(e.get("function")), e["fingerprint"])), lowered
