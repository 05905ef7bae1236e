"""Configuration as the server sees it: the workspace config file overridden key by key by editor
settings (initializationOptions, then workspace/configuration section ``guardline``).

A broken config never stops the server: the error is reported (diagnostic on the file, a message)
and defaults are used, still with valid editor overrides when possible.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from typing import Any, Callable

from guardline.config import CONFIG_FILES, Config, ConfigError, load_config
from guardline.config import key_line as config_key_line

# Keys an editor client keeps in the same settings section for itself (server path, tracing):
# they are not guardline config keys and are dropped before validation.
CLIENT_ONLY_KEYS = ("server", "trace", "enable", "codeLens", "originShading")


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def clean_overrides(raw: Any) -> dict[str, Any]:
    """Editor settings minus client-only keys and unset (null) values."""
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in CLIENT_ONLY_KEYS or value is None:
            continue
        out[key] = clean_overrides(value) if isinstance(value, dict) else value
    return out


@dataclass
class LoadedConfig:
    config: Config
    errors: list[ConfigError] = field(default_factory=list)

    @property
    def source(self) -> str | None:
        return self.config.source


def is_config_file(path: str) -> bool:
    return os.path.basename(path) in CONFIG_FILES


class Settings:
    """Holds the editor overrides and (re)loads the effective config on demand."""

    def __init__(self, root: str):
        self.root = root
        self.init_options: dict[str, Any] = {}
        self.client_settings: dict[str, Any] = {}

    def overrides(self) -> dict[str, Any]:
        return deep_merge(clean_overrides(self.init_options), clean_overrides(self.client_settings))

    def load(self) -> LoadedConfig:
        overrides = self.overrides()
        try:
            return LoadedConfig(load_config(self.root, overrides))
        except ConfigError as first:
            errors = [first]
        # Fall back: drop the failing layer, keep what is valid.
        fallbacks: tuple[Callable[[], Config], ...] = (lambda: load_config(self.root, None),
                                                       lambda: Config().with_overrides(overrides))
        for attempt in fallbacks:
            try:
                return LoadedConfig(attempt(), errors)
            except ConfigError as exc:
                if str(exc) not in {str(e) for e in errors}:
                    errors.append(exc)
        return LoadedConfig(Config(), errors)


def key_line(path: str, key: str | None) -> int:
    """0-based line in the config file where the failing key appears (0 when not found)."""
    if not key:
        return 0
    found = config_key_line(path, key)
    return found - 1 if found else 0
