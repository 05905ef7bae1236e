"""The workspace clone index: winnowed k-gram postings, shadow buffers, per-file clone queries.

Design after Hummel et al. (ICSM 2010): postings ``fingerprint -> (file, position)``, a forward map
``file -> fingerprints`` for O(own size) removal, and token arrays per file to verify and extend hits.
A query hashes every k-gram of one file (not only the winnowed ones), groups the hits by
(other file, diagonal), extends them to maximal matches on the token arrays and classifies them.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import compress
from operator import eq
from typing import Any, Callable, Concatenate, ParamSpec, Sequence, TypeVar

from guardline.duplication.fingerprints import K, fingerprints, kgram_hashes, window_for, winnow
from guardline.duplication.tokens import ID, LIT, TokenStream
from guardline.model import Location

MAX_POSTINGS = 64        # per fingerprint: beyond this the normalised k-gram is boilerplate (see _saturate)
MAX_RAW_POSTINGS = 256   # per raw k-gram of a saturated fingerprint: beyond this it is repetitive data
NEAR_MISS_GAP = 8        # tokens a near-miss may differ by between two matching runs on one diagonal
NEAR_MISS_RESYNC = 10    # tokens that must match again after a gap
# A normalised match that is mostly literals is two data tables of the same shape (e.g. a tuple of bytes
# and a tuple of strings), not renamed code: measured on the stdlib it was the one false renamed clone
# in a sample of 30. Such runs only count through their raw-equal stretches.
MAX_RENAMED_LITERAL_SHARE = 0.4
_POS_BITS = 32
_POS_MASK = (1 << _POS_BITS) - 1

EXACT, RENAMED, NEAR_MISS = "exact", "renamed", "near-miss"
_SATURATED = [0]   # the postings value of a saturated fingerprint (non-empty so lookups see a hit)


@dataclass(slots=True)
class Thresholds:
    min_tokens: int = 50
    min_lines: int = 5
    renamed_min_tokens: int = 100
    renamed_min_lines: int = 10
    near_miss: bool = False

    @classmethod
    def from_config(cls, config: Any | None) -> "Thresholds":
        if config is None:
            return cls()
        get = config.get
        return cls(get("duplication.min_tokens", 50), get("duplication.min_lines", 5),
                   get("duplication.renamed_min_tokens", 100), get("duplication.renamed_min_lines", 10),
                   bool(get("duplication.near_miss", False)))


@dataclass(slots=True)
class Clone:
    """One clone pair seen from the queried file: ``a`` is in that file, ``b`` is the other copy."""

    kind: str                 # exact | renamed | near-miss
    tokens: int
    lines: int                # lines spanned by ``a``
    a: Location
    b: Location
    a_span: tuple[int, int] = (0, 0)   # token positions [start, end) in the queried file
    b_span: tuple[int, int] = (0, 0)   # token positions [start, end) in the other file

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "tokens": self.tokens, "lines": self.lines,
                "a": _loc_json(self.a), "b": _loc_json(self.b)}


def _loc_json(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "start_line": loc.start_line, "end_line": loc.end_line,
            "start_column": loc.start_column, "end_column": loc.end_column}


@dataclass(slots=True)
class _Entry:
    path: str
    file_id: int
    tokens: TokenStream
    fps: array[int]            # 'Q' winnowed fingerprints
    fpos: array[int]           # 'I' their token positions
    shadow: bool = False
    # every k-gram hash: kept for open buffers (queried per keystroke); a disk file's from the build
    # until its first query
    hashes: Sequence[int] | None = None


@dataclass(slots=True)
class _Run:
    """A match: ``length`` tokens from ``qa`` (queried file) and ``b_length`` from ``pb`` (other file).

    A near-miss run is made of matching segments ``(offset in a, offset in b, length)``; between them a
    few tokens differ (substituted, inserted or deleted: the segments may lie on adjacent diagonals)."""

    other: _Entry
    qa: int
    pb: int
    length: int
    gaps: int = 0         # tokens inside the run that differ (near-miss merges)
    b_length: int = -1    # -1: the same as ``length`` (one diagonal)
    segments: tuple[tuple[int, int, int], ...] = ()   # near-miss runs only

    def __post_init__(self) -> None:
        if self.b_length < 0:
            self.b_length = self.length
        if not self.segments:
            self.segments = ((0, 0, self.length),)


@functools.lru_cache(maxsize=1 << 16)
def _normalise(path: str) -> str:
    return os.path.normpath(path)


P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[Concatenate[CloneIndex, P], R]) -> Callable[Concatenate[CloneIndex, P], R]:
    """Serialise index calls: the language server queries from analysis threads while edits arrive."""
    @functools.wraps(method)
    def wrapper(self: CloneIndex, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return method(self, *args, **kwargs)
    return wrapper


class CloneIndex:
    """Winnowed k-gram clone index over a workspace, with editor buffers as shadow versions."""

    def __init__(self, root: str | None = None, config: Any | None = None, *, k: int = K,
                 max_postings: int = MAX_POSTINGS):
        self.root = os.path.abspath(root) if root else None
        self.config = config
        self.thresholds = Thresholds.from_config(config)
        self.k, self.w = window_for(self.thresholds.min_tokens, k)
        self.max_postings = max_postings
        self.max_file_bytes = int(config.get("duplication.max_file_bytes", 1_000_000)) if config else 1_000_000
        self._lock = threading.RLock()
        self._postings: dict[int, int | list[int]] = {}
        self.saturated: set[int] = set()           # fingerprints that hit the postings cap
        # For saturated fingerprints the postings move here, keyed by the hash of the raw k-gram: a
        # boilerplate shape shared by hundreds of files is then only matched by its exact copies.
        self._raw_postings: dict[int, list[int]] = {}
        self._disk: dict[str, _Entry] = {}
        self._shadow: dict[str, _Entry] = {}
        self._by_id: dict[int, _Entry] = {}
        self._next_id = 1                          # ids start at 1 so packed postings are never 0
        self.skipped: dict[str, str] = {}          # path -> why clone detection skipped it
        self.content_hashes: dict[str, str] = {}   # path -> content hash of the disk version
        self.dirty: set[str] = set()               # disk paths changed since the last save
        self.removed: set[str] = set()             # disk paths removed since the last save
        self.complete = True                       # False when a build was cancelled
        self.file_stats: dict[str, tuple[int, int]] = {}   # path -> (mtime_ns, size) when read

    # ----- membership -------------------------------------------------------------------------
    def key(self, path: str) -> str:
        """The index key of a path: absolute and normalised (relative paths: against the cwd)."""
        return _normalise(path) if os.path.isabs(path) else os.path.normpath(os.path.abspath(path))

    def __contains__(self, path: str) -> bool:
        key = self.key(path)
        return key in self._disk or key in self._shadow

    def __len__(self) -> int:
        return len(self._disk.keys() | self._shadow.keys())

    def paths(self) -> list[str]:
        return sorted(self._disk.keys() | self._shadow.keys())

    def tokens(self, path: str) -> TokenStream | None:
        entry = self._current(self.key(path))
        return entry.tokens if entry else None

    def _current(self, key: str) -> _Entry | None:
        return self._shadow.get(key) or self._disk.get(key)

    @_locked
    def add(self, path: str, tokens: TokenStream, fps: tuple[array[int], array[int]] | None = None,
            hashes: Sequence[int] | None = None) -> None:
        """Index (or re-index) the disk version of ``path``. O(size of the old and new version).
        ``hashes``: every k-gram hash of ``tokens`` (computed with the fingerprints), kept for the
        file's next query only: the cold check queries every file once, right after the build."""
        key = self.key(path)
        self._drop_disk(key)
        self.skipped.pop(key, None)
        entry = self._new_entry(key, tokens, fps)
        entry.hashes = hashes
        self._disk[key] = entry
        self.content_hashes[key] = tokens.content_hash
        self.dirty.add(key)
        self.removed.discard(key)
        if key not in self._shadow:
            self._post(entry)

    @_locked
    def skip(self, path: str, reason: str) -> None:
        """Record that ``path`` is not indexed (too large, minified, unreadable) and why."""
        key = self.key(path)
        self._drop_disk(key)
        self.skipped[key] = reason
        self.dirty.add(key)

    @_locked
    def remove(self, path: str) -> None:
        """Forget the disk version of ``path`` (deleted file)."""
        key = self.key(path)
        self._drop_disk(key)
        self.skipped.pop(key, None)
        self.content_hashes.pop(key, None)
        self.dirty.discard(key)
        self.removed.add(key)

    @_locked
    def set_shadow(self, path: str, tokens: TokenStream) -> None:
        """Index an open editor buffer; it overrides the disk version until ``clear_shadow``."""
        key = self.key(path)
        old = self._shadow.pop(key, None)
        if old is not None:
            self._unpost(old)
            self._by_id.pop(old.file_id, None)
        elif key in self._disk:
            self._unpost(self._disk[key])
        hashes = kgram_hashes(tokens.norm, self.k)   # an editor buffer: the server's plain loops (array_backend.py)
        fps = winnow(hashes, self.w) if len(tokens) >= self.thresholds.min_tokens else (array("Q"), array("I"))
        entry = self._new_entry(key, tokens, fps)
        entry.shadow = True
        entry.hashes = hashes
        self._shadow[key] = entry
        self._post(entry)

    @_locked
    def clear_shadow(self, path: str) -> None:
        """Drop the editor buffer of ``path``; the disk version (if indexed) is visible again."""
        key = self.key(path)
        old = self._shadow.pop(key, None)
        if old is None:
            return
        self._unpost(old)
        self._by_id.pop(old.file_id, None)
        if key in self._disk:
            self._post(self._disk[key])

    def _drop_disk(self, key: str) -> None:
        old = self._disk.pop(key, None)
        if old is None:
            return
        self._by_id.pop(old.file_id, None)
        if key not in self._shadow:
            self._unpost(old)

    def _new_entry(self, key: str, tokens: TokenStream, fps: tuple[array[int], array[int]] | None) -> _Entry:
        if fps is None:
            fps = fingerprints(tokens.norm, self.thresholds.min_tokens, self.k)
        entry = _Entry(key, self._next_id, tokens, fps[0], fps[1])
        self._by_id[entry.file_id] = entry
        self._next_id += 1
        return entry

    # ----- postings ---------------------------------------------------------------------------
    def _post(self, entry: _Entry) -> None:
        postings, cap = self._postings, self.max_postings
        base = entry.file_id << _POS_BITS
        for fp, pos in zip(entry.fps, entry.fpos):
            packed = base | pos
            current = postings.get(fp)
            if current is None:
                postings[fp] = packed
            elif isinstance(current, int):
                postings[fp] = [current, packed]
            elif current is _SATURATED:
                self._post_raw(entry.tokens.raw, pos, packed)
            elif len(current) < cap:
                current.append(packed)
            else:
                self._saturate(fp, current)
                self._post_raw(entry.tokens.raw, pos, packed)

    def _saturate(self, fp: int, current: list[int]) -> None:
        """Move a full postings list to the raw k-gram postings."""
        self.saturated.add(fp)
        for packed in current:
            other = self._by_id.get(packed >> _POS_BITS)
            if other is not None:
                self._post_raw(other.tokens.raw, packed & _POS_MASK, packed)
        self._postings[fp] = _SATURATED

    def _post_raw(self, raw: array[int], pos: int, packed: int) -> None:
        postings = self._raw_postings.setdefault(hash(tuple(raw[pos:pos + self.k])), [])
        if len(postings) < MAX_RAW_POSTINGS:
            postings.append(packed)

    def _unpost(self, entry: _Entry) -> None:
        postings = self._postings
        file_id = entry.file_id
        for fp, pos in zip(entry.fps, entry.fpos):
            current = postings.get(fp)
            if current is None:
                continue
            if current is _SATURATED:
                self._unpost_raw(entry.tokens.raw, pos, file_id)
                continue
            if isinstance(current, int):
                if current >> _POS_BITS == file_id:
                    del postings[fp]
                continue
            kept = [p for p in current if p >> _POS_BITS != file_id]
            if not kept:
                del postings[fp]
            else:
                postings[fp] = kept[0] if len(kept) == 1 else kept

    def _unpost_raw(self, raw: array[int], pos: int, file_id: int) -> None:
        key = hash(tuple(raw[pos:pos + self.k]))
        current = self._raw_postings.get(key)
        if current is not None:
            kept = [p for p in current if p >> _POS_BITS != file_id]
            if kept:
                self._raw_postings[key] = kept
            else:
                del self._raw_postings[key]

    # ----- disk and persistence: build.py (update_from_disk, save, load), which imports this module ------
    def stats(self) -> dict[str, int]:
        return {"files": len(self), "tokens": sum(len(e.tokens) for e in self._by_id.values()),
                "fingerprints": len(self._postings), "saturated": len(self.saturated),
                "raw_kgrams": len(self._raw_postings),
                "skipped": len(self.skipped), "shadows": len(self._shadow)}

    # ----- queries ----------------------------------------------------------------------------
    @_locked
    def query(self, path: str) -> list[Clone]:
        """Every clone of the current version of ``path`` (shadow if open) with other files and itself."""
        return self.query_candidates(path)[0]

    @_locked
    def query_candidates(self, path: str) -> tuple[list[Clone], set[str]]:
        """``query(path)`` and the other files sharing an indexed fingerprint with it: the only files
        whose clones with ``path`` can change when ``path`` changes (see results.py)."""
        entry = self._current(self.key(path))
        if entry is None or len(entry.tokens) < self.thresholds.min_tokens:
            return [], set()
        hits = self._hits(entry)
        clones: list[Clone] = []
        for run in self._runs(entry, hits):
            clones.extend(self._classify(entry, run))
        clones.sort(key=lambda c: (c.a_span, c.b.path, c.b_span))
        by_id = self._by_id
        candidates = {by_id[file_id].path for file_id in hits if file_id in by_id and file_id != entry.file_id}
        return clones, candidates

    def _hits(self, entry: _Entry) -> dict[int, list[tuple[int, int]]]:
        """other file id -> (query position, other position) pairs whose k-gram hash is posted there,
        in ascending query position. Saturated fingerprints are looked up by their raw k-gram."""
        hashes = entry.hashes
        if hashes is None:
            hashes = kgram_hashes(entry.tokens.norm, self.k)
        elif not entry.shadow:
            entry.hashes = None   # a disk file's hashes from the build serve one query (memory)
        found = list(map(self._postings.get, hashes))
        own, raw, k = entry.file_id, entry.tokens.raw, self.k
        by_file: dict[int, list[tuple[int, int]]] = {}
        for q in compress(range(len(found)), found):
            hit = found[q]
            if hit is _SATURATED:
                hit = self._raw_postings.get(hash(tuple(raw[q:q + k])))
                if hit is None:
                    continue
            for packed in ((hit,) if isinstance(hit, int) else hit or ()):   # compress kept the hits only
                file_id, pos = packed >> _POS_BITS, packed & _POS_MASK
                if file_id == own and pos <= q:
                    continue   # itself, or the mirror of an intra-file pair (found from the other side)
                by_file.setdefault(file_id, []).append((q, pos))
        return by_file

    def _runs(self, entry: _Entry, hits: dict[int, list[tuple[int, int]]]) -> list[_Run]:
        """Maximal matches with every file that has hits."""
        runs: list[_Run] = []
        for file_id, pairs in hits.items():
            other = self._by_id.get(file_id)
            if other is not None:
                runs.extend(self._runs_with(entry, other, pairs))
        return runs

    def _runs_with(self, entry: _Entry, other: _Entry, pairs: list[tuple[int, int]]) -> list[_Run]:
        """Maximal matches with one file: each hit not inside an earlier match is verified and extended."""
        a, b, k = entry.tokens.norm, other.tokens.norm, self.k
        raw_a, raw_b = entry.tokens.raw, other.tokens.raw
        runs: list[_Run] = []
        active = _ActiveRuns()
        for q, p in pairs:
            if active.runs and active.covers(q, p, raw_a, raw_b, k):
                continue   # already inside a match (same diagonal, or a repetitive shifted one)
            if a[q:q + k] != b[p:p + k] or not self._may_reach_minimum(a, b, q, p):
                continue   # a hash collision, or too short to become a clone
            for run in self._extend(entry, other, q, p):
                active.add(run)
                runs.append(run)
        return runs

    def _may_reach_minimum(self, a: array[int], b: array[int], q: int, p: int) -> bool:
        """Cheap filter before extending a k-gram hit: a run of min_tokens through it must extend at
        least half of the missing (min_tokens - k) tokens forwards or backwards."""
        k = self.k
        half = (self.thresholds.min_tokens - k + 1) // 2
        if half <= 0:
            return True
        if a[q + k:q + k + half] == b[p + k:p + k + half] and q + k + half <= len(a):
            return True
        return q >= half and p >= half and a[q - half:q] == b[p - half:p]

    def _extend(self, entry: _Entry, other: _Entry, q: int, p: int) -> list[_Run]:
        a, b = entry.tokens.norm, other.tokens.norm
        back = _common_suffix(a, b, q, p)
        qa, pb = q - back, p - back
        length = _common_prefix(a, b, qa, pb, min(len(a) - qa, len(b) - pb))
        shift = pb - qa
        if self.thresholds.near_miss and (other is not entry or shift >= length):
            # within one file only substitutions: an indel would let a copy overlap itself
            segments = _bridge_gaps(a, b, qa, pb, length, indels=other is not entry)
            last_a, last_b, last = segments[-1]
            if len(segments) > 1 and (other is not entry or shift >= last_a + last):
                gaps = sum(max(na - ea, nb - eb) for (ea, eb), (na, nb) in _gap_bounds(segments))
                return [_Run(other, qa, pb, last_a + last, gaps, last_b + last, tuple(segments))]
        if other is entry and shift < length:
            # Intra-file repetition (copies 1, 2, 3 ... one shift apart): the run pairs copy 1 with 2,
            # 2 with 3 ...; report those non-overlapping pairs.
            return [_Run(other, qa + start, pb + start, min(shift, length - start))
                    for start in range(0, length, shift)]
        return [_Run(other, qa, pb, length)]

    # ----- classification ---------------------------------------------------------------------
    def _classify(self, entry: _Entry, run: _Run) -> list[Clone]:
        t = self.thresholds
        if run.length < t.min_tokens:
            return []
        a, b = entry.tokens, run.other.tokens
        sa, sb, n, nb = run.qa, run.pb, run.length, run.b_length
        if run.gaps == 0 and a.raw[sa:sa + n] == b.raw[sb:sb + n]:
            return self._clones_if(EXACT, entry, run.other, sa, sb, n, t.min_tokens, t.min_lines)
        data_like = a.norm[sa:sa + n].count(LIT) > MAX_RENAMED_LITERAL_SHARE * n
        if data_like:
            pass   # literal tables differ in their values: only raw-equal stretches are clones
        elif run.gaps == 0 and n >= t.renamed_min_tokens and _consistent_renaming(a, b, sa, sb, n):
            renamed = self._clones_if(RENAMED, entry, run.other, sa, sb, n, t.renamed_min_tokens,
                                      t.renamed_min_lines)
            if renamed:
                return renamed
        elif t.near_miss:
            near = self._clones_if(NEAR_MISS, entry, run.other, sa, sb, n, t.renamed_min_tokens,
                                   t.renamed_min_lines, nb)
            if near:
                return near
        out: list[Clone] = []
        for oa, ob, length in run.segments:
            for offset, size in _equal_runs(a.raw, b.raw, sa + oa, sb + ob, length, t.min_tokens):
                out.extend(self._clones_if(EXACT, entry, run.other, sa + oa + offset, sb + ob + offset, size,
                                           t.min_tokens, t.min_lines))
        return out

    def _clones_if(self, kind: str, entry: _Entry, other: _Entry, sa: int, sb: int, n: int,
                   min_tokens: int, min_lines: int, nb: int = -1) -> list[Clone]:
        """The clone of ``n`` tokens at ``sa`` and ``nb`` (default ``n``) at ``sb``, shrunk to whole
        statements, if it is big enough."""
        nb = n if nb < 0 else nb
        if min(n, nb) < min_tokens:
            return []
        if nb == n:   # token for token: both copies keep the same statements
            sa, sb, n = whole_statements_pair(entry.tokens, other.tokens, sa, sb, n)
            nb = n
        else:         # a near-miss with an insertion: each copy on its own statements
            sa, end_a = whole_statements(entry.tokens, sa, sa + n)
            sb, end_b = whole_statements(other.tokens, sb, sb + nb)
            n, nb = end_a - sa, end_b - sb
        if min(n, nb) < min_tokens:
            return []
        loc_a = _location(entry, sa, sa + n)
        loc_b = _location(other, sb, sb + nb)
        lines_a = loc_a.end_line - loc_a.start_line + 1
        lines_b = loc_b.end_line - loc_b.start_line + 1
        if min(lines_a, lines_b) < min_lines:
            return []
        return [Clone(kind, n, lines_a, loc_a, loc_b, (sa, sa + n), (sb, sb + nb))]

    def file_percent(self, path: str, clones: list[Clone]) -> float:
        """Duplication % of a file: its code lines inside any clone region / its code lines."""
        tokens = self.tokens(path)
        if tokens is None or not clones:
            return 0.0
        total = tokens.code_lines
        if not total:
            return 0.0
        return 100.0 * len(duplicated_lines(tokens, clones)) / total


