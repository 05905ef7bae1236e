"""The git layer: git *facts* for the origin package (repository, refs, blame, objects, notes,
attributes), all gathered through the one hardened runner (`guardline/git.py`).

Per resolve: one `git blame`, one `git cat-file --batch` (commits and note blobs together), and per
repository state one `git notes list`. Refs (HEAD, notes) are read from the files under .git, so a
cached resolve spawns no process at all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterator

from guardline.git import DUBIOUS, GitError, GitMissing, GitRefused, git_at, git_executable, run_git
from guardline.origin.records import BlameLine, CommitInfo

__all__ = ["DUBIOUS", "GitError", "GitMissing", "GitRefused", "Repo", "git_executable", "run_git"]

BLAME_HEADER = re.compile(rb"^([0-9a-f]{40}) (\d+) (\d+)(?: \d+)?$")
IDENT = re.compile(r"^(?P<name>.*?) ?<(?P<email>[^>]*)> (?P<time>\d+)")
SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class Repo:
    toplevel: str
    git_dir: str
    common_dir: str
    shallow: bool
    reftable: bool = False      # refs not in files: read them with git (one process per read)


def find_repo(directory: str) -> Repo | None:
    """The repository containing ``directory``, or None when it is not inside one."""
    try:
        out = run_git(["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir",
                       "--is-shallow-repository"], directory)
    except GitMissing:
        raise
    except GitError as exc:
        if DUBIOUS in str(exc):
            raise GitRefused(f"git refuses this repository (dubious ownership): run "
                             f"`git config --global --add safe.directory {directory}`") from exc
        return None
    lines = out.decode("utf-8", "replace").splitlines()
    if len(lines) < 4:
        return None
    toplevel, git_dir, common, shallow = lines[:4]
    common = os.path.normpath(os.path.join(directory, common))
    reftable = os.path.isdir(os.path.join(common, "reftable"))
    return Repo(os.path.realpath(toplevel), git_dir, common, shallow.strip() == "true", reftable)


# --- refs, read from files ---------------------------------------------------------------------
def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def _packed_refs(repo: Repo) -> dict[str, str]:
    text = _read_text(os.path.join(repo.common_dir, "packed-refs")) or ""
    out = {}
    for line in text.splitlines():
        if line and line[0] not in "#^":
            parts = line.split(" ", 1)
            if len(parts) == 2:
                out[parts[1].strip()] = parts[0]
    return out


def read_ref(repo: Repo, ref: str) -> str | None:
    """The sha a ref points to (following symbolic refs), from the files; None if absent."""
    if repo.reftable:
        out = run_git(["rev-parse", "--verify", "-q", ref], repo.toplevel, check=False).decode().strip()
        return out if SHA.match(out) else None
    for _ in range(5):
        base = repo.git_dir if ref == "HEAD" else repo.common_dir
        text = _read_text(os.path.join(base, *ref.split("/")))
        if text is None:
            return _packed_refs(repo).get(ref)
        text = text.strip()
        if text.startswith("ref: "):
            ref = text[5:].strip()
            continue
        return text if SHA.match(text) else None
    return None


def list_refs(repo: Repo, prefix: str) -> dict[str, str]:
    """All refs under ``prefix`` (e.g. `refs/notes/ai-remote/`) -> sha, loose and packed."""
    if repo.reftable:
        out = run_git(["for-each-ref", "--format=%(objectname) %(refname)", prefix], repo.toplevel, check=False)
        pairs = (line.split(" ", 1) for line in out.decode("utf-8", "replace").splitlines())
        return {name: sha for sha, name in pairs if SHA.match(sha)}
    refs = {name: sha for name, sha in _packed_refs(repo).items() if name.startswith(prefix)}
    top = os.path.join(repo.common_dir, *prefix.rstrip("/").split("/"))
    stack = [top]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                stack.append(entry.path)
            else:
                name = os.path.relpath(entry.path, repo.common_dir).replace(os.sep, "/")
                sha = (_read_text(entry.path) or "").strip()
                if SHA.match(sha):
                    refs[name] = sha
    return refs


def has_remote(repo: Repo) -> bool:
    return '[remote "' in (_read_text(os.path.join(repo.common_dir, "config")) or "")


# --- blame ---------------------------------------------------------------------------------------
def blame(repo: Repo, relpath: str, text: bytes | None = None) -> list[BlameLine]:
    """`git blame --porcelain -w -M`; with ``text``, the live buffer is blamed (`--contents -`)."""
    args = ["blame", "--porcelain", "-w", "-M"]
    ignore = os.path.join(repo.toplevel, ".git-blame-ignore-revs")
    use_ignore = os.path.isfile(ignore)
    if text is not None:
        args += ["--contents", "-"]
    tail = ["--", relpath]
    try:
        out = run_git(args + (["--ignore-revs-file", ignore] if use_ignore else []) + tail, repo.toplevel,
                      stdin=text)
    except GitError as exc:
        if not (use_ignore or "object name list" in str(exc) or "ignore" in str(exc).lower()):
            raise
        # A broken ignore-revs file must not hide blame. Many people set blame.ignoreRevsFile in their
        # global config for repos that lack the file (fatal in git 2.39): retry without it and without
        # the global/system config (a repo-local setting cannot be overridden and stays an error).
        out = run_git([*args, *tail], repo.toplevel, stdin=text,
                      env={"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    return parse_porcelain(out, relpath)


def history_log(repo: Repo, limit: int) -> bytes:
    """Every commit reachable from HEAD (at most ``limit``, the newest), parents first, with its
    parents and the paths it touched (`--raw -m`: a merge against each parent). One history walk for
    the whole repository: the walk, not the diffs, is what a blame of a small file costs."""
    return run_git(["log", "--topo-order", "--reverse", "-m", "--raw", "--no-renames", "--no-abbrev",
                    f"--max-count={limit}", "--format=%x00%H %P", "HEAD", "--"], repo.toplevel)


def changed_paths(repo: Repo, old: str, new: str) -> set[str]:
    """Every path a commit on either side of ``old``...``new`` touched (merges against each parent,
    renames as their two paths): a file none of whose paths is here has the same blame, history and
    ancestry at ``new`` as at ``old``. One `git log --name-only` of the commits in between."""
    if not (SHA.match(old) and SHA.match(new)):
        raise GitError(f"not a commit pair: {old!r} {new!r}")
    out = run_git(["log", "-m", "--name-only", "--no-renames", "-z", "--format=", f"{old}...{new}", "--"],
                  repo.toplevel)
    names = [p for p in out.split(b"\0") if p]
    # both spellings of a name that is not UTF-8: the file system's (relative paths) and blame's
    return {p.decode("utf-8", "surrogateescape") for p in names} | {p.decode("utf-8", "replace") for p in names}


def history_patches(repo: Repo, limit: int) -> Iterator[bytes]:
    """The `-w -U0` patches of every commit :func:`history_log` lists (merges against each parent),
    streamed: one process for all paths, where a path's own `git log -p` would resolve its blobs again
    for each file (`git log` keeps a delta cache across the whole run)."""
    return git_at(repo.toplevel).stream(
        ["log", "--topo-order", "-m", "-p", "-w", "-U0", "--inter-hunk-context=0", "--no-color", "--no-renames",
         "--full-index", f"--max-count={limit}", "--format=%x00%H", "HEAD", "--"])


def paths_patches(repo: Repo, commits: list[str], relpaths: list[str]) -> bytes:
    """The `-w -U0` patches of ``relpaths`` in exactly ``commits`` (the commits touching them: no walk,
    so no history simplification), from one process (one delta cache for all the blobs)."""
    shas = [c for c in commits if SHA.match(c)]
    if not shas or not relpaths:
        return b""
    return run_git(["log", "--no-walk=unsorted", "--stdin", "--no-follow", "-p", "-m", "-w", "-U0",
                    "--inter-hunk-context=0", "--no-color", "--no-renames", "--full-index", "--format=%x00%H", "--",
                    *(f":(literal){p}" for p in relpaths)], repo.toplevel,
                   stdin="".join(f"{s}\n" for s in shas).encode())


def path_patches(repo: Repo, commits: list[str], relpath: str) -> bytes:
    """The `-w -U0` patches of ``relpath`` in exactly ``commits`` (no walk: `--no-walk --stdin`), a
    merge's against each parent, with full blob ids."""
    shas = [c for c in commits if SHA.match(c)]
    if not shas:
        return b""
    return run_git(["log", "--no-walk=unsorted", "--stdin", "--no-follow", "-p", "-m", "-w", "-U0",
                    "--inter-hunk-context=0", "--no-color", "--no-renames", "--full-index", "--format=%x00%H",
                    "--", relpath], repo.toplevel,
                   stdin="".join(f"{s}\n" for s in shas).encode())


