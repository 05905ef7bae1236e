"""Issue 17: origin semantics on real repositories built in the test, asserted per function (origin
and tool) where functions matter. Each test failed on the code before issue 17 (see its docstring)."""

from __future__ import annotations

import hashlib
import json

from origin_helpers import Repo, origins

from guardline.config import Config
from guardline.origin import OriginResolver
from guardline.pipeline import analyze_bytes

CLAUDE_FOOTER = "\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n"
GIT_AI_META = {"schema_version": "authorship/3.0.0", "sessions": {
    "s_a1b2c3d4": {"agent_id": {"tool": "codex", "id": "x", "model": "gpt-5-codex"}}}}

TWO_FUNCTIONS = ("def first(a):\n    if a:\n        return 1\n    return 0\n\n\n"
                 "def second(b):\n    if b:\n        return 2\n    return 0\n")


def functions_by_name(repo: Repo, rel: str, text: str | None = None) -> dict[str, tuple[str, str | None]]:
    """qualified name -> (origin, tool display name) after attribution, as `check` computes them."""
    path = repo.path / rel
    raw = text.encode() if text is not None else path.read_bytes()
    file_origin = OriginResolver(str(repo.path), Config()).resolve(rel, text)
    result = analyze_bytes(raw, str(path), Config(), file_origin=file_origin)
    return {fn.qualified_name: (fn.origin, (fn.origin_detail or {}).get("tool")) for fn in result.functions}


def note(attestation: str, meta: dict = GIT_AI_META) -> str:
    return attestation + "---\n" + json.dumps(meta)


# --- git-ai ---------------------------------------------------------------------------------------------
def test_git_ai_untracked_lines_fall_through_to_the_commit_message(tmp_path):
    """A noted commit whose note covers only `first` (typed by a person): `second` is untracked, so the
    commit's Claude Code footer decides it. Before: 'human' (git-ai, medium)."""
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"m.py": TWO_FUNCTIONS}, "Add m" + CLAUDE_FOOTER)
    repo.add_note(sha, note("m.py\n  h_9f8e7d 1-4\n"))
    assert functions_by_name(repo, "m.py") == {"first": ("human", None), "second": ("ai", "Claude Code")}
    rec = repo.resolve("m.py").lines[6]
    assert (rec.evidence, rec.origin) == ("message", "ai"), rec.detail


def test_git_ai_local_and_remote_notes_are_read_together(tmp_path):
    """refs/notes/ai notes one commit, refs/notes/ai-remote/origin another: both count. Before: the
    remote refs were a fallback only when refs/notes/ai was missing."""
    repo = Repo(tmp_path / "r")
    local = repo.commit({"a.py": "def a():\n    return 1\n"}, "Add a")
    remote = repo.commit({"b.py": "def b():\n    return 2\n"}, "Add b")
    repo.add_note(local, note("a.py\n  s_a1b2c3d4::t_01 1-2\n"), ref="ai")
    repo.add_note(remote, note("b.py\n  s_a1b2c3d4::t_01 1-2\n"), ref="ai-remote/origin")
    assert functions_by_name(repo, "a.py") == {"a": ("ai", "OpenAI Codex")}
    assert functions_by_name(repo, "b.py") == {"b": ("ai", "OpenAI Codex")}


# --- Agent Trace ------------------------------------------------------------------------------------------
def trace(revision: str, path: str, start: int, end: int, **rng) -> dict:
    return {"version": "0.1.0", "id": "00000000-0000-0000-0000-000000000001", "timestamp": "2026-01-01T00:00:00Z",
            "vcs": {"type": "git", "revision": revision}, "tool": {"name": "cursor"},
            "files": [{"path": path, "conversations": [{
                "contributor": {"type": "ai", "model_id": "anthropic/claude-opus-4-5"},
                "ranges": [{"start_line": start, "end_line": end, **rng}]}]}]}


def write_traces(repo: Repo, records: list[dict]) -> None:
    repo.write(".agent-trace/traces.jsonl", "".join(json.dumps(r) + "\n" for r in records))


def test_agent_trace_revision_may_be_any_ancestor(tmp_path):
    """The record was made at `base` (HEAD at edit time); two unrelated commits came before the one
    holding the lines. Before: only the parent matched, so `second` was human."""
    repo = Repo(tmp_path / "r")
    base = repo.commit({"other.py": "x = 1\n"}, "Base")
    repo.commit({"other.py": "x = 2\n"}, "Tweak")
    repo.commit({"third.py": "y = 1\n"}, "Third")
    repo.commit({"m.py": TWO_FUNCTIONS}, "Add m")
    write_traces(repo, [trace(base, "m.py", 7, 10)])
    assert functions_by_name(repo, "m.py") == {"first": ("human", None), "second": ("ai", "Cursor")}
    rec = repo.resolve("m.py").lines[7]
    assert (rec.evidence, rec.confidence) == ("agent-trace", "medium"), rec.detail


