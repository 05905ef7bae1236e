#!/usr/bin/env python3
"""Import-cycle check for a Python package (guardline's: ``server/guardline``).

Builds the package's import graph from the source text (``ast``; nothing is imported or run) and
prints every import cycle, one a line: ``a -> b -> c -> a``. Exit code 0: no cycle, 1: cycles found,
2: usage error.

What counts as an import of module A by module B (edges stay inside the package):
- ``import x.y`` and ``from x import y`` anywhere in B: at module level and inside functions (a
  function-level import only postpones the cycle, it does not break it); relative imports resolved;
  ``from pkg import name`` points at ``pkg.name`` when that is a module, else at ``pkg``;
- a call of ``importlib.import_module`` / guardline's ``optional_module`` / ``_optional`` with a string
  literal (the lazy-import shims would otherwise hide an edge);
- imports under ``if TYPE_CHECKING:`` too: never executed, but still a dependency in the design (the
  two modules cannot be understood or typed apart); ``--runtime-only`` leaves them out.

Usage: python tools/check_imports.py [--runtime-only] [PACKAGE_DIR]   (default: server/guardline)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

# callables whose string-literal first argument names a module they import at run time
DYNAMIC_IMPORTERS = frozenset({"import_module", "optional_module", "_optional"})
# Johnson's enumeration stops after this many cycles: a tangled graph must not hang the lint
MAX_CYCLES = 500

Graph = dict[str, set[str]]


def module_files(package_dir: Path) -> dict[str, Path]:
    """Dotted module name -> source file, for every ``.py`` under ``package_dir`` (a package)."""
    package_dir = package_dir.resolve()
    base = package_dir.parent
    modules: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking_guard(node: ast.If) -> bool:
    test = node.test
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_nodes(tree: ast.Module, runtime_only: bool) -> list[ast.AST]:
    """Every node of ``tree`` (explicit stack, no recursion); with ``runtime_only``, not those under
    ``if TYPE_CHECKING:``."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        if runtime_only and isinstance(node, ast.If) and _is_type_checking_guard(node):
            stack.extend(node.orelse)   # the else branch does run
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _resolve_from(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module name of ``from <node.module> import ...`` written in ``module``."""
    if node.level == 0:
        return node.module or ""
    package = _package_of(module, path).split(".")
    keep = len(package) - (node.level - 1)
    base = ".".join(package[:max(keep, 0)])
    if node.module:
        return f"{base}.{node.module}" if base else node.module
    return base


def _longest_known_prefix(name: str, known: set[str]) -> str | None:
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def _dynamic_target(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in DYNAMIC_IMPORTERS or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def _targets(module: str, path: Path, node: ast.AST, known: set[str]) -> list[str]:
    """The package modules that ``node`` imports (empty for a node that is no import)."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        source = _resolve_from(module, path, node)
        names = [f"{source}.{alias.name}" for alias in node.names] or [source]
    elif isinstance(node, ast.Call):
        target = _dynamic_target(node)
        names = [target] if target else []
    resolved = (_longest_known_prefix(name, known) for name in names)
    return [target for target in resolved if target is not None]


def imports_of(module: str, path: Path, known: set[str], runtime_only: bool = False) -> set[str]:
    """The package modules that ``module`` (source at ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    edges: set[str] = set()
    for node in _import_nodes(tree, runtime_only):
        edges.update(_targets(module, path, node, known))
    edges.discard(module)   # `from . import x` inside x's own package __init__ resolves to itself
    return edges


def build_graph(package_dir: Path, runtime_only: bool = False) -> Graph:
    """Module -> the package modules it imports."""
    modules = module_files(package_dir)
    known = set(modules)
    return {module: imports_of(module, path, known, runtime_only) for module, path in modules.items()}


def strongly_connected(graph: Graph) -> list[set[str]]:
    """Tarjan's strongly connected components of size > 1, iteratively (no recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                child = pending.pop()
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return components


def _canonical(path: list[str]) -> tuple[str, ...]:
    """A cycle rotated to start at its smallest module: the same cycle always reads the same."""
    start = path.index(min(path))
    return tuple(path[start:] + path[:start])


def _cycles_in(component: set[str], graph: Graph, limit: int) -> set[tuple[str, ...]]:
    """Elementary cycles inside one component: each through its smallest member, then without it."""
    cycles: set[tuple[str, ...]] = set()
    remaining = sorted(component)
    while remaining and len(cycles) < limit:
        start = remaining[0]
        allowed = set(remaining)
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack and len(cycles) < limit:
            node, path = stack.pop()
            for child in sorted(graph.get(node, ()), reverse=True):
                if child == start:
                    cycles.add(_canonical(path))
                elif child in allowed and child not in path:
                    stack.append((child, path + [child]))
        remaining = remaining[1:]
    return cycles


def find_cycles(graph: Graph, limit: int = MAX_CYCLES) -> list[tuple[str, ...]]:
    """Every elementary import cycle (up to ``limit``), each as its modules in import order, sorted."""
    cycles: set[tuple[str, ...]] = set()
    for component in strongly_connected(graph):
        cycles |= _cycles_in(component, graph, limit - len(cycles))
    return sorted(cycles)


def format_cycle(cycle: tuple[str, ...]) -> str:
    return " -> ".join(cycle + cycle[:1])


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    runtime_only = "--runtime-only" in args
    args = [arg for arg in args if arg != "--runtime-only"]
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: check_imports.py [--runtime-only] [PACKAGE_DIR]", file=sys.stderr)
        return 2
    package_dir = Path(args[0] if args else "server/guardline")
    if not (package_dir / "__init__.py").is_file():
        print(f"check_imports: {package_dir} is not a package (no __init__.py)", file=sys.stderr)
        return 2
    cycles = find_cycles(build_graph(package_dir, runtime_only))
    for cycle in cycles:
        print(format_cycle(cycle))
    print(f"{len(cycles)} import cycle(s) in {package_dir}", file=sys.stderr)
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
