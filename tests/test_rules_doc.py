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


def test_rules_page_ships_in_the_package_and_help_links_resolve_offline(tmp_path) -> None:
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    from guardline import rules
    from guardline.config import load_config
    from guardline.rules import PACKAGED_RULES_PAGE, rule_by_id
    assert Path(PACKAGED_RULES_PAGE).read_text(encoding="utf-8") == generate(), \
        "the packaged rules page is out of date: run `python -m guardline.docs_rules`"
    load_config(str(tmp_path))                                   # no docs_url: the packaged page
    uri = rule_by_id("cognitive").help_uri
    parsed = urlparse(uri)
    assert parsed.scheme == "file" and Path(url2pathname(parsed.path)).is_file(), uri
    assert parsed.fragment == "cognitive" and '<a id="cognitive"></a>' in Path(url2pathname(parsed.path)).read_text()
    (tmp_path / "guardline.toml").write_text('docs_url = "https://docs.example.com/guardline/rules.html"\n')
    try:
        load_config(str(tmp_path))
        assert rule_by_id("cognitive").help_uri == "https://docs.example.com/guardline/rules.html#cognitive"
    finally:
        rules.set_docs_url("")
