"""The dependency rules of docs/architecture.md, checked on every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "breakctl"
UI_LIBRARIES = {"typer", "click", "rich"}
# Modules allowed to import a UI library, and which.
ALLOWED_UI = {"cli": {"typer", "tomli_w"}, "view": {"rich"}, "config": {"tomli_w"}}


def imports_of(module: str) -> set[str]:
    path = PACKAGE / (module.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules() -> list[str]:
    """Module names relative to the package: 'engine', 'cli.base', 'cli.__init__'..."""
    return sorted(
        ".".join(p.relative_to(PACKAGE).with_suffix("").parts) for p in PACKAGE.rglob("*.py")
    )


def allowed_ui(module: str) -> set[str]:
    return ALLOWED_UI["cli"] if module.split(".")[0] == "cli" else ALLOWED_UI.get(module, set())


def test_only_cli_imports_typer_and_only_view_imports_rich() -> None:
    for module in modules():
        tops = {name.split(".")[0] for name in imports_of(module)}
        used = tops & (UI_LIBRARIES | {"tomli_w"})
        assert used <= allowed_ui(module), f"{module} imports {used}"


def test_core_modules_never_import_the_cli_or_the_view() -> None:
    for module in modules():
        if module.split(".")[0] in {"cli", "__main__"}:
            continue
        internal = {n for n in imports_of(module) if n.startswith("breakctl.")}
        assert not any(n.startswith("breakctl.cli") for n in internal), module
        if module != "view":
            assert "breakctl.view" not in internal, module


def test_main_imports_the_cli_lazily() -> None:
    tree = ast.parse((PACKAGE / "__main__.py").read_text(encoding="utf-8"))
    top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = {getattr(n, "module", None) or n.names[0].name for n in top_level}
    assert not any(name.startswith("breakctl") for name in names if name), names


def test_status_fast_path_imports_only_light_stdlib() -> None:
    """`breakctl status` runs every second: nothing heavy on its import path."""
    heavy = {
        "typer",
        "rich",
        "pydantic",
        "datetime",
        "pathlib",
        "dataclasses",
        "typing",
        "collections",
    }
    for module in ("status", "locations"):
        tops = {name.split(".")[0] for name in imports_of(module) if name != "collections.abc"}
        assert not tops & heavy, (module, tops & heavy)
        internal = {n for n in imports_of(module) if n.startswith("breakctl.")}
        allowed = {"breakctl.locations", "breakctl.clockface", "breakctl.paths", "breakctl.state"}
        assert internal <= allowed, internal
