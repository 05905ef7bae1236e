"""Trend over sampled history and gate pass rate by origin, from git objects only (no checkout).

Samples: the newest first-parent commit of each week (`report.sample: weekly`) or every N commits
(`report.sample: N`), newest `report.max_samples` kept. For each sample: `git ls-tree` lists the files,
`git cat-file --batch` reads them, the metrics engine measures the functions, a forward blame over one
`git log -p` (report/linemap.py; `git blame SHA -- path` as fallback) gives each line's introducing commit
and the commit classifier its origin; a function takes the majority origin of its lines. Duplication
and debt follow the snapshot's model (report/snapshot.py) with an in-memory clone index per run.
Gate: for each of the last GATE_COMMITS non-merge commits, the functions it changed (new-side diff lines)
pass when no error-level finding (thresholds at the commit's origin, security) falls in them. Both are stored in `.guardline/report.sqlite`, so a second run only computes new commits."""

from __future__ import annotations

import bisect
import copy
import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Callable, Iterator

from guardline.languages import detect_language
from guardline.model import FunctionMetrics
from guardline.git import run_git
from guardline.report.linemap import LineMap, LineMapStore
from guardline.report.history import (REPORT_PROBE, REPORT_SCHEMA, CommitOrigins, EMPTY_TREE, diff_hunks, log_hunks,
                                       read_commits, week_start)
from guardline.report.units import Units, buckets
from guardline.report.snapshot import (ROW_ORIGINS, OriginTotals, add_function_totals, duplicated_lines,
                                       remediation_minutes)
from guardline.scan import profile_key
from guardline.workspace import Workspace

if TYPE_CHECKING:
    from guardline.config import Config
    from guardline.duplication import Clone
    from guardline.model import Finding
    from guardline.origin.records import CommitInfo
    from guardline.report.blobs import BlobAnalysis
    from guardline.report.history import Hunks
    from guardline.report.sampleclones import SampleClones

GATE_COMMITS = 200
MAX_BLOB = 1024 * 1024
WEEK = 7 * 86400
# Bumped whenever a stored sample's fields or model change, so older rows are recomputed, never misread.
# 2: duplication_pct, debt_hours (and code_lines) per origin; functions' origin also drives thresholds.
# 3: security_per_kloc; module-level findings counted by their line's origin; no code -> None, never 0.
SCHEMA = "report-trend-3"
SAMPLE_KEYS = ("functions", "code_lines", "avg_cyclomatic", "avg_cognitive", "avg_maintainability",
               "duplication_pct", "security_per_kloc", "debt_hours")


