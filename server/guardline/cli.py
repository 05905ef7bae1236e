"""Command line: `guardline check | explain | serve | demo | report | baseline`.

A thin layer over the analysis core. Exit codes: 0 pass, 1 quality gate failed, 2 usage or
configuration error (argparse also exits 2 on bad usage).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from typing import Any, Sequence

from guardline import __version__
from guardline.config import Config, ConfigError
from guardline.errors import UsageError
from guardline.model import FileResult, Finding
from guardline.notes import RunNotes, new_run, run_notes


EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 128 + 13      # as a process killed by SIGPIPE: the output did not reach its reader
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2, "hint": 3}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guardline", description="Code quality by origin (AI vs human).")
    parser.add_argument("--version", action="version", version=f"guardline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="analyse files or folders and apply the quality gate")
    check.add_argument("paths", nargs="*", help="files or folders (default: the current folder)")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument("--base", metavar="REF", help="only functions changed since the merge-base with REF")
    check.add_argument("--context", action="store_true", help="with --base: also show unchanged findings as context")
    check.add_argument("--allow-empty", action="store_true", help="exit 0 when nothing is selected")
    check.add_argument("--no-cache", action="store_true", help="do not read or write .guardline/ caches")
    check.add_argument("--no-origin", action="store_true", help="skip git origin attribution")
    check.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    check.add_argument("--baseline", metavar="FILE", help="fail only on findings not in this baseline")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("-v", "--verbose", action="store_true", help="say which config and evidence applied")

    explain = sub.add_parser("explain", help="per-increment breakdown of a function's scores")
    explain.add_argument("target", help="FILE or FILE:LINE (default: every function in FILE)")
    explain.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    serve = sub.add_parser("serve", help="run the language server (stdio)")
    serve.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead (loopback addresses only)")
    serve.add_argument("--log-file", metavar="FILE")

    demo = sub.add_parser("demo", help="create a demo repository with AI-tagged history")
    demo.add_argument("dir", nargs="?", default="guardline-demo")
    demo.add_argument("--force", action="store_true", help="recreate it if it exists")

    report = sub.add_parser("report", help="code quality by origin: AI vs human, delta, trend")
    report.add_argument("path", nargs="?", default=".")
    report.add_argument("--format", choices=("text", "json", "md", "html"), default="text")
    report.add_argument("--since", metavar="DATE")
    report.add_argument("--output", "-o", metavar="FILE")
    report.add_argument("--no-trend", action="store_true")
    report.add_argument("--coverage", metavar="FILE", help="coverage report (Cobertura XML, lcov, coverage.py JSON)")

    from guardline.org.cli import add_parser as add_org_parser
    add_org_parser(sub)

    baseline = sub.add_parser("baseline", help="write .guardline-baseline.json from the current findings")
    baseline.add_argument("paths", nargs="*")
    baseline.add_argument("--output", "-o", default=None)
    baseline.add_argument("--ratchet", action="store_true",
                          help="only lower the recorded values of findings that improved; drop fixed ones, add none")
    _agent_commands(sub)
    return parser


def _agent_commands(sub: Any) -> None:
    """`hook`, `mcp`, `agents`: the agent gate and provenance recorder (guardline.agents)."""
    hook = sub.add_parser("hook", help="agent hook: check an edit, record it as AI-written (reads stdin)")
    hook.add_argument("host", help="claude | cursor | codex | gemini | copilot | vscode | cline | aider | windsurf")
    hook.add_argument("files", nargs="*", help="aider: the edited file(s)")
    hook.add_argument("--event", help="the hook event, for hosts whose payload does not name it")
    hook.add_argument("--model", help="the model, for hosts that do not send it (aider)")
    hook.add_argument("--stop-rounds", type=int, default=3, help="turn-end gate: blocks in a row at most (default 3)")
    mcp = sub.add_parser("mcp", help="run the MCP server (stdio) with check and provenance tools")
    mcp.add_argument("--root", help="workspace root (default: the current folder's)")
    agents = sub.add_parser("agents", help="install or remove guardline's hooks and MCP server in an agent")
    agents.add_argument("action", choices=("install", "uninstall"))
    agents.add_argument("host", help="claude | cursor | codex | gemini | copilot | vscode | cline | aider | windsurf")
    agents.add_argument("--user", action="store_true", help="user settings instead of the project's")
    agents.add_argument("--print", dest="print_only", action="store_true", help="print the configuration, write nothing")
    agents.add_argument("--stop-gate", action="store_true", help="also install the turn-end gate")
    agents.add_argument("--no-mcp", action="store_true", help="hooks only, no MCP server registration")
    agents.add_argument("--command", dest="exe", default="guardline", help="how the host runs guardline (default: guardline)")
    agents.add_argument("--root", default=".", help="the project (default: the current folder)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = COMMANDS[args.command]
    new_run()
    try:
        code = handler(args)
        if not sys.stdout.closed:   # `serve`: the protocol closed it on `exit`
            sys.stdout.flush()   # a closed pipe shows here, not at interpreter exit
        return code
    except (ConfigError, UsageError) as exc:
        print(f"guardline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _broken_pipe()
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error becomes exit 3
        return _internal_error(exc, getattr(args, "verbose", False))


def _broken_pipe() -> int:
    """The reader went away (`guardline check | head -0`): Python's documented handling (docs: signal,
    "Note on SIGPIPE") — point stdout at /dev/null so the exit flush cannot fail again — and an exit
    code that is not a gate result."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    print("guardline: error: output not delivered: the pipe was closed by its reader", file=sys.stderr)
    return EXIT_BROKEN_PIPE


