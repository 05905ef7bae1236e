"""`guardline serve`: the pygls server, its LSP handlers and commands, and ``main(argv)``.

Handlers are thin: they translate LSP params to Session calls. See docs/architecture.md,
"Editor protocol", for the contract with editors.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import ipaddress
import logging
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from guardline import __version__
from guardline import array_backend as arrays
from guardline.lsp import features, framing
from guardline.lsp.protocol import PARSE_ERROR, GuardlineProtocol
from guardline.lsp.session import Session

log = logging.getLogger("guardline.lsp")


class RequestFailed(JsonRpcException):
    """An error response with a message meant for the user."""

    CODE = -32803   # RequestFailed (LSP 3.17)


class GuardlineServer(LanguageServer):
    protocol: GuardlineProtocol   # protocol_cls below

    def __init__(self) -> None:
        super().__init__("guardline", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
                         protocol_cls=GuardlineProtocol, max_workers=4)
        self.session = Session(self)

    # pygls's start_io/start_tcp run pygls.io_.run_async, which cannot survive a bad frame (see
    # guardline.lsp.framing): the same transports, with guardline's message loop.
    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        self._stop_event = threading.Event()
        stdin = stdin or sys.stdin.buffer
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        # a reader thread of its own: the handler pool may be busy with analyses
        reading = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guardline-stdin")

        async def read() -> bytes:
            return await asyncio.get_running_loop().run_in_executor(reading, _read_some, stdin)
        try:
            asyncio.run(framing.serve(read, self.protocol, self._stop_event))
        except BrokenPipeError:
            log.error("the client closed the connection: shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            reading.shutdown(wait=False)
            self.shutdown()   # type: ignore[no-untyped-call]  # pygls: Server.shutdown is unannotated

    def start_tcp(self, host: str, port: int) -> None:
        self._stop_event = stop_event = threading.Event()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.protocol.set_writer(writer)
            await framing.serve(lambda: reader.read(framing.READ_CHUNK), self.protocol, stop_event)
            self.shutdown()   # type: ignore[no-untyped-call]  # pygls: Server.shutdown is unannotated

        async def listen() -> None:
            self._server = await asyncio.start_server(connection, host, port)
            async with self._server:
                await self._server.serve_forever()
        try:
            asyncio.run(listen())
        except asyncio.CancelledError:
            pass

    def publish_diagnostics_json(self, uri: str, version: int | None, items: list[Any]) -> None:
        """textDocument/publishDiagnostics with diagnostics already unstructured (DiagnosticsCache)."""
        params: dict[str, Any] = {"uri": uri, "diagnostics": items}
        if version is not None:
            params["version"] = version
        self.protocol.notify_json(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def unstructure(self, value: Any) -> Any:
        return self.protocol.unstructure(value)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log instead of popping a message; answer unparsable input with a JSON-RPC parse error."""
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)
        if isinstance(error, ValueError) and source is JsonRpcException:   # json.JSONDecodeError
            self.protocol.send_error(None, PARSE_ERROR, f"parse error: {error}")


def _read_some(stream: Any) -> bytes:
    """Whatever bytes are available (at least one, or b"" at end of stream)."""
    read1 = getattr(stream, "read1", None)
    data: bytes = read1(framing.READ_CHUNK) if read1 is not None else stream.read(1)
    return data


def create_server() -> GuardlineServer:
    server = GuardlineServer()
    _register_lifecycle(server)
    _register_documents(server)
    _register_features(server)
    _register_commands(server)
    _register_custom(server)
    return server


def _register_lifecycle(server: GuardlineServer) -> None:
    session = server.session

    @server.feature(t.INITIALIZE)
    def initialize(ls: GuardlineServer, params: t.InitializeParams) -> None:
        session.initialize(params)
        if session.pull_diagnostics:   # registered before pygls computes the capabilities
            _register_pull_diagnostics(ls)

    @server.feature(t.INITIALIZED)
    async def initialized(ls: GuardlineServer, params: t.InitializedParams) -> None:
        await session.initialized()

    @server.feature(t.SHUTDOWN)
    def shutdown(ls: GuardlineServer, params: Any = None) -> None:
        session.shutdown()

    @server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: GuardlineServer, params: t.DidChangeConfigurationParams) -> None:
        await session.settings_changed(params.settings)

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: GuardlineServer, params: t.DidChangeWatchedFilesParams) -> None:
        session.watched_files_changed(params)


