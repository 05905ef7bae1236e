"""Sources 0-3 and 6-8, blame mapping (renames, uncommitted text, ignore-revs) and the failure modes
(not a repo, shallow clone, git missing, untracked, outside the repo), on real repositories."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from origin_helpers import GIT, Repo, git_env, numbered, origins

from guardline import git as git_runner
from guardline.config import Config
from guardline.origin import OriginResolver, ZERO_SHA, gitlayer, is_generated

CLAUDE = ("Claude", "noreply@anthropic.com")
BOB = ("Bob Builder", "bob@example.com")


def note_text(attestation: str, meta: dict) -> str:
    return attestation.rstrip("\n") + "\n---\n" + json.dumps({"schema_version": "authorship/3.0.0", **meta})


GIT_AI_META = {
    "base_commit_sha": "0" * 40,
    "prompts": {"abcdef12": {"agent_id": {"tool": "cursor", "id": "p-1", "model": "gpt-5"}}},
    "sessions": {"s_a1b2c3d4": {"agent_id": {"tool": "claude", "id": "sess-1", "model": "claude-sonnet-4-5"}}},
    "humans": {"h_9f8e7d": {"name": "Alice"}},
}


# --- source 2: git-ai notes -----------------------------------------------------------------------
def test_git_ai_note_all_key_kinds_and_uncovered_lines(tmp_path):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"src/app.py": numbered(8)}, "Add app")
    repo.add_note(sha, note_text("src/app.py\n  s_a1b2c3d4::t_0001 1-3,6\n  h_9f8e7d 4\n  abcdef12 7\n",
                                 GIT_AI_META))
    result = repo.resolve("src/app.py")
    # 1-3 and 6: session (ai); 4: observed typing (human); 7: legacy prompt (ai); 5, 8: uncovered.
    assert origins(result) == ["ai", "ai", "ai", "human", "human", "ai", "ai", "human"]
    session, typed, uncovered, legacy = (result.lines[i] for i in (0, 3, 4, 6))
    assert (session.tool, session.model, session.evidence, session.granularity, session.confidence) == \
        ("claude-code", "claude-sonnet-4-5", "git-ai", "line", "high")
    assert (typed.evidence, typed.confidence) == ("git-ai", "high"), "h_ key = typing seen by git-ai"
    assert (uncovered.evidence, uncovered.confidence) == ("none", "low"), \
        "a line no range covers is untracked (git-ai's standard): the next sources decide, here none"
    assert (legacy.tool, legacy.model) == ("cursor", "gpt-5"), "bare hex key -> legacy prompts table"


def test_git_ai_note_uses_original_line_numbers_and_paths(tmp_path):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"old name.py": numbered(3)}, "Add")
    repo.add_note(sha, note_text('"old name.py"\n  s_a1b2c3d4::t_0001 1-3\n', GIT_AI_META))
    repo.git("mv", "old name.py", "new.py")
    repo.commit({"new.py": "import os\nimport sys\n" + numbered(3)}, "Rename and add imports")
    result = repo.resolve("new.py")
    # The two new lines come from the human commit; lines 3-5 are lines 1-3 of "old name.py" in `sha`.
    assert origins(result) == ["human", "human", "ai", "ai", "ai"]
    assert result.lines[2].commit == sha


def test_git_ai_remote_notes_fallback(tmp_path):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"a.py": numbered(2)}, "Add")
    repo.add_note(sha, note_text("a.py\n  s_a1b2c3d4::t_0001 2\n", GIT_AI_META), ref="ai-remote/origin")
    assert origins(repo.resolve("a.py")) == ["human", "ai"], "refs/notes/ai-remote/* used when ai is absent"


def test_no_git_ai_notes_hint_when_a_remote_exists(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "a = 1\n"}, "Add")
    repo.git("remote", "add", "origin", "https://example.invalid/repo.git")
    notes = repo.resolve("a.py").notes
    assert notes == ["no git-ai notes: run `git fetch origin refs/notes/ai:refs/notes/ai`"]


# --- source 3: Agent Trace --------------------------------------------------------------------------
def write_traces(repo: Repo, records: list[dict]) -> None:
    repo.write(".agent-trace/traces.jsonl", "".join(json.dumps(r) + "\n" for r in records))


def trace(revision: str, path: str, start: int, end: int, kind: str = "ai", **rng) -> dict:
    return {"version": "0.1.0", "id": f"t-{revision[:6]}-{path}", "vcs": {"type": "git", "revision": revision},
            "tool": {"name": "claude-code", "version": "2.0"},
            "files": [{"path": path, "conversations": [{
                "contributor": {"type": kind, "model_id": "anthropic/claude-opus-4-5"},
                "ranges": [{"start_line": start, "end_line": end, **rng}]}]}]}


def test_agent_trace_revision_and_parent(tmp_path):
    repo = Repo(tmp_path / "r")
    first = repo.commit({"f.py": numbered(4)}, "Add f")
    repo.commit({"g.py": numbered(3)}, "Add g")   # its parent is `first`
    repo.commit({"h.py": numbered(2)}, "Add h")
    head = repo.head()
    write_traces(repo, [trace(first, "f.py", 2, 3), trace(first, "g.py", 1, 1),
                        trace(head, "h.py", 1, 2, kind="mixed")])
    f, g, h = (repo.resolve(p) for p in ("f.py", "g.py", "h.py"))
    assert origins(f) == ["human", "ai", "ai", "human"]
    assert (f.lines[1].confidence, f.lines[1].evidence, f.lines[1].tool, f.lines[1].model) == \
        ("high", "agent-trace", "claude-code", "anthropic/claude-opus-4-5"), "revision == blamed commit"
    assert origins(g) == ["ai", "human", "human"] and g.lines[0].confidence == "medium", \
        "revision == parent of the blamed commit (HEAD at edit time): medium"
    assert origins(h) == ["ai", "ai"] and h.lines[0].confidence == "low", "mixed contributor -> ai, low"


def test_agent_trace_content_hash_for_uncommitted_lines(tmp_path):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"f.py": numbered(2)}, "Add f")
    new = ["def added():", "    return 42"]
    digest = "sha256:" + hashlib.sha256("\n".join(new).encode()).hexdigest()
    write_traces(repo, [trace(sha, "f.py", 3, 4, content_hash=digest)])
    result = repo.resolve("f.py", text=numbered(2) + "\n".join(new) + "\n# typed\n")
    assert origins(result) == ["human", "human", "ai", "ai", "unknown"], \
        "uncommitted lines match by content hash; the unmatched one stays unknown"


# --- blame mapping ----------------------------------------------------------------------------------
def test_squash_merge_with_markers_from_several_commits(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"base.py": "x = 1\n"}, "Base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"feat.py": "a = 1\n"}, "Add a\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    repo.commit({"feat.py": "a = 1\nb = 2\n"}, "Add b\n\nMade-with: Cursor\n")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "--squash", "-q", "feature")
    message = ("Feature (#7)\n\n* Add a\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\n"
               "* Add b\n\nMade-with: Cursor\n")
    repo.commit({}, message)
    result = repo.resolve("feat.py")
    assert origins(result) == ["ai", "ai"]
    assert {r.confidence for r in result.lines} == {"low"}, "squash with markers of several commits: low"


def test_rename_keeps_attribution(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": numbered(6)}, "Add module", author=CLAUDE)
    repo.git("mv", "a.py", "b.py")
    repo.commit({}, "Rename a to b", author=BOB)
    result = repo.resolve("b.py")
    assert origins(result) == ["ai"] * 6, "blame -M follows the rename back to the AI commit"


def test_uncommitted_edit_via_text_is_unknown(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": numbered(3)}, "Add", author=CLAUDE)
    live = "line_1 = 1\nnew_line = 0\nline_2 = 2\nline_3 = 3\n"
    result = repo.resolve("a.py", text=live)
    assert origins(result) == ["ai", "unknown", "ai", "ai"]
    assert (result.lines[1].commit, result.lines[1].evidence) == (ZERO_SHA, "uncommitted")
    repo.write("a.py", live)   # the same edit on disk, no text: the working tree is blamed
    assert origins(repo.resolve("a.py")) == ["ai", "unknown", "ai", "ai"]


def test_ignore_revs_file_is_used(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "x = 'a'\ny = 'b'\n"}, "Add", author=CLAUDE)
    fmt = repo.commit({"a.py": 'x = "a"\ny = "b"\n'}, "Reformat with black", author=BOB)
    assert origins(repo.resolve("a.py")) == ["human", "human"], "the reformat commit owns the lines"
    repo.commit({".git-blame-ignore-revs": f"# formatting\n{fmt}\n"}, "Ignore the reformat", author=BOB)
    assert origins(repo.resolve("a.py")) == ["ai", "ai"], ".git-blame-ignore-revs skips the reformat"


def test_detached_head(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "a = 1\n"}, "Add", author=CLAUDE)
    repo.commit({"b.py": "b = 1\n"}, "Add b")
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    result = repo.resolve("a.py")
    assert (origins(result), result.notes) == (["ai"], [])


# --- failure modes ------------------------------------------------------------------------------------
def test_shallow_clone_is_unknown_with_a_note(tmp_path):
    source = Repo(tmp_path / "src")
    for i in range(3):
        source.commit({"a.py": numbered(i + 1)}, f"Step {i}", author=CLAUDE)
    subprocess.run([GIT, "clone", "-q", "--depth", "1", f"file://{source.path}", str(tmp_path / "clone")],
                   check=True, env=git_env(), capture_output=True)
    result = OriginResolver(str(tmp_path / "clone"), Config()).resolve("a.py")
    assert origins(result) == ["unknown"] * 3
    assert result.notes == ["shallow clone: every line is 'unknown'; run `git fetch --unshallow`"]


def test_not_a_repository(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "x.py").write_text("a = 1\nb = 2  # @ai\n")
    result = OriginResolver(str(folder), Config()).resolve("x.py")
    assert origins(result) == ["unknown", "ai"], "no history: unknown, but an @ai marker still applies"
    assert result.notes == ["not a git repository: every line is 'unknown'"]
    assert result.lines[0].evidence == "no-git"


def test_git_missing(tmp_path, monkeypatch):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "a = 1\n"}, "Add", author=CLAUDE)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = repo.resolve("a.py")
    assert (origins(result), result.notes) == (
        ["unknown"], ["git not found: every line is 'unknown' (install git to see origins)"])


def test_untracked_file(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "a = 1\n"}, "Add")
    repo.write("new.py", "x = 1\ny = 2\n")
    result = repo.resolve("new.py")
    assert origins(result) == ["unknown", "unknown"]
    assert result.notes == ["untracked file: not committed yet, lines are 'unknown'"]


def test_empty_repository_without_commits(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.write("a.py", "a = 1\n")
    result = repo.resolve("a.py")
    assert origins(result) == ["unknown"] and result.notes, "unborn HEAD: like an untracked file"


def test_file_outside_the_repository(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "a = 1\n"}, "Add")
    other = tmp_path / "elsewhere.py"
    other.write_text("z = 1\n")
    result = repo.resolve(str(other))
    assert (origins(result), result.notes) == (["unknown"], ["file outside the repository: every line is 'unknown'"])


# --- source 0: generated files ------------------------------------------------------------------------
@pytest.mark.parametrize("head, reason", [
    ("# @generated by tooling\nx = 1\n", "@generated header"),
    ("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage pb\n", "Go 'Code generated ... DO NOT EDIT.' header"),
    ("# Generated by the protocol buffer compiler.  DO NOT EDIT!\n", "protocol buffer compiler header"),
    ("/* DO NOT EDIT: produced by the schema tool */\n", "'DO NOT EDIT' header"),
    ("#\n# This file is autogenerated by pip-compile with Python 3.12\n", "pip-compile header"),
    ("# Generated by Django 5.0 on 2024-01-01 12:00\n", "Django migration header"),
    ("# @not-generated\nx = 1\n", None),
    ("x = 1\n" * 60 + "# @generated\n", None),      # beyond the first 50 lines
    # issue 17: only in the leading comments / docblock, case-insensitive, with the real banners
    ("x = 1\n# DO NOT EDIT below without a review\n", None),
    ("import os\n# @generated docs come from this module\n", None),
    ("x = 1\n# Generated by Django 5.0 on 2024-01-01 12:00\n", None),
    ("// Do not edit: produced from schema.yaml\nexport const A = 1;\n", "'DO NOT EDIT' header"),
    ("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# Generated by the gRPC Python protocol compiler plugin. "
     "DO NOT EDIT!\n", "gRPC compiler header"),
    ('"""\n    Petstore\n\n    Generated by OpenAPI Generator (https://openapi-generator.tech)\n\n    Do not edit the '
     'class manually.\n"""\nimport re\n', "OpenAPI Generator header"),
    ("/* eslint-disable */\n/**\n * This file was automatically generated by json-schema-to-typescript.\n"
     " * DO NOT MODIFY IT BY HAND. Instead, modify the source JSONSchema file.\n */\nexport interface A {}\n",
     "json-schema-to-typescript header"),
    ("# file generated by setuptools-scm\n# don't change, don't track in version control\n__version__ = '1.0'\n",
     "setuptools-scm header"),
    ("<?php\n\n/**\n * @generated by the ORM\n */\nclass A {}\n", "@generated header"),
])
def test_is_generated_headers(head, reason):
    assert is_generated("pkg/mod.py", head) == reason


