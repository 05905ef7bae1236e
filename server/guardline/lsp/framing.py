"""The language server's reader: LSP base-protocol frames out of any byte stream.

pygls 2's message loop (``pygls.io_.run_async``) matches ``Content-Length: N\\r\\n`` exactly (a
lowercase header or an LF-only line is never seen), reads ``N`` bytes whatever ``N`` is (a huge
value allocates it: MemoryError), reads header lines without a length limit, and once a frame is
off by a byte every later frame is misread. This module replaces that loop (see
``GuardlineServer.start_io``):

- ``FrameParser`` is a pure state machine fed with chunks of bytes: header names are
  case-insensitive, lines may end in LF or CRLF, a header line is at most ``MAX_HEADER_LINE`` bytes;
  a Content-Length that is missing, not a decimal number, or above ``MAX_BODY_BYTES`` makes the
  frame unreadable: it is dropped with one log line and the parser re-synchronises on the next
  ``Content-Length`` header in the stream (nothing is allocated for a refused length).
- A body that is shorter than its Content-Length said swallows the next frame's header; a raw
  ``Content-Length: N`` line cannot occur in valid JSON (JSON strings hold no raw line breaks and
  bare words are not JSON), so when one shows up inside a body being read, that frame is cut there,
  answered as unparsable, and reading goes on from the header.
- ``dispatch`` validates the JSON-RPC envelope before pygls sees it: unparsable JSON or invalid
  UTF-8 (-32700), a batch, a non-object, an object or float id, a non-string method, params that are
  not an object, array or null, or nesting deeper than ``MAX_JSON_DEPTH`` (-32600) are answered with the
  JSON-RPC error code and logged in one line, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("guardline.lsp")

MAX_BODY_BYTES = 64 * 1024 * 1024      # a larger Content-Length is refused
MAX_HEADER_LINE = 8 * 1024             # a longer line without a line break is garbage
MAX_JSON_DEPTH = 128                   # LSP messages nest a dozen levels; settings a few more
READ_CHUNK = 64 * 1024

PARSE_ERROR = -32700
INVALID_REQUEST = -32600

_HEADER_NAME = re.compile(rb"(?i)content-length")
# a complete Content-Length header line: impossible inside valid JSON (see the module docstring)
_HEADER_LINE = re.compile(rb"(?i)content-length[ \t]*:[ \t]*[0-9]+[ \t]*\r?\n")
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_KEEP_FOR_RESYNC = len(b"content-length") - 1     # bytes of a header name split across chunks


@dataclass(frozen=True, slots=True)
class Dropped:
    """A frame that could not be read: why, in one line (logged; there is no id to answer)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Unparsable:
    """A body cut short by the next frame's header: answered as a JSON parse error."""

    reason: str


class FrameParser:
    """Bytes in, frame bodies (bytes) and ``Dropped``/``Unparsable`` events out, in stream order."""

    def __init__(self, max_body: int = MAX_BODY_BYTES) -> None:
        self.max_body = max_body
        self.buffer = bytearray()
        self.length: int | None = None      # the Content-Length of the frame being read
        self.bad: str | None = None         # why the headers being read make the frame unreadable
        self.in_body = False
        self.searched = 0                   # body bytes already searched for a header line
        self.syncing = False                # skipping garbage up to the next Content-Length
        self.in_headers = False             # a header line of this frame was read

    def feed(self, data: bytes) -> list[bytes | Dropped | Unparsable]:
        self.buffer += data
        out: list[bytes | Dropped | Unparsable] = []
        while True:
            if self.syncing and not self._resync():
                return out
            event = self._body() if self.in_body else self._header_line()
            if event is None:
                return out
            if event is not _MORE:
                out.append(event)

    # ---- headers ---------------------------------------------------------------------------
    def _header_line(self) -> Any:
        buffer = self.buffer
        end = buffer.find(b"\n", 0, MAX_HEADER_LINE + 1)
        if end < 0:
            if len(buffer) > MAX_HEADER_LINE:
                return self._garbage(f"a header line longer than {MAX_HEADER_LINE} bytes")
            return None
        line = bytes(buffer[:end]).rstrip(b"\r")
        if not line:
            del buffer[:end + 1]
            return self._end_of_headers() if self.in_headers else _MORE   # stray blank lines: skipped
        again = _HEADER_NAME.search(line, 1)
        if again is not None:      # a header glued to the rest of a cut body, or to garbage
            del buffer[:again.start()]
            return self._dropped("unreadable input before a Content-Length header skipped")
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name.strip()):
            return self._garbage("bytes that are not a header")
        del buffer[:end + 1]
        self.in_headers = True
        if name.strip().lower() == b"content-length":
            self._content_length(value.strip())
        return _MORE

    def _content_length(self, value: bytes) -> None:
        if not value.isdigit() or not value.isascii():
            self.bad = f"Content-Length {value[:40]!r} is not a number of bytes"
        elif len(value) > 12 or int(value) > self.max_body:
            self.bad = f"Content-Length {value[:40].decode()} is over the {self.max_body:,}-byte limit"
        else:
            self.length = int(value)

    def _end_of_headers(self) -> Any:
        if self.bad is None and self.length is None:
            self.bad = "no Content-Length header"
        if self.bad is not None:
            reason = self.bad
            self.syncing = True      # the body's size is unknown: skip to the next frame
            return self._dropped(f"unreadable frame dropped: {reason}")
        self.in_body, self.searched, self.in_headers = True, 0, False
        return _MORE

    def _garbage(self, what: str) -> Dropped:
        self.syncing = True
        return self._dropped(f"unreadable input skipped up to the next Content-Length header: {what}")

    def _dropped(self, reason: str) -> Dropped:
        self.bad, self.length, self.in_headers = None, None, False
        return Dropped(reason)

    def _resync(self) -> bool:
        """Drop bytes up to the next Content-Length header name; False when more bytes are needed."""
        match = _HEADER_NAME.search(self.buffer)
        if match is None:
            del self.buffer[:max(len(self.buffer) - _KEEP_FOR_RESYNC, 0)]
            return False
        del self.buffer[:match.start()]
        self.syncing = False
        return True

    # ---- body ------------------------------------------------------------------------------
    def _body(self) -> Any:
        length = self.length or 0
        buffer = self.buffer
        cut = _HEADER_LINE.search(buffer, max(self.searched - 64, 0), min(len(buffer), length))
        if cut is not None:
            del buffer[:cut.start()]
            self._reset_body()
            return Unparsable("a body shorter than its Content-Length: the next frame's header "
                              "came first")
        if len(buffer) < length:
            self.searched = len(buffer)
            return None
        body = bytes(buffer[:length])
        del buffer[:length]
        self._reset_body()
        return body

    def _reset_body(self) -> None:
        self.in_body, self.length, self.searched = False, None, 0