def _register_documents(server: GuardlineServer) -> None:
    session = server.session

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GuardlineServer, params: t.DidOpenTextDocumentParams) -> None:
        session.did_open(params.text_document)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GuardlineServer, params: t.DidChangeTextDocumentParams) -> None:
        session.did_change(params)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE, t.SaveOptions(include_text=False))
    def did_save(ls: GuardlineServer, params: t.DidSaveTextDocumentParams) -> None:
        session.did_save(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GuardlineServer, params: t.DidCloseTextDocumentParams) -> None:
        session.did_close(params.text_document.uri)


def _register_features(server: GuardlineServer) -> None:
    session = server.session

    @server.feature(t.TEXT_DOCUMENT_CODE_LENS, t.CodeLensOptions(resolve_provider=False))
    async def code_lens(ls: GuardlineServer, params: t.CodeLensParams) -> list[t.CodeLens]:
        analysed = await session.current(params.text_document.uri)
        return features.code_lenses(session.shown(analysed)) if analysed else []

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    async def hover(ls: GuardlineServer, params: t.HoverParams) -> t.Hover | None:
        analysed = await session.current(params.text_document.uri)
        if analysed is None:
            return None
        fn = features.hover_function(analysed, params.position.line, params.position.character)
        if fn is None:
            return None
        shown = session.shown(analysed)
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=features.hover_markdown(shown, fn)),
                       range=features.name_range(analysed, fn, session.encoding))

    @server.feature(t.TEXT_DOCUMENT_INLAY_HINT, t.InlayHintOptions(resolve_provider=False))
    async def inlay_hint(ls: GuardlineServer, params: t.InlayHintParams) -> list[t.InlayHint]:
        analysed = await session.current(params.text_document.uri)
        if analysed is None:
            return []
        return features.inlay_hints(session.shown(analysed), params.range.start.line, params.range.end.line,
                                    session.config.get("editor.inlay_hints", "over-limit"),
                                    bool(session.config.get("editor.inlay_increments", False)), session.encoding)

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(
        code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.Empty]))
    async def code_action(ls: GuardlineServer, params: t.CodeActionParams) -> list[t.CodeAction]:
        analysed = await session.current(params.text_document.uri)
        if analysed is None:
            return []
        return features.code_actions(analysed, params.range.start.line, params.range.end.line,
                                     session.comment_prefix(analysed.language),
                                     report_available=True,
                                     encoding=session.encoding)


