"""docs/rules.md must equal the output of ``python -m guardline.docs_rules`` (regenerate when rules change)."""

from __future__ import annotations

from pathlib import Path

from guardline.docs_rules import generate
from guardline.rules import all_rules

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == generate(), \
        "docs/rules.md is out of date: run `python -m guardline.docs_rules`"


def test_every_rule_has_an_anchor_equal_to_its_id() -> None:
    text = generate()
    for rule in all_rules():
        assert f'<a id="{rule.id}"></a>' in text, f"docs/rules.md#{rule.id} must resolve"
