"""One repository of `guardline org`: update its cached clone, run the per-repository report, keep its JSON.

The result is a plain dict (it crosses process boundaries on Ray). A repository that fails is an
outcome with ``status: "failed"`` and the error, never an exception that would hide the others; only
an unexpected internal error raises (Ray then retries the task).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from guardline.org.clones import Clone, CloneError, update_clone
from guardline.org.sources import RepoSource
from guardline.stamp import code_version

CACHE_FILE = "org-report.json"
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")


@dataclass(frozen=True)
class TaskOptions:
    cache_root: str
    since: str | None = None
    trend: bool = True
    jobs: int = 1                    # worker processes of the repository's own scan (its CPU share)


def analyse_repository(source: RepoSource, options: TaskOptions) -> dict[str, Any]:
    """Clone or update the repository, then its report (from the cache when HEAD and notes are unchanged)."""
    outcome = prepare_repository(source, options)
    return report_prepared(outcome, options) if outcome["status"] == PENDING else outcome


PENDING = "pending"


def prepare_repository(source: RepoSource, options: TaskOptions) -> dict[str, Any]:
    """The git half of a task: clone or fetch, team, and the cached report when it is still valid.

    Status "ok" (cached), "failed" (with the error) or ``PENDING`` (the report must be computed)."""
    started = time.monotonic()
    outcome: dict[str, Any] = {"name": source.name, "location": source.location, "team": source.team,
                               "status": "failed", "error": None, "head": None, "cached": False}
    try:
        clone = update_clone(source, options.cache_root)
        outcome.update(head=clone.head, shallow=clone.shallow, clone=clone.path, key=cache_key(clone, options))
        outcome["team"] = source.team or codeowners_team(clone.path)
        cached = _read_cached(_cache_path(clone.path), outcome["key"])
        if cached is not None:
            outcome.update(report=cached, cached=True, status="ok")
        else:
            outcome["status"] = PENDING
    except CloneError as exc:
        outcome["error"] = str(exc)
    outcome["seconds"] = round(time.monotonic() - started, 2)
    return outcome


def report_prepared(outcome: dict[str, Any], options: TaskOptions) -> dict[str, Any]:
    """The CPU half: the report of a prepared clone, written to its cache."""
    started = time.monotonic()
    outcome = dict(outcome)
    try:
        report = repository_report(outcome["clone"], since=options.since, trend=options.trend, jobs=options.jobs)
        _write_cached(_cache_path(outcome["clone"]), outcome["key"], report)
        outcome.update(report=report, status="ok")
    except ReportError as exc:
        outcome.update(error=str(exc), status="failed")
    outcome["seconds"] = round(outcome.get("seconds", 0.0) + time.monotonic() - started, 2)
    return outcome


class ReportError(Exception):
    """The report of a cloned repository could not be built (e.g. its configuration is invalid)."""


def cache_key(clone: Clone, options: TaskOptions) -> str:
    """Everything the report depends on: the commit (tree, history, config), the notes, our version."""
    parts = [clone.head, clone.notes_state, code_version(), str(options.since), str(options.trend)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _cache_path(clone_path: str) -> str:
    return os.path.join(clone_path, ".guardline", CACHE_FILE)


def repository_report(root: str, *, since: str | None, trend: bool, jobs: int = 1) -> dict[str, Any]:
    """Exactly what `guardline report --format json ROOT` prints, as a dict."""
    from guardline.config import ConfigError, load_config
    from guardline.report import build_report, render

    try:
        config = load_config(root)
    except ConfigError as exc:
        raise ReportError(f"configuration: {exc}") from exc
    os.environ["GUARDLINE_JOBS"] = str(max(1, jobs))
    report = build_report(root, config, trend=trend, since=since, progress=lambda _m: None)
    document: dict[str, Any] = json.loads(render(report, "json"))
    return document


def _read_cached(path: str, key: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    report = data.get("report") if isinstance(data, dict) and data.get("key") == key else None
    return report if isinstance(report, dict) else None


def _write_cached(path: str, key: str, report: dict[str, Any]) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "report": report}, fh)
        os.replace(tmp, path)
    except OSError:
        pass        # no cache this time; the result itself is still returned


def codeowners_team(root: str) -> str:
    """The default owner (`*` rule, last match wins) of the repository's CODEOWNERS, or ""."""
    for rel in CODEOWNERS_PATHS:
        owner = _default_owner(os.path.join(root, rel))
        if owner is not None:
            return owner
    return ""


def _default_owner(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    owner = None
    for line in lines:
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2 and fields[0] in ("*", "/*", "/**"):
            owner = fields[1].lstrip("@")
    return owner