def parse_porcelain_numbered(out: bytes, default_path: str) -> dict[int, BlameLine]:
    """Like parse_porcelain, keyed by each line's final (current) line number."""
    result: dict[int, BlameLine] = {}
    paths: dict[str, str] = {}
    current: tuple[str, int, int] | None = None
    for raw in out.split(b"\n"):
        if raw.startswith(b"\t"):
            if current is not None:
                sha, orig, final = current
                result[final] = BlameLine(sha, orig, paths.get(sha, default_path))
            current = None
            continue
        header = BLAME_HEADER.match(raw)
        if header:
            current = (header.group(1).decode(), int(header.group(2)), int(header.group(3)))
        elif current is not None and raw.startswith(b"filename "):
            paths[current[0]] = _unquote_path(raw[9:].decode("utf-8", "replace"))
    return result


def parse_porcelain(out: bytes, default_path: str) -> list[BlameLine]:
    result: list[BlameLine] = []
    paths: dict[str, str] = {}
    boundaries: set[str] = set()
    current: tuple[str, int] | None = None
    for raw in out.split(b"\n"):
        if raw.startswith(b"\t"):
            if current is not None:
                sha, orig = current
                result.append(BlameLine(sha, orig, paths.get(sha, default_path), sha in boundaries))
            current = None
            continue
        header = BLAME_HEADER.match(raw)
        if header:
            current = (header.group(1).decode(), int(header.group(2)))
        elif current is not None and raw.startswith(b"filename "):
            paths[current[0]] = _unquote_path(raw[9:].decode("utf-8", "replace"))
        elif current is not None and raw == b"boundary":
            boundaries.add(current[0])
    return result


