"""Helpers for origin tests: throw-away git repositories built with git itself.

Isolated from the user's git config (GIT_CONFIG_GLOBAL=/dev/null, no system config) and dated
deterministically, so commits and shas are reproducible.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from guardline.config import Config
from guardline.origin import FileOrigin, OriginResolver

GIT = shutil.which("git") or "/usr/bin/git"
HUMAN = ("Alice Example", "alice@example.com")
BASE_TIME = 1_760_000_000


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", LC_ALL="C",
               GIT_TERMINAL_PROMPT="0")
    env.update(extra or {})
    return env


class Repo:
    def __init__(self, path: Path, *, init: bool = True) -> None:
        self.path = Path(path)
        self.tick = 0
        if init:
            self.path.mkdir(parents=True, exist_ok=True)
            self.git("init", "-q", "-b", "main")
            self.git("config", "user.name", HUMAN[0])
            self.git("config", "user.email", HUMAN[1])
            self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        proc = subprocess.run([GIT, *args], cwd=self.path, input=stdin, capture_output=True, text=True,
                              env=git_env(env), check=False)
        assert proc.returncode == 0, f"git {' '.join(args)} failed: {proc.stderr}"
        return proc.stdout

    def write(self, rel: str, text: str) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def commit(self, files: dict[str, str], message: str, *, author: tuple[str, str] = HUMAN,
               committer: tuple[str, str] | None = None) -> str:
        for rel, text in files.items():
            self.write(rel, text)
        self.git("add", "--", *files)
        self.tick += 1
        stamp = f"{BASE_TIME + self.tick * 3600} +0000"
        committer = committer or author
        env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1], "GIT_AUTHOR_DATE": stamp,
               "GIT_COMMITTER_NAME": committer[0], "GIT_COMMITTER_EMAIL": committer[1],
               "GIT_COMMITTER_DATE": stamp}
        self.git("commit", "-q", "--no-verify", "-F", "-", stdin=message, env=env)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def add_note(self, commit: str, text: str, ref: str = "ai") -> None:
        self.git("notes", f"--ref={ref}", "add", "-f", "-F", "-", commit, stdin=text)

    def resolve(self, rel: str, text: str | None = None, config: Config | None = None) -> FileOrigin:
        return OriginResolver(str(self.path), config or Config()).resolve(rel, text)


def origins(file_origin: FileOrigin) -> list[str]:
    return [rec.origin for rec in file_origin.lines]


def numbered(n: int, prefix: str = "line") -> str:
    """n distinct lines of Python-ish text."""
    return "".join(f"{prefix}_{i} = {i}\n" for i in range(1, n + 1))
