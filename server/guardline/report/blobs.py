"""A file version's analysis, kept by content across runs: trend samples and gate verdicts analyse only
blobs never seen before.

A blob's metrics and security findings never change, so they are read from and written to the check
cache (`cache.MetricsCache`, keyed by content hash + language + metrics profile + guardline version: the
same entries `guardline check` writes, so HEAD's files are usually there already). Its clone tokens go to
`.guardline/report-blobs.sqlite` (table `blob_tokens`, same key). The parse itself is made only when something
needs the tree: a blob not analysed before, or one whose text holds suppression comments."""

from __future__ import annotations

import os
from concurrent.futures import Future
from typing import Any, Iterator

from guardline.cache import MetricsCache, analysis_from_json, analysis_to_json, content_key
from guardline.duplication.tokens import TokenMemo
from guardline.languages import detect_language
from guardline.parsing import ParsedDocument, parse_after
from guardline.scan import profile_key
from guardline.stores import open_store

TOKENS_SCHEMA = "blob-tokens-2"     # 2: with the statement arrays (1 lost them: clones differed)
MIN_BLOBS_FOR_PROCESSES = 24          # fewer: a pool's start-up costs more than it saves
BATCH = 32                            # blobs per task of a worker
LAST_PARSE_BYTES = 4 << 20           # source bytes of the last parses a process keeps (parse_after)
COMMIT_EVERY = 64                     # token rows written per commit


class BlobAnalysis:
    """Functions (origin not set), origin-free security findings and the text of one blob."""

    def __init__(self, language: str, text: str, analysis: Any, doc: Any = None) -> None:
        self.language, self.text = language, text
        self.lines = text.split("\n")
        self.functions, self.security = analysis.functions, analysis.security
        self.has_suppressions = analysis.has_suppressions
        self.key = ""
        self.raw_analysis = analysis
        self._doc = doc
        self._code_rows: list[int] | None = None
        self._code_set: set[int] | None = None

    def code_rows(self) -> list[int]:
        """0-based rows of the code (non-blank) lines, ascending; computed once per blob."""
        if self._code_rows is None:
            from guardline.report.snapshot import is_code_line

            self._code_rows = [i for i, text in enumerate(self.lines) if is_code_line(text)]
        return self._code_rows

    def code_set(self) -> set[int]:
        if self._code_set is None:
            self._code_set = set(self.code_rows())
        return self._code_set

    def doc(self) -> Any:
        """The parse (made now when the analysis came from the cache)."""
        if self._doc is None:
            from guardline.parsing import parse

            self._doc = parse(self.text, self.language)
        return self._doc


BLOBS_SCHEMA = ("CREATE TABLE IF NOT EXISTS blob_tokens (key TEXT, schema TEXT, language TEXT, content_hash TEXT, "
                "raw BLOB, norm BLOB, starts BLOB, ends BLOB, lines BLOB, line_starts BLOB, stmt_starts BLOB, "
                "stmt_ends BLOB, stmt_lists BLOB, PRIMARY KEY (key, schema))")
BLOBS_PROBE = ("SELECT key, schema, language, content_hash, raw, norm, starts, ends, lines, line_starts, stmt_starts, "
               "stmt_ends, stmt_lists FROM blob_tokens LIMIT 0")
INSERT_TOKENS = "INSERT OR REPLACE INTO blob_tokens VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"


