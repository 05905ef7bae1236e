"""Opening guardline's SQLite stores under ``<workspace>/.guardline/`` so that no state of them stops a run.

Every store (metrics cache, origin cache, clone index, report history) opens through ``open_store``:
- unreadable — not a database, truncated, malformed, or a foreign schema (the probe query fails): the
  file is deleted and rebuilt, with one run note;
- unusable — locked by another process past the timeout, read-only file, `.guardline` a file, a
  read-only workspace: the run goes on with an in-memory stand-in of the same schema (nothing is
  cached), with one run note (one per cause: a read-only workspace is said once, not per store).
Callers get a working connection either way, so the code after it never branches on "no store".
"""

from __future__ import annotations

import os
import sqlite3

from guardline.notes import run_notes

STATE_DIR = ".guardline"
LOCK_TIMEOUT = 5.0
# Messages of errors that mean "this file is not (our) database": rebuild it.
UNREADABLE = ("not a database", "malformed", "no such column", "no such table", "file is encrypted",
              "disk image", "has no column", "datatype mismatch")


def state_folder(root: str) -> str | None:
    """``<root>/.guardline``, created with its .gitignore; None (and one run note) when it cannot be."""
    path = os.path.join(root, STATE_DIR)
    try:
        if os.path.lexists(path) and not os.path.isdir(path):
            raise NotADirectoryError(f"{path} is not a folder")
        os.makedirs(path, exist_ok=True)
        ignore = os.path.join(path, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w", encoding="utf-8") as fh:
                fh.write("# guardline's cache and indexes: not for version control\n*\n")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, NotADirectoryError):
            reason = f"{STATE_DIR} is a file, not a folder"
        run_notes().add("cache-disabled", f"running without caches: cannot use {path} ({reason})")
        return None
    return path


def open_store(root: str | None, name: str, schema: str, probe: str, *, wal: bool = True,
               timeout: float = LOCK_TIMEOUT) -> sqlite3.Connection:
    """``<root>/.guardline/<name>`` with ``schema`` applied and ``probe`` (a SELECT naming the columns the
    store reads) run; rebuilt when unreadable; an in-memory stand-in when unusable or ``root`` is None."""
    folder = state_folder(root) if root is not None else None
    if folder is None:
        return _memory(schema)
    path = os.path.join(folder, name)
    try:
        return _open(path, schema, probe, wal, timeout)
    except sqlite3.Error as exc:
        if not _unreadable(exc):
            return _bypass(path, name, exc, schema)
        first = exc
    _remove(path)
    try:
        db = _open(path, schema, probe, wal, timeout)
    except (sqlite3.Error, OSError) as exc:
        return _bypass(path, name, exc, schema)
    run_notes().add(f"store-rebuilt:{name}", f"{path} was unreadable ({first}): rebuilt it (cached results recomputed)")
    return db


def _open(path: str, schema: str, probe: str, wal: bool, timeout: float) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
    try:
        if wal:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")   # a cache: losing the last write is harmless
        else:
            # rollback journal: FULL would fsync on every commit (~25 ms each on a busy disk, 120 per
            # report of a small repository); a cache torn by a power cut is rebuilt on the next open
            db.execute("PRAGMA synchronous=OFF")
        db.executescript(schema)
        db.execute(probe).fetchall()
        db.execute("BEGIN IMMEDIATE")                # can we write? (read-only file, or locked past timeout)
        db.rollback()
    except BaseException:
        db.close()
        raise
    return db


def _unreadable(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in UNREADABLE)


def _bypass(path: str, name: str, exc: BaseException, schema: str) -> sqlite3.Connection:
    run_notes().add(f"store-bypassed:{name}", f"cannot use {path} ({exc}): running without it (nothing cached)")
    return _memory(schema)


def _memory(schema: str) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.executescript(schema)
    return db


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass
        except OSError:
            pass    # the reopen fails and the store is bypassed
