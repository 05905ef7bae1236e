"""`guardline org REPO... | --repos FILE` and `guardline org merge REPORT.json...`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from guardline.org.progress import Progress
from guardline.org.sources import (
    RepoSource, SourceError, collect_sources, default_name, parse_repos_file, unique_names,
)

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE = 0, 1, 2
GENERIC_STEMS = ("report", "guardline-report", "guardline")   # then the report's own root names it


def add_parser(sub: Any) -> None:
    org = sub.add_parser("org", help="the quality-by-origin dashboard across many repositories (Ray)",
                         description="guardline org REPO... | --repos FILE   (analyse on Ray)\n"
                                     "guardline org merge REPORT.json...   (merge reports, no Ray)",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    org.add_argument("repos", nargs="*", metavar="REPO", help="paths or git URLs (or `merge` REPORT.json...)")
    org.add_argument("--repos", dest="repos_file", metavar="FILE",
                     help="one repository per line: LOCATION [TEAM]")
    org.add_argument("--output", "-o", default="guardline-org", metavar="DIR")
    org.add_argument("--address", metavar="ADDR", help="an existing Ray cluster: `auto` or ray://host:port "
                                                       "(default: a local cluster in this process)")
    org.add_argument("--cpus-per-task", type=float, default=1.0)
    org.add_argument("--memory-per-task", type=int, default=2048, metavar="MB")
    org.add_argument("--timeout", type=float, default=1800.0, metavar="SECONDS", help="per repository")
    org.add_argument("--retries", type=int, default=2, help="retries of a task whose worker failed")
    org.add_argument("--since", metavar="DATE")
    org.add_argument("--no-trend", action="store_true")
    org.add_argument("--cache-dir", metavar="DIR", help="cached clones (default: the user cache directory)")


def run(args: argparse.Namespace) -> int:
    if args.repos and args.repos[0] == "merge":
        return run_merge(args.repos[1:], args)
    return run_analyse(args)


def run_analyse(args: argparse.Namespace) -> int:
    from guardline.org.clones import user_cache_dir
    from guardline.org.runner import ClusterOptions, RayMissing, run_on_ray
    from guardline.org.task import TaskOptions

    try:
        sources = collect_sources(args.repos, args.repos_file, os.getcwd())
    except SourceError as exc:
        return _usage(str(exc))
    cache_root = os.path.abspath(args.cache_dir or os.path.join(user_cache_dir(), "org"))
    os.makedirs(cache_root, exist_ok=True)
    options = TaskOptions(cache_root=cache_root, since=args.since, trend=not args.no_trend)
    cluster = ClusterOptions(address=args.address, cpus_per_task=args.cpus_per_task,
                             memory_per_task_mb=args.memory_per_task, retries=args.retries, timeout_s=args.timeout)
    progress = Progress(len(sources))
    output = os.path.abspath(args.output)       # the runner works from a folder of its own
    try:
        outcomes = run_on_ray(sources, options, cluster, progress)
    except RayMissing as exc:
        return _usage(str(exc))
    return _write_outputs(outcomes, output)


def run_merge(paths: list[str], args: argparse.Namespace) -> int:
    if not paths:
        return _usage("org merge: give the per-repository report JSON files (guardline report --format json)")
    teams = _teams(args.repos_file)
    outcomes = []
    for path in paths:
        outcome = _outcome_from_file(path, teams)
        if outcome is None:
            return EXIT_USAGE
        outcomes.append(outcome)
    return _write_outputs(_unique(outcomes), args.output)


def _teams(repos_file: str | None) -> dict[str, str]:
    if not repos_file:
        return {}
    try:
        return {src.name: src.team for src in parse_repos_file(repos_file)}
    except SourceError as exc:
        print(f"guardline: error: {exc}", file=sys.stderr)
        return {}


def _outcome_from_file(path: str, teams: dict[str, str]) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            report = json.load(fh)
    except (OSError, ValueError) as exc:
        _usage(f"{path}: not a report JSON file: {exc}")
        return None
    if not isinstance(report, dict) or not str(report.get("schema_version", "")).startswith("guardline-report/"):
        _usage(f"{path}: not a guardline report (no schema_version guardline-report/N): "
               "make it with `guardline report --format json`")
        return None
    stem = os.path.basename(path).removesuffix(".json")
    generic = stem in GENERIC_STEMS and report.get("root")
    name = default_name(str(report["root"])) if generic else default_name(stem)
    return {"name": name, "location": path, "team": teams.get(name, ""), "status": "ok", "error": None,
            "head": report.get("head"), "cached": False, "report": report}


def _unique(outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = unique_names([RepoSource(o["name"], o["location"]) for o in outcomes])
    return [dict(o, name=src.name) for o, src in zip(outcomes, names)]


def _write_outputs(outcomes: list[dict[str, Any]], output: str) -> int:
    from guardline.org.merge import merge
    from guardline.org.render import render_html, render_json, render_markdown

    os.makedirs(os.path.join(output, "repos"), exist_ok=True)
    for outcome in outcomes:
        if outcome.get("status") == "ok":
            _write(os.path.join(output, "repos", f"{outcome['name']}.json"), json.dumps(outcome["report"], indent=2) + "\n")
    doc = merge(outcomes)
    _write(os.path.join(output, "org.json"), render_json(doc))
    _write(os.path.join(output, "org.md"), render_markdown(doc))
    _write(os.path.join(output, "org.html"), render_html(doc))
    ok = sum(o.get("status") == "ok" for o in outcomes)
    print(f"guardline org: {ok} of {len(outcomes)} repositories analysed"
          + (f", {len(outcomes) - ok} failed (see {output}/org.md)" if ok < len(outcomes) else "")
          + f"; dashboard: {os.path.abspath(os.path.join(output, 'org.html'))}")
    for failed in doc["failed"]:
        print(f"guardline org: failed: {failed['name']}: {failed['error']}", file=sys.stderr)
    return EXIT_OK if ok == len(outcomes) else EXIT_INCOMPLETE


def _write(path: str, text: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _usage(message: str) -> int:
    print(f"guardline: error: {message}", file=sys.stderr)
    return EXIT_USAGE


__all__ = ["add_parser", "run", "RepoSource"]