def test_agent_trace_revision_that_is_not_an_ancestor_does_not_match(tmp_path):
    """A record made on another branch says nothing about this history."""
    repo = Repo(tmp_path / "r")
    repo.commit({"other.py": "x = 1\n"}, "Base")
    repo.git("checkout", "-q", "-b", "side")
    side = repo.commit({"side.py": "s = 1\n"}, "Side")
    repo.git("checkout", "-q", "main")
    repo.commit({"m.py": TWO_FUNCTIONS}, "Add m")
    write_traces(repo, [trace(side, "m.py", 1, 10)])
    assert set(origins(repo.resolve("m.py"))) == {"human"}


def test_agent_trace_absolute_and_dot_slash_paths(tmp_path):
    """Record paths written as absolute paths (inside the workspace) or `./`-prefixed. Before: an
    absolute path never matched."""
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"pkg/a.py": "def a():\n    return 1\n", "b.py": "def b():\n    return 2\n"}, "Add")
    write_traces(repo, [trace(sha, str(repo.path / "pkg" / "a.py"), 1, 2), trace(sha, "./b.py", 1, 2),
                        trace(sha, "/elsewhere/b.py", 1, 2)])
    assert functions_by_name(repo, "pkg/a.py") == {"a": ("ai", "Cursor")}
    assert functions_by_name(repo, "b.py") == {"b": ("ai", "Cursor")}


def test_agent_trace_content_hash_relocates_a_range_that_moved_before_the_commit(tmp_path):
    """The agent wrote `second` at lines 1-4 of a new file; the person then put `first` above it and
    committed. The record still says 1-4, but its content hash finds `second` at 7-10. Before: lines
    1-4 (`first`) were AI and `second` human."""
    repo = Repo(tmp_path / "r")
    base = repo.commit({"other.py": "x = 1\n"}, "Base")
    second = TWO_FUNCTIONS.split("\n\n\n")[1].rstrip("\n").split("\n")
    digest = "sha256:" + hashlib.sha256("\n".join(second).encode()).hexdigest()
    repo.commit({"m.py": TWO_FUNCTIONS}, "Add m")
    write_traces(repo, [trace(base, "m.py", 1, 4, content_hash=digest)])
    assert functions_by_name(repo, "m.py") == {"first": ("human", None), "second": ("ai", "Cursor")}


# --- markers, headers, generated ----------------------------------------------------------------------------
def test_region_marker_names_the_tool(tmp_path):
    """`BEGIN AI-GENERATED (Claude)`: the tool comes from the marker. Before: tool unknown."""
    repo = Repo(tmp_path / "r")
    repo.commit({"m.py": "# BEGIN AI-GENERATED (Claude)\n" + TWO_FUNCTIONS.split("\n\n\n")[0] +
                 "\n# END AI-GENERATED\n\n\n" + TWO_FUNCTIONS.split("\n\n\n")[1]}, "Add m")
    assert functions_by_name(repo, "m.py") == {"first": ("ai", "Claude"), "second": ("human", None)}


def test_spdx_ai_model_header_names_model_and_tool(tmp_path):
    """`SPDX-AI-Model:` in the header is an AI file header carrying the model. Before: human."""
    repo = Repo(tmp_path / "r")
    repo.commit({"m.py": "# SPDX-AI-Model: gpt-5-codex\n" + TWO_FUNCTIONS}, "Add m")
    rec = repo.resolve("m.py").lines[2]
    assert (rec.origin, rec.evidence, rec.tool, rec.model) == ("ai", "file-header", "codex", "gpt-5-codex")
    assert functions_by_name(repo, "m.py") == {"first": ("ai", "OpenAI Codex"), "second": ("ai", "OpenAI Codex")}


