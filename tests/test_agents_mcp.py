"""`guardline mcp` end to end over stdio with the official SDK's client: the tools and their output
schemas are listed, and check_changes after an agent's edit returns the net-new findings as
structured content. The other tools run in memory (same server object, no subprocess)."""

from __future__ import annotations

import os
import sys

import pytest

# `mcp` is a dependency since issue 18: a .venv made before it (no `make venv` since) skips these
# tests instead of failing the whole collection.
mcp = pytest.importorskip("mcp", reason="the mcp SDK is not installed: run `make venv`")
import anyio  # noqa: E402  (installed with mcp)
from mcp import Client, StdioServerParameters  # noqa: E402

from agents_helpers import AFTER_NEW, WORSE_DEF_LINE, WORSE_LINES, make_repo  # noqa: E402
from guardline.agents.mcp_server import build_server  # noqa: E402

SERVER_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server")
TOOLS = {"check_changes", "check_file", "explain", "duplicates", "provenance"}


def test_stdio_round_trip_lists_tools_and_checks_changes(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    params = StdioServerParameters(command=sys.executable, args=["-m", "guardline", "mcp", "--root", str(repo.path)],
                                   env={"PYTHONPATH": SERVER_DIR, "PATH": os.environ.get("PATH", ""),
                                        "HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": os.devnull})

    async def session():
        async with Client(params, read_timeout_seconds=120) as client:
            listed = await client.list_tools()
            result = await client.call_tool("check_changes", {})
            return listed, result

    listed, result = anyio.run(session)
    assert {t.name for t in listed.tools} == TOOLS
    schema = next(t for t in listed.tools if t.name == "check_changes").output_schema
    assert schema is not None and "new_count" in schema["properties"], "structured output with a schema"
    data = result.structured_content
    assert not result.is_error and data["new_count"] == 1, data
    changed = data["files"][0]
    assert changed["path"] == "src/app.py" and changed["changed_lines"] == [list(WORSE_LINES)]
    finding = changed["findings"][0]
    # the new function is over the AI cognitive limit; `bad` was already over it at HEAD: not repeated
    assert (finding["rule"], finding["line"], finding["function"], finding["value"], finding["limit"]) == \
        ("cognitive", WORSE_DEF_LINE, "worse", 13, 10)


def call(server, tool, args):
    async def go():
        async with Client(server, raise_exceptions=True) as client:
            return await client.call_tool(tool, args)
    return anyio.run(go)


def test_in_memory_tools(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    server = build_server(str(repo.path))
    whole = call(server, "check_file", {"path": "src/app.py"}).structured_content
    assert sorted(f["function"] for f in whole["findings"]) == ["bad", "worse"], "every finding, old ones too"
    explained = call(server, "explain", {"path": "src/app.py", "line": WORSE_DEF_LINE + 1}).structured_content
    assert explained["function"] == "worse" and explained["cognitive"] == 13
    assert {"metric": "cognitive", "line": WORSE_DEF_LINE + 4, "kind": "if", "amount": 4, "nesting": 3} in \
        explained["increments"], "the nested if: 1 + nesting 3"
    who = call(server, "provenance", {"path": "src/app.py", "line": 1}).structured_content
    assert who["origin"] == "human" and who["evidence"] == "none", "committed by a person, no AI evidence"
    dup = call(server, "duplicates", {"path": "src/app.py", "start_line": 1, "end_line": 5}).structured_content
    assert dup == {"path": "src/app.py", "indexed": False, "copies": []}, "no clone index built yet"
    bad = call(server, "explain", {"path": "../outside.py", "line": 1})
    assert bad.is_error and "not a file inside the workspace" in bad.content[0].text


def test_duplicates_tool_with_the_clone_index(tmp_path, capsys):
    from guardline.cli import main
    from test_agents_netnew import BLOCK

    repo = make_repo(tmp_path)
    repo.commit({"src/users.py": BLOCK, "src/again.py": "X = 1\n\n\n" + BLOCK.replace("normalise", "again")},
                "two copies")
    main(["check", "--no-origin", str(repo.path)])       # builds .guardline/clones.sqlite
    capsys.readouterr()
    server = build_server(str(repo.path))
    dup = call(server, "duplicates", {"path": "src/again.py", "start_line": 4, "end_line": 13}).structured_content
    assert dup["indexed"] is True
    assert [(c["path"], c["start_line"]) for c in dup["copies"]] == [("src/users.py", 1)], dup
