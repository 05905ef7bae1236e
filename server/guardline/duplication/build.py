"""Reading files into the clone index: one file, a whole workspace (process pool), load and save."""

from __future__ import annotations

import os
from array import array
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from guardline.duplication.fingerprints import fingerprints, fingerprints_and_hashes
from guardline.duplication.index import CloneIndex
from guardline.duplication.store import CloneStore, FileRecord
from guardline.duplication.tokens import TokenStream, content_hash, tokenize
from guardline.languages import detect_language
from guardline.parsing import ParsedDocument, UnanalysableFile, parse_bytes
from guardline.files import display_path
from guardline.processes import default_workers, worker_pool

if TYPE_CHECKING:   # array is not subscriptable at run time (Python 3.11)
    Fingerprints = tuple[array[int], array[int]]   # (fingerprint hashes, their token positions)

MINIFIED_MIN_BYTES = 2048
MINIFIED_AVG_LINE = 250       # bytes per line on average
MINIFIED_MAX_LINE = 5000      # bytes on the longest line
IN_PROCESS_MAX_FILES = 24     # below this a process pool costs more than it saves
CHUNK_FILES = 16


@dataclass(slots=True)
class Prepared:
    """The result of reading one file: tokens and fingerprints, or the reason it was skipped."""

    path: str
    mtime_ns: int
    size: int
    hash: str | None = None
    tokens: TokenStream | None = None
    fps: Fingerprints | None = None
    skipped: str | None = None
    reused: bool = False      # content hash already known: tokens not recomputed
    hashes: array[int] | None = None   # every k-gram hash ('Q'), when a query of the file follows the build


def minified_reason(raw: bytes) -> str | None:
    """Why ``raw`` looks minified or generated on one line, or None."""
    if len(raw) < MINIFIED_MIN_BYTES:
        return None
    lines = raw.count(b"\n") + 1
    average = len(raw) // lines
    if average > MINIFIED_AVG_LINE:
        return (f"looks minified (average line length {average:,} bytes > {MINIFIED_AVG_LINE}); "
                f"not checked for duplication")
    longest = max(map(len, raw.split(b"\n")))
    if longest > MINIFIED_MAX_LINE:
        return (f"looks minified (a line of {longest:,} bytes > {MINIFIED_MAX_LINE:,}); "
                f"not checked for duplication")
    return None


