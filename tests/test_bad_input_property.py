"""Issue 8, property-based: routine files, exercise files, history lines and option values drawn
from the families that used to crash. Whatever is drawn: no traceback, exit 0 or 2 (1 only
for storage), the user's files byte-identical, and each `check` command reports exactly what
the other commands would refuse or skip."""

from __future__ import annotations

import json
import math
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from breakctl.cli import app
from breakctl.core.durations import MAX_DURATION_S, parse_duration
from breakctl.core.errors import DataError
from breakctl.host.context import AppContext
from breakctl.status import FIELDS, MAX_WIDTH, check_template, describe, render
from breakctl.store.paths import Paths


def examples(count: int) -> settings:
    """`count` examples; each test writes into one home that Hypothesis reuses across them."""
    return settings(
        max_examples=count,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


BAD_LITERALS = [
    "nan",
    "+nan",
    "inf",
    "-inf",
    "1e400",
    "-1e400",
    "9" * 400,
    "0",
    "-1",
    "1979-05-27",
    "1979-05-27T07:32:00Z",
    "1979-05-27T07:32:00",
    "07:32:00",
    "[]",
    "[1, 2]",
    '["a"]',
    "{}",
    "{ a = 1 }",
    "true",
    "false",
    '""',
    '"nan"',
    '"inf"',
    '"1e400s"',
    '"-5s"',
    '"99999999999999999999h"',
    '"PT99999999999999999999H"',
    '"25h"',
    '"24h"',
    '"30s"',
    '"1m30s"',
    "30",
    "2.5",
    "0.0000001",
    "[[[[[1]]]]]",
]
toml_values = st.one_of(
    st.sampled_from(BAD_LITERALS),
    st.integers(-(10**40), 10**40).map(str),
    st.floats().map(lambda f: "nan" if math.isnan(f) else repr(f)),  # TOML spells them alike
    st.text(max_size=12).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.from_regex(r"[0-9]{1,25}(\.[0-9]{1,3})?[hms]{1,2}", fullmatch=True).map(json.dumps),
)
ROUTINE_KEYS = ["hold", "reps", "pace", "sides", "exercise", "junk"]
EXERCISE_KEYS = ["name", "position", "targets", "hold", "reps", "pace", "sides", "cues", "caution"]


def run(paths: Paths, clock, *args: str) -> Result:
    return CliRunner().invoke(app, list(args), obj=AppContext(paths=paths, clock=clock))


def clean(result: Result, *statuses: int) -> Result:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in statuses, (result.exit_code, result.output)
    return result


def user_file(paths: Paths, name: str, text: str) -> Path:
    path = paths.routines_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def listed(paths: Paths, clock, group: str, command: str, key: str) -> set[str]:
    """The `key` of every row `breakctl GROUP COMMAND --json` lists, which must not fail."""
    result = clean(run(paths, clock, group, command, "--json"), 0)
    return {row[key] for row in json.loads(result.stdout)}


@st.composite
def routine_files(draw: st.DrawFn) -> str:
    lines = ['name = "mine"']
    if draw(st.booleans()):
        lines.append(f"rest = {draw(toml_values)}")
    if draw(st.booleans()):
        lines.append(f"title = {draw(toml_values)}")
    for _ in range(draw(st.integers(1, 3))):
        lines += ["", "[[steps]]"]
        keys = draw(st.lists(st.sampled_from(ROUTINE_KEYS), max_size=3, unique=True))
        if "exercise" not in keys:
            lines.append(f'exercise = "{draw(st.sampled_from(["shoulder-roll", "nope"]))}"')
        lines += [f"{key} = {draw(toml_values)}" for key in keys]
    return "\n".join(lines) + "\n"


@examples(25)
@given(text=routine_files())
def test_any_routine_file(paths: Paths, clock, text: str) -> None:
    path = user_file(paths, "mine.toml", text)
    names = listed(paths, clock, "routine", "list", "name")
    assert "desk" in names  # a bad user routine never stops the others
    checked = clean(run(paths, clock, "routine", "check", str(path)), 0, 2)
    shown = clean(run(paths, clock, "routine", "show", "mine", "--json"), 0, 2)
    # `routine check` passes exactly the files the other commands accept.
    assert (checked.exit_code == 0) == (shown.exit_code == 0) == ("mine" in names)
    assert path.read_text(encoding="utf-8") == text


@st.composite
def exercise_files(draw: st.DrawFn) -> str:
    good = {
        "name": '"Mine"',
        "position": '"seated"',
        "targets": '["neck"]',
        "cues": '["Go."]',
        "hold": '"5s"',
    }
    bad = draw(st.lists(st.sampled_from(EXERCISE_KEYS), min_size=1, max_size=3, unique=True))
    fields = {**good, **{key: draw(toml_values) for key in bad}}
    return "[my-move]\n" + "".join(f"{key} = {value}\n" for key, value in fields.items())


@examples(20)
@given(text=exercise_files())
def test_any_exercise_file(paths: Paths, clock, text: str) -> None:
    path = user_file(paths, "exercises.toml", text)
    ids = listed(paths, clock, "routine", "exercises", "id")
    assert "shoulder-roll" in ids
    checked = clean(run(paths, clock, "routine", "check", str(path)), 0, 2)
    assert (checked.exit_code == 0) == ("my-move" in ids)
    clean(run(paths, clock, "routine", "list"), 0)
    assert path.read_text(encoding="utf-8") == text


RECORD = {
    "v": 1,
    "kind": "work",
    "started": "2026-03-02T08:00:00.000+01:00",
    "ended": "2026-03-02T08:25:00.000+01:00",
    "active_s": 1500,
    "outcome": "completed",
}
JSON_TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "9" * 400,
    '"\\ud800"',
    '"\\udfff\\ud800"',
    "[" * 3000 + "]" * 3000,
    "null",
    "true",
    "{}",
    '"x"',
    "-1",
    "1.5",
    '"2026-13-45T99:00:00"',
]


