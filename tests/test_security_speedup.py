"""The fast security scan reports exactly what the scan reported before it was optimised.

tests/data/security_reference.json was recorded with the engine as it was before the speed-up (text
pre-filters, ranged queries, lazy alias/assignment indexes): the findings on every rule example of
every language (alone and all examples of a language concatenated into one document, so that imports,
aliases and many sinks meet in one file), and on every 20th file of the Python standard library.
Regenerate only when rules change on purpose: ``.venv/bin/python tests/test_security_speedup.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from pathlib import Path

import pytest

from guardline.config import Config
from guardline.parsing import UnanalysableFile, parse, parse_bytes
from guardline.security import scan_document
from guardline.security.engine import all_rules_by_language, compiled

REFERENCE = Path(__file__).parent / "data" / "security_reference.json"
ALL_ON = Config().with_overrides({"security": {"enabled_rules": ["py-assert-used"]}})
STDLIB_STEP = 20  # every 20th: a superset of the every-40th sample, twice the coverage


def _finding_rows(findings: list) -> list[list]:
    return [[f.rule, f.start_line, f.start_column, f.end_line, f.end_column, f.function, f.message]
            for f in findings]


def _examples(language: str) -> list[str]:
    spec = compiled(language).spec
    rules = [r for r in spec.rules if language in r.languages]
    rules += [t for t in spec.taint_rules if language in t.languages]
    return [code for rule in rules for code in (*rule.positive, *rule.negative)]


def example_findings() -> dict[str, list]:
    out: dict[str, list] = {}
    for language in sorted(all_rules_by_language()):
        examples = _examples(language)
        for index, code in enumerate(examples):
            out[f"{language}/example-{index}"] = _finding_rows(scan_document(parse(code, language), ALL_ON))
        joined = "\n".join(examples)
        out[f"{language}/all-examples"] = _finding_rows(scan_document(parse(joined, language), ALL_ON))
    return out


def stdlib_sample() -> list[tuple[str, str]]:
    """(relative path, absolute path) of every 20th .py file of the stdlib, in a stable walk order."""
    root = os.path.realpath(sysconfig.get_paths()["stdlib"])
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "__pycache__", "dist-packages"))
        files.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return [(os.path.relpath(p, root), p) for p in files[::STDLIB_STEP]]


def stdlib_findings(path: str) -> tuple[str, list] | None:
    """(sha256 of the file, findings), or None when the file cannot be parsed."""
    try:
        raw = Path(path).read_bytes()
        doc = parse_bytes(raw, "python")
    except (OSError, UnanalysableFile):
        return None
    return hashlib.sha256(raw).hexdigest(), _finding_rows(scan_document(doc, Config()))


def write_reference() -> None:
    stdlib = {}
    for rel, path in stdlib_sample():
        result = stdlib_findings(path)
        if result is not None:
            stdlib[rel] = {"sha256": result[0], "findings": result[1]}
    data = {"python": sys.version.split()[0], "examples": example_findings(), "stdlib": stdlib}
    REFERENCE.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")


def _reference() -> dict:
    return json.loads(REFERENCE.read_text())


def test_rule_examples_match_reference() -> None:
    expected = _reference()["examples"]
    actual = json.loads(json.dumps(example_findings()))  # tuples -> lists, as stored
    assert actual.keys() == expected.keys(), "same example set as when the reference was recorded"
    for key in expected:
        assert actual[key] == expected[key], f"{key}: findings must be identical to the pre-speed-up scan"


def test_stdlib_sample_matches_reference() -> None:
    expected = _reference()["stdlib"]
    compared = 0
    for rel, path in stdlib_sample():
        reference = expected.get(rel)
        result = stdlib_findings(path)
        if reference is None or result is None or result[0] != reference["sha256"]:
            continue  # another Python build: only byte-identical files are comparable
        compared += 1
        assert json.loads(json.dumps(result[1])) == reference["findings"], \
            f"{rel}: findings must be identical to the pre-speed-up scan"
    if compared == 0:
        pytest.skip(f"no stdlib file identical to the recorded ones (reference from Python "
                    f"{_reference()['python']}, running {sys.version.split()[0]})")
    assert sum(bool(r["findings"]) for r in expected.values()) > 5, "the sample exercises real findings"


if __name__ == "__main__" and "--write" in sys.argv:
    write_reference()
