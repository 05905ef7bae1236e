"""Issue 17: `ai-modified` from the replayed line history (origin/history.py), not a second blame.

Pure replay tests state the expected writers by hand; the repository tests build real histories. The
start, end and whole-block tests failed with the --ignore-rev blame of runs *inside* AI code (AI
lines on both sides), which they replace; the merged-branch test guards the merge replay."""

from __future__ import annotations

from origin_helpers import Repo, origins

from guardline.origin.history import History, parse_patches, replaced_writers

CLAUDE = "\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
AI_BLOCK = "".join(f"ai_{i} = compute({i})\n" for i in range(1, 7))          # lines 1-6
HUMAN_BLOCK = "".join(f"person_{i} = compute({i})\n" for i in range(1, 5))   # lines 7-10


def linear(*commits: tuple[str, str]) -> History:
    """A linear history whose commits all touch ``f`` (status, blob) in the given order."""
    history = History()
    parent: tuple[str, ...] = ()
    for sha, status in commits:
        history.index[sha] = len(history.order)
        history.order.append(sha)
        history.parents[sha] = parent
        history.touched.setdefault("f", {})[sha] = (status, f"blob-{sha}")
        parent = (sha,)
    return history


def test_replay_pairs_changed_lines_with_the_old_writer_and_leaves_added_lines():
    """c1 writes 3 lines; c2 replaces line 2 by two lines (`@@ -2 +2,2 @@`): new line 2 is an edit of
    old line 2 (written by c1 as its line 2), new line 3 is added (no writer); c3 deletes line 1 and
    edits (now) line 3, c2's added line, so c3's line 2 changed c2's line 3."""
    history = linear(("c1", "A"), ("c2", "M"), ("c3", "M"))
    patches = {"c1": {"0" * 40: [(0, 0, 1, 3, (), ())]},
               "c2": {"blob-c1": [(2, 1, 2, 2, ("total = 2",), ("total = 20", "print(total)"))]},
               "c3": {"blob-c2": [(1, 1, 0, 0, (), ()), (3, 1, 2, 1, ("print(total)",), ("print(total, 1)",))]}}
    wanted = {("c2", 2), ("c2", 3), ("c3", 2)}
    assert replaced_writers(history, "f", patches, wanted) == {("c2", 2): ("c1", 2), ("c3", 2): ("c2", 3)}


def test_a_hunk_that_rewrites_its_lines_changes_none_of_them():
    """5 old lines replaced by 2 new ones, only the first (a signature) similar: 1 of 5 old lines is
    matched (< half), so this is a rewrite and no line is paired. An edit of 2 of 3 lines pairs both."""
    from guardline.origin.history import changed_lines
    old = ("def f(items):", "total = 0", "for i in items:", "total += i", "return total")
    assert changed_lines(old, ("def f(items, start=0):", "return start + sum(items)")) == []
    assert changed_lines(("a = compute(1)", "b = compute(2)", "c = 3"),
                         ("a = compute(10)", "b = compute(20)")) == [(0, 0), (1, 1)]


def test_replay_gives_up_when_a_patch_does_not_fit():
    """A hunk past the end of the replayed lines (c1 wrote 2 lines, c2 changes line 5): the history
    does not add up, so nothing is claimed (no wrong ai-modified)."""
    history = linear(("c1", "A"), ("c2", "M"))
    patches = {"c1": {"0" * 40: [(0, 0, 1, 2, (), ())]}, "c2": {"blob-c1": [(5, 1, 5, 1, ("x = 1",), ("x = 2",))]}}
    assert replaced_writers(history, "f", patches, {("c2", 5)}) == {}


def test_parse_patches_reads_unified_zero_context_hunks():
    out = (b"\x00c2\n\ndiff --git a/f b/f\nindex " + b"a" * 40 + b".." + b"b" * 40 + b" 100644\n--- a/f\n+++ b/f\n"
           b"@@ -3 +3,2 @@\n-x\n+y\n+z\n@@ -7,0 +9 @@\n+w\n")
    assert parse_patches(out) == {"c2": {"a" * 40: [(3, 1, 3, 2, ("x",), ("y", "z")), (7, 0, 9, 1, (), ())]}}, \
        "a count left out is 1 (`-3` is one line at 3); text is kept for hunks that replace lines"


def ai_then_person(tmp_path, edited: str) -> tuple[Repo, str]:
    """A person writes lines 7-10, an AI adds a block before them (1-6) and one after (12-17), then
    the person commits ``edited``."""
    repo = Repo(tmp_path / "r")
    repo.commit({"m.py": HUMAN_BLOCK}, "Person starts m")
    repo.commit({"m.py": AI_BLOCK + HUMAN_BLOCK + "\n" + AI_BLOCK.replace("ai_", "more_")}, "Add m" + CLAUDE)
    person = repo.commit({"m.py": edited}, "Person edits")
    return repo, person


def test_ai_block_rewritten_at_its_start_is_ai_modified(tmp_path):
    """The person rewrites lines 1-2 of the AI block (no AI line before them): both ai-modified.
    Before (the --ignore-rev blame of runs with AI lines on both sides): plain human."""
    text = AI_BLOCK + HUMAN_BLOCK + "\n" + AI_BLOCK.replace("ai_", "more_")
    edited = text.replace("ai_1 = compute(1)", "ai_1 = compute(10)").replace("ai_2 = compute(2)", "ai_2 = compute(20)")
    repo, person = ai_then_person(tmp_path, edited)
    result = repo.resolve("m.py")
    assert origins(result)[:3] == ["ai-modified", "ai-modified", "ai"], [r.detail for r in result.lines[:3]]
    assert (result.lines[0].tool, result.lines[0].commit) == ("claude-code", person)


