"""A progress bar for `guardline org`: repositories done / failed and an ETA, on stderr.

On a terminal one line is redrawn; otherwise (CI logs) one plain line per finished repository."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.total = total
        self.finished = 0
        self.failed = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()

    def done(self, *, failed: bool = False) -> None:
        self.finished += 1
        self.failed += failed
        if self.enabled:
            self._draw()

    def line(self) -> str:
        width = 24
        filled = int(width * self.finished / self.total) if self.total else width
        bar = "#" * filled + "-" * (width - filled)
        return (f"guardline org: [{bar}] {self.finished}/{self.total} repositories"
                f" · {self.failed} failed · ETA {self._eta()}")

    def _eta(self) -> str:
        if not self.finished or self.finished >= self.total:
            return "--:--" if not self.finished else "0:00"
        per = (time.monotonic() - self.started) / self.finished
        seconds = int(per * (self.total - self.finished))
        return f"{seconds // 60}:{seconds % 60:02d}"

    def _draw(self) -> None:
        end = "\n" if not self.tty or self.finished >= self.total else ""
        prefix = "\r" if self.tty else ""
        self.stream.write(prefix + self.line() + end)
        self.stream.flush()
