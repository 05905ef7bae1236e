"""The session's scheduling when something besides the text changes (clone index ready, origin resolved,
configuration changed) while an analysis is pending or running, and what closing a document forgets.
Driven directly, with a stand-in for the pygls server and an analysis (the scheduler's ``analyse``
seam) that blocks until the test releases it, so each timing is deterministic (through the real
protocol these races depend on the machine's speed)."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

import pytest
from lsprotocol import types as t

from guardline.lsp.features import Analysed
from guardline.lsp.review import ChangedLines, ReviewUnavailable
from guardline.lsp.session import Session
from guardline.model import FileResult

pytestmark = pytest.mark.asyncio


class FakeServer:
    """What Session calls on the pygls server: publishes are recorded, the rest does nothing."""

    def __init__(self) -> None:
        self.client_capabilities = t.ClientCapabilities()
        self.published: list[int | None] = []
        self.protocol = SimpleNamespace(notify=lambda *args: None)

    def text_document_publish_diagnostics(self, params: t.PublishDiagnosticsParams) -> None:
        self.published.append(params.version)

    def publish_diagnostics_json(self, uri: str, version: int | None, items: list) -> None:
        self.published.append(version)

    def unstructure(self, value):
        return value

    def window_log_message(self, params) -> None:
        pass

    def window_show_message(self, params) -> None:
        pass


class Rig:
    """A session whose analyses record (version, the value of ``inputs`` when they read them) and
    block until ``release`` is set."""

    def __init__(self, tmp_path, debounce_ms: int) -> None:
        self.server = FakeServer()
        self.session = Session(self.server, analyse=self._blocking)
        self.session.root = str(tmp_path)
        self.session.config = self.session.config.with_overrides(
            {"debounce_ms": debounce_ms, "origin": {"enabled": False}})
        self.session.settings_ready.set()
        self.inputs = "old"
        self.reads: list[tuple[int, str]] = []
        self.release = threading.Event()

    def _blocking(self, state, version, inputs, full_clones=False):
        self.reads.append((version, self.inputs))
        self.release.wait(10)
        return Analysed(uri=state.doc.uri, version=version, language="python", lines=[],
                        result=FileResult(path=state.doc.path, language="python")), False

    def open(self, path) -> object:
        item = t.TextDocumentItem(uri=path.as_uri(), language_id="python", version=1, text="x = 1\n")
        self.session.did_open(item)
        return self.session.documents[item.uri]

    async def until(self, predicate) -> None:
        for _ in range(500):
            if predicate():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("timed out")


async def test_inputs_changed_while_an_analysis_runs_cause_one_more_run_after_it(tmp_path):
    """The clone index (say) arrives while version 1's analysis is in the worker: that run is not
    cancelled (its version is published), then version 1 is analysed once more with the new inputs."""
    rig = Rig(tmp_path, debounce_ms=0)
    doc = rig.open(tmp_path / "a.py")
    await rig.until(lambda: rig.reads == [(1, "old")])
    rig.inputs = "new"
    rig.session.reanalyse(doc)
    rig.release.set()
    await rig.until(lambda: len(rig.server.published) == 2)
    assert rig.reads == [(1, "old"), (1, "new")], "one more run, and it reads the new inputs"
    assert rig.server.published == [1, 1]


async def test_inputs_changed_while_edits_are_debounced_wait_for_the_debounce(tmp_path):
    """An origin (say) resolves while an edit's analysis waits out its debounce: nothing runs at once;
    the debounced run reads the new inputs and is the only one for version 2."""
    rig = Rig(tmp_path, debounce_ms=300)
    rig.release.set()
    doc = rig.open(tmp_path / "a.py")
    await rig.until(lambda: rig.server.published == [1])
    doc.version = 2
    rig.session.schedule(doc)          # what didChange does after applying the edit
    rig.inputs = "new"
    rig.session.reanalyse(doc)
    await asyncio.sleep(0.1)
    assert rig.reads == [(1, "old")], "no run before the debounce ends"
    await rig.until(lambda: rig.server.published == [1, 2])
    await asyncio.sleep(0.1)
    assert rig.reads == [(1, "old"), (2, "new")] and rig.server.published == [1, 2]


async def test_an_idle_document_is_analysed_at_once(tmp_path):
    rig = Rig(tmp_path, debounce_ms=300)
    rig.release.set()
    doc = rig.open(tmp_path / "a.py")
    await rig.until(lambda: rig.server.published == [1])
    rig.inputs = "new"
    rig.session.reanalyse(doc)
    await rig.until(lambda: rig.server.published == [1, 1])
    assert rig.reads == [(1, "old"), (1, "new")], "no debounce: nothing is being typed"


class FlakyReview:
    """A ReviewService whose first computation fails (the base ref does not exist yet) and whose
    later ones succeed (the user fetched it); counts the computations."""

    def __init__(self, root) -> None:
        self.root, self.base, self.enabled, self.calls = str(root), "main", True, 0

    def changed_lines(self, path, text, version):
        self.calls += 1
        if self.calls == 1:
            raise ReviewUnavailable("review.base 'main' does not exist here")
        return ChangedLines(version, frozenset({1}), base="main", merge_base="abc")


async def test_closing_a_document_forgets_its_review_failure(tmp_path):
    """A failed review computation blocks retries per edit until a save or a config change. Closing
    the document must forget that (it forgot it before DocState: the blocked set outlived the close, so
    the reopened file was never marked until the user saved it)."""
    rig = Rig(tmp_path, debounce_ms=0)
    rig.release.set()
    flaky = FlakyReview(tmp_path)
    rig.session.review.service = flaky
    path = tmp_path / "a.py"
    rig.open(path)
    await rig.until(lambda: flaky.calls == 1 and rig.server.published == [1])
    await asyncio.sleep(0.05)   # the failure arrives on the loop
    rig.session.did_close(path.as_uri())
    rig.open(path)
    await rig.until(lambda: flaky.calls == 2)
    state = rig.session.states[path.as_uri()]
    await rig.until(lambda: state.review.lines is not None)
    assert state.review.lines.lines == frozenset({1}), "the reopened document got its changed lines"


async def test_closing_a_document_drops_every_piece_of_its_state(tmp_path):
    """Everything the server derived from a document lives in its DocState: after didClose the session
    holds nothing for that URI, and a result still running for it is dropped, not published."""
    rig = Rig(tmp_path, debounce_ms=0)
    path = tmp_path / "a.py"
    rig.open(path)
    await rig.until(lambda: rig.reads == [(1, "old")])
    state = rig.session.states[path.as_uri()]
    rig.session.did_close(path.as_uri())
    rig.release.set()
    await asyncio.sleep(0.1)
    assert path.as_uri() not in rig.session.states and state.closed
    assert rig.server.published == [None], "only the close's empty publish (version None), not version 1"


async def test_nothing_is_analysed_after_shutdown(tmp_path, caplog):
    """An origin or the clone index can arrive after `shutdown` (their futures run on): the reanalysis
    they ask for must neither run nor log 'analysis ... failed' (before this, it submitted to the shut
    down analysis pool: RuntimeError 'cannot schedule new futures after shutdown', logged as an error)."""
    rig = Rig(tmp_path, debounce_ms=0)
    rig.release.set()
    doc = rig.open(tmp_path / "a.py")
    await rig.until(lambda: rig.server.published == [1])
    rig.session.shutdown()
    rig.session.reanalyse(doc)
    await asyncio.sleep(0.1)
    assert rig.reads == [(1, "old")] and rig.server.published == [1]
    assert not [r for r in caplog.records if r.levelname == "ERROR"], caplog.text
