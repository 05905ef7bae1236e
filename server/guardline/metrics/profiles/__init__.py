"""Cyclomatic profiles: what counts as a decision point, asked by the metrics walker.

``guardline`` counts the language's own decision nodes (``LanguageSpec.cc_nodes``, cases, boolean
operators). The compatibility profiles reproduce another tool's numbers and keep everything about
that tool here, out of the language tables:

- ``radon`` (``profiles/radon.py``): radon 6's ``cc`` visitor over Python's AST;
- ``lizard`` (``profiles/lizard/<language>.py``): lizard 1.24's token readers, one module per
  language table module (TSX shares TypeScript's).

The walker never branches on a profile's name: it reads a ``Profile``'s fields. Each field is
empty (or None) when the profile does not use it, so the guardline profile's keystroke path pays
nothing for the others.
"""

from __future__ import annotations

from guardline.languages.base import LanguageSpec
from guardline.metrics.profiles import lizard, radon
from guardline.metrics.profiles.base import (PROFILE_NAMES, LizardRules, Profile, RadonRules, guardline_profile,
                                             lizard_profile, radon_profile)

__all__ = ["PROFILE_NAMES", "LizardRules", "Profile", "RadonRules", "profile_for"]


def profile_for(name: str, spec: LanguageSpec) -> Profile:
    """The cyclomatic profile ``name`` (guardline, radon, lizard) for the language of ``spec``."""
    if name == "guardline":
        return guardline_profile(spec)
    if name == "radon":
        return radon_profile(spec, radon.RULES.get(spec.name))
    if name == "lizard":
        return lizard_profile(lizard.rules_for(spec.name))
    raise ValueError(f"unknown cyclomatic profile {name!r} (expected one of {', '.join(PROFILE_NAMES)})")
