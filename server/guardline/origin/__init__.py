"""Origin attribution: who wrote each line (AI agent, person, bot, generator), from git and markers.

Pure attribution (`attribution`, `commits`, `gitai`, `agenttrace`, `comments`, `patterns`) is kept
apart from the git layer (`gitlayer`) and the caching resolver (`resolver`). See docs/origin.md.
"""

from guardline.origin.attribution import Facts, Settings, attribute, is_generated, split_lines
from guardline.origin.functions import (ai_ranges, apply_to_functions, describe_function_origin, evidence_levels,
                                        explain_line)
from guardline.origin.patterns import tool_display
from guardline.origin.records import ZERO_SHA, BlameLine, CommitInfo, FileOrigin, LineOrigin
from guardline.origin.resolver import OriginResolver
from guardline.origin import runchecks  # noqa: F401 - registers the origin run notes (notes.gather)

__all__ = [
    "BlameLine", "CommitInfo", "Facts", "FileOrigin", "LineOrigin", "OriginResolver", "Settings", "ZERO_SHA",
    "ai_ranges", "apply_to_functions", "attribute", "describe_function_origin", "evidence_levels",
    "explain_line", "is_generated", "split_lines", "tool_display",
]
