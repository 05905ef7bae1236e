"""SQLite cache at `<root>/.guardline/origin.sqlite`.

Commit metadata and note blobs are immutable per sha: cached forever. File results are keyed by
(path, HEAD, notes state, content hash, ...) and stored as runs of identical records (compact). Each
also records its key without HEAD (``base``), the HEAD it was computed at and the paths its answer
depends on (the file's and those its blamed lines came from), so that after HEAD moved the resolver can
reuse it when no commit in between touched those paths.
Any SQLite failure (read-only workspace, corrupt file) disables the store; the resolver still works.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from typing import Any, Callable, TypeVar, overload

from guardline.origin.records import CommitInfo, LineOrigin
from guardline.stores import open_store

T = TypeVar("T")

log = logging.getLogger("guardline.origin")
SCHEMA_VERSION = 4
MAX_FILE_ROWS = 20_000
_FIELDS = ("origin", "tool", "model", "evidence", "granularity", "commit", "confidence", "detail")


SCHEMA_SQL = ("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
              "CREATE TABLE IF NOT EXISTS commits(sha TEXT PRIMARY KEY, data TEXT);"
              "CREATE TABLE IF NOT EXISTS blobs(sha TEXT PRIMARY KEY, data BLOB);"
              "CREATE TABLE IF NOT EXISTS files(key TEXT PRIMARY KEY, data TEXT, used REAL, base TEXT, head TEXT, "
              "deps TEXT);"
              "CREATE INDEX IF NOT EXISTS files_base ON files(base);"
              "CREATE TABLE IF NOT EXISTS notes_index(state TEXT PRIMARY KEY, data TEXT);")
PROBE_SQL = ("SELECT m.key, m.value, c.sha, c.data, b.sha, b.data, f.key, f.data, f.used, f.base, f.head, f.deps, n.state, n.data "
             "FROM meta m, commits c, blobs b, files f, notes_index n LIMIT 0")


class OriginStore:
    def __init__(self, root: str, enabled: bool = True) -> None:
        self.path = os.path.join(root, ".guardline", "origin.sqlite")
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._failed = not enabled      # disabled (`--no-cache`): never opened, never written

    def _conn(self) -> sqlite3.Connection | None:
        if self._db is not None or self._failed:
            return self._db
        try:
            db = open_store(os.path.dirname(os.path.dirname(self.path)), os.path.basename(self.path), SCHEMA_SQL,
                            PROBE_SQL)
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None or row[0] != str(SCHEMA_VERSION):
                db.executescript("DELETE FROM commits; DELETE FROM blobs; DELETE FROM files; "
                                 "DELETE FROM notes_index;")
                db.execute("INSERT OR REPLACE INTO meta VALUES('schema', ?)", (str(SCHEMA_VERSION),))
                db.commit()
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            log.info("origin cache disabled (%s): %s", self.path, exc)
            self._failed = True
        return self._db

    def prepare(self) -> None:
        """Open (and if need be rebuild) the store here, before worker processes share it: a damaged
        file is then rebuilt once, by this process, which also reports it."""
        with self._lock:
            self._conn()

    @overload
    def _safe(self, fn: Callable[[sqlite3.Connection], T]) -> T | None: ...

    @overload
    def _safe(self, fn: Callable[[sqlite3.Connection], T], default: T) -> T: ...

    def _safe(self, fn: Callable[[sqlite3.Connection], T], default: T | None = None) -> T | None:
        """``fn(db)`` under the lock; ``default`` when the store is unusable or SQLite fails."""
        with self._lock:
            db = self._conn()
            if db is None:
                return default
            try:
                return fn(db)
            except sqlite3.Error as exc:
                log.info("origin cache error: %s", exc)
                return default

    # --- commits and blobs (immutable) ---------------------------------------------------------
    def get_commits(self, shas: list[str]) -> dict[str, CommitInfo]:
        def read(db: sqlite3.Connection) -> dict[str, CommitInfo]:
            out: dict[str, CommitInfo] = {}
            for start in range(0, len(shas), 500):
                chunk = shas[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for sha, data in db.execute(f"SELECT sha, data FROM commits WHERE sha IN ({marks})", chunk):
                    out[sha] = CommitInfo.from_json(json.loads(data))
            return out
        return self._safe(read, {}) if shas else {}

    def put_commits(self, infos: list[CommitInfo]) -> None:
        if infos:
            self._write("INSERT OR REPLACE INTO commits VALUES(?, ?)",
                        [(i.sha, json.dumps(i.to_json())) for i in infos])

    def get_blobs(self, shas: list[str]) -> dict[str, bytes]:
        def read(db: sqlite3.Connection) -> dict[str, bytes]:
            marks = ",".join("?" * len(shas))
            return {sha: bytes(data) for sha, data in
                    db.execute(f"SELECT sha, data FROM blobs WHERE sha IN ({marks})", shas)}
        return self._safe(read, {}) if shas else {}

    def put_blobs(self, blobs: dict[str, bytes]) -> None:
        if blobs:
            self._write("INSERT OR REPLACE INTO blobs VALUES(?, ?)", list(blobs.items()))

    # --- git-ai notes index per notes-ref state (one `git notes list` per state, across processes) --
    def get_notes_index(self, state: str) -> dict[str, list[str]] | None:
        row = self._safe(lambda db: db.execute("SELECT data FROM notes_index WHERE state=?", (state,)).fetchone())
        index: dict[str, list[str]] | None = json.loads(row[0]) if row else None
        return index

    def put_notes_index(self, state: str, index: dict[str, list[str]]) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM notes_index")          # only the current state is worth keeping
            db.execute("INSERT INTO notes_index VALUES(?, ?)", (state, json.dumps(index)))
            db.commit()
        self._safe(write)

    # --- file results --------------------------------------------------------------------------
    def get_file(self, key: str) -> tuple[list[LineOrigin], list[str]] | None:
        row = self._safe(lambda db: db.execute("SELECT data FROM files WHERE key=?", (key,)).fetchone())
        return _decode(row[0]) if row else None

    def get_earlier(self, base: str) -> list[tuple[str, list[str], list[LineOrigin], list[str]]]:
        """The results stored under ``base`` (the key without HEAD) at other HEADs, newest first:
        (HEAD, paths the result depends on, lines, notes)."""
        rows: list[tuple[str, str, str]] = self._safe(
            lambda db: db.execute("SELECT head, deps, data FROM files WHERE base=? AND deps IS NOT NULL "
                                  "ORDER BY used DESC LIMIT 4", (base,)).fetchall(), [])
        return [(head, json.loads(deps), *_decode(data)) for head, deps, data in rows]

    def latest_head(self, other_than: str) -> str | None:
        """The HEAD of the most recently used result computed at another HEAD than ``other_than``."""
        row = self._safe(lambda db: db.execute("SELECT head FROM files WHERE head IS NOT NULL AND head != ? "
                                               "ORDER BY used DESC LIMIT 1", (other_than,)).fetchone())
        return str(row[0]) if row else None

    def put_file(self, key: str, lines: list[LineOrigin], notes: list[str], base: str | None = None,
                 head: str | None = None, deps: list[str] | None = None) -> None:
        """``deps``: the paths the answer depends on (None: it may not be reused at another HEAD)."""
        runs: list[list[Any]] = []   # [count, field values] per run of equal lines
        previous = None
        for rec in lines:
            if rec is previous or rec == previous:
                runs[-1][0] += 1
            else:
                runs.append([1, [getattr(rec, f) for f in _FIELDS]])
                previous = rec
        payload = json.dumps({"runs": runs, "notes": notes})
        self._write("INSERT OR REPLACE INTO files VALUES(?, ?, ?, ?, ?, ?)",
                    [(key, payload, time.time(), base, head, None if deps is None else json.dumps(sorted(deps)))])
        self._safe(self._trim)

    @staticmethod
    def _trim(db: sqlite3.Connection) -> None:
        count = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        if count > MAX_FILE_ROWS:
            db.execute("DELETE FROM files WHERE key IN (SELECT key FROM files ORDER BY used LIMIT ?)",
                       (count - MAX_FILE_ROWS,))
            db.commit()

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.executemany(sql, rows)
            db.commit()
        self._safe(write)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def _decode(payload: str) -> tuple[list[LineOrigin], list[str]]:
    data = json.loads(payload)
    lines: list[LineOrigin] = []
    for count, values in data["runs"]:
        rec = LineOrigin(*values)
        lines.extend([rec] * count)
    notes: list[str] = data["notes"]
    return lines, notes
