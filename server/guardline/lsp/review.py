"""Review mode in the editor (config key `review.base`): findings in code unchanged since the
merge-base with the base ref are lowered to hints, findings in changed code keep their severity, and
AI-written changed code comes first (docs/architecture.md, "Editor protocol").

The git work and the line diff are the core's one review implementation (guardline/review.py, shared
with `check --base`); this module is its editor flavour. Git runs only in the session's background pool
(``ReviewService.changed_lines``); the keystroke path only reads the last computed line set (``mark``,
pure and cheap). The changed lines of a buffer are cached per (document, version) in the session.
"""

from __future__ import annotations

from guardline.review import (AUTO, AUTO_FALLBACKS, ChangedLines, Review, ReviewUnavailable, changed_line_numbers,
                              mark)

__all__ = ["AUTO", "AUTO_FALLBACKS", "ChangedLines", "GIT_TIMEOUT_S", "ReviewService", "ReviewUnavailable",
           "changed_line_numbers", "mark"]

GIT_TIMEOUT_S = 30


class ReviewService(Review):
    """The review of one workspace for the editor: the setting is `review.base`, whose "auto" means the
    upstream's default branch, and git gets a shorter timeout (background work behind an open buffer)."""

    def __init__(self, root: str, base: str) -> None:
        super().__init__(root, base, option="review.base", auto=True, timeout=GIT_TIMEOUT_S)
