"""Clones of every trend sample from one clone index kept for the whole run.

Samples are computed oldest first and consecutive samples share most files, so the index is updated by
blob changes only (removed, added, modified paths), and a file's clones are queried again only when the
file itself or one of its clone partners (before or after the change) changed. The clone relation is
symmetric (a copy found from either side), so an unchanged file none of whose partners changed, and which
no changed file now copies, keeps its clones. The index lives in memory and is never saved: the
workspace's clone index (.guardline/clones.sqlite) describes HEAD only."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from guardline.duplication import Clone


class SampleClones:
    def __init__(self, root: str, config: Any, tokens_of: Callable[[Any], Any] | None = None) -> None:
        from guardline.duplication import CloneIndex

        self.root = root
        self.index = CloneIndex(None, config)
        self.blobs: dict[str, str] = {}                 # path -> blob sha in the index
        self.results: dict[str, list[Clone]] = {}              # path -> clones at the last query
        self.paths: dict[str, str] = {}                 # index key -> path
        self.tokens: dict[str, Any] = {}                # blob sha -> clone tokens (None: not tokenizable)
        self.tokens_of = tokens_of                      # analysis -> tokens (report/blobs.py: stored by content)
        self.queries = 0                                # files queried over the run (bench figure)

    def key(self, path: str) -> str:
        key = self.index.key(os.path.join(self.root, path))
        self.paths[key] = path
        return key

    def update(self, files: list[tuple[str, str, Any]]) -> dict[str, list[Clone]]:
        """``files``: (path, blob sha, its analysis or parsed document) of one sample -> path -> clones (tokenizable files)."""
        changed = self._apply(files)
        dirty = set(changed)
        for path, clones in self.results.items():
            if self._partners(clones) & changed:
                dirty.add(path)
        for path in sorted(changed & self.blobs.keys()):
            self._query(path)
            dirty |= self._partners(self.results[path])
        for path in sorted((dirty - changed) & self.blobs.keys()):
            self._query(path)
        return {path: self.results[path] for path in self.blobs}

    def _apply(self, files: list[tuple[str, str, Any]]) -> set[str]:
        current = {path: blob for path, blob, _doc in files}
        changed = {path for path in self.blobs if path not in current}
        for path in changed:
            self._drop(path)
        for path, blob, doc in files:
            if self.blobs.get(path) == blob:
                continue
            changed.add(path)
            tokens = self._tokens(blob, doc)
            if tokens is None:
                self._drop(path)
                continue
            self._add(path, blob, tokens)
            self.blobs[path] = blob
        return changed

    def _add(self, path: str, blob: str, tokens: Any) -> None:
        """Index ``tokens`` with every k-gram hash kept for the file's query right after (the sample's),
        computed once with the fingerprints (as the cold build does: no list of Python ints made and then
        turned back into an array to winnow)."""
        from guardline.duplication.fingerprints import fingerprints_and_hashes

        index = self.index
        fps, hashes = fingerprints_and_hashes(tokens.norm, index.thresholds.min_tokens, index.k)
        index.add(self.key(path), tokens, fps, hashes=hashes)

    def _drop(self, path: str) -> None:
        if path in self.blobs:
            self.index.remove(self.key(path))
            del self.blobs[path]
        self.results.pop(path, None)

    def _tokens(self, blob: str, doc: Any) -> Any:
        if blob not in self.tokens and self.tokens_of is not None:
            self.tokens[blob] = self.tokens_of(doc)
        if blob not in self.tokens:
            from guardline.duplication import tokenize
            try:
                self.tokens[blob] = tokenize(doc)
            except Exception:       # a language without clone tokens: no duplication for this file
                self.tokens[blob] = None
        return self.tokens[blob]

    def _query(self, path: str) -> None:
        self.queries += 1
        self.results[path] = self.index.query(self.key(path))

    def _partners(self, clones: list[Clone]) -> set[str]:
        return {self.paths.get(clone.b.path, clone.b.path) for clone in clones}

    def file_percent(self, path: str, clones: list[Clone]) -> float:
        return self.index.file_percent(self.key(path), clones)