_MORE = object()   # an internal step that produced no event


# ---- JSON-RPC envelope ----------------------------------------------------------------------
class InvalidMessage(Exception):
    def __init__(self, code: int, message: str, msg_id: Any = None):
        super().__init__(message)
        self.code, self.msg_id = code, msg_id


def decode(body: bytes) -> dict[str, Any]:
    """One JSON-RPC message from a frame body, or InvalidMessage with the error to answer."""
    try:
        data = json.loads(body)
    except RecursionError:
        raise InvalidMessage(PARSE_ERROR, "parse error: JSON nested deeper than Python can read") from None
    except UnicodeDecodeError as exc:
        raise InvalidMessage(PARSE_ERROR, f"parse error: invalid UTF-8 at byte {exc.start}") from None
    except ValueError as exc:
        raise InvalidMessage(PARSE_ERROR, f"parse error: {exc}") from None
    if isinstance(data, list):
        raise InvalidMessage(INVALID_REQUEST, "invalid request: batch requests are not part of LSP")
    if not isinstance(data, dict):
        raise InvalidMessage(INVALID_REQUEST, "invalid request: not a JSON-RPC 2.0 message object")
    _check_envelope(data)
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise InvalidMessage(INVALID_REQUEST, f"invalid request: JSON nested {depth} levels deep, over "
                             f"the limit of {MAX_JSON_DEPTH}", data.get("id") if _valid_id(data.get("id")) else None)
    return data


def _valid_id(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _check_envelope(data: dict[str, Any]) -> None:
    msg_id = data.get("id")
    answer_to = msg_id if _valid_id(msg_id) else None
    if data.get("jsonrpc") != "2.0":
        raise InvalidMessage(INVALID_REQUEST, "invalid request: not a JSON-RPC 2.0 message", answer_to)
    if "id" in data and msg_id is not None and not _valid_id(msg_id):
        raise InvalidMessage(INVALID_REQUEST, f"invalid request: the id must be a string or an integer, "
                             f"got {type(msg_id).__name__}")
    if "method" in data and not isinstance(data["method"], str):
        raise InvalidMessage(INVALID_REQUEST, "invalid request: the method must be a string", answer_to)
    if data.get("params") is not None and not isinstance(data["params"], (dict, list)):   # null: as omitted
        raise InvalidMessage(INVALID_REQUEST, "invalid request: params must be an object or an array",
                             answer_to)


def json_depth(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of parsed JSON (iterative; stops counting past ``limit``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


# ---- the loop -------------------------------------------------------------------------------
def dispatch(body: bytes, protocol: Any) -> None:
    """Hand one frame body to pygls, answering what pygls must not see."""
    try:
        data = decode(body)
    except InvalidMessage as exc:
        log.warning("%s (JSON-RPC error %d)", exc, exc.code)
        protocol.send_error(exc.msg_id, exc.code, str(exc))
        return
    message = protocol.structure_message(data)
    protocol.handle_message(message)


async def serve(read: Callable[[], Awaitable[bytes]], protocol: Any, stop: Any) -> None:
    """The message loop: read chunks until end of stream or ``stop`` is set."""
    parser = FrameParser()
    while not stop.is_set():
        data = await read()
        if not data:
            return
        for event in parser.feed(data):
            if isinstance(event, Dropped):
                log.warning("%s", event.reason)
            elif isinstance(event, Unparsable):
                log.warning("unreadable frame: %s (JSON-RPC error %d)", event.reason, PARSE_ERROR)
                protocol.send_error(None, PARSE_ERROR, f"parse error: {event.reason}")
            else:
                _dispatch_safely(event, protocol)
            await asyncio.sleep(0)     # let handlers scheduled by this message start in order


def _dispatch_safely(body: bytes, protocol: Any) -> None:
    try:
        dispatch(body, protocol)
    except Exception:   # a bug in a handler must not end the loop (pygls logs handler errors itself)
        log.exception("internal error while handling a message")
