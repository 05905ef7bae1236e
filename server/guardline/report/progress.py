"""Progress of a report run: a bar redrawn in place on a terminal; messages name the phase and, when
they have one, an "N/M" count ("trend: sample 3/12 (ab12cd34ef)")."""

from __future__ import annotations

import re
from typing import TextIO

COUNT = re.compile(r"(\d+)/(\d+)")
WIDTH = 24


def fraction(message: str) -> float | None:
    match = COUNT.search(message)
    if not match or int(match[2]) == 0:
        return None
    return min(1.0, int(match[1]) / int(match[2]))


class Bar:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, message: str) -> None:
        share = fraction(message)
        bar = "" if share is None else "[" + "#" * round(WIDTH * share) + "-" * (WIDTH - round(WIDTH * share)) + "] "
        self.stream.write(f"\r\x1b[2Kguardline report: {bar}{message[:80]}")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