def _internal_error(exc: BaseException, verbose: bool) -> int:
    first = (str(exc).strip().splitlines() or [""])[0]
    print(f"guardline: internal error: {type(exc).__name__}: {first}"
          + ("" if verbose else " (run with -v for the traceback)"), file=sys.stderr)
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    return EXIT_INTERNAL


# ----------------------------------------------------------------------------- check
def run_check(args: argparse.Namespace) -> int:
    from guardline.processes import batch_gc
    from guardline.workspace import Workspace

    batch_gc()

    paths = args.paths or ["."]
    workspace = Workspace.for_paths(paths, use_cache=not args.no_cache, jobs=args.jobs,
                                    with_origin=not args.no_origin)
    root, config = workspace.root, workspace.config
    if args.verbose:
        print(f"guardline {__version__}: root {root}; config {config.source or '(defaults, no config file)'}",
              file=sys.stderr)
    if not args.no_origin:
        workspace.gather_notes()
    files, selection = workspace.select(paths, args.base)
    if not files and not args.allow_empty:
        what = f"changed since {args.base}" if args.base else "under " + ", ".join(paths)
        print(f"guardline: error: no analysable files {what} (use --allow-empty to accept this)", file=sys.stderr)
        return EXIT_USAGE
    # with --base the clone index still covers every file: a changed file's copy of unchanged code is a clone
    run = workspace.check(files, selection, context=args.context, baseline=args.baseline,
                          clone_files=workspace.discover(paths) if selection is not None else None)
    pretty = args.output is None and sys.stdout.isatty()
    output = render(args.format, root, run.results, run.gate, run.baseline, verbose=args.verbose, pretty=pretty,
                    config=config)
    _emit(output, args.output)
    return EXIT_FAIL if run.gate == "fail" else EXIT_PASS


def _emit(text: str, output: str | None) -> None:
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def render(fmt: str, root: str, results: list[FileResult], gate: str, baseline_state: Any = None,
           verbose: bool = False, pretty: bool = True, config: Config | None = None,
           notes: RunNotes | None = None) -> str:
    """``notes``: the run notes to say once (default: the current run's)."""
    notes = notes if notes is not None else run_notes()
    if fmt == "json":
        return _json_text(to_json(root, results, gate, baseline_state, config, notes), pretty)
    if fmt == "sarif":
        from guardline.sarif import to_sarif
        return _json_text(to_sarif(root, results, notes), pretty)
    return to_text(results, gate, baseline_state, verbose, config, notes)


def _json_text(document: Any, pretty: bool) -> str:
    """Indented for a person at a terminal; compact otherwise (json's indenting encoder is pure
    Python, ~10x slower: 3.9 s of a 4 s warm check of the stdlib went into it)."""
    return json.dumps(document, indent=2 if pretty else None) + "\n"


