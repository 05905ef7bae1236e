"""The shape of a reported clone: whole statements in every language, and long string literals
(templates, embedded scripts) that are different code, not a renamed clone of each other."""

from __future__ import annotations

import pytest

from guardline.config import Config
from guardline.duplication import CloneIndex, tokenize
from guardline.parsing import parse

# language -> (extension, wrapper with {name} and {body}, statement with {lhs} and {expr})
LANGUAGES = {
    "python": ("py", "def {name}(x, offset):\n{body}\n", "    {lhs} = {expr}"),
    "go": ("go", "package p\n\nfunc {name}(x int) int {{\n{body}\n\treturn 0\n}}\n", "\t{lhs} := {expr}"),
    "javascript": ("js", "function {name}(x) {{\n{body}\n}}\n", "  const {lhs} = {expr};"),
    "typescript": ("ts", "function {name}(x: number): void {{\n{body}\n}}\n", "  const {lhs} = {expr};"),
    "java": ("java", "class {name} {{\n  int run(int x) {{\n{body}\n    return 0;\n  }}\n}}\n",
             "    int {lhs} = {expr};"),
    "c": ("c", "int {name}(int x) {{\n{body}\n  return 0;\n}}\n", "  int {lhs} = {expr};"),
    "cpp": ("cpp", "int {name}(int x) {{\n{body}\n  return 0;\n}}\n", "  auto {lhs} = {expr};"),
    "csharp": ("cs", "class {name} {{\n  int Run(int x) {{\n{body}\n    return 0;\n  }}\n}}\n",
               "    var {lhs} = {expr};"),
    "rust": ("rs", "fn {name}(x: i32) -> i32 {{\n{body}\n    0\n}}\n", "    let {lhs} = {expr};"),
    "ruby": ("rb", "def {name}(x)\n{body}\nend\n", "  {lhs} = {expr}"),
    "php": ("php", "<?php\nfunction {name}($x) {{\n{body}\n}}\n", "  ${lhs} = {expr};"),
}
SHARED = [f"compute({i}, {i + 2}) + scale({i}) * {i + 1}" for i in range(8)]


def clone_pair_source(language: str, name: str, head: str, tail: str) -> tuple[str, list[str]]:
    """A function of a head statement, the 8 shared statements and a tail statement (its lines too)."""
    _ext, wrapper, statement = LANGUAGES[language]
    lines = [statement.format(lhs="p", expr=head)]
    lines += [statement.format(lhs=f"v{i}", expr=expr) for i, expr in enumerate(SHARED)]
    lines.append(statement.format(lhs="q", expr=tail))
    return wrapper.format(name=name, body="\n".join(lines)), lines


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_clone_starts_and_ends_with_whole_statements(language):
    # The tokens match from inside the head statement (`... ) + beta(3)`: its end equals the other copy's)
    # to inside the tail statement (`gamma(4) * delta(5` before `, 6` / `)`): mid-expression at both ends.
    # Reported, the clone is the 8 whole statements in between, in both copies.
    ext = LANGUAGES[language][0]
    a_text, a_lines = clone_pair_source(language, "fa", "alpha(1, 2) + beta(3)", "gamma(4) * delta(5, 6)")
    b_text, _ = clone_pair_source(language, "fb", "other(7) + beta(3)", "gamma(4) * delta(5)")
    index = CloneIndex(None, Config())
    index.add(f"/ws/a.{ext}", tokenize(parse(a_text, language)))
    index.add(f"/ws/b.{ext}", tokenize(parse(b_text, language)))
    clones = index.query(f"/ws/a.{ext}")
    assert len(clones) == 1, f"{language}: one clone pair, got {[c.to_json() for c in clones]}"
    [clone] = clones
    first = a_text.splitlines().index(a_lines[1]) + 1   # 1-based line of the first shared statement
    last = first + len(SHARED) - 1
    indent = len(a_lines[1]) - len(a_lines[1].lstrip())
    for side in (clone.a, clone.b):
        assert (side.start_line, side.start_column) == (first, indent), \
            f"{language}: starts at the first shared statement, not inside the head statement's expression"
        assert (side.end_line, side.end_column) == (last, len(a_lines[-2])), \
            f"{language}: ends with the last shared statement (its `;` included), not inside the tail statement"


