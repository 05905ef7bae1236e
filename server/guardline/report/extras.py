"""Optional report sections: coverage, git history, trend. Each degrades to a note, never fails the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from guardline.origin.gitlayer import GitError, find_repo
from guardline.workspace import Workspace

if TYPE_CHECKING:
    from guardline.config import Config
    from guardline.origin.records import LineOrigin


def add(report: dict[str, Any], workspace: Workspace, *, trend: bool, since: str | None,
        progress: Callable[[str], None], coverage_file: str | None = None,
        in_period: Callable[[LineOrigin | None], bool] | None = None, since_epoch: int | None = None) -> None:
    from guardline.report import coverage

    root, config = workspace.root, workspace.config
    report["coverage"] = coverage.by_origin(workspace, coverage_file, in_period)
    try:
        in_git = find_repo(root) is not None
    except GitError:
        in_git = False
    if not in_git:
        for section in ("history", "gate", "trend"):
            report[section] = {"note": "not a git repository"}
        return
    from guardline.report.trend import git_date

    # git reads a bare date as that day at the current time of day: always pass midnight explicitly
    _add_history(report, root, config, git_date(since_epoch) if since_epoch is not None else None, progress)
    if trend:
        _add_trend(report, workspace, progress, since_epoch)
    else:
        report["trend"] = {"note": "trend disabled (--no-trend)"}
        report.setdefault("gate", {"note": "gate pass rate needs the trend pass (disabled by --no-trend)"})


def _add_history(report: dict[str, Any], root: str, config: Config, since: str | None,
                 progress: Callable[[str], None]) -> None:
    from guardline.report import history

    try:
        report["history"] = history.analyse(root, config, since=since, progress=progress)
    except GitError as exc:
        report["history"] = {"note": f"git history unavailable: {exc}"}


def _add_trend(report: dict[str, Any], workspace: Workspace, progress: Callable[[str], None],
               since_epoch: int | None = None) -> None:
    from guardline.report import trend

    try:
        report["trend"], report["gate"] = trend.run(workspace, since=since_epoch, progress=progress)
    except GitError as exc:
        report["trend"] = {"note": f"trend unavailable: {exc}"}