def test_vendored_and_minified_files_are_generated_in_the_resolver(tmp_path):
    """vendor/ and third_party/ without any .gitattributes, and a bundle that is not named *.min.js,
    are generated even when an AI commit added them. Before: ai."""
    repo = Repo(tmp_path / "r")
    bundle = "!function(e){var t={};function n(r){if(t[r])return t[r].exports;return 0}}" * 40 + "\n"
    repo.commit({"vendor/lib/x.go": "package x\n\nfunc X() int { return 1 }\n",
                 "third_party/y.py": "def y():\n    return 1\n", "static/app.3f2a.js": bundle},
                "Vendor deps" + CLAUDE_FOOTER)
    resolver = OriginResolver(str(repo.path), Config())
    for rel in ("vendor/lib/x.go", "third_party/y.py", "static/app.3f2a.js"):
        assert set(origins(resolver.resolve(rel))) == {"generated"}, rel
        assert resolver.generated_reason(rel) is not None, rel


def test_do_not_edit_below_the_leading_comments_is_not_generated(tmp_path):
    """A `DO NOT EDIT` note inside the code is a person's note, not a generator banner. Before: the
    whole file was 'generated' and the AI commit's functions left both buckets."""
    repo = Repo(tmp_path / "r")
    text = "import os\n\n\n# DO NOT EDIT without asking the payments team\n" + TWO_FUNCTIONS
    repo.commit({"m.py": text}, "Add m" + CLAUDE_FOOTER)
    assert functions_by_name(repo, "m.py") == {"first": ("ai", "Claude Code"), "second": ("ai", "Claude Code")}


# --- contract: check --format json / sarif, explain, --no-cache, cache key -------------------------------------
def run_cli(*args: str, cwd) -> "subprocess.CompletedProcess[str]":
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "guardline", *args], cwd=str(cwd), capture_output=True,
                          text=True, timeout=120)


TANGLED = ("def tangled(a, b, c):\n" + "".join(f"    {'    ' * i}if a > {i}:\n" for i in range(6)) +
           "            " + "    " * 4 + "return 1\n    return 0\n")


def test_check_json_and_sarif_carry_function_origin_evidence(tmp_path):
    """Per function: tool, model, evidence, confidence, commits in JSON; the same on each SARIF result
    of the function. Before: only `check -v` text had them."""
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"t.py": TANGLED}, "Add t\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n")
    data = json.loads(run_cli("check", "--format", "json", ".", cwd=repo.path).stdout)
    fn = data["files"][0]["functions"][0]
    assert (fn["origin"], fn["tool"], fn["tool_id"], fn["model"], fn["evidence"], fn["confidence"], fn["commits"]) == \
        ("ai", "Claude Code", "claude-code", "Claude Opus 4.5", "message", "medium", [sha])
    sarif = json.loads(run_cli("check", "--format", "sarif", ".", cwd=repo.path).stdout)
    results = sarif["runs"][0]["results"]
    assert results, "the tangled function exceeds the AI limits"
    props = results[0]["properties"]
    assert (props["origin"], props["tool"], props["model"], props["evidence"], props["confidence"],
            props["commits"]) == ("ai", "Claude Code", "Claude Opus 4.5", "message", "medium", [sha])


def test_explain_resolves_origin(tmp_path):
    """`guardline explain` shows the function's origin like `check`. Before: origin unknown."""
    repo = Repo(tmp_path / "r")
    repo.commit({"t.py": TANGLED}, "Add t" + CLAUDE_FOOTER)
    proc = run_cli("explain", "t.py:1", cwd=repo.path)
    assert proc.returncode == 0, proc.stderr
    assert "origin: ai (AI share 100%, Claude Code, evidence: message)" in proc.stdout, proc.stdout
    data = json.loads(run_cli("explain", "--format", "json", "t.py", cwd=repo.path).stdout)
    assert (data[0]["origin"], data[0]["tool_id"]) == ("ai", "claude-code")


def test_no_cache_skips_the_origin_store(tmp_path):
    """`check --no-cache` neither reads nor writes .guardline/origin.sqlite. Before: it wrote it."""
    repo = Repo(tmp_path / "r")
    repo.commit({"t.py": TANGLED}, "Add t")
    proc = run_cli("check", "--no-cache", "--format", "json", ".", cwd=repo.path)
    assert proc.returncode in (0, 1), proc.stderr
    assert not (repo.path / ".guardline" / "origin.sqlite").exists()
    run_cli("check", "--format", "json", ".", cwd=repo.path)
    assert (repo.path / ".guardline" / "origin.sqlite").exists(), "the normal run does use the store"


