"""Configuration: defaults, loading from the workspace, validation.

Sources, first found wins: ``[tool.guardline]`` in pyproject.toml, ``guardline.toml``,
``.guardline.toml`` at the workspace root. Editor settings override file values key by key.
Unknown keys, wrong types and impossible values raise ConfigError naming the key and the file.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

CONFIG_FILES = ("pyproject.toml", "guardline.toml", ".guardline.toml")


class ConfigError(Exception):
    """A config problem, said as ``FILE:LINE: problem`` (line when known)."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None,
                 line: int | None = None):
        self.path = path
        self.key = key
        self.line = line
        self.problem = message
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")


# Schema: key -> (type, default, validator-or-None, description). Sections are nested dicts.
# A limit of None disables that severity. "maintainability" limits are lower bounds (fires below).
def _limits(**kw: int | float | None) -> dict[str, Any]:
    return {sev: kw.get(sev) for sev in ("info", "warning", "error")}


DEFAULT_THRESHOLDS: dict[str, dict[str, dict[str, Any]]] = {
    "human": {
        "cyclomatic": _limits(info=10, warning=15),
        "cognitive": _limits(warning=15, error=25),
        "maintainability": _limits(info=20, warning=10),
    },
    "ai": {
        "cyclomatic": _limits(warning=10, error=20),
        "cognitive": _limits(warning=10, error=15),
        "maintainability": _limits(warning=20, error=10),
    },
}

DEFAULTS: dict[str, Any] = {
    "include": [],                       # globs; empty = every supported file
    "exclude": [],                       # globs, in addition to .gitignore
    "max_file_bytes": 2_000_000,
    "cyclomatic_profile": "guardline",   # guardline | radon | lizard
    "maintainability_profile": "guardline",  # guardline | radon (Python; other languages: guardline)
    "ai_share": 0.5,
    "debounce_ms": 200,
    "exclude_generated": True,
    "thresholds": copy.deepcopy(DEFAULT_THRESHOLDS),
    "duplication": {
        "enabled": True,
        "min_tokens": 50,
        "min_lines": 5,
        "renamed_min_tokens": 100,
        "renamed_min_lines": 10,
        "near_miss": False,
        "file_percent_warning": 5.0,
        "max_file_bytes": 1_000_000,
        "max_related": 20,
    },
    "security": {
        "enabled": True,
        "secrets": True,
        "disabled_rules": [],
        "enabled_rules": [],             # opt-in rules that are off by default (e.g. assert)
    },
    "origin": {
        "enabled": True,
        "sources": ["generated", "markers", "git-ai", "agent-trace", "author", "message",
                    "file-header", "paths"],
        "ai_paths": [],
        "generated_paths": [],
        "extra_ai_emails": [],
        "extra_ai_trailers": [],
        "extra_bot_emails": [],
    },
    "gate": {
        "fail_on": ["error"],            # severities that fail the gate, human code
        "fail_on_ai": ["error"],         # severities that fail the gate, AI code
        "categories": ["complexity", "maintainability", "duplication", "security"],
    },
    "review": {"base": ""},
    "editor": {
        "inlay_hints": "over-limit",     # cognitive score at each function: off | over-limit | always
        "inlay_increments": False,       # also a "+N" hint at the end of each line that adds cognitive points
        "diagnostics": "push",           # push (publishDiagnostics) | pull (LSP 3.17 textDocument/diagnostic)
    },
    "docs_url": "",                      # rule help links: this URL + "#<rule-id>"; empty = the packaged page
    "disabled_rules": [],                # any rule id (complexity, duplication, security): off everywhere
    "overrides": [],                     # [[overrides]]: per-path thresholds and rule switches
    "report": {"sample": "weekly", "max_samples": 52, "fix_pattern": "", "sprint_days": 14},
}

PROFILES = {"cyclomatic_profile": ("guardline", "radon", "lizard"),
            "maintainability_profile": ("guardline", "radon"),
            "editor.inlay_hints": ("off", "over-limit", "always"),
            "editor.diagnostics": ("push", "pull")}