def test_is_generated_globs():
    assert is_generated("api/service_pb2.py", "") == "generated file name"
    # issue 17: vendored folders and minified content are generated in the resolver too
    assert is_generated("vendor/github.com/pkg/errors/errors.go", "") == "vendored path"
    assert is_generated("src/third_party/zlib/inflate.c", "") == "vendored path"
    assert is_generated("src/vendors.py", "") is None, "a file named like vendor is not a vendored folder"
    bundle = "!function(e){var t={};function n(r){if(t[r])return t[r].exports;}" * 40 + "\n"
    assert is_generated("static/app.3f2a.js", bundle) == "minified content"
    prose = ("word " * 300 + "\n") * 3
    assert is_generated("docs/long.py", prose) is None, "long lines with normal spacing are not minified"
    assert is_generated("out/x.py", "", globs=["out/**"]) == "generated file name"
    assert is_generated("src/x.py", "", globs=["out/**"]) is None


def test_generated_files_in_a_repository(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({".gitattributes": "gen/** linguist-generated\nthird_party/** linguist-vendored\n",
                 "gen/models.py": "a = 1\n", "third_party/lib.py": "b = 1\n",
                 "api.go": "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n",
                 "plain.py": "c = 1\n"}, "Add", author=CLAUDE)
    resolver = OriginResolver(str(repo.path), Config())
    for path in ("gen/models.py", "third_party/lib.py", "api.go"):
        result = resolver.resolve(path)
        assert set(origins(result)) == {"generated"}, f"{path} is generated even in an AI commit"
        assert result.lines[0].granularity == "file"
    assert origins(resolver.resolve("plain.py")) == ["ai"]
    assert resolver.generated_attributes(["gen/models.py", "third_party/lib.py", "plain.py"]) == {
        "gen/models.py": ".gitattributes linguist-generated",
        "third_party/lib.py": ".gitattributes linguist-vendored"}
    assert resolver.generated_reason("api.go") == "Go 'Code generated ... DO NOT EDIT.' header"
    assert resolver.generated_reason("plain.py") is None


# --- sources 1, 6, 7 -------------------------------------------------------------------------------------
REGION_PY = '''import os
# @ai-start tool=claude-code model=opus
def helper():
    return 1
# @ai-end
MSG = "# @ai-start is only text here"
def other():
    return 2
x = compute()  # @ai
'''


def test_region_markers_in_comments_only(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"r.py": REGION_PY}, "Add", author=BOB)
    result = repo.resolve("r.py")
    assert origins(result) == ["human", "ai", "ai", "ai", "ai", "human", "human", "human", "ai"], \
        "marker inside a string is ignored; trailing @ai marks one line"
    assert (result.lines[2].granularity, result.lines[2].tool, result.lines[2].model) == \
        ("region", "claude-code", "opus")


