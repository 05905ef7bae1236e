"""The one git runner of guardline: every git process of the package starts here.

The repository is untrusted (docs/architecture.md, "Rules of the house"): its `.git/config` can name
programs that git runs on its behalf (fsmonitor, clean/smudge/process filters, diff drivers and
textconv, hooks, pager, ssh). This module makes sure none of them ever runs:

- argument lists only, never a shell; callers put `--` before paths;
- only the subcommands in ``ALLOWED`` (no fetch/push/clone/ls-remote/submodule: no network), and
  `protocol.allow=never` besides, `core.sshCommand`/`GIT_SSH*` neutralised, `GIT_TERMINAL_PROMPT=0`;
- fixed overrides (``HARDENING``): `core.fsmonitor=false`, `core.hooksPath=/dev/null` (no hook can
  exist under it, unlike an empty folder someone could fill), `core.pager=cat`, `diff.external=`,
  `log.showSignature=false` (gpg), `credential.helper=`;
- per-name filters and diff drivers (`filter.<name>.clean|smudge|process`, `diff.<name>.textconv|command`)
  are enumerated with `git config --get-regexp` (which runs nothing) and each is overridden with an
  empty command (``driver_overrides``), passed as GIT_CONFIG_KEY_n/VALUE_n so any name survives;
- `--no-ext-diff --no-textconv` are added to diff/log/show and `--no-textconv` to blame;
- a timeout on every process; git is found only in absolute PATH entries (a relative or empty entry
  would find a `git` planted in the workspace);
- stdin is /dev/null unless input is given (a language server's stdin is the client's byte stream).

API (small on purpose; issue 14 builds the Workspace on it): ``Git(root).run(args)`` -> stdout bytes,
``.result(args)`` -> GitResult (exit code kept), ``.stream(args)`` -> output lines as they come (for
`git log -p`), ``.cat_file_batch(shas)``. tests/test_git_runner.py fails when any subprocess call in
the package bypasses this module.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

GIT_TIMEOUT = 60.0
STREAM_TIMEOUT = 1800.0     # a whole `git log -p` of a large history
DUBIOUS = "dubious ownership"

# Subcommands guardline may run. None of them talks to a network; write ones are for `guardline demo`.
READ_COMMANDS = frozenset({"blame", "cat-file", "check-attr", "config", "diff", "for-each-ref", "log",
                           "ls-files", "ls-tree", "merge-base", "notes", "patch-id", "rev-list", "rev-parse",
                           "show", "symbolic-ref", "version"})
WRITE_COMMANDS = frozenset({"add", "commit", "init"})
ALLOWED = READ_COMMANDS | WRITE_COMMANDS
# Transport commands: only `guardline org` runs them, through ``Git(..., transport=True)``, on repositories
# a user named, into clones guardline owns (under the user cache directory).
TRANSPORT_COMMANDS = frozenset({"clone", "fetch", "checkout", "clean"})

# Subcommands that may read the work tree or compute diffs, hence run filters and diff drivers: they get
# the per-name overrides (one `git config --get-regexp`, cached per repository config state).
DRIVER_COMMANDS = frozenset({"add", "blame", "checkout", "commit", "diff", "log", "ls-files", "show"})
# Flags added right after the subcommand name.
DIFF_FLAGS = {"diff": ("--no-ext-diff", "--no-textconv"), "log": ("--no-ext-diff", "--no-textconv"),
              "show": ("--no-ext-diff", "--no-textconv"), "blame": ("--no-textconv",)}

HARDENING = ("-c", "core.fsmonitor=false", "-c", f"core.hooksPath={os.devnull}", "-c", "core.pager=cat",
             "-c", "diff.external=", "-c", "core.sshCommand=", "-c", "protocol.allow=never",
             "-c", "log.showSignature=false", "-c", "credential.helper=", "-c", "core.askPass=")
# With transport=True: the named protocols only (`ext::` runs a command, `fd::` reads descriptors: never),
# and the user's own ssh and credentials (private repositories; an empty core.sshCommand would break ssh
# URLs). The clone's config is guardline's own, so no repository can name these programs.
USER_TRANSPORT_SETTINGS = ("core.sshCommand=", "protocol.allow=", "credential.helper=", "core.askPass=")
TRANSPORT_HARDENING = (*(arg for pair in zip(HARDENING[::2], HARDENING[1::2])
                         if not pair[1].startswith(USER_TRANSPORT_SETTINGS) for arg in pair),
                       "-c", "protocol.allow=never", "-c", "protocol.file.allow=always",
                       "-c", "protocol.https.allow=always", "-c", "protocol.ssh.allow=always",
                       "-c", "protocol.git.allow=always", "-c", "submodule.recurse=false")
# Environment a repository or a parent process could use to make git run a program.
DROPPED_ENV = ("GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_ASKPASS", "SSH_ASKPASS",
               "GIT_PROXY_COMMAND", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "PAGER")
TRANSPORT_DROPPED_ENV = tuple(v for v in DROPPED_ENV if v not in ("GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS",
                                                                   "SSH_ASKPASS"))
FILTER_KEYS = (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false"))
DIFF_KEYS = (("textconv", ""), ("command", ""))


class GitError(Exception):
    """git failed; the message is what a user needs to know."""


class GitMissing(GitError):
    """No git executable on PATH."""


class GitRefused(GitError):
    """git will not work in this repository (e.g. safe.directory); the message says what to do."""


@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def error(self) -> str:
        return self.stderr.decode("utf-8", "replace").strip()


def git_executable() -> str | None:
    """The git on PATH, looked up in absolute PATH entries only."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        if not os.path.isabs(folder):
            continue
        candidate = os.path.join(folder, "git")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def driver_overrides(listing: bytes) -> list[tuple[str, str]]:
    """Empty-command overrides for every filter and diff driver named in `git config -z --get-regexp`
    output ("key\\nvalue\\0" records)."""
    overrides: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for record in listing.split(b"\0"):
        key = record.split(b"\n", 1)[0].decode("utf-8", "surrogateescape")
        section, _, rest = key.partition(".")
        name = rest.rpartition(".")[0]
        if section not in ("filter", "diff") or not name or (section, name) in seen:
            continue
        seen.add((section, name))
        keys = FILTER_KEYS if section == "filter" else DIFF_KEYS
        overrides += [(f"{section}.{name}.{var}", value) for var, value in keys]
    return overrides


