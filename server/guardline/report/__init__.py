"""`guardline report`: code quality by origin (AI vs human), delta, history and trend.

Public API: ``main(args) -> int``, ``build_report(root, config, *, trend=True, since=None) -> dict``,
``render(report, fmt, tty=False) -> str``, ``write_html(root, config) -> str``."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from typing import TYPE_CHECKING, Any, Callable

from guardline.config import Config
from guardline.origin.records import FileOrigin, LineOrigin
from guardline.report.document import document
from guardline.report.html import render_html
from guardline.report.render import render_json, render_md, render_text
from guardline.report.snapshot import CAVEAT, snapshot
from guardline.workspace import Workspace

if TYPE_CHECKING:
    from guardline.report.warm import WarmKey

__all__ = ["main", "build_report", "render", "write_html", "CAVEAT"]


def render(report: dict[str, Any], fmt: str, tty: bool = False) -> str:
    """The report in ``fmt``: json, md, html or text (``tty``: colours for a terminal)."""
    if fmt == "json":
        return render_json(report)
    if fmt == "md":
        return render_md(report)
    if fmt == "html":
        return render_html(document(report))
    return render_text(report, tty=tty)


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read().split("\n")
    except OSError:
        return []


def _progress(message: str) -> None:
    print(f"guardline report: {message}", file=sys.stderr, flush=True)


def progress_printer() -> Callable[[str], None]:
    """A progress bar redrawn in place on a terminal, plain lines otherwise (both on stderr)."""
    if not sys.stderr.isatty():
        return _progress
    from guardline.report.progress import Bar

    return Bar(sys.stderr)


def build_snapshot(workspace: Workspace, in_period: Callable[[LineOrigin | None], bool] | None = None
                   ) -> dict[str, Any]:
    """The HEAD snapshot section: every file of the workspace analysed (Workspace.analyse_all) and
    aggregated per origin with each line's origin (report/snapshot.py)."""
    prepared: dict[str, object] = {}
    results = workspace.analyse_all(clone_tokens=prepared)
    if workspace.use_cache:      # the HEAD sample of the trend reads them instead of tokenizing again
        from guardline.report.blobs import share_scan_tokens

        share_scan_tokens(workspace.root, workspace.config, prepared)
    origins: dict[str, FileOrigin] = {}
    texts: dict[str, list[str]] = {}
    for result in results:
        texts[result.path] = _read_lines(os.path.join(workspace.root, result.path))
        file_origin = workspace.file_origin(result.path)
        if file_origin is not None:
            origins[result.path] = file_origin
    snap = snapshot(results, origins, texts, in_period)
    snap["files"] = len(results)
    return snap


