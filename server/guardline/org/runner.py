"""Run the per-repository tasks on Ray: the embedded local cluster by default, or an existing one.

Each repository is one Ray task with its own CPU and memory request, retried by Ray when its worker
dies or it raises an internal error, and cancelled when it runs past the per-task timeout. A failed
repository becomes an outcome with its error; the others always complete.
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

from guardline.org.progress import Progress
from guardline.org.sources import RepoSource
from guardline.org.task import PENDING, TaskOptions, analyse_repository, prepare_repository, report_prepared

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
    """Every repository's outcome, in the order of ``sources``.

    On an existing cluster (``--address``) a Ray task does all of a repository (clone or fetch, report):
    its workers may not share this machine's disk. On the local cluster the clones are this machine's:
    the driver fetches them in threads (git waits on disk and network, not on CPU) while Ray starts, and
    only the reports that are not cached run as Ray tasks; a rerun with nothing changed starts no Ray."""
    ray = import_ray()
    previous = os.getcwd()
    # Ray puts the driver's current folder on every worker's sys.path (and starts workers in it): run
    # from an empty folder of ours, never from the folder the user happens to be in (a repository).
    os.chdir(neutral_folder(options.cache_root))
    cluster_ = _Cluster(ray, cluster, options.cache_root)
    try:
        if cluster.address:
            outcomes = _run_remote(cluster_, sources, options, progress)
        else:
            outcomes = _run_local(cluster_, sources, options, progress)
        return [outcomes[src.name] for src in sources]
    finally:
        cluster_.stop()
        os.chdir(previous)


def _run_remote(cluster: "_Cluster", sources: list[RepoSource], options: TaskOptions,
                progress: Progress) -> dict[str, dict[str, Any]]:
    window = cluster.window(_remote_task, options, progress)
    for source in sources:
        window.add(source, source)
    return window.drain()


def _run_local(cluster: "_Cluster", sources: list[RepoSource], options: TaskOptions,
               progress: Progress) -> dict[str, dict[str, Any]]:
    outcomes: dict[str, dict[str, Any]] = {}
    window: _Window | None = None
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1), thread_name_prefix="guardline-fetch") as pool:
        prepared = {pool.submit(prepare_repository, src, options): src for src in sources}
        for source, outcome in _as_prepared(prepared):
            if outcome["status"] != PENDING:
                outcomes[source.name] = outcome
                progress.done(failed=outcome["status"] != "ok")
                continue
            if window is None:     # the first report to compute: now the cluster is worth starting
                window = cluster.window(_remote_report, options, progress)
            window.add(source, outcome)
            window.poll()
    if window is not None:
        outcomes.update(window.drain())
    return outcomes


def _as_prepared(prepared: dict[Future[dict[str, Any]], RepoSource]) -> Iterator[tuple[RepoSource, dict[str, Any]]]:
    from concurrent.futures import as_completed

    for future in as_completed(prepared):
        source = prepared[future]
        try:
            yield source, future.result()
        except Exception as exc:        # an internal error in one repository never hides the others
            yield source, _failed(source, f"internal error: {_short(exc)}")


class _Cluster:
    """Ray, started on first use (and only then stopped): a run whose every result is cached needs none."""

    def __init__(self, ray: Any, options: ClusterOptions, cache_root: str) -> None:
        self.ray, self.options, self.cache_root, self.started = ray, options, cache_root, False

    def window(self, function: Callable[..., dict[str, Any]], options: TaskOptions, progress: Progress) -> "_Window":
        if not self.started:
            _start(self.ray, self.options, self.cache_root)
            self.started = True
        cluster = self.options
        task = self.ray.remote(num_cpus=cluster.cpus_per_task, memory=cluster.memory_per_task_mb * 1024 * 1024,
                               max_retries=cluster.retries, retry_exceptions=True)(function)
        options = replace(options, jobs=max(1, int(cluster.cpus_per_task)))
        slots = max(1, int(self.ray.cluster_resources().get("CPU", 1) // cluster.cpus_per_task))
        return _Window(self.ray, lambda payload: task.remote(payload, options), slots, cluster.timeout_s, progress)

    def stop(self) -> None:
        if self.started:
            if not self.options.address:
                stop_autoscaler_monitor(self.ray)
            self.ray.shutdown()


def stop_autoscaler_monitor(ray: Any) -> bool:
    """Kill the local cluster's autoscaler monitor before ray.shutdown(); True when there was one.

    ray.shutdown() stops the cluster's processes one after another, each given a second to exit after
    SIGTERM; the monitor (nothing to autoscale on one machine) never exits on SIGTERM, so every run
    waited its full second before Ray sent the SIGKILL it is sent here (shutdown 1.4 s -> 0.4 s).
    Reaches into Ray's node object: if a Ray version no longer has it, shutdown is only slower."""
    try:
        node = ray._private.worker._global_node
        infos = list(node.all_processes.get("monitor", ())) if node is not None and node.is_head() else []
    except AttributeError:
        return False
    for info in infos:
        try:
            if info.process.poll() is None:
                info.process.kill()
                info.process.wait(timeout=5)
        except Exception:  # noqa: BLE001 - OSError or a wait that timed out: Ray's own shutdown deals with it
            pass   # (no `import subprocess` here: processes start only in guardline/git.py and Ray)
    return bool(infos)


