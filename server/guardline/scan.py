"""Workspace scans: which files to analyse, and analysing many of them fast.

Discovery honours .gitignore files (every level), include/exclude globs from the config and the
default exclusions for vendored and generated code. Cold scans run in worker processes; every
file's metrics are cached by content hash so an unchanged rescan does not even parse.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import pathspec

from guardline.cache import MetricsCache, analysis_from_json, analysis_to_json, content_key
from guardline.config import Config
from guardline.files import display_path, is_regular, read_regular, read_text
from guardline.globs import usable
from guardline.languages import detect_language
from guardline.model import FileResult, Finding
from guardline.notes import run_notes
from guardline.parsing import ParsedDocument, UnanalysableFile, decode_source, parse
from guardline.processes import default_workers, worker_pool

if TYPE_CHECKING:   # imported where used: a worker that analyses without origin never loads it
    from guardline.origin import FileOrigin, OriginResolver

# Never descended into: VCS metadata, guardline's own state, environments and vendored trees.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".guardline", "node_modules", ".venv", "venv", "__pycache__",
                       ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "vendor",
                       "third_party", "bower_components", ".idea", ".vscode", "dist", "build", "target"})
MIN_FILES_FOR_PROCESSES = 24

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
# doc_hook(rel, raw, doc) -> value or None: more work on a parse the scan made anyway (e.g. the clone
# tokens); runs in the worker processes, so it must pickle (a module-level function or object).
DocHook = Callable[[str, bytes, ParsedDocument], object]

if TYPE_CHECKING:
    from guardline.pipeline import TextAnalysis

OriginFor = Callable[[str, str], "FileOrigin | None"]   # (path, text) -> the file's line origins
# one analysed file: (result, cache key, analysis JSON to store or None, the doc hook's value or None)
Analysed = tuple[FileResult, "str | None", "str | None", object]
# a worker's batch: (root, [(path, cached analysis JSON or None)], config values, with origin, doc hook)
WorkerArgs = tuple[str, "list[tuple[str, str | None]]", "dict[str, Any]", bool, "DocHook | None"]


MAX_IGNORE_BYTES = 1 << 20


def _read_ignore(path: str) -> list[str]:
    try:
        return read_text(path, MAX_IGNORE_BYTES).splitlines()     # a FIFO named .gitignore is skipped
    except OSError:
        return []


def _rel_spec(base_rel: str, lines: list[str]) -> pathspec.PathSpec[pathspec.Pattern] | None:
    lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    lines, bad = usable(lines)        # the workspace's .gitignore is untrusted: no pattern may hang the walk
    for pattern, problem in bad[:1]:
        where = f"{base_rel}/.gitignore" if base_rel else ".gitignore"
        run_notes().add(f"gitignore-pattern:{where}", f"{display_path(where)}: pattern {pattern[:80]!r} skipped: "
                                                      f"{problem}")
    if not lines:
        return None
    return pathspec.PathSpec.from_lines("gitwildmatch", lines)


class IgnoreRules:
    """.gitignore files found while walking, each applied to paths below its folder."""

    def __init__(self, root: str, config: Config):
        self.root = root
        self.config = config
        self.specs: list[tuple[str, pathspec.PathSpec[pathspec.Pattern]]] = []
        self.exclude = pathspec.PathSpec.from_lines("gitwildmatch", config["exclude"]) if config["exclude"] else None
        self.include = pathspec.PathSpec.from_lines("gitwildmatch", config["include"]) if config["include"] else None

    def add_dir(self, rel_dir: str) -> None:
        spec = _rel_spec(rel_dir, _read_ignore(os.path.join(self.root, rel_dir, ".gitignore")))
        if spec is not None:
            self.specs.append((rel_dir, spec))

    def ignored(self, rel: str, is_dir: bool) -> bool:
        probe = rel + "/" if is_dir else rel
        for base, spec in self.specs:
            if base and not rel.startswith(base + "/"):
                continue
            sub = probe[len(base) + 1:] if base else probe
            if spec.match_file(sub):
                return True
        if self.exclude is not None and self.exclude.match_file(probe):
            return True
        return False

    def included(self, rel: str) -> bool:
        return self.include is None or self.include.match_file(rel)


def discover_files(root: str, config: Config, paths: Iterable[str] | None = None) -> list[str]:
    """Analysable files (paths relative to ``root``, forward slashes), sorted."""
    root = os.path.abspath(root)
    rules = IgnoreRules(root, config)
    found: list[str] = []
    starts = [os.path.abspath(p) for p in paths] if paths else [root]
    for start in starts:
        if os.path.isfile(start):
            rel = os.path.relpath(start, root).replace(os.sep, "/")
            if _language_of(start) is not None:
                found.append(rel)
            continue
        found.extend(_walk(root, start, rules))
    return sorted(set(found))


def _walk(root: str, start: str, rules: IgnoreRules) -> list[str]:
    out: list[str] = []
    rules = _rules_for_start(root, start, rules)
    for dirpath, dirnames, filenames in os.walk(start):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        if dirpath != start:
            rules.add_dir(rel_dir)
        dirnames[:] = _kept_dirs(dirpath, rel_dir, dirnames, rules)
        out.extend(_kept_files(dirpath, rel_dir, filenames, rules))
    return out


def _rules_for_start(root: str, start: str, rules: IgnoreRules) -> IgnoreRules:
    """The .gitignore files of folders above the start (between root and start) still apply."""
    rel_start = os.path.relpath(start, root)
    parts = [] if rel_start == "." else rel_start.split(os.sep)
    for depth in range(len(parts) + 1):
        rules.add_dir("/".join(parts[:depth]))
    if parts and rules.ignored("/".join(parts), True):
        # the user named an ignored folder explicitly: analyse it, with the ignore files inside it
        rules = IgnoreRules(root, rules.config)
        rules.add_dir("/".join(parts))
    return rules


def _kept_dirs(dirpath: str, rel_dir: str, dirnames: list[str], rules: IgnoreRules) -> list[str]:
    keep = []
    for name in sorted(dirnames):
        rel = f"{rel_dir}/{name}" if rel_dir else name
        if name in SKIP_DIRS or os.path.islink(os.path.join(dirpath, name)) or rules.ignored(rel, True):
            continue
        keep.append(name)
    return keep


def _kept_files(dirpath: str, rel_dir: str, filenames: list[str], rules: IgnoreRules) -> list[str]:
    out = []
    for name in filenames:
        rel = f"{rel_dir}/{name}" if rel_dir else name
        full = os.path.join(dirpath, name)
        if rules.ignored(rel, False) or not rules.included(rel) or not is_regular(full):
            continue      # links, FIFOs, devices, sockets are never opened
        if _language_of(full) is not None:
            out.append(rel)
    return out


def _language_of(path: str) -> str | None:
    language = detect_language(path)
    if language is not None:
        return language
    if os.path.splitext(path)[1]:
        return None   # an unknown extension: not source we analyse
    try:
        head = read_regular(path, 128)
    except OSError:
        return None
    return detect_language(path, head)


# ----------------------------------------------------------------------------- analysis
@dataclass
class ScanItem:
    rel: str
    raw: bytes | None
    language: str | None
    key: str | None
    error: str | None = None


def profile_key(config: Config) -> str:
    return f"{config['cyclomatic_profile']}/{config['maintainability_profile']}/{config['max_file_bytes']}"


def _load(root: str, rel: str, config: Config) -> ScanItem:
    full = os.path.join(root, rel)
    try:
        size = os.path.getsize(full)
        if size > config["max_file_bytes"]:
            return ScanItem(rel, None, _language_of(full), None,
                            f"file is {size:,} bytes, over the {config['max_file_bytes']:,}-byte limit (max_file_bytes)")
        raw = read_regular(full)
    except OSError as exc:
        return ScanItem(rel, None, None, None, f"cannot read: {exc.strerror}")
    if display_path(rel) != rel:
        return ScanItem(rel, None, detect_language(rel), None, "file name is not valid UTF-8 "
                        "(rename the file to analyse it)")
    language = detect_language(rel, raw[:256])
    if language is None:
        return ScanItem(rel, raw, None, None, "unsupported language")
    return ScanItem(rel, raw, language, content_key(raw, language, profile_key(config)))


def analyze_item(item: ScanItem, config: Config, cached: str | None = None,
                 origin_for: OriginFor | None = None,
                 on_doc: Callable[[ParsedDocument], None] | None = None) -> tuple[FileResult, str | None]:
    """Analyse one loaded file; returns the result and the analysis JSON to cache (None if cached).

    A cached file is not parsed again unless it holds suppression comments."""
    from guardline.pipeline import analyze_text, finish

    if item.error or item.raw is None or item.language is None:
        return FileResult(path=display_path(item.rel), language=item.language, error=item.error), None
    try:
        text, source = decode_source(item.raw, max_bytes=config["max_file_bytes"])
    except UnanalysableFile as exc:
        return FileResult(path=item.rel, language=item.language, lines=item.raw.count(b"\n"), error=str(exc)), None
    doc = None
    analysis = _cached_analysis(cached)
    if analysis is None or analysis.has_suppressions:
        doc = parse(text, item.language, source=source)
        if source is not item.raw and "\ufffd" in text:
            doc.notes.append("invalid UTF-8: undecodable bytes replaced with U+FFFD")
        if analysis is None:
            try:
                analysis = analyze_text(doc, item.rel, config)
            except UnanalysableFile as exc:   # nesting too deep: bounded work, so not cached
                return FileResult(path=item.rel, language=item.language, lines=doc.line_count,
                                  error=str(exc)), None
        if on_doc is not None:
            on_doc(doc)
    file_origin = origin_for(item.rel, text) if origin_for else None
    # the lines serve the origin layer only (0.1 s of splitting per stdlib scan without it)
    lines = text.split("\n") if file_origin is not None else None
    result = finish(item.rel, analysis, config, doc=doc, file_origin=file_origin, lines=lines)
    return result, None if cached else analysis_to_json(analysis)


def _cached_analysis(cached: str | None) -> TextAnalysis | None:
    """The cached analysis, or None to analyse afresh when the row is not one guardline wrote (the
    cache lives in the untrusted workspace)."""
    if not cached:
        return None
    try:
        return analysis_from_json(cached)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


_ORIGIN_RESOLVERS: dict[tuple[str, bool], OriginResolver] = {}


def without_origin_store(config: Config) -> Config:
    """The configuration with the internal `origin.cache = false` (not a user setting: `--no-cache`
    sets it, and worker processes receive it with the configuration values)."""
    values = dict(config.values)
    values["origin"] = {**values.get("origin", {}), "cache": False}
    return Config(values=values, source=config.source)


def origin_resolver(root: str, config: Config) -> OriginResolver | None:
    """One origin resolver per process and workspace (it keeps a git cat-file process)."""
    if not config.get("origin.enabled", True):
        return None
    key = (root, bool(config.get("origin.cache", True)))
    resolver = _ORIGIN_RESOLVERS.get(key)
    if resolver is None:
        from guardline.origin import OriginResolver

        resolver = _ORIGIN_RESOLVERS[key] = OriginResolver(root, config)
    return resolver


def _origin_function(root: str, config: Config, with_origin: bool) -> OriginFor | None:
    resolver = origin_resolver(root, config) if with_origin else None
    if resolver is None:
        return None
    return lambda rel, text: resolver.resolve(rel, None)


def _worker(args: WorkerArgs) -> list[Analysed]:
    root, batch, values, with_origin, doc_hook = args
    config = Config(values=values)
    origin_for = _origin_function(root, config, with_origin)
    return [_analyse(_load(root, rel, config), config, cached, origin_for, doc_hook) for rel, cached in batch]


def _analyse(item: ScanItem, config: Config, cached: str | None, origin_for: OriginFor | None,
             doc_hook: DocHook | None = None) -> Analysed:
    extra: list[object] = []
    # the hook sees parsed files only, which were read (raw is set)
    on_doc = (lambda doc: extra.append(doc_hook(item.rel, item.raw or b"", doc))) if doc_hook else None
    result, blob = analyze_item(item, config, cached, origin_for, on_doc)
    return result, item.key, blob, extra[0] if extra else None


def scan_files(root: str, files: list[str], config: Config, *, progress: Progress | None = None,
               cancelled: Cancelled | None = None, processes: int | None = None,
               use_cache: bool = True, with_origin: bool = False, doc_hook: DocHook | None = None,
               hook_results: dict[str, object] | None = None) -> list[FileResult]:
    """Analyse ``files`` (relative to ``root``) in worker processes, reusing cached text analyses.

    ``doc_hook`` runs on every file the scan parses; its non-None values go to ``hook_results[rel]``."""
    root = os.path.abspath(root)     # workers run in a neutral folder: tasks carry absolute paths
    cache = MetricsCache(root if use_cache else None)
    if not use_cache and with_origin:    # --no-cache skips .guardline/origin.sqlite too
        config = without_origin_store(config)
    hook = (doc_hook, hook_results if hook_results is not None else {})
    try:
        return _scan(root, files, config, cache, progress, cancelled, processes, with_origin, hook)
    finally:
        cache.close()


def _scan(root: str, files: list[str], config: Config, cache: MetricsCache, progress: Progress | None,
          cancelled: Cancelled | None, processes: int | None, with_origin: bool,
          hook: tuple[DocHook | None, dict[str, object]] = (None, {})) -> list[FileResult]:
    results: dict[str, FileResult] = {}
    new_entries: list[tuple[str, str]] = []
    cold: list[str] = []
    doc_hook, hook_results = hook
    # generators are lazy: _run_cold reads `cold` only after _run_warm has filled it
    outputs = itertools.chain(_run_warm(root, files, config, cache, cold, cancelled, with_origin, doc_hook),
                              _run_cold(root, cold, config, processes, cancelled, with_origin, doc_hook))
    for result, key, blob, extra in outputs:
        results[result.path] = result
        if extra is not None:
            hook_results[result.path] = extra
        if key and blob:
            new_entries.append((key, blob))
        if progress:
            progress(len(results), len(files))
    cache.put_many(new_entries)
    found = (results.get(rel) or results.get(display_path(rel)) for rel in files)
    return [result for result in found if result is not None]


WARM_CHUNK = 256


def _run_warm(root: str, files: list[str], config: Config, cache: MetricsCache, cold: list[str],
              cancelled: Cancelled | None, with_origin: bool, doc_hook: DocHook | None = None) -> Iterator[Analysed]:
    """Read each file once, in chunks: cached (and unanalysable) files are finished here from the
    bytes already read; the others are queued in ``cold`` for worker processes, which re-read them."""
    origin_for = _origin_function(root, config, with_origin)
    for start in range(0, len(files), WARM_CHUNK):
        if cancelled and cancelled():
            return
        items = [_load(root, rel, config) for rel in files[start:start + WARM_CHUNK]]
        cached = cache.get_many([item.key for item in items if item.key])
        for item in items:
            blob = cached.get(item.key) if item.key else None
            if blob is not None or item.key is None:
                yield _analyse(item, config, blob, origin_for, doc_hook)
            else:
                cold.append(item.rel)


def _run_cold(root: str, rels: list[str], config: Config, processes: int | None,
              cancelled: Cancelled | None, with_origin: bool, doc_hook: DocHook | None = None) -> Iterator[Analysed]:
    workers = processes if processes is not None else default_workers()
    jobs: list[tuple[str, str | None]] = [(rel, None) for rel in rels]
    if workers > 1 and len(jobs) >= MIN_FILES_FOR_PROCESSES:
        yield from _run_pool(root, jobs, config, workers, cancelled, with_origin, doc_hook)
        return
    for start in range(0, len(jobs), 16):
        if cancelled and cancelled():
            return
        yield from _worker((root, jobs[start:start + 16], config.values, with_origin, doc_hook))


def _run_pool(root: str, jobs: list[tuple[str, str | None]], config: Config, workers: int,
              cancelled: Cancelled | None, with_origin: bool, doc_hook: DocHook | None = None) -> Iterator[Analysed]:
    resolver = origin_resolver(root, config) if with_origin else None
    if resolver is not None:
        resolver.store.prepare()
    chunk = max(2, min(32, len(jobs) // (workers * 8) or 1))
    batches: list[WorkerArgs] = [(root, jobs[i:i + chunk], config.values, with_origin, doc_hook)
                                 for i in range(0, len(jobs), chunk)]
    with worker_pool(workers, root) as pool:
        for batch in pool.map(_worker, batches):
            yield from batch
            if cancelled and cancelled():
                pool.shutdown(cancel_futures=True)
                return
