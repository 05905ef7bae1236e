"""apply_to_functions, ai_ranges, explain_line, and the demo repository."""

from __future__ import annotations

import subprocess

import pytest
from origin_helpers import GIT, git_env

from guardline.config import Config
from guardline.demo import MARKER_FILE, create_demo, looks_like_demo
from guardline.model import FunctionMetrics
from guardline.origin import (FileOrigin, LineOrigin, OriginResolver, ZERO_SHA, ai_ranges,
                              apply_to_functions, explain_line)

AI = LineOrigin("ai", "claude-code", "claude-opus-4-5", "message", "commit", "a" * 40, "medium", "footer")
AI2 = LineOrigin("ai", "claude-code", "claude-opus-4-5", "message", "commit", "b" * 40, "medium", "footer")
CURSOR = LineOrigin("ai", "cursor", None, "git-ai", "line", "c" * 40, "high", "note")
HUMAN = LineOrigin("human", None, None, "none", "commit", "d" * 40, "low", "no AI evidence")
BOT = LineOrigin("bot", None, None, "author", "commit", "e" * 40, "high", "dependabot")
UNKNOWN = LineOrigin("unknown", None, None, "uncommitted", "line", ZERO_SHA, "low", "uncommitted")


def fn(start: int, end: int) -> FunctionMetrics:
    return FunctionMetrics(name="f", qualified_name="f", start_line=start, end_line=end)


def test_apply_to_functions_share_threshold_and_detail():
    # lines:        1   2    3      4   5      6      7      8    9
    records = [HUMAN, AI, AI2, HUMAN, AI, HUMAN, HUMAN, BOT, BOT]
    text = ["def a():", "  x", "  y", "", "  z", "def b():", "  p", "  q", "  r"]
    origin = FileOrigin(records)
    a, b, c = fn(1, 5), fn(6, 9), fn(4, 4)
    apply_to_functions([a, b, c], origin, 0.5, text)
    # a: non-blank lines 1, 2, 3, 5 (line 4 is blank) -> 3 of 4 are AI.
    assert (a.origin, a.ai_share) == ("ai", 0.75)
    assert a.origin_detail["tool"] == "Claude Code" and a.origin_detail["commits"] == 2
    assert (a.origin_detail["model"], a.origin_detail["evidence"], a.origin_detail["confidence"]) == \
        ("claude-opus-4-5", "message", "medium")
    assert a.origin_detail["evidence_levels"] == {"line": 0, "commit": 3, "file": 0, "none": 1}
    # b: human 2, bot 2 -> no AI; tie broken towards human.
    assert (b.origin, b.ai_share) == ("human", 0.0)
    # c: only a blank line -> nothing to attribute.
    assert (c.origin, c.ai_share) == ("unknown", 0.0)


def test_apply_to_functions_threshold_is_inclusive_and_configurable():
    origin = FileOrigin([AI, HUMAN, AI, HUMAN])
    text = ["a", "b", "c", "d"]
    half = fn(1, 4)
    apply_to_functions([half], origin, 0.5, text)
    assert half.origin == "ai", "exactly 50% AI meets the default threshold (at least ai_share)"
    strict = fn(1, 4)
    apply_to_functions([strict], origin, 0.75, text)
    assert (strict.origin, strict.ai_share) == ("human", 0.5), "ai_share is reported either way"


def test_apply_to_functions_majority_non_ai_origin():
    origin = FileOrigin([UNKNOWN, UNKNOWN, BOT, AI])
    f = fn(1, 4)
    apply_to_functions([f], origin, 0.5, ["a", "b", "c", "d"])
    assert (f.origin, f.ai_share) == ("unknown", 0.25)


def test_ai_ranges_merge_and_split_by_tool():
    origin = FileOrigin([HUMAN, AI, AI2, CURSOR, HUMAN, AI])
    ranges = ai_ranges(origin)
    assert [(r["start_line"], r["end_line"], r["tool"]) for r in ranges] == [
        (1, 2, "Claude Code"), (3, 3, "Cursor"), (5, 5, "Claude Code")], "0-based inclusive, merged per tool"
    assert ranges[0] | {} == {"start_line": 1, "end_line": 2, "origin": "ai", "tool": "Claude Code",
                              "tool_id": "claude-code", "model": "claude-opus-4-5", "evidence": "message",
                              "confidence": "medium", "exceeds_limit": False}


def test_explain_line():
    origin = FileOrigin([HUMAN, CURSOR])
    assert explain_line(origin, 2) == (
        "line 2: AI (Cursor), decided by a git-ai authorship note (source 2) in commit cccccccc: note. "
        "Confidence high, line-level evidence.")
    assert explain_line(origin, 1) == (
        "line 1: human: no source had a record in commit dddddddd (source 8): no AI evidence. Confidence low. "
        "No AI evidence is not proof of human authorship.")
    assert explain_line(origin, 9) == "line 9: no origin record (the file has 2 lines)"


# --- demo ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = create_demo(str(tmp_path_factory.mktemp("d") / "demo"))
    return path, OriginResolver(path, Config())


