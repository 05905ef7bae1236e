"""Workspace-wide background work: the cold scan (fills the cache and the summary) and the clone
index, reported with ``$/progress`` and cancellable from the client. Never on the keystroke path.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import threading
from typing import TYPE_CHECKING, Any, Iterable

from lsprotocol import types as t

from guardline.lsp import engine
from guardline.model import FileResult

if TYPE_CHECKING:
    from guardline.lsp.session import Session

log = logging.getLogger("guardline.lsp")
_tokens = itertools.count(1)


def summarize(results: Iterable[FileResult], *, indexing: bool) -> dict[str, Any]:
    """The `guardline/summary` payload over the given file results."""
    counts = {"error": 0, "warning": 0, "info": 0, "hint": 0}
    files = functions = ai_lines = analysed_lines = 0
    for result in results:
        files += 1
        functions += len(result.functions)
        analysed_lines += result.lines
        ai_lines += _ai_lines(result)
        for finding in result.findings:
            if finding.severity in counts:
                counts[finding.severity] += 1
    return {"files": files, "functions": functions, "findings": counts, "ai_lines": ai_lines,
            "analysed_lines": analysed_lines,
            "ai_share": round(ai_lines / analysed_lines, 4) if analysed_lines else 0.0, "indexing": indexing}


def _ai_lines(result: FileResult) -> int:
    """AI-attributed lines, estimated from outermost functions (nested ones are inside them)."""
    total, covered_to = 0, 0
    for fn in sorted(result.functions, key=lambda f: (f.start_line, -f.end_line)):
        if fn.start_line <= covered_to:
            continue
        covered_to = fn.end_line
        total += round(fn.ai_share * (fn.end_line - fn.start_line + 1))
    return total


class WorkspaceScan:
    """One background scan at a time; a restart cancels the running one."""

    def __init__(self, session: "Session"):
        self.session = session
        self.results: dict[str, FileResult] = {}
        self.running = False
        self.clone_index: Any = None
        self._cancel = threading.Event()
        self._generation = 0

    def clone_index_if_ready(self) -> Any:
        return None if self.running else self.clone_index

    def cancel(self) -> None:
        self._cancel.set()

    def start(self) -> None:
        scan = engine.optional_module("guardline.scan")
        if scan is None or not hasattr(scan, "scan_files"):
            log.info("workspace scan not available (guardline.scan missing)")
            return
        self.cancel()
        self._cancel = cancel = threading.Event()
        self._generation += 1
        self.session.loop.create_task(self._run(scan, cancel, self._generation))

    async def _run(self, scan: Any, cancel: threading.Event, generation: int) -> None:
        session = self.session
        token = await self._create_token()
        self.running = True
        self._progress(token, t.WorkDoneProgressBegin(title="guardline: indexing workspace", cancellable=True,
                                                      message="discovering files", percentage=0))
        session.summary_maybe_changed()
        try:
            results = await session.loop.run_in_executor(
                session.background_pool, self._scan_blocking, scan, token, cancel)
        except Exception as exc:
            log.exception("workspace scan failed")
            results = None
            session.log_message(f"guardline: workspace scan failed: {exc}", t.MessageType.Error)
        if generation != self._generation:
            self._progress(token, t.WorkDoneProgressEnd(message="restarted"))
            return
        self.running = False
        if results is not None:
            self.results = {os.path.abspath(r.path if os.path.isabs(r.path) else os.path.join(session.root, r.path)): r
                            for r in results}
        message = "cancelled" if cancel.is_set() else f"{len(self.results)} files analysed"
        self._progress(token, t.WorkDoneProgressEnd(message=message))
        session.log_message(f"guardline: workspace scan {message}")
        session.summary_maybe_changed()
        if self.clone_index is not None:   # open buffers now get clone findings
            for doc in list(session.documents.values()):
                if doc.language is not None:
                    session.schedule(doc, delay_ms=0)

    async def _create_token(self) -> str | None:
        if not self.session.client_supports("window.work_done_progress"):
            return None
        token = f"guardline-scan-{next(_tokens)}"
        try:
            await asyncio.wait_for(self.session.server.work_done_progress.create_async(token), timeout=5)
        except Exception as exc:
            log.warning("window/workDoneProgress/create failed: %s", exc)
            return None
        future = self.session.server.work_done_progress.tokens.get(token)
        if future is not None:   # pygls cancels this future on window/workDoneProgress/cancel
            future.add_done_callback(lambda _f, ev=self._cancel: ev.set())
        return token

    def _progress(self, token: str | None, value: Any) -> None:
        if token is None:
            return
        progress = self.session.server.work_done_progress
        if isinstance(value, t.WorkDoneProgressBegin):
            progress.begin(token, value)
        elif isinstance(value, t.WorkDoneProgressReport):
            progress.report(token, value)
        else:
            progress.end(token, value)

    def _report_threadsafe(self, token: str | None, done: int, total: int, what: str) -> None:
        if token is None:
            return
        pct = int(100 * done / total) if total else 100
        value = t.WorkDoneProgressReport(message=f"{what} {done}/{total}", percentage=min(pct, 100), cancellable=True)
        self.session.loop.call_soon_threadsafe(self._progress, token, value)

    def _scan_blocking(self, scan: Any, token: str | None, cancel: threading.Event) -> list[FileResult] | None:
        session = self.session
        config, root = session.config, session.root
        files = scan.discover_files(root, config)
        if cancel.is_set():
            return None

        def progress(*args: Any, **_kw: Any) -> None:
            done, total = _progress_args(args, len(files))
            self._report_threadsafe(token, done, total, "files")

        results = scan.scan_files(root, files, config, progress=progress, cancelled=cancel.is_set)
        if not cancel.is_set():
            self.clone_index = self._build_index(root, files, config, token, cancel)
        return None if cancel.is_set() else list(results)

    def _build_index(self, root: str, files: list[str], config: Any, token: str | None,
                     cancel: threading.Event) -> Any:
        duplication = engine.optional_module("guardline.duplication")
        if duplication is None or not hasattr(duplication, "build_index") or not config.get("duplication.enabled", True):
            return None

        def progress(*args: Any, **_kw: Any) -> None:
            done, total = _progress_args(args, len(files))
            self._report_threadsafe(token, done, total, "clone index")

        try:
            return duplication.build_index(root, files, config, progress=progress, cancelled=cancel.is_set)
        except Exception:
            log.exception("building the clone index failed")
            return None


def _progress_args(args: tuple[Any, ...], default_total: int) -> tuple[int, int]:
    """Accept progress(done, total), progress(done) or progress(fraction)."""
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], int):
        return args[0], args[1]
    if args and isinstance(args[0], float) and args[0] <= 1:
        return int(args[0] * default_total), default_total
    if args and isinstance(args[0], int):
        return args[0], default_total
    return 0, default_total
