"""The language server survives any byte stream (real server process over stdio, raw bytes).

For each bad frame of the matrix: the server answers it with the JSON-RPC error code when it can be
answered, logs one line for it (never a traceback), and then answers a valid request: the reader
re-synchronised on the next Content-Length header. Before guardline's own reader (lsp/framing.py),
a `Content-Length: 99999999999` killed the server (MemoryError), a wrong length desynchronised the
stream for good, and malformed JSON-RPC logged tracebacks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from guardline.lsp.framing import FrameParser, MAX_BODY_BYTES, Dropped, Unparsable
from test_lsp_support import SERVER_CMD

PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602


def frame(body: bytes, header: bytes = b"Content-Length") -> bytes:
    return header + b": %d\r\n\r\n" % len(body) + body


def message(**fields) -> bytes:
    return json.dumps({"jsonrpc": "2.0", **fields}).encode()


HOVER = {"textDocument": {"uri": "file:///nowhere/a.py"}, "position": {"line": 0, "character": 0}}
GARBAGE = bytes(range(256)) * 3

# name -> (bytes sent, JSON-RPC error code it is answered with or None when dropped, max log lines)
FRAMING = {
    "content-length over the limit": (b"Content-Length: 99999999999\r\n\r\n" + message(id=1, method="x"), None, 1),
    "content-length not a number": (b"Content-Length: abc\r\n\r\n" + message(id=1, method="x"), None, 1),
    "negative content-length": (b"Content-Length: -12\r\n\r\n" + message(id=1, method="x"), None, 1),
    "content-length too small": (b"Content-Length: 10\r\n\r\n" + message(id=1, method="x"), PARSE_ERROR, 2),
    "content-length too large": (b"Content-Length: 400\r\n\r\n" + message(id=1, method="x"), PARSE_ERROR, 1),
    "no content-length": (b"Content-Type: application/json\r\n\r\n" + message(id=1, method="x"), None, 1),
    "garbage bytes": (GARBAGE, None, 1),
    "a long line of garbage": (b"x" * 100_000, None, 1),
    "blank lines and a header-looking line": (b"\r\n\r\nfoo: bar\r\n\r\n", None, 1),
}
JSONRPC = {
    "bad json": (frame(b'{"jsonrpc": "2.0", "id": '), PARSE_ERROR),
    "invalid utf-8": (frame(b'{"jsonrpc": "2.0", "id": 3, "method": "\xff\xfe"}'), PARSE_ERROR),
    "10,000-deep json": (frame(b'{"jsonrpc": "2.0", "id": 4, "method": "x", "params": ' + b"[" * 10_000 +
                               b"]" * 10_000 + b"}"), PARSE_ERROR),
    "200-deep json": (frame(b'{"jsonrpc": "2.0", "id": 4, "method": "x", "params": {"a": ' + b"[" * 200 +
                            b"]" * 200 + b"}}"), INVALID_REQUEST),
    "batch request": (frame(b"[" + message(id=5, method="guardline/summary") + b"]"), INVALID_REQUEST),
    "object id": (frame(message(id={"a": 1}, method="guardline/summary")), INVALID_REQUEST),
    "numeric method": (frame(message(id=6, method=5)), INVALID_REQUEST),
    "a string as params": (frame(message(id=7, method="guardline/summary", params="x")), INVALID_REQUEST),
    "not json-rpc 2.0": (frame(json.dumps({"id": 8, "method": "x"}).encode()), INVALID_REQUEST),
    "negative position": (frame(message(id=9, method="textDocument/hover", params={
        **HOVER, "position": {"line": -1, "character": -5}})), INVALID_PARAMS),
    "didChange without text": (frame(message(method="textDocument/didChange", params={
        "textDocument": {"uri": "file:///nowhere/a.py", "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                      "end": {"line": 0, "character": 0}}}]})), None),
}


class RawServer:
    """The real server over pipes; the log goes to a file so each case's lines can be counted."""

    def __init__(self, cwd: Path):
        self.log = cwd / "server.log"
        self.proc = subprocess.Popen([*SERVER_CMD, "--log-file", str(self.log), "--log-level", "WARNING"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     cwd=str(cwd))
        self.ids = iter(range(1000, 10_000))

    def send_raw(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def read(self) -> dict:
        length = None
        while True:
            line = self.proc.stdout.readline()
            assert line, "the server closed its output: it died"
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method: str, params=None, header: bytes = b"Content-Length", eol: bytes = b"\r\n"
                ) -> tuple[dict, list[dict]]:
        """Send a valid request; return its response and the messages that came before it."""
        msg_id = next(self.ids)
        body = message(id=msg_id, method=method, params=params or {})
        self.send_raw(header + b": %d" % len(body) + eol + eol + body)
        before = []
        for _ in range(200):
            reply = self.read()
            if reply.get("id") == msg_id and "method" not in reply:
                return reply, before
            before.append(reply)
        raise AssertionError(f"no answer to request {msg_id}")

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("jsonrpc")
    raw = RawServer(root)
    reply, _ = raw.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
    assert "capabilities" in reply["result"]
    raw.send_raw(frame(message(method="initialized", params={})))
    yield raw
    raw.close()


def _after(server: RawServer, bad: bytes) -> tuple[list[dict], list[str]]:
    """Send ``bad``, then a valid request; the errors answered before it and the new log lines."""
    logged = len(server.log_lines())
    server.send_raw(bad)
    reply, before = server.request("guardline/summary")
    assert "files" in reply["result"], "the server answers a valid request after the bad frame"
    return [m for m in before if "error" in m], server.log_lines()[logged:]


@pytest.mark.parametrize("name", FRAMING)
def test_a_bad_frame_is_dropped_or_answered_and_the_stream_recovers(server: RawServer, name: str):
    bad, code, max_lines = FRAMING[name]
    errors, lines = _after(server, bad)
    assert [e["error"]["code"] for e in errors] == ([code] if code else []), errors
    assert 1 <= len(lines) <= max_lines, f"one log line per unreadable frame: {lines}"
    assert not any("Traceback" in line for line in lines), lines


@pytest.mark.parametrize("name", JSONRPC)
def test_malformed_json_rpc_gets_its_error_code_and_one_log_line(server: RawServer, name: str):
    bad, code = JSONRPC[name]
    errors, lines = _after(server, bad)
    assert [e["error"]["code"] for e in errors] == ([code] if code else []), errors
    assert len(lines) == 1, f"one log line, not a traceback: {lines}"


@pytest.mark.parametrize("header, eol", [(b"content-length", b"\r\n"), (b"CONTENT-LENGTH", b"\r\n"),
                                         (b"Content-Length", b"\n")], ids=["lowercase", "uppercase", "lf-only"])
def test_header_spellings_are_read(server: RawServer, header: bytes, eol: bytes):
    """Header names are case-insensitive (RFC 7230); LF-only line ends are read too."""
    reply, before = server.request("guardline/summary", header=header, eol=eol)
    assert "files" in reply["result"] and not [m for m in before if "error" in m]


def test_out_of_range_positions_are_answered_without_an_error(server: RawServer, tmp_path: Path):
    uri = (tmp_path / "a.py").as_uri()
    server.send_raw(frame(message(method="textDocument/didOpen", params={"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": "def f(x):\n    return x\n"}})))
    far = {"line": 10**9, "character": 10**9}
    logged = len(server.log_lines())
    hover, _ = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": far})
    actions, _ = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": far, "end": far}, "context": {"diagnostics": []}})
    explain, _ = server.request("workspace/executeCommand", {"command": "guardline.explain",
                                                             "arguments": [uri, 10**9]})
    for reply in (hover, actions):
        assert "error" not in reply, reply
    assert "error" not in explain or explain["error"]["code"] == -32803, explain
    assert not any("Traceback" in line for line in server.log_lines()[logged:])


def test_the_parser_refuses_a_huge_length_without_allocating_it():
    parser = FrameParser()
    events = parser.feed(b"Content-Length: %d\r\n\r\n{" % (MAX_BODY_BYTES + 1))
    assert events and isinstance(events[0], Dropped) and len(parser.buffer) < 64, \
        "refused at the header: nothing waits for (or holds) 64 MiB"


def test_the_parser_gives_the_same_events_whatever_the_chunking():
    stream = b"".join(bad for bad, _, _ in FRAMING.values()) + frame(message(id=1, method="x"))
    whole = FrameParser().feed(stream)
    parser = FrameParser()
    bytewise = [event for index in range(len(stream)) for event in parser.feed(stream[index:index + 1])]
    assert whole == bytewise
    assert whole[-1] == message(id=1, method="x"), "the last, valid frame is read"
    assert all(isinstance(e, (Dropped, Unparsable, bytes)) for e in whole)
