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
from guardline.security.engine import all_rules_by_language, compiled, plan_scan
from guardline.security.prefilter import merge_spans, word_set

REFERENCE = Path(__file__).parent / "data" / "security_reference.json"
ALL_ON = Config().with_overrides({"security": {"enabled_rules": ["py-assert-used"]}})
SKIPPED_FOLDERS = {"site-packages", "__pycache__", "dist-packages"}
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
    found: list[str] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(set(subfolders) - SKIPPED_FOLDERS)  # sorted: a stable walk order
        found += sorted(os.path.join(folder, name) for name in names if name.endswith(".py"))
    return [(os.path.relpath(path, root), path) for path in found[::STDLIB_STEP]]


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
    if sys.version.split()[0] == _reference()["python"]:
        assert compared == len(expected), "same Python build: every recorded file is byte-identical"
    if compared == 0:
        pytest.skip(f"no stdlib file identical to the recorded ones (reference from Python "
                    f"{_reference()['python']}, running {sys.version.split()[0]})")
    assert sum(bool(r["findings"]) for r in expected.values()) > 5, "the sample exercises real findings"


def _scan(code: str) -> list[tuple]:
    return [(f.rule, f.start_line, f.data.get("source")) for f in scan_document(parse(code, "python"), Config())]


def test_file_without_any_rule_word_runs_no_query() -> None:
    # (no `request` either: since issue 15 a function with a `request` parameter is a Django view whose
    # other parameters are taint sources, so its returns are XSS sink candidates)
    code = "def handler(payload, retries=3):\n    total = payload.get('kind')\n    return total\n"
    # findings_only, as scan_document plans: the `return` needle of the Tier B XSS sink (a view's return
    # value) occurs in most files, but without a taint source word no Tier B sink can report
    plan = plan_scan(parse(code, "python"), compiled("python"), findings_only=True)
    assert plan.empty, "no callee name and no needle of any rule occurs: the scan stops before any query"


def test_words_are_ascii_identifier_runs() -> None:
    assert word_set(b"os.system(cmd) + x_1$y") == {b"os", b"system", b"cmd", b"x_1", b"y"}, \
        "dots, parentheses, $ and spaces separate words"
    assert merge_spans([(900, 905), (0, 4), (10, 12)], gap=16) == [(0, 12), (900, 905)], \
        "close spans share one cursor run, far ones do not"


def test_alias_call_without_the_sink_name_is_found() -> None:
    code = "from os import system as run_it\ndef f(cmd):\n    run_it(cmd)\n"
    assert _scan(code) == [("py-os-system", 3, None)], "the query also runs around aliases of sink names"


def test_taint_through_an_alias_of_a_source() -> None:
    code = "from os import environ as E\nimport subprocess\n\ndef f():\n    subprocess.run(E['CMD'], shell=True)\n"
    assert _scan(code) == [("py-tainted-command", 5, "os.environ")], \
        "the function spells no source word, but E is an alias of os.environ: taint still runs"


def test_taint_only_in_the_function_that_reads_the_source() -> None:
    code = ("from flask import request as rq\n\ndef f(name):\n    return open('/data/' + name)\n\n"
            "def g():\n    return open('/data/' + rq.args['f'])\n")
    assert _scan(code) == [("py-tainted-path", 7, "flask.request.args")], \
        "open() is a Tier B sink: reported only in g, where the request value reaches it"


if __name__ == "__main__" and "--write" in sys.argv:
    write_reference()
