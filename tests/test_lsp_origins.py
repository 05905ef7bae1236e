"""`guardline/origins` and origin hover through the real server on a real git repository: AI ranges
are cut per function so only a function over a limit is shaded strongly; the model named by a commit
message marker reaches the range and the hover. Plus the pure splitting."""

from __future__ import annotations

import pytest
import pytest_asyncio
from lsprotocol import types as t

from guardline.lsp.origins import exceeding_spans, origin_ranges, split_range
from guardline.model import FileResult, Finding, FunctionMetrics
from origin_helpers import Repo
from test_lsp_support import COMPLEX_PY, SharedServer, open_doc, shared_server

# COMPLEX_PY: simple() on lines 1-2, tangled() on lines 5-22 (1-based); the whole file is one AI region.
CLAUDE_MODEL = "Add billing\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared(tmp_path_factory) -> SharedServer:
    """One repository (billing.py: a person's commit with a Claude Code trailer naming the model;
    agent.py: a commit authored by the Claude identity) and one server for the tests below."""
    repo = Repo(tmp_path_factory.mktemp("origins") / "repo")
    repo.commit({"billing.py": COMPLEX_PY}, CLAUDE_MODEL)
    repo.commit({"agent.py": COMPLEX_PY}, "Add\n\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>\n",
                author=("Claude", "noreply@anthropic.com"))
    async with shared_server(repo.path, init_options={"debounce_ms": 0, "duplication": {"enabled": False}}) as server:
        yield server


@pytest.mark.asyncio(loop_scope="module")
async def test_only_the_function_over_a_limit_is_strong_and_the_model_is_shown(shared: SharedServer):
    root = shared.root
    async with shared.session() as (client, rec, _dir):
        uri = open_doc(client, root / "billing.py", COMPLEX_PY)

        async def ranges():
            reply = await client.protocol.send_request_async("guardline/origins", {"textDocument": {"uri": uri}})
            return [(r.start_line, r.end_line, r.exceeds_limit, r.function, r.model) for r in reply.ranges]

        # origin arrives in the background, then the document is republished with AI limits
        await rec.wait_for(lambda: any(d.data.get("origin") == "ai" for d in rec.for_uri(uri)[-1].diagnostics)
                           if rec.for_uri(uri) else False, timeout=30)
        got = await ranges()
        model = "Claude Opus 4.5"
        assert got == [(0, 3, False, None, model), (4, 21, True, "tangled", model)], \
            "simple() and the blank lines after it are faint; only tangled() (lines 5-22) exceeds a limit"
        hover = await client.text_document_hover_async(t.HoverParams(
            text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(4, 6)))
        assert "model: Claude Opus 4.5" in hover.contents.value, "the marker's model is in the hover"


def _fn(name: str, start: int, end: int) -> FunctionMetrics:
    return FunctionMetrics(name=name, qualified_name=name, start_line=start, end_line=end)


def _over(name: str, line: int, severity: str = "warning", category: str = "complexity") -> Finding:
    return Finding(rule="cognitive", category=category, severity=severity, start_line=line, end_line=line,
                   message="over", function=name)


def test_split_range_cuts_an_ai_region_at_exceeding_functions():
    # functions (1-based): small 1-3, big 5-12, inner 7-9 (nested in big), other 20-30 (over, partly outside)
    result = FileResult(path="a.py", language="python",
                        functions=[_fn("small", 1, 3), _fn("big", 5, 12), _fn("big.inner", 7, 9), _fn("other", 20, 30)],
                        findings=[_over("big", 5), _over("big.inner", 7), _over("other", 20),
                                  _over("small", 1, severity="hint"), _over("small", 1, category="security")])
    spans = exceeding_spans(result)
    assert spans == [(4, 11, "big"), (19, 29, "other")], \
        "0-based spans; the nested exceeding function is inside big's; hints and security findings do not count"
    pieces = split_range({"start_line": 0, "end_line": 24, "origin": "ai"}, spans)
    assert [(p["start_line"], p["end_line"], p["exceeds_limit"], p["function"]) for p in pieces] == [
        (0, 3, False, None), (4, 11, True, "big"), (12, 18, False, None), (19, 24, True, "other")]


def test_origin_ranges_without_analysis_are_all_faint():
    ranges = origin_ranges([{"start_line": 2, "end_line": 5, "origin": "ai", "tool": "Claude Code",
                             "model": "m", "evidence": "message", "confidence": "medium"}], None)
    assert ranges == [{"start_line": 2, "end_line": 5, "origin": "ai", "tool": "Claude Code", "model": "m",
                       "evidence": "message", "confidence": "medium", "exceeds_limit": False, "function": None}]


# ---- item: the model named by a message marker (origin.md source 5) ------------------------------
@pytest.mark.parametrize("trailer, tool, model", [
    ("Assisted-by: Claude:claude-3-opus coccinelle sparse", "claude", "claude-3-opus"),   # kernel AGENT:MODEL [TOOLS]
    ("Assisted-by: Claude Opus 4.5", "claude", "Claude Opus 4.5"),                        # a versioned model name
    ("Generated-by: GPT-4o", "chatgpt", "GPT-4o"),
    ("Assisted-by: GitHub Copilot (gpt-4.1)", "copilot", "gpt-4.1"),                      # model in brackets
    ("Generated-by: GitHub Copilot", "copilot", None),                                    # names no model
])
def test_policy_trailer_model(trailer: str, tool: str, model: str | None):
    from guardline.origin.commits import CommitTables, classify_message
    from guardline.origin.records import CommitInfo
    rec = classify_message(CommitInfo(sha="a" * 40, message=f"Fix\n\n{trailer}\n"), CommitTables())
    assert (rec.tool, rec.model) == (tool, model), f"{trailer!r} names {model!r}"


@pytest.mark.asyncio(loop_scope="module")
async def test_ai_author_commit_takes_the_model_from_its_message_and_the_hover_shows_it(shared: SharedServer):
    """The Claude identity decides the origin (source 4, before message markers); the model named by
    the commit's Co-Authored-By trailer is still recorded and shown."""
    root = shared.root
    async with shared.session() as (client, rec, _dir):
        uri = open_doc(client, root / "agent.py", COMPLEX_PY)
        await rec.wait_for(lambda: any(d.data.get("origin") == "ai" for d in rec.for_uri(uri)[-1].diagnostics)
                           if rec.for_uri(uri) else False, timeout=30)
        hover = await client.text_document_hover_async(t.HoverParams(
            text_document=t.TextDocumentIdentifier(uri=uri), position=t.Position(4, 6)))
        text = hover.contents.value
        assert "model: Claude Sonnet 4.5" in text and "evidence: author" in text, text