def test_cache_key_covers_nested_gitattributes_and_info_attributes(tmp_path):
    """Marking a file generated in a nested .gitattributes or in .git/info/attributes (neither
    committed) changes the answer of a resolver that cached the file. Before: only the root
    .gitattributes was in the key, so the stale 'ai' stayed."""
    repo = Repo(tmp_path / "r")
    repo.commit({"pkg/gen/a.py": "a = 1\n", "pkg/b.py": "b = 1\n", ".gitattributes": "*.md text\n"},
                "Add" + CLAUDE_FOOTER)
    resolver = OriginResolver(str(repo.path), Config())
    assert origins(resolver.resolve("pkg/gen/a.py")) == ["ai"]
    assert origins(resolver.resolve("pkg/b.py")) == ["ai"]
    repo.write("pkg/gen/.gitattributes", "a.py linguist-generated\n")
    assert origins(resolver.resolve("pkg/gen/a.py")) == ["generated"]
    (repo.path / ".git" / "info").mkdir(exist_ok=True)
    (repo.path / ".git" / "info" / "attributes").write_text("pkg/b.py linguist-generated\n")
    assert origins(resolver.resolve("pkg/b.py")) == ["generated"]


# --- other stores and the ai-modified class ------------------------------------------------------------------
def test_agent_trace_records_in_notes(tmp_path):
    """Agent Trace records kept in refs/notes/agent-trace on the commit they describe (a pretty-printed
    record): high confidence. Before: the ref was never read."""
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"m.py": TWO_FUNCTIONS}, "Add m")
    repo.add_note(sha, json.dumps(trace("0" * 40, "m.py", 7, 10), indent=2), ref="agent-trace")
    assert functions_by_name(repo, "m.py") == {"first": ("human", None), "second": ("ai", "Cursor")}
    rec = repo.resolve("m.py").lines[7]
    assert (rec.evidence, rec.confidence, rec.model) == ("agent-trace", "high", "anthropic/claude-opus-4-5")


def whogitit_note(path: str, sources: dict[int, object]) -> str:
    return json.dumps({"version": 1, "session": {"session_id": "s1", "model": {"id": "claude-opus-4-5",
                                                                                "provider": "anthropic"}},
                       "files": [{"path": path, "lines": [{"line_number": n, "content": "", "source": s}
                                                          for n, s in sources.items()]}]})


def test_whogitit_notes_with_ai_modified_lines(tmp_path):
    """refs/notes/whogitit: `AI` lines are ai, `AIModified` ai-modified (counted as AI, shown apart),
    `Original` untracked. Before: the ref was never read, everything human."""
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"m.py": TWO_FUNCTIONS}, "Add m")
    sources = {n: "AI" for n in range(1, 5)}
    sources.update({7: {"type": "AIModified", "similarity": 0.7}, 8: {"AIModified": {"edit_id": "e"}},
                    9: "Human", 10: "Original"})
    repo.add_note(sha, whogitit_note("m.py", sources), ref="whogitit")
    result = repo.resolve("m.py")
    assert origins(result)[:4] == ["ai"] * 4 and result.lines[0].tool == "claude-code"
    assert [origins(result)[i] for i in (6, 7, 8, 9)] == ["ai-modified", "ai-modified", "human", "human"]
    assert result.lines[9].evidence == "none", "Original is untracked: the next sources decide"
    found = functions_by_name(repo, "m.py")
    assert found == {"first": ("ai", "Claude Code"), "second": ("ai", "Claude Code")}, \
        "second: 2 ai-modified of 4 lines is >= ai_share 0.5, counted as AI"


def test_ai_lines_a_person_changed_are_ai_modified(tmp_path):
    """An AI commit writes both functions; a person then edits one line of `second` and adds `third`.
    The edited line is ai-modified (blamed past the person's commit), the added ones human; the JSON
    of `check` gives the share apart. Before: the edited line was plain human."""
    repo = Repo(tmp_path / "r")
    repo.commit({"m.py": TWO_FUNCTIONS}, "Add m" + CLAUDE_FOOTER)
    edited = TWO_FUNCTIONS.replace("        return 2\n", "        return 3\n")
    person = repo.commit({"m.py": edited + "\n\ndef third():\n    return 4\n"}, "Tweak and add third")
    result = repo.resolve("m.py")
    rec = result.lines[8]
    assert (rec.origin, rec.tool, rec.commit) == ("ai-modified", "claude-code", person), rec.detail
    assert origins(result)[12:14] == ["human", "human"], "lines the person added stay human"
    assert functions_by_name(repo, "m.py") == {"first": ("ai", "Claude Code"), "second": ("ai", "Claude Code"),
                                               "third": ("human", None)}
    data = json.loads(run_cli("check", "--format", "json", ".", cwd=repo.path).stdout)
    second = next(f for f in data["files"][0]["functions"] if f["name"] == "second")
    assert second["ai_modified_share"] == 0.25, "1 of the 4 lines of second"


