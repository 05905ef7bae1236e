"""Result cache in SQLite under ``<workspace>/.guardline/``, keyed by content hash.

Only metrics are cached (they depend on the text, the language and the profiles); findings are
recomputed because they depend on origin and thresholds. Stored as JSON, never pickle: the cache
lives in the workspace, and loading it must never be able to execute anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

from guardline.model import FileMetrics, Finding, FunctionMetrics, Increment, Location
from guardline.notes import run_notes
from guardline.stamp import code_version
from guardline.stores import open_store

if TYPE_CHECKING:
    from guardline.pipeline import TextAnalysis

STATE_DIR = ".guardline"
SCHEMA = 3   # 2: functions as positional rows; 3: lone CR and NUL normalised before parsing


def state_dir(root: str) -> str:
    """``<root>/.guardline`` (created); OSError when it cannot be (a file there, a read-only workspace)."""
    from guardline.stores import state_folder

    path = state_folder(root)
    if path is None:
        raise OSError(f"cannot use {os.path.join(root, STATE_DIR)}")
    return path


def content_key(raw: bytes, language: str, profile_key: str) -> str:
    digest = hashlib.blake2b(raw, digest_size=16)
    digest.update(f"\0{language}\0{profile_key}\0{code_version()}\0{SCHEMA}".encode())
    return digest.hexdigest()


def analysis_to_json(analysis: TextAnalysis) -> str:
    return json.dumps({
        "language": analysis.language,
        "lines": analysis.lines,
        "functions": [_fn_row(f) for f in analysis.functions],
        "totals": _slots(analysis.totals),
        "security": [_finding_dict(f) for f in analysis.security],
        "notes": analysis.notes,
        "has_suppressions": analysis.has_suppressions,
    }, separators=(",", ":"))


def _slots(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


# A cached function is a positional row (field order of FunctionMetrics up to `increments`): about
# half the JSON of a dict per function, and decoded without keyword matching.
_FN_FIELDS = FunctionMetrics.__slots__[:FunctionMetrics.__slots__.index("increments")]


def _fn_row(fn: FunctionMetrics) -> list[Any]:
    row = [getattr(fn, name) for name in _FN_FIELDS]
    row.append([[i.metric, i.line, i.construct, i.amount, i.nesting, i.column] for i in fn.increments])
    return row


def _fn_from_row(row: list[Any]) -> FunctionMetrics:
    """The row's values are FunctionMetrics' fields in order, up to ``increments`` (its next field): built
    positionally (keyword matching was half the cost of decoding a warm check's 60,000 functions)."""
    increments = [Increment(*inc) for inc in row.pop()]
    return FunctionMetrics(*row, increments=increments)  # type: ignore[misc]  # row: the fields before it


def _finding_dict(finding: Finding) -> dict[str, Any]:
    data = _slots(finding)
    data["related"] = [_slots(loc) for loc in finding.related]
    return data


def analysis_from_json(text: str) -> TextAnalysis:
    from guardline.pipeline import TextAnalysis

    data = json.loads(text)
    functions = [_fn_from_row(row) for row in data["functions"]]
    security = []
    for raw in data["security"]:
        raw["related"] = [Location(**loc) for loc in raw["related"]]
        security.append(Finding(**raw))
    return TextAnalysis(language=data["language"], lines=data["lines"], functions=functions,
                        totals=FileMetrics(**data["totals"]), security=security, notes=data["notes"],
                        has_suppressions=data["has_suppressions"])


class MetricsCache:
    """A small thread-safe key/value store: content key -> metrics JSON."""

    def __init__(self, root: str | None):
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if root is None:
            return
        self._db = open_store(root, "metrics.sqlite",
                              "CREATE TABLE IF NOT EXISTS metrics (key TEXT PRIMARY KEY, data TEXT NOT NULL)",
                              "SELECT key, data FROM metrics LIMIT 0")

    def get_many(self, keys: list[str]) -> dict[str, str]:
        if self._db is None or not keys:
            return {}
        out: dict[str, str] = {}
        with self._lock:
            try:
                for start in range(0, len(keys), 500):
                    chunk = keys[start:start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(f"SELECT key, data FROM metrics WHERE key IN ({marks})", chunk)
                    out.update(dict(rows.fetchall()))
            except sqlite3.Error as exc:     # damaged past the header: analyse everything afresh
                run_notes().add("store-bypassed:metrics.sqlite", f"metrics cache unreadable ({exc}): not used")
                return {}
        return out

    def put_many(self, items: list[tuple[str, str]]) -> None:
        if self._db is None or not items:
            return
        with self._lock:
            try:
                self._db.executemany("INSERT OR REPLACE INTO metrics (key, data) VALUES (?, ?)", items)
                self._db.commit()
            except sqlite3.Error as exc:   # a full disk or a lock must not fail the analysis
                run_notes().add("store-not-saved:metrics.sqlite", f"metrics cache not saved: {exc}", "note")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