class TokenStore:
    """Clone tokens by content key (TokenStream arrays as bytes, the statement arrays included: the clone
    search reads them, so a stored stream must equal a fresh one) in .guardline/report-blobs.sqlite (a file
    of its own: its writes never hold a lock the report's samples and verdicts wait for)."""

    def __init__(self, root: str) -> None:
        self.db = open_store(root, "report-blobs.sqlite", BLOBS_SCHEMA, BLOBS_PROBE, wal=False)
        self.pending = 0

    def get(self, key: str) -> Any:
        from guardline.duplication.tokens import TokenStream

        row = self.db.execute("SELECT language, content_hash, raw, norm, starts, ends, lines, line_starts, stmt_starts, "
                              "stmt_ends, stmt_lists FROM blob_tokens WHERE key=? AND schema=?",
                              (key, TOKENS_SCHEMA)).fetchone()
        return TokenStream.from_bytes(row[0], list(row[2:]), row[1]) if row else None

    def put(self, key: str, tokens: Any) -> None:
        self.db.execute(INSERT_TOKENS, (key, TOKENS_SCHEMA, tokens.language, tokens.content_hash,
                                        *tokens.to_bytes(statements=True)))
        self.db.commit()            # no open write transaction: another run (or cache) may read and write too

    def put_raw(self, key: str, language: str, content_hash: str, arrays: list[bytes]) -> None:
        """Stored with the next ``COMMIT_EVERY`` (one commit per blob cost a sync each: minutes on a
        busy disk); the write lock is still never held for long. ``arrays``: ``to_bytes(statements=True)``."""
        self.db.execute(INSERT_TOKENS, (key, TOKENS_SCHEMA, language, content_hash, *arrays))
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.flush()

    def flush(self) -> None:
        self.db.commit()
        self.pending = 0

    def close(self) -> None:
        self.flush()
        self.db.close()


