"""Per-file clone results of the whole workspace, persisted next to the index (``clones.sqlite``).

``guardline check`` needs every file's clones. Querying all files costs seconds on a large workspace,
so the results are kept as a snapshot of one workspace state: each row holds a file's content hash,
its clones and its duplicated/code line counts. A row stays valid while the file and every file it
could match are unchanged; after edits only these files are queried again:

- the changed and added files;
- every file that had a clone with a changed or removed file (its clone may have gone);
- every file a changed file now shares an indexed fingerprint with (a clone may have appeared:
  any shared run of >= min_tokens normalised tokens posts a fingerprint on both sides).

The postings cap makes a query depend on how many files post a fingerprint: when the set of saturated
fingerprints changes, every file is queried again (rare: it takes a boilerplate shape crossing the cap).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from guardline.duplication.index import EXACT, NEAR_MISS, RENAMED, Clone, CloneIndex, duplicated_lines
from guardline.duplication.store import CloneStore
from guardline.model import Location

_KINDS = (EXACT, RENAMED, NEAR_MISS)
ALGORITHM = 3   # bump when a query can give other clones for the same files (stored results are dropped)


@dataclass(slots=True)
class FileClones:
    """The clones of one file in one workspace state."""

    hash: str
    clones: list[Clone]
    dup_lines: int
    code_lines: int
    directives: list[list[Any]] | None = None   # suppression directives, when the file has clones

    @property
    def percent(self) -> float:
        return 100.0 * self.dup_lines / self.code_lines if self.code_lines and self.clones else 0.0

    def partners(self) -> set[str]:
        return {clone.b.path for clone in self.clones}


def config_signature(index_or_thresholds: Any, max_postings: int) -> str:
    """What every row depends on besides the files: thresholds and index parameters."""
    from guardline.duplication import index as index_module
    from guardline.stamp import code_version
    t = index_or_thresholds
    return (f"{code_version()}:{ALGORITHM}:{t.min_tokens}:{t.min_lines}:{t.renamed_min_tokens}:{t.renamed_min_lines}:{int(t.near_miss)}:"
            f"{max_postings}:{index_module.MAX_RAW_POSTINGS}:{index_module.NEAR_MISS_GAP}:"
            f"{index_module.NEAR_MISS_RESYNC}:{index_module.MAX_RENAMED_LITERAL_SHARE}")


def saturated_digest(index: CloneIndex) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for fp in sorted(index.saturated):
        digest.update(fp.to_bytes(8, "little"))
    return digest.hexdigest()


# ----- serialisation -------------------------------------------------------------------------------
def _encode(clones: list[Clone], store: CloneStore) -> str:
    return json.dumps([[_KINDS.index(c.kind), c.tokens, c.lines,
                        c.a.start_line, c.a.end_line, c.a.start_column, c.a.end_column,
                        store.rel(c.b.path), c.b.start_line, c.b.end_line, c.b.start_column, c.b.end_column,
                        *c.a_span, *c.b_span] for c in clones], separators=(",", ":"))


def _decode(path: str, text: str, store: CloneStore) -> list[Clone]:
    out: list[Clone] = []
    paths: dict[str, str] = {}
    for kind, tokens, lines, asl, ael, asc, aec, brel, bsl, bel, bsc, bec, a0, a1, b0, b1 in json.loads(text):
        bpath = paths.get(brel)
        if bpath is None:
            bpath = paths[brel] = store.abs(brel)
        out.append(Clone(_KINDS[kind], tokens, lines, Location(path, asl, ael, asc, aec),
                         Location(bpath, bsl, bel, bsc, bec), (a0, a1), (b0, b1)))
    return out


def load_snapshot(store: CloneStore, signature: str) -> tuple[dict[str, FileClones], str | None]:
    """(absolute path -> FileClones, saturated digest) of the stored snapshot; empty when it was
    computed with other thresholds."""
    if store.get_meta("results_config") != signature:
        with store.db:
            store.db.execute("DELETE FROM results")   # computed with other thresholds: useless
        return {}, None
    snapshot: dict[str, FileClones] = {}
    for rel, hash_, clones, dup, code, directives in store.db.execute(
            "SELECT path, hash, clones, dup_lines, code_lines, directives FROM results"):
        path = store.abs(rel)
        snapshot[path] = FileClones(hash_, _decode(path, clones, store) if clones else [], dup, code,
                                    json.loads(directives) if directives else None)
    return snapshot, store.get_meta("results_saturated")


def write_snapshot(store: CloneStore, signature: str, saturated: str, rows: dict[str, FileClones],
                   changed: Iterable[str], removed: Iterable[str]) -> None:
    """Write the rows of ``changed`` paths and delete ``removed`` ones, in one transaction."""
    with store.db:
        store.db.executemany("DELETE FROM results WHERE path = ?", [(store.rel(p),) for p in removed])
        store.db.executemany(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
            [(store.rel(p), rows[p].hash, _encode(rows[p].clones, store) if rows[p].clones else None,
              rows[p].dup_lines, rows[p].code_lines,
              json.dumps(rows[p].directives) if rows[p].directives else None) for p in sorted(changed)])
        store.set_meta("results_config", signature)
        store.set_meta("results_saturated", saturated)


# ----- the incremental refresh ---------------------------------------------------------------------
def current_hashes(index: CloneIndex) -> dict[str, str]:
    """Path -> content hash of every indexed disk file."""
    return {path: tokens.content_hash for path in index.paths() if (tokens := index.tokens(path)) is not None}


def to_requery(snapshot: dict[str, FileClones], current: dict[str, str]) -> tuple[set[str], set[str], set[str]]:
    """(changed or added files, removed files, unchanged files that had a clone with either)."""
    changed = {path for path, h in current.items() if (row := snapshot.get(path)) is None or row.hash != h}
    removed = set(snapshot) - set(current)
    touched = changed | removed
    partners = {path for path, row in snapshot.items()
                if path in current and path not in changed and row.clones and not row.partners().isdisjoint(touched)}
    return changed, removed, partners


def query_file(index: CloneIndex, path: str, directives: Callable[[str], list[list[Any]] | None],
               old: FileClones | None) -> tuple[FileClones, set[str]]:
    """A fresh row for ``path`` and the files it shares an indexed fingerprint with."""
    tokens = index.tokens(path)
    if tokens is None:
        raise KeyError(f"{path} is not in the clone index (query_file takes indexed files only)")
    clones, candidates = index.query_candidates(path)
    dup = len(duplicated_lines(tokens, clones)) if clones else 0
    kept = old.directives if old is not None and old.hash == tokens.content_hash else None
    row = FileClones(tokens.content_hash, clones, dup, tokens.code_lines if clones else 0,
                     (kept if kept is not None else directives(path)) if clones else None)
    return row, candidates


# A cold check queries every file once the index is built, in the main process, while the scan's workers
# are gone: with this many files or more, two (or GUARDLINE_JOBS) forked processes query halves of them,
# sharing the built index copy-on-write. Forking is safe only in a process that runs no other thread (a
# lock held by another thread would stay held in the child): the language server never forks here.
FORKED_QUERIES_MIN = 256
_FORKED: tuple[CloneIndex, Callable[[str], list[list[Any]] | None], dict[str, "FileClones"]] | None = None


def query_files(index: CloneIndex, paths: list[str], directives: Callable[[str], list[list[Any]] | None],
                snapshot: dict[str, FileClones]) -> list[tuple[FileClones, set[str]]]:
    """``query_file`` of each of ``paths``, in order (forked processes for many: same answers)."""
    workers = _fork_workers(len(paths))
    if workers < 2:
        return _queries(index, directives, snapshot, paths)
    import multiprocessing

    global _FORKED
    _FORKED = (index, directives, snapshot)
    chunk = max(16, len(paths) // (workers * 8))
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_query_chunk, [paths[i:i + chunk] for i in range(0, len(paths), chunk)])
    finally:
        _FORKED = None
    return [answer for part in parts for answer in part]


def _fork_workers(count: int) -> int:
    import sys
    import threading

    from guardline.processes import default_workers

    if count < FORKED_QUERIES_MIN or threading.active_count() > 1 or not sys.platform.startswith("linux"):
        return 1
    return min(default_workers(), 8)


def _query_chunk(paths: list[str]) -> list[tuple[FileClones, set[str]]]:
    """In a forked process: the queries of ``paths`` against the parent's index."""
    assert _FORKED is not None, "forked from query_files"
    return _queries(*_FORKED, paths)


