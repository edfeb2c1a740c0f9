"""The floors hold: the application packages import one way only, downwards, and no modules
import each other in a circle. Read from the source (ast), so a lazy import inside a function
counts as much as one at the top of a file.

Floors, from the ground up: the project package `meerwaarde` (accounts, audit, settings; its
urls and Celery app name the apps by dotted strings only) ← catalogue ← cases ← volunteers ←
reporting ← home (the start pages) and demo (demo data, benchmark generator). A package may
import the floors below it and itself, never one above it or beside it. No application
module imports the tests or a test/dev package, so the production lock can leave them out.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOORS = {
    "meerwaarde": 0,
    "catalogue": 1,
    "cases": 2,
    "volunteers": 3,
    "reporting": 4,
    "home": 5,
    "demo": 5,
}
# Packages of the dev lock only (pyproject's `dev` extra) and the test suite itself.
NOT_IN_PRODUCTION = {
    "tests",
    "factory",
    "faker",
    "pytest",
    "playwright",
    "hypothesis",
    "bench",
    "loadtest",
    "locust",
}


def module_files(root: Path, packages) -> dict[str, Path]:
    """Dotted module name → file, for every Python file of the given packages."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path) -> set[str]:
    """Every module name this file imports, relative imports resolved; for `from X import
    y` both X and X.y (the caller keeps whichever is a module)."""
    is_package = path.name == "__init__.py"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            names.add(source)
            names.update(f"{source}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path, packages) -> dict[str, set[str]]:
    """Module → the modules of these packages it imports (the longest name that is one)."""
    modules = module_files(root, packages)
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(module, path):
            parts = name.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != module:
                targets.add(".".join(parts))
        graph[module] = targets
    return graph


def upward_imports(root: Path, floors: dict[str, int]) -> list[str]:
    found = []
    for module, path in module_files(root, floors).items():
        package = module.split(".")[0]
        names = imported_names(module, path)
        # `from cases.models import Case` is one arrow, to cases.models.
        names = {n for n in names if not any(n.startswith(f"{o}.") for o in names)}
        for name in sorted(names):
            target = name.split(".")[0]
            if target in NOT_IN_PRODUCTION:
                found.append(f"{module} -> {name} (test/dev package)")
            elif target in floors and target != package and floors[target] >= floors[package]:
                found.append(f"{module} -> {name}")
    return sorted(set(found))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
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
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_application_package_has_a_floor():
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench", "scripts", "loadtest"}
    }
    assert packages == set(FLOORS)


def test_no_application_module_imports_a_floor_above_or_beside_its_own():
    assert upward_imports(ROOT, FLOORS) == []


def test_no_application_modules_import_each_other_in_a_circle():
    assert circles(import_graph(ROOT, FLOORS)) == []


def test_the_checks_see_an_upward_import_a_lazy_circle_and_a_test_package(tmp_path):
    files = {
        "low/__init__.py": "",
        "low/services.py": "def start():\n    from .tasks import run\n",
        "low/tasks.py": "from low import services\nfrom high.views import page\n",
        "low/demo.py": "import factory\n",
        "high/__init__.py": "",
        "high/views.py": "from low import demo\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    floors = {"low": 0, "high": 1}

    assert upward_imports(tmp_path, floors) == [
        "low.demo -> factory (test/dev package)",
        "low.tasks -> high.views",
    ]
    assert circles(import_graph(tmp_path, floors)) == [["low.services", "low.tasks"]]