class BlobAnalyses:
    """blob sha -> BlobAnalysis (None: not analysable) for one run, backed by the check cache."""

    def __init__(self, root: str, config: Any) -> None:
        self.config = config
        self.profile = profile_key(config)
        self.by_blob: dict[str, BlobAnalysis | None] = {}
        self.metrics = MetricsCache(root)
        self.tokens = TokenStore(root)
        self.analysed = 0                       # blobs parsed and measured in this run (bench figure)
        self.memos: dict[str, dict[Any, Any]] = {}   # path -> metrics memo of its top-level functions
        self.token_memo = TokenMemo()                 # clone tokens of statements seen in this run
        self.last_parse: dict[str, ParsedDocument] = {}     # path -> its last parse here (parse_after)
        self.workers: _Workers | None = None          # the run's worker processes, started when needed

    def __contains__(self, blob: str) -> bool:
        return blob in self.by_blob

    def get(self, blob: str) -> BlobAnalysis | None:
        return self.by_blob.get(blob)

    def add(self, items: list[tuple[str, str, bytes]], workers: int = 1) -> None:
        """Analyse (path, blob sha, raw bytes) not seen in this run: from the cache, else parse now (in
        ``workers`` processes when there are many: the workers return the analysis and tokens, not the
        tree, which is parsed again here only if a suppression comment needs it)."""
        for _group in self.add_groups([items], workers):
            pass

    def add_groups(self, groups: list[list[tuple[str, str, bytes]]], workers: int = 1) -> Iterator[int]:
        """``add`` for groups of items (the files of successive trend samples), yielding each group's
        index, in order, once all its blobs are analysed: the worker processes go on with the next groups
        while the caller uses this one. A blob is analysed with the first group holding it."""
        keyed_groups = [self._keyed(items) for items in groups]
        cached = self.metrics.get_many([key for keyed in keyed_groups for *_rest, key in keyed])
        seen: set[str] = set()
        misses_by_group: list[list[Miss]] = []
        for keyed in keyed_groups:
            misses = [(path, language, text, key) for path, _blob, language, text, key in keyed
                      if key not in cached and key not in seen]
            seen.update(miss[3] for miss in misses)
            misses_by_group.append(misses)
        pending = None
        if workers > 1 and sum(map(len, misses_by_group)) >= MIN_BLOBS_FOR_PROCESSES:
            pending = [self._submit(misses, workers) for misses in misses_by_group]
        for index, keyed in enumerate(keyed_groups):
            if pending is not None:
                cached.update(self._collect(pending[index]))
            self._finish(keyed, cached)
            yield index

    def _keyed(self, items: list[tuple[str, str, bytes]]) -> list[tuple[str, str, str, str, str]]:
        """(path, blob, language, text, content key) of the analysable items (the others: None)."""
        from guardline.parsing import UnanalysableFile, decode_source

        keyed = []
        for path, blob, raw in items:
            language = detect_language(path, raw[:256])
            try:
                text, _source = decode_source(raw, max_bytes=self.config["max_file_bytes"])
            except UnanalysableFile:
                language = None
            if language is None:
                self.by_blob[blob] = None
                continue
            keyed.append((path, blob, language, text, content_key(raw, language, self.profile)))
        return keyed

    def _finish(self, keyed: list[tuple[str, str, str, str, str]], cached: dict[str, str]) -> None:
        """The BlobAnalysis of each item: from the cache or the workers' answers, else analysed here."""
        fresh = []
        for path, blob, language, text, key in keyed:
            if blob in self.by_blob:
                continue
            analysis: BlobAnalysis | None
            if key in cached:
                analysis = BlobAnalysis(language, text, analysis_from_json(cached[key]))
            else:
                analysis = self._analyse(path, language, text)
                if analysis is not None:
                    fresh.append((key, analysis_to_json(analysis.raw_analysis)))
            if analysis is not None:
                analysis.key = key
            self.by_blob[blob] = analysis
        self.metrics.put_many(fresh)

    def _submit(self, misses: list[Miss], workers: int) -> list[Future[list[BatchRow]]]:
        """Queue ``misses`` on the run's workers, each file to the worker that had its earlier versions."""
        if self.workers is None:
            self.workers = _Workers(workers)
        by_worker: dict[int, list[Miss]] = {}
        for miss in sorted(misses, key=lambda miss: miss[0]):
            by_worker.setdefault(self.workers.owner(miss[0], len(miss[2])), []).append(miss)
        return [self.workers.submit(worker, (batch[i:i + BATCH], self.config.values))
                for worker, batch in by_worker.items() for i in range(0, len(batch), BATCH)]

    def _collect(self, futures: list[Future[list[BatchRow]]]) -> dict[str, str]:
        """content key -> analysis JSON of the answered batches; their tokens stored too."""
        out: dict[str, str] = {}
        for future in futures:
            for key, analysis_json, language, content_hash, token_bytes in future.result():
                if analysis_json is None:
                    continue
                out[key] = analysis_json
                self.analysed += 1
                if token_bytes is not None:
                    self.tokens.put_raw(key, language, content_hash, token_bytes)
        self.tokens.flush()
        self.metrics.put_many(list(out.items()))
        return out

    def _analyse(self, path: str, language: str, text: str) -> BlobAnalysis | None:
        from guardline.pipeline import analyze_text

        try:
            doc = _parse_next(path, text, language, self.last_parse)
            doc.memo = self.memos.setdefault(path, {})
            analysis = analyze_text(doc, path, self.config)
        except Exception:       # unanalysable (a grammar failure): skipped like the scanner does
            return None
        doc.memo = None         # the kept parse must not carry the run's memo
        self.analysed += 1
        return BlobAnalysis(language, text, analysis, doc)

    def clone_tokens(self, analysis: BlobAnalysis) -> Any:
        """The blob's clone tokens: stored, else tokenized from its parse (None: no tokenizer)."""
        tokens = self.tokens.get(analysis.key) if analysis.key else None
        if tokens is None:
            from guardline.duplication import tokenize
            try:
                tokens = tokenize(analysis.doc(), self.token_memo)
            except Exception:       # a language without clone tokens: no duplication for this file
                return None
            if analysis.key:
                self.tokens.put(analysis.key, tokens)
        return tokens

    def close(self) -> None:
        if self.workers is not None:
            self.workers.close()
        self.metrics.close()
        self.tokens.close()


class _Workers:
    """The run's worker processes, one pool of one process each, so that every version of a file goes to
    the same process (its metrics memo, token memo and last parse serve the next version; a shared pool
    hands batches to whichever process is free). A file is given to the least loaded worker (bytes
    queued) when first seen; batches run in the order submitted."""

    def __init__(self, count: int) -> None:
        from guardline.processes import worker_pool

        self.pools = [worker_pool(1) for _ in range(count)]
        self.owners: dict[str, int] = {}
        self.load = [0] * count

    def owner(self, path: str, size: int) -> int:
        worker = self.owners.get(path)
        if worker is None:
            worker = self.owners[path] = self.load.index(min(self.load))
        self.load[worker] += size
        return worker

    def submit(self, worker: int, batch: tuple[list[Miss], dict[str, Any]]) -> Future[list[BatchRow]]:
        return self.pools[worker].submit(_analyse_batch, batch)

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)