def test_region_markers_typescript(tmp_path):
    repo = Repo(tmp_path / "r")
    text = "const a = 1;\n// BEGIN AI-GENERATED\nconst b = `// END AI-GENERATED`;\nconst c = 3;\n" \
           "// END AI-GENERATED\nconst d = 4;\n"
    repo.commit({"r.ts": text}, "Add")
    assert origins(repo.resolve("r.ts")) == ["human", "ai", "ai", "ai", "ai", "human"], \
        "the end marker inside a template string does not close the region"


def test_file_header_markers(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "# SPDX-AI-Disclosure: ai-generated\nx = 1\n",
                 "b.go": "// @ai-generated\npackage b\n",
                 "c.py": "# SPDX-AI-Disclosure: none\nx = 1\n",
                 "d.py": "s = 'AI-ASSISTED: yes'\n"}, "Add", author=BOB)
    a, b, c, d = (repo.resolve(p) for p in ("a.py", "b.go", "c.py", "d.py"))
    assert origins(a) == ["ai", "ai"] and a.lines[0].granularity == "file"
    assert origins(b) == ["ai", "ai"]
    assert origins(c) == ["human", "human"] and c.lines[1].evidence == "file-header"
    assert origins(d) == ["human"] and d.lines[0].evidence == "none", "a string is not a header comment"


