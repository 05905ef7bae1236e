"""Server state and scheduling: open documents, debounced analysis off the message loop, origin in
the background, config reloads, workspace scan and summary.

Threading model: every LSP message is handled on the asyncio loop (cheap: text edits only). Parsing
and analysis run in ``analysis_pool``; git (origin), the workspace scan/index and the report run in
``background_pool`` so they never delay a keystroke. Results come back to the loop, where they are
published only if they are for the document's current version and the document is still open.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol, cast

from lsprotocol import types as t

from guardline.config import Config
from guardline.languages import LSP_LANGUAGE_IDS, comment_syntax, detect_language
from guardline.lsp import features
from guardline.lsp import origins as origin_payload
from guardline.lsp import review
from guardline.lsp.docstate import DocState
from guardline.lsp.documents import UTF16, Document, clean_text, utf8
from guardline.lsp.features import Analysed
from guardline.lsp.scheduler import AnalyseFn, Inputs, Scheduler, is_current, warm_up
from guardline.lsp.settings import Settings, is_config_file, key_line
from guardline.lsp.workspace import WorkspaceScan
from guardline.model import FileResult
from guardline.agents.trace import TRACE_FILE   # not origin.agenttrace: that loads the origin package
from guardline.workspace import Workspace

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger("guardline.lsp")

RESULT_WAIT_S = 2.0   # how long a code lens / hover request waits for the current version's analysis
FIRST_REVIEW_WAIT_S = 1.5   # how long a document's first diagnostics wait for its review-mode lines
# The workspace scan starts once the documents opened at start-up have their first diagnostics: an
# editor sends didOpen right after `initialized` (within the grace), and the scan's threads and worker
# processes would otherwise compete with that first analysis for the two cores and the GIL.
STARTUP_GRACE_S = 0.25
FIRST_PUBLISH_WAIT_S = 10.0   # ... but never waits longer than this
# Each phase of the workspace scan (a chunk of files, the clone index, the workspace's clone findings) runs
# in this process and takes the GIL in turns with the keystroke analysis: it waits until the user has not
# typed for TYPING_PAUSE_S, and at most TYPING_PAUSE_MAX_S, so that typing right after opening a large
# file is not slowed by the scan (the 3,000-line bench file: keystroke p95 ~28 ms while it ran, ~16 after).
TYPING_PAUSE_S = 0.5
TYPING_PAUSE_MAX_S = 3.0


class JsonPublisher(Protocol):
    """What the server adds to pygls for publishing: diagnostics already unstructured."""

    def unstructure(self, value: Any) -> Any: ...

    def publish_diagnostics_json(self, uri: str, version: int | None, items: list[Any]) -> None: ...


class Session:
    def __init__(self, server: "LanguageServer", analyse: AnalyseFn | None = None):
        self.server = server
        self.root = os.getcwd()
        self.settings = Settings(self.root)
        self.config = Config()
        self.config_errors_uri: str | None = None
        self.states: dict[str, DocState] = {}            # uri -> the open document's state
        self.last_edit = 0.0                             # time.monotonic() of the last didChange
        self.workspace = Workspace(self.root, self.config, shared_resolver=False)
        self.analysis_pool = ThreadPoolExecutor(2, thread_name_prefix="guardline-analysis")
        self.background_pool = ThreadPoolExecutor(2, thread_name_prefix="guardline-background")
        self.scheduler = Scheduler(self, self.analysis_pool, analyse)
        self.scan = WorkspaceScan(self)
        self.review = review.ReviewTracker(self, self.root)
        self._last_summary: dict[str, Any] | None = None
        self._published = asyncio.Event()   # set on every publish (start-up waits on it)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.encoding = UTF16
        self.pull_diagnostics = False    # editor.diagnostics = "pull" with a client that can pull
        # Set once the editor's settings are known, so the first diagnostics already use them.
        self.settings_ready = asyncio.Event()

    # ---- helpers ------------------------------------------------------------------------------
    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop

    @property
    def documents(self) -> dict[str, Document]:
        """The open documents by URI (a snapshot)."""
        return {uri: state.doc for uri, state in self.states.items()}

    def log_message(self, message: str, kind: t.MessageType = t.MessageType.Info) -> None:
        log.debug(message)   # the client shows it (window/logMessage): once in the output log, not twice
        self.server.window_log_message(t.LogMessageParams(type=kind, message=message))

    def show_message(self, message: str, kind: t.MessageType = t.MessageType.Warning) -> None:
        log.warning(message)
        self.server.window_show_message(t.ShowMessageParams(type=kind, message=message))

    def client_supports(self, dotted: str) -> bool:
        node: Any = self.server.client_capabilities
        for part in dotted.split("."):
            node = getattr(node, part, None)
            if node is None:
                return False
        return bool(node)

    # ---- lifecycle ------------------------------------------------------------------------------
    def initialize(self, params: t.InitializeParams) -> None:
        root = _root_from(params)
        if root:
            self.root = root
            self.settings.root = root
        self.settings.init_options = params.initialization_options or {}
        encoding = self.server.workspace.position_encoding if self.server.protocol.workspace else None
        if isinstance(encoding, t.PositionEncodingKind):
            encoding = encoding.value
        self.encoding = str(encoding or UTF16)
        self.reload_config(announce=False)
        self.analysis_pool.submit(warm_up)
        # decided once: the capability is announced in the initialize result
        self.pull_diagnostics = (self.config.get("editor.diagnostics") == "pull"
                                 and self.client_supports("text_document.diagnostic"))

    async def initialized(self) -> None:
        self.loop  # bind the loop for thread callbacks
        try:
            await self.pull_client_settings()
        finally:
            self.settings_ready.set()
        self.announce_config()
        self.register_watchers()
        await self.after_first_publishes()
        self.start_scan()

    async def after_first_publishes(self) -> None:
        """Wait until every document opened so far has had its first diagnostics published (bounded)."""
        await asyncio.sleep(STARTUP_GRACE_S)
        deadline = self.loop.time() + FIRST_PUBLISH_WAIT_S
        while any(state.awaits_first_publish() for state in self.states.values()):
            remaining = deadline - self.loop.time()
            if remaining <= 0:
                return
            self._published.clear()
            try:
                await asyncio.wait_for(self._published.wait(), remaining)
            except asyncio.TimeoutError:
                return

    def start_scan(self) -> None:
        self.scan.start(self.workspace)

    def typing_pause(self, cancel: threading.Event) -> None:
        """(A background thread) until nothing was typed for TYPING_PAUSE_S, at most TYPING_PAUSE_MAX_S,
        or ``cancel`` is set."""
        deadline = time.monotonic() + TYPING_PAUSE_MAX_S
        while not cancel.is_set():
            now = time.monotonic()
            quiet = now - self.last_edit
            if quiet >= TYPING_PAUSE_S or now >= deadline:
                return
            cancel.wait(min(TYPING_PAUSE_S - quiet, deadline - now))

    def shutdown(self) -> None:
        self.scheduler.close()
        self.scan.cancel()
        for state in self.states.values():
            self.scheduler.cancel(state)
        self.analysis_pool.shutdown(wait=False, cancel_futures=True)
        self.background_pool.shutdown(wait=False, cancel_futures=True)

    # ---- configuration --------------------------------------------------------------------------
    async def pull_client_settings(self) -> None:
        if not self.client_supports("workspace.configuration"):
            return
        try:
            items = await asyncio.wait_for(self.server.workspace_configuration_async(
                t.ConfigurationParams(items=[t.ConfigurationItem(section="guardline")])), timeout=5)
        except Exception as exc:   # a client that fails this request keeps the other settings
            log.warning("workspace/configuration failed: %s", exc)
            return
        value = items[0] if items else None
        self.settings.client_settings = value if isinstance(value, dict) else {}
        self.reload_config(announce=False)

    def reload_config(self, *, announce: bool = True) -> None:
        loaded = self.settings.load()
        self.config = loaded.config
        self.renew_workspace()
        self.review.reset(self.root, str(self.config.get("review.base", "") or "").strip())
        self.publish_config_errors(loaded.errors)
        if announce:
            self.announce_config()

    def renew_workspace(self) -> None:
        """A new root or configuration: a new Workspace (its own origin resolver, so new origin settings
        apply); the clone index stays with the workspace scan until the next scan replaces it."""
        self.workspace = Workspace(self.root, self.config, shared_resolver=False)

    def announce_config(self) -> None:
        source = self.config.source
        self.log_message(f"guardline: using config file {source}" if source
                         else f"guardline: no config file in {self.root}; using defaults")

    def publish_config_errors(self, errors: list[Any]) -> None:
        if self.config_errors_uri:
            self.server.text_document_publish_diagnostics(
                t.PublishDiagnosticsParams(uri=self.config_errors_uri, diagnostics=[]))
            self.config_errors_uri = None
        for error in errors:
            self.show_message(f"guardline: configuration error, using defaults: {error}")
        file_errors = [e for e in errors if e.path and os.path.isfile(e.path)]
        if not file_errors:
            return
        path = file_errors[0].path
        diags = []
        for error in file_errors:
            line = error.line - 1 if error.line else key_line(error.path, error.key)
            diags.append(t.Diagnostic(range=t.Range(start=t.Position(line=line, character=0),
                                                    end=t.Position(line=line, character=200)),
                                      message=str(error), severity=t.DiagnosticSeverity.Error,
                                      source=features.SOURCE, code="config"))
        self.config_errors_uri = features.path_to_uri(path)
        self.server.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=self.config_errors_uri, diagnostics=diags))

    async def settings_changed(self, settings: Any) -> None:
        pushed = settings.get("guardline") if isinstance(settings, dict) else None
        if isinstance(pushed, dict):
            self.settings.client_settings = pushed
            self.reload_config(announce=False)
        else:
            await self.pull_client_settings()
        self.config_changed()

    def config_changed(self) -> None:
        self.renew_workspace()
        for state in list(self.states.values()):
            state.origin = None
            refresh_document_state(state.doc, self.too_large(state.doc))
            self.scheduler.reanalyse(state)
            self.request_origin(state)
        self.start_scan()

    def watched_files_changed(self, params: t.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(features.uri_to_path(change.uri)) for change in params.changes):
            self.reload_config()
            self.config_changed()
        elif any(features.uri_to_path(change.uri).replace(os.sep, "/").endswith(TRACE_FILE)
                 for change in params.changes):
            for state in list(self.states.values()):   # an agent hook recorded lines: new AI origins
                if state.doc.language is not None:
                    self.request_origin(state)

    def register_watchers(self) -> None:
        if not self.client_supports("workspace.did_change_watched_files.dynamic_registration"):
            return
        watchers = [t.FileSystemWatcher(glob_pattern=f"**/{name}") for name in
                    ("pyproject.toml", "guardline.toml", ".guardline.toml", TRACE_FILE)]
        registration = t.Registration(
            id="guardline-config-watch", method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=t.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        self.server.client_register_capability(t.RegistrationParams(registrations=[registration]))

    # ---- documents ------------------------------------------------------------------------------
    def language_of(self, uri: str, language_id: str | None) -> str | None:
        return LSP_LANGUAGE_IDS.get(language_id or "") or detect_language(features.uri_to_path(uri))

    def did_open(self, item: t.TextDocumentItem) -> None:
        path = features.uri_to_path(item.uri)
        doc = Document(uri=item.uri, path=path, language=self.language_of(item.uri, item.language_id),
                       version=item.version, text=clean_text(item.text), encoding=self.encoding)
        previous = self.states.pop(item.uri, None)
        if previous is not None:   # opened twice without a close: the new text replaces the old state
            self._drop(previous)
        state = self.states[item.uri] = DocState(doc)
        if doc.language is None:
            return
        refresh_document_state(doc, self.too_large(doc))
        self.scheduler.schedule(state, delay_ms=0)
        self.review.request(state)   # the first publish waits briefly for it (review mode only)
        # origin (git) is requested after the first publish: see publish()

    def did_change(self, params: t.DidChangeTextDocumentParams) -> None:
        state = self.states.get(params.text_document.uri)
        if state is None:
            return
        self.last_edit = time.monotonic()
        doc = state.doc
        for change in params.content_changes:
            doc.apply_change(change)
        doc.version = params.text_document.version
        if doc.language is None:
            return
        refresh_document_state(doc, self.too_large(doc))
        self.scheduler.schedule(state)

    def did_save(self, uri: str) -> None:
        if is_config_file(features.uri_to_path(uri)):
            self.reload_config()
            self.config_changed()
            return
        state = self.states.get(uri)
        if state is not None and state.doc.language is not None:
            self.request_origin(state)
            self.review.request(state, force=True)   # a save often follows a commit or a checkout

    def did_close(self, uri: str) -> None:
        state = self.states.pop(uri, None)
        if state is None:
            return
        self._drop(state)
        self.workspace.forget_shadow(state.doc.path, self.scan.clone_index)
        self.server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _drop(self, state: DocState) -> None:
        """Forget a document: its state goes with it; results still running for it are dropped."""
        state.closed = True
        self.scheduler.cancel(state)

    def too_large(self, doc: Document) -> bool:
        limit = int(self.config.get("max_file_bytes", 2_000_000))
        return len(doc.text) > limit or (len(doc.text) * 4 > limit and len(utf8(doc.text)) > limit)

    # ---- analysis scheduling (SchedulerHost) ----------------------------------------------------
    def schedule(self, doc: Document, delay_ms: int | None = None, full_clones: bool = False) -> None:
        """(Re)start the debounced analysis of the open document ``doc``."""
        state = self.states.get(doc.uri)
        if state is not None and state.doc is doc:
            self.scheduler.schedule(state, delay_ms, full_clones)

    def reanalyse(self, doc: Document) -> None:
        """Analyse the open document ``doc`` again: something besides its text changed."""
        state = self.states.get(doc.uri)
        if state is not None and state.doc is doc:
            self.scheduler.reanalyse(state)

    def debounce_ms(self) -> int:
        return int(self.config.get("debounce_ms", 200))

    def inputs(self, state: DocState) -> Inputs:
        return Inputs(config=self.config, root=self.root, workspace=self.workspace, origin=state.origin,
                      clone_index=self.scan.clone_index_if_ready())

    async def before_analysis(self) -> None:
        """The first analyses wait (at most 5 s) for the editor's settings."""
        if self.settings_ready.is_set():
            return
        try:
            await asyncio.wait_for(self.settings_ready.wait(), timeout=5)
        except asyncio.TimeoutError:
            self.settings_ready.set()

    async def before_publish(self, state: DocState) -> None:
        """In review mode a document's first diagnostics wait briefly for its changed lines, so that
        findings in unchanged code do not show at full severity and drop to hints a moment later."""
        await self.review.first_lines(state, FIRST_REVIEW_WAIT_S)

    def publish(self, state: DocState, analysed: Analysed) -> None:
        first = state.latest is None
        state.latest = analysed
        self._published.set()
        if analysed.result.error and not state.skipped_notified:
            state.skipped_notified = True
            self.show_message(f"guardline: skipped {os.path.basename(state.doc.path)}: {analysed.result.error}",
                              t.MessageType.Info)
        self.publish_diagnostics(state, analysed)
        self.summary_maybe_changed()
        lines = state.review.lines
        if lines is None or lines.version != analysed.version:
            self.review.request(state)
        if first and not state.origin_requested:   # git after the first diagnostics, never before
            self.request_origin(state)

    def publish_diagnostics(self, state: DocState, analysed: Analysed) -> None:
        """Diagnostics of ``analysed``, marked for review mode with the last known changed lines; the
        code lenses are refreshed when what they show (metrics, origin, the ⚠ of a function over a
        limit at its shown severity) changed."""
        state.review.shown = self.review.marking(state)
        shown = self.shown(analysed)
        if self.pull_diagnostics:   # the client pulls; a background change asks it to pull again
            if self.client_supports("workspace.diagnostics.refresh_support"):
                self.server.workspace_diagnostic_refresh(None)
        else:
            publisher = cast(JsonPublisher, self.server)   # GuardlineServer (and the tests' stand-in)
            if state.diagnostics is None:
                state.diagnostics = features.DiagnosticsCache(publisher.unstructure)
            publisher.publish_diagnostics_json(state.uri, analysed.version,
                                               state.diagnostics.payload(shown, self.encoding))
        lens_key = _lens_key(shown)
        if state.lens_key != lens_key:
            state.lens_key = lens_key
            self.refresh_code_lenses()
            if self.client_supports("workspace.inlay_hint.refresh_support"):
                self.server.workspace_inlay_hint_refresh(None)

    def shown(self, analysed: Analysed) -> Analysed:
        """``analysed`` as the user sees it: in review mode, findings in unchanged code are hints."""
        state = self.states.get(analysed.uri)
        lines = self.review.marking(state) if state is not None else None
        if state is None or lines is None:
            return analysed
        cached = state.shown
        if cached is not None and cached[0] is analysed and cached[1] is lines:
            return cached[2]   # the publish and the summary mark the same analysis: once
        shown = replace(analysed, result=review.mark(analysed.result, lines))
        state.shown = (analysed, lines, shown)
        return shown

    def refresh_code_lenses(self) -> None:
        if self.client_supports("workspace.code_lens.refresh_support"):
            self.server.workspace_code_lens_refresh(None)

    async def current(self, uri: str) -> Analysed | None:
        """The analysis of the document's current version, waiting briefly for a pending one."""
        deadline = time.monotonic() + RESULT_WAIT_S
        while True:
            state = self.states.get(uri)
            if state is None or is_current(state, state.latest):
                return state.latest if state else None
            task = state.task
            remaining = deadline - time.monotonic()
            if task is None or remaining <= 0:
                return state.latest
            await _waited(task, remaining)
            if state.task is task:   # it ended (or timed out) and nothing newer was scheduled
                return state.latest

    # ---- review mode (ReviewHost) ---------------------------------------------------------------
    def open_state(self, uri: str) -> DocState | None:
        return self.states.get(uri)

    def open_states(self) -> list[DocState]:
        return list(self.states.values())

    def republish(self, state: DocState) -> None:
        if state.latest is not None:
            self.publish_diagnostics(state, state.latest)

    def review_message(self, message: str) -> None:
        self.show_message(message)

    # ---- origin (background) --------------------------------------------------------------------
    def request_origin(self, state: DocState) -> None:
        state.origin_requested = True
        doc = state.doc
        if doc.frozen:   # over max_file_bytes: not analysed, so its origin (blame, markers) is not needed
            return
        if not self.config.get("origin.enabled", True):
            return
        future = self.loop.run_in_executor(self.background_pool, self._resolve_origin, doc, self.workspace)
        future.add_done_callback(lambda fut: self._origin_arrived(state, fut))

    @staticmethod
    def _resolve_origin(doc: Document, workspace: Workspace) -> Any:
        return workspace.file_origin(doc.path, doc.text)

    def _origin_arrived(self, state: DocState, future: "asyncio.Future[Any]") -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.warning("origin of %s failed: %s", state.doc.path, exc)
            return
        if state.closed or future.result() is None:
            return
        state.origin = future.result()
        if _informative(state.origin):
            self.scheduler.reanalyse(state)   # republish with origin-aware severities

    def origin_ranges(self, uri: str) -> dict[str, Any]:
        state = self.states.get(uri)
        analysed = state.latest if state else None
        from guardline.origin import ai_ranges   # asked after origin arrived: not a start-up import

        file_origin = state.origin if state else None
        ranges = origin_payload.origin_ranges(list(ai_ranges(file_origin)) if file_origin is not None else [],
                                              analysed.result if analysed else None)
        return {"uri": uri, "version": state.doc.version if state else None, "ranges": ranges}

    # ---- workspace scan (ScanReports) -----------------------------------------------------------
    def work_done_progress(self) -> Any | None:
        return self.server.work_done_progress if self.client_supports("window.work_done_progress") else None

    def scan_changed(self) -> None:
        self.summary_maybe_changed()

    def scan_index_ready(self) -> None:
        for state in list(self.states.values()):
            if state.doc.language is not None:
                self.scheduler.reanalyse(state)

    def scan_message(self, message: str, kind: t.MessageType) -> None:
        self.log_message(message, kind)

    def scan_review(self) -> Any:
        return self.review.service if self.review.enabled else None

    # ---- summary --------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        open_results: dict[str, FileResult] = {}
        for state in self.states.values():   # as shown: review mode's hints count as hints
            if state.latest is not None:
                open_results[os.path.abspath(state.latest.result.path)] = self.shown(state.latest).result
        totals = self.scan.totals.copy()   # the open documents' results replace the scan's
        for path, result in open_results.items():
            scanned = self.scan.results.get(path)
            if scanned is not None:
                totals.add(scanned, -1)
            totals.add(result)
        summary = totals.payload(indexing=self.scan.running)
        summary["partial"] = self.scan.partial
        if self.scan.files_total is not None:
            summary["files_total"] = max(self.scan.files_total, summary["files"])
        return summary

    def summary_maybe_changed(self) -> None:
        summary = self.summary()
        if summary != self._last_summary:
            self._last_summary = summary
            self.server.protocol.notify("guardline/summaryChanged", summary)

    # ---- commands -------------------------------------------------------------------------------
    def comment_prefix(self, language: str | None) -> str:
        return comment_syntax(language or "")[0]


