"""guardline.workspace.Workspace: the one object the CLI, the report and the language server analyse a
folder through (issue 14). What a front end gets from it must equal what `guardline check` reports,
and a renamed keyword between the layers must fail loudly instead of dropping a feature."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardline import pipeline
from guardline.cli import main
from guardline.errors import UsageError
from guardline.origin import FileOrigin, LineOrigin
from guardline.parsing import parse
from guardline.workspace import Workspace

TANGLED = """def tangled(a, b, c, d):
    for i in range(a):
        if b:
            for j in range(c):
                if d:
                    while i < j:
                        if a and b or c and d:
                            i += 1
                        elif i > j:
                            break
                        if c:
                            i -= 1
    return a
"""
COPY = "\n".join(f"    v{i} = compute(x, {i}) + offset * {i + 3}" for i in range(10))


def make_workspace(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "guardline.toml").write_text("[origin]\nenabled = false\n")
    (root / "tangled.py").write_text(TANGLED)
    (root / "a.py").write_text(f"def fa(x, offset):\n{COPY}\n    return v0\n")
    (root / "b.py").write_text(f"def fb(x, offset):\n{COPY}\n    return v0\n")
    (root / "notes.txt").write_text("not source\n")
    return root


def test_analyse_all_is_what_check_reports(tmp_path, capsys):
    root = make_workspace(tmp_path / "ws")
    workspace = Workspace(str(root), jobs=1)
    assert workspace.discover() == ["a.py", "b.py", "tangled.py"], "source files only, sorted, root-relative"
    results = workspace.analyse_all()
    found = {(r.path, f.rule, f.start_line) for r in results for f in r.findings}
    assert ("tangled.py", "cognitive", 1) in found, "cognitive 31: over the human error limit (25)"
    assert ("a.py", "duplicate-code", 1) in found, "the copied function: the clone pass ran after the scan"

    assert main(["check", str(root), "--format", "json", "--jobs", "1"]) == 1
    document = json.loads(capsys.readouterr().out)
    reported = {(f["path"], d["rule"], d["start_line"]) for f in document["files"] for d in f["findings"]}
    assert reported == found, "check renders what the Workspace analysed, nothing added or lost"
    assert workspace.gate(results) == document["summary"]["gate"] == "fail"


def test_for_paths_finds_the_root_and_rejects_missing_paths(tmp_path):
    root = make_workspace(tmp_path / "ws")
    workspace = Workspace.for_paths([str(root / "a.py")])
    assert workspace.root == str(root), "the folder with guardline.toml is the root of a file inside it"
    assert workspace.config.get("origin.enabled") is False, "its configuration file was loaded"
    assert workspace.with_origin is False, "origin.enabled = false switches attribution off"
    with pytest.raises(UsageError, match="no such file or folder"):
        Workspace.for_paths([str(root / "missing.py")])


def _all_ai(lines: int) -> FileOrigin:
    record = LineOrigin(origin="ai", tool="claude-code", model=None, evidence="markers", granularity="region",
                        commit=None, confidence="high")
    return FileOrigin(lines=[record] * lines)


def test_analyse_document_applies_the_file_origin(tmp_path):
    """The editor's path: a buffer whose every line is AI-written gets AI functions and AI limits."""
    workspace = Workspace(str(make_workspace(tmp_path / "ws")))
    doc = parse(TANGLED, "python")
    result = workspace.analyse_document(doc, "tangled.py", file_origin=_all_ai(doc.line_count))
    assert [fn.origin for fn in result.functions] == ["ai"], "every line is AI-attributed"
    assert any(f.rule == "cognitive" and f.origin == "ai" for f in result.findings)


def test_a_renamed_keyword_fails_loudly_instead_of_dropping_origin(tmp_path, monkeypatch):
    """Issue 14's example: the editor used to pass only the keywords the pipeline's signature accepted
    (lsp/engine.py's _accepted_kwargs), so renaming `file_origin` made origin vanish from the editor
    with no error. The layers now call each other directly: the rename is a TypeError at once."""
    real = pipeline.analyze_document

    def renamed(doc, path, config, *, origin_records=None, extra_findings=None):
        return real(doc, path, config, file_origin=origin_records, extra_findings=extra_findings)

    monkeypatch.setattr(pipeline, "analyze_document", renamed)
    workspace = Workspace(str(make_workspace(tmp_path / "ws")))
    doc = parse(TANGLED, "python")
    with pytest.raises(TypeError, match="file_origin"):
        workspace.analyse_document(doc, "tangled.py", file_origin=_all_ai(doc.line_count))


