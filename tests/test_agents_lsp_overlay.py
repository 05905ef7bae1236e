"""The editor shows an agent's uncommitted lines as AI as soon as the hook records them: the server
watches `.agent-trace/traces.jsonl` and resolves the origin of open documents again when it changes
(before, only opening or saving a file did, so an agent's edit reloaded into the buffer stayed
"not committed, unknown" until the next save)."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types as t

from agents_helpers import AFTER_NEW, BASE, NEW_TAIL, OK_TAIL, WORSE_DEF_LINE, WORSE_LINES, make_repo, run
from test_lsp_support import open_doc, running_server


@pytest.mark.asyncio
async def test_recorded_agent_lines_reach_guardline_origins_without_a_save(tmp_path):
    repo = make_repo(tmp_path)
    async with running_server(repo.path, init_options={"debounce_ms": 0, "duplication": {"enabled": False}}) \
            as (client, rec):
        uri = open_doc(client, repo.path / "src/app.py", BASE)
        await rec.wait_publish(uri, version=1)

        async def ranges():
            reply = await client.protocol.send_request_async("guardline/origins", {"textDocument": {"uri": uri}})
            return [(r.start_line, r.end_line, r.tool, r.model, r.exceeds_limit) for r in reply.ranges]

        assert await ranges() == [], "a person's committed file: no AI lines"
        await rec.wait_for(lambda: any(r.method == "workspace/didChangeWatchedFiles" for r in rec.registrations))
        # the agent edits the file on disk and its hook records the lines; the editor reloads the buffer
        repo.write("src/app.py", AFTER_NEW)
        path = str(repo.path / "src/app.py")
        run(repo, "claude", {"session_id": "ed1", "cwd": str(repo.path), "hook_event_name": "SessionStart",
                             "model": "claude-sonnet-4-5"})
        run(repo, "claude", {"session_id": "ed1", "cwd": str(repo.path), "hook_event_name": "PostToolUse",
                             "tool_name": "Edit", "tool_input": {"file_path": path, "old_string": OK_TAIL,
                                                                 "new_string": NEW_TAIL},
                             "tool_response": {"filePath": path}, "tool_use_id": "e1"})
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=AFTER_NEW)]))
        client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[t.FileEvent(
            uri=(repo.path / ".agent-trace" / "traces.jsonl").as_uri(), type=t.FileChangeType.Changed)]))
        # the recorded lines (0-based) with the tool and model of the record, cut where `worse` starts:
        # once the lines are AI, `worse` (cognitive 13) is over the AI limit (10), and guardline/origins
        # splits an AI range at a function over its limit (strong shading for that function only)
        tool, model = "Claude Code", "anthropic/claude-sonnet-4-5"
        want = [(WORSE_LINES[0] - 1, WORSE_DEF_LINE - 2, tool, model, False),
                (WORSE_DEF_LINE - 1, WORSE_LINES[1] - 1, tool, model, True)]

        for _ in range(150):       # origin is resolved in the background: poll until it arrives
            if await ranges() == want:
                break
            await asyncio.sleep(0.2)
        assert await ranges() == want, "the recorded lines (0-based) with the tool and model of the record"
