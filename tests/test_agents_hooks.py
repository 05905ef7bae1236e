"""`guardline hook <host>` with payloads written from ../shared/specs/agents.md (one per host and tool
shape): the right file and lines recorded as a valid Agent Trace record, net-new findings only, and the
host's exact output shape. Every edit is made on disk first, as the agent would, then the hook runs."""

from __future__ import annotations

import json

import jsonschema
import pytest

from agents_helpers import (AFTER_HARMLESS, AFTER_NEW, BASE, HARMLESS_NEW, HARMLESS_OLD, NEW_TAIL, OK_TAIL, WORSE,
                            WORSE_DEF_LINE, WORSE_LINES, make_repo, model_of, ranges_of, records, run)
from guardline.agents.trace import load_schema

SCHEMA = load_schema()


def valid(record: dict) -> dict:
    jsonschema.validate(record, SCHEMA)
    return record


def only_record(repo) -> dict:
    recs = records(repo)
    assert len(recs) == 1, f"expected exactly one Agent Trace record, got {len(recs)}"
    return valid(recs[0])


def context_of(out) -> str:
    data = json.loads(out.stdout)
    return data["hookSpecificOutput"]["additionalContext"]


def assert_reports_worse(message: str) -> None:
    # the new function is over the AI cognitive limit; the committed `bad` is not repeated
    assert f"src/app.py:{WORSE_DEF_LINE}: cognitive 13 > 10" in message, message
    assert "'worse'" in message and "'bad'" not in message, message
    assert "worst: line" in message and "Fix:" in message, message


# ----------------------------------------------------------------------------- Claude Code
def claude_edit(repo, old, new, *, with_patch: bool, tool_use="toolu_01ABC123", session="8c35adc1"):
    path = str(repo.path / "src/app.py")
    response = {"filePath": path, "oldString": old, "newString": new, "userModified": False, "replaceAll": False}
    if with_patch:
        response["originalFile"] = BASE
        response["structuredPatch"] = [{"oldStart": 11, "oldLines": 2, "newStart": 11, "newLines": 13,
                                        "lines": [" def ok(y):", "     return y + 1", "+", "+"] +
                                        ["+" + line for line in WORSE.rstrip("\n").split("\n")]}]
    return {"session_id": session, "prompt_id": "550e8400-e29b-41d4-a716-446655440000",
            "transcript_path": str(repo.path.parent / "transcript.jsonl"), "cwd": str(repo.path),
            "permission_mode": "acceptEdits", "hook_event_name": "PostToolUse", "tool_name": "Edit",
            "tool_input": {"file_path": path, "old_string": old, "new_string": new, "replace_all": False},
            "tool_response": response, "tool_use_id": tool_use, "duration_ms": 12}


@pytest.mark.parametrize("with_patch", [True, False], ids=["structuredPatch", "no-structuredPatch"])
def test_claude_edit_reports_the_new_function_and_records_its_lines(tmp_path, with_patch):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    out = run(repo, "claude", claude_edit(repo, OK_TAIL, NEW_TAIL, with_patch=with_patch))
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert list(data) == ["hookSpecificOutput"] and set(data["hookSpecificOutput"]) == {"hookEventName",
                                                                                         "additionalContext"}
    assert data["hookSpecificOutput"]["hookEventName"] == "PostToolUse"
    assert_reports_worse(context_of(out))
    record = only_record(repo)
    assert ranges_of(record) == [WORSE_LINES], "the added lines, from structuredPatch or the line diff"
    assert record["tool"]["name"] == "claude-code"
    assert record["vcs"]["revision"] == repo.git("rev-parse", "HEAD").strip()
    conversation = record["files"][0]["conversations"][0]
    assert conversation["related"] == [{"type": "session", "url": "urn:claude-code:session:8c35adc1"}]
    assert conversation["url"].startswith("file:///") and conversation["url"].endswith("transcript.jsonl")


def test_claude_harmless_edit_of_a_bad_function_reports_nothing(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_HARMLESS)
    out = run(repo, "claude", claude_edit(repo, HARMLESS_OLD, HARMLESS_NEW, with_patch=False))
    # `bad` is over the AI limit before and after, with the same value: not net-new, so no output
    assert (out.stdout, out.exit_code) == ("", 0)
    assert ranges_of(only_record(repo)) == [(7, 7)], "the one line the edit wrote is still recorded"