@st.composite
def history_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["field", "json", "bytes"]))
    if kind == "field":
        field = draw(st.sampled_from([*RECORD, "id", "session", "cycle", "planned_s", "steps"]))
        token = draw(st.sampled_from(JSON_TOKENS))
        body = json.dumps({k: v for k, v in RECORD.items() if k != field})
        line = body[:-1] + f', "{field}": {token}}}'
    elif kind == "json":
        line = json.dumps(
            draw(
                st.recursive(
                    st.none() | st.floats() | st.text(max_size=5),
                    lambda inner: (
                        st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                    ),
                )
            )
        )
    else:
        return draw(st.binary(max_size=200)).replace(b"\n", b" ")
    return line.encode("utf-8", "surrogatepass")


_ID_LESS_COPY = (json.dumps(RECORD)[:-1] + ', "id": null}').encode()


@examples(20)
@given(lines=st.lists(history_lines(), min_size=1, max_size=3))
@example(lines=[_ID_LESS_COPY, _ID_LESS_COPY])  # copies without an id: one record, as read
def test_any_history_line(paths: Paths, clock, lines: list[bytes]) -> None:
    good = json.dumps(RECORD).encode()
    later = good.replace(b"T08:", b"T10:")  # another record: identical lines are copies of one
    data = b"\n".join([good, *lines, later]) + b"\n"
    paths.history_file.parent.mkdir(parents=True, exist_ok=True)
    paths.history_file.write_bytes(data)
    for args in (("stats", "--json"), ("history",), ("history", "--csv")):
        clean(run(paths, clock, *args), 0)
    as_json = clean(run(paths, clock, "history", "--json", "--last", "100"), 0)
    checked = clean(run(paths, clock, "history", "check"), 0, 2)
    # `history check` counts as records exactly the lines the readers take.
    records = int(checked.stdout.splitlines()[-1].split(": ")[1].split()[0])
    assert records == len(as_json.stdout.splitlines())
    assert (checked.exit_code == 2) == (" 0 problems" not in checked.stdout)
    assert paths.history_file.read_bytes() == data


durations = st.one_of(
    st.sampled_from(
        [
            "99999999999999999999h",
            "9" * 400 + "s",
            "PT99999999999999999999H",
            "nan",
            "inf",
            "1e400",
            "25h",
            "-5m",
            "",
            " ",
            "P" + "9" * 40 + "H",
        ]
    ),
    st.text(alphabet="0123456789.hmsPTHMS -e+naif", max_size=25),
)


@examples(60)
@given(value=durations, option=st.sampled_from(["--work", "--break", "--long-break"]))
def test_any_duration_option(paths: Paths, clock, value: str, option: str) -> None:
    try:
        seconds = parse_duration(value, bare_unit="m")
    except DataError:
        seconds = None
    if seconds is not None:
        assert 0 <= seconds <= MAX_DURATION_S  # accepted: a real, finite time
        assume(False)  # running a good value is the start tests' business
    result = clean(run(paths, clock, "start", option, value, "--cycles", "1", "--no-notify"), 2)
    # One usage error, as Typer words them for any bad option value.
    assert "Invalid value for" in result.stderr and "Traceback" not in result.output
    assert not paths.history_file.exists() and not paths.state_file.exists()


templates = st.text(alphabet="{}:.![]<>^0123456789 ,%dsfx" + "".join(FIELDS), max_size=30)


@examples(300)
@given(template=templates | st.sampled_from([f"{{{f}:>{MAX_WIDTH}}}" for f in FIELDS]))
def test_any_status_template(template: str) -> None:
    try:
        check_template(template)
    except ValueError as exc:
        assert str(exc).startswith("--format: ")
        return
    state = {
        "phase": "break",
        "remaining_s": 61,
        "planned_s": 300,
        "routine": "desk",
        "step": 2,
        "steps": 6,
        "cycle": 3,
        "cycles": 4,
        "ends_at_epoch": 1e9 + 61,
    }
    try:
        text = render(describe(state, 1e9), "line", template)
    except ValueError as exc:  # a field whose value has another type than the sample's
        assert str(exc).startswith("--format: ")
        return
    assert text is not None and len(text) <= len(template) + MAX_WIDTH * template.count("{")