def test_a_clone_through_the_end_of_a_block_keeps_the_larger_run_of_sibling_statements():
    # a: if-block of 3 statements then 6 at function level; b: the 9 statements all at function level.
    # (Braces languages: the token streams line up through the `}`; whole statements on both sides are the 6.)
    shared = [f"  v{i} = compute({i}, {i + 2}) + scale({i}) * {i + 1};" for i in range(9)]
    a = "function fa(x) {\n  if (x) {\n" + "\n".join(shared[:3]) + "\n  }\n" + "\n".join(shared[3:]) + "\n}\n"
    b = "function fb(x) {\n  if (x) {\n" + "\n".join(shared[:3]) + "\n  }\n" + "\n".join(shared[3:]) + "\n}\n"
    b = b.replace("if (x)", "while (x > 0)")
    index = CloneIndex(None, Config())
    index.add("/ws/a.js", tokenize(parse(a, "javascript")))
    index.add("/ws/b.js", tokenize(parse(b, "javascript")))
    [clone] = index.query("/ws/a.js")
    assert (clone.a.start_line, clone.a.end_line) == (7, 12), \
        "the match starts inside the if's condition; reported: the 6 statements after the if (lines 7-12)"


# ----------------------------------------------------------------------------- long string literals
def bash_template(lines: int) -> str:
    return "\n".join(f'    __%[1]s_debug "line {i}: cur=${{cur}} words=${{words[*]}} cword=${{cword}}"'
                     for i in range(lines))


def fish_template(lines: int) -> str:
    return "\n".join(f"    set -l opt{i} (commandline -opc); and __%[1]s_perform_completion {i}"
                     for i in range(lines))


GO_WRITER = '''package completion

func {name}(buf io.StringWriter, name string, includeDesc bool) {{
	compCmd := ShellCompRequestCmd
	if !includeDesc {{
		compCmd = ShellCompNoDescRequestCmd
	}}
	if activeHelp := activeHelpEnvVar(name); activeHelp != "" && includeDesc {{
		compCmd = compCmd + " " + activeHelp
	}}
	WriteStringAndCheck(buf, fmt.Sprintf(`# {shell} completion for %-36[1]s
{template}
`, name, compCmd, ShellCompDirectiveError, ShellCompDirectiveNoSpace, ShellCompDirectiveNoFileComp,
		ShellCompDirectiveFilterFileExt, ShellCompDirectiveFilterDirs, ShellCompDirectiveKeepOrder,
		activeHelpMarker, activeHelpEnvVar(name), includeDesc, compCmd, name, compCmd))
	WriteStringAndCheck(buf, fmt.Sprintf("# end of %s completion for %s", "{shell}", name))
	for _, extra := range extraCompletions(name, compCmd) {{
		WriteStringAndCheck(buf, extra)
	}}
}}
'''

PY_WRITER = '''def {name}(out, name, include_desc):
    comp_cmd = REQUEST_CMD
    if not include_desc:
        comp_cmd = NO_DESC_REQUEST_CMD
    active_help = active_help_env(name)
    if active_help and include_desc:
        comp_cmd = comp_cmd + " " + active_help
    out.write("""# {shell} completion for %(name)s
{template}
""" % {{"name": name, "cmd": comp_cmd, "error": DIRECTIVE_ERROR, "no_space": DIRECTIVE_NO_SPACE,
        "no_file": DIRECTIVE_NO_FILE, "filter_ext": DIRECTIVE_FILTER_EXT, "dirs": DIRECTIVE_FILTER_DIRS,
        "order": DIRECTIVE_KEEP_ORDER, "marker": ACTIVE_HELP_MARKER, "env": active_help_env(name)}})
    out.write("# end of %s completion for %s" % ("{shell}", name))
    for extra in extra_completions(name, comp_cmd):
        out.write(extra)
'''


