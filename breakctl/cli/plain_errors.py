"""Usage errors in breakctl's words: Typer checks some option values through pydantic, whose
wording ("Input should be a valid integer", "Value error, ...") is not for people typing
commands. Only what a usage error needs; nothing here imports pydantic."""

from __future__ import annotations

from typing import Any

_LONGEST_VALUE = 40  # a quoted value longer than this is cut: the line stays one short line


def _quoted(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 4] + "...'"


def _plain(error: Any) -> str:
    kind, given, message = error.get("type", ""), error.get("input"), str(error.get("msg", ""))
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{_quoted(given)} is not a whole number"
    if kind in ("float_parsing", "float_type"):
        return f"{_quoted(given)} is not a number"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_quoted(given)} is not true or false"
    if kind == "value_error":
        return message.removeprefix("Value error, ").rstrip(".")
    expected = message.removeprefix("Input should be ").rstrip(".")
    return f"expected {expected}, not {_quoted(given)}"


def usage_message(exc: Any) -> str:
    """The text of a usage error, with a pydantic validation failure said plainly."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if type(cause).__name__ != "ValidationError" or not callable(errors):
        return str(exc.format_message())
    text = "; ".join(_plain(error) for error in errors())
    # "Invalid value for '--weeks': <pydantic's words>": the frame is click's, kept.
    return str(exc.format_message()).replace(str(exc.message), text)
