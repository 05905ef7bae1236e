"""The seams between the server and the analysis core: per-document analysis (per keystroke),
origin resolution (git: background only) and the workspace clone index (background only).

Optional subsystems (origin, duplication, report) are imported lazily; when a module is missing the
feature is simply absent and the rest works. Nothing here touches pygls.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading
from typing import Any, Callable

from guardline.config import Config
from guardline.model import FileResult
from guardline.parsing import ParsedDocument

log = logging.getLogger("guardline.lsp")


def optional_module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        log.exception("importing %s failed", name)
        return None
    except Exception:   # a half-written module must not take the server down
        log.exception("importing %s failed", name)
        return None


def _accepted_kwargs(func: Callable[..., Any], candidates: dict[str, Any]) -> dict[str, Any]:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return {}
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return candidates
    return {k: v for k, v in candidates.items() if k in params}


_clone_lock = threading.Lock()   # the clone index is shared by the analysis threads


def clone_findings(doc: ParsedDocument, path: str, config: Config, root: str, clone_index: Any) -> list[Any]:
    """Duplication findings of an open buffer against the in-memory workspace index (as a shadow)."""
    duplication = optional_module("guardline.duplication")
    if clone_index is None or duplication is None or not hasattr(duplication, "analyze_document"):
        return []
    try:
        with _clone_lock:
            return list(duplication.analyze_document(clone_index, doc, path, config, root, shadow=True))
    except Exception:   # duplication must never cost the other diagnostics
        log.exception("duplication analysis of %s failed", path)
        return []


def forget_shadow(path: str, clone_index: Any) -> None:
    if clone_index is not None and hasattr(clone_index, "clear_shadow"):
        with _clone_lock:
            clone_index.clear_shadow(path)


def analyze(doc: ParsedDocument, path: str, config: Config, *, origin: Any = None,
            clone_index: Any = None, root: str = "", clones: list[Any] | None = None) -> FileResult:
    """Run every per-document analysis on one parse (the core pipeline when available).

    ``clones``: duplication findings already at hand (see guardline.lsp.clones); else queried."""
    pipeline = optional_module("guardline.pipeline")
    if pipeline is None:
        return FileResult(path=path, language=doc.language, lines=doc.line_count,
                          notes=["analysis pipeline not available"])
    extra = clones if clones is not None else clone_findings(doc, path, config, root, clone_index)
    kwargs = _accepted_kwargs(pipeline.analyze_document,
                              {"file_origin": origin, "origin": origin, "extra_findings": extra})
    return pipeline.analyze_document(doc, path, config, **kwargs)


class OriginService:
    """Resolves a file's origin (git blame, markers) off the message loop; caches the resolver."""

    def __init__(self) -> None:
        self._resolver: Any = None
        self._key: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def available() -> bool:
        return optional_module("guardline.origin") is not None

    def resolve(self, root: str, config: Config, path: str, text: str | None) -> Any | None:
        module = optional_module("guardline.origin")
        if module is None or not config.get("origin.enabled", True):
            return None
        with self._lock:
            key = (root, id(config))
            if self._resolver is None or self._key != key:
                self._resolver = module.OriginResolver(root, config)
                self._key = key
            resolver = self._resolver
        kwargs = _accepted_kwargs(resolver.resolve, {"text": text})
        return resolver.resolve(path, **kwargs)

    @staticmethod
    def ai_ranges(file_origin: Any) -> list[Any]:
        module = optional_module("guardline.origin")
        if module is None or file_origin is None or not hasattr(module, "ai_ranges"):
            return []
        return list(module.ai_ranges(file_origin))


def report_module() -> Any | None:
    module = optional_module("guardline.report")
    return module if module is not None and hasattr(module, "write_html") else None
