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
