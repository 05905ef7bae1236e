"""Line endings: CRLF, lone CR and mixtures give the same functions, lines, metrics and findings as the
LF version of a file, in every language and cyclomatic/maintainability profile; a NUL past the binary
sniff changes nothing; editor positions count "\\r", "\\n" and "\\r\\n" as line ends (LSP spec).

Before the fix, lone-CR files lost their functions or reported them all on line 1 (tree-sitter counts
rows at "\\n" only), and a NUL byte ended the parse (tree-sitter lexers read NUL as end of input)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from lsprotocol import types as t

from guardline.config import Config
from guardline.lsp.documents import Document
from guardline.model import FileResult
from guardline.parsing import BINARY_SNIFF_BYTES
from guardline.pipeline import analyze_bytes
from robustness_inputs import LANGUAGES, LINE_ENDING_SAMPLES, with_line_endings
from test_lsp_support import open_doc, running_server

EXTENSION = {"python": "py", "javascript": "js", "typescript": "ts", "go": "go", "java": "java", "rust": "rs",
             "c": "c", "cpp": "cpp", "csharp": "cs", "ruby": "rb", "php": "php"}
PROFILES = [("guardline", "guardline"), ("radon", "radon"), ("lizard", "guardline")]


def summary(result: FileResult) -> dict:
    """Everything line-ending independent: byte offsets differ with CRLF, nothing else may."""
    assert result.error is None, result.error
    functions = [(f.qualified_name, f.start_line, f.end_line, f.name_line, f.name_column, f.cyclomatic,
                  f.cognitive, f.sloc, round(f.halstead_volume, 6), round(f.maintainability, 6),
                  [(i.metric, i.line, i.column, i.construct, i.amount, i.nesting) for i in f.increments])
                 for f in result.functions]
    findings = [(f.rule, f.start_line, f.start_column, f.end_line, f.message) for f in result.findings]
    totals = result.totals
    return {"lines": result.lines, "functions": functions, "findings": findings, "notes": result.notes,
            "totals": (totals.sloc, totals.cyclomatic_total, round(totals.halstead_volume, 6),
                       round(totals.maintainability, 6))}


def analyse(text: str, language: str, profile: tuple[str, str] = PROFILES[0]) -> dict:
    config = Config()
    config.values["cyclomatic_profile"], config.values["maintainability_profile"] = profile
    return summary(analyze_bytes(text.encode(), f"sample.{EXTENSION[language]}", config))


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p[0])
@pytest.mark.parametrize("ending", ["\r\n", "\r", "mixed"], ids=["crlf", "cr", "mixed"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_line_endings_give_the_lf_results(language: str, ending: str, profile: tuple[str, str]) -> None:
    text = LINE_ENDING_SAMPLES[language]
    expected = analyse(text, language, profile)
    assert len(expected["functions"]) >= 2, "the sample must hold functions to compare"
    assert analyse(with_line_endings(text, ending), language, profile) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_nul_byte_after_the_binary_sniff_changes_no_function(language: str) -> None:
    """A NUL before BINARY_SNIFF_BYTES makes the file binary; one later is read as a space."""
    text = LINE_ENDING_SAMPLES[language]
    comment = "#" if language in ("python", "ruby") else "//"
    padding = f"{comment} {'x' * 70}\n" * (BINARY_SNIFF_BYTES // 70 + 1)
    late_nul = text.replace("\n", f"\n{padding}{comment} \0\n", 1)
    clean = text.replace("\n", f"\n{padding}{comment}  \n", 1)
    assert late_nul.index("\0") > BINARY_SNIFF_BYTES
    assert analyse(late_nul, language)["functions"] == analyse(clean, language)["functions"]


def _change(start: tuple[int, int], end: tuple[int, int], text: str) -> SimpleNamespace:
    return SimpleNamespace(range=t.Range(start=t.Position(*start), end=t.Position(*end)), text=text)


def test_document_positions_count_lone_cr_crlf_and_lf_as_line_ends() -> None:
    doc = Document(uri="file:///x.py", path="/x.py", language="python", version=1, text="a\rbb\r\nccc\nd")
    # LSP lines: "a", "bb", "ccc", "d"
    assert [doc.line_text(n) for n in range(4)] == ["a", "bb\r", "ccc", "d"]
    assert doc.offset_at(1, 1) == 3 and doc.offset_at(3, 0) == 10
    doc.apply_change(_change((1, 0), (1, 0), "X"))       # on the line after the lone CR
    assert doc.text == "a\rXbb\r\nccc\nd"
    doc.apply_change(_change((0, 1), (1, 0), ""))       # join the first two lines: the CR goes
    assert doc.text == "aXbb\r\nccc\nd"
    assert doc.pending_edits is None, "an edit touching a CR is parsed from scratch"


@pytest.mark.asyncio
async def test_editor_diagnostics_land_on_the_right_line_of_a_lone_cr_file(tmp_path) -> None:
    """The hotspot is on LSP line 17 (0-based) of the Python sample, whatever its line endings."""
    text = with_line_endings(LINE_ENDING_SAMPLES["python"], "\r")
    async with running_server(tmp_path, init_options={"debounce_ms": 0}) as (client, recorder):
        uri = open_doc(client, tmp_path / "sample.py", text)
        params = await recorder.wait_publish(uri)
        lines = {d.range.start.line for d in params.diagnostics if d.code == "py-os-system"}
        assert lines == {17}, [(d.code, d.range.start.line) for d in params.diagnostics]
