"""The package rule of docs/architecture.md, checked on each module's whole import closure."""

from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "breakctl"

# What each layer may import: breakctl packages (its own included) and third-party libraries.
# core is pure; store owns the files; host owns the process; ui is the only place Rich lives;
# cli is the only place Typer (and click, under it) lives.
LAYERS: dict[str, tuple[set[str], set[str]]] = {
    "core": ({"core"}, {"msgspec"}),
    "store": ({"core", "store"}, {"msgspec", "tomli_w", "tomlkit"}),
    "host": (
        {"core", "store", "host"},
        {"msgspec", "Xlib", "jeepney", "icalendar", "recurring_ical_events"},
    ),
    "ui": ({"core", "ui"}, {"msgspec", "rich"}),
    "cli": (
        {"core", "store", "host", "ui", "cli", "entry"},
        {"msgspec", "tomli_w", "tomlkit", "typer", "click", "Xlib", "jeepney"},
    ),
    # status, version, __main__, __init__: the fast path of every command
    "entry": ({"core", "store", "entry"}, set()),
}


def third_party(names: Iterable[str]) -> set[str]:
    """The top-level names that are neither the standard library nor breakctl: libraries, each
    of which a layer must list to use it."""
    return {name for name in names if name not in sys.stdlib_module_names and name != "breakctl"}


def module_names() -> list[str]:
    """Module names relative to the package: 'core.engine', 'cli.base', '__main__'..."""
    names = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        names.append(".".join(parts))
    return sorted(names)


def layer_of(module: str) -> str:
    top = module.split(".")[0]
    return top if top in LAYERS and top != "entry" else "entry"


def source_of(module: str) -> Path:
    path = PACKAGE / (module.replace(".", "/") + ".py")
    return path if path.exists() else PACKAGE / module.replace(".", "/") / "__init__.py"


@functools.cache
def direct_imports(module: str, top_level_only: bool = False) -> frozenset[str]:
    """Absolute names a module imports (breakctl.* made relative), in functions too unless
    `top_level_only`."""
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module == "breakctl" or node.module.startswith("breakctl."):
                # `from breakctl.core import model` imports breakctl.core.model
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    inner = candidate.removeprefix("breakctl.")
                    names.add(candidate if inner in KNOWN else node.module)
            else:
                names.add(node.module)
    return frozenset(names)


KNOWN = set(module_names())


def internal(name: str) -> str | None:
    if name == "breakctl":
        return "__init__"
    if name.startswith("breakctl."):
        inner = name.removeprefix("breakctl.")
        return inner if inner in KNOWN else inner.rsplit(".", 1)[0]
    return None


def closure(module: str, top_level_only: bool = False) -> tuple[set[str], set[str]]:
    """(breakctl modules, other top-level names) that importing `module` can reach."""
    seen: set[str] = set()
    outside: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in direct_imports(current, top_level_only):
            inner = internal(name)
            if inner is None:
                outside.add(name.split(".")[0])
            else:
                todo.append(inner)
    return seen, outside


def test_every_module_keeps_to_its_layer_through_its_whole_import_closure() -> None:
    problems = []
    for module in module_names():
        layers, libraries = LAYERS[layer_of(module)]
        if module == "__main__":
            continue  # the dispatcher: its lazy imports pick the layer a command needs
        reached, _ = closure(module)
        for other in reached:
            if layer_of(other) not in layers:
                problems.append(f"{module} reaches {other}")
        # Libraries are checked where they are imported: cli reaches Rich only through ui.
        own = {name.split(".")[0] for name in direct_imports(module)}
        for library in third_party(own) - libraries:
            problems.append(f"{module} imports {library}")
    assert not problems, "\n".join(sorted(problems))


def test_the_rule_catches_a_core_module_importing_the_view() -> None:
    """The checker itself: a `from breakctl import ui` style import in core must be seen."""
    tree_names = direct_imports.__wrapped__  # the uncached function
    assert tree_names  # sanity: the function exists
    fake = "from breakctl.ui import tables\n"
    node = ast.parse(fake).body[0]
    assert isinstance(node, ast.ImportFrom)
    assert internal(f"{node.module}.{node.names[0].name}") == "ui.tables"
    assert layer_of("ui.tables") not in LAYERS["core"][0]


def import_graph(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """Each module's breakctl imports, from its source (lazy ones in functions too: they close
    a circle as surely, only later)."""
    known = set(sources)
    return {
        module: {name for name in imports_in(source, known) if name != module}
        for module, source in sources.items()
    }


def imports_in(source: str, known: set[str]) -> set[str]:
    """The breakctl modules (among `known`) that a module's source imports, anywhere in it:
    `from breakctl.store import a` imports store.a, `from breakctl.store.a import A` store.a."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found = [f"{node.module}.{alias.name}" for alias in node.names]
            found = [n if n.removeprefix("breakctl.") in known else node.module for n in found]
        else:
            continue
        names.update(n.removeprefix("breakctl.") for n in found if n.startswith("breakctl."))
    return names & known


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The import circles of `graph`: each group of modules that reach one another (the
    strongly connected components with more than one module, found by Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in order:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], order[other])
        if low[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return sorted(found)


def test_no_import_circles_anywhere_in_breakctl() -> None:
    """A circle means neither module can be read (or loaded) without the other: put the
    shared types in a module of their own, below both."""
    found = circles(import_graph({m: source_of(m).read_text() for m in module_names()}))
    assert not found, "\n".join(" <-> ".join(group) for group in found)


def test_the_circle_rule_catches_a_circle_and_only_a_circle() -> None:
    """The checker itself, on made-up modules: a lazy import inside a function closes a
    circle too; a chain or a diamond is no circle."""
    sources = {
        "store.a": "from breakctl.store.b import B\n",
        "store.b": "def late():\n    from breakctl.store.c import C\n",
        "store.c": "from breakctl.store import a\n",
        "store.d": "from breakctl.store.a import A\nfrom breakctl.store.e import E\n",
        "store.e": "from breakctl.core.records import Record\n",
    }
    graph = import_graph(sources)
    assert circles(graph) == [["store.a", "store.b", "store.c"]]
    del graph["store.c"]
    assert circles(graph) == []
    assert circles({"x": {"y"}, "y": {"x"}, "z": {"x", "y"}}) == [["x", "y"]]


def test_main_imports_nothing_of_breakctl_at_module_level() -> None:
    reached, outside = closure("__main__", top_level_only=True)
    assert reached == {"__main__"}, reached
    assert not third_party(outside)


def test_status_fast_path_imports_only_light_stdlib() -> None:
    """`breakctl status` runs every second: nothing heavy on its import path."""
    heavy = {"datetime", "pathlib", "dataclasses", "typing", "collections", "uuid", "tempfile"}
    reached, outside = closure("status", top_level_only=True)
    assert not (outside & heavy or third_party(outside)), outside
    assert all(layer_of(m) in {"entry", "core", "store"} for m in reached), reached


def test_status_and_version_run_without_typer_rich_or_msgspec(tmp_path: Path) -> None:
    """The real import set of the fast paths, measured in a fresh interpreter."""
    probe = (
        "import sys, json, atexit\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        "from breakctl.__main__ import main\n"
        "sys.argv = ['breakctl', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {**os.environ, "BREAKCTL_HOME": str(tmp_path)}
    for args in (["status"], ["status", "--json"], ["--version"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True
        )
        loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
        tops = {name.split(".")[0] for name in loaded}
        assert not tops & {"typer", "click", "rich", "msgspec", "tomllib"}, (args, tops)
        assert not {"breakctl.cli", "breakctl.ui", "breakctl.host"} & loaded, args
