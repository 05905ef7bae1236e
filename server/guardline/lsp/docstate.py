"""Everything the server keeps about one open document, in one object: closing the document drops it,
so no per-document state outlives the document (it used to be spread over a dozen dicts keyed by URI,
and closing forgot some of them)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from guardline.lsp.documents import Document
from guardline.lsp.features import Analysed, DiagnosticsCache
from guardline.lsp.review import ReviewState


@dataclass(eq=False)
class DocState:
    """One open document and what the server derived from it.

    ``closed`` is set when the editor closes it: background results that arrive later (origin, review
    lines, an analysis) see it and are dropped, even when the same URI was opened again meanwhile
    (that is a new DocState)."""

    doc: Document
    latest: Analysed | None = None                 # the last published analysis
    task: asyncio.Task[None] | None = None         # the pending or running analysis
    stale_inputs: bool = False     # the pending analysis read inputs (origin, index, config) that changed since
    origin: Any = None                             # FileOrigin from the background git
    origin_requested: bool = False                 # asked once (after the first publish), then on events
    lens_key: tuple[Any, ...] | None = None        # what the code lenses last showed
    diagnostics: DiagnosticsCache | None = None    # the last publish's diagnostics, as JSON
    shown: tuple[Analysed, Any, Analysed] | None = None   # (analysis, review lines, as shown) last marked
    skipped_notified: bool = False                 # "skipped: too large" was said once
    review: ReviewState = field(default_factory=ReviewState)
    closed: bool = False

    @property
    def uri(self) -> str:
        return self.doc.uri

    def awaits_first_publish(self) -> bool:
        return self.latest is None and self.doc.language is not None and not self.closed

    def pending(self) -> bool:
        """An analysis is waiting out its debounce or running."""
        return self.task is not None and not self.task.done()