def duplicated_lines(tokens: TokenStream, clones: list[Clone]) -> set[int]:
    """Code lines of the file inside any of its clone regions (overlapping regions merged first)."""
    lines: set[int] = set()
    start = end = -1
    for a0, a1 in sorted(clone.a_span for clone in clones):
        if a0 > end:
            if end > start:
                lines |= tokens.span_code_lines(start, end)
            start = a0
        end = max(end, a1)
    if end > start:
        lines |= tokens.span_code_lines(start, end)
    return lines


def whole_statements(tokens: TokenStream, start: int, end: int) -> tuple[int, int]:
    """The largest run of sibling statements (one statement list) inside tokens [start, end), as a
    token range; empty (start, start) when no whole statement fits. A stream without statement data
    (an unparsed language) keeps the range as it is."""
    starts = tokens.stmt_starts
    if not starts:
        return start, end
    ends, lists = tokens.stmt_ends, tokens.stmt_lists
    spans: dict[int, list[int]] = {}   # statement list -> [first start, last end] of its statements inside
    i = bisect_left(starts, start)
    while i < len(starts) and starts[i] < end:
        if ends[i] <= end:
            span = spans.get(lists[i])
            if span is None:
                spans[lists[i]] = [starts[i], ends[i]]
            elif ends[i] > span[1]:
                span[1] = ends[i]
        i += 1
    best = (start, start)
    for first, last in spans.values():   # in order of their first statement: the earliest wins ties
        if last - first > best[1] - best[0]:
            best = (first, last)
    return best