def neutral_folder(cache_root: str) -> str:
    path = os.path.join(cache_root, "empty")
    os.makedirs(path, exist_ok=True)
    return path


def _start(ray: Any, cluster: ClusterOptions, cache_root: str) -> None:
    # Workers must never import from a repository: they start with no current-directory entry on
    # sys.path (PYTHONSAFEPATH) and in a neutral folder; every path in a task is absolute. Ray's usage
    # statistics would be sent over the network: guardline never talks to a network on its own.
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    with _environment(RAY_USAGE_STATS_ENABLED="0", PYTHONSAFEPATH="1"):
        if cluster.address:     # the cluster's own processes: the setting travels with the job
            ray.init(address=cluster.address, runtime_env={"env_vars": {"PYTHONSAFEPATH": "1"}}, **kwargs)
        else:                   # the local raylet inherits this environment and passes it to its workers
            ray.init(num_cpus=cluster.num_cpus or os.cpu_count() or 1, _temp_dir=ray_temp_dir(cache_root), **kwargs)


# Ray puts its sockets under <temp dir>/session_<date>_<time>_<pid>/sockets/plasma_store: a Unix socket
# path has at most 107 bytes, so the temp dir may have at most this many
_RAY_TEMP_MAX = 107 - len("/session_2026-12-02_07-12-57_630181_4194304/sockets/plasma_store")


def ray_temp_dir(cache_root: str) -> str:
    """Where the local cluster keeps its sessions (logs, sockets, spilled objects): under guardline's cache
    folder, never Ray's default /tmp/ray (guardline writes nothing outside its own folders). When that path
    is too long for Ray's sockets, the user's runtime folder ($XDG_RUNTIME_DIR, made for sockets), else a
    private folder of this user in the temp folder.
    Sessions of earlier runs are removed: only the last run's logs are kept, for its failures."""
    candidates = [os.path.join(cache_root, "ray")]
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime:
        candidates.append(os.path.join(runtime, "guardline-ray"))
    candidates.append(os.path.join(tempfile.gettempdir(), f"guardline-ray-{os.getuid()}"))
    path = next((c for c in candidates if len(c) <= _RAY_TEMP_MAX), None)
    if path is None:
        raise RuntimeError(f"the cache folder {cache_root} is too long for Ray's sockets ({_RAY_TEMP_MAX} "
                           "characters at most): give a shorter one with --cache-dir")
    os.makedirs(path, mode=0o700, exist_ok=True)
    if os.lstat(path).st_uid != os.getuid() or os.path.islink(path):   # a shared /tmp: never another user's
        raise RuntimeError(f"{path} is not a folder of this user: give a shorter --cache-dir")
    _remove_old_sessions(path)
    return path


def _remove_old_sessions(path: str) -> None:
    """Removes the sessions whose driver (the pid that ends a session's name) has ended: another run of
    guardline org sharing this cache folder keeps its own."""
    import shutil

    for name in os.listdir(path):
        target = os.path.join(path, name)
        if name.startswith("session_") and not os.path.islink(target) and not _driver_alive(name):
            shutil.rmtree(target, ignore_errors=True)
    latest = os.path.join(path, "session_latest")
    if os.path.islink(latest) and not os.path.exists(latest):     # it named a removed session
        os.unlink(latest)


def _driver_alive(session: str) -> bool:
    pid = session.rsplit("_", 1)[-1]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:     # someone else's process: alive
        return True
    return True


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _remote_task(source: RepoSource, options: TaskOptions) -> dict[str, Any]:
    os.chdir(neutral_folder(options.cache_root))     # on a cluster the worker's own cache folder
    return analyse_repository(source, options)


def _remote_report(prepared: dict[str, Any], options: TaskOptions) -> dict[str, Any]:
    os.chdir(neutral_folder(options.cache_root))
    return report_prepared(prepared, options)


class _Window:
    """At most ``slots`` tasks in flight, so a task's clock starts when it can run, not when queued:
    the per-task timeout then means what it says. Work is added as it is known (``add``), moved on
    without blocking (``poll``) and finished with ``drain``."""

    def __init__(self, ray: Any, submit: Callable[[Any], Any], slots: int, timeout_s: float,
                 progress: Progress) -> None:
        self.ray, self.submit, self.slots, self.timeout_s, self.progress = ray, submit, slots, timeout_s, progress
        self.queue: list[tuple[RepoSource, Any]] = []
        self.running: dict[Any, tuple[RepoSource, float]] = {}
        self.outcomes: dict[str, dict[str, Any]] = {}

    def add(self, source: RepoSource, payload: Any) -> None:
        self.queue.append((source, payload))

    def poll(self, wait_s: float = 0.0) -> None:
        while self.queue and len(self.running) < self.slots:
            source, payload = self.queue.pop(0)
            self.running[self.submit(payload)] = (source, time.monotonic())
        if self.running:
            done, _pending = self.ray.wait(list(self.running), num_returns=1, timeout=wait_s)
            for ref in done:
                source, _started = self.running.pop(ref)
                self._finish(_result(self.ray, ref, source))
        self._cancel_overdue()

    def drain(self) -> dict[str, dict[str, Any]]:
        while self.queue or self.running:
            self.poll(wait_s=1.0)
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
        result: dict[str, Any] = ray.get(ref)
        return result
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
