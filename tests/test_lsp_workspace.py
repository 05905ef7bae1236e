"""Workspace scan through the real protocol: `$/progress` begin/report/end, the summary it fills,
and cancellation via window/workDoneProgress/cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as t

from test_lsp_support import COMPLEX_PY, running_server

pytestmark = pytest.mark.asyncio


def write_workspace(root: Path, count: int) -> None:
    for i in range(count):
        (root / f"m{i}.py").write_text(COMPLEX_PY.replace("tangled", f"tangled{i}"))


def scan_reports(client):
    return {token: values for token, values in client.progress_reports.items() if str(token).startswith("guardline-scan")}


async def test_background_scan_reports_progress_and_fills_the_summary(tmp_path: Path):
    write_workspace(tmp_path, 12)
    async with running_server(tmp_path) as (client, rec):
        def ended():
            return [v for values in scan_reports(client).values() for v in values if v.kind == "end"]
        [end] = await rec.wait_for(ended, timeout=60)
        [values] = scan_reports(client).values()
        assert values[0].kind == "begin" and values[0].cancellable, "begin, cancellable"
        assert end.message == "12 files analysed"
        summary = await client.protocol.send_request_async("guardline/summary", {})
        assert summary.files == 12 and summary.functions == 24, "2 functions per file, no document open"
        assert summary.findings.error == 12, "each tangled() is over the human cognitive error limit (25)"
        assert summary.indexing is False
        assert rec.summaries and rec.summaries[-1].files == 12, "summaryChanged was sent after the scan"


async def test_scan_cancellation_is_honoured(tmp_path: Path):
    write_workspace(tmp_path, 400)
    async with running_server(tmp_path) as (client, rec):
        token = await rec.wait_for(lambda: next(iter(scan_reports(client)), None), timeout=30)
        client.window_work_done_progress_cancel(t.WorkDoneProgressCancelParams(token=token))

        def ended():
            return [v for v in scan_reports(client)[token] if v.kind == "end"]
        [end] = await rec.wait_for(ended, timeout=60)
        assert end.message == "cancelled"
        summary = await client.protocol.send_request_async("guardline/summary", {})
        assert summary.indexing is False


async def test_clone_of_a_workspace_file_is_reported_with_its_other_copy(tmp_path: Path):
    (tmp_path / "b.py").write_text(COMPLEX_PY)
    async with running_server(tmp_path, init_options={"debounce_ms": 0}) as (client, rec):
        uri = (tmp_path / "a.py").as_uri()
        (tmp_path / "a.py").write_text("")
        from test_lsp_support import open_doc
        open_doc(client, tmp_path / "a.py", "import os\n\n\n" + COMPLEX_PY)

        def clone_diag():
            params = rec.for_uri(uri)
            return next((d for d in params[-1].diagnostics if d.data.get("category") == "duplication"
                         and d.code != "file-duplication"), None) \
                if params else None
        diag = await rec.wait_for(clone_diag, timeout=60)
        assert diag.related_information, "clones carry relatedInformation pointing at the other copy"
        assert diag.related_information[0].location.uri == (tmp_path / "b.py").as_uri()
        result = await client.workspace_execute_command_async(t.ExecuteCommandParams(
            command="guardline.showDuplicates", arguments=[uri, diag.range.start.line]))
        assert result["locations"][0]["uri"] == (tmp_path / "b.py").as_uri()


async def test_summary_reports_the_ai_share_of_files_resolved_so_far_while_scanning(tmp_path: Path):
    """130 files are scanned in chunks of 64 (workspace.MIN_SCAN_CHUNK): after each chunk the summary
    covers the files resolved so far and says partial, instead of AI 0% until the scan ends. Every
    second file carries an `@ai-generated` header (origin source 6, no git needed), so each chunk of
    64 consecutive files is half AI and its AI share equals the final one."""
    body = COMPLEX_PY.replace("tangled", "tangled_x")
    for i in range(130):
        header = "# @ai-generated\n" if i % 2 == 0 else "# written by hand\n"
        (tmp_path / f"m{i:03}.py").write_text(header + body)
    async with running_server(tmp_path) as (client, rec):
        final = await rec.wait_for(lambda: next((s for s in rec.summaries if not s.indexing and s.files == 130), None),
                                   timeout=60)
        partial = [s for s in rec.summaries if s.indexing and 0 < s.files < 130]
        assert partial, f"a summary after the first chunk, before the end: {[s.files for s in rec.summaries]}"
        first = partial[0]
        assert first.partial is True and first.files_total == 130, "says partial, out of how many files"
        assert first.ai_share > 0, "the AI share of the files resolved so far, not 0% until the scan ends"
        assert first.ai_share == final.ai_share, "half of each chunk is AI, as of the whole workspace"
        assert final.partial is False and final.files_total == 130


async def test_an_expensive_clone_query_leaves_the_keystroke_path_and_its_findings_move_with_edits(
        tmp_path: Path, monkeypatch):
    """With a clone query budget of 0 ms every query after the first is deferred (guardline.lsp.clones):
    the keystroke publish carries the previous clone finding, moved with the edit, and the full query
    republishes the same version once typing pauses; an edit inside the copy drops the finding at once."""
    monkeypatch.setenv("GUARDLINE_CLONE_BUDGET_MS", "0")
    from test_lsp_support import insert, open_doc
    (tmp_path / "b.py").write_text(COMPLEX_PY)
    (tmp_path / "a.py").write_text("")
    async with running_server(tmp_path, init_options={"debounce_ms": 0}) as (client, rec):
        uri = open_doc(client, tmp_path / "a.py", "import os\n\n\n" + COMPLEX_PY)

        def clone_lines(version):
            return [[d.range.start.line for d in p.diagnostics if d.data.get("category") == "duplication"
                     and d.code != "file-duplication"] for p in rec.for_uri(uri) if p.version == version]

        first = await rec.wait_for(lambda: [lines for lines in clone_lines(1) if lines], timeout=60)
        start = first[0][0]
        insert(client, uri, 2, 0, 0, "# a new first line\n")
        publishes = await rec.wait_for(lambda: len(clone_lines(2)) >= 2 and clone_lines(2), timeout=30)
        assert publishes[0] == [start + 1], "the keystroke publish carries the finding one line lower"
        assert publishes[1] == [start + 1], "the idle full query finds the same clone there"
        insert(client, uri, 3, start + 2, 0, "    x = 1\n")   # inside the copy
        edited = await rec.wait_for(lambda: clone_lines(3), timeout=30)
        assert edited[0] == [], "an edit inside the copy drops the carried finding at once"


async def test_open_report_reports_progress_until_the_page_is_written(tmp_path: Path):
    """guardline.openReport runs the whole report: the editor sees `$/progress` begin, the report's own phase
    messages, and end, then gets the path of the written page (no git here: snapshot and coverage only)."""
    write_workspace(tmp_path, 2)
    async with running_server(tmp_path) as (client, rec):
        result = await client.workspace_execute_command_async(
            t.ExecuteCommandParams(command="guardline.openReport", arguments=[]))
        assert Path(result["path"]) == tmp_path / ".guardline" / "report.html" and Path(result["path"]).is_file()

        def ended():
            return [v for token, values in client.progress_reports.items() if str(token).startswith("guardline-report")
                    for v in values if v.kind == "end"]
        [end] = await rec.wait_for(ended, timeout=30)
        [values] = [v for k, v in client.progress_reports.items() if str(k).startswith("guardline-report")]
        assert [v.kind for v in values][0] == "begin" and values[0].title == "guardline: quality report"
        assert "snapshot: analysing the working tree" in [v.message for v in values if v.kind == "report"], \
            "the report's phase messages are forwarded"
        assert end.message == "report written"