def to_json(root: str, results: list[FileResult], gate: str, baseline_state: Any = None,
            config: Config | None = None, notes: RunNotes | None = None) -> dict[str, Any]:
    """The `check --format json` document; its schema ships as guardline/data/check-result.schema.json
    (docs/ci.md). ``summary`` counts findings by severity and files by outcome, each named for what
    it counts."""
    from guardline.workspace import failing

    files = [r.to_json() for r in results]
    failing_findings = sum(1 for r in results for f in r.findings if config is not None and failing(f, config))
    out: dict[str, Any] = {
        "tool": "guardline", "version": __version__, "schema": 2, "root": root, "files": files,
        "summary": {
            "files": len(results),
            "files_not_analysed": sum(1 for r in results if r.error),
            "files_with_findings": sum(1 for r in results if r.findings),
            "functions": sum(len(r.functions) for r in results),
            "findings": sum(len(r.findings) for r in results),
            "findings_by_severity": severity_counts(results),
            "findings_failing_gate": failing_findings,
            "gate": gate,
        },
    }
    if baseline_state is not None:
        out["baseline"] = baseline_state.to_json()
    if notes:
        out["notes"] = notes.to_json()
    return out


def to_text(results: list[FileResult], gate: str, baseline_state: Any = None, verbose: bool = False,
            config: Config | None = None, notes: RunNotes | None = None) -> str:
    """Findings in AI-written code first, across all files (they face the stricter limits), then the
    rest; within a section by file, then line. Each section names itself only when both are present."""
    ai, other = _by_origin(results)
    lines: list[str] = []
    detailed: set[str] = set()       # -v details go under a file's first listing only
    if ai:
        lines.append("AI-written code (AI limits):")
        for result, found in ai:
            lines += _file_lines(result, found, verbose, config, detailed)
        if any(found or r.error or verbose for r, found in other):
            lines.append("Other code:")
    for result, found in other:
        if result.error:
            lines.append(f"{result.path}: not analysed: {result.error}")
        elif found or (verbose and result.path not in detailed):
            lines += _file_lines(result, found, verbose, config, detailed)
    lines += notes.lines() if notes else []
    lines.append(_summary_line(results, gate, baseline_state))
    return "\n".join(lines) + "\n"


Section = list[tuple[FileResult, list[Finding]]]


def _by_origin(results: list[FileResult]) -> tuple[Section, Section]:
    """(files with their AI-written findings, every file with its other findings)."""
    ai: Section = []
    other: Section = []
    for result in results:
        mine = [f for f in result.findings if f.origin == "ai"]
        if mine and not result.error:
            ai.append((result, mine))
        other.append((result, [f for f in result.findings if f.origin != "ai"]))
    return ai, other


def _file_lines(result: FileResult, found: list[Finding], verbose: bool, config: Config | None,
                detailed: set[str]) -> list[str]:
    lines = [result.path]
    if verbose and result.path not in detailed:
        detailed.add(result.path)
        lines += [f"  note: {note}" for note in result.notes]
        lines += [f"  {line}" for line in config.describe_overrides(result.path)] if config else []
        lines += _origin_lines(result)
    for finding in sorted(found, key=_text_order):
        origin = "  [AI]" if finding.origin == "ai" else ""
        lines.append(f"  {finding.start_line}:{finding.start_column + 1}  {finding.severity:<7} "
                     f"{finding.rule:<16} {finding.message}{origin}")
    return lines


def _summary_line(results: list[FileResult], gate: str, baseline_state: Any) -> str:
    counts = severity_counts(results)
    functions = sum(len(r.functions) for r in results)
    summary = (f"{len(results)} files, {functions} functions: {counts['error']} errors, "
               f"{counts['warning']} warnings, {counts['info']} info, {counts['hint']} hints — "
               f"gate {gate.upper()}")
    if baseline_state is not None:
        summary += f" ({baseline_state.summary()})"
    return summary


def severity_counts(results: list[FileResult]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITY_RANK}
    for result in results:
        for finding in result.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts


def _origin_lines(result: FileResult) -> list[str]:
    """`check -v`: which origin each function got and on what evidence."""
    from guardline.origin import describe_function_origin

    return [f"  origin {fn.qualified_name} (line {fn.start_line}): {describe_function_origin(fn)}"
            for fn in result.functions if fn.origin != "unknown" or fn.ai_share]


def _text_order(finding: Finding) -> tuple[int, int]:
    return (finding.start_line, SEVERITY_RANK.get(finding.severity, 9))


