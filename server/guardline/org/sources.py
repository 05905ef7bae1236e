"""What `guardline org` analyses: repository locations (paths or git URLs) with an optional team."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass

# A location git can clone that is not a local path: scheme://, scp-like user@host:path.
URL_FORM = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|[^/\s]+@[^/\s]+:)", re.IGNORECASE)
# `ext::` and `fd::` run commands or read descriptors: never accepted from a repos file.
FORBIDDEN_SCHEMES = ("ext::", "fd::")
NAME_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
COMMENT = re.compile(r"(?:^|\s)#")


class SourceError(ValueError):
    """A repository list that cannot be used; the message names the file, line and problem."""


@dataclass(frozen=True)
class RepoSource:
    """One repository of the organisation: its display name, where git gets it, its team (may be "")."""

    name: str
    location: str
    team: str = ""

    @property
    def is_url(self) -> bool:
        return bool(URL_FORM.match(self.location))

    @property
    def key(self) -> str:
        """Stable id of the location (cache folder names), independent of the display name."""
        return hashlib.sha1(self.location.encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()[:12]


def default_name(location: str) -> str:
    """`https://host/org/flask.git` -> `flask`; `/src/cobra/` -> `cobra`."""
    tail = location.rstrip("/").replace(":", "/").rsplit("/", 1)[-1]
    if tail.endswith(".git"):
        tail = tail[:-4]
    return NAME_SAFE.sub("-", tail).strip("-.") or "repo"


def normalise_location(raw: str, base_dir: str) -> str:
    if raw.startswith(FORBIDDEN_SCHEMES):
        raise SourceError(f"{raw}: transport not allowed (ext:: and fd:: run programs)")
    if URL_FORM.match(raw):
        return raw
    return os.path.abspath(os.path.join(base_dir, os.path.expanduser(raw)))


def unique_names(sources: list[RepoSource]) -> list[RepoSource]:
    """Two repositories called `api` become `api` and `api-2` (output files must not collide)."""
    seen: dict[str, int] = {}
    out = []
    for src in sources:
        count = seen.get(src.name, 0) + 1
        seen[src.name] = count
        name = src.name if count == 1 else f"{src.name}-{count}"
        out.append(RepoSource(name, src.location, src.team))
    return out


def from_arguments(locations: list[str], cwd: str) -> list[RepoSource]:
    sources = []
    for raw in locations:
        location = normalise_location(raw, cwd)
        sources.append(RepoSource(default_name(location), location))
    return sources


def parse_repos_file(path: str) -> list[RepoSource]:
    """One repository per line: `LOCATION [TEAM]` (whitespace, tab or comma separated); `#` comments.

    Relative paths are relative to the file's folder."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read repository list: {exc}") from exc
    base = os.path.dirname(os.path.abspath(path))
    sources = []
    for number, line in enumerate(lines, start=1):
        source = _parse_line(line, base, f"{path}:{number}")
        if source is not None:
            sources.append(source)
    if not sources:
        raise SourceError(f"{path}: no repositories listed")
    return sources


def _parse_line(line: str, base: str, where: str) -> RepoSource | None:
    text = COMMENT.split(line, 1)[0].strip()     # a `#` starts a comment at line start or after a space
    if not text:
        return None
    if text.startswith(FORBIDDEN_SCHEMES):
        raise SourceError(f"{where}: transport not allowed (ext:: and fd:: run programs)")
    fields = [f for f in re.split(r"[\s,]+", text) if f]
    if len(fields) > 2:
        raise SourceError(f"{where}: expected `LOCATION [TEAM]`, got {len(fields)} fields")
    try:
        location = normalise_location(fields[0], base)
    except SourceError as exc:
        raise SourceError(f"{where}: {exc}") from exc
    team = fields[1] if len(fields) == 2 else ""
    return RepoSource(default_name(location), location, team)


def collect_sources(locations: list[str], repos_file: str | None, cwd: str) -> list[RepoSource]:
    sources = from_arguments(locations, cwd)
    if repos_file:
        sources += parse_repos_file(repos_file)
    if not sources:
        raise SourceError("no repositories: give REPO... or --repos FILE")
    return unique_names(sources)