def test_configured_ai_paths(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"scaffold/app.py": "x = 1\n", "src/app.py": "y = 1\n"}, "Add")
    config = Config().with_overrides({"origin": {"ai_paths": ["scaffold/**"]}})
    resolver = OriginResolver(str(repo.path), config)
    assert origins(resolver.resolve("scaffold/app.py")) == ["ai"]
    assert origins(resolver.resolve("src/app.py")) == ["human"]


def test_disabled_origin(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "x = 1\n"}, "Add", author=CLAUDE)
    config = Config().with_overrides({"origin": {"enabled": False}})
    assert origins(repo.resolve("a.py", config=config)) == ["unknown"]


# --- caching and process count ---------------------------------------------------------------------
def test_cache_memory_and_sqlite_spawn_no_blame(tmp_path, monkeypatch):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"a.py": numbered(50)}, "Add", author=CLAUDE)
    repo.add_note(sha, note_text("a.py\n  s_a1b2c3d4::t_0001 1-10\n", GIT_AI_META))
    for i in range(5):
        repo.commit({f"b{i}.py": "x = 1\n"}, f"More {i}")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args, *a, **kw):
        skip = 1 + len(git_runner.HARDENING)
        if tuple(args[1:skip]) == git_runner.HARDENING:     # the git runner's calls, not the test helper's
            calls.append(list(args[skip:skip + 2]))
        return real_run(args, *a, **kw)

    monkeypatch.setattr(git_runner.subprocess, "run", counting_run)
    resolver = OriginResolver(str(repo.path), Config())
    first = resolver.resolve("a.py")
    cold = [c[0] for c in calls]
    assert cold.count("blame") == 1 and cold.count("cat-file") == 1 and cold.count("notes") == 1, cold
    # + one `git config --get-regexp` (filter/diff driver names for the hardened runner), per repository
    # config state, not per file
    assert len(cold) <= 5 and cold.count("config") <= 1, f"O(1) git processes per file, got {cold}"
    calls.clear()
    assert resolver.resolve("a.py").lines == first.lines and calls == [], "memory hit: no process"
    fresh = OriginResolver(str(repo.path), Config())
    assert fresh.resolve("a.py").lines == first.lines
    assert [c[0] for c in calls] == ["rev-parse"], "SQLite hit: only repository discovery"
    assert (repo.path / ".guardline" / "origin.sqlite").is_file()
    calls.clear()
    repo.commit({"c.py": "z = 1\n"}, "HEAD moves")
    other = OriginResolver(str(repo.path), Config())
    assert other.resolve("a.py").lines == first.lines
    assert [c[0] for c in calls] == ["rev-parse", "log"], \
        "a new HEAD whose commits did not touch a.py: one `git log --name-only` says so, no blame (issue 16)"
    calls.clear()
    repo.commit({"a.py": numbered(50) + "y = 2\n"}, "a.py changes")
    other = OriginResolver(str(repo.path), Config())
    assert len(other.resolve("a.py").lines) == len(first.lines) + 1
    done = [c[0] for c in calls]
    assert "blame" in done, "a new HEAD that touched a.py invalidates the cached result"
    assert "notes" not in done, "same notes ref: the notes index comes from SQLite, even in a new process"