def whole_statements_pair(a: TokenStream, b: TokenStream, sa: int, sb: int, n: int) -> tuple[int, int, int]:
    """(start in a, start in b, length) of the largest part of a token-for-token match that is whole
    statements in both copies. Each round shrinks the range (a, then b) until both agree."""
    lo, hi = 0, n
    while True:
        a0, a1 = whole_statements(a, sa + lo, sa + hi)
        b0, b1 = whole_statements(b, sb + a0 - sa, sb + a1 - sa)
        if b1 <= b0:
            return sa, sb, 0
        if (b0 - sb, b1 - sb) == (a0 - sa, a1 - sa):
            return a0, b0, a1 - a0
        lo, hi = b0 - sb, b1 - sb


def _winnowed(hashes: list[int], n_tokens: int, min_tokens: int, w: int) -> tuple[array[int], array[int]]:
    if n_tokens < min_tokens:
        return array("Q"), array("I")
    return winnow(hashes, w)


class _ActiveRuns:
    """The runs with one file that may still span the query position (hits come in ascending order)."""

    __slots__ = ("runs", "expiry", "by_diagonal", "at_q", "holding_q")

    def __init__(self) -> None:
        self.runs: list[_Run] = []
        self.expiry = -1   # the query position where the first active run ends
        # diagonal (p - q) -> [lo, hi): query positions held by contiguous one-diagonal runs on it
        self.by_diagonal: dict[int, tuple[int, int]] = {}
        self.at_q = -1                           # the position holding_q was computed for
        self.holding_q: list[_Run] = []          # active runs whose query range holds at_q

    def add(self, run: _Run) -> None:
        self.runs.append(run)
        self.at_q = -1
        end = run.qa + run.length
        if len(run.segments) == 1 and run.b_length == run.length:
            diagonal = run.pb - run.qa
            held = self.by_diagonal.get(diagonal)
            if held is not None and held[0] <= run.qa <= held[1]:
                self.by_diagonal[diagonal] = (held[0], max(held[1], end))
            else:
                self.by_diagonal[diagonal] = (run.qa, end)
        self.expiry = end if self.expiry < 0 else min(self.expiry, end)

    def covers(self, q: int, p: int, raw_a: array[int], raw_b: array[int], k: int) -> bool:
        """True when a run holds query position ``q`` and other position ``p`` and the hit is no better
        alignment than every such run (see _better_alignment)."""
        held = self.by_diagonal.get(p - q)
        if held is not None and held[0] <= q < held[1]:
            # a run on the hit's own diagonal holds it: never a better alignment (the common case; the
            # scan below is linear in the active runs, quadratic over a file of repeated blocks)
            return True
        if q >= self.expiry:
            self.runs = [r for r in self.runs if q < r.qa + r.length]
            self.expiry = min((r.qa + r.length for r in self.runs), default=-1)
            self.at_q = -1
        if q != self.at_q:
            # hits arrive grouped by q: the runs holding q are the same for all of them
            self.at_q = q
            self.holding_q = [r for r in self.runs if r.qa <= q]
        holding = [r for r in self.holding_q if r.pb <= p < r.pb + r.b_length]
        return bool(holding) and not all(_better_alignment(raw_a, raw_b, q, p, r, k) for r in holding)