def test_demo_history_has_each_kind_of_evidence(demo):
    path, resolver = demo
    expected = {  # file -> (evidence of its AI lines, tool display name)
        "src/shop/orders.py": ("message", "Claude Code"),
        "web/cart.ts": ("author", "Copilot coding agent"),
        "inventory/stock.go": ("author", "Aider"),
        "src/shop/shipping_rules.py": ("git-ai", "Claude Code"),
        "src/shop/discounts.py": ("agent-trace", "Claude Code"),
        "src/shop/tax.py": ("markers", "ChatGPT"),
    }
    for rel, (evidence, tool) in expected.items():
        ranges = ai_ranges(resolver.resolve(rel))
        assert ranges and {(r["evidence"], r["tool"]) for r in ranges} == {(evidence, tool)}, rel
    for rel in ("src/shop/pricing.py", "web/format.ts", "inventory/report.go"):
        assert set(r.origin for r in resolver.resolve(rel).lines) == {"human"}, rel
    assert {r.origin for r in resolver.resolve("requirements.txt").lines} == {"bot"}
    assert {r.origin for r in resolver.resolve("src/shop/catalog_pb2.py").lines} == {"generated"}


def test_demo_dates_span_about_thirteen_weeks(demo):
    path, _ = demo
    out = subprocess.run([GIT, "log", "--format=%at"], cwd=path, capture_output=True, text=True,
                         env=git_env(), check=True).stdout.split()
    span_days = (int(out[0]) - int(out[-1])) / 86400
    assert 84 <= span_days <= 98, f"history spans {span_days} days: >= 12 weekly trend samples for the report"
    assert len(out) >= 24


def test_demo_is_deterministic(tmp_path):
    heads = []
    for name in ("one", "two"):
        path = create_demo(str(tmp_path / name))
        heads.append(subprocess.run([GIT, "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True,
                                    env=git_env(), check=True).stdout)
    assert heads[0] == heads[1], "fixed dates and identities give the same shas"


def test_demo_ai_function_exceeds_ai_limit_while_similar_human_one_warns(demo):
    from guardline.metrics import compute_functions
    from guardline.parsing import parse
    path, resolver = demo
    limits = Config()
    found = {}
    for rel in ("src/shop/orders.py", "src/shop/pricing.py"):
        text = open(f"{path}/{rel}", encoding="utf-8").read()
        functions, _ = compute_functions(parse(text, "python"))
        apply_to_functions(functions, resolver.resolve(rel), limits["ai_share"], text.split("\n"))
        found.update({f.name: f for f in functions})
    ai_fn, human_fn = found["validate_order"], found["shipping_cost"]
    assert ai_fn.origin == "ai" and ai_fn.cognitive > limits.limits("ai", "cognitive")["error"]
    assert human_fn.origin == "human"
    human_limits = limits.limits("human", "cognitive")
    assert human_limits["warning"] < human_fn.cognitive <= human_limits["error"], "human: warning only"


def test_demo_refuses_to_wipe_other_folders(tmp_path):
    other = tmp_path / "mine"
    other.mkdir()
    (other / "precious.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        create_demo(str(other))
    with pytest.raises(ValueError):
        create_demo(str(other), force=True)
    assert (other / "precious.txt").read_text() == "keep me"


def test_demo_force_rebuilds_a_demo(tmp_path):
    path = create_demo(str(tmp_path / "demo"))
    (tmp_path / "demo" / "scratch.txt").write_text("x")
    assert looks_like_demo(path)
    with pytest.raises(FileExistsError):
        create_demo(path)
    create_demo(path, force=True)
    assert not (tmp_path / "demo" / "scratch.txt").exists() and (tmp_path / "demo" / MARKER_FILE).exists()


def test_evidence_levels_of_a_file():
    from guardline.origin import evidence_levels
    region = LineOrigin("ai", None, None, "markers", "region", None, "high", "marker")
    header = LineOrigin("ai", None, None, "file-header", "file", None, "medium", "header")
    levels = evidence_levels([CURSOR, region, AI, header, HUMAN, UNKNOWN])
    # git-ai and region markers are line-level; footers commit-level; HUMAN (none) and UNKNOWN: no evidence.
    assert levels == {"line": 2, "commit": 1, "file": 1, "none": 2}


def test_describe_function_origin():
    from guardline.origin import describe_function_origin
    origin = FileOrigin([AI, AI2, AI, HUMAN])
    ai_fn, human_fn, bot_fn = fn(1, 4), fn(4, 4), fn(1, 1)
    apply_to_functions([ai_fn, human_fn], origin, 0.5, ["a", "b", "c", "d"])
    assert describe_function_origin(ai_fn) == \
        "AI 75% (Claude Code, model claude-opus-4-5; 2 commits; evidence: message, medium confidence)"
    assert describe_function_origin(human_fn) == "human-written"
    apply_to_functions([bot_fn], FileOrigin([BOT]), 0.5, ["a"])
    assert describe_function_origin(bot_fn) == "bot-written"
