"""Every security rule's own positive and negative examples, in every language it declares.

A positive example must produce the rule's finding (or its Tier B upgrade, whose data names the rule
as ``sink_rule``); a negative example must produce neither.
"""

from __future__ import annotations

import pytest

from guardline.config import Config
from guardline.parsing import parse
from guardline.security import scan_document
from guardline.security.catalog import RULES as CATALOG
from guardline.security.engine import all_rules_by_language, compiled

# every off-by-default rule opted in, so that each rule's own examples are exercised
OPT_IN = sorted({r.id for rules in all_rules_by_language().values() for r in rules if not r.default_enabled})
ALL_ON = Config().with_overrides({"security": {"enabled_rules": OPT_IN}})


def _cases(kind: str) -> list:
    cases = []
    for language, rules in all_rules_by_language().items():
        for rule in rules:
            for index, example in enumerate(getattr(rule, kind)):
                cases.append(pytest.param(language, rule.id, example, id=f"{language}-{rule.id}-{index}"))
        for taint in compiled(language).spec.taint_rules:
            if language in taint.languages:
                for index, example in enumerate(getattr(taint, kind)):
                    cases.append(pytest.param(language, taint.id, example, id=f"{language}-{taint.id}-{index}"))
    return cases


def _hits(language: str, rule_id: str, code: str) -> list:
    findings = scan_document(parse(code, language), ALL_ON)
    return [f for f in findings if f.rule == rule_id or f.data.get("sink_rule") == rule_id]


@pytest.mark.parametrize("language,rule_id,code", _cases("positive"))
def test_positive_example_fires(language: str, rule_id: str, code: str) -> None:
    assert _hits(language, rule_id, code), f"{rule_id} must fire on its positive example:\n{code}"


@pytest.mark.parametrize("language,rule_id,code", _cases("negative"))
def test_negative_example_is_quiet(language: str, rule_id: str, code: str) -> None:
    assert not _hits(language, rule_id, code), f"{rule_id} must stay quiet on its negative example:\n{code}"


def test_every_reported_rule_has_examples_and_metadata() -> None:
    for language, rules in all_rules_by_language().items():
        for rule in rules:
            if rule.tier == "A":
                assert rule.positive and rule.negative, f"{rule.id} needs positive and negative examples"
                assert rule.cwe.startswith("CWE-") and rule.fix and rule.why, f"{rule.id} metadata incomplete"
                assert rule.id.split("-")[0] in ("py", "js", "go", "java", "c", "cs", "rb", "php"), rule.id


def test_catalog_ids_unique_and_kebab_case() -> None:
    ids = [r.id for r in CATALOG]
    assert len(ids) == len(set(ids)), "rule ids must be unique across languages"
    assert all(i == i.lower() and " " not in i and "_" not in i for i in ids), "ids are kebab-case"
    assert {"py-subprocess-shell", "js-eval", "go-tls-insecure-skip-verify", "secret-aws-access-key"} <= set(ids)


def test_off_by_default_rule_needs_opt_in() -> None:
    # py-assert-used is off by default (35% of bandit's stdlib findings, mostly noise)
    doc = parse("assert x\n", "python")
    assert not [f for f in scan_document(doc, Config()) if f.rule == "py-assert-used"]
    assert [f for f in scan_document(doc, ALL_ON) if f.rule == "py-assert-used"]


def test_disabled_rules_and_disabled_subsystem() -> None:
    doc = parse("import os\nos.system(cmd)\n", "python")
    assert [f.rule for f in scan_document(doc, Config())] == ["py-os-system"]
    off = Config().with_overrides({"security": {"disabled_rules": ["py-os-system"]}})
    assert scan_document(doc, off) == [], "a disabled rule reports nothing"
    assert scan_document(doc, Config().with_overrides({"security": {"enabled": False}})) == []


def test_every_rule_query_compiles_and_only_when_a_document_needs_it() -> None:
    """Rule queries compile lazily (a first analysis compiled every rule of its language: 0.2 s for C#),
    so a broken query would only fail on a document with the rule's needles: compile them all here.
    A document without any rule's needles compiles none."""
    for language in all_rules_by_language():
        comp = compiled(language)
        for rule in comp.query_rules:
            assert comp.rule_query(rule) is comp.rule_query(rule), f"{language} {rule.id}: compiled once"
    compiled.cache_clear()
    python = compiled("python")
    scan_document(parse("def add(a, b):\n    return a + b\n", "python"), ALL_ON)
    assert python._rule_query_cache == {}, "no rule's needles in this code: no rule query compiled"
    compiled.cache_clear()


@pytest.mark.parametrize("code, expected", [
    ("function later(code: string) { setTimeout(code, 100); }\n", True),         # a string parameter
    ("function later(code?: string) { setInterval(code, 100); }\n", True),
    ("const code: string = load();\nsetTimeout(code, 5);\n", True),              # module level
    ("function later(fn: () => void) { setTimeout(fn, 100); }\n", False),         # a function
    ("function later(code: string, fn: () => void) { setTimeout(fn, 100); }\n", False),   # another name
])
def test_a_typescript_timer_given_a_string_typed_name_is_code_as_a_string(code: str, expected: bool) -> None:
    """js-string-timer: in TypeScript the declared type says a name holds a string, which the timer
    evaluates like eval (JavaScript has no such declaration: only string-built arguments count there;
    the rule's examples run in JavaScript too, so these TypeScript cases live here)."""
    assert bool(_hits("typescript", "js-string-timer", code)) is expected
