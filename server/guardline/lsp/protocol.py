"""JSON-RPC hardening: every malformed message that can be answered gets an error response, and
nothing a client sends can stop the message loop."""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

log = logging.getLogger("guardline.lsp")

PARSE_ERROR = -32700
INVALID_REQUEST = -32600


class _Rejected:
    """Placeholder for a message that was already answered with an error."""

    jsonrpc = None


class GuardlineProtocol(LanguageServerProtocol):
    # Document sync: guardline keeps its own documents (guardline.lsp.documents, with tree-sitter
    # edits). pygls's built-in copy would double the memory and the per-edit cost (seconds on a
    # 20 MB file), so these built-ins only forward to the server's handlers.
    def _forward(self, method: str, params: Any) -> Any:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(t.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: t.DidOpenTextDocumentParams) -> Any:
        yield from self._forward(t.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(t.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: t.DidChangeTextDocumentParams) -> Any:
        yield from self._forward(t.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(t.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: t.DidCloseTextDocumentParams) -> Any:
        yield from self._forward(t.TEXT_DOCUMENT_DID_CLOSE, params)

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" not in data:
            return data
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            msg_id = data.get("id")
            if "method" in data and isinstance(msg_id, (int, str)):
                self.send_error(msg_id, getattr(exc, "code", JsonRpcInvalidParams.CODE),
                                f"invalid params for {data.get('method')!r}: {exc}")
            else:
                log.warning("dropping malformed notification %r: %s", data.get("method"), exc)
            return _Rejected()

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Rejected):
            return
        if not hasattr(message, "jsonrpc"):   # valid JSON but not a JSON-RPC message
            self.send_error(None, INVALID_REQUEST, "invalid request: not a JSON-RPC 2.0 message")
            return
        super().handle_message(message)

    def send_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})
