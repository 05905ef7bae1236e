"""constraints.txt pins every dependency `make venv` / `make test` install, and the Makefile uses it."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin (name==version)"
            out[canonical(name)] = version.strip()
    return out


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(group: list[str]) -> list[str]:
    return [canonical(re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0]) for req in group]


def test_every_dependency_make_installs_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = requirement_names(project["dependencies"] + extras["dev"] + extras["org"])
    missing = sorted(set(wanted) - set(pins()))
    assert not missing, f"not pinned in constraints.txt (make venv installs .[dev,org]): {missing}"
    for name in ("mcp", "plotly", "ray"):   # the three the issue names: they were installed unpinned
        assert name in pins(), name


def test_this_venv_has_the_pinned_versions():
    # the suite runs in a `make venv` environment: what is installed is what constraints.txt says
    wrong = {}
    for name, version in pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue   # a platform-specific dependency of a dependency
        if installed != version:
            wrong[name] = (installed, version)
    assert not wrong, f"installed != pinned (refresh constraints.txt or run make venv): {wrong}"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_installs_with_the_constraints():
    # -n: print the commands only; -W constraints.txt: as if it had changed, so the install step shows
    plan = subprocess.run(["make", "-n", "-W", "constraints.txt", "test"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True).stdout
    install = [line for line in plan.splitlines() if "pip install" in line and "-e" in line]
    assert install and "-c constraints.txt" in install[0] and ".[dev,org]" in install[0], plan[:2000]
    assert plan.index(install[0]) < plan.index("pytest"), "installed before the tests run"
