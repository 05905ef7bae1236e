"""Review mode in the editor (config key `review.base`): findings in code unchanged since the
merge-base with the base ref are lowered to hints, findings in changed code keep their severity, and
AI-written changed code comes first (docs/architecture.md, "Editor protocol").

The git work and the line diff are the core's one review implementation (guardline/review.py, shared
with `check --base`); this module is its editor flavour. Git runs only in the session's background pool
(``ReviewService.changed_lines``); the keystroke path only reads the last computed line set (``mark``,
pure and cheap). The changed lines of a buffer are cached per (document, version) in the document's
``ReviewState``; ``ReviewTracker`` (on the loop) decides when to compute them: one computation per
document at a time, and a failed document is retried on save or a configuration change, not per edit.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from guardline.review import (AUTO, AUTO_FALLBACKS, ChangedLines, Review, ReviewUnavailable, changed_line_numbers,
                              mark)

__all__ = ["AUTO", "AUTO_FALLBACKS", "ChangedLines", "GIT_TIMEOUT_S", "ReviewHost", "ReviewService", "ReviewState",
           "ReviewTracker", "ReviewUnavailable", "changed_line_numbers", "mark", "same_marking"]

GIT_TIMEOUT_S = 30


class ReviewService(Review):
    """The review of one workspace for the editor: the setting is `review.base`, whose "auto" means the
    upstream's default branch, and git gets a shorter timeout (background work behind an open buffer)."""

    def __init__(self, root: str, base: str) -> None:
        super().__init__(root, base, option="review.base", auto=True, timeout=GIT_TIMEOUT_S)


# ---- on the loop: which document needs its lines computed, and what arrived ------------------
@dataclass(eq=False)
class ReviewState:
    """Review mode's part of one open document's state (``DocState.review``)."""

    lines: ChangedLines | None = None        # the last computed changed lines
    shown: ChangedLines | None = None        # the lines the last publish was marked with
    inflight: asyncio.Event | None = None    # set when the running computation ends
    again: bool = False                      # asked again (forced) while a computation was running
    blocked: bool = False                    # failed: retried on save or a config change, not per edit


class Reviewed(Protocol):
    """The document state the tracker reads (``guardline.lsp.docstate.DocState``)."""

    review: ReviewState
    closed: bool

    @property
    def latest(self) -> object | None: ...   # read-only here: the session's own analysis type

    @property
    def uri(self) -> str: ...

    @property
    def doc(self) -> "_ReviewedDocument": ...


class _ReviewedDocument(Protocol):
    path: str
    text: str
    version: int
    language: str | None
    frozen: bool


S = TypeVar("S", bound=Reviewed)   # the host's document state type (the session's DocState)


class ReviewHost(Protocol[S]):
    """What the tracker needs from the server: where to run git, the open documents, and how to
    republish and tell the user."""

    @property
    def background_pool(self) -> Executor: ...

    @property
    def loop(self) -> asyncio.AbstractEventLoop: ...

    def open_state(self, uri: str) -> S | None: ...

    def open_states(self) -> list[S]: ...

    def republish(self, state: S) -> None: ...

    def review_message(self, message: str) -> None: ...


class ReviewTracker(Generic[S]):
    """Computes each open document's changed lines in the background, at most one computation per
    document at a time (a newer version is picked up when it ends); a HEAD or base move (the
    merge-base changed) recomputes the other documents."""

    def __init__(self, host: ReviewHost[S], root: str) -> None:
        self.host = host
        self.service = ReviewService(root, "")
        self._errors_shown: set[str] = set()

    @property
    def enabled(self) -> bool:
        return self.service.enabled

    def reset(self, root: str, base: str) -> None:
        """A new root or base: forget every document's lines and failures."""
        if (base, root) == (self.service.base, self.service.root):
            return
        self.service = ReviewService(root, base)
        for state in self.host.open_states():
            state.review.lines, state.review.blocked = None, False
        self._errors_shown.clear()

    def marking(self, state: S) -> ChangedLines | None:
        """The changed lines ``state``'s findings are marked with (None: not marked)."""
        return state.review.lines if self.enabled else None

    def request(self, state: S, *, force: bool = False) -> None:
        """Compute the changed lines of the document's current text in the background."""
        doc, review = state.doc, state.review
        if not self.enabled or doc.language is None or doc.frozen or state.closed:
            return
        if review.inflight is not None:
            review.again = review.again or force
            return
        known = review.lines
        if not force and (review.blocked or (known is not None and known.version == doc.version)):
            return
        review.inflight = asyncio.Event()
        service = self.service
        future = self.host.loop.run_in_executor(self.host.background_pool, service.changed_lines, doc.path,
                                                doc.text, doc.version)
        future.add_done_callback(lambda fut: self._arrived(state, service, fut))

    async def first_lines(self, state: S, wait_s: float) -> None:
        """Wait (at most ``wait_s``) for a document's first changed lines, before its first publish."""
        pending = state.review.inflight
        if pending is None or state.review.lines is not None or state.latest is not None:
            return
        try:
            await asyncio.wait_for(pending.wait(), wait_s)
        except asyncio.TimeoutError:
            pass   # git is slow: publish unmarked now, marked when the lines arrive

    def _arrived(self, state: S, service: ReviewService, future: "asyncio.Future[ChangedLines]") -> None:
        review = state.review
        if review.inflight is not None:
            review.inflight.set()
            review.inflight = None
        again, review.again = review.again, False
        if future.cancelled() or service is not self.service or state.closed:
            current = self.host.open_state(state.uri)
            if current is not None and not future.cancelled():   # reopened, or the base changed, meanwhile
                self.request(current)
            return
        exc = future.exception()
        if exc is not None:
            review.blocked = True
            self._failed(exc)
            if again:
                self.request(state, force=True)
            return
        review.blocked = False
        self._use(state, future.result(), again)

    def _use(self, state: S, lines: ChangedLines, again: bool) -> None:
        """Republish when the marking changed; recompute when the buffer or the merge-base moved on."""
        merge_base_moved = any(other.review.lines is not None and other.review.lines.merge_base != lines.merge_base
                               for other in self.host.open_states())
        state.review.lines = lines
        if state.latest is not None and not same_marking(state.review.shown, lines):
            self.host.republish(state)
        if again or lines.version != state.doc.version:
            self.request(state, force=again)
        if merge_base_moved:   # HEAD or the base moved (commit, checkout, fetch): the others are stale
            for other in self.host.open_states():
                if other is not state:
                    self.request(other, force=True)

    def _failed(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, ReviewUnavailable) else f"review mode failed: {exc}"
        if message not in self._errors_shown:
            self._errors_shown.add(message)
            self.host.review_message(f"guardline: {message}; showing every finding at its own severity")


def same_marking(shown: ChangedLines | None, lines: ChangedLines) -> bool:
    return shown is not None and (shown.lines, shown.whole) == (lines.lines, lines.whole)
