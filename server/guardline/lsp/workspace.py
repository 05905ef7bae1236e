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

from guardline.duplication import CloneIndex
from guardline.model import FileResult
from guardline.workspace import Workspace

if TYPE_CHECKING:
    from guardline.lsp.session import Session

log = logging.getLogger("guardline.lsp")
_tokens = itertools.count(1)
MIN_SCAN_CHUNK = 64      # files per scan_files call, at least ...
MAX_SCAN_CHUNKS = 10     # ... and at most this many calls (summary updates) per scan


def summarize(results: Iterable[FileResult], *, indexing: bool) -> dict[str, Any]:
    """The `guardline/summary` payload over the given file results (the session adds how complete the
    workspace scan is: ``partial`` and ``files_total``)."""
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
            "ai_share": round(ai_lines / analysed_lines, 4) if analysed_lines else 0.0, "indexing": indexing,
            "partial": indexing, "files_total": files}


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
    """One background scan at a time; a restart cancels the running one.

    Files are scanned in chunks and each chunk's results are merged on the event loop as it ends, so
    the summary covers the files resolved so far (``partial``) instead of nothing until the end.
    """

    def __init__(self, session: "Session"):
        self.session = session
        self.results: dict[str, FileResult] = {}
        self.running = False
        self.complete = False          # the last scan covered every file (not cancelled, not failed)
        self.files_total: int | None = None
        self.clone_index: CloneIndex | None = None
        self._cancel = threading.Event()
        self._generation = 0

    @property
    def partial(self) -> bool:
        return self.running or not self.complete

    def clone_index_if_ready(self) -> CloneIndex | None:
        return None if self.running else self.clone_index

    def cancel(self) -> None:
        self._cancel.set()

    def start(self) -> None:
        self.cancel()
        self._cancel = cancel = threading.Event()
        self._generation += 1
        self.session.loop.create_task(self._run(self.session.workspace, cancel, self._generation))

    async def _run(self, workspace: Workspace, cancel: threading.Event, generation: int) -> None:
        session = self.session
        token = await self._create_token()
        self.running, self.complete, self.results, self.files_total = True, False, {}, None
        self._progress(token, t.WorkDoneProgressBegin(title="guardline: indexing workspace", cancellable=True,
                                                      message="discovering files", percentage=0))
        session.summary_maybe_changed()
        try:
            finished = await session.loop.run_in_executor(
                session.background_pool, self._scan_blocking, workspace, token, cancel, generation)
        except Exception as exc:
            log.exception("workspace scan failed")
            finished = False
            session.log_message(f"guardline: workspace scan failed: {exc}", t.MessageType.Error)
        if generation != self._generation:
            self._progress(token, t.WorkDoneProgressEnd(message="restarted"))
            return
        self.running, self.complete = False, bool(finished) and not cancel.is_set()
        message = "cancelled" if cancel.is_set() else f"{len(self.results)} files analysed"
        self._progress(token, t.WorkDoneProgressEnd(message=message))
        session.log_message(f"guardline: workspace scan {message}")
        session.summary_maybe_changed()
        if self.clone_index is not None:   # open buffers now get clone findings
            for doc in list(session.documents.values()):
                if doc.language is not None:
                    session.reanalyse(doc)

    def _merge(self, generation: int, chunk: list[FileResult]) -> None:
        """On the loop: add one chunk's results (unless a newer scan has started) and update the summary."""
        if generation != self._generation:
            return
        root = self.session.root
        for result in chunk:
            path = result.path if os.path.isabs(result.path) else os.path.join(root, result.path)
            self.results[os.path.abspath(path)] = result
        self.session.summary_maybe_changed()

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
        self._call_soon(self._progress, token, value)

    def _call_soon(self, callback: Any, *args: Any) -> None:
        """From the worker thread to the loop; after shutdown the loop is closed and there is no one to tell."""
        try:
            self.session.loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:
            self._cancel.set()

    def _scan_blocking(self, workspace: Workspace, token: str | None, cancel: threading.Event,
                       generation: int) -> bool:
        """Worker thread: scan every file chunk by chunk; True when all were scanned (not cancelled)."""
        files = workspace.discover()
        self.files_total = len(files)
        if cancel.is_set():
            return False
        size = scan_chunk_size(len(files))
        for start in range(0, len(files), size):
            def progress(*args: Any, _offset: int = start, **_kw: Any) -> None:
                done, _total = _progress_args(args, len(files))
                self._report_threadsafe(token, _offset + done, len(files), "files")

            chunk = workspace.analyse_files(files[start:start + size], progress=progress, cancelled=cancel.is_set)
            self._call_soon(self._merge, generation, list(chunk))
            if cancel.is_set():
                return False
        self.clone_index = self._build_index(workspace, files, token, cancel)
        return not cancel.is_set()

    def _build_index(self, workspace: Workspace, files: list[str], token: str | None,
                     cancel: threading.Event) -> CloneIndex | None:
        def progress(*args: Any, **_kw: Any) -> None:
            done, total = _progress_args(args, len(files))
            self._report_threadsafe(token, done, total, "clone index")

        try:
            return workspace.build_clone_index(files, progress=progress, cancelled=cancel.is_set)
        except Exception:
            log.exception("building the clone index failed")
            return None


def scan_chunk_size(total: int) -> int:
    """Files per scan_files call: the summary updates after each chunk; chunks stay large enough that
    the per-call cost (cache open, worker pool start) is small next to the analysis."""
    return max(MIN_SCAN_CHUNK, -(-total // MAX_SCAN_CHUNKS))


def _progress_args(args: tuple[Any, ...], default_total: int) -> tuple[int, int]:
    """Accept progress(done, total), progress(done) or progress(fraction)."""
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], int):
        return args[0], args[1]
    if args and isinstance(args[0], float) and args[0] <= 1:
        return int(args[0] * default_total), default_total
    if args and isinstance(args[0], int):
        return args[0], default_total
    return 0, default_total
