"""Configuration loading and validation."""

from __future__ import annotations

import pathlib

import pytest

from guardline.config import DEFAULTS, Config, ConfigError, find_config_file, load_config


def _keys(table: dict, prefix: str = "") -> list[str]:
    out = []
    for key, value in table.items():
        if isinstance(value, dict) and not prefix.startswith("thresholds"):
            out += _keys(value, f"{prefix}{key}.")
        else:
            out.append(f"{prefix}{key}")
    return out


def test_every_config_key_is_documented():
    doc = (pathlib.Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text()
    missing = [k for k in _keys(DEFAULTS) if not k.startswith("thresholds.") and f"`{k}`" not in doc
               and k.split(".")[-1] not in doc]
    assert not missing, f"keys missing from docs/configuration.md: {missing}"


def test_first_config_file_wins_and_pyproject_needs_the_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "guardline.toml").write_text("debounce_ms = 50\n")
    (tmp_path / ".guardline.toml").write_text("debounce_ms = 70\n")
    assert find_config_file(str(tmp_path)).endswith("guardline.toml"), "pyproject without [tool.guardline] skipped"
    assert load_config(str(tmp_path))["debounce_ms"] == 50


def test_thresholds_merge_key_by_key(tmp_path):
    (tmp_path / "guardline.toml").write_text("[thresholds.ai.cognitive]\nwarning = 8\n")
    config = load_config(str(tmp_path))
    assert config.limits("ai", "cognitive") == {"info": None, "warning": 8, "error": 15}, "error keeps its default"
    assert config.limits("human", "cognitive")["warning"] == 15


def test_editor_overrides_apply_on_top_of_the_file(tmp_path):
    (tmp_path / "guardline.toml").write_text("debounce_ms = 50\n")
    config = load_config(str(tmp_path), {"debounce_ms": 0, "duplication": {"enabled": False}})
    assert config["debounce_ms"] == 0 and config.get("duplication.enabled") is False
    assert config.get("duplication.min_tokens") == 50


@pytest.mark.parametrize("text, key", [
    ("foo = 1\n", "foo"),
    ("debounce_ms = 'fast'\n", "debounce_ms"),
    ("debounce_ms = -5\n", "debounce_ms"),
    ("ai_share = 1.5\n", "ai_share"),
    ("exclude = 'tests'\n", "exclude"),
    ("[thresholds.ai.cognitive]\ncritical = 3\n", "thresholds.ai.cognitive.critical"),
    ("[gate]\nfail_on = ['fatal']\n", "gate.fail_on"),
    ("[security]\nenabled = 'yes'\n", "security.enabled"),
])
def test_bad_config_names_key_and_file(tmp_path, text, key):
    (tmp_path / "guardline.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path))
    assert info.value.key == key
    assert str(tmp_path / "guardline.toml") in str(info.value)


def test_invalid_toml_is_a_clear_error(tmp_path):
    (tmp_path / "guardline.toml").write_text("debounce_ms = = 3\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(str(tmp_path))


def test_defaults_without_a_file(tmp_path):
    config = load_config(str(tmp_path))
    assert config.source is None and config["cyclomatic_profile"] == "guardline"
    assert isinstance(Config().values["thresholds"], dict)
