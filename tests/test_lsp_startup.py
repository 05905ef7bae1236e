"""The path from didOpen to the first diagnostics holds only what they need (issue 21): the server's
start-up imports leave out origin, the workspace scan and the clone index; the workspace scan starts once
the documents opened at start-up have published; a document's origin (git) is asked for after its first
publish. Driven with the scheduler's analyse seam (an analysis the test releases), so the order is
deterministic."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from test_lsp_reanalyse import Rig


def test_server_start_up_imports_no_origin_scan_or_clone_index():
    """What `python -m guardline.lsp` imports before it reads the first message (a fresh interpreter)."""
    code = ("import sys, guardline.lsp.server; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('guardline'))))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                timeout=120).stdout.split())
    assert "guardline.pipeline" in loaded, "the first analysis needs the pipeline (sanity: the probe works)"
    heavy = {name for name in loaded if name.split(".")[1:2] in (["origin"], ["scan"], ["duplication"], ["report"], ["cache"])}
    assert heavy == set(), "needed only after the first publish (origin, scan, clone index) or never (report)"


@pytest.mark.asyncio
async def test_workspace_scan_waits_for_the_first_publish_of_the_open_documents(tmp_path):
    rig = Rig(tmp_path, debounce_ms=0)
    started: list[int] = []
    rig.session.start_scan = lambda: started.append(len(rig.server.published))   # type: ignore[method-assign]
    rig.open(tmp_path / "a.py")
    initialized = asyncio.ensure_future(rig.session.initialized())
    await rig.until(lambda: rig.reads == [(1, "old")])
    await asyncio.sleep(0.5)   # past the start-up grace: the analysis of a.py is still running
    assert started == [], "no scan while the first analysis runs"
    rig.release.set()
    await asyncio.wait_for(initialized, 10)
    assert started == [1], "the scan started after a.py's first publish"


@pytest.mark.asyncio
async def test_origin_is_requested_after_the_first_publish(tmp_path):
    rig = Rig(tmp_path, debounce_ms=0)
    asked: list[list[int | None]] = []
    rig.session.request_origin = lambda state: asked.append(list(rig.server.published))   # type: ignore[method-assign]
    rig.open(tmp_path / "a.py")
    await rig.until(lambda: rig.reads == [(1, "old")])
    await asyncio.sleep(0.1)
    assert asked == [], "no git while the first analysis runs"
    rig.release.set()
    await rig.until(lambda: asked)
    assert asked == [[1]], "asked once, right after version 1 was published"
