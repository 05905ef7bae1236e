"""`guardline mcp`: an MCP server over stdio on the official `mcp` SDK (MCPServer). Every tool
returns a Pydantic model, so clients get `structuredContent` with an output schema. The root is
fixed when the server starts; paths outside it are refused."""

from __future__ import annotations

import os
from typing import Any, Callable

from pydantic import BaseModel, Field

from guardline.agents import tools
from guardline.config import find_workspace_root

INSTRUCTIONS = ("guardline checks code against stricter limits for AI-written code (complexity, "
                "maintainability, duplication, security). Call check_changes after editing: it returns only "
                "the findings your changes introduced. explain shows why a function scores high, duplicates "
                "where a block is copied, provenance who wrote a line.")


class Related(BaseModel):
    path: str
    start_line: int
    end_line: int


class FindingModel(BaseModel):
    path: str
    line: int
    end_line: int
    rule: str
    category: str = Field(description="complexity | maintainability | duplication | security")
    severity: str = Field(description="error | warning")
    message: str = Field(description="what is wrong and how to fix it, one line")
    function: str | None = None
    cwe: str | None = None
    value: float | None = None
    limit: float | None = None
    before: float | None = Field(None, description="the metric's value before the change")
    related: list[Related] = []


class ChangedFile(BaseModel):
    path: str
    changed_lines: list[list[int]] = Field(description="[start, end] 1-based line ranges the change wrote")
    findings: list[FindingModel]


class ChangesResult(BaseModel):
    base: str
    revision: str
    files: list[ChangedFile]
    new_count: int = Field(description="net-new findings over the AI limits")


class FileResultModel(BaseModel):
    path: str
    language: str | None
    functions: int
    findings: list[FindingModel]
    count: int


class IncrementModel(BaseModel):
    metric: str
    line: int
    kind: str = Field(description="the construct that added points: if, for, &&, nested function, ...")
    amount: int
    nesting: int


class ExplainResult(BaseModel):
    path: str
    function: str
    start_line: int
    end_line: int
    cyclomatic: int
    cognitive: int
    maintainability: float
    sloc: int
    ai_limits: dict[str, dict[str, float | None]]
    increments: list[IncrementModel]


class CopyModel(BaseModel):
    path: str
    start_line: int
    end_line: int
    region_start: int
    region_end: int
    tokens: int | None = None
    kind: str | None = None


class DuplicatesResult(BaseModel):
    path: str
    indexed: bool = Field(description="false until `guardline check` or the language server built the clone index")
    copies: list[CopyModel]


class ProvenanceResult(BaseModel):
    path: str
    line: int
    origin: str = Field(description="ai | human | bot | generated | unknown")
    tool: str | None
    tool_name: str | None
    model: str | None
    evidence: str
    granularity: str
    confidence: str
    commit: str | None
    explanation: str
    notes: list[str]


def _call(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """A bad argument reaches the agent as the tool's error message (the SDK hides other errors)."""
    from mcp.server.mcpserver.exceptions import ToolError

    try:
        return function(*args)
    except tools.ToolError as exc:
        raise ToolError(str(exc)) from exc


def build_server(root: str) -> Any:
    from mcp.server import MCPServer

    root = os.path.realpath(root)
    server = MCPServer("guardline", instructions=INSTRUCTIONS)

    @server.tool()
    def check_changes(base: str = "HEAD") -> ChangesResult:
        """Net-new findings of the work tree's changes against `base` (default HEAD), AI limits."""
        return ChangesResult(**_call(tools.check_changes, root, base))

    @server.tool()
    def check_file(path: str) -> FileResultModel:
        """Every finding of one file over the limits for AI-written code."""
        return FileResultModel(**_call(tools.check_file, root, path))

    @server.tool()
    def explain(path: str, line: int) -> ExplainResult:
        """A function's scores and the increments (line, construct, points) behind them."""
        return ExplainResult(**_call(tools.explain, root, path, line))

    @server.tool()
    def duplicates(path: str, start_line: int, end_line: int) -> DuplicatesResult:
        """Where the code in a line range of a file is duplicated in the workspace."""
        return DuplicatesResult(**_call(tools.duplicates, root, path, start_line, end_line))

    @server.tool()
    def provenance(path: str, line: int) -> ProvenanceResult:
        """Who wrote a line (AI tool and model, or human) and on what evidence."""
        return ProvenanceResult(**_call(tools.provenance, root, path, line))

    return server


def serve(root: str | None = None) -> int:
    server = build_server(root or find_workspace_root(os.getcwd()))
    server.run()       # stdio
    return 0