# ----------------------------------------------------------------------------- explain
def run_explain(args: argparse.Namespace) -> int:
    from guardline.explain import format_markdown, format_text, function_at_line
    from guardline.workspace import Workspace

    path, line = _split_target(args.target)
    if not os.path.isfile(path):
        raise UsageError(f"no such file: {path}")
    workspace = Workspace.for_paths([path])
    with open(path, "rb") as fh:
        raw = fh.read()
    result = workspace.analyse_bytes(raw, os.path.relpath(path, workspace.root),
                                     file_origin=workspace.file_origin(os.path.abspath(path)))
    if result.error:
        raise UsageError(f"{path}: {result.error}")
    functions = result.functions
    if line is not None:
        fn = function_at_line(functions, line)
        if fn is None:
            raise UsageError(f"{path}:{line} is not inside a function")
        functions = [fn]
    if args.format == "json":
        print(json.dumps([{**f.to_json(), "increments": [vars_of(i) for i in f.increments]} for f in functions],
                         indent=2))
    else:
        fmt = format_markdown if args.format == "markdown" else format_text
        print("\n\n".join(fmt(f) for f in functions) if functions else f"{path}: no functions")
    return EXIT_PASS


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _split_target(target: str) -> tuple[str, int | None]:
    head, sep, tail = target.rpartition(":")
    if sep and tail.isdigit() and head:
        return head, int(tail)
    return target, None


# ----------------------------------------------------------------------------- others
def run_serve(args: argparse.Namespace) -> int:
    from guardline.lsp.server import main as serve_main

    argv: list[str] = []
    if args.tcp:
        argv += ["--tcp", args.tcp]
    if args.log_file:
        argv += ["--log-file", args.log_file]
    return serve_main(argv)


def run_demo(args: argparse.Namespace) -> int:
    from guardline.demo import create_demo

    try:
        path = create_demo(os.path.abspath(args.dir), force=args.force)
    except (FileExistsError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    except OSError as exc:
        raise UsageError(f"cannot create the demo in {args.dir}: {exc.strerror}") from exc
    print(f"demo repository: {path}")
    print(f"next: guardline report {path}   |   guardline check {path}")
    return EXIT_PASS


def run_report(args: argparse.Namespace) -> int:
    from guardline.report import main as report_main

    return report_main(args)


def run_baseline(args: argparse.Namespace) -> int:
    """`guardline baseline [--ratchet]`: write today's findings (or lower the recorded values) to the file."""
    from guardline.baseline import BASELINE_FILE, dump, ratchet, recorded_for_ratchet
    from guardline.processes import batch_gc
    from guardline.workspace import Workspace

    batch_gc()

    paths = args.paths or ["."]
    workspace = Workspace.for_paths(paths)
    workspace.gather_notes()
    files = workspace.discover(paths)
    items = workspace.baseline_entries(files)
    target = args.output or os.path.join(workspace.root, BASELINE_FILE)
    if args.ratchet:
        items, lowered = ratchet(recorded_for_ratchet(target), items)
        print(f"ratcheted {target}: {len(items)} findings kept, {lowered} values lowered")
    else:
        print(f"wrote {target}: {len(items)} findings in {len(files)} files")
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(dump(items))
    for line in run_notes().lines():
        print(f"guardline: {line}", file=sys.stderr)
    return EXIT_PASS


def run_hook(args: argparse.Namespace) -> int:
    from guardline.agents.hook import HookOptions, run_hook as hook_main
    from guardline.agents.hosts import HOSTS, host_named

    host = host_named(args.host)
    if host is None:
        raise UsageError(f"unknown host '{args.host}' (one of: {', '.join(sorted(HOSTS))})")
    stdin = b"" if host.NAME == "aider" else sys.stdin.buffer.read()
    out = hook_main(HookOptions(args.host, list(args.files), args.event, args.model,
                               stop_rounds=max(0, args.stop_rounds)), stdin)
    sys.stdout.write(out.stdout)
    sys.stdout.flush()
    return out.exit_code


def run_mcp(args: argparse.Namespace) -> int:
    from guardline.agents.mcp_server import serve

    try:
        import mcp  # noqa: F401
    except ImportError as exc:
        raise UsageError("the MCP SDK is not installed: pip install 'mcp>=2.3,<3'") from exc
    return serve(args.root)


def run_agents(args: argparse.Namespace) -> int:
    from guardline.agents.install import InstallError, run

    try:
        return run(args)
    except InstallError as exc:
        raise UsageError(str(exc)) from exc


def run_org(args: argparse.Namespace) -> int:
    from guardline.org.cli import run

    return run(args)


COMMANDS = {"org": run_org, "check": run_check, "explain": run_explain, "serve": run_serve, "demo": run_demo,
            "report": run_report, "baseline": run_baseline, "hook": run_hook, "mcp": run_mcp,
            "agents": run_agents}


if __name__ == "__main__":
    raise SystemExit(main())