def _register_pull_diagnostics(server: GuardlineServer) -> None:
    """LSP 3.17 pull diagnostics (``editor.diagnostics = "pull"`` and a client that can pull): the
    server then stops pushing document diagnostics (both at once would show every finding twice)."""
    session = server.session
    options = t.DiagnosticOptions(identifier="guardline", inter_file_dependencies=True, workspace_diagnostics=True)

    @server.feature(t.TEXT_DOCUMENT_DIAGNOSTIC, options)
    async def document_diagnostic(ls: GuardlineServer, params: t.DocumentDiagnosticParams) -> t.RelatedFullDocumentDiagnosticReport:
        analysed = await _pulled(session, params.text_document.uri)
        items = features.diagnostics(session.shown(analysed), session.encoding) if analysed else []
        return t.RelatedFullDocumentDiagnosticReport(items=items)

    @server.feature(t.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(ls: GuardlineServer, params: t.WorkspaceDiagnosticParams) -> t.WorkspaceDiagnosticReport:
        reports: list[Any] = []
        for uri in list(session.states):
            analysed = await _pulled(session, uri)
            if analysed is not None:
                reports.append(t.WorkspaceFullDocumentDiagnosticReport(
                    uri=uri, version=analysed.version,
                    items=features.diagnostics(session.shown(analysed), session.encoding)))
        return t.WorkspaceDiagnosticReport(items=reports)


PULL_WAIT_S = 10.0   # a pull right after didOpen waits for the first analysis (settings, debounce)


async def _pulled(session: Session, uri: str) -> features.Analysed | None:
    """The analysis of the open document's current version, for a pull: unlike hover, an empty answer
    would blank the client's diagnostics until its next pull, so it waits for the first analysis."""
    deadline = session.loop.time() + PULL_WAIT_S
    while True:
        analysed = await session.current(uri)
        state = session.states.get(uri)
        if state is None or (analysed is not None and analysed.version == state.doc.version) or session.loop.time() > deadline:
            return analysed
        await asyncio.sleep(0.02)


def _register_commands(server: GuardlineServer) -> None:
    session = server.session

    async def function_at(uri: Any, line: Any) -> tuple[features.Analysed, Any]:
        if not isinstance(uri, str) or not isinstance(line, int):
            raise JsonRpcInvalidParams("expected arguments [uri, line] (line 0-based)")
        analysed = await session.current(uri)
        if analysed is None:
            raise RequestFailed(f"{uri} is not open or not analysed")
        return analysed, features.innermost_function(analysed.result, line + 1)

    @server.command(features.CMD_EXPLAIN)
    async def explain(ls: GuardlineServer, *args: Any) -> dict[str, Any]:
        analysed, fn = await function_at(*(list(args) + [None, None])[:2])
        if fn is None:
            raise RequestFailed(f"no function at line {args[1]}")
        return {"markdown": features.explain_markdown(fn), "function": fn.qualified_name}

    @server.command(features.CMD_SHOW_DUPLICATES)
    async def show_duplicates(ls: GuardlineServer, *args: Any) -> dict[str, Any]:
        analysed, _fn = await function_at(*(list(args) + [None, None])[:2])
        return {"locations": features.duplicate_locations(analysed, args[1])}

    @server.command(features.CMD_OPEN_REPORT)
    async def open_report(ls: GuardlineServer, *args: Any) -> dict[str, Any]:
        from guardline import report
        from guardline.lsp.reportprogress import write_html_with_progress

        return {"path": await write_html_with_progress(session, report)}

    @server.command(features.CMD_SUMMARY)
    def workspace_summary(ls: GuardlineServer, *args: Any) -> dict[str, Any]:
        return session.summary()


def _register_custom(server: GuardlineServer) -> None:
    session = server.session

    @server.feature("guardline/origins")
    def origins(ls: GuardlineServer, params: Any) -> dict[str, Any]:
        uri = _get(_get(params, "textDocument"), "uri")
        if not isinstance(uri, str):
            raise JsonRpcInvalidParams("expected {\"textDocument\": {\"uri\": ...}}")
        return session.origin_ranges(uri)

    @server.feature("guardline/summary")
    def summary(ls: GuardlineServer, params: Any = None) -> dict[str, Any]:
        return session.summary()


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


# ---- entry point --------------------------------------------------------------------------------
def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="guardline serve", description="guardline language server")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stdio", action="store_true", help="talk LSP on stdin/stdout (default)")
    mode.add_argument("--tcp", metavar="HOST:PORT", help="listen on a loopback TCP address instead")
    parser.add_argument("--log-file", help="write the server log to this file")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser.parse_args(argv)


def _tcp_address(value: str) -> tuple[str, int]:
    """HOST:PORT (IPv6 in brackets) on a loopback address only: the server has no authentication, so
    it must not accept connections from other machines."""
    host, _, port = value.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not _is_loopback(host):
        raise ValueError(f"--tcp only listens on a loopback address (127.0.0.1, ::1 or localhost), got {host!r}: "
                         "the language server has no authentication and must not be reachable from other machines")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--tcp needs HOST:PORT with a port number 1-65535, got {value!r}")
    return host, int(port)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False   # another host name: it could resolve to anything


class _QuietRoutine(logging.Filter):
    """Drops pygls's warning for a cancel of a request that was already answered: editors cancel
    code lens / inlay hint requests on every keystroke, so it filled the output log in normal use."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name.startswith("pygls") and str(record.msg).startswith("Cancel notification for unknown"))


def _setup_logging(log_file: str | None, level: str) -> None:
    handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_QuietRoutine())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("guardline").setLevel(level)


def _tune_gc() -> None:
    """An analysis allocates tens of thousands of short-lived objects; with the default thresholds
    a full collection (cost: every object of the server, trees and indexes included) lands on about
    every keystroke. Everything imported so far is frozen out of collection, and the young
    generation is collected less often: full collections become rare (keystroke p95)."""
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    try:   # refuse a bad address before building anything
        address = _tcp_address(args.tcp) if args.tcp else None
    except ValueError as exc:
        print(f"guardline serve: {exc}", file=sys.stderr)
        return 2
    _setup_logging(args.log_file, args.log_level)
    arrays.use_numpy(False)   # one document at a time: plain loops, not numpy's 11 MB all day
    server = create_server()
    _tune_gc()
    if address is not None:
        server.start_tcp(*address)
    else:
        server.start_io()
    return 0
