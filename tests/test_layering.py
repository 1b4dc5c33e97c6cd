"""The package rule of docs/architecture.md, checked on each module's whole import closure."""

from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "breakctl"

# What each layer may import: breakctl packages (its own included) and third-party libraries.
# core is pure; store owns the files; host owns the process; ui is the only place Rich lives;
# cli is the only place Typer (and click, under it) lives.
LAYERS: dict[str, tuple[set[str], set[str]]] = {
    "core": ({"core"}, {"msgspec"}),
    "store": ({"core", "store"}, {"msgspec", "tomli_w", "tomlkit"}),
    "host": ({"core", "store", "host"}, {"msgspec", "Xlib", "jeepney"}),
    "ui": ({"core", "ui"}, {"msgspec", "rich"}),
    "cli": (
        {"core", "store", "host", "ui", "cli", "entry"},
        {"msgspec", "tomli_w", "tomlkit", "typer", "click", "Xlib", "jeepney"},
    ),
    # status, version, __main__, __init__: the fast path of every command
    "entry": ({"core", "store", "entry"}, set()),
}
THIRD_PARTY = {
    "msgspec",
    "tomli_w",
    "tomlkit",
    "typer",
    "click",
    "rich",
    "pydantic",
    "Xlib",
    "jeepney",
}


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
        for library in (own & THIRD_PARTY) - libraries:
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


def test_main_imports_nothing_of_breakctl_at_module_level() -> None:
    reached, outside = closure("__main__", top_level_only=True)
    assert reached == {"__main__"}, reached
    assert not outside & THIRD_PARTY


def test_status_fast_path_imports_only_light_stdlib() -> None:
    """`breakctl status` runs every second: nothing heavy on its import path."""
    heavy = {"datetime", "pathlib", "dataclasses", "typing", "collections", "uuid", "tempfile"}
    reached, outside = closure("status", top_level_only=True)
    assert not (outside - {"__future__"}) & (heavy | THIRD_PARTY), outside
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
        assert not tops & {"typer", "click", "rich", "pydantic", "msgspec", "tomllib"}, (args, tops)
        assert not {"breakctl.cli", "breakctl.ui", "breakctl.host"} & loaded, args
