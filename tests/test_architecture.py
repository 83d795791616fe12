"""The package's modules import downwards only, and none imports itself round a circle.

Data flows one way: shapes, layers, networks and the notation, the models and the readers of
model files, summaries, what a pass costs, then the renderers and the command line. Every import statement counts, those made
inside a function or only for type checking included, with one exception: a value shows itself
(``str()``, ``repr()``, a notebook's table, its rows as plain records, a network's notation) through the renderers, which
its display methods import when they are called. The renderers compute nothing, so data still flows
one way.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "cnncount"

STACK = (
    ("errors", "table"),
    ("shapes", "units", "precision", "published"),
    ("layers",),
    ("network",),
    ("notation",),
    ("models", "readers"),
    ("summary",),
    ("memory", "conventions", "receptive", "roofline"),
    ("views",),
    ("render",),
    ("cli", "__main__"),
)
"""The levels of the package, lowest first; a module may import its own level or those below."""

LEVEL = {name: level for level, names in enumerate(STACK) for name in names}

DISPLAY_METHODS = frozenset(
    {"__str__", "__repr__", "_repr_html_", "_repr_markdown_", "_table", "records", "to_notation"}
)
"""The methods by which a value shows itself: the only places that may import a renderer."""


def module_name(path: Path) -> str:
    """Return the dotted name of a module of the package, from its path."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Return whether the dotted ``name`` is a module or package of cnncount."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> set[str]:
    """Return the cnncount modules that the module at ``path`` imports, anywhere in it but for its
    display methods' imports of a renderer."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    displaying = {
        id(node)
        for method in ast.walk(tree)
        if isinstance(method, ast.FunctionDef) and method.name in DISPLAY_METHODS
        for node in ast.walk(method)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnncount.render")
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in displaying:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cnncount"):
            for alias in node.names:  # from a package, a name may be a module of its own
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if is_module(submodule) else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("cnncount"))
    return found


def graph() -> dict[str, set[str]]:
    """Return each module's imports of other modules of the package; the package's own
    ``__init__``, which only re-exports, is left out."""
    modules = {module_name(path): imports(path) for path in PACKAGE.rglob("*.py")}
    del modules["cnncount"]
    return {
        name: {target for target in targets if target != "cnncount"}
        for name, targets in modules.items()
    }


def level(module: str) -> int:
    """Return the level of a module: that of its first component below ``cnncount``."""
    return LEVEL[module.split(".")[1]]


def test_every_module_has_a_level() -> None:
    assert all(module.split(".")[1] in LEVEL for module in graph())


def test_no_module_imports_one_above_it() -> None:
    upwards = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target in targets
        if level(target) > level(module)
    ]
    assert upwards == []


def test_display_methods_import_nothing_but_renderers() -> None:
    """The exemption is narrow: only display methods, only renderers, and the renderers they
    name exist."""
    exempted = []
    for path in PACKAGE.rglob("*.py"):
        for method in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(method, ast.FunctionDef) and method.name in DISPLAY_METHODS:
                exempted += [
                    node.module
                    for node in ast.walk(method)
                    if isinstance(node, ast.ImportFrom) and node.module
                ]
    assert "cnncount.render.report" in exempted and "cnncount.render.display" in exempted
    assert all(module.startswith("cnncount.render") and is_module(module) for module in exempted)


def test_no_circle() -> None:
    edges = graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError(" -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for target in edges.get(module, ()):
            visit(target, [*path, module])
        done.add(module)

    for module in edges:
        visit(module, [])
