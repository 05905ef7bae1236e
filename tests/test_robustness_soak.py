"""Memory stays flat in the language server: no state per notification or per superseded version.

The 10,000-edit soak with RSS samples is bench/lsp_soak.py (figures in bench/RESULTS.md); here a
shorter soak checks the end state (final diagnostics equal a fresh open of the final text), and the
one confirmed leak is checked directly: pygls kept the future of every notification handler in
``_request_futures`` for the life of the process (one per didChange)."""

from __future__ import annotations

import asyncio

from guardline.lsp.server import create_server
from lsp_soak import soak


def test_a_soak_of_random_edits_ends_with_the_diagnostics_of_a_fresh_open(tmp_path):
    samples, final, fresh = soak(tmp_path, edits=300, sample_every=100)
    assert final == fresh, "the incremental path (edits, memo, moved clone findings) drifted"
    assert len(samples) == 4


def test_notification_handlers_leave_no_future_behind():
    server = create_server()
    protocol = server.protocol

    async def edits() -> int:
        for version in range(200):   # a didChange for a document that is not open: handled, ignored
            protocol.handle_message(protocol.structure_message({
                "jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": "file:///nowhere/a.py", "version": version},
                           "contentChanges": [{"text": "x = 1\n"}]}}))
            await asyncio.sleep(0)
        await asyncio.sleep(0.05)
        return len(protocol._request_futures)
    assert asyncio.run(edits()) == 0, "every completed notification's future is dropped"
