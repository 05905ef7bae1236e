"""`guardline.openReport` with `$/progress`: the report runs in the background pool and its progress
messages ("trend: sample 3/12 ...") become WorkDoneProgressReport notifications, so the editor shows what
a long first report is doing instead of nothing."""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import Any

from lsprotocol import types as t

from guardline.report.progress import fraction

log = logging.getLogger(__name__)
_tokens = itertools.count(1)


async def _token(session: Any) -> str | None:
    if not session.client_supports("window.work_done_progress"):
        return None
    token = f"guardline-report-{next(_tokens)}"
    try:
        await asyncio.wait_for(session.server.work_done_progress.create_async(token), timeout=5)
    except Exception as exc:        # the client refused or never answered: run without progress
        log.warning("window/workDoneProgress/create failed: %s", exc)
        return None
    return token


async def write_html_with_progress(session: Any, report: Any) -> str:
    """Run ``report.write_html`` off the loop, reporting its progress on a work-done token."""
    token = await _token(session)
    progress = session.server.work_done_progress
    if token is not None:
        progress.begin(token, t.WorkDoneProgressBegin(title="guardline: quality report", message="starting",
                                                      percentage=0))

    def report_message(message: str) -> None:
        if token is None:
            return
        share = fraction(message)
        value = t.WorkDoneProgressReport(message=message[:120],
                                         percentage=None if share is None else int(100 * share))
        try:
            session.loop.call_soon_threadsafe(progress.report, token, value)
        except RuntimeError:        # the loop is closed (shutdown): nobody to tell
            pass

    try:
        path = await session.loop.run_in_executor(session.background_pool, lambda: report.write_html(
            session.root, session.config, progress=report_message))
    finally:
        if token is not None:
            progress.end(token, t.WorkDoneProgressEnd(message="report written"))
    return str(path)