def test_the_optional_import_layer_is_gone():
    """Subsystems are imported directly: no module swallows an ImportError to switch a feature off."""
    import importlib.util

    assert importlib.util.find_spec("guardline.lsp.engine") is None, "lsp/engine.py (optional_module) deleted"
    assert not hasattr(pipeline, "_optional"), "pipeline imports origin, security, suppressions directly"


def test_the_clone_index_answers_buffers_and_forgets_them(tmp_path):
    root = make_workspace(tmp_path / "ws")
    workspace = Workspace(str(root))
    assert workspace.clone_findings(parse("x = 1\n", "python"), str(root / "c.py"), workspace.clone_index) == [], "no index yet: none"
    index = workspace.build_clone_index(workspace.discover())
    assert index is workspace.clone_index and index is not None
    buffer = parse(f"def fc(x, offset):\n{COPY}\n    return v0\n", "python")
    found = workspace.clone_findings(buffer, str(root / "c.py"), index)
    assert any(f.rule == "duplicate-code" for f in found), "an unsaved buffer copying a.py is a clone"
    workspace.forget_shadow(str(root / "c.py"), index)
    assert index.tokens(str(root / "c.py")) is None, "closing the buffer drops its shadow from the index"


def test_check_base_and_the_editor_review_see_the_same_changed_lines(tmp_path):
    """One review implementation (guardline/review.py): `check --base` (the working tree's diff) and the
    editor's review mode (a buffer against the merge-base text) agree on what a branch changed."""
    from guardline.lsp.review import ReviewService
    from origin_helpers import Repo

    repo = Repo(tmp_path / "repo")
    repo.commit({"app.py": "def a():\n    return 1\n\n\ndef b():\n    return 2\n"}, "base")
    repo.git("checkout", "-q", "-b", "topic")
    edited = "def a():\n    return 1\n\n\ndef b():\n    x = 3\n    return x\n"
    repo.commit({"app.py": edited}, "topic work")
    (repo.path / "new.py").write_text("def c():\n    return 3\n")      # untracked: all new
    workspace = Workspace(str(repo.path))
    selection = workspace.changed_lines("main")
    assert selection.changed["app.py"] == {6, 7}, "b's body was replaced: new-side lines 6 and 7"
    assert "new.py" in selection.whole_files, "an untracked file is all changed"
    editor = ReviewService(str(repo.path), "main")
    lines = editor.changed_lines(str(repo.path / "app.py"), edited, version=1)
    assert set(lines.lines) == selection.changed["app.py"] and not lines.whole
    assert editor.changed_lines(str(repo.path / "new.py"), "def c():\n    return 3\n", version=1).whole
    assert lines.merge_base == selection.merge_base == repo.git("rev-parse", "main").strip()


def test_the_editor_analysis_carries_origin_and_a_rename_fails_loudly(tmp_path, monkeypatch):
    """The language server's per-version analysis (lsp/scheduler.analyse_document, what every keystroke
    runs) passes the document's FileOrigin to the core: AI limits apply; and a renamed keyword in the
    pipeline is an error in the editor too, not a diagnostic list without origin."""
    from guardline.lsp.docstate import DocState
    from guardline.lsp.documents import Document
    from guardline.lsp.scheduler import Inputs, analyse_document

    root = make_workspace(tmp_path / "ws")
    workspace = Workspace(str(root), shared_resolver=False)
    path = str(root / "tangled.py")
    origin = _all_ai(TANGLED.count("\n") + 1)

    def state() -> DocState:
        return DocState(Document(uri=(root / "tangled.py").as_uri(), path=path, language="python", version=1,
                                 text=TANGLED))

    inputs = Inputs(config=workspace.config, root=workspace.root, workspace=workspace, origin=origin)
    analysed, _deferred = analyse_document(state(), 1, inputs)
    assert analysed is not None and [fn.origin for fn in analysed.result.functions] == ["ai"]
    real = pipeline.analyze_document

    def renamed(doc, path, config, *, origin_records=None, extra_findings=None):
        return real(doc, path, config, file_origin=origin_records, extra_findings=extra_findings)

    monkeypatch.setattr(pipeline, "analyze_document", renamed)
    with pytest.raises(TypeError, match="file_origin"):
        analyse_document(state(), 1, inputs)