def share_scan_tokens(root: str, config: Any, prepared: dict[str, Any]) -> int:
    """Store the clone tokens the snapshot's scan made (``Workspace.analyse_all(clone_tokens=...)``,
    root-relative path -> duplication Prepared) under the files' content keys, so that the trend's HEAD
    sample finds them instead of tokenizing the same files again. Only tokens of the bytes a blob parse
    would see (same content hash) are stored. Returns how many."""
    from guardline.duplication.tokens import content_hash
    from guardline.parsing import UnanalysableFile, decode_source, normalise_text

    ready = [(rel, p.tokens) for rel, p in prepared.items() if getattr(p, "tokens", None) is not None]
    if not ready:
        return 0
    profile = profile_key(config)
    store = TokenStore(root)
    shared = 0
    try:
        for rel, tokens in ready:
            try:
                with open(os.path.join(root, rel), "rb") as fh:
                    raw = fh.read()
                text, _source = decode_source(raw, max_bytes=config["max_file_bytes"])
                source = normalise_text(text).encode("utf-8")     # what parse(text, language) tokenizes
            except (OSError, UnanalysableFile, UnicodeEncodeError):
                continue
            language = detect_language(rel, raw[:256])
            if language is None or language != tokens.language or content_hash(source) != tokens.content_hash:
                continue        # changed since the scan read it, or another reading of the bytes
            store.put_raw(content_key(raw, language, profile), language, tokens.content_hash,
                          tokens.to_bytes(statements=True))
            shared += 1
    finally:
        store.close()
    return shared


# Worker processes: path -> metrics memo (metrics.compute_functions): the versions of one file share most
# top-level functions, and they all come to one worker, in order (_Workers), so it measures only the changed ones;
# the same for clone tokens (one memo: statements are keyed by their text, whatever file holds them).
_WORKER_MEMOS: dict[str, dict[Any, Any]] = {}
_WORKER_TOKEN_MEMO = TokenMemo()
# ... and the last parse of each file, reused by its next version (parsing.parse_after)
_WORKER_LAST: dict[str, ParsedDocument] = {}
# a worker's answer per blob: (key, analysis JSON or None, language, token content hash, token arrays or None)
BatchRow = tuple[str, str | None, str, str, list[bytes] | None]
Miss = tuple[str, str, str, str]      # a blob to analyse: (path, language, text, content key)


def _analyse_batch(args: tuple[list[tuple[str, str, str, str]], dict[str, Any]]) -> list[BatchRow]:
    """Worker: (key, analysis JSON or None, language, token content hash, token arrays or None) per blob."""
    from guardline.config import Config
    from guardline.pipeline import analyze_text

    batch, values = args
    config = Config(values=values)
    out: list[BatchRow] = []
    for path, language, text, key in batch:
        try:
            doc = _parse_next(path, text, language, _WORKER_LAST)
            doc.memo = _WORKER_MEMOS.setdefault(path, {})
            analysis = analyze_text(doc, path, config)
        except Exception:       # unanalysable: skipped like the scanner does
            out.append((key, None, language, "", None))
            continue
        tokens = _tokens_or_none(doc, _WORKER_TOKEN_MEMO)
        out.append((key, analysis_to_json(analysis), language, tokens.content_hash if tokens else "",
                    tokens.to_bytes(statements=True) if tokens else None))
    return out


def _parse_next(path: str, text: str, language: str, last: dict[str, ParsedDocument]) -> ParsedDocument:
    """``text`` parsed, reusing the tree of the last version of the same file parsed here (``last``: path
    -> that parse, for the files parsed most recently, LAST_PARSE_BYTES of source in all: a tree takes
    ~10-20 times its source in memory)."""
    doc = parse_after(last.pop(path, None), text, language)
    last[path] = doc
    kept = sum(len(kept_doc.source) for kept_doc in last.values())
    while kept > LAST_PARSE_BYTES and len(last) > 1:
        kept -= len(last.pop(next(iter(last))).source)
    return doc


def _tokens_or_none(doc: Any, memo: TokenMemo | None = None) -> Any:
    from guardline.duplication import tokenize
    try:
        return tokenize(doc, memo)
    except Exception:           # a language without clone tokens
        return None
