"""Net-new findings of an edit beyond complexity: security hotspots on the written lines (not the ones
that were there), duplicated blocks against the workspace clone index (with the other copy's place),
and the line diff the hosts without content rely on."""

from __future__ import annotations

import json

from agents_helpers import make_repo, run
from guardline.agents.netnew import check_edit
from guardline.agents.patches import changed_lines
from guardline.cli import main
from guardline.config import Config

OLD_HOTSPOT = 'import os\n\n\ndef old(cmd):\n    os.system("ls " + cmd)\n'
NEW_HOTSPOT = OLD_HOTSPOT + '\n\ndef new(path):\n    os.system("cat " + path)\n'


def test_a_new_hotspot_is_reported_an_old_one_is_not():
    check = check_edit("/nonexistent", "src/run.py", OLD_HOTSPOT, NEW_HOTSPOT, [6, 7, 8, 9], Config())
    assert [(n.finding.rule, n.finding.start_line) for n in check.new] == [("py-os-system", 9)], \
        "only the hotspot on the written line 9; the one on line 5 existed before"
    assert check.new[0].finding.severity == "error", "AI-written code: every hotspot is an error"
    unchanged = check_edit("/nonexistent", "src/run.py", OLD_HOTSPOT, OLD_HOTSPOT.replace("old", "older"), [4],
                           Config())
    assert unchanged.new == [], "renaming the function does not make its old hotspot new"


def test_security_feedback_names_the_cwe_and_the_fix(tmp_path):
    repo = make_repo(tmp_path)
    repo.commit({"src/run.py": OLD_HOTSPOT}, "run")
    repo.write("src/run.py", NEW_HOTSPOT)
    path = str(repo.path / "src/run.py")
    out = run(repo, "claude", {"session_id": "sec", "cwd": str(repo.path), "hook_event_name": "PostToolUse",
                               "tool_name": "Write", "tool_input": {"file_path": path, "content": NEW_HOTSPOT},
                               "tool_response": {"filePath": path, "originalFile": OLD_HOTSPOT}, "tool_use_id": "s1"})
    text = json.loads(out.stdout)["hookSpecificOutput"]["additionalContext"]
    assert "src/run.py:9: CWE-78 py-os-system:" in text and "Fix: Use subprocess.run([...])" in text, text
    assert "src/run.py:5" not in text


BLOCK = '''def normalise(records):
    cleaned = []
    for record in records:
        name = record.get("name", "").strip().lower()
        email = record.get("email", "").strip().lower()
        if not name or "@" not in email:
            continue
        cleaned.append({"name": name, "email": email, "source": record.get("source")})
    cleaned.sort(key=lambda item: (item["name"], item["email"]))
    return cleaned
'''


def test_a_copied_block_is_reported_with_the_other_copy(tmp_path, capsys):
    repo = make_repo(tmp_path)
    repo.commit({"src/users.py": BLOCK, "src/other.py": "X = 1\n"}, "users")
    main(["check", "--no-origin", str(repo.path)])          # builds the workspace clone index
    capsys.readouterr()
    copied = "X = 1\n\n\n" + BLOCK.replace("def normalise(records)", "def normalise_again(records)")
    repo.write("src/other.py", copied)
    path = str(repo.path / "src/other.py")
    out = run(repo, "claude", {"session_id": "dup", "cwd": str(repo.path), "hook_event_name": "PostToolUse",
                               "tool_name": "Edit", "tool_input": {"file_path": path, "old_string": "X = 1\n",
                                                                   "new_string": copied},
                               "tool_response": {"filePath": path}, "tool_use_id": "d1"})
    text = json.loads(out.stdout)["hookSpecificOutput"]["additionalContext"]
    assert "src/other.py:4: duplicated block of" in text and "also at src/users.py:1-" in text, text
    assert "Fix: Extract the shared code" in text
    repo.write("src/other.py", copied.replace("X = 1", "X = 2"))
    again = run(repo, "claude", {"session_id": "dup", "cwd": str(repo.path), "hook_event_name": "PostToolUse",
                                 "tool_name": "Edit", "tool_input": {"file_path": path, "old_string": "X = 1",
                                                                     "new_string": "X = 2"},
                                 "tool_response": {"filePath": path}, "tool_use_id": "d2"})
    assert again.stdout == "", "the clone existed before this edit: not repeated"


def test_changed_lines_is_a_local_line_diff():
    before = "a\nb\nc\nd\n"
    assert changed_lines(before, "a\nb\nX\nc\nd\n") == [3], "one inserted line"
    assert changed_lines(before, "a\nB\nc\nd\n") == [2], "one replaced line"
    assert changed_lines(before, "a\nd\n") == [], "deletions write no line"
    assert changed_lines("", "x\ny\n") == [1, 2], "a new file: every line"
    assert changed_lines(before, before + "e\n") == [5], "appended after the last line"