class Git:
    """Hardened git for one directory (``root`` is the working directory of every process).

    ``isolated``: ignore the user's global and system config too (the demo builds a repository that
    must not depend on them). ``transport``: also allow clone/fetch/checkout/clean over the protocols of
    ``TRANSPORT_HARDENING`` (guardline org's cached clones). Thread-safe."""

    def __init__(self, root: str, *, timeout: float = GIT_TIMEOUT, isolated: bool = False,
                 transport: bool = False) -> None:
        self.root = root
        self.timeout = timeout
        self.isolated = isolated
        self.transport = transport
        self._lock = threading.Lock()
        self._overrides: tuple[tuple[object, ...], list[tuple[str, str]]] | None = None

    # ---- public ------------------------------------------------------------------------------
    def run(self, args: Sequence[str], *, stdin: bytes | None = None, check: bool = True,
            env: Mapping[str, str] | None = None, timeout: float | None = None) -> bytes:
        """stdout of `git args`; with ``check``, a non-zero exit raises GitError (stderr as message)."""
        result = self.result(args, stdin=stdin, env=env, timeout=timeout)
        if check and not result.ok:
            raise GitError(result.error or f"git {args[0]} failed")
        return result.stdout

    def result(self, args: Sequence[str], *, stdin: bytes | None = None, env: Mapping[str, str] | None = None,
               timeout: float | None = None) -> GitResult:
        """Run `git args` to the end; raises only when git cannot run or times out."""
        argv, full_env = self._prepare(args, env)
        limit = self.timeout if timeout is None else timeout
        try:
            proc = subprocess.run(argv, cwd=self.root, input=stdin, capture_output=True, env=full_env,
                                  timeout=limit, check=False, stdin=None if stdin is not None else subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise GitError(f"git {args[0]} timed out after {limit:g} s") from exc
        except OSError as exc:
            raise _os_error(exc, args) from exc
        return GitResult(proc.returncode, proc.stdout, proc.stderr)

    def stream(self, args: Sequence[str], *, env: Mapping[str, str] | None = None,
               timeout: float = STREAM_TIMEOUT) -> Iterator[bytes]:
        """Output lines of `git args` (without the newline) as git writes them. Closing the iterator
        early stops git; git is killed after ``timeout`` seconds (then GitError)."""
        argv, full_env = self._prepare(args, env)
        try:
            proc = subprocess.Popen(argv, cwd=self.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=full_env)
        except OSError as exc:
            raise _os_error(exc, args) from exc
        stdout = proc.stdout
        assert stdout is not None   # stdout=PIPE
        killed: list[bool] = []

        def kill() -> None:
            killed.append(True)
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.daemon = True
        timer.start()
        try:
            for line in stdout:
                yield line.rstrip(b"\n")
        finally:
            timer.cancel()
            stdout.close()     # an early stop: git then dies of SIGPIPE
            proc.wait()
        if killed:
            raise GitError(f"git {args[0]} timed out after {timeout:g} s")

    def cat_file_batch(self, shas: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        """One `git cat-file --batch` for all ``shas``: sha -> (type, content); missing ones left out.
        cat-file applies no filter and no textconv: committed content exactly."""
        if not shas:
            return {}
        out = self.run(["cat-file", "--batch"], stdin="".join(f"{s}\n" for s in shas).encode())
        objects: dict[str, tuple[str, bytes]] = {}
        pos = 0
        while pos < len(out):
            end = out.index(b"\n", pos)
            header = out[pos:end].split(b" ")
            pos = end + 1
            if len(header) != 3:      # "<sha> missing"
                continue
            size = int(header[2])
            objects[header[0].decode()] = (header[1].decode(), out[pos:pos + size])
            pos += size + 1
        return objects

    def argv(self, args: Sequence[str]) -> list[str]:
        """The full command line for `git args` (hardening included): what run() executes."""
        return self._prepare(args, None)[0]

    # ---- internals ---------------------------------------------------------------------------
    def _prepare(self, args: Sequence[str], env: Mapping[str, str] | None) -> tuple[list[str], dict[str, str]]:
        args = list(args)
        allowed = ALLOWED | TRANSPORT_COMMANDS if self.transport else ALLOWED
        if not args or args[0] not in allowed:
            raise GitError(f"guardline does not run `git {args[0] if args else ''}`")
        exe = git_executable()
        if exe is None:
            raise GitMissing("git not found on PATH")
        full_env = self._base_env()
        full_env.update(env or {})
        if args[0] in DRIVER_COMMANDS:
            _add_config_env(full_env, self._driver_overrides(exe, full_env))
        args[1:1] = DIFF_FLAGS.get(args[0], ())
        return [exe, *(TRANSPORT_HARDENING if self.transport else HARDENING), *args], full_env

    def _base_env(self) -> dict[str, str]:
        dropped = TRANSPORT_DROPPED_ENV if self.transport else DROPPED_ENV
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", GIT_OPTIONAL_LOCKS="0", GIT_PAGER="cat")
        if self.isolated:
            env = {k: v for k, v in env.items() if not k.startswith("GIT_") or k in ("GIT_TERMINAL_PROMPT",
                                                                                  "GIT_OPTIONAL_LOCKS", "GIT_PAGER")}
            env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        return env

    def _driver_overrides(self, exe: str, env: dict[str, str]) -> list[tuple[str, str]]:
        state = _config_state(self.root, env)
        with self._lock:
            if self._overrides is not None and self._overrides[0] == state:
                return self._overrides[1]
        try:
            proc = subprocess.run([exe, *HARDENING, "config", "-z", "--get-regexp", r"^(filter|diff)\."],
                                  cwd=self.root, capture_output=True, env=env, timeout=self.timeout,
                                  stdin=subprocess.DEVNULL, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise GitError(f"git config failed: {exc}") from exc
        if proc.returncode not in (0, 1):       # 1: no such keys
            raise GitError(proc.stderr.decode("utf-8", "replace").strip() or "git config failed")
        overrides = driver_overrides(proc.stdout)
        with self._lock:
            self._overrides = (state, overrides)
        return overrides


def _add_config_env(env: dict[str, str], pairs: list[tuple[str, str]]) -> None:
    """Append ``pairs`` to the GIT_CONFIG_COUNT config (after any the caller's environment set)."""
    if not pairs:
        return
    try:
        start = int(env.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        start = 0
    for index, (key, value) in enumerate(pairs, start):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    env["GIT_CONFIG_COUNT"] = str(start + len(pairs))


def _config_state(root: str, env: Mapping[str, str]) -> tuple[object, ...]:
    """A cheap fingerprint of every config file git would read from ``root`` (stat of each), so the
    driver enumeration reruns only when one of them changes."""
    paths = [env.get("GIT_CONFIG_GLOBAL") or os.path.expanduser("~/.gitconfig"),
             os.path.join(env.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config"), "git", "config"),
             env.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig"]
    git_dir = _find_git_dir(root)
    if git_dir:
        paths += [os.path.join(git_dir, "config"), os.path.join(git_dir, "config.worktree"),
                  os.path.join(git_dir, "commondir")]
        common = _read_small(os.path.join(git_dir, "commondir"))
        if common:
            paths.append(os.path.join(git_dir, common.strip(), "config"))
    stamps: list[object] = [env.get("GIT_CONFIG_COUNT"), env.get("GIT_CONFIG_PARAMETERS"), git_dir]
    for path in paths:
        try:
            st = os.stat(path)
            stamps.append((path, st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            stamps.append((path, None))
    return tuple(stamps)


def _find_git_dir(root: str) -> str | None:
    """The .git folder (or the folder a `.git` file points to) above ``root``, found without git."""
    current = os.path.abspath(root)
    while True:
        dotgit = os.path.join(current, ".git")
        if os.path.isdir(dotgit):
            return dotgit
        text = _read_small(dotgit)
        if text and text.startswith("gitdir:"):
            return os.path.join(current, text[7:].strip())
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _read_small(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(4096)
    except OSError:
        return None


def _os_error(exc: OSError, args: Sequence[str]) -> GitError:
    if isinstance(exc, FileNotFoundError) and exc.filename and os.path.basename(str(exc.filename)) == "git":
        return GitMissing("git not found")
    return GitError(f"git {args[0]} could not start: {exc.strerror or exc}")


_SHARED: dict[str, Git] = {}
_SHARED_LOCK = threading.Lock()


def git_at(root: str) -> Git:
    """A shared Git for ``root`` (keeps its driver enumeration across calls)."""
    key = os.path.abspath(root)
    with _SHARED_LOCK:
        git = _SHARED.get(key)
        if git is None:
            if len(_SHARED) > 64:
                _SHARED.clear()
            git = _SHARED[key] = Git(key)
        return git


def run_git(args: Sequence[str], cwd: str, *, stdin: bytes | None = None, check: bool = True,
            env: Mapping[str, str] | None = None) -> bytes:
    """``git_at(cwd).run(args, ...)``: the call the origin layer and the report use."""
    return git_at(cwd).run(args, stdin=stdin, check=check, env=env)
