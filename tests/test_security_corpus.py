"""Recall and false positives of the security scan on the labelled corpus in tests/data/security/.

Every vulnerable line there ends with ``expect: RULE-ID`` and every safe line that looks dangerous with
``ok`` (see tests/data/security/README.md). The targets are the issue's (15): recall >= 80% in every
language and >= 60% in every category, false positives <= 8% of the safe lines in every language.
The table is printed (``pytest -s``); bench/security_bench.py prints it next to bandit and semgrep.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from guardline.config import Config
from guardline.parsing import parse
from guardline.rules import all_rules
from guardline.security import scan_document, scan_secrets
from guardline.security.corpus import Labels, corpus_files, read_labels, score, table

CORPUS = Path(__file__).parent / "data" / "security"
LANGUAGE_RECALL = 0.80
CATEGORY_RECALL = 0.60
MAX_FP_RATE = 0.08
RULES = {rule.id: rule for rule in all_rules()}


def category_of(rule_id: str) -> str:
    rule = RULES.get(rule_id)
    return (rule.security_category or rule.category) if rule else "unknown"


def guardline_findings(labels: Labels) -> list[tuple[str, int]]:
    """(rule, line) of every security finding; a taint finding also counts as its sink rule. Secrets are
    scanned with the path relative to the corpus (as the CLI would in a project that is not a test)."""
    text = Path(labels.path).read_text(encoding="utf-8")
    relative = str(Path(labels.path).relative_to(CORPUS))
    findings = scan_document(parse(text, labels.language), Config()) + scan_secrets(text, relative)
    out = [(f.rule, f.start_line) for f in findings if f.category == "security"]
    out += [(f.data["sink_rule"], f.start_line) for f in findings if f.category == "security" and f.data.get("sink_rule")]
    return out


@pytest.fixture(scope="module")
def labelled() -> list[Labels]:
    found = [read_labels(path) for path in corpus_files(str(CORPUS))]
    return [labels for labels in found if labels is not None]


@pytest.fixture(scope="module")
def result(labelled):  # noqa: ANN001, ANN201
    scored = score(labelled, guardline_findings, category_of)
    print("\n" + table(scored))
    return scored


def test_corpus_labels_name_real_rules(labelled) -> None:  # noqa: ANN001
    unknown = sorted({(Path(lb.path).name, rule) for lb in labelled for rules in lb.expected.values()
                      for rule in rules if rule not in RULES})
    assert not unknown, f"expect: markers must name catalog rules (typo or removed rule): {unknown}"
    assert sum(len(lb.expected) for lb in labelled) >= 100 and sum(len(lb.safe) for lb in labelled) >= 60, \
        "the corpus is large enough for its percentages to mean something"


def test_recall_per_language(result) -> None:  # noqa: ANN001
    low = {lang: f"{t.recall:.0%}" for lang, t in result.by_language.items() if t.recall < LANGUAGE_RECALL}
    assert not low, f"recall under {LANGUAGE_RECALL:.0%}: {low}; misses: {result.misses[:40]}"


def test_recall_per_category(result) -> None:  # noqa: ANN001
    low = {cat: f"{t.recall:.0%}" for cat, t in result.by_category.items() if t.recall < CATEGORY_RECALL}
    assert not low, f"recall under {CATEGORY_RECALL:.0%}: {low}; misses: {result.misses[:40]}"


def test_false_positives_per_language(result) -> None:  # noqa: ANN001
    high = {lang: f"{t.fp_rate:.1%}" for lang, t in result.by_language.items() if t.fp_rate > MAX_FP_RATE}
    assert not high, f"false positives over {MAX_FP_RATE:.0%}: {high}; lines: {result.false_positives[:40]}"


def test_every_finding_is_on_a_labelled_line(result) -> None:  # noqa: ANN001
    # a finding on an unmarked line is either a missing label or noise: both must be decided explicitly
    assert not result.unlabelled, f"label these lines (expect: or ok): {result.unlabelled[:40]}"
