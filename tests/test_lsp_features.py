"""Unit tests of the LSP conversions (features.py) on hand-built results: ranges in UTF-16,
lens titles, suppression edits, duplicate locations. No server process needed."""

from __future__ import annotations

from lsprotocol import types as t

from guardline.lsp import features
from guardline.lsp.features import Analysed
from guardline.model import FileResult, Finding, FunctionMetrics, Increment, Location


def make(text: str, functions, findings, language="typescript") -> Analysed:
    result = FileResult(path="/w/a.ts", language=language, lines=text.count("\n") + 1, functions=functions,
                        findings=findings)
    return Analysed(uri="file:///w/a.ts", version=3, language=language, lines=text.split("\n"), result=result,
                    root="/w")


LINE = 'const s = "😀é"; function tangled(a) {'


def tangled(**kw) -> FunctionMetrics:
    byte_col = LINE.encode().index(b"tangled")   # 29 bytes: emoji = 4 bytes, é = 2 bytes
    base = dict(name="tangled", qualified_name="tangled", start_line=1, end_line=3, name_line=1,
                name_column=byte_col, name_end_column=byte_col + 7, cyclomatic=7, cognitive=18, maintainability=54.4,
                increments=[Increment("cognitive", 2, "if", 1, 0)])
    base.update(kw)
    return FunctionMetrics(**base)


def cognitive_finding(severity="error") -> Finding:
    return Finding(rule="cognitive", category="complexity", severity=severity, start_line=1, end_line=3,
                   message="Cognitive complexity 18 > 15 (limit for human code)", function="tangled",
                   data={"metric": "cognitive", "value": 18, "limit": 15})


def test_complexity_diagnostic_covers_the_name_in_utf16_columns():
    an = make(LINE + "\n  return a\n}", [tangled()], [cognitive_finding()])
    [diag] = features.diagnostics(an)
    # UTF-16: 'const s = "' (11) + emoji (2) + 'é' (1) + '"; function ' (12) = 26
    assert (diag.range.start.line, diag.range.start.character, diag.range.end.character) == (0, 26, 33)
    assert diag.code == "cognitive" and diag.source == "guardline"
    assert diag.severity == t.DiagnosticSeverity.Error
    assert diag.code_description.href.endswith("#cognitive")
    assert diag.data["value"] == 18 and diag.data["limit"] == 15 and diag.data["function"] == "tangled"


def test_finding_without_function_uses_its_lines_and_byte_columns():
    finding = Finding(rule="py-eval", category="security", severity="warning", start_line=2, end_line=2,
                      message="eval", start_column=2, end_column=8)
    an = make(LINE + "\n  eval(a)\n}", [], [finding])
    [diag] = features.diagnostics(an)
    assert (diag.range.start.line, diag.range.start.character, diag.range.end.character) == (1, 2, 8)
    assert diag.severity == t.DiagnosticSeverity.Warning


def test_code_lens_title_origin_and_marker():
    plain = tangled(origin="unknown")
    ai = tangled(origin="ai", ai_share=0.8, origin_detail={"tool": "Claude Code"})
    human = tangled(origin="human")
    assert features.lens_title(plain, False) == "CC 7 · Cog 18 · MI 54"
    assert features.lens_title(ai, True) == "⚠ CC 7 · Cog 18 · MI 54 · AI 80% · Claude Code"
    assert features.lens_title(human, False) == "CC 7 · Cog 18 · MI 54 · human"
    an = make(LINE + "\n}", [plain], [cognitive_finding()])
    [lens] = features.code_lenses(an)
    assert lens.command.command == "guardline.explain" and lens.command.arguments == [an.uri, 0]
    assert lens.command.title.startswith("⚠"), "a limit is exceeded, so the lens carries the marker"


def test_suppression_action_appends_ceiling_comment_in_language_syntax():
    an = make(LINE + "\n}", [tangled()], [cognitive_finding()])
    actions = features.code_actions(an, 0, 0, "//", report_available=False)
    fix = next(a for a in actions if a.kind == t.CodeActionKind.QuickFix)
    [edit] = fix.edit.changes[an.uri]
    assert edit.new_text == "  // guardline: allow cognitive<=18", "ceiling = the current value"
    assert edit.range.start.line == 0 and edit.range.start.character == len(LINE) + 1  # emoji = 2 UTF-16 units
    assert any(a.command and a.command.command == "guardline.explain" for a in actions)


def test_duplicate_locations_and_show_copies_action():
    finding = Finding(rule="duplicate-block", category="duplication", severity="info", start_line=1, end_line=3,
                      message="clone", related=[Location(path="b.ts", start_line=10, end_line=12)])
    an = make(LINE + "\n}\n", [], [finding])
    locations = features.duplicate_locations(an, 1)
    assert locations == [{"uri": "file:///w/b.ts", "range": {"start": {"line": 9, "character": 0},
                                                             "end": {"line": 11, "character": 0}}}]
    actions = features.code_actions(an, 0, 0, "//", report_available=True)
    titles = [a.title for a in actions]
    assert "guardline: show all copies (2)" in titles and "guardline: open the quality report" in titles


def test_hover_markdown_includes_increments_and_origin_evidence():
    fn = tangled(origin="ai", ai_share=1.0, origin_detail={"tool": "Claude Code", "commits": 3})
    text = features.explain_markdown(fn)
    assert "tangled" in text and "Claude Code" in text and "commits: 3" in text


def test_diagnostics_cache_equals_a_fresh_conversion_across_edits():
    """The per-document cache re-uses a finding's JSON only when everything its diagnostic is computed
    from is unchanged: across versions that move the function, change the text on its name line (the
    UTF-16 columns move), change the severity (review mode), and add a clone with a related copy, every
    payload must equal the converter's output on fresh diagnostics."""
    from pygls.protocol import default_converter

    convert = default_converter().unstructure
    cache = features.DiagnosticsCache(convert)
    clone = Finding(rule="duplicate-code", category="duplication", severity="warning", start_line=2, end_line=3,
                    message="clone", related=[Location(path="/w/b.ts", start_line=4, end_line=5)])
    versions = [
        make(LINE + "\n  return a\n}", [tangled()], [cognitive_finding()]),
        make(LINE + "\n  return a\n}", [tangled()], [cognitive_finding()]),                 # unchanged
        make("é" + LINE + "\n  return a\n}", [tangled(name_column=tangled().name_column + 2,
                                                      name_end_column=tangled().name_end_column + 2)],
             [cognitive_finding()]),                                                          # columns move
        make("\n" + LINE + "\n  return a\n}", [tangled(start_line=2, end_line=4, name_line=2)],
             [cognitive_finding()]),                                                          # lines move, same name
        make(LINE + "\n  return a\n}", [tangled()], [cognitive_finding("hint"), clone]),
    ]
    reused = 0
    for an in versions:
        before = dict(cache._entries)
        payload = cache.payload(an)
        reused += sum(1 for item in payload if any(item is old for old in before.values()))
        assert payload == [convert(d) for d in features.diagnostics(an)]
    assert reused == 1, "only version 2 (identical to version 1) re-uses its finding's JSON"
