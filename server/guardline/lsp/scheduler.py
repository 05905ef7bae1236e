"""When each open document is analysed, and what one analysis does in the worker thread.

``Scheduler`` runs on the asyncio loop: edits are debounced, a newer version supersedes a pending
analysis, a background event (clone index ready, origin resolved, configuration changed) re-analyses an
idle document at once but leaves a pending analysis alone (it picks up the new inputs, or runs once more
after it publishes), and only the open document's current version is ever published.

The analysis itself is a plain function (``AnalyseFn``) run in the analysis pool; the scheduler takes
it as a parameter, so tests drive the scheduling with an analysis they control.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol

from guardline.config import Config
from guardline.lsp import clones, features
from guardline.lsp.docstate import DocState
from guardline.lsp.documents import Document, utf8
from guardline.lsp.features import Analysed
from guardline.model import FileResult
from guardline.parsing import ParsedDocument, parse

if TYPE_CHECKING:
    from guardline.workspace import Workspace

log = logging.getLogger("guardline.lsp")


@dataclass(frozen=True)
class Inputs:
    """What an analysis reads besides the document's text."""

    config: Config
    root: str
    workspace: Workspace
    origin: Any = None          # the document's FileOrigin (None: not resolved yet, or origin off)
    clone_index: Any = None     # the workspace clone index (None: not built yet)


# (document state, version to analyse, inputs, full clone query) -> (analysis or None when
# superseded or closed, whether the clone query was deferred to a pause in typing)
AnalyseFn = Callable[[DocState, int, Inputs, bool], "tuple[Analysed | None, bool]"]


class SchedulerHost(Protocol):
    """What the scheduler asks of the server."""

    @property
    def loop(self) -> asyncio.AbstractEventLoop: ...

    def debounce_ms(self) -> int: ...

    def inputs(self, state: DocState) -> Inputs: ...

    async def before_analysis(self) -> None: ...

    async def before_publish(self, state: DocState) -> None: ...

    def publish(self, state: DocState, analysed: Analysed) -> None: ...


class Scheduler:
    def __init__(self, host: SchedulerHost, pool: Executor, analyse: AnalyseFn | None = None) -> None:
        self.host = host
        self.pool = pool
        self.analyse: AnalyseFn = analyse or analyse_document
        self.closed = False

    def close(self) -> None:
        """The server shuts down: nothing is scheduled any more (an origin or the clone index arriving
        after `shutdown` would otherwise submit to a pool that is gone and log an error)."""
        self.closed = True

    def schedule(self, state: DocState, delay_ms: int | None = None, full_clones: bool = False) -> None:
        """(Re)start the debounced analysis of ``state``: a pending one is superseded."""
        if self.closed:
            return
        previous = state.task
        if previous is not None and not previous.done() and previous is not asyncio.current_task():
            previous.cancel()
        if delay_ms is None:
            delay_ms = self.host.debounce_ms()
        state.task = self.host.loop.create_task(self._run(state, delay_ms / 1000.0, full_clones))

    def reanalyse(self, state: DocState) -> None:
        """Analyse again because something besides the text changed (clone index, origin, config).
        An idle document is analysed at once. A pending analysis is left alone, so that a background
        event never publishes a version the user is still typing over: it uses the new inputs if it
        has not read them yet, or runs once more after it publishes."""
        if state.pending():
            state.stale_inputs = True
            return
        self.schedule(state, delay_ms=0)

    def cancel(self, state: DocState) -> None:
        if state.task is not None:
            state.task.cancel()

    async def _run(self, state: DocState, delay_s: float, full_clones: bool) -> None:
        if delay_s > 0:
            await asyncio.sleep(delay_s)
        await self.host.before_analysis()
        if self.closed:
            return
        version = state.doc.version
        state.stale_inputs = False
        inputs = self.host.inputs(state)
        try:
            analysed, deferred = await self.host.loop.run_in_executor(
                self.pool, self.analyse, state, version, inputs, full_clones)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("analysis of %s failed", state.uri)
            return
        if not is_current(state, analysed):
            return   # superseded by a newer version or closed: never publish an old version
        await self.host.before_publish(state)
        if analysed is None or not is_current(state, analysed):
            return
        self.host.publish(state, analysed)
        if state.stale_inputs:   # the clone index, origin or config changed meanwhile
            self.schedule(state, delay_ms=0)
        elif deferred:   # an expensive clone query or security scan waits for a pause in typing
            self.schedule(state, clones.CLONE_IDLE_MS, full_clones=True)


def is_current(state: DocState, analysed: Analysed | None) -> bool:
    """Whether ``analysed`` is of the open document's current version."""
    return analysed is not None and not state.closed and analysed.version == state.doc.version


# The modules every first analysis imports (the language's own tables come with its first document).
FIRST_ANALYSIS_MODULES = ("guardline.pipeline", "guardline.metrics.engine", "guardline.thresholds",
                          "guardline.suppressions", "guardline.security.engine", "guardline.security.secrets")


def warm_up() -> None:
    """Import what the first analysis and its publish need, on a worker, while the client finishes the
    handshake (initialize -> initialized -> didOpen): the first didOpen then waits for less. The first
    analysis waits on the same import locks, so nothing is imported twice."""
    try:
        for name in FIRST_ANALYSIS_MODULES:
            importlib.import_module(name)
        features.rule_href("")   # loads every rule module once (help links of the diagnostics)
    except Exception:   # the analysis will report its own import failure
        log.exception("warming up the analysis failed")


