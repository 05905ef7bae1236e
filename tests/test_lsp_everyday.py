"""Everyday editor behaviour (issue 20): one short diagnostic per clone, the file duplication share as
information, workspace-relative related locations, inlay hints, hover order, one `allow` directive
for several rules within the line length, module-level findings taking the origin of their own
lines, and LSP 3.17 pull diagnostics through the real server."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types as t
from pytest_lsp.client import client_capabilities

from guardline.lsp import features
from guardline.lsp.features import Analysed
from guardline.model import FileResult, Finding, FunctionMetrics, Increment, Location
from test_lsp_support import COMPLEX_PY, open_doc, running_server

TEXT = "\n".join([
    "import os",                      # 1
    "",                               # 2
    "def copied(a, b):",              # 3
    "    if a:",                      # 4
    "        for x in b:",            # 5
    "            if x:",              # 6
    "                a += x",         # 7
    "    return a",                   # 8
    "",                               # 9
    "def host():",                    # 10
    "    total = 0",                  # 11
    "    total += 1",                 # 12
    "    total += 2",                 # 13
    "    return total",               # 14
])


def fn(name: str, start: int, end: int, **kw) -> FunctionMetrics:
    base = dict(name=name, qualified_name=name, start_line=start, end_line=end, name_line=start,
                name_column=4, name_end_column=4 + len(name))
    base.update(kw)
    return FunctionMetrics(**base)


def analysed(findings, functions) -> Analysed:
    result = FileResult(path="/w/src/a.py", language="python", lines=14, functions=functions, findings=findings)
    return Analysed(uri="file:///w/src/a.py", version=1, language="python", lines=TEXT.split("\n"),
                    result=result, root="/w")


def clone(start: int, end: int) -> Finding:
    return Finding(rule="duplicate-code", category="duplication", severity="info", start_line=start,
                   end_line=end, start_column=4 if start == 11 else 0, message="Duplicated block",
                   related=[Location("/w/lib/deep/b.py", 20, 27)])


FUNCTIONS = [fn("copied", 3, 8, cognitive=6, increments=[
    Increment("cognitive", 4, "if", 1, 0), Increment("cognitive", 5, "for", 2, 1),
    Increment("cognitive", 6, "if", 3, 2)]), fn("host", 10, 14)]


# ----------------------------------------------------------------------------- duplication
def test_a_whole_function_clone_is_one_diagnostic_on_its_header():
    [diag] = features.diagnostics(analysed([clone(3, 8)], FUNCTIONS))
    # the function name `copied` on line 3 (0-based 2), columns 4..10: not lines 3-8 squiggled
    assert (diag.range.start.line, diag.range.start.character, diag.range.end.line,
            diag.range.end.character) == (2, 4, 2, 10)


def test_a_clone_inside_a_function_is_marked_on_its_first_line_only():
    [diag] = features.diagnostics(analysed([clone(11, 14)], FUNCTIONS))
    assert (diag.range.start.line, diag.range.end.line) == (10, 10), "first line of the clone (line 11)"
    assert (diag.range.start.character, diag.range.end.character) == (4, len("    total = 0"))


def test_related_locations_are_workspace_relative_and_file_share_is_information():
    share = Finding(rule="file-duplication", category="duplication", severity="warning", start_line=1,
                    end_line=1, message="File duplication 40.0% > 5%")
    diags = features.diagnostics(analysed([clone(3, 8), share], FUNCTIONS))
    [info] = diags[0].related_information
    assert info.message == "other copy at lib/deep/b.py:20-27", "relative to the workspace, not a basename"
    assert info.location.uri == "file:///w/lib/deep/b.py"
    assert diags[1].severity == t.DiagnosticSeverity.Information, "the duplication share is context"
    assert [d.code for d in diags].count("file-duplication") == 1


# ----------------------------------------------------------------------------- inlay hints
def cognitive_over(name: str) -> Finding:
    return Finding(rule="cognitive", category="complexity", severity="warning", start_line=3, end_line=3,
                   message="Cognitive complexity 6 > 5", function=name, data={"metric": "cognitive", "value": 6})


def test_inlay_hints_modes_and_increments():
    an = analysed([cognitive_over("copied")], FUNCTIONS)
    assert features.inlay_hints(an, 0, 13, "off") == []
    [over] = features.inlay_hints(an, 0, 13, "over-limit")
    assert (over.label, over.position.line, over.position.character) == ("cog 6", 2, 10), "after the name"
    always = features.inlay_hints(an, 0, 13, "always")
    assert [h.label for h in always] == ["cog 6", "cog 0"], "every function, in line order"
    with_increments = features.inlay_hints(an, 0, 13, "off", increments=True)
    assert [(h.label, h.position.line) for h in with_increments] == [("+1", 3), ("+2", 4), ("+3", 5)]
    assert with_increments[0].position.character == len("    if a:"), "at the end of the line"
    assert features.inlay_hints(an, 9, 13, "always")[0].label == "cog 0", "only the requested range"


def test_nested_function_increments_are_counted_once():
    inner = Increment("cognitive", 6, "if", 3, 2)
    outer = fn("copied", 3, 8, increments=[Increment("cognitive", 4, "if", 1, 0), inner])
    nested = fn("inner", 5, 7, increments=[inner])
    hints = features.inlay_hints(analysed([], [outer, nested]), 0, 13, "off", increments=True)
    assert [(h.label, h.position.line) for h in hints] == [("+1", 3), ("+3", 5)]


# ----------------------------------------------------------------------------- hover, allow
def test_hover_metrics_and_origin_then_increments_then_findings():
    ai = fn("copied", 3, 8, cognitive=6, origin="ai", ai_share=1.0, origin_detail={"tool": "Claude Code"},
            increments=FUNCTIONS[0].increments)
    long = cognitive_over("copied")
    long.message = "Cognitive complexity 6 > 5 in 'copied' (AI-generated: Claude Code, 3 commits; " + "x" * 150
    text = features.hover_markdown(analysed([long], [ai]), ai)
    metrics, origin = text.index("CC 1 · Cog 6"), text.index("**Origin:** ai")
    table, findings = text.index("| line |"), text.index("**Findings**")
    assert metrics < origin < table < findings, text
    assert "- warning: " + long.message in text, "the whole message, in a list item that wraps"


def test_allow_action_one_directive_for_several_rules_within_the_line_length():
    cyclo = Finding(rule="cyclomatic", category="complexity", severity="info", start_line=3, end_line=3,
                    message="Cyclomatic complexity 12 > 10", function="copied", data={"metric": "cyclomatic", "value": 12})
    an = analysed([cognitive_over("copied"), cyclo], FUNCTIONS)
    fixes = [a for a in features.code_actions(an, 2, 2, "#", report_available=False) if a.kind == t.CodeActionKind.QuickFix]
    assert len(fixes) == 1, [a.title for a in fixes]
    [edit] = fixes[0].edit.changes[an.uri]
    assert edit.new_text == "  # guardline: allow cognitive<=6, cyclomatic<=12"
    assert edit.range.start == t.Position(line=2, character=len("def copied(a, b):")), "end of the header"

    long_header = "def copied(" + ", ".join(f"argument_{i}" for i in range(7)) + "):"
    an.lines[2] = long_header                       # 96 characters: the comment would pass 100
    [edit] = [a for a in features.code_actions(an, 2, 2, "#", report_available=False)
              if a.kind == t.CodeActionKind.QuickFix][0].edit.changes[an.uri]
    assert edit.new_text == "# guardline: allow cognitive<=6, cyclomatic<=12\n", "alone on the line above"
    assert edit.range.start == t.Position(line=2, character=0)


def test_allow_directive_written_by_the_action_suppresses_both(tmp_path):
    """The combined directive is one the suppression parser reads (both ceilings apply)."""
    from guardline.config import Config
    from guardline.pipeline import analyze_bytes
    source = COMPLEX_PY.replace("def tangled(a, b, c, d):",
                                "def tangled(a, b, c, d):  # guardline: allow cognitive<=99, cyclomatic<=99")
    result = analyze_bytes(source.encode(), "a.py", Config())
    assert not [f for f in result.findings if f.rule in ("cognitive", "cyclomatic")], \
        [f.rule for f in result.findings]


# ----------------------------------------------------------------------------- module-level origin
def test_module_level_secret_in_ai_code_takes_the_origin_of_its_lines(tmp_path):
    """A hard-coded password outside every function in an AI-written file is AI, with AI severity."""
    repo = tmp_path / "repo"
    (repo / "gen").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", repo], check=True)
    (repo / ".guardline.toml").write_text('[origin]\nai_paths = ["gen/**"]\n')
    source = 'DB_PASSWORD = "pr0d-s3cret-Hunter22"\n\n\ndef f():\n    return 1\n'
    (repo / "gen" / "settings.py").write_text(source)
    (repo / "human.py").write_text(source)
    proc = subprocess.run([sys.executable, "-m", "guardline", "check", "--format", "json", "."], cwd=repo,
                          capture_output=True, text=True, timeout=120)
    import json
    files = {f["path"]: f for f in json.loads(proc.stdout)["files"]}
    ai = [x for x in files["gen/settings.py"]["findings"] if x["category"] == "security"]
    human = [x for x in files["human.py"]["findings"] if x["category"] == "security"]
    assert ai and all(x["origin"] == "ai" and x["severity"] == "error" for x in ai), ai
    assert human and all(x["origin"] != "ai" for x in human), human


def test_lines_origin_rule():
    from guardline.origin.records import FileOrigin, LineOrigin
    from guardline.pipeline import lines_origin
    def rec(who: str) -> LineOrigin:
        return LineOrigin(who, None, None, "paths", "file", None, "high")
    origin = FileOrigin(lines=[rec("ai"), rec("human"), rec("human")])
    assert lines_origin(origin, 1, 1, 0.5) == "ai"
    assert lines_origin(origin, 1, 3, 0.5) == "human", "1 of 3 lines AI is under the 0.5 share"
    assert lines_origin(origin, 9, 9, 0.5) == "unknown", "no record past the end"


# ----------------------------------------------------------------------------- through the server
pytestmark_async = pytest.mark.asyncio


@pytestmark_async
async def test_inlay_hints_through_the_server(tmp_path: Path):
    options = {"debounce_ms": 0, "duplication": {"enabled": False}, "editor": {"inlay_hints": "always"}}
    async with running_server(tmp_path, init_options=options) as (client, rec):
        assert client.server_capabilities.inlay_hint_provider, "inlay hints are announced"
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        await rec.wait_publish(uri, version=1)
        hints = await client.text_document_inlay_hint_async(t.InlayHintParams(
            text_document=t.TextDocumentIdentifier(uri=uri),
            range=t.Range(start=t.Position(line=0, character=0), end=t.Position(line=40, character=0))))
        labels = [h.label for h in hints]
        assert labels[0] == "cog 0" and labels[1].startswith("cog ") and int(labels[1][4:]) > 15, labels


@pytestmark_async
async def test_pull_diagnostics_replace_push_when_asked(tmp_path: Path):
    options = {"debounce_ms": 0, "duplication": {"enabled": False}, "editor": {"diagnostics": "pull"}}
    caps = client_capabilities("visual-studio-code")
    caps.text_document.diagnostic = t.DiagnosticClientCapabilities()   # a client that can pull
    async with running_server(tmp_path, init_options=options, capabilities=caps) as (client, rec):
        provider = client.server_capabilities.diagnostic_provider
        assert provider is not None and provider.workspace_diagnostics, "pull diagnostics are announced"
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        report = await client.text_document_diagnostic_async(t.DocumentDiagnosticParams(
            text_document=t.TextDocumentIdentifier(uri=uri)))
        assert "cognitive" in [d.code for d in report.items], [d.code for d in report.items]
        workspace = await client.workspace_diagnostic_async(t.WorkspaceDiagnosticParams(previous_result_ids=[]))
        assert [r.uri for r in workspace.items] == [uri]
        await asyncio.sleep(0.5)
        assert rec.for_uri(uri) == [], "no pushed diagnostics beside the pulled ones (no duplicates)"


@pytestmark_async
async def test_push_by_default_without_a_diagnostic_provider(tmp_path: Path):
    async with running_server(tmp_path, init_options={"debounce_ms": 0}) as (client, rec):
        assert client.server_capabilities.diagnostic_provider is None, "push only, unless asked"


def test_server_log_drops_routine_cancel_warnings():
    import logging
    from guardline.lsp.server import _QuietRoutine
    quiet = _QuietRoutine()
    routine = logging.LogRecord("pygls.protocol.json_rpc", logging.WARNING, __file__, 1,
                                'Cancel notification for unknown message id "%s"', (42,), None)
    other = logging.LogRecord("pygls.protocol.json_rpc", logging.WARNING, __file__, 1, "Server shutting down", (), None)
    ours = logging.LogRecord("guardline.lsp", logging.WARNING, __file__, 1, "Cancel notification for unknown", (), None)
    assert not quiet.filter(routine), "editors cancel answered requests on every keystroke: not a warning"
    assert quiet.filter(other) and quiet.filter(ours), "other warnings stay"