def test_global_ignore_revs_setting_without_the_file_does_not_hide_blame(tmp_path, monkeypatch):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "a = 1\n"}, "Add", author=CLAUDE)
    user_config = tmp_path / "user.gitconfig"
    user_config.write_text("[blame]\n\tignoreRevsFile = .git-blame-ignore-revs\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(user_config))   # a common personal setting
    assert origins(repo.resolve("a.py")) == ["ai"], "git 2.39 blame fails on the missing file: retried"


@pytest.mark.parametrize("overrides, key", [
    ({"sources": ["generated", "telepathy"]}, "origin.sources"),
    ({"extra_ai_trailers": ["^(unclosed"]}, "origin.extra_ai_trailers"),
])
def test_bad_origin_config_names_the_key(tmp_path, overrides, key):
    from guardline.config import ConfigError
    with pytest.raises(ConfigError) as info:
        OriginResolver(str(tmp_path), Config().with_overrides({"origin": overrides}))
    assert info.value.key == key


def test_workspace_below_the_repository_root(tmp_path):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"sub/pkg/a.py": numbered(3), "top.py": "t = 1\n"}, "Add")
    workspace = repo.path / "sub"
    # Agent Trace paths are relative to the workspace root, not the repository root.
    (workspace / ".agent-trace").mkdir()
    (workspace / ".agent-trace" / "traces.jsonl").write_text(json.dumps(trace(sha, "pkg/a.py", 2, 3)) + "\n")
    resolver = OriginResolver(str(workspace), Config())
    assert origins(resolver.resolve("pkg/a.py")) == ["human", "ai", "ai"]
    assert origins(resolver.resolve(str(repo.path / "top.py"))) == ["human"], "same repo, outside workspace"


