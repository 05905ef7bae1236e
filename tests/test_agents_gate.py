"""The turn-end gate, fail-open behaviour, concurrent recording and the `guardline hook` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import jsonschema

from agents_helpers import AFTER_NEW, NEW_TAIL, OK_TAIL, WORSE, make_repo, ranges_of, records, run
from guardline.agents.trace import load_schema
from origin_helpers import git_env

SERVER_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "server")


def edit_payload(repo, session="s-gate", tool_use="toolu_g"):
    path = str(repo.path / "src/app.py")
    return {"session_id": session, "cwd": str(repo.path), "hook_event_name": "PostToolUse", "tool_name": "Edit",
            "tool_input": {"file_path": path, "old_string": OK_TAIL, "new_string": NEW_TAIL},
            "tool_response": {"filePath": path}, "tool_use_id": tool_use}


def stop_payload(repo, active, session="s-gate"):
    return {"session_id": session, "cwd": str(repo.path), "hook_event_name": "Stop", "stop_hook_active": active,
            "last_assistant_message": "done"}


def test_stop_gate_blocks_until_fixed_and_at_most_n_rounds(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    run(repo, "claude", edit_payload(repo))
    reasons = []
    for active in (False, True, True, True):
        out = run(repo, "claude", stop_payload(repo, active))
        reasons.append(json.loads(out.stdout)["reason"] if out.stdout else None)
    # default agents.stop_rounds = 3: three blocks in a row, then the turn may end
    assert [r is not None for r in reasons] == [True, True, True, False], reasons
    assert "'worse'" in reasons[0] and "round 1 of 3" in reasons[0] and "round 3 of 3" in reasons[2]
    assert run(repo, "claude", stop_payload(repo, False)).stdout == "", "a new turn without edits is not gated"


def test_stop_gate_lets_a_fixed_turn_end(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    run(repo, "claude", edit_payload(repo))
    assert json.loads(run(repo, "claude", stop_payload(repo, False)).stdout)["decision"] == "block"
    fixed = AFTER_NEW.replace(WORSE, "def worse(v):\n    return sorted(v)\n")
    repo.write("src/app.py", fixed)
    assert run(repo, "claude", stop_payload(repo, True)).stdout == "", "nothing over the limits is left"


def test_stop_gate_per_host_shapes(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    gem = {"session_id": "g1", "cwd": str(repo.path), "hook_event_name": "AfterTool", "tool_name": "replace",
           "tool_input": {"file_path": str(repo.path / "src/app.py"), "old_string": OK_TAIL, "new_string": NEW_TAIL}}
    run(repo, "gemini", gem)
    out = json.loads(run(repo, "gemini", {"session_id": "g1", "cwd": str(repo.path),
                                          "hook_event_name": "AfterAgent", "stop_hook_active": False}).stdout)
    assert set(out) == {"decision", "reason"} and out["decision"] == "deny", "Gemini AfterAgent: deny + reason"
    repo.write("src/other.py", WORSE)
    cur = {"conversation_id": "c9", "cursor_version": "2.4.0", "workspace_roots": [str(repo.path)],
           "hook_event_name": "afterFileEdit", "file_path": str(repo.path / "src/other.py"),
           "edits": [{"old_string": "", "new_string": WORSE}]}
    run(repo, "cursor", cur)
    stop = {"conversation_id": "c9", "cursor_version": "2.4.0", "workspace_roots": [str(repo.path)],
            "hook_event_name": "stop", "status": "completed", "loop_count": 0}
    assert set(json.loads(run(repo, "cursor", stop).stdout)) == {"followup_message"}


def test_fail_open_on_a_broken_payload_logs_and_answers_clean(tmp_path):
    repo = make_repo(tmp_path)
    from guardline.agents.hook import HookOptions, run_hook
    out = run_hook(HookOptions("gemini", cwd=str(repo.path)), b"{not json")
    assert (out.stdout, out.exit_code) == ("{}\n", 0), "Gemini's clean output, exit 0: the agent goes on"
    log = (repo.path / ".guardline" / "hook.log").read_text()
    assert "JSONDecodeError" in log


def test_concurrent_hooks_write_whole_records(tmp_path):
    repo = make_repo(tmp_path)
    count = 8
    for i in range(count):
        repo.write(f"src/m{i}.py", WORSE)

    def one(i):
        path = str(repo.path / f"src/m{i}.py")
        run(repo, "claude", {"session_id": "par", "cwd": str(repo.path), "hook_event_name": "PostToolUse",
                             "tool_name": "Write", "tool_input": {"file_path": path, "content": WORSE},
                             "tool_response": {"filePath": path}, "tool_use_id": f"toolu_{i}"})
    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    recs = records(repo)       # every line parses: no interleaved writes
    assert sorted(r["files"][0]["path"] for r in recs) == sorted(f"src/m{i}.py" for i in range(count))
    schema = load_schema()
    for rec in recs:
        jsonschema.validate(rec, schema)
        assert ranges_of(rec, rec["files"][0]["path"]) == [(1, 9)]


def test_hook_command_reads_stdin(tmp_path):
    repo = make_repo(tmp_path)
    repo.write("src/app.py", AFTER_NEW)
    env = git_env({"PYTHONPATH": SERVER_DIR})
    proc = subprocess.run([sys.executable, "-m", "guardline", "hook", "claude"], cwd=repo.path, env=env,
                          input=json.dumps(edit_payload(repo)).encode(), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "cognitive 13 > 10" in json.loads(proc.stdout)["hookSpecificOutput"]["additionalContext"]
    bad = subprocess.run([sys.executable, "-m", "guardline", "hook", "nosuchhost"], cwd=repo.path, env=env,
                         input=b"{}", capture_output=True, timeout=120)
    assert bad.returncode == 2 and b"unknown host" in bad.stderr


def test_the_hook_does_not_load_the_origin_package():
    """A third of the hook's start-up went into importing guardline.origin (pathspec, attribution):
    the hook only writes records, it never resolves origins."""
    from guardline.agents.trace import TRACE_FILE
    from guardline.origin.agenttrace import TRACE_FILE as READ_FILE
    assert TRACE_FILE == READ_FILE, "the hook writes where the resolver reads"
    code = "import sys, guardline.cli, guardline.agents.hook; print('guardline.origin' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], env=git_env({"PYTHONPATH": SERVER_DIR}),
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr


def test_outside_git_the_record_has_no_revision(tmp_path):
    from guardline.agents.hook import HookOptions, run_hook
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "m.py").write_text(WORSE)
    payload = {"session_id": "ng", "cwd": str(folder), "hook_event_name": "PostToolUse", "tool_name": "Write",
               "tool_input": {"file_path": str(folder / "m.py"), "content": WORSE},
               "tool_response": {"filePath": str(folder / "m.py")}, "tool_use_id": "ng1"}
    out = run_hook(HookOptions("claude", cwd=str(folder)), json.dumps(payload).encode())
    assert "m.py:1: cognitive 13 > 10" in json.loads(out.stdout)["hookSpecificOutput"]["additionalContext"]
    record = json.loads((folder / ".agent-trace" / "traces.jsonl").read_text())
    jsonschema.validate(record, load_schema())
    assert "vcs" not in record and ranges_of(record, "m.py") == [(1, 9)], "no repository: no revision"
    assert (folder / ".guardline" / ".gitignore").exists(), "guardline's state is ignored by git"