SEVERITY_NAMES = ("error", "warning", "info", "hint")


OVERRIDE_KEYS = ("paths", "thresholds", "disabled_rules")


@dataclass
class Config:
    values: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    source: str | None = None            # the config file used, if any
    root: str | None = None              # the folder override globs are relative to
    _per_path: dict[tuple[int, ...], "Config"] = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.values
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def limits(self, origin_bucket: str, metric: str) -> dict[str, Any]:
        limits: dict[str, Any] = self.values["thresholds"][origin_bucket][metric]
        return limits

    def with_overrides(self, overrides: dict[str, Any] | None, *, label: str = "editor settings") -> "Config":
        """A copy with ``overrides`` (e.g. editor settings) merged key by key, validated."""
        if not overrides:
            return self
        merged = copy.deepcopy(self.values)
        _merge(merged, overrides, DEFAULTS, label, prefix="")
        return Config(values=merged, source=self.source, root=self.root)

    def matching_overrides(self, path: str) -> list[int]:
        """Indexes of the ``[[overrides]]`` whose globs match ``path`` (workspace-relative or, with a
        known root, absolute)."""
        rules = self.values.get("overrides") or []
        if not rules:
            return []
        rel = path
        if os.path.isabs(path) and self.root:
            rel = os.path.relpath(path, self.root)
        rel = rel.replace(os.sep, "/")
        return [i for i, rule in enumerate(rules) if _spec(tuple(rule["paths"])).match_file(rel)]

    def for_path(self, path: str) -> "Config":
        """This config with every matching override applied in order (later ones win); ``self`` when
        none matches. Thresholds merge key by key; ``disabled_rules`` add up."""
        matched = tuple(self.matching_overrides(path))
        if not matched:
            return self
        cached = self._per_path.get(matched)
        if cached is None:
            values = copy.deepcopy(self.values)
            values["overrides"] = []
            for index in matched:
                rule = self.values["overrides"][index]
                for origin, metrics in rule.get("thresholds", {}).items():
                    for metric, limits in metrics.items():
                        values["thresholds"][origin][metric].update(limits)
                values["disabled_rules"] = sorted(set(values["disabled_rules"]) | set(rule.get("disabled_rules", [])))
            cached = self._per_path[matched] = Config(values=values, source=self.source, root=self.root)
        return cached

    def describe_overrides(self, path: str) -> list[str]:
        """`check -v`: which overrides apply to ``path`` and what each changes."""
        out = []
        for index in self.matching_overrides(path):
            rule = self.values["overrides"][index]
            changes = [f"{origin}.{metric}.{sev}={limit if limit is not None else 'off'}"
                       for origin, metrics in rule.get("thresholds", {}).items()
                       for metric, limits in metrics.items() for sev, limit in limits.items()]
            if rule.get("disabled_rules"):
                changes.append("disabled " + ", ".join(rule["disabled_rules"]))
            out.append(f"override #{index + 1} ({', '.join(rule['paths'])}): {'; '.join(changes) or 'no changes'}")
        return out


@functools.lru_cache(maxsize=256)
def _spec(globs: tuple[str, ...]) -> Any:
    import pathspec
    return pathspec.PathSpec.from_lines("gitwildmatch", globs)


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "list",
            dict: "table"}.get(type(value), type(value).__name__)


def _fail(key: str, label: str, message: str) -> ConfigError:
    return ConfigError(message, path=label, key=key)


def _check_bool(key: str, value: Any, label: str) -> Any:
    if not isinstance(value, bool):
        raise _fail(key, label, f"'{key}' must be a boolean, got {_type_name(value)}")
    return value


