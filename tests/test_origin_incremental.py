"""Issue 16 (+20 commits): after HEAD moved, the origin resolver reuses the answer of a file whose
paths no commit in between touched, and resolves the others again; every answer equals a cold
resolution (a resolver without the SQLite store) of the same state.

Each step counts `git blame` calls: the old resolver keyed its cache by HEAD, so it blamed every file
again after any commit (the counts below fail on it)."""

from __future__ import annotations

import json

import pytest
from origin_helpers import Repo

from guardline.config import Config
from guardline.origin import OriginResolver, gitlayer

CLAUDE = "\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
GIT_AI_META = {"schema_version": "authorship/3.0.0", "sessions": {
    "s_a1b2c3d4": {"agent_id": {"tool": "codex", "id": "x", "model": "gpt-5-codex"}}}}
FILES = ("a.py", "b.py", "c.py", "d.py")


def body(name: str, value: int) -> str:
    return f"def {name}(x):\n    if x > {value}:\n        return {value}\n    return x + {value}\n"


@pytest.fixture
def blames(monkeypatch) -> list[str]:
    """The paths `git blame` ran on, in order."""
    seen: list[str] = []
    real = gitlayer.blame

    def counting(repo, relpath, text=None):
        seen.append(relpath)
        return real(repo, relpath, text)
    monkeypatch.setattr(gitlayer, "blame", counting)
    return seen


def build(tmp_path) -> Repo:
    repo = Repo(tmp_path / "r")
    repo.commit({"a.py": body("a", 1), "b.py": body("b", 2)}, "Add a and b")
    repo.commit({"c.py": body("c", 3) + "\n\n" + body("c2", 4)}, "Add c" + CLAUDE)
    # d.py: AI-written, then a person changes one line (ai-modified, via the replayed history)
    repo.commit({"d.py": body("d", 5) + "\n\n" + body("d2", 6)}, "Add d" + CLAUDE)
    repo.commit({"d.py": (body("d", 5) + "\n\n" + body("d2", 6)).replace("return 6\n", "return 7\n")}, "Tweak d")
    return repo


def resolve_all(repo: Repo, files: tuple[str, ...]) -> tuple[OriginResolver, dict[str, list]]:
    """A new resolver (a new process: memory empty, .guardline/origin.sqlite kept), every file."""
    resolver = OriginResolver(str(repo.path), Config())
    try:
        return resolver, {rel: [*resolver.resolve(rel).lines, *resolver.resolve(rel).notes] for rel in files}
    finally:
        resolver.close()


def cold(repo: Repo, files: tuple[str, ...]) -> dict[str, list]:
    resolver = OriginResolver(str(repo.path), Config(values={"origin": {"cache": False}}))
    try:
        return {rel: [*resolver.resolve(rel).lines, *resolver.resolve(rel).notes] for rel in files}
    finally:
        resolver.close()