def test_unicode_and_space_in_paths(tmp_path):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"dossier spécial/été.py": numbered(2)}, "Add", author=BOB)
    repo.add_note(sha, note_text('"dossier spécial/été.py"\n  s_a1b2c3d4::t_0001 1\n', GIT_AI_META))
    result = repo.resolve("dossier spécial/été.py")
    assert origins(result) == ["ai", "human"], "porcelain quotes non-ASCII paths; note paths must match"


def test_lines_introduced_by_a_merge_commit_with_markers(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"m.py": "a = 1\n"}, "Base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"f.py": "f = 1\n"}, "Feature")
    repo.git("checkout", "-q", "main")
    repo.commit({"other.py": "o = 1\n"}, "Main work")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "feature")
    repo.commit({"m.py": "a = 1\nfixed_in_merge = 2\n"},
                "Merge feature\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    assert len(repo.git("log", "-1", "--format=%P").split()) == 2, "a real two-parent merge"
    result = repo.resolve("m.py")
    assert origins(result) == ["human", "ai"]
    assert result.lines[1].confidence == "low", "a merge commit's markers say little about each line"


def test_malformed_git_ai_notes_are_ignored(tmp_path):
    repo = Repo(tmp_path / "r")
    a = repo.commit({"a.py": "a = 1\n"}, "Add a")
    b = repo.commit({"b.py": "b = 1\n"}, "Add b")
    repo.add_note(a, "a.py\n  s_a1b2c3d4::t_0001 1\n---\n{not json")            # broken JSON
    repo.add_note(b, "just a review comment, not git-ai")                        # another tool's note
    assert origins(repo.resolve("a.py")) == ["human"] and repo.resolve("a.py").lines[0].evidence == "none"
    assert origins(repo.resolve("b.py")) == ["human"] and repo.resolve("b.py").lines[0].evidence == "none"


def test_unterminated_region_runs_to_the_end_of_the_file(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({"u.py": "x = 1\n# @ai-start\ny = 2\nz = 3\n"}, "Add")
    result = repo.resolve("u.py")
    assert origins(result) == ["human", "ai", "ai", "ai"]
    assert "without an end marker" in result.lines[3].detail


def test_concurrent_resolves_of_different_files(tmp_path):
    import threading
    repo = Repo(tmp_path / "r")
    for i in range(4):
        repo.commit({f"f{i}.py": numbered(20)}, f"Add {i}", author=CLAUDE if i % 2 else BOB)
    resolver = OriginResolver(str(repo.path), Config())
    results: dict[int, list[str]] = {}

    def work(i: int) -> None:
        results[i] = origins(resolver.resolve(f"f{i}.py"))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: (["ai"] if i % 2 else ["human"]) * 20 for i in range(4)}


def test_ref_reading_from_files_matches_git(tmp_path):
    repo = Repo(tmp_path / "r")
    sha = repo.commit({"a.py": "a = 1\n"}, "Add")
    repo.add_note(sha, note_text("a.py\n  s_a1b2c3d4::t_0001 1\n", GIT_AI_META), ref="ai-remote/upstream")
    found = gitlayer.find_repo(str(repo.path))
    notes_sha = repo.git("rev-parse", "refs/notes/ai-remote/upstream").strip()
    assert gitlayer.read_ref(found, "HEAD") == sha
    assert gitlayer.list_refs(found, "refs/notes/ai-remote/") == {"refs/notes/ai-remote/upstream": notes_sha}
    repo.git("pack-refs", "--all")          # packed refs are read too
    assert gitlayer.read_ref(found, "HEAD") == sha
    assert gitlayer.list_refs(found, "refs/notes/ai-remote/") == {"refs/notes/ai-remote/upstream": notes_sha}
    # Repositories whose refs are not files (reftable) are asked through git instead: same answers.
    via_git = gitlayer.Repo(found.toplevel, found.git_dir, found.common_dir, False, reftable=True)
    assert gitlayer.read_ref(via_git, "HEAD") == sha
    assert gitlayer.list_refs(via_git, "refs/notes/ai-remote/") == {"refs/notes/ai-remote/upstream": notes_sha}


def test_workspace_git_config_cannot_run_programs(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit({".gitattributes": "*.py diff=evil\n", "a.py": "a = 1\n"}, "Add", author=CLAUDE)
    marker = tmp_path / "textconv-ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\ncat \"$1\"\n")
    hook.chmod(0o755)
    repo.git("config", "diff.evil.textconv", str(hook))
    repo.git("config", "core.fsmonitor", str(hook))
    repo.write("a.py", "a = 2\n")                    # a working-tree change, as while editing
    assert origins(repo.resolve("a.py")) == ["unknown"]
    assert origins(repo.resolve("a.py", text="a = 1\nb = 2\n")) == ["ai", "unknown"]
    assert not marker.exists(), "no textconv filter or fsmonitor hook from the repository config ran"


def test_dubious_ownership_is_explained(tmp_path, monkeypatch):
    def refuse(args, cwd, **kw):
        raise gitlayer.GitError(f"fatal: detected dubious ownership in repository at '{cwd}'")
    monkeypatch.setattr(gitlayer, "run_git", refuse)
    (tmp_path / "a.py").write_text("a = 1\n")
    result = OriginResolver(str(tmp_path), Config()).resolve("a.py")
    assert origins(result) == ["unknown"]
    assert result.notes[0].startswith("git refuses this repository (dubious ownership): run "
                                      "`git config --global --add safe.directory")


def test_git_failure_is_reported_and_not_cached(tmp_path, monkeypatch):
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": "a = 1\n"}, "Add", author=CLAUDE)
    resolver = OriginResolver(str(repo.path), Config())
    real = gitlayer.cat_file

    def broken(*args, **kwargs):
        raise gitlayer.GitError("git cat-file timed out after 60 s")

    monkeypatch.setattr(gitlayer, "cat_file", broken)
    failed = resolver.resolve("a.py")
    assert origins(failed) == ["unknown"] and failed.notes == ["git failed: git cat-file timed out after 60 s"]
    monkeypatch.setattr(gitlayer, "cat_file", real)
    assert origins(resolver.resolve("a.py")) == ["ai"], "the failure was not cached: retried"


def test_git_init_after_the_first_look(tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "a.py").write_text("a = 1\n")
    resolver = OriginResolver(str(folder), Config())
    assert resolver.resolve("a.py").notes == ["not a git repository: every line is 'unknown'"]
    repo = Repo(folder)
    repo.commit({"a.py": "a = 1\n"}, "Add", author=CLAUDE)
    assert origins(resolver.resolve("a.py")) == ["ai"], "the resolver notices the new repository"
