"""The server's own log (stderr: what an editor's output channel shows) stays quiet in normal use: typing
with the client cancelling its requests, then shutdown and exit, says nothing and exits 0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GUARDLINE = str(Path(sys.executable).parent / "guardline")
SOURCE = "def total(items):\n    s = 0\n    for i in items:\n        if i > 0:\n            s += i\n    return s\n"


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_typing_with_cancelled_requests_then_exit_is_silent_and_exits_0(tmp_path: Path):
    (tmp_path / "cart.py").write_text(SOURCE)
    git = ["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.com", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "cart.py"], ["commit", "-q", "-m", "cart"]):   # normal use: committed code
        subprocess.run(git + args, cwd=tmp_path, check=True, timeout=60, capture_output=True)
    uri = (tmp_path / "cart.py").as_uri()
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SOURCE}}},
    ]
    text = SOURCE
    for version in range(2, 22):   # 20 keystrokes; after each the client asks for lenses and hints, then cancels
        text = text.replace("    return s\n", f"    s += {version}\n    return s\n", 1)
        messages.append({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}})
        for offset, method in ((0, "textDocument/codeLens"), (1, "textDocument/inlayHint")):
            request_id = 100 + 2 * version + offset
            params = {"textDocument": {"uri": uri}}
            if method == "textDocument/inlayHint":
                params["range"] = {"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}}
            messages.append({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
            messages.append({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": request_id}})
    messages += [{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}]
    proc = subprocess.run([GUARDLINE, "serve"], input=b"".join(map(frame, messages)), capture_output=True,
                          timeout=120, cwd=tmp_path, check=False)
    stderr = proc.stderr.decode(errors="replace")
    assert proc.returncode == 0, f"exit after shutdown is a normal end (was 3: stdout flushed after the protocol closed it): {stderr}"
    assert "internal error" not in stderr
    assert stderr.strip() == "", ("nothing on stderr: no cancellation warnings, and the log messages the client "
                                  f"shows (window/logMessage) are not repeated there:\n{stderr}")
    assert b"window/logMessage" in proc.stdout, "the client is told what happened (config in use, scan) once"