async def _waited(task: "asyncio.Task[None]", timeout: float) -> None:
    """Wait for ``task`` to end, at most ``timeout`` seconds; its failure or cancellation is not ours."""
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=timeout)
    except (asyncio.TimeoutError, asyncio.CancelledError, Exception):
        pass


def _informative(file_origin: Any) -> bool:
    """Whether an origin result can change anything (no git / no evidence: every line unknown)."""
    lines = getattr(file_origin, "lines", None)
    if lines is None:
        return True
    return any(getattr(rec, "origin", "unknown") != "unknown" for rec in lines)


def refresh_document_state(doc: Document, large: bool) -> None:
    """Oversized documents keep no tree (edits are not tracked); others track edits."""
    with doc.state_lock:
        if large:   # skipped until reopened or replaced in full: edits are not even applied
            doc.track_edits, doc.frozen, doc.tree, doc.pending_edits = False, True, None, None
        elif not doc.track_edits:
            doc.track_edits, doc.frozen, doc.pending_edits = True, False, None


def _lens_key(analysed: Analysed) -> tuple[Any, ...]:
    functions = [(fn.start_line, fn.cyclomatic, fn.cognitive, round(fn.maintainability), fn.origin,
                  round(fn.ai_share, 2)) for fn in analysed.result.functions]
    return tuple(functions), frozenset(features.exceeding_functions(analysed.result))


def _root_from(params: t.InitializeParams) -> str | None:
    if params.workspace_folders:
        return features.uri_to_path(params.workspace_folders[0].uri)
    if params.root_uri:
        return features.uri_to_path(params.root_uri)
    return params.root_path or None
