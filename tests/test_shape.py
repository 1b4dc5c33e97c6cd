"""The size limits of issue 7, so the code stays in pieces a reader can hold in their head:
no module over 360 lines, no function over 60, no class over 250 (an ast walk of breakctl/)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "breakctl"
MAX_MODULE_LINES = 360
MAX_FUNCTION_LINES = 60
MAX_CLASS_LINES = 250


def _length(node: ast.stmt) -> int:
    assert node.end_lineno is not None
    return node.end_lineno - node.lineno + 1


def _sizes() -> list[tuple[str, str, int, int]]:
    """(kind, where, lines, limit) for every module, function and class of the package."""
    sizes = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(PACKAGE.parent))
        sizes.append(("module", name, len(source.splitlines()), MAX_MODULE_LINES))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                where = f"{name}:{node.lineno} {node.name}"
                sizes.append(("function", where, _length(node), MAX_FUNCTION_LINES))
            elif isinstance(node, ast.ClassDef):
                where = f"{name}:{node.lineno} {node.name}"
                sizes.append(("class", where, _length(node), MAX_CLASS_LINES))
    return sizes


def test_the_walk_sees_the_package() -> None:
    kinds = {kind for kind, *_ in _sizes()}
    assert kinds == {"module", "function", "class"}
    assert any(where.endswith(" Session") for _, where, *_ in _sizes())


def test_no_module_function_or_class_is_over_its_limit() -> None:
    over = [
        f"{kind} {where}: {lines} lines (limit {limit})"
        for kind, where, lines, limit in _sizes()
        if lines > limit
    ]
    assert over == []