def test_claude_write_new_file_and_multiedit(tmp_path):
    repo = make_repo(tmp_path)
    new_path = repo.path / "src/new.py"
    repo.write("src/new.py", WORSE)
    payload = {"session_id": "abc123", "transcript_path": "", "cwd": str(repo.path), "permission_mode": "default",
               "hook_event_name": "PostToolUse", "tool_name": "Write",
               "tool_input": {"file_path": str(new_path), "content": WORSE},
               "tool_response": {"filePath": str(new_path), "success": True}, "tool_use_id": "toolu_w"}
    out = run(repo, "claude", payload)
    assert "src/new.py:1: cognitive 13 > 10" in context_of(out)
    assert ranges_of(only_record(repo), "src/new.py") == [(1, 9)], "a new file: every line is the agent's"
    repo.write("src/app.py", AFTER_NEW.replace("return y + 1", "return y + 2"))
    multi = {"session_id": "abc123", "cwd": str(repo.path), "hook_event_name": "PostToolUse", "tool_name": "MultiEdit",
             "tool_input": {"file_path": str(repo.path / "src/app.py"),
                            "edits": [{"old_string": OK_TAIL, "new_string": NEW_TAIL},
                                      {"old_string": "return y + 1", "new_string": "return y + 2"}]},
             "tool_response": {"filePath": str(repo.path / "src/app.py")}, "tool_use_id": "toolu_m"}
    assert_reports_worse(context_of(run(repo, "claude", multi)))
    assert ranges_of(records(repo)[-1]) == [(12, 23)], "line 12 (return y + 2) and the new function"


def test_claude_model_comes_from_session_start_or_the_transcript(tmp_path):
    repo = make_repo(tmp_path)
    start = {"session_id": "s-model", "transcript_path": "", "cwd": str(repo.path), "hook_event_name": "SessionStart",
             "source": "startup", "model": "claude-sonnet-5"}
    assert run(repo, "claude", start).stdout == ""
    repo.write("src/app.py", AFTER_NEW)
    run(repo, "claude", claude_edit(repo, OK_TAIL, NEW_TAIL, with_patch=False, session="s-model"))
    assert model_of(only_record(repo)) == "anthropic/claude-sonnet-5", "SessionStart model, provider added"
    transcript = tmp_path / "t.jsonl"
    transcript.write_text(json.dumps({"type": "assistant", "message": {"model": "claude-opus-4-5-20251101"}}) + "\n")
    repo.write("src/app.py", AFTER_NEW + "\n\nX = 1\n")
    payload = claude_edit(repo, "", "", with_patch=False, session="s-other", tool_use="toolu_t")
    payload["transcript_path"] = str(transcript)
    payload["tool_input"] = {"file_path": str(repo.path / "src/app.py"), "old_string": "", "new_string": "\n\nX = 1\n"}
    run(repo, "claude", payload)
    assert model_of(records(repo)[-1]) == "anthropic/claude-opus-4-5-20251101", "message.model of the transcript"