def prepare_file(path: str, *, max_bytes: int, min_tokens: int, k: int,
                 known: frozenset[str] = frozenset()) -> Prepared:
    """Read, parse and tokenise one file for the index (runs in worker processes)."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return Prepared(path, 0, 0, skipped=f"cannot read: {exc.strerror}")
    return prepare_bytes(path, raw, st, max_bytes=max_bytes, min_tokens=min_tokens, k=k, known=known)


def prepare_bytes(path: str, raw: bytes, st: os.stat_result, *, max_bytes: int, min_tokens: int, k: int,
                  known: frozenset[str] = frozenset(), doc: ParsedDocument | None = None,
                  keep_hashes: bool = False) -> Prepared:
    """Tokens and fingerprints of file bytes, or why the file is skipped; ``doc``: an existing parse.
    ``keep_hashes``: also every k-gram hash, for the query that follows (see ``CloneIndex.add``)."""
    result = Prepared(path, st.st_mtime_ns, st.st_size)
    language = detect_language(path, raw[:256])
    result.skipped = _skip_reason(raw, language, max_bytes)
    if result.skipped:
        return result
    result.hash = content_hash(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    if result.hash in known:
        result.reused = True
        return result
    if doc is None:
        try:
            doc = parse_bytes(raw, language or "", max_bytes=max_bytes)
        except UnanalysableFile as exc:
            result.skipped = f"{exc}; not checked for duplication"
            return result
    result.tokens = tokenize(doc)
    result.hash = result.tokens.content_hash
    if keep_hashes:
        result.fps, result.hashes = fingerprints_and_hashes(result.tokens.norm, min_tokens, k)
    else:
        result.fps = fingerprints(result.tokens.norm, min_tokens, k)
    return result


def _skip_reason(raw: bytes, language: str | None, max_bytes: int) -> str | None:
    if len(raw) > max_bytes:
        return (f"file is {len(raw):,} bytes, over the {max_bytes:,}-byte limit for duplication "
                f"(duplication.max_file_bytes); not checked for duplication")
    if language is None:
        return "unsupported language; not checked for duplication"
    return minified_reason(raw)


@dataclass(frozen=True)
class ScanTokens:
    """A scan ``doc_hook``: the clone tokens of the files in ``wanted`` (root-relative), from the parse the
    metrics scan made anyway, so a cold ``guardline check`` parses every file once."""

    root: str
    wanted: frozenset[str]
    max_bytes: int
    min_tokens: int
    k: int

    def __call__(self, rel: str, raw: bytes, doc: ParsedDocument) -> Prepared | None:
        if rel not in self.wanted:
            return None
        path = os.path.normpath(os.path.join(self.root, rel))
        try:
            st = os.stat(path)
        except OSError:
            return None
        if st.st_size != len(raw):
            return None   # changed since the scan read it: the index build reads it again
        # the check queries every file it tokenised right after the build: the hashes are reused there
        return prepare_bytes(path, raw, st, max_bytes=self.max_bytes, min_tokens=self.min_tokens, k=self.k,
                             doc=doc, keep_hashes=True)


def scan_tokens(root: str, files: list[str], config: Any, *, use_cache: bool = True) -> ScanTokens | None:
    """The scan hook for the ``files`` (root-relative) whose stored clone tokens are missing or stale."""
    if config is not None and not config.get("duplication.enabled", True):
        return None
    index = CloneIndex(root, config)
    wanted = set(files)
    if use_cache:
        store = CloneStore(index.root or root, index.k, index.thresholds.min_tokens)
        try:
            records = store.files()
        finally:
            store.close()
        wanted = {rel for rel in files if not _unchanged(records.get(index.key(os.path.join(root, rel))),
                                                         os.path.join(root, rel))}
    if not wanted:
        return None
    return ScanTokens(index.root or os.path.abspath(root), frozenset(wanted), index.max_file_bytes,
                      index.thresholds.min_tokens, index.k)


def _unchanged(record: FileRecord | None, path: str) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return record is not None and record.mtime_ns == st.st_mtime_ns and record.size == st.st_size


def _prepare_chunk(paths: list[str], max_bytes: int, min_tokens: int, k: int,
                   known: frozenset[str]) -> list[Prepared]:
    return [prepare_file(p, max_bytes=max_bytes, min_tokens=min_tokens, k=k, known=known) for p in paths]


def update_from_disk(index: CloneIndex, path: str) -> str | None:
    """Re-read one file (saved or changed on disk) into the index; returns the skip reason, if any."""
    prepared = prepare_file(index.key(path), max_bytes=index.max_file_bytes,
                            min_tokens=index.thresholds.min_tokens, k=index.k)
    _apply(index, prepared, {})
    return prepared.skipped


def _apply(index: CloneIndex, prepared: Prepared,
           reusable: dict[str, tuple[TokenStream, Fingerprints]]) -> None:
    key = index.key(prepared.path)
    index.file_stats[key] = (prepared.mtime_ns, prepared.size)
    if prepared.skipped:
        index.skip(key, prepared.skipped)
    elif prepared.reused and prepared.hash in reusable:
        tokens, fps = reusable[prepared.hash]
        index.add(key, tokens, fps)
    elif prepared.tokens is not None:
        index.add(key, prepared.tokens, prepared.fps, hashes=prepared.hashes)


def build_index(root: str, files: list[str], config: Any, *,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None,
                processes: int | None = None, prepared: dict[str, Prepared] | None = None) -> CloneIndex:
    """The clone index of ``files`` (absolute, or relative to ``root``), reusing what ``<root>/.guardline/clones.sqlite`` holds for
    unchanged files (same mtime and size, or same content hash) and tokenising the rest in a process
    pool. Saves the result. When ``cancelled()`` turns true the partial index is returned with
    ``complete = False`` (and is not saved). ``prepared`` (absolute path -> Prepared, e.g. tokenised by
    the scan from its own parse) spares reading and parsing those files again."""
    index = CloneIndex(root, config)
    # relative paths are relative to root; a name that is not valid UTF-8 cannot be stored (the scan reports it)
    files = [os.path.join(index.root or root, f) for f in files if display_path(f) == f]
    store = CloneStore(index.root or root, index.k, index.thresholds.min_tokens)
    try:
        todo = _reuse_unchanged(index, store, files)
        todo = _use_prepared(index, todo, prepared or {})
        total, done = len(files), len(files) - len(todo)
        if progress:
            progress(done, total)
        if todo:
            known = frozenset(h for h in (r.hash for r in store.files().values()) if h)
            reusable_loader = _LazyStreams(store)
            for batch in _prepare_all(index, todo, known, processes, cancelled):
                for ready in batch:
                    _apply(index, ready, reusable_loader.get(ready))
                save(index, store)   # while the workers go on: the main process is otherwise idle
                done += len(batch)
                if progress:
                    progress(done, total)
        if cancelled and cancelled():
            index.complete = False
            return index
        index.removed |= set(store.files()) - {index.key(f) for f in files}
        save(index, store)
        with store.db:
            store.collect_garbage()
    finally:
        store.close()
    return index


def _use_prepared(index: CloneIndex, todo: list[str], prepared: dict[str, Prepared]) -> list[str]:
    """Index the files already tokenised elsewhere; return the others."""
    rest: list[str] = []
    for key in todo:
        ready = prepared.get(key)
        if ready is None or ready.reused:
            rest.append(key)
        else:
            _apply(index, ready, {})
    return rest


class _LazyStreams:
    """Loads stored token streams only when a changed file turns out to have known content."""

    def __init__(self, store: CloneStore):
        self.store = store

    def get(self, prepared: Prepared) -> dict[str, tuple[TokenStream, Fingerprints]]:
        if not prepared.reused or prepared.hash is None:
            return {}
        return self.store.load_streams({prepared.hash})


def _reuse_unchanged(index: CloneIndex, store: CloneStore, files: list[str]) -> list[str]:
    """Index the files whose stored (mtime, size) still match; return the others."""
    records = store.files()
    todo: list[str] = []
    reuse: list[tuple[str, FileRecord]] = []
    for path in files:
        key = index.key(path)
        record = records.get(key)
        try:
            st = os.stat(key)
        except OSError:
            todo.append(key)
            continue
        if record and record.mtime_ns == st.st_mtime_ns and record.size == st.st_size:
            reuse.append((key, record))
        else:
            todo.append(key)
    streams = store.load_streams({r.hash for _, r in reuse if r.hash})
    for key, record in reuse:
        if _add_record(index, key, record, streams):
            index.dirty.discard(key)
        else:
            todo.append(key)
    return todo


def _add_record(index: CloneIndex, key: str, record: FileRecord,
                streams: dict[str, tuple[TokenStream, Fingerprints]]) -> bool:
    """Index a stored file (or its skip); False when its token stream is missing from the store."""
    stream = streams.get(record.hash) if record.hash is not None else None
    if not record.skipped and stream is None:
        return False
    index.file_stats[key] = (record.mtime_ns, record.size)
    if record.skipped:
        index.skip(key, record.skipped)
    elif stream is not None:
        tokens, fps = stream
        index.add(key, tokens, fps)
    return True


def _prepare_all(index: CloneIndex, paths: list[str], known: frozenset[str], processes: int | None,
                 cancelled: Callable[[], bool] | None) -> Iterator[list[Prepared]]:
    """Yield batches of Prepared files, in-process for a few files, else from a process pool."""
    args = (index.max_file_bytes, index.thresholds.min_tokens, index.k, known)
    workers = processes or default_workers()
    if workers <= 1 or len(paths) <= IN_PROCESS_MAX_FILES:
        for start in range(0, len(paths), CHUNK_FILES):
            if cancelled and cancelled():
                return
            yield _prepare_chunk(paths[start:start + CHUNK_FILES], *args)
        return
    # workers run in a neutral folder: tasks carry absolute paths
    by_size = sorted((os.path.abspath(p) for p in paths), key=_size, reverse=True)   # big files first: better load balance
    chunks = [by_size[i:i + CHUNK_FILES] for i in range(0, len(by_size), CHUNK_FILES)]
    # The platform's default start method, like scan.py (fork on Linux: no re-import of __main__).
    with worker_pool(workers, index.root) as pool:
        pending: set[Future[list[Prepared]]] = {pool.submit(_prepare_chunk, chunk, *args) for chunk in chunks}
        while pending:
            finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
            if cancelled and cancelled():
                for future in pending:
                    future.cancel()
                return


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def save(index: CloneIndex, store: CloneStore | None = None) -> None:
    """Write the changed part of the index to ``<root>/.guardline/clones.sqlite``."""
    if index.root is None:
        raise ValueError("an index without a root cannot be saved")
    own = store is None
    store = store or CloneStore(index.root, index.k, index.thresholds.min_tokens)
    try:
        records, streams = [], []
        for key in sorted(index.dirty):
            mtime, size = index.file_stats.get(key, (0, 0))
            entry = index._disk.get(key)
            if entry is not None:
                records.append(FileRecord(store.rel(key), entry.tokens.content_hash, mtime, size, None))
                streams.append((entry.tokens, (entry.fps, entry.fpos)))
            elif key in index.skipped:
                records.append(FileRecord(store.rel(key), None, mtime, size, index.skipped[key]))
        store.write(records, streams, sorted(index.removed))
        index.dirty.clear()
        index.removed.clear()
    finally:
        if own:
            store.close()


def load(root: str, config: Any) -> CloneIndex:
    """The persisted index as saved, without looking at the files (call build_index to refresh)."""
    index = CloneIndex(root, config)
    store = CloneStore(index.root or root, index.k, index.thresholds.min_tokens)
    try:
        records = store.files()
        streams = store.load_streams({r.hash for r in records.values() if r.hash})
        for key, record in records.items():
            if not _add_record(index, key, record, streams):
                index.file_stats[key] = (record.mtime_ns, record.size)
        index.dirty.clear()
    finally:
        store.close()
    return index
