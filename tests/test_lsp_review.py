"""Review mode in the editor (`review.base`) on real temporary git repositories, through the real
server: findings in code unchanged since the merge-base are hints, changed code keeps its severity,
AI-written changed code comes first; unsaved edits count as changes; a HEAD move (merge) is picked up
on save; a bad base is a message and never holds diagnostics back. Plus the pure line diff."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types as t

from guardline.lsp.features import LENS_MARKER
from guardline.review import ChangedLines, changed_line_numbers, mark
from guardline.model import FileResult, Finding, FunctionMetrics
from origin_helpers import Repo
from test_lsp_support import COMPLEX_PY, SharedServer, insert, open_doc, running_server, shared_server

OLD = COMPLEX_PY.replace("tangled", "old_tangled")     # on main: unchanged on the branch
NEW = COMPLEX_PY.replace("tangled", "new_tangled")     # added on the feature branch
NEW_START0 = len(OLD.splitlines()) + 2                  # 0-based line of `def simple` in the appended copy
CLAUDE = "Add new_tangled\n\nCo-Authored-By: Claude Opus 4.5 <noreply@anthropic.com>\n"
REVIEW = {"debounce_ms": 0, "review": {"base": "main"}, "duplication": {"enabled": False}}


def cognitive_by_function(params: t.PublishDiagnosticsParams) -> dict[str, t.Diagnostic]:
    return {d.data["function"]: d for d in params.diagnostics if d.code == "cognitive"}


def make_branch_repo(path: Path) -> Repo:
    """main: app.py with old_tangled; feature branch: new_tangled appended by a Claude Code commit."""
    repo = Repo(path)
    repo.commit({"app.py": OLD}, "Initial")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"app.py": OLD + "\n\n" + NEW}, CLAUDE)
    return repo


@pytest.fixture
def branch_repo(tmp_path: Path) -> Repo:
    return make_branch_repo(tmp_path / "repo")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared(tmp_path_factory) -> SharedServer:
    """One repository and server for the tests that only read the repository (each closes its buffers)."""
    repo = make_branch_repo(tmp_path_factory.mktemp("review") / "repo")
    repo.write("added.py", OLD)   # untracked: not in the merge-base
    async with shared_server(repo.path, init_options=REVIEW) as server:
        yield server


def reviewed(rec, uri: str, predicate) -> t.PublishDiagnosticsParams | None:
    """The last publish for ``uri`` if it satisfies ``predicate`` (diagnostics marked for review)."""
    published = rec.for_uri(uri)
    return published[-1] if published and predicate(published[-1]) else None


@pytest.mark.asyncio(loop_scope="module")
async def test_review_marks_unchanged_findings_as_hints_and_puts_changed_ai_code_first(shared: SharedServer):
    root = shared.root
    async with shared.session() as (client, rec, _dir):
        uri = open_doc(client, root / "app.py", OLD + "\n\n" + NEW)

        def marked(params):
            return all("review" in (d.data or {}) for d in params.diagnostics) and params.diagnostics
        params = await rec.wait_for(lambda: reviewed(rec, uri, marked), timeout=30)
        by_fn = cognitive_by_function(params)
        old, new = by_fn["old_tangled"], by_fn["new_tangled"]
        assert old.severity == t.DiagnosticSeverity.Hint, "old_tangled is unchanged since the merge-base with main"
        assert old.data["review"] == "unchanged" and "unchanged since main" in old.message
        assert new.severity == t.DiagnosticSeverity.Error, "new_tangled was added on the branch: full severity"
        assert new.data["review"] == "changed"
        assert params.diagnostics[0].data["review"] == "changed", "changed code comes first"
        # an unsaved edit inside old_tangled makes it changed code (the live buffer is compared)
        insert(client, uri, 2, 5, 0, "    x = 1\n")
        params = await rec.wait_for(lambda: reviewed(
            rec, uri, lambda p: p.version == 2 and cognitive_by_function(p).get("old_tangled")
            and cognitive_by_function(p)["old_tangled"].data["review"] == "changed"), timeout=30)
        assert cognitive_by_function(params)["old_tangled"].severity == t.DiagnosticSeverity.Error


@pytest.mark.asyncio(loop_scope="module")
async def test_review_follows_a_head_move_on_save(branch_repo: Repo):
    """Merging a main that already has new_tangled moves the merge-base: nothing is changed any more."""
    root = branch_repo.path
    text = OLD + "\n\n" + NEW
    async with running_server(root, init_options=REVIEW) as (client, rec):
        uri = open_doc(client, root / "app.py", text)
        await rec.wait_for(lambda: reviewed(
            rec, uri, lambda p: cognitive_by_function(p).get("new_tangled")
            and cognitive_by_function(p)["new_tangled"].data.get("review") == "changed"), timeout=30)
        branch_repo.git("checkout", "-q", "main")
        branch_repo.git("merge", "-q", "--ff-only", "feature")
        client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=uri)))
        params = await rec.wait_for(lambda: reviewed(
            rec, uri, lambda p: p.diagnostics and all(d.data.get("review") == "unchanged" for d in p.diagnostics)),
            timeout=30)
        assert all(d.severity == t.DiagnosticSeverity.Hint for d in params.diagnostics), \
            "HEAD is now main itself: every finding is in code unchanged since the merge-base"


@pytest.mark.asyncio(loop_scope="module")
async def test_unknown_review_base_is_a_message_and_diagnostics_still_arrive(branch_repo: Repo):
    root = branch_repo.path
    options = {**REVIEW, "review": {"base": "no-such-branch"}}
    async with running_server(root, init_options=options) as (client, rec):
        uri = open_doc(client, root / "app.py", OLD)
        params = await rec.wait_publish(uri, version=1)
        assert cognitive_by_function(params)["old_tangled"].severity == t.DiagnosticSeverity.Error, \
            "without a usable base every finding keeps its severity"
        await rec.wait_for(lambda: any("no-such-branch" in m.message for m in client.messages))


@pytest.mark.asyncio(loop_scope="module")
async def test_file_added_on_the_branch_is_all_changed(shared: SharedServer):
    root = shared.root   # added.py is untracked there: not in the merge-base
    async with shared.session() as (client, rec, _dir):
        uri = open_doc(client, root / "added.py", OLD)
        params = await rec.wait_for(lambda: reviewed(
            rec, uri, lambda p: p.diagnostics and all(d.data.get("review") == "changed" for d in p.diagnostics)),
            timeout=30)
        assert cognitive_by_function(params)["old_tangled"].severity == t.DiagnosticSeverity.Error


@pytest.mark.asyncio(loop_scope="module")
async def test_first_publish_is_already_marked_and_lenses_follow_the_marking(shared: SharedServer):
    """The first diagnostics of a newly opened buffer wait (briefly) for its changed lines: findings in
    unchanged code never flash at full severity first. The code lens ⚠ follows the shown severity:
    old_tangled (unchanged, its finding a hint) has none, new_tangled (added on the branch) has one."""
    root = shared.root
    async with shared.session() as (client, rec, _dir):
        uri = open_doc(client, root / "app.py", OLD + "\n\n" + NEW)
        first = await rec.wait_publish(uri, version=1)
        assert first.diagnostics and all("review" in (d.data or {}) for d in first.diagnostics), \
            "the very first publish is marked for review mode"
        lenses = await client.text_document_code_lens_async(
            t.CodeLensParams(text_document=t.TextDocumentIdentifier(uri=uri)))
        titles = {lens.range.start.line: lens.command.title for lens in lenses}
        old_line = OLD.splitlines().index(next(l for l in OLD.splitlines() if "def old_tangled" in l))
        assert not titles[old_line].startswith(LENS_MARKER), "unchanged code: its finding is a hint, no ⚠"
        assert titles[NEW_START0 + old_line].startswith(LENS_MARKER), "new code over the limit keeps ⚠"


@pytest.mark.asyncio(loop_scope="module")
async def test_renamed_file_is_compared_with_its_old_name(tmp_path: Path):
    """app.py moved to moved.py on the branch (plus new_tangled): old_tangled is not new code, so its
    finding is a hint; only the appended function counts as changed."""
    # git calls a file renamed when at least half of it is unchanged: the module has more than old_tangled
    base = OLD + "".join(f"\n\ndef helper_{i}(x):\n    return x + {i}\n" for i in range(30))
    repo = Repo(tmp_path / "repo")
    repo.commit({"app.py": base}, "Initial")
    repo.git("checkout", "-q", "-b", "feature")
    repo.git("mv", "app.py", "moved.py")
    repo.commit({"moved.py": base + "\n\n" + NEW}, "Move and extend")
    async with running_server(repo.path, init_options=REVIEW) as (client, rec):
        uri = open_doc(client, repo.path / "moved.py", base + "\n\n" + NEW)
        params = await rec.wait_for(lambda: reviewed(
            rec, uri, lambda p: p.diagnostics and all("review" in (d.data or {}) for d in p.diagnostics)),
            timeout=30)
        by_fn = cognitive_by_function(params)
        assert by_fn["old_tangled"].data["review"] == "unchanged", "moved, not written on the branch"
        assert by_fn["new_tangled"].data["review"] == "changed"


# ---- pure parts ------------------------------------------------------------------------------
def test_changed_lines_are_the_inserted_and_replaced_new_side_lines():
    base = "a\nb\nc\nd\n"
    assert changed_line_numbers(base, base) == frozenset(), "identical text: nothing changed"
    assert changed_line_numbers(base, "a\nX\nc\nd\n") == {2}, "a replaced line"
    assert changed_line_numbers(base, "a\nb\nnew1\nnew2\nc\nd\n") == {3, 4}, "inserted lines"
    assert changed_line_numbers(base, "a\nc\nd\n") == frozenset(), "a deletion marks no new-side line (git -U0)"


def test_mark_orders_changed_ai_first_and_lowers_unchanged_to_hints():
    fns = [FunctionMetrics(name=n, qualified_name=n, start_line=s, end_line=e) for n, s, e in
           (("a", 1, 5), ("b", 6, 10), ("c", 11, 15))]
    findings = [Finding(rule="cognitive", category="complexity", severity="error", start_line=s, end_line=s,
                        message=f"{n} is complex", origin=o, function=n)
                for n, s, o in (("a", 1, "human"), ("b", 6, "human"), ("c", 11, "ai"))]
    result = FileResult(path="x.py", language="python", functions=fns, findings=findings)
    marked = mark(result, ChangedLines(version=1, lines=frozenset({7, 12}), base="main"))
    assert [(f.function, f.severity) for f in marked.findings] == [("c", "error"), ("b", "error"), ("a", "hint")], \
        "changed AI code (c) first, then changed human code (b), then unchanged (a) as a hint"
    assert [f.severity for f in result.findings] == ["error"] * 3, "the analysis itself is not modified"