def _unquote_path(path: str) -> str:
    if len(path) >= 2 and path[0] == path[-1] == '"':
        body = path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
        return body.encode("latin-1", "replace").decode("utf-8", "replace")
    return path


# --- objects -------------------------------------------------------------------------------------
def cat_file(repo: Repo, shas: list[str]) -> dict[str, tuple[str, bytes]]:
    """One `git cat-file --batch` for all ``shas``: sha -> (type, content). Missing ones are left out."""
    return git_at(repo.toplevel).cat_file_batch(shas)


def parse_commit(sha: str, raw: bytes) -> CommitInfo:
    text = raw.decode("utf-8", "replace")
    head, _, message = text.partition("\n\n")
    info = CommitInfo(sha=sha, message=message)
    for line in head.split("\n"):
        key, _, value = line.partition(" ")
        if key == "parent":
            info.parents.append(value.strip())
        elif key in ("author", "committer"):
            m = IDENT.match(value)
            if not m:
                continue
            if key == "author":
                info.author_name, info.author_email = m.group("name"), m.group("email")
                info.author_time = int(m.group("time"))
            else:
                info.committer_name, info.committer_email = m.group("name"), m.group("email")
    return info


def notes_index(repo: Repo, refs: list[str]) -> dict[str, list[str]]:
    """annotated commit -> note blobs, one per notes ref that has a note for it, in ref order."""
    index: dict[str, list[str]] = {}
    for ref in refs:
        out = run_git(["notes", f"--ref={ref}", "list"], repo.toplevel, check=False)
        for line in out.decode("ascii", "replace").splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] not in index.get(parts[1], ()):
                index.setdefault(parts[1], []).append(parts[0])
    return index


