"""The import graph of server/guardline has no cycle (issue 14), checked by tools/check_imports.py.

KNOWN_CYCLES is the allow-list of the cycles that exist today: whoever breaks a cycle deletes its
line (the test fails on a stale line, so the list can only shrink), and a new cycle fails the test.
The goal, and the final state of issue 14, is an empty list.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "server" / "guardline"

# each cycle as tools/check_imports.py prints it (rotated to start at its smallest module)
KNOWN_CYCLES: set[str] = set()   # empty: a new cycle fails the test (break it, never list it)


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_imports", REPO / "tools" / "check_imports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_imports", module)
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


def _cycles(package_dir: Path, runtime_only: bool = False) -> set[str]:
    graph = checker.build_graph(package_dir, runtime_only)
    return {checker.format_cycle(cycle) for cycle in checker.find_cycles(graph)}


def test_guardline_has_no_import_cycle_beyond_the_known_ones() -> None:
    found = _cycles(PACKAGE)
    new = sorted(found - KNOWN_CYCLES)
    assert not new, "new import cycle(s) in server/guardline (break them; do not allow-list them):\n" + "\n".join(new)
    broken = sorted(KNOWN_CYCLES - found)
    assert not broken, "cycle(s) no longer exist: delete them from KNOWN_CYCLES:\n" + "\n".join(broken)


def _package(root: Path, files: dict[str, str]) -> Path:
    """A tiny synthetic package ``pkg`` under ``root`` with the given modules (path -> source)."""
    package = root / "pkg"
    for rel, source in {"__init__.py": "", **files}.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return package


def test_checker_finds_a_cycle_through_a_function_level_relative_import(tmp_path: Path) -> None:
    # a imports b at module level, b imports a inside a function via `from . import a`: one cycle
    package = _package(tmp_path, {
        "a.py": "from pkg import b\n",
        "b.py": "def late():\n    from . import a\n    return a\n",
        "c.py": "import pkg.a\n",   # c -> a but nothing back: no cycle through c
    })
    assert _cycles(package) == {"pkg.a -> pkg.b -> pkg.a"}


def test_checker_resolves_parent_relative_imports_and_attribute_imports(tmp_path: Path) -> None:
    # sub/x: `from ..y import f` is pkg.y (a name in a module, not a module); pkg.y: `import pkg.sub.x`
    package = _package(tmp_path, {
        "sub/__init__.py": "",
        "sub/x.py": "from ..y import f\n",
        "y.py": "import pkg.sub.x\n\ndef f():\n    pass\n",
    })
    graph = checker.build_graph(package)
    assert graph["pkg.sub.x"] == {"pkg.y"}, "`from ..y import f` in pkg.sub.x imports pkg.y"
    assert graph["pkg.y"] == {"pkg.sub.x"}, "`import pkg.sub.x` imports the most specific module"
    assert _cycles(package) == {"pkg.sub.x -> pkg.y -> pkg.sub.x"}


def test_checker_counts_lazy_import_shims_and_type_checking_imports(tmp_path: Path) -> None:
    package = _package(tmp_path, {
        "a.py": "import importlib\n\ndef load():\n    return importlib.import_module('pkg.b')\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import load\n",
        "c.py": "from pkg import d\n",
        "d.py": "from pkg import c\n",
    })
    # a -> b only through import_module('pkg.b'); b -> a only under TYPE_CHECKING
    assert _cycles(package) == {"pkg.a -> pkg.b -> pkg.a", "pkg.c -> pkg.d -> pkg.c"}
    assert _cycles(package, runtime_only=True) == {"pkg.c -> pkg.d -> pkg.c"}, \
        "--runtime-only leaves out the TYPE_CHECKING import, so only c <-> d remains"


def test_checker_lists_every_elementary_cycle_of_a_tangle(tmp_path: Path) -> None:
    # a -> b -> c -> a and a -> c -> a: two cycles in one strongly connected component
    package = _package(tmp_path, {
        "a.py": "from pkg import b, c\n",
        "b.py": "from pkg import c\n",
        "c.py": "from pkg import a\n",
    })
    assert _cycles(package) == {"pkg.a -> pkg.b -> pkg.c -> pkg.a", "pkg.a -> pkg.c -> pkg.a"}


def test_checker_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = _package(tmp_path / "clean", {"a.py": "import os\n", "b.py": "from pkg import a\n"})
    assert checker.main([str(clean)]) == 0, "no cycle: exit 0"
    tangled = _package(tmp_path / "tangled", {"a.py": "from pkg import b\n", "b.py": "from pkg import a\n"})
    assert checker.main([str(tangled)]) == 1, "a cycle: exit 1"
    assert "pkg.a -> pkg.b -> pkg.a" in capsys.readouterr().out
    assert checker.main([str(tmp_path / "missing")]) == 2, "not a package: usage error"
