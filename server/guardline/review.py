"""Review mode: only what a branch changed since the merge-base with a base ref (plus uncommitted
and untracked changes). Used by `guardline check --base REF`.

Git runs through the hardened runner (`guardline/git.py`): argument lists, `--` before paths, no
filter, diff driver, hook or fsmonitor of the repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guardline.git import GitError, GitMissing, GitResult, git_at
from guardline.model import FileResult, Finding, FunctionMetrics

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class ReviewError(Exception):
    """The base cannot be used (missing ref, shallow clone, not a repository)."""


def _git(root: str, *args: str) -> GitResult:
    try:
        return git_at(root).result(args, timeout=120)
    except GitMissing as exc:
        raise ReviewError("git is not installed: --base needs git") from exc
    except GitError as exc:
        raise ReviewError(str(exc)) from exc


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
        return bool(lines) and any(start <= line <= end for line in lines)

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


def _resolve(root: str, base: str) -> str:
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise ReviewError(f"{root} is not a git repository: --base needs one")
    proc = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}")
    if proc.returncode != 0:
        raise ReviewError(f"base '{base}' does not exist here; fetch it first, e.g. "
                          f"`git fetch origin {base}:{base}` (or use origin/{base})")
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    if head.returncode != 0:
        raise ReviewError("HEAD has no commit yet: nothing to compare with the base")
    merge = _git(root, "merge-base", "HEAD", proc.text.strip())
    if merge.returncode != 0:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").text.strip() == "true"
        hint = ("this is a shallow clone: run `git fetch --unshallow` (or `git fetch --deepen=200`) "
                if shallow else "the histories are unrelated ")
        raise ReviewError(f"no merge-base between HEAD and '{base}': {hint}")
    return merge.text.strip()


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
            target = line[4:]
            current = None if target == "/dev/null" else target[2:] if target.startswith("b/") else target
            if current is not None:
                changed.setdefault(current, set())
                if previous_was_null:
                    added.add(current)
        elif current is not None and line.startswith("@@"):
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or 1)
                changed[current].update(range(start, start + count))
    return changed, added


def select_changes(root: str, base: str) -> Selection:
    merge_base = _resolve(root, base)
    diff = _git(root, "diff", "--unified=0", "--no-color", "--find-renames", merge_base, "--")
    if diff.returncode != 0:
        raise ReviewError(f"git diff failed: {diff.error}")
    changed, added = parse_diff(diff.text)
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    whole = added | {p for p in untracked.text.split("\0") if p}
    changed = {path: lines for path, lines in changed.items() if lines or path in whole}
    return Selection(base=base, merge_base=merge_base, changed=changed, whole_files=whole)
