"""Workspace clone classes: every clone pair's two fragments joined, overlapping fragments merged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from guardline.duplication.index import EXACT, CloneIndex
from guardline.model import Location


@dataclass(slots=True)
class CloneClass:
    """Places holding the same code; ``tokens`` is the largest fragment's size."""

    kind: str
    tokens: int
    locations: list[Location] = field(default_factory=list)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:   # path compression, iteratively
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def clone_classes(index: CloneIndex, *, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> list[CloneClass]:
    """Query every indexed file and group the fragments of all clone pairs into classes, largest first."""
    sets = _UnionFind()
    fragments: dict[str, list[tuple[int, int, int]]] = {}   # path -> (start token, end token, node)
    kinds: dict[int, str] = {}
    paths = index.paths()
    for done, path in enumerate(paths, 1):
        if cancelled and cancelled():
            break
        for clone in index.query(path):
            a, b = sets.add(), sets.add()
            sets.union(a, b)
            kinds[a] = clone.kind
            fragments.setdefault(clone.a.path, []).append((*clone.a_span, a))
            fragments.setdefault(clone.b.path, []).append((*clone.b_span, b))
        if progress and (done % 50 == 0 or done == len(paths)):
            progress(done, len(paths))
    merged = {path: _merge_overlapping(sets, frags) for path, frags in fragments.items()}
    return _collect(index, sets, merged, kinds)


def _merge_overlapping(sets: _UnionFind, frags: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Union fragments of one file that overlap; return the merged spans with a member node."""
    spans: list[tuple[int, int, int]] = []
    for start, end, node in sorted(frags):
        if spans and start < spans[-1][1]:
            last = spans[-1]
            sets.union(node, last[2])
            spans[-1] = (last[0], max(last[1], end), last[2])
        else:
            spans.append((start, end, node))
    return spans


def _collect(index: CloneIndex, sets: _UnionFind, merged: dict[str, list[tuple[int, int, int]]],
             kinds: dict[int, str]) -> list[CloneClass]:
    exact_roots = {sets.find(node) for node, kind in kinds.items() if kind == EXACT}
    classes: dict[int, CloneClass] = {}
    for path, spans in sorted(merged.items()):
        tokens = index.tokens(path)
        if tokens is None:
            continue
        for start, end, node in spans:
            root = sets.find(node)
            cls = classes.setdefault(root, CloneClass(EXACT if root in exact_roots else "renamed", 0))
            first, last = tokens.lines[start], tokens.end_line(end - 1)
            cls.locations.append(Location(path, first, last, tokens.column(tokens.starts[start], first),
                                          tokens.column(tokens.ends[end - 1], last)))
            cls.tokens = max(cls.tokens, end - start)
    return sorted(classes.values(), key=lambda c: (-c.tokens * len(c.locations), c.locations[0].path))
