"""Every node-type string in every per-language table names a node kind of its grammar.

A misspelt or renamed node type never matches anything and fails silently (a decision that is not
counted, a constant that is not folded), so the tables are checked against the grammars themselves
(``Language.node_kind_count`` / ``node_kind_for_id``, named and anonymous kinds). Tables: the metric
specs (guardline.languages), the cyclomatic profiles (guardline.metrics.profiles), the duplication
token tables (guardline.duplication.lang), the security specs (guardline.security.rules, whose
queries tree-sitter itself validates when they compile). Origin has no node-type table: its
per-language facts are the registry's comment syntax (checked here to be the one origin reads).
"""

from __future__ import annotations

import dataclasses
import functools

import pytest

from guardline.duplication.lang import TokenTable, table_for
from guardline.languages import LANGUAGES, REGISTRY, get_spec, ts_language
from guardline.languages.base import LanguageSpec
from guardline.metrics.profiles import lizard, radon
from guardline.security import engine as security

NAMES = [row.name for row in LANGUAGES]

# Every set of a LanguageSpec (guardline.languages.base) or TokenTable holds node types (operator
# texts too: an operator is an anonymous node of that type), every dict is keyed by node type: a field
# added later is checked without touching this test.
METRIC_FIELDS = tuple(f.name for f in dataclasses.fields(LanguageSpec))
TOKEN_FIELDS = tuple(f.name for f in dataclasses.fields(TokenTable))
SECURITY_FIELDS = ("function_types", "const_leaves", "composites", "identifier_types", "string_types",
                   "arg_wrappers", "keyword_types", "comment_types", "taint_source_types", "return_types",
                   "block_types", "if_types", "ternary_types", "loop_types", "decorated_types",
                   "param_name_types", "list_types")


@functools.cache
def kinds(language: str) -> frozenset[str]:
    grammar = ts_language(language)
    return frozenset(grammar.node_kind_for_id(i) for i in range(grammar.node_kind_count))


def unknown(types, language: str) -> list[str]:
    return sorted(set(types) - kinds(language))


@pytest.mark.parametrize("language", NAMES)
def test_metric_tables_name_node_kinds_of_their_grammar(language):
    spec = get_spec(language)
    checked = 0
    for name in METRIC_FIELDS:
        value = getattr(spec, name)
        if not isinstance(value, (frozenset, dict)):
            continue       # hooks, flags, field names
        checked += 1
        assert not unknown(value, language), \
            f"{language} LanguageSpec.{name}: {unknown(value, language)} are no node kinds of its grammar"
    assert checked >= 15, "the node-type tables of a LanguageSpec were found"
    for node_type, rule in spec.cog_rules.items():
        assert not unknown(rule.nested_types, language), f"{language} cog_rules[{node_type}].nested_types"


@pytest.mark.parametrize("language", NAMES)
def test_profile_tables_name_node_kinds_of_their_grammar(language):
    rules = lizard.rules_for(language)
    assert rules is not None, f"{language}: every registry language has a lizard reader"
    for name in ("tokens", "opaque"):
        assert not unknown(getattr(rules, name), language), f"{language} lizard {name}"
    radon_rules = radon.RULES.get(language)
    if radon_rules is not None:
        assert not unknown(radon_rules.nodes, language) and not unknown(radon_rules.opaque, language)


@pytest.mark.parametrize("language", NAMES)
def test_token_tables_name_node_kinds_of_their_grammar(language):
    table = table_for(language)
    for name in TOKEN_FIELDS:
        assert not unknown(getattr(table, name), language), f"{language} TokenTable.{name}"


def _security_defaults() -> dict[str, object]:
    out: dict[str, object] = {}
    for spec_field in dataclasses.fields(security.LanguageSpec):
        if spec_field.default is not dataclasses.MISSING:
            out[spec_field.name] = spec_field.default
        elif spec_field.default_factory is not dataclasses.MISSING:
            out[spec_field.name] = spec_field.default_factory()
    return out


SECURITY_MODULES = sorted({row.security for row in LANGUAGES if row.security is not None})


@pytest.mark.parametrize("module", SECURITY_MODULES)
def test_security_tables_name_node_kinds_of_their_grammars(module):
    """A security spec may serve several grammars (JavaScript's serves TypeScript and TSX, C's serves
    C++): each of its node types must exist in at least one of them. The engine's defaults are shared
    by every language (a union of statement types), so each default entry must exist in some grammar."""
    languages = [row.name for row in LANGUAGES if row.security == module]
    spec = security.spec_for(languages[0])
    served = frozenset().union(*(kinds(language) for language in languages))
    every = frozenset().union(*(kinds(language) for language in NAMES))
    defaults = _security_defaults()
    for name in SECURITY_FIELDS:
        value = getattr(spec, name)
        allowed = every if value == defaults[name] else served
        missing = sorted(set(value) - allowed)
        assert not missing, f"security.rules.{module} {name}: {missing} are no node kinds of {languages}"
    if spec.object_kwargs is not None:
        assert not sorted(set(spec.object_kwargs[:2]) - served), f"security.rules.{module} object_kwargs"
    for language in languages:
        assert security.compiled(language) is not None, f"{language}: every query compiles against its grammar"


def test_origin_reads_the_registry_comment_syntax():
    from guardline.origin import comments
    assert comments.COMMENT_SYNTAX is not None
    for row in LANGUAGES:
        assert comments.COMMENT_SYNTAX[row.name] is REGISTRY[row.name].comments, \
            f"{row.name}: one comment syntax per language (the registry row's)"


def test_the_check_catches_a_misspelt_node_type():
    """The check itself can fail: a type the grammar does not have is reported."""
    assert unknown({"if_statement", "if_statment"}, "python") == ["if_statment"]
