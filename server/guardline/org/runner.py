"""Run the per-repository tasks on Ray: the embedded local cluster by default, or an existing one.

Each repository is one Ray task with its own CPU and memory request, retried by Ray when its worker
dies or it raises an internal error, and cancelled when it runs past the per-task timeout. A failed
repository becomes an outcome with its error; the others always complete.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from typing import Any, Callable

from guardline.org.progress import Progress
from guardline.org.sources import RepoSource
from guardline.org.task import TaskOptions, analyse_repository

INSTALL_HINT = ("guardline org runs on Ray, an optional extra: pip install 'guardline[org]' "
                "(from this repository: pip install '.[org]')")


class RayMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class ClusterOptions:
    address: str | None = None     # None: start a local cluster in-process; "auto" or "ray://host:port"
    cpus_per_task: float = 1.0
    memory_per_task_mb: int = 2048
    retries: int = 2
    timeout_s: float = 1800.0
    num_cpus: int | None = None    # local cluster only: cores it may use (default: all)


def import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise RayMissing(INSTALL_HINT) from exc
    return ray


def run_on_ray(sources: list[RepoSource], options: TaskOptions, cluster: ClusterOptions,
               progress: Progress) -> list[dict[str, Any]]:
    ray = import_ray()
    previous = os.getcwd()
    # Ray puts the driver's current folder on every worker's sys.path (and starts workers in it): run
    # from an empty folder of ours, never from the folder the user happens to be in (a repository).
    os.chdir(neutral_folder(options.cache_root))
    try:
        _start(ray, cluster)
        task = ray.remote(num_cpus=cluster.cpus_per_task, memory=cluster.memory_per_task_mb * 1024 * 1024,
                          max_retries=cluster.retries, retry_exceptions=True)(_remote_task)
        options = replace(options, jobs=max(1, int(cluster.cpus_per_task)))
        slots = max(1, int(ray.cluster_resources().get("CPU", 1) // cluster.cpus_per_task))
        outcomes = _Window(ray, lambda src: task.remote(src, options), slots, cluster.timeout_s, progress).run(sources)
        return [outcomes[src.name] for src in sources]
    finally:
        ray.shutdown()
        os.chdir(previous)


def neutral_folder(cache_root: str) -> str:
    path = os.path.join(cache_root, "empty")
    os.makedirs(path, exist_ok=True)
    return path


def _start(ray: Any, cluster: ClusterOptions) -> None:
    # Workers must never import from a repository: they start with no current-directory entry on
    # sys.path (PYTHONSAFEPATH) and in a neutral folder; every path in a task is absolute.
    runtime_env = {"env_vars": {"PYTHONSAFEPATH": "1"}}
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                              "configure_logging": False, "runtime_env": runtime_env}
    if cluster.address:
        ray.init(address=cluster.address, **kwargs)
    else:
        ray.init(num_cpus=cluster.num_cpus or os.cpu_count() or 1, **kwargs)


def _remote_task(source: RepoSource, options: TaskOptions) -> dict[str, Any]:
    os.chdir(neutral_folder(options.cache_root))     # on a cluster the worker's own cache folder
    return analyse_repository(source, options)


class _Window:
    """At most ``slots`` tasks in flight, so a task's clock starts when it can run, not when queued:
    the per-task timeout then means what it says."""

    def __init__(self, ray: Any, submit: Callable[[RepoSource], Any], slots: int, timeout_s: float,
                 progress: Progress) -> None:
        self.ray, self.submit, self.slots, self.timeout_s, self.progress = ray, submit, slots, timeout_s, progress
        self.running: dict[Any, tuple[RepoSource, float]] = {}
        self.outcomes: dict[str, dict[str, Any]] = {}

    def run(self, sources: list[RepoSource]) -> dict[str, dict[str, Any]]:
        queue = list(sources)
        while queue or self.running:
            while queue and len(self.running) < self.slots:
                source = queue.pop(0)
                self.running[self.submit(source)] = (source, time.monotonic())
            done, _pending = self.ray.wait(list(self.running), num_returns=1, timeout=1.0)
            for ref in done:
                source, _started = self.running.pop(ref)
                self._finish(_result(self.ray, ref, source))
            self._cancel_overdue()
        return self.outcomes

    def _cancel_overdue(self) -> None:
        now = time.monotonic()
        for ref, (source, started) in list(self.running.items()):
            if now - started > self.timeout_s:
                self.ray.cancel(ref, force=True)
                del self.running[ref]
                self._finish(_failed(source, f"timed out after {self.timeout_s:g} s"))

    def _finish(self, outcome: dict[str, Any]) -> None:
        self.outcomes[outcome["name"]] = outcome
        self.progress.done(failed=outcome["status"] != "ok")


def _result(ray: Any, ref: Any, source: RepoSource) -> dict[str, Any]:
    try:
        return ray.get(ref)
    except Exception as exc:    # the task failed after its retries (worker died, internal error)
        return _failed(source, f"task failed: {_short(exc)}")


def _short(exc: BaseException) -> str:
    cause = getattr(exc, "cause", None) or exc
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[-1] if text else ''}".rstrip(": ")


def _failed(source: RepoSource, error: str) -> dict[str, Any]:
    return {"name": source.name, "location": source.location, "team": source.team, "status": "failed",
            "error": error, "head": None, "cached": False}


def run_sequentially(sources: list[RepoSource], options: TaskOptions, progress: Progress,
                     analyse: Callable[[RepoSource, TaskOptions], dict[str, Any]] = analyse_repository,
                     ) -> list[dict[str, Any]]:
    """The same tasks in this process, one after another (bench baseline; tests of the task itself)."""
    outcomes = []
    for source in sources:
        outcome = analyse(source, options)
        progress.done(failed=outcome["status"] != "ok")
        outcomes.append(outcome)
    return outcomes
