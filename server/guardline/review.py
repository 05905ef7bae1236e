"""Review mode: only what a branch changed since the merge-base with a base ref (plus uncommitted and
untracked changes). One implementation, ``Review``, for both front ends:
- `guardline check --base REF` (``Workspace.changed_lines``): the whole working tree, from one
  `git diff -U0 <merge-base>` plus the untracked files (``Review.selection`` -> ``Selection``, whose
  ``filter`` keeps changed functions and findings in changed code);
- the editor's review mode (config key `review.base`, lsp/review.py ``ReviewService``): one buffer's
  live text against the file at the merge-base (``Review.changed_lines`` -> ``ChangedLines``, which
  ``mark`` uses to lower findings in unchanged code to hints), so unsaved edits count as changes.

What is cached: the merge-base, per (HEAD, base ref) commit pair (a commit, checkout or fetch moves
either and invalidates it, checked with one `git rev-parse` per computation); each file's text at the
merge-base, per (merge-base, path). Git runs only through the hardened runner (`guardline/git.py`):
argument lists, `--` before paths, no filter, diff driver, hook or fsmonitor of the repository.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import os
import threading
from dataclasses import dataclass, field

from guardline.git import GitError, GitMissing, GitResult, git_at
from guardline.model import FileResult, Finding, FunctionMetrics

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
GIT_TIMEOUT_S = 120
AUTO = "auto"
AUTO_FALLBACKS = ("origin/HEAD", "main", "master")   # when no upstream names a default branch


class ReviewError(Exception):
    """The base cannot be used (missing ref, shallow clone, not a repository, no git): said once."""


ReviewUnavailable = ReviewError   # the editor's name for it


@dataclass
class Selection:
    base: str
    merge_base: str
    changed: dict[str, set[int]] = field(default_factory=dict)   # path -> changed lines (new side)
    whole_files: set[str] = field(default_factory=set)            # untracked or added: every line

    @property
    def files(self) -> set[str]:
        return set(self.changed) | self.whole_files

    def touches(self, path: str, start: int, end: int) -> bool:
        if path in self.whole_files:
            return True
        lines = self.changed.get(path)
        return lines is not None and any(start <= line <= end for line in lines)

    def filter(self, results: list[FileResult], *, context: bool = False) -> list[FileResult]:
        """Keep changed functions and findings in changed code; with ``context`` keep the rest as hints."""
        for result in results:
            changed_fns = [f for f in result.functions if self.touches(result.path, f.start_line, f.end_line)]
            kept: list[Finding] = []
            for finding in result.findings:
                if self._in_changed_code(result.path, finding, changed_fns):
                    kept.append(finding)
                elif context:
                    finding.severity = "hint"
                    finding.data = {**finding.data, "context": True}
                    kept.append(finding)
            result.findings = kept
            if not context:
                result.functions = changed_fns
        return results

    def _in_changed_code(self, path: str, finding: Finding, changed_fns: list[FunctionMetrics]) -> bool:
        if finding.function:
            return any(f.qualified_name == finding.function for f in changed_fns)
        return self.touches(path, finding.start_line, finding.end_line)


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


def parse_diff(diff: str) -> tuple[dict[str, set[int]], set[str]]:
    """Changed new-side lines per path from `git diff -U0` output; paths added from scratch."""
    changed: dict[str, set[int]] = {}
    added: set[str] = set()
    current: str | None = None
    previous_was_null = False
    for line in diff.splitlines():
        if line.startswith("--- "):
            previous_was_null = line == "--- /dev/null"
        elif line.startswith("+++ "):
            current = _new_side(line[4:], changed, added if previous_was_null else None)
        elif current is not None and line.startswith("@@"):
            changed[current].update(_hunk_lines(line))
    return changed, added


def _new_side(target: str, changed: dict[str, set[int]], added: set[str] | None) -> str | None:
    """The path of a `+++ ` line (None for a deletion), registered in ``changed`` (and ``added``)."""
    if target == "/dev/null":
        return None
    path = target[2:] if target.startswith("b/") else target
    changed.setdefault(path, set())
    if added is not None:
        added.add(path)
    return path


def _hunk_lines(header: str) -> range:
    match = _HUNK.match(header)
    if not match:
        return range(0)
    start, count = int(match.group(1)), int(match.group(2) or 1)
    return range(start, start + count)


class Review:
    """Changes since the merge-base of HEAD with ``base``, for one workspace: the whole working tree
    (``selection``: `check --base`) or one buffer (``changed_lines``: the editor). Merge-base and
    base-text caches; safe to call from worker threads.

    ``option`` names the setting in messages ("--base", "review.base"); ``auto``: the base "auto"
    means the upstream's default branch (the editor's setting)."""

    def __init__(self, root: str, base: str, *, option: str = "--base", auto: bool = False,
                 timeout: float = GIT_TIMEOUT_S) -> None:
        self.root = root
        self.base = base
        self.option = option
        self.auto = auto
        self.timeout = timeout
        self._lock = threading.Lock()
        self._key: tuple[str, str] | None = None          # (HEAD sha, base sha) the merge-base is for
        self._merge_base: str | None = None
        self._base_texts: dict[tuple[str, str], str | None] = {}

    @property
    def enabled(self) -> bool:
        return bool(self.base)

    # ---- git: background only ------------------------------------------------------------------
    def selection(self) -> Selection:
        """What HEAD plus the working tree (uncommitted and untracked files) changed since the merge-base."""
        merge_base = self.merge_base()
        diff = self._git("diff", "--unified=0", "--no-color", "--find-renames", merge_base, "--")
        if diff.returncode != 0:
            raise ReviewError(f"git diff failed: {diff.error}")
        changed, added = parse_diff(diff.text)
        untracked = self._git("ls-files", "--others", "--exclude-standard", "-z")
        whole = added | {p for p in untracked.text.split("\0") if p}
        changed = {path: lines for path, lines in changed.items() if lines or path in whole}
        return Selection(base=self.base, merge_base=merge_base, changed=changed, whole_files=whole)

    def changed_lines(self, path: str, text: str, version: int) -> ChangedLines:
        """The buffer lines changed since the merge-base (runs git: call from the background pool)."""
        merge_base = self.merge_base()
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        if rel.startswith("../"):
            raise ReviewError(f"{path} is outside the workspace {self.root}")
        base_text = self._base_text(merge_base, rel)
        if base_text is None:   # not in the merge-base: added on the branch (or untracked)
            return ChangedLines(version, frozenset(), whole=True, base=self.base, merge_base=merge_base)
        return ChangedLines(version, changed_line_numbers(base_text, text), base=self.base, merge_base=merge_base)

    def merge_base(self) -> str:
        key = self._current_key()
        with self._lock:
            if key == self._key and self._merge_base:
                return self._merge_base
        proc = self._git("merge-base", key[0], key[1])
        if proc.returncode != 0:
            shallow = self._git("rev-parse", "--is-shallow-repository").text.strip() == "true"
            hint = ("this is a shallow clone: run `git fetch --unshallow` (or `git fetch --deepen=200`)"
                    if shallow else "the histories are unrelated")
            raise ReviewError(f"no merge-base between HEAD and '{self.base}': {hint}")
        with self._lock:
            self._key, self._merge_base = key, proc.text.strip()
            return self._merge_base

    def _current_key(self) -> tuple[str, str]:
        ref = self._resolve_ref()
        base = self._git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        if base.returncode != 0 and self._git("rev-parse", "--is-inside-work-tree").returncode != 0:
            raise ReviewError(f"{self.root} is not a git repository: {self.option} needs one")
        if base.returncode != 0:
            name = "base" if self.option.startswith("--") else self.option
            raise ReviewError(f"{name} '{ref}' does not exist here; fetch it first, e.g. "
                              f"`git fetch origin {ref}:{ref}` (or use origin/{ref})")
        head = self._git("rev-parse", "--verify", "--quiet", "HEAD")
        if head.returncode != 0:
            raise ReviewError("HEAD has no commit yet: nothing to compare with the base")
        return head.text.strip(), base.text.strip()

    def _git(self, *args: str) -> GitResult:
        try:
            return git_at(self.root).result(args, timeout=self.timeout)
        except GitMissing as exc:
            raise ReviewError(f"git is not installed: {self.option} needs git") from exc
        except GitError as exc:
            raise ReviewError(f"git failed: {exc}") from exc

    def _resolve_ref(self) -> str:
        if not self.auto or self.base != AUTO:
            return self.base
        upstream = self._git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
        remote = upstream.text.strip().split("/", 1)[0] if upstream.returncode == 0 else "origin"
        head = self._git("symbolic-ref", "--quiet", "--short", f"refs/remotes/{remote}/HEAD")
        if head.returncode == 0 and head.text.strip():
            return head.text.strip()
        for candidate in AUTO_FALLBACKS:
            if self._git("rev-parse", "--verify", "--quiet", "--end-of-options",
                         f"{candidate}^{{commit}}").returncode == 0:
                return candidate
        raise ReviewError(f"{self.option} 'auto': no upstream default branch (origin/HEAD), main or master")

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
        listing = self._git("ls-tree", "-z", commit, "--", rel)
        fields = listing.text.split("\0", 1)[0].split(None, 3) if listing.returncode == 0 else []
        if len(fields) != 4 or fields[1] != "blob":
            return None
        blob = self._git("cat-file", "blob", fields[2])
        return blob.text if blob.ok else None

    def _renamed_from(self, merge_base: str, rel: str) -> str | None:
        """The path at the merge-base of a file git sees as renamed to ``rel`` (merge-base vs the index)."""
        proc = self._git("diff", "--cached", "-M", "--name-status", "-z", "--diff-filter=R", merge_base, "--")
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

def select_changes(root: str, base: str) -> Selection:
    """`check --base`: what the working tree changed since the merge-base with ``base``."""
    return Review(root, base).selection()
