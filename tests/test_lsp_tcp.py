"""`guardline serve --tcp HOST:PORT` end to end: a client connects over loopback TCP, initializes,
opens a document and gets its diagnostics; non-loopback hosts are refused with a clear error."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_lsp_support import COMPLEX_PY

GUARDLINE = [sys.executable, "-m", "guardline"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connect(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> socket.socket:
    """Connect once the server listens (it needs a moment to import and bind)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=timeout)
        except OSError:
            assert proc.poll() is None, f"the server exited with {proc.returncode}"
            assert time.monotonic() < deadline, "the server never listened"
            time.sleep(0.05)


class TcpClient:
    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.stream = sock.makefile("rb")

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read(self) -> dict:
        length = 0
        while True:
            line = self.stream.readline()
            assert line, "the server closed the connection"
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.stream.read(length))

    def until(self, predicate, limit: int = 500) -> dict:
        for _ in range(limit):
            message = self.read()
            if "id" in message and "method" in message:   # a server request (e.g. registerCapability)
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            if predicate(message):
                return message
        raise AssertionError("the expected message never came")


def test_tcp_client_initializes_and_gets_diagnostics(tmp_path: Path):
    port = free_port()
    proc = subprocess.Popen([*GUARDLINE, "serve", "--tcp", f"127.0.0.1:{port}"], cwd=str(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = TcpClient(connect(port, proc))
        client.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {},
                                "initializationOptions": {"debounce_ms": 0}}})
        init = client.until(lambda m: m.get("id") == 1 and "method" not in m)
        assert init["result"]["serverInfo"]["name"] == "guardline"
        client.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = (tmp_path / "a.py").as_uri()
        client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": COMPLEX_PY}}})
        published = client.until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                 and m["params"]["uri"] == uri)
        codes = {d["code"] for d in published["params"]["diagnostics"]}
        assert "cognitive" in codes, f"tangled() is over the cognitive limit, over TCP too: {codes}"
        client.send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
        client.until(lambda m: m.get("id") == 2 and "method" not in m)
        client.send({"jsonrpc": "2.0", "method": "exit", "params": None})
        client.sock.close()
        assert proc.wait(timeout=20) == 0, "exit after shutdown ends the TCP server cleanly"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_tcp_refuses_a_non_loopback_host_with_a_clear_error(tmp_path: Path):
    proc = subprocess.run([*GUARDLINE, "serve", "--tcp", "0.0.0.0:2087"], cwd=str(tmp_path), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2, "a usage error, before listening anywhere"
    assert "loopback" in proc.stderr and "other machines" in proc.stderr, proc.stderr


@pytest.mark.parametrize("address", ["0.0.0.0:2087", "192.168.1.10:2087", "example.com:2087", "[::]:2087"])
def test_non_loopback_addresses_are_refused(address: str):
    from guardline.lsp.server import _tcp_address
    with pytest.raises(ValueError, match="only listens on a loopback address"):
        _tcp_address(address)   # all interfaces, a LAN address, a name that may resolve anywhere


def test_tcp_address_parsing():
    from guardline.lsp.server import _tcp_address
    assert _tcp_address("127.0.0.1:2087") == ("127.0.0.1", 2087)
    assert _tcp_address("[::1]:2087") == ("::1", 2087), "IPv6 in brackets"
    assert _tcp_address("localhost:9") == ("localhost", 9)
    assert _tcp_address("127.0.0.2:9") == ("127.0.0.2", 9), "all of 127.0.0.0/8 is loopback"
    with pytest.raises(ValueError, match="port number"):
        _tcp_address("127.0.0.1:0")