def parse_since(value: str | None) -> int | None:
    """``--since`` as epoch seconds (UTC): YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]; ValueError else."""
    if value is None:
        return None
    text = value.strip()
    try:
        when = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ValueError(f"--since: expected a date like 2026-09-14, got {value!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return int(when.timestamp())


def period_filter(root: str, since: int | None) -> Callable[[LineOrigin | None], bool] | None:
    """A LineOrigin predicate: introduced at or after ``since`` (uncommitted lines count as new);
    None when there is no period or no git."""
    if since is None:
        return None
    from guardline.git import GitError
    from guardline.origin.records import ZERO_SHA
    from guardline.report.history import git_text
    from guardline.report.trend import git_date

    try:
        recent = set(git_text(root, ["log", f"--since={git_date(since)}", "--format=%H", "HEAD", "--"]).split())
    except GitError:
        return None
    return lambda rec: rec is None or rec.commit is None or rec.commit == ZERO_SHA or rec.commit in recent


def build_report(root: str, config: Config, *, trend: bool = True, since: str | None = None,
                 progress: Callable[[str], None] = _progress, coverage_file: str | None = None) -> dict[str, Any]:
    """The report dict (sections with their units, and ``rows``); ValueError for a bad ``since`` or
    an unreadable ``coverage_file``. ``notes``: the run notes (guardline/notes.py) gathered for this
    report, said once in every format."""
    workspace = Workspace(root, config)
    root = workspace.root
    workspace.gather_notes()
    since_epoch = parse_since(since)
    warm, key = _warm_lookup(root, config, {"trend": trend, "since": since, "coverage_file": coverage_file})
    if warm is not None:
        progress("nothing changed since the last report: read from .guardline/")
        return warm
    report = _compute(workspace, trend, since, since_epoch, progress, coverage_file)
    if key is not None:
        _warm_store(root, key, report)
    return report


def _warm_lookup(root: str, config: Config, args: dict[str, Any]) -> tuple[dict[str, Any] | None, WarmKey | None]:
    """(stored report, key) for these inputs (report/warm.py); (None, key) when none is stored."""
    from guardline.report.warm import WarmStore, inputs_key

    key = inputs_key(root, config, args)
    if key is None:
        return None, None
    store = WarmStore(root)
    try:
        return store.get(key), key
    finally:
        store.close()


def _warm_store(root: str, key: WarmKey, report: dict[str, Any]) -> None:
    from guardline.report.warm import WarmStore

    store = WarmStore(root)
    try:
        store.put(key, report)
    finally:
        store.close()


def _compute(workspace: Workspace, trend: bool, since: str | None, since_epoch: int | None,
             progress: Callable[[str], None], coverage_file: str | None) -> dict[str, Any]:
    from guardline.notes import run_notes
    from guardline.report import extras

    root = workspace.root
    in_period = period_filter(root, since_epoch)
    progress("snapshot: analysing the working tree")
    report: dict[str, Any] = {"root": root, "since": since, "caveat": CAVEAT,
                              "snapshot": build_snapshot(workspace, in_period)}
    extras.add(report, workspace, trend=trend, since=since, progress=progress,
               coverage_file=coverage_file, in_period=in_period, since_epoch=since_epoch)
    progress("rows: intervals")
    report["rows"] = _rows(report, root)
    report["notes"] = run_notes().to_json()
    return report


def _rows(report: dict[str, Any], root: str) -> list[dict[str, Any]]:
    from guardline.report.rows import build_rows, sprint_units
    from guardline.stores import state_folder
    from guardline.report.stats import IntervalCache

    trend = report.get("trend") or {}
    sections, notes = {}, {}
    for name in ("snapshot", "coverage", "history", "gate"):
        part = report.get(name) or {}
        sections[name] = part.get("units")
        notes[name] = part.get("note") or f"no {name} data"
    if trend.get("samples"):
        sections["sprints"] = sprint_units(trend.get("sprints") or [])
    notes["sprints"] = trend.get("note") or "needs at least one full sprint of trend samples"
    folder = state_folder(root)         # None: no caching (one run note), the intervals are computed
    cache = IntervalCache(os.path.join(folder, "report.sqlite") if folder else None)
    try:
        return build_rows(sections, notes, trend.get("samples") or [], cache)
    finally:
        cache.close()


def write_html(root: str, config: Config, progress: Callable[[str], None] | None = None) -> str:
    """Write `<root>/.guardline/report.html` and return its path (language server: guardline.openReport,
    which passes ``progress`` to turn the messages into `$/progress`)."""
    from guardline.cache import state_dir
    from guardline.notes import new_run

    new_run()        # the language server's report: its own notes, not those of an earlier one
    report = build_report(root, config, progress=progress or (lambda _m: None))
    path = os.path.join(state_dir(os.path.abspath(root)), "report.html")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render(report, "html"))
    return path


def main(args: argparse.Namespace) -> int:
    from guardline.config import ConfigError, load_config

    root = os.path.abspath(getattr(args, "path", ".") or ".")
    if not os.path.isdir(root):
        print(f"guardline report: not a directory: {root}", file=sys.stderr)
        return 2
    try:
        config = load_config(root)
    except ConfigError as exc:
        print(f"guardline report: {exc}", file=sys.stderr)
        return 2
    try:
        parse_since(getattr(args, "since", None))          # usage errors before any work
        coverage_file = getattr(args, "coverage", None)
        if coverage_file and not os.path.isfile(coverage_file):
            raise ValueError(f"cannot read coverage report {coverage_file}: no such file")
    except ValueError as exc:
        print(f"guardline report: {exc}", file=sys.stderr)
        return 2
    progress = progress_printer()
    try:
        report = build_report(root, config, trend=not getattr(args, "no_trend", False),
                              since=getattr(args, "since", None), progress=progress,
                              coverage_file=getattr(args, "coverage", None))
    except ValueError as exc:
        print(f"guardline report: {exc}", file=sys.stderr)
        return 2
    finally:
        getattr(progress, "done", lambda: None)()
    fmt = getattr(args, "format", "text") or "text"
    output = getattr(args, "output", None)
    text = render(report, fmt, tty=output is None and sys.stdout.isatty())
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0
