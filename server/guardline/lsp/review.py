"""Review mode in the editor (config key `review.base`): findings in code unchanged since the
merge-base with the base ref are lowered to hints, findings in changed code keep their severity, and
AI-written changed code comes first (docs/architecture.md, "Editor protocol").

Git runs only in the session's background pool (``ReviewService.changed_lines``); the keystroke path
only reads the last computed line set (``mark``, pure and cheap). What is cached:
- the merge-base, per (HEAD, base ref) commit pair: a commit, checkout or fetch moves either and
  invalidates it (checked with one `git rev-parse` per computation, in the background);
- each file's text at the merge-base, per (merge-base, path);
- the changed lines of a buffer, per (document, version), in the session.
Changed lines are those of the live buffer that differ from the merge-base text (inserted or
replaced lines, like the new side of `git diff -U0`), so unsaved edits count as changes.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import os
import threading
from dataclasses import dataclass

from guardline.git import GitError, GitResult, git_at
from guardline.model import FileResult, Finding

log = logging.getLogger("guardline.lsp")

GIT_TIMEOUT_S = 30
AUTO = "auto"
AUTO_FALLBACKS = ("origin/HEAD", "main", "master")   # when no upstream names a default branch


class ReviewUnavailable(Exception):
    """The base cannot be used (not a repository, unknown ref, no merge-base): said once to the user."""


@dataclass(frozen=True)
class ChangedLines:
    """1-based lines of one buffer version changed since the merge-base (``whole``: new file)."""

    version: int
    lines: frozenset[int]
    whole: bool = False
    base: str = ""
    merge_base: str = ""

    def touches(self, start: int, end: int) -> bool:
        if self.whole:
            return True
        if end - start + 1 < len(self.lines):
            return any(line in self.lines for line in range(start, end + 1))
        return any(start <= line <= end for line in self.lines)


def _git(root: str, *args: str) -> GitResult:
    try:
        return git_at(root).result(args, timeout=GIT_TIMEOUT_S)
    except GitError as exc:
        raise ReviewUnavailable(f"git failed: {exc}") from exc


class ReviewService:
    """Merge-base and base-text caches for one workspace; safe to call from worker threads."""

    def __init__(self, root: str, base: str):
        self.root = root
        self.base = base
        self._lock = threading.Lock()
        self._key: tuple[str, str] | None = None          # (HEAD sha, base sha) the merge-base is for
        self._merge_base: str | None = None
        self._base_texts: dict[tuple[str, str], str | None] = {}

    @property
    def enabled(self) -> bool:
        return bool(self.base)

    # ---- background only ----------------------------------------------------------------------
    def changed_lines(self, path: str, text: str, version: int) -> ChangedLines:
        """The buffer lines changed since the merge-base (runs git: call from the background pool)."""
        merge_base = self.merge_base()
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        if rel.startswith("../"):
            raise ReviewUnavailable(f"{path} is outside the workspace {self.root}")
        base_text = self._base_text(merge_base, rel)
        if base_text is None:   # not in the merge-base: added on the branch (or untracked)
            return ChangedLines(version, frozenset(), whole=True, base=self.base, merge_base=merge_base)
        return ChangedLines(version, changed_line_numbers(base_text, text), base=self.base, merge_base=merge_base)

    def merge_base(self) -> str:
        key = self._current_key()
        with self._lock:
            if key == self._key and self._merge_base:
                return self._merge_base
        proc = _git(self.root, "merge-base", key[0], key[1])
        if proc.returncode != 0:
            raise ReviewUnavailable(f"no merge-base between HEAD and '{self.base}' (unrelated histories or a "
                                    "shallow clone: `git fetch --unshallow`)")
        with self._lock:
            self._key, self._merge_base = key, proc.text.strip()
            return self._merge_base

    def _current_key(self) -> tuple[str, str]:
        ref = self._resolve_ref()
        proc = _git(self.root, "rev-parse", "--verify", "--quiet", "HEAD")
        if proc.returncode != 0:
            raise ReviewUnavailable(f"{self.root} is not a git repository with a commit: review.base needs one")
        base = _git(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        if base.returncode != 0:
            raise ReviewUnavailable(f"review.base '{ref}' does not exist here; fetch it first, e.g. "
                                    f"`git fetch origin {ref}:{ref}` (or use origin/{ref})")
        return proc.text.strip(), base.text.strip()

    def _resolve_ref(self) -> str:
        if self.base != AUTO:
            return self.base
        upstream = _git(self.root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
        remote = upstream.text.strip().split("/", 1)[0] if upstream.returncode == 0 else "origin"
        head = _git(self.root, "symbolic-ref", "--quiet", "--short", f"refs/remotes/{remote}/HEAD")
        if head.returncode == 0 and head.text.strip():
            return head.text.strip()
        for candidate in AUTO_FALLBACKS:
            if _git(self.root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                    f"{candidate}^{{commit}}").returncode == 0:
                return candidate
        raise ReviewUnavailable("review.base 'auto': no upstream default branch (origin/HEAD), main or master")

    def _base_text(self, merge_base: str, rel: str) -> str | None:
        """The file's text at the merge-base, under its name there if it was renamed since (committed or
        staged: a moved file is not all new code); None if it did not exist."""
        key = (merge_base, rel)
        with self._lock:
            if key in self._base_texts:
                return self._base_texts[key]
        text = self._blob_text(merge_base, rel)
        if text is None:
            source = self._renamed_from(merge_base, rel)
            text = self._blob_text(merge_base, source) if source else None
        with self._lock:
            self._base_texts[key] = text
        return text

    def _blob_text(self, commit: str, rel: str) -> str | None:
        listing = _git(self.root, "ls-tree", "-z", commit, "--", rel)
        fields = listing.text.split("\0", 1)[0].split(None, 3) if listing.returncode == 0 else []
        if len(fields) != 4 or fields[1] != "blob":
            return None
        blob = _git(self.root, "cat-file", "blob", fields[2])
        return blob.text if blob.ok else None

    def _renamed_from(self, merge_base: str, rel: str) -> str | None:
        """The path at the merge-base of a file git sees as renamed to ``rel`` (merge-base vs the index)."""
        proc = _git(self.root, "diff", "--cached", "-M", "--name-status", "-z", "--diff-filter=R", merge_base, "--")
        fields = proc.text.split("\0") if proc.returncode == 0 else []
        for status, old, new in zip(fields[0::3], fields[1::3], fields[2::3]):
            if status.startswith("R") and new == rel:
                return old
        return None


def changed_line_numbers(base_text: str, text: str) -> frozenset[int]:
    """1-based lines of ``text`` inserted or replaced relative to ``base_text`` (deletions mark none,
    as in `git diff -U0`). The common head and tail are trimmed before the line diff."""
    old, new = base_text.splitlines(), text.splitlines()
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(None, old[head:len(old) - tail], new[head:len(new) - tail], autojunk=False)
    changed: set[int] = set()
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(head + j1 + 1, head + j2 + 1))
    return frozenset(changed)


# ---- on the loop: cheap, pure ----------------------------------------------------------------
def mark(result: FileResult, changed: ChangedLines) -> FileResult:
    """A copy of ``result`` whose findings are ordered AI-changed, changed, unchanged; unchanged ones are
    hints. Every finding gets ``data.review`` = "changed" | "unchanged"."""
    changed_functions = {(fn.qualified_name, fn.start_line, fn.end_line) for fn in result.functions
                         if changed.touches(fn.start_line, fn.end_line)}
    ranked: list[tuple[int, Finding]] = []
    for finding in result.findings:
        if _in_changed_code(finding, result, changed_functions, changed):
            rank = 0 if finding.origin == "ai" else 1
            ranked.append((rank, dataclasses.replace(finding, data={**finding.data, "review": "changed"})))
        else:
            note = f" (unchanged since {changed.base}: review mode)" if changed.base else ""
            ranked.append((2, dataclasses.replace(finding, severity="hint", message=finding.message + note,
                                                  data={**finding.data, "review": "unchanged"})))
    ranked.sort(key=lambda item: item[0])
    return dataclasses.replace(result, findings=[finding for _rank, finding in ranked])


def _in_changed_code(finding: Finding, result: FileResult, changed_functions: set[tuple[str, int, int]],
                     changed: ChangedLines) -> bool:
    if finding.function:
        owners = [key for key in changed_functions if key[0] == finding.function]
        if owners or any(fn.qualified_name == finding.function for fn in result.functions):
            return bool(owners)
    return changed.touches(finding.start_line, max(finding.end_line, finding.start_line))
