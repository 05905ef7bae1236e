"""The workspace scan runs in the server's process, taking the GIL in turns with the keystroke analysis,
so each of its phases (a chunk of files, the clone index, the workspace's clone findings) first waits for
a pause in typing (`Session.typing_pause`: TYPING_PAUSE_S without an edit, at most TYPING_PAUSE_MAX_S).
Only lower bounds on waiting are asserted: a slow machine never fails these."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from lsprotocol import types as t

from guardline.lsp import session as session_module
from guardline.lsp.session import Session
from test_lsp_reanalyse import FakeServer


def make_session(tmp_path) -> Session:
    session = Session(FakeServer())
    session.root = str(tmp_path)
    return session


def type_a_key(session: Session, uri: str, version: int) -> None:
    position = t.Position(line=0, character=0)
    session.did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[t.TextDocumentContentChangePartial(range=t.Range(start=position, end=position), text="x")]))


@pytest.mark.asyncio
async def test_an_edit_is_remembered_and_the_scan_waits_out_the_pause(tmp_path, monkeypatch):
    monkeypatch.setattr(session_module, "TYPING_PAUSE_S", 0.3)
    monkeypatch.setattr(session_module, "TYPING_PAUSE_MAX_S", 60.0)
    session = make_session(tmp_path)
    uri = (tmp_path / "a.py").as_uri()
    session.did_open(t.TextDocumentItem(uri=uri, language_id="python", version=1, text="a = 1\n"))
    type_a_key(session, uri, 2)
    started = time.monotonic()
    assert session.last_edit >= started - 1.0, "didChange records when the user typed"
    session.typing_pause(threading.Event())
    assert time.monotonic() - session.last_edit >= 0.3, "returned only after 0.3 s without an edit"


def test_continuous_typing_holds_the_scan_back_at_most_the_maximum(tmp_path, monkeypatch):
    monkeypatch.setattr(session_module, "TYPING_PAUSE_S", 60.0)
    monkeypatch.setattr(session_module, "TYPING_PAUSE_MAX_S", 0.3)
    session = make_session(tmp_path)
    session.last_edit = time.monotonic()     # typing just now, and the pause (60 s) never comes
    started = time.monotonic()
    session.typing_pause(threading.Event())
    assert time.monotonic() - started >= 0.3


def test_no_typing_or_a_cancelled_scan_does_not_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(session_module, "TYPING_PAUSE_S", 60.0)
    monkeypatch.setattr(session_module, "TYPING_PAUSE_MAX_S", 60.0)
    session = make_session(tmp_path)
    started = time.monotonic()
    session.typing_pause(threading.Event())            # nothing typed since the start (last_edit 0)
    cancel = threading.Event()
    cancel.set()
    session.last_edit = time.monotonic()
    session.typing_pause(cancel)                       # typing, but the scan is cancelled
    assert time.monotonic() - started < 30, "neither call waited for the 60 s pause"


@pytest.mark.asyncio
async def test_each_scan_phase_waits_for_a_typing_pause(tmp_path, monkeypatch):
    """The scan of a two-file workspace asks for a pause before its chunk of files, before the clone
    index and before the workspace's clone findings."""
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("def f(a):\n    return a\n")
    session = make_session(tmp_path)
    session.workspace = session.workspace.__class__(str(tmp_path), session.config, shared_resolver=False)
    phases: list[str] = []
    real = session.typing_pause

    def recorded(cancel: threading.Event) -> None:
        phases.append("pause")
        real(cancel)

    monkeypatch.setattr(session, "typing_pause", recorded)
    session.start_scan()
    for _ in range(600):
        if session.scan.clone_index is not None:
            break
        await asyncio.sleep(0.05)
    assert session.scan.clone_index is not None, "the scan finished"
    assert phases == ["pause", "pause", "pause"]