def _better_alignment(raw_a: array[int], raw_b: array[int], q: int, p: int, cover: _Run, k: int) -> bool:
    """A hit inside a run on another diagonal deserves its own run when its k-gram is equal token for
    token while the covering run's is only equal after normalisation: repetitive code (rows of
    ``self.assertEqual(x, 0)``) matches itself at many shifts, and the first shift found is not always
    the copy."""
    base = shift = cover.pb - cover.qa
    for oa, ob, _ in cover.segments:   # a near-miss run moves to other diagonals after a gap
        if p - q == base + ob - oa:
            return False
        if cover.qa + oa <= q:
            shift = base + ob - oa   # the diagonal of the segment holding q
    return raw_a[q:q + k] == raw_b[p:p + k] and raw_a[q:q + k] != raw_b[q + shift:q + shift + k]


def _location(entry: _Entry, start: int, end: int) -> Location:
    t = entry.tokens
    first, last = t.lines[start], t.end_line(end - 1)
    return Location(entry.path, first, last, t.column(t.starts[start], first), t.column(t.ends[end - 1], last))


def _bridge_gaps(a: array[int], b: array[int], qa: int, pb: int, length: int, *,
                 indels: bool) -> list[tuple[int, int, int]]:
    """Continue a run over small differences while it resynchronises: the matching segments
    ``(offset in a, offset in b, length)``. A difference skips ``da`` tokens of a and ``db`` of b
    (at most NEAR_MISS_GAP each; equal for a substitution, unequal for an insertion or deletion),
    after which NEAR_MISS_RESYNC tokens must match again."""
    segments = [(0, 0, length)]
    while True:
        oa, ob, size = segments[-1]
        ea, eb = oa + size, ob + size   # where the last segment stops matching
        skip = _resync(a, b, qa + ea, pb + eb, indels)
        if skip is None:
            return segments
        na, nb = ea + skip[0], eb + skip[1]
        segments.append((na, nb, _common_prefix(a, b, qa + na, pb + nb, min(len(a) - qa - na, len(b) - pb - nb))))


