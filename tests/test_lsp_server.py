"""End-to-end tests of `guardline serve` through the real protocol (pytest-lsp drives the real
server process): document sync, diagnostics, debounce/superseding, hover, code lens, code actions,
commands, custom requests, configuration changes, shutdown."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types as t

from test_lsp_support import COMPLEX_PY, SharedServer, codes, insert, open_doc, running_server, shared_server

# One event loop for the module, so that the shared server (one process) serves the independent tests.
pytestmark = pytest.mark.asyncio(loop_scope="module")
SHARED_OPTIONS = {"debounce_ms": 0, "duplication": {"enabled": False}}   # no clones between tests' buffers


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared(tmp_path_factory) -> SharedServer:
    async with shared_server(tmp_path_factory.mktemp("lsp-server"), init_options=SHARED_OPTIONS) as server:
        yield server


def type_hashes(client, uri: str, versions: range) -> None:
    """One "#" typed at the start of the file per version, sent back to back."""
    for version in versions:
        insert(client, uri, version, 0, 0, "#")


def cognitive_diag(params: t.PublishDiagnosticsParams) -> t.Diagnostic | None:
    return next((d for d in params.diagnostics if d.code == "cognitive"), None)


def runs_command(action, name: str) -> bool:
    """Whether a code action runs command ``name``. (lsprotocol's client-side converter turns any
    CodeAction carrying a command into a Command whose ``command`` is the nested dict as text.)"""
    command = getattr(action, "command", None)
    return name in command if isinstance(command, str) else getattr(command, "command", None) == name


async def test_open_publishes_diagnostics_with_stable_code_link_and_values(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        params = await rec.wait_publish(uri, version=1)
        diag = cognitive_diag(params)
        assert diag is not None, f"tangled() is far over the cognitive limit; got {codes(params)}"
        assert diag.source == "guardline"
        assert diag.code_description.href.endswith("#cognitive")
        # the range is the function name `tangled` on line 5 (0-based 4), columns 4..11
        assert (diag.range.start.line, diag.range.start.character, diag.range.end.character) == (4, 4, 11)
        assert diag.data["value"] > 15 and "limit" in diag.data
        assert str(diag.data["value"]) in diag.message, "the message names the value"
        assert not any(d.range.start.line == 0 for d in params.diagnostics), "simple() is within every limit"


async def test_change_then_close_clears_diagnostics(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", "def f(x):\n    return x\n")
        first = await rec.wait_publish(uri, version=1)
        assert list(first.diagnostics) == [], "a trivial function has no findings"
        # incremental insert: append the tangled function at the end
        insert(client, uri, 2, 2, 0, "\n\n" + COMPLEX_PY)
        second = await rec.wait_publish(uri, version=2)
        diag = cognitive_diag(second)
        assert diag is not None and diag.range.start.line == 8, "tangled now starts on line 9 (0-based 8)"
        client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
        await rec.wait_for(lambda: not rec.for_uri(uri)[-1].diagnostics and rec.for_uri(uri)[-1].version is None)


async def test_fifty_quick_changes_publish_only_the_last_version(tmp_path: Path):
    """Debounce 300 ms: 50 edits sent back to back supersede each other; only v51 is published (the
    workspace scan finishing may republish the current version: v1 before the edits, v51 after)."""
    async with running_server(tmp_path, init_options={"debounce_ms": 300}) as (client, rec):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        await rec.wait_publish(uri, version=1)
        before = len(rec.for_uri(uri))
        type_hashes(client, uri, range(2, 52))
        await rec.wait_publish(uri, version=51)
        await asyncio.sleep(0.6)   # anything stale would have arrived by now
        # a republish of version 1 (the background workspace scan finishing while the edits stream in)
        # is legitimate; no intermediate version 2..50 may ever be published
        versions = [p.version for p in rec.for_uri(uri)[before:] if p.version != 1]
        assert versions and set(versions) == {51}, f"only the last version may be published, got {versions}"


async def test_background_reanalysis_waits_for_typing_to_pause(tmp_path: Path):
    """A configuration change (like the workspace scan finishing, or an origin arriving) while edits are
    pending re-analyses after the debounce, not at once: before the fix it published version 11 of 20
    immediately although the user was still typing (CI saw the same race with the scan)."""
    async with running_server(tmp_path, init_options={"debounce_ms": 300}) as (client, rec):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        await rec.wait_publish(uri, version=1)
        before = len(rec.for_uri(uri))
        type_hashes(client, uri, range(2, 12))
        client.workspace_did_change_configuration(
            t.DidChangeConfigurationParams(settings={"guardline": {"debounce_ms": 300}}))
        await asyncio.sleep(0.05)   # the configuration change is handled; the edits have not paused
        type_hashes(client, uri, range(12, 21))
        await rec.wait_publish(uri, version=20)
        await asyncio.sleep(0.6)
        versions = [p.version for p in rec.for_uri(uri)[before:] if p.version != 1]
        assert set(versions) == {20}, f"only the last version may be published, got {versions}"


async def test_debounce_zero_never_publishes_an_old_version_after_a_newer_one(shared: SharedServer):
    # the shared server has duplication off: the second buffer below is a copy of the first, which is not
    # what is compared
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        await rec.wait_publish(uri, version=1)
        type_hashes(client, uri, range(2, 52))
        await rec.wait_publish(uri, version=51)
        await asyncio.sleep(0.3)
        versions = [p.version for p in rec.for_uri(uri)]
        assert versions == sorted(versions) and versions[-1] == 51, versions
        # the final diagnostics equal those of a fresh open of the same text
        final = rec.for_uri(uri)[-1]
        uri2 = open_doc(client, tmp_path / "b.py", "#" * 50 + COMPLEX_PY)
        fresh = await rec.wait_publish(uri2, version=1)
        assert [(d.code, d.range, d.message) for d in final.diagnostics] == \
               [(d.code, d.range, d.message) for d in fresh.diagnostics]


async def test_hover_code_lens_and_explain_command(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        await rec.wait_publish(uri, version=1)
        doc = t.TextDocumentIdentifier(uri=uri)
        hover = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=t.Position(4, 6)))
        assert hover is not None and hover.contents.kind == t.MarkupKind.Markdown
        assert "tangled" in hover.contents.value and "if" in hover.contents.value, "breakdown names constructs"
        lenses = await client.text_document_code_lens_async(t.CodeLensParams(text_document=doc))
        titles = {lens.range.start.line: lens.command.title for lens in lenses}
        assert set(titles) == {0, 4}, f"one lens per function: {titles}"
        assert titles[0].startswith("CC 1 · Cog 0 · MI "), titles[0]
        assert titles[4].startswith("⚠ CC "), "tangled exceeds a limit: the lens is marked"
        lens = next(lens for lens in lenses if lens.range.start.line == 4)
        result = await client.workspace_execute_command_async(t.ExecuteCommandParams(
            command=lens.command.command, arguments=lens.command.arguments))
        assert result["function"] == "tangled" and "if" in result["markdown"]


async def test_settings_changed_right_after_an_edit_are_applied(tmp_path: Path):
    """Limits changed right after an edit of a large buffer: the edit's version is published, and the
    last publish uses the new limits (limit raised to 100: no cognitive finding), whether the change
    lands before that analysis reads its inputs or while it runs (then it runs once more after)."""
    filler = "".join(f"def helper_{i}(x):\n    return x + {i}\n\n\n" for i in range(6000))
    # no clone index: the restarted workspace scan must not be what re-analyses the buffer
    options = {"debounce_ms": 0, "duplication": {"enabled": False}}
    async with running_server(tmp_path, init_options=options) as (client, rec):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY + "\n\n" + filler)
        assert cognitive_diag(await rec.wait_publish(uri, version=1, timeout=60)) is not None
        insert(client, uri, 2, 0, 0, "#")
        client.set_configuration({"thresholds": {"human": {"cognitive": {"warning": 100, "error": 200}}}},
                                 section="guardline")   # what the client answers when the server asks
        client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
        await rec.wait_publish(uri, version=2, timeout=60)
        await rec.wait_for(lambda: cognitive_diag(rec.for_uri(uri)[-1]) is None, timeout=30)
        await asyncio.sleep(0.5)
        assert cognitive_diag(rec.for_uri(uri)[-1]) is None, "the last publish uses the raised limit"


async def test_code_action_inserts_ceiling_suppression(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        params = await rec.wait_publish(uri, version=1)
        diag = cognitive_diag(params)
        actions = await client.text_document_code_action_async(t.CodeActionParams(
            text_document=t.TextDocumentIdentifier(uri=uri), range=diag.range,
            context=t.CodeActionContext(diagnostics=[diag])))
        fix = next(a for a in actions if a.kind == t.CodeActionKind.QuickFix)
        [edit] = fix.edit.changes[uri]
        cyclomatic = next(d for d in params.diagnostics if d.code == "cyclomatic")
        # one directive for both of the function's metric findings (cyclomatic 13 > 10 is an info)
        assert edit.new_text == (f"  # guardline: allow cognitive<={diag.data['value']}, "
                                 f"cyclomatic<={cyclomatic.data['value']}")
        assert edit.range.start == t.Position(line=4, character=len("def tangled(a, b, c, d):"))
        assert any(runs_command(a, "guardline.explain") for a in actions)
        # applying it silences both findings (the ceilings equal the current values)
        insert(client, uri, 2, 4, edit.range.start.character, edit.new_text)
        after = await rec.wait_publish(uri, version=2)
        assert cognitive_diag(after) is None, codes(after)
        assert not [d for d in after.diagnostics if d.code == "cyclomatic"], codes(after)


async def test_settings_change_applies_without_restart(tmp_path: Path):
    loose = {"thresholds": {"human": {"cognitive": {"warning": 100, "error": 200}}}}
    async with running_server(tmp_path, init_options={"debounce_ms": 0}, settings=loose) as (client, rec):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        first = await rec.wait_publish(uri, version=1)
        assert cognitive_diag(first) is None, "workspace/configuration raised the limit to 100"
        client.set_configuration({"thresholds": {"human": {"cognitive": {"warning": 1, "error": 2}}}},
                                 section="guardline")
        client.workspace_did_change_configuration(t.DidChangeConfigurationParams(settings=None))
        await rec.wait_for(lambda: cognitive_diag(rec.for_uri(uri)[-1]) is not None)
        assert cognitive_diag(rec.for_uri(uri)[-1]).severity == t.DiagnosticSeverity.Error


async def test_config_file_error_and_fix_via_watched_files(tmp_path: Path):
    config = tmp_path / "guardline.toml"
    config.write_text("debounce_ms = 0\nno_such_key = 3\n")
    async with running_server(tmp_path) as (client, rec):
        config_uri = config.as_uri()
        params = await rec.wait_publish(config_uri)
        assert params.diagnostics and "no_such_key" in params.diagnostics[0].message
        assert params.diagnostics[0].range.start.line == 1, "points at the failing key"
        await rec.wait_for(lambda: any("no_such_key" in m.message for m in client.messages))
        # config watchers are registered dynamically (the client advertises dynamicRegistration)
        await rec.wait_for(lambda: any(r.method == "workspace/didChangeWatchedFiles" for r in rec.registrations))
        config.write_text("debounce_ms = 0\n[thresholds.human.cognitive]\nwarning = 1\n")
        client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(
            changes=[t.FileEvent(uri=config_uri, type=t.FileChangeType.Changed)]))
        await rec.wait_for(lambda: not rec.for_uri(config_uri)[-1].diagnostics)
        nested = "def f(a):\n    if a:\n        if a > 1:\n            return 1\n    return 0\n"
        uri = open_doc(client, tmp_path / "a.py", nested)
        params = await rec.wait_publish(uri, version=1)
        assert cognitive_diag(params) is not None, "cognitive 3 > the fixed file's limit 1, without restart"
        assert any("guardline.toml" in m.message for m in client.log_messages), "the log names the config file"


async def test_summary_request_and_notification(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        await rec.wait_publish(uri, version=1)
        summary = await client.protocol.send_request_async("guardline/summary", {})
        assert summary.functions >= 2 and summary.files >= 1
        assert summary.findings.error + summary.findings.warning >= 1
        await rec.wait_for(lambda: rec.summaries)
        via_command = await client.workspace_execute_command_async(
            t.ExecuteCommandParams(command="guardline.workspaceSummary", arguments=[]))
        assert via_command["functions"] == summary.functions
        origins = await client.protocol.send_request_async("guardline/origins", {"textDocument": {"uri": uri}})
        assert origins.uri == uri and origins.version == 1 and list(origins.ranges) == [], "no git: no AI ranges"


async def test_open_report_without_report_module_is_an_error_or_a_path(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        try:
            result = await client.workspace_execute_command_async(
                t.ExecuteCommandParams(command="guardline.openReport", arguments=[]))
        except Exception as exc:   # the report module has not landed: a clear error response
            assert "report is not available" in str(exc)
        else:
            assert Path(result["path"]).is_file()


async def test_shutdown_and_exit_end_the_process(tmp_path: Path):
    async with running_server(tmp_path) as (client, rec):
        await client.shutdown_async(None)
        client.exit(None)
        code = await asyncio.wait_for(client._server.wait(), timeout=10)
        assert code == 0, "exit after shutdown is a clean exit"
        client.capabilities = None  # already shut down: skip the fixture's shutdown
