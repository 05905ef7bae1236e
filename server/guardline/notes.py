"""Run notes: what a user must know about a whole run, said once in every output.

A per-file problem is a file note or error; a run note is about the run itself — git missing, a
shallow clone, a cache that could not be used — where the result is less than it seems (e.g. AI-written
code judged by the human limits because origin is unknown). Each note has a stable ``code``; the first
note of a code wins, so a note reported from many places appears once.

Outputs: `check` text (a `warning:` line before the summary), JSON (`notes`), SARIF
(`invocations[0].toolExecutionNotifications`), `report` (its notes, every format), `baseline` (stderr).

To add a note:
- from code that runs in the CLI process: ``run_notes().add("code", "message")``;
- about the repository or environment, checked once per run: write ``def check(root, config) ->
  Iterable[RunNote]`` and decorate it with ``@run_check`` (``gather`` runs every check; keep each cheap,
  read files rather than start processes where possible, never raise). The origin checks (git missing,
  shallow clone, git-ai notes not fetched) live in origin/runchecks.py, registered when guardline.origin
  is imported (this module imports nothing of guardline's: every store reports through it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

WARNING, INFO = "warning", "note"


@dataclass(frozen=True)
class RunNote:
    code: str            # stable, kebab-case: "git-missing", "shallow-clone", "cache-disabled", ...
    message: str         # one line, says what it means for the result and what to do
    level: str = WARNING

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "level": self.level, "message": self.message}

    def line(self) -> str:
        return f"{self.level}: {self.message}"


class RunNotes:
    """The notes of one run, in the order first reported; thread-safe."""

    def __init__(self) -> None:
        self._notes: dict[str, RunNote] = {}
        self._lock = threading.Lock()

    def add(self, code: str, message: str, level: str = WARNING) -> None:
        with self._lock:
            self._notes.setdefault(code, RunNote(code, message, level))

    def extend(self, notes: Iterable[RunNote]) -> None:
        for note in notes:
            self.add(note.code, note.message, note.level)

    def __iter__(self) -> Iterator[RunNote]:
        with self._lock:
            return iter(list(self._notes.values()))

    def __len__(self) -> int:
        return len(self._notes)

    def codes(self) -> list[str]:
        return [note.code for note in self]

    def to_json(self) -> list[dict[str, str]]:
        return [note.to_json() for note in self]

    def lines(self) -> list[str]:
        return [note.line() for note in self]


_current = RunNotes()


def run_notes() -> RunNotes:
    """The notes of the run in progress in this process."""
    return _current


def new_run() -> RunNotes:
    """Start a run: a fresh, empty channel (the CLI calls it once per command)."""
    global _current
    _current = RunNotes()
    return _current


Check = Callable[[str, Any], Iterable[RunNote]]
CHECKS: list[Check] = []


def run_check(check: Check) -> Check:
    """Register a once-per-run check of the repository or environment."""
    CHECKS.append(check)
    return check


def gather(root: str, config: Any, notes: RunNotes | None = None) -> RunNotes:
    """Run every registered check for ``root`` into ``notes`` (default: the current run's)."""
    notes = notes if notes is not None else run_notes()
    for check in CHECKS:
        notes.extend(check(root, config))
    return notes