def _check_number(key: str, value: Any, default: Any, label: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(key, label, f"'{key}' must be a number, got {_type_name(value)}")
    if isinstance(default, int) and not isinstance(value, int):
        raise _fail(key, label, f"'{key}' must be a whole number, got {value!r}")
    if value < 0:
        raise _fail(key, label, f"'{key}' must not be negative, got {value!r}")
    if key.endswith("ai_share") and value > 1:
        raise _fail(key, label, f"'{key}' must be between 0 and 1, got {value!r}")
    return value


def _check_string(key: str, value: Any, label: str) -> Any:
    if not isinstance(value, str):
        raise _fail(key, label, f"'{key}' must be a string, got {_type_name(value)}")
    allowed = PROFILES.get(key)
    if allowed and value not in allowed:
        raise _fail(key, label, f"'{key}' must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _check_globs(key: str, patterns: list[str], label: str) -> None:
    from guardline.globs import usable

    _good, bad = usable(patterns)
    if bad:
        pattern, problem = bad[0]
        raise _fail(key, label, f"'{key}' pattern {pattern!r}: {problem}")


def _check_list(key: str, value: Any, label: str) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(key, label, f"'{key}' must be a list of strings")
    bad = [v for v in value if v not in SEVERITY_NAMES] if key.startswith("gate.fail_on") else []
    if bad:
        raise _fail(key, label, f"'{key}' has unknown severities {bad}; use {SEVERITY_NAMES}")
    if key in ("exclude", "include"):
        _check_globs(key, value, label)
    if key.endswith("disabled_rules") and not key.startswith("security."):
        _check_rule_ids(key, value, label)
    return list(value)


def _check_rule_ids(key: str, value: list[str], label: str) -> None:
    """A misspelt rule id would switch nothing off, silently: name it."""
    from guardline.rules import all_rules
    known = {rule.id for rule in all_rules()}
    unknown = [v for v in value if v not in known]
    if unknown:
        raise _fail(key, label, f"'{key}' names unknown rule ids {unknown} (see docs/rules.md)")


def _check_value(key: str, value: Any, default: Any, label: str) -> Any:
    """Validate ``value`` against the type of its default (bool before int: bool is an int)."""
    if isinstance(default, bool):
        return _check_bool(key, value, label)
    if isinstance(default, (int, float)):
        return _check_number(key, value, default, label)
    if isinstance(default, str):
        return _check_string(key, value, label)
    if isinstance(default, list):
        return _check_list(key, value, label)
    return value


def _merge(target: dict[str, Any], incoming: dict[str, Any], schema: dict[str, Any], label: str,
           prefix: str) -> None:
    for key, value in incoming.items():
        full = f"{prefix}{key}"
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise ConfigError(f"unknown key '{full}' (known keys here: {known})", path=label, key=full)
        default = schema[key]
        if full == "overrides":
            target[key] = _check_overrides(value, label)
        elif isinstance(default, dict) and full.startswith("thresholds.") and full.count(".") == 2:
            _merge_limits(target[key], value, full, label)
        elif isinstance(default, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"'{full}' must be a table, got {_type_name(value)}", path=label, key=full)
            _merge(target[key], value, default, label, prefix=f"{full}.")
        else:
            target[key] = _check_value(full, value, default, label)


def _check_overrides(value: Any, label: str) -> list[dict[str, Any]]:
    """``[[overrides]]``: each a table with ``paths`` (globs) and what changes for those files."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError("'overrides' must be an array of tables ([[tool.guardline.overrides]])",
                          path=label, key="overrides")
    out = []
    for number, item in enumerate(value, 1):
        key = f"overrides[{number}]"
        unknown = sorted(set(item) - set(OVERRIDE_KEYS))
        if unknown:
            raise ConfigError(f"unknown key '{key}.{unknown[0]}' (known keys here: {', '.join(OVERRIDE_KEYS)})",
                              path=label, key=f"{key}.{unknown[0]}")
        paths = item.get("paths")
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) and p for p in paths):
            raise ConfigError(f"'{key}.paths' must be a non-empty list of glob strings", path=label,
                              key=f"{key}.paths")
        _check_globs(f"{key}.paths", paths, label)
        thresholds = item.get("thresholds", {})
        limits: dict[str, Any] = {}
        if thresholds:
            probe = copy.deepcopy(DEFAULT_THRESHOLDS)
            _merge(probe, thresholds, DEFAULT_THRESHOLDS, label, prefix="thresholds.")
            # keep only the severities this override sets (validated against the full schema above)
            limits = {o: {m: {s: probe[o][m][s] for s in sevs} for m, sevs in metrics.items()}
                      for o, metrics in thresholds.items()}
        out.append({"paths": list(paths), "thresholds": limits,
                    "disabled_rules": _check_list(f"{key}.disabled_rules", item.get("disabled_rules", []), label)})
    return out


def _merge_limits(target: dict[str, Any], value: Any, full: str, label: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"'{full}' must be a table of severity = limit", path=label, key=full)
    for sev, limit in value.items():
        if sev not in ("info", "warning", "error"):
            raise ConfigError(f"unknown severity '{full}.{sev}' (use info, warning, error)", path=label,
                              key=f"{full}.{sev}")
        if limit is False:
            limit = None
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 0):
            raise ConfigError(f"'{full}.{sev}' must be a non-negative number or false", path=label,
                              key=f"{full}.{sev}")
        target[sev] = limit


def find_config_file(root: str) -> str | None:
    """The first config file present at ``root`` (pyproject.toml only counts with [tool.guardline])."""
    for name in CONFIG_FILES:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        if name == "pyproject.toml":
            # an unreadable or invalid pyproject.toml is an error, not "no config": it may hold ours
            if "guardline" not in _load_toml(path).get("tool", {}):
                continue
        return path
    return None


def load_config(root: str, overrides: dict[str, Any] | None = None) -> Config:
    """Load and validate the workspace config at ``root``; raises ConfigError."""
    path = find_config_file(root)
    config = Config(root=root)
    if path:
        config = Config(values=copy.deepcopy(DEFAULTS), source=path, root=root)
        table = _read_table(path)
        try:
            _merge(config.values, table, DEFAULTS, path, prefix="")
        except ConfigError as exc:
            if exc.line is None and exc.key:
                raise ConfigError(exc.problem, path=path, key=exc.key, line=key_line(path, exc.key)) from exc
            raise
    config = config.with_overrides(overrides)
    from guardline.rules import set_docs_url
    set_docs_url(config.get("docs_url"))
    return config


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def _load_toml(path: str) -> dict[str, Any]:
    from guardline.files import read_regular

    try:
        return tomllib.loads(read_regular(path).decode("utf-8"))
    except RecursionError as exc:
        raise ConfigError("invalid TOML: nested too deeply", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = getattr(exc, "lineno", None)
        found = _TOML_POSITION.search(message)
        if found:
            line = line or int(found.group(1))
            message = message[:found.start()]
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"invalid TOML: not UTF-8 text ({exc.reason})", path=path) from exc


def key_line(path: str, key: str) -> int | None:
    """The line of ``path`` where ``key`` (dotted, e.g. ``thresholds.ai.cognitive.warning`` or
    ``overrides[2].paths``) is written, best effort: the last part as a key or table header inside
    guardline's tables. None when not found (e.g. written as an inline table)."""
    last = re.sub(r"\[\d+\]$", "", key.split(".")[-1])
    pattern = re.compile(rf"""^\s*(\[\[?\s*[^\]]*\b{re.escape(last)}\s*\]\]?|["']?{re.escape(last)}["']?\s*=)""")
    in_ours = os.path.basename(path) != "pyproject.toml"
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().split("\n")
    except OSError:
        return None
    for number, text in enumerate(lines, 1):
        header = text.strip().startswith("[")
        if header and os.path.basename(path) == "pyproject.toml":
            in_ours = text.strip().lstrip("[").startswith("tool.guardline")
        if in_ours and pattern.match(text):
            return number
    return None


def _read_table(path: str) -> dict[str, Any]:
    data = _load_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        data = data.get("tool", {}).get("guardline", {})
    if not isinstance(data, dict):
        raise ConfigError("[tool.guardline] must be a table", path=path)
    return data


def find_workspace_root(start: str) -> str:
    """Nearest ancestor holding a config file or .git; else ``start`` itself."""
    current = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    probe = current
    while True:
        if find_config_file(probe) or os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return current
        probe = parent
