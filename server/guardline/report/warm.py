"""The whole report, stored under a key of everything it is computed from, so a run over unchanged
inputs (nothing committed, edited, configured or added since) reads it back instead of recomputing.

The key: guardline's version, HEAD and the git-ai notes refs, the configuration, the arguments
(trend, since, coverage file), and the path, size and modification time of every analysable file, of
the coverage reports found, of the Agent Trace file and of the files that change blame or attributes.
A file modified in the two seconds before its time stamp was read may change again without a new
stamp (the "racy" case git's index has too): then the report is not stored.
Stored as JSON (never pickle: `.guardline/` is in the untrusted workspace) in
`.guardline/report-warm.sqlite`, table `reports`, newest ``KEEP`` kept."""

from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Any

from guardline.stamp import code_version
from guardline.stores import open_store

VERSION = "report-warm-1"
KEEP = 8
RACY_SECONDS = 2.0
SCHEMA = "CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, data TEXT, stored REAL);"
PROBE = "SELECT key, data, stored FROM reports LIMIT 0"
# Besides the analysable files: what changes origins (blame, attributes, traces) or the coverage rows.
EXTRA_FILES = (".git-blame-ignore-revs", ".gitattributes", ".mailmap", ".agent-trace/traces.jsonl")
UNITS_SECTIONS = ("snapshot", "coverage", "history", "gate")


class WarmKey:
    """The inputs of one report run, digested; ``racy``: a file was modified less than RACY_SECONDS
    before it was read (or has a time stamp in the future), so a later edit could keep its stamp."""

    def __init__(self, digest: str, newest: float) -> None:
        self.digest = digest
        self.racy = time.time() - newest < RACY_SECONDS


def inputs_key(root: str, config: Any, args: dict[str, Any]) -> WarmKey | None:
    """The key of a run, or None when it cannot be made (no git: no HEAD to key on)."""
    from guardline.git import GitError, run_git
    from guardline.report.coverage import find_reports
    from guardline.scan import discover_files

    try:
        refs = run_git(["for-each-ref", "--format=%(objectname) %(refname)", "refs/notes/"], root)
        head = run_git(["rev-parse", "--verify", "-q", "HEAD"], root, check=False)
    except GitError:
        return None
    paths = [*discover_files(root, config), *EXTRA_FILES,
             *(os.path.relpath(p, root) for p in find_reports(root))]
    explicit = args.get("coverage_file")
    if explicit:
        paths.append(os.path.abspath(explicit))
    stamps: list[tuple[object, ...]] = []   # (path, size, mtime, inode), or (path, None) when missing
    newest = 0.0
    for rel in paths:
        try:
            st = os.stat(os.path.join(root, rel))
        except OSError:
            stamps.append((rel, None))
            continue
        stamps.append((rel, st.st_size, st.st_mtime_ns, st.st_ino))
        newest = max(newest, st.st_mtime)
    text = json.dumps([VERSION, code_version(), os.path.realpath(root),
                       head.decode("ascii", "replace").strip(), refs.decode("utf-8", "replace"), config.values,
                       args, stamps],
                      sort_keys=True, default=str)
    return WarmKey(hashlib.sha256(text.encode()).hexdigest(), newest)


def _jsonable(report: dict[str, Any]) -> dict[str, Any]:
    """The report without its per-unit collectors (the rows are already built from them; no renderer
    reads them)."""
    out = dict(report)
    for name in UNITS_SECTIONS:
        if isinstance(out.get(name), dict) and "units" in out[name]:
            out[name] = {k: v for k, v in out[name].items() if k != "units"}
    return out


class WarmStore:
    def __init__(self, root: str) -> None:
        self.db = open_store(root, "report-warm.sqlite", SCHEMA, PROBE, wal=False)

    def get(self, key: WarmKey) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM reports WHERE key=?", (key.digest,)).fetchone()
        if row is None:
            return None
        try:
            report = json.loads(row[0])
        except ValueError:
            return None
        return report if isinstance(report, dict) and "rows" in report else None

    def put(self, key: WarmKey, report: dict[str, Any]) -> bool:
        """Store ``report`` unless a file was modified too recently to trust its time stamp."""
        if key.racy:
            return False
        try:
            data = json.dumps(_jsonable(report))
        except (TypeError, ValueError):       # a value JSON cannot hold: not stored, never misread
            return False
        self.db.execute("INSERT OR REPLACE INTO reports VALUES (?,?,?)", (key.digest, data, time.time()))
        self.db.execute("DELETE FROM reports WHERE key NOT IN (SELECT key FROM reports ORDER BY stored DESC "
                        "LIMIT ?)", (KEEP,))
        self.db.commit()
        return True

    def close(self) -> None:
        self.db.close()