@pytest.mark.parametrize("language,writer,ext", [("go", GO_WRITER, "go"), ("python", PY_WRITER, "py")])
def test_two_different_long_templates_are_not_a_renamed_clone(language, writer, ext):
    # The cobra case: bash and fish completion writers, the same code around two different 220-line
    # shell scripts. As one LIT token each, the templates let the whole function match as a "renamed
    # clone" of 220+ lines; their content counts, so nothing matches across them.
    bash = writer.format(name="genBashComp", shell="bash", template=bash_template(220))
    fish = writer.format(name="genFishComp", shell="fish", template=fish_template(220))
    assert len(tokenize(parse(bash, language))) > 100, "enough code around the template for a renamed clone"
    index = CloneIndex(None, Config())
    index.add(f"/ws/bash.{ext}", tokenize(parse(bash, language)))
    index.add(f"/ws/fish.{ext}", tokenize(parse(fish, language)))
    first = next(i for i, line in enumerate(bash.splitlines(), 1) if "# bash completion for" in line)
    across = [(c.kind, c.a.start_line, c.a.end_line) for c in index.query(f"/ws/bash.{ext}")
              if c.a.start_line <= first + 220 and c.a.end_line >= first]
    assert across == [], f"{language}: two different embedded scripts are different code, got clones {across}"

    # control: the same template in a writer of another name is a copy (renamed: the function name), found whole
    twin = writer.format(name="genZshComp", shell="bash", template=bash_template(220))
    index.add(f"/ws/twin.{ext}", tokenize(parse(twin, language)))
    found = [(c.kind, c.b.path) for c in index.query(f"/ws/bash.{ext}") if c.lines >= 220]
    assert found == [("renamed", f"/ws/twin.{ext}")], "the same embedded script twice is a real copy"


def test_short_string_literals_still_normalise_for_renamed_clones():
    # messages differ between the two copies: short literals are LIT, so the copy is a renamed clone
    body = "\n".join(f'    v{i} = check(x, {i}, "value {i} of %s is out of range")' for i in range(12))
    a = f"def fa(x):\n{body}\n    return v0\n"
    b = a.replace("fa(", "fb(").replace("out of range", "too large").replace("x", "y")
    index = CloneIndex(None, Config())
    index.add("/ws/a.py", tokenize(parse(a, "python")))
    index.add("/ws/b.py", tokenize(parse(b, "python")))
    assert [c.kind for c in index.query("/ws/a.py")] == ["renamed"], \
        "12 statements with other messages and names: a renamed clone (short strings are still LIT)"


def test_statement_boundaries_survive_the_stored_index(tmp_path):
    # the CLI and a restarted server read token streams back from .guardline/clones.sqlite: the
    # statement ranges are stored with them, so a loaded index reports the same whole-statement clone
    from guardline.duplication import build_index, load
    a_text, _ = clone_pair_source("python", "fa", "alpha(1, 2) + beta(3)", "gamma(4) * delta(5, 6)")
    b_text, _ = clone_pair_source("python", "fb", "other(7) + beta(3)", "gamma(4) * delta(5)")
    (tmp_path / "a.py").write_text(a_text)
    (tmp_path / "b.py").write_text(b_text)
    built = build_index(str(tmp_path), ["a.py", "b.py"], Config(), processes=1)
    fresh = [(c.a.start_line, c.a.end_line, c.a.start_column, c.tokens) for c in built.query(str(tmp_path / "a.py"))]
    loaded = load(str(tmp_path), Config())
    again = [(c.a.start_line, c.a.end_line, c.a.start_column, c.tokens) for c in loaded.query(str(tmp_path / "a.py"))]
    assert fresh == [(3, 10, 4, 8 * 15)], "lines 3-10: the 8 shared statements, 15 tokens each (v0 = compute ( 0 , 2 ) + scale ( 0 ) * 1)"
    assert again == fresh, "the loaded index has the statement ranges too"