def _resync(a: array[int], b: array[int], i: int, j: int, indels: bool) -> tuple[int, int] | None:
    """The smallest skip (da, db) after which a[i + da:] and b[j + db:] match for NEAR_MISS_RESYNC tokens."""
    for da, db in (_SKIPS if indels else _SUBSTITUTIONS):
        x, y = i + da, j + db
        if x + NEAR_MISS_RESYNC > len(a) or y + NEAR_MISS_RESYNC > len(b):
            continue
        if a[x:x + NEAR_MISS_RESYNC] == b[y:y + NEAR_MISS_RESYNC]:
            return da, db
    return None


def _gap_bounds(segments: list[tuple[int, int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """((end a, end b) of a segment, (start a, start b) of the next) for every gap."""
    return [((oa + n, ob + n), (na, nb)) for (oa, ob, n), (na, nb, _) in zip(segments, segments[1:])]


# Skips in order of preference: fewest differing tokens first, then substitutions before indels.
_SUBSTITUTIONS = [(g, g) for g in range(1, NEAR_MISS_GAP + 1)]
_SKIPS = sorted(((da, db) for da in range(NEAR_MISS_GAP + 1) for db in range(NEAR_MISS_GAP + 1) if da or db),
                key=lambda s: (max(s), s[0] != s[1], s))


def _common_prefix(a: array[int], b: array[int], i: int, j: int, limit: int) -> int:
    """How many tokens match from a[i] and b[j] (at most ``limit``): galloping then binary search,
    every step one slice comparison in C."""
    n, step = 0, 16
    while n < limit:
        size = min(step, limit - n)
        if a[i + n:i + n + size] != b[j + n:j + n + size]:
            lo, hi = 0, size - 1          # the first mismatch is at n + lo .. n + hi
            while lo < hi:
                mid = (lo + hi) // 2
                if a[i + n:i + n + mid + 1] == b[j + n:j + n + mid + 1]:
                    lo = mid + 1
                else:
                    hi = mid
            return n + lo
        n += size
        step = min(step * 2, 4096)
    return n


def _common_suffix(a: array[int], b: array[int], i: int, j: int) -> int:
    """How many tokens match going backwards from a[i - 1] and b[j - 1]."""
    n, limit, step = 0, min(i, j), 16
    while n < limit:
        size = min(step, limit - n)
        if a[i - n - size:i - n] != b[j - n - size:j - n]:
            lo, hi = 0, size - 1          # the first mismatch going back is at n + lo .. n + hi
            while lo < hi:
                mid = (lo + hi) // 2
                if a[i - n - mid - 1:i - n] == b[j - n - mid - 1:j - n]:
                    lo = mid + 1
                else:
                    hi = mid
            return n + lo
        n += size
        step = min(step * 2, 4096)
    return n


def _consistent_renaming(a: TokenStream, b: TokenStream, sa: int, sb: int, n: int) -> bool:
    """True when identifiers and literals map one-to-one between the two copies."""
    forward: dict[int, int] = {}
    backward: dict[int, int] = {}
    norm = a.norm
    for i in range(n):
        if norm[sa + i] not in (ID, LIT):
            continue
        x, y = a.raw[sa + i], b.raw[sb + i]
        if forward.setdefault(x, y) != y or backward.setdefault(y, x) != x:
            return False
    return True


def _equal_runs(raw_a: array[int], raw_b: array[int], sa: int, sb: int, n: int, min_len: int) -> list[tuple[int, int]]:
    """(offset, length) of the maximal raw-equal stretches of at least ``min_len`` tokens."""
    same = bytes(map(eq, raw_a[sa:sa + n], raw_b[sb:sb + n]))   # b"\x01" where equal
    pattern = re.compile(b"\x01{%d,}" % min_len)
    return [(m.start(), m.end() - m.start()) for m in pattern.finditer(same)]
