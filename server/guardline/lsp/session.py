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
from typing import TYPE_CHECKING, Any

from lsprotocol import types as t

from guardline.config import Config
from guardline.languages import LSP_LANGUAGE_IDS, comment_syntax, detect_language
from guardline.lsp import clones, features
from guardline.lsp import origins as origin_payload
from guardline.lsp import review
from guardline.lsp.documents import UTF16, Document, clean_text, utf8
from guardline.lsp.features import Analysed
from guardline.lsp.settings import Settings, is_config_file, key_line
from guardline.lsp.workspace import WorkspaceScan, summarize
from guardline.origin import ai_ranges
from guardline.origin.agenttrace import TRACE_FILE
from guardline.parsing import parse
from guardline.workspace import Workspace

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger("guardline.lsp")

RESULT_WAIT_S = 2.0   # how long a code lens / hover request waits for the current version's analysis
FIRST_REVIEW_WAIT_S = 1.5   # how long a document's first diagnostics wait for its review-mode lines


class Session:
    def __init__(self, server: "LanguageServer"):
        self.server = server
        self.root = os.getcwd()
        self.settings = Settings(self.root)
        self.config = Config()
        self.config_errors_uri: str | None = None
        self.documents: dict[str, Document] = {}
        self.latest: dict[str, Analysed] = {}            # uri -> last published analysis
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.origins: dict[str, Any] = {}                # uri -> FileOrigin (background git)
        self.workspace = Workspace(self.root, self.config, shared_resolver=False)
        self.skipped_notified: set[str] = set()
        self.analysis_pool = ThreadPoolExecutor(2, thread_name_prefix="guardline-analysis")
        self.background_pool = ThreadPoolExecutor(2, thread_name_prefix="guardline-background")
        self.scan = WorkspaceScan(self)
        self.review = review.ReviewService(self.root, "")
        self.review_lines: dict[str, review.ChangedLines] = {}   # uri -> changed lines (background git)
        self.review_shown: dict[str, review.ChangedLines | None] = {}   # uri -> lines the last publish used
        self._review_inflight: dict[str, asyncio.Event] = {}   # uri -> set when its computation ends
        self._review_again: set[str] = set()     # asked again (forced) while a computation was running
        self._review_blocked: set[str] = set()   # failed: retried on save or a config change, not per edit
        self._review_errors_shown: set[str] = set()
        self._last_summary: dict[str, Any] | None = None
        self._lens_keys: dict[str, tuple[Any, ...]] = {}   # uri -> what its code lenses last showed
        self._stale_inputs: set[str] = set()   # a pending analysis read inputs that changed since
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

    def log_message(self, message: str, kind: t.MessageType = t.MessageType.Info) -> None:
        log.info(message)
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
        self.encoding = str(encoding.value if hasattr(encoding, "value") else encoding or UTF16)
        self.reload_config(announce=False)
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
        self.scan.start()

    def shutdown(self) -> None:
        self.scan.cancel()
        for task in self.tasks.values():
            task.cancel()
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
        self.reset_review()
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
        self.origins.clear()
        for doc in list(self.documents.values()):
            self.refresh_document_state(doc)
            self.reanalyse(doc)
            self.request_origin(doc)
        self.scan.start()

    def watched_files_changed(self, params: t.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(features.uri_to_path(change.uri)) for change in params.changes):
            self.reload_config()
            self.config_changed()
        elif any(features.uri_to_path(change.uri).replace(os.sep, "/").endswith(TRACE_FILE)
                 for change in params.changes):
            for doc in list(self.documents.values()):   # an agent hook recorded lines: new AI origins
                if doc.language is not None:
                    self.request_origin(doc)

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
        self.documents[item.uri] = doc
        if doc.language is None:
            return
        self.refresh_document_state(doc)
        self.schedule(doc, delay_ms=0)
        self.request_origin(doc)
        self.request_review(doc)

    def did_change(self, params: t.DidChangeTextDocumentParams) -> None:
        doc = self.documents.get(params.text_document.uri)
        if doc is None:
            return
        for change in params.content_changes:
            doc.apply_change(change)
        doc.version = params.text_document.version
        if doc.language is None:
            return
        self.refresh_document_state(doc)
        self.schedule(doc)

    def did_save(self, uri: str) -> None:
        if is_config_file(features.uri_to_path(uri)):
            self.reload_config()
            self.config_changed()
            return
        doc = self.documents.get(uri)
        if doc is not None and doc.language is not None:
            self.request_origin(doc)
            self.request_review(doc, force=True)   # a save often follows a commit or a checkout

    def did_close(self, uri: str) -> None:
        doc = self.documents.pop(uri, None)
        task = self.tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        self.latest.pop(uri, None)
        self.origins.pop(uri, None)
        self.review_lines.pop(uri, None)
        self.review_shown.pop(uri, None)
        self._lens_keys.pop(uri, None)
        self._stale_inputs.discard(uri)
        self.skipped_notified.discard(uri)
        if doc is not None:
            self.workspace.forget_shadow(doc.path, self.scan.clone_index)
            self.server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def too_large(self, doc: Document) -> bool:
        limit = int(self.config.get("max_file_bytes", 2_000_000))
        return len(doc.text) > limit or (len(doc.text) * 4 > limit and len(utf8(doc.text)) > limit)

    def refresh_document_state(self, doc: Document) -> None:
        """Oversized documents keep no tree (edits are not tracked); others track edits."""
        large = self.too_large(doc)
        with doc.state_lock:
            if large:   # skipped until reopened or replaced in full: edits are not even applied
                doc.track_edits, doc.frozen, doc.tree, doc.pending_edits = False, True, None, None
            elif not doc.track_edits:
                doc.track_edits, doc.frozen, doc.pending_edits = True, False, None

    # ---- analysis scheduling --------------------------------------------------------------------
    def schedule(self, doc: Document, delay_ms: int | None = None, full_clones: bool = False) -> None:
        """(Re)start the debounced analysis of ``doc``: a pending one is superseded."""
        previous = self.tasks.get(doc.uri)
        if previous is not None and not previous.done() and previous is not asyncio.current_task():
            previous.cancel()
        if delay_ms is None:
            delay_ms = int(self.config.get("debounce_ms", 200))
        self.tasks[doc.uri] = self.loop.create_task(self._analyse(doc, delay_ms / 1000.0, full_clones))

    def reanalyse(self, doc: Document) -> None:
        """Analyse again because something besides the text changed (clone index, origin, config).
        An idle document is analysed at once. A pending analysis is left alone, so that a background
        event never publishes a version the user is still typing over: it uses the new inputs if it
        has not read them yet, or runs once more after it publishes."""
        pending = self.tasks.get(doc.uri)
        if pending is not None and not pending.done():
            self._stale_inputs.add(doc.uri)
            return
        self.schedule(doc, delay_ms=0)

    async def _analyse(self, doc: Document, delay_s: float, full_clones: bool = False) -> None:
        if delay_s > 0:
            await asyncio.sleep(delay_s)
        await self._settings_known()
        version = doc.version
        self._stale_inputs.discard(doc.uri)
        config, origin = self.config, self.origins.get(doc.uri)
        clone_index = self.scan.clone_index_if_ready()
        try:
            analysed, deferred = await self.loop.run_in_executor(
                self.analysis_pool, self._analyse_blocking, doc, version, config, origin, clone_index,
                full_clones)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("analysis of %s failed", doc.uri)
            return
        if not self._current(doc, analysed):
            return   # superseded by a newer version or closed: never publish an old version
        await self._first_review(doc)
        if not self._current(doc, analysed):
            return
        self.publish(doc, analysed)
        if doc.uri in self._stale_inputs:   # the clone index, origin or config changed meanwhile
            self.schedule(doc, delay_ms=0)
        elif deferred:   # an expensive clone query waits for a pause in typing, then republishes
            self.schedule(doc, clones.CLONE_IDLE_MS, full_clones=True)

    async def _settings_known(self) -> None:
        """The first analyses wait (at most 5 s) for the editor's settings."""
        if self.settings_ready.is_set():
            return
        try:
            await asyncio.wait_for(self.settings_ready.wait(), timeout=5)
        except asyncio.TimeoutError:
            self.settings_ready.set()

    def _current(self, doc: Document, analysed: Analysed | None) -> bool:
        """Whether ``analysed`` is of the open document's current version."""
        return analysed is not None and self.documents.get(doc.uri) is doc and analysed.version == doc.version

    async def _first_review(self, doc: Document) -> None:
        """In review mode a document's first diagnostics wait briefly for its changed lines, so that
        findings in unchanged code do not show at full severity and drop to hints a moment later."""
        pending = self._review_inflight.get(doc.uri)
        if pending is None or doc.uri in self.review_lines or doc.uri in self.latest:
            return
        try:
            await asyncio.wait_for(pending.wait(), FIRST_REVIEW_WAIT_S)
        except asyncio.TimeoutError:
            pass   # git is slow: publish unmarked now, marked when the lines arrive

    def _analyse_blocking(self, doc: Document, version: int, config: Config, origin: Any,
                          clone_index: Any, full_clones: bool = False) -> tuple[Analysed | None, bool]:
        """Worker thread: incremental reparse, then the core analysis (pure, in memory)."""
        with doc.parse_lock:
            if doc.version != version or self.documents.get(doc.uri) is not doc:
                return None, False  # a newer version is already queued
            if not doc.track_edits:
                return self._skipped(doc), False
            text, snap_version, old_tree = doc.snapshot()
            if doc.clone_findings is not None:   # keep them where the text they point at is now
                doc.clone_findings = clones.carry(doc.clone_findings, doc.path, doc.snapshot_line_edits)
            parsed = parse(text, doc.language or "", old_tree=old_tree)
            parsed.memo = doc.metrics_memo   # unchanged functions are not measured again
            doc.tree = parsed.tree
            if snap_version != doc.version:
                return None, False  # superseded while parsing; keep the tree, skip the analysis
            deferred = clones.should_defer(doc, full_clones)
            if not deferred:
                self._query_clones(doc, parsed, config, clone_index)
            found = list(doc.clone_findings or [])
        result = self.workspace.analyse_document(parsed, doc.path, config=config, file_origin=origin, clones=found)
        analysed = Analysed(uri=doc.uri, version=snap_version, language=doc.language, lines=parsed.lines,
                            result=result, root=self.root)
        return analysed, deferred

    def _query_clones(self, doc: Document, parsed: Any, config: Config, clone_index: Any) -> None:
        """The full clone query of this version (with parse_lock held: results stay in edit order)."""
        started = time.perf_counter()
        doc.clone_findings = self.workspace.clone_findings(parsed, doc.path, clone_index, config)
        doc.clone_query_ms = (time.perf_counter() - started) * 1000

    def _skipped(self, doc: Document) -> Analysed:
        from guardline.model import FileResult
        size = len(utf8(doc.text))
        reason = (f"file is {size:,} bytes, over the {int(self.config.get('max_file_bytes')):,}-byte limit "
                  "(max_file_bytes): not analysed")
        result = FileResult(path=doc.path, language=doc.language, error=reason)
        return Analysed(uri=doc.uri, version=doc.version, language=doc.language, lines=[], result=result,
                        root=self.root)

    def publish(self, doc: Document, analysed: Analysed) -> None:
        self.latest[doc.uri] = analysed
        if analysed.result.error and doc.uri not in self.skipped_notified:
            self.skipped_notified.add(doc.uri)
            self.show_message(f"guardline: skipped {os.path.basename(doc.path)}: {analysed.result.error}",
                              t.MessageType.Info)
        self.publish_diagnostics(doc.uri, analysed)
        self.summary_maybe_changed()
        lines = self.review_lines.get(doc.uri)
        if lines is None or lines.version != analysed.version:
            self.request_review(doc)

    def publish_diagnostics(self, uri: str, analysed: Analysed) -> None:
        """Diagnostics of ``analysed``, marked for review mode with the last known changed lines; the
        code lenses are refreshed when what they show (metrics, origin, the ⚠ of a function over a
        limit at its shown severity) changed."""
        self.review_shown[uri] = self._marking(uri)
        shown = self.shown(analysed)
        if self.pull_diagnostics:   # the client pulls; a background change asks it to pull again
            if self.client_supports("workspace.diagnostics.refresh_support"):
                self.server.workspace_diagnostic_refresh(None)
        else:
            self.server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(
                uri=uri, version=analysed.version, diagnostics=features.diagnostics(shown, self.encoding)))
        lens_key = _lens_key(shown)
        if self._lens_keys.get(uri) != lens_key:
            self._lens_keys[uri] = lens_key
            self.refresh_code_lenses()
            if self.client_supports("workspace.inlay_hint.refresh_support"):
                self.server.workspace_inlay_hint_refresh(None)

    def shown(self, analysed: Analysed) -> Analysed:
        """``analysed`` as the user sees it: in review mode, findings in unchanged code are hints."""
        lines = self._marking(analysed.uri)
        return analysed if lines is None else replace(analysed, result=review.mark(analysed.result, lines))

    def _marking(self, uri: str) -> review.ChangedLines | None:
        """The changed lines review mode marks ``uri``'s findings with (None: not marked)."""
        return self.review_lines.get(uri) if self.review.enabled else None

    def refresh_code_lenses(self) -> None:
        if self.client_supports("workspace.code_lens.refresh_support"):
            self.server.workspace_code_lens_refresh(None)

    async def current(self, uri: str) -> Analysed | None:
        """The analysis of the document's current version, waiting briefly for a pending one."""
        deadline = time.monotonic() + RESULT_WAIT_S
        while True:
            doc = self.documents.get(uri)
            latest = self.latest.get(uri)
            if doc is None or (latest is not None and latest.version == doc.version):
                return latest
            task = self.tasks.get(uri)
            remaining = deadline - time.monotonic()
            if task is None or remaining <= 0:
                return latest
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=remaining)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                if self.tasks.get(uri) is task:
                    return self.latest.get(uri)
            except Exception:
                return self.latest.get(uri)

    # ---- origin (background) --------------------------------------------------------------------
    def request_origin(self, doc: Document) -> None:
        if doc.frozen:   # over max_file_bytes: not analysed, so its origin (blame, markers) is not needed
            return
        if not self.config.get("origin.enabled", True):
            return
        future = self.loop.run_in_executor(self.background_pool, self._resolve_origin, doc, self.workspace)
        future.add_done_callback(lambda fut, doc=doc: self._origin_arrived(doc, fut))

    @staticmethod
    def _resolve_origin(doc: Document, workspace: Workspace) -> Any:
        return workspace.file_origin(doc.path, doc.text)

    def _origin_arrived(self, doc: Document, future: "asyncio.Future[Any]") -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.warning("origin of %s failed: %s", doc.path, exc)
            return
        if self.documents.get(doc.uri) is not doc or future.result() is None:
            return
        file_origin = future.result()
        self.origins[doc.uri] = file_origin
        if _informative(file_origin):
            self.reanalyse(doc)   # republish with origin-aware severities

    def origin_ranges(self, uri: str) -> dict[str, Any]:
        doc = self.documents.get(uri)
        analysed = self.latest.get(uri)
        file_origin = self.origins.get(uri)
        ranges = origin_payload.origin_ranges(list(ai_ranges(file_origin)) if file_origin is not None else [],
                                              analysed.result if analysed else None)
        return {"uri": uri, "version": doc.version if doc else None, "ranges": ranges}

    # ---- review mode (background git) -----------------------------------------------------------
    def reset_review(self) -> None:
        base = str(self.config.get("review.base", "") or "").strip()
        if (base, self.root) == (self.review.base, self.review.root):
            return
        self.review = review.ReviewService(self.root, base)
        self.review_lines.clear()
        self._review_blocked.clear()
        self._review_errors_shown.clear()

    def request_review(self, doc: Document, *, force: bool = False) -> None:
        """Compute the changed lines of the document's current text in the background, at most one
        computation per document at a time (a newer version is picked up when it ends)."""
        if not self.review.enabled or doc.language is None or doc.frozen:
            return
        if doc.uri in self._review_inflight:
            if force:
                self._review_again.add(doc.uri)
            return
        known = self.review_lines.get(doc.uri)
        if not force and (doc.uri in self._review_blocked or (known is not None and known.version == doc.version)):
            return
        self._review_inflight[doc.uri] = asyncio.Event()
        service, text, version = self.review, doc.text, doc.version
        future = self.loop.run_in_executor(self.background_pool, service.changed_lines, doc.path, text, version)
        future.add_done_callback(lambda fut, doc=doc, service=service: self._review_arrived(doc, service, fut))

    def _review_arrived(self, doc: Document, service: review.ReviewService, future: "asyncio.Future[Any]") -> None:
        self._review_done(doc.uri)
        again = doc.uri in self._review_again
        self._review_again.discard(doc.uri)
        current = self.documents.get(doc.uri)
        if future.cancelled() or service is not self.review or current is not doc:
            if current is not None and not future.cancelled():   # reopened, or the base changed, meanwhile
                self.request_review(current)
            return
        exc = future.exception()
        if exc is not None:
            self._review_blocked.add(doc.uri)
            self._review_failed(exc)
            if again:
                self.request_review(doc, force=True)
            return
        self._review_blocked.discard(doc.uri)
        self._use_review_lines(doc, future.result(), again)

    def _review_done(self, uri: str) -> None:
        finished = self._review_inflight.pop(uri, None)
        if finished is not None:
            finished.set()

    def _use_review_lines(self, doc: Document, lines: review.ChangedLines, again: bool) -> None:
        """Republish when the marking changed; recompute when the buffer or the merge-base moved on."""
        merge_base_moved = any(other.merge_base != lines.merge_base for other in self.review_lines.values())
        self.review_lines[doc.uri] = lines
        analysed = self.latest.get(doc.uri)
        if analysed is not None and not _same_marking(self.review_shown.get(doc.uri), lines):
            self.publish_diagnostics(doc.uri, analysed)
        if again or lines.version != doc.version:
            self.request_review(doc, force=again)
        if merge_base_moved:   # HEAD or the base moved (commit, checkout, fetch): the others are stale
            for other in list(self.documents.values()):
                if other is not doc:
                    self.request_review(other, force=True)

    def _review_failed(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, review.ReviewUnavailable) else f"review mode failed: {exc}"
        if message not in self._review_errors_shown:
            self._review_errors_shown.add(message)
            self.show_message(f"guardline: {message}; showing every finding at its own severity")

    # ---- summary --------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        results = dict(self.scan.results)
        for analysed in self.latest.values():   # as shown: review mode's hints count as hints
            results[os.path.abspath(analysed.result.path)] = self.shown(analysed).result
        summary = summarize(results.values(), indexing=self.scan.running)
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


def _informative(file_origin: Any) -> bool:
    """Whether an origin result can change anything (no git / no evidence: every line unknown)."""
    lines = getattr(file_origin, "lines", None)
    if lines is None:
        return True
    return any(getattr(rec, "origin", "unknown") != "unknown" for rec in lines)


def _same_marking(shown: review.ChangedLines | None, lines: review.ChangedLines) -> bool:
    return shown is not None and (shown.lines, shown.whole) == (lines.lines, lines.whole)


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
