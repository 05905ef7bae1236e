"""Security hotspots: tree-sitter rules as data (Tier A), taint within a function (Tier B), secrets (Tier C).

Public API: ``scan_document(doc, config)`` and ``scan_secrets(text, path)``; ``catalog.RULES`` for docs/SARIF.
"""

from typing import Any

from guardline.model import Finding
from guardline.parsing import ParsedDocument
from guardline.security.engine import scan_document
from guardline.security.secrets import scan_secrets


def scan(doc: ParsedDocument, config: Any = None) -> list[Finding]:   # alias named in docs/architecture.md
    """Alias of ``scan_document`` (architecture diagram name)."""
    return scan_document(doc, config)


__all__ = ["scan", "scan_document", "scan_secrets"]
