"""Finding fingerprints that survive unrelated edits (baselines, SARIF partialFingerprints).

A fingerprint never contains a line number: it is built from the rule, the file, the enclosing
function's qualified name and, for findings that are not about a whole function, the normalised
text of the finding's first line, plus an occurrence counter for identical neighbours.
"""

from __future__ import annotations

import hashlib
import os
import re

from guardline.model import FileResult, Finding

FUNCTION_RULES = {"cyclomatic", "cognitive", "maintainability"}
FILE_RULES = {"file-duplication"}   # about the whole file: no anchor line
_SPACE = re.compile(r"\s+")


def _line_text(lines: list[str], line: int) -> str:
    if 1 <= line <= len(lines):
        return _SPACE.sub(" ", lines[line - 1]).strip()
    return ""


def file_lines(root: str, path: str) -> list[str]:
    try:
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as fh:
            return fh.read().split("\n")
    except OSError:
        return []


def assign_fingerprints(root: str, results: list[FileResult]) -> None:
    """Set ``finding.fingerprint`` on every finding of every result."""
    for result in results:
        lines: list[str] | None = None
        seen: dict[str, int] = {}
        for finding in sorted(result.findings, key=lambda f: (f.start_line, f.start_column, f.rule)):
            if (finding.rule in FUNCTION_RULES and finding.function) or finding.rule in FILE_RULES:
                anchor = ""
            else:
                if lines is None:
                    lines = file_lines(root, result.path)
                anchor = _line_text(lines, finding.start_line)
            base = "\0".join((finding.rule, result.path, finding.function or "", anchor))
            occurrence = seen.get(base, 0)
            seen[base] = occurrence + 1
            finding.fingerprint = hashlib.sha256(f"{base}\0{occurrence}".encode()).hexdigest()[:32]


def fingerprint_of(finding: Finding) -> str:
    assert finding.fingerprint, "assign_fingerprints first"
    return finding.fingerprint