def _queries(index: CloneIndex, directives: Callable[[str], list[list[Any]] | None],
             snapshot: dict[str, FileClones], paths: list[str]) -> list[tuple[FileClones, set[str]]]:
    return [query_file(index, path, directives, snapshot.get(path)) for path in paths]


def refresh(index: CloneIndex, snapshot: dict[str, FileClones], saturated_before: str | None,
            directives: Callable[[str], list[list[Any]] | None]) -> tuple[dict[str, FileClones], set[str], set[str], str]:
    """Bring ``snapshot`` up to the state of ``index``: (rows, paths re-queried, paths removed, saturated digest)."""
    current = current_hashes(index)
    saturated = saturated_digest(index)
    stored = set(snapshot)
    if saturated != saturated_before:
        snapshot = {}   # a fingerprint crossed the postings cap: every file may match differently
    changed, removed, partners = to_requery(snapshot, current)
    rows = {path: row for path, row in snapshot.items() if path in current}
    done: set[str] = set()
    extra: set[str] = set()   # files a changed file may now match (found from the changed file's side)
    first = sorted(changed | partners)
    for path, (row, candidates) in zip(first, query_files(index, first, directives, snapshot)):
        rows[path] = row
        done.add(path)
        if path in changed:
            extra |= candidates | row.partners()
    for path in sorted(extra - done):
        if path in current:
            rows[path], _ = query_file(index, path, directives, snapshot.get(path))
            done.add(path)
    return rows, done, stored - set(current), saturated


def directive_reader(root: str | None) -> Callable[[str], list[list[Any]] | None]:
    """directives(path): the suppression directives of a file (serialised), None when it has none."""
    from guardline.pipeline import SUPPRESSION_MARKERS

    def read(path: str) -> list[list[Any]] | None:
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError:
            return None
        if not any(marker.encode() in raw for marker in SUPPRESSION_MARKERS):
            return None
        return parse_directives(path, raw)
    return read


def parse_directives(path: str, raw: bytes) -> list[list[Any]] | None:
    from guardline.languages import detect_language
    from guardline.parsing import UnanalysableFile, parse_bytes
    from guardline.suppressions import parse_suppressions

    language = detect_language(path, raw[:256])
    if language is None:
        return None
    try:
        doc = parse_bytes(raw, language, max_bytes=max(len(raw), 1))
    except UnanalysableFile:
        return None
    return [[d.line, d.kind, d.text, list(d.rules), {k: list(v) for k, v in d.ceilings.items()},
             d.comment_only, d.column] for d in parse_suppressions(doc).directives] or None