# ---- the analysis of one version (worker thread) ------------------------------------------------
def analyse_document(state: DocState, version: int, inputs: Inputs,
                     full_clones: bool = False) -> tuple[Analysed | None, bool]:
    """Incremental reparse, then the core analysis (pure, in memory)."""
    doc = state.doc
    with doc.parse_lock:
        if doc.version != version or state.closed:
            return None, False  # a newer version is already queued
        if not doc.track_edits:
            return skipped(state, inputs), False
        text, snap_version, old_tree = doc.snapshot()
        if doc.clone_findings is not None:   # keep them where the text they point at is now
            doc.clone_findings = clones.carry(doc.clone_findings, doc.path, doc.snapshot_line_edits)
        if doc.security_findings is not None:   # the same; a replaced text is scanned again
            edits = doc.snapshot_line_edits
            doc.security_findings = None if edits is None else clones.carry(doc.security_findings, doc.path, edits)
        parsed = parse(text, doc.language or "", old_tree=old_tree)
        parsed.memo = doc.metrics_memo   # unchanged functions are not measured again
        doc.tree = parsed.tree
        if snap_version != doc.version:
            return None, False  # superseded while parsing; keep the tree, skip the analysis
        deferred = clones.should_defer(doc, full_clones)
        if not deferred:
            _query_clones(state, parsed, inputs)
        found = list(doc.clone_findings or [])
        security_deferred = _security_deferred(doc, inputs.config, full_clones)
        if not security_deferred:
            _scan_security(doc, parsed, inputs.config)
        security = list(doc.security_findings or [])
    started = time.perf_counter()
    result = inputs.workspace.analyse_document(parsed, doc.path, config=inputs.config, file_origin=inputs.origin,
                                               clones=found, security=security)
    doc.analysis_ms = (time.perf_counter() - started) * 1000
    analysed = Analysed(uri=doc.uri, version=snap_version, language=doc.language, lines=parsed.lines,
                        result=result, root=inputs.root)
    return analysed, deferred or security_deferred


# A security scan (hotspot queries, taint, secrets) of 3,000 lines can cost 25-45 ms, most of a keystroke:
# when the last scan of a document cost more than this, a keystroke carries its findings moved along with
# the edits (a finding on an edited line is dropped until the next scan, never shown at a wrong place) and
# the scan runs once typing pauses, like an expensive clone query (guardline.lsp.clones).
# GUARDLINE_SECURITY_BUDGET_MS: for tests (0 defers every scan after the first one).
SECURITY_INLINE_BUDGET_MS = float(os.environ.get("GUARDLINE_SECURITY_BUDGET_MS", "8"))
# ... and when the scan and the rest of the analysis (metrics, thresholds: the last analysis's cost) would
# take a keystroke over this together (a 3,000-line file: ~5-8 ms of metrics with the memo, ~4-5 ms of
# scan), so that the diagnostics a keystroke changes most, the function metrics, come within one frame
# budget. Small and medium files are scanned on every keystroke. GUARDLINE_KEYSTROKE_BUDGET_MS: tests.
KEYSTROKE_BUDGET_MS = float(os.environ.get("GUARDLINE_KEYSTROKE_BUDGET_MS", "10"))


def _security_deferred(doc: Document, config: Config, forced: bool) -> bool:
    """Carry the previous scan's findings instead of scanning: known expensive, same config."""
    expensive = (doc.security_scan_ms > SECURITY_INLINE_BUDGET_MS
                 or doc.security_scan_ms + doc.analysis_ms > KEYSTROKE_BUDGET_MS)
    return not forced and doc.security_findings is not None and doc.security_config is config and expensive


def _scan_security(doc: Document, parsed: ParsedDocument, config: Config) -> None:
    """The security findings of this version (with parse_lock held: they stay in edit order)."""
    from guardline.pipeline import security_findings   # imported by the first analysis anyway (warm_up)
    from guardline.security import engine

    compiled_before = engine.compilations()
    started = time.perf_counter()
    doc.security_findings = security_findings(parsed, doc.path, config)
    elapsed_ms = (time.perf_counter() - started) * 1000
    # a scan that compiled the language's queries (its first, ~0.1 s) says nothing about the document:
    # unmeasured, so the next keystroke scans and measures (else a 60-line file looked expensive forever)
    doc.security_scan_ms = elapsed_ms if engine.compilations() == compiled_before else 0.0
    doc.security_config = config


def _query_clones(state: DocState, parsed: ParsedDocument, inputs: Inputs) -> None:
    """The full clone query of this version (with parse_lock held: results stay in edit order)."""
    doc = state.doc
    if inputs.clone_index is None:   # no index yet (the first publish): no clones, and no duplication import
        doc.clone_findings, doc.clone_query_ms = [], 0.0
        return
    started = time.perf_counter()
    doc.clone_findings = inputs.workspace.clone_findings(parsed, doc.path, inputs.clone_index, inputs.config)
    doc.clone_query_ms = (time.perf_counter() - started) * 1000


def skipped(state: DocState, inputs: Inputs) -> Analysed:
    """The result of a document over max_file_bytes: an error, no analysis."""
    doc = state.doc
    size = len(utf8(doc.text))
    reason = (f"file is {size:,} bytes, over the {int(inputs.config.get('max_file_bytes')):,}-byte limit "
              "(max_file_bytes): not analysed")
    result = FileResult(path=doc.path, language=doc.language, error=reason)
    return Analysed(uri=doc.uri, version=doc.version, language=doc.language, lines=[], result=result,
                    root=inputs.root)
