"""The core of `nexi/` is import-acyclic and layered (issue 13, "The core is acyclic").

The graph is read from the source with `ast`, imports inside functions included (a cycle that
only bites when a function first runs is still a cycle), imports under `if TYPE_CHECKING:` left
out (they never run).

Packages: importing `nexi.x.y` runs package `nexi.x`'s `__init__` first, so it counts as an edge
to `nexi.x` as well, and so does naming the package itself (`from nexi.x import name`). Both are
left out when the importer lies inside that package: a package's `__init__` has always started
before any of its own modules runs, so such an import runs no code, and the order between them
is the same whoever is imported first (a blueprint package's `__init__` defines `bp`, then
imports its routes, which take `bp` from it). Were every module to count an edge to its parents,
each would form a cycle with `nexi/__init__.py` (the app factory, which imports every blueprint)
and the test could catch nothing.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def module_names(base: Path, package: str = "nexi") -> dict[str, Path]:
    """Every module under `base/package`: its dotted name → its file (`__init__.py` for packages)."""
    names = {}
    for path in sorted((base / package).rglob("*.py")):
        parts = path.relative_to(base).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """The Import and ImportFrom nodes anywhere in `tree` except under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _imports_in(child)
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST):
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    yield from _imports(node)


def _named(name: str, node: ast.AST, modules: dict[str, Path]) -> list[str]:
    """The modules an import statement of module `name` names (before the package rule)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolved against the importer's package
        package = name if modules[name].name == "__init__.py" else name.rpartition(".")[0]
        package = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
        source = f"{package}.{node.module}" if node.module else package
    else:
        source = node.module
    # `from nexi import db` imports the module nexi.db when there is one, else a name of nexi
    return [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source for alias in node.names]


def _inside(importer: str, package: str) -> bool:
    return importer == package or importer.startswith(package + ".")


def import_graph(base: Path = ROOT, package: str = "nexi") -> dict[str, set[str]]:
    """module → the modules of `package` whose code importing it runs (see the docstring)."""
    modules = module_names(base, package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for named in _named(name, node, modules):
                while named not in modules and "." in named:  # `import nexi.x.y` of a name, not a module
                    named = named.rpartition(".")[0]
                if named not in modules:
                    continue  # outside the package (flask, sqlalchemy …)
                parts = named.split(".")
                for depth in range(1, len(parts) + 1):  # the module and its parent packages
                    target = ".".join(parts[:depth])
                    if not _inside(name, target):
                        targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles, as paths `a → b → … → a`: in each strongly connected component of more
    than one module (or a module importing itself), a shortest cycle through each of its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    found = []
    for component in components:
        for start in sorted(component):
            cycle = _cycle_through(start, component, graph)
            rotations = {tuple(cycle[i:-1] + cycle[:i]) for i in range(len(cycle) - 1)}
            if not any(tuple(known[:-1]) in rotations for known in found):
                found.append(cycle)
    return found


def _cycle_through(start: str, component: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from `start` back to itself, within its component."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & component):
                if target == start:
                    return paths[node] + [start]
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")


def reachable(graph: dict[str, set[str]], start: str) -> dict[str, list[str]]:
    """Every module `start` imports, directly or through others: module → the path to it."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph.get(node, ())):
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    del paths[start]
    return paths


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(_inside(name, prefix) for prefix in prefixes)


def test_no_module_of_nexi_is_part_of_an_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" → ".join(cycle) for cycle in found)


# (what is imported, not what imports it): layer → what it may not reach, directly or not
LAYERS = {
    ("nexi.models",): ("nexi.db", "nexi.navigation", "nexi.rendering", "nexi.blueprints"),
    ("nexi.db", "nexi.forms"): ("nexi.navigation", "nexi.rendering", "nexi.blueprints"),
}


def test_the_lower_layers_do_not_import_the_upper_ones():
    graph = import_graph()
    wrong = []
    for layer, forbidden in LAYERS.items():
        for module in sorted(name for name in graph if _within(name, layer)):
            for target, path in reachable(graph, module).items():
                # the first forbidden module on the way only: what lies beyond it is its own affair
                if _within(target, forbidden) and not any(_within(step, forbidden) for step in path[:-1]):
                    wrong.append(" → ".join(path))
    assert not wrong, "imports across layers:\n" + "\n".join(wrong)


# The rules above, on small trees of their own.


def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, set[str]]:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return import_graph(tmp_path, "app")


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    graph = _tree(
        tmp_path,
        {
            "app/__init__.py": "from app import db\n",
            "app/db.py": "def commit():\n    from app.guard import finalize\n",
            "app/guard.py": "from app import render\n",
            "app/render.py": "from app.db import commit\n",
        },
    )
    assert cycles(graph) == [["app.db", "app.guard", "app.render", "app.db"]]


def test_imports_for_type_checking_only_are_left_out(tmp_path):
    graph = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import b\nelse:\n    import os\n",
            "app/b.py": "import app.a\n",
        },
    )
    assert graph["app.a"] == set()
    assert cycles(graph) == []


def test_a_package_counts_from_outside_it_not_from_its_own_modules(tmp_path):
    graph = _tree(
        tmp_path,
        {
            "app/__init__.py": "from app.views import bp\n",  # the factory: every module is inside it
            "app/views/__init__.py": "bp = object()\nfrom app.views import routes\n",
            "app/views/routes.py": "from app.views import bp\nfrom app.models.types import T\n",
            "app/models/__init__.py": "from app.models.table import Table\n",
            "app/models/table.py": "from app.models.types import T\n",
            "app/models/types.py": "import sqlalchemy\n",
        },
    )
    assert graph["app.views.routes"] == {"app.models", "app.models.types"}  # the package's __init__ runs
    assert graph["app.models.table"] == {"app.models.types"}
    assert cycles(graph) == []


def test_a_package_whose_modules_import_back_into_it_from_outside_is_a_cycle(tmp_path):
    graph = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": "from app.models.types import T\n",  # runs app/models/__init__ first …
            "app/models/__init__.py": "from app.models.table import Table\n",
            "app/models/table.py": "from app.db import session\n",  # … which comes back here
            "app/models/types.py": "",
        },
    )
    assert cycles(graph) == [["app.db", "app.models", "app.models.table", "app.db"]]