def test_moved_head_reuses_untouched_files_and_matches_a_cold_resolution(tmp_path, blames):
    repo = build(tmp_path)
    first, before = resolve_all(repo, FILES)
    assert sorted(blames) == sorted(FILES), "cold: every file blamed once (the second resolve is a memory hit)"
    assert any(r.origin == "ai-modified" for r in before["d.py"]), "the fixture has an ai-modified line"
    assert before == cold(repo, FILES)

    # 1. a commit touching a.py, a rename c.py -> e.py, a new file f.py
    repo.commit({"a.py": body("a", 1) + "\n\n" + body("a2", 8)}, "Grow a" + CLAUDE)
    repo.git("mv", "c.py", "e.py")
    repo.commit({"f.py": body("f", 9)}, "Rename c to e, add f")
    files = ("a.py", "b.py", "d.py", "e.py", "f.py")
    blames.clear()
    resolver, after = resolve_all(repo, files)
    assert sorted(blames) == ["a.py", "e.py", "f.py"], \
        "b.py and d.py: no commit since touched them, reused; the old resolver blamed all 5"
    assert (resolver.reused, resolver.computed) == (2, 3)
    assert after == cold(repo, files), "reused answers equal a cold resolution"
    assert after["b.py"] == before["b.py"] and after["d.py"] == before["d.py"]
    assert any(r.origin == "ai" and r.commit != repo.head() for r in after["e.py"][:4]), \
        "e.py keeps c.py's AI lines through the rename"

    # 2. a git-ai note on the commit that wrote b.py: the notes state is part of every key, so every
    # file is resolved again, and b.py's lines become AI
    add_ab = repo.git("log", "--format=%H", "--reverse").split()[0]
    repo.add_note(add_ab, "b.py\n  s_a1b2c3d4::t_01 1-4\n---\n" + json.dumps(GIT_AI_META))
    blames.clear()
    resolver, noted = resolve_all(repo, files)
    assert sorted(blames) == sorted(files), "a notes change invalidates every file it may cover"
    assert [r.origin for r in noted["b.py"]] == ["ai"] * 4 and noted["b.py"][0].evidence == "git-ai"
    assert noted == cold(repo, files)

    # 3. a new file at c.py, the path e.py's lines came from: e.py depends on it, resolved again
    repo.commit({"c.py": "NEW = 1\n"}, "A new c")
    files = ("a.py", "b.py", "c.py", "d.py", "e.py", "f.py")
    blames.clear()
    resolver, again = resolve_all(repo, files)
    assert sorted(blames) == ["c.py", "e.py"], "e.py's blame reads c.py's history; the others are reused"
    assert again == cold(repo, files)

    # 4. HEAD moves back, the files kept (`reset --soft`): c.py's text is the same, but the commit
    # that wrote it is gone, so its lines are uncommitted now; the dropped side counts too
    repo.git("reset", "-q", "--soft", "HEAD~1")
    blames.clear()
    resolver, soft = resolve_all(repo, files)
    assert blames == ["c.py"], "c.py touched by the dropped commit (an `OLD..NEW` log would be empty)"
    assert {r.evidence for r in soft["c.py"][:1]} == {"uncommitted"}
    assert soft == cold(repo, files)

    # 5. back to "Grow a" (`reset --hard`): a.py and b.py untouched by the dropped commits, reused
    repo.git("reset", "-q", "--hard", "HEAD~1")
    files = ("a.py", "b.py", "c.py", "d.py")
    blames.clear()
    resolver, back = resolve_all(repo, files)
    assert blames == ["c.py"], "c.py is the AI file again (new text); the rest are reused"
    assert back == cold(repo, files)


def test_uncommitted_file_is_resolved_again_once_committed(tmp_path, blames):
    """An untracked file's lines are 'uncommitted'; committing it moves HEAD and touches its path."""
    repo = build(tmp_path)
    repo.write("g.py", body("g", 1))
    _, before = resolve_all(repo, ("g.py", "b.py"))
    assert before["g.py"][0].evidence == "uncommitted"
    repo.commit({"g.py": body("g", 1)}, "Add g" + CLAUDE)
    blames.clear()
    _, after = resolve_all(repo, ("g.py", "b.py"))
    assert blames == ["g.py"], "b.py reused, g.py (touched) blamed again"
    assert after["g.py"][0].origin == "ai" and after == cold(repo, ("g.py", "b.py"))


def test_an_earlier_head_that_is_gone_means_resolving_again(tmp_path, blames):
    """The stored HEAD is not a commit of the repository any more (history rewritten, objects pruned):
    `git log OLD...NEW` fails, so the file is resolved again, not reused."""
    repo = build(tmp_path)
    resolve_all(repo, ("b.py",))
    resolver = OriginResolver(str(repo.path), Config())
    assert resolver._changed_paths(gitlayer.find_repo(str(repo.path)), "1" * 40, repo.head()) is None
    resolver.close()


def test_patches_of_the_recently_touched_paths_give_the_cold_answer(tmp_path, monkeypatch):
    """Past the per-path budget, a resolver after HEAD moved reads the patches of the paths the new
    commits touched with one `git log -p --no-walk` of their commits (not the whole history's log): the
    ai-modified lines come out as a cold resolution finds them."""
    import guardline.origin.resolver as resolver_module

    repo = build(tmp_path)
    resolve_all(repo, FILES)
    grown = (body("d", 5) + "\n\n" + body("d2", 6)).replace("return 6\n", "return 7\n") + "\n\n" + body("d3", 9)
    repo.commit({"d.py": grown, "a.py": body("a", 1) + "\n\n" + body("a2", 8)}, "Grow d and a")
    expected = cold(repo, FILES)
    assert any(r.origin == "ai-modified" for r in expected["d.py"]), "d.py keeps its ai-modified line"
    monkeypatch.setattr(resolver_module, "PATCHES_ONE_BY_ONE", 0)
    monkeypatch.setattr(resolver_module, "WHOLE_LOG_SHARE", 0)     # no path goes one by one
    calls: list[str] = []
    for name in ("history_patches", "paths_patches", "path_patches"):
        real = getattr(gitlayer, name)
        monkeypatch.setattr(gitlayer, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
    _, after = resolve_all(repo, FILES)
    assert after == expected
    assert calls == ["paths_patches"], "d.py (touched) read from the recent paths' log; nothing else replayed"
