"""The workspace: the one object that knows a folder under analysis and everything a run over it needs.

``Workspace(root, config)`` owns the configuration (with its defaults), the state directory
(``<root>/.guardline/``) and its stores, the git runner, the origin resolver, the clone index and the
size of the worker pool. Every front end calls it instead of assembling those pieces itself:
`guardline check` / `baseline` / `explain` (cli.py, baseline.py), the report and its trend
(report/), and the language server (lsp/workspace.py, lsp/session.py). The CLI parses arguments and
renders; what a run *does* lives here.

- ``discover(paths)``: the analysable files (root-relative), honouring .gitignore and the config;
- ``analyse_all(files, progress, cancelled)``: every analysis over those files: per-file metrics,
  origin and security (cached by content), then the workspace clone pass;
- ``analyse_files(files, ...)``: the per-file part alone (the language server scans in chunks and
  builds the clone index once at the end: ``build_clone_index``);
- ``analyse_document(doc, path, ...)``: one parsed document (the editor's buffer, `explain`);
- ``gate(results)``: the quality gate verdict; ``changed_lines(base)``: what a branch changed since
  the merge-base with ``base`` (review mode: `check --base`).

Nothing here touches pygls or argparse.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from guardline import pipeline
from guardline.baseline import BASELINE_FILE, BaselineState, apply_baseline, entries
from guardline.config import Config, find_workspace_root, load_config
from guardline.errors import UsageError
from guardline.fingerprints import assign_fingerprints
from guardline.git import Git, git_at
from guardline.model import FileResult, Finding
from guardline.notes import RunNotes, gather
from guardline.parsing import ParsedDocument
from guardline.review import Review, ReviewError, Selection

if TYPE_CHECKING:   # imported where used: origin (`check --no-origin` never loads it), and the scan, the
    # clone index and the stores (the language server builds a Workspace at start-up; its first
    # diagnostics need none of them)
    from guardline import scan
    from guardline.duplication import CloneIndex
    from guardline.origin import FileOrigin, OriginResolver

log = logging.getLogger("guardline")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class CheckRun:
    """What `guardline check` reports: the results (review-filtered, baseline-marked), the gate verdict."""

    results: list[FileResult]
    gate: str
    baseline: BaselineState | None = None


class Workspace:
    """A folder under analysis with its configuration; see the module docstring.

    ``use_cache``: read and write the ``.guardline/`` caches (`--no-cache` turns it off);
    ``jobs``: worker processes for cold scans (None: one per CPU);
    ``with_origin``: attribute origin (git, markers, Agent Trace) unless the config switches it off;
    ``shared_resolver``: use the process-wide origin resolver of ``root`` (the CLI: the scan, the
    report and `explain` share one git cat-file process and its caches) instead of one of its own
    (the language server: a new configuration gets a new resolver)."""

    def __init__(self, root: str, config: Config | None = None, *, use_cache: bool = True,
                 jobs: int | None = None, with_origin: bool = True, shared_resolver: bool = True) -> None:
        self.root = os.path.abspath(root)
        self.config = config if config is not None else load_config(self.root)
        self.use_cache = use_cache
        self.jobs = jobs
        self.with_origin = with_origin and bool(self.config.get("origin.enabled", True))
        self.clone_index: CloneIndex | None = None
        self._shared_resolver = shared_resolver
        self._resolver: OriginResolver | None = None
        self._resolver_lock = threading.Lock()
        self._clone_lock = threading.Lock()   # the clone index is shared by the editor's analysis threads

    @classmethod
    def for_paths(cls, paths: Sequence[str], *, use_cache: bool = True, jobs: int | None = None,
                  with_origin: bool = True) -> "Workspace":
        """The workspace holding ``paths`` (the first one's root; the current folder when none), with
        its configuration; UsageError for a path that does not exist."""
        for path in paths:
            if not os.path.exists(path):
                raise UsageError(f"no such file or folder: {path}")
        root = find_workspace_root(os.path.abspath(paths[0]) if paths else os.getcwd())
        return cls(root, load_config(root), use_cache=use_cache, jobs=jobs, with_origin=with_origin)

    # ---- state, git, origin ---------------------------------------------------------------------
    @property
    def state_dir(self) -> str | None:
        """``<root>/.guardline`` (created), or None (with one run note) when it cannot be used."""
        from guardline.stores import state_folder
        return state_folder(self.root)

    def open_store(self, name: str, schema: str, probe: str, *, wal: bool = True) -> sqlite3.Connection:
        """The SQLite store ``.guardline/<name>`` (stores.open_store: rebuilt or in memory, never failing)."""
        from guardline.stores import open_store
        return open_store(self.root, name, schema, probe, wal=wal)

    @property
    def git(self) -> Git:
        """The hardened git runner for this workspace (guardline/git.py)."""
        return git_at(self.root)

    @property
    def workers(self) -> int:
        """Worker processes of the cold scans."""
        from guardline.processes import default_workers
        return self.jobs if self.jobs is not None else default_workers()

    @property
    def origin_resolver(self) -> OriginResolver | None:
        """The origin resolver (keeps a git cat-file process); None when origin is off."""
        if not self.with_origin:
            return None
        if self._shared_resolver:
            from guardline import scan
            return scan.origin_resolver(self.root, self.config)
        from guardline.origin import OriginResolver

        with self._resolver_lock:
            if self._resolver is None:
                self._resolver = OriginResolver(self.root, self.config)
            return self._resolver

    def file_origin(self, path: str, text: str | None = None) -> FileOrigin | None:
        """Each line's origin of ``path`` (absolute or root-relative); ``text``: an editor buffer's
        unsaved content. None when origin is off."""
        resolver = self.origin_resolver
        return resolver.resolve(path, text) if resolver is not None else None

    def gather_notes(self, notes: RunNotes | None = None) -> RunNotes:
        """The run notes about this workspace (git missing, shallow clone, ...): guardline/notes.py."""
        from guardline.origin import runchecks  # noqa: F401 - registers the origin checks with notes.py

        return gather(self.root, self.config, notes)

    # ---- analysis -------------------------------------------------------------------------------
    def discover(self, paths: Sequence[str] | None = None) -> list[str]:
        """Analysable files under ``paths`` (default: the whole workspace), root-relative, sorted."""
        from guardline import scan
        return scan.discover_files(self.root, self.config, paths)

    def analyse_files(self, files: list[str], *, progress: Progress | None = None,
                      cancelled: Cancelled | None = None, doc_hook: scan.DocHook | None = None,
                      hook_results: dict[str, object] | None = None) -> list[FileResult]:
        """Per-file analyses (metrics, origin, security; cached by content) of root-relative ``files``."""
        from guardline import scan
        return scan.scan_files(self.root, files, self.config, progress=progress, cancelled=cancelled,
                               processes=self.jobs, use_cache=self.use_cache, with_origin=self.with_origin,
                               doc_hook=doc_hook, hook_results=hook_results)

    def analyse_all(self, files: list[str] | None = None, *, progress: Progress | None = None,
                    cancelled: Cancelled | None = None, clone_files: list[str] | None = None,
                    clone_tokens: dict[str, object] | None = None) -> list[FileResult]:
        """Every analysis over ``files`` (default: ``discover()``): per-file, then the workspace's clones
        (looked for among ``clone_files``, default ``files``: `check --base` gives every file).
        ``clone_tokens``: filled with the scan's clone tokens (path -> duplication.Prepared)."""
        from guardline import duplication
        files = self.discover() if files is None else files
        duplicating = bool(self.config.get("duplication.enabled", True))
        hook = duplication.scan_tokens(self.root, files, self.config, use_cache=self.use_cache) if duplicating else None
        tokens: dict[str, object] = {} if clone_tokens is None else clone_tokens   # from the scan's own parse
        results = self.analyse_files(files, progress=progress, cancelled=cancelled, doc_hook=hook, hook_results=tokens)
        if not duplicating:
            return results
        results = duplication.check_duplication(self.root, files if clone_files is None else clone_files, results,
                                                self.config, use_cache=self.use_cache, processes=self.jobs,
                                                prepared=tokens)
        return self._without_disabled_rules(results)

    def with_clone_findings(self, results: list[FileResult], index: CloneIndex) -> list[FileResult]:
        """``results`` (per-file analyses) with the clone findings ``analyse_all`` adds, from ``index`` as
        ``build_clone_index`` built it: the editor's workspace scan counts what `guardline check` counts."""
        if not self.config.get("duplication.enabled", True):
            return results
        from guardline import duplication
        rows = duplication.index_rows(self.root, index, self.config)
        return self._without_disabled_rules(duplication.add_clone_findings(self.root, rows, results, self.config))

    def _without_disabled_rules(self, results: list[FileResult]) -> list[FileResult]:
        if self.config.get("overrides") or self.config.get("disabled_rules"):
            for result in results:
                result.findings = pipeline.without_disabled_rules(result.findings, self.config.for_path(result.path))
        return results

    def build_clone_index(self, files: list[str], *, progress: Progress | None = None,
                          cancelled: Cancelled | None = None) -> CloneIndex | None:
        """The clone index of ``files`` (kept as ``clone_index``); None when duplication is off."""
        if not self.config.get("duplication.enabled", True):
            return None
        from guardline import duplication
        self.clone_index = duplication.build_index(self.root, files, self.config, progress=progress,
                                                   cancelled=cancelled)
        return self.clone_index

    def clone_findings(self, doc: ParsedDocument, path: str, index: CloneIndex | None,
                       config: Config | None = None) -> list[Finding]:
        """Duplication findings of an open buffer against ``index`` (``clone_index``, or the one the
        editor's scan has ready; None: no findings), as its shadow version. A failure costs only these
        findings, never the others."""
        if index is None:
            return []
        from guardline import duplication
        try:
            with self._clone_lock:
                return list(duplication.analyze_document(index, doc, path, config or self.config, self.root,
                                                         shadow=True))
        except Exception:  # noqa: BLE001 - duplication must never cost the other diagnostics
            log.exception("duplication analysis of %s failed", path)
            return []

    def forget_shadow(self, path: str, index: CloneIndex | None) -> None:
        """A buffer was closed: ``index`` goes back to the file on disk."""
        if index is not None:
            with self._clone_lock:
                index.clear_shadow(path)

    def analyse_document(self, doc: ParsedDocument, path: str, *, config: Config | None = None,
                         file_origin: FileOrigin | None = None,
                         clones: list[Finding] | None = None,
                         security: list[Finding] | None = None) -> FileResult:
        """Every per-document analysis of one parse; ``clones`` / ``security``: duplication / security
        findings already at hand (else queried from ``clone_index`` / scanned); ``config``: the one the
        caller scheduled with."""
        config = config or self.config
        found = clones if clones is not None else self.clone_findings(doc, path, self.clone_index, config)
        return pipeline.analyze_document(doc, path, config, file_origin=file_origin, extra_findings=found,
                                         security=security)

    def analyse_bytes(self, raw: bytes, path: str, *, file_origin: FileOrigin | None = None) -> FileResult:
        """One file's bytes (``path`` root-relative for display and overrides)."""
        return pipeline.analyze_bytes(raw, path, self.config, file_origin=file_origin)

    def select(self, paths: Sequence[str], base: str | None = None) -> tuple[list[str], Selection | None]:
        """The files to analyse under ``paths``; with ``base`` only those changed since its merge-base,
        and the Selection that filters their findings (UsageError when the base cannot be used)."""
        files = self.discover(paths)
        if not base:
            return files, None
        try:
            selection = self.changed_lines(base)
        except ReviewError as exc:
            raise UsageError(str(exc)) from exc
        return [f for f in files if f in selection.files], selection

    def check(self, files: list[str], selection: Selection | None = None, *, context: bool = False,
              baseline: str | None = None, clone_files: list[str] | None = None) -> CheckRun:
        """`guardline check` over ``files``: analyse all (clones among ``clone_files``, default ``files``),
        keep what ``selection`` changed (``context``: the rest as hints), mark what the baseline knows
        (``baseline``, else `.guardline-baseline.json` if present), and the gate verdict."""
        results = self.analyse_all(files, clone_files=clone_files)
        if selection is not None:
            results = selection.filter(results, context=context)
        known = None
        if baseline or os.path.exists(os.path.join(self.root, BASELINE_FILE)):
            known = apply_baseline(self.root, results, baseline)
        return CheckRun(results, self.gate(results), known)

    def baseline_entries(self, files: list[str]) -> list[dict[str, Any]]:
        """`guardline baseline`: today's findings over ``files`` as baseline entries (fingerprinted)."""
        results = self.analyse_all(files)
        assign_fingerprints(self.root, results)
        return entries(results)

    # ---- gate and review ------------------------------------------------------------------------
    def failing(self, finding: Finding) -> bool:
        return failing(finding, self.config)

    def gate(self, results: list[FileResult]) -> str:
        """"fail" when a finding fails the gate (docs/configuration.md, [gate]), else "pass"."""
        return gate_status(results, self.config)

    def review(self, base: str) -> Review:
        """The review against ``base`` (guardline/review.py; the editor's flavour: lsp/review.py)."""
        return Review(self.root, base)

    def changed_lines(self, base: str) -> Selection:
        """What HEAD plus the working tree changed since the merge-base with ``base`` (ReviewError if
        unusable): the lines `check --base` keeps."""
        return self.review(base).selection()


def failing(finding: Finding, config: Config) -> bool:
    """Whether ``finding`` fails the quality gate: a gated category at a failing severity (the AI
    list for AI-written code), not known from the baseline, not review-mode context."""
    if finding.category not in config["gate"]["categories"]:
        return False
    if finding.data.get("baseline") or finding.data.get("context"):
        return False
    fail_on = config["gate"]["fail_on_ai"] if finding.origin == "ai" else config["gate"]["fail_on"]
    return finding.severity in fail_on


def gate_status(results: list[FileResult], config: Config) -> str:
    return "fail" if any(failing(f, config) for r in results for f in r.findings) else "pass"
