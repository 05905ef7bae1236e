"""Baseline / ratchet: `guardline baseline` records today's findings; `check` then fails only on new
ones and reports recorded ones that are gone, so the baseline can shrink.

The file (`.guardline-baseline.json`) is meant to be committed: stable order, fingerprints instead of
line numbers, one entry per line of JSON so diffs stay readable.
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass, field
from typing import Any

from guardline.fingerprints import assign_fingerprints
from guardline.model import FileResult

BASELINE_FILE = ".guardline-baseline.json"


@dataclass
class BaselineState:
    path: str
    known: int = 0                       # findings matched by the baseline (not failing)
    new: int = 0                         # findings not in the baseline
    gone: list[dict[str, Any]] = field(default_factory=list)   # baseline entries no longer found

    def summary(self) -> str:
        return f"baseline: {self.known} known, {self.new} new, {len(self.gone)} fixed since the baseline"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.path, "known": self.known, "new": self.new, "gone": self.gone}


def entries(results: list[FileResult]) -> list[dict[str, Any]]:
    out = []
    for result in results:
        for finding in result.findings:
            out.append({"fingerprint": finding.fingerprint, "rule": finding.rule, "path": result.path,
                        "function": finding.function or "", "severity": finding.severity,
                        "message": finding.message})
    return sorted(out, key=lambda e: (e["path"], e["rule"], e["function"], e["fingerprint"]))


def dump(items: list[dict[str, Any]]) -> str:
    body = ",\n".join("    " + json.dumps(item, sort_keys=True) for item in items)
    return '{\n  "version": 1,\n  "findings": [\n' + body + ("\n" if items else "") + "  ]\n}\n"


def load(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("findings"), list):
        raise ValueError(f"{path}: not a guardline baseline (version 1)")
    return data["findings"]


def apply_baseline(root: str, results: list[FileResult], path: str | None = None) -> BaselineState:
    """Mark findings present in the baseline (``data["baseline"] = True``: they do not fail the gate)."""
    from guardline.cli import UsageError

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
            if remaining.pop(finding.fingerprint, None) is not None:
                finding.data = {**finding.data, "baseline": True}
                state.known += 1
            else:
                state.new += 1
    state.gone = [e for e in remaining.values() if e["path"] in analysed]
    return state


def write_baseline(args: argparse.Namespace) -> int:
    from guardline.cli import _root_and_config, collect
    from guardline.scan import discover_files

    paths = args.paths or ["."]
    root, config = _root_and_config(paths)
    files = discover_files(root, config, paths)
    results = collect(root, files, config)
    assign_fingerprints(root, results)
    target = args.output or os.path.join(root, BASELINE_FILE)
    items = entries(results)
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(dump(items))
    print(f"wrote {target}: {len(items)} findings in {len(files)} files")
    return 0