def patch_ids(repo: Repo, shas: list[str]) -> dict[str, str]:
    """commit -> `git patch-id --stable` of its diff (two processes for all of them): equal for a
    commit and its rebased or cherry-picked copy."""
    shas = [s for s in shas if SHA.match(s)]
    if not shas:
        return {}
    diff = run_git(["log", "--no-walk=unsorted", "-p", "--format=commit %H", *shas, "--"], repo.toplevel)
    out = run_git(["patch-id", "--stable"], repo.toplevel, stdin=diff)
    ids: dict[str, str] = {}
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 2:
            ids[parts[1]] = parts[0]
    return ids


def listed_blame(repo: Repo, shas: list[str], paths: list[str]) -> dict[tuple[str, int], str]:
    """For a `git merge --squash` commit listing ``shas`` (newest first): (path, line) of the branch
    tip's version -> the listed commit that wrote the line, by one `git blame` of the tip per path.
    Listed commits missing from the repository are skipped (no tip: empty)."""
    present = cat_file_check(repo, [s for s in shas if re.fullmatch(r"[0-9a-f]{7,40}", s)])
    if not present:
        return {}
    listed = set(present)
    out: dict[tuple[str, int], str] = {}
    for path in paths:
        blamed = parse_porcelain_numbered(
            run_git(["blame", "--porcelain", "-w", "--no-textconv", present[0], "--", path], repo.toplevel), path)
        out.update({(path, number): line.commit for number, line in blamed.items() if line.commit in listed})
    return out


def cat_file_check(repo: Repo, shas: list[str]) -> list[str]:
    """The full shas of those of ``shas`` that are commits in the repository, in order."""
    out = run_git(["cat-file", "--batch-check"], repo.toplevel, stdin="".join(f"{s}\n" for s in shas).encode())
    full = []
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "commit":
            full.append(parts[0])
    return full


def descendants(repo: Repo, revision: str, head: str) -> frozenset[str]:
    """Commits between ``revision`` (excluded) and ``head`` that descend from it: the commits an
    Agent Trace record made at ``revision`` (HEAD at edit time) may have landed in."""
    if not (SHA.match(revision) and SHA.match(head)):
        return frozenset()
    out = run_git(["rev-list", "--ancestry-path", f"{revision}..{head}"], repo.toplevel, check=False)
    return frozenset(line for line in out.decode("ascii", "replace").split() if SHA.match(line))


# --- attributes ----------------------------------------------------------------------------------
GENERATED_ATTRS = ("linguist-generated", "linguist-vendored")


def generated_attributes(repo: Repo, relpaths: list[str]) -> dict[str, str]:
    """relpath -> reason, for paths marked linguist-generated / linguist-vendored (one process)."""
    if not relpaths:
        return {}
    out = run_git(["check-attr", "-z", "--stdin", *GENERATED_ATTRS], repo.toplevel,
                  stdin=b"".join(p.encode() + b"\0" for p in relpaths))
    fields = out.split(b"\0")
    reasons: dict[str, str] = {}
    for i in range(0, len(fields) - 2, 3):
        path, attr, value = (f.decode("utf-8", "replace") for f in fields[i:i + 3])
        if value in ("set", "true") and path not in reasons:
            reasons[path] = f".gitattributes {attr}"
    return reasons


def may_have_attributes(repo: Repo, relpath: str) -> bool:
    """Cheap check before spawning check-attr: any .gitattributes on the path, or info/attributes."""
    if os.path.isfile(os.path.join(repo.common_dir, "info", "attributes")):
        return True
    parts = relpath.split("/")[:-1]
    for depth in range(len(parts) + 1):
        if os.path.isfile(os.path.join(repo.toplevel, *parts[:depth], ".gitattributes")):
            return True
    return False
