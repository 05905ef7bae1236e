"""Agent Trace records of what an agent wrote (https://agent-trace.dev, version 0.1.0), appended to
`<root>/.agent-trace/traces.jsonl`: one record per edit event, one conversation per session, one range
per run of written lines with the `sha256:` hash of its lines (so readers can find the lines again
after they move). Each record is one `write` of one line to a file opened with O_APPEND, under the
state lock, so concurrent hooks never interleave or duplicate records.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any


TRACE_FILE = ".agent-trace/traces.jsonl"        # = guardline.origin.agenttrace.TRACE_FILE (not imported:
TRACE_VERSION = "0.1.0"                         # the hook does not load the origin package)
SCHEMA_FILE = os.path.join(os.path.dirname(__file__), "trace-record.schema.json")
VENDOR_KEY = "dev.guardline"


@dataclass
class WrittenFile:
    path: str                                   # repository-relative, forward slashes
    ranges: list[tuple[int, int]]               # 1-based inclusive, positions in the text after the edit
    text: str                                   # the file after the edit (for the content hashes)


def content_hash(lines: list[str]) -> str:
    """`sha256:<hex>` of the range's lines joined by newlines (origin.agenttrace.hash_matches)."""
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()


def session_uri(tool: str, session_id: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-._~" else "%{:02X}".format(ord(c)) for c in session_id)
    return f"urn:{tool}:session:{safe}"


def build_record(*, tool: str, tool_version: str | None, revision: str | None, files: list[WrittenFile],
                 model_id: str | None, session_id: str | None, transcript: str | None,
                 metadata: dict[str, Any] | None = None, now: _dt.datetime | None = None) -> dict[str, Any]:
    conversation: dict[str, Any] = {"contributor": {"type": "ai", **({"model_id": model_id} if model_id else {})}}
    if transcript:
        conversation["url"] = "file://" + (transcript if transcript.startswith("/") else "/" + transcript)
    if session_id:
        conversation["related"] = [{"type": "session", "url": session_uri(tool, session_id)}]
    entries = []
    for written in files:
        lines = written.text.split("\n")
        ranges = [{"start_line": s, "end_line": e, "content_hash": content_hash(lines[s - 1:e])}
                  for s, e in written.ranges]
        if ranges:
            entries.append({"path": written.path, "conversations": [{**conversation, "ranges": ranges}]})
    stamp = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)
    record: dict[str, Any] = {"version": TRACE_VERSION, "id": str(uuid.uuid4()),
                              "timestamp": stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                              "tool": {"name": tool, **({"version": tool_version} if tool_version else {})},
                              "files": entries}
    if revision:
        record["vcs"] = {"type": "git", "revision": revision}
    if metadata:
        record["metadata"] = {VENDOR_KEY: metadata}
    return record


def append_record(root: str, record: dict[str, Any]) -> str:
    """Append one record as one line (a single write with O_APPEND: atomic for concurrent writers)."""
    path = os.path.join(root, TRACE_FILE)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, data)
        while written < len(data):          # only on exotic file systems; still one record, in order
            written += os.write(fd, data[written:])
    finally:
        os.close(fd)
    return path


def load_schema() -> dict[str, Any]:
    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema
