"""The VS Code extension (editors/vscode): its unit tests, its settings against config.DEFAULTS, and an
end-to-end run in the real VS Code workbench (code-server 4.100.3 in headless Chromium, offline install by
tests/e2e/vscode/setup.sh, cached under ~/.cache/guardline-e2e) against a git workspace whose history
tags one file as written with Claude Code and one as written by a person.

Screenshots and the driver's JSON go to artifacts/vscode-e2e/ (gitignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from guardline.config import DEFAULTS, load_config

REPO = Path(__file__).resolve().parents[1]
EXT_DIR = REPO / "editors" / "vscode"
E2E_DIR = REPO / "tests" / "e2e" / "vscode"
VSIX = EXT_DIR / "guardline.vsix"
ARTIFACTS = REPO / "artifacts" / "vscode-e2e"
NPM = shutil.which("npm")
NODE = shutil.which("node")

needs_node = pytest.mark.skipif(not (NPM and NODE), reason="node/npm not installed (the Makefile's vscode target needs them)")


def _run(argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, timeout=timeout, capture_output=True, text=True, check=False)


def _ensure_node_modules() -> None:
    if not (EXT_DIR / "node_modules" / ".package-lock.json").exists():
        proc = _run([NPM or "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], EXT_DIR, 600)
        assert proc.returncode == 0, f"npm ci failed:\n{proc.stderr[-3000:]}"


# ---- unit tests of the pure logic (node --test) ---------------------------------------------------------

@needs_node
def test_extension_unit_tests_pass() -> None:
    """Server discovery, settings mapping, summary text and shading plan: `npm test` (node --test)."""
    _ensure_node_modules()
    proc = _run([NPM or "npm", "test", "--silent"], EXT_DIR, 300)
    assert proc.returncode == 0, f"node --test failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}"
    assert re.search(r"^# fail 0$", proc.stdout, re.M), "every node test passes"


_MAP_DEFAULTS_JS = r"""
const esbuild = require('esbuild');
const pkg = require('./package.json');
const out = esbuild.buildSync({ entryPoints: ['src/settings.ts'], bundle: true, write: false, format: 'cjs', platform: 'node' });
const m = { exports: {} };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(m, m.exports, require);
const props = pkg.contributes.configuration.properties;
const settings = {};
for (const [k, v] of Object.entries(props)) settings[k.replace(/^guardline\./, '')] = v.default;
process.stdout.write(JSON.stringify({ mapped: m.exports.settingsToConfig(settings), names: Object.keys(props) }));
"""


def _leaves(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    stack = [(prefix, tree)]
    while stack:
        base, node = stack.pop()
        for key, value in node.items():
            if isinstance(value, dict):
                stack.append((f"{base}{key}.", value))
            else:
                out[f"{base}{key}"] = value
    return out


@needs_node
def test_settings_mirror_every_config_key(tmp_path: Path) -> None:
    """Every key of config.DEFAULTS has a contributed setting whose default, mapped by the extension's
    settingsToConfig, equals the Python default; and the server's config loader accepts the mapped shape."""
    _ensure_node_modules()
    proc = _run([NODE or "node", "-e", _MAP_DEFAULTS_JS], EXT_DIR, 120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    mapped = json.loads(proc.stdout)["mapped"]
    want, got = _leaves(DEFAULTS), _leaves(mapped)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert not missing, f"config keys without a VS Code setting (add them in scripts/contributes.mjs): {missing}"
    assert not extra, f"VS Code settings that are no server config key: {extra}"
    wrong = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
    assert not wrong, f"setting defaults differ from config.DEFAULTS (setting, python): {wrong}"
    config = load_config(str(tmp_path), overrides=mapped)   # raises ConfigError on a bad key or type
    assert config.get("thresholds.ai.cognitive.warning") == 10, "the spec's AI cognitive warning limit"


# ---- end-to-end in the real VS Code workbench ---------------------------------------------------------------

AI_FILE = "billing.py"
HUMAN_FILE = "util.py"

AI_SOURCE = textwrap.dedent('''\
    """Invoice rules."""


    def invoice_number(prefix, seq):
        return f"{prefix}-{seq:06d}"


    def apply_discounts(order, customer, coupons, today):
        total = 0
        for item in order.items:
            if item.quantity <= 0:
                continue
            price = item.price
            if customer.tier == "gold":
                if item.category in ("books", "music"):
                    price *= 0.8
                elif item.category == "food" and today.weekday() == 5:
                    price *= 0.9
                else:
                    price *= 0.95
            elif customer.tier == "silver" or customer.years > 5:
                price *= 0.97
            for coupon in coupons:
                if coupon.applies_to(item) and not coupon.expired(today):
                    if coupon.percent:
                        price -= price * coupon.percent / 100
                    else:
                        price -= coupon.amount
            total += max(price, 0) * item.quantity
        if total > 1000 and customer.tier != "gold":
            total -= 25
        return round(total, 2)
''')

CLONED_FUNCTION = textwrap.dedent('''\
    def format_address(street, number, postcode, city, country):
        parts = [street.strip().title(), str(number).strip(), postcode.replace(" ", "").upper()]
        line = " ".join(part for part in parts if part)
        if not line:
            raise ValueError("empty address line")
        town = city.strip().title() + ", " + country.strip().upper()
        if len(town) > 40:
            town = town[:37] + "..."
        label = [line, town]
        return "\\n".join(item for item in label if item)
''')

HUMAN_SOURCE = textwrap.dedent('''\
    """Small helpers, written by hand."""


    def clamp(value, low, high):
        if value < low:
            return low
        if value > high:
            return high
        return value


''') + CLONED_FUNCTION
DUP_LINE = HUMAN_SOURCE.splitlines().index(CLONED_FUNCTION.splitlines()[0]) + 2   # 1-based, inside the function
TS_FILE = "cart.ts"
TS_SOURCE = textwrap.dedent('''\
    export function total(items: number[], rush: boolean): number {
      let sum = 0;
      for (const item of items) {
        if (item > 0 && rush) {
          sum += item;
        }
      }
      return sum;
    }
''')
SHIPPING_FILE = "shipping.py"
SHIPPING_SOURCE = '"""Shipping labels (a copy-pasted helper)."""\n\n\n' + CLONED_FUNCTION

EDIT_LINE = AI_SOURCE.splitlines().index("    total = 0") + 1   # 1-based line of `total = 0`
# typed after `total = 0` (the editor keeps the indentation): one more `if` at nesting 0 adds 1 to cognitive
EDIT_LINES = ["if order.rush:", "total += 5"]

AI_MESSAGE = ("Add invoice discount rules\n\n"
              "\U0001f916 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
              "Co-Authored-By: Claude <noreply@anthropic.com>\n")


def _git(ws: Path, *args: str, env: dict[str, str]) -> None:
    proc = subprocess.run(["git", *args], cwd=ws, env=env, capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0, f"git {args}: {proc.stderr}"


def _make_workspace(ws: Path) -> None:
    """A human commit (util.py, shipping.py with a copy of its format_address, cart.ts) then a Claude Code commit
    (billing.py: a trivial function and a complex one)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ada Human", "GIT_AUTHOR_EMAIL": "ada@example.com",
           "GIT_COMMITTER_NAME": "Ada Human", "GIT_COMMITTER_EMAIL": "ada@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(ws.parent)}
    ws.mkdir()
    _git(ws, "init", "-q", "-b", "main", env=env)
    (ws / HUMAN_FILE).write_text(HUMAN_SOURCE)
    (ws / SHIPPING_FILE).write_text(SHIPPING_SOURCE)
    (ws / TS_FILE).write_text(TS_SOURCE)
    _git(ws, "add", "--", HUMAN_FILE, SHIPPING_FILE, TS_FILE, env=env)
    _git(ws, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "Add clamp helper", env=env)
    (ws / AI_FILE).write_text(AI_SOURCE)
    _git(ws, "add", "--", AI_FILE, env=env)
    _git(ws, "-c", "commit.gpgsign=false", "commit", "-q", "-m", AI_MESSAGE, env=env)


def _server_path(tmp: Path) -> tuple[str, str]:
    """The checkout's own `guardline` (its .venv); until `guardline serve` exists, a wrapper running
    `python -m guardline.lsp` from the same venv."""
    venv_bin = REPO / ".venv" / "bin"
    if not (venv_bin / "python").exists():
        venv_bin = Path(sys.executable).parent
    guardline = venv_bin / "guardline"
    if guardline.exists():
        probe = subprocess.run([str(guardline), "serve", "--help"], capture_output=True, text=True, timeout=60, check=False)
        if probe.returncode == 0:
            return str(guardline), "guardline serve"
    wrapper = tmp / "guardline-lsp-wrapper"
    wrapper.write_text(f'#!/bin/sh\n[ "$1" = serve ] && shift\nexec "{venv_bin / "python"}" -m guardline.lsp "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper), "python -m guardline.lsp (wrapper: guardline serve is not available yet)"


def _setup_harness() -> None:
    if os.geteuid() != 0 and not shutil.which("chromium"):
        pytest.skip("Debian chromium is missing and apt-get needs root: the VS Code e2e cannot be installed")
    proc = _run(["bash", str(E2E_DIR / "setup.sh")], REPO, 900)
    assert proc.returncode == 0, f"tests/e2e/vscode/setup.sh failed:\n{proc.stderr[-4000:]}"
    if not VSIX.exists():
        _ensure_node_modules()
        build = _run([NPM or "npm", "run", "-s", "package"], EXT_DIR, 600)
        assert build.returncode == 0, f"npm run package failed:\n{build.stderr[-3000:]}"


def _drive(tmp: Path, name: str, extra_env: dict[str, str], settings: dict[str, Any]) -> dict[str, Any]:
    """Runs the driver once (fresh VS Code profile) on a new sample workspace; returns its JSON."""
    _setup_harness()
    ws = tmp / "shop"
    _make_workspace(ws)
    out = ARTIFACTS / name
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VSIX": str(VSIX), "WORKSPACE": str(ws), "OUT_DIR": str(out), "TIMEOUT_MS": "30000",
           "EXTRA_SETTINGS": json.dumps(settings), **extra_env}
    proc = _run(["node", str(E2E_DIR / "run_vscode.mjs")], REPO, 420, env=env)
    try:
        result = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"driver printed no JSON (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    assert proc.returncode == 0 and "error" not in result, f"VS Code harness failed: {result.get('error')}"
    result["workspace"] = str(ws)
    return result


@pytest.fixture(scope="module")
def vscode_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not (NPM and NODE):
        pytest.skip("node/npm not installed")
    tmp = tmp_path_factory.mktemp("vscode-e2e")
    server, how = _server_path(tmp)
    result = _drive(tmp, "main", {"FILES": f"{AI_FILE} {HUMAN_FILE} {TS_FILE}", "CLEAN_FILES": f"{HUMAN_FILE} {TS_FILE}",
                                  "EXPLAIN_LENS": "Cog [1-9][0-9]", "DUP_AT": f"{HUMAN_FILE}:{DUP_LINE}",
                                  "EDIT_AT": f"{AI_FILE}:{EDIT_LINE}", "EDIT_LINES": json.dumps(EDIT_LINES),
                                  "EDIT_WATCH": "Cognitive complexity", "RESTART": "1"},
                    {"guardline.server.path": server, **FORWARDED_SETTING})
    result["server"] = how
    (ARTIFACTS / "main" / "result.json").write_text(json.dumps(result, indent=1))
    return result


@pytest.fixture(scope="module")
def vscode_missing_server(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not (NPM and NODE):
        pytest.skip("node/npm not installed")
    tmp = tmp_path_factory.mktemp("vscode-e2e-missing")
    return _drive(tmp, "missing-server", {"FILES": AI_FILE, "SCENARIO": "missing-server"},
                  {"guardline.server.path": str(tmp / "no-such-guardline")})


# Raises the AI cognitive error limit from 15 to 30: cognitive 26 must then be a *warning* over the AI warning
# limit (10), which proves the setting reached the server (workspace/configuration / initializationOptions).
FORWARDED_SETTING = {"guardline.thresholds.ai.cognitive.error": 30}


def _file(run: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in run["files"] if f["file"] == name)


@pytest.mark.e2e
def test_squiggle_with_guardline_message(vscode_run: dict[str, Any]) -> None:
    """The AI-written function exceeds the AI cognitive limit (10 warning / 15 error): a squiggle is drawn and
    its hover / the Problems row carry guardline's message with value, limit and why."""
    rec = _file(vscode_run, AI_FILE)
    assert rec["t_open_to_squiggle_ms"] is not None, f"no squiggle in {AI_FILE}: {vscode_run['log']}"
    seen = " ".join([rec.get("squiggle_hover") or "", *rec.get("problems_panel", [])])
    assert "guardline" in seen, f"the diagnostic's source is guardline: {seen!r}"
    assert re.search(r"[Cc]ognitive complexity \d+ > \d+", seen), f"message says value > limit: {seen!r}"


@pytest.mark.e2e
def test_code_lens_text(vscode_run: dict[str, Any]) -> None:
    """A code lens above each function: `CC n · Cog n · MI n` (spec, Editor behaviour)."""
    lenses = _file(vscode_run, AI_FILE)["codelens_text"]
    assert any(re.search(r"CC \d+ · Cog \d+", t) for t in lenses), f"code lens text: {lenses}"


@pytest.mark.e2e
def test_typescript_is_served_too(vscode_run: dict[str, Any]) -> None:
    """The extension activates for TypeScript (one of the 13 languages): cart.ts gets guardline's code lens."""
    lenses = _file(vscode_run, TS_FILE)["codelens_text"]
    assert any(re.search(r"CC \d+ · Cog \d+", t) for t in lenses), f"code lens text in {TS_FILE}: {lenses}"


@pytest.mark.e2e
def test_ai_gutter_decoration_only_on_ai_code(vscode_run: dict[str, Any]) -> None:
    """billing.py came from a Claude Code commit: its lines get the AI gutter mark (the strong one, since the
    function exceeds a limit); util.py came from a human commit: none."""
    ai = _file(vscode_run, AI_FILE)
    assert ai["ai_gutter"], f"no AI gutter mark in {AI_FILE}: {vscode_run['log']}"
    assert any(g["icon"] == "exceeds" for g in ai["ai_gutter"]), "the complex AI function is shaded strongly"
    assert _file(vscode_run, HUMAN_FILE)["ai_gutter"] == [], "human-written code is not shaded"


@pytest.mark.e2e
def test_hover_shows_ai_origin(vscode_run: dict[str, Any]) -> None:
    """Hovering an AI-attributed line shows the tool (Claude Code) and the evidence."""
    hover = _file(vscode_run, AI_FILE).get("squiggle_hover") or ""
    assert "AI-generated code" in hover and "Claude" in hover, f"hover text: {hover!r}"


@pytest.mark.e2e
def test_status_bar_summary(vscode_run: dict[str, Any]) -> None:
    """The status bar shows guardline's summary with the findings and the AI share of analysed lines."""
    texts = [i["text"] + " " + i["aria"] for i in vscode_run["status_bar"]]
    summary = [t for t in texts if "guardline" in t and "AI" in t and "%" in t]
    assert summary, f"status bar items: {texts}"


@pytest.mark.e2e
def test_status_bar_toggle_turns_shading_off(vscode_run: dict[str, Any]) -> None:
    toggle = vscode_run["toggle"]
    assert toggle.get("gutter_before", 0) > 0, f"shading before the toggle: {toggle}"
    assert toggle["gutter_after"] == 0, "clicking the AI status bar item removes the gutter marks"
    assert toggle["gutter_on_again"] > 0, "clicking it again restores them"


@pytest.mark.e2e
def test_code_lens_click_explains(vscode_run: dict[str, Any]) -> None:
    """Clicking the code lens runs guardline.explain; the extension opens the markdown in a preview."""
    assert "tab" in vscode_run["explain"], f"explain: {vscode_run['explain']}"


@pytest.mark.e2e
def test_status_bar_click_opens_report(vscode_run: dict[str, Any]) -> None:
    """Clicking the summary runs guardline.openReport: the HTML report opens in a tab, or, when the server
    says it is unavailable, the (hidden) Problems view is shown instead."""
    report = vscode_run["report"]
    assert report.get("problems_visible_before") is False, f"the panel was hidden before the click: {report}"
    assert report.get("report_tab") or report.get("problems_visible"), f"report: {report}"


@pytest.mark.e2e
def test_missing_server_is_a_clear_notification(vscode_missing_server: dict[str, Any]) -> None:
    """A server path that points nowhere is not a silent failure: a notification names the setting, gives the
    install command, and its button opens the setting."""
    note = vscode_missing_server["notification"]
    # guardline is not on a package index: the step that works installs it from its repository, said once
    assert note.get("text", "").count("pipx install /path/to/guardline") == 1, f"notification: {note}"
    assert note["text"].count("Install") == 1, f"one install step, not two: {note}"
    assert "guardline.server.path" in note["text"], "the notification names the setting at fault"
    assert "Open setting" in note["buttons"], f"buttons: {note['buttons']}"
    rows = vscode_missing_server["settings_editor"]["rows"]
    assert any("Server: Path" in r for r in rows), f"the settings editor shows guardline.server.path: {rows}"


@pytest.mark.e2e
def test_show_duplicates_peeks_the_copy(vscode_run: dict[str, Any]) -> None:
    """format_address in util.py has a copy in shipping.py: "Show Duplicates of This Function" peeks it."""
    dup = vscode_run["duplicates"]
    seen = " ".join([dup.get("peek_title", ""), *dup.get("peek_rows", [])])
    assert SHIPPING_FILE in seen, f"peek view: {dup}"


@pytest.mark.e2e
def test_settings_reach_the_server(vscode_run: dict[str, Any]) -> None:
    """With guardline.thresholds.ai.cognitive.error = 30, apply_discounts (cognitive 26, AI) is reported against
    the AI warning limit 10, not the default error limit 15."""
    rows = _file(vscode_run, AI_FILE)["problems_panel"]
    cognitive = [r for r in rows if "Cognitive complexity" in r]
    assert cognitive and all("> 10" in r for r in cognitive), f"Problems rows: {rows}"


@pytest.mark.e2e
def test_typing_updates_findings_and_keeps_shading(vscode_run: dict[str, Any]) -> None:
    """Typing an `if` at nesting 0 into apply_discounts adds exactly 1 to its cognitive complexity: the Problems
    row follows the unsaved edit, and the AI shading is still there afterwards."""
    edit = vscode_run["edit"]
    value = lambda row: int(re.search(r"Cognitive complexity (\d+) >", row).group(1))  # noqa: E731
    assert "row" in edit, f"no update after the edit: {edit}"
    assert value(edit["row"]) == value(edit["row_before"]) + 1, f"before/after: {edit}"
    assert edit["ai_gutter_after"] > 0, "the AI shading survives the edit"


@pytest.mark.e2e
def test_restart_server_command(vscode_run: dict[str, Any]) -> None:
    """"guardline: Restart Server" starts a second `guardline serve` (see the guardline output channel) and the
    status bar summary comes back."""
    assert vscode_run["restart"].get("summary_back"), f"restart: {vscode_run['restart']}"
    logs = list((ARTIFACTS / "main" / "logs").rglob("*guardline.log"))
    assert logs, "VS Code wrote the guardline output channel to its logs"
    starts = sum(line.startswith("starting ") for log in logs for line in log.read_text().splitlines())
    assert starts == 2, f"one server start at activation + one for the restart, got {starts}"


@pytest.mark.e2e
def test_inlay_hint_shows_the_cognitive_score(vscode_run: dict[str, Any]) -> None:
    """guardline.editor.inlayHints defaults to over-limit: apply_discounts (over the AI warning limit) gets a
    `cog N` hint after its name, N being its cognitive score (the code lens says the same); invoice_number
    (cognitive 0, under every limit) gets none."""
    rec = _file(vscode_run, AI_FILE)
    hints = [h["text"] for h in rec["inlay_hints"]]
    lens = next(m for t in rec["codelens_text"] if (m := re.search(r"Cog (\d+)", t)) and int(m.group(1)) > 10)
    assert hints == [f"cog {lens.group(1)}"], f"one hint, on the function over the limit: {hints} (lenses {rec['codelens_text']})"
    assert _file(vscode_run, HUMAN_FILE)["inlay_hints"] == [], "util.py has no function over a limit: no hint"


@pytest.mark.e2e
def test_a_clone_is_one_diagnostic_on_the_function_header(vscode_run: dict[str, Any]) -> None:
    """format_address is copied in shipping.py: util.py gets one duplicate-code diagnostic, on the function's
    name (not a squiggle over its 10 lines), and the file's duplication share once, as information."""
    rows = _file(vscode_run, HUMAN_FILE)["problems_panel"]
    clones = [r for r in rows if "Duplicated block" in r and f"also at {SHIPPING_FILE}" in r]
    assert len(clones) == 1, f"one diagnostic for the clone: {rows}"
    header = DUP_LINE - 1   # 1-based line of `def format_address`
    assert f"[Ln {header}, Col 5]" in clones[0], f"on the name after `def `: {clones[0]}"
    shares = [r for r in rows if "File duplication" in r and HUMAN_FILE not in r]
    assert len(shares) == 1, f"the file's duplication share, once: {rows}"


SUMMARY_ARIA = re.compile(r"guardline: (\d+) errors?, (\d+) warnings?, (\d+) info, (\d+) hints?")


@pytest.mark.e2e
def test_status_bar_counts_equal_check_on_the_same_workspace(vscode_run: dict[str, Any], tmp_path: Path) -> None:
    """The settled status bar (scan complete, clone pass done, three files open and unmodified) counts what
    `guardline check` counts on the same files with the same config (the forwarded setting as a config file)."""
    match = SUMMARY_ARIA.search(vscode_run["summary_settled"])
    assert match, f"summary label: {vscode_run['summary_settled']!r}"
    shown = dict(zip(("error", "warning", "info", "hint"), map(int, match.groups())))
    copy = tmp_path / "shop"
    shutil.copytree(vscode_run["workspace"], copy, ignore=shutil.ignore_patterns(".guardline"))
    (copy / "guardline.toml").write_text("[thresholds.ai.cognitive]\nerror = 30\n")   # = FORWARDED_SETTING
    venv_bin = REPO / ".venv" / "bin" if (REPO / ".venv" / "bin" / "guardline").exists() else Path(sys.executable).parent
    proc = subprocess.run([str(venv_bin / "guardline"), "check", "--format", "json", "--no-cache", "."], cwd=copy,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    counts = json.loads(proc.stdout)["summary"]["findings_by_severity"]
    expected = {s: counts.get(s, 0) for s in shown}
    assert expected["info"] >= 1 and expected["warning"] >= 1, f"check sees the clone and the cognitive warning: {expected}"
    assert shown == expected, f"status bar {shown} vs guardline check {expected}"


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: list[float], bg: list[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (1 .. 21)."""
    high, low = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert round(contrast([0, 0, 0], [255, 255, 255]), 1) == 21.0, "black on white"
    assert round(contrast([118, 118, 118], [255, 255, 255]), 2) == 4.54, "#767676 on white: the AA threshold grey"


@pytest.mark.e2e
@pytest.mark.parametrize("run,state", [("vscode_run", "neutral"), ("vscode_missing_server", "error")])
def test_status_bar_contrast_is_at_least_4_5_in_light_and_dark_themes(run: str, state: str,
                                                                     request: pytest.FixtureRequest) -> None:
    """The summary item's text on its background, as rendered in Default Light Modern and Default Dark Modern:
    neutral (the theme's status bar colours: no errors in this workspace) and the error pair (server missing)."""
    colours = request.getfixturevalue(run)["colours"]
    assert set(colours) == {"light", "dark"}, f"measured in both themes: {colours}"
    for theme, measured in colours.items():
        ratio = contrast(measured["foreground"], measured["background"])
        assert ratio >= 4.5, f"{state} in the {theme} theme: {ratio:.2f}:1 ({measured})"
        has_background = measured["item_background"] not in ("rgba(0, 0, 0, 0)", "transparent")
        assert has_background == (state == "error"), f"{state}: the item's own background {measured}"
