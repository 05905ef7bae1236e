"""Reading workspace files without trusting what they are.

A FIFO, a character device or a socket can carry any name (`x.py`, `.gitignore`, `guardline.toml`):
opening one blocks or never ends. Files are opened non-blocking and checked with fstat to be regular
before a byte is read (no race between a stat and the open). File names that are not valid UTF-8
(surrogate-escaped by Python) are shown with a lossless backslash escape (`\\xff`).
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class NotRegularFile(OSError):
    """The path is a FIFO, device, socket or folder: never read."""


def kind(mode: int) -> str:
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def is_regular(path: str) -> bool:
    """A regular file, not followed through a symbolic link (os.lstat)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for binary reading; NotRegularFile (an OSError) unless it is a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(0, f"{kind(mode)}, not a regular file", path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str, limit: int | None = None) -> bytes:
    with open_regular(path) as fh:
        return fh.read() if limit is None else fh.read(limit)


def read_text(path: str, limit: int | None = None) -> str:
    """UTF-8 text of a regular file (undecodable bytes replaced)."""
    return read_regular(path, limit).decode("utf-8", "replace")


def display_path(path: str) -> str:
    """``path`` as text any output can carry: undecodable bytes as `\\xNN` (lossless, unambiguous
    for names without a backslash)."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