def test_cherry_picked_and_rebased_commits_keep_their_notes(tmp_path):
    """A noted commit cherry-picked with -x (`(cherry picked from commit X)`) and another rebased onto
    a moved main (same author, time, subject and patch-id): both new commits carry no note, but
    inherit their originals'. Before: both were human."""
    repo = Repo(tmp_path / "r")
    repo.commit({"base.py": "x = 1\n"}, "Base")
    repo.git("checkout", "-q", "-b", "side")
    picked = repo.commit({"a.py": "def a():\n    return 1\n"}, "Add a")
    repo.add_note(picked, note("a.py\n  s_a1b2c3d4::t_01 1-2\n"))
    rebased = repo.commit({"b.py": "def b():\n    return 2\n"}, "Add b")
    repo.add_note(rebased, note("b.py\n  s_a1b2c3d4::t_01 1-2\n"))
    repo.git("checkout", "-q", "main")
    repo.commit({"base.py": "x = 2\n"}, "Move main")
    repo.git("cherry-pick", "-x", picked)
    repo.git("checkout", "-q", "side")
    repo.git("rebase", "-q", "main")
    for rel, original in (("a.py", picked), ("b.py", rebased)):
        rec = repo.resolve(rel).lines[0]
        assert rec.commit != original, "the line is blamed to the new commit"
        assert (rec.origin, rec.evidence, rec.tool) == ("ai", "git-ai", "codex"), (rel, rec.detail)


def test_git_merge_squash_attributes_each_line_to_its_listed_commit(tmp_path):
    """`git merge --squash` of a branch where a person wrote `first` and Claude Code `second`: the
    listed commits still exist, so each line takes its listed commit's origin. Before issue 17: both
    human (the indented markers were not seen); with squash recognition alone both would be AI (low)."""
    repo = Repo(tmp_path / "r")
    repo.commit({"base.py": "x = 1\n"}, "Base")
    repo.git("checkout", "-q", "-b", "feature")
    first, second = TWO_FUNCTIONS.split("\n\n\n")
    repo.commit({"m.py": first + "\n"}, "Add first")
    repo.commit({"m.py": TWO_FUNCTIONS}, "Add second\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "--squash", "feature")
    message = (repo.path / ".git" / "SQUASH_MSG").read_text()
    assert message.startswith("Squashed commit of the following:")
    repo.commit({}, message)
    assert functions_by_name(repo, "m.py") == {"first": ("human", None), "second": ("ai", "Claude Code")}
    rec = repo.resolve("m.py").lines[7]
    assert (rec.evidence, rec.confidence) == ("message", "medium"), rec.detail


def test_notes_not_fetched_reaches_text_json_and_sarif_once(tmp_path):
    """A clone (a remote, no refs/notes/ai fetched): one run note in check text, JSON `notes` and SARIF
    notifications; none once the notes are fetched. Before issue 17: only a log line per file."""
    import subprocess
    origin_repo = Repo(tmp_path / "upstream")
    sha = origin_repo.commit({"a.py": "def a():\n    return 1\n", "b.py": "def b():\n    return 2\n"}, "Add")
    origin_repo.add_note(sha, note("a.py\n  s_a1b2c3d4::t_01 1-2\n"))
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", f"file://{origin_repo.path}", str(clone)], check=True, capture_output=True)
    text = run_cli("check", ".", cwd=clone)
    assert text.stdout.count("git fetch origin refs/notes/ai:refs/notes/ai") == 1, text.stdout + text.stderr
    data = json.loads(run_cli("check", "--format", "json", ".", cwd=clone).stdout)
    assert [n["code"] for n in data["notes"]].count("notes-not-fetched") == 1
    sarif = json.loads(run_cli("check", "--format", "sarif", ".", cwd=clone).stdout)
    texts = [n["message"]["text"] for inv in sarif["runs"][0].get("invocations", [])
             for n in inv.get("toolExecutionNotifications", [])]
    assert sum("refs/notes/ai" in t for t in texts) == 1, texts
    subprocess.run(["git", "fetch", "-q", "origin", "refs/notes/ai:refs/notes/ai"], cwd=clone, check=True,
                   capture_output=True)
    data = json.loads(run_cli("check", "--format", "json", ".", cwd=clone).stdout)
    assert "notes-not-fetched" not in [n["code"] for n in data.get("notes", [])]
