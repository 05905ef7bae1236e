"""Workspace-wide background work: the cold scan (fills the cache and the summary) and the clone
index, reported with ``$/progress`` and cancellable from the client. Never on the keystroke path.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import os
import threading
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any, Iterable, Protocol

from lsprotocol import types as t

from guardline.model import FileResult

if TYPE_CHECKING:   # types only: the server imports this module at start-up, before any analysis
    from guardline.duplication import CloneIndex
    from guardline.review import Review
    from guardline.workspace import Workspace

log = logging.getLogger("guardline.lsp")
_tokens = itertools.count(1)
MIN_SCAN_CHUNK = 64      # files per scan_files call, at least ...
MAX_SCAN_CHUNKS = 10     # ... and at most this many calls (summary updates) per scan


class Totals:
    """The `guardline/summary` counts over a set of file results, kept as sums so that a result can be
    taken out and another put in without a pass over every file (a publish replaces one file's result
    in the workspace scan's totals: per keystroke, the cost must not grow with the workspace)."""

    __slots__ = ("files", "functions", "ai_lines", "analysed_lines", "counts")

    def __init__(self) -> None:
        self.files = self.functions = self.ai_lines = self.analysed_lines = 0
        self.counts = {"error": 0, "warning": 0, "info": 0, "hint": 0}

    def copy(self) -> "Totals":
        other = Totals()
        other.files, other.functions, other.ai_lines, other.analysed_lines = (
            self.files, self.functions, self.ai_lines, self.analysed_lines)
        other.counts = dict(self.counts)
        return other

    def add(self, result: FileResult, sign: int = 1) -> None:
        """Count ``result`` in (sign 1) or out (sign -1)."""
        self.files += sign
        self.functions += sign * len(result.functions)
        self.analysed_lines += sign * result.lines
        self.ai_lines += sign * _ai_lines(result)
        for finding in result.findings:
            if finding.severity in self.counts:
                self.counts[finding.severity] += sign

    def payload(self, *, indexing: bool) -> dict[str, Any]:
        lines = self.analysed_lines
        return {"files": self.files, "functions": self.functions, "findings": dict(self.counts),
                "ai_lines": self.ai_lines, "analysed_lines": lines,
                "ai_share": round(self.ai_lines / lines, 4) if lines else 0.0, "indexing": indexing,
                "partial": indexing, "files_total": self.files}


def summarize(results: Iterable[FileResult], *, indexing: bool) -> dict[str, Any]:
    """The `guardline/summary` payload over the given file results (the session adds how complete the
    workspace scan is: ``partial`` and ``files_total``)."""
    totals = Totals()
    for result in results:
        totals.add(result)
    return totals.payload(indexing=indexing)


def _ai_lines(result: FileResult) -> int:
    """AI-attributed lines, estimated from outermost functions (nested ones are inside them)."""
    if not any(fn.ai_share for fn in result.functions):   # most files: no sort needed
        return 0
    total, covered_to = 0, 0
    for fn in sorted(result.functions, key=lambda f: (f.start_line, -f.end_line)):
        if fn.start_line <= covered_to:
            continue
        covered_to = fn.end_line
        total += round(fn.ai_share * (fn.end_line - fn.start_line + 1))
    return total


class ScanReports(Protocol):
    """What the scan tells the server (the session implements it), and the little it needs from it:
    the loop and pool it runs on, and the client's work-done progress (None: the client has none)."""

    @property
    def background_pool(self) -> Executor: ...

    @property
    def loop(self) -> asyncio.AbstractEventLoop: ...

    def work_done_progress(self) -> Any | None: ...

    def scan_changed(self) -> None:
        """Results were merged or the scan started or ended: the summary may have changed."""

    def scan_index_ready(self) -> None:
        """The clone index is built: open buffers can get clone findings."""

    def scan_message(self, message: str, kind: t.MessageType) -> None: ...

    def scan_review(self) -> Review | None:
        """Review mode's review (the workspace results are marked with it), None when it is off."""

    def typing_pause(self, cancel: threading.Event) -> None:
        """Block (the scan's thread) until the user pauses typing, bounded; at once when ``cancel`` is set."""


class WorkspaceScan:
    """One background scan at a time; a restart cancels the running one.

    Files are scanned in chunks and each chunk's results are merged on the event loop as it ends, so
    the summary covers the files resolved so far (``partial``) instead of nothing until the end.
    """

    def __init__(self, reports: ScanReports):
        self.reports = reports
        self.root = ""
        self.results: dict[str, FileResult] = {}   # absolute path -> result
        self.totals = Totals()                      # over ``results``
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

    def start(self, workspace: Workspace) -> None:
        """(Re)start the scan of ``workspace`` (a running scan is cancelled)."""
        self.cancel()
        self.root = workspace.root
        self._cancel = cancel = threading.Event()
        self._generation += 1
        self.reports.loop.create_task(self._run(workspace, cancel, self._generation))

    async def _run(self, workspace: Workspace, cancel: threading.Event, generation: int) -> None:
        reports = self.reports
        token = await self._create_token()
        self.running, self.complete, self.results, self.files_total = True, False, {}, None
        self.totals = Totals()
        self._progress(token, t.WorkDoneProgressBegin(title="guardline: indexing workspace", cancellable=True,
                                                      message="discovering files", percentage=0))
        reports.scan_changed()
        try:
            finished = await reports.loop.run_in_executor(
                reports.background_pool, self._scan_blocking, workspace, token, cancel, generation)
        except Exception as exc:
            finished = False
            if not cancel.is_set():   # cancelled: a shutdown (its pool refuses new work) or a restart
                log.exception("workspace scan failed")
                reports.scan_message(f"guardline: workspace scan failed: {exc}", t.MessageType.Error)
        if generation != self._generation:
            self._progress(token, t.WorkDoneProgressEnd(message="restarted"))
            return
        self.running, self.complete = False, bool(finished) and not cancel.is_set()
        message = "cancelled" if cancel.is_set() else f"{len(self.results)} files analysed"
        self._progress(token, t.WorkDoneProgressEnd(message=message))
        reports.scan_message(f"guardline: workspace scan {message}", t.MessageType.Info)
        reports.scan_changed()
        if self.clone_index is not None:   # open buffers now get clone findings
            reports.scan_index_ready()

    def _merge(self, generation: int, chunk: list[FileResult]) -> None:
        """On the loop: add one chunk's results (unless a newer scan has started) and update the summary."""
        if generation != self._generation:
            return
        for result in chunk:
            path = os.path.abspath(result.path if os.path.isabs(result.path) else os.path.join(self.root, result.path))
            previous = self.results.get(path)
            if previous is not None:
                self.totals.add(previous, -1)
            self.results[path] = result
            self.totals.add(result)
        self.reports.scan_changed()

    async def _create_token(self) -> str | None:
        progress = self.reports.work_done_progress()
        if progress is None:
            return None
        token = f"guardline-scan-{next(_tokens)}"
        try:
            await asyncio.wait_for(progress.create_async(token), timeout=5)
        except Exception as exc:
            log.warning("window/workDoneProgress/create failed: %s", exc)
            return None
        future = progress.tokens.get(token)
        if future is not None:   # pygls cancels this future on window/workDoneProgress/cancel
            cancel = self._cancel
            future.add_done_callback(lambda _f: cancel.set())
        return token

    def _progress(self, token: str | None, value: Any) -> None:
        progress = self.reports.work_done_progress() if token is not None else None
        if progress is None:
            return
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
            self.reports.loop.call_soon_threadsafe(callback, *args)
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
        scanned: list[FileResult] = []
        for start in range(0, len(files), size):
            def progress(*args: Any, _offset: int = start, **_kw: Any) -> None:
                done, _total = _progress_args(args, len(files))
                self._report_threadsafe(token, _offset + done, len(files), "files")

            self.reports.typing_pause(cancel)
            chunk = workspace.analyse_files(files[start:start + size], progress=progress, cancelled=cancel.is_set)
            scanned.extend(chunk)
            self._call_soon(self._merge, generation, list(chunk))
            if cancel.is_set():
                return False
        self.reports.typing_pause(cancel)
        index = self._build_index(workspace, files, token, cancel)
        self.reports.typing_pause(cancel)
        if index is not None and not cancel.is_set():
            # the files' clone findings as `guardline check` computes them: the summary counts what check counts
            checked = as_checked(workspace, scanned, index, self.reports.scan_review())
            self._call_soon(self._merge, generation, checked)
        self.clone_index = index
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


def as_checked(workspace: Workspace, scanned: list[FileResult], index: CloneIndex,
               review: Review | None = None) -> list[FileResult]:
    """Copies of the scan's results with the clone findings `guardline check` adds (same rows, same
    suppressions, same disabled rules); in review mode (``review``) marked like the open buffers:
    findings in code unchanged since the merge-base are hints, as `check --base --context` does."""
    results = [dataclasses.replace(r, findings=list(r.findings)) for r in scanned]
    try:
        results = workspace.with_clone_findings(results, index)
    except Exception:   # noqa: BLE001 - the per-file results still count
        log.exception("workspace clone findings failed")
    return reviewed(workspace.root, results, review) if review is not None else results


def reviewed(root: str, results: list[FileResult], review: Review) -> list[FileResult]:
    """``results`` marked for review mode against the merge-base of ``review`` (as they are when git
    cannot say what changed: the open buffers then say why)."""
    from guardline.lsp.review import mark
    from guardline.review import ChangedLines, ReviewError
    try:
        selection = review.selection()
    except ReviewError as exc:
        log.info("review mode: workspace results not marked: %s", exc)
        return results
    marked = []
    for result in results:
        rel = (os.path.relpath(result.path, root) if os.path.isabs(result.path) else result.path).replace(os.sep, "/")
        changed = ChangedLines(0, frozenset(selection.changed.get(rel, ())), whole=rel in selection.whole_files,
                               base=review.base)
        marked.append(mark(result, changed))
    return marked


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