def test_same_edit_seen_by_two_hook_files_records_and_answers_once(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    payload = claude_edit(repo, OK_TAIL, NEW_TAIL, with_patch=True)
    first = run(repo, "claude", payload)
    second = run(repo, "claude", payload)
    assert first.stdout and second.stdout == "", "the second run of the same tool call says nothing"
    assert len(records(repo)) == 1, "and records nothing"


# ----------------------------------------------------------------------------- Cursor
def cursor_common(repo, event):
    return {"conversation_id": "conv-1", "generation_id": "gen-1", "model": "claude-opus-4-7-thinking-max",
            "model_id": "claude-opus-4-7", "model_params": [], "hook_event_name": event, "cursor_version": "2.4.0",
            "workspace_roots": [str(repo.path)], "user_email": None, "transcript_path": None}


def test_cursor_after_file_edit_records_and_post_tool_use_reports(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    path = str(repo.path / "src/app.py")
    after_edit = {**cursor_common(repo, "afterFileEdit"), "file_path": path,
                  "edits": [{"old_string": OK_TAIL, "new_string": NEW_TAIL}]}
    out = run(repo, "cursor", after_edit)
    assert json.loads(out.stdout) == {}, "afterFileEdit output is not read by Cursor: record only"
    record = only_record(repo)
    assert ranges_of(record) == [WORSE_LINES] and record["tool"] == {"name": "cursor", "version": "2.4.0"}
    assert model_of(record) == "anthropic/claude-opus-4-7", "model_id, provider added"
    post = {**cursor_common(repo, "postToolUse"), "tool_name": "Write", "tool_input": {"file_path": path},
            "tool_output": "{\"ok\":true}", "tool_use_id": "abc123", "cwd": str(repo.path), "duration": 5}
    out = run(repo, "cursor", post)
    data = json.loads(out.stdout)
    assert list(data) == ["additional_context"]
    assert_reports_worse(data["additional_context"])
    assert len(records(repo)) == 1, "the edit afterFileEdit recorded is not recorded again"


def test_cursor_running_claude_hook_files_gets_both_output_keys(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    payload = claude_edit(repo, OK_TAIL, NEW_TAIL, with_patch=False)
    payload["cursor_version"] = "2.4.0"          # Cursor runs .claude/settings.json hooks with its own fields
    payload["tool_name"] = "Write"
    payload["tool_input"] = {"file_path": str(repo.path / "src/app.py")}
    out = run(repo, "claude", payload)
    data = json.loads(out.stdout)
    assert set(data) == {"additional_context", "hookSpecificOutput"}, "the payload decides the host, not argv"
    assert records(repo)[0]["tool"]["name"] == "cursor"


# ----------------------------------------------------------------------------- Codex
def codex_payload(repo, patch, **extra):
    return {"session_id": "019a7c2e-1111", "turn_id": "3", "transcript_path": "/home/u/.codex/sessions/r.jsonl",
            "cwd": str(repo.path), "hook_event_name": "PostToolUse", "model": "gpt-5.3-codex",
            "permission_mode": "default", "tool_name": "apply_patch", "tool_use_id": "call_abc123",
            "tool_input": {"command": patch}, "tool_response": "Success. Updated the following files:\nM src/app.py",
            **extra}


def envelope(*body: str) -> str:
    return "*** Begin Patch\n" + "\n".join(body) + "\n*** End Patch\n"


def test_codex_update_patch_reports_with_decision_and_reason(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    plus = ["+"] * 2 + ["+" + line for line in WORSE.rstrip("\n").split("\n")]
    patch = envelope("*** Update File: src/app.py", "@@", " def ok(y):", "     return y + 1", *plus)
    out = run(repo, "codex", codex_payload(repo, patch))
    data = json.loads(out.stdout)
    assert set(data) == {"decision", "reason", "hookSpecificOutput"} and data["decision"] == "block"
    assert data["reason"].startswith("The patch was applied. ")
    assert_reports_worse(data["reason"])
    record = only_record(repo)
    assert ranges_of(record) == [WORSE_LINES] and record["tool"]["name"] == "codex"
    assert model_of(record) == "openai/gpt-5.3-codex"
    assert record["files"][0]["conversations"][0]["related"][0]["url"] == "urn:codex:session:019a7c2e-1111"


def test_codex_add_file_patch_and_harmless_update(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/new.py", WORSE)
    patch = envelope("*** Add File: src/new.py", *["+" + line for line in WORSE.rstrip("\n").split("\n")])
    out = run(repo, "codex", codex_payload(repo, patch, tool_name="functions.apply_patch"))
    assert "src/new.py:1: cognitive 13 > 10" in json.loads(out.stdout)["reason"]
    assert ranges_of(only_record(repo), "src/new.py") == [(1, 9)]
    repo.write("src/app.py", AFTER_HARMLESS)
    harmless = envelope("*** Update File: src/app.py", "@@ def bad(x):", "-" + HARMLESS_OLD, "+" + HARMLESS_NEW)
    out = run(repo, "codex", codex_payload(repo, harmless, tool_use_id="call_2"))
    assert (out.stdout, out.exit_code) == ("", 0), "no worse than before: Codex gets no output"
    assert ranges_of(records(repo)[-1]) == [(7, 7)]


def test_codex_paths_from_the_tool_response_when_no_patch_text(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    payload = codex_payload(repo, "", tool_input={},
                            tool_response=json.dumps({"output": "Success. Updated the following files:\nM src/app.py"}))
    out = run(repo, "codex", payload)
    assert_reports_worse(json.loads(out.stdout)["reason"])
    assert ranges_of(only_record(repo)) == [WORSE_LINES], "diffed against HEAD"


# ----------------------------------------------------------------------------- Gemini
def gemini_payload(repo, tool, tool_input):
    return {"session_id": "3f1c", "transcript_path": "/home/u/.gemini/tmp/x/chats/session.json", "cwd": str(repo.path),
            "hook_event_name": "AfterTool", "timestamp": "2026-08-22T10:00:00.000Z", "tool_name": tool,
            "tool_input": tool_input, "tool_response": {"llmContent": "Successfully modified file", "returnDisplay": ""}}


@pytest.mark.parametrize("tool", ["write_file", "replace"])
def test_gemini_after_tool(tmp_path, tool):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    path = str(repo.path / "src/app.py")
    tool_input = ({"file_path": path, "content": AFTER_NEW} if tool == "write_file" else
                  {"file_path": path, "instruction": "add worse", "old_string": OK_TAIL, "new_string": NEW_TAIL})
    out = run(repo, "gemini", gemini_payload(repo, tool, tool_input))
    data = json.loads(out.stdout)
    assert data["hookSpecificOutput"]["hookEventName"] == "AfterTool" and list(data) == ["hookSpecificOutput"]
    assert_reports_worse(data["hookSpecificOutput"]["additionalContext"])
    record = only_record(repo)
    assert ranges_of(record) == [WORSE_LINES] and record["tool"]["name"] == "gemini-cli"
    assert model_of(record) is None, "Gemini sends no model: model_id is omitted"


def test_gemini_clean_output_is_an_empty_json_object(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_HARMLESS)
    out = run(repo, "gemini", gemini_payload(repo, "replace", {"file_path": str(repo.path / "src/app.py"),
                                                               "old_string": HARMLESS_OLD, "new_string": HARMLESS_NEW}))
    assert out.stdout == "{}\n", "Gemini parses stdout as JSON: clean means {}"


# ----------------------------------------------------------------------------- Copilot
def test_copilot_cli_camel_case_edit_and_create(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    edit = {"sessionId": "sess-1", "timestamp": 1767000000000, "cwd": str(repo.path), "toolName": "edit",
            "toolArgs": json.dumps({"path": str(repo.path / "src/app.py"), "old_str": OK_TAIL, "new_str": NEW_TAIL}),
            "toolResult": {"resultType": "success", "textResultForLlm": "File edited"}}
    out = run(repo, "copilot", edit, event="postToolUse")
    data = json.loads(out.stdout)
    assert list(data) == ["additionalContext"]
    assert_reports_worse(data["additionalContext"])
    assert ranges_of(only_record(repo)) == [WORSE_LINES] and records(repo)[0]["tool"]["name"] == "github-copilot"
    repo.write("src/made.py", WORSE)
    create = {**edit, "toolName": "create", "toolArgs": {"path": "src/made.py", "file_text": WORSE}}
    out = run(repo, "copilot", create)      # no --event: toolName + toolResult mean postToolUse
    assert "src/made.py:1: cognitive 13 > 10" in json.loads(out.stdout)["additionalContext"]
    assert ranges_of(records(repo)[-1], "src/made.py") == [(1, 9)]


def test_copilot_pascal_case_dialect(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    payload = {"hook_event_name": "PostToolUse", "session_id": "sess-2", "timestamp": "2026-02-09T10:30:00.000Z",
               "cwd": str(repo.path), "tool_name": "edit",
               "tool_input": {"path": "src/app.py", "old_str": OK_TAIL, "new_str": NEW_TAIL},
               "tool_result": {"result_type": "success", "text_result_for_llm": "ok"}}
    data = json.loads(run(repo, "copilot", payload).stdout)
    assert set(data) == {"additionalContext", "hookSpecificOutput"}
    assert_reports_worse(data["additionalContext"])


# ----------------------------------------------------------------------------- VS Code
def test_vscode_pre_tool_snapshot_keeps_a_persons_uncommitted_change_out(tmp_path):
    repo = make_repo(tmp_path)
    person = BASE.replace("def ok(y):", "def ok(y):  # checked by a person")
    repo.write("src/app.py", person)               # uncommitted human change before the agent starts
    common = {"timestamp": "2026-02-09T10:30:00.000Z", "cwd": str(repo.path), "sessionId": "vs-1",
              "transcript_path": "/home/u/.config/Code/User/workspaceStorage/x/GitHub.copilot-chat/t.json"}
    pre = {**common, "hookEventName": "PreToolUse", "tool_name": "editFiles", "tool_input": {"files": ["src/app.py"]},
           "tool_use_id": "tool-123"}
    assert run(repo, "vscode", pre).stdout == ""
    repo.write("src/app.py", person + "\n\n" + WORSE)
    post = {**pre, "hookEventName": "PostToolUse", "tool_response": "File edited successfully"}
    out = run(repo, "vscode", post)
    data = json.loads(out.stdout)
    assert data == {"hookSpecificOutput": {"hookEventName": "PostToolUse",
                                           "additionalContext": data["hookSpecificOutput"]["additionalContext"]}}
    assert_reports_worse(data["hookSpecificOutput"]["additionalContext"])
    assert ranges_of(only_record(repo)) == [WORSE_LINES], "line 11 (the person's comment) is not the agent's"


def test_vscode_replace_string_in_file(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    payload = {"timestamp": "2026-02-09T10:30:00.000Z", "cwd": str(repo.path), "sessionId": "vs-2",
               "hookEventName": "PostToolUse", "tool_name": "replace_string_in_file", "tool_use_id": "t-2",
               "tool_input": {"filePath": str(repo.path / "src/app.py"), "oldString": OK_TAIL, "newString": NEW_TAIL},
               "tool_response": "ok", "transcript_path": "/x/github.copilot-chat/t.json"}
    assert_reports_worse(context_of(run(repo, "vscode", payload)))
    assert ranges_of(only_record(repo)) == [WORSE_LINES]


# ----------------------------------------------------------------------------- Cline
def cline_payload(repo, tool, parameters):
    return {"clineVersion": "3.40.0", "hookName": "PostToolUse", "timestamp": "1767000000000", "taskId": "task-9",
            "workspaceRoots": [str(repo.path)], "userId": "u1", "model": {"provider": "anthropic",
                                                                          "slug": "claude-sonnet-4-6"},
            "postToolUse": {"toolName": tool, "parameters": parameters, "result": "ok", "success": True,
                            "executionTimeMs": 40}}


def test_cline_replace_in_file_search_replace_blocks(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    diff = f"<<<<<<< SEARCH\n{OK_TAIL}=======\n{NEW_TAIL}>>>>>>> REPLACE\n"
    out = run(repo, "cline", cline_payload(repo, "replace_in_file", {"path": "src/app.py", "diff": diff}))
    data = json.loads(out.stdout)
    assert set(data) == {"cancel", "contextModification"} and data["cancel"] is False
    assert_reports_worse(data["contextModification"])
    record = only_record(repo)
    assert ranges_of(record) == [WORSE_LINES] and record["tool"] == {"name": "cline", "version": "3.40.0"}
    assert model_of(record) == "anthropic/claude-sonnet-4-6"


def test_cline_clean_output_still_says_do_not_cancel(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_HARMLESS)
    out = run(repo, "cline", cline_payload(repo, "write_to_file", {"path": "src/app.py", "content": AFTER_HARMLESS}))
    assert json.loads(out.stdout) == {"cancel": False}


# ----------------------------------------------------------------------------- Aider
def test_aider_lint_cmd_after_an_auto_commit(tmp_path):
    repo = make_repo(tmp_path)
    repo.commit({"src/app.py": AFTER_NEW}, "aider: add worse", author=("Alice Example (aider)", "alice@example.com"))
    out = run(repo, "aider", None, files=["src/app.py"], model="sonnet")
    assert out.exit_code == 1, "findings: exit 1 so aider asks the model to fix them"
    lines = out.stdout.splitlines()
    assert lines[0].startswith(f"src/app.py:{WORSE_DEF_LINE}: cognitive 13 > 10"), out.stdout
    assert all(line.startswith("src/app.py:") for line in lines), "only path:line: lines (aider's context format)"
    record = only_record(repo)
    assert ranges_of(record) == [WORSE_LINES], "HEAD holds the edit: compared with HEAD^"
    assert record["vcs"]["revision"] == repo.git("rev-parse", "HEAD").strip()


def test_aider_uncommitted_and_clean(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_HARMLESS)
    out = run(repo, "aider", None, files=["src/app.py"])
    assert (out.stdout, out.exit_code) == ("", 0)
    assert ranges_of(only_record(repo)) == [(7, 7)], "not committed: compared with HEAD"


# ----------------------------------------------------------------------------- Windsurf
def test_windsurf_records_only(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    payload = {"agent_action_name": "post_write_code", "trajectory_id": "traj-123", "execution_id": "exec-1",
               "timestamp": "2026-08-22T10:00:00Z", "model_name": "gpt-4",
               "tool_info": {"file_path": str(repo.path / "src/app.py"),
                             "edits": [{"old_string": OK_TAIL, "new_string": NEW_TAIL}]}}
    out = run(repo, "windsurf", payload)
    assert (out.stdout, out.exit_code) == ("", 0), "post hooks cannot reach Cascade: nothing is printed"
    record = only_record(repo)
    assert ranges_of(record) == [WORSE_LINES] and model_of(record) == "openai/gpt-4"
