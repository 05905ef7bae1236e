"""Errors every layer may raise and the command line turns into exit codes (docs/architecture.md).

Kept apart from ``cli`` so that the core (baseline, workspace) can say "usage error" without importing
the command line, which imports them (that was the baseline <-> cli <-> report import cycle)."""

from __future__ import annotations


class UsageError(Exception):
    """A problem with how guardline was called: exit 2 with the message."""
