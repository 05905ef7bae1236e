"""JSON-RPC hardening: every malformed message that can be answered gets an error response, and
nothing a client sends can stop the message loop (the byte stream itself: guardline.lsp.framing)."""

from __future__ import annotations

import logging
from typing import Any

from cattrs import ClassValidationError, transform_error
from lsprotocol import types as t
from lsprotocol.types import ResponseErrorMessage
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage, LanguageServerProtocol
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
        """The typed message, or _Rejected after answering (request) or logging (notification) in
        one line: pygls's own version logs a traceback for every message it cannot structure."""
        if "jsonrpc" not in data:
            return data
        try:
            return self._structure(data)
        except ClassValidationError as exc:
            return self._reject(data, JsonRpcInvalidParams.CODE, "; ".join(transform_error(exc))[:500])
        except Exception as exc:   # cattrs raises plain errors for shapes no type allows
            return self._reject(data, JsonRpcInternalError.CODE, f"{type(exc).__name__}: {exc}"[:500])

    def _structure(self, data: dict[str, Any]) -> Any:
        """pygls's message typing (JsonRPCProtocol.structure_message) minus its error logging."""
        structure = self._converter.structure
        if "id" not in data:
            return structure(data, self.get_message_type(data.get("method", "")) or JsonRPCNotification)
        if "error" in data:
            return structure(data, ResponseErrorMessage)
        if "method" in data:
            return structure(data, self.get_message_type(data["method"]) or JsonRPCRequestMessage)
        return structure(data, self._result_types.pop(data["id"], None) or JsonRPCResponseMessage)

    def _reject(self, data: dict[str, Any], code: int, why: str) -> "_Rejected":
        msg_id, method = data.get("id"), data.get("method")
        if method is not None and isinstance(msg_id, (int, str)):
            log.warning("invalid params for request %r (id %r): %s", method, msg_id, why)
            self.send_error(msg_id, code, f"invalid params for {method!r}: {why}")
        else:
            log.warning("dropping malformed message %r: %s", method, why)
        return _Rejected()

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any, args: Any = None,
                         kwargs: Any = None) -> None:
        """pygls keeps the future of every async, threaded or generator handler in
        ``_request_futures`` (for cancellation) but only a request's response removes it: each
        notification (every didChange) left one behind. Drop it when it completes (a cancelled one
        was popped by pygls already, or is being cancelled by shutdown while it iterates the dict)."""
        def done(future: Any) -> None:
            if not future.cancelled() and self._request_futures.get(msg_id) is future:
                del self._request_futures[msg_id]
            callback(future)
        super()._execute_handler(msg_id, handler, done, args, kwargs)

    def _send_handler_result(self, future: Any, *, msg_id: Any) -> None:
        """A handler's JSON-RPC error (e.g. RequestFailed: "no function at line N") is an answer,
        logged in one line; pygls logs a traceback for it. Other exceptions are bugs: pygls's way."""
        exc = None if future.cancelled() else future.exception()
        if isinstance(exc, JsonRpcException):
            self._request_futures.pop(msg_id, None)
            log.info("request %r answered with error %s: %s", msg_id, exc.code, exc)
            self._send_response(msg_id, error=exc.to_response_error())
            return
        super()._send_handler_result(future, msg_id=msg_id)

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Rejected):
            return
        if not hasattr(message, "jsonrpc"):   # valid JSON but not a JSON-RPC message
            self.send_error(None, INVALID_REQUEST, "invalid request: not a JSON-RPC 2.0 message")
            return
        super().handle_message(message)

    def _send_data(self, data: Any) -> None:
        """After `exit` closed stdout, analyses still finishing have no one to tell: drop their messages
        instead of a traceback per message in the output log (pygls logs "Error sending data")."""
        stream = getattr(self.writer, "_stdout", None)
        if getattr(stream, "closed", False):
            log.debug("not sent after exit: %s", getattr(data, "method", None) or type(data).__name__)
            return
        super()._send_data(data)

    def send_error(self, msg_id: int | str | None, code: int, message: str) -> None:
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})

    def notify_json(self, method: str, params: dict[str, Any]) -> None:
        """A notification whose params are already JSON-ready (``self._converter`` output): sent as
        is, without a second pass of the converter over every diagnostic."""
        self._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    def unstructure(self, value: Any) -> Any:
        return self._converter.unstructure(value)
