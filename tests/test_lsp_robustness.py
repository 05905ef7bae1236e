"""Robustness of `guardline serve`: malformed JSON-RPC, unknown methods, a 20 MB document, invalid
UTF-8, 1,000 rapid edits, close while analysing. The server answers errors and stays alive."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types as t

from test_lsp_support import COMPLEX_PY, SERVER_CMD, SharedServer, insert, open_doc, shared_server


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared(tmp_path_factory) -> SharedServer:
    """One server process for the protocol-level tests below (independent: own files, closed after)."""
    async with shared_server(tmp_path_factory.mktemp("lsp-robust"), init_options={"debounce_ms": 0}) as server:
        yield server


# ---- raw JSON-RPC over pipes (no client library smoothing anything over) ----------------------
class RawServer:
    def __init__(self, cwd: Path):
        self.proc = subprocess.Popen(SERVER_CMD, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=str(cwd))

    def send_bytes(self, body: bytes) -> None:
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message: dict) -> None:
        self.send_bytes(json.dumps(message).encode())

    def read(self) -> dict:
        length = 0
        while True:
            line = self.proc.stdout.readline()
            assert line, "server closed its output"
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def response(self, msg_id) -> dict:
        for _ in range(200):
            message = self.read()
            if "method" not in message and message.get("id") == msg_id:
                return message
        raise AssertionError(f"no response to {msg_id}")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """One raw server for the module: each test uses its own message ids and checks it is still alive."""
    tmp_path = tmp_path_factory.mktemp("lsp-raw")
    server = RawServer(tmp_path)
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}})
    assert "capabilities" in server.response(1)["result"]
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    yield server
    server.close()


def alive(server: RawServer, msg_id: int) -> bool:
    server.send({"jsonrpc": "2.0", "id": msg_id, "method": "guardline/summary", "params": {}})
    return "files" in server.response(msg_id)["result"]


def test_malformed_json_gets_a_parse_error_and_the_server_lives(raw: RawServer):
    raw.send_bytes(b'{"jsonrpc": "2.0", "id": 5, "method": ')
    reply = raw.response(None)
    assert reply["error"]["code"] == -32700, "JSON-RPC parse error, id null"
    assert alive(raw, 6)


def test_unknown_method_and_invalid_params_get_error_responses(raw: RawServer):
    raw.send({"jsonrpc": "2.0", "id": 7, "method": "guardline/noSuchThing", "params": {}})
    assert raw.response(7)["error"]["code"] == -32601, "method not found"
    raw.send({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": {"textDocument": 3}})
    assert raw.response(8)["error"]["code"] == -32602, "invalid params"
    raw.send({"jsonrpc": "2.0", "id": 9, "method": "workspace/executeCommand",
              "params": {"command": "guardline.explain", "arguments": ["file:///nope.py", 0]}})
    assert "error" in raw.response(9), "explain on a document that is not open is an error response"
    raw.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"bogus": True}})
    raw.send(["not", "an", "object"])
    assert alive(raw, 10)


def test_invalid_utf8_bytes_in_a_message_do_not_kill_the_server(raw: RawServer):
    body = (b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.py",'
            b'"languageId":"python","version":1,"text":"x = \'\xff\xfe\'\\n"}}}')
    raw.send_bytes(body)
    assert alive(raw, 11)


@pytest.mark.asyncio(loop_scope="module")
async def test_lone_surrogates_in_text_are_analysed(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", "s = '\ud800'\n" + COMPLEX_PY)
        params = await rec.wait_publish(uri, version=1)
        assert any(d.code == "cognitive" for d in params.diagnostics), "the rest of the file is still analysed"


@pytest.mark.asyncio(loop_scope="module")
async def test_twenty_megabyte_document_is_skipped_with_a_reason(shared: SharedServer):
    big = ("x = 1\n" * 3_500_000)   # 21 MB
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "big.py", big)
        params = await rec.wait_publish(uri, version=1, timeout=60)
        assert list(params.diagnostics) == []
        await rec.wait_for(lambda: any("big.py" in m.message and "limit" in m.message for m in client.messages))
        insert(client, uri, 2, 0, 0, "# edit\n")
        await rec.wait_publish(uri, version=2, timeout=60)
        small = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        params = await rec.wait_publish(small, version=1, timeout=30)
        assert any(d.code == "cognitive" for d in params.diagnostics), "other documents still work"


@pytest.mark.asyncio(loop_scope="module")
async def test_thousand_rapid_edits_end_in_the_right_state(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY)
        await rec.wait_publish(uri, version=1)
        for version in range(2, 1002):
            insert(client, uri, version, 1, 4, "(")
        params = await rec.wait_publish(uri, version=1001, timeout=60)
        versions = [p.version for p in rec.for_uri(uri)]
        assert versions == sorted(versions), "never an older version after a newer one"
        lenses = await client.text_document_code_lens_async(t.CodeLensParams(text_document=t.TextDocumentIdentifier(uri=uri)))
        assert lenses is not None and params.version == 1001


@pytest.mark.asyncio(loop_scope="module")
async def test_close_while_analysing_publishes_nothing_afterwards(shared: SharedServer):
    async with shared.session() as (client, rec, tmp_path):
        uri = open_doc(client, tmp_path / "a.py", COMPLEX_PY * 40)
        client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
        await rec.wait_for(lambda: rec.for_uri(uri) and not rec.for_uri(uri)[-1].diagnostics)
        await asyncio.sleep(0.5)
        assert not rec.for_uri(uri)[-1].diagnostics, "no results published after the close"
        summary = await client.protocol.send_request_async("guardline/summary", {})
        assert summary is not None
