"""Cheap text checks run before any tree query, and queries restricted to the byte ranges they point at.

A full query pass over a 3,000-line tree costs milliseconds even for one pattern, while a rule can only
fire where its names occur in the text: a call rule ``subprocess.run`` needs the words ``subprocess``
and ``run`` in the file (aliases are built from imported names, which are in the file too), a query rule
needs its needle (``innerHTML``, ``0.0.0.0``). So the scan first tokenises the bytes once, drops every
rule whose words are absent, and then runs each query only around the positions of the words that
remain. A query restricted to a byte range still reports every match whose pattern root intersects the
range, so a range around a word inside the pattern's root node finds exactly the matches a full pass
would find there.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable

import tree_sitter

Captures = dict[str, list[tree_sitter.Node]]
Match = tuple[int, Captures]

# Every byte that cannot be part of a word becomes a space: ``translate`` + ``split`` tokenises in C.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_TO_SPACES = bytes(b if b in _WORD_BYTES else 0x20 for b in range(256))
_NAME_WORD = re.compile(r"\w+", re.ASCII)
MERGE_GAP = 512  # positions closer than this share one cursor run (a short walk beats another descent)


def word_set(source: bytes) -> set[bytes]:
    """The distinct ASCII words ([A-Za-z0-9_]+) of ``source``."""
    return set(source.translate(_TO_SPACES).split())


def name_words(name: str) -> frozenset[bytes]:
    """The words a dotted callee name needs in the file: ``*.execute`` -> {execute}."""
    return frozenset(word.encode() for word in _NAME_WORD.findall(name))


def positions(source: bytes, needle: bytes) -> list[int]:
    """Every start offset of ``needle`` in ``source`` (overlaps included)."""
    found: list[int] = []
    start = source.find(needle)
    while start != -1:
        found.append(start)
        start = source.find(needle, start + 1)
    return found


def spans_of(source: bytes, needles: Iterable[bytes]) -> list[tuple[int, int]]:
    return [(start, start + len(needle)) for needle in needles for start in positions(source, needle)]


def whole_words(source: bytes, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans that are whole identifiers (`exec` in `exec(`, not in `executor`): a callee's last
    name is always one, and each span kept costs a ranged query."""
    end = len(source)
    return [(start, stop) for start, stop in spans
            if (start == 0 or source[start - 1] not in _WORD_BYTES)
            and (stop == end or source[stop] not in _WORD_BYTES)]


def merge_spans(spans: Iterable[tuple[int, int]], gap: int = MERGE_GAP) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + gap:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def ranged_matches(query: tree_sitter.Query, root: tree_sitter.Node, spans: Iterable[tuple[int, int]]) -> list[Match]:
    """The matches of ``query`` whose root node intersects one of ``spans``, each once."""
    cursor = tree_sitter.QueryCursor(query)
    seen: set[tuple[object, ...]] = set()   # (pattern, (capture, node ids...)...)
    out: list[Match] = []
    for start, end in merge_spans(spans):
        cursor.set_byte_range(start, end)
        for pattern_index, captures in cursor.matches(root):
            key = (pattern_index, *sorted((name, *(n.id for n in nodes)) for name, nodes in captures.items()))
            if key not in seen:
                seen.add(key)
                out.append((pattern_index, captures))
    return out


def top_level_spans(root: tree_sitter.Node, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each span widened to the top-level statement around it (Go's ``import_spec`` does not contain
    the ``import`` keyword, its declaration does)."""
    children = [(child.start_byte, child.end_byte) for child in root.children]
    starts = [start for start, _ in children]
    widened: list[tuple[int, int]] = []
    for start, end in spans:
        index = bisect.bisect_right(starts, start) - 1
        inside = index >= 0 and start < children[index][1]
        widened.append(children[index] if inside else (start, end))
    return widened
