"""Shared helpers for the language-server tests (no tests here): start the real server process
(`python -m guardline.lsp`) under a pytest-lsp client that records every notification."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
import time
from pathlib import Path
from typing import Any, AsyncIterator

from lsprotocol import types as t
from pytest_lsp.client import LanguageClient, client_capabilities, make_test_lsp_client

SERVER_CMD = [sys.executable, "-m", "guardline.lsp"]
COMPLEX_PY = '''def simple(x):
    return x + 1


def tangled(a, b, c, d):
    if a:
        for i in range(b):
            if c and d:
                while i:
                    if i % 2:
                        i -= 1
                    elif d or c:
                        i -= 2
                    else:
                        break
            elif b > 3:
                try:
                    pass
                except ValueError:
                    if a or b:
                        return 1
    return 0
'''


class Recorder:
    """Every publishDiagnostics (in arrival order) and custom notification the client received."""

    def __init__(self, client: LanguageClient):
        self.client = client
        self.published: list[t.PublishDiagnosticsParams] = []
        self.summaries: list[Any] = []
        self.event = asyncio.Event()
        fm = client.protocol.fm
        original = fm.features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

        def on_publish(params: t.PublishDiagnosticsParams) -> None:
            self.published.append(params)
            self.event.set()
            original(params)

        fm.features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish

        @client.feature("guardline/summaryChanged")
        def on_summary(params: Any) -> None:
            self.summaries.append(params)
            self.event.set()

        @client.feature(t.WORKSPACE_CODE_LENS_REFRESH)
        def on_refresh(params: Any) -> None:
            return None

        @client.feature(t.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: t.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

        self.registrations: list[t.Registration] = []

    def for_uri(self, uri: str) -> list[t.PublishDiagnosticsParams]:
        return [p for p in self.published if p.uri == uri]

    async def wait_for(self, predicate: Any, timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("timed out waiting for the server")
            self.event.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.event.wait(), timeout=min(remaining, 0.2))

    async def wait_publish(self, uri: str, version: int | None = None, timeout: float = 15.0) -> t.PublishDiagnosticsParams:
        def found() -> Any:
            for params in reversed(self.for_uri(uri)):
                if version is None or params.version == version:
                    return params
            return None
        return await self.wait_for(found, timeout)


@contextlib.asynccontextmanager
async def running_server(root: Path, *, init_options: dict[str, Any] | None = None, settings: dict[str, Any] | None = None,
                         capabilities: Any = "visual-studio-code", extra_args: list[str] | None = None
                         ) -> AsyncIterator[tuple[LanguageClient, Recorder]]:
    client = make_test_lsp_client()
    recorder = Recorder(client)
    if settings is not None:
        client.set_configuration(settings, section="guardline")
    await client.start_io(*SERVER_CMD, *(extra_args or []), cwd=str(root))
    caps = client_capabilities(capabilities) if isinstance(capabilities, str) else capabilities
    result = await client.initialize_session(t.InitializeParams(
        capabilities=caps, root_uri=root.as_uri(),
        workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name="root")],
        initialization_options=init_options))
    client.server_capabilities = result.capabilities   # what the server announced
    try:
        yield client, recorder
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.shutdown_session(), timeout=10)
        with contextlib.suppress(Exception):
            await client.stop()


class SharedServer:
    """One server process for the independent tests of a module (starting one costs about a second):
    each test gets its own directory under the shared root, and the documents it opened are closed
    after it, so no test sees another's buffers. Use for tests that do not change the configuration
    or stop the server."""

    def __init__(self, root: Path, client: LanguageClient, recorder: Recorder):
        self.root, self.client, self.recorder = root, client, recorder
        self._names = itertools.count(1)

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[tuple[LanguageClient, Recorder, Path]]:
        directory = self.root / f"t{next(self._names)}"
        directory.mkdir()
        opened_before = set(self.client_open())
        try:
            yield self.client, self.recorder, directory
        finally:
            for uri in set(self.client_open()) - opened_before:
                self.client.text_document_did_close(t.DidCloseTextDocumentParams(
                    text_document=t.TextDocumentIdentifier(uri=uri)))

    def client_open(self) -> list[str]:
        return list(getattr(self.client, "guardline_open", ()))


@contextlib.asynccontextmanager
async def shared_server(root: Path, **kwargs: Any) -> AsyncIterator[SharedServer]:
    async with running_server(root, **kwargs) as (client, recorder):
        yield SharedServer(root, client, recorder)


def open_doc(client: LanguageClient, path: Path, text: str, language_id: str = "python", version: int = 1) -> str:
    uri = path.as_uri()
    if not hasattr(client, "guardline_open"):
        client.guardline_open = []   # what SharedServer closes after a test
    client.guardline_open.append(uri)
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        text_document=t.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)))
    return uri


def insert(client: LanguageClient, uri: str, version: int, line: int, character: int, text: str) -> None:
    pos = t.Position(line=line, character=character)
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[t.TextDocumentContentChangePartial(range=t.Range(start=pos, end=pos), text=text)]))


def codes(params: t.PublishDiagnosticsParams) -> list[str]:
    return sorted(str(d.code) for d in params.diagnostics)