def test_ai_block_rewritten_at_its_end_is_ai_modified(tmp_path):
    """The person rewrites the last two lines of the file (the end of the second AI block, no AI line
    after them): ai-modified. Before: plain human (no AI line after the run)."""
    text = AI_BLOCK + HUMAN_BLOCK + "\n" + AI_BLOCK.replace("ai_", "more_")
    edited = text.replace("more_5 = compute(5)", "more_5 = compute(50)").replace("more_6 = compute(6)", "more_6 = compute(6.0)")
    repo, _ = ai_then_person(tmp_path, edited)
    assert origins(repo.resolve("m.py"))[14:17] == ["ai", "ai-modified", "ai-modified"]


def test_ai_block_edited_throughout_is_ai_modified_and_added_lines_stay_human(tmp_path):
    """The person edits every line of the first AI block (6 lines) and adds 2 more: the 6 edited
    lines are ai-modified, the 2 extra ones added (human); the second AI block is untouched."""
    text = AI_BLOCK + HUMAN_BLOCK + "\n" + AI_BLOCK.replace("ai_", "more_")
    edited = AI_BLOCK.replace(")\n", ", fast=True)\n") + "extra_1 = 1\nextra_2 = 2\n"
    repo, _ = ai_then_person(tmp_path, text.replace(AI_BLOCK, edited, 1))
    found = origins(repo.resolve("m.py"))
    assert found[:8] == ["ai-modified"] * 6 + ["human"] * 2, found
    assert found[8:12] == ["human"] * 4 and found[13:19] == ["ai"] * 6, found


def test_ai_block_replaced_by_different_code_is_the_persons(tmp_path):
    """The person replaces the first AI block by 3 lines of unrelated code: a rewrite, not an edit
    (no old line recognisable), so the new lines are human, as a blame past the person's commit with
    git's fuzzy matching would leave them."""
    text = AI_BLOCK + HUMAN_BLOCK + "\n" + AI_BLOCK.replace("ai_", "more_")
    rewritten = "import json\nCONFIG = json.loads(open('c.json').read())\nprint(CONFIG)\n"
    repo, _ = ai_then_person(tmp_path, text.replace(AI_BLOCK, rewritten, 1))
    assert origins(repo.resolve("m.py"))[:3] == ["human"] * 3


def test_a_persons_edit_on_a_merged_branch_is_ai_modified(tmp_path):
    """The person changes AI line 3 on a branch while main adds a line on top; after the merge (a merge
    commit, both sides kept) blame gives the line to the branch commit, whose parent version was AI."""
    repo = Repo(tmp_path / "r")
    text = AI_BLOCK + HUMAN_BLOCK
    repo.commit({"m.py": text}, "Add m" + CLAUDE)
    repo.git("checkout", "-q", "-b", "side")
    person = repo.commit({"m.py": text.replace("ai_3 = compute(3)", "ai_3 = compute(30)")}, "Person on a branch")
    repo.git("checkout", "-q", "main")
    repo.commit({"other.py": "x = 1\n"}, "Elsewhere")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge side", "side")
    rec = repo.resolve("m.py").lines[2]
    assert (rec.origin, rec.commit) == ("ai-modified", person), rec.detail


def test_whole_history_patches_skip_content_that_looks_like_headers():
    """A removed line `-- x` prints as `--- x` and an added `++ y` as `+++ y`: the hunk's counts say
    they are content, so they are not read as file headers (the second file's patch is still found)."""
    from guardline.origin.history import parse_history_patches
    blob = b"a" * 40
    lines = [b"\x00c2", b"", b"diff --git a/f b/f", b"index " + blob + b".." + b"b" * 40 + b" 100644",
             b"--- a/f", b"+++ b/f", b"@@ -2 +2 @@", b"--- x", b"+++ y",
             b"diff --git a/g b/g", b"index " + blob + b".." + b"c" * 40 + b" 100644", b"--- a/g", b"+++ b/g",
             b"@@ -0,0 +1,2 @@", b"+1", b"+2"]
    assert parse_history_patches(lines) == {"f": {"c2": {"a" * 40: [(2, 1, 2, 1, ("-- x",), ("++ y",))]}},
                                            "g": {"c2": {"a" * 40: [(0, 0, 1, 2, (), ())]}}}


def test_the_whole_history_patches_give_the_same_answer(tmp_path, monkeypatch):
    """After the first files of a run the patches come from one `git log -p` of the whole history:
    the merged-branch and whole-rewrite cases give the same origins that way."""
    import guardline.origin.resolver as resolver_module
    monkeypatch.setattr(resolver_module, "PATCHES_ONE_BY_ONE", 0)
    test_a_persons_edit_on_a_merged_branch_is_ai_modified(tmp_path / "merge")
    test_ai_block_edited_throughout_is_ai_modified_and_added_lines_stay_human(tmp_path / "rewrite")


def test_a_path_git_quotes_is_found_in_the_history(tmp_path):
    """git prints `"caf\\303\\251 x.py"` for a name with a space and a non-ASCII letter in `--raw` and
    patch headers: the history is keyed by the real name, so the edit is still ai-modified."""
    repo = Repo(tmp_path / "r")
    repo.commit({"café x.py": AI_BLOCK}, "Add" + CLAUDE)
    repo.commit({"café x.py": AI_BLOCK.replace("ai_2 = compute(2)", "ai_2 = compute(20)")}, "Person edits")
    assert origins(repo.resolve("café x.py"))[:3] == ["ai", "ai-modified", "ai"]
