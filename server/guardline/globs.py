"""Glob patterns (config `include`/`exclude`/`overrides.paths`, and the workspace's .gitignore files)
that cannot hang a run.

pathspec compiles a gitwildmatch pattern to a backtracking regex: `*a*a*a*a*b` takes over a minute
on one 200-character name, and every `**` multiplies the work. A pattern with more than
``MAX_WILDCARDS`` runs of `*` or longer than ``MAX_LENGTH`` is refused — a config error for the user's
own config, a skipped line (with a run note) in an untrusted .gitignore — as is one pathspec rejects.
"""

from __future__ import annotations

import re

import pathspec

MAX_WILDCARDS = 4
MAX_LENGTH = 1024
_STAR_RUNS = re.compile(r"\*+")


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None."""
    if len(pattern) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters"
    runs = len(_STAR_RUNS.findall(pattern))
    if runs > MAX_WILDCARDS:
        return f"{runs} wildcards; at most {MAX_WILDCARDS} keep matching fast"
    try:
        pathspec.PathSpec.from_lines("gitwildmatch", [pattern])
    except (ValueError, TypeError) as exc:     # GitWildMatchPatternError is a ValueError
        return f"not a valid glob ({exc})"
    return None


def usable(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(patterns that can be used, [(pattern, problem)] that cannot)."""
    good, bad = [], []
    for line in lines:
        problem = glob_problem(line)
        if problem is None:
            good.append(line)
        else:
            bad.append((line, problem))
    return good, bad
