"""A soak of the language server: random incremental edits to one open document, the server's RSS
sampled as it goes, and the final diagnostics compared with a fresh open of the final text.

Shared by tests/test_robustness_soak.py (a few hundred edits) and bench/lsp_soak.py (10,000)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

SERVER_CMD = [sys.executable, "-m", "guardline.lsp"]

SEED_TEXT = '''import os


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
    return 0


def run(cmd):
    os.system(cmd)
    return [x for x in cmd if x]
'''
SNIPPETS = ["x", " ", "\n", "if a:\n    pass\n", " and b", "(", ")", "def g(y):\n    return y\n", "# note\n",
            "for k in a:\n", "    ", "1", "os.system(a)\n", "while b:\n        b -= 1\n"]


class Client:
    """The real server over pipes; a thread reads everything it sends."""

    def __init__(self, cwd: Path, init_options: dict | None = None):
        self.proc = subprocess.Popen(SERVER_CMD, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=str(cwd))
        self.published: dict[str, dict] = {}     # uri -> last publishDiagnostics params
        self.publishes = 0                       # publishDiagnostics received, all documents
        self.responses: dict[int, dict] = {}
        self.cond = threading.Condition()
        threading.Thread(target=self._read_loop, daemon=True).start()
        self.request(1, "initialize", {"processId": None, "rootUri": cwd.as_uri(), "capabilities": {},
                                       "initializationOptions": init_options or {}})
        self.notify("initialized", {})

    def _send(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, msg_id: int, method: str, params: dict, timeout: float = 60.0) -> dict:
        self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return self._wait(lambda: self.responses.get(msg_id), timeout)

    def _read_loop(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            with self.cond:
                if message.get("method") == "textDocument/publishDiagnostics":
                    self.published[message["params"]["uri"]] = message["params"]
                    self.publishes += 1
                elif "id" in message and "method" in message:   # a server request: answer it
                    self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                elif "id" in message:
                    self.responses[message["id"]] = message
                self.cond.notify_all()

    def _wait(self, found, timeout: float):
        deadline = time.monotonic() + timeout
        with self.cond:
            while (value := found()) is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("timed out waiting for the server")
                self.cond.wait(remaining)
            return value

    def publish_of(self, uri: str, version: int, timeout: float = 60.0) -> dict:
        return self._wait(lambda: p if (p := self.published.get(uri)) and p.get("version") == version
                          else None, timeout)

    def settled_publish_of(self, uri: str, version: int, quiet_s: float = 2.0) -> dict:
        """The last publish of ``version`` once the server has been quiet for ``quiet_s``: a keystroke
        publish may be followed by the same version again when typing pauses (a clone query or security
        scan deferred for the keystroke, guardline.lsp.clones.CLONE_IDLE_MS = 0.6 s)."""
        self.publish_of(uri, version)
        while True:
            seen = self.publishes
            time.sleep(quiet_s)
            with self.cond:
                if self.publishes == seen:
                    return self.published[uri]

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python",
                                                              "version": version, "text": text}})

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def random_edit(rng: random.Random, text: str) -> tuple[dict, str]:
    """One LSP incremental change (ASCII text: columns are characters) and the text after it."""
    def position(offset: int) -> dict:
        line = text.count("\n", 0, offset)
        return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}
    start = rng.randrange(len(text) + 1)
    if rng.random() < 0.4 and len(text) > len(SEED_TEXT) // 2:
        end = min(len(text), start + rng.randrange(1, 12))
        new = ""
    else:
        end, new = start, rng.choice(SNIPPETS)
    change = {"range": {"start": position(start), "end": position(end)}, "text": new}
    return change, text[:start] + new + text[end:]


def comparable(params: dict) -> list:
    return sorted((d["range"]["start"]["line"], d["range"]["start"]["character"], d["range"]["end"]["line"],
                   d.get("code"), d.get("severity"), d["message"]) for d in params["diagnostics"])


def soak(cwd: Path, edits: int, sample_every: int, seed: int = 13, pause_every: int = 50,
         on_sample=None) -> tuple[list[tuple[int, int]], list, list]:
    """Run the soak; return RSS samples [(edits done, kB)], the final diagnostics, and those of a
    fresh open of the final text."""
    rng = random.Random(seed)
    client = Client(cwd, {"debounce_ms": 20})
    try:
        uri = (cwd / "soak.py").as_uri()
        text, version = SEED_TEXT, 1
        client.open(uri, text)
        client.publish_of(uri, 1)
        samples = [(0, client.rss_kb())]
        for done in range(1, edits + 1):
            change, text = random_edit(rng, text)
            version += 1
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [change]})
            if done % pause_every == 0:   # a pause in typing: the analysis of this version publishes
                client.publish_of(uri, version)
            if done % sample_every == 0:
                samples.append((done, client.rss_kb()))
                if on_sample is not None:
                    on_sample(*samples[-1])
        final = comparable(client.settled_publish_of(uri, version))
        # closed first: two open copies of one text would be clones of each other
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        fresh_uri = (cwd / "fresh.py").as_uri()
        client.open(fresh_uri, text)
        fresh = comparable(client.settled_publish_of(fresh_uri, 1))
        return samples, final, fresh
    finally:
        client.close()
