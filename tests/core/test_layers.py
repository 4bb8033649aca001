"""The import direction of docs/architecture.md, beyond what import-linter's layer contract says:
no two apps import each other, even through others or inside functions, and the few imports
left inside functions are counted."""

from __future__ import annotations

import ast
import pathlib

import grimp

SOURCE = pathlib.Path(__file__).parents[2] / "src" / "pandu"
# Where Django wants imports late: AppConfig.ready, migrations, management commands, settings.
LATE_BY_DESIGN = ("apps.py", "settings.py", "cli.py")


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_no_app_imports_an_app_that_imports_it_back():
    graph = grimp.build_graph("pandu")
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if _app(module) != _app(imported):
                edges.setdefault(_app(module), set()).add(_app(imported))
    # A depth-first walk: a grey app met again closes a cycle.
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def walk(app: str, path: list[str]) -> None:
        state[app] = "grey"
        for other in sorted(edges.get(app, ())):
            if state.get(other) == "grey":
                cycles.append([*path[path.index(other) :], other])
            elif other not in state:
                walk(other, [*path, other])
        state[app] = "black"

    for app in sorted(edges):
        if app not in state:
            walk(app, [app])
    assert cycles == []


def _local_pandu_imports(path: pathlib.Path) -> list[int]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            if any(name.startswith("pandu") for name in names):
                found.append(inner.lineno)
    return found


def test_at_most_five_imports_of_pandu_inside_functions():
    local = []
    for path in SOURCE.rglob("*.py"):
        rel = path.relative_to(SOURCE)
        if path.name in LATE_BY_DESIGN or {"migrations", "commands"} & set(rel.parts):
            continue
        # Under ``if TYPE_CHECKING:`` is not inside a function; ast.walk of functions only.
        local += [f"{rel}:{line}" for line in _local_pandu_imports(path)]
    assert len(local) <= 5, local