class Store:
    """SQLite store of computed samples and gate verdicts, keyed by sha + metrics profile."""

    def __init__(self, workspace: Workspace) -> None:
        self.db = workspace.open_store("report.sqlite", REPORT_SCHEMA, REPORT_PROBE, wal=False)
        self.key = f"{SCHEMA}/{profile_key(workspace.config)}"

    def sample(self, sha: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM samples WHERE sha=? AND profile=?", (sha, self.key)).fetchone()
        return json.loads(row[0]) if row else None

    def put_sample(self, sha: str, data: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO samples VALUES (?,?,?)", (sha, self.key, json.dumps(data)))
        self.db.commit()

    def gate(self, sha: str) -> tuple[str, bool] | None:
        row = self.db.execute("SELECT origin, passed FROM gates WHERE sha=? AND profile=?",
                              (sha, self.key)).fetchone()
        return (row[0], bool(row[1])) if row else None

    def put_gate(self, sha: str, origin: str, passed: bool) -> None:
        self.db.execute("INSERT OR REPLACE INTO gates VALUES (?,?,?,?)", (sha, self.key, origin, int(passed)))
        self.db.commit()

    def close(self) -> None:
        self.db.close()


def pick_samples(commits: list[tuple[str, int]], sample: Any, limit: int) -> list[tuple[str, int]]:
    """``commits`` newest first -> chosen (sha, time), oldest first."""
    chosen: list[tuple[str, int]] = []
    if str(sample).isdigit() and int(sample) > 0:
        chosen = commits[::int(sample)]
    else:
        seen: set[int] = set()
        for sha, when in commits:
            if when // WEEK not in seen:
                seen.add(when // WEEK)
                chosen.append((sha, when))
    return list(reversed(chosen[:max(1, int(limit))]))


def read_blobs(root: str, shas: list[str]) -> dict[str, bytes]:
    """Contents of blobs via one `git cat-file --batch`."""
    if not shas:
        return {}
    raw = run_git(["cat-file", "--batch"], root, stdin=("\n".join(shas) + "\n").encode())
    out, pos = {}, 0
    for sha in shas:
        end = raw.index(b"\n", pos)
        header = raw[pos:end].split()
        pos = end + 1
        if len(header) < 3:     # "<sha> missing"
            continue
        size = int(header[2])
        out[sha] = raw[pos:pos + size]
        pos += size + 1
    return out


def tree_files(root: str, sha: str) -> list[tuple[str, str]]:
    """(path, blob sha) of analysable files at commit ``sha``."""
    raw = run_git(["ls-tree", "-r", "-z", "-l", sha, "--"], root).decode("utf-8", "replace")
    out = []
    for entry in raw.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 4 and parts[1] == "blob" and parts[3].isdigit() and int(parts[3]) <= MAX_BLOB \
                and detect_language(path):
            out.append((path, parts[2]))
    return out


def blame_commits(root: str, sha: str, path: str) -> list[str]:
    """Introducing commit of each line of ``path`` at ``sha`` (index 0 = line 1)."""
    raw = run_git(["blame", "--porcelain", sha, "--", path], root).decode("utf-8", "replace")
    out = []
    for line in raw.split("\n"):
        head = line.split(" ")
        if not line.startswith("\t") and len(head[0]) == 40 and len(head) >= 3:
            out.append(head[0])
    return out


def _majority(origins: list[str]) -> str:
    """The more frequent of ai and human (a tie: the one met first, as Counter.most_common gives it)."""
    ai, human = origins.count("ai"), origins.count("human")
    if ai != human:
        return "ai" if ai > human else "human"
    if not ai:
        return "other"
    return "ai" if origins.index("ai") < origins.index("human") else "human"


@dataclass
class SampleFile:
    """One measured file of a sample: its analysis (report/blobs.py), functions (origin set), line origins."""

    path: str
    doc: BlobAnalysis
    functions: list[FunctionMetrics]
    line_origins: list[str]
    blob: str = ""


class RunCache:
    """What the samples and gate verdicts of one run share: blob analyses (report/blobs.py, kept across
    runs by content) and the clone index (report/sampleclones.py)."""

    def __init__(self, root: str, config: Config) -> None:
        from guardline.report.blobs import BlobAnalyses

        self.root = root
        self.blobs = BlobAnalyses(root, config)
        self.figures = FiguresMemo()
        self.trees: dict[str, list[tuple[str, str]]] = {}      # commit -> tree_files (listed once a run)
        self.clones: SampleClones | None = None
        if config.get("duplication.enabled", True):
            from guardline.report.sampleclones import SampleClones
            self.clones = SampleClones(root, config, self.blobs.clone_tokens)

    def tree_files(self, sha: str) -> list[tuple[str, str]]:
        if sha not in self.trees:
            self.trees[sha] = tree_files(self.root, sha)
        return self.trees[sha]

    def analyse(self, files: list[tuple[str, str]], workers: int = 1) -> None:
        """Make sure every (path, blob sha) is analysed: one `git cat-file --batch` for the unseen ones."""
        for _group in self.analyse_groups([files], workers):
            pass

    def analyse_groups(self, groups: list[list[tuple[str, str]]], workers: int = 1) -> Iterator[int]:
        """``analyse`` for the files of several samples, yielding each group's index once its files are
        analysed (in order: the workers go on with the next samples while the caller computes this one)."""
        seen: set[str] = set()
        todo: list[list[tuple[str, str]]] = []
        for files in groups:
            todo.append([])
            for path, blob in files:
                if blob not in self.blobs and blob not in seen:
                    seen.add(blob)
                    todo[-1].append((path, blob))
        raw = read_blobs(self.root, sorted(seen))
        yield from self.blobs.add_groups([[(path, blob, raw.get(blob, b"")) for path, blob in files]
                                          for files in todo], workers)

    def close(self) -> None:
        self.blobs.close()


def compute_sample(root: str, sha: str, config: Config, origins: CommitOrigins,
                   line_commits: dict[str, list[str]] | None = None,
                   cache: RunCache | None = None) -> dict[str, Any]:
    """Per-origin figures of the tree at ``sha``, the same model as the HEAD snapshot but with each line's
    origin taken from its introducing commit instead of line-level evidence.

    ``line_commits`` (path -> introducing commit per line, from LineMap) replaces `git blame` per file;
    ``cache`` lets the samples of one run (oldest first) share unchanged files and the clone index."""
    if cache is None:
        own = RunCache(root, config)
        try:
            return compute_sample(root, sha, config, origins, line_commits, own)
        finally:
            own.close()
    files = cache.tree_files(sha)
    cache.analyse(files)
    present: list[tuple[str, str, BlobAnalysis]] = []   # (path, blob, analysis)
    for path, blob in files:
        analysis = cache.blobs.get(blob)
        if analysis is not None:
            present.append((path, blob, analysis))
    clones = cache.clones.update(present) if cache.clones is not None else {}
    totals = {o: OriginTotals() for o in ROW_ORIGINS}
    for path, blob, analysis in present:
        commits = line_commits.get(path) if line_commits is not None else None
        if commits is None:
            commits = blame_commits(root, sha, path)
        file_clones = clones.get(path)
        figures = cache.figures.get(path, blob, commits, file_clones)
        if figures is None:
            item = _sample_file(path, blob, analysis, origins.origins_of(commits))
            figures = _file_figures(root, item, config, cache, file_clones)
            cache.figures.put(path, blob, commits, file_clones, figures)
        figures.add_to(totals)
    return {o: _sample_row(t) for o, t in totals.items()}


def _sample_file(path: str, blob: str, analysis: BlobAnalysis, line_origins: list[str]) -> SampleFile:
    functions = list(map(_copy_function, analysis.functions))    # the origin differs between samples
    for fn in functions:
        fn.origin = _majority(line_origins[fn.start_line - 1:fn.end_line])
    return SampleFile(path, analysis, functions, line_origins, blob)


_FUNCTION_FIELDS = attrgetter(*FunctionMetrics.__slots__)


def _copy_function(fn: FunctionMetrics) -> FunctionMetrics:
    """``copy.copy(fn)``: the class called with the field values (model._Positional.__reduce__), without
    the copy module's dispatch (4x the cost: 1.5 s of a cold report's 96,000 sample functions)."""
    if type(fn) is not FunctionMetrics:
        return copy.copy(fn)
    return FunctionMetrics(*_FUNCTION_FIELDS(fn))


@dataclass
class FileFigures:
    """What one file adds to a sample's per-origin totals. Replayed in the order it was measured (its
    functions, then its findings), so the float sums of a sample are the same bit for bit whether a file
    was measured for this sample or reused from an earlier one."""

    functions: list[FunctionMetrics]            # with this sample's origins
    code: Counter[str]                          # code lines per line origin
    duplicated: Counter[str]                    # code lines inside duplicate-code findings, per line origin
    findings: list[tuple[str, bool, float]]     # (origin, is a security finding, remediation minutes)

    def add_to(self, totals: dict[str, OriginTotals]) -> None:
        add_function_totals(totals, self.functions)
        for origin, acc in totals.items():
            acc.code_lines += self.code[origin]
            acc.duplicated_lines += self.duplicated[origin]
        for origin, security, minutes in self.findings:
            t = totals.get(origin)
            if t is not None:
                t.security_findings += security
                t.debt_minutes += minutes


class FiguresMemo:
    """path -> the figures of its file at the last sample, with what they were computed from: the blob, the
    introducing commit of each line (they give the origins: a blob can come back, e.g. after a revert,
    with other commits) and the file's clones (a copy elsewhere changes them, not the blob). Consecutive
    samples share most of these, and an unchanged file is then not measured again."""

    def __init__(self) -> None:
        self.last: dict[str, tuple[str, list[str], list[Clone] | None, FileFigures]] = {}
        self.reused = 0                           # files not measured again over the run (bench figure)

    def get(self, path: str, blob: str, commits: list[str], clones: list[Clone] | None) -> FileFigures | None:
        last = self.last.get(path)
        if last is None or last[0] != blob or last[1] != commits or not _same_clones(last[2], clones):
            return None
        self.reused += 1
        return last[3]

    def put(self, path: str, blob: str, commits: list[str], clones: list[Clone] | None,
            figures: FileFigures) -> None:
        # the line map is live (updated in place as the replay goes on): keep a copy of this sample's commits
        self.last[path] = (blob, list(commits), clones, figures)


def _same_clones(before: list[Clone] | None, now: list[Clone] | None) -> bool:
    return before is now or before == now          # the clone index keeps a file's list until it queries again


def _file_figures(root: str, item: SampleFile, config: Config, cache: RunCache,
                  clones: list[Clone] | None) -> FileFigures:
    from guardline.pipeline import apply_suppressions, origin_adjusted
    from guardline.thresholds import evaluate

    findings = evaluate(item.functions, config)
    findings += origin_adjusted(item.doc.security, item.functions, None)
    findings += _clone_findings(root, item, cache.clones, clones, config)
    if item.doc.has_suppressions:
        findings = apply_suppressions(item.doc.doc(), findings, item.functions)
    duplicated = duplicated_lines(findings)
    line_origins = item.line_origins
    rows = item.doc.code_rows()                  # 0-based rows of the blob's code lines, ascending
    known = rows[:bisect.bisect_left(rows, len(line_origins))]      # later rows: origin "unknown"
    code = Counter(map(line_origins.__getitem__, known))
    dup = Counter(line_origins[n - 1] for n in duplicated if n <= len(line_origins) and n - 1 in item.doc.code_set())
    out: list[tuple[str, bool, float]] = []
    for finding in findings:
        origin = finding.origin
        if origin not in ROW_ORIGINS and 0 < finding.start_line <= len(line_origins):
            origin = line_origins[finding.start_line - 1]      # module-level code: the line's origin
        if origin in ROW_ORIGINS:
            out.append((origin, finding.category == "security",
                        remediation_minutes(finding.rule, finding.category, finding.severity)))
    return FileFigures(item.functions, code, dup, out)


def _clone_findings(root: str, item: SampleFile, index: SampleClones | None, clones: list[Clone] | None,
                    config: Config) -> list[Finding]:
    if not clones or index is None:
        return []
    from guardline.duplication import clone_findings, origin_from_functions

    percent = index.file_percent(item.path, clones) if _file_percent_counts(item) else 0.0
    return clone_findings(index.key(item.path), clones, percent, config, root,
                          origin=origin_from_functions(item.functions))


def _file_percent_counts(item: SampleFile) -> bool:
    """Whether the file's duplication % can change its figures. Its `file-duplication` finding (the % above the
    limit) adds no debt (RULE_MINUTES), no duplicated line and no security finding; only a suppression comment
    matching it can (a directive it leaves unused becomes a finding). The % costs a pass over the file's tokens."""
    from guardline.duplication.rules import FILE_DUPLICATION

    return item.doc.has_suppressions or remediation_minutes(FILE_DUPLICATION, "duplication", "warning") != 0.0


def _sample_row(t: OriginTotals) -> dict[str, Any]:
    """The sample's figures of one origin, with the sums an org-level merge needs; None where it has no code."""
    row = t.row()
    out = {key: row[key] for key in SAMPLE_KEYS}
    out.update(sum_cyclomatic=t.cyclomatic, sum_cognitive=t.cognitive, sum_maintainability=round(t.maintainability, 3),
               duplicated_lines=t.duplicated_lines, security_findings=t.security_findings,
               debt_minutes=round(t.debt_minutes, 2))
    return out


def gate_verdict(root: str, info: CommitInfo, origin: str, config: Config, cache: RunCache | None = None,
                 hunks: Hunks | None = None,
                 wanted: dict[str, str] | None = None) -> bool:
    """True when no function the commit changed carries an error-level finding (parses shared with the
    trend samples through ``cache``; ``hunks`` from the run's one `git log -p`, else `git diff`)."""
    if hunks is None:
        hunks = diff_hunks(root, info.parents[0] if info.parents else EMPTY_TREE, info.sha)
    if cache is None:
        own = RunCache(root, config)
        try:
            return gate_verdict(root, info, origin, config, own, hunks)
        finally:
            own.close()
    if wanted is None:
        wanted = changed_files(root, info.sha, hunks)
    cache.analyse(list(wanted.items()))
    for path, blob in wanted.items():
        changed = {n for start, count in hunks.new[path] for n in range(start, start + count)}
        if _changed_function_fails(cache.blobs.get(blob), changed, origin, config):
            return False
    return True


def changed_files(root: str, sha: str, hunks: Hunks, sizes: dict[str, int] | None = None) -> dict[str, str]:
    """path -> blob sha at ``sha`` of the analysable files the commit added lines to: from the patch's
    `index` lines when it has them (``hunks.blobs``; ``sizes`` from ``blob_sizes``, else read now), else
    from `git ls-tree`; either way only blobs (no submodule) of at most MAX_BLOB bytes with an analysable
    name, as ``tree_files`` lists them."""
    if hunks.blobs is None:
        return {p: b for p, b in tree_files(root, sha) if p in hunks.new}
    named = {path: blob for path, (blob, mode) in hunks.blobs.items()
             if path in hunks.new and mode != "160000" and detect_language(path)}
    if sizes is None:
        sizes = blob_sizes(root, list(named.values()))
    return {path: blob for path, blob in named.items() if sizes.get(blob, MAX_BLOB + 1) <= MAX_BLOB}


def blob_sizes(root: str, shas: list[str]) -> dict[str, int]:
    """blob sha -> size in bytes, from one `git cat-file --batch-check` (missing objects left out)."""
    if not shas:
        return {}
    raw = run_git(["cat-file", "--batch-check"], root, stdin=("\n".join(sorted(set(shas))) + "\n").encode())
    out = {}
    for line in raw.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
            out[parts[0]] = int(parts[2])
    return out


def _changed_function_fails(analysis: BlobAnalysis | None, changed: set[int], origin: str, config: Config) -> bool:
    from guardline.thresholds import evaluate

    if analysis is None:
        return False
    touched = [_copy_function(fn) for fn in analysis.functions
               if any(fn.start_line <= n <= fn.end_line for n in changed)]
    for fn in touched:
        fn.origin = origin                      # the commit's origin picks the limits
    findings = evaluate(touched, config) + analysis.security
    return any(f.severity == "error" and any(fn.start_line <= f.start_line <= fn.end_line for fn in touched)
               for f in findings)


def run(workspace: Workspace, *, since: int | None = None,
        progress: Callable[[str], None] = lambda m: None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(trend, gate) sections; ``since`` (epoch seconds) keeps samples and gate commits from then on."""
    root, config = workspace.root, workspace.config
    origins = CommitOrigins(root, config)
    origins.add(read_commits(root, ["HEAD", "--"]))      # one `git log` instead of one per blamed commit
    store = Store(workspace)
    try:
        cache = RunCache(root, config)
        try:
            return (_trend(root, config, origins, store, progress, since, cache),
                    _gate(root, config, origins, store, progress, since, cache))
        finally:
            cache.close()
    finally:
        store.close()


def _trend(root: str, config: Config, origins: CommitOrigins, store: Store, progress: Callable[[str], None],
           since: int | None = None, cache: RunCache | None = None) -> dict[str, Any]:
    log = run_git(["log", "--first-parent", "--format=%H %ct", "--max-count=5000", "HEAD", "--"], root)
    commits = [(s, int(t)) for s, t in (line.split() for line in log.decode().splitlines() if line.strip())]
    chain = {sha: position for position, (sha, _when) in enumerate(commits)}     # newest first
    if since is not None:
        commits = [(sha, when) for sha, when in commits if when >= since]
    chosen = pick_samples(commits, config.get("report.sample", "weekly"), config.get("report.max_samples", 52))
    stored = {sha: store.sample(sha) for sha, _when in chosen}
    todo = [sha for sha, _when in chosen if stored[sha] is None]
    maps = LineMapStore(root) if todo else None
    walker = _line_maps(root, maps, todo, chain) if maps is not None else iter(())
    samples, cache = [], cache or RunCache(root, config)
    ready: Iterator[int] = iter(())
    if len(todo) > 1:           # the new blobs of the new samples in worker processes, oldest sample first
        progress(f"trend: analysing the files of {len(todo)} samples")
        ready = cache.analyse_groups([cache.tree_files(sha) for sha in todo], workers=os.cpu_count() or 1)
    for index, (sha, when) in enumerate(chosen):
        rows = stored[sha]
        if rows is None:
            next(ready, None)   # this sample's files analysed (compute_sample analyses any left)
            progress(f"trend: sample {index + 1}/{len(chosen)} ({sha[:10]})")
            at, line_commits = next(walker, (None, None))
            rows = compute_sample(root, sha, config, origins, line_commits if at == sha else None, cache)
            store.put_sample(sha, rows)
            if maps is not None and line_commits is not None and at == sha and sha == todo[-1]:
                maps.put(sha, line_commits)          # the next run replays only the commits after it
        samples.append({"sha": sha[:12], "time": when, "rows": rows})
    if maps is not None:
        maps.close()
    reused = len(chosen) - len(todo)
    sprint_days = sprint_length(config)
    return {"samples": samples, "reused": reused, "added": len(todo), "sprint_days": sprint_days,
            "sprints": sprint_debt(samples, sprint_days),
            "summary": f"{len(chosen)} samples ({config.get('report.sample', 'weekly')}), "
                       f"{reused} reused from .guardline/report.sqlite, {len(todo)} computed"}


def _line_maps(root: str, maps: LineMapStore, todo: list[str],
               chain: dict[str, int]) -> Iterator[tuple[str, dict[str, list[str]]]]:
    """The forward blame at each new sample, resumed from the stored map when that commit is on HEAD's
    first-parent chain and older than every new sample (else replayed from the root commit)."""
    linemap = LineMap(root)
    resumed = maps.get()
    if resumed is not None and resumed[0] in chain and all(chain.get(s, -1) < chain[resumed[0]] for s in todo):
        linemap.resume(*resumed)
    return linemap.walk(set(todo))


def git_date(when: int) -> str:
    """An epoch as a date git's --since reads unambiguously."""
    return time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime(when))


def sprint_length(config: Config) -> int:
    try:
        days = int(config.get("report.sprint_days", 14) or 14)
    except (TypeError, ValueError):
        days = 14
    return max(1, days)


def sprint_debt(samples: list[dict[str, Any]], sprint_days: int) -> list[dict[str, Any]]:
    """Debt hours added per full sprint and origin: the debt of the last sample at or before the sprint's
    end minus that at its start (an origin without code there has no debt: 0). Sprints start at the first
    sample; a trailing partial sprint is left out."""
    if len(samples) < 2:
        return []
    length = sprint_days * 86400
    start, end = samples[0]["time"], samples[-1]["time"]
    out = []
    for k in range(int((end - start) // length)):
        lo, hi = start + k * length, start + (k + 1) * length
        before, after = _level_at(samples, lo), _level_at(samples, hi)
        out.append({"start": lo, "end": hi,
                    "added": {o: round(after[o] - before[o], 3) for o in ROW_ORIGINS},
                    "has_code": {o: _code_at(samples, hi, o) for o in ROW_ORIGINS}})
    return out


def _latest(samples: list[dict[str, Any]], when: int) -> dict[str, Any]:
    chosen = samples[0]
    for sample in samples:
        if sample["time"] <= when:
            chosen = sample
    return chosen


def _level_at(samples: list[dict[str, Any]], when: int) -> dict[str, float]:
    rows = _latest(samples, when)["rows"]
    return {o: float((rows.get(o) or {}).get("debt_hours") or 0.0) for o in ROW_ORIGINS}


def _code_at(samples: list[dict[str, Any]], when: int, origin: str) -> bool:
    return bool(((_latest(samples, when)["rows"].get(origin) or {}).get("code_lines") or 0))


def _prefetch(root: str, infos: list[CommitInfo], patches: dict[str, Hunks], cache: RunCache | None,
              progress: Callable[[str], None]) -> dict[str, dict[str, str]]:
    """The changed files of the commits to judge, their unseen blobs analysed at once in worker processes."""
    if cache is None or len(infos) < 2:
        return {}
    progress(f"gate: analysing the files of {len(infos)} commits")
    candidates = [blob for i in infos if i.sha in patches for blob, _mode in (patches[i.sha].blobs or {}).values()]
    sizes = blob_sizes(root, candidates)
    wanted = {i.sha: changed_files(root, i.sha, patches[i.sha], sizes) for i in infos if i.sha in patches}
    cache.analyse([f for files in wanted.values() for f in files.items()], workers=os.cpu_count() or 1)
    return wanted


def _gate(root: str, config: Config, origins: CommitOrigins, store: Store, progress: Callable[[str], None],
          since: int | None = None, cache: RunCache | None = None) -> dict[str, Any]:
    extra = [f"--since={git_date(since)}"] if since is not None else []
    commits = read_commits(root, ["--no-merges", f"--max-count={GATE_COMMITS}", *extra, "HEAD", "--"])
    origins.add(commits)
    tally = {o: [0, 0] for o in ("ai", "human")}
    units = Units()
    weeks: dict[int, dict[str, list[int]]] = {}   # week start (epoch s) -> origin -> [passed, commits]
    stored = {info.sha: store.gate(info.sha) for info in commits}
    # one `git log -p -U0` for the commits without a stored verdict, instead of a `git diff` each
    patches = log_hunks(root, ["--no-merges", f"--max-count={GATE_COMMITS}", *extra, "HEAD", "--"]) \
        if any(v is None for v in stored.values()) else {}
    wanted = _prefetch(root, [i for i in commits if stored[i.sha] is None], patches, cache, progress)
    for index, info in enumerate(commits):
        verdict = stored[info.sha]
        if verdict is None:
            if index and index % 50 == 0:
                progress(f"gate: {index}/{len(commits)} commits")
            origin = origins.origin(info.sha)
            verdict = (origin, gate_verdict(root, info, origin, config, cache, patches.get(info.sha),
                                            wanted.get(info.sha)))
            store.put_gate(info.sha, *verdict)
        if verdict[0] in tally:
            tally[verdict[0]][0] += verdict[1]
            tally[verdict[0]][1] += 1
            week = weeks.setdefault(week_start(info.author_time), {o: [0, 0] for o in ROW_ORIGINS})
            week[verdict[0]][0] += verdict[1]
            week[verdict[0]][1] += 1
        for bucket in buckets(verdict[0], origins.classified(info.sha)[1]):
            units.add("gate_pass_rate", bucket, int(verdict[1]), 1)
            units.count(bucket, "gate_commits")
    rows = {o: {"commits": t[1], "passed": t[0], "pass_rate": round(100.0 * t[0] / t[1], 1) if t[1] else None}
            for o, t in tally.items()}
    return {"rows": rows, "units": units, "weeks": [
                {"week": w, **{o: {"passed": p, "commits": n, "pass_rate": round(100.0 * p / n, 1) if n else None}
                               for o, (p, n) in weeks[w].items()}} for w in sorted(weeks)],
            "summary": f"gate verdicts of the last {len(commits)} non-merge commits "
                       f"(cap {GATE_COMMITS}): no error-level finding in changed functions"}
