"""`guardline report`: code quality by origin (AI vs human), delta, history and trend.

Public API: ``main(args) -> int``, ``build_report(root, config, *, trend=True, since=None) -> dict``,
``render(report, fmt, tty=False) -> str``, ``write_html(root, config) -> str``."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from guardline.report.render import render
from guardline.report.snapshot import CAVEAT, snapshot

__all__ = ["main", "build_report", "render", "write_html", "CAVEAT"]


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read().split("\n")
    except OSError:
        return []


def _progress(message: str) -> None:
    print(f"guardline report: {message}", file=sys.stderr, flush=True)


def build_snapshot(root: str, config) -> dict[str, Any]:
    from guardline.cli import collect
    from guardline.scan import discover_files, origin_resolver

    files = discover_files(root, config)
    results = collect(root, files, config)
    resolver = origin_resolver(root, config)
    origins, texts = {}, {}
    for result in results:
        texts[result.path] = _read_lines(os.path.join(root, result.path))
        if resolver is not None:
            origins[result.path] = resolver.resolve(result.path)
    snap = snapshot(results, origins, texts)
    snap["files"] = len(results)
    return snap


def build_report(root: str, config, *, trend: bool = True, since: str | None = None,
                 progress=_progress) -> dict[str, Any]:
    root = os.path.abspath(root)
    report: dict[str, Any] = {"root": root, "snapshot": build_snapshot(root, config), "caveat": CAVEAT}
    _add_optional(report, root, config, trend=trend, since=since, progress=progress)
    return report


def _add_optional(report: dict[str, Any], root: str, config, *, trend: bool, since: str | None,
                  progress) -> None:
    """Coverage, git history (bugs, churn, gate) and trend: each optional, each says why it is missing."""
    try:
        from guardline.report import extras
    except ImportError:
        return
    extras.add(report, root, config, trend=trend, since=since, progress=progress)


def write_html(root: str, config) -> str:
    """Write `<root>/.guardline/report.html` and return its path (language server: guardline.openReport)."""
    from guardline.cache import state_dir

    report = build_report(root, config, progress=lambda _m: None)
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
    report = build_report(root, config, trend=not getattr(args, "no_trend", False),
                          since=getattr(args, "since", None))
    fmt = getattr(args, "format", "text") or "text"
    output = getattr(args, "output", None)
    text = render(report, fmt, tty=output is None and sys.stdout.isatty())
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0
