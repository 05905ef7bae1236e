"""lizard 1.24's Python reader: condition tokens only (lizard reads `elif`, `except` and `finally`
as conditions, and the words `and` / `or`)."""

from __future__ import annotations

from guardline.metrics.profiles.base import LizardRules

RULES = LizardRules(tokens=frozenset({"if", "elif", "for", "while", "except", "finally", "and", "or"}))
