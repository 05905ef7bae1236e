"""`guardline agents install|uninstall <host>`: merged into existing settings without losing keys,
idempotent, and uninstall removes only guardline's entries."""

from __future__ import annotations

import json
import os
import stat

import pytest

from guardline.agents.install import InstallError, apply, plan
from guardline.cli import main

EXISTING_CLAUDE = {
    "permissions": {"allow": ["Bash(npm test)"]},
    "hooks": {"PostToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "prettier --write"}]}],
              "Notification": [{"hooks": [{"type": "command", "command": "notify-send hi"}]}]},
    "env": {"FOO": "1"},
}


def write_json(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=4))


def install(root, host, **kw):
    return apply(plan(host, str(root), **kw), "install")


def uninstall(root, host, **kw):
    return apply(plan(host, str(root), **kw), "uninstall")


def test_claude_round_trip_keeps_existing_keys_and_is_idempotent(tmp_path):
    settings = tmp_path / ".claude" / "settings.json"
    write_json(settings, EXISTING_CLAUDE)
    write_json(tmp_path / ".mcp.json", {"mcpServers": {"other": {"command": "x"}}})
    first = install(tmp_path, "claude", stop_gate=True)
    assert [what for _, what, _ in first] == ["updated", "updated"]
    data = json.loads(settings.read_text())
    assert data["permissions"] == EXISTING_CLAUDE["permissions"] and data["env"] == {"FOO": "1"}
    post = data["hooks"]["PostToolUse"]
    assert post[0] == EXISTING_CLAUDE["hooks"]["PostToolUse"][0], "the user's own hook is untouched"
    assert post[1] == {"matcher": "Write|Edit|MultiEdit",
                       "hooks": [{"type": "command", "command": "guardline hook claude", "timeout": 60}]}
    assert set(data["hooks"]) == {"PostToolUse", "Notification", "SessionStart", "Stop"}
    mcp = json.loads((tmp_path / ".mcp.json").read_text())
    assert mcp["mcpServers"] == {"other": {"command": "x"},
                                 "guardline": {"type": "stdio", "command": "guardline", "args": ["mcp"]}}
    snapshot = settings.read_text()
    assert [what for _, what, _ in install(tmp_path, "claude", stop_gate=True)] == ["unchanged", "unchanged"]
    assert settings.read_text() == snapshot, "installing twice writes nothing"
    uninstall(tmp_path, "claude")
    assert json.loads(settings.read_text()) == EXISTING_CLAUDE, "uninstall gives back exactly the user's settings"
    assert json.loads((tmp_path / ".mcp.json").read_text()) == {"mcpServers": {"other": {"command": "x"}}}


def test_files_guardline_created_are_removed_on_uninstall(tmp_path):
    install(tmp_path, "copilot", stop_gate=True)
    hooks = json.loads((tmp_path / ".github/hooks/guardline.json").read_text())
    assert hooks["version"] == 1
    assert hooks["hooks"]["postToolUse"][0]["bash"] == "guardline hook copilot --event postToolUse"
    assert hooks["hooks"]["agentStop"][0]["bash"] == "guardline hook copilot --event agentStop"
    uninstall(tmp_path, "copilot")
    assert not (tmp_path / ".github/hooks/guardline.json").exists()
    assert not (tmp_path / ".mcp.json").exists()


@pytest.mark.parametrize("host, path, key", [
    ("cursor", ".cursor/hooks.json", "hooks"), ("codex", ".codex/hooks.json", "hooks"),
    ("gemini", ".gemini/settings.json", "hooks"), ("vscode", ".github/hooks/guardline-vscode.json", "hooks"),
    ("windsurf", ".windsurf/hooks.json", "hooks")])
def test_every_json_host_round_trips_on_an_existing_file(tmp_path, host, path, key):
    target = tmp_path / path
    existing = {"theme": "dark", key: {"someEvent": [{"command": "echo mine"}]}}
    if host == "cursor":
        existing["version"] = 1
    write_json(target, existing)
    install(tmp_path, host, stop_gate=True)
    merged = json.loads(target.read_text())
    assert merged["theme"] == "dark" and merged[key]["someEvent"] == [{"command": "echo mine"}]
    assert f"guardline hook {host}" in target.read_text()
    text = target.read_text()
    install(tmp_path, host, stop_gate=True)
    assert target.read_text() == text, "idempotent"
    uninstall(tmp_path, host)
    assert json.loads(target.read_text()) == existing


def test_codex_mcp_block_in_config_toml(tmp_path):
    config = tmp_path / ".codex" / "config.toml"
    config.parent.mkdir()
    config.write_text('model = "gpt-5"\n\n[features]\nhooks = true\n')
    install(tmp_path, "codex")
    import tomllib
    parsed = tomllib.loads(config.read_text())
    assert parsed["model"] == "gpt-5" and parsed["mcp_servers"]["guardline"] == {"command": "guardline", "args": ["mcp"]}
    install(tmp_path, "codex")
    assert config.read_text().count("[mcp_servers.guardline]") == 1
    uninstall(tmp_path, "codex")
    assert config.read_text() == 'model = "gpt-5"\n\n[features]\nhooks = true\n'


def test_cline_scripts_and_someone_elses_script(tmp_path):
    install(tmp_path, "cline")
    script = tmp_path / ".clinerules/hooks/PostToolUse"
    assert script.read_text().startswith("#!/bin/sh\n") and "exec guardline hook cline" in script.read_text()
    assert os.stat(script).st_mode & stat.S_IXUSR, "Cline runs hooks as executables"
    uninstall(tmp_path, "cline")
    assert not script.exists()
    script.write_text("#!/bin/sh\necho mine\n")
    with pytest.raises(InstallError, match="not guardline's"):
        install(tmp_path, "cline")
    assert script.read_text() == "#!/bin/sh\necho mine\n"
    assert not (tmp_path / ".clinerules/hooks/PreToolUse").exists(), "nothing written when one file conflicts"


def test_aider_conf_block_and_conflict(tmp_path):
    conf = tmp_path / ".aider.conf.yml"
    conf.write_text("model: sonnet\n")
    install(tmp_path, "aider")
    assert 'lint-cmd:\n  - "guardline hook aider"' in conf.read_text()
    uninstall(tmp_path, "aider")
    assert conf.read_text() == "model: sonnet\n"
    conf.write_text("lint-cmd: flake8\n")
    with pytest.raises(InstallError, match="lint-cmd"):
        install(tmp_path, "aider")


def test_invalid_json_is_refused_not_overwritten(tmp_path):
    settings = tmp_path / ".gemini" / "settings.json"
    settings.parent.mkdir()
    settings.write_text("{ // a comment\n}")
    with pytest.raises(InstallError, match="not plain JSON"):
        install(tmp_path, "gemini")
    assert settings.read_text() == "{ // a comment\n}"


def test_cli_print_writes_nothing_and_user_scope(tmp_path, monkeypatch, capsys):
    assert main(["agents", "install", "claude", "--print", "--root", str(tmp_path)]) == 0
    assert '"command": "guardline hook claude"' in capsys.readouterr().out
    assert not (tmp_path / ".claude").exists()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert main(["agents", "install", "gemini", "--user"]) == 0
    assert (tmp_path / "home/.gemini/settings.json").exists()
    assert main(["agents", "install", "nosuch"]) == 2
